/* Balanced (size-constrained) k-means: Lloyd's alternation with the assignment step replaced by
 * the best assignment under a size constraint — every size n / k rounded down or up, or at most
 * max_size rows a cluster. The update step is the unconstrained one (the mean minimises the sum
 * of squares of a fixed set of rows), so with the exact assignment the objective never rises. */
#include "core/cluster/cs-balanced-kmeans.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/cluster/cs-centroid-private.h"

void
cs_balanced_kmeans_options_init (CsBalancedKmeansOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->k = 3;
  options->n_init = 3;
  options->max_iter = 100;
  options->assign = CS_BALANCED_ASSIGN_AUTO;
}

/* The size constraint. Balanced: every cluster holds lo or lo + 1 rows and exactly r hold
 * lo + 1 (n = k·lo + r). Capped: no cluster holds more than cap rows. */
typedef struct
{
  gboolean balanced;
  gsize    lo;
  gsize    r;
  gsize    cap;
  guint    k;
} Caps;

static void
caps_init (Caps *c, gsize n, guint k, gsize max_size)
{
  c->k = k;
  c->balanced = max_size == 0;
  c->lo = n / k;
  c->r = n % k;
  c->cap = max_size;
}

/* Whether a cluster of cnt rows takes one more, with `extras` clusters already at lo + 1. */
static inline gboolean
caps_absorbs (const Caps *c, gsize cnt, gsize extras)
{
  if (c->balanced)
    return cnt < c->lo || (cnt == c->lo && extras < c->r);
  return cnt < c->cap;
}

/* Whether one row may move from a cluster of cnt_a rows to one of cnt_b without breaking the
 * constraint (the other clusters unchanged). */
static inline gboolean
caps_movable (const Caps *c, gsize cnt_a, gsize cnt_b)
{
  if (c->balanced)
    return cnt_a == c->lo + 1 && cnt_b == c->lo;
  return cnt_b < c->cap;
}

/* Members of each cluster, with each row's position for O(1) removal. */
typedef struct
{
  GArray **list; /* k arrays of gsize */
  gsize   *pos;  /* n entries */
} Members;

static void
members_init (Members *m, gsize n, guint k)
{
  m->list = g_new (GArray *, k);
  for (guint j = 0; j < k; j++)
    m->list[j] = g_array_new (FALSE, FALSE, sizeof (gsize));
  m->pos = g_new (gsize, MAX (n, 1));
}

static void
members_clear (Members *m, guint k)
{
  for (guint j = 0; j < k; j++)
    g_array_unref (m->list[j]);
  g_free (m->list);
  g_free (m->pos);
}

static void
members_add (Members *m, gsize p, guint a)
{
  m->pos[p] = m->list[a]->len;
  g_array_append_val (m->list[a], p);
}

static void
members_remove (Members *m, gsize p, guint a)
{
  GArray *l = m->list[a];
  gsize   at = m->pos[p];
  gsize   last = g_array_index (l, gsize, l->len - 1);

  g_array_index (l, gsize, at) = last;
  m->pos[last] = at;
  g_array_set_size (l, l->len - 1);
}

/* D[i·k + j] = squared distance from row i to centre j. */
static void
all_distances (const CsMatrix *x, const CsMatrix *centers, double *D)
{
  gsize n = x->rows;
  gsize d = x->cols;
  guint k = (guint) centers->rows;

  for (gsize i = 0; i < n; i++)
    for (guint j = 0; j < k; j++)
      D[i * k + j] = cs_sqdist (cs_matrix_row (x, i), cs_matrix_row (centers, j), d);
}

/* w[a·k + b]: the cheapest change of cost for moving one row of a to b, and that row. */
static void
move_costs_row (const Members *m, const double *D, guint k, guint a, double *w, gssize *arg)
{
  GArray *l = m->list[a];

  for (guint b = 0; b < k; b++)
    {
      w[(gsize) a * k + b] = INFINITY;
      arg[(gsize) a * k + b] = -1;
    }
  for (guint t = 0; t < l->len; t++)
    {
      gsize         p = g_array_index (l, gsize, t);
      const double *Dp = D + p * k;
      for (guint b = 0; b < k; b++)
        {
          double c = Dp[b] - Dp[a];
          if (b != a && c < w[(gsize) a * k + b])
            {
              w[(gsize) a * k + b] = c;
              arg[(gsize) a * k + b] = (gssize) p;
            }
        }
    }
}

