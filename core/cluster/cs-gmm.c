#include "core/cluster/cs-gmm.h"
#include "core/cluster/cs-trace.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-matrix-private.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-kmeans.h"

#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Rows per BLAS call. Fixed, like the chunks, so every sum is formed in the same order on any
 * thread count: each chunk keeps its own partial sums, reduced in chunk order. */
#define BLOCK_ROWS 256
/* Doubles the full-covariance partial sums may take (n_cov_chunks × k × d × d). */
#define COV_PARTIAL_DOUBLES ((gsize) 4 << 20)

typedef struct
{
  const CsMatrix *x;           /* Borrowed: the column-centred data */
  gsize           n;
  gsize           d;
  guint           k;
  CsGmmCovariance cov;
  double          reg;
  gboolean        dense;       /* full or tied: Cholesky factors; else per-axis variances */
  gsize           chunk_rows;  /* E-step, means and diagonal variances */
  gsize           n_chunks;
  gsize           cov_rows;    /* dense covariance partials: fewer, larger chunks (bounded memory) */
  gsize           n_cov;
  /* The current parameters. */
  double         *weights;     /* k */
  double         *means;       /* k × d */
  double         *covs;        /* dense: k × d × d; else k × d variances */
  double         *log_weights; /* k */
  double         *log_det;     /* k: −½ log det Σ_j */
  double         *prec;        /* dense: d × (k·d), the L_j⁻ᵀ side by side; else k × d: 1 / variance */
  double         *offs;        /* dense: k × d, μ_j L_j⁻ᵀ */
  double         *nk;          /* k */
  /* Per-row state and per-chunk partial sums. */
  double         *resp;        /* n × k */
  double         *chunk_ll;    /* n_chunks */
  double         *part_nk;     /* n_chunks × k */
  double         *part_sum;    /* n_chunks × k × d */
  double         *part_cov;    /* dense: n_cov × k × d × d; else n_chunks × k × d */
  const double   *shift;       /* Borrowed, d: the column means taken off x */
  CsProgress     *progress;    /* Borrowed, may be NULL */
  guint           restart;
  guint           n_runs;
  gboolean        par;
} Work;

void
cs_gmm_options_init (CsGmmOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  /* scikit-learn's GaussianMixture defaults. */
  options->k = 3;
  options->covariance = CS_GMM_FULL;
  options->init = CS_GMM_INIT_KMEANS;
  options->n_init = 1;
  options->max_iter = 100;
  options->tol = 1e-3;
  options->reg_covar = 1e-6;
  options->seed = 0;
}

guint64
cs_gmm_n_parameters (CsGmmCovariance covariance,
                     guint           k,
                     gsize           d)
{
  guint64 cov;

  switch (covariance)
    {
    case CS_GMM_FULL: cov = (guint64) k * d * (d + 1) / 2; break;
    case CS_GMM_TIED: cov = (guint64) d * (d + 1) / 2; break;
    case CS_GMM_DIAG: cov = (guint64) k * d; break;
    case CS_GMM_SPHERICAL:
    default: cov = k; break;
    }
  return cov + (guint64) k * d + (k - 1);
}

/* Log-densities of the rows of one block under every component, lp (nb × k), without the
 * weights. Dense: one dgemm of the block against every L_j⁻ᵀ at once. */
static void
log_density_block (Work   *w,
                   gsize   i0,
                   gsize   nb,
                   double *y,
                   double *lp)
{
  gsize k = w->k;
  gsize d = w->d;
  double c0 = (double) d * log (2.0 * G_PI);

  if (w->dense)
    {
      gsize kd = k * d;

      cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) nb, (int) kd, (int) d, 1.0,
                   cs_matrix_row (w->x, i0), (int) d, w->prec, (int) kd, 0.0, y, (int) kd);
      for (gsize r = 0; r < nb; r++)
        for (gsize j = 0; j < k; j++)
          {
            const double *yr = y + r * kd + j * d;
            const double *o = w->offs + j * d;
            double m = 0.0;

            for (gsize t = 0; t < d; t++)
              {
                double v = yr[t] - o[t];
                m += v * v;
              }
            lp[r * k + j] = w->log_det[j] - 0.5 * (c0 + m);
          }
    }
  else
    for (gsize r = 0; r < nb; r++)
      {
        const double *xi = cs_matrix_row (w->x, i0 + r);

        for (gsize j = 0; j < k; j++)
          {
            const double *mu = w->means + j * d;
            const double *p = w->prec + j * d;
            double m = 0.0;

            for (gsize t = 0; t < d; t++)
              {
                double v = xi[t] - mu[t];
                m += v * v * p[t];
              }
            lp[r * k + j] = w->log_det[j] - 0.5 * (c0 + m);
          }
      }
}

