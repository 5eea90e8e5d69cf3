/* What the selection becomes, in the window (issue 14): a lasso drawn through the gesture's
 * handlers selects points; Cluster Selection Only leaves exactly those rows, Exclude
 * Selection exactly the others; Label Selection as New Cluster gives them a new cluster in the
 * table and on the scatter plot; Export Selection writes them; a lasso on the density view
 * selects the points under it. Runs under Xvfb (./dev test). */

#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "test-common.h"
#include "test-ui-common.h"
#include "core/cluster/cs-pipeline.h"
#include "core/data/cs-csv.h"
#include "core/data/cs-dataset-subset.h"
#include "core/data/cs-samples.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-plot-selection.h"
#include "ui/pages/cs-density-page.h"
#include "ui/pages/cs-scatter-page.h"
#include "ui/pages/cs-table-page.h"
#include "ui/render/cs-render-density.h"

static GtkApplication *app;

static GtkWidget *find_by_label (GtkWidget *root, const char *label);

static gboolean
is_idle (gpointer window)
{
  return !cs_window_is_busy (window);
}

static CsWindow *
window_new (void)
{
  CsWindow *window = cs_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 780);
  gtk_window_present (GTK_WINDOW (window));
  cs_test_spin (50);
  return window;
}

static void
window_free (CsWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (20);
}

static void
activate (CsWindow *window, const char *action, const char *arg)
{
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), action));
  g_action_group_activate_action (G_ACTION_GROUP (window), action,
                                  arg != NULL ? g_variant_new_string (arg) : NULL);
  g_assert_true (cs_test_wait_until (is_idle, window, 30000));
  cs_test_spin (30);
}

static gboolean
plot_ready (gpointer window)
{
  GtkWidget *view = GTK_WIDGET (cs_window_get_plot_view (window));

  return !cs_window_is_busy (window) && cs_plot_view_get_model (CS_PLOT_VIEW (view)) != NULL
         && gtk_widget_get_width (view) > 300;
}

static void
load_wine (CsWindow *window)
{
  activate (window, "open-sample", "wine");
  g_assert_true (cs_test_wait_until (plot_ready, window, 30000));
  g_assert_null (cs_window_get_error_text (window));
}

/* Inside the triangle by the signs of its three edge functions: independent of the even-odd
 * test the selection uses. */
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

/* A triangle over the middle of the points' extent, in data coordinates. */
static void
triangle_over (const CsPlotModel *m, double *tx, double *ty)
{
  double       x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  const double fx[3] = { 0.15, 0.75, 0.35 };
  const double fy[3] = { 0.2, 0.3, 0.85 };

  for (gsize i = 0; i < m->n; i++)
    {
      x0 = MIN (x0, m->x[i]);
      x1 = MAX (x1, m->x[i]);
      y0 = MIN (y0, m->y[i]);
      y1 = MAX (y1, m->y[i]);
    }
  for (int v = 0; v < 3; v++)
    {
      tx[v] = x0 + fx[v] * (x1 - x0);
      ty[v] = y0 + fy[v] * (y1 - y0);
    }
}

/* The dataset rows of m's points inside the triangle, ascending. */
static GArray *
rows_inside (const CsPlotModel *m, const double *tx, const double *ty)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (gsize));

  for (gsize i = 0; i < m->n; i++)
    if (in_triangle (tx, ty, m->x[i], m->y[i]))
      {
        gsize r = m->rows != NULL ? m->rows[i] : i;
        g_array_append_val (rows, r);
      }
  g_array_sort (rows, (GCompareFunc)cs_compare_gsize);
  return rows;
}

typedef gboolean (*ToWidget) (gpointer owner, double x, double y, double *cx, double *cy);

/* Draws the triangle through the gesture's entry points, as a drag would. */
static void
draw_lasso (CsPlotSelection *lasso, ToWidget to_widget, gpointer owner, const double *tx, const double *ty)
{
  for (int v = 0; v <= 3; v++)
    {
      double cx, cy;

      g_assert_true (to_widget (owner, tx[v % 3], ty[v % 3], &cx, &cy));
      if (v == 0)
        cs_plot_selection_begin (lasso, cx, cy);
      else
        cs_plot_selection_update (lasso, cx, cy);
    }
  cs_plot_selection_end (lasso);
}

static gboolean
plot_to_widget (gpointer view, double x, double y, double *cx, double *cy)
{
  return cs_plot_view_to_widget (view, x, y, cx, cy);
}

