#include "core/cluster/cs-kmedoids-private.h"
#include "core/cluster/cs-trace.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Distance reads between two cancellation checks: about a millisecond of work. */
#define CHECK_EVERY 262144
/* Candidates are scanned in row order, so their columns are gathered this many at a time:
 * in the packed layout, the entries of one row for 16 neighbouring columns share cache lines. */
#define BLOCK 16

static const char *const init_choices_doc = "build, lab, random, k-means++ or a list of rows such as 0,5,9";
const char *const cs_i_metric_choices[] = { "euclidean", "sqeuclidean", "manhattan", "cosine", "gower",
                                            "precomputed", NULL };
const char *const cs_i_metric_labels[] = { "Euclidean", "Squared Euclidean", "Manhattan (city block)", "Cosine",
                                           "Gower (mixed columns)", "Distance matrix from a file", NULL };
const char *const cs_i_coord_metric_choices[] = { "euclidean", "sqeuclidean", "manhattan", "cosine", NULL };
const char *const cs_i_coord_metric_labels[] = { "Euclidean", "Squared Euclidean", "Manhattan (city block)", "Cosine",
                                                 NULL };
const char *const cs_i_kmedoids_init_choices[] = { "build", "lab", "random", "k-means++", NULL };
const char *const cs_i_kmedoids_init_labels[] = { "BUILD (greedy, PAM’s own)", "LAB (fast BUILD on samples)",
                                                  "Random rows", "k-means++ (spread out)", NULL };

#define PAM_MAX_ITER_HELP "Upper bound on swaps (PAM, FastPAM1), full passes (FasterPAM) or iterations (alternating)."

const CsParamSpec cs_i_kmedoids_common_params[5] = {
  CS_I_KMEDOIDS_COMMON_PARAMS (CS_I_KMEDOIDS_K_HELP, "build", CS_I_KMEDOIDS_INIT_HELP (""), PAM_MAX_ITER_HELP),
};

void
cs_kmedoids_options_init (CsKmedoidsOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->k = 3;
  options->init = CS_KMEDOIDS_INIT_BUILD;
  options->max_iter = 100;
  options->seed = 0;
  /* Far above the rounding noise of a double sum of n terms, far below any real improvement. */
  options->tol = 1e-10;
  options->samples = 5;
  options->sample_size = 0;
  options->num_local = 2;
  options->max_neighbor = 0.0125;
  options->k_min = 2;
  options->k_max = 10;
}

static gboolean
parse_init (const char      *text,
            guint            k,
            gsize            n,
            CsKmedoidsInit  *init,
            gsize          **explicit_medoids,
            GError         **error)
{
  g_auto (GStrv) parts = NULL;
  g_autofree gsize *rows = NULL;
  guint count;

  if (text == NULL || *text == '\0' || g_ascii_strcasecmp (text, "build") == 0)
    *init = CS_KMEDOIDS_INIT_BUILD;
  else if (g_ascii_strcasecmp (text, "lab") == 0)
    *init = CS_KMEDOIDS_INIT_LAB;
  else if (g_ascii_strcasecmp (text, "random") == 0)
    *init = CS_KMEDOIDS_INIT_RANDOM;
  else if (g_ascii_strcasecmp (text, "k-means++") == 0 || g_ascii_strcasecmp (text, "kmeans++") == 0)
    *init = CS_KMEDOIDS_INIT_KMEANSPP;
  else
    {
      parts = g_strsplit_set (text, ",; ", -1);
      count = 0;
      rows = g_new0 (gsize, g_strv_length (parts) + 1);
      for (guint i = 0; parts[i]; i++)
        {
          char *end = NULL;
          guint64 v;
          char *p = g_strstrip (parts[i]);

          if (*p == '\0')
            continue;
          if (!g_ascii_isdigit (*p) || (v = g_ascii_strtoull (p, &end, 10), *end != '\0'))
            {
              g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                           "Parameter ‘init’: ‘%s’ is not a row number (expected %s)", p, init_choices_doc);
              return FALSE;
            }
          if (v >= n)
            {
              g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                           "Parameter ‘init’: row %" G_GUINT64_FORMAT " does not exist (rows are 0 to %zu)", v,
                           n - 1);
              return FALSE;
            }
          for (guint j = 0; j < count; j++)
            if (rows[j] == v)
              {
                g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                             "Parameter ‘init’: row %" G_GUINT64_FORMAT " is listed twice", v);
                return FALSE;
              }
          rows[count++] = (gsize) v;
        }
      if (count != k)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                       "Parameter ‘init’: %u initial medoids given but k = %u; list exactly k rows", count, k);
          return FALSE;
        }
      *init = CS_KMEDOIDS_INIT_EXPLICIT;
      *explicit_medoids = g_steal_pointer (&rows);
    }
  return TRUE;
}

guint
cs_i_dynmsc_auto_k_max (gsize n,
                        guint k_min)
{
  return (guint) MAX (MIN (n / 10, 20), k_min);
}

gboolean
cs_i_kmedoids_options_from_params (const CsParams    *params,
                                   gsize              n,
                                   CsKmedoidsOptions *options,
                                   gsize            **explicit_medoids,
                                   GError           **error)
{
  const CsAlgorithm *algo = cs_params_get_algorithm (params);
  static const char *const optional[] = { "samples", "sample_size", "num_local", "k_min", "k_max", "k",
                                          "max_iter" };

  g_return_val_if_fail (options != NULL && explicit_medoids != NULL, FALSE);
  *explicit_medoids = NULL;
  cs_kmedoids_options_init (options);
  options->seed = (guint64) cs_params_get_int (params, "seed");
  for (gsize i = 0; i < G_N_ELEMENTS (optional); i++)
    {
      guint v;

      if (cs_algorithm_find_param (algo, optional[i]) == NULL)
        continue;
      v = (guint) cs_params_get_double (params, optional[i]);
      switch (i)
        {
        case 0: options->samples = v; break;
        case 1: options->sample_size = v; break;
        case 2: options->num_local = v; break;
        case 3: options->k_min = v; break;
        case 4: options->k_max = v; break;
        case 5: options->k = v; break;
        default: options->max_iter = v; break;
        }
    }
  if (cs_algorithm_find_param (algo, "k_max") != NULL)
    {
      if (options->k_max == 0)
        options->k_max = cs_i_dynmsc_auto_k_max (n, options->k_min);
      /* k is not a DynMSC parameter: it starts from k_max medoids. */
      if (cs_algorithm_find_param (algo, "k") == NULL)
        options->k = options->k_max;
    }
  if (cs_algorithm_find_param (algo, "max_neighbor"))
    options->max_neighbor = cs_params_get_double (params, "max_neighbor");
  if (!parse_init (cs_params_get_string (params, "init"), options->k, n, &options->init, explicit_medoids, error))
    return FALSE;
  options->initial_medoids = *explicit_medoids;
  return TRUE;
}

