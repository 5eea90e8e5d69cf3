#pragma once

#include "ui/render/cs-render.h"
#include "core/cluster/cs-result.h"

G_BEGIN_DECLS

/* The dendrogram of a hierarchical clustering (a result with merges): leaves in SciPy's
 * dendrogram order, each merge drawn as a ∏ at its height, links below the cut in the colour of
 * their cluster (the scatter plot's palette and colour slots), links above it grey, the cut as a
 * dashed line, a height axis on the left and a strip under the leaves in the clusters' colours.
 *
 * Large trees are truncated as SciPy's truncate_mode='lastp': only the last p − 1 merges are
 * drawn, their p subtrees standing as leaves labelled with their sizes, so 20,000 rows draw as
 * fast as 200. p is at most max_leaves and never fewer than the clusters at the cut.
 *
 * Immutable once built and refcounted, like the other view models: the screen and an export
 * share it. A new cut is a new model (cheap: O(n)). */

#define CS_DENDROGRAM_MAX_LEAVES 150

typedef struct
{
  gatomicrefcount ref;
  gsize    n;
  double  *merges;      /* Owned, (n − 1) × 4: SciPy's linkage matrix */
  gsize    n_keep;      /* merges below the cut */
  guint    k;           /* clusters at the cut: n − n_keep */
  int     *labels;      /* Owned, n: cluster of each row at the cut (canonical numbering) */
  int     *color_slot;  /* Owned, k: palette slot per label */
  double   cut_height;  /* where the cut line is drawn */
  double   top;         /* the largest merge height (0 for one row) */
  /* Drawn tree */
  gsize    p;           /* leaves drawn */
  gsize    first;       /* merges first … n − 2 are drawn (first = n − p) */
  gsize   *leaf_node;   /* Owned, p: node (row < n, or n + merge) of each leaf, left to right */
  double  *node_x;      /* Owned, n − 1 − first: x of drawn merge first + i, in leaf units
                           (leaf j at j + 0.5) */
  gsize   *node_size;   /* Owned, 2n − 1: rows under each node */
  int     *node_label;  /* Owned, 2n − 1: the cluster of a node below the cut, else -1 */
  char    *title;       /* Owned, may be NULL */
  char    *y_label;     /* Owned */
  /* Playback (issue 12): a step of merging, the first n_keep merges done. Those are drawn in
   * their clusters' colours, merge n_keep − 1 (the one just made) thicker and marked with its
   * height, the merges still to come faded; the cut line says how many clusters there are at
   * this step. FALSE: the tree as cut, links above the cut grey. */
  gboolean step;
  char    *caption;     /* Owned, may be NULL: what the step is, under the title */
} CsDendrogramModel;

/* How merge r of a model is drawn. */
typedef enum
{
  CS_DENDROGRAM_MERGE_HIDDEN,     /* inside a leaf of a truncated tree */
  CS_DENDROGRAM_MERGE_IN_CLUSTER, /* below the cut: its cluster's colour */
  CS_DENDROGRAM_MERGE_CURRENT,    /* playback: the merge this step made, highlighted */
  CS_DENDROGRAM_MERGE_ABOVE_CUT,  /* grey */
  CS_DENDROGRAM_MERGE_TO_COME,    /* playback: a merge after this step, faded */
} CsDendrogramMergeState;

/* Copies merges. The cut keeps the first n_keep merges (cs_agglomerative_cut's labels, the same
 * numbering as the result that made the merges). cut_height NaN: midway between the last merge
 * kept and the next. color_slot (k entries) may be NULL for the identity. */
CsDendrogramModel *cs_dendrogram_model_new (gsize         n,
                                            const double *merges,
                                            gsize         n_keep,
                                            double        cut_height,
                                            const int    *color_slot,
                                            guint         max_leaves);
/* From a result with merges (NULL otherwise): its cut, its labels' colour slots. */
CsDendrogramModel *cs_dendrogram_model_new_from_result (const CsClustering *c,
                                                        const int          *color_slot);
/* The tree at playback position `frame` of `trace` (a merge trace of `c`, see
 * cs_playback_merges_done), coloured as the scatter's frame of that step: cs_merge_color_slots
 * from `final_slots` (the result's colour slots; NULL: the identity). The last position is the
 * result's own tree (not a step). NULL when the frame is no step of merging c's tree. */
CsDendrogramModel *cs_dendrogram_model_new_step (const CsClustering *c,
                                                 const CsTrace      *trace,
                                                 guint               frame,
                                                 const int          *final_slots);
CsDendrogramMergeState cs_dendrogram_model_merge_state (const CsDendrogramModel *m, gsize r);
CsDendrogramModel *cs_dendrogram_model_ref (CsDendrogramModel *m);
void               cs_dendrogram_model_unref (CsDendrogramModel *m);

/* The cut height between merge n_keep − 1 and merge n_keep (the midpoint; above the top for
 * one cluster, 0 for none merged). */
double cs_dendrogram_cut_height_for (const double *merges, gsize n, gsize n_keep);

void cs_render_dendrogram (cairo_t *cr, gconstpointer model, double width, double height);

/* Where the tree goes for a canvas of this size, and the canvas y of a height and back (the
 * page drags the cut with these). */
void   cs_render_dendrogram_layout (const CsDendrogramModel *m, double width, double height, CsRect *frame);
double cs_render_dendrogram_y (const CsDendrogramModel *m, const CsRect *frame, double h);
double cs_render_dendrogram_height_at (const CsDendrogramModel *m, const CsRect *frame, double y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsDendrogramModel, cs_dendrogram_model_unref)

G_END_DECLS
