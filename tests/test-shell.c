/* The application shell: the GtkApplication's actions and accelerators, the file and export
 * dialogs driven as a user drives them (the dialogs GtkFileChooserNative falls back to outside a
 * sandbox), recent files, help and full screen. Runs under Xvfb (./dev test). */

#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "test-common.h"
#include "app/cs-application.h"
#include "ui/cs-recent.h"
#include "ui/cs-window.h"
#include "ui/pages/cs-page.h"
#include "ui/widgets/cs-column-chooser.h"

static CsApplication *app;
static char          *tmp_home; /* XDG_DATA_HOME and XDG_CONFIG_HOME of this run */


static gboolean
is_idle (gpointer window)
{
  return !cs_window_is_busy (window);
}

static guint
n_windows (void)
{
  return g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));
}

/* The first window the application opens (through "activate", as a launch does). */
static CsWindow *
first_window (void)
{
  g_assert_cmpuint (n_windows (), ==, 0);
  g_application_activate (G_APPLICATION (app));
  cs_test_spin (50);
  g_assert_cmpuint (n_windows (), ==, 1);
  return CS_WINDOW (gtk_application_get_windows (GTK_APPLICATION (app))->data);
}

static void
close_all_windows (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  cs_test_spin (30);
  g_assert_cmpuint (n_windows (), ==, 0);
}

static void
activate_win (CsWindow *window, const char *action, const char *string_arg)
{
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), action));
  g_action_group_activate_action (G_ACTION_GROUP (window), action,
                                  string_arg != NULL ? g_variant_new_string (string_arg) : NULL);
  g_assert_true (cs_test_wait_until (is_idle, window, 20000));
}

static gsize
n_rows (CsWindow *window)
{
  return cs_window_has_dataset (window) ? cs_window_get_dataset (window)->n_rows : 0;
}

static char *
write_csv (const char *dir, const char *name, guint rows)
{
  char    *path = g_build_filename (dir, name, NULL);
  GString *csv = g_string_new ("a,b,c\n");
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < rows; i++)
    g_string_append_printf (csv, "%u,%u,%u\n", i, i % 7, (i * 13) % 11);
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
  g_string_free (csv, TRUE);
  return path;
}

/* The toplevel of type `type` (and, when given, this title) that is showing, or NULL. */
static GtkWindow *
find_toplevel (GType type, const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w))
          && (title == NULL || g_strcmp0 (gtk_window_get_title (w), title) == 0))
        return w;
    }
  return NULL;
}

static gboolean
chooser_showing (gpointer data)
{
  return find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, NULL) != NULL;
}

static gboolean
chooser_gone (gpointer data)
{
  return !chooser_showing (data);
}

typedef struct
{
  GtkFileChooser *chooser;
  GFile          *file;
} Choice;

static gboolean
chooser_has_file (gpointer data)
{
  Choice *c = data;
  g_autoptr (GFile) file = gtk_file_chooser_get_file (c->chooser);

  return file != NULL && g_file_equal (file, c->file);
}

/* Answers the file chooser that is showing as a user does: an Open dialog by selecting `path`, a
 * Save dialog by typing its name into `path`'s folder; then Open/Save. */
static void
answer_chooser (const char *path)
{
  GtkWindow *dialog;
  Choice     choice;
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFile) folder = g_file_get_parent (file);
  g_autoptr (GError) error = NULL;

  g_assert_true (cs_test_wait_until (chooser_showing, NULL, 5000));
  dialog = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, NULL);
  /* Both wait for the folder to be read, and a request made while the dialog is still reading
   * the folder it opened in can be lost: ask again until the chooser has the file. */
  choice.chooser = GTK_FILE_CHOOSER (dialog);
  choice.file = file;
  for (int tries = 0; tries < 50 && !chooser_has_file (&choice); tries++)
    {
      if (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)) == GTK_FILE_CHOOSER_ACTION_SAVE)
        {
          gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, &error);
          /* Typed as a whole path, as a user may: the dialog resolves it against nothing else. */
          gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), path);
        }
      else
        gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), file, &error);
      g_assert_no_error (error);
      cs_test_wait_until (chooser_has_file, &choice, 100);
    }
  g_assert_true (chooser_has_file (&choice));
  /* A Save dialog answers after checking whether the file exists: wait for it to go. */
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_true (cs_test_wait_until (chooser_gone, NULL, 5000));
}

