#include "ui/render/cs-render-saliency.h"

#include <math.h>
#include <string.h>

#include "ui/render/cs-colormap.h"
#include "ui/render/cs-render-views-private.h"

#define SWATCH        9.0
#define SWATCH_GAP    6.0
#define PANEL_GAP_X   22.0
#define PANEL_GAP_Y   18.0
#define PANEL_ASPECT  1.7   /* width / height a bar panel looks best at */
#define BAR_MIN_ROW   10.0  /* a bar row any thinner than this is left out */
#define BAR_MAX_ROW   28.0
#define NAME_MIN_SIZE 7.0
#define MAX_TICKS     16
#define CELL_MAX      72.0
#define ROW_MAX       56.0  /* heatmap row height at most */
#define LABEL_MAX_W   150.0 /* longest column label before it is ellipsised */
#define IMG_GAP       6.0   /* between the two images of a pair */
#define PAIR_GAP      16.0  /* between the grey pair and the map pair */
#define GROUP_GAP     34.0
#define ROW_GAP       8.0
#define IMG_MAX_SIDE  180.0

/* Shared helpers ------------------------------------------------------------------------ */

static void
set_diverging (cairo_t *cr,
               double   t)
{
  double rgb[3];

  cs_colormap_diverging_rgb (t, rgb);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
}

/* The bars' two colours: strong enough to read as a hue on a projector, short of the dark
 * ends so a bar does not look black. */
#define BAR_T 0.78

static double
text_width (const char *text,
            double      size,
            int         weight)
{
  double w;

  cs_i_text_extents (text, size, weight, &w, NULL);
  return w;
}

static double
text_height (double size)
{
  double h;

  cs_i_text_extents ("Ag", size, CS_STYLE_WEIGHT_NORMAL, NULL, &h);
  return h;
}

static char *
ellipsize (const char *text,
           double      size,
           int         weight,
           double      max_w)
{
  return cs_i_text_ellipsize (text, size, weight, max_w);
}

/* One decimal under 10 %, none above: decided on the rounded value, so 9.96 % is "10". */
static char *
format_percent (double fraction)
{
  double pct = 100.0 * fraction;

  if (!isfinite (pct))
    return g_strdup ("");
  if (round (pct * 10.0) / 10.0 < 10.0)
    return g_strdup_printf ("%.1f", pct);
  return g_strdup_printf ("%.0f", pct);
}

/* "50 rows (33 %)" */
static char *
size_text (gsize n,
           gsize total)
{
  g_autofree char *count = cs_i_format_count (n);
  g_autofree char *pct = format_percent (total > 0 ? (double) n / (double) total : NAN);

  if (total == 0)
    return g_strdup_printf ("%s %s", count, n == 1 ? "row" : "rows");
  return g_strdup_printf ("%s %s (%s %%)", count, n == 1 ? "row" : "rows", pct);
}

static void
draw_swatch (cairo_t      *cr,
             const double  rgb[3],
             double        x,
             double        y,
             double        side)
{
  cairo_rectangle (cr, x, y, side, side);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_fill (cr);
}

static guint
ticks_for (double  lo,
           double  hi,
           guint   target,
           double *ticks,
           double *step)
{
  guint n = cs_nice_ticks (lo, hi, target, ticks, MAX_TICKS);
  guint kept = 0;

  *step = n >= 2 ? ticks[1] - ticks[0] : MAX (fabs (hi - lo), 1.0);
  for (guint i = 0; i < n; i++)
    if (ticks[i] >= lo - 1e-9 * *step && ticks[i] <= hi + 1e-9 * *step)
      ticks[kept++] = fabs (ticks[i]) < 1e-9 * *step ? 0.0 : ticks[i];
  return kept;
}

/* Vertical colour bar for the symmetric scale [−vmax, vmax] with nice ticks on the right and
 * `title` rotated beside them. */
static double
colorbar_block_width (double      vmax,
                      const char *title)
{
  double ticks[MAX_TICKS];
  double step;
  guint n = ticks_for (-vmax, vmax, 4, ticks, &step);
  double tick_w = 0.0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *t = cs_i_format_tick (ticks[i], step);
      tick_w = MAX (tick_w, text_width (t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL));
    }
  return CS_STYLE_COLORBAR_WIDTH + 4.0 + CS_STYLE_TICK_GAP + tick_w + 8.0 + text_height (CS_STYLE_LABEL_SIZE);
}

/* The colour a value gets on the maps over white paper: what the bar shows. */
static void
map_rgb (double t,
         double base,
         double rgb[3])
{
  double c[3];
  double a = sqrt (MIN (fabs (t), 1.0));

  cs_colormap_diverging_rgb (t, c);
  for (guint i = 0; i < 3; i++)
    rgb[i] = (1.0 - a) * base + a * c[i];
}

static void
draw_colorbar (cairo_t      *cr,
               const CsRect *b,
               double        vmax,
               const char   *title,
               gboolean      over_paper)
{
  const int steps = 256;
  guint32 ramp[256];
  double ticks[MAX_TICKS];
  double step;
  guint n;
  double tick_w = 0.0;

  for (int r = 0; r < steps; r++)
    {
      double t = 1.0 - 2.0 * (r + 0.5) / steps;
      double rgb[3];

      if (over_paper)
        map_rgb (t, 1.0, rgb);
      else
        cs_colormap_diverging_rgb (t, rgb);
      ramp[r] = cs_i_view_pack_rgb (rgb);
    }
  cs_i_view_draw_pixels (cr, steps, 1, ramp, b);

  cairo_save (cr);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_FRAME);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, cs_i_view_snap_x (cr, b->x), cs_i_view_snap_y (cr, b->y), round (b->width),
                   round (b->height));
  cairo_stroke (cr);

  n = ticks_for (-vmax, vmax, 4, ticks, &step);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *t = cs_i_format_tick (ticks[i], step);
      double cy = cs_i_view_snap_y (cr, b->y + (vmax - ticks[i]) / (2.0 * vmax) * b->height);

      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cairo_move_to (cr, b->x + b->width, cy);
      cairo_line_to (cr, b->x + b->width + 4.0, cy);
      cairo_stroke (cr);
      cs_i_text_draw (cr, t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, b->x + b->width + CS_STYLE_TICK_GAP,
                      cy, 0.0, 0.5, 0.0);
      tick_w = MAX (tick_w, text_width (t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL));
    }
  if (title != NULL)
    {
      g_autofree char *fit = ellipsize (title, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, b->height + 40.0);

      cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      cs_i_text_draw (cr, fit, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL,
                      b->x + b->width + CS_STYLE_TICK_GAP + tick_w + 8.0, b->y + b->height / 2, 0.5, 0.0,
                      -G_PI / 2);
    }
  cairo_restore (cr);
}

/* Model ---------------------------------------------------------------------------------- */

static double *
dup_doubles (const double *v,
             gsize         n)
{
  return v != NULL ? g_memdup2 (v, n * sizeof (double)) : NULL;
}

static double *
nan_doubles (gsize n)
{
  double *v = g_new (double, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    v[i] = NAN;
  return v;
}

typedef struct
{
  const double *key;
} OrderCtx;

/* Decreasing key, NaN last, ties by index. */
static int
by_key_desc (gconstpointer a,
             gconstpointer b,
             gpointer      data)
{
  const OrderCtx *ctx = data;
  guint i = *(const guint *) a;
  guint j = *(const guint *) b;
  double ki = ctx->key[i];
  double kj = ctx->key[j];
  gboolean ni = isnan (ki);
  gboolean nj = isnan (kj);

  if (ni != nj)
    return ni ? 1 : -1;
  if (!ni && ki != kj)
    return ki > kj ? -1 : 1;
  return i < j ? -1 : (i > j ? 1 : 0);
}

static void
order_by_key (const double *key,
              guint         n,
              guint        *order)
{
  OrderCtx ctx = { key };

  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint) n, sizeof (guint), by_key_desc, &ctx);
}

