#include "core/metrics/cs-metrics-private.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-rng.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static inline gboolean
label_ok (int   label,
          guint k)
{
  return label >= 0 && (guint) label < k;
}

double
cs_metric_inertia (const CsMatrix *x,
                   const int      *labels,
                   const CsMatrix *centers)
{
  double total = 0.0;

  g_return_val_if_fail (x != NULL && labels != NULL && centers != NULL, NAN);
  g_return_val_if_fail (x->cols == centers->cols, NAN);
  for (gsize i = 0; i < x->rows; i++)
    if (label_ok (labels[i], centers->rows))
      total += cs_sqdist (cs_matrix_row (x, i), cs_matrix_row (centers, labels[i]), x->cols);
  return total;
}

guint
cs_metric_cluster_means (const CsMatrix *x,
               const int      *labels,
               guint           k,
               double         *means,
               gsize          *sizes)
{
  gsize d = x->cols;
  guint used = 0;

  memset (means, 0, (gsize) k * d * sizeof (double));
  memset (sizes, 0, k * sizeof (gsize));
  for (gsize i = 0; i < x->rows; i++)
    if (label_ok (labels[i], k))
      {
        const double *r = cs_matrix_row (x, i);
        double *m = means + (gsize) labels[i] * d;
        for (gsize j = 0; j < d; j++)
          m[j] += r[j];
        sizes[labels[i]]++;
      }
  for (guint c = 0; c < k; c++)
    if (sizes[c] > 0)
      {
        used++;
        for (gsize j = 0; j < d; j++)
          means[c * d + j] /= (double) sizes[c];
      }
  return used;
}

/* Davies & Bouldin (1979) with scikit-learn's conventions: mean Euclidean distance to the
 * centroid as the scatter; 0 when every scatter or every centroid distance is ~0. */
double
cs_metric_davies_bouldin (const CsMatrix *x,
                          const int      *labels,
                          guint           k)
{
  gsize d = x->cols;
  g_autofree double *means = g_new (double, (gsize) MAX (k, 1) * d);
  g_autofree gsize *sizes = g_new (gsize, MAX (k, 1));
  g_autofree double *scatter = g_new0 (double, MAX (k, 1));
  gboolean all_scatter_zero = TRUE;
  gboolean all_sep_zero = TRUE;
  double total = 0.0;
  guint used;

  g_return_val_if_fail (x != NULL && labels != NULL, NAN);
  used = cs_metric_cluster_means (x, labels, k, means, sizes);
  if (used < 2)
    return NAN;
  for (gsize i = 0; i < x->rows; i++)
    if (label_ok (labels[i], k))
      scatter[labels[i]] += sqrt (cs_sqdist (cs_matrix_row (x, i), means + (gsize) labels[i] * d, d));
  for (guint c = 0; c < k; c++)
    if (sizes[c] > 0)
      {
        scatter[c] /= (double) sizes[c];
        /* np.allclose(…, 0) in scikit-learn: absolute tolerance 1e-8 */
        if (scatter[c] > 1e-8)
          all_scatter_zero = FALSE;
      }
  for (guint a = 0; a < k; a++)
    for (guint b = a + 1; b < k; b++)
      if (sizes[a] > 0 && sizes[b] > 0 && sqrt (cs_sqdist (means + a * d, means + b * d, d)) > 1e-8)
        all_sep_zero = FALSE;
  if (all_scatter_zero || all_sep_zero)
    return 0.0;
  for (guint a = 0; a < k; a++)
    {
      double worst = 0.0;
      if (sizes[a] == 0)
        continue;
      for (guint b = 0; b < k; b++)
        {
          double sep;
          if (b == a || sizes[b] == 0)
            continue;
          sep = sqrt (cs_sqdist (means + a * d, means + b * d, d));
          /* Coinciding centroids count as infinitely far apart, as in scikit-learn. */
          if (sep > 0.0)
            worst = MAX (worst, (scatter[a] + scatter[b]) / sep);
        }
      total += worst;
    }
  return total / used;
}

/* Calinski & Harabasz (1974): between- over within-cluster dispersion, each per degree of
 * freedom; 1 when the within-cluster dispersion is 0 (scikit-learn's convention). */
