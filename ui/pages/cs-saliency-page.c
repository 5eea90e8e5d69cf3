#include "ui/pages/cs-saliency-page.h"

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-worker.h"

/* The saliency page: what makes each cluster what it is (core/explain/cs-saliency.h). Effect sizes, a
 * one-vs-rest logistic surrogate and Shapley maps are computed on a worker when the page is
 * shown after a new result or another attribution method; the chart and the heatmap's
 * quantity only change how the finished report is drawn. Clicking a feature in the heatmap
 * or the bars asks the window (CsPage::set-axes) to put it on the scatter plot's x axis
 * (Shift: y axis). */

enum
{
  CHART_BARS,
  CHART_HEATMAP,
  CHART_IMAGES,
};

enum
{
  METHOD_LINEAR,
  METHOD_KERNELSHAP,
};

struct _CsSaliencyPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *saliency_view;
  GtkWidget *saliency_chart_dropdown;
  GtkWidget *saliency_quantity_dropdown;
  GtkWidget *saliency_method_dropdown;
  GtkWidget *saliency_spinner;
  GtkWidget *saliency_status_label;
  GtkWidget *saliency_summary_label;
  GtkWidget *saliency_summary_scroll;

  /* Owned */
  CsWorker             *worker;
  CsDataset            *dataset;  /* may be NULL */
  CsPageResult         *result;   /* may be NULL */
  CsSaliencyPageReport *saliency; /* may be NULL: what the page shows */

  /* Borrowed until the next set_points */
  const CsPlotModel *scatter;

  gboolean stale;     /* the result changed since the page was computed */
  gint     highlight;  /* feature outlined in the heatmap, -1 none */
  guint    fit_source; /* idle that sizes the summaries, or 0 */
};

static void cs_saliency_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsSaliencyPage, cs_saliency_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_saliency_page_iface_init))

CsSaliencyPageReport *
cs_saliency_page_report_ref (CsSaliencyPageReport *s)
{
  g_atomic_ref_count_inc (&s->ref);
  return s;
}

void
cs_saliency_page_report_unref (CsSaliencyPageReport *s)
{
  if (s == NULL || !g_atomic_ref_count_dec (&s->ref))
    return;
  cs_saliency_report_free (s->report);
  cs_page_result_unref (s->result);
  g_clear_pointer (&s->model, cs_saliency_model_unref);
  g_clear_pointer (&s->images, cs_saliency_images_model_unref);
  g_clear_pointer (&s->categorical, g_ptr_array_unref);
  g_free (s);
}

typedef struct
{
  CsPageResult *result;     /* Owned */
  CsDataset      *dataset;    /* Owned */
  int            *color_slot; /* Owned, k, may be NULL */
  int             method;
} SaliencyData;

static void
saliency_data_free (SaliencyData *data)
{
  cs_page_result_unref (data->result);
  g_clear_pointer (&data->dataset, cs_dataset_unref);
  g_free (data->color_slot);
  g_free (data);
}

static gpointer
saliency_compute (gpointer input, CsProgress *progress, GError **error)
{
  SaliencyData           *data = input;
  const CsPipelineResult *r = data->result->pipeline;
  const CsClustering     *c = r->clustering;
  CsSaliencyReport       *report = NULL;
  CsSaliencyPageReport   *s;

  if (!cs_saliency_run (r->prep->x, (const char *const *)r->prep->names, c->labels, c->k, NULL, progress, &report,
                        error))
    return NULL;
  if (data->method == METHOD_KERNELSHAP)
    {
      g_autoptr (CsMatrix) centers = cs_saliency_assignment_centers (r->prep->x, c->labels, c->k, c->centers, c->medoids);
      CsKernelShapOptions  kopt;

      cs_kernelshap_options_init (&kopt);
      if (!cs_saliency_report_apply_kernelshap (report, r->prep->x, c->labels, centers, &kopt, progress, error))
        {
          cs_saliency_report_free (report);
          return NULL;
        }
    }

  s = g_new0 (CsSaliencyPageReport, 1);
  g_atomic_ref_count_init (&s->ref);
  s->report = report;
  s->result = cs_page_result_ref (data->result);
  s->model = cs_saliency_model_new (report, data->color_slot);
  s->images = cs_saliency_images_model_build (data->dataset, r->prep, c, report, data->color_slot);
  s->categorical = cs_saliency_categorical_all (data->dataset, r->prep->rows, c->labels, c->n, c->k);
  return s;
}

