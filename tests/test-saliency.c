/* Saliency core: effect sizes, the logistic surrogate and its exact Shapley values.
 *
 * The reference coefficients in fixtures/saliency/ come from scikit-learn 1.2.1:
 *   /usr/bin/python3 tests/fixtures/saliency/make_fixtures.py */

#include "core/saliency.h"
#include "core/cs-error.h"
#include "test-common.h"

#include <math.h>
#include <string.h>

static double
gauss (GRand *rng)
{
  double u = g_rand_double_range (rng, 1e-300, 1.0);
  double v = g_rand_double (rng);
  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

/* CSV of numbers, the last column being the label. */
static CsMatrix *
load_fixture (const char *name,
              int       **labels_out,
              guint      *k_out)
{
  g_autofree char *file = g_strdup_printf ("%s.csv", name);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "saliency", file, NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) labels = g_array_new (FALSE, FALSE, sizeof (int));
  guint cols = 0;
  int kmax = -1;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_auto (GStrv) f = NULL;
      guint nf;
      int lab;

      if (lines[l][0] == '\0')
        continue;
      f = g_strsplit (lines[l], ",", -1);
      nf = g_strv_length (f);
      g_assert_cmpuint (nf, >=, 2);
      if (cols == 0)
        cols = nf - 1;
      g_assert_cmpuint (nf - 1, ==, cols);
      for (guint j = 0; j < cols; j++)
        {
          double v = g_ascii_strtod (f[j], NULL);
          g_array_append_val (values, v);
        }
      lab = (int) g_ascii_strtod (f[cols], NULL);
      kmax = MAX (kmax, lab);
      g_array_append_val (labels, lab);
    }
  *k_out = kmax + 1;
  *labels_out = g_memdup2 (labels->data, labels->len * sizeof (int));
  return cs_matrix_new_from_data (labels->len, cols, (double *) values->data);
}

static void
check_against_sklearn (const char *name)
{
  g_autofree int *labels = NULL;
  guint k = 0;
  g_autoptr (CsMatrix) x = load_fixture (name, &labels, &k);
  g_autofree char *file = g_strdup_printf ("%s-coef.txt", name);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "saliency", file, NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (CsSaliencyReport) r = NULL;
  g_autoptr (GError) error = NULL;
  CsSaliencyOptions opt;
  double max_rel = 0.0;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);

  cs_saliency_options_init (&opt);
  opt.c = g_ascii_strtod (lines[0], NULL);
  g_assert_true (cs_saliency_run (x, NULL, labels, k, &opt, NULL, &r, &error));
  g_assert_no_error (error);

  for (guint c = 0; c < k; c++)
    {
      g_auto (GStrv) f = g_strsplit (lines[c + 1], ",", -1);
      double norm = 0.0;

      g_assert_cmpuint (g_strv_length (f), ==, x->cols + 1);
      for (guint j = 0; j <= x->cols; j++)
        norm = MAX (norm, fabs (g_ascii_strtod (f[j], NULL)));
      for (guint j = 0; j <= x->cols; j++)
        {
          double ref = g_ascii_strtod (f[j], NULL);
          double got = r->coef[c * (x->cols + 1) + j];
          max_rel = MAX (max_rel, fabs (got - ref) / norm);
        }
    }
  g_test_message ("%s: largest coefficient difference %.3g (relative to the largest coefficient)", name, max_rel);
  g_assert_cmpfloat (max_rel, <, 1e-6);
  g_assert_cmpfloat (r->surrogate_accuracy, >, 0.8);
  g_assert_cmpfloat (r->surrogate_accuracy, <=, 1.0);
}

static void
test_logreg_iris (void)
{
  check_against_sklearn ("iris");
}

static void
test_logreg_blobs (void)
{
  check_against_sklearn ("blobs");
}

/* Random data with d features, k clusters shifted in every feature, labels in blocks;
 * column `constant` (if < d) holds one value and column `twin` (if < d) copies column 0. */