CsSaliencyModel *
cs_saliency_model_new (const CsSaliencyReport *report,
                       const int              *color_slot)
{
  CsSaliencyModel *m;
  gsize kd;
  g_autofree double *importance = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  kd = (gsize) report->k * report->d;
  m = g_new0 (CsSaliencyModel, 1);
  g_atomic_ref_count_init (&m->ref);
  m->k = report->k;
  m->d = report->d;
  m->feature_names = g_new0 (char *, m->d + 1);
  for (guint j = 0; j < m->d; j++)
    m->feature_names[j] = report->feature_names != NULL && report->feature_names[j] != NULL
                              ? g_strdup (report->feature_names[j])
                              : g_strdup_printf ("feature %u", j + 1);
  m->sizes = g_new0 (gsize, MAX (m->k, 1));
  m->color_slot = g_new (int, MAX (m->k, 1));
  for (guint c = 0; c < m->k; c++)
    {
      m->sizes[c] = report->sizes != NULL ? report->sizes[c] : 0;
      m->n_labelled += m->sizes[c];
      m->color_slot[c] = color_slot != NULL ? color_slot[c] : (int) c;
    }
  m->hedges_g = report->hedges_g != NULL ? dup_doubles (report->hedges_g, kd) : nan_doubles (kd);
  m->cliff_delta = report->cliff_delta != NULL ? dup_doubles (report->cliff_delta, kd) : nan_doubles (kd);
  m->favourable = report->favourable != NULL ? dup_doubles (report->favourable, kd) : nan_doubles (kd);
  m->unfavourable = report->unfavourable != NULL ? dup_doubles (report->unfavourable, kd) : nan_doubles (kd);
  m->shap_mean_abs = report->shap_mean_abs != NULL ? dup_doubles (report->shap_mean_abs, kd) : nan_doubles (kd);
  m->summaries = report->summaries != NULL ? g_strdupv (report->summaries) : NULL;
  m->surrogate_accuracy = report->surrogate_accuracy;

  /* Overall importance: the mean |φ| a row gets from its own cluster's surrogate. */
  importance = g_new0 (double, MAX (m->d, 1));
  for (guint j = 0; j < m->d; j++)
    {
      double sum = 0.0;
      double weight = 0.0;

      for (guint c = 0; c < m->k; c++)
        {
          double v = m->shap_mean_abs[(gsize) c * m->d + j];
          double w = m->n_labelled > 0 ? (double) m->sizes[c] : 1.0;

          if (isfinite (v))
            {
              sum += w * v;
              weight += w;
            }
        }
      importance[j] = weight > 0 ? sum / weight : NAN;
    }
  m->importance_order = g_new (guint, MAX (m->d, 1));
  order_by_key (importance, m->d, m->importance_order);

  m->quantity = CS_SALIENCY_QUANTITY_HEDGES_G;
  m->highlight = -1;
  m->max_bars = 8;
  return m;
}

CsSaliencyModel *
cs_saliency_model_dup (const CsSaliencyModel *m)
{
  CsSaliencyModel *n;
  gsize kd;

  g_return_val_if_fail (m != NULL, NULL);

  kd = (gsize) m->k * m->d;
  n = g_new0 (CsSaliencyModel, 1);
  *n = *m;
  g_atomic_ref_count_init (&n->ref);
  n->feature_names = g_strdupv (m->feature_names);
  n->sizes = g_memdup2 (m->sizes, MAX (m->k, 1) * sizeof (gsize));
  n->color_slot = g_memdup2 (m->color_slot, MAX (m->k, 1) * sizeof (int));
  n->hedges_g = dup_doubles (m->hedges_g, MAX (kd, 1));
  n->cliff_delta = dup_doubles (m->cliff_delta, MAX (kd, 1));
  n->favourable = dup_doubles (m->favourable, MAX (kd, 1));
  n->unfavourable = dup_doubles (m->unfavourable, MAX (kd, 1));
  n->shap_mean_abs = dup_doubles (m->shap_mean_abs, MAX (kd, 1));
  n->importance_order = g_memdup2 (m->importance_order, MAX (m->d, 1) * sizeof (guint));
  n->summaries = g_strdupv (m->summaries);
  n->title = g_strdup (m->title);
  return n;
}

