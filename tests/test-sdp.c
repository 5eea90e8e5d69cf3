/* SDP k-means and iLA-SDP: on well-separated mixtures the relaxation is tight and its rounding
 * is the true partition, for ADMM and the low-rank solver alike (which agree); the relaxation's
 * value bounds the partition's; overlapping data is reported not tight; iLA-SDP with identity
 * covariances is the Peng–Wei SDP; on two clusters of very different shapes iLA-SDP
 * mis-clusters fewer rows than k-means and SDP k-means; ADMM is refused past the memory
 * budget with low-rank named; cancel stops a run. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "test-common.h"

#include "core/base/cs-error.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-ila-sdp.h"
#include "core/cluster/cs-kmeans.h"
#include "core/cluster/cs-result-io.h"
#include "core/cluster/cs-sdp.h"
#include "core/metrics/cs-metrics.h"

/* k blobs (sd 1) at the corners of a wide triangle/square, 12 apart. */
static CsMatrix *
make_blobs (gsize n, guint k, gsize d, double sep, guint64 seed, int *truth)
{
  CsMatrix *x = cs_matrix_new (n, d);
  CsRng rng;

  cs_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    {
      guint b = (guint) (i % k);
      for (gsize j = 0; j < d; j++)
        x->data[i * d + j] = (j == b % d ? sep : 0.0) + (j == (b + 1) % d && b >= d ? sep : 0.0)
                             + cs_rng_normal (&rng);
      if (truth)
        truth[i] = (int) b;
    }
  return x;
}

static CsClustering *
run_sdp_steps (const CsMatrix *x, guint k, CsSdpSolver solver, guint max_iter)
{
  CsSdpOptions o;
  CsClustering *c = NULL;
  g_autoptr (GError) error = NULL;

  cs_sdp_options_init (&o);
  o.k = k;
  o.solver = solver;
  if (max_iter > 0)
    o.max_iter = max_iter;
  g_assert_true (cs_sdp_kmeans_run (x, &o, NULL, &c, &error));
  g_assert_no_error (error);
  g_assert_nonnull (c->sdp);
  return c;
}

static CsClustering *
run_sdp (const CsMatrix *x, guint k, CsSdpSolver solver)
{
  return run_sdp_steps (x, k, solver, 0);
}

static CsClustering *
run_ila (const CsMatrix *x, guint k, CsIlaCovariance cov)
{
  CsIlaOptions o;
  CsClustering *c = NULL;
  g_autoptr (GError) error = NULL;

  cs_ila_options_init (&o);
  o.k = k;
  o.covariance = cov;
  g_assert_true (cs_ila_sdp_run (x, &o, NULL, &c, &error));
  g_assert_no_error (error);
  return c;
}

static double
total_sq (const CsMatrix *x)
{
  g_autofree double *mean = g_new (double, x->cols);
  double s = 0.0;

  cs_matrix_column_means (x, mean);
  for (gsize i = 0; i < x->rows; i++)
    for (gsize j = 0; j < x->cols; j++)
      s += (cs_matrix_get (x, i, j) - mean[j]) * (cs_matrix_get (x, i, j) - mean[j]);
  return s;
}

static void
test_tight_separated (gconstpointer data)
{
  CsSdpSolver solver = GPOINTER_TO_INT (data);
  gsize n = 90;
  g_autofree int *truth = g_new (int, n);
  g_autoptr (CsMatrix) x = make_blobs (n, 3, 2, 12.0, 1, truth);
  g_autoptr (CsClustering) c = run_sdp (x, 3, solver);

  g_assert_cmpint (c->sdp->solver, ==, solver);
  g_assert_true (c->sdp->converged);
  g_assert_true (c->sdp->tight);
  g_assert_cmpint (c->tight, ==, 1);
  g_assert_cmpfloat (c->sdp->tight_gap, <=, 1e-3);
  g_assert_cmpfloat (cs_metric_ari (truth, c->labels, n), ==, 1.0);
  /* Objective identities: ⟨XXᵀ, P⟩ = Σ‖x − x̄‖² − inertia, and the relaxation equals it. */
  g_assert_cmpfloat_with_epsilon (c->sdp->rounded_objective, total_sq (x) - c->objective, 1e-8 * total_sq (x));
  g_assert_cmpfloat (fabs (c->sdp->relaxed_objective - c->sdp->rounded_objective), <=,
                     1e-4 * c->sdp->rounded_objective);
}