static void
test_open_replaces_data (void)
{
  CsWindow *window = first_window ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-shell-XXXXXX", &error);
  g_autofree char *path = write_csv (dir, "forty.csv", 40);

  g_assert_no_error (error);
  activate_win (window, "open-sample", "iris");
  g_assert_cmpuint (n_rows (window), ==, 150);

  /* Ctrl+O with data loaded: the file replaces it in this window, no new window. */
  g_assert_true (g_strv_contains (
      (const char *const *)gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.open"),
      "<Control>o"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "open", NULL);
  answer_chooser (path);
  g_assert_true (cs_test_wait_until (is_idle, window, 10000));
  g_assert_null (cs_window_get_error_text (window));
  g_assert_cmpuint (n_windows (), ==, 1);
  g_assert_cmpuint (n_rows (window), ==, 40);

  /* Open Sample and Generate follow the same rule. */
  activate_win (window, "open-sample", "wine");
  g_assert_cmpuint (n_windows (), ==, 1);
  g_assert_cmpuint (n_rows (window), ==, 178);
  activate_win (window, "generate", "moons:300");
  g_assert_cmpuint (n_windows (), ==, 1);
  g_assert_cmpuint (n_rows (window), ==, 300);

  /* A second window only when asked for, and it starts empty. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-window", NULL);
  cs_test_spin (30);
  g_assert_cmpuint (n_windows (), ==, 2);
  g_assert_cmpuint (n_rows (window), ==, 300);

  close_all_windows ();
  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
strv_has (char **strv, const char *s)
{
  return g_strv_contains ((const char *const *)strv, s);
}

static gboolean
recent_has (gpointer path)
{
  g_auto (GStrv) recent = cs_recent_list (10);

  return strv_has (recent, path);
}

/* What the list holds, for the log of a failure. */
static void
dump_recent (CsWindow *window)
{
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_auto (GStrv) groups = gtk_recent_info_get_groups (l->data, NULL);
      g_autofree char *joined = groups != NULL ? g_strjoinv (",", groups) : g_strdup ("");

      g_test_message ("recent: %s [%s]", gtk_recent_info_get_uri (l->data), joined);
    }
  g_list_free_full (items, (GDestroyNotify)gtk_recent_info_unref);
  g_test_message ("window: dataset %s, error %s",
                  cs_window_has_dataset (window) ? cs_window_get_dataset (window)->path : "(none)",
                  cs_window_get_error_text (window));
}

static void
test_recent_only_loaded (void)
{
  CsWindow *window = first_window ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-shell-XXXXXX", &error);
  g_autofree char *good = write_csv (dir, "good.csv", 30);
  g_autofree char *bad = g_build_filename (dir, "bad.csv", NULL);
  g_autofree char *bad_uri = g_filename_to_uri (bad, NULL, NULL);
  g_auto (GStrv) recent = NULL;

  g_assert_no_error (error);
  g_file_set_contents (bad, "a,b,c\n1,2,3\n4,5\n", -1, &error);
  g_assert_no_error (error);

  /* Through the Open dialog: the chooser itself records the file it was accepted on. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "open", NULL);
  answer_chooser (bad);
  g_assert_true (cs_test_wait_until (is_idle, window, 10000));
  g_assert_nonnull (cs_window_get_error_text (window));
  g_assert_true (gtk_recent_manager_has_item (gtk_recent_manager_get_default (), bad_uri));

  g_action_group_activate_action (G_ACTION_GROUP (app), "open", NULL);
  answer_chooser (good);
  g_assert_true (cs_test_wait_until (is_idle, window, 10000));
  g_assert_null (cs_window_get_error_text (window));
  g_assert_cmpuint (n_rows (window), ==, 30);

  /* The list is the desktop's file, which the recent manager writes and re-reads on its own
   * schedule: give it time to settle. */
  if (!cs_test_wait_until (recent_has, good, 10000))
    dump_recent (window);
  g_assert_true (recent_has (good));
  recent = cs_recent_list (10);
  g_assert_true (strv_has (recent, good));
  g_assert_false (strv_has (recent, bad));
  g_clear_pointer (&recent, g_strfreev);

  /* A file that loaded once and fails now is no longer offered. */
  g_file_set_contents (good, "x,y\n1,2\n3\n", -1, &error);
  g_assert_no_error (error);
  activate_win (window, "open-file", good);
  g_assert_nonnull (cs_window_get_error_text (window));
  cs_test_spin (300);
  recent = cs_recent_list (10);
  g_assert_false (strv_has (recent, good));

  close_all_windows ();
  g_unlink (good);
  g_unlink (bad);
  g_rmdir (dir);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_help_opens_guide (void)
{
  CsWindow        *window = first_window ();
  g_autofree char *opened = g_build_filename (tmp_home, "opened-uri", NULL);
  g_autofree char *uri = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_strv_contains (
      (const char *const *)gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.help"), "F1"));
  /* The stand-in for a browser (set up in main) writes down the URI it is asked to show. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "help", NULL);
  g_assert_true (cs_test_wait_until (file_exists, opened, 10000));
  cs_test_spin (100);
  g_file_get_contents (opened, &uri, NULL, &error);
  g_assert_no_error (error);
  g_strchomp (uri);
  g_test_message ("help opened %s", uri);
  /* The launcher hands a local file over as a path or as a file: URI. */
  {
    g_autofree char *path = g_str_has_prefix (uri, "file:") ? g_filename_from_uri (uri, NULL, NULL)
                                                             : g_strdup (uri);
    g_autofree char *text = NULL;

    g_assert_nonnull (path);
    g_assert_true (g_path_is_absolute (path));
    g_assert_true (g_str_has_suffix (path, "/README.md"));
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_assert_true (strstr (text, "## Using the application") != NULL);
  }
  g_assert_null (cs_window_get_error_text (window));
  g_unlink (opened);
  close_all_windows ();
}

static void
test_fullscreen_toggles (void)
{
  CsWindow *window = first_window ();
  g_autoptr (GVariant) state = NULL;

  g_assert_true (g_strv_contains (
      (const char *const *)gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.fullscreen"),
      "F11"));
  state = g_action_group_get_action_state (G_ACTION_GROUP (window), "fullscreen");
  g_assert_false (g_variant_get_boolean (state));
  g_clear_pointer (&state, g_variant_unref);

  /* Xvfb has no window manager to grant the request, so the action's state (the request) is
   * what can be checked here; with one, the window's "fullscreened" follows. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "fullscreen", NULL);
  cs_test_spin (30);
  state = g_action_group_get_action_state (G_ACTION_GROUP (window), "fullscreen");
  g_assert_true (g_variant_get_boolean (state));
  g_clear_pointer (&state, g_variant_unref);

  g_action_group_activate_action (G_ACTION_GROUP (window), "fullscreen", NULL);
  cs_test_spin (30);
  state = g_action_group_get_action_state (G_ACTION_GROUP (window), "fullscreen");
  g_assert_false (g_variant_get_boolean (state));
  g_assert_false (gtk_window_is_fullscreen (GTK_WINDOW (window)));

  close_all_windows ();
}

static void
test_shortcuts_window_lists_shell_keys (void)
{
  g_autoptr (GtkBuilder) builder
      = gtk_builder_new_from_resource ("/org/clusterscope/Clusterscope/gtk/help-overlay.ui");
  GSList  *objects = gtk_builder_get_objects (builder);
  gboolean help = FALSE;
  gboolean fullscreen = FALSE;
  GObject *overlay = gtk_builder_get_object (builder, "help_overlay");

  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        g_autofree char *action = NULL;

        g_object_get (l->data, "action-name", &action, NULL);
        help |= g_strcmp0 (action, "app.help") == 0;
        fullscreen |= g_strcmp0 (action, "win.fullscreen") == 0;
      }
  g_slist_free (objects);
  g_assert_true (help);
  g_assert_true (fullscreen);
  gtk_window_destroy (GTK_WINDOW (overlay));
}

static GtkWidget *
find_child (GtkWidget *widget, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_child (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Opens the Export Figure dialog; returns its format menu. */
static GtkDropDown *
open_export_dialog (CsWindow *window, GtkWindow **dialog)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "export", NULL);
  cs_test_spin (30);
  *dialog = find_toplevel (GTK_TYPE_WINDOW, "Export Figure");
  g_assert_nonnull (*dialog);
  return GTK_DROP_DOWN (find_child (GTK_WIDGET (*dialog), GTK_TYPE_DROP_DOWN));
}

/* Export through the dialog: `format` in its menu (0 PNG, 1 SVG, 2 PDF), then `path` typed. */
static void
export_through_dialog (CsWindow *window, guint format, const char *path)
{
  GtkWindow   *dialog = NULL;
  GtkDropDown *menu = open_export_dialog (window, &dialog);

  gtk_drop_down_set_selected (menu, format);
  g_signal_emit_by_name (gtk_window_get_default_widget (dialog), "clicked");
  answer_chooser (path);
  g_assert_true (cs_test_wait_until (is_idle, window, 10000));
  g_assert_null (cs_window_get_error_text (window));
  g_assert_true (file_exists ((gpointer)path));
}

static char *
read_head (const char *path, gsize *length)
{
  char *data = NULL;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &data, length, &error);
  g_assert_no_error (error);
  return data;
}

static void
test_export_format_follows_name (void)
{
  CsWindow *window = first_window ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-shell-XXXXXX", &error);
  g_autofree char *svg = g_build_filename (dir, "x.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "x.pdf", NULL);
  g_autofree char *png = g_build_filename (dir, "x.png", NULL);
  g_autofree char *plain = g_build_filename (dir, "x", NULL);
  g_autofree char *data = NULL;
  gsize            length = 0;
  GtkWindow       *dialog = NULL;

  g_assert_no_error (error);
  activate_win (window, "open-sample", "iris");

  /* PNG chosen in the menu, "x.svg" typed: an SVG drawing. */
  export_through_dialog (window, 0, svg);
  data = read_head (svg, &length);
  g_assert_true (g_str_has_prefix (data, "<?xml") || g_str_has_prefix (data, "<svg"));
  g_assert_true (strstr (data, "<svg") != NULL);
  g_clear_pointer (&data, g_free);

  /* The format written is the one the dialog offers next time. */
  g_assert_cmpuint (gtk_drop_down_get_selected (open_export_dialog (window, &dialog)), ==, 1);
  gtk_window_destroy (dialog);

  export_through_dialog (window, 0, pdf);
  data = read_head (pdf, &length);
  g_assert_cmpuint (length, >, 5);
  g_assert_cmpmem (data, 5, "%PDF-", 5);
  g_clear_pointer (&data, g_free);
  g_assert_cmpuint (gtk_drop_down_get_selected (open_export_dialog (window, &dialog)), ==, 2);
  gtk_window_destroy (dialog);

  export_through_dialog (window, 2, png);
  data = read_head (png, &length);
  g_assert_cmpuint (length, >, 8);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  g_clear_pointer (&data, g_free);

  /* No extension typed: the format chosen in the menu. */
  export_through_dialog (window, 2, plain);
  data = read_head (plain, &length);
  g_assert_cmpuint (length, >, 5);
  g_assert_cmpmem (data, 5, "%PDF-", 5);
  g_clear_pointer (&data, g_free);

  for (const char *const *p = (const char *const[]){ svg, pdf, png, plain, NULL }; *p != NULL; p++)
    g_unlink (*p);
  g_rmdir (dir);
  close_all_windows ();
}

static void
run_kmeans (CsWindow *window, const char *k)
{
  CsParamsPanel *panel = cs_window_get_params_panel (window);
  g_autoptr (CsParams) params = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (cs_window_select_algorithm (window, "kmeans"));
  params = cs_params_panel_get_params (panel);
  cs_params_set (params, "k", k, &error);
  g_assert_no_error (error);
  cs_params_panel_set_params (panel, params);
  activate_win (window, "run", NULL);
}

/* Counts in the status line are grouped: "dropped 1,200 rows". The sidebar's column chooser
 * decides what is clustered, a categorical column included. */
static void
test_status_counts_and_chosen_columns (void)
{
  CsWindow        *window = first_window ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-shell-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "gappy.csv", NULL);
  GString         *csv = g_string_new ("a,b,colour\n");
  CsColumnChooser *chooser;
  const char      *status;

  g_assert_no_error (error);
  /* 2,400 rows in two groups; every other row lacks b. */
  for (guint i = 0; i < 2400; i++)
    {
      double a = (i % 4 < 2 ? 0.0 : 10.0) + (i % 7) * 0.1;

      if (i % 2 == 0)
        g_string_append_printf (csv, "%.1f,,%s\n", a, i % 4 < 2 ? "red" : "blue");
      else
        g_string_append_printf (csv, "%.1f,%.1f,%s\n", a, a + (i % 5) * 0.1, i % 4 < 2 ? "red" : "blue");
    }
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
  g_string_free (csv, TRUE);

  activate_win (window, "open-file", path);
  g_assert_null (cs_window_get_error_text (window));
  chooser = CS_COLUMN_CHOOSER (find_child (GTK_WIDGET (window), CS_TYPE_COLUMN_CHOOSER));
  g_assert_nonnull (chooser);
  g_assert_cmpstr (cs_column_chooser_get_summary (chooser), ==, "2 of 3 columns");

  run_kmeans (window, "2");
  status = cs_window_get_status_text (window);
  g_test_message ("status: %s", status);
  g_assert_null (cs_window_get_error_text (window));
  g_assert_nonnull (strstr (status, "dropped 1,200 rows"));
  g_assert_null (strstr (status, "1200"));

  /* Only a: nothing is missing any more. With the categorical column too, the run still works. */
  g_assert_true (cs_column_chooser_set_column_chosen (chooser, 1, FALSE));
  run_kmeans (window, "2");
  status = cs_window_get_status_text (window);
  g_assert_null (cs_window_get_error_text (window));
  g_assert_null (strstr (status, "dropped"));
  g_assert_true (cs_column_chooser_set_column_chosen (chooser, 2, TRUE));
  run_kmeans (window, "2");
  g_test_message ("status: %s", cs_window_get_status_text (window));
  g_assert_null (cs_window_get_error_text (window));
  g_assert_nonnull (strstr (cs_window_get_status_text (window), "2 clusters"));

  /* No column at all: refused with a message, the window stays usable. */
  cs_column_chooser_choose (chooser, CS_COLUMN_CHOOSE_NONE);
  cs_test_spin (50);
  g_assert_true (cs_test_wait_until (is_idle, window, 10000));
  if (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "run"))
    {
      g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
      g_assert_true (cs_test_wait_until (is_idle, window, 10000));
    }
  g_test_message ("with no columns: %s", cs_window_get_error_text (window));
  g_assert_nonnull (cs_window_get_error_text (window));
  g_assert_nonnull (strstr (cs_window_get_error_text (window), "No columns"));

  close_all_windows ();
  g_unlink (path);
  g_rmdir (dir);
}