static CsMatrix *
make_data (gsize   n,
           guint   d,
           guint   k,
           guint   constant,
           guint   twin,
           guint32 seed,
           int    *labels)
{
  g_autoptr (GRand) rng = g_rand_new_with_seed (seed);
  CsMatrix *x = cs_matrix_new (n, d);

  for (gsize i = 0; i < n; i++)
    {
      labels[i] = (int) (i % k);
      for (guint j = 0; j < d; j++)
        x->data[i * d + j] = gauss (rng) + 0.8 * labels[i] * ((j % 3) == 0 ? 1.0 : -0.5);
      if (constant < d)
        x->data[i * d + constant] = 3.25;
      if (twin < d)
        x->data[i * d + twin] = x->data[i * d];
    }
  return x;
}

static void
test_shapley_axioms (void)
{
  gsize n = 90;
  guint d = 6;
  guint k = 3;
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = make_data (n, d, k, 4, 5, 11, labels);
  g_autoptr (CsSaliencyReport) r = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree double *phi = g_new (double, d);

  g_assert_true (cs_saliency_run (x, NULL, labels, k, NULL, NULL, &r, &error));
  g_assert_no_error (error);

  for (guint c = 0; c < k; c++)
    {
      double ef = 0.0;

      for (gsize i = 0; i < n; i++)
        ef += cs_saliency_report_logit (r, c, cs_matrix_row (x, i));
      ef /= n;

      /* the constant feature is ignored by the model: weight exactly 0 */
      g_assert_cmpfloat (r->coef[c * (d + 1) + 4], ==, 0.0);
      for (gsize i = 0; i < n; i++)
        {
          const double *row = cs_matrix_row (x, i);
          double f = cs_saliency_report_logit (r, c, row);
          double sum = 0.0;

          cs_saliency_report_shapley (r, c, row, phi);
          for (guint j = 0; j < d; j++)
            sum += phi[j];
          /* efficiency */
          g_assert_cmpfloat_with_epsilon (sum, f - ef, 1e-10 * (1.0 + fabs (f)));
          /* dummy */
          g_assert_cmpfloat (phi[4], ==, 0.0);
          /* symmetry: features 0 and 5 are identical columns */
          g_assert_cmpfloat_with_epsilon (phi[0], phi[5], 1e-10 * (1.0 + fabs (phi[0])));
        }
      g_assert_cmpfloat (r->favourable[c * d + 4], ==, 0.0);
      g_assert_cmpfloat (r->unfavourable[c * d + 4], ==, 0.0);
      for (guint j = 0; j < d; j++)
        {
          g_assert_cmpfloat (r->favourable[c * d + j], >=, 0.0);
          g_assert_cmpfloat (r->unfavourable[c * d + j], <=, 0.0);
          g_assert_cmpfloat_with_epsilon (r->shap_mean_abs[c * d + j],
                                          r->favourable[c * d + j] - r->unfavourable[c * d + j], 1e-12);
        }
    }
}

/* v(S) = E over the data rows b of f(x_S, b_{S̄}): the interventional value function under
 * feature independence, enumerated over all 2^d coalitions. */
