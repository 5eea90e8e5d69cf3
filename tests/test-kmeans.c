/* k-means: known optima, Hamerly against Lloyd, determinism across threads, cancel, errors
 * and the registry entry. */
#include <math.h>
#include "test-common.h"
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "core/cluster/cs-kmeans.h"
#include "core/cluster/cs-trace.h"
#include "core/base/cs-error.h"
#include "core/base/cs-rng.h"
#include "core/metrics/cs-metrics.h"

/* n rows around k centres `spread` apart along every axis, noise sd 1. */
static CsMatrix *
make_blobs (gsize   n,
            gsize   d,
            guint   k,
            double  spread,
            guint64 seed,
            int    *truth)
{
  CsMatrix *x = cs_matrix_new (n, d);
  g_autoptr (CsMatrix) mu = cs_matrix_new (k, d);
  CsRng rng;

  cs_rng_init (&rng, seed);
  for (gsize e = 0; e < (gsize) k * d; e++)
    mu->data[e] = spread * cs_rng_uniform (&rng);
  for (gsize i = 0; i < n; i++)
    {
      int c = (int) (i % k);
      if (truth)
        truth[i] = c;
      for (gsize j = 0; j < d; j++)
        x->data[i * d + j] = cs_matrix_get (mu, c, j) + cs_rng_normal (&rng);
    }
  return x;
}

