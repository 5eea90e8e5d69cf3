#include "core/cluster/cs-ila-sdp.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-kmeans.h"
#include "core/cluster/cs-sdp-private.h"
#include "core/metrics/cs-metrics.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

void
cs_ila_options_init (CsIlaOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->k = 3;
  options->covariance = CS_ILA_FULL;
  options->ridge = 1e-2;
  options->rank = 0;
  options->max_outer = 5;
  options->max_iter = 1000;
  options->tol = 1e-5;
  options->tight_tol = 1e-3;
  options->seed = 0;
}

/* Σ_k of each cluster: its sample covariance + ridge on the diagonal (clusters of one row
 * take the whole data's); identity mode gives I. Written k × d × d. */
static void
covariances (const CsMatrix     *xc,
             const int          *labels,
             const CsIlaOptions *o,
             double             *cov)
{
  gsize n = xc->rows;
  gsize d = xc->cols;
  guint k = o->k;
  g_autofree double *means = g_new (double, (gsize) k * d);
  g_autofree gsize *sizes = g_new (gsize, k);
  g_autofree double *all = g_new0 (double, d * d);
  double mean_var = 0.0;

  memset (cov, 0, (gsize) k * d * d * sizeof (double));
  if (o->covariance == CS_ILA_IDENTITY)
    {
      for (guint j = 0; j < k; j++)
        for (gsize a = 0; a < d; a++)
          cov[(gsize) j * d * d + a * d + a] = 1.0;
      return;
    }
  cs_metric_cluster_means (xc, labels, k, means, sizes);
  for (gsize i = 0; i < n; i++)
    {
      const double *xi = cs_matrix_row (xc, i);
      const double *mu = means + (gsize) labels[i] * d;
      double *cj = cov + (gsize) labels[i] * d * d;
      for (gsize a = 0; a < d; a++)
        for (gsize b = 0; b < d; b++)
          {
            cj[a * d + b] += (xi[a] - mu[a]) * (xi[b] - mu[b]);
            all[a * d + b] += xi[a] * xi[b];
          }
    }
  for (gsize a = 0; a < d; a++)
    mean_var += all[a * d + a] / (double) n;
  mean_var = MAX (mean_var / (double) d, 1e-12);
  for (guint j = 0; j < k; j++)
    {
      double *cj = cov + (gsize) j * d * d;
      for (gsize t = 0; t < d * d; t++)
        cj[t] = sizes[j] >= 2 ? cj[t] / (double) sizes[j] : all[t] / (double) n;
      for (gsize a = 0; a < d; a++)
        cj[a * d + a] += o->ridge * mean_var;
    }
}

/* Y_k = X R_k⁻ᵀ (Σ_k = R_k R_kᵀ), c_k = ‖y_{k,i}‖² + log det Σ_k; FALSE when a Σ_k is not
 * positive definite. */
static gboolean
whiten (const CsMatrix *xc,
        guint           k,
        const double   *cov,
        double         *y,
        double         *c,
        double         *logdet)
{
  gsize n = xc->rows;
  gsize d = xc->cols;
  g_autofree double *r = g_new (double, d * d);

  for (guint j = 0; j < k; j++)
    {
      double *yj = y + (gsize) j * n * d;
      double ld = 0.0;

      memcpy (r, cov + (gsize) j * d * d, d * d * sizeof (double));
      if (LAPACKE_dpotrf (LAPACK_ROW_MAJOR, 'L', (int) d, r, (int) d) != 0)
        return FALSE;
      for (gsize a = 0; a < d; a++)
        ld += 2.0 * log (r[a * d + a]);
      logdet[j] = ld;
      memcpy (yj, xc->data, n * d * sizeof (double));
      cblas_dtrsm (CblasRowMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, (int) n, (int) d, 1.0, r,
                   (int) d, yj, (int) d);
      for (gsize i = 0; i < n; i++)
        {
          double s = 0.0;
          for (gsize a = 0; a < d; a++)
            s += yj[i * d + a] * yj[i * d + a];
          c[(gsize) j * n + i] = s + ld;
        }
    }
  return TRUE;
}

