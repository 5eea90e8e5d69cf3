/* HDBSCAN against an independent reference (tests/fixtures/make_hdbscan_fixtures.py: scipy's
 * Kruskal MST on the full mutual-reachability matrix, a recursive condensed tree; Debian's
 * scikit-learn 1.2 has no HDBSCAN): the same partition and the same noise rows on clusters of
 * different density, moons, Manhattan distances in 4-D and single linkage condensed
 * (min_samples 1); then the refusals, all noise, and cancel. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "test-common.h"

#include "core/base/cs-error.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-hdbscan.h"
#include "core/cluster/cs-registry.h"
#include "core/cluster/cs-result-io.h"
#include "core/metrics/cs-metrics.h"

static JsonParser *fixtures;

static JsonObject *
fixture_case (const char *name)
{
  JsonArray *cases;

  if (fixtures == NULL)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "hdbscan", "hdbscan-fixtures.json",
                                                     NULL);
      g_autoptr (GError) error = NULL;

      fixtures = json_parser_new ();
      json_parser_load_from_file (fixtures, path, &error);
      g_assert_no_error (error);
    }
  cases = json_object_get_array_member (json_node_get_object (json_parser_get_root (fixtures)), "cases");
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
test_matches_reference (gconstpointer data)
{
  JsonObject *fx = fixture_case (data);
  gsize       n = json_object_get_int_member (fx, "n");
  gsize       d = json_object_get_int_member (fx, "d");
  JsonArray  *xs = json_object_get_array_member (fx, "x");
  JsonArray  *ls = json_object_get_array_member (fx, "labels");
  g_autoptr (CsMatrix) x = cs_matrix_new (n, d);
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree int *want = g_new (int, n);
  g_autofree int *want_clustered = g_new (int, n);
  g_autofree int *ours_clustered = g_new (int, n);
  gsize            m = 0, noise = 0;
  CsHdbscanOptions o;

  for (gsize i = 0; i < n * d; i++)
    x->data[i] = json_array_get_double_element (xs, i);
  for (gsize i = 0; i < n; i++)
    want[i] = (int) json_array_get_int_element (ls, i);
  cs_hdbscan_options_init (&o);
  o.min_cluster_size = json_object_get_int_member (fx, "min_cluster_size");
  o.min_samples = json_object_get_int_member (fx, "min_samples");
  o.metric = g_str_equal (json_object_get_string_member (fx, "metric"), "manhattan") ? CS_HDBSCAN_MANHATTAN
                                                                                      : CS_HDBSCAN_EUCLIDEAN;
  g_assert_true (cs_hdbscan_run (x, &o, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c->k, ==, json_object_get_int_member (fx, "clusters"));
  /* The same rows are noise, and the others fall into the same groups. */
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpint (c->labels[i] < 0, ==, want[i] < 0);
      g_assert_cmpint (c->labels[i], <, (int) c->k);
      if (want[i] >= 0)
        {
          want_clustered[m] = want[i];
          ours_clustered[m++] = c->labels[i];
        }
      else
        noise++;
    }
  g_assert_cmpuint (noise, ==, json_object_get_int_member (fx, "noise"));
  g_assert_cmpfloat (c->objective, ==, (double) noise);
  g_assert_cmpfloat (cs_metric_ari (want_clustered, ours_clustered, m), ==, 1.0);
}

static CsMatrix *
blobs (gsize n, guint64 seed)
{
  CsMatrix *x = cs_matrix_new (n, 2);
  CsRng     rng;

  cs_rng_init (&rng, seed);
  for (gsize i = 0; i < n * 2; i++)
    x->data[i] = cs_rng_normal (&rng) + 10.0 * (double) ((i / 2) % 3);
  return x;
}

/* min_cluster_size of all the rows: no split leaves two parts that big, so every row is noise;
 * more than the rows is refused with the parameter's name, as is min_samples. */
