/* Gaussian mixtures: EM never lowers the likelihood, reaches at least what scikit-learn's
 * GaussianMixture reaches from the same start (fixtures from tests/fixtures/make_gmm_fixtures.py),
 * the likelihood, BIC and ICL equal their formulas recomputed here from the returned parameters,
 * every covariance type, bitwise equal results on 1 and 2 threads, cancel, memory refusal. */
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "test-common.h"

#include "core/base/cs-error.h"
#include "core/base/cs-matrix-private.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-gmm.h"
#include "core/cluster/cs-trace.h"

/* The fixture's data (all columns but the last) and its start labels (the last column). */
static CsMatrix *
load_fixture_csv (const char *file,
                  int       **start)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "gmm", file, NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_auto (GStrv) header = NULL;
  g_autoptr (GError) error = NULL;
  gsize n = 0;
  gsize d;
  CsMatrix *x;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  header = g_strsplit (lines[0], ",", -1);
  d = g_strv_length (header) - 1;
  for (gsize i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    n++;
  x = cs_matrix_new (n, d);
  *start = g_new (int, n);
  for (gsize i = 0; i < n; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i + 1], ",", -1);

      g_assert_cmpuint (g_strv_length (f), ==, d + 1);
      for (gsize j = 0; j < d; j++)
        x->data[i * d + j] = g_ascii_strtod (f[j], NULL);
      (*start)[i] = atoi (f[d]);
    }
  return x;
}

static CsGmmCovariance
covariance_from_name (const char *s)
{
  if (g_strcmp0 (s, "tied") == 0)
    return CS_GMM_TIED;
  if (g_strcmp0 (s, "diag") == 0)
    return CS_GMM_DIAG;
  if (g_strcmp0 (s, "spherical") == 0)
    return CS_GMM_SPHERICAL;
  g_assert_cmpstr (s, ==, "full");
  return CS_GMM_FULL;
}

/* ln N(x | μ, Σ) by a textbook Cholesky, independent of the code under test. */
static double
log_normal (const double *x,
            const double *mu,
            const double *cov,
            gsize         d)
{
  g_autofree double *l = g_new0 (double, d * d);
  g_autofree double *z = g_new (double, d);
  double logdet = 0.0;
  double m = 0.0;

  for (gsize i = 0; i < d; i++)
    for (gsize j = 0; j <= i; j++)
      {
        double s = cov[i * d + j];
        for (gsize t = 0; t < j; t++)
          s -= l[i * d + t] * l[j * d + t];
        l[i * d + j] = i == j ? sqrt (s) : s / l[j * d + j];
      }
  for (gsize i = 0; i < d; i++)
    {
      double s = x[i] - mu[i];
      for (gsize t = 0; t < i; t++)
        s -= l[i * d + t] * z[t];
      z[i] = s / l[i * d + i];
      m += z[i] * z[i];
      logdet += 2.0 * log (l[i * d + i]);
    }
  return -0.5 * ((double) d * log (2.0 * G_PI) + logdet + m);
}

/* The result's likelihood, responsibilities, uncertainty, BIC and ICL recomputed from its
 * weights, means and covariances. */
