#include "ui/render/cs-render.h"
#include "ui/render/cs-render-style.h"

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
  PangoFontDescription *desc = pango_font_description_from_string (CS_STYLE_FONT);

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

/* "-1234567.5" → "−1,234,567.5": commas between groups of three digits of the integer
 * part, U+2212 for the minus sign; a number in exponent form is only given its minus. */
static char *
group_digits (const char *text)
{
  GString    *s = g_string_new (NULL);
  const char *p = text;
  gsize       int_len;

  if (*p == '-')
    {
      g_string_append (s, "\xe2\x88\x92");
      p++;
    }
  int_len = strspn (p, "0123456789");
  if (strpbrk (p, "eEnN") != NULL)
    int_len = 0;
  for (gsize i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, p[i]);
    }
  g_string_append (s, p + int_len);
  return g_string_free (s, FALSE);
}

char *
cs_render_format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    return g_strdup ("NaN");
  if (isinf (value))
    return g_strdup (value > 0 ? "\xe2\x88\x9e" : "\xe2\x88\x92\xe2\x88\x9e");
  /* Whole numbers print in full up to 10^15, where doubles stop being exact integers. */
  if (value == floor (value) && fabs (value) < 1e15)
    g_ascii_formatd (buf, sizeof buf, "%.0f", value == 0.0 ? 0.0 : value);
  else
    g_ascii_formatd (buf, sizeof buf, "%.6g", value);
  return group_digits (buf);
}

char *
cs_i_format_fixed (double value,
                   int    decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char fmt[8];
  gboolean zero = TRUE;

  if (!isfinite (value))
    return g_strdup ("");
  /* ASCII formatting, whatever LC_NUMERIC says: a decimal comma would read as a group
   * separator. */
  g_snprintf (fmt, sizeof fmt, "%%.%df", CLAMP (decimals, 0, 17));
  g_ascii_formatd (buf, sizeof buf, fmt, value);
  for (const char *p = buf; *p; p++)
    zero &= !g_ascii_isdigit (*p) || *p == '0';
  /* −0.004 to one decimal is zero, not "−0.0" beside "−0.8". */
  return group_digits (zero && buf[0] == '-' ? buf + 1 : buf);
}

char *
cs_i_format_tick (double value,
                  double step)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  int decimals = 0;

  if (!isfinite (value))
    return g_strdup ("");
  /* Computed tick positions carry rounding noise (0.30000000000000004, -1e-17). */
  if (fabs (value) < 1e-9 * fabs (step))
    value = 0.0;

  /* Past ten million a grouped tick label ("12,500,000") is wider than the ticks' spacing. */
  if (fabs (value) >= 1e7 || (step > 0 && step < 1e-4))
    {
      g_ascii_formatd (buf, sizeof buf, "%.4g", value);
      return group_digits (buf);
    }
  if (step > 0 && step < 1.0)
    {
      gboolean on_grid = fabs (value / step - round (value / step)) < 1e-6;

      decimals = CLAMP ((int) ceil (-log10 (step) - 1e-9), 0, 6);
      /* A step of 0.25 needs two decimals where log10 says one: 0.75 is not "0.8". Only
       * for values on the step's grid; others are rounded to the step's decimals. */
      while (on_grid && decimals < 6)
        {
          char fmt[8];

          g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
          g_ascii_formatd (buf, sizeof buf, fmt, value);
          if (fabs (g_ascii_strtod (buf, NULL) - value) <= 1e-6 * fabs (step))
            break;
          decimals++;
        }
    }
  return cs_i_format_fixed (value, decimals);
}

static double
width_of (const char *text, double size, int weight)
{
  double w;

  cs_i_text_extents (text, size, weight, &w, NULL);
  return w;
}

