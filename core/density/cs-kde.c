#include "core/density/cs-kde.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"

#include <fftw3.h>
#include <float.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* Two-dimensional KDE.
 *
 * Kernels. The Gaussian kernel with bandwidth matrix H is the N(0, H) density, as SciPy's
 * gaussian_kde. The Epanechnikov kernel is the spherical one on the H-whitened space, not the
 * product one: K(u) = 2 / (6π √det H) · (1 − q/6)₊ with q = uᵀH⁻¹u, scaled so that its
 * covariance is H as well (support: the ellipse q < 6). A bandwidth chosen by any rule
 * therefore means the same spread for both kernels.
 *
 * Binned evaluation and its error. Points are linearly binned onto the grid (each point's
 * weight split among the four surrounding nodes in proportion to the opposite sub-cell
 * areas), then convolved with the kernel sampled at the grid offsets by FFT on a
 * zero-padded grid, so there is no wrap-around. Linear binning is exact for the mean and
 * its error at a node is O(δ²/h²) of the peak (δ the grid step, h the bandwidth along the
 * axis); with the default padded extent and 256 nodes a Scott bandwidth spans many cells
 * and the test asserts < 1 % of the peak on a Gaussian mixture (observed ~0.1 %). Points
 * outside an explicitly given extent are not binned: their mass is lost, not folded in. */

#define TWO_PI (2.0 * G_PI)
#define EPAN_R2 6.0 /* support radius² of the unit-covariance spherical Epanechnikov kernel */

void
cs_kde_options_init (CsKdeOptions *options)
{
  memset (options, 0, sizeof *options);
  options->kernel = CS_KERNEL_GAUSSIAN;
  options->rule = CS_BANDWIDTH_SCOTT;
  options->diagonal = FALSE;
  options->method = CS_KDE_BINNED;
  options->grid = 256;
  options->weights = NULL;
}

CsDensityGrid *
cs_density_grid_ref (CsDensityGrid *g)
{
  g_return_val_if_fail (g != NULL, NULL);
  g_atomic_ref_count_inc (&g->ref);
  return g;
}

void
cs_density_grid_unref (CsDensityGrid *g)
{
  if (g == NULL)
    return;
  if (g_atomic_ref_count_dec (&g->ref))
    {
      g_free (g->values);
      g_free (g);
    }
}

/* Normalised weights (sum 1), or NULL for uniform ones. */
static double *
normalise_weights (const double *weights,
                   gsize         n,
                   GError      **error)
{
  double s = 0.0;
  double *w;

  if (weights == NULL)
    return NULL;
  for (gsize i = 0; i < n; i++)
    {
      if (!(weights[i] >= 0.0) || !isfinite (weights[i]))
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "Weight of row %" G_GSIZE_FORMAT " is %g; weights must be finite and non-negative", i + 1,
                       weights[i]);
          return NULL;
        }
      s += weights[i];
    }
  if (!(s > 0.0))
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "The weights sum to zero");
      return NULL;
    }
  w = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    w[i] = weights[i] / s;
  return w;
}

static inline double
weight_of (const double *w,
           gsize         n,
           gsize         i)
{
  return w ? w[i] : 1.0 / (double) n;
}

/* Weighted mean and covariance as numpy.cov (aweights, ddof = 1): the denominator is
 * 1 − Σw² for normalised weights, i.e. n − 1 for uniform ones. neff = 1 / Σw². */
static void
weighted_cov (const CsMatrix *xy,
              const double   *w,
              double          mean[2],
              double          cov[4],
              double         *neff)
{
  gsize n = xy->rows;
  double sw2 = 0.0;
  double c00 = 0.0;
  double c01 = 0.0;
  double c11 = 0.0;

  mean[0] = mean[1] = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      double wi = weight_of (w, n, i);
      mean[0] += wi * cs_matrix_get (xy, i, 0);
      mean[1] += wi * cs_matrix_get (xy, i, 1);
      sw2 += wi * wi;
    }
  for (gsize i = 0; i < n; i++)
    {
      double wi = weight_of (w, n, i);
      double a = cs_matrix_get (xy, i, 0) - mean[0];
      double b = cs_matrix_get (xy, i, 1) - mean[1];
      c00 += wi * a * a;
      c01 += wi * a * b;
      c11 += wi * b * b;
    }
  cov[0] = c00 / (1.0 - sw2);
  cov[1] = cov[2] = c01 / (1.0 - sw2);
  cov[3] = c11 / (1.0 - sw2);
  *neff = 1.0 / sw2;
}

/* Kernels, covariances and bandwidth rules square differences of the coordinates: past
 * ~1e153 those overflow, and a covariance of inf came out as "not positive definite, the
 * data may be constant". Name the value instead. */
static gboolean
check_magnitude (const CsMatrix *xy,
                 GError        **error)
{
  const double limit = sqrt (G_MAXDOUBLE) / 64.0;

  for (gsize i = 0; i < xy->rows * xy->cols; i++)
    if (fabs (xy->data[i]) > limit)
      {
        g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
                     "Row %" G_GSIZE_FORMAT " has the value %.3g, too large for a density: squared distances "
                     "would overflow double precision (keep values below %.1g; rescale the column)",
                     i / xy->cols + 1, xy->data[i], limit);
        return FALSE;
      }
  return TRUE;
}

/* from_user: H was given by the caller (a typed bandwidth), not estimated by a rule. Then a
 * failure is the bandwidth's, not the data's: h = 1e-300 squares to 0 and must not be blamed on
 * data constant along a direction. */
static gboolean
check_h (const double H[4],
         gboolean     from_user,
         GError     **error)
{
  double det = H[0] * H[3] - H[1] * H[2];

  if (from_user)
    {
      if (isnan (H[0]) || isnan (H[1]) || isnan (H[2]) || isnan (H[3]))
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "The bandwidth matrix [[%g, %g], [%g, %g]] holds a value that is not a number; give a "
                       "bandwidth in the data's units", H[0], H[1], H[2], H[3]);
          return FALSE;
        }
      if (!isfinite (H[0]) || !isfinite (H[1]) || !isfinite (H[2]) || !isfinite (H[3]) || !isfinite (H[0] * H[3]))
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "The bandwidth matrix [[%g, %g], [%g, %g]] is too large to compute with (its entries and "
                       "determinant must be finite, so h up to about 1e76); give a bandwidth in the data's units",
                       H[0], H[1], H[2], H[3]);
          return FALSE;
        }
      if (H[0] < 0.0 || H[3] < 0.0)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "The bandwidth matrix [[%g, %g], [%g, %g]] has a negative variance on its diagonal; "
                       "give a positive bandwidth",
                       H[0], H[1], H[2], H[3]);
          return FALSE;
        }
      /* The kernel divides by det(H) = h⁴ for H = h²·I: below the smallest normal double it is 0
       * or has lost its digits. */
      if (!(H[0] * H[3] >= DBL_MIN))
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "The bandwidth matrix [[%g, %g], [%g, %g]] is too small to compute with (its determinant "
                       "must stay within the range of numbers, so h from about 1e-76); give a bandwidth in the "
                       "data's units, or a rule such as Scott's",
                       H[0], H[1], H[2], H[3]);
          return FALSE;
        }
      if (fabs (H[1] - H[2]) > 1e-12 * (H[0] + H[3]) || !(det > 1e-12 * H[0] * H[3]))
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "The bandwidth matrix [[%g, %g], [%g, %g]] is not symmetric positive definite (the "
                       "off-diagonal entries must be equal and smaller in size than √(H₁₁·H₂₂))",
                       H[0], H[1], H[2], H[3]);
          return FALSE;
        }
      return TRUE;
    }
  /* Relative to H[0]·H[3]: collinear data leave a determinant of rounding size, not 0, and a
   * density on it would peak at 1e30. */
  if (!(H[0] > 0.0) || !(H[3] > 0.0) || !(det > 1e-12 * H[0] * H[3]) || !isfinite (det)
      || fabs (H[1] - H[2]) > 1e-12 * (H[0] + H[3]))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "The bandwidth matrix [[%g, %g], [%g, %g]] is not symmetric positive definite; the data may be "
                   "constant along a direction (pick two columns that vary, or give a bandwidth)",
                   H[0], H[1], H[2], H[3]);
      return FALSE;
    }
  return TRUE;
}

