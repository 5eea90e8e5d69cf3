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

G_END_DECLS
