#include "core/graph/cs-kernel-cluster.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-matrix-private.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-kmeans.h"
#include "core/cluster/cs-registry.h"

#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

/* ---- kernel k-means ---- */

void
cs_kernel_kmeans_options_init (CsKernelKmeansOptions *o)
{
  memset (o, 0, sizeof *o);
  o->k = 3;
  o->n_init = 10;
  o->max_iter = 300;
}

static gboolean
check_kernel (const CsMatrix *kernel,
              guint           k,
              GError        **error)
{
  if (kernel == NULL || kernel->rows != kernel->cols || kernel->rows == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "a kernel must be a square, non-empty matrix");
      return FALSE;
    }
  if (k < 1 || k > kernel->rows)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "k = %u clusters for %" G_GSIZE_FORMAT " nodes; k must be "
                   "between 1 and the number of nodes", k, kernel->rows);
      return FALSE;
    }
  for (gsize i = 0; i < kernel->rows * kernel->cols; i++)
    if (!isfinite (kernel->data[i]))
      {
        g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC, "the kernel has a value that is not finite (row %" G_GSIZE_FORMAT
                     ")", i / kernel->cols + 1);
        return FALSE;
      }
  return TRUE;
}

/* Distances of every row to every cluster mean in feature space; returns the inertia of
 * `labels`. dist is n × k. */
static double
feature_distances (const CsMatrix *kern,
                   const int      *labels,
                   guint           k,
                   double         *z,
                   double         *g,
                   double         *dist)
{
  gsize n = kern->rows;
  g_autofree gsize *size = g_new0 (gsize, k);
  g_autofree double *s = g_new0 (double, k);
  double inertia = 0.0;

  for (gsize i = 0; i < n; i++)
    size[labels[i]]++;
  memset (z, 0, n * k * sizeof (double));
  for (gsize i = 0; i < n; i++)
    z[i * k + labels[i]] = 1.0 / (double) size[labels[i]];
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n, (int) k, (int) n, 1.0, kern->data, (int) n, z,
               (int) k, 0.0, g, (int) k);
  for (gsize i = 0; i < n; i++)
    s[labels[i]] += g[i * k + labels[i]];
  for (guint c = 0; c < k; c++)
    s[c] = size[c] ? s[c] / (double) size[c] : 0.0;
  for (gsize i = 0; i < n; i++)
    {
      double kii = kern->data[i * n + i];
      for (guint c = 0; c < k; c++)
        dist[i * k + c] = size[c] ? MAX (kii - 2.0 * g[i * k + c] + s[c], 0.0) : INFINITY;
      inertia += dist[i * k + labels[i]];
    }
  return inertia;
}

static double
one_run (const CsMatrix              *kern,
         const CsKernelKmeansOptions *o,
         guint                        restart,
         int                         *labels,
         guint                       *iterations,
         CsProgress                  *progress,
         GError                     **error)
{
  gsize n = kern->rows;
  guint k = o->k;
  g_autofree gsize *centre = g_new (gsize, k);
  g_autofree double *mind = g_new (double, n);
  g_autofree double *z = g_new (double, n * k);
  g_autofree double *g = g_new (double, n * k);
  g_autofree double *dist = g_new (double, n * k);
  const double *kd = kern->data;
  CsRng rng;
  double inertia = INFINITY;

  cs_rng_init_stream (&rng, o->seed, restart);
  if (o->initial_rows != NULL)
    memcpy (centre, o->initial_rows, k * sizeof (gsize));
  else
    {
      /* k-means++ (Arthur & Vassilvitskii) on the feature-space distance K_ii + K_cc − 2K_ic. */
      centre[0] = (gsize) cs_rng_below (&rng, n);
      for (gsize i = 0; i < n; i++)
        mind[i] = MAX (kd[i * n + i] + kd[centre[0] * n + centre[0]] - 2.0 * kd[i * n + centre[0]], 0.0);
      for (guint c = 1; c < k; c++)
        {
          double total = 0.0;
          for (gsize i = 0; i < n; i++)
            total += mind[i];
          gsize pick = n - 1;
          if (total > 0.0)
            {
              double r = cs_rng_uniform (&rng) * total;
              for (gsize i = 0; i < n; i++)
                if ((r -= mind[i]) < 0.0)
                  {
                    pick = i;
                    break;
                  }
            }
          else
            pick = (gsize) cs_rng_below (&rng, n);
          centre[c] = pick;
          for (gsize i = 0; i < n; i++)
            mind[i] = MIN (mind[i], MAX (kd[i * n + i] + kd[pick * n + pick] - 2.0 * kd[i * n + pick], 0.0));
        }
    }
  for (gsize i = 0; i < n; i++)
    {
      double best = INFINITY;
      labels[i] = 0;
      for (guint c = 0; c < k; c++)
        {
          double d = kd[i * n + i] + kd[centre[c] * n + centre[c]] - 2.0 * kd[i * n + centre[c]];
          if (d < best)
            {
              best = d;
              labels[i] = (int) c;
            }
        }
    }
  for (guint it = 0; it < o->max_iter; it++)
    {
      gsize changed = 0;
      g_autofree gsize *size = g_new0 (gsize, k);

      if (!cs_progress_check (progress, error))
        return NAN;
      /* A cluster left empty takes the row farthest from its own mean. */
      for (gsize i = 0; i < n; i++)
        size[labels[i]]++;
      for (guint c = 0; c < k; c++)
        if (size[c] == 0)
          {
            feature_distances (kern, labels, k, z, g, dist);
            gsize far = 0;
            double fd = -1.0;
            for (gsize i = 0; i < n; i++)
              if (size[labels[i]] > 1 && dist[i * k + labels[i]] > fd)
                {
                  fd = dist[i * k + labels[i]];
                  far = i;
                }
            size[labels[far]]--;
            labels[far] = (int) c;
            size[c] = 1;
          }
      inertia = feature_distances (kern, labels, k, z, g, dist);
      *iterations = it + 1;
      for (gsize i = 0; i < n; i++)
        {
          int best = labels[i];
          for (guint c = 0; c < k; c++)
            if (dist[i * k + c] < dist[i * k + best])
              best = (int) c;
          if (best != labels[i])
            {
              labels[i] = best;
              changed++;
            }
        }
      if (changed == 0)
        break;
      inertia = NAN;
    }
  if (isnan (inertia))
    {
      g_autofree gsize *size = g_new0 (gsize, k);
      for (gsize i = 0; i < n; i++)
        size[labels[i]]++;
      inertia = feature_distances (kern, labels, k, z, g, dist);
    }
  return inertia;
}

gboolean
cs_kernel_kmeans_run (const CsMatrix              *kernel,
                      const CsKernelKmeansOptions *o,
                      CsProgress                  *progress,
                      CsClustering               **out,
                      GError                     **error)
{
  gsize n;
  guint runs;
  g_autoptr (CsClustering) best = NULL;
  g_autofree int *labels = NULL;

  if (!check_kernel (kernel, o->k, error))
    return FALSE;
  if (o->n_init < 1 || o->max_iter < 1)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "n_init and max_iter must be at least 1");
      return FALSE;
    }
  n = kernel->rows;
  if (o->initial_rows)
    for (guint c = 0; c < o->k; c++)
      if (o->initial_rows[c] >= n)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "initial row %" G_GSIZE_FORMAT " is past the last row",
                       o->initial_rows[c]);
          return FALSE;
        }
  runs = o->initial_rows ? 1 : o->n_init;
  labels = g_new (int, n);
  for (guint r = 0; r < runs; r++)
    {
      guint iterations = 0;
      double inertia;

      cs_progress_report (progress, (double) r / runs, "kernel k-means");
      inertia = one_run (kernel, o, r, labels, &iterations, progress, error);
      if (isnan (inertia))
        return FALSE;
      if (best == NULL || inertia < best->objective)
        {
          g_clear_pointer (&best, cs_clustering_unref);
          best = cs_clustering_new ("kernel-kmeans", n, 0, o->k);
          memcpy (best->labels, labels, n * sizeof (int));
          best->objective = inertia;
          best->objective_name = "inertia";
          best->objective_kind = CS_OBJECTIVE_INERTIA;
          best->iterations = iterations;
          best->converged = iterations < o->max_iter;
        }
    }
  cs_progress_report (progress, 1.0, "kernel k-means");
  *out = g_steal_pointer (&best);
  return TRUE;
}

