/* The novel classes view: the cross-validation curve over the number of novel classes with the
 * chosen count marked in the accent colour, the split into known classes (named from the label
 * column, with their labelled rows) and novel clusters in the clusters' colours; no figure for
 * other algorithms; a note instead of a curve when the count was given; on its canvas at the
 * window's and the CLI's sizes; PNG, SVG and PDF export. */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "core/base/cs-rng.h"
#include "core/cluster/cs-ncd.h"
#include "core/cluster/cs-pipeline.h"
#include "ui/render/cs-export.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-novel.h"

#include "test-common.h"
#include "test-render-common.h"

#include "test-render-canvas.h"

static cairo_surface_t *
render (gconstpointer model, int width, int height)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (s);

  cs_render_novel (cr, model, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  if (g_getenv ("CS_TEST_FIGURES"))
    {
      g_autofree char *name = g_strdup_printf ("novel-%dx%d.png", width, height);
      g_autofree char *path = g_build_filename (g_getenv ("CS_TEST_FIGURES"), name, NULL);
      cairo_surface_write_to_png (s, path);
    }
  return s;
}

static gboolean
near_rgb (Pixel p, const double rgb[3], int tol)
{
  return abs (p.r - (int) lround (rgb[0] * 255)) <= tol && abs (p.g - (int) lround (rgb[1] * 255)) <= tol
         && abs (p.b - (int) lround (rgb[2] * 255)) <= tol;
}

/* Some pixel of r (clipped to the surface) is near rgb. */
static gboolean
colour_in (cairo_surface_t *s, const CsRect *r, const double rgb[3], int tol)
{
  int w = cairo_image_surface_get_width (s);
  int h = cairo_image_surface_get_height (s);

  for (int y = MAX ((int) r->y, 0); y < MIN ((int) (r->y + r->height), h); y++)
    for (int x = MAX ((int) r->x, 0); x < MIN ((int) (r->x + r->width), w); x++)
      if (near_rgb (pixel_at (s, x, y), rgb, tol))
        return TRUE;
  return FALSE;
}

/* 5 blobs in 3-D, the first 3 known (70 % of their rows labelled), the last 2 novel. */
static CsMatrix *
data (int **known)
{
  const gsize sizes[] = { 120, 100, 80, 90, 110 };
  gsize n = 0, at = 0;
  CsMatrix *x;
  CsRng rng;

  for (guint c = 0; c < 5; c++)
    n += sizes[c];
  x = cs_matrix_new (n, 3);
  *known = g_new (int, n);
  cs_rng_init (&rng, 44);
  for (guint c = 0; c < 5; c++)
    for (gsize s = 0; s < sizes[c]; s++, at++)
      {
        for (gsize j = 0; j < 3; j++)
          x->data[at * 3 + j] = cs_rng_normal (&rng);
        x->data[at * 3 + c % 3] += 9.0 * (1 + c / 3);
        x->data[at * 3 + (c + 1) % 3] += 4.5 * (c % 2);
        (*known)[at] = c < 3 && cs_rng_uniform (&rng) < 0.7 ? (int) c : -1;
      }
  return x;
}

/* A pipeline run of `algo` on the data with a categorical label column (class names,
 * empty where unknown). */
static CsPipelineResult *
run (const char *algo_id, gint64 k_novel, CsDataset **ds_out)
{
  g_autofree int *known = NULL;
  g_autoptr (CsMatrix) x = data (&known);
  const char *const levels[] = { "setosa", "versicolor", "virginica" };
  CsDataset *ds = cs_dataset_new ("ncd", x->rows);
  const CsAlgorithm *algo = cs_registry_lookup (algo_id);
  g_autoptr (CsParams) p = cs_params_new (algo);
  g_autoptr (GError) error = NULL;
  CsPipelineOptions po;
  CsPipelineResult *r;

  for (gsize j = 0; j < 3; j++)
    {
      double *col = g_new (double, x->rows);
      g_autofree char *name = g_strdup_printf ("x%" G_GSIZE_FORMAT, j);
      for (gsize i = 0; i < x->rows; i++)
        col[i] = x->data[i * 3 + j];
      cs_dataset_add_numeric (ds, name, col);
    }
  cs_dataset_add_categorical (ds, "species", known, levels, 3);
  ds->label_column = 3;
  if (cs_algorithm_find_param (algo, "k_novel") != NULL)
    cs_params_set_int (p, "k_novel", k_novel);
  else
    cs_params_set_int (p, "k", 5);
  cs_pipeline_options_init (&po);
  po.algorithm = algo;
  po.params = p;
  po.prepare.scaling = CS_SCALE_NONE;
  r = cs_pipeline_run (ds, &po, NULL, &error);
  g_assert_no_error (error);
  *ds_out = ds;
  return r;
}

