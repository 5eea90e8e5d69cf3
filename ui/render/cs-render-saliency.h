#pragma once

#include "ui/render/cs-render.h"
#include "core/data/cs-dataset.h"
#include "core/cluster/cs-result.h"
#include "core/explain/cs-saliency.h"

G_BEGIN_DECLS

/* What makes each cluster what it is, drawn from a CsSaliencyReport: small multiples of
 * diverging Shapley bars, a cluster × feature heatmap and, for image data, favourable and
 * unfavourable pixel maps beside each cluster's mean and prototype. Colours come from
 * cs_colormap_diverging_rgb(): blue is favourable / positive, orange unfavourable / negative.
 * Models are built once and refcounted, like the other views; the view fields below may be
 * set right after building, before the model is shared, and cs_saliency_model_dup() gives a
 * private copy to change later (another highlighted column, say). */

typedef enum
{
  CS_SALIENCY_QUANTITY_HEDGES_G,    /* standardised mean difference, cluster vs rest */
  CS_SALIENCY_QUANTITY_NET_SHAP,    /* favourable + unfavourable: mean Shapley value */
  CS_SALIENCY_QUANTITY_CLIFF_DELTA, /* P(X > Y) − P(X < Y), always on [−1, 1] */
} CsSaliencyQuantity;

typedef struct
{
  gatomicrefcount ref;
  guint    k;
  guint    d;
  char   **feature_names;   /* Owned, d entries + NULL */
  gsize   *sizes;           /* Owned, k */
  gsize    n_labelled;      /* sum of sizes: the base of the percentages */
  int     *color_slot;      /* Owned, k: palette slot per cluster */
  /* Per cluster × feature, row-major k × d, copied from the report. */
  double  *hedges_g;        /* Owned */
  double  *cliff_delta;     /* Owned */
  double  *favourable;      /* Owned, >= 0 */
  double  *unfavourable;    /* Owned, <= 0 */
  double  *shap_mean_abs;   /* Owned */
  guint   *importance_order; /* Owned, d: features by decreasing overall importance (the
                                size-weighted mean of shap_mean_abs; ties lower index first) */
  char   **summaries;       /* Owned, k entries + NULL */
  double   surrogate_accuracy;

  /* View. */
  CsSaliencyQuantity quantity;     /* heatmap colour; default Hedges' g */
  gboolean           by_importance; /* heatmap columns in importance_order, else as given */
  gint               highlight;    /* feature drawn as an outlined column, -1 none */
  guint              max_bars;     /* features per bar panel at most (default 8) */
  char              *title;        /* Owned, may be NULL */
} CsSaliencyModel;

/* Copies what it needs from `report`; color_slot (k entries) may be NULL for the identity. */
CsSaliencyModel *cs_saliency_model_new (const CsSaliencyReport *report,
                                        const int              *color_slot);
/* A new, unshared copy (refcount 1) whose view fields may be changed. */
CsSaliencyModel *cs_saliency_model_dup (const CsSaliencyModel *m);
CsSaliencyModel *cs_saliency_model_ref (CsSaliencyModel *m);
void             cs_saliency_model_unref (CsSaliencyModel *m);

/* Small multiples, one panel per cluster (grid chosen from the canvas aspect), each titled
 * "Cluster 2 · 50 rows (33 %)" beside a swatch of its colour. Inside, its features with the
 * largest mean |Shapley value| as horizontal bars from a zero line shared by every panel:
 * the favourable part to the right in blue, the unfavourable part to the left in orange,
 * on one x scale for all panels so they compare. A footer gives the surrogate's accuracy. */
void cs_render_saliency_bars (cairo_t *cr, gconstpointer model, double width, double height);

/* Panel of `cluster` and its colour swatch, or FALSE when it is not drawn. */
gboolean cs_render_saliency_bars_panel (const CsSaliencyModel *m,
                                        double                 width,
                                        double                 height,
                                        guint                  cluster,
                                        CsRect                *panel,
                                        CsRect                *swatch);
/* The rank-th bar of `cluster` (0 = most important): its feature and the two bar rectangles,
 * the favourable one starting at the zero line and the unfavourable one ending there (either
 * may have zero width). FALSE when that bar is not drawn. */
gboolean cs_render_saliency_bars_bar (const CsSaliencyModel *m,
                                      double                 width,
                                      double                 height,
                                      guint                  cluster,
                                      guint                  rank,
                                      guint                 *feature,
                                      CsRect                *favourable,
                                      CsRect                *unfavourable);

/* Rows are clusters (swatch + "Cluster j"), columns features (labels rotated when crowded,
 * thinned to those that fit), each cell the model's quantity on a symmetric diverging scale,
 * with a colour bar. Cells are vector rectangles in SVG and PDF. */
