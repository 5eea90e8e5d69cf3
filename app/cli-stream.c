/* `cluster FILE --algo online-kmeans --stream`: online k-means over a file read in chunks, so
 * that the file is never held whole. Passes: one for the scaling statistics (when standardising
 * or filling missing values), one per epoch, one to label the rows (sizes, inertia and
 * --labels-out, written as the rows go by). Memory: a chunk of about a eighth of the budget,
 * its parsed columns and its rows as a matrix, plus the learner's batch. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/cluster/cs-online-kmeans.h"
#include "core/cluster/cs-result-io.h"
#include "core/data/cs-csv-stream.h"
#include "core/data/cs-prepare.h"

#include "cli-private.h"

/* "64M", "1.5G", "100000": bytes. */
static gboolean
parse_size (const char *text, guint64 *out)
{
  char  *end = NULL;
  double v = g_ascii_strtod (text, &end);
  double unit = 1.0;

  if (end == text || !isfinite (v) || v <= 0)
    return FALSE;
  switch (g_ascii_toupper (*end))
    {
    case 'K': unit = 1024.0; end++; break;
    case 'M': unit = 1024.0 * 1024.0; end++; break;
    case 'G': unit = 1024.0 * 1024.0 * 1024.0; end++; break;
    default: break;
    }
  if (*end == 'B' || *end == 'b')
    end++;
  if (*end != '\0' || v * unit < 1.0 || v * unit > 1e18)
    return FALSE;
  *out = (guint64) (v * unit);
  return TRUE;
}

typedef struct
{
  const char  *file;
  CsCsvStream *stream;
  int         *cols;     /* Owned: dataset columns of the features */
  gsize        d;
  gboolean     impute;
  double      *mean;     /* Owned, d: column means (missing values filled with them) */
  double      *scale;    /* Owned, d: divisors (1 when not standardising) */
  double      *shift;    /* Owned, d: subtracted (0 when not standardising) */
  gsize        n_used;
  gsize        n_dropped;
} Feed;

/* The chunk's rows as features, in file order; rows with a missing value are dropped or filled.
 * rows (may be NULL) receives each kept row's index in the file. */
static CsMatrix *
chunk_matrix (Feed *f, const CsDataset *ds, gsize first_row, GArray *rows, gsize *dropped)
{
  CsMatrix *x = cs_matrix_new (MAX (ds->n_rows, 1), f->d);
  gsize     m = 0;

  *dropped = 0;
  for (gsize i = 0; i < ds->n_rows; i++)
    {
      gboolean missing = FALSE;
      double  *xi = cs_matrix_row (x, m);

      for (gsize t = 0; t < f->d; t++)
        {
          double v = cs_dataset_column (ds, f->cols[t])->values[i];
          if (isnan (v))
            {
              missing = TRUE;
              v = f->mean ? f->mean[t] : 0.0;
            }
          xi[t] = (v - f->shift[t]) / f->scale[t];
        }
      if (missing && !f->impute)
        {
          (*dropped)++;
          continue;
        }
      if (rows)
        {
          gsize r = first_row + i;
          g_array_append_val (rows, r);
        }
      m++;
    }
  x->rows = m;
  return x;
}

/* Peak resident memory in bytes: VmHWM, since getrusage's ru_maxrss keeps the peak of the
 * process that forked us across exec (a large parent would be counted as ours). */
static guint64
peak_rss_bytes (void)
{
  g_autofree char *status = NULL;
  const char *hwm;
  struct rusage ru;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) && (hwm = strstr (status, "VmHWM:")) != NULL)
    return g_ascii_strtoull (hwm + strlen ("VmHWM:"), NULL, 10) * 1024;
  getrusage (RUSAGE_SELF, &ru);
  return (guint64) ru.ru_maxrss * 1024;
}

static int
fail_error (GError *error)
{
  return cs_i_cli_fail (cs_i_cli_status_for (error), "%s", error->message);
}

