/* Online k-means on a CSV, for bench/minibatch.py.
 *
 *   bench-minibatch DATA.csv K BATCH EPOCHS [minibatch|tell [SEED]]
 *
 * DATA: header-less CSV, one row per line. Prints one JSON line: seconds (the fit and the final
 * labelling, not the reading), inertia over every row, batches, and the peak RSS in KiB (VmHWM). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"
#include "core/base/cs-error.h"
#include "core/cluster/cs-online-kmeans.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (CsMatrix) x = NULL;
  g_autoptr (CsClustering) c = NULL;
  GError *error = NULL;
  CsOnlineKmeansOptions o;
  gint64 t0;
  char buf[2][G_ASCII_DTOSTR_BUF_SIZE];

  if (argc < 5)
    {
      fprintf (stderr, "usage: %s DATA.csv K BATCH EPOCHS [minibatch|tell [SEED]]\n", argv[0]);
      return 2;
    }
  x = read_csv (argv[1], &error);
  if (x == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  cs_online_kmeans_options_init (&o);
  o.k = (guint) atoi (argv[2]);
  o.batch_size = (gsize) atol (argv[3]);
  o.epochs = (guint) atoi (argv[4]);
  o.method = argc > 5 && strcmp (argv[5], "tell") == 0 ? CS_ONLINE_KMEANS_TELL : CS_ONLINE_KMEANS_MINIBATCH;
  o.seed = argc > 6 ? (guint64) atoll (argv[6]) : 0;
  t0 = g_get_monotonic_time ();
  if (!cs_online_kmeans_run (x, &o, NULL, NULL, &c, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("{\"seconds\": %s, \"inertia\": %s, \"batches\": %u, \"peak_rss_kib\": %ld}\n",
          g_ascii_formatd (buf[0], sizeof buf[0], "%.6f", (g_get_monotonic_time () - t0) / 1e6),
          g_ascii_formatd (buf[1], sizeof buf[1], "%.17g", c->objective), c->iterations, peak_rss_kib ());
  return 0;
}