static void
test_curve_and_split (gconstpointer algo_id)
{
  g_autoptr (CsDataset) ds = NULL;
  g_autoptr (CsPipelineResult) r = run (algo_id, 0, &ds);
  g_autoptr (CsNovelModel) m = cs_novel_model_new_for_result (ds, r, NULL);
  const CsChartModel *curve;
  cairo_surface_t *s;
  CsRect chart, table, frame;
  double accent[3];
  double cx, cy;
  gsize n_known = 0;

  g_assert_nonnull (m);
  g_assert_cmpuint (m->k_known, ==, 3);
  g_assert_cmpuint (m->k, ==, 5);
  /* Names from the label column's levels, labelled rows counted. */
  g_assert_cmpstr (m->names[0], ==, "setosa");
  g_assert_cmpstr (m->names[2], ==, "virginica");
  g_assert_cmpstr (m->names[3], ==, "Novel 1");
  {
    g_autofree int *classes = cs_dataset_class_labels (ds, NULL);
    gsize per[3] = { 0, 0, 0 };
    for (gsize i = 0; i < ds->n_rows; i++)
      if (classes[i] >= 0)
        per[classes[i]]++, n_known++;
    for (guint j = 0; j < 3; j++)
      g_assert_cmpuint (m->labelled[j], ==, per[j]);
    g_assert_cmpuint (m->n_labelled, ==, n_known);
  }
  g_assert_cmpuint (m->sizes[0] + m->sizes[1] + m->sizes[2] + m->sizes[3] + m->sizes[4], ==, ds->n_rows);

  /* The curve: x = novel classes 1 … k_novel_max, the chosen 2 marked. */
  curve = m->curve;
  g_assert_nonnull (curve);
  g_assert_cmpfloat (curve->x[0], ==, 1.0);
  g_assert_cmpuint (curve->n, ==, 8);
  g_assert_cmpint (curve->marked, ==, 1);
  g_assert_cmpfloat (curve->x[curve->marked], ==, 2.0);
  g_assert_cmpstr (curve->mark_label, ==, "2 novel");
  for (gsize i = 0; i < curve->n; i++)
    g_assert_cmpfloat (curve->y[i], ==, r->clustering->score_by_k[i]);

  s = render (m, 930, 640);
  cs_render_novel_layout (m, 930, 640, &chart, &table);
  /* Side by side at the window's size: the chart left of the table. */
  g_assert_cmpfloat (chart.x + chart.width, <=, table.x);
  cs_render_trace_layout (curve, chart.width, chart.height, &frame);
  cs_render_trace_point (curve, &frame, curve->x[1], curve->y[1], &cx, &cy);
  cs_palette_color (1, accent);
  {
    CsRect around = { chart.x + cx - 6, chart.y + cy - 6, 12, 12 };
    g_assert_true (colour_in (s, &around, accent, 16));
  }
  /* Every cluster's colour is in the table (its swatch). */
  for (guint j = 0; j < m->k; j++)
    {
      double rgb[3];
      cs_palette_color (j, rgb);
      g_assert_true (colour_in (s, &table, rgb, 10));
    }
  /* The curve, in the single-series colour, is in the chart's part. */
  {
    double line[3];
    cs_palette_color (0, line);
    g_assert_true (colour_in (s, &chart, line, 10));
  }
  cairo_surface_destroy (s);
  for (guint i = 0; i < G_N_ELEMENTS (figure_sizes); i++)
    assert_drawn_inside (cs_render_novel, m, figure_sizes[i][0], figure_sizes[i][1]);
}

