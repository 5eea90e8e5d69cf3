/* Presenter mode for every figure (cs_render_presented), and HDBSCAN's condensed tree.
 *
 * Presenting at scale 1 in the default palette draws exactly what the renderer draws alone
 * (byte for byte), so nothing changes outside presenter mode; at CS_STYLE_PRESENTER_SCALE the
 * title's ink is that much taller and the margins the renderer lays out for its tick labels
 * that much wider, in several renderers; the high-contrast palette reaches the bars and lines
 * that take cluster colours. The condensed tree: its model's spans tile each parent, its bars
 * are drawn in the selected clusters' colours with noise grey, and nothing leaves the canvas. */
#include <math.h>
#include <string.h>

#include "core/cluster/cs-hdbscan.h"
#include "core/data/cs-toy.h"
#include "core/metrics/cs-compare.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-compare.h"
#include "ui/render/cs-render-condensed-tree.h"
#include "ui/render/cs-render-dendrogram.h"
#include "ui/render/cs-render-style.h"
#include "ui/render/cs-render-views.h"

#include "test-common.h"
#include "test-render-canvas.h"
#include "test-render-common.h"

/* Figures -------------------------------------------------------------------------------- */

static const double sil_values[] = { 0.2, 0.8, -0.3, 0.5, 0.35, 0.6, 0.1, 0.9, 0.4, 0.3 };
static const int    sil_labels[] = { 0, 1, 1, 0, 0, 0, 1, 1, 1, 0 };

/* Ward's linkage of five rows (as test-render-dendrogram.c builds it). */
static const double tree[] = {
  0, 3, 1.0, 2, 1, 2, 1.5, 2, 5, 4, 2.5, 3, 6, 7, 4.0, 5,
};

typedef struct
{
  const char  *name;
  CsRenderFunc func;
  gpointer     model;
  GDestroyNotify free;
} Figure;

static CsClustering *
blobs_hdbscan (void)
{
  CsToyOptions o;
  g_autoptr (CsDataset) ds = NULL;
  g_autoptr (CsMatrix) x = NULL;
  g_autoptr (GError) error = NULL;
  CsHdbscanOptions ho;
  CsClustering    *c = NULL;

  cs_toy_options_init (&o);
  o.kind = CS_TOY_BLOBS;
  o.n = 240;
  o.seed = 7;
  ds = cs_toy_generate_full (&o);
  g_assert_nonnull (ds);
  x = cs_matrix_new (ds->n_rows, 2);
  for (gsize i = 0; i < ds->n_rows; i++)
    for (int j = 0; j < 2; j++)
      x->data[i * 2 + j] = cs_dataset_column (ds, j)->values[i];
  cs_hdbscan_options_init (&ho);
  ho.min_cluster_size = 10;
  g_assert_true (cs_hdbscan_run (x, &ho, NULL, NULL, &c, &error));
  g_assert_no_error (error);
  return c;
}

static Figure *
figures (guint *n)
{
  static Figure f[5];
  static gboolean built;

  if (!built)
    {
      CsSilhouetteModel *sil = cs_silhouette_model_new (G_N_ELEMENTS (sil_values), sil_values, sil_labels, 2, NULL);
      CsDendrogramModel *den = cs_dendrogram_model_new (5, tree, 3, NAN, NULL, 150);
      static const double scores[] = { 0.41, 0.55, 0.62, 0.58, 0.50 };
      g_autoptr (CsClustering) dyn = cs_clustering_new ("dynmsc", 10, 2, 4);
      g_autoptr (CsClustering) hdb = blobs_hdbscan ();
      CsChartModel *chart;
      g_autofree int *a = g_new (int, 300);
      g_autofree int *b = g_new (int, 300);
      g_autoptr (GError) error = NULL;
      CsComparison *cmp;

      sil->title = g_strdup ("Silhouette of 10 rows");
      den->title = g_strdup ("Ward linkage · 5 rows");
      dyn->objective_name = "medoid silhouette";
      dyn->objective_kind = CS_OBJECTIVE_MEDOID_SILHOUETTE;
      dyn->score_by_k = g_memdup2 (scores, sizeof scores);
      dyn->score_k_min = 2;
      dyn->n_scores = G_N_ELEMENTS (scores);
      chart = cs_chart_model_new_choose_k (dyn);
      g_free (chart->title);
      chart->title = g_strdup ("Medoid silhouette by k");
      for (gsize i = 0; i < 300; i++)
        {
          a[i] = (int) (i % 3);
          b[i] = i % 10 == 2 ? 2 : (a[i] + 1) % 3;
        }
      cmp = cs_comparison_new (a, 3, b, 3, 300, &error);
      g_assert_no_error (error);
      f[0] = (Figure){ "silhouette", (CsRenderFunc) cs_render_silhouette, sil,
                       (GDestroyNotify) cs_silhouette_model_unref };
      f[1] = (Figure){ "dendrogram", cs_render_dendrogram, den, (GDestroyNotify) cs_dendrogram_model_unref };
      f[2] = (Figure){ "choose-k", (CsRenderFunc) cs_render_trace, chart, (GDestroyNotify) cs_chart_model_unref };
      f[3] = (Figure){ "compare", (CsRenderFunc) cs_render_compare,
                       cs_compare_model_new (cmp, "k-means, k = 3", "Label column", NULL),
                       (GDestroyNotify) cs_compare_model_unref };
      f[4] = (Figure){ "condensed-tree", cs_render_condensed_tree, cs_condensed_tree_model_new (hdb, NULL),
                       (GDestroyNotify) cs_condensed_tree_model_unref };
      g_assert_nonnull (f[4].model);
      built = TRUE;
    }
  *n = G_N_ELEMENTS (f);
  return f;
}