/* Successive shortest paths for the transportation problem rows → clusters, with the flow
 * network collapsed onto the k clusters: adding row i is one unit entering cluster j at cost
 * D[i][j]; it may travel on from a to b by moving a's cheapest row (cost w[a][b], possibly
 * negative) or, when balanced, by a taking b's spare "+1" slot (cost 0, a at most lo and b at
 * lo + 1); it stops in a cluster that can absorb it. Since the assignment before each step is
 * optimal for the rows so far, the residual graph has no negative cycle and Bellman–Ford on k
 * nodes finds the cheapest path; after the last row the assignment is optimal (the classical
 * argument for successive shortest paths). */
static gboolean
exact_assign (const double *D,
              gsize         n,
              const Caps   *caps,
              int          *labels,
              CsProgress   *progress,
              GError      **error)
{
  guint            k = caps->k;
  g_autofree gsize *cnt = g_new0 (gsize, k);
  g_autofree double *w = g_new (double, (gsize) k * k);
  g_autofree gssize *arg = g_new (gssize, (gsize) k * k);
  g_autofree double *dist = g_new (double, k);
  g_autofree int *pred = g_new (int, k);
  g_autofree guint8 *via_slot = g_new (guint8, k);
  g_autofree guint *path = g_new (guint, k + 1);
  gsize            extras = 0;
  Members          m;

  members_init (&m, n, k);
  for (guint a = 0; a < k; a++)
    move_costs_row (&m, D, k, a, w, arg);

  for (gsize i = 0; i < n; i++)
    {
      guint  t = G_MAXUINT;
      double best = INFINITY;
      guint  len = 0;

      if ((i & 63) == 0 && !cs_progress_check (progress, error))
        {
          members_clear (&m, k);
          return FALSE;
        }
      for (guint j = 0; j < k; j++)
        {
          dist[j] = D[i * k + j];
          pred[j] = -1;
          via_slot[j] = 0;
        }
      for (guint round = 0; round < k; round++)
        {
          gboolean changed = FALSE;
          for (guint a = 0; a < k; a++)
            for (guint b = 0; b < k; b++)
              {
                double c = w[(gsize) a * k + b];
                gboolean slot = FALSE;
                double nd;

                if (a == b)
                  continue;
                if (caps->balanced && caps->r > 0 && cnt[a] <= caps->lo && cnt[b] == caps->lo + 1 && 0.0 < c)
                  {
                    c = 0.0;
                    slot = TRUE;
                  }
                if (!isfinite (c))
                  continue;
                nd = dist[a] + c;
                /* A relative margin keeps rounding from creating an improving cycle. */
                if (nd < dist[b] - 1e-13 * (fabs (dist[b]) + 1e-300))
                  {
                    dist[b] = nd;
                    pred[b] = (int) a;
                    via_slot[b] = slot;
                    changed = TRUE;
                  }
              }
          if (!changed)
            break;
        }
      for (guint j = 0; j < k; j++)
        if (caps_absorbs (caps, cnt[j], extras) && dist[j] < best)
          {
            best = dist[j];
            t = j;
          }
      g_assert (t != G_MAXUINT);

      /* The path from the cluster the row enters to t, read backwards. */
      for (guint v = t;; v = (guint) pred[v])
        {
          g_assert (len <= k);
          path[len++] = v;
          if (pred[v] < 0)
            break;
        }
      labels[i] = (int) path[len - 1];
      members_add (&m, i, path[len - 1]);
      cnt[path[len - 1]]++;
      for (guint e = len - 1; e > 0; e--)
        {
          guint a = path[e];
          guint b = path[e - 1];
          if (!via_slot[b])
            {
              gsize p = (gsize) arg[(gsize) a * k + b];
              members_remove (&m, p, a);
              members_add (&m, p, b);
              labels[p] = (int) b;
              cnt[a]--;
              cnt[b]++;
            }
        }
      extras = 0;
      if (caps->balanced)
        for (guint j = 0; j < k; j++)
          extras += cnt[j] > caps->lo;
      for (guint e = 0; e < len; e++)
        move_costs_row (&m, D, k, path[e], w, arg);
    }
  members_clear (&m, k);
  return TRUE;
}

typedef struct
{
  double key;
  gsize  i;
} Keyed;

static int
keyed_desc (const void *pa, const void *pb)
{
  const Keyed *a = pa;
  const Keyed *b = pb;

  if (a->key != b->key)
    return a->key > b->key ? -1 : 1;
  return a->i < b->i ? -1 : a->i > b->i;
}

