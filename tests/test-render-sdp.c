/* The SDP and PPP views: a tight relaxation draws as dark diagonal blocks on white, with the
 * clusters' colours along the edges; the PPP tree draws a leaf's box in its cluster's colour
 * and an accepted split in green, beside the scatter plot; both stay on their canvas at the
 * window's and the CLI's sizes and export to PNG, SVG and PDF. */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "core/base/cs-rng.h"
#include "core/cluster/cs-ppp.h"
#include "core/cluster/cs-sdp.h"
#include "ui/render/cs-export.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-plot-model.h"
#include "ui/render/cs-render-ppp.h"
#include "ui/render/cs-render-sdp.h"

#include "test-common.h"
#include "test-render-common.h"

#include "test-render-canvas.h"

static cairo_surface_t *
render (CsRenderFunc func, gconstpointer model, int width, int height)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (s);

  func (cr, model, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return s;
}

static gboolean
near_rgb (Pixel p, const double rgb[3], int tol)
{
  return abs (p.r - (int) lround (rgb[0] * 255)) <= tol && abs (p.g - (int) lround (rgb[1] * 255)) <= tol
         && abs (p.b - (int) lround (rgb[2] * 255)) <= tol;
}

/* Some pixel within 2 units of (x, y) is near rgb: outlines fall between pixels. */
static gboolean
near_rgb_around (cairo_surface_t *s, double x, double y, const double rgb[3], int tol)
{
  for (int dy = -2; dy <= 2; dy++)
    for (int dx = -2; dx <= 2; dx++)
      if (near_rgb (pixel_at (s, x + dx, y + dy), rgb, tol))
        return TRUE;
  return FALSE;
}

/* Three blobs with growing gaps, 20 rows each, in blob order. */
static CsMatrix *
blobs (gsize n)
{
  CsMatrix *x = cs_matrix_new (n, 2);
  CsRng rng;

  cs_rng_init (&rng, 3);
  for (gsize i = 0; i < n; i++)
    {
      guint b = (guint) (i * 3 / n);
      x->data[2 * i] = 5.0 * b * (b + 1) + cs_rng_normal (&rng);
      x->data[2 * i + 1] = (b == 1 ? 6.0 : 0.0) + cs_rng_normal (&rng);
    }
  return x;
}

static CsClustering *
sdp_result (void)
{
  g_autoptr (CsMatrix) x = blobs (60);
  CsSdpOptions o;
  CsClustering *c = NULL;
  g_autoptr (GError) error = NULL;

  cs_sdp_options_init (&o);
  o.k = 3;
  o.solver = CS_SDP_ADMM;
  g_assert_true (cs_sdp_kmeans_run (x, &o, NULL, &c, &error));
  g_assert_no_error (error);
  g_assert_true (c->sdp->tight);
  return c;
}

static void
test_sdp_blocks (void)
{
  g_autoptr (CsClustering) c = sdp_result ();
  int slots[3] = { 4, 1, 2 };
  g_autoptr (CsSdpModel) m = cs_sdp_model_new (c, slots);
  cairo_surface_t *s;
  CsRect f;
  double cell;
  double rgb[3];
  gsize start[4] = { 0 };

  g_assert_nonnull (m);
  g_assert_cmpuint (m->m, ==, 60);
  s = render (cs_render_sdp, m, 680, 540);
  cs_render_sdp_layout (m, 680, 540, &f);
  cell = f.width / 60.0;
  /* Clusters are contiguous in the picture; find where each starts. */
  for (gsize i = 1; i < 60; i++)
    g_assert_cmpint (m->labels[i], >=, m->labels[i - 1]);
  for (guint j = 0, i = 0; j < 3; j++)
    {
      while (i < 60 && m->labels[i] < (int) j)
        i++;
      start[j] = i;
    }
  start[3] = 60;
  for (guint a = 0; a < 3; a++)
    for (guint b = 0; b < 3; b++)
      {
        double cx = f.x + (start[a] + start[a + 1]) / 2.0 * cell;
        double cy = f.y + (start[b] + start[b + 1]) / 2.0 * cell;
        Pixel p = pixel_at (s, cx, cy);

        /* Z = 1/|G| inside a block, the largest value: black; 0 outside: white. */
        if (a == b)
          g_assert_true (p.r < 40 && p.g < 40 && p.b < 40);
        else
          g_assert_true (p.r > 245 && p.g > 245 && p.b > 245);
      }
  /* The strip above cluster 2's columns is its palette colour. */
  cs_palette_color (slots[1], rgb);
  g_assert_true (near_rgb (pixel_at (s, f.x + (start[1] + start[2]) / 2.0 * cell, f.y - 6.0), rgb, 3));
  cairo_surface_destroy (s);
  for (guint i = 0; i < G_N_ELEMENTS (figure_sizes); i++)
    assert_drawn_inside (cs_render_sdp, m, figure_sizes[i][0], figure_sizes[i][1]);
}

static void
test_sdp_no_report (void)
{
  g_autoptr (CsClustering) c = cs_clustering_new ("kmeans", 10, 2, 2);

  g_assert_null (cs_sdp_model_new (c, NULL));
}