static cairo_surface_t *
render_presented (const Figure *f, int w, int h, double scale, CsPaletteKind palette, gboolean direct)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t         *cr = cairo_create (s);

  if (direct)
    f->func (cr, f->model, w, h);
  else
    cs_render_presented (cr, f->func, f->model, w, h, scale, palette);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

static gboolean
dark (cairo_surface_t *s, int x, int y)
{
  Pixel p = pixel_at (s, x, y);

  return p.r < 90 && p.g < 90 && p.b < 90;
}

/* Height of the first band of dark rows from the top of the canvas's left half: the title. */
static int
title_ink_height (cairo_surface_t *s)
{
  int w = cairo_image_surface_get_width (s) / 2;
  int h = cairo_image_surface_get_height (s);
  int first = -1;

  for (int y = 0; y < h; y++)
    {
      gboolean any = FALSE;

      for (int x = 0; x < w && !any; x++)
        any = dark (s, x, y);
      if (any && first < 0)
        first = y;
      else if (!any && first >= 0)
        return y - first;
    }
  g_assert_not_reached ();
  return 0;
}

/* Normal mode is untouched ------------------------------------------------------------- */

static void
test_scale_one_is_identical (void)
{
  guint   n;
  Figure *f = figures (&n);

  for (guint i = 0; i < n; i++)
    {
      cairo_surface_t *a = render_presented (&f[i], 680, 540, 1.0, CS_PALETTE_DEFAULT, TRUE);
      cairo_surface_t *b = render_presented (&f[i], 680, 540, 1.0, CS_PALETTE_DEFAULT, FALSE);
      gsize            bytes = (gsize) cairo_image_surface_get_stride (a) * 540;

      g_test_message ("%s", f[i].name);
      g_assert_true (memcmp (cairo_image_surface_get_data (a), cairo_image_surface_get_data (b), bytes) == 0);
      cairo_surface_destroy (a);
      cairo_surface_destroy (b);
    }
}

/* A context that presented once carries nothing on: the palette is restored after the call. */
static void
test_palette_restored (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 10, 10);
  cairo_t         *cr = cairo_create (s);
  guint            n;
  Figure          *f = figures (&n);

  g_assert_cmpint (cs_render_get_palette (cr), ==, CS_PALETTE_DEFAULT);
  cs_render_presented (cr, f[0].func, f[0].model, 10, 10, CS_STYLE_PRESENTER_SCALE, CS_PALETTE_HIGH_CONTRAST);
  g_assert_cmpint (cs_render_get_palette (cr), ==, CS_PALETTE_DEFAULT);
  cs_render_set_palette (cr, CS_PALETTE_HIGH_CONTRAST);
  g_assert_cmpint (cs_render_get_palette (cr), ==, CS_PALETTE_HIGH_CONTRAST);
  cs_render_presented (cr, f[0].func, f[0].model, 10, 10, 1.0, CS_PALETTE_DEFAULT);
  g_assert_cmpint (cs_render_get_palette (cr), ==, CS_PALETTE_HIGH_CONTRAST);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

/* Presenter mode makes text larger ----------------------------------------------------- */

