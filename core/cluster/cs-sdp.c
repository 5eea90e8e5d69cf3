#include "core/cluster/cs-sdp.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-kmeans.h"
#include "core/cluster/cs-result-io.h"
#include "core/cluster/cs-sdp-private.h"
#include "core/metrics/cs-metrics.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rows of Z the report keeps for pictures. */
#define Z_SAMPLE 300

void
cs_sdp_report_free (CsSdpReport *report)
{
  if (report == NULL)
    return;
  g_free (report->z_rows);
  g_free (report->z_labels);
  g_free (report->z);
  g_free (report);
}

const char *
cs_sdp_solver_id (CsSdpSolver solver)
{
  switch (solver)
    {
    case CS_SDP_ADMM:
      return "admm";
    case CS_SDP_LOWRANK:
      return "lowrank";
    case CS_SDP_AUTO:
    default:
      return "auto";
    }
}

char *
cs_sdp_report_describe (const CsSdpReport *r)
{
  char gap[G_ASCII_DTOSTR_BUF_SIZE];
  char tol[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (gap, sizeof gap, "%.2g", r->tight_gap);
  g_ascii_formatd (tol, sizeof tol, "%.2g", r->tight_tol);
  if (!r->converged)
    return g_strdup_printf ("Not certified: the solver stopped before its residuals reached the tolerance "
                            "(‖Z − P‖ / ‖P‖ = %s).", gap);
  if (!r->tight)
    return g_strdup_printf ("Not tight: the relaxation's Z is not a partition's block matrix "
                            "(‖Z − P‖ / ‖P‖ = %s > %s), so the clusters are a rounding, not a proven optimum.",
                            gap, tol);
  if (r->solver == CS_SDP_ADMM)
    return g_strdup_printf ("Tight: Z is this partition's block matrix (‖Z − P‖ / ‖P‖ = %s ≤ %s), a "
                            "certificate that no other partition has a lower objective.", gap, tol);
  return g_strdup_printf ("Tight at the solution found: U Uᵀ is this partition's block matrix "
                          "(‖Z − P‖ / ‖P‖ = %s ≤ %s); the low-rank solver is local, so this is the SDP "
                          "optimum only under the method's separation conditions.", gap, tol);
}

JsonObject *
cs_sdp_report_to_json (const CsSdpReport *r)
{
  JsonObject *o = json_object_new ();
  g_autofree char *words = cs_sdp_report_describe (r);

  json_object_set_string_member (o, "solver", cs_sdp_solver_id (r->solver));
  json_object_set_int_member (o, "rank", r->rank);
  json_object_set_int_member (o, "blocks", r->blocks);
  json_object_set_int_member (o, "iterations", r->iterations);
  json_object_set_boolean_member (o, "converged", r->converged);
  cs_json_set_number (o, "primal_residual", r->primal_residual);
  cs_json_set_number (o, "dual_residual", r->dual_residual);
  cs_json_set_number (o, "relaxed_objective", r->relaxed_objective);
  cs_json_set_number (o, "rounded_objective", r->rounded_objective);
  cs_json_set_number (o, "tight_gap", r->tight_gap);
  cs_json_set_number (o, "tight_tol", r->tight_tol);
  json_object_set_boolean_member (o, "tight", r->tight);
  json_object_set_string_member (o, "certificate", words);
  return o;
}

void
cs_sdp_options_init (CsSdpOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->k = 3;
  options->solver = CS_SDP_AUTO;
  options->rank = 0;
  options->max_iter = 2000;
  options->tol = 1e-5;
  options->tight_tol = 1e-3;
  options->seed = 0;
}

/* ---- the low-rank solver ------------------------------------------------------------ */

typedef struct
{
  const CsSdpLowrank *p;
  gsize               nr;    /* n × r, one block */
  double              scale; /* 1 / σ: the cost in units of the rows' mean squared norm */
  double             *t;     /* per block m[b] × r: Y_bᵀ U_b */
  double             *a;     /* per block r: 1ᵀ U_b */
  double             *h;     /* n: Σ_b U_b a_b − 1 */
  double             *e;     /* n */
  double             *lambda;
  double              rho;
} Lr;

static double
sum_sq (const double *v, gsize n)
{
  double s = 0.0;
  for (gsize i = 0; i < n; i++)
    s += v[i] * v[i];
  return s;
}

static void
project (const CsSdpLowrank *p, double *u)
{
  gsize nr = p->n * p->r;

  for (guint b = 0; b < p->blocks; b++)
    {
      double *ub = u + b * nr;
      double  s = 0.0;

      for (gsize i = 0; i < nr; i++)
        {
          if (!(ub[i] > 0.0))
            ub[i] = 0.0;
          s += ub[i] * ub[i];
        }
      if (s <= 0.0)
        {
          /* Every entry clipped: the nearest point is not unique; any spread start will do. */
          for (gsize i = 0; i < nr; i++)
            ub[i] = 1.0;
          s = (double) nr;
        }
      s = sqrt (p->trace[b] / s);
      for (gsize i = 0; i < nr; i++)
        ub[i] *= s;
    }
}

/* The pieces of the cost at u: t, a, h; returns the cost Σ_b ⟨B_b, U_b U_bᵀ⟩ in units of σ. */
static double
lr_eval_parts (Lr *w, const double *u)
{
  const CsSdpLowrank *p = w->p;
  gsize n = p->n;
  guint r = p->r;
  double f = 0.0;

  for (gsize i = 0; i < n; i++)
    w->h[i] = -1.0;
  for (guint b = 0; b < p->blocks; b++)
    {
      const double *ub = u + b * w->nr;
      double *tb = w->t;
      double *ab = w->a + b * r;
      gsize m = p->m[b];

      for (guint bb = 0; bb < b; bb++)
        tb += p->m[bb] * r;
      memset (ab, 0, r * sizeof (double));
      for (gsize i = 0; i < n; i++)
        for (guint s = 0; s < r; s++)
          ab[s] += ub[i * r + s];
      for (gsize i = 0; i < n; i++)
        {
          double v = 0.0;
          for (guint s = 0; s < r; s++)
            v += ub[i * r + s] * ab[s];
          w->h[i] += v;
        }
      cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) m, (int) r, (int) n, 1.0, p->y[b], (int) m, ub,
                   (int) r, 0.0, tb, (int) r);
      f -= sum_sq (tb, m * r);
      if (p->c && p->c[b])
        {
          const double *cb = p->c[b];
          for (guint s = 0; s < r; s++)
            {
              double cu = 0.0;
              for (gsize i = 0; i < n; i++)
                cu += cb[i] * ub[i * r + s];
              f += cu * ab[s];
            }
        }
    }
  return f * w->scale;
}