static void
test_all_noise_and_refusals (void)
{
  g_autoptr (CsMatrix) x = blobs (60, 1);
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (GError) error = NULL;
  CsHdbscanOptions o;

  cs_hdbscan_options_init (&o);
  o.min_cluster_size = 60;
  o.min_samples = 5;
  g_assert_true (cs_hdbscan_run (x, &o, NULL, NULL, &c, &error));
  g_assert_cmpuint (c->k, ==, 0);
  for (gsize i = 0; i < 60; i++)
    g_assert_cmpint (c->labels[i], ==, -1);
  g_clear_pointer (&c, cs_clustering_unref);

  o.min_cluster_size = 61;
  g_assert_false (cs_hdbscan_run (x, &o, NULL, NULL, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "min_cluster_size = 61"));
  g_clear_error (&error);
  o.min_cluster_size = 5;
  o.min_samples = 100;
  g_assert_false (cs_hdbscan_run (x, &o, NULL, NULL, &c, &error));
  g_assert_nonnull (strstr (error->message, "min_samples = 100"));
  g_clear_error (&error);

  /* the three blobs, found whatever their order */
  o.min_samples = 0;
  g_assert_true (cs_hdbscan_run (x, &o, NULL, NULL, &c, &error));
  g_assert_cmpuint (c->k, ==, 3);
}

/* The condensed tree in the result's JSON, on each reference fixture: every cluster's rows are
 * exactly what leaves it (its child rows and child clusters' sizes add up to its size: nothing
 * is lost or counted twice), a child leaves no earlier than its parent was born, and a selected
 * cluster's rows (the rows under it in the tree) are exactly the rows with its label, the rest
 * being noise. */
static void
test_condensed_tree_json (gconstpointer data)
{
  JsonObject *fx = fixture_case (data);
  gsize       n = json_object_get_int_member (fx, "n");
  gsize       d = json_object_get_int_member (fx, "d");
  JsonArray  *xs = json_object_get_array_member (fx, "x");
  g_autoptr (CsMatrix) x = cs_matrix_new (n, d);
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) json = NULL;
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  JsonObject *tree;
  JsonArray  *edges, *clusters;
  gsize       nc;
  g_autofree gsize  *size = NULL, *leaving = NULL;
  g_autofree double *birth = NULL;
  g_autofree gssize *parent = NULL;
  g_autofree int    *label = NULL, *row_label = NULL;
  guint       selected = 0;
  CsHdbscanOptions o;

  for (gsize i = 0; i < n * d; i++)
    x->data[i] = json_array_get_double_element (xs, i);
  cs_hdbscan_options_init (&o);
  o.min_cluster_size = json_object_get_int_member (fx, "min_cluster_size");
  o.min_samples = json_object_get_int_member (fx, "min_samples");
  o.metric = g_str_equal (json_object_get_string_member (fx, "metric"), "manhattan") ? CS_HDBSCAN_MANHATTAN
                                                                                      : CS_HDBSCAN_EUCLIDEAN;
  g_assert_true (cs_hdbscan_run (x, &o, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  /* Through the writer and a parser, as a reader of the CLI's output gets it. */
  json = cs_clustering_to_json (c);
  json_node_set_object (root, json);
  text = cs_json_to_string (root, FALSE, NULL);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  tree = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "condensed_tree");
  g_assert_nonnull (tree);
  edges = json_object_get_array_member (tree, "edges");
  clusters = json_object_get_array_member (tree, "clusters");
  nc = json_array_get_length (clusters);
  g_assert_cmpuint (nc, >=, 1);
  size = g_new0 (gsize, nc);
  leaving = g_new0 (gsize, nc);
  birth = g_new0 (double, nc);
  parent = g_new (gssize, nc);
  label = g_new (int, nc);
  row_label = g_new (int, n);
  for (gsize ci = 0; ci < nc; ci++)
    {
      JsonObject *co = json_array_get_object_element (clusters, ci);

      g_assert_cmpint (json_object_get_int_member (co, "id"), ==, (gint64) (n + ci));
      label[ci] = (int) json_object_get_int_member (co, "label");
      parent[ci] = -1;
      if (label[ci] >= 0)
        selected++;
    }
  g_assert_cmpuint (selected, ==, c->k);
  size[0] = n;
  /* Edges come parents first (the tree is built top down). */
  for (guint e = 0; e < json_array_get_length (edges); e++)
    {
      JsonArray *row = json_array_get_array_element (edges, e);
      gsize      p = (gsize) json_array_get_int_element (row, 0);
      gsize      ch = (gsize) json_array_get_int_element (row, 1);
      double     lambda = json_array_get_null_element (row, 2) ? INFINITY : json_array_get_double_element (row, 2);
      gsize      sz = (gsize) json_array_get_int_element (row, 3);

      g_assert_cmpuint (p, >=, n);
      g_assert_cmpuint (p - n, <, nc);
      g_assert_cmpfloat (lambda, >=, birth[p - n]);
      leaving[p - n] += sz;
      if (ch < n)
        g_assert_cmpuint (sz, ==, 1);
      else
        {
          g_assert_cmpuint (ch - n, >, p - n);
          g_assert_cmpint (parent[ch - n], ==, -1);
          parent[ch - n] = (gssize) (p - n);
          size[ch - n] = sz;
          birth[ch - n] = lambda;
          g_assert_cmpuint (sz, >=, o.min_cluster_size);
        }
    }
  for (gsize ci = 0; ci < nc; ci++)
    {
      g_assert_cmpuint (leaving[ci], ==, size[ci]);
      g_assert_true (ci == 0 || parent[ci] >= 0);
    }
  /* Rows: the label of the selected cluster above them, else noise. */
  for (gsize i = 0; i < n; i++)
    row_label[i] = -2;
  for (guint e = 0; e < json_array_get_length (edges); e++)
    {
      JsonArray *row = json_array_get_array_element (edges, e);
      gsize      p = (gsize) json_array_get_int_element (row, 0) - n;
      gsize      ch = (gsize) json_array_get_int_element (row, 1);
      int        l = -1;

      if (ch >= n)
        continue;
      g_assert_cmpint (row_label[ch], ==, -2);
      for (gssize a = (gssize) p; a >= 0 && l < 0; a = parent[a])
        l = label[a];
      row_label[ch] = l;
    }
  for (gsize i = 0; i < n; i++)
    g_assert_cmpint (row_label[i], ==, c->labels[i]);
}

