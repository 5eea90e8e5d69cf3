#include "ui/render/cs-render-privacy.h"

#include <math.h>
#include <string.h>

#include "ui/render/cs-colormap.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-views-private.h"

/* Model ----------------------------------------------------------------------------- */

CsPrivacyModel *
cs_privacy_model_new (const CsDpSurface *surface, const CsDpKernelOptions *options, gsize n)
{
  CsPrivacyModel *m = g_new0 (CsPrivacyModel, 1);
  gsize           cells = (gsize)surface->nx * surface->ny;

  g_atomic_ref_count_init (&m->ref);
  m->nx = surface->nx;
  m->ny = surface->ny;
  memcpy (m->extent, surface->extent, sizeof m->extent);
  m->exact = g_memdup2 (surface->exact, cells * sizeof (double));
  m->priv = g_memdup2 (surface->priv, cells * sizeof (double));
  m->peak = surface->peak;
  m->max_error = surface->max_error;
  m->mean_error = surface->mean_error;
  m->sigma = surface->sigma;
  m->bandwidth = surface->bandwidth;
  m->epsilon = options->epsilon;
  m->delta = options->delta;
  m->n_features = options->n_features;
  m->n = n;
  m->x_label = g_strdup ("x");
  m->y_label = g_strdup ("y");
  return m;
}

void
cs_privacy_model_set_curve (CsPrivacyModel *m,
                            guint           n,
                            const double   *epsilon,
                            const double   *accuracy,
                            double          nonprivate,
                            guint           n_classes)
{
  g_free (m->curve_epsilon);
  g_free (m->curve_accuracy);
  m->n_curve = n;
  m->curve_epsilon = g_memdup2 (epsilon, n * sizeof (double));
  m->curve_accuracy = g_memdup2 (accuracy, n * sizeof (double));
  m->nonprivate_accuracy = nonprivate;
  m->n_classes = n_classes;
}

