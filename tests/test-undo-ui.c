/* The window's one undo stack (parameters, preprocessing, datasets) and what sessions keep
 * beyond the run: the HDF5 matrix that was chosen and the selection. Runs under Xvfb. */

#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

#include "test-common.h"
#include "test-ui-common.h"
#include "ui/cs-params-panel.h"
#include "ui/cs-window.h"

static GtkApplication *app;

static gboolean
is_idle (gpointer window)
{
  return !cs_window_is_busy (window);
}

static gboolean
has_result (gpointer window)
{
  return cs_window_get_result (window) != NULL && !cs_window_is_busy (window);
}

/* Waits for the workers and lets the window commit what changed (the parameter panel's edits
 * once they pause for half a second). */
static void
settle (CsWindow *window)
{
  g_assert_true (cs_test_wait_until (is_idle, window, 30000));
  cs_test_spin (700);
  g_assert_true (cs_test_wait_until (is_idle, window, 30000));
}

static void
activate (CsWindow *window, const char *action, GVariant *parameter)
{
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), action));
  g_action_group_activate_action (G_ACTION_GROUP (window), action, parameter);
  settle (window);
}

static gboolean
enabled (CsWindow *window, const char *action)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (window), action);
}

static GtkWidget *
find_labelled (GtkWidget *root, GType type, const char *label)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      g_autofree char *differs
          = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
      if (differs == NULL)
        return root;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_labelled (c, type, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_actionable (GtkWidget *root, const char *action)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (c)), action) == 0)
        return c;
      if ((found = find_actionable (c, action)) != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The label of the item for `action` anywhere in a menu model, or NULL. */
static char *
menu_label (GMenuModel *menu, const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *a = NULL;
      g_autoptr (GMenuLinkIter) links = NULL;
      const char *name;
      GMenuModel *link;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &a) && g_str_equal (a, action))
        {
          char *label = NULL;
          g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
          return label;
        }
      links = g_menu_model_iterate_item_links (menu, i);
      while (g_menu_link_iter_get_next (links, &name, &link))
        {
          char *found = menu_label (link, action);
          g_object_unref (link);
          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

static char *
main_menu_label (CsWindow *window, const char *action)
{
  GtkWidget *button = find_labelled (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, "Main menu");

  g_assert_nonnull (button);
  return menu_label (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)), action);
}

static gint64
panel_k (CsWindow *window)
{
  g_autoptr (CsParams) p = cs_params_panel_get_params (cs_window_get_params_panel (window));

  return cs_params_get_int (p, "k");
}

static guint
scaling_item (CsWindow *window)
{
  return gtk_drop_down_get_selected (
      GTK_DROP_DOWN (find_labelled (GTK_WIDGET (window), GTK_TYPE_DROP_DOWN, "Scaling")));
}

static void
assert_undo_label (CsWindow *window, gboolean redo, const char *expected)
{
  const char *label = NULL;

  g_assert_true (cs_window_get_undo_label (window, redo, &label) == (expected != NULL));
  g_assert_cmpstr (label, ==, expected);
  g_assert_true (enabled (window, redo ? "redo" : "undo") == (expected != NULL));
}

/* Change k, change the scaling, open another sample: undo three times gives back each state
 * before (the very dataset, the panel's values, the result that was on screen, the selection),
 * redo three times each state after; a new change after an undo drops what could be redone. */
