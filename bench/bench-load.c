/* Load time and peak memory of the CSV loader on 1,000,000 × 8 numbers.
 * Usage: bench-load [FILE] [REPEATS]   (generates a temporary file when FILE is absent or "-") */
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/data/cs-dataset.h"
#include "core/base/cs-rng.h"
#include "core/data/cs-csv.h"

static char *
generate (GError **error)
{
  g_autofree char *path = NULL;
  CsRng rng;
  FILE *f;
  int fd = g_file_open_tmp ("cs-bench-load-XXXXXX.csv", &path, error);

  if (fd < 0)
    return NULL;
  f = fdopen (fd, "w");
  cs_rng_init (&rng, 1);
  fputs ("a,b,c,d,e,f,g,h\n", f);
  for (int i = 0; i < 1000000; i++)
    for (int j = 0; j < 8; j++)
      fprintf (f, "%.6f%c", 100.0 * cs_rng_normal (&rng), j == 7 ? '\n' : ',');
  fclose (f);
  return g_steal_pointer (&path);
}

static int
compare (const void *a,
         const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  gboolean generated = FALSE;
  int repeats = argc > 2 ? atoi (argv[2]) : 5;
  double times[64];
  gsize values = 0;
  struct rusage usage;

  repeats = CLAMP (repeats, 1, 64);
  if (argc > 1 && g_strcmp0 (argv[1], "-") != 0)
    path = g_strdup (argv[1]);
  else
    {
      path = generate (&error);
      if (path == NULL)
        {
          g_printerr ("bench-load: %s\n", error->message);
          return 1;
        }
      generated = TRUE;
    }

  for (int r = 0; r < repeats; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr (CsDataset) ds = cs_dataset_load_csv (path, NULL, NULL, &error);

      if (ds == NULL)
        {
          g_printerr ("bench-load: %s\n", error->message);
          return 1;
        }
      times[r] = (g_get_monotonic_time () - start) / 1e6;
      values = ds->n_rows * cs_dataset_n_columns (ds);
    }
  qsort (times, repeats, sizeof (double), compare);
  getrusage (RUSAGE_SELF, &usage);

  printf ("file: %s\n", path);
  printf ("load: median %.3f s over %d runs (min %.3f s)\n", times[repeats / 2], repeats, times[0]);
  printf ("peak RSS: %.1f MiB; raw numeric size %.1f MiB (%" G_GSIZE_FORMAT " values); ratio %.2f\n",
          usage.ru_maxrss / 1024.0, values * 8.0 / 1048576.0, values,
          usage.ru_maxrss * 1024.0 / (values * 8.0));
  if (generated)
    g_unlink (path);
  return 0;
}
