/* Saliency core: effect sizes, the logistic surrogate and its exact Shapley values.
 *
 * The reference coefficients in fixtures/saliency/ come from scikit-learn 1.2.1:
 *   /usr/bin/python3 tests/fixtures/saliency/make_fixtures.py */

#include "core/explain/cs-saliency.h"
#include "core/base/cs-error.h"
#include "core/metrics/cs-metrics.h"
#include "core/explain/cs-shapley.h"
#include "test-common.h"

#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

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

/* Counts and row numbers in the report's summaries and in its errors are grouped, as every
 * message prints numbers: "1,500 rows", "row 1,234". */
static void
test_grouped_counts (void)
{
  gsize n = 3000;
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = make_data (n, 2, 2, G_MAXUINT, G_MAXUINT, 5, labels);
  CsSaliencyReport *r = NULL;
  GError *error = NULL;

  g_assert_true (cs_saliency_run (x, NULL, labels, 2, NULL, NULL, &r, &error));
  g_assert_no_error (error);
  for (guint c = 0; c < 2; c++)
    g_assert_true (g_str_has_prefix (r->summaries[c], c == 0 ? "Cluster 1 (1,500 rows, 50 %)"
                                                             : "Cluster 2 (1,500 rows, 50 %)"));
  cs_saliency_report_free (r);
  r = NULL;

  labels[1233] = 9;
  g_assert_false (cs_saliency_run (x, NULL, labels, 2, NULL, NULL, &r, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "row 1,234 has label 9"));
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
  gint64      cancelled_at; /* CPU time of the worker thread when cancelled */
  clockid_t   clock;        /* the worker thread's CPU clock */
} CancelLater;

