/* The registry contract: every registered algorithm, without a test of its own, must give
 * labels in range (−1 only when it declares noise), the same labels for the same seed and for
 * 1 or 2 threads, progress that never moves back, a prompt return on cancel, and a message for
 * every bad parameter value. New algorithms are covered by being in the registry. */
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
#include "core/cluster/cs-registry.h"
#include "core/data/cs-dissim.h"
#include "core/data/cs-prepare.h"
#include "core/data/cs-samples.h"

/* n rows around 3 centres 12 sd apart in d dimensions: easy for every method, so a wrong
 * label range or a thread-dependent result is the algorithm's fault, not the data's. */
static CsMatrix *
make_blobs (gsize n, gsize d, guint64 seed)
{
  CsMatrix *x = cs_matrix_new (n, d);
  CsRng     rng;

  cs_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < d; j++)
      x->data[i * d + j] = 12.0 * (double)((i % 3) == j % 3) + cs_rng_normal (&rng);
  return x;
}

/* Defaults, with k = 3 where the algorithm takes k (and a range around it for k-choosers),
 * so every method has the same small task. */
static CsParams *
small_params (const CsAlgorithm *algo, guint k)
{
  CsParams *p = cs_params_new (algo);

  if (cs_algorithm_find_param (algo, "k") != NULL)
    cs_params_set_int (p, "k", k);
  if (cs_algorithm_find_param (algo, "k_max") != NULL)
    cs_params_set_int (p, "k_max", k + 2);
  return p;
}

