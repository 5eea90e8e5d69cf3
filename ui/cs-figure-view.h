#pragma once

#include <gtk/gtk.h>

#include "ui/render/cs-render.h"

G_BEGIN_DECLS

#define CS_TYPE_FIGURE_VIEW (cs_figure_view_get_type ())
G_DECLARE_FINAL_TYPE (CsFigureView, cs_figure_view, CS, FIGURE_VIEW, GtkWidget)

/* A static figure on screen: draws its model with any CsRenderFunc (silhouette, charts,
 * images), so the screen and an export of the view are the same drawing. No zoom or pan;
 * the model is immutable and shared by reference. */
GtkWidget    *cs_figure_view_new (void);

/* Takes a reference through `ref` and drops it with `unref` when replaced or disposed;
 * a NULL model shows an empty canvas. */
void          cs_figure_view_set_figure (CsFigureView  *view,
                                         CsRenderFunc   func,
                                         gpointer       model,
                                         GBoxedCopyFunc ref,
                                         GDestroyNotify unref);
CsRenderFunc  cs_figure_view_get_func (CsFigureView *view);
gconstpointer cs_figure_view_get_model (CsFigureView *view);
/* A new reference to the model (for an export on a worker thread), or NULL. Free it with
 * the GDestroyNotify returned in `unref`. */
gpointer      cs_figure_view_dup_model (CsFigureView *view, GDestroyNotify *unref);

/* Presenter mode: text, lines and marks `scale` times larger (the figure is laid out on a
 * canvas 1 / scale of the widget's size and drawn scaled, cs_render_presented) and cluster
 * colours from `palette`. Exports are not affected: they render the model as it is. */
void          cs_figure_view_set_scale (CsFigureView *view, double scale);
double        cs_figure_view_get_scale (CsFigureView *view);
void          cs_figure_view_set_palette (CsFigureView *view, CsPaletteKind palette);
CsPaletteKind cs_figure_view_get_palette (CsFigureView *view);
/* The canvas the render function lays the figure out on, and a widget point in its units:
 * what a page passes to its renderer's layout and hit tests. */
void          cs_figure_view_get_canvas (CsFigureView *view, double *width, double *height);
void          cs_figure_view_to_canvas (CsFigureView *view, double x, double y, double *cx, double *cy);

G_END_DECLS
