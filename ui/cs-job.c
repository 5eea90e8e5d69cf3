#include "ui/cs-job.h"

#include "core/base/cs-error.h"
#include "core/cluster/cs-result-io.h"

/* Threads: everything below the "Worker" line runs on the GTask thread and touches only the
 * copied inputs and the mutex-protected progress slot; everything else runs in the main
 * context that called cs_job_run_async. A cancelled job finishes with CS_ERROR_CANCELLED
 * (never G_IO_ERROR_CANCELLED), whichever stage it was in. */

struct _CsJob
{
  GObject parent_instance;

  CsDataset        *dataset;      /* Owned ref */
  CsPipelineOptions options;      /* Copy; prepare.columns and params point at the two below */
  int              *columns;      /* Owned, may be NULL */
  CsParams         *params;       /* Owned, may be NULL (defaults) */
  gpointer          dissim_owner; /* Owned through dissim_release: keeps options.dissim alive */
  GDestroyNotify    dissim_release;
  int               x_column;
  int               y_column;
  char             *labels_path;  /* Owned, may be NULL: score labels from this file instead */

  GCancellable       *cancellable; /* Owned */
  GMainContext       *context;     /* Owned: where progress and the result are delivered */
  GAsyncReadyCallback callback;
  gpointer            user_data;
  gboolean            started;
  gboolean            running;
  gboolean            finished; /* main thread only: the callback has run */

  /* The worker writes the latest report here; one main-context source at most reads it. */
  GMutex   lock;
  double   fraction;
  char    *stage;   /* Owned, under lock */
  GSource *pending; /* under lock: the scheduled progress source, or NULL */
};

enum
{
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CsJob, cs_job, G_TYPE_OBJECT)

void
cs_job_result_free (CsJobResult *result)
{
  if (result == NULL)
    return;
  cs_pipeline_result_free (result->pipeline);
  cs_plot_model_free (result->model);
  g_free (result);
}

static void
cs_job_finalize (GObject *object)
{
  CsJob *self = CS_JOB (object);

  /* A pending progress source holds a ref on the job, so none can be left here. */
  g_assert (self->pending == NULL);
  g_clear_pointer (&self->dataset, cs_dataset_unref);
  g_clear_pointer (&self->columns, g_free);
  g_clear_pointer (&self->params, cs_params_free);
  g_free (self->labels_path);
  if (self->dissim_release != NULL)
    self->dissim_release (self->dissim_owner);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->stage, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (cs_job_parent_class)->finalize (object);
}

static void
cs_job_class_init (CsJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cs_job_finalize;

  /**
   * CsJob::progress:
   * @fraction: 0..1
   * @stage: a short phrase ("iteration 4")
   *
   * Emitted on the main context, coalesced: a slow main loop sees only the latest report.
   * Never emitted after cs_job_cancel() or once the result has been delivered.
   */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                    NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_STRING);
}

static void
cs_job_init (CsJob *self)
{
  g_mutex_init (&self->lock);
  self->cancellable = g_cancellable_new ();
}

static CsJob *
job_new (CsDataset *dataset, const CsPipelineOptions *options, int x_column, int y_column)
{
  CsJob *self = g_object_new (CS_TYPE_JOB, NULL);

  self->dataset = cs_dataset_ref (dataset);
  self->options = *options;
  if (options->prepare.columns != NULL && options->prepare.n_columns > 0)
    self->columns = g_memdup2 (options->prepare.columns, options->prepare.n_columns * sizeof (int));
  self->options.prepare.columns = self->columns;
  if (self->columns == NULL)
    self->options.prepare.n_columns = 0;
  if (options->params != NULL)
    self->params = cs_params_copy (options->params);
  self->options.params = self->params;
  self->x_column = x_column;
  self->y_column = y_column;
  return self;
}

CsJob *
cs_job_new (CsDataset *dataset, const CsPipelineOptions *options, int x_column, int y_column)
{
  g_return_val_if_fail (dataset != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->algorithm != NULL, NULL);
  g_return_val_if_fail (options->dissim == NULL, NULL);

  return job_new (dataset, options, x_column, y_column);
}

CsJob *
cs_job_new_labels (CsDataset               *dataset,
                   const CsPipelineOptions *options,
                   const char              *labels_path,
                   int                      x_column,
                   int                      y_column)
{
  CsJob *self;

  g_return_val_if_fail (dataset != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->dissim == NULL, NULL);
  g_return_val_if_fail (labels_path != NULL, NULL);

  self = job_new (dataset, options, x_column, y_column);
  self->labels_path = g_strdup (labels_path);
  return self;
}

void
cs_job_set_dissim (CsJob *job, const CsDissim *dissim, gpointer owner, GDestroyNotify release)
{
  g_return_if_fail (CS_IS_JOB (job));
  g_return_if_fail (dissim != NULL);
  g_return_if_fail (!job->started);
  g_return_if_fail (job->dissim_release == NULL);

  job->options.dissim = dissim;
  job->dissim_owner = owner;
  job->dissim_release = release;
}

