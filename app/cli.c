/* clusterscope-cli: the same registry, pipeline and renderers as the window, without a
 * display. Exit status: 0 success, 1 data or runtime error (message on stderr), 2 usage or
 * parameter error. */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/data/cs-dissim.h"
#include "core/base/cs-error.h"
#include "core/base/cs-file.h"
#include "core/base/cs-format.h"
#include "core/density/cs-kde.h"
#include "core/cluster/cs-pipeline.h"
#include "core/cluster/cs-registry.h"
#include "core/cluster/cs-result-io.h"
#include "core/cluster/cs-sdp.h"
#include "core/data/cs-samples.h"
#include "core/data/cs-toy.h"
#include "ui/render/cs-export.h"
#include "ui/render/cs-render.h"
#include "ui/render/cs-render-density.h"

#include "core/graph/cs-graph-dataset.h"

#include "cli-private.h"
#include "core/data/cs-csv.h"
#include "core/data/cs-prepare.h"
#include "core/data/cs-load.h"

const char *cs_i_cli_prog = "clusterscope-cli";

/* --bad-cells, an option of every command that reads a FILE. */
static char *bad_cells_arg = NULL;
/* --dataset, the matrix inside an HDF5 file (issue 14). */
static char *hdf5_dataset_arg = NULL;

/* Messages may quote file content (column names, cells): no byte of it may reach the
 * terminal as a control sequence. */
static void
print_message (const char *kind,
               const char *msg)
{
  g_autofree char *safe = cs_format_terminal_safe (msg);

  fprintf (stderr, "%s: %s%s\n", cs_i_cli_prog, kind, safe);
}

int
cs_i_cli_fail (int         status,
               const char *format,
               ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  print_message ("", msg);
  if (status == EXIT_USAGE)
    fprintf (stderr, "Try ‘%s --help’ or ‘%s COMMAND --help’.\n", cs_i_cli_prog, cs_i_cli_prog);
  return status;
}

