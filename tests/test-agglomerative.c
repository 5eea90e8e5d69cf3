/* Agglomerative clustering against SciPy and scikit-learn on stored fixtures
 * (tests/fixtures/make_agglomerative_fixtures.py, run once): the linkage matrix row for row for
 * every linkage, the leaf order, labels at k (scikit-learn's partition) and at a height (SciPy's
 * fcluster), SciPy's tie-breaking on a lattice, the memory refusal, cancel, threads and the trace. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "test-common.h"

#include "core/base/cs-error.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-agglomerative.h"
#include "core/cluster/cs-registry.h"
#include "core/metrics/cs-metrics.h"

static JsonParser *fixtures;

static const char *const methods[] = { "ward", "average", "complete", "single" };

static JsonArray *
fixture_cases (void)
{
  if (fixtures == NULL)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "agglomerative",
                                                     "agglomerative-fixtures.json", NULL);
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

static CsMatrix *
fixture_x (JsonObject *fx)
{
  gsize      n = json_object_get_int_member (fx, "n");
  gsize      d = json_object_get_int_member (fx, "d");
  JsonArray *a = json_object_get_array_member (fx, "x");
  CsMatrix  *x = cs_matrix_new (n, d);

  g_assert_cmpuint (json_array_get_length (a), ==, n * d);
  for (gsize i = 0; i < n * d; i++)
    x->data[i] = json_array_get_double_element (a, i);
  return x;
}

static int *
json_ints (JsonArray *a)
{
  int *v = g_new (int, json_array_get_length (a));

  for (guint i = 0; i < json_array_get_length (a); i++)
    v[i] = (int) json_array_get_int_element (a, i);
  return v;
}

/* Row for row: the same clusters merged, the same sizes, heights within rounding (tol relative;
 * 0 asks for bit equality). */
static void
assert_merges (const CsClustering *c, JsonArray *ref, double tol)
{
  g_assert_nonnull (c->merges);
  g_assert_cmpuint (json_array_get_length (ref), ==, c->n - 1);
  for (gsize r = 0; r + 1 < c->n; r++)
    {
      JsonArray    *row = json_array_get_array_element (ref, r);
      const double *z = c->merges + r * 4;

      g_assert_cmpfloat (z[0], ==, json_array_get_double_element (row, 0));
      g_assert_cmpfloat (z[1], ==, json_array_get_double_element (row, 1));
      g_assert_cmpfloat (z[3], ==, json_array_get_double_element (row, 3));
      if (tol == 0)
        g_assert_cmpfloat (z[2], ==, json_array_get_double_element (row, 2));
      else
        g_assert_cmpfloat_with_epsilon (z[2], json_array_get_double_element (row, 2),
                                        tol * MAX (1.0, fabs (z[2])));
    }
}

