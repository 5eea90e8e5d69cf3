/* PPP: three separated blobs give three clusters and one Gaussian gives one; the partition
 * does not depend on the order of the rows (and there is no seed to depend on); the split tree
 * accounts for every row and says why each leaf stopped; the thresholds are honoured. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "test-common.h"

#include "core/base/cs-error.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-ppp.h"
#include "core/cluster/cs-result-io.h"
#include "core/metrics/cs-metrics.h"

/* n rows of `blobs` Gaussians (sd 1) with growing gaps (10, 20, 30 …) in 2-D; truth gets the
 * blob of each. Equal gaps would let the first 2-means split halve the middle blob, a split the
 * mixture rightly refuses, and PPP would stop there (docs/algorithms.md). */
static CsMatrix *
make_blobs (gsize n, guint blobs, guint64 seed, int *truth)
{
  CsMatrix *x = cs_matrix_new (n, 2);
  CsRng rng;

  cs_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    {
      guint b = (guint) (i % blobs);
      x->data[2 * i] = 5.0 * b * (b + 1) + cs_rng_normal (&rng);
      x->data[2 * i + 1] = (b % 2 ? 6.0 : 0.0) + cs_rng_normal (&rng);
      if (truth)
        truth[i] = (int) b;
    }
  return x;
}

static CsClustering *
run_ppp (const CsMatrix *x, const CsPppOptions *o)
{
  CsClustering *c = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (cs_ppp_run (x, o, NULL, &c, &error));
  g_assert_no_error (error);
  return c;
}

/* Every row in exactly one leaf, children splitting their parent, leaves numbered 0 … k − 1. */
static void
assert_tree_consistent (const CsClustering *c)
{
  const CsPppTree *t = c->ppp;
  gsize leaf_rows = 0;
  guint leaves = 0;

  g_assert_nonnull (t);
  g_assert_cmpuint (t->n_nodes, >=, 1);
  g_assert_cmpuint (t->nodes[0].size, ==, c->n);
  for (guint i = 0; i < t->n_nodes; i++)
    {
      const CsPppNode *nd = &t->nodes[i];

      if (nd->left >= 0)
        {
          g_assert_cmpint (nd->verdict, ==, CS_PPP_ACCEPTED);
          g_assert_cmpuint (t->nodes[nd->left].size + t->nodes[nd->right].size, ==, nd->size);
          g_assert_cmpuint (t->nodes[nd->left].size, ==, nd->size_a);
          g_assert_cmpint (t->nodes[nd->left].parent, ==, (int) i);
          g_assert_cmpint (nd->cluster, ==, -1);
          /* Accepted means every test passed, with the numbers to show it. */
          g_assert_cmpfloat (nd->agreement, >=, t->options.min_agreement);
          g_assert_cmpfloat (nd->confident, >=, t->options.min_confident);
          g_assert_cmpfloat (nd->bic_two, <, nd->bic_one);
        }
      else
        {
          g_assert_cmpint (nd->verdict, !=, CS_PPP_ACCEPTED);
          g_assert_cmpint (nd->cluster, >=, 0);
          g_assert_cmpint (nd->cluster, <, (int) c->k);
          leaf_rows += nd->size;
          leaves++;
        }
    }
  g_assert_cmpuint (leaf_rows, ==, c->n);
  g_assert_cmpuint (leaves, ==, c->k);
}

static void
test_three_blobs (void)
{
  gsize n = 600;
  g_autofree int *truth = g_new (int, n);
  g_autoptr (CsMatrix) x = make_blobs (n, 3, 1, truth);
  CsPppOptions o;
  g_autoptr (CsClustering) c = NULL;

  cs_ppp_options_init (&o);
  c = run_ppp (x, &o);
  g_assert_cmpuint (c->k, ==, 3);
  g_assert_cmpfloat (cs_metric_ari (truth, c->labels, n), ==, 1.0);
  assert_tree_consistent (c);
  /* Two accepted splits, three leaves refused for a reason other than size. */
  g_assert_cmpuint (c->ppp->n_nodes, ==, 5);
}

static void
test_one_gaussian (void)
{
  gsize n = 800;
  g_autoptr (CsMatrix) x = cs_matrix_new (n, 3);
  CsRng rng;
  CsPppOptions o;
  g_autoptr (CsClustering) c = NULL;

  cs_rng_init (&rng, 2);
  for (gsize i = 0; i < n * 3; i++)
    x->data[i] = cs_rng_normal (&rng) * (i % 3 + 1);
  cs_ppp_options_init (&o);
  c = run_ppp (x, &o);
  g_assert_cmpuint (c->k, ==, 1);
  assert_tree_consistent (c);
  g_assert_cmpuint (c->ppp->n_nodes, ==, 1);
  /* A 2-means split of one Gaussian is tried, and refused by the mixture's tests. */
  g_assert_true (c->ppp->nodes[0].verdict == CS_PPP_AGREEMENT || c->ppp->nodes[0].verdict == CS_PPP_POSTERIOR
                 || c->ppp->nodes[0].verdict == CS_PPP_BIC);
  g_assert_true (isfinite (c->ppp->nodes[0].agreement));
}

