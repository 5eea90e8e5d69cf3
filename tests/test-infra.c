/* Infrastructure every algorithm leans on: progress and cancellation, the parameter
 * registry, the pairwise-distance kernel, the memory guard and the seeded generator. */
#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"
#include "core/cluster/cs-registry.h"
#include "core/base/cs-rng.h"

typedef struct
{
  guint  calls;
  double last;
  guint  stop_after;
} Counter;

static gboolean
count_cb (double      fraction,
          const char *stage,
          gpointer    user_data)
{
  Counter *c = user_data;

  c->calls++;
  g_assert_cmpfloat (fraction, >=, c->last);
  c->last = fraction;
  return c->stop_after == 0 || c->calls < c->stop_after;
}

static void
test_progress_rate_limited (void)
{
  Counter c = { 0, 0.0, 0 };
  g_autoptr (CsProgress) p = cs_progress_new (count_cb, &c, NULL);

  for (int i = 0; i <= 100000; i++)
    g_assert_true (cs_progress_report (p, i / 100000.0, "loop"));
  /* A report per 1 % step at most, plus the final one. */
  g_assert_cmpuint (c.calls, <=, 102);
  g_assert_cmpuint (c.calls, >=, 2);
  g_assert_cmpfloat (c.last, ==, 1.0);
}

