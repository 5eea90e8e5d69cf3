#pragma once

/* Pixel reading shared by the render tests. */
#include <cairo.h>
#include <glib.h>
#include <math.h>

typedef struct
{
  int r, g, b;
} Pixel;

/* The colour at canvas position (x, y) of an RGB24/ARGB32 image surface (alpha ignored). */
static inline Pixel
pixel_at (cairo_surface_t *s,
          double           x,
          double           y)
{
  int ix = (int) floor (x);
  int iy = (int) floor (y);
  guint32 v;
  Pixel p;

  cairo_surface_flush (s);
  g_assert_cmpint (ix, >=, 0);
  g_assert_cmpint (iy, >=, 0);
  g_assert_cmpint (ix, <, cairo_image_surface_get_width (s));
  g_assert_cmpint (iy, <, cairo_image_surface_get_height (s));
  v = *(guint32 *) (cairo_image_surface_get_data (s) + iy * cairo_image_surface_get_stride (s) + 4 * ix);
  p.r = (v >> 16) & 0xff;
  p.g = (v >> 8) & 0xff;
  p.b = v & 0xff;
  return p;
}