/* The same rows in another order give the same partition and tree. */
static void
test_shuffled_rows (void)
{
  gsize n = 450;
  g_autofree int *truth = g_new (int, n);
  g_autoptr (CsMatrix) x = make_blobs (n, 4, 3, truth);
  g_autoptr (CsMatrix) y = cs_matrix_new (n, 2);
  g_autofree gsize *perm = g_new (gsize, n);
  g_autofree int *back = g_new (int, n);
  CsRng rng;
  CsPppOptions o;
  g_autoptr (CsClustering) a = NULL;
  g_autoptr (CsClustering) b = NULL;

  for (gsize i = 0; i < n; i++)
    perm[i] = i;
  cs_rng_init (&rng, 99);
  cs_rng_sample_front (&rng, perm, n, n);
  for (gsize i = 0; i < n; i++)
    memcpy (cs_matrix_row (y, i), cs_matrix_row (x, perm[i]), 2 * sizeof (double));
  cs_ppp_options_init (&o);
  a = run_ppp (x, &o);
  b = run_ppp (y, &o);
  for (gsize i = 0; i < n; i++)
    back[perm[i]] = b->labels[i];
  g_assert_cmpuint (a->k, ==, 4);
  g_assert_cmpuint (b->k, ==, a->k);
  /* Same clusters with the same numbers: the leaves are numbered by the tree, not by rows. */
  g_assert_cmpmem (a->labels, n * sizeof (int), back, n * sizeof (int));
  g_assert_cmpuint (a->ppp->n_nodes, ==, b->ppp->n_nodes);
  for (guint i = 0; i < a->ppp->n_nodes; i++)
    {
      g_assert_cmpuint (a->ppp->nodes[i].size, ==, b->ppp->nodes[i].size);
      g_assert_cmpint (a->ppp->nodes[i].verdict, ==, b->ppp->nodes[i].verdict);
    }
}

/* No k and no seed to set: nothing random to depend on. */
static void
test_registry_entry (void)
{
  const CsAlgorithm *algo = cs_registry_lookup ("ppp");

  g_assert_nonnull (algo);
  g_assert_null (cs_algorithm_find_param (algo, "k"));
  g_assert_null (cs_algorithm_find_param (algo, "seed"));
  g_assert_nonnull (cs_algorithm_find_param (algo, "min_agreement"));
  g_assert_nonnull (cs_algorithm_find_param (algo, "min_confident"));
  g_assert_nonnull (cs_algorithm_find_param (algo, "posterior"));
  g_assert_nonnull (cs_algorithm_find_param (algo, "min_size"));
}

static void
test_thresholds (void)
{
  gsize n = 300;
  g_autoptr (CsMatrix) x = make_blobs (n, 3, 4, NULL);
  CsPppOptions o;
  g_autoptr (CsClustering) big = NULL;
  g_autoptr (CsClustering) capped = NULL;

  /* Halves must hold 151 rows: the root cannot be split at all. */
  cs_ppp_options_init (&o);
  o.min_size = 151;
  big = run_ppp (x, &o);
  g_assert_cmpuint (big->k, ==, 1);
  g_assert_cmpint (big->ppp->nodes[0].verdict, ==, CS_PPP_TOO_SMALL);
  /* Halves of 120: the first split (100 | 200) is tried and refused for size. */
  o.min_size = 120;
  g_clear_pointer (&big, cs_clustering_unref);
  big = run_ppp (x, &o);
  g_assert_cmpuint (big->k, ==, 1);
  g_assert_cmpint (big->ppp->nodes[0].verdict, ==, CS_PPP_MIN_SIZE);
  /* At most two clusters. */
  cs_ppp_options_init (&o);
  o.max_k = 2;
  capped = run_ppp (x, &o);
  g_assert_cmpuint (capped->k, ==, 2);
  assert_tree_consistent (capped);
}

static void
test_json (void)
{
  g_autoptr (CsMatrix) x = make_blobs (300, 3, 5, NULL);
  CsPppOptions o;
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (JsonObject) j = NULL;
  JsonObject *tree;

  cs_ppp_options_init (&o);
  c = run_ppp (x, &o);
  j = cs_clustering_to_json (c);
  g_assert_cmpint (json_object_get_int_member (j, "k"), ==, 3);
  g_assert_false (json_object_has_member (j, "tight"));
  tree = json_object_get_object_member (j, "ppp");
  g_assert_nonnull (tree);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (tree, "nodes")), ==, c->ppp->n_nodes);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (tree, "nodes"), 0), "verdict"),
                   ==, "accepted");
}

static gboolean
cancel_now (double fraction, const char *stage, gpointer data)
{
  return FALSE;
}

static void
test_cancel (void)
{
  g_autoptr (CsMatrix) x = make_blobs (3000, 5, 6, NULL);
  g_autoptr (CsProgress) progress = cs_progress_new (cancel_now, NULL, NULL);
  CsPppOptions o;
  CsClustering *c = NULL;
  g_autoptr (GError) error = NULL;

  cs_ppp_options_init (&o);
  g_assert_false (cs_ppp_run (x, &o, progress, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  g_assert_null (c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/ppp/three-blobs-three-clusters", test_three_blobs);
  g_test_add_func ("/core/ppp/one-gaussian-one-cluster", test_one_gaussian);
  g_test_add_func ("/core/ppp/shuffled-rows-same-partition", test_shuffled_rows);
  g_test_add_func ("/core/ppp/no-k-no-seed", test_registry_entry);
  g_test_add_func ("/core/ppp/thresholds-honoured", test_thresholds);
  g_test_add_func ("/core/ppp/json-has-tree", test_json);
  g_test_add_func ("/core/ppp/cancel", test_cancel);
  return g_test_run ();
}
