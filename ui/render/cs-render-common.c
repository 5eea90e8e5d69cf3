#include "ui/render/cs-render.h"

#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

static const cairo_user_data_key_t raster_scale_key;

/* Unhinted metrics and outlines: a layout measured here has the same size on an image,
 * a recording surface, SVG or PDF, so the frame computed by cs_render_scatter_layout()
 * is the one cs_render_scatter() draws. */
static void
setup_context (PangoContext *context)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  pango_cairo_context_set_resolution (context, 72.0);
  cairo_font_options_destroy (options);
}

static void
setup_layout (PangoLayout *layout,
              const char  *text,
              double       size,
              int          weight)
{
  PangoFontDescription *desc = pango_font_description_from_string (CS_I_RENDER_FONT);

  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_font_description_set_weight (desc, (PangoWeight) weight);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_font_description_free (desc);
}

void
cs_i_text_extents (const char *text,
                   double      size,
                   int         weight,
                   double     *width,
                   double     *height)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PangoContext *context = pango_font_map_create_context (map);
  g_autoptr (PangoLayout) layout = NULL;
  PangoRectangle logical;

  setup_context (context);
  layout = pango_layout_new (context);
  setup_layout (layout, text, size, weight);
  pango_layout_get_extents (layout, NULL, &logical);
  if (width != NULL)
    *width = (double) logical.width / PANGO_SCALE;
  if (height != NULL)
    *height = (double) logical.height / PANGO_SCALE;
  g_object_unref (context);
}

void
cs_i_text_draw (cairo_t    *cr,
                const char *text,
                double      size,
                int         weight,
                double      x,
                double      y,
                double      ax,
                double      ay,
                double      angle)
{
  PangoContext *context = pango_cairo_create_context (cr);
  g_autoptr (PangoLayout) layout = NULL;
  PangoRectangle logical;

  setup_context (context);
  layout = pango_layout_new (context);
  setup_layout (layout, text, size, weight);
  pango_layout_get_extents (layout, NULL, &logical);

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rotate (cr, angle);
  cairo_move_to (cr,
                 -ax * logical.width / PANGO_SCALE - (double) logical.x / PANGO_SCALE,
                 -ay * logical.height / PANGO_SCALE - (double) logical.y / PANGO_SCALE);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
  g_object_unref (context);
}

char *
cs_i_format_fixed (double value,
                   int    decimals)
{
  char *text;
  gboolean zero = TRUE;

  if (!isfinite (value))
    return g_strdup ("");
  text = g_strdup_printf ("%.*f", CLAMP (decimals, 0, 17), value);
  for (const char *p = text; *p; p++)
    zero &= !g_ascii_isdigit (*p) || *p == '0';
  /* −0.004 to one decimal is zero, not "−0.0" beside "−0.8". */
  if (text[0] == '-' && !zero)
    {
      char *t = g_strconcat ("\xe2\x88\x92", text + 1, NULL);
      g_free (text);
      text = t;
    }
  else if (text[0] == '-')
    memmove (text, text + 1, strlen (text));
  return text;
}

char *
cs_i_format_tick (double value,
                  double step)
{
  int decimals = 0;
  char *text;

  if (!isfinite (value))
    return g_strdup ("");
  /* Computed tick positions carry rounding noise (0.30000000000000004, -1e-17). */
  if (fabs (value) < 1e-9 * fabs (step))
    value = 0.0;

  if (fabs (value) >= 1e6 || (step > 0 && step < 1e-4))
    {
      text = g_strdup_printf ("%.4g", value);
      if (text[0] == '-')
        {
          char *t = g_strconcat ("\xe2\x88\x92", text + 1, NULL);
          g_free (text);
          text = t;
        }
      return text;
    }
  if (step > 0 && step < 1.0)
    decimals = (int) ceil (-log10 (step) - 1e-9);
  return cs_i_format_fixed (value, CLAMP (decimals, 0, 6));
}

char *
cs_i_format_count (guint64 count)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  GString *s = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

