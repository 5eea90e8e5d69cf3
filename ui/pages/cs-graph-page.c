#include "ui/pages/cs-graph-page.h"

#include <string.h>

#include "core/base/cs-error.h"
#include "core/graph/cs-graph-layout.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-worker.h"
#include "ui/render/cs-render-graph.h"

struct _CsGraphPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *view;
  GtkWidget *info_label;

  CsDataset    *dataset; /* Owned ref, may be NULL */
  CsPageResult *result;  /* Owned ref, may be NULL */
  CsGraph      *graph;   /* Owned ref: dataset->graph, may be NULL */
  double       *xy;      /* Owned, graph->n × 2 once laid out, else NULL */
  CsGraphModel *model;   /* Owned, what is on screen */
  gssize        hovered;
  gboolean      stale;
  CsWorker     *worker;  /* Owned */
};

static void cs_graph_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsGraphPage, cs_graph_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_graph_page_iface_init))

/* Worker ---------------------------------------------------------------------------------- */

static gpointer
compute_layout (gpointer    data,
                CsProgress *progress,
                GError    **error)
{
  CsGraph *g = data;
  CsLayoutOptions o;
  double *xy = NULL;

  cs_layout_options_init (&o);
  /* A fixed seed: the same graph is drawn the same way on every run and every machine. */
  o.seed = 1;
  if (!cs_graph_layout (g, &o, progress, &xy, error))
    return NULL;
  return xy;
}

static void
show_model (CsGraphPage *self)
{
  const CsGraph *g = self->graph;
  g_autofree int *labels = NULL;
  g_autofree char *title = NULL;
  const char *const *names = NULL;
  guint k = 0;
  CsGraphModel *m;

  if (g == NULL || self->xy == NULL)
    {
      g_clear_pointer (&self->model, cs_graph_model_unref);
      cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), (CsRenderFunc) cs_render_graph, NULL, NULL, NULL);
      return;
    }
  if (self->result != NULL && self->result->pipeline->clustering != NULL)
    {
      const CsPipelineResult *r = self->result->pipeline;
      labels = g_new (int, g->n);
      for (gsize i = 0; i < g->n; i++)
        labels[i] = -1;
      /* The run may have left rows out (missing values): those nodes stay unclustered. */
      for (gsize i = 0; i < r->clustering->n; i++)
        {
          gsize row = r->prep != NULL ? r->prep->rows[i] : i;
          if (row < g->n)
            labels[row] = r->clustering->labels[i];
        }
      k = r->clustering->k;
      title = g_strdup_printf ("%s — %s", self->dataset->name,
                               self->result->title != NULL ? self->result->title : r->clustering->algorithm);
    }
  else if (g->labels != NULL)
    {
      labels = g_memdup2 (g->labels, g->n * sizeof (int));
      k = g->n_classes;
      names = (const char *const *) g->class_names;
      title = g_strdup_printf ("%s — coloured by ‘%s’", self->dataset->name, g->label_name ? g->label_name : "label");
    }
  else
    title = g_strdup (self->dataset->name);
  m = cs_graph_model_new (self->graph, self->xy, labels, k, names, title);
  g_clear_pointer (&self->model, cs_graph_model_unref);
  self->model = m;
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), (CsRenderFunc) cs_render_graph, m,
                             (GBoxedCopyFunc) cs_graph_model_ref, (GDestroyNotify) cs_graph_model_unref);
}

static void
layout_done (gpointer      result,
             const GError *error,
             gpointer      user_data)
{
  CsGraphPage *self = user_data;

  g_clear_pointer (&self->xy, g_free);
  self->xy = result;
  if (error != NULL && !g_error_matches (error, CS_ERROR, CS_ERROR_CANCELLED))
    gtk_label_set_text (GTK_LABEL (self->info_label), error->message);
  show_model (self);
  cs_page_changed (CS_PAGE (self));
}

static void
refresh (CsGraphPage *self)
{
  self->stale = FALSE;
  if (self->graph == NULL)
    {
      cs_worker_drop (self->worker);
      show_model (self);
      return;
    }
  if (self->xy != NULL)
    {
      show_model (self);
      return;
    }
  /* The old graph's drawing goes at once rather than stand for the new graph meanwhile. */
  show_model (self);
  cs_worker_run (self->worker, compute_layout, cs_graph_ref (self->graph), (GDestroyNotify) cs_graph_unref, g_free,
                 layout_done, self);
}

static void
schedule (CsGraphPage *self)
{
  self->stale = TRUE;
  if (cs_page_is_visible (CS_PAGE (self)))
    refresh (self);
  else
    cs_page_changed (CS_PAGE (self));
}

/* Hover ----------------------------------------------------------------------------------- */