static void
show_chart (CsSaliencyPage *self)
{
  CsSaliencyPageReport *s = self->saliency;
  guint             chart = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->saliency_chart_dropdown));
  CsFigureView     *view = CS_FIGURE_VIEW (self->saliency_view);

  gtk_widget_set_visible (self->saliency_quantity_dropdown, chart == CHART_HEATMAP);
  if (s == NULL)
    {
      cs_figure_view_set_figure (view, NULL, NULL, NULL, NULL);
      return;
    }
  {
    const CsSaliencyReport *r = s->report;
    const char             *hint = chart == CHART_IMAGES && s->images != NULL ? "" : " · click a feature to plot it (Shift: y axis)";
    g_autofree char        *status = NULL;

    if (g_strcmp0 (r->method, "kernelshap") == 0)
      {
        g_autofree char *n = cs_format_count (r->shap_background);
        status = g_strdup_printf ("KernelSHAP of the clustering’s own assignment (%s background rows) · surrogate "
                                  "accuracy %.1f %%%s",
                                  n, 100.0 * r->surrogate_accuracy, hint);
      }
    else
      status = g_strdup_printf ("Exact Shapley values of a logistic surrogate, accuracy %.1f %%%s",
                                100.0 * r->surrogate_accuracy, hint);
    gtk_label_set_text (GTK_LABEL (self->saliency_status_label), status);
  }
  if (chart == CHART_IMAGES && s->images != NULL)
    cs_figure_view_set_figure (view, cs_render_saliency_images, s->images,
                               (GBoxedCopyFunc)cs_saliency_images_model_ref,
                               (GDestroyNotify)cs_saliency_images_model_unref);
  else if (chart == CHART_HEATMAP)
    {
      /* The model is shared with any export in flight: change a private copy. */
      g_autoptr (CsSaliencyModel) m = cs_saliency_model_dup (s->model);

      m->quantity = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->saliency_quantity_dropdown));
      m->highlight = self->highlight;
      cs_figure_view_set_figure (view, cs_render_saliency_heatmap, m, (GBoxedCopyFunc)cs_saliency_model_ref,
                                 (GDestroyNotify)cs_saliency_model_unref);
    }
  else
    cs_figure_view_set_figure (view, cs_render_saliency_bars, s->model, (GBoxedCopyFunc)cs_saliency_model_ref,
                               (GDestroyNotify)cs_saliency_model_unref);
}

/* A scrolled window sizes its child for no width in particular, so a wrapped label would get
 * the height of its unwrapped lines: give the summaries the height they need at the width
 * they have (up to SUMMARY_MAX_HEIGHT, then they scroll). Runs when that width changes. */
#define SUMMARY_MAX_HEIGHT 200

static void
fit_summaries (CsSaliencyPage *self)
{
  GtkScrolledWindow *scroll = GTK_SCROLLED_WINDOW (self->saliency_summary_scroll);
  int                width = (int)gtk_adjustment_get_page_size (gtk_scrolled_window_get_hadjustment (scroll));
  int                needed = 0;

  if (width <= 0)
    return;
  gtk_widget_measure (self->saliency_summary_label, GTK_ORIENTATION_VERTICAL, width, NULL, &needed, NULL, NULL);
  needed = MIN (needed, SUMMARY_MAX_HEIGHT);
  if (needed != gtk_scrolled_window_get_min_content_height (scroll))
    gtk_scrolled_window_set_min_content_height (scroll, needed);
}

static gboolean
fit_summaries_idle (gpointer data)
{
  CsSaliencyPage *self = data;

  self->fit_source = 0;
  fit_summaries (self);
  return G_SOURCE_REMOVE;
}

/* The width changes during an allocation, where a new minimum height would not be heard:
 * fit once the allocation is over. */
static void
summary_width_changed (CsSaliencyPage *self)
{
  if (self->fit_source == 0)
    self->fit_source = g_idle_add (fit_summaries_idle, self);
}