/* Inverse of H as the quadratic form q(u) = a u0² + 2 b u0 u1 + c u1². */
static void
h_inverse (const double H[4],
           double      *a,
           double      *b,
           double      *c,
           double      *det)
{
  *det = H[0] * H[3] - H[1] * H[1];
  *a = H[3] / *det;
  *b = -H[1] / *det;
  *c = H[0] / *det;
}

/* ---- Sheather–Jones plug-in, one axis ---------------------------------------------------
 * Solve-the-equation rule as R's bw.SJ (method "ste"): the functionals φ⁴ and φ⁶ of the
 * density are estimated from pair counts of the points on 1000 bins of width
 * 1.01 × range / 1000, with bin index trunc(x / d) as R forms it, so that our value is the
 * root of the same equation. R's uniroot stops at tol = 0.1 × lower (about 1 % of the
 * bandwidth); we solve to 1e-10 relative, so we match bw.SJ(x, tol = tiny) closely and the
 * default bw.SJ(x) to its own tolerance. Weights are ignored by this rule. */

#define SJ_NB 1000
#define SJ_DELMAX 1000.0

typedef struct
{
  gsize   n;
  double  d;
  double *cnt; /* SJ_NB pair counts by bin distance */
} SjCounts;

static double
sj_phi4 (const SjCounts *s,
         double          h)
{
  double sum = 0.0;

  for (int i = 0; i < SJ_NB; i++)
    {
      double delta = i * s->d / h;
      delta *= delta;
      if (delta >= SJ_DELMAX)
        break;
      sum += exp (-delta / 2) * (delta * delta - 6 * delta + 3) * s->cnt[i];
    }
  sum = 2 * sum + (double) s->n * 3;
  return sum / ((double) s->n * (s->n - 1) * pow (h, 5.0) * sqrt (TWO_PI));
}

static double
sj_phi6 (const SjCounts *s,
         double          h)
{
  double sum = 0.0;

  for (int i = 0; i < SJ_NB; i++)
    {
      double delta = i * s->d / h;
      delta *= delta;
      if (delta >= SJ_DELMAX)
        break;
      sum += exp (-delta / 2) * (delta * delta * delta - 15 * delta * delta + 45 * delta - 15) * s->cnt[i];
    }
  sum = 2 * sum - 15 * (double) s->n;
  return sum / ((double) s->n * (s->n - 1) * pow (h, 7.0) * sqrt (TWO_PI));
}

/* R's quantile type 7 on sorted data. */
static double
quantile7 (const double *sorted,
           gsize         n,
           double        p)
{
  double h = (n - 1) * p;
  gsize lo = (gsize) floor (h);
  gsize hi = MIN (lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

static double
sj_fsd (const SjCounts *s,
        double          c1,
        double          alph2,
        double          h)
{
  return pow (c1 / sj_phi4 (s, alph2 * pow (h, 5.0 / 7.0)), 0.2) - h;
}

static gboolean
sj_bandwidth (const double *x,
              gsize         n,
              double       *out,
              GError      **error)
{
  g_autofree double *sorted = NULL;
  g_autofree double *bins = NULL;
  g_autofree gint64 *bin = NULL;
  SjCounts s;
  double mean = 0.0;
  double var = 0.0;
  double scale;
  double a;
  double b;
  double c1;
  double td;
  double alph2;
  double lower;
  double upper;
  double flo;
  double fhi;
  gint64 bmin;

  if (n < 2)
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "The plug-in bandwidth needs at least two points");
      return FALSE;
    }
  sorted = g_memdup2 (x, n * sizeof (double));
  qsort (sorted, n, sizeof (double), cs_compare_doubles);
  for (gsize i = 0; i < n; i++)
    mean += x[i];
  mean /= n;
  for (gsize i = 0; i < n; i++)
    var += (x[i] - mean) * (x[i] - mean);
  var /= n - 1;
  scale = MIN (sqrt (var), (quantile7 (sorted, n, 0.75) - quantile7 (sorted, n, 0.25)) / 1.349);
  if (!(scale > 0.0))
    scale = sqrt (var);
  if (!(scale > 0.0))
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "The plug-in bandwidth needs a column that is not constant");
      return FALSE;
    }

  /* Pair counts by bin distance: within-bin pairs w(w − 1)/2, across bins w_i w_j. */
  s.n = n;
  s.d = (sorted[n - 1] - sorted[0]) * 1.01 / SJ_NB;
  s.cnt = g_new0 (double, SJ_NB);
  bin = g_new (gint64, n);
  bmin = G_MAXINT64;
  for (gsize i = 0; i < n; i++)
    {
      bin[i] = (gint64) trunc (x[i] / s.d);
      bmin = MIN (bmin, bin[i]);
    }
  bins = g_new0 (double, SJ_NB);
  for (gsize i = 0; i < n; i++)
    {
      gint64 k = bin[i] - bmin;
      if (k < SJ_NB)
        bins[k] += 1.0;
    }
  for (int i = 0; i < SJ_NB; i++)
    {
      if (bins[i] == 0.0)
        continue;
      s.cnt[0] += bins[i] * (bins[i] - 1.0) / 2.0;
      for (int j = 0; j < i; j++)
        s.cnt[i - j] += bins[i] * bins[j];
    }

  a = 1.24 * scale * pow ((double) n, -1.0 / 7.0);
  b = 1.23 * scale * pow ((double) n, -1.0 / 9.0);
  c1 = 1.0 / (2.0 * sqrt (G_PI) * n);
  td = -sj_phi6 (&s, b);
  if (!isfinite (td) || td <= 0.0)
    {
      g_free (s.cnt);
      g_set_error_literal (error, CS_ERROR, CS_ERROR_NUMERIC, "The sample is too sparse for the plug-in bandwidth");
      return FALSE;
    }
  alph2 = 1.357 * pow (sj_phi4 (&s, a) / td, 1.0 / 7.0);
  upper = 1.144 * scale * pow ((double) n, -0.2);
  lower = 0.1 * upper;
  flo = sj_fsd (&s, c1, alph2, lower);
  fhi = sj_fsd (&s, c1, alph2, upper);
  for (int itry = 1; flo * fhi > 0.0; itry++)
    {
      if (itry > 99 || !isfinite (flo) || !isfinite (fhi))
        {
          g_free (s.cnt);
          g_set_error_literal (error, CS_ERROR, CS_ERROR_NUMERIC, "The plug-in bandwidth equation has no root");
          return FALSE;
        }
      if (itry % 2)
        {
          upper *= 1.2;
          fhi = sj_fsd (&s, c1, alph2, upper);
        }
      else
        {
          lower /= 1.2;
          flo = sj_fsd (&s, c1, alph2, lower);
        }
    }
  /* Bisection: slow but sure, 60 halvings reach double precision. */
  for (int it = 0; it < 200 && (upper - lower) > 1e-13 * upper; it++)
    {
      double mid = 0.5 * (lower + upper);
      double fm = sj_fsd (&s, c1, alph2, mid);
      if (fm == 0.0)
        lower = upper = mid;
      else if ((fm < 0.0) == (flo < 0.0))
        {
          lower = mid;
          flo = fm;
        }
      else
        upper = mid;
    }
  g_free (s.cnt);
  *out = 0.5 * (lower + upper);
  return TRUE;
}

