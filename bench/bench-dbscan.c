/* DBSCAN on a CSV, for bench/dbscan.py.
 *
 *   bench-dbscan DATA.csv EPS MIN_SAMPLES [LABELS_OUT]
 *
 * DATA.csv: plain CSV without a header. Prints one JSON line: seconds of the run, clusters,
 * core / border / noise counts, the peak RSS after loading the data and after the run (KiB,
 * VmHWM), so the script can report what the run itself added. Writes the labels, one per line,
 * to LABELS_OUT when given. */
#include <stdio.h>
#include <stdlib.h>

#include "bench-common.h"
#include "core/cluster/cs-dbscan.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (CsMatrix) x = NULL;
  g_autoptr (CsClustering) c = NULL;
  GError *error = NULL;
  CsDbscanOptions o;
  gsize counts[3] = { 0, 0, 0 };
  long base_kib;
  gint64 t0;
  double seconds;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (argc < 4)
    {
      fprintf (stderr, "usage: %s DATA.csv EPS MIN_SAMPLES [LABELS_OUT]\n", argv[0]);
      return 2;
    }
  x = read_csv (argv[1], &error);
  if (x == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  cs_dbscan_options_init (&o);
  o.eps = g_ascii_strtod (argv[2], NULL);
  o.min_samples = (guint) atoi (argv[3]);
  base_kib = peak_rss_kib ();
  t0 = g_get_monotonic_time ();
  if (!cs_dbscan_run (x, &o, NULL, NULL, &c, NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  for (gsize i = 0; i < c->n; i++)
    counts[c->point_kinds[i]]++;
  printf ("{\"seconds\": %s, \"clusters\": %u, \"core\": %" G_GSIZE_FORMAT ", \"border\": %" G_GSIZE_FORMAT
          ", \"noise\": %" G_GSIZE_FORMAT ", \"base_rss_kib\": %ld, \"peak_rss_kib\": %ld}\n",
          g_ascii_formatd (buf, sizeof buf, "%.6f", seconds), c->k, counts[CS_POINT_CORE], counts[CS_POINT_BORDER],
          counts[CS_POINT_NOISE], base_kib, peak_rss_kib ());
  if (argc > 4)
    {
      FILE *f = fopen (argv[4], "w");
      if (f == NULL)
        {
          perror (argv[4]);
          return 1;
        }
      for (gsize i = 0; i < c->n; i++)
        fprintf (f, "%d\n", c->labels[i]);
      fclose (f);
    }
  return 0;
}
