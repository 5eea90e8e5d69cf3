/* Presenter mode in every view, and HDBSCAN's tree view, in the window under Xvfb.
 *
 * F5's action scales every figure of every page (the silhouette and the dendrogram among them)
 * and switches them to the high-contrast palette, and back; the dendrogram's drag maps the
 * pointer through the presented canvas. The HDBSCAN tree page applies to HDBSCAN's results
 * only, says why otherwise, and hands Export its figure.
 *
 * With CS_PRESENT_DIR set, the walk through the views in presenter mode also saves each as a
 * PNG of the whole 1280 × 800 window there, for looking at. */

#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "test-common.h"
#include "app/cs-application.h"
#include "core/cluster/cs-registry.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-window.h"
#include "ui/pages/cs-page.h"
#include "ui/render/cs-render-condensed-tree.h"
#include "ui/render/cs-render-style.h"

static CsApplication *app;

static gboolean
is_idle (gpointer window)
{
  return !cs_window_is_busy (window);
}

static void
settle (CsWindow *window)
{
  g_assert_true (cs_test_wait_until (is_idle, window, 60000));
  cs_test_spin (150);
}

static CsWindow *
new_window (void)
{
  CsWindow *window;

  g_application_activate (G_APPLICATION (app));
  cs_test_spin (50);
  window = CS_WINDOW (gtk_application_get_windows (GTK_APPLICATION (app))->data);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  settle (window);
  return window;
}

static void
close_all_windows (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  cs_test_spin (30);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
}

static void
run (CsWindow *window, const char *algorithm, const char *const *assignments)
{
  CsParamsPanel *panel = cs_window_get_params_panel (window);
  g_autoptr (CsParams) params = NULL;

  g_assert_true (cs_window_select_algorithm (window, algorithm));
  params = cs_params_panel_get_params (panel);
  for (const char *const *a = assignments; a != NULL && *a != NULL; a++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (cs_params_set_assignment (params, *a, &error));
      g_assert_no_error (error);
    }
  cs_params_panel_set_params (panel, params);
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  settle (window);
  g_assert_null (cs_window_get_error_text (window));
  g_assert_nonnull (cs_window_get_result (window));
  g_assert_cmpstr (cs_window_get_result (window)->clustering->algorithm, ==, algorithm);
}

static void
show_view (CsWindow *window, const char *name)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-view", g_variant_new_string (name));
  settle (window);
  g_assert_cmpstr (cs_window_get_view (window), ==, name);
}

static void
set_presenter (CsWindow *window, gboolean on)
{
  g_action_group_change_action_state (G_ACTION_GROUP (window), "presenter-mode", g_variant_new_boolean (on));
  settle (window);
}

static void
collect_figure_views (GtkWidget *widget, GPtrArray *out)
{
  if (CS_IS_FIGURE_VIEW (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_figure_views (c, out);
}

static CsFigureView *
figure_view (CsWindow *window, const char *page)
{
  g_autoptr (GPtrArray) views = g_ptr_array_new ();

  collect_figure_views (cs_window_get_view_page (window, page), views);
  g_assert_cmpuint (views->len, >=, 1);
  return CS_FIGURE_VIEW (g_ptr_array_index (views, 0));
}

/* Every figure view of every page: presented or not. */
static void
assert_all_presented (CsWindow *window, gboolean on)
{
  static const char *const pages[] = { "scatter", "silhouette", "convergence", "choose-k", "dendrogram", "compare",
                                       "density", "diagnostics", "saliency", "condensed-tree", "k-distance" };

  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      g_autoptr (GPtrArray) views = g_ptr_array_new ();

      collect_figure_views (cs_window_get_view_page (window, pages[p]), views);
      g_assert_cmpuint (views->len, >=, 1);
      for (guint i = 0; i < views->len; i++)
        {
          CsFigureView *v = g_ptr_array_index (views, i);

          g_assert_cmpfloat (cs_figure_view_get_scale (v), ==, on ? CS_STYLE_PRESENTER_SCALE : 1.0);
          g_assert_cmpint (cs_figure_view_get_palette (v), ==,
                           on ? CS_STYLE_PRESENTER_PALETTE : CS_PALETTE_DEFAULT);
        }
    }
  g_assert_cmpfloat (cs_plot_view_get_scale (cs_window_get_plot_view (window)), ==,
                     on ? CS_STYLE_PRESENTER_SCALE : 1.0);
}

/* The window as it is on screen, through GTK's own renderer. */
static void
screenshot (CsWindow *window, const char *name)
{
  GtkWidget       *w = GTK_WIDGET (window);
  const char      *dir = g_getenv ("CS_PRESENT_DIR");
  g_autofree char *path = NULL;
  GdkPaintable    *paintable;
  GtkSnapshot     *snapshot;
  GskRenderNode   *node;
  GdkTexture      *texture;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  paintable = gtk_widget_paintable_new (w);
  /* A page that has just been shown may not have drawn yet. */
  for (int tries = 0;; tries++)
    {
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (w), gtk_widget_get_height (w));
      node = gtk_snapshot_free_to_node (snapshot);
      if (node != NULL || tries == 50)
        break;
      cs_test_spin (100);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (w)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (w),
                                                              gtk_widget_get_height (w)));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("wrote %s", path);
  g_object_unref (texture);
  gsk_render_node_unref (node);
  g_object_unref (paintable);
}

