/* The data table page (order, filter, cluster column, selection) and the scatter page's lasso
 * and rectangle selection, driven through the gesture's handlers with known canvas
 * coordinates. Runs under Xvfb. */
#include <gtk/gtk.h>
#include "test-common.h"
#include <math.h>
#include <string.h>

#include "core/base/cs-format.h"
#include "cs-resources.h"
#include "core/cluster/cs-pipeline.h"
#include "core/data/cs-samples.h"
#include "ui/cs-plot-selection.h"
#include "ui/pages/cs-scatter-page.h"
#include "ui/pages/cs-table-page.h"
#include "ui/render/cs-render.h"

/* Not in the window's stack, the page is never "on screen": it computes when told it is
 * shown, which a late "search-changed" (the entry waits for typing to pause) calls for again. */
static gboolean
table_idle (gpointer page)
{
  cs_page_shown (page);
  return !cs_table_page_is_busy (page);
}

static GtkWidget *
find_by_label (GtkWidget *root, const char *label)
{
  /* The accessible label set in the template is what screen readers and AT-SPI tests see. */
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      g_autofree char *mismatch
          = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
      if (mismatch == NULL)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_label (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
show_in_window (GtkWidget *page)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static gboolean
laid_out (gpointer widget)
{
  return gtk_widget_get_width (widget) > 200 && gtk_widget_get_height (widget) > 200;
}

static CsPageResult *
labels_result (CsDataset *ds, const int *labels, guint k)
{
  CsPipelineOptions  options;
  g_autoptr (GError) error = NULL;
  CsPipelineResult  *r;

  cs_pipeline_options_init (&options);
  r = cs_pipeline_run_labels (ds, &options, labels, k, NULL, &error);
  g_assert_no_error (error);
  return cs_page_result_new (r);
}

static void
test_table_sort_filter (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("wine", &error);
  GtkWidget       *page = g_object_new (CS_TYPE_TABLE_PAGE, NULL);
  GtkWidget       *window = show_in_window (page);
  GtkWidget       *sort = find_by_label (page, "Sort By");
  GtkWidget       *descending = find_by_label (page, "Sort Descending");
  GtkWidget       *filter = find_by_label (page, "Filter Rows");
  const guint     *order;
  guint            n;
  int              col = cs_dataset_find_column (ds, "alcohol");
  const CsColumn  *alcohol;
  g_autofree int  *labels = g_new (int, ds->n_rows);
  CsPageResult    *result;
  guint            expected = 0;

  g_assert_no_error (error);
  g_assert_nonnull (sort);
  g_assert_nonnull (descending);
  g_assert_nonnull (filter);
  g_assert_cmpint (col, >=, 0);
  alcohol = cs_dataset_column (ds, (gsize) col);

  /* GtkStack is not the parent here: the page computes as soon as it is asked. */
  cs_page_set_dataset (CS_PAGE (page), ds);
  cs_page_shown (CS_PAGE (page));
  g_assert_true (cs_test_wait_until (table_idle, page, 20000));
  order = cs_table_page_get_order (CS_TABLE_PAGE (page), &n);
  g_assert_cmpuint (n, ==, ds->n_rows);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (order[i], ==, i);

  /* Sort by a column, largest first: the keys never rise, ties in row order. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sort), (guint) col + 2);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (descending), TRUE);
  cs_page_shown (CS_PAGE (page));
  g_assert_true (cs_test_wait_until (table_idle, page, 20000));
  order = cs_table_page_get_order (CS_TABLE_PAGE (page), &n);
  g_assert_cmpuint (n, ==, ds->n_rows);
  for (guint i = 1; i < n; i++)
    {
      g_assert_cmpfloat (alcohol->values[order[i - 1]], >=, alcohol->values[order[i]]);
      if (alcohol->values[order[i - 1]] == alcohol->values[order[i]])
        g_assert_cmpuint (order[i - 1], <, order[i]);
    }

  /* The cluster column: "—" before a result; rows dropped by preparation keep it. Clusters
   * counted from 1, noise as "Noise". */
  {
    g_autofree char *text = cs_table_page_cell_text (CS_TABLE_PAGE (page), 0, -1);
    g_assert_cmpstr (text, ==, "—");
  }
  for (gsize i = 0; i < ds->n_rows; i++)
    labels[i] = i % 7 == 0 ? -1 : (int) (i % 3);
  result = labels_result (ds, labels, 3);
  cs_page_set_result (CS_PAGE (page), result);
  {
    g_autofree char *noise = cs_table_page_cell_text (CS_TABLE_PAGE (page), 0, -1);
    g_autofree char *one = cs_table_page_cell_text (CS_TABLE_PAGE (page), 1, -1);
    g_autofree char *row = cs_table_page_cell_text (CS_TABLE_PAGE (page), 1, -2);
    g_assert_cmpstr (noise, ==, "Noise");
    g_assert_cmpstr (one, ==, "2");
    g_assert_cmpstr (row, ==, "2");
  }
  cs_page_result_unref (result);

  /* Filter: exactly the rows with a cell containing the text, against a scan of every cell's
   * text. */
  gtk_editable_set_text (GTK_EDITABLE (filter), "13.2");
  g_signal_emit_by_name (filter, "search-changed");
  cs_page_shown (CS_PAGE (page));
  g_assert_true (cs_test_wait_until (table_idle, page, 20000));
  for (guint r = 0; r < ds->n_rows; r++)
    {
      gboolean hit = FALSE;
      for (int c = -2; c < (int) cs_dataset_n_columns (ds) && !hit; c++)
        {
          g_autofree char *text = cs_table_page_cell_text (CS_TABLE_PAGE (page), r, c);
          hit = strstr (text, "13.2") != NULL;
        }
      expected += hit;
    }
  order = cs_table_page_get_order (CS_TABLE_PAGE (page), &n);
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (expected, <, ds->n_rows);
  g_assert_cmpuint (n, ==, expected);
  for (guint i = 1; i < n; i++)
    g_assert_cmpfloat (alcohol->values[order[i - 1]], >=, alcohol->values[order[i]]);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A click on a header sorts by that column (a second one reverses it), and the Sort By
 * drop-down and Sort Descending follow; the drop-down moves the headers' sort indicator. GTK
 * 4.8 gives no way to click a header from code, so the header's own path is taken:
 * gtk_column_view_sort_by_column, which is what a click changes. */
static void
test_table_header_sort (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("wine", &error);
  GtkWidget       *page = g_object_new (CS_TYPE_TABLE_PAGE, NULL);
  GtkWidget       *window = show_in_window (page);
  GtkWidget       *sort = find_by_label (page, "Sort By");
  GtkWidget       *descending = find_by_label (page, "Sort Descending");
  GtkWidget       *view = find_by_label (page, "Data Rows");
  GListModel      *columns;
  int              col = cs_dataset_find_column (ds, "proline");
  const CsColumn  *proline;
  const guint     *order;
  guint            n;

  g_assert_no_error (error);
  g_assert_cmpint (col, >=, 0);
  proline = cs_dataset_column (ds, (gsize) col);
  cs_page_set_dataset (CS_PAGE (page), ds);
  cs_page_shown (CS_PAGE (page));
  g_assert_true (cs_test_wait_until (table_idle, page, 20000));
  columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (view));
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, cs_dataset_n_columns (ds) + 2);

  /* proline's header, largest first. */
  {
    g_autoptr (GtkColumnViewColumn) c = g_list_model_get_item (columns, (guint) col + 2);

    g_assert_nonnull (gtk_column_view_column_get_sorter (c));
    gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (view), c, GTK_SORT_DESCENDING);
  }
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (sort)), ==, (guint) col + 2);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (descending)));
  cs_page_shown (CS_PAGE (page));
  g_assert_true (cs_test_wait_until (table_idle, page, 20000));
  order = cs_table_page_get_order (CS_TABLE_PAGE (page), &n);
  g_assert_cmpuint (n, ==, ds->n_rows);
  for (guint i = 1; i < n; i++)
    g_assert_cmpfloat (proline->values[order[i - 1]], >=, proline->values[order[i]]);

  /* The Cluster header, ascending: no result yet, every key missing, so row order. */
  {
    g_autoptr (GtkColumnViewColumn) c = g_list_model_get_item (columns, 1);
    gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (view), c, GTK_SORT_ASCENDING);
  }
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (sort)), ==, 1);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (descending)));

  /* The drop-down back to proline, ascending: the header follows and the rows rise. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sort), (guint) col + 2);
  cs_page_shown (CS_PAGE (page));
  g_assert_true (cs_test_wait_until (table_idle, page, 20000));
  order = cs_table_page_get_order (CS_TABLE_PAGE (page), &n);
  for (guint i = 1; i < n; i++)
    g_assert_cmpfloat (proline->values[order[i - 1]], <=, proline->values[order[i]]);
  /* Toggling Sort Descending is what a second click on the same header does. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (descending), TRUE);
  cs_page_shown (CS_PAGE (page));
  g_assert_true (cs_test_wait_until (table_idle, page, 20000));
  order = cs_table_page_get_order (CS_TABLE_PAGE (page), &n);
  for (guint i = 1; i < n; i++)
    g_assert_cmpfloat (proline->values[order[i - 1]], >=, proline->values[order[i]]);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
clipboard_text_cb (GObject *clipboard, GAsyncResult *res, gpointer data)
{
  char **text = data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (clipboard), res, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
have_text (gpointer data)
{
  return *(char **) data != NULL;
}

static gboolean
clipboard_set (gpointer widget)
{
  return gdk_clipboard_get_content (gtk_widget_get_clipboard (widget)) != NULL;
}

/* Numbers as written (the shortest exact text) when short, else 6 significant digits; whole
 * numbers whole. Ctrl+C copies the selected rows with the exact values. */
