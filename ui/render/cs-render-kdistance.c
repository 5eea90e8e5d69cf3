#include "ui/render/cs-render-kdistance.h"

#include <math.h>

#include "core/cluster/cs-dbscan.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-style.h"
#include "ui/render/cs-render-views-private.h"
#include "ui/render/cs-render.h"

CsKDistanceModel *
cs_kdistance_model_new (double     *dist,
                        gsize       n,
                        guint       k,
                        double      eps,
                        const char *title)
{
  CsKDistanceModel *m = g_new0 (CsKDistanceModel, 1);

  g_atomic_ref_count_init (&m->ref);
  m->dist = dist;
  m->n = n;
  m->k = k;
  m->knee = n > 0 ? cs_dbscan_knee (dist, n) : NAN;
  m->eps = eps;
  m->title = g_strdup (title);
  return m;
}

CsKDistanceModel *
cs_kdistance_model_ref (CsKDistanceModel *m)
{
  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_kdistance_model_unref (CsKDistanceModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  g_free (m->dist);
  g_free (m->title);
  g_free (m);
}

gsize
cs_kdistance_model_count_above (const CsKDistanceModel *m,
                                double                  eps)
{
  gsize lo = 0, hi = m->n;

  /* dist is ascending: the first index whose value exceeds eps. */
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (m->dist[mid] > eps)
        hi = mid;
      else
        lo = mid + 1;
    }
  return m->n - lo;
}

typedef struct
{
  CsRect frame;
  double top;     /* below the title: the caption's first line */
  double y_max;   /* the value axis runs from 0 to this */
} Layout;

static double
axis_max (const CsKDistanceModel *m)
{
  double v = m->n > 0 ? m->dist[m->n - 1] : 1.0;

  if (isfinite (m->eps))
    v = MAX (v, m->eps);
  return v > 0 && isfinite (v) ? v * 1.04 : 1.0;
}

static void
layout (const CsKDistanceModel *m,
        double                  width,
        double                  height,
        Layout                 *l)
{
  double tick_w;
  g_autofree char *widest = cs_i_format_tick (axis_max (m), axis_max (m) / 5.0);

  l->y_max = axis_max (m);
  l->top = CS_STYLE_PAD + (m->title != NULL ? CS_STYLE_TITLE_SIZE * 1.5 + 4.0 : 0.0);
  cs_i_text_extents (widest, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &tick_w, NULL);
  l->frame.x = CS_STYLE_PAD + CS_STYLE_LABEL_SIZE * 1.5 + tick_w + CS_STYLE_TICK_GAP;
  l->frame.y = l->top + CS_STYLE_SMALL_SIZE * CS_STYLE_LEGEND_ROW * 2 + 6.0;
  {
    /* The last row tick is centred on the frame's right edge: room for its right half. */
    g_autofree char *last = cs_i_format_count (m->n);
    double last_w;
    cs_i_text_extents (last, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &last_w, NULL);
    l->frame.width = MAX (width - CS_STYLE_PAD - 0.5 * last_w - l->frame.x, 10.0);
  }
  l->frame.height = MAX (height - l->frame.y - CS_STYLE_PAD - CS_STYLE_LABEL_SIZE * 1.5 - CS_STYLE_TICK_SIZE * 1.4
                             - CS_STYLE_TICK_GAP,
                         10.0);
}

static double
value_y (const Layout *l,
         double        v)
{
  return l->frame.y + l->frame.height * (1.0 - v / l->y_max);
}

gboolean
cs_kdistance_model_eps_at (const CsKDistanceModel *m,
                           double                  width,
                           double                  height,
                           double                  x,
                           double                  y,
                           double                 *eps)
{
  Layout l;

  g_return_val_if_fail (m != NULL, FALSE);
  layout (m, width, height, &l);
  if (x < l.frame.x || x > l.frame.x + l.frame.width || y < l.frame.y || y > l.frame.y + l.frame.height)
    return FALSE;
  *eps = l.y_max * (1.0 - (y - l.frame.y) / l.frame.height);
  return TRUE;
}

