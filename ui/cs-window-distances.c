#include "ui/cs-window-private.h"

#include "core/data/cs-dissim.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/cluster/cs-registry.h"

/* A precomputed dissimilarity matrix for the window's runs, as the CLI's --distances gives
 * one: loaded and checked on a worker, then handed to every run until it is cleared or a
 * new dataset arrives. */

#define RUN_TOOLTIP "Run the algorithm (Ctrl+R)"

static void
distances_clear (gpointer data)
{
  CsWindowDistances *d = data;

  g_clear_pointer (&d->dissim, cs_dissim_free);
  g_clear_pointer (&d->path, g_free);
  g_clear_pointer (&d->name, g_free);
}

CsWindowDistances *
cs_i_window_distances_ref (CsWindowDistances *d)
{
  return g_atomic_rc_box_acquire (d);
}

/* Atomic: the last reference may be a finished job's, dropped on its worker thread. */
void
cs_i_window_distances_unref (CsWindowDistances *d)
{
  g_atomic_rc_box_release_full (d, distances_clear);
}

static const CsAlgorithm *
selected_algorithm (CsWindow *self)
{
  return cs_params_panel_get_algorithm (CS_PARAMS_PANEL (self->params_panel));
}

/* Sets the panel's dissimilarity to `metric` if the algorithm offers it. */
static void
set_metric (CsWindow *self, CsMetric metric)
{
  CsParamsPanel     *panel = CS_PARAMS_PANEL (self->params_panel);
  g_autoptr (CsParams) params = NULL;
  CsMetric           current;

  if (selected_algorithm (self) == NULL)
    return;
  params = cs_params_panel_get_params (panel);
  if (!cs_params_get_dissim (params, &current) || current == metric)
    return;
  if (cs_params_set_dissim (params, metric))
    cs_params_panel_set_params (panel, params);
}

static void
set_distances (CsWindow *self, CsWindowDistances *d)
{
  g_clear_pointer (&self->distances, cs_i_window_distances_unref);
  self->distances = d;

  if (d != NULL)
    {
      g_autofree char *n = cs_format_count (d->dissim->n);
      /* No-break spaces: a narrow sidebar wraps after the name, never inside the size. */
      g_autofree char *text = g_strdup_printf ("Distances: %s (%s\u00a0×\u00a0%s)", d->name, n, n);

      gtk_label_set_text (GTK_LABEL (self->distances_label), text);
      gtk_widget_set_tooltip_text (self->distances_label, d->path);
      set_metric (self, CS_METRIC_PRECOMPUTED);
    }
  else
    {
      /* Back to coordinates: a "precomputed" choice left behind would only fail the next run. */
      const CsAlgorithm *algo = selected_algorithm (self);
      g_autoptr (CsParams) params
          = algo != NULL ? cs_params_panel_get_params (CS_PARAMS_PANEL (self->params_panel)) : NULL;
      g_autoptr (CsParams) defaults = algo != NULL ? cs_params_new (algo) : NULL;
      CsMetric current;
      CsMetric fallback;

      if (params != NULL && cs_params_get_dissim (params, &current) && current == CS_METRIC_PRECOMPUTED
          && cs_params_get_dissim (defaults, &fallback))
        set_metric (self, fallback);
    }
  cs_i_window_update_actions (self);
}

void
cs_i_window_distances_algorithm_changed (CsWindow *self)
{
  if (self->distances != NULL)
    set_metric (self, CS_METRIC_PRECOMPUTED);
}

gboolean
cs_i_window_distances_sync (CsWindow *self)
{
  const CsAlgorithm *algo = selected_algorithm (self);
  g_autofree char   *why = NULL;

  if (self->distances != NULL && algo != NULL && algo->run_dissim == NULL)
    why = g_strdup_printf ("%s works on coordinates and cannot use the distance matrix: pick a k-medoids "
                           "method (PAM, FasterPAM, …) or stop using the matrix",
                           algo->name);
  gtk_label_set_text (GTK_LABEL (self->distances_hint_label), why != NULL ? why : "");
  gtk_widget_set_visible (self->distances_hint_label, why != NULL);
  gtk_widget_set_tooltip_text (self->run_button, why != NULL ? why : RUN_TOOLTIP);
  gtk_widget_set_tooltip_text (self->sidebar_run_button, why);
  gtk_widget_set_visible (self->distances_box, self->distances != NULL);
  return why == NULL;
}

