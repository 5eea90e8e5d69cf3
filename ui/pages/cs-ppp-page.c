#include "ui/pages/cs-ppp-page.h"

#include "ui/cs-figure-view.h"
#include "ui/render/cs-render-ppp.h"

struct _CsPppPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *view;

  CsPageResult      *result;  /* Owned, may be NULL */
  /* Borrowed until the next set_points */
  const CsPlotModel *scatter;
};

static void cs_ppp_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsPppPage, cs_ppp_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_ppp_page_iface_init))

/* The tree with the scatter plot's clusters beside it, in the scatter plot's colours. */
static void
rebuild (CsPppPage *self)
{
  const CsPipelineResult *r = self->result != NULL ? self->result->pipeline : NULL;
  g_autoptr (CsPppModel) model = NULL;

  if (r != NULL && r->clustering->ppp != NULL)
    {
      const CsClustering *c = r->clustering;
      const CsPlotModel *s = self->scatter != NULL && self->scatter->labels != NULL && self->scatter->k == c->k
                                 ? self->scatter
                                 : NULL;
      model = cs_ppp_model_new (c, s != NULL ? s->color_slot : NULL, s);
    }
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), cs_render_ppp, model, (GBoxedCopyFunc)cs_ppp_model_ref,
                             (GDestroyNotify)cs_ppp_model_unref);
}

static void
set_points (CsPage *page, const CsPlotModel *scatter)
{
  CsPppPage *self = CS_PPP_PAGE (page);

  self->scatter = scatter;
  if (self->result != NULL)
    rebuild (self);
}

static void
set_result (CsPage *page, CsPageResult *result)
{
  CsPppPage *self = CS_PPP_PAGE (page);

  g_clear_pointer (&self->result, cs_page_result_unref);
  if (result != NULL && result->pipeline->clustering->ppp != NULL)
    self->result = cs_page_result_ref (result);
  rebuild (self);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  CsPppPage *self = CS_PPP_PAGE (page);

  if (cs_figure_view_get_model (CS_FIGURE_VIEW (self->view)) != NULL)
    return TRUE;
  *why_not = g_strdup ("Only for PPP results: run PPP to see which splits it accepted and why");
  return FALSE;
}

static void
cs_ppp_page_iface_init (CsPageInterface *iface)
{
  iface->name = "ppp-tree";
  iface->title = "Split tree";
  iface->group = CS_PAGE_GROUP_STRUCTURE;
  iface->set_points = set_points;
  iface->set_result = set_result;
  iface->applies = applies;
}

static void
cs_ppp_page_dispose (GObject *object)
{
  CsPppPage *self = CS_PPP_PAGE (object);

  g_clear_pointer (&self->result, cs_page_result_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_PPP_PAGE);
  G_OBJECT_CLASS (cs_ppp_page_parent_class)->dispose (object);
}

static void
cs_ppp_page_class_init (CsPppPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_ppp_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/clusterscope/Clusterscope/ui/pages/cs-ppp-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsPppPage, view);
}

static void
cs_ppp_page_init (CsPppPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
