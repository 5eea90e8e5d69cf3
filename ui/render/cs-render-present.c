#include "ui/render/cs-render.h"

/* Presenter mode for every figure: the palette travels on the cairo context so that a
 * renderer needs no parameter for it, and the scale is a transformation, so renderers need no
 * code for it either (cs-render-style.h says why). */

static const cairo_user_data_key_t palette_key;

void
cs_render_set_palette (cairo_t      *cr,
                       CsPaletteKind palette)
{
  /* The default is stored as nothing, so a context that presents nothing carries nothing. */
  cairo_set_user_data (cr, &palette_key, palette == CS_PALETTE_DEFAULT ? NULL : GINT_TO_POINTER (palette + 1),
                       NULL);
}

CsPaletteKind
cs_render_get_palette (cairo_t *cr)
{
  gpointer value = cr != NULL ? cairo_get_user_data (cr, &palette_key) : NULL;

  return value != NULL ? (CsPaletteKind) (GPOINTER_TO_INT (value) - 1) : CS_PALETTE_DEFAULT;
}

void
cs_render_presented (cairo_t      *cr,
                     CsRenderFunc  func,
                     gconstpointer model,
                     double        width,
                     double        height,
                     double        scale,
                     CsPaletteKind palette)
{
  CsPaletteKind saved;

  g_return_if_fail (cr != NULL && func != NULL);
  g_return_if_fail (scale > 0);

  saved = cs_render_get_palette (cr);
  cairo_save (cr);
  cs_render_set_palette (cr, palette);
  if (scale != 1.0)
    cairo_scale (cr, scale, scale);
  func (cr, model, width / scale, height / scale);
  cairo_restore (cr);
  cs_render_set_palette (cr, saved);
}

void
cs_i_render_color (cairo_t *cr,
                   guint    slot,
                   double   rgb[3])
{
  cs_palette_kind_color (cs_render_get_palette (cr), slot, rgb);
}

void
cs_i_render_neutral (cairo_t *cr,
                     double   rgb[3])
{
  cs_palette_kind_neutral (cs_render_get_palette (cr), rgb);
}
