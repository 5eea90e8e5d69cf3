#include "core/cluster/cs-kmedoids.h"
#include "core/cluster/cs-trace.h"
#include "core/cluster/cs-kmedoids-sampling.h"
#include "core/cluster/cs-kmedoids-private.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-rng.h"

#include <math.h>
#include <string.h>

/* CLARA / FastCLARA (Kaufman & Rousseeuw; Schubert & Rousseeuw 2021, §5) and
 * CLARANS / FastCLARANS (Ng & Han; Schubert & Rousseeuw 2021, §6). */

/* Sampling without replacement from [0, size) in O(1) per draw and O(draws) memory: a
 * Fisher–Yates shuffle whose array is virtual, only displaced entries being stored. */
typedef struct
{
  GHashTable *moved; /* position -> value, for positions whose value is not the identity */
  guint64     size;
  guint64     drawn;
} LazyPerm;

static void
lazy_perm_init (LazyPerm *p,
                guint64   size)
{
  p->moved = g_hash_table_new (g_direct_hash, g_direct_equal);
  p->size = size;
  p->drawn = 0;
}

static void
lazy_perm_reset (LazyPerm *p,
                 guint64   size)
{
  g_hash_table_remove_all (p->moved);
  p->size = size;
  p->drawn = 0;
}

static void
lazy_perm_clear (LazyPerm *p)
{
  g_clear_pointer (&p->moved, g_hash_table_unref);
}

static guint64
lazy_perm_at (LazyPerm *p,
              guint64   i)
{
  gpointer v;

  if (g_hash_table_lookup_extended (p->moved, GSIZE_TO_POINTER ((gsize) i), NULL, &v))
    return GPOINTER_TO_SIZE (v);
  return i;
}

static gboolean
lazy_perm_draw (LazyPerm *p,
                CsRng    *rng,
                guint64  *out)
{
  guint64 r;
  guint64 vr;

  if (p->drawn >= p->size)
    return FALSE;
  r = p->drawn + cs_rng_below (rng, p->size - p->drawn);
  vr = lazy_perm_at (p, r);
  if (r != p->drawn)
    g_hash_table_insert (p->moved, GSIZE_TO_POINTER ((gsize) r),
                         GSIZE_TO_POINTER ((gsize) lazy_perm_at (p, p->drawn)));
  /* Position `drawn` is never read again. */
  g_hash_table_remove (p->moved, GSIZE_TO_POINTER ((gsize) p->drawn));
  p->drawn++;
  *out = vr;
  return TRUE;
}

typedef struct
{
  const CsMatrix *x;
  CsMetric        metric;
  const double   *norms;      /* Owned by the caller: row norms for cosine, else NULL */
  gsize           n;
  guint           k;
  gsize           block_rows; /* fixed, so the loss sums in the same order on any thread count */
  gsize           n_blocks;
  double         *block_loss; /* n_blocks partial sums */
} Evaluator;

/* Labels and total deviation of `medoids` over all n rows, computing the n × k distances on
 * the fly. Returns FALSE with CS_ERROR_CANCELLED when asked to stop. */
static gboolean
evaluate_all (Evaluator   *ev,
              const gsize *medoids,
              int         *labels,
              double      *loss,
              CsProgress  *progress,
              double       frac0,
              double       frac_span,
              const char  *stage,
              GError     **error)
{
  const gsize d = ev->x->cols;
  /* Groups of blocks between progress reports: a report is not thread-safe, a check is. */
  const gsize group = 32;
  gint stop = 0;
  double total = 0.0;

  for (gsize g0 = 0; g0 < ev->n_blocks; g0 += group)
    {
      gsize g1 = MIN (ev->n_blocks, g0 + group);

#pragma omp parallel for schedule(dynamic, 1) if (g1 - g0 > 1 && ev->n * ev->k * d > 200000)
      for (gsize b = g0; b < g1; b++)
        {
          gsize i0 = b * ev->block_rows;
          gsize i1 = MIN (ev->n, i0 + ev->block_rows);
          double s = 0.0;

          if (g_atomic_int_get (&stop))
            continue;
          if (cs_progress_is_cancelled (progress))
            {
              g_atomic_int_set (&stop, 1);
              continue;
            }
          for (gsize i = i0; i < i1; i++)
            {
              const double *xi = cs_matrix_row (ev->x, i);
              double ni = ev->norms ? ev->norms[i] : 0.0;
              double best = INFINITY;
              int lab = 0;

              for (guint m = 0; m < ev->k; m++)
                {
                  gsize r = medoids[m];
                  double dist = r == i ? 0.0
                                       : cs_metric_distance (ev->metric, xi, cs_matrix_row (ev->x, r), d, ni,
                                                       ev->norms ? ev->norms[r] : 0.0);
                  if (dist < best)
                    {
                      best = dist;
                      lab = (int) m;
                    }
                }
              labels[i] = lab;
              s += best;
            }
          ev->block_loss[b] = s;
        }
      if (g_atomic_int_get (&stop) || !cs_progress_check (progress, error))
        {
          if (error && *error == NULL)
            g_set_error_literal (error, CS_ERROR, CS_ERROR_CANCELLED, "Cancelled");
          return FALSE;
        }
      cs_progress_report (progress, frac0 + frac_span * (double) g1 / ev->n_blocks, stage);
    }
  for (gsize b = 0; b < ev->n_blocks; b++)
    total += ev->block_loss[b];
  *loss = total;
  return TRUE;
}

