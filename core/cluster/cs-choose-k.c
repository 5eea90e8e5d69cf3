#include "core/cluster/cs-choose-k.h"

#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-medoid-silhouette.h"
#include "core/data/cs-dissim.h"
#include "core/metrics/cs-metrics.h"

/* Streams of the seeded generator: reference set b of the gap uses GAP_STREAM + b, bootstrap
 * sample b STABILITY_STREAM + b, the same for every k so that the criteria compare k on the
 * same draws. */
#define GAP_STREAM       1000
#define STABILITY_STREAM 500000

static const struct
{
  const char *id;
  const char *name;
  gboolean    maximised;
} criteria[CS_CRITERION_N] = {
  [CS_CRITERION_SILHOUETTE] = { "silhouette", "Silhouette", TRUE },
  [CS_CRITERION_MEDOID_SILHOUETTE] = { "medoid-silhouette", "Medoid silhouette", TRUE },
  [CS_CRITERION_CH] = { "ch", "Calinski–Harabasz", TRUE },
  [CS_CRITERION_DB] = { "db", "Davies–Bouldin", FALSE },
  [CS_CRITERION_BIC] = { "bic", "BIC", FALSE },
  [CS_CRITERION_ICL] = { "icl", "ICL", FALSE },
  [CS_CRITERION_GAP] = { "gap", "Gap statistic", TRUE },
  [CS_CRITERION_STABILITY] = { "stability", "Stability (ARI)", TRUE },
};

const char *
cs_criterion_id (CsCriterion c)
{
  g_return_val_if_fail (c < CS_CRITERION_N, NULL);
  return criteria[c].id;
}

const char *
cs_criterion_name (CsCriterion c)
{
  g_return_val_if_fail (c < CS_CRITERION_N, NULL);
  return criteria[c].name;
}

gboolean
cs_criterion_is_maximised (CsCriterion c)
{
  g_return_val_if_fail (c < CS_CRITERION_N, TRUE);
  return criteria[c].maximised;
}

gboolean
cs_criterion_from_id (const char *id, CsCriterion *c)
{
  for (guint i = 0; i < CS_CRITERION_N; i++)
    if (g_ascii_strcasecmp (id, criteria[i].id) == 0)
      {
        *c = (CsCriterion) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
cs_criteria_parse (const char *list, guint *mask, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (list, ",", -1);

  *mask = 0;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *p = g_strstrip (parts[i]);
      CsCriterion c;

      if (*p == '\0')
        continue;
      if (g_ascii_strcasecmp (p, "all") == 0)
        {
          *mask = CS_CRITERIA_ALL;
          continue;
        }
      if (!cs_criterion_from_id (p, &c))
        {
          g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                       "Unknown criterion ‘%s’: use silhouette, medoid-silhouette, ch, db, bic, icl, gap, stability "
                       "or all",
                       p);
          return FALSE;
        }
      *mask |= 1u << c;
    }
  if (*mask == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "No criterion given: use for example silhouette,ch,db");
      return FALSE;
    }
  return TRUE;
}

void
cs_choose_k_options_init (CsChooseKOptions *o)
{
  *o = (CsChooseKOptions) { 0 };
  o->k_min = 2;
  o->k_max = 10;
  o->criteria = CS_CRITERIA_ALL;
  o->gap_references = 10;
  o->gap_reference = CS_GAP_REFERENCE_BOX;
  o->stability_runs = 10;
  o->stability_mode = CS_STABILITY_BOOTSTRAP;
  o->seed = 0;
}

CsChooseKResult *
cs_choose_k_result_ref (CsChooseKResult *r)
{
  g_atomic_ref_count_inc (&r->ref);
  return r;
}

void
cs_choose_k_result_unref (CsChooseKResult *r)
{
  if (r == NULL || !g_atomic_ref_count_dec (&r->ref))
    return;
  g_free (r->algorithm);
  if (r->params != NULL)
    cs_params_free (r->params);
  for (guint c = 0; c < CS_CRITERION_N; c++)
    g_free (r->values[c]);
  g_free (r->log_w);
  g_free (r->log_w_ref);
  g_free (r->gap_s);
  g_free (r->stability_sd);
  g_free (r->stability_labels);
  g_free (r->labels);
  g_free (r->k_found);
  g_free (r);
}

