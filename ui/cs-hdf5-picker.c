#include "ui/cs-hdf5-picker.h"

#include "core/base/cs-format.h"
#include "core/data/cs-hdf5.h"

/* GTK 4.8 has no GtkAlertDialog: a small GtkWindow with a GtkColumnView of the file's
 * matrices. Rows are GtkStringObjects holding each entry's index into `entries`. */

typedef struct
{
  GPtrArray       *entries; /* Owned, CsHdf5Entry* copies */
  GtkSingleSelection *selection;
  CsHdf5PickedFunc picked;
  gpointer         user_data;
  GDestroyNotify   destroy;
  gboolean         answered;
} Picker;

static void
picker_free (gpointer p)
{
  Picker *picker = p;

  g_ptr_array_unref (picker->entries);
  if (picker->destroy)
    picker->destroy (picker->user_data);
  g_free (picker);
}

static void
answer (GtkWidget  *window,
        const char *object)
{
  Picker *picker = g_object_get_data (G_OBJECT (window), "cs-picker");

  if (picker == NULL || picker->answered)
    return;
  picker->answered = TRUE;
  picker->picked (object, picker->user_data);
  gtk_window_destroy (GTK_WINDOW (window));
}

static const CsHdf5Entry *
selected_entry (Picker *picker)
{
  GtkStringObject *item = gtk_single_selection_get_selected_item (picker->selection);
  guint64 i;

  if (item == NULL || !g_ascii_string_to_unsigned (gtk_string_object_get_string (item), 10, 0,
                                                   picker->entries->len - 1, &i, NULL))
    return NULL;
  return g_ptr_array_index (picker->entries, i);
}

static void
open_clicked_cb (GtkButton *button,
                 GtkWidget *window)
{
  Picker *picker = g_object_get_data (G_OBJECT (window), "cs-picker");
  const CsHdf5Entry *e = selected_entry (picker);

  if (e != NULL)
    answer (window, e->path);
}

static void
cancel_clicked_cb (GtkButton *button,
                   GtkWidget *window)
{
  answer (window, NULL);
}

static gboolean
close_request_cb (GtkWindow *window,
                  gpointer   unused)
{
  Picker *picker = g_object_get_data (G_OBJECT (window), "cs-picker");

  if (picker != NULL && !picker->answered)
    {
      picker->answered = TRUE;
      picker->picked (NULL, picker->user_data);
    }
  return FALSE;
}

static void
activate_cb (GtkColumnView *view,
             guint          position,
             GtkWidget     *window)
{
  open_clicked_cb (NULL, window);
}

typedef enum
{
  COL_PATH,
  COL_ROWS,
  COL_COLS,
  COL_TYPE,
} Column;

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  column)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_INT (column) == COL_ROWS || GPOINTER_TO_INT (column)
                                                                                        == COL_COLS ? 1.0 : 0.0);
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  column)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  GtkStringObject *obj = gtk_list_item_get_item (item);
  GPtrArray *entries = g_object_get_data (G_OBJECT (factory), "cs-entries");
  guint64 i = 0;
  const CsHdf5Entry *e;
  g_autofree char *text = NULL;

  if (!g_ascii_string_to_unsigned (gtk_string_object_get_string (obj), 10, 0, entries->len - 1, &i, NULL))
    return;
  e = g_ptr_array_index (entries, i);
  switch (GPOINTER_TO_INT (column))
    {
    case COL_PATH:
      text = cs_format_excerpt (e->path, -1, 80);
      break;
    case COL_ROWS:
      text = cs_format_count (e->rows);
      break;
    case COL_COLS:
      text = cs_format_count (e->cols);
      break;
    case COL_TYPE:
      text = g_strdup_printf ("%s%s", e->type ? e->type : "numbers", e->sparse ? ", sparse (CSR)" : "");
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_label_set_text (GTK_LABEL (label), text);
}

static void
add_column (GtkColumnView *view,
            GPtrArray     *entries,
            const char    *title,
            Column         column,
            gboolean       expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;

  g_object_set_data (G_OBJECT (factory), "cs-entries", entries);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_append_column (view, col);
  g_object_unref (col);
}

GtkWidget *
cs_hdf5_picker_show (GtkWindow       *parent,
                     const char      *file_name,
                     GPtrArray       *entries,
                     CsHdf5PickedFunc picked,
                     gpointer         user_data,
                     GDestroyNotify   destroy)
{
  Picker *picker = g_new0 (Picker, 1);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *intro;
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *cancel = gtk_button_new_with_mnemonic ("_Cancel");
  GtkWidget *open = gtk_button_new_with_mnemonic ("_Open");
  GtkStringList *rows = gtk_string_list_new (NULL);
  GtkWidget *view;
  g_autofree char *shown = cs_format_excerpt (file_name, -1, 60);
  g_autofree char *text = NULL;

  g_return_val_if_fail (entries != NULL && picked != NULL, NULL);

  picker->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_hdf5_entry_free);
  for (guint i = 0; i < entries->len; i++)
    {
      const CsHdf5Entry *e = g_ptr_array_index (entries, i);
      CsHdf5Entry *copy = g_new0 (CsHdf5Entry, 1);
      char index[24];

      *copy = *e;
      copy->path = g_strdup (e->path);
      copy->type = g_strdup (e->type);
      g_ptr_array_add (picker->entries, copy);
      g_snprintf (index, sizeof index, "%u", i);
      gtk_string_list_append (rows, index);
    }
  picker->picked = picked;
  picker->user_data = user_data;
  picker->destroy = destroy;
  g_object_set_data_full (G_OBJECT (window), "cs-picker", picker, picker_free);

  gtk_window_set_title (GTK_WINDOW (window), "Choose a Dataset");
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 360);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);

  text = g_strdup_printf ("%s holds %u matrices. Choose the one whose rows are the points to cluster.", shown,
                          entries->len);
  intro = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_box_append (GTK_BOX (box), intro);

  picker->selection = gtk_single_selection_new (G_LIST_MODEL (rows));
  view = gtk_column_view_new (GTK_SELECTION_MODEL (picker->selection));
  add_column (GTK_COLUMN_VIEW (view), picker->entries, "Dataset", COL_PATH, TRUE);
  add_column (GTK_COLUMN_VIEW (view), picker->entries, "Rows", COL_ROWS, FALSE);
  add_column (GTK_COLUMN_VIEW (view), picker->entries, "Columns", COL_COLS, FALSE);
  add_column (GTK_COLUMN_VIEW (view), picker->entries, "Type", COL_TYPE, FALSE);
  gtk_column_view_set_show_row_separators (GTK_COLUMN_VIEW (view), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Matrices in the file, with their rows and columns; choose one to open", -1);
  g_signal_connect (view, "activate", G_CALLBACK (activate_cb), window);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_accessible_update_property (GTK_ACCESSIBLE (cancel), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Cancel: open no dataset from this file", -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Open the chosen dataset", -1);
  gtk_widget_add_css_class (open, "suggested-action");
  g_signal_connect (cancel, "clicked", G_CALLBACK (cancel_clicked_cb), window);
  g_signal_connect (open, "clicked", G_CALLBACK (open_clicked_cb), window);
  gtk_box_append (GTK_BOX (buttons), cancel);
  gtk_box_append (GTK_BOX (buttons), open);
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_widget (GTK_WINDOW (window), open);
  g_signal_connect (window, "close-request", G_CALLBACK (close_request_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_grab_focus (view);
  return window;
}
