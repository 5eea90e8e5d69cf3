/* The Graph page's machinery without a window: the progressive layout gives the layout it
 * gives without snapshots, on any thread count; picking after zoom and pan maps back to the
 * right node; a large graph's nodes are drawn where they are, in their colours; the fast
 * Nyström path equals a plain eigendecomposition reference. */
#include <cairo.h>
#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include <cblas.h>
#include <lapacke.h>

#include "core/base/cs-rng.h"
#include "core/cluster/cs-kmeans.h"
#include "core/graph/cs-graph-layout.h"
#include "core/graph/cs-graph.h"
#include "core/graph/cs-kernel-cluster.h"
#include "core/metrics/cs-metrics.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-graph.h"

static CsGraph *
block_model (gsize per_block,
             guint blocks,
             double p_in,
             double p_out)
{
  g_autofree gsize *sizes = g_new (gsize, blocks);
  g_autoptr (GError) error = NULL;
  for (guint b = 0; b < blocks; b++)
    sizes[b] = per_block;
  CsGraph *g = cs_graph_new_sbm (sizes, blocks, p_in, p_out, 7, &error);
  g_assert_no_error (error);
  return g;
}

typedef struct
{
  guint  count;
  guint  last_iteration;
  double first_x;
} Snapshots;

static void
count_snapshot (const double *xy,
                gsize         n,
                guint         iteration,
                gpointer      data)
{
  Snapshots *s = data;
  if (s->count++ == 0)
    s->first_x = xy[0];
  s->last_iteration = iteration;
}

static void
test_progressive_equals_plain (void)
{
  g_autoptr (CsGraph) g = block_model (60, 4, 0.2, 0.01);
  g_autoptr (GError) error = NULL;
  g_autofree double *plain = NULL;
  g_autofree double *progressive = NULL;
  CsLayoutOptions o;
  Snapshots s = { 0 };

  cs_layout_options_init (&o);
  o.seed = 1;
  g_assert_true (cs_graph_layout (g, &o, NULL, &plain, &error));
  o.snapshot_every = 5;
  o.snapshot = count_snapshot;
  o.snapshot_data = &s;
  g_assert_true (cs_graph_layout (g, &o, NULL, &progressive, &error));
  g_assert_no_error (error);
  /* 300 iterations, a snapshot every 5: 60 of them, the last at the end. */
  g_assert_cmpuint (s.count, ==, 60);
  g_assert_cmpuint (s.last_iteration, ==, 300);
  g_assert_cmpmem (plain, 2 * g->n * sizeof (double), progressive, 2 * g->n * sizeof (double));
  /* Snapshots are raw positions; normalised they fill [−1, 1]² as the final layout does. */
  double lo = INFINITY, hi = -INFINITY;
  for (gsize i = 0; i < 2 * g->n; i++)
    {
      lo = MIN (lo, plain[i]);
      hi = MAX (hi, plain[i]);
    }
  g_assert_cmpfloat (lo, >=, -1.0 - 1e-12);
  g_assert_cmpfloat (hi, <=, 1.0 + 1e-12);
  g_assert_cmpfloat (MAX (-lo, hi), >, 0.999);
}

