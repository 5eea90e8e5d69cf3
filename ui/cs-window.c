#include "ui/cs-window-private.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/cluster/cs-registry.h"
#include "core/data/cs-samples.h"
#include "core/data/cs-toy.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-recent.h"
#include "ui/widgets/cs-column-chooser.h"
#include "cs-resources.h"
#include "ui/render/cs-render-views.h"

#define N_RECENT 5
#define SILHOUETTE_MAX 5000
/* Every recorded trace step copies the labels of all rows: the convergence chart gets at
 * most this many bytes of them (and at most TRACE_MAX_STEPS steps). */
#define TRACE_BUDGET    (64u << 20)
#define TRACE_MAX_STEPS 10000

G_DEFINE_FINAL_TYPE (CsWindow, cs_window, GTK_TYPE_APPLICATION_WINDOW)

CsWindowResult *
cs_i_window_result_new (CsPipelineResult *pipeline)
{
  CsWindowResult *r = g_rc_box_new0 (CsWindowResult);

  r->pipeline = pipeline;
  return r;
}

static void
result_clear (gpointer data)
{
  CsWindowResult *r = data;

  g_clear_pointer (&r->pipeline, cs_pipeline_result_free);
}

CsWindowResult *
cs_i_window_result_ref (CsWindowResult *r)
{
  return g_rc_box_acquire (r);
}

void
cs_i_window_result_unref (CsWindowResult *r)
{
  g_rc_box_release_full (r, result_clear);
}

/* Status, errors, busy state */

void
cs_i_window_set_status (CsWindow *self, const char *text)
{
  g_free (self->status_text);
  self->status_text = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (self->status_label), text);
}

void
cs_i_window_show_error (CsWindow *self, const char *message)
{
  g_free (self->error_text);
  self->error_text = g_strdup (message);
  gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), TRUE);
}

static void
hide_error (CsWindow *self)
{
  g_clear_pointer (&self->error_text, g_free);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), FALSE);
}

static gboolean
is_loading (CsWindow *self)
{
  return self->load_cancellable != NULL;
}

gboolean
cs_window_is_busy (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), FALSE);

  return self->job != NULL || is_loading (self) || self->model_cancellable != NULL || self->n_writes > 0
         || self->distances_cancellable != NULL;
}

void
cs_i_window_set_progress (CsWindow *self, double fraction, const char *text)
{
  if (fraction < 0)
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->progress_bar));
  else
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), CLAMP (fraction, 0.0, 1.0));
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), text);
}

void
cs_i_window_update_actions (CsWindow *self)
{
  gboolean           running = self->job != NULL;
  gboolean           busy = running || is_loading (self) || self->distances_cancellable != NULL;
  const CsPlotModel *model = cs_plot_view_get_model (CS_PLOT_VIEW (self->plot_view));
  gboolean           have_result = self->result != NULL;
  gboolean           distances_fit;
  GAction           *action;

  if (self->disposed)
    return;
  distances_fit = cs_i_window_distances_sync (self);

#define ENABLE(name, cond)                                                                                   \
  action = g_action_map_lookup_action (G_ACTION_MAP (self), name);                                           \
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), (cond));

  ENABLE ("run", self->dataset != NULL && !busy && distances_fit
                     && cs_params_panel_get_algorithm (CS_PARAMS_PANEL (self->params_panel)) != NULL);
  ENABLE ("cancel", busy);
  ENABLE ("open-distances", self->dataset != NULL && !is_loading (self));
  ENABLE ("open-distances-path", self->dataset != NULL && !is_loading (self));
  ENABLE ("open-labels", self->dataset != NULL && !is_loading (self));
  ENABLE ("open-labels-path", self->dataset != NULL && !is_loading (self));
  ENABLE ("clear-distances", self->distances != NULL);
  ENABLE ("export", model != NULL);
  ENABLE ("export-to", model != NULL);
  ENABLE ("export-labels", have_result);
  ENABLE ("export-labels-to", have_result);
  ENABLE ("export-results", have_result);
  ENABLE ("export-results-to", have_result);
  ENABLE ("export-saliency", self->saliency != NULL);
  ENABLE ("export-saliency-to", self->saliency != NULL);
  ENABLE ("reset-zoom", model != NULL);
#undef ENABLE

  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_set_visible (self->run_button, !running);
  gtk_widget_set_sensitive (self->x_dropdown, self->dataset != NULL);
  gtk_widget_set_sensitive (self->y_dropdown, self->dataset != NULL);
}

/* Sidebar: dataset, columns, axes */

/* The dataset columns the user has chosen, in dataset order. */
static GArray *
chosen_columns (CsWindow *self)
{
  return cs_column_chooser_get_chosen (CS_COLUMN_CHOOSER (self->columns_list));
}

static void
remove_all_rows (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

static void
axis_selection (CsWindow *self, int *x_column, int *y_column)
{
  guint xi = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->x_dropdown));
  guint yi = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->y_dropdown));

  *x_column = -1;
  *y_column = -1;
  if (self->axis_columns == NULL || xi >= self->axis_columns->len || yi >= self->axis_columns->len)
    return;
  *x_column = g_array_index (self->axis_columns, int, xi);
  *y_column = g_array_index (self->axis_columns, int, yi);
  /* The model builder projects both axes or neither. */
  if (*x_column < 0 || *y_column < 0)
    *x_column = *y_column = -1;
}

static void
fill_prepare_options (CsWindow *self, CsPrepareOptions *prepare)
{
  cs_prepare_options_init (prepare);
  switch (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->scaling_dropdown)))
    {
    case 1:
      prepare->scaling = CS_SCALE_STANDARDIZE;
      break;
    case 2:
      prepare->scaling = CS_SCALE_MINMAX;
      break;
    default:
      prepare->scaling = CS_SCALE_NONE;
      break;
    }
  prepare->missing = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->missing_dropdown)) == 1
                         ? CS_MISSING_MEAN
                         : CS_MISSING_DROP;
}

void
cs_i_window_fill_prepare (CsWindow *self, CsPrepareOptions *prepare, GArray *columns)
{
  g_autoptr (GArray) chosen = chosen_columns (self);

  g_array_set_size (columns, 0);
  g_array_append_vals (columns, chosen->data, chosen->len);
  fill_prepare_options (self, prepare);
  prepare->columns = (const int *)(gpointer)columns->data;
  prepare->n_columns = columns->len;
}

/* Rebuilding the scatter model on a worker (axes or columns changed) */

typedef struct
{
  CsDataset       *dataset; /* Owned */
  CsWindowResult  *result;  /* Owned, may be NULL: then the raw points are shown */
  GArray          *columns; /* Owned */
  CsPrepareOptions prepare;
  int              x_column;
  int              y_column;
} ModelData;

static void
model_data_free (ModelData *data)
{
  g_clear_pointer (&data->dataset, cs_dataset_unref);
  g_clear_pointer (&data->result, cs_i_window_result_unref);
  g_clear_pointer (&data->columns, g_array_unref);
  g_free (data);
}

static CsPlotModel *
build_preview (
    const CsDataset *ds, const CsPrepareOptions *prepare, int x_column, int y_column, GError **error)
{
  g_autoptr (CsPrepared) prep = NULL;

  if (prepare->columns != NULL && prepare->n_columns == 0)
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "No columns are chosen; open the column list under Dataset and choose at least one");
      return NULL;
    }
  prep = cs_dataset_prepare (ds, prepare, error);
  if (prep == NULL)
    return NULL;
  return cs_plot_model_build_scatter (ds, prep, NULL, x_column, y_column, error);
}

