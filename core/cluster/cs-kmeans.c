#include "core/cluster/cs-kmeans.h"
#include "core/cluster/cs-trace.h"
#include "core/base/cs-format.h"
#include "core/base/cs-matrix-private.h"
#include "core/base/cs-error.h"
#include "core/base/cs-rng.h"

#include <cblas.h>
#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Rows per dgemm call. Fixed, like the chunking below, so that every sum is formed in the
 * same order whatever the thread count. */
#define BLOCK_ROWS 256

typedef struct
{
  const CsMatrix *x;              /* Borrowed: the column-centred data */
  const double   *xsq;            /* Borrowed: squared row norms of x */
  gsize           n;
  gsize           d;
  guint           k;
  gsize           chunk_rows;     /* a multiple of BLOCK_ROWS; one partial sum per chunk */
  gsize           n_chunks;
  double         *partial_sums;   /* Owned: n_chunks × k × d */
  gsize          *partial_counts; /* Owned: n_chunks × k */
  double         *chunk_scalar;   /* Owned: n_chunks, for ordered scalar sums */
  double         *sums;           /* Owned: k × d */
  gsize          *counts;         /* Owned: k */
  CsProgress     *progress;       /* Borrowed, may be NULL */
  /* Progress over restarts: restart r of n_runs owns [r / n_runs, (r + 1) / n_runs) of the
   * run, seeding its first tenth, so the bar never moves back when a restart begins. */
  guint           restart;
  guint           n_runs;
  gboolean        par;            /* worth threads: a region costs a time slice on a busy machine */
} Work;

void
cs_kmeans_options_init (CsKmeansOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->k = 3;
  options->init = CS_KMEANS_INIT_PLUSPLUS;
  options->initial_centers = NULL;
  /* scikit-learn's default up to 1.3 (1.4 moved to "auto", i.e. 1 run for k-means++). */
  options->n_init = 10;
  options->max_iter = 300;
  options->tol = 1e-4;
  options->seed = 0;
  options->algorithm = CS_KMEANS_HAMERLY;
}

static inline void
accumulate_row (const double *xi,
                gsize         d,
                int           label,
                double       *sums,
                gsize        *counts)
{
  double *s = sums + (gsize) label * d;

  for (gsize j = 0; j < d; j++)
    s[j] += xi[j];
  counts[label]++;
}

/* E-step for the rows of chunk `c` through blocked dgemm (||c||² − 2 x·c; ||x||² does not
 * change the argmin). Ties go to the lowest centre index. Optionally accumulates the chunk's
 * partial sums (Lloyd fuses the M-step's sums into the same pass over the data) and the
 * second-smallest squared distance (Hamerly's first lower bound). Returns labels changed. */
static gsize
assign_chunk (Work           *w,
              gsize           c,
              const CsMatrix *centers,
              const double   *csq,
              double         *dist,
              int            *labels,
              gboolean        accumulate,
              double         *second)
{
  gsize k = w->k;
  gsize d = w->d;
  gsize i_begin = c * w->chunk_rows;
  gsize i_end = MIN (i_begin + w->chunk_rows, w->n);
  double *sums = w->partial_sums + c * k * d;
  gsize *counts = w->partial_counts + c * k;
  gsize changed = 0;

  if (accumulate)
    {
      memset (sums, 0, k * d * sizeof (double));
      memset (counts, 0, k * sizeof (gsize));
    }
  for (gsize i0 = i_begin; i0 < i_end; i0 += BLOCK_ROWS)
    {
      gsize nb = MIN (BLOCK_ROWS, i_end - i0);

      if (cs_progress_is_cancelled (w->progress))
        return changed;
      for (gsize r = 0; r < nb; r++)
        memcpy (dist + r * k, csq, k * sizeof (double));
      cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) nb, (int) k, (int) d, -2.0,
                   cs_matrix_row (w->x, i0), (int) d, centers->data, (int) d, 1.0, dist, (int) k);
      for (gsize r = 0; r < nb; r++)
        {
          const double *dr = dist + r * k;
          double best = dr[0];
          double next = INFINITY;
          int arg = 0;

          for (gsize j = 1; j < k; j++)
            {
              double v = dr[j];
              if (v < best)
                {
                  next = best;
                  best = v;
                  arg = (int) j;
                }
              else if (v < next)
                next = v;
            }
          if (labels[i0 + r] != arg)
            {
              labels[i0 + r] = arg;
              changed++;
            }
          if (second)
            second[i0 + r] = next + w->xsq[i0 + r];
          if (accumulate)
            accumulate_row (cs_matrix_row (w->x, i0 + r), d, arg, sums, counts);
        }
    }
  return changed;
}

static gboolean
assign_all (Work           *w,
            const CsMatrix *centers,
            int            *labels,
            gboolean        accumulate,
            double         *second,
            gsize          *n_changed,
            GError        **error)
{
  g_autofree double *csq = g_new (double, w->k);
  gsize changed = 0;
  int saved;

  cs_matrix_row_sqnorms (centers, csq);
  saved = cs_i_blas_single_begin ((gsize) BLOCK_ROWS * w->k * w->d, FALSE);
#pragma omp parallel reduction(+ : changed) if (w->par)
  {
    double *dist = g_new (double, (gsize) BLOCK_ROWS * w->k);

#pragma omp for schedule(dynamic, 1)
    for (gsize c = 0; c < w->n_chunks; c++)
      if (!cs_progress_is_cancelled (w->progress))
        changed += assign_chunk (w, c, centers, csq, dist, labels, accumulate, second);
    g_free (dist);
  }
  cs_i_blas_single_end (saved);
  if (n_changed)
    *n_changed = changed;
  return cs_progress_check (w->progress, error);
}

