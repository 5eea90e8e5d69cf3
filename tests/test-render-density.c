#define _GNU_SOURCE
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "core/base/cs-error.h"
#include "ui/render/cs-colormap.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-export.h"
#include "ui/render/cs-render-density.h"

#include "test-render-common.h"

#include "test-render-canvas.h"

/* Helpers ------------------------------------------------------------------------------ */

static gboolean
pixel_is_entry (Pixel   p,
                guint32 entry)
{
  return p.r == (int) ((entry >> 16) & 0xff) && p.g == (int) ((entry >> 8) & 0xff) && p.b == (int) (entry & 0xff);
}

static cairo_surface_t *
render (const CsDensityModel *m,
        int                   width,
        int                   height)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (s);

  cs_render_density (cr, m, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return s;
}

#define SIGMA 1.0
#define HALF  4.0
#define NODES 161

/* A standard bivariate normal sampled exactly on [−4, 4]², so every level and radius below is
 * known in closed form. */
static CsDensityGrid *
gaussian_grid (void)
{
  CsDensityGrid *g = g_new0 (CsDensityGrid, 1);
  double step = 2.0 * HALF / (NODES - 1);

  g_atomic_ref_count_init (&g->ref);
  g->nx = g->ny = NODES;
  g->x_min = g->y_min = -HALF;
  g->x_max = g->y_max = HALF;
  g->values = g_new (double, NODES * NODES);
  for (guint j = 0; j < NODES; j++)
    for (guint i = 0; i < NODES; i++)
      {
        double x = -HALF + i * step;
        double y = -HALF + j * step;

        g->values[j * NODES + i] = exp (-(x * x + y * y) / (2 * SIGMA * SIGMA)) / (2 * G_PI * SIGMA * SIGMA);
      }
  g->h[0] = g->h[3] = 0.1;
  g->rule = CS_BANDWIDTH_MANUAL;
  g->method = CS_KDE_EXACT;
  return g;
}

static CsDensityModel *
gaussian_model (void)
{
  g_autoptr (CsDensityGrid) g = gaussian_grid ();
  g_autoptr (CsDensitySurface) s = cs_density_surface_new (g, NULL, 0);
  CsDensityModel *m = cs_density_model_new (s);

  m->smooth = FALSE;
  m->x_label = g_strdup ("x");
  m->y_label = g_strdup ("y");
  return m;
}

/* Radius of the highest-density region holding `mass` of a standard bivariate normal. */
static double
hdr_radius (double mass)
{
  return SIGMA * sqrt (-2.0 * log (1.0 - mass));
}

/* Tests -------------------------------------------------------------------------------- */

static void
test_colormap_endpoints (void)
{
  /* matplotlib's _cm_listed tables (CC0), first and last entries, rounded to 8 bits. */
  static const struct
  {
    CsColormap map;
    double lo[3];
    double hi[3];
  } published[] = {
    { CS_COLORMAP_VIRIDIS, { 0.267004, 0.004874, 0.329415 }, { 0.993248, 0.906157, 0.143936 } },
    { CS_COLORMAP_MAGMA, { 0.001462, 0.000466, 0.013866 }, { 0.987053, 0.991438, 0.749504 } },
    { CS_COLORMAP_CIVIDIS, { 0.0, 0.135112, 0.304751 }, { 0.995737, 0.909344, 0.217772 } },
    { CS_COLORMAP_GREY, { 1.0, 1.0, 1.0 }, { 0.0, 0.0, 0.0 } },
  };

  for (guint k = 0; k < G_N_ELEMENTS (published); k++)
    {
      double rgb[3];
      CsColormap back;

      cs_colormap_rgb (published[k].map, 0.0, rgb);
      for (guint c = 0; c < 3; c++)
        g_assert_cmpfloat_with_epsilon (rgb[c], published[k].lo[c], 0.5 / 255.0 + 1e-9);
      cs_colormap_rgb (published[k].map, 1.0, rgb);
      for (guint c = 0; c < 3; c++)
        g_assert_cmpfloat_with_epsilon (rgb[c], published[k].hi[c], 0.5 / 255.0 + 1e-9);
      g_assert_true (cs_colormap_from_name (cs_colormap_name (published[k].map), &back));
      g_assert_cmpint (back, ==, published[k].map);
    }

  /* Viridis' lightness rises monotonically: a perceptually uniform map has no dips. */
  for (guint i = 1; i < CS_COLORMAP_SIZE; i++)
    {
      guint32 a = cs_colormap_entry (CS_COLORMAP_VIRIDIS, i - 1);
      guint32 b = cs_colormap_entry (CS_COLORMAP_VIRIDIS, i);
      double la = 0.2126 * ((a >> 16) & 0xff) + 0.7152 * ((a >> 8) & 0xff) + 0.0722 * (a & 0xff);
      double lb = 0.2126 * ((b >> 16) & 0xff) + 0.7152 * ((b >> 8) & 0xff) + 0.0722 * (b & 0xff);

      g_assert_cmpfloat (lb, >=, la - 1.0);
    }
  g_assert_false (cs_colormap_from_name ("jet", &(CsColormap) { 0 }));
}