static void
assert_scores_match_parameters (const CsMatrix     *x,
                                const CsClustering *c,
                                CsGmmCovariance     cov)
{
  gsize n = x->rows;
  gsize d = x->cols;
  guint k = c->k;
  double ll = 0.0;
  double top = 0.0;
  double wsum = 0.0;
  g_autofree double *lp = g_new (double, k);
  guint64 p = cs_gmm_n_parameters (cov, k, d);

  for (guint j = 0; j < k; j++)
    wsum += c->weights[j];
  g_assert_cmpfloat_with_epsilon (wsum, 1.0, 1e-12);
  for (gsize i = 0; i < n; i++)
    {
      double mx = -INFINITY;
      double s = 0.0;
      double norm;
      double best = 0.0;
      int arg = 0;

      for (guint j = 0; j < k; j++)
        {
          lp[j] = log (c->weights[j])
                  + log_normal (cs_matrix_row (x, i), cs_matrix_row (c->centers, j),
                                cs_matrix_row (c->covariances, (gsize) j * d), d);
          mx = MAX (mx, lp[j]);
        }
      for (guint j = 0; j < k; j++)
        s += exp (lp[j] - mx);
      norm = mx + log (s);
      ll += norm;
      for (guint j = 0; j < k; j++)
        {
          double r = exp (lp[j] - norm);
          g_assert_cmpfloat_with_epsilon (cs_matrix_get (c->responsibilities, i, j), r, 1e-9);
          if (r > best)
            {
              best = r;
              arg = (int) j;
            }
        }
      g_assert_cmpint (c->labels[i], ==, arg);
      g_assert_cmpfloat_with_epsilon (c->uncertainty[i], 1.0 - best, 1e-9);
      top += log (cs_matrix_get (c->responsibilities, i, c->labels[i]));
    }
  g_assert_cmpfloat_with_epsilon (c->loglik, ll, 1e-8 * fabs (ll));
  g_assert_cmpfloat (c->objective, ==, c->loglik);
  g_assert_cmpfloat_with_epsilon (c->bic, -2.0 * c->loglik + (double) p * log ((double) n), 1e-9 * fabs (c->bic));
  g_assert_cmpfloat_with_epsilon (c->icl, c->bic - 2.0 * top, 1e-9 * fabs (c->icl));
  g_assert_cmpfloat (c->icl, >=, c->bic);

  /* The shapes the covariance type allows. */
  for (guint j = 0; j < k; j++)
    for (gsize s = 0; s < d; s++)
      for (gsize t = 0; t < d; t++)
        {
          double v = cs_matrix_get (c->covariances, (gsize) j * d + s, t);
          if (s != t && (cov == CS_GMM_DIAG || cov == CS_GMM_SPHERICAL))
            g_assert_cmpfloat (v, ==, 0.0);
          if (s == t && cov == CS_GMM_SPHERICAL)
            g_assert_cmpfloat (v, ==, cs_matrix_get (c->covariances, (gsize) j * d, 0));
          if (cov == CS_GMM_TIED)
            g_assert_cmpfloat (v, ==, cs_matrix_get (c->covariances, s, t));
        }
}

static void
test_fixture (gconstpointer data)
{
  JsonObject *f = (JsonObject *) data;
  g_autofree int *start = NULL;
  g_autoptr (CsMatrix) x = load_fixture_csv (json_object_get_string_member (f, "data"), &start);
  g_autoptr (CsTrace) trace = cs_trace_new (0);
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (GError) error = NULL;
  CsGmmOptions o;
  double sk = json_object_get_double_member (f, "sklearn_loglik");
  double prev = -INFINITY;

  cs_gmm_options_init (&o);
  o.k = (guint) json_object_get_int_member (f, "k");
  o.covariance = covariance_from_name (json_object_get_string_member (f, "covariance"));
  o.max_iter = (guint) json_object_get_int_member (f, "max_iter");
  o.tol = json_object_get_double_member (f, "tol");
  o.reg_covar = json_object_get_double_member (f, "reg_covar");
  o.initial_labels = start;
  g_assert_true (cs_gmm_run (x, &o, NULL, trace, &c, &error));
  g_assert_no_error (error);

  /* EM: each E-step's likelihood (of the parameters the previous M-step made) is at least the
   * one before it. reg_covar makes the M-step not quite the maximiser: allow rounding only. */
  /* Playback: the start, an E- and an M-step per iteration, the final E-step. */
  g_assert_cmpuint (trace->steps->len, ==, 2 * c->iterations + 2);
  for (guint s = 0; s < trace->steps->len; s++)
    {
      CsTraceStep *step = g_ptr_array_index (trace->steps, s);

      g_assert_nonnull (step->covariances);
      g_assert_nonnull (step->centers);
      if (step->kind != CS_TRACE_STEP_E)
        {
          g_assert_true (isnan (step->objective));
          continue;
        }
      g_assert_nonnull (step->responsibilities);
      g_assert_cmpfloat (step->objective, >=, prev - 1e-9 * fabs (prev));
      prev = step->objective;
    }
  g_assert_cmpfloat (((CsTraceStep *) g_ptr_array_index (trace->steps, trace->steps->len - 1))->objective, ==,
                     c->loglik);

  g_test_message ("%s: ours %.10g in %u steps, scikit-learn %.10g in %" G_GINT64_FORMAT,
                  json_object_get_string_member (f, "name"), c->loglik, c->iterations, sk,
                  json_object_get_int_member (f, "sklearn_iterations"));
  g_assert_cmpfloat (c->loglik, >=, sk - 1e-6 * (double) x->rows);
  assert_scores_match_parameters (x, c, o.covariance);
}

