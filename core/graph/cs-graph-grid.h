#pragma once

#include "core/graph/cs-graph-kernel.h"

G_BEGIN_DECLS

/* The paper's central comparison on one graph (Ivashkin & Chebotarev): kernel k-means with a
 * kernel family's plain and logarithmic forms at n_alpha points α = i / (n_alpha + 1) of the
 * scaled parameter, scored by ARI against the graph's labels. The family is named by its
 * plain member (pWalk, Forest, Comm, Heat, NHeat, SCT, PPR, MPPR); the decompositions are
 * computed once for the whole grid. */
typedef struct
{
  CsGraphKernel plain;
  CsGraphKernel log;
  guint         n;
  double       *alpha;     /* Owned, n */
  double       *ari_plain; /* Owned, n; NaN where the kernel could not be formed */
  double       *ari_log;   /* Owned, n */
} CsPlainLogCurve;

/* The log twin of a plain kernel, FALSE for CT and for log kernels. */
gboolean cs_graph_kernel_log_twin (CsGraphKernel plain, CsGraphKernel *log);

/* k clusters (0: the number of classes); n_init k-means++ restarts each, seeded. Needs labels. */
CsPlainLogCurve *cs_plain_log_curve (const CsGraph *g,
                                     CsGraphKernel  plain,
                                     guint          n_alpha,
                                     guint          k,
                                     guint64        seed,
                                     CsProgress    *progress,
                                     GError       **error);
void             cs_plain_log_curve_free (CsPlainLogCurve *c);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsPlainLogCurve, cs_plain_log_curve_free)

G_END_DECLS
