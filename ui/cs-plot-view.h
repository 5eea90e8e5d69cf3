#pragma once

#include <gtk/gtk.h>

#include "render/cs-plot-model.h"

G_BEGIN_DECLS

#define CS_TYPE_PLOT_VIEW (cs_plot_view_get_type ())
G_DECLARE_FINAL_TYPE (CsPlotView, cs_plot_view, CS, PLOT_VIEW, GtkWidget)

/* The scatter plot on screen: draws with cs_render_scatter, zooms with the scroll wheel and
 * pinch around the pointer, pans by dragging, resets on double-click, and shows the hovered
 * row's values in a tooltip. */
GtkWidget         *cs_plot_view_new (void);

/* Takes ownership of `model` (may be NULL for an empty plot). `dataset` (may be NULL) is
 * referenced to show row values in tooltips; the model's rows[] index into it. */
void               cs_plot_view_set_model (CsPlotView *view, CsPlotModel *model, CsDataset *dataset);
const CsPlotModel *cs_plot_view_get_model (CsPlotView *view);
void               cs_plot_view_reset_zoom (CsPlotView *view);
/* Point index nearest to widget coordinates (x, y) within `radius` pixels, or -1. */
gssize             cs_plot_view_pick (CsPlotView *view, double x, double y, double radius);

G_END_DECLS