/* ---- kernel Ward ---- */

static gsize
uf_find (gsize *parent,
         gsize  i)
{
  while (parent[i] != i)
    {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
  return i;
}

typedef struct
{
  gsize  a, b;
  double h;
  gsize  order;
} Merge;

static int
merge_cmp (const void *x,
           const void *y)
{
  const Merge *p = x, *q = y;
  if (p->h != q->h)
    return p->h < q->h ? -1 : 1;
  return p->order < q->order ? -1 : p->order > q->order;
}

static void
relabel_first_seen (int  *labels,
                    gsize n,
                    guint k)
{
  g_autofree int *map = g_new (int, n);
  int next = 0;
  for (gsize i = 0; i < n; i++)
    map[i] = -1;
  for (gsize i = 0; i < n; i++)
    {
      if (map[labels[i]] < 0)
        map[labels[i]] = next++;
      labels[i] = map[labels[i]];
    }
  g_assert ((guint) next <= k);
}

static double
within_ss (const CsMatrix *kern,
           const int      *labels,
           guint           k)
{
  gsize n = kern->rows;
  g_autofree double *sum = g_new0 (double, k);
  g_autofree gsize *size = g_new0 (gsize, k);
  double w = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      size[labels[i]]++;
      w += kern->data[i * n + i];
      for (gsize j = 0; j < n; j++)
        if (labels[j] == labels[i])
          sum[labels[i]] += kern->data[i * n + j];
    }
  for (guint c = 0; c < k; c++)
    if (size[c])
      w -= sum[c] / (double) size[c];
  return MAX (w, 0.0);
}

gboolean
cs_kernel_ward_run (const CsMatrix *kernel,
                    guint           k,
                    CsProgress     *progress,
                    CsClustering  **out,
                    GError        **error)
{
  gsize n;
  g_autoptr (CsMatrix) d = NULL;
  g_autofree gsize *size = NULL;
  g_autofree gboolean *active = NULL;
  g_autofree gsize *chain = NULL;
  g_autofree Merge *merges = NULL;
  g_autofree gsize *parent = NULL;
  gsize n_chain = 0, n_merges = 0;
  CsClustering *c;

  if (!check_kernel (kernel, k, error))
    return FALSE;
  n = kernel->rows;
  d = cs_matrix_try_new (n, n, "Ward's distance matrix", error);
  if (d == NULL)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < n; j++)
      d->data[i * n + j] = MAX (kernel->data[i * n + i] + kernel->data[j * n + j] - 2.0 * kernel->data[i * n + j], 0.0);
  size = g_new (gsize, n);
  active = g_new (gboolean, n);
  chain = g_new (gsize, n);
  merges = g_new (Merge, n);
  for (gsize i = 0; i < n; i++)
    {
      size[i] = 1;
      active[i] = TRUE;
    }
  /* Nearest-neighbour chain (Murtagh): Ward is reducible, so merging reciprocal nearest
   * neighbours as they are found gives the same hierarchy as the greedy order. */
  gsize first_active = 0;
  while (n_merges + 1 < n)
    {
      if (n_chain == 0)
        {
          while (!active[first_active])
            first_active++;
          chain[n_chain++] = first_active;
        }
      gsize a = chain[n_chain - 1];
      gsize prev = n_chain > 1 ? chain[n_chain - 2] : G_MAXSIZE;
      gsize b = prev;
      double best = prev != G_MAXSIZE ? d->data[a * n + prev] : INFINITY;
      for (gsize j = 0; j < n; j++)
        if (active[j] && j != a && d->data[a * n + j] < best)
          {
            best = d->data[a * n + j];
            b = j;
          }
      if (b != prev)
        {
          chain[n_chain++] = b;
          continue;
        }
      n_chain -= 2;
      merges[n_merges] = (Merge) { a, b, best, n_merges };
      n_merges++;
      /* Lance–Williams for Ward on squared distances; the merged cluster lives at index a. */
      double na = (double) size[a], nb = (double) size[b];
      for (gsize j = 0; j < n; j++)
        if (active[j] && j != a && j != b)
          {
            double nj = (double) size[j];
            double v = ((na + nj) * d->data[a * n + j] + (nb + nj) * d->data[b * n + j] - nj * best) / (na + nb + nj);
            d->data[a * n + j] = d->data[j * n + a] = v;
          }
      active[b] = FALSE;
      size[a] += size[b];
      if ((n_merges & 255) == 0)
        {
          cs_progress_report (progress, (double) n_merges / (double) n, "Ward merges");
          if (!cs_progress_check (progress, error))
            return FALSE;
        }
    }
  qsort (merges, n_merges, sizeof *merges, merge_cmp);
  parent = g_new (gsize, n);
  for (gsize i = 0; i < n; i++)
    parent[i] = i;
  for (gsize m = 0; m + k < n; m++)
    {
      gsize ra = uf_find (parent, merges[m].a), rb = uf_find (parent, merges[m].b);
      parent[MAX (ra, rb)] = MIN (ra, rb);
    }
  c = cs_clustering_new ("kernel-ward", n, 0, k);
  for (gsize i = 0; i < n; i++)
    c->labels[i] = (int) uf_find (parent, i);
  relabel_first_seen (c->labels, n, (guint) n);
  c->objective = within_ss (kernel, c->labels, k);
  c->objective_name = "within-cluster sum of squares";
  c->objective_kind = CS_OBJECTIVE_INERTIA;
  c->converged = TRUE;
  cs_progress_report (progress, 1.0, "Ward merges");
  *out = c;
  return TRUE;
}

/* ---- spectral ---- */

void
cs_spectral_options_init (CsSpectralOptions *o)
{
  memset (o, 0, sizeof *o);
  o->k = 2;
  o->n_init = 10;
  o->sweeps = 50;
  o->omega = 0.5;
  o->attr_weight = 1.0;
  o->block_distance = TRUE;
}

/* y = (S + I)/2 x for a block of b columns (row-major n × b). */
static void
apply_shifted_s (const CsGraph *g,
                 const double  *dinv,
                 const double  *x,
                 double        *y,
                 gsize          b)
{
  gsize n = g->n;
  /* A parallel region costs more than a small product, and a barrier waits for a descheduled
   * thread on a loaded machine (75 s instead of 3 s for 5,000 nodes here): only for big ones. */
#pragma omp parallel for schedule(static) if (g->row_ptr[n] * b > 20000000)
  for (gsize i = 0; i < n; i++)
    {
      double *yi = y + i * b;
      for (gsize c = 0; c < b; c++)
        yi[c] = 0.5 * x[i * b + c];
      for (gsize e = g->row_ptr[i]; e < g->row_ptr[i + 1]; e++)
        {
          double w = 0.5 * g->w[e] * dinv[i] * dinv[g->col[e]];
          const double *xj = x + (gsize) g->col[e] * b;
          for (gsize c = 0; c < b; c++)
            yi[c] += w * xj[c];
        }
    }
}

static gboolean
orthonormalize (double *q,
                gsize   n,
                gsize   b)
{
  g_autofree double *tau = g_new (double, b);
  if (LAPACKE_dgeqrf (LAPACK_ROW_MAJOR, (lapack_int) n, (lapack_int) b, q, (lapack_int) b, tau) != 0)
    return FALSE;
  return LAPACKE_dorgqr (LAPACK_ROW_MAJOR, (lapack_int) n, (lapack_int) b, (lapack_int) b, q, (lapack_int) b, tau) == 0;
}

