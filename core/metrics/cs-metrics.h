#pragma once

#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"

G_BEGIN_DECLS

/* Internal validity (need the data) — labels in [0, k); rows labelled -1 (noise) are ignored. */
double cs_metric_inertia (const CsMatrix *x, const int *labels, const CsMatrix *centers);
/* Per-cluster means (k × x->cols, row-major; 0 for an empty cluster) and sizes of the
 * labelled rows; returns how many clusters are non-empty. */
guint  cs_metric_cluster_means (const CsMatrix *x, const int *labels, guint k, double *means, gsize *sizes);
double cs_metric_davies_bouldin (const CsMatrix *x, const int *labels, guint k);
double cs_metric_calinski_harabasz (const CsMatrix *x, const int *labels, guint k);

/* Mean silhouette (Euclidean). Exact when sample_size == 0 or >= n; otherwise over a seeded
 * uniform sample of sample_size rows (the sample is the reference set too, as scikit-learn's
 * sample_size does). per_point (may be NULL) receives n values, NaN for rows not sampled.
 * Memory is O(block × n), never n × n. */
gboolean cs_metric_silhouette (const CsMatrix *x,
                               const int      *labels,
                               guint           k,
                               gsize           sample_size,
                               guint64         seed,
                               double         *per_point,
                               double         *mean,
                               CsProgress     *progress,
                               GError        **error);

/* External validity: agreement of two labellings of the same n rows (labels >= 0; a row
 * with -1 in either is ignored). ARI as Hubert & Arabie; NMI with the arithmetic-mean
 * normaliser (scikit-learn's default). */
double cs_metric_ari (const int *a, const int *b, gsize n);
double cs_metric_nmi (const int *a, const int *b, gsize n);
/* Adjusted mutual information (Vinh et al. 2010; arithmetic normaliser, as scikit-learn): 0 for
 * chance agreement, 1 for identical partitions. */
double cs_metric_ami (const int *a, const int *b, gsize n);

/* Minimum-cost assignment on a rows × cols cost matrix (row-major), rows <= cols or not:
 * assignment[r] = the column given to row r, or -1 when rows > cols left it out.
 * Returns the total cost. Kuhn–Munkres with potentials, O(max^3). */
double cs_hungarian (const double *cost, gsize rows, gsize cols, int *assignment);

/* Relabels `labels` (values in [0, k)) to agree best with `reference` (values in
 * [0, k_ref)): mapping[old] = new, a permutation of [0, max(k, k_ref)) restricted to k
 * entries, maximising the overlap. Used so colours stay stable between runs. */
void cs_match_labels (const int *reference,
                      guint      k_ref,
                      const int *labels,
                      guint      k,
                      gsize      n,
                      int       *mapping);

G_END_DECLS
