/* DBSCAN against scikit-learn: labels (noise −1), core / border / noise and cluster numbering on
 * stored fixtures (tests/fixtures/make_dbscan_fixtures.py, run once), the k-distance against a
 * brute-force computation, the knee and the automatic eps, and the refusals. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "test-common.h"

#include "core/base/cs-error.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-dbscan.h"
#include "core/cluster/cs-registry.h"
#include "core/cluster/cs-result-io.h"

static JsonParser *fixtures;

static JsonArray *
fixture_cases (void)
{
  if (fixtures == NULL)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "dbscan", "dbscan-fixtures.json", NULL);
      g_autoptr (GError) error = NULL;

      fixtures = json_parser_new ();
      json_parser_load_from_file (fixtures, path, &error);
      g_assert_no_error (error);
    }
  return json_object_get_array_member (json_node_get_object (json_parser_get_root (fixtures)), "cases");
}

static JsonObject *
fixture_case (const char *name)
{
  JsonArray *cases = fixture_cases ();

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      if (g_str_equal (json_object_get_string_member (c, "name"), name))
        return c;
    }
  g_error ("no fixture case %s", name);
  return NULL;
}

static void
set_threads (int threads)
{
#ifdef _OPENMP
  omp_set_num_threads (threads);
#else
  (void) threads;
#endif
}

static void
test_matches_sklearn (gconstpointer data)
{
  JsonObject *fx = fixture_case (data);
  gsize       n = json_object_get_int_member (fx, "n");
  gsize       d = json_object_get_int_member (fx, "d");
  JsonArray  *xs = json_object_get_array_member (fx, "x");
  JsonArray  *labels = json_object_get_array_member (fx, "labels");
  JsonArray  *kinds = json_object_get_array_member (fx, "kinds");
  g_autoptr (CsMatrix) x = cs_matrix_new (n, d);
  CsDbscanOptions o;

  g_assert_cmpuint (json_array_get_length (xs), ==, n * d);
  for (gsize i = 0; i < n * d; i++)
    x->data[i] = json_array_get_double_element (xs, i);
  cs_dbscan_options_init (&o);
  o.eps = json_object_get_double_member (fx, "eps");
  o.min_samples = (guint) json_object_get_int_member (fx, "min_samples");
  o.metric = g_str_equal (json_object_get_string_member (fx, "metric"), "manhattan") ? CS_DBSCAN_MANHATTAN
                                                                                       : CS_DBSCAN_EUCLIDEAN;
  for (int threads = 1; threads <= 2; threads++)
    {
      g_autoptr (CsClustering) c = NULL;
      g_autoptr (GError) error = NULL;
      gsize  counts[3] = { 0, 0, 0 };
      double eps_used = 0.0;

      set_threads (threads);
      g_assert_true (cs_dbscan_run (x, &o, NULL, NULL, &c, &eps_used, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (eps_used, ==, o.eps);
      g_assert_cmpuint (c->k, ==, json_object_get_int_member (fx, "clusters"));
      g_assert_nonnull (c->point_kinds);
      for (gsize i = 0; i < n; i++)
        {
          if (c->labels[i] != json_array_get_int_element (labels, i))
            g_error ("%s, %d threads: row %" G_GSIZE_FORMAT " labelled %d, scikit-learn %d", (const char *) data,
                     threads, i, c->labels[i], (int) json_array_get_int_element (labels, i));
          g_assert_cmpint (c->point_kinds[i], ==, json_array_get_int_element (kinds, i));
          counts[c->point_kinds[i]]++;
        }
      g_assert_cmpuint (counts[CS_POINT_CORE], ==, json_object_get_int_member (fx, "core"));
      g_assert_cmpuint (counts[CS_POINT_BORDER], ==, json_object_get_int_member (fx, "border"));
      g_assert_cmpuint (counts[CS_POINT_NOISE], ==, json_object_get_int_member (fx, "noise"));
      g_assert_cmpfloat (c->objective, ==, (double) counts[CS_POINT_NOISE]);
    }
  set_threads (2);
}

/* The shared border point (row 0) is within eps of both clusters' cores and takes the one whose
 * first core row comes first, whichever side of it that is. */
