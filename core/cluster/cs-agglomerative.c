#include "core/cluster/cs-agglomerative.h"
#include "core/cluster/cs-agglomerative-private.h"
#include "core/cluster/cs-registry.h"
#include "core/cluster/cs-trace.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Scans of fewer active clusters than this (times d) run on one thread: the chain starts a
 * scan per step, and on a loaded 2-core machine a parallel region per scan made Ward on
 * 5,000 × 8 six times slower than one thread. */
#define PARALLEL_MIN_WORK 262144
/* Scans split into this many fixed slices whatever the thread count, and the slices' minima
 * combine in a fixed order, so the chosen neighbour never depends on the threads. */
#define N_SLICES 16
#define DEFAULT_TRACE_STEPS 500

static const char *const linkage_ids[] = { "ward", "average", "complete", "single", NULL };
static const char *const linkage_labels[] = { "Ward (least variance increase)", "Average (UPGMA)",
                                              "Complete (farthest pair)", "Single (nearest pair)", NULL };
static const char *const metric_choices[] = { "euclidean", "sqeuclidean", "manhattan", "cosine", "gower",
                                              "precomputed", NULL };
static const char *const metric_labels[] = { "Euclidean", "Squared Euclidean", "Manhattan (city block)",
                                             "Cosine", "Gower (mixed columns)", "Precomputed (distance file)",
                                             NULL };

static const CsParamSpec agglomerative_params[] = {
  { .name = "linkage", .label = "Linkage",
    .help = "How the distance between two clusters is measured: Ward merges the pair that least increases the "
            "within-cluster variance; average, complete and single use the mean, largest and smallest distance "
            "between their rows.",
    .type = CS_PARAM_ENUM, .default_str = "ward", .choices = linkage_ids, .choice_labels = linkage_labels },
  { .name = "k", .label = "Clusters (k)",
    .help = "Cut the tree into this many clusters (unless a cut height is given).",
    .type = CS_PARAM_INT, .min = 1, .max = 1000000, .default_num = 3 },
  { .name = "height", .label = "Cut height",
    .help = "Cut the tree at this merge height instead: merges at or below it are kept (0: cut into k "
            "clusters).",
    .type = CS_PARAM_DOUBLE, .min = 0, .max = 1e300, .default_num = 0, .zero_label = "Not used" },
  { .name = "metric", .label = "Distance",
    .help = "The distance between two rows; Ward and single linkage on Euclidean distances need no n × n "
            "matrix.",
    .type = CS_PARAM_ENUM, .default_str = "euclidean", .choices = metric_choices, .choice_labels = metric_labels,
    .advanced = TRUE },
};

const char *
cs_linkage_id (CsLinkage linkage)
{
  g_return_val_if_fail ((guint) linkage < 4, "ward");
  return linkage_ids[linkage];
}

gboolean
cs_linkage_from_id (const char *id,
                    CsLinkage  *linkage)
{
  for (guint i = 0; linkage_ids[i] != NULL; i++)
    if (id != NULL && strcmp (id, linkage_ids[i]) == 0)
      {
        *linkage = (CsLinkage) i;
        return TRUE;
      }
  return FALSE;
}

void
cs_agglomerative_options_init (CsAgglomerativeOptions *options)
{
  options->linkage = CS_LINKAGE_WARD;
  options->metric = CS_METRIC_EUCLIDEAN;
  options->k = 3;
  options->height = 0.0;
}

gboolean
cs_agglomerative_needs_matrix (CsLinkage linkage,
                               CsMetric  metric)
{
  if (linkage == CS_LINKAGE_SINGLE)
    return FALSE;
  return !(linkage == CS_LINKAGE_WARD && metric == CS_METRIC_EUCLIDEAN);
}

guint64
cs_agglomerative_bytes (gsize    n,
                        gboolean uses_matrix)
{
  guint64 b = (guint64) n * 64;

  if (uses_matrix && n > 1)
    b += (guint64) n * (n - 1) / 2 * sizeof (double);
  return b;
}