/* Forwards a sub-run's progress into a slice of the parent's bar; the parent's "stop"
 * comes back as FALSE, which cancels the sub-run. The matrix and the PAM run each count
 * from 0 to 1 again, so the bar only ever shows the furthest point reached. */
typedef struct
{
  CsProgress *parent;
  double      frac0;
  double      span;
  double      shown;
  const char *stage;
} Slice;

static gboolean
slice_forward (double      fraction,
               const char *stage,
               gpointer    user_data)
{
  Slice *s = user_data;

  (void) stage;
  s->shown = MAX (s->shown, s->frac0 + s->span * fraction);
  return cs_progress_report (s->parent, s->shown, s->stage);
}

static gboolean
validate_metric_for_clara (CsMetric metric,
                           GError **error)
{
  if (metric == CS_METRIC_GOWER || metric == CS_METRIC_PRECOMPUTED)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "CLARA computes distances from the data rows, so metric ‘%s’ is not available; "
                   "use euclidean, sqeuclidean, manhattan or cosine, or FasterPAM on the full matrix",
                   cs_metric_id (metric));
      return FALSE;
    }
  return TRUE;
}

gboolean
cs_clara_run (const CsMatrix          *x,
              CsMetric                 metric,
              gboolean                 fast,
              const CsKmedoidsOptions *o,
              CsProgress              *progress,
              CsTrace                 *trace,
              CsClustering           **out,
              GError                 **error)
{
  const char *algo_id = fast ? "fastclara" : "clara";
  const char *algo_name = fast ? "FastCLARA" : "CLARA";
  g_autoptr (CsClustering) result = NULL;
  g_autofree double *norms = NULL;
  g_autofree int *best_labels = NULL;
  g_autofree int *cand_labels = NULL;
  g_autofree gsize *best_medoids = NULL;
  g_autofree gsize *cand_medoids = NULL;
  g_autofree gsize *sample = NULL;
  g_autofree char *note = NULL;
  g_autoptr (CsMatrix) sub = NULL;
  g_autoptr (GHashTable) in_sample = NULL;
  Evaluator ev = { 0 };
  CsRng rng;
  gsize n;
  gsize d;
  gsize m;
  guint k;
  guint samples;
  guint total_swaps = 0;
  guint samples_run = 0;
  double best_loss = INFINITY;
  gboolean ok = FALSE;

  g_return_val_if_fail (x != NULL && o != NULL && out != NULL, FALSE);
  n = x->rows;
  d = x->cols;
  k = o->k;
  if (!validate_metric_for_clara (metric, error))
    return FALSE;
  if (n == 0 || d == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "%s needs at least one row and one column of data",
                   algo_name);
      return FALSE;
    }
  if (k < 1 || k > n)
    {
      g_autofree char *rows = cs_format_count (n);
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "%s: k = %u must be between 1 and the number of rows (%s)", algo_name, k, rows);
      return FALSE;
    }
  if (o->init == CS_KMEDOIDS_INIT_EXPLICIT)
    {
      if (o->initial_medoids == NULL)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "%s: explicit initial medoids are missing",
                       algo_name);
          return FALSE;
        }
      for (guint j = 0; j < k; j++)
        {
          if (o->initial_medoids[j] >= n)
            {
              g_autofree char *rows = cs_format_count (n);
              g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "%s: initial medoid row %" G_GSIZE_FORMAT " is outside the %s rows", algo_name,
                           o->initial_medoids[j], rows);
              return FALSE;
            }
          for (guint l = 0; l < j; l++)
            if (o->initial_medoids[l] == o->initial_medoids[j])
              {
                g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                             "%s: initial medoid row %" G_GSIZE_FORMAT " is given twice", algo_name,
                             o->initial_medoids[j]);
                return FALSE;
              }
        }
    }

  samples = o->samples > 0 ? o->samples : 5;
  m = o->sample_size > 0 ? o->sample_size : (fast ? 80 + 4 * (gsize) k : 40 + 2 * (gsize) k);
  m = MAX (m, (gsize) k);
  if (m >= n)
    {
      /* The sample is the whole data set: every further sample would be the same. */
      m = n;
      samples = 1;
    }

  cs_rng_init (&rng, o->seed);
  if (metric == CS_METRIC_COSINE)
    {
      norms = g_new (double, n);
      cs_matrix_row_sqnorms (x, norms);
      for (gsize i = 0; i < n; i++)
        norms[i] = sqrt (norms[i]);
    }
  ev.x = x;
  ev.metric = metric;
  ev.norms = norms;
  ev.n = n;
  ev.k = k;
  ev.block_rows = CLAMP (262144 / MAX ((gsize) k * d, 1), 16, 4096);
  ev.n_blocks = (n + ev.block_rows - 1) / ev.block_rows;
  ev.block_loss = g_new0 (double, ev.n_blocks);

  best_labels = g_new0 (int, n);
  cand_labels = g_new0 (int, n);
  best_medoids = g_new0 (gsize, k);
  cand_medoids = g_new0 (gsize, k);
  sample = g_new (gsize, m);
  sub = cs_matrix_new (m, d);
  in_sample = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint s = 0; s < samples; s++)
    {
      g_autoptr (CsDissim) D = NULL;
      g_autoptr (CsClustering) sc = NULL;
      g_autofree gsize *explicit_sub = NULL;
      CsKmedoidsOptions so = *o;
      CsProgress child = { 0 };
      Slice slice;
      gsize filled = 0;
      double loss;
      double frac0 = (double) s / samples;
      double span = 1.0 / samples;
      char pam_stage[96];
      char assign_stage[96];

      if (!cs_progress_check (progress, error))
        goto out;
      g_snprintf (pam_stage, sizeof pam_stage, "%s: %s on sample %u of %u", fast ? "FastCLARA" : "CLARA",
                  fast ? "FasterPAM" : "PAM", s + 1, samples);
      g_snprintf (assign_stage, sizeof assign_stage, "%s: assigning all rows (sample %u of %u)",
                  fast ? "FastCLARA" : "CLARA", s + 1, samples);

      /* The best medoids so far (or the explicit start) lead the sample, so a later sample can
       * only improve on them; the rest are drawn uniformly without replacement. */
      g_hash_table_remove_all (in_sample);
      if (m == n)
        {
          for (gsize i = 0; i < n; i++)
            sample[i] = i;
          filled = n;
        }
      else
        {
          const gsize *lead = s > 0 ? best_medoids
                              : o->init == CS_KMEDOIDS_INIT_EXPLICIT ? o->initial_medoids : NULL;
          LazyPerm perm;

          if (lead)
            for (guint j = 0; j < k; j++)
              if (!g_hash_table_contains (in_sample, GSIZE_TO_POINTER (lead[j])))
                {
                  g_hash_table_add (in_sample, GSIZE_TO_POINTER (lead[j]));
                  sample[filled++] = lead[j];
                }
          lazy_perm_init (&perm, n);
          while (filled < m)
            {
              guint64 r;
              if (!lazy_perm_draw (&perm, &rng, &r))
                break;
              if (g_hash_table_contains (in_sample, GSIZE_TO_POINTER ((gsize) r)))
                continue;
              g_hash_table_add (in_sample, GSIZE_TO_POINTER ((gsize) r));
              sample[filled++] = (gsize) r;
            }
          lazy_perm_clear (&perm);
        }
      g_assert (filled == m);
      for (gsize i = 0; i < m; i++)
        memcpy (cs_matrix_row (sub, i), cs_matrix_row (x, sample[i]), d * sizeof (double));

      slice.parent = progress;
      slice.frac0 = frac0;
      slice.span = span * 0.3;
      slice.shown = frac0;
      slice.stage = pam_stage;
      child.func = progress ? slice_forward : NULL;
      child.user_data = &slice;
      /* Borrowed: the child lives on this stack frame and is never freed. */
      child.cancellable = progress ? progress->cancellable : NULL;
      child.last_fraction = -1.0;

      D = cs_dissim_new_from_matrix (sub, metric, FALSE, progress ? &child : NULL, error);
      if (D == NULL)
        goto out;

      so.seed = o->seed + s;
      /* An explicit start makes every sample start from the best medoids so far (the explicit
       * rows at first), which lead the sample; otherwise each sample uses the chosen init. */
      if (o->init == CS_KMEDOIDS_INIT_EXPLICIT && m < n)
        {
          explicit_sub = g_new (gsize, k);
          for (guint j = 0; j < k; j++)
            explicit_sub[j] = j;
          so.initial_medoids = explicit_sub;
        }
      if (!(fast ? cs_fasterpam_run : cs_pam_run) (D, &so, progress ? &child : NULL, NULL, &sc, error))
        {
          if (cs_progress_is_cancelled (progress) && error && *error && (*error)->code != CS_ERROR_CANCELLED)
            {
              g_clear_error (error);
              g_set_error_literal (error, CS_ERROR, CS_ERROR_CANCELLED, "Cancelled");
            }
          goto out;
        }
      if (g_atomic_int_get (&child.cancelled) || !cs_progress_check (progress, error))
        {
          if (error && *error == NULL)
            g_set_error_literal (error, CS_ERROR, CS_ERROR_CANCELLED, "Cancelled");
          goto out;
        }
      total_swaps += sc->swaps;
      for (guint j = 0; j < k; j++)
        cand_medoids[j] = sample[sc->medoids[j]];

      if (!evaluate_all (&ev, cand_medoids, cand_labels, &loss, progress, frac0 + span * 0.3, span * 0.7,
                         assign_stage, error))
        goto out;
      samples_run++;

      if (loss < best_loss)
        {
          gsize changed = 0;
          int *tmp;

          if (isfinite (best_loss))
            for (gsize i = 0; i < n; i++)
              changed += cand_labels[i] != best_labels[i];
          else
            changed = n;
          best_loss = loss;
          memcpy (best_medoids, cand_medoids, k * sizeof (gsize));
          tmp = best_labels;
          best_labels = cand_labels;
          cand_labels = tmp;
          g_free (note);
          note = g_strdup_printf ("sample %u of %u: loss %.6g over all rows, the best so far", s + 1, samples,
                                   loss);
          cs_trace_add (trace, s + 1, best_labels, n, NULL, best_medoids, k, loss, changed, note);
        }
      else if (trace)
        {
          g_free (note);
          note = g_strdup_printf ("sample %u of %u: loss %.6g over all rows, no better than %.6g", s + 1, samples,
                                   loss, best_loss);
          cs_trace_add (trace, s + 1, best_labels, n, NULL, best_medoids, k, best_loss, 0, note);
        }
    }

  result = cs_clustering_new (algo_id, n, d, k);
  memcpy (result->labels, best_labels, n * sizeof (int));
  result->medoids = g_steal_pointer (&best_medoids);
  result->objective = best_loss;
  result->objective_name = "loss";
  result->objective_kind = CS_OBJECTIVE_LOSS;
  result->iterations = samples_run;
  result->swaps = total_swaps;
  result->converged = TRUE;
  cs_progress_report (progress, 1.0, "done");
  *out = g_steal_pointer (&result);
  ok = TRUE;