/* Lassoes a triangle on the scatter plot; returns the rows expected inside (and checks that
 * they became the window's selection). */
static GArray *
lasso_scatter (CsWindow *window)
{
  CsScatterPage     *page = CS_SCATTER_PAGE (cs_window_get_view_page (window, "scatter"));
  CsPlotView        *view = cs_window_get_plot_view (window);
  const CsPlotModel *m = cs_plot_view_get_model (view);
  CsPlotSelection   *lasso = cs_scatter_page_get_selection (page);
  double             tx[3], ty[3];
  GArray            *expected;
  const gsize       *sel;
  gsize              n = 0;

  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "cluster-selection"));
  cs_plot_selection_set_mode (lasso, CS_PLOT_SELECTION_LASSO);
  triangle_over (m, tx, ty);
  expected = rows_inside (m, tx, ty);
  g_assert_cmpuint (expected->len, >, 5);
  g_assert_cmpuint (expected->len, <, m->n / 2);
  draw_lasso (lasso, plot_to_widget, view, tx, ty);
  cs_plot_selection_set_mode (lasso, CS_PLOT_SELECTION_OFF);
  sel = cs_window_get_selection (window, &n);
  g_assert_cmpuint (n, ==, expected->len);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpuint (sel[i], ==, g_array_index (expected, gsize, i));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "cluster-selection"));
  return expected;
}

static void
assert_rows_of (const CsDataset *sub, const CsDataset *full, const gsize *rows, gsize n)
{
  g_assert_cmpuint (sub->n_rows, ==, n);
  g_assert_cmpuint (cs_dataset_n_columns (sub), ==, cs_dataset_n_columns (full));
  for (gsize c = 0; c < cs_dataset_n_columns (full); c++)
    for (gsize i = 0; i < n; i++)
      g_assert_cmpfloat (cs_dataset_column (sub, c)->values[i], ==,
                         cs_dataset_column (full, c)->values[rows[i]]);
}

static void
test_cluster_selection_only_and_exclude (void)
{
  CsWindow *window = window_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) wine = cs_sample_load ("wine", &error);
  g_autoptr (GArray) expected = NULL;
  g_autofree char *name = NULL;
  CsDataset       *ds;

  g_assert_no_error (error);
  load_wine (window);
  expected = lasso_scatter (window);

  activate (window, "cluster-selection", NULL);
  ds = cs_window_get_dataset (window);
  assert_rows_of (ds, wine, (const gsize *)expected->data, expected->len);
  name = g_strdup_printf ("Wine · %u of 178 rows", expected->len);
  g_assert_cmpstr (ds->name, ==, name);
  {
    g_autofree char *title = g_strconcat (name, " — Clusterscope", NULL);
    g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, title);
  }
  g_assert_nonnull (strstr (cs_window_get_status_text (window), name));
  g_assert_nonnull (ds->origin);
  g_assert_cmpstr (ds->origin->source_sample, ==, "wine");
  /* A new dataset starts with nothing selected, and the actions go off. */
  {
    gsize n = 1;
    cs_window_get_selection (window, &n);
    g_assert_cmpuint (n, ==, 0);
  }
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "exclude-selection"));
  g_assert_true (cs_test_wait_until (plot_ready, window, 30000));
  g_assert_cmpuint (cs_plot_view_get_model (cs_window_get_plot_view (window))->n, ==, expected->len);

  /* The same lasso on wine again, then Exclude: the complement. */
  load_wine (window);
  g_array_unref (expected);
  expected = lasso_scatter (window);
  activate (window, "exclude-selection", NULL);
  ds = cs_window_get_dataset (window);
  {
    g_autofree gsize *rest = g_new (gsize, 178);
    gsize             n = 0;
    gsize             j = 0;

    for (gsize r = 0; r < 178; r++)
      {
        if (j < expected->len && g_array_index (expected, gsize, j) == r)
          j++;
        else
          rest[n++] = r;
      }
    assert_rows_of (ds, wine, rest, n);
  }
  window_free (window);
}

static gboolean
result_changed (gpointer data)
{
  gpointer *p = data;

  return !cs_window_is_busy (p[0]) && cs_window_get_result (p[0]) != NULL
         && cs_window_get_result (p[0]) != p[1];
}