static char *
describe_node (const CsGraph *g,
               gsize          i)
{
  GString *s = g_string_new (NULL);
  gsize degree = g->row_ptr[i + 1] - g->row_ptr[i];

  g_string_append_printf (s, "Node %s · %" G_GSIZE_FORMAT " neighbour%s", g->names[i], degree, degree == 1 ? "" : "s");
  if (g->labels != NULL && g->labels[i] >= 0)
    g_string_append_printf (s, " · %s: %s", g->label_name ? g->label_name : "label", g->class_names[g->labels[i]]);
  for (gsize a = 0; a < g->n_attrs; a++)
    {
      const char *v = g->attr_values[i * g->n_attrs + a];
      g_string_append_printf (s, " · %s: %s", g->attr_names[a], v != NULL ? v : "—");
    }
  return g_string_free (s, FALSE);
}

static void
set_hovered (CsGraphPage *self,
             gssize       node)
{
  CsGraphModel *m;

  if (node == self->hovered || self->model == NULL)
    return;
  self->hovered = node;
  if (node >= 0)
    {
      g_autofree char *text = describe_node (self->graph, (gsize) node);
      gtk_label_set_text (GTK_LABEL (self->info_label), text);
    }
  /* The ring is part of the figure (a new model), so it is drawn by the one render function. */
  m = cs_graph_model_with_highlight (self->model, node);
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), (CsRenderFunc) cs_render_graph, m,
                             (GBoxedCopyFunc) cs_graph_model_ref, (GDestroyNotify) cs_graph_model_unref);
  cs_graph_model_unref (m);
}

static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           CsGraphPage              *self)
{
  double w, h;

  if (self->model == NULL)
    return;
  cs_figure_view_get_canvas (CS_FIGURE_VIEW (self->view), &w, &h);
  cs_figure_view_to_canvas (CS_FIGURE_VIEW (self->view), x, y, &x, &y);
  set_hovered (self, cs_graph_model_node_at (self->model, w, h, x, y));
}

static void
leave_cb (GtkEventControllerMotion *motion,
          CsGraphPage              *self)
{
  set_hovered (self, -1);
}

/* CsPage ---------------------------------------------------------------------------------- */

static void
set_dataset (CsPage    *page,
             CsDataset *dataset)
{
  CsGraphPage *self = CS_GRAPH_PAGE (page);
  CsGraph *g = dataset != NULL ? dataset->graph : NULL;

  g_clear_pointer (&self->dataset, cs_dataset_unref);
  self->dataset = dataset != NULL ? cs_dataset_ref (dataset) : NULL;
  if (g != self->graph)
    {
      cs_worker_drop (self->worker);
      g_clear_pointer (&self->graph, cs_graph_unref);
      g_clear_pointer (&self->xy, g_free);
      self->graph = g != NULL ? cs_graph_ref (g) : NULL;
    }
  self->hovered = -1;
  schedule (self);
}

static void
set_result (CsPage       *page,
            CsPageResult *result)
{
  CsGraphPage *self = CS_GRAPH_PAGE (page);

  g_clear_pointer (&self->result, cs_page_result_unref);
  self->result = result != NULL ? cs_page_result_ref (result) : NULL;
  self->hovered = -1;
  schedule (self);
}

static void
shown (CsPage *page)
{
  CsGraphPage *self = CS_GRAPH_PAGE (page);

  if (self->stale)
    refresh (self);
}

static void
cancel (CsPage *page)
{
  CsGraphPage *self = CS_GRAPH_PAGE (page);

  cs_worker_drop (self->worker);
  self->stale = TRUE;
}

static gboolean
applies (CsPage *page,
         char  **why_not)
{
  CsGraphPage *self = CS_GRAPH_PAGE (page);

  if (self->graph != NULL)
    return TRUE;
  *why_not = g_strdup ("The data is not a graph: open an edge list (.edges, .edges.csv) or the Karate club sample");
  return FALSE;
}

static void
cs_graph_page_iface_init (CsPageInterface *iface)
{
  iface->name = "graph";
  iface->title = "Graph";
  iface->group = CS_PAGE_GROUP_DATA;
  iface->set_dataset = set_dataset;
  iface->set_result = set_result;
  iface->shown = shown;
  iface->cancel = cancel;
  iface->applies = applies;
}

static void
cs_graph_page_dispose (GObject *object)
{
  CsGraphPage *self = CS_GRAPH_PAGE (object);
  GtkWidget *child;

  if (self->worker != NULL)
    cs_worker_drop (self->worker);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->dataset, cs_dataset_unref);
  g_clear_pointer (&self->result, cs_page_result_unref);
  g_clear_pointer (&self->graph, cs_graph_unref);
  g_clear_pointer (&self->xy, g_free);
  g_clear_pointer (&self->model, cs_graph_model_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_GRAPH_PAGE);
  /* The template's root box is not a bound child, so dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (cs_graph_page_parent_class)->dispose (object);
}

static void
cs_graph_page_class_init (CsGraphPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_graph_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/clusterscope/Clusterscope/ui/pages/cs-graph-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsGraphPage, view);
  gtk_widget_class_bind_template_child (widget_class, CsGraphPage, info_label);
}

static void
cs_graph_page_init (CsGraphPage *self)
{
  GtkEventController *motion;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->hovered = -1;
  self->worker = cs_worker_new (CS_WORKER_REPLACE);
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (self->view, motion);
}
