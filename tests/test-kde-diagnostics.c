#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-rng.h"
#include "core/density/cs-kde-diagnostics.h"

static CsMatrix *
gaussian_data (gsize   n,
               gsize   d,
               double  sigma,
               guint64 seed)
{
  CsMatrix *x = cs_matrix_new (n, d);
  CsRng rng;

  cs_rng_init (&rng, seed);
  for (gsize i = 0; i < n * d; i++)
    x->data[i] = sigma * cs_rng_normal (&rng);
  return x;
}

static void
test_n_eff_limits (void)
{
  g_autoptr (CsMatrix) x = gaussian_data (60, 4, 1.0, 3);
  g_autoptr (CsKdeDiagnostics) diag = NULL;
  g_autoptr (GError) error = NULL;
  CsKdeDiagOptions opt;

  cs_kde_diag_options_init (&opt);
  opt.h_min = 1e-3;
  opt.h_max = 1e4;
  opt.n_h = 30;
  diag = cs_kde_diagnostics_run (x, &opt, NULL, &error);
  g_assert_no_error (error);
  /* h → 0: the nearest other point takes all the weight; h → ∞: all n − 1 others weigh the same. */
  g_assert_cmpfloat_with_epsilon (diag->n_eff[0], 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (diag->n_eff[diag->n_h - 1], 59.0, 1e-6);
  for (guint k = 1; k < diag->n_h; k++)
    g_assert_cmpfloat (diag->n_eff[k], >=, diag->n_eff[k - 1] * (1.0 - 1e-12));
  g_assert_false (diag->sampled);
  g_assert_cmpuint (diag->n_queries, ==, 60);
}

static void
test_loo_matches_direct (void)
{
  g_autoptr (CsMatrix) x = gaussian_data (40, 5, 2.0, 11);
  g_autoptr (CsKdeDiagnostics) diag = NULL;
  g_autoptr (GError) error = NULL;
  CsKdeDiagOptions opt;
  gsize n = x->rows;
  gsize d = x->cols;

  /* Offset the data so the BLAS distances cannot lean on zero-mean input. */
  for (gsize i = 0; i < n * d; i++)
    x->data[i] += 7.0;
  cs_kde_diag_options_init (&opt);
  opt.h_min = 0.6;
  opt.h_max = 20.0;
  opt.n_h = 12;
  diag = cs_kde_diagnostics_run (x, &opt, NULL, &error);
  g_assert_no_error (error);
  for (guint k = 0; k < diag->n_h; k++)
    {
      double h = diag->h[k];
      double norm = pow (2.0 * G_PI * h * h, -0.5 * (double) d);
      double ll = 0.0;
      double neff = 0.0;
      for (gsize i = 0; i < n; i++)
        {
          double s = 0.0;
          double s2 = 0.0;
          for (gsize j = 0; j < n; j++)
            if (j != i)
              {
                double e = exp (-cs_sqdist (cs_matrix_row (x, i), cs_matrix_row (x, j), d) / (2.0 * h * h));
                s += e;
                s2 += e * e;
              }
          ll += log (norm * s / (double) (n - 1));
          neff += s * s / s2;
        }
      ll /= (double) n;
      neff /= (double) n;
      g_assert_cmpfloat_with_epsilon (diag->loo_ll[k], ll, 1e-10 * MAX (1.0, fabs (ll)));
      g_assert_cmpfloat_with_epsilon (diag->n_eff[k], neff, 1e-10 * neff);
    }
}

/* Values from the isotropic form α = ½ log a − (a − 1)/(2a²), a = 1 + σ²/h_G², solved with
 * SciPy's brentq (h_CLT = √2 h_G). */
static void
test_thresholds_isotropic (void)
{
  static const struct
  {
    double n;
    gsize  d;
    double h_g;
    double h_clt;
  } cases[] = {
    { 1000, 10, 0.5194385246255688, 0.7345970063445504 },
    { 500, 20, 0.8526435863540794, 1.2058201236923745 },
    { 150, 13, 0.7610024354909466, 1.076219965270253 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree double *lambda = g_new (double, cases[c].d);
      double h_g;
      double h_clt;
      g_autoptr (GError) error = NULL;

      for (gsize k = 0; k < cases[c].d; k++)
        lambda[k] = 1.0;
      g_assert_true (cs_kde_regime_thresholds (lambda, cases[c].d, cases[c].n, &h_g, &h_clt, &error));
      g_assert_cmpfloat_with_epsilon (h_g, cases[c].h_g, 1e-9);
      g_assert_cmpfloat_with_epsilon (h_clt, cases[c].h_clt, 1e-9);
      /* A bandwidth is a length: scaling the data by 3 scales the thresholds by 3. */
      for (gsize k = 0; k < cases[c].d; k++)
        lambda[k] = 9.0;
      g_assert_true (cs_kde_regime_thresholds (lambda, cases[c].d, cases[c].n, &h_g, &h_clt, &error));
      g_assert_cmpfloat_with_epsilon (h_g, 3.0 * cases[c].h_g, 1e-8);
    }
}

/* The isotropic closed forms of the header, for σ ≠ 1 (the existing cases all have σ = 1):
 *   h_G:   α = ½ log(1 + σ²/h²) − σ²h² / (2 (σ² + h²)²)
 *   h_CLT: α = ½ log(1 + 2σ²/h²) − σ²h² / (h² + 2σ²)²   (the second moment, kernel squared)
 * Expected values: each equation solved on its own with SciPy's brentq (xtol 1e-15), so the
 * ratio √2 is checked rather than assumed. */
static double
iso_residual_g (double h,
                double sigma,
                double alpha)
{
  double s2 = sigma * sigma;
  double h2 = h * h;

  return 0.5 * log (1.0 + s2 / h2) - s2 * h2 / (2.0 * (s2 + h2) * (s2 + h2)) - alpha;
}

static double
iso_residual_clt (double h,
                  double sigma,
                  double alpha)
{
  double s2 = sigma * sigma;
  double h2 = h * h;

  return 0.5 * log (1.0 + 2.0 * s2 / h2) - s2 * h2 / ((h2 + 2.0 * s2) * (h2 + 2.0 * s2)) - alpha;
}

static void
test_thresholds_closed_form (void)
{
  static const struct
  {
    double n;
    gsize  d;
    double sigma;
    double h_g;
    double h_clt;
  } cases[] = {
    { 1000, 10, 2.5, 1.2985963115639227, 1.8364925158613767 },
    { 1e6, 50, 0.3, 0.2709801043855758, 0.38322373875535837 },
    { 20000, 5, 1.7, 0.2346157633106248, 0.3317967944204014 },
    { 300, 40, 1.0, 1.2004841529231436, 1.6977409704778856 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree double *lambda = g_new (double, cases[c].d);
      double alpha = log (cases[c].n) / (double) cases[c].d;
      double h_g;
      double h_clt;
      g_autoptr (GError) error = NULL;

      for (gsize k = 0; k < cases[c].d; k++)
        lambda[k] = cases[c].sigma * cases[c].sigma;
      g_assert_true (cs_kde_regime_thresholds (lambda, cases[c].d, cases[c].n, &h_g, &h_clt, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (h_g, cases[c].h_g, 1e-10 * cases[c].h_g);
      g_assert_cmpfloat_with_epsilon (h_clt, cases[c].h_clt, 1e-10 * cases[c].h_clt);
      /* And the returned values satisfy the closed forms themselves. */
      g_assert_cmpfloat_with_epsilon (iso_residual_g (h_g, cases[c].sigma, alpha), 0.0, 1e-12);
      g_assert_cmpfloat_with_epsilon (iso_residual_clt (h_clt, cases[c].sigma, alpha), 0.0, 1e-12);
      /* Both sides are monotone in h: a 1 % step moves the residual off zero on each side. */
      g_assert_cmpfloat (iso_residual_g (h_g * 1.01, cases[c].sigma, alpha), <, 0.0);
      g_assert_cmpfloat (iso_residual_g (h_g * 0.99, cases[c].sigma, alpha), >, 0.0);
    }
}

/* A non-isotropic covariance, where no closed form exists. Expected values from a
 * computation that shares no algebra with saddle_cost (): the rate I(v) of u = |x − y|² as a
 * numerical Legendre transform of log E[exp(−t u)] (SciPy minimize_scalar), the saddle
 * found by minimising I(v) + βv numerically, then brentq on d·I(v*) = log n for β_G and on
 * the same at 2β for β_CLT; h = 1/√(2β). That route agrees with J(β) to about 1e-8. */
static void
test_thresholds_anisotropic (void)
{
  static const double lambda[] = { 4.0, 2.5, 1.0, 1.0, 0.5, 0.3, 0.2, 0.1 };
  double h_g;
  double h_clt;
  double permuted[G_N_ELEMENTS (lambda)];
  double h_g2;
  double h_clt2;
  g_autoptr (GError) error = NULL;

  g_assert_true (cs_kde_regime_thresholds (lambda, G_N_ELEMENTS (lambda), 5000.0, &h_g, &h_clt, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (h_g, 0.28795246148839737, 1e-7);
  g_assert_cmpfloat_with_epsilon (h_clt, 0.4072262777798073, 1e-7);
  /* Only the spectrum matters, not its order. */
  for (guint k = 0; k < G_N_ELEMENTS (lambda); k++)
    permuted[k] = lambda[G_N_ELEMENTS (lambda) - 1 - k];
  g_assert_true (cs_kde_regime_thresholds (permuted, G_N_ELEMENTS (lambda), 5000.0, &h_g2, &h_clt2, &error));
  g_assert_cmpfloat_with_epsilon (h_g2, h_g, 1e-12 * h_g);
  g_assert_cmpfloat_with_epsilon (h_clt2, h_clt, 1e-12 * h_clt);
  /* More points populate rarer distances: both thresholds move down as n grows. */
  g_assert_true (cs_kde_regime_thresholds (lambda, G_N_ELEMENTS (lambda), 50000.0, &h_g2, &h_clt2, &error));
  g_assert_cmpfloat (h_g2, <, h_g);
  g_assert_cmpfloat (h_clt2, <, h_clt);
}

static void
test_gaussian_d10 (void)
{
  g_autoptr (CsMatrix) x = gaussian_data (1000, 10, 1.0, 2024);
  g_autoptr (CsKdeDiagnostics) diag = NULL;
  g_autoptr (GError) error = NULL;

  diag = cs_kde_diagnostics_run (x, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (diag->alpha, log (1000.0) / 10.0, 1e-12);
  /* The sample covariance is close to I, so the thresholds are close to the isotropic ones. */
  g_assert_cmpfloat_with_epsilon (diag->h_g, 0.5194385246255688, 0.03);
  g_assert_cmpfloat_with_epsilon (diag->h_clt / diag->h_g, G_SQRT2, 1e-12);
  /* The paper's finding: the likelihood-optimal bandwidth lies in the heavy-tailed regime. */
  g_assert_cmpint (cs_kde_diagnostics_regime (diag, diag->h_opt), ==, CS_KDE_REGIME_HEAVY_TAILED);
  g_assert_cmpuint (diag->opt_index, >, 0);
  g_assert_cmpuint (diag->opt_index, <, diag->n_h - 1);
  /* The measured n_eff tells the same story: a couple of points below h_G, many above h_CLT. */
  g_assert_cmpfloat (cs_kde_diagnostics_n_eff_at (diag, diag->h_g / 2.0), <, 2.0);
  g_assert_cmpfloat (cs_kde_diagnostics_n_eff_at (diag, diag->h_clt * 2.0), >, sqrt (999.0));
  g_assert_true (isfinite (diag->h_g_emp));
  g_assert_true (isfinite (diag->h_clt_emp));
  g_assert_cmpfloat (diag->h_g_emp, <, diag->h_clt_emp);
  g_assert_cmpint (cs_kde_diagnostics_regime (diag, diag->h_g * 0.99), ==, CS_KDE_REGIME_CONDENSED);
  g_assert_cmpint (cs_kde_diagnostics_regime (diag, diag->h_clt * 1.01), ==, CS_KDE_REGIME_CLT);
}

static void
test_sampled_deterministic (void)
{
  g_autoptr (CsMatrix) x = gaussian_data (500, 6, 1.0, 5);
  g_autoptr (CsKdeDiagnostics) a = NULL;
  g_autoptr (CsKdeDiagnostics) b = NULL;
  g_autoptr (CsKdeDiagnostics) c = NULL;
  CsKdeDiagOptions opt;

  cs_kde_diag_options_init (&opt);
  opt.max_queries = 100;
  opt.seed = 9;
  a = cs_kde_diagnostics_run (x, &opt, NULL, NULL);
  b = cs_kde_diagnostics_run (x, &opt, NULL, NULL);
  opt.seed = 10;
  c = cs_kde_diagnostics_run (x, &opt, NULL, NULL);
  g_assert_nonnull (a);
  g_assert_true (a->sampled);
  g_assert_cmpuint (a->n_queries, ==, 100);
  g_assert_cmpmem (a->loo_ll, a->n_h * sizeof (double), b->loo_ll, b->n_h * sizeof (double));
  g_assert_cmpmem (a->n_eff, a->n_h * sizeof (double), b->n_eff, b->n_h * sizeof (double));
  g_assert_true (memcmp (a->loo_ll, c->loo_ll, a->n_h * sizeof (double)) != 0);

  /* A work budget trades query points, never reference points. */
  {
    g_autoptr (CsKdeDiagnostics) w = NULL;
    cs_kde_diag_options_init (&opt);
    opt.max_work = 250.0 * 500.0 * 60.0;
    w = cs_kde_diagnostics_run (x, &opt, NULL, NULL);
    g_assert_nonnull (w);
    g_assert_cmpuint (w->n_queries, ==, 250);
    g_assert_true (w->sampled);
    g_assert_cmpuint (w->n, ==, 500);
  }
}

static gboolean
stop_after_first (double      fraction,
                  const char *stage,
                  gpointer    user_data)
{
  int *calls = user_data;

  (void) fraction;
  (void) stage;
  return ++*calls < 2;
}

static void
test_cancel (void)
{
  g_autoptr (CsMatrix) x = gaussian_data (3000, 8, 1.0, 1);
  g_autoptr (CsProgress) progress = NULL;
  g_autoptr (GError) error = NULL;
  CsKdeDiagnostics *diag;
  int calls = 0;

  progress = cs_progress_new (stop_after_first, &calls, NULL);
  diag = cs_kde_diagnostics_run (x, NULL, progress, &error);
  g_assert_null (diag);
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  g_assert_cmpint (calls, >=, 1);
}

static void
test_bad_input (void)
{
  g_autoptr (CsMatrix) two = gaussian_data (2, 3, 1.0, 1);
  g_autoptr (CsMatrix) flat = cs_matrix_new (10, 0);
  g_autoptr (CsMatrix) constant = cs_matrix_new (10, 3);
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;

  g_assert_null (cs_kde_diagnostics_run (two, NULL, NULL, &e1));
  g_assert_error (e1, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_null (cs_kde_diagnostics_run (flat, NULL, NULL, &e2));
  g_assert_error (e2, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_null (cs_kde_diagnostics_run (constant, NULL, NULL, &e3));
  g_assert_error (e3, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
}

/* Numbers in the messages are grouped: a missing value on row 1,234 of 2,000 says "row 1,234". */
static void
test_bad_input_grouped (void)
{
  g_autoptr (CsMatrix) x = gaussian_data (2000, 3, 1.0, 2);
  g_autoptr (CsMatrix) empty = cs_matrix_new (1500, 0);
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;

  x->data[1233 * 3 + 1] = NAN;
  g_assert_null (cs_kde_diagnostics_run (x, NULL, NULL, &e1));
  g_assert_error (e1, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (e1->message, "row 1,234 has a missing or infinite one"));
  g_assert_null (cs_kde_diagnostics_run (empty, NULL, NULL, &e2));
  g_assert_error (e2, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (e2->message, "(got 1,500 × 0)"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/kde-diagnostics/n-eff-limits", test_n_eff_limits);
  g_test_add_func ("/core/kde-diagnostics/loo-matches-direct", test_loo_matches_direct);
  g_test_add_func ("/core/kde-diagnostics/thresholds-isotropic", test_thresholds_isotropic);
  g_test_add_func ("/core/kde-diagnostics/thresholds-closed-form", test_thresholds_closed_form);
  g_test_add_func ("/core/kde-diagnostics/thresholds-anisotropic", test_thresholds_anisotropic);
  g_test_add_func ("/core/kde-diagnostics/gaussian-d10-optimum-heavy-tailed", test_gaussian_d10);
  g_test_add_func ("/core/kde-diagnostics/sampled-queries-deterministic", test_sampled_deterministic);
  g_test_add_func ("/core/kde-diagnostics/cancel", test_cancel);
  g_test_add_func ("/core/kde-diagnostics/bad-input", test_bad_input);
  g_test_add_func ("/core/kde-diagnostics/bad-input-grouped", test_bad_input_grouped);
  return g_test_run ();
}
