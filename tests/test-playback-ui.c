/* Playback in the window (issue 12), under Xvfb: after a k-means run the bar under the
 * scatter plot is there, its buttons (found by accessible name, as a screen reader finds
 * them) step the frame on screen, the keys work while the plot has focus, the last step is
 * the result, and Export Playback writes every frame as a PNG. */

#define _GNU_SOURCE
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "test-common.h"
#include "test-ui-common.h"
#include "ui/cs-window.h"
#include "ui/cs-figure-view.h"
#include "ui/pages/cs-scatter-page.h"
#include "ui/render/cs-render-dendrogram.h"
#include "ui/widgets/cs-playback-bar.h"
#include "ui/render/cs-export-anim.h"

static GtkApplication *app;

static gboolean
is_idle (gpointer window)
{
  return !cs_window_is_busy (window);
}

static GtkWidget *
find_by_accessible_label (GtkWidget *root, const char *label)
{
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      g_autofree char *mismatch
          = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL, label);

      if (mismatch == NULL)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_accessible_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
press (CsWindow *window, const char *label)
{
  GtkWidget *button = find_by_accessible_label (GTK_WIDGET (window), label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_true (gtk_widget_is_visible (button));
  g_signal_emit_by_name (button, "clicked");
  cs_test_spin (10);
}

static CsWindow *
window_with_kmeans (const char *sample)
{
  CsWindow *window = cs_window_new (app);
  CsParamsPanel *panel;
  g_autoptr (CsParams) params = NULL;
  g_autoptr (GError) error = NULL;

  gtk_window_present (GTK_WINDOW (window));
  cs_test_spin (50);
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-sample", g_variant_new_string (sample));
  g_assert_true (cs_test_wait_until (is_idle, window, 10000));
  g_assert_true (cs_window_select_algorithm (window, "kmeans"));
  panel = cs_window_get_params_panel (window);
  params = cs_params_panel_get_params (panel);
  cs_params_set (params, "k", "3", &error);
  g_assert_no_error (error);
  cs_params_set (params, "init", "random", &error);
  g_assert_no_error (error);
  cs_params_panel_set_params (panel, params);
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (cs_test_wait_until (is_idle, window, 30000));
  g_assert_null (cs_window_get_error_text (window));
  cs_test_spin (20);
  return window;
}

static CsScatterPage *
scatter_page (CsWindow *window)
{
  return CS_SCATTER_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (cs_window_get_plot_view (window)), CS_TYPE_SCATTER_PAGE));
}

static const CsPlotModel *
frame (CsWindow *window)
{
  return cs_plot_view_get_frame (cs_window_get_plot_view (window));
}