/* The largest n whose matrix fits `budget` bytes: n(n−1)/2 · 8 ≤ budget. */
static gsize
max_rows_for (guint64 budget)
{
  double n = floor ((1.0 + sqrt (1.0 + 8.0 * ((double) budget / sizeof (double)))) / 2.0);
  while (n > 2 && cs_agglomerative_bytes ((gsize) n, TRUE) > budget)
    n -= 1;
  return (gsize) n;
}

static gboolean
check_memory (gsize n, CsLinkage linkage, GError **error)
{
  guint64 need = cs_agglomerative_bytes (n, TRUE);
  guint64 budget = cs_memory_budget ();
  g_autofree char *rows = NULL;
  g_autofree char *fit = NULL;

  if (need <= budget)
    return TRUE;
  rows = cs_format_count (n);
  fit = cs_format_count (max_rows_for (budget));
  g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE,
               "%s linkage on %s rows needs an n × n distance matrix of %.2f GiB, more than the %.2f GiB "
               "memory budget (at most %s rows fit); Ward or single linkage on Euclidean distances needs no "
               "matrix, or use k-means or FastCLARA",
               linkage == CS_LINKAGE_WARD      ? "Ward"
               : linkage == CS_LINKAGE_AVERAGE ? "Average"
                                               : "Complete",
               rows, need / 1073741824.0, budget / 1073741824.0, fit);
  return FALSE;
}

static inline gsize
tri (gsize a, gsize b)
{
  /* packed strict lower triangle, as CsDissim */
  return a > b ? a * (a - 1) / 2 + b : b * (b - 1) / 2 + a;
}

/* The nearest-neighbour chain on n clusters. The active clusters are kept in a sorted array
 * (pos → id) so that a scan touches only live entries; a merge of x < y keeps the new cluster
 * under y (SciPy's and fastcluster's convention), so Z rows read as SciPy's before relabelling. */
typedef struct
{
  gsize   n;
  gsize   d;        /* coordinates per centroid (Ward on centroids), else 0 */
  double *D;        /* Owned or NULL: packed matrix (matrix mode) */
  double *cent;     /* Owned or NULL: centroids by position, m × d (centroid mode) */
  gsize  *act;      /* active ids, ascending */
  double *size_act; /* cluster sizes by position (centroid mode) */
  gsize  *size;     /* cluster sizes by id (0: merged away) */
  gsize   m;        /* active clusters */
  CsLinkage linkage;
} Chain;

typedef struct
{
  double v;
  gsize  id;
  gsize  pos;
} Best;

static inline gboolean
better (double v, gsize id, const Best *b)
{
  return v < b->v || (v == b->v && id < b->id);
}

