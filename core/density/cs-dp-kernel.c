#include "core/density/cs-dp-kernel.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-rng.h"

/* Rows between cancellation checks: with D = 512 a block is ~1 ms of cos/sin. */
#define BLOCK_ROWS 256

/* Gaussian mechanism */

double
cs_dp_gaussian_sigma_classic (double sensitivity, double epsilon, double delta)
{
  if (isinf (epsilon))
    return 0.0;
  return sensitivity * sqrt (2.0 * log (1.25 / delta)) / epsilon;
}

static double
std_normal_cdf (double x)
{
  return 0.5 * erfc (-x / G_SQRT2);
}

/* log erfc(z): erfc underflows past z ≈ 26, where the asymptotic series takes over. */
static double
log_erfc (double z)
{
  double z2;

  if (z < 25.0)
    return log (erfc (z));
  z2 = z * z;
  return -z2 - log (z * sqrt (G_PI)) + log1p (-0.5 / z2 + 0.75 / (z2 * z2));
}

double
cs_dp_gaussian_delta (double sensitivity, double epsilon, double sigma)
{
  double a = sensitivity / (2.0 * sigma);
  double b = epsilon * sigma / sensitivity;

  /* e^ε Φ(−a − b) overflows as a product for large ε (e^1000); in logs it is tiny. */
  return std_normal_cdf (a - b) - 0.5 * exp (epsilon + log_erfc ((a + b) / G_SQRT2));
}

double
cs_dp_gaussian_sigma_analytic (double sensitivity, double epsilon, double delta)
{
  double lo = sensitivity;
  double hi = sensitivity;

  if (isinf (epsilon))
    return 0.0;

  /* δ(σ) decreases in σ: bracket, then bisect in log σ. */
  while (cs_dp_gaussian_delta (sensitivity, epsilon, hi) > delta)
    hi *= 2.0;
  while (lo > 1e-300 && cs_dp_gaussian_delta (sensitivity, epsilon, lo) <= delta)
    lo *= 0.5;
  for (int it = 0; it < 200 && hi - lo > 1e-13 * hi; it++)
    {
      double mid = sqrt (lo * hi);
      if (cs_dp_gaussian_delta (sensitivity, epsilon, mid) > delta)
        lo = mid;
      else
        hi = mid;
    }
  return hi;
}

static gboolean
check_privacy (double epsilon, double delta, GError **error)
{
  if (!(epsilon > 0.0))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "epsilon must be positive (got %g); larger means less privacy, 1 is a common choice",
                   epsilon);
      return FALSE;
    }
  if (!(delta > 0.0 && delta < 1.0))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "delta must be in (0, 1) (got %g); use one well below 1/n, e.g. 1e-5", delta);
      return FALSE;
    }
  return TRUE;
}

/* Random Fourier features */

void
cs_dp_kernel_options_init (CsDpKernelOptions *options)
{
  options->n_features = 512;
  options->bandwidth = 1.0;
  options->epsilon = 1.0;
  options->delta = 1e-5;
  options->seed = 0;
  options->noise_seed = 1;
}

void
cs_dp_kernel_sketch_free (CsDpKernelSketch *s)
{
  if (s == NULL)
    return;
  g_free (s->omega);
  g_free (s->sketch);
  g_free (s);
}

void
cs_dp_kernel_features (const CsDpKernelSketch *s, const double *y, double *phi)
{
  guint  half = s->n_features / 2;
  double scale = sqrt (2.0 / s->n_features);

  for (guint k = 0; k < half; k++)
    {
      const double *w = s->omega + (gsize)k * s->d;
      double        t = 0.0;
      for (guint j = 0; j < s->d; j++)
        t += w[j] * y[j];
      phi[k] = scale * cos (t);
      phi[half + k] = scale * sin (t);
    }
}