static void
test_shared_border_rule (void)
{
  JsonObject *fx = fixture_case ("shared-border");
  JsonArray  *labels = json_object_get_array_member (fx, "labels");
  JsonArray  *kinds = json_object_get_array_member (fx, "kinds");

  g_assert_cmpint (json_array_get_int_element (kinds, 0), ==, CS_POINT_BORDER);
  g_assert_cmpint (json_array_get_int_element (kinds, 1), ==, CS_POINT_CORE);
  g_assert_cmpint (json_array_get_int_element (kinds, 5), ==, CS_POINT_CORE);
  g_assert_cmpint (json_array_get_int_element (labels, 1), ==, 0);
  g_assert_cmpint (json_array_get_int_element (labels, 5), ==, 1);
  g_assert_cmpint (json_array_get_int_element (labels, 0), ==, 0);
}

static CsMatrix *
random_points (gsize n, gsize d, guint64 seed)
{
  CsMatrix *x = cs_matrix_new (n, d);
  CsRng     rng;

  cs_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < d; j++)
      {
        /* Clumps, a spread-out part and exact repeats of an earlier row. */
        if (i > 10 && i % 17 == 0)
          x->data[i * d + j] = x->data[(i / 3) * d + j];
        else if (i % 5 == 0)
          x->data[i * d + j] = 40.0 * cs_rng_uniform (&rng) - 20.0;
        else
          x->data[i * d + j] = (double) (i % 4) * 6.0 * (j % 2 ? -1 : 1) + cs_rng_normal (&rng);
      }
  return x;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
test_k_distance_brute_force (void)
{
  static const gsize dims[] = { 1, 2, 3, 5 };
  static const guint ks[] = { 1, 2, 5, 20 };

  for (guint di = 0; di < G_N_ELEMENTS (dims); di++)
    for (guint ki = 0; ki < G_N_ELEMENTS (ks); ki++)
      for (int metric = CS_DBSCAN_EUCLIDEAN; metric <= CS_DBSCAN_MANHATTAN; metric++)
        {
          gsize d = dims[di];
          gsize n = 600;
          guint k = ks[ki];
          g_autoptr (CsMatrix) x = random_points (n, d, 100 + di);
          g_autofree double *got = NULL;
          g_autofree double *want = g_new (double, n);
          g_autofree double *row = g_new (double, n);
          g_autoptr (GError) error = NULL;

          g_assert_true (cs_dbscan_k_distance (x, k, metric, NULL, &got, &error));
          g_assert_no_error (error);
          for (gsize i = 0; i < n; i++)
            {
              for (gsize j = 0; j < n; j++)
                {
                  double s = 0.0;
                  for (gsize t = 0; t < d; t++)
                    {
                      double u = x->data[i * d + t] - x->data[j * d + t];
                      s += metric == CS_DBSCAN_MANHATTAN ? fabs (u) : u * u;
                    }
                  row[j] = s;
                }
              qsort (row, n, sizeof (double), cmp_double);
              want[i] = metric == CS_DBSCAN_MANHATTAN ? row[k - 1] : sqrt (row[k - 1]);
            }
          qsort (want, n, sizeof (double), cmp_double);
          for (gsize i = 0; i < n; i++)
            if (got[i] != want[i])
              g_error ("d = %" G_GSIZE_FORMAT ", k = %u, metric %d: k-distance %" G_GSIZE_FORMAT " is %.17g, brute "
                       "force %.17g", d, k, metric, i, got[i], want[i]);
          /* k = 1 is the row itself. */
          if (k == 1)
            g_assert_cmpfloat (got[n - 1], ==, 0.0);
        }
}

/* The k-distance of a row is the smallest eps that makes it core with min_samples = k. */
static void
test_k_distance_is_core_threshold (void)
{
  g_autoptr (CsMatrix) x = random_points (400, 2, 7);
  g_autofree double *kd = NULL;
  CsDbscanOptions o;

  g_assert_true (cs_dbscan_k_distance (x, 6, CS_DBSCAN_EUCLIDEAN, NULL, &kd, NULL));
  cs_dbscan_options_init (&o);
  o.min_samples = 6;
  for (gsize q = 50; q < 400; q += 100)
    {
      g_autoptr (CsClustering) c = NULL;
      gsize core = 0;
      gsize expect = 0;
      /* Halfway to the next larger value: sqrt and the squared comparison may round apart
       * at the value itself. */
      while (kd[q + 1] == kd[q])
        q++;
      o.eps = 0.5 * (kd[q] + kd[q + 1]);
      g_assert_true (cs_dbscan_run (x, &o, NULL, NULL, &c, NULL, NULL));
      for (gsize i = 0; i < 400; i++)
        {
          core += c->point_kinds[i] == CS_POINT_CORE;
          expect += kd[i] <= kd[q];
        }
      g_assert_cmpuint (core, ==, expect);
    }
}

