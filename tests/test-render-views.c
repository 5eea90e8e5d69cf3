#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "core/data/cs-dataset.h"
#include "core/cluster/cs-result.h"
#include "core/data/cs-toy.h"
#include "core/density/cs-dp-kernel.h"
#include "ui/render/cs-colormap.h"
#include "ui/render/cs-export.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-plot-model.h"
#include "ui/render/cs-render-privacy.h"
#include "ui/render/cs-render-views.h"

#include "test-common.h"
#include "test-render-common.h"

#include "test-render-canvas.h"

/* Helpers ------------------------------------------------------------------------------ */

static gboolean
pixel_is (Pixel         p,
          const double  rgb[3],
          int           tolerance)
{
  return abs (p.r - (int) lround (rgb[0] * 255)) <= tolerance
         && abs (p.g - (int) lround (rgb[1] * 255)) <= tolerance
         && abs (p.b - (int) lround (rgb[2] * 255)) <= tolerance;
}

static gboolean
pixel_is_white (Pixel p)
{
  return p.r >= 250 && p.g >= 250 && p.b >= 250;
}

static gboolean
pixel_is_dark (Pixel p)
{
  return p.r < 70 && p.g < 70 && p.b < 70;
}

static cairo_surface_t *
render (CsRenderFunc  func,
        gconstpointer model,
        int           width,
        int           height)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (s);

  func (cr, model, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return s;
}

/* Two clusters in scrambled order, one NaN (outside the sample) and one noise row. */
static const double sil_values[] = { 0.2, 0.8, -0.3, 0.5, NAN, 0.6, 0.1, 0.9, 0.4, 0.3 };
static const int sil_labels[] = { 0, 1, 1, 0, 0, 0, 1, 1, -1, 0 };

static CsSilhouetteModel *
small_silhouette (const int *color_slot)
{
  return cs_silhouette_model_new (G_N_ELEMENTS (sil_values), sil_values, sil_labels, 2, color_slot);
}

/* Silhouette --------------------------------------------------------------------------- */

static void
test_silhouette_model (void)
{
  g_autoptr (CsSilhouetteModel) m = small_silhouette (NULL);
  static const double expected[] = { 0.6, 0.5, 0.3, 0.2, 0.9, 0.8, 0.1, -0.3 };

  g_assert_cmpuint (m->n, ==, 8);
  g_assert_cmpuint (m->offsets[0], ==, 0);
  g_assert_cmpuint (m->offsets[1], ==, 4);
  g_assert_cmpuint (m->offsets[2], ==, 8);
  for (gsize i = 0; i < m->n; i++)
    g_assert_cmpfloat_with_epsilon (m->values[i], expected[i], 1e-12);
  g_assert_cmpfloat_with_epsilon (m->average, (0.6 + 0.5 + 0.3 + 0.2 + 0.9 + 0.8 + 0.1 - 0.3) / 8, 1e-12);
  g_assert_cmpfloat_with_epsilon (m->min, -0.3, 1e-12);
}

static void
test_silhouette_bar_colours (void)
{
  static const int swapped[] = { 1, 0 };
  g_autoptr (CsSilhouetteModel) m = small_silhouette (NULL);
  g_autoptr (CsSilhouetteModel) ms = small_silhouette (swapped);
  double c0[3];
  double c1[3];
  CsRect f;
  double y0;
  double y1;
  double x;
  cairo_surface_t *s;

  cs_palette_color (0, c0);
  cs_palette_color (1, c1);
  cs_render_silhouette_layout (m, 480, 320, &f);
  g_assert_cmpfloat (f.width, >, 200);
  g_assert_cmpfloat (f.height, >, 150);

  /* Bar 0 is cluster 0's longest (0.6); bar 4 is cluster 1's longest (0.9). */
  s = render (cs_render_silhouette, m, 480, 320);
  cs_render_silhouette_bar_y (m, &f, 0, &y0, &y1);
  x = (cs_render_silhouette_x (m, &f, 0.0) + cs_render_silhouette_x (m, &f, 0.6)) / 2;
  g_assert_true (pixel_is (pixel_at (s, x, (y0 + y1) / 2), c0, 2));
  cs_render_silhouette_bar_y (m, &f, 4, &y0, &y1);
  g_assert_true (pixel_is (pixel_at (s, x, (y0 + y1) / 2), c1, 2));
  /* Cluster 1 comes after a gap: its first bar starts below cluster 0's last. */
  {
    double l0;
    double l1;
    cs_render_silhouette_bar_y (m, &f, 3, &l0, &l1);
    g_assert_cmpfloat (y0, >, l1 + 1.0);
  }
  cairo_surface_destroy (s);

  /* Matched colours follow the colour slots. */
  s = render (cs_render_silhouette, ms, 480, 320);
  cs_render_silhouette_bar_y (ms, &f, 0, &y0, &y1);
  g_assert_true (pixel_is (pixel_at (s, x, (y0 + y1) / 2), c1, 2));
  cairo_surface_destroy (s);
}