const int *
cs_choose_k_result_labels (const CsChooseKResult *r, guint k)
{
  if (r == NULL || k < r->k_min || k >= r->k_min + r->n_k)
    return NULL;
  return r->labels + (gsize) (k - r->k_min) * r->n;
}

/* Parameters of the algorithm that runs at each k: the given one when it has a k, FasterMSC
 * for DynMSC (DynMSC is FasterMSC with k decreasing over its range), with every parameter
 * the two share copied. */
static CsParams *
params_with_k (const CsParams *params, GError **error)
{
  const CsAlgorithm *algo = cs_params_get_algorithm (params);
  const CsAlgorithm *target = algo;
  CsParams          *out;

  if (cs_algorithm_find_param (algo, "k") == NULL && cs_algorithm_find_param (algo, "k_max") != NULL
      && cs_registry_lookup ("fastermsc") != NULL)
    target = cs_registry_lookup ("fastermsc");
  if (cs_algorithm_find_param (target, "k") == NULL || cs_algorithm_find_param (target, "k")->type != CS_PARAM_INT)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "%s finds the number of clusters itself, so there is no k to vary: choose an algorithm with a "
                   "number of clusters, such as k-means, FasterPAM or Gaussian mixtures",
                   algo->name);
      return NULL;
    }
  if (target == algo)
    return cs_params_copy (params);
  out = cs_params_new (target);
  for (gsize i = 0; i < target->n_params; i++)
    {
      const CsParamSpec *spec = &target->params[i];
      const CsParamSpec *from = cs_algorithm_find_param (algo, spec->name);
      g_autofree char   *text = NULL;

      if (from == NULL || from->type != spec->type)
        continue;
      text = cs_params_to_string (params, spec->name);
      /* A value the sibling does not take keeps its default. */
      cs_params_set (out, spec->name, text, NULL);
    }
  return out;
}

/* Within-cluster sum of squares about the clusters' means (W_k of the gap statistic: the
 * pooled Σ D_r / 2 n_r of squared Euclidean distances). */
static double
within_ss (const CsMatrix *x, const int *labels, guint k)
{
  g_autofree double *means = g_new0 (double, (gsize) MAX (k, 1) * x->cols);
  g_autofree gsize  *sizes = g_new0 (gsize, MAX (k, 1));
  double             w = 0.0;

  cs_metric_cluster_means (x, labels, k, means, sizes);
  for (gsize i = 0; i < x->rows; i++)
    if (labels[i] >= 0 && (guint) labels[i] < k)
      w += cs_sqdist (cs_matrix_row (x, i), means + (gsize) labels[i] * x->cols, x->cols);
  return w;
}

/* Clusters actually used, and labels made dense ([0, used)), so that every metric sees k
 * non-empty clusters. */
static guint
compact_labels (int *labels, gsize n, guint k)
{
  g_autofree int *map = g_new (int, MAX (k, 1));
  guint           used = 0;

  for (guint c = 0; c < k; c++)
    map[c] = -1;
  for (gsize i = 0; i < n; i++)
    if (labels[i] >= 0 && (guint) labels[i] < k)
      {
        if (map[labels[i]] < 0)
          map[labels[i]] = (int) used++;
        labels[i] = map[labels[i]];
      }
  return used;
}

/* A uniform reference set of n rows over the data's box, or over the box of its principal
 * axes rotated back (rot d × d, columns the axes; mean the centre). */
typedef struct
{
  gsize   d;
  double *lo;
  double *hi;
  double *rot;  /* NULL for the plain box */
  double *mean;
} RefBox;

static void
ref_box_clear (RefBox *b)
{
  g_free (b->lo);
  g_free (b->hi);
  g_free (b->rot);
  g_free (b->mean);
}

