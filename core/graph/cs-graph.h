#pragma once

#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"

G_BEGIN_DECLS

/* An undirected weighted graph: n nodes with names, the edges in compressed sparse rows
 * (every edge stored in both rows, column indices ascending within a row), and what a node
 * table said about the nodes. Immutable once built; refcounted. */
typedef struct
{
  gatomicrefcount ref;
  gsize    n;
  gsize    n_edges;     /* undirected edges, each stored twice in the rows */
  char   **names;       /* Owned, n node ids as written (NULL-terminated) */
  gsize   *row_ptr;     /* Owned, n + 1 */
  guint32 *col;         /* Owned, 2 · n_edges neighbours */
  double  *w;           /* Owned, 2 · n_edges weights, all finite and > 0 */
  gboolean weighted;    /* some edge had a weight column */
  /* From the node table (or a generator), else NULL / 0 */
  int     *labels;      /* Owned, n entries in [0, n_classes), −1 where unknown */
  char   **class_names; /* Owned, n_classes names (NULL-terminated) */
  guint    n_classes;
  char    *label_name;  /* Owned: the node table's label column header */
  gsize    n_attrs;
  char   **attr_names;  /* Owned, n_attrs column headers (NULL-terminated) */
  char   **attr_values; /* Owned, n × n_attrs cells (row-major), NULL where empty */
  /* What the loader set aside, for the CLI and the window to report */
  gsize    n_self_loops; /* lines u,u (dropped: the Laplacian ignores them and A's diagonal
                            would only shift every walk kernel) */
  gsize    n_duplicates; /* lines repeating an edge with the same weight, either direction */
} CsGraph;

CsGraph *cs_graph_ref (CsGraph *g);
void     cs_graph_unref (CsGraph *g);

/* Builds a graph on n nodes named "0" … "n−1" from m edges (u[e], v[e], weight w[e] or 1 when
 * w is NULL). Self-loops are dropped, repeated pairs merged by adding their weights. */
CsGraph *cs_graph_new_from_edges (gsize          n,
                                  const guint32 *u,
                                  const guint32 *v,
                                  const double  *w,
                                  gsize          m,
                                  GError       **error);

/* Edge list: one edge a line, `source<delim>target[<delim>weight]`, the delimiter sniffed
 * among tab, comma, semicolon and blanks; `#` and `%` start comment lines; fields may be
 * double-quoted. The first line is a header when its weight field is not a number or, on a
 * list without weights, when its two fields read source/target (from/to, src/dst, node1/node2,
 * u/v). Node ids are any text; when
 * every id is an integer the nodes are ordered by value, else by first appearance.
 * Refused with FILE:LINE:COLUMN: a weight that is not a finite number > 0, a line with fewer
 * than two or more than three fields, an empty id, the same edge twice with different
 * weights (both lines named), text that is not UTF-8, no edges at all. Dropped and counted:
 * self-loops, exact repeats. */
CsGraph *cs_graph_load_edges (const char *path, CsProgress *progress, GError **error);
CsGraph *cs_graph_load_edges_data (const char *data,
                                   gsize       length,
                                   const char *name,
                                   CsProgress *progress,
                                   GError    **error);

/* Node table: a header row `id,label,attr…` (the id column first; the label column is the one
 * named label/class/club/community/block/group/value, else the second), then one row per
 * node. Every id must be a node of the edge list (a typo would otherwise add an isolated
 * node that no kernel can place) and appear once; nodes without a row keep label −1.
 * Returns a new graph: g with labels and attributes. */
CsGraph *cs_graph_with_nodes (const CsGraph *g, const char *path, GError **error);
CsGraph *cs_graph_with_nodes_data (const CsGraph *g,
                                   const char    *data,
                                   gsize          length,
                                   const char    *name,
                                   GError       **error);

/* Planted partition / stochastic block model: blocks of sizes[0 … n_blocks), an edge inside
 * a block with probability p_in, between blocks with p_out, independently (geometric skips,
 * so O(n + edges) time). Labels are the blocks. Same seed, same graph. */
CsGraph *cs_graph_new_sbm (const gsize *sizes,
                           guint        n_blocks,
                           double       p_in,
                           double       p_out,
                           guint64      seed,
                           GError     **error);

/* The symmetric k-nearest-neighbour graph of the rows of x (an edge when either is among the
 * other's k nearest; weight 1), for running graph methods on point data. O(n² d) time,
 * O(n k) memory. */
CsGraph *cs_graph_new_knn (const CsMatrix *x, guint k, CsProgress *progress, GError **error);

/* Weighted degrees (n entries). */
void      cs_graph_degrees (const CsGraph *g, double *out);
/* Dense n × n adjacency; refused (CS_ERROR_TOO_LARGE) past the memory budget. */
CsMatrix *cs_graph_adjacency (const CsGraph *g, GError **error);
/* Number of connected components; comp (n entries, may be NULL) receives each node's. */
gsize     cs_graph_components (const CsGraph *g, gsize *comp);
/* Index of the node called `name`, or −1. */
gssize    cs_graph_find (const CsGraph *g, const char *name);

/* Newman's modularity of a partition (labels in [0, k), −1 rows ignored). */
double    cs_graph_modularity (const CsGraph *g, const int *labels, guint k);

/* The augmented graph of an attributed graph (Bootstrap-AMG paper): one extra vertex per
 * distinct (attribute, value) pair, linked with weight `attr_weight` to the nodes that have
 * it. Nodes 0 … n−1 are g's; n_extra receives the number added. */
CsGraph *cs_graph_augment (const CsGraph *g, double attr_weight, gsize *n_extra, GError **error);

/* A bundled graph with its node table: "karate" or "sbm-1000" (resources/data/graphs/). */
CsGraph *cs_graph_load_sample (const char *id, GError **error);
/* NULL-terminated ids of the bundled graphs. */
const char *const *cs_graph_sample_ids (void);

/* Writes the edge list (source,target,weight) and, when the graph has labels, a node table. */
char     *cs_graph_edges_to_csv (const CsGraph *g);
char     *cs_graph_nodes_to_csv (const CsGraph *g);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsGraph, cs_graph_unref)

G_END_DECLS