static void
test_label_as_new_cluster (void)
{
  CsWindow *window = window_new ();
  g_autoptr (GArray) expected = NULL;
  const CsPipelineResult *before;
  const CsPipelineResult *after;
  CsParamsPanel          *panel = cs_window_get_params_panel (window);
  GtkWidget              *table = cs_window_get_view_page (window, "table");
  gpointer                wait[2];
  guint                   k;
  int                     slots[3];

  load_wine (window);
  g_assert_true (cs_window_select_algorithm (window, "kmeans"));
  {
    g_autoptr (CsParams) params = cs_params_panel_get_params (panel);
    cs_params_set_int (params, "k", 3);
    cs_params_panel_set_params (panel, params);
  }
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "label-selection"));
  activate (window, "run", NULL);
  before = cs_window_get_result (window);
  g_assert_nonnull (before);
  k = before->clustering->k;
  g_assert_cmpuint (k, ==, 3);
  g_assert_true (cs_test_wait_until (plot_ready, window, 30000));
  expected = lasso_scatter (window);
  {
    const CsPlotModel *m = cs_plot_view_get_model (cs_window_get_plot_view (window));
    g_assert_cmpuint (m->k, ==, 3);
    memcpy (slots, m->color_slot, 3 * sizeof (int));
  }

  activate (window, "label-selection", NULL);
  wait[0] = window;
  wait[1] = (gpointer)before;
  g_assert_true (cs_test_wait_until (result_changed, wait, 30000));
  after = cs_window_get_result (window);
  /* A small triangle empties no cluster: the new one is cluster 4. */
  g_assert_cmpuint (after->clustering->k, ==, k + 1);
  g_assert_nonnull (strstr (cs_window_get_status_text (window), "Edited:"));
  g_assert_nonnull (strstr (cs_window_get_status_text (window), "as cluster 4"));
  /* Every selected row and only those carry it; the others keep their cluster. */
  {
    g_autofree int *label = g_new (int, 178);
    gsize           j = 0;

    for (gsize i = 0; i < 178; i++)
      label[i] = G_MININT;
    for (gsize i = 0; i < after->clustering->n; i++)
      label[after->prep->rows[i]] = after->clustering->labels[i];
    for (gsize i = 0; i < before->clustering->n; i++)
      {
        gsize r = before->prep->rows[i];
        if (j < expected->len && g_array_index (expected, gsize, j) == r)
          {
            g_assert_cmpint (label[r], ==, (int)k);
            j++;
          }
        else
          g_assert_cmpint (label[r], ==, before->clustering->labels[i]);
      }
  }
  /* The table shows it (clusters counted from 1) ... */
  cs_page_shown (CS_PAGE (table));
  for (guint i = 0; i < expected->len; i++)
    {
      g_autofree char *text
          = cs_table_page_cell_text (CS_TABLE_PAGE (table), (guint)g_array_index (expected, gsize, i), -1);
      g_assert_cmpstr (text, ==, "4");
    }
  /* ... and so does the scatter plot, whose points are those rows. */
  g_assert_true (cs_test_wait_until (plot_ready, window, 30000));
  {
    const CsPlotModel *m = cs_plot_view_get_model (cs_window_get_plot_view (window));
    gsize              marked = 0;

    g_assert_nonnull (m->labels);
    for (gsize i = 0; i < m->n; i++)
      {
        gsize    r = m->rows != NULL ? m->rows[i] : i;
        gboolean in = FALSE;

        for (guint j = 0; j < expected->len && !in; j++)
          in = g_array_index (expected, gsize, j) == r;
        g_assert_cmpint (m->labels[i] == (int)k, ==, in);
        marked += in;
      }
    g_assert_cmpuint (marked, ==, expected->len);
    /* The old clusters keep their colours; the new one has a colour of its own. */
    for (guint j = 0; j < 3; j++)
      {
        g_assert_cmpint (m->color_slot[j], ==, slots[j]);
        g_assert_cmpint (m->color_slot[3], !=, slots[j]);
      }
  }
  window_free (window);
}

/* A right click on `target` (every secondary-button click gesture on it fires, as GTK would)
 * opens the selection's menu: a visible popover named Selection Actions under `parent`. */