/* Leading eigenvectors of S (columns of u, n × dim), descending eigenvalues. */
static gboolean
leading_eigenvectors (const CsGraph *g,
                      const double  *dinv,
                      guint          dim,
                      guint64        seed,
                      double        *u,
                      CsProgress    *progress,
                      GError       **error)
{
  gsize n = g->n;

  if (n <= 1000)
    {
      g_autofree double *s = g_new0 (double, n * n);
      g_autofree double *lambda = g_new (double, n);
      g_autofree double *v = g_new (double, n * dim);
      g_autofree lapack_int *support = g_new (lapack_int, 2 * n);
      lapack_int found = 0;
      for (gsize i = 0; i < n; i++)
        for (gsize e = g->row_ptr[i]; e < g->row_ptr[i + 1]; e++)
          s[i * n + g->col[e]] = g->w[e] * dinv[i] * dinv[g->col[e]];
      if (LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'I', 'U', (lapack_int) n, s, (lapack_int) n, 0.0, 0.0,
                          (lapack_int) (n - dim + 1), (lapack_int) n, 0.0, &found, lambda, v, (lapack_int) dim,
                          support) != 0 || found != (lapack_int) dim)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC, "the eigendecomposition of the normalized adjacency failed");
          return FALSE;
        }
      for (gsize i = 0; i < n; i++)
        for (guint c = 0; c < dim; c++)
          u[i * dim + c] = v[i * dim + (dim - 1 - c)];
      return TRUE;
    }

  /* Block subspace iteration on (S + I)/2, whose spectrum is in [0, 1] with S's order. */
  gsize b = MIN (n, (gsize) dim + MAX (10u, dim));
  g_autofree double *q = g_new (double, n * b);
  g_autofree double *y = g_new (double, n * b);
  g_autofree double *h = g_new (double, b * b);
  g_autofree double *theta = g_new (double, b);
  g_autofree double *w = g_new (double, b * b);
  g_autofree lapack_int *support = g_new (lapack_int, 2 * b);
  CsRng rng;
  const guint max_iter = 3000;
  gboolean converged = FALSE;

  cs_rng_init (&rng, seed);
  for (gsize i = 0; i < n * b; i++)
    q[i] = cs_rng_normal (&rng);
  orthonormalize (q, n, b);
  for (guint it = 1; it <= max_iter && !converged; it++)
    {
      apply_shifted_s (g, dinv, q, y, b);
      if (it % 10 != 0)
        {
          memcpy (q, y, n * b * sizeof (double));
          if (!orthonormalize (q, n, b))
            break;
          continue;
        }
      if (!cs_progress_check (progress, error))
        return FALSE;
      cs_progress_report (progress, 0.8 * it / max_iter, "eigenvectors");
      /* Rayleigh–Ritz: H = Qᵀ M Q, then Q ← Q W (Ritz vectors, descending). */
      cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) b, (int) b, (int) n, 1.0, q, (int) b, y, (int) b, 0.0,
                   h, (int) b);
      lapack_int found = 0;
      if (LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'A', 'U', (lapack_int) b, h, (lapack_int) b, 0.0, 0.0, 0, 0, 0.0,
                          &found, theta, w, (lapack_int) b, support) != 0)
        break;
      /* Residuals ‖M q_j − θ_j q_j‖ of the dim leading Ritz pairs, from Y W = M Q W. */
      g_autofree double *qw = g_new (double, n * b);
      g_autofree double *yw = g_new (double, n * b);
      cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n, (int) b, (int) b, 1.0, q, (int) b, w, (int) b,
                   0.0, qw, (int) b);
      cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n, (int) b, (int) b, 1.0, y, (int) b, w, (int) b,
                   0.0, yw, (int) b);
      double worst = 0.0;
      for (guint c = 0; c < dim; c++)
        {
          gsize col = b - 1 - c;
          double r = 0.0;
          for (gsize i = 0; i < n; i++)
            {
              double t = yw[i * b + col] - theta[col] * qw[i * b + col];
              r += t * t;
            }
          worst = MAX (worst, sqrt (r));
        }
      converged = worst < 1e-7;
      /* Next block: M Q W (ascending Ritz order does not matter to the iteration). */
      memcpy (q, converged ? qw : yw, n * b * sizeof (double));
      if (!converged && !orthonormalize (q, n, b))
        break;
    }
  if (!converged)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
                   "the leading eigenvectors did not converge in %u iterations (the spectral gap after %u vectors is "
                   "too small); try another k or amg-spectral", max_iter, dim);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    for (guint c = 0; c < dim; c++)
      u[i * dim + c] = q[i * b + (b - 1 - c)];
  return TRUE;
}

gboolean
cs_spectral_embedding (const CsGraph *g,
                       guint          dim,
                       guint64        seed,
                       CsProgress    *progress,
                       CsMatrix     **out,
                       GError       **error)
{
  gsize n = g->n;
  g_autofree double *deg = g_new (double, n);
  g_autofree double *dinv = g_new (double, n);
  g_autoptr (CsMatrix) e = NULL;

  if (dim < 1 || dim >= n)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "an embedding of dimension %u for %" G_GSIZE_FORMAT
                   " nodes; it needs 1 ≤ dim < n", dim, n);
      return FALSE;
    }
  cs_graph_degrees (g, deg);
  for (gsize i = 0; i < n; i++)
    dinv[i] = deg[i] > 0.0 ? 1.0 / sqrt (deg[i]) : 0.0;
  e = cs_matrix_try_new (n, dim, "spectral embedding", error);
  if (e == NULL)
    return FALSE;
  /* Thousands of thin products (n × b): threaded by OpenBLAS, each would wait at a barrier for
   * a descheduled thread on a busy machine (55 s instead of 3 s for 5,000 nodes); one thread
   * also makes the vectors the same on any thread count. */
  int saved = cs_i_blas_single_begin (0, TRUE);
  gboolean ok = leading_eigenvectors (g, dinv, dim, seed, e->data, progress, error);
  cs_i_blas_single_end (saved);
  if (!ok)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    for (guint c = 0; c < dim; c++)
      e->data[i * dim + c] *= dinv[i];
  *out = g_steal_pointer (&e);
  return TRUE;
}

static gboolean
kmeans_rows (const CsMatrix *e,
             guint           k,
             guint           n_init,
             guint64         seed,
             CsProgress     *progress,
             CsClustering  **out,
             GError        **error)
{
  CsKmeansOptions ko;
  cs_kmeans_options_init (&ko);
  ko.k = k;
  ko.n_init = n_init;
  ko.seed = seed;
  return cs_kmeans_run (e, &ko, progress, NULL, out, error);
}

gboolean
cs_spectral_cluster (const CsGraph           *g,
                     const CsSpectralOptions *o,
                     CsProgress              *progress,
                     CsClustering           **out,
                     GError                 **error)
{
  g_autoptr (CsMatrix) e = NULL;
  CsProgressRange r1, r2;
  g_autoptr (CsProgress) p1 = cs_progress_stage_new (&r1, progress, 0.0, 0.8);
  g_autoptr (CsProgress) p2 = cs_progress_stage_new (&r2, progress, 0.8, 1.0);
  CsClustering *c = NULL;

  if (o->k < 2 || o->k >= g->n || o->n_init < 1)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "k = %u for %" G_GSIZE_FORMAT " nodes; spectral clustering "
                   "needs 2 ≤ k < n (and n_init ≥ 1)", o->k, g->n);
      return FALSE;
    }
  if (!cs_spectral_embedding (g, o->dim ? o->dim : o->k, o->seed, p1, &e, error))
    return FALSE;
  if (!cs_progress_check (progress, error) || !kmeans_rows (e, o->k, o->n_init, o->seed, p2, &c, error))
    return FALSE;
  g_free (c->algorithm);
  c->algorithm = g_strdup ("spectral");
  *out = c;
  return TRUE;
}