static CsClustering *
run_ok (const CsMatrix        *x,
        const CsKmeansOptions *o)
{
  CsClustering *c = NULL;
  GError *error = NULL;

  g_assert_true (cs_kmeans_run (x, o, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

/* Every label is a nearest centre of its row and the objective is the inertia of exactly
 * these labels and centres: the final E-step happened. */
static void
assert_consistent (const CsMatrix     *x,
                   const CsClustering *c)
{
  for (gsize i = 0; i < x->rows; i++)
    {
      double own = cs_sqdist (cs_matrix_row (x, i), cs_matrix_row (c->centers, c->labels[i]), x->cols);
      for (guint j = 0; j < c->k; j++)
        g_assert_cmpfloat (own, <=, cs_sqdist (cs_matrix_row (x, i), cs_matrix_row (c->centers, j), x->cols)
                                      * (1 + 1e-12) + 1e-12);
    }
  g_assert_cmpfloat_with_epsilon (c->objective, cs_metric_inertia (x, c->labels, c->centers),
                                  1e-9 * MAX (c->objective, 1.0));
  g_assert_cmpstr (c->objective_name, ==, "inertia");
}

static void
test_blobs_known_optimum (void)
{
  const gsize n = 400;
  const guint k = 4;
  g_autofree int *truth = g_new (int, n);
  g_autoptr (CsMatrix) x = make_blobs (n, 3, k, 200.0, 1, truth);
  g_autoptr (CsMatrix) means = cs_matrix_new (k, 3);
  g_autoptr (CsClustering) c = NULL;
  CsKmeansOptions o;
  int mapping[4];
  double sse = 0.0;

  /* The blobs are ~200 sd apart: the optimal partition is the generating one, its centres the
   * blob means, its inertia their within-blob sum of squares. */
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < 3; j++)
      means->data[truth[i] * 3 + j] += cs_matrix_get (x, i, j) / (n / k);
  sse = cs_metric_inertia (x, truth, means);

  cs_kmeans_options_init (&o);
  o.k = k;
  o.n_init = 3;
  c = run_ok (x, &o);
  g_assert_cmpfloat (cs_metric_ari (truth, c->labels, n), ==, 1.0);
  cs_match_labels (truth, k, c->labels, k, n, mapping);
  for (guint j = 0; j < k; j++)
    for (gsize t = 0; t < 3; t++)
      g_assert_cmpfloat_with_epsilon (cs_matrix_get (c->centers, j, t), cs_matrix_get (means, mapping[j], t), 1e-9);
  g_assert_cmpfloat_with_epsilon (c->objective, sse, 1e-9 * sse);
  g_assert_true (c->converged);
  g_assert_cmpuint (c->iterations, <=, 3);
  assert_consistent (x, c);
}

/* Exhaustive search over all k^n labellings (all partitions appear among them). */
static double
brute_force_sse (const double *v,
                 int           n,
                 int           k)
{
  double best = INFINITY;
  int total = 1;

  for (int i = 0; i < n; i++)
    total *= k;
  for (int code = 0; code < total; code++)
    {
      double s[8] = { 0 };
      double s2[8] = { 0 };
      int cnt[8] = { 0 };
      double sse = 0.0;
      int c = code;
      gboolean all = TRUE;

      for (int i = 0; i < n; i++, c /= k)
        {
          s[c % k] += v[i];
          s2[c % k] += v[i] * v[i];
          cnt[c % k]++;
        }
      for (int j = 0; j < k; j++)
        {
          if (cnt[j] == 0)
            all = FALSE;
          else
            sse += s2[j] - s[j] * s[j] / cnt[j];
        }
      if (all)
        best = MIN (best, sse);
    }
  return best;
}

static void
test_tiny_1d_brute_force (void)
{
  CsRng rng;

  cs_rng_init (&rng, 77);
  for (int trial = 0; trial < 5; trial++)
    {
      double v[9];
      g_autoptr (CsMatrix) x = NULL;
      g_autoptr (CsClustering) c = NULL;
      CsKmeansOptions o;
      double best;

      for (int i = 0; i < 9; i++)
        v[i] = floor (cs_rng_uniform (&rng) * 1000.0) / 10.0;
      x = cs_matrix_new_from_data (9, 1, v);
      best = brute_force_sse (v, 9, 3);
      cs_kmeans_options_init (&o);
      o.k = 3;
      /* k-means++ rarely starts in the optimum's basin on such tiny data (scikit-learn's
       * neither); 300 random starts cover the 84 possible ones almost surely. */
      o.init = CS_KMEANS_INIT_RANDOM;
      o.n_init = 300;
      o.seed = trial;
      c = run_ok (x, &o);
      g_assert_cmpfloat_with_epsilon (c->objective, best, 1e-9 * MAX (best, 1.0));
      assert_consistent (x, c);
    }
}

static void
assert_same_result (const CsClustering *a,
                    const CsClustering *b,
                    double              center_tol)
{
  g_assert_cmpuint (a->iterations, ==, b->iterations);
  g_assert_cmpint (a->converged, ==, b->converged);
  g_assert_cmpmem (a->labels, a->n * sizeof (int), b->labels, b->n * sizeof (int));
  for (gsize e = 0; e < (gsize) a->k * a->d; e++)
    g_assert_cmpfloat (fabs (a->centers->data[e] - b->centers->data[e]), <=, center_tol);
  g_assert_cmpfloat (fabs (a->objective - b->objective), <=, center_tol * MAX (a->objective, 1.0));
}

static void
test_hamerly_equals_lloyd (void)
{
  CsRng rng;

  cs_rng_init (&rng, 4242);
  for (int trial = 0; trial < 60; trial++)
    {
      gsize n = 50 + cs_rng_below (&rng, 2000);
      gsize d = 1 + cs_rng_below (&rng, 8);
      guint k = 2 + cs_rng_below (&rng, 14);
      g_autoptr (CsMatrix) x = NULL;
      g_autoptr (CsMatrix) init = cs_matrix_new (k, d);
      g_autoptr (CsClustering) lloyd = NULL;
      g_autoptr (CsClustering) hamerly = NULL;
      CsKmeansOptions o;

      /* Alternate structureless and clustered data; tol 0 runs to a fixed point. */
      x = make_blobs (n, d, 1 + cs_rng_below (&rng, 10), trial % 2 ? 0.0 : 15.0, trial, NULL);
      cs_kmeans_options_init (&o);
      o.k = k;
      o.n_init = 1 + trial % 3;
      o.seed = trial;
      o.tol = trial % 4 == 0 ? 0.0 : 1e-4;
      o.init = trial % 5 == 0 ? CS_KMEANS_INIT_RANDOM : CS_KMEANS_INIT_PLUSPLUS;
      if (trial % 6 == 0)
        {
          /* Explicit centres, one far outside the data: its cluster empties at once and
           * must be re-seeded the same way by both. */
          for (guint j = 0; j < k; j++)
            memcpy (cs_matrix_row (init, j), cs_matrix_row (x, j * (n / k)), d * sizeof (double));
          for (gsize t = 0; t < d; t++)
            cs_matrix_row (init, k - 1)[t] = 1e4;
          o.initial_centers = init;
        }
      o.algorithm = CS_KMEANS_LLOYD;
      lloyd = run_ok (x, &o);
      o.algorithm = CS_KMEANS_HAMERLY;
      hamerly = run_ok (x, &o);
      assert_same_result (lloyd, hamerly, 1e-9);
      assert_consistent (x, lloyd);
      if (o.initial_centers)
        {
          g_autofree gsize *sizes = g_new (gsize, k);
          cs_clustering_sizes (lloyd, sizes);
          for (guint j = 0; j < k; j++)
            g_assert_cmpuint (sizes[j], >, 0);
        }
    }
}

static void
test_threads_give_identical_results (void)
{
#ifdef _OPENMP
  g_autoptr (CsMatrix) x = make_blobs (30000, 5, 12, 8.0, 3, NULL);
  CsKmeansOptions o;
  int saved = omp_get_max_threads ();

  cs_kmeans_options_init (&o);
  o.k = 10;
  o.n_init = 2;
  o.seed = 5;
  for (int alg = 0; alg < 2; alg++)
    {
      g_autoptr (CsClustering) one = NULL;
      g_autoptr (CsClustering) two = NULL;

      o.algorithm = alg ? CS_KMEANS_HAMERLY : CS_KMEANS_LLOYD;
      omp_set_num_threads (1);
      one = run_ok (x, &o);
      omp_set_num_threads (2);
      two = run_ok (x, &o);
      /* Bitwise: fixed blocks and a fixed reduction order. */
      assert_same_result (one, two, 0.0);
      g_assert_cmpmem (one->centers->data, 10 * 5 * sizeof (double), two->centers->data, 10 * 5 * sizeof (double));
      g_assert_cmpfloat (one->objective, ==, two->objective);
    }
  omp_set_num_threads (saved);
#else
  g_test_skip ("built without OpenMP");
#endif
}

static void
test_seeds (void)
{
  g_autoptr (CsMatrix) x = make_blobs (2000, 2, 1, 0.0, 8, NULL);
  CsKmeansOptions o;
  double first = NAN;
  gboolean differ = FALSE;

  cs_kmeans_options_init (&o);
  o.k = 12;
  o.n_init = 1;
  for (guint64 seed = 0; seed < 6; seed++)
    {
      g_autoptr (CsClustering) a = NULL;
      g_autoptr (CsClustering) b = NULL;

      o.seed = seed;
      a = run_ok (x, &o);
      b = run_ok (x, &o);
      assert_same_result (a, b, 0.0);
      if (seed == 0)
        first = a->objective;
      else if (a->objective != first)
        differ = TRUE;
    }
  /* One Gaussian blob cut into 12 has many local optima: the seeds must reach several. */
  g_assert_true (differ);
}

static gboolean
stop_at_second_call (double      fraction,
                     const char *stage,
                     gpointer    user_data)
{
  int *calls = user_data;
  return ++*calls < 2;
}

static void
test_cancel_from_callback (void)
{
  g_autoptr (CsMatrix) x = make_blobs (20000, 4, 5, 3.0, 9, NULL);
  int calls = 0;
  g_autoptr (CsProgress) progress = cs_progress_new (stop_at_second_call, &calls, NULL);
  CsClustering *c = NULL;
  GError *error = NULL;
  CsKmeansOptions o;

  cs_kmeans_options_init (&o);
  o.k = 20;
  o.tol = 0.0;
  g_assert_false (cs_kmeans_run (x, &o, progress, NULL, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  g_assert_null (c);
  g_assert_cmpint (calls, ==, 2);
  g_clear_error (&error);
}

typedef struct
{
  GCancellable *cancellable;
  gint64        cancelled_at; /* CPU time of the worker thread when cancelled */
  clockid_t     clock;        /* the worker thread's CPU clock */
} Canceller;

static gpointer
cancel_later (gpointer data)
{
  Canceller *cc = data;

  g_usleep (150 * 1000);
  cc->cancelled_at = cs_test_cpu_us (cc->clock);
  g_cancellable_cancel (cc->cancellable);
  return NULL;
}

/* Cancel from another thread mid-run: the run must stop within 100 ms of its own work. */
static void
test_cancel_is_prompt (void)
{
  g_autoptr (CsMatrix) x = make_blobs (200000, 50, 20, 1.0, 10, NULL);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (CsProgress) progress = cs_progress_new (NULL, NULL, cancellable);
  Canceller cc = { cancellable, 0, cs_test_cpu_clock () };
  CsClustering *c = NULL;
  GError *error = NULL;
  CsKmeansOptions o;
  GThread *thread;
  gint64 returned;

  for (int alg = 0; alg < 2; alg++)
    {
      gint64 best = G_MAXINT64;

      /* In CPU time of the worker (test-common.h), best of three tries; every try must still
       * end with the cancelled error and no result. */
      for (int attempt = 0; attempt < 3 && best >= 100000 * cs_test_cpu_scale (); attempt++)
        {
          cs_kmeans_options_init (&o);
          o.k = 100;
          o.tol = 0.0;
          o.algorithm = alg ? CS_KMEANS_HAMERLY : CS_KMEANS_LLOYD;
          g_cancellable_reset (cancellable);
          progress->cancelled = 0;
          thread = g_thread_new ("cancel", cancel_later, &cc);
          g_assert_false (cs_kmeans_run (x, &o, progress, NULL, &c, &error));
          returned = cs_test_cpu_us (cc.clock);
          g_thread_join (thread);
          g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
          g_assert_null (c);
          g_clear_error (&error);
          g_test_message ("cancel latency %.1f ms", (returned - cc.cancelled_at) / 1000.0);
          best = MIN (best, returned - cc.cancelled_at);
        }
      g_assert_cmpint (best, <, 100000 * cs_test_cpu_scale ());
    }
}

static void
test_errors (void)
{
  const double few[] = { 1, 1, 2, 2, 1, 1, 2, 2 };
  g_autoptr (CsMatrix) x = cs_matrix_new_from_data (4, 2, few);
  CsClustering *c = NULL;
  GError *error = NULL;
  CsKmeansOptions o;

  cs_kmeans_options_init (&o);
  o.k = 5;
  g_assert_false (cs_kmeans_run (x, &o, NULL, NULL, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
  g_assert_nonnull (strstr (error->message, "k = 5"));
  g_assert_nonnull (strstr (error->message, "n = 4"));
  g_clear_error (&error);

  /* Four rows, but only two distinct points. */
  o.k = 3;
  g_assert_false (cs_kmeans_run (x, &o, NULL, NULL, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "k = 3"));
  g_assert_nonnull (strstr (error->message, "only 2 distinct"));
  g_clear_error (&error);

  o.k = 2;
  x->data[5] = NAN;
  g_assert_false (cs_kmeans_run (x, &o, NULL, NULL, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "row 3, column 2 is NaN"));
  g_clear_error (&error);
  x->data[5] = INFINITY;
  g_assert_false (cs_kmeans_run (x, &o, NULL, NULL, &c, &error));
  g_assert_nonnull (strstr (error->message, "infinite"));
  g_clear_error (&error);
  g_assert_null (c);
}

static void
test_registry_runs (void)
{
  const CsAlgorithm *km = cs_registry_lookup ("kmeans");
  g_autoptr (CsParams) p = cs_params_new (km);
  g_autofree int *truth = g_new (int, 900);
  g_autoptr (CsMatrix) x = make_blobs (900, 2, 3, 50.0, 12, truth);
  g_autoptr (CsClustering) c = NULL;
  GError *error = NULL;
  const CsParamSpec *alg = cs_algorithm_find_param (km, "algorithm");
  gsize n_choices = 0;

  g_assert_cmpint (cs_params_get_int (p, "k"), ==, 3);
  g_assert_cmpint (cs_params_get_int (p, "n_init"), ==, 10);
  g_assert_cmpint (cs_params_get_int (p, "max_iter"), ==, 300);
  g_assert_cmpfloat (cs_params_get_double (p, "tol"), ==, 1e-4);
  g_assert_cmpstr (cs_params_get_string (p, "init"), ==, "k-means++");
  g_assert_cmpstr (cs_params_get_string (p, "algorithm"), ==, "hamerly");
  while (alg->choices[n_choices])
    n_choices++;
  g_assert_cmpuint (n_choices, ==, 2);
  g_assert_true (cs_algorithm_find_param (km, "tol")->log_scale);

  g_assert_true (cs_params_set_assignment (p, "k=3", &error));
  g_assert_true (cs_params_set_assignment (p, "algorithm=lloyd", &error));
  g_assert_true (cs_params_set_assignment (p, "init=random", &error));
  g_assert_true (cs_params_set_assignment (p, "seed=17", &error));
  g_assert_false (cs_params_set_assignment (p, "algorithm=elkan", &error));
  g_clear_error (&error);
  g_assert_true (cs_algorithm_run (km, x, p, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (c->algorithm, ==, "kmeans");
  g_assert_cmpuint (c->k, ==, 3);
  g_assert_cmpuint (c->centers->rows, ==, 3);
  g_assert_cmpuint (c->centers->cols, ==, 2);
  g_assert_cmpfloat (cs_metric_ari (truth, c->labels, 900), ==, 1.0);
  assert_consistent (x, c);
}

/* With max_iter = 1 the run stops unconverged; the labels must still belong to the returned
 * centres (scikit-learn's final E-step). */
static void
test_final_estep (void)
{
  g_autoptr (CsMatrix) x = make_blobs (3000, 2, 1, 0.0, 13, NULL);
  g_autoptr (CsClustering) c = NULL;
  CsKmeansOptions o;

  cs_kmeans_options_init (&o);
  o.k = 8;
  o.n_init = 1;
  o.max_iter = 1;
  c = run_ok (x, &o);
  g_assert_false (c->converged);
  g_assert_cmpuint (c->iterations, ==, 1);
  assert_consistent (x, c);
}

static void
test_trace (void)
{
  g_autoptr (CsMatrix) x = make_blobs (1500, 2, 5, 6.0, 14, NULL);
  g_autoptr (CsTrace) trace = cs_trace_new (0);
  g_autoptr (CsClustering) c = NULL;
  CsKmeansOptions o;
  GError *error = NULL;
  CsTraceStep *last;

  cs_kmeans_options_init (&o);
  o.k = 5;
  o.n_init = 3;
  o.tol = 0.0;
  g_assert_true (cs_kmeans_run (x, &o, NULL, trace, &c, &error));
  g_assert_no_error (error);
  /* The winning restart: its initial centres, then an assignment and an update step per
   * iteration (tol 0: the run stops when nothing changes, with no extra assignment). */
  g_assert_cmpuint (trace->steps->len, ==, 2 * c->iterations + 1);
  g_assert_cmpint (((CsTraceStep *) g_ptr_array_index (trace->steps, 0))->kind, ==, CS_TRACE_STEP_INIT);
  g_assert_null (((CsTraceStep *) g_ptr_array_index (trace->steps, 0))->labels);
  for (guint s = 2; s < trace->steps->len; s++)
    {
      CsTraceStep *prev = g_ptr_array_index (trace->steps, s - 1);
      CsTraceStep *step = g_ptr_array_index (trace->steps, s);
      g_assert_cmpuint (step->iteration, ==, (s + 1) / 2);
      g_assert_cmpint (step->kind, ==, s % 2 == 1 ? CS_TRACE_STEP_ASSIGN : CS_TRACE_STEP_UPDATE);
      /* An update step moves centres and keeps labels; an assignment step the other way round. */
      if (step->kind == CS_TRACE_STEP_UPDATE)
        g_assert_cmpmem (step->labels, 1500 * sizeof (int), prev->labels, 1500 * sizeof (int));
      else
        g_assert_cmpmem (step->centers->data, 10 * sizeof (double), prev->centers->data, 10 * sizeof (double));
      /* Lloyd never increases the objective, neither half of an iteration. */
      g_assert_cmpfloat (step->objective, <=, prev->objective * (1 + 1e-12));
    }
  last = g_ptr_array_index (trace->steps, trace->steps->len - 1);
  g_assert_cmpint (last->kind, ==, CS_TRACE_STEP_UPDATE);
  g_assert_cmpuint (((CsTraceStep *) g_ptr_array_index (trace->steps, trace->steps->len - 2))->n_changed, ==, 0);
  g_assert_cmpmem (last->labels, 1500 * sizeof (int), c->labels, 1500 * sizeof (int));
  for (gsize e = 0; e < 10; e++)
    g_assert_cmpfloat_with_epsilon (last->centers->data[e], c->centers->data[e], 1e-9);
  g_assert_cmpfloat_with_epsilon (last->objective, c->objective, 1e-9 * c->objective);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/kmeans/blobs-known-optimum", test_blobs_known_optimum);
  g_test_add_func ("/core/kmeans/tiny-1d-brute-force", test_tiny_1d_brute_force);
  g_test_add_func ("/core/kmeans/hamerly-equals-lloyd", test_hamerly_equals_lloyd);
  g_test_add_func ("/core/kmeans/threads-give-identical-results", test_threads_give_identical_results);
  g_test_add_func ("/core/kmeans/seeds", test_seeds);
  g_test_add_func ("/core/kmeans/cancel-from-callback", test_cancel_from_callback);
  g_test_add_func ("/core/kmeans/cancel-is-prompt", test_cancel_is_prompt);
  g_test_add_func ("/core/kmeans/errors", test_errors);
  g_test_add_func ("/core/kmeans/registry-runs", test_registry_runs);
  g_test_add_func ("/core/kmeans/final-estep", test_final_estep);
  g_test_add_func ("/core/kmeans/trace", test_trace);
  return g_test_run ();
}
