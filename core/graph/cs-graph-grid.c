#include "core/graph/cs-graph-grid.h"

#include <math.h>

#include "core/base/cs-error.h"
#include "core/graph/cs-kernel-cluster.h"
#include "core/metrics/cs-metrics.h"

gboolean
cs_graph_kernel_log_twin (CsGraphKernel  plain,
                          CsGraphKernel *log)
{
  switch (plain)
    {
    case CS_GRAPH_KERNEL_PWALK: *log = CS_GRAPH_KERNEL_WALK; return TRUE;
    case CS_GRAPH_KERNEL_FOREST: *log = CS_GRAPH_KERNEL_LOG_FOREST; return TRUE;
    case CS_GRAPH_KERNEL_COMM: *log = CS_GRAPH_KERNEL_LOG_COMM; return TRUE;
    case CS_GRAPH_KERNEL_HEAT: *log = CS_GRAPH_KERNEL_LOG_HEAT; return TRUE;
    case CS_GRAPH_KERNEL_NHEAT: *log = CS_GRAPH_KERNEL_LOG_NHEAT; return TRUE;
    case CS_GRAPH_KERNEL_SCT: *log = CS_GRAPH_KERNEL_LOG_SCT; return TRUE;
    case CS_GRAPH_KERNEL_PPR: *log = CS_GRAPH_KERNEL_LOG_PPR; return TRUE;
    case CS_GRAPH_KERNEL_MPPR: *log = CS_GRAPH_KERNEL_LOG_MPPR; return TRUE;
    default: return FALSE;
    }
}

void
cs_plain_log_curve_free (CsPlainLogCurve *c)
{
  if (c == NULL)
    return;
  g_free (c->alpha);
  g_free (c->ari_plain);
  g_free (c->ari_log);
  g_free (c);
}

CsPlainLogCurve *
cs_plain_log_curve (const CsGraph *g,
                    CsGraphKernel  plain,
                    guint          n_alpha,
                    guint          k,
                    guint64        seed,
                    CsProgress    *progress,
                    GError       **error)
{
  g_autoptr (CsPlainLogCurve) c = g_new0 (CsPlainLogCurve, 1);
  g_autoptr (CsGraphSpectra) s = NULL;
  double rho = 1.0;

  g_return_val_if_fail (g != NULL, NULL);
  if (g->labels == NULL || g->n_classes < 2)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "the plain vs log comparison scores clusterings against node labels, and this graph has none "
                   "(give a node table with a label column)");
      return NULL;
    }
  if (!cs_graph_kernel_log_twin (plain, &c->log))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "%s has no logarithmic form with a parameter",
                   cs_graph_kernel_name (plain));
      return NULL;
    }
  if (n_alpha < 1 || n_alpha > 1000)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "a grid of %u points; it must have 1–1,000", n_alpha);
      return NULL;
    }
  if (k == 0)
    k = g->n_classes;
  c->plain = plain;
  c->n = n_alpha;
  c->alpha = g_new (double, n_alpha);
  c->ari_plain = g_new (double, n_alpha);
  c->ari_log = g_new (double, n_alpha);
  s = cs_graph_spectra_new (g, error);
  if (s == NULL)
    return NULL;
  if (cs_graph_kernel_scale (plain) == CS_GRAPH_SCALE_RHO && !cs_graph_spectra_rho (s, &rho, NULL, error))
    return NULL;
  for (guint i = 0; i < n_alpha; i++)
    {
      c->alpha[i] = (double) (i + 1) / (n_alpha + 1);
      for (guint which = 0; which < 2; which++)
        {
          CsGraphKernel kernel = which == 0 ? plain : c->log;
          double t = cs_graph_kernel_t_from_alpha (kernel, c->alpha[i], rho);
          double *slot = which == 0 ? &c->ari_plain[i] : &c->ari_log[i];
          g_autoptr (CsMatrix) km = NULL;
          g_autoptr (CsClustering) cl = NULL;
          g_autoptr (GError) local = NULL;
          CsKernelKmeansOptions o;

          *slot = NAN;
          cs_progress_report (progress, (2.0 * i + which) / (2.0 * n_alpha), "kernel k-means on the grid");
          if (!cs_progress_check (progress, error))
            return NULL;
          /* A point where a kernel cannot be formed (overflow, a singular matrix) is a gap in
           * the curve, not the end of the comparison. */
          if (!cs_graph_kernel_compute (s, kernel, t, &km, NULL, NULL, &local))
            continue;
          cs_kernel_kmeans_options_init (&o);
          o.k = k;
          o.seed = seed;
          if (!cs_kernel_kmeans_run (km, &o, NULL, &cl, &local))
            continue;
          *slot = cs_metric_ari (cl->labels, g->labels, g->n);
        }
    }
  return g_steal_pointer (&c);
}