static void
test_shapley_enumeration (void)
{
  gsize n = 40;
  guint d = 7;
  guint k = 3;
  guint ncoal = 1u << d;
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = make_data (n, d, k, G_MAXUINT, G_MAXUINT, 5, labels);
  g_autoptr (CsSaliencyReport) r = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree double *v = g_new (double, ncoal);
  g_autofree double *phi = g_new (double, d);
  g_autofree double *mixed = g_new (double, d);
  double fact[16];

  fact[0] = 1.0;
  for (guint i = 1; i < 16; i++)
    fact[i] = fact[i - 1] * i;

  g_assert_true (cs_saliency_run (x, NULL, labels, k, NULL, NULL, &r, &error));
  g_assert_no_error (error);

  for (guint c = 0; c < k; c++)
    for (gsize p = 0; p < n; p += 7)
      {
        const double *row = cs_matrix_row (x, p);

        for (guint s = 0; s < ncoal; s++)
          {
            double acc = 0.0;
            for (gsize b = 0; b < n; b++)
              {
                for (guint j = 0; j < d; j++)
                  mixed[j] = (s >> j) & 1 ? row[j] : cs_matrix_get (x, b, j);
                acc += cs_saliency_report_logit (r, c, mixed);
              }
            v[s] = acc / n;
          }
        cs_saliency_report_shapley (r, c, row, phi);
        for (guint j = 0; j < d; j++)
          {
            double sh = 0.0;
            for (guint s = 0; s < ncoal; s++)
              {
                guint size;
                if ((s >> j) & 1)
                  continue;
                size = __builtin_popcount (s);
                sh += fact[size] * fact[d - size - 1] / fact[d] * (v[s | (1u << j)] - v[s]);
              }
            g_assert_cmpfloat_with_epsilon (sh, phi[j], 1e-10);
          }
      }
}

