#include "core/graph/cs-graph-kernel.h"
#include "core/base/cs-error.h"

#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

typedef struct
{
  const char  *id;
  const char  *name;
  gboolean     is_log;
  gboolean     has_param;
  CsGraphScale scale;
  gboolean     sqrt_distance;
} KernelInfo;

static const KernelInfo kernel_info[CS_GRAPH_KERNEL_COUNT] = {
  [CS_GRAPH_KERNEL_PWALK] = { "pwalk", "plain Walk", FALSE, TRUE, CS_GRAPH_SCALE_RHO, FALSE },
  [CS_GRAPH_KERNEL_WALK] = { "walk", "Walk", TRUE, TRUE, CS_GRAPH_SCALE_RHO, FALSE },
  [CS_GRAPH_KERNEL_FOREST] = { "for", "Forest", FALSE, TRUE, CS_GRAPH_SCALE_FRACTION, FALSE },
  [CS_GRAPH_KERNEL_LOG_FOREST] = { "logfor", "log Forest", TRUE, TRUE, CS_GRAPH_SCALE_FRACTION, FALSE },
  [CS_GRAPH_KERNEL_COMM] = { "comm", "Communicability", FALSE, TRUE, CS_GRAPH_SCALE_FRACTION, TRUE },
  [CS_GRAPH_KERNEL_LOG_COMM] = { "logcomm", "log Communicability", TRUE, TRUE, CS_GRAPH_SCALE_FRACTION, TRUE },
  [CS_GRAPH_KERNEL_HEAT] = { "heat", "Heat", FALSE, TRUE, CS_GRAPH_SCALE_FRACTION, FALSE },
  [CS_GRAPH_KERNEL_LOG_HEAT] = { "logheat", "log Heat", TRUE, TRUE, CS_GRAPH_SCALE_FRACTION, FALSE },
  [CS_GRAPH_KERNEL_NHEAT] = { "nheat", "normalized Heat", FALSE, TRUE, CS_GRAPH_SCALE_FRACTION, FALSE },
  [CS_GRAPH_KERNEL_LOG_NHEAT] = { "lognheat", "log normalized Heat", TRUE, TRUE, CS_GRAPH_SCALE_FRACTION, FALSE },
  [CS_GRAPH_KERNEL_CT] = { "ct", "Commute time (resistance)", FALSE, FALSE, CS_GRAPH_SCALE_NONE, FALSE },
  [CS_GRAPH_KERNEL_SCT] = { "sct", "sigmoid Commute time", FALSE, TRUE, CS_GRAPH_SCALE_FRACTION, FALSE },
  [CS_GRAPH_KERNEL_LOG_SCT] = { "logsct", "log sigmoid Commute time", TRUE, TRUE, CS_GRAPH_SCALE_FRACTION, FALSE },
  [CS_GRAPH_KERNEL_PPR] = { "ppr", "personalized PageRank", FALSE, TRUE, CS_GRAPH_SCALE_LINEAR, FALSE },
  [CS_GRAPH_KERNEL_LOG_PPR] = { "logppr", "log personalized PageRank", TRUE, TRUE, CS_GRAPH_SCALE_LINEAR, FALSE },
  [CS_GRAPH_KERNEL_MPPR] = { "mppr", "modified PageRank", FALSE, TRUE, CS_GRAPH_SCALE_LINEAR, FALSE },
  [CS_GRAPH_KERNEL_LOG_MPPR] = { "logmppr", "log modified PageRank", TRUE, TRUE, CS_GRAPH_SCALE_LINEAR, FALSE },
};

const char *
cs_graph_kernel_id (CsGraphKernel kernel)
{
  return kernel < CS_GRAPH_KERNEL_COUNT ? kernel_info[kernel].id : NULL;
}

const char *
cs_graph_kernel_name (CsGraphKernel kernel)
{
  return kernel < CS_GRAPH_KERNEL_COUNT ? kernel_info[kernel].name : NULL;
}