static gsize
pos_of (const Chain *c, gsize id)
{
  gsize lo = 0, hi = c->m;

  while (lo < hi)
    {
      gsize mid = (lo + hi) / 2;
      if (c->act[mid] < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  g_assert (lo < c->m && c->act[lo] == id);
  return lo;
}

/* Ward's squared distance between the clusters at positions p and q of the centroid array. */
static inline double
ward_sq (const Chain *c, gsize p, gsize q)
{
  double np = c->size_act[p], nq = c->size_act[q];
  return 2.0 * np * nq / (np + nq) * cs_sqdist (c->cent + p * c->d, c->cent + q * c->d, c->d);
}

static inline double
chain_dist (const Chain *c, gsize px, gsize pi)
{
  if (c->D != NULL)
    return c->D[tri (c->act[px], c->act[pi])];
  return ward_sq (c, px, pi);
}

/* The nearest active cluster to the one at position px, lowest id among equals. */
static Best
nearest (const Chain *c, gsize px)
{
  Best  slice[N_SLICES];
  Best  best = { INFINITY, G_MAXSIZE, G_MAXSIZE };
  gsize m = c->m;
  gsize work = m * MAX (c->d, 1);

#pragma omp parallel for schedule(static) if (work >= PARALLEL_MIN_WORK)
  for (int s = 0; s < N_SLICES; s++)
    {
      gsize lo = m * (gsize) s / N_SLICES, hi = m * (gsize) (s + 1) / N_SLICES;
      Best  b = { INFINITY, G_MAXSIZE, G_MAXSIZE };

      for (gsize p = lo; p < hi; p++)
        {
          double v;
          if (p == px)
            continue;
          v = chain_dist (c, px, p);
          if (v < b.v)
            {
              b.v = v;
              b.id = c->act[p];
              b.pos = p;
            }
        }
      slice[s] = b;
    }
  for (int s = 0; s < N_SLICES; s++)
    if (slice[s].pos != G_MAXSIZE && better (slice[s].v, slice[s].id, &best))
      best = slice[s];
  if (best.pos == G_MAXSIZE)
    {
      /* Every distance is infinite (overflow) or NaN: the lowest other cluster, as SciPy's scan
       * keeps its first candidate. */
      best.pos = px == 0 ? 1 : 0;
      best.id = c->act[best.pos];
      best.v = chain_dist (c, px, best.pos);
    }
  return best;
}

/* Lance–Williams: the distance from cluster i to x ∪ y (SciPy's _hierarchy_distance_update). */
static inline double
lance_williams (CsLinkage linkage, double dxi, double dyi, double dxy, double nx, double ny, double ni)
{
  switch (linkage)
    {
    case CS_LINKAGE_COMPLETE:
      return MAX (dxi, dyi);
    case CS_LINKAGE_AVERAGE:
      return (nx * dxi + ny * dyi) / (nx + ny);
    case CS_LINKAGE_WARD:
    default:
      {
        double t = 1.0 / (nx + ny + ni);
        return sqrt ((ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * dxy * dxy);
      }
    }
}

static void
chain_merge (Chain *c, gsize x, gsize y, double dxy)
{
  gsize  px = pos_of (c, x), py = pos_of (c, y);
  double nx = (double) c->size[x], ny = (double) c->size[y];

  if (c->D != NULL)
    {
      double *D = c->D;
      gsize   m = c->m;
      CsLinkage linkage = c->linkage;
      const gsize *act = c->act;
      const gsize *size = c->size;

#pragma omp parallel for schedule(static) if (m >= PARALLEL_MIN_WORK)
      for (gsize p = 0; p < m; p++)
        {
          gsize i = act[p];
          if (i == x || i == y)
            continue;
          D[tri (i, y)] = lance_williams (linkage, D[tri (i, x)], D[tri (i, y)], dxy, nx, ny, (double) size[i]);
        }
    }
  else
    {
      double *cx = c->cent + px * c->d, *cy = c->cent + py * c->d;
      for (gsize t = 0; t < c->d; t++)
        cy[t] = (nx * cx[t] + ny * cy[t]) / (nx + ny);
      c->size_act[py] = nx + ny;
      memmove (c->cent + px * c->d, c->cent + (px + 1) * c->d, (c->m - px - 1) * c->d * sizeof (double));
      memmove (c->size_act + px, c->size_act + px + 1, (c->m - px - 1) * sizeof (double));
    }
  c->size[y] += c->size[x];
  c->size[x] = 0;
  memmove (c->act + px, c->act + px + 1, (c->m - px - 1) * sizeof (gsize));
  c->m--;
}

/* Z (n − 1) × 4 in merge order, unsorted, original ids. */
static gboolean
chain_run (Chain *c, double *Z, CsProgress *progress, double lo, double hi, GError **error)
{
  gsize  n = c->n;
  g_autofree gsize *stack = g_new (gsize, n);
  gsize  len = 0;

  for (gsize step = 0; step + 1 < n; step++)
    {
      gsize  x = 0, y = 0;
      double dxy = 0.0;

      if (len == 0)
        stack[len++] = c->act[0];
      for (;;)
        {
          gsize px;
          Best  b;

          if (!cs_progress_check (progress, error))
            return FALSE;
          x = stack[len - 1];
          px = pos_of (c, x);
          b = nearest (c, px);
          /* SciPy prefers the previous chain element on a tie: it is the minimum to beat. */
          if (len > 1)
            {
              gsize  prev = stack[len - 2];
              double vp = chain_dist (c, px, pos_of (c, prev));
              if (vp <= b.v)
                {
                  y = prev;
                  dxy = vp;
                  break;
                }
            }
          stack[len++] = b.id;
        }
      len -= 2;
      if (c->D == NULL)
        dxy = sqrt (dxy);
      if (x > y)
        {
          gsize t = x;
          x = y;
          y = t;
        }
      Z[step * 4 + 0] = (double) x;
      Z[step * 4 + 1] = (double) y;
      Z[step * 4 + 2] = dxy;
      Z[step * 4 + 3] = (double) (c->size[x] + c->size[y]);
      chain_merge (c, x, y, dxy);
      cs_progress_report (progress, lo + (hi - lo) * (step + 1) / (double) (n - 1), "merging");
    }
  return TRUE;
}

typedef struct
{
  const CsMatrix *x;
  const double   *norms; /* cosine only */
  CsMetric        metric;
  const CsDissim *D;
  const double   *core;  /* may be NULL: HDBSCAN's core distances, for mutual reachability */
} Source;

static inline double
source_dist (const Source *s, gsize i, gsize j)
{
  double v;

  if (s->D != NULL)
    v = cs_dissim_get (s->D, i, j);
  else
    v = cs_metric_distance (s->metric, cs_matrix_row (s->x, i), cs_matrix_row (s->x, j), s->x->cols,
                            s->norms ? s->norms[i] : 1.0, s->norms ? s->norms[j] : 1.0);
  if (s->core != NULL)
    v = MAX (v, MAX (s->core[i], s->core[j]));
  return v;
}

/* Prim's minimum spanning tree, SciPy's mst_single_linkage: from the last row added, update
 * every outside row's distance to the tree and add the nearest (lowest row among equals). */
static gboolean
mst_run (const Source *s, gsize n, double *Z, CsProgress *progress, GError **error)
{
  g_autofree double *dist = g_new (double, n);
  g_autofree gsize  *out = g_new (gsize, n); /* rows outside the tree, ascending */
  gsize              m = 0;
  gsize              x = 0;

  for (gsize i = 1; i < n; i++)
    {
      out[m++] = i;
      dist[i] = INFINITY;
    }
  for (gsize step = 0; step + 1 < n; step++)
    {
      Best  slice[N_SLICES];
      Best  best = { INFINITY, G_MAXSIZE, G_MAXSIZE };
      gsize work = m * (s->x ? s->x->cols : 1);

      if (!cs_progress_check (progress, error))
        return FALSE;
#pragma omp parallel for schedule(static) if (work >= PARALLEL_MIN_WORK)
      for (int sl = 0; sl < N_SLICES; sl++)
        {
          gsize lo = m * (gsize) sl / N_SLICES, hi = m * (gsize) (sl + 1) / N_SLICES;
          Best  b = { INFINITY, G_MAXSIZE, G_MAXSIZE };

          for (gsize p = lo; p < hi; p++)
            {
              gsize  i = out[p];
              double v = source_dist (s, x, i);
              if (v < dist[i])
                dist[i] = v;
              if (dist[i] < b.v)
                {
                  b.v = dist[i];
                  b.id = i;
                  b.pos = p;
                }
            }
          slice[sl] = b;
        }
      for (int sl = 0; sl < N_SLICES; sl++)
        if (slice[sl].pos != G_MAXSIZE && better (slice[sl].v, slice[sl].id, &best))
          best = slice[sl];
      if (best.pos == G_MAXSIZE)
        {
          /* Every remaining distance is infinite or NaN: join the lowest row, as SciPy's scan
           * keeps its initial y. */
          best.pos = 0;
          best.id = out[0];
          best.v = dist[out[0]];
        }
      Z[step * 4 + 0] = (double) x;
      Z[step * 4 + 1] = (double) best.id;
      Z[step * 4 + 2] = best.v;
      Z[step * 4 + 3] = 0;
      x = best.id;
      memmove (out + best.pos, out + best.pos + 1, (m - best.pos - 1) * sizeof (gsize));
      m--;
      cs_progress_report (progress, (step + 1) / (double) (n - 1), "minimum spanning tree");
    }
  return TRUE;
}

static gsize
uf_find (gsize *parent, gsize i)
{
  while (parent[i] != i)
    {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
  return i;
}

typedef struct
{
  double h;
  gsize  i;
} Order;

static int
order_cmp (const void *a, const void *b)
{
  const Order *p = a, *q = b;

  /* NaN heights sort last, like numpy's argsort. */
  if (isnan (p->h) != isnan (q->h))
    return isnan (p->h) ? 1 : -1;
  if (p->h < q->h)
    return -1;
  if (p->h > q->h)
    return 1;
  return (p->i > q->i) - (p->i < q->i);
}

/* SciPy's stable sort by height, then its `label`: each row's clusters renamed to the numbers
 * of the clusters they belong to by then (n + row that made them), smaller first. */
static double *
sort_and_label (const double *raw, gsize n)
{
  gsize  m = n - 1;
  g_autofree Order *ord = g_new (Order, MAX (m, 1));
  g_autofree gsize *parent = g_new (gsize, 2 * n - 1);
  g_autofree gsize *size = g_new (gsize, 2 * n - 1);
  double *Z = g_new (double, MAX (m, 1) * 4);

  for (gsize i = 0; i < m; i++)
    {
      ord[i].h = raw[i * 4 + 2];
      ord[i].i = i;
    }
  qsort (ord, m, sizeof (Order), order_cmp);
  for (gsize i = 0; i < 2 * n - 1; i++)
    {
      parent[i] = i;
      size[i] = 1;
    }
  for (gsize r = 0; r < m; r++)
    {
      const double *src = raw + ord[r].i * 4;
      gsize a = uf_find (parent, (gsize) src[0]);
      gsize b = uf_find (parent, (gsize) src[1]);
      gsize id = n + r;

      Z[r * 4 + 0] = (double) MIN (a, b);
      Z[r * 4 + 1] = (double) MAX (a, b);
      Z[r * 4 + 2] = src[2];
      parent[a] = parent[b] = id;
      size[id] = size[a] + size[b];
      Z[r * 4 + 3] = (double) size[id];
    }
  return Z;
}

guint
cs_agglomerative_cut (const double *merges,
                      gsize         n,
                      gsize         n_merges,
                      int          *labels)
{
  g_autofree gsize *parent = g_new (gsize, MAX (n, 1));
  g_autofree gsize *rep = g_new (gsize, MAX (n, 1)); /* a row of each merged cluster n + r */
  g_autofree int   *num = g_new (int, MAX (n, 1));
  int               k = 0;

  g_return_val_if_fail (n_merges < MAX (n, 1), 0);
  for (gsize i = 0; i < n; i++)
    {
      parent[i] = i;
      num[i] = -1;
    }
  for (gsize r = 0; r < n_merges; r++)
    {
      gsize a = (gsize) merges[r * 4 + 0], b = (gsize) merges[r * 4 + 1];
      gsize ra = uf_find (parent, a < n ? a : rep[a - n]);
      gsize rb = uf_find (parent, b < n ? b : rep[b - n]);

      parent[MAX (ra, rb)] = MIN (ra, rb);
      rep[r] = MIN (ra, rb);
    }
  for (gsize i = 0; i < n; i++)
    {
      gsize root = uf_find (parent, i);
      if (num[root] < 0)
        num[root] = k++;
      labels[i] = num[root];
    }
  return (guint) k;
}

gsize
cs_agglomerative_merges_below (const double *merges,
                               gsize         n,
                               double        height)
{
  gsize r = 0;

  while (r + 1 < n && merges[r * 4 + 2] <= height)
    r++;
  return r;
}

void
cs_agglomerative_leaf_order (const double *merges,
                             gsize         n,
                             gsize        *order)
{
  g_autofree gsize *stack = NULL;
  gsize             len = 0, k = 0;

  if (n == 0)
    return;
  if (n == 1)
    {
      order[0] = 0;
      return;
    }
  stack = g_new (gsize, 2 * n);
  stack[len++] = 2 * n - 2;
  while (len > 0)
    {
      gsize node = stack[--len];
      if (node < n)
        order[k++] = node;
      else
        {
          const double *z = merges + (node - n) * 4;
          /* right pushed first so the left subtree comes out first */
          stack[len++] = (gsize) z[1];
          stack[len++] = (gsize) z[0];
        }
    }
}

/* The labels after each of the last merges before the cut, k going down to the result's. */
static void
fill_trace (CsTrace *trace, const double *Z, gsize n, gsize n_keep)
{
  gsize steps = trace->max_steps > 0 ? trace->max_steps : DEFAULT_TRACE_STEPS;
  gsize first = n_keep > steps ? n_keep - steps : 0;
  g_autofree int *labels = g_new (int, n);

  for (gsize r = first; r < n_keep; r++)
    {
      guint            k = cs_agglomerative_cut (Z, n, r + 1, labels);
      gsize            a = (gsize) Z[r * 4 + 0], b = (gsize) Z[r * 4 + 1];
      gsize            na = a < n ? 1 : (gsize) Z[(a - n) * 4 + 3];
      gsize            nb = b < n ? 1 : (gsize) Z[(b - n) * 4 + 3];
      g_autofree char *note = g_strdup_printf ("merge clusters of %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT
                                               " rows at height %.6g", na, nb, Z[r * 4 + 2]);

      cs_trace_push (trace, CS_TRACE_STEP_MERGE, (guint) (r + 1), labels, n, k, Z[r * 4 + 2], MIN (na, nb), note);
    }
}

gboolean
cs_i_agglomerative_mst (const CsMatrix *x,
                        CsMetric        metric,
                        const double   *core,
                        CsProgress     *progress,
                        double        **merges,
                        GError        **error)
{
  Source             s = { x, NULL, metric, NULL, core };
  g_autofree double *norms = NULL;
  g_autofree double *raw = NULL;
  gsize              n = x->rows;

  if (metric == CS_METRIC_COSINE)
    {
      norms = g_new (double, n);
      cs_matrix_row_sqnorms (x, norms);
      for (gsize i = 0; i < n; i++)
        norms[i] = sqrt (norms[i]);
      s.norms = norms;
    }
  raw = g_new0 (double, MAX (n, 2) * 4);
  if (n > 1 && !mst_run (&s, n, raw, progress, error))
    return FALSE;
  *merges = sort_and_label (raw, MAX (n, 1));
  return TRUE;
}

static gboolean
validate (gsize n, const CsAgglomerativeOptions *o, GError **error)
{
  if (n < 1)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "Agglomerative clustering needs at least one row");
      return FALSE;
    }
  if (o->height == 0.0 && (o->k < 1 || o->k > n))
    {
      g_autofree char *rows = cs_format_count (n);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "k = %u clusters is outside 1 to the %s rows; choose a smaller k or cut by height", o->k, rows);
      return FALSE;
    }
  if (!(o->height >= 0.0) || isinf (o->height))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "height must be a finite number ≥ 0");
      return FALSE;
    }
  return TRUE;
}

