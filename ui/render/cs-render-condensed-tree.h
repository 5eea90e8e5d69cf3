#pragma once

#include "ui/render/cs-render.h"
#include "core/cluster/cs-hdbscan.h"

G_BEGIN_DECLS

/* HDBSCAN's condensed tree as an icicle plot (McInnes, Healy & Astels 2017, the hdbscan
 * package's CondensedTree.plot): λ = 1 / distance grows downwards from the root; each cluster is
 * a bar as wide as the rows still in it, narrowing as rows leave, and its children hang under it
 * where it splits, side by side, so left to right is the tree's leaf order. The clusters HDBSCAN
 * selected are ringed and filled in the scatter plot's colours, their subclusters in a lighter
 * shade of the same colour (their rows are the cluster's); the rest is grey: a row leaving a
 * grey bar is noise.
 *
 * Immutable once built and refcounted, like the other view models. */

typedef struct
{
  gatomicrefcount ref;
  gsize   n;          /* rows */
  guint   n_clusters; /* the root (index 0) included */
  guint   k;          /* selected clusters */
  gsize   noise;      /* rows in no selected cluster */
  int    *parent;     /* Owned, n_clusters: parent's index, −1 for the root */
  double *birth;      /* Owned, n_clusters: λ where it splits off (0 for the root) */
  double *death;      /* Owned, n_clusters: λ where its last rows leave */
  double *bottom;     /* Owned, n_clusters: the largest death in its subtree */
  gsize  *size;       /* Owned, n_clusters: rows at birth */
  double *x0;         /* Owned, n_clusters: left end of its span, in rows (0 … n) */
  int    *label;      /* Owned, n_clusters: its label when selected, else −1 */
  int    *owner;      /* Owned, n_clusters: label of the selected cluster it belongs to (itself or
                         an ancestor), else −1 */
  /* What leaves cluster c, by increasing λ: entries ev_start[c] … ev_start[c + 1] − 1 */
  gsize  *ev_start;   /* Owned, n_clusters + 1 */
  double *ev_lambda;  /* Owned */
  gsize  *ev_count;   /* Owned: rows leaving at that λ (a child cluster's rows included) */
  double  lambda_max; /* the largest finite λ; infinite ones (distance 0) are drawn there */
  int    *color_slot; /* Owned, k: palette slot per label */
  char   *title;      /* Owned, may be NULL */
} CsCondensedTreeModel;

/* From a result with a condensed tree (NULL otherwise). color_slot (c->k entries) may be NULL
 * for the identity. */
CsCondensedTreeModel *cs_condensed_tree_model_new (const CsClustering *c, const int *color_slot);
CsCondensedTreeModel *cs_condensed_tree_model_ref (CsCondensedTreeModel *m);
void                  cs_condensed_tree_model_unref (CsCondensedTreeModel *m);

void cs_render_condensed_tree (cairo_t *cr, gconstpointer model, double width, double height);

/* Where the tree's frame goes on a canvas of this size; rows 0 … n span its width, λ from 0
 * (top) to lambda_max its height. */
void cs_render_condensed_tree_layout (const CsCondensedTreeModel *m, double width, double height, CsRect *frame);
/* The canvas x of the centre of cluster `i`'s span and y of λ, in a frame from the layout. */
double cs_render_condensed_tree_x (const CsCondensedTreeModel *m, const CsRect *frame, guint i);
double cs_render_condensed_tree_y (const CsCondensedTreeModel *m, const CsRect *frame, double lambda);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsCondensedTreeModel, cs_condensed_tree_model_unref)

G_END_DECLS
