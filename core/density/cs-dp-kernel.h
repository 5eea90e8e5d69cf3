#pragma once

#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"

G_BEGIN_DECLS

/* Differentially private similarity sums (issue: density surfaces), after Backurs, Lin,
 * Mahabadi, Silwal & Tarnawski, "Efficiently Computing Similarities to Private Datasets"
 * (ICLR 2024, arXiv:2403.08917): a data structure, released once under (ε, δ)-DP, that
 * answers F(y) = Σ_x f(x, y) for any number of queries y (post-processing costs no privacy).
 *
 * Adjacency is replace-one: two datasets differ in one row, so n is public. Every structure
 * below spends its own (ε, δ); releasing several of them composes.
 *
 * What is here: the random-feature baseline for the Gaussian kernel with the analytic
 * Gaussian mechanism; for the ℓ1 distance the paper's one-dimensional decomposition with a
 * tree (hierarchical) mechanism per coordinate, whose error does not grow with n; and the
 * squared ℓ2 distance through its polynomial expansion (two noisy statistics). Not here:
 * the paper's kernel improvements (dimension reduction before the sketch, polynomial /
 * Chebyshev approximations for smooth kernels), which pay off in high dimension; in the two
 * dimensions the view uses the baseline is already cheap and its error is the noise σ/n. */

/* Gaussian mechanism ------------------------------------------------------------------ */

/* The classical bound (Dwork & Roth, Theorem A.1): σ = Δ₂ √(2 ln(1.25/δ)) / ε. Only a
 * guarantee for ε < 1; returned for any ε so it can be compared. */
double cs_dp_gaussian_sigma_classic (double sensitivity, double epsilon, double delta);

/* The analytic Gaussian mechanism (Balle & Wang, ICML 2018, Theorem 8): the smallest σ with
 * Φ(Δ/(2σ) − εσ/Δ) − e^ε Φ(−Δ/(2σ) − εσ/Δ) ≤ δ, found by bisection to 1e-12 relative.
 * Valid for every ε > 0 and never larger than the classical σ. 0 when ε is infinite. */
double cs_dp_gaussian_sigma_analytic (double sensitivity, double epsilon, double delta);

/* δ achieved by Gaussian noise σ at sensitivity Δ and ε (the left side above). */
double cs_dp_gaussian_delta (double sensitivity, double epsilon, double sigma);

/* Gaussian kernel sums by random Fourier features ---------------------------------------- */

typedef struct
{
  guint   n_features; /* D, even: D/2 frequencies, each a cos and a sin feature (default 512) */
  double  bandwidth;  /* h > 0: k(x, y) = exp(−‖x − y‖² / (2h²)) */
  double  epsilon;    /* > 0; INFINITY releases the sketch without noise (reference only) */
  double  delta;      /* in (0, 1) */
  guint64 seed;       /* draws the frequencies */
  guint64 noise_seed; /* draws the noise: one feature set, many independent releases */
} CsDpKernelOptions;

void cs_dp_kernel_options_init (CsDpKernelOptions *options);

/* φ(x) = √(2/D) [cos ω_k·x, sin ω_k·x]_k with ω_k ~ N(0, I/h²), so E φ(x)·φ(y) = k(x, y)
 * (Rahimi & Recht) and ‖φ(x)‖₂ = 1 exactly. Replacing one row changes s = Σ_x φ(x) by
 * φ(x') − φ(x), whose norm is at most ‖φ(x')‖ + ‖φ(x)‖ = 2: the L2 sensitivity is Δ₂ = 2
 * whatever D, h and the data. The released sketch is s + N(0, σ² I_D) with σ from the
 * analytic Gaussian mechanism, and F̂(y) = ⟨s̃, φ(y)⟩: unbiased for the RFF sum, with noise
 * of standard deviation exactly σ (since ‖φ(y)‖ = 1) on every query. */
typedef struct
{
  guint   d;          /* input dimension */
  guint   n_features; /* D */
  double  bandwidth;
  double *omega;       /* Owned, (D/2) × d */
  double *sketch;      /* Owned, D: the released, noisy Σ_x φ(x) */
  gsize   n;           /* rows summed (public under replace-one) */
  double  sensitivity; /* Δ₂ = 2 */
  double  sigma;       /* noise standard deviation per coordinate */
  double  epsilon;
  double  delta;
} CsDpKernelSketch;