gboolean
cs_graph_kernel_from_id (const char    *id,
                         CsGraphKernel *kernel)
{
  for (int k = 0; k < CS_GRAPH_KERNEL_COUNT; k++)
    if (g_ascii_strcasecmp (id, kernel_info[k].id) == 0)
      {
        *kernel = (CsGraphKernel) k;
        return TRUE;
      }
  return FALSE;
}

gboolean
cs_graph_kernel_is_log (CsGraphKernel kernel)
{
  return kernel_info[kernel].is_log;
}

gboolean
cs_graph_kernel_has_param (CsGraphKernel kernel)
{
  return kernel_info[kernel].has_param;
}

CsGraphScale
cs_graph_kernel_scale (CsGraphKernel kernel)
{
  return kernel_info[kernel].scale;
}

gboolean
cs_graph_kernel_sqrt_distance (CsGraphKernel kernel)
{
  return kernel_info[kernel].sqrt_distance;
}

double
cs_graph_kernel_t_from_alpha (CsGraphKernel kernel,
                              double        alpha,
                              double        rho)
{
  switch (kernel_info[kernel].scale)
    {
    case CS_GRAPH_SCALE_RHO:
      return alpha / rho;
    case CS_GRAPH_SCALE_FRACTION:
      return 0.5 * alpha / (1.0 - alpha);
    case CS_GRAPH_SCALE_LINEAR:
    case CS_GRAPH_SCALE_NONE:
    default:
      return alpha;
    }
}

typedef enum
{
  OP_A,
  OP_L,
  OP_S,
  N_OPS
} Operator;

typedef struct
{
  gboolean done;
  double  *lambda; /* n, ascending */
  double  *v;      /* n × n row-major, column j the j-th eigenvector */
} Eigen;

struct _CsGraphSpectra
{
  CsGraph *g;       /* Owned (a reference) */
  double  *degree;  /* n */
  Eigen    eig[N_OPS];
};

CsGraphSpectra *
cs_graph_spectra_new (const CsGraph *g,
                      GError       **error)
{
  CsGraphSpectra *s;
  guint64 n = g->n;

  /* Each decomposition holds two n × n matrices while LAPACK works; a kernel a third. */
  if (!cs_memory_check (n * n * sizeof (double) * 4, "the graph's eigendecomposition",
                        "kernels need dense n × n matrices; use spectral clustering or the Nyström approximation "
                        "for larger graphs", error))
    return NULL;
  s = g_new0 (CsGraphSpectra, 1);
  s->g = cs_graph_ref ((CsGraph *) g);
  s->degree = g_new (double, g->n);
  cs_graph_degrees (g, s->degree);
  return s;
}

void
cs_graph_spectra_free (CsGraphSpectra *s)
{
  if (s == NULL)
    return;
  for (int o = 0; o < N_OPS; o++)
    {
      g_free (s->eig[o].lambda);
      g_free (s->eig[o].v);
    }
  g_free (s->degree);
  cs_graph_unref (s->g);
  g_free (s);
}

static gboolean
decompose (CsGraphSpectra *s,
           Operator        op,
           CsProgress     *progress,
           GError        **error)
{
  const CsGraph *g = s->g;
  gsize n = g->n;
  Eigen *e = &s->eig[op];
  g_autofree double *a = NULL;
  g_autofree lapack_int *support = NULL;
  lapack_int found = 0;
  lapack_int info;
  static const char *const what[N_OPS] = { "adjacency", "Laplacian", "normalized adjacency" };

  if (e->done)
    return TRUE;
  if (!cs_progress_check (progress, error))
    return FALSE;
  cs_progress_report (progress, 0.0, what[op]);
  a = g_try_new0 (double, n * n);
  e->lambda = g_try_new (double, n);
  e->v = g_try_new (double, n * n);
  support = g_try_new (lapack_int, 2 * n);
  if (a == NULL || e->lambda == NULL || e->v == NULL || support == NULL)
    {
      g_clear_pointer (&e->lambda, g_free);
      g_clear_pointer (&e->v, g_free);
      g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "not enough memory for the %s eigendecomposition", what[op]);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    {
      for (gsize p = g->row_ptr[i]; p < g->row_ptr[i + 1]; p++)
        {
          gsize j = g->col[p];
          double w = g->w[p];
          if (op == OP_A)
            a[i * n + j] = w;
          else if (op == OP_L)
            a[i * n + j] = -w;
          else
            a[i * n + j] = w / sqrt (s->degree[i] * s->degree[j]);
        }
      if (op == OP_L)
        a[i * n + i] = s->degree[i];
    }
  info = LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'A', 'U', (lapack_int) n, a, (lapack_int) n, 0.0, 0.0, 0, 0, 0.0,
                         &found, e->lambda, e->v, (lapack_int) n, support);
  if (info != 0 || found != (lapack_int) n)
    {
      g_clear_pointer (&e->lambda, g_free);
      g_clear_pointer (&e->v, g_free);
      g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC, "the eigendecomposition of the %s failed (LAPACKE_dsyevr info %d)",
                   what[op], (int) info);
      return FALSE;
    }
  e->done = TRUE;
  return TRUE;
}

