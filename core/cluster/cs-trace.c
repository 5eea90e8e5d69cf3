#include "core/cluster/cs-trace.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-format.h"

/* Fixed cost of a step beside its arrays: the struct, a note, allocator overhead. */
#define STEP_OVERHEAD 256

guint64
cs_trace_step_bytes (gsize n, guint k, gsize d, guint records)
{
  guint64 b = STEP_OVERHEAD;

  if (records & CS_TRACE_RECORDS_LABELS)
    b += (guint64) n * sizeof (int);
  if (records & CS_TRACE_RECORDS_CENTERS)
    b += (guint64) k * d * sizeof (double);
  if (records & CS_TRACE_RECORDS_MEDOIDS)
    b += (guint64) k * sizeof (gsize);
  if (records & CS_TRACE_RECORDS_RESPONSIBILITIES)
    b += (guint64) n * k * sizeof (float);
  if (records & CS_TRACE_RECORDS_COVARIANCES)
    b += (guint64) k * d * d * sizeof (double) + (guint64) k * sizeof (double);
  if (records & CS_TRACE_RECORDS_POSITIONS)
    b += (guint64) n * d * sizeof (float);
  if (records & CS_TRACE_RECORDS_POINT_KINDS)
    b += n;
  if (records & CS_TRACE_RECORDS_CANDIDATES)
    b += (guint64) MAX (CS_TRACE_MAX_CANDIDATES, k) * (sizeof (gsize) + sizeof (guint) + sizeof (double));
  return b;
}

static char *
format_bytes (guint64 b)
{
  return g_format_size_full (b, G_FORMAT_SIZE_IEC_UNITS);
}

gboolean
cs_trace_plan (CsTrace *trace, gsize n, guint k, gsize d, guint records)
{
  guint64 fit;

  if (trace == NULL)
    return FALSE;
  trace->step_bytes = cs_trace_step_bytes (n, k, d, records);
  if (trace->byte_limit == 0)
    return !trace->refused;
  fit = trace->byte_limit / trace->step_bytes;
  if (fit < 2)
    {
      g_autofree char *one = format_bytes (trace->step_bytes);
      g_autofree char *limit = format_bytes (trace->byte_limit);
      g_autofree char *rows = cs_format_count (n);

      trace->refused = TRUE;
      g_free (trace->notice);
      trace->notice = g_strdup_printf ("No playback for this run: one step of it (%s rows) would take %s and "
                                       "playback may use %s; cluster fewer rows or fewer columns to step through it",
                                       rows, one, limit);
      return FALSE;
    }
  if (trace->max_steps == 0 || fit < trace->max_steps)
    trace->max_steps = (guint) MIN (fit, (guint64) G_MAXUINT);
  return TRUE;
}

CsTrace *
cs_trace_new_like (const CsTrace *trace)
{
  CsTrace *t;

  if (trace == NULL)
    return NULL;
  t = cs_trace_new (trace->max_steps);
  t->byte_limit = trace->byte_limit;
  return t;
}

void
cs_trace_adopt (CsTrace *trace, CsTrace *from)
{
  if (trace == NULL || from == NULL)
    return;
  trace->n = from->n;
  trace->k = from->k;
  while (from->steps->len > 0)
    g_ptr_array_add (trace->steps, g_ptr_array_steal_index (from->steps, 0));
  trace->bytes += from->bytes;
  trace->refused |= from->refused;
  trace->truncated |= from->truncated;
  trace->step_bytes = from->step_bytes;
  if (from->notice != NULL)
    {
      g_free (trace->notice);
      trace->notice = g_steal_pointer (&from->notice);
    }
}

static void
truncate_notice (CsTrace *trace, guint64 step_bytes)
{
  g_autofree char *count = NULL;
  g_autofree char *one = NULL;
  g_autofree char *limit = NULL;

  trace->truncated = TRUE;
  if (trace->notice != NULL)
    return;
  count = cs_format_count (trace->steps->len);
  one = format_bytes (step_bytes);
  if (trace->byte_limit > 0 && trace->bytes + step_bytes > trace->byte_limit)
    {
      limit = format_bytes (trace->byte_limit);
      trace->notice = g_strdup_printf ("Playback keeps the first %s steps of this run: each takes %s and "
                                       "playback may use %s; the last frame is the final result",
                                       count, one, limit);
    }
  else
    trace->notice = g_strdup_printf ("Playback keeps the first %s steps of this run; the last frame is "
                                     "the final result", count);
}

CsTraceStep *
cs_trace_push (CsTrace        *trace,
               CsTraceStepKind kind,
               guint           iteration,
               const int      *labels,
               gsize           n,
               guint           k,
               double          objective,
               gsize           n_changed,
               const char     *note)
{
  CsTraceStep *s;
  guint64 bytes;

  if (trace == NULL || trace->refused)
    return NULL;
  bytes = trace->step_bytes > 0 ? trace->step_bytes
                                : cs_trace_step_bytes (n, k, 0, labels ? CS_TRACE_RECORDS_LABELS : 0);
  if ((trace->max_steps > 0 && trace->steps->len >= trace->max_steps)
      || (trace->byte_limit > 0 && trace->bytes + bytes > trace->byte_limit))
    {
      truncate_notice (trace, bytes);
      return NULL;
    }
  trace->n = n;
  trace->k = k;
  trace->bytes += bytes;
  s = g_new0 (CsTraceStep, 1);
  s->kind = kind;
  s->leaving = -1;
  s->entering = -1;
  s->delta = NAN;
  s->iteration = iteration;
  s->labels = labels ? g_memdup2 (labels, n * sizeof (int)) : NULL;
  s->objective = objective;
  s->n_changed = n_changed;
  s->note = g_strdup (note);
  g_ptr_array_add (trace->steps, s);
  return s;
}

