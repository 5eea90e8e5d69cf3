#pragma once

#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"

G_BEGIN_DECLS

/* High-dimensional diagnostics of an isotropic Gaussian KDE, after Biroli & Mézard,
 * "Kernel Density Estimators in Large Dimensions" (arXiv:2408.05807).
 *
 * With n points in d dimensions and α = log(n) / d, the estimate at a query x,
 * ρ̂(x) ∝ Σ_i exp(−|x − y_i|² / 2h²), is a sum of n random terms whose statistics change
 * with h like a random energy model's partition function:
 *   h > h_CLT          CLT regime: many points contribute, ρ̂(x) concentrates;
 *   h_G < h < h_CLT    heavy-tailed regime: the sum follows an α-stable law;
 *   h < h_G            extreme-value (condensed, "glassy") regime: a few points dominate.
 *
 * The thresholds are for Gaussian data with the data's covariance (eigenvalues λ_k), its d
 * and its n — an assumption: for real data they are a guide, and the measured n_eff curve
 * shows what actually happens. They follow the paper's random-energy-model argument for a
 * query x drawn from the data (x typical: x_k² = λ_k in the eigenbasis). The number of points
 * at u = |x − y|² ≈ d v is n·exp(−d I(v)), I the large-deviation rate of u; the first
 * moment E[exp(−β u)], β = 1/(2h²), is dominated by the saddle v*(β) where I'(v*) = −β,
 * whose cost is
 *   J(β) = d I(v*(β)) = Σ_k [ ½ log(1 + 2βλ_k) − βλ_k / (1 + 2βλ_k)² ]
 * (the Legendre transform of log E[exp(−β u)] = Σ_k [−½ log(1 + 2βλ_k) − βλ_k / (1 + 2βλ_k)]).
 *   h_G:   the saddle stops being populated, J(β_G) = log n: below it the sum is carried
 *          by the nearest points (extreme-value statistics).
 *   h_CLT: the second moment E[exp(−2β u)] needs its saddle (at 2β) populated,
 *          J(2β_CLT) = log n, so β_CLT = β_G / 2 and h_CLT = √2 h_G exactly, for any
 *          covariance (as in the REM, where Gaussian fluctuations end at half the
 *          condensation β). Between the two the sum is α-stable with index μ = (h / h_G)².
 * For isotropic data (λ_k = σ²) these are closed forms in α:
 *   α = ½ log(1 + σ²/h_G²) − σ² h_G² / (2 (σ² + h_G²)²)
 *   α = ½ log(1 + 2σ²/h_CLT²) − σ² h_CLT² / (h_CLT² + 2σ²)²
 * J was checked against a Legendre transform done numerically (the tests hold its values)
 * and I against the exact noncentral χ² tail at large d; the paper's body (its equation
 * numbers) was not at hand, so this is a derivation of its setup, not a transcription.
 *
 * Empirical counterparts from n_eff = 1/Σ w_i² (w the normalised kernel weights over the
 * other n − 1 points, averaged over queries). At h_G the largest term is as large as the
 * whole sum, so n_eff = O(1): we mark where the mean n_eff crosses 2. Above h_CLT the same
 * argument gives n_eff ≈ n·E[Z]²/E[Z²], a power of n below ½ at h_CLT (about n^0.23 for
 * α = 0.69), rising with h; the mark where the mean n_eff crosses √(n − 1) is therefore a
 * practical "many points contribute" line that lies somewhat above h_CLT, not an estimate
 * of it. */

typedef enum
{
  CS_KDE_REGIME_CONDENSED,    /* h < h_G: extreme-value statistics, a few points dominate */
  CS_KDE_REGIME_HEAVY_TAILED, /* h_G ≤ h < h_CLT: α-stable fluctuations */
  CS_KDE_REGIME_CLT,          /* h ≥ h_CLT: Gaussian fluctuations, the estimate concentrates */
} CsKdeRegime;

typedef struct
{
  guint   n_h;         /* bandwidths on the log grid (default 60, at least 3) */
  double  h_min;       /* grid ends; both 0 = automatic (h_G / 4 to 4 h_CLT) */
  double  h_max;
  guint   max_queries; /* query points sampled without replacement when n is larger (default 2000) */
  double  max_work;    /* kernel evaluations (queries × n × n_h) allowed; past it fewer queries are
                          sampled, but never under 200 (default 3e9, about 10 s; 0 = no limit) */
  guint64 seed;        /* for that sample */
} CsKdeDiagOptions;

void cs_kde_diag_options_init (CsKdeDiagOptions *options);

/* Immutable once returned, refcounted (a view and an export may share it). */
typedef struct
{
  gatomicrefcount ref;
  gsize   n;          /* points */
  gsize   d;          /* dimensions */
  gsize   n_queries;  /* query points the means are over */
  gboolean sampled;   /* n_queries < n: a seeded sample of the points */
  guint   n_h;
  double *h;          /* Owned, n_h, ascending, log-spaced */
  double *loo_ll;     /* Owned, n_h: mean over queries of log((1/(n−1)) Σ_{j≠i} K_h(x_i − x_j)) */
  double *n_eff;      /* Owned, n_h: mean over queries of 1/Σ_j w_j², j ≠ i */
  double  alpha;      /* log(n) / d */
  double  h_g;        /* the paper's thresholds for Gaussian data with this covariance */
  double  h_clt;
  double  h_g_emp;    /* where mean n_eff crosses 2; NaN when the grid does not reach it */
  double  h_clt_emp;  /* where mean n_eff crosses √(n − 1); NaN likewise */
  double  h_opt;      /* argmax of loo_ll (parabola through the grid's best three in log h) */
  double  loo_ll_opt;
  guint   opt_index;  /* the grid's best index */
} CsKdeDiagnostics;

/* x: n × d, n ≥ 3, d ≥ 1, finite. O(n_queries · n · (d + n_h)) time, memory for one block of
 * distance rows. Deterministic for a seed on any thread count. */
CsKdeDiagnostics *cs_kde_diagnostics_run (const CsMatrix         *x,
                                          const CsKdeDiagOptions *options,
                                          CsProgress             *progress,
                                          GError                **error);

CsKdeDiagnostics *cs_kde_diagnostics_ref (CsKdeDiagnostics *diag);
void              cs_kde_diagnostics_unref (CsKdeDiagnostics *diag);

/* The paper's thresholds for Gaussian data whose covariance has these d eigenvalues (≥ 0),
 * with n points. FALSE with CS_ERROR_INVALID_ARGUMENT when n < 2 or every eigenvalue is 0. */
gboolean cs_kde_regime_thresholds (const double *eigenvalues,
                                   gsize         d,
                                   double        n,
                                   double       *h_g,
                                   double       *h_clt,
                                   GError      **error);

CsKdeRegime cs_kde_diagnostics_regime (const CsKdeDiagnostics *diag, double h);
/* "extreme-value", "heavy-tailed", "CLT" */
const char *cs_kde_regime_name (CsKdeRegime regime);
/* The mean n_eff at h, interpolated in log h and log n_eff; NaN outside the grid. */
double cs_kde_diagnostics_n_eff_at (const CsKdeDiagnostics *diag, double h);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsKdeDiagnostics, cs_kde_diagnostics_unref)

G_END_DECLS
