#include "core/cluster/cs-ppp.h"
#include "core/base/cs-error.h"
#include "core/cluster/cs-gmm.h"
#include "core/cluster/cs-kmeans.h"
#include "core/cluster/cs-result-io.h"
#include "core/metrics/cs-metrics.h"

#include <lapacke.h>
#include <math.h>
#include <string.h>

void
cs_ppp_options_init (CsPppOptions *options)
{
  g_return_if_fail (options != NULL);
  options->min_agreement = 0.95;
  options->min_confident = 0.95;
  options->posterior = 0.9;
  options->min_size = 10;
  options->max_k = 64;
  options->reg_covar = 1e-6;
}

void
cs_ppp_tree_free (CsPppTree *tree)
{
  if (tree == NULL)
    return;
  g_free (tree->nodes);
  g_free (tree);
}

const char *
cs_ppp_verdict_describe (CsPppVerdict verdict)
{
  switch (verdict)
    {
    case CS_PPP_ACCEPTED:
      return "accepted";
    case CS_PPP_TOO_SMALL:
      return "too small to split";
    case CS_PPP_DEGENERATE:
      return "no spread to split along";
    case CS_PPP_MIN_SIZE:
      return "a half too small";
    case CS_PPP_AGREEMENT:
      return "mixture disagrees with 2-means";
    case CS_PPP_POSTERIOR:
      return "too few rows confidently assigned";
    case CS_PPP_BIC:
      return "BIC prefers one Gaussian";
    case CS_PPP_MAX_K:
    default:
      return "cluster budget (max k) reached";
    }
}

const char *
cs_ppp_verdict_id (CsPppVerdict verdict)
{
  static const char *const ids[] = { "accepted", "too_small", "degenerate", "min_size",
                                     "agreement", "posterior", "bic",       "max_k" };
  return verdict <= CS_PPP_MAX_K ? ids[verdict] : "max_k";
}

JsonObject *
cs_ppp_tree_to_json (const CsPppTree *tree)
{
  JsonObject *o = json_object_new ();
  JsonArray *nodes = json_array_sized_new (tree->n_nodes);

  json_object_set_int_member (o, "min_size", (gint64) tree->options.min_size);
  cs_json_set_number (o, "min_agreement", tree->options.min_agreement);
  cs_json_set_number (o, "min_confident", tree->options.min_confident);
  cs_json_set_number (o, "posterior", tree->options.posterior);
  json_object_set_int_member (o, "max_k", tree->options.max_k);
  for (guint i = 0; i < tree->n_nodes; i++)
    {
      const CsPppNode *nd = &tree->nodes[i];
      JsonObject *no = json_object_new ();

      json_object_set_int_member (no, "size", (gint64) nd->size);
      json_object_set_int_member (no, "parent", nd->parent);
      json_object_set_int_member (no, "depth", nd->depth);
      json_object_set_string_member (no, "verdict", cs_ppp_verdict_id (nd->verdict));
      json_object_set_int_member (no, "cluster", nd->cluster);
      if (nd->size_a + nd->size_b > 0)
        {
          json_object_set_int_member (no, "size_a", (gint64) nd->size_a);
          json_object_set_int_member (no, "size_b", (gint64) nd->size_b);
        }
      cs_json_set_number (no, "agreement", nd->agreement);
      cs_json_set_number (no, "confident", nd->confident);
      cs_json_set_number (no, "bic_one", nd->bic_one);
      cs_json_set_number (no, "bic_two", nd->bic_two);
      json_array_add_object_element (nodes, no);
    }
  json_object_set_array_member (o, "nodes", nodes);
  return o;
}

typedef struct
{
  const CsMatrix     *x;
  const CsPppOptions *o;
  GArray             *nodes;   /* CsPppNode */
  GPtrArray          *rows;    /* per node: GArray of gsize row indices, NULL once split */
} Work;

