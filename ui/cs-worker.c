#include "ui/cs-worker.h"

#include "core/base/cs-error.h"

/* Threads: request_thread and progress_cb run on the GTask thread and touch only the
 * request's function, input, result slot and the mutex-protected progress slot; everything
 * else runs on the main context that made the request. A request is shared by the worker
 * (while current or waiting), the GTask and any pending progress source, hence the count. */

typedef struct
{
  gatomicrefcount ref;
  CsWorker       *worker; /* Borrowed, main context only: NULL once replaced or dropped */
  GCancellable   *cancellable;
  GMainContext   *context;
  CsWorkerFunc    func;
  gpointer        input;
  GDestroyNotify  input_free;
  GDestroyNotify  result_free;
  CsWorkerDone    done;
  gpointer        user_data;

  /* Out, written by the thread before the GTask returns */
  gpointer result;
  GError  *error;

  /* The latest progress report; one main-context source at most reads it. */
  GMutex   lock;
  double   fraction;
  char    *stage;
  GSource *pending;
} Request;

struct _CsWorker
{
  GObject parent_instance;

  CsWorkerMode mode;
  Request     *current; /* Owned ref, may be NULL */
  Request     *waiting; /* Owned ref, may be NULL: CS_WORKER_WAIT only, not started */
};

enum
{
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CsWorker, cs_worker, G_TYPE_OBJECT)

static Request *
request_ref (Request *r)
{
  g_atomic_ref_count_inc (&r->ref);
  return r;
}

static void
request_unref (Request *r)
{
  if (!g_atomic_ref_count_dec (&r->ref))
    return;
  g_assert (r->pending == NULL);
  if (r->input_free != NULL && r->input != NULL)
    r->input_free (r->input);
  if (r->result != NULL && r->result_free != NULL)
    r->result_free (r->result);
  g_clear_error (&r->error);
  g_clear_object (&r->cancellable);
  g_clear_pointer (&r->context, g_main_context_unref);
  g_free (r->stage);
  g_mutex_clear (&r->lock);
  g_free (r);
}

/* Forgets `r`: it may still be running, but nothing of it reaches the caller any more. */
static void
request_abandon (Request *r)
{
  r->worker = NULL;
  g_cancellable_cancel (r->cancellable);
  request_unref (r);
}

static void start (CsWorker *self, Request *r);

static gboolean
emit_progress (gpointer data)
{
  Request         *r = data;
  g_autofree char *stage = NULL;
  double           fraction;

  g_mutex_lock (&r->lock);
  fraction = r->fraction;
  stage = g_steal_pointer (&r->stage);
  g_clear_pointer (&r->pending, g_source_unref);
  g_mutex_unlock (&r->lock);

  if (r->worker != NULL && r->worker->current == r && !g_cancellable_is_cancelled (r->cancellable))
    g_signal_emit (r->worker, signals[PROGRESS], 0, fraction, stage);
  return G_SOURCE_REMOVE;
}

static gboolean
progress_cb (double fraction, const char *stage, gpointer data)
{
  Request *r = data;

  g_mutex_lock (&r->lock);
  r->fraction = fraction;
  g_free (r->stage);
  r->stage = g_strdup (stage);
  if (r->pending == NULL)
    {
      /* Same priority as the GTask's completion and attached before it, so the last report
       * still arrives ahead of the result. */
      r->pending = g_idle_source_new ();
      g_source_set_priority (r->pending, G_PRIORITY_DEFAULT);
      g_source_set_callback (r->pending, emit_progress, request_ref (r), (GDestroyNotify)request_unref);
      g_source_set_static_name (r->pending, "[clusterscope] worker progress");
      g_source_attach (r->pending, r->context);
    }
  g_mutex_unlock (&r->lock);
  return !g_cancellable_is_cancelled (r->cancellable);
}

static void
request_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Request *r = task_data;
  g_autoptr (CsProgress) progress = cs_progress_new (progress_cb, r, cancellable);

  r->result = r->func (r->input, progress, &r->error);
  if (r->result == NULL && r->error == NULL)
    g_set_error_literal (&r->error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "The computation gave no result");
  /* The input may be large (a copy of the data): free it here, not on the main loop. */
  if (r->input_free != NULL && r->input != NULL)
    r->input_free (g_steal_pointer (&r->input));
  g_task_return_boolean (task, TRUE);
}