out:
  g_free (ev.block_loss);
  return ok;
}

typedef struct
{
  const CsDissim *D;
  gsize           n;
  guint           k;
  gsize          *med;     /* k rows */
  int            *near;    /* slot of the nearest medoid: the labels */
  int            *sec;     /* slot of the second nearest, -1 when k == 1 */
  double         *dn;
  double         *ds;      /* INFINITY when k == 1 */
  gsize          *nonmed;  /* n − k rows that are not medoids, in no particular order */
  double         *removal; /* FastCLARANS: per slot, Σ (ds − dn) over the points it serves */
  double         *scratch; /* k */
  double         *col;     /* n: the dissimilarities to one candidate */
  double          loss;
} Swapper;

static void
swapper_nearest (Swapper *w,
                 gsize    j)
{
  int a = -1;
  int b = -1;
  double da = INFINITY;
  double db = INFINITY;

  for (guint m = 0; m < w->k; m++)
    {
      double dist = cs_dissim_get (w->D, j, w->med[m]);
      if (a < 0 || dist < da)
        {
          b = a;
          db = da;
          a = (int) m;
          da = dist;
        }
      else if (b < 0 || dist < db)
        {
          b = (int) m;
          db = dist;
        }
    }
  w->near[j] = a;
  w->dn[j] = da;
  w->sec[j] = b;
  w->ds[j] = db;
}