static void
model_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  ModelData   *data = task_data;
  CsPlotModel *model;
  GError      *error = NULL;

  if (data->result != NULL)
    model = cs_plot_model_build_scatter (data->dataset, data->result->pipeline->prep,
                                         data->result->pipeline->clustering, data->x_column, data->y_column,
                                         &error);
  else
    model = build_preview (data->dataset, &data->prepare, data->x_column, data->y_column, &error);

  if (model == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, model, (GDestroyNotify)cs_plot_model_free);
}

static gboolean
same_points (const CsPlotModel *a, const CsPlotModel *b)
{
  if (a == NULL || b == NULL || a->n != b->n)
    return FALSE;
  if (a->rows != NULL && b->rows != NULL)
    return memcmp (a->rows, b->rows, a->n * sizeof (gsize)) == 0;
  return a->rows == NULL && b->rows == NULL;
}

static gboolean
links_enabled (CsWindow *self)
{
  g_autoptr (GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self), "medoid-links");

  return state != NULL && g_variant_get_boolean (state);
}

static void
show_model (CsWindow *self, CsPlotModel *model)
{
  const CsPlotModel *previous = cs_plot_view_get_model (CS_PLOT_VIEW (self->plot_view));

  model->show_medoid_links = links_enabled (self);

  if (model->labels != NULL && previous != NULL && previous->labels != NULL && same_points (model, previous))
    cs_plot_model_match_colors (model, previous);
  cs_plot_view_set_model (CS_PLOT_VIEW (self->plot_view), model, self->dataset);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "plot");
  cs_i_window_privacy_points_changed (self);
  cs_i_window_density_points_changed (self);
}

/* Views of the current result beside the scatter plot: silhouette, convergence, images,
 * choose k. Their models are small and built here once per result; pages without one are
 * hidden, so the switcher only offers what this result can show. */

void
cs_i_window_set_figure (
    GtkWidget *view, CsRenderFunc func, gpointer model, GBoxedCopyFunc ref, GDestroyNotify unref)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_parent (view));

  cs_figure_view_set_figure (CS_FIGURE_VIEW (view), func, model, ref, unref);
  gtk_stack_page_set_visible (gtk_stack_get_page (stack, view), model != NULL);
}

static gboolean
result_has_medoids (CsWindow *self)
{
  return self->result != NULL && self->result->pipeline->clustering->medoids != NULL;
}

static void
update_links_button (CsWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (GTK_STACK (self->view_stack));

  gtk_widget_set_visible (self->links_button, result_has_medoids (self) && g_strcmp0 (page, "scatter") == 0);
}

static void
update_views (CsWindow *self)
{
  const CsPipelineResult *r = self->result != NULL ? self->result->pipeline : NULL;
  const CsPlotModel      *scatter = cs_plot_view_get_model (CS_PLOT_VIEW (self->plot_view));
  GtkStack               *stack = GTK_STACK (self->view_stack);
  const int              *slots = NULL;
  GtkWidget              *visible;
  g_autoptr (CsSilhouetteModel) sil = NULL;
  g_autoptr (CsChartModel) convergence = NULL;
  g_autoptr (CsChartModel) choose_k = NULL;
  g_autoptr (CsImagesModel) images = NULL;

  if (r != NULL)
    {
      const CsClustering *c = r->clustering;

      /* The scatter plot's colours, matched to the previous run, are the ones to repeat. */
      if (scatter != NULL && scatter->labels != NULL && scatter->k == c->k)
        slots = scatter->color_slot;

      /* For the methods that optimise it, the medoid silhouette is the one to show; runs on a
       * distance matrix are scored on the matrix only, so it is the only one they have. */
      if (r->medoid_silhouette_values != NULL
          && (g_strcmp0 (c->objective_name, "medoid silhouette") == 0 || r->silhouette_values == NULL))
        {
          sil = cs_silhouette_model_new (c->n, r->medoid_silhouette_values, c->labels, c->k, slots);
          sil->title
              = g_strdup ("Medoid silhouette per point (1 − nearest / second-nearest medoid distance)");
        }
      else if (r->silhouette_values != NULL)
        {
          sil = cs_silhouette_model_new (c->n, r->silhouette_values, c->labels, c->k, slots);
          sil->sampled = r->silhouette_sampled;
          if (r->silhouette_sampled)
            {
              g_autofree char *count = cs_format_count (sil->n);
              sil->title = g_strdup_printf ("Silhouette per point (a sample of %s rows)", count);
            }
          else
            sil->title = g_strdup ("Silhouette per point");
        }

      convergence = cs_chart_model_new_convergence (r->trace, c->objective_name);
      /* One step is a dot, not a curve. */
      if (convergence != NULL && convergence->n < 2)
        g_clear_pointer (&convergence, cs_chart_model_unref);
      /* DynMSC's steps also remove medoids on its way down in k: those are not swaps. */
      if (convergence != NULL && c->medoids != NULL && c->score_by_k == NULL)
        {
          g_free (convergence->x_label);
          convergence->x_label = g_strdup ("Swap");
          g_free (convergence->title);
          convergence->title = g_strdup_printf ("%s after each swap", convergence->y_label);
        }
      else if (convergence != NULL && c->medoids == NULL)
        {
          g_free (convergence->x_label);
          convergence->x_label = g_strdup ("Iteration");
        }

      choose_k = cs_chart_model_new_choose_k (c);
      if (self->dataset != NULL)
        images = cs_images_model_build (self->dataset, r->prep, c, slots);
    }

  cs_i_window_set_figure (self->silhouette_view, cs_render_silhouette, sil,
                          (GBoxedCopyFunc)cs_silhouette_model_ref, (GDestroyNotify)cs_silhouette_model_unref);
  cs_i_window_set_figure (self->convergence_view, cs_render_trace, convergence,
                          (GBoxedCopyFunc)cs_chart_model_ref, (GDestroyNotify)cs_chart_model_unref);
  cs_i_window_set_figure (self->choose_k_view, cs_render_trace, choose_k, (GBoxedCopyFunc)cs_chart_model_ref,
                          (GDestroyNotify)cs_chart_model_unref);
  cs_i_window_set_figure (self->images_view, cs_render_images, images, (GBoxedCopyFunc)cs_images_model_ref,
                          (GDestroyNotify)cs_images_model_unref);
  gtk_stack_page_set_title (gtk_stack_get_page (stack, self->images_view),
                            result_has_medoids (self) ? "Medoids" : "Means");

  cs_i_window_diagnostics_result_changed (self);
  cs_i_window_saliency_result_changed (self);

  visible = gtk_stack_get_visible_child (stack);
  if (visible == NULL || !gtk_stack_page_get_visible (gtk_stack_get_page (stack, visible)))
    gtk_stack_set_visible_child_name (stack, "scatter");
  /* The privacy page needs only the points, so the bar shows once there are any. */
  gtk_widget_set_visible (self->view_bar,
                          r != NULL || cs_plot_view_get_model (CS_PLOT_VIEW (self->plot_view)) != NULL);
  update_links_button (self);
}

static void
view_changed_cb (GtkStack *stack, GParamSpec *pspec, CsWindow *self)
{
  update_links_button (self);
  cs_i_window_privacy_view_shown (self);
  cs_i_window_density_view_shown (self);
  cs_i_window_diagnostics_view_shown (self);
  cs_i_window_saliency_view_shown (self);
}

static void
show_view_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow   *self = user_data;
  const char *name = g_variant_get_string (parameter, NULL);
  GtkWidget  *child = gtk_stack_get_child_by_name (GTK_STACK (self->view_stack), name);

  /* A view this result cannot show stays hidden, as its switcher button is. */
  if (child != NULL && gtk_stack_page_get_visible (gtk_stack_get_page (GTK_STACK (self->view_stack), child)))
    gtk_stack_set_visible_child (GTK_STACK (self->view_stack), child);
}