CsSaliencyModel *
cs_saliency_model_ref (CsSaliencyModel *m)
{
  g_return_val_if_fail (m != NULL, NULL);

  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_saliency_model_unref (CsSaliencyModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  g_strfreev (m->feature_names);
  g_free (m->sizes);
  g_free (m->color_slot);
  g_free (m->hedges_g);
  g_free (m->cliff_delta);
  g_free (m->favourable);
  g_free (m->unfavourable);
  g_free (m->shap_mean_abs);
  g_free (m->importance_order);
  g_strfreev (m->summaries);
  g_free (m->title);
  g_free (m);
}

/* Bars: layout ----------------------------------------------------------------------------- */

typedef struct
{
  double title_h;
  guint  ncols;
  guint  nrows;
  double x0;
  double y0;
  double panel_w;
  double panel_h;
  double head_h;      /* swatch + title line */
  double head_font;
  double axis_h;      /* tick labels under the bars */
  guint  n_bars;
  double row_h;
  double name_font;
  double name_w;      /* name column, left of the bars */
  double lo;          /* shared scale, lo <= 0 <= hi */
  double hi;
  double footer_y;
  double footer_h;
  double footer_keys_w; /* the colour keys at the footer's start */
  guint  footer_lines;
} BarsLayout;

static const struct
{
  double      t;
  const char *text;
} footer_keys[] = {
  { BAR_T, "favourable" },
  { -BAR_T, "unfavourable" },
};

static char *
bars_footer_text (const CsSaliencyModel *m)
{
  g_autofree char *acc = NULL;

  if (isfinite (m->surrogate_accuracy))
    acc = g_strdup_printf ("Surrogate accuracy %.1f %% · ", 100.0 * m->surrogate_accuracy);
  return g_strdup_printf (
      "%sbars: mean Shapley contribution to the cluster’s logit, positive and negative parts",
      acc != NULL ? acc : "");
}

/* The footer's explanation after the keys, then on lines of its own below them. */
static char **
bars_footer_lines (const CsSaliencyModel *m, double keys_w, double width)
{
  g_autofree char *text = bars_footer_text (m);
  double           line_w = MAX (40.0, width - 2.0 * CS_STYLE_PAD);

  return cs_i_text_wrap (text, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, MAX (0.0, line_w - keys_w),
                         line_w);
}

/* Whether the first line fits after the keys (the wrap keeps at least one word on it). */
static gboolean
bars_footer_after_keys (char **lines, double keys_w, double width)
{
  return lines[0] != NULL
         && text_width (lines[0], CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL)
                <= width - 2.0 * CS_STYLE_PAD - keys_w;
}

static double
bar_value (double v)
{
  return isfinite (v) ? v : 0.0;
}

/* The n features of cluster c with the largest mean |φ|. */
static void
top_features (const CsSaliencyModel *m,
              guint                  c,
              guint                 *order)
{
  order_by_key (m->shap_mean_abs + (gsize) c * m->d, m->d, order);
}

static void
bars_scale (const CsSaliencyModel *m,
            double                *lo,
            double                *hi)
{
  *lo = 0.0;
  *hi = 0.0;
  for (gsize q = 0; q < (gsize) m->k * m->d; q++)
    {
      if (isfinite (m->favourable[q]))
        *hi = MAX (*hi, m->favourable[q]);
      if (isfinite (m->unfavourable[q]))
        *lo = MIN (*lo, m->unfavourable[q]);
    }
  if (*hi - *lo <= 0.0)
    *hi = 1.0;
  /* Room for the longest bar's end to be seen against the panel edge. */
  *hi *= 1.04;
  *lo *= 1.04;
}

static char *
bars_panel_title (const CsSaliencyModel *m,
                  guint                  c)
{
  g_autofree char *size = size_text (m->sizes[c], m->n_labelled);

  return g_strdup_printf ("Cluster %u · %s", c + 1, size);
}

static void
bars_layout (const CsSaliencyModel *m,
             double                 width,
             double                 height,
             BarsLayout            *L)
{
  double top;
  double avail_w;
  double avail_h;
  double best = -INFINITY;
  double            tick_h = text_height (CS_STYLE_TICK_SIZE);
  double bars_h;
  g_autofree guint *order = g_new (guint, MAX (m->d, 1));

  memset (L, 0, sizeof *L);
  if (m->title != NULL && m->title[0] != '\0')
    L->title_h = text_height (CS_STYLE_TITLE_SIZE);
  top = CS_STYLE_PAD + (L->title_h > 0 ? L->title_h + 10.0 : 0.0);
  L->footer_keys_w = 0.0;
  for (guint i = 0; i < G_N_ELEMENTS (footer_keys); i++)
    L->footer_keys_w += SWATCH + 3.0 + 4.0
                        + text_width (footer_keys[i].text, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL)
                        + 12.0;
  {
    g_auto (GStrv) lines = bars_footer_lines (m, L->footer_keys_w, width);
    guint n = g_strv_length (lines);

    /* A first line too narrow for even one word leaves the keys alone on it. */
    L->footer_lines = MAX (1u, n + (bars_footer_after_keys (lines, L->footer_keys_w, width) ? 0 : 1));
    L->footer_h = L->footer_lines * text_height (CS_STYLE_SMALL_SIZE) + (L->footer_lines - 1) * 3.0;
  }
  L->footer_y = height - CS_STYLE_PAD - L->footer_h;
  avail_w = MAX (1.0, width - 2.0 * CS_STYLE_PAD);
  avail_h = MAX (1.0, L->footer_y - 12.0 - top);

  for (guint ncols = 1; ncols <= MAX (m->k, 1); ncols++)
    {
      guint nrows = (MAX (m->k, 1) + ncols - 1) / ncols;
      double pw = (avail_w - (ncols - 1) * PANEL_GAP_X) / ncols;
      double ph = (avail_h - (nrows - 1) * PANEL_GAP_Y) / nrows;
      /* Largest panel at the preferred shape, a little against empty slots. */
      double score = MIN (pw, PANEL_ASPECT * ph) * (1.0 - 0.03 * (ncols * nrows - MAX (m->k, 1)));

      if (score > best)
        {
          best = score;
          L->ncols = ncols;
          L->nrows = nrows;
          L->panel_w = MAX (1.0, pw);
          L->panel_h = MAX (1.0, ph);
        }
    }
  L->x0 = CS_STYLE_PAD;
  L->y0 = top;

  L->head_font = MIN (CS_STYLE_SMALL_SIZE + 0.5, MAX (CS_STYLE_MIN_TEXT_SIZE, L->panel_h / 5.0));
  L->head_h = text_height (L->head_font) + 6.0;
  L->axis_h = tick_h + 4.0;
  bars_h = L->panel_h - L->head_h - L->axis_h;
  L->n_bars = 0;
  if (bars_h >= BAR_MIN_ROW)
    L->n_bars = MIN (MIN (m->max_bars, m->d), (guint) floor (bars_h / BAR_MIN_ROW));
  if (L->n_bars == 0)
    {
      L->axis_h = 0.0;
      return;
    }
  L->row_h = MIN (bars_h / L->n_bars, BAR_MAX_ROW);
  L->name_font = CLAMP (L->row_h * 0.72, NAME_MIN_SIZE, CS_STYLE_TICK_SIZE);

  for (guint c = 0; c < m->k; c++)
    {
      top_features (m, c, order);
      for (guint r = 0; r < L->n_bars; r++)
        L->name_w
            = MAX (L->name_w, text_width (m->feature_names[order[r]], L->name_font, CS_STYLE_WEIGHT_NORMAL));
    }
  L->name_w = MIN (L->name_w + 8.0, 0.4 * L->panel_w);
  bars_scale (m, &L->lo, &L->hi);
}

static void
bars_panel_rect (const BarsLayout *L,
                 guint             c,
                 CsRect           *r)
{
  r->x = L->x0 + (c % L->ncols) * (L->panel_w + PANEL_GAP_X);
  r->y = L->y0 + (c / L->ncols) * (L->panel_h + PANEL_GAP_Y);
  r->width = L->panel_w;
  r->height = L->panel_h;
}

/* Where the bars of a panel go: x span of the value axis and y of the first row. */
static void
bars_area (const BarsLayout *L,
           const CsRect     *panel,
           CsRect           *area)
{
  area->x = panel->x + L->name_w;
  area->width = MAX (1.0, panel->width - L->name_w - 6.0);
  area->y = panel->y + L->head_h;
  area->height = L->n_bars * L->row_h;
}

static double
bars_x (const BarsLayout *L,
        const CsRect     *area,
        double            v)
{
  return area->x + (v - L->lo) / (L->hi - L->lo) * area->width;
}

gboolean
cs_render_saliency_bars_panel (const CsSaliencyModel *m,
                               double                 width,
                               double                 height,
                               guint                  cluster,
                               CsRect                *panel,
                               CsRect                *swatch)
{
  BarsLayout L;
  CsRect p;

  g_return_val_if_fail (m != NULL, FALSE);

  if (cluster >= m->k)
    return FALSE;
  bars_layout (m, width, height, &L);
  bars_panel_rect (&L, cluster, &p);
  if (panel != NULL)
    *panel = p;
  if (swatch != NULL)
    *swatch = (CsRect) { p.x, p.y + (L.head_h - 6.0 - SWATCH) / 2.0, SWATCH, SWATCH };
  return TRUE;
}

gboolean
cs_render_saliency_bars_bar (const CsSaliencyModel *m,
                             double                 width,
                             double                 height,
                             guint                  cluster,
                             guint                  rank,
                             guint                 *feature,
                             CsRect                *favourable,
                             CsRect                *unfavourable)
{
  BarsLayout L;
  CsRect p;
  CsRect area;
  g_autofree guint *order = NULL;
  double y;
  double h;
  double zero;
  guint f;

  g_return_val_if_fail (m != NULL, FALSE);

  if (cluster >= m->k)
    return FALSE;
  bars_layout (m, width, height, &L);
  if (rank >= L.n_bars)
    return FALSE;
  order = g_new (guint, MAX (m->d, 1));
  top_features (m, cluster, order);
  f = order[rank];
  bars_panel_rect (&L, cluster, &p);
  bars_area (&L, &p, &area);
  h = MAX (1.0, L.row_h * 0.62);
  y = area.y + rank * L.row_h + (L.row_h - h) / 2.0;
  zero = bars_x (&L, &area, 0.0);
  if (feature != NULL)
    *feature = f;
  if (favourable != NULL)
    *favourable = (CsRect) { zero, y, bars_x (&L, &area, bar_value (m->favourable[(gsize) cluster * m->d + f])) - zero,
                             h };
  if (unfavourable != NULL)
    {
      double left = bars_x (&L, &area, bar_value (m->unfavourable[(gsize) cluster * m->d + f]));
      *unfavourable = (CsRect) { left, y, zero - left, h };
    }
  return TRUE;
}

/* Bars: drawing ---------------------------------------------------------------------------- */

static void
draw_bars_footer (cairo_t               *cr,
                  const CsSaliencyModel *m,
                  const BarsLayout      *L,
                  double                 width)
{
  const double size = CS_STYLE_SMALL_SIZE;
  double       line_h = text_height (size) + 3.0;
  double       x = CS_STYLE_PAD;
  double       cy = L->footer_y + text_height (size) / 2.0;
  g_auto (GStrv) lines = bars_footer_lines (m, L->footer_keys_w, width);
  gboolean after_keys;

  for (guint i = 0; i < G_N_ELEMENTS (footer_keys); i++)
    {
      double w = text_width (footer_keys[i].text, size, CS_STYLE_WEIGHT_NORMAL);

      set_diverging (cr, footer_keys[i].t);
      cairo_rectangle (cr, x, cy - SWATCH / 2.0, SWATCH + 3.0, SWATCH);
      cairo_fill (cr);
      x += SWATCH + 3.0 + 4.0;
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      cs_i_text_draw (cr, footer_keys[i].text, size, CS_STYLE_WEIGHT_NORMAL, x, cy, 0.0, 0.5, 0.0);
      x += w + 12.0;
    }

  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
  after_keys = bars_footer_after_keys (lines, L->footer_keys_w, width);
  if (!after_keys)
    cy += line_h;
  for (guint i = 0; lines[i] != NULL; i++, cy += line_h)
    {
      double           lx = i == 0 && after_keys ? CS_STYLE_PAD + L->footer_keys_w : CS_STYLE_PAD;
      g_autofree char *fit = ellipsize (lines[i], size, CS_STYLE_WEIGHT_NORMAL, width - CS_STYLE_PAD - lx);

      cs_i_text_draw (cr, fit, size, CS_STYLE_WEIGHT_NORMAL, lx, cy, 0.0, 0.5, 0.0);
    }
}

static void
draw_bar_panel (cairo_t               *cr,
                const CsSaliencyModel *m,
                const BarsLayout      *L,
                guint                  c,
                const double          *ticks,
                guint                  n_ticks,
                double                 step)
{
  CsRect p;
  CsRect area;
  double rgb[3];
  g_autofree char *title = bars_panel_title (m, c);
  g_autofree char *fit = NULL;
  g_autofree guint *order = g_new (guint, MAX (m->d, 1));
  double hy;
  double zero;

  bars_panel_rect (L, c, &p);
  hy = p.y + (L->head_h - 6.0) / 2.0;
  cs_i_view_cluster_rgb (cr, m->color_slot, c, rgb);
  draw_swatch (cr, rgb, p.x, hy - SWATCH / 2.0, SWATCH);
  fit = ellipsize (title, L->head_font, CS_STYLE_WEIGHT_SEMIBOLD, p.width - SWATCH - SWATCH_GAP);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TITLE);
  cs_i_text_draw (cr, fit, L->head_font, CS_STYLE_WEIGHT_SEMIBOLD, p.x + SWATCH + SWATCH_GAP, hy, 0.0, 0.5,
                  0.0);
  if (L->n_bars == 0)
    return;

  bars_area (L, &p, &area);
  zero = bars_x (L, &area, 0.0);

  /* Grid lines at the shared ticks, so bars in different panels can be read off alike. */
  cairo_set_line_width (cr, 1.0);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_GRID);
  for (guint i = 0; i < n_ticks; i++)
    {
      double x;

      if (ticks[i] == 0.0)
        continue;
      x = cs_i_view_snap_x (cr, bars_x (L, &area, ticks[i]));
      cairo_move_to (cr, x, area.y);
      cairo_line_to (cr, x, area.y + area.height);
    }
  cairo_stroke (cr);

  top_features (m, c, order);
  for (guint r = 0; r < L->n_bars; r++)
    {
      guint f = order[r];
      double fav = bar_value (m->favourable[(gsize) c * m->d + f]);
      double unf = bar_value (m->unfavourable[(gsize) c * m->d + f]);
      double h = MAX (1.0, L->row_h * 0.62);
      double y = area.y + r * L->row_h + (L->row_h - h) / 2.0;
      double cy = area.y + (r + 0.5) * L->row_h;
      g_autofree char *name
          = ellipsize (m->feature_names[f], L->name_font, CS_STYLE_WEIGHT_NORMAL, L->name_w - 8.0);

      if (fav > 0)
        {
          set_diverging (cr, BAR_T);
          cairo_rectangle (cr, zero, y, bars_x (L, &area, fav) - zero, h);
          cairo_fill (cr);
        }
      if (unf < 0)
        {
          double left = bars_x (L, &area, unf);

          set_diverging (cr, -BAR_T);
          cairo_rectangle (cr, left, y, zero - left, h);
          cairo_fill (cr);
        }
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      cs_i_text_draw (cr, name, L->name_font, CS_STYLE_WEIGHT_NORMAL, area.x - 8.0, cy, 1.0, 0.5, 0.0);
    }

  cs_i_view_set_rgb (cr, CS_STYLE_RGB_INK);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, cs_i_view_snap_x (cr, zero), area.y - 2.0);
  cairo_line_to (cr, cs_i_view_snap_x (cr, zero), area.y + area.height + 2.0);
  cairo_stroke (cr);

  for (guint i = 0; i < n_ticks; i++)
    {
      g_autofree char *t = cs_i_format_tick (ticks[i], step);
      double x = bars_x (L, &area, ticks[i]);
      double           w = text_width (t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL);

      if (x - w / 2 < p.x || x + w / 2 > p.x + p.width + 4.0)
        continue;
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, x, area.y + area.height + 3.0, 0.5,
                      0.0, 0.0);
    }
}

