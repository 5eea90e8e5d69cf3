#pragma once

#include <gtk/gtk.h>

#include "ui/cs-plot-view.h"

G_BEGIN_DECLS

/* Lasso and rectangle selection on a CsPlotView. While a mode is on, a drag on the plot draws
 * a polygon (the lasso's path, or the rectangle's four corners) instead of panning; on
 * release the points inside it, by the even-odd rule in data coordinates, become the
 * selection and "selected" is emitted with their dataset rows. The in-progress outline is
 * drawn by an overlay widget (cs_plot_selection_get_overlay) that the owner stacks over the
 * plot; the plot view itself is not changed. */

typedef enum
{
  CS_PLOT_SELECTION_OFF,
  CS_PLOT_SELECTION_LASSO,
  CS_PLOT_SELECTION_RECTANGLE,
} CsPlotSelectionMode;

#define CS_TYPE_PLOT_SELECTION (cs_plot_selection_get_type ())
G_DECLARE_FINAL_TYPE (CsPlotSelection, cs_plot_selection, CS, PLOT_SELECTION, GObject)

/* Attaches the gesture to `view` (borrowed: the view must outlive the selection's use); the
 * points are the view's model, mapped through the view's own transform. */
CsPlotSelection *cs_plot_selection_new (CsPlotView *view);

/* Maps a position between a view's widget coordinates and the data coordinates of its points;
 * FALSE when the view shows nothing to map with. */
typedef gboolean (*CsPlotSelectionMapFunc) (gpointer owner, double x, double y, double *out_x, double *out_y);

/* The same on any widget that draws points in data coordinates (the density view's heatmap):
 * the owner maps positions both ways and hands over the points with
 * cs_plot_selection_set_points. `widget` and `owner` are borrowed. */
CsPlotSelection *cs_plot_selection_new_for_widget (GtkWidget             *widget,
                                                   CsPlotSelectionMapFunc to_data,
                                                   CsPlotSelectionMapFunc to_widget,
                                                   gpointer               owner);
/* The points a drawn outline selects from (x, y, and rows: dataset rows), borrowed until the
 * next call; NULL for none. Only for cs_plot_selection_new_for_widget. */
void             cs_plot_selection_set_points (CsPlotSelection *self, const CsPlotModel *points);
/* Rings these dataset rows' points on the overlay (ascending, copied): for views whose own
 * renderer does not mark the selection. n = 0 clears them. */
void             cs_plot_selection_set_marked (CsPlotSelection *self, const gsize *rows, gsize n);
/* Two toggle buttons that switch the lasso and the rectangle on and off; at most one is on
 * (a toggle group could not be all off). */
void             cs_plot_selection_bind_toggles (CsPlotSelection *self, GtkWidget *lasso, GtkWidget *rectangle);
void             cs_plot_selection_set_mode (CsPlotSelection *self, CsPlotSelectionMode mode);
CsPlotSelectionMode cs_plot_selection_get_mode (CsPlotSelection *self);
/* A non-targetable drawing area showing the outline being drawn. */
GtkWidget       *cs_plot_selection_get_overlay (CsPlotSelection *self);

/* What the gesture calls, in the plot view's widget coordinates; tests drive them directly. */
void cs_plot_selection_begin (CsPlotSelection *self, double x, double y);
void cs_plot_selection_update (CsPlotSelection *self, double x, double y);
void cs_plot_selection_end (CsPlotSelection *self);

/* The points of `m` inside the polygon (vx, vy: n_vertices data coordinates; closed
 * implicitly) by the even-odd rule, as ascending dataset rows (m->rows, or the point index
 * when m has none). Returns a new array; `*n` rows. */
gsize *cs_plot_selection_rows_in_polygon (const CsPlotModel *m,
                                          const double      *vx,
                                          const double      *vy,
                                          gsize              n_vertices,
                                          gsize             *n);

/* The window's selection actions (win.export-selection, win.cluster-selection,
 * win.exclude-selection, win.label-selection, win.clear-selection) as a menu: pages refer to
 * them by name, for their Selection menu button and their context menu. */
GMenuModel *cs_plot_selection_menu_new (void);
/* A right click on `target` opens that menu at the pointer, in a popover parented to `parent`
 * (an ancestor with a layout manager, which places it). A plot view with a drawing tool on
 * keeps its right click. */
void        cs_plot_selection_attach_context_menu (GtkWidget *target, GtkWidget *parent);

G_END_DECLS