/* Rows in order of regret (how much worse their second-nearest centre is), each to its
 * nearest centre that still has room. */
static void
greedy_assign (const double *D, gsize n, const Caps *caps, int *labels)
{
  guint            k = caps->k;
  g_autofree Keyed *order = g_new (Keyed, MAX (n, 1));
  g_autofree gsize *cnt = g_new0 (gsize, k);
  gsize            extras = 0;

  for (gsize i = 0; i < n; i++)
    {
      double b1 = INFINITY, b2 = INFINITY;
      for (guint j = 0; j < k; j++)
        {
          double v = D[i * k + j];
          if (v < b1)
            {
              b2 = b1;
              b1 = v;
            }
          else if (v < b2)
            b2 = v;
        }
      order[i].key = k > 1 ? b2 - b1 : 0.0;
      order[i].i = i;
    }
  qsort (order, n, sizeof (Keyed), keyed_desc);
  for (gsize t = 0; t < n; t++)
    {
      gsize  i = order[t].i;
      guint  best = G_MAXUINT;
      double bd = INFINITY;

      for (guint j = 0; j < k; j++)
        if (caps_absorbs (caps, cnt[j], extras) && (best == G_MAXUINT || D[i * k + j] < bd))
          {
            bd = D[i * k + j];
            best = j;
          }
      g_assert (best != G_MAXUINT);
      labels[i] = (int) best;
      if (caps->balanced && cnt[best] == caps->lo)
        extras++;
      cnt[best]++;
    }
}

/* Pairwise exchange: for each pair of clusters (a, b), rows of a ranked by what they gain by
 * moving to b and rows of b by what they gain by moving to a are swapped pairwise while the two
 * gains sum to more than nothing; single moves where the sizes allow. Every step lowers the
 * cost, so rounds end. */
static gboolean
swap_refine (const double *D,
             gsize         n,
             const Caps   *caps,
             int          *labels,
             CsProgress   *progress,
             GError      **error)
{
  guint            k = caps->k;
  g_autofree gsize *cnt = g_new0 (gsize, k);
  Members          m;
  g_autoptr (GArray) A = g_array_new (FALSE, FALSE, sizeof (Keyed));
  g_autoptr (GArray) B = g_array_new (FALSE, FALSE, sizeof (Keyed));
  gboolean         ok = TRUE;

  members_init (&m, n, k);
  for (gsize i = 0; i < n; i++)
    {
      members_add (&m, i, (guint) labels[i]);
      cnt[labels[i]]++;
    }
  for (guint round = 0; round < 100; round++)
    {
      gsize improved = 0;

      for (guint a = 0; a < k && ok; a++)
        {
          if (!cs_progress_check (progress, error))
            ok = FALSE;
          for (guint b = a + 1; b < k && ok; b++)
            {
              gsize t = 0, ta, tb;

              g_array_set_size (A, 0);
              g_array_set_size (B, 0);
              for (guint s = 0; s < m.list[a]->len; s++)
                {
                  gsize p = g_array_index (m.list[a], gsize, s);
                  Keyed e = { D[p * k + a] - D[p * k + b], p };
                  if (e.key > 0 || caps->balanced)
                    g_array_append_val (A, e);
                }
              for (guint s = 0; s < m.list[b]->len; s++)
                {
                  gsize q = g_array_index (m.list[b], gsize, s);
                  Keyed e = { D[q * k + b] - D[q * k + a], q };
                  if (e.key > 0 || caps->balanced)
                    g_array_append_val (B, e);
                }
              if (A->len == 0 && B->len == 0)
                continue;
              g_array_sort (A, keyed_desc);
              g_array_sort (B, keyed_desc);
              for (; t < A->len && t < B->len; t++)
                {
                  Keyed ea = g_array_index (A, Keyed, t);
                  Keyed eb = g_array_index (B, Keyed, t);
                  double scale = D[ea.i * k + a] + D[eb.i * k + b];
                  if (!(ea.key + eb.key > 1e-12 * scale))
                    break;
                  members_remove (&m, ea.i, a);
                  members_add (&m, ea.i, b);
                  members_remove (&m, eb.i, b);
                  members_add (&m, eb.i, a);
                  labels[ea.i] = (int) b;
                  labels[eb.i] = (int) a;
                  improved++;
                }
              for (ta = t; ta < A->len && g_array_index (A, Keyed, ta).key > 1e-12 * D[g_array_index (A, Keyed, ta).i * k + a]
                           && caps_movable (caps, cnt[a], cnt[b]); ta++)
                {
                  gsize p = g_array_index (A, Keyed, ta).i;
                  members_remove (&m, p, a);
                  members_add (&m, p, b);
                  labels[p] = (int) b;
                  cnt[a]--;
                  cnt[b]++;
                  improved++;
                }
              for (tb = t; tb < B->len && g_array_index (B, Keyed, tb).key > 1e-12 * D[g_array_index (B, Keyed, tb).i * k + b]
                           && caps_movable (caps, cnt[b], cnt[a]); tb++)
                {
                  gsize q = g_array_index (B, Keyed, tb).i;
                  members_remove (&m, q, b);
                  members_add (&m, q, a);
                  labels[q] = (int) a;
                  cnt[b]--;
                  cnt[a]++;
                  improved++;
                }
            }
        }
      if (!ok || improved == 0)
        break;
    }
  members_clear (&m, k);
  return ok;
}