static void
medoid_links_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  CsWindow          *self = user_data;
  const CsPlotModel *model = cs_plot_view_get_model (CS_PLOT_VIEW (self->plot_view));

  g_simple_action_set_state (action, value);
  /* The flag is view state, like the zoom the plot view keeps in the same model; nothing
   * the view caches depends on it, so a redraw is all it takes. */
  if (model != NULL)
    {
      ((CsPlotModel *)model)->show_medoid_links = g_variant_get_boolean (value);
      gtk_widget_queue_draw (self->plot_view);
    }
}

const char *
cs_window_get_view (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (GTK_STACK (self->view_stack));
}

static void
model_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  CsWindow     *self = CS_WINDOW (source);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (res));
  g_autoptr (GError) error = NULL;
  CsPlotModel *model = g_task_propagate_pointer (G_TASK (res), &error);

  if (self->disposed || cancellable != self->model_cancellable)
    {
      g_clear_pointer (&model, cs_plot_model_free);
      return;
    }
  g_clear_object (&self->model_cancellable);

  if (model == NULL)
    cs_i_window_show_error (self, error->message);
  else
    show_model (self, model);
  cs_i_window_update_actions (self);
}

static void
rebuild_model (CsWindow *self)
{
  ModelData *data;
  g_autoptr (GTask) task = NULL;

  if (self->dataset == NULL || is_loading (self))
    return;

  if (self->model_cancellable != NULL)
    g_cancellable_cancel (self->model_cancellable);
  g_clear_object (&self->model_cancellable);
  self->model_cancellable = g_cancellable_new ();

  data = g_new0 (ModelData, 1);
  data->dataset = cs_dataset_ref (self->dataset);
  data->result = self->result != NULL ? cs_i_window_result_ref (self->result) : NULL;
  data->columns = chosen_columns (self);
  fill_prepare_options (self, &data->prepare);
  data->prepare.columns = (const int *)(gpointer)data->columns->data;
  data->prepare.n_columns = data->columns->len;
  axis_selection (self, &data->x_column, &data->y_column);

  task = g_task_new (self, self->model_cancellable, model_done, NULL);
  g_task_set_source_tag (task, rebuild_model);
  g_task_set_task_data (task, data, (GDestroyNotify)model_data_free);
  g_task_run_in_thread (task, model_thread);
  cs_i_window_update_actions (self);
}

static void
axis_changed_cb (GtkDropDown *dropdown, GParamSpec *pspec, CsWindow *self)
{
  GtkDropDown *other;
  guint        mine;
  guint        theirs;
  int          mine_col;
  int          their_col;

  if (self->syncing_axes || self->axis_columns == NULL || self->axis_columns->len == 0)
    return;

  other = GTK_DROP_DOWN (dropdown == GTK_DROP_DOWN (self->x_dropdown) ? self->y_dropdown : self->x_dropdown);
  mine = gtk_drop_down_get_selected (dropdown);
  theirs = gtk_drop_down_get_selected (other);
  if (mine >= self->axis_columns->len || theirs >= self->axis_columns->len)
    return;
  mine_col = g_array_index (self->axis_columns, int, mine);
  their_col = g_array_index (self->axis_columns, int, theirs);

  /* PCA gives both coordinates at once, so the two drop-downs move together between
   * "PCA" and "two columns". */
  self->syncing_axes = TRUE;
  if (mine_col < 0 && their_col >= 0)
    gtk_drop_down_set_selected (other, 0);
  else if (mine_col >= 0 && their_col < 0)
    {
      for (guint i = 1; i < self->axis_columns->len; i++)
        if (i != mine)
          {
            gtk_drop_down_set_selected (other, i);
            break;
          }
    }
  self->syncing_axes = FALSE;

  rebuild_model (self);
}

static void
columns_changed_cb (CsColumnChooser *chooser, CsWindow *self)
{
  /* A shown result stays until the next run; only the raw preview follows the columns. */
  if (self->result == NULL)
    rebuild_model (self);
}

static void
preprocessing_changed_cb (GtkDropDown *dropdown, GParamSpec *pspec, CsWindow *self)
{
  if (self->result == NULL)
    rebuild_model (self);
}

static void
show_dataset (CsWindow *self)
{
  CsDataset *ds = self->dataset;
  g_autoptr (GtkStringList) axes = gtk_string_list_new (NULL);
  g_autofree char *size = NULL;
  g_autofree char *title = NULL;
  g_autofree char *rows = cs_format_count (ds->n_rows);
  g_autofree char *n_columns = cs_format_count (cs_dataset_n_columns (ds));
  int              pca = -1;

  gtk_label_set_text (GTK_LABEL (self->dataset_name_label), ds->name);
  gtk_widget_set_tooltip_text (self->dataset_name_label, ds->name);
  size = g_strdup_printf ("%s %s × %s %s", rows, ds->n_rows == 1 ? "row" : "rows", n_columns,
                          cs_dataset_n_columns (ds) == 1 ? "column" : "columns");
  gtk_label_set_text (GTK_LABEL (self->dataset_size_label), size);

  title = g_strdup_printf ("%s — Clusterscope", ds->name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (GTK_LABEL (self->title_label), ds->name);
  gtk_label_set_text (GTK_LABEL (self->subtitle_label), ds->path != NULL ? ds->path : "Clusterscope");
  gtk_widget_set_visible (self->subtitle_label, TRUE);

  cs_column_chooser_set_dataset (CS_COLUMN_CHOOSER (self->columns_list), ds);
  gtk_widget_set_visible (self->columns_list, cs_dataset_n_columns (ds) > 0);

  if (ds->notices != NULL && ds->notices->len > 0)
    {
      GString *text = g_string_new (NULL);

      for (guint i = 0; i < ds->notices->len; i++)
        g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "",
                                (const char *)g_ptr_array_index (ds->notices, i));
      gtk_label_set_text (GTK_LABEL (self->notices_label), text->str);
      g_string_free (text, TRUE);
    }
  gtk_widget_set_visible (self->notices_label, ds->notices != NULL && ds->notices->len > 0);

  g_array_set_size (self->axis_columns, 0);
  gtk_string_list_append (axes, "PCA (automatic)");
  g_array_append_val (self->axis_columns, pca);
  for (gsize i = 0; i < cs_dataset_n_columns (ds); i++)
    if (cs_dataset_column (ds, i)->kind == CS_COLUMN_NUMERIC)
      {
        int c = (int)i;

        gtk_string_list_append (axes, cs_dataset_column (ds, i)->name);
        g_array_append_val (self->axis_columns, c);
      }
  /* Two numeric features besides the label: show them as they are, not rotated by PCA. */
  {
    guint x_item = 0, y_item = 0;
    int x_col, y_col;

    cs_dataset_default_axes (ds, NULL, 0, &x_col, &y_col);
    for (guint i = 1; i < self->axis_columns->len; i++)
      {
        if (g_array_index (self->axis_columns, int, i) == x_col)
          x_item = i;
        if (g_array_index (self->axis_columns, int, i) == y_col)
          y_item = i;
      }
    self->syncing_axes = TRUE;
    gtk_drop_down_set_model (GTK_DROP_DOWN (self->x_dropdown), G_LIST_MODEL (axes));
    gtk_drop_down_set_model (GTK_DROP_DOWN (self->y_dropdown), G_LIST_MODEL (axes));
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->x_dropdown), x_item);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->y_dropdown), y_item);
    self->syncing_axes = FALSE;
  }

  gtk_widget_set_visible (self->missing_info_label, FALSE);
}

/* Loading a dataset on a worker */

typedef enum
{
  SOURCE_FILE,
  SOURCE_SAMPLE,
  SOURCE_TOY,
} SourceKind;