/* ---- AMG-style smooth vectors ---- */

/* Columns of x (n × b) D-orthonormalized, dropping none (a tiny diagonal shift keeps the
 * Cholesky factor of the Gram matrix defined when two vectors have become alike). */
static gboolean
d_orthonormalize (double       *x,
                  const double *deg,
                  gsize         n,
                  gsize         b)
{
  g_autofree double *gram = g_new0 (double, b * b);
  g_autofree double *dx = g_new (double, n * b);
  double trace = 0.0;

  for (gsize i = 0; i < n; i++)
    for (gsize c = 0; c < b; c++)
      dx[i * b + c] = deg[i] * x[i * b + c];
  cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) b, (int) b, (int) n, 1.0, x, (int) b, dx, (int) b, 0.0,
               gram, (int) b);
  for (gsize c = 0; c < b; c++)
    trace += gram[c * b + c];
  for (gsize c = 0; c < b; c++)
    gram[c * b + c] += 1e-12 * trace + DBL_MIN;
  if (LAPACKE_dpotrf (LAPACK_ROW_MAJOR, 'U', (lapack_int) b, gram, (lapack_int) b) != 0)
    return FALSE;
  /* X ← X R⁻¹ */
  cblas_dtrsm (CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit, (int) n, (int) b, 1.0, gram, (int) b,
               x, (int) b);
  return TRUE;
}

static gboolean amg_run (const CsGraph *g, const CsSpectralOptions *o, CsProgress *progress, CsClustering **out,
                         GError **error);

gboolean
cs_amg_spectral_cluster (const CsGraph           *g,
                         const CsSpectralOptions *o,
                         CsProgress              *progress,
                         CsClustering           **out,
                         GError                 **error)
{
  /* Thin products only (n × dim): one OpenBLAS thread, as for the spectral embedding. */
  int saved = cs_i_blas_single_begin (0, TRUE);
  gboolean ok = amg_run (g, o, progress, out, error);
  cs_i_blas_single_end (saved);
  return ok;
}

static gboolean
amg_run (const CsGraph           *g,
         const CsSpectralOptions *o,
         CsProgress              *progress,
         CsClustering           **out,
         GError                 **error)
{
  g_autoptr (CsGraph) aug = NULL;
  const CsGraph *h = g;
  gsize n, n0 = g->n;
  guint dim = o->dim ? o->dim : o->k;
  g_autofree double *deg = NULL;
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  g_autoptr (CsClustering) best = NULL;
  double best_q = -INFINITY;

  if (o->k < 2 || o->k >= g->n || o->n_init < 1 || o->sweeps < 1 || !(o->omega > 0.0 && o->omega <= 1.0))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "amg-spectral needs 2 ≤ k < n, n_init ≥ 1, sweeps ≥ 1 and "
                   "0 < omega ≤ 1");
      return FALSE;
    }
  if (g->n_attrs > 0)
    {
      aug = cs_graph_augment (g, o->attr_weight, NULL, error);
      if (aug == NULL)
        return FALSE;
      h = aug;
    }
  n = h->n;
  deg = g_new (double, n);
  cs_graph_degrees (h, deg);
  x = g_new (double, n * dim);
  y = g_new (double, n * dim);
  for (guint r = 0; r < o->n_init; r++)
    {
      CsRng rng;
      double total_deg = 0.0;
      g_autoptr (CsMatrix) e = NULL;
      CsClustering *c = NULL;

      if (!cs_progress_check (progress, error))
        return FALSE;
      cs_progress_report (progress, (double) r / o->n_init, "smooth vectors");
      cs_rng_init_stream (&rng, o->seed, r);
      for (gsize i = 0; i < n * dim; i++)
        x[i] = cs_rng_normal (&rng);
      for (gsize i = 0; i < n; i++)
        total_deg += deg[i];
      for (guint s = 0; s < o->sweeps; s++)
        {
          /* Damped Jacobi on L x = 0: x ← x − ω D⁻¹ L x = (1 − ω) x + ω D⁻¹ A x. It damps the
           * rough components and keeps the algebraically smooth ones (near-constant on clusters). */
#pragma omp parallel for schedule(static) if (h->row_ptr[n] * dim > 20000000)
          for (gsize i = 0; i < n; i++)
            {
              for (guint c = 0; c < dim; c++)
                y[i * dim + c] = (1.0 - o->omega) * x[i * dim + c];
              if (deg[i] <= 0.0)
                continue;
              for (gsize e2 = h->row_ptr[i]; e2 < h->row_ptr[i + 1]; e2++)
                {
                  double w = o->omega * h->w[e2] / deg[i];
                  for (guint c = 0; c < dim; c++)
                    y[i * dim + c] += w * x[(gsize) h->col[e2] * dim + c];
                }
            }
          memcpy (x, y, n * dim * sizeof (double));
          /* The constant is exactly smooth and says nothing: remove it (D-orthogonal projection,
           * which the sweep preserves; repeated against rounding). */
          if (s % 5 == 4 || s + 1 == o->sweeps)
            {
              if (!cs_progress_check (progress, error))
                return FALSE;
              for (guint c = 0; c < dim; c++)
                {
                  double m = 0.0;
                  for (gsize i = 0; i < n; i++)
                    m += deg[i] * x[i * dim + c];
                  m /= total_deg > 0.0 ? total_deg : 1.0;
                  for (gsize i = 0; i < n; i++)
                    x[i * dim + c] -= m;
                }
              /* Without this every vector would drift to the one smoothest mode and the block
               * would span a line, not the clusters. */
              if (!d_orthonormalize (x, deg, n, dim))
                {
                  g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC, "the smooth vectors collapsed; try fewer sweeps");
                  return FALSE;
                }
            }
        }
      if (aug != NULL && o->block_distance)
        {
          /* The modified k-means of the paper: nodes compared block by block with their
           * attribute vertices. Its distance is the norm of the vector of block distances, so
           * k-means on the blocks side by side minimises it exactly. */
          g_autoptr (CsMatrix) all = cs_matrix_new_from_data (n, dim, x);
          e = cs_amg_block_embedding (g, aug, all, error);
          if (e == NULL)
            return FALSE;
        }
      else
        e = cs_matrix_new_from_data (n0, dim, x); /* the original nodes' rows */
      if (!kmeans_rows (e, o->k, 1, o->seed + r, NULL, &c, error))
        return FALSE;
      double q = cs_graph_modularity (g, c->labels, o->k);
      if (q > best_q)
        {
          best_q = q;
          g_clear_pointer (&best, cs_clustering_unref);
          best = c;
        }
      else
        cs_clustering_unref (c);
    }
  g_free (best->algorithm);
  best->algorithm = g_strdup ("amg-spectral");
  best->objective = best_q;
  best->objective_name = "modularity";
  best->objective_kind = CS_OBJECTIVE_NONE;
  cs_progress_report (progress, 1.0, "smooth vectors");
  *out = g_steal_pointer (&best);
  return TRUE;
}