void
cs_render_saliency_bars (cairo_t       *cr,
                         gconstpointer  model,
                         double         width,
                         double         height)
{
  const CsSaliencyModel *m = model;
  BarsLayout L;
  double ticks[MAX_TICKS];
  double step = 1.0;
  guint n_ticks = 0;

  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  cs_i_view_clear (cr, width, height);
  if (m == NULL || m->k == 0 || m->d == 0)
    {
      cairo_restore (cr);
      return;
    }
  bars_layout (m, width, height, &L);
  if (L.title_h > 0)
    cs_i_view_draw_title (cr, m->title, CS_STYLE_PAD, width);
  if (L.n_bars > 0)
    {
      /* Few ticks: a panel is narrow, and the grid lines only need to carry the eye. */
      guint target = L.panel_w > 320 ? 4 : 2;
      n_ticks = ticks_for (L.lo, L.hi, target, ticks, &step);
    }
  for (guint c = 0; c < m->k; c++)
    draw_bar_panel (cr, m, &L, c, ticks, n_ticks, step);
  draw_bars_footer (cr, m, &L, width);
  cairo_restore (cr);
}

/* Heatmap ------------------------------------------------------------------------------------ */

typedef struct
{
  double title_h;
  CsRect grid;
  double cell_w;
  double cell_h;
  double row_font;
  double label_font;
  double label_angle;  /* 0, π/4 or π/2 */
  guint  label_every;
  double label_max_w;
  CsRect bar;
  double vmax;
} HeatLayout;

static double
heat_value (const CsSaliencyModel *m,
            guint                  c,
            guint                  f)
{
  gsize q = (gsize) c * m->d + f;

  switch (m->quantity)
    {
    case CS_SALIENCY_QUANTITY_NET_SHAP:
      return m->favourable[q] + m->unfavourable[q];
    case CS_SALIENCY_QUANTITY_CLIFF_DELTA:
      return m->cliff_delta[q];
    case CS_SALIENCY_QUANTITY_HEDGES_G:
    default:
      return m->hedges_g[q];
    }
}

static const char *
heat_title (const CsSaliencyModel *m)
{
  switch (m->quantity)
    {
    case CS_SALIENCY_QUANTITY_NET_SHAP:
      return "Mean Shapley value (cluster’s logit)";
    case CS_SALIENCY_QUANTITY_CLIFF_DELTA:
      return "Cliff’s δ, cluster vs rest";
    case CS_SALIENCY_QUANTITY_HEDGES_G:
    default:
      return "Hedges’ g, cluster vs rest";
    }
}

static double
heat_vmax (const CsSaliencyModel *m)
{
  double vmax = 0.0;

  if (m->quantity == CS_SALIENCY_QUANTITY_CLIFF_DELTA)
    return 1.0;
  for (guint c = 0; c < m->k; c++)
    for (guint f = 0; f < m->d; f++)
      {
        double v = heat_value (m, c, f);
        if (isfinite (v))
          vmax = MAX (vmax, fabs (v));
      }
  return vmax > 0 ? vmax : 1.0;
}

static guint
heat_column_feature (const CsSaliencyModel *m,
                     guint                  col)
{
  return m->by_importance ? m->importance_order[col] : col;
}

static void
heat_layout (const CsSaliencyModel *m,
             double                 width,
             double                 height,
             HeatLayout            *L)
{
  double top;
  double row_label_w = 0.0;
  double bar_block;
  double grid_w;
  double label_h;
  double avail_h;
  double th;
  double max_label = 0.0;
  double x0;

  memset (L, 0, sizeof *L);
  L->vmax = heat_vmax (m);
  if (m->title != NULL && m->title[0] != '\0')
    L->title_h = text_height (CS_STYLE_TITLE_SIZE);
  top = CS_STYLE_PAD + (L->title_h > 0 ? L->title_h + 12.0 : 0.0);

  L->row_font = CS_STYLE_SMALL_SIZE;
  for (guint c = 0; c < m->k; c++)
    {
      g_autofree char *name = g_strdup_printf ("Cluster %u", c + 1);
      row_label_w = MAX (row_label_w, text_width (name, L->row_font, CS_STYLE_WEIGHT_SEMIBOLD));
    }
  row_label_w += SWATCH + SWATCH_GAP + 10.0;
  bar_block = CS_STYLE_COLORBAR_GAP + colorbar_block_width (L->vmax, heat_title (m));

  grid_w = MAX (1.0, width - 2.0 * CS_STYLE_PAD - row_label_w - bar_block);
  L->cell_w = MIN (grid_w / MAX (m->d, 1), CELL_MAX);

  L->label_font = CS_STYLE_TICK_SIZE;
  th = text_height (L->label_font);
  for (guint f = 0; f < m->d; f++)
    max_label = MAX (max_label, text_width (m->feature_names[f], L->label_font, CS_STYLE_WEIGHT_NORMAL));
  L->label_max_w = MIN (max_label, LABEL_MAX_W);
  L->label_every = 1;
  if (max_label <= L->cell_w - 4.0)
    {
      L->label_angle = 0.0;
      label_h = th;
    }
  else if (L->cell_w >= th * 1.45)
    {
      L->label_angle = G_PI / 4;
      label_h = (L->label_max_w + th) * G_SQRT2 / 2.0;
    }
  else
    {
      L->label_angle = G_PI / 2;
      L->label_every = (guint) ceil (th * 1.15 / MAX (L->cell_w, 1e-3));
      label_h = L->label_max_w;
    }

  /* Long labels must not crowd out the cells on a short canvas. */
  avail_h = height - top - CS_STYLE_PAD - 6.0;
  if (label_h > 0.4 * avail_h && L->label_angle > 0)
    {
      double scale = 0.4 * avail_h / label_h;
      L->label_max_w = MAX (0.0, L->label_max_w * scale);
      label_h *= scale;
    }
  avail_h -= label_h;
  /* Rows take the height they are given, up to a band that still reads as a row. */
  L->cell_h = MAX (1.0, MIN (avail_h / MAX (m->k, 1), ROW_MAX));
  L->row_font = MIN (CS_STYLE_SMALL_SIZE, MAX (CS_STYLE_MIN_TEXT_SIZE, L->cell_h * 0.8));

  /* Centre the whole block when the cells are capped. */
  x0 = MAX (CS_STYLE_PAD, (width - (row_label_w + L->cell_w * m->d + bar_block)) / 2.0);
  L->grid = (CsRect) { round (x0 + row_label_w), round (top + MAX (0.0, (avail_h - L->cell_h * m->k) / 2.0)),
                       L->cell_w * m->d, L->cell_h * m->k };
  L->bar = (CsRect){ L->grid.x + L->grid.width + CS_STYLE_COLORBAR_GAP, L->grid.y, CS_STYLE_COLORBAR_WIDTH,
                     MAX (L->grid.height, MIN (avail_h, 80.0)) };
}

gboolean
cs_render_saliency_heatmap_cell (const CsSaliencyModel *m,
                                 double                 width,
                                 double                 height,
                                 guint                  cluster,
                                 guint                  feature,
                                 CsRect                *cell)
{
  HeatLayout L;
  guint col = G_MAXUINT;

  g_return_val_if_fail (m != NULL && cell != NULL, FALSE);

  if (cluster >= m->k || feature >= m->d)
    return FALSE;
  for (guint i = 0; i < m->d; i++)
    if (heat_column_feature (m, i) == feature)
      col = i;
  heat_layout (m, width, height, &L);
  *cell = (CsRect) { L.grid.x + col * L.cell_w, L.grid.y + cluster * L.cell_h, L.cell_w, L.cell_h };
  return TRUE;
}