static gboolean
feasible_labels (const int *labels, gsize n, const Caps *caps)
{
  g_autofree gsize *cnt = g_new0 (gsize, caps->k);

  for (gsize i = 0; i < n; i++)
    {
      if (labels[i] < 0 || labels[i] >= (int) caps->k)
        return FALSE;
      cnt[labels[i]]++;
    }
  for (guint j = 0; j < caps->k; j++)
    if (caps->balanced ? (cnt[j] < caps->lo || cnt[j] > caps->lo + 1) : cnt[j] > caps->cap)
      return FALSE;
  return TRUE;
}

static gboolean
check_sizes (gsize n, guint k, gsize max_size, GError **error)
{
  if (k == 0 || k > n)
    {
      g_autofree char *rows = cs_format_count (n);
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameter ‘k’ = %u must be between 1 and the number of rows (%s)", k, rows);
      return FALSE;
    }
  if (max_size > 0 && (guint64) max_size * k < n)
    {
      g_autofree char *rows = cs_format_count (n);
      g_autofree char *need = cs_format_count ((n + k - 1) / k);
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameter ‘max_size’ = %" G_GSIZE_FORMAT " leaves no room for %s rows in %u clusters: it must "
                   "be at least %s (or 0 for equal sizes)", max_size, rows, k, need);
      return FALSE;
    }
  return TRUE;
}

gboolean
cs_balanced_kmeans_assign (const CsMatrix  *x,
                           const CsMatrix  *centers,
                           gsize            max_size,
                           CsBalancedAssign method,
                           int             *labels,
                           double          *cost,
                           CsProgress      *progress,
                           GError         **error)
{
  gsize            n = x->rows;
  guint            k = (guint) centers->rows;
  g_autofree double *D = NULL;
  Caps             caps;

  g_return_val_if_fail (centers->cols == x->cols && labels != NULL, FALSE);
  if (!check_sizes (n, k, max_size, error))
    return FALSE;
  D = g_try_new (double, n * k);
  if (D == NULL)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "Out of memory for the distances of balanced k-means");
      return FALSE;
    }
  caps_init (&caps, n, k, max_size);
  all_distances (x, centers, D);
  if (method == CS_BALANCED_ASSIGN_AUTO)
    method = n <= CS_BALANCED_EXACT_MAX_ROWS ? CS_BALANCED_ASSIGN_EXACT : CS_BALANCED_ASSIGN_GREEDY;
  if (method == CS_BALANCED_ASSIGN_EXACT)
    {
      if (!exact_assign (D, n, &caps, labels, progress, error))
        return FALSE;
    }
  else
    {
      if (!feasible_labels (labels, n, &caps))
        greedy_assign (D, n, &caps, labels);
      if (!swap_refine (D, n, &caps, labels, progress, error))
        return FALSE;
    }
  g_assert (feasible_labels (labels, n, &caps));
  if (cost)
    {
      double s = 0.0;
      for (gsize i = 0; i < n; i++)
        s += D[i * k + labels[i]];
      *cost = s;
    }
  return TRUE;
}