static void
test_undo_redo_three (void)
{
  CsWindow *window = cs_window_new (app);
  CsParamsPanel *panel = cs_window_get_params_panel (window);
  GtkSpinButton *k_spin;
  GtkDropDown *scaling;
  CsDataset *iris;
  CsDataset *wine;
  const CsPipelineResult *result;
  const gsize selected[] = { 3, 4, 40 };
  const gsize *sel;
  gsize n_sel;
  g_autofree char *item = NULL;

  gtk_window_present (GTK_WINDOW (window));
  cs_window_open_sample (window, "iris");
  settle (window);
  g_assert_true (cs_window_select_algorithm (window, "kmeans"));
  settle (window);
  iris = cs_window_get_dataset (window);
  g_assert_cmpuint (iris->n_rows, ==, 150);
  g_assert_cmpint (panel_k (window), ==, 3);
  g_assert_false (enabled (window, "undo"));
  g_assert_false (enabled (window, "redo"));
  item = main_menu_label (window, "win.undo");
  g_assert_cmpstr (item, ==, "_Undo");
  g_clear_pointer (&item, g_free);

  activate (window, "run", NULL);
  g_assert_true (cs_test_wait_until (has_result, window, 30000));
  result = cs_window_get_result (window);
  g_assert_cmpuint (result->clustering->k, ==, 3);
  cs_window_set_selection (window, selected, G_N_ELEMENTS (selected));

  /* k: 4, then 5 before the panel's edits pause, is one step. */
  k_spin = GTK_SPIN_BUTTON (cs_params_panel_get_control (panel, "k"));
  gtk_spin_button_set_value (k_spin, 4);
  cs_test_spin (50);
  gtk_spin_button_set_value (k_spin, 5);
  settle (window);
  assert_undo_label (window, FALSE, "Change k to 5");
  item = main_menu_label (window, "win.undo");
  g_assert_cmpstr (item, ==, "_Undo Change k to 5");
  g_clear_pointer (&item, g_free);
  /* A result stays until the next run. */
  g_assert_true (cs_window_get_result (window) == result);

  scaling = GTK_DROP_DOWN (find_labelled (GTK_WIDGET (window), GTK_TYPE_DROP_DOWN, "Scaling"));
  g_assert_cmpuint (gtk_drop_down_get_selected (scaling), ==, 0);
  gtk_drop_down_set_selected (scaling, 2);
  settle (window);
  assert_undo_label (window, FALSE, "Change Scaling to Standardise");

  cs_window_open_sample (window, "wine");
  settle (window);
  wine = cs_window_get_dataset (window);
  g_assert_true (wine != iris);
  g_assert_null (cs_window_get_result (window));
  cs_window_get_selection (window, &n_sel);
  g_assert_cmpuint (n_sel, ==, 0);
  {
    g_autofree char *expected = g_strdup_printf ("Open %s", wine->name);
    assert_undo_label (window, FALSE, expected);
  }
  assert_undo_label (window, TRUE, NULL);

  /* Undo × 3 */
  activate (window, "undo", NULL);
  g_assert_true (cs_window_get_dataset (window) == iris);
  g_assert_cmpuint (cs_window_get_dataset (window)->n_rows, ==, 150);
  g_assert_cmpint (panel_k (window), ==, 5);
  g_assert_cmpuint (scaling_item (window), ==, 2);
  g_assert_true (cs_window_get_result (window) == result);
  sel = cs_window_get_selection (window, &n_sel);
  g_assert_cmpmem (sel, n_sel * sizeof (gsize), selected, sizeof selected);
  {
    g_autofree char *expected = g_strdup_printf ("Open %s", wine->name);
    assert_undo_label (window, TRUE, expected);
  }
  g_assert_nonnull (strstr (cs_window_get_status_text (window), "Undone: Open"));

  activate (window, "undo", NULL);
  g_assert_true (cs_window_get_dataset (window) == iris);
  g_assert_cmpint (panel_k (window), ==, 5);
  g_assert_cmpuint (scaling_item (window), ==, 0);
  g_assert_true (cs_window_get_result (window) == result);
  assert_undo_label (window, FALSE, "Change k to 5");
  assert_undo_label (window, TRUE, "Change Scaling to Standardise");

  activate (window, "undo", NULL);
  g_assert_cmpint (panel_k (window), ==, 3);
  g_assert_cmpuint (scaling_item (window), ==, 0);
  g_assert_true (cs_window_get_result (window) == result);
  assert_undo_label (window, FALSE, NULL);
  assert_undo_label (window, TRUE, "Change k to 5");
  item = main_menu_label (window, "win.redo");
  g_assert_cmpstr (item, ==, "_Redo Change k to 5");
  g_clear_pointer (&item, g_free);

  /* Redo × 3 */
  activate (window, "redo", NULL);
  g_assert_cmpint (panel_k (window), ==, 5);
  g_assert_cmpuint (scaling_item (window), ==, 0);
  activate (window, "redo", NULL);
  g_assert_cmpint (panel_k (window), ==, 5);
  g_assert_cmpuint (scaling_item (window), ==, 2);
  g_assert_true (cs_window_get_dataset (window) == iris);
  activate (window, "redo", NULL);
  g_assert_true (cs_window_get_dataset (window) == wine);
  g_assert_cmpuint (cs_window_get_dataset (window)->n_rows, ==, wine->n_rows);
  g_assert_null (cs_window_get_result (window));
  assert_undo_label (window, TRUE, NULL);

  /* A new change after an undo: nothing left to redo. */
  activate (window, "undo", NULL);
  g_assert_true (cs_window_get_dataset (window) == iris);
  g_assert_true (enabled (window, "redo"));
  gtk_spin_button_set_value (k_spin, 7);
  settle (window);
  assert_undo_label (window, FALSE, "Change k to 7");
  assert_undo_label (window, TRUE, NULL);
  activate (window, "undo", NULL);
  g_assert_cmpint (panel_k (window), ==, 5);
  g_assert_true (cs_window_get_dataset (window) == iris);

  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (50);
}

