#pragma once

#include "ui/render/cs-render.h"
#include "core/cluster/cs-ppp.h"

G_BEGIN_DECLS

/* PPP's split tree beside the clusters: every node a box (its rows; for an accepted split
 * the mixture's agreement, confidence and BIC gain; for a leaf its cluster colour and the
 * test that stopped it), and the scatter plot of the clusters on the right. */

typedef struct
{
  gatomicrefcount ref;
  CsPppTree   tree;        /* nodes Owned (a copy) */
  guint       k;
  int        *color_slot;  /* Owned, k */
  CsPlotModel *scatter;    /* Owned, may be NULL: the clusters beside the tree */
  char       *title;       /* Owned */
} CsPppModel;

/* Copies. NULL when c has no tree. color_slot may be NULL; scatter may be NULL. */
CsPppModel *cs_ppp_model_new (const CsClustering *c, const int *color_slot, const CsPlotModel *scatter);
CsPppModel *cs_ppp_model_ref (CsPppModel *m);
void        cs_ppp_model_unref (CsPppModel *m);

void cs_render_ppp (cairo_t *cr, gconstpointer model, double width, double height);

/* The box of node i on a canvas of this size. */
void cs_render_ppp_node_box (const CsPppModel *m, double width, double height, guint i, CsRect *box);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsPppModel, cs_ppp_model_unref)

G_END_DECLS