/* n × the augmented Lagrangian: f/σ + λᵀh + ρ/2 ‖h‖². */
static double
lr_lagrangian (Lr *w, const double *u)
{
  double f = lr_eval_parts (w, u);
  double lh = 0.0;

  for (gsize i = 0; i < w->p->n; i++)
    lh += w->lambda[i] * w->h[i];
  return f + lh + 0.5 * w->rho * sum_sq (w->h, w->p->n);
}

/* Gradient at the u of the last lr_eval_parts:
 * G_b = e_b a_bᵀ + 1 (e_bᵀ U_b) − (2/σ) Y_b (Y_bᵀ U_b),  e_b = c_b/σ + λ + ρ h. */
static void
lr_gradient (Lr *w, const double *u, double *g)
{
  const CsSdpLowrank *p = w->p;
  gsize n = p->n;
  guint r = p->r;
  const double *tb = w->t;
  double eu[64];
  double *eu_buf = r > G_N_ELEMENTS (eu) ? g_new (double, r) : eu;

  for (guint b = 0; b < p->blocks; b++)
    {
      const double *ub = u + b * w->nr;
      double *gb = g + b * w->nr;
      const double *ab = w->a + b * r;
      gsize m = p->m[b];

      for (gsize i = 0; i < n; i++)
        w->e[i] = w->lambda[i] + w->rho * w->h[i] + (p->c && p->c[b] ? p->c[b][i] * w->scale : 0.0);
      for (guint s = 0; s < r; s++)
        eu_buf[s] = 0.0;
      for (gsize i = 0; i < n; i++)
        for (guint s = 0; s < r; s++)
          eu_buf[s] += w->e[i] * ub[i * r + s];
      for (gsize i = 0; i < n; i++)
        for (guint s = 0; s < r; s++)
          gb[i * r + s] = w->e[i] * ab[s] + eu_buf[s];
      cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n, (int) r, (int) m, -2.0 * w->scale, p->y[b],
                   (int) m, tb, (int) r, 1.0, gb, (int) r);
      tb += m * r;
    }
  if (eu_buf != eu)
    g_free (eu_buf);
}

double
cs_i_sdp_lowrank_cost (const CsSdpLowrank *p,
                       const double       *u)
{
  Lr w = { 0 };
  gsize tm = 0;
  double f;

  for (guint b = 0; b < p->blocks; b++)
    tm += p->m[b];
  w.p = p;
  w.nr = p->n * p->r;
  w.scale = 1.0;
  w.t = g_new (double, MAX (tm * p->r, 1));
  w.a = g_new (double, p->blocks * p->r);
  w.h = g_new (double, p->n);
  f = lr_eval_parts (&w, u);
  g_free (w.t);
  g_free (w.a);
  g_free (w.h);
  return f;
}