/* The right end of each bar, found in the picture, falls within cluster 0 from top to
 * bottom: the bars are drawn sorted, and each ends at its own value. */
static void
test_silhouette_sorted (void)
{
  g_autoptr (CsSilhouetteModel) m = small_silhouette (NULL);
  cairo_surface_t *s = render (cs_render_silhouette, m, 480, 320);
  double c0[3];
  double previous_end = G_MAXDOUBLE;
  CsRect f;

  cs_palette_color (0, c0);
  cs_render_silhouette_layout (m, 480, 320, &f);
  for (gsize i = 0; i < 4; i++)
    {
      double y0;
      double y1;
      double want = cs_render_silhouette_x (m, &f, m->values[i]);
      double end = -1;

      cs_render_silhouette_bar_y (m, &f, i, &y0, &y1);
      for (double x = cs_render_silhouette_x (m, &f, 0.0) + 2; x < f.x + f.width; x += 1.0)
        if (pixel_is (pixel_at (s, x, (y0 + y1) / 2), c0, 40))
          end = x;
      g_assert_cmpfloat (fabs (end - want), <, 2.5);
      g_assert_cmpfloat (end, <=, previous_end);
      previous_end = end;
    }
  cairo_surface_destroy (s);
}

static void
test_silhouette_average_line (void)
{
  g_autoptr (CsSilhouetteModel) m = small_silhouette (NULL);
  cairo_surface_t *s = render (cs_render_silhouette, m, 480, 320);
  CsRect f;
  double ax;
  double y0;
  double y1;
  guint dark = 0;

  cs_render_silhouette_layout (m, 480, 320, &f);
  ax = cs_render_silhouette_x (m, &f, m->average);
  /* Bar 7 (−0.3) ends left of zero, so at the average's x only the dashed line is drawn
   * there: some of its pixels are dark, and a few units to the right it is white. */
  cs_render_silhouette_bar_y (m, &f, 7, &y0, &y1);
  for (double y = y0 - 12; y < y1; y += 1.0)
    dark += pixel_is_dark (pixel_at (s, ax, y));
  g_assert_cmpuint (dark, >=, 3);
  g_assert_true (pixel_is_white (pixel_at (s, ax + 6, (y0 + y1) / 2)));
  /* The axis reaches below the most negative value: −0.3 → −0.3 is inside [−0.3, 1]. */
  g_assert_cmpfloat (cs_render_silhouette_x (m, &f, -0.3), >=, f.x - 0.5);
  g_assert_cmpfloat_with_epsilon (cs_render_silhouette_x (m, &f, 1.0), f.x + f.width, 1e-9);
  cairo_surface_destroy (s);
}

static void
test_silhouette_many_points (void)
{
  gsize n = 20000;
  g_autofree double *values = g_new (double, n);
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsSilhouetteModel) m = NULL;
  cairo_surface_t *s;
  double c2[3];
  CsRect f;
  double y0;
  double y1;
  gint64 t0;

  for (gsize i = 0; i < n; i++)
    {
      labels[i] = (int) (i % 3);
      values[i] = 0.9 - 0.8 * (double) ((i * 7919) % n) / (double) n;
    }
  m = cs_silhouette_model_new (n, values, labels, 3, NULL);
  t0 = cs_test_cpu_us (cs_test_cpu_clock ());
  s = render (cs_render_silhouette, m, 640, 400);
  /* One outline per cluster: far below a frame's time even for 20,000 bars. */
  g_assert_cmpint (cs_test_cpu_us (cs_test_cpu_clock ()) - t0, <, 2 * G_USEC_PER_SEC * cs_test_cpu_scale ());
  cs_palette_color (2, c2);
  cs_render_silhouette_layout (m, 640, 400, &f);
  cs_render_silhouette_bar_y (m, &f, m->offsets[2] + (m->offsets[3] - m->offsets[2]) / 4, &y0, &y1);
  g_assert_true (pixel_is (pixel_at (s, cs_render_silhouette_x (m, &f, 0.05), (y0 + y1) / 2), c2, 3));
  cairo_surface_destroy (s);
}

/* Charts ------------------------------------------------------------------------------- */