static void
swapper_removal (Swapper *w)
{
  memset (w->removal, 0, w->k * sizeof (double));
  for (gsize j = 0; j < w->n; j++)
    w->removal[w->near[j]] += w->ds[j] - w->dn[j];
}

static void
swapper_setup (Swapper     *w,
               const gsize *medoids)
{
  g_autofree gboolean *is_med = g_new0 (gboolean, w->n);
  gsize r = 0;

  memcpy (w->med, medoids, w->k * sizeof (gsize));
  for (guint m = 0; m < w->k; m++)
    is_med[medoids[m]] = TRUE;
  for (gsize j = 0; j < w->n; j++)
    if (!is_med[j])
      w->nonmed[r++] = j;
  w->loss = 0.0;
  for (gsize j = 0; j < w->n; j++)
    {
      swapper_nearest (w, j);
      w->loss += w->dn[j];
    }
}

/* Loss change of replacing slot i by row h: O(n) with the nearest / second caches. */
static double
swapper_delta (Swapper *w,
               guint    i,
               gsize    h)
{
  double delta = 0.0;

  cs_dissim_column (w->D, h, w->col);
  for (gsize j = 0; j < w->n; j++)
    {
      double dh = w->col[j];
      double now = w->near[j] == (int) i ? MIN (dh, w->ds[j]) : MIN (w->dn[j], dh);
      delta += now - w->dn[j];
    }
  return delta;
}

/* All k removals against candidate h at once (FastPAM1's decomposition, Schubert & Rousseeuw
 * 2021, eq. 11): Δ(i) = removal(i) + per-point corrections + a shared term. Writes the best
 * slot to *best_slot and returns its Δ. */
static double
swapper_delta_all (Swapper *w,
                   gsize    h,
                   guint   *best_slot)
{
  double *delta = w->scratch;
  double shared = 0.0;
  double best;

  memcpy (delta, w->removal, w->k * sizeof (double));
  cs_dissim_column (w->D, h, w->col);
  for (gsize j = 0; j < w->n; j++)
    {
      double dh = w->col[j];
      if (dh < w->dn[j])
        {
          /* j moves to h whichever medoid leaves; its removal cost no longer applies. */
          shared += dh - w->dn[j];
          delta[w->near[j]] += w->dn[j] - w->ds[j];
        }
      else if (dh < w->ds[j])
        delta[w->near[j]] += dh - w->ds[j];
    }
  *best_slot = 0;
  best = delta[0];
  for (guint m = 1; m < w->k; m++)
    if (delta[m] < best)
      {
        best = delta[m];
        *best_slot = m;
      }
  return best + shared;
}

static void
swapper_do_swap (Swapper *w,
                 guint    i,
                 gsize    h)
{
  const int s = (int) i;

  w->med[i] = h;
  w->loss = 0.0;
  cs_dissim_column (w->D, h, w->col);
  for (gsize j = 0; j < w->n; j++)
    {
      double dh = w->col[j];

      if (w->near[j] == s)
        {
          /* Every other medoid is at least ds away, so h keeps the lead only up to ds. */
          if (dh <= w->ds[j])
            w->dn[j] = dh;
          else
            swapper_nearest (w, j);
        }
      else if (dh < w->dn[j])
        {
          w->sec[j] = w->near[j];
          w->ds[j] = w->dn[j];
          w->near[j] = s;
          w->dn[j] = dh;
        }
      else if (w->sec[j] == s)
        {
          if (dh <= w->ds[j])
            w->ds[j] = dh;
          else
            swapper_nearest (w, j);
        }
      else if (dh < w->ds[j])
        {
          w->sec[j] = s;
          w->ds[j] = dh;
        }
      w->loss += w->dn[j];
    }
}

