#include "core/explain/cs-shapley.h"
#include "core/base/cs-matrix-private.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-matrix.h"
#include "core/base/cs-rng.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

/* Cancel is checked every this many value-function calls: an atomic read, so cheap even
 * when the value function is. */
#define CHECK_EVERY 64

static void
mask_to_flags (guint64 mask,
               guint   d,
               guint8 *flags)
{
  for (guint j = 0; j < d; j++)
    flags[j] = (mask >> j) & 1;
}

void
cs_shapley_exact_from_values (guint         d,
                              const double *values,
                              double       *phi)
{
  guint64 n_masks;
  double w[CS_SHAPLEY_EXACT_MAX_D];
  double binom = 1.0;

  g_return_if_fail (d >= 1 && d <= CS_SHAPLEY_EXACT_MAX_D);

  /* |S|! (d − |S| − 1)! / d! = 1 / (d · C(d − 1, |S|)) */
  for (guint s = 0; s < d; s++)
    {
      w[s] = 1.0 / (d * binom);
      binom = binom * (d - 1 - s) / (s + 1);
    }
  memset (phi, 0, d * sizeof *phi);
  n_masks = G_GUINT64_CONSTANT (1) << d;
  for (guint64 m = 0; m < n_masks; m++)
    {
      double ws = w[__builtin_popcountll (m)];

      for (guint j = 0; j < d; j++)
        {
          guint64 bit = G_GUINT64_CONSTANT (1) << j;

          /* a feature the game ignores adds exact zeros here, so it ends at exactly 0 */
          if (!(m & bit))
            phi[j] += ws * (values[m | bit] - values[m]);
        }
    }
}

gboolean
cs_shapley_exact (guint             d,
                  CsCoalitionValue  v,
                  gpointer          user_data,
                  CsProgress       *progress,
                  double           *phi,
                  GError          **error)
{
  g_autofree double *values = NULL;
  g_autofree guint8 *flags = NULL;
  guint64 n_masks;

  g_return_val_if_fail (v != NULL && phi != NULL, FALSE);

  if (d == 0 || d > CS_SHAPLEY_EXACT_MAX_D)
    {
      g_autofree char *got = cs_format_count (d);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "Exact Shapley values enumerate 2^d coalitions and take 1 … %d features (got %s); "
                   "use KernelSHAP for more", CS_SHAPLEY_EXACT_MAX_D, got);
      return FALSE;
    }

  n_masks = G_GUINT64_CONSTANT (1) << d;
  values = g_new (double, n_masks);
  flags = g_new (guint8, d);
  for (guint64 m = 0; m < n_masks; m++)
    {
      if (m % CHECK_EVERY == 0)
        {
          if (!cs_progress_check (progress, error))
            return FALSE;
          cs_progress_report (progress, (double) m / n_masks, "exact Shapley values");
        }
      mask_to_flags (m, d, flags);
      values[m] = v (flags, user_data);
    }
  cs_shapley_exact_from_values (d, values, phi);
  cs_progress_report (progress, 1.0, "done");
  return TRUE;
}

struct _CsKernelShapPlan
{
  guint    d;
  gsize    n;        /* coalitions besides ∅ and the full set, in complementary pairs */
  gboolean complete;
  guint8  *flags;    /* Owned, n × d */
  double  *weight;   /* Owned, n: Shapley kernel weight (or its Monte Carlo share) */
  double  *g;        /* Owned, (d − 1) × n: maps the reduced targets to φ_0 … φ_{d−2} */
};

void
cs_kernelshap_plan_free (CsKernelShapPlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->flags);
  g_free (plan->weight);
  g_free (plan->g);
  g_free (plan);
}

guint
cs_kernelshap_plan_get_d (const CsKernelShapPlan *plan)
{
  return plan->d;
}

gsize
cs_kernelshap_plan_n_coalitions (const CsKernelShapPlan *plan)
{
  return plan->n;
}

gboolean
cs_kernelshap_plan_is_complete (const CsKernelShapPlan *plan)
{
  return plan->complete;
}

const guint8 *
cs_kernelshap_plan_coalition (const CsKernelShapPlan *plan,
                              gsize                   i)
{
  g_return_val_if_fail (i < plan->n, NULL);
  return plan->flags + i * plan->d;
}

