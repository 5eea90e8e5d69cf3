/* A scripted lesson, as a teacher gives it, under Xvfb: generate two moons with the generator,
 * run k-means (k = 2) and step through its playback to the end, then DBSCAN, then Ward with the
 * dendrogram cut at 2. Every stage is checked (what the room should see) and saved as a PNG of
 * the whole window: into $CS_LESSON_DIR when set (./dev lesson writes docs/screenshots/), else
 * into the build's tests folder. */

#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "test-common.h"
#include "app/cs-application.h"
#include "core/cluster/cs-registry.h"
#include "ui/cs-window.h"

static CsApplication *app;

static gboolean
is_idle (gpointer window)
{
  return !cs_window_is_busy (window);
}

static void
settle (CsWindow *window)
{
  g_assert_true (cs_test_wait_until (is_idle, window, 30000));
  cs_test_spin (150);
}

/* The window as it is on screen, through GTK's own renderer (no screen grabber needed). */
static void
screenshot (CsWindow *window, const char *name)
{
  GtkWidget       *w = GTK_WIDGET (window);
  const char      *dir = g_getenv ("CS_LESSON_DIR");
  g_autofree char *path = NULL;
  GdkPaintable    *paintable = gtk_widget_paintable_new (w);
  GtkSnapshot     *snapshot = gtk_snapshot_new ();
  int              width = gtk_widget_get_width (w);
  int              height = gtk_widget_get_height (w);
  GskRenderNode   *node;
  GdkTexture      *texture;

  if (dir == NULL)
    dir = g_getenv ("G_TEST_BUILDDIR");
  path = g_build_filename (dir != NULL ? dir : ".", name, NULL);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (w)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("wrote %s", path);
  g_object_unref (texture);
  gsk_render_node_unref (node);
  g_object_unref (paintable);
}

static GtkWidget *
find_labelled (GtkWidget *root, const char *name)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      char      *problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL, name);
      GtkWidget *found;

      if (problem == NULL && !GTK_IS_LABEL (c))
        return c;
      g_free (problem);
      if ((found = find_labelled (c, name)) != NULL)
        return found;
    }
  return NULL;
}

static void
run (CsWindow *window, const char *algorithm, const char *const *assignments)
{
  CsParamsPanel *panel = cs_window_get_params_panel (window);
  g_autoptr (CsParams) params = NULL;

  g_assert_true (cs_window_select_algorithm (window, algorithm));
  params = cs_params_panel_get_params (panel);
  for (const char *const *a = assignments; *a != NULL; a++)
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

/* Agreement of the result with the moons' own classes. */
static double
ari_with_truth (CsWindow *window)
{
  const CsPipelineResult *r = cs_window_get_result (window);

  return r->ari;
}

static void
test_lesson_moons (void)
{
  CsWindow   *window;
  GtkWidget  *dialog, *scatter;
  const char *kmeans[] = { "k=2", "seed=3", NULL };
  const char *dbscan[] = { "eps=0.15", "min_samples=5", NULL };
  const char *ward[] = { "linkage=ward", "k=2", NULL };

  g_application_activate (G_APPLICATION (app));
  cs_test_spin (100);
  window = CS_WINDOW (gtk_application_get_windows (GTK_APPLICATION (app))->data);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  settle (window);

  /* 1. Two moons, from the generator, as a teacher makes them. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "generate-data", NULL);
  dialog = cs_window_get_generate_window (window);
  g_assert_nonnull (dialog);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_labelled (dialog, "Kind")), 3); /* Two moons */
  gtk_range_set_value (GTK_RANGE (find_labelled (dialog, "Number of points")), 500);
  gtk_range_set_value (GTK_RANGE (find_labelled (dialog, "Noise")), 0.06);
  cs_test_spin (400);
  settle (window);
  g_assert_cmpuint (cs_window_get_dataset (window)->n_rows, ==, 500);
  screenshot (window, "lesson-1-moons-generator.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
  settle (window);

  /* 2. k-means, k = 2, step by step to the end: two halves, not two moons. */
  run (window, "kmeans", kmeans);
  g_assert_cmpuint (cs_window_get_result (window)->clustering->k, ==, 2);
  g_assert_cmpfloat (ari_with_truth (window), <, 0.6);
  scatter = cs_window_get_view_page (window, "scatter");
  /* Playback (the scatter page's playback.step: first, one forward, last) may not be in this
   * build yet; the lesson then shows the end result only. */
  if (gtk_widget_activate_action (scatter, "playback.step", "i", G_MININT32))
    {
      settle (window);
      screenshot (window, "lesson-2-kmeans-first-step.png");
      for (int i = 0; i < 3; i++)
        {
          g_assert_true (gtk_widget_activate_action (scatter, "playback.step", "i", 1));
          settle (window);
        }
      screenshot (window, "lesson-3-kmeans-step-3.png");
      g_assert_true (gtk_widget_activate_action (scatter, "playback.step", "i", G_MAXINT32));
      settle (window);
    }
  else
    g_test_message ("no playback in this build: the k-means steps are not shown");
  screenshot (window, "lesson-4-kmeans-last-step.png");

  /* 3. DBSCAN follows the moons. */
  run (window, "dbscan", dbscan);
  g_assert_cmpuint (cs_window_get_result (window)->clustering->k, ==, 2);
  g_assert_cmpfloat (ari_with_truth (window), >, 0.95);
  screenshot (window, "lesson-5-dbscan.png");

  /* 4. Ward's dendrogram, cut at 2 clusters. */
  run (window, "agglomerative", ward);
  g_assert_true (cs_window_show_k (window, 2));
  settle (window);
  g_assert_cmpuint (cs_window_get_result (window)->clustering->k, ==, 2);
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-view", g_variant_new_string ("dendrogram"));
  settle (window);
  g_assert_cmpstr (cs_window_get_view (window), ==, "dendrogram");
  screenshot (window, "lesson-6-ward-dendrogram.png");
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-view", g_variant_new_string ("scatter"));
  settle (window);
  screenshot (window, "lesson-7-ward-scatter.png");

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  cs_test_spin (50);
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
  g_test_add_func ("/ui/lesson/moons-kmeans-dbscan-ward", test_lesson_moons);
  status = g_test_run ();
  g_object_unref (app);
  return status;
}
