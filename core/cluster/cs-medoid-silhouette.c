#include "core/cluster/cs-kmedoids.h"
#include "core/cluster/cs-medoid-silhouette.h"
#include "core/cluster/cs-kmedoids-private.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"

#include <math.h>
#include <string.h>

/* The medoid silhouette and its direct optimisation: FasterMSC and DynMSC from Lenssen &
 * Schubert, "Clustering by direct optimization of the medoid silhouette" (SISAP 2022) and
 * "Medoid silhouette clustering with automatic cluster number selection" (Inf. Syst. 2024).
 *
 * For a point with distances a and b to its nearest and second nearest medoid, the medoid
 * silhouette is 1 − a/b; its mean over all points is maximised. Internally we minimise
 * L = Σ a/b, so the mean is 1 − L/n. A point at distance 0 from a medoid counts a/b = 0
 * (silhouette 1), also when b is 0 too, as the reference implementation (the Rust crate
 * `kmedoids`) does; with one medoid b is infinite and every point scores 1. */

static inline double
ratio (double a,
       double b)
{
  return a == 0.0 ? 0.0 : a / b;
}

static inline void
keep_two_nearest (double  dist,
                  double *a,
                  double *b)
{
  if (dist < *a)
    {
      *b = *a;
      *a = dist;
    }
  else if (dist < *b)
    *b = dist;
}

double
cs_medoid_silhouette (const CsDissim *D,
                      const gsize    *medoids,
                      guint           k,
                      double         *per_point)
{
  double sum = 0.0;

  g_return_val_if_fail (D != NULL && medoids != NULL && k >= 1, NAN);
  for (gsize i = 0; i < D->n; i++)
    {
      double a = INFINITY;
      double b = INFINITY;
      double s;

      for (guint m = 0; m < k; m++)
        keep_two_nearest (cs_dissim_get (D, i, medoids[m]), &a, &b);
      s = ratio (a, b);
      if (per_point)
        per_point[i] = 1.0 - s;
      sum += s;
    }
  return D->n > 0 ? 1.0 - sum / D->n : NAN;
}

double
cs_medoid_silhouette_x (const CsMatrix *x,
                        CsMetric        metric,
                        const gsize    *medoids,
                        guint           k,
                        double         *per_point)
{
  g_autofree double *norms = NULL;
  double sum = 0.0;

  g_return_val_if_fail (x != NULL && medoids != NULL && k >= 1, NAN);
  if (metric == CS_METRIC_COSINE)
    {
      norms = g_new (double, x->rows);
      cs_matrix_row_sqnorms (x, norms);
      for (gsize i = 0; i < x->rows; i++)
        norms[i] = sqrt (norms[i]);
    }
  for (gsize i = 0; i < x->rows; i++)
    {
      double a = INFINITY;
      double b = INFINITY;
      double s;

      for (guint m = 0; m < k; m++)
        keep_two_nearest (cs_metric_distance (metric, cs_matrix_row (x, i), cs_matrix_row (x, medoids[m]), x->cols,
                                              norms ? norms[i] : 1.0, norms ? norms[medoids[m]] : 1.0),
                          &a, &b);
      s = ratio (a, b);
      if (per_point)
        per_point[i] = 1.0 - s;
      sum += s;
    }
  return x->rows > 0 ? 1.0 - sum / x->rows : NAN;
}

/* Slot of a medoid and the distance to it; slot -1 with an infinite distance when there is
 * no such medoid (fewer than three). */
typedef struct
{
  int    i;
  double d;
} Near;

typedef struct
{
  Near a; /* nearest */
  Near b; /* second */
  Near c; /* third */
} Top3;

typedef struct
{
  const CsDissim *D;
  gsize           n;
  guint           k;       /* current number of medoids */
  gsize          *med;     /* k_max slots */
  gboolean       *is_med;  /* n */
  Top3           *t;       /* n */
  double         *removal; /* per slot: the rise of L when that medoid alone is removed */
  double         *delta;   /* scratch, k_max */
  double         *col;     /* scratch, n: the dissimilarities to one candidate */
  double          loss;    /* L = Σ a/b */
  /* DynMSC: k shrinks along the run, and a trace step whose medoid array were shorter than
   * the trace's k would be read past its end; so its steps carry labels (all below k_max)
   * and no medoids, with the trace's k at k_max. 0 for FasterMSC. */
  guint           k_max;
} Msc;

