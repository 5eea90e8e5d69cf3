#define _GNU_SOURCE
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "core/cluster/cs-kmeans.h"
#include "core/data/cs-dataset.h"
#include "core/cluster/cs-result.h"
#include "core/data/cs-samples.h"
#include "core/explain/cs-saliency.h"
#include "ui/render/cs-colormap.h"
#include "ui/render/cs-export.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-saliency.h"

#include "test-render-common.h"

#include "test-render-canvas.h"

/* Helpers ------------------------------------------------------------------------------ */

static gboolean
pixel_is (Pixel         p,
          const double  rgb[3],
          int           tolerance)
{
  return abs (p.r - (int) lround (rgb[0] * 255)) <= tolerance
         && abs (p.g - (int) lround (rgb[1] * 255)) <= tolerance
         && abs (p.b - (int) lround (rgb[2] * 255)) <= tolerance;
}

/* The diverging map's ends are blue (favourable) and orange (unfavourable). */
static gboolean
pixel_is_positive (Pixel p)
{
  return p.b > p.r + 40;
}

static gboolean
pixel_is_negative (Pixel p)
{
  return p.r > p.b + 40;
}

static gboolean
pixel_is_near_white (Pixel p)
{
  return p.r >= 235 && p.g >= 235 && p.b >= 235;
}

static cairo_surface_t *
render (CsRenderFunc  func,
        gconstpointer model,
        int           width,
        int           height)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (s);

  func (cr, model, width, height);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return s;
}

static CsSaliencyReport *
empty_report (guint k,
              guint d)
{
  CsSaliencyReport *r = g_new0 (CsSaliencyReport, 1);
  gsize kd = (gsize) k * d;

  r->k = k;
  r->d = d;
  r->feature_names = g_new0 (char *, d + 1);
  for (guint f = 0; f < d; f++)
    r->feature_names[f] = g_strdup_printf ("feature %u", f + 1);
  r->sizes = g_new0 (gsize, k);
  r->hedges_g = g_new0 (double, kd);
  r->hedges_g_lo = g_new0 (double, kd);
  r->hedges_g_hi = g_new0 (double, kd);
  r->cliff_delta = g_new0 (double, kd);
  r->favourable = g_new0 (double, kd);
  r->unfavourable = g_new0 (double, kd);
  r->shap_mean_abs = g_new0 (double, kd);
  r->summaries = g_new0 (char *, k + 1);
  for (guint c = 0; c < k; c++)
    {
      r->sizes[c] = 10 * (c + 1);
      r->n_labelled += r->sizes[c];
      r->summaries[c] = g_strdup ("");
    }
  r->n_rows = r->n_labelled;
  r->surrogate_accuracy = 0.973;
  return r;
}

static void
set_shap (CsSaliencyReport *r,
          guint             c,
          guint             f,
          double            fav,
          double            unf)
{
  r->favourable[(gsize) c * r->d + f] = fav;
  r->unfavourable[(gsize) c * r->d + f] = unf;
  r->shap_mean_abs[(gsize) c * r->d + f] = fav - unf;
}

/* Three clusters, five features, with known bars:
 *   cluster 0: feature 2 favourable 0.9, feature 0 unfavourable −0.6, feature 4 +0.3/−0.05
 *   cluster 1: feature 1 favourable 0.45
 *   cluster 2: feature 3 unfavourable −0.2
 * and Hedges' g 2.5 at (1, 3), −1.5 at (2, 0), 0 elsewhere. */
static CsSaliencyReport *
known_report (void)
{
  CsSaliencyReport *r = empty_report (3, 5);

  g_free (r->feature_names[2]);
  r->feature_names[2] = g_strdup ("a very long feature name that will not fit in a panel");
  set_shap (r, 0, 2, 0.9, 0.0);
  set_shap (r, 0, 0, 0.0, -0.6);
  set_shap (r, 0, 4, 0.3, -0.05);
  set_shap (r, 0, 1, 0.02, -0.01);
  set_shap (r, 1, 1, 0.45, 0.0);
  set_shap (r, 1, 0, 0.1, -0.1);
  set_shap (r, 2, 3, 0.0, -0.2);
  set_shap (r, 2, 2, 0.05, 0.0);
  r->hedges_g[1 * 5 + 3] = 2.5;
  r->hedges_g[2 * 5 + 0] = -1.5;
  r->hedges_g[0 * 5 + 2] = 1.0;
  for (gsize q = 0; q < 15; q++)
    r->cliff_delta[q] = r->hedges_g[q] / 3.0;
  return r;
}

static const int slots[] = { 3, 0, 5 };

/* Colour map ------------------------------------------------------------------------------ */

static void
test_diverging_map (void)
{
  double lo[3];
  double mid[3];
  double hi[3];
  double nan_rgb[3];
  double prev_l = -1.0;

  cs_colormap_diverging_rgb (-1.0, lo);
  cs_colormap_diverging_rgb (0.0, mid);
  cs_colormap_diverging_rgb (1.0, hi);
  cs_colormap_diverging_rgb (NAN, nan_rgb);
  /* Neutral near-white, blue positive end, orange negative end. */
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpfloat (mid[i], >, 0.95);
      g_assert_cmpfloat_with_epsilon (nan_rgb[i], mid[i], 1e-12);
    }
  g_assert_cmpfloat (hi[2], >, hi[0] + 0.3);
  g_assert_cmpfloat (lo[0], >, lo[2] + 0.3);
  /* Lightness falls steadily from the middle, equally on both sides (luma as a proxy). */
  for (int s = 0; s <= 20; s++)
    {
      double t = s / 20.0;
      double a[3];
      double b[3];
      double la;
      double lb;

      cs_colormap_diverging_rgb (t, a);
      cs_colormap_diverging_rgb (-t, b);
      la = 0.2126 * a[0] + 0.7152 * a[1] + 0.0722 * a[2];
      lb = 0.2126 * b[0] + 0.7152 * b[1] + 0.0722 * b[2];
      g_assert_cmpfloat (fabs (la - lb), <, 0.06);
      if (prev_l >= 0)
        g_assert_cmpfloat (la, <, prev_l);
      prev_l = la;
    }
}

