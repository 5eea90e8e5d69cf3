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
  m->bbox[0] = m->bbox[2] = INFINITY;
  m->bbox[1] = m->bbox[3] = -INFINITY;
  for (gsize i = 0; i < g->n; i++)
    {
      double x = xy[2 * i], y = xy[2 * i + 1];
      if (!isfinite (x) || !isfinite (y))
        continue;
      m->bbox[0] = MIN (m->bbox[0], x);
      m->bbox[1] = MAX (m->bbox[1], x);
      m->bbox[2] = MIN (m->bbox[2], y);
      m->bbox[3] = MAX (m->bbox[3], y);
    }
  if (!(m->bbox[1] >= m->bbox[0]))
    m->bbox[0] = m->bbox[1] = m->bbox[2] = m->bbox[3] = 0.0;
  m->zoom = 1.0;
  m->view_x = 0.5 * (m->bbox[0] + m->bbox[1]);
  m->view_y = 0.5 * (m->bbox[2] + m->bbox[3]);
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
  CsGraphModel *c = cs_graph_model_with_view (m, m->zoom, m->view_x, m->view_y);
  c->highlight = node >= 0 && (gsize) node < m->graph->n ? node : -1;
  return c;
}

CsGraphModel *
cs_graph_model_with_view (const CsGraphModel *m,
                          double              zoom,
                          double              x,
                          double              y)
{
  CsGraphModel *c = cs_graph_model_new (m->graph, m->xy, m->labels, m->k, (const char *const *) m->names, m->title);
  c->highlight = m->highlight;
  c->zoom = isfinite (zoom) ? CLAMP (zoom, CS_GRAPH_ZOOM_MIN, CS_GRAPH_ZOOM_MAX) : 1.0;
  if (isfinite (x) && isfinite (y))
    {
      c->view_x = x;
      c->view_y = y;
    }
  return c;
}

static double
base_radius (const CsGraphModel *m)
{
  gsize n = m->graph->n;
  if (n <= 100)
    return 7.0;
  if (n <= 1000)
    return 4.0;
  return 2.5;
}