static void
msc_top3 (Msc  *s,
          gsize o)
{
  Near a = { -1, INFINITY };
  Near b = { -1, INFINITY };
  Near c = { -1, INFINITY };

  for (guint m = 0; m < s->k; m++)
    {
      Near x = { (int) m, cs_dissim_get (s->D, o, s->med[m]) };
      if (a.i < 0 || x.d < a.d)
        {
          c = b;
          b = a;
          a = x;
        }
      else if (b.i < 0 || x.d < b.d)
        {
          c = b;
          b = x;
        }
      else if (c.i < 0 || x.d < c.d)
        c = x;
    }
  s->t[o].a = a;
  s->t[o].b = b;
  s->t[o].c = c;
}

static void
msc_assign_all (Msc *s)
{
  s->loss = 0.0;
  for (gsize o = 0; o < s->n; o++)
    {
      msc_top3 (s, o);
      s->loss += ratio (s->t[o].a.d, s->t[o].b.d);
    }
}

/* removal[m]: how much L rises when medoid m goes and nothing replaces it. */
static void
msc_removal (Msc *s)
{
  memset (s->removal, 0, s->k * sizeof (double));
  for (gsize o = 0; o < s->n; o++)
    {
      const Top3 *t = &s->t[o];
      double now = ratio (t->a.d, t->b.d);
      s->removal[t->a.i] += ratio (t->b.d, t->c.d) - now;
      s->removal[t->b.i] += ratio (t->a.d, t->c.d) - now;
    }
}

/* The change of L for every "slot m ← row j" at once, in O(n + k): only points with j
 * closer than their third medoid change beyond the precomputed removal terms (the O(k)
 * trick of FastMSC). Returns the best slot's change. */
static double
msc_best_swap (Msc   *s,
               gsize  j,
               guint *best_slot)
{
  double *delta = s->delta;
  double shared = 0.0;
  double best;

  memcpy (delta, s->removal, s->k * sizeof (double));
  cs_dissim_column (s->D, j, s->col);
  for (gsize o = 0; o < s->n; o++)
    {
      const Top3 *t = &s->t[o];
      double dj = s->col[o];
      double now;
      double other;
      double drop_a;
      double drop_b;

      if (dj >= t->c.d)
        continue;
      now = ratio (t->a.d, t->b.d);
      /* a medoid other than the nearest two leaves: j competes with a and b */
      if (dj < t->a.d)
        other = ratio (dj, t->a.d);
      else if (dj < t->b.d)
        other = ratio (t->a.d, dj);
      else
        other = now;
      /* the nearest leaves: j competes with b and c */
      drop_a = dj < t->b.d ? ratio (dj, t->b.d) : ratio (t->b.d, dj);
      /* the second leaves: j competes with a and c */
      drop_b = dj < t->a.d ? ratio (dj, t->a.d) : ratio (t->a.d, dj);

      shared += other - now;
      delta[t->a.i] += (drop_a - other) - (ratio (t->b.d, t->c.d) - now);
      delta[t->b.i] += (drop_b - other) - (ratio (t->a.d, t->c.d) - now);
    }
  *best_slot = 0;
  best = delta[0];
  for (guint m = 1; m < s->k; m++)
    if (delta[m] < best)
      {
        best = delta[m];
        *best_slot = m;
      }
  return best + shared;
}

static void
insert_sorted (Top3 *t,
               Near  x)
{
  if (t->a.i < 0 || x.d < t->a.d)
    {
      t->c = t->b;
      t->b = t->a;
      t->a = x;
    }
  else if (t->b.i < 0 || x.d < t->b.d)
    {
      t->c = t->b;
      t->b = x;
    }
  else if (t->c.i < 0 || x.d < t->c.d)
    t->c = x;
}

/* Slot m now holds row j: update every point's three nearest, recomputing from scratch
 * only when the third nearest among the remaining medoids is unknown. */
