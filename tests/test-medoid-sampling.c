/* CLARA / FastCLARA, CLARANS / FastCLARANS, the medoid silhouette, FasterMSC and DynMSC:
 * reference values from the Rust crate `kmedoids`' own tests, hand-computed values,
 * brute-force local optimality, agreement with FasterPAM / PAM, determinism, cancel. */
#include <math.h>
#include <string.h>
#include "test-common.h"
#ifdef _OPENMP
#include <omp.h>
#endif

#include "core/cluster/cs-kmedoids.h"
#include "core/base/cs-error.h"
#include "core/cluster/cs-pipeline.h"
#include "core/data/cs-samples.h"
#include "core/base/cs-rng.h"
#include "core/metrics/cs-metrics.h"
#include "core/cluster/cs-medoid-silhouette.h"
#include "core/cluster/cs-kmedoids-sampling.h"

/* The 5-point matrix of the reference suites (kmedoids crate, fastermsc.rs / fasterpam.rs). */
static const double five[25] = {
  0, 1, 2, 4, 7,
  1, 0, 3, 5, 8,
  2, 3, 0, 6, 9,
  4, 5, 6, 0, 1,
  7, 8, 9, 1, 0,
};

/* The 4-point matrix of the reference's DynMSC test (dynmsc.rs). */
static const double four[16] = {
  0, 1, 2, 3,
  1, 0, 4, 5,
  2, 4, 0, 6,
  3, 5, 6, 0,
};

static CsDissim *
dissim_from_square (const double *m,
                    gsize         n)
{
  CsDissim *D = g_new0 (CsDissim, 1);

  D->n = n;
  D->d = g_new0 (double, MAX (n * (n - 1) / 2, 1));
  for (gsize i = 1; i < n; i++)
    for (gsize j = 0; j < i; j++)
      D->d[i * (i - 1) / 2 + j] = m[i * n + j];
  return D;
}

/* n rows around k centres: `spread` apart in a random layout, noise sd `sd`. */
static CsMatrix *
make_blobs (gsize   n,
            gsize   d,
            guint   k,
            double  spread,
            double  sd,
            guint64 seed,
            int    *truth)
{
  CsMatrix *x = cs_matrix_new (n, d);
  g_autoptr (CsMatrix) mu = cs_matrix_new (k, d);
  CsRng rng;

  cs_rng_init (&rng, seed);
  for (guint c = 0; c < k; c++)
    for (gsize j = 0; j < d; j++)
      /* on a grid, so that the centres are surely far apart */
      mu->data[c * d + j] = spread * (j == 0 ? c : (c * 7 + j) % k);
  for (gsize i = 0; i < n; i++)
    {
      int c = (int) (i % k);
      if (truth)
        truth[i] = c;
      for (gsize j = 0; j < d; j++)
        x->data[i * d + j] = cs_matrix_get (mu, c, j) + sd * cs_rng_normal (&rng);
    }
  return x;
}

