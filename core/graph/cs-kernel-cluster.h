#pragma once

#include "core/cluster/cs-result.h"
#include "core/base/cs-progress.h"
#include "core/graph/cs-graph.h"
#include "core/graph/cs-ntk.h"

G_BEGIN_DECLS

typedef struct
{
  guint        k;
  guint        n_init;       /* restarts (k-means++ on the kernel distance each); lowest inertia wins */
  guint        max_iter;
  guint64      seed;
  const gsize *initial_rows; /* Borrowed, k rows, or NULL: start from these instead (one run) */
} CsKernelKmeansOptions;

void cs_kernel_kmeans_options_init (CsKernelKmeansOptions *o);

/* Kernel k-means on a symmetric n × n kernel K: Lloyd iterations in feature space, the distance
 * of row i to cluster c being K_ii − 2/|c| Σ_{j∈c} K_ij + 1/|c|² Σ_{j,l∈c} K_jl (one dgemm a
 * step). objective = inertia in feature space. */
gboolean cs_kernel_kmeans_run (const CsMatrix              *kernel,
                               const CsKernelKmeansOptions *o,
                               CsProgress                  *progress,
                               CsClustering               **out,
                               GError                     **error);

/* Ward's agglomerative clustering in the kernel's feature space (squared distances
 * K_ii + K_jj − 2K_ij, Lance–Williams updates, nearest-neighbour chain: O(n²) time and memory),
 * cut at k clusters. objective = the within-cluster sum of squares. */
gboolean cs_kernel_ward_run (const CsMatrix *kernel,
                             guint           k,
                             CsProgress     *progress,
                             CsClustering  **out,
                             GError        **error);

typedef struct
{
  guint   k;
  guint   dim;      /* embedding dimension, 0: k */
  guint   n_init;   /* k-means restarts on the embedding (spectral); whole restarts (AMG) */
  guint64 seed;
  /* AMG: */
  guint   sweeps;      /* damped-Jacobi sweeps per test vector */
  double  omega;       /* damping */
  double  attr_weight; /* weight of the augmentation's node–attribute edges */
  gboolean block_distance; /* AMG on an attributed graph: k-means on the block distance
                              (cs_amg_block_embedding), else on the nodes' own rows */
} CsSpectralOptions;

void cs_spectral_options_init (CsSpectralOptions *o);

/* The dim leading eigenvectors of S = D^−½ A D^−½, scaled by D^−½ (rows are the embedding).
 * Dense dsyevr up to 1,000 nodes, block subspace iteration with Rayleigh–Ritz on the sparse
 * (S + I)/2 beyond. */
gboolean cs_spectral_embedding (const CsGraph *g,
                                guint          dim,
                                guint64        seed,
                                CsProgress    *progress,
                                CsMatrix     **out,
                                GError       **error);

/* Spectral clustering: the embedding above, then k-means (k-means++, n_init restarts) on its rows. */
gboolean cs_spectral_cluster (const CsGraph           *g,
                              const CsSpectralOptions *o,
                              CsProgress              *progress,
                              CsClustering           **out,
                              GError                 **error);

/* The AMG idea (D'Ambra, Vassilevski & Cutillo): instead of eigenvectors, dim algebraically
 * smooth vectors — random vectors after `sweeps` damped-Jacobi sweeps on L x = 0, the constant
 * removed, D-orthonormalized — embed the nodes; k-means on the rows. An attributed graph (node
 * table with attribute columns) is first augmented (cs_graph_augment) and, with block_distance,
 * each node is compared with its attribute vertices (cs_amg_block_embedding). Each of n_init
 * restarts draws new vectors; the partition of highest modularity (on g) wins. */
gboolean cs_amg_spectral_cluster (const CsGraph           *g,
                                  const CsSpectralOptions *o,
                                  CsProgress              *progress,
                                  CsClustering           **out,
                                  GError                 **error);

/* The paper's vector-valued ("block") distance. On the augmented graph every node i of g is a
 * block of 1 + g->n_attrs rows of the embedding x (aug->n × dim, rows of aug's vertices): its
 * own row, then for each attribute the row of the vertex of i's value (the mean of those rows
 * over the nodes that have a value, where i has none). Returns the n × ((1 + n_attrs) · dim)
 * matrix of the blocks laid side by side (node row first). aug must be cs_graph_augment (g, …). */
CsMatrix *cs_amg_block_embedding (const CsGraph  *g,
                                  const CsGraph  *aug,
                                  const CsMatrix *x,
                                  GError        **error);

/* The block distance between two rows of a block embedding (blocks rows of dim values each):
 * the vector of the blocks' Euclidean distances (written to components, blocks entries, when
 * not NULL) and, returned, its Euclidean norm, which is what the modified k-means compares. */
double cs_amg_block_distance (const double *a,
                              const double *b,
                              gsize         blocks,
                              gsize         dim,
                              double       *components);

/* The Moore–Penrose pseudo-inverse of a symmetric positive semi-definite matrix by the
 * Newton–Schulz iteration X ← X (2I − A X) from X₀ = A / ‖A‖₂², stopped when ‖A X A − A‖_F
 * stops falling below tol ‖A‖_F; when it has not converged in max_iter steps, the
 * eigendecomposition (the SVD of a symmetric PSD matrix) with eigenvalues below
 * 1e-12 λ_max dropped. iterations (may be NULL) receives the steps taken, 0 for the fallback. */
CsMatrix *cs_pinv_newton_schulz (const CsMatrix *a, double tol, guint max_iter, guint *iterations);

typedef struct
{
  CsPointKernel kernel;
  guint         m;                 /* landmarks */
  gboolean      kmeans_landmarks;  /* k-means centres (a few Lloyd steps on a sample) instead of uniform rows */
  guint64       seed;
} CsNystromOptions;

/* Nyström features Φ (n × r) with Φ Φᵀ = C W⁺ Cᵀ ≈ K, C = k(x, landmarks), W = k(landmarks,
 * landmarks); W⁺ by Newton–Schulz, factored by pivoted Cholesky (r = its numerical rank).
 * O(n m (d + r)) time, O(n r) memory. */
gboolean cs_nystrom_features (const CsMatrix         *x,
                              const CsNystromOptions *o,
                              CsProgress             *progress,
                              CsMatrix              **out,
                              GError                **error);

G_END_DECLS
