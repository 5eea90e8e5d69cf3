#include "core/explain/cs-saliency.h"
#include "core/base/cs-matrix-private.h"
#include "core/metrics/cs-metrics.h"
#include "core/cluster/cs-kmeans.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-rng.h"
#include "core/explain/cs-shapley.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

void
cs_saliency_options_init (CsSaliencyOptions *opt)
{
  opt->c = 1.0;
  opt->max_iter = 100;
  opt->tol = 1e-10;
  opt->n_summary = 3;
}

void
cs_saliency_report_free (CsSaliencyReport *report)
{
  if (report == NULL)
    return;
  g_strfreev (report->feature_names);
  g_free (report->sizes);
  g_free (report->hedges_g);
  g_free (report->hedges_g_lo);
  g_free (report->hedges_g_hi);
  g_free (report->cliff_delta);
  g_free (report->favourable);
  g_free (report->unfavourable);
  g_free (report->shap_mean_abs);
  g_free (report->center);
  g_free (report->scale);
  g_free (report->coef);
  g_free (report->model_accuracy);
  g_strfreev (report->summaries);
  g_free (report->shap_rows);
  g_free (report);
}

double
cs_saliency_report_logit (const CsSaliencyReport *report,
                          guint                   cluster,
                          const double           *row)
{
  const double *w = report->coef + (gsize) cluster * (report->d + 1);
  double f = w[report->d];

  for (guint j = 0; j < report->d; j++)
    f += w[j] * (row[j] - report->center[j]) / report->scale[j];
  return f;
}

void
cs_saliency_report_shapley (const CsSaliencyReport *report,
                            guint                   cluster,
                            const double           *row,
                            double                 *phi)
{
  const double *w = report->coef + (gsize) cluster * (report->d + 1);

  for (guint j = 0; j < report->d; j++)
    phi[j] = w[j] * ((row[j] - report->center[j]) / report->scale[j]);
}

typedef struct
{
  const double *key;
  guint         index;
} RankItem;

static int
rank_cmp (const void *a,
          const void *b)
{
  const RankItem *ra = a;
  const RankItem *rb = b;
  double va = fabs (ra->key[ra->index]);
  double vb = fabs (rb->key[rb->index]);

  if (va != vb)
    return va > vb ? -1 : 1;
  return ra->index < rb->index ? -1 : ra->index > rb->index;
}

void
cs_saliency_report_rank (const CsSaliencyReport *report,
                         guint                   cluster,
                         guint                  *order)
{
  const double *g = report->hedges_g + (gsize) cluster * report->d;
  g_autofree RankItem *items = g_new (RankItem, report->d);

  for (guint j = 0; j < report->d; j++)
    items[j] = (RankItem) { g, j };
  qsort (items, report->d, sizeof *items, rank_cmp);
  for (guint j = 0; j < report->d; j++)
    order[j] = items[j].index;
}

typedef struct
{
  double value;
  gsize  row;
} ValueItem;

static int
value_cmp (const void *a,
           const void *b)
{
  const ValueItem *va = a;
  const ValueItem *vb = b;

  if (va->value != vb->value)
    return va->value < vb->value ? -1 : 1;
  return va->row < vb->row ? -1 : va->row > vb->row;
}

/* Hedges' g with pooled SD and Cliff's delta for every cluster, one feature at a time.
 * Cliff's delta comes from the Mann–Whitney U of midranks: U = R₁ − n₁(n₁+1)/2 counts
 * pairs with X > Y plus half the ties, so δ = 2U/(n₁n₂) − 1 in O(n log n), not O(n²). */
static gboolean
effect_sizes (const CsMatrix   *x,
              const int        *labels,
              CsSaliencyReport *r,
              CsProgress       *progress,
              GError          **error)
{
  guint k = r->k;
  guint d = r->d;
  guint done = 0;
  gint cancelled = 0;

  /* Features are independent (each writes its own column of the report): in parallel, with
   * the same result on any thread count. The sort per feature dominates. */
#pragma omp parallel if (d > 1 && r->n_labelled > 2000)
  {
    g_autofree ValueItem *items = g_new (ValueItem, r->n_labelled);
    g_autofree double *rank_sum = g_new (double, k);
    g_autofree double *sum = g_new (double, k);
    g_autofree double *mean = g_new (double, k);
    g_autofree double *within = g_new (double, k);

#pragma omp for schedule(dynamic, 1)
  for (guint j = 0; j < d; j++)
    {
      gsize m = 0;
      double total = 0.0;

      if (g_atomic_int_get (&cancelled) || cs_progress_is_cancelled (progress))
        {
          g_atomic_int_set (&cancelled, 1);
          continue;
        }

      memset (sum, 0, k * sizeof *sum);
      memset (within, 0, k * sizeof *within);
      for (gsize i = 0; i < x->rows; i++)
        if (labels[i] >= 0)
          {
            double v = cs_matrix_get (x, i, j);
            items[m++] = (ValueItem) { v, i };
            sum[labels[i]] += v;
          }
      for (guint c = 0; c < k; c++)
        {
          mean[c] = sum[c] / r->sizes[c];
          total += sum[c];
        }
      for (gsize i = 0; i < x->rows; i++)
        if (labels[i] >= 0)
          {
            double t = cs_matrix_get (x, i, j) - mean[labels[i]];
            within[labels[i]] += t * t;
          }

      for (guint c = 0; c < k; c++)
        {
          double n1 = r->sizes[c];
          double n2 = r->n_labelled - r->sizes[c];
          double m1 = mean[c];
          double m2 = (total - sum[c]) / n2;
          double ss1 = within[c];
          double ss2 = 0.0;
          double sp;
          double dval;
          double jcorr;
          double g;
          double se;
          gsize idx = (gsize) c * d + j;

          /* the rest's sum of squares about its own mean, from the other clusters' (parallel axis) */
          for (guint o = 0; o < k; o++)
            if (o != c)
              ss2 += within[o] + r->sizes[o] * (mean[o] - m2) * (mean[o] - m2);
          /* Hedges & Olkin (1985); Borenstein et al., Introduction to Meta-Analysis (2009),
           * eqs. 4.18–4.24: d = (m₁ − m₂)/s_pooled, J = 1 − 3/(4(n₁+n₂) − 9), g = J d,
           * Var(d) = (n₁+n₂)/(n₁n₂) + d²/(2(n₁+n₂)), Var(g) = J² Var(d), CI g ± 1.96 SE. */
          sp = n1 + n2 > 2 ? sqrt ((ss1 + ss2) / (n1 + n2 - 2)) : 0.0;
          dval = sp > 0.0 ? (m1 - m2) / sp : 0.0;
          jcorr = n1 + n2 > 2 ? 1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0) : 1.0;
          g = jcorr * dval;
          se = jcorr * sqrt ((n1 + n2) / (n1 * n2) + dval * dval / (2.0 * (n1 + n2)));
          r->hedges_g[idx] = g;
          r->hedges_g_lo[idx] = g - 1.959963984540054 * se;
          r->hedges_g_hi[idx] = g + 1.959963984540054 * se;
        }

      qsort (items, m, sizeof *items, value_cmp);
      memset (rank_sum, 0, k * sizeof *rank_sum);
      for (gsize a = 0; a < m;)
        {
          gsize b = a + 1;
          double midrank;

          while (b < m && items[b].value == items[a].value)
            b++;
          /* ranks a+1 .. b share their mean */
          midrank = 0.5 * ((double) (a + 1) + (double) b);
          for (gsize t = a; t < b; t++)
            rank_sum[labels[items[t].row]] += midrank;
          a = b;
        }
      for (guint c = 0; c < k; c++)
        {
          double n1 = r->sizes[c];
          double n2 = r->n_labelled - r->sizes[c];
          double u = rank_sum[c] - n1 * (n1 + 1.0) / 2.0;
          r->cliff_delta[(gsize) c * d + j] = 2.0 * u / (n1 * n2) - 1.0;
        }
#pragma omp critical (cs_saliency_progress)
      {
        done++;
        cs_progress_report (progress, 0.3 * done / d, "effect sizes");
      }
    }
  }
  return cs_progress_check (progress, error) && !cancelled;
}