/* Every kind of change has its step and its words, and Undo undoes an edit still pending (the
 * panel's pause not over yet). The drawing tools' Undo button says what it undoes. */
static void
test_labels_and_pending (void)
{
  CsWindow *window = cs_window_new (app);
  CsParamsPanel *panel = cs_window_get_params_panel (window);
  GtkWidget *missing;
  GtkWidget *undo_button;

  gtk_window_present (GTK_WINDOW (window));
  cs_window_open_sample (window, "iris");
  settle (window);
  g_assert_true (cs_window_select_algorithm (window, "kmeans"));
  settle (window);

  g_assert_true (cs_window_select_algorithm (window, "gmm"));
  settle (window);
  {
    const char *label = NULL;
    g_assert_true (cs_window_get_undo_label (window, FALSE, &label));
    g_assert_true (g_str_has_prefix (label, "Change Algorithm to "));
  }
  missing = find_labelled (GTK_WIDGET (window), GTK_TYPE_DROP_DOWN, "Missing values");
  g_assert_nonnull (missing);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (missing), 1);
  settle (window);
  assert_undo_label (window, FALSE, "Fill Missing Values with Means");
  activate (window, "undo", NULL);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (missing)), ==, 0);

  /* An edit inside the pause: Undo takes it back at once. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (cs_params_panel_get_control (panel, "k")), 6);
  g_assert_true (enabled (window, "undo"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "undo", NULL);
  g_assert_cmpint (panel_k (window), ==, 3);
  assert_undo_label (window, TRUE, "Change k to 6");
  settle (window);

  undo_button = find_actionable (GTK_WIDGET (window), "win.undo");
  g_assert_nonnull (undo_button);
  {
    const char *label = NULL;
    g_autofree char *name = NULL;

    g_assert_true (cs_window_get_undo_label (window, FALSE, &label));
    name = g_strdup_printf ("Undo %s", label);
    gtk_test_accessible_assert_property (undo_button, GTK_ACCESSIBLE_PROPERTY_LABEL, name);
  }
  gtk_test_accessible_assert_property (find_actionable (GTK_WIDGET (window), "win.redo"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Redo Change k to 6");

  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (50);
}

static gboolean
dataset_is_not (gpointer data)
{
  gpointer *d = data;

  return !cs_window_is_busy (d[0]) && cs_window_get_dataset (d[0]) != d[1];
}

/* The live generator replaces the data as its sliders move: the whole visit is one step, and
 * undo goes back to the data before it. A drawing's empty canvas comes back too. */
