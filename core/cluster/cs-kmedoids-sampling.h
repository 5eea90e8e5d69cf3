#pragma once

#include "core/cluster/cs-kmedoids.h"

G_BEGIN_DECLS

/* Sampling methods on the data matrix (distances computed on demand, never n × n). */
gboolean cs_clara_run (const CsMatrix *x, CsMetric metric, gboolean fast, const CsKmedoidsOptions *o,
                       CsProgress *progress, CsTrace *trace, CsClustering **out,
                       GError **error);
gboolean cs_clarans_run (const CsDissim *D, gboolean fast, const CsKmedoidsOptions *o, CsProgress *progress,
                         CsTrace *trace, CsClustering **out, GError **error);

G_END_DECLS