double
cs_metric_calinski_harabasz (const CsMatrix *x,
                             const int      *labels,
                             guint           k)
{
  gsize d = x->cols;
  g_autofree double *means = g_new (double, (gsize) MAX (k, 1) * d);
  g_autofree gsize *sizes = g_new (gsize, MAX (k, 1));
  g_autofree double *grand = g_new0 (double, d);
  double extra = 0.0;
  double intra = 0.0;
  gsize n = 0;
  guint used;

  g_return_val_if_fail (x != NULL && labels != NULL, NAN);
  used = cs_metric_cluster_means (x, labels, k, means, sizes);
  for (gsize i = 0; i < x->rows; i++)
    if (label_ok (labels[i], k))
      {
        const double *r = cs_matrix_row (x, i);
        for (gsize j = 0; j < d; j++)
          grand[j] += r[j];
        n++;
        intra += cs_sqdist (r, means + (gsize) labels[i] * d, d);
      }
  if (used < 2 || n <= used)
    return NAN;
  for (gsize j = 0; j < d; j++)
    grand[j] /= (double) n;
  for (guint c = 0; c < k; c++)
    if (sizes[c] > 0)
      extra += (double) sizes[c] * cs_sqdist (means + (gsize) c * d, grand, d);
  if (intra == 0.0)
    return 1.0;
  return extra * (double) (n - used) / (intra * (double) (used - 1));
}

#define SIL_ROWS 64
#define SIL_COLS 2048

double
cs_i_silhouette_of (const double *sum,
                    const gsize  *sizes,
                    guint         k,
                    int           own)
{
  double a;
  double bmin = INFINITY;

  if (sizes[own] < 2)
    return 0.0;
  for (guint c = 0; c < k; c++)
    if ((int) c != own && sizes[c] > 0)
      bmin = MIN (bmin, sum[c] / (double) sizes[c]);
  a = sum[own] / (double) (sizes[own] - 1);
  return MAX (a, bmin) > 0.0 ? (bmin - a) / MAX (a, bmin) : 0.0;
}

