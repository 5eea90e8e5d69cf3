/* Choosing k: every criterion finds the four blobs; Calinski–Harabasz and Davies–Bouldin
 * agree with scikit-learn (fixtures from tests/fixtures/make_choose_k_fixtures.py); the gap
 * statistic is seeded and suggests 1 on one Gaussian; stability is 1 at the true k and lower
 * elsewhere; the co-association matrix; cancel; 1 and 2 threads; refusals. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <omp.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-matrix-private.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-choose-k.h"
#include "core/metrics/cs-metrics.h"
#include "test-common.h"

/* Four tight blobs at the corners of a square: no split into 2, 3 or 5 is better than its
 * mirror images, so only k = 4 is stable. */
static CsMatrix *
make_square_blobs (gsize per, double sd, guint64 seed)
{
  static const double c[4][2] = { { 0, 0 }, { 10, 0 }, { 0, 10 }, { 10, 10 } };
  CsMatrix *x = cs_matrix_new (4 * per, 2);
  CsRng     rng;

  cs_rng_init (&rng, seed);
  for (gsize i = 0; i < 4 * per; i++)
    {
      x->data[2 * i] = c[i % 4][0] + sd * cs_rng_normal (&rng);
      x->data[2 * i + 1] = c[i % 4][1] + sd * cs_rng_normal (&rng);
    }
  return x;
}

static CsMatrix *
make_gaussian (gsize n, gsize d, guint64 seed)
{
  CsMatrix *x = cs_matrix_new (n, d);
  CsRng     rng;

  cs_rng_init (&rng, seed);
  for (gsize i = 0; i < n * d; i++)
    x->data[i] = cs_rng_normal (&rng);
  return x;
}

static CsParams *
params_for (const char *algo)
{
  const CsAlgorithm *a = cs_registry_lookup (algo);

  g_assert_nonnull (a);
  return cs_params_new (a);
}

static CsChooseKResult *
run_ok (const CsMatrix *x, const CsParams *p, const CsChooseKOptions *o)
{
  g_autoptr (GError) error = NULL;
  CsChooseKResult *r = NULL;

  g_assert_true (cs_choose_k_run (x, p, o, NULL, &r, &error));
  g_assert_no_error (error);
  g_assert_nonnull (r);
  return r;
}

static void
test_blobs_every_criterion (void)
{
  g_autoptr (CsMatrix) x = make_square_blobs (40, 0.6, 11);
  CsChooseKOptions o;

  cs_choose_k_options_init (&o);
  o.k_min = 2;
  o.k_max = 7;
  {
    g_autoptr (CsParams) p = params_for ("kmeans");
    g_autoptr (CsChooseKResult) r = NULL;

    o.criteria = (1u << CS_CRITERION_SILHOUETTE) | (1u << CS_CRITERION_CH) | (1u << CS_CRITERION_DB)
                 | (1u << CS_CRITERION_GAP) | (1u << CS_CRITERION_STABILITY);
    r = run_ok (x, p, &o);
    for (guint c = 0; c < CS_CRITERION_N; c++)
      if (o.criteria & (1u << c))
        {
          g_test_message ("%s suggests %u", cs_criterion_id (c), r->suggested[c]);
          g_assert_cmpuint (r->suggested[c], ==, 4);
        }
    g_assert_cmpuint (r->computed, ==, o.criteria);
    g_assert_cmpuint (r->k_found[2], ==, 4);
  }
  {
    g_autoptr (CsParams) p = params_for ("gmm");
    g_autoptr (CsChooseKResult) r = NULL;

    o.k_min = 1;
    o.criteria = (1u << CS_CRITERION_BIC) | (1u << CS_CRITERION_ICL);
    r = run_ok (x, p, &o);
    g_assert_cmpuint (r->suggested[CS_CRITERION_BIC], ==, 4);
    g_assert_cmpuint (r->suggested[CS_CRITERION_ICL], ==, 4);
    /* k = 1 is a real fit for a mixture: its BIC is a number. */
    g_assert_true (isfinite (r->values[CS_CRITERION_BIC][0]));
  }
  {
    /* A medoid algorithm: one dissimilarity matrix for its runs and the silhouettes. */
    g_autoptr (CsParams) p = params_for ("fasterpam");
    g_autoptr (CsChooseKResult) r = NULL;

    o.k_min = 2;
    o.criteria = (1u << CS_CRITERION_SILHOUETTE) | (1u << CS_CRITERION_MEDOID_SILHOUETTE);
    r = run_ok (x, p, &o);
    g_assert_cmpuint (r->suggested[CS_CRITERION_SILHOUETTE], ==, 4);
    g_assert_cmpuint (r->suggested[CS_CRITERION_MEDOID_SILHOUETTE], ==, 4);
  }
  {
    /* DynMSC's range runs as FasterMSC at each k: its curve is the medoid-silhouette criterion. */
    g_autoptr (CsParams) p = params_for ("dynmsc");
    g_autoptr (CsChooseKResult) r = NULL;

    o.criteria = 1u << CS_CRITERION_MEDOID_SILHOUETTE;
    r = run_ok (x, p, &o);
    g_assert_cmpstr (r->algorithm, ==, "fastermsc");
    g_assert_cmpuint (r->suggested[CS_CRITERION_MEDOID_SILHOUETTE], ==, 4);
  }
}