static gboolean
cancel_soon (double fraction, const char *stage, gpointer data)
{
  (void) stage;
  (void) fraction;
  return g_atomic_int_add ((gint *) data, 1) < 3;
}

static void
test_cancel (void)
{
  g_autoptr (CsMatrix) x = blobs (20000, 2);
  gint calls = 0;
  g_autoptr (CsProgress) progress = cs_progress_new (cancel_soon, &calls, NULL);
  g_autoptr (GError) error = NULL;
  CsClustering    *c = NULL;
  CsHdbscanOptions o;

  cs_hdbscan_options_init (&o);
  g_assert_false (cs_hdbscan_run (x, &o, progress, NULL, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  g_assert_null (c);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/core/hdbscan/reference/varying-density", "varying-density", test_matches_reference);
  g_test_add_data_func ("/core/hdbscan/reference/moons", "moons", test_matches_reference);
  g_test_add_data_func ("/core/hdbscan/reference/blobs-4d-manhattan", "blobs-4d-manhattan", test_matches_reference);
  g_test_add_data_func ("/core/hdbscan/reference/overlapping-min1", "overlapping-min1", test_matches_reference);
  g_test_add_func ("/core/hdbscan/all-noise-and-refusals", test_all_noise_and_refusals);
  g_test_add_data_func ("/core/hdbscan/condensed-tree/varying-density", "varying-density", test_condensed_tree_json);
  g_test_add_data_func ("/core/hdbscan/condensed-tree/moons", "moons", test_condensed_tree_json);
  g_test_add_data_func ("/core/hdbscan/condensed-tree/overlapping-min1", "overlapping-min1",
                        test_condensed_tree_json);
  g_test_add_func ("/core/hdbscan/cancel", test_cancel);
  rc = g_test_run ();
  g_clear_object (&fixtures);
  return rc;
}