/* Means of the clusters; an empty cluster (possible only under max_size) keeps its centre. */
static void
update_centers (const CsMatrix *x, const int *labels, CsMatrix *centers)
{
  gsize             d = x->cols;
  guint             k = (guint) centers->rows;
  g_autofree double *sum = g_new0 (double, (gsize) k * d);
  g_autofree gsize *cnt = g_new0 (gsize, k);

  for (gsize i = 0; i < x->rows; i++)
    {
      const double *xi = cs_matrix_row (x, i);
      double       *s = sum + (gsize) labels[i] * d;
      for (gsize t = 0; t < d; t++)
        s[t] += xi[t];
      cnt[labels[i]]++;
    }
  for (guint j = 0; j < k; j++)
    if (cnt[j] > 0)
      for (gsize t = 0; t < d; t++)
        centers->data[(gsize) j * d + t] = sum[(gsize) j * d + t] / (double) cnt[j];
}

static double
objective_of (const CsMatrix *x, const int *labels, const CsMatrix *centers)
{
  double s = 0.0;

  for (gsize i = 0; i < x->rows; i++)
    s += cs_sqdist (cs_matrix_row (x, i), cs_matrix_row (centers, labels[i]), x->cols);
  return s;
}

gboolean
cs_balanced_kmeans_run (const CsMatrix                *x,
                        const CsBalancedKmeansOptions *o,
                        CsProgress                    *progress,
                        CsTrace                       *trace,
                        CsClustering                 **out,
                        GError                       **error)
{
  gsize             n = x->rows;
  gsize             d = x->cols;
  guint             k = o->k;
  g_autoptr (CsMatrix) best_centers = NULL;
  g_autofree int *best_labels = g_new (int, MAX (n, 1));
  g_autoptr (CsTrace) best_trace = NULL;
  double            best_obj = INFINITY;
  guint             best_iter = 0;
  gboolean          best_conv = FALSE;
  CsBalancedAssign  method = o->assign;
  CsClustering     *c;

  g_return_val_if_fail (x != NULL && o != NULL && out != NULL, FALSE);
  *out = NULL;
  if (n == 0 || d == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "Balanced k-means needs at least one row and one column");
      return FALSE;
    }
  if (!check_sizes (n, k, o->max_size, error))
    return FALSE;
  if (o->n_init == 0 || o->max_iter == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "Parameters ‘n_init’ and ‘max_iter’ must be at least 1");
      return FALSE;
    }
  if (method == CS_BALANCED_ASSIGN_AUTO)
    method = n <= CS_BALANCED_EXACT_MAX_ROWS ? CS_BALANCED_ASSIGN_EXACT : CS_BALANCED_ASSIGN_GREEDY;

  for (guint r = 0; r < o->n_init; r++)
    {
      g_autoptr (CsMatrix) centers = cs_matrix_new (k, d);
      g_autofree int *labels = g_new (int, n);
      g_autofree int *prev = g_new (int, n);
      g_autoptr (CsTrace) run_trace = trace ? cs_trace_new (trace->max_steps) : NULL;
      double          prev_obj = INFINITY;
      double          obj = INFINITY;
      guint           it = 0;
      gboolean        converged = FALSE;
      CsRng           rng;

      /* One stream per restart: restart r does not depend on how the ones before it went. */
      cs_rng_init_stream (&rng, o->seed, r);
      cs_i_plusplus (x, 0, k, &rng, centers->data);
      for (gsize i = 0; i < n; i++)
        labels[i] = -1;
      while (it < o->max_iter)
        {
          gsize changed = 0;
          g_autofree char *stage = g_strdup_printf ("restart %u of %u, iteration %u", r + 1, o->n_init, it + 1);

          if (!cs_progress_report (progress, ((double) r + (double) it / o->max_iter) / o->n_init, stage))
            return cs_progress_check (progress, error);
          memcpy (prev, labels, n * sizeof (int));
          if (!cs_balanced_kmeans_assign (x, centers, o->max_size, method, labels, NULL, progress, error))
            return FALSE;
          it++;
          for (gsize i = 0; i < n; i++)
            changed += labels[i] != prev[i];
          update_centers (x, labels, centers);
          obj = objective_of (x, labels, centers);
          if (run_trace)
            cs_trace_add (run_trace, it, labels, n, centers, NULL, k, obj, changed, NULL);
          /* The exact step never raises the objective; a step that does not lower it ends
           * the run (the greedy step could otherwise cycle between equal assignments). */
          if (changed == 0 || !(obj < prev_obj))
            {
              converged = TRUE;
              break;
            }
          prev_obj = obj;
        }
      if (obj < best_obj || best_centers == NULL)
        {
          best_obj = obj;
          best_iter = it;
          best_conv = converged;
          g_clear_pointer (&best_centers, cs_matrix_free);
          best_centers = g_steal_pointer (&centers);
          memcpy (best_labels, labels, n * sizeof (int));
          g_clear_pointer (&best_trace, cs_trace_free);
          best_trace = g_steal_pointer (&run_trace);
        }
    }

  c = cs_clustering_new ("balanced-kmeans", n, d, k);
  memcpy (c->labels, best_labels, n * sizeof (int));
  c->centers = g_steal_pointer (&best_centers);
  c->objective = best_obj;
  c->objective_name = "inertia";
  c->objective_kind = CS_OBJECTIVE_INERTIA;
  c->iterations = best_iter;
  c->converged = best_conv;
  if (trace && best_trace)
    {
      trace->n = n;
      trace->k = k;
      while (best_trace->steps->len > 0)
        g_ptr_array_add (trace->steps, g_ptr_array_steal_index (best_trace->steps, 0));
    }
  cs_progress_report (progress, 1.0, "done");
  *out = c;
  return TRUE;
}

