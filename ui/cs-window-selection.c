#include "ui/cs-window-private.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-file.h"
#include "core/base/cs-format.h"
#include "core/data/cs-dataset-subset.h"
#include "ui/widgets/cs-column-chooser.h"

/* What the selection becomes (issue 14): its rows exported as CSV with their cluster
 * (win.export-selection, -to), a dataset of only those rows or of all the others
 * (win.cluster-selection, win.exclude-selection), or a new cluster in the result on screen
 * (win.label-selection); win.clear-selection empties it. A new dataset goes through
 * cs_i_window_take_dataset, the path every dataset change takes (and that the undo stack
 * records); a relabelled result is scored on a worker and shown like a run, marked "Edited" in
 * the run history. Every action is off while nothing is selected. */

struct _CsWindowSelection
{
  CsWorker *label_worker; /* Owned: scores a relabelled result */
};

/* Rows a result did not cluster (dropped by preparation): not a label, nor noise. */
#define NOT_CLUSTERED G_MININT

/* The current result's label of every dataset row (NOT_CLUSTERED where it has none), or NULL
 * without a result. */
static int *
dataset_labels (const CsDataset *ds, const CsPageResult *result)
{
  const CsPipelineResult *r;
  int                    *labels;

  if (ds == NULL || result == NULL)
    return NULL;
  r = result->pipeline;
  labels = g_new (int, MAX (ds->n_rows, 1));
  for (gsize i = 0; i < ds->n_rows; i++)
    labels[i] = NOT_CLUSTERED;
  for (gsize i = 0; i < r->clustering->n; i++)
    if (r->prep->rows[i] < ds->n_rows)
      labels[r->prep->rows[i]] = r->clustering->labels[i];
  return labels;
}

static gboolean
have_selection (CsWindow *self)
{
  return self->dataset != NULL && self->n_selection > 0 && !cs_i_window_is_loading (self);
}

void
cs_i_window_selection_update_actions (CsWindow *self)
{
  static const char *const data_actions[] = { "export-selection", "export-selection-to", "cluster-selection",
                                              "exclude-selection", "clear-selection" };
  gboolean                 any = have_selection (self);
  GAction                 *action;

  /* The window's own updates start before these actions exist. */
  if (self->disposed || self->selection_state == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (data_actions); i++)
    {
      action = g_action_map_lookup_action (G_ACTION_MAP (self), data_actions[i]);
      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), any);
    }
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "label-selection");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), any && self->result != NULL);
}

/* Export ------------------------------------------------------------------------------------ */

typedef struct
{
  CsWindow *window; /* Owned */
  CsWorker *worker; /* Owned */
} Writer;

static void
export_done (gpointer result, const GError *error, gpointer user_data)
{
  Writer          *writer = user_data;
  CsWindow        *self = writer->window;
  g_autofree char *path = result;

  self->n_writes--;
  if (!self->disposed && path == NULL)
    cs_i_window_show_error (self, error->message);
  else if (!self->disposed)
    {
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *text = g_strdup_printf ("Saved %s", base);
      cs_i_window_set_progress (self, 1.0, text);
    }
  if (!self->disposed)
    cs_i_window_update_actions (self);
  g_object_unref (writer->worker);
  g_object_unref (writer->window);
  g_free (writer);
}

typedef struct
{
  CsDataset *dataset; /* Owned */
  gsize     *rows;    /* Owned */
  gsize      n;
  int       *clusters; /* Owned, may be NULL */
  char      *path;     /* Owned */
} CsvInput;

static void
csv_input_free (CsvInput *in)
{
  cs_dataset_unref (in->dataset);
  g_free (in->rows);
  g_free (in->clusters);
  g_free (in->path);
  g_free (in);
}

/* The CSV text is built on the worker too: a million selected rows take a while to print. */
static gpointer
csv_compute (gpointer input, CsProgress *progress, GError **error)
{
  CsvInput        *in = input;
  g_autofree char *text = cs_dataset_rows_to_csv (in->dataset, in->rows, in->n, in->clusters);

  if (!cs_progress_check (progress, error))
    return NULL;
  if (!cs_write_file_atomic (in->path, text, strlen (text), error))
    return NULL;
  return g_strdup (in->path);
}