/* Each row to the block with the largest (U_k U_kᵀ 1)_i; returns how many rows moved. */
static gsize
assign (const double *u,
        gsize         n,
        guint         k,
        guint         r,
        int          *labels)
{
  g_autofree double *a = g_new0 (double, (gsize) k * r);
  gsize moved = 0;

  for (guint j = 0; j < k; j++)
    for (gsize i = 0; i < n; i++)
      for (guint s = 0; s < r; s++)
        a[j * r + s] += u[((gsize) j * n + i) * r + s];
  for (gsize i = 0; i < n; i++)
    {
      int best = 0;
      double best_v = -INFINITY;
      for (guint j = 0; j < k; j++)
        {
          double v = 0.0;
          for (guint s = 0; s < r; s++)
            v += u[((gsize) j * n + i) * r + s] * a[j * r + s];
          if (v > best_v)
            {
              best_v = v;
              best = (int) j;
            }
        }
      moved += labels[i] != best;
      labels[i] = best;
    }
  return moved;
}

/* U_k = 1_{G_k} / √|G_k| in column 0 (Z_k = the partition's block), plus `noise` × a uniform
 * draw so that the solver can move away from it. */
static void
factor_of_partition (const int *labels,
                     gsize      n,
                     guint      k,
                     guint      r,
                     double     noise,
                     CsRng     *rng,
                     double    *u)
{
  g_autofree gsize *sizes = g_new0 (gsize, k);

  for (gsize i = 0; i < n; i++)
    sizes[labels[i]]++;
  for (guint j = 0; j < k; j++)
    for (gsize i = 0; i < n; i++)
      for (guint s = 0; s < r; s++)
        {
          double v = s == 0 && labels[i] == (int) j ? 1.0 / sqrt ((double) sizes[j]) : 0.0;
          if (noise > 0.0)
            v += noise * cs_rng_uniform (rng) / sqrt ((double) n);
          u[((gsize) j * n + i) * r + s] = v;
        }
}