gboolean
cs_metric_silhouette (const CsMatrix *x,
                      const int      *labels,
                      guint           k,
                      gsize           sample_size,
                      guint64         seed,
                      double         *per_point,
                      double         *mean,
                      CsProgress     *progress,
                      GError        **error)
{
  gsize n;
  gsize d;
  gsize m = 0;
  g_autofree gsize *idx = NULL;
  g_autofree int *lab = NULL;
  g_autofree gsize *sizes = NULL;
  g_autofree double *col_mean = NULL;
  g_autofree double *ysq = NULL;
  g_autofree double *s = NULL;
  g_autoptr (CsMatrix) y = NULL;
  gsize n_blocks;
  guint used = 0;
  gint done = 0;
  gint stop = 0;
  double total = 0.0;

  g_return_val_if_fail (x != NULL && labels != NULL && mean != NULL, FALSE);
  n = x->rows;
  d = x->cols;
  *mean = NAN;
  if (per_point)
    for (gsize i = 0; i < n; i++)
      per_point[i] = NAN;

  idx = g_new (gsize, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    if (label_ok (labels[i], k))
      idx[m++] = i;
  if (sample_size > 0 && sample_size < m)
    {
      /* A seeded partial Fisher–Yates over the labelled rows, then back into row order. */
      CsRng rng;
      cs_rng_init (&rng, seed);
      cs_rng_sample_front (&rng, idx, m, sample_size);
      m = sample_size;
      qsort (idx, m, sizeof *idx, cs_compare_gsize);
    }

  sizes = g_new0 (gsize, MAX (k, 1));
  lab = g_new (int, MAX (m, 1));
  for (gsize t = 0; t < m; t++)
    {
      lab[t] = labels[idx[t]];
      if (sizes[lab[t]]++ == 0)
        used++;
    }
  if (used < 2 || used > m - 1)
    {
      g_autofree char *rows = cs_format_count (m);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "The silhouette needs between 2 and n − 1 clusters, but the %s rows it would use fall into %u",
                   rows, used);
      return FALSE;
    }

  /* Centred copy of the rows used: ||a||² − 2a·b + ||b||² loses digits far from the origin. */
  y = cs_matrix_try_new (m, d, "silhouette sample", error);
  if (y == NULL)
    return FALSE;
  col_mean = g_new0 (double, d);
  for (gsize t = 0; t < m; t++)
    for (gsize j = 0; j < d; j++)
      col_mean[j] += cs_matrix_get (x, idx[t], j);
  for (gsize j = 0; j < d; j++)
    col_mean[j] /= (double) m;
  for (gsize t = 0; t < m; t++)
    for (gsize j = 0; j < d; j++)
      y->data[t * d + j] = cs_matrix_get (x, idx[t], j) - col_mean[j];
  ysq = g_new (double, m);
  cs_matrix_row_sqnorms (y, ysq);
  s = g_new (double, m);

  n_blocks = (m + SIL_ROWS - 1) / SIL_ROWS;
#pragma omp parallel
  {
    double *dist = g_new (double, (gsize) SIL_ROWS * SIL_COLS);
    double *acc = g_new (double, (gsize) SIL_ROWS * k);

#pragma omp for schedule(dynamic, 1)
    for (gsize b = 0; b < n_blocks; b++)
      {
        gsize i0 = b * SIL_ROWS;
        gsize nb = MIN (SIL_ROWS, m - i0);

        if (g_atomic_int_get (&stop))
          continue;
        memset (acc, 0, nb * k * sizeof (double));
        for (gsize j0 = 0; j0 < m; j0 += SIL_COLS)
          {
            gsize nt = MIN (SIL_COLS, m - j0);
            CsMatrix tile = { nt, d, y->data + j0 * d }; /* a view: not freed */

            if (cs_progress_is_cancelled (progress))
              {
                g_atomic_int_set (&stop, 1);
                break;
              }
            cs_matrix_sqdist_block (y, ysq, i0, nb, &tile, ysq + j0, dist);
            for (gsize r = 0; r < nb; r++)
              {
                double *ar = acc + r * k;
                const double *dr = dist + r * nt;
                for (gsize t = 0; t < nt; t++)
                  if (i0 + r != j0 + t) /* the self-distance is 0, not rounding noise */
                    ar[lab[j0 + t]] += sqrt (dr[t]);
              }
          }
        if (g_atomic_int_get (&stop))
          continue;
        for (gsize r = 0; r < nb; r++)
          {
            s[i0 + r] = cs_i_silhouette_of (acc + r * k, sizes, k, lab[i0 + r]);
          }
        g_atomic_int_inc (&done);
#ifdef _OPENMP
        if (omp_get_thread_num () == 0)
#endif
          if (!cs_progress_report (progress, (double) g_atomic_int_get (&done) / n_blocks, "silhouette"))
            g_atomic_int_set (&stop, 1);
      }
    g_free (dist);
    g_free (acc);
  }
  if (g_atomic_int_get (&stop) || !cs_progress_check (progress, error))
    {
      if (error && *error == NULL)
        g_set_error_literal (error, CS_ERROR, CS_ERROR_CANCELLED, "The silhouette was cancelled");
      return FALSE;
    }

  for (gsize t = 0; t < m; t++)
    {
      total += s[t];
      if (per_point)
        per_point[idx[t]] = s[t];
    }
  *mean = total / (double) m;
  return TRUE;
}

/* The contingency table of two labellings as its non-zero cells, with dense row and column
 * indices (labels can be any non-negative ints). */
typedef struct
{
  gsize   n;        /* rows counted */
  gsize   n_rows;   /* distinct labels in a */
  gsize   n_cols;   /* distinct labels in b */
  gsize   n_cells;
  double *cells;    /* Owned: n_cells counts */
  double *row_sums; /* Owned */
  double *col_sums; /* Owned */
  gsize  *cell_row; /* Owned */
  gsize  *cell_col; /* Owned */
} Contingency;

static int
cmp_int (const void *p,
         const void *q)
{
  int a = *(const int *) p;
  int b = *(const int *) q;
  return (a > b) - (a < b);
}

static int
cmp_u64 (const void *p,
         const void *q)
{
  guint64 a = *(const guint64 *) p;
  guint64 b = *(const guint64 *) q;
  return (a > b) - (a < b);
}

