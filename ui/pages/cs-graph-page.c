#include "ui/pages/cs-graph-page.h"

#include <math.h>
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
  GtkWidget *zoom_in_button;
  GtkWidget *zoom_out_button;
  GtkWidget *fit_button;

  CsDataset    *dataset; /* Owned ref, may be NULL */
  CsPageResult *result;  /* Owned ref, may be NULL */
  CsGraph      *graph;   /* Owned ref: dataset->graph, may be NULL */
  double       *xy;      /* Owned, graph->n × 2 once laid out, else NULL */
  double       *partial_xy; /* Owned, the layout's latest snapshot while it runs, else NULL */
  CsGraphModel *model;   /* Owned: the whole graph, no ring (what Export writes) */
  gssize        hovered;
  gboolean      stale;
  CsWorker     *worker;  /* Owned */
  /* The view: zoom and the layout point at the plot's centre (NAN: the graph's centre). */
  double        zoom;
  double        view_x;
  double        view_y;
  double        pointer_x; /* last pointer position over the view, for zooming about it */
  double        pointer_y;
  double        gesture_zoom;   /* at the start of a pinch */
  double        drag_x;         /* view centre at the start of a pan */
  double        drag_y;
  struct _LayoutShare *share;   /* Owned ref: where the running layout publishes snapshots */
};

static void cs_graph_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsGraphPage, cs_graph_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_graph_page_iface_init))

/* Worker ---------------------------------------------------------------------------------- */

/* Between the layout's thread and the page: the latest snapshot, published under the lock;
 * one idle source at a time carries it to the page, if the page still wants it. */
typedef struct _LayoutShare
{
  gatomicrefcount ref;
  GMutex          lock;
  CsGraph        *graph;     /* Owned ref */
  double         *xy;        /* Owned, graph->n × 2: the newest snapshot, normalised */
  gboolean        fresh;     /* xy not yet taken by the page */
  gboolean        scheduled; /* an idle source is on its way */
  CsGraphPage    *page;      /* Unowned, main thread only: NULL once the page moved on */
} LayoutShare;

static LayoutShare *
share_ref (LayoutShare *sh)
{
  g_atomic_ref_count_inc (&sh->ref);
  return sh;
}

static void
share_unref (LayoutShare *sh)
{
  if (!g_atomic_ref_count_dec (&sh->ref))
    return;
  g_mutex_clear (&sh->lock);
  cs_graph_unref (sh->graph);
  g_free (sh->xy);
  g_free (sh);
}

static void show_model (CsGraphPage *self);

static gboolean
snapshot_idle (gpointer data)
{
  LayoutShare *sh = data;
  CsGraphPage *self = sh->page;
  g_autofree double *xy = NULL;

  g_mutex_lock (&sh->lock);
  sh->scheduled = FALSE;
  if (sh->fresh)
    {
      xy = g_memdup2 (sh->xy, 2 * sh->graph->n * sizeof (double));
      sh->fresh = FALSE;
    }
  g_mutex_unlock (&sh->lock);
  /* The final layout may have arrived first (the idle ran late): it wins. */
  if (self != NULL && xy != NULL && self->share == sh && self->graph == sh->graph)
    {
      g_free (self->partial_xy);
      self->partial_xy = g_steal_pointer (&xy);
      show_model (self);
    }
  return G_SOURCE_REMOVE;
}

/* On the layout's thread. */
static void
snapshot_cb (const double *xy,
             gsize         n,
             guint         iteration,
             gpointer      data)
{
  LayoutShare *sh = data;

  g_mutex_lock (&sh->lock);
  memcpy (sh->xy, xy, 2 * n * sizeof (double));
  cs_graph_layout_normalize (sh->xy, n);
  sh->fresh = TRUE;
  if (!sh->scheduled)
    {
      sh->scheduled = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, snapshot_idle, share_ref (sh), (GDestroyNotify) share_unref);
    }
  g_mutex_unlock (&sh->lock);
}

static gpointer
compute_layout (gpointer    data,
                CsProgress *progress,
                GError    **error)
{
  LayoutShare *sh = data;
  CsLayoutOptions o;
  double *xy = NULL;

  cs_layout_options_init (&o);
  /* A fixed seed: the same graph is drawn the same way on every run and every machine. */
  o.seed = 1;
  /* Progressive: the page redraws as the layout settles. Snapshots do not change the final
   * layout (tested). Every 5 iterations is about 60 frames a layout, and at most one redraw
   * is pending at a time, so a slow redraw skips snapshots instead of queueing them. */
  o.snapshot_every = 5;
  o.snapshot = snapshot_cb;
  o.snapshot_data = sh;
  if (!cs_graph_layout (sh->graph, &o, progress, &xy, error))
    return NULL;
  return xy;
}

static void
drop_share (CsGraphPage *self)
{
  if (self->share != NULL)
    {
      self->share->page = NULL;
      g_clear_pointer (&self->share, share_unref);
    }
  g_clear_pointer (&self->partial_xy, g_free);
}