#define BLOCK_ROWS 4096

static double
log1pexp (double t)
{
  return t > 0.0 ? t + log1p (exp (-t)) : log1p (exp (t));
}

static double
logistic (double t)
{
  if (t >= 0.0)
    return 1.0 / (1.0 + exp (-t));
  else
    {
      double e = exp (t);
      return e / (1.0 + e);
    }
}

/* w·z + intercept over d features: short enough that a BLAS call per row costs more than it saves. */
static inline double
linear (const double *z,
        const double *w,
        guint         d)
{
  double t = w[d];

  for (guint j = 0; j < d; j++)
    t += w[j] * z[j];
  return t;
}

static double
objective (const double *z,
           gsize         m,
           guint         d,
           const double *y,
           const double *w,
           double        c)
{
  double pen = 0.0;
  double loss = 0.0;

  for (guint j = 0; j < d; j++)
    pen += w[j] * w[j];
  for (gsize i = 0; i < m; i++)
    {
      double t = linear (z + i * d, w, d);
      /* logloss = log(1 + e^t) − y t */
      loss += log1pexp (t) - y[i] * t;
    }
  return 0.5 * pen + c * loss;
}

/* Newton's method on ½‖w‖² + C Σ logloss (IRLS): the Hessian C X̃ᵀ diag(p(1−p)) X̃ + diag(1, …, 1, 0)
 * is positive definite while every p is inside (0, 1), so dposv solves each step. A
 * backtracking line search keeps the objective decreasing on nearly separable data, where
 * a full Newton step from w = 0 can overshoot. */
static gboolean
logreg_fit (const double            *z,
            gsize                    m,
            guint                    d,
            const double            *y,
            const CsSaliencyOptions *opt,
            double                  *w,
            CsProgress              *progress,
            GError                 **error)
{
  guint p = d + 1;
  g_autofree double *b = g_new (double, MIN (m, BLOCK_ROWS) * p);
  g_autofree double *h = g_new (double, (gsize) p * p);
  g_autofree double *grad = g_new (double, p);
  g_autofree double *trial = g_new (double, p);
  gboolean reuse = FALSE; /* solve with the last Hessian's Cholesky factor, still in h */
  double f;

  memset (w, 0, p * sizeof *w);
  f = objective (z, m, d, y, w, opt->c);
  for (guint it = 0; it < opt->max_iter; it++)
    {
      double step_max = 0.0;
      double alpha = 1.0;
      lapack_int info;

      if (!cs_progress_check (progress, error))
        return FALSE;

      for (guint j = 0; j < p; j++)
        grad[j] = j < d ? w[j] : 0.0;
      if (!reuse)
        memset (h, 0, (gsize) p * p * sizeof *h);
      /* Row blocks keep the scratch small and let a long fit notice a cancel; the blocks are
       * summed in a fixed order, so the result does not depend on the thread count. */
      for (gsize i0 = 0; i0 < m; i0 += BLOCK_ROWS)
        {
          gsize nb = MIN (BLOCK_ROWS, m - i0);

          for (gsize t = 0; t < nb; t++)
            {
              gsize i = i0 + t;
              const double *zi = z + i * d;
              double pi = logistic (linear (zi, w, d));
              double r = opt->c * (pi - y[i]);

              for (guint j = 0; j < d; j++)
                grad[j] += r * zi[j];
              grad[d] += r;
              if (!reuse)
                {
                  double s = sqrt (opt->c * pi * (1.0 - pi));

                  for (guint j = 0; j < d; j++)
                    b[t * p + j] = s * zi[j];
                  b[t * p + d] = s;
                }
            }
          if (!reuse)
            cblas_dsyrk (CblasRowMajor, CblasUpper, CblasTrans, p, nb, 1.0, b, p, 1.0, h, p);
          if (!cs_progress_check (progress, error))
            return FALSE;
        }
      if (reuse)
        info = LAPACKE_dpotrs (LAPACK_ROW_MAJOR, 'U', p, 1, h, p, grad, 1);
      else
        {
          for (guint j = 0; j < d; j++)
            h[(gsize) j * p + j] += 1.0;
          info = LAPACKE_dposv (LAPACK_ROW_MAJOR, 'U', p, 1, h, p, grad, 1);
        }
      if (info != 0)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
                       "Logistic surrogate: the Newton system is not positive definite "
                       "(LAPACKE_dposv info %d); try a smaller C", (int) info);
          return FALSE;
        }
      /* grad now holds the Newton step, to be subtracted */
      for (guint j = 0; j < p; j++)
        step_max = MAX (step_max, fabs (grad[j]));

      for (;;)
        {
          double ft;

          for (guint j = 0; j < p; j++)
            trial[j] = w[j] - alpha * grad[j];
          ft = objective (z, m, d, y, trial, opt->c);
          if (ft <= f + 1e-12 * fabs (f) || alpha < 1e-10)
            {
              memcpy (w, trial, p * sizeof *w);
              f = ft;
              break;
            }
          alpha *= 0.5;
        }
      if (alpha * step_max < opt->tol)
        break;
      /* Near the optimum the Hessian hardly moves: a full step smaller than 1e-3 lets the next
       * iterations reuse its factor (each then costs a gradient, not m·p² for the Hessian) and
       * still converge fast; any damped step asks for a fresh one. */
      reuse = alpha == 1.0 && step_max < 1e-3;
    }
  for (guint j = 0; j < p; j++)
    if (!isfinite (w[j]))
      {
        g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
                     "Logistic surrogate: coefficients became non-finite; try a smaller C");
        return FALSE;
      }
  return TRUE;
}