typedef struct
{
  SourceKind       kind;
  char            *path; /* Owned: file path or sample id */
  CsToyKind        toy;
  gsize            n;
  guint            k;
  CsPrepareOptions prepare;
  CsWindow        *window;      /* Owned ref, for progress */
  GCancellable    *cancellable; /* Owned */
  CsDataset       *dataset;     /* Owned: out */
  CsPlotModel     *model;       /* Owned: out, NULL when the projection failed */
  GError          *model_error; /* Owned: why there is no model */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_clear_object (&data->window);
  g_clear_object (&data->cancellable);
  g_clear_pointer (&data->dataset, cs_dataset_unref);
  g_clear_pointer (&data->model, cs_plot_model_free);
  g_clear_error (&data->model_error);
  g_free (data);
}

typedef struct
{
  CsWindow     *window;      /* Owned */
  GCancellable *cancellable; /* Owned: which load or job this belongs to */
  CsJob        *job;         /* Owned, may be NULL */
  double        fraction;
  char         *stage;
} ProgressUpdate;

static gboolean
progress_update_idle (gpointer user_data)
{
  ProgressUpdate *up = user_data;
  CsWindow       *self = up->window;

  if (!self->disposed && up->cancellable == self->load_cancellable)
    {
      g_autofree char *text = g_strdup_printf ("%s — %.0f %%", up->stage, 100 * up->fraction);
      cs_i_window_set_progress (self, up->fraction, text);
    }
  g_object_unref (up->window);
  g_object_unref (up->cancellable);
  g_free (up->stage);
  g_free (up);
  return G_SOURCE_REMOVE;
}

/* Worker thread: hand the numbers to the main loop; never touch GTK here. */
static gboolean
load_progress_cb (double fraction, const char *stage, gpointer user_data)
{
  LoadData       *data = user_data;
  ProgressUpdate *up = g_new0 (ProgressUpdate, 1);

  up->window = g_object_ref (data->window);
  up->cancellable = g_object_ref (data->cancellable);
  up->fraction = fraction;
  up->stage = g_strdup (stage != NULL ? stage : "Loading");
  g_idle_add (progress_update_idle, up);
  return !g_cancellable_is_cancelled (data->cancellable);
}

static void
load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr (CsProgress) progress = cs_progress_new (load_progress_cb, data, cancellable);
  GError *error = NULL;

  switch (data->kind)
    {
    case SOURCE_FILE:
      data->dataset = cs_dataset_load_csv (data->path, NULL, progress, &error);
      break;
    case SOURCE_SAMPLE:
      data->dataset = cs_sample_load (data->path, &error);
      break;
    case SOURCE_TOY:
      {
        /* Noise in the units scikit-learn's gallery uses: cluster standard deviation for
         * blobs, jitter relative to a unit radius for moons and circles. */
        double noise = data->toy == CS_TOY_MOONS || data->toy == CS_TOY_CIRCLES ? 0.06
                       : data->toy == CS_TOY_UNIFORM                            ? 0.0
                                                                                : 1.0;
        data->dataset = cs_toy_generate (data->toy, data->n, data->k, noise, 42);
        if (data->dataset == NULL)
          g_set_error (&error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "Could not generate %s",
                       cs_toy_kind_id (data->toy));
      }
      break;
    default:
      g_assert_not_reached ();
    }

  if (data->dataset == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!cs_progress_report (progress, 1.0, "Projecting"))
    {
      g_task_return_new_error (task, CS_ERROR, CS_ERROR_CANCELLED, "Cancelled");
      return;
    }
  {
    int x_col, y_col;

    cs_dataset_default_axes (data->dataset, NULL, 0, &x_col, &y_col);
    data->model = build_preview (data->dataset, &data->prepare, x_col, y_col, &data->model_error);
  }
  g_task_return_boolean (task, TRUE);
}

static void
load_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  CsWindow     *self = CS_WINDOW (source);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (res));
  LoadData     *data = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  const char *page;

  if (self->disposed || cancellable != self->load_cancellable)
    return;
  g_clear_object (&self->load_cancellable);
  gtk_spinner_stop (GTK_SPINNER (self->loading_spinner));

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      page = self->dataset != NULL ? "plot" : "welcome";
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), page);
      if (g_error_matches (error, CS_ERROR, CS_ERROR_CANCELLED))
        {
          cs_i_window_set_progress (self, 0, "Cancelled");
          cs_i_window_set_status (self, "Cancelled");
        }
      else
        {
          cs_i_window_set_progress (self, 0, "Failed");
          cs_i_window_show_error (self, error->message);
          if (data->kind == SOURCE_FILE)
            cs_recent_forget (data->path);
        }
      cs_i_window_update_actions (self);
      return;
    }

  g_clear_pointer (&self->dataset, cs_dataset_unref);
  g_clear_pointer (&self->result, cs_i_window_result_unref);
  self->dataset = g_steal_pointer (&data->dataset);
  /* A matrix describes the old dataset's rows. */
  cs_i_window_distances_clear (self);
  update_views (self);
  show_dataset (self);
  if (self->dataset->path != NULL)
    cs_recent_add_loaded (self->dataset->path);
  hide_error (self);

  if (data->model != NULL)
    {
      /* A new dataset: nothing to match colours with. */
      cs_plot_view_set_model (CS_PLOT_VIEW (self->plot_view), NULL, NULL);
      show_model (self, g_steal_pointer (&data->model));
    }
  else
    {
      cs_plot_view_set_model (CS_PLOT_VIEW (self->plot_view), NULL, NULL);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "plot");
      cs_i_window_show_error (self, data->model_error->message);
    }

  {
    g_autofree char *count = cs_format_count (self->dataset->n_rows);
    g_autofree char *status = g_strdup_printf ("%s points — press Run to cluster", count);
    cs_i_window_set_status (self, status);
  }
  cs_i_window_set_progress (self, 0, "Ready");
  cs_i_window_update_actions (self);
}

static void
start_load (CsWindow *self, LoadData *data, const char *display_name)
{
  g_autoptr (GTask) task = NULL;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->job != NULL)
    {
      cs_job_cancel (self->job);
      g_clear_object (&self->job);
    }
  if (self->model_cancellable != NULL)
    g_cancellable_cancel (self->model_cancellable);
  g_clear_object (&self->model_cancellable);
  /* It was being checked against the rows about to be replaced. */
  cs_i_window_distances_cancel (self);

  self->load_cancellable = g_cancellable_new ();
  data->window = g_object_ref (self);
  data->cancellable = g_object_ref (self->load_cancellable);
  fill_prepare_options (self, &data->prepare);

  hide_error (self);
  {
    g_autofree char *text = g_strdup_printf ("Loading %s…", display_name);
    gtk_label_set_text (GTK_LABEL (self->loading_label), text);
    cs_i_window_set_progress (self, 0, text);
  }
  gtk_spinner_start (GTK_SPINNER (self->loading_spinner));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");

  task = g_task_new (self, self->load_cancellable, load_done, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, data, (GDestroyNotify)load_data_free);
  g_task_run_in_thread (task, load_thread);
  cs_i_window_update_actions (self);
}

