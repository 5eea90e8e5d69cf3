/* 2-D KDE timings, for bench/kde.py.
 *
 *   bench-kde compare DATA.csv OUT_PREFIX [GRID [REPEATS]]
 *       Scott bandwidth, default padded extent, GRID nodes per axis (256): times the binned
 *       surface (median of REPEATS, default 7) and the exact one (once), writes both grids as
 *       raw little-endian doubles to OUT_PREFIX-binned.bin / -exact.bin and prints one JSON
 *       line with H, the extent and the times, so the driver can evaluate SciPy on the same
 *       nodes with the same H.
 *   bench-kde large [N [GRID [REPEATS]]]
 *       N points (1,000,000) from a seeded Gaussian mixture, a GRID² (512²) binned surface
 *       REPEATS (15) times, the bandwidth scaled by a different factor on every run as a
 *       slider would; prints the median and the first (plan-making) run's time as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"
#include "core/base/cs-error.h"
#include "core/base/cs-rng.h"
#include "core/density/cs-kde.h"

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v,
        int     n)
{
  qsort (v, n, sizeof (double), cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static gboolean
write_grid (const char          *path,
            const CsDensityGrid *g)
{
  FILE *f = fopen (path, "wb");
  gsize cells = (gsize) g->nx * g->ny;
  gboolean ok;

  if (f == NULL)
    return FALSE;
  ok = fwrite (g->values, sizeof (double), cells, f) == cells;
  return fclose (f) == 0 && ok;
}

static int
run_compare (int   argc,
             char *argv[])
{
  g_autoptr (CsMatrix) x = NULL;
  g_autoptr (CsDensityGrid) binned = NULL;
  g_autoptr (CsDensityGrid) exact = NULL;
  g_autofree char *pb = NULL;
  g_autofree char *pe = NULL;
  GError *error = NULL;
  guint grid = argc > 4 ? (guint) atoi (argv[4]) : 256;
  int repeats = argc > 5 ? atoi (argv[5]) : 7;
  g_autofree double *times = g_new (double, MAX (repeats, 1));
  CsKdeOptions o;
  gint64 t0;
  double exact_s;

  x = read_csv (argv[2], &error);
  if (x == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  for (int r = 0; r < MAX (repeats, 1); r++)
    {
      g_clear_pointer (&binned, cs_density_grid_unref);
      cs_kde_options_init (&o);
      o.grid = grid;
      t0 = g_get_monotonic_time ();
      binned = cs_kde_grid (x, &o, NULL, &error);
      times[r] = (g_get_monotonic_time () - t0) / 1e6;
      if (binned == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
    }
  cs_kde_options_init (&o);
  o.grid = grid;
  o.method = CS_KDE_EXACT;
  t0 = g_get_monotonic_time ();
  exact = cs_kde_grid (x, &o, NULL, &error);
  exact_s = (g_get_monotonic_time () - t0) / 1e6;
  if (exact == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  pb = g_strconcat (argv[3], "-binned.bin", NULL);
  pe = g_strconcat (argv[3], "-exact.bin", NULL);
  if (!write_grid (pb, binned) || !write_grid (pe, exact))
    {
      fprintf (stderr, "cannot write %s\n", pb);
      return 1;
    }
  printf ("{\"n\": %" G_GSIZE_FORMAT ", \"grid\": %u, \"H\": [%.17g, %.17g, %.17g, %.17g], "
          "\"extent\": [%.17g, %.17g, %.17g, %.17g], \"binned_s\": %.6f, \"exact_s\": %.6f}\n",
          x->rows, grid, o.h[0], o.h[1], o.h[2], o.h[3], exact->x_min, exact->x_max, exact->y_min, exact->y_max,
          median (times, MAX (repeats, 1)), exact_s);
  return 0;
}

static int
run_large (int   argc,
           char *argv[])
{
  gsize n = argc > 2 ? (gsize) g_ascii_strtoull (argv[2], NULL, 10) : 1000000;
  guint grid = argc > 3 ? (guint) atoi (argv[3]) : 512;
  int repeats = argc > 4 ? atoi (argv[4]) : 15;
  g_autoptr (CsMatrix) x = cs_matrix_new (n, 2);
  g_autofree double *times = g_new (double, MAX (repeats, 1));
  double H0[4];
  double first = 0.0;
  GError *error = NULL;
  CsRng rng;

  cs_rng_init (&rng, 42);
  for (gsize i = 0; i < n; i++)
    {
      double a = cs_rng_normal (&rng);
      double b = cs_rng_normal (&rng);
      int c = cs_rng_below (&rng, 3);
      x->data[2 * i] = c == 0 ? a : c == 1 ? 4 + 0.5 * a : 1 + 0.8 * a;
      x->data[2 * i + 1] = c == 0 ? 0.5 * a + b : c == 1 ? 1 + 0.7 * b : 5 + 0.3 * b;
    }
  if (!cs_kde_bandwidth (x, CS_BANDWIDTH_SCOTT, FALSE, NULL, H0, NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  for (int r = 0; r < MAX (repeats, 1); r++)
    {
      g_autoptr (CsDensityGrid) g = NULL;
      double f = 0.7 + 0.6 * r / MAX (repeats - 1, 1); /* the slider moves on every run */
      CsKdeOptions o;
      gint64 t0;

      cs_kde_options_init (&o);
      o.grid = grid;
      o.rule = CS_BANDWIDTH_MANUAL;
      for (int i = 0; i < 4; i++)
        o.h[i] = f * H0[i];
      t0 = g_get_monotonic_time ();
      g = cs_kde_grid (x, &o, NULL, &error);
      times[r] = (g_get_monotonic_time () - t0) / 1e6;
      if (g == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      if (r == 0)
        first = times[0];
    }
  printf ("{\"n\": %" G_GSIZE_FORMAT ", \"grid\": %u, \"repeats\": %d, \"median_s\": %.6f, \"first_s\": %.6f}\n", n,
          grid, repeats, median (times, MAX (repeats, 1)), first);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc >= 4 && strcmp (argv[1], "compare") == 0)
    return run_compare (argc, argv);
  if (argc >= 2 && strcmp (argv[1], "large") == 0)
    return run_large (argc, argv);
  fprintf (stderr, "usage: %s compare DATA.csv OUT_PREFIX [GRID [REPEATS]]\n"
                   "       %s large [N [GRID [REPEATS]]]\n", argv[0], argv[0]);
  return 2;
}
