/* The Choose k figure: every chart, thumbnail and the heatmap stay on the canvas at the
 * window's and the CLI's sizes; a click on a thumbnail or a chart's column gives its k; the
 * heatmap is black on the diagonal blocks of stable clusters. */
#include <math.h>

#include "core/base/cs-rng.h"
#include "ui/render/cs-render-choose-k.h"
#include "test-render-canvas.h"

static CsChooseKModel *
make_model (guint heat_k, CsMatrix **x_out)
{
  static const double c[4][2] = { { 0, 0 }, { 10, 0 }, { 0, 10 }, { 10, 10 } };
  gsize     n = 160;
  CsMatrix *x = cs_matrix_new (n, 2);
  g_autofree gsize *index = g_new (gsize, n);
  g_autoptr (CsParams) p = cs_params_new (cs_registry_lookup ("kmeans"));
  g_autoptr (CsChooseKResult) r = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree double *px = g_new (double, n);
  g_autofree double *py = g_new (double, n);
  CsChooseKOptions o;
  CsRng rng;

  cs_rng_init (&rng, 3);
  for (gsize i = 0; i < n; i++)
    {
      x->data[2 * i] = px[i] = c[i % 4][0] + 0.7 * cs_rng_normal (&rng);
      x->data[2 * i + 1] = py[i] = c[i % 4][1] + 0.7 * cs_rng_normal (&rng);
      index[i] = i;
    }
  cs_choose_k_options_init (&o);
  o.k_min = 1;
  o.k_max = 9;
  o.stability_runs = 5;
  o.gap_references = 5;
  g_assert_true (cs_choose_k_run (x, p, &o, NULL, &r, &error));
  *x_out = x;
  return cs_choose_k_model_new (r, "Choosing k for k-means on 160 points", n, px, py, index, 4, heat_k);
}

static void
test_inside (void)
{
  g_autoptr (CsMatrix) x = NULL;
  g_autoptr (CsChooseKModel) m = make_model (4, &x);
  g_autoptr (CsChooseKModel) bare = NULL;

  for (guint s = 0; s < G_N_ELEMENTS (figure_sizes); s++)
    assert_drawn_inside ((void (*) (cairo_t *, gconstpointer, double, double)) cs_render_choose_k, m,
                         figure_sizes[s][0], figure_sizes[s][1]);
  bare = cs_choose_k_model_with_selected (m, 0);
  g_assert_cmpuint (bare->heat_k, ==, 4);
  assert_drawn_inside ((void (*) (cairo_t *, gconstpointer, double, double)) cs_render_choose_k, bare, 680, 420);
}

static void
test_heat_and_hit (void)
{
  g_autoptr (CsMatrix) x = NULL;
  g_autoptr (CsChooseKModel) m = make_model (4, &x);
  guint side = m->heat_side;
  guint hits[10] = { 0 };

  g_assert_nonnull (m->heat);
  g_assert_cmpuint (side, ==, 160);
  /* Stable at k = 4: ordered by cluster, the matrix is four all-ones blocks on the diagonal. */
  for (guint a = 0; a < side; a++)
    {
      g_assert_cmpfloat (m->heat[a * side + a], ==, 1.0f);
      for (guint b = 0; b < side; b++)
        g_assert_cmpfloat (m->heat[a * side + b], ==, (a / 40 == b / 40) ? 1.0f : 0.0f);
    }
  for (guint b = 0; b < 3; b++)
    g_assert_cmpfloat_with_epsilon (m->heat_bounds[b], (b + 1) * 0.25, 1e-12);

  /* Scan the canvas: every k of the range is reachable by a click somewhere. */
  for (double py = 0; py < 640; py += 3)
    for (double px = 0; px < 930; px += 3)
      {
        guint k = cs_render_choose_k_hit (m, 930, 640, px, py);
        g_assert_cmpuint (k, <=, 9);
        hits[k]++;
      }
  for (guint k = 1; k <= 9; k++)
    g_assert_cmpuint (hits[k], >, 0);
  g_assert_cmpuint (cs_render_choose_k_hit (m, 930, 640, 1, 1), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/choose-k/inside-canvas", test_inside);
  g_test_add_func ("/render/choose-k/heatmap-and-hit", test_heat_and_hit);
  return g_test_run ();
}
