#include "saliency.h"
#include "cs-error.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
  g_autofree ValueItem *items = g_new (ValueItem, r->n_labelled);
  g_autofree double *rank_sum = g_new (double, k);
  g_autofree double *sum = g_new (double, k);
  g_autofree double *mean = g_new (double, k);
  g_autofree double *within = g_new (double, k);

  for (guint j = 0; j < d; j++)
    {
      gsize m = 0;
      double total = 0.0;

      if (!cs_progress_check (progress, error))
        return FALSE;
      cs_progress_report (progress, 0.3 * j / d, "effect sizes");

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
    }
  return TRUE;
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
      double t = cblas_ddot (d, z + i * d, 1, w, 1) + w[d];
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
              double eta = cblas_ddot (d, zi, 1, w, 1) + w[d];
              double pi = logistic (eta);
              double s = sqrt (opt->c * pi * (1.0 - pi));
              double r = opt->c * (pi - y[i]);

              for (guint j = 0; j < d; j++)
                {
                  grad[j] += r * zi[j];
                  b[t * p + j] = s * zi[j];
                }
              grad[d] += r;
              b[t * p + d] = s;
            }
          cblas_dsyrk (CblasRowMajor, CblasUpper, CblasTrans, p, nb, 1.0, b, p, 1.0, h, p);
          if (!cs_progress_check (progress, error))
            return FALSE;
        }
      for (guint j = 0; j < d; j++)
        h[(gsize) j * p + j] += 1.0;

      info = LAPACKE_dposv (LAPACK_ROW_MAJOR, 'U', p, 1, h, p, grad, 1);
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

  cs_saliency_report_rank (r, c, order);
  g_string_append_printf (s, "Cluster %u (%" G_GSIZE_FORMAT " rows, %.0f %%)", c + 1, r->sizes[c],
                          100.0 * r->sizes[c] / r->n_rows);
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
  g_autofree double *y = NULL;
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
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "Saliency: row %" G_GSIZE_FORMAT " has label %d, outside 0 … %u (or −1 for noise)",
                       i + 1, labels[i], k - 1);
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
  y = g_new (double, m);
  for (gsize i = 0, t = 0; i < n; i++)
    if (labels[i] >= 0)
      {
        for (guint j = 0; j < d; j++)
          z[t * d + j] = (cs_matrix_get (x, i, j) - r->center[j]) / r->scale[j];
        zlab[t++] = labels[i];
      }

  for (guint c = 0; c < k; c++)
    {
      double *w = r->coef + (gsize) c * (d + 1);
      gsize hits = 0;

      cs_progress_report (progress, 0.3 + 0.7 * c / k, "logistic surrogate");
      for (gsize t = 0; t < m; t++)
        y[t] = zlab[t] == (int) c ? 1.0 : 0.0;
      if (!logreg_fit (z, m, d, y, opt, w, progress, error))
        return FALSE;

      for (gsize t = 0; t < m; t++)
        {
          const double *zt = z + t * d;
          double f = cblas_ddot (d, zt, 1, w, 1) + w[d];

          if ((f >= 0.0) == (y[t] == 1.0))
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
    }

  for (gsize t = 0; t < m; t++)
    {
      const double *zt = z + t * d;
      guint best = 0;
      double best_f = -INFINITY;

      for (guint c = 0; c < k; c++)
        {
          const double *w = r->coef + (gsize) c * (d + 1);
          double f = cblas_ddot (d, zt, 1, w, 1) + w[d];
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
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "Saliency: item %" G_GSIZE_FORMAT " has label %d or row %" G_GSIZE_FORMAT
                       " out of range", i + 1, labels[i], rows[i] + 1);
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
