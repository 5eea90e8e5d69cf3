#include <math.h>

#include "core/base/cs-error.h"
#include "core/base/cs-rng.h"
#include "core/data/cs-samples.h"
#include "core/data/cs-toy.h"
#include "core/density/cs-dp-kernel.h"
#include "core/data/cs-prepare.h"

static CsMatrix *
random_matrix (gsize n, gsize d, guint64 seed)
{
  CsMatrix *m = cs_matrix_new (n, d);
  CsRng     rng;

  cs_rng_init (&rng, seed);
  for (gsize i = 0; i < n * d; i++)
    m->data[i] = cs_rng_normal (&rng);
  return m;
}

static double
l2_distance (const double *a, const double *b, gsize n)
{
  return sqrt (cs_sqdist (a, b, n));
}

static void
test_sigma_formula (void)
{
  /* 2 √(2 ln 125000) / 0.5 = 19.3791... by hand: ln 125000 = 11.736069. */
  g_assert_cmpfloat_with_epsilon (cs_dp_gaussian_sigma_classic (2.0, 0.5, 1e-5),
                                  4.0 * sqrt (2.0 * 11.736069016284437), 1e-9);
  g_assert_cmpfloat_with_epsilon (cs_dp_gaussian_sigma_classic (2.0, 0.5, 1e-5), 19.37922, 1e-5);
  /* Reference: SciPy brentq on the same equation (norm.cdf), Δ = 2, ε = 1, δ = 1e-5. */
  g_assert_cmpfloat_with_epsilon (cs_dp_gaussian_sigma_analytic (2.0, 1.0, 1e-5), 7.461263269632276, 1e-9);

  for (double eps = 0.1; eps <= 10.0; eps *= 1.7)
    {
      double sigma = cs_dp_gaussian_sigma_analytic (2.0, eps, 1e-5);
      /* The analytic σ meets δ exactly and is the smallest that does. */
      g_assert_cmpfloat_with_epsilon (cs_dp_gaussian_delta (2.0, eps, sigma), 1e-5, 1e-5 * 1e-6);
      g_assert_cmpfloat (cs_dp_gaussian_delta (2.0, eps, 0.999 * sigma), >, 1e-5);
      if (eps < 1.0)
        g_assert_cmpfloat (sigma, <=, cs_dp_gaussian_sigma_classic (2.0, eps, 1e-5));
      /* σ scales linearly with the sensitivity. */
      g_assert_cmpfloat_with_epsilon (cs_dp_gaussian_sigma_analytic (6.0, eps, 1e-5) / sigma, 3.0, 1e-9);
    }
  g_assert_cmpfloat (cs_dp_gaussian_sigma_analytic (2.0, INFINITY, 1e-5), ==, 0.0);
  /* Large ε: e^ε overflows a double, the σ must still shrink and meet δ. */
  for (double eps = 10.0; eps < 1e6; eps *= 10.0)
    {
      double sigma = cs_dp_gaussian_sigma_analytic (2.0, eps, 1e-6);
      double larger = cs_dp_gaussian_sigma_analytic (2.0, eps / 10.0, 1e-6);
      g_assert_cmpfloat (sigma, <, larger);
      g_assert_true (isfinite (cs_dp_gaussian_delta (2.0, eps, sigma)));
      g_assert_cmpfloat_with_epsilon (cs_dp_gaussian_delta (2.0, eps, sigma), 1e-6, 1e-6 * 1e-5);
    }
}