/* Appends `members` (size s) and its complement, each with weight w. */
static void
push_pair (CsKernelShapPlan *plan,
           gsize            *at,
           const guint      *members,
           guint             s,
           double            w)
{
  guint d = plan->d;
  guint8 *a = plan->flags + *at * d;
  guint8 *b = a + d;

  memset (a, 0, d);
  for (guint t = 0; t < s; t++)
    a[members[t]] = 1;
  for (guint j = 0; j < d; j++)
    b[j] = !a[j];
  plan->weight[*at] = w;
  plan->weight[*at + 1] = w;
  *at += 2;
}

/* Every s-subset of {0, …, top − 1} in lexicographic order, each pushed with its complement
 * in {0, …, d − 1}. */
static void
push_all_of_size (CsKernelShapPlan *plan,
                  gsize            *at,
                  guint             s,
                  guint             top,
                  double            w)
{
  g_autofree guint *idx = g_new (guint, MAX (s, 1));

  for (guint t = 0; t < s; t++)
    idx[t] = t;
  for (;;)
    {
      int t;

      push_pair (plan, at, idx, s, w);
      for (t = (int) s - 1; t >= 0 && idx[t] == top - s + (guint) t; t--)
        ;
      if (t < 0)
        break;
      idx[t]++;
      for (guint u = (guint) t + 1; u < s; u++)
        idx[u] = idx[u - 1] + 1;
    }
}

static double
binomial (guint d,
          guint s)
{
  double c = 1.0;

  s = MIN (s, d - s);
  for (guint t = 0; t < s; t++)
    c = c * (d - t) / (t + 1);
  return c;
}

/* Chooses the coalitions and their weights; see cs_kernelshap() for the scheme. */
static void
choose_coalitions (CsKernelShapPlan *plan,
                   guint             n_samples,
                   guint64           seed)
{
  guint d = plan->d;
  gsize at = 0;
  guint s_done = 0;
  double budget = n_samples;
  double rest = 0.0;
  g_autofree double *mass = g_new0 (double, d);

  /* the kernel's total weight on all subsets of size s: C(d, s) π(s) = (d − 1) / (s (d − s)) */
  for (guint s = 1; s < d; s++)
    {
      mass[s] = (d - 1.0) / ((double) s * (d - s));
      rest += mass[s];
    }

  if (plan->complete)
    {
      /* pairs (S, S̄) with S the subsets that leave out feature d − 1, ∅ excluded */
      for (guint s = 1; s < d; s++)
        push_all_of_size (plan, &at, s, d - 1, mass[s] / binomial (d, s));
      g_assert (at == plan->n);
      return;
    }

  for (guint s = 1; 2 * s <= d; s++)
    {
      gboolean middle = 2 * s == d;
      double count = middle ? binomial (d, s) : 2.0 * binomial (d, s);
      double m = middle ? mass[s] : 2.0 * mass[s];

      if (budget * m / rest < count)
        break;
      /* the middle size pairs with itself: half its subsets leave out feature d − 1 */
      push_all_of_size (plan, &at, s, middle ? d - 1 : d, mass[s] / binomial (d, s));
      budget -= count;
      rest -= m;
      s_done = s;
    }

  if (s_done + 1 < d - s_done)
    {
      gsize n_pairs = (plan->n - at) / 2;
      double w = rest / (2.0 * n_pairs);
      g_autofree guint *perm = g_new (guint, d);
      CsRng rng;

      cs_rng_init (&rng, seed);
      for (guint j = 0; j < d; j++)
        perm[j] = j;
      for (gsize p = 0; p < n_pairs; p++)
        {
          double u = cs_rng_uniform (&rng) * rest;
          guint s = s_done + 1;

          while (s < d - s_done - 1 && u >= mass[s])
            u -= mass[s++];
          /* a partial Fisher–Yates shuffle: the first s entries are a uniform s-subset,
           * whatever order perm was left in */
          for (guint t = 0; t < s; t++)
            {
              guint r = t + (guint) cs_rng_below (&rng, d - t);
              guint tmp = perm[t];
              perm[t] = perm[r];
              perm[r] = tmp;
            }
          push_pair (plan, &at, perm, s, w);
        }
    }
  plan->n = at;
}

