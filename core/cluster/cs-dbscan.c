#include "core/cluster/cs-dbscan.h"
#include "core/cluster/cs-trace.h"
#include "core/cluster/cs-registry.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* DBSCAN with scikit-learn's labels, in O(n) memory whatever eps is.
 *
 * scikit-learn stores every row's neighbour list and expands clusters depth first from the
 * rows in order. Its outcome does not depend on the expansion order: a cluster is a connected
 * component of the graph of core rows within eps of each other, clusters are numbered by their
 * lowest core row, and since each cluster is expanded completely before the next one starts, a
 * border row belongs to the lowest-numbered cluster that has a core row within eps of it. So
 * no neighbour list is kept (they are what grows with eps): three passes over the index
 * compute the same thing.
 *   1. Core rows: count neighbours, stopping at min_samples.
 *   2. Components: a concurrent union-find over core pairs within eps. Roots are always the
 *      lowest row of their component (a root is only ever linked under a lower one), so the
 *      result is the same on any thread count and in any order.
 *   3. Border rows: the smallest cluster number among core rows within eps.
 * Memory is the data copied in index order plus a few words per row.
 *
 * The index is a uniform grid of cell size eps on at most three coordinates: all of them for
 * d ≤ 3, the three with the widest range above. A neighbour within eps (Euclidean or
 * Manhattan, both at least the difference in any one coordinate) lies in the same or an
 * adjacent cell of the projection, and every candidate is checked with its exact distance in
 * all d coordinates, so the projection costs speed on data spread over many coordinates,
 * never correctness. Cells are kept sorted by their coordinates, so the cells of one row of
 * the grid that touch a cell are one contiguous run found by binary search (3 runs per cell in
 * 2-D, 9 in 3-D), and each cell looks them up once for all its points.
 *
 * Distances are compared as sklearn's trees do: the sum of squared differences, in coordinate
 * order, against eps², with "within" meaning ≤. */

#define GRID_MAX_DIMS 3
/* Cell coordinates stay exact integers in a double. */
#define GRID_MAX_CELLS_PER_AXIS 1e15

static const char *const metric_choices[] = { "euclidean", "manhattan", NULL };
static const char *const metric_labels[] = { "Euclidean", "Manhattan (city block)", NULL };

static const CsParamSpec dbscan_params[] = {
  { .name = "eps", .label = "Radius (eps)",
    .help = "Rows closer than this are neighbours, in the units of the prepared data; 0 takes the knee of the "
            "k-distance curve (k = min_samples).",
    .type = CS_PARAM_DOUBLE, .min = 0, .max = 1e12, .default_num = 0, .zero_label = "Automatic" },
  { .name = "min_samples", .label = "Neighbours for a core point",
    .help = "A row with at least this many rows within the radius, itself included, is a core point.",
    .type = CS_PARAM_INT, .min = 1, .max = 100000, .default_num = 5 },
  { .name = "metric", .label = "Distance",
    .help = "How the distance between two rows is measured.",
    .type = CS_PARAM_ENUM, .default_str = "euclidean", .choices = metric_choices, .choice_labels = metric_labels,
    .advanced = TRUE },
};

/* The index: rows sorted by their cell, cells sorted by their coordinates. */
typedef struct
{
  gsize   n;
  gsize   d;
  guint   m;                    /* coordinates the grid uses */
  guint   dims[GRID_MAX_DIMS];  /* which ones */
  double  lo[GRID_MAX_DIMS];
  gint64  hi_cell[GRID_MAX_DIMS]; /* largest cell coordinate along each */
  double  step;
  double *pts;                  /* Owned: n × d, rows in cell order */
  gsize  *row;                  /* Owned: row[p] = the data row at position p */
  gsize   n_cells;
  gint64 *key;                  /* Owned: n_cells × m cell coordinates, ascending */
  gsize  *start;                /* Owned: n_cells + 1; cell c holds positions start[c] .. start[c + 1] */
  gsize  *cell_of;              /* Owned: the cell at each position */
} Grid;

static void
grid_free (Grid *g)
{
  g_free (g->pts);
  g_free (g->row);
  g_free (g->key);
  g_free (g->start);
  g_free (g->cell_of);
}

typedef struct
{
  const gint64 *keys;
  guint         m;
  gsize         i;
} SortItem;

