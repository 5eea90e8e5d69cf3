#include "ui/render/cs-render-views.h"

#include <math.h>
#include <string.h>

#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-views-private.h"

/* Shared view helpers ---------------------------------------------------------------- */

void
cs_i_view_set_rgb (cairo_t      *cr,
                   const double  rgb[3])
{
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
}

double
cs_i_view_snap_x (cairo_t *cr,
                  double   x)
{
  double y = 0.0;

  cairo_user_to_device (cr, &x, &y);
  x = floor (x) + 0.5;
  cairo_device_to_user (cr, &x, &y);
  return x;
}

void
cs_i_view_mark_point (cairo_t      *cr,
                      double        cx,
                      double        cy,
                      double        radius,
                      double        bottom,
                      const double  accent[3])
{
  cairo_save (cr);
  cairo_set_line_width (cr, 1.2);
  cairo_set_dash (cr, (double[]) { 4.0, 3.0 }, 2, 0.0);
  cairo_set_source_rgb (cr, accent[0], accent[1], accent[2]);
  cairo_move_to (cr, cs_i_view_snap_x (cr, cx), cy);
  cairo_line_to (cr, cs_i_view_snap_x (cr, cx), bottom);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0.0);

  cairo_new_sub_path (cr);
  cairo_arc (cr, cx, cy, radius, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 0.75 * radius);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgb (cr, accent[0], accent[1], accent[2]);
  cairo_fill_preserve (cr);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_INK);
  cairo_set_line_width (cr, 0.27 * radius);
  cairo_stroke (cr);
  cairo_restore (cr);
}

double
cs_i_view_snap_y (cairo_t *cr,
                  double   y)
{
  double x = 0.0;

  cairo_user_to_device (cr, &x, &y);
  y = floor (y) + 0.5;
  cairo_device_to_user (cr, &x, &y);
  return y;
}

void
cs_i_view_clear (cairo_t *cr,
                 double   width,
                 double   height)
{
  cairo_rectangle (cr, 0, 0, width, height);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_BACKGROUND);
  cairo_fill (cr);
}

guint32
cs_i_view_pack_rgb (const double rgb[3])
{
  guint32 p = 0xff000000u;

  for (guint c = 0; c < 3; c++)
    p |= (guint32) lround (CLAMP (rgb[c], 0.0, 1.0) * 255.0) << (16 - 8 * c);
  return p;
}

void
cs_i_view_stroke_frame (cairo_t      *cr,
                        const CsRect *f)
{
  double x0 = cs_i_view_snap_x (cr, f->x);
  double y0 = cs_i_view_snap_y (cr, f->y);
  double x1 = cs_i_view_snap_x (cr, f->x + f->width);
  double y1 = cs_i_view_snap_y (cr, f->y + f->height);

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_FRAME);
  cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
cs_i_view_draw_title (cairo_t *cr, const char *title, double x, double width)
{
  cs_i_draw_title (cr, title, x, width);
}

void
cs_i_view_cluster_rgb (cairo_t   *cr,
                       const int *color_slot,
                       guint      j,
                       double     rgb[3])
{
  cs_i_render_color (cr, color_slot != NULL ? (guint) color_slot[j] : j, rgb);
}

/* Chart model ------------------------------------------------------------------------- */

CsChartModel *
cs_chart_model_new (gsize         n,
                    const double *x,
                    const double *y)
{
  CsChartModel *m = g_new0 (CsChartModel, 1);

  g_return_val_if_fail (n == 0 || (x != NULL && y != NULL), NULL);

  g_atomic_ref_count_init (&m->ref);
  m->n = n;
  m->x = g_memdup2 (x, n * sizeof (double));
  m->y = g_memdup2 (y, n * sizeof (double));
  m->marked = -1;
  m->x_label = g_strdup ("");
  m->y_label = g_strdup ("");
  return m;
}