/* What is on screen: the model at the page's zoom and pan, with the hovered node ringed. */
static void
update_view (CsGraphPage *self)
{
  g_autoptr (CsGraphModel) v = NULL;
  g_autoptr (CsGraphModel) ringed = NULL;

  if (self->model == NULL)
    return;
  v = cs_graph_model_with_view (self->model, self->zoom, isnan (self->view_x) ? self->model->view_x : self->view_x,
                                isnan (self->view_y) ? self->model->view_y : self->view_y);
  ringed = cs_graph_model_with_highlight (v, self->hovered);
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), (CsRenderFunc) cs_render_graph, ringed,
                             (GBoxedCopyFunc) cs_graph_model_ref, (GDestroyNotify) cs_graph_model_unref);
  gtk_widget_set_sensitive (self->zoom_in_button, self->zoom < CS_GRAPH_ZOOM_MAX);
  gtk_widget_set_sensitive (self->zoom_out_button, self->zoom > CS_GRAPH_ZOOM_MIN);
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

  const double *xy = self->xy != NULL ? self->xy : self->partial_xy;

  if (g == NULL || xy == NULL)
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
  if (self->xy == NULL)
    {
      char *t = g_strdup_printf ("%s (laying out…)", title != NULL ? title : "");
      g_free (title);
      title = t;
    }
  m = cs_graph_model_new (self->graph, xy, labels, k, names, title);
  g_clear_pointer (&self->model, cs_graph_model_unref);
  self->model = m;
  update_view (self);
}

static void
layout_done (gpointer      result,
             const GError *error,
             gpointer      user_data)
{
  CsGraphPage *self = user_data;

  g_clear_pointer (&self->xy, g_free);
  self->xy = result;
  drop_share (self);
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
  drop_share (self);
  show_model (self);
  self->share = g_new0 (LayoutShare, 1);
  g_atomic_ref_count_init (&self->share->ref);
  g_mutex_init (&self->share->lock);
  self->share->graph = cs_graph_ref (self->graph);
  self->share->xy = g_new0 (double, 2 * MAX (self->graph->n, 1));
  self->share->page = self;
  cs_worker_run (self->worker, compute_layout, share_ref (self->share), (GDestroyNotify) share_unref, g_free,
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
  if (node == self->hovered || self->model == NULL)
    return;
  self->hovered = node;
  if (node >= 0)
    {
      g_autofree char *text = describe_node (self->graph, (gsize) node);
      gtk_label_set_text (GTK_LABEL (self->info_label), text);
    }
  /* The ring is part of the figure (a new model), so it is drawn by the one render function. */
  update_view (self);
}

static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           CsGraphPage              *self)
{
  gconstpointer shown = cs_figure_view_get_model (CS_FIGURE_VIEW (self->view));
  double        w, h;

  /* Picking goes through the model on screen, so it follows the zoom and pan, on the canvas
   * the figure is laid out on (smaller than the widget in presenter mode). */
  cs_figure_view_get_canvas (CS_FIGURE_VIEW (self->view), &w, &h);
  cs_figure_view_to_canvas (CS_FIGURE_VIEW (self->view), x, y, &x, &y);
  self->pointer_x = x;
  self->pointer_y = y;
  if (self->model == NULL || shown == NULL)
    return;
  set_hovered (self, cs_graph_model_node_at (shown, w, h, x, y));
}

/* Zoom and pan ------------------------------------------------------------------------------ */

static void
reset_view (CsGraphPage *self)
{
  self->zoom = 1.0;
  self->view_x = self->view_y = NAN;
}

/* Zoom by `factor` keeping the layout point under canvas point (px, py) where it is (canvas:
 * the figure view's layout coordinates, see cs_figure_view_to_canvas). */
static void
zoom_about (CsGraphPage *self,
            double       factor,
            double       px,
            double       py)
{
  const CsGraphModel *shown = cs_figure_view_get_model (CS_FIGURE_VIEW (self->view));
  double w, h;
  double lx, ly, z;

  cs_figure_view_get_canvas (CS_FIGURE_VIEW (self->view), &w, &h);

  if (shown == NULL || self->model == NULL)
    return;
  z = CLAMP (self->zoom * factor, CS_GRAPH_ZOOM_MIN, CS_GRAPH_ZOOM_MAX);
  cs_graph_model_canvas_to_layout (shown, w, h, px, py, &lx, &ly);
  /* Canvas offset from the plot's centre is (L − centre) × fitted scale × zoom: keep it. */
  self->view_x = lx - (lx - shown->view_x) * self->zoom / z;
  self->view_y = ly - (ly - shown->view_y) * self->zoom / z;
  self->zoom = z;
  update_view (self);
}

static void
zoom_centre (CsGraphPage *self,
             double       factor)
{
  const CsGraphModel *shown = cs_figure_view_get_model (CS_FIGURE_VIEW (self->view));
  double x, y, w, h, cw, ch;

  if (shown == NULL)
    return;
  cs_figure_view_get_canvas (CS_FIGURE_VIEW (self->view), &cw, &ch);
  cs_graph_model_plot_rect (shown, cw, ch, &x, &y, &w, &h);
  zoom_about (self, factor, x + 0.5 * w, y + 0.5 * h);
}