static CsPppNode
node_new (gsize size,
          int   parent,
          guint depth)
{
  CsPppNode nd = { 0 };

  nd.size = size;
  nd.parent = parent;
  nd.left = -1;
  nd.right = -1;
  nd.depth = depth;
  nd.cluster = -1;
  nd.verdict = CS_PPP_TOO_SMALL;
  nd.agreement = NAN;
  nd.confident = NAN;
  nd.bic_one = NAN;
  nd.bic_two = NAN;
  return nd;
}

/* The leading eigenvector of the rows' covariance, its largest entry made positive. */
static gboolean
first_component (const CsMatrix *sub,
                 const double   *mean,
                 double         *v)
{
  gsize m = sub->rows;
  gsize d = sub->cols;
  g_autofree double *cov = g_new0 (double, d * d);
  g_autofree double *w = g_new (double, d);
  gsize best = 0;

  for (gsize i = 0; i < m; i++)
    {
      const double *xi = cs_matrix_row (sub, i);
      for (gsize a = 0; a < d; a++)
        for (gsize b = a; b < d; b++)
          cov[a * d + b] += (xi[a] - mean[a]) * (xi[b] - mean[b]);
    }
  if (LAPACKE_dsyev (LAPACK_ROW_MAJOR, 'V', 'U', (int) d, cov, (int) d, w) != 0 || !(w[d - 1] > 0.0))
    return FALSE;
  for (gsize a = 0; a < d; a++)
    {
      v[a] = cov[a * d + d - 1];
      if (fabs (v[a]) > fabs (v[best]) + 1e-12)
        best = a;
    }
  if (v[best] < 0.0)
    for (gsize a = 0; a < d; a++)
      v[a] = -v[a];
  return TRUE;
}

static double
dot (const double *a,
     const double *b,
     gsize         d)
{
  double s = 0.0;
  for (gsize j = 0; j < d; j++)
    s += a[j] * b[j];
  return s;
}

static gboolean
fit_mixture (const CsMatrix *sub,
             guint           k,
             const int      *labels,
             double          reg,
             CsProgress     *progress,
             CsClustering  **out,
             GError        **error)
{
  CsGmmOptions g;

  cs_gmm_options_init (&g);
  g.k = k;
  g.covariance = CS_GMM_FULL;
  g.initial_labels = labels;
  g.reg_covar = reg;
  return cs_gmm_run (sub, &g, progress, NULL, out, error);
}

/* Tries to split node `id`; fills its verdict and numbers. On acceptance `lo` and `hi` get
 * the halves' rows (lower side of the component first). */
