#include "ui/cs-window-private.h"

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-plot-view.h"
#include "ui/render/cs-render-saliency.h"

/* The saliency page: what makes each cluster what it is (core/saliency.h). Effect sizes, a
 * one-vs-rest logistic surrogate and Shapley maps are computed on a worker when the page is
 * shown after a new result or another attribution method; the chart and the heatmap's
 * quantity only change how the finished report is drawn. Clicking a feature in the heatmap
 * or the bars puts it on the scatter plot's x axis (Shift: y axis). */

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

CsWindowSaliency *
cs_i_window_saliency_ref (CsWindowSaliency *s)
{
  g_atomic_ref_count_inc (&s->ref);
  return s;
}

void
cs_i_window_saliency_unref (CsWindowSaliency *s)
{
  if (s == NULL || !g_atomic_ref_count_dec (&s->ref))
    return;
  cs_saliency_report_free (s->report);
  cs_i_window_result_unref (s->result);
  g_clear_pointer (&s->model, cs_saliency_model_unref);
  g_clear_pointer (&s->images, cs_saliency_images_model_unref);
  g_clear_pointer (&s->categorical, g_ptr_array_unref);
  g_free (s);
}

typedef struct
{
  CsWindowResult *result;     /* Owned */
  CsDataset      *dataset;    /* Owned */
  int            *color_slot; /* Owned, k, may be NULL */
  int             method;
} SaliencyData;

static void
saliency_data_free (SaliencyData *data)
{
  cs_i_window_result_unref (data->result);
  g_clear_pointer (&data->dataset, cs_dataset_unref);
  g_free (data->color_slot);
  g_free (data);
}

static void
saliency_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  SaliencyData             *data = task_data;
  const CsPipelineResult   *r = data->result->pipeline;
  const CsClustering       *c = r->clustering;
  g_autoptr (CsProgress)    progress = cs_progress_new (NULL, NULL, cancellable);
  CsSaliencyReport         *report = NULL;
  CsWindowSaliency         *s;
  GError                   *error = NULL;

  if (!cs_saliency_run (r->prep->x, (const char *const *)r->prep->names, c->labels, c->k, NULL, progress, &report,
                        &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->method == METHOD_KERNELSHAP)
    {
      g_autoptr (CsMatrix) centers = cs_saliency_assignment_centers (r->prep->x, c->labels, c->k, c->centers, c->medoids);
      CsKernelShapOptions  kopt;

      cs_kernelshap_options_init (&kopt);
      if (!cs_saliency_report_apply_kernelshap (report, r->prep->x, c->labels, centers, &kopt, progress, &error))
        {
          cs_saliency_report_free (report);
          g_task_return_error (task, error);
          return;
        }
    }

  s = g_new0 (CsWindowSaliency, 1);
  g_atomic_ref_count_init (&s->ref);
  s->report = report;
  s->result = cs_i_window_result_ref (data->result);
  s->model = cs_saliency_model_new (report, data->color_slot);
  s->images = cs_saliency_images_model_build (data->dataset, r->prep, c, report, data->color_slot);
  s->categorical = cs_saliency_categorical_all (data->dataset, r->prep->rows, c->labels, c->n, c->k);
  g_task_return_pointer (task, s, (GDestroyNotify)cs_i_window_saliency_unref);
}

static void
show_chart (CsWindow *self)
{
  CsWindowSaliency *s = self->saliency;
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
    const char             *hint = chart == CHART_IMAGES && s->images != NULL ? "" : " · click a feature to plot it";
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
      m->highlight = self->saliency_highlight;
      cs_figure_view_set_figure (view, cs_render_saliency_heatmap, m, (GBoxedCopyFunc)cs_saliency_model_ref,
                                 (GDestroyNotify)cs_saliency_model_unref);
    }
  else
    cs_figure_view_set_figure (view, cs_render_saliency_bars, s->model, (GBoxedCopyFunc)cs_saliency_model_ref,
                               (GDestroyNotify)cs_saliency_model_unref);
}