gboolean
cs_i_cli_write_stdout (const char *text,
                       gsize       length,
                       GError    **error)
{
  if (fwrite (text, 1, length, stdout) != length || fflush (stdout) != 0)
    {
      int saved = errno;
      g_set_error (error, CS_ERROR, CS_ERROR_IO, "Could not write to standard output: %s", g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

int
cs_i_cli_status_for (const GError *error)
{
  return g_error_matches (error, CS_ERROR, CS_ERROR_PARAMETER) ? EXIT_USAGE : EXIT_RUNTIME;
}

gboolean
cs_i_cli_parse_number (const char *option,
                       const char *text,
                       gboolean    allow_zero,
                       double     *out,
                       GError    **error)
{
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);

  /* strtod reads "nan" and "inf" as numbers: a privacy or size parameter must be a real one. */
  if (end == text || *end != '\0' || !isfinite (v) || v < 0 || (v == 0 && !allow_zero))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "--%s must be a finite number %s 0, not ‘%s’", option,
                   allow_zero ? "≥" : ">", text);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

void
cs_i_cli_run_options_clear (RunOptions *o)
{
  g_free (o->algo);
  g_strfreev (o->params);
  g_free (o->columns);
  g_free (o->label_column);
  g_free (o->distances);
  g_free (o->scaling);
}

void
cs_i_cli_add_run_entries (GOptionContext *ctx,
                 RunOptions     *o,
                 gboolean        algo_required)
{
  const GOptionEntry entries[] = {
    { "algo", 'a', 0, G_OPTION_ARG_STRING, &o->algo,
      algo_required ? "Algorithm id (see ‘list’)" : "Algorithm id (see ‘list’); none draws the data alone", "NAME" },
    { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &o->params, "Set a parameter, e.g. -p k=3 (repeatable)",
      "KEY=VALUE" },
    { "columns", 'c', 0, G_OPTION_ARG_STRING, &o->columns,
      "Comma-separated columns to use (default: every numeric column but the label)", "A,B,..." },
    { "label-column", 'l', 0, G_OPTION_ARG_STRING, &o->label_column,
      "Column with known classes, for ARI/NMI (default: label, class, species or target; \"\" for none)", "NAME" },
    { "scaling", 0, 0, G_OPTION_ARG_STRING, &o->scaling,
      "auto (default: standardize when the columns' spreads differ more than tenfold), none, standardize or "
      "minmax",
      "HOW" },
    { "standardize", 's', 0, G_OPTION_ARG_NONE, &o->standardize, "Same as --scaling standardize", NULL },
    { "minmax", 0, 0, G_OPTION_ARG_NONE, &o->minmax, "Same as --scaling minmax", NULL },
    { "impute-mean", 0, 0, G_OPTION_ARG_NONE, &o->impute_mean,
      "Fill missing values with the column mean (default: drop those rows)", NULL },
    { "distances", 'D', 0, G_OPTION_ARG_FILENAME, &o->distances,
      "Precomputed dissimilarities between FILE's rows (square CSV, or i,j,d lines) for the k-medoids methods",
      "FILE" },
    { NULL }
  };
  g_option_context_add_main_entries (ctx, entries, NULL);
}

CsDataset *
cs_i_cli_load_dataset (const char *what,
              const char *label_column,
              GError    **error)
{
  CsCsvOptions opt;
  CsDataset *ds;

  if (g_str_has_prefix (what, "sample:"))
    return cs_sample_load (what + strlen ("sample:"), error);
  if (!g_file_test (what, G_FILE_TEST_EXISTS))
    {
      gsize n = 0;
      const CsSampleInfo *samples = cs_samples_list (&n);
      for (gsize i = 0; i < n; i++)
        if (g_ascii_strcasecmp (samples[i].id, what) == 0)
          return cs_sample_load (samples[i].id, error);
    }
  cs_csv_options_init (&opt);
  opt.label_column = label_column;
  if (bad_cells_arg != NULL)
    cs_csv_bad_cells_from_id (bad_cells_arg, &opt.bad_cells);
  ds = cs_dataset_load_file (what, &opt, hdf5_dataset_arg, NULL, error);
  for (guint i = 0; ds != NULL && i < ds->notices->len; i++)
    print_message ("note: ", g_ptr_array_index (ds->notices, i));
  if (ds != NULL && ds->bad_cells->len > 0 && bad_cells_arg == NULL)
    print_message ("note: ", "--bad-cells text reads such columns as text, --bad-cells missing reads their odd "
                             "cells as missing values");
  return ds;
}

char *
cs_i_cli_list_column_names (const CsDataset *ds)
{
  g_autoptr (GString) s = g_string_new (NULL);
  gsize n = cs_dataset_n_columns (ds);

  /* Names come from the file: each is a short excerpt, and a wide file is not listed whole. */
  for (gsize j = 0; j < MIN (n, 30); j++)
    {
      g_autofree char *name = cs_format_excerpt (cs_dataset_column (ds, j)->name, -1, CS_FORMAT_EXCERPT_CHARS);
      g_string_append_printf (s, "%s%s", j ? ", " : "", name);
    }
  if (n > 30)
    {
      g_autofree char *more = cs_format_count (n - 30);
      g_string_append_printf (s, " and %s more", more);
    }
  return g_strdup (s->str);
}

gboolean
cs_i_cli_resolve_columns (const CsDataset *ds,
                 const char      *spec,
                 GArray         **out,
                 GError         **error)
{
  g_auto (GStrv) names = g_strsplit (spec, ",", -1);
  g_autoptr (GArray) idx = g_array_new (FALSE, FALSE, sizeof (int));

  for (char **n = names; *n; n++)
    {
      int c = cs_dataset_find_column (ds, g_strstrip (*n));
      if (c < 0)
        {
          g_autofree char *known = cs_i_cli_list_column_names (ds);
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "%s has no column ‘%s’ (it has: %s)", ds->name, *n,
                       known);
          return FALSE;
        }
      g_array_append_val (idx, c);
    }
  *out = g_steal_pointer (&idx);
  return TRUE;
}

static gboolean
build_params (const CsAlgorithm *algo,
              char             **assignments,
              CsParams         **out,
              GError           **error)
{
  g_autoptr (CsParams) params = cs_params_new (algo);

  for (char **a = assignments; a && *a; a++)
    if (!cs_params_set_assignment (params, *a, error))
      return FALSE;
  *out = g_steal_pointer (&params);
  return TRUE;
}

static char *
known_algorithms (void)
{
  gsize n = 0;
  const CsAlgorithm *const *all = cs_registry_list (&n);
  g_autoptr (GString) s = g_string_new (NULL);

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", all[i]->id);
  return g_strdup (s->str);
}


void
cs_i_cli_run_clear (Run *r)
{
  if (r->result == NULL)
    cs_prepared_free (r->prep);
  cs_pipeline_result_free (r->result);
  if (r->columns)
    g_array_unref (r->columns);
  cs_dissim_free (r->dissim);
  if (r->ds)
    cs_dataset_unref (r->ds);
}

int
cs_i_cli_do_run (const char       *file,
        const RunOptions *o,
        gboolean          metrics,
        Run              *r)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsParams) params = NULL;
  const CsAlgorithm *algo = NULL;
  CsPipelineOptions popt;
  CsScaling scaling = CS_SCALE_AUTO;

  if (o->algo)
    {
      algo = cs_registry_lookup (o->algo);
      if (algo == NULL)
        {
          g_autofree char *known = known_algorithms ();
          return cs_i_cli_fail (EXIT_USAGE, "unknown algorithm ‘%s’ (known: %s)", o->algo, known);
        }
      if (!build_params (algo, o->params, &params, &error))
        return cs_i_cli_fail (EXIT_USAGE, "%s", error->message);
      /* A matrix run records where its dissimilarities came from. */
      if (o->distances != NULL)
        cs_params_set_dissim (params, CS_METRIC_PRECOMPUTED);
    }
  else if (o->params)
    return cs_i_cli_fail (EXIT_USAGE, "-p needs --algo");
  if ((o->standardize != 0) + (o->minmax != 0) + (o->scaling != NULL) > 1)
    return cs_i_cli_fail (EXIT_USAGE, "--scaling, --standardize and --minmax exclude each other");
  if (o->scaling != NULL && !cs_scaling_from_id (o->scaling, &scaling))
    return cs_i_cli_fail (EXIT_USAGE, "--scaling ‘%s’ is not one of auto, none, standardize, minmax", o->scaling);

  r->ds = cs_i_cli_load_dataset (file, o->label_column, &error);
  if (r->ds == NULL)
    return cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
  if (o->columns && !cs_i_cli_resolve_columns (r->ds, o->columns, &r->columns, &error))
    return cs_i_cli_fail (EXIT_USAGE, "%s", error->message);

  cs_pipeline_options_init (&popt);
  /* A graph's nodes are clustered on their spectral coordinates unless --columns says otherwise,
   * as in the window (the degree column would split hubs from the rest). */
  if (r->columns == NULL && r->ds->graph != NULL)
    {
      int graph_columns[2];
      gsize n = cs_graph_dataset_default_columns (r->ds, graph_columns);
      if (n > 0)
        {
          r->columns = g_array_new (FALSE, FALSE, sizeof (int));
          g_array_append_vals (r->columns, graph_columns, n);
        }
    }
  if (r->columns)
    {
      popt.prepare.columns = (const int *) (gpointer) r->columns->data;
      popt.prepare.n_columns = r->columns->len;
    }
  popt.prepare.scaling = o->standardize ? CS_SCALE_STANDARDIZE : o->minmax ? CS_SCALE_MINMAX : scaling;
  popt.prepare.missing = o->impute_mean ? CS_MISSING_MEAN : CS_MISSING_DROP;
  if (algo == NULL)
    {
      r->prep = cs_dataset_prepare (r->ds, &popt.prepare, &error);
      return r->prep ? EXIT_OK : cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
    }
  if (o->distances)
    {
      r->dissim = cs_dissim_load (o->distances, NULL, &error);
      if (r->dissim == NULL)
        return cs_i_cli_fail (cs_i_cli_status_for (error), "%s", error->message);
      popt.dissim = r->dissim;
    }
  popt.algorithm = algo;
  popt.params = params;
  popt.silhouette_exact = o->exact_silhouette;
  if (!metrics)
    {
      popt.silhouette_sample = 0;
      popt.internal_metrics = FALSE;
    }
  r->result = cs_pipeline_run (r->ds, &popt, NULL, &error);
  if (r->result == NULL)
    return cs_i_cli_fail (cs_i_cli_status_for (error), "%s", error->message);
  r->prep = r->result->prep;
  return EXIT_OK;
}


