#include "ui/cs-window-private.h"

#include "core/base/cs-error.h"
#include "core/data/cs-csv.h"
#include "core/data/cs-load.h"
#include "core/data/cs-samples.h"
#include "core/session/cs-session.h"
#include "ui/cs-params-panel.h"
#include "ui/cs-recent.h"
#include "ui/widgets/cs-column-chooser.h"

/* Sessions: Save writes what is on screen (data source, preparation, algorithm, the result, the
 * view) to a .clusterscope file on a worker; Open reads one on a worker, loads its data and
 * shows the saved result without running the algorithm again. Copy as Command puts the CLI
 * command that reproduces the result on the clipboard. */

#define CLI_NAME "clusterscope-cli"
#define PCA_AXIS "pca"

/* What is on screen, as a session (data by path, sample id or embedded when it has no file). */
static CsSession *
capture (CsWindow *self)
{
  CsSession *s = cs_session_new ();
  CsDataset *ds = self->dataset;
  CsParamsPanel *panel = CS_PARAMS_PANEL (self->params_panel);
  const CsAlgorithm *algo = cs_params_panel_get_algorithm (panel);
  g_autoptr (GArray) columns = cs_i_window_chosen_columns (self);
  CsPrepareOptions prepare;
  const char *view;
  int x_column;
  int y_column;

  if (ds->path != NULL)
    {
      s->data_path = g_canonicalize_filename (ds->path, NULL);
      /* The matrix picked from an HDF5 file: reopening takes it without asking. */
      s->data_object = g_strdup (ds->hdf5_object);
    }
  else if (ds->sample_id != NULL)
    s->sample = g_strdup (ds->sample_id);
  else
    s->embedded = cs_dataset_ref (ds);
  if (self->distances != NULL)
    s->distances_path = g_canonicalize_filename (self->distances->path, NULL);

  s->columns = g_new0 (char *, columns->len + 1);
  for (guint i = 0; i < columns->len; i++)
    s->columns[i] = g_strdup (cs_dataset_column (ds, g_array_index (columns, int, i))->name);
  s->label_column = g_strdup (ds->label_column >= 0 ? cs_dataset_column (ds, ds->label_column)->name : "");
  cs_i_window_fill_prepare_options (self, &prepare);
  s->scaling = prepare.scaling;
  s->missing = prepare.missing;

  /* The window keeps its selection ascending without repeats, as the session wants it. */
  if (!cs_session_set_selection (s, self->selection, self->n_selection))
    g_warn_if_reached ();

  if (self->result != NULL)
    {
      s->current = cs_session_run_from_clustering (self->result->pipeline->clustering);
      s->current->title = g_strdup (self->result_status);
    }

  view = cs_window_get_view (self);
  s->view = g_strdup (view);
  cs_i_window_axis_selection (self, &x_column, &y_column);
  g_hash_table_insert (s->settings, g_strdup ("scatter.x"),
                       g_strdup (x_column >= 0 ? cs_dataset_column (ds, x_column)->name : PCA_AXIS));
  g_hash_table_insert (s->settings, g_strdup ("scatter.y"),
                       g_strdup (y_column >= 0 ? cs_dataset_column (ds, y_column)->name : PCA_AXIS));
  /* The panel as it is, which may differ from the run shown (changed since). */
  if (algo != NULL)
    {
      g_autoptr (CsParams) params = cs_params_panel_get_params (panel);
      g_autoptr (GString) text = g_string_new (NULL);

      for (gsize i = 0; i < algo->n_params; i++)
        {
          g_autofree char *value = cs_params_to_string (params, algo->params[i].name);
          g_string_append_printf (text, "%s%s=%s", i > 0 ? "\n" : "", algo->params[i].name, value);
        }
      g_hash_table_insert (s->settings, g_strdup ("panel.algorithm"), g_strdup (algo->id));
      g_hash_table_insert (s->settings, g_strdup ("panel.params"), g_string_free (g_steal_pointer (&text), FALSE));
    }
  return s;
}

/* Saving ---------------------------------------------------------------------------------- */

typedef struct
{
  CsSession *session; /* Owned */
  char      *path;    /* Owned */
} SaveData;

static void
save_data_free (SaveData *data)
{
  cs_session_free (data->session);
  g_free (data->path);
  g_free (data);
}