static void
assert_context_menu (GtkWidget *target, GtkWidget *parent)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (target);
  GtkWidget *popover = NULL;
  guint      fired = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (c)
          && gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (c)) == GDK_BUTTON_SECONDARY)
        {
          g_signal_emit_by_name (c, "pressed", 1, 40.0, 40.0);
          fired++;
        }
    }
  g_assert_cmpuint (fired, >, 0);
  cs_test_spin (50);
  for (GtkWidget *child = gtk_widget_get_first_child (parent); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child))
      popover = child;
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (popover));
  gtk_popover_popdown (GTK_POPOVER (popover));
}

static void
test_export_selection (void)
{
  CsWindow *window = window_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) expected = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-selection-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "picked.csv", NULL);
  g_autoptr (CsDataset) wine = cs_sample_load ("wine", &error);
  g_autoptr (CsDataset) back = NULL;
  int row_col;

  g_assert_no_error (error);
  load_wine (window);
  expected = lasso_scatter (window);
  activate (window, "export-selection-to", path);
  g_assert_null (cs_window_get_error_text (window));
  back = cs_dataset_load_csv (path, NULL, NULL, &error);
  g_assert_no_error (error);
  /* One line per selected row: its number and every value, exactly. */
  g_assert_cmpuint (back->n_rows, ==, expected->len);
  row_col = cs_dataset_find_column (back, "row");
  g_assert_cmpint (row_col, >=, 0);
  for (gsize i = 0; i < back->n_rows; i++)
    {
      gsize r = g_array_index (expected, gsize, i);

      g_assert_cmpfloat (cs_dataset_column (back, row_col)->values[i], ==, (double)r);
      for (gsize c = 0; c < cs_dataset_n_columns (wine); c++)
        {
          const CsColumn *src = cs_dataset_column (wine, c);
          int             bc = cs_dataset_find_column (back, src->name);

          g_assert_cmpint (bc, >=, 0);
          if (src->kind == CS_COLUMN_NUMERIC && cs_dataset_column (back, bc)->kind == CS_COLUMN_NUMERIC)
            g_assert_cmpfloat (cs_dataset_column (back, bc)->values[i], ==, src->values[r]);
        }
    }
  g_unlink (path);
  g_rmdir (dir);

  /* The same actions on a right click, on the scatter plot and in the table. */
  {
    GtkWidget *plot = GTK_WIDGET (cs_window_get_plot_view (window));
    GtkWidget *table = cs_window_get_view_page (window, "table");

    assert_context_menu (plot, gtk_widget_get_parent (plot));
    activate (window, "show-view", "table");
    assert_context_menu (find_by_label (table, "Data Rows"), table);
  }
  window_free (window);
}

static gboolean
density_ready (gpointer page)
{
  GtkWidget *view = g_object_get_data (G_OBJECT (page), "test-view");

  return cs_figure_view_get_model (CS_FIGURE_VIEW (view)) != NULL && gtk_widget_get_width (view) > 300;
}

static GtkWidget *
find_by_label (GtkWidget *root, const char *label)
{
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      g_autofree char *mismatch
          = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
      if (mismatch == NULL)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_label (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
density_to_widget (gpointer view, double x, double y, double *cx, double *cy)
{
  const CsDensityModel *m = cs_figure_view_get_model (view);
  CsDensityLayout       layout;

  cs_render_density_layout (m, gtk_widget_get_width (view), gtk_widget_get_height (view), &layout);
  cs_render_density_point (m, &layout, x, y, cx, cy);
  return TRUE;
}

/* Each view that selects has a Selection menu with every action, by the names users (and
 * screen readers) know them by, each bound to the window's action. */
static void
assert_selection_menu (GtkWidget *page, CsWindow *window)
{
  static const char *const names[] = { "Export Selection", "Cluster Selection Only", "Exclude Selection",
                                       "Label Selection as New Cluster", "Clear Selection" };
  static const char *const actions[]
      = { "win.export-selection", "win.cluster-selection", "win.exclude-selection", "win.label-selection",
          "win.clear-selection" };
  GtkWidget  *button = find_by_label (page, "Selection Actions");
  GMenuModel *menu;
  guint       found = 0;

  g_assert_true (GTK_IS_MENU_BUTTON (button));
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_assert_nonnull (menu);
  for (int sec = 0; sec < g_menu_model_get_n_items (menu); sec++)
    {
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, sec, G_MENU_LINK_SECTION);

      for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *label = NULL;
          g_autofree char *action = NULL;

          g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
          g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
          g_assert_cmpstr (label, ==, names[found]);
          g_assert_cmpstr (action, ==, actions[found]);
          g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), action + 4));
          found++;
        }
    }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (names));
}

