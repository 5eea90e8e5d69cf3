#pragma once

#include "core/cluster/cs-result.h"

G_BEGIN_DECLS

/* Recording a CsTrace for playback: what kind of step each snapshot is, what it carries
 * beyond labels, and the memory bound that keeps a trace of a large run from eating the
 * machine. Algorithms call cs_trace_plan() once they know what they will record, then
 * cs_trace_push() per step and the setters for what that kind of step carries. */

typedef enum
{
  CS_TRACE_STEP_GENERIC,  /* labels (and centres or medoids) only */
  CS_TRACE_STEP_INIT,     /* the starting point: initial centres, medoids or parameters */
  CS_TRACE_STEP_ASSIGN,   /* k-means: points moved to their nearest centre, centres unchanged */
  CS_TRACE_STEP_UPDATE,   /* k-means: centres moved to their points' means, labels unchanged */
  CS_TRACE_STEP_SWAP,     /* k-medoids: one medoid left, one row came in */
  CS_TRACE_STEP_E,        /* mixtures: responsibilities for the current parameters */
  CS_TRACE_STEP_M,        /* mixtures: parameters re-estimated from the responsibilities */
  CS_TRACE_STEP_SHIFT,    /* mean shift: every point moved up the density */
  CS_TRACE_STEP_DISCOVER, /* DBSCAN: one more cluster (or batch of noise) found */
  CS_TRACE_STEP_MERGE,    /* agglomerative: two clusters merged */
  CS_TRACE_STEP_FINAL,    /* the result as returned */
  CS_TRACE_STEP_BUILD,    /* k-medoids BUILD: one more medoid placed greedily (unplaced slots G_MAXSIZE) */
} CsTraceStepKind;

/* A point_kinds value beside CsPointKind: DBSCAN has not reached this row yet. */
#define CS_TRACE_UNVISITED 255
/* Candidate rows kept per swap step: enough to show where the search looked. */
#define CS_TRACE_MAX_CANDIDATES 64
/* PAM and FastPAM1 evaluate k(n − k) swaps a step: when that is more than
 * CS_TRACE_MAX_CANDIDATES they keep the best few for each medoid (this many, fewer when k is
 * large, at least one), and BUILD keeps its best few rows. */
#define CS_TRACE_BEST_PER_MEDOID 5
/* The bound when the caller sets none (CsPipelineOptions.trace_bytes = 0). */
#define CS_TRACE_DEFAULT_BYTES ((guint64) 256 << 20)

/* What each step of a run carries, for the estimate. */
typedef enum
{
  CS_TRACE_RECORDS_LABELS           = 1 << 0,
  CS_TRACE_RECORDS_CENTERS          = 1 << 1,
  CS_TRACE_RECORDS_MEDOIDS          = 1 << 2,
  CS_TRACE_RECORDS_RESPONSIBILITIES = 1 << 3,
  CS_TRACE_RECORDS_COVARIANCES      = 1 << 4,
  CS_TRACE_RECORDS_POSITIONS        = 1 << 5,
  CS_TRACE_RECORDS_POINT_KINDS      = 1 << 6,
  CS_TRACE_RECORDS_CANDIDATES       = 1 << 7,
} CsTraceRecords;

/* Bytes one step takes when it records `records` for n rows, k clusters and d columns. */
guint64      cs_trace_step_bytes (gsize n, guint k, gsize d, guint records);
/* Sets the per-step estimate and, against trace->byte_limit, how many steps will be kept:
 * fewer than max_steps (with a notice once a step is dropped), or none at all when two
 * steps would not fit (trace->refused, with a notice saying why; returns FALSE). NULL
 * trace: FALSE. */
gboolean     cs_trace_plan (CsTrace *trace, gsize n, guint k, gsize d, guint records);
/* An empty trace with the same bounds (one per restart; the best one is adopted). */
CsTrace     *cs_trace_new_like (const CsTrace *trace);
/* Moves every step, the byte count and the notice of `from` to the end of `trace`. */
void         cs_trace_adopt (CsTrace *trace, CsTrace *from);
/* A new step at the end, or NULL when it is not recorded (no trace, refused, or over a
 * bound: then trace->truncated and its notice are set). Copies labels (may be NULL). */
CsTraceStep *cs_trace_push (CsTrace        *trace,
                            CsTraceStepKind kind,
                            guint           iteration,
                            const int      *labels,
                            gsize           n,
                            guint           k,
                            double          objective,
                            gsize           n_changed,
                            const char     *note);

/* Setters for a pushed step (step may be NULL: nothing happens). Each copies. */
void cs_trace_step_set_centers (CsTraceStep *step, const CsMatrix *centers);
void cs_trace_step_set_medoids (CsTraceStep *step, const gsize *medoids, guint k);
void cs_trace_step_set_swap (CsTraceStep *step,
                             gssize       leaving,
                             gssize       entering,
                             double       delta,
                             const gsize *candidates,
                             guint        n_candidates);
/* r: n × k doubles, stored as floats. */
void cs_trace_step_set_responsibilities (CsTraceStep *step, const double *r, gsize n, guint k);
/* covariances (k·d) × d, weights k; either may be NULL. */
void cs_trace_step_set_mixture (CsTraceStep *step, const CsMatrix *covariances, const double *weights, guint k);
/* x: n × d doubles, stored as floats; `shift` (d, may be NULL) is added to every row. */
void cs_trace_step_set_positions (CsTraceStep *step, const double *x, gsize n, gsize d, const double *shift);
void cs_trace_step_set_point_kinds (CsTraceStep *step, const guint8 *kinds, gsize n);

/* Candidates kept for each medoid slot by a step of PAM or FastPAM1 with k medoids over n rows:
 * every one when all k·n fit in CS_TRACE_MAX_CANDIDATES, else the best few. At most
 * MAX (CS_TRACE_MAX_CANDIDATES, k) in all, which is what cs_trace_step_bytes counts. */
guint cs_trace_candidates_per_medoid (gsize n, guint k);
/* The candidates a step evaluated: `rows` with, when known, the slot each would take and the
 * change of loss (`slots`, `deltas`: NULL for a plain list of rows); `n_evaluated` counts all
 * of them, kept or not, for the caption. Copies; at most MAX (CS_TRACE_MAX_CANDIDATES, k) kept
 * (the first ones: pass the best first). */
void cs_trace_step_set_candidates (CsTraceStep  *step,
                                   const gsize  *rows,
                                   const guint  *slots,
                                   const double *deltas,
                                   guint         n,
                                   guint         k,
                                   guint64       n_evaluated);

const char *cs_trace_step_kind_name (CsTraceStepKind kind);

G_END_DECLS
