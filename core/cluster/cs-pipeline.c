#include "core/cluster/cs-pipeline.h"
#include "core/cluster/cs-agglomerative.h"
#include "core/cluster/cs-trace.h"
#include "core/data/cs-dissim.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/metrics/cs-metrics.h"
#include "core/cluster/cs-kmedoids.h"
#include "core/data/cs-prepare.h"
#include "core/cluster/cs-medoid-silhouette.h"

#include <math.h>

/* The child reports through the parent, but a cancel requested on the parent without a
 * GCancellable is only visible through the parent's flag: check both. */
static gboolean
check_both (CsProgress *child,
            CsProgress *parent,
            GError    **error)
{
  return cs_progress_check (parent, error) && cs_progress_check (child, error);
}

void
cs_pipeline_options_init (CsPipelineOptions *options)
{
  *options = (CsPipelineOptions) { 0 };
  cs_prepare_options_init (&options->prepare);
  options->silhouette_sample = 5000;
  options->internal_metrics = TRUE;
}

void
cs_pipeline_result_free (CsPipelineResult *result)
{
  if (result == NULL)
    return;
  cs_prepared_free (result->prep);
  cs_clustering_unref (result->clustering);
  cs_trace_free (result->trace);
  g_free (result->silhouette_values);
  g_free (result->medoid_silhouette_values);
  g_free (result);
}

static void
external_metrics (const CsDataset  *ds,
                  CsPipelineResult *r)
{
  g_autofree int *classes = NULL;
  g_autofree int *truth = NULL;
  guint n_classes = 0;
  gsize n = r->clustering->n;

  classes = cs_dataset_class_labels (ds, &n_classes);
  if (classes == NULL)
    return;
  truth = g_new (int, n);
  for (gsize i = 0; i < n; i++)
    truth[i] = classes[r->prep->rows[i]];
  r->ari = cs_metric_ari (truth, r->clustering->labels, n);
  r->nmi = cs_metric_nmi (truth, r->clustering->labels, n);
}

/* Modularity on the dataset's graph, whose nodes are the dataset's rows (rows the preparation
 * dropped count as unlabelled). */
static void
graph_metrics (const CsDataset  *ds,
               CsPipelineResult *r)
{
  const CsClustering *c = r->clustering;
  g_autofree int *labels = NULL;

  if (ds->graph == NULL || ds->graph->n != ds->n_rows)
    return;
  labels = g_new (int, ds->graph->n);
  for (gsize i = 0; i < ds->graph->n; i++)
    labels[i] = -1;
  for (gsize i = 0; i < c->n; i++)
    labels[r->prep->rows[i]] = c->labels[i];
  r->modularity = cs_graph_modularity (ds->graph, labels, c->k);
}

/* A graph algorithm on the dataset's graph: labels for every node, of which the prepared rows
 * (the nodes the views show) keep theirs. */
static gboolean
run_graph_algorithm (const CsDataset         *ds,
                     const CsPipelineOptions *options,
                     CsPipelineResult        *r,
                     CsProgress              *progress,
                     GError                 **error)
{
  CsClustering *c;
  gsize n = r->prep->x->rows;

  if (!cs_algorithm_run_graph (options->algorithm, ds->graph, options->params, progress, r->trace, &r->clustering,
                               error))
    return FALSE;
  c = r->clustering;
  g_assert (c->n == ds->n_rows);
  if (n != c->n)
    {
      g_autofree int *all = c->labels;

      c->labels = g_new (int, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        c->labels[i] = all[r->prep->rows[i]];
      c->n = n;
    }
  /* Centres in the kernel's or the embedding's space are not points of the prepared columns. */
  g_clear_pointer (&c->centers, cs_matrix_free);
  c->d = r->prep->x->cols;
  return TRUE;
}

/* The dissimilarity a run works on, as the options say: *D the given matrix, Gower
 * dissimilarities over the chosen dataset columns (numeric and categorical alike; *owned
 * then holds them), or NULL for coordinates under *metric. */
static gboolean
resolve_dissim (const CsDataset         *ds,
                const CsPipelineOptions *options,
                const CsPipelineResult  *r,
                CsProgress              *progress,
                CsMetric                *metric,
                const CsDissim         **D,
                CsDissim               **owned,
                GError                 **error)
{
  gboolean has_metric;

  *metric = CS_METRIC_EUCLIDEAN;
  has_metric = options->params != NULL && cs_params_get_dissim (options->params, metric);
  *D = options->dissim;
  *owned = NULL;
  if (*D == NULL && has_metric && *metric == CS_METRIC_PRECOMPUTED)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "The dissimilarity ‘precomputed’ needs a dissimilarity matrix: load one (--distances FILE in "
                   "the CLI)");
      return FALSE;
    }
  if (*D == NULL && has_metric && *metric == CS_METRIC_GOWER)
    {
      g_autoptr (GArray) cols = g_array_new (FALSE, FALSE, sizeof (int));

      if (options->prepare.columns != NULL)
        g_array_append_vals (cols, options->prepare.columns, options->prepare.n_columns);
      else
        for (gsize j = 0; j < cs_dataset_n_columns (ds); j++)
          if ((int) j != ds->label_column)
            g_array_append_val (cols, j);
      *owned = cs_dissim_new_gower (ds, (const int *) (gpointer) cols->data, cols->len, r->prep->rows,
                                    r->prep->x->rows, FALSE, progress, error);
      if (*owned == NULL)
        return FALSE;
      *D = *owned;
    }
  if (*D != NULL && (*D)->n != r->prep->x->rows)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "The dissimilarity matrix has %" G_GSIZE_FORMAT " rows but %" G_GSIZE_FORMAT " data rows are "
                   "clustered%s", (*D)->n, r->prep->x->rows,
                   r->prep->n_dropped ? " (rows with missing values were dropped: fill them with the mean instead)"
                                      : "");
      g_clear_pointer (owned, cs_dissim_free);
      *D = NULL;
      return FALSE;
    }
  return TRUE;
}

