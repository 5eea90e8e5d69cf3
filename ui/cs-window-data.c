#include "ui/cs-window-private.h"

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/data/cs-samples.h"
#include "core/data/cs-toy.h"
#include "ui/cs-recent.h"
#include "core/data/cs-prepare.h"
#include "core/data/cs-csv.h"
#include "core/data/cs-load.h"
#include "core/data/cs-hdf5.h"
#include "ui/cs-hdf5-picker.h"

/* Data on workers: loading a dataset (a file, a bundled sample, a generated set) and
 * rebuilding the plotted points when the axes or the columns change. Both run on a CsWorker,
 * so a newer load or rebuild replaces the one in flight. */

/* Rebuilding the scatter model on a worker (axes or columns changed) */

typedef struct
{
  CsDataset       *dataset; /* Owned */
  CsPageResult    *result;  /* Owned, may be NULL: then the raw points are shown */
  GArray          *columns; /* Owned */
  CsPrepareOptions prepare;
  int              x_column;
  int              y_column;
} ModelData;

static void
model_data_free (ModelData *data)
{
  g_clear_pointer (&data->dataset, cs_dataset_unref);
  g_clear_pointer (&data->result, cs_page_result_unref);
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

static gpointer
model_compute (gpointer input, CsProgress *progress, GError **error)
{
  ModelData *data = input;

  if (data->result != NULL)
    return cs_plot_model_build_scatter (data->dataset, data->result->pipeline->prep,
                                        data->result->pipeline->clustering, data->x_column, data->y_column,
                                        error);
  return build_preview (data->dataset, &data->prepare, data->x_column, data->y_column, error);
}

static void
model_done (gpointer result, const GError *error, gpointer user_data)
{
  CsWindow *self = user_data;

  if (result == NULL)
    cs_i_window_show_error (self, error->message);
  else
    cs_i_window_show_model (self, result);
  cs_i_window_update_actions (self);
}

void
cs_i_window_rebuild_model (CsWindow *self)
{
  ModelData *data;

  if (self->dataset == NULL || cs_i_window_is_loading (self))
    return;

  data = g_new0 (ModelData, 1);
  data->dataset = cs_dataset_ref (self->dataset);
  data->result = self->result != NULL ? cs_page_result_ref (self->result) : NULL;
  data->columns = cs_i_window_chosen_columns (self);
  cs_i_window_fill_prepare_options (self, &data->prepare);
  data->prepare.columns = (const int *)(gpointer)data->columns->data;
  data->prepare.n_columns = data->columns->len;
  cs_i_window_axis_selection (self, &data->x_column, &data->y_column);

  cs_worker_run (self->model_worker, model_compute, data, (GDestroyNotify)model_data_free,
                 (GDestroyNotify)cs_plot_model_free, model_done, self);
  cs_i_window_update_actions (self);
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
  char            *hdf5_object; /* Owned: the matrix chosen inside an HDF5 file, or NULL */
} LoadData;

typedef struct
{
  CsDataset   *dataset;     /* Owned */
  CsPlotModel *model;       /* Owned, NULL when the projection failed */
  GError      *model_error; /* Owned: why there is no model */
  GPtrArray   *choices;     /* Owned, CsHdf5Entry*: an HDF5 file's matrices to choose from; then
                               nothing else is set */
  char        *path;        /* Owned: the file those are in */
} Loaded;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data->hdf5_object);
  g_free (data);
}

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->dataset, cs_dataset_unref);
  g_clear_pointer (&loaded->model, cs_plot_model_free);
  g_clear_error (&loaded->model_error);
  g_clear_pointer (&loaded->choices, g_ptr_array_unref);
  g_free (loaded->path);
  g_free (loaded);
}

static void
load_progress_cb (CsWorker *worker, double fraction, const char *stage, CsWindow *self)
{
  g_autofree char *text = g_strdup_printf ("%s — %.0f %%", stage != NULL ? stage : "Loading", 100 * fraction);

  cs_i_window_set_progress (self, fraction, text);
}

