#pragma once

#include <cairo.h>

#include "cs-plot-model.h"

G_BEGIN_DECLS

/* The plot frame inside a w × h canvas, in cairo user units. */
typedef struct
{
  double x, y, width, height;
} CsRect;

/* One render function per view: the screen's draw func, PNG/SVG/PDF export and the CLI
 * all call these, so a figure looks the same everywhere. Units are cairo user units
 * (pixels on screen, points in vector export). */
typedef void (*CsRenderFunc) (cairo_t *cr, gconstpointer model, double width, double height);

void cs_render_scatter (cairo_t *cr, const CsPlotModel *m, double width, double height);

/* Where cs_render_scatter puts the plot frame for a canvas of this size. */
void cs_render_scatter_layout (const CsPlotModel *m, double width, double height, CsRect *frame);
void cs_plot_data_to_canvas (const CsPlotModel *m, const CsRect *frame, double dx, double dy, double *cx, double *cy);
void cs_plot_canvas_to_data (const CsPlotModel *m, const CsRect *frame, double cx, double cy, double *dx, double *dy);

/* "Nice" axis ticks (1, 2, 5 × 10^k steps) covering [lo, hi]: writes up to max_ticks values,
 * returns how many. */
guint cs_nice_ticks (double lo, double hi, guint target, double *ticks, guint max_ticks);

G_END_DECLS
