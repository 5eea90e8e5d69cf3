#pragma once

/* Inside core only: the low-rank solver that SDP k-means and iLA-SDP share. */

#include "core/cluster/cs-sdp.h"

G_BEGIN_DECLS

/* minimise Σ_b ⟨B_b, U_b U_bᵀ⟩,  B_b = ½ (c_b 1ᵀ + 1 c_bᵀ) − Y_b Y_bᵀ,
 * subject to U_b ≥ 0 (n × r), ‖U_b‖_F² = trace_b, Σ_b U_b U_bᵀ 1 = 1.
 * Peng–Wei is one block with c = 0, Y = X and trace k; iLA-SDP has one block per cluster. */
typedef struct
{
  gsize                n;
  guint                blocks;
  guint                r;        /* columns per block */
  const double *const *y;        /* Borrowed, per block n × m[b], row-major */
  const gsize         *m;
  const double *const *c;        /* Borrowed, per block n entries, or NULL for none */
  const double        *trace;    /* per block */
  guint                max_iter; /* gradient steps in all */
  double               tol;      /* on ‖Σ U Uᵀ1 − 1‖ / √n */
} CsSdpLowrank;

/* u: blocks × n × r, the start (any non-negative values; projected first), overwritten with
 * the solution. Progress runs from lo to hi of `progress`. */
gboolean cs_i_sdp_lowrank_solve (const CsSdpLowrank *p,
                                 double             *u,
                                 CsProgress         *progress,
                                 double              lo,
                                 double              hi,
                                 guint              *iterations,
                                 double             *residual,
                                 gboolean           *converged,
                                 GError            **error);

/* Σ_b ⟨B_b, U_b U_bᵀ⟩ */
double cs_i_sdp_lowrank_cost (const CsSdpLowrank *p, const double *u);

/* Fills report's tight_gap and the Z sample from the factor U (n × cols: Z = U Uᵀ) and the
 * partition; tight = converged && gap ≤ tight_tol. */
void cs_i_sdp_report_from_factor (CsSdpReport  *report,
                                  const double *u,
                                  gsize         n,
                                  gsize         cols,
                                  const int    *labels,
                                  guint         k,
                                  double        tight_tol);

G_END_DECLS
