#include "ui/pages/cs-privacy-page.h"

#include <math.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-worker.h"
#include "ui/render/cs-render-privacy.h"

/* The privacy page: differentially private similarity sums of the plotted points beside the
 * exact ones (core/density/cs-dp-kernel.h), and classification by average private similarity when the
 * dataset has labels. Computed on a worker when the page is shown or ε / δ change; a newer
 * request cancels the older one. */

#define PRIVACY_MAX_ROWS 20000
#define PRIVACY_GRID     64

static const double privacy_deltas[] = { 1e-3, 1e-4, 1e-5, 1e-6, 1e-8 };
static const double privacy_curve_epsilons[] = { 0.1, 0.2, 0.5, 1, 2, 5, 10 };

struct _CsPrivacyPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *privacy_view;
  GtkWidget *privacy_epsilon_spin;
  GtkWidget *privacy_delta_dropdown;
  GtkWidget *privacy_spinner;
  GtkWidget *privacy_status_label;

  /* Owned */
  CsWorker  *worker;
  CsDataset *dataset; /* may be NULL */

  /* Borrowed until the next set_points */
  const CsPlotModel *scatter;
  gboolean           stale; /* the points changed since the page was drawn */
};

static void cs_privacy_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsPrivacyPage, cs_privacy_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_privacy_page_iface_init))

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

static gpointer
privacy_compute (gpointer input, CsProgress *progress, GError **error_out)
{
  PrivacyData *data = input;
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
      g_set_error_literal (error_out, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "No plotted points to compare");
      return NULL;
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
      g_propagate_error (error_out, error);
      return NULL;
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
              g_propagate_error (error_out, error);
              return NULL;
            }
          else
            g_clear_error (&error);
        }
    }
  return g_steal_pointer (&model);
}

static void
privacy_done (gpointer result, const GError *error, gpointer user_data)
{
  CsPrivacyPage *self = user_data;
  g_autoptr (CsPrivacyModel) model = result;

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

static void
cancel (CsPage *page)
{
  CsPrivacyPage *self = CS_PRIVACY_PAGE (page);

  cs_worker_drop (self->worker);
  gtk_spinner_set_spinning (GTK_SPINNER (self->privacy_spinner), FALSE);
}

static void
privacy_recompute (CsPrivacyPage *self)
{
  const CsPlotModel *m = self->scatter;
  guint              di = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->privacy_delta_dropdown));
  PrivacyData       *data;

  if (m == NULL || self->dataset == NULL)
    {
      cancel (CS_PAGE (self));
      return;
    }

  self->stale = FALSE;
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
  cs_worker_run (self->worker, privacy_compute, data, (GDestroyNotify)privacy_data_free,
                 (GDestroyNotify)cs_privacy_model_unref, privacy_done, self);
}

static void
shown (CsPage *page)
{
  CsPrivacyPage *self = CS_PRIVACY_PAGE (page);

  if (cs_page_is_visible (page) && self->stale)
    privacy_recompute (self);
}

static void
set_dataset (CsPage *page, CsDataset *dataset)
{
  CsPrivacyPage *self = CS_PRIVACY_PAGE (page);

  g_clear_pointer (&self->dataset, cs_dataset_unref);
  self->dataset = dataset != NULL ? cs_dataset_ref (dataset) : NULL;
  self->stale = TRUE;
}

static void
set_points (CsPage *page, const CsPlotModel *scatter)
{
  CsPrivacyPage *self = CS_PRIVACY_PAGE (page);

  self->scatter = scatter;
  self->stale = TRUE;
  if (scatter == NULL)
    {
      cancel (page);
      return;
    }
  shown (page);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  CsPrivacyPage *self = CS_PRIVACY_PAGE (page);

  if (self->scatter != NULL && self->dataset != NULL)
    return TRUE;
  *why_not = g_strdup ("Open a dataset to compare private and exact similarity surfaces of its points");
  return FALSE;
}

static void
cs_privacy_page_iface_init (CsPageInterface *iface)
{
  iface->name = "privacy";
  iface->title = "Privacy";
  iface->group = CS_PAGE_GROUP_DENSITY;
  iface->set_dataset = set_dataset;
  iface->set_points = set_points;
  iface->shown = shown;
  iface->cancel = cancel;
  iface->applies = applies;
}

static void
cs_privacy_page_dispose (GObject *object)
{
  CsPrivacyPage *self = CS_PRIVACY_PAGE (object);

  if (self->worker != NULL)
    cs_worker_drop (self->worker);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->dataset, cs_dataset_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_PRIVACY_PAGE);
  /* The template's root box is not a bound child: dispose_template leaves it. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (cs_privacy_page_parent_class)->dispose (object);
}

static void
cs_privacy_page_class_init (CsPrivacyPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_privacy_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-privacy-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsPrivacyPage, privacy_view);
  gtk_widget_class_bind_template_child (widget_class, CsPrivacyPage, privacy_epsilon_spin);
  gtk_widget_class_bind_template_child (widget_class, CsPrivacyPage, privacy_delta_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CsPrivacyPage, privacy_spinner);
  gtk_widget_class_bind_template_child (widget_class, CsPrivacyPage, privacy_status_label);
}

static void
cs_privacy_page_init (CsPrivacyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->worker = cs_worker_new (CS_WORKER_REPLACE);
  g_signal_connect_swapped (self->privacy_epsilon_spin, "value-changed", G_CALLBACK (privacy_recompute), self);
  g_signal_connect_swapped (self->privacy_delta_dropdown, "notify::selected", G_CALLBACK (privacy_recompute),
                            self);
}