/* The sketch of the rows of x. Progress and cancellation every block of rows. */
CsDpKernelSketch *cs_dp_kernel_sketch_new (const CsMatrix          *x,
                                           const CsDpKernelOptions *options,
                                           CsProgress              *progress,
                                           GError                 **error);
void              cs_dp_kernel_sketch_free (CsDpKernelSketch *s);

/* φ(y) into phi (D entries). */
void cs_dp_kernel_features (const CsDpKernelSketch *s, const double *y, double *phi);
/* F̂(y) ≈ Σ_x exp(−‖x − y‖² / (2h²)). */
double cs_dp_kernel_sketch_query (const CsDpKernelSketch *s, const double *y);

/* The exact Σ_x exp(−‖x − y‖² / (2h²)), for comparison. */
double cs_dp_kernel_sum_exact (const CsMatrix *x, double bandwidth, const double *y);

/* ℓ1 distance sums by one-dimensional decomposition -------------------------------------- */

/* Σ_x ‖x − y‖₁ = Σ_j Σ_x |x_j − y_j|, and in one dimension
 *   Σ_x |x − y| = ∫_lo^y C(t) dt + ∫_y^hi (n − C(t)) dt   (C(t) = #{x ≤ t}, data in [lo, hi]),
 * so a private prefix-count function per coordinate answers every query — the paper's
 * one-dimensional decomposition for ℓ1 (its Section 4). Prefix counts come from the tree
 * (binary) mechanism over 2^levels bins of [lo_j, hi_j]: each row lies in levels + 1 dyadic
 * nodes per coordinate, so replacing one row changes at most 2 d (levels + 1) node counts by
 * one each, Δ₂ = √(2 d (levels + 1)), and a prefix sums at most levels + 1 noisy nodes:
 * error polylogarithmic in the resolution instead of growing with n. Rows are clipped to
 * the public bounds [lo, hi]; within a bin the points are taken as spread uniformly, which
 * costs at most n × (bin width) / 2 per coordinate. */
typedef struct
{
  guint   d;
  guint   levels;
  gsize   n;
  double *lo;       /* Owned, d */
  double *hi;       /* Owned, d */
  double *prefix;   /* Owned, d × (2^levels + 1): noisy C at bin edges */
  double *integral; /* Owned, d × (2^levels + 1): ∫_lo^edge C(t) dt */
  double  sensitivity;
  double  sigma;
} CsDpL1Sketch;

/* lo / hi: public per-coordinate bounds (d entries, lo < hi); levels in [1, 20]. */
CsDpL1Sketch *cs_dp_l1_sketch_new (const CsMatrix *x,
                                   const double   *lo,
                                   const double   *hi,
                                   guint           levels,
                                   double          epsilon,
                                   double          delta,
                                   guint64         seed,
                                   CsProgress     *progress,
                                   GError        **error);
void          cs_dp_l1_sketch_free (CsDpL1Sketch *s);
double        cs_dp_l1_sketch_query (const CsDpL1Sketch *s, const double *y);
double        cs_dp_l1_sum_exact (const CsMatrix *x, const double *y);

/* Squared ℓ2 distance sums by their polynomial expansion ------------------------------- */

/* Σ_x ‖x − y‖² = Σ_x ‖x‖² − 2 y·Σ_x x + n ‖y‖²: two statistics answer every query. Rows are
 * clipped to the public ball ‖x‖ ≤ radius, so replacing one changes Σ‖x‖² by at most R² and
 * Σx by at most 2R in L2: the pair has Δ₂ = √(R⁴ + 4R²), released with one Gaussian draw per
 * coordinate. Exact (no approximation) when no row was clipped. */
typedef struct
{
  guint   d;
  gsize   n;
  double  radius;
  double  sum_sq; /* noisy Σ‖x‖² */
  double *sum;    /* Owned, d: noisy Σx */
  double  sensitivity;
  double  sigma;
} CsDpSqL2Sketch;