CsPrivacyModel *
cs_privacy_model_ref (CsPrivacyModel *m)
{
  g_return_val_if_fail (m != NULL, NULL);

  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_privacy_model_unref (CsPrivacyModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  g_free (m->exact);
  g_free (m->priv);
  g_free (m->curve_epsilon);
  g_free (m->curve_accuracy);
  g_free (m->title);
  g_free (m->x_label);
  g_free (m->y_label);
  g_free (m);
}

/* Layout ---------------------------------------------------------------------------- */

#define PANEL_GAP 28.0

typedef struct
{
  CsRect exact;
  CsRect priv;
  CsRect bar;
  CsRect curve;
  double title_h;
  double tick_h;
  double label_h;
  double small_h;
  double stats_y;
  double canvas_w;
  char **stats; /* Owned: the caption under the maps, wrapped to the canvas */
} Layout;

static char *
stats_caption (const CsPrivacyModel *m)
{
  g_autofree char *count = cs_i_format_count (m->n);
  g_autofree char *features = cs_i_format_count (m->n_features);

  return g_strdup_printf (
      "Gaussian kernel h = %.3g · %s random Fourier features · %s rows · noise σ = %.3g per "
      "feature (analytic Gaussian mechanism, Δ₂ = 2)",
      m->bandwidth, features, count, m->sigma);
}

static void
layout (const CsPrivacyModel *m, double width, double height, Layout *L)
{
  double top;
  double heat_h;
  double avail_w;
  double side;
  double panel_w;
  double left;
  double ytick_w;
  guint  n_stats;

  memset (L, 0, sizeof *L);
  L->canvas_w = width;
  cs_i_text_extents ("0", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->tick_h);
  cs_i_text_extents ("Ag", CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->label_h);
  cs_i_text_extents ("Ag", CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->small_h);
  if (m->title != NULL && m->title[0] != '\0')
    cs_i_text_extents (m->title, CS_STYLE_TITLE_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, NULL, &L->title_h);
  cs_i_text_extents ("−0.00", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &ytick_w, NULL);

  top = CS_STYLE_PAD + (L->title_h > 0 ? L->title_h + 10.0 : 0.0);
  left = CS_STYLE_PAD + L->label_h + 6.0 + ytick_w + CS_STYLE_TICK_GAP;
  {
    g_autofree char *caption = stats_caption (m);
    double           line_w = MAX (40.0, width - round (left) - CS_STYLE_PAD);

    L->stats = cs_i_text_wrap (caption, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, line_w, line_w);
    n_stats = 1 + g_strv_length (L->stats);
  }
  /* The heat maps share the height with the curve when there is one. */
  heat_h = m->n_curve > 0 ? (height - top - CS_STYLE_PAD) * 0.58 : height - top - CS_STYLE_PAD;
  avail_w = width - left - CS_STYLE_PAD - PANEL_GAP - 2 * PANEL_GAP - CS_STYLE_COLORBAR_WIDTH - ytick_w;
  /* Caption above, ticks, axis label and the lines of numbers below. */
  side = MIN (avail_w / 2.0, heat_h - (L->label_h + CS_STYLE_CAPTION_GAP)
                                 - (CS_STYLE_TICK_GAP + L->tick_h + 4.0 + L->label_h)
                                 - (n_stats * L->small_h + (n_stats - 1) * 4.0 + 10.0));
  side = floor (MAX (side, 20.0));
  /* Wide canvases widen the maps rather than leave the right half empty. */
  panel_w = floor (CLAMP (avail_w / 2.0, side, 1.5 * side));

  L->exact.x = round (left);
  L->exact.y = round (top + L->label_h + CS_STYLE_CAPTION_GAP);
  L->exact.width = panel_w;
  L->exact.height = side;
  L->priv = L->exact;
  L->priv.x = L->exact.x + panel_w + PANEL_GAP;
  L->bar.x = L->priv.x + panel_w + PANEL_GAP;
  L->bar.y = L->exact.y;
  L->bar.width = CS_STYLE_COLORBAR_WIDTH;
  L->bar.height = side;
  L->stats_y = L->exact.y + side + CS_STYLE_TICK_GAP + L->tick_h + 4.0 + L->label_h + 8.0;

  if (m->n_curve > 0)
    {
      double ctop = L->stats_y + n_stats * L->small_h + (n_stats - 1) * 4.0 + 12.0 + L->label_h
                    + CS_STYLE_CAPTION_GAP;
      L->curve.x = L->exact.x;
      L->curve.y = round (ctop);
      L->curve.width = MAX (20.0, L->bar.x + L->bar.width - L->exact.x);
      L->curve.height = MAX (
          20.0, floor (height - ctop - CS_STYLE_PAD - CS_STYLE_TICK_GAP - L->tick_h - 4.0 - L->label_h));
    }
}

void
cs_render_privacy_layout (
    const CsPrivacyModel *m, double width, double height, CsRect *exact, CsRect *priv, CsRect *curve)
{
  Layout L;

  g_return_if_fail (m != NULL);

  layout (m, width, height, &L);
  if (exact != NULL)
    *exact = L.exact;
  if (priv != NULL)
    *priv = L.priv;
  if (curve != NULL)
    *curve = L.curve;
  g_strfreev (L.stats);
}

/* Drawing --------------------------------------------------------------------------- */

/* One heat map as an image the size of the grid, scaled into the frame. Values are mapped
 * on [0, peak]: the private surface can dip below zero and overshoot, and one shared scale
 * is what makes the two comparable. */
static void
draw_heatmap (cairo_t *cr, const CsPrivacyModel *m, const double *values, const CsRect *f)
{
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int)m->nx, (int)m->ny);
  unsigned char   *data;
  int              stride;
  cairo_pattern_t *pattern;
  cairo_matrix_t   mat;

  if (cairo_surface_status (img) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (img);
      return;
    }
  cairo_surface_flush (img);
  data = cairo_image_surface_get_data (img);
  stride = cairo_image_surface_get_stride (img);
  for (guint r = 0; r < m->ny; r++)
    {
      /* Row 0 of the grid is y_min, at the bottom of the picture. */
      guint32 *row = (guint32 *)(data + (gsize)(m->ny - 1 - r) * stride);
      for (guint c = 0; c < m->nx; c++)
        {
          double rgb[3];
          double t = m->peak > 0.0 ? values[(gsize)r * m->nx + c] / m->peak : 0.0;
          cs_colormap_rgb (CS_COLORMAP_VIRIDIS, CLAMP (t, 0.0, 1.0), rgb);
          row[c] = cs_i_view_pack_rgb (rgb);
        }
    }
  cairo_surface_mark_dirty (img);

  cairo_save (cr);
  cairo_rectangle (cr, f->x, f->y, f->width, f->height);
  cairo_clip (cr);
  pattern = cairo_pattern_create_for_surface (img);
  cairo_matrix_init_scale (&mat, m->nx / f->width, m->ny / f->height);
  cairo_matrix_translate (&mat, -f->x, -f->y);
  cairo_pattern_set_matrix (pattern, &mat);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_BILINEAR);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_set_source (cr, pattern);
  cairo_paint (cr);
  cairo_pattern_destroy (pattern);
  cairo_restore (cr);
  cairo_surface_destroy (img);
  cs_i_view_stroke_frame (cr, f);
}