CsMatrix *
cs_amg_block_embedding (const CsGraph  *g,
                        const CsGraph  *aug,
                        const CsMatrix *x,
                        GError        **error)
{
  gsize n0 = g->n, m = g->n_attrs, dim = x->cols, width = (1 + m) * dim;
  g_autofree gsize *start = g_new0 (gsize, m + 1);
  g_autofree double *mean = g_new0 (double, MAX (m * dim, 1));
  g_autofree gsize *count = g_new0 (gsize, MAX (m, 1));
  g_autoptr (CsMatrix) e = NULL;

  g_return_val_if_fail (x->rows == aug->n && aug->n >= n0, NULL);
  /* cs_graph_augment numbers the extra vertices attribute by attribute (each value once, in
   * order of first appearance): attribute j owns the vertices start[j] … start[j + 1] − 1. */
  start[0] = n0;
  for (gsize j = 0; j < m; j++)
    {
      g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      for (gsize i = 0; i < n0; i++)
        if (g->attr_values[i * m + j] != NULL)
          g_hash_table_add (seen, g->attr_values[i * m + j]);
      start[j + 1] = start[j] + g_hash_table_size (seen);
    }
  if (start[m] != aug->n)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "the augmented graph has %" G_GSIZE_FORMAT " vertices, not the %" G_GSIZE_FORMAT " of its "
                   "attribute values", aug->n, start[m]);
      return NULL;
    }
  e = cs_matrix_try_new (n0, width, "block embedding", error);
  if (e == NULL)
    return NULL;
  for (gsize i = 0; i < n0; i++)
    {
      double *row = e->data + i * width;

      memcpy (row, x->data + i * dim, dim * sizeof (double));
      for (gsize j = 0; j < m; j++)
        row[(1 + j) * dim] = NAN;
      for (gsize p = aug->row_ptr[i]; p < aug->row_ptr[i + 1]; p++)
        {
          gsize v = aug->col[p], j = 0;

          if (v < n0)
            continue;
          while (v >= start[j + 1])
            j++;
          memcpy (row + (1 + j) * dim, x->data + v * dim, dim * sizeof (double));
          count[j]++;
          for (gsize c = 0; c < dim; c++)
            mean[j * dim + c] += x->data[v * dim + c];
        }
    }
  /* A node without a value for an attribute sits at that attribute's mean vertex position: it
   * neither pulls towards nor away from any value. */
  for (gsize j = 0; j < m; j++)
    for (gsize c = 0; c < dim; c++)
      mean[j * dim + c] = count[j] > 0 ? mean[j * dim + c] / (double) count[j] : 0.0;
  for (gsize i = 0; i < n0; i++)
    for (gsize j = 0; j < m; j++)
      {
        double *block = e->data + i * width + (1 + j) * dim;
        if (isnan (block[0]))
          memcpy (block, mean + j * dim, dim * sizeof (double));
      }
  return g_steal_pointer (&e);
}

double
cs_amg_block_distance (const double *a,
                       const double *b,
                       gsize         blocks,
                       gsize         dim,
                       double       *components)
{
  double total = 0.0;

  for (gsize blk = 0; blk < blocks; blk++)
    {
      double s = 0.0;
      for (gsize c = 0; c < dim; c++)
        {
          double t = a[blk * dim + c] - b[blk * dim + c];
          s += t * t;
        }
      if (components != NULL)
        components[blk] = sqrt (s);
      total += s;
    }
  return sqrt (total);
}

/* ---- pseudo-inverse and Nyström ---- */

static CsMatrix *
pinv_eigen (const CsMatrix *a)
{
  gsize m = a->rows;
  g_autofree double *work = g_memdup2 (a->data, m * m * sizeof (double));
  g_autofree double *lambda = g_new (double, m);
  g_autofree double *v = g_new (double, m * m);
  g_autofree lapack_int *support = g_new (lapack_int, 2 * m);
  lapack_int found = 0;
  CsMatrix *x = cs_matrix_new (m, m);

  if (LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'A', 'U', (lapack_int) m, work, (lapack_int) m, 0.0, 0.0, 0, 0, 0.0,
                      &found, lambda, v, (lapack_int) m, support) != 0)
    return x;
  double top = MAX (fabs (lambda[0]), fabs (lambda[m - 1]));
  for (gsize c = 0; c < m; c++)
    {
      if (!(lambda[c] > 1e-12 * top))
        continue;
      double inv = 1.0 / lambda[c];
      for (gsize i = 0; i < m; i++)
        for (gsize j = 0; j < m; j++)
          x->data[i * m + j] += v[i * m + c] * inv * v[j * m + c];
    }
  return x;
}

/* C = alpha A B + beta C for m × m row-major matrices, split into fixed panels of C's columns
 * run side by side: each panel is one single-threaded dgemm whose sums do not depend on how
 * many threads share the panels, so the result is the same on any thread count (OpenBLAS is
 * pinned to one thread by the caller). */
static void
square_gemm (gsize         m,
             double        alpha,
             const double *a,
             const double *b,
             double        beta,
             double       *c)
{
  const gsize panel = 128;
  gsize n_panels = (m + panel - 1) / panel;

#pragma omp parallel for schedule(dynamic, 1) if (m >= 256)
  for (gsize p = 0; p < n_panels; p++)
    {
      gsize j0 = p * panel, nj = MIN (panel, m - j0);
      cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) m, (int) nj, (int) m, alpha, a, (int) m, b + j0,
                   (int) m, beta, c + j0, (int) m);
    }
}

static CsMatrix *pinv_newton_schulz (const CsMatrix *a, double tol, guint max_iter, guint *iterations,
                                     CsProgress *progress, GError **error);

CsMatrix *
cs_pinv_newton_schulz (const CsMatrix *a,
                       double          tol,
                       guint           max_iter,
                       guint          *iterations)
{
  int saved = cs_i_blas_single_begin (0, TRUE);
  CsMatrix *x = pinv_newton_schulz (a, tol, max_iter, iterations, NULL, NULL);
  cs_i_blas_single_end (saved);
  return x;
}

/* NULL with CS_ERROR_CANCELLED when progress asks to stop (checked every step: a step is three
 * m³ products). */
static CsMatrix *
pinv_newton_schulz (const CsMatrix *a,
                    double          tol,
                    guint           max_iter,
                    guint          *iterations,
                    CsProgress     *progress,
                    GError        **error)
{
  gsize m = a->rows;
  g_autoptr (CsMatrix) x = cs_matrix_new (m, m);
  g_autofree double *ax = g_new (double, m * m);
  g_autofree double *t = g_new (double, m * m);
  double norm1 = 0.0, fro = 0.0, last = INFINITY;
  guint stalled = 0;

  for (gsize j = 0; j < m; j++)
    {
      double s = 0.0;
      for (gsize i = 0; i < m; i++)
        s += fabs (a->data[i * m + j]);
      norm1 = MAX (norm1, s);
    }
  for (gsize i = 0; i < m * m; i++)
    fro += a->data[i] * a->data[i];
  fro = sqrt (fro);
  if (!(norm1 > 0.0))
    {
      if (iterations)
        *iterations = 0;
      return g_steal_pointer (&x);
    }
  /* X₀ = A / (‖A‖₁ ‖A‖∞) keeps every eigenvalue of A X₀ in (0, 1] (Ben-Israel & Cohen), so
   * X ← X (2I − A X) converges quadratically to A⁺; components of A's null space stay 0. */
  for (gsize i = 0; i < m * m; i++)
    x->data[i] = a->data[i] / (norm1 * norm1);
  for (guint it = 1; it <= max_iter; it++)
    {
      if (!cs_progress_check (progress, error))
        return NULL;
      square_gemm (m, 1.0, a->data, x->data, 0.0, ax); /* A X */
      /* residual ‖A X A − A‖_F, from the current X */
      square_gemm (m, 1.0, ax, a->data, 0.0, t);
      double r = 0.0;
      for (gsize i = 0; i < m * m; i++)
        r += (t[i] - a->data[i]) * (t[i] - a->data[i]);
      r = sqrt (r) / fro;
      if (r <= tol || (r >= 0.5 * last && r < 1e3 * tol && ++stalled >= 3))
        {
          if (iterations)
            *iterations = it - 1;
          /* symmetrize: rounding leaves X a little unsymmetric */
          for (gsize i = 0; i < m; i++)
            for (gsize j = 0; j < i; j++)
              x->data[i * m + j] = x->data[j * m + i] = 0.5 * (x->data[i * m + j] + x->data[j * m + i]);
          return g_steal_pointer (&x);
        }
      last = r;
      /* X ← 2X − X (A X) */
      square_gemm (m, -1.0, x->data, ax, 0.0, t);
      for (gsize i = 0; i < m * m; i++)
        x->data[i] = 2.0 * x->data[i] + t[i];
    }
  if (iterations)
    *iterations = 0;
  return pinv_eigen (a);
}

