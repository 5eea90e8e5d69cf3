/* Agglomerative clustering on a CSV, for bench/agglomerative.py.
 *
 *   bench-agglomerative DATA.csv LINKAGE [MERGES_OUT]
 *
 * DATA.csv: plain CSV without a header. Prints one JSON line: seconds of the run (the whole
 * tree; the cut is k = 2), the peak RSS after loading the data and after the run (KiB, VmHWM).
 * Writes the linkage matrix (n − 1 rows "a,b,height,size", heights to 17 digits) to MERGES_OUT
 * when given, so the script can compare it with SciPy's. */
#include <stdio.h>
#include <stdlib.h>

#include "bench-common.h"
#include "core/cluster/cs-agglomerative.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (CsMatrix) x = NULL;
  g_autoptr (CsClustering) c = NULL;
  GError *error = NULL;
  CsAgglomerativeOptions o;
  long base_kib;
  gint64 t0;
  double seconds;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s DATA.csv ward|average|complete|single [MERGES_OUT]\n", argv[0]);
      return 2;
    }
  x = read_csv (argv[1], &error);
  if (x == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  cs_agglomerative_options_init (&o);
  if (!cs_linkage_from_id (argv[2], &o.linkage))
    {
      fprintf (stderr, "unknown linkage %s\n", argv[2]);
      return 2;
    }
  o.k = 2;
  base_kib = peak_rss_kib ();
  t0 = g_get_monotonic_time ();
  if (!cs_agglomerative_run (x, &o, NULL, NULL, &c, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  printf ("{\"seconds\": %s, \"base_rss_kib\": %ld, \"peak_rss_kib\": %ld}\n",
          g_ascii_formatd (buf, sizeof buf, "%.6f", seconds), base_kib, peak_rss_kib ());
  if (argc > 3)
    {
      FILE *f = fopen (argv[3], "w");
      if (f == NULL)
        {
          perror (argv[3]);
          return 1;
        }
      for (gsize r = 0; r + 1 < c->n; r++)
        fprintf (f, "%.0f,%.0f,%.17g,%.0f\n", c->merges[r * 4], c->merges[r * 4 + 1], c->merges[r * 4 + 2],
                 c->merges[r * 4 + 3]);
      fclose (f);
    }
  return 0;
}
