#include "ui/cs-window-private.h"

#include <math.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "ui/cs-figure-view.h"
#include "ui/render/cs-render-privacy.h"

/* The privacy page: differentially private similarity sums of the plotted points beside the
 * exact ones (core/dp-kernel.h), and classification by average private similarity when the
 * dataset has labels. Computed on a worker when the page is shown or ε / δ change; a newer
 * request cancels the older one. */

#define PRIVACY_MAX_ROWS 20000
#define PRIVACY_GRID     64

static const double privacy_deltas[] = { 1e-3, 1e-4, 1e-5, 1e-6, 1e-8 };
static const double privacy_curve_epsilons[] = { 0.1, 0.2, 0.5, 1, 2, 5, 10 };

typedef struct
{
  CsDataset *dataset; /* Owned */
  gsize      n;
  double    *x;       /* Owned, n: plotted coordinates */
  double    *y;       /* Owned, n */
  gsize     *rows;    /* Owned, n, may be NULL */
  char      *x_label; /* Owned */
  char      *y_label; /* Owned */
  double     epsilon;
  double     delta;
} PrivacyData;

static void
privacy_data_free (PrivacyData *data)
{
  g_clear_pointer (&data->dataset, cs_dataset_unref);
  g_free (data->x);
  g_free (data->y);
  g_free (data->rows);
  g_free (data->x_label);
  g_free (data->y_label);
  g_free (data);
}

static void
privacy_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  PrivacyData *data = task_data;
  g_autoptr (CsProgress) progress = cs_progress_new (NULL, NULL, cancellable);
  g_autoptr (CsMatrix) xy = NULL;
  g_autoptr (CsDpSurface) surface = NULL;
  g_autoptr (CsPrivacyModel) model = NULL;
  g_autofree int *labels = NULL;
  GError          *error = NULL;
  CsDpKernelOptions options;
  gsize            n = 0;
  gsize            stride;
  g_autofree char *stride_text = NULL;
  guint            k = 0;

  /* The exact surface is a direct sum over rows at every node: above the cap a fixed,
   * evenly spaced subset keeps the page interactive (the title says so). */
  stride = data->n > PRIVACY_MAX_ROWS ? (data->n + PRIVACY_MAX_ROWS - 1) / PRIVACY_MAX_ROWS : 1;
  xy = cs_matrix_new ((data->n + stride - 1) / stride, 2);
  for (gsize i = 0; i < data->n; i += stride)
    if (isfinite (data->x[i]) && isfinite (data->y[i]))
      {
        cs_matrix_row (xy, n)[0] = data->x[i];
        cs_matrix_row (xy, n)[1] = data->y[i];
        n++;
      }
  xy->rows = n;
  if (n == 0)
    {
      g_task_return_new_error (task, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "No plotted points to compare");
      return;
    }

  /* Fixed seeds (the options' defaults): the page previews what a release looks like and
   * must not flicker as the user moves ε; a real release (the CLI) draws fresh noise. */
  cs_dp_kernel_options_init (&options);
  /* ‖φ(y)‖ = 1 whatever D, so more features cut the random-feature error at no cost in
   * noise: only time limits D. */
  options.n_features = 4096;
  options.bandwidth = cs_dp_default_bandwidth (xy);
  options.epsilon = data->epsilon;
  options.delta = data->delta;
  surface = cs_dp_surface_compute (xy, &options, PRIVACY_GRID, NULL, progress, &error);
  if (surface == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  model = cs_privacy_model_new (surface, &options, n);
  stride_text = cs_format_count (stride);
  model->title = stride > 1
                     ? g_strdup_printf ("Average Gaussian similarity to every %sth point, exact and differentially "
                                        "private",
                                        stride_text)
                     : g_strdup ("Average Gaussian similarity to the data, exact and differentially private");
  g_free (model->x_label);
  g_free (model->y_label);
  model->x_label = g_strdup (data->x_label);
  model->y_label = g_strdup (data->y_label);

  labels = cs_dataset_class_labels (data->dataset, &k);
  if (labels != NULL && k >= 2 && data->dataset->n_rows <= PRIVACY_MAX_ROWS)
    {
      g_autoptr (CsPrepared) prep = NULL;
      g_autofree int *prep_labels = NULL;
      CsPrepareOptions prepare;
      CsDpKernelOptions copt = options;
      double            accuracy[G_N_ELEMENTS (privacy_curve_epsilons)];
      double            nonprivate = NAN;

      /* Classification uses every feature, standardised, as the clustering does by default. */
      cs_prepare_options_init (&prepare);
      prepare.scaling = CS_SCALE_STANDARDIZE;
      prep = cs_dataset_prepare (data->dataset, &prepare, NULL);
      if (prep != NULL && prep->x->rows >= 10)
        {
          prep_labels = g_new (int, prep->x->rows);
          for (gsize i = 0; i < prep->x->rows; i++)
            prep_labels[i] = labels[prep->rows[i]];
          copt.bandwidth = cs_dp_default_bandwidth (prep->x);
          copt.n_features = 1024;
          if (cs_dp_accuracy_curve (prep->x, prep_labels, k, 0.3, privacy_curve_epsilons,
                                    G_N_ELEMENTS (privacy_curve_epsilons), 5, &copt, accuracy, &nonprivate,
                                    progress, &error))
            cs_privacy_model_set_curve (model, G_N_ELEMENTS (privacy_curve_epsilons), privacy_curve_epsilons,
                                        accuracy, nonprivate, k);
          else if (g_error_matches (error, CS_ERROR, CS_ERROR_CANCELLED))
            {
              g_task_return_error (task, error);
              return;
            }
          else
            g_clear_error (&error);
        }
    }
  g_task_return_pointer (task, g_steal_pointer (&model), (GDestroyNotify)cs_privacy_model_unref);
}