void
cs_render_set_raster_scale (cairo_t *cr,
                            double   scale)
{
  double *value = g_new (double, 1);

  *value = scale;
  cairo_set_user_data (cr, &raster_scale_key, value, g_free);
}

void
cs_i_render_pixel_scale (cairo_t *cr,
                         double  *sx,
                         double  *sy)
{
  cairo_surface_t *target = cairo_get_target (cr);
  cairo_surface_type_t type = cairo_surface_get_type (target);
  double *hint = cairo_get_user_data (cr, &raster_scale_key);
  cairo_matrix_t ctm;
  double dsx = 1.0;
  double dsy = 1.0;

  cairo_get_matrix (cr, &ctm);
  cairo_surface_get_device_scale (target, &dsx, &dsy);
  if (type == CAIRO_SURFACE_TYPE_PDF || type == CAIRO_SURFACE_TYPE_SVG
      || type == CAIRO_SURFACE_TYPE_PS)
    {
      /* Vector targets rasterise at the resolution they would use for any fallback
       * image; cs_render_export sets it to the requested dpi. */
      double fx = 300.0;
      double fy = 300.0;
      cairo_surface_get_fallback_resolution (target, &fx, &fy);
      dsx *= fx / 72.0;
      dsy *= fy / 72.0;
    }
  else if (hint != NULL && *hint > 0)
    {
      dsx = *hint;
      dsy = *hint;
    }

  *sx = hypot (ctm.xx, ctm.yx) * dsx;
  *sy = hypot (ctm.xy, ctm.yy) * dsy;
}

guint
cs_nice_ticks (double  lo,
               double  hi,
               guint   target,
               double *ticks,
               guint   max_ticks)
{
  double range;
  double raw;
  double mag;
  double f;
  double step;
  double first;
  double last;
  guint n = 0;

  if (!isfinite (lo) || !isfinite (hi) || max_ticks == 0)
    return 0;
  if (hi < lo)
    {
      double t = lo;
      lo = hi;
      hi = t;
    }
  range = hi - lo;
  if (range <= 0.0)
    {
      ticks[0] = lo;
      return 1;
    }

  /* Heckbert's "nice numbers" (Graphics Gems, 1990): round range / target to 1, 2 or 5
   * times a power of ten. */
  raw = range / MAX (target, 1);
  mag = pow (10.0, floor (log10 (raw)));
  f = raw / mag;
  if (f < 1.5)
    step = mag;
  else if (f < 3.0)
    step = 2.0 * mag;
  else if (f < 7.0)
    step = 5.0 * mag;
  else
    step = 10.0 * mag;

  /* A little slack so an end that is a multiple of the step up to rounding counts. */
  first = ceil (lo / step - 1e-9);
  last = floor (hi / step + 1e-9);
  for (double i = first; i <= last && n < max_ticks; i += 1.0)
    {
      double v = i * step;
      /* Multiplying the integer index (never accumulating) keeps 0.6 from becoming
       * 0.6000000000000001 and makes zero exactly zero. */
      ticks[n++] = fabs (v) < step * 1e-9 ? 0.0 : v;
    }
  return n;
}

void
cs_plot_data_to_canvas (const CsPlotModel *m,
                        const CsRect      *frame,
                        double             dx,
                        double             dy,
                        double            *cx,
                        double            *cy)
{
  double xr = m->x_max - m->x_min;
  double yr = m->y_max - m->y_min;

  *cx = frame->x + (xr != 0.0 ? (dx - m->x_min) / xr : 0.5) * frame->width;
  *cy = frame->y + frame->height - (yr != 0.0 ? (dy - m->y_min) / yr : 0.5) * frame->height;
}

void
cs_plot_canvas_to_data (const CsPlotModel *m,
                        const CsRect      *frame,
                        double             cx,
                        double             cy,
                        double            *dx,
                        double            *dy)
{
  double fx = frame->width != 0.0 ? (cx - frame->x) / frame->width : 0.5;
  double fy = frame->height != 0.0 ? (frame->y + frame->height - cy) / frame->height : 0.5;

  *dx = m->x_min + fx * (m->x_max - m->x_min);
  *dy = m->y_min + fy * (m->y_max - m->y_min);
}