static void
request_finished (GObject *source, GAsyncResult *res, gpointer data)
{
  Request  *r = g_task_get_task_data (G_TASK (res));
  CsWorker *self = r->worker;
  gpointer  result;
  GError   *error;

  if (self == NULL || self->current != r)
    return;
  self->current = NULL;

  /* A cancel that lands after the function's last check still means "no result". */
  if (g_cancellable_is_cancelled (r->cancellable))
    {
      if (r->result != NULL && r->result_free != NULL)
        r->result_free (r->result);
      r->result = NULL;
      g_clear_error (&r->error);
      g_set_error_literal (&r->error, CS_ERROR, CS_ERROR_CANCELLED, "Cancelled");
    }
  result = g_steal_pointer (&r->result);
  error = g_steal_pointer (&r->error);

  /* The caller may start another request from `done`: the waiting one runs only if not. */
  g_object_ref (self);
  r->worker = NULL;
  r->done (result, error, r->user_data);
  g_clear_error (&error);
  if (self->current == NULL && self->waiting != NULL)
    {
      Request *next = g_steal_pointer (&self->waiting);

      start (self, next);
      request_unref (next);
    }
  g_object_unref (self);
  request_unref (r);
}

static void
start (CsWorker *self, Request *r)
{
  g_autoptr (GTask) task = g_task_new (NULL, r->cancellable, request_finished, NULL);

  r->worker = self;
  self->current = request_ref (r);
  g_task_set_source_tag (task, start);
  g_task_set_name (task, "[clusterscope] worker");
  /* Cancelled requests are answered by request_finished, not replaced by GTask's own error. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, request_ref (r), (GDestroyNotify)request_unref);
  g_task_run_in_thread (task, request_thread);
}

void
cs_worker_run (CsWorker      *worker,
               CsWorkerFunc   func,
               gpointer       input,
               GDestroyNotify input_free,
               GDestroyNotify result_free,
               CsWorkerDone   done,
               gpointer       user_data)
{
  Request *r;

  g_return_if_fail (CS_IS_WORKER (worker));
  g_return_if_fail (func != NULL && done != NULL);

  r = g_new0 (Request, 1);
  g_atomic_ref_count_init (&r->ref);
  g_mutex_init (&r->lock);
  r->cancellable = g_cancellable_new ();
  r->context = g_main_context_ref_thread_default ();
  r->func = func;
  r->input = input;
  r->input_free = input_free;
  r->result_free = result_free;
  r->done = done;
  r->user_data = user_data;

  if (worker->waiting != NULL)
    request_abandon (g_steal_pointer (&worker->waiting));
  if (worker->current != NULL && worker->mode == CS_WORKER_WAIT)
    {
      r->worker = worker;
      worker->waiting = r;
      return;
    }
  if (worker->current != NULL)
    request_abandon (g_steal_pointer (&worker->current));
  start (worker, r);
  request_unref (r);
}

void
cs_worker_cancel (CsWorker *worker)
{
  g_return_if_fail (CS_IS_WORKER (worker));

  if (worker->waiting != NULL)
    request_abandon (g_steal_pointer (&worker->waiting));
  if (worker->current != NULL)
    g_cancellable_cancel (worker->current->cancellable);
}

void
cs_worker_drop (CsWorker *worker)
{
  g_return_if_fail (CS_IS_WORKER (worker));

  if (worker->waiting != NULL)
    request_abandon (g_steal_pointer (&worker->waiting));
  if (worker->current != NULL)
    request_abandon (g_steal_pointer (&worker->current));
}

gboolean
cs_worker_is_busy (CsWorker *worker)
{
  g_return_val_if_fail (CS_IS_WORKER (worker), FALSE);

  return worker->current != NULL || worker->waiting != NULL;
}

static void
cs_worker_dispose (GObject *object)
{
  cs_worker_drop (CS_WORKER (object));

  G_OBJECT_CLASS (cs_worker_parent_class)->dispose (object);
}

static void
cs_worker_class_init (CsWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cs_worker_dispose;

  /**
   * CsWorker::progress:
   * @fraction: 0..1
   * @stage: a short phrase, may be NULL
   *
   * The current request's latest report, on the main context, coalesced. Never emitted for a
   * request that was cancelled, replaced or has delivered its result.
   */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                    NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_STRING);
}

static void
cs_worker_init (CsWorker *self)
{
}

CsWorker *
cs_worker_new (CsWorkerMode mode)
{
  CsWorker *self = g_object_new (CS_TYPE_WORKER, NULL);

  self->mode = mode;
  return self;
}
