#pragma once

#include <gio/gio.h>

#include "core/cluster/cs-pipeline.h"
#include "core/session/cs-session.h"
#include "ui/render/cs-plot-model.h"

G_BEGIN_DECLS

/* One background computation for the window: runs cs_pipeline_run and builds the scatter
 * model on a CsWorker thread, so the main thread never computes. Progress arrives on the
 * main loop through the "progress" signal (fraction, stage); the result through the
 * GAsyncReadyCallback given to cs_job_run_async. Cancelling stops the worker at its next
 * cs_progress_check (well within 100 ms). */

#define CS_TYPE_JOB (cs_job_get_type ())
G_DECLARE_FINAL_TYPE (CsJob, cs_job, CS, JOB, GObject)

typedef struct
{
  CsPipelineResult *pipeline; /* Owned */
  CsPlotModel      *model;    /* Owned */
} CsJobResult;

void cs_job_result_free (CsJobResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsJobResult, cs_job_result_free)

/* Everything is copied or referenced: the caller may change its own state at once.
 * options->dissim must be NULL: a matrix is given with cs_job_set_dissim, which also keeps
 * it alive. */
CsJob       *cs_job_new (CsDataset               *dataset,
                         const CsPipelineOptions *options,
                         int                      x_column,
                         int                      y_column);
/* A job that reads cluster labels from `labels_path` (cs_labels_load_csv) and scores them
 * with cs_pipeline_run_labels instead of running an algorithm; options->algorithm may be NULL. */
CsJob       *cs_job_new_labels (CsDataset               *dataset,
                                const CsPipelineOptions *options,
                                const char              *labels_path,
                                int                      x_column,
                                int                      y_column);
/* A job that shows `clustering` (the result of `source`, or of a job made by this function
 * from it) at another k it recorded (cs_pipeline_run_at_k), with the inputs of the run that
 * made it; `source` must have finished and is kept, unchanged, by the new job. */
CsJob       *cs_job_new_at_k (CsJob              *source,
                              const CsClustering *clustering,
                              guint               k,
                              int                 x_column,
                              int                 y_column);
/* A job that runs `source`'s algorithm again on its inputs with the parameter k set to `k`
 * (the Choose k page's way to show a k of an algorithm that records no medoids by k; runs are
 * seeded, so this is the clustering the page scored). `source` must have finished, from
 * cs_job_new (not labels, not an at-k job). NULL when its algorithm has no parameter k. */
CsJob       *cs_job_new_with_k (CsJob *source,
                                guint  k,
                                int    x_column,
                                int    y_column);
/* The same with any parameter of the algorithm set to `value` (text as cs_params_set reads
 * it): NULL with an error naming the parameter when the algorithm has no such parameter or
 * refuses the value. */
CsJob       *cs_job_new_with_param (CsJob      *source,
                                    const char *name,
                                    const char *value,
                                    int         x_column,
                                    int         y_column,
                                    GError    **error);
/* A job that shows a saved result (cs_session_restore: scored, not run again); takes `run`.
 * options->algorithm may be NULL. */
CsJob       *cs_job_new_restore (CsDataset               *dataset,
                                 const CsPipelineOptions *options,
                                 CsSessionRun            *run,
                                 int                      x_column,
                                 int                      y_column);
/* Runs on a precomputed dissimilarity matrix (CsPipelineOptions.dissim). It may be
 * gigabytes, so it is shared, not copied: `owner` keeps it alive and unchanged, and the job
 * holds `owner` until it is finalized, after the worker is done, then calls `release` on
 * it from whichever thread drops the job last. Before cs_job_run_async only. */
void         cs_job_set_dissim (CsJob          *job,
                                const CsDissim *dissim,
                                gpointer        owner,
                                GDestroyNotify  release);
void         cs_job_run_async (CsJob *job, GAsyncReadyCallback callback, gpointer user_data);
CsJobResult *cs_job_run_finish (CsJob *job, GAsyncResult *result, GError **error);
/* After this no "progress" is emitted; the callback still runs once, and cs_job_run_finish
 * then fails with CS_ERROR_CANCELLED (never G_IO_ERROR_CANCELLED). */
void         cs_job_cancel (CsJob *job);
gboolean     cs_job_is_running (CsJob *job);

G_END_DECLS