double
cs_dp_kernel_sketch_query (const CsDpKernelSketch *s, const double *y)
{
  g_autofree double *phi = g_new (double, s->n_features);
  double             f = 0.0;

  cs_dp_kernel_features (s, y, phi);
  for (guint k = 0; k < s->n_features; k++)
    f += s->sketch[k] * phi[k];
  return f;
}

static gboolean
check_kernel_options (const CsMatrix *x, const CsDpKernelOptions *options, GError **error)
{
  if (x->cols == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "the data has no columns to compare");
      return FALSE;
    }
  if (options->n_features < 2 || options->n_features % 2 != 0 || options->n_features > 1u << 16)
    {
      g_autofree char *got = cs_format_count (options->n_features);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "the number of random features must be even and in [2, 65,536] (got %s); 512 is a good default",
                   got);
      return FALSE;
    }
  if (!(options->bandwidth > 0.0) || !isfinite (options->bandwidth))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "the kernel bandwidth must be positive and finite (got %g)", options->bandwidth);
      return FALSE;
    }
  return check_privacy (options->epsilon, options->delta, error);
}

/* Frequencies only: the noise is added by the caller, so several sketches can share them. */
static CsDpKernelSketch *
sketch_alloc (guint d, const CsDpKernelOptions *options)
{
  CsDpKernelSketch *s = g_new0 (CsDpKernelSketch, 1);
  guint             half = options->n_features / 2;
  CsRng             rng;

  s->d = d;
  s->n_features = options->n_features;
  s->bandwidth = options->bandwidth;
  s->omega = g_new (double, (gsize)half *d);
  s->sketch = g_new0 (double, options->n_features);
  s->sensitivity = 2.0;
  s->epsilon = options->epsilon;
  s->delta = options->delta;
  s->sigma = cs_dp_gaussian_sigma_analytic (s->sensitivity, options->epsilon, options->delta);

  cs_rng_init_stream (&rng, options->seed, 0);
  for (gsize i = 0; i < (gsize)half * d; i++)
    s->omega[i] = cs_rng_normal (&rng) / options->bandwidth;
  return s;
}

/* Adds φ(x_i) for the rows with mask[i] (all rows when mask is NULL) to s->sketch, in row order. */
static gboolean
sketch_accumulate (CsDpKernelSketch *s,
                   const CsMatrix   *x,
                   const int        *labels,
                   int               label,
                   CsProgress       *progress,
                   double            fraction0,
                   double            fraction_span,
                   GError          **error)
{
  g_autofree double *phi = g_new (double, s->n_features);

  for (gsize i0 = 0; i0 < x->rows; i0 += BLOCK_ROWS)
    {
      gsize i1 = MIN (x->rows, i0 + BLOCK_ROWS);

      if (!cs_progress_check (progress, error))
        return FALSE;
      for (gsize i = i0; i < i1; i++)
        {
          if (labels != NULL && labels[i] != label)
            continue;
          cs_dp_kernel_features (s, cs_matrix_row (x, i), phi);
          for (guint k = 0; k < s->n_features; k++)
            s->sketch[k] += phi[k];
          s->n++;
        }
      cs_progress_report (progress, fraction0 + fraction_span * (double)i1 / x->rows, "private sketch");
    }
  return TRUE;
}

static void
sketch_add_noise (CsDpKernelSketch *s, guint64 noise_seed, guint64 stream)
{
  CsRng rng;

  if (s->sigma == 0.0)
    return;
  cs_rng_init_stream (&rng, noise_seed, stream + 1);
  for (guint k = 0; k < s->n_features; k++)
    s->sketch[k] += s->sigma * cs_rng_normal (&rng);
}