gboolean
cs_i_sdp_lowrank_solve (const CsSdpLowrank *p,
                        double             *u,
                        CsProgress         *progress,
                        double              lo,
                        double              hi,
                        guint              *iterations,
                        double             *residual,
                        gboolean           *converged,
                        GError            **error)
{
  gsize n = p->n;
  gsize total = p->blocks * n * p->r;
  gsize tm = 0;
  Lr w = { 0 };
  double *g = g_new (double, total);
  double *u1 = g_new (double, total);
  double *g1 = g_new (double, total);
  double sigma = 0.0;
  double step;
  double lag;
  double h_prev = INFINITY;
  double res = INFINITY;
  guint it = 0;
  gboolean ok = TRUE;
  gboolean done = FALSE;
  double shown = 0.0;

  for (guint b = 0; b < p->blocks; b++)
    {
      tm += p->m[b];
      sigma += sum_sq (p->y[b], n * p->m[b]);
    }
  sigma /= (double) (n * p->blocks);
  w.p = p;
  w.nr = n * p->r;
  w.scale = sigma > 0.0 ? 1.0 / sigma : 1.0;
  w.t = g_new (double, MAX (tm * p->r, 1));
  w.a = g_new (double, p->blocks * p->r);
  w.h = g_new (double, n);
  w.e = g_new (double, n);
  w.lambda = g_new0 (double, n);
  w.rho = 1.0;

  project (p, u);
  lag = lr_lagrangian (&w, u);
  lr_gradient (&w, u, g);
  /* The cost's curvature along U is about n (‖1‖² and the data term), so steps start near 1/n
   * and Barzilai–Borwein takes over. */
  step = 1.0 / (4.0 * (double) n);

  while (!done && it < p->max_iter)
    {
      guint inner;
      double hn;

      double pg_first = 0.0;
      gboolean solved = FALSE;

      for (inner = 0; inner < 500 && it < p->max_iter; inner++)
        {
          double dec = 0.0;
          double lag1 = lag;
          double ss = 0.0;
          double sy = 0.0;
          double used;
          double pg;
          guint tries;

          if (!cs_progress_check (progress, error))
            {
              ok = FALSE;
              goto out;
            }
          it++;
          for (tries = 0; tries < 50; tries++)
            {
              for (gsize i = 0; i < total; i++)
                u1[i] = u[i] - step * g[i];
              project (p, u1);
              dec = 0.0;
              for (gsize i = 0; i < total; i++)
                dec += g[i] * (u1[i] - u[i]);
              if (dec < 0.0)
                {
                  lag1 = lr_lagrangian (&w, u1);
                  if (lag1 <= lag + 1e-4 * dec)
                    break;
                }
              step *= 0.5;
            }
          if (tries == 50)
            {
              /* No step decreases the Lagrangian: stationary for this multiplier. */
              lag = lr_lagrangian (&w, u);
              solved = TRUE;
              break;
            }
          used = step;
          lr_gradient (&w, u1, g1);
          for (gsize i = 0; i < total; i++)
            {
              double sv = u1[i] - u[i];
              ss += sv * sv;
              sy += sv * (g1[i] - g[i]);
            }
          memcpy (u, u1, total * sizeof (double));
          memcpy (g, g1, total * sizeof (double));
          lag = lag1;
          step = sy > 0.0 ? ss / sy : step * 4.0;
          step = CLAMP (step, 1e-12 / (double) n, 1e8 / (double) n);
          /* The projected-gradient norm, against the first of this multiplier's subproblem. */
          pg = sqrt (ss) / used;
          if (inner == 0)
            pg_first = pg;
          else if (pg <= 1e-3 * pg_first)
            {
              solved = TRUE;
              break;
            }
        }
      hn = sqrt (sum_sq (w.h, n));
      res = hn / sqrt ((double) n);
      if (res <= p->tol && solved)
        done = TRUE;
      else
        {
          for (gsize i = 0; i < n; i++)
            w.lambda[i] += w.rho * w.h[i];
          if (hn > 0.25 * h_prev)
            w.rho = MIN (w.rho * 2.0, 1e4);
          h_prev = hn;
          lag = lr_lagrangian (&w, u);
          lr_gradient (&w, u, g);
        }
      if (progress != NULL)
        {
          /* Residual from 1 down to tol, on a log scale, capped by the step budget. */
          double by_res = res >= 1.0 ? 0.0 : log (res) / log (MAX (p->tol, 1e-300));
          double by_it = (double) it / p->max_iter;
          double f = CLAMP (MAX (MIN (by_res, 1.0) * 0.9, by_it), 0.0, 1.0);
          static const char stage[] = "low-rank SDP";

          /* The residual may rise when ρ or λ moves: the bar never goes back. */
          f = shown = MAX (f, shown);
          if (!cs_progress_report (progress, lo + (hi - lo) * f, stage) || !cs_progress_check (progress, error))
            {
              if (error && *error == NULL)
                g_set_error (error, CS_ERROR, CS_ERROR_CANCELLED, "Cancelled");
              ok = FALSE;
              goto out;
            }
        }
    }
  if (iterations)
    *iterations = it;
  if (residual)
    *residual = res;
  if (converged)
    *converged = done;
out:
  g_free (g);
  g_free (u1);
  g_free (g1);
  g_free (w.t);
  g_free (w.a);
  g_free (w.h);
  g_free (w.e);
  g_free (w.lambda);
  return ok;
}

/* ---- tightness and the picture of Z ------------------------------------------------- */

typedef struct
{
  const int *labels;
} SortCtx;

static int
compare_by_label (const void *pa, const void *pb, void *data)
{
  const SortCtx *ctx = data;
  gsize a = *(const gsize *) pa;
  gsize b = *(const gsize *) pb;
  int la = ctx->labels[a];
  int lb = ctx->labels[b];

  if (la != lb)
    return la < lb ? -1 : 1;
  return a < b ? -1 : a > b;
}

/* Rows for the picture: all of them, or an evenly spaced sample, in cluster order. */
static void
choose_z_rows (CsSdpReport *r,
               gsize        n,
               const int   *labels)
{
  g_autofree gsize *order = g_new (gsize, n);
  SortCtx ctx = { labels };

  for (gsize i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint) n, sizeof (gsize), compare_by_label, &ctx);
  r->z_n = MIN (n, Z_SAMPLE);
  r->z_rows = g_new (gsize, r->z_n);
  r->z_labels = g_new (int, r->z_n);
  r->z = g_new (double, r->z_n * r->z_n);
  for (gsize j = 0; j < r->z_n; j++)
    {
      gsize pos = r->z_n == n ? j : (gsize) ((j + 0.5) * (double) n / (double) r->z_n);
      r->z_rows[j] = order[MIN (pos, n - 1)];
      r->z_labels[j] = labels[r->z_rows[j]];
    }
}

