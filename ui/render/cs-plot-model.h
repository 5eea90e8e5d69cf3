#pragma once

#include <glib.h>

#include "core/data/cs-dataset.h"
#include "core/cluster/cs-result.h"
#include "core/data/cs-prepare.h"
#include "ui/render/cs-palette.h"

G_BEGIN_DECLS

/* Everything a view needs to draw, and nothing GTK: the screen, export and the CLI all
 * render from this. Built on a worker thread, then only read; the plot widget changes the
 * visible range (zoom/pan) and the highlight on the main thread. */
typedef struct
{
  gsize    n;
  double  *x;              /* Owned, n: plotted coordinates */
  double  *y;              /* Owned, n */
  gsize   *rows;           /* Owned, n, may be NULL: dataset row of point i (for tooltips) */
  int     *labels;         /* Owned, n, may be NULL (no clustering yet); -1 = noise */
  guint    k;
  gsize   *cluster_sizes;  /* Owned, k */
  int     *color_slot;     /* Owned, k: palette slot of each label, for colours that stay
                              stable between runs; identity when not matched */
  double  *center_x;       /* Owned, k, may be NULL */
  double  *center_y;       /* Owned, k */
  gboolean centers_are_medoids;

  char    *title;          /* Owned, may be NULL */
  char    *x_label;        /* Owned */
  char    *y_label;        /* Owned */
  int      x_column;       /* dataset column on each axis, or -1 (principal components, or */
  int      y_column;       /*   a model not built from a dataset) */
  char    *axes_key;       /* Owned, may be NULL: what the axes are (the columns, or the PCA
                              basis); two models of one dataset with equal keys share axes,
                              so a new result can keep the view the user zoomed to */

  /* Per cluster, the dataset columns that set it apart most from the other rows, by the
   * absolute standardised mean difference (cluster mean − rest mean) / pooled SD; for the
   * tooltip, which shows them first. */
  guint    n_distinctive;  /* entries per cluster */
  int     *distinctive;    /* Owned, k × n_distinctive, may be NULL: columns, -1 pads */
  double  *distinctive_d;  /* Owned, same shape: the signed standardised difference */
  double  *distinctive_mean; /* Owned, k × n_distinctive × 2: the cluster's mean and the
                                other rows' mean of each of those columns */

  /* View state */
  double   x_min, x_max;   /* visible data range */
  double   y_min, y_max;
  double   point_radius;   /* in points (1/72 in) at scale 1; 0 = automatic by n */
  double   point_alpha;    /* 0..1; 0 = automatic by n */
  gboolean show_centers;
  gboolean show_legend;
  gssize   highlight;      /* point index or -1 */
  gboolean show_medoid_links; /* a thin line from each point to its cluster's medoid
                                 (only when centers_are_medoids) */

  /* Playback frames and mixture views (issues 12 and 11); all optional, built by
   * cs-plot-frame.c. */
  double  *proj;           /* Owned, 2 × (proj_d + 1), may be NULL: the plotted (x, y) of a
                              point of the clustered feature space f is (P₀·f + b₀, P₁·f + b₁),
                              rows [P₀ b₀; P₁ b₁]; NULL when the axes are not affine in the
                              features (a column that was not clustered) */
  gsize    proj_d;
  char    *caption;        /* Owned, may be NULL: what this frame shows ("Iteration 3 — …") */
  guint    n_trail;        /* earlier centre positions per cluster, oldest first */
  double  *trail_x;        /* Owned, n_trail × k */
  double  *trail_y;        /* Owned, n_trail × k */
  gssize   swap_leaving;   /* point index of a medoid that just left, or -1 */
  gssize   swap_entering;  /* point index of the row that just became a medoid, or -1 */
  double  *ellipse;        /* Owned, k × 5, may be NULL: mean x, mean y, Σxx, Σxy, Σyy of each
                              mixture component on the plotted axes; drawn at 1σ and 2σ */
  guint32 *point_rgb;      /* Owned, n, may be NULL: 0xAARRGGBB per point instead of its
                              cluster colour (soft membership, uncertainty, discovery);
                              alpha 0 keeps the cluster colour */
  gboolean show_voronoi;   /* shade the plane by the nearest centre or medoid */
  char    *shade_legend;   /* Owned, may be NULL: a caption for point_rgb ("Uncertainty: …") */
  char    *noise_name;     /* Owned, may be NULL: the legend's name for label −1 ("Noise") */
  gsize   *candidates;     /* Owned, n_candidates point indices: rows a swap search evaluated */
  guint    n_candidates;
  CsPaletteKind palette;      /* cluster colours: default, or high contrast (presenter mode) */
} CsPlotModel;

CsPlotModel *cs_plot_model_new (void);
void         cs_plot_model_free (CsPlotModel *m);
CsPlotModel *cs_plot_model_copy (const CsPlotModel *m);

/* Copies. Resets labels, centres and the view. */
void cs_plot_model_set_points (CsPlotModel *m, gsize n, const double *x, const double *y, const gsize *rows);
/* Copies; computes sizes; colour slots start as identity. */
void cs_plot_model_set_labels (CsPlotModel *m, const int *labels, guint k);
/* Centres at the mean plotted coordinates of each cluster's members (exact for k-means at
 * convergence under any linear projection), or at the medoid points when medoids != NULL
 * (medoids are point indices). */
void cs_plot_model_compute_centers (CsPlotModel *m, const gsize *medoids);
/* Matches this model's labels to `previous` (same points) so equal clusters keep their colour. */
void cs_plot_model_match_colors (CsPlotModel *m, const CsPlotModel *previous);
/* Visible range = data bounds plus 5 % padding (robust to a single point or zero spread). */
void cs_plot_model_reset_view (CsPlotModel *m);

/* Ranks the numeric columns of `ds` (the label column left out) for each cluster by
 * |standardised mean difference| between the cluster's rows and all other rows (noise
 * included) and keeps the `per_cluster` largest (ties to the lower column). m->rows map
 * points to dataset rows (identity when NULL); missing values are left out per column.
 * Linear in points × columns: run it on the worker that builds the model. */
void cs_plot_model_rank_features (CsPlotModel *m, const CsDataset *ds, guint per_cluster);

#define CS_PLOT_MODEL_DISTINCTIVE 6

/* Builds a scatter model from a dataset and an optional clustering. x_column / y_column
 * are dataset column indices, or -1 for both to use the first two principal components of
 * the prepared matrix. `prep` says which dataset row each clustered row came from. Sets
 * axes_key, and with a clustering ranks the CS_PLOT_MODEL_DISTINCTIVE most distinctive
 * columns of each cluster. */
CsPlotModel *cs_plot_model_build_scatter (const CsDataset    *ds,
                                          const CsPrepared   *prep,
                                          const CsClustering *clustering,
                                          int                 x_column,
                                          int                 y_column,
                                          GError            **error);

/* Clears the playback and mixture overlays above (caption, trails, swap, ellipses, point
 * colours), keeping proj and show_voronoi. */
void cs_plot_model_clear_overlays (CsPlotModel *m);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsPlotModel, cs_plot_model_free)

G_END_DECLS
