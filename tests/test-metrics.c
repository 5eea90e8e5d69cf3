/* Cluster validity metrics against scikit-learn, and the Hungarian method against brute force.
 * The reference values in fixtures/metrics.json and the CSVs beside it come from
 * tests/fixtures/make_metrics_fixtures.py (scikit-learn 1.2.1). */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-rng.h"
#include "core/data/cs-dissim.h"
#include "core/metrics/cs-metrics.h"

typedef struct
{
  CsMatrix *x;
  int      *truth;
  int      *pred;
} Fixture;

static void
fixture_clear (Fixture *f)
{
  cs_matrix_free (f->x);
  g_free (f->truth);
  g_free (f->pred);
}

/* Rows of "x1,…,xd,true,pred"; the dimensions come from metrics.json. */
static void
fixture_load (const char *name,
              gsize       n,
              gsize       d,
              Fixture    *f)
{
  g_autofree char *file = g_strdup_printf ("metrics-%s.csv", name);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", file, NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  GError *error = NULL;
  gsize row = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  f->x = cs_matrix_new (n, d);
  f->truth = g_new (int, n);
  f->pred = g_new (int, n);
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      g_auto (GStrv) fields = NULL;
      if (**l == '\0')
        continue;
      fields = g_strsplit (*l, ",", -1);
      g_assert_cmpuint (g_strv_length (fields), ==, d + 2);
      g_assert_cmpuint (row, <, n);
      for (gsize j = 0; j < d; j++)
        f->x->data[row * d + j] = g_ascii_strtod (fields[j], NULL);
      f->truth[row] = atoi (fields[d]);
      f->pred[row] = atoi (fields[d + 1]);
      row++;
    }
  g_assert_cmpuint (row, ==, n);
}

static void
assert_rel (double      got,
            double      want,
            double      rel,
            const char *what)
{
  if (!(fabs (got - want) <= rel * fabs (want)))
    g_error ("%s: got %.17g, scikit-learn %.17g (relative error %.3g)", what, got, want, fabs (got - want) / fabs (want));
}

static void
test_against_sklearn (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "metrics.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  GError *error = NULL;
  JsonObject *root;
  g_autoptr (GList) names = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  names = json_object_get_members (root);
  g_assert_cmpuint (g_list_length (names), ==, 3);
  for (GList *it = names; it; it = it->next)
    {
      const char *name = it->data;
      JsonObject *s = json_object_get_object_member (root, name);
      gsize n = json_object_get_int_member (s, "n");
      gsize d = json_object_get_int_member (s, "d");
      guint k = json_object_get_int_member (s, "k_pred");
      Fixture f = { 0 };
      double sil = NAN;

      fixture_load (name, n, d, &f);
      g_assert_true (cs_metric_silhouette (f.x, f.pred, k, 0, 0, NULL, &sil, NULL, &error));
      g_assert_no_error (error);
      assert_rel (sil, json_object_get_double_member (s, "silhouette"), 1e-10, "silhouette");
      assert_rel (cs_metric_davies_bouldin (f.x, f.pred, k), json_object_get_double_member (s, "davies_bouldin"),
                  1e-10, "Davies–Bouldin");
      assert_rel (cs_metric_calinski_harabasz (f.x, f.pred, k),
                  json_object_get_double_member (s, "calinski_harabasz"), 1e-10, "Calinski–Harabasz");
      assert_rel (cs_metric_ari (f.truth, f.pred, n), json_object_get_double_member (s, "ari"), 1e-10, "ARI");
      assert_rel (cs_metric_nmi (f.truth, f.pred, n), json_object_get_double_member (s, "nmi"), 1e-10, "NMI");
      fixture_clear (&f);
    }
}

