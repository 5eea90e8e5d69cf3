#include "ui/pages/cs-kdistance-page.h"

#include <math.h>

#include "core/base/cs-error.h"
#include "core/cluster/cs-dbscan.h"
#include "core/cluster/cs-registry.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-worker.h"
#include "ui/render/cs-render-kdistance.h"

struct _CsKDistancePage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *k_spin;
  GtkWidget *status_label;
  GtkWidget *view;

  CsPageResult *result;  /* Owned, may be NULL: a DBSCAN result */
  char         *name;    /* Owned: the dataset's name */
  gboolean      stale;
  gboolean      syncing; /* setting the spin from a result, not the user */
  CsWorker     *worker;  /* Owned */
};

static void cs_kdistance_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsKDistancePage, cs_kdistance_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_kdistance_page_iface_init))

/* The algorithms this plot serves: a radius and a neighbour count, as DBSCAN has. */
static gboolean
has_radius (const CsClustering *c)
{
  const CsAlgorithm *algo = cs_registry_lookup (c->algorithm);

  return algo != NULL && c->params != NULL && cs_algorithm_find_param (algo, "eps") != NULL
         && cs_algorithm_find_param (algo, "min_samples") != NULL;
}

typedef struct
{
  CsPageResult  *result; /* Owned ref */
  guint          k;
  CsDbscanMetric metric;
  double         eps;
  char          *title;  /* Owned */
} Input;

static void
input_free (Input *in)
{
  cs_page_result_unref (in->result);
  g_free (in->title);
  g_free (in);
}

static gpointer
compute (gpointer    data,
         CsProgress *progress,
         GError    **error)
{
  Input          *in = data;
  const CsMatrix *x = in->result->pipeline->prep->x;
  double         *dist = NULL;

  if (!cs_dbscan_k_distance (x, in->k, in->metric, progress, &dist, error))
    return NULL;
  return cs_kdistance_model_new (dist, x->rows, in->k, in->eps, in->title);
}

static void
done (gpointer      result,
      const GError *error,
      gpointer      user_data)
{
  CsKDistancePage *self = user_data;

  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), (CsRenderFunc) cs_render_kdistance, result,
                             (GBoxedCopyFunc) cs_kdistance_model_ref, (GDestroyNotify) cs_kdistance_model_unref);
  if (error != NULL && !g_error_matches (error, CS_ERROR, CS_ERROR_CANCELLED))
    gtk_label_set_text (GTK_LABEL (self->status_label), error->message);
  else if (result != NULL)
    gtk_label_set_text (GTK_LABEL (self->status_label), "Click a height on the chart to run DBSCAN with that radius");
  if (result != NULL)
    cs_kdistance_model_unref (result);
  cs_page_changed (CS_PAGE (self));
}

static void
refresh (CsKDistancePage *self)
{
  const CsClustering *c;
  const char         *metric;
  Input              *in;

  self->stale = FALSE;
  if (self->result == NULL)
    {
      cs_worker_drop (self->worker);
      cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), (CsRenderFunc) cs_render_kdistance, NULL, NULL, NULL);
      gtk_label_set_text (GTK_LABEL (self->status_label), "");
      return;
    }
  c = self->result->pipeline->clustering;
  metric = cs_algorithm_find_param (cs_registry_lookup (c->algorithm), "metric") != NULL
               ? cs_params_get_string (c->params, "metric")
               : NULL;
  in = g_new0 (Input, 1);
  in->result = cs_page_result_ref (self->result);
  in->k = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->k_spin));
  in->metric = g_strcmp0 (metric, "manhattan") == 0 ? CS_DBSCAN_MANHATTAN : CS_DBSCAN_EUCLIDEAN;
  /* The run's radius is marked only for the k it used: another k is another curve. */
  in->eps = (gint64) in->k == cs_params_get_int (c->params, "min_samples") ? cs_params_get_double (c->params, "eps")
                                                                           : NAN;
  in->title = g_strdup_printf ("%s — distance to the k-th nearest row, k = %u", self->name, in->k);
  gtk_label_set_text (GTK_LABEL (self->status_label), "Computing…");
  cs_worker_run (self->worker, compute, in, (GDestroyNotify) input_free, (GDestroyNotify) cs_kdistance_model_unref,
                 done, self);
}

static void
schedule (CsKDistancePage *self)
{
  self->stale = TRUE;
  if (cs_page_is_visible (CS_PAGE (self)))
    refresh (self);
  else
    cs_page_changed (CS_PAGE (self));
}

static void
k_changed_cb (GtkSpinButton   *spin,
              CsKDistancePage *self)
{
  if (!self->syncing)
    schedule (self);
}