static void
show_report (CsSaliencyPage *self)
{
  const CsSaliencyReport *r = self->saliency->report;
  g_autoptr (GString)     summaries = g_string_new (NULL);

  for (guint c = 0; c < r->k; c++)
    {
      g_string_append_printf (summaries, "%s%s", c > 0 ? "\n" : "", r->summaries[c]);
      /* Then what the cluster is made of: each categorical column's most over-represented level. */
      for (guint i = 0; i < self->saliency->categorical->len; i++)
        {
          const CsSaliencyCategorical *cat = g_ptr_array_index (self->saliency->categorical, i);
          guint                        l = cs_saliency_categorical_top_level (cat, c);

          g_string_append_printf (summaries, "; %s %s %.0f %%", cat->name, cat->levels[l],
                                  100.0 * cat->proportion[(gsize)c * cat->n_levels + l]);
        }
    }
  gtk_label_set_text (GTK_LABEL (self->saliency_summary_label), summaries->str);
  fit_summaries (self);
  show_chart (self);
  cs_page_changed (CS_PAGE (self));
}

static void
saliency_done (gpointer result, const GError *error, gpointer user_data)
{
  CsSaliencyPage       *self = user_data;
  CsSaliencyPageReport *s = result;

  gtk_spinner_set_spinning (GTK_SPINNER (self->saliency_spinner), FALSE);
  if (s == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->saliency_status_label), error->message);
      return;
    }
  g_clear_pointer (&self->saliency, cs_saliency_page_report_unref);
  self->saliency = s;
  show_report (self);
}

static void
cancel (CsPage *page)
{
  CsSaliencyPage *self = CS_SALIENCY_PAGE (page);

  cs_worker_drop (self->worker);
  gtk_spinner_set_spinning (GTK_SPINNER (self->saliency_spinner), FALSE);
}

/* The scatter plot's colours, when it shows this result's labels. */
static const int *
scatter_slots (CsSaliencyPage *self, const CsClustering *c)
{
  const CsPlotModel *scatter = self->scatter;

  return scatter != NULL && scatter->labels != NULL && scatter->k == c->k ? scatter->color_slot : NULL;
}

static void
saliency_recompute (CsSaliencyPage *self)
{
  SaliencyData       *data;
  const CsClustering *c;
  const int          *slots;

  if (self->result == NULL || self->dataset == NULL)
    {
      cancel (CS_PAGE (self));
      return;
    }

  c = self->result->pipeline->clustering;
  slots = scatter_slots (self, c);
  self->stale = FALSE;
  data = g_new0 (SaliencyData, 1);
  data->result = cs_page_result_ref (self->result);
  data->dataset = cs_dataset_ref (self->dataset);
  data->color_slot = slots != NULL ? g_memdup2 (slots, c->k * sizeof (int)) : NULL;
  data->method = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->saliency_method_dropdown));

  gtk_spinner_set_spinning (GTK_SPINNER (self->saliency_spinner), TRUE);
  gtk_label_set_text (GTK_LABEL (self->saliency_status_label),
                      data->method == METHOD_KERNELSHAP ? "Sampling Shapley values of the assignment…"
                                                        : "Fitting the surrogate…");
  cs_worker_run (self->worker, saliency_compute, data, (GDestroyNotify)saliency_data_free,
                 (GDestroyNotify)cs_saliency_page_report_unref, saliency_done, self);
}

static void
shown (CsPage *page)
{
  CsSaliencyPage *self = CS_SALIENCY_PAGE (page);

  if (cs_page_is_visible (page) && self->stale)
    saliency_recompute (self);
}

static void
set_dataset (CsPage *page, CsDataset *dataset)
{
  CsSaliencyPage *self = CS_SALIENCY_PAGE (page);

  g_clear_pointer (&self->dataset, cs_dataset_unref);
  self->dataset = dataset != NULL ? cs_dataset_ref (dataset) : NULL;
}

static void
set_points (CsPage *page, const CsPlotModel *scatter)
{
  CS_SALIENCY_PAGE (page)->scatter = scatter;
}