gboolean
cs_render_saliency_heatmap_hit (const CsSaliencyModel *m,
                                double                 width,
                                double                 height,
                                double                 x,
                                double                 y,
                                guint                 *cluster,
                                guint                 *feature)
{
  HeatLayout L;
  double col;
  double row;

  g_return_val_if_fail (m != NULL, FALSE);

  if (m->k == 0 || m->d == 0)
    return FALSE;
  heat_layout (m, width, height, &L);
  col = floor ((x - L.grid.x) / L.cell_w);
  row = floor ((y - L.grid.y) / L.cell_h);
  if (!(col >= 0 && col < m->d && row >= 0 && row < m->k))
    return FALSE;
  if (cluster != NULL)
    *cluster = (guint) row;
  if (feature != NULL)
    *feature = heat_column_feature (m, (guint) col);
  return TRUE;
}

static void
draw_heat_cells (cairo_t               *cr,
                 const CsSaliencyModel *m,
                 const HeatLayout      *L)
{
  /* A hairline of paper between cells while they are big enough to spare it. */
  double gap_x = L->cell_w >= 8.0 ? 1.0 : 0.0;
  double gap_y = L->cell_h >= 8.0 ? 1.0 : 0.0;
  double value_font = MIN (10.0, L->cell_h * 0.45);
  gboolean values = L->cell_w >= 30.0 && L->cell_h >= 16.0;

  for (guint c = 0; c < m->k; c++)
    for (guint i = 0; i < m->d; i++)
      {
        guint f = heat_column_feature (m, i);
        double v = heat_value (m, c, f);
        double x = L->grid.x + i * L->cell_w;
        double y = L->grid.y + c * L->cell_h;

        cairo_rectangle (cr, x + gap_x / 2, y + gap_y / 2, L->cell_w - gap_x, L->cell_h - gap_y);
        if (!isfinite (v))
          {
            cairo_set_source_rgb (cr, 0.86, 0.87, 0.88);
            cairo_fill (cr);
            continue;
          }
        set_diverging (cr, v / L->vmax);
        cairo_fill (cr);
        if (values)
          {
            g_autofree char *t = cs_i_format_fixed (v, fabs (v) >= 9.95 ? 0 : 1);

            if (text_width (t, value_font, CS_STYLE_WEIGHT_NORMAL) > L->cell_w - 4.0)
              continue;
            if (fabs (v / L->vmax) > 0.55)
              cairo_set_source_rgb (cr, 1, 1, 1);
            else
              cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
            cs_i_text_draw (cr, t, value_font, CS_STYLE_WEIGHT_NORMAL, x + L->cell_w / 2,
                            y + L->cell_h / 2, 0.5, 0.5, 0.0);
          }
      }
}

static void
draw_heat_labels (cairo_t               *cr,
                  const CsSaliencyModel *m,
                  const HeatLayout      *L)
{
  double label_y = L->grid.y + L->grid.height + 5.0;

  for (guint c = 0; c < m->k; c++)
    {
      g_autofree char *name = g_strdup_printf ("Cluster %u", c + 1);
      double rgb[3];
      double cy = L->grid.y + (c + 0.5) * L->cell_h;
      double side = MIN (SWATCH, L->cell_h);
      double           w = text_width (name, L->row_font, CS_STYLE_WEIGHT_SEMIBOLD);
      double tx = L->grid.x - 8.0;

      if (L->cell_h < text_height (L->row_font) * 0.9
          && c % (guint) ceil (text_height (L->row_font) / L->cell_h) != 0)
        continue;
      cs_i_view_cluster_rgb (cr, m->color_slot, c, rgb);
      draw_swatch (cr, rgb, tx - w - SWATCH_GAP - side, cy - side / 2, side);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      cs_i_text_draw (cr, name, L->row_font, CS_STYLE_WEIGHT_SEMIBOLD, tx, cy, 1.0, 0.5, 0.0);
    }

  for (guint i = 0; i < m->d; i++)
    {
      guint f = heat_column_feature (m, i);
      double cx = L->grid.x + (i + 0.5) * L->cell_w;
      int              weight = (gint)f == m->highlight ? CS_STYLE_WEIGHT_SEMIBOLD : CS_STYLE_WEIGHT_NORMAL;
      double max_w = L->label_max_w;
      g_autofree char *fit = NULL;

      if (i % L->label_every != 0 && (gint) f != m->highlight)
        continue;
      if (L->label_angle == G_PI / 4)
        max_w = MIN (max_w, (cx - CS_STYLE_PAD) * G_SQRT2 - text_height (L->label_font));
      fit = ellipsize (m->feature_names[f], L->label_font, weight, max_w);
      if ((gint) f == m->highlight)
        cs_i_view_set_rgb (cr, CS_STYLE_RGB_TITLE);
      else
        cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      if (L->label_angle == 0.0)
        cs_i_text_draw (cr, fit, L->label_font, weight, cx, label_y, 0.5, 0.0, 0.0);
      else if (L->label_angle == G_PI / 4)
        /* Ends at the column, rising to the right: readable without turning the head. */
        cs_i_text_draw (cr, fit, L->label_font, weight, cx + 2.0, label_y, 1.0, 0.5, -G_PI / 4);
      else
        cs_i_text_draw (cr, fit, L->label_font, weight, cx, label_y, 1.0, 0.5, -G_PI / 2);
    }
}

void
cs_render_saliency_heatmap (cairo_t       *cr,
                            gconstpointer  model,
                            double         width,
                            double         height)
{
  const CsSaliencyModel *m = model;
  HeatLayout L;

  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  cs_i_view_clear (cr, width, height);
  if (m == NULL || m->k == 0 || m->d == 0)
    {
      cairo_restore (cr);
      return;
    }
  heat_layout (m, width, height, &L);
  if (L.title_h > 0)
    cs_i_view_draw_title (cr, m->title, CS_STYLE_PAD, width);
  draw_heat_cells (cr, m, &L);
  draw_heat_labels (cr, m, &L);

  if (m->highlight >= 0 && (guint) m->highlight < m->d)
    {
      guint col = 0;

      for (guint i = 0; i < m->d; i++)
        if (heat_column_feature (m, i) == (guint) m->highlight)
          col = i;
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_INK);
      cairo_set_line_width (cr, 2.0);
      cairo_rectangle (cr, L.grid.x + col * L.cell_w - 1.0, L.grid.y - 1.0, L.cell_w + 2.0, L.grid.height + 2.0);
      cairo_stroke (cr);
    }
  draw_colorbar (cr, &L.bar, L.vmax, heat_title (m), FALSE);
  cairo_restore (cr);
}

/* Images: model ------------------------------------------------------------------------------ */

