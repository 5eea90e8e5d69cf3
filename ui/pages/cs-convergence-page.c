#include "ui/pages/cs-convergence-page.h"

#include "ui/cs-figure-view.h"
#include "ui/render/cs-render-views.h"

struct _CsConvergencePage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *view;

  /* Borrowed until the next set_points */
  const CsPlotModel *scatter;
  gboolean           have_result;
};

static void cs_convergence_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsConvergencePage, cs_convergence_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_convergence_page_iface_init))

static void
set_points (CsPage *page, const CsPlotModel *scatter)
{
  CS_CONVERGENCE_PAGE (page)->scatter = scatter;
}

static void
set_result (CsPage *page, CsPageResult *result)
{
  CsConvergencePage      *self = CS_CONVERGENCE_PAGE (page);
  const CsPipelineResult *r = result != NULL ? result->pipeline : NULL;
  g_autoptr (CsChartModel) convergence = NULL;

  self->have_result = r != NULL;
  if (r != NULL)
    {
      const CsClustering *c = r->clustering;

      convergence = cs_chart_model_new_convergence (r->trace, c->objective_name);
      /* One step is a dot, not a curve. */
      if (convergence != NULL && convergence->n < 2)
        g_clear_pointer (&convergence, cs_chart_model_unref);
      /* DynMSC's steps also remove medoids on its way down in k: those are not swaps. */
      if (convergence != NULL && c->medoids != NULL && c->score_by_k == NULL)
        {
          g_free (convergence->x_label);
          convergence->x_label = g_strdup ("Swap");
          g_free (convergence->title);
          convergence->title = g_strdup_printf ("%s after each swap", convergence->y_label);
        }
      /* Otherwise "Step": k-means records an assignment and an update step per iteration, a
       * mixture an E- and an M-step (cs-trace.h). */
    }
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), cs_render_trace, convergence,
                             (GBoxedCopyFunc)cs_chart_model_ref, (GDestroyNotify)cs_chart_model_unref);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  CsConvergencePage *self = CS_CONVERGENCE_PAGE (page);

  if (cs_figure_view_get_model (CS_FIGURE_VIEW (self->view)) != NULL)
    return TRUE;
  *why_not = g_strdup (self->have_result ? "This run recorded fewer than two steps"
                                         : "Run a clustering to see its objective step by step");
  return FALSE;
}

static void
cs_convergence_page_iface_init (CsPageInterface *iface)
{
  iface->name = "convergence";
  iface->title = "Convergence";
  iface->group = CS_PAGE_GROUP_CLUSTERS;
  iface->set_points = set_points;
  iface->set_result = set_result;
  iface->applies = applies;
}

static void
cs_convergence_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_CONVERGENCE_PAGE);
  G_OBJECT_CLASS (cs_convergence_page_parent_class)->dispose (object);
}

static void
cs_convergence_page_class_init (CsConvergencePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_convergence_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-convergence-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsConvergencePage, view);
}

static void
cs_convergence_page_init (CsConvergencePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
