#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The playback position of one result, shared by every view that plays it (the scatter plot
 * and the dendrogram step through the same frames together): n frames, the current one,
 * whether it is playing and how fast. It holds no frames itself: each view draws frame
 * `position` of the trace its way. Properties "position" and "playing" notify. Main thread
 * only while playing (the tick is a main-context timeout that holds a reference). */
#define CS_TYPE_PLAYBACK (cs_playback_get_type ())
G_DECLARE_FINAL_TYPE (CsPlayback, cs_playback, CS, PLAYBACK, GObject)

/* Starts at the last frame (the result). */
CsPlayback *cs_playback_new (guint n_frames);
guint       cs_playback_get_n_frames (CsPlayback *playback);
guint       cs_playback_get_position (CsPlayback *playback);
/* Clamped to the last frame. */
void        cs_playback_set_position (CsPlayback *playback, guint position);
/* Steps by `delta` frames, clamped to the ends; stops playing. */
void        cs_playback_step (CsPlayback *playback, int delta);
/* Playing from the last frame starts again at the first; playing stops by itself at the end. */
void        cs_playback_set_playing (CsPlayback *playback, gboolean playing);
gboolean    cs_playback_get_playing (CsPlayback *playback);
/* Frames per second while playing. */
void        cs_playback_set_fps (CsPlayback *playback, guint fps);
guint       cs_playback_get_fps (CsPlayback *playback);

G_END_DECLS
