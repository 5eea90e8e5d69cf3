#include "ui/cs-window-private.h"

#include <math.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/cluster/cs-registry.h"

/* The window's GActions: runs and labels from a file (both a CsJob), Cancel, opening data,
 * switching views, and the small ones. Menus, buttons, accelerators and tests all go
 * through these. */

#define SILHOUETTE_MAX 5000
/* Every recorded trace step copies the labels of all rows: the convergence chart gets at
 * most this many bytes of them (and at most TRACE_MAX_STEPS steps). */
#define TRACE_BUDGET    (64u << 20)
#define TRACE_MAX_STEPS 10000

static char *
format_result (const CsAlgorithm *algo, const CsPipelineResult *r)
{
  const CsClustering *c = r->clustering;
  GString            *s = g_string_new (NULL);
  g_autofree char    *secs = cs_i_window_format_seconds (c->seconds);
  g_autofree char    *k = cs_format_count (c->k);
  gboolean            from_labels = g_strcmp0 (c->algorithm, "labels") == 0;

  g_string_append_printf (s, "%s: %s %s", from_labels ? "Labels from a file" : algo != NULL ? algo->name : c->algorithm,
                          k, c->k == 1 ? "cluster" : "clusters");
  if (c->k_known > 0 && c->k >= c->k_known)
    /* Novel class discovery: its curve is over the number of novel classes, shown on its page. */
    g_string_append_printf (s, " (%u known + %u novel)", c->k_known, c->k - c->k_known);
  else if (c->score_by_k != NULL && c->n_scores > 1)
    g_string_append_printf (s, " of k = %u–%u", c->score_k_min, c->score_k_min + c->n_scores - 1);
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
  else if (isfinite (r->medoid_silhouette) && c->objective_kind != CS_OBJECTIVE_MEDOID_SILHOUETTE)
    g_string_append_printf (s, " · medoid silhouette %.3f", r->medoid_silhouette);
  if (isfinite (r->ari))
    g_string_append_printf (s, " · ARI %.3f", r->ari);
  if (isfinite (r->nmi))
    g_string_append_printf (s, " · NMI %.3f", r->nmi);
  if (isfinite (r->modularity))
    g_string_append_printf (s, " · modularity %.3f", r->modularity);
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
  /* Automatic scaling changed the data the user sees clustered: say so, and how to undo it. */
  if (r->prep != NULL && r->prep->notice != NULL)
    g_string_append_printf (s, " · %s", r->prep->notice);
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
  g_autoptr (CsJob) finished = NULL;
  const CsAlgorithm *algo;
  g_autofree char   *status = NULL;

  /* A newer run, a new dataset or a closed window: this result belongs to nobody. */
  if (self->disposed || job != self->job)
    return;
  g_signal_handlers_disconnect_by_data (job, self);
  finished = g_steal_pointer (&self->job);

  if (result == NULL)
    {
      if (g_error_matches (error, CS_ERROR, CS_ERROR_CANCELLED)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* The plot still shows the last result: so does the status line, with its scores. */
          g_autofree char *text = self->result_status != NULL
                                      ? g_strdup_printf ("Cancelled · still showing %s", self->result_status)
                                      : g_strdup ("Cancelled");

          cs_i_window_set_progress (self, 0, "Cancelled");
          cs_i_window_set_status (self, text);
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
  /* The points first: the pages take the scatter's matched colours for the result. */
  cs_i_window_show_model (self, g_steal_pointer (&result->model));
  cs_i_window_set_result (self, cs_page_result_new (g_steal_pointer (&result->pipeline)));
  g_set_object (&self->result_job, finished);
  self->result->title = g_strdup (status);
  cs_i_window_history_add (self, self->result);
  cs_i_window_set_status (self, status);
  g_free (self->result_status);
  self->result_status = g_steal_pointer (&status);
  cs_i_window_sidebar_show_prepared (self, self->result->pipeline->prep);
  {
    g_autofree char *secs = cs_i_window_format_seconds (self->result->pipeline->clustering->seconds);
    g_autofree char *text = g_strdup_printf ("Done in %s", secs);
    cs_i_window_set_progress (self, 1.0, text);
  }
  /* A reopened session shows the view it was saved on once its result is there. */
  if (self->pending_view != NULL)
    {
      g_autofree char *view = g_steal_pointer (&self->pending_view);
      cs_i_window_show_view (self, view);
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
  *columns = cs_i_window_chosen_columns (self);
  if ((*columns)->len == 0)
    {
      cs_i_window_show_error (self,
                              "No columns are chosen; open the column list under Dataset and choose at least one");
      return FALSE;
    }
  cs_pipeline_options_init (options);
  cs_i_window_fill_prepare_options (self, &options->prepare);
  options->prepare.columns = (const int *)(gpointer)(*columns)->data;
  options->prepare.n_columns = (*columns)->len;
  options->silhouette_sample = SILHOUETTE_MAX;
  /* The menu's Exact Silhouette: every row, O(n²) time but no sampling error. */
  {
    g_autoptr (GVariant) exact = g_action_group_get_action_state (G_ACTION_GROUP (self), "exact-silhouette");
    options->silhouette_exact = exact != NULL && g_variant_get_boolean (exact);
  }
  return TRUE;
}

gboolean
cs_i_window_begin_job (CsWindow *self, GArray **columns, CsPipelineOptions *options)
{
  return begin_job (self, columns, options);
}

void
cs_i_window_start_job (CsWindow *self, CsJob *job, const char *status)
{
  cs_i_window_hide_error (self);
  self->job = job;
  g_signal_connect (self->job, "progress", G_CALLBACK (job_progress_cb), self);
  cs_i_window_set_progress (self, 0, "Starting");
  cs_i_window_set_status (self, status);
  cs_job_run_async (self->job, job_done, g_object_ref (self));
  cs_i_window_update_actions (self);
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
  CsMetric          metric;

  if (self->dataset == NULL || cs_params_panel_get_algorithm (panel) == NULL)
    return;
  params = cs_params_panel_get_params (panel);
  if (self->distances == NULL && cs_params_get_dissim (params, &metric) && metric == CS_METRIC_PRECOMPUTED)
    {
      cs_i_window_show_error (self,
                              "The dissimilarity ‘precomputed’ needs a distance matrix: choose Use Distance "
                              "Matrix… in the main menu, or pick another dissimilarity");
      return;
    }
  if (!begin_job (self, &columns, &options))
    return;
  if (!cs_i_window_teach_prepare_run (self, params, &options))
    return;
  options.algorithm = cs_params_panel_get_algorithm (panel);
  options.params = params;
  options.trace_steps
      = (guint)CLAMP (TRACE_BUDGET / (sizeof (int) * MAX (self->dataset->n_rows, 1)), 2, TRACE_MAX_STEPS);
  if (self->distances != NULL)
    {
      /* The pipeline scores a matrix run on the matrix (silhouette and medoid silhouette)
       * and skips the centroid-based scores; the result records where it came from. */
      cs_params_set_dissim (params, CS_METRIC_PRECOMPUTED);
    }
  cs_i_window_axis_selection (self, &x_column, &y_column);

  cs_i_window_hide_error (self);
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

/* Makes `job` (a run derived from the shown result's) the window's job and starts it. */
static void
start_derived_job (CsWindow *self, CsJob *job, const char *status)
{
  if (self->job != NULL)
    {
      cs_job_cancel (self->job);
      g_signal_handlers_disconnect_by_data (self->job, self);
      g_clear_object (&self->job);
    }
  cs_i_window_start_job (self, job, status);
}

/* When the panel shows the run's algorithm, it takes the run's new value too, so that Run
 * again gives what is shown. */
static void
panel_follow (CsWindow *self, const CsClustering *c, const char *name, const char *value)
{
  if (cs_params_panel_get_algorithm (CS_PARAMS_PANEL (self->params_panel)) == cs_registry_lookup (c->algorithm))
    {
      g_autoptr (CsParams) p = cs_params_panel_get_params (CS_PARAMS_PANEL (self->params_panel));

      if (cs_params_set (p, name, value, NULL))
        cs_params_panel_set_params (CS_PARAMS_PANEL (self->params_panel), p);
    }
}

gboolean
cs_window_show_k (CsWindow *self, guint k)
{
  const CsClustering *c;
  const CsAlgorithm  *algo;
  g_autofree char    *text = NULL;
  int                 x_column;
  int                 y_column;

  g_return_val_if_fail (CS_IS_WINDOW (self), FALSE);

  if (self->result == NULL || self->result_job == NULL || cs_i_window_is_loading (self))
    return FALSE;
  c = self->result->pipeline->clustering;
  if (k == c->k)
    return TRUE;
  cs_i_window_axis_selection (self, &x_column, &y_column);
  {
    /* A k the result recorded (medoids for DynMSC, a tree to cut for agglomerative) is shown
     * without running again; any other k is the same run again with that k (the Choose k
     * page's criteria for any algorithm with a k). */
    gboolean recorded = cs_clustering_medoids_at_k (c, k) != NULL || (c->merges != NULL && k >= 1 && k <= c->n);
    CsJob *job = recorded ? cs_job_new_at_k (self->result_job, c, k, x_column, y_column)
                          : cs_job_new_with_k (self->result_job, k, x_column, y_column);

    if (job == NULL)
      return FALSE;
    if (!recorded)
      {
        g_autofree char *value = g_strdup_printf ("%u", k);
        panel_follow (self, c, "k", value);
      }
    algo = cs_registry_lookup (c->algorithm);
    text = g_strdup_printf ("Showing the clustering with k = %u from the %s run…", k,
                            algo != NULL ? algo->name : c->algorithm);
    start_derived_job (self, job, text);
  }
  return TRUE;
}

gboolean
cs_window_rerun_with (CsWindow *self, const char *name, const char *value)
{
  const CsClustering *c;
  const CsAlgorithm  *algo;
  g_autoptr (GError)  error = NULL;
  g_autofree char    *text = NULL;
  CsJob              *job;
  int                 x_column;
  int                 y_column;

  g_return_val_if_fail (CS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (name != NULL && value != NULL, FALSE);

  if (self->result == NULL || self->result_job == NULL || cs_i_window_is_loading (self))
    return FALSE;
  c = self->result->pipeline->clustering;
  cs_i_window_axis_selection (self, &x_column, &y_column);
  job = cs_job_new_with_param (self->result_job, name, value, x_column, y_column, &error);
  if (job == NULL)
    {
      cs_i_window_show_error (self, error->message);
      return FALSE;
    }
  panel_follow (self, c, name, value);
  algo = cs_registry_lookup (c->algorithm);
  {
    const CsParamSpec *spec = algo != NULL ? cs_algorithm_find_param (algo, name) : NULL;
    text = g_strdup_printf ("Running %s again with %s = %s…", algo != NULL ? algo->name : c->algorithm,
                            spec != NULL && spec->label != NULL ? spec->label : name, value);
  }
  start_derived_job (self, job, text);
  return TRUE;
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

  if (self->dataset == NULL || cs_i_window_is_loading (self) || !begin_job (self, &columns, &options))
    return;
  cs_i_window_axis_selection (self, &x_column, &y_column);

  cs_i_window_hide_error (self);
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
  cs_worker_cancel (self->load_worker);
  /* Stops the matrix parse; a result that still arrives is dropped. */
  if (cs_i_window_distances_busy (self))
    {
      cs_i_window_distances_cancel (self);
      cs_i_window_set_progress (self, 0, "Cancelled");
      cs_i_window_set_status (self, "Cancelled");
      cs_i_window_update_actions (self);
    }
}

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

  cs_plot_view_reset_zoom (cs_scatter_page_get_plot_view (self->scatter_page));
}

static void
close_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

static void
dismiss_error_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  cs_i_window_hide_error (user_data);
}

static void
show_view_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  /* A view that does not apply stays off, as its switcher button is. */
  cs_i_window_show_view (user_data, g_variant_get_string (parameter, NULL));
}

static void
medoid_links_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  CsWindow          *self = user_data;
  CsPlotView        *view = cs_scatter_page_get_plot_view (self->scatter_page);
  const CsPlotModel *model = cs_plot_view_get_model (view);

  g_simple_action_set_state (action, value);
  /* The flag is view state, like the zoom the plot view keeps in the same model; nothing
   * the view caches depends on it, so a redraw is all it takes. */
  if (model != NULL)
    {
      ((CsPlotModel *)model)->show_medoid_links = g_variant_get_boolean (value);
      gtk_widget_queue_draw (GTK_WIDGET (view));
    }
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
  { "exact-silhouette", NULL, NULL, "false", NULL }, /* read by the next run */
};

void
cs_i_window_actions_init (CsWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries, G_N_ELEMENTS (win_entries), self);
}
