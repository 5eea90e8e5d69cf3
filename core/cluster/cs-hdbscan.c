#include "core/cluster/cs-hdbscan.h"
#include "core/cluster/cs-agglomerative-private.h"
#include "core/cluster/cs-registry.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"

#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* HDBSCAN in O(n) memory: core distances by a brute-force scan per row (a selection, not a
 * sort), the mutual-reachability minimum spanning tree by Prim with distances computed on the
 * fly (shared with single linkage, cs-agglomerative.c), then the condensed tree, stabilities and
 * excess-of-mass selection on the n − 1 merges, all linear after the tree.
 *
 * Condensing walks the single-linkage tree from the root, breadth first (hdbscan's
 * condense_tree): at a merge of height h (λ = 1 / h), when both parts have min_cluster_size
 * rows each becomes a new cluster; otherwise a smaller part's rows fall out of the current
 * cluster at λ and the larger part continues it. Stability of a cluster C born at λ_b is
 * Σ (λ − λ_b) · size over what leaves it (rows and child clusters). Excess of mass goes from the
 * newest cluster to the oldest (the root excluded): a cluster whose children's stabilities add up
 * to more than its own is replaced by them (and takes their sum), else it is selected and its
 * descendants are not. */

static const char *const metric_choices[] = { "euclidean", "manhattan", NULL };
static const char *const metric_labels[] = { "Euclidean", "Manhattan (city block)", NULL };

static const CsParamSpec hdbscan_params[] = {
  { .name = "min_cluster_size", .label = "Smallest cluster",
    .help = "Groups of fewer rows are not clusters: their rows fall out of the cluster they split from.",
    .type = CS_PARAM_INT, .min = 2, .max = 1000000, .default_num = 5 },
  { .name = "min_samples", .label = "Neighbours for density",
    .help = "A row's density is the distance to its min_samples-th nearest row (itself included); larger "
            "values smooth the density and mark more rows as noise. Automatic (0): the smallest cluster size.",
    .type = CS_PARAM_INT, .min = 0, .max = 1000000, .default_num = 0, .zero_label = "Automatic" },
  { .name = "metric", .label = "Distance",
    .help = "How the distance between two rows is measured.",
    .type = CS_PARAM_ENUM, .default_str = "euclidean", .choices = metric_choices, .choice_labels = metric_labels,
    .advanced = TRUE },
};

void
cs_hdbscan_options_init (CsHdbscanOptions *options)
{
  options->min_cluster_size = 5;
  options->min_samples = 0;
  options->metric = CS_HDBSCAN_EUCLIDEAN;
}

/* The k-th smallest (0-based) of v[0 .. n), reordering v. */
static double
select_kth (double *v, gsize n, gsize k)
{
  gsize lo = 0, hi = n - 1;

  while (lo < hi)
    {
      double pivot = v[lo + (hi - lo) / 2];
      gsize  i = lo, j = hi;

      while (i <= j)
        {
          while (v[i] < pivot)
            i++;
          while (v[j] > pivot)
            j--;
          if (i <= j)
            {
              double t = v[i];
              v[i] = v[j];
              v[j] = t;
              i++;
              if (j == 0)
                break;
              j--;
            }
        }
      if (k <= j)
        hi = j;
      else if (k >= i)
        lo = i;
      else
        return v[k];
    }
  return v[k];
}

static gboolean
core_distances (const CsMatrix *x, CsMetric metric, gsize min_samples, double *core, CsProgress *progress,
                GError **error)
{
  gsize n = x->rows;
  gint  stop = 0;
  gint  done = 0;

  /* Below a few thousand rows the scan takes milliseconds: a parallel region would only add a
   * wait for the slowest thread to every cancel on a loaded machine. */
#pragma omp parallel if (n >= 4096)
  {
    g_autofree double *buf = g_new (double, n);

#pragma omp for schedule(dynamic, 16)
    for (gsize i = 0; i < n; i++)
      {
        if (g_atomic_int_get (&stop))
          continue;
        if (cs_progress_is_cancelled (progress))
          {
            g_atomic_int_set (&stop, 1);
            continue;
          }
        for (gsize j = 0; j < n; j++)
          buf[j] = cs_metric_distance (metric, cs_matrix_row (x, i), cs_matrix_row (x, j), x->cols, 1.0, 1.0);
        core[i] = select_kth (buf, n, min_samples - 1);
        {
          int k = g_atomic_int_add (&done, 1) + 1;
#ifdef _OPENMP
          if (omp_get_thread_num () == 0)
#endif
            cs_progress_report (progress, (double) k / n, "core distances");
        }
      }
  }
  return cs_progress_check (progress, error);
}