static void
set_dataset (CsPage    *page,
             CsDataset *dataset)
{
  CsKDistancePage *self = CS_KDISTANCE_PAGE (page);

  g_free (self->name);
  self->name = g_strdup (dataset != NULL ? dataset->name : "");
}

static void
set_result (CsPage       *page,
            CsPageResult *result)
{
  CsKDistancePage *self = CS_KDISTANCE_PAGE (page);

  if (result == self->result)
    return;
  g_clear_pointer (&self->result, cs_page_result_unref);
  if (result != NULL && has_radius (result->pipeline->clustering) && result->pipeline->prep != NULL
      && result->pipeline->prep->x != NULL && result->pipeline->prep->x->rows >= 2)
    {
      const CsClustering *c = result->pipeline->clustering;

      self->result = cs_page_result_ref (result);
      /* The curve of the run's own neighbour count first: its knee is where eps came from. */
      self->syncing = TRUE;
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->k_spin), (double) cs_params_get_int (c->params, "min_samples"));
      self->syncing = FALSE;
    }
  schedule (self);
}

static void
shown (CsPage *page)
{
  CsKDistancePage *self = CS_KDISTANCE_PAGE (page);

  if (self->stale)
    refresh (self);
}

static void
cancel (CsPage *page)
{
  CsKDistancePage *self = CS_KDISTANCE_PAGE (page);

  cs_worker_drop (self->worker);
  self->stale = TRUE;
}

static gboolean
applies (CsPage *page,
         char  **why_not)
{
  CsKDistancePage *self = CS_KDISTANCE_PAGE (page);

  if (self->result != NULL)
    return TRUE;
  *why_not = g_strdup ("Only for DBSCAN results: run DBSCAN (its radius defaults to this plot’s knee)");
  return FALSE;
}

static void
view_pressed_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           px,
                 double           py,
                 CsKDistancePage *self)
{
  const CsKDistanceModel *m = cs_figure_view_get_model (CS_FIGURE_VIEW (self->view));
  char   text[G_ASCII_DTOSTR_BUF_SIZE];
  char   k_text[32];
  double eps, w, h;

  if (m == NULL || self->result == NULL)
    return;
  cs_figure_view_get_canvas (CS_FIGURE_VIEW (self->view), &w, &h);
  cs_figure_view_to_canvas (CS_FIGURE_VIEW (self->view), px, py, &px, &py);
  if (!cs_kdistance_model_eps_at (m, w, h, px, py, &eps)
      || !(eps > 0))
    return;
  /* Four significant digits: a radius read off a chart, not a measurement. */
  g_snprintf (text, sizeof text, "%.4g", eps);
  g_snprintf (k_text, sizeof k_text, "%u", m->k);
  if ((gint64) m->k != cs_params_get_int (self->result->pipeline->clustering->params, "min_samples"))
    {
      /* A curve for another k: the run takes that k too, or the radius would mean another thing. */
      if (!cs_page_request_rerun (CS_PAGE (self), "min_samples", k_text))
        return;
    }
  cs_page_request_rerun (CS_PAGE (self), "eps", text);
}

static void
cs_kdistance_page_iface_init (CsPageInterface *iface)
{
  iface->name = "k-distance";
  iface->title = "k-distance";
  iface->group = CS_PAGE_GROUP_CLUSTERS;
  iface->set_dataset = set_dataset;
  iface->set_result = set_result;
  iface->shown = shown;
  iface->cancel = cancel;
  iface->applies = applies;
}

static void
cs_kdistance_page_dispose (GObject *object)
{
  CsKDistancePage *self = CS_KDISTANCE_PAGE (object);
  GtkWidget       *child;

  if (self->worker != NULL)
    cs_worker_drop (self->worker);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->result, cs_page_result_unref);
  g_clear_pointer (&self->name, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_KDISTANCE_PAGE);
  /* The template's root box is not a bound child, so dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (cs_kdistance_page_parent_class)->dispose (object);
}

static void
cs_kdistance_page_class_init (CsKDistancePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_kdistance_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-kdistance-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsKDistancePage, k_spin);
  gtk_widget_class_bind_template_child (widget_class, CsKDistancePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CsKDistancePage, view);
}

static void
cs_kdistance_page_init (CsKDistancePage *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->worker = cs_worker_new (CS_WORKER_REPLACE);
  self->name = g_strdup ("");
  gtk_widget_set_cursor_from_name (self->view, "crosshair");
  g_signal_connect (self->k_spin, "value-changed", G_CALLBACK (k_changed_cb), self);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (view_pressed_cb), self);
  gtk_widget_add_controller (self->view, GTK_EVENT_CONTROLLER (click));
}