/* E-step: responsibilities and Σ_i ln p(x_i), the latter summed per chunk then in chunk order. */
static gboolean
e_step (Work    *w,
        double  *loglik,
        GError **error)
{
  gsize k = w->k;
  double total = 0.0;

#pragma omp parallel if (w->par)
  {
    double *y = w->dense ? g_new (double, (gsize) BLOCK_ROWS * k * w->d) : NULL;
    double *lp = g_new (double, (gsize) BLOCK_ROWS * k);

#pragma omp for schedule(dynamic, 1)
    for (gsize c = 0; c < w->n_chunks; c++)
      {
        gsize i_end = MIN ((c + 1) * w->chunk_rows, w->n);
        double ll = 0.0;

        for (gsize i0 = c * w->chunk_rows; i0 < i_end && !cs_progress_is_cancelled (w->progress); i0 += BLOCK_ROWS)
          {
            gsize nb = MIN (BLOCK_ROWS, i_end - i0);

            log_density_block (w, i0, nb, y, lp);
            for (gsize r = 0; r < nb; r++)
              {
                double *l = lp + r * k;
                double *resp = w->resp + (i0 + r) * k;
                double top = -INFINITY;
                double s = 0.0;
                double norm;

                for (gsize j = 0; j < k; j++)
                  {
                    l[j] += w->log_weights[j];
                    top = MAX (top, l[j]);
                  }
                for (gsize j = 0; j < k; j++)
                  {
                    l[j] = exp (l[j] - top);
                    s += l[j];
                  }
                norm = top + log (s);
                for (gsize j = 0; j < k; j++)
                  resp[j] = l[j] / s;
                ll += norm;
              }
          }
        w->chunk_ll[c] = ll;
      }
    g_free (y);
    g_free (lp);
  }
  if (!cs_progress_check (w->progress, error))
    return FALSE;
  for (gsize c = 0; c < w->n_chunks; c++)
    total += w->chunk_ll[c];
  if (!isfinite (total))
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_NUMERIC,
                           "The Gaussian mixture's log-likelihood is not finite; scale the data or increase "
                           "‘reg_covar’");
      return FALSE;
    }
  *loglik = total;
  return TRUE;
}

/* The Cholesky factor of each dense covariance, and what the E-step needs from it. */
static gboolean
factor_covariances (Work    *w,
                    GError **error)
{
  gsize k = w->k;
  gsize d = w->d;
  gsize kd = k * d;
  g_autofree double *a = g_new (double, d * d);

  for (guint j = 0; j < k; j++)
    {
      w->log_weights[j] = log (w->weights[j]);
      if (!w->dense)
        {
          double ld = 0.0;
          for (gsize t = 0; t < d; t++)
            {
              double v = w->covs[j * d + t];
              if (!(v > 0.0) || !isfinite (v))
                {
                  g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
                               "The variance of component %u along column %" G_GSIZE_FORMAT " is %g; increase "
                               "‘reg_covar’ (now %g) or choose fewer components",
                               j + 1, t + 1, v, w->reg);
                  return FALSE;
                }
              w->prec[j * d + t] = 1.0 / v;
              ld += log (v);
            }
          w->log_det[j] = -0.5 * ld;
          continue;
        }
      {
        lapack_int info;
        double ld = 0.0;

        memcpy (a, w->covs + (gsize) j * d * d, d * d * sizeof (double));
        info = LAPACKE_dpotrf (LAPACK_ROW_MAJOR, 'L', (lapack_int) d, a, (lapack_int) d);
        if (info == 0)
          info = LAPACKE_dtrtri (LAPACK_ROW_MAJOR, 'L', 'N', (lapack_int) d, a, (lapack_int) d);
        if (info != 0)
          {
            g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
                         "The covariance of component %u is not positive definite (a component collapsed onto "
                         "too few distinct rows); increase ‘reg_covar’ (now %g) or choose fewer components",
                         j + 1, w->reg);
            return FALSE;
          }
        /* a now holds L⁻¹ (lower); the E-step multiplies rows by U = L⁻ᵀ: U[s][t] = L⁻¹[t][s]. */
        for (gsize s = 0; s < d; s++)
          for (gsize t = 0; t < d; t++)
            w->prec[s * kd + j * d + t] = t >= s ? a[t * d + s] : 0.0;
        for (gsize t = 0; t < d; t++)
          ld += log (a[t * d + t]);
        w->log_det[j] = ld;
        for (gsize t = 0; t < d; t++)
          {
            double o = 0.0;
            for (gsize s = 0; s <= t; s++)
              o += w->means[j * d + s] * w->prec[s * kd + j * d + t];
            w->offs[j * d + t] = o;
          }
      }
    }
  return TRUE;
}