static char *
format_summary (const CsSaliencyReport *r,
                guint                   c,
                guint                   n_summary)
{
  GString *s = g_string_new (NULL);
  g_autofree guint *order = g_new (guint, r->d);
  guint shown = MIN (n_summary, r->d);

  g_autofree char *size = cs_format_count (r->sizes[c]);

  cs_saliency_report_rank (r, c, order);
  g_string_append_printf (s, "Cluster %u (%s rows, %.0f %%)", c + 1, size, 100.0 * r->sizes[c] / r->n_rows);
  for (guint t = 0; t < shown; t++)
    {
      double g = r->hedges_g[(gsize) c * r->d + order[t]];
      char num[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (num, sizeof num, "%.1f", fabs (g));
      /* U+2212 MINUS SIGN and U+03C3 σ, as the views print them */
      g_string_append_printf (s, "%s %s %s (%s%s \xcf\x83)", t == 0 ? ":" : ",",
                              r->feature_names[order[t]], g >= 0.0 ? "high" : "low",
                              g >= 0.0 ? "+" : "\xe2\x88\x92", num);
    }
  return g_string_free (s, FALSE);
}

gboolean
cs_saliency_run (const CsMatrix          *x,
                 const char * const      *feature_names,
                 const int               *labels,
                 guint                    k,
                 const CsSaliencyOptions *opt,
                 CsProgress              *progress,
                 CsSaliencyReport       **out,
                 GError                 **error)
{
  g_autoptr (CsSaliencyReport) r = NULL;
  CsSaliencyOptions defaults;
  g_autofree double *z = NULL;
  g_autofree int *zlab = NULL;
  gsize n = x->rows;
  guint d = x->cols;
  gsize m = 0;
  gsize correct = 0;

  g_return_val_if_fail (x != NULL && labels != NULL && out != NULL, FALSE);

  if (opt == NULL)
    {
      cs_saliency_options_init (&defaults);
      opt = &defaults;
    }
  if (k < 2)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "Saliency needs at least 2 clusters (got k = %u)", k);
      return FALSE;
    }
  if (d == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "Saliency needs at least one feature column");
      return FALSE;
    }
  if (!(opt->c > 0.0) || !isfinite (opt->c))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "Saliency: the regularisation C must be positive (got %g)", opt->c);
      return FALSE;
    }

  r = g_new0 (CsSaliencyReport, 1);
  r->n_rows = n;
  r->k = k;
  r->d = d;
  r->sizes = g_new0 (gsize, k);
  for (gsize i = 0; i < n; i++)
    {
      if (labels[i] == -1)
        continue;
      if (labels[i] < 0 || (guint) labels[i] >= k)
        {
          g_autofree char *row = cs_format_count (i + 1);
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "Saliency: row %s has label %d, outside 0 … %u (or −1 for noise)", row, labels[i], k - 1);
          return FALSE;
        }
      r->sizes[labels[i]]++;
      m++;
    }
  for (guint c = 0; c < k; c++)
    if (r->sizes[c] == 0)
      {
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "Saliency: cluster %u has no rows; relabel the clusters as 0 … k−1 without gaps", c + 1);
        return FALSE;
      }
  r->n_labelled = m;

  r->feature_names = g_new0 (char *, d + 1);
  for (guint j = 0; j < d; j++)
    r->feature_names[j] = feature_names && feature_names[j]
                            ? g_strdup (feature_names[j])
                            : g_strdup_printf ("feature %u", j + 1);

  r->hedges_g = g_new0 (double, (gsize) k * d);
  r->hedges_g_lo = g_new0 (double, (gsize) k * d);
  r->hedges_g_hi = g_new0 (double, (gsize) k * d);
  r->cliff_delta = g_new0 (double, (gsize) k * d);
  r->favourable = g_new0 (double, (gsize) k * d);
  r->unfavourable = g_new0 (double, (gsize) k * d);
  r->shap_mean_abs = g_new0 (double, (gsize) k * d);
  r->center = g_new0 (double, d);
  r->scale = g_new0 (double, d);
  r->coef = g_new0 (double, (gsize) k * (d + 1));
  r->model_accuracy = g_new0 (double, k);

  if (!effect_sizes (x, labels, r, progress, error))
    return FALSE;

  /* Standardise as scikit-learn's StandardScaler does (population SD), so the surrogate's
   * coefficients are comparable with LogisticRegression on the same scaled data. */
  for (gsize i = 0; i < n; i++)
    if (labels[i] >= 0)
      for (guint j = 0; j < d; j++)
        r->center[j] += cs_matrix_get (x, i, j);
  for (guint j = 0; j < d; j++)
    r->center[j] /= m;
  for (gsize i = 0; i < n; i++)
    if (labels[i] >= 0)
      for (guint j = 0; j < d; j++)
        {
          double t = cs_matrix_get (x, i, j) - r->center[j];
          r->scale[j] += t * t;
        }
  for (guint j = 0; j < d; j++)
    {
      r->scale[j] = sqrt (r->scale[j] / m);
      if (!(r->scale[j] > 0.0))
        r->scale[j] = 1.0;
    }

  z = g_new (double, m * d);
  zlab = g_new (int, m);
  for (gsize i = 0, t = 0; i < n; i++)
    if (labels[i] >= 0)
      {
        for (guint j = 0; j < d; j++)
          z[t * d + j] = (cs_matrix_get (x, i, j) - r->center[j]) / r->scale[j];
        zlab[t++] = labels[i];
      }

  /* The k one-vs-rest fits are independent and each writes only its own rows of the
   * report, so they run in parallel with the same result on any thread count. */
  {
    g_autofree GError **errors = g_new0 (GError *, k);
    int saved = cs_i_blas_single_begin ((gsize) BLOCK_ROWS * (d + 1) * (d + 1), FALSE);
    guint done = 0;

    cs_progress_report (progress, 0.3, "logistic surrogate");
#pragma omp parallel for schedule(dynamic, 1) if (k > 1 && (gsize) m * d * d > 100000)
    for (guint c = 0; c < k; c++)
      {
        double *w = r->coef + (gsize) c * (d + 1);
        g_autofree double *yc = g_new (double, m);
        gsize hits = 0;

        for (gsize t = 0; t < m; t++)
          yc[t] = zlab[t] == (int) c ? 1.0 : 0.0;
        if (!logreg_fit (z, m, d, yc, opt, w, progress, &errors[c]))
          continue;

        for (gsize t = 0; t < m; t++)
          {
            const double *zt = z + t * d;
            double f = linear (zt, w, d);

            if ((f >= 0.0) == (yc[t] == 1.0))
              hits++;
            if (zlab[t] != (int) c)
              continue;
            for (guint j = 0; j < d; j++)
              {
                /* E[z_j] = 0 over the labelled rows, so φ_j = w_j z_j */
                double v = w[j] * zt[j];
                gsize idx = (gsize) c * d + j;
                if (v > 0.0)
                  r->favourable[idx] += v;
                else
                  r->unfavourable[idx] += v;
                r->shap_mean_abs[idx] += fabs (v);
              }
          }
        r->model_accuracy[c] = (double) hits / m;
        for (guint j = 0; j < d; j++)
          {
            gsize idx = (gsize) c * d + j;
            r->favourable[idx] /= r->sizes[c];
            r->unfavourable[idx] /= r->sizes[c];
            r->shap_mean_abs[idx] /= r->sizes[c];
          }
#pragma omp critical (cs_saliency_progress)
        {
          done++;
          cs_progress_report (progress, 0.3 + 0.7 * done / k, "logistic surrogate");
        }
      }
    cs_i_blas_single_end (saved);
    /* The first failure in class order is the one reported, whatever finished first. */
    {
      gboolean failed = FALSE;

      for (guint c = 0; c < k; c++)
        if (errors[c] != NULL && !failed)
          {
            failed = TRUE;
            g_propagate_error (error, g_steal_pointer (&errors[c]));
          }
        else
          g_clear_error (&errors[c]);
      if (failed)
        return FALSE;
    }
  }

  for (gsize t = 0; t < m; t++)
    {
      const double *zt = z + t * d;
      guint best = 0;
      double best_f = -INFINITY;

      for (guint c = 0; c < k; c++)
        {
          const double *w = r->coef + (gsize) c * (d + 1);
          double f = linear (zt, w, d);
          if (f > best_f)
            {
              best_f = f;
              best = c;
            }
        }
      if ((int) best == zlab[t])
        correct++;
    }
  r->surrogate_accuracy = (double) correct / m;

  r->summaries = g_new0 (char *, k + 1);
  for (guint c = 0; c < k; c++)
    r->summaries[c] = format_summary (r, c, opt->n_summary);
  r->method = "linear";
  r->shap_rows = g_memdup2 (r->sizes, k * sizeof *r->sizes);

  cs_progress_report (progress, 1.0, "done");
  *out = g_steal_pointer (&r);
  return TRUE;
}

