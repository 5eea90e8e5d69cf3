#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* The k-distance plot that helps choose DBSCAN's radius: every row's distance to its k-th
 * nearest row (itself the first), sorted ascending. Where the curve turns upward (the knee),
 * rows stop being inside dense regions; a radius there makes the rows left of it core rows.
 * Immutable, refcounted. */
typedef struct
{
  gatomicrefcount ref;
  double         *dist;     /* Owned, n values, ascending */
  gsize           n;
  guint           k;        /* min_samples */
  double          knee;     /* cs_dbscan_knee of dist */
  double          eps;      /* the radius of the DBSCAN run shown, NaN when none */
  char           *title;    /* Owned, may be NULL */
} CsKDistanceModel;

/* Takes `dist` (n ascending values). */
CsKDistanceModel *cs_kdistance_model_new (double *dist, gsize n, guint k, double eps, const char *title);
CsKDistanceModel *cs_kdistance_model_ref (CsKDistanceModel *m);
void              cs_kdistance_model_unref (CsKDistanceModel *m);

/* How many rows have a k-distance above eps: the rows that cannot be core at that radius. */
gsize cs_kdistance_model_count_above (const CsKDistanceModel *m, double eps);

void cs_render_kdistance (cairo_t *cr, const CsKDistanceModel *m, double width, double height);

/* The radius under canvas point (x, y) of a figure drawn at width × height: the curve's value
 * at that height inside the plot frame. FALSE outside the frame. */
gboolean cs_kdistance_model_eps_at (const CsKDistanceModel *m,
                                    double                  width,
                                    double                  height,
                                    double                  x,
                                    double                  y,
                                    double                 *eps);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsKDistanceModel, cs_kdistance_model_unref)

G_END_DECLS
