/* The Novel classes view in the window: on a CSV whose label column is empty for some rows, a
 * novel class discovery run (either variant) makes the view apply, show the curve with the
 * known classes named, and export; after another algorithm it is insensitive with the reason.
 * Runs under Xvfb (./dev test). */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "test-common.h"
#include "test-ui-common.h"

#include "ui/cs-figure-view.h"
#include "ui/render/cs-render-novel.h"

static GtkApplication *app;

static gboolean
is_idle (gpointer data)
{
  return !cs_window_is_busy (data);
}

static void
activate (CsWindow *window, const char *action, const char *arg)
{
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), action));
  g_action_group_activate_action (G_ACTION_GROUP (window), action, arg != NULL ? g_variant_new_string (arg) : NULL);
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

/* Three labelled blobs in a row (70 % of their rows named) and two unlabelled ones above. */
static char *
write_csv (const char *dir)
{
  const char *const names[] = { "alpha", "beta", "gamma" };
  g_autoptr (GString) s = g_string_new ("x,y,class\n");
  char *path = g_build_filename (dir, "partly-labelled.csv", NULL);
  g_autoptr (GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (7);

  for (guint c = 0; c < 5; c++)
    for (guint i = 0; i < 60; i++)
      {
        /* The novel blobs far apart, so that one novel class too few costs a hidden class. */
        double x = (c < 3 ? 10.0 * c : c == 3 ? -15.0 : 35.0) + g_rand_double_range (rand, -1, 1);
        double y = (c < 3 ? 0.0 : 15.0) + g_rand_double_range (rand, -1, 1);
        gboolean named = c < 3 && g_rand_double (rand) < 0.7;
        g_string_append_printf (s, "%.4f,%.4f,%s\n", x, y, named ? names[c] : "");
      }
  g_rand_free (rand);
  g_file_set_contents (path, s->str, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
run (CsWindow *window, const char *algo)
{
  g_assert_true (cs_window_select_algorithm (window, algo));
  activate (window, "run", NULL);
  g_assert_true (cs_test_wait_until (is_idle, window, 60000));
  g_assert_null (cs_window_get_error_text (window));
  cs_test_spin (50);
}

static void
test_view_applies_to_ncd_only (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-test-ncd-ui-XXXXXX", NULL);
  g_autofree char *csv = write_csv (dir);
  g_autofree char *png = g_build_filename (dir, "novel.png", NULL);
  const char *const algos[] = { "ncd-kmeans", "ncd-spectral" };
  CsWindow *window = cs_window_new (app);
  GtkWidget *button;

  gtk_window_present (GTK_WINDOW (window));
  cs_test_spin (50);
  activate (window, "open-file", csv);
  g_assert_true (cs_test_wait_until (is_idle, window, 10000));
  g_assert_null (cs_window_get_error_text (window));

  for (guint a = 0; a < G_N_ELEMENTS (algos); a++)
    {
      GtkWidget *page;
      GtkWidget *view;
      const CsNovelModel *m;
      GStatBuf st;

      run (window, algos[a]);
      button = find_by_accessible_label (GTK_WIDGET (window), "Novel");
      g_assert_nonnull (button);
      g_assert_true (gtk_widget_get_sensitive (button));
      activate (window, "show-view", "novel");
      g_assert_cmpstr (cs_window_get_view (window), ==, "novel");
      page = cs_window_get_view_page (window, "novel");
      view = GTK_WIDGET (gtk_widget_get_template_child (page, G_OBJECT_TYPE (page), "view"));
      m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
      g_assert_nonnull (m);
      g_assert_cmpuint (m->k_known, ==, 3);
      g_assert_cmpuint (m->k, ==, 5);
      g_assert_cmpstr (m->names[0], ==, "alpha");
      g_assert_cmpstr (m->names[2], ==, "gamma");
      g_assert_nonnull (m->curve);
      g_assert_cmpfloat (m->curve->x[m->curve->marked], ==, 2.0);
      /* Export writes the view on screen. */
      activate (window, "export-to", png);
      g_assert_true (cs_test_wait_until (is_idle, window, 10000));
      cs_test_spin (200);
      g_assert_cmpint (g_stat (png, &st), ==, 0);
      g_assert_cmpint (st.st_size, >, 1000);
      g_unlink (png);
    }

  run (window, "kmeans");
  button = find_by_accessible_label (GTK_WIDGET (window), "Novel");
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (button), "novel class discovery"));

  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (20);
  g_unlink (csv);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_autofree char *data_home = NULL;
  int              status;

  if (!cs_test_ui_init (&argc, &argv, "org.clusterscope.Clusterscope.TestNcd", &app, &data_home))
    return 0;
  g_test_add_func ("/ui/novel/applies-to-ncd-only-and-exports", test_view_applies_to_ncd_only);
  status = g_test_run ();
  g_object_unref (app);
  {
    g_autofree char *xbel = g_build_filename (data_home, "recently-used.xbel", NULL);

    g_unlink (xbel);
    g_rmdir (data_home);
  }
  return status;
}
