#pragma once

#include "core/cluster/cs-agglomerative.h"

G_BEGIN_DECLS

/* Single linkage by Prim on x under `metric`, or on mutual reachability max(d(i, j), core[i],
 * core[j]) when core is given (HDBSCAN): *merges gets SciPy's linkage matrix, (n − 1) × 4
 * (g_free). Cancellable; O(n) memory. */
gboolean cs_i_agglomerative_mst (const CsMatrix *x,
                                 CsMetric        metric,
                                 const double   *core,
                                 CsProgress     *progress,
                                 double        **merges,
                                 GError        **error);

G_END_DECLS
