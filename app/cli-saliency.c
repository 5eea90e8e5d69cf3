/* clusterscope-cli saliency: what makes each cluster what it is, for an algorithm's
 * clustering, for labels read from a file, or for descriptive clusters of the label column. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/cluster/cs-result-io.h"
#include "core/explain/cs-saliency.h"
#include "ui/render/cs-render-saliency.h"

#include "cli-private.h"

typedef struct
{
  char    *labels_file;
  char    *method;
  char    *summaries_out;
  char    *attributions_out;
  gboolean json;
  gboolean pretty;
  gboolean csv;
  int      descriptive;
  int      samples;
  int      background;
  gint64   seed;
  double   c;
} SaliencyOptions;


/* A value that rounds to zero at `decimals` prints as +0.000, never "-0.000" beside real
 * signs in the table. */
static double
no_minus_zero (double v,
               int    decimals)
{
  return fabs (v) < 0.5 * pow (10.0, -decimals) ? 0.0 : v;
}
static void
saliency_options_clear (SaliencyOptions *s)
{
  g_free (s->labels_file);
  g_free (s->method);
  g_free (s->summaries_out);
  g_free (s->attributions_out);
}

static gboolean
write_text (const char *path,
            char       *text,
            GError    **error)
{
  g_autofree char *owned = text;

  if (strcmp (path, "-") == 0)
    return cs_i_cli_write_stdout (owned, strlen (owned), error);
  return cs_write_file_atomic (path, owned, strlen (owned), error);
}

static void
print_report (const CsSaliencyReport *r,
              GPtrArray              *cats,
              const char             *what)
{
  g_autofree guint *order = g_new (guint, r->d);
  guint shown = MIN (r->d, 5u);

  g_autofree char *rows = cs_format_count (r->n_labelled);
  g_autofree char *features = cs_format_count (r->d);

  printf ("%s: %s rows × %s features, %u clusters\n", what, rows, features, r->k);
  printf ("Surrogate (one-vs-rest logistic regression) accuracy %.1f %%; maps by %s Shapley values\n",
          100.0 * r->surrogate_accuracy,
          g_strcmp0 (r->method, "kernelshap") != 0 ? "the surrogate's exact linear"
          : r->d < 64 && r->shap_coalitions >= (G_GUINT64_CONSTANT (1) << r->d)
              ? "the assignment's exact (every coalition)"
              : "KernelSHAP estimates of the assignment's");
  if (g_strcmp0 (r->method, "kernelshap") == 0)
    {
      g_autofree char *background = cs_format_count (r->shap_background);
      g_autofree char *coalitions = cs_format_count (r->shap_coalitions);
      printf ("(%s background rows, %s coalitions per explained row; favourable and unfavourable in shares of "
              "hybrid points kept in the cluster)\n",
              background, coalitions);
    }
  printf ("\n");
  for (guint c = 0; c < r->k; c++)
    {
      printf ("%s\n", r->summaries[c]);
      if (r->shap_rows != NULL && r->shap_rows[c] < r->sizes[c])
        {
          g_autofree char *sample = cs_format_count (r->shap_rows[c]);
          printf ("  (maps from a sample of %s of its rows)\n", sample);
        }
      printf ("  %-24s %8s %8s %11s %13s\n", "feature", "effect", "Cliff δ", "favourable", "unfavourable");
      cs_saliency_report_rank (r, c, order);
      for (guint t = 0; t < shown; t++)
        {
          gsize at = (gsize) c * r->d + order[t];
          printf ("  %-24.24s %+8.3f %+8.3f %11.4f %13.4f\n", r->feature_names[order[t]], no_minus_zero (r->hedges_g[at], 3),
                  no_minus_zero (r->cliff_delta[at], 3), r->favourable[at], r->unfavourable[at]);
        }
      /* Each categorical column's most over-represented level. */
      for (guint i = 0; i < cats->len; i++)
        {
          const CsSaliencyCategorical *cat = g_ptr_array_index (cats, i);
          guint best = cs_saliency_categorical_top_level (cat, c);

          printf ("  %s: %s %.0f %% of the cluster, %.0f %% of the rest\n", cat->name, cat->levels[best],
                  100.0 * cat->proportion[(gsize) c * cat->n_levels + best],
                  100.0 * cat->rest_proportion[(gsize) c * cat->n_levels + best]);
        }
      printf ("\n");
    }
}

