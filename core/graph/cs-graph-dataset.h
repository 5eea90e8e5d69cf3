#pragma once

#include "core/data/cs-dataset.h"
#include "core/graph/cs-graph.h"

G_BEGIN_DECLS

/* A graph as the window's data: one row per node, so that every view and algorithm that
 * reads a table has something meaningful to show. Columns: the node's coordinates on the
 * two leading non-trivial eigenvectors of D^−½ A D^−½, each row scaled to unit length
 * ("spectral 1", "spectral 2": the scatter then shows the communities as arcs of the circle,
 * and k-means on them is Ng–Jordan–Weiss spectral clustering),
 * its weighted degree, the node table's attributes (categorical), and the node table's label
 * column last. The graph itself is kept in ds->graph for the graph views. */
CsDataset *cs_graph_dataset_new (CsGraph *g, const char *name, CsProgress *progress, GError **error);

/* The columns a graph dataset is clustered on unless the user chooses others: the two spectral
 * coordinates. Degree and attributes stay out (k-means on karate with the degree among its
 * columns splits hubs from the rest, ARI 0.08, instead of the two clubs). Writes at most two
 * column indices to `columns` and returns how many; 0 for a dataset that is not a graph. */
gsize      cs_graph_dataset_default_columns (const CsDataset *ds, int *columns);

/* TRUE for the names an edge list goes by: *.edges, *.edgelist, *.el, *.edges.csv,
 * *.edges.tsv, *.edges.txt (case-insensitive). */
gboolean   cs_graph_dataset_is_edge_list_name (const char *path);

/* Loads an edge list and, when a node table sits beside it (stem.nodes.csv or .nodes.tsv
 * for stem.edges[.csv|.tsv|.txt]), that too. */
CsDataset *cs_graph_dataset_load (const char *path, CsProgress *progress, GError **error);

/* A bundled graph ("karate") as a dataset. */
CsDataset *cs_graph_dataset_load_sample (const char *id, GError **error);

G_END_DECLS
