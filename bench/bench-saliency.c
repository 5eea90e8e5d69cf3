/* Saliency timings, for bench/saliency.py.
 *
 *   bench-saliency digits DATA.csv CENTRES.csv
 *       Writes the bundled digits (1797 × 64) with k-means labels (k = 10, k-means++, seed 0,
 *       10 restarts) as the last column, and the k-means centres, so that the driver and every
 *       run below see the same data and the same clustering.
 *   bench-saliency run DATA.csv [CENTRES.csv]
 *       DATA.csv: features, then the label (0 … k−1) as the last column. Times, once each:
 *       cs_saliency_run() with default options; the exact linear Shapley values of every
 *       row for every class's logit (cs_saliency_report_shapley(), n × k calls), reduced to
 *       the mean |φ| per class and feature so the driver can check numpy's against them; and,
 *       when CENTRES.csv is given, cs_saliency_report_apply_kernelshap() with default options.
 *       Prints one JSON line: the times, the surrogate (centre, scale, coefficients,
 *       accuracies), that reduction, VmRSS after loading the data and VmHWM after each step.
 *
 * All files are plain CSV without a header, '.' as the decimal point. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"
#include "core/cluster/cs-kmeans.h"
#include "core/base/cs-error.h"
#include "core/data/cs-samples.h"
#include "core/explain/cs-saliency.h"

/* VmRSS: what the process holds now, as opposed to peak_rss_kib()'s high-water mark. */
static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *rss;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      && (rss = strstr (status, "VmRSS:")) != NULL)
    return strtol (rss + 6, NULL, 10);
  return -1;
}

static gboolean
write_csv (const char     *path,
           const CsMatrix *m,
           const int      *labels,
           GError        **error)
{
  g_autoptr (GString) s = g_string_new (NULL);

  for (gsize i = 0; i < m->rows; i++)
    {
      for (gsize j = 0; j < m->cols; j++)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.17g", cs_matrix_get (m, i, j)));
          if (j + 1 < m->cols || labels)
            g_string_append_c (s, ',');
        }
      if (labels)
        g_string_append_printf (s, "%d", labels[i]);
      g_string_append_c (s, '\n');
    }
  return g_file_set_contents (path, s->str, s->len, error);
}

static int
run_digits (char *argv[])
{
  g_autoptr (CsDataset) ds = NULL;
  g_autoptr (CsMatrix) x = NULL;
  g_autoptr (CsClustering) c = NULL;
  g_autofree int *cols = NULL;
  GError *error = NULL;
  CsKmeansOptions o;
  guint d = 0;

  ds = cs_sample_load ("digits", &error);
  if (ds == NULL)
    goto fail;
  cols = g_new (int, cs_dataset_n_columns (ds));
  for (gsize j = 0; j < cs_dataset_n_columns (ds); j++)
    if ((int) j != ds->label_column && cs_dataset_column (ds, j)->kind == CS_COLUMN_NUMERIC)
      cols[d++] = (int) j;
  x = cs_matrix_new (ds->n_rows, d);
  for (gsize i = 0; i < ds->n_rows; i++)
    for (guint j = 0; j < d; j++)
      x->data[i * d + j] = cs_dataset_column (ds, cols[j])->values[i];

  cs_kmeans_options_init (&o);
  o.k = 10;
  if (!cs_kmeans_run (x, &o, NULL, NULL, &c, &error) || !write_csv (argv[2], x, c->labels, &error)
      || !write_csv (argv[3], c->centers, NULL, &error))
    goto fail;
  return 0;

fail:
  fprintf (stderr, "%s\n", error->message);
  g_error_free (error);
  return 1;
}

static void
print_array (const char   *name,
             const double *v,
             gsize         n)
{
  printf (", \"%s\": [", name);
  for (gsize i = 0; i < n; i++)
    printf ("%s%.17g", i ? ", " : "", v[i]);
  printf ("]");
}