/* Σ_i r_ij and Σ_i r_ij x_i per chunk (one dgemm Rᵀ X per block). */
static void
accumulate_means (Work *w)
{
  gsize k = w->k;
  gsize d = w->d;

#pragma omp parallel for schedule(dynamic, 1) if (w->par)
  for (gsize c = 0; c < w->n_chunks; c++)
    {
      gsize i_end = MIN ((c + 1) * w->chunk_rows, w->n);
      double *nk = w->part_nk + c * k;
      double *sums = w->part_sum + c * k * d;

      memset (nk, 0, k * sizeof (double));
      memset (sums, 0, k * d * sizeof (double));
      for (gsize i0 = c * w->chunk_rows; i0 < i_end && !cs_progress_is_cancelled (w->progress); i0 += BLOCK_ROWS)
        {
          gsize nb = MIN (BLOCK_ROWS, i_end - i0);
          const double *r = w->resp + i0 * k;

          cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) k, (int) d, (int) nb, 1.0, r, (int) k,
                       cs_matrix_row (w->x, i0), (int) d, 1.0, sums, (int) d);
          for (gsize t = 0; t < nb; t++)
            for (gsize j = 0; j < k; j++)
              nk[j] += r[t * k + j];
        }
    }
}

/* Σ_i r_ij (x_i − μ_j)(x_i − μ_j)ᵀ (upper triangle) per covariance chunk and component, one
 * dsyrk per block of rows scaled by √r_ij. */
static void
accumulate_dense_covariances (Work *w)
{
  gsize k = w->k;
  gsize d = w->d;

#pragma omp parallel if (w->par)
  {
    double *wb = g_new (double, (gsize) BLOCK_ROWS * d);

#pragma omp for schedule(dynamic, 1)
    for (gsize e = 0; e < w->n_cov * k; e++)
      {
        gsize cc = e / k;
        gsize j = e % k;
        gsize i_end = MIN ((cc + 1) * w->cov_rows, w->n);
        double *s = w->part_cov + e * d * d;
        const double *mu = w->means + j * d;

        memset (s, 0, d * d * sizeof (double));
        for (gsize i0 = cc * w->cov_rows; i0 < i_end && !cs_progress_is_cancelled (w->progress); i0 += BLOCK_ROWS)
          {
            gsize nb = MIN (BLOCK_ROWS, i_end - i0);

            for (gsize r = 0; r < nb; r++)
              {
                const double *xi = cs_matrix_row (w->x, i0 + r);
                double sr = sqrt (w->resp[(i0 + r) * k + j]);

                for (gsize t = 0; t < d; t++)
                  wb[r * d + t] = sr * (xi[t] - mu[t]);
              }
            cblas_dsyrk (CblasRowMajor, CblasUpper, CblasTrans, (int) d, (int) nb, 1.0, wb, (int) d, 1.0, s,
                         (int) d);
          }
      }
    g_free (wb);
  }
}

/* Σ_i r_ij (x_it − μ_jt)² per chunk. */
static void
accumulate_variances (Work *w)
{
  gsize k = w->k;
  gsize d = w->d;

#pragma omp parallel for schedule(dynamic, 1) if (w->par)
  for (gsize c = 0; c < w->n_chunks; c++)
    {
      gsize i_end = MIN ((c + 1) * w->chunk_rows, w->n);
      double *s = w->part_cov + c * k * d;

      memset (s, 0, k * d * sizeof (double));
      for (gsize i = c * w->chunk_rows; i < i_end; i++)
        {
          const double *xi = cs_matrix_row (w->x, i);

          if ((i & (BLOCK_ROWS - 1)) == 0 && cs_progress_is_cancelled (w->progress))
            break;
          for (gsize j = 0; j < k; j++)
            {
              double r = w->resp[i * k + j];
              const double *mu = w->means + j * d;
              double *sj = s + j * d;

              for (gsize t = 0; t < d; t++)
                {
                  double v = xi[t] - mu[t];
                  sj[t] += r * v * v;
                }
            }
        }
    }
}