/* TRUE when D has at least k pairwise distinct objects (distance > 0): O(n k). */
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
initial_medoids (const CsDissim          *D,
                 const CsKmedoidsOptions *o,
                 CsKmedoidsInit           init,
                 guint64                  seed,
                 gsize                   *medoids,
                 GError                 **error)
{
  CsKmedoidsOptions io = *o;

  if (init == CS_KMEDOIDS_INIT_EXPLICIT)
    {
      for (guint j = 0; j < o->k; j++)
        {
          if (o->initial_medoids[j] >= D->n)
            {
              g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "Initial medoid row %" G_GSIZE_FORMAT " is outside the %" G_GSIZE_FORMAT " objects",
                           o->initial_medoids[j], D->n);
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
  io.init = init;
  io.seed = seed;
  return cs_kmedoids_init (D, &io, medoids, error);
}

static void
swapper_trace (Swapper    *w,
               CsTrace    *trace,
               guint       step,
               gsize       changed,
               const char *note)
{
  cs_trace_add (trace, step, w->near, w->n, NULL, w->med, w->k, w->loss, changed, note);
}

/* k = 1 has an exact answer in O(n²): the object of least total dissimilarity. */
static gboolean
one_medoid (const CsDissim *D,
            const char     *algo_id,
            CsProgress     *progress,
            CsTrace        *trace,
            CsClustering  **out,
            GError        **error)
{
  CsClustering *c;
  double best = INFINITY;
  gsize arg = 0;

  for (gsize i = 0; i < D->n; i++)
    {
      double s = 0.0;

      if ((i & 255) == 0 && !cs_progress_check (progress, error))
        return FALSE;
      for (gsize j = 0; j < D->n; j++)
        s += cs_dissim_get (D, i, j);
      if (s < best)
        {
          best = s;
          arg = i;
        }
    }
  c = cs_clustering_new (algo_id, D->n, 0, 1);
  c->medoids = g_new (gsize, 1);
  c->medoids[0] = arg;
  c->objective = best;
  c->objective_name = "loss";
  c->objective_kind = CS_OBJECTIVE_LOSS;
  c->converged = TRUE;
  cs_trace_add (trace, 0, c->labels, D->n, NULL, c->medoids, 1, best, D->n, "the exact 1-medoid");
  cs_progress_report (progress, 1.0, "done");
  *out = c;
  return TRUE;
}

gboolean
cs_clarans_run (const CsDissim          *D,
                gboolean                 fast,
                const CsKmedoidsOptions *o,
                CsProgress              *progress,
                CsTrace                 *trace,
                CsClustering           **out,
                GError                 **error)
{
  const char *algo_id = fast ? "fastclarans" : "clarans";
  const char *algo_name = fast ? "FastCLARANS" : "CLARANS";
  g_autoptr (CsClustering) result = NULL;
  g_autoptr (CsTrace) best_trace = NULL;
  g_autofree gsize *start = NULL;
  g_autofree gsize *best_med = NULL;
  g_autofree int *best_labels = NULL;
  g_autofree int *prev_labels = NULL;
  Swapper w = { 0 };
  LazyPerm perm = { 0 };
  CsRng rng;
  gsize n;
  guint k;
  guint num_local;
  guint64 space;
  guint64 max_tries;
  guint64 total_tries = 0;
  guint best_swaps = 0;
  double best_loss = INFINITY;
  double shown = 0.0;
  double tol;
  double f;
  gboolean ok = FALSE;

  g_return_val_if_fail (D != NULL && o != NULL && out != NULL, FALSE);
  n = D->n;
  k = o->k;
  if (k < 1 || k > n)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "%s: k = %u must be between 1 and the number of objects (%" G_GSIZE_FORMAT ")", algo_name, k, n);
      return FALSE;
    }
  if (o->init == CS_KMEDOIDS_INIT_EXPLICIT && o->initial_medoids == NULL)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "%s: explicit initial medoids are missing",
                   algo_name);
      return FALSE;
    }
  if (!has_k_distinct (D, k))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "%s: the data have fewer than k = %u distinct objects; choose a smaller k", algo_name, k);
      return FALSE;
    }

  if (k == 1)
    return one_medoid (D, algo_id, progress, trace, out, error);

  num_local = MAX (o->num_local, 1);
  tol = MAX (o->tol, 1e-12);
  f = o->max_neighbor > 0.0 ? MIN (o->max_neighbor, 1.0) : 0.0125;
  /* CLARANS samples (medoid, non-medoid) pairs; FastCLARANS samples non-medoids and tries
   * every medoid for each, so it covers k times the neighbours per try and its rate is
   * doubled as ELKI's default does (Schubert & Rousseeuw 2021, §6). */
  space = fast ? (guint64) (n - k) : (guint64) k * (n - k);
  max_tries = (guint64) ceil ((fast ? 2.0 * f : f) * (double) space);
  max_tries = MAX (max_tries, MIN (space, (guint64) 250));
  max_tries = MIN (max_tries, space);

  cs_rng_init (&rng, o->seed);
  w.D = D;
  w.n = n;
  w.k = k;
  w.med = g_new (gsize, k);
  w.near = g_new (int, n);
  w.sec = g_new (int, n);
  w.dn = g_new (double, n);
  w.ds = g_new (double, n);
  w.nonmed = g_new (gsize, n - k + 1);
  w.removal = g_new (double, k);
  w.scratch = g_new (double, k);
  w.col = g_new (double, n);
  start = g_new (gsize, k);
  best_med = g_new (gsize, k);
  best_labels = g_new (int, n);
  prev_labels = g_new (int, n);
  lazy_perm_init (&perm, space);

  for (guint r = 0; r < num_local; r++)
    {
      g_autoptr (CsTrace) run_trace = cs_trace_new_like (trace);
      guint64 tries = 0;
      guint swaps = 0;
      g_autofree char *note = NULL;
      g_autofree char *stage = g_strdup_printf ("%s: restart %u of %u, trying neighbours",
                                                fast ? "FastCLARANS" : "CLARANS", r + 1, num_local);

      if (!cs_progress_check (progress, error))
        goto out;
      /* The first start follows the chosen init; later ones are random rows, the classic
       * CLARANS restart (BUILD would only repeat itself). */
      if (!initial_medoids (D, o, r == 0 ? o->init : CS_KMEDOIDS_INIT_RANDOM, o->seed + r, start, error))
        goto out;
      swapper_setup (&w, start);
      if (fast)
        swapper_removal (&w);
      swapper_trace (&w, run_trace, 0, n, "initial medoids");

      lazy_perm_reset (&perm, space);
      while (space > 0 && tries < max_tries)
        {
          guint64 p;
          guint slot;
          gsize rank;
          gsize h;
          double delta;

          if (!cs_progress_check (progress, error))
            goto out;
          if (!lazy_perm_draw (&perm, &rng, &p))
            break; /* every neighbour tried: a local optimum over all swaps */
          tries++;
          total_tries++;
          if (fast)
            {
              rank = (gsize) p;
              h = w.nonmed[rank];
              delta = swapper_delta_all (&w, h, &slot);
            }
          else
            {
              rank = (gsize) (p / k);
              slot = (guint) (p % k);
              h = w.nonmed[rank];
              delta = swapper_delta (&w, slot, h);
            }
          if (!(delta < -tol * fabs (w.loss)))
            {
              if ((tries & 15) == 0)
                {
                  /* tries restart at 0 after every swap; the bar keeps its furthest point */
                  shown = MAX (shown, (r + (double) tries / max_tries) / num_local);
                  cs_progress_report (progress, shown, stage);
                }
              continue;
            }
          {
            gsize old = w.med[slot];
            gsize changed = 0;
            double before = w.loss;

            memcpy (prev_labels, w.near, n * sizeof (int));
            swapper_do_swap (&w, slot, h);
            w.nonmed[rank] = old;
            if (fast)
              swapper_removal (&w);
            swaps++;
            for (gsize j = 0; j < n; j++)
              changed += prev_labels[j] != w.near[j];
            if (run_trace)
              {
                g_free (note);
                note = g_strdup_printf ("medoid %" G_GSIZE_FORMAT " left, row %" G_GSIZE_FORMAT
                                        " came in (Δ = %.6g)", old, h, w.loss - before);
                swapper_trace (&w, run_trace, swaps, changed, note);
              }
          }
          /* A new solution: its neighbourhood is sampled afresh. */
          lazy_perm_reset (&perm, space);
          tries = 0;
        }

      if (w.loss < best_loss)
        {
          best_loss = w.loss;
          best_swaps = swaps;
          memcpy (best_med, w.med, k * sizeof (gsize));
          memcpy (best_labels, w.near, n * sizeof (int));
          g_clear_pointer (&best_trace, cs_trace_free);
          best_trace = g_steal_pointer (&run_trace);
        }
      shown = (double) (r + 1) / num_local;
      cs_progress_report (progress, shown, fast ? "FastCLARANS" : "CLARANS");
    }

  cs_trace_adopt (trace, best_trace);
  result = cs_clustering_new (algo_id, n, 0, k);
  memcpy (result->labels, best_labels, n * sizeof (int));
  result->medoids = g_steal_pointer (&best_med);
  result->objective = best_loss;
  result->objective_name = "loss";
  result->objective_kind = CS_OBJECTIVE_LOSS;
  /* Neighbours evaluated over all restarts; swaps of the restart that won. */
  result->iterations = (guint) MIN (total_tries, (guint64) G_MAXUINT);
  result->swaps = best_swaps;
  result->converged = TRUE;
  cs_progress_report (progress, 1.0, "done");
  *out = g_steal_pointer (&result);
  ok = TRUE;

