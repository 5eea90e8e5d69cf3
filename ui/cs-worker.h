#pragma once

#include <gio/gio.h>

#include "core/base/cs-progress.h"

G_BEGIN_DECLS

/* Compute on a thread, newest request wins. A CsWorker runs one request at a time on a
 * GTask thread and delivers its result on the main context that made the request. A new
 * request replaces the one before: in CS_WORKER_REPLACE mode (the default) the old one is
 * cancelled at once; in CS_WORKER_WAIT mode it runs to its end (its result is delivered) and
 * the newest waiting request runs next, older waiting ones are dropped — for controls such as
 * a slider, where a stream of finished results beats none at all. A result whose request was
 * replaced or dropped is freed on the main loop and never delivered.
 *
 * The function runs on the thread and must touch only its input; `progress` carries the
 * request's cancellable and coalesces reports into the "progress" signal (fraction, stage),
 * emitted on the main context for the current request only. */

#define CS_TYPE_WORKER (cs_worker_get_type ())
G_DECLARE_FINAL_TYPE (CsWorker, cs_worker, CS, WORKER, GObject)

typedef enum
{
  CS_WORKER_REPLACE,
  CS_WORKER_WAIT,
} CsWorkerMode;

/* On the thread: a new result (freed with the request's result_free), or NULL and `error`. */
typedef gpointer (*CsWorkerFunc) (gpointer input, CsProgress *progress, GError **error);
/* On the main context: `result` is the callee's (transfer full), NULL when `error` is set. */
typedef void (*CsWorkerDone) (gpointer result, const GError *error, gpointer user_data);

CsWorker *cs_worker_new (CsWorkerMode mode);

/* Takes `input` (freed with input_free once the thread is done with it). `done` is called
 * once, unless this request is replaced or dropped first. */
void     cs_worker_run (CsWorker      *worker,
                        CsWorkerFunc   func,
                        gpointer       input,
                        GDestroyNotify input_free,
                        GDestroyNotify result_free,
                        CsWorkerDone   done,
                        gpointer       user_data);
/* Stops the current request: its `done` still runs once, with CS_ERROR_CANCELLED, when the
 * thread has returned (so a Cancel button can say when the work stopped). Waiting requests
 * are dropped. */
void     cs_worker_cancel (CsWorker *worker);
/* Stops and forgets every request: no `done` is called any more (for dispose). */
void     cs_worker_drop (CsWorker *worker);
/* TRUE while a request is running or waiting. */
gboolean cs_worker_is_busy (CsWorker *worker);

G_END_DECLS
