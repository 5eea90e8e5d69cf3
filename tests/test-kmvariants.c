/* The k-means variants: balanced (size-constrained) k-means, online k-means (mini-batch and
 * TELL) and novel class discovery. */
#include <math.h>
#include <string.h>

#include "test-common.h"

#include "core/base/cs-error.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-balanced-kmeans.h"
#include "core/cluster/cs-kmeans.h"
#include "core/cluster/cs-ncd.h"
#include "core/cluster/cs-online-kmeans.h"
#include "core/cluster/cs-pipeline.h"
#include "core/data/cs-dataset.h"
#include "core/metrics/cs-metrics.h"

/* sizes[c] rows around centre c (coordinates c·sep on axis c mod d, plus c·sep/2 on the next),
 * unit normal noise; truth (may be NULL) receives each row's blob. */
static CsMatrix *
blobs (const gsize *sizes, guint n_blobs, gsize d, double sep, guint64 seed, int **truth)
{
  gsize     n = 0;
  gsize     at = 0;
  CsMatrix *x;
  CsRng     rng;

  for (guint c = 0; c < n_blobs; c++)
    n += sizes[c];
  x = cs_matrix_new (n, d);
  if (truth)
    *truth = g_new (int, n);
  cs_rng_init (&rng, seed);
  for (guint c = 0; c < n_blobs; c++)
    for (gsize s = 0; s < sizes[c]; s++, at++)
      {
        for (gsize j = 0; j < d; j++)
          x->data[at * d + j] = cs_rng_normal (&rng);
        x->data[at * d + c % d] += sep * (1 + c / d);
        x->data[at * d + (c + 1) % d] += sep * 0.5 * (c % 2);
        if (truth)
          (*truth)[at] = (int) c;
      }
  return x;
}

static void
sizes_of (const int *labels, gsize n, guint k, gsize *sizes)
{
  memset (sizes, 0, k * sizeof (gsize));
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpint (labels[i], >=, 0);
      g_assert_cmpint (labels[i], <, (int) k);
      sizes[labels[i]]++;
    }
}