static int
run_saliency (int   argc,
              char *argv[])
{
  g_autoptr (CsMatrix) data = NULL;
  g_autoptr (CsMatrix) x = NULL;
  g_autoptr (CsMatrix) centers = NULL;
  g_autoptr (CsSaliencyReport) r = NULL;
  g_autofree int *labels = NULL;
  g_autofree double *phi = NULL;
  g_autofree double *mean_abs = NULL;
  GError *error = NULL;
  CsKernelShapOptions ko;
  long rss_loaded;
  long peak_fit;
  long peak_shapley;
  long peak_kernelshap = 0;
  double fit_s;
  double shapley_s;
  double kernelshap_s = 0.0;
  gsize explained = 0;
  gsize n;
  guint d;
  guint k = 0;
  gint64 t0;

  data = read_csv (argv[2], &error);
  if (data && argc > 3)
    centers = read_csv (argv[3], &error);
  if (data == NULL || (argc > 3 && centers == NULL))
    goto fail;
  if (data->cols < 2)
    {
      g_set_error (&error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "%s: need features and a label column",
                   argv[2]);
      goto fail;
    }
  n = data->rows;
  d = (guint) data->cols - 1;
  x = cs_matrix_new (n, d);
  labels = g_new (int, n);
  for (gsize i = 0; i < n; i++)
    {
      memcpy (x->data + i * d, cs_matrix_row (data, i), d * sizeof (double));
      labels[i] = (int) cs_matrix_get (data, i, d);
      k = MAX (k, (guint) labels[i] + 1);
    }
  g_clear_pointer (&data, cs_matrix_free);
  rss_loaded = rss_kib ();
  /* OpenBLAS's worker thread busy-waits (sched_yield) for about 2^28 cycles after the
   * library starts, taking a core from our OpenMP threads in a fresh process. The peers are
   * timed after importing scikit-learn, long after theirs has gone to sleep; wait as long. */
  g_usleep (400 * 1000);

  t0 = g_get_monotonic_time ();
  if (!cs_saliency_run (x, NULL, labels, k, NULL, NULL, &r, &error))
    goto fail;
  fit_s = (g_get_monotonic_time () - t0) / 1e6;
  peak_fit = peak_rss_kib ();

  /* Every row against every class's logit, as numpy's coef × (X − mean) per class does; the
   * reduction keeps the compiler from dropping the work and gives the driver a check. */
  phi = g_new (double, d);
  mean_abs = g_new0 (double, (gsize) k * d);
  t0 = g_get_monotonic_time ();
  for (guint c = 0; c < k; c++)
    {
      double *acc = mean_abs + (gsize) c * d;

      for (gsize i = 0; i < n; i++)
        {
          cs_saliency_report_shapley (r, c, cs_matrix_row (x, i), phi);
          for (guint j = 0; j < d; j++)
            acc[j] += fabs (phi[j]);
        }
      for (guint j = 0; j < d; j++)
        acc[j] /= n;
    }
  shapley_s = (g_get_monotonic_time () - t0) / 1e6;
  peak_shapley = peak_rss_kib ();

  if (centers)
    {
      cs_kernelshap_options_init (&ko);
      t0 = g_get_monotonic_time ();
      if (!cs_saliency_report_apply_kernelshap (r, x, labels, centers, &ko, NULL, &error))
        goto fail;
      kernelshap_s = (g_get_monotonic_time () - t0) / 1e6;
      peak_kernelshap = peak_rss_kib ();
      for (guint c = 0; c < k; c++)
        explained += r->shap_rows[c];
    }

  printf ("{\"n\": %" G_GSIZE_FORMAT ", \"d\": %u, \"k\": %u, \"fit_s\": %.6f, \"shapley_s\": %.6f, "
          "\"kernelshap_s\": %.6f, \"kernelshap_rows\": %" G_GSIZE_FORMAT ", \"kernelshap_coalitions\": %"
          G_GSIZE_FORMAT ", \"kernelshap_background\": %u, \"kernelshap_method\": \"%s\", "
          "\"rss_loaded_kib\": %ld, \"peak_fit_kib\": %ld, \"peak_shapley_kib\": %ld, "
          "\"peak_kernelshap_kib\": %ld, \"surrogate_accuracy\": %.17g",
          n, d, k, fit_s, shapley_s, kernelshap_s, explained, r->shap_coalitions, r->shap_background,
          r->method, rss_loaded, peak_fit, peak_shapley, peak_kernelshap, r->surrogate_accuracy);
  print_array ("model_accuracy", r->model_accuracy, k);
  print_array ("center", r->center, d);
  print_array ("scale", r->scale, d);
  print_array ("coef", r->coef, (gsize) k * (d + 1));
  print_array ("shapley_mean_abs", mean_abs, (gsize) k * d);
  printf ("}\n");
  return 0;

fail:
  fprintf (stderr, "%s\n", error->message);
  g_error_free (error);
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && strcmp (argv[1], "digits") == 0)
    return run_digits (argv);
  if ((argc == 3 || argc == 4) && strcmp (argv[1], "run") == 0)
    return run_saliency (argc, argv);
  fprintf (stderr, "usage: %s digits DATA.csv CENTRES.csv\n"
                   "       %s run DATA.csv [CENTRES.csv]\n", argv[0], argv[0]);
  return 2;
}