/* M-step from the responsibilities, then the factors the next E-step needs. */
static gboolean
m_step (Work    *w,
        GError **error)
{
  gsize k = w->k;
  gsize d = w->d;
  double total = 0.0;

  accumulate_means (w);
  if (!cs_progress_check (w->progress, error))
    return FALSE;
  for (gsize j = 0; j < k; j++)
    {
      double s = 0.0;
      for (gsize c = 0; c < w->n_chunks; c++)
        s += w->part_nk[c * k + j];
      /* scikit-learn's 10 ε: an empty component keeps a finite mean (of nothing: 0, the data's centre). */
      w->nk[j] = s + 10.0 * DBL_EPSILON;
      total += w->nk[j];
    }
  for (gsize j = 0; j < k; j++)
    {
      w->weights[j] = w->nk[j] / total;
      for (gsize t = 0; t < d; t++)
        {
          double s = 0.0;
          for (gsize c = 0; c < w->n_chunks; c++)
            s += w->part_sum[(c * k + j) * d + t];
          w->means[j * d + t] = s / w->nk[j];
        }
    }

  if (w->dense)
    {
      gsize dd = d * d;
      g_autofree double *tied = w->cov == CS_GMM_TIED ? g_new0 (double, dd) : NULL;

      accumulate_dense_covariances (w);
      if (!cs_progress_check (w->progress, error))
        return FALSE;
      for (gsize j = 0; j < k; j++)
        {
          double *cj = w->covs + j * dd;

          for (gsize s = 0; s < d; s++)
            for (gsize t = s; t < d; t++)
              {
                double v = 0.0;
                for (gsize cc = 0; cc < w->n_cov; cc++)
                  v += w->part_cov[(cc * k + j) * dd + s * d + t];
                if (tied)
                  tied[s * d + t] += v;
                else
                  cj[s * d + t] = cj[t * d + s] = v / w->nk[j] + (s == t ? w->reg : 0.0);
              }
        }
      if (tied)
        for (gsize j = 0; j < k; j++)
          for (gsize s = 0; s < d; s++)
            for (gsize t = s; t < d; t++)
              {
                double v = tied[s * d + t] / total + (s == t ? w->reg : 0.0);
                w->covs[j * dd + s * d + t] = w->covs[j * dd + t * d + s] = v;
              }
    }
  else
    {
      accumulate_variances (w);
      if (!cs_progress_check (w->progress, error))
        return FALSE;
      for (gsize j = 0; j < k; j++)
        {
          double mean_var = 0.0;

          for (gsize t = 0; t < d; t++)
            {
              double v = 0.0;
              for (gsize c = 0; c < w->n_chunks; c++)
                v += w->part_cov[(c * k + j) * d + t];
              w->covs[j * d + t] = v / w->nk[j] + w->reg;
              mean_var += w->covs[j * d + t];
            }
          if (w->cov == CS_GMM_SPHERICAL)
            for (gsize t = 0; t < d; t++)
              w->covs[j * d + t] = mean_var / (double) d;
        }
    }
  return factor_covariances (w, error);
}

static void
hard_labels (const Work *w,
             int        *labels)
{
  for (gsize i = 0; i < w->n; i++)
    {
      const double *r = w->resp + i * w->k;
      int arg = 0;

      for (guint j = 1; j < w->k; j++)
        if (r[j] > r[arg])
          arg = (int) j;
      labels[i] = arg;
    }
}

/* One E- or M-step of playback: the current parameters (means in the data's coordinates,
 * covariances as full matrices whatever the model), the hard labels, and after an E-step the
 * responsibilities that colour the points. An M-step's log-likelihood is not known until the
 * next E-step: NaN. */
static void
trace_step (Work           *w,
            CsTrace        *trace,
            CsTraceStepKind kind,
            guint           iteration,
            int            *labels,
            int            *previous,
            double          loglik,
            const char     *note)
{
  g_autoptr (CsMatrix) centers = cs_matrix_new (w->k, w->d);
  g_autoptr (CsMatrix) covariances = cs_matrix_new ((gsize) w->k * w->d, w->d);
  gsize changed = 0;
  gsize d = w->d;
  CsTraceStep *step;

  hard_labels (w, labels);
  for (gsize i = 0; i < w->n; i++)
    {
      changed += labels[i] != previous[i];
      previous[i] = labels[i];
    }
  for (gsize e = 0; e < (gsize) w->k * d; e++)
    centers->data[e] = w->means[e] + w->shift[e % d];
  for (guint j = 0; j < w->k; j++)
    for (gsize s = 0; s < d; s++)
      for (gsize t = 0; t < d; t++)
        covariances->data[((gsize) j * d + s) * d + t]
            = w->dense ? w->covs[(gsize) j * d * d + s * d + t] : s == t ? w->covs[j * d + t] : 0.0;
  step = cs_trace_push (trace, kind, iteration, labels, w->n, w->k, loglik, changed, note);
  cs_trace_step_set_centers (step, centers);
  cs_trace_step_set_mixture (step, covariances, w->weights, w->k);
  if (kind == CS_TRACE_STEP_E)
    cs_trace_step_set_responsibilities (step, w->resp, w->n, w->k);
}

static double
restart_fraction (const Work *w,
                  double      f)
{
  return ((double) w->restart + CLAMP (f, 0.0, 1.0)) / MAX (w->n_runs, 1);
}

static void
restart_stage (const Work *w,
               char       *buf,
               gsize       size,
               const char *what)
{
  if (w->n_runs > 1)
    g_snprintf (buf, size, "restart %u of %u: %s", w->restart + 1, w->n_runs, what);
  else
    g_snprintf (buf, size, "%s", what);
}

typedef struct
{
  guint    iterations;
  gboolean converged;
  double   loglik;
} RunOutcome;

