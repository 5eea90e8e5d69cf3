#include "ui/pages/cs-sdp-page.h"

#include "ui/cs-figure-view.h"
#include "ui/render/cs-render-sdp.h"

struct _CsSdpPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *view;

  /* Borrowed until the next set_points */
  const CsPlotModel *scatter;
};

static void cs_sdp_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsSdpPage, cs_sdp_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_sdp_page_iface_init))

static void
set_points (CsPage *page, const CsPlotModel *scatter)
{
  CS_SDP_PAGE (page)->scatter = scatter;
}

static void
set_result (CsPage *page, CsPageResult *result)
{
  CsSdpPage *self = CS_SDP_PAGE (page);
  const CsPipelineResult *r = result != NULL ? result->pipeline : NULL;
  g_autoptr (CsSdpModel) model = NULL;

  if (r != NULL && r->clustering->sdp != NULL)
    {
      const CsClustering *c = r->clustering;
      /* The scatter plot's colours, matched to the previous run. */
      const int *slots = self->scatter != NULL && self->scatter->labels != NULL && self->scatter->k == c->k
                             ? self->scatter->color_slot
                             : NULL;
      model = cs_sdp_model_new (c, slots);
    }
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), cs_render_sdp, model, (GBoxedCopyFunc)cs_sdp_model_ref,
                             (GDestroyNotify)cs_sdp_model_unref);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  CsSdpPage *self = CS_SDP_PAGE (page);

  if (cs_figure_view_get_model (CS_FIGURE_VIEW (self->view)) != NULL)
    return TRUE;
  *why_not = g_strdup ("Only for SDP k-means and iLA-SDP results: run one to see its relaxation and certificate");
  return FALSE;
}

static void
cs_sdp_page_iface_init (CsPageInterface *iface)
{
  iface->name = "sdp";
  iface->title = "SDP";
  iface->group = CS_PAGE_GROUP_STRUCTURE;
  iface->set_points = set_points;
  iface->set_result = set_result;
  iface->applies = applies;
}

static void
cs_sdp_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_SDP_PAGE);
  G_OBJECT_CLASS (cs_sdp_page_parent_class)->dispose (object);
}

static void
cs_sdp_page_class_init (CsSdpPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_sdp_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/clusterscope/Clusterscope/ui/pages/cs-sdp-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsSdpPage, view);
}

static void
cs_sdp_page_init (CsSdpPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
