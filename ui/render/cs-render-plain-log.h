#pragma once

#include <cairo.h>

#include "core/graph/cs-graph-grid.h"

G_BEGIN_DECLS

/* The "plain vs log" chart: ARI against the node labels across the scaled parameter α, the
 * plain kernel's curve and its logarithmic twin's on one chart. Immutable, refcounted. */
typedef struct
{
  gatomicrefcount  ref;
  CsPlainLogCurve *curve; /* Owned */
  char            *title; /* Owned, may be NULL */
} CsPlainLogModel;

/* Takes `curve`. */
CsPlainLogModel *cs_plain_log_model_new (CsPlainLogCurve *curve, const char *title);
CsPlainLogModel *cs_plain_log_model_ref (CsPlainLogModel *m);
void             cs_plain_log_model_unref (CsPlainLogModel *m);

void cs_render_plain_log (cairo_t *cr, const CsPlainLogModel *m, double width, double height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsPlainLogModel, cs_plain_log_model_unref)

G_END_DECLS
