/* The dissimilarity matrix and the exact PAM family: the reference implementations' small
 * known answers, FastPAM1 against PAM swap by swap, local optimality by brute force, edge
 * cases, cancel, loading, Gower against R's daisy and PAM against R's cluster::pam. */
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include "test-common.h"
#ifdef _OPENMP
#include <omp.h>
#endif

#include "core/cluster/cs-kmedoids-private.h"
#include "core/base/cs-error.h"
#include "core/base/cs-rng.h"
#include "core/data/cs-csv.h"

typedef gboolean (*RunFunc) (const CsDissim *, const CsKmedoidsOptions *, CsProgress *, CsTrace *,
                             CsClustering **, GError **);

/* The 5-point matrix of the kmedoids crate's and the tests. */
static const double five[5][5] = {
  { 0, 1, 2, 4, 7 }, { 1, 0, 3, 5, 8 }, { 2, 3, 0, 6, 9 }, { 4, 5, 6, 0, 1 }, { 7, 8, 9, 1, 0 },
};

static CsDissim *
dissim_from_square (const double *m,
                    gsize         n)
{
  CsDissim *D = g_new0 (CsDissim, 1);

  D->n = n;
  D->d = g_new (double, MAX (n * (n - 1) / 2, 1));
  for (gsize i = 1; i < n; i++)
    for (gsize j = 0; j < i; j++)
      D->d[i * (i - 1) / 2 + j] = m[i * n + j];
  return D;
}

static CsMatrix *
random_points (gsize   n,
               gsize   d,
               guint64 seed)
{
  CsMatrix *x = cs_matrix_new (n, d);
  CsRng rng;

  cs_rng_init (&rng, seed);
  for (gsize e = 0; e < n * d; e++)
    x->data[e] = cs_rng_normal (&rng) + (e / d % 3) * 2.0;
  return x;
}

static CsDissim *
random_dissim (gsize   n,
               guint64 seed)
{
  g_autoptr (CsMatrix) x = random_points (n, 2, seed);
  GError *error = NULL;
  CsDissim *D = cs_dissim_new_from_matrix (x, CS_METRIC_EUCLIDEAN, FALSE, NULL, &error);

  g_assert_no_error (error);
  return D;
}

static gboolean
has_medoid (const CsClustering *c,
            gsize               row)
{
  for (guint m = 0; m < c->k; m++)
    if (c->medoids[m] == row)
      return TRUE;
  return FALSE;
}

static CsClustering *
run_ok (RunFunc                  fn,
        const CsDissim          *D,
        const CsKmedoidsOptions *o,
        CsTrace                 *trace)
{
  CsClustering *c = NULL;
  GError *error = NULL;

  g_assert_true (fn (D, o, NULL, trace, &c, &error));
  g_assert_no_error (error);
  g_assert_nonnull (c);
  g_assert_cmpstr (c->objective_name, ==, "loss");
  return c;
}

/* The loss equals a recomputation from scratch, and every label is a nearest medoid. */
static void
assert_consistent (const CsDissim     *D,
                   const CsClustering *c)
{
  g_autofree int *labels = g_new (int, D->n);
  double loss = cs_dissim_assign (D, c->medoids, c->k, labels);

  g_assert_cmpfloat_with_epsilon (c->objective, loss, 1e-9 * (1 + loss));
  for (gsize i = 0; i < D->n; i++)
    g_assert_cmpfloat (cs_dissim_get (D, i, c->medoids[c->labels[i]]), ==,
                       cs_dissim_get (D, i, c->medoids[labels[i]]));
}

/* Brute force: no single (medoid, non-medoid) exchange lowers the loss. */
static void
assert_swap_optimal (const CsDissim     *D,
                     const CsClustering *c)
{
  g_autofree gsize *med = g_memdup2 (c->medoids, c->k * sizeof (gsize));

  for (guint m = 0; m < c->k; m++)
    for (gsize h = 0; h < D->n; h++)
      {
        double loss;
        if (has_medoid (c, h))
          continue;
        med[m] = h;
        loss = cs_dissim_assign (D, med, c->k, NULL);
        g_assert_cmpfloat (loss, >=, c->objective * (1 - 1e-9));
        med[m] = c->medoids[m];
      }
}

static void
assert_trace_monotone (const CsTrace *trace)
{
  for (guint s = 1; s < trace->steps->len; s++)
    {
      const CsTraceStep *a = trace->steps->pdata[s - 1];
      const CsTraceStep *b = trace->steps->pdata[s];
      g_assert_cmpfloat (b->objective, <=, a->objective * (1 + 1e-12));
    }
}

static void
five_options (CsKmedoidsOptions *o,
              const gsize       *start,
              guint              k)
{
  cs_kmedoids_options_init (o);
  o->k = k;
  o->init = CS_KMEDOIDS_INIT_EXPLICIT;
  o->initial_medoids = start;
}

static void
assert_five_result (const CsClustering *c)
{
  static const int partition[5] = { 0, 0, 0, 1, 1 };

  g_assert_cmpfloat (c->objective, ==, 4.0);
  g_assert_true (has_medoid (c, 0) && has_medoid (c, 3));
  /* Labels are medoid slots; the partition is {0, 1, 2} {3, 4}. */
  for (int i = 0; i < 5; i++)
    g_assert_cmpint (c->labels[i] == c->labels[0], ==, partition[i] == 0);
  g_assert_true (c->converged);
}

static void
test_five_point_swaps (void)
{
  g_autoptr (CsDissim) D = dissim_from_square (&five[0][0], 5);
  static const gsize start[2] = { 0, 1 };
  CsKmedoidsOptions o;
  g_autoptr (CsClustering) pam = NULL;
  g_autoptr (CsClustering) fp1 = NULL;
  g_autoptr (CsClustering) fp = NULL;
  g_autoptr (CsClustering) alt = NULL;
  g_autoptr (CsTrace) trace = cs_trace_new (0);
  const CsTraceStep *step;

  five_options (&o, start, 2);
  g_assert_cmpfloat (cs_dissim_assign (D, start, 2, NULL), ==, 13.0);
  /* kmedoids crate, pam.rs test_pam_swap_simple: one swap, the second pass finds nothing. */
  pam = run_ok (cs_pam_run, D, &o, trace);
  assert_five_result (pam);
  g_assert_cmpuint (pam->swaps, ==, 1);
  g_assert_cmpuint (pam->iterations, ==, 2);
  /* The teaching view's record: the start, then the one swap (loss 13 → 4). */
  g_assert_cmpuint (trace->steps->len, ==, 2);
  step = trace->steps->pdata[0];
  g_assert_cmpfloat (step->objective, ==, 13.0);
  g_assert_cmpstr (step->note, ==, "initial medoids (given rows)");
  step = trace->steps->pdata[1];
  g_assert_cmpfloat (step->objective, ==, 4.0);
  g_assert_cmpstr (step->note, ==, "medoid 1 (row 1) left, row 3 came in, Δ −9");
  g_assert_cmpuint (step->n_changed, ==, 3); /* rows 1, 3 and 4 */
  g_assert_cmpuint (step->medoids[0], ==, 0);
  g_assert_cmpuint (step->medoids[1], ==, 3);
  fp1 = run_ok (cs_fastpam1_run, D, &o, NULL);
  assert_five_result (fp1);
  g_assert_cmpuint (fp1->swaps, ==, 1);
  g_assert_cmpuint (fp1->iterations, ==, 2);
  /* fasterpam.rs testfasterpam_simple: eager, two swaps within two passes. */
  fp = run_ok (cs_fasterpam_run, D, &o, NULL);
  assert_five_result (fp);
  g_assert_cmpuint (fp->swaps, ==, 2);
  g_assert_cmpuint (fp->iterations, ==, 2);
  /* alternating.rs test_alternating: also reaches loss 4 with medoids {0, 3}. */
  alt = run_ok (cs_alternating_run, D, &o, NULL);
  assert_five_result (alt);
}