static CsMatrix *
load_line (JsonObject **ref, JsonParser **parser)
{
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "fixtures", "choose-k", "line.csv", NULL);
  g_autofree char *json = g_test_build_filename (G_TEST_DIST, "fixtures", "choose-k", "line.json", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;
  gsize     n = 0;
  CsMatrix *x;

  g_assert_true (g_file_get_contents (csv, &text, NULL, &error));
  lines = g_strsplit (text, "\n", -1);
  while (lines[n] != NULL && lines[n][0] != '\0')
    n++;
  x = cs_matrix_new (n, 2);
  for (gsize i = 0; i < n; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], ",", -1);
      x->data[2 * i] = g_ascii_strtod (f[0], NULL);
      x->data[2 * i + 1] = g_ascii_strtod (f[1], NULL);
    }
  *parser = json_parser_new ();
  g_assert_true (json_parser_load_from_file (*parser, json, &error));
  *ref = json_node_get_object (json_parser_get_root (*parser));
  return x;
}

static void
test_ch_db_match_sklearn (void)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *ref = NULL;
  g_autoptr (CsMatrix) x = load_line (&ref, &parser);
  g_autoptr (CsParams) p = params_for ("kmeans");
  g_autoptr (CsChooseKResult) r = NULL;
  JsonArray *ks = json_object_get_array_member (ref, "k");
  JsonArray *labels = json_object_get_array_member (ref, "labels");
  JsonArray *ch = json_object_get_array_member (ref, "ch");
  JsonArray *db = json_object_get_array_member (ref, "db");
  CsChooseKOptions o;

  cs_choose_k_options_init (&o);
  o.k_min = 2;
  o.k_max = 6;
  o.criteria = (1u << CS_CRITERION_CH) | (1u << CS_CRITERION_DB);
  cs_params_set_int (p, "n_init", 10);
  r = run_ok (x, p, &o);
  g_assert_cmpuint (json_array_get_length (ks), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      JsonArray *l = json_array_get_array_element (labels, i);
      g_autofree int *sk = g_new (int, x->rows);
      double want_ch = json_array_get_double_element (ch, i);
      double want_db = json_array_get_double_element (db, i);

      g_assert_cmpuint (json_array_get_int_element (ks, i), ==, 2 + i);
      for (gsize t = 0; t < x->rows; t++)
        sk[t] = (int) json_array_get_int_element (l, t);
      /* The same partition first (the fixture has one clear optimum per k), then its scores. */
      g_assert_cmpfloat (cs_metric_ari (sk, cs_choose_k_result_labels (r, 2 + i), x->rows), ==, 1.0);
      g_assert_cmpfloat_with_epsilon (r->values[CS_CRITERION_CH][i] / want_ch, 1.0, 1e-9);
      g_assert_cmpfloat_with_epsilon (r->values[CS_CRITERION_DB][i] / want_db, 1.0, 1e-9);
    }
  g_assert_cmpuint (r->suggested[CS_CRITERION_CH], ==, 6);
  g_assert_cmpuint (r->suggested[CS_CRITERION_DB], ==, 5);
}