static CsClustering *
dynmsc_like (void)
{
  static const double scores[] = { 0.41, 0.55, 0.62, 0.58, 0.50 };
  CsClustering *c = cs_clustering_new ("dynmsc", 10, 2, 4);

  c->objective_name = "medoid silhouette";
  c->objective_kind = CS_OBJECTIVE_MEDOID_SILHOUETTE;
  c->score_by_k = g_memdup2 (scores, sizeof scores);
  c->score_k_min = 2;
  c->n_scores = G_N_ELEMENTS (scores);
  return c;
}

static void
test_choose_k (void)
{
  g_autoptr (CsClustering) c = dynmsc_like ();
  g_autoptr (CsChartModel) m = cs_chart_model_new_choose_k (c);
  cairo_surface_t *s;
  double accent[3];
  CsRect f;
  double cx;
  double cy;

  g_assert_nonnull (m);
  g_assert_cmpuint (m->n, ==, 5);
  g_assert_cmpint (m->marked, ==, 2);
  g_assert_cmpfloat (m->x[2], ==, 4.0);
  g_assert_cmpstr (m->mark_label, ==, "k = 4");

  s = render (cs_render_trace, m, 520, 340);
  cs_render_trace_layout (m, 520, 340, &f);
  cs_render_trace_point (m, &f, 4.0, 0.62, &cx, &cy);
  cs_palette_color (1, accent);
  g_assert_true (pixel_is (pixel_at (s, cx, cy), accent, 3));
  /* The best score is the highest point of the curve. */
  for (gsize i = 0; i < m->n; i++)
    {
      double ox;
      double oy;
      cs_render_trace_point (m, &f, m->x[i], m->y[i], &ox, &oy);
      if (i != 2)
        g_assert_cmpfloat (oy, >, cy);
      g_assert_true (ox >= f.x && ox <= f.x + f.width && oy >= f.y && oy <= f.y + f.height);
    }
  /* k = 3's point is the series colour, not the accent. */
  {
    double series[3];
    cs_palette_color (0, series);
    cs_render_trace_point (m, &f, 3.0, 0.55, &cx, &cy);
    g_assert_true (pixel_is (pixel_at (s, cx, cy), series, 3));
  }
  cairo_surface_destroy (s);

  /* No curve, no chart. */
  {
    g_autoptr (CsClustering) plain = cs_clustering_new ("pam", 10, 2, 3);
    g_assert_null (cs_chart_model_new_choose_k (plain));
  }
}

static void
test_convergence (void)
{
  g_autoptr (CsTrace) trace = cs_trace_new (0);
  g_autoptr (CsChartModel) m = NULL;
  static const double losses[] = { 40.0, 31.0, 27.5, 26.0, 25.9 };
  int labels[4] = { 0, 0, 1, 1 };
  cairo_surface_t *s;
  double series[3];
  CsRect f;

  for (guint i = 0; i < G_N_ELEMENTS (losses); i++)
    cs_trace_add (trace, i, labels, 4, NULL, NULL, 2, losses[i], 0, NULL);
  g_assert_null (cs_chart_model_new_convergence (NULL, "loss"));
  m = cs_chart_model_new_convergence (trace, "loss");
  g_assert_nonnull (m);
  g_assert_cmpuint (m->n, ==, 5);
  g_assert_cmpstr (m->y_label, ==, "Loss");
  g_assert_cmpint (m->marked, ==, -1);
  for (gsize i = 0; i < m->n; i++)
    {
      g_assert_cmpfloat (m->x[i], ==, (double) i);
      g_assert_cmpfloat (m->y[i], ==, losses[i]);
    }

  s = render (cs_render_trace, m, 520, 340);
  cs_render_trace_layout (m, 520, 340, &f);
  cs_palette_color (0, series);
  for (gsize i = 0; i < m->n; i++)
    {
      double cx;
      double cy;
      cs_render_trace_point (m, &f, m->x[i], m->y[i], &cx, &cy);
      g_assert_true (pixel_is (pixel_at (s, cx, cy), series, 3));
      /* Loss falls: each point is lower than the one before. */
      if (i > 0)
        {
          double px;
          double py;
          cs_render_trace_point (m, &f, m->x[i - 1], m->y[i - 1], &px, &py);
          g_assert_cmpfloat (cy, >, py);
        }
    }
  cairo_surface_destroy (s);
}

/* Images ------------------------------------------------------------------------------- */