static JsonObject *
result_to_json (const Run *r)
{
  const CsPipelineResult *res = r->result;
  JsonObject *o = cs_clustering_to_json (res->clustering);
  JsonArray *features = json_array_new ();

  json_object_set_string_member (o, "dataset", r->ds->name);
  for (char **f = r->prep->names; f && *f; f++)
    json_array_add_string_element (features, *f);
  json_object_set_array_member (o, "features", features);
  /* The scaling applied (auto resolves to none or standardize) and, when auto chose it, why. */
  json_object_set_string_member (o, "scaling", cs_scaling_id (r->prep->scaling));
  if (r->prep->notice != NULL)
    json_object_set_string_member (o, "scaling_notice", r->prep->notice);
  json_object_set_int_member (o, "dropped", (gint64) r->prep->n_dropped);
  json_object_set_int_member (o, "imputed", (gint64) r->prep->n_imputed);
  cs_json_set_number (o, "silhouette", res->silhouette);
  json_object_set_boolean_member (o, "silhouette_sampled", res->silhouette_sampled);
  if (res->clustering->medoids)
    cs_json_set_number (o, "medoid_silhouette", res->medoid_silhouette);
  cs_json_set_number (o, "davies_bouldin", res->davies_bouldin);
  cs_json_set_number (o, "calinski_harabasz", res->calinski_harabasz);
  if (r->ds->label_column >= 0)
    {
      json_object_set_string_member (o, "label_column", cs_dataset_column (r->ds, r->ds->label_column)->name);
      cs_json_set_number (o, "ari", res->ari);
      cs_json_set_number (o, "nmi", res->nmi);
    }
  return o;
}

static void
print_summary (const Run *r)
{
  const CsClustering *c = r->result->clustering;
  const CsPipelineResult *res = r->result;
  g_autofree gsize *sizes = g_new0 (gsize, MAX (c->k, 1));

  g_autofree char *rows = cs_format_count (c->n);
  g_autofree char *features = cs_format_count (c->d);

  printf ("%s on %s: %s rows × %s features", c->algorithm, r->ds->name, rows, features);
  if (r->prep->n_dropped)
    {
      g_autofree char *dropped = cs_format_count (r->prep->n_dropped);
      printf (" (%s rows with missing values dropped)", dropped);
    }
  if (r->prep->n_imputed)
    {
      g_autofree char *imputed = cs_format_count (r->prep->n_imputed);
      printf (" (%s missing values filled with the mean)", imputed);
    }
  if (r->prep->notice != NULL)
    printf ("\n  %s", r->prep->notice);
  printf ("\n  clusters     %u\n  %-12s %.6g\n  iterations   %u%s\n  time         %.3f s\n", c->k, c->objective_name,
          c->objective, c->iterations, c->converged ? "" : " (not converged)", c->seconds);
  if (isfinite (c->bic))
    printf ("  BIC          %.6g\n  ICL          %.6g\n", c->bic, c->icl);
  if (isfinite (res->silhouette))
    printf ("  silhouette   %.4f%s\n", res->silhouette, res->silhouette_sampled ? " (sampled)" : "");
  if (isfinite (res->medoid_silhouette) && c->objective_kind != CS_OBJECTIVE_MEDOID_SILHOUETTE)
    printf ("  medoid silhouette %.4f\n", res->medoid_silhouette);
  if (isfinite (res->davies_bouldin))
    printf ("  Davies–Bouldin %.4f\n  Calinski–Harabasz %.2f\n", res->davies_bouldin, res->calinski_harabasz);
  if (isfinite (res->ari))
    printf ("  ARI          %.4f\n  NMI          %.4f   (against ‘%s’)\n", res->ari, res->nmi,
            cs_dataset_column (r->ds, r->ds->label_column)->name);
  if (c->point_kinds != NULL)
    {
      guint64 counts[3] = { 0, 0, 0 };
      for (gsize i = 0; i < c->n; i++)
        counts[MIN (c->point_kinds[i], CS_POINT_BORDER)]++;
      g_autofree char *core = cs_format_count (counts[CS_POINT_CORE]);
      g_autofree char *border = cs_format_count (counts[CS_POINT_BORDER]);
      g_autofree char *noise = cs_format_count (counts[CS_POINT_NOISE]);
      printf ("  points       %s core, %s border, %s noise\n", core, border, noise);
    }
  if (c->sdp != NULL)
    {
      g_autofree char *words = cs_sdp_report_describe (c->sdp);
      printf ("  relaxation   %s\n", words);
    }
  cs_clustering_sizes (c, sizes);
  printf ("  sizes       ");
  for (guint j = 0; j < c->k; j++)
    {
      g_autofree char *size = cs_format_count (sizes[j]);
      printf (" %s", size);
    }
  printf ("\n");
}