static gboolean
ref_box_init (RefBox *b, const CsMatrix *x, CsGapReference kind, GError **error)
{
  gsize d = x->cols;

  *b = (RefBox) { .d = d };
  b->lo = g_new (double, d);
  b->hi = g_new (double, d);
  for (gsize j = 0; j < d; j++)
    b->lo[j] = INFINITY, b->hi[j] = -INFINITY;
  if (kind == CS_GAP_REFERENCE_PCA && d > 1)
    {
      g_autofree double *cov = g_new0 (double, d * d);
      g_autofree double *ev = g_new (double, d);
      int                info;

      b->mean = g_new (double, d);
      cs_matrix_column_means (x, b->mean);
      for (gsize i = 0; i < x->rows; i++)
        {
          const double *r = cs_matrix_row (x, i);
          for (gsize a = 0; a < d; a++)
            for (gsize c = a; c < d; c++)
              cov[a * d + c] += (r[a] - b->mean[a]) * (r[c] - b->mean[c]);
        }
      info = LAPACKE_dsyev (LAPACK_ROW_MAJOR, 'V', 'U', (lapack_int) d, cov, (lapack_int) d, ev);
      if (info != 0)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
                       "The gap statistic's principal axes could not be computed (LAPACKE_dsyev info %d); use the "
                       "plain box reference",
                       info);
          return FALSE;
        }
      b->rot = g_steal_pointer (&cov);
      for (gsize i = 0; i < x->rows; i++)
        {
          const double *r = cs_matrix_row (x, i);
          for (gsize c = 0; c < d; c++)
            {
              double p = 0.0;
              for (gsize a = 0; a < d; a++)
                p += (r[a] - b->mean[a]) * b->rot[a * d + c];
              b->lo[c] = MIN (b->lo[c], p);
              b->hi[c] = MAX (b->hi[c], p);
            }
        }
      return TRUE;
    }
  for (gsize i = 0; i < x->rows; i++)
    for (gsize j = 0; j < d; j++)
      {
        double v = cs_matrix_get (x, i, j);
        b->lo[j] = MIN (b->lo[j], v);
        b->hi[j] = MAX (b->hi[j], v);
      }
  return TRUE;
}

static CsMatrix *
ref_box_draw (const RefBox *b, gsize n, guint64 seed, guint64 stream)
{
  CsMatrix          *z = cs_matrix_new (n, b->d);
  g_autofree double *u = g_new (double, b->d);
  CsRng              rng;

  cs_rng_init_stream (&rng, seed, stream);
  for (gsize i = 0; i < n; i++)
    {
      double *row = z->data + i * b->d;

      for (gsize j = 0; j < b->d; j++)
        u[j] = b->lo[j] + (b->hi[j] - b->lo[j]) * cs_rng_uniform (&rng);
      if (b->rot == NULL)
        memcpy (row, u, b->d * sizeof (double));
      else
        for (gsize a = 0; a < b->d; a++)
          {
            double v = b->mean[a];
            for (gsize c = 0; c < b->d; c++)
              v += b->rot[a * b->d + c] * u[c];
            row[a] = v;
          }
    }
  return z;
}

/* Everything one k's runs share. */
typedef struct
{
  const CsMatrix         *x;
  const CsChooseKOptions *o;
  const CsAlgorithm      *algo;
  CsParams               *params; /* k and seed set per run */
  const CsDissim         *D;      /* shared matrix, may be NULL */
  CsMetric                metric;
  gboolean                k_settable_1; /* the algorithm itself takes k = 1 */
  CsProgress             *progress;
  double                  done;   /* runs finished */
  double                  total;  /* runs planned */
} Ctx;

/* One run of the algorithm at k on `x` (the data: D may stand for it; else a reference set or
 * bootstrap sample), labels into `labels` (x->rows entries). *c_out (may be NULL) receives
 * the clustering. k = 1 the algorithm does not take is every row in one cluster. */