/* How many coalitions choose_coalitions() will make, to allocate once. */
static gsize
count_coalitions (guint    d,
                  guint    n_samples,
                  gboolean complete)
{
  double budget = n_samples;
  double rest = 0.0;
  gsize n = 0;
  guint s_done = 0;

  if (complete)
    return (gsize) ((G_GUINT64_CONSTANT (1) << d) - 2);
  for (guint s = 1; s < d; s++)
    rest += (d - 1.0) / ((double) s * (d - s));
  for (guint s = 1; 2 * s <= d; s++)
    {
      gboolean middle = 2 * s == d;
      double mass = (middle ? 1.0 : 2.0) * (d - 1.0) / ((double) s * (d - s));
      double count = middle ? binomial (d, s) : 2.0 * binomial (d, s);

      if (budget * mass / rest < count)
        break;
      budget -= count;
      rest -= mass;
      n += (gsize) count;
      s_done = s;
    }
  /* at least one sampled pair when sizes remain, even when the budget ran out */
  if (s_done + 1 < d - s_done)
    n += 2 * MAX ((gsize) budget / 2, 1);
  return n;
}

CsKernelShapPlan *
cs_kernelshap_plan_new (guint        d,
                        guint        n_samples,
                        guint64      seed,
                        CsProgress  *progress,
                        GError     **error)
{
  g_autoptr (CsKernelShapPlan) plan = NULL;
  g_autofree double *wx = NULL;
  g_autofree double *a = NULL;
  g_autofree double *lambda = NULL;
  g_autofree double *p = NULL;
  guint r = d - 1;
  gsize n;
  double cutoff;
  lapack_int info;
  int saved_threads;

  if (d == 0)
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "KernelSHAP needs at least one feature");
      return NULL;
    }
  if (n_samples < d + 1)
    {
      g_autofree char *needed = cs_format_count ((guint64) d + 1);
      g_autofree char *features = cs_format_count (d);
      g_autofree char *got = cs_format_count (n_samples);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "KernelSHAP needs at least d + 1 = %s coalition samples for %s features (got %s)", needed,
                   features, got);
      return NULL;
    }

  plan = g_new0 (CsKernelShapPlan, 1);
  plan->d = d;
  plan->complete = d <= 30 && (guint64) n_samples >= (G_GUINT64_CONSTANT (1) << d) - 2;
  n = count_coalitions (d, n_samples, plan->complete);
  if (!cs_memory_check ((guint64) n * (d + 8 + 8 * (guint64) r) * 2, "KernelSHAP's coalition plan",
                        "ask for fewer samples", error))
    return NULL;
  plan->n = n;
  plan->flags = g_new (guint8, n * d);
  plan->weight = g_new (double, n);
  choose_coalitions (plan, n_samples, seed);
  if (d == 1)
    return g_steal_pointer (&plan);

  /* Efficiency eliminates φ_{d−1} = Δ − Σ_{j<d−1} φ_j (Δ = v(all) − v(∅)), leaving the
   * unconstrained weighted least squares  y ≈ X φ'  with  X_ij = z_ij − z_i,d−1  and
   * y_i = v(z_i) − v(∅) − z_i,d−1 Δ.  Its normal matrix depends on the coalitions only, so it
   * is inverted here once; a pseudo-inverse keeps a tiny, rank-deficient sample usable. */
  n = plan->n;
  wx = g_new (double, n * r);
  for (gsize i = 0; i < n; i++)
    {
      const guint8 *z = plan->flags + i * d;
      double sw = sqrt (plan->weight[i]);

      for (guint j = 0; j < r; j++)
        wx[i * r + j] = sw * ((double) z[j] - (double) z[r]);
    }
  /* Plain loops for the products, not BLAS: a threaded BLAS splits the sums over the
   * coalitions by its thread count, and the answer must not depend on it. */
  a = g_new0 (double, (gsize) r * r);
  for (gsize i = 0; i < n; i++)
    {
      const double *xi = wx + i * r;

      if (i % CHECK_EVERY == 0 && !cs_progress_check (progress, error))
        return NULL;
      for (guint j = 0; j < r; j++)
        if (xi[j] != 0.0)
          for (guint l = j; l < r; l++)
            a[(gsize) j * r + l] += xi[j] * xi[l];
    }
  lambda = g_new (double, r);
  saved_threads = cs_i_blas_single_begin (0, TRUE);
  info = LAPACKE_dsyev (LAPACK_ROW_MAJOR, 'V', 'U', r, a, r, lambda);
  cs_i_blas_single_end (saved_threads);
  if (info != 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
                   "KernelSHAP: the eigendecomposition of the normal matrix failed (LAPACKE_dsyev info %d)",
                   (int) info);
      return NULL;
    }
  /* eigenvalues come in ascending order; a columns are the eigenvectors */
  cutoff = lambda[r - 1] * 1e-12 * r;
  p = g_new0 (double, (gsize) r * r);
  for (guint e = 0; e < r; e++)
    if (lambda[e] > cutoff)
      for (guint i = 0; i < r; i++)
        for (guint j = 0; j < r; j++)
          p[(gsize) i * r + j] += a[(gsize) i * r + e] * a[(gsize) j * r + e] / lambda[e];
  /* G = (XᵀWX)⁺ XᵀW: rescale √w X once more by √w to get W X */
  for (gsize i = 0; i < n; i++)
    {
      double sw = sqrt (plan->weight[i]);
      for (guint j = 0; j < r; j++)
        wx[i * r + j] *= sw;
    }
  plan->g = g_new0 (double, (gsize) r * n);
  for (guint j = 0; j < r; j++)
    {
      const double *pj = p + (gsize) j * r;
      double *gj = plan->g + (gsize) j * n;

      if (!cs_progress_check (progress, error))
        return NULL;
      for (gsize i = 0; i < n; i++)
        {
          const double *xi = wx + i * r;
          double acc = 0.0;

          for (guint l = 0; l < r; l++)
            acc += pj[l] * xi[l];
          gj[i] = acc;
        }
    }
  return g_steal_pointer (&plan);
}