static void
test_surface_levels_and_marginals (void)
{
  g_autoptr (CsDensityModel) m = gaussian_model ();
  const CsDensitySurface *s = m->surface;
  double step = 2.0 * HALF / (NODES - 1);
  double total = 0.0;

  g_assert_cmpuint (s->n_contours, ==, 3);
  g_assert_cmpfloat_with_epsilon (s->peak, 1.0 / (2 * G_PI), 1e-12);
  for (guint l = 0; l < s->n_contours; l++)
    {
      /* The HDR boundary of mass p sits at height φ(r_p) = (1 − p) / 2π. */
      double expected = (1.0 - s->contours[l].mass) / (2 * G_PI);

      g_assert_cmpfloat (fabs (s->contours[l].level - expected) / expected, <, 0.02);
      g_assert_cmpuint (s->contours[l].lines->len, >=, 1);
    }
  /* The marginal in x is the standard normal density; its integral is the grid's mass. */
  for (guint i = 0; i < NODES; i++)
    total += s->marginal_x[i] * step;
  g_assert_cmpfloat_with_epsilon (total, 1.0, 1e-3);
  g_assert_cmpfloat_with_epsilon (s->marginal_x[NODES / 2], 1.0 / sqrt (2 * G_PI), 1e-3);
}

static void
test_peak_is_top_colour (void)
{
  g_autoptr (CsDensityModel) m = gaussian_model ();
  cairo_surface_t *img;
  CsDensityLayout L;
  double cx;
  double cy;

  m->show_contours = FALSE;
  img = render (m, 640, 520);
  cs_render_density_layout (m, 640, 520, &L);

  cs_render_density_point (m, &L, 0.0, 0.0, &cx, &cy);
  g_assert_cmpfloat (fabs (cx - (L.frame.x + L.frame.width / 2)), <, 1e-9);
  g_assert_true (pixel_is_entry (pixel_at (img, cx, cy), cs_colormap_entry (CS_COLORMAP_VIRIDIS, 255)));

  /* At (2, 0) the density is e^{−2} of the peak: entry ⌊0.1353 · 256⌋ = 34. */
  cs_render_density_point (m, &L, 2.0, 0.0, &cx, &cy);
  g_assert_true (pixel_is_entry (pixel_at (img, cx, cy), cs_colormap_entry (CS_COLORMAP_VIRIDIS, 34)));

  /* The magma map's top colour, for the same peak. */
  m->colormap = CS_COLORMAP_MAGMA;
  cairo_surface_destroy (img);
  img = render (m, 640, 520);
  cs_render_density_point (m, &L, 0.0, 0.0, &cx, &cy);
  g_assert_true (pixel_is_entry (pixel_at (img, cx, cy), cs_colormap_entry (CS_COLORMAP_MAGMA, 255)));
  cairo_surface_destroy (img);
}

static gboolean
pixel_in_range (Pixel      p,
                CsColormap map,
                guint      lo,
                guint      hi)
{
  for (guint i = lo; i <= hi; i++)
    if (pixel_is_entry (p, cs_colormap_entry (map, i)))
      return TRUE;
  return FALSE;
}

static void
test_colorbar_extremes (void)
{
  g_autoptr (CsDensityModel) m = gaussian_model ();
  cairo_surface_t *img = render (m, 640, 520);
  CsDensityLayout L;
  double x;

  cs_render_density_layout (m, 640, 520, &L);
  g_assert_cmpfloat (L.colorbar.x, >, L.frame.x + L.frame.width);
  g_assert_cmpfloat (L.colorbar.x + L.colorbar.width, <, 640);
  x = L.colorbar.x + L.colorbar.width / 2;
  /* Each entry is under two pixels tall here: a pixel just inside the outline is one of the
   * last few entries at the top and one of the first few at the bottom. */
  g_assert_true (pixel_in_range (pixel_at (img, x, L.colorbar.y + 2.5), CS_COLORMAP_VIRIDIS, 250, 255));
  g_assert_true (pixel_in_range (pixel_at (img, x, L.colorbar.y + L.colorbar.height - 2.5), CS_COLORMAP_VIRIDIS,
                                 0, 5));
  cairo_surface_destroy (img);
}