CsDissim *
cs_i_kmedoids_dissim_from_params (const CsMatrix *x,
                                  const CsParams *params,
                                  CsProgress     *progress,
                                  GError        **error)
{
  CsMetric metric;
  gboolean single;
  guint64 budget;

  if (!cs_params_get_dissim (params, &metric))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "%s has no dissimilarity parameter",
                   cs_params_get_algorithm (params)->name);
      return NULL;
    }
  if (metric == CS_METRIC_GOWER || metric == CS_METRIC_PRECOMPUTED)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameter ‘metric’: ‘%s’ cannot be computed from the prepared numeric matrix; %s",
                   cs_metric_id (metric),
                   metric == CS_METRIC_GOWER ? "Gower works on the dataset's own (mixed) columns"
                                             : "give the matrix file with --distances");
      return NULL;
    }
  /* float storage halves the matrix; taken only when double would not fit, so the usual
   * case keeps full precision. */
  budget = cs_memory_budget ();
  single = cs_dissim_bytes (x->rows, FALSE) > budget && cs_dissim_bytes (x->rows, TRUE) <= budget;
  return cs_dissim_new_from_matrix (x, metric, single, progress, error);
}

/* ---- shared state of the swap methods ---- */

/* Trace: one evaluated candidate (a swap of slot m for row h, or BUILD placing h in slot m). */
typedef struct
{
  double delta;
  gsize  h;
  guint  m;
} TraceCand;

/* What a method records of the candidates it evaluates. */
typedef enum
{
  CANDIDATES_NONE,
  CANDIDATES_TRIED, /* the last rows tried since the last swap (FasterPAM) */
  CANDIDATES_BEST,  /* the best few of every slot, with their Δ (PAM, FastPAM1) */
} CandidateMode;

/* Keeps top[0 .. *len) the `cap` lowest (delta, then first seen): candidates arrive in the
 * order PAM visits them, so among equal Δ the one PAM would take stays first. */
static void
tops_insert (TraceCand *top,
             guint     *len,
             guint      cap,
             double     delta,
             gsize      h,
             guint      m)
{
  guint i = *len;

  if (cap == 0 || isnan (delta))
    return;
  if (i == cap)
    {
      if (!(delta < top[cap - 1].delta))
        return;
      i = cap - 1;
    }
  else
    (*len)++;
  for (; i > 0 && delta < top[i - 1].delta; i--)
    top[i] = top[i - 1];
  top[i] = (TraceCand) { delta, h, m };
}

static int
trace_cand_cmp (const void *pa,
                const void *pb)
{
  const TraceCand *a = pa;
  const TraceCand *b = pb;

  if (a->delta != b->delta)
    return a->delta < b->delta ? -1 : 1;
  if (a->h != b->h)
    return a->h < b->h ? -1 : 1;
  return a->m < b->m ? -1 : a->m > b->m;
}

/* Sorted best first (Δ, then row, then slot: the order in which PAM breaks ties), onto `step`. */
static void
trace_candidates (CsTraceStep *step,
                  TraceCand   *cands,
                  guint        n_cands,
                  guint        k,
                  guint64      evaluated)
{
  g_autofree gsize *rows = g_new (gsize, MAX (n_cands, 1));
  g_autofree guint *slots = g_new (guint, MAX (n_cands, 1));
  g_autofree double *deltas = g_new (double, MAX (n_cands, 1));

  if (step == NULL)
    return;
  qsort (cands, n_cands, sizeof (TraceCand), trace_cand_cmp);
  for (guint c = 0; c < n_cands; c++)
    {
      rows[c] = cands[c].h;
      slots[c] = cands[c].m;
      deltas[c] = cands[c].delta;
    }
  cs_trace_step_set_candidates (step, rows, slots, deltas, n_cands, k, evaluated);
}

typedef struct
{
  const CsDissim          *D;        /* Borrowed */
  const CsKmedoidsOptions *o;        /* Borrowed */
  CsProgress              *progress; /* Borrowed, may be NULL */
  CsTrace                 *trace;    /* Borrowed, may be NULL */
  const char              *name;     /* for messages */
  gsize                    n;
  guint                    k;
  gsize                   *med;      /* Owned, k rows */
  guint                   *near;     /* Owned, n: slot of the nearest medoid */
  guint                   *sec;      /* Owned, n: slot of the second nearest (== near when k = 1) */
  double                  *dn;       /* Owned, n */
  double                  *ds;       /* Owned, n */
  double                  *rloss;    /* Owned, k: removal loss of each slot (FastPAM1 / FasterPAM) */
  double                  *delta;    /* Owned, k: scratch */
  double                  *blk;      /* Owned, BLOCK × n: columns blk0 .. of D, gathered */
  gsize                    blk0;     /* first column in blk, or G_MAXSIZE */
  int                     *labels;   /* Owned, n: the previous trace step's labels, or NULL */
  gsize                    cand[CS_TRACE_MAX_CANDIDATES]; /* trace: the last rows evaluated as
                                                             candidates since the last swap (a ring) */
  guint                    n_cand;
  TraceCand               *top;      /* Owned, k × top_cap, or NULL: trace, CANDIDATES_BEST: the best
                                        candidates of each slot this step */
  guint                   *n_top;    /* Owned, k */
  guint                    top_cap;
  guint64                  evaluated; /* candidates evaluated this step */
  double                   loss;
  guint64                  work;     /* distance reads since the last cancellation check */
  guint                    swaps;
} Swap;

static void
swap_clear (Swap *s)
{
  g_free (s->med);
  g_free (s->near);
  g_free (s->sec);
  g_free (s->dn);
  g_free (s->ds);
  g_free (s->rloss);
  g_free (s->delta);
  g_free (s->blk);
  g_free (s->labels);
  g_free (s->top);
  g_free (s->n_top);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Swap, swap_clear)

static inline gboolean
swap_tick (Swap    *s,
           guint64  reads,
           GError **error)
{
  s->work += reads;
  if (s->work < CHECK_EVERY)
    return TRUE;
  s->work = 0;
  if (cs_progress_check (s->progress, NULL))
    return TRUE;
  g_set_error (error, CS_ERROR, CS_ERROR_CANCELLED, "%s was cancelled", s->name);
  return FALSE;
}

/* d(·, h) as a contiguous array, valid until the next call. */
static const double *
column_of (Swap  *s,
           gsize  h)
{
  if (s->blk0 == G_MAXSIZE || h < s->blk0 || h >= s->blk0 + BLOCK)
    {
      s->blk0 = h;
      cs_dissim_columns (s->D, h, MIN (BLOCK, s->n - h), s->blk);
    }
  return s->blk + (h - s->blk0) * s->n;
}

/* Nearest and second-nearest slot of row o, by a scan of all medoids. Ties go to the lower slot. */
static void
scan_nearest (Swap  *s,
              gsize  o)
{
  guint a = 0;
  guint b = 0;
  double da = INFINITY;
  double db = INFINITY;

  for (guint m = 0; m < s->k; m++)
    {
      double v = cs_dissim_get (s->D, o, s->med[m]);
      if (v < da)
        {
          b = a;
          db = da;
          a = m;
          da = v;
        }
      else if (v < db)
        {
          b = m;
          db = v;
        }
    }
  if (s->k == 1)
    {
      b = a;
      db = da;
    }
  s->near[o] = a;
  s->dn[o] = da;
  s->sec[o] = b;
  s->ds[o] = db;
}

static double
sum_dn (const Swap *s)
{
  double t = 0.0;
  for (gsize o = 0; o < s->n; o++)
    t += s->dn[o];
  return t;
}

static void
assign_all (Swap *s)
{
  for (gsize o = 0; o < s->n; o++)
    scan_nearest (s, o);
  s->loss = sum_dn (s);
}

