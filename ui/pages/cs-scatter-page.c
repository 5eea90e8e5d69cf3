#include "ui/pages/cs-scatter-page.h"

#include "ui/render/cs-render-views.h"

struct _CsScatterPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *plot_view;
};

static void cs_scatter_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsScatterPage, cs_scatter_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_scatter_page_iface_init))

static gboolean
applies (CsPage *page, char **why_not)
{
  if (cs_plot_view_get_model (CS_PLOT_VIEW (CS_SCATTER_PAGE (page)->plot_view)) != NULL)
    return TRUE;
  *why_not = g_strdup ("Open a dataset to plot its points");
  return FALSE;
}

/* A copy, not a reference: the view keeps zooming its own model meanwhile. */
static gboolean
get_figure (CsPage *page, CsRenderFunc *func, gpointer *model, GDestroyNotify *unref)
{
  const CsPlotModel *m = cs_plot_view_get_model (CS_PLOT_VIEW (CS_SCATTER_PAGE (page)->plot_view));

  if (m == NULL)
    return FALSE;
  *func = (CsRenderFunc)cs_render_scatter;
  *model = cs_plot_model_copy (m);
  *unref = (GDestroyNotify)cs_plot_model_free;
  return TRUE;
}

static void
cs_scatter_page_iface_init (CsPageInterface *iface)
{
  iface->name = "scatter";
  iface->title = "Scatter";
  iface->group = CS_PAGE_GROUP_CLUSTERS;
  iface->applies = applies;
  iface->get_figure = get_figure;
}

static void
cs_scatter_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_SCATTER_PAGE);
  G_OBJECT_CLASS (cs_scatter_page_parent_class)->dispose (object);
}

static void
cs_scatter_page_class_init (CsScatterPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_scatter_page_dispose;
  g_type_ensure (CS_TYPE_PLOT_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-scatter-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, plot_view);
}

static void
cs_scatter_page_init (CsScatterPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CsPlotView *
cs_scatter_page_get_plot_view (CsScatterPage *page)
{
  g_return_val_if_fail (CS_IS_SCATTER_PAGE (page), NULL);

  return CS_PLOT_VIEW (page->plot_view);
}