static void
test_table_number_format (void)
{
  g_autoptr (CsDataset) ds = cs_dataset_new ("numbers", 6);
  double          *v = g_new (double, 6);
  GtkWidget       *page = g_object_new (CS_TYPE_TABLE_PAGE, NULL);
  GtkWidget       *window = show_in_window (page);
  const char      *expect[] = { "14.23", "0.3", "0.333333", "1234567890123", "-2.5e-07", "" };

  v[0] = 14.23;
  v[1] = 0.1 + 0.2; /* 0.30000000000000004 */
  v[2] = 1.0 / 3.0;
  v[3] = 1234567890123.0;
  v[4] = -2.5e-7;
  v[5] = NAN;
  cs_dataset_add_numeric (ds, "x", v);
  cs_page_set_dataset (CS_PAGE (page), ds);
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *text = cs_table_page_cell_text (CS_TABLE_PAGE (page), i, 0);
      g_assert_cmpstr (text, ==, expect[i]);
    }
  {
    const gsize      rows[] = { 1, 2 };
    g_autofree char *copied = NULL;

    cs_page_set_selection (CS_PAGE (page), rows, 2);
    g_assert_true (gtk_widget_activate_action (page, "table.copy", NULL));
    g_assert_true (cs_test_wait_until (clipboard_set, page, 20000));
    gdk_clipboard_read_text_async (gtk_widget_get_clipboard (page), NULL, clipboard_text_cb, &copied);
    g_assert_true (cs_test_wait_until (have_text, &copied, 20000));
    g_assert_cmpstr (copied, ==, "row,x\n1,0.30000000000000004\n2,0.3333333333333333\n");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Inside the triangle (a, b, c) by signs of the three edge functions: an independent
 * check of the even-odd polygon test on a convex shape. */
static gboolean
in_triangle (const double *tx, const double *ty, double x, double y)
{
  double d[3];

  for (int e = 0; e < 3; e++)
    {
      int f = (e + 1) % 3;
      d[e] = (tx[f] - tx[e]) * (y - ty[e]) - (ty[f] - ty[e]) * (x - tx[e]);
    }
  return (d[0] > 0 && d[1] > 0 && d[2] > 0) || (d[0] < 0 && d[1] < 0 && d[2] < 0);
}

typedef struct
{
  gsize *rows;
  gsize  n;
  guint  calls;
} Selection;

static void
select_rows_cb (CsPage *page, gpointer rows, guint64 n, Selection *s)
{
  g_free (s->rows);
  s->rows = n > 0 ? g_memdup2 (rows, n * sizeof (gsize)) : NULL;
  s->n = (gsize) n;
  s->calls++;
}

static void
test_lasso_selects_inside_and_table_shows_them (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_dataset_new ("grid", 400);
  double           *gx = g_new (double, 400);
  double           *gy = g_new (double, 400);
  GtkWidget        *scatter = g_object_new (CS_TYPE_SCATTER_PAGE, NULL);
  GtkWidget        *window = show_in_window (scatter);
  CsPlotView       *view = cs_scatter_page_get_plot_view (CS_SCATTER_PAGE (scatter));
  CsPlotSelection  *lasso = cs_scatter_page_get_selection (CS_SCATTER_PAGE (scatter));
  GtkWidget        *lasso_button = find_by_label (scatter, "Lasso Select");
  GtkWidget        *rectangle_button = find_by_label (scatter, "Rectangle Select");
  const CsPlotModel *m;
  CsRect            frame;
  Selection         s = { NULL, 0, 0 };
  /* A triangle in data coordinates, vertices off the grid so no point is on an edge. */
  const double      tx[3] = { 1.3, 17.7, 4.1 };
  const double      ty[3] = { 2.2, 6.6, 16.9 };
  g_autofree gsize *expected = g_new (gsize, 400);
  gsize             n_expected = 0;
  GtkWidget        *table;
  GtkWidget        *table_window;
  g_autoptr (GtkBitset) bits = NULL;
  GtkSelectionModel *model;
  const guint      *order;
  guint             n_order;

  /* A 20 × 20 grid of points at integer coordinates; the plot maps the rows through m->rows
   * to dataset rows, here 1:1. */
  for (guint i = 0; i < 400; i++)
    {
      gx[i] = i % 20;
      gy[i] = i / 20;
    }
  cs_dataset_add_numeric (ds, "x", gx);
  cs_dataset_add_numeric (ds, "y", gy);
  {
    CsPlotModel *pm = cs_plot_model_new ();
    cs_plot_model_set_points (pm, 400, cs_dataset_column (ds, 0)->values, cs_dataset_column (ds, 1)->values, NULL);
    cs_plot_view_set_model (view, pm, ds);
  }
  g_assert_true (cs_test_wait_until (laid_out, view, 20000));
  g_signal_connect (scatter, "select-rows", G_CALLBACK (select_rows_cb), &s);
  g_assert_nonnull (lasso_button);
  g_assert_nonnull (rectangle_button);

  /* The toggles set the mode, and at most one is on. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (rectangle_button), TRUE);
  g_assert_cmpint (cs_plot_selection_get_mode (lasso), ==, CS_PLOT_SELECTION_RECTANGLE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (lasso_button), TRUE);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (rectangle_button)));
  g_assert_cmpint (cs_plot_selection_get_mode (lasso), ==, CS_PLOT_SELECTION_LASSO);

  /* Draw the triangle as a lasso through the gesture's handlers, in canvas coordinates. */
  m = cs_plot_view_get_model (view);
  cs_render_scatter_layout (m, gtk_widget_get_width (GTK_WIDGET (view)), gtk_widget_get_height (GTK_WIDGET (view)),
                            &frame);
  for (int v = 0; v <= 3; v++)
    {
      double cx, cy;
      cs_plot_data_to_canvas (m, &frame, tx[v % 3], ty[v % 3], &cx, &cy);
      if (v == 0)
        cs_plot_selection_begin (lasso, cx, cy);
      else
        cs_plot_selection_update (lasso, cx, cy);
    }
  cs_plot_selection_end (lasso);

  for (gsize i = 0; i < 400; i++)
    if (in_triangle (tx, ty, gx[i], gy[i]))
      expected[n_expected++] = i;
  g_assert_cmpuint (s.calls, ==, 1);
  g_assert_cmpuint (n_expected, >, 50);
  g_assert_cmpuint (s.n, ==, n_expected);
  /* The canvas round trip is exact to rounding, and no grid point lies within rounding of
   * an edge, so the sets are equal. */
  for (gsize i = 0; i < n_expected; i++)
    g_assert_cmpuint (s.rows[i], ==, expected[i]);

  /* The window shares the selection with every page: the scatter marks its points, the
   * table selects the same rows. */
  cs_page_set_selection (CS_PAGE (scatter), s.rows, s.n);
  m = cs_plot_view_get_model (view);
  g_assert_nonnull (m->selected);
  for (gsize i = 0; i < 400; i++)
    g_assert_cmpint (m->selected[i], ==, in_triangle (tx, ty, gx[i], gy[i]));

  table = g_object_new (CS_TYPE_TABLE_PAGE, NULL);
  table_window = show_in_window (table);
  cs_page_set_dataset (CS_PAGE (table), ds);
  g_signal_connect (table, "select-rows", G_CALLBACK (select_rows_cb), &s);
  cs_page_shown (CS_PAGE (table));
  g_assert_true (cs_test_wait_until (table_idle, table, 20000));
  cs_page_set_selection (CS_PAGE (table), s.rows, s.n);
  model = gtk_column_view_get_model (GTK_COLUMN_VIEW (find_by_label (table, "Data Rows")));
  bits = gtk_selection_model_get_selection (model);
  order = cs_table_page_get_order (CS_TABLE_PAGE (table), &n_order);
  g_assert_cmpuint (gtk_bitset_get_size (bits), ==, n_expected);
  for (gsize i = 0; i < n_expected; i++)
    g_assert_true (gtk_bitset_contains (bits, (guint) expected[i]) && order[expected[i]] == expected[i]);

  /* A rectangle from (2.5, 3.5) to (6.5, 5.5) in data coordinates: x 3…6, y 4…5. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (rectangle_button), TRUE);
  {
    double cx0, cy0, cx1, cy1;
    cs_plot_data_to_canvas (m, &frame, 2.5, 3.5, &cx0, &cy0);
    cs_plot_data_to_canvas (m, &frame, 6.5, 5.5, &cx1, &cy1);
    cs_plot_selection_begin (lasso, cx0, cy0);
    cs_plot_selection_update (lasso, (cx0 + cx1) / 2, cy1);
    cs_plot_selection_update (lasso, cx1, cy1);
    cs_plot_selection_end (lasso);
  }
  g_assert_cmpuint (s.n, ==, 8);
  for (gsize i = 0; i < s.n; i++)
    {
      g_assert_cmpfloat (gx[s.rows[i]], >=, 3);
      g_assert_cmpfloat (gx[s.rows[i]], <=, 6);
      g_assert_cmpfloat (gy[s.rows[i]], >=, 4);
      g_assert_cmpfloat (gy[s.rows[i]], <=, 5);
    }

  /* The user's selection in the table is reported as dataset rows. */
  gtk_selection_model_select_range (model, 10, 3, TRUE);
  g_assert_cmpuint (s.n, ==, 3);
  g_assert_cmpuint (s.rows[0], ==, order[10]);
  g_assert_cmpuint (s.rows[2], ==, order[12]);

  g_free (s.rows);
  gtk_window_destroy (GTK_WINDOW (table_window));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A concave polygon (a U) by the even-odd rule: the notch is outside. */
static void
test_polygon_even_odd (void)
{
  CsPlotModel *m = cs_plot_model_new ();
  const double vx[] = { 0, 3, 3, 2, 2, 1, 1, 0 };
  const double vy[] = { 0, 0, 3, 3, 1, 1, 3, 3 };
  const double px[] = { 0.5, 1.5, 2.5, 1.5, 1.5, 4.0 };
  const double py[] = { 2.0, 2.0, 2.0, 0.5, 3.5, 0.5 };
  gsize        n = 0;
  g_autofree gsize *rows = NULL;

  cs_plot_model_set_points (m, 6, px, py, NULL);
  rows = cs_plot_selection_rows_in_polygon (m, vx, vy, 8, &n);
  /* In an arm, in the notch (out), in the other arm, in the base, above, right of it. */
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (rows[0], ==, 0);
  g_assert_cmpuint (rows[1], ==, 2);
  g_assert_cmpuint (rows[2], ==, 3);
  cs_plot_model_free (m);
}

int
main (int argc, char **argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }
  /* The templates are in the UI library's resource bundle, linked in only when referenced. */
  (void) cs_get_resource ();
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/table/sort-and-filter", test_table_sort_filter);
  g_test_add_func ("/ui/table/lasso-selects-inside-and-table-shows-them", test_lasso_selects_inside_and_table_shows_them);
  g_test_add_func ("/ui/table/polygon-even-odd", test_polygon_even_odd);
  g_test_add_func ("/ui/table/header-click-sorts", test_table_header_sort);
  g_test_add_func ("/ui/table/number-format", test_table_number_format);
  return g_test_run ();
}