static void
test_gap (void)
{
  g_autoptr (CsMatrix) one = make_gaussian (300, 2, 5);
  g_autoptr (CsMatrix) blobs = make_square_blobs (40, 0.6, 12);
  g_autoptr (CsParams) p = params_for ("kmeans");
  g_autoptr (CsChooseKResult) a = NULL;
  g_autoptr (CsChooseKResult) b = NULL;
  g_autoptr (CsChooseKResult) c = NULL;
  CsChooseKOptions o;

  cs_choose_k_options_init (&o);
  o.k_min = 1;
  o.k_max = 6;
  o.criteria = 1u << CS_CRITERION_GAP;
  o.seed = 7;
  a = run_ok (one, p, &o);
  b = run_ok (one, p, &o);
  g_assert_cmpmem (a->values[CS_CRITERION_GAP], 6 * sizeof (double), b->values[CS_CRITERION_GAP], 6 * sizeof (double));
  g_assert_cmpmem (a->gap_s, 6 * sizeof (double), b->gap_s, 6 * sizeof (double));
  o.seed = 8;
  c = run_ok (one, p, &o);
  g_assert_true (memcmp (a->values[CS_CRITERION_GAP], c->values[CS_CRITERION_GAP], 6 * sizeof (double)) != 0);
  /* One Gaussian: no k beats one cluster by more than a standard error. */
  g_assert_cmpuint (a->suggested[CS_CRITERION_GAP], ==, 1);
  g_assert_cmpuint (c->suggested[CS_CRITERION_GAP], ==, 1);
  for (guint i = 0; i < 6; i++)
    {
      g_assert_cmpfloat (a->gap_s[i], >, 0.0);
      g_assert_cmpfloat_with_epsilon (a->values[CS_CRITERION_GAP][i], a->log_w_ref[i] - a->log_w[i], 1e-12);
    }

  for (int kind = CS_GAP_REFERENCE_BOX; kind <= CS_GAP_REFERENCE_PCA; kind++)
    {
      g_autoptr (CsChooseKResult) r = NULL;

      o.gap_reference = (CsGapReference) kind;
      r = run_ok (blobs, p, &o);
      g_assert_cmpuint (r->suggested[CS_CRITERION_GAP], ==, 4);
      /* W_k falls steeply up to the true k. */
      g_assert_cmpfloat (r->values[CS_CRITERION_GAP][3], >, r->values[CS_CRITERION_GAP][2] + 0.3);
    }
}

