#include "core/cluster/cs-result.h"
#include "core/cluster/cs-registry.h"
#include "core/cluster/cs-trace.h"
#include "core/cluster/cs-ppp.h"
#include "core/cluster/cs-sdp.h"
#include "core/cluster/cs-hdbscan.h"

#include <math.h>
#include <string.h>

const char *
cs_point_kind_name (CsPointKind kind)
{
  switch (kind)
    {
    case CS_POINT_CORE:
      return "core";
    case CS_POINT_BORDER:
      return "border";
    case CS_POINT_NOISE:
    default:
      return "noise";
    }
}

CsClustering *
cs_clustering_new (const char *algorithm,
                   gsize       n,
                   gsize       d,
                   guint       k)
{
  CsClustering *c = g_new0 (CsClustering, 1);

  g_atomic_ref_count_init (&c->ref);
  c->algorithm = g_strdup (algorithm);
  c->n = n;
  c->d = d;
  c->k = k;
  c->labels = g_new0 (int, MAX (n, 1));
  c->objective = NAN;
  c->objective_name = "objective";
  c->loglik = NAN;
  c->bic = NAN;
  c->icl = NAN;
  c->tight = -1;
  return c;
}

CsClustering *
cs_clustering_ref (CsClustering *c)
{
  g_return_val_if_fail (c != NULL, NULL);
  g_atomic_ref_count_inc (&c->ref);
  return c;
}

void
cs_clustering_unref (CsClustering *c)
{
  if (c == NULL || !g_atomic_ref_count_dec (&c->ref))
    return;
  g_free (c->algorithm);
  cs_params_free (c->params);
  g_free (c->labels);
  cs_matrix_free (c->centers);
  g_free (c->medoids);
  g_free (c->score_by_k);
  g_free (c->medoids_by_k);
  g_free (c->weights);
  cs_matrix_free (c->covariances);
  cs_matrix_free (c->responsibilities);
  g_free (c->uncertainty);
  g_free (c->point_kinds);
  g_free (c->merges);
  cs_sdp_report_free (c->sdp);
  cs_ppp_tree_free (c->ppp);
  cs_condensed_tree_free (c->condensed_tree);
  g_free (c);
}

gsize
cs_clustering_medoids_by_k_size (guint k_min,
                                 guint n_scores)
{
  /* k_min + (k_min + 1) + … + (k_min + n_scores − 1) */
  return (gsize) n_scores * k_min + (gsize) n_scores * (n_scores - 1) / 2;
}

const gsize *
cs_clustering_medoids_at_k (const CsClustering *c,
                            guint               k)
{
  g_return_val_if_fail (c != NULL, NULL);

  if (c->medoids_by_k == NULL || k < c->score_k_min || k - c->score_k_min >= c->n_scores)
    return NULL;
  return c->medoids_by_k + cs_clustering_medoids_by_k_size (c->score_k_min, k - c->score_k_min);
}

void
cs_clustering_sizes (const CsClustering *c,
                     gsize              *sizes)
{
  memset (sizes, 0, c->k * sizeof (gsize));
  for (gsize i = 0; i < c->n; i++)
    if (c->labels[i] >= 0 && (guint) c->labels[i] < c->k)
      sizes[c->labels[i]]++;
}

static void
trace_step_free (gpointer data)
{
  CsTraceStep *s = data;

  g_free (s->labels);
  cs_matrix_free (s->centers);
  g_free (s->medoids);
  g_free (s->note);
  g_free (s->candidates);
  g_free (s->responsibilities);
  cs_matrix_free (s->covariances);
  g_free (s->weights);
  g_free (s->positions);
  g_free (s->point_kinds);
  g_free (s);
}

CsTrace *
cs_trace_new (guint max_steps)
{
  CsTrace *t = g_new0 (CsTrace, 1);

  t->max_steps = max_steps;
  t->steps = g_ptr_array_new_with_free_func (trace_step_free);
  return t;
}

void
cs_trace_free (CsTrace *trace)
{
  if (trace == NULL)
    return;
  g_ptr_array_unref (trace->steps);
  g_free (trace->notice);
  g_free (trace);
}

void
cs_trace_add (CsTrace        *trace,
              guint           iteration,
              const int      *labels,
              gsize           n,
              const CsMatrix *centers,
              const gsize    *medoids,
              guint           k,
              double          objective,
              gsize           n_changed,
              const char     *note)
{
  CsTraceStep *s = cs_trace_push (trace, CS_TRACE_STEP_GENERIC, iteration, labels, n, k, objective, n_changed, note);

  cs_trace_step_set_centers (s, centers);
  cs_trace_step_set_medoids (s, medoids, k);
}
