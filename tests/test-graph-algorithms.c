/* The graph algorithms as registry entries (issue 13): the registry contract on a graph fixture
 * (the point contract in test-registry.c skips them), the pipeline on graph data (karate: the
 * default run finds the two clubs; the same labels as the entry run directly, which is what
 * `clusterscope-cli graph` does), refusal on tables of points, and the AMG block distance of
 * D'Ambra, Vassilevski & Cutillo: a hand-computed case and an attributed block model where the
 * structure is ambiguous and the attributes are not. */
#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "test-common.h"

#include "core/base/cs-error.h"
#include "core/base/cs-matrix-private.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-pipeline.h"
#include "core/cluster/cs-choose-k.h"
#include "core/cluster/cs-registry.h"
#include "core/data/cs-samples.h"
#include "core/graph/cs-graph-algorithms.h"
#include "core/graph/cs-graph-dataset.h"
#include "core/graph/cs-graph-kernel.h"
#include "core/graph/cs-kernel-cluster.h"
#include "core/metrics/cs-metrics.h"

/* Three blocks, dense inside, sparse between: every graph method finds them, so a wrong label
 * range or a thread-dependent answer is the method's fault. */
static CsGraph *
make_sbm (gsize per_block, guint64 seed)
{
  gsize sizes[3] = { per_block, per_block, per_block };
  g_autoptr (GError) error = NULL;
  CsGraph *g = cs_graph_new_sbm (sizes, 3, 0.3, 0.02, seed, &error);

  g_assert_no_error (error);
  return g;
}

static CsParams *
params_k (const CsAlgorithm *algo, guint k)
{
  CsParams *p = cs_params_new (algo);

  cs_params_set_int (p, "k", k);
  return p;
}

static CsClustering *
run_ok (const CsAlgorithm *algo, const CsGraph *g, const CsParams *p, CsProgress *progress)
{
  CsClustering *c = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (cs_algorithm_run_graph (algo, g, p, progress, NULL, &c, &error));
  g_assert_no_error (error);
  return c;
}

static void
test_graph_entries_listed (void)
{
  static const char *const ids[] = { "graph-kernel-kmeans", "graph-kernel-ward", "graph-spectral", "amg-spectral" };
  static const char *const cli[] = { "kernel-kmeans", "kernel-ward", "spectral", "amg-spectral" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const CsAlgorithm *algo = cs_registry_lookup (ids[i]);
      g_assert_nonnull (algo);
      g_assert_true (cs_algorithm_needs_graph (algo));
      g_assert_cmpstr (algo->category, ==, "Graph");
      /* The CLI's graph names reach the same entries; the point entries keep the plain names. */
      g_assert_true (cs_graph_algorithm_lookup (cli[i]) == algo);
      g_assert_true (cs_graph_algorithm_lookup (ids[i]) == algo);
    }
  g_assert_false (cs_algorithm_needs_graph (cs_registry_lookup ("spectral")));
  g_assert_null (cs_graph_algorithm_lookup ("kmeans"));
  /* The kernel choices are the kernels, in CsGraphKernel order. */
  {
    const CsParamSpec *s = cs_algorithm_find_param (cs_registry_lookup ("graph-kernel-kmeans"), "kernel");
    g_assert_cmpuint (g_strv_length ((char **) s->choices), ==, CS_GRAPH_KERNEL_COUNT);
    for (int k = 0; k < CS_GRAPH_KERNEL_COUNT; k++)
      g_assert_cmpstr (s->choices[k], ==, cs_graph_kernel_id (k));
  }
}

static void
test_labels_in_range (gconstpointer data)
{
  const CsAlgorithm *algo = data;
  g_autoptr (CsGraph) g = make_sbm (30, 1);
  g_autoptr (CsParams) p = params_k (algo, 3);
  g_autoptr (CsClustering) c = run_ok (algo, g, p, NULL);

  g_assert_cmpuint (c->n, ==, g->n);
  g_assert_cmpuint (c->k, ==, 3);
  for (gsize i = 0; i < c->n; i++)
    {
      g_assert_cmpint (c->labels[i], >=, 0);
      g_assert_cmpint (c->labels[i], <, 3);
    }
  g_assert_cmpstr (c->algorithm, ==, algo->id);
  g_assert_cmpint (c->objective_kind, ==, algo->objective);
  /* an easy block model: every method recovers it (Ward up to a node or two) */
  g_assert_cmpfloat (cs_metric_ari (c->labels, g->labels, g->n), >=, 0.9);
  /* k = 0 ("as many as the classes") was resolved from the labels and recorded */
  {
    g_autoptr (CsParams) automatic = cs_params_new (algo);
    g_autoptr (CsClustering) a = run_ok (algo, g, automatic, NULL);
    g_assert_cmpuint (a->k, ==, 3);
    g_assert_cmpint (cs_params_get_int (a->params, "k"), ==, 3);
  }
}

