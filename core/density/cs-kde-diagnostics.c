#include "core/density/cs-kde-diagnostics.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-rng.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Work per distance block, in kernel evaluations: about 10 ms, so cancel stays prompt. */
#define BLOCK_WORK 2000000.0
#define BLOCK_BYTES (64.0 * 1024 * 1024)

void
cs_kde_diag_options_init (CsKdeDiagOptions *options)
{
  memset (options, 0, sizeof *options);
  options->n_h = 60;
  options->max_queries = 2000;
  options->max_work = 3e9;
  options->seed = 1;
}

CsKdeDiagnostics *
cs_kde_diagnostics_ref (CsKdeDiagnostics *diag)
{
  g_atomic_ref_count_inc (&diag->ref);
  return diag;
}

void
cs_kde_diagnostics_unref (CsKdeDiagnostics *diag)
{
  if (diag == NULL || !g_atomic_ref_count_dec (&diag->ref))
    return;
  g_free (diag->h);
  g_free (diag->loo_ll);
  g_free (diag->n_eff);
  g_free (diag);
}

const char *
cs_kde_regime_name (CsKdeRegime regime)
{
  switch (regime)
    {
    case CS_KDE_REGIME_CONDENSED:
      return "extreme-value";
    case CS_KDE_REGIME_HEAVY_TAILED:
      return "heavy-tailed";
    case CS_KDE_REGIME_CLT:
    default:
      return "CLT";
    }
}

CsKdeRegime
cs_kde_diagnostics_regime (const CsKdeDiagnostics *diag,
                           double                  h)
{
  if (h < diag->h_g)
    return CS_KDE_REGIME_CONDENSED;
  if (h < diag->h_clt)
    return CS_KDE_REGIME_HEAVY_TAILED;
  return CS_KDE_REGIME_CLT;
}

double
cs_kde_diagnostics_n_eff_at (const CsKdeDiagnostics *diag,
                             double                  h)
{
  guint k;

  if (!(h >= diag->h[0] && h <= diag->h[diag->n_h - 1]))
    return NAN;
  for (k = 1; k < diag->n_h - 1 && diag->h[k] < h; k++)
    ;
  {
    double t = (log (h) - log (diag->h[k - 1])) / (log (diag->h[k]) - log (diag->h[k - 1]));
    return exp ((1.0 - t) * log (diag->n_eff[k - 1]) + t * log (diag->n_eff[k]));
  }
}

/* J(β) of the header: the large-deviation cost of the saddle that dominates E[exp(−β u)].
 * Increasing in β (each term's derivative is λ(a + 2)(a − 1)/(2a³) ≥ 0 with a = 1 + 2βλ). */
static double
saddle_cost (const double *lambda,
             gsize         d,
             double        beta)
{
  double s = 0.0;

  for (gsize k = 0; k < d; k++)
    {
      double a = 1.0 + 2.0 * beta * lambda[k];
      s += 0.5 * log (a) - beta * lambda[k] / (a * a);
    }
  return s;
}

gboolean
cs_kde_regime_thresholds (const double *eigenvalues,
                          gsize         d,
                          double        n,
                          double       *h_g,
                          double       *h_clt,
                          GError      **error)
{
  double log_n;
  double lo;
  double hi;
  double total = 0.0;

  for (gsize k = 0; k < d; k++)
    total += MAX (eigenvalues[k], 0.0);
  if (!(n >= 2.0) || !(total > 0.0))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "KDE regime thresholds need at least 2 points and data with some variance (got n = %g)", n);
      return FALSE;
    }
  log_n = log (n);

  /* Bracket β_G in log space, then bisect: J is monotone, so this cannot miss the root. */
  lo = hi = 1.0 / (total / (double) d);
  while (saddle_cost (eigenvalues, d, hi) < log_n)
    hi *= 2.0;
  while (saddle_cost (eigenvalues, d, lo) > log_n)
    lo *= 0.5;
  for (int it = 0; it < 200 && hi / lo > 1.0 + 1e-15; it++)
    {
      double mid = sqrt (lo * hi);
      if (saddle_cost (eigenvalues, d, mid) < log_n)
        lo = mid;
      else
        hi = mid;
    }
  *h_g = 1.0 / sqrt (2.0 * sqrt (lo * hi));
  /* The second moment's saddle sits at 2β, so its threshold is at half the β. */
  *h_clt = G_SQRT2 * *h_g;
  return TRUE;
}

