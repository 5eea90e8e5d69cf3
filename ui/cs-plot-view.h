#pragma once

#include <gtk/gtk.h>

#include "ui/render/cs-plot-model.h"

G_BEGIN_DECLS

#define CS_TYPE_PLOT_VIEW (cs_plot_view_get_type ())
G_DECLARE_FINAL_TYPE (CsPlotView, cs_plot_view, CS, PLOT_VIEW, GtkWidget)

/* The scatter plot on screen: draws with cs_render_scatter, zooms with the scroll wheel and
 * pinch around the pointer, pans by dragging, resets on double-click, and shows the hovered
 * row's values in a tooltip. */
GtkWidget         *cs_plot_view_new (void);

/* Takes ownership of `model` (may be NULL for an empty plot). `dataset` (may be NULL) is
 * referenced to show row values in tooltips; the model's rows[] index into it. When the
 * user has zoomed or panned and the new model plots the same dataset (the same object) on
 * the same axes (equal, non-NULL axes_key), the new model takes the current visible range
 * instead of its own: a new result keeps the view, new axes or new data reset it. */
void               cs_plot_view_set_model (CsPlotView *view, CsPlotModel *model, CsDataset *dataset);
const CsPlotModel *cs_plot_view_get_model (CsPlotView *view);
void               cs_plot_view_reset_zoom (CsPlotView *view);
/* Point index nearest to widget coordinates (x, y) within `radius` pixels, or -1. */
gssize             cs_plot_view_pick (CsPlotView *view, double x, double y, double radius);
/* Zooms by `factor` (> 1 zooms in) keeping the data point under widget coordinates
 * (x, y) in place: what the scroll wheel, pinch and the +/- keys do. */
void               cs_plot_view_zoom (CsPlotView *view, double x, double y, double factor);
/* TRUE once the hover index over the current model is built (hover and tooltips wait for
 * it; cs_plot_view_pick answers either way, by a linear scan until then). */
gboolean           cs_plot_view_is_pick_ready (CsPlotView *view);
/* The tooltip text for point i: "Row 17 · Cluster 2" (both counted from 1), then "name
 * value" lines, at most 12, for what matters for this point first: the plotted axes (the
 * columns, or the principal components' values), the columns that set its cluster apart
 * most (model->distinctive, with the cluster's mean and the others'), then the other columns in
 * file order, and "… and N more columns" for the rest. Numbers are grouped (1,234.5).
 * NULL when i is out of range. */
char              *cs_plot_view_describe_point (CsPlotView *view, gsize i);

/* Playback (issue 12): takes ownership of `frame` (NULL: none), drawn in place of the model
 * while it has as many points; the model's zoom, pan and hover apply to it. */
void               cs_plot_view_set_frame (CsPlotView *view, CsPlotModel *frame);
/* What is drawn: the frame with the model's view state, or the model. */
const CsPlotModel *cs_plot_view_get_frame (CsPlotView *view);

G_END_DECLS