CsSaliencyImagesModel *
cs_saliency_images_model_build (const CsDataset        *ds,
                                const CsPrepared       *prep,
                                const CsClustering     *c,
                                const CsSaliencyReport *r,
                                const int              *color_slot)
{
  g_autofree int *pixel_cols = NULL;
  g_autofree int *feature_of = NULL;
  g_autoptr (GHashTable) by_name = NULL;
  CsSaliencyImagesModel *m;
  gsize npix;
  gboolean any = FALSE;

  g_return_val_if_fail (ds != NULL && c != NULL && r != NULL, NULL);

  if (ds->image_rows == 0 || ds->image_cols == 0 || c->k == 0 || c->labels == NULL || r->k != c->k)
    return NULL;
  if (prep != NULL && prep->x->rows != c->n)
    return NULL;
  if (prep == NULL && c->n > ds->n_rows)
    return NULL;
  npix = (gsize) ds->image_rows * ds->image_cols;
  pixel_cols = g_new (int, npix);
  if (!cs_dataset_image_columns (ds, pixel_cols))
    return NULL;

  by_name = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint f = 0; f < r->d && r->feature_names != NULL && r->feature_names[f] != NULL; f++)
    g_hash_table_insert (by_name, r->feature_names[f], GUINT_TO_POINTER (f + 1));
  feature_of = g_new (int, npix);
  for (gsize p = 0; p < npix; p++)
    feature_of[p] = (int) GPOINTER_TO_UINT (g_hash_table_lookup (by_name, cs_dataset_column (ds, pixel_cols[p])->name))
                    - 1;

  m = g_new0 (CsSaliencyImagesModel, 1);
  g_atomic_ref_count_init (&m->ref);
  m->k = c->k;
  m->rows = ds->image_rows;
  m->cols = ds->image_cols;
  m->mean = g_new0 (double, c->k * npix);
  m->prototype = nan_doubles (c->k * npix);
  m->favourable = g_new (double, c->k * npix);
  m->unfavourable = g_new (double, c->k * npix);
  m->prototype_row = g_new (gssize, c->k);
  m->sizes = g_new0 (gsize, c->k);
  m->color_slot = g_new (int, c->k);
  for (guint j = 0; j < c->k; j++)
    {
      m->color_slot[j] = color_slot != NULL ? color_slot[j] : (int) j;
      m->prototype_row[j] = -1;
    }
  cs_clustering_sizes (c, m->sizes);
  for (guint j = 0; j < c->k; j++)
    m->n_labelled += m->sizes[j];

  cs_i_view_cluster_mean_images (ds, prep, c, pixel_cols, npix, m->mean);

  if (c->medoids != NULL)
    {
      m->medoids = TRUE;
      for (guint j = 0; j < c->k; j++)
        if (c->medoids[j] < c->n)
          m->prototype_row[j] = (gssize) (prep != NULL ? prep->rows[c->medoids[j]] : c->medoids[j]);
    }
  else
    {
      g_autofree double *best = g_new (double, c->k);

      for (guint j = 0; j < c->k; j++)
        best[j] = INFINITY;
      for (gsize i = 0; i < c->n; i++)
        {
          int j = c->labels[i];
          gsize row = prep != NULL ? prep->rows[i] : i;
          double d2 = 0.0;

          if (j < 0 || j >= (int) c->k)
            continue;
          for (gsize p = 0; p < npix; p++)
            {
              double v = cs_dataset_column (ds, pixel_cols[p])->values[row];
              double mu = m->mean[j * npix + p];
              if (!isnan (v) && !isnan (mu))
                d2 += (v - mu) * (v - mu);
            }
          if (d2 < best[j])
            {
              best[j] = d2;
              m->prototype_row[j] = (gssize) row;
            }
        }
    }
  for (guint j = 0; j < c->k; j++)
    if (m->prototype_row[j] >= 0)
      for (gsize p = 0; p < npix; p++)
        m->prototype[j * npix + p] = cs_dataset_column (ds, pixel_cols[p])->values[m->prototype_row[j]];

  {
    g_autoptr (GArray) mags = g_array_new (FALSE, FALSE, sizeof (double));
    double top = 0.0;

    for (guint j = 0; j < c->k; j++)
      for (gsize p = 0; p < npix; p++)
        {
          int f = feature_of[p];
          double fav = f >= 0 && r->favourable != NULL ? r->favourable[(gsize) j * r->d + f] : NAN;
          double unf = f >= 0 && r->unfavourable != NULL ? r->unfavourable[(gsize) j * r->d + f] : NAN;

          m->favourable[j * npix + p] = fav;
          m->unfavourable[j * npix + p] = unf;
          for (guint t = 0; t < 2; t++)
            {
              double a = fabs (t == 0 ? fav : unf);

              if (isfinite (a) && a > 0.0)
                g_array_append_val (mags, a);
            }
        }
    /* One scale for every cluster and both maps, saturating at the 98th percentile of the
     * non-zero magnitudes (nearest rank) as Captum's image attributions do: a few extreme
     * pixels would otherwise wash every other map out to near white. Below 50 values that is
     * the maximum itself. */
    if (mags->len > 0)
      {
        guint rank = (guint) ceil (0.98 * mags->len) - 1;

        g_array_sort (mags, cs_compare_doubles);
        m->map_max = g_array_index (mags, double, rank);
        top = g_array_index (mags, double, mags->len - 1);
      }
    m->map_clipped = top > m->map_max;
    if (!(m->map_max > 0))
      m->map_max = 1.0;
  }

  m->vmin = 0.0;
  m->vmax = -INFINITY;
  for (gsize q = 0; q < c->k * npix; q++)
    {
      if (isfinite (m->mean[q]))
        {
          m->vmin = MIN (m->vmin, m->mean[q]);
          m->vmax = MAX (m->vmax, m->mean[q]);
          any = TRUE;
        }
      if (isfinite (m->prototype[q]))
        {
          m->vmin = MIN (m->vmin, m->prototype[q]);
          m->vmax = MAX (m->vmax, m->prototype[q]);
          any = TRUE;
        }
    }
  if (!any || m->vmax <= m->vmin)
    m->vmax = m->vmin + 1.0;
  return m;
}