static CsDissim *
euclidean_dissim (const CsMatrix *x)
{
  GError *error = NULL;
  CsDissim *D = cs_dissim_new_from_matrix (x, CS_METRIC_EUCLIDEAN, FALSE, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (D);
  return D;
}

static double
brute_loss (const CsMatrix *x,
            const gsize    *medoids,
            guint           k,
            int            *labels)
{
  double total = 0.0;

  for (gsize i = 0; i < x->rows; i++)
    {
      double best = INFINITY;
      for (guint m = 0; m < k; m++)
        {
          double dist = sqrt (cs_sqdist (cs_matrix_row (x, i), cs_matrix_row (x, medoids[m]), x->cols));
          if (dist < best)
            {
              best = dist;
              if (labels)
                labels[i] = (int) m;
            }
        }
      total += best;
    }
  return total;
}

static void
assert_close (double a,
              double b,
              double rel)
{
  g_assert_cmpfloat (fabs (a - b), <=, rel * MAX (1.0, MAX (fabs (a), fabs (b))));
}

static void
test_msil_values (void)
{
  g_autoptr (CsDissim) D = dissim_from_square (five, 5);
  const gsize m3[] = { 0, 3, 2 };
  const gsize m2[] = { 0, 4 };
  const gsize m01[] = { 0, 1 };
  const gsize m1[] = { 2 };
  double pp[5];

  /* kmedoids crate, fastermsc.rs: medoid_silhouette of its results */
  g_assert_cmpfloat (fabs (cs_medoid_silhouette (D, m3, 3, NULL) - 0.9047619047619048), <, 1e-15);
  g_assert_cmpfloat (fabs (cs_medoid_silhouette (D, m2, 2, NULL) - 0.8805555555555555), <, 1e-15);
  /* by hand, medoids {0, 1}: points 0 and 1 score 1, then 1 − 2/3, 1 − 4/5, 1 − 7/8:
   * (2 + 1/3 + 1/5 + 1/8) / 5 = 319/600 */
  g_assert_cmpfloat (fabs (cs_medoid_silhouette (D, m01, 2, pp) - 319.0 / 600.0), <, 1e-15);
  g_assert_cmpfloat (pp[0], ==, 1.0);
  g_assert_cmpfloat (fabs (pp[2] - 1.0 / 3.0), <, 1e-15);
  g_assert_cmpfloat (fabs (pp[3] - 0.2), <, 1e-15);
  g_assert_cmpfloat (fabs (pp[4] - 0.125), <, 1e-15);
  /* one medoid: b is infinite, every point scores 1 (the reference's convention) */
  g_assert_cmpfloat (cs_medoid_silhouette (D, m1, 1, NULL), ==, 1.0);
}

/* A point at distance 0 from two medoids (a == b == 0) scores 1, as in the reference
 * (its loss term a/b is taken as 0 whenever a is 0). */
static void
test_msil_duplicates (void)
{
  const double dup[9] = { 0, 0, 2, 0, 0, 2, 2, 2, 0 };
  g_autoptr (CsDissim) D = dissim_from_square (dup, 3);
  const gsize m[] = { 0, 1 };
  double pp[3];

  /* rows 0 and 1 coincide and are both medoids; row 2 is 2 from both: 1 − 2/2 = 0 */
  g_assert_cmpfloat (fabs (cs_medoid_silhouette (D, m, 2, pp) - 2.0 / 3.0), <, 1e-15);
  g_assert_cmpfloat (pp[0], ==, 1.0);
  g_assert_cmpfloat (pp[1], ==, 1.0);
  g_assert_cmpfloat (pp[2], ==, 0.0);
}

static CsClustering *
fastermsc_from (const CsDissim *D,
                const gsize    *start,
                guint           k,
                CsTrace        *trace)
{
  CsKmedoidsOptions o;
  CsClustering *c = NULL;
  GError *error = NULL;

  cs_kmedoids_options_init (&o);
  o.k = k;
  o.init = CS_KMEDOIDS_INIT_EXPLICIT;
  o.initial_medoids = start;
  g_assert_true (cs_fastermsc_run (D, &o, NULL, trace, &c, &error));
  g_assert_no_error (error);
  return c;
}

static void
test_fastermsc_reference (void)
{
  g_autoptr (CsDissim) D = dissim_from_square (five, 5);
  const gsize s3[] = { 0, 1, 2 };
  const gsize s2[] = { 0, 1 };
  const int l3[] = { 0, 0, 2, 1, 1 };
  const int l2[] = { 0, 0, 0, 1, 1 };
  g_autoptr (CsClustering) c3 = fastermsc_from (D, s3, 3, NULL);
  g_autoptr (CsClustering) c2 = fastermsc_from (D, s2, 2, NULL);

  /* kmedoids crate, fastermsc.rs: testfastermsc_simple */
  g_assert_cmpfloat (fabs (c3->objective - 0.9047619047619048), <, 1e-15);
  g_assert_cmpint (c3->objective_kind, ==, CS_OBJECTIVE_MEDOID_SILHOUETTE);
  g_assert_cmpuint (c3->medoids[0], ==, 0);
  g_assert_cmpuint (c3->medoids[1], ==, 3);
  g_assert_cmpuint (c3->medoids[2], ==, 2);
  g_assert_cmpmem (c3->labels, 5 * sizeof (int), l3, sizeof l3);
  g_assert_cmpuint (c3->swaps, ==, 1);
  g_assert_cmpuint (c3->iterations, ==, 2);
  /* testfastermsc_simple2: medoids {0, 4}, 0.8805555555555555 */
  g_assert_cmpfloat (fabs (c2->objective - 0.8805555555555555), <, 1e-15);
  g_assert_cmpuint (c2->medoids[0], ==, 0);
  g_assert_cmpuint (c2->medoids[1], ==, 4);
  g_assert_cmpmem (c2->labels, 5 * sizeof (int), l2, sizeof l2);
  g_assert_cmpuint (c2->swaps, ==, 3);
  g_assert_cmpuint (c2->iterations, ==, 2);
}

static double
msil_after_swap (const CsDissim *D,
                 const gsize    *med,
                 guint           k,
                 guint           m,
                 gsize           j)
{
  gsize tmp[16];

  g_assert (k <= G_N_ELEMENTS (tmp));
  memcpy (tmp, med, k * sizeof (gsize));
  tmp[m] = j;
  return cs_medoid_silhouette (D, tmp, k, NULL);
}

/* On random instances: the value never falls along the trace, every trace step's value is
 * the medoid silhouette of its medoids (the incremental caches are right), the result is
 * that of its medoids, and no single swap improves it (brute force). */
static void
test_fastermsc_local_optimum (void)
{
  for (guint64 seed = 1; seed <= 12; seed++)
    {
      guint k = 2 + (guint) (seed % 5);
      gsize n = 25 + 5 * (seed % 7);
      g_autoptr (CsMatrix) x = make_blobs (n, 2, 3, 3.0, 1.5, seed, NULL);
      g_autoptr (CsDissim) D = euclidean_dissim (x);
      g_autoptr (CsTrace) trace = cs_trace_new (0);
      g_autoptr (CsClustering) c = NULL;
      CsKmedoidsOptions o;
      GError *error = NULL;
      double prev = -INFINITY;

      cs_kmedoids_options_init (&o);
      o.k = k;
      o.seed = seed;
      o.init = CS_KMEDOIDS_INIT_RANDOM;
      g_assert_true (cs_fastermsc_run (D, &o, NULL, trace, &c, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (trace->steps->len, ==, c->swaps + 1);
      for (guint s = 0; s < trace->steps->len; s++)
        {
          CsTraceStep *st = g_ptr_array_index (trace->steps, s);
          assert_close (st->objective, cs_medoid_silhouette (D, st->medoids, k, NULL), 1e-12);
          g_assert_cmpfloat (st->objective, >, prev);
          prev = st->objective;
        }
      assert_close (c->objective, cs_medoid_silhouette (D, c->medoids, k, NULL), 1e-12);
      for (gsize i = 0; i < n; i++)
        for (guint m = 0; m < k; m++)
          g_assert_cmpfloat (cs_dissim_get (D, i, c->medoids[c->labels[i]]), <=,
                             cs_dissim_get (D, i, c->medoids[m]));
      for (guint m = 0; m < k; m++)
        for (gsize j = 0; j < n; j++)
          g_assert_cmpfloat (msil_after_swap (D, c->medoids, k, m, j), <=, c->objective + 1e-12);
    }
}

static void
test_dynmsc_reference (void)
{
  g_autoptr (CsDissim) D = dissim_from_square (four, 4);
  CsKmedoidsOptions o;
  GError *error = NULL;

  /* kmedoids crate, dynmsc.rs: from any 3 starting medoids the best is k = 3 with 0.9375 */
  for (guint64 seed = 0; seed < 4; seed++)
    {
      g_autoptr (CsClustering) c = NULL;

      cs_kmedoids_options_init (&o);
      o.init = CS_KMEDOIDS_INIT_RANDOM;
      o.seed = seed;
      o.k_min = 2;
      o.k_max = 3;
      g_assert_true (cs_dynmsc_run (D, &o, NULL, NULL, &c, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (c->k, ==, 3);
      g_assert_cmpfloat (fabs (c->objective - 0.9375), <, 1e-15);
      g_assert_cmpfloat (fabs (cs_medoid_silhouette (D, c->medoids, 3, NULL) - 0.9375), <, 1e-15);
      g_assert_cmpuint (c->n_scores, ==, 2);
      g_assert_cmpuint (c->score_k_min, ==, 2);
      g_assert_cmpfloat (c->score_by_k[1], ==, c->objective);
      g_assert_cmpfloat (c->score_by_k[0], <, c->objective);
    }
}

/* DynMSC's curve, replayed: FasterMSC at k_max from the same start, then for each smaller k
 * FasterMSC from the previous solution without the medoid whose removal keeps the highest
 * medoid silhouette (the last slot moving into its place). Every curve entry must equal
 * that replay, and the chosen k must be the argmax. */
static void
test_dynmsc_curve (void)
{
  for (guint64 seed = 1; seed <= 4; seed++)
    {
      g_autoptr (CsMatrix) x = make_blobs (120, 2, 4, 4.0, 1.0, seed, NULL);
      g_autoptr (CsDissim) D = euclidean_dissim (x);
      g_autoptr (CsClustering) dyn = NULL;
      g_autoptr (CsTrace) trace = cs_trace_new (0);
      g_autofree gsize *start = NULL;
      gsize med[16];
      CsKmedoidsOptions o;
      GError *error = NULL;
      const guint k_min = 2;
      const guint k_max = 7;
      guint argmax = k_min;

      cs_kmedoids_options_init (&o);
      o.k = k_max;
      o.init = CS_KMEDOIDS_INIT_RANDOM;
      o.seed = seed;
      start = g_new (gsize, k_max);
      g_assert_true (cs_kmedoids_init (D, &o, start, &error));
      g_assert_no_error (error);
      o.init = CS_KMEDOIDS_INIT_EXPLICIT;
      o.initial_medoids = start;
      o.k_min = k_min;
      o.k_max = k_max;
      g_assert_true (cs_dynmsc_run (D, &o, NULL, trace, &dyn, &error));
      g_assert_no_error (error);
      /* the start, every swap, every removal; labels below k_max, no medoids (k varies) */
      g_assert_cmpuint (trace->steps->len, ==, 1 + dyn->swaps + (k_max - k_min));
      g_assert_cmpuint (trace->k, ==, k_max);
      for (guint s = 0; s < trace->steps->len; s++)
        {
          CsTraceStep *st = g_ptr_array_index (trace->steps, s);
          g_assert_null (st->medoids);
          for (gsize i = 0; i < D->n; i++)
            g_assert_cmpint (st->labels[i], <, (int) k_max);
        }
      g_assert_cmpuint (dyn->n_scores, ==, k_max - k_min + 1);
      g_assert_cmpuint (dyn->score_k_min, ==, k_min);
      g_assert_cmpint (dyn->objective_kind, ==, CS_OBJECTIVE_MEDOID_SILHOUETTE);

      memcpy (med, start, k_max * sizeof (gsize));
      for (guint k = k_max; k >= k_min; k--)
        {
          g_autoptr (CsClustering) f = fastermsc_from (D, med, k, NULL);
          double best = -INFINITY;
          guint drop = 0;

          assert_close (dyn->score_by_k[k - k_min], f->objective, 1e-12);
          /* The medoids recorded for k are the replay's, score what the curve says, and are
           * a local optimum: FasterMSC started from them takes no swap. */
          {
            const gsize *rec = cs_clustering_medoids_at_k (dyn, k);
            g_autoptr (CsClustering) again = NULL;

            g_assert_nonnull (rec);
            for (guint m = 0; m < k; m++)
              g_assert_cmpuint (rec[m], ==, f->medoids[m]);
            assert_close (cs_medoid_silhouette (D, rec, k, NULL), dyn->score_by_k[k - k_min], 1e-12);
            again = fastermsc_from (D, rec, k, NULL);
            g_assert_cmpuint (again->swaps, ==, 0);
            assert_close (again->objective, dyn->score_by_k[k - k_min], 1e-12);
          }
          if (dyn->score_by_k[k - k_min] > dyn->score_by_k[argmax - k_min])
            argmax = k;
          if (k == k_min)
            break;
          for (guint m = 0; m < k; m++)
            {
              gsize tmp[16];
              double v;

              memcpy (tmp, f->medoids, k * sizeof (gsize));
              tmp[m] = tmp[k - 1];
              v = cs_medoid_silhouette (D, tmp, k - 1, NULL);
              if (v > best)
                {
                  best = v;
                  drop = m;
                }
            }
          memcpy (med, f->medoids, k * sizeof (gsize));
          med[drop] = med[k - 1];
        }
      g_assert_null (cs_clustering_medoids_at_k (dyn, k_min - 1));
      g_assert_null (cs_clustering_medoids_at_k (dyn, k_max + 1));
      g_assert_cmpuint (dyn->k, ==, argmax);
      for (guint m = 0; m < dyn->k; m++)
        g_assert_cmpuint (cs_clustering_medoids_at_k (dyn, argmax)[m], ==, dyn->medoids[m]);
      assert_close (dyn->objective, dyn->score_by_k[argmax - k_min], 1e-15);
      assert_close (dyn->objective, cs_medoid_silhouette (D, dyn->medoids, dyn->k, NULL), 1e-12);
      for (gsize i = 0; i < D->n; i++)
        g_assert_cmpint (dyn->labels[i], <, (int) dyn->k);
    }
}

static CsClustering *
clara (const CsMatrix *x,
       gboolean        fast,
       guint           k,
       guint64         seed)
{
  CsKmedoidsOptions o;
  CsClustering *c = NULL;
  GError *error = NULL;

  cs_kmedoids_options_init (&o);
  o.k = k;
  o.seed = seed;
  g_assert_true (cs_clara_run (x, CS_METRIC_EUCLIDEAN, fast, &o, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  return c;
}

static void
test_clara_separated (void)
{
  const gsize n = 3000;
  g_autofree int *truth = g_new (int, n);
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = make_blobs (n, 2, 5, 20.0, 1.0, 7, truth);

  for (int fast = 0; fast < 2; fast++)
    for (guint64 seed = 0; seed < 3; seed++)
      {
        g_autoptr (CsClustering) c = clara (x, fast, 5, seed);
        double loss = brute_loss (x, c->medoids, 5, labels);

        g_assert_cmpstr (c->objective_name, ==, "loss");
        g_assert_cmpfloat (cs_metric_ari (c->labels, truth, n), ==, 1.0);
        assert_close (c->objective, loss, 1e-12);
        g_assert_cmpmem (c->labels, n * sizeof (int), labels, n * sizeof (int));
        g_assert_cmpuint (c->iterations, ==, 5);
      }
}

/* Not a guarantee either way between CLARA and FastCLARA; both should be near the full
 * FasterPAM on overlapping blobs. With the default samples (52 resp. 104 rows for k = 6)
 * each medoid is the best of a handful of rows per cluster, a few % above the optimum;
 * 300-row samples come within 2 %. */
static void
test_clara_near_fasterpam (void)
{
  g_autoptr (CsMatrix) x = make_blobs (1500, 3, 6, 3.0, 1.0, 3, NULL);
  g_autoptr (CsDissim) D = euclidean_dissim (x);
  g_autoptr (CsClustering) full = NULL;
  CsKmedoidsOptions o;
  GError *error = NULL;

  cs_kmedoids_options_init (&o);
  o.k = 6;
  g_assert_true (cs_fasterpam_run (D, &o, NULL, NULL, &full, &error));
  g_assert_no_error (error);
  for (int fast = 0; fast < 2; fast++)
    for (guint64 seed = 1; seed <= 3; seed++)
      for (int big = 0; big < 2; big++)
        {
          g_autoptr (CsClustering) c = NULL;

          o.seed = seed;
          o.sample_size = big ? 300 : 0;
          g_assert_true (cs_clara_run (x, CS_METRIC_EUCLIDEAN, fast, &o, NULL, NULL, &c, &error));
          g_assert_no_error (error);
          assert_close (c->objective, cs_dissim_assign (D, c->medoids, 6, NULL), 1e-9);
          g_assert_cmpfloat (c->objective, <=, (big ? 1.02 : 1.10) * full->objective);
        }
}

static void
test_clara_deterministic (void)
{
  g_autoptr (CsMatrix) x = make_blobs (2000, 3, 4, 3.0, 1.0, 11, NULL);

  for (int fast = 0; fast < 2; fast++)
    {
      g_autoptr (CsClustering) a = clara (x, fast, 4, 42);
      g_autoptr (CsClustering) b = clara (x, fast, 4, 42);
      g_autoptr (CsClustering) other = clara (x, fast, 4, 43);

      g_assert_cmpmem (a->medoids, 4 * sizeof (gsize), b->medoids, 4 * sizeof (gsize));
      g_assert_cmpmem (a->labels, 2000 * sizeof (int), b->labels, 2000 * sizeof (int));
      g_assert_cmpfloat (a->objective, ==, b->objective);
      /* a different seed draws different samples (the optimum may still coincide) */
      g_assert_cmpfloat (other->objective, <=, 1.05 * a->objective);
    }
}

/* The on-demand distances are those of the dissimilarity matrix, for every metric CLARA
 * takes, and the result does not depend on the thread count. */
static void
test_clara_metrics_and_threads (void)
{
  const CsMetric metrics[] = { CS_METRIC_EUCLIDEAN, CS_METRIC_SQEUCLIDEAN, CS_METRIC_MANHATTAN, CS_METRIC_COSINE };
  g_autoptr (CsMatrix) x = make_blobs (20000, 3, 4, 4.0, 1.0, 8, NULL);
  g_autoptr (CsMatrix) head = cs_matrix_new_from_data (1000, 3, x->data);

  for (gsize t = 0; t < G_N_ELEMENTS (metrics); t++)
    {
      g_autoptr (CsDissim) D = cs_dissim_new_from_matrix (head, metrics[t], FALSE, NULL, NULL);
      g_autoptr (CsClustering) c = NULL;
      g_autoptr (CsClustering) c1 = NULL;
      g_autofree int *labels = g_new (int, 1000);
      CsKmedoidsOptions o;
      GError *error = NULL;

      g_assert_nonnull (D);
      cs_kmedoids_options_init (&o);
      o.k = 4;
      o.seed = 3;
      g_assert_true (cs_clara_run (head, metrics[t], TRUE, &o, NULL, NULL, &c, &error));
      g_assert_no_error (error);
      assert_close (c->objective, cs_dissim_assign (D, c->medoids, 4, labels), 1e-12);
      for (gsize i = 0; i < 1000; i++)
        g_assert_cmpfloat (cs_dissim_get (D, i, c->medoids[c->labels[i]]), ==,
                           cs_dissim_get (D, i, c->medoids[labels[i]]));

#ifdef _OPENMP
      g_clear_pointer (&c, cs_clustering_unref);
      g_assert_true (cs_clara_run (x, metrics[t], TRUE, &o, NULL, NULL, &c, &error));
      omp_set_num_threads (1);
      g_assert_true (cs_clara_run (x, metrics[t], TRUE, &o, NULL, NULL, &c1, &error));
      omp_set_num_threads (2);
      g_assert_no_error (error);
      g_assert_cmpfloat (c->objective, ==, c1->objective);
      g_assert_cmpmem (c->labels, x->rows * sizeof (int), c1->labels, x->rows * sizeof (int));
#endif
    }
}

/* A million rows: never an n × n matrix, and the clusters are found. */
static void
test_clara_million (void)
{
  const gsize n = 1000000;
  g_autofree int *truth = g_new (int, n);
  g_autoptr (CsMatrix) x = make_blobs (n, 2, 3, 30.0, 1.0, 5, truth);
  g_autoptr (CsClustering) c = clara (x, TRUE, 3, 1);

  g_assert_cmpuint (c->n, ==, n);
  g_assert_cmpfloat (cs_metric_ari (c->labels, truth, n), ==, 1.0);
  for (guint m = 0; m < 3; m++)
    g_assert_cmpuint (c->medoids[m], <, n);
}

static void
test_clara_trace_and_explicit (void)
{
  g_autoptr (CsMatrix) x = make_blobs (800, 2, 3, 10.0, 1.0, 2, NULL);
  g_autoptr (CsTrace) trace = cs_trace_new (0);
  g_autoptr (CsClustering) c = NULL;
  const gsize start[] = { 0, 1, 2 };
  CsKmedoidsOptions o;
  GError *error = NULL;
  double prev = INFINITY;

  cs_kmedoids_options_init (&o);
  o.k = 3;
  o.init = CS_KMEDOIDS_INIT_EXPLICIT;
  o.initial_medoids = start;
  o.samples = 4;
  g_assert_true (cs_clara_run (x, CS_METRIC_EUCLIDEAN, FALSE, &o, NULL, trace, &c, &error));
  g_assert_no_error (error);
  /* one step per sample; the best loss so far never rises */
  g_assert_cmpuint (trace->steps->len, ==, 4);
  for (guint s = 0; s < trace->steps->len; s++)
    {
      CsTraceStep *st = g_ptr_array_index (trace->steps, s);
      g_assert_cmpfloat (st->objective, <=, prev);
      prev = st->objective;
    }
  g_assert_cmpfloat (prev, ==, c->objective);
}

static CsClustering *
clarans (const CsDissim *D,
         gboolean        fast,
         guint           k,
         guint64         seed,
         double          max_neighbor,
         CsTrace        *trace)
{
  CsKmedoidsOptions o;
  CsClustering *c = NULL;
  GError *error = NULL;

  cs_kmedoids_options_init (&o);
  o.k = k;
  o.seed = seed;
  o.init = CS_KMEDOIDS_INIT_RANDOM;
  if (max_neighbor > 0)
    o.max_neighbor = max_neighbor;
  g_assert_true (cs_clarans_run (D, fast, &o, NULL, trace, &c, &error));
  g_assert_no_error (error);
  return c;
}

/* With every neighbour tried (max_neighbor = 1) a search only stops at a local optimum:
 * no single swap lowers the loss (brute force). The loss is that of the medoids, and the
 * trace's loss falls with every swap. */
static void
test_clarans_local_optimum (void)
{
  for (int fast = 0; fast < 2; fast++)
    for (guint64 seed = 1; seed <= 6; seed++)
      {
        guint k = 2 + (guint) (seed % 4);
        g_autoptr (CsMatrix) x = make_blobs (40 + 7 * seed, 2, 3, 3.0, 1.5, seed, NULL);
        g_autoptr (CsDissim) D = euclidean_dissim (x);
        g_autoptr (CsTrace) trace = cs_trace_new (0);
        g_autoptr (CsClustering) c = clarans (D, fast, k, seed, 1.0, trace);
        g_autofree int *labels = g_new (int, D->n);
        double loss = cs_dissim_assign (D, c->medoids, k, labels);
        double prev = INFINITY;
        gsize tmp[8];

        assert_close (c->objective, loss, 1e-12);
        for (gsize i = 0; i < D->n; i++)
          g_assert_cmpfloat (cs_dissim_get (D, i, c->medoids[c->labels[i]]), ==,
                             cs_dissim_get (D, i, c->medoids[labels[i]]));
        for (guint m = 0; m < k; m++)
          for (gsize j = 0; j < D->n; j++)
            {
              memcpy (tmp, c->medoids, k * sizeof (gsize));
              tmp[m] = j;
              g_assert_cmpfloat (cs_dissim_assign (D, tmp, k, NULL), >=, loss * (1 - 1e-9));
            }
        g_assert_cmpuint (trace->steps->len, ==, c->swaps + 1);
        for (guint s = 0; s < trace->steps->len; s++)
          {
            CsTraceStep *st = g_ptr_array_index (trace->steps, s);
            assert_close (st->objective, cs_dissim_assign (D, st->medoids, k, NULL), 1e-12);
            g_assert_cmpfloat (st->objective, <, prev);
            prev = st->objective;
          }
      }
}

/* Easy blobs: the default sampling rate finds PAM's clusters with a loss close to PAM's
 * (it stops before polishing every medoid); trying all neighbours reaches PAM's optimum. */
static void
test_clarans_matches_pam (void)
{
  g_autoptr (CsMatrix) x = make_blobs (300, 2, 4, 12.0, 1.0, 9, NULL);
  g_autoptr (CsDissim) D = euclidean_dissim (x);
  g_autoptr (CsClustering) pam = NULL;
  CsKmedoidsOptions o;
  GError *error = NULL;

  cs_kmedoids_options_init (&o);
  o.k = 4;
  g_assert_true (cs_pam_run (D, &o, NULL, NULL, &pam, &error));
  g_assert_no_error (error);
  for (int fast = 0; fast < 2; fast++)
    for (guint64 seed = 0; seed < 3; seed++)
      {
        g_autoptr (CsClustering) c = clarans (D, fast, 4, seed, 0, NULL);
        g_autoptr (CsClustering) all = clarans (D, fast, 4, seed, 1.0, NULL);

        g_assert_cmpfloat (cs_metric_ari (c->labels, pam->labels, D->n), ==, 1.0);
        g_assert_cmpfloat (c->objective, <=, 1.03 * pam->objective);
        g_assert_cmpfloat (c->objective, >=, pam->objective * (1 - 1e-12));
        assert_close (all->objective, pam->objective, 1e-12);
        g_assert_cmpfloat (cs_metric_ari (all->labels, pam->labels, D->n), ==, 1.0);
      }
}

static void
test_clarans_deterministic (void)
{
  g_autoptr (CsMatrix) x = make_blobs (400, 2, 5, 2.0, 1.0, 4, NULL);
  g_autoptr (CsDissim) D = euclidean_dissim (x);

  for (int fast = 0; fast < 2; fast++)
    {
      g_autoptr (CsClustering) a = clarans (D, fast, 5, 17, 0, NULL);
      g_autoptr (CsClustering) b = clarans (D, fast, 5, 17, 0, NULL);

      g_assert_cmpmem (a->medoids, 5 * sizeof (gsize), b->medoids, 5 * sizeof (gsize));
      g_assert_cmpmem (a->labels, D->n * sizeof (int), b->labels, D->n * sizeof (int));
      g_assert_cmpfloat (a->objective, ==, b->objective);
      g_assert_cmpuint (a->swaps, ==, b->swaps);
      g_assert_cmpuint (a->iterations, ==, b->iterations);
    }
}

static gboolean
stop_at_second_report (double      fraction,
                       const char *stage,
                       gpointer    user_data)
{
  int *calls = user_data;

  (void) fraction;
  (void) stage;
  return ++*calls < 2;
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

  g_usleep (100 * 1000);
  cc->cancelled_at = cs_test_cpu_us (cc->clock);
  g_cancellable_cancel (cc->cancellable);
  return NULL;
}

typedef enum
{
  RUN_CLARA,
  RUN_FASTCLARA,
  RUN_CLARANS,
  RUN_FASTCLARANS,
  RUN_FASTERMSC,
  RUN_DYNMSC,
  RUN_N
} Which;

static gboolean
run_which (Which                    w,
           const CsMatrix          *x,
           const CsDissim          *D,
           const CsKmedoidsOptions *o,
           CsProgress              *progress,
           CsClustering           **c,
           GError                 **error)
{
  switch (w)
    {
    case RUN_CLARA:
    case RUN_FASTCLARA:
      return cs_clara_run (x, CS_METRIC_EUCLIDEAN, w == RUN_FASTCLARA, o, progress, NULL, c, error);
    case RUN_CLARANS:
    case RUN_FASTCLARANS:
      return cs_clarans_run (D, w == RUN_FASTCLARANS, o, progress, NULL, c, error);
    case RUN_FASTERMSC:
      return cs_fastermsc_run (D, o, progress, NULL, c, error);
    case RUN_DYNMSC:
    case RUN_N:
    default:
      return cs_dynmsc_run (D, o, progress, NULL, c, error);
    }
}

static void
test_cancel (void)
{
  g_autoptr (CsMatrix) small = make_blobs (600, 2, 4, 3.0, 1.0, 1, NULL);
  g_autoptr (CsDissim) Ds = euclidean_dissim (small);
  /* Long runs for the latency check: CLARA on many rows, the others on a larger matrix
   * with a tiny tolerance and every neighbour tried. */
  g_autoptr (CsMatrix) big = make_blobs (400000, 8, 20, 1.0, 1.0, 2, NULL);
  g_autoptr (CsMatrix) mid = make_blobs (4000, 4, 20, 1.0, 1.0, 3, NULL);
  g_autoptr (CsDissim) Dm = euclidean_dissim (mid);

  for (Which w = 0; w < RUN_N; w++)
    {
      CsKmedoidsOptions o;
      CsClustering *c = NULL;
      GError *error = NULL;
      int calls = 0;
      g_autoptr (CsProgress) stopper = cs_progress_new (stop_at_second_report, &calls, NULL);
      g_autoptr (GCancellable) cancellable = g_cancellable_new ();
      g_autoptr (CsProgress) progress = cs_progress_new (NULL, NULL, cancellable);
      Canceller cc = { cancellable, 0, cs_test_cpu_clock () };
      GThread *thread;
      gint64 returned;

      cs_kmedoids_options_init (&o);
      o.k = 4;
      o.k_max = 6;
      o.init = CS_KMEDOIDS_INIT_RANDOM;
      o.max_neighbor = 1.0;
      g_assert_false (run_which (w, small, Ds, &o, stopper, &c, &error));
      g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
      g_assert_null (c);
      g_clear_error (&error);

      o.k = 20;
      o.k_max = 30;
      o.samples = 1000;
      thread = g_thread_new ("cancel", cancel_later, &cc);
      g_assert_false (run_which (w, big, Dm, &o, progress, &c, &error));
      returned = cs_test_cpu_us (cc.clock);
      g_thread_join (thread);
      g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
      g_assert_null (c);
      g_clear_error (&error);
      g_assert_cmpint (returned - cc.cancelled_at, <, 100000 * cs_test_cpu_scale ());
    }
}

typedef struct
{
  double last;
  guint  calls;
} Watch;

static gboolean
watch_progress (double      fraction,
                const char *stage,
                gpointer    user_data)
{
  Watch *w = user_data;

  g_assert_nonnull (stage);
  g_assert_cmpfloat (fraction, >=, w->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  w->last = fraction;
  w->calls++;
  return TRUE;
}

/* The bar only moves forward, ends at 1, and is not flooded. */
static void
test_progress (void)
{
  g_autoptr (CsMatrix) x = make_blobs (1500, 2, 5, 2.0, 1.0, 12, NULL);
  g_autoptr (CsDissim) D = euclidean_dissim (x);

  for (Which w = 0; w < RUN_N; w++)
    {
      Watch watch = { 0.0, 0 };
      g_autoptr (CsProgress) progress = cs_progress_new (watch_progress, &watch, NULL);
      g_autoptr (CsClustering) c = NULL;
      CsKmedoidsOptions o;
      GError *error = NULL;

      cs_kmedoids_options_init (&o);
      o.k = 5;
      o.k_max = 8;
      o.init = CS_KMEDOIDS_INIT_RANDOM;
      gint64 t0 = g_get_monotonic_time ();

      g_assert_true (run_which (w, x, D, &o, progress, &c, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (watch.last, ==, 1.0);
      /* ~100 reports by 1 % steps and stages, plus the 50 ms heartbeat cs_progress_report
       * adds on a slow run (a sanitizer build, a busy machine): not a count that grows with
       * the work, whatever the speed. */
      g_assert_cmpuint (watch.calls, <=, 110 + (g_get_monotonic_time () - t0) / 50000);
    }
}

static void
test_errors (void)
{
  const double same[9] = { 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  g_autoptr (CsDissim) D = dissim_from_square (same, 3);
  g_autoptr (CsMatrix) x = make_blobs (50, 2, 2, 3.0, 1.0, 1, NULL);
  CsKmedoidsOptions o;
  CsClustering *c = NULL;
  GError *error = NULL;

  cs_kmedoids_options_init (&o);
  o.k = 2;
  /* three identical objects cannot give two medoids */
  for (Which w = RUN_CLARANS; w <= RUN_FASTERMSC; w++)
    {
      g_assert_false (run_which (w, NULL, D, &o, NULL, &c, &error));
      g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  o.k = 51;
  g_assert_false (cs_clara_run (x, CS_METRIC_EUCLIDEAN, FALSE, &o, NULL, NULL, &c, &error));
  /* k beyond the rows is the caller's choice (the CLI's usage error, exit 2). */
  g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
  g_clear_error (&error);
  o.k = 2;
  g_assert_false (cs_clara_run (x, CS_METRIC_GOWER, FALSE, &o, NULL, NULL, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  o.k_min = 1;
  g_assert_false (cs_dynmsc_run (D, &o, NULL, NULL, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (c);
}

/* k = n: every object is a medoid, loss 0; k = 1 with CLARANS is exact on tiny data. */
static void
test_edge_k (void)
{
  g_autoptr (CsDissim) D = dissim_from_square (five, 5);
  g_autoptr (CsMatrix) x = make_blobs (30, 2, 2, 3.0, 1.0, 1, NULL);
  g_autoptr (CsClustering) all = clarans (D, TRUE, 5, 0, 0, NULL);
  g_autoptr (CsClustering) one = clarans (D, FALSE, 1, 0, 1.0, NULL);
  g_autoptr (CsClustering) one_fast = clarans (D, TRUE, 1, 0, 1.0, NULL);
  g_autoptr (CsClustering) cl = clara (x, FALSE, 30, 0);

  g_assert_cmpfloat (all->objective, ==, 0.0);
  /* from the reference suites: k = 1 gives loss 14 (medoid 0) */
  g_assert_cmpfloat (one->objective, ==, 14.0);
  g_assert_cmpfloat (one_fast->objective, ==, 14.0);
  g_assert_cmpfloat (cl->objective, ==, 0.0);
}

static void
test_registry (void)
{
  const char *ids[] = { "clara", "fastclara", "clarans", "fastclarans", "fastermsc", "dynmsc" };
  const char *common[] = { "k", "init", "metric", "seed", "max_iter" };
  g_autofree int *truth = g_new (int, 240);
  g_autoptr (CsMatrix) x = make_blobs (240, 2, 3, 15.0, 1.0, 6, truth);
  for (gsize a = 0; a < G_N_ELEMENTS (ids); a++)
    {
      const CsAlgorithm *algo = cs_registry_lookup (ids[a]);
      g_autoptr (CsParams) p = NULL;
      g_autoptr (CsClustering) c = NULL;
      GError *error = NULL;

      g_assert_nonnull (algo);
      g_assert_cmpuint (algo->n_params, >=, 4);
      /* Every member offers the common parameters it uses, in the common order; DynMSC picks k
       * itself and CLARANS has no iteration bound, so they do not offer those. */
      for (gsize i = 0, j = 0; i < G_N_ELEMENTS (common); i++)
        {
          gboolean unused = (a == 5 && g_str_equal (common[i], "k"))
                            || (a >= 2 && a < 4 && g_str_equal (common[i], "max_iter"));

          g_assert_true ((cs_algorithm_find_param (algo, common[i]) == NULL) == unused);
          if (!unused)
            g_assert_cmpstr (algo->params[j++].name, ==, common[i]);
        }
      g_assert_cmpstr (algo->dissim_param, ==, "metric");
      g_assert_cmpint (algo->objective, ==, a >= 4 ? CS_OBJECTIVE_MEDOID_SILHOUETTE : CS_OBJECTIVE_LOSS);
      g_assert_true ((algo->run_dissim == NULL) == (a < 2));
      p = cs_params_new (algo);
      if (a < 2)
        g_assert_nonnull (cs_algorithm_find_param (algo, "sample_size"));
      else if (a < 4)
        g_assert_nonnull (cs_algorithm_find_param (algo, "max_neighbor"));
      if (a == 5)
        {
          g_assert_true (cs_params_set (p, "k_max", "5", &error));
          g_assert_no_error (error);
        }
      else
        cs_params_set_int (p, "k", 3);
      g_assert_true (cs_algorithm_run (algo, x, p, NULL, NULL, &c, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (c->algorithm, ==, ids[a]);
      g_assert_cmpuint (c->k, ==, 3);
      g_assert_nonnull (c->medoids);
      g_assert_cmpfloat (cs_metric_ari (c->labels, truth, 240), ==, 1.0);
      if (a == 5)
        g_assert_cmpuint (c->n_scores, ==, 4);
    }
}

/* The pipeline scores every medoid result by the medoid silhouette, computed from the
 * coordinates without a matrix: it must equal the value on the full matrix. */
static void
test_pipeline_medoid_silhouette (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("iris", &error);
  g_autoptr (CsPipelineResult) r = NULL;
  g_autoptr (CsDissim) D = NULL;
  g_autoptr (CsParams) params = NULL;
  g_autofree double *per_point = NULL;
  CsPipelineOptions opt;
  double expected;

  g_assert_no_error (error);
  cs_pipeline_options_init (&opt);
  opt.algorithm = cs_registry_lookup ("fasterpam");
  params = cs_params_new (opt.algorithm);
  g_assert_true (cs_params_set (params, "metric", "manhattan", NULL));
  opt.params = params;
  r = cs_pipeline_run (ds, &opt, NULL, &error);
  g_assert_no_error (error);
  D = cs_dissim_new_from_matrix (r->prep->x, CS_METRIC_MANHATTAN, FALSE, NULL, &error);
  g_assert_no_error (error);
  per_point = g_new (double, D->n);
  expected = cs_medoid_silhouette (D, r->clustering->medoids, r->clustering->k, per_point);
  g_assert_cmpfloat_with_epsilon (r->medoid_silhouette, expected, 1e-12);
  for (gsize i = 0; i < D->n; i++)
    g_assert_cmpfloat_with_epsilon (r->medoid_silhouette_values[i], per_point[i], 1e-12);
  g_assert_cmpfloat (expected, >, 0.3);
  g_assert_cmpfloat (expected, <, 1.0);
}

/* DynMSC starts from k_max medoids: an explicit start of another size is refused by the run
 * function itself, whichever front end called it. */
static void
test_dynmsc_explicit_start_size (void)
{
  const double m[] = { 0, 1, 2, 4, 7, 1, 0, 3, 5, 8, 2, 3, 0, 6, 9, 4, 5, 6, 0, 1, 7, 8, 9, 1, 0 };
  g_autoptr (CsMatrix) full = cs_matrix_new_from_data (5, 5, m);
  g_autoptr (CsDissim) D = NULL;
  g_autoptr (GError) error = NULL;
  const gsize start[] = { 0, 3 };
  CsClustering *c = NULL;
  CsKmedoidsOptions o;

  D = cs_dissim_new_from_matrix (full, CS_METRIC_EUCLIDEAN, FALSE, NULL, &error);
  g_assert_no_error (error);
  cs_kmedoids_options_init (&o);
  o.init = CS_KMEDOIDS_INIT_EXPLICIT;
  o.initial_medoids = start;
  o.k = 2;
  o.k_min = 2;
  o.k_max = 3;
  g_assert_false (cs_dynmsc_run (D, &o, NULL, NULL, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "k_max = 3"));
  g_assert_null (c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/medoid-silhouette/reference-values", test_msil_values);
  g_test_add_func ("/core/medoid-silhouette/duplicate-medoids", test_msil_duplicates);
  g_test_add_func ("/core/fastermsc/reference", test_fastermsc_reference);
  g_test_add_func ("/core/fastermsc/local-optimum-brute-force", test_fastermsc_local_optimum);
  g_test_add_func ("/core/dynmsc/reference", test_dynmsc_reference);
  g_test_add_func ("/core/dynmsc/curve-equals-fastermsc-replay", test_dynmsc_curve);
  g_test_add_func ("/core/clara/separated-blobs", test_clara_separated);
  g_test_add_func ("/core/clara/near-fasterpam", test_clara_near_fasterpam);
  g_test_add_func ("/core/clara/deterministic", test_clara_deterministic);
  g_test_add_func ("/core/clara/metrics-and-threads", test_clara_metrics_and_threads);
  g_test_add_func ("/core/clara/million-rows", test_clara_million);
  g_test_add_func ("/core/clara/trace-and-explicit-start", test_clara_trace_and_explicit);
  g_test_add_func ("/core/clarans/local-optimum-brute-force", test_clarans_local_optimum);
  g_test_add_func ("/core/clarans/matches-pam-on-blobs", test_clarans_matches_pam);
  g_test_add_func ("/core/clarans/deterministic", test_clarans_deterministic);
  g_test_add_func ("/core/medoid-sampling/cancel", test_cancel);
  g_test_add_func ("/core/medoid-sampling/progress", test_progress);
  g_test_add_func ("/core/medoid-sampling/errors", test_errors);
  g_test_add_func ("/core/medoid-sampling/edge-k", test_edge_k);
  g_test_add_func ("/core/medoid-sampling/registry", test_registry);
  g_test_add_func ("/core/medoid-silhouette/pipeline-matches-matrix", test_pipeline_medoid_silhouette);
  g_test_add_func ("/core/medoid-silhouette/dynmsc-explicit-start-size", test_dynmsc_explicit_start_size);
  return g_test_run ();
}