void
cs_kernelshap_plan_solve (const CsKernelShapPlan *plan,
                          const double           *values,
                          double                  v_empty,
                          double                  v_all,
                          double                 *phi)
{
  guint d = plan->d;
  guint r = d - 1;
  double delta = v_all - v_empty;
  double sum = 0.0;

  if (d == 1)
    {
      phi[0] = delta;
      return;
    }
  /* plain loops, not BLAS: callers solve from several threads at once */
  for (guint j = 0; j < r; j++)
    {
      const double *gj = plan->g + (gsize) j * plan->n;
      double acc = 0.0;

      for (gsize i = 0; i < plan->n; i++)
        acc += gj[i] * (values[i] - v_empty - plan->flags[i * d + r] * delta);
      phi[j] = acc;
      sum += acc;
    }
  phi[r] = delta - sum;
}

static gboolean
plan_explain (const CsKernelShapPlan *plan,
              CsCoalitionValue        v,
              gpointer                user_data,
              CsProgress             *progress,
              gboolean                report,
              double                 *phi,
              GError                **error)
{
  guint d = plan->d;
  g_autofree double *values = g_new (double, MAX (plan->n, 1));
  g_autofree guint8 *flags = g_new (guint8, d);
  double v_empty;
  double v_all;

  if (!cs_progress_check (progress, error))
    return FALSE;
  memset (flags, 0, d);
  v_empty = v (flags, user_data);
  memset (flags, 1, d);
  v_all = v (flags, user_data);
  for (gsize i = 0; i < plan->n; i++)
    {
      if (i % CHECK_EVERY == 0)
        {
          if (!cs_progress_check (progress, error))
            return FALSE;
          if (report)
            cs_progress_report (progress, (double) i / plan->n, "KernelSHAP");
        }
      values[i] = v (plan->flags + i * d, user_data);
    }
  cs_kernelshap_plan_solve (plan, values, v_empty, v_all, phi);
  return TRUE;
}

gboolean
cs_kernelshap_plan_explain (const CsKernelShapPlan *plan,
                            CsCoalitionValue        v,
                            gpointer                user_data,
                            CsProgress             *progress,
                            double                 *phi,
                            GError                **error)
{
  g_return_val_if_fail (plan != NULL && v != NULL && phi != NULL, FALSE);
  return plan_explain (plan, v, user_data, progress, FALSE, phi, error);
}

gboolean
cs_kernelshap (guint             d,
               CsCoalitionValue  v,
               gpointer          user_data,
               guint             n_samples,
               guint64           seed,
               CsProgress       *progress,
               double           *phi,
               GError          **error)
{
  g_autoptr (CsKernelShapPlan) plan = NULL;

  g_return_val_if_fail (v != NULL && phi != NULL, FALSE);

  plan = cs_kernelshap_plan_new (d, n_samples, seed, progress, error);
  if (plan == NULL)
    return FALSE;
  if (!plan_explain (plan, v, user_data, progress, TRUE, phi, error))
    return FALSE;
  cs_progress_report (progress, 1.0, "done");
  return TRUE;
}