CsDpKernelSketch *
cs_dp_kernel_sketch_new (const CsMatrix          *x,
                         const CsDpKernelOptions *options,
                         CsProgress              *progress,
                         GError                 **error)
{
  g_autoptr (CsDpKernelSketch) s = NULL;

  g_return_val_if_fail (x != NULL && options != NULL, NULL);
  if (!check_kernel_options (x, options, error))
    return NULL;

  s = sketch_alloc (x->cols, options);
  if (!sketch_accumulate (s, x, NULL, 0, progress, 0.0, 1.0, error))
    return NULL;
  sketch_add_noise (s, options->noise_seed, 0);
  return g_steal_pointer (&s);
}

double
cs_dp_kernel_sum_exact (const CsMatrix *x, double bandwidth, const double *y)
{
  double f = 0.0;
  double c = -0.5 / (bandwidth * bandwidth);

  for (gsize i = 0; i < x->rows; i++)
    f += exp (c * cs_sqdist (cs_matrix_row (x, i), y, x->cols));
  return f;
}

/* ℓ1 sums */

void
cs_dp_l1_sketch_free (CsDpL1Sketch *s)
{
  if (s == NULL)
    return;
  g_free (s->lo);
  g_free (s->hi);
  g_free (s->prefix);
  g_free (s->integral);
  g_free (s);
}

static gsize
bin_of (double v, double lo, double hi, gsize n_bins)
{
  double t = (v - lo) / (hi - lo) * n_bins;

  if (!(t > 0.0))
    return 0;
  if (t >= n_bins)
    return n_bins - 1;
  return (gsize)t;
}

CsDpL1Sketch *
cs_dp_l1_sketch_new (const CsMatrix *x,
                     const double   *lo,
                     const double   *hi,
                     guint           levels,
                     double          epsilon,
                     double          delta,
                     guint64         seed,
                     CsProgress     *progress,
                     GError        **error)
{
  g_autoptr (CsDpL1Sketch) s = NULL;
  g_autofree double *tree = NULL;
  gsize              n_bins;
  gsize              n_edges;
  CsRng              rng;

  g_return_val_if_fail (x != NULL && lo != NULL && hi != NULL, NULL);
  if (!check_privacy (epsilon, delta, error))
    return NULL;
  if (levels < 1 || levels > 20)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "the tree depth must be in [1, 20] (got %u); 10 gives 1,024 bins per coordinate", levels);
      return NULL;
    }
  for (gsize j = 0; j < x->cols; j++)
    if (!(lo[j] < hi[j]) || !isfinite (lo[j]) || !isfinite (hi[j]))
      {
        g_autofree char *coordinate = cs_format_count (j + 1);
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "the public bounds of coordinate %s must satisfy lo < hi (got %g, %g)", coordinate, lo[j],
                     hi[j]);
        return NULL;
      }

  n_bins = (gsize)1 << levels;
  n_edges = n_bins + 1;
  s = g_new0 (CsDpL1Sketch, 1);
  s->d = x->cols;
  s->levels = levels;
  s->n = x->rows;
  s->lo = g_memdup2 (lo, x->cols * sizeof (double));
  s->hi = g_memdup2 (hi, x->cols * sizeof (double));
  s->prefix = g_new0 (double, x->cols *n_edges);
  s->integral = g_new0 (double, x->cols *n_edges);
  s->sensitivity = sqrt (2.0 * x->cols * (levels + 1.0));
  s->sigma = cs_dp_gaussian_sigma_analytic (s->sensitivity, epsilon, delta);

  /* Heap-ordered complete binary tree over the bins: node 1 is the root, leaves are
   * n_bins .. 2 n_bins − 1. */
  tree = g_new (double, 2 * n_bins);
  cs_rng_init_stream (&rng, seed, 0);
  for (gsize j = 0; j < x->cols; j++)
    {
      double *prefix = s->prefix + j * n_edges;
      double *integral = s->integral + j * n_edges;
      double  width = (hi[j] - lo[j]) / n_bins;

      if (!cs_progress_check (progress, error))
        return NULL;
      memset (tree, 0, 2 * n_bins * sizeof (double));
      for (gsize i = 0; i < x->rows; i++)
        tree[n_bins + bin_of (cs_matrix_get (x, i, j), lo[j], hi[j], n_bins)] += 1.0;
      for (gsize v = n_bins - 1; v >= 1; v--)
        tree[v] = tree[2 * v] + tree[2 * v + 1];
      /* Every node's count is released with noise; all that follows is post-processing. */
      if (s->sigma > 0.0)
        for (gsize v = 1; v < 2 * n_bins; v++)
          tree[v] += s->sigma * cs_rng_normal (&rng);

      /* C at edge e counts bins [0, e): the dyadic decomposition of that range uses at most
       * one node per level. */
      prefix[0] = 0.0;
      for (gsize e = 1; e <= n_bins; e++)
        {
          double c = 0.0;
          gsize  start = 0;
          for (int l = (int)levels; l >= 0; l--)
            {
              gsize size = (gsize)1 << l;
              if (start + size <= e)
                {
                  c += tree[((gsize)1 << (levels - l)) + start / size];
                  start += size;
                }
            }
          prefix[e] = c;
        }
      /* Points spread uniformly within a bin: C is linear between edges. */
      integral[0] = 0.0;
      for (gsize e = 1; e <= n_bins; e++)
        integral[e] = integral[e - 1] + 0.5 * width * (prefix[e - 1] + prefix[e]);
      cs_progress_report (progress, (j + 1.0) / x->cols, "private ℓ1 tree");
    }
  return g_steal_pointer (&s);
}

