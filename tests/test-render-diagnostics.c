#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "core/base/cs-rng.h"
#include "core/density/cs-kde-diagnostics.h"
#include "ui/render/cs-export.h"
#include "ui/render/cs-render-diagnostics.h"

#include "test-render-canvas.h"

static CsKdeDiagnostics *
gaussian_diagnostics (void)
{
  g_autoptr (CsMatrix) x = cs_matrix_new (400, 8);
  g_autoptr (GError) error = NULL;
  CsKdeDiagnostics *diag;
  CsRng rng;

  cs_rng_init (&rng, 42);
  for (gsize i = 0; i < x->rows * x->cols; i++)
    x->data[i] = cs_rng_normal (&rng);
  diag = cs_kde_diagnostics_run (x, NULL, NULL, &error);
  g_assert_no_error (error);
  return diag;
}

static void
pixel_rgb (cairo_surface_t *s,
           double           x,
           double           y,
           int              rgb[3])
{
  guint32 v;

  cairo_surface_flush (s);
  v = *(guint32 *) (cairo_image_surface_get_data (s) + (int) y * cairo_image_surface_get_stride (s) + 4 * (int) x);
  rgb[0] = (v >> 16) & 0xff;
  rgb[1] = (v >> 8) & 0xff;
  rgb[2] = v & 0xff;
}

static gboolean
pixel_is (const int     got[3],
          const double  want[3],
          int           tolerance)
{
  for (int c = 0; c < 3; c++)
    if (abs (got[c] - (int) lround (want[c] * 255)) > tolerance)
      return FALSE;
  return TRUE;
}

/* Points in each regime's band, just above the n_eff panel's bottom edge (below the curve,
 * which never drops under n_eff = 1, and away from every label), carry that regime's shading. */
static void
test_regime_shading (void)
{
  g_autoptr (CsKdeDiagnostics) diag = gaussian_diagnostics ();
  g_autoptr (CsDiagnosticsModel) m = cs_diagnostics_model_new (diag, NAN);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 900, 640);
  cairo_t *cr = cairo_create (s);
  CsRect top;
  CsRect bottom;
  const double probes[3] = { diag->h[0] * 1.15, sqrt (diag->h_g * diag->h_clt), diag->h[diag->n_h - 1] / 1.15 };

  cs_render_diagnostics (cr, m, 900, 640);
  cs_render_diagnostics_layout (m, 900, 640, &top, &bottom);
  g_assert_cmpfloat (top.y + top.height, <, bottom.y);
  g_assert_cmpfloat (top.x, ==, bottom.x);
  for (guint r = 0; r < 3; r++)
    {
      double want[3];
      double cx = cs_render_diagnostics_x (m, &bottom, probes[r]);
      guint hits = 0;

      cs_render_diagnostics_regime_rgb (r, want);
      g_assert_cmpint (cs_kde_diagnostics_regime (diag, probes[r]), ==, r);
      /* Five neighbouring pixels, so a grid line through one of them cannot decide. */
      for (int dx = -2; dx <= 2; dx++)
        {
          int got[3];
          pixel_rgb (s, cx + dx, bottom.y + bottom.height - 3.0, got);
          hits += pixel_is (got, want, 3);
        }
      g_assert_cmpuint (hits, >=, 3);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

/* The current-h line is dark ink where the shading would otherwise be. */
static void
test_current_h_line (void)
{
  g_autoptr (CsKdeDiagnostics) diag = gaussian_diagnostics ();
  double h = sqrt (diag->h_g * diag->h_clt);
  g_autoptr (CsDiagnosticsModel) m = cs_diagnostics_model_new (diag, h);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 900, 640);
  cairo_t *cr = cairo_create (s);
  CsRect bottom;
  int got[3];

  cs_render_diagnostics (cr, m, 900, 640);
  cs_render_diagnostics_layout (m, 900, 640, NULL, &bottom);
  pixel_rgb (s, floor (cs_render_diagnostics_x (m, &bottom, h)), bottom.y + 4.0, got);
  g_assert_cmpint (got[0], <, 90);
  g_assert_cmpint (got[1], <, 90);
  g_assert_cmpint (got[2], <, 90);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

static void
test_export (void)
{
  g_autoptr (CsKdeDiagnostics) diag = gaussian_diagnostics ();
  g_autoptr (CsDiagnosticsModel) m = cs_diagnostics_model_new (diag, diag->h_opt);
  g_autofree char *dir = g_dir_make_tmp ("cs-diag-XXXXXX", NULL);
  const struct
  {
    CsExportFormat format;
    const char    *name;
    const char    *magic;
  } cases[] = {
    { CS_EXPORT_PNG, "d.png", "\x89PNG" },
    { CS_EXPORT_SVG, "d.svg", "<?xml" },
    { CS_EXPORT_PDF, "d.pdf", "%PDF" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, cases[i].name, NULL);
      g_autofree char *data = NULL;
      gsize len = 0;
      g_autoptr (GError) error = NULL;

      g_assert_true (cs_render_export (cs_render_diagnostics, m, path, cases[i].format, 160, 110, 96, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      g_assert_cmpuint (len, >, 1000);
      g_assert_true (memcmp (data, cases[i].magic, strlen (cases[i].magic)) == 0);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_text_on_canvas (void)
{
  g_autoptr (CsKdeDiagnostics) diag = gaussian_diagnostics ();
  g_autoptr (CsDiagnosticsModel) m = cs_diagnostics_model_new (diag, 0.5);

  for (guint i = 0; i < G_N_ELEMENTS (figure_sizes); i++)
    assert_drawn_inside (cs_render_diagnostics, m, figure_sizes[i][0], figure_sizes[i][1]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/diagnostics/regime-shading", test_regime_shading);
  g_test_add_func ("/render/diagnostics/current-h-line", test_current_h_line);
  g_test_add_func ("/render/diagnostics/export", test_export);
  g_test_add_func ("/render/diagnostics/text-on-canvas", test_text_on_canvas);
  return g_test_run ();
}
