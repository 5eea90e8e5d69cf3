/* Graph clustering benchmarks, driven by bench/graph.py:
 *   bench-graph sbm SIZE_PER_BLOCK BLOCKS P_IN P_OUT SEED EDGES_OUT LABELS_OUT   write a block model
 *   bench-graph spectral EDGES K LABELS_OUT        spectral clustering of an edge list; JSON timing
 *   bench-graph grid N T_COUNT                     kernel grid on a 4-block model of N nodes: one
 *                                                  eigendecomposition, T_COUNT kernels + kernel k-means
 *   bench-graph nystrom N M K                      Nyström (RBF, m landmarks) + k-means on N points
 * Every mode prints one JSON line with seconds and peak memory (VmHWM, KiB). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench-common.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-kmeans.h"
#include "core/graph/cs-graph-kernel.h"
#include "core/graph/cs-graph.h"
#include "core/graph/cs-kernel-cluster.h"
#include "core/metrics/cs-metrics.h"

static long
hwm_kib (void)
{
  g_autofree char *status = NULL;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  const char *p = strstr (status, "VmHWM:");
  return p ? strtol (p + 6, NULL, 10) : -1;
}

static double
now (void)
{
  return (double) g_get_monotonic_time () / 1e6;
}

static int
mode_sbm (char **argv)
{
  guint blocks = (guint) atoi (argv[3]);
  g_autofree gsize *sizes = g_new (gsize, blocks);
  g_autoptr (GError) error = NULL;
  for (guint b = 0; b < blocks; b++)
    sizes[b] = (gsize) atol (argv[2]);
  g_autoptr (CsGraph) g = cs_graph_new_sbm (sizes, blocks, g_ascii_strtod (argv[4], NULL), g_ascii_strtod (argv[5], NULL),
                                            (guint64) atoll (argv[6]), &error);
  if (g == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  g_autofree char *edges = cs_graph_edges_to_csv (g);
  GString *labels = g_string_new (NULL);
  for (gsize i = 0; i < g->n; i++)
    g_string_append_printf (labels, "%d\n", g->labels[i]);
  if (!g_file_set_contents (argv[7], edges, -1, &error) || !g_file_set_contents (argv[8], labels->str, -1, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  g_string_free (labels, TRUE);
  printf ("{\"nodes\": %zu, \"edges\": %zu}\n", g->n, g->n_edges);
  return 0;
}

static int
mode_spectral (char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsGraph) g = cs_graph_load_edges (argv[2], NULL, &error);
  g_autoptr (CsClustering) c = NULL;
  CsSpectralOptions o;
  long base;
  double t0, sec;

  if (g == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  base = hwm_kib ();
  cs_spectral_options_init (&o);
  o.k = (guint) atoi (argv[3]);
  o.n_init = 10; /* scikit-learn's default for the k-means step */
  t0 = now ();
  clock_t c0 = clock ();
  if (!cs_spectral_cluster (g, &o, NULL, &c, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  sec = now () - t0;
  double cpu = (double) (clock () - c0) / CLOCKS_PER_SEC;
  /* labels in node-id order (ids are 0 … n−1, ordered by value) */
  GString *s = g_string_new (NULL);
  for (gsize i = 0; i < g->n; i++)
    g_string_append_printf (s, "%d\n", c->labels[i]);
  g_file_set_contents (argv[4], s->str, -1, NULL);
  g_string_free (s, TRUE);
  printf ("{\"seconds\": %.6f, \"cpu_seconds\": %.6f, \"base_rss_kib\": %ld, \"peak_rss_kib\": %ld}\n", sec, cpu,
          base, hwm_kib ());
  return 0;
}

static int
mode_grid (char **argv)
{
  gsize n = (gsize) atol (argv[2]);
  guint count = (guint) atoi (argv[3]);
  gsize sizes[4] = { n / 4, n / 4, n / 4, n - 3 * (n / 4) };
  g_autoptr (GError) error = NULL;
  /* mean degree ~ 20, a third of it between blocks: hard enough that t matters */
  double p_in = 13.0 / (n / 4.0), p_out = 7.0 / (3.0 * n / 4.0);
  g_autoptr (CsGraph) g = cs_graph_new_sbm (sizes, 4, p_in, p_out, 1, &error);
  static const CsGraphKernel kernels[] = { CS_GRAPH_KERNEL_FOREST, CS_GRAPH_KERNEL_LOG_FOREST, CS_GRAPH_KERNEL_COMM,
                                           CS_GRAPH_KERNEL_LOG_COMM };
  double t0 = now (), t_decomp = 0.0, t_kernels = 0.0, t_cluster = 0.0;
  clock_t c0 = clock ();
  double best_ari[G_N_ELEMENTS (kernels)] = { 0 };
  g_autoptr (CsGraphSpectra) s = cs_graph_spectra_new (g, &error);
  double rho;

  if (s == NULL || !cs_graph_spectra_rho (s, &rho, NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  /* the Laplacian's decomposition, timed once */
  {
    g_autoptr (CsMatrix) k = NULL;
    if (!cs_graph_kernel_compute (s, CS_GRAPH_KERNEL_FOREST, 1.0, &k, NULL, NULL, &error))
      {
        fprintf (stderr, "%s\n", error->message);
        return 1;
      }
  }
  t_decomp = now () - t0;
  double cpu_decomp = (double) (clock () - c0) / CLOCKS_PER_SEC;
  for (gsize q = 0; q < G_N_ELEMENTS (kernels); q++)
    for (guint i = 1; i <= count; i++)
      {
        double alpha = (double) i / (count + 1);
        double t = cs_graph_kernel_t_from_alpha (kernels[q], alpha, rho);
        g_autoptr (CsMatrix) k = NULL;
        g_autoptr (CsClustering) c = NULL;
        double a = now ();
        if (!cs_graph_kernel_compute (s, kernels[q], t, &k, NULL, NULL, &error))
          {
            g_clear_error (&error);
            continue;
          }
        double b = now ();
        CsKernelKmeansOptions o;
        cs_kernel_kmeans_options_init (&o);
        o.k = 4;
        o.n_init = 3;
        if (!cs_kernel_kmeans_run (k, &o, NULL, &c, &error))
          {
            fprintf (stderr, "%s\n", error->message);
            return 1;
          }
        t_kernels += b - a;
        t_cluster += now () - b;
        best_ari[q] = MAX (best_ari[q], cs_metric_ari (c->labels, g->labels, g->n));
      }
  printf ("{\"nodes\": %zu, \"edges\": %zu, \"kernels\": %zu, \"decomposition_seconds\": %.4f, "
          "\"kernel_seconds\": %.4f, \"kmeans_seconds\": %.4f, \"total_seconds\": %.4f, "
          "\"decomposition_cpu_seconds\": %.4f, \"total_cpu_seconds\": %.4f, "
          "\"best_ari\": {\"for\": %.4f, \"logfor\": %.4f, \"comm\": %.4f, \"logcomm\": %.4f}, \"peak_rss_kib\": %ld}\n",
          g->n, g->n_edges, G_N_ELEMENTS (kernels) * count, t_decomp, t_kernels, t_cluster, now () - t0, cpu_decomp,
          (double) (clock () - c0) / CLOCKS_PER_SEC, best_ari[0], best_ari[1], best_ari[2], best_ari[3], hwm_kib ());
  return 0;
}

static int
mode_nystrom (char **argv)
{
  gsize n = (gsize) atol (argv[2]);
  guint m = (guint) atoi (argv[3]);
  guint k = (guint) atoi (argv[4]);
  gsize d = 10;
  g_autoptr (CsMatrix) x = cs_matrix_new (n, d);
  g_autoptr (CsMatrix) centres = cs_matrix_new (k, d);
  g_autofree int *truth = g_new (int, n);
  g_autoptr (GError) error = NULL;
  g_autoptr (CsMatrix) phi = NULL;
  g_autoptr (CsClustering) c = NULL;
  CsRng rng;

  cs_rng_init (&rng, 1);
  for (gsize i = 0; i < k * d; i++)
    centres->data[i] = 8.0 * cs_rng_uniform (&rng);
  for (gsize i = 0; i < n; i++)
    {
      truth[i] = (int) (i % k);
      for (gsize j = 0; j < d; j++)
        x->data[i * d + j] = centres->data[truth[i] * d + j] + cs_rng_normal (&rng);
    }
  long base = hwm_kib ();
  double t0 = now ();
  clock_t c0 = clock ();
  CsNystromOptions o = { { CS_POINT_KERNEL_RBF, 1.0 / (2.0 * d), 1 }, m, FALSE, 1 };
  if (!cs_nystrom_features (x, &o, NULL, &phi, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  double t1 = now ();
  CsKmeansOptions ko;
  cs_kmeans_options_init (&ko);
  ko.k = k;
  ko.n_init = 3;
  if (!cs_kmeans_run (phi, &ko, NULL, NULL, &c, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  double t2 = now ();
  printf ("{\"n\": %zu, \"m\": %u, \"rank\": %zu, \"nystrom_seconds\": %.4f, \"kmeans_seconds\": %.4f, "
          "\"total_seconds\": %.4f, \"total_cpu_seconds\": %.4f, \"ari\": %.4f, \"base_rss_kib\": %ld, "
          "\"peak_rss_kib\": %ld}\n",
          n, m, phi->cols, t1 - t0, t2 - t1, t2 - t0, (double) (clock () - c0) / CLOCKS_PER_SEC,
          cs_metric_ari (c->labels, truth, n), base, hwm_kib ());
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (argc >= 9 && strcmp (argv[1], "sbm") == 0)
    return mode_sbm (argv);
  if (argc >= 5 && strcmp (argv[1], "spectral") == 0)
    return mode_spectral (argv);
  if (argc >= 4 && strcmp (argv[1], "grid") == 0)
    return mode_grid (argv);
  if (argc >= 5 && strcmp (argv[1], "nystrom") == 0)
    return mode_nystrom (argv);
  fprintf (stderr, "usage: bench-graph sbm|spectral|grid|nystrom ... (see the source)\n");
  return 2;
}
