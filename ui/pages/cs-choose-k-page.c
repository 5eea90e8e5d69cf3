#include "ui/pages/cs-choose-k-page.h"

#include <math.h>

#include "ui/cs-figure-view.h"
#include "ui/render/cs-render-views.h"

/* The curve of an algorithm that tried several k, and the way to any of them: a click on a
 * point or the "Show k" drop-down (the keyboard's way) asks the window, through the page's
 * "show-k" signal, for the clustering recorded at that k; the window derives it on a worker
 * and publishes it as the result, and the chart then marks it. */

struct _CsChooseKPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget     *view;
  GtkWidget     *show_k_label;
  GtkWidget     *show_k_dropdown;
  GtkStringList *show_k_items;
  GtkWidget     *hint_label;

  /* Borrowed until the next set_points */
  const CsPlotModel *scatter;
  gboolean           have_result;
  guint              k_min;     /* the drop-down's item i is k = k_min + i */
  gboolean           can_show;  /* the result recorded a clustering for each k of its curve */
  guint              shown_k;   /* the result's k */
  gboolean           syncing;   /* the drop-down is being set to the result's k */
};

static void cs_choose_k_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsChooseKPage, cs_choose_k_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_choose_k_page_iface_init))

static void
set_points (CsPage *page, const CsPlotModel *scatter)
{
  CS_CHOOSE_K_PAGE (page)->scatter = scatter;
}

static void
set_result (CsPage *page, CsPageResult *result)
{
  CsChooseKPage          *self = CS_CHOOSE_K_PAGE (page);
  const CsPipelineResult *r = result != NULL ? result->pipeline : NULL;
  g_autoptr (CsChartModel) choose_k = NULL;

  const CsClustering     *c = r != NULL ? r->clustering : NULL;
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  guint                  best = 0;

  self->have_result = r != NULL;
  if (r != NULL)
    choose_k = cs_chart_model_new_choose_k (r->clustering);
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), cs_render_trace, choose_k,
                             (GBoxedCopyFunc)cs_chart_model_ref, (GDestroyNotify)cs_chart_model_unref);

  self->can_show = choose_k != NULL && c->medoids_by_k != NULL;
  self->k_min = c != NULL ? c->score_k_min : 0;
  if (self->can_show)
    {
      for (guint i = 1; i < c->n_scores; i++)
        if (c->score_by_k[i] > c->score_by_k[best])
          best = i;
      for (guint i = 0; i < c->n_scores; i++)
        g_ptr_array_add (items, g_strdup_printf ("%u  (%.3f%s)", c->score_k_min + i, c->score_by_k[i],
                                                 i == best ? ", best" : ""));
    }
  g_ptr_array_add (items, NULL);
  self->syncing = TRUE;
  gtk_string_list_splice (self->show_k_items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->show_k_items)),
                          (const char *const *)items->pdata);
  self->shown_k = c != NULL ? c->k : 0;
  if (self->can_show)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->show_k_dropdown), c->k - c->score_k_min);
  self->syncing = FALSE;
  gtk_widget_set_visible (self->show_k_label, self->can_show);
  gtk_widget_set_visible (self->show_k_dropdown, self->can_show);
  gtk_widget_set_visible (self->hint_label, self->can_show);
}

static void
show_k_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, CsChooseKPage *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (self->syncing || !self->can_show || i == GTK_INVALID_LIST_POSITION)
    return;
  if (!cs_page_request_k (CS_PAGE (self), self->k_min + i))
    {
      /* Refused (data loading, no result): show what is on screen again. */
      self->syncing = TRUE;
      gtk_drop_down_set_selected (dropdown, self->shown_k - self->k_min);
      self->syncing = FALSE;
    }
}

/* A click within reach of a point of the curve shows that k. */
static void
view_pressed_cb (GtkGestureClick *gesture, int n_press, double px, double py, CsChooseKPage *self)
{
  const CsChartModel *m = cs_figure_view_get_model (CS_FIGURE_VIEW (self->view));
  double              w = gtk_widget_get_width (self->view);
  double              h = gtk_widget_get_height (self->view);
  double              best = INFINITY;
  gssize              hit = -1;
  CsRect              frame;

  if (m == NULL || !self->can_show)
    return;
  cs_render_trace_layout (m, w, h, &frame);
  for (gsize i = 0; i < m->n; i++)
    {
      double cx;
      double cy;

      if (!isfinite (m->y[i]))
        continue;
      cs_render_trace_point (m, &frame, m->x[i], m->y[i], &cx, &cy);
      /* Nearest along x: the points are a column each, so anywhere above or below one
       * inside the frame means that k. */
      if (fabs (cx - px) < best && py >= frame.y - 12 && py <= frame.y + frame.height + 12)
        {
          best = fabs (cx - px);
          hit = (gssize)i;
        }
    }
  if (hit < 0 || best > MAX (12.0, frame.width / (2.0 * MAX (m->n, 1))))
    return;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->show_k_dropdown), (guint)hit);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  CsChooseKPage *self = CS_CHOOSE_K_PAGE (page);

  if (cs_figure_view_get_model (CS_FIGURE_VIEW (self->view)) != NULL)
    return TRUE;
  *why_not = g_strdup ("Only for algorithms that try several numbers of clusters, such as DynMSC");
  return FALSE;
}

static void
cs_choose_k_page_iface_init (CsPageInterface *iface)
{
  iface->name = "choose-k";
  iface->title = "Choose k";
  iface->group = CS_PAGE_GROUP_CLUSTERS;
  iface->set_points = set_points;
  iface->set_result = set_result;
  iface->applies = applies;
}

static void
cs_choose_k_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_CHOOSE_K_PAGE);
  /* The template's root box is not a bound child: dispose_template leaves it. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (cs_choose_k_page_parent_class)->dispose (object);
}

static void
cs_choose_k_page_class_init (CsChooseKPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_choose_k_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-choose-k-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, view);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, show_k_label);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, show_k_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, show_k_items);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, hint_label);
}

static void
cs_choose_k_page_init (CsChooseKPage *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->show_k_dropdown, "notify::selected", G_CALLBACK (show_k_selected_cb), self);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (view_pressed_cb), self);
  gtk_widget_add_controller (self->view, GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_visible (self->show_k_label, FALSE);
  gtk_widget_set_visible (self->show_k_dropdown, FALSE);
  gtk_widget_set_visible (self->hint_label, FALSE);
}