static void
test_effect_sizes (void)
{
  gsize n = 57;
  guint d = 3;
  guint k = 3;
  g_autofree int *labels = g_new (int, n);
  g_autoptr (GRand) rng = g_rand_new_with_seed (3);
  g_autoptr (CsMatrix) x = cs_matrix_new (n, d);
  g_autoptr (CsSaliencyReport) r = NULL;
  g_autoptr (GError) error = NULL;

  for (gsize i = 0; i < n; i++)
    {
      /* a few noise rows, which take no part */
      labels[i] = i % 11 == 10 ? -1 : (int) (i % k);
      /* integers, so that ties exercise the midranks */
      x->data[i * d + 0] = g_rand_int_range (rng, 0, 6) + (labels[i] == 1 ? 2 : 0);
      x->data[i * d + 1] = gauss (rng) - (labels[i] == 2 ? 1.5 : 0.0);
      x->data[i * d + 2] = g_rand_int_range (rng, 0, 3);
    }
  g_assert_true (cs_saliency_run (x, NULL, labels, k, NULL, NULL, &r, &error));
  g_assert_no_error (error);

  for (guint c = 0; c < k; c++)
    for (guint j = 0; j < d; j++)
      {
        double s1 = 0.0;
        double s2 = 0.0;
        double q1 = 0.0;
        double q2 = 0.0;
        double n1 = 0.0;
        double n2 = 0.0;
        double gt = 0.0;
        double lt = 0.0;
        double m1;
        double m2;
        double v1;
        double v2;
        double sp;
        double g;
        double se;
        double jc;

        for (gsize a = 0; a < n; a++)
          {
            double va = x->data[a * d + j];
            if (labels[a] < 0)
              continue;
            if (labels[a] == (int) c)
              {
                n1++;
                s1 += va;
                q1 += va * va;
                for (gsize b = 0; b < n; b++)
                  if (labels[b] >= 0 && labels[b] != (int) c)
                    {
                      double vb = x->data[b * d + j];
                      gt += va > vb;
                      lt += va < vb;
                    }
              }
            else
              {
                n2++;
                s2 += va;
                q2 += va * va;
              }
          }
        m1 = s1 / n1;
        m2 = s2 / n2;
        v1 = (q1 - n1 * m1 * m1) / (n1 - 1);
        v2 = (q2 - n2 * m2 * m2) / (n2 - 1);
        sp = sqrt (((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2));
        jc = 1.0 - 3.0 / (4.0 * (n1 + n2 - 2) - 1.0);
        g = jc * (m1 - m2) / sp;
        se = jc * sqrt ((n1 + n2) / (n1 * n2) + (g / jc) * (g / jc) / (2 * (n1 + n2)));

        g_assert_cmpuint (r->sizes[c], ==, (gsize) n1);
        g_assert_cmpfloat_with_epsilon (r->hedges_g[c * d + j], g, 1e-10);
        g_assert_cmpfloat_with_epsilon (r->hedges_g_lo[c * d + j], g - 1.96 * se, 1e-4);
        g_assert_cmpfloat_with_epsilon (r->hedges_g_hi[c * d + j], g + 1.96 * se, 1e-4);
        g_assert_cmpfloat_with_epsilon (r->cliff_delta[c * d + j], (gt - lt) / (n1 * n2), 1e-12);
      }
  /* the shifted cluster shows in both measures with the right sign */
  g_assert_cmpfloat (r->hedges_g[1 * d + 0], >, 0.5);
  g_assert_cmpfloat (r->cliff_delta[1 * d + 0], >, 0.3);
  g_assert_cmpfloat (r->hedges_g_lo[1 * d + 0], >, 0.0);
  g_assert_cmpfloat (r->hedges_g[2 * d + 1], <, -0.5);
}

/* Clusters that differ only in features 2 and 5 (counted from 1, as the UI does). */
static void
test_summary_ranks_informative (void)
{
  gsize per = 100;
  guint k = 3;
  guint d = 8;
  gsize n = per * k;
  /* cluster means of features 2 and 5: every cluster differs from the rest in both */
  const double mu[3][2] = { { 0, 0 }, { 8, 2 }, { 2, 8 } };
  const char *names[] = { "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", NULL };
  g_autofree int *labels = g_new (int, n);
  g_autoptr (GRand) rng = g_rand_new_with_seed (7);
  g_autoptr (CsMatrix) x = cs_matrix_new (n, d);
  g_autoptr (CsSaliencyReport) r = NULL;
  g_autoptr (GError) error = NULL;
  guint order[8];

  for (gsize i = 0; i < n; i++)
    {
      labels[i] = (int) (i / per);
      for (guint j = 0; j < d; j++)
        x->data[i * d + j] = gauss (rng);
      x->data[i * d + 1] += mu[labels[i]][0];
      x->data[i * d + 4] += mu[labels[i]][1];
    }
  g_assert_true (cs_saliency_run (x, names, labels, k, NULL, NULL, &r, &error));
  g_assert_no_error (error);

  for (guint c = 0; c < k; c++)
    {
      g_autofree char *prefix = g_strdup_printf ("Cluster %u (100 rows, 33 %%): ", c + 1);
      const char *s = r->summaries[c];
      const char *first;
      const char *second;

      g_test_message ("%s", s);
      cs_saliency_report_rank (r, c, order);
      g_assert_true ((order[0] == 1 && order[1] == 4) || (order[0] == 4 && order[1] == 1));

      g_assert_true (g_str_has_prefix (s, prefix));
      first = s + strlen (prefix);
      second = strstr (first, "), ");
      g_assert_nonnull (second);
      second += 3;
      g_assert_true ((g_str_has_prefix (first, "f2 ") && g_str_has_prefix (second, "f5 "))
                     || (g_str_has_prefix (first, "f5 ") && g_str_has_prefix (second, "f2 ")));
    }
  /* cluster 1 sits low in both; cluster 2 high in f2 */
  g_assert_nonnull (strstr (r->summaries[0], "f2 low (\xe2\x88\x92"));
  g_assert_nonnull (strstr (r->summaries[1], "f2 high (+"));
  g_assert_cmpfloat (r->surrogate_accuracy, >, 0.95);
  for (guint c = 0; c < k; c++)
    g_assert_cmpfloat (r->model_accuracy[c], >, 0.9);
}

/* Proportions counted by hand on a small table: 10 rows, one missing value, one noise row,
 * and the labelled items in a different order from the dataset rows. */
static void
test_categorical (void)
{
  const int codes[10] = { 0, 1, 1, 2, 0, -1, 2, 2, 1, 0 };
  const char *const levels[] = { "red", "green", "blue" };
  const gsize rows[9] = { 9, 8, 7, 6, 5, 4, 3, 2, 1 };
  /* labels of dataset rows 9, 8, ..., 1 */
  const int labels[9] = { 0, 0, 1, 1, 0, 0, 1, -1, 0 };
  g_autoptr (CsDataset) ds = cs_dataset_new ("colours", 10);
  g_autoptr (CsSaliencyCategorical) cat = NULL;
  g_autoptr (GError) error = NULL;
  double se;

  cs_dataset_add_categorical (ds, "colour", codes, levels, 3);
  g_assert_true (cs_saliency_categorical (ds, 0, rows, labels, 9, 2, &cat, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cat->n_levels, ==, 3);
  g_assert_cmpstr (cat->levels[2], ==, "blue");
  /* cluster 0: rows 9 (red), 8 (green), 5 (missing), 4 (red), 1 (green) -> 2 red, 2 green of 4
   * cluster 1: rows 7 (blue), 6 (blue), 3 (blue) -> 3 blue of 3 */
  g_assert_cmpfloat_with_epsilon (cat->proportion[0 * 3 + 0], 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (cat->proportion[0 * 3 + 1], 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (cat->proportion[0 * 3 + 2], 0.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (cat->proportion[1 * 3 + 2], 1.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (cat->rest_proportion[1 * 3 + 0], 0.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (cat->rest_proportion[0 * 3 + 2], 1.0, 1e-15);
  se = sqrt (0.25 / 4 + 0.0);
  g_assert_cmpfloat_with_epsilon (cat->diff_lo[0 * 3 + 0], 0.5 - 1.96 * se, 1e-4);
  g_assert_cmpfloat_with_epsilon (cat->diff_hi[0 * 3 + 0], 0.5 + 1.96 * se, 1e-4);

  g_clear_pointer (&cat, cs_saliency_categorical_free);
  cs_dataset_add_numeric (ds, "size", g_new0 (double, 10));
  g_assert_false (cs_saliency_categorical (ds, 1, rows, labels, 9, 2, &cat, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_null (cat);
}

static void
test_bad_input (void)
{
  gsize n = 12;
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = make_data (n, 2, 3, G_MAXUINT, G_MAXUINT, 1, labels);
  g_autoptr (CsMatrix) empty = cs_matrix_new (n, 0);
  CsSaliencyReport *r = NULL;
  GError *error = NULL;

  g_assert_false (cs_saliency_run (x, NULL, labels, 1, NULL, NULL, &r, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (cs_saliency_run (empty, NULL, labels, 3, NULL, NULL, &r, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* cluster 4 of 4 has no rows */
  g_assert_false (cs_saliency_run (x, NULL, labels, 4, NULL, NULL, &r, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  labels[3] = 7;
  g_assert_false (cs_saliency_run (x, NULL, labels, 3, NULL, NULL, &r, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (r);
}

static void
test_cancel (void)
{
  gsize n = 60;
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = make_data (n, 3, 3, G_MAXUINT, G_MAXUINT, 2, labels);
  g_autoptr (CsProgress) progress = cs_progress_new (NULL, NULL, NULL);
  CsSaliencyReport *r = NULL;
  GError *error = NULL;

  cs_progress_cancel (progress);
  g_assert_false (cs_saliency_run (x, NULL, labels, 3, NULL, progress, &r, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  g_assert_null (r);
  g_clear_error (&error);
}

static gboolean
stop_at_surrogate (double      fraction,
                   const char *stage,
                   gpointer    user_data)
{
  guint *seen_effects = user_data;

  if (g_strcmp0 (stage, "effect sizes") == 0)
    (*seen_effects)++;
  return g_strcmp0 (stage, "logistic surrogate") != 0;
}

static void
test_cancel_from_callback (void)
{
  gsize n = 300;
  guint seen_effects = 0;
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = make_data (n, 4, 3, G_MAXUINT, G_MAXUINT, 4, labels);
  g_autoptr (CsProgress) progress = cs_progress_new (stop_at_surrogate, &seen_effects, NULL);
  CsSaliencyReport *r = NULL;
  GError *error = NULL;

  g_assert_false (cs_saliency_run (x, NULL, labels, 3, NULL, progress, &r, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  g_assert_cmpuint (seen_effects, >, 0);
  g_assert_null (r);
  g_clear_error (&error);
}

typedef struct
{
  CsProgress *progress;
  gint64      cancelled_at;
} CancelLater;

static gpointer
cancel_later (gpointer data)
{
  CancelLater *cl = data;

  g_usleep (150000);
  cl->cancelled_at = g_get_monotonic_time ();
  cs_progress_cancel (cl->progress);
  return NULL;
}

/* A cancel in the middle of the surrogate fit on a large input takes effect promptly. */
static void
test_cancel_latency (void)
{
  gsize n = 200000;
  guint d = 20;
  guint k = 8;
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = make_data (n, d, k, G_MAXUINT, G_MAXUINT, 8, labels);
  g_autoptr (CsProgress) progress = cs_progress_new (NULL, NULL, NULL);
  CancelLater cl = { progress, 0 };
  CsSaliencyReport *r = NULL;
  GError *error = NULL;
  GThread *thread;
  double latency;

  thread = g_thread_new ("cancel", cancel_later, &cl);
  g_assert_false (cs_saliency_run (x, NULL, labels, k, NULL, progress, &r, &error));
  latency = (g_get_monotonic_time () - cl.cancelled_at) / 1e6;
  g_thread_join (thread);
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  g_assert_null (r);
  g_test_message ("cancel latency %.1f ms", latency * 1e3);
  g_assert_cmpfloat (latency, <, 0.1 * cs_test_time_scale ());
  g_clear_error (&error);
}

static void
test_deterministic (void)
{
  gsize n = 120;
  guint d = 4;
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = make_data (n, d, 4, G_MAXUINT, G_MAXUINT, 9, labels);
  g_autoptr (CsSaliencyReport) a = NULL;
  g_autoptr (CsSaliencyReport) b = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (cs_saliency_run (x, NULL, labels, 4, NULL, NULL, &a, &error));
  g_assert_true (cs_saliency_run (x, NULL, labels, 4, NULL, NULL, &b, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (a->coef, 4 * (d + 1) * sizeof (double), b->coef, 4 * (d + 1) * sizeof (double));
  g_assert_cmpmem (a->favourable, 4 * d * sizeof (double), b->favourable, 4 * d * sizeof (double));
  for (guint c = 0; c < 4; c++)
    g_assert_cmpstr (a->summaries[c], ==, b->summaries[c]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/saliency/logreg/matches-sklearn-iris", test_logreg_iris);
  g_test_add_func ("/core/saliency/logreg/matches-sklearn-blobs", test_logreg_blobs);
  g_test_add_func ("/core/saliency/shapley/axioms", test_shapley_axioms);
  g_test_add_func ("/core/saliency/shapley/enumeration-equals-closed-form", test_shapley_enumeration);
  g_test_add_func ("/core/saliency/effects/hedges-and-cliff-match-direct", test_effect_sizes);
  g_test_add_func ("/core/saliency/summary/ranks-informative-features-first", test_summary_ranks_informative);
  g_test_add_func ("/core/saliency/categorical/proportions", test_categorical);
  g_test_add_func ("/core/saliency/bad-input", test_bad_input);
  g_test_add_func ("/core/saliency/cancel/before-start", test_cancel);
  g_test_add_func ("/core/saliency/cancel/from-callback", test_cancel_from_callback);
  g_test_add_func ("/core/saliency/cancel/latency", test_cancel_latency);
  g_test_add_func ("/core/saliency/deterministic", test_deterministic);

  return g_test_run ();
}