static void
test_progress_callback_cancels (void)
{
  Counter c = { 0, 0.0, 3 };
  g_autoptr (CsProgress) p = cs_progress_new (count_cb, &c, NULL);
  g_autoptr (GError) error = NULL;
  gboolean went_on = TRUE;

  for (int i = 0; i <= 100 && went_on; i++)
    went_on = cs_progress_report (p, i / 100.0, "loop");
  g_assert_false (went_on);
  g_assert_cmpuint (c.calls, ==, 3);
  g_assert_false (cs_progress_check (p, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
}

static void
test_progress_cancellable (void)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (CsProgress) p = cs_progress_new (NULL, NULL, cancellable);
  g_autoptr (GError) error = NULL;

  g_assert_true (cs_progress_check (p, NULL));
  g_cancellable_cancel (cancellable);
  g_assert_true (cs_progress_is_cancelled (p));
  g_assert_false (cs_progress_check (p, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  /* NULL progress never cancels. */
  g_assert_true (cs_progress_check (NULL, NULL));
  g_assert_true (cs_progress_report (NULL, 0.5, "x"));
}

static void
test_registry_lists_kmeans (void)
{
  gsize n = 0;
  const CsAlgorithm *const *all = cs_registry_list (&n);
  const CsAlgorithm *km = cs_registry_lookup ("kmeans");

  g_assert_cmpuint (n, >=, 1);
  g_assert_nonnull (km);
  g_assert_true (cs_registry_lookup ("KMeans") == km);
  g_assert_null (cs_registry_lookup ("no-such-algorithm"));
  for (gsize i = 0; i < n; i++)
    {
      g_assert_nonnull (all[i]->run);
      g_assert_cmpuint (all[i]->n_params, >, 0);
      for (gsize j = 0; j < all[i]->n_params; j++)
        {
          const CsParamSpec *s = &all[i]->params[j];
          g_assert_nonnull (s->label);
          g_assert_nonnull (s->help);
          if (s->type == CS_PARAM_INT || s->type == CS_PARAM_DOUBLE)
            {
              g_assert_cmpfloat (s->min, <=, s->default_num);
              g_assert_cmpfloat (s->default_num, <=, s->max);
            }
        }
    }
}

static void
test_params_parse_and_validate (void)
{
  const CsAlgorithm *km = cs_registry_lookup ("kmeans");
  g_autoptr (CsParams) p = cs_params_new (km);
  g_autoptr (CsParams) q = NULL;
  g_autofree char *tol = NULL;
  GError *error = NULL;

  g_assert_true (cs_params_set_assignment (p, "k=7", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cs_params_get_int (p, "k"), ==, 7);

  g_assert_false (cs_params_set (p, "k", "2.5", &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "whole number"));
  g_clear_error (&error);

  g_assert_false (cs_params_set (p, "k", "0", &error));
  g_assert_nonnull (strstr (error->message, "range"));
  g_clear_error (&error);

  g_assert_false (cs_params_set (p, "init", "sideways", &error));
  g_assert_nonnull (strstr (error->message, "k-means++"));
  g_clear_error (&error);

  g_assert_false (cs_params_set (p, "kk", "3", &error));
  g_assert_nonnull (strstr (error->message, "‘kk’"));
  g_clear_error (&error);

  g_assert_false (cs_params_set_assignment (p, "=3", &error));
  g_clear_error (&error);

  g_assert_true (cs_params_set (p, "init", "RANDOM", NULL));
  g_assert_cmpstr (cs_params_get_string (p, "init"), ==, "random");

  g_assert_true (cs_params_set (p, "tol", "1e-4", NULL));
  tol = cs_params_to_string (p, "tol");
  g_assert_cmpstr (tol, ==, "0.0001");

  /* A copy is independent, and the value still reads back the same. */
  q = cs_params_copy (p);
  g_assert_true (cs_params_set (p, "k", "9", NULL));
  g_assert_cmpint (cs_params_get_int (q, "k"), ==, 7);
  g_assert_cmpstr (cs_params_get_string (q, "init"), ==, "random");
}

static void
test_sqdist_block_matches_direct (void)
{
  CsRng rng;
  g_autoptr (CsMatrix) a = cs_matrix_new (37, 5);
  g_autoptr (CsMatrix) b = cs_matrix_new (11, 5);
  g_autofree double *na = g_new (double, 37);
  g_autofree double *nb = g_new (double, 11);
  g_autofree double *out = g_new (double, 10 * 11);

  cs_rng_init (&rng, 42);
  for (gsize i = 0; i < 37 * 5; i++)
    a->data[i] = cs_rng_normal (&rng) * 10;
  for (gsize i = 0; i < 11 * 5; i++)
    b->data[i] = cs_rng_normal (&rng) * 10;
  memcpy (cs_matrix_row (b, 3), cs_matrix_row (a, 20), 5 * sizeof (double));
  cs_matrix_row_sqnorms (a, na);
  cs_matrix_row_sqnorms (b, nb);
  cs_matrix_sqdist_block (a, na, 15, 10, b, nb, out);
  for (gsize i = 0; i < 10; i++)
    for (gsize j = 0; j < 11; j++)
      {
        double direct = cs_sqdist (cs_matrix_row (a, 15 + i), cs_matrix_row (b, j), 5);
        g_assert_cmpfloat_with_epsilon (out[i * 11 + j], direct, 1e-9 * MAX (direct, 1.0));
        g_assert_cmpfloat (out[i * 11 + j], >=, 0.0);
      }
  /* Row 20 of a equals row 3 of b: cancellation must not go negative. */
  g_assert_cmpfloat (out[5 * 11 + 3], <, 1e-9);
}

static void
test_memory_guard (void)
{
  GError *error = NULL;
  CsMatrix *m;

  g_setenv ("CLUSTERSCOPE_MEMORY_LIMIT", "1M", TRUE);
  g_assert_cmpuint (cs_memory_budget (), ==, 1048576);
  m = cs_matrix_try_new (1000, 1000, "distance matrix", &error);
  g_assert_null (m);
  g_assert_error (error, CS_ERROR, CS_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "distance matrix"));
  g_clear_error (&error);
  g_assert_false (cs_memory_check (2 << 20, "dissimilarity matrix", "use FastCLARA", &error));
  g_assert_nonnull (strstr (error->message, "FastCLARA"));
  g_clear_error (&error);
  m = cs_matrix_try_new (100, 100, "data", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (m->data[100 * 100 - 1], ==, 0.0);
  cs_matrix_free (m);
  g_unsetenv ("CLUSTERSCOPE_MEMORY_LIMIT");
}

static void
test_rng_deterministic_and_uniform (void)
{
  CsRng a, b, c;
  double sum = 0, sumsq = 0;
  guint counts[10] = { 0 };
  const int n = 200000;

  cs_rng_init (&a, 7);
  cs_rng_init (&b, 7);
  cs_rng_init_stream (&c, 7, 1);
  for (int i = 0; i < 100; i++)
    {
      guint64 x = cs_rng_next (&a);
      g_assert_cmpuint (x, ==, cs_rng_next (&b));
      g_assert_cmpuint (x, !=, cs_rng_next (&c));
    }
  for (int i = 0; i < n; i++)
    {
      double z = cs_rng_normal (&a);
      sum += z;
      sumsq += z * z;
      counts[cs_rng_below (&a, 10)]++;
    }
  /* Mean 0 and variance 1 within ~5 standard errors. */
  g_assert_cmpfloat (fabs (sum / n), <, 5.0 / sqrt (n));
  g_assert_cmpfloat (fabs (sumsq / n - 1.0), <, 5.0 * sqrt (2.0 / n));
  for (int i = 0; i < 10; i++)
    g_assert_cmpfloat (fabs (counts[i] - n / 10.0), <, 5.0 * sqrt (n * 0.09));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/progress/rate-limited", test_progress_rate_limited);
  g_test_add_func ("/core/progress/callback-cancels", test_progress_callback_cancels);
  g_test_add_func ("/core/progress/cancellable", test_progress_cancellable);
  g_test_add_func ("/core/registry/lists-kmeans", test_registry_lists_kmeans);
  g_test_add_func ("/core/registry/params-parse-and-validate", test_params_parse_and_validate);
  g_test_add_func ("/core/matrix/sqdist-block-matches-direct", test_sqdist_block_matches_direct);
  g_test_add_func ("/core/matrix/memory-guard", test_memory_guard);
  g_test_add_func ("/core/rng/deterministic-and-uniform", test_rng_deterministic_and_uniform);
  return g_test_run ();
}