typedef struct
{
  gsize  parent;  /* cluster id */
  gsize  child;   /* a row (< n) or n + cluster id */
  double lambda;
  gsize  size;
} Entry;

/* Rows under node v of the single-linkage tree, onto `out`. */
static void
collect_rows (const double *Z, gsize n, gsize v, gsize *stack, GArray *out)
{
  gsize len = 0;

  stack[len++] = v;
  while (len > 0)
    {
      gsize u = stack[--len];
      if (u < n)
        g_array_append_val (out, u);
      else
        {
          stack[len++] = (gsize) Z[(u - n) * 4 + 1];
          stack[len++] = (gsize) Z[(u - n) * 4 + 0];
        }
    }
}

static CsCondensedTree *
condensed_tree_new (GArray *entries, gsize n, gsize n_clusters, const double *stability)
{
  CsCondensedTree *t = g_new0 (CsCondensedTree, 1);

  t->n = n;
  t->n_clusters = n_clusters;
  t->n_edges = entries->len;
  t->parent = g_new (gsize, MAX (t->n_edges, 1));
  t->child = g_new (gsize, MAX (t->n_edges, 1));
  t->lambda = g_new (double, MAX (t->n_edges, 1));
  t->size = g_new (gsize, MAX (t->n_edges, 1));
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *e = &g_array_index (entries, Entry, i);

      t->parent[i] = n + e->parent;
      t->child[i] = e->child;
      t->lambda[i] = e->lambda;
      t->size[i] = e->size;
    }
  t->stability = g_memdup2 (stability, n_clusters * sizeof (double));
  t->label = g_new (int, n_clusters);
  for (gsize c = 0; c < n_clusters; c++)
    t->label[c] = -1;
  return t;
}

void
cs_condensed_tree_free (CsCondensedTree *tree)
{
  if (tree == NULL)
    return;
  g_free (tree->parent);
  g_free (tree->child);
  g_free (tree->lambda);
  g_free (tree->size);
  g_free (tree->stability);
  g_free (tree->label);
  g_free (tree);
}