gboolean
cs_ila_sdp_run (const CsMatrix     *x,
                const CsIlaOptions *o,
                CsProgress         *progress,
                CsClustering      **out,
                GError            **error)
{
  gsize n;
  gsize d;
  guint k;
  guint r;
  g_autoptr (CsMatrix) xc = NULL;
  g_autofree double *mean = NULL;
  g_autofree double *cov = NULL;
  g_autofree double *y = NULL;
  g_autofree double *cvec = NULL;
  g_autofree double *logdet = NULL;
  g_autofree double *u = NULL;
  g_autofree double *up = NULL;
  g_autofree int *labels = NULL;
  g_autofree const double **ys = NULL;
  g_autofree const double **cs = NULL;
  g_autofree gsize *ms = NULL;
  g_autofree double *traces = NULL;
  CsSdpReport *report;
  CsSdpLowrank p = { 0 };
  CsRng rng;
  CsClustering *c;
  guint outer;
  double ll = 0.0;

  g_return_val_if_fail (x != NULL && o != NULL && out != NULL, FALSE);
  n = x->rows;
  d = x->cols;
  k = o->k;
  if (k < 1 || k > n)
    {
      g_autofree char *rows = cs_format_count (n);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "iLA-SDP: k = %u clusters needs at least k rows; the data has %s", k, rows);
      return FALSE;
    }
  for (gsize i = 0; i < n * d; i++)
    if (!isfinite (x->data[i]))
      {
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "iLA-SDP: row %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
                     " is not a finite number; drop or impute missing values first",
                     i / d + 1, i % d + 1);
        return FALSE;
      }
  if (!cs_memory_check ((guint64) k * n * (d + 1 + 3 * MAX (o->rank, 2)) * sizeof (double),
                        "iLA-SDP (a whitened copy of the data and a factor per cluster)",
                        "reduce the columns (PCA) or k", error))
    return FALSE;
  r = o->rank ? o->rank : 2;
  xc = cs_matrix_copy (x);
  mean = g_new (double, d);
  cs_matrix_column_means (x, mean);
  for (gsize i = 0; i < n; i++)
    for (gsize a = 0; a < d; a++)
      xc->data[i * d + a] -= mean[a];

  labels = g_new (int, n);
  {
    CsKmeansOptions ko;
    g_autoptr (CsClustering) km = NULL;
    CsProgressRange range;
    g_autoptr (CsProgress) stage = cs_progress_stage_new (&range, progress, 0.0, 0.05);

    cs_kmeans_options_init (&ko);
    ko.k = k;
    ko.n_init = 10;
    ko.seed = o->seed;
    if (!cs_kmeans_run (xc, &ko, stage, NULL, &km, error))
      return FALSE;
    memcpy (labels, km->labels, n * sizeof (int));
  }

  cov = g_new (double, (gsize) k * d * d);
  y = g_new (double, (gsize) k * n * d);
  cvec = g_new (double, (gsize) k * n);
  logdet = g_new (double, k);
  u = g_new (double, (gsize) k * n * r);
  ys = g_new (const double *, k);
  cs = g_new (const double *, k);
  ms = g_new (gsize, k);
  traces = g_new (double, k);
  for (guint j = 0; j < k; j++)
    {
      ys[j] = y + (gsize) j * n * d;
      cs[j] = cvec + (gsize) j * n;
      ms[j] = d;
      traces[j] = 1.0;
    }
  p.n = n;
  p.blocks = k;
  p.r = r;
  p.y = ys;
  p.m = ms;
  p.c = cs;
  p.trace = traces;
  p.max_iter = o->max_iter;
  p.tol = o->tol;

  report = g_new0 (CsSdpReport, 1);
  report->solver = CS_SDP_LOWRANK;
  report->rank = r;
  report->blocks = k;
  report->dual_residual = NAN;
  cs_rng_init (&rng, o->seed);
  factor_of_partition (labels, n, k, r, 0.5, &rng, u);
  for (outer = 0; outer < MAX (o->max_outer, 1); outer++)
    {
      double lo = 0.05 + 0.9 * outer / MAX (o->max_outer, 1);
      double hi = 0.05 + 0.9 * (outer + 1) / MAX (o->max_outer, 1);
      guint its = 0;
      gsize moved;

      covariances (xc, labels, o, cov);
      if (!whiten (xc, k, cov, y, cvec, logdet))
        {
          g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
                       "iLA-SDP: a cluster covariance is not positive definite; raise ‘ridge’");
          cs_sdp_report_free (report);
          return FALSE;
        }
      if (!cs_i_sdp_lowrank_solve (&p, u, progress, lo, hi, &its, &report->primal_residual, &report->converged,
                                   error))
        {
          cs_sdp_report_free (report);
          return FALSE;
        }
      report->iterations += its;
      moved = assign (u, n, k, r, labels);
      if (moved == 0 && outer > 0)
        break;
    }
  /* Clusters that lost every row keep their number, empty; the objective and the picture
   * use the non-empty ones. */
  report->relaxed_objective = cs_i_sdp_lowrank_cost (&p, u);
  up = g_new (double, (gsize) k * n * r);
  factor_of_partition (labels, n, k, r, 0.0, NULL, up);
  report->rounded_objective = cs_i_sdp_lowrank_cost (&p, up);
  {
    /* Z = Σ_k U_k U_kᵀ = [U_1 … U_k][U_1 … U_k]ᵀ: the factors side by side. */
    g_autofree double *wide = g_new (double, n * k * r);
    for (gsize i = 0; i < n; i++)
      for (guint j = 0; j < k; j++)
        memcpy (wide + (i * k + j) * r, u + ((gsize) j * n + i) * r, r * sizeof (double));
    cs_i_sdp_report_from_factor (report, wide, n, (gsize) k * r, labels, k, o->tight_tol);
  }

  c = cs_clustering_new ("ila-sdp", n, d, k);
  memcpy (c->labels, labels, n * sizeof (int));
  c->centers = cs_matrix_new (k, d);
  {
    g_autofree gsize *sizes = g_new (gsize, k);
    cs_metric_cluster_means (x, labels, k, c->centers->data, sizes);
    covariances (xc, labels, o, cov);
    whiten (xc, k, cov, y, cvec, logdet);
    for (guint j = 0; j < k; j++)
      {
        /* (x − μ)ᵀ Σ⁻¹ (x − μ) = ‖y − ȳ‖² on the whitened rows y = R⁻¹ x. */
        g_autofree double *ybar = g_new0 (double, d);
        const double *yj = y + (gsize) j * n * d;
        if (sizes[j] == 0)
          continue;
        for (gsize i = 0; i < n; i++)
          if (labels[i] == (int) j)
            for (gsize a = 0; a < d; a++)
              ybar[a] += yj[i * d + a] / (double) sizes[j];
        for (gsize i = 0; i < n; i++)
          if (labels[i] == (int) j)
            {
              double q = 0.0;
              for (gsize a = 0; a < d; a++)
                q += (yj[i * d + a] - ybar[a]) * (yj[i * d + a] - ybar[a]);
              ll -= 0.5 * (q + logdet[j] + (double) d * log (2.0 * G_PI));
            }
      }
  }
  c->covariances = cs_matrix_new_from_data ((gsize) k * d, d, cov);
  c->objective = ll;
  c->objective_name = "log-likelihood";
  c->iterations = report->iterations;
  c->converged = report->converged;
  c->tight = report->tight ? 1 : 0;
  c->sdp = report;
  if (progress)
    cs_progress_report (progress, 1.0, "done");
  *out = c;
  return TRUE;
}

