#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "core/data/cs-dataset.h"
#include "core/data/cs-samples.h"
#include "core/base/cs-error.h"
#include "core/cluster/cs-result.h"
#include "ui/render/cs-export.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-plot-model.h"
#include "ui/render/cs-render.h"

#include "test-render-canvas.h"

/* Helpers ------------------------------------------------------------------------------ */

typedef struct
{
  guint8 r, g, b, a;
} Pixel;

static Pixel
pixel_at (cairo_surface_t *s,
          int              x,
          int              y)
{
  guint32 v;
  Pixel p;

  cairo_surface_flush (s);
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (s));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (s));
  v = *(guint32 *) (cairo_image_surface_get_data (s) + y * cairo_image_surface_get_stride (s) + 4 * x);
  p.a = v >> 24;
  p.r = (v >> 16) & 0xff;
  p.g = (v >> 8) & 0xff;
  p.b = v & 0xff;
  return p;
}

static void
assert_pixel_rgb (Pixel         p,
                  const double  rgb[3],
                  int           tolerance)
{
  g_assert_cmpint (p.a, ==, 255);
  g_assert_cmpint (abs (p.r - (int) lround (rgb[0] * 255)), <=, tolerance);
  g_assert_cmpint (abs (p.g - (int) lround (rgb[1] * 255)), <=, tolerance);
  g_assert_cmpint (abs (p.b - (int) lround (rgb[2] * 255)), <=, tolerance);
}

static cairo_surface_t *
render_image (const CsPlotModel *m,
              int                width,
              int                height,
              double             device_scale)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                   (int) (width * device_scale),
                                                   (int) (height * device_scale));
  cairo_t *cr;

  cairo_surface_set_device_scale (s, device_scale, device_scale);
  cr = cairo_create (s);
  cs_render_scatter (cr, m, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return s;
}

/* Three points, two clusters, big opaque marks so centre pixels are the pure colour. */
static CsPlotModel *
small_model (void)
{
  static const double x[] = { 1.0, 4.0, 2.5, 3.0 };
  static const double y[] = { 1.0, 3.0, 2.0, 1.2 };
  static const int labels[] = { 0, 1, 0, 1 };
  CsPlotModel *m = cs_plot_model_new ();

  cs_plot_model_set_points (m, G_N_ELEMENTS (x), x, y, NULL);
  cs_plot_model_set_labels (m, labels, 2);
  m->point_radius = 8.0;
  m->point_alpha = 1.0;
  m->show_centers = FALSE;
  return m;
}

static char *
read_text (const char *path,
           gsize      *length)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, &error));
  g_assert_no_error (error);
  return contents;
}

