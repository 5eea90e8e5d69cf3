#pragma once

#include "ui/render/cs-render.h"

G_BEGIN_DECLS

/* An animated WebP of figures, one frame at a time: libwebp's animation encoder
 * (libwebpmux, in Debian as libwebp-dev), chosen over GIF because it keeps every colour of a
 * figure (GIF's 256 would band the shaded backgrounds and blended points) and is one small,
 * widely packaged library. Optional at build time: without it cs_anim_available() is FALSE
 * and cs_anim_new fails with a message. */

typedef struct _CsAnim CsAnim;

gboolean cs_anim_available (void);
/* Frames of width × height pixels; each shown for frame_ms milliseconds. */
CsAnim  *cs_anim_new (int width, int height, int frame_ms, GError **error);
/* Renders `func(model)` at dpi onto a white frame of the animation's size (width_pt ×
 * height_pt at dpi / 72 pixels per point) and adds it. */
gboolean cs_anim_add (CsAnim *anim, CsRenderFunc func, gconstpointer model, double dpi, GError **error);
/* Assembles and writes the file atomically. */
gboolean cs_anim_write (CsAnim *anim, const char *path, GError **error);
void     cs_anim_free (CsAnim *anim);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsAnim, cs_anim_free)

G_END_DECLS