/* Both solvers, the same small problems: the same partition and relaxed value. */
static void
test_admm_lowrank_agree (void)
{
  for (guint64 seed = 1; seed <= 2; seed++)
    {
      gsize n = 80;
      g_autoptr (CsMatrix) x = make_blobs (n, 4, 3, 9.0, seed, NULL);
      g_autoptr (CsClustering) a = run_sdp (x, 4, CS_SDP_ADMM);
      g_autoptr (CsClustering) l = run_sdp (x, 4, CS_SDP_LOWRANK);

      g_assert_true (a->sdp->converged);
      g_assert_true (l->sdp->converged);
      g_assert_cmpfloat (cs_metric_ari (a->labels, l->labels, n), ==, 1.0);
      g_assert_cmpfloat (fabs (a->sdp->relaxed_objective - l->sdp->relaxed_objective), <=,
                         1e-3 * a->sdp->relaxed_objective);
      g_assert_cmpfloat (fabs (a->objective - l->objective), <=, 1e-9 * a->objective);
    }
}

/* One Gaussian cut into 3: no partition is the SDP's optimum; the relaxation exceeds it. */
static void
test_not_tight_overlapping (void)
{
  gsize n = 60;
  g_autoptr (CsMatrix) x = cs_matrix_new (n, 2);
  g_autoptr (CsClustering) c = NULL;
  CsRng rng;

  cs_rng_init (&rng, 5);
  for (gsize i = 0; i < 2 * n; i++)
    x->data[i] = cs_rng_normal (&rng);
  /* Without a partition to settle on, ADMM needs more steps than the default. */
  c = run_sdp_steps (x, 3, CS_SDP_ADMM, 10000);
  g_assert_true (c->sdp->converged);
  g_assert_false (c->sdp->tight);
  g_assert_cmpint (c->tight, ==, 0);
  g_assert_cmpfloat (c->sdp->tight_gap, >, 1e-2);
  /* A relaxation's maximum is at least every partition's value. */
  g_assert_cmpfloat (c->sdp->relaxed_objective, >=, c->sdp->rounded_objective * (1 - 1e-6));
}

/* Σ_k = I: the objective is Σ‖x‖² − ⟨XXᵀ, Σ Z_k⟩, the Peng–Wei SDP. */
static void
test_ila_identity_is_peng_wei (void)
{
  gsize n = 150;
  g_autofree int *truth = g_new (int, n);
  g_autoptr (CsMatrix) x = make_blobs (n, 3, 2, 10.0, 7, truth);
  g_autoptr (CsClustering) pw = run_sdp (x, 3, CS_SDP_LOWRANK);
  g_autoptr (CsClustering) ila = run_ila (x, 3, CS_ILA_IDENTITY);
  double t = total_sq (x);

  g_assert_cmpfloat (cs_metric_ari (pw->labels, ila->labels, n), ==, 1.0);
  g_assert_cmpfloat (cs_metric_ari (truth, ila->labels, n), ==, 1.0);
  g_assert_cmpuint (ila->sdp->blocks, ==, 3);
  g_assert_cmpfloat (fabs (ila->sdp->relaxed_objective - (t - pw->sdp->relaxed_objective)), <=, 1e-3 * t);
  g_assert_cmpfloat (fabs (ila->sdp->rounded_objective - pw->objective), <=, 1e-9 * t);
  g_assert_true (ila->sdp->tight);
}

static gsize
errors_two (const int *truth, const int *labels, gsize n)
{
  gsize wrong = 0;

  for (gsize i = 0; i < n; i++)
    wrong += truth[i] != labels[i];
  return MIN (wrong, n - wrong);
}

/* A long thin cluster (sd 6 × 0.3) beside a small round one (sd 0.3) 2.5 above its middle:
 * k-means, and the k-means SDP, cut the long one in two; a covariance per cluster does not. */
static void
test_ila_heterogeneous (void)
{
  gsize n = 300;
  g_autoptr (CsMatrix) x = cs_matrix_new (n, 2);
  g_autofree int *truth = g_new (int, n);
  g_autoptr (CsClustering) ila = NULL;
  g_autoptr (CsClustering) sdp = NULL;
  g_autoptr (CsClustering) km = NULL;
  g_autoptr (GError) error = NULL;
  CsKmeansOptions ko;
  CsRng rng;
  gsize e_ila;
  gsize e_sdp;
  gsize e_km;

  cs_rng_init (&rng, 11);
  for (gsize i = 0; i < n; i++)
    {
      truth[i] = i < 200 ? 0 : 1;
      if (truth[i] == 0)
        {
          x->data[2 * i] = 6.0 * cs_rng_normal (&rng);
          x->data[2 * i + 1] = 0.3 * cs_rng_normal (&rng);
        }
      else
        {
          x->data[2 * i] = 0.3 * cs_rng_normal (&rng);
          x->data[2 * i + 1] = 2.5 + 0.3 * cs_rng_normal (&rng);
        }
    }
  cs_kmeans_options_init (&ko);
  ko.k = 2;
  ko.n_init = 10;
  g_assert_true (cs_kmeans_run (x, &ko, NULL, NULL, &km, &error));
  sdp = run_sdp (x, 2, CS_SDP_LOWRANK);
  ila = run_ila (x, 2, CS_ILA_FULL);
  e_km = errors_two (truth, km->labels, n);
  e_sdp = errors_two (truth, sdp->labels, n);
  e_ila = errors_two (truth, ila->labels, n);
  g_test_message ("mis-clustered: k-means %" G_GSIZE_FORMAT ", SDP k-means %" G_GSIZE_FORMAT
                  ", iLA-SDP %" G_GSIZE_FORMAT, e_km, e_sdp, e_ila);
  g_assert_cmpuint (e_ila, <, e_km);
  g_assert_cmpuint (e_ila, <, e_sdp);
  g_assert_cmpuint (e_ila, <=, n / 50);
}