/* A horizontal marker across the frame with its label at the right end, above the line. */
static void
draw_level (cairo_t      *cr,
            const Layout *l,
            double        v,
            const double  rgb[3],
            gboolean      dashed,
            const char   *label)
{
  double y = cs_i_view_snap_y (cr, value_y (l, v));

  cs_i_view_set_rgb (cr, rgb);
  cairo_set_line_width (cr, 1.5);
  if (dashed)
    cairo_set_dash (cr, (const double[]){ 5.0, 4.0 }, 2, 0);
  cairo_move_to (cr, l->frame.x, y);
  cairo_line_to (cr, l->frame.x + l->frame.width, y);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cs_i_text_draw (cr, label, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, l->frame.x + 6.0, y - 3.0, 0.0, 1.0,
                  0.0);
}

void
cs_render_kdistance (cairo_t                *cr,
                     const CsKDistanceModel *m,
                     double                  width,
                     double                  height)
{
  double ticks[CS_STYLE_MAX_TICKS], knee_rgb[3], eps_rgb[3];
  g_autofree char *caption = NULL;
  g_autofree char *y_title = NULL;
  guint nt;
  Layout l;

  cs_i_view_clear (cr, width, height);
  if (m == NULL || m->n == 0)
    return;
  layout (m, width, height, &l);
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  cs_i_view_draw_title (cr, m->title, CS_STYLE_PAD, width);

  /* What to read off the chart, in words: the knee and, after a run, what its radius does. */
  {
    g_autofree char *knee = cs_render_format_number (m->knee);
    if (isfinite (m->eps))
      {
        g_autofree char *eps = cs_render_format_number (m->eps);
        g_autofree char *above = cs_i_format_count (cs_kdistance_model_count_above (m, m->eps));
        caption = g_strdup_printf ("Knee at %s · The run’s radius eps = %s leaves %s rows above the line: they "
                                   "cannot be core rows",
                                   knee, eps, above);
      }
    else
      caption = g_strdup_printf ("Knee at %s: rows left of it lie in dense regions, rows right of it are sparse",
                                 knee);
  }
  {
    g_auto (GStrv) lines = cs_i_text_wrap (caption, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL,
                                           width - 2 * CS_STYLE_PAD, width - 2 * CS_STYLE_PAD);
    cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
    for (guint i = 0; lines[i] != NULL && i < 2; i++)
      cs_i_text_draw (cr, lines[i], CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD,
                      l.top + i * CS_STYLE_SMALL_SIZE * CS_STYLE_LEGEND_ROW, 0.0, 0.0, 0.0);
  }

  /* Value grid and ticks */
  cairo_set_line_width (cr, 1.0);
  nt = cs_nice_ticks (0.0, l.y_max, l.frame.height > 200 ? 6 : 3, ticks, G_N_ELEMENTS (ticks));
  for (guint i = 0; i < nt; i++)
    {
      double step = nt > 1 ? ticks[1] - ticks[0] : l.y_max;
      double y = value_y (&l, ticks[i]);
      g_autofree char *text = cs_i_format_tick (ticks[i], step);
      if (ticks[i] < 0 || ticks[i] > l.y_max)
        continue;
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_GRID);
      cairo_move_to (cr, l.frame.x, cs_i_view_snap_y (cr, y));
      cairo_line_to (cr, l.frame.x + l.frame.width, cs_i_view_snap_y (cr, y));
      cairo_stroke (cr);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, text, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, l.frame.x - CS_STYLE_TICK_GAP, y, 1.0,
                      0.5, 0.0);
    }
  /* Row ticks: positions 0 … n */
  nt = cs_nice_ticks (0.0, (double) m->n, l.frame.width > 400 ? 6 : 3, ticks, G_N_ELEMENTS (ticks));
  for (guint i = 0; i < nt; i++)
    {
      double step = nt > 1 ? ticks[1] - ticks[0] : (double) m->n;
      double x = l.frame.x + l.frame.width * ticks[i] / MAX ((double) m->n, 1.0);
      g_autofree char *text = cs_i_format_tick (ticks[i], step);
      if (ticks[i] < 0 || ticks[i] > (double) m->n)
        continue;
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, text, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, x, l.frame.y + l.frame.height
                      + CS_STYLE_TICK_GAP, 0.5, 0.0, 0.0);
    }

  cs_i_render_color (cr, 0, eps_rgb);
  cs_i_render_color (cr, 1, knee_rgb);
  /* Above the run’s radius: rows that cannot be core, shaded so the cut reads at a glance. */
  if (isfinite (m->eps))
    {
      double y = value_y (&l, m->eps);
      cairo_set_source_rgba (cr, eps_rgb[0], eps_rgb[1], eps_rgb[2], 0.08);
      cairo_rectangle (cr, l.frame.x, l.frame.y, l.frame.width, MAX (y - l.frame.y, 0.0));
      cairo_fill (cr);
    }

  /* The curve: sorted values, so the polyline through each pixel column's last value is exact
   * to a pixel even for millions of rows. */
  {
    gsize  columns = (gsize) MAX (l.frame.width, 1.0);
    gsize  step = MAX (m->n / (columns * 2), (gsize) 1);
    cs_i_view_set_rgb (cr, CS_STYLE_RGB_INK);
    cairo_set_line_width (cr, 2.0);
    cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
    for (gsize i = 0; i < m->n; i += step)
      {
        gsize  j = MIN (i + step - 1, m->n - 1);
        double x = l.frame.x + l.frame.width * (j + 0.5) / (double) m->n;
        double y = value_y (&l, m->dist[j]);
        if (i == 0)
          cairo_move_to (cr, x, y);
        else
          cairo_line_to (cr, x, y);
      }
    cairo_stroke (cr);
  }

  if (isfinite (m->knee))
    {
      gboolean         same = isfinite (m->eps) && fabs (m->eps - m->knee) <= 1e-9 * MAX (fabs (m->knee), 1e-300);
      g_autofree char *v = cs_render_format_number (m->knee);
      g_autofree char *label = g_strdup_printf (same ? "knee = eps %s" : "knee %s", v);
      draw_level (cr, &l, m->knee, knee_rgb, TRUE, label);
    }
  if (isfinite (m->eps) && !(isfinite (m->knee) && fabs (m->eps - m->knee) <= 1e-9 * MAX (fabs (m->knee), 1e-300)))
    {
      g_autofree char *v = cs_render_format_number (m->eps);
      g_autofree char *label = g_strdup_printf ("eps %s", v);
      draw_level (cr, &l, m->eps, eps_rgb, FALSE, label);
    }

  cs_i_view_stroke_frame (cr, &l.frame);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  cs_i_text_draw (cr, "Rows, sorted by that distance", CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL,
                  l.frame.x + 0.5 * l.frame.width, height - CS_STYLE_PAD, 0.5, 1.0, 0.0);
  {
    const char *suffix = m->k % 10 == 1 && m->k % 100 != 11   ? "st"
                         : m->k % 10 == 2 && m->k % 100 != 12 ? "nd"
                         : m->k % 10 == 3 && m->k % 100 != 13 ? "rd"
                                                              : "th";
    g_autofree char *longest = g_strdup_printf ("Distance to the %u%s nearest row", m->k, suffix);
    g_autofree char *shorter = g_strdup_printf ("%u%s-neighbour distance", m->k, suffix);
    const char *const titles[] = { longest, shorter, "distance", NULL };
    /* Rotated: it must fit the frame's height, or it runs into the caption above. */
    y_title = g_strdup (cs_i_text_first_fitting (titles, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, l.frame.height));
  }
  cs_i_text_draw (cr, y_title, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD, l.frame.y + 0.5 * l.frame.height,
                  0.5, 0.0, -G_PI / 2);
  cairo_restore (cr);
}
