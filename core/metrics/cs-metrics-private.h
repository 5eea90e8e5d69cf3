#pragma once

/* Inside core only: pieces the metrics share with the dissimilarity code. */

#include "core/metrics/cs-metrics.h"

G_BEGIN_DECLS

/* The silhouette of one row from its summed dissimilarities to each cluster
 * (sum[c], its own distance 0 included) and the cluster sizes; 0 for a singleton and for 0/0
 * (Rousseeuw 1987). Shared by the coordinate and the dissimilarity-matrix versions. */
double cs_i_silhouette_of (const double *sum, const gsize *sizes, guint k, int own);

G_END_DECLS