static CsMatrix *
make_mixture (gsize   n,
              gsize   d,
              guint   k,
              guint64 seed)
{
  CsMatrix *x = cs_matrix_new (n, d);
  CsRng rng;

  cs_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    {
      guint c = (guint) (i % k);
      for (gsize j = 0; j < d; j++)
        x->data[i * d + j] = 6.0 * (double) ((c + j) % k == 0) + (1.0 + 0.5 * c) * cs_rng_normal (&rng);
    }
  return x;
}

static CsClustering *
run_ok (const CsMatrix *x, const CsGmmOptions *o)
{
  CsClustering *c = NULL;
  GError *error = NULL;

  g_assert_true (cs_gmm_run (x, o, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  return c;
}

/* Same input and seed: bitwise equal on 1 and 2 threads, for a dense and a diagonal model,
 * on data large enough for the loops to split. */
static void
test_threads (void)
{
#ifdef _OPENMP
  g_autoptr (CsMatrix) x = make_mixture (30000, 8, 5, 2);
  int saved = omp_get_max_threads ();

  for (int cov = CS_GMM_FULL; cov <= CS_GMM_SPHERICAL; cov++)
    {
      CsGmmOptions o;
      g_autoptr (CsClustering) one = NULL;
      g_autoptr (CsClustering) two = NULL;
      int blas;

      cs_gmm_options_init (&o);
      o.k = 5;
      o.covariance = (CsGmmCovariance) cov;
      o.max_iter = 20;
      o.seed = 3;
      omp_set_num_threads (1);
      blas = cs_i_blas_single_begin (0, TRUE);
      one = run_ok (x, &o);
      cs_i_blas_single_end (blas);
      omp_set_num_threads (2);
      two = run_ok (x, &o);
      omp_set_num_threads (saved);
      g_assert_cmpfloat (one->loglik, ==, two->loglik);
      g_assert_cmpmem (one->labels, x->rows * sizeof (int), two->labels, x->rows * sizeof (int));
      g_assert_cmpmem (one->centers->data, 5 * 8 * sizeof (double), two->centers->data, 5 * 8 * sizeof (double));
      g_assert_cmpmem (one->covariances->data, 5 * 64 * sizeof (double), two->covariances->data,
                       5 * 64 * sizeof (double));
      g_assert_cmpmem (one->responsibilities->data, x->rows * 5 * sizeof (double), two->responsibilities->data,
                       x->rows * 5 * sizeof (double));
    }
#else
  g_test_skip ("built without OpenMP");
#endif
}

/* Restarts keep the best: n_init = 4 is at least as likely as each of its restarts alone would
 * be with the same seed's first restart, and the same seed gives the same mixture. */
static void
test_restarts_and_seed (void)
{
  g_autoptr (CsMatrix) x = make_mixture (900, 3, 3, 4);
  CsGmmOptions o;
  g_autoptr (CsClustering) one = NULL;
  g_autoptr (CsClustering) four = NULL;
  g_autoptr (CsClustering) again = NULL;

  cs_gmm_options_init (&o);
  o.k = 3;
  o.init = CS_GMM_INIT_PLUSPLUS;
  o.seed = 9;
  one = run_ok (x, &o);
  o.n_init = 4;
  four = run_ok (x, &o);
  again = run_ok (x, &o);
  g_assert_cmpfloat (four->loglik, >=, one->loglik);
  g_assert_cmpfloat (four->loglik, ==, again->loglik);
  g_assert_cmpmem (four->labels, x->rows * sizeof (int), again->labels, x->rows * sizeof (int));
  assert_scores_match_parameters (x, four, CS_GMM_FULL);
}

/* BIC picks the number of components the data was made with (3 well separated). */
static void
test_bic_chooses_k (void)
{
  g_autoptr (CsMatrix) x = make_mixture (1500, 2, 3, 5);
  double best = INFINITY;
  guint best_k = 0;

  for (guint k = 1; k <= 6; k++)
    {
      CsGmmOptions o;
      g_autoptr (CsClustering) c = NULL;

      cs_gmm_options_init (&o);
      o.k = k;
      o.n_init = 3;
      c = run_ok (x, &o);
      if (c->bic < best)
        {
          best = c->bic;
          best_k = k;
        }
    }
  g_assert_cmpuint (best_k, ==, 3);
}

static gboolean
cancel_on_second_step (double fraction, const char *stage, gpointer user_data)
{
  CsProgress **progress = user_data;

  (*progress)->last_report_us = 0;
  if (g_str_has_prefix (stage, "EM step 2"))
    return FALSE;
  return TRUE;
}

static void
test_cancel (void)
{
  g_autoptr (CsMatrix) x = make_mixture (5000, 4, 3, 6);
  CsProgress *progress = NULL;
  CsClustering *c = NULL;
  g_autoptr (GError) error = NULL;
  CsGmmOptions o;

  progress = cs_progress_new (cancel_on_second_step, &progress, NULL);
  cs_gmm_options_init (&o);
  o.tol = 0.0;
  g_assert_false (cs_gmm_run (x, &o, progress, NULL, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  g_assert_null (c);
  cs_progress_free (progress);
}

static void
test_refuses_too_large (void)
{
  g_autoptr (CsMatrix) x = make_mixture (20000, 8, 3, 7);
  CsClustering *c = NULL;
  g_autoptr (GError) error = NULL;
  CsGmmOptions o;

  cs_gmm_options_init (&o);
  g_setenv ("CLUSTERSCOPE_MEMORY_LIMIT", "1M", TRUE);
  g_assert_false (cs_gmm_run (x, &o, NULL, NULL, &c, &error));
  g_unsetenv ("CLUSTERSCOPE_MEMORY_LIMIT");
  g_assert_error (error, CS_ERROR, CS_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "Gaussian mixture"));
  g_assert_null (c);
}

/* A component given a single distinct row still has a positive definite covariance: reg_covar. */
static void
test_reg_covar_prevents_collapse (void)
{
  g_autoptr (CsMatrix) x = make_mixture (200, 3, 2, 8);
  g_autofree int *start = g_new0 (int, 200);
  g_autoptr (CsClustering) c = NULL;
  CsGmmOptions o;

  for (gsize j = 0; j < 3; j++)
    x->data[199 * 3 + j] = 40.0; /* far from everything: its component is this one row */
  start[199] = 1;
  cs_gmm_options_init (&o);
  o.k = 2;
  o.initial_labels = start;
  o.reg_covar = 1e-3;
  c = run_ok (x, &o);
  g_assert_true (isfinite (c->loglik));
  g_assert_cmpfloat (cs_matrix_get (c->covariances, 3, 0), >=, 1e-3);
}

/* mclust (R) chooses among the same four covariance models (VVV full, EEE tied, VVI diag,
 * VII spherical) and k = 1 … 6 by BIC; ours, by our BIC over the same grid, chooses the same
 * model, and its best BIC is at least as good (mclust's BIC is ours with the sign flipped). */
static void
test_mclust_agrees (void)
{
  static const char *const script =
    "suppressMessages(library(mclust));"
    "x <- as.matrix(read.csv(commandArgs(TRUE)[1])[, 1:2]);"
    "m <- Mclust(x, G = 1:6, modelNames = c('VVV', 'EEE', 'VVI', 'VII'), verbose = FALSE);"
    "cat(m$modelName, m$G, sprintf('%.10g', m$bic), '\\n')";
  static const char *const names[] = { "VVV", "EEE", "VVI", "VII" };
  g_autofree char *rscript = g_find_program_in_path ("Rscript");
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "gmm", "aniso.csv", NULL);
  g_autofree char *out = NULL;
  g_autofree int *start = NULL;
  g_autoptr (CsMatrix) x = NULL;
  g_auto (GStrv) f = NULL;
  int status = 0;
  double best = INFINITY;
  int best_cov = -1;
  guint best_k = 0;

  if (rscript == NULL)
    {
      g_test_skip ("Rscript is not installed");
      return;
    }
  {
    const char *argv[] = { rscript, "-e", script, path, NULL };
    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, NULL)
        || !g_spawn_check_wait_status (status, NULL))
      {
        g_test_skip ("R's mclust is not installed (apt-get install r-cran-mclust)");
        return;
      }
  }
  f = g_strsplit (g_strstrip (out), " ", -1);
  g_assert_cmpuint (g_strv_length (f), ==, 3);

  x = load_fixture_csv ("aniso.csv", &start);
  for (int cov = CS_GMM_FULL; cov <= CS_GMM_SPHERICAL; cov++)
    for (guint k = 1; k <= 6; k++)
      {
        CsGmmOptions o;
        g_autoptr (CsClustering) c = NULL;

        cs_gmm_options_init (&o);
        o.k = k;
        o.covariance = (CsGmmCovariance) cov;
        o.n_init = 5;
        o.tol = 1e-6;
        c = run_ok (x, &o);
        if (c->bic < best)
          {
            best = c->bic;
            best_cov = cov;
            best_k = k;
          }
      }
  g_test_message ("mclust: %s, G = %s, BIC %s; ours: %s, k = %u, BIC %.10g", f[0], f[1], f[2], names[best_cov], best_k,
                  -best);
  g_assert_cmpstr (names[best_cov], ==, f[0]);
  g_assert_cmpuint (best_k, ==, (guint) atoi (f[1]));
  g_assert_cmpfloat (-best, >=, g_ascii_strtod (f[2], NULL) - 1e-6 * (double) x->rows);
}