/* ---- FFT convolution on the grid ------------------------------------------------------ */

/* FFTW's planner is not thread-safe; every plan is made under this lock, once per padded
 * size, and kept for the life of the process. Executing a plan on new arrays
 * (fftw_execute_dft_*) is thread-safe, so workers share the cached plans. */
typedef struct
{
  int       px;
  int       py;
  fftw_plan forward;
  fftw_plan backward;
} PlanPair;

static GMutex plan_lock;
static GPtrArray *plan_cache; /* PlanPair*, never freed: plans live as long as the process */

static const PlanPair *
plans_for (int px,
           int py)
{
  PlanPair *found = NULL;

  g_mutex_lock (&plan_lock);
  if (plan_cache == NULL)
    plan_cache = g_ptr_array_new ();
  for (guint i = 0; i < plan_cache->len && found == NULL; i++)
    {
      PlanPair *p = g_ptr_array_index (plan_cache, i);
      if (p->px == px && p->py == py)
        found = p;
    }
  if (found == NULL)
    {
      double *r = fftw_alloc_real ((gsize) px * py);
      fftw_complex *c = fftw_alloc_complex ((gsize) py * (px / 2 + 1));
      found = g_new0 (PlanPair, 1);
      found->px = px;
      found->py = py;
      found->forward = fftw_plan_dft_r2c_2d (py, px, r, c, FFTW_ESTIMATE);
      found->backward = fftw_plan_dft_c2r_2d (py, px, c, r, FFTW_ESTIMATE);
      fftw_free (r);
      fftw_free (c);
      g_ptr_array_add (plan_cache, found);
    }
  g_mutex_unlock (&plan_lock);
  return found;
}

static gboolean
smooth_size (int n)
{
  for (int f = 2; f <= 7; f++)
    while (n % f == 0)
      n /= f;
  return n == 1;
}

/* Padded FFT length for a grid of n nodes and a kernel reaching r nodes: at least n + r so
 * that nothing wraps around. Rounded up to one of four steps (n + n/8, n/4, n/2, n), so a
 * bandwidth slider meets at most four plan sizes per grid size and reuses them. */
static int
padded_size (int n,
             int r)
{
  int steps[4] = { n / 8, n / 4, n / 2, n };
  int need = n + MIN (r, n - 1);
  int p = 2 * n;

  for (int i = 0; i < 4; i++)
    if (n + steps[i] >= need)
      {
        p = n + steps[i];
        break;
      }
  p += p % 2;
  while (!smooth_size (p))
    p += 2;
  return p;
}

/* out[j * nx + i] = Σ_{i', j'} counts[j' * nx + i'] K((i − i') dx, (j − j') dy) with K the
 * normalised kernel, by FFT. */
static void
fft_convolve (const double *counts,
              int           nx,
              int           ny,
              double        dx,
              double        dy,
              const double  H[4],
              CsKernel      kernel,
              double       *out)
{
  double a;
  double b;
  double c;
  double det;
  double reach2 = kernel == CS_KERNEL_GAUSSIAN ? 80.0 : EPAN_R2; /* exp(−40) ≈ 4e-18 of the peak */
  double norm;
  int rx;
  int ry;
  int px;
  int py;
  int pc;
  const PlanPair *plans;
  double *kr;
  double *dr;
  fftw_complex *kc;
  fftw_complex *dc;

  h_inverse (H, &a, &b, &c, &det);
  norm = kernel == CS_KERNEL_GAUSSIAN ? 1.0 / (TWO_PI * sqrt (det)) : 2.0 / (G_PI * EPAN_R2 * sqrt (det));
  /* The ellipse q(u) = reach2 spans sqrt(reach2 · H_ii) along axis i. */
  rx = (int) MIN ((double) nx - 1, ceil (sqrt (reach2 * H[0]) / dx));
  ry = (int) MIN ((double) ny - 1, ceil (sqrt (reach2 * H[3]) / dy));
  px = padded_size (nx, rx);
  py = padded_size (ny, ry);
  pc = px / 2 + 1;
  plans = plans_for (px, py);

  kr = fftw_alloc_real ((gsize) px * py);
  dr = fftw_alloc_real ((gsize) px * py);
  kc = fftw_alloc_complex ((gsize) py * pc);
  dc = fftw_alloc_complex ((gsize) py * pc);
  memset (kr, 0, sizeof (double) * px * py);
  memset (dr, 0, sizeof (double) * px * py);

  for (int v = -ry; v <= ry; v++)
    {
      double *row = kr + (gsize) ((v + py) % py) * px;
      double uy = v * dy;
      for (int u = -rx; u <= rx; u++)
        {
          double ux = u * dx;
          double q = a * ux * ux + 2.0 * b * ux * uy + c * uy * uy;
          if (q >= reach2)
            continue;
          row[(u + px) % px] = kernel == CS_KERNEL_GAUSSIAN ? norm * exp (-0.5 * q) : norm * (1.0 - q / EPAN_R2);
        }
    }
  for (int j = 0; j < ny; j++)
    memcpy (dr + (gsize) j * px, counts + (gsize) j * nx, sizeof (double) * nx);

  fftw_execute_dft_r2c (plans->forward, kr, kc);
  fftw_execute_dft_r2c (plans->forward, dr, dc);
  for (gsize k = 0; k < (gsize) py * pc; k++)
    {
      double re = kc[k][0] * dc[k][0] - kc[k][1] * dc[k][1];
      double im = kc[k][0] * dc[k][1] + kc[k][1] * dc[k][0];
      dc[k][0] = re;
      dc[k][1] = im;
    }
  fftw_execute_dft_c2r (plans->backward, dc, dr);
  {
    double scale = 1.0 / ((double) px * py);
    for (int j = 0; j < ny; j++)
      for (int i = 0; i < nx; i++)
        out[(gsize) j * nx + i] = dr[(gsize) j * px + i] * scale;
  }
  fftw_free (kr);
  fftw_free (dr);
  fftw_free (kc);
  fftw_free (dc);
}

/* Binning grid: bins of at most a tenth of the kernel's standard deviation (then within
 * ~0.3 % of the peak of the exact sum; a quarter gives ~1 %), at most 1,025 nodes a side. Bins
 * wider than half a standard deviation make the grid "approximate", unless n·m² is small
 * enough (EXACT_FALLBACK_WORK) to sum exactly instead. */
#define BIN_SPACING 0.1
#define BIN_MAX_NODES 1025u
#define BIN_MAX_SPACING 0.5
#define EXACT_FALLBACK_WORK 4e8

/* How many times finer than `spacing` the binning grid must be for bins of at most
 * BIN_SPACING kernel standard deviations, capped so that it has at most BIN_MAX_NODES nodes
 * per axis (a grid already that fine is never refined). */
static int
refine_factor (double spacing,
               double sd,
               guint  m)
{
  double need = ceil (spacing / (BIN_SPACING * sd));
  int cap = (int) MAX (1u, (BIN_MAX_NODES - 1) / (m - 1));

  if (!(need > 1.0))
    return 1;
  return need >= cap ? cap : (int) need;
}

/* Linear binning. Fixed chunks of points (a function of n, not of the thread count) bin
 * into private grids that are then summed in chunk order: the same result on any number
 * of threads. */
#define BIN_CHUNK 262144