static void
test_admm_refused_past_budget (void)
{
  g_autoptr (CsMatrix) x = make_blobs (3000, 3, 2, 10.0, 1, NULL);
  CsSdpOptions o;
  CsClustering *c = NULL;
  g_autoptr (GError) error = NULL;

  g_setenv ("CLUSTERSCOPE_MEMORY_LIMIT", "100M", TRUE);
  cs_sdp_options_init (&o);
  o.solver = CS_SDP_ADMM;
  g_assert_false (cs_sdp_kmeans_run (x, &o, NULL, &c, &error));
  g_unsetenv ("CLUSTERSCOPE_MEMORY_LIMIT");
  g_assert_error (error, CS_ERROR, CS_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "lowrank"));
  g_assert_null (c);
}

static void
test_json (void)
{
  g_autoptr (CsMatrix) x = make_blobs (90, 3, 2, 12.0, 2, NULL);
  g_autoptr (CsClustering) c = run_sdp (x, 3, CS_SDP_AUTO);
  g_autoptr (JsonObject) j = cs_clustering_to_json (c);
  JsonObject *s;

  g_assert_true (json_object_get_boolean_member (j, "tight"));
  g_assert_cmpint (json_object_get_int_member (j, "k"), ==, 3);
  s = json_object_get_object_member (j, "sdp");
  g_assert_cmpstr (json_object_get_string_member (s, "solver"), ==, "admm");
  g_assert_true (json_object_has_member (s, "primal_residual"));
  g_assert_true (json_object_has_member (s, "dual_residual"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (s, "certificate"), "Tight"));
}

typedef struct
{
  guint calls;
} Counter;

static gboolean
cancel_after_some (double fraction, const char *stage, gpointer data)
{
  Counter *c = data;
  return ++c->calls < 3;
}

static void
test_cancel (gconstpointer data)
{
  gboolean ila = GPOINTER_TO_INT (data);
  g_autoptr (CsMatrix) x = make_blobs (5000, 6, 4, 3.0, 8, NULL);
  Counter counter = { 0 };
  g_autoptr (CsProgress) progress = cs_progress_new (cancel_after_some, &counter, NULL);
  CsClustering *c = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (ila)
    {
      CsIlaOptions o;
      cs_ila_options_init (&o);
      o.k = 6;
      ok = cs_ila_sdp_run (x, &o, progress, &c, &error);
    }
  else
    {
      CsSdpOptions o;
      cs_sdp_options_init (&o);
      o.k = 6;
      o.tol = 1e-9;
      ok = cs_sdp_kmeans_run (x, &o, progress, &c, &error);
    }
  g_assert_false (ok);
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  g_assert_null (c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/core/sdp/admm/tight-on-separated", GINT_TO_POINTER (CS_SDP_ADMM), test_tight_separated);
  g_test_add_data_func ("/core/sdp/lowrank/tight-on-separated", GINT_TO_POINTER (CS_SDP_LOWRANK),
                        test_tight_separated);
  g_test_add_func ("/core/sdp/admm-and-lowrank-agree", test_admm_lowrank_agree);
  g_test_add_func ("/core/sdp/admm/not-tight-on-one-gaussian", test_not_tight_overlapping);
  g_test_add_func ("/core/sdp/admm/refused-past-budget-names-lowrank", test_admm_refused_past_budget);
  g_test_add_func ("/core/sdp/json-has-tight-and-report", test_json);
  g_test_add_data_func ("/core/sdp/lowrank/cancel", GINT_TO_POINTER (FALSE), test_cancel);
  g_test_add_func ("/core/ila-sdp/identity-is-peng-wei", test_ila_identity_is_peng_wei);
  g_test_add_func ("/core/ila-sdp/heterogeneous-beats-kmeans-and-sdp", test_ila_heterogeneous);
  g_test_add_data_func ("/core/ila-sdp/cancel", GINT_TO_POINTER (TRUE), test_cancel);
  return g_test_run ();
}