void cs_render_saliency_heatmap (cairo_t *cr, gconstpointer model, double width, double height);

/* The cell of (cluster, feature) (feature as in the report, whatever the column order), or
 * FALSE when it is not drawn. */
gboolean cs_render_saliency_heatmap_cell (const CsSaliencyModel *m,
                                          double                 width,
                                          double                 height,
                                          guint                  cluster,
                                          guint                  feature,
                                          CsRect                *cell);
/* The cell under canvas point (x, y): TRUE and its cluster and feature when the point is in
 * the grid, else FALSE (outputs untouched). */
gboolean cs_render_saliency_heatmap_hit (const CsSaliencyModel *m,
                                         double                 width,
                                         double                 height,
                                         double                 x,
                                         double                 y,
                                         guint                 *cluster,
                                         guint                 *feature);

/* Image data ------------------------------------------------------------------------------- */

typedef enum
{
  CS_SALIENCY_IMAGE_MEAN,
  CS_SALIENCY_IMAGE_PROTOTYPE,
  CS_SALIENCY_IMAGE_FAVOURABLE,
  CS_SALIENCY_IMAGE_UNFAVOURABLE,
  CS_SALIENCY_IMAGE_N
} CsSaliencyImage;

typedef struct
{
  gatomicrefcount ref;
  guint    k;
  guint    rows;           /* pixels per image, vertically */
  guint    cols;
  /* Each k × rows × cols, row-major per image. */
  double  *mean;           /* Owned: raw values; NaN where a cluster has no value */
  double  *prototype;      /* Owned: raw values of one member row */
  double  *favourable;     /* Owned: report's favourable of the pixel's feature, NaN when the
                              pixel is not among the features */
  double  *unfavourable;   /* Owned: likewise, <= 0 */
  gssize  *prototype_row;  /* Owned, k: dataset row shown as the prototype, -1 when none */
  gboolean medoids;        /* the prototypes are the clustering's medoids */
  double   vmin;           /* grey scale: white */
  double   vmax;           /* black */
  double   map_max;        /* shared scale of both maps over all clusters: the 98th percentile of
                              the non-zero |values| (the maximum below 50 of them) */
  gboolean map_clipped;    /* some |value| exceeds map_max: those pixels saturate, and the colour
                              bar says "clipped" */
  gsize   *sizes;          /* Owned, k */
  gsize    n_labelled;
  int     *color_slot;     /* Owned, k */
  char    *title;          /* Owned, may be NULL */
} CsSaliencyImagesModel;

/* Pixels are found as cs_images_model_build finds them (the first image_rows × image_cols
 * numeric non-label columns of `ds`) and matched to the report's features (prep->names) by
 * name. The prototype is the medoid when `c` has medoids, else the member row nearest the
 * cluster's mean image (Euclidean over raw pixels). `prep` may be NULL when c's rows are the
 * dataset's rows. NULL when the dataset has no image shape or r does not match c. */
CsSaliencyImagesModel *cs_saliency_images_model_build (const CsDataset        *ds,
                                                       const CsPrepared       *prep,
                                                       const CsClustering     *c,
                                                       const CsSaliencyReport *r,
                                                       const int              *color_slot);
CsSaliencyImagesModel *cs_saliency_images_model_ref (CsSaliencyImagesModel *m);
void                   cs_saliency_images_model_unref (CsSaliencyImagesModel *m);

/* Four images per cluster, "Mean", "Prototype" (or "Medoid"), "Favourable", "Unfavourable":
 * the first two grey (vmin white, vmax black), the maps in the diverging colours over a
 * faint copy of the mean image, more opaque as |value| grows, on one scale with a colour
 * bar. Laid out whichever way gives the larger images: a row per cluster (caption with
 * swatch, size and prototype row; two groups side by side on wide canvases), or — for
 * many clusters on a short, wide canvas — a column per cluster under a small table
 * (cluster, rows, share, prototype row), the image kinds named on the left. Text stays at
 * the style's small size whenever the images are not tiny. */
void cs_render_saliency_images (cairo_t *cr, gconstpointer model, double width, double height);

/* Where image `which` of cluster j goes, or FALSE when it is not drawn. */
gboolean cs_render_saliency_images_cell (const CsSaliencyImagesModel *m,
                                         double                       width,
                                         double                       height,
                                         guint                        j,
                                         CsSaliencyImage              which,
                                         CsRect                      *image);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsSaliencyModel, cs_saliency_model_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsSaliencyImagesModel, cs_saliency_images_model_unref)

G_END_DECLS