static void
export_selection (CsWindow *self, const char *path)
{
  CsvInput *in;
  Writer   *writer;

  if (!have_selection (self))
    return;
  in = g_new0 (CsvInput, 1);
  in->dataset = cs_dataset_ref (self->dataset);
  in->rows = g_memdup2 (self->selection, self->n_selection * sizeof (gsize));
  in->n = self->n_selection;
  in->clusters = dataset_labels (self->dataset, self->result);
  in->path = g_strdup (path);
  self->n_writes++;
  writer = g_new0 (Writer, 1);
  writer->window = g_object_ref (self);
  writer->worker = cs_worker_new (CS_WORKER_REPLACE);
  cs_worker_run (writer->worker, csv_compute, in, (GDestroyNotify)csv_input_free, g_free, export_done,
                 writer);
  cs_i_window_update_actions (self);
}

static void
export_selection_to_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  export_selection (user_data, g_variant_get_string (parameter, NULL));
}

static void
export_response_cb (GtkNativeDialog *dialog, int response, CsWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT && !self->disposed)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path == NULL)
        cs_i_window_show_error (self, "Choose a folder on this computer to save to");
      else
        export_selection (self, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_selection_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow *self = user_data;
  g_autoptr (GtkFileFilter) csv = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;
  g_autofree char      *count = cs_format_count (self->n_selection);
  g_autofree char      *title = NULL;
  g_autofree char      *name = NULL;

  if (!have_selection (self))
    return;
  title = g_strdup_printf ("Export %s Selected %s", count, self->n_selection == 1 ? "Row" : "Rows");
  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE, "_Export",
                                         "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (csv, "CSV");
  gtk_file_filter_add_pattern (csv, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  {
    /* "wine-selection.csv": the dataset's name without its extension or subset note. */
    const char      *base = self->dataset->name;
    const char      *cut = strstr (base, " · ");
    g_autofree char *stem = cut != NULL ? g_strndup (base, (gsize)(cut - base)) : g_strdup (base);
    char            *dot = strrchr (stem, '.');

    if (dot != NULL && dot != stem)
      *dot = '\0';
    name = g_strconcat (stem, "-selection.csv", NULL);
  }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  /* The chooser is kept alive by its own reference until "response". */
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* A dataset of some rows ----------------------------------------------------------------- */

/* Shows `ds` (taken) in place of the window's data, keeping the ticked columns and the axes
 * (a subset has the same columns, in the same order). */
static void
show_subset (CsWindow *self, CsDataset *ds, const char *what)
{
  g_autoptr (GArray) chosen = cs_i_window_chosen_columns (self);
  g_autofree char *x_name = NULL;
  g_autofree char *y_name = NULL;
  g_autofree char *status = NULL;
  int              x_column, y_column;

  cs_i_window_axis_selection (self, &x_column, &y_column);
  if (x_column >= 0 && y_column >= 0)
    {
      x_name = g_strdup (cs_dataset_column (self->dataset, x_column)->name);
      y_name = g_strdup (cs_dataset_column (self->dataset, y_column)->name);
    }
  /* The name carries the count: "Wine · 42 of 178 rows: the selected rows only — press Run …" */
  status
      = g_strdup_printf ("%s: %s — press Run to cluster %s", ds->name, what, ds->n_rows == 1 ? "it" : "them");
  cs_i_window_take_dataset (self, ds);
  {
    CsColumnChooser     *chooser = CS_COLUMN_CHOOSER (self->columns_list);
    guint                n_cols = cs_column_chooser_get_n_columns (chooser);
    g_autofree gboolean *want = g_new0 (gboolean, MAX (n_cols, 1));

    for (guint i = 0; i < chosen->len; i++)
      if ((guint)g_array_index (chosen, int, i) < n_cols)
        want[g_array_index (chosen, int, i)] = TRUE;
    for (guint c = 0; c < n_cols; c++)
      cs_column_chooser_set_column_chosen (chooser, c, want[c]);
  }
  if (x_name != NULL)
    cs_window_set_axes (self, x_name, y_name);
  else
    cs_i_window_rebuild_model (self);
  cs_i_window_set_status (self, status);
}

static void
cluster_selection_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow *self = user_data;
  g_autoptr (GError) error = NULL;
  CsDataset *ds;

  if (!have_selection (self))
    return;
  ds = cs_dataset_subset (self->dataset, self->selection, self->n_selection, &error);
  if (ds == NULL)
    {
      cs_i_window_show_error (self, error->message);
      return;
    }
  show_subset (self, ds, "the selected rows only");
}

static void
exclude_selection_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow *self = user_data;
  g_autoptr (GError) error = NULL;
  CsDataset *ds;

  if (!have_selection (self))
    return;
  ds = cs_dataset_exclude (self->dataset, self->selection, self->n_selection, &error);
  if (ds == NULL)
    {
      cs_i_window_show_error (self, error->message);
      return;
    }
  show_subset (self, ds, "the selection left out");
}