static void
zoom_in_cb (GtkButton   *button,
            CsGraphPage *self)
{
  zoom_centre (self, 1.5);
}

static void
zoom_out_cb (GtkButton   *button,
             CsGraphPage *self)
{
  zoom_centre (self, 1.0 / 1.5);
}

static void
fit_cb (GtkButton   *button,
        CsGraphPage *self)
{
  reset_view (self);
  update_view (self);
}

static gboolean
scroll_cb (GtkEventControllerScroll *scroll,
           double                    dx,
           double                    dy,
           CsGraphPage              *self)
{
  if (self->model == NULL || dy == 0.0)
    return FALSE;
  zoom_about (self, pow (1.2, -dy), self->pointer_x, self->pointer_y);
  return TRUE;
}

static void
pinch_begin_cb (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                CsGraphPage      *self)
{
  self->gesture_zoom = self->zoom;
}

static void
pinch_scale_cb (GtkGestureZoom *gesture,
                double          scale,
                CsGraphPage    *self)
{
  double cx, cy;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    return;
  cs_figure_view_to_canvas (CS_FIGURE_VIEW (self->view), cx, cy, &cx, &cy);
  zoom_about (self, self->gesture_zoom * scale / self->zoom, cx, cy);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               CsGraphPage    *self)
{
  const CsGraphModel *shown = cs_figure_view_get_model (CS_FIGURE_VIEW (self->view));

  if (shown == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->drag_x = shown->view_x;
  self->drag_y = shown->view_y;
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                CsGraphPage    *self)
{
  const CsGraphModel *shown = cs_figure_view_get_model (CS_FIGURE_VIEW (self->view));
  double w, h, x0, y0, x1, y1, c0x, c0y;

  if (shown == NULL)
    return;
  cs_figure_view_get_canvas (CS_FIGURE_VIEW (self->view), &w, &h);
  /* The drag is in widget pixels; the model's map is in canvas units. */
  cs_figure_view_to_canvas (CS_FIGURE_VIEW (self->view), 0.0, 0.0, &c0x, &c0y);
  cs_figure_view_to_canvas (CS_FIGURE_VIEW (self->view), dx, dy, &dx, &dy);
  dx -= c0x;
  dy -= c0y;
  /* Layout units per pixel, from the model's own map (so pan and picking agree). */
  cs_graph_model_canvas_to_layout (shown, w, h, 0.0, 0.0, &x0, &y0);
  cs_graph_model_canvas_to_layout (shown, w, h, 1.0, 1.0, &x1, &y1);
  self->view_x = self->drag_x - dx * (x1 - x0);
  self->view_y = self->drag_y - dy * (y1 - y0);
  update_view (self);
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
      drop_share (self);
      self->graph = g != NULL ? cs_graph_ref (g) : NULL;
      reset_view (self);
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

/* Export writes the whole graph as laid out, without the zoom, pan or hover ring: the view is
 * for looking around, the figure is of the graph. */
static gboolean
get_figure (CsPage         *page,
            CsRenderFunc   *func,
            gpointer       *model,
            GDestroyNotify *unref)
{
  CsGraphPage *self = CS_GRAPH_PAGE (page);

  if (self->model == NULL || self->xy == NULL)
    return FALSE;
  *func = (CsRenderFunc) cs_render_graph;
  *model = cs_graph_model_ref (self->model);
  *unref = (GDestroyNotify) cs_graph_model_unref;
  return TRUE;
}

static void
cs_graph_page_iface_init (CsPageInterface *iface)
{
  iface->get_figure = get_figure;
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
  drop_share (self);
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
  gtk_widget_class_bind_template_child (widget_class, CsGraphPage, zoom_in_button);
  gtk_widget_class_bind_template_child (widget_class, CsGraphPage, zoom_out_button);
  gtk_widget_class_bind_template_child (widget_class, CsGraphPage, fit_button);
}

static void
cs_graph_page_init (CsGraphPage *self)
{
  GtkEventController *motion;
  GtkEventController *scroll;
  GtkGesture *pinch;
  GtkGesture *drag;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->hovered = -1;
  reset_view (self);
  self->worker = cs_worker_new (CS_WORKER_REPLACE);
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (self->view, motion);
  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (self->view, scroll);
  pinch = gtk_gesture_zoom_new ();
  g_signal_connect (pinch, "begin", G_CALLBACK (pinch_begin_cb), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (pinch_scale_cb), self);
  gtk_widget_add_controller (self->view, GTK_EVENT_CONTROLLER (pinch));
  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (self->view, GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (self->zoom_in_button, "clicked", G_CALLBACK (zoom_in_cb), self);
  g_signal_connect (self->zoom_out_button, "clicked", G_CALLBACK (zoom_out_cb), self);
  g_signal_connect (self->fit_button, "clicked", G_CALLBACK (fit_cb), self);
}