static void
update_removal_loss (Swap *s)
{
  memset (s->rloss, 0, s->k * sizeof (double));
  for (gsize o = 0; o < s->n; o++)
    s->rloss[s->near[o]] += s->ds[o] - s->dn[o];
}

/* Slot m now holds row h: refresh the nearest / second caches in O(n), scanning all k
 * medoids only for the rows that lost their nearest or second medoid. */
static void
apply_swap (Swap  *s,
            guint  m,
            gsize  h)
{
  const double *col = column_of (s, h);

  s->med[m] = h;
  for (gsize o = 0; o < s->n; o++)
    {
      double d = col[o];

      if (s->near[o] == m)
        {
          if (d <= s->ds[o])
            s->dn[o] = d;
          else
            scan_nearest (s, o);
        }
      else if (s->sec[o] == m)
        {
          if (d < s->dn[o])
            {
              s->sec[o] = s->near[o];
              s->ds[o] = s->dn[o];
              s->near[o] = m;
              s->dn[o] = d;
            }
          else
            scan_nearest (s, o);
        }
      else if (d < s->dn[o])
        {
          s->sec[o] = s->near[o];
          s->ds[o] = s->dn[o];
          s->near[o] = m;
          s->dn[o] = d;
        }
      else if (d < s->ds[o])
        {
          s->sec[o] = m;
          s->ds[o] = d;
        }
    }
  s->loss = sum_dn (s);
  s->swaps++;
}

static CsTraceStep *
trace_step (Swap       *s,
            guint       iteration,
            const char *note)
{
  gsize changed = 0;
  CsTraceStep *step;

  if (s->trace == NULL)
    return NULL;
  if (s->labels == NULL)
    {
      s->labels = g_new (int, s->n);
      for (gsize o = 0; o < s->n; o++)
        s->labels[o] = -1;
    }
  for (gsize o = 0; o < s->n; o++)
    if (s->labels[o] != (int) s->near[o])
      {
        s->labels[o] = (int) s->near[o];
        changed++;
      }
  step = cs_trace_push (s->trace, iteration == 0 ? CS_TRACE_STEP_INIT : CS_TRACE_STEP_GENERIC, iteration, s->labels,
                        s->n, s->k, s->loss, changed, note);
  cs_trace_step_set_medoids (step, s->med, s->k);
  return step;
}

static void
trace_swap (Swap   *s,
            guint   iteration,
            guint   m,
            gsize   left,
            gsize   came,
            double  delta)
{
  g_autofree char *note = NULL;

  if (s->trace == NULL)
    return;
  note = g_strdup_printf ("medoid %u (row %zu) left, row %zu came in, Δ %s%.6g", m, left, came,
                          delta < 0 ? "−" : "", fabs (delta));
  {
    CsTraceStep *step = trace_step (s, iteration, note);

    cs_trace_step_set_swap (step, (gssize) left, (gssize) came, delta, NULL, 0);
    if (s->top != NULL)
      {
        g_autofree TraceCand *all = g_new (TraceCand, (gsize) s->k * s->top_cap);
        guint n_all = 0;

        for (guint m = 0; m < s->k; m++)
          for (guint c = 0; c < s->n_top[m]; c++)
            all[n_all++] = s->top[(gsize) m * s->top_cap + c];
        trace_candidates (step, all, n_all, s->k, s->evaluated);
      }
    else if (s->n_cand > 0)
      {
        guint kept = MIN (s->n_cand, CS_TRACE_MAX_CANDIDATES);
        gsize ordered[CS_TRACE_MAX_CANDIDATES];

        /* Oldest first out of the ring. */
        for (guint c = 0; c < kept; c++)
          ordered[c] = s->cand[(s->n_cand - kept + c) % CS_TRACE_MAX_CANDIDATES];
        cs_trace_step_set_candidates (step, ordered, NULL, NULL, kept, s->k, s->n_cand);
      }
    s->n_cand = 0;
  }
}

/* A new step of the search: no candidate kept yet. */
static void
tops_begin (Swap *s)
{
  if (s->top == NULL)
    return;
  memset (s->n_top, 0, s->k * sizeof (guint));
  s->evaluated = 0;
}

/* ---- validation and initialisation ---- */

static gboolean
check_k (const CsDissim          *D,
         const CsKmedoidsOptions *o,
         const char              *name,
         GError                 **error)
{
  g_autofree gsize *reps = NULL;
  guint n_reps = 0;

  if (o->k == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "%s needs k of at least 1", name);
      return FALSE;
    }
  if (o->k > D->n)
    {
      g_autofree char *rows = cs_format_count (D->n);
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "%s: k = %u is more than the %s rows; choose k of at most %s", name, o->k, rows, rows);
      return FALSE;
    }
  /* Distinct representatives, stopping at k: O(nk) at worst. */
  reps = g_new (gsize, o->k);
  for (gsize i = 0; i < D->n && n_reps < o->k; i++)
    {
      gboolean dup = FALSE;
      for (guint r = 0; r < n_reps && !dup; r++)
        dup = cs_dissim_get (D, i, reps[r]) == 0.0;
      if (!dup)
        reps[n_reps++] = i;
    }
  if (n_reps < o->k)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "%s: the data hold only %u distinct points (the others are duplicates at distance 0), fewer "
                   "than k = %u; choose k of at most %u",
                   name, n_reps, o->k, n_reps);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_medoid (const gsize *med,
           guint        count,
           gsize        i)
{
  for (guint m = 0; m < count; m++)
    if (med[m] == i)
      return TRUE;
  return FALSE;
}

/* The row with the smallest sum of dissimilarities to the rows in `subset` (all rows when
 * NULL): the exact 1-medoid. Returns G_MAXSIZE when cancelled. */
static gsize
best_single (const CsDissim *D,
             const gsize    *subset,
             gsize           m,
             CsProgress     *progress)
{
  gsize best = 0;
  double best_sum = INFINITY;
  g_autofree double *sums = NULL;

  if (subset == NULL)
    {
      /* All row sums in one sequential sweep of the packed triangle. */
      sums = g_new0 (double, m);
      for (gsize i = 1; i < m; i++)
        {
          gsize base = i * (i - 1) / 2;
          double t = 0.0;

          if ((i & 255) == 0 && cs_progress_is_cancelled (progress))
            return G_MAXSIZE;
          for (gsize j = 0; j < i; j++)
            {
              double d = D->single ? (double) D->f[base + j] : D->d[base + j];
              t += d;
              sums[j] += d;
            }
          sums[i] += t;
        }
    }
  for (gsize a = 0; a < m; a++)
    {
      gsize i = subset ? subset[a] : a;
      double t = 0.0;

      if (sums)
        t = sums[a];
      else
        for (gsize b = 0; b < m; b++)
          t += cs_dissim_get (D, i, subset[b]);
      if (t < best_sum)
        {
          best_sum = t;
          best = i;
        }
    }
  return best;
}

/* How much adding candidate c (dissimilarities col, indexed like dn) lowers Σ min(dn, d). */
static inline double
build_gain (const double *col,
            const double *dn,
            gsize         n)
{
  double gain = 0.0;

  for (gsize b = 0; b < n; b++)
    if (col[b] < dn[b])
      gain += dn[b] - col[b];
  return gain;
}