static gboolean
nystrom_features (const CsMatrix         *x,
                     const CsNystromOptions *o,
                     CsProgress             *progress,
                     CsMatrix              **out,
                     GError                **error)
{
  gsize n = x->rows, d = x->cols, m = o->m;
  g_autoptr (CsMatrix) land = NULL;
  g_autoptr (CsMatrix) w = NULL;
  g_autoptr (CsMatrix) winv = NULL;
  g_autoptr (CsMatrix) f = NULL;
  g_autoptr (CsMatrix) phi = NULL;
  g_autofree lapack_int *piv = NULL;
  lapack_int rank = 0;
  CsRng rng;

  if (m < 1 || m > n)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "m = %u landmarks for %" G_GSIZE_FORMAT " rows; it needs 1 ≤ "
                   "m ≤ n", o->m, n);
      return FALSE;
    }
  if (o->kernel.kind == CS_POINT_KERNEL_RBF && !(o->kernel.gamma > 0.0 && isfinite (o->kernel.gamma)))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "the RBF kernel needs gamma > 0");
      return FALSE;
    }
  if ((o->kernel.kind == CS_POINT_KERNEL_NTK || o->kernel.kind == CS_POINT_KERNEL_ARCCOS) && o->kernel.depth < 1)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "the arc-cosine and NTK kernels need depth ≥ 1");
      return FALSE;
    }
  cs_rng_init (&rng, o->seed);
  if (o->kmeans_landmarks && m < n)
    {
      /* k-means centres of a sample of at most 20 m rows, a few Lloyd steps: landmarks that
       * cover the data rather than repeat its dense parts. */
      gsize ns = MIN (n, (gsize) 20 * m);
      g_autofree gsize *idx = g_new (gsize, n);
      g_autoptr (CsMatrix) sample = cs_matrix_new (ns, d);
      g_autoptr (CsClustering) c = NULL;
      CsKmeansOptions ko;
      CsProgressRange r;
      g_autoptr (CsProgress) p = cs_progress_stage_new (&r, progress, 0.0, 0.3);
      for (gsize i = 0; i < n; i++)
        idx[i] = i;
      cs_rng_sample_front (&rng, idx, n, ns);
      for (gsize i = 0; i < ns; i++)
        memcpy (sample->data + i * d, x->data + idx[i] * d, d * sizeof (double));
      cs_kmeans_options_init (&ko);
      ko.k = m;
      ko.n_init = 1;
      ko.max_iter = 10;
      ko.seed = o->seed;
      if (!cs_kmeans_run (sample, &ko, p, NULL, &c, error))
        return FALSE;
      land = cs_matrix_copy (c->centers);
    }
  else
    {
      g_autofree gsize *idx = g_new (gsize, n);
      for (gsize i = 0; i < n; i++)
        idx[i] = i;
      cs_rng_sample_front (&rng, idx, n, m);
      land = cs_matrix_new (m, d);
      for (gsize i = 0; i < m; i++)
        memcpy (land->data + i * d, x->data + idx[i] * d, d * sizeof (double));
    }
  if (!cs_progress_check (progress, error))
    return FALSE;
  w = cs_matrix_new (m, m);
  cs_point_kernel_block (&o->kernel, land, 0, m, land, w->data);
  winv = pinv_newton_schulz (w, 1e-10, 100, NULL, progress, error);
  if (winv == NULL)
    return FALSE;
  cs_progress_report (progress, 0.4, "landmark kernel pseudo-inverse");
  /* W⁺ = P L Lᵀ Pᵀ (pivoted Cholesky, stops at the numerical rank). */
  piv = g_new (lapack_int, m);
  double top = 0.0;
  for (gsize i = 0; i < m; i++)
    top = MAX (top, winv->data[i * m + i]);
  if (LAPACKE_dpstrf (LAPACK_ROW_MAJOR, 'L', (lapack_int) m, winv->data, (lapack_int) m, piv, &rank, 1e-12 * top) < 0
      || rank < 1)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC, "the landmarks' kernel has no positive part (rank 0); try "
                   "another kernel parameter");
      return FALSE;
    }
  f = cs_matrix_new (m, (gsize) rank);
  for (gsize i = 0; i < m; i++)
    for (gsize j = 0; j <= i && j < (gsize) rank; j++)
      f->data[(gsize) (piv[i] - 1) * rank + j] = winv->data[i * m + j];
  phi = cs_matrix_try_new (n, (gsize) rank, "Nyström features", error);
  if (phi == NULL)
    return FALSE;
  {
    /* Φ = C F by blocks of rows, side by side: each block is its own kernel block and one
     * single-threaded dgemm, so Φ does not depend on the thread count. Waves of blocks between
     * progress reports and cancel checks (a wave is well under a second of work). */
    const gsize block = 512, wave = 8;
    gsize n_blocks = (n + block - 1) / block;
    for (gsize b0 = 0; b0 < n_blocks; b0 += wave)
      {
        gsize b1 = MIN (b0 + wave, n_blocks);
#pragma omp parallel if (b1 - b0 > 1 && (gsize) m * rank >= 65536)
        {
          double *c = g_new (double, block * m);
#pragma omp for schedule(dynamic, 1)
          for (gsize b = b0; b < b1; b++)
            {
              gsize i0 = b * block, nb = MIN (block, n - i0);
              cs_point_kernel_block (&o->kernel, x, i0, nb, land, c);
              cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) nb, (int) rank, (int) m, 1.0, c, (int) m,
                           f->data, (int) rank, 0.0, phi->data + i0 * rank, (int) rank);
            }
          g_free (c);
        }
        cs_progress_report (progress, 0.4 + 0.6 * (double) MIN (b1 * block, n) / (double) n, "Nyström features");
        if (!cs_progress_check (progress, error))
          return FALSE;
      }
  }
  *out = g_steal_pointer (&phi);
  return TRUE;
}

gboolean
cs_nystrom_features (const CsMatrix         *x,
                     const CsNystromOptions *o,
                     CsProgress             *progress,
                     CsMatrix              **out,
                     GError                **error)
{
  /* One OpenBLAS thread for the whole map (OpenMP splits the work in fixed pieces instead):
   * the pseudo-inverse, its factor and Φ must not depend on the thread count. */
  int saved = cs_i_blas_single_begin (0, TRUE);
  gboolean ok = nystrom_features (x, o, progress, out, error);
  cs_i_blas_single_end (saved);
  return ok;
}

/* ---- registry entry: kernel k-means on point data ---- */

static const char *const point_kernel_choices[] = { "rbf", "ntk", "arccos", "linear", NULL };
static const char *const point_kernel_labels[] = { "Gaussian (RBF)", "Neural tangent (ReLU network)",
                                                   "Arc-cosine (ReLU network)", "Linear", NULL };
static const char *const landmark_choices[] = { "uniform", "kmeans", NULL };
static const char *const landmark_labels[] = { "Uniform rows", "k-means centres", NULL };