static void
test_text_larger (void)
{
  guint   n;
  Figure *f = figures (&n);

  for (guint i = 0; i < n; i++)
    {
      cairo_surface_t *a = render_presented (&f[i], 1280, 640, 1.0, CS_PALETTE_DEFAULT, FALSE);
      cairo_surface_t *b = render_presented (&f[i], 1280, 640, CS_STYLE_PRESENTER_SCALE, CS_PALETTE_HIGH_CONTRAST,
                                             FALSE);
      int              ha = title_ink_height (a);
      int              hb = title_ink_height (b);

      g_test_message ("%s: title %d px, presented %d px", f[i].name, ha, hb);
      g_assert_cmpint (ha, >=, 8);
      /* Rasterising rounds each band by up to a pixel at either end. */
      g_assert_cmpfloat (fabs ((double) hb - CS_STYLE_PRESENTER_SCALE * ha), <=, 2.5);
      cairo_surface_destroy (a);
      cairo_surface_destroy (b);
    }
}

/* The layouts the renderers report: the margin above the frame (the title) grows with the
 * text, and so does the one left of it (tick labels and the axis title; less than the scale
 * when the smaller canvas gets shorter tick labels), so the frame starts further in. */
static void
test_layout_margins_larger (void)
{
  guint   n;
  Figure *f = figures (&n);
  double  s = CS_STYLE_PRESENTER_SCALE;
  CsRect  a, b;

  cs_render_dendrogram_layout (f[1].model, 1280, 640, &a);
  cs_render_dendrogram_layout (f[1].model, 1280 / s, 640 / s, &b);
  g_assert_cmpfloat (s * b.x, >, 1.25 * a.x);
  g_assert_cmpfloat (s * b.y, >, 1.4 * a.y);
  cs_render_condensed_tree_layout (f[4].model, 1280, 640, &a);
  cs_render_condensed_tree_layout (f[4].model, 1280 / s, 640 / s, &b);
  g_assert_cmpfloat (s * b.x, >, 1.25 * a.x);
  g_assert_cmpfloat (s * b.y, >, 1.4 * a.y);
  /* Presenting keeps the figure on its canvas at the window's sizes. */
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j + 1 < G_N_ELEMENTS (figure_sizes); j++)
      assert_drawn_inside (f[i].func, f[i].model, figure_sizes[j][0] / s, figure_sizes[j][1] / s);
}

/* The high-contrast palette reaches the cluster colours --------------------------------- */

static guint
count_colour (cairo_surface_t *s, const double rgb[3])
{
  guint n = 0;

  for (int y = 0; y < cairo_image_surface_get_height (s); y++)
    for (int x = 0; x < cairo_image_surface_get_width (s); x++)
      {
        Pixel p = pixel_at (s, x, y);

        n += abs (p.r - (int) lround (rgb[0] * 255)) <= 1 && abs (p.g - (int) lround (rgb[1] * 255)) <= 1
             && abs (p.b - (int) lround (rgb[2] * 255)) <= 1;
      }
  return n;
}

static void
test_high_contrast_colours (void)
{
  guint   n;
  Figure *f = figures (&n);
  double  normal[3], contrast[3];

  cs_palette_kind_color (CS_PALETTE_DEFAULT, 0, normal);
  cs_palette_kind_color (CS_PALETTE_HIGH_CONTRAST, 0, contrast);
  /* Silhouette bars, dendrogram links, the choose-k line, compare ribbons and bars, tree bars:
   * every one takes cluster (or series) colour 0. */
  for (guint i = 0; i < n; i++)
    {
      cairo_surface_t *a = render_presented (&f[i], 680, 540, 1.0, CS_PALETTE_DEFAULT, FALSE);
      cairo_surface_t *b = render_presented (&f[i], 680, 540, 1.0, CS_PALETTE_HIGH_CONTRAST, FALSE);

      g_test_message ("%s", f[i].name);
      g_assert_cmpuint (count_colour (a, normal), >, 20);
      g_assert_cmpuint (count_colour (a, contrast), ==, 0);
      g_assert_cmpuint (count_colour (b, contrast), >, 20);
      g_assert_cmpuint (count_colour (b, normal), ==, 0);
      cairo_surface_destroy (a);
      cairo_surface_destroy (b);
    }
}

/* The condensed tree ------------------------------------------------------------------- */