static gboolean
coincides_with_medoid (const CsDissim *D,
                       gsize           c,
                       const gsize    *med,
                       guint           n_med)
{
  for (guint m = 0; m < n_med; m++)
    if (c == med[m] || cs_dissim_get (D, c, med[m]) == 0.0)
      return TRUE;
  return FALSE;
}

/* BUILD's greedy step: the candidate that lowers Σ min(dn, d(·, c)) the most. Over all rows
 * (sample == NULL, columns gathered in blocks) or, for LAB, with candidates and scored rows
 * both the sample. Rows identical to a medoid are never candidates. Returns −1 when every row
 * coincides with a medoid, −2 when cancelled. */
static gssize
build_step (const CsDissim *D,
            const gsize    *sample,
            gsize           n_sample,
            const double   *dn,
            const gsize    *med,
            guint           n_med,
            CsProgress     *progress,
            TraceCand      *top,
            guint          *n_top,
            guint           top_cap,
            guint64        *evaluated)
{
  gssize best = -1;
  double best_gain = -1.0;

  if (sample == NULL)
    {
      gsize n = D->n;
      g_autofree double *blk = g_new (double, BLOCK * n);

      for (gsize c0 = 0; c0 < n; c0 += BLOCK)
        {
          gsize count = MIN (BLOCK, n - c0);

          if (cs_progress_is_cancelled (progress))
            return -2;
          cs_dissim_columns (D, c0, count, blk);
          for (gsize c = c0; c < c0 + count; c++)
            {
              double gain;

              if (coincides_with_medoid (D, c, med, n_med))
                continue;
              gain = build_gain (blk + (c - c0) * n, dn, n);
              if (top != NULL)
                {
                  tops_insert (top, n_top, top_cap, -gain, c, n_med);
                  (*evaluated)++;
                }
              if (gain > best_gain)
                {
                  best_gain = gain;
                  best = (gssize) c;
                }
            }
        }
      return best;
    }
  {
    g_autofree double *col = g_new (double, n_sample);

    for (gsize a = 0; a < n_sample; a++)
      {
        gsize c = sample[a];
        double gain;

        if (coincides_with_medoid (D, c, med, n_med))
          continue;
        for (gsize b = 0; b < n_sample; b++)
          col[b] = cs_dissim_get (D, sample[b], c);
        gain = build_gain (col, dn, n_sample);
        if (gain > best_gain)
          {
            best_gain = gain;
            best = (gssize) c;
          }
      }
  }
  return best;
}

/* Trace: BUILD has placed `placed` medoids; rows are labelled by the nearest placed one (ties
 * to the lower slot, as the swap phase assigns them), unplaced slots are G_MAXSIZE. */
static void
trace_build (CsTrace      *trace,
             const gsize  *med,
             guint         placed,
             guint         k,
             const int    *near,
             gsize         n,
             const double *dn,
             gsize         changed,
             double        delta,
             TraceCand    *top,
             guint         n_top,
             guint64       evaluated)
{
  g_autofree gsize *slots = g_new (gsize, k);
  g_autofree char *note = NULL;
  CsTraceStep *step;
  double loss = 0.0;

  for (gsize i = 0; i < n; i++)
    loss += dn[i];
  for (guint m = 0; m < k; m++)
    slots[m] = m < placed ? med[m] : G_MAXSIZE;
  note = placed == 1 ? g_strdup_printf ("row %zu, the best single medoid, placed first", med[0])
                     : g_strdup_printf ("row %zu placed as medoid %u, Δ %s%.6g", med[placed - 1], placed - 1,
                                        delta < 0 ? "−" : "", fabs (delta));
  step = cs_trace_push (trace, CS_TRACE_STEP_BUILD, placed, near, n, k, loss, changed, note);
  if (step == NULL)
    return;
  cs_trace_step_set_medoids (step, slots, k);
  step->entering = (gssize) med[placed - 1];
  step->delta = delta;
  if (top != NULL && n_top > 0)
    trace_candidates (step, top, n_top, k, evaluated);
}

static gboolean
init_build (const CsDissim *D,
            guint           k,
            CsProgress     *progress,
            CsTrace        *trace,
            gsize          *med,
            GError        **error)
{
  gsize n = D->n;
  g_autofree double *dn = g_new (double, n);
  g_autofree int *near = trace != NULL ? g_new (int, n) : NULL;
  guint top_cap = trace != NULL ? cs_trace_candidates_per_medoid (n, 1) : 0;
  g_autofree TraceCand *top = trace != NULL ? g_new (TraceCand, top_cap) : NULL;

  med[0] = best_single (D, NULL, n, progress);
  if (med[0] == G_MAXSIZE)
    return cs_progress_check (progress, error);
  for (gsize i = 0; i < n; i++)
    dn[i] = cs_dissim_get (D, i, med[0]);
  if (trace != NULL)
    {
      memset (near, 0, n * sizeof (int));
      trace_build (trace, med, 1, k, near, n, dn, n, NAN, NULL, 0, n);
    }
  for (guint j = 1; j < k; j++)
    {
      gssize c;
      guint n_top = 0;
      guint64 evaluated = 0;
      gsize changed = 0;
      double before = 0.0;
      double after = 0.0;

      cs_progress_report (progress, 0.5 * j / k, "BUILD");
      c = build_step (D, NULL, n, dn, med, j, progress, top, &n_top, top_cap, &evaluated);
      if (c == -2 || cs_progress_is_cancelled (progress))
        return cs_progress_check (progress, error);
      /* check_k guarantees a row apart from all medoids exists. */
      g_assert (c >= 0);
      med[j] = (gsize) c;
      for (gsize i = 0; i < n; i++)
        {
          double d = cs_dissim_get (D, i, med[j]);

          before += dn[i];
          if (d < dn[i])
            {
              dn[i] = d;
              if (near != NULL)
                {
                  near[i] = (int) j;
                  changed++;
                }
            }
          after += dn[i];
        }
      if (trace != NULL)
        trace_build (trace, med, j + 1, k, near, n, dn, changed, n_top > 0 ? top[0].delta : after - before, top,
                     n_top, evaluated);
    }
  return TRUE;
}

/* LAB, the linear approximative BUILD of Schubert & Rousseeuw (2021, sec. 3.3): each greedy
 * step looks at a fresh sample of 10 + ⌈√n⌉ non-medoids only, and scores the candidates on
 * that same sample. */
