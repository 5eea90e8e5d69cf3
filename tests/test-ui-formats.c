/* The window opens every data format (issue 14): an SPSS file through the same path as a CSV,
 * and an HDF5 file with several matrices through the dialog that lists them. Runs under Xvfb. */

#include <gtk/gtk.h>
#include <string.h>

#include "test-common.h"
#include "test-ui-common.h"
#include "ui/cs-window.h"

static GtkApplication *app;

static gboolean
window_idle (gpointer data)
{
  return !cs_window_is_busy (data);
}

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
find_widget (GtkWidget *root,
             GType      type,
             const char *button_label)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type)
      && (button_label == NULL || g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), button_label) == 0))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, type, button_label);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_label (c, text);
      if (found)
        return found;
    }
  return NULL;
}

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "formats", name, NULL);
}

static void
test_open_sav (void)
{
  CsWindow *window = cs_window_new (app);
  g_autofree char *path = fixture ("iris.sav");
  g_autoptr (GFile) file = g_file_new_for_path (path);
  CsDataset *ds;

  gtk_window_present (GTK_WINDOW (window));
  cs_window_open_file (window, file);
  g_assert_true (cs_test_wait_until (window_idle, window, 10000));
  g_assert_null (cs_window_get_error_text (window));
  ds = cs_window_get_dataset (window);
  g_assert_nonnull (ds);
  g_assert_cmpuint (ds->n_rows, ==, 150);
  g_assert_cmpstr (cs_dataset_column (ds, ds->label_column)->name, ==, "species");

  /* The column list shows the SPSS variable label: on the name's tooltip and as the check
   * box's accessible description. */
  cs_test_spin (100);
  {
    GtkWidget *name = find_label (GTK_WIDGET (window), "sepal_length");
    GtkWidget *check;

    g_assert_nonnull (name);
    check = gtk_widget_get_prev_sibling (name);
    g_assert_true (GTK_IS_CHECK_BUTTON (check));
    g_assert_cmpstr (gtk_widget_get_tooltip_text (name), ==, "sepal_length — Sepal length (cm)");
    gtk_test_accessible_assert_property (check, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                         "Sepal length (cm) — Include this column in the analysis");
    name = find_label (GTK_WIDGET (window), "sepal_width");
    g_assert_cmpstr (gtk_widget_get_tooltip_text (name), ==, "sepal_width");
  }
  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (20);
}

static void
test_hdf5_picker (void)
{
  CsWindow *window = cs_window_new (app);
  g_autofree char *path = fixture ("iris.h5");
  g_autoptr (GFile) file = g_file_new_for_path (path);
  GtkWindow *picker;
  GtkWidget *view;
  GtkWidget *open;
  GtkWidget *cancel;
  GtkSelectionModel *model;
  CsDataset *ds;

  gtk_window_present (GTK_WINDOW (window));
  cs_window_open_file (window, file);
  g_assert_true (cs_test_wait_until (picker_shown, NULL, 10000));
  picker = find_picker ();
  g_assert_true (gtk_window_get_modal (picker));
  g_assert_true (gtk_window_get_transient_for (picker) == GTK_WINDOW (window));
  g_assert_false (cs_window_has_dataset (window));

  view = find_widget (GTK_WIDGET (picker), GTK_TYPE_COLUMN_VIEW, NULL);
  open = find_widget (GTK_WIDGET (picker), GTK_TYPE_BUTTON, "_Open");
  cancel = find_widget (GTK_WIDGET (picker), GTK_TYPE_BUTTON, "_Cancel");
  g_assert_nonnull (view);
  g_assert_nonnull (open);
  g_assert_nonnull (cancel);
  gtk_test_accessible_assert_property (view, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Matrices in the file, with their rows and columns; choose one to open");
  gtk_test_accessible_assert_property (open, GTK_ACCESSIBLE_PROPERTY_LABEL, "Open the chosen dataset");
  gtk_test_accessible_assert_property (cancel, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Cancel: open no dataset from this file");

  /* Two matrices listed; choose the second (150 × 2 integers). */
  model = gtk_column_view_get_model (GTK_COLUMN_VIEW (view));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  gtk_selection_model_select_item (model, 1, TRUE);
  g_signal_emit_by_name (open, "clicked");
  g_assert_true (cs_test_wait_until (window_idle, window, 10000));
  cs_test_spin (20);
  g_assert_null (find_picker ());
  ds = cs_window_get_dataset (window);
  g_assert_nonnull (ds);
  g_assert_cmpuint (ds->n_rows, ==, 150);
  g_assert_cmpuint (ds->columns->len, ==, 2);
  g_assert_cmpstr (ds->name, ==, "iris.h5:/measurements/petals_int");
  g_assert_cmpfloat (cs_dataset_column (ds, 0)->values[0], ==, 14); /* petal length 1.4 cm × 10 */

  /* Cancel leaves the dataset as it was. */
  cs_window_open_file (window, file);
  g_assert_true (cs_test_wait_until (picker_shown, NULL, 10000));
  picker = find_picker ();
  cancel = find_widget (GTK_WIDGET (picker), GTK_TYPE_BUTTON, "_Cancel");
  g_signal_emit_by_name (cancel, "clicked");
  cs_test_spin (50);
  g_assert_null (find_picker ());
  g_assert_true (cs_window_get_dataset (window) == ds);
  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (20);
}

int
main (int argc, char *argv[])
{
  g_autofree char *data_home = NULL;
  int              status;

  if (!cs_test_ui_init (&argc, &argv, "org.clusterscope.Clusterscope.TestFormats", &app, &data_home))
    return 0;

  g_test_add_func ("/ui/formats/open-sav", test_open_sav);
  g_test_add_func ("/ui/formats/hdf5-picker-lists-and-opens", test_hdf5_picker);
  status = g_test_run ();
  g_object_unref (app);
  return status;
}
