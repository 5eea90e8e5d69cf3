/* The Graph page's frame time: cs_render_graph on a 1,280 × 800 image surface for the bundled
 * sbm-1000 sample and a 20,000-node block model, the whole graph, zoomed in 4× and 16× on its
 * centre, and with a node ringed (what a hover redraws), plus the force layout's time. A
 * redraw feels fluid under ~33 ms. Build with -Dbuildtype=release for figures worth quoting.
 *   bench-graph-view [NODES]   (default 20000; 10 blocks, mean degree about 10) */
#include <stdio.h>
#include <stdlib.h>

#include "core/graph/cs-graph-layout.h"
#include "core/graph/cs-graph.h"
#include "ui/render/cs-render-graph.h"

#define WIDTH   1280
#define HEIGHT  800
#define REPEATS 15

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Median milliseconds of one frame. */
static double
frame_ms (const CsGraphModel *m)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  double t[REPEATS];

  for (int r = 0; r < REPEATS; r++)
    {
      cairo_t *cr = cairo_create (s);
      gint64 t0 = g_get_monotonic_time ();
      cs_render_graph (cr, m, WIDTH, HEIGHT);
      cairo_surface_flush (s);
      t[r] = (double) (g_get_monotonic_time () - t0) / 1000.0;
      cairo_destroy (cr);
    }
  cairo_surface_destroy (s);
  qsort (t, REPEATS, sizeof (double), compare_doubles);
  return t[REPEATS / 2];
}

static int
bench (const char *what,
       CsGraph    *g)
{
  g_autoptr (GError) error = NULL;
  g_autofree double *xy = NULL;
  g_autofree int *labels = g_new (int, g->n);
  CsLayoutOptions o;
  gint64 t0;

  cs_layout_options_init (&o);
  o.seed = 1;
  /* The exact O(n²) repulsion takes minutes at 20,000 nodes; the frames are timed on a
   * partly settled layout there (the clusters have formed by then). */
  if (g->n > 5000)
    o.iterations = 15;
  t0 = g_get_monotonic_time ();
  if (!cs_graph_layout (g, &o, NULL, &xy, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  double layout_s = (double) (g_get_monotonic_time () - t0) / 1e6;
  for (gsize i = 0; i < g->n; i++)
    labels[i] = g->labels != NULL ? g->labels[i] : 0;
  guint k = g->labels != NULL ? g->n_classes : 1;
  g_autoptr (CsGraphModel) m = cs_graph_model_new (g, xy, labels, k, NULL, what);
  g_autoptr (CsGraphModel) hover = cs_graph_model_with_highlight (m, (gssize) (g->n / 2));
  g_autoptr (CsGraphModel) z4 = cs_graph_model_with_view (m, 4.0, m->view_x, m->view_y);
  g_autoptr (CsGraphModel) z16 = cs_graph_model_with_view (m, 16.0, m->view_x, m->view_y);

  printf ("%s: %zu nodes, %zu edges; layout %.2f s (%u iterations)\n", what, g->n, g->n_edges,
          layout_s, o.iterations);
  printf ("   frame (median of %d, %d x %d): whole graph %.1f ms, hover ring %.1f ms, zoom 4x %.1f ms, "
          "zoom 16x %.1f ms\n",
          REPEATS, WIDTH, HEIGHT, frame_ms (m), frame_ms (hover), frame_ms (z4), frame_ms (z16));
  fflush (stdout);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  gsize n = argc > 1 ? (gsize) atol (argv[1]) : 20000;
  guint blocks = 10;
  g_autofree gsize *sizes = g_new (gsize, blocks);
  g_autoptr (GError) error = NULL;

  g_autoptr (CsGraph) sample = cs_graph_load_sample ("sbm-1000", &error);
  if (sample == NULL || bench ("sbm-1000", sample) != 0)
    return 1;
  for (guint b = 0; b < blocks; b++)
    sizes[b] = n / blocks;
  /* mean degree about 10, a fifth of it between blocks */
  double p_in = 8.0 / (double) (n / blocks), p_out = 2.0 / (double) (n - n / blocks);
  g_autoptr (CsGraph) g = cs_graph_new_sbm (sizes, blocks, p_in, p_out, 1, &error);
  if (g == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  g_autofree char *what = g_strdup_printf ("block model %zu", g->n);
  return bench (what, g);
}