static void
clear_selection_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  cs_window_set_selection (user_data, NULL, 0);
}

/* A new cluster in the result ---------------------------------------------------------- */

typedef struct
{
  CsDataset        *dataset; /* Owned */
  CsPageResult     *result;  /* Owned */
  gsize            *rows;    /* Owned: the selection */
  gsize             n;
  GArray           *columns; /* Owned: options.prepare.columns points into it */
  CsPipelineOptions options;
  int               x_column;
  int               y_column;
} RelabelInput;

typedef struct
{
  CsPipelineResult *pipeline;    /* Owned */
  CsPlotModel      *model;       /* Owned */
  guint             new_cluster; /* its label */
  gsize             n_moved;     /* rows it has */
  guint             old_k;
  guint            *old_to_new; /* Owned, old_k entries: an old cluster's new label, G_MAXUINT when emptied */
} RelabelOutput;

static void
relabel_input_free (RelabelInput *in)
{
  cs_dataset_unref (in->dataset);
  cs_page_result_unref (in->result);
  g_free (in->rows);
  g_array_unref (in->columns);
  g_free (in);
}

static void
relabel_output_free (RelabelOutput *out)
{
  cs_pipeline_result_free (out->pipeline);
  cs_plot_model_free (out->model);
  g_free (out->old_to_new);
  g_free (out);
}

/* Worker: the result's labels with the selected rows as one more cluster, clusters left
 * empty by it dropped (numbers close up in order), then scored as labels are. */
static gpointer
relabel_compute (gpointer input, CsProgress *progress, GError **error)
{
  RelabelInput        *in = input;
  const CsClustering  *c = in->result->pipeline->clustering;
  gsize                N = in->dataset->n_rows;
  g_autofree int      *labels = dataset_labels (in->dataset, in->result);
  g_autofree guint    *map = g_new (guint, c->k + 1);
  g_autofree gboolean *used = g_new0 (gboolean, c->k + 1);
  guint                k = 0;
  RelabelOutput       *out;
  g_autoptr (CsPipelineResult) pipeline = NULL;

  for (gsize i = 0; i < in->n; i++)
    if (in->rows[i] < N)
      labels[in->rows[i]] = (int)c->k;
  for (gsize i = 0; i < N; i++)
    if (labels[i] >= 0 && labels[i] <= (int)c->k)
      used[labels[i]] = TRUE;
  for (guint j = 0; j <= c->k; j++)
    map[j] = used[j] ? k++ : G_MAXUINT;
  for (gsize i = 0; i < N; i++)
    labels[i] = labels[i] >= 0 && labels[i] <= (int)c->k ? (int)map[labels[i]] : -1;

  pipeline = cs_pipeline_run_labels (in->dataset, &in->options, labels, k, progress, error);
  if (pipeline == NULL || !cs_progress_check (progress, error))
    return NULL;
  out = g_new0 (RelabelOutput, 1);
  out->new_cluster = map[c->k];
  out->old_k = c->k;
  out->old_to_new = g_memdup2 (map, c->k * sizeof (guint));
  for (gsize i = 0; i < pipeline->clustering->n; i++)
    out->n_moved += pipeline->clustering->labels[i] == (int)out->new_cluster;
  cs_progress_report (progress, 1.0, "Building the plot");
  out->model = cs_plot_model_build_scatter (in->dataset, pipeline->prep, pipeline->clustering, in->x_column,
                                            in->y_column, error);
  if (out->model == NULL)
    {
      g_free (out);
      return NULL;
    }
  out->pipeline = g_steal_pointer (&pipeline);
  return out;
}

