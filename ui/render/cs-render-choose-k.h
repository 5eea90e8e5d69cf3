#pragma once

#include "core/cluster/cs-choose-k.h"
#include "ui/render/cs-render.h"

G_BEGIN_DECLS

/* The Choose k figure: one small chart per criterion against k (each on its own axis, its
 * suggested k marked), a thumbnail scatter per k (the plotted points coloured by that k's
 * labels) and, with stability, the co-association heatmap at one k (rows ordered by
 * cluster). Built on a worker from a finished CsChooseKResult, then only read. */

#define CS_CHOOSE_K_HEAT_MAX 240 /* heatmap cells per side; more rows are averaged into bins */

typedef struct
{
  gatomicrefcount  ref;
  CsChooseKResult *result;      /* Owned ref */
  char            *title;       /* Owned */
  gsize            n_points;    /* plotted points */
  double          *px;          /* Owned, n_points */
  double          *py;          /* Owned, n_points */
  gsize           *index;       /* Owned, n_points: the clustered row behind each point, or G_MAXSIZE */
  guint            selected_k;  /* the k the other views show (a band on every chart), 0 none */
  guint            heat_k;      /* 0: no heatmap */
  guint            heat_side;   /* cells per side */
  float           *heat;        /* Owned, heat_side², rows and columns ordered by cluster at heat_k */
  double          *heat_bounds; /* Owned, heat_k − 1 positions in 0…1 where a cluster ends */
  char            *heat_note;   /* Owned, may be NULL: why there is no heatmap */
} CsChooseKModel;

/* Copies the points. heat_k = 0 leaves the heatmap out; a heatmap that cannot be made (too
 * many rows, no stability) leaves it out with heat_note saying why. Safe on a worker. */
CsChooseKModel *cs_choose_k_model_new (CsChooseKResult *result,
                                       const char      *title,
                                       gsize            n_points,
                                       const double    *px,
                                       const double    *py,
                                       const gsize     *index,
                                       guint            selected_k,
                                       guint            heat_k);
/* The same figure with another selected k (the heatmap shared, not recomputed). */
CsChooseKModel *cs_choose_k_model_with_selected (const CsChooseKModel *m, guint selected_k);
CsChooseKModel *cs_choose_k_model_ref (CsChooseKModel *m);
void            cs_choose_k_model_unref (CsChooseKModel *m);

void  cs_render_choose_k (cairo_t *cr, gconstpointer model, double width, double height);
/* The k under canvas point (x, y): a chart's column or a thumbnail; 0 for none. */
guint cs_render_choose_k_hit (const CsChooseKModel *m, double width, double height, double x, double y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsChooseKModel, cs_choose_k_model_unref)

G_END_DECLS
