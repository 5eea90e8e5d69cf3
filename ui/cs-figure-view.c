#include "ui/cs-figure-view.h"

#include <math.h>

struct _CsFigureView
{
  GtkWidget parent_instance;

  CsRenderFunc   func;
  gpointer       model; /* Owned: one reference, dropped with unref */
  GBoxedCopyFunc ref;
  GDestroyNotify unref;
  double         scale;   /* presenter mode: > 1 draws text, lines and marks larger */
  CsPaletteKind  palette; /* presenter mode: high contrast */
  int            request_w, request_h; /* the size request at scale 1 */
};

G_DEFINE_FINAL_TYPE (CsFigureView, cs_figure_view, GTK_TYPE_WIDGET)

static void
clear_model (CsFigureView *self)
{
  if (self->model != NULL && self->unref != NULL)
    self->unref (self->model);
  self->model = NULL;
  self->func = NULL;
  self->ref = NULL;
  self->unref = NULL;
}

static void
cs_figure_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  CsFigureView *self = CS_FIGURE_VIEW (widget);
  double        w = gtk_widget_get_width (widget);
  double        h = gtk_widget_get_height (widget);
  cairo_t      *cr;

  if (self->func == NULL || self->model == NULL || w <= 0 || h <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  /* The snapshot's recording surface cannot tell a renderer the screen's scale. */
  cs_render_set_raster_scale (cr, gtk_widget_get_scale_factor (widget));
  cs_render_presented (cr, self->func, self->model, w, h, self->scale, self->palette);
  cairo_destroy (cr);
}

static void
cs_figure_view_dispose (GObject *object)
{
  clear_model (CS_FIGURE_VIEW (object));
  G_OBJECT_CLASS (cs_figure_view_parent_class)->dispose (object);
}

static void
cs_figure_view_class_init (CsFigureViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_figure_view_dispose;
  widget_class->snapshot = cs_figure_view_snapshot;
  gtk_widget_class_set_css_name (widget_class, "figureview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cs_figure_view_init (CsFigureView *self)
{
  self->scale = 1.0;
  self->palette = CS_PALETTE_DEFAULT;
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
cs_figure_view_new (void)
{
  return g_object_new (CS_TYPE_FIGURE_VIEW, NULL);
}

void
cs_figure_view_set_figure (CsFigureView  *view,
                           CsRenderFunc   func,
                           gpointer       model,
                           GBoxedCopyFunc ref,
                           GDestroyNotify unref)
{
  g_return_if_fail (CS_IS_FIGURE_VIEW (view));
  g_return_if_fail (model == NULL || (func != NULL && ref != NULL && unref != NULL));

  clear_model (view);
  if (model != NULL)
    {
      view->func = func;
      view->model = ref (model);
      view->ref = ref;
      view->unref = unref;
    }
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

CsRenderFunc
cs_figure_view_get_func (CsFigureView *view)
{
  g_return_val_if_fail (CS_IS_FIGURE_VIEW (view), NULL);

  return view->func;
}

gconstpointer
cs_figure_view_get_model (CsFigureView *view)
{
  g_return_val_if_fail (CS_IS_FIGURE_VIEW (view), NULL);

  return view->model;
}

gpointer
cs_figure_view_dup_model (CsFigureView *view, GDestroyNotify *unref)
{
  g_return_val_if_fail (CS_IS_FIGURE_VIEW (view), NULL);
  g_return_val_if_fail (unref != NULL, NULL);

  *unref = view->unref;
  return view->model != NULL ? view->ref (view->model) : NULL;
}

void
cs_figure_view_set_scale (CsFigureView *view, double scale)
{
  g_return_if_fail (CS_IS_FIGURE_VIEW (view));
  g_return_if_fail (scale > 0 && isfinite (scale));

  if (view->scale == scale)
    return;
  /* A figure that asks for a size (the objective panel beside the scatter plot) asks for
   * `scale` times more, so its canvas keeps the size its layout was made for. */
  if (view->scale == 1.0)
    gtk_widget_get_size_request (GTK_WIDGET (view), &view->request_w, &view->request_h);
  gtk_widget_set_size_request (GTK_WIDGET (view), view->request_w > 0 ? (int) lround (view->request_w * scale) : -1,
                               view->request_h > 0 ? (int) lround (view->request_h * scale) : -1);
  view->scale = scale;
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

double
cs_figure_view_get_scale (CsFigureView *view)
{
  g_return_val_if_fail (CS_IS_FIGURE_VIEW (view), 1.0);

  return view->scale;
}

void
cs_figure_view_set_palette (CsFigureView *view, CsPaletteKind palette)
{
  g_return_if_fail (CS_IS_FIGURE_VIEW (view));

  if (view->palette == palette)
    return;
  view->palette = palette;
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

CsPaletteKind
cs_figure_view_get_palette (CsFigureView *view)
{
  g_return_val_if_fail (CS_IS_FIGURE_VIEW (view), CS_PALETTE_DEFAULT);

  return view->palette;
}

void
cs_figure_view_get_canvas (CsFigureView *view, double *width, double *height)
{
  g_return_if_fail (CS_IS_FIGURE_VIEW (view));

  *width = gtk_widget_get_width (GTK_WIDGET (view)) / view->scale;
  *height = gtk_widget_get_height (GTK_WIDGET (view)) / view->scale;
}

void
cs_figure_view_to_canvas (CsFigureView *view, double x, double y, double *cx, double *cy)
{
  g_return_if_fail (CS_IS_FIGURE_VIEW (view));

  *cx = x / view->scale;
  *cy = y / view->scale;
}
