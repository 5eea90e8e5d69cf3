#pragma once

#include "ui/render/cs-render.h"
#include "ui/render/cs-render-style.h"

G_BEGIN_DECLS

/* Helpers shared by the views beside the scatter plot (defined in cs-render-trace.c); their
 * sizes and colours are the scatter plot's, from cs-render-style.h. */

void   cs_i_view_set_rgb (cairo_t *cr, const double rgb[3]);
/* A coordinate of a 1-unit line moved to a device pixel's middle, so it stays crisp. */
double cs_i_view_snap_x (cairo_t *cr, double x);
double cs_i_view_snap_y (cairo_t *cr, double y);
/* A highlighted point: a dashed drop line in `accent` from (cx, cy) down to `bottom`, then a
 * disc with a white halo and a dark rim. */
void   cs_i_view_mark_point (cairo_t *cr, double cx, double cy, double radius, double bottom,
                             const double accent[3]);
/* White canvas. */
void   cs_i_view_clear (cairo_t *cr, double width, double height);
/* A view's title, semibold, its top-left corner at (x, CS_STYLE_PAD) on a canvas `width`
 * wide, kept on it (cs_i_draw_title); nothing for NULL. */
void cs_i_view_draw_title (cairo_t *cr, const char *title, double x, double width);
/* Colour of a palette slot for label j (identity without slots), in cr's palette. */
void   cs_i_view_cluster_rgb (cairo_t *cr, const int *color_slot, guint j, double rgb[3]);

/* Each cluster's mean image over its rows (c->labels, dataset rows via prep->rows or the
 * identity when prep is NULL): out is k × npix, pixel columns pixel_cols; a missing value
 * leaves that pixel's mean to the others, NaN where a cluster has none. */
void   cs_i_view_cluster_mean_images (const CsDataset    *ds,
                                      const CsPrepared   *prep,
                                      const CsClustering *c,
                                      const int          *pixel_cols,
                                      gsize               npix,
                                      double             *out);

/* Opaque 0xAARRGGBB from rgb in 0..1 (clamped), for image layers and colour bars. */
guint32 cs_i_view_pack_rgb (const double rgb[3]);
/* The plot frame: a 1-unit outline on pixel edges in the frame colour; cr's state is kept. */
void    cs_i_view_stroke_frame (cairo_t *cr, const CsRect *f);

/* A grey-scale pixel as the image views print digits: vmin white, vmax black; a missing
 * value is a pale blue-grey, so it is taken for neither ink nor paper. Opaque 0xAARRGGBB. */
guint32 cs_i_view_grey_pixel (double v, double vmin, double vmax);
/* Fills r with a rows × cols image of opaque 0xAARRGGBB pixels (row-major), scaled by
 * nearest neighbour: an 8 × 8 digit is 64 squares, not a blur. */
void    cs_i_view_draw_pixels (cairo_t *cr, guint rows, guint cols, const guint32 *argb, const CsRect *r);

G_END_DECLS
