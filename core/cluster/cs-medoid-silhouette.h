#pragma once

#include "core/cluster/cs-kmedoids.h"

G_BEGIN_DECLS

/* Medoid silhouette: its value for given medoids (per_point may be NULL), FasterMSC, DynMSC. */
double   cs_medoid_silhouette (const CsDissim *D, const gsize *medoids, guint k, double *per_point);
/* The same on coordinates, distances to the k medoids computed on the fly (O(n k), no matrix). */
double   cs_medoid_silhouette_x (const CsMatrix *x, CsMetric metric, const gsize *medoids, guint k,
                                 double *per_point);
gboolean cs_fastermsc_run (const CsDissim *D, const CsKmedoidsOptions *o, CsProgress *progress, CsTrace *trace,
                           CsClustering **out, GError **error);
gboolean cs_dynmsc_run (const CsDissim *D, const CsKmedoidsOptions *o, CsProgress *progress, CsTrace *trace,
                        CsClustering **out, GError **error);

G_END_DECLS