/* Loading on a worker */

typedef struct
{
  char            *path;    /* Owned */
  char            *name;    /* Owned */
  CsDataset       *dataset; /* Owned ref: the rows the matrix must match */
  GArray          *columns; /* Owned: prepare.columns points into it */
  CsPrepareOptions prepare;
} DistancesLoad;

static void
distances_load_free (DistancesLoad *load)
{
  g_free (load->path);
  g_free (load->name);
  g_clear_pointer (&load->dataset, cs_dataset_unref);
  g_clear_pointer (&load->columns, g_array_unref);
  g_free (load);
}

/* Worker thread: never touches GTK or the window. */
static gpointer
distances_compute (gpointer input, CsProgress *progress, GError **error)
{
  DistancesLoad *load = input;
  g_autoptr (CsDissim) D = NULL;
  g_autoptr (CsPrepared) prep = NULL;
  CsWindowDistances *d;
  gsize              rows = load->dataset->n_rows;

  D = cs_dissim_load (load->path, progress, error);
  if (D == NULL || !cs_progress_check (progress, error))
    return NULL;

  /* cs_pipeline_run indexes the matrix by the prepared rows (rows with missing values may
   * be dropped), so that count is the one to match, as with the CLI's --distances. With no
   * column chosen there is nothing to prepare; the run itself will say so. */
  if (load->columns->len > 0)
    prep = cs_dataset_prepare (load->dataset, &load->prepare, NULL);
  if (prep != NULL)
    rows = prep->x->rows;
  if (D->n != rows)
    {
      g_autofree char *n = cs_format_count (D->n);
      g_autofree char *r = cs_format_count (rows);
      g_autofree char *all = cs_format_count (load->dataset->n_rows);
      g_autofree char *dropped = cs_format_count (prep != NULL ? prep->n_dropped : 0);

      if (prep != NULL && prep->n_dropped > 0)
        g_set_error (
            error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
            "%s is a %s × %s distance matrix, but %s of the dataset’s %s rows are clustered (%s"
            " %s with missing values %s dropped; choose “Fill with column mean” to keep them): the matrix "
            "needs one row and one column per clustered row",
            load->name, n, n, r, all, dropped, prep->n_dropped == 1 ? "row" : "rows",
            prep->n_dropped == 1 ? "is" : "are");
      else
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "%s is a %s × %s distance matrix, but the dataset has %s %s: the matrix "
                     "needs one row and one column per data row, in the same order",
                     load->name, n, n, r, rows == 1 ? "row" : "rows");
      return NULL;
    }

  d = g_atomic_rc_box_new0 (CsWindowDistances);
  d->dissim = g_steal_pointer (&D);
  d->path = g_strdup (load->path);
  d->name = g_strdup (load->name);
  return d;
}

/* A newer load, a new dataset or a closed window drop the request: then this never runs. */
static void
distances_done (gpointer result, const GError *error, gpointer user_data)
{
  CsWindow *self = user_data;
  g_autoptr (CsWindowDistances) d = result;

  if (d == NULL)
    {
      if (g_error_matches (error, CS_ERROR, CS_ERROR_CANCELLED))
        {
          cs_i_window_set_progress (self, 0, "Cancelled");
          cs_i_window_set_status (self, "Cancelled");
        }
      else
        {
          cs_i_window_set_progress (self, 0, "Failed");
          cs_i_window_show_error (self, error->message);
        }
      cs_i_window_update_actions (self);
      return;
    }

  {
    g_autofree char *n = cs_format_count (d->dissim->n);
    g_autofree char *status
        = g_strdup_printf ("Using the distances in %s (%s × %s) — press Run to cluster", d->name, n, n);

    cs_i_window_set_status (self, status);
  }
  cs_i_window_set_progress (self, 0, "Ready");
  set_distances (self, g_steal_pointer (&d));
}