static void
msc_do_swap (Msc  *s,
             guint m,
             gsize j)
{
  const int slot = (int) m;

  s->is_med[s->med[m]] = FALSE;
  s->med[m] = j;
  s->is_med[j] = TRUE;
  s->loss = 0.0;
  cs_dissim_column (s->D, j, s->col);
  for (gsize o = 0; o < s->n; o++)
    {
      Top3 *t = &s->t[o];
      Near x = { slot, s->col[o] };

      if (t->a.i == slot || t->b.i == slot || t->c.i == slot)
        {
          Near rest[2];
          int r = 0;

          if (t->a.i != slot)
            rest[r++] = t->a;
          if (t->b.i != slot)
            rest[r++] = t->b;
          if (t->c.i != slot && r < 2)
            rest[r++] = t->c;
          /* rest = the two nearest among the other medoids; the third among them is only
           * known to be no nearer than rest[1]. */
          if (x.d <= rest[1].d)
            {
              t->a = rest[0];
              t->b = rest[1];
              t->c = (Near) { -1, INFINITY };
              insert_sorted (t, x);
              if (t->c.i < 0 && s->k > 2)
                msc_top3 (s, o);
            }
          else
            msc_top3 (s, o);
        }
      else
        insert_sorted (t, x);
      s->loss += ratio (t->a.d, t->b.d);
    }
}

/* Removes slot m; the last slot moves into its place. */
static void
msc_remove (Msc  *s,
            guint m)
{
  const int slot = (int) m;
  const int last = (int) s->k - 1;

  s->is_med[s->med[m]] = FALSE;
  s->med[m] = s->med[last];
  s->k--;
  s->loss = 0.0;
  for (gsize o = 0; o < s->n; o++)
    {
      Top3 *t = &s->t[o];

      if (t->a.i == slot || t->b.i == slot || t->c.i == slot)
        msc_top3 (s, o);
      else
        {
          if (t->a.i == last)
            t->a.i = slot;
          if (t->b.i == last)
            t->b.i = slot;
          if (t->c.i == last)
            t->c.i = slot;
        }
      s->loss += ratio (t->a.d, t->b.d);
    }
}

static void
msc_labels (const Msc *s,
            int       *labels)
{
  for (gsize o = 0; o < s->n; o++)
    labels[o] = s->t[o].a.i;
}

static gboolean
msc_init (Msc            *s,
          const CsDissim *D,
          guint           k_max)
{
  memset (s, 0, sizeof *s);
  s->D = D;
  s->n = D->n;
  s->k = k_max;
  s->med = g_new0 (gsize, k_max);
  s->is_med = g_new0 (gboolean, s->n);
  s->t = g_new0 (Top3, s->n);
  s->removal = g_new0 (double, k_max);
  s->delta = g_new0 (double, k_max);
  s->col = g_new0 (double, MAX (s->n, 1));
  return TRUE;
}

static void
msc_clear (Msc *s)
{
  g_free (s->med);
  g_free (s->is_med);
  g_free (s->t);
  g_free (s->removal);
  g_free (s->delta);
  g_free (s->col);
}

static void
msc_set_medoids (Msc         *s,
                 const gsize *medoids)
{
  memset (s->is_med, 0, s->n * sizeof (gboolean));
  memcpy (s->med, medoids, s->k * sizeof (gsize));
  for (guint m = 0; m < s->k; m++)
    s->is_med[medoids[m]] = TRUE;
  msc_assign_all (s);
}

static void
msc_trace (Msc        *s,
           CsTrace    *trace,
           guint       step,
           const int  *before,
           const char *note)
{
  g_autofree int *labels = NULL;
  gsize changed = 0;

  if (trace == NULL)
    return;
  labels = g_new (int, s->n);
  msc_labels (s, labels);
  for (gsize o = 0; o < s->n; o++)
    changed += before == NULL || before[o] != labels[o];
  cs_trace_add (trace, step, labels, s->n, NULL, s->k_max ? NULL : s->med, s->k_max ? s->k_max : s->k,
                1.0 - s->loss / s->n, changed, note);
}