static void
test_density_lasso (void)
{
  CsWindow          *window = window_new ();
  GtkWidget         *page;
  GtkWidget         *view;
  GtkWidget         *lasso_button;
  CsPlotSelection   *lasso;
  const CsPlotModel *m;
  double             tx[3], ty[3];
  g_autoptr (GArray) expected = NULL;
  const gsize *sel;
  gsize        n = 0;

  load_wine (window);
  assert_selection_menu (cs_window_get_view_page (window, "scatter"), window);
  assert_selection_menu (cs_window_get_view_page (window, "table"), window);
  assert_selection_menu (cs_window_get_view_page (window, "density"), window);
  activate (window, "show-view", "density");
  page = cs_window_get_view_page (window, "density");
  view = find_by_label (page, "Density plot");
  g_assert_nonnull (view);
  g_object_set_data (G_OBJECT (page), "test-view", view);
  g_assert_true (cs_test_wait_until (density_ready, page, 30000));
  lasso = cs_density_page_get_selection (CS_DENSITY_PAGE (page));
  lasso_button = find_by_label (page, "Lasso Select");
  g_assert_nonnull (lasso_button);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (lasso_button), TRUE);
  g_assert_cmpint (cs_plot_selection_get_mode (lasso), ==, CS_PLOT_SELECTION_LASSO);

  /* The surface is of the scatter's points, in the same coordinates. */
  m = cs_plot_view_get_model (cs_window_get_plot_view (window));
  triangle_over (m, tx, ty);
  expected = rows_inside (m, tx, ty);
  g_assert_cmpuint (expected->len, >, 5);
  draw_lasso (lasso, density_to_widget, view, tx, ty);
  sel = cs_window_get_selection (window, &n);
  g_assert_cmpuint (n, ==, expected->len);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpuint (sel[i], ==, g_array_index (expected, gsize, i));
  /* Every view shows it: the scatter marks the same points. */
  m = cs_plot_view_get_model (cs_window_get_plot_view (window));
  g_assert_nonnull (m->selected);
  {
    gsize marked = 0;
    for (gsize i = 0; i < m->n; i++)
      marked += m->selected[i];
    g_assert_cmpuint (marked, ==, expected->len);
  }
  /* A rectangle over the whole frame selects every point on the surface's extent. */
  {
    const CsDensityModel *dm = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
    CsDensityLayout       layout;
    gsize                 on_extent = 0;
    const CsDensityGrid  *g = dm->surface->grid;

    cs_render_density_layout (dm, gtk_widget_get_width (view), gtk_widget_get_height (view), &layout);
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_by_label (page, "Rectangle Select")), TRUE);
    g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (lasso_button)));
    cs_plot_selection_begin (lasso, layout.frame.x, layout.frame.y);
    cs_plot_selection_update (lasso, layout.frame.x + layout.frame.width,
                              layout.frame.y + layout.frame.height);
    cs_plot_selection_end (lasso);
    for (gsize i = 0; i < m->n; i++)
      on_extent += m->x[i] >= g->x_min && m->x[i] <= g->x_max && m->y[i] >= g->y_min && m->y[i] <= g->y_max;
    sel = cs_window_get_selection (window, &n);
    g_assert_cmpuint (n, ==, on_extent);
    g_assert_cmpuint (n, ==, m->n);
  }
  activate (window, "clear-selection", NULL);
  cs_window_get_selection (window, &n);
  g_assert_cmpuint (n, ==, 0);
  window_free (window);
}

int
main (int argc, char **argv)
{
  g_autofree char *data_home = NULL;
  int              rc;

  if (!cs_test_ui_init (&argc, &argv, "org.clusterscope.TestSelection", &app, &data_home))
    return 0;
  g_test_add_func ("/ui/selection/cluster-selection-only-and-exclude",
                   test_cluster_selection_only_and_exclude);
  g_test_add_func ("/ui/selection/label-as-new-cluster", test_label_as_new_cluster);
  g_test_add_func ("/ui/selection/export-selection", test_export_selection);
  g_test_add_func ("/ui/selection/density-lasso", test_density_lasso);
  rc = g_test_run ();
  g_object_unref (app);
  {
    g_autofree char *xbel = g_build_filename (data_home, "recently-used.xbel", NULL);

    g_unlink (xbel);
    g_rmdir (data_home);
  }
  return rc;
}