static gboolean
run_at (Ctx *ctx, const CsMatrix *x, gboolean on_data, guint k, guint64 seed_offset, int *labels,
        CsClustering **c_out, GError **error)
{
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (CsProgress) stage = NULL;
  CsProgressRange range;
  gboolean        ok;

  if (!cs_progress_check (ctx->progress, error))
    return FALSE;
  if (k == 1 && !ctx->k_settable_1)
    {
      memset (labels, 0, x->rows * sizeof (int));
      ctx->done += 1;
      return TRUE;
    }
  cs_params_set_int (ctx->params, "k", k);
  if (cs_algorithm_find_param (ctx->algo, "seed") != NULL)
    {
      const CsParamSpec *s = cs_algorithm_find_param (ctx->algo, "seed");
      gint64             base = (gint64) cs_params_get_int (ctx->params, "seed");

      (void) s;
      cs_params_set_int (ctx->params, "seed", base + (gint64) seed_offset);
    }
  stage = cs_progress_stage_new (&range, ctx->progress, ctx->done / ctx->total, (ctx->done + 1) / ctx->total);
  if (ctx->o->graph != NULL && cs_algorithm_needs_graph (ctx->algo))
    {
      /* Only the data itself is a graph: references and bootstrap samples are never asked for. */
      g_assert (on_data);
      ok = cs_algorithm_run_graph (ctx->algo, ctx->o->graph, ctx->params, stage, NULL, &c, error);
    }
  else if (on_data && ctx->D != NULL && ctx->algo->run_dissim != NULL)
    ok = cs_algorithm_run_dissim (ctx->algo, ctx->D, ctx->params, stage, NULL, &c, error);
  else
    ok = cs_algorithm_run (ctx->algo, x, ctx->params, stage, NULL, &c, error);
  if (cs_algorithm_find_param (ctx->algo, "seed") != NULL)
    cs_params_set_int (ctx->params, "seed", (gint64) cs_params_get_int (ctx->params, "seed") - (gint64) seed_offset);
  if (!ok)
    return FALSE;
  if (!cs_progress_check (ctx->progress, error))
    return FALSE;
  memcpy (labels, c->labels, x->rows * sizeof (int));
  ctx->done += 1;
  if (c_out != NULL)
    *c_out = g_steal_pointer (&c);
  return TRUE;
}

/* Every row of x labelled by the nearest mean of the clusters `sample_labels` gives the
 * sample's rows (rows of x listed in `idx`). */
static void
extend_labels (const CsMatrix *x, const gsize *idx, gsize m, const int *sample_labels, guint k, int *out)
{
  gsize              d = x->cols;
  g_autofree double *means = g_new0 (double, (gsize) k * d);
  g_autofree gsize  *sizes = g_new0 (gsize, k);

  for (gsize s = 0; s < m; s++)
    {
      int l = sample_labels[s];
      if (l < 0 || (guint) l >= k)
        continue;
      sizes[l]++;
      for (gsize j = 0; j < d; j++)
        means[(gsize) l * d + j] += cs_matrix_get (x, idx[s], j);
    }
  for (guint c = 0; c < k; c++)
    for (gsize j = 0; j < d; j++)
      means[(gsize) c * d + j] = sizes[c] > 0 ? means[(gsize) c * d + j] / sizes[c] : NAN;
#pragma omp parallel for schedule(static)
  for (gsize i = 0; i < x->rows; i++)
    {
      double best = INFINITY;
      int    arg = 0;

      for (guint c = 0; c < k; c++)
        {
          double dist;
          if (sizes[c] == 0)
            continue;
          dist = cs_sqdist (cs_matrix_row (x, i), means + (gsize) c * d, d);
          if (dist < best)
            best = dist, arg = (int) c;
        }
      out[i] = arg;
    }
}

static guint
suggest (const double *v, guint n_k, guint k_min, gboolean maximised)
{
  gssize best = -1;

  for (guint i = 0; i < n_k; i++)
    if (isfinite (v[i]) && (best < 0 || (maximised ? v[i] > v[best] : v[i] < v[best])))
      best = i;
  return best < 0 ? 0 : k_min + (guint) best;
}