/* Sorts, labels and cuts the raw tree into the result. Takes raw. */
static CsClustering *
finish (double *raw, gsize n, gsize d, const CsAgglomerativeOptions *o, CsTrace *trace)
{
  double       *Z = sort_and_label (raw, n);
  gsize         n_keep = o->height > 0 ? cs_agglomerative_merges_below (Z, n, o->height) : n - o->k;
  CsClustering *c = cs_clustering_new ("agglomerative", n, d, 1);

  g_free (raw);
  c->k = cs_agglomerative_cut (Z, n, n_keep, c->labels);
  c->merges = Z;
  /* The height of the last merge kept: what the cut leaves inside clusters. */
  c->objective = n_keep > 0 ? Z[(n_keep - 1) * 4 + 2] : 0.0;
  c->objective_name = "merge height at the cut";
  c->iterations = (guint) MIN (n - 1, G_MAXUINT);
  c->converged = TRUE;
  if (trace != NULL && n_keep > 0)
    fill_trace (trace, Z, n, n_keep);
  return c;
}

CsClustering *
cs_agglomerative_recut (const CsClustering *source,
                        guint               k)
{
  CsClustering *c;
  gsize         n_keep;

  g_return_val_if_fail (source != NULL && source->merges != NULL, NULL);
  if (k < 1 || k > source->n)
    return NULL;
  n_keep = source->n - k;
  c = cs_clustering_new (source->algorithm, source->n, source->d, k);
  c->k = cs_agglomerative_cut (source->merges, source->n, n_keep, c->labels);
  c->merges = g_memdup2 (source->merges, MAX (source->n - 1, 1) * 4 * sizeof (double));
  c->objective = n_keep > 0 ? source->merges[(n_keep - 1) * 4 + 2] : 0.0;
  c->objective_name = source->objective_name;
  c->objective_kind = source->objective_kind;
  c->iterations = source->iterations;
  c->converged = source->converged;
  c->seconds = source->seconds;
  if (source->params != NULL)
    {
      c->params = cs_params_copy (source->params);
      cs_params_set_int (c->params, "k", k);
      cs_params_set_double (c->params, "height", 0.0);
    }
  return c;
}