/* "k-means: 3 clusters" from "k-means: 3 clusters · inertia … · …". */
static char *
title_head (const CsPageResult *r)
{
  const char *title = r->title != NULL ? r->title : r->pipeline->clustering->algorithm;
  const char *dot = strstr (title, " · ");

  return dot != NULL ? g_strndup (title, (gsize)(dot - title)) : g_strdup (title);
}

static char *
edited_title (const RelabelOutput *out, const char *from)
{
  const CsPipelineResult *r = out->pipeline;
  g_autofree char        *moved = cs_format_count (out->n_moved);
  g_autofree char        *k = cs_format_count (r->clustering->k);
  GString                *s = g_string_new (NULL);

  /* The head is what the run history lists: it says this result was edited, and from what. */
  g_string_append_printf (s, "Edited: %s %s as cluster %u (from %s) · %s %s", moved,
                          out->n_moved == 1 ? "row" : "rows", out->new_cluster + 1, from, k,
                          r->clustering->k == 1 ? "cluster" : "clusters");
  if (isfinite (r->clustering->objective) && r->clustering->objective_name != NULL)
    g_string_append_printf (s, " · %s %.6g", r->clustering->objective_name, r->clustering->objective);
  if (isfinite (r->silhouette))
    g_string_append_printf (s, " · silhouette %.3f%s", r->silhouette,
                            r->silhouette_sampled ? " (sampled)" : "");
  if (isfinite (r->ari))
    g_string_append_printf (s, " · ARI %.3f", r->ari);
  if (isfinite (r->nmi))
    g_string_append_printf (s, " · NMI %.3f", r->nmi);
  return g_string_free (s, FALSE);
}

/* Every old cluster keeps its colour and the new one takes a free one. Matching by overlap
 * (cs_plot_model_match_colors) would hand the old colour to whichever side of a split cluster
 * is larger, often the selection: the new cluster would look like the old one. */
static gboolean
keep_colors (CsWindow *self, RelabelOutput *out)
{
  const CsPlotModel   *previous = cs_plot_view_get_model (cs_window_get_plot_view (self));
  CsPlotModel         *m = out->model;
  g_autofree gboolean *taken = NULL;
  guint                n_slots;
  guint                free_slot = 0;

  if (previous == NULL || previous->labels == NULL || previous->k != out->old_k || m->labels == NULL
      || previous->n != m->n)
    return FALSE;
  n_slots = MAX (previous->k, m->k) + 1;
  taken = g_new0 (gboolean, n_slots + previous->k);
  for (guint j = 0; j < m->k; j++)
    m->color_slot[j] = -1;
  for (guint j = 0; j < out->old_k; j++)
    if (out->old_to_new[j] != G_MAXUINT && out->old_to_new[j] < m->k)
      {
        int slot = previous->color_slot[j];

        m->color_slot[out->old_to_new[j]] = slot;
        if (slot >= 0 && (guint)slot < n_slots + previous->k)
          taken[slot] = TRUE;
      }
  for (guint j = 0; j < m->k; j++)
    if (m->color_slot[j] < 0)
      {
        while (taken[free_slot])
          free_slot++;
        m->color_slot[j] = (int)free_slot;
        taken[free_slot] = TRUE;
      }
  return TRUE;
}