int
cs_i_cli_cmd_saliency (int    argc,
                       char **argv)
{
  RunOptions o = { 0 };
  SaliencyOptions s = { .samples = 2048, .background = 50, .seed = 1, .c = 1.0 };
  const GOptionEntry entries[] = {
    { "labels", 'L', 0, G_OPTION_ARG_FILENAME, &s.labels_file,
      "Describe the clusters in FILE (row,label CSV as ‘cluster --labels-out’ writes, or one label per row) "
      "instead of running --algo", "FILE" },
    { "descriptive", 0, 0, G_OPTION_ARG_INT, &s.descriptive,
      "Descriptive clustering: split each class of the label column into K groups by why a model fit on the "
      "classes decides (clusters of attribution vectors), then describe those groups", "K" },
    { "method", 'm', 0, G_OPTION_ARG_STRING, &s.method,
      "Favourable/unfavourable maps from the linear surrogate's exact Shapley values (linear, default) or from "
      "KernelSHAP on the clustering's own nearest-centre assignment (kernelshap)", "linear|kernelshap" },
    { "samples", 0, 0, G_OPTION_ARG_INT, &s.samples, "KernelSHAP coalitions per explained row (default 2,048)", "N" },
    { "background", 0, 0, G_OPTION_ARG_INT, &s.background, "KernelSHAP background rows (default 50)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &s.seed, "Seed for KernelSHAP and descriptive clustering (default 1)", "S" },
    { "C", 0, 0, G_OPTION_ARG_DOUBLE, &s.c, "Inverse L2 regularisation of the surrogate, as scikit-learn's C "
      "(default 1)", "C" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &s.json, "Print the report as JSON", NULL },
    { "pretty", 0, 0, G_OPTION_ARG_NONE, &s.pretty, "Indent the JSON", NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &s.csv, "Print one CSV line per cluster and feature", NULL },
    { "summaries-out", 0, 0, G_OPTION_ARG_FILENAME, &s.summaries_out, "Write cluster,size,share,summary CSV",
      "FILE" },
    { "attributions-out", 0, 0, G_OPTION_ARG_FILENAME, &s.attributions_out,
      "Write each row's Shapley values of its cluster's surrogate logit as CSV", "FILE" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = cs_i_cli_command_context ("FILE",
      "Describe what makes each cluster of FILE what it is: effect sizes (Hedges' g with a 95 % interval, Cliff's "
      "delta), a one-vs-rest logistic surrogate and its Shapley values aggregated into favourable and "
      "unfavourable maps, and a one-line summary per cluster.\n\n"
      "Examples:\n"
      "  clusterscope-cli saliency iris --algo kmeans -p k=3 --standardize --json\n"
      "  clusterscope-cli saliency data.csv --labels labels.csv --method kernelshap --csv\n"
      "  clusterscope-cli saliency iris --descriptive 2");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsSaliencyReport) report = NULL;
  g_autofree int *labels = NULL;
  g_autofree int *classes = NULL;
  g_autofree int *cluster_class = NULL;
  CsSaliencyOptions sopt;
  const CsMatrix *x;
  const CsClustering *clustering = NULL;
  guint k = 0;
  gboolean kernelshap;
  g_autofree char *what = NULL;
  g_autoptr (GPtrArray) cats = NULL;
  Run r = { 0 };
  int status = EXIT_OK;
  int sources;

  cs_i_cli_add_run_entries (ctx, &o, FALSE);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cs_i_cli_parse (ctx, &argc, &argv, &status))
    goto out;
  if (argc != 2)
    {
      status = cs_i_cli_fail (EXIT_USAGE, argc < 2 ? "saliency needs a FILE" : "saliency takes one FILE");
      goto out;
    }
  sources = (o.algo != NULL) + (s.labels_file != NULL) + (s.descriptive != 0);
  if (sources != 1)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "saliency needs exactly one of --algo NAME, --labels FILE and "
                                          "--descriptive K");
      goto out;
    }
  if (s.method != NULL && strcmp (s.method, "linear") != 0 && strcmp (s.method, "kernelshap") != 0)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "unknown method ‘%s’ (known: linear, kernelshap)", s.method);
      goto out;
    }
  kernelshap = s.method != NULL && strcmp (s.method, "kernelshap") == 0;
  if (s.json && s.csv)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--json and --csv exclude each other");
      goto out;
    }
  if (s.descriptive < 0 || s.samples < 1 || s.background < 1 || !(s.c > 0 && isfinite (s.c)))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--descriptive, --samples and --background must be positive, --C > 0");
      goto out;
    }
  if (s.descriptive > 0 && kernelshap)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--descriptive explains a model of the label column, so it takes "
                                          "--method linear only");
      goto out;
    }

  status = cs_i_cli_do_run (argv[1], &o, FALSE, &r);
  if (status != EXIT_OK)
    goto out;
  x = r.prep->x;
  cs_saliency_options_init (&sopt);
  sopt.c = s.c;

  if (r.result != NULL)
    {
      clustering = r.result->clustering;
      labels = g_memdup2 (clustering->labels, x->rows * sizeof (int));
      k = clustering->k;
      what = g_strdup_printf ("%s on %s", clustering->algorithm, r.ds->name);
    }
  else if (s.labels_file != NULL)
    {
      g_autofree int *by_row = NULL;

      if (!cs_labels_load_csv (s.labels_file, r.ds->n_rows, &by_row, &k, NULL, &error))
        {
          status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
          goto out;
        }
      labels = g_new (int, x->rows);
      for (gsize i = 0; i < x->rows; i++)
        labels[i] = by_row[r.prep->rows[i]];
      what = g_strdup_printf ("labels from %s on %s", s.labels_file, r.ds->name);
    }
  else
    {
      g_autofree int *by_row = NULL;
      guint n_classes = 0;

      by_row = cs_dataset_class_labels (r.ds, &n_classes);
      if (by_row == NULL)
        {
          status = cs_i_cli_fail (EXIT_RUNTIME, "%s has no label column for --descriptive (name one with "
                                                "--label-column)", r.ds->name);
          goto out;
        }
      classes = g_new (int, x->rows);
      for (gsize i = 0; i < x->rows; i++)
        classes[i] = by_row[r.prep->rows[i]];
      if (!cs_saliency_descriptive (x, (const char *const *) r.prep->names, classes, n_classes,
                                    (guint) s.descriptive, (guint64) s.seed, &sopt, NULL, &labels, &k,
                                    &cluster_class, &error))
        {
          status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
          goto out;
        }
      what = g_strdup_printf ("descriptive clusters of ‘%s’ on %s", cs_dataset_column (r.ds, r.ds->label_column)->name,
                              r.ds->name);
    }

  if (!cs_saliency_run (x, (const char *const *) r.prep->names, labels, k, &sopt, NULL, &report, &error))
    {
      status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
      goto out;
    }
  if (kernelshap)
    {
      g_autoptr (CsMatrix) centers = cs_saliency_assignment_centers (
          x, labels, k, clustering ? clustering->centers : NULL, clustering ? clustering->medoids : NULL);
      CsKernelShapOptions kopt;

      cs_kernelshap_options_init (&kopt);
      kopt.n_samples = (guint) s.samples;
      kopt.n_background = (guint) s.background;
      kopt.seed = (guint64) s.seed;
      if (!cs_saliency_report_apply_kernelshap (report, x, labels, centers, &kopt, NULL, &error))
        {
          status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
          goto out;
        }
    }

  if (!s.csv)
    cats = cs_saliency_categorical_all (r.ds, r.prep->rows, labels, x->rows, k);
  if (s.summaries_out && !write_text (s.summaries_out, cs_saliency_summaries_to_csv (report), &error))
    {
      status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
      goto out;
    }
  if (s.attributions_out
      && !write_text (s.attributions_out, cs_saliency_attributions_to_csv (report, x, r.prep->rows, labels), &error))
    {
      status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
      goto out;
    }
  if (s.json)
    {
      JsonObject *obj = cs_saliency_report_to_json (report);
      g_autoptr (JsonNode) root = json_node_init_object (json_node_alloc (), obj);

      json_object_unref (obj);
      json_object_set_string_member (obj, "dataset", r.ds->name);
      if (clustering != NULL)
        json_object_set_string_member (obj, "algorithm", clustering->algorithm);
      if (cluster_class != NULL)
        {
          const CsColumn *col = cs_dataset_column (r.ds, r.ds->label_column);
          JsonArray *clusters = json_object_get_array_member (obj, "clusters");

          for (guint c = 0; c < k; c++)
            {
              JsonObject *co = json_array_get_object_element (clusters, c);
              int cls = cluster_class[c];

              json_object_set_int_member (co, "class", cls);
              if (col->kind == CS_COLUMN_CATEGORICAL && cls >= 0 && (guint) cls < col->levels->len)
                json_object_set_string_member (co, "class_name", g_ptr_array_index (col->levels, cls));
            }
        }
      if (cats->len > 0)
        {
          JsonArray *arr = json_array_new ();

          for (guint i = 0; i < cats->len; i++)
            {
              const CsSaliencyCategorical *cat = g_ptr_array_index (cats, i);
              JsonObject *co = cs_saliency_categorical_to_json (cat);

              json_object_set_boolean_member (co, "label",
                                              r.ds->label_column >= 0
                                                  && cs_dataset_find_column (r.ds, cat->name) == r.ds->label_column);
              json_array_add_object_element (arr, co);
            }
          json_object_set_array_member (obj, "categorical", arr);
        }
      if (!cs_json_write (root, s.pretty, "-", &error))
        status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
    }
  else if (s.csv)
    {
      if (!write_text ("-", cs_saliency_report_to_csv (report), &error))
        status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
    }
  else
    print_report (report, cats, what);