static gboolean
score_silhouette (Ctx *ctx, const int *labels, guint used, double *out, GError **error)
{
  g_autoptr (GError) local = NULL;
  double mean = NAN;
  gboolean ok;

  *out = NAN;
  if (used < 2 || used >= ctx->x->rows)
    return TRUE;
  if (ctx->D != NULL)
    ok = cs_dissim_silhouette (ctx->D, labels, used, NULL, &mean, ctx->progress, &local);
  else
    ok = cs_metric_silhouette (ctx->x, labels, used, 0, 0, NULL, &mean, ctx->progress, &local);
  if (!ok)
    {
      if (g_error_matches (local, CS_ERROR, CS_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      return TRUE;
    }
  *out = mean;
  return TRUE;
}

gboolean
cs_choose_k_run (const CsMatrix *x, const CsParams *params, const CsChooseKOptions *o, CsProgress *progress,
                 CsChooseKResult **out, GError **error)
{
  g_autoptr (CsChooseKResult) r = NULL;
  g_autoptr (CsParams) run_params = NULL;
  g_autoptr (CsDissim) D = NULL;
  g_autofree int *buf = NULL;
  g_autofree double *gap_ref = NULL;
  RefBox          box = { 0 };
  Ctx             ctx = { 0 };
  gsize           n;
  guint           n_k;
  guint           B;
  guint           S;
  gint64          t0 = g_get_monotonic_time ();
  gboolean        ok = FALSE;
  gboolean        graph_run;
  const CsParamSpec *kspec;

  g_return_val_if_fail (x != NULL && params != NULL && o != NULL && out != NULL, FALSE);
  n = x->rows;
  if (o->k_min < 1 || o->k_max < o->k_min)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "The k range %u..%u is empty: give 1 ≤ smallest k ≤ largest k",
                   o->k_min, o->k_max);
      return FALSE;
    }
  if ((gsize) o->k_max >= n)
    {
      g_autofree char *rows = cs_format_count (n);
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "The largest k (%u) must be below the number of rows (%s): choose a smaller largest k", o->k_max,
                   rows);
      return FALSE;
    }
  if (o->criteria == 0 || (o->criteria & ~CS_CRITERIA_ALL) != 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "No criterion asked for: choose at least one");
      return FALSE;
    }
  if ((o->criteria & (1u << CS_CRITERION_GAP)) && o->gap_references < 1)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "The gap statistic needs at least 1 reference set");
      return FALSE;
    }
  if ((o->criteria & (1u << CS_CRITERION_STABILITY)) && o->stability_runs < 2)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Stability compares runs with each other: give at least 2 runs (--stability 2)");
      return FALSE;
    }
  run_params = params_with_k (params, error);
  if (run_params == NULL)
    return FALSE;
  ctx.algo = cs_params_get_algorithm (run_params);
  kspec = cs_algorithm_find_param (ctx.algo, "k");
  if (o->k_max > kspec->max)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "%s takes k up to %.0f: choose a smaller largest k",
                   ctx.algo->name, kspec->max);
      return FALSE;
    }
  ctx.k_settable_1 = kspec->min <= 1;
  if (o->k_min > 1 && o->k_min < kspec->min)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "%s takes k from %.0f: choose a larger smallest k",
                   ctx.algo->name, kspec->min);
      return FALSE;
    }
  if (cs_algorithm_needs_graph (ctx.algo) && (o->graph == NULL || o->graph->n != n))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   o->graph == NULL ? "%s clusters the nodes of a graph: open an edge list to choose its k"
                                    : "%s clusters the nodes of a graph, and some nodes were left out of the rows "
                                      "(missing values): keep every node to choose its k",
                   ctx.algo->name);
      return FALSE;
    }
  graph_run = cs_algorithm_needs_graph (ctx.algo);
  n_k = o->k_max - o->k_min + 1;
  B = (o->criteria & (1u << CS_CRITERION_GAP)) && !graph_run ? o->gap_references : 0;
  S = (o->criteria & (1u << CS_CRITERION_STABILITY)) ? o->stability_runs : 0;

  ctx.metric = CS_METRIC_EUCLIDEAN;
  if (cs_params_get_dissim (run_params, &ctx.metric)
      && (ctx.metric == CS_METRIC_GOWER || ctx.metric == CS_METRIC_PRECOMPUTED))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Choosing k works on coordinates: the dissimilarity ‘%s’ is not supported here; pick euclidean "
                   "or another coordinate dissimilarity",
                   cs_metric_id (ctx.metric));
      return FALSE;
    }
  if (S > 0 && !cs_memory_check ((guint64) n_k * S * n * sizeof (int), "The stability runs' labels",
                                 "give fewer stability runs, a narrower k range or cluster a sample of the rows",
                                 error))
    return FALSE;

  /* One matrix for every run on the data and every silhouette, when it fits comfortably:
   * the medoid algorithms need it anyway, and the exact silhouette then costs O(n²) reads
   * instead of O(n² d) arithmetic per k. */
  if ((ctx.algo->run_dissim != NULL || (o->criteria & (1u << CS_CRITERION_SILHOUETTE)))
      && cs_dissim_bytes (n, FALSE) <= cs_memory_budget () / 2)
    {
      CsProgressRange range;
      g_autoptr (CsProgress) stage = cs_progress_stage_new (&range, progress, 0.0, 0.02);

      cs_progress_report (progress, 0.0, "Dissimilarities");
      D = cs_dissim_new_from_matrix (x, ctx.algo->run_dissim != NULL ? ctx.metric : CS_METRIC_EUCLIDEAN, FALSE,
                                     stage, error);
      if (D == NULL)
        return FALSE;
      /* A silhouette on another dissimilarity than the algorithm's would mix two notions of
       * distance: only share it when it is Euclidean or the algorithm's own. */
    }
  ctx.D = D;
  ctx.x = x;
  ctx.o = o;
  ctx.params = run_params;
  ctx.progress = progress;
  ctx.total = (double) n_k * (1 + B + S) / 0.98;
  ctx.done = D != NULL ? 0.02 * ctx.total : 0.0;

  r = g_new0 (CsChooseKResult, 1);
  g_atomic_ref_count_init (&r->ref);
  r->algorithm = g_strdup (ctx.algo->id);
  r->params = cs_params_copy (run_params);
  r->n = n;
  r->d = x->cols;
  r->k_min = o->k_min;
  r->n_k = n_k;
  r->criteria = o->criteria;
  r->labels = g_new (int, (gsize) n_k * n);
  r->k_found = g_new0 (guint, n_k);
  for (guint c = 0; c < CS_CRITERION_N; c++)
    if (o->criteria & (1u << c))
      {
        r->values[c] = g_new (double, n_k);
        for (guint i = 0; i < n_k; i++)
          r->values[c][i] = NAN;
      }
  if (B > 0)
    {
      r->log_w = g_new (double, n_k);
      r->log_w_ref = g_new (double, n_k);
      r->gap_s = g_new (double, n_k);
      gap_ref = g_new (double, (gsize) n_k * B);
      if (!ref_box_init (&box, x, o->gap_reference, error))
        goto out;
    }
  if (S > 0)
    {
      r->stability_runs = S;
      r->stability_sd = g_new (double, n_k);
      r->stability_labels = g_new (int, (gsize) n_k * S * n);
    }
  buf = g_new (int, n);

  for (guint i = 0; i < n_k; i++)
    {
      guint  k = o->k_min + i;
      int   *labels = r->labels + (gsize) i * n;
      g_autoptr (CsClustering) c = NULL;
      g_autofree char *stage = g_strdup_printf ("k = %u", k);
      guint  used;

      cs_progress_report (progress, ctx.done / ctx.total, stage);
      if (!run_at (&ctx, x, TRUE, k, 0, labels, &c, error))
        goto out;
      used = compact_labels (labels, n, k);
      r->k_found[i] = used;

      if (r->values[CS_CRITERION_SILHOUETTE] != NULL
          && !score_silhouette (&ctx, labels, used, &r->values[CS_CRITERION_SILHOUETTE][i], error))
        goto out;
      if (r->values[CS_CRITERION_MEDOID_SILHOUETTE] != NULL && c != NULL && c->medoids != NULL && c->k >= 2)
        r->values[CS_CRITERION_MEDOID_SILHOUETTE][i]
            = D != NULL && ctx.algo->run_dissim != NULL ? cs_medoid_silhouette (D, c->medoids, c->k, NULL)
                                                        : cs_medoid_silhouette_x (x, ctx.metric, c->medoids, c->k, NULL);
      if (r->values[CS_CRITERION_CH] != NULL && used >= 2)
        r->values[CS_CRITERION_CH][i] = cs_metric_calinski_harabasz (x, labels, used);
      if (r->values[CS_CRITERION_DB] != NULL && used >= 2)
        r->values[CS_CRITERION_DB][i] = cs_metric_davies_bouldin (x, labels, used);
      if (r->values[CS_CRITERION_BIC] != NULL && c != NULL)
        r->values[CS_CRITERION_BIC][i] = c->bic;
      if (r->values[CS_CRITERION_ICL] != NULL && c != NULL)
        r->values[CS_CRITERION_ICL][i] = c->icl;

      if (B > 0)
        {
          double sum = 0.0;
          double sq = 0.0;

          r->log_w[i] = log (within_ss (x, labels, used));
          for (guint b = 0; b < B; b++)
            {
              g_autoptr (CsMatrix) z = ref_box_draw (&box, n, o->seed, GAP_STREAM + b);
              guint zu;

              if (!run_at (&ctx, z, FALSE, k, 0, buf, NULL, error))
                goto out;
              zu = compact_labels (buf, n, k);
              gap_ref[(gsize) i * B + b] = log (within_ss (z, buf, zu));
              sum += gap_ref[(gsize) i * B + b];
            }
          r->log_w_ref[i] = sum / B;
          for (guint b = 0; b < B; b++)
            sq += (gap_ref[(gsize) i * B + b] - r->log_w_ref[i]) * (gap_ref[(gsize) i * B + b] - r->log_w_ref[i]);
          r->values[CS_CRITERION_GAP][i] = r->log_w_ref[i] - r->log_w[i];
          /* Tibshirani et al. (2001), step 3: sd_k over the B references (1/B), s_k = sd_k √(1 + 1/B). */
          r->gap_s[i] = sqrt (sq / B) * sqrt (1.0 + 1.0 / B);
        }

      if (S > 0)
        {
          int              *runs = r->stability_labels + (gsize) i * S * n;
          g_autofree double *ari = NULL;
          gsize             n_pairs = (gsize) S * (S - 1) / 2;
          double            mean = 0.0;
          double            sq = 0.0;

          for (guint s = 0; s < S; s++)
            {
              int *lab = runs + (gsize) s * n;

              if (o->stability_mode == CS_STABILITY_SEEDS || graph_run)
                {
                  if (!run_at (&ctx, x, TRUE, k, s + 1, lab, NULL, error))
                    goto out;
                }
              else
                {
                  g_autofree gsize *idx = g_new (gsize, n);
                  g_autoptr (CsMatrix) xb = cs_matrix_new (n, x->cols);
                  CsRng rng;

                  cs_rng_init_stream (&rng, o->seed, STABILITY_STREAM + s);
                  for (gsize t = 0; t < n; t++)
                    {
                      idx[t] = (gsize) cs_rng_below (&rng, n);
                      memcpy (xb->data + t * x->cols, cs_matrix_row (x, idx[t]), x->cols * sizeof (double));
                    }
                  if (!run_at (&ctx, xb, FALSE, k, 0, buf, NULL, error))
                    goto out;
                  extend_labels (x, idx, n, buf, k, lab);
                }
            }
          ari = g_new (double, n_pairs);
          /* Pairs are independent: any thread may take any pair, the sums below run in pair order. */
#pragma omp parallel for schedule(dynamic)
          for (gsize p = 0; p < n_pairs; p++)
            {
              gsize a = 0;
              gsize rem = p;

              while (rem >= S - 1 - a)
                rem -= S - 1 - a, a++;
              ari[p] = cs_metric_ari (runs + a * n, runs + (a + 1 + rem) * n, n);
            }
          for (gsize p = 0; p < n_pairs; p++)
            mean += ari[p];
          mean /= n_pairs;
          for (gsize p = 0; p < n_pairs; p++)
            sq += (ari[p] - mean) * (ari[p] - mean);
          /* Every row in one cluster agrees with itself trivially: no evidence for k = 1. */
          r->values[CS_CRITERION_STABILITY][i] = k >= 2 ? mean : NAN;
          r->stability_sd[i] = k >= 2 ? sqrt (sq / n_pairs) : NAN;
        }
    }

  for (guint c = 0; c < CS_CRITERION_N; c++)
    {
      gboolean any = FALSE;

      if (r->values[c] == NULL)
        continue;
      for (guint i = 0; i < n_k; i++)
        any |= isfinite (r->values[c][i]);
      if (any)
        r->computed |= 1u << c;
      if (c == CS_CRITERION_GAP && r->gap_s != NULL)
        {
          /* Smallest k with Gap(k) ≥ Gap(k+1) − s_{k+1} (Tibshirani et al., 2001, step 3). */
          for (guint i = 0; i + 1 < n_k; i++)
            if (r->values[c][i] >= r->values[c][i + 1] - r->gap_s[i + 1])
              {
                r->suggested[c] = o->k_min + i;
                break;
              }
        }
      else
        r->suggested[c] = suggest (r->values[c], n_k, o->k_min, criteria[c].maximised);
    }
  cs_progress_report (progress, 1.0, "Done");
  r->seconds = (g_get_monotonic_time () - t0) / 1e6;
  *out = g_steal_pointer (&r);
  ok = TRUE;