/* One EM run from hard labels, scikit-learn's loop: E-step (its log-likelihood is that of the
 * parameters it used), M-step, stop when the mean log-likelihood moved by less than tol; then
 * a final E-step so that everything returned belongs to the returned parameters. */
static gboolean
run_once (Work               *w,
          const CsGmmOptions *opt,
          const int          *start,
          CsTrace            *trace,
          RunOutcome         *outcome,
          GError            **error)
{
  gsize k = w->k;
  double prev = -INFINITY;
  double ll = 0.0;
  g_autofree int *labels = trace ? g_new (int, w->n) : NULL;
  g_autofree int *previous = trace ? g_memdup2 (start, w->n * sizeof (int)) : NULL;

  memset (outcome, 0, sizeof *outcome);
  memset (w->resp, 0, w->n * k * sizeof (double));
  for (gsize i = 0; i < w->n; i++)
    w->resp[i * k + start[i]] = 1.0;
  if (!m_step (w, error))
    return FALSE;
  if (trace != NULL
      && cs_trace_plan (trace, w->n, w->k, w->d,
                        CS_TRACE_RECORDS_LABELS | CS_TRACE_RECORDS_CENTERS | CS_TRACE_RECORDS_COVARIANCES
                            | CS_TRACE_RECORDS_RESPONSIBILITIES))
    trace_step (w, trace, CS_TRACE_STEP_INIT, 0, labels, previous, NAN, "initial parameters, from the starting labels");

  for (guint it = 0; it < opt->max_iter; it++)
    {
      double change;
      char stage[96];
      g_autofree char *what = NULL;

      if (!e_step (w, &ll, error))
        return FALSE;
      if (trace)
        trace_step (w, trace, CS_TRACE_STEP_E, it, labels, previous, ll,
                    it == 0 ? "responsibilities under the initial parameters" : "responsibilities updated");
      if (!m_step (w, error))
        return FALSE;
      if (trace)
        trace_step (w, trace, CS_TRACE_STEP_M, it + 1, labels, previous, NAN,
                    "weights, means and covariances re-estimated");
      outcome->iterations = it + 1;
      change = ll / (double) w->n - prev;
      prev = ll / (double) w->n;

      what = g_strdup_printf ("EM step %u", it + 1);
      restart_stage (w, stage, sizeof stage, what);
      if (!cs_progress_report (w->progress, restart_fraction (w, 0.1 + 0.9 * (1.0 - pow (0.9, it + 1))), stage))
        return cs_progress_check (w->progress, error);
      if (fabs (change) < opt->tol)
        {
          outcome->converged = TRUE;
          break;
        }
    }
  if (!e_step (w, &ll, error))
    return FALSE;
  if (trace)
    trace_step (w, trace, CS_TRACE_STEP_E, outcome->iterations, labels, previous, ll,
                "responsibilities under the final parameters");
  outcome->loglik = ll;
  return TRUE;
}

/* Hard labels to start restart `r` from: one k-means run, its progress inside the first tenth
 * of the restart's slice. */
static gboolean
initial_labels (Work               *w,
                const CsMatrix     *x,
                const CsGmmOptions *opt,
                guint               r,
                int                *labels,
                GError            **error)
{
  CsKmeansOptions ko;
  CsProgressRange range;
  g_autoptr (CsProgress) stage = NULL;
  g_autoptr (CsClustering) km = NULL;
  CsRng rng;

  cs_rng_init_stream (&rng, opt->seed, r);
  cs_kmeans_options_init (&ko);
  ko.k = opt->k;
  ko.init = CS_KMEANS_INIT_PLUSPLUS;
  ko.n_init = 1;
  ko.max_iter = opt->init == CS_GMM_INIT_PLUSPLUS ? 1 : 300;
  ko.seed = cs_rng_next (&rng);
  stage = cs_progress_stage_new (&range, w->progress, restart_fraction (w, 0.0), restart_fraction (w, 0.1));
  if (!cs_kmeans_run (x, &ko, stage, NULL, &km, error))
    return FALSE;
  memcpy (labels, km->labels, w->n * sizeof (int));
  return cs_progress_check (w->progress, error);
}