static gpointer
save_compute (gpointer input, CsProgress *progress, GError **error)
{
  SaveData *data = input;

  /* The hash lets a reopened session say that its data file has changed since. */
  if (data->session->data_path != NULL)
    {
      cs_progress_report (progress, 0.1, "Reading the data file");
      data->session->data_hash = cs_session_hash_file (data->session->data_path, error);
      if (data->session->data_hash == NULL)
        return NULL;
    }
  cs_progress_report (progress, 0.6, "Writing the session");
  if (!cs_session_save (data->session, data->path, error))
    return NULL;
  return g_strdup (data->path);
}

static void
save_done (gpointer result, const GError *error, gpointer user_data)
{
  CsWindow *self = user_data;
  g_autofree char *path = result;

  if (path == NULL)
    {
      if (!g_error_matches (error, CS_ERROR, CS_ERROR_CANCELLED))
        {
          g_autofree char *msg = g_strdup_printf ("The session was not saved: %s", error->message);
          cs_i_window_show_error (self, msg);
        }
      cs_i_window_update_actions (self);
      return;
    }
  {
    g_autofree char *base = g_filename_display_basename (path);
    g_autofree char *text = g_strdup_printf ("Saved the session to %s", base);
    cs_i_window_set_status (self, text);
  }
  g_free (self->session_path);
  self->session_path = g_strdup (path);
  cs_recent_add_loaded (path);
  cs_i_window_update_actions (self);
}

static void
save_to (CsWindow *self, const char *path)
{
  SaveData *data;

  if (self->dataset == NULL)
    return;
  data = g_new0 (SaveData, 1);
  data->session = capture (self);
  data->path = g_strdup (path);
  cs_i_window_set_status (self, "Saving the session…");
  cs_worker_run (self->session_worker, save_compute, data, (GDestroyNotify) save_data_free, g_free, save_done,
                 self);
  cs_i_window_update_actions (self);
}

static void
save_response_cb (GtkNativeDialog *dialog, int response, CsWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT && !self->disposed)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path == NULL)
        cs_i_window_show_error (self, "Choose a folder on this computer to save the session to");
      else
        {
          g_autofree char *named = g_str_has_suffix (path, ".clusterscope") ? g_strdup (path)
                                                                             : g_strconcat (path, ".clusterscope", NULL);
          save_to (self, named);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static GtkFileFilter *
session_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, "Clusterscope sessions");
  gtk_file_filter_add_pattern (filter, "*.clusterscope");
  gtk_file_filter_add_mime_type (filter, CS_SESSION_MEDIA_TYPE);
  return filter;
}

static void
save_as_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow *self = user_data;
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = session_filter ();
  g_autofree char *name = NULL;

  if (self->dataset == NULL)
    return;
  chooser = gtk_file_chooser_native_new ("Save Session", GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE, "_Save",
                                         "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (self->session_path != NULL)
    {
      g_autoptr (GFile) file = g_file_new_for_path (self->session_path);
      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, NULL);
    }
  else
    {
      g_autofree char *stem = g_strdup (self->dataset->name);
      char *dot = strrchr (stem, '.');
      if (dot != NULL && dot != stem)
        *dot = '\0';
      name = g_strconcat (stem, ".clusterscope", NULL);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }
  g_object_ref (self);
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow *self = user_data;

  if (self->session_path != NULL)
    save_to (self, self->session_path);
  else
    save_as_activated (action, parameter, user_data);
}

static void
save_to_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  save_to (user_data, g_variant_get_string (parameter, NULL));
}

/* Opening --------------------------------------------------------------------------------- */

typedef struct
{
  char      *path;     /* Owned */
  CsSession *session;  /* Owned */
  CsDataset *dataset;  /* Owned */
  char      *warning;  /* Owned, may be NULL: the data file changed */
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->path);
  g_clear_pointer (&data->session, cs_session_free);
  g_clear_pointer (&data->dataset, cs_dataset_unref);
  g_free (data->warning);
  g_free (data);
}

