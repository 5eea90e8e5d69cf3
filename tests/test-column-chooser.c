/* The column chooser: a summary line, All / None / Numeric, search, and a list that stays
 * cheap and short however many columns there are. Runs under Xvfb (./dev test). */

#include <gtk/gtk.h>
#include <string.h>

#include "ui/widgets/cs-column-chooser.h"

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* n_numeric columns "px0", "px1", …, then a categorical "colour" (with 3 missing values) and a
 * label column "class". */
static CsDataset *
wide_dataset (guint n_numeric)
{
  const gsize        n_rows = 4;
  CsDataset         *ds = cs_dataset_new ("wide", n_rows);
  const int          colours[] = { 0, -1, -1, -1 };
  const int          classes[] = { 0, 1, 0, 1 };
  const char *const  colour_names[] = { "red" };
  const char *const  class_names[] = { "a", "b" };

  for (guint c = 0; c < n_numeric; c++)
    {
      g_autofree char *name = g_strdup_printf ("px%u", c);
      double          *values = g_new (double, n_rows);

      for (gsize i = 0; i < n_rows; i++)
        values[i] = c + i;
      cs_dataset_add_numeric (ds, name, values);
    }
  cs_dataset_add_categorical (ds, "colour", colours, colour_names, 1);
  cs_dataset_add_categorical (ds, "class", classes, class_names, 2);
  ds->label_column = (int)n_numeric + 1;
  return ds;
}

static void
count_changed_cb (CsColumnChooser *chooser, guint *count)
{
  (*count)++;
}

static guint
count_checks (GtkWidget *widget)
{
  guint n = GTK_IS_CHECK_BUTTON (widget);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_checks (c);
  return n;
}

static GtkWidget *
find_named_check (GtkWidget *widget, const char *column)
{
  if (GTK_IS_CHECK_BUTTON (widget))
    {
      GtkWidget *name = gtk_widget_get_next_sibling (widget);

      if (GTK_IS_LABEL (name) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (name)), column) == 0)
        return widget;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named_check (c, column);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static int
natural_height (GtkWidget *widget, int width)
{
  int minimum = 0;
  int natural = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, width, &minimum, &natural, NULL, NULL);
  return natural;
}

static void
test_choices_and_summary (void)
{
  CsDataset *ds = wide_dataset (2000);
  GtkWidget *chooser = g_object_ref_sink (cs_column_chooser_new ());
  CsColumnChooser *cc = CS_COLUMN_CHOOSER (chooser);
  guint      changed = 0;
  g_autoptr (GArray) chosen = NULL;

  g_signal_connect (chooser, "changed", G_CALLBACK (count_changed_cb), &changed);
  cs_column_chooser_set_dataset (cc, ds);
  g_assert_cmpuint (changed, ==, 0);
  g_assert_cmpuint (cs_column_chooser_get_n_columns (cc), ==, 2002);

  /* By default the numeric columns, not the categorical one, never the label; counts grouped. */
  g_assert_cmpuint (cs_column_chooser_get_n_chosen (cc), ==, 2000);
  g_assert_cmpstr (cs_column_chooser_get_summary (cc), ==, "2,000 of 2,001 columns · label ‘class’");
  chosen = cs_column_chooser_get_chosen (cc);
  g_assert_cmpuint (chosen->len, ==, 2000);
  for (guint i = 0; i < chosen->len; i++)
    g_assert_cmpint (g_array_index (chosen, int, i), ==, (int)i);
  g_clear_pointer (&chosen, g_array_unref);
  /* A long list starts collapsed. */
  g_assert_false (cs_column_chooser_get_expanded (cc));

  /* Each button is one change, however many columns it touches. */
  cs_column_chooser_choose (cc, CS_COLUMN_CHOOSE_NONE);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (cs_column_chooser_get_n_chosen (cc), ==, 0);
  g_assert_cmpstr (cs_column_chooser_get_summary (cc), ==, "0 of 2,001 columns · label ‘class’");

  cs_column_chooser_choose (cc, CS_COLUMN_CHOOSE_ALL);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpuint (cs_column_chooser_get_n_chosen (cc), ==, 2001);
  chosen = cs_column_chooser_get_chosen (cc);
  g_assert_cmpint (g_array_index (chosen, int, 2000), ==, 2000); /* colour */
  g_clear_pointer (&chosen, g_array_unref);

  cs_column_chooser_choose (cc, CS_COLUMN_CHOOSE_NUMERIC);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpuint (cs_column_chooser_get_n_chosen (cc), ==, 2000);
  /* Nothing to change: no signal. */
  cs_column_chooser_choose (cc, CS_COLUMN_CHOOSE_NUMERIC);
  g_assert_cmpuint (changed, ==, 3);

  /* One column at a time; the label column cannot be chosen. */
  g_assert_true (cs_column_chooser_set_column_chosen (cc, 7, FALSE));
  g_assert_cmpuint (changed, ==, 4);
  g_assert_cmpuint (cs_column_chooser_get_n_chosen (cc), ==, 1999);
  g_assert_false (cs_column_chooser_set_column_chosen (cc, 2001, TRUE));
  g_assert_false (cs_column_chooser_set_column_chosen (cc, 5000, TRUE));
  g_assert_cmpuint (changed, ==, 4);

  /* Search by substring, ignoring case: px19, px190–px199, px1900–px1999. */
  cs_column_chooser_set_search (cc, "PX19");
  g_assert_cmpuint (cs_column_chooser_get_n_shown (cc), ==, 111);
  cs_column_chooser_set_search (cc, "nothing like it");
  g_assert_cmpuint (cs_column_chooser_get_n_shown (cc), ==, 0);
  cs_column_chooser_set_search (cc, NULL);
  g_assert_cmpuint (cs_column_chooser_get_n_shown (cc), ==, 2002);
  /* Searching does not change the choice; All / None / Numeric apply to what it shows. */
  g_assert_cmpuint (cs_column_chooser_get_n_chosen (cc), ==, 1999);
  cs_column_chooser_set_search (cc, "px19");
  cs_column_chooser_choose (cc, CS_COLUMN_CHOOSE_NONE);
  g_assert_cmpuint (changed, ==, 5);
  g_assert_cmpuint (cs_column_chooser_get_n_chosen (cc), ==, 1999 - 111);
  cs_column_chooser_set_search (cc, "o");
  g_assert_cmpuint (cs_column_chooser_get_n_shown (cc), ==, 1); /* colour; not "class" */
  cs_column_chooser_choose (cc, CS_COLUMN_CHOOSE_ALL);
  g_assert_cmpuint (cs_column_chooser_get_n_chosen (cc), ==, 1999 - 111 + 1);
  cs_column_chooser_set_search (cc, NULL);
  cs_column_chooser_choose (cc, CS_COLUMN_CHOOSE_NUMERIC);
  g_assert_cmpuint (cs_column_chooser_get_n_chosen (cc), ==, 2000);

  /* A new dataset: its own default choice, no signal. A short list starts open. */
  {
    CsDataset *small = wide_dataset (4);

    cs_column_chooser_set_dataset (cc, small);
    g_assert_cmpuint (changed, ==, 7);
    g_assert_cmpstr (cs_column_chooser_get_summary (cc), ==, "4 of 5 columns · label ‘class’");
    g_assert_true (cs_column_chooser_get_expanded (cc));
    cs_dataset_unref (small);
  }
  cs_column_chooser_set_dataset (cc, NULL);
  g_assert_cmpuint (cs_column_chooser_get_n_columns (cc), ==, 0);
  g_assert_cmpstr (cs_column_chooser_get_summary (cc), ==, "No columns");

  g_object_unref (chooser);
  cs_dataset_unref (ds);
}