gboolean
cs_graph_spectra_rho (CsGraphSpectra *s,
                      double         *rho,
                      CsProgress     *progress,
                      GError        **error)
{
  if (!decompose (s, OP_A, progress, error))
    return FALSE;
  *rho = MAX (fabs (s->eig[OP_A].lambda[0]), fabs (s->eig[OP_A].lambda[s->g->n - 1]));
  return TRUE;
}

/* K = V diag(f) Vᵀ for f ≥ 0, as W Wᵀ with W = V diag(√f) (one dsyrk). */
static CsMatrix *
spectral_function (const Eigen *e,
                   gsize        n,
                   const double *f)
{
  CsMatrix *k = cs_matrix_new (n, n);
  g_autofree double *w = g_new (double, n * n);
  g_autofree double *r = g_new (double, n);

  for (gsize j = 0; j < n; j++)
    r[j] = sqrt (MAX (f[j], 0.0));
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < n; j++)
      w[i * n + j] = e->v[i * n + j] * r[j];
  cblas_dsyrk (CblasRowMajor, CblasUpper, CblasNoTrans, (int) n, (int) n, 1.0, w, (int) n, 0.0, k->data, (int) n);
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < i; j++)
      k->data[i * n + j] = k->data[j * n + i];
  return k;
}

/* Entrywise log; entries ≤ 0 take the log of the smallest positive entry. */
static gsize
entrywise_log (CsMatrix *k,
               double    shift)
{
  gsize total = k->rows * k->cols;
  double smallest = DBL_MAX;
  gsize floored = 0;

  for (gsize i = 0; i < total; i++)
    if (k->data[i] > 0.0 && k->data[i] < smallest)
      smallest = k->data[i];
  if (smallest == DBL_MAX)
    smallest = DBL_MIN;
  for (gsize i = 0; i < total; i++)
    {
      double v = k->data[i];
      if (!(v > 0.0))
        {
          v = smallest;
          floored++;
        }
      k->data[i] = log (v) + shift;
    }
  return floored;
}

static gboolean
check_t (CsGraphKernel kernel,
         double        t,
         double        limit,
         GError      **error)
{
  if (!kernel_info[kernel].has_param)
    return TRUE;
  if (!(t > 0.0) || !isfinite (t) || (limit > 0.0 && !(t < limit)))
    {
      if (limit > 0.0)
        g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "t = %g for the %s kernel; it needs 0 < t < %g", t,
                     kernel_info[kernel].name, limit);
      else
        g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "t = %g for the %s kernel; it needs a finite t > 0", t,
                     kernel_info[kernel].name);
      return FALSE;
    }
  return TRUE;
}

