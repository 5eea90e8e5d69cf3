#pragma once

#include "core/cluster/cs-registry.h"

G_BEGIN_DECLS

/* Gaussian mixtures fitted by EM (Dempster, Laird & Rubin 1977), scikit-learn's
 * GaussianMixture loop and conventions.
 *
 * Model: p(x) = Σ_j w_j N(x | μ_j, Σ_j). Each E-step computes log w_j + log N(x_i | μ_j, Σ_j)
 * from the Cholesky factor Σ_j = L_j L_jᵀ (LAPACKE dpotrf) as
 *   −½ (d log 2π + ‖L_j⁻¹ (x_i − μ_j)‖²) − Σ_t log (L_j)_tt,
 * and the responsibilities r_ij and ln p(x_i) by log-sum-exp over j. The M-step sets
 * N_j = Σ_i r_ij (+ 10 ε, as scikit-learn, so an empty component keeps a defined mean),
 * w_j = N_j / Σ N, μ_j = Σ_i r_ij x_i / N_j, and the covariances below, each with
 * `reg_covar` added to its diagonal so that no component can collapse onto a point:
 *   full:      Σ_j = Σ_i r_ij (x_i − μ_j)(x_i − μ_j)ᵀ / N_j
 *   tied:      one Σ = Σ_j N_j Σ_j(full) / Σ_j N_j shared by every component
 *   diag:      Σ_j = diag of the full one
 *   spherical: Σ_j = σ_j² I with σ_j² the mean of the diag one's entries
 * A run stops when the mean log-likelihood per row changes by less than `tol`, or after
 * `max_iter` EM steps; a final E-step makes the labels, responsibilities and likelihood those
 * of the returned parameters.
 *
 * Scores (smaller is better for both, scikit-learn's sign), with L the log-likelihood
 * Σ_i ln p(x_i) and n the rows:
 *   BIC = −2 L + p ln n
 *   ICL = BIC − 2 Σ_i ln r_{i,ĉ_i},   ĉ_i = argmax_j r_ij
 * (ICL as mclust computes it, Biernacki, Celeux & Govaert 2000: the BIC penalised by how
 * uncertain the hard assignment is). p counts free parameters, cs_gmm_n_parameters ():
 *   (k − 1) weights + k d means + covariance: full k d (d + 1) / 2, tied d (d + 1) / 2,
 *   diag k d, spherical k.
 *
 * The result (CsClustering) carries: labels = ĉ_i; centers = the means; objective = loglik = L;
 * bic; icl; weights; covariances (each component's full d × d matrix, diagonal ones expanded,
 * tied ones repeated); responsibilities (n × k); uncertainty (1 − max_j r_ij per row). */

typedef enum
{
  CS_GMM_FULL,
  CS_GMM_TIED,
  CS_GMM_DIAG,
  CS_GMM_SPHERICAL,
} CsGmmCovariance;

typedef enum
{
  CS_GMM_INIT_KMEANS,   /* labels of one k-means run (k-means++ seeding, to convergence), as scikit-learn */
  CS_GMM_INIT_PLUSPLUS, /* k-means++ seeds and one Lloyd step: cheaper, rougher */
} CsGmmInit;

typedef struct
{
  guint           k;
  CsGmmCovariance covariance;
  CsGmmInit       init;
  const int      *initial_labels; /* Borrowed, n entries in [0, k), may be NULL: the first M-step
                                     takes these hard labels; overrides init and n_init */
  guint           n_init;         /* restarts; the highest final log-likelihood wins */
  guint           max_iter;
  double          tol;            /* on the change of the mean log-likelihood per row */
  double          reg_covar;      /* added to every covariance diagonal, >= 0 */
  guint64         seed;
} CsGmmOptions;

void    cs_gmm_options_init (CsGmmOptions *options);

/* Free parameters of a mixture with k components in d dimensions (see above). */
guint64 cs_gmm_n_parameters (CsGmmCovariance covariance,
                             guint           k,
                             gsize           d);

/* `trace`, when given, gets one step per E-step: the labels ĉ_i and means of the parameters
 * that E-step used, objective = their log-likelihood (never decreasing, up to rounding and
 * reg_covar), then one step for the final E-step. */
gboolean cs_gmm_run (const CsMatrix     *x,
                     const CsGmmOptions *options,
                     CsProgress         *progress,
                     CsTrace            *trace,
                     CsClustering      **out,
                     GError            **error);

G_END_DECLS