static void
test_contour_at_analytic_radius (void)
{
  g_autoptr (CsDensityModel) m = gaussian_model ();
  cairo_surface_t *img;
  CsDensityLayout L;

  /* A square frame makes x and y scales equal, so the circle stays a circle. */
  img = render (m, 700, 560);
  cs_render_density_layout (m, 700, 560, &L);

  for (guint l = 0; l < m->surface->n_contours; l++)
    {
      double r = hdr_radius (m->surface->contours[l].mass);
      double cx;
      double cy;
      double best_x = 0.0;
      int best_g = -1;
      double x0;
      double x1;

      /* Labels sit on the right; look along the left half of the centre row. */
      cs_render_density_point (m, &L, -r, 0.0, &cx, &cy);
      for (double x = cx - 4.0; x <= cx + 4.0; x += 1.0)
        {
          Pixel p = pixel_at (img, x, cy);

          if (p.g > best_g)
            {
              best_g = p.g;
              best_x = x;
            }
        }
      /* White over the map: bright in every channel, unlike any colour the heatmap has
       * at these heights (viridis is never bright in both red and blue). */
      {
        Pixel p = pixel_at (img, best_x, cy);
        g_assert_cmpint (p.r, >, 150);
        g_assert_cmpint (p.g, >, 150);
        g_assert_cmpint (p.b, >, 150);
      }
      g_assert_cmpfloat (fabs (best_x - cx), <=, 2.0);
      /* Between the levels the map shows through. */
      cs_render_density_point (m, &L, -r + 0.18, 0.0, &x0, &cy);
      cs_render_density_point (m, &L, -r - 0.18, 0.0, &x1, &cy);
      g_assert_true (pixel_in_range (pixel_at (img, x0, cy), CS_COLORMAP_VIRIDIS, 0, 255));
      g_assert_true (pixel_in_range (pixel_at (img, x1, cy), CS_COLORMAP_VIRIDIS, 0, 255));
    }
  cairo_surface_destroy (img);
}

static void
test_points_and_clusters (void)
{
  static const double px[] = { -1.0, -1.0, 1.0, 1.0 };
  static const double py[] = { 0.0, 0.5, 0.0, 0.5 };
  static const int labels[] = { 0, 0, 1, 1 };
  g_autoptr (CsDensityGrid) g = gaussian_grid ();
  g_autoptr (CsDensitySurface) s = cs_density_surface_new (g, NULL, 0);
  g_autoptr (CsDensityModel) m = NULL;
  cairo_surface_t *img;
  CsDensityLayout L;
  double cx;
  double cy;
  Pixel p;

  cs_density_surface_set_points (s, 4, px, py, labels, 2, NULL);
  cs_density_surface_set_cluster (s, 1, g);
  g_assert_cmpuint (s->n_clusters, ==, 2);
  g_assert_null (s->cluster_grids[0]);
  m = cs_density_model_new (s);
  m->show_points = TRUE;
  m->point_alpha = 1.0;
  m->show_contours = FALSE;
  img = render (m, 640, 520);
  cs_render_density_layout (m, 640, 520, &L);
  cs_render_density_point (m, &L, 1.0, 0.0, &cx, &cy);
  p = pixel_at (img, cx, cy);
  /* Cluster 2's colour, not the map's green at that height. */
  {
    double rgb[3];

    cs_palette_color (1, rgb);
    g_assert_cmpint (abs (p.r - (int) lround (rgb[0] * 255)), <=, 2);
    g_assert_cmpint (abs (p.g - (int) lround (rgb[1] * 255)), <=, 2);
    g_assert_cmpint (abs (p.b - (int) lround (rgb[2] * 255)), <=, 2);
  }
  cairo_surface_destroy (img);

  /* With per-cluster contours the surface is washed out and cluster 2's 95 % ring is drawn in
   * its colour at the analytic radius. */
  {
    g_autoptr (CsDensityModel) c = cs_density_model_copy (m);
    double rgb[3];
    double r = hdr_radius (0.95);
    int best = G_MAXINT;

    c->show_points = FALSE;
    c->show_clusters = TRUE;
    img = render (c, 640, 520);
    cs_palette_color (1, rgb);
    cs_render_density_point (c, &L, -r, 0.0, &cx, &cy);
    for (double x = cx - 3.0; x <= cx + 3.0; x += 1.0)
      {
        Pixel q = pixel_at (img, x, cy);
        int d = abs (q.r - (int) lround (rgb[0] * 255)) + abs (q.g - (int) lround (rgb[1] * 255))
                + abs (q.b - (int) lround (rgb[2] * 255));
        best = MIN (best, d);
      }
    g_assert_cmpint (best, <=, 60);
    cairo_surface_destroy (img);
  }
}