static gboolean
try_split (Work        *w,
           guint        id,
           const GArray *rows,
           CsProgress  *progress,
           GArray     **lo,
           GArray     **hi,
           GError     **error)
{
  const CsPppOptions *o = w->o;
  CsPppNode *nd = &g_array_index (w->nodes, CsPppNode, id);
  gsize m = rows->len;
  gsize d = w->x->cols;
  g_autoptr (CsMatrix) sub = cs_matrix_new (m, d);
  g_autoptr (CsMatrix) init = cs_matrix_new (2, d);
  g_autoptr (CsClustering) km = NULL;
  g_autoptr (CsClustering) two = NULL;
  g_autoptr (CsClustering) one = NULL;
  g_autofree double *mean = g_new0 (double, d);
  g_autofree double *v = g_new (double, d);
  g_autofree int *side = g_new (int, m);
  g_autofree int *zeros = g_new0 (int, m);
  gsize count[2] = { 0, 0 };
  gsize agree = 0;
  gsize sure = 0;
  CsKmeansOptions ko;
  gboolean swap;

  *lo = *hi = NULL;
  if (m < 2 * o->min_size || m < 2)
    {
      nd->verdict = CS_PPP_TOO_SMALL;
      return TRUE;
    }
  for (gsize i = 0; i < m; i++)
    {
      gsize r = g_array_index (rows, gsize, i);
      memcpy (cs_matrix_row (sub, i), cs_matrix_row (w->x, r), d * sizeof (double));
    }
  cs_matrix_column_means (sub, mean);
  if (!first_component (sub, mean, v))
    {
      nd->verdict = CS_PPP_DEGENERATE;
      return TRUE;
    }
  for (gsize i = 0; i < m; i++)
    {
      const double *xi = cs_matrix_row (sub, i);
      double p = dot (xi, v, d) - dot (mean, v, d);
      side[i] = p >= 0.0;
      count[side[i]]++;
      for (gsize a = 0; a < d; a++)
        init->data[side[i] * d + a] += xi[a];
    }
  if (count[0] == 0 || count[1] == 0)
    {
      nd->verdict = CS_PPP_DEGENERATE;
      return TRUE;
    }
  for (guint j = 0; j < 2; j++)
    for (gsize a = 0; a < d; a++)
      init->data[j * d + a] /= (double) count[j];

  cs_kmeans_options_init (&ko);
  ko.k = 2;
  ko.initial_centers = init;
  ko.max_iter = 300;
  if (!cs_kmeans_run (sub, &ko, progress, NULL, &km, error))
    return FALSE;
  /* Lower side of the component first, whatever Lloyd did with the labels. */
  swap = dot (cs_matrix_row (km->centers, 0), v, d) > dot (cs_matrix_row (km->centers, 1), v, d);
  count[0] = count[1] = 0;
  for (gsize i = 0; i < m; i++)
    {
      side[i] = swap ? 1 - km->labels[i] : km->labels[i];
      count[side[i]]++;
    }
  nd->size_a = count[0];
  nd->size_b = count[1];
  if (count[0] == 0 || count[1] == 0)
    {
      nd->verdict = CS_PPP_DEGENERATE;
      return TRUE;
    }

  if (!fit_mixture (sub, 2, side, o->reg_covar, progress, &two, error)
      || !fit_mixture (sub, 1, zeros, o->reg_covar, progress, &one, error))
    return FALSE;
  for (gsize i = 0; i < m; i++)
    {
      const double *ri = cs_matrix_row (two->responsibilities, i);
      agree += two->labels[i] == side[i];
      sure += MAX (ri[0], ri[1]) >= o->posterior;
    }
  /* EM starts from the 2-means labels, so its components keep their numbers; the max guards
   * against a swap all the same. */
  nd->agreement = (double) MAX (agree, m - agree) / (double) m;
  nd->confident = (double) sure / (double) m;
  nd->bic_one = one->bic;
  nd->bic_two = two->bic;

  if (count[0] < o->min_size || count[1] < o->min_size)
    nd->verdict = CS_PPP_MIN_SIZE;
  else if (nd->agreement < o->min_agreement)
    nd->verdict = CS_PPP_AGREEMENT;
  else if (nd->confident < o->min_confident)
    nd->verdict = CS_PPP_POSTERIOR;
  else if (!(nd->bic_two < nd->bic_one))
    nd->verdict = CS_PPP_BIC;
  else
    {
      nd->verdict = CS_PPP_ACCEPTED;
      *lo = g_array_sized_new (FALSE, FALSE, sizeof (gsize), (guint) count[0]);
      *hi = g_array_sized_new (FALSE, FALSE, sizeof (gsize), (guint) count[1]);
      for (gsize i = 0; i < m; i++)
        g_array_append_val (side[i] ? *hi : *lo, g_array_index (rows, gsize, i));
    }
  return TRUE;
}

static void
free_rows (gpointer p)
{
  if (p != NULL)
    g_array_unref (p);
}

/* Leaves numbered in depth-first order, lower side first. */
static void
number_leaves (GArray *nodes,
               int     id,
               int    *next)
{
  CsPppNode *nd = &g_array_index (nodes, CsPppNode, id);

  if (nd->left < 0)
    {
      nd->cluster = (*next)++;
      return;
    }
  number_leaves (nodes, nd->left, next);
  number_leaves (nodes, nd->right, next);
}

