#pragma once

#include "ui/render/cs-render.h"
#include "ui/render/cs-colormap.h"
#include "core/density/cs-kde.h"

G_BEGIN_DECLS

/* The density view: a KDE surface as a heatmap with a colour bar, highest-density-region
 * contours labelled by the mass they enclose, and optionally the points on top, the 1-D
 * marginal densities along the axes and one contour set per cluster.
 *
 * Everything that costs time (the grids, the HDR levels, the marching-squares polylines,
 * the marginals) lives in a CsDensitySurface, built on a worker and immutable afterwards.
 * A CsDensityModel is that surface plus how to show it (colour map, toggles); changing a
 * toggle makes a new model sharing the surface, so a render never computes anything. */

#define CS_DENSITY_MAX_LEVELS 8

typedef struct
{
  double     mass;    /* probability enclosed, e.g. 0.95 */
  double     level;   /* density height of the region's boundary */
  GPtrArray *lines;   /* Owned, of GArray<double> (x, y) pairs in data coordinates */
} CsDensityContour;

typedef struct
{
  gatomicrefcount ref;
  CsDensityGrid *grid;          /* Owned reference: the whole sample's surface */
  double         peak;          /* largest grid value (the colour map's top) */
  guint          n_contours;
  CsDensityContour contours[CS_DENSITY_MAX_LEVELS];
  double        *marginal_x;    /* Owned, grid->nx: ∫ f(x, y) dy at each x node */
  double        *marginal_y;    /* Owned, grid->ny */
  /* Where grid->h came from, for the caption: a rule's H times bandwidth_factor² (the window's
   * slider hands core the scaled H as a manual matrix, so grid->rule alone would say "Manual").
   * cs_density_surface_new sets grid->rule and 1. */
  CsBandwidthRule bandwidth_rule;
  double          bandwidth_factor;

  /* Points for the overlay (copies), may be empty. */
  gsize   n;
  double *x;                    /* Owned, n */
  double *y;                    /* Owned, n */
  int    *labels;               /* Owned, n, may be NULL; -1 = noise */
  guint   k;
  int    *color_slot;           /* Owned, k, may be NULL */

  /* Per-cluster surfaces on the same extent: cluster_contours[j * n_contours + l]. */
  guint             n_clusters;
  CsDensityGrid   **cluster_grids;    /* Owned, n_clusters (NULL for an empty cluster) */
  CsDensityContour *cluster_contours; /* Owned, n_clusters × n_contours */
} CsDensitySurface;

/* From a finished grid (takes a reference): contours at the given masses (NULL/0 = 50 %,
 * 80 %, 95 %), marginals. */
CsDensitySurface *cs_density_surface_new (CsDensityGrid *grid, const double *masses, guint n_masses);
/* The caption under the title that names the bandwidth ("Scott × 1.50 bandwidth: h = 0.92 (x),
 * 0.67 (y)"), or NULL when H is not usable; free with g_free. */
char             *cs_density_surface_bandwidth_note (const CsDensitySurface *s);
/* Copies the points (labels, k and color_slot may be NULL/0) for the overlay. */
void              cs_density_surface_set_points (CsDensitySurface *s,
                                                 gsize             n,
                                                 const double     *x,
                                                 const double     *y,
                                                 const int        *labels,
                                                 guint             k,
                                                 const int        *color_slot);
/* Adds cluster j's surface (takes a reference), contoured at the surface's masses. */
void              cs_density_surface_set_cluster (CsDensitySurface *s, guint j, CsDensityGrid *grid);

/* Everything at once, for a worker: the KDE of (x, y) under `options` (options->h receives
 * the H used), its contours and marginals, the points for the overlay and, when
 * per_cluster and labels are given, one surface per cluster on the same extent. Each
 * cluster gets its own H by `cluster_rule` times cluster_scale² (the whole sample's H would
 * include the spread between clusters and blur each one); MANUAL uses options->h as it is.
 * Non-finite points are left out. */
CsDensitySurface *cs_density_surface_build (gsize           n,
                                            const double   *x,
                                            const double   *y,
                                            const int      *labels,
                                            guint           k,
                                            const int      *color_slot,
                                            CsKdeOptions   *options,
                                            gboolean        per_cluster,
                                            CsBandwidthRule cluster_rule,
                                            double          cluster_scale,
                                            CsProgress     *progress,
                                            GError        **error);
CsDensitySurface *cs_density_surface_ref (CsDensitySurface *s);
void              cs_density_surface_unref (CsDensitySurface *s);

typedef struct
{
  gatomicrefcount   ref;
  CsDensitySurface *surface;      /* Owned reference */
  CsColormap        colormap;
  gboolean          smooth;       /* bilinear heatmap instead of one block per grid node */
  gboolean          show_contours;
  gboolean          show_points;
  double            point_alpha;  /* 0..1 */
  gboolean          show_marginals;
  gboolean          show_clusters; /* per-cluster contours in cluster colours */
  char             *title;        /* Owned, may be NULL */
  char             *x_label;      /* Owned, may be NULL */
  char             *y_label;      /* Owned, may be NULL */
} CsDensityModel;

/* Viridis, contours on, points off (alpha 0.5), marginals and clusters off. */
CsDensityModel *cs_density_model_new (CsDensitySurface *surface);
/* A new model sharing the surface with the same settings and labels. */
CsDensityModel *cs_density_model_copy (const CsDensityModel *m);
CsDensityModel *cs_density_model_ref (CsDensityModel *m);
void            cs_density_model_unref (CsDensityModel *m);

/* Where the parts go on a w × h canvas. */
typedef struct
{
  CsRect frame;      /* the heatmap */
  CsRect colorbar;   /* the ramp; its top is the peak density, its bottom 0 */
  CsRect marginal_x; /* above the frame, width 0 when marginals are off */
  CsRect marginal_y; /* right of the frame */
} CsDensityLayout;

void cs_render_density_layout (const CsDensityModel *m, double width, double height, CsDensityLayout *layout);
/* Canvas position of data (x, y) inside layout->frame (the grid's extent fills it). */
void cs_render_density_point (const CsDensityModel  *m,
                              const CsDensityLayout *layout,
                              double                 x,
                              double                 y,
                              double                *cx,
                              double                *cy);

/* CsRenderFunc: the heatmap is a cairo image (so SVG/PDF embed it), everything else —
 * contours, labels, axes, colour bar ticks — is vector. */
void cs_render_density (cairo_t *cr, gconstpointer model, double width, double height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsDensitySurface, cs_density_surface_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsDensityModel, cs_density_model_unref)

G_END_DECLS
