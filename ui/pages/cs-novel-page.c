#include "ui/pages/cs-novel-page.h"

#include "ui/cs-figure-view.h"
#include "ui/render/cs-render-novel.h"

struct _CsNovelPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *view;

  CsDataset         *dataset; /* Owned, may be NULL: the known classes' names */
  CsPageResult      *result;  /* Owned, may be NULL: only a novel class discovery result */
  /* Borrowed until the next set_points */
  const CsPlotModel *scatter;
};

static void cs_novel_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsNovelPage, cs_novel_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_novel_page_iface_init))

/* The figure in the scatter plot's colours, when the plot shows this result's clusters.
 * Building it is a pass over the labels and the label column: cheap enough for the main
 * thread, as the other result figures are built. */
static void
rebuild (CsNovelPage *self)
{
  const CsPipelineResult *r = self->result != NULL ? self->result->pipeline : NULL;
  g_autoptr (CsNovelModel) model = NULL;

  if (r != NULL)
    {
      const CsClustering *c = r->clustering;
      const CsPlotModel  *s = self->scatter != NULL && self->scatter->labels != NULL && self->scatter->k == c->k
                                ? self->scatter
                                : NULL;
      model = cs_novel_model_new_for_result (self->dataset, r, s != NULL ? s->color_slot : NULL);
    }
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), cs_render_novel, model, (GBoxedCopyFunc) cs_novel_model_ref,
                             (GDestroyNotify) cs_novel_model_unref);
}

static void
set_dataset (CsPage    *page,
             CsDataset *dataset)
{
  CsNovelPage *self = CS_NOVEL_PAGE (page);

  g_clear_pointer (&self->dataset, cs_dataset_unref);
  if (dataset != NULL)
    self->dataset = cs_dataset_ref (dataset);
}

static void
set_points (CsPage            *page,
            const CsPlotModel *scatter)
{
  CsNovelPage *self = CS_NOVEL_PAGE (page);

  self->scatter = scatter;
  if (self->result != NULL)
    rebuild (self);
}

static void
set_result (CsPage       *page,
            CsPageResult *result)
{
  CsNovelPage *self = CS_NOVEL_PAGE (page);

  g_clear_pointer (&self->result, cs_page_result_unref);
  if (result != NULL && cs_novel_result_applies (result->pipeline->clustering))
    self->result = cs_page_result_ref (result);
  rebuild (self);
}

static gboolean
applies (CsPage *page,
         char  **why_not)
{
  CsNovelPage *self = CS_NOVEL_PAGE (page);

  if (cs_figure_view_get_model (CS_FIGURE_VIEW (self->view)) != NULL)
    return TRUE;
  *why_not = g_strdup ("Only for novel class discovery: run it on data whose label column is empty for the rows "
                       "to discover");
  return FALSE;
}

static void
cs_novel_page_iface_init (CsPageInterface *iface)
{
  iface->name = "novel";
  iface->title = "Novel";
  iface->group = CS_PAGE_GROUP_STRUCTURE;
  iface->set_dataset = set_dataset;
  iface->set_points = set_points;
  iface->set_result = set_result;
  iface->applies = applies;
}

static void
cs_novel_page_dispose (GObject *object)
{
  CsNovelPage *self = CS_NOVEL_PAGE (object);

  g_clear_pointer (&self->result, cs_page_result_unref);
  g_clear_pointer (&self->dataset, cs_dataset_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_NOVEL_PAGE);
  G_OBJECT_CLASS (cs_novel_page_parent_class)->dispose (object);
}

static void
cs_novel_page_class_init (CsNovelPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_novel_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-novel-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsNovelPage, view);
}

static void
cs_novel_page_init (CsNovelPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