GOptionContext *
cs_i_cli_command_context (const char *parameter,
                 const char *summary)
{
  GOptionContext *ctx = g_option_context_new (parameter);

  g_option_context_set_summary (ctx, summary);
  g_option_context_set_help_enabled (ctx, TRUE);
  if (g_strcmp0 (parameter, "FILE") == 0)
    {
      const GOptionEntry entries[] = {
        { "bad-cells", 0, 0, G_OPTION_ARG_STRING, &bad_cells_arg,
          "A column of numbers with cells that are not (‘zz’, ‘Inf’, ‘1e400’): auto (default: those cells are "
          "missing when at most 5 % of the column, else it is text), missing (when at most half) or text",
          "auto|missing|text" },
        { "dataset", 0, 0, G_OPTION_ARG_STRING, &hdf5_dataset_arg,
          "The matrix to read from an HDF5 file with more than one (its path, e.g. /data); an .h5ad file's is /X",
          "PATH" },
        { NULL }
      };
      g_option_context_add_main_entries (ctx, entries, NULL);
    }
  return ctx;
}

gboolean
cs_i_cli_parse (GOptionContext *ctx,
       int            *argc,
       char         ***argv,
       int            *status)
{
  g_autoptr (GError) error = NULL;

  if (g_option_context_parse (ctx, argc, argv, &error))
    {
      if (bad_cells_arg != NULL && !cs_csv_bad_cells_from_id (bad_cells_arg, NULL))
        {
          *status = cs_i_cli_fail (EXIT_USAGE, "--bad-cells must be auto, missing or text, not ‘%s’", bad_cells_arg);
          return FALSE;
        }
      return TRUE;
    }
  *status = cs_i_cli_fail (EXIT_USAGE, "%s", error->message);
  return FALSE;
}

static int
cmd_cluster (int    argc,
             char **argv)
{
  RunOptions o = { 0 };
  gboolean json = FALSE, pretty = FALSE, no_metrics = FALSE;
  char *labels_out = NULL;
  char *silhouette = NULL;
  gboolean stream = FALSE;
  char *memory_budget = NULL;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print the result as JSON", NULL },
    { "pretty", 0, 0, G_OPTION_ARG_NONE, &pretty, "Indent the JSON", NULL },
    { "labels-out", 'o', 0, G_OPTION_ARG_FILENAME, &labels_out, "Write row,label CSV to FILE", "FILE" },
    { "no-metrics", 0, 0, G_OPTION_ARG_NONE, &no_metrics, "Skip silhouette and the other internal scores", NULL },
    { "silhouette", 0, 0, G_OPTION_ARG_STRING, &silhouette,
      "sampled (default: exact up to 5,000 rows, a seeded sample of 5,000 above) or exact (every row: "
      "O(n²) time)", "sampled|exact" },
    { "stream", 0, 0, G_OPTION_ARG_NONE, &stream,
      "Read FILE in chunks, never whole (--algo online-kmeans; no per-row labels in the JSON)", NULL },
    { "memory-budget", 0, 0, G_OPTION_ARG_STRING, &memory_budget, "With --stream: memory for the chunks (default 256M)",
      "SIZE" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = cs_i_cli_command_context ("FILE",
      "Cluster FILE (CSV, TSV, ARFF, SPSS .sav/.zsav/.por, Stata .dta, SAS .sas7bdat/.xpt, HDF5 or AnnData\n"
      ".h5ad, told apart by their first bytes; or a bundled dataset id such as ‘iris’) with one algorithm.\n\n"
      "Example: clusterscope-cli cluster iris --algo kmeans -p k=3 -p seed=1 --standardize --json");
  g_autoptr (GError) error = NULL;
  Run r = { 0 };
  int status = EXIT_OK;

  cs_i_cli_add_run_entries (ctx, &o, TRUE);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cs_i_cli_parse (ctx, &argc, &argv, &status))
    goto out;
  if (argc != 2)
    {
      status = cs_i_cli_fail (EXIT_USAGE, argc < 2 ? "cluster needs a FILE" : "cluster takes one FILE");
      goto out;
    }
  if (o.algo == NULL)
    {
      g_autofree char *known = known_algorithms ();
      status = cs_i_cli_fail (EXIT_USAGE, "cluster needs --algo NAME (one of %s)", known);
      goto out;
    }
  if (silhouette != NULL && strcmp (silhouette, "exact") != 0 && strcmp (silhouette, "sampled") != 0)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--silhouette must be sampled or exact, not ‘%s’", silhouette);
      goto out;
    }
  if (silhouette != NULL && no_metrics)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--silhouette and --no-metrics exclude each other");
      goto out;
    }
  o.exact_silhouette = g_strcmp0 (silhouette, "exact") == 0;
  if (stream || memory_budget != NULL)
    {
      status = stream ? cs_i_cli_cluster_stream (argv[1], &o, json, pretty, labels_out, memory_budget)
                      : cs_i_cli_fail (EXIT_USAGE, "--memory-budget needs --stream");
      goto out;
    }
  status = cs_i_cli_do_run (argv[1], &o, !no_metrics, &r);
  if (status != EXIT_OK)
    goto out;
  if (labels_out && !cs_clustering_write_labels_csv (r.result->clustering, r.prep->rows, labels_out, &error))
    {
      status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
      goto out;
    }
  if (json)
    {
      g_autoptr (JsonNode) root = json_node_init_object (json_node_alloc (), result_to_json (&r));
      json_object_unref (json_node_get_object (root));
      if (!cs_json_write (root, pretty, "-", &error))
        status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
    }
  else
    print_summary (&r);

