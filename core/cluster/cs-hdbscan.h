#pragma once

#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"
#include "core/cluster/cs-result.h"
#include "core/data/cs-dissim.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* HDBSCAN (Campello, Moulavi & Sander 2013; the condensed tree and excess-of-mass selection of
 * McInnes & Healy's hdbscan, as scikit-learn ≥ 1.3 runs it with its defaults: alpha 1, no
 * selection epsilon, no single cluster). See cs-hdbscan.c.
 *
 *   core(i)  = distance from row i to its min_samples-th nearest row, the row itself counting
 *              as the first (scikit-learn's convention; the hdbscan package does not count it)
 *   mreach   = max (d(i, j), core(i), core(j))
 * The minimum spanning tree of mreach (Prim, O(n²) time, O(n) memory) is the single-linkage
 * tree; condensing it with min_cluster_size keeps the splits into two parts of at least that
 * many rows, rows of smaller parts fall out at λ = 1 / distance; each cluster's stability is
 * Σ (λ_out − λ_birth) over its rows; excess of mass selects, bottom up, a cluster when its
 * stability is at least its selected descendants' total. Rows outside every selected cluster
 * are noise (label −1); clusters are numbered in the order the condensed tree creates them. */

typedef enum
{
  CS_HDBSCAN_EUCLIDEAN,
  CS_HDBSCAN_MANHATTAN,
} CsHdbscanMetric;

typedef struct
{
  guint           min_cluster_size; /* at least 2 */
  guint           min_samples;      /* 0: min_cluster_size */
  CsHdbscanMetric metric;
} CsHdbscanOptions;

/* The condensed tree a run selects its clusters from (CsClustering.condensed_tree), numbered as
 * the hdbscan package's condensed_tree_: rows are 0 … n − 1, clusters n … n + n_clusters − 1,
 * the root is n and a cluster's id is larger than its parent's. Each edge says that `child`
 * (a row or a cluster of `size` rows) leaves `parent` at λ = 1 / distance; a split is two
 * cluster edges at the same λ. A row of a selected cluster's subtree carries that cluster's
 * label; a row that leaves any other cluster is noise. */
typedef struct _CsCondensedTree
{
  gsize   n;          /* rows */
  gsize   n_clusters; /* clusters, the root included */
  gsize   n_edges;
  gsize  *parent;     /* Owned, n_edges: a cluster id (≥ n) */
  gsize  *child;      /* Owned, n_edges: a row (< n) or a cluster id */
  double *lambda;     /* Owned, n_edges: 1 / the distance where child leaves; +inf at distance 0 */
  gsize  *size;       /* Owned, n_edges: rows in child */
  double *stability;  /* Owned, n_clusters: Σ (λ − λ_birth) · size over what leaves the cluster */
  int    *label;      /* Owned, n_clusters: the label of a selected cluster, −1 for the others */
} CsCondensedTree;

void        cs_condensed_tree_free (CsCondensedTree *tree);
/* {"edges": [[parent, child, lambda, size], …] (lambda null when infinite), "clusters": [{"id",
 * "stability", "label"} per cluster, the root first]}. */
JsonObject *cs_condensed_tree_to_json (const CsCondensedTree *tree);

void     cs_hdbscan_options_init (CsHdbscanOptions *options);

gboolean cs_hdbscan_run (const CsMatrix         *x,
                         const CsHdbscanOptions *options,
                         CsProgress             *progress,
                         CsTrace                *trace,
                         CsClustering          **out,
                         GError                **error);

G_END_DECLS