static void
chain_clear (Chain *c)
{
  g_free (c->D);
  g_free (c->cent);
  g_free (c->act);
  g_free (c->size_act);
  g_free (c->size);
}

static void
chain_init (Chain *c, gsize n, CsLinkage linkage)
{
  memset (c, 0, sizeof *c);
  c->n = n;
  c->m = n;
  c->linkage = linkage;
  c->act = g_new (gsize, n);
  c->size = g_new (gsize, n);
  for (gsize i = 0; i < n; i++)
    {
      c->act[i] = i;
      c->size[i] = 1;
    }
}

/* Fills the packed matrix from the source; parallel over rows, cancellable. */
static gboolean
fill_matrix (double *D, const Source *s, gsize n, CsProgress *progress, double hi, GError **error)
{
  gint stop = 0;
  gint done = 0;

#pragma omp parallel for schedule(dynamic, 16)
  for (gsize i = 1; i < n; i++)
    {
      gsize base = i * (i - 1) / 2;
      if (g_atomic_int_get (&stop))
        continue;
      if (cs_progress_is_cancelled (progress))
        {
          g_atomic_int_set (&stop, 1);
          continue;
        }
      for (gsize j = 0; j < i; j++)
        D[base + j] = source_dist (s, i, j);
      {
        double k = g_atomic_int_add (&done, 1) + 1;
#ifdef _OPENMP
        if (omp_get_thread_num () == 0)
#endif
          cs_progress_report (progress, hi * (k * k) / ((double) n * n), "distances");
      }
    }
  return cs_progress_check (progress, error);
}