CsSaliencyImagesModel *
cs_saliency_images_model_ref (CsSaliencyImagesModel *m)
{
  g_return_val_if_fail (m != NULL, NULL);

  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_saliency_images_model_unref (CsSaliencyImagesModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  g_free (m->mean);
  g_free (m->prototype);
  g_free (m->favourable);
  g_free (m->unfavourable);
  g_free (m->prototype_row);
  g_free (m->sizes);
  g_free (m->color_slot);
  g_free (m->title);
  g_free (m);
}

/* Images: layout ----------------------------------------------------------------------------- */

static const char *const image_headers[CS_SALIENCY_IMAGE_N] = {
  "Mean",
  "Prototype",
  "Favourable",
  "Unfavourable",
};

#define MAP_TITLE "Mean Shapley value per pixel"
#define MAP_TITLE_CLIPPED "Mean Shapley value (clipped)"

/* Two arrangements, whichever gives the larger images: one row per cluster (a caption left
 * of its four images, in one or two groups side by side; best for few clusters), or one
 * column per cluster (a small table header above: cluster number, rows, share, prototype
 * row; the four kinds of image down the rows, named on the left; best for many clusters,
 * as a row per cluster leaves them a strip of thumbnails with wide margins). */
typedef struct
{
  double   title_h;
  gboolean by_column;
  guint    groups;      /* side-by-side groups of rows, or bands of columns one above another */
  guint    per_group;   /* clusters in each group */
  double   img_w;
  double   img_h;
  double   caption_w;   /* by row: strip + caption text, left of the images */
  double   font;        /* caption size */
  double   line_h;
  double   head_font;   /* image kind names */
  double   head_h;      /* by row: the header line above the images */
  double   row_head_w;  /* by column: the names' column, left of the images */
  double   table_h;     /* by column: the table header above each band */
  guint    table_lines;
  double   band_h;      /* by column: one band, table header and images */
  double   group_w;
  double   x0;          /* first group's left edge (by column: the first image column's) */
  double   y0;          /* first image row's top (by column: the first band's table header) */
  CsRect   bar;
} ImgLayout;

static char *
image_caption_name (guint j)
{
  return g_strdup_printf ("Cluster %u", j + 1);
}

static char *
image_caption_proto (const CsSaliencyImagesModel *m,
                     guint                        j)
{
  g_autofree char *row = NULL;

  if (m->prototype_row[j] < 0)
    return g_strdup ("");
  /* Rows are counted from one, as in the scatter plot's tooltips. */
  row = cs_i_format_count ((guint64)m->prototype_row[j] + 1);
  return g_strdup_printf ("%s row %s", m->medoids ? "medoid" : "prototype", row);
}

static const char *
image_kind_name (const CsSaliencyImagesModel *m, CsSaliencyImage which)
{
  if (which == CS_SALIENCY_IMAGE_PROTOTYPE && m->medoids)
    return "Medoid";
  return image_headers[which];
}

static gboolean
any_prototype (const CsSaliencyImagesModel *m)
{
  for (guint j = 0; j < m->k; j++)
    if (m->prototype_row[j] >= 0)
      return TRUE;
  return FALSE;
}

/* By column, the table header's lines: "Cluster", "Rows", "Share" and, when there are
 * prototypes, "Prototype row" / "Medoid row"; line i's cell text for cluster j. */
static char *
table_cell (const CsSaliencyImagesModel *m, guint line, guint j)
{
  switch (line)
    {
    case 0:
      return g_strdup_printf ("%u", j + 1);
    case 1:
      return cs_i_format_count (m->sizes[j]);
    case 2:
      {
        g_autofree char *pct = format_percent (m->n_labelled > 0 ? (double)m->sizes[j] / m->n_labelled : NAN);
        return *pct != '\0' ? g_strdup_printf ("%s %%", pct) : g_strdup ("");
      }
    default:
      return m->prototype_row[j] >= 0 ? cs_i_format_count ((guint64)m->prototype_row[j] + 1) : g_strdup ("");
    }
}

static const char *
table_name (const CsSaliencyImagesModel *m, guint line)
{
  static const char *const names[] = { "Cluster", "Rows", "Share" };

  if (line < G_N_ELEMENTS (names))
    return names[line];
  return m->medoids ? "Medoid row" : "Prototype row";
}

static double
images_offset (CsSaliencyImage which,
               double          img_w)
{
  double x = which * (img_w + IMG_GAP);

  if (which >= CS_SALIENCY_IMAGE_FAVOURABLE)
    x += PAIR_GAP - IMG_GAP;
  return x;
}

/* One row per cluster: the image side for `groups` groups side by side. */
static double
rows_side (const CsSaliencyImagesModel *m,
           double                       avail_w,
           double                       avail_h,
           double                       caption_w,
           guint                        groups,
           guint                       *per)
{
  double aspect = (double)m->rows / (double)m->cols;
  double inner_w;
  double side_h;

  *per = (m->k + groups - 1) / groups;
  inner_w = (avail_w - (groups - 1) * GROUP_GAP) / groups - caption_w - 3 * IMG_GAP - (PAIR_GAP - IMG_GAP);
  side_h = (avail_h - (*per - 1) * ROW_GAP) / *per / aspect;
  return MIN (MIN (inner_w / 4.0, side_h), IMG_MAX_SIDE);
}

/* One column per cluster: the image side for `bands` bands one above another. */
static double
columns_side (const CsSaliencyImagesModel *m,
              double                       avail_w,
              double                       avail_h,
              double                       row_head_w,
              double                       table_h,
              guint                        bands,
              guint                       *per)
{
  double aspect = (double)m->rows / (double)m->cols;
  double side_w;
  double side_h;

  *per = (m->k + bands - 1) / bands;
  side_w = (avail_w - row_head_w) / *per - IMG_GAP;
  side_h = (avail_h - (bands - 1) * GROUP_GAP - bands * (table_h + 3 * IMG_GAP + PAIR_GAP - IMG_GAP))
           / (4.0 * bands) / aspect;
  return MIN (MIN (side_w, side_h), IMG_MAX_SIDE);
}

static void
images_layout (const CsSaliencyImagesModel *m,
               double                       width,
               double                       height,
               ImgLayout                   *L)
{
  double aspect = (double) m->rows / (double) m->cols;
  double caption_text = 0.0;
  double top;
  double avail_w;
  double avail_h;
  double bar_block;
  double small_h = text_height (CS_STYLE_SMALL_SIZE);
  double best_rows = -INFINITY;
  double best_cols = -INFINITY;
  guint  rows_groups = 1;
  guint  rows_per = m->k;
  guint  cols_bands = 1;
  guint  cols_per = m->k;
  double head_need;
  double row_head_w = 0.0;
  double cell_text = 0.0;
  double table_h;
  double grid_h;
  double bar_title_w;
  double bar_h;

  memset (L, 0, sizeof *L);
  if (m->title != NULL && m->title[0] != '\0')
    L->title_h = text_height (CS_STYLE_TITLE_SIZE);
  top = CS_STYLE_PAD + (L->title_h > 0 ? L->title_h + 12.0 : 0.0);
  for (guint j = 0; j < m->k; j++)
    {
      g_autofree char *name = image_caption_name (j);
      g_autofree char *size = size_text (m->sizes[j], m->n_labelled);
      g_autofree char *proto = image_caption_proto (m, j);

      caption_text = MAX (caption_text, text_width (name, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD));
      caption_text = MAX (caption_text, text_width (size, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL));
      caption_text = MAX (caption_text, text_width (proto, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL));
    }
  bar_title_w = text_width (m->map_clipped ? MAP_TITLE_CLIPPED : MAP_TITLE, CS_STYLE_LABEL_SIZE,
                            CS_STYLE_WEIGHT_NORMAL);
  bar_block = CS_STYLE_COLORBAR_GAP
              + colorbar_block_width (m->map_max, m->map_clipped ? MAP_TITLE_CLIPPED : MAP_TITLE);
  avail_w = width - 2.0 * CS_STYLE_PAD - bar_block;
  L->head_font = CS_STYLE_SMALL_SIZE;
  L->head_h = small_h + 6.0;
  avail_h = height - top - CS_STYLE_PAD;

  /* By row: one group of rows, or two side by side. A second group has to earn its place:
   * the captions it repeats cost width. The image kinds' names head the columns, so an
   * image narrower than the longest name would shrink them: that arrangement then loses
   * to the other. */
  for (guint groups = 1; groups <= MIN (2u, m->k); groups++)
    {
      guint  per;
      double side = rows_side (m, avail_w, avail_h - L->head_h, caption_text + 22.0, groups, &per);

      if (side > best_rows * (groups > 1 ? 1.08 : 1.0))
        {
          best_rows = side;
          rows_groups = groups;
          rows_per = per;
        }
    }
  head_need = 0.0;
  for (guint w = 0; w < CS_SALIENCY_IMAGE_N; w++)
    head_need = MAX (head_need, text_width (image_kind_name (m, (CsSaliencyImage)w), CS_STYLE_SMALL_SIZE,
                                            CS_STYLE_WEIGHT_SEMIBOLD));

  /* By column: the names on the left, the table header above each band. */
  L->table_lines = any_prototype (m) ? 4 : 3;
  for (guint line = 0; line < L->table_lines; line++)
    {
      row_head_w
          = MAX (row_head_w, text_width (table_name (m, line), CS_STYLE_SMALL_SIZE,
                                         line == 0 ? CS_STYLE_WEIGHT_SEMIBOLD : CS_STYLE_WEIGHT_NORMAL));
      for (guint j = 0; j < m->k; j++)
        {
          g_autofree char *t = table_cell (m, line, j);
          cell_text
              = MAX (cell_text, text_width (t, CS_STYLE_SMALL_SIZE,
                                            line == 0 ? CS_STYLE_WEIGHT_SEMIBOLD : CS_STYLE_WEIGHT_NORMAL));
        }
    }
  row_head_w = MAX (row_head_w, head_need) + 10.0;
  table_h = 6.0 + L->table_lines * small_h + 6.0;
  for (guint bands = 1; bands <= MIN (3u, m->k); bands++)
    {
      guint  per;
      double side = columns_side (m, avail_w, avail_h, row_head_w, table_h, bands, &per);

      /* Table cells narrower than their numbers would need smaller text: not an option. */
      if (side + IMG_GAP < cell_text + 4.0)
        side = MIN (side, 0.5 * side);
      if (side > best_cols * (bands > 1 ? 1.08 : 1.0))
        {
          best_cols = side;
          cols_bands = bands;
          cols_per = per;
        }
    }

  /* By row is the familiar reading (a cluster, then its pictures): it keeps the place
   * unless the columns give clearly larger images, or its headers would not fit. */
  if (best_rows + IMG_GAP - 8.0 < head_need)
    best_rows = MIN (best_rows, 0.8 * best_rows);
  L->by_column = best_cols > 1.15 * best_rows;

  if (L->by_column)
    {
      L->groups = cols_bands;
      L->per_group = cols_per;
      L->img_w = MAX (1.0, floor (best_cols));
      L->img_h = MAX (1.0, floor (best_cols * aspect));
      L->font = CS_STYLE_SMALL_SIZE;
      L->line_h = small_h;
      L->row_head_w = row_head_w;
      L->table_h = table_h;
      L->band_h = table_h + 4.0 * L->img_h + 3 * IMG_GAP + (PAIR_GAP - IMG_GAP);
      L->group_w = L->per_group * (L->img_w + IMG_GAP) - IMG_GAP;
      grid_h = L->groups * L->band_h + (L->groups - 1) * GROUP_GAP;
      L->x0 = round (MAX (CS_STYLE_PAD, (width - (row_head_w + L->group_w + bar_block)) / 2.0) + row_head_w);
      L->y0 = round (top + MAX (0.0, (avail_h - grid_h) / 2.0));
      bar_h = MIN (grid_h - table_h, MAX (L->img_h * 3.0, 120.0));
      bar_h = MAX (bar_h, MIN (bar_title_w - 36.0, avail_h));
      L->bar = (CsRect){ L->x0 + L->group_w + CS_STYLE_COLORBAR_GAP,
                         round (MAX (top, L->y0 + table_h + (grid_h - table_h - bar_h) / 2.0)),
                         CS_STYLE_COLORBAR_WIDTH, MAX (1.0, bar_h) };
      return;
    }

  L->groups = rows_groups;
  L->per_group = rows_per;
  L->img_w = MAX (1.0, floor (best_rows));
  L->img_h = MAX (1.0, floor (best_rows * aspect));

  /* Captions: three lines at full size, fewer or smaller when a row is short. */
  L->font = CS_STYLE_SMALL_SIZE;
  L->line_h = small_h;
  if (3.0 * L->line_h > L->img_h)
    {
      L->font = MAX (CS_STYLE_MIN_TEXT_SIZE, CS_STYLE_SMALL_SIZE * L->img_h / (2.0 * small_h));
      L->line_h = small_h * L->font / CS_STYLE_SMALL_SIZE;
    }
  L->caption_w = (caption_text * L->font / CS_STYLE_SMALL_SIZE) + 4.0 + 8.0 + 10.0;
  {
    /* Measured as drawn (semibold), with room left between neighbouring headers. */
    double room = L->img_w + IMG_GAP - 8.0;

    if (head_need > room)
      L->head_font = MAX (CS_STYLE_MIN_TEXT_SIZE, L->head_font * room / head_need);
  }

  L->group_w = L->caption_w + images_offset (CS_SALIENCY_IMAGE_UNFAVOURABLE, L->img_w) + L->img_w;
  {
    double total_w = L->groups * L->group_w + (L->groups - 1) * GROUP_GAP + bar_block;

    grid_h = L->per_group * L->img_h + (L->per_group - 1) * ROW_GAP;
    bar_h = MIN (grid_h, MAX (L->img_h * 3.0, 120.0));
    bar_h = MAX (bar_h, MIN (bar_title_w - 36.0, avail_h - L->head_h));
    L->x0 = round (MAX (CS_STYLE_PAD, (width - total_w) / 2.0));
    L->y0 = round (top + L->head_h + MAX (0.0, (avail_h - L->head_h - grid_h) / 2.0));
    L->bar = (CsRect){ L->x0 + L->groups * L->group_w + (L->groups - 1) * GROUP_GAP + CS_STYLE_COLORBAR_GAP,
                       round (MAX (top, L->y0 + (grid_h - bar_h) / 2.0)), CS_STYLE_COLORBAR_WIDTH,
                       MAX (1.0, bar_h) };
  }
}

static void
images_rect (const ImgLayout *L,
             guint            j,
             CsSaliencyImage  which,
             CsRect          *r)
{
  guint g = j / L->per_group;
  guint pos = j % L->per_group;

  if (L->by_column)
    {
      double y = L->y0 + g * (L->band_h + GROUP_GAP) + L->table_h + images_offset (which, L->img_h);

      r->x = round (L->x0 + pos * (L->img_w + IMG_GAP));
      r->y = round (y);
    }
  else
    {
      double gx = L->x0 + g * (L->group_w + GROUP_GAP);

      r->x = round (gx + L->caption_w + images_offset (which, L->img_w));
      r->y = round (L->y0 + pos * (L->img_h + ROW_GAP));
    }
  r->width = L->img_w;
  r->height = L->img_h;
}

gboolean
cs_render_saliency_images_cell (const CsSaliencyImagesModel *m,
                                double                       width,
                                double                       height,
                                guint                        j,
                                CsSaliencyImage              which,
                                CsRect                      *image)
{
  ImgLayout L;

  g_return_val_if_fail (m != NULL && image != NULL, FALSE);

  if (j >= m->k || which >= CS_SALIENCY_IMAGE_N)
    return FALSE;
  images_layout (m, width, height, &L);
  images_rect (&L, j, which, image);
  return TRUE;
}

/* Images: drawing ---------------------------------------------------------------------------- */

static double
grey_t (const CsSaliencyImagesModel *m,
        double                       v)
{
  return CLAMP ((v - m->vmin) / (m->vmax - m->vmin), 0.0, 1.0);
}

static guint32
image_pixel (const CsSaliencyImagesModel *m,
             CsSaliencyImage              which,
             gsize                        q)
{
  double rgb[3];

  if (which == CS_SALIENCY_IMAGE_MEAN || which == CS_SALIENCY_IMAGE_PROTOTYPE)
    {
      double v = which == CS_SALIENCY_IMAGE_MEAN ? m->mean[q] : m->prototype[q];

      return cs_i_view_grey_pixel (v, m->vmin, m->vmax);
    }
  else
    {
      double v = which == CS_SALIENCY_IMAGE_FAVOURABLE ? m->favourable[q] : m->unfavourable[q];
      /* A faint copy of the mean, so the map sits on the shape it explains. */
      double base = isfinite (m->mean[q]) ? 1.0 - 0.25 * grey_t (m, m->mean[q]) : 0.94;

      if (!isfinite (v))
        rgb[0] = rgb[1] = rgb[2] = base;
      else
        map_rgb (v / m->map_max, base, rgb);
    }
  return cs_i_view_pack_rgb (rgb);
}

static void
draw_map_image (cairo_t                     *cr,
                const CsSaliencyImagesModel *m,
                guint                        j,
                CsSaliencyImage              which,
                const CsRect                *r)
{
  gsize npix = (gsize) m->rows * m->cols;
  g_autofree guint32 *argb = g_new (guint32, npix);

  for (gsize q = 0; q < npix; q++)
    argb[q] = image_pixel (m, which, j * npix + q);
  cs_i_view_draw_pixels (cr, m->rows, m->cols, argb, r);
  cairo_save (cr);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_FRAME);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, r->x - 0.5, r->y - 0.5, r->width + 1.0, r->height + 1.0);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_images_by_row (cairo_t *cr, const CsSaliencyImagesModel *m, const ImgLayout *L)
{
  for (guint g = 0; g < L->groups; g++)
    for (guint w = 0; w < CS_SALIENCY_IMAGE_N; w++)
      {
        CsRect r;
        g_autofree char *fit = NULL;

        if (g * L->per_group >= m->k)
          continue;
        images_rect (L, g * L->per_group, (CsSaliencyImage)w, &r);
        fit = ellipsize (image_kind_name (m, (CsSaliencyImage)w), L->head_font, CS_STYLE_WEIGHT_SEMIBOLD,
                         r.width + PAIR_GAP);
        cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
        cs_i_text_draw (cr, fit, L->head_font, CS_STYLE_WEIGHT_SEMIBOLD, r.x + r.width / 2, r.y - 6.0, 0.5,
                        1.0, 0.0);
      }

  for (guint j = 0; j < m->k; j++)
    {
      g_autofree char *name = image_caption_name (j);
      g_autofree char *size = size_text (m->sizes[j], m->n_labelled);
      g_autofree char *proto = image_caption_proto (m, j);
      double rgb[3];
      CsRect r;
      double cx;
      guint            lines = L->img_h >= 3.0 * L->line_h ? 3 : (L->img_h >= 2.0 * L->line_h ? 2 : 1);
      double ty;

      images_rect (L, j, CS_SALIENCY_IMAGE_MEAN, &r);
      cx = r.x - L->caption_w;
      cs_i_view_cluster_rgb (cr, m->color_slot, j, rgb);
      cairo_rectangle (cr, cx, r.y, 4.0, r.height);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_fill (cr);

      ty = r.y + (r.height - lines * L->line_h) / 2.0;
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TITLE);
      cs_i_text_draw (cr, name, L->font, CS_STYLE_WEIGHT_SEMIBOLD, cx + 12.0, ty, 0.0, 0.0, 0.0);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      if (lines >= 2)
        cs_i_text_draw (cr, size, L->font, CS_STYLE_WEIGHT_NORMAL, cx + 12.0, ty + L->line_h, 0.0, 0.0, 0.0);
      if (lines >= 3)
        cs_i_text_draw (cr, proto, L->font, CS_STYLE_WEIGHT_NORMAL, cx + 12.0, ty + 2.0 * L->line_h, 0.0, 0.0,
                        0.0);
    }
}