/* Bars ------------------------------------------------------------------------------------ */

static void
test_bars_sides_and_colours (void)
{
  g_autoptr (CsSaliencyReport) r = known_report ();
  g_autoptr (CsSaliencyModel) m = cs_saliency_model_new (r, slots);
  const int w = 900;
  const int h = 520;
  cairo_surface_t *s = render (cs_render_saliency_bars, m, w, h);
  CsRect fav;
  CsRect unf;
  guint f;

  /* Rank 0 of cluster 0 is feature 2 (|φ| 0.9): all to the right of zero, positive colour. */
  g_assert_true (cs_render_saliency_bars_bar (m, w, h, 0, 0, &f, &fav, &unf));
  g_assert_cmpuint (f, ==, 2);
  g_assert_cmpfloat (fav.width, >, 20.0);
  g_assert_cmpfloat (unf.width, ==, 0.0);
  g_assert_true (pixel_is_positive (pixel_at (s, fav.x + fav.width / 2, fav.y + fav.height / 2)));
  /* Just left of the zero line there is no bar. */
  g_assert_false (pixel_is_negative (pixel_at (s, fav.x - 4, fav.y + fav.height / 2)));

  /* Rank 1 is feature 0 (−0.6): to the left, negative colour, ending at the same zero line. */
  {
    CsRect fav1;
    CsRect unf1;

    g_assert_true (cs_render_saliency_bars_bar (m, w, h, 0, 1, &f, &fav1, &unf1));
    g_assert_cmpuint (f, ==, 0);
    g_assert_cmpfloat (fav1.width, ==, 0.0);
    g_assert_cmpfloat_with_epsilon (unf1.x + unf1.width, fav.x, 1e-9);
    g_assert_cmpfloat (unf1.y, >, fav.y);
    g_assert_true (pixel_is_negative (pixel_at (s, unf1.x + unf1.width / 2, unf1.y + unf1.height / 2)));
    g_assert_false (pixel_is_positive (pixel_at (s, unf1.x + unf1.width + 4, unf1.y + unf1.height / 2)));
    /* Lengths follow the values on one scale: 0.6 / 0.9. */
    g_assert_cmpfloat_with_epsilon (unf1.width / fav.width, 0.6 / 0.9, 1e-9);
  }

  /* Rank 2 is feature 4 (+0.3 / −0.05): both parts, in proportion. */
  {
    CsRect fav2;
    CsRect unf2;

    g_assert_true (cs_render_saliency_bars_bar (m, w, h, 0, 2, &f, &fav2, &unf2));
    g_assert_cmpuint (f, ==, 4);
    g_assert_cmpfloat_with_epsilon (fav2.width / fav.width, 0.3 / 0.9, 1e-9);
    g_assert_cmpfloat_with_epsilon (unf2.width / fav.width, 0.05 / 0.9, 1e-9);
  }

  /* Cluster 1's 0.45 bar is half of cluster 0's 0.9: one x scale across the panels. */
  {
    CsRect fav_b;

    g_assert_true (cs_render_saliency_bars_bar (m, w, h, 1, 0, &f, &fav_b, NULL));
    g_assert_cmpuint (f, ==, 1);
    g_assert_cmpfloat_with_epsilon (fav_b.width / fav.width, 0.5, 1e-9);
    g_assert_true (pixel_is_positive (pixel_at (s, fav_b.x + fav_b.width / 2, fav_b.y + fav_b.height / 2)));
  }

  /* Each panel carries its cluster's colour swatch. */
  for (guint c = 0; c < 3; c++)
    {
      CsRect panel;
      CsRect sw;
      double rgb[3];

      g_assert_true (cs_render_saliency_bars_panel (m, w, h, c, &panel, &sw));
      cs_palette_color ((guint) slots[c], rgb);
      g_assert_true (pixel_is (pixel_at (s, sw.x + sw.width / 2, sw.y + sw.height / 2), rgb, 2));
      g_assert_cmpfloat (sw.x, >=, panel.x);
      g_assert_cmpfloat (sw.y, >=, panel.y);
    }
  g_assert_false (cs_render_saliency_bars_panel (m, w, h, 3, NULL, NULL));
  cairo_surface_destroy (s);
}

static void
test_bars_grid_and_limit (void)
{
  g_autoptr (CsSaliencyReport) r = empty_report (6, 20);
  g_autoptr (CsSaliencyModel) m = NULL;
  CsRect p0;
  CsRect p1;
  CsRect fav;
  guint f;

  for (guint c = 0; c < 6; c++)
    for (guint j = 0; j < 20; j++)
      set_shap (r, c, j, 0.01 * (j + 1), -0.005 * j);
  m = cs_saliency_model_new (r, NULL);

  /* A wide canvas puts clusters side by side, a tall one stacks them. */
  g_assert_true (cs_render_saliency_bars_panel (m, 1600, 600, 0, &p0, NULL));
  g_assert_true (cs_render_saliency_bars_panel (m, 1600, 600, 1, &p1, NULL));
  g_assert_cmpfloat (p1.x, >, p0.x + p0.width);
  g_assert_cmpfloat (p1.y, ==, p0.y);
  g_assert_true (cs_render_saliency_bars_panel (m, 400, 1600, 1, &p1, NULL));
  g_assert_true (cs_render_saliency_bars_panel (m, 400, 1600, 0, &p0, NULL));
  g_assert_cmpfloat (p1.y, >, p0.y + p0.height);

  /* At most max_bars features, most important first (feature 20 has |φ| 0.2 + 0.095). */
  g_assert_true (cs_render_saliency_bars_bar (m, 1600, 900, 0, 0, &f, &fav, NULL));
  g_assert_cmpuint (f, ==, 19);
  g_assert_true (cs_render_saliency_bars_bar (m, 1600, 900, 0, 7, &f, &fav, NULL));
  g_assert_cmpuint (f, ==, 12);
  g_assert_false (cs_render_saliency_bars_bar (m, 1600, 900, 0, 8, &f, &fav, NULL));
  /* A small canvas shows fewer. */
  g_assert_false (cs_render_saliency_bars_bar (m, 400, 200, 0, 7, &f, &fav, NULL));
}