static guint
count_entries (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* Numbers ------------------------------------------------------------------------------ */

static void
expect_text (char *got, const char *want)
{
  g_assert_cmpstr (got, ==, want);
  g_free (got);
}

static void
test_format_grouped (void)
{
  expect_text (cs_render_format_number (1234567), "1,234,567");
  expect_text (cs_render_format_number (1000), "1,000");
  expect_text (cs_render_format_number (999), "999");
  expect_text (cs_render_format_number (-12345.6), "\xe2\x88\x92" "12,345.6");
  expect_text (cs_render_format_number (0.125), "0.125");
  expect_text (cs_render_format_number (-0.0), "0");
  expect_text (cs_render_format_number (1e20), "1e+20");
  expect_text (cs_render_format_number (NAN), "NaN");
  expect_text (cs_i_format_tick (250000, 50000), "250,000");
  expect_text (cs_i_format_tick (-1500, 500), "\xe2\x88\x92" "1,500");
  expect_text (cs_i_format_tick (0.25, 0.05), "0.25");
  expect_text (cs_i_format_tick (0.75, 0.25), "0.75");
  expect_text (cs_i_format_tick (0.5, 0.25), "0.5");
  expect_text (cs_i_format_tick (0.3, 0.1), "0.3");
  expect_text (cs_i_format_tick (4e6, 1e6), "4,000,000");
  expect_text (cs_i_format_tick (2.5e7, 5e6), "2.5e+07");
  expect_text (cs_i_format_count (1000000), "1,000,000");
}

/* Palette ------------------------------------------------------------------------------ */

static void
test_palette_distinct (void)
{
  double neutral[3];

  cs_palette_neutral (neutral);
  g_assert_cmpint (CS_PALETTE_N_COLORS, >=, 12);
  for (guint i = 0; i < CS_PALETTE_N_COLORS; i++)
    {
      double a[3];
      double d;

      cs_palette_color (i, a);
      d = fabs (a[0] - neutral[0]) + fabs (a[1] - neutral[1]) + fabs (a[2] - neutral[2]);
      g_assert_cmpfloat (d, >, 0.1);
      for (guint j = i + 1; j < CS_PALETTE_N_COLORS; j++)
        {
          double b[3];
          cs_palette_color (j, b);
          /* At least ~25/255 apart in some channel sum: no two slots are near twins. */
          d = fabs (a[0] - b[0]) + fabs (a[1] - b[1]) + fabs (a[2] - b[2]);
          g_assert_cmpfloat (d, >, 0.1);
        }
    }
}

static void
test_palette_shapes (void)
{
  double a[3];
  double b[3];

  g_assert_cmpint (cs_palette_marker (0), ==, CS_MARKER_CIRCLE);
  g_assert_cmpint (cs_palette_marker (CS_PALETTE_N_COLORS - 1), ==, cs_palette_marker (0));
  g_assert_cmpint (cs_palette_marker (CS_PALETTE_N_COLORS), !=, cs_palette_marker (0));
  g_assert_cmpint (cs_palette_marker (2 * CS_PALETTE_N_COLORS), !=, cs_palette_marker (CS_PALETTE_N_COLORS));
  /* Slot 12 reuses colour 0: the shape alone tells them apart. */
  cs_palette_color (0, a);
  cs_palette_color (CS_PALETTE_N_COLORS, b);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
}

/* Ticks and coordinates ---------------------------------------------------------------- */

static void
test_ticks_unit (void)
{
  double t[32];
  guint n = cs_nice_ticks (0.0, 1.0, 5, t, G_N_ELEMENTS (t));

  g_assert_cmpuint (n, ==, 6);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (t[i], 0.2 * i, 1e-12);
  g_assert_true (t[0] == 0.0);
  g_assert_true (t[5] == 1.0);
}

static void
test_ticks_odd_range (void)
{
  double t[32];
  guint n = cs_nice_ticks (13.7, 87.2, 5, t, G_N_ELEMENTS (t));

  /* Range 73.5 / 5 = 14.7 rounds to a step of 10. */
  g_assert_cmpuint (n, ==, 7);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (t[i], 20.0 + 10.0 * i, 1e-9);

  /* Reversed and negative: -0.37 .. -0.02 in steps of 0.05 → -0.35 .. -0.05. */
  n = cs_nice_ticks (-0.02, -0.37, 7, t, G_N_ELEMENTS (t));
  g_assert_cmpuint (n, ==, 7);
  g_assert_cmpfloat_with_epsilon (t[0], -0.35, 1e-12);
  g_assert_cmpfloat_with_epsilon (t[6], -0.05, 1e-12);

  /* Crossing zero hits zero exactly. */
  n = cs_nice_ticks (-3.3, 2.1, 5, t, G_N_ELEMENTS (t));
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpfloat (t[0], ==, -3.0);
  g_assert_true (t[3] == 0.0);

  /* Degenerate input: one tick, none for NaN, never more than asked for. */
  g_assert_cmpuint (cs_nice_ticks (5.0, 5.0, 5, t, 32), ==, 1);
  g_assert_cmpuint (cs_nice_ticks (NAN, 5.0, 5, t, 32), ==, 0);
  g_assert_cmpuint (cs_nice_ticks (0.0, 1.0, 5, t, 3), ==, 3);
}

static void
test_coords_round_trip (void)
{
  g_autoptr (CsPlotModel) m = small_model ();
  CsRect frame;
  double cx;
  double cy;

  cs_render_scatter_layout (m, 640, 480, &frame);
  g_assert_cmpfloat (frame.x, >, 0);
  g_assert_cmpfloat (frame.y, >, 0);
  g_assert_cmpfloat (frame.x + frame.width, <, 640);
  g_assert_cmpfloat (frame.y + frame.height, <, 480);

  /* The visible range's corners are the frame's corners (y grows upwards in data). */
  cs_plot_data_to_canvas (m, &frame, m->x_min, m->y_min, &cx, &cy);
  g_assert_cmpfloat_with_epsilon (cx, frame.x, 1e-9);
  g_assert_cmpfloat_with_epsilon (cy, frame.y + frame.height, 1e-9);
  cs_plot_data_to_canvas (m, &frame, m->x_max, m->y_max, &cx, &cy);
  g_assert_cmpfloat_with_epsilon (cx, frame.x + frame.width, 1e-9);
  g_assert_cmpfloat_with_epsilon (cy, frame.y, 1e-9);

  for (int i = 0; i < 20; i++)
    {
      double dx = -3.0 + 0.7 * i;
      double dy = 11.0 - 1.3 * i;
      double bx;
      double by;
      cs_plot_data_to_canvas (m, &frame, dx, dy, &cx, &cy);
      cs_plot_canvas_to_data (m, &frame, cx, cy, &bx, &by);
      g_assert_cmpfloat_with_epsilon (bx, dx, 1e-9);
      g_assert_cmpfloat_with_epsilon (by, dy, 1e-9);
    }
}

/* Model -------------------------------------------------------------------------------- */

static void
test_model_view_and_centers (void)
{
  static const double x[] = { 0.0, 10.0, NAN, 4.0 };
  static const double y[] = { 2.0, 4.0, 100.0, 3.0 };
  static const int labels[] = { 0, 0, 1, 1 };
  static const gsize medoids[] = { 1, 3 };
  g_autoptr (CsPlotModel) m = cs_plot_model_new ();
  g_autoptr (CsPlotModel) c = NULL;

  cs_plot_model_set_points (m, 4, x, y, NULL);
  /* The NaN point is kept but does not stretch the view: 5 % padding around [0, 10]×[2, 4]. */
  g_assert_cmpuint (m->n, ==, 4);
  g_assert_cmpfloat_with_epsilon (m->x_min, -0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (m->x_max, 10.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (m->y_min, 1.9, 1e-12);
  g_assert_cmpfloat_with_epsilon (m->y_max, 4.1, 1e-12);

  cs_plot_model_set_labels (m, labels, 2);
  g_assert_cmpuint (m->cluster_sizes[0], ==, 2);
  g_assert_cmpuint (m->cluster_sizes[1], ==, 2);
  cs_plot_model_compute_centers (m, NULL);
  g_assert_false (m->centers_are_medoids);
  g_assert_cmpfloat_with_epsilon (m->center_x[0], 5.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (m->center_y[0], 3.0, 1e-12);
  /* Cluster 1's NaN member is left out of its mean. */
  g_assert_cmpfloat_with_epsilon (m->center_x[1], 4.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (m->center_y[1], 3.0, 1e-12);

  cs_plot_model_compute_centers (m, medoids);
  g_assert_true (m->centers_are_medoids);
  g_assert_cmpfloat (m->center_x[0], ==, 10.0);
  g_assert_cmpfloat (m->center_y[1], ==, 3.0);

  c = cs_plot_model_copy (m);
  g_assert_true (c->labels != m->labels);
  g_assert_cmpmem (c->labels, 4 * sizeof (int), m->labels, 4 * sizeof (int));
  g_assert_cmpfloat (c->center_x[1], ==, 4.0);

  /* A single point (zero spread) still gets a usable, non-empty view. */
  cs_plot_model_set_points (m, 1, x, y, NULL);
  g_assert_cmpfloat (m->x_max - m->x_min, >, 0.5);
  g_assert_cmpfloat (m->y_max - m->y_min, >, 0.5);
  g_assert_null (m->labels);
}

static void
test_model_match_colors (void)
{
  enum { N = 300, K = 4 };
  static const int perm[K] = { 2, 0, 3, 1 };
  g_autoptr (CsPlotModel) a = cs_plot_model_new ();
  g_autoptr (CsPlotModel) b = cs_plot_model_new ();
  double x[N];
  double y[N];
  int la[N];
  int lb[N];

  for (int i = 0; i < N; i++)
    {
      x[i] = i;
      y[i] = i % 7;
      la[i] = (i / 75) % K;
      lb[i] = perm[la[i]];
    }
  /* A few disagreements must not break the matching. */
  lb[3] = perm[1];
  lb[200] = perm[0];

  cs_plot_model_set_points (a, N, x, y, NULL);
  cs_plot_model_set_labels (a, la, K);
  /* The previous run's colours were themselves matched: not the identity. */
  a->color_slot[0] = 5;
  a->color_slot[1] = 1;
  a->color_slot[2] = 7;
  a->color_slot[3] = 0;

  cs_plot_model_set_points (b, N, x, y, NULL);
  cs_plot_model_set_labels (b, lb, K);
  cs_plot_model_match_colors (b, a);

  for (int j = 0; j < K; j++)
    g_assert_cmpint (b->color_slot[perm[j]], ==, a->color_slot[j]);
  for (int i = 0; i < N; i++)
    if (i != 3 && i != 200)
      g_assert_cmpint (b->color_slot[b->labels[i]], ==, a->color_slot[a->labels[i]]);
}

static void
test_model_match_colors_more_clusters (void)
{
  enum { N = 60 };
  g_autoptr (CsPlotModel) a = cs_plot_model_new ();
  g_autoptr (CsPlotModel) b = cs_plot_model_new ();
  double x[N];
  int la[N];
  int lb[N];
  gboolean seen[16] = { FALSE, };

  for (int i = 0; i < N; i++)
    {
      x[i] = i;
      la[i] = i < 30 ? 0 : 1;
      /* The new run splits cluster 1 in two and swaps the order. */
      lb[i] = i < 30 ? 2 : (i < 45 ? 0 : 1);
    }
  cs_plot_model_set_points (a, N, x, x, NULL);
  cs_plot_model_set_labels (a, la, 2);
  cs_plot_model_set_points (b, N, x, x, NULL);
  cs_plot_model_set_labels (b, lb, 3);
  cs_plot_model_match_colors (b, a);

  g_assert_cmpint (b->color_slot[2], ==, a->color_slot[0]);
  /* Every cluster still has its own slot. */
  for (int j = 0; j < 3; j++)
    {
      g_assert_cmpint (b->color_slot[j], >=, 0);
      g_assert_cmpint (b->color_slot[j], <, 16);
      g_assert_false (seen[b->color_slot[j]]);
      seen[b->color_slot[j]] = TRUE;
    }
}

static void
test_model_build_scatter_columns (void)
{
  g_autoptr (CsDataset) ds = cs_dataset_new ("tiny.csv", 5);
  g_autoptr (CsClustering) c = cs_clustering_new ("test", 5, 2, 2);
  g_autoptr (CsPlotModel) m = NULL;
  g_autoptr (GError) error = NULL;
  double *a = g_new (double, 5);
  double *b = g_new (double, 5);
  double *z = g_new (double, 5);
  static const int labels[] = { 0, 0, 1, 1, 1 };

  for (int i = 0; i < 5; i++)
    {
      a[i] = i;
      b[i] = 10.0 * i;
      z[i] = -i;
    }
  b[2] = NAN;
  cs_dataset_add_numeric (ds, "alpha", a);
  cs_dataset_add_numeric (ds, "beta", b);
  cs_dataset_add_numeric (ds, "gamma", z);
  memcpy (c->labels, labels, sizeof labels);

  m = cs_plot_model_build_scatter (ds, NULL, c, 2, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (m);
  g_assert_cmpuint (m->n, ==, 5);
  g_assert_cmpstr (m->x_label, ==, "gamma");
  g_assert_cmpstr (m->y_label, ==, "beta");
  g_assert_cmpstr (m->title, ==, "tiny.csv");
  g_assert_cmpfloat (m->x[4], ==, -4.0);
  g_assert_cmpfloat (m->y[3], ==, 30.0);
  /* The missing value keeps its place (point 2 is still dataset row 2, label 1). */
  g_assert_true (isnan (m->y[2]));
  g_assert_cmpint (m->labels[2], ==, 1);
  g_assert_cmpuint (m->rows[4], ==, 4);
  g_assert_cmpuint (m->cluster_sizes[1], ==, 3);
  /* Centre of cluster 1 over its finite points 3 and 4. */
  g_assert_cmpfloat_with_epsilon (m->center_x[1], -3.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (m->center_y[1], 35.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (m->y_max, 40.0 + 2.0, 1e-9);

  g_clear_pointer (&m, cs_plot_model_free);
  m = cs_plot_model_build_scatter (ds, NULL, c, 7, 1, &error);
  g_assert_null (m);
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
}

static void
test_model_build_scatter_pca (void)
{
  enum { N = 40 };
  g_autoptr (CsDataset) ds = cs_dataset_new ("line", N);
  g_autoptr (CsPrepared) prep = NULL;
  g_autoptr (CsPlotModel) m = NULL;
  g_autoptr (GError) error = NULL;
  CsPrepareOptions options;
  double *a = g_new (double, N);
  double *b = g_new (double, N);
  double *z = g_new (double, N);
  double spread = 0.0;

  /* Three features on a straight line: PC1 carries all the variance and is the
   * distance along the line, PC2 is zero. */
  for (int i = 0; i < N; i++)
    {
      a[i] = i;
      b[i] = 2.0 * i + 1.0;
      z[i] = -2.0 * i;
    }
  cs_dataset_add_numeric (ds, "a", a);
  cs_dataset_add_numeric (ds, "b", b);
  cs_dataset_add_numeric (ds, "c", z);

  cs_prepare_options_init (&options);
  options.scaling = CS_SCALE_NONE;
  prep = cs_dataset_prepare (ds, &options, &error);
  g_assert_no_error (error);
  m = cs_plot_model_build_scatter (ds, prep, NULL, -1, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (m->x_label, ==, "PC1 (100.0 %)");
  g_assert_cmpstr (m->y_label, ==, "PC2 (0.0 %)");
  g_assert_null (m->labels);
  for (int i = 0; i < N; i++)
    {
      g_assert_cmpfloat (fabs (m->y[i]), <, 1e-9);
      spread = MAX (spread, fabs (m->x[i] - m->x[0]));
    }
  /* |(1, 2, -2)| = 3 per step. */
  g_assert_cmpfloat_with_epsilon (spread, 3.0 * (N - 1), 1e-8);
}

static CsPlotModel *
iris_model (CsScaling scaling, const int *labels, int x_column, int y_column)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("iris", &error);
  g_autoptr (CsPrepared) prep = NULL;
  g_autoptr (CsClustering) c = NULL;
  CsPrepareOptions options;
  CsPlotModel *m;

  g_assert_no_error (error);
  cs_prepare_options_init (&options);
  options.scaling = scaling;
  prep = cs_dataset_prepare (ds, &options, &error);
  g_assert_no_error (error);
  if (labels != NULL)
    {
      c = cs_clustering_new ("test", prep->x->rows, 3, prep->x->cols);
      memcpy (c->labels, labels, prep->x->rows * sizeof (int));
    }
  m = cs_plot_model_build_scatter (ds, prep, c, x_column, y_column, &error);
  g_assert_no_error (error);
  return m;
}

static void
test_model_axes_key (void)
{
  int a[150];
  int b[150];
  g_autoptr (CsPlotModel) pca = NULL;
  g_autoptr (CsPlotModel) pca_again = NULL;
  g_autoptr (CsPlotModel) pca_scaled = NULL;
  g_autoptr (CsPlotModel) cols = NULL;
  g_autoptr (CsPlotModel) cols_again = NULL;
  g_autoptr (CsPlotModel) cols_swapped = NULL;

  for (int i = 0; i < 150; i++)
    {
      a[i] = i / 50;
      b[i] = i % 3;
    }
  /* A new clustering of the same prepared data plots on the same PCA basis; scaling the
   * columns gives another basis, and columns are their own axes whatever the scaling. */
  pca = iris_model (CS_SCALE_NONE, a, -1, -1);
  pca_again = iris_model (CS_SCALE_NONE, b, -1, -1);
  pca_scaled = iris_model (CS_SCALE_STANDARDIZE, a, -1, -1);
  cols = iris_model (CS_SCALE_NONE, a, 0, 2);
  cols_again = iris_model (CS_SCALE_STANDARDIZE, b, 0, 2);
  cols_swapped = iris_model (CS_SCALE_NONE, a, 2, 0);
  g_assert_nonnull (pca->axes_key);
  g_assert_cmpstr (pca->axes_key, ==, pca_again->axes_key);
  g_assert_cmpstr (pca->axes_key, !=, pca_scaled->axes_key);
  g_assert_cmpstr (cols->axes_key, ==, cols_again->axes_key);
  g_assert_cmpstr (cols->axes_key, !=, cols_swapped->axes_key);
  g_assert_cmpstr (cols->axes_key, !=, pca->axes_key);
  g_assert_cmpint (cols->x_column, ==, 0);
  g_assert_cmpint (cols->y_column, ==, 2);
  g_assert_cmpint (pca->x_column, ==, -1);
}

/* Cohen's d with the pooled SD, computed the plain way for the test's reference. */
static double
reference_d (const double *v, const int *labels, gsize n, int j)
{
  double s_in = 0, s_out = 0, n_in = 0, n_out = 0, q_in = 0, q_out = 0;

  for (gsize i = 0; i < n; i++)
    if (labels[i] == j)
      s_in += v[i], n_in++;
    else
      s_out += v[i], n_out++;
  s_in /= n_in;
  s_out /= n_out;
  for (gsize i = 0; i < n; i++)
    if (labels[i] == j)
      q_in += (v[i] - s_in) * (v[i] - s_in);
    else
      q_out += (v[i] - s_out) * (v[i] - s_out);
  return (s_in - s_out) / sqrt ((q_in + q_out) / (n_in + n_out - 2));
}

static void
test_model_distinctive_features (void)
{
  int labels[150];
  g_autoptr (CsPlotModel) m = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("iris", &error);

  /* The true species: petal length and width set setosa apart far more than the sepals
   * (its petals are much smaller, so the differences are negative); the species column
   * itself is the label and never ranked. */
  for (int i = 0; i < 150; i++)
    labels[i] = i / 50;
  m = iris_model (CS_SCALE_STANDARDIZE, labels, -1, -1);
  g_assert_cmpuint (m->n_distinctive, ==, CS_PLOT_MODEL_DISTINCTIVE);
  g_assert_nonnull (m->distinctive);
  for (guint j = 0; j < 3; j++)
    {
      const int *cj = m->distinctive + j * m->n_distinctive;
      const double *dj = m->distinctive_d + j * m->n_distinctive;
      guint ranked = 0;

      for (guint r = 0; r < m->n_distinctive; r++)
        {
          if (cj[r] < 0)
            continue;
          ranked++;
          g_assert_cmpint (cj[r], !=, ds->label_column);
          /* Sorted by |d|, each one the plain computation's. */
          if (r > 0)
            g_assert_cmpfloat (fabs (dj[r]), <=, fabs (dj[r - 1]));
          g_assert_cmpfloat_with_epsilon (dj[r], reference_d (cs_dataset_column (ds, cj[r])->values, labels, 150,
                                                              (int) j),
                                          1e-9);
        }
      g_assert_cmpuint (ranked, ==, 4);
    }
  g_assert_nonnull (strstr (cs_dataset_column (ds, m->distinctive[0])->name, "petal"));
  g_assert_nonnull (strstr (cs_dataset_column (ds, m->distinctive[1])->name, "petal"));
  g_assert_cmpfloat (m->distinctive_d[0], <, -3.0);
  {
    const double *v = cs_dataset_column (ds, m->distinctive[0])->values;
    double in = 0.0;
    double out = 0.0;

    for (int i = 0; i < 150; i++)
      {
        in += i < 50 ? v[i] / 50 : 0.0;
        out += i >= 50 ? v[i] / 100 : 0.0;
      }
    g_assert_cmpfloat_with_epsilon (m->distinctive_mean[0], in, 1e-9);
    g_assert_cmpfloat_with_epsilon (m->distinctive_mean[1], out, 1e-9);
  }
}

/* Drawing ------------------------------------------------------------------------------ */

static void
test_scatter_point_color (void)
{
  g_autoptr (CsPlotModel) m = small_model ();
  cairo_surface_t *s = render_image (m, 480, 360, 1.0);
  CsRect frame;
  double rgb[3];
  double cx;
  double cy;
  Pixel p;

  cs_render_scatter_layout (m, 480, 360, &frame);
  for (gsize i = 0; i < m->n; i++)
    {
      cs_plot_data_to_canvas (m, &frame, m->x[i], m->y[i], &cx, &cy);
      cs_palette_color ((guint) m->labels[i], rgb);
      assert_pixel_rgb (pixel_at (s, (int) cx, (int) cy), rgb, 1);
      /* Still inside an 8-unit disc 5 units to the side. */
      assert_pixel_rgb (pixel_at (s, (int) cx + 5, (int) cy), rgb, 1);
    }

  /* Far from every point, between grid lines: the white background. */
  cs_plot_data_to_canvas (m, &frame, 1.3, 2.9, &cx, &cy);
  p = pixel_at (s, (int) cx, (int) cy);
  g_assert_cmpint (p.r, ==, 255);
  g_assert_cmpint (p.g, ==, 255);
  g_assert_cmpint (p.b, ==, 255);
  cairo_surface_destroy (s);
}

static void
test_scatter_empty_model (void)
{
  /* No points yet: axes over the default unit range, no crash, white inside the frame. */
  g_autoptr (CsPlotModel) m = cs_plot_model_new ();
  cairo_surface_t *s = render_image (m, 200, 150, 1.0);
  CsRect frame;
  Pixel p;

  cs_render_scatter_layout (m, 200, 150, &frame);
  g_assert_cmpfloat (frame.width, >, 50);
  g_assert_cmpfloat (frame.height, >, 30);
  p = pixel_at (s, (int) (frame.x + frame.width * 0.1), (int) (frame.y + frame.height * 0.1));
  g_assert_cmpint (p.r, ==, 255);
  g_assert_cmpint (p.a, ==, 255);
  cairo_surface_destroy (s);
}

static void
test_scatter_hidpi (void)
{
  g_autoptr (CsPlotModel) m = small_model ();
  cairo_surface_t *s = render_image (m, 320, 240, 2.0);
  CsRect frame;
  double rgb[3];
  double cx;
  double cy;

  cs_render_scatter_layout (m, 320, 240, &frame);
  cs_plot_data_to_canvas (m, &frame, m->x[1], m->y[1], &cx, &cy);
  cs_palette_color (1, rgb);
  assert_pixel_rgb (pixel_at (s, (int) (2 * cx), (int) (2 * cy)), rgb, 1);
  assert_pixel_rgb (pixel_at (s, (int) (2 * cx) + 12, (int) (2 * cy)), rgb, 1);
  cairo_surface_destroy (s);
}

static void
test_scatter_highlight_ring (void)
{
  g_autoptr (CsPlotModel) m = small_model ();
  cairo_surface_t *plain;
  cairo_surface_t *ringed;
  CsRect frame;
  double cx;
  double cy;
  double rgb[3];
  Pixel before;
  Pixel after;
  int ring_x;

  cs_render_scatter_layout (m, 480, 360, &frame);
  cs_plot_data_to_canvas (m, &frame, m->x[2], m->y[2], &cx, &cy);
  plain = render_image (m, 480, 360, 1.0);
  m->highlight = 2;
  ringed = render_image (m, 480, 360, 1.0);

  /* The ring sits 4 units outside the enlarged (1.4 × 8 = 11.2) mark: dark there, where
   * the plain picture is white background. */
  ring_x = (int) floor (cx + 11.2 + 4.0);
  before = pixel_at (plain, ring_x, (int) cy);
  after = pixel_at (ringed, ring_x, (int) cy);
  g_assert_cmpint (before.r, >, 200);
  g_assert_cmpint (after.r, <, 80);
  g_assert_cmpint (after.g, <, 80);
  g_assert_cmpint (after.b, <, 80);
  /* The point itself keeps its cluster colour. */
  cs_palette_color (0, rgb);
  assert_pixel_rgb (pixel_at (ringed, (int) cx, (int) cy), rgb, 1);
  cairo_surface_destroy (plain);
  cairo_surface_destroy (ringed);
}

static void
test_scatter_noise_below (void)
{
  /* Noise is drawn first whatever its index: a clustered point at the same place wins. */
  static const double x[] = { 0.0, 1.0, 0.5 };
  static const double y[] = { 0.0, 1.0, 0.5 };
  static const int labels[] = { 0, 0, -1 };
  g_autoptr (CsPlotModel) m = cs_plot_model_new ();
  cairo_surface_t *s;
  CsRect frame;
  double rgb[3];
  double cx;
  double cy;

  cs_plot_model_set_points (m, 3, x, y, NULL);
  cs_plot_model_set_labels (m, labels, 1);
  m->point_radius = 6.0;
  m->point_alpha = 1.0;
  cs_render_scatter_layout (m, 300, 300, &frame);
  cs_plot_data_to_canvas (m, &frame, 0.5, 0.5, &cx, &cy);

  s = render_image (m, 300, 300, 1.0);
  cs_palette_neutral (rgb);
  assert_pixel_rgb (pixel_at (s, (int) cx, (int) cy), rgb, 1);
  cairo_surface_destroy (s);

  /* Now move point 0 (cluster 0, lower index) onto the noise point. */
  m->x[0] = 0.5;
  m->y[0] = 0.5;
  s = render_image (m, 300, 300, 1.0);
  cs_palette_color (0, rgb);
  assert_pixel_rgb (pixel_at (s, (int) cx, (int) cy), rgb, 1);
  cairo_surface_destroy (s);
}

static void
test_scatter_shapes_and_alpha (void)
{
  /* Off the grid lines, which would tint the half-alpha check below. */
  static const double x[] = { 0.2, 1.2 };
  static const double y[] = { 0.2, 1.2 };
  static const int labels[] = { 0, 1 };
  g_autoptr (CsPlotModel) m = cs_plot_model_new ();
  cairo_surface_t *s;
  CsRect frame;
  double rgb[3];
  double cx;
  double cy;
  Pixel p;

  cs_plot_model_set_points (m, 2, x, y, NULL);
  cs_plot_model_set_labels (m, labels, 2);
  m->color_slot[1] = CS_PALETTE_N_COLORS;
  m->point_radius = 20.0;
  m->point_alpha = 1.0;
  m->x_min = m->y_min = -1.0;
  m->x_max = m->y_max = 2.0;
  cs_render_scatter_layout (m, 400, 300, &frame);
  s = render_image (m, 400, 300, 1.0);

  /* Slot 12 has colour 0 but the next shape, a square of half side 0.886 r = 17.7: the
   * pixel 15..17 units right and up is inside it, and outside a circle of radius 20
   * (15 √2 > 20). */
  cs_palette_color (0, rgb);
  cs_plot_data_to_canvas (m, &frame, x[1], y[1], &cx, &cy);
  assert_pixel_rgb (pixel_at (s, (int) cx + 16, (int) cy - 16), rgb, 2);
  cs_plot_data_to_canvas (m, &frame, x[0], y[0], &cx, &cy);
  p = pixel_at (s, (int) cx + 16, (int) cy - 16);
  g_assert_cmpint (p.r, >, 200);
  cairo_surface_destroy (s);

  /* Half alpha over white is the half-way colour. */
  m->point_alpha = 0.5;
  s = render_image (m, 400, 300, 1.0);
  p = pixel_at (s, (int) cx, (int) cy);
  g_assert_cmpint (abs (p.r - (int) lround (127.5 + rgb[0] * 127.5)), <=, 2);
  g_assert_cmpint (abs (p.b - (int) lround (127.5 + rgb[2] * 127.5)), <=, 2);
  cairo_surface_destroy (s);
}

static void
test_scatter_auto_size (void)
{
  /* 0 radius and alpha mean "by n": one point is a clearly visible mark; a million
   * points' marks shrink to about a pixel (checked through the inked area). */
  enum { N = 200000 };
  g_autoptr (CsPlotModel) m = cs_plot_model_new ();
  g_autofree double *x = g_new (double, N);
  g_autofree double *y = g_new (double, N);
  cairo_surface_t *s;
  CsRect frame;
  double cx;
  double cy;
  Pixel p;

  /* Off every grid line in both views below. */
  x[0] = 0.25;
  y[0] = 0.25;
  for (int i = 1; i < N; i++)
    {
      /* Every other point far outside the view. */
      x[i] = 1e9;
      y[i] = 1e9;
    }
  cs_plot_model_set_points (m, 1, x, y, NULL);
  cs_render_scatter_layout (m, 300, 300, &frame);
  cs_plot_data_to_canvas (m, &frame, x[0], y[0], &cx, &cy);
  s = render_image (m, 300, 300, 1.0);
  p = pixel_at (s, (int) cx + 2, (int) cy);
  g_assert_cmpint (p.r, <, 200);
  cairo_surface_destroy (s);

  cs_plot_model_set_points (m, N, x, y, NULL);
  m->x_min = m->y_min = -1.0;
  m->x_max = m->y_max = 1.0;
  cs_render_scatter_layout (m, 300, 300, &frame);
  cs_plot_data_to_canvas (m, &frame, x[0], y[0], &cx, &cy);
  s = render_image (m, 300, 300, 1.0);
  p = pixel_at (s, (int) cx, (int) cy);
  g_assert_cmpint (p.r, <, 250);
  p = pixel_at (s, (int) cx + 3, (int) cy);
  g_assert_cmpint (p.r, ==, 255);
  cairo_surface_destroy (s);
}

static void
test_scatter_thread_count_invariant (void)
{
#ifndef _OPENMP
  /* Without OpenMP one thread draws every band: both renders would be the same call, and
   * the comparison could not fail. */
  g_test_skip ("built without OpenMP: there is no thread count to vary");
#else
  /* Enough points for the banded, multi-threaded path; overlapping translucent marks
   * make any change of drawing order visible in the pixels. */
  enum { N = 60000 };
  g_autoptr (CsPlotModel) m = cs_plot_model_new ();
  g_autofree double *x = g_new (double, N);
  g_autofree double *y = g_new (double, N);
  g_autofree int *labels = g_new (int, N);
  cairo_surface_t *one;
  cairo_surface_t *three;
  guint64 state = 7;
  gsize bytes;

  for (int i = 0; i < N; i++)
    {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      x[i] = (double) (state >> 11) / (double) (1ULL << 53);
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      y[i] = x[i] * 0.5 + (double) (state >> 11) / (double) (1ULL << 53);
      labels[i] = (i % 11 == 0) ? -1 : i % 5;
    }
  cs_plot_model_set_points (m, N, x, y, NULL);
  cs_plot_model_set_labels (m, labels, 5);
  m->point_radius = 2.5;
  m->point_alpha = 0.4;

  omp_set_num_threads (1);
  one = render_image (m, 500, 400, 1.0);
  omp_set_num_threads (3);
  three = render_image (m, 500, 400, 1.0);
  omp_set_num_threads (omp_get_num_procs ());
  cairo_surface_flush (one);
  cairo_surface_flush (three);
  bytes = (gsize) cairo_image_surface_get_stride (one) * 400;
  g_assert_cmpmem (cairo_image_surface_get_data (one), bytes, cairo_image_surface_get_data (three), bytes);
  cairo_surface_destroy (one);
  cairo_surface_destroy (three);
#endif
}

/* Export ------------------------------------------------------------------------------- */

typedef struct
{
  guint elements;
  guint svg;
} SvgCount;

static void
svg_start (GMarkupParseContext *context,
           const char          *element,
           const char         **names,
           const char         **values,
           gpointer             user_data,
           GError             **error)
{
  SvgCount *c = user_data;

  c->elements++;
  c->svg += strcmp (element, "svg") == 0;
}

static void
test_export_formats_from_path (void)
{
  CsExportFormat f;

  g_assert_true (cs_export_format_from_path ("/a/b.PNG", &f));
  g_assert_cmpint (f, ==, CS_EXPORT_PNG);
  g_assert_true (cs_export_format_from_path ("x.svg", &f));
  g_assert_cmpint (f, ==, CS_EXPORT_SVG);
  g_assert_true (cs_export_format_from_path ("x.tar.Pdf", &f));
  g_assert_cmpint (f, ==, CS_EXPORT_PDF);
  g_assert_false (cs_export_format_from_path ("x.jpeg", &f));
  g_assert_false (cs_export_format_from_path ("dir.png/file", &f));
}

static void
test_export_png_size (void)
{
  g_autoptr (CsPlotModel) m = small_model ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-render-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "figure.png", NULL);
  cairo_surface_t *s;

  /* 50.8 mm = 2 in at 150 dpi = 300 px; 25.4 mm = 150 px. */
  g_assert_true (cs_render_export ((CsRenderFunc) cs_render_scatter, m, path, CS_EXPORT_PNG,
                                   50.8, 25.4, 150.0, &error));
  g_assert_no_error (error);
  s = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 300);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, 150);
  cairo_surface_destroy (s);
  /* Nothing else (no leftover temporary file) in the directory. */
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_unlink (path);
  g_rmdir (dir);
}

/* Pixels of cluster j's colour outside the plot frame (by more than `margin` units):
 * the legend's swatches, since points and centres are clipped to the frame. */
static guint
colour_outside_frame (cairo_surface_t *s,
                      double           scale,
                      const CsRect    *frame,
                      double           margin,
                      guint            j)
{
  int w = cairo_image_surface_get_width (s);
  int h = cairo_image_surface_get_height (s);
  double rgb[3];
  guint n = 0;

  cs_palette_color (j, rgb);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        double ux = (x + 0.5) / scale;
        double uy = (y + 0.5) / scale;
        Pixel p;

        if (ux > frame->x - margin && ux < frame->x + frame->width + margin && uy > frame->y - margin
            && uy < frame->y + frame->height + margin)
          continue;
        p = pixel_at (s, x, y);
        if (abs (p.r - (int) lround (rgb[0] * 255)) <= 2 && abs (p.g - (int) lround (rgb[1] * 255)) <= 2
            && abs (p.b - (int) lround (rgb[2] * 255)) <= 2)
          n++;
      }
  return n;
}

static void
test_scatter_legend_everywhere (void)
{
  g_autoptr (CsPlotModel) m = small_model ();
  static const int sizes[][2] = { { 900, 500 }, { 453, 283 }, { 300, 220 } };

  /* Wide (legend beside the plot), the CLI's 160 × 100 mm default, and small (legend above
   * the plot): each cluster's swatch is drawn outside the frame, and none without a legend. */
  for (guint t = 0; t < G_N_ELEMENTS (sizes); t++)
    for (int legend = 0; legend <= 1; legend++)
      {
        cairo_surface_t *s;
        CsRect frame;

        m->show_legend = legend;
        s = render_image (m, sizes[t][0], sizes[t][1], 1.0);
        cs_render_scatter_layout (m, sizes[t][0], sizes[t][1], &frame);
        for (guint j = 0; j < m->k; j++)
          {
            guint n = colour_outside_frame (s, 1.0, &frame, 2.0, j);
            if (legend)
              g_assert_cmpuint (n, >=, 20);
            else
              g_assert_cmpuint (n, ==, 0);
          }
        cairo_surface_destroy (s);
      }
}

static void
test_export_png_has_legend (void)
{
  g_autoptr (CsPlotModel) m = cs_plot_model_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-render-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "figure.png", NULL);
  enum { N = 30000 };
  g_autofree double *x = g_new (double, N);
  g_autofree double *y = g_new (double, N);
  g_autofree int *labels = g_new (int, N);
  double uw = 160.0 / 25.4 * 72.0;
  double uh = 100.0 / 25.4 * 72.0;
  cairo_surface_t *s;
  CsRect frame;

  /* Three clusters of 10,000: sizes as wide as real data's, which once pushed the legend
   * off a figure of the CLI's and the window's default size, 160 × 100 mm at 150 dpi. */
  for (int i = 0; i < N; i++)
    {
      labels[i] = i % 3;
      x[i] = labels[i] + 0.3 * sin (i * 0.7);
      y[i] = labels[i] + 0.3 * cos (i * 1.3);
    }
  cs_plot_model_set_points (m, N, x, y, NULL);
  cs_plot_model_set_labels (m, labels, 3);
  g_free (m->x_label);
  g_free (m->y_label);
  m->x_label = g_strdup ("PC1 (92.5 %)");
  m->y_label = g_strdup ("PC2 (5.3 %)");
  m->title = g_strdup ("Two clusters");
  g_assert_true (cs_render_export ((CsRenderFunc) cs_render_scatter, m, path, CS_EXPORT_PNG, 160, 100, 150.0,
                                   &error));
  g_assert_no_error (error);
  s = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  cs_render_scatter_layout (m, uw, uh, &frame);
  for (guint j = 0; j < m->k; j++)
    g_assert_cmpuint (colour_outside_frame (s, 150.0 / 72.0, &frame, 2.0, j), >=, 40);
  cairo_surface_destroy (s);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_export_svg_pdf (void)
{
  g_autoptr (CsPlotModel) m = small_model ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-render-XXXXXX", NULL);
  g_autofree char *svg = g_build_filename (dir, "figure.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "figure.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *bytes = NULL;
  GMarkupParser parser = { svg_start, NULL, NULL, NULL, NULL };
  GMarkupParseContext *context;
  SvgCount count = { 0, 0 };
  gsize length;

  m->title = g_strdup ("Export & check");
  g_assert_true (cs_render_export ((CsRenderFunc) cs_render_scatter, m, svg, CS_EXPORT_SVG,
                                   160, 100, 300, &error));
  g_assert_no_error (error);
  text = read_text (svg, &length);
  g_assert_true (g_str_has_prefix (text, "<?xml"));
  g_assert_nonnull (strstr (text, "<svg"));
  g_assert_nonnull (strstr (text, "width=\"453.54"));
  context = g_markup_parse_context_new (&parser, 0, &count, NULL);
  g_assert_true (g_markup_parse_context_parse (context, text, length, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
  g_markup_parse_context_free (context);
  g_assert_cmpuint (count.svg, ==, 1);
  /* Text, grid and four marks: well over a handful of elements. */
  g_assert_cmpuint (count.elements, >, 20);
  /* Few points are vector marks, not an embedded raster layer. */
  g_assert_null (strstr (text, "<image"));

  g_assert_true (cs_render_export ((CsRenderFunc) cs_render_scatter, m, pdf, CS_EXPORT_PDF,
                                   160, 100, 300, &error));
  g_assert_no_error (error);
  bytes = read_text (pdf, &length);
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (bytes, "%PDF-"));
  g_assert_nonnull (g_strrstr_len (bytes + length - MIN (length, 32), MIN (length, 32), "%%EOF"));

  g_assert_cmpuint (count_entries (dir), ==, 2);
  g_unlink (svg);
  g_unlink (pdf);
  g_rmdir (dir);
}

static void
test_export_svg_large_is_raster (void)
{
  enum { N = CS_RENDER_VECTOR_MAX_POINTS + 1000 };
  g_autoptr (CsPlotModel) m = cs_plot_model_new ();
  g_autoptr (GError) error = NULL;
  g_autofree double *x = g_new (double, N);
  g_autofree double *y = g_new (double, N);
  g_autofree char *dir = g_dir_make_tmp ("cs-render-XXXXXX", NULL);
  g_autofree char *svg = g_build_filename (dir, "big.svg", NULL);
  g_autofree char *text = NULL;
  gsize length;

  for (int i = 0; i < N; i++)
    {
      x[i] = sin (i * 0.37) * i;
      y[i] = cos (i * 0.37) * i;
    }
  cs_plot_model_set_points (m, N, x, y, NULL);
  g_assert_true (cs_render_export ((CsRenderFunc) cs_render_scatter, m, svg, CS_EXPORT_SVG,
                                   100, 80, 150, &error));
  g_assert_no_error (error);
  text = read_text (svg, &length);
  /* One embedded raster layer instead of 21,000 paths; axes text is still vector. */
  g_assert_nonnull (strstr (text, "<image"));
  g_assert_cmpuint (length, <, 2000000);
  g_unlink (svg);
  g_rmdir (dir);
}

static void
test_export_unwritable (void)
{
  g_autoptr (CsPlotModel) m = small_model ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-render-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "figure.png", NULL);
  g_autofree char *locked = g_build_filename (dir, "locked", NULL);
  g_autofree char *inside = g_build_filename (locked, "figure.pdf", NULL);

  g_assert_false (cs_render_export ((CsRenderFunc) cs_render_scatter, m, missing, CS_EXPORT_PNG,
                                    50, 40, 96, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);
  g_assert_cmpuint (count_entries (dir), ==, 0);

  g_assert_cmpint (g_mkdir (locked, 0555), ==, 0);
  if (access (locked, W_OK) == 0)
    {
      /* Running as root: permissions do not bind, so only the missing directory above
       * could be checked. */
      g_test_message ("directory permissions not enforced for this user");
    }
  else
    {
      g_assert_false (cs_render_export ((CsRenderFunc) cs_render_scatter, m, inside, CS_EXPORT_PDF,
                                        50, 40, 96, &error));
      g_assert_error (error, CS_ERROR, CS_ERROR_IO);
      g_assert_nonnull (strstr (error->message, inside));
      g_clear_error (&error);
      g_assert_cmpuint (count_entries (locked), ==, 0);
    }
  g_rmdir (locked);
  g_rmdir (dir);
}

static void
scatter_func (cairo_t *cr, gconstpointer model, double width, double height)
{
  cs_render_scatter (cr, model, width, height);
}

static void
test_scatter_text_on_canvas (void)
{
  int labels[150];
  g_autoptr (CsPlotModel) pca = NULL;
  g_autoptr (CsPlotModel) cols = NULL;

  for (int i = 0; i < 150; i++)
    labels[i] = i % 12;
  labels[3] = -1;
  /* Twelve clusters and noise: the legend's longest form, beside and above the plot. */
  pca = iris_model (CS_SCALE_NONE, NULL, -1, -1);
  cs_plot_model_set_labels (pca, labels, 12);
  cols = iris_model (CS_SCALE_NONE, NULL, 0, 1);
  for (guint i = 0; i < G_N_ELEMENTS (figure_sizes); i++)
    {
      assert_drawn_inside (scatter_func, pca, figure_sizes[i][0], figure_sizes[i][1]);
      assert_drawn_inside (scatter_func, cols, figure_sizes[i][0], figure_sizes[i][1]);
    }
}

/* Labels never show a negative zero: the saliency heatmap printed "-0.0" beside "−0.8". */
static void
test_format_no_negative_zero (void)
{
  const struct
  {
    double      v;
    int         decimals;
    const char *text;
  } cases[] = {
    { -0.004, 1, "0.0" }, { -0.8, 1, "\xe2\x88\x92" "0.8" }, { 0.04, 1, "0.0" }, { -0.0, 0, "0" },
    { -12.3, 0, "\xe2\x88\x92" "12" }, { -0.049, 1, "0.0" }, { -0.05, 1, "\xe2\x88\x92" "0.1" },
    { 2.25, 2, "2.25" }, { NAN, 1, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *t = cs_i_format_fixed (cases[i].v, cases[i].decimals);
      g_assert_cmpstr (t, ==, cases[i].text);
    }
  {
    g_autofree char *tick = cs_i_format_tick (-0.004, 0.1);
    g_autofree char *neg = cs_i_format_tick (-0.5, 0.1);
    g_assert_cmpstr (tick, ==, "0.0");
    g_assert_cmpstr (neg, ==, "\xe2\x88\x92" "0.5");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/format/grouped-numbers", test_format_grouped);
  g_test_add_func ("/render/palette/twelve-distinct-colours", test_palette_distinct);
  g_test_add_func ("/render/palette/slot-12-changes-shape", test_palette_shapes);
  g_test_add_func ("/render/ticks/unit-interval", test_ticks_unit);
  g_test_add_func ("/render/ticks/odd-ranges", test_ticks_odd_range);
  g_test_add_func ("/render/layout/data-canvas-round-trip", test_coords_round_trip);
  g_test_add_func ("/render/model/view-and-centres", test_model_view_and_centers);
  g_test_add_func ("/render/model/match-colours-after-permutation", test_model_match_colors);
  g_test_add_func ("/render/model/match-colours-new-cluster", test_model_match_colors_more_clusters);
  g_test_add_func ("/render/model/build-scatter-columns", test_model_build_scatter_columns);
  g_test_add_func ("/render/model/build-scatter-pca", test_model_build_scatter_pca);
  g_test_add_func ("/render/model/axes-key", test_model_axes_key);
  g_test_add_func ("/render/model/distinctive-features", test_model_distinctive_features);
  g_test_add_func ("/render/scatter/point-has-cluster-colour", test_scatter_point_color);
  g_test_add_func ("/render/scatter/empty-model", test_scatter_empty_model);
  g_test_add_func ("/render/scatter/hidpi-device-scale", test_scatter_hidpi);
  g_test_add_func ("/render/scatter/highlight-ring", test_scatter_highlight_ring);
  g_test_add_func ("/render/scatter/noise-drawn-first", test_scatter_noise_below);
  g_test_add_func ("/render/scatter/shapes-and-alpha", test_scatter_shapes_and_alpha);
  g_test_add_func ("/render/scatter/automatic-size", test_scatter_auto_size);
  g_test_add_func ("/render/scatter/same-pixels-any-thread-count", test_scatter_thread_count_invariant);
  g_test_add_func ("/render/text/no-negative-zero", test_format_no_negative_zero);
  g_test_add_func ("/render/export/format-from-path", test_export_formats_from_path);
  g_test_add_func ("/render/scatter/legend-at-every-size", test_scatter_legend_everywhere);
  g_test_add_func ("/render/scatter/text-on-canvas", test_scatter_text_on_canvas);
  g_test_add_func ("/render/export/png-pixel-size", test_export_png_size);
  g_test_add_func ("/render/export/png-has-legend", test_export_png_has_legend);
  g_test_add_func ("/render/export/svg-and-pdf", test_export_svg_pdf);
  g_test_add_func ("/render/export/svg-many-points-raster", test_export_svg_large_is_raster);
  g_test_add_func ("/render/export/unwritable-directory", test_export_unwritable);

  return g_test_run ();
}