static int
cmp_keys (const gint64 *a,
          const gint64 *b,
          guint         m)
{
  for (guint j = 0; j < m; j++)
    if (a[j] != b[j])
      return a[j] < b[j] ? -1 : 1;
  return 0;
}

static int
cmp_rows (gconstpointer a,
          gconstpointer b,
          gpointer      data)
{
  const gint64 *keys = ((const SortItem *) data)->keys;
  guint         m = ((const SortItem *) data)->m;
  gsize         i = *(const gsize *) a;
  gsize         j = *(const gsize *) b;
  int           c = cmp_keys (keys + i * m, keys + j * m, m);

  return c != 0 ? c : (i > j) - (i < j);
}

/* The coordinates with the widest range, at most GRID_MAX_DIMS, in their original order. */
static void
grid_choose_dims (Grid *g, const CsMatrix *x, double *range)
{
  gsize d = x->cols;
  g_autofree double *lo = g_new (double, d);
  g_autofree double *hi = g_new (double, d);
  g_autofree guint8 *chosen = g_new0 (guint8, d);

  for (gsize j = 0; j < d; j++)
    lo[j] = hi[j] = x->rows > 0 ? x->data[j] : 0.0;
  for (gsize i = 0; i < x->rows; i++)
    for (gsize j = 0; j < d; j++)
      {
        double v = x->data[i * d + j];
        lo[j] = MIN (lo[j], v);
        hi[j] = MAX (hi[j], v);
      }
  g->m = (guint) MIN (d, GRID_MAX_DIMS);
  for (guint t = 0; t < g->m; t++)
    {
      gsize best = G_MAXSIZE;
      for (gsize j = 0; j < d; j++)
        if (!chosen[j] && (best == G_MAXSIZE || hi[j] - lo[j] > hi[best] - lo[best]))
          best = j;
      chosen[best] = 1;
    }
  for (gsize j = 0, t = 0; j < d; j++)
    if (chosen[j])
      {
        g->dims[t] = (guint) j;
        g->lo[t] = lo[j];
        range[t] = hi[j] - lo[j];
        t++;
      }
}

/* Builds the index with cells of size `step` (> 0, at most range / 1e15 per axis: checked by
 * the caller) on the coordinates chosen by grid_choose_dims. */
static void
grid_build (Grid *g, const CsMatrix *x, double step)
{
  gsize n = x->rows;
  gsize d = x->cols;
  guint m = g->m;
  g_autofree gint64 *keys = g_new (gint64, n * m);
  g_autofree gsize *order = g_new (gsize, n);
  SortItem item = { keys, m, 0 };

  g->n = n;
  g->d = d;
  g->step = step;
  for (guint t = 0; t < m; t++)
    g->hi_cell[t] = 0;
  for (gsize i = 0; i < n; i++)
    {
      for (guint t = 0; t < m; t++)
        {
          gint64 k = (gint64) floor ((x->data[i * d + g->dims[t]] - g->lo[t]) / step);
          keys[i * m + t] = k;
          g->hi_cell[t] = MAX (g->hi_cell[t], k);
        }
      order[i] = i;
    }
  /* Ties broken by row, so positions within a cell keep the data's order. */
  g_qsort_with_data (order, (gint) n, sizeof (gsize), cmp_rows, &item);
  g->pts = g_new (double, n * d);
  g->row = g_new (gsize, n);
  g->cell_of = g_new (gsize, n);
  g->key = g_new (gint64, MAX (n, 1) * m);
  g->start = g_new (gsize, n + 1);
  g->n_cells = 0;
  for (gsize p = 0; p < n; p++)
    {
      gsize i = order[p];
      memcpy (g->pts + p * d, x->data + i * d, d * sizeof (double));
      g->row[p] = i;
      if (p == 0 || cmp_keys (keys + order[p - 1] * m, keys + i * m, m) != 0)
        {
          memcpy (g->key + g->n_cells * m, keys + i * m, m * sizeof (gint64));
          g->start[g->n_cells++] = p;
        }
      g->cell_of[p] = g->n_cells - 1;
    }
  g->start[g->n_cells] = n;
}