void
cs_saliency_categorical_free (CsSaliencyCategorical *cat)
{
  if (cat == NULL)
    return;
  g_free (cat->name);
  g_strfreev (cat->levels);
  g_free (cat->proportion);
  g_free (cat->rest_proportion);
  g_free (cat->diff_lo);
  g_free (cat->diff_hi);
  g_free (cat);
}

gboolean
cs_saliency_categorical (const CsDataset         *ds,
                         guint                    column,
                         const gsize             *rows,
                         const int               *labels,
                         gsize                    n,
                         guint                    k,
                         CsSaliencyCategorical  **out,
                         GError                 **error)
{
  g_autoptr (CsSaliencyCategorical) cat = NULL;
  const CsColumn *col;
  g_autofree double *count = NULL;
  g_autofree double *size = NULL;
  double total_size = 0.0;
  guint nl;

  g_return_val_if_fail (ds != NULL && rows != NULL && labels != NULL && out != NULL, FALSE);

  if (column >= cs_dataset_n_columns (ds)
      || cs_dataset_column (ds, column)->kind != CS_COLUMN_CATEGORICAL)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "Saliency: column %u is not a categorical column; numeric columns go to cs_saliency_run()",
                   column + 1);
      return FALSE;
    }
  if (k < 2)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "Saliency needs at least 2 clusters (got k = %u)", k);
      return FALSE;
    }
  col = cs_dataset_column (ds, column);
  nl = col->levels->len;
  count = g_new0 (double, (gsize) k * nl);
  size = g_new0 (double, k);
  for (gsize i = 0; i < n; i++)
    {
      double v;

      if (labels[i] < 0)
        continue;
      if ((guint) labels[i] >= k || rows[i] >= ds->n_rows)
        {
          g_autofree char *item = cs_format_count (i + 1);
          g_autofree char *row = cs_format_count ((guint64) rows[i] + 1);
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "Saliency: item %s has label %d or row %s out of range", item, labels[i], row);
          return FALSE;
        }
      v = col->values[rows[i]];
      if (isnan (v) || v < 0.0 || v >= nl)
        continue;
      count[(gsize) labels[i] * nl + (guint) v] += 1.0;
      size[labels[i]] += 1.0;
      total_size += 1.0;
    }
  for (guint c = 0; c < k; c++)
    if (size[c] == 0.0 || size[c] == total_size)
      {
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "Saliency: cluster %u has no rows with a value in ‘%s’, or no other cluster has",
                     c + 1, col->name);
        return FALSE;
      }

  cat = g_new0 (CsSaliencyCategorical, 1);
  cat->name = g_strdup (col->name);
  cat->k = k;
  cat->n_levels = nl;
  cat->levels = g_new0 (char *, nl + 1);
  for (guint l = 0; l < nl; l++)
    cat->levels[l] = g_strdup (g_ptr_array_index (col->levels, l));
  cat->proportion = g_new (double, (gsize) k * nl);
  cat->rest_proportion = g_new (double, (gsize) k * nl);
  cat->diff_lo = g_new (double, (gsize) k * nl);
  cat->diff_hi = g_new (double, (gsize) k * nl);
  for (guint l = 0; l < nl; l++)
    {
      double level_total = 0.0;

      for (guint c = 0; c < k; c++)
        level_total += count[(gsize) c * nl + l];
      for (guint c = 0; c < k; c++)
        {
          gsize idx = (gsize) c * nl + l;
          double n1 = size[c];
          double n2 = total_size - size[c];
          double p1 = count[idx] / n1;
          double p2 = (level_total - count[idx]) / n2;
          /* Wald interval for a difference of independent proportions (e.g. Agresti,
           * Categorical Data Analysis, 3rd ed., §1.4 / eq. 2.2): (p₁ − p₂) ± 1.96 √(p₁q₁/n₁ + p₂q₂/n₂). */
          double se = sqrt (p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2);

          cat->proportion[idx] = p1;
          cat->rest_proportion[idx] = p2;
          cat->diff_lo[idx] = p1 - p2 - 1.959963984540054 * se;
          cat->diff_hi[idx] = p1 - p2 + 1.959963984540054 * se;
        }
    }
  *out = g_steal_pointer (&cat);
  return TRUE;
}