/* Sorted distinct values of v (in place), returning their count. */
static gsize
unique_ints (int  *v,
             gsize n)
{
  gsize u = 0;

  qsort (v, n, sizeof (int), cmp_int);
  for (gsize i = 0; i < n; i++)
    if (u == 0 || v[u - 1] != v[i])
      v[u++] = v[i];
  return u;
}

static gsize
rank_of (const int *sorted,
         gsize      len,
         int        value)
{
  gsize lo = 0;
  gsize hi = len;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (sorted[mid] < value)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
contingency_build (const int   *a,
                   const int   *b,
                   gsize        n,
                   Contingency *ct)
{
  g_autofree int *ua = g_new (int, MAX (n, 1));
  g_autofree int *ub = g_new (int, MAX (n, 1));
  g_autofree guint64 *keys = g_new (guint64, MAX (n, 1));
  gsize m = 0;

  memset (ct, 0, sizeof *ct);
  for (gsize i = 0; i < n; i++)
    if (a[i] >= 0 && b[i] >= 0)
      {
        ua[m] = a[i];
        ub[m] = b[i];
        m++;
      }
  ct->n = m;
  ct->n_rows = unique_ints (ua, m);
  ct->n_cols = unique_ints (ub, m);
  m = 0;
  for (gsize i = 0; i < n; i++)
    if (a[i] >= 0 && b[i] >= 0)
      keys[m++] = (guint64) rank_of (ua, ct->n_rows, a[i]) * ct->n_cols + rank_of (ub, ct->n_cols, b[i]);
  qsort (keys, m, sizeof (guint64), cmp_u64);

  ct->cells = g_new (double, MAX (m, 1));
  ct->cell_row = g_new (gsize, MAX (m, 1));
  ct->cell_col = g_new (gsize, MAX (m, 1));
  ct->row_sums = g_new0 (double, MAX (ct->n_rows, 1));
  ct->col_sums = g_new0 (double, MAX (ct->n_cols, 1));
  for (gsize i = 0; i < m;)
    {
      gsize j = i;
      while (j < m && keys[j] == keys[i])
        j++;
      ct->cells[ct->n_cells] = (double) (j - i);
      ct->cell_row[ct->n_cells] = keys[i] / ct->n_cols;
      ct->cell_col[ct->n_cells] = keys[i] % ct->n_cols;
      ct->row_sums[keys[i] / ct->n_cols] += (double) (j - i);
      ct->col_sums[keys[i] % ct->n_cols] += (double) (j - i);
      ct->n_cells++;
      i = j;
    }
}

static void
contingency_clear (Contingency *ct)
{
  g_free (ct->cells);
  g_free (ct->row_sums);
  g_free (ct->col_sums);
  g_free (ct->cell_row);
  g_free (ct->cell_col);
}

/* Hubert & Arabie (1985) through the pair confusion matrix, as scikit-learn computes it:
 * every count is an exact integer below 2^53 for n < 9 × 10^7. */
double
cs_metric_ari (const int *a,
               const int *b,
               gsize      n)
{
  Contingency ct;
  double sum_sq = 0.0;
  double row_sq = 0.0;
  double col_sq = 0.0;
  long double tp, fp, fn, tn;
  double nn;

  g_return_val_if_fail (n == 0 || (a != NULL && b != NULL), NAN);
  contingency_build (a, b, n, &ct);
  nn = (double) ct.n;
  for (gsize c = 0; c < ct.n_cells; c++)
    sum_sq += ct.cells[c] * ct.cells[c];
  for (gsize r = 0; r < ct.n_rows; r++)
    row_sq += ct.row_sums[r] * ct.row_sums[r];
  for (gsize c = 0; c < ct.n_cols; c++)
    col_sq += ct.col_sums[c] * ct.col_sums[c];
  contingency_clear (&ct);

  tp = sum_sq - nn;
  fp = col_sq - sum_sq;
  fn = row_sq - sum_sq;
  tn = (long double) nn * nn - fp - fn - sum_sq;
  if (fn == 0 && fp == 0)
    return 1.0;
  return (double) (2.0L * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn)));
}

static double
entropy_of (const double *sums,
            gsize         len,
            double        total)
{
  double h = 0.0;

  if (len <= 1)
    return 0.0;
  for (gsize i = 0; i < len; i++)
    if (sums[i] > 0)
      h -= (sums[i] / total) * (log (sums[i]) - log (total));
  return h;
}