/* A count given: no curve, a sentence saying so in its place; the split is still drawn. */
static void
test_given_count (void)
{
  g_autoptr (CsDataset) ds = NULL;
  g_autoptr (CsPipelineResult) r = run ("ncd-kmeans", 3, &ds);
  g_autoptr (CsNovelModel) m = cs_novel_model_new_for_result (ds, r, NULL);
  cairo_surface_t *s;
  CsRect table;
  double rgb[3];

  g_assert_nonnull (m);
  g_assert_null (m->curve);
  g_assert_cmpuint (m->k, ==, 6);
  g_assert_nonnull (strstr (m->note, "given (3)"));
  s = render (m, 680, 420);
  cs_render_novel_layout (m, 680, 420, NULL, &table);
  cs_palette_color (5, rgb);
  g_assert_true (colour_in (s, &table, rgb, 10));
  cairo_surface_destroy (s);
  for (guint i = 0; i < G_N_ELEMENTS (figure_sizes); i++)
    assert_drawn_inside (cs_render_novel, m, figure_sizes[i][0], figure_sizes[i][1]);
}

/* Without known classes the curve is the silhouette by number of clusters, from k = 2. */
static void
test_no_known_classes (void)
{
  g_autofree int *known = NULL;
  g_autoptr (CsMatrix) x = data (&known);
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (CsNovelModel) m = NULL;
  g_autoptr (GError) error = NULL;
  CsNcdOptions o;

  cs_ncd_options_init (&o);
  o.k_novel_max = 8;
  g_assert_true (cs_ncd_kmeans_run (x, NULL, &o, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  m = cs_novel_model_new (c, NULL, NULL, NULL);
  g_assert_nonnull (m);
  g_assert_nonnull (m->curve);
  g_assert_cmpfloat (m->curve->x[0], ==, 2.0);
  g_assert_cmpint (m->curve->marked, >=, 0);
  g_assert_cmpfloat (m->curve->x[m->curve->marked], ==, (double) c->k);
  g_assert_nonnull (strstr (m->curve->y_label, "Silhouette"));
  for (guint i = 0; i < G_N_ELEMENTS (figure_sizes); i++)
    assert_drawn_inside (cs_render_novel, m, figure_sizes[i][0], figure_sizes[i][1]);
}

/* Other algorithms have no novel classes: no figure (the page is then disabled). */
static void
test_only_for_ncd (void)
{
  g_autoptr (CsDataset) ds = NULL;
  g_autoptr (CsPipelineResult) r = run ("kmeans", 0, &ds);

  g_assert_false (cs_novel_result_applies (r->clustering));
  g_assert_null (cs_novel_model_new_for_result (ds, r, NULL));
  g_assert_null (cs_novel_model_new (r->clustering, NULL, NULL, NULL));
}

static void
test_export (void)
{
  g_autoptr (CsDataset) ds = NULL;
  g_autoptr (CsPipelineResult) r = run ("ncd-spectral", 0, &ds);
  g_autoptr (CsNovelModel) m = cs_novel_model_new_for_result (ds, r, NULL);
  g_autofree char *dir = g_dir_make_tmp ("cs-render-novel-XXXXXX", NULL);
  const char *ext[] = { "png", "svg", "pdf" };

  g_assert_nonnull (m);
  for (guint i = 0; i < G_N_ELEMENTS (ext); i++)
    {
      g_autofree char *name = g_strdup_printf ("novel.%s", ext[i]);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (GError) error = NULL;
      CsExportFormat format;
      GStatBuf st;

      g_assert_true (cs_export_format_from_path (path, &format));
      g_assert_true (cs_render_export (cs_render_novel, m, path, format, 160, 100, 150, &error));
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
  g_test_add_data_func ("/render/novel/ncd-kmeans/curve-marked-and-split", "ncd-kmeans", test_curve_and_split);
  g_test_add_data_func ("/render/novel/ncd-spectral/curve-marked-and-split", "ncd-spectral", test_curve_and_split);
  g_test_add_func ("/render/novel/given-count-note-instead-of-curve", test_given_count);
  g_test_add_func ("/render/novel/no-known-classes-silhouette", test_no_known_classes);
  g_test_add_func ("/render/novel/only-for-ncd", test_only_for_ncd);
  g_test_add_func ("/render/novel/export-png-svg-pdf", test_export);
  return g_test_run ();
}