static void
set_result (CsPage *page, CsPageResult *result)
{
  CsSaliencyPage     *self = CS_SALIENCY_PAGE (page);
  const CsClustering *c = result != NULL ? result->pipeline->clustering : NULL;
  gboolean            usable = c != NULL && c->k >= 2;
  gboolean            images = usable && self->dataset != NULL && self->dataset->image_rows > 0;
  GtkStringList      *charts = GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (self->saliency_chart_dropdown)));
  guint               n_charts = g_list_model_get_n_items (G_LIST_MODEL (charts));

  cancel (page);
  g_clear_pointer (&self->result, cs_page_result_unref);
  self->result = result != NULL ? cs_page_result_ref (result) : NULL;
  g_clear_pointer (&self->saliency, cs_saliency_page_report_unref);
  self->highlight = -1;
  gtk_label_set_text (GTK_LABEL (self->saliency_summary_label), "");
  gtk_label_set_text (GTK_LABEL (self->saliency_status_label), "");
  show_chart (self);

  /* "Images" is offered for image data only, and chosen first there. */
  if (images && n_charts == CHART_IMAGES)
    {
      gtk_string_list_append (charts, "Images");
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->saliency_chart_dropdown), CHART_IMAGES);
    }
  else if (!images && n_charts > CHART_IMAGES)
    gtk_string_list_remove (charts, CHART_IMAGES);

  self->stale = usable;
  cs_page_changed (page);
  shown (page);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  CsSaliencyPage *self = CS_SALIENCY_PAGE (page);

  if (self->result != NULL && self->result->pipeline->clustering->k >= 2)
    return TRUE;
  *why_not = g_strdup (self->result != NULL ? "Saliency compares clusters: this result has fewer than two"
                                            : "Run a clustering to see what makes each cluster distinct");
  return FALSE;
}

/* A numeric dataset column: what the scatter plot can take as an axis. */
static gboolean
is_axis (CsSaliencyPage *self, const char *name)
{
  int c = self->dataset != NULL && name != NULL ? cs_dataset_find_column (self->dataset, name) : -1;

  return c >= 0 && cs_dataset_column (self->dataset, c)->kind == CS_COLUMN_NUMERIC;
}

/* Puts feature `f` of the report on the scatter plot's x (or y) axis. When the other axis
 * shows principal components, it takes the cluster's next most distinctive feature, so the
 * plot is of two real columns. */
static void
plot_feature (CsSaliencyPage *self, guint cluster, guint f, gboolean y_axis)
{
  const CsSaliencyReport *r = self->saliency->report;
  const char             *name = r->feature_names[f];
  /* The scatter plot's other axis, when it shows a column (not a principal component). */
  const char      *other = self->scatter != NULL ? (y_axis ? self->scatter->x_label : self->scatter->y_label) : NULL;
  const char      *other_name = NULL;
  g_autofree char *status = NULL;

  if (!is_axis (self, name))
    {
      status = g_strdup_printf ("‘%s’ is not a column that can be an axis", name);
      gtk_label_set_text (GTK_LABEL (self->saliency_status_label), status);
      return;
    }
  if (is_axis (self, other) && g_strcmp0 (other, name) != 0)
    other_name = other;
  else
    {
      g_autofree guint *order = g_new (guint, r->d);

      cs_saliency_report_rank (r, cluster, order);
      for (guint t = 0; t < r->d && other_name == NULL; t++)
        if (order[t] != f && is_axis (self, r->feature_names[order[t]]))
          other_name = r->feature_names[order[t]];
    }
  if (other_name == NULL
      || !cs_page_request_axes (CS_PAGE (self), y_axis ? other_name : name, y_axis ? name : other_name))
    return;

  self->highlight = (gint)f;
  show_chart (self);
  status = g_strdup_printf ("%s is on the scatter plot’s %s axis (Shift-click for %s)", name, y_axis ? "y" : "x",
                            y_axis ? "x" : "y");
  gtk_label_set_text (GTK_LABEL (self->saliency_status_label), status);
}