/* The scatter page's figure as pixels, for comparing what two windows show. */
static GBytes *
render_view (CsWindow *window, const char *view)
{
  CsPage *page = CS_PAGE (cs_window_get_view_page (window, view));
  CsRenderFunc func = NULL;
  gpointer model = NULL;
  GDestroyNotify unref = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 480, 360);
  cairo_t *cr = cairo_create (surface);
  GBytes *pixels;

  g_assert_true (cs_page_get_figure (page, &func, &model, &unref));
  func (cr, model, 480, 360);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixels = g_bytes_new (cairo_image_surface_get_data (surface),
                        (gsize) cairo_image_surface_get_stride (surface) * 360);
  cairo_surface_destroy (surface);
  if (unref != NULL)
    unref (model);
  return pixels;
}

static gboolean
has_result (gpointer window)
{
  return cs_window_get_result (window) != NULL && !cs_window_is_busy (window);
}

/* Save a session, reopen it in a fresh window: the same labels, view, axes and figure, without
 * running the algorithm again; a changed data file is said, not fatal. */
static void
test_session_round_trip (void)
{
  CsWindow *window = first_window ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-shell-XXXXXX", &error);
  g_autofree char *csv = write_csv (dir, "points.csv", 400);
  g_autofree char *session = g_build_filename (dir, "work.clusterscope", NULL);
  g_autofree int *labels = NULL;
  g_autoptr (GBytes) before = NULL;
  g_autoptr (GBytes) after = NULL;
  const CsPipelineResult *r;
  CsColumnChooser *chooser;
  double seconds;
  gsize n;

  g_assert_no_error (error);
  activate_win (window, "open-file", csv);
  chooser = CS_COLUMN_CHOOSER (find_child (GTK_WIDGET (window), CS_TYPE_COLUMN_CHOOSER));
  g_assert_true (cs_column_chooser_set_column_chosen (chooser, 2, FALSE));
  run_kmeans (window, "4");
  g_assert_true (cs_window_set_axes (window, "b", "a"));
  g_assert_true (cs_test_wait_until (is_idle, window, 20000));
  activate_win (window, "show-view", "silhouette");
  r = cs_window_get_result (window);
  g_assert_nonnull (r);
  n = r->clustering->n;
  labels = g_memdup2 (r->clustering->labels, n * sizeof (int));
  seconds = r->clustering->seconds;
  before = render_view (window, "scatter");
  activate_win (window, "save-session-to", session);
  g_assert_null (cs_window_get_error_text (window));
  g_assert_true (g_file_test (session, G_FILE_TEST_IS_REGULAR));
  close_all_windows ();

  window = first_window ();
  activate_win (window, "open-session-path", session);
  g_assert_true (cs_test_wait_until (has_result, window, 20000));
  g_assert_null (cs_window_get_error_text (window));
  r = cs_window_get_result (window);
  g_assert_cmpstr (r->clustering->algorithm, ==, "kmeans");
  g_assert_cmpuint (r->clustering->k, ==, 4);
  g_assert_cmpuint (r->clustering->n, ==, n);
  g_assert_cmpuint (r->clustering->d, ==, 2);
  g_assert_cmpmem (r->clustering->labels, n * sizeof (int), labels, n * sizeof (int));
  /* Not run again: the saved run's time, to the bit. */
  g_assert_cmpfloat (r->clustering->seconds, ==, seconds);
  g_assert_cmpstr (cs_window_get_view (window), ==, "silhouette");
  after = render_view (window, "scatter");
  g_assert_true (g_bytes_equal (before, after));

  /* The data changed (same rows, one value): the saved result still opens, with a warning. */
  {
    g_autofree char *text = NULL;
    g_autofree char *edited = NULL;

    g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
    g_assert_true (g_str_has_prefix (text, "a,b,c\n0,0,0\n"));
    edited = g_strconcat ("a,b,c\n0.5,0,0\n", text + strlen ("a,b,c\n0,0,0\n"), NULL);
    g_assert_true (g_file_set_contents (csv, edited, -1, NULL));
  }
  close_all_windows ();
  window = first_window ();
  activate_win (window, "open-session-path", session);
  g_assert_true (cs_test_wait_until (has_result, window, 20000));
  g_assert_cmpmem (cs_window_get_result (window)->clustering->labels, n * sizeof (int), labels, n * sizeof (int));
  g_assert_nonnull (cs_window_get_error_text (window));
  g_test_message ("changed data: %s", cs_window_get_error_text (window));
  g_assert_nonnull (strstr (cs_window_get_error_text (window), "points.csv"));

  close_all_windows ();
  g_unlink (session);
  g_unlink (csv);
  g_rmdir (dir);
}

