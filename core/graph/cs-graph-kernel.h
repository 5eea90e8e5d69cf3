#pragma once

#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"
#include "core/graph/cs-graph.h"

G_BEGIN_DECLS

/* Proximity kernels on graphs (Ivashkin & Chebotarev, "Do logarithmic proximity measures
 * outperform plain ones in graph clustering?"), plain and logarithmic (the entrywise log of the
 * plain kernel). A = adjacency, L = D − A, S = D^−½ A D^−½, ρ = spectral radius of A. */
typedef enum
{
  CS_GRAPH_KERNEL_PWALK,     /* (I − tA)⁻¹, 0 < t < 1/ρ (Katz) */
  CS_GRAPH_KERNEL_WALK,      /* log of pWalk */
  CS_GRAPH_KERNEL_FOREST,    /* (I + tL)⁻¹, t > 0 (regularized Laplacian) */
  CS_GRAPH_KERNEL_LOG_FOREST,
  CS_GRAPH_KERNEL_COMM,      /* exp(tA), t > 0 (communicability) */
  CS_GRAPH_KERNEL_LOG_COMM,
  CS_GRAPH_KERNEL_HEAT,      /* exp(−tL), t > 0 */
  CS_GRAPH_KERNEL_LOG_HEAT,
  CS_GRAPH_KERNEL_NHEAT,     /* exp(−t(I − S)), t > 0 (normalized heat) */
  CS_GRAPH_KERNEL_LOG_NHEAT,
  CS_GRAPH_KERNEL_CT,        /* L⁺ (commute time / resistance), no parameter */
  CS_GRAPH_KERNEL_SCT,       /* 1 / (1 + exp(−t L⁺/σ)), σ the std of L⁺'s entries, t > 0 */
  CS_GRAPH_KERNEL_LOG_SCT,
  CS_GRAPH_KERNEL_PPR,       /* (I − tP)⁻¹ with P = D⁻¹A, 0 < t < 1, symmetrized (½(K + Kᵀ)) */
  CS_GRAPH_KERNEL_LOG_PPR,
  CS_GRAPH_KERNEL_MPPR,      /* (D − tA)⁻¹, 0 < t < 1 (modified PageRank) */
  CS_GRAPH_KERNEL_LOG_MPPR,
  CS_GRAPH_KERNEL_COUNT
} CsGraphKernel;

typedef enum
{
  CS_GRAPH_SCALE_NONE,     /* t itself (CT) */
  CS_GRAPH_SCALE_RHO,      /* t = α / ρ (pWalk, Walk) */
  CS_GRAPH_SCALE_FRACTION, /* t = ½ α / (1 − α) (Forest, Comm, Heat, NHeat, SCT) */
  CS_GRAPH_SCALE_LINEAR,   /* t = α (PPR, MPPR) */
} CsGraphScale;

const char   *cs_graph_kernel_id (CsGraphKernel kernel);   /* "logfor", "walk", "ct", … */
const char   *cs_graph_kernel_name (CsGraphKernel kernel); /* "log Forest" */
gboolean      cs_graph_kernel_from_id (const char *id, CsGraphKernel *kernel);
gboolean      cs_graph_kernel_is_log (CsGraphKernel kernel);
gboolean      cs_graph_kernel_has_param (CsGraphKernel kernel);
CsGraphScale  cs_graph_kernel_scale (CsGraphKernel kernel);
/* Distances of the communicability family are square roots (as in the paper). */
gboolean      cs_graph_kernel_sqrt_distance (CsGraphKernel kernel);
/* The kernel's own parameter t from the paper's α ∈ (0, 1), given ρ. */
double        cs_graph_kernel_t_from_alpha (CsGraphKernel kernel, double alpha, double rho);

/* The eigendecompositions every kernel is a function of (A for walks and communicability, L
 * for forest, heat and CT, S for normalized heat and PageRank), each computed once with
 * LAPACKE dsyevr when first needed, then reused for every t on a grid. Not thread-safe:
 * one object per worker. */
typedef struct _CsGraphSpectra CsGraphSpectra;

CsGraphSpectra *cs_graph_spectra_new (const CsGraph *g, GError **error);
void            cs_graph_spectra_free (CsGraphSpectra *s);
/* ρ, the spectral radius of A (computes A's decomposition). */
gboolean        cs_graph_spectra_rho (CsGraphSpectra *s, double *rho, CsProgress *progress, GError **error);

/* The n × n kernel at parameter t (ignored by CT). Logs are taken without overflow (exp(tA) is
 * formed as exp(t(A − λ_max I)) and t·λ_max added back). Entries that are ≤ 0 before a log
 * (rounding, or nodes in different components) are set to the log of the smallest positive
 * entry; n_floored (may be NULL) receives how many. */
gboolean cs_graph_kernel_compute (CsGraphSpectra *s,
                                  CsGraphKernel   kernel,
                                  double          t,
                                  CsMatrix      **out,
                                  gsize          *n_floored,
                                  CsProgress     *progress,
                                  GError        **error);

/* D_ij = ½ (K_ii + K_jj − K_ij − K_ji), square-rooted when sqrt_distance. */
CsMatrix *cs_kernel_to_distance (const CsMatrix *k, gboolean sqrt_distance);
/* K = −H D H with H = I − 11ᵀ/n (double centring), for D as cs_kernel_to_distance gives it
 * without the square root (half the squared feature distance, hence −H D H rather than the
 * textbook −½ H D H): kernel → distance → kernel returns the centred kernel H K H. */
CsMatrix *cs_distance_to_kernel (const CsMatrix *d);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsGraphSpectra, cs_graph_spectra_free)

G_END_DECLS
