#pragma once

#include <cairo.h>

#include "core/graph/cs-graph.h"

G_BEGIN_DECLS

/* A graph drawn from a layout: nodes coloured by cluster, edges faded beneath them, node names
 * when there are few nodes, a legend and a title. Immutable once made and refcounted, so a
 * worker can render an export while the page shows it. */
typedef struct
{
  gatomicrefcount ref;
  CsGraph *graph;        /* Owned ref */
  double  *xy;           /* Owned, n × 2 layout coordinates (any range: the figure fits them) */
  int     *labels;       /* Owned, may be NULL: n cluster indices in [0, k), −1 unclustered */
  guint    k;
  char   **names;        /* Owned, may be NULL: k legend names ("cluster 1" … when NULL) */
  char    *title;        /* Owned, may be NULL */
  gssize   highlight;    /* a node drawn ringed (the hovered one), −1 none */
  /* The view (zoom and pan), added for the Graph page: */
  double   bbox[4];      /* xmin, xmax, ymin, ymax of the finite positions, computed once */
  double   zoom;         /* 1: the whole graph fits the plot; 2: twice as large */
  double   view_x;       /* the layout point drawn at the plot's centre */
  double   view_y;
} CsGraphModel;

/* Copies xy, labels (may be NULL) and names (k entries, may be NULL); takes a ref on g. */
CsGraphModel *cs_graph_model_new (CsGraph           *g,
                                  const double      *xy,
                                  const int         *labels,
                                  guint              k,
                                  const char *const *names,
                                  const char        *title);
CsGraphModel *cs_graph_model_ref (CsGraphModel *m);
void          cs_graph_model_unref (CsGraphModel *m);
/* The same figure with another node ringed. */
CsGraphModel *cs_graph_model_with_highlight (const CsGraphModel *m, gssize node);
/* The same figure (and ring) seen at another zoom (clamped to [CS_GRAPH_ZOOM_MIN,
 * CS_GRAPH_ZOOM_MAX]) around the layout point (x, y). */
CsGraphModel *cs_graph_model_with_view (const CsGraphModel *m, double zoom, double x, double y);
#define CS_GRAPH_ZOOM_MIN 0.25
#define CS_GRAPH_ZOOM_MAX 400.0

/* The layout point under canvas point (px, py): the inverse of node_position. */
void   cs_graph_model_canvas_to_layout (const CsGraphModel *m, double width, double height, double px, double py,
                                        double *x, double *y);
/* The plot rectangle on a width × height canvas (where the graph is drawn and panned). */
void   cs_graph_model_plot_rect (const CsGraphModel *m, double width, double height, double *x, double *y,
                                 double *w, double *h);

/* Where node i is drawn on a width × height canvas (the renderer's own placement). */
void   cs_graph_model_node_position (const CsGraphModel *m, double width, double height, gsize i, double *x,
                                     double *y);
/* The node drawn nearest (x, y) within CS_STYLE_HOVER_RADIUS plus its radius, or −1. */
gssize cs_graph_model_node_at (const CsGraphModel *m, double width, double height, double x, double y);
/* A node's radius on the canvas (depends on the number of nodes only). */
double cs_graph_model_node_radius (const CsGraphModel *m);

void cs_render_graph (cairo_t *cr, const CsGraphModel *m, double width, double height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsGraphModel, cs_graph_model_unref)

G_END_DECLS