static gboolean
emit_progress (gpointer data)
{
  CsJob           *self = data;
  g_autofree char *stage = NULL;
  double           fraction;

  g_mutex_lock (&self->lock);
  fraction = self->fraction;
  stage = g_steal_pointer (&self->stage);
  g_clear_pointer (&self->pending, g_source_unref);
  g_mutex_unlock (&self->lock);

  if (!self->finished && !g_cancellable_is_cancelled (self->cancellable))
    g_signal_emit (self, signals[PROGRESS], 0, fraction, stage);
  return G_SOURCE_REMOVE;
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer data)
{
  CsJob *self = CS_JOB (source);

  self->running = FALSE;
  self->finished = TRUE;
  if (self->callback)
    self->callback (source, result, self->user_data);
}

/* Worker ------------------------------------------------------------------------------ */

static gboolean
progress_cb (double fraction, const char *stage, gpointer data)
{
  CsJob *self = data;

  g_mutex_lock (&self->lock);
  self->fraction = fraction;
  g_free (self->stage);
  self->stage = g_strdup (stage);
  if (self->pending == NULL)
    {
      /* Same priority as the GTask's own completion source and attached before it, so the
       * last report still arrives ahead of the result. */
      self->pending = g_idle_source_new ();
      g_source_set_priority (self->pending, G_PRIORITY_DEFAULT);
      g_source_set_callback (self->pending, emit_progress, g_object_ref (self), g_object_unref);
      g_source_set_static_name (self->pending, "[clusterscope] job progress");
      g_source_attach (self->pending, self->context);
    }
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
return_cancelled (GTask *task)
{
  g_task_return_new_error (task, CS_ERROR, CS_ERROR_CANCELLED, "Cancelled");
}

static void
job_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CsJob *self = source;
  g_autoptr (CsProgress) progress = cs_progress_new (progress_cb, self, cancellable);
  g_autoptr (CsPipelineResult) pipeline = NULL;
  g_autoptr (CsPlotModel) model = NULL;
  g_autoptr (GError) error = NULL;
  CsJobResult *result;

  if (self->labels_path != NULL)
    {
      g_autofree int *labels = NULL;
      guint k = 0;

      cs_progress_report (progress, 0.0, "Reading the labels");
      if (cs_labels_load_csv (self->labels_path, self->dataset->n_rows, &labels, &k, NULL, &error))
        pipeline = cs_pipeline_run_labels (self->dataset, &self->options, labels, k, progress, &error);
    }
  else
    pipeline = cs_pipeline_run (self->dataset, &self->options, progress, &error);
  if (pipeline == NULL)
    {
      /* An algorithm may notice the cancel as a failed report or an odd state rather than
       * through cs_progress_check; the caller should see one error code either way. */
      if (g_cancellable_is_cancelled (cancellable))
        return_cancelled (task);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_cancellable_is_cancelled (cancellable))
    {
      return_cancelled (task);
      return;
    }

  cs_progress_report (progress, 1.0, "Building the plot");
  model = cs_plot_model_build_scatter (self->dataset, pipeline->prep, pipeline->clustering, self->x_column,
                                       self->y_column, &error);
  if (model == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_cancellable_is_cancelled (cancellable))
    {
      return_cancelled (task);
      return;
    }

  result = g_new0 (CsJobResult, 1);
  result->pipeline = g_steal_pointer (&pipeline);
  result->model = g_steal_pointer (&model);
  g_task_return_pointer (task, result, (GDestroyNotify)cs_job_result_free);
}

/* Main context ------------------------------------------------------------------------ */

void
cs_job_run_async (CsJob *job, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (CS_IS_JOB (job));
  g_return_if_fail (!job->started);

  job->started = TRUE;
  job->running = TRUE;
  job->callback = callback;
  job->user_data = user_data;
  job->context = g_main_context_ref_thread_default ();

  task = g_task_new (job, job->cancellable, job_done, NULL);
  g_task_set_source_tag (task, cs_job_run_async);
  /* We return CS_ERROR_CANCELLED ourselves; GTask would otherwise replace any result of a
   * cancelled task with G_IO_ERROR_CANCELLED. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, job_thread);
}

CsJobResult *
cs_job_run_finish (CsJob *job, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CS_IS_JOB (job), NULL);
  g_return_val_if_fail (g_task_is_valid (result, job), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cs_job_run_async, NULL);

  /* A cancel that lands after the worker's last check still means "no result". */
  if (g_cancellable_is_cancelled (job->cancellable))
    {
      g_autoptr (GError) ignored = NULL;
      cs_job_result_free (g_task_propagate_pointer (G_TASK (result), &ignored));
      g_set_error_literal (error, CS_ERROR, CS_ERROR_CANCELLED, "Cancelled");
      return NULL;
    }
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cs_job_cancel (CsJob *job)
{
  g_return_if_fail (CS_IS_JOB (job));

  g_cancellable_cancel (job->cancellable);
}

gboolean
cs_job_is_running (CsJob *job)
{
  g_return_val_if_fail (CS_IS_JOB (job), FALSE);

  return job->running;
}
