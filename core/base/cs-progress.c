#include "core/base/cs-progress.h"
#include "core/base/cs-error.h"

CsProgress *
cs_progress_new (CsProgressFunc func,
                 gpointer       user_data,
                 GCancellable  *cancellable)
{
  CsProgress *p = g_new0 (CsProgress, 1);

  p->func = func;
  p->user_data = user_data;
  p->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  p->last_fraction = -1.0;
  return p;
}

void
cs_progress_free (CsProgress *progress)
{
  if (progress == NULL)
    return;
  g_clear_object (&progress->cancellable);
  g_free (progress);
}

void
cs_progress_cancel (CsProgress *progress)
{
  if (progress == NULL)
    return;
  g_atomic_int_set (&progress->cancelled, 1);
  if (progress->cancellable)
    g_cancellable_cancel (progress->cancellable);
}

gboolean
cs_progress_is_cancelled (CsProgress *progress)
{
  if (progress == NULL)
    return FALSE;
  if (g_atomic_int_get (&progress->cancelled))
    return TRUE;
  if (progress->cancellable && g_cancellable_is_cancelled (progress->cancellable))
    {
      g_atomic_int_set (&progress->cancelled, 1);
      return TRUE;
    }
  return FALSE;
}

gboolean
cs_progress_check (CsProgress *progress,
                   GError    **error)
{
  if (!cs_progress_is_cancelled (progress))
    return TRUE;
  g_set_error_literal (error, CS_ERROR, CS_ERROR_CANCELLED, "Cancelled");
  return FALSE;
}

gboolean
cs_progress_report (CsProgress *progress,
                    double      fraction,
                    const char *stage)
{
  gint64 now;

  if (progress == NULL)
    return TRUE;
  if (cs_progress_is_cancelled (progress))
    return FALSE;
  if (progress->func == NULL)
    return TRUE;

  /* At most ~100 callbacks a run: only on a 1 % step, a new stage at the end, or after 50 ms. */
  fraction = CLAMP (fraction, 0.0, 1.0);
  now = g_get_monotonic_time ();
  if (fraction < 1.0 && fraction - progress->last_fraction < 0.01
      && now - progress->last_report_us < 50000)
    return TRUE;
  progress->last_fraction = fraction;
  progress->last_report_us = now;

  if (!progress->func (fraction, stage, progress->user_data))
    {
      cs_progress_cancel (progress);
      return FALSE;
    }
  return TRUE;
}

static gboolean
stage_cb (double      fraction,
          const char *stage,
          gpointer    user_data)
{
  CsProgressRange *range = user_data;

  return cs_progress_report (range->parent, range->lo + fraction * (range->hi - range->lo), stage);
}

CsProgress *
cs_progress_stage_new (CsProgressRange *range,
                       CsProgress      *parent,
                       double           lo,
                       double           hi)
{
  range->parent = parent;
  range->lo = lo;
  range->hi = hi;
  return parent != NULL ? cs_progress_new (stage_cb, range, parent->cancellable) : NULL;
}
