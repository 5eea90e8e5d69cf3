#include "ui/pages/cs-images-page.h"

#include "ui/cs-figure-view.h"
#include "ui/render/cs-render-views.h"

struct _CsImagesPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *view;

  /* Borrowed until the next set_points */
  const CsPlotModel *scatter;
  gboolean           have_result;
  gboolean           medoids;
  CsDataset         *dataset; /* Owned */
};

static void cs_images_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsImagesPage, cs_images_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_images_page_iface_init))

static void
set_points (CsPage *page, const CsPlotModel *scatter)
{
  CS_IMAGES_PAGE (page)->scatter = scatter;
}

static void
set_dataset (CsPage *page, CsDataset *dataset)
{
  CsImagesPage *self = CS_IMAGES_PAGE (page);

  g_clear_pointer (&self->dataset, cs_dataset_unref);
  self->dataset = dataset != NULL ? cs_dataset_ref (dataset) : NULL;
}

static void
set_result (CsPage *page, CsPageResult *result)
{
  CsImagesPage           *self = CS_IMAGES_PAGE (page);
  const CsPipelineResult *r = result != NULL ? result->pipeline : NULL;
  g_autoptr (CsImagesModel) images = NULL;

  self->have_result = r != NULL;
  self->medoids = r != NULL && r->clustering->medoids != NULL;
  if (r != NULL && self->dataset != NULL)
    {
      const CsClustering *c = r->clustering;
      const int *slots = self->scatter != NULL && self->scatter->labels != NULL && self->scatter->k == c->k
                             ? self->scatter->color_slot
                             : NULL;

      images = cs_images_model_build (self->dataset, r->prep, c, slots);
    }
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), cs_render_images, images,
                             (GBoxedCopyFunc)cs_images_model_ref, (GDestroyNotify)cs_images_model_unref);
}

static const char *
get_title (CsPage *page)
{
  return CS_IMAGES_PAGE (page)->medoids ? "Medoids" : "Means";
}

static gboolean
applies (CsPage *page, char **why_not)
{
  CsImagesPage *self = CS_IMAGES_PAGE (page);

  if (cs_figure_view_get_model (CS_FIGURE_VIEW (self->view)) != NULL)
    return TRUE;
  if (self->dataset != NULL && self->dataset->image_rows == 0)
    *why_not = g_strdup ("Only for image data, such as the digits sample");
  else
    *why_not = g_strdup ("Run a clustering to see each cluster’s medoid or mean image");
  return FALSE;
}

static void
cs_images_page_iface_init (CsPageInterface *iface)
{
  iface->name = "medoids";
  iface->title = "Medoids";
  iface->set_dataset = set_dataset;
  iface->get_title = get_title;
  iface->group = CS_PAGE_GROUP_CLUSTERS;
  iface->set_points = set_points;
  iface->set_result = set_result;
  iface->applies = applies;
}

static void
cs_images_page_dispose (GObject *object)
{
  g_clear_pointer (&CS_IMAGES_PAGE (object)->dataset, cs_dataset_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_IMAGES_PAGE);
  G_OBJECT_CLASS (cs_images_page_parent_class)->dispose (object);
}

static void
cs_images_page_class_init (CsImagesPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_images_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-images-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsImagesPage, view);
}

static void
cs_images_page_init (CsImagesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