/* The medoid silhouette of a result with medoids, on the dissimilarity it used. */
static void
medoid_scores (CsPipelineResult *r,
               const CsDissim   *D,
               CsMetric          metric)
{
  const CsClustering *c = r->clustering;

  if (c->medoids == NULL)
    return;
  r->medoid_silhouette_values = g_new (double, c->n);
  r->medoid_silhouette = D != NULL ? cs_medoid_silhouette (D, c->medoids, c->k, r->medoid_silhouette_values)
                                   : cs_medoid_silhouette_x (r->prep->x, metric, c->medoids, c->k,
                                                             r->medoid_silhouette_values);
}

/* On coordinates, on a given dissimilarity matrix, or on Gower dissimilarities, as the
 * options say. */
static gboolean
run_algorithm (const CsDataset         *ds,
               const CsPipelineOptions *options,
               CsPipelineResult        *r,
               CsProgress              *progress,
               GError                 **error)
{
  CsMetric metric;
  g_autoptr (CsDissim) gower = NULL;
  const CsDissim *D;

  if (ds->graph != NULL && ds->graph->n == ds->n_rows && options->algorithm->run_graph != NULL
      && options->dissim == NULL)
    return run_graph_algorithm (ds, options, r, progress, error);
  if (!resolve_dissim (ds, options, r, progress, &metric, &D, &gower, error))
    return FALSE;
  if (D == NULL && options->algorithm->run_labelled != NULL)
    {
      /* Algorithms that learn from known classes get the label column, row for row. */
      g_autofree int *classes = cs_dataset_class_labels (ds, NULL);
      g_autofree int *known = NULL;

      if (classes != NULL)
        {
          known = g_new (int, r->prep->x->rows);
          for (gsize i = 0; i < r->prep->x->rows; i++)
            known[i] = classes[r->prep->rows[i]];
        }
      if (!cs_algorithm_run_labelled (options->algorithm, r->prep->x, known, options->params, progress, r->trace,
                                      &r->clustering, error))
        return FALSE;
    }
  else if (D == NULL)
    {
      if (!cs_algorithm_run (options->algorithm, r->prep->x, options->params, progress, r->trace, &r->clustering,
                             error))
        return FALSE;
    }
  else if (!cs_algorithm_run_dissim (options->algorithm, D, options->params, progress, r->trace, &r->clustering,
                                     error))
    return FALSE;
  medoid_scores (r, D, metric);
  return TRUE;
}

/* The scores of a finished clustering r->clustering of r->prep: silhouette (on the matrix for
 * a matrix run), Davies–Bouldin, Calinski–Harabasz, ARI and NMI against the label column. */