static void
test_buttons_step_the_frame (void)
{
  CsWindow *window = window_with_kmeans ("iris");
  CsPlaybackBar *bar = cs_scatter_page_get_playback_bar (scatter_page (window));
  const CsPipelineResult *r = cs_window_get_result (window);
  guint n = cs_playback_bar_get_n_frames (bar);
  g_autofree char *caption = NULL;

  g_assert_nonnull (r->trace);
  g_assert_cmpuint (n, ==, r->trace->steps->len);
  g_assert_cmpuint (n, >=, 3);
  /* After a run the plot shows the result: the last step. */
  g_assert_cmpuint (cs_playback_bar_get_position (bar), ==, n - 1);
  g_assert_cmpmem (frame (window)->labels, r->clustering->n * sizeof (int), r->clustering->labels,
                   r->clustering->n * sizeof (int));

  press (window, "First Step");
  g_assert_cmpuint (cs_playback_bar_get_position (bar), ==, 0);
  /* The start: centres placed, no point assigned. */
  g_assert_cmpint (frame (window)->labels[0], ==, -1);
  g_assert_cmpstr (frame (window)->noise_name, ==, "Not assigned yet");
  g_assert_nonnull (strstr (frame (window)->caption, "Step 1 of"));

  press (window, "Step Forward");
  g_assert_cmpuint (cs_playback_bar_get_position (bar), ==, 1);
  g_assert_nonnull (frame (window)->labels);
  g_assert_nonnull (strstr (frame (window)->caption, "assignment step"));
  caption = g_strdup (frame (window)->caption);

  press (window, "Step Forward");
  g_assert_nonnull (strstr (frame (window)->caption, "update step"));
  press (window, "Step Back");
  g_assert_cmpstr (frame (window)->caption, ==, caption);

  press (window, "Last Step");
  g_assert_cmpuint (cs_playback_bar_get_position (bar), ==, n - 1);
  g_assert_cmpmem (frame (window)->labels, r->clustering->n * sizeof (int), r->clustering->labels,
                   r->clustering->n * sizeof (int));

  /* The scrubber moves the frame too. */
  {
    GtkWidget *timeline = find_by_accessible_label (GTK_WIDGET (window), "Timeline");
    g_assert_true (GTK_IS_SCALE (timeline));
    gtk_range_set_value (GTK_RANGE (timeline), 1);
    g_assert_cmpuint (cs_playback_bar_get_position (bar), ==, 1);
  }

  /* Play runs to the end on its own. */
  press (window, "First Step");
  {
    GtkWidget *play = find_by_accessible_label (GTK_WIDGET (window), "Play");
    g_assert_true (GTK_IS_TOGGLE_BUTTON (play));
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (play), TRUE);
    for (guint t = 0; t < 400 && cs_playback_bar_get_position (bar) + 1 < n; t++)
      cs_test_spin (25);
    g_assert_cmpuint (cs_playback_bar_get_position (bar), ==, n - 1);
    cs_test_spin (600);
    g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (play)));
  }

  /* Keys while the plot has focus: Home, →, ←, End. */
  gtk_widget_grab_focus (GTK_WIDGET (cs_window_get_plot_view (window)));
  gtk_widget_activate_action (GTK_WIDGET (cs_window_get_plot_view (window)), "playback.step", "i", G_MININT32);
  g_assert_cmpuint (cs_playback_bar_get_position (bar), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (cs_window_get_plot_view (window)), "playback.step", "i", 1);
  g_assert_cmpuint (cs_playback_bar_get_position (bar), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (cs_window_get_plot_view (window)), "playback.step", "i", -1);
  g_assert_cmpuint (cs_playback_bar_get_position (bar), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (cs_window_get_plot_view (window)), "playback.step", "i", G_MAXINT32);
  g_assert_cmpuint (cs_playback_bar_get_position (bar), ==, n - 1);

  /* Voronoi regions are a toggle on the frame. */
  {
    GtkWidget *voronoi = find_by_accessible_label (GTK_WIDGET (window), "Voronoi Regions");
    g_assert_true (GTK_IS_CHECK_BUTTON (voronoi));
    gtk_check_button_set_active (GTK_CHECK_BUTTON (voronoi), TRUE);
    g_assert_true (frame (window)->show_voronoi);
    gtk_check_button_set_active (GTK_CHECK_BUTTON (voronoi), FALSE);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (20);
}

static gboolean
export_done (gpointer data)
{
  GtkWidget *button = data;

  return gtk_widget_get_sensitive (button);
}