static void
test_presenter_reaches_every_view (void)
{
  CsWindow         *window = new_window ();
  const char *const ward[] = { "linkage=ward", "k=3", NULL };
  const char *const kmeans[] = { "k=3", "seed=1", NULL };
  CsFigureView     *sil, *den;
  double            w, h, cx, cy;

  cs_window_open_sample (window, "wine");
  settle (window);
  run (window, "agglomerative", ward);
  run (window, "kmeans", kmeans);
  show_view (window, "silhouette");
  sil = figure_view (window, "silhouette");
  g_assert_nonnull (cs_figure_view_get_model (sil));
  assert_all_presented (window, FALSE);

  set_presenter (window, TRUE);
  assert_all_presented (window, TRUE);
  /* The silhouette is laid out on a canvas 1 / scale of its widget, and a widget point maps
   * onto it. */
  cs_figure_view_get_canvas (sil, &w, &h);
  g_assert_cmpfloat (fabs (w * CS_STYLE_PRESENTER_SCALE - gtk_widget_get_width (GTK_WIDGET (sil))), <, 1e-9);
  g_assert_cmpfloat (fabs (h * CS_STYLE_PRESENTER_SCALE - gtk_widget_get_height (GTK_WIDGET (sil))), <, 1e-9);
  cs_figure_view_to_canvas (sil, 160.0, 80.0, &cx, &cy);
  g_assert_cmpfloat (fabs (cx - 100.0), <, 1e-9);
  g_assert_cmpfloat (fabs (cy - 50.0), <, 1e-9);
  /* Export hands over the model as it is: a file is not presented. */
  {
    CsPage        *page = CS_PAGE (cs_window_get_view_page (window, "silhouette"));
    CsRenderFunc   func;
    gpointer       model;
    GDestroyNotify unref;

    g_assert_true (cs_page_get_figure (page, &func, &model, &unref));
    g_assert_true (model == cs_figure_view_get_model (sil));
    unref (model);
  }
  screenshot (window, "present-silhouette.png");

  /* A result that arrives while presenting is presented too (the views keep their state). */
  run (window, "agglomerative", ward);
  show_view (window, "dendrogram");
  den = figure_view (window, "dendrogram");
  g_assert_nonnull (cs_figure_view_get_model (den));
  g_assert_cmpfloat (cs_figure_view_get_scale (den), ==, CS_STYLE_PRESENTER_SCALE);
  screenshot (window, "present-dendrogram.png");
  show_view (window, "scatter");
  screenshot (window, "present-scatter.png");

  set_presenter (window, FALSE);
  assert_all_presented (window, FALSE);
  close_all_windows ();
}

static gboolean
has_figure (gpointer page)
{
  g_autoptr (GPtrArray) views = g_ptr_array_new ();

  collect_figure_views (page, views);
  for (guint i = 0; i < views->len; i++)
    {
      GtkWidget *v = g_ptr_array_index (views, i);

      if (gtk_widget_get_mapped (v) && cs_figure_view_get_model (CS_FIGURE_VIEW (v)) == NULL)
        return FALSE;
    }
  return TRUE;
}