/* The first cell whose coordinates are ≥ key. */
static gsize
grid_lower_bound (const Grid *g, const gint64 *key)
{
  gsize lo = 0;
  gsize hi = g->n_cells;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;
      if (cmp_keys (g->key + mid * g->m, key, g->m) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Appends to `runs` (pairs of positions [a, b)) the points of the cells at Chebyshev distance
 * exactly r from `cell` in the grid (r = 0: the cell itself), or with `box` at most r. */
static void
grid_ring (const Grid *g, const gint64 *cell, gint64 r, gboolean box, GArray *runs)
{
  guint  m = g->m;
  gint64 off[GRID_MAX_DIMS] = { 0 };
  gint64 probe[GRID_MAX_DIMS];
  gint64 n_prefix = 1;

  for (guint t = 0; t + 1 < m; t++)
    n_prefix *= 2 * r + 1;
  for (gint64 pi = 0; pi < n_prefix; pi++)
    {
      gint64   rest = pi;
      gint64   maxabs = 0;
      gboolean outside = FALSE;
      gint64   ends[2][2];
      guint    n_ends;

      for (guint t = 0; t + 1 < m; t++)
        {
          off[t] = rest % (2 * r + 1) - r;
          rest /= 2 * r + 1;
          maxabs = MAX (maxabs, ABS (off[t]));
          probe[t] = cell[t] + off[t];
          if (probe[t] < 0 || probe[t] > g->hi_cell[t])
            outside = TRUE;
        }
      if (outside)
        continue;
      /* Along the last coordinate: the whole span on the ring's faces, else its two ends. */
      if (maxabs == r || box)
        {
          ends[0][0] = cell[m - 1] - r;
          ends[0][1] = cell[m - 1] + r;
          n_ends = 1;
        }
      else
        {
          ends[0][0] = ends[0][1] = cell[m - 1] - r;
          ends[1][0] = ends[1][1] = cell[m - 1] + r;
          n_ends = 2;
        }
      for (guint e = 0; e < n_ends; e++)
        {
          gsize a;
          gsize b;
          gint64 lo = MAX (ends[e][0], 0);
          gint64 hi = MIN (ends[e][1], g->hi_cell[m - 1]);
          if (lo > hi)
            continue;
          probe[m - 1] = lo;
          a = grid_lower_bound (g, probe);
          probe[m - 1] = hi + 1;
          b = grid_lower_bound (g, probe);
          if (a < b)
            {
              gsize run[2] = { g->start[a], g->start[b] };
              g_array_append_vals (runs, run, 2);
            }
        }
    }
}

/* Sum of squares (Euclidean) or of absolute differences (Manhattan), stopped early once it
 * passes `limit` (any value above it is as good as the exact one to the callers). */
static inline double
partial_dist (const double  *a,
              const double  *b,
              gsize          d,
              CsDbscanMetric metric,
              double         limit)
{
  double s = 0.0;

  if (metric == CS_DBSCAN_MANHATTAN)
    for (gsize j = 0; j < d; j++)
      {
        s += fabs (a[j] - b[j]);
        if (s > limit)
          return s;
      }
  else
    for (gsize j = 0; j < d; j++)
      {
        double t = a[j] - b[j];
        s += t * t;
        if (s > limit)
          return s;
      }
  return s;
}

static gboolean
check_input (const CsMatrix *x,
             guint           min_samples,
             GError        **error)
{
  gsize n = x->rows;
  gsize d = x->cols;

  if (n == 0 || d == 0)
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "DBSCAN needs at least one row and one column");
      return FALSE;
    }
  if (min_samples < 1)
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_PARAMETER, "min_samples must be at least 1");
      return FALSE;
    }
  for (gsize i = 0; i < n * d; i++)
    if (!isfinite (x->data[i]))
      {
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "Row %" G_GSIZE_FORMAT " has a missing or infinite value; drop or impute it first", i / d + 1);
        return FALSE;
      }
  /* The copy in index order, cell keys, order, positions, flags and parents. */
  return cs_memory_check ((guint64) n * (d * sizeof (double) + 8 * sizeof (gsize) + GRID_MAX_DIMS * 8 + 2),
                          "DBSCAN's spatial index", "cluster a sample of the rows, or fewer columns", error);
}