static const char *const covariance_choices[] = { "full", "identity", NULL };
static const char *const covariance_labels[] = { "Full (each cluster its own ellipse)",
                                                 "Identity (the Peng–Wei k-means SDP)", NULL };

static const CsParamSpec ila_params[] = {
  { .name = "k", .label = "Clusters (k)", .help = "How many clusters, each with its own covariance.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000, .default_num = 3 },
  { .name = "covariance", .label = "Covariance",
    .help = "Full: every cluster's shape is estimated; identity: all are round, which is SDP k-means.",
    .type = CS_PARAM_ENUM, .default_str = "full", .choices = covariance_choices,
    .choice_labels = covariance_labels },
  { .name = "ridge", .label = "Covariance ridge",
    .help = "Added to each cluster covariance's diagonal, as a fraction of the data's mean variance, so that a "
            "cluster never collapses.",
    .type = CS_PARAM_DOUBLE, .min = 1e-8, .max = 10, .default_num = 1e-2, .log_scale = TRUE, .advanced = TRUE },
  { .name = "rank", .label = "Factor rank",
    .help = "Columns of each cluster's low-rank factor U_k (Z_k = U_k U_kᵀ).", .type = CS_PARAM_INT, .min = 0,
    .max = 100, .default_num = 0, .advanced = TRUE, .zero_label = "Automatic" },
  { .name = "max_outer", .label = "Alternations",
    .help = "At most this many rounds of covariances then SDP.", .type = CS_PARAM_INT, .min = 1, .max = 1000,
    .default_num = 5, .advanced = TRUE },
  { .name = "max_iter", .label = "Maximum steps per SDP",
    .help = "Each SDP solve stops after this many gradient steps at the latest.", .type = CS_PARAM_INT, .min = 1,
    .max = 1000000, .default_num = 1000, .advanced = TRUE },
  { .name = "tol", .label = "Tolerance", .help = "Each SDP solve stops when ‖Σ Z_k 1 − 1‖ / √n falls below this.",
    .type = CS_PARAM_DOUBLE, .min = 1e-12, .max = 0.1, .default_num = 1e-5, .log_scale = TRUE, .advanced = TRUE },
  { .name = "tight_tol", .label = "Tightness tolerance",
    .help = "How close Σ Z_k must be to a partition's block matrix to count as tight.", .type = CS_PARAM_DOUBLE,
    .min = 1e-12, .max = 1, .default_num = 1e-3, .log_scale = TRUE, .advanced = TRUE },
  { .name = "seed", .label = "Random seed",
    .help = "Seeds the k-means start and the factors: the same seed gives the same clusters.", .type = CS_PARAM_INT,
    .min = 0, .max = 2147483647.0, .default_num = 0 },
};

static gboolean
ila_run_params (const CsMatrix *x,
                const CsParams *params,
                CsProgress     *progress,
                CsTrace        *trace,
                CsClustering  **out,
                GError        **error)
{
  CsIlaOptions o;

  cs_ila_options_init (&o);
  o.k = (guint) cs_params_get_int (params, "k");
  o.covariance = g_strcmp0 (cs_params_get_string (params, "covariance"), "identity") == 0 ? CS_ILA_IDENTITY
                                                                                           : CS_ILA_FULL;
  o.ridge = cs_params_get_double (params, "ridge");
  o.rank = (guint) cs_params_get_int (params, "rank");
  o.max_outer = (guint) cs_params_get_int (params, "max_outer");
  o.max_iter = (guint) cs_params_get_int (params, "max_iter");
  o.tol = cs_params_get_double (params, "tol");
  o.tight_tol = cs_params_get_double (params, "tight_tol");
  o.seed = (guint64) cs_params_get_int (params, "seed");
  return cs_ila_sdp_run (x, &o, progress, out, error);
}

const CsAlgorithm cs_algorithm_ila_sdp = {
  .id = "ila-sdp",
  .name = "iLA-SDP",
  .description = "A likelihood-adjusted SDP relaxation: one membership matrix and one covariance per cluster, no "
                 "centroids. Separates clusters of very different shapes that k-means cuts through.",
  .category = "Model",
  .objective = CS_OBJECTIVE_LOG_LIKELIHOOD,
  .params = ila_params,
  .n_params = G_N_ELEMENTS (ila_params),
  .run = ila_run_params,
};
