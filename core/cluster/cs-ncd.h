#pragma once

#include "core/cluster/cs-registry.h"

G_BEGIN_DECLS

/* Novel class discovery (after Troisemaine et al., "A Practical Approach to Novel Class
 * Discovery in Tabular Data"): rows of known classes keep them, the other rows are clustered by
 * k-means whose known centres are fixed at the known classes' means and whose novel centres are
 * free. The number of novel classes is estimated by cross-validation over the known classes
 * (docs/algorithms.md, "Novel class discovery"). */
typedef struct
{
  guint   k_novel;     /* novel classes; 0 = estimate in 1 … k_novel_max */
  guint   k_novel_max;
  guint   n_folds;     /* folds of the known classes for the estimate (at most their number) */
  guint   n_init;      /* k-means++ starts of the novel centres; the lowest inertia wins */
  guint   max_iter;
  guint64 seed;
} CsNcdOptions;

void cs_ncd_options_init (CsNcdOptions *options);

/* known: n entries, the row's class in [0, n_classes) or -1 where unknown; NULL (or no row
 * with a class) clusters every row as novel, and then k_novel = 0 picks the k with the best
 * (sampled) silhouette. Labels: known classes first (0 … k_known − 1, in class order), novel
 * clusters after; the result's k_known says where they start, score_by_k holds the
 * cross-validation score for every total k tried. */
gboolean cs_ncd_kmeans_run (const CsMatrix     *x,
                            const int          *known,
                            const CsNcdOptions *options,
                            CsProgress         *progress,
                            CsTrace            *trace,
                            CsClustering      **out,
                            GError            **error);

/* The spectral variant's embedding: a graph on the rows, the leading eigenvectors of its
 * normalized adjacency D^−½ A D^−½ (cs_spectral_embedding), and then the same constrained
 * clustering in that embedding, a fit with k centres in all using its first k columns. */
typedef enum
{
  CS_NCD_AFFINITY_KNN, /* the symmetric k-nearest-neighbour graph, every edge weight 1 */
  CS_NCD_AFFINITY_RBF, /* the same edges weighted exp(−γ ‖x − y‖²) */
} CsNcdAffinity;

#define CS_NCD_MAX_LANDMARKS 1000 /* the eigenvectors of at most this many rows' graph: a dense solve */

typedef struct
{
  CsNcdAffinity affinity;
  guint         n_neighbors; /* neighbours per row in the graph, < the rows in it */
  double        gamma;       /* RBF; 0: 1 / the median squared length of the graph's edges */
  guint         landmarks;   /* the graph's rows: all when there are at most this many, else a
                                uniform sample (by the seed); the other rows are placed at the
                                (weighted) mean of their n_neighbors nearest landmarks */
} CsNcdSpectralOptions;

void cs_ncd_spectral_options_init (CsNcdSpectralOptions *options);

/* The rows of x embedded in dim dimensions (n × dim, columns by descending eigenvalue;
 * 1 ≤ dim < the graph's rows). */
gboolean cs_ncd_spectral_embed (const CsMatrix             *x,
                                const CsNcdSpectralOptions *spectral,
                                guint                       dim,
                                guint64                     seed,
                                CsProgress                 *progress,
                                CsMatrix                  **out,
                                GError                    **error);

/* cs_ncd_kmeans_run in the embedding of dimension (known classes + k_novel, or + k_novel_max
 * when estimating): known classes' centres fixed at the means of their known rows' embeddings,
 * novel ones free. The result has no centres (they live in the embedding) and its objective
 * is the inertia in the embedding. */
gboolean cs_ncd_spectral_run (const CsMatrix             *x,
                              const int                  *known,
                              const CsNcdOptions         *options,
                              const CsNcdSpectralOptions *spectral,
                              CsProgress                 *progress,
                              CsClustering              **out,
                              GError                    **error);

G_END_DECLS