static guint
partition_sizes (const int *labels,
                 gsize      n,
                 guint      k,
                 gsize     *sizes)
{
  guint nonempty = 0;

  memset (sizes, 0, k * sizeof (gsize));
  for (gsize i = 0; i < n; i++)
    sizes[labels[i]]++;
  for (guint j = 0; j < k; j++)
    nonempty += sizes[j] > 0;
  return nonempty;
}

void
cs_i_sdp_report_from_factor (CsSdpReport  *report,
                             const double *u,
                             gsize         n,
                             gsize         cols,
                             const int    *labels,
                             guint         k,
                             double        tight_tol)
{
  g_autofree double *gram = g_new (double, cols * cols);
  g_autofree double *sums = g_new0 (double, (gsize) k * cols);
  g_autofree gsize *sizes = g_new (gsize, k);
  double zz;
  double zp = 0.0;
  double pp;

  /* ‖U Uᵀ − P‖² = ‖UᵀU‖² − 2 Σ_j ‖Σ_{i∈G_j} u_i‖² / |G_j| + (non-empty clusters), without Z. */
  cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) cols, (int) cols, (int) n, 1.0, u, (int) cols, u,
               (int) cols, 0.0, gram, (int) cols);
  zz = sum_sq (gram, cols * cols);
  pp = partition_sizes (labels, n, k, sizes);
  for (gsize i = 0; i < n; i++)
    for (gsize s = 0; s < cols; s++)
      sums[labels[i] * cols + s] += u[i * cols + s];
  for (guint j = 0; j < k; j++)
    if (sizes[j] > 0)
      zp += sum_sq (sums + j * cols, cols) / (double) sizes[j];
  report->tight_gap = sqrt (MAX (zz - 2.0 * zp + pp, 0.0)) / sqrt (MAX (pp, 1.0));
  report->tight_tol = tight_tol;
  report->tight = report->converged && report->tight_gap <= tight_tol;

  choose_z_rows (report, n, labels);
  for (gsize a = 0; a < report->z_n; a++)
    for (gsize b = 0; b < report->z_n; b++)
      {
        const double *ua = u + report->z_rows[a] * cols;
        const double *ub = u + report->z_rows[b] * cols;
        double v = 0.0;
        for (gsize s = 0; s < cols; s++)
          v += ua[s] * ub[s];
        report->z[a * report->z_n + b] = v;
      }
}

/* ---- rounding ----------------------------------------------------------------------- */

/* k-means on the rows of V (n × k), as Peng & Wei round. */
static gboolean
round_rows (const double *v,
            gsize         n,
            guint         k,
            guint64       seed,
            CsProgress   *progress,
            int          *labels,
            GError      **error)
{
  g_autoptr (CsMatrix) m = cs_matrix_new_from_data (n, k, v);
  g_autoptr (CsClustering) c = NULL;
  CsKmeansOptions o;

  cs_kmeans_options_init (&o);
  o.k = k;
  o.n_init = 10;
  o.seed = seed;
  if (!cs_kmeans_run (m, &o, progress, NULL, &c, error))
    return FALSE;
  memcpy (labels, c->labels, n * sizeof (int));
  return TRUE;
}

/* Top-k left singular vectors of U (n × cols) from its Gram matrix: U V S⁻¹. */
static void
factor_top_vectors (const double *u,
                    gsize         n,
                    gsize         cols,
                    guint         k,
                    double       *out)
{
  g_autofree double *gram = g_new (double, cols * cols);
  g_autofree double *w = g_new (double, cols);
  g_autofree double *vk = g_new0 (double, cols * k);

  cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) cols, (int) cols, (int) n, 1.0, u, (int) cols, u,
               (int) cols, 0.0, gram, (int) cols);
  LAPACKE_dsyev (LAPACK_ROW_MAJOR, 'V', 'U', (int) cols, gram, (int) cols, w);
  /* Ascending eigenvalues: the last k columns, largest first. */
  for (guint j = 0; j < k && j < cols; j++)
    {
      gsize col = cols - 1 - j;
      double s = w[col] > 1e-12 * MAX (w[cols - 1], 1e-300) ? 1.0 / sqrt (w[col]) : 0.0;
      for (gsize t = 0; t < cols; t++)
        vk[t * k + j] = gram[t * cols + col] * s;
    }
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n, (int) k, (int) cols, 1.0, u, (int) cols, vk,
               (int) k, 0.0, out, (int) k);
}

/* ---- ADMM on the n × n matrix -------------------------------------------------------- */

/* Euclidean projection of v (descending) onto {λ ≥ 0, Σ λ = s}. */
static void
project_simplex (double *v,
                 gsize   m,
                 double  s)
{
  double cum = 0.0;
  double theta = 0.0;

  for (gsize j = 0; j < m; j++)
    {
      double t;
      cum += v[j];
      t = (cum - s) / (double) (j + 1);
      if (v[j] - t > 0.0)
        theta = t;
    }
  for (gsize j = 0; j < m; j++)
    v[j] = MAX (v[j] - theta, 0.0);
}