static const CsParamSpec kernel_kmeans_params[] = {
  { .name = "k", .label = "Clusters (k)", .help = "How many clusters to find.", .type = CS_PARAM_INT, .min = 1,
    .max = 1000, .default_num = 3 },
  { .name = "kernel", .label = "Kernel",
    .help = "The similarity whose feature space is clustered: Gaussian, the neural tangent or arc-cosine kernel of "
            "an infinitely wide ReLU network, or plain inner products (ordinary k-means).",
    .type = CS_PARAM_ENUM, .default_str = "rbf", .choices = point_kernel_choices, .choice_labels = point_kernel_labels },
  { .name = "gamma", .label = "RBF width (γ)",
    .help = "exp(−γ‖x − y‖²); 0 chooses 1 / (d × the mean column variance).", .type = CS_PARAM_DOUBLE, .min = 0,
    .max = 1e6, .default_num = 0, .log_scale = TRUE, .zero_label = "Automatic" },
  { .name = "depth", .label = "Network depth",
    .help = "Hidden layers of the network behind the arc-cosine and neural tangent kernels.", .type = CS_PARAM_INT,
    .min = 1, .max = 100, .default_num = 2, .advanced = TRUE },
  { .name = "landmarks", .label = "Landmarks (Nyström)",
    .help = "The kernel is approximated through this many landmark rows (all rows when there are fewer): memory "
            "grows with rows × landmarks, not rows².",
    .type = CS_PARAM_INT, .min = 1, .max = 5000, .default_num = 200 },
  { .name = "landmark_init", .label = "Landmarks from",
    .help = "Rows drawn uniformly, or the centres of a quick k-means of a sample (they cover the data better).",
    .type = CS_PARAM_ENUM, .default_str = "uniform", .choices = landmark_choices, .choice_labels = landmark_labels,
    .advanced = TRUE },
  { .name = "n_init", .label = "Restarts",
    .help = "How many k-means runs from different starts in the feature space; the lowest inertia is kept.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000, .default_num = 10, .advanced = TRUE },
  { .name = "seed", .label = "Random seed",
    .help = "The same seed gives the same clustering on any machine and any number of threads.",
    .type = CS_PARAM_INT, .min = 0, .max = 2147483647.0, .default_num = 0 },
};

/* The options the point-data entries share: k-means' k, restarts and seed, and the Nyström
 * kernel (gamma 0 is scikit-learn's "scale": 1 / (d · Var(X)) over all values), landmarks, seed. */
static gboolean
point_options (const CsMatrix   *x,
               const CsParams   *params,
               const char       *what,
               CsKmeansOptions  *ko,
               CsNystromOptions *no,
               GError          **error)
{
  if (x->rows == 0 || x->cols == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "%s needs at least one row and column", what);
      return FALSE;
    }
  cs_kmeans_options_init (ko);
  ko->k = (guint) cs_params_get_int (params, "k");
  ko->n_init = (guint) cs_params_get_int (params, "n_init");
  ko->seed = (guint64) cs_params_get_int (params, "seed");
  if (ko->k > x->rows)
    {
      g_autofree char *rows = cs_format_count (x->rows);
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "k = %u is more than the %s rows; choose k ≤ %s", ko->k, rows,
                   rows);
      return FALSE;
    }
  cs_point_kernel_from_id (cs_params_get_string (params, "kernel"), &no->kernel.kind);
  no->kernel.depth = (guint) cs_params_get_int (params, "depth");
  no->kernel.gamma = cs_params_get_double (params, "gamma");
  if (no->kernel.gamma == 0.0)
    {
      double mean = 0.0, var = 0.0;
      gsize total = x->rows * x->cols;
      for (gsize i = 0; i < total; i++)
        mean += x->data[i];
      mean /= (double) total;
      for (gsize i = 0; i < total; i++)
        var += (x->data[i] - mean) * (x->data[i] - mean);
      var /= (double) total;
      no->kernel.gamma = var > 0.0 ? 1.0 / ((double) x->cols * var) : 1.0;
    }
  no->m = (guint) MIN ((gsize) cs_params_get_int (params, "landmarks"), x->rows);
  no->seed = ko->seed;
  return TRUE;
}

static gboolean spectral_points_embed (CsMatrix *phi, guint dim, CsMatrix **out, GError **error);

/* The point-data entries' common run: Nyström features of x (one OpenBLAS thread, so the
 * pseudo-inverse and its factor do not depend on the thread count), optionally their spectral
 * embedding, then k-means there. The centres live in that space, not among x's columns, so the
 * result has none. */
static gboolean
nystrom_kmeans (const CsMatrix         *x,
                const CsNystromOptions *no,
                const CsKmeansOptions  *ko,
                gboolean                spectral,
                const char             *id,
                CsProgress             *progress,
                CsClustering          **out,
                GError                **error)
{
  g_autoptr (CsMatrix) phi = NULL;
  g_autoptr (CsMatrix) emb = NULL;
  CsClustering *c = NULL;
  CsProgressRange r1, r2;
  int saved;
  gboolean ok;

  saved = cs_i_blas_single_begin (0, TRUE);
  {
    g_autoptr (CsProgress) p1 = cs_progress_stage_new (&r1, progress, 0.0, 0.5);
    ok = cs_nystrom_features (x, no, p1, &phi, error) && (!spectral || spectral_points_embed (phi, ko->k, &emb, error));
  }
  cs_i_blas_single_end (saved);
  if (!ok || !cs_progress_check (progress, error))
    return FALSE;
  {
    g_autoptr (CsProgress) p2 = cs_progress_stage_new (&r2, progress, 0.5, 1.0);
    if (!cs_kmeans_run (spectral ? emb : phi, ko, p2, NULL, &c, error))
      return FALSE;
  }
  g_clear_pointer (&c->centers, cs_matrix_free);
  c->d = x->cols;
  g_free (c->algorithm);
  c->algorithm = g_strdup (id);
  *out = c;
  return TRUE;
}

static gboolean
kernel_kmeans_run_params (const CsMatrix *x,
                          const CsParams *params,
                          CsProgress     *progress,
                          CsTrace        *trace,
                          CsClustering  **out,
                          GError        **error)
{
  CsNystromOptions no = { { CS_POINT_KERNEL_RBF, 0.0, 1 }, 0, FALSE, 0 };
  CsKmeansOptions ko;

  (void) trace;
  if (!point_options (x, params, "kernel k-means", &ko, &no, error))
    return FALSE;
  no.kmeans_landmarks = g_strcmp0 (cs_params_get_string (params, "landmark_init"), "kmeans") == 0;
  return nystrom_kmeans (x, &no, &ko, FALSE, "kernel-kmeans", progress, out, error);
}

const CsAlgorithm cs_algorithm_kernel_kmeans = {
  .id = "kernel-kmeans",
  .name = "Kernel k-means",
  .description = "k-means in the feature space of a kernel (Gaussian, neural tangent, arc-cosine), through a "
                 "Nyström approximation with a Newton–Schulz pseudo-inverse: finds clusters that are not convex "
                 "in the input space, in memory that grows with rows × landmarks.",
  .category = "Centroid",
  .objective = CS_OBJECTIVE_INERTIA,
  .params = kernel_kmeans_params,
  .n_params = G_N_ELEMENTS (kernel_kmeans_params),
  .run = kernel_kmeans_run_params,
};

/* ---- registry entry: spectral clustering of point data through Nyström features ---- */