static void
test_generator_one_step (void)
{
  CsWindow *window = cs_window_new (app);
  GtkWidget *dialog;
  CsDataset *iris;
  CsDataset *first;
  CsDataset *last;
  gpointer wait[2];

  gtk_window_present (GTK_WINDOW (window));
  cs_window_open_sample (window, "iris");
  settle (window);
  iris = cs_window_get_dataset (window);

  g_action_group_activate_action (G_ACTION_GROUP (window), "generate-data", NULL);
  dialog = cs_window_get_generate_window (window);
  g_assert_nonnull (dialog);
  wait[0] = window;
  wait[1] = iris;
  g_assert_true (cs_test_wait_until (dataset_is_not, wait, 20000));
  settle (window);
  first = cs_window_get_dataset (window);
  assert_undo_label (window, FALSE, "Generate Data");
  gtk_range_set_value (GTK_RANGE (find_labelled (dialog, GTK_TYPE_RANGE, "Number of points")), 300);
  wait[1] = first;
  g_assert_true (cs_test_wait_until (dataset_is_not, wait, 20000));
  settle (window);
  gtk_range_set_value (GTK_RANGE (find_labelled (dialog, GTK_TYPE_RANGE, "Separation")), 2.0);
  wait[1] = cs_window_get_dataset (window);
  g_assert_true (cs_test_wait_until (dataset_is_not, wait, 20000));
  settle (window);
  last = cs_window_get_dataset (window);
  g_assert_cmpuint (last->n_rows, ==, 300);
  gtk_window_destroy (GTK_WINDOW (dialog));
  cs_test_spin (20);

  assert_undo_label (window, FALSE, "Generate Data");
  activate (window, "undo", NULL);
  g_assert_true (cs_window_get_dataset (window) == iris);
  assert_undo_label (window, FALSE, NULL);
  activate (window, "redo", NULL);
  g_assert_true (cs_window_get_dataset (window) == last);

  /* New Drawing, one point, undo: the empty canvas, then the generated data again. */
  activate (window, "new-drawing", NULL);
  g_assert_cmpuint (cs_window_get_dataset (window)->n_rows, ==, 0);
  assert_undo_label (window, FALSE, "New Drawing");
  {
    CsDataset *empty = cs_window_get_dataset (window);
    CsPlotView *view = cs_window_get_plot_view (window);

    cs_plot_view_tool_press (view, gtk_widget_get_width (GTK_WIDGET (view)) / 2.0,
                             gtk_widget_get_height (GTK_WIDGET (view)) / 2.0, GDK_BUTTON_PRIMARY);
    cs_plot_view_tool_release (view);
    settle (window);
    g_assert_cmpuint (cs_window_get_dataset (window)->n_rows, ==, 1);
    assert_undo_label (window, FALSE, "Add a Point");
    activate (window, "undo", NULL);
    g_assert_true (cs_window_get_dataset (window) == empty);
    g_assert_nonnull (cs_plot_view_get_model (view));
    g_assert_cmpuint (cs_plot_view_get_model (view)->n, ==, 0);
    activate (window, "undo", NULL);
    g_assert_true (cs_window_get_dataset (window) == last);
  }
  g_action_group_change_action_state (G_ACTION_GROUP (window), "draw-points", g_variant_new_boolean (FALSE));
  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (50);
}

/* HDF5 data in a session: the matrix chosen in the dialog is saved and reopened without asking,
 * the selection comes back, and Copy as Command gives a command (with --dataset) whose labels
 * are the window's. */