out:
  cs_i_cli_run_clear (&r);
  cs_i_cli_run_options_clear (&o);
  g_free (labels_out);
  g_free (silhouette);
  g_free (memory_budget);
  return status;
}

static int
cmd_render (int    argc,
            char **argv)
{
  RunOptions o = { 0 };
  char *view = NULL, *out = NULL, *xcol = NULL, *ycol = NULL, *chart = NULL;
  double width_mm = 160, height_mm = 100, dpi = 150;
  const GOptionEntry entries[] = {
    { "view", 'v', 0, G_OPTION_ARG_STRING, &view,
      "View to draw: scatter (default), density (a KDE heatmap with 50/80/95 % contours; one contour set per "
      "cluster with --algo), saliency (what makes each cluster what it is; needs --algo), dendrogram (the tree "
      "of --algo agglomerative, with its cut) or k-distance (the curve --algo dbscan's radius is chosen on)", "VIEW" },
    { "chart", 0, 0, G_OPTION_ARG_STRING, &chart,
      "Saliency chart: bars, heatmap or images (default: images for image data such as digits, else bars)",
      "CHART" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Output figure; the format follows the extension", "FIG.png|svg|pdf" },
    { "width-mm", 0, 0, G_OPTION_ARG_DOUBLE, &width_mm, "Figure width in millimetres (default 160)", "W" },
    { "height-mm", 0, 0, G_OPTION_ARG_DOUBLE, &height_mm, "Figure height in millimetres (default 100)", "H" },
    { "dpi", 0, 0, G_OPTION_ARG_DOUBLE, &dpi, "Pixels per inch for PNG (default 150)", "D" },
    { "x", 'x', 0, G_OPTION_ARG_STRING, &xcol, "Column on the x axis (default: PCA unless two columns)", "COL" },
    { "y", 'y', 0, G_OPTION_ARG_STRING, &ycol, "Column on the y axis", "COL" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = cs_i_cli_command_context ("FILE",
      "Draw a view of FILE (optionally clustered) to PNG, SVG or PDF, without a display.\n\n"
      "Example: clusterscope-cli render iris --algo kmeans -p k=3 --out iris.pdf");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsPlotModel) model = NULL;
  CsExportFormat format;
  Run r = { 0 };
  int status = EXIT_OK;
  int x = -1, y = -1;

  cs_i_cli_add_run_entries (ctx, &o, FALSE);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cs_i_cli_parse (ctx, &argc, &argv, &status))
    goto out;
  if (argc != 2)
    {
      status = cs_i_cli_fail (EXIT_USAGE, argc < 2 ? "render needs a FILE" : "render takes one FILE");
      goto out;
    }
  if (view && strcmp (view, "scatter") != 0 && strcmp (view, "density") != 0 && strcmp (view, "saliency") != 0
      && strcmp (view, "dendrogram") != 0 && strcmp (view, "k-distance") != 0)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "unknown view ‘%s’ (known: scatter, density, saliency, dendrogram, k-distance)",
                              view);
      goto out;
    }
  if (chart && g_strcmp0 (view, "saliency") != 0)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--chart goes with --view saliency");
      goto out;
    }
  if (g_strcmp0 (view, "saliency") == 0 && o.algo == NULL)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--view saliency needs --algo NAME: it describes a clustering");
      goto out;
    }
  if (g_strcmp0 (view, "dendrogram") == 0 && (o.algo == NULL || cs_registry_lookup (o.algo) == NULL
                                               || strcmp (cs_registry_lookup (o.algo)->id, "agglomerative") != 0))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--view dendrogram needs --algo agglomerative: it draws the merge tree");
      goto out;
    }
  if (g_strcmp0 (view, "k-distance") == 0 && (o.algo == NULL || cs_registry_lookup (o.algo) == NULL
                                               || cs_algorithm_find_param (cs_registry_lookup (o.algo), "eps") == NULL))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--view k-distance needs --algo dbscan: it draws the curve its radius is "
                              "chosen on");
      goto out;
    }
  if (out == NULL || !cs_export_format_from_path (out, &format))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "render needs --out FILE ending in .png, .svg or .pdf");
      goto out;
    }
  if (!(width_mm > 0 && width_mm <= 2000 && height_mm > 0 && height_mm <= 2000))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--width-mm and --height-mm must be more than 0 and at most 2,000 mm "
                              "(got %g × %g mm)", width_mm, height_mm);
      goto out;
    }
  if (!(dpi >= 10 && dpi <= 2400))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--dpi must be 10–2,400 (got %g)", dpi);
      goto out;
    }
  if ((xcol == NULL) != (ycol == NULL))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--x and --y go together");
      goto out;
    }
  status = cs_i_cli_do_run (argv[1], &o, FALSE, &r);
  if (status != EXIT_OK)
    goto out;
  if (g_strcmp0 (view, "saliency") == 0)
    {
      status = cs_i_cli_render_saliency (&r, chart, out, format, width_mm, height_mm, dpi);
      goto out;
    }
  if (g_strcmp0 (view, "dendrogram") == 0)
    {
      status = cs_i_cli_render_dendrogram (&r, out, format, width_mm, height_mm, dpi);
      goto out;
    }
  if (g_strcmp0 (view, "k-distance") == 0)
    {
      status = cs_i_cli_render_kdistance (&r, out, format, width_mm, height_mm, dpi);
      goto out;
    }
  if (xcol)
    {
      x = cs_dataset_find_column (r.ds, xcol);
      y = cs_dataset_find_column (r.ds, ycol);
      if (x < 0 || y < 0)
        {
          g_autofree char *known = cs_i_cli_list_column_names (r.ds);
          status = cs_i_cli_fail (EXIT_USAGE, "%s has no column ‘%s’ (it has: %s)", r.ds->name, x < 0 ? xcol : ycol, known);
          goto out;
        }
    }
  else
    cs_dataset_default_axes (r.ds, r.columns ? (const int *) (gpointer) r.columns->data : NULL,
                             r.columns ? r.columns->len : 0, &x, &y);
  if (view != NULL && strcmp (view, "density") == 0)
    for (int a = 0; a < 2; a++)
      {
        int c = a == 0 ? x : y;
        /* Level codes of a text column are not a coordinate a density means anything on. */
        if (c >= 0 && cs_dataset_column (r.ds, c)->kind != CS_COLUMN_NUMERIC)
          {
            g_autofree char *name = cs_format_excerpt (cs_dataset_column (r.ds, c)->name, -1,
                                                       CS_FORMAT_EXCERPT_CHARS);
            status = cs_i_cli_fail (EXIT_USAGE, "column ‘%s’ holds text, not numbers; --view density needs two "
                                    "columns of numbers", name);
            goto out;
          }
      }
  model = cs_plot_model_build_scatter (r.ds, r.prep, r.result ? r.result->clustering : NULL, x, y, &error);
  if (model != NULL && view != NULL && strcmp (view, "density") == 0)
    {
      /* The density of the scatter's own x and y, so both views share axes. */
      g_autoptr (CsDensitySurface) surface = NULL;
      g_autoptr (CsDensityModel) dm = NULL;
      CsKdeOptions kopt;

      cs_kde_options_init (&kopt);
      surface = cs_density_surface_build (model->n, model->x, model->y, model->labels, model->k, model->color_slot,
                                          &kopt, model->labels != NULL, kopt.rule, 1.0, NULL, &error);
      if (surface == NULL)
        status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
      else
        {
          dm = cs_density_model_new (surface);
          dm->show_clusters = model->labels != NULL;
          dm->title = g_strdup (model->title);
          dm->x_label = g_strdup (model->x_label);
          dm->y_label = g_strdup (model->y_label);
          if (!cs_render_export (cs_render_density, dm, out, format, width_mm, height_mm, dpi, &error))
            status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
        }
    }
  else if (model == NULL
           || !cs_render_export ((CsRenderFunc) cs_render_scatter, model, out, format, width_mm, height_mm, dpi,
                                 &error))
    status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);

