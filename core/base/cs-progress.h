#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Called from the worker thread. Return FALSE to ask the computation to stop. */
typedef gboolean (*CsProgressFunc) (double fraction, const char *stage, gpointer user_data);

/* The one small interface between an algorithm and whoever runs it. Passing NULL wherever
 * a CsProgress is expected is fine: nothing is reported and nothing cancels.
 *
 * Algorithms call cs_progress_report() at will (it rate-limits itself to ~100 calls of the
 * callback per run) and cs_progress_check() in their inner loops at least every ~10 ms of
 * work; the check is one atomic read. */
typedef struct _CsProgress CsProgress;

struct _CsProgress
{
  CsProgressFunc func;       /* Borrowed, may be NULL */
  gpointer       user_data;  /* Borrowed */
  GCancellable  *cancellable; /* Owned, may be NULL */
  gint           cancelled;  /* atomic */
  gint64         last_report_us;
  double         last_fraction;
};

CsProgress *cs_progress_new (CsProgressFunc func, gpointer user_data, GCancellable *cancellable);
void        cs_progress_free (CsProgress *progress);

/* fraction in [0, 1]; stage is a short human-readable phrase ("k-means++ init", "iteration 4").
 * Returns FALSE once cancelled. */
gboolean cs_progress_report (CsProgress *progress, double fraction, const char *stage);

void     cs_progress_cancel (CsProgress *progress);
gboolean cs_progress_is_cancelled (CsProgress *progress);

/* TRUE to go on; FALSE with CS_ERROR_CANCELLED set when the run should stop. */
gboolean cs_progress_check (CsProgress *progress, GError **error);

/* A stage of a longer run: it reports its own 0 … 1 progress, mapped into [lo, hi] of the
 * parent's, and shares the parent's GCancellable. A cancel set only on the parent's flag
 * reaches the stage at its next report, so check the parent between stages too. `range`
 * holds the mapping and must outlive the stage; NULL parent gives NULL (no progress). */
typedef struct
{
  CsProgress *parent;
  double      lo;
  double      hi;
} CsProgressRange;

CsProgress *cs_progress_stage_new (CsProgressRange *range, CsProgress *parent, double lo, double hi);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsProgress, cs_progress_free)

G_END_DECLS
