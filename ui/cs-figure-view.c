#include "ui/cs-figure-view.h"

struct _CsFigureView
{
  GtkWidget parent_instance;

  CsRenderFunc   func;
  gpointer       model; /* Owned: one reference, dropped with unref */
  GBoxedCopyFunc ref;
  GDestroyNotify unref;
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
  self->func (cr, self->model, w, h);
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
