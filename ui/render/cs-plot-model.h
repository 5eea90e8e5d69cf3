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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsPlotModel, cs_plot_model_free)

G_END_DECLS
