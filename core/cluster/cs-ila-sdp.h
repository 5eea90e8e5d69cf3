#pragma once

#include "core/cluster/cs-registry.h"
#include "core/cluster/cs-sdp.h"

G_BEGIN_DECLS

/* iLA-SDP, after "Likelihood Adjusted Semidefinite Programs for Clustering Heterogeneous
 * Data": one membership matrix per cluster, a covariance per cluster, no centroids. Our
 * reading (docs/algorithms.md):
 *
 * With the means profiled out, twice the negative log-likelihood of a partition is, up to a
 * constant, Σ_k ⟨B_k, Z_k⟩ with Z_k = 1_{G_k} 1_{G_k}ᵀ / |G_k| and
 *   B_k = ½ (c_k 1ᵀ + 1 c_kᵀ) − X Σ_k⁻¹ Xᵀ,   c_{k,i} = x_iᵀ Σ_k⁻¹ x_i + log det Σ_k.
 * Relaxed to Z_k ⪰ 0, Z_k ≥ 0, tr Z_k = 1, Σ_k Z_k 1 = 1, and solved with the low-rank
 * non-negative factorisation of cs-sdp.h (Z_k = U_k U_kᵀ, one block per cluster, never
 * forming n × n). Alternates: covariances from the current memberships (the clusters' sample
 * covariances plus `ridge` × the data's mean variance on the diagonal), then the SDP (warm
 * started), then each row goes to the k with the largest (Z_k 1)_i; stops when no row moves.
 * Starts from k-means. With every Σ_k = I (covariance = identity) the objective is constant −
 * ⟨X Xᵀ, Σ_k Z_k⟩ and the problem is the Peng–Wei SDP. */

typedef enum
{
  CS_ILA_FULL,     /* each cluster its own covariance */
  CS_ILA_IDENTITY, /* Σ_k = I: the Peng–Wei SDP */
} CsIlaCovariance;

typedef struct
{
  guint           k;
  CsIlaCovariance covariance;
  double          ridge;     /* × the data's mean variance, added to each Σ_k's diagonal */
  guint           rank;      /* columns of each U_k; 0 = 2 */
  guint           max_outer; /* covariance / SDP alternations */
  guint           max_iter;  /* gradient steps per SDP solve */
  double          tol;
  double          tight_tol;
  guint64         seed;      /* the k-means start and the factor's start */
} CsIlaOptions;

void     cs_ila_options_init (CsIlaOptions *options);

/* The result carries labels, centers (means), covariances (the Σ_k of the last SDP),
 * objective = the classification log-likelihood
 *   −½ Σ_k Σ_{i∈G_k} [(x_i − μ_k)ᵀ Σ_k⁻¹ (x_i − μ_k) + log det Σ_k + d log 2π],
 * tight and sdp (blocks = k; relaxed / rounded objective = Σ_k ⟨B_k, Z_k⟩ at Z and at the
 * partition). */
gboolean cs_ila_sdp_run (const CsMatrix     *x,
                         const CsIlaOptions *options,
                         CsProgress         *progress,
                         CsClustering      **out,
                         GError            **error);

G_END_DECLS