static void
test_short_and_lazy_in_a_window (void)
{
  CsDataset *ds = wide_dataset (2000);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chooser = cs_column_chooser_new ();
  CsColumnChooser *cc = CS_COLUMN_CHOOSER (chooser);
  guint      changed = 0;
  int        collapsed;
  int        expanded;
  GtkWidget *check;

  gtk_window_set_default_size (GTK_WINDOW (window), 300, 700);
  gtk_window_set_child (GTK_WINDOW (window), chooser);
  g_signal_connect (chooser, "changed", G_CALLBACK (count_changed_cb), &changed);
  cs_column_chooser_set_dataset (cc, ds);
  gtk_window_present (GTK_WINDOW (window));
  spin (100);

  /* Collapsed, it is one line, not 2,002 rows. */
  g_assert_false (cs_column_chooser_get_expanded (cc));
  collapsed = natural_height (chooser, 300);
  g_test_message ("collapsed: %d px", collapsed);
  g_assert_cmpint (collapsed, <, 60);

  /* Open, it is bounded by the list's scrolled height, and only rows near the screen exist (GTK
   * 4.8's list view keeps up to a couple of hundred). */
  cs_column_chooser_set_expanded (cc, TRUE);
  spin (100);
  expanded = natural_height (chooser, 300);
  g_test_message ("expanded: %d px, %u check boxes for 2,002 columns", expanded, count_checks (chooser));
  g_assert_cmpint (expanded, <, 420);
  g_assert_cmpuint (count_checks (chooser), <, 300);
  g_assert_cmpuint (count_checks (chooser), >, 3);

  /* A click on a row's check box is one change; the label's box cannot be clicked. */
  check = find_named_check (chooser, "px1");
  g_assert_nonnull (check);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_widget_activate (check);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (cs_column_chooser_get_n_chosen (cc), ==, 1999);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  /* All updates the rows on screen. */
  cs_column_chooser_choose (cc, CS_COLUMN_CHOOSE_ALL);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));

  cs_column_chooser_set_search (cc, "class");
  spin (50);
  check = find_named_check (chooser, "class");
  g_assert_nonnull (check);
  g_assert_false (gtk_widget_get_sensitive (check));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));

  gtk_window_destroy (GTK_WINDOW (window));
  spin (20);
  cs_dataset_unref (ds);
}

int
main (int argc, char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/column-chooser/choices-summary-search", test_choices_and_summary);
  g_test_add_func ("/ui/column-chooser/short-and-lazy-in-a-window", test_short_and_lazy_in_a_window);
  return g_test_run ();
}