double
cs_dp_l1_sketch_query (const CsDpL1Sketch *s, const double *y)
{
  gsize  n_bins = (gsize)1 << s->levels;
  gsize  n_edges = n_bins + 1;
  double n = (double)s->n;
  double total = 0.0;

  for (guint j = 0; j < s->d; j++)
    {
      const double *prefix = s->prefix + (gsize)j * n_edges;
      const double *integral = s->integral + (gsize)j * n_edges;
      double        lo = s->lo[j];
      double        hi = s->hi[j];
      double        width = (hi - lo) / n_bins;
      double        t = CLAMP (y[j], lo, hi);
      gsize         b = bin_of (t, lo, hi, n_bins);
      double        u = t - (lo + b * width);
      double        cu = prefix[b] + (prefix[b + 1] - prefix[b]) * u / width;
      double        iy = integral[b] + 0.5 * u * (prefix[b] + cu);

      /* Σ|x − t| = I(t) + [n (hi − t) − (I(hi) − I(t))]; outside the bounds every point is
       * on one side, so the distance to the bound adds n times over. */
      total += 2.0 * iy + n * (hi - t) - integral[n_bins];
      total += n * fabs (y[j] - t);
    }
  return total;
}

double
cs_dp_l1_sum_exact (const CsMatrix *x, const double *y)
{
  double f = 0.0;

  for (gsize i = 0; i < x->rows; i++)
    for (gsize j = 0; j < x->cols; j++)
      f += fabs (cs_matrix_get (x, i, j) - y[j]);
  return f;
}

/* Squared ℓ2 sums */

void
cs_dp_sql2_sketch_free (CsDpSqL2Sketch *s)
{
  if (s == NULL)
    return;
  g_free (s->sum);
  g_free (s);
}