static void
test_external_known_answers (void)
{
  const int a[] = { 0, 0, 1, 1 };
  const int b[] = { 0, 0, 1, 2 };
  const int one[] = { 0, 0, 0, 0 };
  const int each[] = { 0, 1, 2, 3 };
  const int perm_a[] = { 3, 3, 1, 1, 7, 7, 7 };
  const int perm_b[] = { 0, 0, 2, 2, 1, 1, 1 };
  const int noisy_a[] = { 0, 0, 1, 1, -1, 1 };
  const int noisy_b[] = { 5, 5, 2, 2, 2, -1 };

  /* scikit-learn's documented values: adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 4/7 */
  g_assert_cmpfloat_with_epsilon (cs_metric_ari (a, b, 4), 4.0 / 7.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (cs_metric_nmi (a, b, 4), 0.8, 1e-15);
  g_assert_cmpfloat (cs_metric_nmi (one, each, 4), ==, 0.0);
  g_assert_cmpfloat (cs_metric_nmi (one, one, 4), ==, 1.0);
  g_assert_cmpfloat (cs_metric_ari (one, one, 4), ==, 1.0);
  /* Label names do not matter, only the partition. */
  g_assert_cmpfloat_with_epsilon (cs_metric_ari (perm_a, perm_b, 7), 1.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (cs_metric_nmi (perm_a, perm_b, 7), 1.0, 1e-15);
  /* Rows with -1 in either labelling are left out: what remains agrees perfectly. */
  g_assert_cmpfloat_with_epsilon (cs_metric_ari (noisy_a, noisy_b, 6), 1.0, 1e-15);
}

static void
test_internal_known_answers (void)
{
  /* Two clusters on a line: {0, 2} and {10, 12}, centroids 1 and 11. */
  const double xs[] = { 0, 2, 10, 12, 100 };
  const int labels[] = { 0, 0, 1, 1, -1 };
  g_autoptr (CsMatrix) x = cs_matrix_new_from_data (5, 1, xs);
  g_autoptr (CsMatrix) c = cs_matrix_new (2, 1);
  double sil = 0.0;
  g_autofree double *per = g_new (double, 5);
  GError *error = NULL;

  c->data[0] = 1;
  c->data[1] = 11;
  g_assert_cmpfloat (cs_metric_inertia (x, labels, c), ==, 4.0);
  /* DB: scatters 1 and 1, centroid distance 10 -> 0.2 for both. */
  g_assert_cmpfloat_with_epsilon (cs_metric_davies_bouldin (x, labels, 2), 0.2, 1e-15);
  /* CH: between 2·25 + 2·25 = 100, within 4, (n − k)/(k − 1) = 2 -> 50. */
  g_assert_cmpfloat_with_epsilon (cs_metric_calinski_harabasz (x, labels, 2), 50.0, 1e-12);
  /* Silhouette of 0: a = 2, b = mean(10, 12) = 11 -> 9/11; of 2: a = 2, b = 9 -> 7/9. */
  g_assert_true (cs_metric_silhouette (x, labels, 2, 0, 0, per, &sil, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (per[0], 9.0 / 11.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (per[1], 7.0 / 9.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (per[2], 7.0 / 9.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (per[3], 9.0 / 11.0, 1e-12);
  g_assert_true (isnan (per[4]));
  g_assert_cmpfloat_with_epsilon (sil, (9.0 / 11.0 + 7.0 / 9.0) / 2.0, 1e-12);
}

static void
test_silhouette_one_cluster_is_an_error (void)
{
  const double xs[] = { 0, 1, 2 };
  const int labels[] = { 0, 0, 0 };
  g_autoptr (CsMatrix) x = cs_matrix_new_from_data (3, 1, xs);
  GError *error = NULL;
  double sil;

  g_assert_false (cs_metric_silhouette (x, labels, 1, 0, 0, NULL, &sil, NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

static CsMatrix *
random_blobs (gsize  n,
              gsize  d,
              guint  k,
              guint64 seed,
              int   *labels)
{
  CsMatrix *x = cs_matrix_new (n, d);
  CsRng rng;

  cs_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    {
      labels[i] = (int) cs_rng_below (&rng, k);
      for (gsize j = 0; j < d; j++)
        x->data[i * d + j] = 4.0 * labels[i] * (j == 0) + cs_rng_normal (&rng);
    }
  return x;
}

/* The sampled silhouette is the exact silhouette of the sampled rows (they are the reference
 * set too): recompute it from the rows the per-point output marks. */
static void
test_silhouette_sample_is_exact_on_the_sample (void)
{
  const gsize n = 3000;
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = random_blobs (n, 3, 4, 99, labels);
  g_autofree double *per = g_new (double, n);
  g_autofree double *per2 = g_new (double, n);
  g_autofree int *sub_labels = g_new (int, n);
  g_autoptr (CsMatrix) sub = cs_matrix_new (500, 3);
  double sampled;
  double again;
  double exact_sub;
  double exact_all;
  gsize m = 0;

  g_assert_true (cs_metric_silhouette (x, labels, 4, 500, 7, per, &sampled, NULL, NULL));
  g_assert_true (cs_metric_silhouette (x, labels, 4, 500, 7, per2, &again, NULL, NULL));
  g_assert_cmpfloat (sampled, ==, again);
  for (gsize i = 0; i < n; i++)
    if (!isnan (per[i]))
      {
        memcpy (cs_matrix_row (sub, m), cs_matrix_row (x, i), 3 * sizeof (double));
        sub_labels[m++] = labels[i];
      }
  g_assert_cmpuint (m, ==, 500);
  g_assert_true (cs_metric_silhouette (sub, sub_labels, 4, 0, 0, NULL, &exact_sub, NULL, NULL));
  g_assert_cmpfloat_with_epsilon (sampled, exact_sub, 1e-12);
  /* A sample size past n is the exact value; and the sample estimates it closely. */
  g_assert_true (cs_metric_silhouette (x, labels, 4, n + 5, 7, NULL, &exact_all, NULL, NULL));
  g_assert_true (cs_metric_silhouette (x, labels, 4, 0, 0, NULL, &again, NULL, NULL));
  g_assert_cmpfloat (exact_all, ==, again);
  g_assert_cmpfloat (fabs (sampled - exact_all), <, 0.05);
}

static gboolean
stop_now (double      fraction,
          const char *stage,
          gpointer    user_data)
{
  return FALSE;
}

static void
test_silhouette_cancel (void)
{
  const gsize n = 4000;
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = random_blobs (n, 2, 3, 5, labels);
  g_autoptr (CsProgress) progress = cs_progress_new (stop_now, NULL, NULL);
  GError *error = NULL;
  double sil = 0.0;

  g_assert_false (cs_metric_silhouette (x, labels, 3, 0, 0, NULL, &sil, progress, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  g_clear_error (&error);
}

static void
test_hungarian_known_square (void)
{
  /* The textbook 4 × 4 instance: rows 0..3 take columns 2, 1, 0, 3 for 69 + 37 + 11 + 23. */
  const double cost[] = { 82, 83, 69, 92, 77, 37, 49, 92, 11, 69, 5, 86, 8, 9, 98, 23 };
  int a[4];

  g_assert_cmpfloat (cs_hungarian (cost, 4, 4, a), ==, 140.0);
  g_assert_cmpint (a[0], ==, 2);
  g_assert_cmpint (a[1], ==, 1);
  g_assert_cmpint (a[2], ==, 0);
  g_assert_cmpint (a[3], ==, 3);
}

static void
test_hungarian_rectangular (void)
{
  /* Checked with scipy.optimize.linear_sum_assignment: columns 1, 3, 4, cost 3.5. */
  const double wide[] = { 4, 1, 3, 9, 7, 2, 0, 5, 1, 8, 3, 2, 2, 6, 1.5 };
  double tall[15];
  int a[5];

  g_assert_cmpfloat (cs_hungarian (wide, 3, 5, a), ==, 3.5);
  g_assert_cmpint (a[0], ==, 1);
  g_assert_cmpint (a[1], ==, 3);
  g_assert_cmpint (a[2], ==, 4);
  /* The transpose: rows 1, 3, 4 get columns 0, 1, 2, rows 0 and 2 nothing. */
  for (int r = 0; r < 3; r++)
    for (int c = 0; c < 5; c++)
      tall[c * 3 + r] = wide[r * 5 + c];
  g_assert_cmpfloat (cs_hungarian (tall, 5, 3, a), ==, 3.5);
  g_assert_cmpint (a[0], ==, -1);
  g_assert_cmpint (a[1], ==, 0);
  g_assert_cmpint (a[2], ==, -1);
  g_assert_cmpint (a[3], ==, 1);
  g_assert_cmpint (a[4], ==, 2);
}

static double
brute_force (const double *cost,
             int           n,
             int          *perm,
             int           depth,
             guint         used)
{
  double best = INFINITY;

  if (depth == n)
    return 0.0;
  for (int c = 0; c < n; c++)
    if (!(used & (1u << c)))
      {
        double v = cost[depth * n + c] + brute_force (cost, n, perm, depth + 1, used | (1u << c));
        best = MIN (best, v);
      }
  return best;
}

static void
test_hungarian_brute_force (void)
{
  CsRng rng;
  double cost[36];
  int a[6];
  int perm[6];

  cs_rng_init (&rng, 2024);
  for (int trial = 0; trial < 200; trial++)
    {
      double total;
      double check = 0.0;
      guint seen = 0;

      for (int e = 0; e < 36; e++)
        /* Small integers make ties common: the optimum value is still unique. */
        cost[e] = trial % 2 ? (double) cs_rng_below (&rng, 10) : cs_rng_normal (&rng) * 100.0;
      total = cs_hungarian (cost, 6, 6, a);
      for (int r = 0; r < 6; r++)
        {
          g_assert_cmpint (a[r], >=, 0);
          g_assert_cmpint (a[r], <, 6);
          seen |= 1u << a[r];
          check += cost[r * 6 + a[r]];
        }
      g_assert_cmpuint (seen, ==, 0x3f);
      g_assert_cmpfloat_with_epsilon (total, check, 1e-9);
      g_assert_cmpfloat_with_epsilon (total, brute_force (cost, 6, perm, 0, 0), 1e-9);
    }
}

static void
test_match_labels_recovers_permutation (void)
{
  const gsize n = 1000;
  const int perm[] = { 3, 0, 4, 1, 2 };
  g_autofree int *ref = g_new (int, n);
  g_autofree int *lab = g_new (int, n);
  int mapping[6];
  CsRng rng;

  cs_rng_init (&rng, 11);
  for (gsize i = 0; i < n; i++)
    {
      ref[i] = (int) cs_rng_below (&rng, 5);
      lab[i] = perm[ref[i]];
      /* A little disagreement must not change the answer. */
      if (cs_rng_below (&rng, 10) == 0)
        lab[i] = (int) cs_rng_below (&rng, 5);
    }
  cs_match_labels (ref, 5, lab, 5, n, mapping);
  for (int c = 0; c < 5; c++)
    g_assert_cmpint (mapping[perm[c]], ==, c);

  /* One more cluster than the reference: it gets the fresh label 5. */
  for (gsize i = 0; i < n; i += 7)
    lab[i] = 5;
  cs_match_labels (ref, 5, lab, 6, n, mapping);
  for (int c = 0; c < 5; c++)
    g_assert_cmpint (mapping[perm[c]], ==, c);
  g_assert_cmpint (mapping[5], ==, 5);
}

/* The silhouette from a Euclidean dissimilarity matrix equals the one from the coordinates,
 * row by row, noise rows left out of both; one cluster is an error there too. */
static void
test_silhouette_from_matrix (void)
{
  gsize n = 300;
  guint k = 4;
  g_autoptr (CsMatrix) x = cs_matrix_new (n, 3);
  g_autofree int *labels = g_new (int, n);
  g_autofree double *by_x = g_new (double, n);
  g_autofree double *by_d = g_new (double, n);
  g_autoptr (CsDissim) D = NULL;
  g_autoptr (GError) error = NULL;
  CsRng rng;
  double mean_x = NAN;
  double mean_d = NAN;

  cs_rng_init (&rng, 11);
  for (gsize i = 0; i < n; i++)
    {
      labels[i] = i % 17 == 0 ? -1 : (int) (i % k);
      for (gsize j = 0; j < 3; j++)
        cs_matrix_row (x, i)[j] = 3.0 * (double) (i % k) * (j == 0) + cs_rng_normal (&rng);
    }
  D = cs_dissim_new_from_matrix (x, CS_METRIC_EUCLIDEAN, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cs_metric_silhouette (x, labels, k, 0, 0, by_x, &mean_x, NULL, &error));
  g_assert_true (cs_dissim_silhouette (D, labels, k, by_d, &mean_d, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (fabs (mean_x - mean_d), <, 1e-12);
  g_assert_cmpfloat (mean_d, >, 0.3);
  for (gsize i = 0; i < n; i++)
    if (labels[i] < 0)
      g_assert_true (isnan (by_d[i]));
    else
      g_assert_cmpfloat (fabs (by_x[i] - by_d[i]), <, 1e-12);

  for (gsize i = 0; i < n; i++)
    labels[i] = 0;
  g_assert_false (cs_dissim_silhouette (D, labels, k, NULL, &mean_d, NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/metrics/matches-sklearn", test_against_sklearn);
  g_test_add_func ("/core/metrics/external-known-answers", test_external_known_answers);
  g_test_add_func ("/core/metrics/internal-known-answers", test_internal_known_answers);
  g_test_add_func ("/core/metrics/silhouette/one-cluster-is-an-error", test_silhouette_one_cluster_is_an_error);
  g_test_add_func ("/core/metrics/silhouette/sample-is-exact-on-the-sample",
                   test_silhouette_sample_is_exact_on_the_sample);
  g_test_add_func ("/core/metrics/silhouette/cancel", test_silhouette_cancel);
  g_test_add_func ("/core/metrics/silhouette/from-dissimilarity-matrix", test_silhouette_from_matrix);
  g_test_add_func ("/core/metrics/hungarian/known-square", test_hungarian_known_square);
  g_test_add_func ("/core/metrics/hungarian/rectangular", test_hungarian_rectangular);
  g_test_add_func ("/core/metrics/hungarian/brute-force-6x6", test_hungarian_brute_force);
  g_test_add_func ("/core/metrics/match-labels/recovers-permutation", test_match_labels_recovers_permutation);
  return g_test_run ();
}