/* Heatmap ------------------------------------------------------------------------------------ */

static void
test_heatmap_colours_and_hit (void)
{
  g_autoptr (CsSaliencyReport) r = known_report ();
  g_autoptr (CsSaliencyModel) m = cs_saliency_model_new (r, slots);
  const int w = 800;
  const int h = 400;
  cairo_surface_t *s = render (cs_render_saliency_heatmap, m, w, h);
  CsRect cell;
  CsRect zero;
  CsRect neg;
  guint c = 99;
  guint f = 99;

  g_assert_true (cs_render_saliency_heatmap_cell (m, w, h, 1, 3, &cell));
  g_assert_cmpfloat (cell.width, >, 8);
  g_assert_cmpfloat (cell.height, >, 8);
  /* Sample off the printed value, near a corner of the cell. */
  g_assert_true (pixel_is_positive (pixel_at (s, cell.x + 3, cell.y + 3)));
  {
    double top[3];
    cs_colormap_diverging_rgb (1.0, top);
    g_assert_true (pixel_is (pixel_at (s, cell.x + 3, cell.y + 3), top, 2));
  }
  g_assert_true (cs_render_saliency_heatmap_cell (m, w, h, 2, 0, &neg));
  g_assert_true (pixel_is_negative (pixel_at (s, neg.x + 3, neg.y + 3)));
  g_assert_true (cs_render_saliency_heatmap_cell (m, w, h, 0, 4, &zero));
  g_assert_true (pixel_is_near_white (pixel_at (s, zero.x + 3, zero.y + 3)));
  /* Row swatch in the cluster's colour, left of the grid. */
  {
    double rgb[3];
    gboolean found = FALSE;

    cs_palette_color ((guint) slots[2], rgb);
    for (double x = 0; x < neg.x; x += 1.0)
      found = found || pixel_is (pixel_at (s, x, neg.y + neg.height / 2), rgb, 2);
    g_assert_true (found);
  }

  g_assert_true (cs_render_saliency_heatmap_hit (m, w, h, cell.x + cell.width / 2, cell.y + cell.height / 2, &c, &f));
  g_assert_cmpuint (c, ==, 1);
  g_assert_cmpuint (f, ==, 3);
  g_assert_true (cs_render_saliency_heatmap_hit (m, w, h, neg.x + neg.width / 2, neg.y + neg.height / 2, &c, &f));
  g_assert_cmpuint (c, ==, 2);
  g_assert_cmpuint (f, ==, 0);
  c = f = 99;
  g_assert_false (cs_render_saliency_heatmap_hit (m, w, h, 2, 2, &c, &f));
  g_assert_false (cs_render_saliency_heatmap_hit (m, w, h, cell.x + cell.width / 2, h - 2, &c, &f));
  g_assert_false (cs_render_saliency_heatmap_hit (m, w, h, w - 2, cell.y + 2, &c, &f));
  g_assert_cmpuint (c, ==, 99);
  g_assert_cmpuint (f, ==, 99);
  cairo_surface_destroy (s);
}

static void
test_heatmap_order_quantity_highlight (void)
{
  g_autoptr (CsSaliencyReport) r = known_report ();
  g_autoptr (CsSaliencyModel) base = cs_saliency_model_new (r, NULL);
  g_autoptr (CsSaliencyModel) m = cs_saliency_model_dup (base);
  const int w = 800;
  const int h = 400;
  CsRect first;
  CsRect cell;
  guint c;
  guint f;
  cairo_surface_t *s;

  /* Importance, the size-weighted mean |φ| (sizes 10, 20, 30), times 60: feature 2
   * 0.9·10 + 0.05·30 = 10.5, feature 0 0.6·10 + 0.2·20 = 10, feature 1 0.03·10 + 0.45·20 = 9.3,
   * feature 3 0.2·30 = 6, feature 4 0.35·10 = 3.5. */
  g_assert_cmpuint (base->importance_order[0], ==, 2);
  g_assert_cmpuint (base->importance_order[1], ==, 0);
  g_assert_cmpuint (base->importance_order[2], ==, 1);
  g_assert_cmpuint (base->importance_order[3], ==, 3);
  g_assert_cmpuint (base->importance_order[4], ==, 4);
  m->by_importance = TRUE;
  m->quantity = CS_SALIENCY_QUANTITY_NET_SHAP;
  m->highlight = 3;
  /* Columns left to right in that order; as given in the base model. */
  {
    static const guint expected[] = { 2, 0, 1, 3, 4 };
    CsRect prev;

    for (guint i = 0; i < 5; i++)
      {
        g_assert_true (cs_render_saliency_heatmap_cell (m, w, h, 0, expected[i], &cell));
        if (i > 0)
          g_assert_cmpfloat_with_epsilon (cell.x, prev.x + prev.width, 1e-9);
        prev = cell;
        g_assert_true (cs_render_saliency_heatmap_cell (base, w, h, 0, i, &cell));
        if (i == 0)
          first = cell;
        g_assert_cmpfloat_with_epsilon (cell.x, first.x + i * first.width, 1e-9);
      }
  }
  g_assert_true (cs_render_saliency_heatmap_cell (m, w, h, 0, 2, &cell));
  g_assert_true (cs_render_saliency_heatmap_hit (m, w, h, cell.x + 2, cell.y + cell.height - 2, &c, &f));
  g_assert_cmpuint (c, ==, 0);
  g_assert_cmpuint (f, ==, 2);

  /* Net Shapley: cluster 2, feature 3 is −0.2 (negative), cluster 0, feature 2 is the top. */
  s = render (cs_render_saliency_heatmap, m, w, h);
  g_assert_true (pixel_is_positive (pixel_at (s, cell.x + 3, cell.y + 3)));
  g_assert_true (cs_render_saliency_heatmap_cell (m, w, h, 2, 3, &cell));
  g_assert_true (pixel_is_negative (pixel_at (s, cell.x + 3, cell.y + 3)));
  /* The highlighted column is outlined in ink just outside its cells. */
  {
    Pixel p = pixel_at (s, cell.x - 0.5, cell.y + cell.height / 2);
    g_assert_cmpint (p.r, <, 90);
    g_assert_cmpint (p.g, <, 90);
  }
  /* The base model is untouched by the copy's changes. */
  g_assert_false (base->by_importance);
  g_assert_cmpint (base->highlight, ==, -1);
  cairo_surface_destroy (s);
}