/* The same per-chunk sums as assign_chunk() forms, in the same order, for the bound-based
 * E-step: given equal labels, Lloyd and Hamerly get bitwise equal centres. */
static void
accumulate_all (Work      *w,
                const int *labels)
{
  gsize k = w->k;
  gsize d = w->d;

#pragma omp parallel for schedule(static) if (w->par)
  for (gsize c = 0; c < w->n_chunks; c++)
    {
      gsize i_end = MIN ((c + 1) * w->chunk_rows, w->n);
      double *sums = w->partial_sums + c * k * d;
      gsize *counts = w->partial_counts + c * k;

      memset (sums, 0, k * d * sizeof (double));
      memset (counts, 0, k * sizeof (gsize));
      for (gsize i = c * w->chunk_rows; i < i_end; i++)
        accumulate_row (cs_matrix_row (w->x, i), d, labels[i], sums, counts);
    }
}

static void
reduce_partials (Work *w)
{
  gsize kd = (gsize) w->k * w->d;

#pragma omp parallel for schedule(static) if (kd * w->n_chunks > 65536)
  for (gsize e = 0; e < kd; e++)
    {
      double s = 0.0;
      for (gsize c = 0; c < w->n_chunks; c++)
        s += w->partial_sums[c * kd + e];
      w->sums[e] = s;
    }
  for (guint j = 0; j < w->k; j++)
    {
      gsize s = 0;
      for (gsize c = 0; c < w->n_chunks; c++)
        s += w->partial_counts[c * w->k + j];
      w->counts[j] = s;
    }
}

/* Σ ||x_i − c_{label i}||², summed per chunk and then in chunk order. */
static double
inertia_of (Work           *w,
            const CsMatrix *centers,
            const int      *labels)
{
  double total = 0.0;

#pragma omp parallel for schedule(static) if (w->par)
  for (gsize c = 0; c < w->n_chunks; c++)
    {
      gsize i_end = MIN ((c + 1) * w->chunk_rows, w->n);
      double s = 0.0;
      for (gsize i = c * w->chunk_rows; i < i_end; i++)
        s += cs_sqdist (cs_matrix_row (w->x, i), cs_matrix_row (centers, labels[i]), w->d);
      w->chunk_scalar[c] = s;
    }
  for (gsize c = 0; c < w->n_chunks; c++)
    total += w->chunk_scalar[c];
  return total;
}

/* M-step from the reduced sums. A cluster left empty is re-seeded, as scikit-learn does, with
 * the row farthest from its current centre, taken from a cluster that keeps a member (one
 * always exists: fewer than k non-empty clusters hold n >= k rows). The row is relabelled so
 * that every centre stays the mean of its rows. Returns how many rows moved; their indices go
 * to `moved` (k entries). */
static gsize
update_centers (Work           *w,
                const CsMatrix *old_centers,
                int            *labels,
                CsMatrix       *new_centers,
                gsize          *moved)
{
  gsize k = w->k;
  gsize d = w->d;
  gsize n_moved = 0;
  g_autofree double *far = NULL;

  for (gsize j = 0; j < k; j++)
    {
      if (w->counts[j] > 0)
        continue;
      if (far == NULL)
        {
          far = g_new (double, w->n);
#pragma omp parallel for schedule(static) if (w->par)
          for (gsize i = 0; i < w->n; i++)
            far[i] = cs_sqdist (cs_matrix_row (w->x, i), cs_matrix_row (old_centers, labels[i]), d);
        }
      {
        gssize pick = -1;
        double best = -1.0;
        int from;
        const double *xi;

        for (gsize i = 0; i < w->n; i++)
          if (far[i] > best && w->counts[labels[i]] > 1)
            {
              best = far[i];
              pick = (gssize) i;
            }
        g_assert (pick >= 0);
        from = labels[pick];
        xi = cs_matrix_row (w->x, pick);
        for (gsize t = 0; t < d; t++)
          {
            w->sums[from * d + t] -= xi[t];
            w->sums[j * d + t] = xi[t];
          }
        w->counts[from]--;
        w->counts[j] = 1;
        labels[pick] = (int) j;
        far[pick] = -1.0;
        moved[n_moved++] = (gsize) pick;
      }
    }
  for (gsize j = 0; j < k; j++)
    {
      double *c = cs_matrix_row (new_centers, j);
      for (gsize t = 0; t < d; t++)
        c[t] = w->sums[j * d + t] / (double) w->counts[j];
    }
  return n_moved;
}

typedef struct
{
  guint    iterations;
  gboolean converged;
  double   inertia;
} RunOutcome;