static void
show_report (CsWindow *self)
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
  show_chart (self);
  cs_i_window_update_actions (self);
}

static void
saliency_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  CsWindow     *self = CS_WINDOW (source);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (res));
  g_autoptr (GError) error = NULL;
  CsWindowSaliency  *s = g_task_propagate_pointer (G_TASK (res), &error);

  if (self->disposed || cancellable != self->saliency_cancellable)
    {
      cs_i_window_saliency_unref (s);
      return;
    }
  g_clear_object (&self->saliency_cancellable);
  gtk_spinner_set_spinning (GTK_SPINNER (self->saliency_spinner), FALSE);
  if (s == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->saliency_status_label), error->message);
      return;
    }
  g_clear_pointer (&self->saliency, cs_i_window_saliency_unref);
  self->saliency = s;
  show_report (self);
}

void
cs_i_window_saliency_cancel (CsWindow *self)
{
  if (self->saliency_cancellable != NULL)
    g_cancellable_cancel (self->saliency_cancellable);
  g_clear_object (&self->saliency_cancellable);
  if (self->saliency_spinner != NULL)
    gtk_spinner_set_spinning (GTK_SPINNER (self->saliency_spinner), FALSE);
}

/* The scatter plot's colours, when it shows this result's labels. */
static const int *
scatter_slots (CsWindow *self, const CsClustering *c)
{
  const CsPlotModel *scatter = cs_plot_view_get_model (CS_PLOT_VIEW (self->plot_view));

  return scatter != NULL && scatter->labels != NULL && scatter->k == c->k ? scatter->color_slot : NULL;
}

static void
saliency_recompute (CsWindow *self)
{
  SaliencyData       *data;
  const CsClustering *c;
  const int          *slots;
  g_autoptr (GTask) task = NULL;

  cs_i_window_saliency_cancel (self);
  if (self->result == NULL || self->dataset == NULL || self->disposed)
    return;

  c = self->result->pipeline->clustering;
  slots = scatter_slots (self, c);
  self->saliency_stale = FALSE;
  self->saliency_cancellable = g_cancellable_new ();
  data = g_new0 (SaliencyData, 1);
  data->result = cs_i_window_result_ref (self->result);
  data->dataset = cs_dataset_ref (self->dataset);
  data->color_slot = slots != NULL ? g_memdup2 (slots, c->k * sizeof (int)) : NULL;
  data->method = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->saliency_method_dropdown));

  gtk_spinner_set_spinning (GTK_SPINNER (self->saliency_spinner), TRUE);
  gtk_label_set_text (GTK_LABEL (self->saliency_status_label),
                      data->method == METHOD_KERNELSHAP ? "Sampling Shapley values of the assignment…"
                                                        : "Fitting the surrogate…");
  task = g_task_new (self, self->saliency_cancellable, saliency_done, NULL);
  g_task_set_source_tag (task, saliency_recompute);
  g_task_set_task_data (task, data, (GDestroyNotify)saliency_data_free);
  g_task_run_in_thread (task, saliency_thread);
}

static gboolean
saliency_page_visible (CsWindow *self)
{
  return gtk_stack_get_visible_child (GTK_STACK (self->view_stack)) == gtk_widget_get_parent (self->saliency_view);
}

void
cs_i_window_saliency_view_shown (CsWindow *self)
{
  if (saliency_page_visible (self) && self->saliency_stale)
    saliency_recompute (self);
}