void
cs_window_open_file (CsWindow *self, GFile *file)
{
  LoadData        *data;
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;

  g_return_if_fail (CS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  basename = g_file_get_basename (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *msg
          = g_strdup_printf ("%s is not a local file; copy it to this computer and open it again", uri);
      cs_i_window_show_error (self, msg);
      return;
    }
  data = g_new0 (LoadData, 1);
  data->kind = SOURCE_FILE;
  data->path = g_steal_pointer (&path);
  start_load (self, data, basename);
}

void
cs_window_open_sample (CsWindow *self, const char *sample_id)
{
  LoadData *data;

  g_return_if_fail (CS_IS_WINDOW (self));
  g_return_if_fail (sample_id != NULL);

  data = g_new0 (LoadData, 1);
  data->kind = SOURCE_SAMPLE;
  data->path = g_strdup (sample_id);
  start_load (self, data, sample_id);
}

void
cs_window_generate (CsWindow *self, const char *spec)
{
  g_auto (GStrv) parts = NULL;
  LoadData *data;
  CsToyKind kind;
  guint64   n = 1500;
  guint64   k = 3;

  g_return_if_fail (CS_IS_WINDOW (self));
  g_return_if_fail (spec != NULL);

  parts = g_strsplit (spec, ":", 3);
  if (parts[0] == NULL || !cs_toy_kind_from_id (parts[0], &kind))
    {
      g_autofree char *msg
          = g_strdup_printf ("There is no generated dataset called ‘%s’; try blobs, moons or circles", spec);
      cs_i_window_show_error (self, msg);
      return;
    }
  if ((parts[1] != NULL && !g_ascii_string_to_unsigned (parts[1], 10, 2, 100000000, &n, NULL))
      || (parts[1] != NULL && parts[2] != NULL
          && !g_ascii_string_to_unsigned (parts[2], 10, 1, 1000, &k, NULL)))
    {
      g_autofree char *msg = g_strdup_printf (
          "‘%s’ is not KIND[:ROWS[:CLUSTERS]] with 2 or more rows and 1 to 1000 clusters", spec);
      cs_i_window_show_error (self, msg);
      return;
    }

  data = g_new0 (LoadData, 1);
  data->kind = SOURCE_TOY;
  data->toy = kind;
  data->n = n;
  data->k = k;
  start_load (self, data, cs_toy_kind_title (kind));
}

/* Running the algorithm */

static char *
format_seconds (double s)
{
  if (s < 0.01)
    return g_strdup_printf ("%.1f ms", s * 1000);
  if (s < 1.0)
    return g_strdup_printf ("%.0f ms", s * 1000);
  if (s < 60.0)
    return g_strdup_printf ("%.2f s", s);
  return g_strdup_printf ("%.0f min %.0f s", floor (s / 60), fmod (s, 60));
}

static char *
format_result (const CsAlgorithm *algo, const CsPipelineResult *r)
{
  const CsClustering *c = r->clustering;
  GString            *s = g_string_new (NULL);
  g_autofree char    *secs = format_seconds (c->seconds);

  gboolean            from_labels = g_strcmp0 (c->algorithm, "labels") == 0;

  g_string_append_printf (s, "%s: %u clusters", from_labels ? "Labels from a file" : algo != NULL ? algo->name : c->algorithm,
                          c->k);
  if (c->objective_name != NULL && isfinite (c->objective))
    {
      /* Large objectives read better as grouped integers than as 4.00165e+06. */
      if (fabs (c->objective) >= 1e5 && fabs (c->objective) < 1e15)
        {
          g_autofree char *grouped = cs_format_count ((gsize)llround (fabs (c->objective)));
          g_string_append_printf (s, " · %s %s%s", c->objective_name, c->objective < 0 ? "-" : "", grouped);
        }
      else
        g_string_append_printf (s, " · %s %.6g", c->objective_name, c->objective);
    }
  if (!from_labels)
    {
      g_autofree char *n = cs_format_count (c->iterations);
      g_string_append_printf (s, " · %s %s%s", n, c->iterations == 1 ? "iteration" : "iterations",
                              c->converged ? "" : " (not converged)");
    }
  if (c->medoids != NULL)
    {
      g_autofree char *n = cs_format_count (c->swaps);
      g_string_append_printf (s, " · %s %s", n, c->swaps == 1 ? "swap" : "swaps");
    }
  g_string_append_printf (s, " · %s", secs);
  if (isfinite (r->silhouette))
    g_string_append_printf (s, " · silhouette %.3f%s", r->silhouette,
                            r->silhouette_sampled ? " (sampled)" : "");
  else if (isfinite (r->medoid_silhouette) && g_strcmp0 (c->objective_name, "medoid silhouette") != 0)
    g_string_append_printf (s, " · medoid silhouette %.3f", r->medoid_silhouette);
  if (isfinite (r->ari))
    g_string_append_printf (s, " · ARI %.3f", r->ari);
  if (isfinite (r->nmi))
    g_string_append_printf (s, " · NMI %.3f", r->nmi);
  if (r->prep != NULL && r->prep->n_dropped > 0)
    {
      g_autofree char *n = cs_format_count (r->prep->n_dropped);
      g_string_append_printf (s, " · dropped %s %s", n, r->prep->n_dropped == 1 ? "row" : "rows");
    }
  if (r->prep != NULL && r->prep->n_imputed > 0)
    {
      g_autofree char *n = cs_format_count (r->prep->n_imputed);
      g_string_append_printf (s, " · filled %s %s", n, r->prep->n_imputed == 1 ? "value" : "values");
    }
  return g_string_free (s, FALSE);
}

static void
job_progress_cb (CsJob *job, double fraction, const char *stage, CsWindow *self)
{
  g_autofree char *text = NULL;

  if (job != self->job)
    return;
  text
      = g_strdup_printf ("%s — %.0f %%", stage != NULL ? stage : "Running", 100 * CLAMP (fraction, 0.0, 1.0));
  cs_i_window_set_progress (self, fraction, text);
}

static void
job_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  CsJob *job = CS_JOB (source);
  g_autoptr (CsWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CsJobResult) result = cs_job_run_finish (job, res, &error);
  const CsAlgorithm *algo;
  g_autofree char   *status = NULL;

  /* A newer run, a new dataset or a closed window: this result belongs to nobody. */
  if (self->disposed || job != self->job)
    return;
  g_signal_handlers_disconnect_by_data (job, self);
  g_clear_object (&self->job);

  if (result == NULL)
    {
      if (g_error_matches (error, CS_ERROR, CS_ERROR_CANCELLED)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          cs_i_window_set_progress (self, 0, "Cancelled");
          cs_i_window_set_status (self, "Cancelled");
        }
      else
        {
          cs_i_window_set_progress (self, 0, "Failed");
          cs_i_window_set_status (self, "The run failed");
          cs_i_window_show_error (self, error->message);
        }
      cs_i_window_update_actions (self);
      return;
    }

  algo = cs_registry_lookup (result->pipeline->clustering->algorithm);
  status = format_result (algo, result->pipeline);
  g_clear_pointer (&self->result, cs_i_window_result_unref);
  self->result = cs_i_window_result_new (g_steal_pointer (&result->pipeline));
  show_model (self, g_steal_pointer (&result->model));
  update_views (self);
  cs_i_window_set_status (self, status);

  {
    const CsPrepared *prep = self->result->pipeline->prep;
    g_autofree char  *info = NULL;
    g_autofree char  *dropped = cs_format_count (prep->n_dropped);
    g_autofree char  *imputed = cs_format_count (prep->n_imputed);

    if (prep->n_dropped > 0)
      info = g_strdup_printf ("Dropped %s %s with missing values", dropped, prep->n_dropped == 1 ? "row" : "rows");
    else if (prep->n_imputed > 0)
      info = g_strdup_printf ("Filled %s missing %s with column means", imputed,
                              prep->n_imputed == 1 ? "value" : "values");
    else
      info = g_strdup ("No missing values");
    gtk_label_set_text (GTK_LABEL (self->missing_info_label), info);
    gtk_widget_set_visible (self->missing_info_label, TRUE);
  }
  {
    g_autofree char *secs = format_seconds (self->result->pipeline->clustering->seconds);
    g_autofree char *text = g_strdup_printf ("Done in %s", secs);
    cs_i_window_set_progress (self, 1.0, text);
  }
  cs_i_window_update_actions (self);
}

/* What every job starts from: the current job cancelled, the chosen columns (FALSE with a
 * message when there are none) and the preprocessing of the sidebar. */