static void
start_distances_load (CsWindow *self, GFile *file)
{
  DistancesLoad   *load;
  g_autofree char *path = g_file_get_path (file);

  if (self->dataset == NULL)
    return;
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *msg
          = g_strdup_printf ("%s is not a local file; copy it to this computer and choose it again", uri);

      cs_i_window_show_error (self, msg);
      return;
    }

  load = g_new0 (DistancesLoad, 1);
  load->path = g_steal_pointer (&path);
  load->name = g_file_get_basename (file);
  load->dataset = cs_dataset_ref (self->dataset);
  load->columns = g_array_new (FALSE, FALSE, sizeof (int));
  cs_i_window_fill_prepare (self, &load->prepare, load->columns);

  {
    g_autofree char *text = g_strdup_printf ("Loading %s…", load->name);

    cs_i_window_set_progress (self, -1, text);
    cs_i_window_set_status (self, text);
  }
  cs_worker_run (self->distances_worker, distances_compute, load, (GDestroyNotify)distances_load_free,
                 (GDestroyNotify)cs_i_window_distances_unref, distances_done, self);
  cs_i_window_update_actions (self);
}

static void
open_response_cb (GtkNativeDialog *dialog, int response, CsWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT && !self->disposed)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        start_distances_load (self, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
add_filter (GtkFileChooser *chooser, const char *name, const char *const *patterns, const char *const *types)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (; patterns != NULL && *patterns != NULL; patterns++)
    gtk_file_filter_add_pattern (filter, *patterns);
  for (; types != NULL && *types != NULL; types++)
    gtk_file_filter_add_mime_type (filter, *types);
  gtk_file_chooser_add_filter (chooser, filter);
}

void
cs_i_window_open_distances_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow                *self = user_data;
  GtkFileChooserNative    *chooser;
  static const char *const table_patterns[] = { "*.csv", "*.CSV", "*.tsv", "*.TSV", "*.txt", NULL };
  static const char *const table_types[] = { "text/csv", "text/tab-separated-values", NULL };
  static const char *const all_patterns[] = { "*", NULL };

  chooser = gtk_file_chooser_native_new ("Use Distance Matrix", GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, "_Use", "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_filter (GTK_FILE_CHOOSER (chooser), "Distance matrices (CSV, TSV)", table_patterns, table_types);
  add_filter (GTK_FILE_CHOOSER (chooser), "All files", all_patterns, NULL);
  /* The chooser is kept alive by its own reference until "response". */
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
cs_i_window_open_distances_path_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_autoptr (GFile) file = g_file_new_for_commandline_arg (g_variant_get_string (parameter, NULL));

  start_distances_load (user_data, file);
}

void
cs_i_window_clear_distances_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow *self = user_data;

  cs_i_window_distances_clear (self);
  if (self->dataset != NULL)
    {
      g_autofree char *count = cs_format_count (self->dataset->n_rows);
      g_autofree char *status
          = g_strdup_printf ("Using the coordinates of %s points — press Run to cluster", count);

      cs_i_window_set_status (self, status);
    }
}

void
cs_i_window_distances_clear (CsWindow *self)
{
  cs_i_window_distances_cancel (self);
  set_distances (self, NULL);
}

void
cs_i_window_distances_cancel (CsWindow *self)
{
  if (self->distances_worker != NULL)
    cs_worker_drop (self->distances_worker);
}

gboolean
cs_i_window_distances_busy (CsWindow *self)
{
  return self->distances_worker != NULL && cs_worker_is_busy (self->distances_worker);
}

void
cs_i_window_distances_init (CsWindow *self)
{
  self->distances_worker = cs_worker_new (CS_WORKER_REPLACE);
}

void
cs_i_window_distances_finalize (CsWindow *self)
{
  g_clear_pointer (&self->distances, cs_i_window_distances_unref);
  g_clear_object (&self->distances_worker);
}