/* Where restart w->restart is, given its own progress `f` in [0, 1]. */
static double
restart_fraction (const Work *w,
                  double      f)
{
  return ((double) w->restart + CLAMP (f, 0.0, 1.0)) / MAX (w->n_runs, 1);
}

/* "restart 2 of 10: iteration 4", or just "iteration 4" for a single run. */
static void
restart_stage (const Work *w,
               char       *buf,
               gsize       size,
               const char *what)
{
  if (w->n_runs > 1)
    g_snprintf (buf, size, "restart %u of %u: %s", w->restart + 1, w->n_runs, what);
  else
    g_snprintf (buf, size, "%s", what);
}

static void
trace_step (Work           *w,
            CsTrace        *trace,
            CsTraceStepKind kind,
            guint           iteration,
            const int      *labels,
            const CsMatrix *centers,
            gsize           n_changed,
            const char     *note)
{
  CsTraceStep *step;
  char text[128];

  if (trace == NULL)
    return;
  if (note == NULL && kind == CS_TRACE_STEP_ASSIGN)
    {
      g_autofree char *count = cs_format_count (n_changed);
      g_snprintf (text, sizeof text, "%s %s changed", count, n_changed == 1 ? "point" : "points");
      note = text;
    }
  else if (note == NULL && kind == CS_TRACE_STEP_UPDATE)
    note = "centres moved to their points' means";
  step = cs_trace_push (trace, kind, iteration, labels, w->n, w->k,
                        labels != NULL ? inertia_of (w, centers, labels) : NAN, n_changed, note);
  cs_trace_step_set_centers (step, centers);
}

/* Hamerly (2010), "Making k-means even faster": one upper bound u (distance to the own
 * centre) and one lower bound l (to the second closest) per row; a row whose u is below
 * max(l, half the distance from its centre to the nearest other centre) cannot change label.
 * Exact: the labels equal Lloyd's up to rounding ties. */
static gsize
hamerly_assign (Work           *w,
                const CsMatrix *centers,
                const double   *s,
                int            *labels,
                double         *u,
                double         *l)
{
  gsize k = w->k;
  gsize d = w->d;
  gsize changed = 0;

#pragma omp parallel for schedule(dynamic, 1) reduction(+ : changed) if (w->par)
  for (gsize c = 0; c < w->n_chunks; c++)
    {
      gsize i_end = MIN ((c + 1) * w->chunk_rows, w->n);

      for (gsize i = c * w->chunk_rows; i < i_end; i++)
        {
          const double *xi = cs_matrix_row (w->x, i);
          int a = labels[i];
          double m = MAX (s[a], l[i]);
          double best = INFINITY;
          double next = INFINITY;
          int arg = 0;

          if ((i & 255) == 0 && cs_progress_is_cancelled (w->progress))
            break;
          if (u[i] < m)
            continue;
          u[i] = sqrt (cs_sqdist (xi, cs_matrix_row (centers, a), d));
          if (u[i] < m)
            continue;
          for (gsize j = 0; j < k; j++)
            {
              double v = cs_sqdist (xi, cs_matrix_row (centers, j), d);
              if (v < best)
                {
                  next = best;
                  best = v;
                  arg = (int) j;
                }
              else if (v < next)
                next = v;
            }
          if (arg != a)
            {
              labels[i] = arg;
              changed++;
            }
          u[i] = sqrt (best);
          l[i] = sqrt (next);
        }
    }
  return changed;
}

/* s[j] = half the distance from centre j to its nearest other centre. */
static void
half_separation (const CsMatrix *centers,
                 double         *s)
{
  gsize k = centers->rows;

#pragma omp parallel for schedule(static) if (k > 64)
  for (gsize j = 0; j < k; j++)
    {
      double best = INFINITY;
      for (gsize t = 0; t < k; t++)
        if (t != j)
          {
            double v = cs_sqdist (cs_matrix_row (centers, j), cs_matrix_row (centers, t), centers->cols);
            if (v < best)
              best = v;
          }
      s[j] = 0.5 * sqrt (best);
    }
}

/* One k-means run from `centers` (updated in place), scikit-learn's loop: stop when no label
 * changed, or when the total squared centre shift is <= tol_abs; then, unless the labels were
 * already stable, a final E-step so that labels and inertia belong to the returned centres. */