typedef struct
{
  gsize   n;
  guint   k;
  double *a;     /* n × n work copy, destroyed by dsyevr */
  double *vecs;  /* n × n */
  double *vals;  /* n */
  int    *isuppz;
} Proj;

/* Z = projection of M onto {Z ⪰ 0, Z 1 = 1, tr Z = k}: Z = J + Y with J = 11ᵀ/n and Y the
 * projection of P M P (P = I − J) onto {Y ⪰ 0, tr Y = k − 1} on 1's complement. */
static gboolean
project_spectral (Proj         *pr,
                  const double *m,
                  double       *z,
                  GError      **error)
{
  gsize n = pr->n;
  g_autofree double *rowmean = g_new (double, n);
  double mean = 0.0;
  double pos_sum = 0.0;
  int found = 0;
  int info;
  gsize nv = 0;
  g_autofree double *lam = NULL;
  g_autofree gsize *idx = NULL;

  for (gsize i = 0; i < n; i++)
    {
      double s = 0.0;
      for (gsize j = 0; j < n; j++)
        s += m[i * n + j];
      rowmean[i] = s / (double) n;
      mean += rowmean[i];
    }
  mean /= (double) n;
  /* P M P − J: 1 becomes an eigenvector with eigenvalue −1, never part of Y. */
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < n; j++)
      pr->a[i * n + j] = m[i * n + j] - rowmean[i] - rowmean[j] + mean - 1.0 / (double) n;
  info = LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'V', 'U', (int) n, pr->a, (int) n, 0.0, 1e300, 0, 0, 0.0, &found,
                         pr->vals, pr->vecs, (int) n, pr->isuppz);
  if (info != 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC, "SDP k-means: the eigendecomposition failed (LAPACK dsyevr %d)",
                   info);
      return FALSE;
    }
  for (int j = 0; j < found; j++)
    pos_sum += pr->vals[j];
  if (pos_sum < (double) pr->k - 1.0)
    {
      /* θ < 0: non-positive eigenvalues come in too; all of them, the 1 direction left out. */
      for (gsize i = 0; i < n; i++)
        for (gsize j = 0; j < n; j++)
          pr->a[i * n + j] = m[i * n + j] - rowmean[i] - rowmean[j] + mean;
      info = LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'A', 'U', (int) n, pr->a, (int) n, 0.0, 0.0, 0, 0, 0.0, &found,
                             pr->vals, pr->vecs, (int) n, pr->isuppz);
      if (info != 0)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
                       "SDP k-means: the eigendecomposition failed (LAPACK dsyevr %d)", info);
          return FALSE;
        }
    }
  lam = g_new (double, MAX (found, 1));
  idx = g_new (gsize, MAX (found, 1));
  /* Descending order, skipping the eigenvector along 1. */
  for (int j = found - 1; j >= 0; j--)
    {
      double along = 0.0;
      for (gsize i = 0; i < n; i++)
        along += pr->vecs[i * n + (gsize) j];
      if (fabs (along) / sqrt ((double) n) > 0.5)
        continue;
      lam[nv] = pr->vals[j];
      idx[nv++] = (gsize) j;
    }
  project_simplex (lam, nv, (double) pr->k - 1.0);
  for (gsize i = 0; i < n * n; i++)
    z[i] = 1.0 / (double) n;
  {
    gsize used = 0;
    g_autofree double *vs = NULL;

    while (used < nv && lam[used] > 0.0)
      used++;
    if (used > 0)
      {
        vs = g_new (double, n * used);
        for (gsize i = 0; i < n; i++)
          for (gsize j = 0; j < used; j++)
            vs[i * used + j] = pr->vecs[i * n + idx[j]] * sqrt (lam[j]);
        cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) n, (int) n, (int) used, 1.0, vs, (int) used, vs,
                     (int) used, 1.0, z, (int) n);
      }
  }
  return TRUE;
}