static void
test_parameter_count (void)
{
  /* scikit-learn's _n_parameters for k = 3, d = 2. */
  g_assert_cmpuint (cs_gmm_n_parameters (CS_GMM_FULL, 3, 2), ==, 17);
  g_assert_cmpuint (cs_gmm_n_parameters (CS_GMM_TIED, 3, 2), ==, 11);
  g_assert_cmpuint (cs_gmm_n_parameters (CS_GMM_DIAG, 3, 2), ==, 14);
  g_assert_cmpuint (cs_gmm_n_parameters (CS_GMM_SPHERICAL, 3, 2), ==, 11);
}

int
main (int argc, char **argv)
{
  g_autofree char *path = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *fixtures;

  g_test_init (&argc, &argv, NULL);
  path = g_test_build_filename (G_TEST_DIST, "fixtures", "gmm", "gmm-fixtures.json", NULL);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  fixtures = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (fixtures); i++)
    {
      JsonObject *f = json_array_get_object_element (fixtures, i);
      g_autofree char *name = g_strdup_printf ("/core/gmm/at-least-sklearn/%s", json_object_get_string_member (f, "name"));

      g_test_add_data_func (name, f, test_fixture);
    }
  g_test_add_func ("/core/gmm/parameter-count", test_parameter_count);
  g_test_add_func ("/core/gmm/bic-choice-agrees-with-mclust", test_mclust_agrees);
  g_test_add_func ("/core/gmm/threads-bitwise-equal", test_threads);
  g_test_add_func ("/core/gmm/restarts-keep-best-and-seed-repeats", test_restarts_and_seed);
  g_test_add_func ("/core/gmm/bic-chooses-k", test_bic_chooses_k);
  g_test_add_func ("/core/gmm/cancel", test_cancel);
  g_test_add_func ("/core/gmm/refuses-too-large", test_refuses_too_large);
  g_test_add_func ("/core/gmm/reg-covar-prevents-collapse", test_reg_covar_prevents_collapse);
  return g_test_run ();
}
