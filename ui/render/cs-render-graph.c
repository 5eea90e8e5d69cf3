#include "ui/render/cs-render-graph.h"

#include <math.h>
#include <string.h>

#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-style.h"
#include "ui/render/cs-render-views-private.h"
#include "ui/render/cs-render.h"

/* Names on nodes only while they can be read: past this many nodes they would overlap. */
#define MAX_NAMED_NODES 80
#define MAX_LEGEND_ROWS 24

CsGraphModel *
cs_graph_model_new (CsGraph           *g,
                    const double      *xy,
                    const int         *labels,
                    guint              k,
                    const char *const *names,
                    const char        *title)
{
  CsGraphModel *m = g_new0 (CsGraphModel, 1);

  g_return_val_if_fail (g != NULL && xy != NULL, NULL);
  g_atomic_ref_count_init (&m->ref);
  m->graph = cs_graph_ref (g);
  m->xy = g_memdup2 (xy, 2 * MAX (g->n, 1) * sizeof (double));
  if (labels != NULL)
    {
      m->labels = g_memdup2 (labels, MAX (g->n, 1) * sizeof (int));
      m->k = k;
      if (names != NULL)
        {
          m->names = g_new0 (char *, k + 1);
          for (guint j = 0; j < k; j++)
            m->names[j] = g_strdup (names[j]);
        }
    }
  m->title = g_strdup (title);
  m->highlight = -1;
  return m;
}