/* FasterMSC's eager loop (Lenssen & Schubert 2022, Alg. 2): for each non-medoid j in turn,
 * the best of its k swaps is taken at once if it lowers L; stops after a full pass over the
 * rows without a swap. The order matches the reference implementation, so swap counts agree. */
static gboolean
msc_optimise (Msc                     *s,
              const CsKmedoidsOptions *o,
              CsProgress              *progress,
              CsTrace                 *trace,
              double                   frac0,
              double                   span,
              guint                   *step,
              guint                   *iterations,
              guint                   *swaps,
              gboolean                *converged,
              GError                 **error)
{
  const double tol = MAX (o->tol, 1e-12);
  g_autofree int *before = trace ? g_new (int, s->n) : NULL;
  gsize lastswap = s->n;
  guint iter = 0;

  *converged = FALSE;
  if (s->k < 2)
    {
      *converged = TRUE;
      return TRUE;
    }
  msc_removal (s);
  while (iter < MAX (o->max_iter, 1))
    {
      guint swaps_before = *swaps;

      iter++;
      for (gsize j = 0; j < s->n; j++)
        {
          guint m;
          double change;

          if (j == lastswap)
            break;
          if (s->is_med[j])
            continue;
          if (!cs_progress_check (progress, error))
            return FALSE;
          change = msc_best_swap (s, j, &m);
          if (!(change < -tol * s->loss))
            {
              if ((j & 63) == 0)
                /* passes are few but their number unknown: each one fills half the rest */
                cs_progress_report (progress, frac0 + span * (1.0 - pow (0.5, iter - 1 + (double) j / s->n)),
                                    "FasterMSC: swapping medoids");
              continue;
            }
          {
            gsize old = s->med[m];
            double l0 = s->loss;

            if (before)
              msc_labels (s, before);
            msc_do_swap (s, m, j);
            msc_removal (s);
            (*swaps)++;
            lastswap = j;
            if (trace)
              {
                g_autofree char *note = g_strdup_printf (
                  "medoid %" G_GSIZE_FORMAT " left, row %" G_GSIZE_FORMAT " came in (Δ = %.6g medoid silhouette)",
                  old, j, (l0 - s->loss) / s->n);
                msc_trace (s, trace, ++*step, before, note);
              }
          }
        }
      if (*swaps == swaps_before)
        {
          *converged = TRUE;
          break;
        }
    }
  *iterations += iter;
  return TRUE;
}

static gboolean
has_k_distinct (const CsDissim *D,
                guint           k)
{
  g_autofree gsize *reps = g_new (gsize, k);
  guint found = 0;

  for (gsize i = 0; i < D->n && found < k; i++)
    {
      gboolean fresh = TRUE;
      for (guint r = 0; r < found && fresh; r++)
        fresh = cs_dissim_get (D, i, reps[r]) > 0.0;
      if (fresh)
        reps[found++] = i;
    }
  return found >= k;
}

static gboolean
start_medoids (const CsDissim          *D,
               const CsKmedoidsOptions *o,
               guint                    k,
               gsize                   *medoids,
               GError                 **error)
{
  CsKmedoidsOptions io = *o;

  if (o->init == CS_KMEDOIDS_INIT_EXPLICIT)
    {
      if (o->initial_medoids == NULL)
        {
          g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "Explicit initial medoids are missing");
          return FALSE;
        }
      for (guint j = 0; j < k; j++)
        {
          if (o->initial_medoids[j] >= D->n)
            {
              g_autofree char *objects = cs_format_count (D->n);
              g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "Initial medoid row %" G_GSIZE_FORMAT " is outside the %s objects", o->initial_medoids[j],
                           objects);
              return FALSE;
            }
          for (guint l = 0; l < j; l++)
            if (o->initial_medoids[l] == o->initial_medoids[j])
              {
                g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                             "Initial medoid row %" G_GSIZE_FORMAT " is given twice", o->initial_medoids[j]);
                return FALSE;
              }
          medoids[j] = o->initial_medoids[j];
        }
      return TRUE;
    }
  io.k = k;
  return cs_kmedoids_init (D, &io, medoids, error);
}

