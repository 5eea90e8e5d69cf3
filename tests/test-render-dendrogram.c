/* The dendrogram view: the model's leaf order, truncation and colours, and pixel checks of
 * the drawn figure (links in their cluster's colour below the cut, grey above, the cut line,
 * the cluster strip), on a hand-made tree and on 20,000 rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/cs-rng.h"
#include "core/cluster/cs-agglomerative.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-dendrogram.h"
#include "ui/render/cs-render-style.h"

#include "test-common.h"
#include "test-render-common.h"
#include "test-render-canvas.h"

/* Rows 0 … 4; 1 and 3 merge at 1, 0 and 4 at 2, then those two pairs at 6, row 2 last at 9:
 * leaves left to right 2, 1, 3, 0, 4 (SciPy's leaves_list: the first cluster of a merge goes left). */
static const double tree[] = {
  1, 3, 1.0, 2,
  0, 4, 2.0, 2,
  5, 6, 6.0, 4,
  2, 7, 9.0, 5,
};

static gboolean
pixel_near (Pixel p, const double rgb[3], int tol)
{
  return abs (p.r - (int) lround (rgb[0] * 255)) <= tol && abs (p.g - (int) lround (rgb[1] * 255)) <= tol
         && abs (p.b - (int) lround (rgb[2] * 255)) <= tol;
}

static cairo_surface_t *
draw (const CsDendrogramModel *m, int w, int h)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cairo_t         *cr = cairo_create (s);

  cs_render_dendrogram (cr, m, w, h);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return s;
}

static void
test_model (void)
{
  static const int slots[] = { 4, 7 };
  g_autoptr (CsDendrogramModel) m = cs_dendrogram_model_new (5, tree, 3, NAN, slots, 150);
  static const gsize leaves[] = { 2, 1, 3, 0, 4 };
  static const int   labels[] = { 0, 0, 1, 0, 0 };

  g_assert_cmpuint (m->k, ==, 2);
  g_assert_cmpuint (m->p, ==, 5);
  g_assert_cmpmem (m->leaf_node, sizeof leaves, leaves, sizeof leaves);
  g_assert_cmpmem (m->labels, sizeof labels, labels, sizeof labels);
  /* midway between the last merge kept (6) and the next (9) */
  g_assert_cmpfloat (m->cut_height, ==, 7.5);
  g_assert_cmpint (m->node_label[5 + 2], ==, 0);
  g_assert_cmpint (m->node_label[5 + 3], ==, -1);
  g_assert_cmpuint (m->node_size[5 + 3], ==, 5);
  /* merge 0 joins leaves 1 and 2 (x 1.5, 2.5), merge 1 leaves 3 and 4; the root sits between
   * leaf 0 and merge 2 */
  g_assert_cmpfloat (m->node_x[0], ==, 2.0);
  g_assert_cmpfloat (m->node_x[1], ==, 4.0);
  g_assert_cmpfloat (m->node_x[2], ==, 3.0);
  g_assert_cmpfloat (m->node_x[3], ==, (0.5 + m->node_x[2]) / 2);
  g_assert_cmpint (m->color_slot[1], ==, 7);
  /* the cut heights for each k */
  g_assert_cmpfloat (cs_dendrogram_cut_height_for (tree, 5, 0), ==, 0.5);
  g_assert_cmpfloat (cs_dendrogram_cut_height_for (tree, 5, 1), ==, 1.5);
  g_assert_cmpfloat (cs_dendrogram_cut_height_for (tree, 5, 4), >, 9.0);
}

/* Links below the cut in their cluster's palette colour (through the colour slots), the root
 * above it grey, the dashed cut line dark at its height, the strip under each leaf in its
 * cluster's colour. */