static gpointer
load_compute (gpointer input, CsProgress *progress, GError **error)
{
  LoadData *data = input;
  Loaded   *loaded;
  CsDataset *dataset = NULL;

  switch (data->kind)
    {
    case SOURCE_FILE:
      /* An HDF5 file with several matrices: the window asks which one first. */
      if (data->hdf5_object == NULL && cs_file_format_detect (data->path) == CS_FILE_FORMAT_HDF5)
        {
          GPtrArray *entries = cs_hdf5_list (data->path, error);

          if (entries == NULL)
            return NULL;
          if (entries->len > 1)
            {
              loaded = g_new0 (Loaded, 1);
              loaded->choices = entries;
              loaded->path = g_strdup (data->path);
              return loaded;
            }
          g_ptr_array_unref (entries);
        }
      dataset = cs_dataset_load_file (data->path, NULL, data->hdf5_object, progress, error);
      break;
    case SOURCE_SAMPLE:
      dataset = cs_sample_load (data->path, error);
      break;
    case SOURCE_TOY:
      {
        /* Noise in the units scikit-learn's gallery uses: cluster standard deviation for
         * blobs, jitter relative to a unit radius for moons and circles. */
        double noise = data->toy == CS_TOY_MOONS || data->toy == CS_TOY_CIRCLES ? 0.06
                       : data->toy == CS_TOY_UNIFORM                            ? 0.0
                                                                                : 1.0;
        dataset = cs_toy_generate (data->toy, data->n, data->k, noise, 42);
        if (dataset == NULL)
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "Could not generate %s",
                       cs_toy_kind_id (data->toy));
      }
      break;
    default:
      g_assert_not_reached ();
    }

  if (dataset == NULL)
    return NULL;
  if (!cs_progress_report (progress, 1.0, "Projecting"))
    {
      cs_dataset_unref (dataset);
      g_set_error_literal (error, CS_ERROR, CS_ERROR_CANCELLED, "Cancelled");
      return NULL;
    }
  loaded = g_new0 (Loaded, 1);
  loaded->dataset = dataset;
  {
    int x_col, y_col;

    cs_dataset_default_axes (dataset, NULL, 0, &x_col, &y_col);
    loaded->model = build_preview (dataset, &data->prepare, x_col, y_col, &loaded->model_error);
  }
  return loaded;
}

static void start_load (CsWindow *self, LoadData *data, const char *display_name);

typedef struct
{
  CsWindow *self; /* Owned reference */
  char     *path; /* Owned */
} Pick;

static void
pick_free (gpointer p)
{
  Pick *pick = p;

  g_object_unref (pick->self);
  g_free (pick->path);
  g_free (pick);
}

static void
hdf5_picked_cb (const char *object, gpointer user_data)
{
  Pick     *pick = user_data;
  LoadData *data;
  g_autofree char *base = NULL;
  g_autofree char *shown = NULL;

  if (object == NULL)
    {
      cs_i_window_set_status (pick->self, "Cancelled");
      return;
    }
  data = g_new0 (LoadData, 1);
  data->kind = SOURCE_FILE;
  data->path = g_strdup (pick->path);
  data->hdf5_object = g_strdup (object);
  base = g_path_get_basename (pick->path);
  shown = g_strdup_printf ("%s:%s", base, object);
  start_load (pick->self, data, shown);
}

static void
ask_hdf5_object (CsWindow *self, Loaded *loaded)
{
  Pick            *pick = g_new0 (Pick, 1);
  g_autofree char *base = g_path_get_basename (loaded->path);

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), self->dataset != NULL ? "plot" : "welcome");
  cs_i_window_set_progress (self, 0, "Choose a dataset");
  cs_i_window_set_status (self, "Choose the dataset to open");
  cs_i_window_update_actions (self);
  pick->self = g_object_ref (self);
  pick->path = g_strdup (loaded->path);
  cs_hdf5_picker_show (GTK_WINDOW (self), base, loaded->choices, hdf5_picked_cb, pick, pick_free);
}
static void take_dataset (CsWindow *self, CsDataset *dataset, CsPlotModel *model, const GError *model_error);