out:
  lazy_perm_clear (&perm);
  g_free (w.med);
  g_free (w.near);
  g_free (w.sec);
  g_free (w.dn);
  g_free (w.ds);
  g_free (w.nonmed);
  g_free (w.removal);
  g_free (w.scratch);
  g_free (w.col);
  return ok;
}

#define CLARA_INIT_HELP                                                                                            \
  "How each sample's first medoids are chosen: build, lab, random, k-means++, or explicit 0-based rows such as "   \
  "0,5,9 (then every sample starts from the best medoids so far)."
#define CLARA_MAX_ITER_HELP "Upper bound on swaps (PAM) or full passes (FasterPAM) within each sample."
#define CLARANS_INIT_HELP                                                                                          \
  "How the first restart's medoids are chosen (later restarts are random, as in CLARANS): build, lab, random, "    \
  "k-means++, or explicit 0-based rows such as 0,5,9."

static const CsParamSpec clara_params[] = {
  CS_I_KMEDOIDS_PARAM_K (CS_I_KMEDOIDS_K_HELP),
  CS_I_KMEDOIDS_PARAM_INIT ("build", CLARA_INIT_HELP),
  CS_I_KMEDOIDS_PARAM_COORD_METRIC,
  CS_I_KMEDOIDS_PARAM_SEED,
  CS_I_KMEDOIDS_PARAM_MAX_ITER (CLARA_MAX_ITER_HELP),
  { .name = "samples", .label = "Samples",
    .help = "How many random samples to cluster; the best medoids so far are carried into each later sample.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000, .default_num = 5 },
  { .name = "sample_size", .label = "Sample size",
    .help = "Rows per sample; 0 means 40 + 2k (CLARA) or 80 + 4k (FastCLARA), the sizes the papers recommend.",
    .type = CS_PARAM_INT, .min = 0, .max = 1000000, .default_num = 0, .zero_label = "Automatic",
    .advanced = TRUE },
};

static const CsParamSpec fastclara_params[] = {
  CS_I_KMEDOIDS_PARAM_K (CS_I_KMEDOIDS_K_HELP),
  CS_I_KMEDOIDS_PARAM_INIT ("lab", CLARA_INIT_HELP),
  CS_I_KMEDOIDS_PARAM_COORD_METRIC,
  CS_I_KMEDOIDS_PARAM_SEED,
  CS_I_KMEDOIDS_PARAM_MAX_ITER (CLARA_MAX_ITER_HELP),
  { .name = "samples", .label = "Samples",
    .help = "How many random samples to cluster; the best medoids so far are carried into each later sample.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000, .default_num = 5 },
  { .name = "sample_size", .label = "Sample size",
    .help = "Rows per sample; 0 means 40 + 2k (CLARA) or 80 + 4k (FastCLARA), the sizes the papers recommend.",
    .type = CS_PARAM_INT, .min = 0, .max = 1000000, .default_num = 0, .zero_label = "Automatic",
    .advanced = TRUE },
};

static const CsParamSpec clarans_params[] = {
  /* No max_iter: a search ends when max_neighbor tries in a row find no better swap. */
  CS_I_KMEDOIDS_PARAM_K (CS_I_KMEDOIDS_K_HELP),
  CS_I_KMEDOIDS_PARAM_INIT ("random", CLARANS_INIT_HELP),
  CS_I_KMEDOIDS_PARAM_METRIC,
  CS_I_KMEDOIDS_PARAM_SEED,
  { .name = "num_local", .label = "Restarts",
    .help = "How many local searches from different starts; the lowest loss wins.", .type = CS_PARAM_INT,
    .min = 1, .max = 1000, .default_num = 2 },
  { .name = "max_neighbor", .label = "Neighbours tried",
    .help = "Fraction of the k(n−k) swaps tried without improvement before a search stops (at least 250; "
            "FastCLARANS tries twice the rate, each try covering all k medoids). 1 tries them all.",
    .type = CS_PARAM_DOUBLE, .min = 1e-6, .max = 1, .default_num = 0.0125, .log_scale = TRUE,
    .advanced = TRUE },
};

static gboolean
clara_run_common (gboolean        fast,
                  const CsMatrix *x,
                  const CsParams *params,
                  CsProgress     *progress,
                  CsTrace        *trace,
                  CsClustering  **out,
                  GError        **error)
{
  CsKmedoidsOptions o;
  g_autofree gsize *explicit_medoids = NULL;
  CsMetric metric;

  if (!cs_i_kmedoids_options_from_params (params, x->rows, &o, &explicit_medoids, error))
    return FALSE;
  if (!cs_params_get_dissim (params, &metric))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "%s has no dissimilarity parameter",
                   cs_params_get_algorithm (params)->name);
      return FALSE;
    }
  return cs_clara_run (x, metric, fast, &o, progress, trace, out, error);
}

