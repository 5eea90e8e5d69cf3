#include "ui/pages/cs-diagnostics-page.h"

#include <math.h>
#include <string.h>

#include "ui/cs-figure-view.h"
#include "ui/cs-worker.h"
#include "ui/render/cs-render-diagnostics.h"

/* The diagnostics page: how an isotropic Gaussian KDE of the clustered matrix behaves as
 * the bandwidth shrinks (core/density/cs-kde-diagnostics.h). Offered when that matrix has d > 2;
 * computed on a worker the first time the page is shown after the data changed. The
 * slider only moves the "current h" marker, so it never recomputes. */

struct _CsDiagnosticsPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *diag_view;
  GtkWidget *diag_h_scale;
  GtkWidget *diag_spinner;
  GtkWidget *diag_status_label;

  /* Owned */
  CsWorker         *worker;
  CsMatrix         *source; /* may be NULL: the clustered matrix, when d > 2 */
  CsKdeDiagnostics *diag;   /* may be NULL: what the page shows */
  gboolean          stale;  /* source changed since the page was computed */
  gboolean          have_result;
};

static void cs_diagnostics_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsDiagnosticsPage, cs_diagnostics_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_diagnostics_page_iface_init))

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

static gpointer
diag_compute (gpointer input, CsProgress *progress, GError **error)
{
  DiagData *data = input;
  CsKdeDiagOptions options;

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
  return cs_kde_diagnostics_run (data->x, &options, progress, error);
}

static double
diag_current_h (CsDiagnosticsPage *self)
{
  return pow (10.0, gtk_range_get_value (GTK_RANGE (self->diag_h_scale)));
}

/* Redraws with the slider's h and says which regime it is in. */
static void
diag_show (CsDiagnosticsPage *self)
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
diag_done (gpointer result, const GError *error, gpointer user_data)
{
  CsDiagnosticsPage *self = user_data;
  CsKdeDiagnostics  *diag = result;
  GtkAdjustment     *adj;

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
diag_recompute (CsDiagnosticsPage *self)
{
  DiagData *data;

  cs_worker_drop (self->worker);
  if (self->source == NULL)
    return;

  self->stale = FALSE;
  data = g_new0 (DiagData, 1);
  data->x = cs_matrix_copy (self->source);

  gtk_spinner_set_spinning (GTK_SPINNER (self->diag_spinner), TRUE);
  gtk_label_set_text (GTK_LABEL (self->diag_status_label), "Computing leave-one-out likelihoods…");
  cs_worker_run (self->worker, diag_compute, data, (GDestroyNotify)diag_data_free,
                 (GDestroyNotify)cs_kde_diagnostics_unref, diag_done, self);
}

static void
cancel (CsPage *page)
{
  CsDiagnosticsPage *self = CS_DIAGNOSTICS_PAGE (page);

  cs_worker_drop (self->worker);
  gtk_spinner_set_spinning (GTK_SPINNER (self->diag_spinner), FALSE);
}

static void
shown (CsPage *page)
{
  CsDiagnosticsPage *self = CS_DIAGNOSTICS_PAGE (page);

  if (cs_page_is_visible (page) && self->stale)
    diag_recompute (self);
}

/* The page is offered for d > 2, and recomputed only if the matrix changed. */
static void
set_result (CsPage *page, CsPageResult *result)
{
  CsDiagnosticsPage      *self = CS_DIAGNOSTICS_PAGE (page);
  const CsPipelineResult *r = result != NULL ? result->pipeline : NULL;
  const CsMatrix         *x = r != NULL && r->prep != NULL ? r->prep->x : NULL;
  gboolean                have = x != NULL && x->cols > 2 && x->rows >= 3;

  self->have_result = r != NULL;
  if (!have)
    {
      cancel (page);
      g_clear_pointer (&self->source, cs_matrix_free);
      return;
    }
  if (self->source != NULL && self->source->rows == x->rows && self->source->cols == x->cols
      && memcmp (self->source->data, x->data, x->rows * x->cols * sizeof (double)) == 0)
    return;
  g_clear_pointer (&self->source, cs_matrix_free);
  self->source = cs_matrix_copy (x);
  self->stale = TRUE;
  shown (page);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  CsDiagnosticsPage *self = CS_DIAGNOSTICS_PAGE (page);

  if (self->source != NULL)
    return TRUE;
  *why_not = g_strdup (self->have_result ? "Only for data with more than two clustered columns"
                                         : "Run a clustering on more than two columns to see how a KDE "
                                           "of them behaves");
  return FALSE;
}

static void
cs_diagnostics_page_iface_init (CsPageInterface *iface)
{
  iface->name = "diagnostics";
  iface->title = "Diagnostics";
  iface->group = CS_PAGE_GROUP_DENSITY;
  iface->set_result = set_result;
  iface->shown = shown;
  iface->cancel = cancel;
  iface->applies = applies;
}

static void
cs_diagnostics_page_dispose (GObject *object)
{
  CsDiagnosticsPage *self = CS_DIAGNOSTICS_PAGE (object);

  if (self->worker != NULL)
    cs_worker_drop (self->worker);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->diag, cs_kde_diagnostics_unref);
  g_clear_pointer (&self->source, cs_matrix_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_DIAGNOSTICS_PAGE);
  /* The template's root box is not a bound child: dispose_template leaves it. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (cs_diagnostics_page_parent_class)->dispose (object);
}

static void
cs_diagnostics_page_class_init (CsDiagnosticsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_diagnostics_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-diagnostics-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsDiagnosticsPage, diag_view);
  gtk_widget_class_bind_template_child (widget_class, CsDiagnosticsPage, diag_h_scale);
  gtk_widget_class_bind_template_child (widget_class, CsDiagnosticsPage, diag_spinner);
  gtk_widget_class_bind_template_child (widget_class, CsDiagnosticsPage, diag_status_label);
}

static void
cs_diagnostics_page_init (CsDiagnosticsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->worker = cs_worker_new (CS_WORKER_REPLACE);
  g_signal_connect_swapped (self->diag_h_scale, "value-changed", G_CALLBACK (diag_show), self);
}
