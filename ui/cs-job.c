#include "ui/cs-job.h"

#include "core/base/cs-error.h"
#include "core/cluster/cs-result-io.h"
#include "core/session/cs-session.h"
#include "ui/cs-worker.h"

/* The run-specific layer over CsWorker: the worker owns the thread, the cancellable and the
 * progress hand-over; the job copies the pipeline's inputs and answers through a GTask made
 * on the main context (no thread of its own), so callers keep the GAsyncResult idiom. job_compute
 * runs on the worker's thread and touches only the copied inputs. A cancelled job finishes
 * with CS_ERROR_CANCELLED (never G_IO_ERROR_CANCELLED), whichever stage it was in. */

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
  CsJob            *source;       /* Owned, may be NULL: derive at_k from this finished job's run */
  CsClustering     *at_clustering; /* Owned ref, with source: the result to show at another k */
  guint             at_k;
  CsSessionRun     *restore;      /* Owned, may be NULL: show this saved result instead of running */

  CsWorker *worker;    /* Owned */
  GTask    *task;      /* Owned while running: answers cs_job_run_async's caller */
  gboolean  started;
  gboolean  running;
  gboolean  cancelled;
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

  g_clear_pointer (&self->dataset, cs_dataset_unref);
  g_clear_pointer (&self->columns, g_free);
  g_clear_pointer (&self->params, cs_params_free);
  g_free (self->labels_path);
  g_clear_object (&self->source);
  g_clear_pointer (&self->at_clustering, cs_clustering_unref);
  g_clear_pointer (&self->restore, cs_session_run_free);
  if (self->dissim_release != NULL)
    self->dissim_release (self->dissim_owner);
  g_clear_object (&self->worker);

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
worker_progress_cb (CsWorker *worker, double fraction, const char *stage, CsJob *self)
{
  g_signal_emit (self, signals[PROGRESS], 0, fraction, stage != NULL ? stage : "Running");
}

static void
cs_job_init (CsJob *self)
{
  self->worker = cs_worker_new (CS_WORKER_REPLACE);
  g_signal_connect (self->worker, "progress", G_CALLBACK (worker_progress_cb), self);
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

CsJob *
cs_job_new_at_k (CsJob *source, const CsClustering *clustering, guint k, int x_column, int y_column)
{
  CsJob *self;

  g_return_val_if_fail (CS_IS_JOB (source), NULL);
  g_return_val_if_fail (source->labels_path == NULL, NULL);
  g_return_val_if_fail (clustering != NULL, NULL);

  /* Always from the run itself: a shown k's job would otherwise chain every earlier one. */
  if (source->source != NULL)
    source = source->source;
  self = g_object_new (CS_TYPE_JOB, NULL);
  self->dataset = cs_dataset_ref (source->dataset);
  self->source = g_object_ref (source);
  self->at_clustering = cs_clustering_ref ((CsClustering *)clustering);
  self->at_k = k;
  self->x_column = x_column;
  self->y_column = y_column;
  return self;
}

CsJob *
cs_job_new_with_param (CsJob      *source,
                       const char *name,
                       const char *value,
                       int         x_column,
                       int         y_column,
                       GError    **error)
{
  CsJob *self;

  g_return_val_if_fail (CS_IS_JOB (source), NULL);
  g_return_val_if_fail (name != NULL && value != NULL, NULL);

  if (source->labels_path != NULL || source->source != NULL || source->options.algorithm == NULL
      || cs_algorithm_find_param (source->options.algorithm, name) == NULL)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "The shown result has no parameter ‘%s’ to change",
                   name);
      return NULL;
    }
  self = job_new (source->dataset, &source->options, x_column, y_column);
  if (self->params == NULL)
    {
      self->params = cs_params_new (source->options.algorithm);
      self->options.params = self->params;
    }
  if (!cs_params_set (self->params, name, value, error))
    {
      g_object_unref (self);
      return NULL;
    }
  /* The matrix is shared, not copied: the new job keeps the source (and so its owner) alive. */
  self->options.dissim = NULL;
  if (source->options.dissim != NULL)
    {
      self->options.dissim = source->options.dissim;
      self->dissim_owner = g_object_ref (source);
      self->dissim_release = g_object_unref;
    }
  return self;
}

CsJob *
cs_job_new_with_k (CsJob *source, guint k, int x_column, int y_column)
{
  g_autofree char *text = g_strdup_printf ("%u", k);

  return cs_job_new_with_param (source, "k", text, x_column, y_column, NULL);
}