static void
draw_images_by_column (cairo_t *cr, const CsSaliencyImagesModel *m, const ImgLayout *L)
{
  double name_x = L->x0 - 10.0;

  for (guint g = 0; g * L->per_group < m->k; g++)
    {
      double band_y = L->y0 + g * (L->band_h + GROUP_GAP);

      /* The table header: names on the left, one cell per cluster, a strip in its colour. */
      for (guint line = 0; line < L->table_lines; line++)
        {
          int    weight = line == 0 ? CS_STYLE_WEIGHT_SEMIBOLD : CS_STYLE_WEIGHT_NORMAL;
          double y = band_y + 6.0 + line * L->line_h;

          cs_i_view_set_rgb (cr, line == 0 ? CS_STYLE_RGB_TITLE : CS_STYLE_RGB_TICK);
          cs_i_text_draw (cr, table_name (m, line), CS_STYLE_SMALL_SIZE, weight, name_x, y, 1.0, 0.0, 0.0);
          for (guint j = g * L->per_group; j < MIN (m->k, (g + 1) * L->per_group); j++)
            {
              g_autofree char *t = table_cell (m, line, j);
              CsRect           r;

              images_rect (L, j, CS_SALIENCY_IMAGE_MEAN, &r);
              cs_i_view_set_rgb (cr, line == 0 ? CS_STYLE_RGB_TITLE : CS_STYLE_RGB_TICK);
              cs_i_text_draw (cr, t, CS_STYLE_SMALL_SIZE, weight, r.x + r.width / 2, y, 0.5, 0.0, 0.0);
            }
        }
      for (guint j = g * L->per_group; j < MIN (m->k, (g + 1) * L->per_group); j++)
        {
          double rgb[3];
          CsRect r;

          images_rect (L, j, CS_SALIENCY_IMAGE_MEAN, &r);
          cs_i_view_cluster_rgb (cr, m->color_slot, j, rgb);
          cairo_rectangle (cr, r.x, band_y, r.width, 4.0);
          cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
          cairo_fill (cr);
        }
      /* The image kinds, level with their row of images. */
      for (guint w = 0; w < CS_SALIENCY_IMAGE_N; w++)
        {
          CsRect r;

          images_rect (L, g * L->per_group, (CsSaliencyImage)w, &r);
          cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
          cs_i_text_draw (cr, image_kind_name (m, (CsSaliencyImage)w), CS_STYLE_SMALL_SIZE,
                          CS_STYLE_WEIGHT_SEMIBOLD, name_x, r.y + r.height / 2, 1.0, 0.5, 0.0);
        }
    }
}

void
cs_render_saliency_images (cairo_t *cr, gconstpointer model, double width, double height)
{
  const CsSaliencyImagesModel *m = model;
  ImgLayout                    L;

  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  cs_i_view_clear (cr, width, height);
  if (m == NULL || m->k == 0)
    {
      cairo_restore (cr);
      return;
    }
  images_layout (m, width, height, &L);
  if (L.title_h > 0)
    cs_i_view_draw_title (cr, m->title, CS_STYLE_PAD, width);
  if (L.by_column)
    draw_images_by_column (cr, m, &L);
  else
    draw_images_by_row (cr, m, &L);
  for (guint j = 0; j < m->k; j++)
    for (guint w = 0; w < CS_SALIENCY_IMAGE_N; w++)
      {
        CsRect r;

        images_rect (&L, j, (CsSaliencyImage)w, &r);
        draw_map_image (cr, m, j, (CsSaliencyImage)w, &r);
      }
  draw_colorbar (cr, &L.bar, m->map_max, m->map_clipped ? MAP_TITLE_CLIPPED : MAP_TITLE, TRUE);
  cairo_restore (cr);
}