static gpointer
open_compute (gpointer input, CsProgress *progress, GError **error)
{
  g_autoptr (CsSession) s = NULL;
  OpenData *data;

  cs_progress_report (progress, 0.0, "Reading the session");
  s = cs_session_load (input, error);
  if (s == NULL)
    return NULL;
  data = g_new0 (OpenData, 1);
  data->path = g_strdup (input);
  if (s->data_path != NULL)
    {
      CsCsvOptions options;
      CsCsvBadCells bad = CS_CSV_BAD_CELLS_AUTO;

      data->warning = cs_session_check_data (s);
      cs_csv_options_init (&options);
      options.label_column = s->label_column;
      if (s->bad_cells != NULL && cs_csv_bad_cells_from_id (s->bad_cells, &bad))
        options.bad_cells = bad;
      /* Any format the Open dialog reads (issue 14), not only CSV. */
      data->dataset = cs_dataset_load_file (s->data_path, &options, s->data_object, progress, error);
    }
  else if (s->sample != NULL)
    data->dataset = cs_sample_load (s->sample, error);
  else
    data->dataset = cs_dataset_ref (s->embedded);
  data->session = g_steal_pointer (&s);
  if (data->dataset == NULL)
    {
      g_prefix_error (error, "The session’s data could not be loaded: ");
      open_data_free (data);
      return NULL;
    }
  return data;
}

/* The sidebar as the session had it: columns, preparation, algorithm and parameters, axes. */
static void
apply_sidebar (CsWindow *self, const CsSession *s)
{
  CsColumnChooser *chooser = CS_COLUMN_CHOOSER (self->columns_list);
  const char *algo_id = g_hash_table_lookup (s->settings, "panel.algorithm");
  const char *params_text = g_hash_table_lookup (s->settings, "panel.params");
  const char *x = g_hash_table_lookup (s->settings, "scatter.x");
  const char *y = g_hash_table_lookup (s->settings, "scatter.y");

  if (s->columns != NULL)
    for (gsize c = 0; c < cs_dataset_n_columns (self->dataset); c++)
      cs_column_chooser_set_column_chosen (chooser, (guint) c,
                                           g_strv_contains ((const char *const *) s->columns,
                                                            cs_dataset_column (self->dataset, c)->name));
  cs_i_window_sidebar_set_prepare (self, s->scaling, s->missing);

  if (algo_id != NULL && cs_window_select_algorithm (self, algo_id))
    {
      CsParamsPanel *panel = CS_PARAMS_PANEL (self->params_panel);
      g_autoptr (CsParams) params = cs_params_new (cs_params_panel_get_algorithm (panel));
      g_auto (GStrv) lines = params_text != NULL ? g_strsplit (params_text, "\n", -1) : NULL;

      /* A value this version does not take keeps the default rather than failing the open. */
      for (gsize i = 0; lines != NULL && lines[i] != NULL; i++)
        cs_params_set_assignment (params, lines[i], NULL);
      cs_params_panel_set_params (panel, params);
    }
  if (x != NULL && y != NULL)
    cs_window_set_axes (self, g_str_equal (x, PCA_AXIS) ? NULL : x, g_str_equal (y, PCA_AXIS) ? NULL : y);
}

