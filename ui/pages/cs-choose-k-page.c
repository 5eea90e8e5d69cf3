#include "ui/pages/cs-choose-k-page.h"

#include "ui/cs-figure-view.h"
#include "ui/render/cs-render-views.h"

struct _CsChooseKPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *view;

  /* Borrowed until the next set_points */
  const CsPlotModel *scatter;
  gboolean           have_result;
};

static void cs_choose_k_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsChooseKPage, cs_choose_k_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_choose_k_page_iface_init))

static void
set_points (CsPage *page, const CsPlotModel *scatter)
{
  CS_CHOOSE_K_PAGE (page)->scatter = scatter;
}

static void
set_result (CsPage *page, CsPageResult *result)
{
  CsChooseKPage          *self = CS_CHOOSE_K_PAGE (page);
  const CsPipelineResult *r = result != NULL ? result->pipeline : NULL;
  g_autoptr (CsChartModel) choose_k = NULL;

  self->have_result = r != NULL;
  if (r != NULL)
    choose_k = cs_chart_model_new_choose_k (r->clustering);
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), cs_render_trace, choose_k,
                             (GBoxedCopyFunc)cs_chart_model_ref, (GDestroyNotify)cs_chart_model_unref);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  CsChooseKPage *self = CS_CHOOSE_K_PAGE (page);

  if (cs_figure_view_get_model (CS_FIGURE_VIEW (self->view)) != NULL)
    return TRUE;
  *why_not = g_strdup ("Only for algorithms that try several numbers of clusters, such as DynMSC");
  return FALSE;
}

static void
cs_choose_k_page_iface_init (CsPageInterface *iface)
{
  iface->name = "choose-k";
  iface->title = "Choose k";
  iface->group = CS_PAGE_GROUP_CLUSTERS;
  iface->set_points = set_points;
  iface->set_result = set_result;
  iface->applies = applies;
}

static void
cs_choose_k_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_CHOOSE_K_PAGE);
  G_OBJECT_CLASS (cs_choose_k_page_parent_class)->dispose (object);
}

static void
cs_choose_k_page_class_init (CsChooseKPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_choose_k_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-choose-k-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, view);
}

static void
cs_choose_k_page_init (CsChooseKPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