static gboolean
solve_admm (const CsMatrix     *xc,
            const CsSdpOptions *o,
            CsProgress         *progress,
            CsSdpReport        *report,
            double             *zout,
            GError            **error)
{
  gsize n = xc->rows;
  gsize nn = n * n;
  double sigma = 0.0;
  double rho = 1.0;
  g_autofree double *c = NULL;
  g_autofree double *w = NULL;
  g_autofree double *u = NULL;
  g_autofree double *m = NULL;
  Proj pr = { 0 };
  gboolean ok = FALSE;
  double shown = 0.0;
  guint it;

  for (gsize i = 0; i < n * xc->cols; i++)
    sigma += xc->data[i] * xc->data[i];
  sigma = MAX (sigma / (double) n, 1e-300);
  c = g_new (double, nn);
  w = g_new0 (double, nn);
  u = g_new0 (double, nn);
  m = g_new (double, nn);
  pr.n = n;
  pr.k = o->k;
  pr.a = g_new (double, nn);
  pr.vecs = g_new (double, nn);
  pr.vals = g_new (double, n);
  pr.isuppz = g_new (int, 2 * n);
  /* C = −X Xᵀ / (σ n): entries of Z are about k/n, so this keeps C/ρ and Z alike for ρ ≈ 1. */
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) n, (int) n, (int) xc->cols, -1.0 / (sigma * n),
               xc->data, (int) xc->cols, xc->data, (int) xc->cols, 0.0, c, (int) n);
  for (gsize i = 0; i < nn; i++)
    w[i] = (double) o->k / (double) n;

  report->primal_residual = INFINITY;
  report->dual_residual = INFINITY;
  for (it = 0; it < o->max_iter; it++)
    {
      double rp = 0.0;
      double rd = 0.0;
      double wn = 0.0;
      double zn = 0.0;
      double un = 0.0;

      if (!cs_progress_check (progress, error))
        goto out;
      for (gsize i = 0; i < nn; i++)
        m[i] = w[i] - u[i] - c[i] / rho;
      if (!project_spectral (&pr, m, zout, error))
        goto out;
      for (gsize i = 0; i < nn; i++)
        {
          double wprev = w[i];
          double wn_i = MAX (zout[i] + u[i], 0.0);
          double d = zout[i] - wn_i;

          u[i] += d;
          w[i] = wn_i;
          rp += d * d;
          rd += (wn_i - wprev) * (wn_i - wprev);
          wn += wn_i * wn_i;
          zn += zout[i] * zout[i];
          un += u[i] * u[i];
        }
      report->primal_residual = sqrt (rp) / MAX (sqrt (MAX (wn, zn)), 1e-300);
      report->dual_residual = rho * sqrt (rd) / MAX (rho * sqrt (un), 1e-300);
      report->iterations = it + 1;
      if (report->primal_residual <= o->tol && report->dual_residual <= o->tol)
        {
          report->converged = TRUE;
          break;
        }
      /* Residual balancing (Boyd et al. 2011, §3.4.1); u is the scaled dual, so it rescales. */
      if (report->primal_residual > 10.0 * report->dual_residual)
        {
          rho *= 2.0;
          for (gsize i = 0; i < nn; i++)
            u[i] *= 0.5;
        }
      else if (report->dual_residual > 10.0 * report->primal_residual)
        {
          rho *= 0.5;
          for (gsize i = 0; i < nn; i++)
            u[i] *= 2.0;
        }
      if (progress != NULL)
        {
          double worst = MAX (report->primal_residual, report->dual_residual);
          double by_res = worst >= 1.0 ? 0.0 : log (worst) / log (o->tol);
          double f = MAX (MIN (by_res, 1.0) * 0.9, (double) (it + 1) / o->max_iter);

          f = shown = MAX (CLAMP (f, 0.0, 1.0), shown);
          if (!cs_progress_report (progress, 0.9 * f, "ADMM"))
            {
              cs_progress_check (progress, error);
              goto out;
            }
        }
    }
  ok = TRUE;
out:
  g_free (pr.a);
  g_free (pr.vecs);
  g_free (pr.vals);
  g_free (pr.isuppz);
  return ok;
}

/* ---- the run ------------------------------------------------------------------------ */

static CsMatrix *
centred_copy (const CsMatrix *x)
{
  CsMatrix *xc = cs_matrix_copy (x);
  g_autofree double *mean = g_new (double, x->cols);

  cs_matrix_column_means (x, mean);
  for (gsize i = 0; i < x->rows; i++)
    for (gsize j = 0; j < x->cols; j++)
      xc->data[i * x->cols + j] -= mean[j];
  return xc;
}

/* ⟨X Xᵀ, P⟩ of a partition: Σ_j |G_j| ‖mean_j‖² on centred rows. */
static double
partition_objective (const CsMatrix *xc,
                     const int      *labels,
                     guint           k)
{
  g_autofree double *means = g_new (double, (gsize) k * xc->cols);
  g_autofree gsize *sizes = g_new (gsize, k);
  double s = 0.0;

  cs_metric_cluster_means (xc, labels, k, means, sizes);
  for (guint j = 0; j < k; j++)
    s += (double) sizes[j] * sum_sq (means + (gsize) j * xc->cols, xc->cols);
  return s;
}

static gboolean
finish_result (const CsMatrix *x,
               const CsMatrix *xc,
               guint           k,
               int            *labels,
               CsSdpReport    *report,
               CsClustering  **out)
{
  CsClustering *c = cs_clustering_new ("sdp-kmeans", x->rows, x->cols, k);
  g_autofree gsize *sizes = g_new (gsize, k);

  memcpy (c->labels, labels, x->rows * sizeof (int));
  c->centers = cs_matrix_new (k, x->cols);
  cs_metric_cluster_means (x, labels, k, c->centers->data, sizes);
  c->objective = cs_metric_inertia (x, labels, c->centers);
  c->objective_name = "inertia";
  c->iterations = report->iterations;
  c->converged = report->converged;
  report->rounded_objective = partition_objective (xc, labels, k);
  c->tight = report->tight ? 1 : 0;
  c->sdp = report;
  *out = c;
  return TRUE;
}