/* Population covariance eigenvalues of x (centred copy `xc` given). */
static gboolean
covariance_eigenvalues (const CsMatrix *xc,
                        double         *w,
                        GError        **error)
{
  gsize n = xc->rows;
  gsize d = xc->cols;
  g_autofree double *c = g_new0 (double, d * d);
  lapack_int info;

  cblas_dsyrk (CblasRowMajor, CblasUpper, CblasTrans, (int) d, (int) n, 1.0 / (double) n, xc->data, (int) d, 0.0, c,
               (int) d);
  info = LAPACKE_dsyev (LAPACK_ROW_MAJOR, 'N', 'U', (lapack_int) d, c, (lapack_int) d, w);
  if (info != 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
                   "The covariance eigenvalues for the KDE regime thresholds did not converge (LAPACK info %d)",
                   (int) info);
      return FALSE;
    }
  for (gsize k = 0; k < d; k++)
    w[k] = MAX (w[k], 0.0);
  return TRUE;
}

/* One query's row of squared distances (self excluded as +inf): for every h, the LOO
 * log-density through log-sum-exp around the nearest neighbour, and n_eff. */
static void
query_row (const double *dist,
           gsize         n,
           gsize         d,
           guint         n_h,
           const double *h,
           double       *ll_out,
           double       *neff_out)
{
  double dmin = INFINITY;
  double log_others = log ((double) (n - 1));

  for (gsize j = 0; j < n; j++)
    if (dist[j] < dmin)
      dmin = dist[j];
  for (guint k = 0; k < n_h; k++)
    {
      double c = 1.0 / (2.0 * h[k] * h[k]);
      double s1 = 0.0;
      double s2 = 0.0;
      for (gsize j = 0; j < n; j++)
        {
          double t = (dist[j] - dmin) * c;
          /* exp underflows to 0 past 745; skipping also skips the self entry (inf). */
          if (t < 745.0)
            {
              double e = exp (-t);
              s1 += e;
              s2 += e * e;
            }
        }
      ll_out[k] = -dmin * c + log (s1) - log_others - 0.5 * (double) d * log (2.0 * G_PI * h[k] * h[k]);
      neff_out[k] = s1 * s1 / s2;
    }
}

static double
crossing (const CsKdeDiagnostics *diag,
          double                  target)
{
  if (diag->n_eff[0] >= target)
    return NAN;
  for (guint k = 1; k < diag->n_h; k++)
    if (diag->n_eff[k] >= target)
      {
        double l0 = log (diag->n_eff[k - 1]);
        double l1 = log (diag->n_eff[k]);
        double t = l1 > l0 ? (log (target) - l0) / (l1 - l0) : 0.0;
        return exp ((1.0 - t) * log (diag->h[k - 1]) + t * log (diag->h[k]));
      }
  return NAN;
}