static gboolean
run_once (Work                  *w,
          const CsKmeansOptions *opt,
          CsMatrix              *centers,
          int                   *labels,
          double                 tol_abs,
          CsTrace               *trace,
          RunOutcome            *outcome,
          GError               **error)
{
  gsize n = w->n;
  gsize d = w->d;
  guint k = w->k;
  gboolean hamerly = opt->algorithm == CS_KMEANS_HAMERLY;
  g_autoptr (CsMatrix) next = cs_matrix_new (k, d);
  g_autofree gsize *moved = g_new (gsize, k);
  g_autofree double *u = NULL;
  g_autofree double *l = NULL;
  g_autofree double *s = NULL;
  g_autofree double *p = NULL;
  gboolean strict = FALSE;
  guint it;

  memset (outcome, 0, sizeof *outcome);
  for (gsize i = 0; i < n; i++)
    labels[i] = -1;
  if (hamerly)
    {
      u = g_try_new (double, n);
      l = g_try_new (double, n);
      if (u == NULL || l == NULL)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE,
                       "Out of memory for Hamerly's bounds (%" G_GSIZE_FORMAT " rows); try algorithm=lloyd", n);
          return FALSE;
        }
      s = g_new (double, k);
      p = g_new (double, k);
    }

  if (trace != NULL && cs_trace_plan (trace, n, k, d, CS_TRACE_RECORDS_LABELS | CS_TRACE_RECORDS_CENTERS))
    trace_step (w, trace, CS_TRACE_STEP_INIT, 0, NULL, centers, 0, "initial centres");
  for (it = 0; it < opt->max_iter; it++)
    {
      gsize changed = 0;
      gsize n_moved;
      double shift = 0.0;
      char stage[96];

      if (!hamerly)
        {
          if (!assign_all (w, centers, labels, TRUE, NULL, &changed, error))
            return FALSE;
        }
      else if (it == 0)
        {
          double max_csq = 0.0;
          g_autofree double *csq = g_new (double, k);

          /* The first E-step is Lloyd's (same dgemm, same labels); the bounds come from it. */
          if (!assign_all (w, centers, labels, FALSE, l, &changed, error))
            return FALSE;
          cs_matrix_row_sqnorms (centers, csq);
          for (guint j = 0; j < k; j++)
            max_csq = MAX (max_csq, csq[j]);
#pragma omp parallel for schedule(static) if (w->par)
          for (gsize i = 0; i < n; i++)
            {
              /* dgemm's ||x||² − 2x·c + ||c||² is off by a few ulps of the norms: widen the lower bound by more. */
              double margin = 1e-12 * (w->xsq[i] + max_csq);
              u[i] = sqrt (cs_sqdist (cs_matrix_row (w->x, i), cs_matrix_row (centers, labels[i]), d));
              l[i] = sqrt (MAX (l[i] - margin, 0.0));
            }
          accumulate_all (w, labels);
        }
      else
        {
          half_separation (centers, s);
          changed = hamerly_assign (w, centers, s, labels, u, l);
          if (!cs_progress_check (w->progress, error))
            return FALSE;
          accumulate_all (w, labels);
        }
      reduce_partials (w);
      n_moved = update_centers (w, centers, labels, next, moved);

      for (guint j = 0; j < k; j++)
        {
          double sj = cs_sqdist (cs_matrix_row (next, j), cs_matrix_row (centers, j), d);
          shift += sj;
          if (hamerly)
            p[j] = sqrt (sj);
        }
      if (hamerly)
        {
          guint jmax = 0;
          double p1 = 0.0;
          double p2 = 0.0;

          for (guint j = 0; j < k; j++)
            if (p[j] > p1)
              {
                p2 = p1;
                p1 = p[j];
                jmax = j;
              }
            else if (p[j] > p2)
              p2 = p[j];
#pragma omp parallel for schedule(static) if (w->par)
          for (gsize i = 0; i < n; i++)
            {
              u[i] += p[labels[i]];
              l[i] -= (guint) labels[i] == jmax ? p2 : p1;
            }
          for (gsize r = 0; r < n_moved; r++)
            {
              u[moved[r]] = INFINITY;
              l[moved[r]] = 0.0;
            }
        }

      if (trace)
        {
          trace_step (w, trace, CS_TRACE_STEP_ASSIGN, it + 1, labels, centers, changed, NULL);
          trace_step (w, trace, CS_TRACE_STEP_UPDATE, it + 1, labels, next, 0,
                      n_moved ? "centres moved to their points' means; an empty cluster re-seeded" : NULL);
        }
      memcpy (centers->data, next->data, (gsize) k * d * sizeof (double));
      outcome->iterations = it + 1;

      {
        g_autofree char *what = g_strdup_printf ("iteration %u", it + 1);

        /* Most runs converge long before max_iter: approach the restart's end geometrically
         * instead of creeping by 1 / max_iter and jumping at convergence. */
        restart_stage (w, stage, sizeof stage, what);
        if (!cs_progress_report (w->progress, restart_fraction (w, 0.1 + 0.9 * (1.0 - pow (0.9, it + 1))), stage))
          return cs_progress_check (w->progress, error);
      }

      if (changed == 0 && n_moved == 0)
        {
          strict = TRUE;
          outcome->converged = TRUE;
          break;
        }
      if (shift <= tol_abs)
        {
          outcome->converged = TRUE;
          break;
        }
    }

  if (!strict)
    {
      gsize changed = 0;

      if (!assign_all (w, centers, labels, FALSE, NULL, &changed, error))
        return FALSE;
      if (trace && changed > 0)
        trace_step (w, trace, CS_TRACE_STEP_ASSIGN, outcome->iterations + 1, labels, centers, changed, NULL);
    }
  outcome->inertia = inertia_of (w, centers, labels);
  return TRUE;
}

/* Greedy k-means++ (Arthur & Vassilvitskii 2007, with scikit-learn's 2 + ln k local trials):
 * each new centre is the best of several D²-sampled candidates, judged by the potential. */