double
cs_graph_model_node_radius (const CsGraphModel *m)
{
  /* Zoomed in, discs grow a little (up to twice) so that a crowded part can be told apart
   * without the nodes turning into blobs. */
  return base_radius (m) * CLAMP (sqrt (m->zoom), 1.0, 2.0);
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
  /* The fitted scale does not depend on the zoom, so zooming about a point is exact. */
  double r = base_radius (m);
  double xmin, xmax, ymin, ymax;
  double inner_w, inner_h, margin;

  if (m->title != NULL && m->title[0] != '\0')
    top += CS_STYLE_TITLE_SIZE * 1.5 + 4.0;
  geo->legend_w = legend_width (m, width);
  geo->plot.x = CS_STYLE_PAD;
  geo->plot.y = top;
  geo->plot.width = MAX (width - CS_STYLE_PAD - geo->plot.x - (geo->legend_w > 0 ? geo->legend_w + CS_STYLE_LEGEND_GAP : 0),
                         1.0);
  geo->plot.height = MAX (height - CS_STYLE_PAD - top, 1.0);
  xmin = m->bbox[0];
  xmax = m->bbox[1];
  ymin = m->bbox[2];
  ymax = m->bbox[3];
  /* Room for a node's disc and, when names are drawn, a short name beside it. */
  margin = r + 2.0 + (m->graph->n <= MAX_NAMED_NODES ? CS_STYLE_NOTE_SIZE * 1.4 : 0.0);
  inner_w = MAX (geo->plot.width - 2 * margin, 1.0);
  inner_h = MAX (geo->plot.height - 2 * margin, 1.0);
  geo->scale = MIN (inner_w / MAX (xmax - xmin, 1e-12), inner_h / MAX (ymax - ymin, 1e-12));
  if (xmax - xmin < 1e-12 && ymax - ymin < 1e-12)
    geo->scale = 1.0;
  /* Zoom scales the fitted view about the plot's centre; pan moves the layout point there. */
  geo->scale *= m->zoom;
  geo->cx = m->view_x;
  geo->cy = m->view_y;
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

void
cs_graph_model_canvas_to_layout (const CsGraphModel *m,
                                 double              width,
                                 double              height,
                                 double              px,
                                 double              py,
                                 double             *x,
                                 double             *y)
{
  Geometry geo;

  geometry (m, width, height, &geo);
  *x = geo.cx + (px - geo.ox) / geo.scale;
  *y = geo.cy - (py - geo.oy) / geo.scale;
}

void
cs_graph_model_plot_rect (const CsGraphModel *m,
                          double              width,
                          double              height,
                          double             *x,
                          double             *y,
                          double             *w,
                          double             *h)
{
  Geometry geo;

  geometry (m, width, height, &geo);
  *x = geo.plot.x;
  *y = geo.plot.y;
  *w = geo.plot.width;
  *h = geo.plot.height;
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

/* Whether the segment between two canvas points can cross the rectangle: FALSE only when
 * both ends lie beyond the same side (a cheap test that keeps every visible edge). */
static gboolean
segment_may_cross (double        x0,
                   double        y0,
                   double        x1,
                   double        y1,
                   const CsRect *v)
{
  return !((x0 < v->x && x1 < v->x) || (x0 > v->x + v->width && x1 > v->x + v->width) || (y0 < v->y && y1 < v->y)
           || (y0 > v->y + v->height && y1 > v->y + v->height));
}

static gboolean
inside (double        x,
        double        y,
        const CsRect *v)
{
  return x >= v->x && x <= v->x + v->width && y >= v->y && y <= v->y + v->height;
}

/* Up to this many nodes each is drawn with a white rim, one after another; beyond, nodes are
 * small and many: stamped (draw_nodes_many). */
#define MAX_RIMMED_NODES 100
#define EDGE_BUDGET       30000
#define EDGE_PIXEL_BUDGET 4e6

/* Adds an antialiased line (Wu's: two pixels across the minor axis per step along the major
 * one, weighted by distance) of opacity `a` to an A8 coverage buffer, composited "over" what
 * is there, so crossing edges darken as strokes would. Coordinates in buffer pixels. */
static void
wu_line (guint8 *buf,
         int     stride,
         int     w,
         int     h,
         double  x0,
         double  y0,
         double  x1,
         double  y1,
         double  a)
{
  gboolean steep = fabs (y1 - y0) > fabs (x1 - x0);
  int major_n = steep ? h : w, minor_n = steep ? w : h;
  double t;

  if (steep)
    {
      t = x0, x0 = y0, y0 = t;
      t = x1, x1 = y1, y1 = t;
    }
  if (x0 > x1)
    {
      t = x0, x0 = x1, x1 = t;
      t = y0, y0 = y1, y1 = t;
    }
  double grad = x1 - x0 > 1e-12 ? (y1 - y0) / (x1 - x0) : 0.0;
  int i0 = (int) MAX (ceil (x0 - 0.5), 0.0), i1 = (int) MIN (floor (x1 - 0.5), (double) major_n - 1);
  for (int i = i0; i <= i1; i++)
    {
      double yc = y0 + grad * (i + 0.5 - x0) - 0.5;
      double fl = floor (yc);
      int j = (int) fl;
      double f = yc - fl;
      for (int q = 0; q < 2; q++)
        {
          int jj = j + q;
          if (jj < 0 || jj >= minor_n)
            continue;
          guint8 *p = steep ? buf + (gsize) i * stride + jj : buf + (gsize) jj * stride + i;
          int c = (int) (255.0 * a * (q == 0 ? 1.0 - f : f) + 0.5);
          *p = (guint8) (*p + (c * (255 - *p) + 127) / 255);
        }
    }
}

/* Edges faded so that the clusters' colours carry the figure; many edges fade further. On
 * screen and in PNGs they are rasterised into a coverage layer by our own line drawing and
 * painted through it once: cairo strokes a thin translucent line in about 50 µs, so 100,000
 * edges would take seconds (a single path of crossing segments is slower still). Vector
 * exports get real strokes. Level of detail: an edge shorter than a quarter pixel is covered
 * by its nodes' discs and skipped (most of them when a large graph is zoomed out). */
static void
draw_edges (cairo_t            *cr,
            const CsGraphModel *m,
            const Geometry     *geo,
            const double       *px,
            const guint8       *shown,
            const CsRect       *vis,
            gboolean            viewed,
            double              width,
            double              height)
{
  const CsGraph *g = m->graph;
  cairo_surface_type_t type = cairo_surface_get_type (cairo_get_target (cr));
  gboolean vector = type == CAIRO_SURFACE_TYPE_PDF || type == CAIRO_SURFACE_TYPE_SVG || type == CAIRO_SURFACE_TYPE_PS;
  gboolean many = g->n_edges > 2000;
  double alpha = many ? 0.12 : 0.35;
  CsRect area = viewed ? geo->plot : (CsRect) { 0, 0, width, height };
  cairo_surface_t *layer = NULL;
  guint8 *buf = NULL;
  int lw = 0, lh = 0, stride = 0;
  double sx = 1.0, sy = 1.0;

  if (!vector)
    {
      cs_i_render_pixel_scale (cr, &sx, &sy);
      lw = MAX ((int) ceil (area.width * sx), 1);
      lh = MAX ((int) ceil (area.height * sy), 1);
      layer = cairo_image_surface_create (CAIRO_FORMAT_A8, lw, lh);
      if (cairo_surface_status (layer) != CAIRO_STATUS_SUCCESS)
        {
          cairo_surface_destroy (layer);
          layer = NULL;
        }
    }
  if (layer != NULL)
    {
      cairo_surface_flush (layer);
      buf = cairo_image_surface_get_data (layer);
      stride = cairo_image_surface_get_stride (layer);
      memset (buf, 0, (gsize) stride * lh);
    }
  else
    {
      cairo_set_line_width (cr, many ? 0.5 : 1.0);
      cairo_set_source_rgba (cr, 0.45, 0.47, 0.50, alpha);
      cairo_new_path (cr);
    }
  /* Level of detail for dense views: past EDGE_BUDGET edges (or EDGE_PIXEL_BUDGET pixels of
   * line) to draw, every s-th one is drawn, s times as opaque, so the haze keeps its density
   * at a fraction of the cost (the same edges every frame: the choice goes by edge index). */
  gsize to_draw = 0, every = 1, seen = 0;
  double length = 0.0;
  if (buf != NULL)
    {
      for (gsize i = 0; i < g->n; i++)
        for (gsize e = g->row_ptr[i]; e < g->row_ptr[i + 1]; e++)
          {
            gsize j = g->col[e];
            if (j > i && (shown[i] || shown[j]
                          || segment_may_cross (px[2 * i], px[2 * i + 1], px[2 * j], px[2 * j + 1], vis)))
              {
                to_draw++;
                /* pixels walked: at most the area's diagonal, as lines are clipped to it */
                length += MIN (fabs (px[2 * j] - px[2 * i]) + fabs (px[2 * j + 1] - px[2 * i + 1]),
                               area.width + area.height) * MAX (sx, sy);
              }
          }
      every = MAX ((gsize) 1, (to_draw + EDGE_BUDGET - 1) / EDGE_BUDGET);
      every = MAX (every, (gsize) ceil (length / EDGE_PIXEL_BUDGET));
    }
  double line_alpha = MIN ((many ? 0.6 * alpha : alpha) * (double) every, 1.0);
  for (gsize i = 0; i < g->n; i++)
    for (gsize e = g->row_ptr[i]; e < g->row_ptr[i + 1]; e++)
      {
        gsize j = g->col[e];
        double x0 = px[2 * i], y0 = px[2 * i + 1], x1 = px[2 * j], y1 = px[2 * j + 1];
        if (j <= i || !(shown[i] || shown[j] || segment_may_cross (x0, y0, x1, y1, vis)))
          continue;
        if (every > 1 && seen++ % every != 0)
          continue;
        if (fabs (x1 - x0) + fabs (y1 - y0) < 0.25 || !isfinite (x0 + y0 + x1 + y1))
          continue;
        if (buf != NULL)
          {
            /* Far-off ends are pulled in along the line first, so a zoomed view does not
             * walk millions of pixels outside the layer. */
            double t0 = 0.0, t1 = 1.0, dx = x1 - x0, dy = y1 - y0;
            double lo[2] = { area.x - 2.0, area.y - 2.0 }, hi[2] = { area.x + area.width + 2.0, area.y + area.height + 2.0 };
            double p0[2] = { x0, y0 }, d[2] = { dx, dy };
            gboolean keep = TRUE;
            for (int ax = 0; ax < 2 && keep; ax++)
              {
                if (fabs (d[ax]) < 1e-12)
                  {
                    keep = p0[ax] >= lo[ax] && p0[ax] <= hi[ax];
                    continue;
                  }
                double ta = (lo[ax] - p0[ax]) / d[ax], tb = (hi[ax] - p0[ax]) / d[ax];
                t0 = MAX (t0, MIN (ta, tb));
                t1 = MIN (t1, MAX (ta, tb));
                keep = t0 <= t1;
              }
            if (!keep)
              continue;
            wu_line (buf, stride, lw, lh, (x0 + t0 * dx - area.x) * sx, (y0 + t0 * dy - area.y) * sy,
                     (x0 + t1 * dx - area.x) * sx, (y0 + t1 * dy - area.y) * sy, line_alpha);
          }
        else
          {
            cairo_move_to (cr, x0, y0);
            cairo_line_to (cr, x1, y1);
          }
      }
  if (buf != NULL)
    {
      cairo_pattern_t *pattern;
      cairo_matrix_t matrix;
      cairo_surface_mark_dirty (layer);
      pattern = cairo_pattern_create_for_surface (layer);
      cairo_matrix_init_scale (&matrix, sx, sy);
      cairo_matrix_translate (&matrix, -area.x, -area.y);
      cairo_pattern_set_matrix (pattern, &matrix);
      cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
      cairo_set_source_rgb (cr, 0.45, 0.47, 0.50);
      cairo_mask (cr, pattern);
      cairo_pattern_destroy (pattern);
      cairo_surface_destroy (layer);
    }
  else
    cairo_stroke (cr);
}

static CsRect
vis_area (const Geometry *geo,
          gboolean        viewed,
          double          width,
          double          height)
{
  return viewed ? geo->plot : (CsRect) { 0, 0, width, height };
}

/* Many small discs: on screen and in PNGs, one antialiased stamp per colour composited "over"
 * into an image layer painted once (a cairo path of 20,000 overlapping circles costs its
 * tessellator seconds); vector exports get one filled path per colour. Unclustered nodes
 * first, then the clusters in order. */
static void
draw_nodes_many (cairo_t            *cr,
                 const CsGraphModel *m,
                 const double       *px,
                 const guint8       *shown,
                 double              r,
                 CsRect              area)
{
  const CsGraph *g = m->graph;
  cairo_surface_type_t type = cairo_surface_get_type (cairo_get_target (cr));
  gboolean vector = type == CAIRO_SURFACE_TYPE_PDF || type == CAIRO_SURFACE_TYPE_SVG || type == CAIRO_SURFACE_TYPE_PS;
  guint groups = m->labels != NULL ? m->k + 1 : 1;
  double sx = 1.0, sy = 1.0;

  if (!vector)
    cs_i_render_pixel_scale (cr, &sx, &sy);
  int lw = MAX ((int) ceil (area.width * sx), 1), lh = MAX ((int) ceil (area.height * sy), 1);
  cairo_surface_t *layer = vector ? NULL : cairo_image_surface_create (CAIRO_FORMAT_ARGB32, lw, lh);
  if (layer != NULL && cairo_surface_status (layer) != CAIRO_STATUS_SUCCESS)
    g_clear_pointer (&layer, cairo_surface_destroy);

  for (guint c = 0; c < groups; c++)
    {
      double rgb[3];
      if (m->labels == NULL)
        memcpy (rgb, CS_STYLE_RGB_UNCLUSTERED, sizeof rgb);
      else if (c == 0)
        cs_i_render_neutral (cr, rgb);
      else
        cs_i_render_color (cr, c - 1, rgb);
      if (layer == NULL)
        {
          gboolean any = FALSE;
          cairo_new_path (cr);
          for (gsize i = 0; i < g->n; i++)
            {
              int lab = m->labels != NULL ? m->labels[i] : -1;
              if (!shown[i] || (c == 0 ? lab >= 0 && (guint) lab < m->k : lab != (int) c - 1))
                continue;
              cairo_move_to (cr, px[2 * i] + r, px[2 * i + 1]);
              cairo_arc (cr, px[2 * i], px[2 * i + 1], r, 0, 2 * G_PI);
              any = TRUE;
            }
          if (any)
            {
              cs_i_view_set_rgb (cr, rgb);
              cairo_fill (cr);
            }
          continue;
        }
      /* The stamp: premultiplied colour times the disc's coverage (4 × 4 samples a pixel). */
      double rp = r * sx;
      int half = (int) ceil (rp) + 1, side = 2 * half + 1;
      g_autofree guint32 *stamp = g_new (guint32, (gsize) side * side);
      for (int v = 0; v < side; v++)
        for (int u = 0; u < side; u++)
          {
            int hit = 0;
            for (int q = 0; q < 16; q++)
              {
                double dx = u - half + ((q & 3) + 0.5) / 4.0 - 0.5, dy = v - half + ((q >> 2) + 0.5) / 4.0 - 0.5;
                hit += dx * dx + dy * dy <= rp * rp;
              }
            guint32 a = (guint32) (255 * hit / 16);
            stamp[v * side + u] = (a << 24) | ((guint32) (rgb[0] * a + 0.5) << 16) | ((guint32) (rgb[1] * a + 0.5) << 8)
                                  | (guint32) (rgb[2] * a + 0.5);
          }
      cairo_surface_flush (layer);
      guint8 *data = cairo_image_surface_get_data (layer);
      int stride = cairo_image_surface_get_stride (layer);
      for (gsize i = 0; i < g->n; i++)
        {
          int lab = m->labels != NULL ? m->labels[i] : -1;
          if (!shown[i] || (c == 0 ? lab >= 0 && (guint) lab < m->k : lab != (int) c - 1))
            continue;
          int x0 = (int) floor ((px[2 * i] - area.x) * sx) - half, y0 = (int) floor ((px[2 * i + 1] - area.y) * sy) - half;
          for (int v = MAX (0, -y0); v < side && y0 + v < lh; v++)
            {
              guint32 *row = (guint32 *) (data + (gsize) (y0 + v) * stride);
              for (int u = MAX (0, -x0); u < side && x0 + u < lw; u++)
                {
                  guint32 s = stamp[v * side + u], d = row[x0 + u], sa = s >> 24;
                  if (sa == 0)
                    continue;
                  guint32 out = 0;
                  for (int sh = 0; sh < 32; sh += 8)
                    {
                      guint32 sc = (s >> sh) & 255, dc = (d >> sh) & 255;
                      out |= MIN (sc + (dc * (255 - sa) + 127) / 255, 255u) << sh;
                    }
                  row[x0 + u] = out;
                }
            }
        }
      cairo_surface_mark_dirty (layer);
    }
  if (layer != NULL)
    {
      cairo_pattern_t *pattern = cairo_pattern_create_for_surface (layer);
      cairo_matrix_t matrix;
      cairo_matrix_init_scale (&matrix, sx, sy);
      cairo_matrix_translate (&matrix, -area.x, -area.y);
      cairo_pattern_set_matrix (pattern, &matrix);
      cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
      cairo_set_source (cr, pattern);
      cairo_paint (cr);
      cairo_pattern_destroy (pattern);
      cairo_surface_destroy (layer);
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
  CsRect vis;
  gboolean viewed;
  g_autofree double *px = NULL;
  g_autofree guint8 *shown = NULL;
  gsize n_shown = 0;

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

  /* Zoomed or panned, the graph stays inside its plot (under the title, beside the legend);
   * what is outside is neither drawn nor even sent to cairo. */
  viewed = m->zoom != 1.0 || m->view_x != 0.5 * (m->bbox[0] + m->bbox[1])
           || m->view_y != 0.5 * (m->bbox[2] + m->bbox[3]);
  if (viewed)
    {
      cairo_save (cr);
      cairo_rectangle (cr, geo.plot.x, geo.plot.y, geo.plot.width, geo.plot.height);
      cairo_clip (cr);
      vis = (CsRect) { geo.plot.x - r - 2.0, geo.plot.y - r - 2.0, geo.plot.width + 2 * r + 4.0,
                       geo.plot.height + 2 * r + 4.0 };
    }
  else
    vis = (CsRect) { -r - 2.0, -r - 2.0, width + 2 * r + 4.0, height + 2 * r + 4.0 };

  px = g_new (double, 2 * MAX (g->n, 1));
  shown = g_new0 (guint8, MAX (g->n, 1));
  for (gsize i = 0; i < g->n; i++)
    {
      place (&geo, m->xy[2 * i], m->xy[2 * i + 1], &px[2 * i], &px[2 * i + 1]);
      if (isfinite (px[2 * i]) && isfinite (px[2 * i + 1]) && inside (px[2 * i], px[2 * i + 1], &vis))
        {
          shown[i] = 1;
          n_shown++;
        }
    }

  draw_edges (cr, m, &geo, px, shown, &vis, viewed, width, height);

  if (g->n <= MAX_RIMMED_NODES)
    {
      cairo_set_line_width (cr, 1.0);
      for (gsize i = 0; i < g->n; i++)
        {
          double rgb[3];
          if (!shown[i])
            continue;
          node_rgb (cr, m, i, rgb);
          cairo_new_sub_path (cr);
          cairo_arc (cr, px[2 * i], px[2 * i + 1], r, 0, 2 * G_PI);
          cs_i_view_set_rgb (cr, rgb);
          cairo_fill_preserve (cr);
          /* A white rim keeps touching nodes apart. */
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_stroke (cr);
        }
    }
  else
    {
      draw_nodes_many (cr, m, px, shown, r, vis_area (&geo, viewed, width, height));
    }

  /* Names while they can be read: a small graph, or few nodes in a zoomed view. */
  if (g->n <= MAX_NAMED_NODES || n_shown <= MAX_NAMED_NODES)
    {
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      for (gsize i = 0; i < g->n; i++)
        if (shown[i])
          cs_i_text_draw (cr, g->names[i], CS_STYLE_NOTE_SIZE, CS_STYLE_WEIGHT_NORMAL, px[2 * i] + r + 1.5,
                          px[2 * i + 1] - r - 1.0, 0.0, 0.5, 0.0);
    }

  if (m->highlight >= 0 && (gsize) m->highlight < g->n)
    {
      cairo_set_line_width (cr, 2.0);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_INK);
      /* Drawing text leaves a current point; without a new path the ring would start with a
       * line from it. */
      cairo_new_path (cr);
      cairo_arc (cr, px[2 * m->highlight], px[2 * m->highlight + 1], r + 3.0, 0, 2 * G_PI);
      cairo_stroke (cr);
    }
  if (viewed)
    cairo_restore (cr);

  if (geo.legend_w > 0)
    draw_legend (cr, m, &geo, width);
  cairo_restore (cr);
}