CsDpSqL2Sketch *
cs_dp_sql2_sketch_new (
    const CsMatrix *x, double radius, double epsilon, double delta, guint64 seed, GError **error)
{
  g_autoptr (CsDpSqL2Sketch) s = NULL;
  CsRng rng;

  g_return_val_if_fail (x != NULL, NULL);
  if (!check_privacy (epsilon, delta, error))
    return NULL;
  if (!(radius > 0.0) || !isfinite (radius))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "the public radius that bounds the rows must be positive and finite (got %g)", radius);
      return NULL;
    }

  s = g_new0 (CsDpSqL2Sketch, 1);
  s->d = x->cols;
  s->n = x->rows;
  s->radius = radius;
  s->sum = g_new0 (double, x->cols);
  s->sensitivity = sqrt (radius * radius * radius * radius + 4.0 * radius * radius);
  s->sigma = cs_dp_gaussian_sigma_analytic (s->sensitivity, epsilon, delta);
  for (gsize i = 0; i < x->rows; i++)
    {
      const double *row = cs_matrix_row (x, i);
      double        norm2 = 0.0;
      double        scale;

      for (gsize j = 0; j < x->cols; j++)
        norm2 += row[j] * row[j];
      scale = norm2 > radius * radius ? radius / sqrt (norm2) : 1.0;
      s->sum_sq += norm2 * scale * scale;
      for (gsize j = 0; j < x->cols; j++)
        s->sum[j] += row[j] * scale;
    }
  if (s->sigma > 0.0)
    {
      cs_rng_init_stream (&rng, seed, 0);
      s->sum_sq += s->sigma * cs_rng_normal (&rng);
      for (gsize j = 0; j < x->cols; j++)
        s->sum[j] += s->sigma * cs_rng_normal (&rng);
    }
  return g_steal_pointer (&s);
}

double
cs_dp_sql2_sketch_query (const CsDpSqL2Sketch *s, const double *y)
{
  double dot = 0.0;
  double yy = 0.0;

  for (guint j = 0; j < s->d; j++)
    {
      dot += y[j] * s->sum[j];
      yy += y[j] * y[j];
    }
  return s->sum_sq - 2.0 * dot + (double)s->n * yy;
}

/* Surfaces */

void
cs_dp_surface_free (CsDpSurface *s)
{
  if (s == NULL)
    return;
  g_free (s->exact);
  g_free (s->priv);
  g_free (s);
}

double
cs_dp_default_bandwidth (const CsMatrix *x)
{
  g_autofree double *mean = g_new0 (double, x->cols);
  double             sd = 0.0;

  if (x->rows < 2 || x->cols == 0)
    return 1.0;
  cs_matrix_column_means (x, mean);
  for (gsize j = 0; j < x->cols; j++)
    {
      double ss = 0.0;
      for (gsize i = 0; i < x->rows; i++)
        {
          double t = cs_matrix_get (x, i, j) - mean[j];
          ss += t * t;
        }
      sd += sqrt (ss / (x->rows - 1));
    }
  sd /= x->cols;
  if (!(sd > 0.0))
    sd = 1.0;
  return sd * pow ((double)x->rows, -1.0 / (x->cols + 4.0));
}

