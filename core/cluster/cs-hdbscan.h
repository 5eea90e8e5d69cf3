#pragma once

#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"
#include "core/cluster/cs-result.h"
#include "core/data/cs-dissim.h"

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

void     cs_hdbscan_options_init (CsHdbscanOptions *options);

gboolean cs_hdbscan_run (const CsMatrix         *x,
                         const CsHdbscanOptions *options,
                         CsProgress             *progress,
                         CsTrace                *trace,
                         CsClustering          **out,
                         GError                **error);

G_END_DECLS