out:
  cs_i_cli_run_clear (&r);
  cs_i_cli_run_options_clear (&o);
  saliency_options_clear (&s);
  return status;
}

int
cs_i_cli_render_saliency (const Run      *r,
                          const char     *chart,
                          const char     *out,
                          CsExportFormat  format,
                          double          width_mm,
                          double          height_mm,
                          double          dpi)
{
  const CsClustering *c = r->result->clustering;
  g_autoptr (GError) error = NULL;
  g_autoptr (CsSaliencyReport) report = NULL;
  /* NULL: palette slot j for cluster j, as `render --view scatter` colours a fresh run. */
  const int *color_slot = NULL;

  if (chart != NULL && strcmp (chart, "bars") != 0 && strcmp (chart, "heatmap") != 0 && strcmp (chart, "images") != 0)
    return cs_i_cli_fail (EXIT_USAGE, "unknown chart ‘%s’ (known: bars, heatmap, images)", chart);
  if (chart == NULL)
    chart = r->ds->image_rows > 0 ? "images" : "bars";
  if (!cs_saliency_run (r->prep->x, (const char *const *) r->prep->names, c->labels, c->k, NULL, NULL, &report,
                        &error))
    return cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);

  if (strcmp (chart, "images") == 0)
    {
      g_autoptr (CsSaliencyImagesModel) m = cs_saliency_images_model_build (r->ds, r->prep, c, report, color_slot);

      if (m == NULL)
        return cs_i_cli_fail (EXIT_USAGE, "%s has no image shape: use --chart bars or heatmap", r->ds->name);
      if (!cs_render_export (cs_render_saliency_images, m, out, format, width_mm, height_mm, dpi, &error))
        return cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
    }
  else
    {
      g_autoptr (CsSaliencyModel) m = cs_saliency_model_new (report, color_slot);
      CsRenderFunc func = strcmp (chart, "heatmap") == 0 ? cs_render_saliency_heatmap : cs_render_saliency_bars;

      if (!cs_render_export (func, m, out, format, width_mm, height_mm, dpi, &error))
        return cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
    }
  return EXIT_OK;
}