/* Concurrent union-find over positions; a root's row is the lowest of its component's. */
static gsize
uf_find (gsize *parent, gsize p)
{
  for (;;)
    {
      gsize q = __atomic_load_n (&parent[p], __ATOMIC_RELAXED);
      gsize r;
      if (q == p)
        return p;
      r = __atomic_load_n (&parent[q], __ATOMIC_RELAXED);
      if (r != q)
        __atomic_compare_exchange_n (&parent[p], &q, r, FALSE, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
      p = r;
    }
}

static void
uf_union (gsize *parent, const gsize *row, gsize a, gsize b)
{
  for (;;)
    {
      gsize expected;
      a = uf_find (parent, a);
      b = uf_find (parent, b);
      if (a == b)
        return;
      if (row[a] > row[b])
        {
          gsize t = a;
          a = b;
          b = t;
        }
      /* Link the root with the higher row under the lower; fails if b stopped being a root. */
      expected = b;
      if (__atomic_compare_exchange_n (&parent[b], &expected, a, FALSE, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
        return;
    }
}

typedef enum
{
  PASS_CORE,
  PASS_UNION,
  PASS_BORDER,
} Pass;

typedef struct
{
  const Grid    *g;
  CsDbscanMetric metric;
  double         limit;   /* eps² or eps */
  guint          min_samples;
  guint8        *core;    /* by position */
  gsize         *parent;  /* by position */
  int           *label;   /* by position */
} Scan;

/* One pass over every position, in one parallel region: a region per chunk would meet at a
 * barrier per chunk, and on a machine with more runnable threads than cores each barrier
 * waits for a descheduled thread (6 times slower on 2 threads than on 1, measured). Cells are
 * independent within a pass (PASS_UNION's merges commute), so the outcome does not depend on
 * the thread count. The calling thread (thread 0) reports progress. */
static gboolean
run_pass (const Scan *s, Pass pass, CsProgress *progress, double lo, double hi, GError **error)
{
  static const char *const stages[] = { "DBSCAN: core points", "DBSCAN: clusters", "DBSCAN: border points" };
  const Grid *g = s->g;
  gsize       d = g->d;
  gint        stop = 0;
  gsize       rows_done = 0;

#pragma omp parallel
  {
    g_autoptr (GArray) runs = g_array_new (FALSE, FALSE, sizeof (gsize));
    guint work = 0;

#pragma omp for schedule(dynamic, 16)
    for (gsize c = 0; c < g->n_cells; c++)
      {
        gsize done;
        if (g_atomic_int_get (&stop))
          continue;
        g_array_set_size (runs, 0);
        grid_ring (g, g->key + c * g->m, 1, TRUE, runs);
        for (gsize p = g->start[c]; p < g->start[c + 1]; p++)
          {
            const double *a = g->pts + p * d;
            const gsize  *rv = (const gsize *) runs->data;
            guint         count = 0;
            int           best = -1;

            if ((pass == PASS_UNION && !s->core[p]) || (pass == PASS_BORDER && s->core[p]))
              continue;
            for (guint r = 0; r < runs->len; r += 2)
              {
                gsize q0 = rv[r];
                gsize q1 = rv[r + 1];
                if (pass == PASS_UNION)
                  q1 = MIN (q1, p); /* each pair once, from its later position */
                for (gsize q = q0; q < q1; q++)
                  {
                    if (pass != PASS_CORE && !s->core[q])
                      continue;
                    if (pass == PASS_BORDER && best >= 0 && s->label[q] >= best)
                      continue;
                    if (partial_dist (a, g->pts + q * d, d, s->metric, s->limit) > s->limit)
                      continue;
                    if (pass == PASS_CORE)
                      count++;
                    else if (pass == PASS_UNION)
                      uf_union (s->parent, g->row, p, q);
                    else
                      best = s->label[q];
                  }
                if (pass == PASS_CORE && count >= s->min_samples)
                  break;
              }
            if (pass == PASS_CORE)
              s->core[p] = count >= s->min_samples;
            else if (pass == PASS_BORDER)
              s->label[p] = best;
            /* With a large eps one cell can hold most of the data: check within cells too. */
            if ((++work & 255) == 0 && cs_progress_is_cancelled (progress))
              g_atomic_int_set (&stop, 1);
          }
        done = __atomic_add_fetch (&rows_done, g->start[c + 1] - g->start[c], __ATOMIC_RELAXED);
        if (omp_get_thread_num () == 0)
          cs_progress_report (progress, lo + (hi - lo) * done / g->n, stages[pass]);
      }
  }
  return cs_progress_check (progress, error);
}

void
cs_dbscan_options_init (CsDbscanOptions *options)
{
  g_return_if_fail (options != NULL);
  options->eps = 0.0;
  options->min_samples = 5;
  options->metric = CS_DBSCAN_EUCLIDEAN;
}

/* Cell size for a grid whose ranges are `range`: `want`, raised where the number of cells
 * along an axis would no longer be exact. */
static double
grid_step (const Grid *g, const double *range, double want)
{
  double step = want;

  for (guint t = 0; t < g->m; t++)
    step = MAX (step, range[t] / GRID_MAX_CELLS_PER_AXIS);
  return step;
}

static gboolean
k_distance_sorted_positions (const CsMatrix *x,
                             guint           k,
                             CsDbscanMetric  metric,
                             CsProgress     *progress,
                             double         *kdist,
                             GError        **error)
{
  gsize  n = x->rows;
  gsize  d = x->cols;
  Grid   g = { 0 };
  double range[GRID_MAX_DIMS] = { 0 };
  double volume = 1.0;
  double span = 0.0;
  double step;
  guint  used = 0;
  gint   stop = 0;
  gsize  rows_done = 0;

  grid_choose_dims (&g, x, range);
  /* Cells holding about k rows each if the rows were spread evenly over the box. */
  for (guint t = 0; t < g.m; t++)
    if (range[t] > 0.0)
      {
        volume *= range[t];
        used++;
        span = MAX (span, range[t]);
      }
  step = used > 0 ? pow (volume * k / (double) n, 1.0 / used) : 1.0;
  if (!(step > 0.0) || !isfinite (step))
    step = span > 0.0 ? span : 1.0;
  step = grid_step (&g, range, step);
  grid_build (&g, x, step);

  /* One parallel region, as run_pass. */
#pragma omp parallel
  {
    g_autoptr (GArray) runs = g_array_new (FALSE, FALSE, sizeof (gsize));
    g_autoptr (GArray) ring_end = g_array_new (FALSE, FALSE, sizeof (guint));
    g_autofree double *best = g_new (double, k);
    guint work = 0;

#pragma omp for schedule(dynamic, 16)
    for (gsize c = 0; c < g.n_cells; c++)
      {
        const gint64 *cell = g.key + c * g.m;
        gint64 r_max = 0;
        gsize  done;
        if (g_atomic_int_get (&stop))
          continue;
        for (guint t = 0; t < g.m; t++)
          r_max = MAX (r_max, MAX (cell[t], g.hi_cell[t] - cell[t]));
        /* The rings around the cell, built as far as some point of it needs them. */
        g_array_set_size (runs, 0);
        g_array_set_size (ring_end, 0);
        for (gsize p = g.start[c]; p < g.start[c + 1]; p++)
          {
            const double *a = g.pts + p * d;
            guint have = 0;
            for (gint64 r = 0; r <= r_max; r++)
              {
                const gsize *rv;
                double reach;
                guint e0;
                if ((guint) r >= ring_end->len)
                  {
                    guint end;
                    grid_ring (&g, cell, r, FALSE, runs);
                    end = runs->len;
                    g_array_append_val (ring_end, end);
                  }
                rv = (const gsize *) runs->data;
                e0 = r == 0 ? 0 : g_array_index (ring_end, guint, r - 1);
                for (guint e = e0; e < g_array_index (ring_end, guint, r); e += 2)
                  for (gsize q = rv[e]; q < rv[e + 1]; q++)
                    {
                      double limit = have == k ? best[k - 1] : INFINITY;
                      double v = partial_dist (a, g.pts + q * d, d, metric, limit);
                      guint at;
                      if (v >= limit)
                        continue;
                      /* Insert into the ascending list, dropping the k + 1-th. */
                      at = have < k ? have++ : k - 1;
                      while (at > 0 && best[at - 1] > v)
                        {
                          best[at] = best[at - 1];
                          at--;
                        }
                      best[at] = v;
                    }
                /* Rows not seen yet differ by more than r cells in some coordinate. */
                reach = r * step * (1.0 - 1e-12);
                if (metric == CS_DBSCAN_EUCLIDEAN)
                  reach *= reach;
                if (have == k && best[k - 1] <= reach)
                  break;
              }
            kdist[p] = metric == CS_DBSCAN_EUCLIDEAN ? sqrt (best[k - 1]) : best[k - 1];
            if ((++work & 63) == 0 && cs_progress_is_cancelled (progress))
              g_atomic_int_set (&stop, 1);
          }
        done = __atomic_add_fetch (&rows_done, g.start[c + 1] - g.start[c], __ATOMIC_RELAXED);
        if (omp_get_thread_num () == 0)
          cs_progress_report (progress, (double) done / n, "k-distances");
      }
  }
  if (!cs_progress_check (progress, error))
    {
      grid_free (&g);
      return FALSE;
    }
  /* Back to row order, then sorted (the sort makes the order irrelevant, but keep it cheap to
   * reuse). */
  {
    g_autofree double *tmp = g_memdup2 (kdist, n * sizeof (double));
    for (gsize p = 0; p < n; p++)
      kdist[g.row[p]] = tmp[p];
  }
  grid_free (&g);
  qsort (kdist, n, sizeof (double), cs_compare_doubles);
  return TRUE;
}

gboolean
cs_dbscan_k_distance (const CsMatrix *x,
                      guint           k,
                      CsDbscanMetric  metric,
                      CsProgress     *progress,
                      double        **out,
                      GError        **error)
{
  g_autofree double *kdist = NULL;

  g_return_val_if_fail (x != NULL && out != NULL, FALSE);
  if (!check_input (x, k, error))
    return FALSE;
  if (k > x->rows)
    {
      g_autofree char *ks = cs_format_count (k);
      g_autofree char *ns = cs_format_count (x->rows);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "The k-distance needs k (%s) at most the number of rows (%s); choose a smaller min_samples", ks,
                   ns);
      return FALSE;
    }
  kdist = g_new (double, x->rows);
  if (!k_distance_sorted_positions (x, k, metric, progress, kdist, error))
    return FALSE;
  *out = g_steal_pointer (&kdist);
  return TRUE;
}

double
cs_dbscan_knee (const double *sorted,
                gsize         n)
{
  double span;
  double best = -INFINITY;
  gsize  at = n > 0 ? n - 1 : 0;

  g_return_val_if_fail (sorted != NULL || n == 0, 0.0);
  if (n == 0)
    return 0.0;
  span = sorted[n - 1] - sorted[0];
  if (n < 3 || !(span > 0.0))
    return sorted[n - 1];
  for (gsize i = 0; i < n; i++)
    {
      /* Distance below the chord y = x, up to the constant 1/√2. */
      double gap = (double) i / (n - 1) - (sorted[i] - sorted[0]) / span;
      if (gap > best)
        {
          best = gap;
          at = i;
        }
    }
  return sorted[at];
}

/* Playback of a DBSCAN run as a scan from row 0 would find it (the numbering of the
 * clusters is that order): nothing visited, then one cluster after another with its core
 * and border points (batched so that there are at most MAX_DISCOVERY_STEPS steps), then the
 * noise. The passes above run in grid order, so the steps are rebuilt from the result; they
 * show what is found, not the order the grid visited rows in. */
#define MAX_DISCOVERY_STEPS 200

static void
trace_discovery (CsTrace *trace, const CsClustering *c)
{
  gsize n = c->n;
  guint k = c->k;
  guint per = MAX (1, (k + MAX_DISCOVERY_STEPS - 1) / MAX_DISCOVERY_STEPS);
  g_autofree int *labels = g_new (int, n);
  g_autofree guint8 *kinds = g_new (guint8, n);
  CsTraceStep *step;
  guint it = 0;

  if (!cs_trace_plan (trace, n, k, 0, CS_TRACE_RECORDS_LABELS | CS_TRACE_RECORDS_POINT_KINDS))
    return;
  for (gsize i = 0; i < n; i++)
    {
      labels[i] = -1;
      kinds[i] = CS_TRACE_UNVISITED;
    }
  step = cs_trace_push (trace, CS_TRACE_STEP_INIT, it++, labels, n, k, NAN, 0, "no point visited yet");
  cs_trace_step_set_point_kinds (step, kinds, n);
  for (guint j0 = 0; j0 < k; j0 += per)
    {
      guint j1 = MIN (k, j0 + per);
      gsize n_core = 0;
      gsize n_border = 0;
      g_autofree char *cores = NULL;
      g_autofree char *borders = NULL;
      g_autofree char *note = NULL;

      for (gsize i = 0; i < n; i++)
        if (c->labels[i] >= (int) j0 && c->labels[i] < (int) j1)
          {
            labels[i] = c->labels[i];
            kinds[i] = c->point_kinds[i];
            n_core += c->point_kinds[i] == CS_POINT_CORE;
            n_border += c->point_kinds[i] == CS_POINT_BORDER;
          }
      cores = cs_format_count (n_core);
      borders = cs_format_count (n_border);
      note = j1 - j0 == 1 ? g_strdup_printf ("cluster %u expanded: %s core, %s border points", j0 + 1, cores, borders)
                          : g_strdup_printf ("clusters %u–%u expanded: %s core, %s border points", j0 + 1, j1, cores,
                                             borders);
      step = cs_trace_push (trace, CS_TRACE_STEP_DISCOVER, it++, labels, n, k, NAN, n_core + n_border, note);
      cs_trace_step_set_point_kinds (step, kinds, n);
    }
  {
    g_autofree char *noise = cs_format_count ((gsize) c->objective);
    g_autofree char *note = g_strdup_printf ("the %s points no cluster reached are noise", noise);

    step = cs_trace_push (trace, CS_TRACE_STEP_FINAL, it, c->labels, n, k, c->objective, (gsize) c->objective, note);
    cs_trace_step_set_point_kinds (step, c->point_kinds, n);
  }
}

gboolean
cs_dbscan_run (const CsMatrix        *x,
               const CsDbscanOptions *options,
               CsProgress            *progress,
               CsTrace               *trace,
               CsClustering         **out,
               double                *eps_used,
               GError               **error)
{
  gsize  n;
  gsize  d;
  double eps;
  double range[GRID_MAX_DIMS] = { 0 };
  double lo = 0.0;
  Grid   g = { 0 };
  Scan   s = { 0 };
  g_autofree guint8 *core = NULL;
  g_autofree gsize *parent = NULL;
  g_autofree int *label = NULL;
  g_autofree int *cluster_of_root = NULL;
  CsClustering *c;
  guint  k = 0;
  gsize  n_noise = 0;

  g_return_val_if_fail (x != NULL && options != NULL && out != NULL, FALSE);
  n = x->rows;
  d = x->cols;
  eps = options->eps;
  if (!check_input (x, options->min_samples, error))
    return FALSE;
  if (!(eps >= 0.0) || !isfinite (eps))
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_PARAMETER,
                           "eps must be a positive, finite radius, or 0 to choose it from the k-distance curve");
      return FALSE;
    }
  if (eps == 0.0)
    {
      g_autofree double *kdist = NULL;
      CsProgressRange    range_kd;
      g_autoptr (CsProgress) stage = cs_progress_stage_new (&range_kd, progress, 0.0, 0.5);
      guint kk = MIN (options->min_samples, (guint) MIN (n, G_MAXUINT));

      if (!cs_dbscan_k_distance (x, kk, options->metric, stage, &kdist, error))
        return FALSE;
      if (!cs_progress_check (progress, error))
        return FALSE;
      eps = cs_dbscan_knee (kdist, n);
      if (!(eps > 0.0))
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "Every row has %u identical rows or more, so the k-distance curve is 0 and gives no radius; "
                       "give one (-p eps=VALUE)", kk);
          return FALSE;
        }
      lo = 0.5;
    }

  grid_choose_dims (&g, x, range);
  for (guint t = 0; t < g.m; t++)
    if (range[t] / eps > GRID_MAX_CELLS_PER_AXIS)
      {
        g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                     "eps = %g is too small for data spread over %g units (more than 10¹⁵ radii along a "
                     "coordinate); choose a larger eps or rescale the data", eps, range[t]);
        return FALSE;
      }
  /* Cells a hair wider than eps: a pair exactly eps apart must not land two cells apart
   * through the rounding of (x - lo) / step. */
  grid_build (&g, x, eps * (1.0 + 1e-9));
  core = g_new0 (guint8, n);
  parent = g_new (gsize, n);
  label = g_new (int, n);
  for (gsize p = 0; p < n; p++)
    {
      parent[p] = p;
      label[p] = -1;
    }
  s.g = &g;
  s.metric = options->metric;
  s.limit = options->metric == CS_DBSCAN_EUCLIDEAN ? eps * eps : eps;
  s.min_samples = options->min_samples;
  s.core = core;
  s.parent = parent;
  s.label = label;

  if (!run_pass (&s, PASS_CORE, progress, lo, lo + (1.0 - lo) * 0.4, error)
      || !run_pass (&s, PASS_UNION, progress, lo + (1.0 - lo) * 0.4, lo + (1.0 - lo) * 0.75, error))
    {
      grid_free (&g);
      return FALSE;
    }

  /* Clusters numbered by their lowest core row, as scikit-learn's scan from row 0 does. */
  {
    g_autofree gsize *pos = g_new (gsize, n);
    for (gsize p = 0; p < n; p++)
      pos[g.row[p]] = p;
    cluster_of_root = g_new (int, n);
    for (gsize i = 0; i < n; i++)
      {
        gsize p = pos[i];
        if (core[p] && uf_find (parent, p) == p)
          cluster_of_root[p] = (int) k++;
      }
    for (gsize p = 0; p < n; p++)
      if (core[p])
        label[p] = cluster_of_root[uf_find (parent, p)];
  }

  if (!run_pass (&s, PASS_BORDER, progress, lo + (1.0 - lo) * 0.75, 1.0, error))
    {
      grid_free (&g);
      return FALSE;
    }

  c = cs_clustering_new ("dbscan", n, d, k);
  c->point_kinds = g_new (guint8, n);
  for (gsize p = 0; p < n; p++)
    {
      gsize i = g.row[p];
      c->labels[i] = label[p];
      c->point_kinds[i] = core[p] ? CS_POINT_CORE : label[p] >= 0 ? CS_POINT_BORDER : CS_POINT_NOISE;
      n_noise += label[p] < 0;
    }
  grid_free (&g);
  c->objective = (double) n_noise;
  c->objective_name = "noise points";
  c->iterations = 1;
  c->converged = TRUE;
  if (eps_used != NULL)
    *eps_used = eps;
  if (trace)
    trace_discovery (trace, c);
  cs_progress_report (progress, 1.0, "DBSCAN");
  *out = c;
  return TRUE;
}