char *
cs_i_text_ellipsize (const char *text, double size, int weight, double max_w)
{
  glong n = g_utf8_strlen (text, -1);
  glong lo = 0;
  glong hi = n;

  if (width_of (text, size, weight) <= max_w)
    return g_strdup (text);
  if (width_of ("…", size, weight) > max_w)
    return g_strdup ("");
  /* Largest prefix length lo whose "prefix…" fits. */
  while (lo < hi)
    {
      glong            mid = (lo + hi + 1) / 2;
      const char      *end = g_utf8_offset_to_pointer (text, mid);
      g_autofree char *prefix = g_strndup (text, end - text);
      g_autofree char *cut = g_strconcat (prefix, "…", NULL);

      if (width_of (cut, size, weight) <= max_w)
        lo = mid;
      else
        hi = mid - 1;
    }
  {
    const char      *end = g_utf8_offset_to_pointer (text, lo);
    g_autofree char *prefix = g_strndup (text, end - text);

    g_strchomp (prefix);
    return g_strconcat (prefix, "…", NULL);
  }
}

const char *
cs_i_text_first_fitting (const char *const *texts, double size, int weight, double max_w)
{
  guint i = 0;

  for (; texts[i + 1] != NULL; i++)
    if (width_of (texts[i], size, weight) <= max_w)
      break;
  return texts[i];
}

void
cs_i_draw_title (cairo_t *cr, const char *title, double x, double width)
{
  double           right = width - CS_STYLE_PAD;
  double           size = CS_STYLE_TITLE_SIZE;
  double           w;
  g_autofree char *fit = NULL;

  if (title == NULL || *title == '\0')
    return;
  /* Aligned with the plot when it fits there; else further left, down to the pad; then
   * smaller, down to the small text size; only then cut. */
  w = width_of (title, size, CS_STYLE_WEIGHT_SEMIBOLD);
  if (x + w > right)
    x = MAX (CS_STYLE_PAD, right - w);
  if (x + w > right)
    {
      /* Text does not scale exactly linearly (hinting): aim a little short. */
      size = MAX (CS_STYLE_SMALL_SIZE, floor (size * (right - x) / w * 0.97 * 10.0) / 10.0);
      w = width_of (title, size, CS_STYLE_WEIGHT_SEMIBOLD);
    }
  fit = cs_i_text_ellipsize (title, size, CS_STYLE_WEIGHT_SEMIBOLD, right - x);
  cairo_set_source_rgb (cr, CS_STYLE_RGB_TITLE[0], CS_STYLE_RGB_TITLE[1], CS_STYLE_RGB_TITLE[2]);
  cs_i_text_draw (cr, fit, size, CS_STYLE_WEIGHT_SEMIBOLD, x, CS_STYLE_PAD, 0.0, 0.0, 0.0);
}

char **
cs_i_text_wrap (const char *text, double size, int weight, double first_w, double max_w)
{
  g_auto (GStrv) pieces = g_strsplit (text, " \xc2\xb7 ", -1);
  GPtrArray *lines = g_ptr_array_new ();
  GString   *line = g_string_new (NULL);

  for (guint p = 0; pieces[p] != NULL; p++)
    {
      g_auto (GStrv) words = g_strsplit (pieces[p], " ", -1);

      /* A part that fits a line of its own starts one rather than be split. */
      if (line->len > 0)
        {
          g_autofree char *joined = g_strconcat (line->str, " \xc2\xb7 ", pieces[p], NULL);
          double           jw;
          double           pw;

          cs_i_text_extents (joined, size, weight, &jw, NULL);
          cs_i_text_extents (pieces[p], size, weight, &pw, NULL);
          if (jw > (lines->len == 0 ? first_w : max_w) && pw <= max_w)
            {
              g_ptr_array_add (lines, g_string_free (line, FALSE));
              line = g_string_new (NULL);
            }
        }
      for (guint w = 0; words[w] != NULL; w++)
        {
          const char      *sep = line->len == 0 ? "" : (w == 0 ? " \xc2\xb7 " : " ");
          g_autofree char *tried = g_strconcat (line->str, sep, words[w], NULL);
          double           tw;

          cs_i_text_extents (tried, size, weight, &tw, NULL);
          if (line->len > 0 && tw > (lines->len == 0 ? first_w : max_w))
            {
              g_ptr_array_add (lines, g_string_free (line, FALSE));
              line = g_string_new (words[w]);
            }
          else
            g_string_assign (line, tried);
        }
    }
  if (line->len > 0 || lines->len == 0)
    g_ptr_array_add (lines, g_string_free (line, FALSE));
  else
    g_string_free (line, TRUE);
  g_ptr_array_add (lines, NULL);
  return (char **)g_ptr_array_free (lines, FALSE);
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