CsGraphModel *
cs_graph_model_ref (CsGraphModel *m)
{
  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_graph_model_unref (CsGraphModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  cs_graph_unref (m->graph);
  g_free (m->xy);
  g_free (m->labels);
  g_strfreev (m->names);
  g_free (m->title);
  g_free (m);
}

CsGraphModel *
cs_graph_model_with_highlight (const CsGraphModel *m,
                               gssize              node)
{
  CsGraphModel *c = cs_graph_model_new (m->graph, m->xy, m->labels, m->k, (const char *const *) m->names, m->title);
  c->highlight = node >= 0 && (gsize) node < m->graph->n ? node : -1;
  return c;
}

double
cs_graph_model_node_radius (const CsGraphModel *m)
{
  gsize n = m->graph->n;
  if (n <= 100)
    return 7.0;
  if (n <= 1000)
    return 4.0;
  return 2.5;
}

static char *
legend_name (const CsGraphModel *m,
             guint               j)
{
  if (m->names != NULL && m->names[j] != NULL)
    return g_strdup (m->names[j]);
  return g_strdup_printf ("cluster %u", j + 1);
}

static gboolean
has_unclustered (const CsGraphModel *m)
{
  if (m->labels == NULL)
    return FALSE;
  for (gsize i = 0; i < m->graph->n; i++)
    if (m->labels[i] < 0)
      return TRUE;
  return FALSE;
}

static guint
legend_rows (const CsGraphModel *m)
{
  if (m->labels == NULL)
    return 0;
  return MIN (m->k, MAX_LEGEND_ROWS) + (has_unclustered (m) ? 1 : 0);
}

static double
legend_width (const CsGraphModel *m,
              double              width)
{
  double w = 0.0;

  if (legend_rows (m) == 0)
    return 0.0;
  for (guint j = 0; j < MIN (m->k, MAX_LEGEND_ROWS); j++)
    {
      g_autofree char *name = legend_name (m, j);
      double tw;
      cs_i_text_extents (name, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, &tw, NULL);
      w = MAX (w, tw);
    }
  if (has_unclustered (m))
    {
      double tw;
      cs_i_text_extents ("unclustered", CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, &tw, NULL);
      w = MAX (w, tw);
    }
  /* A legend never takes more than a third of the canvas: names are cut instead. */
  return MIN (CS_STYLE_LEGEND_SWATCH + w, width / 3.0);
}

/* The plot rectangle and the map from layout coordinates into it (one scale for both axes,
 * so the layout keeps its shape). */
typedef struct
{
  CsRect plot;
  double scale;
  double ox;
  double oy;
  double cx;
  double cy;
  double legend_w;
} Geometry;

static void
geometry (const CsGraphModel *m,
          double              width,
          double              height,
          Geometry           *geo)
{
  double top = CS_STYLE_PAD;
  double r = cs_graph_model_node_radius (m);
  double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
  double inner_w, inner_h, margin;

  if (m->title != NULL && m->title[0] != '\0')
    top += CS_STYLE_TITLE_SIZE * 1.5 + 4.0;
  geo->legend_w = legend_width (m, width);
  geo->plot.x = CS_STYLE_PAD;
  geo->plot.y = top;
  geo->plot.width = MAX (width - CS_STYLE_PAD - geo->plot.x - (geo->legend_w > 0 ? geo->legend_w + CS_STYLE_LEGEND_GAP : 0),
                         1.0);
  geo->plot.height = MAX (height - CS_STYLE_PAD - top, 1.0);
  for (gsize i = 0; i < m->graph->n; i++)
    {
      double x = m->xy[2 * i], y = m->xy[2 * i + 1];
      if (!isfinite (x) || !isfinite (y))
        continue;
      xmin = MIN (xmin, x);
      xmax = MAX (xmax, x);
      ymin = MIN (ymin, y);
      ymax = MAX (ymax, y);
    }
  if (!(xmax >= xmin))
    xmin = xmax = ymin = ymax = 0.0;
  /* Room for a node's disc and, when names are drawn, a short name beside it. */
  margin = r + 2.0 + (m->graph->n <= MAX_NAMED_NODES ? CS_STYLE_NOTE_SIZE * 1.4 : 0.0);
  inner_w = MAX (geo->plot.width - 2 * margin, 1.0);
  inner_h = MAX (geo->plot.height - 2 * margin, 1.0);
  geo->scale = MIN (inner_w / MAX (xmax - xmin, 1e-12), inner_h / MAX (ymax - ymin, 1e-12));
  if (xmax - xmin < 1e-12 && ymax - ymin < 1e-12)
    geo->scale = 1.0;
  geo->cx = 0.5 * (xmin + xmax);
  geo->cy = 0.5 * (ymin + ymax);
  geo->ox = geo->plot.x + 0.5 * geo->plot.width;
  geo->oy = geo->plot.y + 0.5 * geo->plot.height;
}

static void
place (const Geometry *geo,
       double          x,
       double          y,
       double         *px,
       double         *py)
{
  *px = geo->ox + (x - geo->cx) * geo->scale;
  /* Layout y grows upwards, as in a scatter plot. */
  *py = geo->oy - (y - geo->cy) * geo->scale;
}

void
cs_graph_model_node_position (const CsGraphModel *m,
                              double              width,
                              double              height,
                              gsize               i,
                              double             *x,
                              double             *y)
{
  Geometry geo;

  g_return_if_fail (i < m->graph->n);
  geometry (m, width, height, &geo);
  place (&geo, m->xy[2 * i], m->xy[2 * i + 1], x, y);
}

gssize
cs_graph_model_node_at (const CsGraphModel *m,
                        double              width,
                        double              height,
                        double              x,
                        double              y)
{
  Geometry geo;
  double reach = cs_graph_model_node_radius (m) + CS_STYLE_HOVER_RADIUS;
  double best = reach * reach;
  gssize found = -1;

  geometry (m, width, height, &geo);
  for (gsize i = 0; i < m->graph->n; i++)
    {
      double px, py, d;
      place (&geo, m->xy[2 * i], m->xy[2 * i + 1], &px, &py);
      d = (px - x) * (px - x) + (py - y) * (py - y);
      if (d <= best)
        {
          best = d;
          found = (gssize) i;
        }
    }
  return found;
}

static void
node_rgb (cairo_t            *cr,
          const CsGraphModel *m,
          gsize               i,
          double              rgb[3])
{
  if (m->labels == NULL)
    memcpy (rgb, CS_STYLE_RGB_UNCLUSTERED, sizeof (double[3]));
  else if (m->labels[i] < 0)
    cs_i_render_neutral (cr, rgb);
  else
    cs_i_render_color (cr, (guint) m->labels[i], rgb);
}

static void
draw_legend (cairo_t            *cr,
             const CsGraphModel *m,
             const Geometry     *geo,
             double              width)
{
  double row = CS_STYLE_SMALL_SIZE * CS_STYLE_LEGEND_ROW;
  double x = width - CS_STYLE_PAD - geo->legend_w;
  double y = geo->plot.y;
  guint shown = MIN (m->k, MAX_LEGEND_ROWS);
  double rgb[3];

  for (guint j = 0; j <= shown; j++)
    {
      g_autofree char *name = NULL;
      g_autofree char *fit = NULL;

      if (j == shown)
        {
          if (!has_unclustered (m))
            break;
          name = g_strdup ("unclustered");
          cs_i_render_neutral (cr, rgb);
        }
      else
        {
          name = legend_name (m, j);
          cs_i_render_color (cr, j, rgb);
        }
      if (y + row > geo->plot.y + geo->plot.height)
        break;
      cs_i_view_set_rgb (cr, rgb);
      cairo_arc (cr, x + CS_STYLE_SWATCH_RADIUS, y + 0.5 * row, CS_STYLE_SWATCH_RADIUS, 0, 2 * G_PI);
      cairo_fill (cr);
      fit = cs_i_text_ellipsize (name, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL,
                                 geo->legend_w - CS_STYLE_LEGEND_SWATCH);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      cs_i_text_draw (cr, fit, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, x + CS_STYLE_LEGEND_SWATCH, y + 0.5 * row,
                      0.0, 0.5, 0.0);
      y += row;
    }
}

void
cs_render_graph (cairo_t            *cr,
                 const CsGraphModel *m,
                 double              width,
                 double              height)
{
  const CsGraph *g;
  Geometry geo;
  double r;

  cs_i_view_clear (cr, width, height);
  if (m == NULL)
    return;
  g = m->graph;
  r = cs_graph_model_node_radius (m);
  geometry (m, width, height, &geo);
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  cs_i_view_draw_title (cr, m->title, CS_STYLE_PAD, width);

  /* Edges faded so that the clusters' colours carry the figure; many edges fade further. */
  cairo_set_line_width (cr, g->n_edges > 2000 ? 0.5 : 1.0);
  cairo_set_source_rgba (cr, 0.45, 0.47, 0.50, g->n_edges > 2000 ? 0.12 : 0.35);
  for (gsize i = 0; i < g->n; i++)
    for (gsize e = g->row_ptr[i]; e < g->row_ptr[i + 1]; e++)
      {
        gsize j = g->col[e];
        double x0, y0, x1, y1;
        if (j <= i)
          continue;
        place (&geo, m->xy[2 * i], m->xy[2 * i + 1], &x0, &y0);
        place (&geo, m->xy[2 * j], m->xy[2 * j + 1], &x1, &y1);
        cairo_move_to (cr, x0, y0);
        cairo_line_to (cr, x1, y1);
      }
  cairo_stroke (cr);

  cairo_set_line_width (cr, 1.0);
  for (gsize i = 0; i < g->n; i++)
    {
      double px, py, rgb[3];
      place (&geo, m->xy[2 * i], m->xy[2 * i + 1], &px, &py);
      node_rgb (cr, m, i, rgb);
      cairo_new_sub_path (cr);
      cairo_arc (cr, px, py, r, 0, 2 * G_PI);
      cs_i_view_set_rgb (cr, rgb);
      cairo_fill_preserve (cr);
      /* A white rim keeps touching nodes apart. */
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_stroke (cr);
    }

  if (g->n <= MAX_NAMED_NODES)
    {
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      for (gsize i = 0; i < g->n; i++)
        {
          double px, py;
          place (&geo, m->xy[2 * i], m->xy[2 * i + 1], &px, &py);
          cs_i_text_draw (cr, g->names[i], CS_STYLE_NOTE_SIZE, CS_STYLE_WEIGHT_NORMAL, px + r + 1.5, py - r - 1.0,
                          0.0, 0.5, 0.0);
        }
    }

  if (m->highlight >= 0 && (gsize) m->highlight < g->n)
    {
      double px, py;
      place (&geo, m->xy[2 * m->highlight], m->xy[2 * m->highlight + 1], &px, &py);
      cairo_set_line_width (cr, 2.0);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_INK);
      /* Drawing text leaves a current point; without a new path the ring would start with a
       * line from it. */
      cairo_new_path (cr);
      cairo_arc (cr, px, py, r + 3.0, 0, 2 * G_PI);
      cairo_stroke (cr);
    }

  if (geo.legend_w > 0)
    draw_legend (cr, m, &geo, width);
  cairo_restore (cr);
}
