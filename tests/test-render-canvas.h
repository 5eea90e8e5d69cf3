#pragma once

/* Checks that a figure stays on its canvas, shared by the render tests. */
#include <cairo.h>
#include <glib.h>
#include <math.h>

/* Canvas sizes a figure gets: beside the sidebar of a 1024 × 700 and a 1280 × 800 window
 * (with and without a control row above it), and the CLI's default 160 × 100 mm export. */
static const double figure_sizes[][2] = {
  { 680, 540 }, { 680, 420 }, { 930, 640 }, { 930, 520 }, { 453, 283 },
};

/* Renders func(model) at width × height onto a surface 160 units larger each way and
 * asserts nothing was drawn past the canvas: no text runs off a figure's edge. */
static inline void
assert_drawn_inside (void (*func) (cairo_t *, gconstpointer, double, double),
                     gconstpointer model,
                     double        width,
                     double        height)
{
  int sw = (int) ceil (width) + 160;
  int sh = (int) ceil (height) + 160;
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, sw, sh);
  cairo_t *cr = cairo_create (s);
  const guint8 *data;
  int stride;

  func (cr, model, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  if (g_getenv ("CS_TEST_FIGURES") != NULL)
    {
      /* For looking at: CS_TEST_FIGURES=DIR writes each figure checked here. */
      static guint serial;
      g_autofree char *name = g_strdup_printf ("figure-%03u-%gx%g.png", serial++, width, height);
      g_autofree char *path = g_build_filename (g_getenv ("CS_TEST_FIGURES"), name, NULL);
      cairo_surface_write_to_png (s, path);
    }
  data = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  for (int y = 0; y < sh; y++)
    for (int x = 0; x < sw; x++)
      {
        guint32 v;

        if (x < width && y < height)
          continue;
        v = *(const guint32 *) (data + y * stride + 4 * x);
        if ((v >> 24) != 0)
          g_error ("%g × %g figure: ink at (%d, %d), off the canvas", width, height, x, y);
      }
  cairo_surface_destroy (s);
}