gboolean
cs_graph_kernel_compute (CsGraphSpectra *s,
                         CsGraphKernel   kernel,
                         double          t,
                         CsMatrix      **out,
                         gsize          *n_floored,
                         CsProgress     *progress,
                         GError        **error)
{
  gsize n = s->g->n;
  g_autofree double *f = g_new (double, n);
  g_autoptr (CsMatrix) k = NULL;
  gsize floored = 0;
  double shift = 0.0;

  g_return_val_if_fail (kernel < CS_GRAPH_KERNEL_COUNT, FALSE);
  switch (kernel)
    {
    case CS_GRAPH_KERNEL_PWALK:
    case CS_GRAPH_KERNEL_WALK:
      {
        double rho;
        if (!cs_graph_spectra_rho (s, &rho, progress, error) || !check_t (kernel, t, 1.0 / rho, error))
          return FALSE;
        for (gsize j = 0; j < n; j++)
          f[j] = 1.0 / (1.0 - t * s->eig[OP_A].lambda[j]);
        k = spectral_function (&s->eig[OP_A], n, f);
        break;
      }
    case CS_GRAPH_KERNEL_COMM:
    case CS_GRAPH_KERNEL_LOG_COMM:
      {
        if (!check_t (kernel, t, 0.0, error) || !decompose (s, OP_A, progress, error))
          return FALSE;
        double top = s->eig[OP_A].lambda[n - 1];
        /* exp(tλ_max) overflows long before the log does: factor it out. */
        for (gsize j = 0; j < n; j++)
          f[j] = exp (t * (s->eig[OP_A].lambda[j] - top));
        k = spectral_function (&s->eig[OP_A], n, f);
        shift = t * top;
        if (kernel == CS_GRAPH_KERNEL_COMM)
          {
            if (shift > 700.0)
              {
                g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
                             "exp(tA) overflows at t = %g (t·λ_max = %.0f); use logcomm, or a smaller t", t, shift);
                return FALSE;
              }
            double scale = exp (shift);
            for (gsize i = 0; i < n * n; i++)
              k->data[i] *= scale;
            shift = 0.0;
          }
        break;
      }
    case CS_GRAPH_KERNEL_FOREST:
    case CS_GRAPH_KERNEL_LOG_FOREST:
      if (!check_t (kernel, t, 0.0, error) || !decompose (s, OP_L, progress, error))
        return FALSE;
      for (gsize j = 0; j < n; j++)
        f[j] = 1.0 / (1.0 + t * MAX (s->eig[OP_L].lambda[j], 0.0));
      k = spectral_function (&s->eig[OP_L], n, f);
      break;
    case CS_GRAPH_KERNEL_HEAT:
    case CS_GRAPH_KERNEL_LOG_HEAT:
      if (!check_t (kernel, t, 0.0, error) || !decompose (s, OP_L, progress, error))
        return FALSE;
      for (gsize j = 0; j < n; j++)
        f[j] = exp (-t * MAX (s->eig[OP_L].lambda[j], 0.0));
      k = spectral_function (&s->eig[OP_L], n, f);
      break;
    case CS_GRAPH_KERNEL_NHEAT:
    case CS_GRAPH_KERNEL_LOG_NHEAT:
      if (!check_t (kernel, t, 0.0, error) || !decompose (s, OP_S, progress, error))
        return FALSE;
      for (gsize j = 0; j < n; j++)
        f[j] = exp (-t * MAX (1.0 - s->eig[OP_S].lambda[j], 0.0));
      k = spectral_function (&s->eig[OP_S], n, f);
      break;
    case CS_GRAPH_KERNEL_CT:
    case CS_GRAPH_KERNEL_SCT:
    case CS_GRAPH_KERNEL_LOG_SCT:
      {
        if (!check_t (kernel, t, 0.0, error) || !decompose (s, OP_L, progress, error))
          return FALSE;
        /* The Laplacian's null space (one vector per component) is left out: L⁺. */
        double tol = 64.0 * DBL_EPSILON * (double) n * MAX (s->eig[OP_L].lambda[n - 1], 1.0);
        for (gsize j = 0; j < n; j++)
          f[j] = s->eig[OP_L].lambda[j] > tol ? 1.0 / s->eig[OP_L].lambda[j] : 0.0;
        k = spectral_function (&s->eig[OP_L], n, f);
        if (kernel != CS_GRAPH_KERNEL_CT)
          {
            double mean = 0.0, var = 0.0;
            for (gsize i = 0; i < n * n; i++)
              mean += k->data[i];
            mean /= (double) (n * n);
            for (gsize i = 0; i < n * n; i++)
              var += (k->data[i] - mean) * (k->data[i] - mean);
            double sigma = sqrt (var / (double) (n * n));
            if (!(sigma > 0.0))
              sigma = 1.0;
            for (gsize i = 0; i < n * n; i++)
              k->data[i] = 1.0 / (1.0 + exp (-t * k->data[i] / sigma));
          }
        break;
      }
    case CS_GRAPH_KERNEL_PPR:
    case CS_GRAPH_KERNEL_LOG_PPR:
    case CS_GRAPH_KERNEL_MPPR:
    case CS_GRAPH_KERNEL_LOG_MPPR:
      {
        if (!check_t (kernel, t, 1.0, error))
          return FALSE;
        for (gsize i = 0; i < n; i++)
          if (!(s->degree[i] > 0.0))
            {
              g_autofree char *name = g_strdup (s->g->names[i]);
              g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "node %s has no edges; the PageRank kernels need every node to have a neighbour", name);
              return FALSE;
            }
        if (!decompose (s, OP_S, progress, error))
          return FALSE;
        /* (I − tP)⁻¹ = D^−½ (I − tS)⁻¹ D^½ and (D − tA)⁻¹ = D^−½ (I − tS)⁻¹ D^−½: one symmetric
         * decomposition of S serves both. */
        for (gsize j = 0; j < n; j++)
          f[j] = 1.0 / (1.0 - t * s->eig[OP_S].lambda[j]);
        k = spectral_function (&s->eig[OP_S], n, f);
        if (kernel == CS_GRAPH_KERNEL_PPR)
          {
            /* ½ (K + Kᵀ): kernel k-means and the distance see only the symmetric part. */
            for (gsize i = 0; i < n; i++)
              for (gsize j = 0; j < n; j++)
                {
                  double r = sqrt (s->degree[j] / s->degree[i]);
                  k->data[i * n + j] *= 0.5 * (r + 1.0 / r);
                }
          }
        else if (kernel == CS_GRAPH_KERNEL_MPPR || kernel == CS_GRAPH_KERNEL_LOG_MPPR)
          for (gsize i = 0; i < n; i++)
            for (gsize j = 0; j < n; j++)
              k->data[i * n + j] /= sqrt (s->degree[i] * s->degree[j]);
        /* logPPR: log((I − tP)⁻¹)_ij = log M_ij + ½ (log d_j − log d_i), whose symmetric part
         * is log M_ij. */
        break;
      }
    default:
      g_assert_not_reached ();
    }
  if (kernel_info[kernel].is_log)
    floored = entrywise_log (k, shift);
  if (n_floored)
    *n_floored = floored;
  for (gsize i = 0; i < n * n; i++)
    if (!isfinite (k->data[i]))
      {
        g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC, "the %s kernel at t = %g is not finite; try a smaller t",
                     kernel_info[kernel].name, t);
        return FALSE;
      }
  cs_progress_report (progress, 1.0, kernel_info[kernel].name);
  *out = g_steal_pointer (&k);
  return TRUE;
}

CsMatrix *
cs_kernel_to_distance (const CsMatrix *k,
                       gboolean        sqrt_distance)
{
  gsize n = k->rows;
  CsMatrix *d = cs_matrix_new (n, n);

  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < n; j++)
      {
        double v = 0.5 * (k->data[i * n + i] + k->data[j * n + j] - k->data[i * n + j] - k->data[j * n + i]);
        v = i == j ? 0.0 : MAX (v, 0.0);
        d->data[i * n + j] = sqrt_distance ? sqrt (v) : v;
      }
  return d;
}

CsMatrix *
cs_distance_to_kernel (const CsMatrix *d)
{
  gsize n = d->rows;
  CsMatrix *k = cs_matrix_new (n, n);
  g_autofree double *row = g_new0 (double, n);
  double all = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      for (gsize j = 0; j < n; j++)
        row[i] += d->data[i * n + j];
      all += row[i];
      row[i] /= (double) n;
    }
  all /= (double) n * (double) n;
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < n; j++)
      k->data[i * n + j] = -(d->data[i * n + j] - row[i] - row[j] + all);
  return k;
}