out:
  cs_i_cli_run_clear (&r);
  cs_i_cli_run_options_clear (&o);
  g_free (view);
  g_free (chart);
  g_free (out);
  g_free (xcol);
  g_free (ycol);
  return status;
}

static const char *
param_type_name (const CsParamSpec *s)
{
  switch (s->type)
    {
    case CS_PARAM_INT: return "int";
    case CS_PARAM_DOUBLE: return "double";
    case CS_PARAM_ENUM: return "choice";
    case CS_PARAM_BOOL: return "bool";
    case CS_PARAM_STRING:
    default: return "string";
    }
}

static JsonObject *
algorithm_to_json (const CsAlgorithm *a)
{
  JsonObject *o = json_object_new ();
  JsonArray *params = json_array_new ();
  g_autoptr (CsParams) defaults = cs_params_new (a);
  g_autoptr (JsonObject) dv = cs_params_to_json (defaults);

  json_object_set_string_member (o, "id", a->id);
  json_object_set_string_member (o, "name", a->name);
  json_object_set_string_member (o, "category", a->category);
  json_object_set_string_member (o, "description", a->description);
  for (gsize i = 0; i < a->n_params; i++)
    {
      const CsParamSpec *s = &a->params[i];
      JsonObject *p = json_object_new ();

      json_object_set_string_member (p, "name", s->name);
      json_object_set_string_member (p, "label", s->label);
      json_object_set_string_member (p, "type", param_type_name (s));
      json_object_set_member (p, "default", json_node_copy (json_object_get_member (dv, s->name)));
      if (s->type == CS_PARAM_INT || s->type == CS_PARAM_DOUBLE)
        {
          json_object_set_double_member (p, "min", s->min);
          json_object_set_double_member (p, "max", s->max);
        }
      if (s->choices != NULL)
        {
          JsonArray *choices = json_array_new ();
          JsonArray *labels = json_array_new ();
          for (const char *const *c = s->choices; *c; c++)
            {
              json_array_add_string_element (choices, *c);
              json_array_add_string_element (labels, cs_param_spec_choice_label (s, *c));
            }
          json_object_set_array_member (p, "choices", choices);
          /* What the window shows for each choice; the ids above are what -p takes. */
          json_object_set_array_member (p, "choice_labels", labels);
        }
      json_object_set_string_member (p, "help", s->help);
      json_array_add_object_element (params, p);
    }
  json_object_set_array_member (o, "params", params);
  return o;
}