static gboolean
check_k (const CsDissim *D,
         const char     *what,
         guint           k,
         GError        **error)
{
  if (k < 1 || k > D->n)
    {
      g_autofree char *objects = cs_format_count (D->n);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "%s: k = %u must be between 1 and the number of objects (%s)", what, k, objects);
      return FALSE;
    }
  if (!has_k_distinct (D, k))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "%s: the data have fewer than k = %u distinct objects; choose a smaller k", what, k);
      return FALSE;
    }
  return TRUE;
}

gboolean
cs_fastermsc_run (const CsDissim          *D,
                  const CsKmedoidsOptions *o,
                  CsProgress              *progress,
                  CsTrace                 *trace,
                  CsClustering           **out,
                  GError                 **error)
{
  g_autoptr (CsClustering) result = NULL;
  g_autofree gsize *start = NULL;
  Msc s;
  guint k;
  guint step = 0;
  guint iterations = 0;
  guint swaps = 0;
  gboolean converged = TRUE;
  gboolean ok = FALSE;

  g_return_val_if_fail (D != NULL && o != NULL && out != NULL, FALSE);
  k = o->k;
  if (!check_k (D, "FasterMSC", k, error))
    return FALSE;
  start = g_new (gsize, k);
  if (!start_medoids (D, o, k, start, error))
    return FALSE;

  msc_init (&s, D, k);
  if (k == 1)
    {
      /* Every point scores 1 whichever the medoid: the 1-medoid of least total deviation is
       * the natural choice, found exactly. */
      double best = INFINITY;
      for (gsize c = 0; c < s.n; c++)
        {
          double sum = 0.0;
          if (!cs_progress_check (progress, error))
            goto out;
          for (gsize i = 0; i < s.n; i++)
            sum += cs_dissim_get (D, i, c);
          if (sum < best)
            {
              best = sum;
              start[0] = c;
            }
        }
    }
  msc_set_medoids (&s, start);
  msc_trace (&s, trace, 0, NULL, "initial medoids");
  if (!msc_optimise (&s, o, progress, trace, 0.0, 1.0, &step, &iterations, &swaps, &converged, error))
    goto out;

  result = cs_clustering_new ("fastermsc", s.n, 0, k);
  msc_labels (&s, result->labels);
  result->medoids = g_memdup2 (s.med, k * sizeof (gsize));
  result->objective = 1.0 - s.loss / s.n;
  result->objective_name = "medoid silhouette";
  result->objective_kind = CS_OBJECTIVE_MEDOID_SILHOUETTE;
  result->iterations = iterations;
  result->swaps = swaps;
  result->converged = converged;
  cs_progress_report (progress, 1.0, "done");
  *out = g_steal_pointer (&result);
  ok = TRUE;

out:
  msc_clear (&s);
  return ok;
}