static void
test_heatmap_many_features (void)
{
  g_autoptr (CsSaliencyReport) r = empty_report (10, 64);
  g_autoptr (CsSaliencyModel) m = NULL;
  cairo_surface_t *s;
  CsRect a;
  CsRect b;
  guint c;
  guint f;

  for (gsize q = 0; q < 640; q++)
    r->hedges_g[q] = sin (0.37 * q) * 2.0;
  m = cs_saliency_model_new (r, NULL);
  s = render (cs_render_saliency_heatmap, m, 1280, 720);
  g_assert_true (cs_render_saliency_heatmap_cell (m, 1280, 720, 9, 63, &a));
  g_assert_true (cs_render_saliency_heatmap_cell (m, 1280, 720, 0, 0, &b));
  g_assert_cmpfloat (a.x + a.width, <=, 1280);
  g_assert_cmpfloat (a.y + a.height, <=, 720);
  g_assert_cmpfloat (a.x, >, b.x);
  g_assert_true (cs_render_saliency_heatmap_hit (m, 1280, 720, a.x + a.width / 2, a.y + a.height / 2, &c, &f));
  g_assert_cmpuint (c, ==, 9);
  g_assert_cmpuint (f, ==, 63);
  cairo_surface_destroy (s);
}

/* Images -------------------------------------------------------------------------------------- */

/* Six 8 × 8 images: rows 0–2 (cluster 0) have a bright pixel 10 at value 4, 6, 8; rows 3–5
 * (cluster 1) have pixel 50 at 2, 3, 10. Pixel 63 is left out of the report's features. */
static CsDataset *
tiny_images (void)
{
  CsDataset *ds = cs_dataset_new ("tiny-images", 6);
  static const double bright[6] = { 4, 6, 8, 2, 3, 10 };

  for (guint p = 0; p < 64; p++)
    {
      double *v = g_new0 (double, 6);
      g_autofree char *name = g_strdup_printf ("px%u", p);

      for (guint i = 0; i < 6; i++)
        if ((i < 3 && p == 10) || (i >= 3 && p == 50))
          v[i] = bright[i];
      cs_dataset_add_numeric (ds, name, v);
    }
  ds->image_rows = 8;
  ds->image_cols = 8;
  return ds;
}

static CsSaliencyReport *
tiny_images_report (void)
{
  CsSaliencyReport *r = empty_report (2, 63);

  for (guint f = 0; f < 63; f++)
    {
      g_free (r->feature_names[f]);
      r->feature_names[f] = g_strdup_printf ("px%u", f);
    }
  r->sizes[0] = 3;
  r->sizes[1] = 3;
  /* Cluster 0: pixel 10 only favourable, pixel 12 only unfavourable (half as strong). */
  set_shap (r, 0, 10, 0.8, 0.0);
  set_shap (r, 0, 12, 0.0, -0.4);
  set_shap (r, 1, 50, 0.5, -0.1);
  return r;
}

static CsClustering *
tiny_clustering (void)
{
  CsClustering *c = cs_clustering_new ("kmeans", 6, 64, 2);

  for (guint i = 0; i < 6; i++)
    c->labels[i] = i < 3 ? 0 : 1;
  return c;
}