static void
draw_ticks (cairo_t *cr, const CsRect *f, double lo, double hi, gboolean vertical, gboolean labels)
{
  double ticks[CS_STYLE_MAX_TICKS];
  guint  target = (guint)CLAMP ((vertical ? f->height : f->width) / 60.0, 2.0, 8.0);
  guint  n = cs_nice_ticks (lo, hi, target, ticks, CS_STYLE_MAX_TICKS);
  double step = n >= 2 ? ticks[1] - ticks[0] : 1.0;

  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *t = NULL;
      double           frac = (ticks[i] - lo) / (hi - lo);

      if (frac < -1e-9 || frac > 1 + 1e-9 || !labels)
        continue;
      t = cs_i_format_tick (ticks[i], step);
      if (vertical)
        cs_i_text_draw (cr, t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x - CS_STYLE_TICK_GAP,
                        f->y + (1.0 - frac) * f->height, 1.0, 0.5, 0.0);
      else
        cs_i_text_draw (cr, t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x + frac * f->width,
                        f->y + f->height + CS_STYLE_TICK_GAP, 0.5, 0.0, 0.0);
    }
}

static void
draw_panel (cairo_t              *cr,
            const CsPrivacyModel *m,
            const Layout         *L,
            const double         *values,
            const CsRect         *f,
            const char *const    *captions,
            gboolean              y_axis)
{
  const char *caption = cs_i_text_first_fitting (captions, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD,
                                                 f->width + PANEL_GAP - 8.0);

  draw_heatmap (cr, m, values, f);
  draw_ticks (cr, f, m->extent[0], m->extent[1], FALSE, TRUE);
  if (y_axis)
    {
      double w;
      draw_ticks (cr, f, m->extent[2], m->extent[3], TRUE, TRUE);
      cs_i_text_extents ("−0.00", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      cs_i_text_draw (cr, m->y_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD,
                      f->y + f->height / 2, 0.5, 0.0, -G_PI / 2);
    }
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  cs_i_text_draw (cr, m->x_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x + f->width / 2,
                  f->y + f->height + CS_STYLE_TICK_GAP + L->tick_h + 4.0, 0.5, 0.0, 0.0);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TITLE);
  cs_i_text_draw (cr, caption, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, f->x,
                  f->y - CS_STYLE_CAPTION_GAP, 0.0, 1.0, 0.0);
}

static void
draw_colorbar (cairo_t *cr, const CsPrivacyModel *m, const CsRect *f)
{
  cairo_pattern_t *ramp = cairo_pattern_create_linear (0, f->y + f->height, 0, f->y);

  for (guint i = 0; i <= 16; i++)
    {
      double rgb[3];
      cs_colormap_rgb (CS_COLORMAP_VIRIDIS, i / 16.0, rgb);
      cairo_pattern_add_color_stop_rgb (ramp, i / 16.0, rgb[0], rgb[1], rgb[2]);
    }
  cairo_rectangle (cr, f->x, f->y, f->width, f->height);
  cairo_set_source (cr, ramp);
  cairo_fill (cr);
  cairo_pattern_destroy (ramp);
  cs_i_view_stroke_frame (cr, f);

  {
    double ticks[CS_STYLE_MAX_TICKS];
    /* About one label per 30 units of bar, so a short bar's labels do not overprint. */
    guint n
        = cs_nice_ticks (0.0, m->peak, (guint)CLAMP (f->height / 30.0, 1.0, 5.0), ticks, CS_STYLE_MAX_TICKS);
    double step = n >= 2 ? ticks[1] - ticks[0] : 1.0;

    cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *t = NULL;
        double           frac = m->peak > 0 ? ticks[i] / m->peak : 0.0;
        if (frac < -1e-9 || frac > 1 + 1e-9)
          continue;
        t = cs_i_format_tick (ticks[i], step);
        cs_i_text_draw (cr, t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL,
                        f->x + f->width + CS_STYLE_TICK_GAP, f->y + (1.0 - frac) * f->height, 0.0, 0.5, 0.0);
      }
  }
}