void
cs_i_window_saliency_result_changed (CsWindow *self)
{
  GtkStack           *stack = GTK_STACK (self->view_stack);
  const CsClustering *c = self->result != NULL ? self->result->pipeline->clustering : NULL;
  gboolean            usable = c != NULL && c->k >= 2;
  gboolean            images = usable && self->dataset != NULL && self->dataset->image_rows > 0;
  GtkStringList      *charts = GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (self->saliency_chart_dropdown)));
  guint               n_charts = g_list_model_get_n_items (G_LIST_MODEL (charts));

  cs_i_window_saliency_cancel (self);
  g_clear_pointer (&self->saliency, cs_i_window_saliency_unref);
  self->saliency_highlight = -1;
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

  gtk_stack_page_set_visible (gtk_stack_get_page (stack, gtk_widget_get_parent (self->saliency_view)), usable);
  self->saliency_stale = usable;
  cs_i_window_update_actions (self);
  cs_i_window_saliency_view_shown (self);
}

/* Puts feature `f` of the report on the scatter plot's x (or y) axis. When the other axis
 * shows principal components, it takes the cluster's next most distinctive feature, so the
 * plot is of two real columns. */
static void
plot_feature (CsWindow *self, guint cluster, guint f, gboolean y_axis)
{
  const CsSaliencyReport *r = self->saliency->report;
  const char             *name = r->feature_names[f];
  GtkWidget              *other_dropdown = y_axis ? self->x_dropdown : self->y_dropdown;
  guint                   other = gtk_drop_down_get_selected (GTK_DROP_DOWN (other_dropdown));
  const char             *other_name = NULL;
  guint                   index = 0;
  g_autofree char        *status = NULL;

  if (!cs_i_window_axis_index (self, name, &index))
    {
      status = g_strdup_printf ("‘%s’ is not a column that can be an axis", name);
      gtk_label_set_text (GTK_LABEL (self->saliency_status_label), status);
      return;
    }
  if (other > 0 && other < self->axis_columns->len && other != index)
    other_name = cs_dataset_column (self->dataset, g_array_index (self->axis_columns, int, other))->name;
  else
    {
      g_autofree guint *order = g_new (guint, r->d);
      guint             unused;

      cs_saliency_report_rank (r, cluster, order);
      for (guint t = 0; t < r->d && other_name == NULL; t++)
        if (order[t] != f && cs_i_window_axis_index (self, r->feature_names[order[t]], &unused))
          other_name = r->feature_names[order[t]];
    }
  if (other_name == NULL
      || !cs_window_set_axes (self, y_axis ? other_name : name, y_axis ? name : other_name))
    return;

  self->saliency_highlight = (gint)f;
  show_chart (self);
  status = g_strdup_printf ("%s is on the scatter plot’s %s axis (Shift-click for %s)", name, y_axis ? "y" : "x",
                            y_axis ? "x" : "y");
  gtk_label_set_text (GTK_LABEL (self->saliency_status_label), status);
}

static void
saliency_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, CsWindow *self)
{
  GtkWidget *view = self->saliency_view;
  double     w = gtk_widget_get_width (view);
  double     h = gtk_widget_get_height (view);
  guint      chart = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->saliency_chart_dropdown));
  gboolean   y_axis = (gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture))
                     & GDK_SHIFT_MASK) != 0;
  guint      cluster = 0;
  guint      feature = 0;

  if (self->saliency == NULL)
    return;
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

void
cs_i_window_saliency_setup (CsWindow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->saliency_highlight = -1;
  g_signal_connect (click, "pressed", G_CALLBACK (saliency_pressed_cb), self);
  gtk_widget_add_controller (self->saliency_view, GTK_EVENT_CONTROLLER (click));
  g_signal_connect_swapped (self->saliency_chart_dropdown, "notify::selected", G_CALLBACK (show_chart), self);
  g_signal_connect_swapped (self->saliency_quantity_dropdown, "notify::selected", G_CALLBACK (show_chart), self);
  g_signal_connect_swapped (self->saliency_method_dropdown, "notify::selected", G_CALLBACK (saliency_recompute),
                            self);
}

void
cs_i_window_saliency_finalize (CsWindow *self)
{
  g_clear_pointer (&self->saliency, cs_i_window_saliency_unref);
}
