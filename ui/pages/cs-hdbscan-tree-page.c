#include "ui/pages/cs-hdbscan-tree-page.h"

#include "ui/cs-figure-view.h"
#include "ui/render/cs-render-condensed-tree.h"

struct _CsHdbscanTreePage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *view;

  CsPageResult      *result;    /* Owned, may be NULL: a result with a condensed tree */
  gboolean           restored;  /* the result is HDBSCAN's but has no tree (a reopened session) */
  /* Borrowed until the next set_points */
  const CsPlotModel *scatter;
};

static void cs_hdbscan_tree_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsHdbscanTreePage, cs_hdbscan_tree_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_hdbscan_tree_page_iface_init))

/* The tree in the scatter plot's colours when the scatter shows this result's clusters. */
static void
rebuild (CsHdbscanTreePage *self)
{
  g_autoptr (CsCondensedTreeModel) model = NULL;

  if (self->result != NULL)
    {
      const CsClustering *c = self->result->pipeline->clustering;
      const int          *slots = self->scatter != NULL && self->scatter->labels != NULL && self->scatter->k == c->k
                                      ? self->scatter->color_slot
                                      : NULL;

      model = cs_condensed_tree_model_new (c, slots);
    }
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), cs_render_condensed_tree, model,
                             (GBoxedCopyFunc) cs_condensed_tree_model_ref,
                             (GDestroyNotify) cs_condensed_tree_model_unref);
}

static void
set_points (CsPage *page, const CsPlotModel *scatter)
{
  CsHdbscanTreePage *self = CS_HDBSCAN_TREE_PAGE (page);

  self->scatter = scatter;
  if (self->result != NULL)
    rebuild (self);
}

static void
set_result (CsPage *page, CsPageResult *result)
{
  CsHdbscanTreePage  *self = CS_HDBSCAN_TREE_PAGE (page);
  const CsClustering *c = result != NULL ? result->pipeline->clustering : NULL;

  g_clear_pointer (&self->result, cs_page_result_unref);
  self->restored = c != NULL && c->condensed_tree == NULL && g_strcmp0 (c->algorithm, "hdbscan") == 0;
  if (c != NULL && c->condensed_tree != NULL)
    self->result = cs_page_result_ref (result);
  rebuild (self);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  CsHdbscanTreePage *self = CS_HDBSCAN_TREE_PAGE (page);

  if (cs_figure_view_get_model (CS_FIGURE_VIEW (self->view)) != NULL)
    return TRUE;
  *why_not = g_strdup (self->restored ? "A reopened session keeps HDBSCAN’s labels, not its tree: run HDBSCAN again"
                                      : "Only for HDBSCAN: run HDBSCAN to see the tree of clusters it chose from");
  return FALSE;
}

static void
cs_hdbscan_tree_page_iface_init (CsPageInterface *iface)
{
  iface->name = "condensed-tree";
  iface->title = "HDBSCAN";
  iface->group = CS_PAGE_GROUP_STRUCTURE;
  iface->set_points = set_points;
  iface->set_result = set_result;
  iface->applies = applies;
}

static void
cs_hdbscan_tree_page_dispose (GObject *object)
{
  CsHdbscanTreePage *self = CS_HDBSCAN_TREE_PAGE (object);

  g_clear_pointer (&self->result, cs_page_result_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_HDBSCAN_TREE_PAGE);
  G_OBJECT_CLASS (cs_hdbscan_tree_page_parent_class)->dispose (object);
}

static void
cs_hdbscan_tree_page_class_init (CsHdbscanTreePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_hdbscan_tree_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-hdbscan-tree-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsHdbscanTreePage, view);
}

static void
cs_hdbscan_tree_page_init (CsHdbscanTreePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