static double
curve_x (const CsPrivacyModel *m, const CsRect *f, double eps)
{
  double lo = log (m->curve_epsilon[0]);
  double hi = log (m->curve_epsilon[m->n_curve - 1]);
  double pad = 0.04 * MAX (hi - lo, 1e-9);

  return f->x + (log (eps) - lo + pad) / (hi - lo + 2 * pad) * f->width;
}

static double
curve_y (const CsRect *f, double accuracy)
{
  /* A little headroom above 100 %, where the dots of an easy problem sit. */
  return f->y + (1.04 - accuracy) / 1.04 * f->height;
}

static void
draw_curve (cairo_t *cr, const CsPrivacyModel *m, const Layout *L)
{
  const CsRect *f = &L->curve;
  double        rgb[3];
  gboolean      pen = FALSE;
  double        chance = m->n_classes > 0 ? 1.0 / m->n_classes : NAN;

  /* Grid at every quarter and at each ε measured. */
  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_GRID);
  for (guint i = 0; i <= 4; i++)
    {
      double y = cs_i_view_snap_y (cr, curve_y (f, i / 4.0));
      cairo_move_to (cr, f->x, y);
      cairo_line_to (cr, f->x + f->width, y);
    }
  for (guint i = 0; i < m->n_curve; i++)
    {
      double x = cs_i_view_snap_x (cr, curve_x (m, f, m->curve_epsilon[i]));
      cairo_move_to (cr, x, f->y);
      cairo_line_to (cr, x, f->y + f->height);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
  cs_i_view_stroke_frame (cr, f);

  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
  /* Quarters when there is room for their labels, halves on a short chart. */
  for (guint i = 0; i <= 4; i += f->height >= 5.0 * L->tick_h ? 1 : 2)
    {
      g_autofree char *t = cs_i_format_tick (i / 4.0, 0.25);
      cs_i_text_draw (cr, t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x - CS_STYLE_TICK_GAP,
                      curve_y (f, i / 4.0), 1.0, 0.5, 0.0);
    }
  for (guint i = 0; i < m->n_curve; i++)
    {
      g_autofree char *t = g_strdup_printf ("%g", m->curve_epsilon[i]);
      cs_i_text_draw (cr, t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, curve_x (m, f, m->curve_epsilon[i]),
                      f->y + f->height + CS_STYLE_TICK_GAP, 0.5, 0.0, 0.0);
    }
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  cs_i_text_draw (cr, "ε (privacy budget, log scale)", CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL,
                  f->x + f->width / 2, f->y + f->height + CS_STYLE_TICK_GAP + L->tick_h + 4.0, 0.5, 0.0, 0.0);
  cs_i_text_draw (cr, "Accuracy", CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD,
                  f->y + f->height / 2, 0.5, 0.0, -G_PI / 2);
  {
    g_autofree char *longest
        = g_strdup_printf ("Classify by average private similarity (%u classes, held-out 30 %%, "
                           "δ = %g)",
                           m->n_classes, m->delta);
    g_autofree char *shorter
        = g_strdup_printf ("Private classification (%u classes, δ = %g)", m->n_classes, m->delta);
    const char *captions[] = { longest, shorter, "Private classification", NULL };

    cs_i_view_set_rgb (cr, CS_STYLE_RGB_TITLE);
    cs_i_text_draw (cr,
                    cs_i_text_first_fitting (captions, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD,
                                             L->canvas_w - CS_STYLE_PAD - f->x),
                    CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, f->x, f->y - CS_STYLE_CAPTION_GAP, 0.0,
                    1.0, 0.0);
  }

  cairo_save (cr);
  cairo_rectangle (cr, f->x, f->y, f->width, f->height);
  cairo_clip (cr);
  /* Reference lines: the non-private accuracy (dashed) and chance (dotted). */
  cairo_set_line_width (cr, 1.2);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
  if (isfinite (m->nonprivate_accuracy))
    {
      double dash[] = { 5.0, 4.0 };
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, f->x, curve_y (f, m->nonprivate_accuracy));
      cairo_line_to (cr, f->x + f->width, curve_y (f, m->nonprivate_accuracy));
      cairo_stroke (cr);
    }
  if (isfinite (chance))
    {
      double dash[] = { 1.5, 3.0 };
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, f->x, curve_y (f, chance));
      cairo_line_to (cr, f->x + f->width, curve_y (f, chance));
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);

  cs_i_render_color (cr, 0, rgb);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_set_line_width (cr, 2.0);
  for (guint i = 0; i < m->n_curve; i++)
    {
      double x = curve_x (m, f, m->curve_epsilon[i]);
      double y = curve_y (f, m->curve_accuracy[i]);
      if (!isfinite (m->curve_accuracy[i]))
        {
          pen = FALSE;
          continue;
        }
      if (pen)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      pen = TRUE;
    }
  cairo_stroke (cr);
  for (guint i = 0; i < m->n_curve; i++)
    {
      if (!isfinite (m->curve_accuracy[i]))
        continue;
      cairo_arc (cr, curve_x (m, f, m->curve_epsilon[i]), curve_y (f, m->curve_accuracy[i]), 3.5, 0,
                 2 * G_PI);
      cairo_fill (cr);
    }
  /* The ε the surfaces above use. */
  if (m->epsilon >= m->curve_epsilon[0] && m->epsilon <= m->curve_epsilon[m->n_curve - 1])
    {
      double x = curve_x (m, f, m->epsilon);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_INK);
      cairo_set_line_width (cr, 1.0);
      cairo_move_to (cr, cs_i_view_snap_x (cr, x), f->y);
      cairo_line_to (cr, cs_i_view_snap_x (cr, x), f->y + f->height);
      cairo_stroke (cr);
    }
  cairo_restore (cr);

  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
  if (isfinite (m->nonprivate_accuracy))
    {
      g_autofree char *t = g_strdup_printf ("non-private %.0f %%", 100.0 * m->nonprivate_accuracy);
      /* At the left, where the curve is low, so the label never sits on it. */
      cs_i_text_draw (cr, t, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x + 6.0,
                      curve_y (f, m->nonprivate_accuracy) + 3.0, 0.0, 0.0, 0.0);
    }
  if (isfinite (chance))
    cs_i_text_draw (cr, "chance", CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x + f->width - 6.0,
                    curve_y (f, chance) - 3.0, 1.0, 1.0, 0.0);
}