static void
test_pixels (void)
{
  static const int slots[] = { 4, 7 };
  g_autoptr (CsDendrogramModel) m = cs_dendrogram_model_new (5, tree, 3, NAN, slots, 150);
  cairo_surface_t *s = draw (m, 500, 360);
  CsRect           f;
  double           c0[3], c1[3];
  double           leaf_w;
  gboolean         dark = FALSE;
  double           y;

  cs_palette_color (4, c0);
  cs_palette_color (7, c1);
  cs_render_dendrogram_layout (m, 500, 360, &f);
  leaf_w = f.width / 5;
  /* the horizontal of merge 1 (rows 0 and 4, leaves 3 and 4) at height 2 */
  y = cs_render_dendrogram_y (m, &f, 2.0);
  g_assert_true (pixel_near (pixel_at (s, f.x + 4.0 * leaf_w, y), c0, 10));
  /* the vertical above leaf 0 (row 2, a cluster of its own) rises from 0 to the root at 9, in
   * the root's grey above the cut */
  g_assert_true (pixel_near (pixel_at (s, f.x + 0.5 * leaf_w, cs_render_dendrogram_y (m, &f, 8.5)), CS_STYLE_RGB_TICK,
                             10));
  /* merge 2 at height 6 is below the cut: cluster 0's colour (left of the root's leg at 3) */
  g_assert_true (pixel_near (pixel_at (s, f.x + 2.5 * leaf_w, cs_render_dendrogram_y (m, &f, 6.0)), c0, 10));
  /* the cut line at 7.5, dashed: dark pixels along it */
  y = cs_render_dendrogram_y (m, &f, 7.5);
  for (double x = f.x + 0.7 * leaf_w; x < f.x + 1.4 * leaf_w; x += 1.0)
    {
      Pixel p = pixel_at (s, x, y);
      dark |= p.r < 60 && p.g < 60 && p.b < 60;
    }
  g_assert_true (dark);
  /* the strip: leaf 0 (row 2) in cluster 1's colour, leaf 3 (row 0) in cluster 0's */
  g_assert_true (pixel_near (pixel_at (s, f.x + 0.5 * leaf_w, f.y + f.height + 8.0), c1, 10));
  g_assert_true (pixel_near (pixel_at (s, f.x + 3.5 * leaf_w, f.y + f.height + 8.0), c0, 10));
  /* y and height are inverse */
  g_assert_cmpfloat_with_epsilon (cs_render_dendrogram_height_at (m, &f, cs_render_dendrogram_y (m, &f, 4.25)), 4.25,
                                  1e-9);
  cairo_surface_destroy (s);
}

/* 20,000 rows: the tree is cut to the last 149 merges (150 leaves whose sizes add up to n),
 * the figure stays on every canvas size, and the cluster strip carries every cluster colour. */
static void
test_large (void)
{
  g_autoptr (CsMatrix) x = cs_matrix_new (20000, 2);
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDendrogramModel) m = NULL;
  CsAgglomerativeOptions o;
  CsRng                  rng;
  gsize                  total = 0;
  cairo_surface_t       *s;
  CsRect                 f;
  gboolean               seen[6] = { FALSE };

  cs_rng_init (&rng, 5);
  for (gsize i = 0; i < x->rows * 2; i++)
    x->data[i] = cs_rng_normal (&rng) + 8.0 * (double) ((i / 2) % 6);
  cs_agglomerative_options_init (&o);
  o.k = 6;
  g_assert_true (cs_agglomerative_run (x, &o, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  m = cs_dendrogram_model_new_from_result (c, NULL);
  g_assert_nonnull (m);
  g_assert_cmpuint (m->p, ==, CS_DENDROGRAM_MAX_LEAVES);
  for (gsize j = 0; j < m->p; j++)
    total += m->node_size[m->leaf_node[j]];
  g_assert_cmpuint (total, ==, 20000);
  g_assert_cmpmem (m->labels, 20000 * sizeof (int), c->labels, 20000 * sizeof (int));
  for (guint i = 0; i < G_N_ELEMENTS (figure_sizes); i++)
    assert_drawn_inside (cs_render_dendrogram, m, figure_sizes[i][0], figure_sizes[i][1]);
  s = draw (m, 930, 640);
  cs_render_dendrogram_layout (m, 930, 640, &f);
  for (double px = f.x + 0.5; px < f.x + f.width; px += 1.0)
    {
      Pixel p = pixel_at (s, px, f.y + f.height + 8.0);
      for (guint j = 0; j < 6; j++)
        {
          double rgb[3];
          cs_palette_color (j, rgb);
          seen[j] |= pixel_near (p, rgb, 6);
        }
    }
  for (guint j = 0; j < 6; j++)
    g_assert_true (seen[j]);
  cairo_surface_destroy (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/dendrogram/model-order-cut-colours", test_model);
  g_test_add_func ("/render/dendrogram/pixels", test_pixels);
  g_test_add_func ("/render/dendrogram/20000-rows-truncated", test_large);
  return g_test_run ();
}