JsonObject *
cs_condensed_tree_to_json (const CsCondensedTree *tree)
{
  JsonObject *o = json_object_new ();
  JsonArray  *edges = json_array_sized_new (tree->n_edges);
  JsonArray  *clusters = json_array_sized_new (tree->n_clusters);

  for (gsize i = 0; i < tree->n_edges; i++)
    {
      JsonArray *row = json_array_sized_new (4);

      json_array_add_int_element (row, (gint64) tree->parent[i]);
      json_array_add_int_element (row, (gint64) tree->child[i]);
      if (isfinite (tree->lambda[i]))
        json_array_add_double_element (row, tree->lambda[i]);
      else
        json_array_add_null_element (row);
      json_array_add_int_element (row, (gint64) tree->size[i]);
      json_array_add_array_element (edges, row);
    }
  for (gsize c = 0; c < tree->n_clusters; c++)
    {
      JsonObject *co = json_object_new ();

      json_object_set_int_member (co, "id", (gint64) (tree->n + c));
      if (isfinite (tree->stability[c]))
        json_object_set_double_member (co, "stability", tree->stability[c]);
      else
        json_object_set_null_member (co, "stability");
      json_object_set_int_member (co, "label", tree->label[c]);
      json_array_add_object_element (clusters, co);
    }
  json_object_set_array_member (o, "edges", edges);
  json_object_set_array_member (o, "clusters", clusters);
  return o;
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

/* Labels (−1 noise) from the single-linkage tree, and the condensed tree they were selected
 * from; returns the number of clusters. */
static guint
condense_and_select (const double *Z, gsize n, gsize mcs, int *labels, CsCondensedTree **out)
{
  g_autoptr (GArray) tree = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autofree gsize *cluster_of = g_new (gsize, 2 * n - 1); /* node → the cluster it continues */
  g_autofree gsize *queue = g_new (gsize, 2 * n);
  g_autofree gsize *stack = g_new (gsize, 2 * n);
  gsize             head = 0, tail = 0, n_clusters = 1;
  g_autofree double *birth = NULL;
  g_autofree double *stability = NULL;
  g_autofree gboolean *selected = NULL;
  g_autofree gsize *uf = NULL;
  g_autofree int *number = NULL;
  guint k = 0;

#define NODE_SIZE(v) ((v) < n ? (gsize) 1 : (gsize) Z[((v) - n) * 4 + 3])
  cluster_of[2 * n - 2] = 0;
  queue[tail++] = 2 * n - 2;
  while (head < tail)
    {
      gsize  v = queue[head++];
      gsize  a, b, na, nb, c;
      double h, lambda;

      if (v < n)
        continue;
      a = (gsize) Z[(v - n) * 4 + 0];
      b = (gsize) Z[(v - n) * 4 + 1];
      h = Z[(v - n) * 4 + 2];
      lambda = h > 0 ? 1.0 / h : INFINITY;
      na = NODE_SIZE (a);
      nb = NODE_SIZE (b);
      c = cluster_of[v];
      if (na >= mcs && nb >= mcs)
        {
          gsize kids[2] = { a, b };
          for (int s = 0; s < 2; s++)
            {
              Entry e = { c, n + n_clusters, lambda, NODE_SIZE (kids[s]) };
              cluster_of[kids[s]] = n_clusters++;
              g_array_append_val (tree, e);
              queue[tail++] = kids[s];
            }
        }
      else
        {
          gsize kids[2] = { a, b };
          for (int s = 0; s < 2; s++)
            {
              gsize u = kids[s];
              if (NODE_SIZE (u) >= mcs)
                {
                  cluster_of[u] = c;
                  queue[tail++] = u;
                  continue;
                }
              g_array_set_size (rows, 0);
              collect_rows (Z, n, u, stack, rows);
              for (guint r = 0; r < rows->len; r++)
                {
                  Entry e = { c, g_array_index (rows, gsize, r), lambda, 1 };
                  g_array_append_val (tree, e);
                }
            }
        }
    }
#undef NODE_SIZE

  birth = g_new0 (double, n_clusters);
  stability = g_new0 (double, n_clusters);
  selected = g_new0 (gboolean, n_clusters);
  for (guint t = 0; t < tree->len; t++)
    {
      Entry *e = &g_array_index (tree, Entry, t);
      if (e->child >= n)
        birth[e->child - n] = e->lambda;
    }
  for (guint t = 0; t < tree->len; t++)
    {
      Entry *e = &g_array_index (tree, Entry, t);
      stability[e->parent] += (e->lambda - birth[e->parent]) * (double) e->size;
    }
  /* The tree keeps each cluster's own stability; excess of mass below overwrites it with the
   * best of its subtree. */
  *out = condensed_tree_new (tree, n, n_clusters, stability);

  /* Excess of mass, newest first; cluster ids grow down the tree, so children come first. */
  {
    g_autofree double *child_sum = g_new0 (double, n_clusters);
    g_autofree gsize  *parent_of = g_new0 (gsize, n_clusters);

    for (guint t = 0; t < tree->len; t++)
      {
        Entry *e = &g_array_index (tree, Entry, t);
        if (e->child >= n)
          parent_of[e->child - n] = e->parent;
      }
    for (gsize c = n_clusters; c-- > 1;)
      {
        if (child_sum[c] > stability[c])
          stability[c] = child_sum[c];
        else
          selected[c] = TRUE;
        child_sum[parent_of[c]] += stability[c];
      }
    /* A selected cluster's descendants are not: top down (parents have smaller ids). */
    {
      g_autofree gboolean *under = g_new0 (gboolean, n_clusters);
      for (gsize c = 1; c < n_clusters; c++)
        {
          gsize p = parent_of[c];
          under[c] = p != 0 && (under[p] || selected[p]);
          if (under[c])
            selected[c] = FALSE;
        }
    }
  }

  /* Rows go to the selected cluster above them; the root means noise. */
  uf = g_new (gsize, n + n_clusters);
  for (gsize i = 0; i < n + n_clusters; i++)
    uf[i] = i;
  for (guint t = 0; t < tree->len; t++)
    {
      Entry *e = &g_array_index (tree, Entry, t);
      if (e->child >= n && selected[e->child - n])
        continue;
      {
        gsize pa = uf_find (uf, n + e->parent), ch = uf_find (uf, e->child);
        /* The cluster side stays the root, so find() ends at the top cluster reached. */
        if (pa != ch)
          uf[ch] = pa;
      }
    }
  number = g_new (int, n_clusters);
  for (gsize c = 0; c < n_clusters; c++)
    number[c] = selected[c] ? (int) k++ : -1;
  memcpy ((*out)->label, number, n_clusters * sizeof (int));
  for (gsize i = 0; i < n; i++)
    {
      gsize r = uf_find (uf, i);
      labels[i] = r >= n ? number[r - n] : -1;
    }
  return k;
}

gboolean
cs_hdbscan_run (const CsMatrix         *x,
                const CsHdbscanOptions *options,
                CsProgress             *progress,
                CsTrace                *trace,
                CsClustering          **out,
                GError                **error)
{
  gsize              n, min_samples;
  CsMetric           metric;
  g_autofree double *core = NULL;
  g_autofree double *Z = NULL;
  CsClustering      *c;
  gsize              noise = 0;

  g_return_val_if_fail (x != NULL && options != NULL && out != NULL, FALSE);
  n = x->rows;
  min_samples = options->min_samples > 0 ? options->min_samples : options->min_cluster_size;
  if (options->min_cluster_size < 2)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "min_cluster_size must be at least 2 (got %u)",
                   options->min_cluster_size);
      return FALSE;
    }
  if (min_samples > n || options->min_cluster_size > n)
    {
      g_autofree char *rows = cs_format_count (n);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "%s = %" G_GSIZE_FORMAT " is more than the %s rows; choose a smaller one",
                   options->min_cluster_size > n ? "min_cluster_size" : "min_samples",
                   options->min_cluster_size > n ? (gsize) options->min_cluster_size : min_samples, rows);
      return FALSE;
    }
  metric = options->metric == CS_HDBSCAN_MANHATTAN ? CS_METRIC_MANHATTAN : CS_METRIC_EUCLIDEAN;
  core = g_new (double, n);
  {
    CsProgressRange range;
    g_autoptr (CsProgress) stage = cs_progress_stage_new (&range, progress, 0.0, 0.35);
    if (!core_distances (x, metric, min_samples, core, stage, error))
      return FALSE;
  }
  if (!cs_progress_check (progress, error))
    return FALSE;
  {
    CsProgressRange range;
    g_autoptr (CsProgress) stage = cs_progress_stage_new (&range, progress, 0.35, 0.98);
    if (!cs_i_agglomerative_mst (x, metric, core, stage, &Z, error))
      return FALSE;
  }
  if (!cs_progress_check (progress, error))
    return FALSE;

  c = cs_clustering_new ("hdbscan", n, x->cols, 0);
  c->k = n > 1 ? condense_and_select (Z, n, options->min_cluster_size, c->labels, &c->condensed_tree) : 0;
  if (n == 1)
    c->labels[0] = -1;
  /* No point_kinds: HDBSCAN has no border rows, and "core" would claim more than it knows. */
  for (gsize i = 0; i < n; i++)
    noise += c->labels[i] < 0;
  c->objective = (double) noise;
  c->objective_name = "noise points";
  c->iterations = 1;
  c->converged = TRUE;
  if (trace)
    cs_trace_add (trace, 1, c->labels, n, NULL, NULL, c->k, c->objective, 0, "clusters selected by excess of mass");
  cs_progress_report (progress, 1.0, "HDBSCAN");
  *out = c;
  return TRUE;
}

