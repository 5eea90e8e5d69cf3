#pragma once

#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"
#include "core/cluster/cs-result.h"
#include "core/data/cs-dissim.h"

G_BEGIN_DECLS

/* Agglomerative (hierarchical) clustering with SciPy's linkage matrix and labels cut from it.
 *
 * Ward, average and complete linkage use the nearest-neighbour chain (Müllner 2011, §3.3;
 * SciPy's nn_chain): Lance–Williams updates on a packed lower-triangle matrix of n(n−1)/2
 * doubles. Ward on Euclidean coordinates needs no matrix: the Ward distance of clusters A, B
 * is √(2 |A||B| / (|A| + |B|)) ‖c_A − c_B‖ (c the centroids), which is what the Lance–Williams
 * recurrence on Euclidean distances computes, so the chain runs on centroids in O(n d) memory.
 * Single linkage is the minimum spanning tree by Prim (SciPy's mst_single_linkage), from the
 * coordinates (distances computed on the fly, O(n) memory) or from a given matrix (read only).
 *
 * merges follows scipy.cluster.hierarchy.linkage exactly: n − 1 rows (a, b, height, size),
 * sorted by height (stable), a < b, leaves 0 … n − 1, the cluster made by row i numbered n + i.
 * Ties in the chain are broken as SciPy breaks them (the previous chain element, then the lowest
 * cluster number), so on the same distances the merges are the same, row for row.
 *
 * Labels: the first n − k merges (or every merge with height ≤ `height`, SciPy's fcluster
 * 'distance' criterion) make the clusters, numbered canonically: by their first row (row 0 is
 * in cluster 0). scikit-learn's AgglomerativeClustering gives the same partition with other
 * numbers. */

typedef enum
{
  CS_LINKAGE_WARD,
  CS_LINKAGE_AVERAGE,
  CS_LINKAGE_COMPLETE,
  CS_LINKAGE_SINGLE,
} CsLinkage;

/* "ward", "average", "complete", "single" */
const char *cs_linkage_id (CsLinkage linkage);
gboolean    cs_linkage_from_id (const char *id, CsLinkage *linkage);

typedef struct
{
  CsLinkage linkage;
  CsMetric  metric;  /* on coordinates: euclidean, sqeuclidean, manhattan or cosine */
  guint     k;       /* clusters, when height is 0 */
  double    height;  /* > 0: cut at this height instead of into k clusters */
} CsAgglomerativeOptions;

void cs_agglomerative_options_init (CsAgglomerativeOptions *options);

/* Bytes of working memory for n rows: the n(n−1)/2 doubles when the linkage needs a matrix
 * (uses_matrix), plus O(n) bookkeeping. */
guint64 cs_agglomerative_bytes (gsize n, gboolean uses_matrix);
/* TRUE when linkage on coordinates under `metric` runs without an n × n matrix. */
gboolean cs_agglomerative_needs_matrix (CsLinkage linkage, CsMetric metric);

/* The result carries merges ((n − 1) × 4) and the labels of the cut. A trace receives one step
 * per merge for the last merges before the cut (at most max_steps, the last 500 when it is 0),
 * each with the labels after that merge, k going down to the result's k. Refuses with
 * CS_ERROR_TOO_LARGE when a needed matrix exceeds the memory budget. */
gboolean cs_agglomerative_run (const CsMatrix               *x,
                               const CsAgglomerativeOptions *options,
                               CsProgress                   *progress,
                               CsTrace                      *trace,
                               CsClustering                **out,
                               GError                      **error);

gboolean cs_agglomerative_run_dissim (const CsDissim               *dissim,
                                      const CsAgglomerativeOptions *options,
                                      CsProgress                   *progress,
                                      CsTrace                      *trace,
                                      CsClustering                **out,
                                      GError                      **error);

/* Labels (n entries, canonical numbering) of the first `n_merges` merges; returns the number
 * of clusters, n − n_merges. */
guint cs_agglomerative_cut (const double *merges, gsize n, gsize n_merges, int *labels);
/* The merges a cut at `height` keeps: those with height ≤ it (merges are sorted). */
gsize cs_agglomerative_merges_below (const double *merges, gsize n, double height);

/* A copy of a hierarchical result (merges set) cut into k clusters instead: labels, k,
 * objective and the params' k (height 0), the same merges. NULL when k is outside 1 … n. */
CsClustering *cs_agglomerative_recut (const CsClustering *source, guint k);

/* SciPy's dendrogram leaf order (left child first, depth first from the root): order gets
 * the n leaves from left to right. */
void  cs_agglomerative_leaf_order (const double *merges, gsize n, gsize *order);

G_END_DECLS
