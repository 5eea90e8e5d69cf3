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
/* Teaching tools. With a tool other than NONE, the primary button no longer pans (the wheel
 * still zooms), and the visible range is kept across new models on the same axes, so that
 * the data under the pointer stays put while the dataset is replaced after every edit. The
 * view does not edit anything: it reports in data coordinates through signals, and the
 * window makes the new dataset.
 *
 *   "add-points" (guint n, gpointer x, gpointer y)   double arrays, data coordinates
 *   "erase-points" (guint n, gpointer rows)          gsize array, dataset rows
 *   "place-centre" (double x, double y)              data coordinates
 *
 * A stroke (press … release) is one edit: its points are drawn as an overlay while it lasts,
 * and "erase-points" and "add-points" are emitted once, at the release.
 *
 * DRAW: a click adds one point; dragging sprays a dab of `per_dab` points, uniform in a disc
 * of `radius` pixels around the pointer (seeded: the n-th dab of a view is always the same
 * pattern), whenever the pointer has moved radius / 2 pixels since the last one; the
 * secondary button erases. ERASE: the primary button erases the points within `radius`
 * pixels, also while dragging. PLACE_CENTRES: a click places a centre. */
typedef enum
{
  CS_PLOT_TOOL_NONE,
  CS_PLOT_TOOL_DRAW,
  CS_PLOT_TOOL_ERASE,
  CS_PLOT_TOOL_PLACE_CENTRES,
} CsPlotTool;

void       cs_plot_view_set_tool (CsPlotView *view, CsPlotTool tool);
CsPlotTool cs_plot_view_get_tool (CsPlotView *view);
void       cs_plot_view_set_brush (CsPlotView *view, double radius, guint per_dab);
/* The palette slot the overlay draws a stroke's new points in (the class being drawn). */
void       cs_plot_view_set_draw_class (CsPlotView *view, int draw_class);
/* What a press, a drag to (x, y) and a release of `button` do with the current tool: the
 * gestures call these, and tests may too. Widget coordinates. */
void       cs_plot_view_tool_press (CsPlotView *view, double x, double y, guint button);
void       cs_plot_view_tool_drag (CsPlotView *view, double x, double y);
void       cs_plot_view_tool_release (CsPlotView *view);
/* Widget coordinates to data coordinates and back, through the plot's transform (range,
 * frame, presenter scale). FALSE when nothing is plotted. */
gboolean   cs_plot_view_to_data (CsPlotView *view, double x, double y, double *data_x, double *data_y);
gboolean   cs_plot_view_to_widget (CsPlotView *view, double data_x, double data_y, double *x, double *y);
/* Centres to mark on the plot (copied; data coordinates), numbered from 1. */
void       cs_plot_view_set_marks (CsPlotView *view, gsize n, const double *x, const double *y);
/* Guess, then reveal: all points grey, no centres, no legend (sizes and k), no cluster in
 * tooltips. */
void       cs_plot_view_set_hide_clusters (CsPlotView *view, gboolean hide);
gboolean   cs_plot_view_get_hide_clusters (CsPlotView *view);
/* Presenter mode: text and marks `scale` times larger (the figure is laid out at 1 / scale of
 * the widget's size and drawn scaled). 1 is normal. */
void       cs_plot_view_set_scale (CsPlotView *view, double scale);
double     cs_plot_view_get_scale (CsPlotView *view);
/* The cluster colours on screen (exports keep the default palette). */
void       cs_plot_view_set_palette (CsPlotView *view, CsPaletteKind palette);

G_END_DECLS
