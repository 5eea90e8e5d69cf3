/* k-medoids from given initial medoids, for bench/kmedoids.py.
 *
 *   bench-kmedoids DATA.csv MEDOIDS.txt ALGORITHM [REPEATS]
 *
 * DATA: plain CSV without a header; MEDOIDS: 0-based row indices, one per line; ALGORITHM:
 * pam, fastpam1 or fasterpam. The Euclidean dissimilarity matrix is built on every repeat and
 * its time is part of the total, as R's dist() + pam() is. Prints one JSON line with medians. */
#include "bench-common.h"
#include "core/cluster/cs-kmedoids.h"

typedef gboolean (*RunFunc) (const CsDissim *, const CsKmedoidsOptions *, CsProgress *, CsTrace *, CsClustering **,
                             GError **);

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsMatrix) x = NULL;
  g_autoptr (GArray) start = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree double *t_dissim = NULL;
  g_autofree double *t_total = NULL;
  g_autoptr (GString) medoids = g_string_new (NULL);
  CsClustering *last = NULL;
  CsKmedoidsOptions o;
  RunFunc run;
  int repeats;

  if (argc < 4)
    {
      fprintf (stderr, "usage: %s DATA.csv MEDOIDS.txt pam|fastpam1|fasterpam [REPEATS]\n", argv[0]);
      return 2;
    }
  if (strcmp (argv[3], "pam") == 0)
    run = cs_pam_run;
  else if (strcmp (argv[3], "fastpam1") == 0)
    run = cs_fastpam1_run;
  else if (strcmp (argv[3], "fasterpam") == 0)
    run = cs_fasterpam_run;
  else
    {
      fprintf (stderr, "unknown algorithm %s\n", argv[3]);
      return 2;
    }
  repeats = argc > 4 ? MAX (1, atoi (argv[4])) : 3;
  x = read_csv (argv[1], &error);
  if (x == NULL || !g_file_get_contents (argv[2], &text, NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    if (**l)
      {
        gsize m = (gsize) g_ascii_strtoull (*l, NULL, 10);
        g_array_append_val (start, m);
      }

  cs_kmedoids_options_init (&o);
  o.k = start->len;
  o.init = CS_KMEDOIDS_INIT_EXPLICIT;
  o.initial_medoids = (const gsize *) (gpointer) start->data;
  o.max_iter = 1000000;
  t_dissim = g_new (double, repeats);
  t_total = g_new (double, repeats);
  for (int r = 0; r < repeats; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (CsDissim) D = cs_dissim_new_from_matrix (x, CS_METRIC_EUCLIDEAN, FALSE, NULL, &error);
      gint64 t1 = g_get_monotonic_time ();
      CsClustering *c = NULL;

      if (D == NULL || !run (D, &o, NULL, NULL, &c, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      t_dissim[r] = (t1 - t0) / 1e6;
      t_total[r] = (g_get_monotonic_time () - t0) / 1e6;
      if (last)
        cs_clustering_unref (last);
      last = c;
    }
  qsort (t_dissim, repeats, sizeof (double), compare_double);
  qsort (t_total, repeats, sizeof (double), compare_double);
  for (guint j = 0; j < last->k; j++)
    g_string_append_printf (medoids, "%s%" G_GSIZE_FORMAT, j ? "," : "", last->medoids[j]);
  printf ("{\"algorithm\": \"%s\", \"n\": %" G_GSIZE_FORMAT ", \"d\": %" G_GSIZE_FORMAT ", \"k\": %u, "
          "\"seconds_dissim\": %.6f, \"seconds_total\": %.6f, \"loss\": %.10g, \"swaps\": %u, "
          "\"medoids\": [%s], \"peak_rss_kib\": %ld}\n",
          argv[3], x->rows, x->cols, last->k, t_dissim[repeats / 2], t_total[repeats / 2], last->objective,
          last->swaps, medoids->str, peak_rss_kib ());
  cs_clustering_unref (last);
  return 0;
}