void
cs_kernelshap_options_init (CsKernelShapOptions *opt)
{
  opt->n_samples = 2048;
  opt->n_background = 50;
  opt->max_rows_per_cluster = 200;
  opt->seed = 0;
  opt->exact = TRUE;
}

/* rng streams, so that the background, each cluster's rows and the coalitions (stream 0, in
 * the KernelSHAP plan) never share one */
#define STREAM_BACKGROUND 1
#define STREAM_ROWS       2

/* Moves a uniform sample of m of idx[0 … n) to the front, sorted, so that the work done on
 * it (and the order of every sum over it) does not depend on the draw order. */
static void
sample_sorted (gsize  *idx,
               gsize   n,
               gsize   m,
               CsRng  *rng)
{
  cs_rng_sample_front (rng, idx, n, m);
  qsort (idx, MIN (m, n), sizeof *idx, cs_compare_gsize);
}

/* The assignment game of one explained row, made cheap: a hybrid point's squared distance
 * to centre c minus its distance to centre 0 is a sum of per-feature terms
 *   q_cj(h) = (h_j − μ_cj)² − (h_j − μ_0j)²,
 * taken from x for the features in S and from the background row b elsewhere. So with
 * δ_j = q_cj(x) − q_cj(b) the whole table over (b, c) is  Σ_j q(b) + Σ_{j∈S} δ_j, or
 * Σ_j q(x) − Σ_{j∉S} δ_j  from the other side. Differences to centre 0 rather than plain
 * distances make a feature in which all centres coincide contribute exact zeros, so it
 * cannot move an argmin by rounding and gets exactly 0 under exact enumeration. */
typedef struct
{
  guint         d;
  guint         k;
  guint         nb;
  gsize         nbk;    /* nb × k: one table entry per background row and centre */
  const double *mu;     /* Borrowed, k × d */
  double       *qb;     /* Owned, d × nbk: q_cj(b) at [j][b k + c] */
  double       *base_b; /* Owned, nbk: Σ_j q_cj(b), j ascending */
} AssignGame;

typedef struct
{
  double *qx;     /* k × d */
  double *delta;  /* d × nbk */
  double *base_x; /* nbk */
  double *stack;  /* (d + 1) × nbk: the exact enumeration's partial sums, or KernelSHAP's three tables */
  double *values; /* one per coalition */
  guint  *members;
} GameScratch;

static inline double
q_term (double h,
        double mu_c,
        double mu_0)
{
  return (h - mu_c) * (h - mu_c) - (h - mu_0) * (h - mu_0);
}

static void
assign_game_init (AssignGame     *g,
                  const CsMatrix *x,
                  const gsize    *background,
                  guint           nb,
                  const CsMatrix *centers)
{
  guint d = x->cols;
  guint k = centers->rows;

  g->d = d;
  g->k = k;
  g->nb = nb;
  g->nbk = (gsize) nb * k;
  g->mu = centers->data;
  g->qb = g_new (double, d * g->nbk);
  g->base_b = g_new0 (double, g->nbk);
  for (guint b = 0; b < nb; b++)
    {
      const double *row = cs_matrix_row (x, background[b]);

      for (guint c = 0; c < k; c++)
        for (guint j = 0; j < d; j++)
          {
            double q = q_term (row[j], g->mu[(gsize) c * d + j], g->mu[j]);

            g->qb[j * g->nbk + (gsize) b * k + c] = q;
            g->base_b[(gsize) b * k + c] += q;
          }
    }
}

static void
assign_game_clear (AssignGame *g)
{
  g_free (g->qb);
  g_free (g->base_b);
}

static void
game_scratch_init (GameScratch      *s,
                   const AssignGame *g,
                   gboolean          exact,
                   gsize             n_values)
{
  s->qx = g_new (double, (gsize) g->k * g->d);
  s->delta = g_new (double, g->d * g->nbk);
  s->base_x = g_new (double, g->nbk);
  s->stack = g_new (double, (exact ? g->d + 1 : 3) * g->nbk);
  s->values = g_new (double, MAX (n_values, 1));
  s->members = g_new (guint, g->d);
}

static void
game_scratch_clear (GameScratch *s)
{
  g_free (s->qx);
  g_free (s->delta);
  g_free (s->base_x);
  g_free (s->stack);
  g_free (s->values);
  g_free (s->members);
}

static void
game_set_row (const AssignGame *g,
              GameScratch      *s,
              const double     *row)
{
  guint d = g->d;
  guint k = g->k;

  for (guint c = 0; c < k; c++)
    {
      double sum = 0.0;

      for (guint j = 0; j < d; j++)
        {
          double q = q_term (row[j], g->mu[(gsize) c * d + j], g->mu[j]);
          s->qx[(gsize) c * d + j] = q;
          sum += q;
        }
      for (guint b = 0; b < g->nb; b++)
        s->base_x[(gsize) b * k + c] = sum;
    }
  for (guint j = 0; j < d; j++)
    {
      const double *qb = g->qb + j * g->nbk;
      double *dj = s->delta + j * g->nbk;

      for (guint b = 0; b < g->nb; b++)
        for (guint c = 0; c < k; c++)
          dj[(gsize) b * k + c] = s->qx[(gsize) c * d + j] - qb[(gsize) b * k + c];
    }
}

/* The share of background rows whose hybrid goes to `target`; ties go to the lower index. */
static double
game_share (const AssignGame *g,
            const double     *table,
            guint             target)
{
  guint hits = 0;

  for (guint b = 0; b < g->nb; b++)
    {
      const double *t = table + (gsize) b * g->k;
      double vt = t[target];
      guint c = 0;

      /* the target wins unless a lower index is as close or a higher one closer */
      while (c < target && t[c] > vt)
        c++;
      if (c < target)
        continue;
      for (c = target + 1; c < g->k && t[c] >= vt; c++)
        ;
      hits += c == g->k;
    }
  return (double) hits / g->nb;
}

