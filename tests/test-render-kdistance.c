/* The k-distance figure: the model's counts and knee, the chart's height ↔ radius mapping a
 * click relies on, and the marks drawn where the values say. */
#include <cairo.h>
#include <math.h>

#include "core/cluster/cs-dbscan.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-kdistance.h"

static CsKDistanceModel *
make_model (double eps)
{
  /* 90 dense rows, then 10 sparse ones climbing fast: the knee sits at the turn. */
  double *d = g_new (double, 100);

  for (int i = 0; i < 100; i++)
    d[i] = i < 90 ? 0.1 + 0.001 * i : 0.2 + 0.3 * (i - 90);
  return cs_kdistance_model_new (d, 100, 4, eps, "Test");
}

static void
test_model (void)
{
  g_autoptr (CsKDistanceModel) m = make_model (0.5);

  g_assert_cmpfloat (m->knee, ==, cs_dbscan_knee (m->dist, m->n));
  g_assert_cmpfloat (m->knee, >=, 0.189);
  g_assert_cmpfloat (m->knee, <=, 0.5);
  /* Strictly above: 0.5 itself (row 91) is not above 0.5. */
  g_assert_cmpuint (cs_kdistance_model_count_above (m, 0.5), ==, 8);
  g_assert_cmpuint (cs_kdistance_model_count_above (m, 0.0), ==, 100);
  g_assert_cmpuint (cs_kdistance_model_count_above (m, 10.0), ==, 0);
  g_assert_cmpuint (cs_kdistance_model_count_above (m, 0.1), ==, 99);
}

static void
test_height_to_radius (void)
{
  g_autoptr (CsKDistanceModel) m = make_model (NAN);
  double prev = INFINITY, e;

  /* Outside the frame: nothing. */
  g_assert_false (cs_kdistance_model_eps_at (m, 800, 500, 2, 250, &e));
  g_assert_false (cs_kdistance_model_eps_at (m, 800, 500, 400, 1, &e));
  /* Down the middle column the radius falls steadily to 0 at the frame's bottom. */
  for (int y = 0; y < 500; y++)
    if (cs_kdistance_model_eps_at (m, 800, 500, 400, y, &e))
      {
        g_assert_cmpfloat (e, <, prev);
        g_assert_cmpfloat (e, >=, -1e-12);
        prev = e;
      }
  g_assert_cmpfloat (prev, <, 0.01);
}

static const guint8 *
pixel (cairo_surface_t *s, int x, int y)
{
  return cairo_image_surface_get_data (s) + y * cairo_image_surface_get_stride (s) + 4 * x;
}

static void
test_marks (void)
{
  g_autoptr (CsKDistanceModel) m = make_model (1.0);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 500);
  cairo_t *cr = cairo_create (s);
  double eps_rgb[3];
  int hits = 0, y_line = -1;
  double e;

  cs_render_kdistance (cr, m, 800, 500);
  cairo_surface_flush (s);
  cs_palette_color (0, eps_rgb);
  /* The eps line: a row of the first palette colour where the height reads 1.0. */
  for (int y = 0; y < 500; y++)
    {
      const guint8 *p = pixel (s, 600, y);
      if (fabs (p[2] / 255.0 - eps_rgb[0]) < 0.06 && fabs (p[1] / 255.0 - eps_rgb[1]) < 0.06
          && fabs (p[0] / 255.0 - eps_rgb[2]) < 0.06)
        {
          hits++;
          y_line = y;
        }
    }
  g_assert_cmpint (hits, >=, 1);
  g_assert_true (cs_kdistance_model_eps_at (m, 800, 500, 600, y_line + 0.5, &e));
  g_assert_cmpfloat (fabs (e - 1.0), <, 0.02);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/k-distance/model", test_model);
  g_test_add_func ("/render/k-distance/height-to-radius", test_height_to_radius);
  g_test_add_func ("/render/k-distance/marks", test_marks);
  return g_test_run ();
}