/* Three 8 × 8 "images" and a label column; row 1's pixel (2, 3) is the only ink. */
static CsDataset *
tiny_images (void)
{
  CsDataset *ds = cs_dataset_new ("tiny-digits", 3);

  for (guint p = 0; p < 64; p++)
    {
      g_autofree char *name = g_strdup_printf ("r%uc%u", p / 8, p % 8);
      double *v = g_new0 (double, 3);

      if (p == 2 * 8 + 3)
        v[1] = 16.0;
      if (p == 5 * 8 + 5)
        v[2] = 8.0;
      cs_dataset_add_numeric (ds, name, v);
    }
  {
    double *label = g_new (double, 3);
    label[0] = 0;
    label[1] = 1;
    label[2] = 1;
    cs_dataset_add_numeric (ds, "label", label);
    ds->label_column = 64;
  }
  ds->image_rows = 8;
  ds->image_cols = 8;
  return ds;
}

static void
test_images_medoids (void)
{
  g_autoptr (CsDataset) ds = tiny_images ();
  g_autoptr (CsClustering) c = cs_clustering_new ("fasterpam", 3, 64, 2);
  g_autoptr (CsImagesModel) m = NULL;
  cairo_surface_t *s;
  double c1[3];
  CsRect r;
  double px;
  double py;

  c->labels[0] = 0;
  c->labels[1] = 1;
  c->labels[2] = 1;
  c->medoids = g_new (gsize, 2);
  c->medoids[0] = 0;
  c->medoids[1] = 1;
  m = cs_images_model_build (ds, NULL, c, NULL);
  g_assert_nonnull (m);
  g_assert_cmpuint (m->k, ==, 2);
  g_assert_cmpint (m->exemplar[1], ==, 1);
  g_assert_cmpuint (m->sizes[1], ==, 2);
  g_assert_cmpfloat (m->vmax, ==, 16.0);

  s = render (cs_render_images, m, 500, 320);
  g_assert_true (cs_render_images_cell (m, 500, 320, 1, &r));
  g_assert_cmpfloat (r.width, >=, 40);
  px = r.x + (3 + 0.5) * r.width / 8;
  py = r.y + (2 + 0.5) * r.height / 8;
  g_assert_true (pixel_is_dark (pixel_at (s, px, py)));
  /* Its neighbour is paper, and the same pixel of cluster 1's image (all zeros) too. */
  g_assert_true (pixel_is_white (pixel_at (s, px + r.width / 8, py)));
  {
    CsRect r0;
    g_assert_true (cs_render_images_cell (m, 500, 320, 0, &r0));
    g_assert_true (pixel_is_white (pixel_at (s, r0.x + (3 + 0.5) * r0.width / 8, r0.y + (2 + 0.5) * r0.height / 8)));
  }
  /* The frame is the cluster's colour. */
  cs_palette_color (1, c1);
  g_assert_true (pixel_is (pixel_at (s, r.x - 1.5, r.y + r.height / 2), c1, 3));
  cairo_surface_destroy (s);
}

static void
test_images_means (void)
{
  g_autoptr (CsDataset) ds = tiny_images ();
  g_autoptr (CsClustering) c = cs_clustering_new ("kmeans", 3, 64, 2);
  g_autoptr (CsImagesModel) m = NULL;
  const double *img1;

  c->labels[0] = 0;
  c->labels[1] = 1;
  c->labels[2] = 1;
  m = cs_images_model_build (ds, NULL, c, NULL);
  g_assert_nonnull (m);
  g_assert_cmpint (m->exemplar[0], ==, -1);
  img1 = m->pixels + 64;
  g_assert_cmpfloat (img1[2 * 8 + 3], ==, 8.0);
  g_assert_cmpfloat (img1[5 * 8 + 5], ==, 4.0);
  g_assert_cmpfloat (m->pixels[2 * 8 + 3], ==, 0.0);

  /* Not an image dataset: no image view. */
  ds->image_rows = 0;
  g_assert_null (cs_images_model_build (ds, NULL, c, NULL));
}

/* Export ------------------------------------------------------------------------------- */

static void
assert_file_starts (const char *path,
                    const char *magic,
                    gsize       skip)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 200);
  if (skip == G_MAXSIZE)
    g_assert_nonnull (strstr (contents, magic));
  else
    g_assert_cmpmem (contents + skip, strlen (magic), magic, strlen (magic));
}