static gboolean
compare_ready (gpointer window)
{
  CsPage *page = CS_PAGE (cs_window_get_view_page (window, "compare"));
  CsRenderFunc func = NULL;
  gpointer model = NULL;
  GDestroyNotify unref = NULL;

  if (!cs_page_get_figure (page, &func, &model, &unref))
    return FALSE;
  if (unref != NULL)
    unref (model);
  return TRUE;
}

/* Every run is kept: an earlier one shows again from the history, and the Compare page sets
 * it against the result on screen. */
static void
test_history_and_compare (void)
{
  CsWindow *window = first_window ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-shell-XXXXXX", &error);
  g_autofree char *csv = write_csv (dir, "points.csv", 300);
  const int *first;

  activate_win (window, "open-file", csv);
  run_kmeans (window, "3");
  first = cs_window_get_result (window)->clustering->labels;
  run_kmeans (window, "5");
  g_assert_cmpuint (cs_window_get_result (window)->clustering->k, ==, 5);

  /* No label column: the Compare page needs the earlier run, which it has. */
  activate_win (window, "show-view", "compare");
  g_assert_cmpstr (cs_window_get_view (window), ==, "compare");
  g_assert_true (cs_test_wait_until (compare_ready, window, 20000));

  /* Run 1 (k = 3) shown again, nothing run: history index 1 is the older run, the very same. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-run", g_variant_new_uint32 (1));
  g_assert_true (cs_test_wait_until (is_idle, window, 20000));
  g_assert_cmpuint (cs_window_get_result (window)->clustering->k, ==, 3);
  g_assert_true (cs_window_get_result (window)->clustering->labels == first);
  g_assert_nonnull (strstr (cs_window_get_status_text (window), "3 clusters"));
  close_all_windows ();
  g_unlink (csv);
  g_rmdir (dir);
}

/* A stand-in for the desktop's browser and text viewer: a desktop entry, made the default for
 * the README's types, whose program writes down the URI it was given. */
static void
install_fake_opener (void)
{
  g_autofree char *apps = g_build_filename (tmp_home, "applications", NULL);
  g_autofree char *script = g_build_filename (tmp_home, "fake-open.sh", NULL);
  g_autofree char *desktop = g_build_filename (apps, "cs-test-open.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (tmp_home, "mimeapps.list", NULL);
  g_autofree char *script_text = NULL;
  g_autofree char *desktop_text = NULL;
  g_autoptr (GError) error = NULL;
  const char *types[] = { "text/markdown", "text/x-markdown", "text/plain", "application/octet-stream" };
  GString    *list = g_string_new ("[Default Applications]\n");

  g_mkdir_with_parents (apps, 0700);
  script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$1\" > '%s/opened-uri.part' && mv '%s/opened-uri.part' "
                                 "'%s/opened-uri'\n",
                                 tmp_home, tmp_home, tmp_home);
  g_file_set_contents (script, script_text, -1, &error);
  g_assert_no_error (error);
  g_chmod (script, 0700);
  desktop_text = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test opener\nExec=%s %%u\n"
                                  "MimeType=text/markdown;text/x-markdown;text/plain;application/octet-stream;\n",
                                  script);
  g_file_set_contents (desktop, desktop_text, -1, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    g_string_append_printf (list, "%s=cs-test-open.desktop\n", types[i]);
  g_file_set_contents (mimeapps, list->str, -1, &error);
  g_assert_no_error (error);
  g_string_free (list, TRUE);
}

static void
remove_tree (const char *path)
{
  GDir       *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  /* Recent files, settings and the opener live in a throw-away folder; set before anything asks
   * GLib for these folders, which it remembers. */
  tmp_home = g_dir_make_tmp ("cs-test-shell-home-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", tmp_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", tmp_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      remove_tree (tmp_home);
      return 0;
    }
  install_fake_opener ();

  app = cs_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/ui/shell/open-replaces-data-in-this-window", test_open_replaces_data);
  g_test_add_func ("/ui/shell/recent-lists-only-loaded-files", test_recent_only_loaded);
  g_test_add_func ("/ui/shell/f1-opens-the-guide", test_help_opens_guide);
  g_test_add_func ("/ui/shell/f11-toggles-full-screen", test_fullscreen_toggles);
  g_test_add_func ("/ui/shell/shortcuts-window-lists-f1-f11", test_shortcuts_window_lists_shell_keys);
  g_test_add_func ("/ui/shell/export-format-follows-name-and-is-remembered", test_export_format_follows_name);
  g_test_add_func ("/ui/shell/status-counts-grouped-and-chosen-columns", test_status_counts_and_chosen_columns);
  g_test_add_func ("/ui/shell/session-round-trip", test_session_round_trip);
  g_test_add_func ("/ui/shell/history-and-compare", test_history_and_compare);

  status = g_test_run ();
  g_object_unref (app);
  remove_tree (tmp_home);
  return status;
}