static void
test_export_playback_writes_numbered_pngs (void)
{
  CsWindow *window = window_with_kmeans ("iris");
  CsScatterPage *page = scatter_page (window);
  guint n = cs_playback_bar_get_n_frames (cs_scatter_page_get_playback_bar (page));
  GtkWidget *button = find_by_accessible_label (GTK_WIDGET (window), "Export Playback…");
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-playback-XXXXXX", &error);
  GDir *d;
  const char *name;
  guint count = 0;
  gboolean webp = FALSE;

  g_assert_no_error (error);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_visible (button));
  cs_scatter_page_export_playback (page, dir);
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_true (cs_test_wait_until (export_done, button, 60000));
  d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *data = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (path, &data, &length, NULL));
      g_assert_cmpuint (length, >, 16);
      g_unlink (path);
      if (g_str_equal (name, "playback.webp"))
        {
          /* RIFF....WEBP with an animation chunk. */
          g_assert_cmpmem (data, 4, "RIFF", 4);
          g_assert_cmpmem (data + 8, 4, "WEBP", 4);
          g_assert_nonnull (memmem (data, length, "ANIM", 4));
          webp = TRUE;
          continue;
        }
      g_assert_true (g_str_has_prefix (name, "step-") && g_str_has_suffix (name, ".png"));
      g_assert_cmpmem (data, 4, "\x89PNG", 4);
      count++;
    }
  g_dir_close (d);
  g_rmdir (dir);
  g_assert_cmpuint (count, ==, n);
  g_assert_true (webp == cs_anim_available ());
  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (20);
}

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Ward on iris: the scatter and the dendrogram step through the merges together, whichever
 * page's bar or keys move them. */