static gboolean
init_lab (const CsDissim *D,
          guint           k,
          guint64         seed,
          CsProgress     *progress,
          gsize          *med,
          GError        **error)
{
  gsize n = D->n;
  gsize m = MIN (n, 10 + (gsize) ceil (sqrt ((double) n)));
  g_autofree gsize *pool = g_new (gsize, n);
  g_autofree gsize *sample = g_new (gsize, m);
  g_autofree double *dn = g_new (double, m);
  CsRng rng;

  cs_rng_init_stream (&rng, seed, 0x1AB);
  for (gsize i = 0; i < n; i++)
    pool[i] = i;
  for (guint j = 0; j < k; j++)
    {
      gsize avail;
      gsize ms;
      gssize c;

      if (!cs_progress_check (progress, error))
        return FALSE;
      /* The last medoid moves to the end of the pool, so samples come from the others. */
      if (j > 0)
        for (gsize i = 0; i < n - j + 1; i++)
          if (pool[i] == med[j - 1])
            {
              pool[i] = pool[n - j];
              pool[n - j] = med[j - 1];
              break;
            }
      avail = n - j;
      ms = MIN (m, avail);
      cs_rng_sample_front (&rng, pool, avail, ms);
      memcpy (sample, pool, ms * sizeof (gsize));
      if (j == 0)
        {
          med[0] = best_single (D, sample, ms, progress);
          continue;
        }
      for (gsize b = 0; b < ms; b++)
        {
          dn[b] = INFINITY;
          for (guint t = 0; t < j; t++)
            dn[b] = MIN (dn[b], cs_dissim_get (D, sample[b], med[t]));
        }
      c = build_step (D, sample, ms, dn, med, j, progress, NULL, NULL, 0, NULL);
      if (c < 0)
        {
          /* The whole sample duplicates medoids; fall back to the exact step. */
          g_autofree double *all = g_new (double, n);
          for (gsize i = 0; i < n; i++)
            {
              all[i] = INFINITY;
              for (guint t = 0; t < j; t++)
                all[i] = MIN (all[i], cs_dissim_get (D, i, med[t]));
            }
          c = build_step (D, NULL, n, all, med, j, progress, NULL, NULL, 0, NULL);
          if (c == -2)
            return cs_progress_check (progress, error);
        }
      g_assert (c >= 0);
      med[j] = (gsize) c;
    }
  return TRUE;
}

static void
init_random (const CsDissim *D,
             guint           k,
             guint64         seed,
             gsize          *med)
{
  g_autofree gsize *pool = g_new (gsize, D->n);
  CsRng rng;

  cs_rng_init_stream (&rng, seed, 0x4A4D);
  for (gsize i = 0; i < D->n; i++)
    pool[i] = i;
  cs_rng_sample_front (&rng, pool, D->n, k);
  memcpy (med, pool, k * sizeof (gsize));
}

/* k-means++ seeding (Arthur & Vassilvitskii) on the dissimilarities: each next medoid is
 * drawn with probability proportional to the squared dissimilarity to the nearest chosen one. */
static gboolean
init_kmeanspp (const CsDissim *D,
               guint           k,
               guint64         seed,
               CsProgress     *progress,
               gsize          *med,
               GError        **error)
{
  g_autofree double *w = g_new (double, D->n);
  CsRng rng;

  cs_rng_init_stream (&rng, seed, 0x9B9B);
  med[0] = (gsize) cs_rng_below (&rng, D->n);
  for (gsize i = 0; i < D->n; i++)
    {
      double d = cs_dissim_get (D, i, med[0]);
      w[i] = d * d;
    }
  for (guint j = 1; j < k; j++)
    {
      double total = 0.0;
      double r;
      gsize pick = D->n;

      if (!cs_progress_check (progress, error))
        return FALSE;
      for (gsize i = 0; i < D->n; i++)
        total += w[i];
      r = cs_rng_uniform (&rng) * total;
      for (gsize i = 0; i < D->n; i++)
        if (w[i] > 0.0)
          {
            pick = i;
            r -= w[i];
            if (r < 0.0)
              break;
          }
      g_assert (pick < D->n); /* check_k: some row is apart from every medoid */
      med[j] = pick;
      for (gsize i = 0; i < D->n; i++)
        {
          double d = cs_dissim_get (D, i, pick);
          w[i] = MIN (w[i], d * d);
        }
    }
  return TRUE;
}

/* `trace` (may be NULL) records BUILD's steps. */
static gboolean
init_medoids (const CsDissim          *D,
              const CsKmedoidsOptions *o,
              CsProgress              *progress,
              CsTrace                 *trace,
              gsize                   *med,
              GError                 **error)
{
  switch (o->init)
    {
    case CS_KMEDOIDS_INIT_BUILD:
      return init_build (D, o->k, progress, trace, med, error);
    case CS_KMEDOIDS_INIT_LAB:
      return init_lab (D, o->k, o->seed, progress, med, error);
    case CS_KMEDOIDS_INIT_RANDOM:
      init_random (D, o->k, o->seed, med);
      return TRUE;
    case CS_KMEDOIDS_INIT_KMEANSPP:
      return init_kmeanspp (D, o->k, o->seed, progress, med, error);
    case CS_KMEDOIDS_INIT_EXPLICIT:
    default:
      if (o->initial_medoids == NULL)
        {
          g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                               "Explicit initialisation needs the list of initial medoid rows");
          return FALSE;
        }
      for (guint m = 0; m < o->k; m++)
        {
          if (o->initial_medoids[m] >= D->n)
            {
              g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "Initial medoid row %zu does not exist (rows are 0 to %zu)", o->initial_medoids[m],
                           D->n - 1);
              return FALSE;
            }
          if (is_medoid (o->initial_medoids, m, o->initial_medoids[m]))
            {
              g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "Initial medoid row %zu is listed twice",
                           o->initial_medoids[m]);
              return FALSE;
            }
          med[m] = o->initial_medoids[m];
        }
      return TRUE;
    }
}

gboolean
cs_kmedoids_init (const CsDissim          *D,
                  const CsKmedoidsOptions *options,
                  gsize                   *medoids,
                  GError                 **error)
{
  g_return_val_if_fail (D != NULL && options != NULL && medoids != NULL, FALSE);
  if (!check_k (D, options, "k-medoids initialisation", error))
    return FALSE;
  return init_medoids (D, options, NULL, NULL, medoids, error);
}

static const char *
init_name (CsKmedoidsInit init)
{
  switch (init)
    {
    case CS_KMEDOIDS_INIT_BUILD: return "BUILD";
    case CS_KMEDOIDS_INIT_LAB: return "LAB";
    case CS_KMEDOIDS_INIT_RANDOM: return "random";
    case CS_KMEDOIDS_INIT_KMEANSPP: return "k-means++";
    case CS_KMEDOIDS_INIT_EXPLICIT:
    default: return "given rows";
    }
}

/* Validates, initialises (k = 1 is solved exactly instead) and fills the caches. s must be
 * zero-initialised. */