static void
test_images_model (void)
{
  g_autoptr (CsDataset) ds = tiny_images ();
  g_autoptr (CsSaliencyReport) r = tiny_images_report ();
  g_autoptr (CsClustering) c = tiny_clustering ();
  g_autoptr (CsSaliencyImagesModel) m = cs_saliency_images_model_build (ds, NULL, c, r, NULL);
  g_autoptr (CsSaliencyImagesModel) med = NULL;

  g_assert_nonnull (m);
  g_assert_cmpuint (m->k, ==, 2);
  g_assert_cmpuint (m->rows, ==, 8);
  g_assert_cmpuint (m->cols, ==, 8);
  g_assert_cmpfloat_with_epsilon (m->mean[10], 6.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (m->mean[64 + 50], 5.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (m->mean[11], 0.0, 1e-12);
  /* Nearest the mean: row 1 (value 6 = mean) and row 4 (|3 − 5| beats |2 − 5| and |10 − 5|). */
  g_assert_false (m->medoids);
  g_assert_cmpint (m->prototype_row[0], ==, 1);
  g_assert_cmpint (m->prototype_row[1], ==, 4);
  g_assert_cmpfloat_with_epsilon (m->prototype[64 + 50], 3.0, 1e-12);
  /* Maps by feature name; pixel 63 is not a feature. */
  g_assert_cmpfloat_with_epsilon (m->favourable[10], 0.8, 1e-12);
  g_assert_cmpfloat_with_epsilon (m->unfavourable[12], -0.4, 1e-12);
  g_assert_true (isnan (m->favourable[63]));
  g_assert_true (isnan (m->unfavourable[64 + 63]));
  g_assert_cmpfloat_with_epsilon (m->map_max, 0.8, 1e-12);
  /* Grey scale over the means and prototypes shown: paper 0, ink 6. */
  g_assert_cmpfloat_with_epsilon (m->vmin, 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (m->vmax, 6.0, 1e-12);

  c->medoids = g_new (gsize, 2);
  c->medoids[0] = 2;
  c->medoids[1] = 5;
  med = cs_saliency_images_model_build (ds, NULL, c, r, NULL);
  g_assert_true (med->medoids);
  g_assert_cmpint (med->prototype_row[0], ==, 2);
  g_assert_cmpint (med->prototype_row[1], ==, 5);
  g_assert_cmpfloat_with_epsilon (med->prototype[10], 8.0, 1e-12);

  /* No image shape, no model. */
  ds->image_rows = 0;
  g_assert_null (cs_saliency_images_model_build (ds, NULL, c, r, NULL));
}

static void
test_images_render (void)
{
  g_autoptr (CsDataset) ds = tiny_images ();
  g_autoptr (CsSaliencyReport) r = tiny_images_report ();
  g_autoptr (CsClustering) c = tiny_clustering ();
  static const int swapped[] = { 1, 0 };
  g_autoptr (CsSaliencyImagesModel) m = cs_saliency_images_model_build (ds, NULL, c, r, swapped);
  const int w = 900;
  const int h = 500;
  cairo_surface_t *s = render (cs_render_saliency_images, m, w, h);
  CsRect fav;
  CsRect unf;
  CsRect mean;
  CsRect proto;
  double px;
  double py;

  g_assert_true (cs_render_saliency_images_cell (m, w, h, 0, CS_SALIENCY_IMAGE_MEAN, &mean));
  g_assert_true (cs_render_saliency_images_cell (m, w, h, 0, CS_SALIENCY_IMAGE_PROTOTYPE, &proto));
  g_assert_true (cs_render_saliency_images_cell (m, w, h, 0, CS_SALIENCY_IMAGE_FAVOURABLE, &fav));
  g_assert_true (cs_render_saliency_images_cell (m, w, h, 0, CS_SALIENCY_IMAGE_UNFAVOURABLE, &unf));
  g_assert_false (cs_render_saliency_images_cell (m, w, h, 2, CS_SALIENCY_IMAGE_MEAN, &unf));
  g_assert_cmpfloat (mean.width, >, 16);
  g_assert_cmpfloat (proto.x, >=, mean.x + mean.width);
  g_assert_cmpfloat (fav.x, >=, proto.x + proto.width);
  g_assert_cmpfloat (unf.x, >=, fav.x + fav.width);

  /* Pixel 10 is row 1, column 2. */
  px = (2 + 0.5) / 8.0;
  py = (1 + 0.5) / 8.0;
  g_assert_true (pixel_is_positive (pixel_at (s, fav.x + px * fav.width, fav.y + py * fav.height)));
  /* It has no unfavourable part: that map shows only the faint copy of the mean there. */
  {
    Pixel p = pixel_at (s, unf.x + px * unf.width, unf.y + py * unf.height);
    g_assert_false (pixel_is_positive (p));
    g_assert_false (pixel_is_negative (p));
  }
  /* Pixel 12 (row 1, column 4) is unfavourable only. */
  g_assert_true (pixel_is_negative (pixel_at (s, unf.x + 4.5 / 8 * unf.width, unf.y + py * unf.height)));
  /* In grey on one scale (0 white, 6 black): cluster 1's pixel 50 (row 6, column 2) is 5 in
   * the mean and 3 in the prototype; paper is white. */
  {
    CsRect m1;
    CsRect p1;
    Pixel p;

    g_assert_true (cs_render_saliency_images_cell (m, w, h, 1, CS_SALIENCY_IMAGE_MEAN, &m1));
    g_assert_true (cs_render_saliency_images_cell (m, w, h, 1, CS_SALIENCY_IMAGE_PROTOTYPE, &p1));
    g_assert_cmpfloat (m1.y, >=, mean.y + mean.height);
    p = pixel_at (s, m1.x + px * m1.width, m1.y + 6.5 / 8 * m1.height);
    g_assert_cmpint (abs (p.r - 43), <=, 2);
    g_assert_cmpint (p.r, ==, p.b);
    p = pixel_at (s, p1.x + px * p1.width, p1.y + 6.5 / 8 * p1.height);
    g_assert_cmpint (abs (p.r - 128), <=, 2);
    p = pixel_at (s, mean.x + 6.5 / 8 * mean.width, mean.y + 6.5 / 8 * mean.height);
    g_assert_true (p.r == 255 && p.g == 255 && p.b == 255);
  }
  /* Cluster 0 has palette slot 1: its strip is left of its mean image. */
  {
    double rgb[3];
    gboolean found = FALSE;

    cs_palette_color (1, rgb);
    for (double x = 0; x < mean.x; x += 1.0)
      found = found || pixel_is (pixel_at (s, x, mean.y + mean.height / 2), rgb, 2);
    g_assert_true (found);
  }
  cairo_surface_destroy (s);
}

static void
test_images_two_groups (void)
{
  g_autoptr (CsDataset) ds = cs_dataset_new ("ten", 10);
  g_autoptr (CsSaliencyReport) r = empty_report (10, 64);
  g_autoptr (CsClustering) c = cs_clustering_new ("kmeans", 10, 64, 10);
  g_autoptr (CsSaliencyImagesModel) m = NULL;
  CsRect a;
  CsRect b;

  for (guint p = 0; p < 64; p++)
    {
      double *v = g_new0 (double, 10);
      for (guint i = 0; i < 10; i++)
        v[i] = (p + i) % 7;
      g_free (r->feature_names[p]);
      r->feature_names[p] = g_strdup_printf ("px%u", p);
      cs_dataset_add_numeric (ds, r->feature_names[p], v);
    }
  ds->image_rows = ds->image_cols = 8;
  for (guint i = 0; i < 10; i++)
    c->labels[i] = (int) i;
  m = cs_saliency_images_model_build (ds, NULL, c, r, NULL);
  g_assert_nonnull (m);

  /* A 16:9 slide with ten clusters: two column groups, five rows each. */
  g_assert_true (cs_render_saliency_images_cell (m, 1280, 720, 0, CS_SALIENCY_IMAGE_MEAN, &a));
  g_assert_true (cs_render_saliency_images_cell (m, 1280, 720, 5, CS_SALIENCY_IMAGE_MEAN, &b));
  g_assert_cmpfloat (b.x, >, a.x + 4 * a.width);
  g_assert_cmpfloat_with_epsilon (b.y, a.y, 0.5);
  g_assert_cmpfloat (a.width, >=, 80);
  g_assert_true (cs_render_saliency_images_cell (m, 1280, 720, 9, CS_SALIENCY_IMAGE_UNFAVOURABLE, &b));
  g_assert_cmpfloat (b.x + b.width, <=, 1280);
  g_assert_cmpfloat (b.y + b.height, <=, 720);
  /* A tall canvas keeps one group. */
  g_assert_true (cs_render_saliency_images_cell (m, 600, 1400, 5, CS_SALIENCY_IMAGE_MEAN, &b));
  g_assert_true (cs_render_saliency_images_cell (m, 600, 1400, 0, CS_SALIENCY_IMAGE_MEAN, &a));
  g_assert_cmpfloat_with_epsilon (a.x, b.x, 0.5);
  g_assert_cmpfloat (b.y, >, a.y);
}

static void
test_images_fill_window (void)
{
  g_autoptr (CsDataset) ds = cs_dataset_new ("ten", 10);
  g_autoptr (CsSaliencyReport) r = empty_report (10, 64);
  g_autoptr (CsClustering) c = cs_clustering_new ("kmeans", 10, 64, 10);
  g_autoptr (CsSaliencyImagesModel) m = NULL;
  /* The figure's share of a 1024 × 700 window beside the sidebar, above the summary. */
  const double w = 680;
  const double h = 400;
  cairo_surface_t *s;
  CsRect first;
  CsRect last;
  CsRect below;

  for (guint p = 0; p < 64; p++)
    {
      double *v = g_new0 (double, 10);
      for (guint i = 0; i < 10; i++)
        v[i] = (p + i) % 7;
      g_free (r->feature_names[p]);
      r->feature_names[p] = g_strdup_printf ("px%u", p);
      cs_dataset_add_numeric (ds, r->feature_names[p], v);
    }
  ds->image_rows = ds->image_cols = 8;
  for (guint i = 0; i < 10; i++)
    c->labels[i] = (int) i;
  m = cs_saliency_images_model_build (ds, NULL, c, r, NULL);
  g_assert_nonnull (m);

  /* Ten clusters in a short, wide figure: one column per cluster, the four images of a
   * cluster one above another, each at least 38 units (a row per cluster left 28), and the
   * whole table on the canvas. */
  g_assert_true (cs_render_saliency_images_cell (m, w, h, 0, CS_SALIENCY_IMAGE_MEAN, &first));
  g_assert_true (cs_render_saliency_images_cell (m, w, h, 0, CS_SALIENCY_IMAGE_PROTOTYPE, &below));
  g_assert_true (cs_render_saliency_images_cell (m, w, h, 9, CS_SALIENCY_IMAGE_UNFAVOURABLE, &last));
  g_assert_cmpfloat (first.width, >=, 38);
  g_assert_cmpfloat_with_epsilon (below.x, first.x, 0.5);
  g_assert_cmpfloat (below.y, >=, first.y + first.height);
  g_assert_cmpfloat (last.x, >, first.x + 8 * first.width);
  g_assert_cmpfloat (last.x + last.width, <=, w - 14);
  g_assert_cmpfloat (last.y + last.height, <=, h - 14);
  /* Room above the first image for the table header's four lines of 11-unit text. */
  g_assert_cmpfloat (first.y, >=, 14 + 4 * 11);

  /* Ink in the header (the cluster numbers) above each column, nothing drawn off the grid. */
  s = render (cs_render_saliency_images, m, (int) w, (int) h);
  for (guint j = 0; j < 10; j++)
    {
      CsRect cell;
      gboolean ink = FALSE;

      g_assert_true (cs_render_saliency_images_cell (m, w, h, j, CS_SALIENCY_IMAGE_MEAN, &cell));
      for (double y = MAX (0.0, cell.y - 80); y < cell.y - 2; y += 1.0)
        for (double x = cell.x; x < cell.x + cell.width; x += 1.0)
          {
            Pixel p = pixel_at (s, x, y);
            ink = ink || (p.r < 60 && p.g < 60 && p.b < 60);
          }
      g_assert_true (ink);
    }
  cairo_surface_destroy (s);
}

/* Export and degenerate input ------------------------------------------------------------------- */

static char *
read_all (const char *path,
          gsize      *len)
{
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, len, NULL));
  return data;
}

static guint
count (const char *data,
       gsize       len,
       const char *needle)
{
  guint n = 0;
  gsize nl = strlen (needle);

  for (const char *p = data; (p = memmem (p, len - (p - data), needle, nl)) != NULL; p += nl)
    n++;
  return n;
}

static void
test_export (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-saliency-XXXXXX", &error);
  g_autoptr (CsSaliencyReport) r = known_report ();
  g_autoptr (CsSaliencyModel) m = cs_saliency_model_new (r, NULL);
  g_autoptr (CsDataset) ds = tiny_images ();
  g_autoptr (CsSaliencyReport) ri = tiny_images_report ();
  g_autoptr (CsClustering) c = tiny_clustering ();
  g_autoptr (CsSaliencyImagesModel) im = cs_saliency_images_model_build (ds, NULL, c, ri, NULL);
  const struct
  {
    const char   *name;
    CsRenderFunc  func;
    gconstpointer model;
  } views[] = {
    { "bars", cs_render_saliency_bars, m },
    { "heatmap", cs_render_saliency_heatmap, m },
    { "images", cs_render_saliency_images, im },
  };
  static const char *ext[] = { "png", "svg", "pdf" };
  static const CsExportFormat fmt[] = { CS_EXPORT_PNG, CS_EXPORT_SVG, CS_EXPORT_PDF };

  g_assert_no_error (error);
  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    for (guint e = 0; e < 3; e++)
      {
        g_autofree char *base = g_strdup_printf ("%s.%s", views[v].name, ext[e]);
        g_autofree char *path = g_build_filename (dir, base, NULL);
        g_autofree char *data = NULL;
        gsize len;

        g_assert_true (cs_render_export (views[v].func, views[v].model, path, fmt[e], 200, 120, 96, &error));
        g_assert_no_error (error);
        data = read_all (path, &len);
        if (e == 0)
          g_assert_true (len > 8 && memcmp (data, "\x89PNG", 4) == 0);
        else if (e == 1)
          {
            g_assert_nonnull (g_strstr_len (data, len, "<svg"));
            if (v == 1)
              {
                /* Cells are vector paths; the colour bar is the one embedded image. */
                g_assert_cmpuint (count (data, len, "<path"), >=, 15);
                g_assert_cmpuint (count (data, len, "<image"), ==, 1);
              }
            if (v == 2)
              /* Four 8 × 8 rasters per cluster and the colour bar. */
              g_assert_cmpuint (count (data, len, "<image"), ==, 2 * 4 + 1);
          }
        else
          {
            g_assert_true (len > 4 && memcmp (data, "%PDF", 4) == 0);
            if (v == 1)
              g_assert_cmpuint (count (data, len, "/Subtype /Image"), ==, 1);
          }
        g_assert_cmpint (g_remove (path), ==, 0);
      }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
render_all_sizes (const CsSaliencyModel       *m,
                  const CsSaliencyImagesModel *im)
{
  static const int sizes[][2] = { { 50, 50 }, { 1, 1 }, { 300, 40 }, { 40, 300 }, { 800, 450 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      int w = sizes[i][0];
      int h = sizes[i][1];
      guint c;
      guint f;
      CsRect r;

      cairo_surface_destroy (render (cs_render_saliency_bars, m, w, h));
      cairo_surface_destroy (render (cs_render_saliency_heatmap, m, w, h));
      cs_render_saliency_heatmap_hit (m, w, h, w / 2.0, h / 2.0, &c, &f);
      cs_render_saliency_bars_bar (m, w, h, 0, 0, &f, &r, &r);
      if (im != NULL)
        {
          cairo_surface_destroy (render (cs_render_saliency_images, im, w, h));
          cs_render_saliency_images_cell (im, w, h, 0, CS_SALIENCY_IMAGE_FAVOURABLE, &r);
        }
    }
}

static void
test_degenerate (void)
{
  g_autoptr (CsSaliencyReport) one = empty_report (1, 1);
  g_autoptr (CsSaliencyModel) m1 = NULL;
  g_autoptr (CsSaliencyReport) nan_r = known_report ();
  g_autoptr (CsSaliencyModel) mn = NULL;
  g_autoptr (CsSaliencyModel) mn_dup = NULL;
  g_autoptr (CsSaliencyReport) zero = empty_report (10, 64);
  g_autoptr (CsSaliencyModel) mz = NULL;
  g_autoptr (CsDataset) ds = tiny_images ();
  g_autoptr (CsClustering) c = tiny_clustering ();
  g_autoptr (CsSaliencyReport) ri = tiny_images_report ();
  g_autoptr (CsSaliencyImagesModel) im = NULL;
  CsRect fav;
  guint f;

  set_shap (one, 0, 0, 0.5, -0.5);
  m1 = cs_saliency_model_new (one, NULL);
  render_all_sizes (m1, NULL);
  g_assert_true (cs_render_saliency_bars_bar (m1, 400, 300, 0, 0, &f, &fav, NULL));
  g_assert_cmpuint (f, ==, 0);

  for (gsize q = 0; q < 15; q += 2)
    {
      nan_r->hedges_g[q] = NAN;
      nan_r->cliff_delta[q] = NAN;
      nan_r->favourable[q] = NAN;
      nan_r->unfavourable[q] = NAN;
      nan_r->shap_mean_abs[q] = NAN;
    }
  nan_r->surrogate_accuracy = NAN;
  mn = cs_saliency_model_new (nan_r, NULL);
  render_all_sizes (mn, NULL);
  mn_dup = cs_saliency_model_dup (mn);
  mn_dup->quantity = CS_SALIENCY_QUANTITY_NET_SHAP;
  mn_dup->by_importance = TRUE;
  mn_dup->highlight = 4;
  render_all_sizes (mn_dup, NULL);
  /* A NaN cell is not given a colour of the scale. */
  {
    cairo_surface_t *s = render (cs_render_saliency_heatmap, mn, 800, 400);
    CsRect cell;

    g_assert_true (cs_render_saliency_heatmap_cell (mn, 800, 400, 0, 0, &cell));
    g_assert_false (pixel_is_positive (pixel_at (s, cell.x + 3, cell.y + 3)));
    g_assert_false (pixel_is_negative (pixel_at (s, cell.x + 3, cell.y + 3)));
    cairo_surface_destroy (s);
  }

  /* All zero: no scale to speak of, still drawn. */
  mz = cs_saliency_model_new (zero, NULL);
  render_all_sizes (mz, NULL);

  ri->favourable[10] = NAN;
  im = cs_saliency_images_model_build (ds, NULL, c, ri, NULL);
  render_all_sizes (mz, im);

  /* No model draws an empty canvas. */
  cairo_surface_destroy (render (cs_render_saliency_bars, NULL, 100, 100));
  cairo_surface_destroy (render (cs_render_saliency_heatmap, NULL, 100, 100));
  cairo_surface_destroy (render (cs_render_saliency_images, NULL, 100, 100));
}

/* The digits for eyes -------------------------------------------------------------------------- */

/* Writes the three views of a k-means (k = 10) clustering of the bundled digits when
 * CS_SALIENCY_FIGURES names a directory; skipped otherwise. */
static void
test_digits_figures (void)
{
  const char *dir = g_getenv ("CS_SALIENCY_FIGURES");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = NULL;
  g_autoptr (CsPrepared) prep = NULL;
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (CsSaliencyReport) r = NULL;
  g_autoptr (CsSaliencyModel) m = NULL;
  g_autoptr (CsSaliencyModel) heat = NULL;
  g_autoptr (CsSaliencyImagesModel) im = NULL;
  CsPrepareOptions po;
  CsKmeansOptions ko;
  CsSaliencyOptions so;
  g_autofree char *grid = NULL;
  g_autofree char *bars = NULL;
  g_autofree char *hm = NULL;

  if (dir == NULL)
    {
      g_test_skip ("set CS_SALIENCY_FIGURES to a directory to write the digits figures");
      return;
    }
  ds = cs_sample_load ("digits", &error);
  g_assert_no_error (error);
  cs_prepare_options_init (&po);
  prep = cs_dataset_prepare (ds, &po, &error);
  g_assert_no_error (error);
  cs_kmeans_options_init (&ko);
  ko.k = 10;
  ko.n_init = 3;
  ko.seed = 7;
  g_assert_true (cs_kmeans_run (prep->x, &ko, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  cs_saliency_options_init (&so);
  g_assert_true (cs_saliency_run (prep->x, (const char *const *) prep->names, c->labels, c->k, &so, NULL, &r,
                                  &error));
  g_assert_no_error (error);

  im = cs_saliency_images_model_build (ds, prep, c, r, NULL);
  g_assert_nonnull (im);
  im->title = g_strdup ("Handwritten digits, k-means (k = 10): what makes each cluster");
  m = cs_saliency_model_new (r, NULL);
  m->title = g_strdup ("Handwritten digits, k-means (k = 10): top pixels per cluster");
  heat = cs_saliency_model_dup (m);
  heat->by_importance = TRUE;
  heat->highlight = (gint) heat->importance_order[0];
  g_free (heat->title);
  heat->title = g_strdup ("Handwritten digits: Hedges’ g per cluster and pixel");

  grid = g_build_filename (dir, "saliency-digits-grid.png", NULL);
  bars = g_build_filename (dir, "saliency-digits-bars.png", NULL);
  hm = g_build_filename (dir, "saliency-digits-heatmap.png", NULL);
  /* A 16:9 slide, 960 × 540 points, at 96 dpi: 1280 × 720 pixels. */
  g_assert_true (cs_render_export (cs_render_saliency_images, im, grid, CS_EXPORT_PNG, 338.667, 190.5, 96, &error));
  g_assert_true (cs_render_export (cs_render_saliency_bars, m, bars, CS_EXPORT_PNG, 338.667, 190.5, 96, &error));
  g_assert_true (cs_render_export (cs_render_saliency_heatmap, heat, hm, CS_EXPORT_PNG, 338.667, 190.5, 96, &error));
  g_assert_no_error (error);
}

static void
test_text_on_canvas (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("wine", &error);
  g_autoptr (CsPrepared) prep = NULL;
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (CsSaliencyReport) r = NULL;
  g_autoptr (CsSaliencyModel) bars = NULL;
  g_autoptr (CsSaliencyModel) heat = NULL;
  CsPrepareOptions po;
  CsKmeansOptions ko;
  CsSaliencyOptions so;

  /* Wine's long column names and the footer's explanation, at the window's and the CLI's
   * figure sizes: nothing runs off the canvas (the footer wraps, names are cut). */
  g_assert_no_error (error);
  cs_prepare_options_init (&po);
  po.scaling = CS_SCALE_STANDARDIZE;
  prep = cs_dataset_prepare (ds, &po, &error);
  g_assert_no_error (error);
  cs_kmeans_options_init (&ko);
  ko.k = 3;
  ko.n_init = 2;
  g_assert_true (cs_kmeans_run (prep->x, &ko, NULL, NULL, &c, &error));
  cs_saliency_options_init (&so);
  g_assert_true (cs_saliency_run (prep->x, (const char *const *) prep->names, c->labels, c->k, &so, NULL, &r,
                                  &error));
  g_assert_no_error (error);
  bars = cs_saliency_model_new (r, NULL);
  heat = cs_saliency_model_dup (bars);
  for (guint i = 0; i < G_N_ELEMENTS (figure_sizes); i++)
    {
      assert_drawn_inside (cs_render_saliency_bars, bars, figure_sizes[i][0], figure_sizes[i][1]);
      assert_drawn_inside (cs_render_saliency_heatmap, heat, figure_sizes[i][0], figure_sizes[i][1]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/saliency/colormap/diverging-ends-and-lightness", test_diverging_map);
  g_test_add_func ("/render/saliency/bars/sides-colours-scale-swatch", test_bars_sides_and_colours);
  g_test_add_func ("/render/saliency/bars/grid-and-limit", test_bars_grid_and_limit);
  g_test_add_func ("/render/saliency/heatmap/colours-and-hit", test_heatmap_colours_and_hit);
  g_test_add_func ("/render/saliency/heatmap/order-quantity-highlight", test_heatmap_order_quantity_highlight);
  g_test_add_func ("/render/saliency/heatmap/many-features", test_heatmap_many_features);
  g_test_add_func ("/render/saliency/images/mean-prototype-maps", test_images_model);
  g_test_add_func ("/render/saliency/images/render-colours", test_images_render);
  g_test_add_func ("/render/saliency/images/two-groups-on-a-slide", test_images_two_groups);
  g_test_add_func ("/render/saliency/images/fill-a-short-wide-figure", test_images_fill_window);
  g_test_add_func ("/render/saliency/export-png-svg-pdf", test_export);
  g_test_add_func ("/render/saliency/degenerate-inputs", test_degenerate);
  g_test_add_func ("/render/saliency/text-on-canvas", test_text_on_canvas);
  g_test_add_func ("/render/saliency/digits-figures", test_digits_figures);

  return g_test_run ();
}