/* Mutual information over the arithmetic mean of the two entropies, with scikit-learn's
 * limit cases: two single-cluster labellings agree perfectly (1); MI = 0 gives 0. */
/* Mutual information (nats) of a contingency table with n_rows, n_cols > 1; else 0. */
static double
mutual_info (const Contingency *ct)
{
  double total = (double) ct->n;
  double mi = 0.0;

  if (ct->n_rows > 1 && ct->n_cols > 1)
    {
      double log_total = log (total);
      for (gsize c = 0; c < ct->n_cells; c++)
        {
          double p = ct->cells[c] / total;
          double outer = ct->row_sums[ct->cell_row[c]] * ct->col_sums[ct->cell_col[c]];
          double term = p * (log (ct->cells[c]) - log_total) + p * (-log (outer) + 2.0 * log_total);
          if (fabs (term) >= DBL_EPSILON)
            mi += term;
        }
      mi = MAX (mi, 0.0);
    }
  return mi;
}

/* E[MI] under the hypergeometric model of random labellings with the table's margins
 * (Vinh, Epps & Bailey 2010), summed in log space with lgamma. */
static double
expected_mutual_info (const Contingency *ct)
{
  double N = (double) ct->n;
  double lg_n = lgamma (N + 1.0);
  double emi = 0.0;

  for (gsize i = 0; i < ct->n_rows; i++)
    for (gsize j = 0; j < ct->n_cols; j++)
      {
        double ai = ct->row_sums[i];
        double bj = ct->col_sums[j];
        double lo = MAX (1.0, ai + bj - N);
        double hi = MIN (ai, bj);
        double fixed = lgamma (ai + 1.0) + lgamma (bj + 1.0) + lgamma (N - ai + 1.0) + lgamma (N - bj + 1.0) - lg_n;

        for (double nij = lo; nij <= hi; nij += 1.0)
          {
            double lg = fixed - lgamma (nij + 1.0) - lgamma (ai - nij + 1.0) - lgamma (bj - nij + 1.0)
                        - lgamma (N - ai - bj + nij + 1.0);
            emi += nij / N * (log (N * nij) - log (ai * bj)) * exp (lg);
          }
      }
  return emi;
}

/* NMI (adjusted = FALSE) or AMI: the mutual information of the two labellings, less its
 * expectation under chance when adjusted, over the mean of their entropies (arithmetic). */
static double
information_score (const int *a,
                   const int *b,
                   gsize      n,
                   gboolean   adjusted)
{
  Contingency ct;
  double mi;
  double emi = 0.0;
  double total;
  double denominator;

  g_return_val_if_fail (n == 0 || (a != NULL && b != NULL), NAN);
  contingency_build (a, b, n, &ct);
  total = (double) ct.n;
  if ((ct.n_rows == 1 && ct.n_cols == 1) || (ct.n_rows == 0 && ct.n_cols == 0))
    {
      contingency_clear (&ct);
      return 1.0;
    }
  mi = mutual_info (&ct);
  if (!adjusted && mi == 0.0)
    {
      contingency_clear (&ct);
      return 0.0;
    }
  if (adjusted)
    emi = expected_mutual_info (&ct);
  denominator = 0.5 * (entropy_of (ct.row_sums, ct.n_rows, total) + entropy_of (ct.col_sums, ct.n_cols, total)) - emi;
  contingency_clear (&ct);
  if (!adjusted)
    return mi / MAX (denominator, DBL_EPSILON);
  /* As scikit-learn: keep the sign, never divide by (almost) zero. */
  denominator = denominator < 0.0 ? MIN (denominator, -DBL_EPSILON) : MAX (denominator, DBL_EPSILON);
  return (mi - emi) / denominator;
}

double
cs_metric_nmi (const int *a,
               const int *b,
               gsize      n)
{
  return information_score (a, b, n, FALSE);
}

double
cs_metric_ami (const int *a,
               const int *b,
               gsize      n)
{
  return information_score (a, b, n, TRUE);
}

/* Shortest augmenting paths with row and column potentials (Kuhn 1955, Munkres 1957, in the
 * O(n² m) form of Jonker & Volgenant): rows are added one at a time, each by a Dijkstra-like
 * search over reduced costs that stay >= 0. Needs rows <= cols. */