gboolean
cs_dynmsc_run (const CsDissim          *D,
               const CsKmedoidsOptions *o,
               CsProgress              *progress,
               CsTrace                 *trace,
               CsClustering           **out,
               GError                 **error)
{
  g_autoptr (CsClustering) result = NULL;
  g_autofree gsize *start = NULL;
  g_autofree gsize *best_med = NULL;
  g_autofree int *best_labels = NULL;
  g_autofree double *scores = NULL;
  g_autofree gsize *medoids_by_k = NULL;
  Msc s;
  guint k_min;
  guint k_max;
  guint best_k = 0;
  guint step = 0;
  guint iterations = 0;
  guint swaps = 0;
  gboolean converged = TRUE;
  double best = -INFINITY;
  gboolean ok = FALSE;

  g_return_val_if_fail (D != NULL && o != NULL && out != NULL, FALSE);
  if (o->init == CS_KMEDOIDS_INIT_EXPLICIT && o->k != o->k_max)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "DynMSC starts from k_max = %u medoids: list %u rows in ‘init’ and set k = %u", o->k_max,
                   o->k_max, o->k_max);
      return FALSE;
    }
  k_min = o->k_min;
  k_max = o->k_max;
  if (k_min < 2 || k_max < k_min)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "DynMSC: the range k_min = %u to k_max = %u is empty or starts below 2 (the medoid silhouette "
                   "needs at least two medoids)",
                   k_min, k_max);
      return FALSE;
    }
  if (!check_k (D, "DynMSC (k_max)", k_max, error))
    return FALSE;
  start = g_new (gsize, k_max);
  if (!start_medoids (D, o, k_max, start, error))
    return FALSE;

  scores = g_new0 (double, k_max - k_min + 1);
  medoids_by_k = g_new0 (gsize, cs_clustering_medoids_by_k_size (k_min, k_max - k_min + 1));
  best_med = g_new0 (gsize, k_max);
  best_labels = g_new0 (int, D->n);
  msc_init (&s, D, k_max);
  s.k_max = k_max;
  msc_set_medoids (&s, start);
  msc_trace (&s, trace, 0, NULL, "initial medoids");

  /* Lenssen & Schubert 2024, §4: optimise at k_max, then repeatedly drop the medoid whose
   * removal costs least and optimise again, down to k_min; each k starts from a good
   * solution, so the whole curve costs little more than one run. */
  for (;;)
    {
      guint k = s.k;
      gboolean conv = TRUE;
      double score;

      if (!msc_optimise (&s, o, progress, trace, (double) (k_max - k) / (k_max - k_min + 1),
                         1.0 / (k_max - k_min + 1), &step, &iterations, &swaps, &conv, error))
        goto out;
      converged = converged && conv;
      score = 1.0 - s.loss / s.n;
      scores[k - k_min] = score;
      /* Every k's medoids, not only the best's: a front end can show any point of the curve
       * without running again (about n_scores × k_max / 2 indices). */
      memcpy (medoids_by_k + cs_clustering_medoids_by_k_size (k_min, k - k_min), s.med, k * sizeof (gsize));
      if (score > best)
        {
          best = score;
          best_k = k;
          memcpy (best_med, s.med, k * sizeof (gsize));
          msc_labels (&s, best_labels);
        }
      cs_progress_report (progress, (double) (k_max - k + 1) / (k_max - k_min + 1), "DynMSC: next k");
      if (k == k_min)
        break;
      {
        g_autofree int *before = trace ? g_new (int, s.n) : NULL;
        g_autofree char *note = NULL;
        guint r = 0;
        gsize gone;

        msc_removal (&s);
        for (guint m = 1; m < k; m++)
          if (s.removal[m] < s.removal[r])
            r = m;
        gone = s.med[r];
        if (before)
          msc_labels (&s, before);
        msc_remove (&s, r);
        if (trace)
          {
            note = g_strdup_printf ("k = %u: medoid silhouette %.6g; medoid %" G_GSIZE_FORMAT
                                    " removed, now k = %u",
                                    k, score, gone, k - 1);
            msc_trace (&s, trace, ++step, before, note);
          }
      }
    }

  result = cs_clustering_new ("dynmsc", s.n, 0, best_k);
  memcpy (result->labels, best_labels, s.n * sizeof (int));
  result->medoids = g_memdup2 (best_med, best_k * sizeof (gsize));
  result->objective = best;
  result->objective_name = "medoid silhouette";
  result->objective_kind = CS_OBJECTIVE_MEDOID_SILHOUETTE;
  result->iterations = iterations;
  result->swaps = swaps;
  result->converged = converged;
  result->score_by_k = g_steal_pointer (&scores);
  result->score_k_min = k_min;
  result->n_scores = k_max - k_min + 1;
  result->medoids_by_k = g_steal_pointer (&medoids_by_k);
  cs_progress_report (progress, 1.0, "done");
  *out = g_steal_pointer (&result);
  ok = TRUE;

out:
  msc_clear (&s);
  return ok;
}

/* LAB by default, as FasterPAM: BUILD's O(kn²) would cost more than the eager swaps. */
#define MSC_MAX_ITER_HELP "Upper bound on passes over the rows; a run ends sooner, after a pass without a swap."

static const CsParamSpec fastermsc_params[] = {
  CS_I_KMEDOIDS_COMMON_PARAMS (CS_I_KMEDOIDS_K_HELP, "lab", CS_I_KMEDOIDS_INIT_HELP ("LAB is the default here."),
                               MSC_MAX_ITER_HELP),
};