gboolean
cs_gmm_run (const CsMatrix     *x,
            const CsGmmOptions *options,
            CsProgress         *progress,
            CsTrace            *trace,
            CsClustering      **out,
            GError            **error)
{
  gsize n;
  gsize d;
  guint k;
  guint n_runs;
  Work w = { 0 };
  g_autoptr (CsMatrix) xc = NULL;
  g_autofree double *shift = NULL;
  g_autofree int *start = NULL;
  g_autofree double *best_resp = NULL;
  g_autofree double *best_weights = NULL;
  g_autofree double *best_means = NULL;
  g_autofree double *best_covs = NULL;
  g_autoptr (CsTrace) best_trace = NULL;
  g_autoptr (CsClustering) result = NULL;
  RunOutcome best = { 0, FALSE, -INFINITY };
  gboolean have_best = FALSE;
  gboolean ok = FALSE;
  gsize cov_len;
  guint64 bytes;
  int saved = 0;

  g_return_val_if_fail (x != NULL && options != NULL && out != NULL, FALSE);
  n = x->rows;
  d = x->cols;
  k = options->k;

  if (n == 0 || d == 0)
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "A Gaussian mixture needs at least one row and one column of data");
      return FALSE;
    }
  if (k < 1)
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_PARAMETER,
                           "Parameter ‘k’: k = 0; ask for at least one component");
      return FALSE;
    }
  if (options->max_iter < 1 || (options->n_init < 1 && options->initial_labels == NULL))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameters ‘max_iter’ (%u) and ‘n_init’ (%u) must be at least 1", options->max_iter,
                   options->n_init);
      return FALSE;
    }
  if (!(options->tol >= 0.0) || !isfinite (options->tol))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "Parameter ‘tol’: %g is not a tolerance >= 0", options->tol);
      return FALSE;
    }
  if (!(options->reg_covar >= 0.0) || !isfinite (options->reg_covar))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "Parameter ‘reg_covar’: %g is not a variance >= 0",
                   options->reg_covar);
      return FALSE;
    }
  if ((guint) options->covariance > CS_GMM_SPHERICAL)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "Parameter ‘covariance’: unknown type %d",
                   (int) options->covariance);
      return FALSE;
    }
  if (k > n)
    {
      g_autofree char *rows = cs_format_count (n);
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameter ‘k’: %u components need at least %u rows, but the data has %s; choose k <= %s", k, k,
                   rows, rows);
      return FALSE;
    }
  for (gsize i = 0; i < n * d; i++)
    if (!isfinite (x->data[i]))
      {
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "A Gaussian mixture needs finite values, but row %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
                     " is %s; drop or impute missing values first",
                     i / d + 1, i % d + 1, isnan (x->data[i]) ? "NaN" : "infinite");
        return FALSE;
      }
  if (options->initial_labels)
    for (gsize i = 0; i < n; i++)
      if (options->initial_labels[i] < 0 || options->initial_labels[i] >= (int) k)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "Initial label %d of row %" G_GSIZE_FORMAT " is not a component in 0 … %u",
                       options->initial_labels[i], i + 1, k - 1);
          return FALSE;
        }

  w.n = n;
  w.d = d;
  w.k = k;
  w.cov = options->covariance;
  w.reg = options->reg_covar;
  w.dense = w.cov == CS_GMM_FULL || w.cov == CS_GMM_TIED;
  w.chunk_rows = MAX ((gsize) 8 * k, (gsize) 2 * BLOCK_ROWS);
  w.chunk_rows = (w.chunk_rows + BLOCK_ROWS - 1) / BLOCK_ROWS * BLOCK_ROWS;
  w.n_chunks = (n + w.chunk_rows - 1) / w.chunk_rows;
  if (w.dense)
    {
      gsize most = MAX (COV_PARTIAL_DOUBLES / ((gsize) k * d * d), 1);

      w.n_cov = MIN (w.n_chunks, most);
      w.cov_rows = (n + w.n_cov - 1) / w.n_cov;
      w.cov_rows = (w.cov_rows + BLOCK_ROWS - 1) / BLOCK_ROWS * BLOCK_ROWS;
      w.n_cov = (n + w.cov_rows - 1) / w.cov_rows;
    }
  cov_len = w.dense ? (gsize) k * d * d : (gsize) k * d;

  /* Everything that grows with n, k or d, counted before any of it is allocated: the centred
   * copy, two n × k responsibility tables (the run's and the best restart's), the start labels,
   * the partial sums and the per-thread blocks. */
  bytes = ((guint64) n * d + 2 * (guint64) n * k + (guint64) w.n_chunks * k * (d + 1)
           + (w.dense ? (guint64) w.n_cov * cov_len + (guint64) d * k * d : (guint64) w.n_chunks * cov_len)
           + 3 * (guint64) cov_len + (guint64) BLOCK_ROWS * k * (d + 1) * g_get_num_processors ())
          * sizeof (double) + (guint64) n * sizeof (int) * 2;
  if (!cs_memory_check (bytes, "Gaussian mixture's working memory",
                        w.dense ? "use fewer rows, fewer components, or covariance=diag" : "use fewer rows or components",
                        error))
    return FALSE;

  xc = cs_matrix_try_new (n, d, "centred copy of the data", error);
  if (xc == NULL)
    return FALSE;
  shift = g_new0 (double, d);
  cs_matrix_column_means (x, shift);
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < d; j++)
      xc->data[i * d + j] = x->data[i * d + j] - shift[j];

  w.x = xc;
  w.shift = shift;
  w.progress = progress;
  w.par = (double) n * k * d * (w.dense ? d : 1) >= 1e6;
  w.weights = g_new (double, k);
  w.means = g_new (double, (gsize) k * d);
  w.covs = g_new (double, cov_len);
  w.log_weights = g_new (double, k);
  w.log_det = g_new (double, k);
  w.prec = g_new (double, w.dense ? d * k * d : (gsize) k * d);
  w.offs = g_new (double, (gsize) k * d);
  w.nk = g_new (double, k);
  w.resp = g_try_new (double, n * k);
  w.chunk_ll = g_new (double, w.n_chunks);
  w.part_nk = g_new (double, w.n_chunks * k);
  w.part_sum = g_new (double, w.n_chunks * k * d);
  w.part_cov = g_try_new (double, w.dense ? w.n_cov * cov_len : w.n_chunks * cov_len);
  best_resp = g_try_new (double, n * k);
  start = g_try_new (int, n);
  if (w.resp == NULL || w.part_cov == NULL || best_resp == NULL || start == NULL)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "Out of memory for a Gaussian mixture on %" G_GSIZE_FORMAT
                   " rows", n);
      goto out;
    }
  best_weights = g_new (double, k);
  best_means = g_new (double, (gsize) k * d);
  best_covs = g_new (double, cov_len);

  /* LAPACK's factorisations split their sums by OpenBLAS's thread count; the parallelism is
   * OpenMP's, over fixed chunks. */
  saved = cs_i_blas_single_begin (0, TRUE);
  n_runs = options->initial_labels ? 1 : options->n_init;
  for (guint r = 0; r < n_runs; r++)
    {
      RunOutcome outcome;
      g_autoptr (CsTrace) run_trace = cs_trace_new_like (trace);

      w.restart = r;
      w.n_runs = n_runs;
      if (options->initial_labels)
        memcpy (start, options->initial_labels, n * sizeof (int));
      else if (!initial_labels (&w, x, options, r, start, error))
        goto out;
      if (!run_once (&w, options, start, run_trace, &outcome, error))
        goto out;
      if (!have_best || outcome.loglik > best.loglik)
        {
          double *tmp = best_resp;

          have_best = TRUE;
          best = outcome;
          best_resp = w.resp;
          w.resp = tmp;
          memcpy (best_weights, w.weights, k * sizeof (double));
          memcpy (best_means, w.means, (gsize) k * d * sizeof (double));
          memcpy (best_covs, w.covs, cov_len * sizeof (double));
          g_clear_pointer (&best_trace, cs_trace_free);
          best_trace = g_steal_pointer (&run_trace);
        }
    }

  result = cs_clustering_new ("gmm", n, d, k);
  result->centers = cs_matrix_new (k, d);
  result->covariances = cs_matrix_new ((gsize) k * d, d);
  result->weights = g_steal_pointer (&best_weights);
  result->responsibilities = cs_matrix_new_from_data (n, k, best_resp);
  result->uncertainty = g_new (double, n);
  {
    double top_log_sum = 0.0;
    guint64 p = cs_gmm_n_parameters (w.cov, k, d);

    for (gsize i = 0; i < n; i++)
      {
        const double *ri = best_resp + i * k;
        int arg = 0;

        for (guint j = 1; j < k; j++)
          if (ri[j] > ri[arg])
            arg = (int) j;
        result->labels[i] = arg;
        result->uncertainty[i] = 1.0 - ri[arg];
        top_log_sum += log (ri[arg]);
      }
    result->loglik = best.loglik;
    result->bic = -2.0 * best.loglik + (double) p * log ((double) n);
    result->icl = result->bic - 2.0 * top_log_sum;
  }
  for (guint j = 0; j < k; j++)
    {
      for (gsize t = 0; t < d; t++)
        result->centers->data[j * d + t] = best_means[j * d + t] + shift[t];
      for (gsize s = 0; s < d; s++)
        for (gsize t = 0; t < d; t++)
          {
            double v;

            if (w.dense)
              v = best_covs[(gsize) j * d * d + s * d + t];
            else
              v = s == t ? best_covs[j * d + t] : 0.0;
            result->covariances->data[((gsize) j * d + s) * d + t] = v;
          }
    }
  result->objective = best.loglik;
  result->objective_name = "log-likelihood";
  result->objective_kind = CS_OBJECTIVE_LOG_LIKELIHOOD;
  result->iterations = best.iterations;
  result->converged = best.converged;

  cs_trace_adopt (trace, best_trace);
  cs_progress_report (progress, 1.0, "done");
  *out = g_steal_pointer (&result);
  ok = TRUE;