static gboolean
dbscan_run_params (const CsMatrix *x,
                   const CsParams *params,
                   CsProgress     *progress,
                   CsTrace        *trace,
                   CsClustering  **out,
                   GError        **error)
{
  CsDbscanOptions o;
  char            buf[G_ASCII_DTOSTR_BUF_SIZE];
  double          eps = 0.0;

  cs_dbscan_options_init (&o);
  o.eps = cs_params_get_double (params, "eps");
  o.min_samples = (guint) cs_params_get_int (params, "min_samples");
  o.metric = g_str_equal (cs_params_get_string (params, "metric"), "manhattan") ? CS_DBSCAN_MANHATTAN
                                                                                 : CS_DBSCAN_EUCLIDEAN;
  if (!cs_dbscan_run (x, &o, progress, trace, out, &eps, error))
    return FALSE;
  /* The result records the radius it used, also the knee's (0), so its JSON and a command
   * copied from it reproduce the run. */
  (*out)->params = cs_params_copy (params);
  cs_params_set ((*out)->params, "eps", cs_format_double (buf, sizeof buf, eps), NULL);
  return TRUE;
}

const CsAlgorithm cs_algorithm_dbscan = {
  .id = "dbscan",
  .name = "DBSCAN",
  .description = "Density-based clustering: rows with at least min_samples neighbours within eps are core points, "
                 "core points within eps of each other share a cluster, their other neighbours join it as border "
                 "points, and the rest is noise. The number of clusters follows from eps and min_samples.",
  .category = "Density",
  .objective = CS_OBJECTIVE_NONE,
  .marks_noise = TRUE,
  .params = dbscan_params,
  .n_params = G_N_ELEMENTS (dbscan_params),
  .run = dbscan_run_params,
};