static void
linear_bin (const CsMatrix *xy,
            const double   *w,
            int             nx,
            int             ny,
            double          x0,
            double          y0,
            double          dx,
            double          dy,
            double         *counts)
{
  gsize n = xy->rows;
  gsize cells = (gsize) nx * ny;
  int nchunks = (int) MAX ((gsize) 1, (n + BIN_CHUNK - 1) / BIN_CHUNK);
  double *priv = g_new0 (double, cells * (gsize) (nchunks - 1));

#pragma omp parallel for schedule(dynamic, 1)
  for (int ch = 0; ch < nchunks; ch++)
    {
      double *g = ch == 0 ? counts : priv + cells * (gsize) (ch - 1);
      gsize lo = (gsize) ch * BIN_CHUNK;
      gsize hi = MIN (n, lo + BIN_CHUNK);
      if (ch == 0)
        memset (counts, 0, sizeof (double) * cells);
      for (gsize p = lo; p < hi; p++)
        {
          const double *r = cs_matrix_row (xy, p);
          double fx = (r[0] - x0) / dx;
          double fy = (r[1] - y0) / dy;
          double wi = weight_of (w, n, p);
          int i;
          int j;
          double tx;
          double ty;
          if (!(fx >= 0.0 && fy >= 0.0 && fx <= nx - 1 && fy <= ny - 1))
            continue;
          i = MIN ((int) fx, nx - 2);
          j = MIN ((int) fy, ny - 2);
          tx = fx - i;
          ty = fy - j;
          g[(gsize) j * nx + i] += wi * (1 - tx) * (1 - ty);
          g[(gsize) j * nx + i + 1] += wi * tx * (1 - ty);
          g[(gsize) (j + 1) * nx + i] += wi * (1 - tx) * ty;
          g[(gsize) (j + 1) * nx + i + 1] += wi * tx * ty;
        }
    }
  if (nchunks > 1)
    {
#pragma omp parallel for schedule(static)
      for (gsize k = 0; k < cells; k++)
        {
          double s = counts[k];
          for (int ch = 1; ch < nchunks; ch++)
            s += priv[cells * (gsize) (ch - 1) + k];
          counts[k] = s;
        }
    }
  g_free (priv);
}

/* ---- Least-squares cross-validation ---------------------------------------------------
 * LSCV(H) = ∫f̂² − 2 Σ_i w_i f̂₋ᵢ(x_i) for the Gaussian kernel, where ∫f̂² = Σ_ij w_i w_j φ_2H(x_i − x_j)
 * and f̂₋ᵢ(x_i) = Σ_{j≠i} w_j φ_H(x_i − x_j) / (1 − w_i). Up to LSCV_EXACT_MAX points the pair sums are
 * exact; above that they come from the linearly binned data on a 400 × 400 grid convolved
 * with φ_H and φ_2H (the same FFT path as the surface; binning error O(δ²/h²)), with the
 * self-pairs handled exactly. The test checks that the binned minimiser is a minimum of the
 * exact criterion to within ±10 % in the multiple of Σ. */
#define LSCV_EXACT_MAX 2000
#define LSCV_GRID 400

static double
gauss_q (double a,
         double b,
         double c,
         double u,
         double v)
{
  return a * u * u + 2.0 * b * u * v + c * v * v;
}

static double
lscv_exact (const CsMatrix *xy,
            const double   *w,
            const double    H[4])
{
  gsize n = xy->rows;
  double a;
  double b;
  double c;
  double det;
  double s1 = 0.0; /* Σ_{i≠j} w_i w_j φ_H */
  double s2 = 0.0; /* Σ_{i≠j} w_i w_j φ_2H, pairs i < j counted twice */
  double sloo = 0.0;
  double sw2 = 0.0;
  double n1;
  double n2;

  h_inverse (H, &a, &b, &c, &det);
  n1 = 1.0 / (TWO_PI * sqrt (det));
  n2 = 1.0 / (TWO_PI * 2.0 * sqrt (det));
#pragma omp parallel for schedule(dynamic, 16) reduction(+ : s2, sloo)
  for (gsize i = 0; i < n; i++)
    {
      const double *ri = cs_matrix_row (xy, i);
      double wi = weight_of (w, n, i);
      double t1 = 0.0;
      double t2 = 0.0;
      for (gsize j = 0; j < n; j++)
        {
          const double *rj;
          double q;
          if (j == i)
            continue;
          rj = cs_matrix_row (xy, j);
          q = gauss_q (a, b, c, ri[0] - rj[0], ri[1] - rj[1]);
          t1 += weight_of (w, n, j) * exp (-0.5 * q);
          t2 += weight_of (w, n, j) * exp (-0.25 * q);
        }
      sloo += wi * t1 * n1 / (1.0 - wi);
      s2 += wi * t2 * n2;
    }
  for (gsize i = 0; i < n; i++)
    sw2 += weight_of (w, n, i) * weight_of (w, n, i);
  (void) s1;
  return s2 + sw2 * n2 - 2.0 * sloo;
}

typedef struct
{
  int     nx;
  int     ny;
  double  x0;
  double  y0;
  double  dx;
  double  dy;
  double *counts;
  double *tmp;
  double  sw2;
  gsize   n;
  double *self_w; /* Owned, 16 per point: products of the point's own four binning weights */
} LscvBinned;

/* What the binned pair sum counts for the pairs (i, i): point i's four node weights
 * against each other, Σ_ab t_a t_b K(g_a − g_b). Subtracting this (rather than K(0) w_i²)
 * removes the self-pairs without a bias that grows as h approaches the grid step. */
static double
binned_self (const LscvBinned *lb,
             const double      H[4])
{
  double a;
  double b;
  double c;
  double det;
  double k[3][3];
  double s = 0.0;

  h_inverse (H, &a, &b, &c, &det);
  for (int u = -1; u <= 1; u++)
    for (int v = -1; v <= 1; v++)
      k[u + 1][v + 1] = exp (-0.5 * gauss_q (a, b, c, u * lb->dx, v * lb->dy)) / (TWO_PI * sqrt (det));
  for (gsize i = 0; i < lb->n; i++)
    {
      const double *t = lb->self_w + 16 * i;
      /* Corner p = (px, py) ∈ {0, 1}², index px + 2 py. */
      for (int p = 0; p < 4; p++)
        for (int q = 0; q < 4; q++)
          s += t[4 * p + q] * k[(p & 1) - (q & 1) + 1][(p >> 1) - (q >> 1) + 1];
    }
  return s;
}

static double
lscv_binned (LscvBinned  *lb,
             const double H[4])
{
  double H2[4] = { 2 * H[0], 2 * H[1], 2 * H[2], 2 * H[3] };
  gsize cells = (gsize) lb->nx * lb->ny;
  double det = H[0] * H[3] - H[1] * H[1];
  double s1 = 0.0;
  double s2 = 0.0;
  double loo;

  fft_convolve (lb->counts, lb->nx, lb->ny, lb->dx, lb->dy, H, CS_KERNEL_GAUSSIAN, lb->tmp);
  for (gsize k = 0; k < cells; k++)
    s1 += lb->counts[k] * lb->tmp[k];
  fft_convolve (lb->counts, lb->nx, lb->ny, lb->dx, lb->dy, H2, CS_KERNEL_GAUSSIAN, lb->tmp);
  for (gsize k = 0; k < cells; k++)
    s2 += lb->counts[k] * lb->tmp[k];
  /* Self-pairs: drop them from the LOO sum, and count them exactly in ∫f̂². For weighted
   * data 1/(1 − w_i) is taken at its mean. */
  s1 -= binned_self (lb, H);
  s2 += lb->sw2 / (TWO_PI * 2.0 * sqrt (det)) - binned_self (lb, H2);
  loo = s1 / (1.0 - lb->sw2);
  return s2 - 2.0 * loo;
}