static void
test_same_seed (gconstpointer data)
{
  const CsAlgorithm *algo = data;
  /* overlapping blocks, so that restarts and seeds matter */
  gsize sizes[3] = { 50, 50, 50 };
  g_autoptr (CsGraph) g = cs_graph_new_sbm (sizes, 3, 0.12, 0.05, 2, NULL);
  g_autoptr (CsParams) p = params_k (algo, 4);
  g_autoptr (CsClustering) a = NULL;
  g_autoptr (CsClustering) b = NULL;

  if (cs_algorithm_find_param (algo, "seed") != NULL)
    cs_params_set_int (p, "seed", 7);
  a = run_ok (algo, g, p, NULL);
  b = run_ok (algo, g, p, NULL);
  g_assert_cmpmem (a->labels, g->n * sizeof (int), b->labels, g->n * sizeof (int));
  g_assert_cmpfloat (a->objective, ==, b->objective);
}

static void
test_threads (gconstpointer data)
{
#ifdef _OPENMP
  const CsAlgorithm *algo = data;
  gsize sizes[4] = { 150, 150, 150, 150 };
  g_autoptr (CsGraph) g = cs_graph_new_sbm (sizes, 4, 0.08, 0.03, 3, NULL);
  g_autoptr (CsParams) p = params_k (algo, 5);
  g_autoptr (CsClustering) one = NULL;
  g_autoptr (CsClustering) two = NULL;
  int saved = omp_get_max_threads ();
  int blas;

  omp_set_num_threads (1);
  blas = cs_i_blas_single_begin (0, TRUE);
  one = run_ok (algo, g, p, NULL);
  cs_i_blas_single_end (blas);
  omp_set_num_threads (2);
  two = run_ok (algo, g, p, NULL);
  omp_set_num_threads (saved);
  g_assert_cmpmem (one->labels, g->n * sizeof (int), two->labels, g->n * sizeof (int));
  g_assert_cmpfloat (one->objective, ==, two->objective);
#else
  g_test_skip ("built without OpenMP");
#endif
}

typedef struct
{
  CsProgress *progress;
  GArray     *seen;
} Recorder;

static gboolean
record_fraction (double fraction, const char *stage, gpointer user_data)
{
  Recorder *r = user_data;

  g_array_append_val (r->seen, fraction);
  r->progress->last_report_us = 0;
  return TRUE;
}

static void
test_progress_monotonic (gconstpointer data)
{
  const CsAlgorithm *algo = data;
  g_autoptr (CsGraph) g = make_sbm (100, 4);
  g_autoptr (CsParams) p = params_k (algo, 3);
  g_autoptr (GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  Recorder r = { NULL, seen };
  g_autoptr (CsProgress) progress = cs_progress_new (record_fraction, &r, NULL);
  g_autoptr (CsClustering) c = NULL;

  r.progress = progress;
  c = run_ok (algo, g, p, progress);
  g_assert_cmpuint (seen->len, >=, 1);
  for (guint i = 0; i < seen->len; i++)
    {
      double f = g_array_index (seen, double, i);
      g_assert_cmpfloat (f, >=, 0.0);
      g_assert_cmpfloat (f, <=, 1.0);
      if (i > 0)
        g_assert_cmpfloat (f, >=, g_array_index (seen, double, i - 1));
    }
}

static void
assert_refused (CsParams *p, const char *name, const char *value)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (cs_params_set (p, name, value, &error));
  g_assert_true (error->domain == CS_ERROR);
  g_assert_true (error->code == CS_ERROR_INVALID_ARGUMENT || error->code == CS_ERROR_PARAMETER);
  g_assert_nonnull (strstr (error->message, name));
}