static CsClustering *
ppp_result (void)
{
  g_autoptr (CsMatrix) x = blobs (300);
  CsPppOptions o;
  CsClustering *c = NULL;
  g_autoptr (GError) error = NULL;

  cs_ppp_options_init (&o);
  g_assert_true (cs_ppp_run (x, &o, NULL, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c->k, ==, 3);
  return c;
}

static CsPlotModel *
scatter_of (const CsClustering *c)
{
  g_autoptr (CsMatrix) x = blobs (300);
  CsPlotModel *p = cs_plot_model_new ();
  g_autofree double *xs = g_new (double, c->n);
  g_autofree double *ys = g_new (double, c->n);

  for (gsize i = 0; i < c->n; i++)
    {
      xs[i] = x->data[2 * i];
      ys[i] = x->data[2 * i + 1];
    }
  cs_plot_model_set_points (p, c->n, xs, ys, NULL);
  cs_plot_model_set_labels (p, c->labels, c->k);
  cs_plot_model_reset_view (p);
  g_free (p->x_label);
  g_free (p->y_label);
  p->x_label = g_strdup ("x");
  p->y_label = g_strdup ("y");
  return p;
}

static void
test_ppp_tree (void)
{
  g_autoptr (CsClustering) c = ppp_result ();
  CsPlotModel *scatter = scatter_of (c);
  g_autoptr (CsPppModel) m = cs_ppp_model_new (c, NULL, scatter);
  const double accepted[3] = { 0.15, 0.50, 0.25 };
  cairo_surface_t *s;
  CsRect box;
  gboolean scatter_coloured = FALSE;

  g_assert_nonnull (m);
  g_assert_nonnull (m->scatter);
  s = render (cs_render_ppp, m, 930, 640);
  if (g_getenv ("CS_TEST_FIGURES"))
    {
      g_autofree char *path = g_build_filename (g_getenv ("CS_TEST_FIGURES"), "ppp-930x640.png", NULL);
      cairo_surface_write_to_png (s, path);
    }
  /* The root split was accepted: its outline is green. */
  cs_render_ppp_node_box (m, 930, 640, 0, &box);
  g_assert_true (near_rgb_around (s, box.x, box.y + box.height / 2, accepted, 20));
  for (guint i = 0; i < m->tree.n_nodes; i++)
    {
      const CsPppNode *nd = &m->tree.nodes[i];
      double rgb[3];

      if (nd->cluster < 0)
        continue;
      cs_render_ppp_node_box (m, 930, 640, i, &box);
      cs_palette_color ((guint) nd->cluster, rgb);
      /* The leaf's outline in its cluster's colour, its box beside its siblings'. */
      g_assert_true (near_rgb_around (s, box.x, box.y + box.height / 2, rgb, 20));
      g_assert_cmpfloat (box.x + box.width, <=, 930 * 0.6);
    }
  /* The scatter on the right shows the clusters' colours. */
  for (int y = 100; y < 600 && !scatter_coloured; y += 2)
    for (int x = 600; x < 920 && !scatter_coloured; x += 2)
      {
        double rgb[3];
        cs_palette_color (2, rgb);
        scatter_coloured = near_rgb (pixel_at (s, x, y), rgb, 12);
      }
  g_assert_true (scatter_coloured);
  cairo_surface_destroy (s);
  for (guint i = 0; i < G_N_ELEMENTS (figure_sizes); i++)
    assert_drawn_inside (cs_render_ppp, m, figure_sizes[i][0], figure_sizes[i][1]);
  cs_plot_model_free (scatter);
}

static void
test_export (void)
{
  g_autoptr (CsClustering) sc = sdp_result ();
  g_autoptr (CsClustering) pc = ppp_result ();
  g_autoptr (CsSdpModel) sm = cs_sdp_model_new (sc, NULL);
  g_autoptr (CsPppModel) pm = cs_ppp_model_new (pc, NULL, NULL);
  g_autofree char *dir = g_dir_make_tmp ("cs-render-sdp-XXXXXX", NULL);
  const char *ext[] = { "png", "svg", "pdf" };

  for (guint i = 0; i < G_N_ELEMENTS (ext); i++)
    for (guint v = 0; v < 2; v++)
      {
        g_autofree char *name = g_strdup_printf ("%s.%s", v ? "ppp" : "sdp", ext[i]);
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autoptr (GError) error = NULL;
        CsExportFormat format;
        GStatBuf st;

        g_assert_true (cs_export_format_from_path (path, &format));
        g_assert_true (cs_render_export (v ? cs_render_ppp : cs_render_sdp, v ? (gconstpointer) pm : sm, path, format,
                                         160, 100, 150, &error));
        g_assert_no_error (error);
        g_assert_cmpint (g_stat (path, &st), ==, 0);
        g_assert_cmpint (st.st_size, >, 1000);
        g_unlink (path);
      }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/sdp/tight-is-block-diagonal", test_sdp_blocks);
  g_test_add_func ("/render/sdp/only-for-sdp-results", test_sdp_no_report);
  g_test_add_func ("/render/ppp/tree-colours-beside-clusters", test_ppp_tree);
  g_test_add_func ("/render/sdp-ppp/export-png-svg-pdf", test_export);
  return g_test_run ();
}
