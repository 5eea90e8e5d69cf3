#pragma once

#include "ui/render/cs-render.h"
#include "core/density/cs-dp-kernel.h"

G_BEGIN_DECLS

/* The privacy view: the average similarity F(y)/n of the data on a grid, exact beside
 * differentially private (Backurs et al.; core/dp-kernel.h), with the error relative to the
 * exact peak, and — for data with a label column — the accuracy of classifying by average
 * private similarity against ε. Built once on a worker, immutable and refcounted after. */
typedef struct
{
  gatomicrefcount ref;
  guint           nx, ny;
  double          extent[4]; /* x_min, x_max, y_min, y_max */
  double         *exact;     /* Owned, nx × ny, x fastest */
  double         *priv;      /* Owned, nx × ny */
  double          peak;
  double          max_error;  /* relative to peak */
  double          mean_error; /* relative to peak */
  double          epsilon;
  double          delta;
  double          sigma;
  double          bandwidth;
  guint           n_features;
  gsize           n; /* rows summed */

  guint   n_curve;        /* 0: no labels, no curve */
  double *curve_epsilon;  /* Owned, n_curve, ascending */
  double *curve_accuracy; /* Owned, n_curve */
  double  nonprivate_accuracy;
  guint   n_classes;

  char *title;   /* Owned, may be NULL */
  char *x_label; /* Owned */
  char *y_label; /* Owned */
} CsPrivacyModel;

/* Copies the surface. */
CsPrivacyModel *cs_privacy_model_new (const CsDpSurface *surface, const CsDpKernelOptions *options, gsize n);
/* Copies the curve. */
void            cs_privacy_model_set_curve (CsPrivacyModel *m,
                                            guint           n,
                                            const double   *epsilon,
                                            const double   *accuracy,
                                            double          nonprivate,
                                            guint           n_classes);
CsPrivacyModel *cs_privacy_model_ref (CsPrivacyModel *m);
void            cs_privacy_model_unref (CsPrivacyModel *m);

/* Exact and private heat maps on one colour scale (0 to the exact peak, viridis) with a
 * colour bar, the error numbers, and the accuracy-against-ε curve (log ε) with the
 * non-private accuracy dashed and the current ε marked. CsRenderFunc-compatible. */
void cs_render_privacy (cairo_t *cr, gconstpointer model, double width, double height);

/* The canvas rectangles of the exact and the private heat maps. */
void cs_render_privacy_layout (
    const CsPrivacyModel *m, double width, double height, CsRect *exact, CsRect *priv, CsRect *curve);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsPrivacyModel, cs_privacy_model_unref)

G_END_DECLS