static const char *const assign_choices[] = { "auto", "exact", "greedy", NULL };
static const char *const assign_labels[] = { "Automatic (exact up to 4,000 rows)", "Exact (minimum-cost flow)",
                                             "Greedy with swaps", NULL };

static const CsParamSpec balanced_params[] = {
  { .name = "k", .label = "Clusters (k)", .help = "How many clusters to find.", .type = CS_PARAM_INT, .min = 1,
    .max = 1000, .default_num = 3 },
  { .name = "max_size", .label = "Largest cluster",
    .help = "No cluster gets more rows than this; Equal sizes makes every size n / k rounded down or up.",
    .type = CS_PARAM_INT, .min = 0, .max = 1e9, .default_num = 0, .zero_label = "Equal sizes" },
  { .name = "assignment", .label = "Assignment",
    .help = "Exact finds the best rows-to-centres assignment under the sizes (minimum-cost flow); greedy with "
            "swaps is faster on large data.",
    .type = CS_PARAM_ENUM, .default_str = "auto", .choices = assign_choices, .choice_labels = assign_labels,
    .advanced = TRUE },
  { .name = "n_init", .label = "Restarts",
    .help = "How many runs from different k-means++ starts; the one with the lowest inertia is kept.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000, .default_num = 3, .advanced = TRUE },
  { .name = "max_iter", .label = "Maximum iterations", .help = "Each run stops after this many iterations at the latest.",
    .type = CS_PARAM_INT, .min = 1, .max = 100000, .default_num = 100, .advanced = TRUE },
  { .name = "seed", .label = "Random seed",
    .help = "The same seed gives the same clustering on any machine and any number of threads.",
    .type = CS_PARAM_INT, .min = 0, .max = 2147483647.0, .default_num = 0 },
};

static gboolean
balanced_run_params (const CsMatrix *x,
                     const CsParams *params,
                     CsProgress     *progress,
                     CsTrace        *trace,
                     CsClustering  **out,
                     GError        **error)
{
  CsBalancedKmeansOptions o;
  const char             *a = cs_params_get_string (params, "assignment");

  cs_balanced_kmeans_options_init (&o);
  o.k = (guint) cs_params_get_int (params, "k");
  o.max_size = (gsize) cs_params_get_int (params, "max_size");
  o.n_init = (guint) cs_params_get_int (params, "n_init");
  o.max_iter = (guint) cs_params_get_int (params, "max_iter");
  o.seed = (guint64) cs_params_get_int (params, "seed");
  o.assign = g_strcmp0 (a, "exact") == 0    ? CS_BALANCED_ASSIGN_EXACT
             : g_strcmp0 (a, "greedy") == 0 ? CS_BALANCED_ASSIGN_GREEDY
                                            : CS_BALANCED_ASSIGN_AUTO;
  return cs_balanced_kmeans_run (x, &o, progress, trace, out, error);
}

const CsAlgorithm cs_algorithm_balanced_kmeans = {
  .id = "balanced-kmeans",
  .name = "Balanced k-means",
  .description = "k-means whose clusters have equal sizes (differing by at most one row) or at most a given size: "
                 "each assignment step is the best one the sizes allow. For even groups, batches or subclasses.",
  .category = "Centroid",
  .objective = CS_OBJECTIVE_INERTIA,
  .params = balanced_params,
  .n_params = G_N_ELEMENTS (balanced_params),
  .run = balanced_run_params,
};