void
cs_render_privacy (cairo_t *cr, gconstpointer model, double width, double height)
{
  const CsPrivacyModel *m = model;
  Layout                L;
  g_autofree char      *caption = NULL;
  g_autofree char      *line1 = NULL;

  cs_i_view_clear (cr, width, height);
  if (m == NULL || m->nx < 2 || m->ny < 2)
    return;

  layout (m, width, height, &L);
  if (L.title_h > 0)
    cs_i_view_draw_title (cr, m->title, L.exact.x, width);

  {
    static const char *const exact[] = { "Exact  F(y) / n", "Exact", NULL };
    g_autofree char         *shorter = NULL;
    const char              *priv[3];

    caption = isinf (m->epsilon) ? g_strdup ("Private, ε = ∞ (no noise)")
                                 : g_strdup_printf ("Private, ε = %g, δ = %g", m->epsilon, m->delta);
    shorter = isinf (m->epsilon) ? g_strdup ("ε = ∞") : g_strdup_printf ("ε = %g", m->epsilon);
    priv[0] = caption;
    priv[1] = shorter;
    priv[2] = NULL;
    draw_panel (cr, m, &L, m->exact, &L.exact, exact, TRUE);
    draw_panel (cr, m, &L, m->priv, &L.priv, priv, FALSE);
  }
  draw_colorbar (cr, m, &L.bar);

  line1 = g_strdup_printf ("Error relative to the exact peak: max %.1f %%, mean %.2f %%",
                           100.0 * m->max_error, 100.0 * m->mean_error);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_INK);
  cs_i_text_draw (cr, line1, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, L.exact.x, L.stats_y, 0.0, 0.0,
                  0.0);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  for (guint i = 0; L.stats[i] != NULL; i++)
    cs_i_text_draw (cr, L.stats[i], CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, L.exact.x,
                    L.stats_y + (i + 1) * (L.small_h + 4.0), 0.0, 0.0, 0.0);

  if (m->n_curve > 0)
    draw_curve (cr, m, &L);
  g_strfreev (L.stats);
}