static gboolean
begin_job (CsWindow *self, GArray **columns, CsPipelineOptions *options)
{
  if (self->job != NULL)
    {
      cs_job_cancel (self->job);
      g_signal_handlers_disconnect_by_data (self->job, self);
      g_clear_object (&self->job);
    }
  *columns = chosen_columns (self);
  if ((*columns)->len == 0)
    {
      cs_i_window_show_error (self,
                              "No columns are chosen; open the column list under Dataset and choose at least one");
      return FALSE;
    }
  cs_pipeline_options_init (options);
  fill_prepare_options (self, &options->prepare);
  options->prepare.columns = (const int *)(gpointer)(*columns)->data;
  options->prepare.n_columns = (*columns)->len;
  options->silhouette_sample = SILHOUETTE_MAX;
  return TRUE;
}

static void
run_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow      *self = user_data;
  CsParamsPanel *panel = CS_PARAMS_PANEL (self->params_panel);
  g_autoptr (CsParams) params = NULL;
  g_autoptr (GArray) columns = NULL;
  CsPipelineOptions options;
  int               x_column;
  int               y_column;

  if (self->dataset == NULL || cs_params_panel_get_algorithm (panel) == NULL)
    return;
  params = cs_params_panel_get_params (panel);
  if (self->distances == NULL && cs_algorithm_find_param (cs_params_get_algorithm (params), "metric") != NULL
      && g_strcmp0 (cs_params_get_string (params, "metric"), "precomputed") == 0)
    {
      cs_i_window_show_error (self,
                              "The dissimilarity ‘precomputed’ needs a distance matrix: choose Use Distance "
                              "Matrix… in the main menu, or pick another dissimilarity");
      return;
    }
  if (!begin_job (self, &columns, &options))
    return;
  options.algorithm = cs_params_panel_get_algorithm (panel);
  options.params = params;
  options.trace_steps
      = (guint)CLAMP (TRACE_BUDGET / (sizeof (int) * MAX (self->dataset->n_rows, 1)), 2, TRACE_MAX_STEPS);
  if (self->distances != NULL)
    {
      /* The pipeline scores a matrix run on the matrix (silhouette and medoid silhouette)
       * and skips the centroid-based scores; the result records where it came from. */
      if (cs_algorithm_find_param (options.algorithm, "metric") != NULL)
        cs_params_set (params, "metric", "precomputed", NULL);
    }
  axis_selection (self, &x_column, &y_column);

  hide_error (self);
  self->job = cs_job_new (self->dataset, &options, x_column, y_column);
  if (self->distances != NULL)
    cs_job_set_dissim (self->job, self->distances->dissim, cs_i_window_distances_ref (self->distances),
                       (GDestroyNotify)cs_i_window_distances_unref);
  g_signal_connect (self->job, "progress", G_CALLBACK (job_progress_cb), self);
  cs_i_window_set_progress (self, 0, "Starting");
  {
    g_autofree char *count = cs_format_count (self->dataset->n_rows);
    g_autofree char *text
        = self->distances != NULL
              ? g_strdup_printf ("Running %s on the distances in %s…", options.algorithm->name,
                                 self->distances->name)
              : g_strdup_printf ("Running %s on %s points…", options.algorithm->name, count);
    cs_i_window_set_status (self, text);
  }
  cs_job_run_async (self->job, job_done, g_object_ref (self));
  cs_i_window_update_actions (self);
}

/* Labels from a file: a clustering made elsewhere (another tool, an earlier export), scored
 * and shown like a run of our own, with every view of a result. */
static void
open_labels_path (CsWindow *self, const char *path)
{
  g_autoptr (GArray) columns = NULL;
  g_autofree char   *base = g_path_get_basename (path);
  g_autofree char   *text = NULL;
  CsPipelineOptions  options;
  int                x_column;
  int                y_column;

  if (self->dataset == NULL || is_loading (self) || !begin_job (self, &columns, &options))
    return;
  axis_selection (self, &x_column, &y_column);

  hide_error (self);
  self->job = cs_job_new_labels (self->dataset, &options, path, x_column, y_column);
  g_signal_connect (self->job, "progress", G_CALLBACK (job_progress_cb), self);
  cs_i_window_set_progress (self, 0, "Starting");
  text = g_strdup_printf ("Reading the labels in %s…", base);
  cs_i_window_set_status (self, text);
  cs_job_run_async (self->job, job_done, g_object_ref (self));
  cs_i_window_update_actions (self);
}

static void
open_labels_path_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  open_labels_path (user_data, g_variant_get_string (parameter, NULL));
}

static void
open_labels_response_cb (GtkNativeDialog *dialog, int response, CsWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT && !self->disposed)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path == NULL)
        cs_i_window_show_error (self, "Choose a file on this computer");
      else
        open_labels_path (self, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
open_labels_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow             *self = user_data;
  g_autoptr (GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new ("Open Cluster Labels", GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         "_Open", "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (csv, "Labels (CSV, TSV)");
  gtk_file_filter_add_pattern (csv, "*.csv");
  gtk_file_filter_add_pattern (csv, "*.tsv");
  gtk_file_filter_add_pattern (csv, "*.txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_filter_set_name (all, "All files");
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  /* The chooser is kept alive by its own reference until "response". */
  g_signal_connect (chooser, "response", G_CALLBACK (open_labels_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cancel_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow *self = user_data;

  if (self->job != NULL)
    cs_job_cancel (self->job);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  /* Stops the matrix parse; a result that still arrives is dropped. */
  if (self->distances_cancellable != NULL)
    {
      cs_i_window_distances_cancel (self);
      cs_i_window_set_progress (self, 0, "Cancelled");
      cs_i_window_set_status (self, "Cancelled");
      cs_i_window_update_actions (self);
    }
}

/* Other actions */

static void
open_file_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_autoptr (GFile) file = g_file_new_for_commandline_arg (g_variant_get_string (parameter, NULL));

  cs_window_open_file (user_data, file);
}

static void
open_sample_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  cs_window_open_sample (user_data, g_variant_get_string (parameter, NULL));
}

static void
generate_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  cs_window_generate (user_data, g_variant_get_string (parameter, NULL));
}

static void
reset_zoom_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow *self = user_data;

  cs_plot_view_reset_zoom (CS_PLOT_VIEW (self->plot_view));
}

static void
close_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

static void
dismiss_error_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  hide_error (user_data);
}

static const GActionEntry win_entries[] = {
  { "run", run_activated, NULL, NULL, NULL },
  { "cancel", cancel_activated, NULL, NULL, NULL },
  { "export", cs_i_window_export_activated, NULL, NULL, NULL },
  { "export-labels", cs_i_window_export_labels_activated, NULL, NULL, NULL },
  { "export-results", cs_i_window_export_results_activated, NULL, NULL, NULL },
  { "export-to", cs_i_window_export_to_activated, "s", NULL, NULL },
  { "export-labels-to", cs_i_window_export_labels_to_activated, "s", NULL, NULL },
  { "export-results-to", cs_i_window_export_results_to_activated, "s", NULL, NULL },
  { "export-saliency", cs_i_window_export_saliency_activated, "s", NULL, NULL },
  { "export-saliency-to", cs_i_window_export_saliency_to_activated, "(ss)", NULL, NULL },
  { "open-file", open_file_activated, "s", NULL, NULL },
  { "open-sample", open_sample_activated, "s", NULL, NULL },
  { "open-distances", cs_i_window_open_distances_activated, NULL, NULL, NULL },
  { "open-distances-path", cs_i_window_open_distances_path_activated, "s", NULL, NULL },
  { "open-labels", open_labels_activated, NULL, NULL, NULL },
  { "open-labels-path", open_labels_path_activated, "s", NULL, NULL },
  { "clear-distances", cs_i_window_clear_distances_activated, NULL, NULL, NULL },
  { "generate", generate_activated, "s", NULL, NULL },
  { "reset-zoom", reset_zoom_activated, NULL, NULL, NULL },
  { "close", close_activated, NULL, NULL, NULL },
  { "dismiss-error", dismiss_error_activated, NULL, NULL, NULL },
  { "show-view", show_view_activated, "s", NULL, NULL },
  { "medoid-links", NULL, NULL, "false", medoid_links_changed },
};