double
cs_kde_lscv_score (const CsMatrix *xy,
                   const double    H[4],
                   const double   *weights)
{
  g_autofree double *w = normalise_weights (weights, xy->rows, NULL);
  return lscv_exact (xy, w, H);
}

static gboolean
lscv_bandwidth (const CsMatrix *xy,
                const double   *w,
                const double    base[4],
                double          H[4],
                CsProgress     *progress,
                GError        **error)
{
  gsize n = xy->rows;
  LscvBinned lb = { 0 };
  gboolean binned = n > LSCV_EXACT_MAX;
  double lo = log (0.05);
  double hi = log (4.0);
  double best_t = 0.0;
  double best = INFINITY;
  const int coarse = 24;
  double gr = (sqrt (5.0) - 1.0) / 2.0;
  double fa;
  double fb;
  double ta;
  double tb;

  if (binned)
    {
      double xmin = INFINITY;
      double xmax = -INFINITY;
      double ymin = INFINITY;
      double ymax = -INFINITY;
      for (gsize i = 0; i < n; i++)
        {
          xmin = MIN (xmin, cs_matrix_get (xy, i, 0));
          xmax = MAX (xmax, cs_matrix_get (xy, i, 0));
          ymin = MIN (ymin, cs_matrix_get (xy, i, 1));
          ymax = MAX (ymax, cs_matrix_get (xy, i, 1));
        }
      lb.nx = lb.ny = LSCV_GRID;
      lb.x0 = xmin;
      lb.y0 = ymin;
      lb.dx = (xmax - xmin) / (LSCV_GRID - 1);
      lb.dy = (ymax - ymin) / (LSCV_GRID - 1);
      lb.counts = g_new (double, LSCV_GRID * LSCV_GRID);
      lb.tmp = g_new (double, LSCV_GRID * LSCV_GRID);
      lb.n = n;
      linear_bin (xy, w, lb.nx, lb.ny, lb.x0, lb.y0, lb.dx, lb.dy, lb.counts);
      lb.self_w = g_new0 (double, 16 * n);
      for (gsize i = 0; i < n; i++)
        {
          double wi = weight_of (w, n, i);
          double tx = (cs_matrix_get (xy, i, 0) - lb.x0) / lb.dx;
          double ty = (cs_matrix_get (xy, i, 1) - lb.y0) / lb.dy;
          double t[4];
          tx -= MIN (floor (tx), LSCV_GRID - 2);
          ty -= MIN (floor (ty), LSCV_GRID - 2);
          t[0] = wi * (1 - tx) * (1 - ty);
          t[1] = wi * tx * (1 - ty);
          t[2] = wi * (1 - tx) * ty;
          t[3] = wi * tx * ty;
          for (int p = 0; p < 4; p++)
            for (int q = 0; q < 4; q++)
              lb.self_w[16 * i + 4 * p + q] = t[p] * t[q];
          lb.sw2 += wi * wi;
        }
    }

#define LSCV_AT(t, out)                                                                      \
  G_STMT_START                                                                               \
  {                                                                                          \
    double s_ = exp (t);                                                                     \
    double Ht_[4] = { s_ * base[0], s_ * base[1], s_ * base[2], s_ * base[3] };              \
    (out) = binned ? lscv_binned (&lb, Ht_) : lscv_exact (xy, w, Ht_);                       \
  }                                                                                          \
  G_STMT_END

  /* A coarse scan on log scale first: the criterion can have several local minima. */
  for (int k = 0; k <= coarse; k++)
    {
      double t = lo + (hi - lo) * k / coarse;
      double v;
      if (!cs_progress_check (progress, error))
        goto fail;
      cs_progress_report (progress, 0.7 * k / coarse, "least-squares cross-validation");
      LSCV_AT (t, v);
      if (v < best)
        {
          best = v;
          best_t = t;
        }
    }
  /* Golden-section refinement around the best coarse point. */
  lo = best_t - (log (4.0) - log (0.05)) / coarse;
  hi = best_t + (log (4.0) - log (0.05)) / coarse;
  ta = hi - gr * (hi - lo);
  tb = lo + gr * (hi - lo);
  LSCV_AT (ta, fa);
  LSCV_AT (tb, fb);
  for (int it = 0; it < 40 && hi - lo > 1e-6; it++)
    {
      if (!cs_progress_check (progress, error))
        goto fail;
      if (fa < fb)
        {
          hi = tb;
          tb = ta;
          fb = fa;
          ta = hi - gr * (hi - lo);
          LSCV_AT (ta, fa);
        }
      else
        {
          lo = ta;
          ta = tb;
          fa = fb;
          tb = lo + gr * (hi - lo);
          LSCV_AT (tb, fb);
        }
    }
#undef LSCV_AT
  best_t = 0.5 * (lo + hi);
  for (int i = 0; i < 4; i++)
    H[i] = exp (best_t) * base[i];
  g_free (lb.counts);
  g_free (lb.tmp);
  g_free (lb.self_w);
  return TRUE;

fail:
  g_free (lb.counts);
  g_free (lb.tmp);
  g_free (lb.self_w);
  return FALSE;
}

/* ---- Bandwidth ----------------------------------------------------------------------- */

gboolean
cs_kde_bandwidth (const CsMatrix *xy,
                  CsBandwidthRule rule,
                  gboolean        diagonal,
                  const double   *weights,
                  double          H[4],
                  CsProgress     *progress,
                  GError        **error)
{
  g_autofree double *w = NULL;
  GError *local = NULL;
  double mean[2];
  double cov[4];
  double neff;
  double f2;

  g_return_val_if_fail (xy != NULL && H != NULL, FALSE);
  if (xy->cols != 2 || xy->rows < 2)
    {
      g_autofree char *rows = cs_format_count (xy->rows);
      g_autofree char *cols = cs_format_count (xy->cols);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "A 2-D density needs two columns and at least two rows (got %s × %s)", rows, cols);
      return FALSE;
    }
  if (!check_magnitude (xy, error))
    return FALSE;
  w = normalise_weights (weights, xy->rows, &local);
  if (local)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (rule == CS_BANDWIDTH_MANUAL)
    {
      if (diagonal)
        H[1] = H[2] = 0.0;
      return check_h (H, TRUE, error);
    }
  /* Every rule scales the data's spread: with none along an axis it would return a bandwidth
   * of rounding size (1e-31) and a density peak of 1e36. Density, mean shift and the
   * diagnostics all refuse such data and ask for a bandwidth. */
  for (guint k = 0; k < 2; k++)
    if (cs_matrix_column_constant (xy, k))
      {
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "The %s column does not vary (every row has %g), so no bandwidth can be estimated from the "
                     "data; give one (--bandwidth VALUE in the CLI) or pick a column that varies",
                     k == 0 ? "first (x)" : "second (y)", cs_matrix_get (xy, 0, k));
        return FALSE;
      }
  weighted_cov (xy, w, mean, cov, &neff);
  if (diagonal)
    cov[1] = cov[2] = 0.0;

  switch (rule)
    {
    case CS_BANDWIDTH_SCOTT:
      /* SciPy: factor neff^(−1/(d+4)) on the standard deviations, so its square on Σ. */
      f2 = pow (neff, -2.0 / 6.0);
      break;
    case CS_BANDWIDTH_SILVERMAN:
      /* SciPy: (neff (d + 2) / 4)^(−1/(d+4)); for d = 2 the same as Scott. */
      f2 = pow (neff * (2.0 + 2.0) / 4.0, -2.0 / 6.0);
      break;
    case CS_BANDWIDTH_LSCV:
      /* Searched as a multiple of Scott's H, from 1/20 to 4 times. */
      for (int i = 0; i < 4; i++)
        cov[i] *= pow (neff, -2.0 / 6.0);
      if (!check_h (cov, FALSE, error))
        return FALSE;
      return lscv_bandwidth (xy, w, cov, H, progress, error);
    case CS_BANDWIDTH_PLUGIN:
      {
        g_autofree double *col = g_new (double, xy->rows);
        for (int k = 0; k < 2; k++)
          {
            double h;
            for (gsize i = 0; i < xy->rows; i++)
              col[i] = cs_matrix_get (xy, i, k);
            if (!sj_bandwidth (col, xy->rows, &h, error))
              return FALSE;
            H[k * 3] = h * h;
          }
        H[1] = H[2] = 0.0;
        return check_h (H, FALSE, error);
      }
    case CS_BANDWIDTH_MANUAL:
    default:
      g_assert_not_reached ();
    }
  for (int i = 0; i < 4; i++)
    H[i] = f2 * cov[i];
  return check_h (H, FALSE, error);
}