out:
  ref_box_clear (&box);
  return ok;
}

float *
cs_choose_k_coassociation (const CsChooseKResult *r, guint k, GError **error)
{
  const int *runs;
  float     *m;
  gsize      n;
  guint      S;

  g_return_val_if_fail (r != NULL, NULL);
  n = r->n;
  S = r->stability_runs;
  if (r->stability_labels == NULL || k < r->k_min || k >= r->k_min + r->n_k)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "No stability runs at k = %u: compute the stability criterion for a range that holds it", k);
      return NULL;
    }
  if (n > CS_CHOOSE_K_COASSOC_MAX_N)
    {
      g_autofree char *rows = cs_format_count (n);
      g_autofree char *max = cs_format_count (CS_CHOOSE_K_COASSOC_MAX_N);
      g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE,
                   "The co-association matrix of %s rows would hold %s × %s numbers; it is drawn for at most %s rows: "
                   "cluster a random sample of the rows",
                   rows, rows, rows, max);
      return NULL;
    }
  if (!cs_memory_check ((guint64) n * n * sizeof (float), "The co-association matrix",
                        "cluster a random sample of the rows", error))
    return NULL;
  runs = r->stability_labels + (gsize) (k - r->k_min) * S * n;
  m = g_new (float, n * n);
#pragma omp parallel for schedule(dynamic, 16)
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < n; j++)
      {
        guint same = 0;
        for (guint s = 0; s < S; s++)
          same += runs[(gsize) s * n + i] == runs[(gsize) s * n + j];
        m[i * n + j] = (float) same / (float) S;
      }
  return m;
}

typedef struct
{
  const CsChooseKResult *r;
  guint                  from; /* index of k in the range */
} OrderKey;

static int
by_label (gconstpointer a, gconstpointer b, gpointer key_)
{
  const OrderKey *key = key_;
  gsize           i = *(const gsize *) a;
  gsize           j = *(const gsize *) b;

  /* By the label at k, then at k + 1, k + 2, …: rows a finer clustering keeps together stay
   * together, so the heatmap shows sub-blocks instead of stripes in row order. */
  for (guint t = key->from; t < key->r->n_k; t++)
    {
      const int *l = key->r->labels + (gsize) t * key->r->n;
      if (l[i] != l[j])
        return l[i] < l[j] ? -1 : 1;
    }
  return i < j ? -1 : i > j;
}

gsize *
cs_choose_k_order_by_cluster (const CsChooseKResult *r, guint k)
{
  OrderKey key = { r, 0 };
  gsize   *order;

  if (cs_choose_k_result_labels (r, k) == NULL)
    return NULL;
  key.from = k - r->k_min;
  order = g_new (gsize, r->n);
  for (gsize i = 0; i < r->n; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint) r->n, sizeof (gsize), by_label, &key);
  return order;
}
