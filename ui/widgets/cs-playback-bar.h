#pragma once

#include <gtk/gtk.h>

#include "ui/cs-playback.h"

G_BEGIN_DECLS

/* Playback controls: First / Back / Play-Pause / Forward / Last, a speed, a timeline scrubber
 * and the position. The bar is a view of a CsPlayback, which views of the same result share
 * (two bars on one playback move together); it says when the position moved
 * ("position-changed"); what a frame shows is the page's business. */
#define CS_TYPE_PLAYBACK_BAR (cs_playback_bar_get_type ())
G_DECLARE_FINAL_TYPE (CsPlaybackBar, cs_playback_bar, CS, PLAYBACK_BAR, GtkWidget)

GtkWidget  *cs_playback_bar_new (void);
/* The playback the bar shows and moves (a reference is taken), or NULL: nothing to play. */
void        cs_playback_bar_set_playback (CsPlaybackBar *bar, CsPlayback *playback);
CsPlayback *cs_playback_bar_get_playback (CsPlaybackBar *bar);
/* 0 without a playback. */
guint       cs_playback_bar_get_n_frames (CsPlaybackBar *bar);
void        cs_playback_bar_set_position (CsPlaybackBar *bar, guint position);
guint       cs_playback_bar_get_position (CsPlaybackBar *bar);
/* Steps by `delta` frames, clamped to the ends; stops playing. */
void        cs_playback_bar_step (CsPlaybackBar *bar, int delta);
void        cs_playback_bar_set_playing (CsPlaybackBar *bar, gboolean playing);
gboolean    cs_playback_bar_get_playing (CsPlaybackBar *bar);
/* A sentence under the controls (the trace's notice: steps left out, or why there is no
 * playback), or NULL. */
void        cs_playback_bar_set_notice (CsPlaybackBar *bar, const char *notice);

/* Playback keys for a page class (←, →, Home, End, Space) acting on the first playback bar
 * inside the page, while the focus is in the page: a text entry elsewhere in the window keeps
 * its arrows and space. */
void        cs_playback_bar_install_keys (GtkWidgetClass *widget_class);

G_END_DECLS