static gboolean
init_plusplus (Work      *w,
               CsRng     *rng,
               CsMatrix  *centers,
               GError   **error)
{
  gsize n = w->n;
  gsize d = w->d;
  guint k = w->k;
  guint trials = 2 + (guint) floor (log ((double) k));
  g_autofree double *closest = g_new (double, n);
  g_autofree double *cum = g_new (double, n);
  g_autofree double *cand_pot = g_new0 (double, w->n_chunks * trials);
  g_autofree gsize *cand_idx = g_new (gsize, trials);
  g_autoptr (CsMatrix) cand = cs_matrix_new (trials, d);
  g_autofree double *cand_sq = g_new (double, trials);
  gsize first = cs_rng_below (rng, n);
  double pot = 0.0;
  int saved;

  memcpy (cs_matrix_row (centers, 0), cs_matrix_row (w->x, first), d * sizeof (double));
#pragma omp parallel for schedule(static) if (w->par)
  for (gsize i = 0; i < n; i++)
    closest[i] = cs_sqdist (cs_matrix_row (w->x, i), cs_matrix_row (centers, 0), d);

  for (guint c = 1; c < k; c++)
    {
      double acc = 0.0;
      guint best_t = 0;
      const double *chosen;

      char stage[96];

      restart_stage (w, stage, sizeof stage, "k-means++ initialisation");
      if (!cs_progress_report (w->progress, restart_fraction (w, 0.1 * c / k), stage))
        return cs_progress_check (w->progress, error);
      for (gsize i = 0; i < n; i++)
        {
          acc += closest[i];
          cum[i] = acc;
        }
      pot = acc;
      for (guint t = 0; t < trials; t++)
        {
          double r = cs_rng_uniform (rng) * pot;
          gsize lo = 0;
          gsize hi = n;

          /* First row whose cumulative weight exceeds r: never a row already at a centre. */
          while (lo < hi)
            {
              gsize mid = lo + (hi - lo) / 2;
              if (cum[mid] > r)
                hi = mid;
              else
                lo = mid + 1;
            }
          cand_idx[t] = MIN (lo, n - 1);
          memcpy (cs_matrix_row (cand, t), cs_matrix_row (w->x, cand_idx[t]), d * sizeof (double));
        }
      cs_matrix_row_sqnorms (cand, cand_sq);

      saved = cs_i_blas_single_begin ((gsize) BLOCK_ROWS * trials * d, FALSE);
#pragma omp parallel if (w->par)
      {
        double *dist = g_new (double, (gsize) BLOCK_ROWS * trials);

#pragma omp for schedule(dynamic, 1)
        for (gsize ch = 0; ch < w->n_chunks; ch++)
          {
            gsize i_end = MIN ((ch + 1) * w->chunk_rows, n);
            double *cp = cand_pot + ch * trials;

            memset (cp, 0, trials * sizeof (double));
            for (gsize i0 = ch * w->chunk_rows; i0 < i_end && !cs_progress_is_cancelled (w->progress); i0 += BLOCK_ROWS)
              {
                gsize nb = MIN (BLOCK_ROWS, i_end - i0);
                cs_matrix_sqdist_block (w->x, w->xsq, i0, nb, cand, cand_sq, dist);
                for (gsize r = 0; r < nb; r++)
                  for (guint t = 0; t < trials; t++)
                    cp[t] += MIN (closest[i0 + r], dist[r * trials + t]);
              }
          }
        g_free (dist);
      }
      cs_i_blas_single_end (saved);
      if (!cs_progress_check (w->progress, error))
        return FALSE;

      {
        double best_pot = INFINITY;
        for (guint t = 0; t < trials; t++)
          {
            double s = 0.0;
            for (gsize ch = 0; ch < w->n_chunks; ch++)
              s += cand_pot[ch * trials + t];
            if (s < best_pot)
              {
                best_pot = s;
                best_t = t;
              }
          }
      }
      chosen = cs_matrix_row (cand, best_t);
      memcpy (cs_matrix_row (centers, c), chosen, d * sizeof (double));
#pragma omp parallel for schedule(static) if (w->par)
      for (gsize i = 0; i < n; i++)
        {
          double v = cs_sqdist (cs_matrix_row (w->x, i), chosen, d);
          if (v < closest[i])
            closest[i] = v;
        }
    }
  return TRUE;
}

/* k distinct rows, uniformly (Floyd's sampling). */
static void
init_random (Work     *w,
             CsRng    *rng,
             CsMatrix *centers)
{
  g_autoptr (GHashTable) taken = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint c = 0;

  for (gsize j = w->n - w->k; j < w->n; j++)
    {
      gsize t = cs_rng_below (rng, j + 1);
      gsize pick = g_hash_table_contains (taken, GSIZE_TO_POINTER (t + 1)) ? j : t;
      g_hash_table_add (taken, GSIZE_TO_POINTER (pick + 1));
      memcpy (cs_matrix_row (centers, c++), cs_matrix_row (w->x, pick), w->d * sizeof (double));
    }
}

static guint64
row_hash (const double *r,
          gsize         d)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (gsize j = 0; j < d; j++)
    {
      double v = r[j] == 0.0 ? 0.0 : r[j]; /* -0.0 and 0.0 are the same point */
      guint64 bits;
      memcpy (&bits, &v, sizeof bits);
      h = (h ^ bits) * G_GUINT64_CONSTANT (0x100000001b3);
      h ^= h >> 29;
    }
  return h;
}