static void
open_done (gpointer result, const GError *error, gpointer user_data)
{
  CsWindow *self = user_data;
  OpenData *data = result;
  CsSession *s;

  gtk_spinner_stop (GTK_SPINNER (self->loading_spinner));
  if (data == NULL)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), self->dataset != NULL ? "plot" : "welcome");
      if (!g_error_matches (error, CS_ERROR, CS_ERROR_CANCELLED))
        {
          cs_i_window_set_progress (self, 0, "Failed");
          cs_i_window_show_error (self, error->message);
        }
      cs_i_window_update_actions (self);
      return;
    }
  s = data->session;
  {
    g_autofree char *base = g_filename_display_basename (data->path);
    g_autofree char *label = g_strdup_printf ("Open Session %s", base);

    /* The data, the sidebar and the result it brings are one step back. */
    cs_i_window_undo_name_next (self, label, NULL);
  }
  cs_i_window_take_dataset (self, g_steal_pointer (&data->dataset));
  g_free (self->session_path);
  self->session_path = g_strdup (data->path);
  cs_recent_add_loaded (data->path);
  apply_sidebar (self, s);
  if (s->distances_path != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (self), "open-distances-path",
                                    g_variant_new_string (s->distances_path));

  if (s->current != NULL)
    {
      g_autoptr (GArray) columns = NULL;
      CsPipelineOptions options;
      int x_column;
      int y_column;
      g_autofree char *base = g_filename_display_basename (data->path);
      g_autofree char *text = g_strdup_printf ("Showing the result saved in %s…", base);

      if (cs_i_window_begin_job (self, &columns, &options))
        {
          cs_i_window_axis_selection (self, &x_column, &y_column);
          g_free (self->pending_view);
          self->pending_view = g_strdup (s->view);
          cs_i_window_start_job (self,
                                 cs_job_new_restore (self->dataset, &options, g_steal_pointer (&s->current),
                                                     x_column, y_column),
                                 text);
        }
    }
  else if (s->view != NULL)
    cs_i_window_show_view (self, s->view);
  /* After the result job is set up: a new dataset would clear it, a result does not. */
  if (s->n_selection > 0)
    {
      g_autoptr (GError) why = NULL;

      if (cs_session_check_selection (s, self->dataset->n_rows, &why))
        cs_window_set_selection (self, s->selection, s->n_selection);
      else
        {
          char *both = data->warning != NULL ? g_strdup_printf ("%s %s", data->warning, why->message)
                                             : g_strdup (why->message);
          g_free (data->warning);
          data->warning = both;
        }
    }
  if (data->warning != NULL)
    cs_i_window_show_error (self, data->warning);
  open_data_free (data);
}

void
cs_i_window_open_session (CsWindow *self, const char *path)
{
  g_autofree char *base = g_filename_display_basename (path);
  g_autofree char *text = g_strdup_printf ("Opening %s…", base);

  cs_i_window_cancel_all (self);
  cs_i_window_hide_error (self);
  gtk_label_set_text (GTK_LABEL (self->loading_label), text);
  cs_i_window_set_progress (self, 0, text);
  gtk_spinner_start (GTK_SPINNER (self->loading_spinner));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  cs_worker_run (self->session_worker, open_compute, g_canonicalize_filename (path, NULL), g_free,
                 (GDestroyNotify) open_data_free, open_done, self);
  cs_i_window_update_actions (self);
}

static void
open_response_cb (GtkNativeDialog *dialog, int response, CsWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT && !self->disposed)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path == NULL)
        cs_i_window_show_error (self, "Choose a session file on this computer");
      else
        cs_i_window_open_session (self, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
open_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow *self = user_data;
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = session_filter ();

  chooser = gtk_file_chooser_native_new ("Open Session", GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN, "_Open",
                                         "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_ref (self);
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_path_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  cs_i_window_open_session (user_data, g_variant_get_string (parameter, NULL));
}

/* Copy as Command ------------------------------------------------------------------------- */

static void
copy_command_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow *self = user_data;
  g_autoptr (CsSession) s = NULL;
  g_autofree char *cmd = NULL;
  g_autofree char *why = NULL;

  if (self->dataset == NULL || self->result == NULL)
    return;
  s = capture (self);
  cmd = cs_session_to_command (s, CLI_NAME, &why);
  if (cmd == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("No command can reproduce this result: %s", why);
      cs_i_window_show_error (self, msg);
      return;
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), cmd);
  cs_i_window_set_status (self, "Copied the command that reproduces this result");
}

static const GActionEntry session_entries[] = {
  { "save-session", save_activated, NULL, NULL, NULL },
  { "save-session-as", save_as_activated, NULL, NULL, NULL },
  { "save-session-to", save_to_activated, "s", NULL, NULL },
  { "open-session", open_activated, NULL, NULL, NULL },
  { "open-session-path", open_path_activated, "s", NULL, NULL },
  { "copy-command", copy_command_activated, NULL, NULL, NULL },
};

void
cs_i_window_session_init (CsWindow *self)
{
  self->session_worker = cs_worker_new (CS_WORKER_REPLACE);
  g_action_map_add_action_entries (G_ACTION_MAP (self), session_entries, G_N_ELEMENTS (session_entries), self);
}

void
cs_i_window_session_finalize (CsWindow *self)
{
  g_clear_object (&self->session_worker);
  g_free (self->session_path);
  g_free (self->pending_view);
}