static gboolean
clara_run_params (const CsMatrix *x,
                  const CsParams *params,
                  CsProgress     *progress,
                  CsTrace        *trace,
                  CsClustering  **out,
                  GError        **error)
{
  return clara_run_common (FALSE, x, params, progress, trace, out, error);
}

static gboolean
fastclara_run_params (const CsMatrix *x,
                      const CsParams *params,
                      CsProgress     *progress,
                      CsTrace        *trace,
                      CsClustering  **out,
                      GError        **error)
{
  return clara_run_common (TRUE, x, params, progress, trace, out, error);
}

static gboolean
clarans_on_dissim (gboolean        fast,
                   const CsDissim *D,
                   const CsParams *params,
                   CsProgress     *progress,
                   CsTrace        *trace,
                   CsClustering  **out,
                   GError        **error)
{
  CsKmedoidsOptions o;
  g_autofree gsize *explicit_medoids = NULL;

  if (!cs_i_kmedoids_options_from_params (params, D->n, &o, &explicit_medoids, error))
    return FALSE;
  return cs_clarans_run (D, fast, &o, progress, trace, out, error);
}

static gboolean
clarans_on_matrix (gboolean        fast,
                   const CsMatrix *x,
                   const CsParams *params,
                   CsProgress     *progress,
                   CsTrace        *trace,
                   CsClustering  **out,
                   GError        **error)
{
  CsKmedoidsOptions o;
  g_autofree gsize *explicit_medoids = NULL;
  g_autoptr (CsDissim) D = NULL;
  g_autoptr (CsProgress) matrix_progress = NULL;
  g_autoptr (CsProgress) run_progress = NULL;
  CsProgressRange matrix_stage;
  CsProgressRange run_stage;

  /* Parameters first: a bad k should not cost an n × n matrix; then the matrix and the run
   * each get their part of the bar. */
  if (!cs_i_kmedoids_options_from_params (params, x->rows, &o, &explicit_medoids, error))
    return FALSE;
  matrix_progress = cs_progress_stage_new (&matrix_stage, progress, 0.0, 0.2);
  D = cs_i_kmedoids_dissim_from_params (x, params, matrix_progress, error);
  if (D == NULL || !cs_progress_check (progress, error))
    return FALSE;
  run_progress = cs_progress_stage_new (&run_stage, progress, 0.2, 1.0);
  if (!cs_clarans_run (D, fast, &o, run_progress, trace, out, error))
    return FALSE;
  if (!cs_progress_check (progress, error))
    {
      g_clear_pointer (out, cs_clustering_unref);
      return FALSE;
    }
  (*out)->d = x->cols;
  return TRUE;
}