static void
test_bad_params (gconstpointer data)
{
  const CsAlgorithm *algo = data;
  g_autoptr (CsGraph) g = make_sbm (10, 5);
  g_autoptr (CsParams) p = params_k (algo, 3);
  g_autoptr (GError) error = NULL;
  CsClustering *c = NULL;

  for (gsize i = 0; i < algo->n_params; i++)
    {
      const CsParamSpec *s = &algo->params[i];
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      /* what the panel, -p and sessions read must be consistent */
      g_assert_nonnull (s->label);
      g_assert_nonnull (s->help);
      if (s->choices != NULL)
        g_assert_cmpuint (g_strv_length ((char **) s->choices), ==, g_strv_length ((char **) s->choice_labels));
      if (s->type == CS_PARAM_INT || s->type == CS_PARAM_DOUBLE)
        {
          g_assert_cmpfloat (s->min, <=, s->default_num);
          g_assert_cmpfloat (s->default_num, <=, s->max);
          assert_refused (p, s->name, "many");
          assert_refused (p, s->name, g_ascii_dtostr (buf, sizeof buf, s->min - 1.0));
          assert_refused (p, s->name, g_ascii_dtostr (buf, sizeof buf, s->max * 2 + 1.0));
        }
      else if (s->type == CS_PARAM_ENUM)
        assert_refused (p, s->name, "no-such-choice");
    }
  /* k as large as the graph: refused when the run starts, naming k */
  cs_params_set_int (p, "k", (gint64) g->n);
  g_assert_false (cs_algorithm_run_graph (algo, g, p, NULL, NULL, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
  g_assert_nonnull (strstr (error->message, "k = 30"));
  g_assert_null (c);
}

/* A graph algorithm on a table of points is refused with a message that says what to do,
 * through the registry and through the pipeline (the CLI's cluster and the window). */
static void
test_refused_on_points (gconstpointer data)
{
  const CsAlgorithm *algo = data;
  g_autoptr (CsMatrix) x = cs_matrix_new (10, 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) iris = cs_sample_load ("iris", NULL);
  CsClustering *c = NULL;
  CsPipelineOptions o;
  CsPipelineResult *r;

  g_assert_false (cs_algorithm_run (algo, x, NULL, NULL, NULL, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
  g_assert_nonnull (strstr (error->message, "clusterscope-cli graph"));
  g_clear_error (&error);
  cs_pipeline_options_init (&o);
  o.algorithm = algo;
  r = cs_pipeline_run (iris, &o, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
  g_assert_nonnull (strstr (error->message, "is a table of points"));
  g_assert_nonnull (strstr (error->message, "clusterscope-cli graph"));
}

typedef struct
{
  GCancellable *cancellable;
  guint         delay_ms;
  gint64        cancelled_at;
} Canceller;

static gpointer
cancel_later (gpointer data)
{
  Canceller *cc = data;

  g_usleep (cc->delay_ms * 1000);
  cc->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cc->cancellable);
  return NULL;
}

/* Cancel mid-run returns CS_ERROR_CANCELLED within 100 ms. The dense kernels' eigendecomposition
 * is one LAPACK call that cannot stop midway, so the graph is kept small (300 nodes: a few
 * milliseconds) and the run made long by its restarts or sweeps, which check. Kernel Ward has
 * neither: on such a graph it finishes before the cancel (skipped). */
static void
test_cancel (gconstpointer data)
{
  const CsAlgorithm *algo = data;
  gsize sizes[4] = { 75, 75, 75, 75 };
  g_autoptr (CsGraph) g = cs_graph_new_sbm (sizes, 4, 0.06, 0.03, 6, NULL);
  gint64 best = G_MAXINT64;
  guint tries = 0, n_init = 50;

  while (tries < 3 && best >= 100000 * cs_test_time_scale ())
    {
      g_autoptr (CsParams) p = params_k (algo, 20);
      g_autoptr (GCancellable) cancellable = g_cancellable_new ();
      g_autoptr (CsProgress) progress = cs_progress_new (NULL, NULL, cancellable);
      Canceller cc = { cancellable, 60, 0 };
      CsClustering *c = NULL;
      GError *error = NULL;
      GThread *thread;
      gboolean ok;
      gint64 returned;

      if (cs_algorithm_find_param (algo, "n_init") != NULL)
        cs_params_set_int (p, "n_init", n_init);
      if (cs_algorithm_find_param (algo, "sweeps") != NULL)
        cs_params_set_int (p, "sweeps", 2000);
      thread = g_thread_new ("cancel", cancel_later, &cc);
      ok = cs_algorithm_run_graph (algo, g, p, progress, NULL, &c, &error);
      returned = g_get_monotonic_time ();
      g_thread_join (thread);
      if (ok)
        {
          g_clear_pointer (&c, cs_clustering_unref);
          if (n_init >= 1000)
            {
              g_test_skip ("every run finished before the cancel");
              return;
            }
          n_init = MIN (n_init * 4, 1000);
          continue;
        }
      g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
      g_assert_null (c);
      g_clear_error (&error);
      g_test_message ("%s: cancel took %.1f ms", algo->id, (returned - cc.cancelled_at) / 1000.0);
      best = MIN (best, returned - cc.cancelled_at);
      tries++;
    }
  g_assert_cmpint (best, <, 100000 * cs_test_time_scale ());
}

/* Karate in the pipeline as the window runs it: the default graph algorithm finds the clubs,
 * with the same labels as the entry run directly on the graph (what the CLI's graph command
 * does), and the result carries the modularity. */
static void
test_karate_pipeline (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_graph_dataset_load_sample ("karate", &error);
  const CsAlgorithm *algo = cs_registry_lookup ("graph-kernel-kmeans");
  g_autoptr (CsPipelineResult) r = NULL;
  g_autoptr (CsPipelineResult) km = NULL;
  g_autoptr (CsClustering) direct = NULL;
  CsPipelineOptions o;
  int cols[2];
  gsize n_cols;

  g_assert_no_error (error);
  n_cols = cs_graph_dataset_default_columns (ds, cols);
  g_assert_cmpuint (n_cols, ==, 2);
  g_assert_cmpstr (cs_dataset_column (ds, cols[0])->name, ==, "spectral 1");
  g_assert_cmpstr (cs_dataset_column (ds, cols[1])->name, ==, "spectral 2");
  cs_pipeline_options_init (&o);
  o.prepare.columns = cols;
  o.prepare.n_columns = n_cols;
  o.algorithm = algo;
  r = cs_pipeline_run (ds, &o, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->clustering->n, ==, 34);
  g_assert_cmpuint (r->clustering->k, ==, 2);
  g_assert_cmpfloat (r->ari, >=, 0.75);
  g_assert_cmpfloat (r->modularity, >, 0.3);
  direct = run_ok (algo, ds->graph, NULL, NULL);
  g_assert_cmpmem (direct->labels, 34 * sizeof (int), r->clustering->labels, 34 * sizeof (int));

  /* k-means on the default columns (the spectral coordinates) is spectral clustering: the clubs
   * too, not the hubs that the degree column would split off */
  o.algorithm = cs_registry_lookup ("kmeans");
  {
    g_autoptr (CsParams) p = cs_params_new (o.algorithm);
    cs_params_set_int (p, "k", 2);
    o.params = p;
    km = cs_pipeline_run (ds, &o, NULL, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpfloat (km->ari, >=, 0.75);
  g_assert_true (isfinite (km->modularity));
}

/* Choose k for a graph algorithm: every k runs on the graph (k = 2 gives the direct run's
 * partition), stability compares seeded runs (a graph has no bootstrap samples), the gap statistic
 * (point-cloud references) is skipped, and without the graph the run is refused. */
static void
test_karate_choose_k (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_graph_dataset_load_sample ("karate", &error);
  const CsAlgorithm *algo = cs_registry_lookup ("graph-kernel-kmeans");
  g_autoptr (CsParams) params = cs_params_new (algo);
  g_autoptr (CsPrepared) prep = NULL;
  g_autoptr (CsChooseKResult) r = NULL;
  g_autoptr (CsClustering) direct = NULL;
  CsPrepareOptions po;
  CsChooseKOptions o;
  int cols[2];

  g_assert_no_error (error);
  cs_prepare_options_init (&po);
  po.columns = cols;
  po.n_columns = cs_graph_dataset_default_columns (ds, cols);
  prep = cs_dataset_prepare (ds, &po, &error);
  g_assert_no_error (error);
  cs_choose_k_options_init (&o);
  o.k_min = 2;
  o.k_max = 4;
  o.stability_runs = 3;
  o.criteria = (1u << CS_CRITERION_SILHOUETTE) | (1u << CS_CRITERION_GAP) | (1u << CS_CRITERION_STABILITY);
  g_assert_false (cs_choose_k_run (prep->x, params, &o, NULL, &r, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
  g_assert_nonnull (strstr (error->message, "edge list"));
  g_clear_error (&error);

  o.graph = ds->graph;
  g_assert_true (cs_choose_k_run (prep->x, params, &o, NULL, &r, &error));
  g_assert_no_error (error);
  g_assert_true (r->computed & (1u << CS_CRITERION_SILHOUETTE));
  g_assert_true (r->computed & (1u << CS_CRITERION_STABILITY));
  g_assert_false (r->computed & (1u << CS_CRITERION_GAP));
  g_assert_cmpuint (r->suggested[CS_CRITERION_GAP], ==, 0);
  cs_params_set_int (params, "k", 2);
  direct = run_ok (algo, ds->graph, params, NULL);
  /* The same partition (choose-k numbers clusters its own way). */
  g_assert_cmpfloat (cs_metric_ari (cs_choose_k_result_labels (r, 2), direct->labels, 34), ==, 1.0);
  for (guint i = 0; i < r->n_k; i++)
    g_assert_cmpfloat (r->values[CS_CRITERION_STABILITY][i], >, 0.5);
}

/* The block distance on a case small enough to compute by hand: a path 0–1–2–3 whose nodes have
 * one attribute, colour r, r, b, b. The augmented graph adds vertex 4 (r) and 5 (b). */
static void
test_block_distance_by_hand (void)
{
  static const char *nodes = "id,label,colour\n0,a,r\n1,a,r\n2,b,b\n3,b,\n";
  const guint32 u[] = { 0, 1, 2 }, v[] = { 1, 2, 3 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CsGraph) path = cs_graph_new_from_edges (4, u, v, NULL, 3, &error);
  g_autoptr (CsGraph) g = NULL;
  g_autoptr (CsGraph) aug = NULL;
  g_autoptr (CsMatrix) e = NULL;
  gsize extra = 0;
  /* an embedding of the six vertices, two coordinates each */
  const double x[] = { 1, 0, /* node 0 */ 0, 1, /* node 1 */ 2, 2, /* node 2 */ 0, 0, /* node 3 */
                       1, 1, /* r */ -1, 3 /* b */ };
  g_autoptr (CsMatrix) xm = cs_matrix_new_from_data (6, 2, x);
  double comp[2];

  g_assert_no_error (error);
  g = cs_graph_with_nodes_data (path, nodes, strlen (nodes), "nodes.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g->n_attrs, ==, 1);
  aug = cs_graph_augment (g, 1.0, &extra, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (extra, ==, 2);
  e = cs_amg_block_embedding (g, aug, xm, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (e->rows, ==, 4);
  g_assert_cmpuint (e->cols, ==, 4);
  /* node 0: its row (1, 0), then r's (1, 1) */
  g_assert_cmpfloat (e->data[0], ==, 1);
  g_assert_cmpfloat (e->data[1], ==, 0);
  g_assert_cmpfloat (e->data[2], ==, 1);
  g_assert_cmpfloat (e->data[3], ==, 1);
  /* node 2 has b: (2, 2 | −1, 3); node 3 has no colour: the mean of the colour vertices over
   * the nodes that have one, ((1,1) + (1,1) + (−1,3)) / 3 = (1/3, 5/3) */
  g_assert_cmpfloat (e->data[2 * 4 + 2], ==, -1);
  g_assert_cmpfloat (e->data[2 * 4 + 3], ==, 3);
  g_assert_cmpfloat_with_epsilon (e->data[3 * 4 + 2], 1.0 / 3.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (e->data[3 * 4 + 3], 5.0 / 3.0, 1e-15);
  /* d(0, 2) = (‖(1,0) − (2,2)‖, ‖(1,1) − (−1,3)‖) = (√5, √8), its norm √13 */
  g_assert_cmpfloat_with_epsilon (cs_amg_block_distance (e->data, e->data + 8, 2, 2, comp), sqrt (13.0), 1e-15);
  g_assert_cmpfloat_with_epsilon (comp[0], sqrt (5.0), 1e-15);
  g_assert_cmpfloat_with_epsilon (comp[1], sqrt (8.0), 1e-15);
  /* d(0, 1): same colour, so only the structure differs: (√2, 0) */
  g_assert_cmpfloat_with_epsilon (cs_amg_block_distance (e->data, e->data + 4, 2, 2, comp), sqrt (2.0), 1e-15);
  g_assert_cmpfloat (comp[1], ==, 0.0);
}

/* The paper's point: when the structure is ambiguous (edges inside a block barely more likely
 * than between) and an attribute separates the blocks (it says the block, wrong for one node in
 * ten), AMG on the augmented graph with the block distance beats structure-only spectral
 * clustering; and the block distance does better than the nodes' own augmented rows. */
static void
test_attributed_sbm (void)
{
  gsize sizes[3] = { 80, 80, 80 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CsGraph) plain = cs_graph_new_sbm (sizes, 3, 0.06, 0.04, 11, &error);
  g_autoptr (CsGraph) g = NULL;
  g_autoptr (GString) table = g_string_new ("id,block,colour\n");
  g_autoptr (CsClustering) spectral = NULL;
  g_autoptr (CsClustering) amg = NULL;
  g_autoptr (CsClustering) nodes_only = NULL;
  g_autoptr (CsParams) ps = cs_params_new (cs_registry_lookup ("graph-spectral"));
  g_autoptr (CsParams) pa = cs_params_new (cs_registry_lookup ("amg-spectral"));
  CsRng rng;
  double ari_s, ari_a, ari_n;

  g_assert_no_error (error);
  cs_rng_init (&rng, 5);
  for (gsize i = 0; i < plain->n; i++)
    {
      int colour = plain->labels[i];
      if (cs_rng_uniform (&rng) < 0.1)
        colour = (colour + 1 + (int) cs_rng_below (&rng, 2)) % 3;
      g_string_append_printf (table, "%s,%d,c%d\n", plain->names[i], plain->labels[i], colour);
    }
  g = cs_graph_with_nodes_data (plain, table->str, table->len, "attributes.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g->n_attrs, ==, 1);

  spectral = run_ok (cs_registry_lookup ("graph-spectral"), g, ps, NULL);
  amg = run_ok (cs_registry_lookup ("amg-spectral"), g, pa, NULL);
  g_assert_true (cs_params_set (pa, "distance", "nodes", NULL));
  nodes_only = run_ok (cs_registry_lookup ("amg-spectral"), g, pa, NULL);
  ari_s = cs_metric_ari (spectral->labels, g->labels, g->n);
  ari_a = cs_metric_ari (amg->labels, g->labels, g->n);
  ari_n = cs_metric_ari (nodes_only->labels, g->labels, g->n);
  g_test_message ("ARI: spectral %.3f, AMG block %.3f, AMG nodes only %.3f", ari_s, ari_a, ari_n);
  g_assert_cmpfloat (ari_s, <, 0.3);
  g_assert_cmpfloat (ari_a, >, 0.6);
  g_assert_cmpfloat (ari_a, >, ari_s + 0.3);
  g_assert_cmpfloat (ari_a, >=, ari_n);
}

int
main (int argc, char **argv)
{
  static const char *const ids[] = { "graph-kernel-kmeans", "graph-kernel-ward", "graph-spectral", "amg-spectral" };
  static const struct
  {
    const char   *name;
    GTestDataFunc func;
  } contract[] = {
    { "labels-in-range", test_labels_in_range },
    { "same-seed-same-labels", test_same_seed },
    { "threads-same-labels", test_threads },
    { "progress-never-moves-back", test_progress_monotonic },
    { "bad-params-refused", test_bad_params },
    { "refused-on-points", test_refused_on_points },
    { "cancel-is-prompt", test_cancel },
  };

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/graph/algorithms/listed", test_graph_entries_listed);
  for (gsize c = 0; c < G_N_ELEMENTS (contract); c++)
    for (gsize a = 0; a < G_N_ELEMENTS (ids); a++)
      {
        g_autofree char *path = g_strdup_printf ("/core/graph/algorithms/%s/%s", ids[a], contract[c].name);
        g_test_add_data_func (path, cs_registry_lookup (ids[a]), contract[c].func);
      }
  g_test_add_func ("/core/graph/algorithms/karate-pipeline-finds-clubs", test_karate_pipeline);
  g_test_add_func ("/core/graph/algorithms/karate-choose-k", test_karate_choose_k);
  g_test_add_func ("/core/graph/amg/block-distance-by-hand", test_block_distance_by_hand);
  g_test_add_func ("/core/graph/amg/attributes-beat-structure-only", test_attributed_sbm);
  return g_test_run ();
}