static void
print_algorithm (const CsAlgorithm *a)
{
  g_autoptr (CsParams) defaults = cs_params_new (a);

  printf ("%s — %s (%s)\n  %s\n", a->id, a->name, a->category, a->description);
  for (gsize i = 0; i < a->n_params; i++)
    {
      const CsParamSpec *s = &a->params[i];
      g_autofree char *def = cs_params_to_string (defaults, s->name);
      g_autofree char *range = NULL;
      char lo[G_ASCII_DTOSTR_BUF_SIZE], hi[G_ASCII_DTOSTR_BUF_SIZE];

      if (s->type == CS_PARAM_ENUM)
        {
          g_autofree char *joined = g_strjoinv (" | ", (char **) s->choices);
          range = g_strdup (joined);
        }
      else if (s->type == CS_PARAM_INT || s->type == CS_PARAM_DOUBLE)
        range = g_strdup_printf ("%s %s..%s", param_type_name (s), cs_format_double (lo, sizeof lo, s->min),
                                 cs_format_double (hi, sizeof hi, s->max));
      else
        range = g_strdup (param_type_name (s));
      g_autofree char *assign = g_strdup_printf ("-p %s=%s", s->name, def);
      printf ("  %-24s %-26s %s\n", assign, range, s->help);
    }
}

static int
cmd_list (int    argc,
          char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print as JSON", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = cs_i_cli_command_context (NULL, "List the algorithms and their parameters.");
  gsize n = 0;
  const CsAlgorithm *const *all = cs_registry_list (&n);
  int status = EXIT_OK;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cs_i_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return cs_i_cli_fail (EXIT_USAGE, "list takes no arguments");
  if (json)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (gsize i = 0; i < n; i++)
        json_array_add_object_element (array, algorithm_to_json (all[i]));
      json_node_take_array (root, array);
      if (!cs_json_write (root, TRUE, "-", &error))
        return cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
      return EXIT_OK;
    }
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        printf ("\n");
      print_algorithm (all[i]);
    }
  return EXIT_OK;
}

static int
cmd_samples (int    argc,
             char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print as JSON", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = cs_i_cli_command_context (NULL,
      "List the bundled datasets; use an id where a FILE is expected, e.g. ‘cluster iris’.");
  gsize n = 0;
  const CsSampleInfo *samples = cs_samples_list (&n);
  int status = EXIT_OK;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cs_i_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (json)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (gsize i = 0; i < n; i++)
        {
          JsonObject *o = json_object_new ();
          json_object_set_string_member (o, "id", samples[i].id);
          json_object_set_string_member (o, "title", samples[i].title);
          json_object_set_string_member (o, "description", samples[i].description);
          json_array_add_object_element (array, o);
        }
      json_node_take_array (root, array);
      return cs_json_write (root, TRUE, "-", &error) ? EXIT_OK : cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
    }
  for (gsize i = 0; i < n; i++)
    printf ("%-14s %s — %s\n", samples[i].id, samples[i].title, samples[i].description);
  return EXIT_OK;
}