static gboolean
run_source (const Source *s, gsize n, gsize d, const CsAgglomerativeOptions *o, CsProgress *progress,
            CsTrace *trace, CsClustering **out, GError **error)
{
  g_autofree double *raw = NULL;
  Chain              c;
  gboolean           ok;

  if (!validate (n, o, error))
    return FALSE;
  raw = g_new0 (double, MAX (n - 1, 1) * 4);
  if (n == 1)
    ok = TRUE;
  else if (o->linkage == CS_LINKAGE_SINGLE)
    ok = mst_run (s, n, raw, progress, error);
  else if (s->D == NULL && o->linkage == CS_LINKAGE_WARD && s->metric == CS_METRIC_EUCLIDEAN)
    {
      chain_init (&c, n, o->linkage);
      c.d = s->x->cols;
      c.cent = g_memdup2 (s->x->data, n * c.d * sizeof (double));
      c.size_act = g_new (double, n);
      for (gsize i = 0; i < n; i++)
        c.size_act[i] = 1.0;
      ok = chain_run (&c, raw, progress, 0.0, 1.0, error);
      chain_clear (&c);
    }
  else
    {
      double *D;
      double  lo = 0.0;

      if (!check_memory (n, o->linkage, error))
        return FALSE;
      D = g_try_malloc ((gsize) cs_agglomerative_bytes (n, TRUE) - (guint64) n * 64);
      if (D == NULL)
        {
          g_autofree char *rows = cs_format_count (n);
          g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE,
                       "Could not allocate the distance matrix for %s rows; Ward or single linkage on Euclidean "
                       "distances needs no matrix, or use k-means or FastCLARA", rows);
          return FALSE;
        }
      if (s->D != NULL && !s->D->single)
        memcpy (D, s->D->d, n * (n - 1) / 2 * sizeof (double));
      else
        {
          lo = 0.3;
          if (!fill_matrix (D, s, n, progress, lo, error))
            {
              g_free (D);
              return FALSE;
            }
        }
      chain_init (&c, n, o->linkage);
      c.D = D;
      ok = chain_run (&c, raw, progress, lo, 1.0, error);
      chain_clear (&c);
    }
  if (!ok)
    return FALSE;
  *out = finish (g_steal_pointer (&raw), n, d, o, trace);
  cs_progress_report (progress, 1.0, "agglomerative");
  return TRUE;
}