gboolean
cs_ppp_run (const CsMatrix     *x,
            const CsPppOptions *options,
            CsProgress         *progress,
            CsClustering      **out,
            GError            **error)
{
  Work w = { 0 };
  GArray *root;
  gsize n;
  gsize done_rows = 0;
  guint leaves = 0;
  guint pending = 1;
  guint head = 0;
  int k = 0;
  gboolean ok = FALSE;
  CsClustering *c;
  CsPppTree *tree;
  CsPppNode nd0;

  g_return_val_if_fail (x != NULL && options != NULL && out != NULL, FALSE);
  n = x->rows;
  for (gsize i = 0; i < n * x->cols; i++)
    if (!isfinite (x->data[i]))
      {
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "PPP: row %" G_GSIZE_FORMAT ", column %" G_GSIZE_FORMAT
                     " is not a finite number; drop or impute missing values first",
                     i / x->cols + 1, i % x->cols + 1);
        return FALSE;
      }
  w.x = x;
  w.o = options;
  w.nodes = g_array_new (FALSE, FALSE, sizeof (CsPppNode));
  w.rows = g_ptr_array_new_with_free_func (free_rows);
  root = g_array_sized_new (FALSE, FALSE, sizeof (gsize), (guint) n);
  for (gsize i = 0; i < n; i++)
    g_array_append_val (root, i);
  nd0 = node_new (n, -1, 0);
  g_array_append_val (w.nodes, nd0);
  g_ptr_array_add (w.rows, root);

  /* Breadth first: the node list doubles as the queue. */
  while (head < w.nodes->len)
    {
      guint id = head++;
      GArray *rows = g_ptr_array_index (w.rows, id);
      GArray *lo = NULL;
      GArray *hi = NULL;
      CsProgressRange range;
      double f = (double) done_rows / (double) MAX (n, 1);
      CsProgress *stage = cs_progress_stage_new (&range, progress, f, f);
      gboolean step_ok;

      if (!cs_progress_check (progress, error))
        {
          cs_progress_free (stage);
          goto out;
        }
      pending--;
      step_ok = try_split (&w, id, rows, stage, &lo, &hi, error);
      cs_progress_free (stage);
      if (!step_ok)
        goto out;
      if (lo != NULL && leaves + pending + 2 > options->max_k)
        {
          g_array_index (w.nodes, CsPppNode, id).verdict = CS_PPP_MAX_K;
          g_array_unref (lo);
          g_array_unref (hi);
          lo = hi = NULL;
        }
      if (lo != NULL)
        {
          CsPppNode *nd = &g_array_index (w.nodes, CsPppNode, id);
          CsPppNode a = node_new (lo->len, (int) id, nd->depth + 1);
          CsPppNode b = node_new (hi->len, (int) id, nd->depth + 1);

          nd->left = (int) w.nodes->len;
          nd->right = (int) w.nodes->len + 1;
          g_array_append_val (w.nodes, a);
          g_array_append_val (w.nodes, b);
          g_ptr_array_add (w.rows, lo);
          g_ptr_array_add (w.rows, hi);
          g_ptr_array_index (w.rows, id) = NULL;
          g_array_unref (rows);
          pending += 2;
        }
      else
        {
          leaves++;
          done_rows += rows->len;
          if (!cs_progress_report (progress, (double) done_rows / (double) MAX (n, 1), "PPP splits"))
            {
              cs_progress_check (progress, error);
              goto out;
            }
        }
    }

  number_leaves (w.nodes, 0, &k);
  c = cs_clustering_new ("ppp", n, x->cols, (guint) k);
  for (guint id = 0; id < w.nodes->len; id++)
    {
      const CsPppNode *nd = &g_array_index (w.nodes, CsPppNode, id);
      GArray *rows = g_ptr_array_index (w.rows, id);

      if (nd->cluster < 0)
        continue;
      for (guint i = 0; i < rows->len; i++)
        c->labels[g_array_index (rows, gsize, i)] = nd->cluster;
    }
  {
    g_autofree gsize *sizes = g_new (gsize, k);
    c->centers = cs_matrix_new ((gsize) k, x->cols);
    cs_metric_cluster_means (x, c->labels, (guint) k, c->centers->data, sizes);
  }
  c->objective = cs_metric_inertia (x, c->labels, c->centers);
  c->objective_name = "inertia";
  c->iterations = w.nodes->len;
  c->converged = TRUE;
  tree = g_new0 (CsPppTree, 1);
  tree->options = *options;
  tree->n_nodes = w.nodes->len;
  tree->nodes = (CsPppNode *) g_array_free (w.nodes, FALSE);
  w.nodes = NULL;
  c->ppp = tree;
  *out = c;
  ok = TRUE;