/* ---- Exact evaluation -----------------------------------------------------------------
 * Rows of grid nodes are the parallel unit (OpenMP, dynamic schedule); the Gaussian sums a
 * whole row per point with the recurrence below, the Epanechnikov kernel works on tiles of
 * TILE_NODES nodes × TILE_POINTS points in the whitened space. */

#define TILE_NODES 64
#define TILE_POINTS 512
#define Q_MAX 1200.0  /* exp(−600) ≈ 3e-261: a term this small cannot move any sum */
#define RESTART 32    /* recurrence steps between exact exp() evaluations */

/* Gaussian, one grid row at a time. Along a row the exponent of point p is a quadratic in
 * the node index i, q(i) = α i² + β i + γ, so exp(−q/2) follows from its neighbour by one
 * multiplication: t(i+1) = t(i) r(i), r(i+1) = r(i) exp(−α). Walking outwards from the
 * vertex, the terms only shrink, and the walk stops below exp(−600). Every RESTART steps the
 * term is recomputed by exp(), which keeps the relative error of a term below ~RESTART² ε
 * (1e-13; the SciPy comparison asserts 1e-10). Each node still sums its points in point
 * order, so the result does not depend on the thread count. */
static void
gauss_row (const CsMatrix *xy,
           const double   *wn,
           double          a,
           double          b,
           double          c,
           double          x0,
           double          dx,
           double          gy,
           guint           nx,
           double         *acc,
           CsProgress     *progress)
{
  double alpha = a * dx * dx;
  double decay = exp (-alpha);

  memset (acc, 0, nx * sizeof (double));
  for (gsize p = 0; p < xy->rows; p++)
    {
      const double *r = cs_matrix_row (xy, p);
      double u0 = x0 - r[0];
      double dy = gy - r[1];
      double beta = 2.0 * dx * (a * u0 + b * dy);
      double gamma = a * u0 * u0 + 2.0 * b * u0 * dy + c * dy * dy;
      double vertex = -beta / (2.0 * alpha);
      gint64 i0 = (gint64) CLAMP (floor (vertex + 0.5), 0.0, (double) nx - 1);
      double w = wn[p];

      /* A row over millions of points takes long enough to need its own cancel checks. */
      if ((p & 8191) == 8191 && cs_progress_is_cancelled (progress))
        return;
      if (alpha * i0 * i0 + beta * i0 + gamma > Q_MAX)
        continue;
      for (int dir = 1; dir >= -1; dir -= 2)
        {
          gint64 i = dir > 0 ? i0 : i0 - 1;
          double t = 0.0;
          double ratio = 0.0;
          int k = 0;
          for (; i >= 0 && i < (gint64) nx; i += dir, k++)
            {
              if (k % RESTART == 0)
                {
                  double q = alpha * i * i + beta * i + gamma;
                  double qn = alpha * (i + dir) * (i + dir) + beta * (i + dir) + gamma;
                  if (q > Q_MAX)
                    break;
                  t = exp (-0.5 * q);
                  ratio = exp (-0.5 * (qn - q));
                }
              else if (t < 3e-261)
                break;
              acc[i] += w * t;
              t *= ratio;
              ratio *= decay;
            }
        }
    }
}

static gboolean
exact_grid (const CsMatrix *xy,
            const double   *w,
            const double    H[4],
            CsKernel        kernel,
            CsDensityGrid  *g,
            CsProgress     *progress,
            GError        **error)
{
  gsize n = xy->rows;
  double l00 = sqrt (H[0]);
  double l10 = H[1] / l00;
  double l11 = sqrt (H[3] - l10 * l10);
  double det = H[0] * H[3] - H[1] * H[1];
  double norm = kernel == CS_KERNEL_GAUSSIAN ? 1.0 / (TWO_PI * sqrt (det)) : 2.0 / (G_PI * EPAN_R2 * sqrt (det));
  double dx = (g->x_max - g->x_min) / (g->nx - 1);
  double dy = (g->y_max - g->y_min) / (g->ny - 1);
  double qa;
  double qb;
  double qc;
  double qdet;
  g_autofree double *z = g_new (double, 2 * n);
  g_autofree double *wz = g_new (double, n);
  int stop = 0;
  int rows_done = 0;

  h_inverse (H, &qa, &qb, &qc, &qdet);
  /* Whiten: with H = L Lᵀ, (x − x_i)ᵀ H⁻¹ (x − x_i) = |L⁻¹x − L⁻¹x_i|². */
  for (gsize i = 0; i < n; i++)
    {
      const double *r = cs_matrix_row (xy, i);
      z[2 * i] = r[0] / l00;
      z[2 * i + 1] = (r[1] - l10 * z[2 * i]) / l11;
      wz[i] = weight_of (w, n, i) * norm;
    }

#pragma omp parallel for schedule(dynamic, 1)
  for (guint j = 0; j < g->ny; j++)
    {
      double gy = g->y_min + j * dy;
      double zx[TILE_NODES];
      double zy[TILE_NODES];
      double acc[TILE_NODES];
      if (g_atomic_int_get (&stop))
        continue;
      if (kernel == CS_KERNEL_GAUSSIAN)
        gauss_row (xy, wz, qa, qb, qc, g->x_min, dx, gy, g->nx, g->values + (gsize) j * g->nx, progress);
      else
        for (guint i0 = 0; i0 < g->nx; i0 += TILE_NODES)
          {
            guint m = MIN (TILE_NODES, g->nx - i0);
            for (guint t = 0; t < m; t++)
              {
                double gx = g->x_min + (i0 + t) * dx;
                zx[t] = gx / l00;
                zy[t] = (gy - l10 * zx[t]) / l11;
                acc[t] = 0.0;
              }
            for (gsize p0 = 0; p0 < n; p0 += TILE_POINTS)
              {
                gsize p1 = MIN (n, p0 + TILE_POINTS);
                for (guint t = 0; t < m; t++)
                  {
                    double s = 0.0;
                    for (gsize p = p0; p < p1; p++)
                      {
                        double u = zx[t] - z[2 * p];
                        double v = zy[t] - z[2 * p + 1];
                        double q = u * u + v * v;
                        if (q < EPAN_R2)
                          s += wz[p] * (1.0 - q / EPAN_R2);
                      }
                    acc[t] += s;
                  }
              }
            memcpy (g->values + (gsize) j * g->nx + i0, acc, m * sizeof (double));
          }
      if (cs_progress_is_cancelled (progress))
        g_atomic_int_set (&stop, 1);
      {
        int done = g_atomic_int_add (&rows_done, 1) + 1;
        if (omp_get_thread_num () == 0)
          cs_progress_report (progress, (double) done / g->ny, "density (exact)");
      }
    }
  return cs_progress_check (progress, error);
}