static void
test_knee (void)
{
  double v[1000];

  /* Slow rise to row 899, then steep: the knee is the last slow value. */
  for (guint i = 0; i < 1000; i++)
    v[i] = i < 900 ? i * 0.001 : 0.899 + (i - 899) * 0.5;
  g_assert_cmpfloat (cs_dbscan_knee (v, 1000), ==, v[899]);
  /* A flat curve has no knee: its value. */
  for (guint i = 0; i < 1000; i++)
    v[i] = 2.5;
  g_assert_cmpfloat (cs_dbscan_knee (v, 1000), ==, 2.5);
  g_assert_cmpfloat (cs_dbscan_knee (v, 1), ==, 2.5);
}

/* eps = 0 is the knee of the min_samples-distance curve, recorded in the result's params, and
 * the same clustering as that eps given explicitly. */
static void
test_auto_eps (void)
{
  JsonObject *fx = fixture_case ("moons");
  JsonArray  *xs = json_object_get_array_member (fx, "x");
  gsize       n = json_object_get_int_member (fx, "n");
  g_autoptr (CsMatrix) x = cs_matrix_new (n, 2);
  const CsAlgorithm *algo = cs_registry_lookup ("dbscan");
  g_autoptr (CsParams) p = cs_params_new (algo);
  g_autoptr (CsClustering) a = NULL;
  g_autoptr (CsClustering) b = NULL;
  g_autofree double *kd = NULL;
  CsDbscanOptions o;
  double eps = 0.0;

  for (gsize i = 0; i < 2 * n; i++)
    x->data[i] = json_array_get_double_element (xs, i);
  g_assert_nonnull (algo);
  g_assert_true (algo->marks_noise);
  g_assert_cmpfloat (cs_params_get_double (p, "eps"), ==, 0.0);
  g_assert_true (cs_algorithm_run (algo, x, p, NULL, NULL, &a, NULL));
  eps = cs_params_get_double (a->params, "eps");
  g_assert_true (cs_dbscan_k_distance (x, 5, CS_DBSCAN_EUCLIDEAN, NULL, &kd, NULL));
  g_assert_cmpfloat (eps, ==, cs_dbscan_knee (kd, n));
  g_assert_cmpfloat (eps, >, 0.0);
  cs_dbscan_options_init (&o);
  o.eps = eps;
  g_assert_true (cs_dbscan_run (x, &o, NULL, NULL, &b, NULL, NULL));
  g_assert_cmpmem (a->labels, n * sizeof (int), b->labels, n * sizeof (int));
  /* Rows below the knee are core; the rule is conservative (0.126 here, where 0.17 would join
   * each moon into one cluster): the moons stay apart and a little noise is cut off. */
  {
    gsize below = 0;
    gsize upto = 0;
    gsize core = 0;
    gsize noise = 0;
    for (gsize i = 0; i < n; i++)
      {
        below += kd[i] < eps;
        upto += kd[i] <= eps;
        core += a->point_kinds[i] == CS_POINT_CORE;
        noise += a->labels[i] < 0;
      }
    g_assert_cmpuint (core, >=, below);
    g_assert_cmpuint (core, <=, upto);
    g_assert_cmpuint (below, >=, n / 2);
    g_assert_cmpuint (noise, <=, n / 10);
    g_assert_cmpuint (a->k, >=, 2);
  }
}

/* A radius wider than the data: one cluster of core rows, without neighbour lists. */
static void
test_huge_eps (void)
{
  g_autoptr (CsMatrix) x = random_points (3000, 2, 3);
  g_autoptr (CsClustering) c = NULL;
  CsDbscanOptions o;

  cs_dbscan_options_init (&o);
  o.eps = 1e6;
  g_assert_true (cs_dbscan_run (x, &o, NULL, NULL, &c, NULL, NULL));
  g_assert_cmpuint (c->k, ==, 1);
  for (gsize i = 0; i < 3000; i++)
    {
      g_assert_cmpint (c->labels[i], ==, 0);
      g_assert_cmpint (c->point_kinds[i], ==, CS_POINT_CORE);
    }
}

