#include "ui/cs-window-private.h"

#include <math.h>
#include <string.h>

#include "ui/cs-figure-view.h"
#include "ui/render/cs-render-diagnostics.h"

/* The diagnostics page: how an isotropic Gaussian KDE of the clustered matrix behaves as
 * the bandwidth shrinks (core/kde-diagnostics.h). Offered when that matrix has d > 2;
 * computed on a worker the first time the page is shown after the data changed. The
 * slider only moves the "current h" marker, so it never recomputes. */

typedef struct
{
  CsMatrix *x; /* Owned */
} DiagData;

static void
diag_data_free (DiagData *data)
{
  cs_matrix_free (data->x);
  g_free (data);
}

static void
diag_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  DiagData *data = task_data;
  g_autoptr (CsProgress) progress = cs_progress_new (NULL, NULL, cancellable);
  GError   *error = NULL;
  CsKdeDiagOptions options;
  CsKdeDiagnostics *diag;

  /* Standardised whatever the clustering's scaling: one wide column (wine's proline) would
   * otherwise set every distance, and the regimes are about all d dimensions. */
  for (gsize j = 0; j < data->x->cols; j++)
    {
      double mean = 0.0;
      double var = 0.0;
      for (gsize i = 0; i < data->x->rows; i++)
        mean += cs_matrix_get (data->x, i, j);
      mean /= (double) data->x->rows;
      for (gsize i = 0; i < data->x->rows; i++)
        var += (cs_matrix_get (data->x, i, j) - mean) * (cs_matrix_get (data->x, i, j) - mean);
      var /= (double) data->x->rows;
      for (gsize i = 0; i < data->x->rows; i++)
        cs_matrix_row (data->x, i)[j] = var > 0.0 ? (cs_matrix_get (data->x, i, j) - mean) / sqrt (var) : 0.0;
    }
  cs_kde_diag_options_init (&options);
  diag = cs_kde_diagnostics_run (data->x, &options, progress, &error);
  if (diag == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, diag, (GDestroyNotify)cs_kde_diagnostics_unref);
}

void
cs_i_window_diagnostics_cancel (CsWindow *self)
{
  if (self->diag_cancellable != NULL)
    g_cancellable_cancel (self->diag_cancellable);
  g_clear_object (&self->diag_cancellable);
}

static double
diag_current_h (CsWindow *self)
{
  return pow (10.0, gtk_range_get_value (GTK_RANGE (self->diag_h_scale)));
}

/* Redraws with the slider's h and says which regime it is in. */
static void
diag_show (CsWindow *self)
{
  g_autoptr (CsDiagnosticsModel) model = NULL;
  g_autofree char *text = NULL;
  CsKdeDiagnostics *d = self->diag;
  double h;

  if (d == NULL)
    return;
  h = diag_current_h (self);
  model = cs_diagnostics_model_new (d, h);
  text = g_strdup_printf ("h = %.3g is in the %s regime · n_eff ≈ %.3g points · likelihood-optimal h = %.3g",
                          h, cs_kde_regime_name (cs_kde_diagnostics_regime (d, h)),
                          cs_kde_diagnostics_n_eff_at (d, h), d->h_opt);
  gtk_label_set_text (GTK_LABEL (self->diag_status_label), text);
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->diag_view), cs_render_diagnostics, model,
                             (GBoxedCopyFunc)cs_diagnostics_model_ref,
                             (GDestroyNotify)cs_diagnostics_model_unref);
}