/* Distinct rows, counting no further than `stop_at` (open addressing on row hashes). */
static gsize
count_distinct_rows (const CsMatrix *x,
                     gsize           stop_at)
{
  gsize cap = 16;
  gsize found = 0;
  g_autofree gsize *slots = NULL;

  while (cap < 2 * MIN (stop_at, x->rows) + 2)
    cap <<= 1;
  slots = g_new (gsize, cap);
  for (gsize s = 0; s < cap; s++)
    slots[s] = G_MAXSIZE;
  for (gsize i = 0; i < x->rows && found < stop_at; i++)
    {
      const double *r = cs_matrix_row (x, i);
      gsize s = row_hash (r, x->cols) & (cap - 1);
      gboolean seen = FALSE;

      while (slots[s] != G_MAXSIZE)
        {
          const double *q = cs_matrix_row (x, slots[s]);
          gsize j = 0;
          while (j < x->cols && q[j] == r[j])
            j++;
          if (j == x->cols)
            {
              seen = TRUE;
              break;
            }
          s = (s + 1) & (cap - 1);
        }
      if (!seen)
        {
          slots[s] = i;
          found++;
        }
    }
  return found;
}

gboolean
cs_kmeans_run (const CsMatrix        *x,
               const CsKmeansOptions *options,
               CsProgress            *progress,
               CsTrace               *trace,
               CsClustering         **out,
               GError               **error)
{
  gsize n;
  gsize d;
  guint k;
  guint n_runs;
  Work w = { 0 };
  g_autoptr (CsMatrix) xc = NULL;
  g_autofree double *mean = NULL;
  g_autofree double *xsq = NULL;
  g_autofree int *labels = NULL;
  g_autoptr (CsMatrix) centers = NULL;
  g_autoptr (CsMatrix) best_centers = NULL;
  g_autoptr (CsTrace) best_trace = NULL;
  g_autoptr (CsClustering) result = NULL;
  RunOutcome best = { 0, FALSE, INFINITY };
  double tol_abs = 0.0;
  gboolean ok = FALSE;

  g_return_val_if_fail (x != NULL && options != NULL && out != NULL, FALSE);
  n = x->rows;
  d = x->cols;
  k = options->k;

  if (n == 0 || d == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "k-means needs at least one row and one column of data");
      return FALSE;
    }
  if (k < 1)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "Parameter ‘k’: k = 0; ask for at least one cluster");
      return FALSE;
    }
  if (options->max_iter < 1 || (options->n_init < 1 && options->initial_centers == NULL))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameters ‘max_iter’ (%u) and ‘n_init’ (%u) must be at least 1", options->max_iter,
                   options->n_init);
      return FALSE;
    }
  if (!(options->tol >= 0.0) || !isfinite (options->tol))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "Parameter ‘tol’: %g is not a tolerance >= 0",
                   options->tol);
      return FALSE;
    }
  if (options->algorithm == CS_KMEANS_ELKAN)
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "Elkan's k-means is not implemented; use ‘hamerly’ (the same result) or ‘lloyd’");
      return FALSE;
    }
  if (options->initial_centers
      && (options->initial_centers->rows != k || options->initial_centers->cols != d))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "The initial centres are %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT ", but k = %u and the data has %"
                   G_GSIZE_FORMAT " columns",
                   options->initial_centers->rows, options->initial_centers->cols, k, d);
      return FALSE;
    }
  for (gsize i = 0; i < n * d; i++)
    if (!isfinite (x->data[i]))
      {
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "k-means needs finite values, but row %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
                     " is %s; drop or impute missing values first",
                     i / d + 1, i % d + 1, isnan (x->data[i]) ? "NaN" : "infinite");
        return FALSE;
      }
  if (options->initial_centers)
    for (gsize i = 0; i < (gsize) k * d; i++)
      if (!isfinite (options->initial_centers->data[i]))
        {
          g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                               "The initial centres contain a NaN or infinite value");
          return FALSE;
        }
  if (k > n)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "k = %u clusters need at least %u rows, but the data has n = %" G_GSIZE_FORMAT
                   "; choose k <= %" G_GSIZE_FORMAT,
                   k, k, n, n);
      return FALSE;
    }
  {
    gsize distinct = count_distinct_rows (x, k);
    if (distinct < k)
      {
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "k = %u clusters need at least %u distinct rows, but the n = %" G_GSIZE_FORMAT
                     " rows hold only %" G_GSIZE_FORMAT " distinct points; choose k <= %" G_GSIZE_FORMAT,
                     k, k, n, distinct, distinct);
        return FALSE;
      }
  }

  /* Centring (as scikit-learn does) keeps ||x||² − 2x·c + ||c||² accurate for data far from
   * the origin; the centres are shifted back at the end. */
  xc = cs_matrix_try_new (n, d, "centred copy of the data", error);
  if (xc == NULL)
    return FALSE;
  mean = g_new0 (double, d);
  cs_matrix_column_means (x, mean);
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < d; j++)
      {
        double v = x->data[i * d + j] - mean[j];
        xc->data[i * d + j] = v;
        tol_abs += v * v;
      }
  /* scikit-learn's _tolerance: tol × the mean of the per-column variances. */
  tol_abs = options->tol * tol_abs / ((double) n * (double) d);

  xsq = g_try_new (double, n);
  labels = g_try_new (int, n);
  if (xsq == NULL || labels == NULL)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "Out of memory for k-means on %" G_GSIZE_FORMAT " rows", n);
      return FALSE;
    }
  cs_matrix_row_sqnorms (xc, xsq);

  w.x = xc;
  w.xsq = xsq;
  w.n = n;
  w.d = d;
  w.k = k;
  /* At least 8k rows a chunk keeps the per-chunk partial sums below 1/8 of the data. */
  w.chunk_rows = MAX ((gsize) 8 * k, (gsize) 2 * BLOCK_ROWS);
  w.chunk_rows = (w.chunk_rows + BLOCK_ROWS - 1) / BLOCK_ROWS * BLOCK_ROWS;
  w.n_chunks = (n + w.chunk_rows - 1) / w.chunk_rows;
  w.partial_sums = g_try_new (double, w.n_chunks * k * d);
  w.partial_counts = g_new (gsize, w.n_chunks * k);
  w.chunk_scalar = g_new (double, w.n_chunks);
  w.sums = g_new (double, (gsize) k * d);
  w.counts = g_new (gsize, k);
  w.progress = progress;
  w.par = (double) n * d * MAX (k, 4) >= 1e6;
  if (w.partial_sums == NULL)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "Out of memory for the k-means partial sums");
      goto out;
    }

  centers = cs_matrix_new (k, d);
  n_runs = options->initial_centers ? 1 : options->n_init;
  for (guint r = 0; r < n_runs; r++)
    {
      RunOutcome outcome;
      g_autoptr (CsTrace) run_trace = NULL;
      g_autofree int *run_labels = NULL;
      CsRng rng;

      /* One stream per restart: restart r does not depend on how restarts before it went. */
      cs_rng_init_stream (&rng, options->seed, r);
      w.restart = r;
      w.n_runs = n_runs;
      if (options->initial_centers)
        {
          for (guint j = 0; j < k; j++)
            for (gsize t = 0; t < d; t++)
              centers->data[j * d + t] = options->initial_centers->data[j * d + t] - mean[t];
        }
      else if (options->init == CS_KMEANS_INIT_RANDOM)
        init_random (&w, &rng, centers);
      else if (!init_plusplus (&w, &rng, centers, error))
        goto out;

      if (trace)
        run_trace = cs_trace_new_like (trace);
      run_labels = g_new (int, n);
      if (!run_once (&w, options, centers, run_labels, tol_abs, run_trace, &outcome, error))
        goto out;
      if (outcome.inertia < best.inertia || best_centers == NULL)
        {
          best = outcome;
          g_clear_pointer (&best_centers, cs_matrix_free);
          best_centers = cs_matrix_copy (centers);
          memcpy (labels, run_labels, n * sizeof (int));
          g_clear_pointer (&best_trace, cs_trace_free);
          best_trace = g_steal_pointer (&run_trace);
        }
    }

  result = cs_clustering_new ("kmeans", n, d, k);
  memcpy (result->labels, labels, n * sizeof (int));
  for (guint j = 0; j < k; j++)
    for (gsize t = 0; t < d; t++)
      best_centers->data[j * d + t] += mean[t];
  result->centers = g_steal_pointer (&best_centers);
  result->objective = best.inertia;
  result->objective_name = "inertia";
  result->objective_kind = CS_OBJECTIVE_INERTIA;
  result->iterations = best.iterations;
  result->converged = best.converged;

  /* Only the winning restart's steps are kept, with its centres in the data's coordinates. */
  if (trace && best_trace)
    {
      for (guint s = 0; s < best_trace->steps->len; s++)
        {
          CsTraceStep *step = g_ptr_array_index (best_trace->steps, s);
          if (step->centers)
            for (gsize e = 0; e < (gsize) k * d; e++)
              step->centers->data[e] += mean[e % d];
        }
      cs_trace_adopt (trace, best_trace);
    }
  cs_progress_report (progress, 1.0, "done");
  *out = g_steal_pointer (&result);
  ok = TRUE;

