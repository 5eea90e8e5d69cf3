/* The comparison figure: both halves drawn, ribbons in the clusters' colours, matched cells
 * outlined, and nothing drawn outside the canvas whatever its size. */
#include <cairo.h>
#include <math.h>

#include "core/metrics/cs-compare.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-compare.h"

static CsCompareModel *
make_model (void)
{
  const gsize n = 300;
  g_autofree int *a = g_new (int, n);
  g_autofree int *b = g_new (int, n);
  g_autoptr (GError) error = NULL;
  CsComparison *c;

  /* b = a relabelled (0→1, 1→2, 2→0), with 10 % of a's cluster 2 moved to b's 2 and some noise. */
  for (gsize i = 0; i < n; i++)
    {
      a[i] = (int) (i % 3);
      b[i] = (a[i] + 1) % 3;
      if (a[i] == 2 && i % 10 == 2)
        b[i] = 2;
      if (i % 50 == 7)
        b[i] = -1;
    }
  c = cs_comparison_new (a, 3, b, 3, n, &error);
  g_assert_no_error (error);
  return cs_compare_model_new (c, "k-means, k = 3", "Label column ‘class’",
                               (const char *const[]) { "setosa", "versicolor", "virginica" });
}

static gboolean
near (const guint8 *p, const double rgb[3], double tol)
{
  /* cairo ARGB32 little-endian: B, G, R, A */
  return fabs (p[2] / 255.0 - rgb[0]) < tol && fabs (p[1] / 255.0 - rgb[1]) < tol && fabs (p[0] / 255.0 - rgb[2]) < tol;
}

static void
test_figure (void)
{
  g_autoptr (CsCompareModel) m = make_model ();
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 900, 500);
  cairo_t *cr = cairo_create (s);
  guint order[3];
  const guint8 *data;
  int stride;
  gsize bar_pixels[3] = { 0 };
  gsize dark_right = 0;

  cs_compare_model_b_order (m, order);
  g_assert_cmpuint (order[0], ==, 1);
  g_assert_cmpuint (order[1], ==, 2);
  g_assert_cmpuint (order[2], ==, 0);

  cs_render_compare (cr, m, 900, 500);
  cairo_surface_flush (s);
  if (g_getenv ("CS_TEST_PNG") != NULL)
    cairo_surface_write_to_png (s, g_getenv ("CS_TEST_PNG"));
  data = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  for (int y = 0; y < 500; y++)
    for (int x = 0; x < 900; x++)
      {
        const guint8 *p = data + y * stride + 4 * x;
        for (guint j = 0; j < 3; j++)
          {
            double rgb[3];
            cs_palette_color (j, rgb);
            if (x < 420 && near (p, rgb, 0.02))
              bar_pixels[j]++;
          }
        if (x > 450 && y > 100 && p[0] < 60 && p[1] < 60 && p[2] < 60)
          dark_right++;
      }
  /* Each of a's clusters has its bar (and b's matched bar) in its colour. */
  for (guint j = 0; j < 3; j++)
    g_assert_cmpuint (bar_pixels[j], >, 400);
  /* Matched cells are outlined and counts written. */
  g_assert_cmpuint (dark_right, >, 300);
  cairo_destroy (cr);
  cairo_surface_destroy (s);

  /* Tiny canvases draw what fits and never fail. */
  for (int w = 1; w < 300; w += 37)
    {
      cairo_surface_t *t = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, w / 2 + 1);
      cairo_t *tc = cairo_create (t);
      cs_render_compare (tc, m, w, w / 2 + 1);
      g_assert_cmpint (cairo_status (tc), ==, CAIRO_STATUS_SUCCESS);
      cairo_destroy (tc);
      cairo_surface_destroy (t);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/compare", test_figure);
  return g_test_run ();
}