out:
  cs_i_blas_single_end (saved);
  g_free (w.weights);
  g_free (w.means);
  g_free (w.covs);
  g_free (w.log_weights);
  g_free (w.log_det);
  g_free (w.prec);
  g_free (w.offs);
  g_free (w.nk);
  g_free (w.resp);
  g_free (w.chunk_ll);
  g_free (w.part_nk);
  g_free (w.part_sum);
  g_free (w.part_cov);
  return ok;
}

static const char *const covariance_choices[] = { "full", "tied", "diag", "spherical", NULL };
static const char *const covariance_labels[] = { "Full (any ellipse per component)",
                                                 "Tied (one ellipse shared by all)",
                                                 "Diagonal (axis-aligned ellipses)", "Spherical (circles)", NULL };
static const char *const init_choices[] = { "kmeans", "k-means++", NULL };
static const char *const init_labels[] = { "k-means (run to convergence)", "k-means++ seeds (one step)", NULL };

static const CsParamSpec gmm_params[] = {
  { .name = "k", .label = "Components (k)", .help = "How many Gaussian components (clusters) to fit.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000, .default_num = 3 },
  { .name = "covariance", .label = "Covariance",
    .help = "The shape each component may take: any ellipse, one ellipse shared by all, axis-aligned ellipses, "
            "or circles.",
    .type = CS_PARAM_ENUM, .default_str = "full", .choices = covariance_choices,
    .choice_labels = covariance_labels },
  { .name = "init", .label = "Initialisation",
    .help = "Where EM starts: the clusters of a k-means run, or k-means++ seeds after one k-means step.",
    .type = CS_PARAM_ENUM, .default_str = "kmeans", .choices = init_choices, .choice_labels = init_labels,
    .advanced = TRUE },
  { .name = "n_init", .label = "Restarts",
    .help = "How many runs from different starts; the one with the highest log-likelihood is kept.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000, .default_num = 1, .advanced = TRUE },
  { .name = "max_iter", .label = "Maximum EM steps", .help = "Each run stops after this many EM steps at the latest.",
    .type = CS_PARAM_INT, .min = 1, .max = 100000, .default_num = 100, .advanced = TRUE },
  { .name = "tol", .label = "Tolerance",
    .help = "A run stops when the mean log-likelihood per row changes by less than this.",
    .type = CS_PARAM_DOUBLE, .min = 0, .max = 1, .default_num = 1e-3, .log_scale = TRUE, .advanced = TRUE },
  { .name = "reg_covar", .label = "Covariance floor",
    .help = "Added to every variance so that no component collapses onto a single point.",
    .type = CS_PARAM_DOUBLE, .min = 0, .max = 1, .default_num = 1e-6, .log_scale = TRUE, .advanced = TRUE },
  { .name = "seed", .label = "Random seed",
    .help = "The same seed gives the same mixture on any machine and any number of threads.",
    .type = CS_PARAM_INT, .min = 0, .max = 2147483647.0, .default_num = 0 },
};

static gboolean
gmm_run_params (const CsMatrix *x,
                const CsParams *params,
                CsProgress     *progress,
                CsTrace        *trace,
                CsClustering  **out,
                GError        **error)
{
  CsGmmOptions o;
  const char *cov = cs_params_get_string (params, "covariance");

  cs_gmm_options_init (&o);
  o.k = (guint) cs_params_get_int (params, "k");
  o.covariance = g_strcmp0 (cov, "tied") == 0        ? CS_GMM_TIED
                 : g_strcmp0 (cov, "diag") == 0      ? CS_GMM_DIAG
                 : g_strcmp0 (cov, "spherical") == 0 ? CS_GMM_SPHERICAL
                                                     : CS_GMM_FULL;
  o.init = g_strcmp0 (cs_params_get_string (params, "init"), "k-means++") == 0 ? CS_GMM_INIT_PLUSPLUS
                                                                                : CS_GMM_INIT_KMEANS;
  o.n_init = (guint) cs_params_get_int (params, "n_init");
  o.max_iter = (guint) cs_params_get_int (params, "max_iter");
  o.tol = cs_params_get_double (params, "tol");
  o.reg_covar = cs_params_get_double (params, "reg_covar");
  o.seed = (guint64) cs_params_get_int (params, "seed");
  return cs_gmm_run (x, &o, progress, trace, out, error);
}

const CsAlgorithm cs_algorithm_gmm = {
  .id = "gmm",
  .name = "Gaussian mixture",
  .description = "Fits k Gaussian components by expectation–maximisation: soft memberships, each cluster its "
                 "own shape and size; BIC and ICL compare models. Best for elliptical clusters of "
                 "different spreads.",
  .category = "Model",
  .objective = CS_OBJECTIVE_LOG_LIKELIHOOD,
  .params = gmm_params,
  .n_params = G_N_ELEMENTS (gmm_params),
  .run = gmm_run_params,
};