out:
  g_free (w.partial_sums);
  g_free (w.partial_counts);
  g_free (w.chunk_scalar);
  g_free (w.sums);
  g_free (w.counts);
  return ok;
}

static const char *const init_choices[] = { "k-means++", "random", NULL };
static const char *const init_labels[] = { "k-means++ (spread out)", "Random rows", NULL };
static const char *const algorithm_choices[] = { "lloyd", "hamerly", NULL };
static const char *const algorithm_labels[] = { "Lloyd (every distance)", "Hamerly (bounds)", NULL };

static const CsParamSpec kmeans_params[] = {
  { .name = "k", .label = "Clusters (k)", .help = "How many clusters to find.", .type = CS_PARAM_INT, .min = 1,
    .max = 1000, .default_num = 3 },
  { .name = "init", .label = "Initialisation",
    .help = "How the first centres are picked: greedy k-means++ seeding, k distinct rows at random, or k "
            "centres given as numbers, one centre per ‘;’ and one value per column: 0,1;4,4.5",
    .type = CS_PARAM_STRING, .default_str = "k-means++", .choices = init_choices,
    .choice_labels = init_labels, .other_label = "Given centres" },
  { .name = "n_init", .label = "Restarts",
    .help = "How many runs from different initial centres; the one with the lowest inertia is kept.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000, .default_num = 10, .advanced = TRUE },
  { .name = "max_iter", .label = "Maximum iterations", .help = "Each run stops after this many iterations at the latest.",
    .type = CS_PARAM_INT, .min = 1, .max = 100000, .default_num = 300, .advanced = TRUE },
  { .name = "tol", .label = "Tolerance",
    .help = "A run stops when the centres move less than this, relative to the mean variance of the columns.",
    .type = CS_PARAM_DOUBLE, .min = 0, .max = 1, .default_num = 1e-4, .log_scale = TRUE, .advanced = TRUE },
  { .name = "seed", .label = "Random seed",
    .help = "The same seed gives the same clustering on any machine and any number of threads.",
    .type = CS_PARAM_INT, .min = 0, .max = 2147483647.0, .default_num = 0 },
  { .name = "algorithm", .label = "Method",
    .help = "Lloyd computes every distance; Hamerly reaches the same result while its bounds skip most of them.",
    .type = CS_PARAM_ENUM, .default_str = "hamerly", .choices = algorithm_choices,
    .choice_labels = algorithm_labels, .advanced = TRUE },
};

/* "x1,y1;x2,y2": k centres of d values, in the units of the clustered data (after scaling).
 * NULL with an error naming the parameter when the text is not that. */
static CsMatrix *
parse_centres (const char *text, guint k, gsize d, GError **error)
{
  g_auto (GStrv) rows = g_strsplit (text, ";", -1);
  g_autoptr (CsMatrix) c = NULL;
  guint n_rows = 0;

  for (char **r = rows; *r != NULL; r++)
    if (g_strstrip (*r)[0] != '\0')
      n_rows++;
  if (n_rows != k)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameter ‘init’: ‘%s’ is not k-means++, random or %u centres (found %u; separate centres "
                   "with ‘;’ and values with ‘,’, as in 0,1;4,4.5)",
                   text, k, n_rows);
      return NULL;
    }
  c = cs_matrix_new (k, d);
  n_rows = 0;
  for (char **r = rows; *r != NULL; r++)
    {
      g_auto (GStrv) values = NULL;
      guint n_values;

      if ((*r)[0] == '\0')
        continue;
      values = g_strsplit (*r, ",", -1);
      n_values = g_strv_length (values);
      if (n_values != d)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                       "Parameter ‘init’: centre %u (‘%s’) has %u values, but the data has %" G_GSIZE_FORMAT
                       " columns",
                       n_rows + 1, *r, n_values, d);
          return NULL;
        }
      for (guint t = 0; t < n_values; t++)
        {
          char  *end = NULL;
          double v = g_ascii_strtod (g_strstrip (values[t]), &end);

          if (end == values[t] || *end != '\0' || !isfinite (v))
            {
              g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                           "Parameter ‘init’: ‘%s’ in centre %u is not a finite number", values[t], n_rows + 1);
              return NULL;
            }
          c->data[n_rows * d + t] = v;
        }
      n_rows++;
    }
  return g_steal_pointer (&c);
}