static void
test_dendrogram_and_scatter_step_together (void)
{
  CsWindow *window = cs_window_new (app);
  CsParamsPanel *panel;
  g_autoptr (CsParams) params = NULL;
  g_autoptr (GError) error = NULL;
  const CsPipelineResult *r;
  GtkWidget *page;
  GtkWidget *view;
  GtkWidget *back;
  CsPlaybackBar *tree_bar;
  CsPlaybackBar *points_bar;
  const CsDendrogramModel *m;
  guint n;

  gtk_window_present (GTK_WINDOW (window));
  cs_test_spin (50);
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-sample", g_variant_new_string ("iris"));
  g_assert_true (cs_test_wait_until (is_idle, window, 10000));
  g_assert_true (cs_window_select_algorithm (window, "agglomerative"));
  panel = cs_window_get_params_panel (window);
  params = cs_params_panel_get_params (panel);
  cs_params_set (params, "linkage", "ward", &error);
  g_assert_no_error (error);
  cs_params_set (params, "k", "3", &error);
  g_assert_no_error (error);
  cs_params_panel_set_params (panel, params);
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (cs_test_wait_until (is_idle, window, 30000));
  g_assert_null (cs_window_get_error_text (window));
  cs_test_spin (20);
  r = cs_window_get_result (window);
  g_assert_nonnull (r->trace);

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-view", g_variant_new_string ("dendrogram"));
  cs_test_spin (20);
  page = cs_window_get_view_page (window, "dendrogram");
  g_assert_nonnull (page);
  view = find_type (page, CS_TYPE_FIGURE_VIEW);
  tree_bar = CS_PLAYBACK_BAR (find_type (page, CS_TYPE_PLAYBACK_BAR));
  points_bar = cs_scatter_page_get_playback_bar (scatter_page (window));
  n = cs_playback_bar_get_n_frames (tree_bar);
  /* One frame per merge down to the cut and the result, the same playback under both views. */
  g_assert_cmpuint (n, ==, r->clustering->n - r->clustering->k + 1);
  g_assert_true (cs_playback_bar_get_playback (tree_bar) == cs_playback_bar_get_playback (points_bar));
  g_assert_cmpuint (cs_playback_bar_get_position (tree_bar), ==, n - 1);
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  g_assert_false (m->step);

  /* Step Back on the dendrogram's bar: both views show the last merge made, marked. */
  back = find_by_accessible_label (page, "Step Back");
  g_assert_nonnull (back);
  g_assert_true (gtk_widget_get_sensitive (back) && gtk_widget_is_visible (back));
  g_signal_emit_by_name (back, "clicked");
  cs_test_spin (10);
  g_assert_cmpuint (cs_playback_bar_get_position (points_bar), ==, n - 2);
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  g_assert_true (m->step);
  g_assert_cmpuint (m->n_keep, ==, n - 1);
  g_assert_cmpint (cs_dendrogram_model_merge_state (m, n - 2), ==, CS_DENDROGRAM_MERGE_CURRENT);
  g_assert_nonnull (strstr (frame (window)->caption, "Merge"));

  /* A key on the scatter plot moves the tree: one merge undone, k + 1 clusters on both. */
  gtk_widget_activate_action (GTK_WIDGET (cs_window_get_plot_view (window)), "playback.step", "i", -1);
  g_assert_cmpuint (cs_playback_bar_get_position (tree_bar), ==, n - 3);
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  g_assert_cmpuint (m->n_keep, ==, n - 2);
  g_assert_cmpuint (m->k, ==, r->clustering->k + 1);
  g_assert_cmpuint (frame (window)->k, ==, r->clustering->k + 1);
  g_assert_cmpmem (frame (window)->labels, r->clustering->n * sizeof (int), m->labels, r->clustering->n * sizeof (int));
  g_assert_cmpmem (frame (window)->color_slot, m->k * sizeof (int), m->color_slot, m->k * sizeof (int));

  /* Play on the tree's bar plays both; pausing on the points' bar pauses both. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_by_accessible_label (page, "Play")), TRUE);
  g_assert_true (cs_playback_bar_get_playing (points_bar));
  cs_playback_bar_set_playing (points_bar, FALSE);
  g_assert_false (cs_playback_bar_get_playing (tree_bar));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_by_accessible_label (page, "Play"))));

  /* Home on the tree: both at the first merge. */
  gtk_widget_activate_action (view, "playback.step", "i", G_MININT32);
  g_assert_cmpuint (cs_playback_bar_get_position (points_bar), ==, 0);
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  g_assert_cmpuint (m->n_keep, ==, 1);
  g_assert_cmpuint (frame (window)->k, ==, r->clustering->n - 1);

  /* End: the result again, on both. */
  gtk_widget_activate_action (view, "playback.step", "i", G_MAXINT32);
  g_assert_cmpuint (cs_playback_bar_get_position (points_bar), ==, n - 1);
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  g_assert_false (m->step);
  g_assert_cmpmem (frame (window)->labels, r->clustering->n * sizeof (int), r->clustering->labels,
                   r->clustering->n * sizeof (int));

  /* A cut typed during playback cuts the result: playback goes to its end, the tree shows the cut. */
  gtk_widget_activate_action (view, "playback.step", "i", G_MININT32);
  {
    GtkWidget *spin = find_type (page, GTK_TYPE_SPIN_BUTTON);
    double h = r->clustering->merges[(r->clustering->n - r->clustering->k - 1) * 4 + 2] * 0.999;

    gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), h);
    g_assert_cmpuint (cs_playback_bar_get_position (points_bar), ==, n - 1);
    m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
    g_assert_false (m->step);
    g_assert_cmpfloat (m->cut_height, ==, h);
    g_assert_cmpuint (m->k, ==, r->clustering->k + 1);
  }
  g_assert_true (cs_test_wait_until (is_idle, window, 30000));
  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (20);
}

int
main (int argc, char *argv[])
{
  g_autofree char *data_home = NULL;
  int              status;

  if (!cs_test_ui_init (&argc, &argv, "org.clusterscope.Clusterscope.PlaybackTest", &app, &data_home))
    return 0;

  g_test_add_func ("/ui/playback/buttons-keys-and-scrubber-step-the-frame", test_buttons_step_the_frame);
  g_test_add_func ("/ui/playback/export-writes-numbered-pngs", test_export_playback_writes_numbered_pngs);
  g_test_add_func ("/ui/playback/dendrogram-and-scatter-step-together", test_dendrogram_and_scatter_step_together);
  status = g_test_run ();
  g_object_unref (app);
  g_rmdir (data_home);
  return status;
}