static void
test_stability_and_coassociation (void)
{
  g_autoptr (CsMatrix) x = make_square_blobs (30, 0.6, 13);
  g_autoptr (CsParams) p = params_for ("kmeans");
  gsize n = x->rows;
  CsChooseKOptions o;

  cs_choose_k_options_init (&o);
  o.k_min = 2;
  o.k_max = 6;
  o.criteria = 1u << CS_CRITERION_STABILITY;
  o.stability_runs = 8;
  for (int mode = CS_STABILITY_BOOTSTRAP; mode <= CS_STABILITY_SEEDS; mode++)
    {
      g_autoptr (CsChooseKResult) r = NULL;
      g_autofree float *m4 = NULL;
      g_autofree float *m3 = NULL;
      g_autofree gsize *order = NULL;
      g_autoptr (GError) error = NULL;
      const double *s;

      o.stability_mode = (CsStabilityMode) mode;
      if (mode == CS_STABILITY_SEEDS)
        /* One start per run, so that seeds can disagree. */
        cs_params_set_int (p, "n_init", 1);
      r = run_ok (x, p, &o);
      s = r->values[CS_CRITERION_STABILITY];
      g_assert_cmpfloat_with_epsilon (s[2], 1.0, 1e-12);
      g_assert_cmpfloat (r->stability_sd[2], <, 1e-12);
      if (mode == CS_STABILITY_BOOTSTRAP)
        {
          g_assert_cmpfloat (s[1], <, 0.99);
          g_assert_cmpfloat (s[3], <, 0.99);
          g_assert_cmpuint (r->suggested[CS_CRITERION_STABILITY], ==, 4);
        }
      else
        for (guint i = 0; i < r->n_k; i++)
          g_assert_cmpfloat (s[i], <=, s[2]);

      m4 = cs_choose_k_coassociation (r, 4, &error);
      g_assert_no_error (error);
      m3 = cs_choose_k_coassociation (r, 3, &error);
      g_assert_no_error (error);
      for (gsize i = 0; i < n; i++)
        {
          g_assert_cmpfloat (m4[i * n + i], ==, 1.0f);
          g_assert_cmpfloat (m3[i * n + i], ==, 1.0f);
          for (gsize j = 0; j < n; j++)
            {
              g_assert_cmpfloat (m4[i * n + j], ==, m4[j * n + i]);
              g_assert_cmpfloat (m3[i * n + j], ==, m3[j * n + i]);
              g_assert_cmpfloat (m3[i * n + j], >=, 0.0f);
              g_assert_cmpfloat (m3[i * n + j], <=, 1.0f);
              /* Stable at k = 4: two rows share a cluster in every run or in none, as their blobs say. */
              g_assert_cmpfloat (m4[i * n + j], ==, (i % 4 == j % 4) ? 1.0f : 0.0f);
            }
        }
      order = cs_choose_k_order_by_cluster (r, 4);
      for (gsize t = 1; t < n; t++)
        g_assert_cmpint (cs_choose_k_result_labels (r, 4)[order[t - 1]], <=, cs_choose_k_result_labels (r, 4)[order[t]]);
    }
}

typedef struct
{
  CsProgress *progress;
  gint64      cancelled_at;
} CancelState;

static gboolean
cancel_midway (double fraction, const char *stage, gpointer user_data)
{
  CancelState *s = user_data;

  s->progress->last_report_us = 0;
  if (fraction > 0.2)
    {
      if (s->cancelled_at == 0)
        s->cancelled_at = g_get_monotonic_time ();
      return FALSE;
    }
  return TRUE;
}

static void
test_cancel (void)
{
  g_autoptr (CsMatrix) x = make_gaussian (4000, 4, 3);
  g_autoptr (CsParams) p = params_for ("kmeans");
  g_autoptr (GError) error = NULL;
  CsChooseKResult *r = NULL;
  CancelState      s = { 0 };
  CsChooseKOptions o;
  double           latency;

  cs_choose_k_options_init (&o);
  o.k_min = 2;
  o.k_max = 12;
  s.progress = cs_progress_new (cancel_midway, &s, NULL);
  g_assert_false (cs_choose_k_run (x, p, &o, s.progress, &r, &error));
  latency = (g_get_monotonic_time () - s.cancelled_at) / 1e6;
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  g_assert_null (r);
  g_assert_cmpint (s.cancelled_at, >, 0);
  g_test_message ("returned %.3f s after the cancel", latency);
  g_assert_cmpfloat (latency, <, 0.1 * cs_test_time_scale ());
  cs_progress_free (s.progress);
}