/* Every coalition by depth-first search over "add a feature above the last one": each table
 * is its parent's plus one δ, so all 2^d cost one table addition each, and every coalition's
 * sum runs over its features in ascending order whichever way it is reached. */
static void
exact_dfs (const AssignGame *g,
           GameScratch      *s,
           guint             level,
           guint             next,
           guint             mask,
           guint             target)
{
  const double *parent = s->stack + level * g->nbk;
  double *child = s->stack + (level + 1) * g->nbk;

  for (guint j = next; j < g->d; j++)
    {
      const double *dj = s->delta + j * g->nbk;

      for (gsize t = 0; t < g->nbk; t++)
        child[t] = parent[t] + dj[t];
      s->values[mask | (1u << j)] = game_share (g, child, target);
      exact_dfs (g, s, level + 1, j + 1, mask | (1u << j), target);
    }
}

static gboolean
explain_exact (const AssignGame *g,
               GameScratch      *s,
               guint             target,
               CsProgress       *progress,
               double           *phi)
{
  double *root = s->stack;

  memcpy (root, g->base_b, g->nbk * sizeof *root);
  s->values[0] = game_share (g, root, target);
  /* one subtree per first feature, checking for cancel between them */
  for (guint j = 0; j < g->d; j++)
    {
      double *child = s->stack + g->nbk;
      const double *dj = s->delta + j * g->nbk;

      if (cs_progress_is_cancelled (progress))
        return FALSE;
      for (gsize t = 0; t < g->nbk; t++)
        child[t] = root[t] + dj[t];
      s->values[1u << j] = game_share (g, child, target);
      exact_dfs (g, s, 1, j + 1, 1u << j, target);
    }
  cs_shapley_exact_from_values (g->d, s->values, phi);
  return TRUE;
}

/* sum = Σ_t delta[members[t]], four rows at a time to spare loads and stores of sum; this
 * loop is where KernelSHAP spends its time, hence the simd hints (no aliasing here). */
static void
table_sum (double       *restrict sum,
           const double *restrict delta,
           const guint           *members,
           guint                  m,
           gsize                  nbk)
{
  guint t = 0;

  memset (sum, 0, nbk * sizeof *sum);
  for (; t + 4 <= m; t += 4)
    {
      const double *restrict a = delta + members[t] * nbk;
      const double *restrict b = delta + members[t + 1] * nbk;
      const double *restrict c = delta + members[t + 2] * nbk;
      const double *restrict e = delta + members[t + 3] * nbk;

#pragma omp simd
      for (gsize u = 0; u < nbk; u++)
        sum[u] += (a[u] + b[u]) + (c[u] + e[u]);
    }
  for (; t < m; t++)
    {
      const double *restrict a = delta + members[t] * nbk;

#pragma omp simd
      for (gsize u = 0; u < nbk; u++)
        sum[u] += a[u];
    }
}

static void
pair_tables (double       *restrict inside,
             double       *restrict outside,
             const double *restrict base_b,
             const double *restrict base_x,
             const double *restrict sum,
             gsize                  nbk)
{
#pragma omp simd
  for (gsize u = 0; u < nbk; u++)
    {
      inside[u] = base_b[u] + sum[u];
      outside[u] = base_x[u] - sum[u];
    }
}

/* The plan stores coalitions as complementary pairs; one sum over the smaller side gives the
 * tables of both. */
static gboolean
explain_sampled (const AssignGame       *g,
                 GameScratch            *s,
                 const CsKernelShapPlan *plan,
                 guint                   target,
                 CsProgress             *progress,
                 double                 *phi)
{
  gsize n = cs_kernelshap_plan_n_coalitions (plan);
  gsize nbk = g->nbk;
  double *sum = s->stack;
  double *inside = s->stack + nbk;
  double *outside = s->stack + 2 * nbk;

  for (gsize p = 0; p < n / 2; p++)
    {
      const guint8 *a = cs_kernelshap_plan_coalition (plan, 2 * p);
      gsize small = 2 * p;
      guint m = 0;
      const guint8 *z;

      if (p % 64 == 0 && cs_progress_is_cancelled (progress))
        return FALSE;
      for (guint j = 0; j < g->d; j++)
        m += a[j];
      if (2 * m > g->d)
        small = 2 * p + 1;
      z = cs_kernelshap_plan_coalition (plan, small);
      m = 0;
      for (guint j = 0; j < g->d; j++)
        if (z[j])
          s->members[m++] = j;

      table_sum (sum, s->delta, s->members, m, nbk);
      pair_tables (inside, outside, g->base_b, s->base_x, sum, nbk);
      s->values[small] = game_share (g, inside, target);
      s->values[small ^ 1] = game_share (g, outside, target);
    }
  cs_kernelshap_plan_solve (plan, s->values, game_share (g, g->base_b, target),
                            game_share (g, s->base_x, target), phi);
  return TRUE;
}