/* Algorithm choice */

static void
algorithm_changed_cb (GtkDropDown *dropdown, GParamSpec *pspec, CsWindow *self)
{
  gsize                     n = 0;
  const CsAlgorithm *const *algos = cs_registry_list (&n);
  guint                     i = gtk_drop_down_get_selected (dropdown);

  if (i >= n)
    return;
  cs_params_panel_set_algorithm (CS_PARAMS_PANEL (self->params_panel), algos[i]);
  gtk_label_set_text (GTK_LABEL (self->algorithm_description_label), algos[i]->description);
  gtk_widget_set_visible (self->algorithm_description_label,
                          algos[i]->description != NULL && algos[i]->description[0] != '\0');
  cs_i_window_distances_algorithm_changed (self);
  if (!self->disposed)
    cs_i_window_update_actions (self);
}

gboolean
cs_window_select_algorithm (CsWindow *self, const char *algorithm_id)
{
  gsize                     n = 0;
  const CsAlgorithm *const *algos = cs_registry_list (&n);

  g_return_val_if_fail (CS_IS_WINDOW (self), FALSE);

  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (algos[i]->id, algorithm_id) == 0)
      {
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->algorithm_dropdown), i);
        algorithm_changed_cb (GTK_DROP_DOWN (self->algorithm_dropdown), NULL, self);
        return TRUE;
      }
  return FALSE;
}

gboolean
cs_i_window_axis_index (CsWindow *self, const char *name, guint *index)
{
  int c;

  if (self->dataset == NULL)
    return FALSE;
  c = cs_dataset_find_column (self->dataset, name);
  for (guint i = 1; c >= 0 && i < self->axis_columns->len; i++)
    if (g_array_index (self->axis_columns, int, i) == c)
      {
        *index = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
cs_window_set_axes (CsWindow *self, const char *x_column, const char *y_column)
{
  guint xi = 0;
  guint yi = 0;

  g_return_val_if_fail (CS_IS_WINDOW (self), FALSE);

  if (self->dataset == NULL)
    return FALSE;
  if (x_column != NULL && y_column != NULL
      && (!cs_i_window_axis_index (self, x_column, &xi) || !cs_i_window_axis_index (self, y_column, &yi)))
    return FALSE;
  self->syncing_axes = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->x_dropdown), xi);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->y_dropdown), yi);
  self->syncing_axes = FALSE;
  rebuild_model (self);
  return TRUE;
}

/* Welcome page */

static GtkWidget *
welcome_row (const char *title, const char *subtitle, const char *action, const char *target)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *t = gtk_label_new (title);
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  gtk_label_set_xalign (GTK_LABEL (t), 0);
  gtk_label_set_ellipsize (GTK_LABEL (t), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (t, "row-title");
  gtk_box_append (GTK_BOX (text), t);
  if (subtitle != NULL && subtitle[0] != '\0')
    {
      GtkWidget *s = gtk_label_new (subtitle);

      gtk_label_set_xalign (GTK_LABEL (s), 0);
      gtk_label_set_ellipsize (GTK_LABEL (s), PANGO_ELLIPSIZE_MIDDLE);
      gtk_widget_add_css_class (s, "dim-label");
      gtk_widget_add_css_class (s, "caption");
      gtk_box_append (GTK_BOX (text), s);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                      -1);
    }
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_add_css_class (arrow, "dim-label");
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), arrow);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_string (target));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return row;
}

static void
fill_recent (CsWindow *self)
{
  g_auto (GStrv) paths = cs_recent_list (N_RECENT);

  remove_all_rows (self->recent_list);
  for (char **p = paths; *p != NULL; p++)
    {
      g_autofree char *base = g_path_get_basename (*p);
      g_autofree char *dir = g_path_get_dirname (*p);

      gtk_list_box_append (GTK_LIST_BOX (self->recent_list), welcome_row (base, dir, "win.open-file", *p));
    }
  gtk_widget_set_visible (self->recent_list, paths[0] != NULL);
  gtk_widget_set_visible (self->recent_heading, paths[0] != NULL);
}

static void
recent_changed_cb (GtkRecentManager *manager, CsWindow *self)
{
  if (!self->disposed)
    fill_recent (self);
}

static void
fill_welcome (CsWindow *self)
{
  gsize               n_samples = 0;
  const CsSampleInfo *samples = cs_samples_list (&n_samples);

  for (gsize i = 0; i < n_samples; i++)
    {
      g_autofree char *action = NULL;
      g_autoptr (GMenuItem) item = NULL;

      gtk_list_box_append (
          GTK_LIST_BOX (self->samples_list),
          welcome_row (samples[i].title, samples[i].description, "win.open-sample", samples[i].id));
      item = g_menu_item_new (samples[i].title, NULL);
      g_menu_item_set_action_and_target_value (item, "win.open-sample", g_variant_new_string (samples[i].id));
      g_menu_append_item (self->samples_menu, item);
    }
  for (int k = 0; k < CS_TOY_N_KINDS; k++)
    {
      const char *id = cs_toy_kind_id (k);
      g_autoptr (GMenuItem) item = g_menu_item_new (cs_toy_kind_title (k), NULL);
      g_autofree char *subtitle = NULL;

      if (k == CS_TOY_MOONS || k == CS_TOY_CIRCLES)
        subtitle = g_strdup ("1,500 points in 2 groups");
      else if (k == CS_TOY_UNIFORM)
        subtitle = g_strdup ("1,500 points with no structure at all");
      else
        subtitle = g_strdup ("1,500 points in 3 groups");
      gtk_list_box_append (GTK_LIST_BOX (self->toys_list),
                           welcome_row (cs_toy_kind_title (k), subtitle, "win.generate", id));
      g_menu_item_set_action_and_target_value (item, "win.generate", g_variant_new_string (id));
      g_menu_append_item (self->toys_menu, item);
    }
  fill_recent (self);
}

/* Drag and drop */

static gboolean
drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, CsWindow *self)
{
  GdkFileList  *list;
  GSList       *files;
  GApplication *app;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  list = g_value_get_boxed (value);
  files = gdk_file_list_get_files (list);
  if (files == NULL)
    return FALSE;

  cs_window_open_file (self, files->data);
  /* More than one file: the others each get their own window, as on the command line. */
  app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  if (files->next != NULL && app != NULL)
    {
      guint              n = g_slist_length (files->next);
      g_autofree GFile **rest = g_new (GFile *, n);
      guint              i = 0;

      for (GSList *l = files->next; l != NULL; l = l->next)
        rest[i++] = l->data;
      g_application_open (app, rest, n, "");
    }
  g_slist_free (files);
  return TRUE;
}

/* Object */

/* Stops every worker and forgets it: their late results are dropped. */
static void
cancel_all (CsWindow *self)
{
  if (self->job != NULL)
    {
      cs_job_cancel (self->job);
      g_signal_handlers_disconnect_by_data (self->job, self);
      g_clear_object (&self->job);
    }
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->model_cancellable != NULL)
    g_cancellable_cancel (self->model_cancellable);
  g_clear_object (&self->model_cancellable);
  cs_i_window_privacy_cancel (self);
  cs_i_window_diagnostics_cancel (self);
  cs_i_window_density_cancel (self);
  cs_i_window_saliency_cancel (self);
  cs_i_window_distances_cancel (self);
}

/* gtk_window_destroy() unrealizes the window before dropping its reference, but the
 * workers' GTasks hold references too, so dispose would wait for them to finish on their
 * own: cancel here instead, so that closing a window stops its computation at once. */