static gboolean
score (const CsDataset         *ds,
       const CsPipelineOptions *options,
       CsPipelineResult        *r,
       CsProgress              *progress,
       GError                 **error)
{
  g_autoptr (CsProgress) metric_progress = NULL;
  CsProgressRange metric_stage;
  const CsClustering *c = r->clustering;

  cs_progress_report (progress, 0.90, "Scoring");
  metric_progress = cs_progress_stage_new (&metric_stage, progress, 0.90, 1.0);
  if (options->dissim != NULL)
    {
      /* The algorithm saw only the matrix: score it on the matrix (exact: the matrix is already
       * n × n), not on coordinates it never used. Davies–Bouldin and Calinski–Harabasz need
       * centroids, which a dissimilarity has not. */
      if (options->silhouette_sample > 0 && c->k >= 2 && c->k < c->n)
        {
          g_autoptr (GError) local = NULL;

          r->silhouette_values = g_new (double, c->n);
          if (!cs_dissim_silhouette (options->dissim, c->labels, c->k, r->silhouette_values, &r->silhouette,
                                     metric_progress, &local))
            {
              if (!g_error_matches (local, CS_ERROR, CS_ERROR_INVALID_ARGUMENT))
                {
                  g_propagate_error (error, g_steal_pointer (&local));
                  return FALSE;
                }
              /* fewer than 2 clusters among the labelled rows: no silhouette, not a failed run */
              g_clear_pointer (&r->silhouette_values, g_free);
            }
        }
    }
  else if (options->silhouette_sample > 0 && c->k >= 2 && c->k < c->n)
    {
      const CsParamSpec *seed_spec
          = options->algorithm != NULL ? cs_algorithm_find_param (options->algorithm, "seed") : NULL;
      guint64 seed = 0;

      if (seed_spec != NULL && seed_spec->type == CS_PARAM_INT && options->params != NULL)
        seed = (guint64) cs_params_get_int (options->params, "seed");
      r->silhouette_sampled = !options->silhouette_exact && c->n > options->silhouette_sample;
      r->silhouette_values = g_new (double, c->n);
      if (!cs_metric_silhouette (r->prep->x, c->labels, c->k, r->silhouette_sampled ? options->silhouette_sample : 0,
                                 seed, r->silhouette_values, &r->silhouette, metric_progress, error))
        return FALSE;
    }
  if (!check_both (metric_progress, progress, error))
    return FALSE;
  if (options->internal_metrics && options->dissim == NULL && c->k >= 2 && c->k < c->n)
    {
      r->davies_bouldin = cs_metric_davies_bouldin (r->prep->x, c->labels, c->k);
      r->calinski_harabasz = cs_metric_calinski_harabasz (r->prep->x, c->labels, c->k);
    }
  external_metrics (ds, r);
  graph_metrics (ds, r);
  cs_progress_report (progress, 1.0, "Done");
  return TRUE;
}

CsPipelineResult *
cs_pipeline_run (const CsDataset         *ds,
                 const CsPipelineOptions *options,
                 CsProgress              *progress,
                 GError                 **error)
{
  g_autoptr (CsPipelineResult) r = g_new0 (CsPipelineResult, 1);
  g_autoptr (CsProgress) algo_progress = NULL;
  CsProgressRange algo_stage;

  g_return_val_if_fail (ds != NULL && options != NULL && options->algorithm != NULL, NULL);
  r->silhouette = r->davies_bouldin = r->calinski_harabasz = r->ari = r->nmi = r->medoid_silhouette = NAN;
  r->modularity = NAN;
  if (cs_algorithm_needs_graph (options->algorithm) && ds->graph == NULL)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "%s clusters the nodes of a graph, and ‘%s’ is a table of points: open an edge list (in the "
                   "command line: clusterscope-cli graph EDGES --algo %s)",
                   options->algorithm->name, ds->name != NULL ? ds->name : "this data", options->algorithm->id);
      return NULL;
    }

  cs_progress_report (progress, 0.0, "Preparing data");
  r->prep = cs_dataset_prepare (ds, &options->prepare, error);
  if (r->prep == NULL || !cs_progress_check (progress, error))
    return NULL;

  if (options->trace_steps > 0)
    {
      r->trace = cs_trace_new (options->trace_steps);
      r->trace->byte_limit = options->trace_bytes > 0 ? options->trace_bytes : CS_TRACE_DEFAULT_BYTES;
    }
  algo_progress = cs_progress_stage_new (&algo_stage, progress, 0.05, 0.90);
  if (!run_algorithm (ds, options, r, algo_progress, error))
    return NULL;
  /* A second net under cs_dataset_prepare's magnitude check (and for matrices from a file):
   * an infinite objective means sums overflowed and the labels are meaningless. */
  if (isinf (r->clustering->objective))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
                   "The %s of this %s run overflowed to infinity: the values are too large for double "
                   "arithmetic; rescale the data (standardize the columns)",
                   r->clustering->objective_name, options->algorithm->name);
      return NULL;
    }
  if (!check_both (algo_progress, progress, error))
    return NULL;
  if (!score (ds, options, r, progress, error))
    return NULL;
  return g_steal_pointer (&r);
}