gboolean
cs_saliency_report_apply_kernelshap (CsSaliencyReport          *report,
                                     const CsMatrix            *x,
                                     const int                 *labels,
                                     const CsMatrix            *centers,
                                     const CsKernelShapOptions *opt,
                                     CsProgress                *progress,
                                     GError                   **error)
{
  CsKernelShapOptions defaults;
  g_autoptr (CsKernelShapPlan) plan = NULL;
  g_autofree gsize *labelled = NULL;
  g_autofree gsize *explain = NULL;
  g_autofree gsize *offset = NULL;
  g_autofree gsize *count = NULL;
  g_autofree double *phi = NULL;
  g_autofree double *fav = NULL;
  g_autofree double *unfav = NULL;
  g_autofree double *mabs = NULL;
  g_autofree gsize *shap_rows = NULL;
  AssignGame game;
  guint d;
  guint k;
  gsize n_labelled = 0;
  gsize n_explain = 0;
  gsize n_values;
  guint nb;
  gboolean exact;
  gint done = 0;
  gint stop = 0;
  CsRng rng;

  g_return_val_if_fail (report != NULL && x != NULL && labels != NULL && centers != NULL, FALSE);

  if (opt == NULL)
    {
      cs_kernelshap_options_init (&defaults);
      opt = &defaults;
    }
  d = report->d;
  k = report->k;
  if (x->rows != report->n_rows || x->cols != d)
    {
      g_autofree char *rows = cs_format_count (x->rows);
      g_autofree char *cols = cs_format_count (x->cols);
      g_autofree char *report_rows = cs_format_count (report->n_rows);
      g_autofree char *report_cols = cs_format_count (d);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "KernelSHAP: the data is %s × %s, but the report was made from %s × %s; pass the matrix given "
                   "to cs_saliency_run()", rows, cols, report_rows, report_cols);
      return FALSE;
    }
  if (centers->rows != k || centers->cols != d)
    {
      g_autofree char *rows = cs_format_count (centers->rows);
      g_autofree char *cols = cs_format_count (centers->cols);
      g_autofree char *features = cs_format_count (d);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "KernelSHAP: the centres are %s × %s, but there are %u clusters and %s features", rows, cols, k,
                   features);
      return FALSE;
    }
  if (opt->n_background < 1)
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "KernelSHAP: n_background must be at least 1");
      return FALSE;
    }

  count = g_new0 (gsize, k);
  for (gsize i = 0; i < x->rows; i++)
    {
      if (labels[i] == -1)
        continue;
      if (labels[i] < 0 || (guint) labels[i] >= k)
        {
          g_autofree char *row = cs_format_count (i + 1);
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "KernelSHAP: row %s has label %d, outside 0 … %u (or −1 for noise)", row, labels[i], k - 1);
          return FALSE;
        }
      count[labels[i]]++;
    }
  for (guint c = 0; c < k; c++)
    if (count[c] != report->sizes[c])
      {
        g_autofree char *given = cs_format_count (count[c]);
        g_autofree char *reported = cs_format_count (report->sizes[c]);
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "KernelSHAP: cluster %u has %s rows, but %s in the report; pass the labels given to "
                     "cs_saliency_run()", c + 1, given, reported);
        return FALSE;
      }

  exact = opt->exact && d <= CS_KERNELSHAP_EXACT_MAX_D;
  if (!exact)
    {
      plan = cs_kernelshap_plan_new (d, opt->n_samples, opt->seed, progress, error);
      if (plan == NULL)
        return FALSE;
    }
  n_values = exact ? (gsize) 1 << d : cs_kernelshap_plan_n_coalitions (plan);

  /* the background: a seeded sample of the labelled rows */
  labelled = g_new (gsize, report->n_labelled);
  for (gsize i = 0; i < x->rows; i++)
    if (labels[i] >= 0)
      labelled[n_labelled++] = i;
  nb = (guint) MIN ((gsize) opt->n_background, n_labelled);
  cs_rng_init_stream (&rng, opt->seed, STREAM_BACKGROUND);
  sample_sorted (labelled, n_labelled, nb, &rng);
  if (!cs_memory_check ((guint64) (d + 4) * nb * k * sizeof (double) * (g_get_num_processors () + 1),
                        "KernelSHAP's background tables", "use fewer background rows", error))
    return FALSE;

  /* the explained rows: a seeded sample of each cluster, cluster-major */
  offset = g_new (gsize, k + 1);
  explain = g_new (gsize, report->n_labelled);
  for (guint c = 0; c < k; c++)
    {
      gsize m = 0;
      gsize take;

      offset[c] = n_explain;
      for (gsize i = 0; i < x->rows; i++)
        if (labels[i] == (int) c)
          explain[n_explain + m++] = i;
      take = opt->max_rows_per_cluster > 0 ? MIN (m, (gsize) opt->max_rows_per_cluster) : m;
      cs_rng_init_stream (&rng, opt->seed, STREAM_ROWS + c);
      if (take < m)
        sample_sorted (explain + n_explain, m, take, &rng);
      n_explain += take;
    }
  offset[k] = n_explain;

  assign_game_init (&game, x, labelled, nb, centers);
  phi = g_new (double, n_explain * d);
  cs_progress_report (progress, 0.0, exact ? "exact Shapley values" : "KernelSHAP");

  /* Rows are independent and each writes its own φ, so the result does not depend on the
   * thread count; only the master thread reports, as CsProgress wants one caller. */
#pragma omp parallel if (n_explain > 1)
  {
    GameScratch s;
    gsize e;

    game_scratch_init (&s, &game, exact, n_values);
#pragma omp for schedule(dynamic, 1)
    for (e = 0; e < n_explain; e++)
      {
        gsize i = explain[e];
        guint target = (guint) labels[i];
        gboolean ok;

        if (g_atomic_int_get (&stop) || cs_progress_is_cancelled (progress))
          {
            g_atomic_int_set (&stop, 1);
            continue;
          }
        game_set_row (&game, &s, cs_matrix_row (x, i));
        ok = exact ? explain_exact (&game, &s, target, progress, phi + e * d)
                   : explain_sampled (&game, &s, plan, target, progress, phi + e * d);
        if (!ok)
          {
            g_atomic_int_set (&stop, 1);
            continue;
          }
        g_atomic_int_inc (&done);
#ifdef _OPENMP
        if (omp_get_thread_num () == 0)
#endif
          if (!cs_progress_report (progress, (double) g_atomic_int_get (&done) / n_explain,
                                   exact ? "exact Shapley values" : "KernelSHAP"))
            g_atomic_int_set (&stop, 1);
      }
    game_scratch_clear (&s);
  }
  assign_game_clear (&game);
  if (!cs_progress_check (progress, error))
    return FALSE;
  g_assert (!stop);

  shap_rows = g_new (gsize, k);
  fav = g_new0 (double, (gsize) k * d);
  unfav = g_new0 (double, (gsize) k * d);
  mabs = g_new0 (double, (gsize) k * d);
  for (guint c = 0; c < k; c++)
    {
      gsize m = offset[c + 1] - offset[c];

      for (gsize e = offset[c]; e < offset[c + 1]; e++)
        for (guint j = 0; j < d; j++)
          {
            double v = phi[e * d + j];
            gsize idx = (gsize) c * d + j;

            if (v > 0.0)
              fav[idx] += v;
            else
              unfav[idx] += v;
            mabs[idx] += fabs (v);
          }
      for (guint j = 0; j < d; j++)
        {
          gsize idx = (gsize) c * d + j;
          fav[idx] /= m;
          unfav[idx] /= m;
          mabs[idx] /= m;
        }
      shap_rows[c] = m;
    }
  g_free (report->favourable);
  g_free (report->unfavourable);
  g_free (report->shap_mean_abs);
  report->favourable = g_steal_pointer (&fav);
  report->unfavourable = g_steal_pointer (&unfav);
  report->shap_mean_abs = g_steal_pointer (&mabs);
  g_free (report->shap_rows);
  report->shap_rows = g_steal_pointer (&shap_rows);
  report->method = "kernelshap";
  report->shap_background = nb;
  report->shap_coalitions = exact ? n_values : n_values + 2;
  cs_progress_report (progress, 1.0, "done");
  return TRUE;
}

