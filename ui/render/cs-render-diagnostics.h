#pragma once

#include "ui/render/cs-render.h"
#include "core/density/cs-kde-diagnostics.h"

G_BEGIN_DECLS

/* The high-dimensional KDE diagnostics view: two stacked panels on one log-h axis — the
 * leave-one-out log-likelihood with its optimum, and n_eff on a log scale — over the three
 * regimes of Biroli & Mézard shaded in soft colours, with the current bandwidth as a
 * vertical line. Immutable and refcounted like the other view models: moving the current
 * h makes a new model that shares the diagnostics. */
typedef struct
{
  gatomicrefcount   ref;
  CsKdeDiagnostics *diag;      /* Owned reference */
  double            current_h; /* NaN or ≤ 0: no marker */
  char             *title;     /* Owned, may be NULL for the default */
} CsDiagnosticsModel;

CsDiagnosticsModel *cs_diagnostics_model_new (CsKdeDiagnostics *diag, double current_h);
CsDiagnosticsModel *cs_diagnostics_model_ref (CsDiagnosticsModel *m);
void                cs_diagnostics_model_unref (CsDiagnosticsModel *m);

void cs_render_diagnostics (cairo_t *cr, gconstpointer model, double width, double height);

/* Where the two panels go for a canvas of this size, and the canvas x of a bandwidth. */
void   cs_render_diagnostics_layout (const CsDiagnosticsModel *m,
                                     double                    width,
                                     double                    height,
                                     CsRect                   *loo_frame,
                                     CsRect                   *neff_frame);
double cs_render_diagnostics_x (const CsDiagnosticsModel *m, const CsRect *frame, double h);

/* The shading of each regime (indexed by CsKdeRegime), opaque RGB. */
void cs_render_diagnostics_regime_rgb (CsKdeRegime regime, double rgb[3]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsDiagnosticsModel, cs_diagnostics_model_unref)

G_END_DECLS