static gboolean
run_lowrank (const CsMatrix     *x,
             const CsMatrix     *xc,
             const CsSdpOptions *o,
             CsProgress         *progress,
             CsClustering      **out,
             GError            **error)
{
  gsize n = x->rows;
  guint k = o->k;
  guint r = o->rank ? o->rank : MIN (2 * k, k + 10);
  CsSdpReport *report = g_new0 (CsSdpReport, 1);
  g_autofree double *u = NULL;
  g_autofree double *vecs = NULL;
  g_autofree int *labels = g_new (int, n);
  const double *ys[1] = { xc->data };
  gsize ms[1] = { xc->cols };
  double trace[1] = { (double) k };
  CsSdpLowrank p = { 0 };
  CsRng rng;
  CsProgressRange range;
  g_autoptr (CsProgress) stage = NULL;

  r = (guint) MIN ((gsize) r, n);
  p.n = n;
  p.blocks = 1;
  p.r = r;
  p.y = ys;
  p.m = ms;
  p.c = NULL;
  p.trace = trace;
  p.max_iter = o->max_iter;
  p.tol = o->tol;
  report->solver = CS_SDP_LOWRANK;
  report->rank = r;
  report->blocks = 1;
  report->dual_residual = NAN;

  u = g_try_new (double, n * r);
  if (u == NULL)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "SDP k-means: no memory for the n × r factor");
      cs_sdp_report_free (report);
      return FALSE;
    }
  cs_rng_init (&rng, o->seed);
  for (gsize i = 0; i < n * r; i++)
    u[i] = cs_rng_uniform (&rng);
  if (!cs_i_sdp_lowrank_solve (&p, u, progress, 0.0, 0.9, &report->iterations, &report->primal_residual,
                               &report->converged, error))
    {
      cs_sdp_report_free (report);
      return FALSE;
    }
  report->relaxed_objective = -cs_i_sdp_lowrank_cost (&p, u);
  vecs = g_new (double, n * k);
  factor_top_vectors (u, n, r, k, vecs);
  stage = cs_progress_stage_new (&range, progress, 0.9, 1.0);
  if (!round_rows (vecs, n, k, o->seed, stage, labels, error))
    {
      cs_sdp_report_free (report);
      return FALSE;
    }
  cs_i_sdp_report_from_factor (report, u, n, r, labels, k, o->tight_tol);
  return finish_result (x, xc, k, labels, report, out);
}

static gboolean
run_admm (const CsMatrix     *x,
          const CsMatrix     *xc,
          const CsSdpOptions *o,
          CsProgress         *progress,
          CsClustering      **out,
          GError            **error)
{
  gsize n = x->rows;
  guint k = o->k;
  CsSdpReport *report = g_new0 (CsSdpReport, 1);
  g_autofree double *z = NULL;
  g_autofree double *a = NULL;
  g_autofree double *vals = NULL;
  g_autofree double *vecs = NULL;
  g_autofree int *isuppz = NULL;
  g_autofree int *labels = g_new (int, n);
  CsProgressRange range;
  g_autoptr (CsProgress) stage = NULL;
  int found = 0;
  double zz = 0.0;
  double pp;
  g_autofree gsize *sizes = g_new (gsize, k);

  report->solver = CS_SDP_ADMM;
  report->blocks = 1;
  /* Z, W, U, M, C, the eigenvectors and dsyevr's copy: seven n × n matrices at the peak. */
  if (!cs_memory_check ((guint64) 7 * n * n * sizeof (double), "SDP k-means by ADMM (seven n × n matrices)",
                        "use solver=lowrank, which never forms the n × n matrix", error))
    {
      cs_sdp_report_free (report);
      return FALSE;
    }
  z = g_new (double, n * n);
  if (!solve_admm (xc, o, progress, report, z, error))
    {
      cs_sdp_report_free (report);
      return FALSE;
    }
  /* ⟨X Xᵀ, Z⟩ in the data's units. */
  {
    g_autofree double *zx = g_new (double, n * xc->cols);
    cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n, (int) xc->cols, (int) n, 1.0, z, (int) n,
                 xc->data, (int) xc->cols, 0.0, zx, (int) xc->cols);
    report->relaxed_objective = 0.0;
    for (gsize i = 0; i < n * xc->cols; i++)
      report->relaxed_objective += zx[i] * xc->data[i];
  }
  /* Rounding: the top-k eigenvectors of Z. */
  a = g_memdup2 (z, n * n * sizeof (double));
  vals = g_new (double, k);
  vecs = g_new (double, n * k);
  isuppz = g_new (int, 2 * k);
  if (LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'I', 'U', (int) n, a, (int) n, 0.0, 0.0, (int) (n - k + 1), (int) n,
                      0.0, &found, vals, vecs, (int) k, isuppz)
      != 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC, "SDP k-means: the eigendecomposition of Z failed");
      cs_sdp_report_free (report);
      return FALSE;
    }
  stage = cs_progress_stage_new (&range, progress, 0.9, 1.0);
  if (!round_rows (vecs, n, k, o->seed, stage, labels, error))
    {
      cs_sdp_report_free (report);
      return FALSE;
    }
  /* ‖Z − P‖_F / ‖P‖_F */
  pp = partition_sizes (labels, n, k, sizes);
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < n; j++)
      {
        double pij = labels[i] == labels[j] ? 1.0 / (double) sizes[labels[i]] : 0.0;
        double dd = z[i * n + j] - pij;
        zz += dd * dd;
      }
  report->tight_gap = sqrt (zz) / sqrt (MAX (pp, 1.0));
  report->tight_tol = o->tight_tol;
  report->tight = report->converged && report->tight_gap <= o->tight_tol;
  choose_z_rows (report, n, labels);
  for (gsize i = 0; i < report->z_n; i++)
    for (gsize j = 0; j < report->z_n; j++)
      report->z[i * report->z_n + j] = z[report->z_rows[i] * n + report->z_rows[j]];
  if (progress)
    cs_progress_report (progress, 1.0, "done");
  return finish_result (x, xc, k, labels, report, out);
}

