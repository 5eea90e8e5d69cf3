#pragma once

#include "ui/render/cs-render.h"
#include "core/data/cs-dataset.h"
#include "core/cluster/cs-result.h"

G_BEGIN_DECLS

/* The views of a result beside the scatter plot: silhouette bars, a line chart (the
 * objective per trace step, or a model-selection score by k) and a grid of row images.
 * Each model is built once from a finished result and never changes afterwards, so it is
 * refcounted: the screen and an export on a worker thread share it. Every render function
 * has the CsRenderFunc signature, so cs_render_export() takes them as they are. */

/* Silhouette ---------------------------------------------------------------------------- */

typedef struct
{
  gatomicrefcount ref;
  guint    k;
  gsize    n;           /* bars: points with a finite silhouette and a label in [0, k) */
  double  *values;      /* Owned, n: grouped by cluster, descending within each cluster */
  gsize   *offsets;     /* Owned, k + 1: cluster j's bars are values[offsets[j] .. offsets[j + 1]) */
  int     *color_slot;  /* Owned, k: palette slot per label */
  double   average;     /* mean of values, NaN when n == 0 */
  double   min;         /* smallest value, NaN when n == 0 */
  gboolean sampled;     /* the values are a sample of the clustered rows */
  char    *title;       /* Owned, may be NULL */
  char    *x_label;     /* Owned */
} CsSilhouetteModel;

/* Copies. `values` and `labels` have n entries (NaN values and labels outside [0, k) are
 * left out); `color_slot` (k entries) may be NULL for the identity. */
CsSilhouetteModel *cs_silhouette_model_new (gsize         n,
                                            const double *values,
                                            const int    *labels,
                                            guint         k,
                                            const int    *color_slot);
CsSilhouetteModel *cs_silhouette_model_ref (CsSilhouetteModel *m);
void               cs_silhouette_model_unref (CsSilhouetteModel *m);

/* Horizontal bars, one per point, grouped by cluster and sorted within it (as R's
 * plot(silhouette) and scikit-learn's gallery draw them), a dashed line at the average,
 * an axis from min(−0.1, smallest value) to 1, and each cluster's number and size. Above
 * CS_RENDER_SILHOUETTE_MAX_BARS bars a cluster is one filled outline. */
void cs_render_silhouette (cairo_t *cr, gconstpointer model, double width, double height);

#define CS_RENDER_SILHOUETTE_MAX_BARS 5000

/* Where the bars go for a canvas of this size, and the canvas x of a silhouette value. */
void   cs_render_silhouette_layout (const CsSilhouetteModel *m, double width, double height, CsRect *frame);
double cs_render_silhouette_x (const CsSilhouetteModel *m, const CsRect *frame, double value);
/* The canvas y span [*y0, *y1) of bar i (an index into values). */
void   cs_render_silhouette_bar_y (const CsSilhouetteModel *m, const CsRect *frame, gsize i, double *y0, double *y1);

/* Line chart: convergence and choose-k ------------------------------------------------- */

typedef struct
{
  gatomicrefcount ref;
  gsize    n;
  double  *x;          /* Owned, n, ascending */
  double  *y;          /* Owned, n; non-finite values are gaps */
  gssize   marked;     /* index drawn as the chosen point, or -1 */
  char    *mark_label; /* Owned, may be NULL: "k = 4" beside the marked point */
  gboolean integer_x;  /* x ticks only on whole numbers */
  char    *title;      /* Owned, may be NULL */
  char    *x_label;    /* Owned */
  char    *y_label;    /* Owned */
} CsChartModel;

/* Copies. */
CsChartModel *cs_chart_model_new (gsize n, const double *x, const double *y);
CsChartModel *cs_chart_model_ref (CsChartModel *m);
void          cs_chart_model_unref (CsChartModel *m);
/* The objective after each recorded step (x = step, counting the start as 0), or NULL when
 * the trace has fewer than one step. */
CsChartModel *cs_chart_model_new_convergence (const CsTrace *trace, const char *objective_name);
/* The score_by_k curve with the result's k marked, or NULL when there is none. */
CsChartModel *cs_chart_model_new_choose_k (const CsClustering *c);

/* Points joined by a line, nice ticks, axis titles, the marked point ringed. */
void cs_render_trace (cairo_t *cr, gconstpointer model, double width, double height);

void cs_render_trace_layout (const CsChartModel *m, double width, double height, CsRect *frame);
/* Canvas position of data (x, y). */
void cs_render_trace_point (const CsChartModel *m, const CsRect *frame, double x, double y, double *cx, double *cy);

/* Image grid ------------------------------------------------------------------------------ */

typedef struct
{
  gatomicrefcount ref;
  guint    k;
  guint    rows;         /* pixels per image, vertically */
  guint    cols;
  double  *pixels;       /* Owned, k × rows × cols, row-major per image; NaN = missing */
  double   vmin;         /* white */
  double   vmax;         /* black */
  gssize  *exemplar;     /* Owned, k: dataset row of the medoid shown, or -1 for a mean */
  gsize   *sizes;        /* Owned, k: rows in each cluster */
  int     *color_slot;   /* Owned, k */
  char    *title;        /* Owned, may be NULL */
  gboolean centers;      /* the images are the result's centres (exemplar −1), not member means */
} CsImagesModel;

/* One image per cluster: its medoid row when the clustering has medoids, else its centre when
 * it has centres over the pixel columns themselves, else the mean of its members. Pixels are
 * the first image_rows × image_cols numeric non-label columns of `ds`, raw (unscaled). NULL
 * when the dataset has no image shape. */
CsImagesModel *cs_images_model_build (const CsDataset    *ds,
                                      const CsPrepared   *prep,
                                      const CsClustering *c,
                                      const int          *color_slot);
CsImagesModel *cs_images_model_ref (CsImagesModel *m);
void           cs_images_model_unref (CsImagesModel *m);

/* A grid of images, nearest-neighbour scaled in a grey map (vmin white, vmax black), each
 * framed in its cluster colour and captioned "Cluster 3 · row 117 · 180 rows". */
void cs_render_images (cairo_t *cr, gconstpointer model, double width, double height);

/* Where image j's pixels go (the square inside its frame), or FALSE when it is not drawn. */
gboolean cs_render_images_cell (const CsImagesModel *m, double width, double height, guint j, CsRect *image);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsSilhouetteModel, cs_silhouette_model_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsChartModel, cs_chart_model_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsImagesModel, cs_images_model_unref)

G_END_DECLS