static gpointer
cancel_later (gpointer data)
{
  CancelLater *cl = data;

  g_usleep (150000);
  cl->cancelled_at = cs_test_cpu_us (cl->clock);
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
  CancelLater cl = { progress, 0, cs_test_cpu_clock () };
  CsSaliencyReport *r = NULL;
  GError *error = NULL;
  GThread *thread;
  double latency;

  thread = g_thread_new ("cancel", cancel_later, &cl);
  g_assert_false (cs_saliency_run (x, NULL, labels, k, NULL, progress, &r, &error));
  latency = (cs_test_cpu_us (cl.clock) - cl.cancelled_at) / 1e6;
  g_thread_join (thread);
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  g_assert_null (r);
  g_test_message ("cancel latency %.1f ms", latency * 1e3);
  g_assert_cmpfloat (latency, <, 0.1 * cs_test_cpu_scale ());
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

/* A game with known Shapley values: v = 2 z0 z1 + z2 + 3 z3 z4 + [z0 or z2], with feature 5
 * a dummy. Pairs split their joint worth evenly, so φ = (1.5, 1, 1.5, 1.5, 1.5, 0); features
 * 3 and 4 are symmetric. */
static double
known_game (const guint8 *z,
            gpointer      user_data)
{
  guint *calls = user_data;

  if (calls)
    (*calls)++;
  return 2.0 * (z[0] && z[1]) + z[2] + 3.0 * (z[3] && z[4]) + (z[0] || z[2]);
}

static void
check_efficiency (const double *phi,
                  guint         d,
                  double        v_all,
                  double        v_empty)
{
  double sum = 0.0;

  for (guint j = 0; j < d; j++)
    sum += phi[j];
  g_assert_cmpfloat_with_epsilon (sum, v_all - v_empty, 1e-12);
}

static void
test_exact_known_game (void)
{
  const double expect[6] = { 1.5, 1.0, 1.5, 1.5, 1.5, 0.0 };
  double phi[6];
  guint calls = 0;
  g_autoptr (GError) error = NULL;

  g_assert_true (cs_shapley_exact (6, known_game, &calls, NULL, phi, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (calls, ==, 64);
  for (guint j = 0; j < 6; j++)
    g_assert_cmpfloat_with_epsilon (phi[j], expect[j], 1e-12);
  /* dummy: exactly 0; symmetry: equal */
  g_assert_cmpfloat (phi[5], ==, 0.0);
  g_assert_cmpfloat_with_epsilon (phi[3], phi[4], 1e-15);
  check_efficiency (phi, 6, 7.0, 0.0);

  /* KernelSHAP with every coalition (2^6 − 2 = 62) is exact too */
  g_assert_true (cs_kernelshap (6, known_game, NULL, 62, 3, NULL, phi, &error));
  g_assert_no_error (error);
  for (guint j = 0; j < 6; j++)
    g_assert_cmpfloat_with_epsilon (phi[j], expect[j], 1e-10);
  check_efficiency (phi, 6, 7.0, 0.0);

  /* with fewer, efficiency still holds exactly: it is a constraint, not an estimate */
  for (guint64 seed = 0; seed < 5; seed++)
    {
      g_assert_true (cs_kernelshap (6, known_game, NULL, 20, seed, NULL, phi, &error));
      g_assert_no_error (error);
      check_efficiency (phi, 6, 7.0, 0.0);
    }
}

typedef struct
{
  guint         d;
  const double *w;
  const double *x;
  const double *mean;
} LinearGame;

static double
linear_game (const guint8 *z,
             gpointer      user_data)
{
  const LinearGame *g = user_data;
  double v = 0.0;

  for (guint j = 0; j < g->d; j++)
    if (z[j])
      v += g->w[j] * (g->x[j] - g->mean[j]);
  return v;
}

/* For a linear game the Shapley value is the closed form w_j (x_j − E x_j). */
static void
test_exact_linear_closed_form (void)
{
  guint d = 10;
  g_autoptr (GRand) rng = g_rand_new_with_seed (21);
  double w[10];
  double x[10];
  double mean[10];
  double phi[10];
  double total = 0.0;
  LinearGame g = { d, w, x, mean };
  g_autoptr (GError) error = NULL;

  for (guint j = 0; j < d; j++)
    {
      w[j] = gauss (rng);
      x[j] = 3.0 * gauss (rng);
      mean[j] = gauss (rng);
      total += w[j] * (x[j] - mean[j]);
    }
  g_assert_true (cs_shapley_exact (d, linear_game, &g, NULL, phi, &error));
  g_assert_no_error (error);
  for (guint j = 0; j < d; j++)
    g_assert_cmpfloat_with_epsilon (phi[j], w[j] * (x[j] - mean[j]), 1e-12);
  check_efficiency (phi, d, total, 0.0);

  g_assert_true (cs_kernelshap (d, linear_game, &g, 1022, 1, NULL, phi, &error));
  g_assert_no_error (error);
  for (guint j = 0; j < d; j++)
    g_assert_cmpfloat_with_epsilon (phi[j], w[j] * (x[j] - mean[j]), 1e-10);
}

typedef struct
{
  const CsSaliencyReport *r;
  guint                   cluster;
  const double           *row;
  double                 *mixed;
} LogitGame;

/* The surrogate's logit with the features outside S at their mean. */
static double
logit_game (const guint8 *z,
            gpointer      user_data)
{
  const LogitGame *g = user_data;

  for (guint j = 0; j < g->r->d; j++)
    g->mixed[j] = z[j] ? g->row[j] : g->r->center[j];
  return cs_saliency_report_logit (g->r, g->cluster, g->mixed);
}

static void
test_exact_matches_surrogate (void)
{
  gsize n = 60;
  guint d = 6;
  guint k = 3;
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = make_data (n, d, k, G_MAXUINT, G_MAXUINT, 13, labels);
  g_autoptr (CsSaliencyReport) r = NULL;
  g_autoptr (GError) error = NULL;
  double phi[6];
  double ref[6];
  double mixed[6];

  g_assert_true (cs_saliency_run (x, NULL, labels, k, NULL, NULL, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (r->method, ==, "linear");
  for (guint c = 0; c < k; c++)
    {
      g_assert_cmpuint (r->shap_rows[c], ==, r->sizes[c]);
      for (gsize i = 0; i < n; i += 5)
        {
          LogitGame g = { r, c, cs_matrix_row (x, i), mixed };

          g_assert_true (cs_shapley_exact (d, logit_game, &g, NULL, phi, &error));
          g_assert_no_error (error);
          cs_saliency_report_shapley (r, c, cs_matrix_row (x, i), ref);
          for (guint j = 0; j < d; j++)
            g_assert_cmpfloat_with_epsilon (phi[j], ref[j], 1e-12);
        }
    }
}

/* A nonlinear game on 8 features: the probability of a logistic model with interactions,
 * features outside S set to 0. */
static double
interaction_game (const guint8 *z,
                  gpointer      user_data)
{
  const double *x = user_data;
  double t = 0.3;

  for (guint j = 0; j < 8; j++)
    if (z[j])
      t += (0.5 + 0.25 * j) * x[j];
  if (z[1] && z[2])
    t += 1.5 * x[1] * x[2];
  if (z[5] && z[6] && z[7])
    t -= x[5] * x[6] * x[7];
  return 1.0 / (1.0 + exp (-t));
}

static void
test_kernelshap_matches_exact (void)
{
  const double x[8] = { 1.2, -0.7, 1.1, 0.4, -1.5, 0.9, 1.3, -0.8 };
  guint8 none[8] = { 0 };
  guint8 all[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
  double exact[8];
  double phi[8];
  double again[8];
  double mean[8] = { 0 };
  double largest = 0.0;
  double worst = 0.0;
  double mean_err = 0.0;
  double spread = 0.0;
  g_autoptr (GError) error = NULL;

  g_assert_true (cs_shapley_exact (8, interaction_game, (gpointer) x, NULL, exact, &error));
  g_assert_no_error (error);
  for (guint j = 0; j < 8; j++)
    largest = MAX (largest, fabs (exact[j]));

  for (guint64 seed = 1; seed <= 40; seed++)
    {
      double diff = 0.0;

      /* 160 of the 254 coalitions: sizes 1, 2, 6, 7 enumerated, 3 … 5 sampled */
      g_assert_true (cs_kernelshap (8, interaction_game, (gpointer) x, 160, seed, NULL, phi, &error));
      g_assert_no_error (error);
      check_efficiency (phi, 8, interaction_game (all, (gpointer) x), interaction_game (none, (gpointer) x));
      for (guint j = 0; j < 8; j++)
        {
          diff = MAX (diff, fabs (phi[j] - exact[j]));
          mean[j] += phi[j] / 40.0;
        }
      worst = MAX (worst, diff);
      if (seed > 1)
        for (guint j = 0; j < 8; j++)
          spread = MAX (spread, fabs (phi[j] - again[j]));
      memcpy (again, phi, sizeof phi);

      g_assert_true (cs_kernelshap (8, interaction_game, (gpointer) x, 160, seed, NULL, again, &error));
      g_assert_cmpmem (phi, sizeof phi, again, sizeof again);
    }
  for (guint j = 0; j < 8; j++)
    mean_err = MAX (mean_err, fabs (mean[j] - exact[j]));
  g_test_message ("KernelSHAP, 160 samples: largest error %.3g, of the mean of 40 seeds %.3g, against "
                  "largest |φ| %.3g", worst, mean_err, largest);
  /* Over 400 seeds the rms error is 2 % of the largest |φ| and the worst 8 %. The mean over
   * seeds is nearly unbiased (0.4 %), so it catches a wrong weight on the sampled sizes,
   * which a single estimate's noise would hide. */
  g_assert_cmpfloat (worst, <, 0.1 * largest);
  g_assert_cmpfloat (mean_err, <, 0.015 * largest);
  /* the seeds do give different samples */
  g_assert_cmpfloat (spread, >, 0.0);

  /* from 2^8 − 2 samples on, every coalition with its exact weight */
  for (guint n_samples = 254; n_samples <= 4096; n_samples *= 4)
    {
      g_assert_true (cs_kernelshap (8, interaction_game, (gpointer) x, n_samples, 9, NULL, phi, &error));
      for (guint j = 0; j < 8; j++)
        g_assert_cmpfloat_with_epsilon (phi[j], exact[j], 1e-10);
    }
}

static void
test_kernelshap_plan (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsKernelShapPlan) full = cs_kernelshap_plan_new (5, 30, 0, NULL, &error);
  g_autoptr (CsKernelShapPlan) part = cs_kernelshap_plan_new (12, 200, 4, NULL, &error);
  gsize n;

  g_assert_no_error (error);
  g_assert_true (cs_kernelshap_plan_is_complete (full));
  g_assert_cmpuint (cs_kernelshap_plan_n_coalitions (full), ==, 30);
  g_assert_false (cs_kernelshap_plan_is_complete (part));
  n = cs_kernelshap_plan_n_coalitions (part);
  g_assert_cmpuint (n % 2, ==, 0);
  g_assert_cmpuint (n, <=, 201);
  g_assert_cmpuint (n, >=, 199);
  for (gsize i = 0; i < n; i += 2)
    {
      const guint8 *a = cs_kernelshap_plan_coalition (part, i);
      const guint8 *b = cs_kernelshap_plan_coalition (part, i + 1);
      guint size = 0;

      for (guint j = 0; j < 12; j++)
        {
          /* complementary pairs, never ∅ or the full set */
          g_assert_cmpuint (a[j] + b[j], ==, 1);
          size += a[j];
        }
      g_assert_cmpuint (size, >=, 1);
      g_assert_cmpuint (size, <=, 11);
    }
  /* sizes 1 and 11 carry the most kernel weight and are cheap: all 24 come first */
  for (guint j = 0; j < 12; j++)
    g_assert_cmpuint (cs_kernelshap_plan_coalition (part, 2 * j)[j], ==, 1);
}

static double
one_feature_game (const guint8 *z,
                  gpointer      user_data)
{
  return 1.0 + 3.0 * z[0];
}

static void
test_kernelshap_bad_input (void)
{
  double phi[32];
  GError *error = NULL;

  g_assert_false (cs_shapley_exact (0, known_game, NULL, NULL, phi, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cs_shapley_exact (21, known_game, NULL, NULL, phi, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cs_kernelshap (0, known_game, NULL, 100, 0, NULL, phi, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cs_kernelshap (6, known_game, NULL, 6, 0, NULL, phi, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* d + 1 is enough */
  g_assert_true (cs_kernelshap (6, known_game, NULL, 7, 0, NULL, phi, &error));
  g_assert_no_error (error);
  check_efficiency (phi, 6, 7.0, 0.0);
  /* one feature takes the whole difference */
  g_assert_true (cs_kernelshap (1, one_feature_game, NULL, 2, 0, NULL, phi, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (phi[0], ==, 3.0);
}

/* The assignment game computed the slow, obvious way: build the hybrid, find its nearest
 * centre by full squared distances. */
typedef struct
{
  const CsMatrix *x;
  const CsMatrix *centers;
  const double   *row;
  guint           target;
  double         *hybrid;
} NaiveAssign;

static guint
nearest (const CsMatrix *centers,
         const double   *h)
{
  guint best = 0;
  double best_d = INFINITY;

  for (guint c = 0; c < centers->rows; c++)
    {
      double dist = 0.0;
      for (guint j = 0; j < centers->cols; j++)
        {
          double t = h[j] - cs_matrix_get (centers, c, j);
          dist += t * t;
        }
      if (dist < best_d)
        {
          best_d = dist;
          best = c;
        }
    }
  return best;
}

static double
naive_assign_game (const guint8 *z,
                   gpointer      user_data)
{
  NaiveAssign *g = user_data;
  guint hits = 0;

  for (gsize b = 0; b < g->x->rows; b++)
    {
      for (guint j = 0; j < g->x->cols; j++)
        g->hybrid[j] = z[j] ? g->row[j] : cs_matrix_get (g->x, b, j);
      hits += nearest (g->centers, g->hybrid) == g->target;
    }
  return (double) hits / g->x->rows;
}

static CsMatrix *
cluster_means (const CsMatrix *x,
               const int      *labels,
               guint           k)
{
  CsMatrix *m = cs_matrix_new (k, x->cols);
  g_autofree double *count = g_new0 (double, k);

  for (gsize i = 0; i < x->rows; i++)
    {
      count[labels[i]] += 1.0;
      for (guint j = 0; j < x->cols; j++)
        m->data[labels[i] * x->cols + j] += cs_matrix_get (x, i, j);
    }
  for (guint c = 0; c < k; c++)
    for (guint j = 0; j < x->cols; j++)
      m->data[c * x->cols + j] /= count[c];
  return m;
}

/* With every row as background and every row explained, the maps must equal the aggregates
 * of the obvious computation: exactly enumerated, and sampled with the same plan. */
static void
test_assignment_matches_brute_force (void)
{
  gsize n = 36;
  guint d = 4;
  guint k = 3;
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = make_data (n, d, k, G_MAXUINT, G_MAXUINT, 17, labels);
  g_autoptr (CsMatrix) centers = cluster_means (x, labels, k);
  g_autoptr (GError) error = NULL;
  double hybrid[4];
  double phi[4];

  for (int exact = 1; exact >= 0; exact--)
    {
      g_autoptr (CsSaliencyReport) r = NULL;
      g_autofree double *fav = g_new0 (double, k * d);
      g_autofree double *unfav = g_new0 (double, k * d);
      g_autofree double *mabs = g_new0 (double, k * d);
      CsKernelShapOptions opt;

      g_assert_true (cs_saliency_run (x, NULL, labels, k, NULL, NULL, &r, &error));
      cs_kernelshap_options_init (&opt);
      opt.n_background = 1000;
      opt.max_rows_per_cluster = 0;
      opt.exact = exact;
      opt.n_samples = 10;
      opt.seed = 5;
      g_assert_true (cs_saliency_report_apply_kernelshap (r, x, labels, centers, &opt, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (r->method, ==, "kernelshap");
      g_assert_cmpuint (r->shap_background, ==, n);
      g_assert_cmpuint (r->shap_coalitions, ==, exact ? 16 : 12);

      for (gsize i = 0; i < n; i++)
        {
          NaiveAssign g = { x, centers, cs_matrix_row (x, i), (guint) labels[i], hybrid };

          if (exact)
            g_assert_true (cs_shapley_exact (d, naive_assign_game, &g, NULL, phi, &error));
          else
            g_assert_true (cs_kernelshap (d, naive_assign_game, &g, opt.n_samples, opt.seed, NULL, phi, &error));
          g_assert_no_error (error);
          for (guint j = 0; j < d; j++)
            {
              fav[labels[i] * d + j] += MAX (phi[j], 0.0);
              unfav[labels[i] * d + j] += MIN (phi[j], 0.0);
              mabs[labels[i] * d + j] += fabs (phi[j]);
            }
        }
      for (guint c = 0; c < k; c++)
        {
          double sum = 0.0;
          double own = 0.0;
          double base = 0.0;

          g_assert_cmpuint (r->shap_rows[c], ==, r->sizes[c]);
          for (guint j = 0; j < d; j++)
            {
              gsize at = c * d + j;
              g_assert_cmpfloat_with_epsilon (r->favourable[at], fav[at] / r->sizes[c], 1e-10);
              g_assert_cmpfloat_with_epsilon (r->unfavourable[at], unfav[at] / r->sizes[c], 1e-10);
              g_assert_cmpfloat_with_epsilon (r->shap_mean_abs[at], mabs[at] / r->sizes[c], 1e-10);
              sum += r->favourable[at] + r->unfavourable[at];
            }
          /* efficiency, averaged over the cluster: share of its rows nearest to their centre
           * minus the share of the background nearest to it */
          for (gsize i = 0; i < n; i++)
            {
              guint a = nearest (centers, cs_matrix_row (x, i));
              own += labels[i] == (int) c && a == c;
              base += a == c;
            }
          g_assert_cmpfloat_with_epsilon (sum, own / r->sizes[c] - base / n, 1e-12);
        }
    }
}

/* Clusters that differ only in features 2 and 5: the assignment depends on little else, so
 * those two carry the Shapley values; a feature where all centres coincide gets exactly 0. */
static void
test_assignment_ranks_informative (void)
{
  gsize per = 60;
  guint k = 3;
  guint d = 8;
  gsize n = per * k;
  const double mu[3][2] = { { 0, 0 }, { 6, 2 }, { 2, 6 } };
  g_autofree int *labels = g_new (int, n);
  g_autoptr (GRand) rng = g_rand_new_with_seed (7);
  g_autoptr (CsMatrix) x = cs_matrix_new (n, d);
  g_autoptr (CsMatrix) centers = NULL;
  g_autoptr (GError) error = NULL;

  for (gsize i = 0; i < n; i++)
    {
      labels[i] = (int) (i / per);
      for (guint j = 0; j < d; j++)
        x->data[i * d + j] = gauss (rng);
      x->data[i * d + 1] += mu[labels[i]][0];
      x->data[i * d + 4] += mu[labels[i]][1];
    }
  centers = cluster_means (x, labels, k);
  /* feature 7: the centres coincide, though the rows do not */
  for (guint c = 0; c < k; c++)
    centers->data[c * d + 7] = 0.125;

  for (int exact = 1; exact >= 0; exact--)
    {
      g_autoptr (CsSaliencyReport) r = NULL;
      g_autoptr (CsSaliencyReport) again = NULL;
      CsKernelShapOptions opt;

      cs_kernelshap_options_init (&opt);
      opt.exact = exact;
      /* below 2^8 − 2, so really sampled */
      opt.n_samples = 100;
      opt.max_rows_per_cluster = 40;
      opt.seed = 3;
      g_assert_true (cs_saliency_run (x, NULL, labels, k, NULL, NULL, &r, &error));
      g_assert_true (cs_saliency_report_apply_kernelshap (r, x, labels, centers, &opt, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (r->shap_background, ==, 50);
      for (guint c = 0; c < k; c++)
        {
          const double *m = r->shap_mean_abs + c * d;

          g_assert_cmpuint (r->shap_rows[c], ==, 40);
          for (guint j = 0; j < d; j++)
            if (j != 1 && j != 4)
              {
                g_assert_cmpfloat (m[j], <, m[1]);
                g_assert_cmpfloat (m[j], <, m[4]);
              }
          g_assert_cmpfloat (m[1] + m[4], >, 0.2);
          if (exact)
            {
              g_assert_cmpfloat (r->favourable[c * d + 7], ==, 0.0);
              g_assert_cmpfloat (r->unfavourable[c * d + 7], ==, 0.0);
              g_assert_cmpfloat (m[7], ==, 0.0);
            }
        }

      /* same seed, same maps */
      g_assert_true (cs_saliency_run (x, NULL, labels, k, NULL, NULL, &again, &error));
      g_assert_true (cs_saliency_report_apply_kernelshap (again, x, labels, centers, &opt, NULL, &error));
      g_assert_cmpmem (r->shap_mean_abs, k * d * sizeof (double), again->shap_mean_abs, k * d * sizeof (double));
      g_assert_cmpmem (r->favourable, k * d * sizeof (double), again->favourable, k * d * sizeof (double));
    }
}

/* Rows are shared out among threads; the maps must not notice. */
static void
test_assignment_thread_count (void)
{
#ifdef _OPENMP
  gsize n = 240;
  guint d = 12;
  guint k = 4;
  int saved = omp_get_max_threads ();
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = make_data (n, d, k, G_MAXUINT, G_MAXUINT, 23, labels);
  g_autoptr (CsMatrix) centers = cluster_means (x, labels, k);
  g_autoptr (CsSaliencyReport) one = NULL;
  g_autoptr (CsSaliencyReport) two = NULL;
  g_autoptr (GError) error = NULL;
  CsKernelShapOptions opt;

  cs_kernelshap_options_init (&opt);
  opt.n_samples = 300;
  opt.seed = 8;
  g_assert_true (cs_saliency_run (x, NULL, labels, k, NULL, NULL, &one, &error));
  g_assert_true (cs_saliency_run (x, NULL, labels, k, NULL, NULL, &two, &error));
  omp_set_num_threads (1);
  g_assert_true (cs_saliency_report_apply_kernelshap (one, x, labels, centers, &opt, NULL, &error));
  omp_set_num_threads (3);
  g_assert_true (cs_saliency_report_apply_kernelshap (two, x, labels, centers, &opt, NULL, &error));
  omp_set_num_threads (saved);
  g_assert_no_error (error);
  g_assert_cmpuint (one->shap_coalitions, ==, 302);
  g_assert_cmpmem (one->favourable, k * d * sizeof (double), two->favourable, k * d * sizeof (double));
  g_assert_cmpmem (one->unfavourable, k * d * sizeof (double), two->unfavourable, k * d * sizeof (double));
  g_assert_cmpmem (one->shap_mean_abs, k * d * sizeof (double), two->shap_mean_abs, k * d * sizeof (double));
#else
  g_test_skip ("built without OpenMP");
#endif
}

static void
test_assignment_bad_input (void)
{
  gsize n = 30;
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = make_data (n, 3, 3, G_MAXUINT, G_MAXUINT, 1, labels);
  g_autoptr (CsMatrix) centers = cluster_means (x, labels, 3);
  g_autoptr (CsMatrix) wrong = cs_matrix_new (2, 3);
  g_autoptr (CsSaliencyReport) r = NULL;
  CsKernelShapOptions opt;
  GError *error = NULL;

  g_assert_true (cs_saliency_run (x, NULL, labels, 3, NULL, NULL, &r, &error));
  g_assert_false (cs_saliency_report_apply_kernelshap (r, x, labels, wrong, NULL, NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  cs_kernelshap_options_init (&opt);
  opt.exact = FALSE;
  opt.n_samples = 3;
  g_assert_false (cs_saliency_report_apply_kernelshap (r, x, labels, centers, &opt, NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  labels[0] = (labels[0] + 1) % 3;
  g_assert_false (cs_saliency_report_apply_kernelshap (r, x, labels, centers, NULL, NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpstr (r->method, ==, "linear");
}

/* digits-sized: n = 1797, d = 64, k = 10 */
static CsMatrix *
make_digits_like (int *labels)
{
  gsize n = 1797;
  guint d = 64;
  g_autoptr (GRand) rng = g_rand_new_with_seed (64);
  g_autoptr (CsMatrix) proto = cs_matrix_new (10, d);
  CsMatrix *x = cs_matrix_new (n, d);

  for (gsize t = 0; t < proto->rows * d; t++)
    proto->data[t] = g_rand_double_range (rng, 0.0, 16.0);
  for (gsize i = 0; i < n; i++)
    {
      labels[i] = (int) (i % 10);
      for (guint j = 0; j < d; j++)
        x->data[i * d + j] = proto->data[labels[i] * d + j] + 3.0 * gauss (rng);
    }
  return x;
}

static void
test_assignment_cancel (void)
{
  gsize n = 60;
  g_autofree int *labels = g_new (int, n);
  g_autoptr (CsMatrix) x = make_data (n, 3, 3, G_MAXUINT, G_MAXUINT, 2, labels);
  g_autoptr (CsMatrix) centers = cluster_means (x, labels, 3);
  g_autoptr (CsProgress) progress = cs_progress_new (NULL, NULL, NULL);
  g_autoptr (CsSaliencyReport) r = NULL;
  g_autofree double *before = NULL;
  GError *error = NULL;

  g_assert_true (cs_saliency_run (x, NULL, labels, 3, NULL, NULL, &r, &error));
  before = g_memdup2 (r->shap_mean_abs, 9 * sizeof (double));
  cs_progress_cancel (progress);
  g_assert_false (cs_saliency_report_apply_kernelshap (r, x, labels, centers, NULL, progress, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  g_clear_error (&error);
  /* the report is left as it was */
  g_assert_cmpstr (r->method, ==, "linear");
  g_assert_cmpmem (r->shap_mean_abs, 9 * sizeof (double), before, 9 * sizeof (double));
}

static gboolean
stop_at_kernelshap (double      fraction,
                    const char *stage,
                    gpointer    user_data)
{
  guint *seen = user_data;

  if (g_strcmp0 (stage, "KernelSHAP") != 0)
    return TRUE;
  (*seen)++;
  return fraction < 0.05;
}

/* Cancel from the progress callback, and from another thread mid-run, on a digits-sized
 * problem with the default options. */
static void
test_assignment_cancel_latency (void)
{
  g_autofree int *labels = g_new (int, 1797);
  g_autoptr (CsMatrix) x = make_digits_like (labels);
  g_autoptr (CsMatrix) centers = cluster_means (x, labels, 10);
  g_autoptr (CsSaliencyReport) r = NULL;
  GError *error = NULL;
  double best = INFINITY;
  guint seen = 0;

  g_assert_true (cs_saliency_run (x, NULL, labels, 10, NULL, NULL, &r, &error));
  g_assert_no_error (error);

  {
    g_autoptr (CsProgress) progress = cs_progress_new (stop_at_kernelshap, &seen, NULL);

    g_assert_false (cs_saliency_report_apply_kernelshap (r, x, labels, centers, NULL, progress, &error));
    g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
    g_clear_error (&error);
    g_assert_cmpuint (seen, >, 0);
  }

  /* best of three, every try still checked for the cancelled error */
  for (guint t = 0; t < 3; t++)
    {
      g_autoptr (CsProgress) progress = cs_progress_new (NULL, NULL, NULL);
      CancelLater cl = { progress, 0, cs_test_cpu_clock () };
      GThread *thread = g_thread_new ("cancel", cancel_later, &cl);
      double latency;

      g_assert_false (cs_saliency_report_apply_kernelshap (r, x, labels, centers, NULL, progress, &error));
      latency = (cs_test_cpu_us (cl.clock) - cl.cancelled_at) / 1e6;
      g_thread_join (thread);
      g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
      g_clear_error (&error);
      best = MIN (best, latency);
    }
  g_test_message ("KernelSHAP cancel latency %.1f ms", best * 1e3);
  g_assert_cmpfloat (best, <, 0.1 * cs_test_cpu_scale ());
  g_assert_cmpstr (r->method, ==, "linear");
}

/* Class 0 holds two groups that are class 0 for different reasons: high on feature 0, or
 * high on feature 3; class 1 is low on both. Rows without a class stay out. */
static void
test_descriptive_separates_reasons (void)
{
  gsize per = 50;
  gsize n = 4 * per + 5;
  guint d = 5;
  g_autofree int *classes = g_new (int, n);
  g_autofree int *truth = g_new (int, n);
  g_autofree int *labels = NULL;
  g_autofree int *labels2 = NULL;
  g_autofree int *cluster_class = NULL;
  g_autofree int *cluster_class2 = NULL;
  g_autoptr (GRand) rng = g_rand_new_with_seed (31);
  g_autoptr (CsMatrix) x = cs_matrix_new (n, d);
  g_autoptr (GError) error = NULL;
  guint k = 0;
  guint k2 = 0;
  gsize m = 0;
  g_autofree int *sub_truth = g_new (int, n);
  g_autofree int *sub_found = g_new (int, n);

  for (gsize i = 0; i < n; i++)
    {
      /* groups: 0 = class 0 by feature 0, 1 = class 0 by feature 3, 2 and 3 = class 1 */
      int group = i < 4 * per ? (int) (i / per) : -1;

      for (guint j = 0; j < d; j++)
        x->data[i * d + j] = gauss (rng);
      if (group == 0)
        x->data[i * d + 0] += 4.0;
      if (group == 1)
        x->data[i * d + 3] += 4.0;
      classes[i] = group < 0 ? -1 : group < 2 ? 0 : 1;
      truth[i] = group;
    }

  g_assert_true (cs_saliency_descriptive (x, NULL, classes, 2, 2, 7, NULL, NULL, &labels, &k, &cluster_class,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (k, ==, 4);
  g_assert_cmpint (cluster_class[0], ==, 0);
  g_assert_cmpint (cluster_class[1], ==, 0);
  g_assert_cmpint (cluster_class[2], ==, 1);
  g_assert_cmpint (cluster_class[3], ==, 1);
  for (gsize i = 0; i < n; i++)
    {
      if (classes[i] < 0)
        {
          g_assert_cmpint (labels[i], ==, -1);
          continue;
        }
      g_assert_cmpint (labels[i], >=, 0);
      g_assert_cmpint (cluster_class[labels[i]], ==, classes[i]);
      if (classes[i] == 0)
        {
          sub_truth[m] = truth[i];
          sub_found[m++] = labels[i];
        }
    }
  g_test_message ("ARI of the class-0 sub-groups: %.4f", cs_metric_ari (sub_truth, sub_found, m));
  g_assert_cmpfloat (cs_metric_ari (sub_truth, sub_found, m), >, 0.95);

  g_assert_true (cs_saliency_descriptive (x, NULL, classes, 2, 2, 7, NULL, NULL, &labels2, &k2, &cluster_class2,
                                          &error));
  g_assert_cmpuint (k2, ==, k);
  g_assert_cmpmem (labels, n * sizeof (int), labels2, n * sizeof (int));
  g_assert_cmpmem (cluster_class, k * sizeof (int), cluster_class2, k * sizeof (int));
}

static void
test_descriptive_bad_input (void)
{
  gsize n = 12;
  g_autofree int *classes = g_new (int, n);
  g_autoptr (CsMatrix) x = make_data (n, 2, 3, G_MAXUINT, G_MAXUINT, 1, classes);
  int *labels = NULL;
  int *cluster_class = NULL;
  guint k = 0;
  GError *error = NULL;

  g_assert_false (cs_saliency_descriptive (x, NULL, classes, 1, 2, 0, NULL, NULL, &labels, &k, &cluster_class,
                                           &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (cs_saliency_descriptive (x, NULL, classes, 3, 0, 0, NULL, NULL, &labels, &k, &cluster_class,
                                           &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* class 4 of 4 has no rows */
  g_assert_false (cs_saliency_descriptive (x, NULL, classes, 4, 2, 0, NULL, NULL, &labels, &k, &cluster_class,
                                           &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (labels);
  g_assert_null (cluster_class);
}

/* The assignment KernelSHAP explains: given centres, medoid rows, or cluster means. */
static void
test_assignment_centers (void)
{
  const double data[] = { 0, 0, 2, 2, 10, 10, 12, 14, 99, 99 };
  const int labels[] = { 0, 0, 1, 1, -1 };
  const gsize medoids[] = { 1, 3 };
  g_autoptr (CsMatrix) x = cs_matrix_new_from_data (5, 2, data);
  g_autoptr (CsMatrix) means = cs_saliency_assignment_centers (x, labels, 2, NULL, NULL);
  g_autoptr (CsMatrix) rows = cs_saliency_assignment_centers (x, labels, 2, NULL, medoids);
  g_autoptr (CsMatrix) copy = cs_saliency_assignment_centers (x, labels, 2, means, medoids);

  g_assert_cmpuint (means->rows, ==, 2);
  g_assert_cmpfloat (cs_matrix_row (means, 0)[0], ==, 1.0);
  g_assert_cmpfloat (cs_matrix_row (means, 0)[1], ==, 1.0);
  /* Noise (row 4) is left out of every mean. */
  g_assert_cmpfloat (cs_matrix_row (means, 1)[0], ==, 11.0);
  g_assert_cmpfloat (cs_matrix_row (means, 1)[1], ==, 12.0);
  g_assert_cmpfloat (cs_matrix_row (rows, 0)[0], ==, 2.0);
  g_assert_cmpfloat (cs_matrix_row (rows, 1)[1], ==, 14.0);
  g_assert_true (copy != means);
  g_assert_cmpmem (copy->data, 4 * sizeof (double), means->data, 4 * sizeof (double));
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
  g_test_add_func ("/core/saliency/grouped-counts", test_grouped_counts);
  g_test_add_func ("/core/saliency/cancel/before-start", test_cancel);
  g_test_add_func ("/core/saliency/cancel/from-callback", test_cancel_from_callback);
  g_test_add_func ("/core/saliency/cancel/latency", test_cancel_latency);
  g_test_add_func ("/core/saliency/deterministic", test_deterministic);
  g_test_add_func ("/core/saliency/shapley/exact/known-game", test_exact_known_game);
  g_test_add_func ("/core/saliency/shapley/exact/linear-closed-form", test_exact_linear_closed_form);
  g_test_add_func ("/core/saliency/shapley/exact/matches-surrogate", test_exact_matches_surrogate);
  g_test_add_func ("/core/saliency/kernelshap/matches-exact", test_kernelshap_matches_exact);
  g_test_add_func ("/core/saliency/kernelshap/plan-pairs-and-enumerated-sizes", test_kernelshap_plan);
  g_test_add_func ("/core/saliency/kernelshap/bad-input", test_kernelshap_bad_input);
  g_test_add_func ("/core/saliency/kernelshap/assignment-matches-brute-force", test_assignment_matches_brute_force);
  g_test_add_func ("/core/saliency/kernelshap/assignment-ranks-informative", test_assignment_ranks_informative);
  g_test_add_func ("/core/saliency/kernelshap/assignment-thread-count", test_assignment_thread_count);
  g_test_add_func ("/core/saliency/kernelshap/assignment-bad-input", test_assignment_bad_input);
  g_test_add_func ("/core/saliency/kernelshap/cancel/before-start", test_assignment_cancel);
  g_test_add_func ("/core/saliency/kernelshap/cancel/latency", test_assignment_cancel_latency);
  g_test_add_func ("/core/saliency/descriptive/separates-reasons", test_descriptive_separates_reasons);
  g_test_add_func ("/core/saliency/descriptive/bad-input", test_descriptive_bad_input);

  g_test_add_func ("/core/saliency/kernelshap/assignment-centers", test_assignment_centers);
  return g_test_run ();
}