static void
test_export_views (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-views-XXXXXX", &error);
  g_autoptr (CsSilhouetteModel) sil = small_silhouette (NULL);
  g_autoptr (CsClustering) c = dynmsc_like ();
  g_autoptr (CsChartModel) chart = cs_chart_model_new_choose_k (c);
  g_autoptr (CsDataset) ds = tiny_images ();
  g_autoptr (CsClustering) km = cs_clustering_new ("kmeans", 3, 64, 2);
  g_autoptr (CsImagesModel) images = NULL;
  struct
  {
    const char   *name;
    CsRenderFunc  func;
    gconstpointer model;
  } views[3];

  g_assert_no_error (error);
  km->labels[1] = 1;
  images = cs_images_model_build (ds, NULL, km, NULL);
  views[0].name = "silhouette";
  views[0].func = cs_render_silhouette;
  views[0].model = sil;
  views[1].name = "choose-k";
  views[1].func = cs_render_trace;
  views[1].model = chart;
  views[2].name = "medoids";
  views[2].func = cs_render_images;
  views[2].model = images;

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      static const char *ext[] = { "png", "svg", "pdf" };
      static const CsExportFormat fmt[] = { CS_EXPORT_PNG, CS_EXPORT_SVG, CS_EXPORT_PDF };

      for (guint e = 0; e < 3; e++)
        {
          g_autofree char *base = g_strdup_printf ("%s.%s", views[v].name, ext[e]);
          g_autofree char *path = g_build_filename (dir, base, NULL);

          g_assert_true (cs_render_export (views[v].func, views[v].model, path, fmt[e], 160, 100, 96, &error));
          g_assert_no_error (error);
          if (e == 0)
            assert_file_starts (path, "\x89PNG", 0);
          else if (e == 1)
            assert_file_starts (path, "<svg", G_MAXSIZE);
          else
            assert_file_starts (path, "%PDF", 0);
          g_assert_cmpint (g_remove (path), ==, 0);
        }
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Scatter: medoids and links ----------------------------------------------------------- */

static void
test_scatter_medoid_links (void)
{
  static const double x[] = { 0.0, 10.0, 10.0, 9.0 };
  static const double y[] = { 0.0, 10.0, 0.0, 1.0 };
  static const int labels[] = { 0, 0, 1, 1 };
  static const gsize medoids[] = { 0, 3 };
  g_autoptr (CsPlotModel) m = cs_plot_model_new ();
  cairo_surface_t *off;
  cairo_surface_t *on;
  CsRect f;
  double ax;
  double ay;
  double bx;
  double by;
  Pixel p;

  cs_plot_model_set_points (m, 4, x, y, NULL);
  cs_plot_model_set_labels (m, labels, 2);
  cs_plot_model_compute_centers (m, medoids);
  g_assert_true (m->centers_are_medoids);
  m->show_legend = FALSE;

  off = render ((CsRenderFunc) cs_render_scatter, m, 400, 400);
  m->show_medoid_links = TRUE;
  on = render ((CsRenderFunc) cs_render_scatter, m, 400, 400);

  /* Halfway along the long link from point 1 to medoid 0: tinted only with links on. */
  cs_render_scatter_layout (m, 400, 400, &f);
  cs_plot_data_to_canvas (m, &f, 0.0, 0.0, &ax, &ay);
  cs_plot_data_to_canvas (m, &f, 10.0, 10.0, &bx, &by);
  g_assert_true (pixel_is_white (pixel_at (off, (ax + bx) / 2, (ay + by) / 2)));
  p = pixel_at (on, (ax + bx) / 2, (ay + by) / 2);
  g_assert_false (pixel_is_white (p));
  /* The link is cluster 0's colour over white: its channels are ordered like the colour's. */
  {
    double c0[3];
    cs_palette_color (0, c0);
    g_assert_cmpint ((p.b > p.r), ==, (c0[2] > c0[0]));
    g_assert_cmpint ((p.g > p.r), ==, (c0[1] > c0[0]));
  }

  /* The medoid marker (a ringed diamond) sits on point 3 and has a dark ring. */
  {
    double mx;
    double my;
    guint dark = 0;
    cs_plot_data_to_canvas (m, &f, 9.0, 1.0, &mx, &my);
    for (double d = 4.0; d <= 10.0; d += 0.5)
      dark += pixel_is_dark (pixel_at (on, mx, my - d));
    g_assert_cmpuint (dark, >=, 1);
  }
  cairo_surface_destroy (off);
  cairo_surface_destroy (on);
}

/* Privacy ------------------------------------------------------------------------------ */

#define PRIVACY_W 900
#define PRIVACY_H 700

/* One seeded Gaussian blob (x, y columns of the toy set) through the privacy surface. */
static CsPrivacyModel *
blob_privacy (double epsilon)
{
  g_autoptr (CsDataset) ds = cs_toy_generate (CS_TOY_BLOBS, 400, 1, 0.0, 7);
  g_autoptr (CsMatrix) xy = cs_matrix_new (ds->n_rows, 2);
  g_autoptr (CsDpSurface) surface = NULL;
  g_autoptr (GError) error = NULL;
  const CsColumn *cx = cs_dataset_column (ds, cs_dataset_find_column (ds, "x"));
  const CsColumn *cy = cs_dataset_column (ds, cs_dataset_find_column (ds, "y"));
  CsDpKernelOptions options;

  for (gsize i = 0; i < ds->n_rows; i++)
    {
      cs_matrix_row (xy, i)[0] = cx->values[i];
      cs_matrix_row (xy, i)[1] = cy->values[i];
    }
  cs_dp_kernel_options_init (&options);
  options.n_features = 2048;
  options.bandwidth = cs_dp_default_bandwidth (xy);
  options.epsilon = epsilon;
  surface = cs_dp_surface_compute (xy, &options, 48, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (surface);
  return cs_privacy_model_new (surface, &options, xy->rows);
}

/* Grid cell (c, r) of a heat map drawn in f: row 0 is y_min, at the bottom of the frame. */
static void
privacy_cell_centre (const CsPrivacyModel *m,
                     const CsRect         *f,
                     guint                 c,
                     guint                 r,
                     double               *x,
                     double               *y)
{
  *x = f->x + (c + 0.5) * f->width / m->nx;
  *y = f->y + (m->ny - 1 - r + 0.5) * f->height / m->ny;
}

static gboolean
rects_overlap (const CsRect *a,
               const CsRect *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width && a->y < b->y + b->height && b->y < a->y + a->height;
}

static void
assert_rect_inside (const CsRect *r,
                    double        width,
                    double        height)
{
  g_assert_cmpfloat (r->width, >, 40);
  g_assert_cmpfloat (r->height, >, 40);
  g_assert_cmpfloat (r->x, >=, 0);
  g_assert_cmpfloat (r->y, >=, 0);
  g_assert_cmpfloat (r->x + r->width, <=, width);
  g_assert_cmpfloat (r->y + r->height, <=, height);
}

/* The exact panel maps 0 .. peak onto viridis: the peak cell is the map's top colour, a
 * corner far from the blob (the grid is padded by 3h) its bottom colour; the private panel
 * shows its own values on the same scale. */
static void
test_privacy_heatmap_colours (void)
{
  g_autoptr (CsPrivacyModel) m = blob_privacy (1.0);
  cairo_surface_t *s;
  CsRect exact;
  CsRect priv;
  double top[3];
  double bottom[3];
  double want[3];
  gsize peak = 0;
  double x;
  double y;

  g_assert_cmpuint (m->nx, ==, 48);
  g_assert_cmpuint (m->ny, ==, 48);
  for (gsize k = 1; k < (gsize) m->nx * m->ny; k++)
    if (m->exact[k] > m->exact[peak])
      peak = k;
  g_assert_cmpfloat (m->exact[peak], ==, m->peak);

  cs_render_privacy_layout (m, PRIVACY_W, PRIVACY_H, &exact, &priv, NULL);
  /* Several device pixels per cell, so the bilinear filter blends in little of the neighbours. */
  g_assert_cmpfloat (exact.width / m->nx, >=, 4.0);
  g_assert_cmpfloat (exact.height / m->ny, >=, 4.0);
  s = render (cs_render_privacy, m, PRIVACY_W, PRIVACY_H);

  cs_colormap_rgb (CS_COLORMAP_VIRIDIS, 1.0, top);
  cs_colormap_rgb (CS_COLORMAP_VIRIDIS, 0.0, bottom);
  privacy_cell_centre (m, &exact, peak % m->nx, peak / m->nx, &x, &y);
  g_test_message ("peak cell (%u, %u) at (%.1f, %.1f)", (guint) (peak % m->nx), (guint) (peak / m->nx), x, y);
  g_assert_true (pixel_is (pixel_at (s, x, y), top, 6));
  privacy_cell_centre (m, &exact, 1, 1, &x, &y);
  g_assert_cmpfloat (m->exact[m->nx + 1] / m->peak, <, 1e-3);
  g_assert_true (pixel_is (pixel_at (s, x, y), bottom, 6));

  cs_colormap_rgb (CS_COLORMAP_VIRIDIS, CLAMP (m->priv[peak] / m->peak, 0.0, 1.0), want);
  privacy_cell_centre (m, &priv, peak % m->nx, peak / m->nx, &x, &y);
  g_assert_true (pixel_is (pixel_at (s, x, y), want, 12));
  cairo_surface_destroy (s);
}

static void
test_privacy_layout (void)
{
  static const double eps[] = { 0.1, 0.3, 3.0, 10.0 };
  static const double acc[] = { 0.40, 0.70, 0.90, 0.95 };
  g_autoptr (CsPrivacyModel) m = blob_privacy (1.0);
  CsRect exact;
  CsRect priv;
  CsRect curve;

  /* Without labels there is no curve. */
  cs_render_privacy_layout (m, PRIVACY_W, PRIVACY_H, &exact, &priv, &curve);
  assert_rect_inside (&exact, PRIVACY_W, PRIVACY_H);
  assert_rect_inside (&priv, PRIVACY_W, PRIVACY_H);
  g_assert_false (rects_overlap (&exact, &priv));
  g_assert_cmpfloat (curve.width * curve.height, ==, 0.0);

  cs_privacy_model_set_curve (m, G_N_ELEMENTS (eps), eps, acc, 0.97, 3);
  for (guint size = 0; size < 3; size++)
    {
      static const double wh[][2] = { { 900, 700 }, { 640, 480 }, { 1600, 1000 } };

      cs_render_privacy_layout (m, wh[size][0], wh[size][1], &exact, &priv, &curve);
      assert_rect_inside (&exact, wh[size][0], wh[size][1]);
      assert_rect_inside (&priv, wh[size][0], wh[size][1]);
      assert_rect_inside (&curve, wh[size][0], wh[size][1]);
      g_assert_false (rects_overlap (&exact, &priv));
      g_assert_false (rects_overlap (&exact, &curve));
      g_assert_false (rects_overlap (&priv, &curve));
      /* Side by side, on one row, the curve below both. */
      g_assert_cmpfloat (exact.y, ==, priv.y);
      g_assert_cmpfloat (exact.height, ==, priv.height);
      g_assert_cmpfloat (curve.y, >=, exact.y + exact.height);
    }
}

static void
test_privacy_text_on_canvas (void)
{
  static const double eps[] = { 0.1, 0.3, 3.0, 10.0 };
  static const double acc[] = { 0.40, 0.70, 0.90, 0.95 };
  g_autoptr (CsPrivacyModel) m = blob_privacy (1.0);

  /* The caption under the maps once ran off a figure 680 wide (a 1024 × 700 window). */
  cs_privacy_model_set_curve (m, G_N_ELEMENTS (eps), eps, acc, 0.97, 3);
  for (guint i = 0; i < G_N_ELEMENTS (figure_sizes); i++)
    assert_drawn_inside (cs_render_privacy, m, figure_sizes[i][0], figure_sizes[i][1]);
}

/* The accuracy curve: ε on a log axis padded by 4 % of its range on each side, accuracy from
 * 0 at the bottom to 1.04 at the top (cs-render-privacy.c). A dot away from the current-ε
 * marker is the series colour; the curve is absent when no curve was set. */
static void
test_privacy_curve_colour (void)
{
  static const double eps[] = { 0.1, 0.3, 3.0, 10.0 };
  static const double acc[] = { 0.40, 0.70, 0.90, 0.95 };
  g_autoptr (CsPrivacyModel) m = blob_privacy (1.0);
  cairo_surface_t *s;
  CsRect curve;
  double series[3];
  double lo = log (eps[0]);
  double hi = log (eps[G_N_ELEMENTS (eps) - 1]);
  double pad = 0.04 * (hi - lo);
  guint matches = 0;

  cs_privacy_model_set_curve (m, G_N_ELEMENTS (eps), eps, acc, 0.97, 3);
  g_assert_cmpuint (m->n_curve, ==, 4);
  s = render (cs_render_privacy, m, PRIVACY_W, PRIVACY_H);
  cs_render_privacy_layout (m, PRIVACY_W, PRIVACY_H, NULL, NULL, &curve);
  cs_palette_color (0, series);
  for (guint i = 0; i < G_N_ELEMENTS (eps); i++)
    {
      double x = curve.x + (log (eps[i]) - lo + pad) / (hi - lo + 2 * pad) * curve.width;
      double y = curve.y + (1.04 - acc[i]) / 1.04 * curve.height;

      g_assert_true (pixel_is (pixel_at (s, x, y), series, 3));
    }
  /* Halfway along the segment from ε = 0.3 to ε = 3 (straight on the log axis), away from the
   * ε = 1 marker: on the line. */
  {
    double x1 = curve.x + (log (eps[1]) - lo + pad) / (hi - lo + 2 * pad) * curve.width;
    double x2 = curve.x + (log (eps[2]) - lo + pad) / (hi - lo + 2 * pad) * curve.width;
    double y1 = curve.y + (1.04 - acc[1]) / 1.04 * curve.height;
    double y2 = curve.y + (1.04 - acc[2]) / 1.04 * curve.height;
    double t = 0.25;

    for (double dy = -1.0; dy <= 1.0; dy += 1.0)
      matches += pixel_is (pixel_at (s, x1 + t * (x2 - x1), y1 + t * (y2 - y1) + dy), series, 40);
    g_assert_cmpuint (matches, >=, 1);
  }
  cairo_surface_destroy (s);
}

static void
test_privacy_export (void)
{
  static const double eps[] = { 0.1, 1.0, 10.0 };
  static const double acc[] = { 0.5, 0.8, 0.9 };
  static const char *ext[] = { "png", "svg", "pdf" };
  static const CsExportFormat fmt[] = { CS_EXPORT_PNG, CS_EXPORT_SVG, CS_EXPORT_PDF };
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-views-XXXXXX", &error);
  g_autoptr (CsPrivacyModel) m = blob_privacy (0.5);

  g_assert_no_error (error);
  cs_privacy_model_set_curve (m, G_N_ELEMENTS (eps), eps, acc, 0.95, 2);
  for (guint e = 0; e < 3; e++)
    {
      g_autofree char *base = g_strdup_printf ("privacy.%s", ext[e]);
      g_autofree char *path = g_build_filename (dir, base, NULL);

      g_assert_true (cs_render_export (cs_render_privacy, m, path, fmt[e], 200, 150, 96, &error));
      g_assert_no_error (error);
      if (e == 0)
        {
          cairo_surface_t *s;

          assert_file_starts (path, "\x89PNG\r\n\x1a\n", 0);
          /* 200 mm at 96 dpi. */
          s = cairo_image_surface_create_from_png (path);
          g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
          g_assert_cmpint (abs (cairo_image_surface_get_width (s) - (int) lround (200 / 25.4 * 96)), <=, 1);
          cairo_surface_destroy (s);
        }
      else if (e == 1)
        {
          g_autofree char *contents = NULL;

          assert_file_starts (path, "<svg", G_MAXSIZE);
          /* The heat maps travel as embedded images in vector output. */
          g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
          g_assert_nonnull (strstr (contents, "<image"));
        }
      else
        assert_file_starts (path, "%PDF", 0);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_views_text_on_canvas (void)
{
  g_autoptr (CsSilhouetteModel) sil = small_silhouette (NULL);
  g_autoptr (CsClustering) c = dynmsc_like ();
  g_autoptr (CsChartModel) chart = cs_chart_model_new_choose_k (c);
  g_autoptr (CsDataset) ds = tiny_images ();
  g_autoptr (CsClustering) km = cs_clustering_new ("kmeans", 3, 64, 2);
  g_autoptr (CsImagesModel) images = NULL;

  km->labels[1] = 1;
  images = cs_images_model_build (ds, NULL, km, NULL);
  sil->title = g_strdup ("Medoid silhouette per point (1 − nearest / second-nearest medoid distance)");
  for (guint i = 0; i < G_N_ELEMENTS (figure_sizes); i++)
    {
      assert_drawn_inside (cs_render_silhouette, sil, figure_sizes[i][0], figure_sizes[i][1]);
      assert_drawn_inside (cs_render_trace, chart, figure_sizes[i][0], figure_sizes[i][1]);
      assert_drawn_inside (cs_render_images, images, figure_sizes[i][0], figure_sizes[i][1]);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/views/silhouette/model-grouped-sorted", test_silhouette_model);
  g_test_add_func ("/render/views/silhouette/bar-colours", test_silhouette_bar_colours);
  g_test_add_func ("/render/views/silhouette/bars-sorted-in-picture", test_silhouette_sorted);
  g_test_add_func ("/render/views/silhouette/average-line", test_silhouette_average_line);
  g_test_add_func ("/render/views/silhouette/many-points-outline", test_silhouette_many_points);
  g_test_add_func ("/render/views/chart/choose-k-marked", test_choose_k);
  g_test_add_func ("/render/views/chart/convergence-from-trace", test_convergence);
  g_test_add_func ("/render/views/images/medoid-dark-pixel", test_images_medoids);
  g_test_add_func ("/render/views/images/cluster-means", test_images_means);
  g_test_add_func ("/render/views/export-png-svg-pdf", test_export_views);
  g_test_add_func ("/render/scatter/medoid-links", test_scatter_medoid_links);
  g_test_add_func ("/render/views/privacy/heatmap-peak-colour", test_privacy_heatmap_colours);
  g_test_add_func ("/render/views/privacy/layout-no-overlap", test_privacy_layout);
  g_test_add_func ("/render/views/privacy/text-on-canvas", test_privacy_text_on_canvas);
  g_test_add_func ("/render/views/text-on-canvas", test_views_text_on_canvas);
  g_test_add_func ("/render/views/privacy/curve-colour", test_privacy_curve_colour);
  g_test_add_func ("/render/views/privacy/export-png-svg-pdf", test_privacy_export);

  return g_test_run ();
}