CsDpSurface *
cs_dp_surface_compute (const CsMatrix          *xy,
                       const CsDpKernelOptions *options,
                       guint                    grid,
                       const double            *extent,
                       CsProgress              *progress,
                       GError                 **error)
{
  g_autoptr (CsDpKernelSketch) sketch = NULL;
  g_autoptr (CsDpSurface) s = NULL;
  g_autofree double *phi = NULL;
  double             sum_error = 0.0;
  double             max_error = 0.0;

  g_return_val_if_fail (xy != NULL && options != NULL, NULL);
  if (xy->cols != 2 || xy->rows == 0)
    {
      g_autofree char *rows = cs_format_count (xy->rows);
      g_autofree char *cols = cs_format_count (xy->cols);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "a private density surface needs at least one row of two columns (got %s × %s)", rows, cols);
      return NULL;
    }
  if (grid < 2 || grid > 1024)
    {
      g_autofree char *got = cs_format_count (grid);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "the grid must have 2 to 1,024 nodes per axis (got %s); 64 is plenty for a preview", got);
      return NULL;
    }

  s = g_new0 (CsDpSurface, 1);
  s->nx = s->ny = grid;
  s->bandwidth = options->bandwidth;
  if (extent != NULL && (extent[0] != 0.0 || extent[1] != 0.0 || extent[2] != 0.0 || extent[3] != 0.0))
    memcpy (s->extent, extent, sizeof s->extent);
  else
    {
      double pad = 3.0 * options->bandwidth;
      s->extent[0] = s->extent[2] = INFINITY;
      s->extent[1] = s->extent[3] = -INFINITY;
      for (gsize i = 0; i < xy->rows; i++)
        {
          s->extent[0] = MIN (s->extent[0], cs_matrix_get (xy, i, 0));
          s->extent[1] = MAX (s->extent[1], cs_matrix_get (xy, i, 0));
          s->extent[2] = MIN (s->extent[2], cs_matrix_get (xy, i, 1));
          s->extent[3] = MAX (s->extent[3], cs_matrix_get (xy, i, 1));
        }
      s->extent[0] -= pad;
      s->extent[1] += pad;
      s->extent[2] -= pad;
      s->extent[3] += pad;
    }

  sketch = cs_dp_kernel_sketch_new (xy, options, progress, error);
  if (sketch == NULL)
    return NULL;
  s->sigma = sketch->sigma;
  s->exact = g_new (double, (gsize)grid *grid);
  s->priv = g_new (double, (gsize)grid *grid);
  phi = g_new (double, sketch->n_features);

  for (guint r = 0; r < grid; r++)
    {
      double y[2];

      if (!cs_progress_check (progress, error))
        return NULL;
      y[1] = s->extent[2] + (s->extent[3] - s->extent[2]) * r / (grid - 1.0);
      for (guint c = 0; c < grid; c++)
        {
          gsize k = (gsize)r * grid + c;
          y[0] = s->extent[0] + (s->extent[1] - s->extent[0]) * c / (grid - 1.0);
          s->exact[k] = cs_dp_kernel_sum_exact (xy, options->bandwidth, y) / xy->rows;
          s->priv[k] = MAX (0.0, cs_dp_kernel_sketch_query (sketch, y) / xy->rows);
        }
      cs_progress_report (progress, (r + 1.0) / grid, "exact and private surfaces");
    }

  s->peak = 0.0;
  for (gsize k = 0; k < (gsize)grid * grid; k++)
    s->peak = MAX (s->peak, s->exact[k]);
  for (gsize k = 0; k < (gsize)grid * grid; k++)
    {
      double e = fabs (s->priv[k] - s->exact[k]);
      sum_error += e;
      max_error = MAX (max_error, e);
    }
  s->max_error = max_error / s->peak;
  s->mean_error = sum_error / ((double)grid * grid) / s->peak;
  return g_steal_pointer (&s);
}

