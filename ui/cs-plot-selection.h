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

/* Attaches the gesture to `view` (borrowed: the view must outlive the selection's use). */
CsPlotSelection *cs_plot_selection_new (CsPlotView *view);
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

G_END_DECLS
