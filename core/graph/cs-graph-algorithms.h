#pragma once

#include "core/cluster/cs-registry.h"

G_BEGIN_DECLS

/* The registry entries that cluster the nodes of a graph (run_graph, no run): kernel k-means
 * and kernel Ward on any of the graph kernels, spectral clustering of the graph and the
 * AMG-style smooth-vector clustering. The window, `clusterscope-cli cluster` on an edge list
 * and `clusterscope-cli graph --algo` all run them through the registry. */
extern const CsAlgorithm cs_algorithm_graph_kernel_kmeans;
extern const CsAlgorithm cs_algorithm_graph_kernel_ward;
extern const CsAlgorithm cs_algorithm_graph_spectral;
extern const CsAlgorithm cs_algorithm_amg_spectral;

/* The entry for a `clusterscope-cli graph --algo` name: "kernel-kmeans", "kernel-ward",
 * "spectral" (the graph entries, whose registry ids carry a "graph-" prefix where the point
 * entries took the plain name) or "amg-spectral"; a graph entry's registry id is accepted too.
 * NULL for anything else. */
const CsAlgorithm *cs_graph_algorithm_lookup (const char *name);

/* The number of clusters a graph run uses for the parameter value k: k itself, or for 0 the
 * number of the graph's label classes when it has at least two, else 2. */
guint cs_graph_algorithm_resolve_k (const CsGraph *g, gint64 k);

G_END_DECLS
