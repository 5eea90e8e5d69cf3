/* Gaussian mixture from given start labels, for bench/gmm.py.
 *
 *   bench-gmm DATA.csv LABELS.csv [MAX_ITER [TOL [full|tied|diag|spherical]]]
 *
 * DATA: header-less CSV, one row per line; LABELS: one start label per line (0 … k − 1), k is
 * their maximum + 1. Prints one JSON line: seconds, iterations, log-likelihood, BIC, converged
 * and the peak RSS in KiB (VmHWM: getrusage's ru_maxrss carries the parent's peak across exec). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"
#include "core/base/cs-error.h"
#include "core/cluster/cs-gmm.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (CsMatrix) x = NULL;
  g_autoptr (CsMatrix) l = NULL;
  g_autoptr (CsClustering) c = NULL;
  g_autofree int *start = NULL;
  GError *error = NULL;
  CsGmmOptions o;
  gint64 t0;
  double seconds;
  char buf[4][G_ASCII_DTOSTR_BUF_SIZE];

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s DATA.csv LABELS.csv [MAX_ITER [TOL [full|tied|diag|spherical]]]\n", argv[0]);
      return 2;
    }
  x = read_csv (argv[1], &error);
  if (x)
    l = read_csv (argv[2], &error);
  if (x == NULL || l == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  if (l->rows != x->rows)
    {
      fprintf (stderr, "%s has %zu labels for %zu rows\n", argv[2], l->rows, x->rows);
      return 1;
    }
  cs_gmm_options_init (&o);
  start = g_new (int, x->rows);
  o.k = 1;
  for (gsize i = 0; i < x->rows; i++)
    {
      start[i] = (int) l->data[i];
      o.k = MAX (o.k, (guint) start[i] + 1);
    }
  o.initial_labels = start;
  if (argc > 3)
    o.max_iter = (guint) atoi (argv[3]);
  if (argc > 4)
    o.tol = g_ascii_strtod (argv[4], NULL);
  if (argc > 5)
    o.covariance = g_strcmp0 (argv[5], "tied") == 0        ? CS_GMM_TIED
                   : g_strcmp0 (argv[5], "diag") == 0      ? CS_GMM_DIAG
                   : g_strcmp0 (argv[5], "spherical") == 0 ? CS_GMM_SPHERICAL
                                                           : CS_GMM_FULL;
  t0 = g_get_monotonic_time ();
  if (!cs_gmm_run (x, &o, NULL, NULL, &c, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  printf ("{\"n\": %" G_GSIZE_FORMAT ", \"d\": %" G_GSIZE_FORMAT ", \"k\": %u, \"seconds\": %s, \"iterations\": %u, "
          "\"seconds_per_iteration\": %s, \"loglik\": %s, \"bic\": %s, \"converged\": %s, \"peak_rss_kib\": %ld}\n",
          x->rows, x->cols, o.k, g_ascii_formatd (buf[0], sizeof buf[0], "%.6f", seconds), c->iterations,
          g_ascii_formatd (buf[1], sizeof buf[1], "%.6g", seconds / MAX (c->iterations, 1)),
          g_ascii_formatd (buf[2], sizeof buf[2], "%.17g", c->loglik),
          g_ascii_formatd (buf[3], sizeof buf[3], "%.17g", c->bic), c->converged ? "true" : "false",
          peak_rss_kib ());
  return 0;
}
