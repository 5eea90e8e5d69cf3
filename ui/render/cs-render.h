#pragma once

#include <cairo.h>

#include "ui/render/cs-plot-model.h"

G_BEGIN_DECLS

/* The plot frame inside a w × h canvas, in cairo user units. */
typedef struct
{
  double x, y, width, height;
} CsRect;

/* One render function per view: the screen's draw func, PNG/SVG/PDF export and the CLI
 * all call these, so a figure looks the same everywhere. Units are cairo user units
 * (pixels on screen, points in vector export).
 *
 * Units, precisely: one user unit is one logical pixel on screen and one point (1/72 in)
 * in every export, PNG included (cs_render_export scales a PNG by dpi / 72). Text sizes,
 * margins, line widths and CsPlotModel.point_radius are all in user units, and Pango is
 * set to 72 dpi so a "10" font is 10 units tall: a figure keeps its proportions at any
 * size, and on a 96-dpi screen text is 3/4 of its printed point size, which is what
 * desktop charts and print figures each expect.
 *
 * Points are rasterised into an image layer the size of the plot frame (at the target's
 * device scale, or at its fallback resolution for vector targets), which is what keeps a
 * million points under a frame's time; on SVG, PDF and PostScript targets with at most
 * CS_RENDER_VECTOR_MAX_POINTS visible points they are real vector marks instead. Axes,
 * text, centres and the highlight are always vectors. Points whose x or y is not finite
 * (missing values) are never drawn. The legend counts clusters from one: label 0 is
 * "Cluster 1". An automatic point radius (point_radius == 0) depends on n and shrinks
 * on canvases under 600 units. */
typedef void (*CsRenderFunc) (cairo_t *cr, gconstpointer model, double width, double height);

void cs_render_scatter (cairo_t *cr, const CsPlotModel *m, double width, double height);

/* Where cs_render_scatter puts the plot frame for a canvas of this size. */
void cs_render_scatter_layout (const CsPlotModel *m, double width, double height, CsRect *frame);
void cs_plot_data_to_canvas (const CsPlotModel *m, const CsRect *frame, double dx, double dy, double *cx, double *cy);
void cs_plot_canvas_to_data (const CsPlotModel *m, const CsRect *frame, double cx, double cy, double *dx, double *dy);

#define CS_RENDER_VECTOR_MAX_POINTS 20000

/* Pixels per user unit for the point layer when cr's target cannot say (a recording
 * surface, as GtkSnapshot hands out, has no device scale): the plot widget passes its
 * scale factor so HiDPI screens get a sharp layer. Stored on cr; 0 or unset = ask the
 * target. */
void cs_render_set_raster_scale (cairo_t *cr, double scale);

/* "Nice" axis ticks (1, 2, 5 × 10^k steps) covering [lo, hi]: writes up to max_ticks values,
 * returns how many. */
guint cs_nice_ticks (double lo, double hi, guint target, double *ticks, guint max_ticks);

/* A value for people to read, in figures and tooltips: whole numbers in full, others to 6
 * significant digits, the integer part grouped in threes ("1,234,567", "12,345.6"), U+2212
 * for minus; locale-independent. */
char *cs_render_format_number (double value);

/* Internal helpers shared by the renderers (cs-render-common.c). */

/* Size of `text` at `size` user units (weight as PangoWeight, 400 normal, 600 semibold),
 * measured independently of any target so layout and drawing agree. */
void cs_i_text_extents (const char *text, double size, int weight, double *width, double *height);
/* Draws `text` with its logical box anchored at (x, y): ax/ay = 0 left/top, 0.5 centre,
 * 1 right/bottom (before rotation by `angle` radians around the anchor). */
void cs_i_text_draw (cairo_t    *cr,
                     const char *text,
                     double      size,
                     int         weight,
                     double      x,
                     double      y,
                     double      ax,
                     double      ay,
                     double      angle);
/* A tick value with as many decimals as `step` needs, grouped in threes ("12,000") below
 * ten million; U+2212 for minus. */
char *cs_i_format_tick (double value, double step);
/* `text` cut with an ellipsis to fit max_w, "" when not even the ellipsis fits. */
char *cs_i_text_ellipsize (const char *text, double size, int weight, double max_w);
/* The first of `texts` (NULL-terminated, longest form first) no wider than max_w, else
 * the last: small figures get the short forms of labels instead of overlapping ones. */
const char *cs_i_text_first_fitting (const char *const *texts, double size, int weight, double max_w);
/* A figure's title, semibold, its top-left corner at (x, pad) on a canvas `width` wide:
 * moved left, then made smaller (down to the small text size), then cut, rather than run
 * off the canvas. Nothing for NULL or "". */
void cs_i_draw_title (cairo_t *cr, const char *title, double x, double width);
/* `text` broken into lines no wider than max_w (the first no wider than first_w): between
 * the " · "-separated parts where it can, else between words. A word wider than a line
 * keeps a line of its own. NULL-terminated, for g_strfreev. */
char **cs_i_text_wrap (const char *text, double size, int weight, double first_w, double max_w);
/* A value with `decimals` decimals, U+2212 for minus, and never a negative zero ("0.0", not
 * "−0.0", for −0.004). "" for a non-finite value. */
char *cs_i_format_fixed (double value, int decimals);
/* 1234567 → "1,234,567" (thin-space-free, locale-independent). */
char *cs_i_format_count (guint64 count);
/* Pixels per user unit of cr's target in x and y (see cs_render_set_raster_scale). */
void cs_i_render_pixel_scale (cairo_t *cr, double *sx, double *sy);

/* Presenter mode (cs-render-present.c) ------------------------------------------------- */

/* The palette cluster colours and single series take on cr (stored on it, like the raster
 * scale); unset means CS_PALETTE_DEFAULT. */
void          cs_render_set_palette (cairo_t *cr, CsPaletteKind palette);
CsPaletteKind cs_render_get_palette (cairo_t *cr);

/* Draws func (model) on a width × height canvas with text, lines and marks `scale` times
 * larger: laid out on a canvas of width / scale × height / scale and drawn scaled by
 * `scale`, in `palette`'s colours. cr's state is kept. With scale 1 and the default palette
 * this draws exactly what func (cr, model, width, height) draws. */
void cs_render_presented (cairo_t      *cr,
                          CsRenderFunc  func,
                          gconstpointer model,
                          double        width,
                          double        height,
                          double        scale,
                          CsPaletteKind palette);

/* Palette slot `slot`'s colour and the noise grey in cr's palette. */
void cs_i_render_color (cairo_t *cr, guint slot, double rgb[3]);
void cs_i_render_neutral (cairo_t *cr, double rgb[3]);

G_END_DECLS