static GtkWindow *
find_picker (void)
{
  GListModel *tops = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GtkWindow) w = g_list_model_get_item (tops, i);
      if (g_strcmp0 (gtk_window_get_title (w), "Choose a Dataset") == 0 && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

static gboolean
picker_shown (gpointer data)
{
  return find_picker () != NULL;
}

static GtkWidget *
find_button (GtkWidget *root, const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
clipboard_text_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  char **text = data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), res, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
text_arrived (gpointer data)
{
  return *(char **)data != NULL;
}

static void
test_session_hdf5_selection (void)
{
  CsWindow *window = cs_window_new (app);
  g_autofree char *h5 = g_test_build_filename (G_TEST_DIST, "fixtures", "formats", "iris.h5", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (h5);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-undo-XXXXXX", &error);
  g_autofree char *session = g_build_filename (dir, "h5.clusterscope", NULL);
  g_autofree char *command = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree int *labels = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  const gsize selected[] = { 0, 2, 51, 149 };
  GtkSelectionModel *model;
  GtkWindow *picker;
  JsonArray *cli_labels;
  const gsize *sel;
  gsize n_sel;
  gsize n;
  int status = 0;

  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  cs_window_open_file (window, file);
  g_assert_true (cs_test_wait_until (picker_shown, NULL, 10000));
  picker = find_picker ();
  model = gtk_column_view_get_model (GTK_COLUMN_VIEW (find_type (GTK_WIDGET (picker), GTK_TYPE_COLUMN_VIEW)));
  gtk_selection_model_select_item (model, 1, TRUE);
  g_signal_emit_by_name (find_button (GTK_WIDGET (picker), "_Open"), "clicked");
  settle (window);
  g_assert_cmpstr (cs_window_get_dataset (window)->name, ==, "iris.h5:/measurements/petals_int");
  g_assert_cmpstr (cs_window_get_dataset (window)->hdf5_object, ==, "/measurements/petals_int");

  g_assert_true (cs_window_select_algorithm (window, "kmeans"));
  activate (window, "run", NULL);
  g_assert_true (cs_test_wait_until (has_result, window, 30000));
  n = cs_window_get_result (window)->clustering->n;
  labels = g_memdup2 (cs_window_get_result (window)->clustering->labels, n * sizeof (int));
  cs_window_set_selection (window, selected, G_N_ELEMENTS (selected));

  /* Copy as Command: the CLI, given the same matrix, gives the same labels. */
  activate (window, "copy-command", NULL);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL, clipboard_text_cb, &command);
  g_assert_true (cs_test_wait_until (text_arrived, &command, 10000));
  g_test_message ("copied: %s", command);
  g_assert_true (g_str_has_prefix (command, "clusterscope-cli cluster "));
  g_assert_nonnull (strstr (command, " --dataset /measurements/petals_int "));
  {
    g_autofree char *cmd = g_strconcat (g_getenv ("CS_CLI"), command + strlen ("clusterscope-cli"), NULL);

    g_assert_true (g_spawn_sync (NULL, (char *[]) { "/bin/sh", "-c", cmd, NULL }, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                 &out, &err, &status, &error));
    g_assert_no_error (error);
    if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
      g_error ("‘%s’ failed: %s", cmd, err);
  }
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  cli_labels = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "labels");
  g_assert_cmpuint (json_array_get_length (cli_labels), ==, n);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpint (json_array_get_int_element (cli_labels, (guint)i), ==, labels[i]);

  activate (window, "save-session-to", g_variant_new_string (session));
  g_assert_null (cs_window_get_error_text (window));
  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (50);

  /* A fresh window: no dialog, the same matrix, result and selection. */
  window = cs_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-session-path", g_variant_new_string (session));
  g_assert_true (cs_test_wait_until (has_result, window, 30000));
  g_assert_null (find_picker ());
  g_assert_null (cs_window_get_error_text (window));
  g_assert_cmpstr (cs_window_get_dataset (window)->name, ==, "iris.h5:/measurements/petals_int");
  g_assert_cmpuint (cs_dataset_n_columns (cs_window_get_dataset (window)), ==, 2);
  g_assert_cmpmem (cs_window_get_result (window)->clustering->labels, n * sizeof (int), labels, n * sizeof (int));
  sel = cs_window_get_selection (window, &n_sel);
  g_assert_cmpmem (sel, n_sel * sizeof (gsize), selected, sizeof selected);
  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (50);

  /* A selection beyond the data (the file changed, or a hand-edited session) is not restored,
   * and the window says why. */
  {
    g_autofree char *text = NULL;
    g_auto (GStrv) parts = NULL;
    g_autofree char *edited = NULL;

    g_assert_true (g_file_get_contents (session, &text, NULL, NULL));
    parts = g_strsplit (text, "149\n", 2);
    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    edited = g_strjoin ("150\n", parts[0], parts[1], NULL);
    g_assert_true (g_file_set_contents (session, edited, -1, NULL));
  }
  window = cs_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-session-path", g_variant_new_string (session));
  g_assert_true (cs_test_wait_until (has_result, window, 30000));
  cs_window_get_selection (window, &n_sel);
  g_assert_cmpuint (n_sel, ==, 0);
  g_assert_nonnull (cs_window_get_error_text (window));
  g_test_message ("%s", cs_window_get_error_text (window));
  g_assert_nonnull (strstr (cs_window_get_error_text (window), "row 151"));
  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (50);

  g_unlink (session);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_autofree char *data_home = NULL;
  int status;

  if (!cs_test_ui_init (&argc, &argv, "org.clusterscope.Clusterscope.TestUndo", &app, &data_home))
    return 0;

  g_test_add_func ("/ui/undo/three-changes-undone-and-redone", test_undo_redo_three);
  g_test_add_func ("/ui/undo/labels-and-pending-edits", test_labels_and_pending);
  g_test_add_func ("/ui/undo/generator-visit-is-one-step", test_generator_one_step);
  g_test_add_func ("/ui/session/hdf5-matrix-and-selection", test_session_hdf5_selection);
  status = g_test_run ();
  g_object_unref (app);
  return status;
}