static void
test_marginals_layout (void)
{
  g_autoptr (CsDensityModel) m = gaussian_model ();
  CsDensityLayout plain;
  CsDensityLayout with;
  cairo_surface_t *img;
  double cx;
  double cy;
  gboolean inked = FALSE;

  cs_render_density_layout (m, 640, 520, &plain);
  m->show_marginals = TRUE;
  cs_render_density_layout (m, 640, 520, &with);
  g_assert_cmpfloat (with.marginal_x.height, >, 20);
  g_assert_cmpfloat (with.marginal_x.y + with.marginal_x.height, <=, with.frame.y);
  g_assert_cmpfloat (with.marginal_y.x, >=, with.frame.x + with.frame.width);
  g_assert_cmpfloat (with.colorbar.x, >=, with.marginal_y.x + with.marginal_y.width);
  g_assert_cmpfloat (with.frame.height, <, plain.frame.height);

  /* The x marginal peaks above x = 0: its curve is near the strip's top there. */
  img = render (m, 640, 520);
  cs_render_density_point (m, &with, 0.0, 0.0, &cx, &cy);
  for (double y = with.marginal_x.y; y < with.marginal_x.y + 0.2 * with.marginal_x.height; y += 1.0)
    {
      Pixel p = pixel_at (img, cx, y);
      inked |= p.r < 160;
    }
  g_assert_true (inked);
  cairo_surface_destroy (img);
}

static char *
read_all (const char *path,
          gsize      *len)
{
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, len, NULL));
  return data;
}

static gboolean
contains (const char *data,
          gsize       len,
          const char *needle)
{
  /* PDF streams hold NUL bytes, so no string search. */
  return memmem (data, len, needle, strlen (needle)) != NULL;
}