static CsClustering *
run (const CsMatrix *x, CsLinkage linkage, guint k, double height)
{
  CsAgglomerativeOptions o;
  CsClustering          *c = NULL;
  g_autoptr (GError) error = NULL;

  cs_agglomerative_options_init (&o);
  o.linkage = linkage;
  o.k = k;
  o.height = height;
  g_assert_true (cs_agglomerative_run (x, &o, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  return c;
}

/* Every linkage on three data sets: SciPy's linkage matrix, SciPy's leaf order, scikit-learn's
 * partition at k (ARI 1) and fcluster's partition at a height between two merges. */
static void
test_matches_scipy (gconstpointer data)
{
  JsonObject *fx = fixture_case (data);
  g_autoptr (CsMatrix) x = fixture_x (fx);
  guint       k = json_object_get_int_member (fx, "k");
  JsonObject *ms = json_object_get_object_member (fx, "methods");

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      JsonObject *ref = json_object_get_object_member (ms, methods[m]);
      g_autoptr (CsClustering) c = NULL;
      g_autoptr (CsClustering) ch = NULL;
      g_autofree int   *sk = json_ints (json_object_get_array_member (ref, "sklearn_labels"));
      g_autofree int   *fc = json_ints (json_object_get_array_member (ref, "fcluster_labels"));
      g_autofree int   *leaves = json_ints (json_object_get_array_member (ref, "leaves"));
      g_autofree gsize *order = g_new (gsize, x->rows);
      CsLinkage         linkage;

      g_test_message ("%s, %s linkage", (const char *) data, methods[m]);
      g_assert_true (cs_linkage_from_id (methods[m], &linkage));
      c = run (x, linkage, k, 0);
      /* Ward runs on centroids, not SciPy's Lance–Williams recurrence: equal up to rounding. */
      assert_merges (c, json_object_get_array_member (ref, "merges"), 1e-9);
      g_assert_cmpuint (c->k, ==, k);
      g_assert_cmpfloat (cs_metric_ari (c->labels, sk, x->rows), ==, 1.0);
      /* Canonical numbering: row 0 in cluster 0, each new number at its first row. */
      {
        int next = 0;
        for (gsize i = 0; i < x->rows; i++)
          {
            g_assert_cmpint (c->labels[i], <=, next);
            if (c->labels[i] == next)
              next++;
          }
      }
      cs_agglomerative_leaf_order (c->merges, x->rows, order);
      for (gsize i = 0; i < x->rows; i++)
        g_assert_cmpuint (order[i], ==, (gsize) leaves[i]);

      ch = run (x, linkage, 1, json_object_get_double_member (ref, "height"));
      g_assert_cmpfloat (cs_metric_ari (ch->labels, fc, x->rows), ==, 1.0);
      g_assert_cmpuint (ch->k, ==, k);
    }
}

/* Integer lattice: many exact ties. On the same distances (the matrix path repeats SciPy's
 * arithmetic) the tie-breaking is SciPy's, so the matrices agree bit for bit. */
static void
test_lattice_ties (void)
{
  JsonObject *fx = fixture_case ("lattice");
  g_autoptr (CsMatrix) x = fixture_x (fx);
  g_autoptr (CsDissim) D = cs_dissim_new_from_matrix (x, CS_METRIC_EUCLIDEAN, FALSE, NULL, NULL);
  g_autoptr (CsDissim) M = cs_dissim_new_from_matrix (x, CS_METRIC_MANHATTAN, FALSE, NULL, NULL);
  JsonObject *ms = json_object_get_object_member (fx, "methods");
  CsAgglomerativeOptions o;

  cs_agglomerative_options_init (&o);
  o.k = 1;
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_autoptr (CsClustering) c = NULL;
      g_autoptr (GError) error = NULL;

      g_test_message ("lattice, %s linkage", methods[m]);
      g_assert_true (cs_linkage_from_id (methods[m], &o.linkage));
      g_assert_true (cs_agglomerative_run_dissim (D, &o, NULL, NULL, &c, &error));
      g_assert_no_error (error);
      assert_merges (c, json_object_get_array_member (json_object_get_object_member (ms, methods[m]), "merges"),
                     0);
      g_assert_cmpuint (c->k, ==, 1);
    }
  {
    g_autoptr (CsClustering) c = NULL;
    g_autoptr (CsClustering) on_x = NULL;
    g_autoptr (GError) error = NULL;

    o.linkage = CS_LINKAGE_AVERAGE;
    g_assert_true (cs_agglomerative_run_dissim (M, &o, NULL, NULL, &c, &error));
    g_assert_no_error (error);
    assert_merges (c, json_object_get_array_member (fx, "manhattan_average"), 0);
    /* and from the coordinates with the Manhattan metric */
    o.metric = CS_METRIC_MANHATTAN;
    g_assert_true (cs_agglomerative_run (x, &o, NULL, NULL, &on_x, &error));
    g_assert_no_error (error);
    assert_merges (on_x, json_object_get_array_member (fx, "manhattan_average"), 0);
  }
}

static CsMatrix *
random_points (gsize n, gsize d, guint64 seed)
{
  CsMatrix *x = cs_matrix_new (n, d);
  CsRng     rng;

  cs_rng_init (&rng, seed);
  for (gsize i = 0; i < n * d; i++)
    x->data[i] = cs_rng_normal (&rng) + 6.0 * (double) ((i / d) % 4);
  return x;
}

/* A matrix past the memory budget is refused before it is allocated, with the size, the rows
 * and what needs no matrix; Ward on coordinates needs none and runs. */