static void
test_five_point_build (void)
{
  g_autoptr (CsDissim) D = dissim_from_square (&five[0][0], 5);
  CsKmedoidsOptions o;
  gsize med[2];
  g_autoptr (CsClustering) pam = NULL;
  GError *error = NULL;

  cs_kmedoids_options_init (&o);
  o.k = 2;
  /* pam.rs test_pam_build_simple: BUILD alone gives medoids [0, 3], loss 4. */
  g_assert_true (cs_kmedoids_init (D, &o, med, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (med[0], ==, 0);
  g_assert_cmpuint (med[1], ==, 3);
  g_assert_cmpfloat (cs_dissim_assign (D, med, 2, NULL), ==, 4.0);
  /* test_pam_simple: BUILD + SWAP takes no swap and stops after one pass. */
  pam = run_ok (cs_pam_run, D, &o, NULL);
  assert_five_result (pam);
  g_assert_cmpuint (pam->swaps, ==, 0);
  g_assert_cmpuint (pam->iterations, ==, 1);
}

static void
test_five_point_k1 (void)
{
  g_autoptr (CsDissim) D = dissim_from_square (&five[0][0], 5);
  static const gsize start[1] = { 1 };
  RunFunc fns[] = { cs_pam_run, cs_fastpam1_run, cs_fasterpam_run, cs_alternating_run };
  CsKmedoidsOptions o;

  /* fasterpam.rs testfasterpam_single_cluster: from medoid 1, the answer is row 0, loss 14
   * (row sums 14, 17, 20, 16, 25). */
  five_options (&o, start, 1);
  for (guint f = 0; f < G_N_ELEMENTS (fns); f++)
    {
      g_autoptr (CsClustering) c = run_ok (fns[f], D, &o, NULL);
      g_assert_cmpfloat (c->objective, ==, 14.0);
      g_assert_cmpuint (c->medoids[0], ==, 0);
      for (int i = 0; i < 5; i++)
        g_assert_cmpint (c->labels[i], ==, 0);
    }
}

/* The 4-point matrix of the kmedoids crate's doc examples, [[0,1,2,3],[1,0,4,5],[2,4,0,6],
 * [3,5,6,0]]: for k = 2 the optimum over all 6 pairs is loss 3 (medoids {0, 3}). */
static void
test_four_point_optimum (void)
{
  static const double four[16] = { 0, 1, 2, 3, 1, 0, 4, 5, 2, 4, 0, 6, 3, 5, 6, 0 };
  g_autoptr (CsDissim) D = dissim_from_square (four, 4);
  RunFunc fns[] = { cs_pam_run, cs_fastpam1_run, cs_fasterpam_run };
  double best = INFINITY;
  CsKmedoidsOptions o;

  for (gsize a = 0; a < 4; a++)
    for (gsize b = a + 1; b < 4; b++)
      {
        gsize med[2] = { a, b };
        best = MIN (best, cs_dissim_assign (D, med, 2, NULL));
      }
  g_assert_cmpfloat (best, ==, 3.0);
  cs_kmedoids_options_init (&o);
  o.k = 2;
  for (guint f = 0; f < G_N_ELEMENTS (fns); f++)
    {
      g_autoptr (CsClustering) c = run_ok (fns[f], D, &o, NULL);
      g_assert_cmpfloat (c->objective, ==, best);
    }
}

/* FastPAM1 must take exactly PAM's swaps from the same start: compare the traces. */
static void
test_fastpam1_equals_pam (void)
{
  for (guint64 seed = 1; seed <= 40; seed++)
    {
      gsize n = 20 + seed * 3;
      g_autoptr (CsDissim) D = random_dissim (n, seed);
      g_autoptr (CsTrace) ta = cs_trace_new (0);
      g_autoptr (CsTrace) tb = cs_trace_new (0);
      g_autoptr (CsClustering) a = NULL;
      g_autoptr (CsClustering) b = NULL;
      CsKmedoidsOptions o;

      cs_kmedoids_options_init (&o);
      o.k = 2 + seed % 7;
      /* From a random start, so there are several swaps to compare. */
      o.init = CS_KMEDOIDS_INIT_RANDOM;
      o.seed = seed;
      a = run_ok (cs_pam_run, D, &o, ta);
      b = run_ok (cs_fastpam1_run, D, &o, tb);
      g_assert_cmpuint (a->swaps, ==, b->swaps);
      g_assert_cmpuint (ta->steps->len, ==, tb->steps->len);
      g_assert_cmpuint (ta->steps->len, ==, a->swaps + 1);
      for (guint s = 0; s < ta->steps->len; s++)
        {
          const CsTraceStep *sa = ta->steps->pdata[s];
          const CsTraceStep *sb = tb->steps->pdata[s];
          g_assert_cmpmem (sa->medoids, o.k * sizeof (gsize), sb->medoids, o.k * sizeof (gsize));
          g_assert_cmpfloat_with_epsilon (sa->objective, sb->objective, 1e-9 * sa->objective);
          g_assert_cmpstr (sa->note, ==, sb->note);
        }
      g_assert_cmpmem (a->medoids, o.k * sizeof (gsize), b->medoids, o.k * sizeof (gsize));
      g_assert_cmpmem (a->labels, n * sizeof (int), b->labels, n * sizeof (int));
    }
}

/* Every method and initialisation: the loss is recomputable, never rises along the trace, and
 * the swap methods end in a swap-optimal state. */
static void
test_invariants (void)
{
  RunFunc fns[] = { cs_pam_run, cs_fastpam1_run, cs_fasterpam_run, cs_alternating_run };
  CsKmedoidsInit inits[] = { CS_KMEDOIDS_INIT_BUILD, CS_KMEDOIDS_INIT_LAB, CS_KMEDOIDS_INIT_RANDOM,
                             CS_KMEDOIDS_INIT_KMEANSPP };

  for (guint64 seed = 1; seed <= 6; seed++)
    {
      g_autoptr (CsDissim) D = random_dissim (60, 100 + seed);
      for (guint f = 0; f < G_N_ELEMENTS (fns); f++)
        for (guint i = 0; i < G_N_ELEMENTS (inits); i++)
          {
            g_autoptr (CsTrace) trace = cs_trace_new (0);
            g_autoptr (CsClustering) c = NULL;
            CsKmedoidsOptions o;
            const CsTraceStep *first;

            cs_kmedoids_options_init (&o);
            o.k = 2 + seed;
            o.init = inits[i];
            o.seed = seed;
            c = run_ok (fns[f], D, &o, trace);
            assert_consistent (D, c);
            assert_trace_monotone (trace);
            first = trace->steps->pdata[0];
            g_assert_cmpfloat (c->objective, <=, first->objective);
            g_assert_cmpfloat_with_epsilon (((CsTraceStep *) trace->steps->pdata[trace->steps->len - 1])->objective,
                                            c->objective, 1e-9 * c->objective);
            if (fns[f] != cs_alternating_run)
              assert_swap_optimal (D, c);
            /* Distinct medoids. */
            for (guint m = 0; m < o.k; m++)
              for (guint l = m + 1; l < o.k; l++)
                g_assert_cmpuint (c->medoids[m], !=, c->medoids[l]);
          }
    }
}

/* The parallel parts (the matrix, FastPAM1's candidate blocks) give bitwise the same result
 * on one thread and on several. */
static void
test_threads_identical (void)
{
#ifdef _OPENMP
  g_autoptr (CsMatrix) x = random_points (1500, 3, 12);
  g_autoptr (CsClustering) ref = NULL;
  g_autoptr (CsDissim) D1 = NULL;
  int saved = omp_get_max_threads ();
  CsKmedoidsOptions o;

  cs_kmedoids_options_init (&o);
  o.k = 12;
  o.init = CS_KMEDOIDS_INIT_RANDOM;
  omp_set_num_threads (1);
  D1 = cs_dissim_new_from_matrix (x, CS_METRIC_EUCLIDEAN, FALSE, NULL, NULL);
  ref = run_ok (cs_fastpam1_run, D1, &o, NULL);
  for (int t = 2; t <= 3; t++)
    {
      g_autoptr (CsDissim) D = NULL;
      g_autoptr (CsClustering) c = NULL;

      omp_set_num_threads (t);
      D = cs_dissim_new_from_matrix (x, CS_METRIC_EUCLIDEAN, FALSE, NULL, NULL);
      g_assert_cmpmem (D->d, 1500 * 1499 / 2 * sizeof (double), D1->d, 1500 * 1499 / 2 * sizeof (double));
      c = run_ok (cs_fastpam1_run, D, &o, NULL);
      g_assert_cmpfloat (c->objective, ==, ref->objective);
      g_assert_cmpuint (c->swaps, ==, ref->swaps);
      g_assert_cmpmem (c->medoids, o.k * sizeof (gsize), ref->medoids, o.k * sizeof (gsize));
    }
  omp_set_num_threads (saved);
  g_assert_cmpuint (ref->swaps, >, 0);
#else
  g_test_skip ("built without OpenMP");
#endif
}

static void
test_seeded_inits_deterministic (void)
{
  g_autoptr (CsDissim) D = random_dissim (200, 7);
  CsKmedoidsInit inits[] = { CS_KMEDOIDS_INIT_LAB, CS_KMEDOIDS_INIT_RANDOM, CS_KMEDOIDS_INIT_KMEANSPP };

  for (guint i = 0; i < G_N_ELEMENTS (inits); i++)
    {
      gsize a[5];
      gsize b[5];
      gsize c[5];
      CsKmedoidsOptions o;
      GError *error = NULL;

      cs_kmedoids_options_init (&o);
      o.k = 5;
      o.init = inits[i];
      o.seed = 11;
      g_assert_true (cs_kmedoids_init (D, &o, a, &error));
      g_assert_true (cs_kmedoids_init (D, &o, b, &error));
      o.seed = 12;
      g_assert_true (cs_kmedoids_init (D, &o, c, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (a, sizeof a, b, sizeof b);
      g_assert_true (memcmp (a, c, sizeof a) != 0);
    }
}

/* LAB should start much closer to a good solution than random rows do. */
static void
test_lab_beats_random (void)
{
  g_autoptr (CsDissim) D = random_dissim (400, 8);
  double lab = 0.0;
  double rnd = 0.0;

  for (guint64 seed = 0; seed < 10; seed++)
    {
      gsize med[6];
      CsKmedoidsOptions o;

      cs_kmedoids_options_init (&o);
      o.k = 6;
      o.seed = seed;
      o.init = CS_KMEDOIDS_INIT_LAB;
      g_assert_true (cs_kmedoids_init (D, &o, med, NULL));
      lab += cs_dissim_assign (D, med, 6, NULL);
      o.init = CS_KMEDOIDS_INIT_RANDOM;
      g_assert_true (cs_kmedoids_init (D, &o, med, NULL));
      rnd += cs_dissim_assign (D, med, 6, NULL);
    }
  g_assert_cmpfloat (lab, <, rnd);
}

static void
test_edge_cases (void)
{
  g_autoptr (CsDissim) D = random_dissim (12, 3);
  RunFunc fns[] = { cs_pam_run, cs_fastpam1_run, cs_fasterpam_run, cs_alternating_run };

  for (guint f = 0; f < G_N_ELEMENTS (fns); f++)
    {
      CsKmedoidsOptions o;
      GError *error = NULL;
      CsClustering *c = NULL;

      cs_kmedoids_options_init (&o);
      o.k = 12;
      {
        g_autoptr (CsClustering) all = run_ok (fns[f], D, &o, NULL);
        g_assert_cmpfloat (all->objective, ==, 0.0);
      }
      o.k = 13;
      g_assert_false (fns[f] (D, &o, NULL, NULL, &c, &error));
      g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
      g_assert_nonnull (strstr (error->message, "at most 12"));
      g_clear_error (&error);
      o.k = 0;
      g_assert_false (fns[f] (D, &o, NULL, NULL, &c, &error));
      g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
      g_clear_error (&error);
      g_assert_null (c);
    }
}

/* Only three distinct points among eight rows: k = 4 is refused, k = 3 reaches loss 0. */
static void
test_duplicates (void)
{
  static const double pts[8] = { 1, 1, 5, 5, 5, 9, 9, 1 };
  g_autoptr (CsMatrix) x = cs_matrix_new_from_data (8, 1, pts);
  g_autoptr (CsDissim) D = cs_dissim_new_from_matrix (x, CS_METRIC_EUCLIDEAN, FALSE, NULL, NULL);
  RunFunc fns[] = { cs_pam_run, cs_fastpam1_run, cs_fasterpam_run, cs_alternating_run };
  CsKmedoidsInit inits[] = { CS_KMEDOIDS_INIT_BUILD, CS_KMEDOIDS_INIT_LAB, CS_KMEDOIDS_INIT_RANDOM,
                             CS_KMEDOIDS_INIT_KMEANSPP };

  for (guint f = 0; f < G_N_ELEMENTS (fns); f++)
    for (guint i = 0; i < G_N_ELEMENTS (inits); i++)
      {
        CsKmedoidsOptions o;
        GError *error = NULL;
        CsClustering *c = NULL;

        cs_kmedoids_options_init (&o);
        o.init = inits[i];
        o.k = 4;
        g_assert_false (fns[f] (D, &o, NULL, NULL, &c, &error));
        g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
        g_assert_nonnull (strstr (error->message, "3 distinct"));
        g_clear_error (&error);
        o.k = 3;
        c = run_ok (fns[f], D, &o, NULL);
        if (fns[f] != cs_alternating_run || inits[i] == CS_KMEDOIDS_INIT_BUILD)
          g_assert_cmpfloat (c->objective, ==, 0.0);
        assert_consistent (D, c);
        cs_clustering_unref (c);
      }
}

/* A lattice with every point twice: distances tie everywhere. The relative tolerance must let
 * every method stop (a plain Δ < 0 can trade equal medoids forever on rounding noise), at a
 * swap-optimal state; float storage gives the same kind of answer. */
static void
test_ties_terminate (void)
{
  g_autoptr (CsMatrix) x = cs_matrix_new (72, 2);
  RunFunc fns[] = { cs_pam_run, cs_fastpam1_run, cs_fasterpam_run, cs_alternating_run };

  for (gsize i = 0; i < 72; i++)
    {
      x->data[2 * i] = (double) (i / 2 % 6) * 0.1;
      x->data[2 * i + 1] = (double) (i / 12) * 0.1;
    }
  for (int single = 0; single < 2; single++)
    {
      g_autoptr (CsDissim) D = cs_dissim_new_from_matrix (x, CS_METRIC_EUCLIDEAN, single, NULL, NULL);
      for (guint f = 0; f < G_N_ELEMENTS (fns); f++)
        for (guint64 seed = 0; seed < 4; seed++)
          {
            g_autoptr (CsClustering) c = NULL;
            CsKmedoidsOptions o;

            cs_kmedoids_options_init (&o);
            o.k = 4 + seed;
            o.init = seed % 2 ? CS_KMEDOIDS_INIT_RANDOM : CS_KMEDOIDS_INIT_KMEANSPP;
            o.seed = seed;
            o.max_iter = 10000;
            c = run_ok (fns[f], D, &o, NULL);
            g_assert_true (c->converged);
            g_assert_cmpuint (c->iterations, <, 100);
            assert_consistent (D, c);
            if (fns[f] != cs_alternating_run)
              assert_swap_optimal (D, c);
          }
    }
}

typedef struct
{
  CsProgress *progress;
  gint64      cancelled_at; /* CPU time of the worker thread when cancelled */
  clockid_t   clock;        /* the worker thread's CPU clock */
} CancelCtx;

static gpointer
cancel_later (gpointer data)
{
  CancelCtx *cc = data;

  g_usleep (10000);
  cc->cancelled_at = cs_test_cpu_us (cc->clock);
  cs_progress_cancel (cc->progress);
  return NULL;
}

static void
test_cancel_is_prompt (void)
{
  g_autoptr (CsDissim) D = random_dissim (4000, 9);
  RunFunc fns[] = { cs_pam_run, cs_fastpam1_run, cs_fasterpam_run, cs_pam_run };

  for (guint f = 0; f < G_N_ELEMENTS (fns); f++)
    {
      g_autoptr (CsProgress) progress = cs_progress_new (NULL, NULL, NULL);
      g_autoptr (CsTrace) trace = cs_trace_new (0);
      CancelCtx cc = { progress, 0, cs_test_cpu_clock () };
      CsKmedoidsOptions o;
      CsClustering *c = NULL;
      GError *error = NULL;
      GThread *thread;
      gint64 returned;

      cs_kmedoids_options_init (&o);
      /* From random rows with k = 60 on 4000 rows, each of these needs far more than 10 ms. */
      o.k = 60;
      /* The last run is cancelled in BUILD: k steps of O(n²) each. */
      o.init = f == 3 ? CS_KMEDOIDS_INIT_BUILD : CS_KMEDOIDS_INIT_RANDOM;
      o.max_iter = 100000;
      thread = g_thread_new ("cancel", cancel_later, &cc);
      g_assert_false (fns[f] (D, &o, progress, trace, &c, &error));
      returned = cs_test_cpu_us (cc.clock);
      g_thread_join (thread);
      g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
      g_assert_null (c);
      g_assert_cmpint (returned - cc.cancelled_at, <, 100000 * cs_test_cpu_scale ());
      g_clear_error (&error);
    }
}

static gboolean
stop_at_first_report (double      fraction,
                      const char *stage,
                      gpointer    user_data)
{
  guint *calls = user_data;

  (void) fraction;
  (void) stage;
  (*calls)++;
  return FALSE;
}

/* A progress callback that says stop ends every method with the cancelled error. */
static void
test_cancel_from_callback (void)
{
  g_autoptr (CsDissim) D = random_dissim (300, 10);
  RunFunc fns[] = { cs_pam_run, cs_fastpam1_run, cs_fasterpam_run, cs_alternating_run };
  CsKmedoidsInit inits[] = { CS_KMEDOIDS_INIT_BUILD, CS_KMEDOIDS_INIT_RANDOM };

  for (guint f = 0; f < G_N_ELEMENTS (fns); f++)
    for (guint i = 0; i < G_N_ELEMENTS (inits); i++)
      {
        guint calls = 0;
        g_autoptr (CsProgress) progress = cs_progress_new (stop_at_first_report, &calls, NULL);
        CsKmedoidsOptions o;
        CsClustering *c = NULL;
        GError *error = NULL;

        cs_kmedoids_options_init (&o);
        o.k = 8;
        o.init = inits[i];
        g_assert_false (fns[f] (D, &o, progress, NULL, &c, &error));
        g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
        g_assert_cmpuint (calls, ==, 1);
        g_assert_null (c);
        g_clear_error (&error);
      }
}

static void
test_dissim_packed (void)
{
  g_autoptr (CsMatrix) x = random_points (9, 3, 4);
  g_autoptr (CsDissim) D = cs_dissim_new_from_matrix (x, CS_METRIC_EUCLIDEAN, FALSE, NULL, NULL);

  g_assert_nonnull (D);
  g_assert_cmpuint (D->n, ==, 9);
  g_assert_false (D->single);
  g_assert_cmpuint (cs_dissim_bytes (9, FALSE), ==, 36 * sizeof (double));
  g_assert_cmpuint (cs_dissim_bytes (9, TRUE), ==, 36 * sizeof (float));
  for (gsize i = 0; i < 9; i++)
    {
      g_assert_cmpfloat (cs_dissim_get (D, i, i), ==, 0.0);
      for (gsize j = 0; j < i; j++)
        {
          g_assert_cmpfloat (cs_dissim_get (D, i, j), ==, cs_dissim_get (D, j, i));
          g_assert_cmpfloat (D->d[i * (i - 1) / 2 + j], ==, cs_dissim_get (D, i, j));
        }
    }
}

/* The column gathers agree with element access, in both storages and at the edges. */
static void
test_dissim_columns (void)
{
  g_autoptr (CsMatrix) x = random_points (37, 2, 13);

  for (int single = 0; single < 2; single++)
    {
      g_autoptr (CsDissim) D = cs_dissim_new_from_matrix (x, CS_METRIC_MANHATTAN, single, NULL, NULL);
      g_autofree double *col = g_new (double, 37);
      g_autofree double *blk = g_new (double, 16 * 37);

      for (gsize j = 0; j < 37; j++)
        {
          gsize count = MIN (16, 37 - j);

          cs_dissim_column (D, j, col);
          cs_dissim_columns (D, j, count, blk);
          for (gsize i = 0; i < 37; i++)
            g_assert_cmpfloat (col[i], ==, cs_dissim_get (D, i, j));
          for (gsize c = 0; c < count; c++)
            for (gsize i = 0; i < 37; i++)
              g_assert_cmpfloat (blk[c * 37 + i], ==, cs_dissim_get (D, i, j + c));
        }
    }
}

static void
test_dissim_metrics (void)
{
  g_autoptr (CsMatrix) x = random_points (300, 4, 5);
  CsMetric metrics[] = { CS_METRIC_EUCLIDEAN, CS_METRIC_SQEUCLIDEAN, CS_METRIC_MANHATTAN, CS_METRIC_COSINE };

  /* A zero row: at cosine distance 1 from everything. */
  memset (cs_matrix_row (x, 7), 0, 4 * sizeof (double));
  for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
    for (int single = 0; single < 2; single++)
      {
        GError *error = NULL;
        g_autoptr (CsDissim) D = cs_dissim_new_from_matrix (x, metrics[m], single, NULL, &error);
        CsMetric back;

        g_assert_no_error (error);
        g_assert_cmpint (D->single, ==, single);
        g_assert_true (cs_metric_from_id (cs_metric_id (metrics[m]), &back));
        g_assert_cmpint (back, ==, metrics[m]);
        for (gsize i = 0; i < x->rows; i += 7)
          for (gsize j = 0; j < x->rows; j += 5)
            {
              const double *a = cs_matrix_row (x, i);
              const double *b = cs_matrix_row (x, j);
              double ref = 0.0;
              double dot = 0.0;
              double na = 0.0;
              double nb = 0.0;

              for (int t = 0; t < 4; t++)
                {
                  double diff = a[t] - b[t];
                  dot += a[t] * b[t];
                  na += a[t] * a[t];
                  nb += b[t] * b[t];
                  if (metrics[m] == CS_METRIC_MANHATTAN)
                    ref += fabs (diff);
                  else
                    ref += diff * diff;
                }
              if (metrics[m] == CS_METRIC_EUCLIDEAN)
                ref = sqrt (ref);
              else if (metrics[m] == CS_METRIC_COSINE)
                ref = i == j ? 0.0 : (na == 0 || nb == 0) ? 1.0 : 1.0 - dot / sqrt (na * nb);
              g_assert_cmpfloat_with_epsilon (cs_dissim_get (D, i, j), ref, (single ? 1e-6 : 1e-12) * (1 + ref));
            }
      }
}

/* tests/data/kmedoids/gower-mixed.csv through R's daisy, computed once with
 * Rscript -e 'library(cluster)
 * df <- data.frame(x = c(1.0, 2.5, NA, 4.0, 10.0, 3.0, 7.5, 0.5),
 *                  y = c(3.0, 3.0, 1.0, 8.0, 2.0, 6.0, 4.0, 5.0),
 *                  colour = factor(c("red", "blue", "red", "green", "blue", NA, "green", "red"),
 *                                  levels = c("red", "blue", "green")))
 * d <- as.matrix(daisy(df, metric = "gower"))
 * cat(sprintf("%.17g", d[lower.tri(d)]), sep = ",\n")'
 * (R 4.2, cluster 2.1.4; lower.tri is column-major: (2,1), (3,1), ..., (8,1), (3,2), ...) */
static const double gower_daisy[28] = {
  0.38596491228070179, 0.14285714285714285, 0.67669172932330834, 0.69674185463659144, 0.31954887218045114,
  0.60902255639097735, 0.11278195488721804, 0.64285714285714279, 0.62406015037593987, 0.31077694235588971,
  0.24060150375939851, 0.55639097744360899, 0.49874686716791983, 1, 0.5714285714285714, 0.7142857142857143,
  0.7142857142857143, 0.2857142857142857, 0.82957393483709263, 0.19548872180451127, 0.31328320802005011,
  0.59899749373433586, 0.65413533834586468, 0.51629072681704258, 0.80952380952380965, 0.37969924812030076,
  0.2030075187969925, 0.62656641604010022,
};

static void
test_gower_matches_daisy (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "kmedoids", "gower-mixed.csv", NULL);
  g_autoptr (CsDataset) ds = NULL;
  int cols[3];
  g_autoptr (CsDissim) D = NULL;
  GError *error = NULL;
  CsCsvOptions opt;
  guint e = 0;

  cs_csv_options_init (&opt);
  opt.label_column = "";
  ds = cs_dataset_load_csv (path, &opt, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_rows, ==, 8);
  cols[0] = cs_dataset_find_column (ds, "x");
  cols[1] = cs_dataset_find_column (ds, "y");
  cols[2] = cs_dataset_find_column (ds, "colour");
  g_assert_cmpint (cs_dataset_column (ds, cols[2])->kind, ==, CS_COLUMN_CATEGORICAL);
  g_assert_cmpuint (cs_dataset_column (ds, cols[0])->n_missing, ==, 1);
  g_assert_cmpuint (cs_dataset_column (ds, cols[2])->n_missing, ==, 1);
  D = cs_dissim_new_gower (ds, cols, 3, NULL, 0, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (D->n, ==, 8);
  for (gsize j = 0; j < 8; j++)
    for (gsize i = j + 1; i < 8; i++)
      g_assert_cmpfloat_with_epsilon (cs_dissim_get (D, i, j), gower_daisy[e++], 1e-12);

  /* A subset of rows: ranges come from those rows only (rows 0, 1, 3: x in [1, 4], y in [3, 8]). */
  {
    static const gsize rows[3] = { 0, 1, 3 };
    g_autoptr (CsDissim) S = cs_dissim_new_gower (ds, cols, 3, rows, 3, TRUE, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (S->single);
    g_assert_cmpfloat_with_epsilon (cs_dissim_get (S, 0, 1), (1.5 / 3 + 0 + 1) / 3, 1e-6);
    g_assert_cmpfloat_with_epsilon (cs_dissim_get (S, 0, 2), (1.0 + 1.0 + 1) / 3, 1e-6);
  }
}

static char *
write_temp (const char *contents)
{
  GError *error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("cs-dissim-XXXXXX.csv", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return path;
}

static void
assert_equals_five (const CsDissim *D)
{
  g_assert_nonnull (D);
  g_assert_cmpuint (D->n, ==, 5);
  for (gsize i = 0; i < 5; i++)
    for (gsize j = 0; j < 5; j++)
      g_assert_cmpfloat (cs_dissim_get (D, i, j), ==, five[i][j]);
}

static void
test_load_files (void)
{
  static const char *const good[] = {
    "0,1,2,4,7\n1,0,3,5,8\n2,3,0,6,9\n4,5,6,0,1\n7,8,9,1,0\n",
    "a,b,c,d,e\r\n0,1,2,4,7\r\n1,0,3,5,8\r\n2,3,0,6,9\r\n4,5,6,0,1\r\n7,8,9,1,0\r\n",
    ",a,b,c,d,e\na,0,1,2,4,7\nb,1,0,3,5,8\nc,2,3,0,6,9\nd,4,5,6,0,1\ne,7,8,9,1,0\n",
    "i,j,d\n1,0,1\n2,0,2\n2,1,3\n3,0,4\n3,1,5\n3,2,6\n4,0,7\n4,1,8\n4,2,9\n4,3,1\n",
    ("# both triangles and the diagonal\n0 1 1\n1 0 1\n0 2 2\n1 2 3\n0 3 4\n1 3 5\n2 3 6\n0 4 7\n1 4 8\n"
     "2 4 9\n3 4 1\n4 4 0\n"),
  };
  GError *error = NULL;

  for (guint g = 0; g < G_N_ELEMENTS (good); g++)
    {
      g_autofree char *path = write_temp (good[g]);
      g_autoptr (CsDissim) D = cs_dissim_load (path, NULL, &error);
      g_assert_no_error (error);
      assert_equals_five (D);
      g_unlink (path);
    }
  for (guint f = 0; f < 2; f++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "kmedoids",
                                                     f ? "five-long.csv" : "five-square.csv", NULL);
      g_autoptr (CsDissim) D = cs_dissim_load (path, NULL, &error);
      g_assert_no_error (error);
      assert_equals_five (D);
    }
  /* A 3 × 3 square matrix looks like a long list too; its zero diagonal decides. */
  {
    g_autofree char *path = write_temp ("0,1,2\n1,0,3\n2,3,0\n");
    g_autoptr (CsDissim) D = cs_dissim_load (path, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (D->n, ==, 3);
    g_assert_cmpfloat (cs_dissim_get (D, 2, 1), ==, 3.0);
    g_unlink (path);
  }
}

static void
test_load_bad_files (void)
{
  static const struct
  {
    const char *contents;
    const char *where; /* expected in the message after the file name */
  } bad[] = {
    { "0,1,2\n1,0,3\n2,x,0\n", ":3:3: ‘x’ is not a number" },
    { "0,1,2\n1,0,3\n2,4,0\n", ":3:3: d(2, 1) = 4 but d(1, 2) = 3" },
    { "0,1,2\n1,5,3\n2,3,0\n", ":2:3: ‘5’ is on the diagonal" },
    { "0,1,2\n1,0\n2,3,0\n", ":2:1: 2 values on this line, expected 3" },
    { "0,1,-2\n1,0,3\n-2,3,0\n", ":1:5: ‘-2’ is not a dissimilarity" },
    { "0,1,1.5\n0,2,2\n", "no dissimilarity for the pair 1, 2" },
    { "0,1,1.5\n1,0,2.5\n0,2,1\n1,2,1\n", ":2:5: d(1, 0) = 2.5" },
    /* a short list cannot ask for a huge matrix (found by fuzzing: 12 GB from 20 bytes) */
    { "01,,,\n55945,03,0\n", ":2:1: index 55,945 means 55,946 objects" },
    /* an index past 2^64 saturates strtoull; it must not wrap the object count to 0, and the
     * list is still read as one (not as a square matrix blamed for its width) */
    { "05,,,\n559459999999999999999999999999999,03,0\n", ":2:1: ‘559459999999999999999999999999999’ is too large" },
  };
  GError *error = NULL;

  for (guint b = 0; b < G_N_ELEMENTS (bad); b++)
    {
      g_autofree char *path = write_temp (bad[b].contents);
      CsDissim *D = cs_dissim_load (path, NULL, &error);
      g_assert_null (D);
      g_assert_error (error, CS_ERROR, CS_ERROR_PARSE);
      if (strstr (error->message, path) == NULL || strstr (error->message, bad[b].where) == NULL)
        g_error ("case %u: unexpected message ‘%s’", b, error->message);
      g_clear_error (&error);
      g_unlink (path);
    }
  g_assert_null (cs_dissim_load ("/nonexistent/d.csv", NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_IO);
  g_clear_error (&error);

  /* A cancelled read stops with the cancelled error, not a half-built matrix. */
  {
    g_autofree char *path = write_temp ("0,1,2\n1,0,3\n2,3,0\n");
    g_autoptr (CsProgress) progress = cs_progress_new (NULL, NULL, NULL);

    cs_progress_cancel (progress);
    g_assert_null (cs_dissim_load (path, progress, &error));
    g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
    g_clear_error (&error);
    g_unlink (path);
  }

  /* A file too big to hold is refused before it is read, with a way out. */
  {
    g_autofree char *path = write_temp ("0,1,2\n1,0,3\n2,3,0\n");
    g_autofree char *saved = g_strdup (g_getenv ("CLUSTERSCOPE_MEMORY_LIMIT"));

    g_setenv ("CLUSTERSCOPE_MEMORY_LIMIT", "16", TRUE);
    g_assert_null (cs_dissim_load (path, NULL, &error));
    g_assert_error (error, CS_ERROR, CS_ERROR_TOO_LARGE);
    g_assert_nonnull (strstr (error->message, "FastCLARA"));
    g_clear_error (&error);
    if (saved != NULL)
      g_setenv ("CLUSTERSCOPE_MEMORY_LIMIT", saved, TRUE);
    else
      g_unsetenv ("CLUSTERSCOPE_MEMORY_LIMIT");
    g_unlink (path);
  }
}

static void
test_memory_guard (void)
{
  g_autoptr (CsMatrix) x = random_points (3000, 2, 6);
  g_autofree char *saved = g_strdup (g_getenv ("CLUSTERSCOPE_MEMORY_LIMIT"));
  g_autofree char *expect = NULL;
  GError *error = NULL;
  CsDissim *D;

  g_setenv ("CLUSTERSCOPE_MEMORY_LIMIT", "1M", TRUE);
  /* 1 MiB holds n(n−1)/2 doubles for n up to 512 (512·511/2·8 = 1,046,528 bytes). */
  g_assert_cmpuint (cs_dissim_max_n (FALSE), ==, 512);
  g_assert_cmpuint (cs_dissim_bytes (cs_dissim_max_n (TRUE), TRUE), <=, 1048576);
  g_assert_cmpuint (cs_dissim_bytes (cs_dissim_max_n (TRUE) + 1, TRUE), >, 1048576);
  D = cs_dissim_new_from_matrix (x, CS_METRIC_EUCLIDEAN, FALSE, NULL, &error);
  g_assert_null (D);
  g_assert_error (error, CS_ERROR, CS_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "FastCLARA"));
  expect = g_strdup_printf ("at most %zu rows", cs_dissim_max_n (FALSE));
  g_assert_nonnull (strstr (error->message, expect));
  g_clear_error (&error);

  /* Through the registry: float storage is chosen when only it fits. */
  {
    const CsAlgorithm *algo = cs_registry_lookup ("fasterpam");
    g_autoptr (CsParams) params = cs_params_new (algo);
    g_autoptr (CsMatrix) small = random_points (600, 2, 6);
    g_autoptr (CsClustering) c = NULL;

    g_assert_true (cs_algorithm_run (algo, small, params, NULL, NULL, &c, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (c->k, ==, 3);
    g_clear_pointer (&c, cs_clustering_unref);
    g_assert_false (cs_algorithm_run (algo, x, params, NULL, NULL, &c, &error));
    g_assert_error (error, CS_ERROR, CS_ERROR_TOO_LARGE);
    g_assert_nonnull (strstr (error->message, "FastCLARA"));
    g_clear_error (&error);
  }
  if (saved)
    g_setenv ("CLUSTERSCOPE_MEMORY_LIMIT", saved, TRUE);
  else
    g_unsetenv ("CLUSTERSCOPE_MEMORY_LIMIT");
}

static void
test_registry (void)
{
  static const char *const ids[] = { "pam", "fastpam1", "fasterpam", "alternating" };
  g_autoptr (CsMatrix) x = cs_matrix_new_from_data (5, 1, (const double[]) { 0, 1, 2, 4, 7 });
  g_autoptr (CsDissim) D = dissim_from_square (&five[0][0], 5);

  for (guint a = 0; a < G_N_ELEMENTS (ids); a++)
    {
      const CsAlgorithm *algo = cs_registry_lookup (ids[a]);
      g_autoptr (CsParams) params = NULL;
      g_autoptr (CsClustering) c = NULL;
      g_autoptr (CsClustering) cd = NULL;
      GError *error = NULL;

      g_assert_nonnull (algo);
      g_assert_nonnull (algo->run_dissim);
      g_assert_cmpstr (algo->category, ==, "Medoid");
      g_assert_cmpuint (algo->n_params, >=, CS_I_KMEDOIDS_N_COMMON);
      for (guint p = 0; p < CS_I_KMEDOIDS_N_COMMON; p++)
        g_assert_cmpstr (algo->params[p].name, ==, cs_i_kmedoids_common_params[p].name);
      params = cs_params_new (algo);
      g_assert_cmpint (cs_params_get_int (params, "k"), ==, 3);
      g_assert_cmpstr (cs_params_get_string (params, "init"), ==,
                       g_str_equal (ids[a], "fasterpam") ? "lab" : "build");
      g_assert_true (cs_params_set (params, "k", "2", &error));
      g_assert_true (cs_params_set (params, "init", "0,1", &error));
      g_assert_no_error (error);
      /* The 1-D points 0, 1, 2, 4, 7: every pair ends at loss 5 from {0, 1} ({1, 4} is one optimum). */
      g_assert_true (cs_algorithm_run (algo, x, params, NULL, NULL, &c, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (c->algorithm, ==, ids[a]);
      g_assert_cmpfloat (c->objective, ==, 5.0);
      g_assert_true (algo->run_dissim (D, params, NULL, NULL, &cd, &error));
      g_assert_no_error (error);
      assert_five_result (cd);

      g_assert_true (cs_params_set (params, "init", "0,9", &error));
      g_assert_false (cs_algorithm_run (algo, x, params, NULL, NULL, &c, &error));
      g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
      g_assert_nonnull (strstr (error->message, "row 9"));
      g_clear_error (&error);
      g_assert_true (cs_params_set (params, "init", "0,1,2", &error));
      g_assert_false (cs_algorithm_run (algo, x, params, NULL, NULL, &c, &error));
      g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
      g_clear_error (&error);
      g_assert_true (cs_params_set (params, "init", "random", &error));
      g_assert_true (cs_params_set (params, "metric", "gower", &error));
      g_assert_false (cs_algorithm_run (algo, x, params, NULL, NULL, &c, &error));
      g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
      g_clear_error (&error);
    }
}

/* Agreement with R's cluster::pam from the same start (rows 0 .. k−1). Classic PAM
 * (pamonce = 0) follows a fully determined best-swap path: ours must end at the same medoids
 * and loss. pamonce = 6 is R's FasterPAM; it visits candidates in its own order, so its eager
 * path may legitimately end in another local optimum: when the medoids agree the losses must
 * too, otherwise both results must be swap-optimal and close. (On the instances below both
 * agree exactly; the log under --verbose shows it.) */
static void
agree_with_r (const char *rscript,
              gsize       n,
              guint       k,
              guint64     seed)
{
  g_autoptr (CsMatrix) x = random_points (n, 3, seed);
  g_autoptr (CsDissim) D = NULL;
  g_autoptr (GString) csv = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree gsize *start = g_new (gsize, k);
  g_auto (GStrv) lines = NULL;
  int status = 0;
  GError *error = NULL;

  for (gsize i = 0; i < x->rows; i++)
    g_string_append_printf (csv, "%.17g,%.17g,%.17g\n", cs_matrix_get (x, i, 0), cs_matrix_get (x, i, 1),
                            cs_matrix_get (x, i, 2));
  for (guint m = 0; m < k; m++)
    start[m] = m;
  path = write_temp (csv->str);
  script = g_strdup_printf (
    "x <- as.matrix(read.csv('%s', header = FALSE));"
    "for (v in c(0, 6)) { p <- cluster::pam(x, %u, medoids = 1:%u, pamonce = v, do.swap = TRUE);"
    "cat(p$id.med - 1, sprintf('%%.17g', p$objective[['swap']] * nrow(x)), '\\n') }",
    path, k, k);
  {
    const char *argv[] = { rscript, "-e", script, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                                 &error));
  }
  g_unlink (path);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("Rscript failed: %s", err);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);

  D = cs_dissim_new_from_matrix (x, CS_METRIC_EUCLIDEAN, FALSE, NULL, &error);
  g_assert_no_error (error);
  for (guint v = 0; v < 2; v++)
    {
      g_auto (GStrv) f = g_strsplit_set (g_strstrip (lines[v]), " ", -1);
      g_autofree gsize *r_med = g_new (gsize, k);
      double r_loss;
      gboolean same = TRUE;
      CsKmedoidsOptions o;
      g_autoptr (CsClustering) c = NULL;
      g_autoptr (CsClustering) r = cs_clustering_new ("r", x->rows, 0, k);

      g_assert_cmpuint (g_strv_length (f), ==, k + 1);
      for (guint m = 0; m < k; m++)
        r_med[m] = (gsize) g_ascii_strtoull (f[m], NULL, 10);
      r_loss = g_ascii_strtod (f[k], NULL);
      /* R's loss is the loss of its medoids under our matrix. */
      g_assert_cmpfloat_with_epsilon (cs_dissim_assign (D, r_med, k, NULL), r_loss, 1e-9 * r_loss);
      cs_kmedoids_options_init (&o);
      o.k = k;
      o.init = CS_KMEDOIDS_INIT_EXPLICIT;
      o.initial_medoids = start;
      c = run_ok (v == 0 ? cs_pam_run : cs_fasterpam_run, D, &o, NULL);
      for (guint m = 0; m < k; m++)
        same = same && has_medoid (c, r_med[m]);
      g_test_message ("n = %zu, k = %u, pamonce = %s: R loss %.12g, ours %.12g, %s medoids", n, k,
                      v == 0 ? "0" : "6", r_loss, c->objective, same ? "same" : "different");
      if (v == 0 || same)
        {
          g_assert_true (same);
          g_assert_cmpfloat_with_epsilon (c->objective, r_loss, 1e-9 * r_loss);
        }
      else
        {
          r->medoids = g_memdup2 (r_med, k * sizeof (gsize));
          r->objective = cs_dissim_assign (D, r_med, k, r->labels);
          assert_swap_optimal (D, r);
          assert_swap_optimal (D, c);
          g_assert_cmpfloat (fabs (c->objective - r_loss), <, 0.05 * r_loss);
        }
    }
}

static void
test_agrees_with_r (void)
{
  g_autofree char *rscript = g_find_program_in_path ("Rscript");
  g_autofree char *out = NULL;

  if (rscript == NULL)
    {
      g_test_skip ("Rscript is not installed; the agreement with cluster::pam is not checked");
      return;
    }
  {
    const char *argv[] = { rscript, "-e", "cat(requireNamespace('cluster', quietly = TRUE))", NULL };
    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, NULL, NULL)
        || g_strcmp0 (out, "TRUE") != 0)
      {
        g_test_skip ("R's cluster package is not installed; the agreement with cluster::pam is not checked");
        return;
      }
  }
  agree_with_r (rscript, 120, 4, 2024);
  agree_with_r (rscript, 200, 7, 7);
  agree_with_r (rscript, 300, 10, 99);
  agree_with_r (rscript, 250, 15, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/kmedoids/five-point/swaps", test_five_point_swaps);
  g_test_add_func ("/core/kmedoids/five-point/build", test_five_point_build);
  g_test_add_func ("/core/kmedoids/five-point/k1-exact", test_five_point_k1);
  g_test_add_func ("/core/kmedoids/four-point/optimum", test_four_point_optimum);
  g_test_add_func ("/core/kmedoids/fastpam1/same-swaps-as-pam", test_fastpam1_equals_pam);
  g_test_add_func ("/core/kmedoids/invariants", test_invariants);
  g_test_add_func ("/core/kmedoids/threads-give-identical-results", test_threads_identical);
  g_test_add_func ("/core/kmedoids/init/seeded-deterministic", test_seeded_inits_deterministic);
  g_test_add_func ("/core/kmedoids/init/lab-beats-random", test_lab_beats_random);
  g_test_add_func ("/core/kmedoids/edge-cases", test_edge_cases);
  g_test_add_func ("/core/kmedoids/duplicates", test_duplicates);
  g_test_add_func ("/core/kmedoids/ties-terminate", test_ties_terminate);
  g_test_add_func ("/core/kmedoids/cancel-is-prompt", test_cancel_is_prompt);
  g_test_add_func ("/core/kmedoids/cancel-from-callback", test_cancel_from_callback);
  g_test_add_func ("/core/kmedoids/dissim/packed", test_dissim_packed);
  g_test_add_func ("/core/kmedoids/dissim/columns", test_dissim_columns);
  g_test_add_func ("/core/kmedoids/dissim/metrics", test_dissim_metrics);
  g_test_add_func ("/core/kmedoids/dissim/gower-matches-daisy", test_gower_matches_daisy);
  g_test_add_func ("/core/kmedoids/dissim/load", test_load_files);
  g_test_add_func ("/core/kmedoids/dissim/load-errors", test_load_bad_files);
  g_test_add_func ("/core/kmedoids/dissim/memory-guard", test_memory_guard);
  g_test_add_func ("/core/kmedoids/registry", test_registry);
  g_test_add_func ("/core/kmedoids/agrees-with-r", test_agrees_with_r);
  return g_test_run ();
}