CsDpSqL2Sketch *cs_dp_sql2_sketch_new (
    const CsMatrix *x, double radius, double epsilon, double delta, guint64 seed, GError **error);
void   cs_dp_sql2_sketch_free (CsDpSqL2Sketch *s);
double cs_dp_sql2_sketch_query (const CsDpSqL2Sketch *s, const double *y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsDpSqL2Sketch, cs_dp_sql2_sketch_free)

/* What the privacy view shows --------------------------------------------------------- */

/* The average similarity F(y)/n of 2-D points (n × 2) on a grid × grid lattice over
 * extent (x_min, x_max, y_min, y_max; all zero: the data range padded by 3h), exactly and
 * privately; errors are relative to the exact peak. */
typedef struct
{
  guint   nx, ny;
  double  extent[4];
  double *exact;      /* Owned, nx × ny, x fastest */
  double *priv;       /* Owned, nx × ny */
  double  peak;       /* max of exact */
  double  max_error;  /* max |priv − exact| / peak */
  double  mean_error; /* mean |priv − exact| / peak */
  double  sigma;      /* noise per sketch coordinate */
  double  bandwidth;
} CsDpSurface;

CsDpSurface *cs_dp_surface_compute (const CsMatrix          *xy,
                                    const CsDpKernelOptions *options,
                                    guint                    grid,
                                    const double            *extent,
                                    CsProgress              *progress,
                                    GError                 **error);
void         cs_dp_surface_free (CsDpSurface *s);

/* A private Gaussian KDE with a full bandwidth matrix H (2 × 2, row-major, positive definite):
 * values[j·nx + i] ≈ (1/n) Σ_x N(y; x, H) at the grid nodes y of extent (x varying fastest),
 * from one sketch of the whitened points L⁻¹x (H = L Lᵀ) with the isotropic unit kernel, so
 * the sensitivity argument above holds unchanged. options->bandwidth is ignored. H and the
 * extent are public inputs: when they come from the data (Scott's rule, the data range) they
 * are not covered by the guarantee. *sigma (may be NULL) gets the noise scale. An infinite ε
 * adds no noise (a reference, not a release: front ends must refuse it). Negative estimates
 * are clipped to 0 (post-processing, no privacy cost). */
gboolean cs_dp_kde_grid_values (const CsMatrix          *xy,
                                const double             H[4],
                                const CsDpKernelOptions *options,
                                guint                    nx,
                                guint                    ny,
                                const double             extent[4],
                                double                  *values,
                                double                  *sigma,
                                CsProgress              *progress,
                                GError                 **error);

/* Scott's rule for the isotropic Gaussian kernel: mean column sd × n^(−1/(d+4)). */
double cs_dp_default_bandwidth (const CsMatrix *x);

/* "Classify by average private similarity" (the paper's Section 11 application): one
 * private sketch per class, all with the same features; a test row goes to the class with the
 * largest F̂_c(y) / n_c. The sketches together have Δ₂ = 2 (a changed row leaves one class
 * sketch and joins another: √(1 + 1) ≤ 2), so one σ covers the whole release; the class
 * sizes n_c are treated as public. Returns the accuracy on (test_x, test_labels). */
gboolean cs_dp_classify (const CsMatrix          *train_x,
                         const int               *train_labels,
                         guint                    n_classes,
                         const CsMatrix          *test_x,
                         const int               *test_labels,
                         const CsDpKernelOptions *options,
                         double                  *accuracy,
                         CsProgress              *progress,
                         GError                 **error);

/* Accuracy against ε: rows of x (labels in [0, n_classes)) split once by `seed` into
 * (1 − test_fraction) train and test_fraction test; at each epsilons[i] the mean accuracy
 * over `repeats` noise draws goes to accuracy[i]. *nonprivate gets the ε = ∞ accuracy. */
gboolean cs_dp_accuracy_curve (const CsMatrix          *x,
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
                               GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsDpKernelSketch, cs_dp_kernel_sketch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsDpL1Sketch, cs_dp_l1_sketch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsDpSurface, cs_dp_surface_free)

G_END_DECLS