gboolean
cs_agglomerative_run (const CsMatrix               *x,
                      const CsAgglomerativeOptions *options,
                      CsProgress                   *progress,
                      CsTrace                      *trace,
                      CsClustering                **out,
                      GError                      **error)
{
  g_autofree double *norms = NULL;
  Source             s = { x, NULL, options->metric, NULL, NULL };

  g_return_val_if_fail (x != NULL && options != NULL && out != NULL, FALSE);
  if (options->metric == CS_METRIC_GOWER || options->metric == CS_METRIC_PRECOMPUTED)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "metric %s needs a dissimilarity matrix; run on the matrix instead of coordinates",
                   cs_metric_id (options->metric));
      return FALSE;
    }
  if (options->metric == CS_METRIC_COSINE)
    {
      norms = g_new (double, x->rows);
      cs_matrix_row_sqnorms (x, norms);
      for (gsize i = 0; i < x->rows; i++)
        norms[i] = sqrt (norms[i]);
      s.norms = norms;
    }
  return run_source (&s, x->rows, x->cols, options, progress, trace, out, error);
}

gboolean
cs_agglomerative_run_dissim (const CsDissim               *dissim,
                             const CsAgglomerativeOptions *options,
                             CsProgress                   *progress,
                             CsTrace                      *trace,
                             CsClustering                **out,
                             GError                      **error)
{
  Source s = { NULL, NULL, CS_METRIC_PRECOMPUTED, dissim, NULL };

  g_return_val_if_fail (dissim != NULL && options != NULL && out != NULL, FALSE);
  return run_source (&s, dissim->n, 0, options, progress, trace, out, error);
}