static gboolean
swap_begin (Swap                    *s,
            const CsDissim          *D,
            const CsKmedoidsOptions *o,
            const char              *name,
            CandidateMode            candidates,
            CsProgress              *progress,
            CsTrace                 *trace,
            GError                 **error)
{
  guint records = CS_TRACE_RECORDS_LABELS | CS_TRACE_RECORDS_MEDOIDS;
  gboolean planned = FALSE;
  guint steps_before = trace != NULL ? trace->steps->len : 0;

  g_return_val_if_fail (D != NULL && o != NULL, FALSE);
  s->D = D;
  s->o = o;
  s->name = name;
  s->progress = progress;
  s->trace = trace;
  s->n = D->n;
  s->k = o->k;
  s->blk0 = G_MAXSIZE;
  if (!check_k (D, o, name, error))
    return FALSE;
  s->med = g_new (gsize, s->k);
  s->near = g_new (guint, s->n);
  s->sec = g_new (guint, s->n);
  s->dn = g_new (double, s->n);
  s->ds = g_new (double, s->n);
  s->rloss = g_new0 (double, s->k);
  s->delta = g_new0 (double, s->k);
  s->blk = g_new (double, BLOCK * s->n);
  if (candidates != CANDIDATES_NONE)
    records |= CS_TRACE_RECORDS_CANDIDATES;
  /* Planned before the start: BUILD records its steps as it places the medoids. */
  if (trace != NULL)
    planned = cs_trace_plan (trace, s->n, s->k, 0, records);
  if (planned && candidates == CANDIDATES_BEST)
    {
      s->top_cap = cs_trace_candidates_per_medoid (s->n, s->k);
      s->top = g_new (TraceCand, (gsize) s->k * s->top_cap);
      s->n_top = g_new0 (guint, s->k);
    }
  if (s->k == 1)
    {
      s->med[0] = best_single (D, NULL, D->n, progress);
      if (s->med[0] == G_MAXSIZE)
        return cs_progress_check (progress, error);
    }
  else if (!init_medoids (D, o, progress, planned ? trace : NULL, s->med, error))
    return FALSE;
  if (!cs_progress_check (progress, error))
    return FALSE;
  assign_all (s);
  if (planned && trace->steps->len > steps_before)
    {
      /* BUILD's last step is the start: the swaps count their changes from its labels. */
      s->labels = g_new (int, s->n);
      for (gsize i = 0; i < s->n; i++)
        s->labels[i] = (int) s->near[i];
    }
  else if (planned)
    {
      g_autofree char *note = s->k == 1 ? g_strdup ("the exact 1-medoid")
                                        : g_strdup_printf ("initial medoids (%s)", init_name (o->init));
      trace_step (s, 0, note);
    }
  return TRUE;
}

static CsClustering *
swap_result (Swap       *s,
             const char *id,
             guint       iterations,
             gboolean    converged)
{
  CsClustering *c = cs_clustering_new (id, s->n, 0, s->k);

  for (gsize o = 0; o < s->n; o++)
    c->labels[o] = (int) s->near[o];
  c->medoids = g_memdup2 (s->med, s->k * sizeof (gsize));
  c->objective = s->loss;
  c->objective_name = "loss";
  c->objective_kind = CS_OBJECTIVE_LOSS;
  c->iterations = iterations;
  c->converged = converged;
  c->swaps = s->swaps;
  return c;
}

/* How many swaps or passes a run needs is unknown in advance, so the SWAP half of the bar
 * approaches its end geometrically (`scale` is a typical count) and never moves back. */
static gboolean
swap_progress (Swap       *s,
               double      done,
               double      scale,
               const char *stage)
{
  double f = MAX (1.0 - exp (-done / scale), done / MAX (s->o->max_iter, 1));

  return cs_progress_report (s->progress, 0.5 + 0.5 * MIN (f, 1.0), stage);
}

static inline double
threshold (const Swap *s)
{
  return -s->o->tol * fabs (s->loss);
}

/* ---- PAM ---- */

/* Classic SWAP (Kaufman & Rousseeuw): every (medoid, non-medoid) pair is scored over all rows
 * from the nearest / second-nearest caches, O(k(n−k)n) per swap; the best pair is taken.
 * Candidates are visited row-major (row outer, slot inner), ties keep the first, exactly as
 * FastPAM1 does, so both take the same swaps. */
gboolean
cs_pam_run (const CsDissim          *D,
            const CsKmedoidsOptions *o,
            CsProgress              *progress,
            CsTrace                 *trace,
            CsClustering           **out,
            GError                 **error)
{
  g_auto (Swap) s = { 0 };
  guint iter = 0;
  gboolean converged = FALSE;

  if (!swap_begin (&s, D, o, "PAM", CANDIDATES_BEST, progress, trace, error))
    return FALSE;
  if (s.k == 1 || s.k == s.n)
    converged = TRUE;
  while (!converged && iter < o->max_iter)
    {
      double best = threshold (&s);
      gssize best_h = -1;
      guint best_m = 0;

      iter++;
      tops_begin (&s);
      for (gsize h = 0; h < s.n; h++)
        {
          const double *col;

          if (s.dn[h] == 0.0 && is_medoid (s.med, s.k, h))
            continue;
          col = column_of (&s, h);
          for (guint m = 0; m < s.k; m++)
            {
              double delta = 0.0;

              for (gsize j = 0; j < s.n; j++)
                {
                  double d = col[j];
                  if (s.near[j] == m)
                    delta += MIN (d, s.ds[j]) - s.dn[j];
                  else if (d < s.dn[j])
                    delta += d - s.dn[j];
                }
              if (s.top != NULL)
                {
                  tops_insert (s.top + (gsize) m * s.top_cap, &s.n_top[m], s.top_cap, delta, h, m);
                  s.evaluated++;
                }
              if (delta < best)
                {
                  best = delta;
                  best_h = (gssize) h;
                  best_m = m;
                }
              if (!swap_tick (&s, s.n, error))
                return FALSE;
            }
        }
      if (best_h < 0)
        {
          converged = TRUE;
          break;
        }
      {
        gsize left = s.med[best_m];
        apply_swap (&s, best_m, (gsize) best_h);
        trace_swap (&s, iter, best_m, left, (gsize) best_h, best);
      }
      if (!swap_progress (&s, iter, s.k, "SWAP"))
        return cs_progress_check (progress, error);
    }
  *out = swap_result (&s, "pam", iter, converged);
  return TRUE;
}

/* ---- FastPAM1 and FasterPAM ---- */

/* For a candidate row with dissimilarities col, the change of loss for replacing each slot m
 * (Schubert & Rousseeuw 2021, the FastPAM1 kernel with FasterPAM's removal loss): delta[m]
 * starts at the loss of removing m alone; each row then either moves to the candidate (a
 * shared gain `acc`, and its own medoid's removal no longer costs) or, if the candidate beats
 * its second, goes there instead of to the second when its medoid leaves. Returns the best
 * slot (the lowest among equals); *total is its Δ. O(n + k). */
static guint
candidate_eval (const Swap   *s,
                const double *col,
                double       *delta,
                double       *total,
                double       *shared)
{
  double acc = 0.0;
  guint best = 0;

  memcpy (delta, s->rloss, s->k * sizeof (double));
  for (gsize j = 0; j < s->n; j++)
    {
      double d = col[j];
      if (d < s->dn[j])
        {
          acc += d - s->dn[j];
          delta[s->near[j]] += s->dn[j] - s->ds[j];
        }
      else if (d < s->ds[j])
        delta[s->near[j]] += d - s->ds[j];
    }
  for (guint m = 1; m < s->k; m++)
    if (delta[m] < delta[best])
      best = m;
  *total = delta[best] + acc;
  if (shared != NULL)
    *shared = acc;
  return best;
}

typedef struct
{
  double delta;
  gssize h;
  guint  m;
} Candidate;

/* The best swap over all candidates, for FastPAM1. Blocks of BLOCK candidates are evaluated
 * in parallel, each thread with its own column buffer; the per-block winners are then compared
 * in block order, so the choice (lowest Δ, ties to the first row, and within a row to the
 * lowest slot) is PAM's and the same on any thread count. */