/* ---- Grid ----------------------------------------------------------------------------- */

CsDensityGrid *
cs_kde_grid (const CsMatrix *xy,
             CsKdeOptions   *options,
             CsProgress     *progress,
             GError        **error)
{
  g_autoptr (CsDensityGrid) g = NULL;
  g_autofree double *w = NULL;
  GError *local = NULL;
  double H[4];
  guint m;

  g_return_val_if_fail (xy != NULL && options != NULL, NULL);
  m = options->grid ? options->grid : 256;
  if (m < 4 || m > 8192)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "Grid size %u is outside 4 to 8192 nodes per axis", m);
      return NULL;
    }
  if (xy->cols != 2 || xy->rows < 2)
    {
      g_autofree char *rows = cs_format_count (xy->rows);
      g_autofree char *cols = cs_format_count (xy->cols);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "A 2-D density needs two columns and at least two rows (got %s × %s)", rows, cols);
      return NULL;
    }
  for (gsize i = 0; i < 2 * xy->rows; i++)
    if (!isfinite (xy->data[i]))
      {
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "Row %" G_GSIZE_FORMAT " has a missing or infinite value; drop or impute it first", i / 2 + 1);
        return NULL;
      }
  if (!check_magnitude (xy, error))
    return NULL;
  if (!cs_memory_check ((guint64) m * m * sizeof (double) * 12, "The density grid", "use a smaller grid", error))
    return NULL;
  memcpy (H, options->h, sizeof H);
  if (!cs_kde_bandwidth (xy, options->rule, options->diagonal, options->weights, H, progress, error))
    return NULL;
  w = normalise_weights (options->weights, xy->rows, &local);
  if (local)
    {
      g_propagate_error (error, local);
      return NULL;
    }

  g = g_new0 (CsDensityGrid, 1);
  g_atomic_ref_count_init (&g->ref);
  g->nx = g->ny = m;
  memcpy (g->h, H, sizeof H);
  g->rule = options->rule;
  g->method = options->method;
  if (options->extent[0] == 0 && options->extent[1] == 0 && options->extent[2] == 0 && options->extent[3] == 0)
    {
      double pad_x = 3.0 * sqrt (H[0]);
      double pad_y = 3.0 * sqrt (H[3]);
      g->x_min = g->y_min = INFINITY;
      g->x_max = g->y_max = -INFINITY;
      for (gsize i = 0; i < xy->rows; i++)
        {
          g->x_min = MIN (g->x_min, cs_matrix_get (xy, i, 0));
          g->x_max = MAX (g->x_max, cs_matrix_get (xy, i, 0));
          g->y_min = MIN (g->y_min, cs_matrix_get (xy, i, 1));
          g->y_max = MAX (g->y_max, cs_matrix_get (xy, i, 1));
        }
      g->x_min -= pad_x;
      g->x_max += pad_x;
      g->y_min -= pad_y;
      g->y_max += pad_y;
    }
  else
    {
      g->x_min = options->extent[0];
      g->x_max = options->extent[1];
      g->y_min = options->extent[2];
      g->y_max = options->extent[3];
      if (!(g->x_max > g->x_min) || !(g->y_max > g->y_min))
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "The grid extent [%g, %g] × [%g, %g] is empty",
                       g->x_min, g->x_max, g->y_min, g->y_max);
          return NULL;
        }
    }
  g->values = g_new0 (double, (gsize) m * m);

  if (options->method == CS_KDE_EXACT)
    {
      if (!exact_grid (xy, w, H, options->kernel, g, progress, error))
        return NULL;
    }
  else
    {
      double dx = (g->x_max - g->x_min) / (m - 1);
      double dy = (g->y_max - g->y_min) / (m - 1);
      /* Linear binning is only as good as its bins are narrow against the kernel: on a grid
       * coarser than a tenth of the bandwidth (a small grid, or a narrow bandwidth) the
       * estimate is far off (0.83 of the peak at 8 nodes, 0.07 at 16). So bin on a grid rx ×
       * ry times finer and keep every rx-th / ry-th node; where even the finest grid we allow
       * is too coarse, sum exactly when that is affordable, and say so otherwise. */
      int rx = refine_factor (dx, sqrt (H[0]), m);
      int ry = refine_factor (dy, sqrt (H[3]), m);
      int fx = (m - 1) * rx + 1;
      int fy = (m - 1) * ry + 1;
      gboolean coarse = dx / rx > BIN_MAX_SPACING * sqrt (H[0]) || dy / ry > BIN_MAX_SPACING * sqrt (H[3]);

      if (coarse && (double) xy->rows * m * m <= EXACT_FALLBACK_WORK)
        {
          if (!exact_grid (xy, w, H, options->kernel, g, progress, error))
            return NULL;
          g->method = CS_KDE_EXACT;
        }
      else
        {
          g_autofree double *counts = NULL;
          g_autofree double *fine = NULL;

          if (!cs_memory_check ((guint64) fx * fy * sizeof (double) * 12, "The binning grid",
                                "use a smaller grid or the exact method", error))
            return NULL;
          counts = g_new (double, (gsize) fx * fy);
          fine = rx * ry > 1 ? g_new (double, (gsize) fx * fy) : NULL;
          g->approximate = coarse;
          if (!cs_progress_check (progress, error))
            return NULL;
          linear_bin (xy, w, fx, fy, g->x_min, g->y_min, dx / rx, dy / ry, counts);
          if (!cs_progress_check (progress, error))
            return NULL;
          cs_progress_report (progress, 0.5, "density (binned)");
          fft_convolve (counts, fx, fy, dx / rx, dy / ry, H, options->kernel, fine ? fine : g->values);
          if (fine != NULL)
            for (guint j = 0; j < m; j++)
              for (guint i = 0; i < m; i++)
                g->values[(gsize) j * m + i] = fine[(gsize) j * ry * fx + (gsize) i * rx];
          /* FFT round-off leaves ±1e-17 where the density is zero; a density is not negative. */
          for (gsize k = 0; k < (gsize) m * m; k++)
            if (g->values[k] < 0.0)
              g->values[k] = 0.0;
        }
    }
  cs_progress_report (progress, 1.0, "density");
  memcpy (options->h, H, sizeof H);
  return g_steal_pointer (&g);
}

/* ---- Highest-density regions ---------------------------------------------------------- */

static int
cmp_double_desc (const void *a,
                 const void *b)
{
  return cs_compare_doubles (b, a);
}

/* The mass is taken relative to the grid's total (value × cell area summed), so a grid that
 * cuts off some tail still gives regions enclosing the stated share of what it shows; with
 * the default padded extent the total is 1 to within the discretisation error. */
