#include "ui/pages/cs-plain-log-page.h"

#include "core/graph/cs-graph-grid.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-worker.h"
#include "ui/render/cs-render-plain-log.h"

/* The families with a logarithmic twin, named by their plain member. */
static const CsGraphKernel families[] = {
  CS_GRAPH_KERNEL_FOREST, CS_GRAPH_KERNEL_PWALK, CS_GRAPH_KERNEL_COMM, CS_GRAPH_KERNEL_HEAT,
  CS_GRAPH_KERNEL_NHEAT,  CS_GRAPH_KERNEL_SCT,   CS_GRAPH_KERNEL_PPR,  CS_GRAPH_KERNEL_MPPR,
};

/* Points on the α grid: enough to see where each curve peaks, few enough for a few seconds
 * on a graph of a thousand nodes. */
#define GRID_POINTS 19

struct _CsPlainLogPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *family_dropdown;
  GtkWidget *view;

  CsGraph  *graph;  /* Owned ref, may be NULL */
  char     *name;   /* Owned: the dataset's name */
  gboolean  stale;
  CsWorker *worker; /* Owned */
};

static void cs_plain_log_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsPlainLogPage, cs_plain_log_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_plain_log_page_iface_init))

typedef struct
{
  CsGraph      *graph; /* Owned ref */
  CsGraphKernel family;
  char         *title; /* Owned */
} Input;

static void
input_free (Input *in)
{
  cs_graph_unref (in->graph);
  g_free (in->title);
  g_free (in);
}

static gpointer
compute (gpointer    data,
         CsProgress *progress,
         GError    **error)
{
  Input *in = data;
  /* A fixed seed, so the chart is the same on every visit. */
  CsPlainLogCurve *c = cs_plain_log_curve (in->graph, in->family, GRID_POINTS, 0, 1, progress, error);

  if (c == NULL)
    return NULL;
  return cs_plain_log_model_new (c, in->title);
}

static void
done (gpointer      result,
      const GError *error,
      gpointer      user_data)
{
  CsPlainLogPage *self = user_data;

  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), (CsRenderFunc) cs_render_plain_log, result,
                             (GBoxedCopyFunc) cs_plain_log_model_ref, (GDestroyNotify) cs_plain_log_model_unref);
  if (result != NULL)
    cs_plain_log_model_unref (result);
  cs_page_changed (CS_PAGE (self));
}

static void
refresh (CsPlainLogPage *self)
{
  guint item = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->family_dropdown));
  Input *in;

  self->stale = FALSE;
  if (self->graph == NULL || self->graph->labels == NULL || item >= G_N_ELEMENTS (families))
    {
      cs_worker_drop (self->worker);
      cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), (CsRenderFunc) cs_render_plain_log, NULL, NULL, NULL);
      return;
    }
  in = g_new0 (Input, 1);
  in->graph = cs_graph_ref (self->graph);
  in->family = families[item];
  in->title = g_strdup_printf ("%s — %s vs its logarithm, kernel k-means", self->name,
                               cs_graph_kernel_name (families[item]));
  cs_worker_run (self->worker, compute, in, (GDestroyNotify) input_free, (GDestroyNotify) cs_plain_log_model_unref,
                 done, self);
}

static void
schedule (CsPlainLogPage *self)
{
  self->stale = TRUE;
  if (cs_page_is_visible (CS_PAGE (self)))
    refresh (self);
  else
    cs_page_changed (CS_PAGE (self));
}

static void
selected_cb (GtkDropDown    *dropdown,
             GParamSpec     *pspec,
             CsPlainLogPage *self)
{
  schedule (self);
}

static void
set_dataset (CsPage    *page,
             CsDataset *dataset)
{
  CsPlainLogPage *self = CS_PLAIN_LOG_PAGE (page);
  CsGraph *g = dataset != NULL ? dataset->graph : NULL;

  g_free (self->name);
  self->name = g_strdup (dataset != NULL ? dataset->name : "");
  if (g == self->graph)
    return;
  g_clear_pointer (&self->graph, cs_graph_unref);
  self->graph = g != NULL ? cs_graph_ref (g) : NULL;
  schedule (self);
}

static void
shown (CsPage *page)
{
  CsPlainLogPage *self = CS_PLAIN_LOG_PAGE (page);

  if (self->stale)
    refresh (self);
}

static void
cancel (CsPage *page)
{
  CsPlainLogPage *self = CS_PLAIN_LOG_PAGE (page);

  cs_worker_drop (self->worker);
  self->stale = TRUE;
}

static gboolean
applies (CsPage *page,
         char  **why_not)
{
  CsPlainLogPage *self = CS_PLAIN_LOG_PAGE (page);

  if (self->graph == NULL)
    *why_not = g_strdup ("The data is not a graph: open an edge list (.edges, .edges.csv) or the Karate club sample");
  else if (self->graph->labels == NULL || self->graph->n_classes < 2)
    *why_not = g_strdup ("The graph has no node labels to score against: put a node table (stem.nodes.csv) beside it");
  else
    return TRUE;
  return FALSE;
}

static void
cs_plain_log_page_iface_init (CsPageInterface *iface)
{
  iface->name = "plain-log";
  iface->title = "Plain vs log";
  iface->group = CS_PAGE_GROUP_STRUCTURE;
  iface->set_dataset = set_dataset;
  iface->shown = shown;
  iface->cancel = cancel;
  iface->applies = applies;
}

static void
cs_plain_log_page_dispose (GObject *object)
{
  CsPlainLogPage *self = CS_PLAIN_LOG_PAGE (object);
  GtkWidget *child;

  if (self->worker != NULL)
    cs_worker_drop (self->worker);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->graph, cs_graph_unref);
  g_clear_pointer (&self->name, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_PLAIN_LOG_PAGE);
  /* The template's root box is not a bound child, so dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (cs_plain_log_page_parent_class)->dispose (object);
}

static void
cs_plain_log_page_class_init (CsPlainLogPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_plain_log_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-plain-log-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsPlainLogPage, family_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CsPlainLogPage, view);
}

static void
cs_plain_log_page_init (CsPlainLogPage *self)
{
  g_autoptr (GtkStringList) items = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->worker = cs_worker_new (CS_WORKER_REPLACE);
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      CsGraphKernel log;
      g_autofree char *text = NULL;
      cs_graph_kernel_log_twin (families[i], &log);
      text = g_strdup_printf ("%s / %s", cs_graph_kernel_name (families[i]), cs_graph_kernel_name (log));
      gtk_string_list_append (items, text);
    }
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->family_dropdown), G_LIST_MODEL (items));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->family_dropdown), 0);
  g_signal_connect (self->family_dropdown, "notify::selected", G_CALLBACK (selected_cb), self);
}