static void
cs_window_unrealize (GtkWidget *widget)
{
  cancel_all (CS_WINDOW (widget));

  GTK_WIDGET_CLASS (cs_window_parent_class)->unrealize (widget);
}

static void
cs_window_dispose (GObject *object)
{
  CsWindow *self = CS_WINDOW (object);

  self->disposed = TRUE;
  cancel_all (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), CS_TYPE_WINDOW);

  G_OBJECT_CLASS (cs_window_parent_class)->dispose (object);
}

static void
cs_window_finalize (GObject *object)
{
  CsWindow *self = CS_WINDOW (object);

  g_clear_pointer (&self->dataset, cs_dataset_unref);
  g_clear_pointer (&self->result, cs_i_window_result_unref);
  cs_i_window_diagnostics_finalize (self);
  cs_i_window_saliency_finalize (self);
  cs_i_window_distances_finalize (self);
  g_clear_pointer (&self->axis_columns, g_array_unref);
  g_free (self->status_text);
  g_free (self->error_text);

  G_OBJECT_CLASS (cs_window_parent_class)->finalize (object);
}

static void
cs_window_class_init (CsWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_window_dispose;
  object_class->finalize = cs_window_finalize;
  widget_class->unrealize = cs_window_unrealize;

  /* Referencing the bundle keeps its object (and the constructor that registers it) in the
   * link: nothing else names it, and a static library drops unreferenced objects. */
  (void)cs_get_resource ();
  g_type_ensure (CS_TYPE_PLOT_VIEW);
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  g_type_ensure (CS_TYPE_PARAMS_PANEL);
  g_type_ensure (CS_TYPE_COLUMN_CHOOSER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/cs-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CsWindow, name)
  BIND (title_label);
  BIND (subtitle_label);
  BIND (run_button);
  BIND (cancel_button);
  BIND (sidebar_run_button);
  BIND (sidebar_cancel_button);
  BIND (error_revealer);
  BIND (error_label);
  BIND (dataset_name_label);
  BIND (dataset_size_label);
  BIND (columns_list);
  BIND (notices_label);
  BIND (x_dropdown);
  BIND (y_dropdown);
  BIND (scaling_dropdown);
  BIND (missing_dropdown);
  BIND (missing_info_label);
  BIND (algorithm_dropdown);
  BIND (algorithm_description_label);
  BIND (distances_box);
  BIND (distances_label);
  BIND (distances_hint_label);
  BIND (params_panel);
  BIND (progress_bar);
  BIND (stack);
  BIND (recent_heading);
  BIND (recent_list);
  BIND (samples_list);
  BIND (toys_list);
  BIND (loading_label);
  BIND (loading_spinner);
  BIND (plot_view);
  BIND (status_label);
  BIND (view_bar);
  BIND (view_stack);
  BIND (links_button);
  BIND (silhouette_view);
  BIND (convergence_view);
  BIND (images_view);
  BIND (choose_k_view);
  BIND (privacy_view);
  BIND (privacy_epsilon_spin);
  BIND (privacy_delta_dropdown);
  BIND (privacy_spinner);
  BIND (privacy_status_label);
  BIND (saliency_view);
  BIND (saliency_chart_dropdown);
  BIND (saliency_quantity_dropdown);
  BIND (saliency_method_dropdown);
  BIND (saliency_spinner);
  BIND (saliency_status_label);
  BIND (saliency_summary_label);
  BIND (diag_view);
  BIND (diag_h_scale);
  BIND (diag_spinner);
  BIND (diag_status_label);
  BIND (density_view);
  BIND (density_rule_dropdown);
  BIND (density_scale);
  BIND (density_h_entry);
  BIND (density_grid_dropdown);
  BIND (density_colormap_dropdown);
  BIND (density_points_toggle);
  BIND (density_opacity_scale);
  BIND (density_clusters_toggle);
  BIND (density_marginals_toggle);
  BIND (density_spinner);
  BIND (density_status_label);
  BIND (samples_menu);
  BIND (toys_menu);
#undef BIND
}

static void
cs_window_init (CsWindow *self)
{
  gsize                     n_algos = 0;
  const CsAlgorithm *const *algos = cs_registry_list (&n_algos);
  g_autoptr (GtkStringList) algo_names = gtk_string_list_new (NULL);
  CsPrepareOptions prepare;
  GtkDropTarget   *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->axis_columns = g_array_new (FALSE, FALSE, sizeof (int));
  g_signal_connect (self->columns_list, "changed", G_CALLBACK (columns_changed_cb), self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries, G_N_ELEMENTS (win_entries), self);

  cs_prepare_options_init (&prepare);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->scaling_dropdown),
                              prepare.scaling == CS_SCALE_STANDARDIZE ? 1
                              : prepare.scaling == CS_SCALE_MINMAX    ? 2
                                                                      : 0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->missing_dropdown),
                              prepare.missing == CS_MISSING_MEAN ? 1 : 0);

  for (gsize i = 0; i < n_algos; i++)
    gtk_string_list_append (algo_names, algos[i]->name);
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->algorithm_dropdown), G_LIST_MODEL (algo_names));
  g_signal_connect (self->algorithm_dropdown, "notify::selected", G_CALLBACK (algorithm_changed_cb), self);
  if (n_algos > 0)
    {
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->algorithm_dropdown), 0);
      algorithm_changed_cb (GTK_DROP_DOWN (self->algorithm_dropdown), NULL, self);
    }

  g_signal_connect (self->x_dropdown, "notify::selected", G_CALLBACK (axis_changed_cb), self);
  g_signal_connect (self->view_stack, "notify::visible-child", G_CALLBACK (view_changed_cb), self);
  cs_i_window_diagnostics_setup (self);
  cs_i_window_privacy_setup (self);
  cs_i_window_density_setup (self);
  cs_i_window_saliency_setup (self);
  g_signal_connect (self->y_dropdown, "notify::selected", G_CALLBACK (axis_changed_cb), self);
  g_signal_connect (self->scaling_dropdown, "notify::selected", G_CALLBACK (preprocessing_changed_cb), self);
  g_signal_connect (self->missing_dropdown, "notify::selected", G_CALLBACK (preprocessing_changed_cb), self);

  fill_welcome (self);
  g_signal_connect_object (gtk_recent_manager_get_default (), "changed", G_CALLBACK (recent_changed_cb), self,
                           0);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  {
    /* Until a dataset arrives the axis drop-downs show what they will default to. */
    static const char *const pca_only[] = { "PCA (automatic)", NULL };
    g_autoptr (GtkStringList) axes = gtk_string_list_new (pca_only);

    gtk_drop_down_set_model (GTK_DROP_DOWN (self->x_dropdown), G_LIST_MODEL (axes));
    gtk_drop_down_set_model (GTK_DROP_DOWN (self->y_dropdown), G_LIST_MODEL (axes));
  }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "welcome");
  cs_i_window_set_status (self, "No dataset");
  cs_i_window_update_actions (self);
}

CsWindow *
cs_window_new (GtkApplication *app)
{
  return g_object_new (CS_TYPE_WINDOW, "application", app, NULL);
}

gboolean
cs_window_has_dataset (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), FALSE);

  return self->dataset != NULL || is_loading (self);
}

CsDataset *
cs_window_get_dataset (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return self->dataset;
}

const char *
cs_window_get_status_text (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return self->status_text;
}

const char *
cs_window_get_error_text (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return self->error_text;
}

CsPlotView *
cs_window_get_plot_view (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return CS_PLOT_VIEW (self->plot_view);
}

CsParamsPanel *
cs_window_get_params_panel (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return CS_PARAMS_PANEL (self->params_panel);
}

const char *
cs_window_get_page (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

void
cs_window_install_style (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (css, "/org/clusterscope/Clusterscope/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&installed, 1);
    }
}
