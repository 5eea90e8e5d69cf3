#include "ui/render/cs-render-diagnostics.h"

#include <math.h>
#include <string.h>

#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-views-private.h"

/* Soft enough that curves and grid read on top of them, distinct enough in grey print. */
static const double regime_fill[3][3] = {
  [CS_KDE_REGIME_CONDENSED] = { 0.984, 0.890, 0.878 },
  [CS_KDE_REGIME_HEAVY_TAILED] = { 0.992, 0.953, 0.839 },
  [CS_KDE_REGIME_CLT] = { 0.875, 0.937, 0.976 },
};
static const double regime_ink[3][3] = {
  [CS_KDE_REGIME_CONDENSED] = { 0.62, 0.20, 0.18 },
  [CS_KDE_REGIME_HEAVY_TAILED] = { 0.52, 0.38, 0.04 },
  [CS_KDE_REGIME_CLT] = { 0.13, 0.38, 0.58 },
};
static const char *const regime_label[3] = {
  [CS_KDE_REGIME_CONDENSED] = "extreme-value",
  [CS_KDE_REGIME_HEAVY_TAILED] = "heavy-tailed",
  [CS_KDE_REGIME_CLT] = "CLT",
};

void
cs_render_diagnostics_regime_rgb (CsKdeRegime regime,
                                  double      rgb[3])
{
  g_return_if_fail ((guint) regime < 3);
  memcpy (rgb, regime_fill[regime], 3 * sizeof (double));
}

CsDiagnosticsModel *
cs_diagnostics_model_new (CsKdeDiagnostics *diag,
                          double            current_h)
{
  CsDiagnosticsModel *m;

  g_return_val_if_fail (diag != NULL, NULL);

  m = g_new0 (CsDiagnosticsModel, 1);
  g_atomic_ref_count_init (&m->ref);
  m->diag = cs_kde_diagnostics_ref (diag);
  m->current_h = current_h;
  return m;
}

