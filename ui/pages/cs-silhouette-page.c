#include "ui/pages/cs-silhouette-page.h"

#include "core/base/cs-format.h"
#include "ui/cs-figure-view.h"
#include "ui/render/cs-render-views.h"

struct _CsSilhouettePage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *view;

  /* Borrowed until the next set_points */
  const CsPlotModel *scatter;
  gboolean           have_result;
};

static void cs_silhouette_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsSilhouettePage, cs_silhouette_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_silhouette_page_iface_init))

static void
set_points (CsPage *page, const CsPlotModel *scatter)
{
  CS_SILHOUETTE_PAGE (page)->scatter = scatter;
}

static void
set_result (CsPage *page, CsPageResult *result)
{
  CsSilhouettePage       *self = CS_SILHOUETTE_PAGE (page);
  const CsPipelineResult *r = result != NULL ? result->pipeline : NULL;
  g_autoptr (CsSilhouetteModel) sil = NULL;

  self->have_result = r != NULL;
  if (r != NULL)
    {
      const CsClustering *c = r->clustering;
      /* The scatter plot's colours, matched to the previous run, are the ones to repeat. */
      const int *slots = self->scatter != NULL && self->scatter->labels != NULL && self->scatter->k == c->k
                             ? self->scatter->color_slot
                             : NULL;

      /* For the methods that optimise it, the medoid silhouette is the one to show; runs on a
       * distance matrix are scored on the matrix only, so it is the only one they have. */
      if (r->medoid_silhouette_values != NULL
          && (c->objective_kind == CS_OBJECTIVE_MEDOID_SILHOUETTE || r->silhouette_values == NULL))
        {
          sil = cs_silhouette_model_new (c->n, r->medoid_silhouette_values, c->labels, c->k, slots);
          sil->title = g_strdup ("Medoid silhouette per point (1 − nearest / second-nearest medoid distance)");
        }
      else if (r->silhouette_values != NULL)
        {
          sil = cs_silhouette_model_new (c->n, r->silhouette_values, c->labels, c->k, slots);
          sil->sampled = r->silhouette_sampled;
          if (r->silhouette_sampled)
            {
              g_autofree char *count = cs_format_count (sil->n);
              sil->title = g_strdup_printf ("Silhouette per point (a sample of %s rows)", count);
            }
          else
            sil->title = g_strdup ("Silhouette per point");
        }
    }
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), cs_render_silhouette, sil,
                             (GBoxedCopyFunc)cs_silhouette_model_ref, (GDestroyNotify)cs_silhouette_model_unref);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  CsSilhouettePage *self = CS_SILHOUETTE_PAGE (page);

  if (cs_figure_view_get_model (CS_FIGURE_VIEW (self->view)) != NULL)
    return TRUE;
  *why_not = g_strdup (self->have_result ? "This result has no silhouette: it needs two clusters or more"
                                         : "Run a clustering to see each point’s silhouette");
  return FALSE;
}

static void
cs_silhouette_page_iface_init (CsPageInterface *iface)
{
  iface->name = "silhouette";
  iface->title = "Silhouette";
  iface->group = CS_PAGE_GROUP_CLUSTERS;
  iface->set_points = set_points;
  iface->set_result = set_result;
  iface->applies = applies;
}

static void
cs_silhouette_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_SILHOUETTE_PAGE);
  G_OBJECT_CLASS (cs_silhouette_page_parent_class)->dispose (object);
}

static void
cs_silhouette_page_class_init (CsSilhouettePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_silhouette_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-silhouette-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsSilhouettePage, view);
}

static void
cs_silhouette_page_init (CsSilhouettePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
