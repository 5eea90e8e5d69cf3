/* Low-rank SDP k-means on n rows (default 10,000) of k = 10 Gaussian blobs in 8 dimensions:
 * wall and CPU time, peak memory, whether the relaxation was tight, agreement with the blobs;
 * progress as the run reports it; then the same run cancelled after one second, and how long
 * the cancel took to return.
 *
 *   bench-sdp [N] [K]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench-common.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-sdp.h"
#include "core/metrics/cs-metrics.h"

static gboolean
show_progress (double fraction, const char *stage, gpointer data)
{
  int *last = data;
  int pct = (int) (fraction * 100);

  if (pct >= *last + 10)
    {
      fprintf (stderr, "  %3d %%  %s\n", pct, stage);
      *last = pct;
    }
  return TRUE;
}

typedef struct
{
  GCancellable *cancellable;
  gint64        at;
} Canceller;

static gpointer
cancel_later (gpointer data)
{
  Canceller *c = data;

  g_usleep (G_USEC_PER_SEC);
  c->at = g_get_monotonic_time ();
  g_cancellable_cancel (c->cancellable);
  return NULL;
}

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main (int argc, char *argv[])
{
  gsize n = argc > 1 ? (gsize) atol (argv[1]) : 10000;
  guint k = argc > 2 ? (guint) atoi (argv[2]) : 10;
  gsize d = 8;
  g_autoptr (CsMatrix) x = cs_matrix_new (n, d);
  g_autofree int *truth = g_new (int, n);
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (GError) error = NULL;
  CsSdpOptions o;
  CsRng rng;
  int last = -10;
  long base_kib;
  gint64 t0;
  double cpu0;
  double seconds;
  double cpu;
  g_autofree double *centres = g_new (double, (gsize) k * d);

  /* Centres uniform in [−20, 20]⁸, blobs of sd 1: separated, so the relaxation can be tight. */
  cs_rng_init (&rng, 1);
  for (gsize t = 0; t < (gsize) k * d; t++)
    centres[t] = 40.0 * cs_rng_uniform (&rng) - 20.0;
  for (gsize i = 0; i < n; i++)
    {
      truth[i] = (int) (i % k);
      for (gsize j = 0; j < d; j++)
        x->data[i * d + j] = centres[truth[i] * d + j] + cs_rng_normal (&rng);
    }
  cs_sdp_options_init (&o);
  o.k = k;
  o.solver = CS_SDP_LOWRANK;
  base_kib = peak_rss_kib ();
  {
    g_autoptr (CsProgress) progress = cs_progress_new (show_progress, &last, NULL);

    t0 = g_get_monotonic_time ();
    cpu0 = cpu_seconds ();
    if (!cs_sdp_kmeans_run (x, &o, progress, &c, &error))
      {
        fprintf (stderr, "%s\n", error->message);
        return 1;
      }
    seconds = (g_get_monotonic_time () - t0) / 1e6;
    cpu = cpu_seconds () - cpu0;
  }
  printf ("low-rank SDP k-means, n = %zu × %zu, k = %u, rank %u: %.2f s wall, %.2f s CPU, %u steps\n", n, d, k,
          c->sdp->rank, seconds, cpu, c->sdp->iterations);
  printf ("  peak memory %.1f MiB (data %.1f MiB before the run); an n × n Z would be %.1f MiB\n",
          peak_rss_kib () / 1024.0, base_kib / 1024.0, (double) n * n * 8 / (1 << 20));
  printf ("  converged %s, ‖Z1 − 1‖/√n = %.1e, tight %s (‖Z − P‖/‖P‖ = %.1e), ARI vs the blobs %.4f\n",
          c->sdp->converged ? "yes" : "no", c->sdp->primal_residual, c->sdp->tight ? "yes" : "no", c->sdp->tight_gap,
          cs_metric_ari (truth, c->labels, n));
  printf ("  under a minute: %s\n", seconds < 60.0 ? "yes" : "NO");

  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (CsProgress) progress = cs_progress_new (NULL, NULL, cancellable);
    g_autoptr (GError) cancel_error = NULL;
    CsClustering *none = NULL;
    Canceller cc = { cancellable, 0 };
    GThread *thread = g_thread_new ("cancel", cancel_later, &cc);
    gboolean ok;
    gint64 returned;

    o.tol = 1e-12; /* long enough to be cancelled */
    ok = cs_sdp_kmeans_run (x, &o, progress, &none, &cancel_error);
    returned = g_get_monotonic_time ();
    g_thread_join (thread);
    if (ok)
      {
        printf ("  cancel: the run ended before the cancel\n");
        cs_clustering_unref (none);
      }
    else
      printf ("  cancel after 1 s: returned %s in %.1f ms\n",
              g_error_matches (cancel_error, CS_ERROR, CS_ERROR_CANCELLED) ? "cancelled" : cancel_error->message,
              (returned - cc.at) / 1000.0);
  }
  return 0;
}