void
cs_trace_step_set_centers (CsTraceStep *step, const CsMatrix *centers)
{
  if (step == NULL || centers == NULL)
    return;
  cs_matrix_free (step->centers);
  step->centers = cs_matrix_copy (centers);
  step->d = centers->cols;
}

void
cs_trace_step_set_medoids (CsTraceStep *step, const gsize *medoids, guint k)
{
  if (step == NULL || medoids == NULL)
    return;
  g_free (step->medoids);
  step->medoids = g_memdup2 (medoids, k * sizeof (gsize));
}

void
cs_trace_step_set_swap (CsTraceStep *step,
                        gssize       leaving,
                        gssize       entering,
                        double       delta,
                        const gsize *candidates,
                        guint        n_candidates)
{
  if (step == NULL)
    return;
  step->kind = CS_TRACE_STEP_SWAP;
  step->leaving = leaving;
  step->entering = entering;
  step->delta = delta;
  g_clear_pointer (&step->candidates, g_free);
  step->n_candidates = 0;
  if (candidates != NULL && n_candidates > 0)
    {
      step->n_candidates = MIN (n_candidates, CS_TRACE_MAX_CANDIDATES);
      step->candidates = g_memdup2 (candidates, step->n_candidates * sizeof (gsize));
    }
}

guint
cs_trace_candidates_per_medoid (gsize n, guint k)
{
  if (k == 0)
    return 0;
  if ((guint64) n * k <= CS_TRACE_MAX_CANDIDATES)
    return (guint) n;
  return CLAMP (CS_TRACE_MAX_CANDIDATES / k, 1, CS_TRACE_BEST_PER_MEDOID);
}

void
cs_trace_step_set_candidates (CsTraceStep  *step,
                              const gsize  *rows,
                              const guint  *slots,
                              const double *deltas,
                              guint         n,
                              guint         k,
                              guint64       n_evaluated)
{
  if (step == NULL)
    return;
  g_clear_pointer (&step->candidates, g_free);
  g_clear_pointer (&step->candidate_slots, g_free);
  g_clear_pointer (&step->candidate_deltas, g_free);
  step->n_candidates = 0;
  step->n_evaluated = n_evaluated;
  if (rows == NULL || n == 0)
    return;
  step->n_candidates = MIN (n, MAX (CS_TRACE_MAX_CANDIDATES, k));
  step->candidates = g_memdup2 (rows, step->n_candidates * sizeof (gsize));
  if (slots != NULL)
    step->candidate_slots = g_memdup2 (slots, step->n_candidates * sizeof (guint));
  if (deltas != NULL)
    step->candidate_deltas = g_memdup2 (deltas, step->n_candidates * sizeof (double));
}

void
cs_trace_step_set_responsibilities (CsTraceStep *step, const double *r, gsize n, guint k)
{
  if (step == NULL || r == NULL)
    return;
  g_free (step->responsibilities);
  step->responsibilities = g_new (float, n * k);
  for (gsize e = 0; e < n * k; e++)
    step->responsibilities[e] = (float) r[e];
}

void
cs_trace_step_set_mixture (CsTraceStep *step, const CsMatrix *covariances, const double *weights, guint k)
{
  if (step == NULL)
    return;
  if (covariances != NULL)
    {
      cs_matrix_free (step->covariances);
      step->covariances = cs_matrix_copy (covariances);
      step->d = covariances->cols;
    }
  if (weights != NULL)
    {
      g_free (step->weights);
      step->weights = g_memdup2 (weights, k * sizeof (double));
    }
}

void
cs_trace_step_set_positions (CsTraceStep *step, const double *x, gsize n, gsize d, const double *shift)
{
  if (step == NULL || x == NULL)
    return;
  g_free (step->positions);
  step->positions = g_new (float, n * d);
  step->d = d;
  for (gsize i = 0; i < n; i++)
    for (gsize t = 0; t < d; t++)
      step->positions[i * d + t] = (float) (x[i * d + t] + (shift ? shift[t] : 0.0));
}

void
cs_trace_step_set_point_kinds (CsTraceStep *step, const guint8 *kinds, gsize n)
{
  if (step == NULL || kinds == NULL)
    return;
  g_free (step->point_kinds);
  step->point_kinds = g_memdup2 (kinds, n);
}

const char *
cs_trace_step_kind_name (CsTraceStepKind kind)
{
  switch (kind)
    {
    case CS_TRACE_STEP_INIT: return "start";
    case CS_TRACE_STEP_ASSIGN: return "assignment step";
    case CS_TRACE_STEP_UPDATE: return "update step";
    case CS_TRACE_STEP_SWAP: return "swap";
    case CS_TRACE_STEP_E: return "E-step";
    case CS_TRACE_STEP_M: return "M-step";
    case CS_TRACE_STEP_SHIFT: return "shift";
    case CS_TRACE_STEP_DISCOVER: return "discovery";
    case CS_TRACE_STEP_MERGE: return "merge";
    case CS_TRACE_STEP_FINAL: return "final result";
    case CS_TRACE_STEP_BUILD: return "BUILD step";
    case CS_TRACE_STEP_GENERIC:
    default: return "step";
    }
}