/* Above CS_LAYOUT_EXACT_MAX the rows are split among threads: bitwise the same on 1 and 2. */
static void
test_large_layout_thread_independent (void)
{
  g_autoptr (CsGraph) g = block_model ((CS_LAYOUT_EXACT_MAX + 100) / 2, 2, 0.004, 0.0005);
  g_autoptr (GError) error = NULL;
  g_autofree double *one = NULL;
  g_autofree double *two = NULL;
  CsLayoutOptions o;

  g_assert_cmpuint (g->n, >, CS_LAYOUT_EXACT_MAX);
  cs_layout_options_init (&o);
  o.seed = 3;
  o.iterations = 4;
#ifdef _OPENMP
  omp_set_num_threads (1);
#endif
  g_assert_true (cs_graph_layout (g, &o, NULL, &one, &error));
#ifdef _OPENMP
  omp_set_num_threads (2);
#endif
  g_assert_true (cs_graph_layout (g, &o, NULL, &two, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (one, 2 * g->n * sizeof (double), two, 2 * g->n * sizeof (double));
}

static CsGraphModel *
random_model (gsize    n,
              guint64  seed,
              CsGraph **out_graph)
{
  g_autoptr (CsGraph) g = block_model (n / 4, 4, 8.0 / (double) n, 1.0 / (double) n);
  g_autofree double *xy = g_new (double, 2 * g->n);
  g_autofree int *labels = g_new (int, g->n);
  CsRng rng;

  cs_rng_init (&rng, seed);
  for (gsize i = 0; i < 2 * g->n; i++)
    xy[i] = 2.0 * cs_rng_uniform (&rng) - 1.0;
  for (gsize i = 0; i < g->n; i++)
    labels[i] = g->labels[i];
  if (out_graph)
    *out_graph = cs_graph_ref (g);
  return cs_graph_model_new (g, xy, labels, 4, NULL, "Random layout");
}

static void
test_pick_after_zoom_and_pan (void)
{
  g_autoptr (CsGraphModel) base = random_model (400, 11, NULL);
  const double w = 900, h = 600;
  const double views[][3] = { { 1.0, NAN, NAN }, { 3.7, 0.31, -0.22 }, { 12.5, -0.6, 0.45 }, { 0.5, 0.9, 0.9 } };

  for (gsize v = 0; v < G_N_ELEMENTS (views); v++)
    {
      double vx = isnan (views[v][1]) ? base->view_x : views[v][1];
      double vy = isnan (views[v][2]) ? base->view_y : views[v][2];
      g_autoptr (CsGraphModel) m = cs_graph_model_with_view (base, views[v][0], vx, vy);
      double px0, py0, pw, ph;
      guint checked = 0;

      g_assert_cmpfloat (m->zoom, ==, views[v][0]);
      cs_graph_model_plot_rect (m, w, h, &px0, &py0, &pw, &ph);
      for (gsize i = 0; i < m->graph->n; i++)
        {
          double x, y, lx, ly;
          cs_graph_model_node_position (m, w, h, i, &x, &y);
          /* the canvas → layout map is the inverse of the placement, at any zoom and pan */
          cs_graph_model_canvas_to_layout (m, w, h, x, y, &lx, &ly);
          g_assert_cmpfloat (fabs (lx - m->xy[2 * i]), <, 1e-9);
          g_assert_cmpfloat (fabs (ly - m->xy[2 * i + 1]), <, 1e-9);
          if (x < px0 || x > px0 + pw || y < py0 || y > py0 + ph)
            continue;
          /* pointing at a visible node (a pixel off its centre) picks that node, unless
           * another one is drawn nearer that point */
          gssize got = cs_graph_model_node_at (m, w, h, x + 0.5, y - 0.5);
          g_assert_cmpint (got, >=, 0);
          if ((gsize) got != i)
            {
              double gx, gy;
              cs_graph_model_node_position (m, w, h, (gsize) got, &gx, &gy);
              g_assert_cmpfloat (hypot (gx - x - 0.5, gy - y + 0.5), <=, hypot (0.5, 0.5) + 1e-9);
            }
          else
            checked++;
        }
      g_test_message ("zoom %.2f: %u visible nodes picked back", m->zoom, checked);
      g_assert_cmpuint (checked, >, views[v][0] >= 3.0 ? 3 : 300);
    }

  /* Zooming about a canvas point keeps the layout point under it (the page's zoom rule). */
  {
    g_autoptr (CsGraphModel) a = cs_graph_model_with_view (base, 2.0, 0.1, 0.2);
    double lx, ly, lx2, ly2, z2 = 5.0;
    cs_graph_model_canvas_to_layout (a, w, h, 321.0, 123.0, &lx, &ly);
    g_autoptr (CsGraphModel) b = cs_graph_model_with_view (base, z2, lx - (lx - a->view_x) * a->zoom / z2,
                                                           ly - (ly - a->view_y) * a->zoom / z2);
    cs_graph_model_canvas_to_layout (b, w, h, 321.0, 123.0, &lx2, &ly2);
    g_assert_cmpfloat (fabs (lx2 - lx), <, 1e-9);
    g_assert_cmpfloat (fabs (ly2 - ly), <, 1e-9);
  }
  /* zoom is clamped */
  {
    g_autoptr (CsGraphModel) c = cs_graph_model_with_view (base, 1e9, 0, 0);
    g_assert_cmpfloat (c->zoom, ==, CS_GRAPH_ZOOM_MAX);
  }
}

static gboolean
pixel_near (cairo_surface_t *s,
            double           x,
            double           y,
            const double     rgb[3],
            double           tol)
{
  const guint8 *p = cairo_image_surface_get_data (s) + (int) y * cairo_image_surface_get_stride (s) + 4 * (int) x;
  return fabs (p[2] / 255.0 - rgb[0]) < tol && fabs (p[1] / 255.0 - rgb[1]) < tol && fabs (p[0] / 255.0 - rgb[2]) < tol;
}

/* Past a hundred nodes the discs are stamped into an image layer: each still sits where
 * node_position says, in its cluster's colour, zoomed or not; nothing is drawn outside the
 * plot when zoomed. */
static void
test_many_nodes_drawn_in_place (void)
{
  g_autoptr (CsGraphModel) base = random_model (1200, 5, NULL);
  const int w = 800, h = 600;

  for (int v = 0; v < 2; v++)
    {
      g_autoptr (CsGraphModel) m = cs_graph_model_with_view (base, v == 0 ? 1.0 : 6.0, 0.2, -0.1);
      cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
      cairo_t *cr = cairo_create (s);
      double r = cs_graph_model_node_radius (m), px0, py0, pw, ph;
      guint checked = 0;
      g_autofree double *pos = g_new (double, 2 * m->graph->n);

      for (gsize i = 0; i < m->graph->n; i++)
        cs_graph_model_node_position (m, w, h, i, &pos[2 * i], &pos[2 * i + 1]);
      cs_render_graph (cr, m, w, h);
      cairo_surface_flush (s);
      cs_graph_model_plot_rect (m, w, h, &px0, &py0, &pw, &ph);
      for (gsize i = 0; i < m->graph->n; i++)
        {
          double x = pos[2 * i], y = pos[2 * i + 1], rgb[3];
          gboolean alone = TRUE;
          if (x < px0 + r || x > px0 + pw - r || y < py0 + r || y > py0 + ph - r)
            continue;
          for (gsize j = 0; j < m->graph->n && alone; j++)
            {
              double x2 = pos[2 * j], y2 = pos[2 * j + 1];
              /* names (drawn when few nodes are in view) reach right of their node */
              alone = j == i || hypot (x2 - x, y2 - y) > 2.0 * r + (v == 1 ? 60.0 : 2.0);
            }
          if (!alone)
            continue;
          cs_palette_color ((guint) m->labels[i], rgb);
          /* the disc's middle: the colour, give or take an edge drawn across it */
          g_assert_true (pixel_near (s, x, y, rgb, 0.12));
          checked++;
        }
      g_test_message ("zoom %.0f: %u isolated nodes in their colours", m->zoom, checked);
      g_assert_cmpuint (checked, >, v == 0 ? 200 : 2);
      if (v == 1)
        {
          /* zoomed: just below the plot, white canvas */
          const double white[3] = { 1, 1, 1 };
          for (double x = px0; x < px0 + pw; x += 7.0)
            g_assert_true (pixel_near (s, x, MIN (py0 + ph + 2.0, h - 1.0), white, 0.01));
        }
      cairo_destroy (cr);
      cairo_surface_destroy (s);
    }
}

/* The Nyström map (panels and row blocks side by side) gives the clustering a plain
 * reference gives: Φ = C V Λ^−½ from LAPACK's eigendecomposition of the landmarks' kernel,
 * the same landmarks (m = n: every row), then the same k-means. And it does not depend on
 * the thread count. */
static void
test_nystrom_matches_reference (void)
{
  gsize n = 600, d = 4, k = 3;
  g_autoptr (CsMatrix) x = cs_matrix_new (n, d);
  g_autoptr (CsMatrix) phi = NULL;
  g_autoptr (CsMatrix) phi2 = NULL;
  g_autoptr (GError) error = NULL;
  CsRng rng;

  cs_rng_init (&rng, 9);
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < d; j++)
      x->data[i * d + j] = 3.0 * (double) (i % k) * (j == 0) + cs_rng_normal (&rng);
  CsNystromOptions o = { { CS_POINT_KERNEL_RBF, 0.3, 1 }, (guint) n, FALSE, 2 };
#ifdef _OPENMP
  omp_set_num_threads (1);
#endif
  g_assert_true (cs_nystrom_features (x, &o, NULL, &phi, &error));
#ifdef _OPENMP
  omp_set_num_threads (2);
#endif
  g_assert_true (cs_nystrom_features (x, &o, NULL, &phi2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (phi->cols, ==, phi2->cols);
  g_assert_cmpmem (phi->data, n * phi->cols * sizeof (double), phi2->data, n * phi2->cols * sizeof (double));

  /* reference: K = V Λ Vᵀ, Φ = K V Λ^−½ = V Λ^½ over the numerically positive part */
  g_autoptr (CsMatrix) kern = cs_matrix_new (n, n);
  g_autofree double *lambda = g_new (double, n);
  g_autofree double *v = g_new (double, n * n);
  g_autofree lapack_int *support = g_new (lapack_int, 2 * n);
  lapack_int found = 0;
  cs_point_kernel_block (&o.kernel, x, 0, n, x, kern->data);
  g_assert_cmpint (LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'A', 'U', n, kern->data, n, 0, 0, 0, 0, 0.0, &found, lambda,
                                   v, n, support), ==, 0);
  gsize r = 0;
  for (gsize c = 0; c < n; c++)
    r += lambda[c] > 1e-10 * lambda[n - 1];
  g_autoptr (CsMatrix) ref = cs_matrix_new (n, r);
  for (gsize i = 0; i < n; i++)
    for (gsize c = n - r, q = 0; c < n; c++, q++)
      ref->data[i * r + q] = v[i * n + c] * sqrt (lambda[c]);

  /* the same Gram matrix up to rounding */
  double worst = 0.0;
  for (gsize i = 0; i < n; i += 7)
    for (gsize j = 0; j < n; j += 5)
      {
        double a = cblas_ddot (phi->cols, phi->data + i * phi->cols, 1, phi->data + j * phi->cols, 1);
        double b = cblas_ddot (r, ref->data + i * r, 1, ref->data + j * r, 1);
        worst = MAX (worst, fabs (a - b));
      }
  g_test_message ("Nyström m = n against the eigendecomposition: max Gram difference %.2e", worst);
  g_assert_cmpfloat (worst, <, 1e-6);

  CsKmeansOptions ko;
  g_autoptr (CsClustering) a = NULL;
  g_autoptr (CsClustering) b = NULL;
  cs_kmeans_options_init (&ko);
  ko.k = k;
  ko.n_init = 3;
  ko.seed = 4;
  g_assert_true (cs_kmeans_run (phi, &ko, NULL, NULL, &a, &error));
  g_assert_true (cs_kmeans_run (ref, &ko, NULL, NULL, &b, &error));
  g_assert_cmpfloat (cs_metric_ari (a->labels, b->labels, n), ==, 1.0);
  g_assert_cmpfloat (fabs (a->objective - b->objective), <, 1e-6 * b->objective);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/graph-view/layout/progressive-equals-plain", test_progressive_equals_plain);
  g_test_add_func ("/graph-view/layout/large-thread-independent", test_large_layout_thread_independent);
  g_test_add_func ("/graph-view/render/pick-after-zoom-and-pan", test_pick_after_zoom_and_pan);
  g_test_add_func ("/graph-view/render/many-nodes-drawn-in-place", test_many_nodes_drawn_in_place);
  g_test_add_func ("/graph-view/nystrom/matches-eigen-reference", test_nystrom_matches_reference);
  return g_test_run ();
}