static void
privacy_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  CsWindow     *self = CS_WINDOW (source);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (res));
  g_autoptr (GError) error = NULL;
  g_autoptr (CsPrivacyModel) model = g_task_propagate_pointer (G_TASK (res), &error);

  if (self->disposed || cancellable != self->privacy_cancellable)
    return;
  g_clear_object (&self->privacy_cancellable);
  gtk_spinner_set_spinning (GTK_SPINNER (self->privacy_spinner), FALSE);
  if (model == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->privacy_status_label), error->message);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf ("Error max %.1f %%, mean %.2f %% of the peak",
                                             100.0 * model->max_error, 100.0 * model->mean_error);
    gtk_label_set_text (GTK_LABEL (self->privacy_status_label), text);
  }
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->privacy_view), cs_render_privacy, model,
                             (GBoxedCopyFunc)cs_privacy_model_ref, (GDestroyNotify)cs_privacy_model_unref);
}

void
cs_i_window_privacy_cancel (CsWindow *self)
{
  if (self->privacy_cancellable != NULL)
    g_cancellable_cancel (self->privacy_cancellable);
  g_clear_object (&self->privacy_cancellable);
}

static void
privacy_recompute (CsWindow *self)
{
  const CsPlotModel *m = cs_plot_view_get_model (CS_PLOT_VIEW (self->plot_view));
  guint              di = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->privacy_delta_dropdown));
  PrivacyData       *data;
  g_autoptr (GTask) task = NULL;

  cs_i_window_privacy_cancel (self);
  if (m == NULL || self->dataset == NULL || self->disposed)
    return;

  self->privacy_stale = FALSE;
  self->privacy_cancellable = g_cancellable_new ();
  data = g_new0 (PrivacyData, 1);
  data->dataset = cs_dataset_ref (self->dataset);
  data->n = m->n;
  data->x = g_memdup2 (m->x, m->n * sizeof (double));
  data->y = g_memdup2 (m->y, m->n * sizeof (double));
  data->x_label = g_strdup (m->x_label != NULL ? m->x_label : "x");
  data->y_label = g_strdup (m->y_label != NULL ? m->y_label : "y");
  data->epsilon = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->privacy_epsilon_spin));
  data->delta = privacy_deltas[MIN (di, G_N_ELEMENTS (privacy_deltas) - 1)];

  gtk_spinner_set_spinning (GTK_SPINNER (self->privacy_spinner), TRUE);
  gtk_label_set_text (GTK_LABEL (self->privacy_status_label), "Computing the private sketch…");
  task = g_task_new (self, self->privacy_cancellable, privacy_done, NULL);
  g_task_set_source_tag (task, privacy_recompute);
  g_task_set_task_data (task, data, (GDestroyNotify)privacy_data_free);
  g_task_run_in_thread (task, privacy_thread);
}

static gboolean
privacy_page_visible (CsWindow *self)
{
  return gtk_stack_get_visible_child (GTK_STACK (self->view_stack))
         == gtk_widget_get_parent (self->privacy_view);
}

void
cs_i_window_privacy_view_shown (CsWindow *self)
{
  if (privacy_page_visible (self) && self->privacy_stale)
    privacy_recompute (self);
}

void
cs_i_window_privacy_points_changed (CsWindow *self)
{
  gboolean  have = cs_plot_view_get_model (CS_PLOT_VIEW (self->plot_view)) != NULL;
  GtkStack *stack = GTK_STACK (self->view_stack);

  gtk_stack_page_set_visible (gtk_stack_get_page (stack, gtk_widget_get_parent (self->privacy_view)), have);
  if (have)
    gtk_widget_set_visible (self->view_bar, TRUE);
  self->privacy_stale = TRUE;
  cs_i_window_privacy_view_shown (self);
}

void
cs_i_window_privacy_setup (CsWindow *self)
{
  g_signal_connect_swapped (self->privacy_epsilon_spin, "value-changed", G_CALLBACK (privacy_recompute),
                            self);
  g_signal_connect_swapped (self->privacy_delta_dropdown, "notify::selected", G_CALLBACK (privacy_recompute),
                            self);
}