static gboolean
best_swap (Swap       *s,
           Candidate  *best,
           GError    **error)
{
  gsize n = s->n;
  gsize n_blocks = (n + BLOCK - 1) / BLOCK;
  g_autofree Candidate *winners = g_new (Candidate, n_blocks);
  double limit = threshold (s);
  gint stop = 0;
  /* Trace: each block keeps its best candidates per slot; merged below in block order, so the
   * kept ones do not depend on the thread count. */
  guint cap = s->top_cap;
  g_autofree TraceCand *btop = s->top != NULL ? g_new (TraceCand, n_blocks * s->k * cap) : NULL;
  g_autofree guint *blen = s->top != NULL ? g_new0 (guint, n_blocks * s->k) : NULL;

#pragma omp parallel if (n >= 1024)
  {
    double *blk = g_new (double, BLOCK * n);
    double *delta = g_new (double, s->k);

#pragma omp for schedule(dynamic, 1)
    for (gsize b = 0; b < n_blocks; b++)
      {
        gsize h0 = b * BLOCK;
        gsize count = MIN (BLOCK, n - h0);
        Candidate w = { limit, -1, 0 };

        winners[b] = w;
        if (g_atomic_int_get (&stop))
          continue;
        if (cs_progress_is_cancelled (s->progress))
          {
            g_atomic_int_set (&stop, 1);
            continue;
          }
        cs_dissim_columns (s->D, h0, count, blk);
        for (gsize c = 0; c < count; c++)
          {
            gsize h = h0 + c;
            double total;
            guint m;

            if (s->dn[h] == 0.0 && is_medoid (s->med, s->k, h))
              continue;
            if (btop != NULL)
              {
                double acc;

                m = candidate_eval (s, blk + c * n, delta, &total, &acc);
                for (guint j = 0; j < s->k; j++)
                  tops_insert (btop + (b * s->k + j) * cap, &blen[b * s->k + j], cap,
                               j == m ? total : delta[j] + acc, h, j);
              }
            else
              m = candidate_eval (s, blk + c * n, delta, &total, NULL);
            if (total < w.delta)
              {
                w.delta = total;
                w.h = (gssize) h;
                w.m = m;
              }
          }
        winners[b] = w;
      }
    g_free (blk);
    g_free (delta);
  }
  if (stop)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_CANCELLED, "%s was cancelled", s->name);
      return FALSE;
    }
  if (btop != NULL)
    {
      tops_begin (s);
      for (gsize b = 0; b < n_blocks; b++)
        for (guint j = 0; j < s->k; j++)
          for (guint c = 0; c < blen[b * s->k + j]; c++)
            {
              const TraceCand *t = btop + (b * s->k + j) * cap + c;
              tops_insert (s->top + (gsize) j * cap, &s->n_top[j], cap, t->delta, t->h, j);
            }
      for (gsize h = 0; h < n; h++)
        if (!(s->dn[h] == 0.0 && is_medoid (s->med, s->k, h)))
          s->evaluated += s->k;
    }
  best->delta = limit;
  best->h = -1;
  best->m = 0;
  for (gsize b = 0; b < n_blocks; b++)
    if (winners[b].h >= 0 && winners[b].delta < best->delta)
      *best = winners[b];
  return TRUE;
}

gboolean
cs_fastpam1_run (const CsDissim          *D,
                 const CsKmedoidsOptions *o,
                 CsProgress              *progress,
                 CsTrace                 *trace,
                 CsClustering           **out,
                 GError                 **error)
{
  g_auto (Swap) s = { 0 };
  guint iter = 0;
  gboolean converged = FALSE;

  if (!swap_begin (&s, D, o, "FastPAM1", CANDIDATES_BEST, progress, trace, error))
    return FALSE;
  if (s.k == 1 || s.k == s.n)
    converged = TRUE;
  while (!converged && iter < o->max_iter)
    {
      Candidate best;

      iter++;
      update_removal_loss (&s);
      if (!best_swap (&s, &best, error))
        return FALSE;
      if (best.h < 0)
        {
          converged = TRUE;
          break;
        }
      {
        gsize left = s.med[best.m];
        apply_swap (&s, best.m, (gsize) best.h);
        trace_swap (&s, iter, best.m, left, (gsize) best.h, best.delta);
      }
      if (!swap_progress (&s, iter, s.k, "SWAP"))
        return cs_progress_check (progress, error);
    }
  *out = swap_result (&s, "fastpam1", iter, converged);
  return TRUE;
}

/* Eager swapping (Schubert & Rousseeuw 2021, Algorithm 3): rows are visited in order and the
 * first improving swap for a row is taken at once; a full cycle of n rows without a swap ends
 * the run. One iteration is one pass over the rows. */
gboolean
cs_fasterpam_run (const CsDissim          *D,
                  const CsKmedoidsOptions *o,
                  CsProgress              *progress,
                  CsTrace                 *trace,
                  CsClustering           **out,
                  GError                 **error)
{
  g_auto (Swap) s = { 0 };
  guint iter = 0;
  gboolean converged = FALSE;
  gsize last_swap = G_MAXSIZE;

  if (!swap_begin (&s, D, o, "FasterPAM", CANDIDATES_TRIED, progress, trace, error))
    return FALSE;
  if (s.k == 1 || s.k == s.n)
    converged = TRUE;
  if (!converged)
    update_removal_loss (&s);
  while (!converged && iter < o->max_iter)
    {
      guint swaps_before = s.swaps;

      iter++;
      for (gsize h = 0; h < s.n; h++)
        {
          double delta;
          guint m;

          if (h == last_swap)
            {
              converged = TRUE;
              break;
            }
          if (s.dn[h] == 0.0 && is_medoid (s.med, s.k, h))
            continue;
          m = candidate_eval (&s, column_of (&s, h), s.delta, &delta, NULL);
          if (trace != NULL)
            s.cand[s.n_cand++ % CS_TRACE_MAX_CANDIDATES] = h;
          if (!swap_tick (&s, s.n, error))
            return FALSE;
          if ((h & 1023) == 0 && !swap_progress (&s, iter - 1 + (double) h / s.n, 2.0, "eager SWAP"))
            return cs_progress_check (progress, error);
          if (delta < threshold (&s))
            {
              gsize left = s.med[m];
              apply_swap (&s, m, h);
              update_removal_loss (&s);
              last_swap = h;
              trace_swap (&s, iter, m, left, h, delta);
            }
        }
      if (s.swaps == swaps_before)
        converged = TRUE;
      if (!swap_progress (&s, iter, 2.0, "eager SWAP"))
        return cs_progress_check (progress, error);
    }
  *out = swap_result (&s, "fasterpam", iter, converged);
  return TRUE;
}

/* ---- Alternating ---- */

/* The k-means-style heuristic (Park & Jun 2009 and older): assign every row to its nearest
 * medoid, then move each medoid to the member with the smallest within-cluster sum. Much
 * weaker than SWAP (a medoid never leaves its cluster); here for comparison. */