void
cs_density_hdr_levels (const CsDensityGrid *g,
                       const double        *masses,
                       guint                n,
                       double              *levels)
{
  gsize cells = (gsize) g->nx * g->ny;
  g_autofree double *v = g_memdup2 (g->values, cells * sizeof (double));
  g_autofree double *cum = g_new (double, cells);
  double total = 0.0;

  qsort (v, cells, sizeof (double), cmp_double_desc);
  for (gsize k = 0; k < cells; k++)
    {
      total += v[k];
      cum[k] = total;
    }
  for (guint m = 0; m < n; m++)
    {
      double target = masses[m] * total;
      gsize lo = 0;
      gsize hi = cells - 1;
      if (!(masses[m] > 0.0))
        {
          levels[m] = v[0];
          continue;
        }
      if (masses[m] >= 1.0)
        {
          levels[m] = v[cells - 1];
          continue;
        }
      /* First k with cum[k] >= target. */
      while (lo < hi)
        {
          gsize mid = (lo + hi) / 2;
          if (cum[mid] >= target)
            hi = mid;
          else
            lo = mid + 1;
        }
      /* Interpolate between the neighbouring sorted values for a level that moves smoothly
       * with the mass. */
      if (lo > 0 && cum[lo] > cum[lo - 1])
        {
          double t = (target - cum[lo - 1]) / (cum[lo] - cum[lo - 1]);
          levels[m] = v[lo - 1] + t * (v[lo] - v[lo - 1]);
        }
      else
        levels[m] = v[lo];
    }
}

/* ---- Marching squares ----------------------------------------------------------------- */

/* A crossing point lives on a grid edge: id 2 (j nx + i) for the edge from node (i, j) to
 * (i + 1, j), and 2 (j nx + i) + 1 for the edge from (i, j) to (i, j + 1). Neighbouring cells
 * name the shared crossing by the same id, which is how segments are joined. */
static void
edge_point (const CsDensityGrid *g,
            double               level,
            gsize                id,
            double              *px,
            double              *py)
{
  gsize node = id / 2;
  guint i = node % g->nx;
  guint j = node / g->nx;
  double dx = (g->x_max - g->x_min) / (g->nx - 1);
  double dy = (g->y_max - g->y_min) / (g->ny - 1);
  double v0 = g->values[node];
  double v1 = (id & 1) ? g->values[node + g->nx] : g->values[node + 1];
  double t = v1 != v0 ? (level - v0) / (v1 - v0) : 0.5;

  t = CLAMP (t, 0.0, 1.0);
  *px = g->x_min + (i + ((id & 1) ? 0.0 : t)) * dx;
  *py = g->y_min + (j + ((id & 1) ? t : 0.0)) * dy;
}

typedef struct
{
  gsize a;
  gsize b;
  gboolean used;
} Segment;

static void
garray_free_cb (gpointer p)
{
  g_array_unref (p);
}

GPtrArray *
cs_density_contour (const CsDensityGrid *g,
                    double               level)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (garray_free_cb);
  g_autoptr (GArray) segs = g_array_new (FALSE, FALSE, sizeof (Segment));
  g_autoptr (GHashTable) ends = NULL; /* edge id → slot in `links` */
  g_autoptr (GArray) links = g_array_new (FALSE, FALSE, sizeof (gssize) * 2);
  guint nx = g->nx;

  g_return_val_if_fail (g != NULL, lines);
  for (guint j = 0; j + 1 < g->ny; j++)
    for (guint i = 0; i + 1 < nx; i++)
      {
        gsize n00 = (gsize) j * nx + i;
        double v00 = g->values[n00];
        double v10 = g->values[n00 + 1];
        double v11 = g->values[n00 + nx + 1];
        double v01 = g->values[n00 + nx];
        int code = (v00 > level) | (v10 > level) << 1 | (v11 > level) << 2 | (v01 > level) << 3;
        gsize e[4] = { 2 * n00, 2 * (n00 + 1) + 1, 2 * (n00 + nx), 2 * n00 + 1 }; /* bottom, right, top, left */
        Segment s = { 0, 0, FALSE };
        if (code == 0 || code == 15)
          continue;
        if (code == 5 || code == 10)
          {
            /* Saddle: the centre value decides whether the high corners connect. */
            gboolean centre_high = 0.25 * (v00 + v10 + v11 + v01) > level;
            gboolean cut_00_11 = (code == 5) != centre_high;
            if (cut_00_11)
              {
                s.a = e[3], s.b = e[0];
                g_array_append_val (segs, s);
                s.a = e[1], s.b = e[2];
                g_array_append_val (segs, s);
              }
            else
              {
                s.a = e[0], s.b = e[1];
                g_array_append_val (segs, s);
                s.a = e[2], s.b = e[3];
                g_array_append_val (segs, s);
              }
            continue;
          }
        {
          int bits[4] = { code & 1, (code >> 1) & 1, (code >> 2) & 1, (code >> 3) & 1 };
          int found = 0;
          gsize pick[2] = { 0, 0 };
          for (int k = 0; k < 4; k++)
            if (bits[k] != bits[(k + 1) % 4])
              pick[found++] = e[k];
          g_assert (found == 2);
          s.a = pick[0];
          s.b = pick[1];
          g_array_append_val (segs, s);
        }
      }

  /* Each crossing is shared by at most two segments: link them through their edge ids. */
  ends = g_hash_table_new (g_int64_hash, g_int64_equal);
  {
    g_autofree gint64 *keys = g_new (gint64, 2 * segs->len);
    for (guint k = 0; k < segs->len; k++)
      {
        Segment *s = &g_array_index (segs, Segment, k);
        gsize ep[2] = { s->a, s->b };
        for (int e = 0; e < 2; e++)
          {
            gpointer slot;
            keys[2 * k + e] = (gint64) ep[e];
            if (g_hash_table_lookup_extended (ends, &keys[2 * k + e], NULL, &slot))
              g_array_index (links, gssize, 2 * GPOINTER_TO_SIZE (slot) + 1) = k;
            else
              {
                gssize pair[2] = { k, -1 };
                g_hash_table_insert (ends, &keys[2 * k + e], GSIZE_TO_POINTER (links->len));
                g_array_append_val (links, pair);
              }
          }
      }

    /* Walk chains: open ones from an end used by one segment, then the closed loops. */
    for (int pass = 0; pass < 2; pass++)
      for (guint k = 0; k < segs->len; k++)
        {
          Segment *s = &g_array_index (segs, Segment, k);
          gsize start;
          gsize cur;
          guint seg;
          GArray *line;
          double px;
          double py;
          if (s->used)
            continue;
          if (pass == 0)
            {
              gsize slot_a = GPOINTER_TO_SIZE (g_hash_table_lookup (ends, &(gint64) { (gint64) s->a }));
              gsize slot_b = GPOINTER_TO_SIZE (g_hash_table_lookup (ends, &(gint64) { (gint64) s->b }));
              if (g_array_index (links, gssize, 2 * slot_a + 1) < 0)
                start = s->a;
              else if (g_array_index (links, gssize, 2 * slot_b + 1) < 0)
                start = s->b;
              else
                continue;
            }
          else
            start = s->a;
          line = g_array_new (FALSE, FALSE, sizeof (double));
          edge_point (g, level, start, &px, &py);
          g_array_append_val (line, px);
          g_array_append_val (line, py);
          cur = start;
          seg = k;
          for (;;)
            {
              Segment *t = &g_array_index (segs, Segment, seg);
              gsize next = t->a == cur ? t->b : t->a;
              gsize slot;
              gssize s0;
              gssize s1;
              t->used = TRUE;
              edge_point (g, level, next, &px, &py);
              g_array_append_val (line, px);
              g_array_append_val (line, py);
              cur = next;
              if (cur == start)
                break;
              slot = GPOINTER_TO_SIZE (g_hash_table_lookup (ends, &(gint64) { (gint64) cur }));
              s0 = g_array_index (links, gssize, 2 * slot);
              s1 = g_array_index (links, gssize, 2 * slot + 1);
              if (s0 >= 0 && !g_array_index (segs, Segment, s0).used)
                seg = s0;
              else if (s1 >= 0 && !g_array_index (segs, Segment, s1).used)
                seg = s1;
              else
                break;
            }
          g_ptr_array_add (lines, line);
        }
  }
  return lines;
}