CsChartModel *
cs_chart_model_ref (CsChartModel *m)
{
  g_return_val_if_fail (m != NULL, NULL);

  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_chart_model_unref (CsChartModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  g_free (m->x);
  g_free (m->y);
  g_free (m->mark_label);
  g_free (m->title);
  g_free (m->x_label);
  g_free (m->y_label);
  g_free (m);
}

CsChartModel *
cs_chart_model_new_convergence (const CsTrace *trace,
                                const char    *objective_name)
{
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  CsChartModel *m;
  gsize n;

  if (trace == NULL || trace->steps == NULL || trace->steps->len == 0)
    return NULL;

  x = g_new (double, trace->steps->len);
  y = g_new (double, trace->steps->len);
  n = 0;
  for (gsize i = 0; i < trace->steps->len; i++)
    {
      const CsTraceStep *s = g_ptr_array_index (trace->steps, i);
      /* Steps are counted in order of recording: the iteration numbers of different
       * algorithms mean different things (a k-means pass, a PAM swap), the order does not.
       * A step that measures nothing (a start before any assignment, a mixture's M-step,
       * whose likelihood the next E-step gives) is left out rather than breaking the line. */
      if (!isfinite (s->objective))
        continue;
      x[n] = (double) i;
      y[n] = s->objective;
      n++;
    }
  if (n == 0)
    return NULL;
  m = cs_chart_model_new (n, x, y);
  m->integer_x = TRUE;
  g_free (m->x_label);
  g_free (m->y_label);
  m->x_label = g_strdup ("Step");
  m->y_label = g_strdup (objective_name != NULL && objective_name[0] != '\0' ? objective_name : "objective");
  m->y_label[0] = g_ascii_toupper (m->y_label[0]);
  m->title = g_strdup_printf ("%s per step", m->y_label);
  return m;
}

CsChartModel *
cs_chart_model_new_choose_k (const CsClustering *c)
{
  g_autofree double *x = NULL;
  CsChartModel *m;

  if (c == NULL || c->score_by_k == NULL || c->n_scores == 0)
    return NULL;

  x = g_new (double, c->n_scores);
  for (guint i = 0; i < c->n_scores; i++)
    x[i] = (double) (c->score_k_min + i);
  m = cs_chart_model_new (c->n_scores, x, c->score_by_k);
  m->integer_x = TRUE;
  if (c->k >= c->score_k_min && c->k < c->score_k_min + c->n_scores)
    {
      m->marked = (gssize) (c->k - c->score_k_min);
      m->mark_label = g_strdup_printf ("k = %u", c->k);
    }
  g_free (m->x_label);
  g_free (m->y_label);
  m->x_label = g_strdup ("Number of clusters k");
  m->y_label = g_strdup (c->objective_kind == CS_OBJECTIVE_MEDOID_SILHOUETTE ? "Medoid silhouette" : "Score");
  m->title = g_strdup_printf ("%s by k", m->y_label);
  return m;
}

/* Chart layout ------------------------------------------------------------------------ */

typedef struct
{
  CsRect frame;
  double x_lo, x_hi, y_lo, y_hi;
  double xticks[CS_STYLE_MAX_TICKS];
  guint  n_xticks;
  double xstep;
  double yticks[CS_STYLE_MAX_TICKS];
  guint  n_yticks;
  double ystep;
  double tick_h;
  double title_h;
  double xlabel_h;
  double ylabel_h;
} ChartLayout;

static void
data_ranges (const CsChartModel *m,
             ChartLayout        *L)
{
  double xlo = INFINITY;
  double xhi = -INFINITY;
  double ylo = INFINITY;
  double yhi = -INFINITY;
  double pad;

  for (gsize i = 0; i < m->n; i++)
    {
      if (!isfinite (m->x[i]))
        continue;
      xlo = MIN (xlo, m->x[i]);
      xhi = MAX (xhi, m->x[i]);
      if (!isfinite (m->y[i]))
        continue;
      ylo = MIN (ylo, m->y[i]);
      yhi = MAX (yhi, m->y[i]);
    }
  if (!(xhi >= xlo))
    xlo = 0.0, xhi = 1.0;
  if (!(yhi >= ylo))
    ylo = 0.0, yhi = 1.0;
  /* A flat curve (converged at once) still needs a visible band around it. */
  if (xhi - xlo < 1e-12 * MAX (1.0, fabs (xhi)))
    xlo -= 1.0, xhi += 1.0;
  if (yhi - ylo < 1e-9 * MAX (1.0, fabs (yhi)))
    {
      double d = MAX (fabs (yhi) * 0.05, 1e-9);
      ylo -= d;
      yhi += d;
    }
  pad = (xhi - xlo) * 0.03;
  L->x_lo = xlo - pad;
  L->x_hi = xhi + pad;
  pad = (yhi - ylo) * 0.08;
  L->y_lo = ylo - pad;
  L->y_hi = yhi + pad;
}

static guint
integer_ticks (double *ticks,
               guint   n,
               double *step)
{
  guint out = 0;

  for (guint i = 0; i < n; i++)
    if (fabs (ticks[i] - round (ticks[i])) < 1e-9)
      ticks[out++] = round (ticks[i]);
  *step = MAX (*step, 1.0);
  return out;
}

static void
chart_layout (const CsChartModel *m,
              double              width,
              double              height,
              ChartLayout        *L)
{
  double ytick_w = 0.0;
  double top;
  double bottom;
  double left;
  double right;
  guint target;

  memset (L, 0, sizeof *L);
  data_ranges (m, L);

  cs_i_text_extents ("0", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->tick_h);
  if (m->title != NULL && m->title[0] != '\0')
    cs_i_text_extents (m->title, CS_STYLE_TITLE_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, NULL, &L->title_h);
  if (m->x_label != NULL && m->x_label[0] != '\0')
    cs_i_text_extents (m->x_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->xlabel_h);
  if (m->y_label != NULL && m->y_label[0] != '\0')
    cs_i_text_extents (m->y_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->ylabel_h);

  top = CS_STYLE_PAD + (L->title_h > 0 ? L->title_h + 10.0 : L->tick_h * 0.5);
  bottom = CS_STYLE_TICK_GAP + L->tick_h + (L->xlabel_h > 0 ? 6.0 + L->xlabel_h : 0.0) + CS_STYLE_PAD * 0.85;
  L->frame.y = round (top);
  L->frame.height = MAX (1.0, floor (height - top - bottom));

  target = (guint) CLAMP (L->frame.height / 45.0, 2.0, 10.0);
  L->n_yticks = cs_nice_ticks (L->y_lo, L->y_hi, target, L->yticks, CS_STYLE_MAX_TICKS);
  L->ystep = L->n_yticks >= 2 ? L->yticks[1] - L->yticks[0] : 1.0;
  for (guint i = 0; i < L->n_yticks; i++)
    {
      g_autofree char *t = cs_i_format_tick (L->yticks[i], L->ystep);
      double w;
      cs_i_text_extents (t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
      ytick_w = MAX (ytick_w, w);
    }
  left = CS_STYLE_PAD + (L->ylabel_h > 0 ? L->ylabel_h + 8.0 : 0.0) + ytick_w + CS_STYLE_TICK_GAP;
  right = CS_STYLE_PAD + 10.0;
  L->frame.x = round (left);
  L->frame.width = MAX (1.0, floor (width - L->frame.x - right));

  target = (guint) CLAMP (L->frame.width / 70.0, 2.0, 10.0);
  L->n_xticks = cs_nice_ticks (L->x_lo, L->x_hi, target, L->xticks, CS_STYLE_MAX_TICKS);
  L->xstep = L->n_xticks >= 2 ? L->xticks[1] - L->xticks[0] : 1.0;
  if (m->integer_x)
    L->n_xticks = integer_ticks (L->xticks, L->n_xticks, &L->xstep);
}

static void
to_canvas (const ChartLayout *L,
           double             x,
           double             y,
           double            *cx,
           double            *cy)
{
  *cx = L->frame.x + (x - L->x_lo) / (L->x_hi - L->x_lo) * L->frame.width;
  *cy = L->frame.y + (L->y_hi - y) / (L->y_hi - L->y_lo) * L->frame.height;
}

void
cs_render_trace_layout (const CsChartModel *m,
                        double              width,
                        double              height,
                        CsRect             *frame)
{
  ChartLayout L;

  g_return_if_fail (m != NULL && frame != NULL);

  chart_layout (m, width, height, &L);
  *frame = L.frame;
}

void
cs_render_trace_point (const CsChartModel *m,
                       const CsRect       *frame,
                       double              x,
                       double              y,
                       double             *cx,
                       double             *cy)
{
  ChartLayout L;

  g_return_if_fail (m != NULL && frame != NULL);

  memset (&L, 0, sizeof L);
  data_ranges (m, &L);
  L.frame = *frame;
  to_canvas (&L, x, y, cx, cy);
}

/* Chart drawing ----------------------------------------------------------------------- */

static void
draw_chart_axes (cairo_t            *cr,
                 const CsChartModel *m,
                 const ChartLayout  *L,
                 double              width)
{
  const CsRect *f = &L->frame;
  double cx;
  double cy;

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_GRID);
  for (guint i = 0; i < L->n_xticks; i++)
    {
      to_canvas (L, L->xticks[i], L->y_lo, &cx, &cy);
      cx = cs_i_view_snap_x (cr, cx);
      cairo_move_to (cr, cx, f->y);
      cairo_line_to (cr, cx, f->y + f->height);
    }
  for (guint i = 0; i < L->n_yticks; i++)
    {
      to_canvas (L, L->x_lo, L->yticks[i], &cx, &cy);
      cy = cs_i_view_snap_y (cr, cy);
      cairo_move_to (cr, f->x, cy);
      cairo_line_to (cr, f->x + f->width, cy);
    }
  cairo_stroke (cr);

  cairo_restore (cr);
  cs_i_view_stroke_frame (cr, f);

  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
  for (guint i = 0; i < L->n_xticks; i++)
    {
      g_autofree char *t = cs_i_format_tick (L->xticks[i], L->xstep);
      double tw;

      to_canvas (L, L->xticks[i], L->y_lo, &cx, &cy);
      cs_i_text_extents (t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &tw, NULL);
      cx = CLAMP (cx, tw / 2 + 2.0, width - tw / 2 - 2.0);
      cs_i_text_draw (cr, t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, cx,
                      f->y + f->height + CS_STYLE_TICK_GAP, 0.5, 0.0, 0.0);
    }
  for (guint i = 0; i < L->n_yticks; i++)
    {
      g_autofree char *t = cs_i_format_tick (L->yticks[i], L->ystep);

      to_canvas (L, L->x_lo, L->yticks[i], &cx, &cy);
      cs_i_text_draw (cr, t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x - CS_STYLE_TICK_GAP, cy, 1.0,
                      0.5, 0.0);
    }

  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  if (L->xlabel_h > 0)
    cs_i_text_draw (cr, m->x_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x + f->width / 2,
                    f->y + f->height + CS_STYLE_TICK_GAP + L->tick_h + 6.0, 0.5, 0.0, 0.0);
  if (L->ylabel_h > 0)
    cs_i_text_draw (cr, m->y_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD,
                    f->y + f->height / 2, 0.5, 0.0, -G_PI / 2);
  if (L->title_h > 0)
    cs_i_view_draw_title (cr, m->title, f->x, width);
}

/* The line colour: palette slot 0, the colour every single-series figure in the app uses. */
static void
series_rgb (cairo_t *cr, double rgb[3])
{
  cs_i_render_color (cr, 0, rgb);
}

static void
draw_series (cairo_t            *cr,
             const CsChartModel *m,
             const ChartLayout  *L)
{
  const CsRect *f = &L->frame;
  gboolean pen_down = FALSE;
  double rgb[3];
  double r;

  series_rgb (cr, rgb);
  cairo_save (cr);
  cairo_rectangle (cr, f->x, f->y, f->width, f->height);
  cairo_clip (cr);

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (gsize i = 0; i < m->n; i++)
    {
      double cx;
      double cy;

      if (!isfinite (m->x[i]) || !isfinite (m->y[i]))
        {
          pen_down = FALSE;
          continue;
        }
      to_canvas (L, m->x[i], m->y[i], &cx, &cy);
      if (pen_down)
        cairo_line_to (cr, cx, cy);
      else
        cairo_move_to (cr, cx, cy);
      pen_down = TRUE;
    }
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_set_line_width (cr, 2.0);
  cairo_stroke (cr);

  /* Dots only while they stay apart: thousands of swaps are a line, not a string of beads. */
  r = m->n > 1 ? MIN (3.5, 0.3 * f->width / (double) m->n) : 3.5;
  if (r >= 1.5)
    {
      for (gsize i = 0; i < m->n; i++)
        {
          double cx;
          double cy;

          if (!isfinite (m->x[i]) || !isfinite (m->y[i]))
            continue;
          to_canvas (L, m->x[i], m->y[i], &cx, &cy);
          cairo_new_sub_path (cr);
          cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
        }
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

static void
draw_mark (cairo_t            *cr,
           const CsChartModel *m,
           const ChartLayout  *L)
{
  const CsRect *f = &L->frame;
  double accent[3];
  double cx;
  double cy;
  gssize i = m->marked;

  if (i < 0 || (gsize) i >= m->n || !isfinite (m->x[i]) || !isfinite (m->y[i]))
    return;
  to_canvas (L, m->x[i], m->y[i], &cx, &cy);
  cs_i_render_color (cr, 1, accent);

  cairo_save (cr);
  /* A dashed drop line ties the chosen point to its k on the axis. */
  cs_i_view_mark_point (cr, cx, cy, 6.0, f->y + f->height, accent);

  if (m->mark_label != NULL)
    {
      double tw;
      double th;
      double tx;
      double ty;

      cs_i_text_extents (m->mark_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, &tw, &th);
      /* Beside the point, on whichever side has room, and below it near the top edge. */
      tx = cx + 10.0 + tw <= f->x + f->width ? cx + 10.0 : cx - 10.0 - tw;
      ty = cy - 10.0 - th >= f->y ? cy - 10.0 - th : cy + 10.0;
      cairo_rectangle (cr, tx - 3.0, ty - 1.0, tw + 6.0, th + 2.0);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
      cairo_fill (cr);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TITLE);
      cs_i_text_draw (cr, m->mark_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, tx, ty, 0.0, 0.0,
                      0.0);
    }
  cairo_restore (cr);
}

void
cs_render_trace (cairo_t       *cr,
                 gconstpointer  model,
                 double         width,
                 double         height)
{
  const CsChartModel *m = model;
  ChartLayout L;

  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  cs_i_view_clear (cr, width, height);
  if (m != NULL)
    {
      chart_layout (m, width, height, &L);
      draw_chart_axes (cr, m, &L, width);
      draw_series (cr, m, &L);
      draw_mark (cr, m, &L);
    }
  cairo_restore (cr);
}