/* Every view with something to show, in presenter mode, for looking at (CS_PRESENT_DIR). */
static void
test_presenter_screenshots (void)
{
  CsWindow *window;
  struct
  {
    const char *algorithm;
    const char *params[3];
    const char *views[4];
  } const stages[] = {
    { "kmeans", { "k=3", "seed=1", NULL }, { "scatter", "silhouette", "convergence", "table" } },
    { "dynmsc", { NULL }, { "choose-k", NULL } },
    { "kmeans", { "k=3", "seed=1", NULL }, { "compare", "density", "diagnostics", "saliency" } },
    { "hdbscan", { "min_cluster_size=8", NULL }, { "condensed-tree", "scatter", NULL } },
    { "ppp", { NULL }, { "ppp-tree", NULL } },
  };

  if (g_getenv ("CS_PRESENT_DIR") == NULL)
    {
      g_test_skip ("set CS_PRESENT_DIR to write the screenshots");
      return;
    }
  window = new_window ();
  cs_window_open_sample (window, "wine");
  settle (window);
  set_presenter (window, TRUE);
  for (guint s = 0; s < G_N_ELEMENTS (stages); s++)
    {
      if (cs_registry_lookup (stages[s].algorithm) == NULL)
        continue;
      run (window, stages[s].algorithm, stages[s].params);
      for (guint v = 0; v < G_N_ELEMENTS (stages[s].views) && stages[s].views[v] != NULL; v++)
        {
          g_autofree char *name = g_strdup_printf ("present-%u-%s.png", s, stages[s].views[v]);

          if (!cs_page_applies (CS_PAGE (cs_window_get_view_page (window, stages[s].views[v])), NULL))
            continue;
          show_view (window, stages[s].views[v]);
          /* Pages that compute on a worker when shown (choose-k, density, saliency). */
          cs_test_wait_until (has_figure, cs_window_get_view_page (window, stages[s].views[v]), 60000);
          cs_test_spin (300);
          screenshot (window, name);
        }
    }
  set_presenter (window, FALSE);
  close_all_windows ();
}

/* The tree view applies to HDBSCAN only, says why otherwise, and Export gets its figure. */
static void
test_hdbscan_tree_page (void)
{
  CsWindow         *window = new_window ();
  const char *const hdbscan[] = { "min_cluster_size=10", NULL };
  const char *const kmeans[] = { "k=3", "seed=1", NULL };
  CsPage           *page;
  g_autofree char  *why = NULL;

  cs_window_generate (window, "blobs");
  settle (window);
  page = CS_PAGE (cs_window_get_view_page (window, "condensed-tree"));
  g_assert_nonnull (page);
  g_assert_false (cs_page_applies (page, &why));
  g_assert_nonnull (strstr (why, "HDBSCAN"));
  g_clear_pointer (&why, g_free);

  run (window, "hdbscan", hdbscan);
  g_assert_true (cs_page_applies (page, NULL));
  show_view (window, "condensed-tree");
  {
    CsRenderFunc                func;
    gpointer                    model;
    GDestroyNotify              unref;
    const CsCondensedTreeModel *m;

    g_assert_true (cs_page_get_figure (page, &func, &model, &unref));
    g_assert_true (func == cs_render_condensed_tree);
    m = model;
    g_assert_cmpuint (m->k, ==, cs_window_get_result (window)->clustering->k);
    g_assert_cmpuint (m->n, ==, cs_window_get_result (window)->clustering->n);
    unref (model);
  }

  run (window, "kmeans", kmeans);
  g_assert_false (cs_page_applies (page, &why));
  g_assert_nonnull (strstr (why, "Only for HDBSCAN"));
  close_all_windows ();
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }
  cs_window_install_style ();
  app = cs_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_test_add_func ("/ui/present/every-view", test_presenter_reaches_every_view);
  g_test_add_func ("/ui/present/hdbscan-tree-page", test_hdbscan_tree_page);
  g_test_add_func ("/ui/present/screenshots", test_presenter_screenshots);
  status = g_test_run ();
  g_object_unref (app);
  return status;
}