static void
diag_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  CsWindow     *self = CS_WINDOW (source);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (res));
  g_autoptr (GError) error = NULL;
  CsKdeDiagnostics *diag = g_task_propagate_pointer (G_TASK (res), &error);
  GtkAdjustment    *adj;

  if (self->disposed || cancellable != self->diag_cancellable)
    {
      g_clear_pointer (&diag, cs_kde_diagnostics_unref);
      return;
    }
  g_clear_object (&self->diag_cancellable);
  gtk_spinner_set_spinning (GTK_SPINNER (self->diag_spinner), FALSE);
  if (diag == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->diag_status_label), error->message);
      return;
    }
  g_clear_pointer (&self->diag, cs_kde_diagnostics_unref);
  self->diag = diag;
  /* The slider spans the computed grid in log10 h and starts at the likelihood optimum. */
  adj = gtk_range_get_adjustment (GTK_RANGE (self->diag_h_scale));
  g_signal_handlers_block_by_func (self->diag_h_scale, diag_show, self);
  gtk_adjustment_configure (adj, log10 (diag->h_opt), log10 (diag->h[0]), log10 (diag->h[diag->n_h - 1]),
                            (log10 (diag->h[diag->n_h - 1]) - log10 (diag->h[0])) / 200.0,
                            (log10 (diag->h[diag->n_h - 1]) - log10 (diag->h[0])) / 20.0, 0.0);
  g_signal_handlers_unblock_by_func (self->diag_h_scale, diag_show, self);
  diag_show (self);
}

static void
diag_recompute (CsWindow *self)
{
  DiagData *data;
  g_autoptr (GTask) task = NULL;

  cs_i_window_diagnostics_cancel (self);
  if (self->diag_source == NULL || self->disposed)
    return;

  self->diag_stale = FALSE;
  self->diag_cancellable = g_cancellable_new ();
  data = g_new0 (DiagData, 1);
  data->x = cs_matrix_copy (self->diag_source);

  gtk_spinner_set_spinning (GTK_SPINNER (self->diag_spinner), TRUE);
  gtk_label_set_text (GTK_LABEL (self->diag_status_label), "Computing leave-one-out likelihoods…");
  task = g_task_new (self, self->diag_cancellable, diag_done, NULL);
  g_task_set_source_tag (task, diag_recompute);
  g_task_set_task_data (task, data, (GDestroyNotify)diag_data_free);
  g_task_run_in_thread (task, diag_thread);
}

void
cs_i_window_diagnostics_view_shown (CsWindow *self)
{
  GtkWidget *page = gtk_widget_get_parent (self->diag_view);

  if (gtk_stack_get_visible_child (GTK_STACK (self->view_stack)) == page && self->diag_stale)
    diag_recompute (self);
}

/* The page is offered for d > 2, and recomputed only if the matrix changed. */
void
cs_i_window_diagnostics_result_changed (CsWindow *self)
{
  const CsPipelineResult *r = self->result != NULL ? self->result->pipeline : NULL;
  const CsMatrix         *x = r != NULL && r->prep != NULL ? r->prep->x : NULL;
  GtkStack               *stack = GTK_STACK (self->view_stack);
  gboolean                have = x != NULL && x->cols > 2 && x->rows >= 3;

  gtk_stack_page_set_visible (gtk_stack_get_page (stack, gtk_widget_get_parent (self->diag_view)), have);
  if (!have)
    {
      cs_i_window_diagnostics_cancel (self);
      g_clear_pointer (&self->diag_source, cs_matrix_free);
      return;
    }
  if (self->diag_source != NULL && self->diag_source->rows == x->rows && self->diag_source->cols == x->cols
      && memcmp (self->diag_source->data, x->data, x->rows * x->cols * sizeof (double)) == 0)
    return;
  g_clear_pointer (&self->diag_source, cs_matrix_free);
  self->diag_source = cs_matrix_copy (x);
  self->diag_stale = TRUE;
  cs_i_window_diagnostics_view_shown (self);
}

void
cs_i_window_diagnostics_setup (CsWindow *self)
{
  g_signal_connect_swapped (self->diag_h_scale, "value-changed", G_CALLBACK (diag_show), self);
}

void
cs_i_window_diagnostics_finalize (CsWindow *self)
{
  g_clear_pointer (&self->diag, cs_kde_diagnostics_unref);
  g_clear_pointer (&self->diag_source, cs_matrix_free);
}