static CsClustering *
run_ok (const CsAlgorithm *algo, const CsMatrix *x, const CsParams *p, CsProgress *progress)
{
  CsClustering *c = NULL;
  GError       *error = NULL;

  g_assert_true (cs_algorithm_run (algo, x, p, progress, NULL, &c, &error));
  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

static void
assert_labels_valid (const CsAlgorithm *algo, const CsClustering *c, gsize n)
{
  g_assert_cmpuint (c->n, ==, n);
  g_assert_cmpuint (c->k, >=, 1);
  for (gsize i = 0; i < n; i++)
    {
      if (c->labels[i] == -1 && algo->marks_noise)
        continue;
      g_assert_cmpint (c->labels[i], >=, 0);
      g_assert_cmpint (c->labels[i], <, (int)c->k);
    }
}

/* The table itself: what the panel, the CLI and the pipeline read must be consistent. */
static void
test_specs (gconstpointer data)
{
  const CsAlgorithm *algo = data;

  g_assert_nonnull (algo->id);
  g_assert_nonnull (algo->name);
  g_assert_nonnull (algo->description);
  /* Graph entries (run_graph only) have their contract in test-graph-algorithms.c. */
  g_assert_true (algo->run != NULL || algo->run_graph != NULL);
  g_assert_true (cs_registry_lookup (algo->id) == algo);
  for (gsize i = 0; i < algo->n_params; i++)
    {
      const CsParamSpec *s = &algo->params[i];

      g_assert_nonnull (s->name);
      g_assert_nonnull (s->label);
      g_assert_nonnull (s->help);
      g_assert_true (cs_algorithm_find_param (algo, s->name) == s);
      if (s->type == CS_PARAM_INT || s->type == CS_PARAM_DOUBLE)
        {
          g_assert_cmpfloat (s->min, <=, s->default_num);
          g_assert_cmpfloat (s->default_num, <=, s->max);
          if (s->zero_label != NULL)
            g_assert_cmpfloat (s->min, <=, 0.0);
        }
      if (s->type == CS_PARAM_ENUM)
        g_assert_nonnull (s->choices);
      if (s->choices != NULL)
        {
          /* Every choice has a label for the UI: the ids are for the CLI and files. */
          g_assert_nonnull (s->choice_labels);
          g_assert_cmpuint (g_strv_length ((char **)s->choices), ==, g_strv_length ((char **)s->choice_labels));
          for (guint j = 0; s->choices[j] != NULL; j++)
            {
              g_assert_cmpstr (cs_param_spec_choice_label (s, s->choices[j]), ==, s->choice_labels[j]);
              g_assert_cmpuint (strlen (s->choice_labels[j]), >, 0);
            }
          if (s->type == CS_PARAM_ENUM)
            g_assert_nonnull (cs_param_spec_choice_label (s, s->default_str));
        }
    }
  if (algo->dissim_param != NULL)
    {
      const CsParamSpec *s = cs_algorithm_find_param (algo, algo->dissim_param);
      CsMetric           m;

      g_assert_nonnull (s);
      g_assert_cmpint (s->type, ==, CS_PARAM_ENUM);
      /* Offered only where it works: a matrix needs run_dissim. */
      for (guint j = 0; s->choices[j] != NULL; j++)
        {
          g_assert_true (cs_metric_from_id (s->choices[j], &m));
          if (m == CS_METRIC_PRECOMPUTED || m == CS_METRIC_GOWER)
            g_assert_nonnull (algo->run_dissim);
        }
    }
  else
    g_assert_false (cs_algorithm_accepts_precomputed (algo));
}

static void
test_labels_in_range (gconstpointer data)
{
  const CsAlgorithm *algo = data;
  g_autoptr (CsMatrix) x = make_blobs (90, 3, 1);
  g_autoptr (CsParams) p = small_params (algo, 3);
  g_autoptr (CsClustering) c = run_ok (algo, x, p, NULL);

  assert_labels_valid (algo, c, x->rows);
  g_assert_cmpstr (c->algorithm, ==, algo->id);
  g_assert_nonnull (c->params);
  g_assert_cmpint (c->objective_kind, ==, algo->objective);
}

static void
test_same_seed (gconstpointer data)
{
  const CsAlgorithm *algo = data;
  g_autoptr (CsMatrix) x = make_blobs (150, 4, 2);
  g_autoptr (CsParams) p = small_params (algo, 4);
  g_autoptr (CsClustering) a = NULL;
  g_autoptr (CsClustering) b = NULL;

  if (cs_algorithm_find_param (algo, "seed") != NULL)
    cs_params_set_int (p, "seed", 7);
  a = run_ok (algo, x, p, NULL);
  b = run_ok (algo, x, p, NULL);
  g_assert_cmpuint (a->k, ==, b->k);
  g_assert_cmpmem (a->labels, x->rows * sizeof (int), b->labels, x->rows * sizeof (int));
  g_assert_cmpfloat (a->objective, ==, b->objective);
}

/* Data on which one run of `algo` with `p` lasts at least ~0.3 s (at most 32,000 rows, 2,000
 * for the n × n matrix methods): long enough for the data-parallel loops to split (k-means
 * splits above n·d·k = 10⁶), without knowing the algorithm's cost. */
static CsMatrix *
sized_blobs (const CsAlgorithm *algo, const CsParams *p, guint64 seed)
{
  gsize max_rows = algo->run_dissim != NULL ? 2000 : 32000;
  gsize n = 1000;

  for (;;)
    {
      CsMatrix *x = make_blobs (n, 8, seed);
      gint64    t0 = g_get_monotonic_time ();
      g_autoptr (CsClustering) c = run_ok (algo, x, p, NULL);

      if (n >= max_rows || g_get_monotonic_time () - t0 >= 300000)
        return x;
      cs_matrix_free (x);
      n *= 2;
    }
}

static void
test_threads (gconstpointer data)
{
#ifdef _OPENMP
  const CsAlgorithm *algo = data;
  g_autoptr (CsParams) p = small_params (algo, 5);
  g_autoptr (CsMatrix) x = sized_blobs (algo, p, 3);
  g_autoptr (CsClustering) one = NULL;
  g_autoptr (CsClustering) two = NULL;
  int saved = omp_get_max_threads ();
  int blas;

  omp_set_num_threads (1);
  blas = cs_i_blas_single_begin (0, TRUE);
  one = run_ok (algo, x, p, NULL);
  cs_i_blas_single_end (blas);
  omp_set_num_threads (2);
  two = run_ok (algo, x, p, NULL);
  omp_set_num_threads (saved);

  g_assert_cmpuint (one->k, ==, two->k);
  g_assert_cmpmem (one->labels, x->rows * sizeof (int), two->labels, x->rows * sizeof (int));
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

/* Every report reaches the callback: clearing the time of the last one defeats the rate
 * limit (1 % steps or 50 ms), which would otherwise hide most steps back. */
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
  g_autoptr (CsParams) p = small_params (algo, 8);
  g_autoptr (CsMatrix) x = make_blobs (3000, 8, 4);
  g_autoptr (GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  Recorder r = { NULL, seen };
  g_autoptr (CsProgress) progress = cs_progress_new (record_fraction, &r, NULL);
  g_autoptr (CsClustering) c = NULL;

  r.progress = progress;
  c = run_ok (algo, x, p, progress);
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

static gboolean
remember_stage (double fraction, const char *stage, gpointer user_data)
{
  GPtrArray *stages = user_data;

  g_ptr_array_add (stages, g_strdup (stage));
  return TRUE;
}

/* k-means says which restart it is on, so a bar that starts a new sweep is explained. */
static void
test_kmeans_says_restart (void)
{
  const CsAlgorithm *algo = cs_registry_lookup ("kmeans");
  g_autoptr (CsMatrix) x = make_blobs (20000, 8, 5);
  g_autoptr (CsParams) p = small_params (algo, 8);
  g_autoptr (GPtrArray) stages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (CsProgress) progress = cs_progress_new (remember_stage, stages, NULL);
  g_autoptr (CsClustering) c = NULL;
  gboolean last_restart = FALSE;

  cs_params_set_int (p, "n_init", 4);
  c = run_ok (algo, x, p, progress);
  for (guint i = 0; i < stages->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (stages, i), "restart 4 of 4"))
      last_restart = TRUE;
  g_assert_true (last_restart);
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

/* Cancel from another thread mid-run: the run must end with CS_ERROR_CANCELLED within 100 ms.
 * The data grows until a run outlasts the cancel (the matrix methods stop growing at an
 * n × n matrix of 100 MB). On a shared machine the best of three tries is the code's latency. */
static void
test_cancel (gconstpointer data)
{
  const CsAlgorithm *algo = data;
  gsize  max_rows = algo->run_dissim != NULL ? 5000 : 400000;
  gint64 best = G_MAXINT64;
  gsize  n = 2000;
  guint  tries = 0;

  while (tries < 3 && best >= 100000 * cs_test_time_scale ())
    {
      g_autoptr (CsMatrix) x = make_blobs (n, 8, 6);
      g_autoptr (CsParams) p = small_params (algo, 20);
      g_autoptr (GCancellable) cancellable = g_cancellable_new ();
      g_autoptr (CsProgress) progress = cs_progress_new (NULL, NULL, cancellable);
      Canceller      cc = { cancellable, 40, 0 };
      CsClustering  *c = NULL;
      GError        *error = NULL;
      GThread       *thread;
      gboolean       ok;
      gint64         returned;

      thread = g_thread_new ("cancel", cancel_later, &cc);
      ok = cs_algorithm_run (algo, x, p, progress, NULL, &c, &error);
      returned = g_get_monotonic_time ();
      g_thread_join (thread);
      if (ok)
        {
          /* Done before the cancel came: not a measurement. Try more data. */
          g_clear_pointer (&c, cs_clustering_unref);
          if (n >= max_rows)
            {
              g_test_skip ("every run finished before the cancel");
              return;
            }
          n = MIN (n * 2, max_rows);
          continue;
        }
      g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
      g_assert_null (c);
      g_clear_error (&error);
      g_test_message ("%s, %" G_GSIZE_FORMAT " rows: cancel took %.1f ms", algo->id, n,
                      (returned - cc.cancelled_at) / 1000.0);
      best = MIN (best, returned - cc.cancelled_at);
      tries++;
    }
  g_assert_cmpint (best, <, 100000 * cs_test_time_scale ());
}

/* A refusal is CS_ERROR_INVALID_ARGUMENT, or CS_ERROR_PARAMETER for a value that could never
 * work (the CLI's usage error). */
static void
assert_refusal (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == CS_ERROR);
  g_assert_true (error->code == CS_ERROR_INVALID_ARGUMENT || error->code == CS_ERROR_PARAMETER);
}

static void
assert_refused (CsParams *p, const char *name, const char *value)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (cs_params_set (p, name, value, &error));
  assert_refusal (error);
  g_assert_nonnull (strstr (error->message, name));
}

/* Range bounds in the refusal are grouped as every number in a message: CLARA's sample size
 * stops at "1,000,000", not %g's "1e+06". */
static void
test_range_message_grouped (void)
{
  const CsAlgorithm *clara = cs_registry_lookup ("clara");
  g_autoptr (CsParams) p = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (clara);
  p = cs_params_new (clara);
  g_assert_false (cs_params_set (p, "sample_size", "2000000", &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "outside the accepted range 0 to 1,000,000"));
}

/* Every value outside a spec is refused with a message naming the parameter: at the door by
 * cs_params_set, or (free text, k beyond the rows) when the run starts. */
static void
test_bad_params (gconstpointer data)
{
  const CsAlgorithm *algo = data;
  g_autoptr (CsMatrix) x = make_blobs (30, 3, 7);
  g_autoptr (CsParams) p = small_params (algo, 3);
  g_autoptr (GError) error = NULL;

  g_assert_false (cs_params_set (p, "no_such_parameter", "1", &error));
  assert_refusal (error);
  g_clear_error (&error);

  for (gsize i = 0; i < algo->n_params; i++)
    {
      const CsParamSpec *s = &algo->params[i];
      char               buf[G_ASCII_DTOSTR_BUF_SIZE];

      switch (s->type)
        {
        case CS_PARAM_INT:
        case CS_PARAM_DOUBLE:
          assert_refused (p, s->name, "many");
          assert_refused (p, s->name, "nan");
          assert_refused (p, s->name, g_ascii_dtostr (buf, sizeof buf, s->min - 1.0));
          assert_refused (p, s->name, g_ascii_dtostr (buf, sizeof buf, s->max * 2 + 1.0));
          if (s->type == CS_PARAM_INT)
            assert_refused (p, s->name, "2.5");
          break;
        case CS_PARAM_ENUM:
          assert_refused (p, s->name, "no-such-choice");
          break;
        case CS_PARAM_BOOL:
          assert_refused (p, s->name, "maybe");
          break;
        case CS_PARAM_STRING:
          if (s->choices != NULL)
            {
              g_autoptr (CsParams) q = small_params (algo, 3);
              CsClustering *c = NULL;

              g_assert_true (cs_params_set (q, s->name, "no-such-choice", NULL));
              g_assert_false (cs_algorithm_run (algo, x, q, NULL, NULL, &c, &error));
              assert_refusal (error);
              g_assert_nonnull (strstr (error->message, s->name));
              g_assert_null (c);
              g_clear_error (&error);
            }
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (cs_algorithm_find_param (algo, "k") != NULL)
    {
      g_autoptr (CsParams) q = small_params (algo, 3);
      CsClustering *c = NULL;

      cs_params_set_int (q, "k", (gint64)x->rows + 1);
      g_assert_false (cs_algorithm_run (algo, x, q, NULL, NULL, &c, &error));
      assert_refusal (error);
      g_assert_null (c);
      g_clear_error (&error);
    }
}

/* An algorithm that takes a dissimilarity matrix gives the same clustering on the Euclidean
 * matrix of x as on x with the Euclidean dissimilarity. */
static void
test_matrix_equals_coordinates (gconstpointer data)
{
  const CsAlgorithm *algo = data;
  g_autoptr (CsMatrix) x = make_blobs (120, 3, 8);
  g_autoptr (CsParams) p = small_params (algo, 3);
  g_autoptr (CsDissim) D = NULL;
  g_autoptr (CsClustering) on_x = NULL;
  g_autoptr (CsClustering) on_d = NULL;
  g_autoptr (GError) error = NULL;

  if (algo->run_dissim == NULL)
    {
      g_test_skip ("works on coordinates only");
      return;
    }
  g_assert_true (cs_algorithm_accepts_precomputed (algo));
  g_assert_true (cs_params_set_dissim (p, CS_METRIC_EUCLIDEAN));
  on_x = run_ok (algo, x, p, NULL);
  D = cs_dissim_new_from_matrix (x, CS_METRIC_EUCLIDEAN, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cs_params_set_dissim (p, CS_METRIC_PRECOMPUTED));
  g_assert_true (cs_algorithm_run_dissim (algo, D, p, NULL, NULL, &on_d, &error));
  g_assert_no_error (error);
  assert_labels_valid (algo, on_d, x->rows);
  g_assert_cmpmem (on_x->labels, x->rows * sizeof (int), on_d->labels, x->rows * sizeof (int));
}

/* Issue 9 item 4: on wine, proline's spread (sd 315) is 1,369 times hue's, so raw k-means
 * follows proline alone (ARI 0.37). The default scaling sees that, standardises, says so, and
 * k-means finds the cultivars (ARI 0.90, scikit-learn's figure for standardised wine); asked
 * for none, it keeps the raw units and the old answer. */
static void
test_wine_auto_scaling (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("wine", &error);
  const CsAlgorithm *kmeans = cs_registry_lookup ("kmeans");
  g_autoptr (CsParams) p = cs_params_new (kmeans);
  g_autoptr (CsPipelineResult) automatic = NULL;
  g_autoptr (CsPipelineResult) raw = NULL;
  CsPipelineOptions o;

  g_assert_no_error (error);
  cs_params_set_int (p, "k", 3);
  cs_pipeline_options_init (&o);
  g_assert_cmpint (o.prepare.scaling, ==, CS_SCALE_AUTO);
  o.algorithm = kmeans;
  o.params = p;
  automatic = cs_pipeline_run (ds, &o, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (automatic->prep->scaling, ==, CS_SCALE_STANDARDIZE);
  g_assert_nonnull (automatic->prep->notice);
  g_assert_nonnull (strstr (automatic->prep->notice, "proline"));
  g_assert_nonnull (strstr (automatic->prep->notice, "standardised"));
  g_assert_cmpfloat_with_epsilon (automatic->ari, 0.897, 0.01);

  o.prepare.scaling = CS_SCALE_NONE;
  raw = cs_pipeline_run (ds, &o, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (raw->prep->scaling, ==, CS_SCALE_NONE);
  g_assert_null (raw->prep->notice);
  g_assert_cmpfloat (raw->ari, <, 0.5);
}

/* Columns on one scale (iris: spreads within a factor of 5) are left in their units. */
static void
test_iris_stays_raw (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("iris", &error);
  g_autoptr (CsPrepared) prep = NULL;
  CsPrepareOptions o;

  g_assert_no_error (error);
  cs_prepare_options_init (&o);
  prep = cs_dataset_prepare (ds, &o, &error);
  g_assert_no_error (error);
  g_assert_cmpint (prep->scaling, ==, CS_SCALE_NONE);
  g_assert_null (prep->notice);
  for (gsize f = 0; f < prep->x->cols; f++)
    g_assert_cmpfloat (prep->scale[f], ==, 1.0);
}

/* Spreads near the double range are measured without overflow: a column at ±1e308 beside one of
 * unit spread is standardised to finite values, not skipped as "infinite". */
static void
test_huge_spread_standardised (void)
{
  g_autoptr (CsDataset) ds = cs_dataset_new ("huge", 6);
  const double big[] = { 1e308, -1e308, 1e308, -1e308, 1.5e308, -1.7e308 };
  const double small[] = { 1, 2, 3, 4, 5, 6 };
  g_autoptr (CsPrepared) prep = NULL;
  g_autoptr (GError) error = NULL;
  CsPrepareOptions o;

  cs_dataset_add_numeric (ds, "x", g_memdup2 (big, sizeof big));
  cs_dataset_add_numeric (ds, "y", g_memdup2 (small, sizeof small));
  cs_prepare_options_init (&o);
  prep = cs_dataset_prepare (ds, &o, &error);
  g_assert_no_error (error);
  g_assert_cmpint (prep->scaling, ==, CS_SCALE_STANDARDIZE);
  g_assert_nonnull (prep->notice);
  for (gsize i = 0; i < prep->x->rows * prep->x->cols; i++)
    g_assert_true (isfinite (prep->x->data[i]) && fabs (prep->x->data[i]) < 3.0);
}

int
main (int argc, char **argv)
{
  const CsAlgorithm *const *list;
  gsize                     n;
  static const struct
  {
    const char *name;
    GTestDataFunc func;
  } contract[] = {
    { "specs", test_specs },
    { "labels-in-range", test_labels_in_range },
    { "same-seed-same-labels", test_same_seed },
    { "threads-same-labels", test_threads },
    { "progress-never-moves-back", test_progress_monotonic },
    { "bad-params-refused", test_bad_params },
    { "matrix-equals-coordinates", test_matrix_equals_coordinates },
    { "cancel-is-prompt", test_cancel },
  };

  g_test_init (&argc, &argv, NULL);
  list = cs_registry_list (&n);
  g_assert_cmpuint (n, >, 0);
  for (gsize c = 0; c < G_N_ELEMENTS (contract); c++)
    for (gsize a = 0; a < n; a++)
      {
        g_autofree char *path = g_strdup_printf ("/core/registry/%s/%s", list[a]->id, contract[c].name);

        /* Graph algorithms cluster graph nodes, not these blobs: test-graph-algorithms.c runs the
         * same contract on block models. */
        if (cs_algorithm_needs_graph (list[a]) && contract[c].func != test_specs)
          continue;

        g_test_add_data_func (path, list[a], contract[c].func);
      }
  g_test_add_func ("/core/registry/kmeans/progress-says-restart", test_kmeans_says_restart);
  g_test_add_func ("/core/registry/range-message-grouped", test_range_message_grouped);
  g_test_add_func ("/core/prepare/auto-scaling/wine-standardised", test_wine_auto_scaling);
  g_test_add_func ("/core/prepare/auto-scaling/iris-stays-raw", test_iris_stays_raw);
  g_test_add_func ("/core/prepare/auto-scaling/huge-spread-standardised", test_huge_spread_standardised);
  return g_test_run ();
}