static void
saliency_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, CsSaliencyPage *self)
{
  GtkWidget *view = self->saliency_view;
  double     w, h;
  guint      chart = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->saliency_chart_dropdown));
  gboolean   y_axis = (gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture))
                     & GDK_SHIFT_MASK) != 0;
  guint      cluster = 0;
  guint      feature = 0;

  if (self->saliency == NULL)
    return;
  cs_figure_view_get_canvas (CS_FIGURE_VIEW (view), &w, &h);
  cs_figure_view_to_canvas (CS_FIGURE_VIEW (view), x, y, &x, &y);
  if (chart == CHART_HEATMAP)
    {
      if (cs_render_saliency_heatmap_hit (self->saliency->model, w, h, x, y, &cluster, &feature))
        plot_feature (self, cluster, feature, y_axis);
      return;
    }
  if (chart != CHART_BARS)
    return;
  /* A bar's row: anywhere in its panel at the height of the bar. */
  for (guint c = 0; c < self->saliency->model->k; c++)
    {
      CsRect panel;
      CsRect swatch;

      if (!cs_render_saliency_bars_panel (self->saliency->model, w, h, c, &panel, &swatch)
          || x < panel.x || x > panel.x + panel.width || y < panel.y || y > panel.y + panel.height)
        continue;
      for (guint rank = 0; rank < self->saliency->model->d; rank++)
        {
          CsRect fav;
          CsRect unfav;

          if (!cs_render_saliency_bars_bar (self->saliency->model, w, h, c, rank, &feature, &fav, &unfav))
            break;
          if (y >= fav.y && y <= fav.y + fav.height)
            {
              plot_feature (self, c, feature, y_axis);
              return;
            }
        }
    }
}

CsSaliencyPageReport *
cs_saliency_page_get_report (CsSaliencyPage *page)
{
  g_return_val_if_fail (CS_IS_SALIENCY_PAGE (page), NULL);

  return page->saliency;
}

static void
cs_saliency_page_iface_init (CsPageInterface *iface)
{
  iface->name = "saliency";
  iface->title = "Saliency";
  iface->group = CS_PAGE_GROUP_EXPLAIN;
  iface->set_dataset = set_dataset;
  iface->set_points = set_points;
  iface->set_result = set_result;
  iface->shown = shown;
  iface->cancel = cancel;
  iface->applies = applies;
}

static void
cs_saliency_page_dispose (GObject *object)
{
  CsSaliencyPage *self = CS_SALIENCY_PAGE (object);

  if (self->worker != NULL)
    cs_worker_drop (self->worker);
  g_clear_object (&self->worker);
  g_clear_handle_id (&self->fit_source, g_source_remove);
  g_clear_pointer (&self->saliency, cs_saliency_page_report_unref);
  g_clear_pointer (&self->result, cs_page_result_unref);
  g_clear_pointer (&self->dataset, cs_dataset_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_SALIENCY_PAGE);
  /* The template's root box is not a bound child: dispose_template leaves it. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (cs_saliency_page_parent_class)->dispose (object);
}

static void
cs_saliency_page_class_init (CsSaliencyPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_saliency_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-saliency-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CsSaliencyPage, name)
  BIND (saliency_view);
  BIND (saliency_chart_dropdown);
  BIND (saliency_quantity_dropdown);
  BIND (saliency_method_dropdown);
  BIND (saliency_spinner);
  BIND (saliency_status_label);
  BIND (saliency_summary_label);
  BIND (saliency_summary_scroll);
#undef BIND
}

static void
cs_saliency_page_init (CsSaliencyPage *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->worker = cs_worker_new (CS_WORKER_REPLACE);
  self->highlight = -1;
  g_signal_connect (click, "pressed", G_CALLBACK (saliency_pressed_cb), self);
  gtk_widget_add_controller (self->saliency_view, GTK_EVENT_CONTROLLER (click));
  g_signal_connect_swapped (gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (self->saliency_summary_scroll)),
                            "changed", G_CALLBACK (summary_width_changed), self);
  g_signal_connect_swapped (self->saliency_chart_dropdown, "notify::selected", G_CALLBACK (show_chart), self);
  g_signal_connect_swapped (self->saliency_quantity_dropdown, "notify::selected", G_CALLBACK (show_chart), self);
  g_signal_connect_swapped (self->saliency_method_dropdown, "notify::selected", G_CALLBACK (saliency_recompute),
                            self);
}
