#pragma once

#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"
#include "core/cluster/cs-result.h"

G_BEGIN_DECLS

/* DBSCAN (Ester et al. 1996) as scikit-learn defines it (see cs-dbscan.c for the method and
 * the index). A row is core when at least min_samples rows, itself included, lie within eps;
 * clusters are the connected groups of core rows, numbered in the order their first core row
 * appears; a border row joins the lowest-numbered cluster with a core row within eps; the rest
 * are noise (label -1). The result's point_kinds say which rows are core, border or noise. */

typedef enum
{
  CS_DBSCAN_EUCLIDEAN,
  CS_DBSCAN_MANHATTAN,
} CsDbscanMetric;

typedef struct
{
  double         eps;         /* neighbourhood radius; 0: the knee of the k-distance curve */
  guint          min_samples; /* rows within eps, the row itself included, that make a core row */
  CsDbscanMetric metric;
} CsDbscanOptions;

void     cs_dbscan_options_init (CsDbscanOptions *options);

/* eps_used (may be NULL) receives eps, the knee's when options->eps is 0. */
gboolean cs_dbscan_run (const CsMatrix        *x,
                        const CsDbscanOptions *options,
                        CsProgress            *progress,
                        CsTrace               *trace,
                        CsClustering         **out,
                        double                *eps_used,
                        GError               **error);

/* For every row the distance to its k-th nearest row, the row itself counting as the first
 * (so k = min_samples gives the smallest eps that makes that row core), sorted ascending:
 * the k-distance plot for choosing eps. *out receives x->rows values (g_free). */
gboolean cs_dbscan_k_distance (const CsMatrix *x,
                               guint           k,
                               CsDbscanMetric  metric,
                               CsProgress     *progress,
                               double        **out,
                               GError        **error);

/* The knee of an ascending k-distance curve: the value farthest below the chord from its first
 * to its last point, both axes scaled to [0, 1]. */
double   cs_dbscan_knee (const double *sorted, gsize n);

G_END_DECLS