gboolean
cs_dp_kde_grid_values (const CsMatrix          *xy,
                       const double             H[4],
                       const CsDpKernelOptions *options,
                       guint                    nx,
                       guint                    ny,
                       const double             extent[4],
                       double                  *values,
                       double                  *sigma,
                       CsProgress              *progress,
                       GError                 **error)
{
  g_autoptr (CsMatrix) z = NULL;
  g_autoptr (CsDpKernelSketch) sketch = NULL;
  CsDpKernelOptions o = *options;
  double            a;
  double            b;
  double            c;
  double            norm;

  g_return_val_if_fail (xy != NULL && H != NULL && values != NULL, FALSE);
  if (xy->cols != 2 || xy->rows == 0 || nx < 1 || ny < 1)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "a private density needs at least one row of two columns and a grid");
      return FALSE;
    }
  /* Cholesky of H: L = [a 0; b c]. */
  a = H[0] > 0.0 ? sqrt (H[0]) : NAN;
  b = H[2] / a;
  c = H[3] - b * b > 0.0 ? sqrt (H[3] - b * b) : NAN;
  if (!isfinite (a) || !isfinite (b) || !isfinite (c)
      || fabs (H[1] - H[2]) > 1e-12 * (fabs (H[0]) + fabs (H[3])))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "the bandwidth matrix must be symmetric positive definite (got [%g %g; %g %g])", H[0],
                   H[1], H[2], H[3]);
      return FALSE;
    }

  z = cs_matrix_new (xy->rows, 2);
  for (gsize i = 0; i < xy->rows; i++)
    {
      double z0 = cs_matrix_get (xy, i, 0) / a;
      cs_matrix_row (z, i)[0] = z0;
      cs_matrix_row (z, i)[1] = (cs_matrix_get (xy, i, 1) - b * z0) / c;
    }
  o.bandwidth = 1.0;
  sketch = cs_dp_kernel_sketch_new (z, &o, progress, error);
  if (sketch == NULL)
    return FALSE;
  if (sigma != NULL)
    *sigma = sketch->sigma;

  /* N(y; x, H) = exp(−½ ‖L⁻¹(y − x)‖²) / (2π √det H), and √det H = a c. */
  norm = 1.0 / (xy->rows * 2.0 * G_PI * a * c);
  for (guint j = 0; j < ny; j++)
    {
      double yy = ny > 1 ? extent[2] + (extent[3] - extent[2]) * j / (ny - 1.0) : extent[2];

      if (!cs_progress_check (progress, error))
        return FALSE;
      for (guint i = 0; i < nx; i++)
        {
          double xx = nx > 1 ? extent[0] + (extent[1] - extent[0]) * i / (nx - 1.0) : extent[0];
          double q[2];
          q[0] = xx / a;
          q[1] = (yy - b * q[0]) / c;
          /* A density is never negative: clipping the noisy estimate is post-processing (no
           * privacy cost) and only moves it closer to the truth. */
          values[(gsize)j * nx + i] = MAX (0.0, norm * cs_dp_kernel_sketch_query (sketch, q));
        }
    }
  return TRUE;
}

/* Classification by average private similarity */

gboolean
cs_dp_classify (const CsMatrix          *train_x,
                const int               *train_labels,
                guint                    n_classes,
                const CsMatrix          *test_x,
                const int               *test_labels,
                const CsDpKernelOptions *options,
                double                  *accuracy,
                CsProgress              *progress,
                GError                 **error)
{
  g_autoptr (GPtrArray) sketches = NULL;
  g_autofree double *phi = NULL;
  gsize              correct = 0;
  gsize              counted = 0;

  g_return_val_if_fail (train_x != NULL && test_x != NULL && options != NULL, FALSE);
  if (!check_kernel_options (train_x, options, error))
    return FALSE;
  if (test_x->cols != train_x->cols || n_classes < 2)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "classification needs at least two classes and test rows with the training columns");
      return FALSE;
    }

  sketches = g_ptr_array_new_with_free_func ((GDestroyNotify)cs_dp_kernel_sketch_free);
  for (guint c = 0; c < n_classes; c++)
    {
      CsDpKernelSketch *s = sketch_alloc (train_x->cols, options);
      g_ptr_array_add (sketches, s);
      if (!sketch_accumulate (s, train_x, train_labels, (int)c, progress, 0.8 * c / n_classes,
                              0.8 / n_classes, error))
        return FALSE;
      sketch_add_noise (s, options->noise_seed, c);
    }

  phi = g_new (double, options->n_features);
  for (gsize i = 0; i < test_x->rows; i++)
    {
      const CsDpKernelSketch *s0 = g_ptr_array_index (sketches, 0);
      int                     best = -1;
      double                  best_score = -INFINITY;

      if (test_labels[i] < 0)
        continue;
      if (i % BLOCK_ROWS == 0 && !cs_progress_check (progress, error))
        return FALSE;
      /* The features are the same for every class: compute them once. */
      cs_dp_kernel_features (s0, cs_matrix_row (test_x, i), phi);
      for (guint c = 0; c < n_classes; c++)
        {
          const CsDpKernelSketch *s = g_ptr_array_index (sketches, c);
          double                  f = 0.0;
          if (s->n == 0)
            continue;
          for (guint k = 0; k < s->n_features; k++)
            f += s->sketch[k] * phi[k];
          f /= s->n;
          if (f > best_score)
            {
              best_score = f;
              best = (int)c;
            }
        }
      correct += best == test_labels[i];
      counted++;
    }
  *accuracy = counted > 0 ? (double)correct / counted : NAN;
  return TRUE;
}