gboolean
cs_sdp_kmeans_run (const CsMatrix     *x,
                   const CsSdpOptions *options,
                   CsProgress         *progress,
                   CsClustering      **out,
                   GError            **error)
{
  g_autoptr (CsMatrix) xc = NULL;
  CsSdpSolver solver;

  g_return_val_if_fail (x != NULL && options != NULL && out != NULL, FALSE);
  if (options->k < 1 || options->k > x->rows)
    {
      g_autofree char *rows = cs_format_count (x->rows);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "SDP k-means: k = %u clusters needs at least k rows; the data has %s", options->k, rows);
      return FALSE;
    }
  for (gsize i = 0; i < x->rows * x->cols; i++)
    if (!isfinite (x->data[i]))
      {
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "SDP k-means: row %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
                     " is not a finite number; drop or impute missing values first",
                     i / x->cols + 1, i % x->cols + 1);
        return FALSE;
      }
  solver = options->solver;
  if (solver == CS_SDP_AUTO)
    solver = x->rows <= CS_SDP_AUTO_ADMM_MAX ? CS_SDP_ADMM : CS_SDP_LOWRANK;
  xc = centred_copy (x);
  if (solver == CS_SDP_ADMM)
    return run_admm (x, xc, options, progress, out, error);
  return run_lowrank (x, xc, options, progress, out, error);
}

/* ---- registry ----------------------------------------------------------------------- */

static const char *const solver_choices[] = { "auto", "admm", "lowrank", NULL };
static const char *const solver_labels[] = { "Automatic (ADMM up to 200 rows)", "ADMM on the n × n matrix (exact)",
                                             "Low-rank factorisation (large n)", NULL };

static const CsParamSpec sdp_params[] = {
  { .name = "k", .label = "Clusters (k)", .help = "How many clusters the relaxation and its rounding look for.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000, .default_num = 3 },
  { .name = "solver", .label = "Solver",
    .help = "ADMM solves the relaxation exactly on the n × n matrix (small data); the low-rank factorisation never "
            "forms it and scales to tens of thousands of rows.",
    .type = CS_PARAM_ENUM, .default_str = "auto", .choices = solver_choices, .choice_labels = solver_labels },
  { .name = "rank", .label = "Factor rank",
    .help = "Columns of the low-rank factor U (Z = U Uᵀ); at least k.", .type = CS_PARAM_INT, .min = 0,
    .max = 1000, .default_num = 0, .advanced = TRUE, .zero_label = "Automatic" },
  { .name = "max_iter", .label = "Maximum steps", .help = "The solver stops after this many steps at the latest.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000000, .default_num = 2000, .advanced = TRUE },
  { .name = "tol", .label = "Tolerance",
    .help = "The solver stops when its relative residuals fall below this.", .type = CS_PARAM_DOUBLE, .min = 1e-12,
    .max = 0.1, .default_num = 1e-5, .log_scale = TRUE, .advanced = TRUE },
  { .name = "tight_tol", .label = "Tightness tolerance",
    .help = "How close (relative Frobenius distance) Z must be to a partition's block matrix to count as tight.",
    .type = CS_PARAM_DOUBLE, .min = 1e-12, .max = 1, .default_num = 1e-3, .log_scale = TRUE, .advanced = TRUE },
  { .name = "seed", .label = "Random seed",
    .help = "Seeds the low-rank start and the rounding's k-means: the same seed gives the same clusters.",
    .type = CS_PARAM_INT, .min = 0, .max = 2147483647.0, .default_num = 0 },
};

static gboolean
sdp_run_params (const CsMatrix *x,
                const CsParams *params,
                CsProgress     *progress,
                CsTrace        *trace,
                CsClustering  **out,
                GError        **error)
{
  CsSdpOptions o;
  const char *solver = cs_params_get_string (params, "solver");

  cs_sdp_options_init (&o);
  o.k = (guint) cs_params_get_int (params, "k");
  o.solver = g_strcmp0 (solver, "admm") == 0 ? CS_SDP_ADMM : g_strcmp0 (solver, "lowrank") == 0 ? CS_SDP_LOWRANK
                                                                                                 : CS_SDP_AUTO;
  o.rank = (guint) cs_params_get_int (params, "rank");
  o.max_iter = (guint) cs_params_get_int (params, "max_iter");
  o.tol = cs_params_get_double (params, "tol");
  o.tight_tol = cs_params_get_double (params, "tight_tol");
  o.seed = (guint64) cs_params_get_int (params, "seed");
  if (o.rank != 0 && o.rank < o.k)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "Parameter ‘rank’: %u is below k = %u; the factor needs at least k columns (or 0 for automatic)",
                   o.rank, o.k);
      return FALSE;
    }
  return cs_sdp_kmeans_run (x, &o, progress, out, error);
}

const CsAlgorithm cs_algorithm_sdp_kmeans = {
  .id = "sdp-kmeans",
  .name = "SDP k-means",
  .description = "The Peng–Wei semidefinite relaxation of k-means, rounded to clusters. When the relaxation is "
                 "tight it certifies that no other partition has a lower k-means objective.",
  .category = "Centroid",
  .objective = CS_OBJECTIVE_INERTIA,
  .params = sdp_params,
  .n_params = G_N_ELEMENTS (sdp_params),
  .run = sdp_run_params,
};