static void
load_done (gpointer result, const GError *error, gpointer user_data)
{
  CsWindow *self = user_data;
  Loaded   *loaded = result;

  gtk_spinner_stop (GTK_SPINNER (self->loading_spinner));
  if (loaded == NULL)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), self->dataset != NULL ? "plot" : "welcome");
      if (g_error_matches (error, CS_ERROR, CS_ERROR_CANCELLED))
        {
          cs_i_window_set_progress (self, 0, "Cancelled");
          cs_i_window_set_status (self, "Cancelled");
        }
      else
        {
          cs_i_window_set_progress (self, 0, "Failed");
          cs_i_window_show_error (self, error->message);
          if (self->loading_path != NULL)
            cs_recent_forget (self->loading_path);
        }
      cs_i_window_update_actions (self);
      return;
    }

  if (loaded->choices != NULL)
    {
      ask_hdf5_object (self, loaded);
      loaded_free (loaded);
      return;
    }

  take_dataset (self, g_steal_pointer (&loaded->dataset), g_steal_pointer (&loaded->model), loaded->model_error);
  loaded_free (loaded);
}

/* A loaded dataset (taken) and its preview points (taken, or NULL with `model_error`, or NULL
 * and no error to build them now) on screen. */
static void
take_dataset (CsWindow *self, CsDataset *dataset, CsPlotModel *model, const GError *model_error)
{
  cs_i_window_set_dataset (self, dataset);
  /* A matrix describes the old dataset's rows. */
  cs_i_window_distances_clear (self);
  cs_i_window_sidebar_show_dataset (self);
  if (self->dataset->path != NULL)
    cs_recent_add_loaded (self->dataset->path);
  cs_i_window_hide_error (self);

  if (model != NULL)
    cs_i_window_show_model (self, model);
  else if (model_error != NULL)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "plot");
      cs_i_window_show_error (self, model_error->message);
    }
  else
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "plot");
      cs_i_window_rebuild_model (self);
    }

  {
    g_autofree char *count = cs_format_count (self->dataset->n_rows);
    g_autofree char *status = g_strdup_printf ("%s points — press Run to cluster", count);
    cs_i_window_set_status (self, status);
  }
  cs_i_window_set_progress (self, 0, "Ready");
  cs_i_window_update_actions (self);
}

void
cs_i_window_take_dataset (CsWindow *self, CsDataset *dataset)
{
  gtk_spinner_stop (GTK_SPINNER (self->loading_spinner));
  take_dataset (self, dataset, NULL, NULL);
}

static void
start_load (CsWindow *self, LoadData *data, const char *display_name)
{
  if (self->job != NULL)
    {
      cs_job_cancel (self->job);
      g_signal_handlers_disconnect_by_data (self->job, self);
      g_clear_object (&self->job);
    }
  cs_worker_drop (self->model_worker);
  /* It was being checked against the rows about to be replaced. */
  cs_i_window_distances_cancel (self);

  cs_i_window_fill_prepare_options (self, &data->prepare);
  g_free (self->loading_path);
  self->loading_path = data->kind == SOURCE_FILE ? g_strdup (data->path) : NULL;
  cs_i_window_hide_error (self);
  {
    g_autofree char *text = g_strdup_printf ("Loading %s…", display_name);
    gtk_label_set_text (GTK_LABEL (self->loading_label), text);
    cs_i_window_set_progress (self, 0, text);
  }
  gtk_spinner_start (GTK_SPINNER (self->loading_spinner));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");

  cs_worker_run (self->load_worker, load_compute, data, (GDestroyNotify)load_data_free,
                 (GDestroyNotify)loaded_free, load_done, self);
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
  if (g_str_has_suffix (path, ".clusterscope"))
    {
      cs_i_window_open_session (self, path);
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

void
cs_i_window_data_init (CsWindow *self)
{
  self->load_worker = cs_worker_new (CS_WORKER_REPLACE);
  self->model_worker = cs_worker_new (CS_WORKER_REPLACE);
  g_signal_connect (self->load_worker, "progress", G_CALLBACK (load_progress_cb), self);
}