out:
  if (w.nodes)
    g_array_unref (w.nodes);
  g_ptr_array_unref (w.rows);
  return ok;
}

static const CsParamSpec ppp_params[] = {
  { .name = "min_size", .label = "Smallest cluster",
    .help = "A split is accepted only when both halves have at least this many rows.", .type = CS_PARAM_INT,
    .min = 1, .max = 1000000, .default_num = 10 },
  { .name = "min_agreement", .label = "Agreement needed",
    .help = "The fraction of rows on which the two-component mixture and 2-means must agree.",
    .type = CS_PARAM_DOUBLE, .min = 0.5, .max = 1, .default_num = 0.95 },
  { .name = "min_confident", .label = "Confident rows needed",
    .help = "The fraction of rows whose mixture posterior must reach the posterior threshold.",
    .type = CS_PARAM_DOUBLE, .min = 0, .max = 1, .default_num = 0.95 },
  { .name = "posterior", .label = "Posterior threshold",
    .help = "A row counts as confidently assigned when its larger mixture posterior is at least this.",
    .type = CS_PARAM_DOUBLE, .min = 0.5, .max = 1, .default_num = 0.9, .advanced = TRUE },
  { .name = "max_k", .label = "Most clusters",
    .help = "Splitting stops when this many clusters have been found.", .type = CS_PARAM_INT, .min = 1,
    .max = 1000, .default_num = 64, .advanced = TRUE },
  { .name = "reg_covar", .label = "Covariance floor",
    .help = "Added to every variance of the mixtures so that no component collapses onto a point.",
    .type = CS_PARAM_DOUBLE, .min = 0, .max = 1, .default_num = 1e-6, .log_scale = TRUE, .advanced = TRUE },
};

static gboolean
ppp_run_params (const CsMatrix *x,
                const CsParams *params,
                CsProgress     *progress,
                CsTrace        *trace,
                CsClustering  **out,
                GError        **error)
{
  CsPppOptions o;

  cs_ppp_options_init (&o);
  o.min_size = (gsize) cs_params_get_int (params, "min_size");
  o.min_agreement = cs_params_get_double (params, "min_agreement");
  o.min_confident = cs_params_get_double (params, "min_confident");
  o.posterior = cs_params_get_double (params, "posterior");
  o.max_k = (guint) cs_params_get_int (params, "max_k");
  o.reg_covar = cs_params_get_double (params, "reg_covar");
  return cs_ppp_run (x, &o, progress, out, error);
}

const CsAlgorithm cs_algorithm_ppp = {
  .id = "ppp",
  .name = "PPP (k found)",
  .description = "Splits the data in two again and again with 2-means, keeping a split only when a two-component "
                 "Gaussian mixture confirms it: finds the number of clusters itself, the same whatever the seed "
                 "or row order.",
  .category = "Model",
  .objective = CS_OBJECTIVE_INERTIA,
  .params = ppp_params,
  .n_params = G_N_ELEMENTS (ppp_params),
  .run = ppp_run_params,
};