static int
cmd_generate (int    argc,
              char **argv)
{
  int n = 1000, clusters = 3;
  double noise = 0.0;
  char *noise_text = NULL;
  gint64 seed = 0;
  char *out = NULL;
  char *separation_text = NULL;
  CsToyOptions toy;
  const GOptionEntry entries[] = {
    { "n", 'n', 0, G_OPTION_ARG_INT, &n, "Number of points (default 1,000)", "N" },
    { "clusters", 'k', 0, G_OPTION_ARG_INT, &clusters, "Number of blobs for the blob kinds (default 3)", "K" },
    { "noise", 0, 0, G_OPTION_ARG_STRING, &noise_text,
      "Standard deviation of extra Gaussian jitter (default 0: the kind's own spread only)", "S" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 0)", "S" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "CSV file to write", "FILE.csv" },
    { "separation", 0, 0, G_OPTION_ARG_STRING, &separation_text,
      "How far apart the groups are (default 1, the classic layout; 2 is twice as far)", "F" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GString) kinds = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = NULL;
  g_autofree char *summary = NULL;
  CsToyKind kind;
  int status = EXIT_OK;

  for (int k = 0; k < CS_TOY_N_KINDS; k++)
    g_string_append_printf (kinds, "%s%s", k ? ", " : "", cs_toy_kind_id (k));
  summary = g_strdup_printf ("Write a seeded toy dataset as CSV. KIND is one of: %s.", kinds->str);
  ctx = cs_i_cli_command_context ("KIND", summary);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cs_i_cli_parse (ctx, &argc, &argv, &status))
    goto out;
  if (argc != 2 || !cs_toy_kind_from_id (argv[1], &kind))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "generate needs a KIND (one of %s)", kinds->str);
      goto out;
    }
  if (out == NULL || n < 1 || n > 100000000 || clusters < 1 || clusters > 1000 || seed < 0)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "generate needs --out FILE, 1 ≤ n ≤ 100,000,000, 1 ≤ clusters ≤ 1,000, seed ≥ 0");
      goto out;
    }
  if (noise_text != NULL && !cs_i_cli_parse_number ("noise", noise_text, TRUE, &noise, &error))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "%s", error->message);
      goto out;
    }
  cs_toy_options_init (&toy);
  if (separation_text != NULL
      && !cs_i_cli_parse_number ("separation", separation_text, FALSE, &toy.separation, &error))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "%s", error->message);
      goto out;
    }
  toy.kind = kind;
  toy.n = (gsize) n;
  toy.n_clusters = (guint) clusters;
  toy.noise = noise;
  toy.seed = (guint64) seed;
  ds = cs_toy_generate_full (&toy);
  if (!cs_dataset_write_csv (ds, out, &error))
    status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);

out:
  g_free (out);
  g_free (noise_text);
  g_free (separation_text);
  return status;
}

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "list", cmd_list, "algorithms and their parameters" },
  { "cluster", cmd_cluster, "cluster a file or bundled dataset; JSON or a summary" },
  { "render", cmd_render, "draw a view to PNG, SVG or PDF" },
  { "density", cs_i_cli_cmd_density, "2-D kernel density of two columns on a grid; CSV or JSON" },
  { "kde-diagnostics", cs_i_cli_cmd_kde_diagnostics, "LOO likelihood, n_eff and KDE regimes by bandwidth (d > 2)" },
  { "saliency", cs_i_cli_cmd_saliency, "what makes each cluster what it is: effect sizes, Shapley maps, summaries" },
  { "samples", cmd_samples, "bundled datasets" },
  { "generate", cmd_generate, "write a toy dataset (blobs, moons, circles, ...)" },
  { "choose-k", cs_i_cli_cmd_choose_k, "how many clusters: criteria at every k of a range, each one's suggested k" },
  { "graph", cs_i_cli_cmd_graph, "cluster the nodes of a graph: kernels on graphs, spectral, AMG-style" },
};

static void
print_usage (FILE *f)
{
  fprintf (f, "Usage: %s COMMAND [OPTIONS...]\n\nClusterscope without a display: the same algorithms, "
              "scores and figures as the window.\n\nCommands:\n", cs_i_cli_prog);
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (f, "  %-16s %s\n", commands[i].name, commands[i].summary);
  fprintf (f, "\n‘%s COMMAND --help’ describes a command's options.\n\n"
              "Exit status:\n"
              "  0  success\n"
              "  1  the data or the system: a file that cannot be read or parsed, data an algorithm cannot use,\n"
              "     an output that cannot be written (a full disk, a closed pipe)\n"
              "  2  usage: an unknown command or option, a missing argument, a parameter value out of range\n",
           cs_i_cli_prog);
}

/* stdout is buffered, so a full disk or a closed reader often shows only at the final flush,
 * after a command believed it had succeeded: every command's output is checked here, once. */
static int
finish_stdout (int status)
{
  int err = 0;
  gboolean failed = ferror (stdout) != 0;

  if (fflush (stdout) != 0)
    {
      err = errno;
      failed = TRUE;
    }
  if (fclose (stdout) != 0 && errno != EBADF && !failed)
    {
      err = errno;
      failed = TRUE;
    }
  /* A command that failed has said why; a second message about its output would bury that. */
  if (!failed || status != EXIT_OK)
    return status;
  /* An earlier failed write left its errno long behind: say what is known. */
  if (err != 0)
    fprintf (stderr, "%s: could not write the output to standard output: %s\n", cs_i_cli_prog, g_strerror (err));
  else
    fprintf (stderr, "%s: could not write all of the output to standard output (a full disk or a closed pipe)\n",
             cs_i_cli_prog);
  return EXIT_RUNTIME;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_set_prgname (cs_i_cli_prog);
  /* Ctrl-C or a kill during `render --out` must not leave a hidden temporary behind. */
  cs_atomic_file_cleanup_on_signals ();
  /* A reader that goes away (`| head`) is an output error like a full disk: exit 1 with a
   * message rather than death by SIGPIPE, so scripts can tell a cut output from a whole one. */
  signal (SIGPIPE, SIG_IGN);
  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return finish_stdout (EXIT_OK);
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("%s %s\n", cs_i_cli_prog, CS_VERSION);
      return finish_stdout (EXIT_OK);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        g_autofree char *name = g_strdup_printf ("%s %s", cs_i_cli_prog, commands[i].name);
        argv[1] = name;
        /* GOptionContext's usage line names the program: "clusterscope-cli density". */
        g_set_prgname (name);
        return finish_stdout (commands[i].run (argc - 1, argv + 1));
      }
  return cs_i_cli_fail (EXIT_USAGE, "unknown command ‘%s’", argv[1]);
}