CsKdeDiagnostics *
cs_kde_diagnostics_run (const CsMatrix         *x,
                        const CsKdeDiagOptions *options,
                        CsProgress             *progress,
                        GError                **error)
{
  CsKdeDiagOptions defaults;
  g_autoptr (CsKdeDiagnostics) diag = NULL;
  g_autoptr (CsMatrix) xc = NULL;
  g_autoptr (CsMatrix) q = NULL;
  g_autofree double *means = NULL;
  g_autofree double *eig = NULL;
  g_autofree double *xnorm = NULL;
  g_autofree double *qnorm = NULL;
  g_autofree gsize *qidx = NULL;
  g_autofree double *ll_q = NULL;
  g_autofree double *neff_q = NULL;
  g_autofree double *dist = NULL;
  gsize n;
  gsize d;
  gsize nq;
  gsize block;
  guint n_h;
  double h_lo;
  double h_hi;

  if (options == NULL)
    {
      cs_kde_diag_options_init (&defaults);
      options = &defaults;
    }
  g_return_val_if_fail (x != NULL, NULL);
  n = x->rows;
  d = x->cols;
  if (d < 1 || n < 3)
    {
      g_autofree char *rows = cs_format_count (n);
      g_autofree char *cols = cs_format_count (d);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "KDE diagnostics need at least 3 points and 1 column (got %s × %s)", rows, cols);
      return NULL;
    }
  if (options->n_h < 3)
    {
      g_autofree char *got = cs_format_count (options->n_h);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "KDE diagnostics need at least 3 bandwidths on the grid (got %s)", got);
      return NULL;
    }
  if ((options->h_min != 0.0 || options->h_max != 0.0) && !(options->h_min > 0.0 && options->h_max > options->h_min))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "The bandwidth range must satisfy 0 < h_min < h_max (got %g to %g); set both to 0 for automatic",
                   options->h_min, options->h_max);
      return NULL;
    }
  for (gsize i = 0; i < n * d; i++)
    if (!isfinite (x->data[i]))
      {
        g_autofree char *row = cs_format_count (i / d + 1);
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "KDE diagnostics need finite values; row %s has a missing or infinite one", row);
        return NULL;
      }

  /* As the density and mean shift: identical rows have a covariance of rounding size, whose
   * thresholds would be 1e-18; say what is wrong instead. */
  {
    gboolean varies = FALSE;

    for (gsize j = 0; j < d && !varies; j++)
      varies = !cs_matrix_column_constant (x, j);
    if (!varies)
      {
        g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                             "Every row is the same point, so the data have no spread to measure bandwidths "
                             "against; choose columns that vary");
        return NULL;
      }
  }

  /* Centring changes no distance but keeps ||a||² − 2a·b + ||b||² from cancelling badly. */
  xc = cs_matrix_copy (x);
  means = g_new (double, d);
  cs_matrix_column_means (xc, means);
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < d; j++)
      xc->data[i * d + j] -= means[j];

  diag = g_new0 (CsKdeDiagnostics, 1);
  g_atomic_ref_count_init (&diag->ref);
  diag->n = n;
  diag->d = d;
  diag->alpha = log ((double) n) / (double) d;

  eig = g_new (double, d);
  if (!covariance_eigenvalues (xc, eig, error))
    return NULL;
  if (!cs_kde_regime_thresholds (eig, d, (double) n, &diag->h_g, &diag->h_clt, error))
    {
      g_prefix_error (error, "The chosen columns are constant: ");
      return NULL;
    }

  n_h = options->n_h;
  h_lo = options->h_min > 0.0 ? options->h_min : diag->h_g / 4.0;
  h_hi = options->h_max > 0.0 ? options->h_max : diag->h_clt * 4.0;
  diag->n_h = n_h;
  diag->h = g_new (double, n_h);
  diag->loo_ll = g_new0 (double, n_h);
  diag->n_eff = g_new0 (double, n_h);
  for (guint k = 0; k < n_h; k++)
    diag->h[k] = exp (log (h_lo) + (log (h_hi) - log (h_lo)) * (double) k / (double) (n_h - 1));

  /* Queries: every point, or a seeded sample without replacement kept in row order. */
  nq = MIN (n, (gsize) MAX (options->max_queries, 1u));
  /* The sum over all n points is what the regimes are about, so large data gives up query
   * points (a noisier mean) rather than reference points (a different n). */
  if (options->max_work > 0.0 && (double) nq * (double) n * (double) n_h > options->max_work)
    nq = MIN (n, MAX (MIN (nq, (gsize) 200), (gsize) (options->max_work / ((double) n * (double) n_h))));
  diag->n_queries = nq;
  diag->sampled = nq < n;
  {
    g_autofree gsize *perm = g_new (gsize, n);
    CsRng rng;
    cs_rng_init (&rng, options->seed);
    for (gsize i = 0; i < n; i++)
      perm[i] = i;
    if (diag->sampled)
      cs_rng_sample_front (&rng, perm, n, nq);
    qidx = g_new (gsize, nq);
    memcpy (qidx, perm, nq * sizeof (gsize));
    qsort (qidx, nq, sizeof (gsize), cs_compare_gsize);
  }
  q = cs_matrix_new (nq, d);
  for (gsize i = 0; i < nq; i++)
    memcpy (cs_matrix_row (q, i), cs_matrix_row (xc, qidx[i]), d * sizeof (double));
  xnorm = g_new (double, n);
  qnorm = g_new (double, nq);
  cs_matrix_row_sqnorms (xc, xnorm);
  cs_matrix_row_sqnorms (q, qnorm);

  /* At least a few rows per block, so the OpenMP loop over them has something to share. */
  block = (gsize) CLAMP (BLOCK_WORK / ((double) n * (double) (n_h + d)), 8.0, MAX ((double) nq, 1.0));
  block = MIN (block, (gsize) MAX (1.0, BLOCK_BYTES / (8.0 * (double) n)));
  if (!cs_memory_check ((guint64) block * n * sizeof (double), "KDE diagnostics distance block",
                        "use fewer points", error))
    return NULL;
  dist = g_new (double, block * n);
  ll_q = g_new (double, nq * n_h);
  neff_q = g_new (double, nq * n_h);

  for (gsize q0 = 0; q0 < nq; q0 += block)
    {
      gsize nb = MIN (block, nq - q0);
      const double *hs = diag->h;

      if (!cs_progress_check (progress, error))
        return NULL;
      cs_matrix_sqdist_block (q, qnorm, q0, nb, xc, xnorm, dist);
      for (gsize r = 0; r < nb; r++)
        dist[r * n + qidx[q0 + r]] = INFINITY;
      /* Each query's row is summed serially, so the result is the same on any thread count. */
#pragma omp parallel for schedule(static) if (nb > 1)
      for (gsize r = 0; r < nb; r++)
        query_row (dist + r * n, n, d, n_h, hs, ll_q + (q0 + r) * n_h, neff_q + (q0 + r) * n_h);
      cs_progress_report (progress, (double) (q0 + nb) / (double) nq, "KDE diagnostics");
    }

  for (gsize i = 0; i < nq; i++)
    for (guint k = 0; k < n_h; k++)
      {
        diag->loo_ll[k] += ll_q[i * n_h + k];
        diag->n_eff[k] += neff_q[i * n_h + k];
      }
  for (guint k = 0; k < n_h; k++)
    {
      diag->loo_ll[k] /= (double) nq;
      diag->n_eff[k] /= (double) nq;
    }

  {
    guint best = 0;
    for (guint k = 1; k < n_h; k++)
      if (diag->loo_ll[k] > diag->loo_ll[best])
        best = k;
    diag->opt_index = best;
    diag->h_opt = diag->h[best];
    diag->loo_ll_opt = diag->loo_ll[best];
    if (best > 0 && best < n_h - 1)
      {
        /* The grid is uniform in log h, so a parabola in grid steps refines the peak. */
        double ym = diag->loo_ll[best - 1];
        double y0 = diag->loo_ll[best];
        double yp = diag->loo_ll[best + 1];
        double den = ym - 2.0 * y0 + yp;
        if (den < 0.0)
          {
            double delta = 0.5 * (ym - yp) / den;
            double step = log (diag->h[1]) - log (diag->h[0]);
            diag->h_opt = exp (log (diag->h[best]) + delta * step);
            diag->loo_ll_opt = y0 - 0.25 * (ym - yp) * delta;
          }
      }
  }
  diag->h_g_emp = crossing (diag, 2.0);
  diag->h_clt_emp = crossing (diag, sqrt ((double) (n - 1)));

  return g_steal_pointer (&diag);
}