static void
test_refuses_large_matrix (void)
{
  g_autoptr (CsMatrix) x = random_points (3000, 2, 1);
  g_autoptr (GError) error = NULL;
  CsAgglomerativeOptions o;
  CsClustering          *c = NULL;
  g_autofree char       *saved = g_strdup (g_getenv ("CLUSTERSCOPE_MEMORY_LIMIT"));

  g_setenv ("CLUSTERSCOPE_MEMORY_LIMIT", "8M", TRUE);
  cs_agglomerative_options_init (&o);
  o.linkage = CS_LINKAGE_AVERAGE;
  g_assert_false (cs_agglomerative_run (x, &o, NULL, NULL, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_TOO_LARGE);
  g_assert_null (c);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "3,000 rows"));
  g_assert_nonnull (strstr (error->message, "0.03 GiB"));
  /* 8 MiB hold 1,440 rows: 1,440 · 1,439 / 2 · 8 + 64 · 1,440 = 8,380,800 bytes; 1,441 need 8,392,384 */
  g_assert_nonnull (strstr (error->message, "at most 1,440 rows fit"));
  g_assert_nonnull (strstr (error->message, "Ward or single linkage on Euclidean distances needs no matrix"));
  g_clear_error (&error);

  o.linkage = CS_LINKAGE_WARD;
  g_assert_true (cs_agglomerative_run (x, &o, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  g_clear_pointer (&c, cs_clustering_unref);
  o.linkage = CS_LINKAGE_SINGLE;
  g_assert_true (cs_agglomerative_run (x, &o, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  g_clear_pointer (&c, cs_clustering_unref);
  if (saved)
    g_setenv ("CLUSTERSCOPE_MEMORY_LIMIT", saved, TRUE);
  else
    g_unsetenv ("CLUSTERSCOPE_MEMORY_LIMIT");
}

static gboolean
cancel_at_first_report (double fraction, const char *stage, gpointer data)
{
  (void) stage;
  if (fraction > 0.01)
    g_atomic_int_set ((gint *) data, 1);
  return !g_atomic_int_get ((gint *) data);
}

/* Cancelled from the progress callback once 1 % is done: the run stops with CS_ERROR_CANCELLED
 * long before it would finish (each linkage path checks). */
static void
test_cancel (void)
{
  g_autoptr (CsMatrix) x = random_points (20000, 2, 2);

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      gint             flag = 0;
      g_autoptr (CsProgress) progress = cs_progress_new (cancel_at_first_report, &flag, NULL);
      g_autoptr (GError) error = NULL;
      CsAgglomerativeOptions o;
      CsClustering          *c = NULL;
      gsize                  n = m == 0 || m == 3 ? 20000 : 4000;
      g_autoptr (CsMatrix) sub = cs_matrix_new_from_data (n, 2, x->data);

      cs_agglomerative_options_init (&o);
      g_assert_true (cs_linkage_from_id (methods[m], &o.linkage));
      g_assert_false (cs_agglomerative_run (sub, &o, progress, NULL, &c, &error));
      g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
      g_assert_null (c);
    }
}

/* 1 and 2 threads give the same tree, bit for bit. The scans always split into the same fixed
 * slices (in parallel only above a work threshold this size stays under), so this checks the
 * slice combination and the parallel matrix fill. */
static void
test_threads (void)
{
#ifdef _OPENMP
  g_autoptr (CsMatrix) x = random_points (1500, 8, 3);
  int saved = omp_get_max_threads ();

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_autoptr (CsClustering) one = NULL;
      g_autoptr (CsClustering) two = NULL;
      CsLinkage linkage;

      g_assert_true (cs_linkage_from_id (methods[m], &linkage));
      omp_set_num_threads (1);
      one = run (x, linkage, 4, 0);
      omp_set_num_threads (2);
      two = run (x, linkage, 4, 0);
      g_assert_cmpmem (one->merges, (x->rows - 1) * 4 * sizeof (double), two->merges,
                       (x->rows - 1) * 4 * sizeof (double));
      g_assert_cmpmem (one->labels, x->rows * sizeof (int), two->labels, x->rows * sizeof (int));
    }
  omp_set_num_threads (saved);
#else
  g_test_skip ("built without OpenMP");
#endif
}

/* The trace plays the last merges before the cut: k goes down by one per step to the result's
 * k, each step's labels are the cut after that merge, and the last step is the result. */
static void
test_trace (void)
{
  g_autoptr (CsMatrix) x = random_points (300, 2, 4);
  g_autoptr (CsTrace) trace = cs_trace_new (40);
  g_autoptr (CsTrace) all = cs_trace_new (0);
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (CsClustering) c2 = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree int *labels = g_new (int, x->rows);
  CsAgglomerativeOptions o;

  cs_agglomerative_options_init (&o);
  o.k = 4;
  g_assert_true (cs_agglomerative_run (x, &o, NULL, trace, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (trace->steps->len, ==, 40);
  for (guint s = 0; s < trace->steps->len; s++)
    {
      CsTraceStep *st = g_ptr_array_index (trace->steps, s);
      gsize        r = (x->rows - o.k) - 40 + s; /* the merge this step shows */
      guint        k = cs_agglomerative_cut (c->merges, x->rows, r + 1, labels);

      g_assert_cmpuint (k, ==, o.k + 39 - s);
      g_assert_cmpmem (st->labels, x->rows * sizeof (int), labels, x->rows * sizeof (int));
      g_assert_cmpfloat (st->objective, ==, c->merges[r * 4 + 2]);
      g_assert_nonnull (st->note);
    }
  g_assert_cmpmem (((CsTraceStep *) g_ptr_array_index (trace->steps, 39))->labels, x->rows * sizeof (int),
                   c->labels, x->rows * sizeof (int));
  /* max_steps 0: the last 500 merges at most, here all 296 */
  g_assert_true (cs_agglomerative_run (x, &o, NULL, all, &c2, &error));
  g_assert_cmpuint (all->steps->len, ==, x->rows - o.k);
}

/* Parameters through the registry: the height wins over k, k beyond the rows is refused with
 * its name, one row is one cluster. */
static void
test_registry_params (void)
{
  const CsAlgorithm *algo = cs_registry_lookup ("agglomerative");
  g_autoptr (CsMatrix) x = random_points (100, 2, 5);
  g_autoptr (CsParams) p = NULL;
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (algo);
  p = cs_params_new (algo);
  g_assert_true (cs_params_set (p, "linkage", "single", &error));
  g_assert_true (cs_params_set (p, "k", "7", &error));
  g_assert_true (cs_algorithm_run (algo, x, p, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c->k, ==, 7);
  g_assert_cmpfloat (c->objective, ==, c->merges[(100 - 7 - 1) * 4 + 2]);
  g_clear_pointer (&c, cs_clustering_unref);

  /* a height above the last merge: one cluster whatever k says */
  g_assert_true (cs_params_set (p, "height", "1000", &error));
  g_assert_true (cs_algorithm_run (algo, x, p, NULL, NULL, &c, &error));
  g_assert_cmpuint (c->k, ==, 1);
  g_clear_pointer (&c, cs_clustering_unref);

  g_assert_true (cs_params_set (p, "height", "0", &error));
  g_assert_true (cs_params_set (p, "k", "101", &error));
  g_assert_false (cs_algorithm_run (algo, x, p, NULL, NULL, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "k = 101"));
  g_clear_error (&error);

  {
    g_autoptr (CsMatrix) one = random_points (1, 3, 6);
    g_assert_true (cs_params_set (p, "k", "1", &error));
    g_assert_true (cs_algorithm_run (algo, one, p, NULL, NULL, &c, &error));
    g_assert_cmpuint (c->k, ==, 1);
    g_assert_cmpint (c->labels[0], ==, 0);
  }
}

/* Distances that overflow to infinity (coordinates near 1e200) still give a tree: every
 * linkage finishes with n − 1 merges and sizes adding up. */
static void
test_infinite_distances (void)
{
  static const double pts[] = { 0, 0, 1, 0, 1e200, 0, -1e200, 0, 1e200, 1e200 };
  g_autoptr (CsMatrix) x = cs_matrix_new_from_data (5, 2, pts);

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_autoptr (CsClustering) c = NULL;
      CsLinkage linkage;

      g_assert_true (cs_linkage_from_id (methods[m], &linkage));
      c = run (x, linkage, 2, 0);
      g_assert_cmpfloat (c->merges[3 * 4 + 3], ==, 5);
      g_assert_cmpfloat (c->merges[0 * 4 + 2], ==, 1.0);
      g_assert_cmpuint (c->k, ==, 2);
    }
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/core/agglomerative/scipy/blobs", "blobs", test_matches_scipy);
  g_test_add_data_func ("/core/agglomerative/scipy/moons", "moons", test_matches_scipy);
  g_test_add_data_func ("/core/agglomerative/scipy/blobs-5d", "blobs-5d", test_matches_scipy);
  g_test_add_func ("/core/agglomerative/scipy/lattice-ties-bit-equal", test_lattice_ties);
  g_test_add_func ("/core/agglomerative/refuses-matrix-past-budget", test_refuses_large_matrix);
  g_test_add_func ("/core/agglomerative/cancel", test_cancel);
  g_test_add_func ("/core/agglomerative/threads-same-tree", test_threads);
  g_test_add_func ("/core/agglomerative/trace-plays-last-merges", test_trace);
  g_test_add_func ("/core/agglomerative/registry-params", test_registry_params);
  g_test_add_func ("/core/agglomerative/infinite-distances", test_infinite_distances);
  rc = g_test_run ();
  g_clear_object (&fixtures);
  return rc;
}
