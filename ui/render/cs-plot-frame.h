#pragma once

#include "core/cluster/cs-result.h"
#include "ui/render/cs-plot-model.h"

G_BEGIN_DECLS

/* Frames of playback and the mixture views: a scatter model derived from the result's model
 * (`base`, which stays untouched) by reading a recorded CsTrace. Nothing is recomputed but
 * what drawing needs (projections onto the plotted axes, colours). */

typedef enum
{
  CS_SHADE_CLUSTERS,    /* each point in its cluster's colour */
  CS_SHADE_SOFT,        /* colours blended by the responsibilities (mixtures) */
  CS_SHADE_UNCERTAINTY, /* grey by 1 − the largest responsibility: dark is uncertain */
} CsShadeMode;

typedef struct
{
  gboolean    ellipses; /* mixture components at 1σ and 2σ */
  CsShadeMode shade;
} CsFrameOptions;

/* Positions of playback: one per recorded step, plus one for the final result when the
 * trace stopped early or ends on a swap, merge or BUILD step (so its marks are seen); 0 when
 * there is nothing to play (no trace, refused, or one step). */
guint        cs_playback_n_frames (const CsTrace *trace);
/* The frame at position `frame` (< cs_playback_n_frames): the step's labels, centres with
 * their trails, medoid swap, mixture ellipses and responsibilities, mean-shift positions,
 * DBSCAN discovery, and a caption. The last position shows `result` itself (base's labels
 * and centres, no caption) with its mixture overlays, as cs_plot_frame_new_result(). */
CsPlotModel *cs_plot_frame_new (const CsPlotModel    *base,
                                const CsTrace        *trace,
                                const CsClustering   *result,
                                guint                 frame,
                                const CsFrameOptions *options);
/* The result's model with the mixture overlays `options` asks for (no trace needed). */
CsPlotModel *cs_plot_frame_new_result (const CsPlotModel    *base,
                                       const CsClustering   *result,
                                       const CsFrameOptions *options);

/* Merge playback (agglomerative results): the merges done at playback position `frame`. FALSE
 * when the frame is not a step of merging `result`'s tree (no merges, no such frame, or a
 * trace of something else). The last position is the result's own cut. */
gboolean cs_playback_merges_done (const CsTrace      *trace,
                                  const CsClustering *result,
                                  guint               frame,
                                  gsize              *n_done);
/* Colour slots of the clusters after the first n_done merges (k = n − n_done entries, indexed by
 * cs_agglomerative_cut's labels), stable from step to step: the clusters of the cut at n_final
 * have `final_slots` (k there, NULL: the identity); undoing a merge, the larger half keeps the
 * colour and the smaller takes the lowest slot no cluster has, so a merge recolours only the
 * smaller cluster. The scatter frames and the dendrogram colour a step alike with it. */
int *cs_merge_color_slots (const double *merges,
                           gsize         n,
                           gsize         n_done,
                           gsize         n_final,
                           const int    *final_slots);

/* Projects a point of the clustered feature space (proj_d values) to the plot; FALSE
 * without a projection. */
gboolean cs_plot_model_project (const CsPlotModel *m, const double *f, double *x, double *y);
/* Projects the d × d covariance `s` to the plotted axes: Σxx, Σxy, Σyy. */
gboolean cs_plot_model_project_cov (const CsPlotModel *m, const double *s, double out[3]);

G_END_DECLS