static const CsParamSpec spectral_params[] = {
  { .name = "k", .label = "Clusters (k)", .help = "How many clusters to find.", .type = CS_PARAM_INT, .min = 1,
    .max = 1000, .default_num = 3 },
  { .name = "kernel", .label = "Affinity kernel",
    .help = "The similarity between rows the graph is built from: Gaussian, or the neural tangent or arc-cosine "
            "kernel of an infinitely wide ReLU network.",
    .type = CS_PARAM_ENUM, .default_str = "rbf", .choices = point_kernel_choices, .choice_labels = point_kernel_labels },
  { .name = "gamma", .label = "RBF width (γ)",
    .help = "exp(−γ‖x − y‖²); 0 chooses a local scale: 1 / (2σ²), σ the median distance to the 3rd nearest "
            "of the landmark-count sample of rows.", .type = CS_PARAM_DOUBLE, .min = 0,
    .max = 1e6, .default_num = 0, .log_scale = TRUE, .zero_label = "Automatic" },
  { .name = "depth", .label = "Network depth",
    .help = "Hidden layers of the network behind the arc-cosine and neural tangent kernels.", .type = CS_PARAM_INT,
    .min = 1, .max = 100, .default_num = 2, .advanced = TRUE },
  { .name = "landmarks", .label = "Landmarks (Nyström)",
    .help = "The affinity matrix is approximated through this many landmark rows (all rows when there are fewer): "
            "memory grows with rows × landmarks, not rows².",
    .type = CS_PARAM_INT, .min = 1, .max = 5000, .default_num = 200 },
  { .name = "n_init", .label = "Restarts",
    .help = "How many k-means runs on the spectral embedding; the lowest inertia is kept.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000, .default_num = 10, .advanced = TRUE },
  { .name = "seed", .label = "Random seed",
    .help = "The same seed gives the same clustering on any machine and any number of threads.",
    .type = CS_PARAM_INT, .min = 0, .max = 2147483647.0, .default_num = 0 },
};

/* With K ≈ Φ Φᵀ (n × r), the degrees are Φ (Φᵀ 1) and the leading eigenvectors of
 * D^−½ K D^−½ = Ψ Ψᵀ (Ψ = D^−½ Φ) are Ψ V Σ⁻¹ for the eigenpairs (V, Σ²) of the r × r matrix
 * Ψᵀ Ψ: spectral clustering in O(n r²) time and O(n r) memory. */
static gboolean
spectral_points_embed (CsMatrix  *phi,
                       guint      dim,
                       CsMatrix **out,
                       GError   **error)
{
  gsize n = phi->rows, r = phi->cols;
  g_autofree double *colsum = g_new0 (double, r);
  g_autofree double *gram = g_new (double, r * r);
  g_autofree double *lambda = g_new (double, r);
  g_autofree double *v = g_new (double, r * dim);
  g_autofree lapack_int *support = g_new (lapack_int, 2 * r);
  lapack_int found = 0;
  g_autoptr (CsMatrix) e = NULL;

  if (dim > r)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "k = %u is more than the %" G_GSIZE_FORMAT " dimensions the "
                   "landmarks give; raise landmarks", dim, r);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < r; j++)
      colsum[j] += phi->data[i * r + j];
  for (gsize i = 0; i < n; i++)
    {
      double deg = cblas_ddot ((int) r, phi->data + i * r, 1, colsum, 1);
      /* an approximate affinity can dip below 0; such a row keeps a tiny degree, not a NaN */
      double s = 1.0 / sqrt (MAX (deg, 1e-12));
      for (gsize j = 0; j < r; j++)
        phi->data[i * r + j] *= s;
    }
  cblas_dsyrk (CblasRowMajor, CblasUpper, CblasTrans, (int) r, (int) n, 1.0, phi->data, (int) r, 0.0, gram, (int) r);
  if (LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'I', 'U', (lapack_int) r, gram, (lapack_int) r, 0.0, 0.0,
                      (lapack_int) (r - dim + 1), (lapack_int) r, 0.0, &found, lambda, v, (lapack_int) dim, support) != 0
      || found != (lapack_int) dim)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC, "the eigendecomposition of the landmark Gram matrix failed");
      return FALSE;
    }
  for (guint c = 0; c < dim; c++)
    {
      double sv = sqrt (MAX (lambda[c], 0.0));
      for (gsize j = 0; j < r; j++)
        v[j * dim + c] = sv > 1e-12 ? v[j * dim + c] / sv : 0.0;
    }
  e = cs_matrix_try_new (n, dim, "spectral embedding", error);
  if (e == NULL)
    return FALSE;
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n, (int) dim, (int) r, 1.0, phi->data, (int) r, v,
               (int) dim, 0.0, e->data, (int) dim);
  /* Ng–Jordan–Weiss: rows scaled to unit length before k-means */
  for (gsize i = 0; i < n; i++)
    {
      double norm = cblas_dnrm2 ((int) dim, e->data + i * dim, 1);
      if (norm > 0.0)
        cblas_dscal ((int) dim, 1.0 / norm, e->data + i * dim, 1);
    }
  *out = g_steal_pointer (&e);
  return TRUE;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The automatic RBF width for spectral clustering of points: a local scale, γ = 1 / (2σ²) with
 * σ the median distance from a row to its 3rd nearest row within a seeded sample of m rows (m
 * the landmark count, the resolution the Nyström affinity has). A global scale (1 / (d Var X))
 * joins what a spectral method is asked to keep apart: on two moons or two circles it mixes
 * them (ARI 0.3 and 0.0 where this scale gives 1.0). */
static double
local_scale_gamma (const CsMatrix *x,
                   gsize           m,
                   guint64         seed)
{
  gsize              n = x->rows, d = x->cols;
  g_autofree gsize  *idx = g_new (gsize, n);
  g_autofree double *third = NULL;
  CsRng              rng;
  double             sigma;

  m = CLAMP (m, (gsize) 4, n);
  if (n < 4)
    return 1.0;
  for (gsize i = 0; i < n; i++)
    idx[i] = i;
  cs_rng_init_stream (&rng, seed, 0x5ca1e);
  cs_rng_sample_front (&rng, idx, n, m);
  third = g_new (double, m);
#pragma omp parallel for schedule(static)
  for (gsize a = 0; a < m; a++)
    {
      double best[3] = { INFINITY, INFINITY, INFINITY };
      const double *xa = cs_matrix_row (x, idx[a]);
      for (gsize b = 0; b < m; b++)
        {
          const double *xb = cs_matrix_row (x, idx[b]);
          double dist = 0.0;
          if (b == a)
            continue;
          for (gsize j = 0; j < d; j++)
            dist += (xa[j] - xb[j]) * (xa[j] - xb[j]);
          if (dist < best[2])
            {
              best[2] = dist;
              if (best[2] < best[1])
                {
                  double t = best[1]; best[1] = best[2]; best[2] = t;
                }
              if (best[1] < best[0])
                {
                  double t = best[0]; best[0] = best[1]; best[1] = t;
                }
            }
        }
      third[a] = sqrt (best[2]);
    }
  /* The median of m values by sorting: m is at most a few thousand. */
  qsort (third, m, sizeof (double), compare_doubles);
  sigma = m % 2 ? third[m / 2] : 0.5 * (third[m / 2 - 1] + third[m / 2]);
  return sigma > 0.0 && isfinite (sigma) ? 1.0 / (2.0 * sigma * sigma) : 1.0;
}

static gboolean
spectral_run_params (const CsMatrix *x,
                     const CsParams *params,
                     CsProgress     *progress,
                     CsTrace        *trace,
                     CsClustering  **out,
                     GError        **error)
{
  CsNystromOptions no = { { CS_POINT_KERNEL_RBF, 0.0, 1 }, 0, FALSE, 0 };
  CsKmeansOptions ko;

  (void) trace;
  if (!point_options (x, params, "spectral clustering", &ko, &no, error))
    return FALSE;
  if (no.kernel.kind == CS_POINT_KERNEL_RBF && cs_params_get_double (params, "gamma") == 0.0)
    no.kernel.gamma = local_scale_gamma (x, no.m, ko.seed);
  if (no.kernel.kind == CS_POINT_KERNEL_LINEAR)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "kernel = linear gives no affinity graph (negative "
                   "similarities); choose rbf, ntk or arccos");
      return FALSE;
    }
  return nystrom_kmeans (x, &no, &ko, TRUE, "spectral", progress, out, error);
}

const CsAlgorithm cs_algorithm_spectral = {
  .id = "spectral",
  .name = "Spectral clustering",
  .description = "Embeds the rows by the leading eigenvectors of a normalized kernel affinity (Gaussian, neural "
                 "tangent, arc-cosine), through a Nyström approximation, then runs k-means there: finds clusters "
                 "of any shape that are apart, in memory that grows with rows × landmarks.",
  .category = "Kernel",
  .objective = CS_OBJECTIVE_INERTIA,
  .params = spectral_params,
  .n_params = G_N_ELEMENTS (spectral_params),
  .run = spectral_run_params,
};