CsPipelineResult *
cs_pipeline_run_labels (const CsDataset         *ds,
                        const CsPipelineOptions *options,
                        const int               *labels,
                        guint                    k,
                        CsProgress              *progress,
                        GError                 **error)
{
  g_autoptr (CsPipelineResult) r = g_new0 (CsPipelineResult, 1);
  g_autofree gsize *count = NULL;
  CsClustering *c;
  gsize n;
  gsize d;
  gint64 t0 = g_get_monotonic_time ();

  g_return_val_if_fail (ds != NULL && options != NULL && labels != NULL, NULL);
  r->silhouette = r->davies_bouldin = r->calinski_harabasz = r->ari = r->nmi = r->medoid_silhouette = NAN;
  r->modularity = NAN;

  cs_progress_report (progress, 0.0, "Preparing data");
  r->prep = cs_dataset_prepare (ds, &options->prepare, error);
  if (r->prep == NULL || !cs_progress_check (progress, error))
    return NULL;
  n = r->prep->x->rows;
  d = r->prep->x->cols;

  c = r->clustering = cs_clustering_new ("labels", n, d, MAX (k, 1));
  count = g_new0 (gsize, c->k);
  for (gsize i = 0; i < n; i++)
    {
      int j = labels[r->prep->rows[i]];

      c->labels[i] = j >= 0 && j < (int) k ? j : -1;
    }
  /* Centres are the clusters' means, so the views mark them and the objective is the inertia
   * the labels give, comparable with k-means on the same columns. */
  c->centers = cs_matrix_new (c->k, d);
  if (cs_metric_cluster_means (r->prep->x, c->labels, c->k, c->centers->data, count) == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "None of the %" G_GSIZE_FORMAT " rows used has a label", n);
      return NULL;
    }
  for (guint j = 0; j < c->k; j++)
    if (count[j] == 0)
      for (gsize f = 0; f < d; f++)
        cs_matrix_row (c->centers, j)[f] = NAN;
  c->objective = cs_metric_inertia (r->prep->x, c->labels, c->centers);
  c->objective_name = "inertia";
  c->objective_kind = CS_OBJECTIVE_INERTIA;
  c->converged = TRUE;
  c->seconds = (g_get_monotonic_time () - t0) / 1e6;

  if (!score (ds, options, r, progress, error))
    return NULL;
  return g_steal_pointer (&r);
}

CsPipelineResult *
cs_pipeline_score (const CsDataset         *ds,
                   const CsPipelineOptions *options,
                   CsPrepared              *prep,
                   CsClustering            *clustering,
                   CsProgress              *progress,
                   GError                 **error)
{
  g_autoptr (CsPipelineResult) r = g_new0 (CsPipelineResult, 1);

  g_return_val_if_fail (prep != NULL && clustering != NULL && prep->x->rows == clustering->n, NULL);
  r->silhouette = r->davies_bouldin = r->calinski_harabasz = r->ari = r->nmi = r->medoid_silhouette = NAN;
  r->modularity = NAN;
  r->prep = prep;
  r->clustering = clustering;
  if (clustering->medoids != NULL)
    {
      /* On the dissimilarity the run used, which its parameters name. */
      CsPipelineOptions with_params = *options;
      CsMetric metric;
      const CsDissim *D;
      g_autoptr (CsDissim) gower = NULL;

      if (with_params.params == NULL)
        with_params.params = clustering->params;
      if (!resolve_dissim (ds, &with_params, r, progress, &metric, &D, &gower, error))
        return NULL;
      medoid_scores (r, D, metric);
    }
  if (!score (ds, options, r, progress, error))
    return NULL;
  return g_steal_pointer (&r);
}

/* labels[i] = the nearest of the k medoids to row i (the first on ties), on D or on the
 * coordinates x under `metric`; *loss = the sum of those distances. */