static gboolean
kmeans_run_params (const CsMatrix *x,
                   const CsParams *params,
                   CsProgress     *progress,
                   CsTrace        *trace,
                   CsClustering  **out,
                   GError        **error)
{
  CsKmeansOptions o;
  g_autoptr (CsMatrix) centres = NULL;
  const char *init = cs_params_get_string (params, "init");

  cs_kmeans_options_init (&o);
  o.k = (guint) cs_params_get_int (params, "k");
  o.init = g_strcmp0 (init, "random") == 0 ? CS_KMEANS_INIT_RANDOM : CS_KMEANS_INIT_PLUSPLUS;
  if (!g_strv_contains (init_choices, init))
    {
      centres = parse_centres (init, o.k, x->cols, error);
      if (centres == NULL)
        return FALSE;
      o.initial_centers = centres;
    }
  o.n_init = (guint) cs_params_get_int (params, "n_init");
  o.max_iter = (guint) cs_params_get_int (params, "max_iter");
  o.tol = cs_params_get_double (params, "tol");
  o.seed = (guint64) cs_params_get_int (params, "seed");
  o.algorithm = g_strcmp0 (cs_params_get_string (params, "algorithm"), "lloyd") == 0 ? CS_KMEANS_LLOYD
                                                                                      : CS_KMEANS_HAMERLY;
  return cs_kmeans_run (x, &o, progress, trace, out, error);
}

const CsAlgorithm cs_algorithm_kmeans = {
  .id = "kmeans",
  .name = "k-means",
  .description = "Partitions the rows into k clusters around centroids, minimising the within-cluster sum of "
                 "squares (inertia). Fast; best for compact, similarly sized, roughly spherical clusters.",
  .category = "Centroid",
  .objective = CS_OBJECTIVE_INERTIA,
  .params = kmeans_params,
  .n_params = G_N_ELEMENTS (kmeans_params),
  .run = kmeans_run_params,
};
