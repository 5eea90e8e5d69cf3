/* k-means from given initial centres, for bench/kmeans.py.
 *
 *   bench-kmeans DATA.csv CENTRES.csv [MAX_ITER [TOL [ALGORITHMS]]]
 *
 * Both files are plain CSV without a header, one row per line, '.' as the decimal point
 * (the centres: k rows of d values). ALGORITHMS is "lloyd", "hamerly" or "lloyd,hamerly"
 * (the default). Prints one JSON line per algorithm: seconds, iterations, seconds per
 * iteration, inertia, converged, and the process's peak RSS so far in KiB: VmHWM from
 * /proc/self/status, because getrusage's ru_maxrss carries the parent's peak across exec. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench-common.h"
#include "core/cluster/cs-kmeans.h"
#include "core/base/cs-error.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (CsMatrix) x = NULL;
  g_autoptr (CsMatrix) init = NULL;
  g_auto (GStrv) algorithms = NULL;
  GError *error = NULL;
  CsKmeansOptions o;

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s DATA.csv CENTRES.csv [MAX_ITER [TOL [lloyd,hamerly]]]\n", argv[0]);
      return 2;
    }
  x = read_csv (argv[1], &error);
  if (x)
    init = read_csv (argv[2], &error);
  if (x == NULL || init == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  cs_kmeans_options_init (&o);
  o.k = (guint) init->rows;
  o.initial_centers = init;
  o.n_init = 1;
  if (argc > 3)
    o.max_iter = (guint) atoi (argv[3]);
  if (argc > 4)
    o.tol = g_ascii_strtod (argv[4], NULL);
  algorithms = g_strsplit (argc > 5 ? argv[5] : "lloyd,hamerly", ",", -1);

  for (char **a = algorithms; *a; a++)
    {
      g_autoptr (CsClustering) c = NULL;
      gint64 t0;
      double seconds;
      char buf[4][G_ASCII_DTOSTR_BUF_SIZE];

      o.algorithm = g_strcmp0 (*a, "lloyd") == 0 ? CS_KMEANS_LLOYD : CS_KMEANS_HAMERLY;
      t0 = g_get_monotonic_time ();
      if (!cs_kmeans_run (x, &o, NULL, NULL, &c, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      seconds = (g_get_monotonic_time () - t0) / 1e6;
      printf ("{\"algorithm\": \"%s\", \"n\": %" G_GSIZE_FORMAT ", \"d\": %" G_GSIZE_FORMAT
              ", \"k\": %u, \"seconds\": %s, \"iterations\": %u, \"seconds_per_iteration\": %s, "
              "\"inertia\": %s, \"converged\": %s, \"peak_rss_kib\": %ld}\n",
              *a, x->rows, x->cols, o.k, g_ascii_formatd (buf[0], sizeof buf[0], "%.6f", seconds), c->iterations,
              g_ascii_formatd (buf[1], sizeof buf[1], "%.6g", seconds / MAX (c->iterations, 1)),
              g_ascii_formatd (buf[2], sizeof buf[2], "%.17g", c->objective), c->converged ? "true" : "false",
              peak_rss_kib ());
      fflush (stdout);
    }
  return 0;
}
