#pragma once

#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"

G_BEGIN_DECLS

/* Two-dimensional kernel density estimation on a grid (issue: density surfaces). */

/* Both kernels have covariance H: the Gaussian is N(0, H); the Epanechnikov kernel is the
 * spherical one on the H-whitened space, ∝ (1 − uᵀH⁻¹u / 6)₊ (not the product kernel). */
typedef enum
{
  CS_KERNEL_GAUSSIAN,
  CS_KERNEL_EPANECHNIKOV,
} CsKernel;

typedef enum
{
  CS_BANDWIDTH_SCOTT,
  CS_BANDWIDTH_SILVERMAN,
  CS_BANDWIDTH_LSCV,   /* least-squares cross-validation over a multiple of Scott's H (binned above 2000 points) */
  CS_BANDWIDTH_PLUGIN, /* Sheather–Jones plug-in per axis (R's bw.SJ), a diagonal H; ignores weights */
  CS_BANDWIDTH_MANUAL, /* the matrix given in the options */
} CsBandwidthRule;

typedef enum
{
  CS_KDE_EXACT,  /* direct sum over points, blocked */
  CS_KDE_BINNED, /* linear binning + FFT convolution with the sampled kernel (FFTW) */
} CsKdeMethod;

typedef struct
{
  CsKernel        kernel;
  CsBandwidthRule rule;
  double          h[4];      /* bandwidth matrix H (row-major 2 × 2, a covariance), for MANUAL;
                                filled with the chosen H on return by cs_kde_grid */
  gboolean        diagonal;  /* restrict H to a diagonal matrix */
  CsKdeMethod     method;
  guint           grid;      /* nodes per axis (default 256) */
  double          extent[4]; /* x_min, x_max, y_min, y_max; all 0 = data range padded by 3 bandwidths */
  const double   *weights;   /* Borrowed, n entries or NULL; normalised inside */
} CsKdeOptions;

void cs_kde_options_init (CsKdeOptions *options);

/* Density values on a regular grid: value[j * nx + i] at (x_min + i·dx, y_min + j·dy)
 * — x varies fastest, as in the CLI's CSV. Refcounted, immutable once returned. */
typedef struct
{
  gatomicrefcount ref;
  guint   nx, ny;
  double  x_min, x_max, y_min, y_max;
  double *values;  /* Owned, nx × ny */
  double  h[4];    /* the bandwidth matrix used */
  CsBandwidthRule rule;
  CsKdeMethod method;  /* as computed: a binned request on a grid too coarse for the bandwidth
                          may have been summed exactly instead */
  gboolean approximate; /* binned on bins wider than half the kernel's standard deviation (a
                           bandwidth too narrow for the grid): values may be off; exact is not */
} CsDensityGrid;

CsDensityGrid *cs_density_grid_ref (CsDensityGrid *g);
void           cs_density_grid_unref (CsDensityGrid *g);

/* Bandwidth matrix H for the 2-D points (n × 2) under a rule. */
gboolean cs_kde_bandwidth (const CsMatrix *xy, CsBandwidthRule rule, gboolean diagonal, const double *weights,
                           double H[4], CsProgress *progress, GError **error);

/* The least-squares cross-validation criterion ∫f̂² − 2 Σ w_i f̂₋ᵢ(x_i) of the Gaussian KDE
 * with bandwidth H, computed exactly (O(n²)); the LSCV rule minimises it over a multiple of Scott's H. */
double cs_kde_lscv_score (const CsMatrix *xy, const double H[4], const double *weights);

/* The density of the n × 2 points on a grid. options->h receives the H used. */
CsDensityGrid *cs_kde_grid (const CsMatrix *xy, CsKdeOptions *options, CsProgress *progress, GError **error);

/* Heights at which the highest-density regions enclose each probability mass (e.g. 0.5, 0.8,
 * 0.95) of the estimated density: levels[i] for masses[i]. The mass is relative to the total
 * on the grid (≈ 1 with the default padded extent). */
void cs_density_hdr_levels (const CsDensityGrid *g, const double *masses, guint n, double *levels);

/* Marching squares: closed or open polylines of the iso-line at `level`, as a flat array of
 * (x, y) pairs per line in data coordinates; a closed line repeats its first point at the end.
 * Saddle cells are resolved by the mean of the four corners. Returns a GPtrArray of
 * GArray<double> that frees its lines. */
GPtrArray *cs_density_contour (const CsDensityGrid *g, double level);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsDensityGrid, cs_density_grid_unref)

G_END_DECLS
