#pragma once

#include "ui/render/cs-render.h"
#include "core/cluster/cs-result.h"

G_BEGIN_DECLS

/* The SDP relaxation's Z (SDP k-means, iLA-SDP): a heatmap of Z on the rows the report kept
 * (all up to 300, else an evenly spaced sample), ordered by cluster, so a tight relaxation is
 * a block-diagonal matrix; cluster colours along the edges; and the certificate in words. */

typedef struct
{
  gatomicrefcount ref;
  gsize    m;            /* rows shown */
  gsize    n;            /* rows clustered */
  double  *z;            /* Owned, m × m */
  int     *labels;       /* Owned, m, ascending */
  guint    k;
  int     *color_slot;   /* Owned, k */
  gboolean tight;
  gboolean lowrank;      /* Z = U Uᵀ, drawn from the factor */
  char    *title;        /* Owned */
  char    *certificate;  /* Owned: cs_sdp_report_describe () */
  char    *numbers;      /* Owned: solver, iterations, residuals */
  gboolean descriptive;  /* the text under the heatmap describes the matrix (any ordered
                            similarity, such as a graph kernel) rather than certifying a
                            relaxation: drawn in the label colour, not as a verdict */
} CsSdpModel;

/* NULL when c has no SDP report. color_slot (c->k entries) may be NULL. Other ordered
 * similarity matrices (the kernel page's) fill a model of their own with descriptive set;
 * the heatmap shows max(z, 0) / max z. */
CsSdpModel *cs_sdp_model_new (const CsClustering *c, const int *color_slot);
CsSdpModel *cs_sdp_model_ref (CsSdpModel *m);
void        cs_sdp_model_unref (CsSdpModel *m);

void cs_render_sdp (cairo_t *cr, gconstpointer model, double width, double height);

/* Where the heatmap goes on a canvas of this size (a square). */
void cs_render_sdp_layout (const CsSdpModel *m, double width, double height, CsRect *frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsSdpModel, cs_sdp_model_unref)

G_END_DECLS