static void
test_export_vector (void)
{
  g_autoptr (CsDensityModel) m = gaussian_model ();
  g_autofree char *dir = g_dir_make_tmp ("cs-density-XXXXXX", NULL);
  g_autofree char *svg = g_build_filename (dir, "d.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "d.pdf", NULL);
  g_autofree char *png = g_build_filename (dir, "d.png", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len;
  guint paths = 0;
  const char *p;

  m->title = g_strdup ("Density");
  g_assert_true (cs_render_export (cs_render_density, m, svg, CS_EXPORT_SVG, 160, 120, 150, &error));
  g_assert_no_error (error);
  data = read_all (svg, &len);
  /* The heatmap is one embedded raster, the contours are paths. */
  g_assert_true (contains (data, len, "<image"));
  g_assert_true (contains (data, len, "data:image/png;base64"));
  for (p = data; (p = strstr (p, "<path")) != NULL; p++)
    paths++;
  g_assert_cmpuint (paths, >=, 3);
  g_clear_pointer (&data, g_free);

  g_assert_true (cs_render_export (cs_render_density, m, pdf, CS_EXPORT_PDF, 160, 120, 150, &error));
  g_assert_no_error (error);
  data = read_all (pdf, &len);
  g_assert_true (len > 4 && memcmp (data, "%PDF", 4) == 0);
  g_assert_true (contains (data, len, "/Subtype /Image"));
  g_clear_pointer (&data, g_free);

  g_assert_true (cs_render_export (cs_render_density, m, png, CS_EXPORT_PNG, 160, 120, 96, &error));
  g_assert_no_error (error);
  data = read_all (png, &len);
  g_assert_true (len > 8 && memcmp (data, "\x89PNG", 4) == 0);

  g_unlink (svg);
  g_unlink (pdf);
  g_unlink (png);
  g_rmdir (dir);
}

static void
test_build_from_points (void)
{
  g_autofree double *x = g_new (double, 2000);
  g_autofree double *y = g_new (double, 2000);
  g_autofree int *labels = g_new (int, 2000);
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDensitySurface) s = NULL;
  CsKdeOptions opt;
  GRand *rand = g_rand_new_with_seed (7);

  /* Two well-separated blobs; a NaN row must be ignored. */
  for (guint i = 0; i < 2000; i++)
    {
      double u1 = g_rand_double_range (rand, 1e-12, 1.0);
      double u2 = g_rand_double (rand);
      double r = sqrt (-2 * log (u1));

      labels[i] = i % 2;
      x[i] = r * cos (2 * G_PI * u2) + (i % 2 ? 4.0 : -4.0);
      y[i] = r * sin (2 * G_PI * u2);
    }
  x[17] = NAN;
  g_rand_free (rand);

  cs_kde_options_init (&opt);
  opt.grid = 128;
  opt.method = CS_KDE_BINNED;
  s = cs_density_surface_build (2000, x, y, labels, 2, NULL, &opt, TRUE, CS_BANDWIDTH_SCOTT, 1.0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (s);
  g_assert_cmpuint (s->grid->nx, ==, 128);
  g_assert_cmpuint (s->n_clusters, ==, 2);
  g_assert_nonnull (s->cluster_grids[0]);
  g_assert_nonnull (s->cluster_grids[1]);
  /* The options report the H that was used. */
  g_assert_cmpfloat (opt.h[0], >, 0.0);
  /* Each blob is its own island at the 50 % level. */
  g_assert_cmpuint (s->contours[0].lines->len, >=, 2);
  g_assert_cmpuint (s->cluster_contours[0].lines->len, >=, 1);
  g_assert_cmpuint (s->n, ==, 2000);

  /* Fewer than two finite points is an error, not a crash. */
  {
    double one_x[] = { 1.0, NAN };
    double one_y[] = { 2.0, 3.0 };
    g_autoptr (CsDensitySurface) none = cs_density_surface_build (2, one_x, one_y, NULL, 0, NULL, &opt, FALSE,
                                                                  CS_BANDWIDTH_SCOTT, 1.0, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  }
}

static void
test_bandwidth_caption (void)
{
  g_autoptr (CsDensityModel) m = gaussian_model ();
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 680, 420);
  cairo_t *cr = cairo_create (s);
  CsDensityLayout layout;
  guint ink = 0;

  /* The bandwidth the window's controls show is in the figure too, between the title and
   * the heatmap: an export has no controls. */
  m->title = g_strdup ("Gaussian");
  cs_render_density (cr, m, 680, 420);
  cairo_destroy (cr);
  cs_render_density_layout (m, 680, 420, &layout);
  for (double y = 14 + 18; y < layout.frame.y - 1; y += 1.0)
    for (double x = layout.frame.x; x < layout.frame.x + 200; x += 1.0)
      {
        Pixel p = pixel_at (s, x, y);
        ink += p.r < 160 && p.g < 160 && p.b < 160;
      }
  g_assert_cmpuint (ink, >, 50);
  cairo_surface_destroy (s);

  /* It names where H came from: the grid's own rule, or the rule and slider factor a caller
   * (the window's density page) records when it hands core the scaled H as a manual matrix. */
  {
    g_autofree char *plain = cs_density_surface_bandwidth_note (m->surface);
    g_autofree char *scaled = NULL;

    g_assert_nonnull (plain);
    g_assert_true (g_str_has_prefix (plain, m->surface->grid->rule == CS_BANDWIDTH_MANUAL ? "Manual" : "Scott"));
    m->surface->bandwidth_rule = CS_BANDWIDTH_SILVERMAN;
    m->surface->bandwidth_factor = 1.5;
    scaled = cs_density_surface_bandwidth_note (m->surface);
    g_assert_true (g_str_has_prefix (scaled, "Silverman × 1.50 bandwidth: h = "));
  }
}

static void
test_text_on_canvas (void)
{
  g_autoptr (CsDensityModel) m = gaussian_model ();

  m->title = g_strdup ("Old Faithful geyser, eruption duration against waiting time");
  m->show_marginals = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (figure_sizes); i++)
    assert_drawn_inside (cs_render_density, m, figure_sizes[i][0], figure_sizes[i][1]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/density/colormap/published-endpoints", test_colormap_endpoints);
  g_test_add_func ("/render/density/surface/levels-and-marginals", test_surface_levels_and_marginals);
  g_test_add_func ("/render/density/surface/build-from-points", test_build_from_points);
  g_test_add_func ("/render/density/heatmap/peak-is-top-colour", test_peak_is_top_colour);
  g_test_add_func ("/render/density/colorbar/extremes", test_colorbar_extremes);
  g_test_add_func ("/render/density/contours/at-analytic-radius", test_contour_at_analytic_radius);
  g_test_add_func ("/render/density/points-and-cluster-contours", test_points_and_clusters);
  g_test_add_func ("/render/density/marginals", test_marginals_layout);
  g_test_add_func ("/render/density/export/svg-pdf-embed-image", test_export_vector);
  g_test_add_func ("/render/density/text-on-canvas", test_text_on_canvas);
  g_test_add_func ("/render/density/bandwidth-caption", test_bandwidth_caption);

  return g_test_run ();
}