CsJob *
cs_job_new_restore (CsDataset               *dataset,
                    const CsPipelineOptions *options,
                    CsSessionRun            *run,
                    int                      x_column,
                    int                      y_column)
{
  CsJob *self;

  g_return_val_if_fail (dataset != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (run != NULL, NULL);

  self = job_new (dataset, options, x_column, y_column);
  self->restore = run;
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

/* Worker thread */
static gpointer
job_compute (gpointer input, CsProgress *progress, GError **error_out)
{
  CsJob *self = input;
  g_autoptr (CsPipelineResult) pipeline = NULL;
  g_autoptr (CsPlotModel) model = NULL;
  g_autoptr (GError) error = NULL;
  CsJobResult *result;

  if (self->source != NULL)
    /* The source job is finished and never changes: its copies (columns, parameters, the
     * matrix it keeps alive) are the run's own inputs, read here without a copy. */
    pipeline = cs_pipeline_run_at_k (self->source->dataset, &self->source->options, self->at_clustering,
                                     self->at_k, progress, &error);
  else if (self->restore != NULL)
    pipeline = cs_session_restore (self->restore, self->dataset, &self->options, progress, &error);
  else if (self->labels_path != NULL)
    {
      g_autofree int *labels = NULL;
      guint k = 0;

      cs_progress_report (progress, 0.0, "Reading the labels");
      if (cs_labels_load_csv (self->labels_path, self->dataset->n_rows, &labels, &k, NULL, &error))
        pipeline = cs_pipeline_run_labels (self->dataset, &self->options, labels, k, progress, &error);
    }
  else
    pipeline = cs_pipeline_run (self->dataset, &self->options, progress, &error);
  /* An algorithm may notice the cancel as a failed report or an odd state rather than
   * through cs_progress_check: the worker turns any result of a cancelled request into
   * CS_ERROR_CANCELLED, so the caller sees one error code either way. */
  if (pipeline == NULL)
    {
      g_propagate_error (error_out, g_steal_pointer (&error));
      return NULL;
    }
  if (!cs_progress_check (progress, NULL))
    {
      g_set_error_literal (error_out, CS_ERROR, CS_ERROR_CANCELLED, "Cancelled");
      return NULL;
    }

  cs_progress_report (progress, 1.0, "Building the plot");
  model = cs_plot_model_build_scatter (self->dataset, pipeline->prep, pipeline->clustering, self->x_column,
                                       self->y_column, &error);
  if (model == NULL)
    {
      g_propagate_error (error_out, g_steal_pointer (&error));
      return NULL;
    }

  result = g_new0 (CsJobResult, 1);
  result->pipeline = g_steal_pointer (&pipeline);
  result->model = g_steal_pointer (&model);
  return result;
}

/* Main context ------------------------------------------------------------------------ */

static void
job_done (gpointer result, const GError *error, gpointer user_data)
{
  CsJob *self = user_data;
  g_autoptr (GTask) task = g_steal_pointer (&self->task);

  self->running = FALSE;
  if (result != NULL)
    g_task_return_pointer (task, result, (GDestroyNotify)cs_job_result_free);
  else
    g_task_return_error (task, g_error_copy (error));
}

void
cs_job_run_async (CsJob *job, GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (CS_IS_JOB (job));
  g_return_if_fail (!job->started);

  job->started = TRUE;
  job->running = TRUE;
  job->task = g_task_new (job, NULL, callback, user_data);
  g_task_set_source_tag (job->task, cs_job_run_async);
  /* The thread reads the job's copies; job->task holds the job until the worker answers,
   * which it does (even when cancelled) only once the thread has returned. */
  cs_worker_run (job->worker, job_compute, job, NULL,
                 (GDestroyNotify)cs_job_result_free, job_done, job);
}

CsJobResult *
cs_job_run_finish (CsJob *job, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CS_IS_JOB (job), NULL);
  g_return_val_if_fail (g_task_is_valid (result, job), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cs_job_run_async, NULL);

  /* A cancel that lands after the worker's last check still means "no result". */
  if (job->cancelled)
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

  job->cancelled = TRUE;
  cs_worker_cancel (job->worker);
}

gboolean
cs_job_is_running (CsJob *job)
{
  g_return_val_if_fail (CS_IS_JOB (job), FALSE);

  return job->running;
}