static gboolean
hdbscan_run_params (const CsMatrix *x,
                    const CsParams *params,
                    CsProgress     *progress,
                    CsTrace        *trace,
                    CsClustering  **out,
                    GError        **error)
{
  CsHdbscanOptions o;

  cs_hdbscan_options_init (&o);
  o.min_cluster_size = (guint) cs_params_get_int (params, "min_cluster_size");
  o.min_samples = (guint) cs_params_get_int (params, "min_samples");
  o.metric = g_str_equal (cs_params_get_string (params, "metric"), "manhattan") ? CS_HDBSCAN_MANHATTAN
                                                                                 : CS_HDBSCAN_EUCLIDEAN;
  return cs_hdbscan_run (x, &o, progress, trace, out, error);
}

const CsAlgorithm cs_algorithm_hdbscan = {
  .id = "hdbscan",
  .name = "HDBSCAN",
  .description = "Density-based clustering over every radius at once: builds the tree of clusters that DBSCAN "
                 "would find as eps shrinks and keeps the most persistent ones, so clusters of different density "
                 "are found without choosing eps. Rows in no cluster are noise.",
  .category = "Density",
  .objective = CS_OBJECTIVE_NONE,
  .marks_noise = TRUE,
  .params = hdbscan_params,
  .n_params = G_N_ELEMENTS (hdbscan_params),
  .run = hdbscan_run_params,
};