CsDiagnosticsModel *
cs_diagnostics_model_ref (CsDiagnosticsModel *m)
{
  g_return_val_if_fail (m != NULL, NULL);

  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_diagnostics_model_unref (CsDiagnosticsModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  cs_kde_diagnostics_unref (m->diag);
  g_free (m->title);
  g_free (m);
}

/* Layout --------------------------------------------------------------------------------- */

typedef struct
{
  CsRect top;
  CsRect bottom;
  double lx_lo, lx_hi; /* log10 h */
  double y_lo, y_hi;   /* log-likelihood */
  double ly_lo, ly_hi; /* log10 n_eff */
  double xticks[CS_STYLE_MAX_TICKS];
  guint  n_xticks;
  double yticks[CS_STYLE_MAX_TICKS];
  guint  n_yticks;
  double ystep;
  double nticks[CS_STYLE_MAX_TICKS];
  guint  n_nticks;
  double tick_h;
  double label_h;
  double title_h;
  double small_h;
  char  *title;
  char  *subtitle;
  double canvas_w;
} Layout;

static void
layout_clear (Layout *L)
{
  g_free (L->title);
  g_free (L->subtitle);
}

/* Ticks for a log axis over [lo, hi] (log10): decades when there are enough of them, else
 * 1-2-5 steps, else every integer multiple. Values, not logs. */
static guint
log_ticks (double  lo,
           double  hi,
           guint   want,
           double *ticks,
           guint   max_ticks)
{
  static const double sets[3][9] = { { 1 }, { 1, 2, 5 }, { 1, 2, 3, 4, 5, 6, 7, 8, 9 } };
  static const guint set_len[3] = { 1, 3, 9 };
  guint n = 0;

  for (guint s = 0; s < 3; s++)
    {
      n = 0;
      for (int e = (int) floor (lo) - 1; e <= (int) ceil (hi) && n < max_ticks; e++)
        for (guint i = 0; i < set_len[s] && n < max_ticks; i++)
          {
            double v = sets[s][i] * pow (10.0, e);
            double lv = log10 (v);
            if (lv >= lo - 1e-9 && lv <= hi + 1e-9)
              ticks[n++] = v;
          }
      if (n >= want)
        return n;
    }
  return n;
}

static char *
format_log_tick (double v)
{
  double step = pow (10.0, floor (log10 (v) + 1e-9));
  return cs_i_format_tick (v, MIN (step, 1.0));
}

static void
diag_layout (const CsDiagnosticsModel *m,
             double                    width,
             double                    height,
             Layout                   *L)
{
  const CsKdeDiagnostics *d = m->diag;
  double ll_max = -INFINITY;
  double ll_min = INFINITY;
  double n_max = 1.0;
  double n_min = 1.0;
  double ytick_w = 0.0;
  double ylabel_w;
  double top;
  double bottom;
  double avail;
  double gap = 14.0;
  g_autofree char *count = cs_i_format_count (d->n);
  g_autofree char *qcount = cs_i_format_count (d->n_queries);

  memset (L, 0, sizeof *L);
  L->canvas_w = width;
  L->title = m->title != NULL ? g_strdup (m->title)
                              : g_strdup_printf ("Kernel density in %" G_GSIZE_FORMAT " dimensions: regimes by bandwidth",
                                                 d->d);
  L->subtitle = g_strdup_printf ("n = %s · α = log n / d = %.3g · leave-one-out over %s%s points%s", count, d->alpha,
                                 d->sampled ? "" : "all ", qcount, d->sampled ? " (seeded sample)" : "");
  {
    /* The note on where the shading comes from, when the canvas has room for it. */
    g_autofree char *longer = g_strdup_printf ("%s · shading: Biroli–Mézard thresholds for Gaussian data with this "
                                               "covariance · squares: measured n_eff crossings", L->subtitle);
    double w;
    cs_i_text_extents (longer, CS_STYLE_SMALL_SIZE - 1.0, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
    if (w < width - 2.0 * CS_STYLE_PAD - 80.0)
      {
        g_free (L->subtitle);
        L->subtitle = g_steal_pointer (&longer);
      }
  }

  L->lx_lo = log10 (d->h[0]);
  L->lx_hi = log10 (d->h[d->n_h - 1]);

  for (guint k = 0; k < d->n_h; k++)
    {
      if (isfinite (d->loo_ll[k]))
        {
          ll_max = MAX (ll_max, d->loo_ll[k]);
          ll_min = MIN (ll_min, d->loo_ll[k]);
        }
      if (isfinite (d->n_eff[k]))
        {
          n_max = MAX (n_max, d->n_eff[k]);
          n_min = MIN (n_min, d->n_eff[k]);
        }
    }
  if (!isfinite (ll_max))
    ll_max = 0.0, ll_min = -1.0;
  {
    /* Towards h → 0 the likelihood dives without bound; show the peak and its shoulders, and
     * let the dive leave through the bottom. */
    double right = isfinite (d->loo_ll[d->n_h - 1]) ? d->loo_ll[d->n_h - 1] : ll_min;
    double span = MAX (ll_max - right, 1e-3 * MAX (1.0, fabs (ll_max)));
    L->y_lo = MAX (ll_min, ll_max - 3.0 * span);
    if (ll_max - L->y_lo < 1e-9)
      L->y_lo = ll_max - 1.0;
    /* Headroom for the regime names and the current-h label above the peak. */
    L->y_hi = ll_max + 0.45 * (ll_max - L->y_lo);
    L->y_lo -= 0.06 * (ll_max - L->y_lo);
  }
  L->ly_lo = log10 (MIN (1.0, n_min)) - 0.08;
  L->ly_hi = log10 (MAX ((double) (d->n - 1), n_max)) + 0.18;

  cs_i_text_extents ("0", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->tick_h);
  cs_i_text_extents ("Ag", CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->label_h);
  cs_i_text_extents (L->title, CS_STYLE_TITLE_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, NULL, &L->title_h);
  cs_i_text_extents ("Ag", CS_STYLE_SMALL_SIZE - 1.0, CS_STYLE_WEIGHT_NORMAL, NULL, &L->small_h);

  top = CS_STYLE_PAD + L->title_h + 4.0 + L->small_h + 10.0;
  bottom = CS_STYLE_TICK_GAP + L->tick_h + 6.0 + L->label_h + CS_STYLE_PAD * 0.85;
  avail = MAX (2.0, height - top - bottom - gap);

  L->top.y = round (top);
  L->top.height = floor (avail * 0.55);
  L->bottom.y = round (L->top.y + L->top.height + gap);
  L->bottom.height = MAX (1.0, floor (avail - L->top.height));

  L->n_yticks = cs_nice_ticks (L->y_lo, L->y_hi, (guint)CLAMP (L->top.height / 45.0, 2.0, 8.0), L->yticks,
                               CS_STYLE_MAX_TICKS);
  L->ystep = L->n_yticks >= 2 ? L->yticks[1] - L->yticks[0] : 1.0;
  L->n_nticks = log_ticks (L->ly_lo, L->ly_hi, 2, L->nticks, CS_STYLE_MAX_TICKS);
  for (guint i = 0; i < L->n_yticks; i++)
    {
      g_autofree char *t = cs_i_format_tick (L->yticks[i], L->ystep);
      double w;
      cs_i_text_extents (t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
      ytick_w = MAX (ytick_w, w);
    }
  for (guint i = 0; i < L->n_nticks; i++)
    {
      g_autofree char *t = format_log_tick (L->nticks[i]);
      double w;
      cs_i_text_extents (t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
      ytick_w = MAX (ytick_w, w);
    }
  ylabel_w = L->label_h + 8.0;
  L->top.x = L->bottom.x = round (CS_STYLE_PAD + ylabel_w + ytick_w + CS_STYLE_TICK_GAP);
  L->top.width = L->bottom.width = MAX (1.0, floor (width - L->top.x - CS_STYLE_PAD - 10.0));

  L->n_xticks = log_ticks (L->lx_lo, L->lx_hi, 3, L->xticks, CS_STYLE_MAX_TICKS);
  /* Nine ticks a decade crowd a narrow axis: keep every other one. */
  if ((double) L->n_xticks * 38.0 > L->top.width)
    {
      guint out = 0;
      for (guint i = 0; i < L->n_xticks; i += 2)
        L->xticks[out++] = L->xticks[i];
      L->n_xticks = out;
    }
}

static double
x_of (const Layout *L,
      const CsRect *f,
      double        h)
{
  return f->x + (log10 (h) - L->lx_lo) / (L->lx_hi - L->lx_lo) * f->width;
}

static double
y_ll (const Layout *L,
      double        v)
{
  return L->top.y + (L->y_hi - v) / (L->y_hi - L->y_lo) * L->top.height;
}

static double
y_neff (const Layout *L,
        double        v)
{
  return L->bottom.y + (L->ly_hi - log10 (v)) / (L->ly_hi - L->ly_lo) * L->bottom.height;
}

void
cs_render_diagnostics_layout (const CsDiagnosticsModel *m,
                              double                    width,
                              double                    height,
                              CsRect                   *loo_frame,
                              CsRect                   *neff_frame)
{
  Layout L;

  g_return_if_fail (m != NULL);

  diag_layout (m, width, height, &L);
  if (loo_frame != NULL)
    *loo_frame = L.top;
  if (neff_frame != NULL)
    *neff_frame = L.bottom;
  layout_clear (&L);
}

double
cs_render_diagnostics_x (const CsDiagnosticsModel *m,
                         const CsRect             *frame,
                         double                    h)
{
  const CsKdeDiagnostics *d = m->diag;
  double lo = log10 (d->h[0]);
  double hi = log10 (d->h[d->n_h - 1]);

  return frame->x + (log10 (h) - lo) / (hi - lo) * frame->width;
}

/* Drawing -------------------------------------------------------------------------------- */

static void
regime_span (const CsKdeDiagnostics *d,
             CsKdeRegime             r,
             double                 *lo,
             double                 *hi)
{
  double a = d->h[0];
  double b = d->h[d->n_h - 1];

  switch (r)
    {
    case CS_KDE_REGIME_CONDENSED:
      *lo = a;
      *hi = MIN (b, d->h_g);
      break;
    case CS_KDE_REGIME_HEAVY_TAILED:
      *lo = MAX (a, d->h_g);
      *hi = MIN (b, d->h_clt);
      break;
    case CS_KDE_REGIME_CLT:
    default:
      *lo = MAX (a, d->h_clt);
      *hi = b;
      break;
    }
}

static void
draw_panel_back (cairo_t                *cr,
                 const CsKdeDiagnostics *d,
                 const Layout           *L,
                 const CsRect           *f)
{
  for (guint r = 0; r < 3; r++)
    {
      double lo;
      double hi;

      regime_span (d, r, &lo, &hi);
      if (!(hi > lo))
        continue;
      cairo_rectangle (cr, x_of (L, f, lo), f->y, x_of (L, f, hi) - x_of (L, f, lo), f->height);
      cs_i_view_set_rgb (cr, regime_fill[r]);
      cairo_fill (cr);
    }
}

static void
draw_grid_and_frame (cairo_t      *cr,
                     const Layout *L,
                     const CsRect *f,
                     const double *yc,
                     guint         n_y)
{
  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  cairo_set_source_rgba (cr, 0.55, 0.56, 0.58, 0.22);
  for (guint i = 0; i < L->n_xticks; i++)
    {
      double cx = cs_i_view_snap_x (cr, x_of (L, f, L->xticks[i]));
      cairo_move_to (cr, cx, f->y);
      cairo_line_to (cr, cx, f->y + f->height);
    }
  for (guint i = 0; i < n_y; i++)
    {
      double cy = cs_i_view_snap_y (cr, yc[i]);
      cairo_move_to (cr, f->x, cy);
      cairo_line_to (cr, f->x + f->width, cy);
    }
  cairo_stroke (cr);

  cairo_restore (cr);
  cs_i_view_stroke_frame (cr, f);
}

static void
draw_boundaries (cairo_t                *cr,
                 const CsKdeDiagnostics *d,
                 const Layout           *L,
                 const CsRect           *f,
                 gboolean                label)
{
  const double hs[2] = { d->h_g, d->h_clt };

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  cairo_set_dash (cr, (double[]) { 5.0, 3.0 }, 2, 0.0);
  for (guint i = 0; i < 2; i++)
    {
      double cx;
      if (!(hs[i] > d->h[0] && hs[i] < d->h[d->n_h - 1]))
        continue;
      cx = cs_i_view_snap_x (cr, x_of (L, f, hs[i]));
      cs_i_view_set_rgb (cr, regime_ink[i == 0 ? CS_KDE_REGIME_CONDENSED : CS_KDE_REGIME_CLT]);
      cairo_move_to (cr, cx, f->y);
      cairo_line_to (cr, cx, f->y + f->height);
      cairo_stroke (cr);
      if (label)
        cs_i_text_draw (cr, i == 0 ? "h_G" : "h_CLT", CS_STYLE_SMALL_SIZE - 1.0, CS_STYLE_WEIGHT_SEMIBOLD,
                        cx + 4.0, f->y + f->height - 4.0, 0.0, 1.0, 0.0);
    }
  cairo_restore (cr);
}

static void
draw_curve (cairo_t      *cr,
            const double *hs,
            const double *vs,
            guint         n,
            const Layout *L,
            const CsRect *f,
            gboolean      log_y,
            const double  rgb[3])
{
  gboolean pen = FALSE;

  cairo_save (cr);
  cairo_rectangle (cr, f->x, f->y, f->width, f->height);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint k = 0; k < n; k++)
    {
      double cx;
      double cy;

      if (!isfinite (vs[k]) || (log_y && !(vs[k] > 0.0)))
        {
          pen = FALSE;
          continue;
        }
      cx = x_of (L, f, hs[k]);
      cy = log_y ? y_neff (L, vs[k]) : y_ll (L, vs[k]);
      /* Keep far-off-scale values finite for cairo; the clip hides them anyway. */
      cy = CLAMP (cy, f->y - 4.0 * f->height, f->y + 5.0 * f->height);
      if (pen)
        cairo_line_to (cr, cx, cy);
      else
        cairo_move_to (cr, cx, cy);
      pen = TRUE;
    }
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_set_line_width (cr, 2.2);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
label_box (cairo_t      *cr,
           const char   *text,
           double        size,
           int           weight,
           double        x,
           double        y,
           const double  ink[3])
{
  double tw;
  double th;

  cs_i_text_extents (text, size, weight, &tw, &th);
  cairo_rectangle (cr, x - 3.0, y - 1.0, tw + 6.0, th + 2.0);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
  cairo_fill (cr);
  cs_i_view_set_rgb (cr, ink);
  cs_i_text_draw (cr, text, size, weight, x, y, 0.0, 0.0, 0.0);
}

static void
draw_regime_names (cairo_t                *cr,
                   const CsKdeDiagnostics *d,
                   const Layout           *L)
{
  const CsRect *f = &L->top;

  for (guint r = 0; r < 3; r++)
    {
      double lo;
      double hi;
      double x0;
      double x1;
      double tw;
      const char *text = regime_label[r];

      regime_span (d, r, &lo, &hi);
      if (!(hi > lo))
        continue;
      x0 = x_of (L, f, lo);
      x1 = x_of (L, f, hi);
      cs_i_text_extents (text, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, &tw, NULL);
      cs_i_view_set_rgb (cr, regime_ink[r]);
      if (tw + 8.0 <= x1 - x0)
        cs_i_text_draw (cr, text, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, (x0 + x1) / 2.0, f->y + 6.0,
                        0.5, 0.0, 0.0);
      /* A narrow band still gets its name: at the top of the n_eff panel, where the curve is
       * low through the middle regime, on a box that may overhang the band. */
      else
        {
          double cx = CLAMP ((x0 + x1) / 2.0, L->bottom.x + tw / 2 + 4.0, L->bottom.x + L->bottom.width - tw / 2 - 4.0);
          label_box (cr, text, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, cx - tw / 2, L->bottom.y + 5.0,
                     regime_ink[r]);
        }
    }
}

static void
draw_optimum (cairo_t                *cr,
              const CsKdeDiagnostics *d,
              const Layout           *L)
{
  const CsRect *f = &L->top;
  double accent[3];
  double cx;
  double cy;
  double tw;
  double th;
  g_autofree char *text = NULL;

  if (!isfinite (d->h_opt) || !isfinite (d->loo_ll_opt))
    return;
  cx = x_of (L, f, d->h_opt);
  cy = y_ll (L, d->loo_ll_opt);
  cs_i_render_color (cr, 1, accent);

  cairo_save (cr);
  cs_i_view_mark_point (cr, cx, cy, 5.5, f->y + f->height, accent);

  text = g_strdup_printf ("best h = %.3g (%s)", d->h_opt, cs_kde_regime_name (cs_kde_diagnostics_regime (d, d->h_opt)));
  cs_i_text_extents (text, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, &tw, &th);
  {
    double tx = cx + 10.0 + tw <= f->x + f->width ? cx + 10.0 : cx - 10.0 - tw;
    double ty = cy + 8.0;
    label_box (cr, text, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, tx, ty, CS_STYLE_RGB_TITLE);
  }
  cairo_restore (cr);
}

static void
draw_neff_references (cairo_t                *cr,
                      const CsKdeDiagnostics *d,
                      const Layout           *L)
{
  const CsRect *f = &L->bottom;
  const double levels[2] = { 2.0, sqrt ((double) (d->n - 1)) };
  const char *names[2] = { "n_eff = 2", "n_eff = √(n − 1)" };
  const double hs[2] = { d->h_g_emp, d->h_clt_emp };

  cairo_save (cr);
  for (guint i = 0; i < 2; i++)
    {
      double cy = cs_i_view_snap_y (cr, y_neff (L, levels[i]));
      double th;

      cairo_set_line_width (cr, 1.0);
      cairo_set_dash (cr, (double[]) { 1.5, 3.0 }, 2, 0.0);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cairo_move_to (cr, f->x, cy);
      cairo_line_to (cr, f->x + f->width, cy);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0.0);
      cs_i_text_extents (names[i], CS_STYLE_SMALL_SIZE - 1.0, CS_STYLE_WEIGHT_NORMAL, NULL, &th);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, names[i], CS_STYLE_SMALL_SIZE - 1.0, CS_STYLE_WEIGHT_NORMAL, f->x + 6.0, cy - 2.0,
                      0.0, 1.0, 0.0);
      /* Where the measured curve crosses: the empirical edge of the regime. */
      if (isfinite (hs[i]))
        {
          double cx = x_of (L, f, hs[i]);
          cairo_new_sub_path (cr);
          cairo_rectangle (cr, cx - 3.5, cy - 3.5, 7.0, 7.0);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_set_line_width (cr, 3.0);
          cairo_stroke_preserve (cr);
          cs_i_view_set_rgb (cr, regime_ink[i == 0 ? CS_KDE_REGIME_CONDENSED : CS_KDE_REGIME_CLT]);
          cairo_fill (cr);
        }
    }
  cairo_restore (cr);
}

static void
draw_current (cairo_t                  *cr,
              const CsDiagnosticsModel *m,
              const Layout             *L)
{
  const CsKdeDiagnostics *d = m->diag;
  double h = m->current_h;
  double cx;
  double tw;
  double th;
  double tx;
  g_autofree char *text = NULL;
  CsKdeRegime r;

  if (!(h > 0.0) || !(h >= d->h[0] && h <= d->h[d->n_h - 1]))
    return;
  cx = cs_i_view_snap_x (cr, x_of (L, &L->top, h));
  r = cs_kde_diagnostics_regime (d, h);

  cairo_save (cr);
  cairo_set_line_width (cr, 1.6);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_INK);
  cairo_move_to (cr, cx, L->top.y);
  cairo_line_to (cr, cx, L->top.y + L->top.height);
  cairo_move_to (cr, cx, L->bottom.y);
  cairo_line_to (cr, cx, L->bottom.y + L->bottom.height);
  cairo_stroke (cr);

  text = g_strdup_printf ("h = %.3g · %s", h, cs_kde_regime_name (r));
  cs_i_text_extents (text, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, &tw, &th);
  tx = cx + 6.0 + tw <= L->top.x + L->top.width ? cx + 6.0 : cx - 6.0 - tw;
  label_box (cr, text, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, tx, L->top.y + 10.0 + th,
             regime_ink[r]);
  cairo_restore (cr);
}

static void
draw_axes_text (cairo_t      *cr,
                const Layout *L,
                double        width)
{
  const CsRect *t = &L->top;
  const CsRect *b = &L->bottom;

  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
  for (guint i = 0; i < L->n_xticks; i++)
    {
      g_autofree char *s = format_log_tick (L->xticks[i]);
      double tw;
      double cx = x_of (L, b, L->xticks[i]);

      cs_i_text_extents (s, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &tw, NULL);
      cx = CLAMP (cx, tw / 2 + 2.0, width - tw / 2 - 2.0);
      cs_i_text_draw (cr, s, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, cx,
                      b->y + b->height + CS_STYLE_TICK_GAP, 0.5, 0.0, 0.0);
    }
  for (guint i = 0; i < L->n_yticks; i++)
    {
      g_autofree char *s = cs_i_format_tick (L->yticks[i], L->ystep);
      cs_i_text_draw (cr, s, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, t->x - CS_STYLE_TICK_GAP,
                      y_ll (L, L->yticks[i]), 1.0, 0.5, 0.0);
    }
  for (guint i = 0; i < L->n_nticks; i++)
    {
      g_autofree char *s = format_log_tick (L->nticks[i]);
      cs_i_text_draw (cr, s, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, b->x - CS_STYLE_TICK_GAP,
                      y_neff (L, L->nticks[i]), 1.0, 0.5, 0.0);
    }

  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  cs_i_text_draw (cr, "Bandwidth h (log scale)", CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL,
                  b->x + b->width / 2, b->y + b->height + CS_STYLE_TICK_GAP + L->tick_h + 6.0, 0.5, 0.0, 0.0);
  {
    /* Each along its own panel: short panels get the short names, not overlapping ones. */
    static const char *const loo[] = { "LOO log-likelihood", "LOO log-lik.", NULL };
    static const char *const neff[] = { "Effective points n_eff", "n_eff", NULL };

    cs_i_text_draw (
        cr, cs_i_text_first_fitting (loo, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, t->height + 8.0),
        CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD, t->y + t->height / 2, 0.5, 0.0, -G_PI / 2);
    cs_i_text_draw (
        cr, cs_i_text_first_fitting (neff, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, b->height + 8.0),
        CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD, b->y + b->height / 2, 0.5, 0.0, -G_PI / 2);
  }

  cs_i_draw_title (cr, L->title, t->x, L->canvas_w);
  {
    g_autofree char *fit
        = cs_i_text_ellipsize (L->subtitle, CS_STYLE_SMALL_SIZE - 1.0, CS_STYLE_WEIGHT_NORMAL,
                               L->canvas_w - CS_STYLE_PAD - MIN (t->x, CS_STYLE_PAD + 40.0));
    double x = t->x;
    double w;

    /* Moved left like the title before it is cut. */
    cs_i_text_extents (L->subtitle, CS_STYLE_SMALL_SIZE - 1.0, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
    if (x + w > L->canvas_w - CS_STYLE_PAD)
      x = MAX (CS_STYLE_PAD, L->canvas_w - CS_STYLE_PAD - w);
    cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
    cs_i_text_draw (cr, fit, CS_STYLE_SMALL_SIZE - 1.0, CS_STYLE_WEIGHT_NORMAL, x,
                    CS_STYLE_PAD + L->title_h + 4.0, 0.0, 0.0, 0.0);
  }
}

void
cs_render_diagnostics (cairo_t       *cr,
                       gconstpointer  model,
                       double         width,
                       double         height)
{
  const CsDiagnosticsModel *m = model;
  const CsKdeDiagnostics *d;
  Layout L;
  double series[3];
  g_autofree double *yc = NULL;
  g_autofree double *nc = NULL;

  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  cs_i_view_clear (cr, width, height);
  if (m == NULL || m->diag == NULL || m->diag->n_h < 2)
    {
      cairo_restore (cr);
      return;
    }
  d = m->diag;
  diag_layout (m, width, height, &L);

  yc = g_new (double, L.n_yticks + 1);
  for (guint i = 0; i < L.n_yticks; i++)
    yc[i] = y_ll (&L, L.yticks[i]);
  nc = g_new (double, L.n_nticks + 1);
  for (guint i = 0; i < L.n_nticks; i++)
    nc[i] = y_neff (&L, L.nticks[i]);

  draw_panel_back (cr, d, &L, &L.top);
  draw_panel_back (cr, d, &L, &L.bottom);
  draw_grid_and_frame (cr, &L, &L.top, yc, L.n_yticks);
  draw_grid_and_frame (cr, &L, &L.bottom, nc, L.n_nticks);
  draw_boundaries (cr, d, &L, &L.top, TRUE);
  draw_boundaries (cr, d, &L, &L.bottom, FALSE);
  draw_neff_references (cr, d, &L);

  cs_i_render_color (cr, 0, series);
  draw_curve (cr, d->h, d->loo_ll, d->n_h, &L, &L.top, FALSE, series);
  draw_curve (cr, d->h, d->n_eff, d->n_h, &L, &L.bottom, TRUE, series);
  draw_regime_names (cr, d, &L);
  draw_optimum (cr, d, &L);
  draw_current (cr, m, &L);
  draw_axes_text (cr, &L, width);

  layout_clear (&L);
  cairo_restore (cr);
}