gboolean
cs_alternating_run (const CsDissim          *D,
                    const CsKmedoidsOptions *o,
                    CsProgress              *progress,
                    CsTrace                 *trace,
                    CsClustering           **out,
                    GError                 **error)
{
  g_auto (Swap) s = { 0 };
  guint iter = 0;
  gboolean converged = FALSE;
  g_autofree gsize *order = NULL;
  g_autofree gsize *start = NULL;
  g_autofree gsize *fill = NULL;

  if (!swap_begin (&s, D, o, "Alternating k-medoids", CANDIDATES_NONE, progress, trace, error))
    return FALSE;
  order = g_new (gsize, s.n);
  start = g_new (gsize, s.k + 1);
  fill = g_new (gsize, s.k);
  if (s.k == 1 || s.k == s.n)
    converged = TRUE;
  while (!converged && iter < o->max_iter)
    {
      guint moved = 0;

      iter++;
      /* Members of each cluster, contiguous and in row order. */
      memset (start, 0, (s.k + 1) * sizeof (gsize));
      for (gsize j = 0; j < s.n; j++)
        start[s.near[j] + 1]++;
      for (guint m = 0; m < s.k; m++)
        start[m + 1] += start[m];
      memcpy (fill, start, s.k * sizeof (gsize));
      for (gsize j = 0; j < s.n; j++)
        order[fill[s.near[j]]++] = j;
      for (guint m = 0; m < s.k; m++)
        {
          gsize size = start[m + 1] - start[m];
          const gsize *mem = order + start[m];
          double cur = 0.0;
          double best;
          gsize best_i = s.med[m];

          for (gsize b = 0; b < size; b++)
            cur += cs_dissim_get (D, s.med[m], mem[b]);
          /* The current medoid stays unless another member is better beyond the tolerance:
           * equal sums must not make medoids wander. */
          best = cur - o->tol * fabs (cur);
          for (gsize a = 0; a < size; a++)
            {
              double t = 0.0;
              for (gsize b = 0; b < size && t < best; b++)
                t += cs_dissim_get (D, mem[a], mem[b]);
              if (t < best)
                {
                  best = t;
                  best_i = mem[a];
                }
              if (!swap_tick (&s, size, error))
                return FALSE;
            }
          if (best_i != s.med[m])
            {
              s.med[m] = best_i;
              moved++;
            }
        }
      if (moved == 0)
        {
          converged = TRUE;
          break;
        }
      assign_all (&s);
      s.swaps += moved;
      if (trace)
        {
          g_autofree char *note = g_strdup_printf ("%u medoid%s moved to the centre of %s cluster", moved,
                                                   moved == 1 ? "" : "s", moved == 1 ? "its" : "their");
          trace_step (&s, iter, note);
        }
      if (!swap_progress (&s, iter, 5.0, "alternating"))
        return cs_progress_check (progress, error);
    }
  *out = swap_result (&s, "alternating", iter, converged);
  return TRUE;
}

/* ---- registry entries ---- */

gboolean
cs_i_kmedoids_run_on_dissim (CsKmedoidsRunFunc fn,
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
  return fn (D, &o, progress, trace, out, error);
}

gboolean
cs_i_kmedoids_run_on_matrix (CsKmedoidsRunFunc fn,
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

  /* Parameters first: a bad k should not cost an n × n matrix. */
  if (!cs_i_kmedoids_options_from_params (params, x->rows, &o, &explicit_medoids, error))
    return FALSE;
  /* The matrix and the run each count from 0 to 1: give each its part of the bar, so it never
   * moves back. */
  matrix_progress = cs_progress_stage_new (&matrix_stage, progress, 0.0, 0.2);
  D = cs_i_kmedoids_dissim_from_params (x, params, matrix_progress, error);
  if (D == NULL || !cs_progress_check (progress, error))
    return FALSE;
  run_progress = cs_progress_stage_new (&run_stage, progress, 0.2, 1.0);
  if (!fn (D, &o, run_progress, trace, out, error))
    return FALSE;
  if (!cs_progress_check (progress, error))
    {
      g_clear_pointer (out, cs_clustering_unref);
      return FALSE;
    }
  (*out)->d = x->cols;
  return TRUE;
}

CS_I_KMEDOIDS_DEFINE_ENTRY_RUNS (pam, cs_pam_run)
CS_I_KMEDOIDS_DEFINE_ENTRY_RUNS (fastpam1, cs_fastpam1_run)
CS_I_KMEDOIDS_DEFINE_ENTRY_RUNS (fasterpam, cs_fasterpam_run)
CS_I_KMEDOIDS_DEFINE_ENTRY_RUNS (alternating, cs_alternating_run)

static const CsParamSpec pam_params[] = {
  CS_I_KMEDOIDS_COMMON_PARAMS (CS_I_KMEDOIDS_K_HELP, "build", CS_I_KMEDOIDS_INIT_HELP (""), PAM_MAX_ITER_HELP),
};

/* FasterPAM's own default: LAB, as the paper recommends for speed (BUILD alone costs O(kn²),
 * more than the eager swaps); BUILD stays one parameter away for the best quality. */
static const CsParamSpec fasterpam_params[] = {
  CS_I_KMEDOIDS_COMMON_PARAMS (CS_I_KMEDOIDS_K_HELP, "lab", CS_I_KMEDOIDS_INIT_HELP ("LAB is the default here."),
                               PAM_MAX_ITER_HELP),
};

const CsAlgorithm cs_algorithm_pam = {
  .id = "pam",
  .name = "PAM",
  .description = "Partitioning Around Medoids (Kaufman & Rousseeuw 1987): BUILD, then the best single swap of a "
                 "medoid for another row until none lowers the total deviation. Clusters around real rows, for "
                 "any dissimilarity; O(k(n−k)²) per swap.",
  .category = "Medoid",
  .dissim_param = "metric",
  .objective = CS_OBJECTIVE_LOSS,
  .params = pam_params,
  .n_params = G_N_ELEMENTS (pam_params),
  .run = pam_run_params,
  .run_dissim = pam_run_dissim,
};

const CsAlgorithm cs_algorithm_fastpam1 = {
  .id = "fastpam1",
  .name = "FastPAM1",
  .description = "PAM with the O(k) faster swap evaluation of Schubert & Rousseeuw, “Fast and Eager k-Medoids "
                 "Clustering” (2021): the same swaps and result as PAM from the same start, about k times faster.",
  .category = "Medoid",
  .dissim_param = "metric",
  .objective = CS_OBJECTIVE_LOSS,
  .params = pam_params,
  .n_params = G_N_ELEMENTS (pam_params),
  .run = fastpam1_run_params,
  .run_dissim = fastpam1_run_dissim,
};

const CsAlgorithm cs_algorithm_fasterpam = {
  .id = "fasterpam",
  .name = "FasterPAM",
  .description = "Eager k-medoids swapping from Schubert & Rousseeuw, “Fast and Eager k-Medoids Clustering” "
                 "(2021): takes the first improving swap for each row in turn; reaches PAM-quality medoids "
                 "many times faster.",
  .category = "Medoid",
  .dissim_param = "metric",
  .objective = CS_OBJECTIVE_LOSS,
  .params = fasterpam_params,
  .n_params = G_N_ELEMENTS (fasterpam_params),
  .run = fasterpam_run_params,
  .run_dissim = fasterpam_run_dissim,
};

const CsAlgorithm cs_algorithm_alternating = {
  .id = "alternating",
  .name = "Alternating k-medoids",
  .description = "The k-means-style heuristic (Park & Jun 2009): assign rows to the nearest medoid, move each "
                 "medoid to its cluster's most central row, repeat. Fast but usually worse than PAM; shown for "
                 "comparison.",
  .category = "Medoid",
  .dissim_param = "metric",
  .objective = CS_OBJECTIVE_LOSS,
  .params = pam_params,
  .n_params = G_N_ELEMENTS (pam_params),
  .run = alternating_run_params,
  .run_dissim = alternating_run_dissim,
};
