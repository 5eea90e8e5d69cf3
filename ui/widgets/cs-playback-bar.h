#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Playback controls under the scatter plot: First / Back / Play-Pause / Forward / Last, a
 * speed, a timeline scrubber and the position. It only moves a position over n frames and
 * says so ("position-changed"); what a frame shows is the page's business. */
#define CS_TYPE_PLAYBACK_BAR (cs_playback_bar_get_type ())
G_DECLARE_FINAL_TYPE (CsPlaybackBar, cs_playback_bar, CS, PLAYBACK_BAR, GtkWidget)

GtkWidget *cs_playback_bar_new (void);
/* Stops playing and jumps to the last frame (the result). 0 or 1: nothing to play. */
void       cs_playback_bar_set_n_frames (CsPlaybackBar *bar, guint n_frames);
guint      cs_playback_bar_get_n_frames (CsPlaybackBar *bar);
void       cs_playback_bar_set_position (CsPlaybackBar *bar, guint position);
guint      cs_playback_bar_get_position (CsPlaybackBar *bar);
/* Steps by `delta` frames, clamped to the ends; stops playing at either end. */
void       cs_playback_bar_step (CsPlaybackBar *bar, int delta);
void       cs_playback_bar_set_playing (CsPlaybackBar *bar, gboolean playing);
gboolean   cs_playback_bar_get_playing (CsPlaybackBar *bar);
/* A sentence under the controls (the trace's notice: steps left out, or why there is no
 * playback), or NULL. */
void       cs_playback_bar_set_notice (CsPlaybackBar *bar, const char *notice);

G_END_DECLS