static gboolean
nearest_medoid_labels (const CsMatrix *x,
                       const CsDissim *D,
                       CsMetric        metric,
                       const gsize    *medoids,
                       guint           k,
                       int            *labels,
                       double         *loss,
                       CsProgress     *progress,
                       GError        **error)
{
  gsize n = x->rows;
  gsize d = x->cols;
  g_autofree double *norm = g_new0 (double, n);

  *loss = 0.0;
  if (D == NULL && metric == CS_METRIC_COSINE)
    for (gsize i = 0; i < n; i++)
      {
        const double *row = cs_matrix_row (x, i);
        double        ss = 0.0;

        for (gsize f = 0; f < d; f++)
          ss += row[f] * row[f];
        norm[i] = sqrt (ss);
      }
  for (gsize i = 0; i < n; i++)
    {
      double best = INFINITY;

      if (i % 4096 == 0 && !cs_progress_check (progress, error))
        return FALSE;
      labels[i] = 0;
      for (guint j = 0; j < k; j++)
        {
          gsize  m = medoids[j];
          double dist = D != NULL ? cs_dissim_get (D, i, m)
                                  : cs_metric_distance (metric, cs_matrix_row (x, i), cs_matrix_row (x, m), d,
                                                        norm[i], norm[m]);

          if (dist < best)
            {
              best = dist;
              labels[i] = (int) j;
            }
        }
      *loss += best;
    }
  return TRUE;
}

CsPipelineResult *
cs_pipeline_run_at_k (const CsDataset         *ds,
                      const CsPipelineOptions *options,
                      const CsClustering      *source,
                      guint                    k,
                      CsProgress              *progress,
                      GError                 **error)
{
  g_autoptr (CsPipelineResult) r = g_new0 (CsPipelineResult, 1);
  g_autoptr (CsDissim) gower = NULL;
  const CsDissim *D;
  const gsize    *medoids;
  CsClustering   *c;
  CsMetric        metric;
  double          loss;

  g_return_val_if_fail (ds != NULL && options != NULL && source != NULL, NULL);
  r->silhouette = r->davies_bouldin = r->calinski_harabasz = r->ari = r->nmi = r->medoid_silhouette = NAN;
  r->modularity = NAN;

  medoids = cs_clustering_medoids_at_k (source, k);
  if (source->merges != NULL && (k < 1 || k > source->n))
    {
      g_autofree char *rows = cs_format_count (source->n);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "A tree of %s rows can be cut into 1 to %s clusters, not %u", rows, rows, k);
      return NULL;
    }
  if (medoids == NULL && source->merges == NULL)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "This %s result recorded no clustering for k = %u; it has medoids for k = %u to %u", source->algorithm,
                   k, source->score_k_min, source->score_k_min + MAX (source->n_scores, 1) - 1);
      return NULL;
    }
  cs_progress_report (progress, 0.0, "Preparing data");
  r->prep = cs_dataset_prepare (ds, &options->prepare, error);
  if (r->prep == NULL || !cs_progress_check (progress, error))
    return NULL;
  if (r->prep->x->rows != source->n)
    {
      g_autofree char *now = cs_format_count (r->prep->x->rows);
      g_autofree char *then = cs_format_count (source->n);

      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "The data now has %s rows to cluster but the %s result was made from %s: run it again", now,
                   source->algorithm, then);
      return NULL;
    }
  if (!resolve_dissim (ds, options, r, progress, &metric, &D, &gower, error))
    return NULL;

  /* A hierarchical result: another cut of the same tree. */
  if (source->merges != NULL)
    {
      r->clustering = cs_agglomerative_recut (source, k);
      if (!score (ds, options, r, progress, error))
        return NULL;
      return g_steal_pointer (&r);
    }

  /* The same result, seen at another point of its curve: the curve and the run's settings
   * stay, so the views can mark this k and go to any other. */
  c = r->clustering = cs_clustering_new (source->algorithm, source->n, source->d, k);
  c->params = source->params != NULL ? cs_params_copy (source->params) : NULL;
  c->medoids = g_memdup2 (medoids, k * sizeof (gsize));
  c->objective_name = source->objective_name;
  c->objective_kind = source->objective_kind;
  c->converged = source->converged;
  c->iterations = source->iterations;
  c->swaps = source->swaps;
  c->score_by_k = g_memdup2 (source->score_by_k, source->n_scores * sizeof (double));
  c->score_k_min = source->score_k_min;
  c->n_scores = source->n_scores;
  c->medoids_by_k = g_memdup2 (source->medoids_by_k, cs_clustering_medoids_by_k_size (source->score_k_min,
                                                                                         source->n_scores)
                                                         * sizeof (gsize));
  if (!nearest_medoid_labels (r->prep->x, D, metric, medoids, k, c->labels, &loss, progress, error))
    return NULL;
  medoid_scores (r, D, metric);
  c->objective = c->objective_kind == CS_OBJECTIVE_MEDOID_SILHOUETTE ? r->medoid_silhouette : loss;
  c->seconds = source->seconds;
  if (!score (ds, options, r, progress, error))
    return NULL;
  return g_steal_pointer (&r);
}