static CsMatrix *
take_rows (const CsMatrix *x, const gsize *idx, gsize n)
{
  CsMatrix *m = cs_matrix_new (n, x->cols);

  for (gsize i = 0; i < n; i++)
    memcpy (cs_matrix_row (m, i), cs_matrix_row (x, idx[i]), x->cols * sizeof (double));
  return m;
}

gboolean
cs_dp_accuracy_curve (const CsMatrix          *x,
                      const int               *labels,
                      guint                    n_classes,
                      double                   test_fraction,
                      const double            *epsilons,
                      guint                    n_epsilons,
                      guint                    repeats,
                      const CsDpKernelOptions *options,
                      double                  *accuracy,
                      double                  *nonprivate,
                      CsProgress              *progress,
                      GError                 **error)
{
  g_autofree gsize *perm = NULL;
  g_autofree int   *train_labels = NULL;
  g_autofree int   *test_labels = NULL;
  g_autoptr (CsMatrix) train = NULL;
  g_autoptr (CsMatrix) test = NULL;
  gsize             n_test;
  gsize             n_train;
  CsDpKernelOptions o = *options;
  CsRng             rng;

  g_return_val_if_fail (x != NULL && labels != NULL && options != NULL, FALSE);
  if (!(test_fraction > 0.0 && test_fraction < 1.0) || repeats == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "the test fraction must be in (0, 1) (got %g) and repeats at least 1", test_fraction);
      return FALSE;
    }
  n_test = (gsize)round (test_fraction * x->rows);
  n_train = x->rows - n_test;
  if (n_test == 0 || n_train == 0)
    {
      g_autofree char *rows = cs_format_count (x->rows);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "%s rows are too few to split into training and test sets", rows);
      return FALSE;
    }

  /* Fisher–Yates with the caller's seed: the split is part of the experiment's identity. */
  perm = g_new (gsize, x->rows);
  for (gsize i = 0; i < x->rows; i++)
    perm[i] = i;
  cs_rng_init_stream (&rng, options->seed, 99);
  for (gsize i = x->rows - 1; i > 0; i--)
    {
      gsize j = cs_rng_below (&rng, i + 1);
      gsize t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
  train = take_rows (x, perm, n_train);
  test = take_rows (x, perm + n_train, n_test);
  train_labels = g_new (int, n_train);
  test_labels = g_new (int, n_test);
  for (gsize i = 0; i < n_train; i++)
    train_labels[i] = labels[perm[i]];
  for (gsize i = 0; i < n_test; i++)
    test_labels[i] = labels[perm[n_train + i]];

  for (guint e = 0; e < n_epsilons; e++)
    {
      double sum = 0.0;
      o.epsilon = epsilons[e];
      for (guint r = 0; r < repeats; r++)
        {
          double acc;
          o.noise_seed = options->noise_seed + r * G_GUINT64_CONSTANT (7919) + e;
          if (!cs_dp_classify (train, train_labels, n_classes, test, test_labels, &o, &acc, NULL, error))
            return FALSE;
          sum += acc;
          if (!cs_progress_report (progress, (e * repeats + r + 1.0) / (n_epsilons * repeats + 1.0),
                                   "accuracy against ε"))
            return cs_progress_check (progress, error);
        }
      accuracy[e] = sum / repeats;
    }
  if (nonprivate != NULL)
    {
      o.epsilon = INFINITY;
      if (!cs_dp_classify (train, train_labels, n_classes, test, test_labels, &o, nonprivate, NULL, error))
        return FALSE;
    }
  return TRUE;
}
