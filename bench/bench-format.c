/* Writing numbers, for bench/format.py (issue 10, item 9: CSV output was the bottleneck).
 *
 *   bench-format VALUES.bin [GRID]
 *       The faithful sample's binned KDE on a GRID² grid (1024), written as the density
 *       command's x,y,density CSV with cs_format_double (median of 5 runs), and the same
 *       values through the formatter it replaced (every precision from %.6g to %.17g until
 *       one reads back), timed on an eighth of the rows and scaled. Neither timing includes
 *       the check, a separate pass, that every value printed reads back. Writes the grid
 *       values to VALUES.bin (raw little-endian doubles) for the driver to time Python's repr
 *       on, and prints one JSON line with the times. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/cs-format.h"
#include "core/data/cs-samples.h"
#include "core/density/cs-kde.h"

static char *
old_format (char  *buf,
            gsize  len,
            double value)
{
  for (int prec = 6; prec <= 17; prec++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", prec);
      g_ascii_formatd (buf, len, fmt, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return buf;
}

static double
node (double lo,
      double hi,
      guint  n,
      guint  i)
{
  return n > 1 ? lo + (hi - lo) * (double) i / (double) (n - 1) : lo;
}

/* The CSV as the density command writes it; rows_limit cuts it short for the slow formatter. */
static gsize
write_csv (const CsDensityGrid *g,
           guint                rows_limit,
           char *(*format) (char *, gsize, double),
           gboolean             check)
{
  GString *s = g_string_sized_new ((gsize) g->nx * MIN (g->ny, rows_limit) * 48 + 16);
  g_autoptr (GPtrArray) xs = g_ptr_array_new_full (g->nx, g_free);
  char y[G_ASCII_DTOSTR_BUF_SIZE];
  char v[G_ASCII_DTOSTR_BUF_SIZE];
  gsize length;

  for (guint i = 0; i < g->nx; i++)
    g_ptr_array_add (xs, g_strdup (format (v, sizeof v, node (g->x_min, g->x_max, g->nx, i))));
  g_string_append (s, "x,y,density\n");
  for (guint j = 0; j < MIN (g->ny, rows_limit); j++)
    {
      format (y, sizeof y, node (g->y_min, g->y_max, g->ny, j));
      for (guint i = 0; i < g->nx; i++)
        {
          double value = g->values[(gsize) j * g->nx + i];
          format (v, sizeof v, value);
          if (check && g_ascii_strtod (v, NULL) != value)
            g_error ("%.17g printed as %s", value, v);
          g_string_append (s, g_ptr_array_index (xs, i));
          g_string_append_c (s, ',');
          g_string_append (s, y);
          g_string_append_c (s, ',');
          g_string_append (s, v);
          g_string_append_c (s, '\n');
        }
    }
  length = s->len;
  g_string_free (s, TRUE);
  return length;
}

static int
cmp_double (const void *a,
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
  g_autoptr (CsDataset) ds = NULL;
  g_autoptr (CsMatrix) xy = NULL;
  g_autoptr (CsDensityGrid) g = NULL;
  guint grid = argc > 2 ? (guint) atoi (argv[2]) : 1024;
  CsKdeOptions opt;
  double times[5];
  double old_s;
  gsize bytes = 0;
  FILE *f;

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-format VALUES.bin [GRID]\n");
      return 2;
    }
  ds = cs_sample_load ("faithful", &error);
  if (ds == NULL)
    g_error ("%s", error->message);
  xy = cs_matrix_new (ds->n_rows, 2);
  for (gsize i = 0; i < ds->n_rows; i++)
    {
      xy->data[2 * i] = cs_dataset_column (ds, 0)->values[i];
      xy->data[2 * i + 1] = cs_dataset_column (ds, 1)->values[i];
    }
  cs_kde_options_init (&opt);
  opt.grid = grid;
  g = cs_kde_grid (xy, &opt, NULL, &error);
  if (g == NULL)
    g_error ("%s", error->message);

  for (int r = 0; r < 5; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      bytes = write_csv (g, G_MAXUINT, cs_format_double, FALSE);
      times[r] = (g_get_monotonic_time () - t0) / 1e6;
    }
  qsort (times, 5, sizeof (double), cmp_double);
  {
    guint part = MAX (g->ny / 8, 1u);
    gint64 t0 = g_get_monotonic_time ();
    write_csv (g, part, old_format, FALSE);
    old_s = (g_get_monotonic_time () - t0) / 1e6 * g->ny / part;
  }
  write_csv (g, G_MAXUINT, cs_format_double, TRUE);
  f = fopen (argv[1], "wb");
  if (f == NULL || fwrite (g->values, sizeof (double), (gsize) g->nx * g->ny, f) != (gsize) g->nx * g->ny
      || fclose (f) != 0)
    g_error ("cannot write %s", argv[1]);
  printf ("{\"grid\": %u, \"rows\": %u, \"bytes\": %" G_GSIZE_FORMAT ", \"new_s\": %.6f, \"old_s\": %.6f}\n", grid,
          g->nx * g->ny, bytes, times[2], old_s);
  return 0;
}