static void
test_threads (void)
{
  g_autoptr (CsMatrix) x = make_square_blobs (50, 1.5, 14);
  g_autoptr (CsParams) p = params_for ("kmeans");
  g_autoptr (CsChooseKResult) one = NULL;
  g_autoptr (CsChooseKResult) two = NULL;
  int              saved = omp_get_max_threads ();
  CsChooseKOptions o;
  int              blas;

  cs_choose_k_options_init (&o);
  o.k_min = 1;
  o.k_max = 6;
  o.criteria = CS_CRITERIA_ALL;
  o.stability_runs = 4;
  o.gap_references = 4;
  blas = cs_i_blas_single_begin (0, TRUE);
  omp_set_num_threads (1);
  one = run_ok (x, p, &o);
  omp_set_num_threads (2);
  two = run_ok (x, p, &o);
  omp_set_num_threads (saved);
  cs_i_blas_single_end (blas);
  g_assert_cmpmem (one->labels, one->n_k * x->rows * sizeof (int), two->labels, two->n_k * x->rows * sizeof (int));
  for (guint c = 0; c < CS_CRITERION_N; c++)
    {
      g_assert_cmpuint (one->suggested[c], ==, two->suggested[c]);
      if (one->values[c] != NULL)
        for (guint i = 0; i < one->n_k; i++)
          g_assert_true (memcmp (&one->values[c][i], &two->values[c][i], sizeof (double)) == 0);
    }
  g_assert_cmpmem (one->stability_labels, (gsize) one->n_k * 4 * x->rows * sizeof (int), two->stability_labels,
                   (gsize) two->n_k * 4 * x->rows * sizeof (int));
}

static void
test_refusals (void)
{
  g_autoptr (CsMatrix) x = make_gaussian (50, 2, 4);
  g_autoptr (CsParams) dbscan = params_for ("dbscan");
  g_autoptr (CsParams) kmeans = params_for ("kmeans");
  CsChooseKResult *r = NULL;
  CsChooseKOptions o;

  cs_choose_k_options_init (&o);
  {
    g_autoptr (GError) error = NULL;
    g_assert_false (cs_choose_k_run (x, dbscan, &o, NULL, &r, &error));
    g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
    g_assert_nonnull (strstr (error->message, "DBSCAN"));
  }
  {
    g_autoptr (GError) error = NULL;
    o.k_max = 50;
    g_assert_false (cs_choose_k_run (x, kmeans, &o, NULL, &r, &error));
    g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
    g_assert_nonnull (strstr (error->message, "largest k"));
  }
  {
    g_autoptr (GError) error = NULL;
    o.k_max = 5;
    o.stability_runs = 1;
    g_assert_false (cs_choose_k_run (x, kmeans, &o, NULL, &r, &error));
    g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
  }
  {
    g_autoptr (GError) error = NULL;
    guint mask = 0;

    g_assert_true (cs_criteria_parse ("silhouette, gap,db", &mask, NULL));
    g_assert_cmpuint (mask, ==, (1u << CS_CRITERION_SILHOUETTE) | (1u << CS_CRITERION_GAP) | (1u << CS_CRITERION_DB));
    g_assert_false (cs_criteria_parse ("silhouette,elbow", &mask, &error));
    g_assert_nonnull (strstr (error->message, "elbow"));
  }
  {
    /* The co-association matrix of too many rows is refused before anything is allocated. */
    CsChooseKResult big = { 0 };
    int             dummy = 0;
    g_autoptr (GError) error = NULL;

    big.n = CS_CHOOSE_K_COASSOC_MAX_N + 1;
    big.k_min = 2;
    big.n_k = 1;
    big.stability_runs = 2;
    big.stability_labels = &dummy;
    g_assert_null (cs_choose_k_coassociation (&big, 2, &error));
    g_assert_error (error, CS_ERROR, CS_ERROR_TOO_LARGE);
    g_assert_nonnull (strstr (error->message, "8,001"));
    g_assert_nonnull (strstr (error->message, "sample"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/choose-k/blobs/every-criterion-suggests-4", test_blobs_every_criterion);
  g_test_add_func ("/core/choose-k/ch-db/match-sklearn", test_ch_db_match_sklearn);
  g_test_add_func ("/core/choose-k/gap/seeded-one-gaussian-and-blobs", test_gap);
  g_test_add_func ("/core/choose-k/stability/blobs-and-coassociation", test_stability_and_coassociation);
  g_test_add_func ("/core/choose-k/cancel", test_cancel);
  g_test_add_func ("/core/choose-k/threads/1-and-2-equal", test_threads);
  g_test_add_func ("/core/choose-k/refusals", test_refusals);
  return g_test_run ();
}