int
cs_i_cli_cluster_stream (const char       *file,
                         const RunOptions *o,
                         gboolean          json,
                         gboolean          pretty,
                         const char       *labels_out,
                         const char       *budget_text)
{
  const CsAlgorithm *algo = cs_registry_lookup ("online-kmeans");
  g_autoptr (CsParams) params = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CsCsvStream) stream = NULL;
  g_autoptr (CsOnlineKmeans) learner = NULL;
  g_autofree double *m2 = NULL;
  g_autofree gsize *sizes = NULL;
  g_autofree char *tmp_labels = NULL;
  CsOnlineKmeansOptions ko;
  CsCsvOptions csv;
  CsScaling    scaling = CS_SCALE_AUTO;
  guint64      budget = 256 * 1024 * 1024;
  const CsDataset *schema;
  Feed         f = { 0 };
  double       inertia = 0.0;
  FILE        *lab = NULL;
  int          status = EXIT_OK;
  gsize        chunks = 0;

  if (o->algo == NULL || cs_registry_lookup (o->algo) != algo)
    return cs_i_cli_fail (EXIT_USAGE, "--stream works with --algo online-kmeans (k-means learnt batch by batch)");
  if (o->distances != NULL)
    return cs_i_cli_fail (EXIT_USAGE, "--stream and --distances exclude each other");
  if (budget_text != NULL && !parse_size (budget_text, &budget))
    return cs_i_cli_fail (EXIT_USAGE, "--memory-budget must be a size such as 64M or 2G, not ‘%s’", budget_text);
  if ((o->standardize != 0) + (o->minmax != 0) + (o->scaling != NULL) > 1)
    return cs_i_cli_fail (EXIT_USAGE, "--scaling, --standardize and --minmax exclude each other");
  if (o->scaling != NULL && !cs_scaling_from_id (o->scaling, &scaling))
    return cs_i_cli_fail (EXIT_USAGE, "--scaling ‘%s’ is not one of auto, none, standardize, minmax", o->scaling);
  if (o->standardize)
    scaling = CS_SCALE_STANDARDIZE;
  if (o->minmax || scaling == CS_SCALE_MINMAX)
    return cs_i_cli_fail (EXIT_USAGE, "--stream scales by auto, none or standardize, not minmax");
  params = cs_params_new (algo);
  for (char **a = o->params; a && *a; a++)
    if (!cs_params_set_assignment (params, *a, &error))
      return cs_i_cli_fail (EXIT_USAGE, "%s", error->message);
  cs_i_online_kmeans_options_from_params (params, &ko);

  cs_csv_options_init (&csv);
  csv.label_column = o->label_column;
  stream = cs_csv_stream_open (file, &csv, (gsize) (budget / 8), &error);
  if (stream == NULL)
    return fail_error (error);
  schema = cs_csv_stream_schema (stream);

  /* The features: the columns asked for, or every numeric column but the label. */
  {
    g_autoptr (GArray) cols = NULL;
    if (o->columns && !cs_i_cli_resolve_columns (schema, o->columns, &cols, &error))
      return cs_i_cli_fail (EXIT_USAGE, "%s", error->message);
    if (cols == NULL)
      {
        cols = g_array_new (FALSE, FALSE, sizeof (int));
        for (gsize j = 0; j < cs_dataset_n_columns (schema); j++)
          if ((int) j != schema->label_column && cs_dataset_column (schema, j)->kind == CS_COLUMN_NUMERIC)
            {
              int c = (int) j;
              g_array_append_val (cols, c);
            }
      }
    for (guint t = 0; t < cols->len; t++)
      if (cs_dataset_column (schema, g_array_index (cols, int, t))->kind != CS_COLUMN_NUMERIC)
        return cs_i_cli_fail (EXIT_USAGE, "--stream clusters numeric columns; ‘%s’ holds text",
                              cs_dataset_column (schema, g_array_index (cols, int, t))->name);
    if (cols->len == 0)
      return cs_i_cli_fail (EXIT_RUNTIME, "%s has no numeric column to cluster", file);
    f.d = cols->len;
    f.cols = (int *) (gpointer) g_array_free (g_steal_pointer (&cols), FALSE);
  }
  f.file = file;
  f.stream = stream;
  f.impute = o->impute_mean;
  f.scale = g_new (double, f.d);
  f.shift = g_new0 (double, f.d);
  for (gsize t = 0; t < f.d; t++)
    f.scale[t] = 1.0;

  /* Pass 1, when needed: means and spreads (Welford, in file order) of the rows used. */
  if (scaling != CS_SCALE_NONE || f.impute)
    {
      g_autofree gsize *count = g_new0 (gsize, f.d);
      CsDataset *ds;
      gsize first;

      f.mean = g_new0 (double, f.d);
      m2 = g_new0 (double, f.d);
      while ((ds = cs_csv_stream_next (stream, &first, &error)) != NULL)
        {
          for (gsize i = 0; i < ds->n_rows; i++)
            {
              gboolean missing = FALSE;
              for (gsize t = 0; t < f.d && !f.impute; t++)
                missing |= isnan (cs_dataset_column (ds, f.cols[t])->values[i]);
              if (missing)
                continue;
              for (gsize t = 0; t < f.d; t++)
                {
                  double v = cs_dataset_column (ds, f.cols[t])->values[i];
                  double delta;
                  if (isnan (v))
                    continue;
                  count[t]++;
                  delta = v - f.mean[t];
                  f.mean[t] += delta / (double) count[t];
                  m2[t] += delta * (v - f.mean[t]);
                }
            }
          cs_dataset_unref (ds);
        }
      if (error != NULL)
        {
          status = fail_error (error);
          goto out;
        }
      if (scaling == CS_SCALE_AUTO)
        {
          double wide = 0.0, narrow = INFINITY;
          for (gsize t = 0; t < f.d; t++)
            {
              double sd = count[t] > 0 ? sqrt (m2[t] / (double) count[t]) : 0.0;
              if (sd > 0.0 && isfinite (sd))
                {
                  wide = MAX (wide, sd);
                  narrow = MIN (narrow, sd);
                }
            }
          scaling = wide > 0.0 && wide / narrow > CS_SCALE_AUTO_RATIO ? CS_SCALE_STANDARDIZE : CS_SCALE_NONE;
        }
      if (scaling == CS_SCALE_STANDARDIZE)
        for (gsize t = 0; t < f.d; t++)
          {
            double sd = count[t] > 0 ? sqrt (m2[t] / (double) count[t]) : 0.0;
            f.shift[t] = f.mean[t];
            f.scale[t] = sd > 0.0 && isfinite (sd) ? sd : 1.0;
          }
      if (!cs_csv_stream_rewind (stream, &error))
        {
          status = fail_error (error);
          goto out;
        }
    }

  learner = cs_online_kmeans_new (&ko, f.d, &error);
  if (learner == NULL)
    {
      status = fail_error (error);
      goto out;
    }
  for (guint e = 0; e < ko.epochs; e++)
    {
      CsDataset *ds;
      gsize first, dropped;

      f.n_used = f.n_dropped = 0;
      chunks = 0;
      while ((ds = cs_csv_stream_next (stream, &first, &error)) != NULL)
        {
          g_autoptr (CsMatrix) x = chunk_matrix (&f, ds, first, NULL, &dropped);
          cs_dataset_unref (ds);
          cs_online_kmeans_feed (learner, x->data, x->rows, NULL);
          f.n_used += x->rows;
          f.n_dropped += dropped;
          chunks++;
        }
      if (error != NULL || !cs_online_kmeans_end_epoch (learner, &error) || !cs_csv_stream_rewind (stream, &error))
        {
          status = fail_error (error);
          goto out;
        }
    }

  /* Last pass: each row to its nearest centre. */
  if (labels_out)
    {
      tmp_labels = g_strconcat (labels_out, ".part", NULL);
      lab = fopen (tmp_labels, "w");
      if (lab == NULL)
        {
          int saved = errno;
          status = cs_i_cli_fail (EXIT_RUNTIME, "Could not write %s: %s", labels_out, g_strerror (saved));
          goto out;
        }
      fputs ("row,label\n", lab);
    }
  sizes = g_new0 (gsize, ko.k);
  {
    const CsMatrix *c = cs_online_kmeans_centers (learner);
    CsDataset *ds;
    gsize first, dropped;
    g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (gsize));

    while ((ds = cs_csv_stream_next (stream, &first, &error)) != NULL)
      {
        g_autoptr (CsMatrix) x = NULL;
        g_array_set_size (rows, 0);
        x = chunk_matrix (&f, ds, first, rows, &dropped);
        cs_dataset_unref (ds);
        for (gsize i = 0; i < x->rows; i++)
          {
            double best = INFINITY;
            guint  bj = 0;
            for (guint j = 0; j < ko.k; j++)
              {
                double s = cs_sqdist (cs_matrix_row (x, i), cs_matrix_row (c, j), f.d);
                if (s < best)
                  {
                    best = s;
                    bj = j;
                  }
              }
            inertia += best;
            sizes[bj]++;
            if (lab)
              fprintf (lab, "%" G_GSIZE_FORMAT ",%u\n", g_array_index (rows, gsize, i), bj);
          }
      }
    if (error != NULL)
      {
        status = fail_error (error);
        goto out;
      }
  }
  if (lab)
    {
      gboolean bad = fclose (lab) != 0;
      lab = NULL;
      if (bad || rename (tmp_labels, labels_out) != 0)
        {
          int saved = errno;
          status = cs_i_cli_fail (EXIT_RUNTIME, "Could not write %s: %s", labels_out, g_strerror (saved));
          goto out;
        }
    }

  if (json)
    {
      JsonObject *obj = json_object_new ();
      JsonArray  *features = json_array_new ();
      JsonArray  *centers = json_array_new ();
      JsonArray  *size_array = json_array_new ();
      const CsMatrix *c = cs_online_kmeans_centers (learner);
      g_autoptr (JsonNode) root = json_node_init_object (json_node_alloc (), obj);

      json_object_set_string_member (obj, "algorithm", algo->id);
      json_object_set_object_member (obj, "params", cs_params_to_json (params));
      json_object_set_string_member (obj, "dataset", file);
      json_object_set_boolean_member (obj, "streamed", TRUE);
      json_object_set_int_member (obj, "n", (gint64) f.n_used);
      json_object_set_int_member (obj, "d", (gint64) f.d);
      json_object_set_int_member (obj, "k", ko.k);
      for (guint j = 0; j < ko.k; j++)
        {
          JsonArray *row = json_array_new ();
          for (gsize t = 0; t < f.d; t++)
            json_array_add_double_element (row, cs_matrix_get (c, j, t));
          json_array_add_array_element (centers, row);
          json_array_add_int_element (size_array, (gint64) sizes[j]);
        }
      json_object_set_array_member (obj, "centers", centers);
      cs_json_set_number (obj, "objective", inertia);
      json_object_set_string_member (obj, "objective_name", "inertia");
      json_object_set_int_member (obj, "iterations", cs_online_kmeans_steps (learner));
      json_object_set_boolean_member (obj, "converged", cs_online_kmeans_settled (learner));
      json_object_set_array_member (obj, "sizes", size_array);
      for (gsize t = 0; t < f.d; t++)
        json_array_add_string_element (features, cs_dataset_column (schema, f.cols[t])->name);
      json_object_set_array_member (obj, "features", features);
      json_object_set_string_member (obj, "scaling", cs_scaling_id (scaling));
      json_object_set_int_member (obj, "dropped", (gint64) f.n_dropped);
      json_object_set_int_member (obj, "chunks", (gint64) chunks);
      json_object_set_int_member (obj, "memory_budget", (gint64) budget);
      json_object_set_int_member (obj, "peak_rss", (gint64) peak_rss_bytes ());
      if (!cs_json_write (root, pretty, "-", &error))
        status = fail_error (error);
    }
  else
    {
      g_autofree char *rows = cs_format_count (f.n_used);
      g_autofree char *peak = cs_format_count (peak_rss_bytes () / (1024 * 1024));
      g_autofree char *parts = cs_format_count (chunks);
      printf ("online-kmeans on %s (streamed in %s parts): %s rows × %" G_GSIZE_FORMAT " features\n", file, parts,
              rows, f.d);
      printf ("  clusters     %u\n  inertia      %.6g\n  batches      %u\n  peak memory  %s MiB\n  sizes       ",
              ko.k, inertia, cs_online_kmeans_steps (learner), peak);
      for (guint j = 0; j < ko.k; j++)
        {
          g_autofree char *s = cs_format_count (sizes[j]);
          printf (" %s", s);
        }
      printf ("\n");
    }

out:
  if (lab)
    {
      fclose (lab);
      g_unlink (tmp_labels);
    }
  g_free (f.cols);
  g_free (f.mean);
  g_free (f.scale);
  g_free (f.shift);
  return status;
}