static gboolean
clarans_run_params (const CsMatrix *x,
                    const CsParams *params,
                    CsProgress     *progress,
                    CsTrace        *trace,
                    CsClustering  **out,
                    GError        **error)
{
  return clarans_on_matrix (FALSE, x, params, progress, trace, out, error);
}

static gboolean
clarans_run_dissim (const CsDissim *D,
                    const CsParams *params,
                    CsProgress     *progress,
                    CsTrace        *trace,
                    CsClustering  **out,
                    GError        **error)
{
  return clarans_on_dissim (FALSE, D, params, progress, trace, out, error);
}

static gboolean
fastclarans_run_params (const CsMatrix *x,
                        const CsParams *params,
                        CsProgress     *progress,
                        CsTrace        *trace,
                        CsClustering  **out,
                        GError        **error)
{
  return clarans_on_matrix (TRUE, x, params, progress, trace, out, error);
}

static gboolean
fastclarans_run_dissim (const CsDissim *D,
                        const CsParams *params,
                        CsProgress     *progress,
                        CsTrace        *trace,
                        CsClustering  **out,
                        GError        **error)
{
  return clarans_on_dissim (TRUE, D, params, progress, trace, out, error);
}

const CsAlgorithm cs_algorithm_clara = {
  .id = "clara",
  .name = "CLARA",
  .description = "Clustering LARge Applications (Kaufman & Rousseeuw 1990): PAM on a few random samples of "
                 "40 + 2k rows, each candidate scored on all rows with distances computed on demand, so it "
                 "never needs the n × n matrix. For data too large for PAM.",
  .category = "Medoid",
  .dissim_param = "metric",
  .objective = CS_OBJECTIVE_LOSS,
  .params = clara_params,
  .n_params = G_N_ELEMENTS (clara_params),
  .run = clara_run_params,
};

const CsAlgorithm cs_algorithm_fastclara = {
  .id = "fastclara",
  .name = "FastCLARA",
  .description = "CLARA with FasterPAM on larger samples of 80 + 4k rows (Schubert & Rousseeuw, “Fast and "
                 "Eager k-Medoids Clustering”, 2021): better medoids at similar cost. Works on millions of rows.",
  .category = "Medoid",
  .dissim_param = "metric",
  .objective = CS_OBJECTIVE_LOSS,
  .params = fastclara_params,
  .n_params = G_N_ELEMENTS (fastclara_params),
  .run = fastclara_run_params,
};

const CsAlgorithm cs_algorithm_clarans = {
  .id = "clarans",
  .name = "CLARANS",
  .description = "Randomised search (Ng & Han 2002): tries random swaps of one medoid for one row, takes any "
                 "that lowers the loss, and stops after many tries in a row fail; restarted a few times.",
  .category = "Medoid",
  .dissim_param = "metric",
  .objective = CS_OBJECTIVE_LOSS,
  .params = clarans_params,
  .n_params = G_N_ELEMENTS (clarans_params),
  .run = clarans_run_params,
  .run_dissim = clarans_run_dissim,
};

const CsAlgorithm cs_algorithm_fastclarans = {
  .id = "fastclarans",
  .name = "FastCLARANS",
  .description = "CLARANS where each random row is tried against all k medoids at once in O(n) (Schubert & "
                 "Rousseeuw 2021), exploring k times as many swaps for the same cost.",
  .category = "Medoid",
  .dissim_param = "metric",
  .objective = CS_OBJECTIVE_LOSS,
  .params = clarans_params,
  .n_params = G_N_ELEMENTS (clarans_params),
  .run = fastclarans_run_params,
  .run_dissim = fastclarans_run_dissim,
};