static gboolean
options_from_params (const CsParams *params, CsAgglomerativeOptions *o, GError **error)
{
  cs_agglomerative_options_init (o);
  if (!cs_linkage_from_id (cs_params_get_string (params, "linkage"), &o->linkage))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "linkage: unknown choice");
      return FALSE;
    }
  o->k = (guint) cs_params_get_int (params, "k");
  o->height = cs_params_get_double (params, "height");
  if (!cs_params_get_dissim (params, &o->metric))
    o->metric = CS_METRIC_EUCLIDEAN;
  return TRUE;
}

static gboolean
agglomerative_run_params (const CsMatrix *x,
                          const CsParams *params,
                          CsProgress     *progress,
                          CsTrace        *trace,
                          CsClustering  **out,
                          GError        **error)
{
  CsAgglomerativeOptions o;

  if (!options_from_params (params, &o, error))
    return FALSE;
  return cs_agglomerative_run (x, &o, progress, trace, out, error);
}

static gboolean
agglomerative_run_dissim (const CsDissim *D,
                          const CsParams *params,
                          CsProgress     *progress,
                          CsTrace        *trace,
                          CsClustering  **out,
                          GError        **error)
{
  CsAgglomerativeOptions o;

  if (!options_from_params (params, &o, error))
    return FALSE;
  return cs_agglomerative_run_dissim (D, &o, progress, trace, out, error);
}

const CsAlgorithm cs_algorithm_agglomerative = {
  .id = "agglomerative",
  .name = "Agglomerative (hierarchical)",
  .description = "Starts with every row as its own cluster and repeatedly merges the closest two (Ward, average, "
                 "complete or single linkage), building a tree of merges; the tree is cut into k clusters or at "
                 "a height. Shown as a dendrogram.",
  .category = "Hierarchical",
  .objective = CS_OBJECTIVE_NONE,
  .marks_noise = FALSE,
  .params = agglomerative_params,
  .n_params = G_N_ELEMENTS (agglomerative_params),
  .run = agglomerative_run_params,
  .dissim_param = "metric",
  .run_dissim = agglomerative_run_dissim,
};