gboolean
cs_saliency_descriptive (const CsMatrix          *x,
                         const char * const      *feature_names,
                         const int               *class_labels,
                         guint                    n_classes,
                         guint                    k_per_class,
                         guint64                  seed,
                         const CsSaliencyOptions *opt,
                         CsProgress              *progress,
                         int                    **out_labels,
                         guint                   *out_k,
                         int                    **out_cluster_class,
                         GError                 **error)
{
  g_autoptr (CsSaliencyReport) report = NULL;
  g_autoptr (CsProgress) fit_progress = NULL;
  g_autofree gsize *class_size = NULL;
  g_autofree int *labels = NULL;
  g_autoptr (GArray) cluster_class = g_array_new (FALSE, FALSE, sizeof (int));
  CsProgressRange fit_range;
  gsize n;
  guint d;

  g_return_val_if_fail (x != NULL && class_labels != NULL && out_labels != NULL && out_k != NULL
                          && out_cluster_class != NULL, FALSE);

  n = x->rows;
  d = x->cols;
  if (n_classes < 2)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "Descriptive clustering needs at least 2 classes (got %u)", n_classes);
      return FALSE;
    }
  if (k_per_class < 1)
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "Descriptive clustering needs at least 1 cluster per class");
      return FALSE;
    }
  class_size = g_new0 (gsize, n_classes);
  for (gsize i = 0; i < n; i++)
    {
      if (class_labels[i] == -1)
        continue;
      if (class_labels[i] < 0 || (guint) class_labels[i] >= n_classes)
        {
          g_autofree char *row = cs_format_count (i + 1);
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "Descriptive clustering: row %s has class %d, outside 0 … %u (or −1 for none)", row,
                       class_labels[i], n_classes - 1);
          return FALSE;
        }
      class_size[class_labels[i]]++;
    }
  for (guint c = 0; c < n_classes; c++)
    if (class_size[c] == 0)
      {
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "Descriptive clustering: class %u has no rows; number the classes 0 … %u without gaps",
                     c + 1, n_classes - 1);
        return FALSE;
      }

  fit_progress = cs_progress_stage_new (&fit_range, progress, 0.0, 0.8);
  if (!cs_saliency_run (x, feature_names, class_labels, n_classes, opt, fit_progress, &report, error)
      || !cs_progress_check (progress, error))
    return FALSE;

  labels = g_new (int, n);
  for (gsize i = 0; i < n; i++)
    labels[i] = -1;
  for (guint c = 0; c < n_classes; c++)
    {
      g_autoptr (CsMatrix) phi = cs_matrix_new (class_size[c], d);
      g_autofree gsize *rows = g_new (gsize, class_size[c]);
      g_autofree int *sub = g_new0 (int, class_size[c]);
      g_autofree int *renumber = NULL;
      guint k = (guint) MIN ((gsize) k_per_class, class_size[c]);
      int next = (int) cluster_class->len;
      gsize m = 0;

      for (gsize i = 0; i < n; i++)
        if (class_labels[i] == (int) c)
          {
            cs_saliency_report_shapley (report, c, cs_matrix_row (x, i), cs_matrix_row (phi, m));
            rows[m++] = i;
          }
      if (k > 1)
        {
          g_autoptr (CsClustering) clustering = NULL;
          g_autoptr (CsProgress) km_progress = NULL;
          CsProgressRange km_range;
          CsKmeansOptions ko;

          cs_kmeans_options_init (&ko);
          ko.k = k;
          ko.init = CS_KMEANS_INIT_PLUSPLUS;
          ko.n_init = 4;
          ko.seed = seed + c;
          km_progress = cs_progress_stage_new (&km_range, progress, 0.8 + 0.2 * c / n_classes,
                                            0.8 + 0.2 * (c + 1) / n_classes);
          if (!cs_kmeans_run (phi, &ko, km_progress, NULL, &clustering, error)
              || !cs_progress_check (progress, error))
            return FALSE;
          memcpy (sub, clustering->labels, m * sizeof *sub);
        }

      /* number the non-empty clusters in order of their label */
      renumber = g_new (int, k);
      for (guint t = 0; t < k; t++)
        renumber[t] = -1;
      for (gsize t = 0; t < m; t++)
        renumber[sub[t]] = 0;
      for (guint t = 0; t < k; t++)
        if (renumber[t] == 0)
          {
            int cls = (int) c;

            renumber[t] = next++;
            g_array_append_val (cluster_class, cls);
          }
      for (gsize t = 0; t < m; t++)
        labels[rows[t]] = renumber[sub[t]];
    }

  cs_progress_report (progress, 1.0, "done");
  *out_k = cluster_class->len;
  *out_labels = g_steal_pointer (&labels);
  *out_cluster_class = g_memdup2 (cluster_class->data, cluster_class->len * sizeof (int));
  return TRUE;
}

GPtrArray *
cs_saliency_categorical_all (const CsDataset *ds,
                             const gsize     *rows,
                             const int       *labels,
                             gsize            n,
                             guint            k)
{
  GPtrArray *cats = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_saliency_categorical_free);

  for (guint j = 0; j < cs_dataset_n_columns (ds); j++)
    {
      CsSaliencyCategorical *cat = NULL;

      if (cs_dataset_column (ds, j)->kind == CS_COLUMN_CATEGORICAL
          && cs_saliency_categorical (ds, j, rows, labels, n, k, &cat, NULL))
        g_ptr_array_add (cats, cat);
    }
  return cats;
}

guint
cs_saliency_categorical_top_level (const CsSaliencyCategorical *cat,
                                   guint                        cluster)
{
  const double *p = cat->proportion + (gsize) cluster * cat->n_levels;
  const double *rest = cat->rest_proportion + (gsize) cluster * cat->n_levels;
  guint best = 0;

  for (guint l = 1; l < cat->n_levels; l++)
    if (p[l] - rest[l] > p[best] - rest[best])
      best = l;
  return best;
}

CsMatrix *
cs_saliency_assignment_centers (const CsMatrix *x,
                                const int      *labels,
                                guint           k,
                                const CsMatrix *centers,
                                const gsize    *medoids)
{
  CsMatrix *out;
  g_autofree gsize *count = NULL;

  g_return_val_if_fail (x != NULL && labels != NULL && k > 0, NULL);

  if (centers != NULL)
    return cs_matrix_copy (centers);
  out = cs_matrix_new (k, x->cols);
  if (medoids != NULL)
    {
      for (guint j = 0; j < k; j++)
        memcpy (cs_matrix_row (out, j), cs_matrix_row (x, medoids[j]), x->cols * sizeof (double));
      return out;
    }
  count = g_new (gsize, k);
  cs_metric_cluster_means (x, labels, k, out->data, count);
  return out;
}