/* No k: DynMSC chooses it between k_min and k_max, starting from k_max medoids, so its
 * initialisation is one of the named methods (listed rows would have to number k_max). */
static const CsParamSpec dynmsc_params[] = {
  CS_I_KMEDOIDS_PARAM_INIT_CHOICE ("lab", "How the k_max first medoids are chosen: BUILD (greedy, O(kn²)), LAB "
                                          "(its fast sampled approximation, the default), random rows or "
                                          "k-means++."),
  CS_I_KMEDOIDS_PARAM_METRIC,
  CS_I_KMEDOIDS_PARAM_SEED,
  CS_I_KMEDOIDS_PARAM_MAX_ITER (MSC_MAX_ITER_HELP),
  { .name = "k_min", .label = "Smallest k",
    .help = "The smallest number of clusters tried (at least 2: the medoid silhouette needs two medoids).",
    .type = CS_PARAM_INT, .min = 2, .max = 10000, .default_num = 2 },
  { .name = "k_max", .label = "Largest k",
    .help = "The largest number of clusters tried; the run starts here and removes one medoid at a time. "
            "0 (automatic) tries up to a tenth of the rows, at most 20.",
    .type = CS_PARAM_INT, .min = 0, .max = 10000, .default_num = 0, .zero_label = "Automatic" },
};

CS_I_KMEDOIDS_DEFINE_ENTRY_RUNS (fastermsc, cs_fastermsc_run)

/* The result records the k_max the run used, so an automatic range can be repeated. */
static gboolean
dynmsc_record_range (const CsParams *params,
                     CsClustering   *c)
{
  g_autoptr (CsParams) used = cs_params_copy (params);

  cs_params_set_int (used, "k_max", c->score_k_min + c->n_scores - 1);
  c->params = g_steal_pointer (&used);
  return TRUE;
}

static gboolean
dynmsc_run_params (const CsMatrix *x,
                   const CsParams *params,
                   CsProgress     *progress,
                   CsTrace        *trace,
                   CsClustering  **out,
                   GError        **error)
{
  return cs_i_kmedoids_run_on_matrix (cs_dynmsc_run, x, params, progress, trace, out, error)
         && dynmsc_record_range (params, *out);
}

static gboolean
dynmsc_run_dissim (const CsDissim *D,
                   const CsParams *params,
                   CsProgress     *progress,
                   CsTrace        *trace,
                   CsClustering  **out,
                   GError        **error)
{
  return cs_i_kmedoids_run_on_dissim (cs_dynmsc_run, D, params, progress, trace, out, error)
         && dynmsc_record_range (params, *out);
}

const CsAlgorithm cs_algorithm_fastermsc = {
  .id = "fastermsc",
  .name = "FasterMSC",
  .description = "k-medoids that directly maximises the medoid silhouette, the mean of 1 − a/b with a and b the "
                 "distances to the nearest and second nearest medoid (Lenssen & Schubert 2022). Eager swaps in "
                 "O(k) per candidate. Higher is better.",
  .category = "Medoid",
  .dissim_param = "metric",
  .objective = CS_OBJECTIVE_MEDOID_SILHOUETTE,
  .params = fastermsc_params,
  .n_params = G_N_ELEMENTS (fastermsc_params),
  .run = fastermsc_run_params,
  .run_dissim = fastermsc_run_dissim,
};

const CsAlgorithm cs_algorithm_dynmsc = {
  .id = "dynmsc",
  .name = "DynMSC",
  .description = "Chooses the number of clusters by the medoid silhouette: optimises at k_max, then removes one "
                 "medoid at a time down to k_min (Lenssen & Schubert 2024), returning the best k and the whole "
                 "medoid-silhouette-by-k curve. By default k_max is a tenth of the rows, at most 20.",
  .category = "Medoid",
  .dissim_param = "metric",
  .objective = CS_OBJECTIVE_MEDOID_SILHOUETTE,
  .params = dynmsc_params,
  .n_params = G_N_ELEMENTS (dynmsc_params),
  .run = dynmsc_run_params,
  .run_dissim = dynmsc_run_dissim,
};