static void
relabel_done (gpointer result, const GError *error, gpointer user_data)
{
  CsWindow        *self = user_data;
  RelabelOutput   *out = result;
  g_autofree char *from = NULL;
  g_autofree char *status = NULL;

  if (self->disposed)
    return;
  if (out == NULL)
    {
      if (!g_error_matches (error, CS_ERROR, CS_ERROR_CANCELLED))
        {
          cs_i_window_set_progress (self, 0, "Failed");
          cs_i_window_show_error (self, error->message);
        }
      cs_i_window_update_actions (self);
      return;
    }
  from = self->result != NULL ? title_head (self->result) : g_strdup ("the last run");
  status = edited_title (out, from);
  /* The points first: the pages take the scatter's colours for the result. */
  if (keep_colors (self, out))
    cs_i_window_show_model_as_is (self, g_steal_pointer (&out->model));
  else
    cs_i_window_show_model (self, g_steal_pointer (&out->model));
  cs_i_window_set_result (self, cs_page_result_new (g_steal_pointer (&out->pipeline)));
  self->result->title = g_strdup (status);
  cs_i_window_history_add (self, self->result);
  cs_i_window_set_status (self, status);
  g_free (self->result_status);
  self->result_status = g_steal_pointer (&status);
  cs_i_window_sidebar_show_prepared (self, self->result->pipeline->prep);
  cs_i_window_set_progress (self, 1.0, "Relabelled");
  relabel_output_free (out);
  cs_i_window_update_actions (self);
}

static void
label_selection_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow     *self = user_data;
  RelabelInput *in;

  if (!have_selection (self) || self->result == NULL)
    return;
  in = g_new0 (RelabelInput, 1);
  in->dataset = cs_dataset_ref (self->dataset);
  in->result = cs_page_result_ref (self->result);
  in->rows = g_memdup2 (self->selection, self->n_selection * sizeof (gsize));
  in->n = self->n_selection;
  in->columns = g_array_new (FALSE, FALSE, sizeof (int));
  cs_pipeline_options_init (&in->options);
  /* The sidebar's preparation, as Open Labels scores a file's labels. */
  cs_i_window_fill_prepare (self, &in->options.prepare, in->columns);
  cs_i_window_axis_selection (self, &in->x_column, &in->y_column);
  cs_i_window_hide_error (self);
  cs_i_window_set_progress (self, -1, "Scoring the new cluster");
  cs_worker_run (self->selection_state->label_worker, relabel_compute, in, (GDestroyNotify)relabel_input_free,
                 (GDestroyNotify)relabel_output_free, relabel_done, self);
  cs_i_window_update_actions (self);
}

/* Set-up ------------------------------------------------------------------------------------ */

static const GActionEntry selection_entries[] = {
  { "export-selection", export_selection_activated, NULL, NULL, NULL },
  { "export-selection-to", export_selection_to_activated, "s", NULL, NULL },
  { "cluster-selection", cluster_selection_activated, NULL, NULL, NULL },
  { "exclude-selection", exclude_selection_activated, NULL, NULL, NULL },
  { "label-selection", label_selection_activated, NULL, NULL, NULL },
  { "clear-selection", clear_selection_activated, NULL, NULL, NULL },
};

void
cs_i_window_selection_init (CsWindow *self)
{
  self->selection_state = g_new0 (CsWindowSelection, 1);
  self->selection_state->label_worker = cs_worker_new (CS_WORKER_REPLACE);
  g_action_map_add_action_entries (G_ACTION_MAP (self), selection_entries, G_N_ELEMENTS (selection_entries),
                                   self);
  cs_i_window_selection_update_actions (self);
}

gboolean
cs_i_window_selection_busy (CsWindow *self)
{
  return self->selection_state != NULL && cs_worker_is_busy (self->selection_state->label_worker);
}

void
cs_i_window_selection_cancel (CsWindow *self)
{
  if (self->selection_state != NULL)
    cs_worker_drop (self->selection_state->label_worker);
}

void
cs_i_window_selection_finalize (CsWindow *self)
{
  if (self->selection_state == NULL)
    return;
  g_clear_object (&self->selection_state->label_worker);
  g_clear_pointer (&self->selection_state, g_free);
}
