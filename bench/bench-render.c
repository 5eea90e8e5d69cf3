/* Scatter redraw time: the figure the plot widget must hit to feel fluid (< 33 ms for a
 * million points at 1280 × 800), plus vector export times. Build with
 * -Dbuildtype=release for figures worth quoting. */
#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "core/base/cs-rng.h"
#include "ui/render/cs-export.h"

#define WIDTH   1280
#define HEIGHT  800
#define REPEATS 30
#define K       10

static CsPlotModel *
make_blobs (gsize   n,
            guint64 seed)
{
  CsPlotModel *m = cs_plot_model_new ();
  g_autofree double *x = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  g_autofree int *labels = g_new (int, n);
  double cx[K];
  double cy[K];
  double sd[K];
  CsRng rng;

  cs_rng_init (&rng, seed);
  for (int j = 0; j < K; j++)
    {
      cx[j] = cs_rng_uniform (&rng) * 20.0 - 10.0;
      cy[j] = cs_rng_uniform (&rng) * 20.0 - 10.0;
      sd[j] = 0.5 + cs_rng_uniform (&rng) * 1.5;
    }
  for (gsize i = 0; i < n; i++)
    {
      int j = (int) cs_rng_below (&rng, K);
      x[i] = cx[j] + sd[j] * cs_rng_normal (&rng);
      y[i] = cy[j] + sd[j] * cs_rng_normal (&rng);
      labels[i] = j;
    }
  cs_plot_model_set_points (m, n, x, y, NULL);
  cs_plot_model_set_labels (m, labels, K);
  cs_plot_model_compute_centers (m, NULL);
  m->title = g_strdup ("Benchmark blobs");
  g_free (m->x_label);
  g_free (m->y_label);
  m->x_label = g_strdup ("x");
  m->y_label = g_strdup ("y");
  m->highlight = 12345 % n;
  return m;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
bench_redraw (gsize n)
{
  g_autoptr (CsPlotModel) m = make_blobs (n, 42);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  double ms[REPEATS];

  /* One untimed draw loads the fonts, as the first frame on screen does. */
  for (int r = -1; r < REPEATS; r++)
    {
      cairo_t *cr = cairo_create (surface);
      gint64 t0 = g_get_monotonic_time ();

      cs_render_scatter (cr, m, WIDTH, HEIGHT);
      cairo_surface_flush (surface);
      if (r >= 0)
        ms[r] = (g_get_monotonic_time () - t0) / 1000.0;
      cairo_destroy (cr);
    }
  qsort (ms, REPEATS, sizeof (double), compare_doubles);
  printf ("redraw %8" G_GSIZE_FORMAT " points, %d x %d: median %6.2f ms, min %6.2f ms (%d repeats)%s\n",
          n, WIDTH, HEIGHT, ms[REPEATS / 2], ms[0], REPEATS,
          n >= 1000000 ? (ms[REPEATS / 2] < 33.0 ? "  [< 33 ms: ok]" : "  [>= 33 ms: TOO SLOW]") : "");
  cairo_surface_destroy (surface);
}

static void
bench_export (gsize          n,
              CsExportFormat format,
              const char    *name)
{
  g_autoptr (CsPlotModel) m = make_blobs (n, 42);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-bench-render-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GStatBuf st;
  gint64 t0;
  double ms;

  t0 = g_get_monotonic_time ();
  if (!cs_render_export ((CsRenderFunc) cs_render_scatter, m, path, format, 160, 100, 300, &error))
    {
      fprintf (stderr, "export failed: %s\n", error->message);
      exit (1);
    }
  ms = (g_get_monotonic_time () - t0) / 1000.0;
  g_stat (path, &st);
  printf ("export %8" G_GSIZE_FORMAT " points to %s (160 x 100 mm, 300 dpi layer): %7.1f ms, %.1f MB\n",
          n, name, ms, st.st_size / 1e6);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  bench_redraw (1000000);
  bench_redraw (100000);
  bench_redraw (1000);
  bench_export (1000000, CS_EXPORT_SVG, "figure.svg");
  bench_export (1000000, CS_EXPORT_PDF, "figure.pdf");
  bench_export (1000000, CS_EXPORT_PNG, "figure.png");
  bench_export (10000, CS_EXPORT_PDF, "vector.pdf");
  return 0;
}