static CsClustering *
run_balanced (const CsMatrix *x, guint k, gsize max_size, CsBalancedAssign assign, guint64 seed)
{
  CsBalancedKmeansOptions o;
  CsClustering           *c = NULL;
  g_autoptr (GError) error = NULL;

  cs_balanced_kmeans_options_init (&o);
  o.k = k;
  o.max_size = max_size;
  o.assign = assign;
  o.seed = seed;
  g_assert_true (cs_balanced_kmeans_run (x, &o, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  return c;
}

/* Blobs of 60, 25 and 18 rows: unconstrained k-means would follow them; balanced k-means must
 * give 34 or 35 rows to each of 3 clusters (103 = 3·34 + 1), exactly one of them 35. */
static void
test_balanced_sizes (void)
{
  const gsize sizes[] = { 60, 25, 18 };
  g_autoptr (CsMatrix) x = blobs (sizes, 3, 2, 6.0, 1, NULL);

  for (int a = CS_BALANCED_ASSIGN_EXACT; a <= CS_BALANCED_ASSIGN_GREEDY; a++)
    for (guint k = 2; k <= 7; k++)
      {
        g_autoptr (CsClustering) c = run_balanced (x, k, 0, a, 3);
        g_autofree gsize *got = g_new (gsize, k);
        gsize             lo = x->rows / k;
        guint             n_big = 0;

        sizes_of (c->labels, x->rows, k, got);
        for (guint j = 0; j < k; j++)
          {
            g_assert_cmpuint (got[j], >=, lo);
            g_assert_cmpuint (got[j], <=, lo + 1);
            n_big += got[j] == lo + 1;
          }
        g_assert_cmpuint (n_big, ==, x->rows % k);
        g_assert_cmpfloat_with_epsilon (c->objective, cs_metric_inertia (x, c->labels, c->centers),
                                        1e-9 * c->objective);
      }
}

/* A constraint can only cost: on the same data the balanced objective is never below the best of
 * many unconstrained k-means runs (on these separated blobs k-means finds the optimum). */
static void
test_balanced_not_below_kmeans (void)
{
  const gsize sizes_eq[] = { 50, 50, 50 };
  const gsize sizes_uneq[] = { 90, 40, 20 };
  const gsize *cases[] = { sizes_eq, sizes_uneq };

  for (guint t = 0; t < G_N_ELEMENTS (cases); t++)
    {
      g_autoptr (CsMatrix) x = blobs (cases[t], 3, 3, 8.0, 10 + t, NULL);
      CsKmeansOptions ko;
      g_autoptr (CsClustering) km = NULL;
      g_autoptr (CsClustering) bal = run_balanced (x, 3, 0, CS_BALANCED_ASSIGN_EXACT, 1);
      g_autoptr (GError) error = NULL;

      cs_kmeans_options_init (&ko);
      ko.k = 3;
      ko.n_init = 20;
      g_assert_true (cs_kmeans_run (x, &ko, NULL, NULL, &km, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (bal->objective, >=, km->objective * (1 - 1e-12));
      if (t == 0)
        /* Equal blobs: the balanced optimum is the k-means one. */
        g_assert_cmpfloat_with_epsilon (bal->objective, km->objective, 1e-9 * km->objective);
      else
        g_assert_cmpfloat (bal->objective, >, km->objective * 1.5);
    }
}

/* Every assignment of n rows to k centres (k^n of them), the cheapest feasible one. */
static double
brute_force (const double *D, gsize n, guint k, gsize max_size)
{
  g_autofree int *a = g_new0 (int, n);
  g_autofree gsize *cnt = g_new (gsize, k);
  double best = INFINITY;

  for (;;)
    {
      gboolean ok = TRUE;
      double cost = 0.0;

      memset (cnt, 0, k * sizeof (gsize));
      for (gsize i = 0; i < n; i++)
        {
          cnt[a[i]]++;
          cost += D[i * k + a[i]];
        }
      for (guint j = 0; j < k; j++)
        if (max_size == 0 ? (cnt[j] < n / k || cnt[j] > n / k + 1) : cnt[j] > max_size)
          ok = FALSE;
      if (ok && cost < best)
        best = cost;
      for (gsize i = 0;; i++)
        {
          if (i == n)
            return best;
          if (++a[i] < (int) k)
            break;
          a[i] = 0;
        }
    }
}

static void
test_balanced_exact_is_optimal (void)
{
  for (guint64 seed = 1; seed <= 40; seed++)
    {
      gsize n = 5 + seed % 5;
      guint k = 2 + seed % 3;
      gsize max_size = seed % 2 ? 0 : (n + k - 1) / k + seed % 3;
      g_autoptr (CsMatrix) x = cs_matrix_new (n, 2);
      g_autoptr (CsMatrix) centers = cs_matrix_new (k, 2);
      g_autofree double *D = g_new (double, n * k);
      g_autofree int *labels = g_new (int, n);
      g_autofree int *greedy = g_new (int, n);
      g_autofree gsize *cnt = g_new (gsize, k);
      double cost = 0, gcost = 0, bf;
      g_autoptr (GError) error = NULL;
      CsRng rng;

      cs_rng_init (&rng, seed);
      for (gsize e = 0; e < n * 2; e++)
        x->data[e] = 4 * cs_rng_uniform (&rng);
      for (gsize e = 0; e < k * 2; e++)
        centers->data[e] = 4 * cs_rng_uniform (&rng);
      for (gsize i = 0; i < n; i++)
        for (guint j = 0; j < k; j++)
          D[i * k + j] = cs_sqdist (cs_matrix_row (x, i), cs_matrix_row (centers, j), 2);
      bf = brute_force (D, n, k, max_size);
      g_assert_true (cs_balanced_kmeans_assign (x, centers, max_size, CS_BALANCED_ASSIGN_EXACT, labels, &cost, NULL,
                                                &error));
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (cost, bf, 1e-9 * (1 + bf));
      for (gsize i = 0; i < n; i++)
        greedy[i] = -1;
      g_assert_true (cs_balanced_kmeans_assign (x, centers, max_size, CS_BALANCED_ASSIGN_GREEDY, greedy, &gcost,
                                                NULL, &error));
      g_assert_cmpfloat (gcost, >=, bf - 1e-9 * (1 + bf));
      sizes_of (labels, n, k, cnt);
      for (guint j = 0; j < k; j++)
        g_assert_cmpuint (cnt[j], <=, max_size ? max_size : n / k + 1);
    }
}

/* max_size caps every cluster, and is refused when k clusters cannot hold the rows. */
static void
test_balanced_max_size (void)
{
  const gsize sizes[] = { 70, 20, 10 };
  g_autoptr (CsMatrix) x = blobs (sizes, 3, 2, 8.0, 5, NULL);
  g_autoptr (CsClustering) c = run_balanced (x, 3, 40, CS_BALANCED_ASSIGN_AUTO, 2);
  g_autoptr (CsClustering) g = run_balanced (x, 3, 40, CS_BALANCED_ASSIGN_GREEDY, 2);
  gsize got[3];
  CsBalancedKmeansOptions o;
  CsClustering *none = NULL;
  g_autoptr (GError) error = NULL;

  sizes_of (c->labels, x->rows, 3, got);
  for (guint j = 0; j < 3; j++)
    g_assert_cmpuint (got[j], <=, 40);
  /* The big blob is cut to 40: the cap binds. */
  g_assert_cmpuint (MAX (got[0], MAX (got[1], got[2])), ==, 40);
  sizes_of (g->labels, x->rows, 3, got);
  for (guint j = 0; j < 3; j++)
    g_assert_cmpuint (got[j], <=, 40);
  g_assert_cmpfloat (g->objective, >=, c->objective * (1 - 1e-9));

  cs_balanced_kmeans_options_init (&o);
  o.k = 3;
  o.max_size = 33;
  g_assert_false (cs_balanced_kmeans_run (x, &o, NULL, NULL, &none, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
  g_assert_nonnull (strstr (error->message, "max_size"));
  g_assert_nonnull (strstr (error->message, "34"));
  g_assert_null (none);
}

/* The greedy assignment with swaps is close to the exact one on a few hundred rows, and its trace
 * never goes up. */
static void
test_balanced_greedy_close (void)
{
  const gsize sizes[] = { 200, 150, 100, 50 };
  g_autoptr (CsMatrix) x = blobs (sizes, 4, 3, 3.0, 8, NULL);
  g_autoptr (CsClustering) ex = run_balanced (x, 4, 0, CS_BALANCED_ASSIGN_EXACT, 4);
  g_autoptr (CsClustering) gr = NULL;
  g_autoptr (CsTrace) trace = cs_trace_new (0);
  g_autoptr (GError) error = NULL;
  CsBalancedKmeansOptions o;

  cs_balanced_kmeans_options_init (&o);
  o.k = 4;
  o.assign = CS_BALANCED_ASSIGN_GREEDY;
  o.seed = 4;
  g_assert_true (cs_balanced_kmeans_run (x, &o, NULL, trace, &gr, &error));
  g_assert_cmpfloat (gr->objective, <=, ex->objective * 1.02);
  g_assert_cmpuint (trace->steps->len, >=, 1);
  g_assert_cmpuint (trace->steps->len, ==, gr->iterations);
  for (guint s = 1; s < trace->steps->len; s++)
    {
      const CsTraceStep *a = g_ptr_array_index (trace->steps, s - 1);
      const CsTraceStep *b = g_ptr_array_index (trace->steps, s);
      g_assert_cmpfloat (b->objective, <=, a->objective * (1 + 1e-12));
    }
}

static CsClustering *
run_online (const CsMatrix *x, CsOnlineKmeansMethod method, guint k, gsize batch, guint epochs)
{
  CsOnlineKmeansOptions o;
  CsClustering         *c = NULL;
  g_autoptr (GError) error = NULL;

  cs_online_kmeans_options_init (&o);
  o.k = k;
  o.method = method;
  o.batch_size = batch;
  o.epochs = epochs;
  o.seed = 3;
  g_assert_true (cs_online_kmeans_run (x, &o, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  return c;
}

/* Rows shuffled so that consecutive batches are mixed (online methods see the file in order). */
static CsMatrix *
shuffled_blobs (const gsize *sizes, guint n_blobs, gsize d, double sep, guint64 seed)
{
  g_autoptr (CsMatrix) x = blobs (sizes, n_blobs, d, sep, seed, NULL);
  CsMatrix *y = cs_matrix_new (x->rows, d);
  g_autofree gsize *idx = g_new (gsize, x->rows);
  CsRng rng;

  cs_rng_init (&rng, seed + 100);
  for (gsize i = 0; i < x->rows; i++)
    idx[i] = i;
  cs_rng_sample_front (&rng, idx, x->rows, x->rows);
  for (gsize i = 0; i < x->rows; i++)
    memcpy (cs_matrix_row (y, i), cs_matrix_row (x, idx[i]), d * sizeof (double));
  return y;
}

/* Both update rules reach k-means' inertia within a few per cent on separated blobs. */
static void
test_online_close_to_kmeans (void)
{
  const gsize sizes[] = { 3000, 2000, 2500, 1500, 1000 };
  g_autoptr (CsMatrix) x = shuffled_blobs (sizes, 5, 4, 7.0, 21);
  CsKmeansOptions ko;
  g_autoptr (CsClustering) km = NULL;
  g_autoptr (CsClustering) mb = run_online (x, CS_ONLINE_KMEANS_MINIBATCH, 5, 256, 5);
  g_autoptr (CsClustering) tell = run_online (x, CS_ONLINE_KMEANS_TELL, 5, 256, 5);
  g_autoptr (GError) error = NULL;

  cs_kmeans_options_init (&ko);
  ko.k = 5;
  g_assert_true (cs_kmeans_run (x, &ko, NULL, NULL, &km, &error));
  g_test_message ("inertia: k-means %.6g, mini-batch %.6g, TELL %.6g", km->objective, mb->objective,
                  tell->objective);
  g_assert_cmpfloat (mb->objective, <=, km->objective * 1.02);
  g_assert_cmpfloat (tell->objective, <=, km->objective * 1.02);
  g_assert_cmpfloat (mb->objective, >=, km->objective * (1 - 1e-9));
  g_assert_cmpfloat (cs_metric_ari (km->labels, mb->labels, x->rows), >, 0.99);
  g_assert_cmpfloat (cs_metric_ari (km->labels, tell->labels, x->rows), >, 0.99);
}

/* Feeding the rows in chunks of any size gives bitwise the centres of one run over them all:
 * batches are consecutive rows whatever the chunks. */
static void
test_online_chunks_equal_whole (void)
{
  const gsize sizes[] = { 700, 500, 333 };
  g_autoptr (CsMatrix) x = shuffled_blobs (sizes, 3, 3, 5.0, 2);
  const gsize chunks[] = { 1, 7, 100, 1000, 5000 };

  for (int m = CS_ONLINE_KMEANS_TELL; m <= CS_ONLINE_KMEANS_MINIBATCH; m++)
    {
      g_autoptr (CsClustering) whole = run_online (x, m, 3, 64, 3);

      for (guint t = 0; t < G_N_ELEMENTS (chunks); t++)
        {
          CsOnlineKmeansOptions o;
          g_autoptr (CsOnlineKmeans) s = NULL;
          g_autoptr (GError) error = NULL;

          cs_online_kmeans_options_init (&o);
          o.k = 3;
          o.method = m;
          o.batch_size = 64;
          o.epochs = 3;
          o.seed = 3;
          s = cs_online_kmeans_new (&o, 3, &error);
          for (guint e = 0; e < 3; e++)
            {
              for (gsize at = 0; at < x->rows; at += chunks[t])
                g_assert_true (cs_online_kmeans_feed (s, cs_matrix_row (x, at), MIN (chunks[t], x->rows - at), &error));
              g_assert_true (cs_online_kmeans_end_epoch (s, &error));
            }
          g_assert_cmpmem (cs_online_kmeans_centers (s)->data, 9 * sizeof (double), whole->centers->data,
                           9 * sizeof (double));
          g_assert_cmpuint (cs_online_kmeans_steps (s), ==, whole->iterations);
        }
    }
}

/* n_known known and 5 − n_known novel classes of separated blobs; 70 % of the known classes'
 * rows labelled. */
static void
ncd_data (CsMatrix **x, int **known, int **truth, int n_known)
{
  const gsize sizes[] = { 120, 100, 80, 90, 110 };
  CsRng rng;

  *x = blobs (sizes, 5, 3, 9.0, 44, truth);
  *known = g_new (int, (*x)->rows);
  cs_rng_init (&rng, 9);
  for (gsize i = 0; i < (*x)->rows; i++)
    (*known)[i] = (*truth)[i] < n_known && cs_rng_uniform (&rng) < 0.7 ? (*truth)[i] : -1;
}

static void
test_ncd_estimates_two (void)
{
  g_autoptr (CsMatrix) x = NULL;
  g_autofree int *known = NULL;
  g_autofree int *truth = NULL;
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (GError) error = NULL;
  CsNcdOptions o;

  ncd_data (&x, &known, &truth, 3);
  cs_ncd_options_init (&o);
  for (guint64 seed = 0; seed < 3; seed++)
    {
      o.seed = seed;
      g_clear_pointer (&c, cs_clustering_unref);
      g_assert_true (cs_ncd_kmeans_run (x, known, &o, NULL, NULL, &c, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (c->k_known, ==, 3);
      g_assert_cmpuint (c->k, ==, 5);
      g_assert_nonnull (c->score_by_k);
      g_assert_cmpuint (c->score_k_min, ==, 4);
      for (guint t = 0; t < c->n_scores; t++)
        g_test_message ("seed %u, %u novel: score %.4f", (guint) seed, t + 1, c->score_by_k[t]);
      for (gsize i = 0; i < x->rows; i++)
        if (known[i] >= 0)
          g_assert_cmpint (c->labels[i], ==, known[i]);
      g_assert_cmpfloat (cs_metric_ari (truth, c->labels, x->rows), >, 0.98);
    }
  /* A count given is used as is. */
  o.k_novel = 3;
  g_clear_pointer (&c, cs_clustering_unref);
  g_assert_true (cs_ncd_kmeans_run (x, known, &o, NULL, NULL, &c, &error));
  g_assert_cmpuint (c->k, ==, 6);
  g_assert_null (c->score_by_k);

  /* 2 known, 3 novel: the estimate follows. */
  g_clear_pointer (&x, cs_matrix_free);
  g_clear_pointer (&known, g_free);
  g_clear_pointer (&truth, g_free);
  ncd_data (&x, &known, &truth, 2);
  o.k_novel = 0;
  g_clear_pointer (&c, cs_clustering_unref);
  g_assert_true (cs_ncd_kmeans_run (x, known, &o, NULL, NULL, &c, &error));
  g_assert_cmpuint (c->k_known, ==, 2);
  g_assert_cmpuint (c->k, ==, 5);
}

/* Through the pipeline: the label column's missing cells are the unlabelled rows. */
static void
test_ncd_pipeline (void)
{
  g_autoptr (CsMatrix) x = NULL;
  g_autofree int *known = NULL;
  g_autofree int *truth = NULL;
  g_autoptr (CsDataset) ds = NULL;
  g_autoptr (CsPipelineResult) r = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CsParams) p = NULL;
  CsPipelineOptions po;
  const CsAlgorithm *algo = cs_registry_lookup ("ncd-kmeans");
  double *lab;

  ncd_data (&x, &known, &truth, 3);
  ds = cs_dataset_new ("ncd", x->rows);
  for (gsize j = 0; j < 3; j++)
    {
      double *col = g_new (double, x->rows);
      g_autofree char *name = g_strdup_printf ("x%" G_GSIZE_FORMAT, j);
      for (gsize i = 0; i < x->rows; i++)
        col[i] = x->data[i * 3 + j];
      cs_dataset_add_numeric (ds, name, col);
    }
  lab = g_new (double, x->rows);
  for (gsize i = 0; i < x->rows; i++)
    lab[i] = known[i] >= 0 ? 10.0 + known[i] : NAN;
  cs_dataset_add_numeric (ds, "class", lab);
  ds->label_column = 3;
  p = cs_params_new (algo);
  cs_pipeline_options_init (&po);
  po.algorithm = algo;
  po.params = p;
  po.prepare.scaling = CS_SCALE_NONE;
  r = cs_pipeline_run (ds, &po, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->clustering->k_known, ==, 3);
  g_assert_cmpuint (r->clustering->k, ==, 5);
  for (gsize i = 0; i < x->rows; i++)
    if (known[i] >= 0)
      g_assert_cmpint (r->clustering->labels[i], ==, known[i]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/balanced-kmeans/sizes-differ-by-at-most-one", test_balanced_sizes);
  g_test_add_func ("/core/balanced-kmeans/never-below-kmeans", test_balanced_not_below_kmeans);
  g_test_add_func ("/core/balanced-kmeans/exact-equals-brute-force", test_balanced_exact_is_optimal);
  g_test_add_func ("/core/balanced-kmeans/max-size-respected", test_balanced_max_size);
  g_test_add_func ("/core/balanced-kmeans/greedy-close-to-exact", test_balanced_greedy_close);
  g_test_add_func ("/core/online-kmeans/close-to-kmeans", test_online_close_to_kmeans);
  g_test_add_func ("/core/online-kmeans/chunks-equal-whole", test_online_chunks_equal_whole);
  g_test_add_func ("/core/ncd/estimates-two-novel-classes", test_ncd_estimates_two);
  g_test_add_func ("/core/ncd/pipeline-reads-label-column", test_ncd_pipeline);
  return g_test_run ();
}