static void
test_condensed_tree_model (void)
{
  g_autoptr (CsClustering) c = blobs_hdbscan ();
  static const int slots[] = { 5, 2, 9, 3, 1, 4, 6, 7 };
  g_autoptr (CsCondensedTreeModel) m = NULL;
  g_autofree gsize *left = NULL;
  guint             selected = 0;

  g_assert_cmpuint (c->k, >=, 2);
  g_assert_cmpuint (c->k, <=, G_N_ELEMENTS (slots));
  m = cs_condensed_tree_model_new (c, slots);
  g_assert_nonnull (m);
  g_assert_cmpuint (m->n, ==, c->n);
  g_assert_cmpuint (m->size[0], ==, c->n);
  g_assert_cmpint (m->parent[0], ==, -1);
  /* Each cluster's span lies inside its parent's, after its earlier siblings', and what leaves
   * a cluster adds up to its rows. */
  left = g_new0 (gsize, m->n_clusters);
  for (guint i = 0; i < m->n_clusters; i++)
    {
      gsize out = 0;

      for (gsize e = m->ev_start[i]; e < m->ev_start[i + 1]; e++)
        {
          out += m->ev_count[e];
          if (e > m->ev_start[i])
            g_assert_cmpfloat (m->ev_lambda[e], >, m->ev_lambda[e - 1]);
          g_assert_cmpfloat (m->ev_lambda[e], >=, m->birth[i]);
        }
      g_assert_cmpuint (out, ==, m->size[i]);
      if (m->label[i] >= 0)
        {
          selected++;
          g_assert_cmpint (m->owner[i], ==, m->label[i]);
        }
      if (i == 0)
        continue;
      g_assert_cmpfloat (m->x0[i], >=, m->x0[m->parent[i]] - 1e-9);
      g_assert_cmpfloat (m->x0[i] + m->size[i], <=, m->x0[m->parent[i]] + m->size[m->parent[i]] + 1e-9);
      g_assert_cmpfloat (m->birth[i], >=, m->birth[m->parent[i]]);
      g_assert_cmpfloat (m->bottom[m->parent[i]], >=, m->bottom[i]);
      if (m->label[i] < 0)
        g_assert_cmpint (m->owner[i], ==, m->owner[m->parent[i]]);
    }
  g_assert_cmpuint (selected, ==, c->k);
  g_assert_cmpuint (m->color_slot[1], ==, 2);
  g_assert_cmpstr (m->title, !=, NULL);

  /* No tree, no model. */
  {
    g_autoptr (CsClustering) plain = cs_clustering_new ("kmeans", 10, 2, 3);
    g_assert_null (cs_condensed_tree_model_new (plain, NULL));
  }
}

static void
test_condensed_tree_colours (void)
{
  g_autoptr (CsClustering) c = blobs_hdbscan ();
  g_autoptr (CsCondensedTreeModel) m = cs_condensed_tree_model_new (c, NULL);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 930, 640);
  cairo_t         *cr = cairo_create (s);
  double           grey[3];
  CsRect           f;

  cs_render_condensed_tree (cr, m, 930, 640);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  cs_render_condensed_tree_layout (m, 930, 640, &f);
  cs_palette_neutral (grey);
  /* The root, just under its top: grey, its leaving rows are noise. */
  {
    Pixel p = pixel_at (s, cs_render_condensed_tree_x (m, &f, 0), f.y + 2);
    g_assert_cmpint (abs (p.r - (int) lround (grey[0] * 255)), <=, 2);
  }
  /* Each selected cluster, a little under its birth, in its cluster's colour. */
  for (guint i = 0; i < m->n_clusters; i++)
    if (m->label[i] >= 0)
      {
        double rgb[3];
        double y0 = cs_render_condensed_tree_y (m, &f, m->birth[i]);
        double y1 = cs_render_condensed_tree_y (m, &f, m->death[i]);
        Pixel  p;

        if (y1 - y0 < 6)
          continue;
        cs_palette_color ((guint) m->label[i], rgb);
        p = pixel_at (s, cs_render_condensed_tree_x (m, &f, i), y0 + 3);
        g_assert_cmpint (abs (p.r - (int) lround (rgb[0] * 255)), <=, 2);
        g_assert_cmpint (abs (p.g - (int) lround (rgb[1] * 255)), <=, 2);
        g_assert_cmpint (abs (p.b - (int) lround (rgb[2] * 255)), <=, 2);
      }
  cairo_surface_destroy (s);
  for (guint j = 0; j < G_N_ELEMENTS (figure_sizes); j++)
    assert_drawn_inside (cs_render_condensed_tree, m, figure_sizes[j][0], figure_sizes[j][1]);
}

int
main (int argc, char *argv[])
{
  guint   n;
  Figure *f;
  int     status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/present/scale-one-is-identical", test_scale_one_is_identical);
  g_test_add_func ("/render/present/palette-restored", test_palette_restored);
  g_test_add_func ("/render/present/text-larger", test_text_larger);
  g_test_add_func ("/render/present/layout-margins-larger", test_layout_margins_larger);
  g_test_add_func ("/render/present/high-contrast-colours", test_high_contrast_colours);
  g_test_add_func ("/render/condensed-tree/model", test_condensed_tree_model);
  g_test_add_func ("/render/condensed-tree/colours", test_condensed_tree_colours);
  status = g_test_run ();
  f = figures (&n);
  for (guint i = 0; i < n; i++)
    f[i].free (f[i].model);
  return status;
}