static double
hungarian_wide (const double *cost,
                gsize         rows,
                gsize         cols,
                int          *assignment)
{
  g_autofree double *u = g_new0 (double, rows + 1);
  g_autofree double *v = g_new0 (double, cols + 1);
  g_autofree double *minv = g_new (double, cols + 1);
  g_autofree gsize *owner = g_new0 (gsize, cols + 1); /* owner[j] = 1-based row on column j, 0 = free */
  g_autofree gsize *way = g_new0 (gsize, cols + 1);
  g_autofree gboolean *used = g_new (gboolean, cols + 1);
  double total = 0.0;

  for (gsize i = 1; i <= rows; i++)
    {
      gsize j0 = 0;

      owner[0] = i;
      for (gsize j = 0; j <= cols; j++)
        {
          minv[j] = INFINITY;
          used[j] = FALSE;
        }
      do
        {
          gsize i0 = owner[j0];
          gsize j1 = 0;
          double delta = INFINITY;

          used[j0] = TRUE;
          for (gsize j = 1; j <= cols; j++)
            if (!used[j])
              {
                double cur = cost[(i0 - 1) * cols + (j - 1)] - u[i0] - v[j];
                if (cur < minv[j])
                  {
                    minv[j] = cur;
                    way[j] = j0;
                  }
                if (minv[j] < delta)
                  {
                    delta = minv[j];
                    j1 = j;
                  }
              }
          for (gsize j = 0; j <= cols; j++)
            if (used[j])
              {
                u[owner[j]] += delta;
                v[j] -= delta;
              }
            else
              minv[j] -= delta;
          j0 = j1;
        }
      while (owner[j0] != 0);
      /* Flip the alternating path back to the root. */
      do
        {
          gsize j1 = way[j0];
          owner[j0] = owner[j1];
          j0 = j1;
        }
      while (j0 != 0);
    }
  for (gsize r = 0; r < rows; r++)
    assignment[r] = -1;
  for (gsize j = 1; j <= cols; j++)
    if (owner[j] != 0)
      {
        assignment[owner[j] - 1] = (int) (j - 1);
        total += cost[(owner[j] - 1) * cols + (j - 1)];
      }
  return total;
}

double
cs_hungarian (const double *cost,
              gsize         rows,
              gsize         cols,
              int          *assignment)
{
  g_return_val_if_fail (rows == 0 || assignment != NULL, NAN);
  if (rows == 0)
    return 0.0;
  if (cols == 0)
    {
      for (gsize r = 0; r < rows; r++)
        assignment[r] = -1;
      return 0.0;
    }
  g_return_val_if_fail (cost != NULL, NAN);
  if (rows <= cols)
    return hungarian_wide (cost, rows, cols, assignment);
  {
    /* More rows than columns: solve the transpose, where every column gets a row. */
    g_autofree double *t = g_new (double, rows * cols);
    g_autofree int *col_to_row = g_new (int, cols);
    double total;

    for (gsize r = 0; r < rows; r++)
      for (gsize c = 0; c < cols; c++)
        t[c * rows + r] = cost[r * cols + c];
    total = hungarian_wide (t, cols, rows, col_to_row);
    for (gsize r = 0; r < rows; r++)
      assignment[r] = -1;
    for (gsize c = 0; c < cols; c++)
      assignment[col_to_row[c]] = (int) c;
    return total;
  }
}

void
cs_match_labels (const int *reference,
                 guint      k_ref,
                 const int *labels,
                 guint      k,
                 gsize      n,
                 int       *mapping)
{
  guint size = MAX (k, k_ref);
  g_autofree double *cost = NULL;

  g_return_if_fail (mapping != NULL);
  if (k == 0)
    return;
  /* k × max(k, k_ref): the extra columns are fresh labels, free to take, for clusters that
   * have no counterpart in the reference. Maximising overlap = minimising −overlap. */
  cost = g_new0 (double, (gsize) k * size);
  for (gsize i = 0; i < n; i++)
    if (label_ok (labels[i], k) && label_ok (reference[i], k_ref))
      cost[(gsize) labels[i] * size + reference[i]] -= 1.0;
  cs_hungarian (cost, k, size, mapping);
}