static void
test_refusals (void)
{
  g_autoptr (CsMatrix) x = random_points (50, 2, 1);
  g_autoptr (CsMatrix) same = cs_matrix_new (20, 2);
  CsDbscanOptions o;
  CsClustering *c = NULL;
  GError *error = NULL;
  double *kd = NULL;

  cs_dbscan_options_init (&o);
  o.eps = -1.0;
  g_assert_false (cs_dbscan_run (x, &o, NULL, NULL, &c, NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
  g_assert_nonnull (strstr (error->message, "eps"));
  g_clear_error (&error);

  o.eps = 1e-20;
  g_assert_false (cs_dbscan_run (x, &o, NULL, NULL, &c, NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
  g_assert_nonnull (strstr (error->message, "larger eps"));
  g_clear_error (&error);

  o.eps = 1.0;
  o.min_samples = 0;
  g_assert_false (cs_dbscan_run (x, &o, NULL, NULL, &c, NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
  g_clear_error (&error);

  /* Identical rows give a k-distance curve of 0: no automatic radius. */
  o.eps = 0.0;
  o.min_samples = 5;
  g_assert_false (cs_dbscan_run (same, &o, NULL, NULL, &c, NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "-p eps="));
  g_clear_error (&error);

  g_assert_false (cs_dbscan_k_distance (x, 51, CS_DBSCAN_EUCLIDEAN, NULL, &kd, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  x->data[7] = NAN;
  o.eps = 1.0;
  g_assert_false (cs_dbscan_run (x, &o, NULL, NULL, &c, NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Row 4"));
  g_clear_error (&error);
  g_assert_null (c);
  g_assert_null (kd);
}

/* The result JSON carries the counts and the kind of every row. */
static void
test_json_kinds (void)
{
  JsonObject *fx = fixture_case ("blobs-noise");
  JsonArray  *xs = json_object_get_array_member (fx, "x");
  gsize       n = json_object_get_int_member (fx, "n");
  g_autoptr (CsMatrix) x = cs_matrix_new (n, 2);
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (JsonObject) o = NULL;
  JsonArray *kinds;
  CsDbscanOptions opt;

  for (gsize i = 0; i < 2 * n; i++)
    x->data[i] = json_array_get_double_element (xs, i);
  cs_dbscan_options_init (&opt);
  opt.eps = 0.5;
  opt.min_samples = 8;
  g_assert_true (cs_dbscan_run (x, &opt, NULL, NULL, &c, NULL, NULL));
  o = cs_clustering_to_json (c);
  g_assert_cmpint (json_object_get_int_member (o, "core"), ==, json_object_get_int_member (fx, "core"));
  g_assert_cmpint (json_object_get_int_member (o, "border"), ==, json_object_get_int_member (fx, "border"));
  g_assert_cmpint (json_object_get_int_member (o, "noise"), ==, json_object_get_int_member (fx, "noise"));
  kinds = json_object_get_array_member (o, "point_kinds");
  g_assert_cmpuint (json_array_get_length (kinds), ==, n);
  for (gsize i = 0; i < n; i++)
    {
      static const char *const names[] = { "noise", "core", "border" };
      g_assert_cmpstr (json_array_get_string_element (kinds, i), ==,
                       names[json_array_get_int_element (json_object_get_array_member (fx, "kinds"), i)]);
    }
}

int
main (int argc, char **argv)
{
  JsonArray *cases;
  int rc;

  g_test_init (&argc, &argv, NULL);
  cases = fixture_cases ();
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      const char *name = json_object_get_string_member (json_array_get_object_element (cases, i), "name");
      g_autofree char *path = g_strdup_printf ("/core/dbscan/matches-sklearn/%s", name);
      g_test_add_data_func (path, name, test_matches_sklearn);
    }
  g_test_add_func ("/core/dbscan/shared-border-goes-to-first-cluster", test_shared_border_rule);
  g_test_add_func ("/core/dbscan/k-distance/matches-brute-force", test_k_distance_brute_force);
  g_test_add_func ("/core/dbscan/k-distance/is-core-threshold", test_k_distance_is_core_threshold);
  g_test_add_func ("/core/dbscan/knee", test_knee);
  g_test_add_func ("/core/dbscan/auto-eps-is-knee", test_auto_eps);
  g_test_add_func ("/core/dbscan/huge-eps-one-cluster", test_huge_eps);
  g_test_add_func ("/core/dbscan/refusals", test_refusals);
  g_test_add_func ("/core/dbscan/json-has-kinds", test_json_kinds);
  rc = g_test_run ();
  g_clear_object (&fixtures);
  return rc;
}