/* The released sketch minus the noiseless one is the noise: its spread must be σ. */
static void
test_noise_scale (void)
{
  g_autoptr (CsMatrix) x = random_matrix (200, 3, 1);
  g_autoptr (CsDpKernelSketch) clean = NULL;
  g_autoptr (CsDpKernelSketch) noisy = NULL;
  g_autoptr (GError) error = NULL;
  CsDpKernelOptions o;
  double            ss = 0.0;
  double            mean = 0.0;

  cs_dp_kernel_options_init (&o);
  o.n_features = 8192;
  o.epsilon = 0.7;
  noisy = cs_dp_kernel_sketch_new (x, &o, NULL, &error);
  g_assert_no_error (error);
  o.epsilon = INFINITY;
  clean = cs_dp_kernel_sketch_new (x, &o, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (clean->sigma, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (noisy->sigma, cs_dp_gaussian_sigma_analytic (2.0, 0.7, 1e-5), 1e-12);
  g_assert_cmpfloat (noisy->sensitivity, ==, 2.0);

  for (guint k = 0; k < o.n_features; k++)
    mean += noisy->sketch[k] - clean->sketch[k];
  mean /= o.n_features;
  for (guint k = 0; k < o.n_features; k++)
    ss += pow (noisy->sketch[k] - clean->sketch[k] - mean, 2);
  /* 8192 draws: the sample sd is within ~1 % of σ; 4 % leaves no room for luck. */
  g_assert_cmpfloat (fabs (sqrt (ss / (o.n_features - 1)) / noisy->sigma - 1.0), <, 0.04);
  g_assert_cmpfloat (fabs (mean), <, 5.0 * noisy->sigma / sqrt (o.n_features));
}

static void
test_unbiased (void)
{
  g_autoptr (CsMatrix) x = random_matrix (100, 2, 2);
  g_autoptr (CsDpKernelSketch) clean = NULL;
  g_autoptr (GError) error = NULL;
  const double      y[2] = { 0.3, -0.2 };
  const guint       runs = 400;
  CsDpKernelOptions o;
  double            reference;
  double            sum = 0.0;
  double            ss = 0.0;
  double            sigma = 0.0;

  cs_dp_kernel_options_init (&o);
  o.n_features = 256;
  o.epsilon = INFINITY;
  clean = cs_dp_kernel_sketch_new (x, &o, NULL, &error);
  g_assert_no_error (error);
  reference = cs_dp_kernel_sketch_query (clean, y);

  o.epsilon = 1.0;
  for (guint r = 0; r < runs; r++)
    {
      g_autoptr (CsDpKernelSketch) s = NULL;
      double f;
      o.noise_seed = 1000 + r;
      s = cs_dp_kernel_sketch_new (x, &o, NULL, &error);
      g_assert_no_error (error);
      f = cs_dp_kernel_sketch_query (s, y);
      sum += f;
      ss += (f - reference) * (f - reference);
      sigma = s->sigma;
    }
  /* ‖φ(y)‖ = 1, so each answer's noise has sd σ exactly; the mean is within 4 SE. */
  g_assert_cmpfloat (fabs (sum / runs - reference), <, 4.0 * sigma / sqrt (runs));
  g_assert_cmpfloat (fabs (sqrt (ss / runs) / sigma - 1.0), <, 0.15);
}

static void
test_sensitivity_bound (void)
{
  CsRng rng;

  cs_rng_init (&rng, 3);
  for (guint trial = 0; trial < 40; trial++)
    {
      gsize d = 1 + cs_rng_below (&rng, 5);
      g_autoptr (CsMatrix) x = random_matrix (30, d, 100 + trial);
      g_autoptr (CsMatrix) x2 = cs_matrix_copy (x);
      g_autoptr (CsDpKernelSketch) a = NULL;
      g_autoptr (CsDpKernelSketch) b = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree double *phi = NULL;
      gsize              row = cs_rng_below (&rng, 30);
      CsDpKernelOptions  o;
      double             norm = 0.0;

      cs_dp_kernel_options_init (&o);
      o.n_features = 2 * (1 + cs_rng_below (&rng, 300));
      o.bandwidth = 0.05 + 3.0 * cs_rng_uniform (&rng);
      o.epsilon = INFINITY;
      o.seed = trial;
      for (gsize j = 0; j < d; j++)
        cs_matrix_row (x2, row)[j] = 10.0 * cs_rng_normal (&rng);
      a = cs_dp_kernel_sketch_new (x, &o, NULL, &error);
      g_assert_no_error (error);
      b = cs_dp_kernel_sketch_new (x2, &o, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (l2_distance (a->sketch, b->sketch, o.n_features), <=, a->sensitivity + 1e-9);

      phi = g_new (double, o.n_features);
      cs_dp_kernel_features (a, cs_matrix_row (x, 0), phi);
      for (guint k = 0; k < o.n_features; k++)
        norm += phi[k] * phi[k];
      g_assert_cmpfloat_with_epsilon (norm, 1.0, 1e-12);
    }
}

static double
rff_error (const CsMatrix *x, guint n_features)
{
  g_autoptr (CsDpKernelSketch) s = NULL;
  g_autoptr (GError) error = NULL;
  CsDpKernelOptions o;
  double            err = 0.0;
  CsRng             rng;

  cs_dp_kernel_options_init (&o);
  o.n_features = n_features;
  o.bandwidth = 0.8;
  o.epsilon = INFINITY;
  s = cs_dp_kernel_sketch_new (x, &o, NULL, &error);
  g_assert_no_error (error);
  cs_rng_init (&rng, 77);
  for (guint q = 0; q < 20; q++)
    {
      double y[2] = { cs_rng_normal (&rng), cs_rng_normal (&rng) };
      double exact = cs_dp_kernel_sum_exact (x, o.bandwidth, y);
      err += fabs (cs_dp_kernel_sketch_query (s, y) - exact) / x->rows;
    }
  return err / 20;
}

static void
test_rff_converges (void)
{
  g_autoptr (CsMatrix) x = random_matrix (300, 2, 4);
  double e64 = rff_error (x, 64);
  double e1k = rff_error (x, 1024);
  double e16k = rff_error (x, 16384);

  /* Error shrinks like 1/√D: 16× the features, about 4× less error. */
  g_assert_cmpfloat (e1k, <, e64);
  g_assert_cmpfloat (e16k, <, e1k);
  g_assert_cmpfloat (e16k, <, 0.01);
}

static void
test_deterministic (void)
{
  g_autoptr (CsMatrix) x = random_matrix (500, 3, 5);
  g_autoptr (CsDpKernelSketch) a = NULL;
  g_autoptr (CsDpKernelSketch) b = NULL;
  g_autoptr (CsDpKernelSketch) c = NULL;
  g_autoptr (GError) error = NULL;
  CsDpKernelOptions o;

  cs_dp_kernel_options_init (&o);
  o.seed = 9;
  o.noise_seed = 10;
  a = cs_dp_kernel_sketch_new (x, &o, NULL, &error);
  b = cs_dp_kernel_sketch_new (x, &o, NULL, &error);
  o.noise_seed = 11;
  c = cs_dp_kernel_sketch_new (x, &o, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (a->sketch, o.n_features * sizeof (double), b->sketch, o.n_features * sizeof (double));
  g_assert_cmpfloat (l2_distance (a->sketch, c->sketch, o.n_features), >, 0.0);
}

static void
test_invalid (void)
{
  g_autoptr (CsMatrix) x = random_matrix (10, 2, 6);
  g_autoptr (GError) error = NULL;
  CsDpKernelOptions o;

  cs_dp_kernel_options_init (&o);
  o.epsilon = 0.0;
  g_assert_null (cs_dp_kernel_sketch_new (x, &o, NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  o.epsilon = 1.0;
  o.delta = 1.0;
  g_assert_null (cs_dp_kernel_sketch_new (x, &o, NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  o.delta = 1e-5;
  o.n_features = 7;
  g_assert_null (cs_dp_kernel_sketch_new (x, &o, NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
}

static gboolean
count_reports (double fraction, const char *stage, gpointer user_data)
{
  guint *n = user_data;
  (*n)++;
  return TRUE;
}

static void
test_cancel_and_progress (void)
{
  g_autoptr (CsMatrix) x = random_matrix (20000, 2, 7);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (CsProgress) progress = NULL;
  g_autoptr (CsProgress) cancelled = NULL;
  g_autoptr (CsDpKernelSketch) s = NULL;
  g_autoptr (CsDpSurface) surface = NULL;
  g_autoptr (GError) error = NULL;
  CsDpKernelOptions o;
  guint             reports = 0;

  cs_dp_kernel_options_init (&o);
  progress = cs_progress_new (count_reports, &reports, NULL);
  s = cs_dp_kernel_sketch_new (x, &o, progress, &error);
  g_assert_no_error (error);
  g_assert_nonnull (s);
  g_assert_cmpuint (reports, >, 0);
  g_assert_cmpuint (reports, <=, 110);

  g_cancellable_cancel (cancellable);
  cancelled = cs_progress_new (NULL, NULL, cancellable);
  surface = cs_dp_surface_compute (x, &o, 32, NULL, cancelled, &error);
  g_assert_null (surface);
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
}

static void
test_l1 (void)
{
  g_autoptr (CsMatrix) x = random_matrix (4000, 3, 8);
  g_autoptr (CsDpL1Sketch) clean = NULL;
  g_autoptr (GError) error = NULL;
  const double lo[3] = { -5, -5, -5 };
  const double hi[3] = { 5, 5, 5 };
  const double y[3] = { 0.4, -1.3, 7.0 };
  double       exact = cs_dp_l1_sum_exact (x, y);
  double       sum = 0.0;
  double       sigma = 0.0;
  const guint  runs = 200;
  double       reference;

  clean = cs_dp_l1_sketch_new (x, lo, hi, 10, INFINITY, 1e-5, 1, NULL, &error);
  g_assert_no_error (error);
  reference = cs_dp_l1_sketch_query (clean, y);
  /* Binning costs at most n × bin width / 2 per coordinate (points are inside the bounds). */
  g_assert_cmpfloat (fabs (reference - exact), <=, 3 * 4000 * (10.0 / 1024) / 2);

  for (guint r = 0; r < runs; r++)
    {
      g_autoptr (CsDpL1Sketch) s = cs_dp_l1_sketch_new (x, lo, hi, 10, 1.0, 1e-5, 100 + r, NULL, &error);
      g_assert_no_error (error);
      sum += cs_dp_l1_sketch_query (s, y);
      sigma = s->sigma;
      g_assert_cmpfloat_with_epsilon (s->sensitivity, sqrt (2.0 * 3 * 11), 1e-12);
    }
  /* Noise is linear in the node noise, so the mean over releases is the noiseless answer.
   * Each prefix sums ≤ 11 nodes and the integral ≤ 2^10 prefixes of width 10/1024: the
   * answer's sd is below 3 × 2 × 11 σ × 10 — a loose standard error. */
  g_assert_cmpfloat (fabs (sum / runs - reference), <, 4.0 * 3 * 2 * sqrt (11) * sigma * 10.0 / sqrt (runs));
  /* And a single release is useful: the noise does not grow with n, so on 4000 rows one
   * release at ε = 1 is within 2 % of the exact sum. */
  {
    g_autoptr (CsDpL1Sketch) s = cs_dp_l1_sketch_new (x, lo, hi, 10, 1.0, 1e-5, 5, NULL, &error);
    g_assert_cmpfloat (fabs (cs_dp_l1_sketch_query (s, y) - exact) / exact, <, 0.02);
  }
}

static void
test_sql2 (void)
{
  g_autoptr (CsMatrix) x = random_matrix (300, 3, 14);
  g_autoptr (CsMatrix) x2 = cs_matrix_copy (x);
  g_autoptr (CsDpSqL2Sketch) clean = NULL;
  g_autoptr (CsDpSqL2Sketch) moved = NULL;
  g_autoptr (GError) error = NULL;
  const double y[3] = { 0.5, -1.0, 2.0 };
  double       exact = 0.0;
  double       sum = 0.0;
  double       change;
  const guint  runs = 400;
  double       sigma = 0.0;

  for (gsize i = 0; i < x->rows; i++)
    exact += cs_sqdist (cs_matrix_row (x, i), y, 3);
  /* Radius 10 clips nothing for a standard normal sample: the noiseless answer is exact. */
  clean = cs_dp_sql2_sketch_new (x, 10.0, INFINITY, 1e-5, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (cs_dp_sql2_sketch_query (clean, y) / exact, 1.0, 1e-12);

  /* Sensitivity: move one row far away; it is clipped onto the ball and the statistics move by
   * at most Δ₂. */
  for (gsize j = 0; j < 3; j++)
    cs_matrix_row (x2, 7)[j] = 1000.0;
  moved = cs_dp_sql2_sketch_new (x2, 10.0, INFINITY, 1e-5, 1, &error);
  change = pow (moved->sum_sq - clean->sum_sq, 2);
  for (gsize j = 0; j < 3; j++)
    change += pow (moved->sum[j] - clean->sum[j], 2);
  g_assert_cmpfloat (sqrt (change), <=, clean->sensitivity + 1e-9);
  g_assert_cmpfloat_with_epsilon (clean->sensitivity, sqrt (1e4 + 400.0), 1e-9);

  for (guint r = 0; r < runs; r++)
    {
      g_autoptr (CsDpSqL2Sketch) s = cs_dp_sql2_sketch_new (x, 10.0, 1.0, 1e-5, 50 + r, &error);
      sum += cs_dp_sql2_sketch_query (s, y);
      sigma = s->sigma;
    }
  /* The answer's noise is σ·√(1 + 4‖y‖²): the mean over releases is within 4 SE of exact. */
  g_assert_cmpfloat (fabs (sum / runs - exact), <, 4.0 * sigma * sqrt (1.0 + 4.0 * 5.25) / sqrt (runs));
}

static void
blob_data (CsMatrix **x, int **labels, guint *n_classes)
{
  g_autoptr (CsDataset) ds = cs_toy_generate (CS_TOY_BLOBS, 600, 3, 0.5, 42);
  g_autoptr (CsPrepared) prep = NULL;
  g_autoptr (GError) error = NULL;
  CsPrepareOptions po;

  cs_prepare_options_init (&po);
  po.scaling = CS_SCALE_STANDARDIZE;
  prep = cs_dataset_prepare (ds, &po, &error);
  g_assert_no_error (error);
  *labels = cs_dataset_class_labels (ds, n_classes);
  *x = g_steal_pointer (&prep->x);
}

static void
test_accuracy_rises (void)
{
  g_autoptr (CsMatrix) x = NULL;
  g_autofree int *labels = NULL;
  g_autoptr (GError) error = NULL;
  const double      eps[] = { 0.1, 1.0, 10.0 };
  double            acc[3];
  double            nonprivate;
  guint             k;
  CsDpKernelOptions o;

  blob_data (&x, &labels, &k);
  g_assert_cmpuint (k, ==, 3);
  cs_dp_kernel_options_init (&o);
  o.n_features = 256;
  o.bandwidth = 0.5;
  g_assert_true (cs_dp_accuracy_curve (x, labels, k, 0.3, eps, 3, 5, &o, acc, &nonprivate, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("blobs accuracy: %.3f %.3f %.3f, non-private %.3f", acc[0], acc[1], acc[2], nonprivate);
  g_assert_cmpfloat (nonprivate, >, 0.95);
  g_assert_cmpfloat (acc[2], >, 0.9);
  g_assert_cmpfloat (acc[0], <, acc[2] - 0.1);
  g_assert_cmpfloat (acc[0], <=, acc[1] + 0.02);
}

static void
test_accuracy_iris (void)
{
  g_autoptr (CsDataset) ds = NULL;
  g_autoptr (CsPrepared) prep = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree int   *labels = NULL;
  const double      eps[] = { 0.1, 10.0 };
  double            acc[2];
  double            nonprivate;
  guint             k;
  CsPrepareOptions  po;
  CsDpKernelOptions o;

  ds = cs_sample_load ("iris", &error);
  g_assert_no_error (error);
  cs_prepare_options_init (&po);
  po.scaling = CS_SCALE_STANDARDIZE;
  prep = cs_dataset_prepare (ds, &po, &error);
  g_assert_no_error (error);
  labels = cs_dataset_class_labels (ds, &k);
  g_assert_cmpuint (k, ==, 3);
  cs_dp_kernel_options_init (&o);
  o.bandwidth = 1.0;
  g_assert_true (
      cs_dp_accuracy_curve (prep->x, labels, k, 0.3, eps, 2, 10, &o, acc, &nonprivate, NULL, &error));
  g_test_message ("iris accuracy: %.3f %.3f, non-private %.3f", acc[0], acc[1], nonprivate);
  g_assert_cmpfloat (nonprivate, >, 0.85);
  g_assert_cmpfloat (acc[1], >, acc[0]);
}

static void
test_surface (void)
{
  g_autoptr (CsMatrix) x = random_matrix (2000, 2, 12);
  g_autoptr (CsDpSurface) lo = NULL;
  g_autoptr (CsDpSurface) hi = NULL;
  g_autoptr (GError) error = NULL;
  CsDpKernelOptions o;

  cs_dp_kernel_options_init (&o);
  o.n_features = 2048;
  o.bandwidth = cs_dp_default_bandwidth (x);
  o.epsilon = 0.2;
  lo = cs_dp_surface_compute (x, &o, 24, NULL, NULL, &error);
  g_assert_no_error (error);
  o.epsilon = INFINITY;
  hi = cs_dp_surface_compute (x, &o, 24, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("surface: peak %.4f, ε = 0.2: max %.4f mean %.4f; ε = ∞: max %.4f mean %.4f", hi->peak,
                  lo->max_error, lo->mean_error, hi->max_error, hi->mean_error);
  /* Exact peak of an average similarity of a standard normal sample is below 1 and not tiny. */
  g_assert_cmpfloat (hi->peak, >, 0.05);
  g_assert_cmpfloat (hi->peak, <=, 1.0);
  /* Without noise only the RFF error remains, ~1/√D of the kernel's scale: at D = 2048 about
   * 5 % of the peak on average (measured 4.7 %, max 14 %). */
  g_assert_cmpfloat (hi->mean_error, <, 0.08);
  g_assert_cmpfloat (hi->max_error, <, 0.25);
  g_assert_cmpfloat (hi->mean_error, <=, hi->max_error);
  /* Less privacy budget, more error. */
  g_assert_cmpfloat (lo->mean_error, >, hi->mean_error);
}

/* With no noise and many features the private KDE is the Gaussian KDE with the full H. */
static void
test_kde_full_bandwidth (void)
{
  g_autoptr (CsMatrix) x = random_matrix (500, 2, 13);
  g_autoptr (GError) error = NULL;
  const double      H[4] = { 0.09, 0.03, 0.03, 0.16 };
  const double      extent[4] = { -2, 2, -2, 2 };
  const double      det = H[0] * H[3] - H[1] * H[2];
  double            values[9 * 9];
  double            peak = 0.0;
  double            worst = 0.0;
  CsDpKernelOptions o;

  cs_dp_kernel_options_init (&o);
  o.n_features = 16384;
  o.epsilon = INFINITY;
  g_assert_true (cs_dp_kde_grid_values (x, H, &o, 9, 9, extent, values, NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint j = 0; j < 9; j++)
    for (guint i = 0; i < 9; i++)
      {
        double y0 = -2 + 0.5 * i;
        double y1 = -2 + 0.5 * j;
        double f = 0.0;
        for (gsize r = 0; r < x->rows; r++)
          {
            double d0 = y0 - cs_matrix_get (x, r, 0);
            double d1 = y1 - cs_matrix_get (x, r, 1);
            /* (y − x)ᵀ H⁻¹ (y − x) with H⁻¹ = [H3 −H1; −H2 H0] / det. */
            double q = (H[3] * d0 * d0 - 2 * H[1] * d0 * d1 + H[0] * d1 * d1) / det;
            f += exp (-0.5 * q) / (2 * G_PI * sqrt (det));
          }
        f /= x->rows;
        peak = MAX (peak, f);
        worst = MAX (worst, fabs (f - values[j * 9 + i]));
      }
  g_assert_cmpfloat (worst / peak, <, 0.05);

  {
    const double bad[4] = { 1, 2, 2, 1 };
    g_assert_false (cs_dp_kde_grid_values (x, bad, &o, 9, 9, extent, values, NULL, NULL, &error));
    g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/dp-kernel/sigma/matches-formula", test_sigma_formula);
  g_test_add_func ("/core/dp-kernel/rff/noise-scale-is-sigma", test_noise_scale);
  g_test_add_func ("/core/dp-kernel/rff/unbiased-over-seeds", test_unbiased);
  g_test_add_func ("/core/dp-kernel/rff/sensitivity-bound-holds", test_sensitivity_bound);
  g_test_add_func ("/core/dp-kernel/rff/converges-to-exact-with-d", test_rff_converges);
  g_test_add_func ("/core/dp-kernel/rff/deterministic-for-seed", test_deterministic);
  g_test_add_func ("/core/dp-kernel/invalid-arguments", test_invalid);
  g_test_add_func ("/core/dp-kernel/cancel-and-progress", test_cancel_and_progress);
  g_test_add_func ("/core/dp-kernel/l1/tree-mechanism", test_l1);
  g_test_add_func ("/core/dp-kernel/sql2/polynomial-expansion", test_sql2);
  g_test_add_func ("/core/dp-kernel/classify/accuracy-rises-with-epsilon", test_accuracy_rises);
  g_test_add_func ("/core/dp-kernel/classify/iris", test_accuracy_iris);
  g_test_add_func ("/core/dp-kernel/surface/error-shrinks-with-epsilon", test_surface);
  g_test_add_func ("/core/dp-kernel/kde/full-bandwidth-matches-exact", test_kde_full_bandwidth);
  return g_test_run ();
}
