/* Teaching in the window: drawing points (clicks land at the data coordinates the plot's
 * transform gives, zoomed, panned and in presenter mode; the brush adds its count; the eraser
 * removes exactly the points within its radius; undo and redo restore the datasets exactly),
 * placed k-means centres, the live generator, hide/reveal and presenter mode, all through the
 * window's actions and the plot view's gesture entry points. Runs under Xvfb (./dev test). */

#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "test-common.h"
#include "app/cs-application.h"
#include "core/cluster/cs-registry.h"
#include "ui/cs-window.h"
#include "ui/render/cs-render.h"
#include "ui/render/cs-render-style.h"

static CsApplication *app;

static gboolean
is_idle (gpointer window)
{
  return !cs_window_is_busy (window);
}

static CsWindow *
new_window (void)
{
  CsWindow *window;

  g_application_activate (G_APPLICATION (app));
  cs_test_spin (50);
  window = CS_WINDOW (gtk_application_get_windows (GTK_APPLICATION (app))->data);
  return window;
}

static void
close_all_windows (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  cs_test_spin (30);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
}

static void
activate (CsWindow *window, const char *action)
{
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), action));
  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
  g_assert_true (cs_test_wait_until (is_idle, window, 20000));
  cs_test_spin (20);
}

static void
set_state (CsWindow *window, const char *action, gboolean value)
{
  g_action_group_change_action_state (G_ACTION_GROUP (window), action, g_variant_new_boolean (value));
  g_assert_true (cs_test_wait_until (is_idle, window, 20000));
  cs_test_spin (20);
}

static gboolean
get_state (CsWindow *window, const char *action)
{
  g_autoptr (GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), action);
  return g_variant_get_boolean (state);
}

static gboolean
has_model (gpointer window)
{
  return !cs_window_is_busy (window) && cs_plot_view_get_model (cs_window_get_plot_view (window)) != NULL
         && gtk_widget_get_width (GTK_WIDGET (cs_window_get_plot_view (window))) > 0;
}

static void
wait_model (CsWindow *window)
{
  g_assert_true (cs_test_wait_until (has_model, window, 20000));
  cs_test_spin (30);
}

/* Where widget point (fx, fy) of the plot frame, as fractions of its width and height from
 * its top-left corner, is: the frame comes from the renderer's own layout at the view's
 * scale, and its corners are the visible range's corners, so the data point follows from the
 * range alone. */
static void
frame_point (CsPlotView *view, double fx, double fy, double *wx, double *wy, double *dx, double *dy)
{
  const CsPlotModel *m = cs_plot_view_get_model (view);
  double             s = cs_plot_view_get_scale (view);
  CsRect             f;

  cs_render_scatter_layout (m, gtk_widget_get_width (GTK_WIDGET (view)) / s,
                            gtk_widget_get_height (GTK_WIDGET (view)) / s, &f);
  *wx = s * (f.x + fx * f.width);
  *wy = s * (f.y + fy * f.height);
  *dx = m->x_min + fx * (m->x_max - m->x_min);
  *dy = m->y_max - fy * (m->y_max - m->y_min);
}

static void
click (CsWindow *window, double wx, double wy, guint button)
{
  CsPlotView *view = cs_window_get_plot_view (window);

  cs_plot_view_tool_press (view, wx, wy, button);
  cs_plot_view_tool_release (view);
  wait_model (window);
}

static const double *
column (CsWindow *window, guint c)
{
  return cs_dataset_column (cs_window_get_dataset (window), c)->values;
}

static CsWindow *
new_drawing (void)
{
  CsWindow *window = new_window ();

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  activate (window, "new-drawing");
  wait_model (window);
  g_assert_true (get_state (window, "draw-points"));
  g_assert_cmpuint (cs_window_get_dataset (window)->n_rows, ==, 0);
  return window;
}

/* Clicks at known places of the frame add rows at the data coordinates of those places, also
 * after zooming and panning, and in presenter mode. */
static void
test_click_adds_point_at_data_coordinates (void)
{
  CsWindow   *window = new_drawing ();
  CsPlotView *view = cs_window_get_plot_view (window);
  const double where[][2] = { { 0.5, 0.5 }, { 0.1, 0.9 }, { 0.8, 0.25 }, { 0.33, 0.66 } };
  gsize       n = 0;

  for (int pass = 0; pass < 3; pass++)
    {
      if (pass == 1)
        {
          /* Zoomed in around an off-centre point, then panned by a drag in plain mode. */
          cs_plot_view_zoom (view, 300, 250, 2.5);
        }
      if (pass == 2)
        {
          set_state (window, "presenter-mode", TRUE);
          g_assert_cmpfloat (cs_plot_view_get_scale (view), ==, CS_STYLE_PRESENTER_SCALE);
          wait_model (window);
        }
      for (gsize i = 0; i < G_N_ELEMENTS (where); i++)
        {
          double wx, wy, dx, dy;

          frame_point (view, where[i][0], where[i][1], &wx, &wy, &dx, &dy);
          click (window, wx, wy, GDK_BUTTON_PRIMARY);
          n++;
          g_assert_cmpuint (cs_window_get_dataset (window)->n_rows, ==, n);
          g_assert_cmpfloat (fabs (column (window, 0)[n - 1] - dx), <=, 1e-9 * MAX (1.0, fabs (dx)));
          g_assert_cmpfloat (fabs (column (window, 1)[n - 1] - dy), <=, 1e-9 * MAX (1.0, fabs (dy)));
          /* The class drawn (class 1) is in the label column. */
          g_assert_cmpfloat (column (window, 2)[n - 1], ==, 0.0);
        }
      if (pass == 0)
        {
          /* The frame's centre of an empty drawing is the middle of its fixed range. */
          g_assert_cmpfloat (fabs (column (window, 0)[0] - 0.0), <, 1e-9);
          g_assert_cmpfloat (fabs (column (window, 1)[0] - 0.0), <, 1e-9);
        }
    }
  set_state (window, "presenter-mode", FALSE);
  close_all_windows ();
}

/* A drag sprays one dab of per_dab points each time the pointer has moved half the brush
 * radius, every point within the radius of its dab's centre; the stroke is one undo step. */
static void
test_brush_adds_count (void)
{
  CsWindow   *window = new_drawing ();
  CsPlotView *view = cs_window_get_plot_view (window);
  const CsDataset *before;
  double      wx, wy, dx, dy;
  const double radius = 20.0;
  const guint per_dab = 5;
  const int   steps = 7;

  cs_plot_view_set_brush (view, radius, per_dab);
  frame_point (view, 0.3, 0.5, &wx, &wy, &dx, &dy);
  click (window, wx, wy, GDK_BUTTON_PRIMARY); /* something to undo back to */
  before = cs_window_get_dataset (window);

  cs_plot_view_tool_press (view, wx, wy, GDK_BUTTON_PRIMARY);
  /* Moves shorter than radius / 2 spray nothing; each further step of radius / 2 + 1 one dab. */
  cs_plot_view_tool_drag (view, wx + radius / 4, wy);
  for (int i = 1; i <= steps; i++)
    cs_plot_view_tool_drag (view, wx + i * (radius / 2 + 1), wy);
  /* Nothing changes until the stroke ends. */
  g_assert_true (cs_window_get_dataset (window) == before);
  cs_plot_view_tool_release (view);
  wait_model (window);

  g_assert_cmpuint (cs_window_get_dataset (window)->n_rows, ==, 1 + 1 + steps * per_dab);
  for (gsize r = 2; r < cs_window_get_dataset (window)->n_rows; r++)
    {
      int    dab = (int)((r - 2) / per_dab) + 1;
      double px, py;

      g_assert_true (cs_plot_view_to_widget (view, column (window, 0)[r], column (window, 1)[r], &px, &py));
      g_assert_cmpfloat (hypot (px - (wx + dab * (radius / 2 + 1)), py - wy), <=, radius + 1e-6);
    }
  activate (window, "undo");
  g_assert_true (cs_window_get_dataset (window) == before);
  close_all_windows ();
}

/* The eraser removes exactly the points within its radius; undo brings back the very dataset
 * before, redo the one after. Ctrl+Z and Ctrl+Shift+Z are the keys. */
static void
test_erase_undo_redo (void)
{
  CsWindow   *window = new_drawing ();
  CsPlotView *view = cs_window_get_plot_view (window);
  const double grid[] = { 0.2, 0.35, 0.5, 0.65, 0.8 };
  CsDataset  *before, *after;
  double      cx, cy, dx, dy;
  const double radius = 130.0;
  g_autofree gboolean *inside = NULL;
  gsize       n_inside = 0, n;

  /* A 5 × 5 grid, one click each, alternating classes. */
  for (gsize i = 0; i < 5; i++)
    for (gsize j = 0; j < 5; j++)
      {
        double wx, wy;

        g_action_group_activate_action (G_ACTION_GROUP (window), "draw-class", g_variant_new_int32 ((i + j) % 2));
        frame_point (view, grid[i], grid[j], &wx, &wy, &dx, &dy);
        click (window, wx, wy, GDK_BUTTON_PRIMARY);
      }
  n = cs_window_get_dataset (window)->n_rows;
  g_assert_cmpuint (n, ==, 25);
  g_assert_cmpfloat (column (window, 2)[1], ==, 1.0);

  /* The rows that must go: within the radius of the frame's centre, by the plot's transform. */
  frame_point (view, 0.5, 0.5, &cx, &cy, &dx, &dy);
  inside = g_new0 (gboolean, n);
  for (gsize r = 0; r < n; r++)
    {
      double px, py;

      g_assert_true (cs_plot_view_to_widget (view, column (window, 0)[r], column (window, 1)[r], &px, &py));
      inside[r] = hypot (px - cx, py - cy) <= radius;
      n_inside += inside[r];
    }
  g_assert_cmpuint (n_inside, >, 1);
  g_assert_cmpuint (n_inside, <, n);

  before = cs_dataset_ref (cs_window_get_dataset (window));
  cs_plot_view_set_brush (view, radius, 6);
  set_state (window, "eraser", TRUE);
  g_assert_cmpint (cs_plot_view_get_tool (view), ==, CS_PLOT_TOOL_ERASE);
  click (window, cx, cy, GDK_BUTTON_PRIMARY);
  after = cs_dataset_ref (cs_window_get_dataset (window));
  g_assert_cmpuint (after->n_rows, ==, n - n_inside);
  /* The survivors, in their order. */
  for (gsize r = 0, k = 0; r < n; r++)
    if (!inside[r])
      {
        g_assert_true (cs_dataset_column (after, 0)->values[k] == cs_dataset_column (before, 0)->values[r]);
        g_assert_true (cs_dataset_column (after, 1)->values[k] == cs_dataset_column (before, 1)->values[r]);
        g_assert_true (cs_dataset_column (after, 2)->values[k] == cs_dataset_column (before, 2)->values[r]);
        k++;
      }

  activate (window, "undo");
  g_assert_true (cs_window_get_dataset (window) == before);
  activate (window, "redo");
  g_assert_true (cs_window_get_dataset (window) == after);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "redo"));

  /* Right-click while drawing erases too. */
  set_state (window, "eraser", FALSE);
  {
    double px, py;
    g_assert_true (cs_plot_view_to_widget (view, cs_dataset_column (after, 0)->values[0],
                                           cs_dataset_column (after, 1)->values[0], &px, &py));
    cs_plot_view_set_brush (view, 3, 6);
    click (window, px, py, GDK_BUTTON_SECONDARY);
    g_assert_cmpuint (cs_window_get_dataset (window)->n_rows, ==, after->n_rows - 1);
  }

  g_assert_true (g_strv_contains (
      (const char *const *)gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.undo"),
      "<Control>z"));
  g_assert_true (g_strv_contains (
      (const char *const *)gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.redo"),
      "<Shift><Control>z"));

  /* Other data on screen is one more step of the window's one stack: undo brings the drawing
   * back, the very dataset, and redo the other data. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "undo"));
  {
    CsDataset *drawn = cs_dataset_ref (cs_window_get_dataset (window));
    CsDataset *moons;
    const char *label = NULL;

    cs_window_generate (window, "moons");
    wait_model (window);
    moons = cs_window_get_dataset (window);
    g_assert_cmpuint (moons->n_rows, ==, 1500);
    activate (window, "undo");
    g_assert_true (cs_window_get_dataset (window) == drawn);
    g_assert_true (cs_window_get_undo_label (window, TRUE, &label));
    g_assert_true (g_str_has_prefix (label, "Change Data to Two moons"));
    activate (window, "redo");
    g_assert_true (cs_window_get_dataset (window) == moons);
    cs_dataset_unref (drawn);
  }
  cs_dataset_unref (before);
  cs_dataset_unref (after);
  close_all_windows ();
}

static GtkWidget *
find_actionable (GtkWidget *root, const char *action)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_ACTIONABLE (c) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (c)), action) == 0)
        return c;
      if ((found = find_actionable (c, action)) != NULL)
        return found;
    }
  return NULL;
}

static void
assert_label (GtkWidget *widget, const char *name)
{
  char *problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name);

  if (problem != NULL)
    g_error ("%s", problem);
}

static gboolean
has_result (gpointer window)
{
  return !cs_window_is_busy (window) && cs_window_get_result (window) != NULL;
}

/* The switches carry the names a screen reader and the lesson script use; Hide Clusters turns
 * into Reveal Clusters and back, greys the plot and hides the scores. */
static void
test_hide_reveal_and_names (void)
{
  CsWindow   *window = new_window ();
  CsPlotView *view = cs_window_get_plot_view (window);
  GtkWidget  *titlebar = gtk_window_get_titlebar (GTK_WINDOW (window));
  GtkWidget  *hide;
  GtkWidget  *status = NULL;
  const struct { const char *action, *name; } names[] = {
    { "win.draw-points", "Draw Points" }, { "win.place-centres", "Place Centres" },
    { "win.presenter-mode", "Presenter Mode" }, { "win.generate-data", "Generate Data" },
    { "win.undo", "Undo" }, { "win.redo", "Redo" }, { "win.eraser", "Eraser" },
    { "win.new-drawing", "New Drawing" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *w = find_actionable (titlebar, names[i].action);
      if (w == NULL)
        w = find_actionable (GTK_WIDGET (window), names[i].action);
      g_assert_nonnull (w);
      assert_label (w, names[i].name);
    }

  cs_window_generate (window, "blobs:300:3");
  wait_model (window);
  g_assert_true (cs_window_select_algorithm (window, "kmeans"));
  activate (window, "run");
  g_assert_true (cs_test_wait_until (has_result, window, 20000));

  hide = find_actionable (titlebar, "win.hide-clusters");
  assert_label (hide, "Hide Clusters");
  set_state (window, "hide-clusters", TRUE);
  assert_label (hide, "Reveal Clusters");
  g_assert_true (cs_plot_view_get_hide_clusters (view));
  /* No cluster in the tooltip text either. */
  {
    g_autofree char *text = cs_plot_view_describe_point (view, 0);
    g_assert_null (strstr (text, "Cluster"));
  }
  /* The status line asks instead of telling k and the scores. */
  {
    GPtrArray *todo = g_ptr_array_new ();
    g_ptr_array_add (todo, window);
    while (todo->len > 0 && status == NULL)
      {
        GtkWidget *w = g_ptr_array_steal_index (todo, todo->len - 1);
        if (gtk_widget_has_css_class (w, "statusline"))
          status = w;
        for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
          g_ptr_array_add (todo, c);
      }
    g_ptr_array_unref (todo);
  }
  g_assert_nonnull (status);
  g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (status)), "cluster ·"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (status)), "how many groups"));

  set_state (window, "hide-clusters", FALSE);
  assert_label (hide, "Hide Clusters");
  g_assert_false (cs_plot_view_get_hide_clusters (view));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), ==, cs_window_get_status_text (window));
  {
    g_autofree char *text = cs_plot_view_describe_point (view, 0);
    g_assert_nonnull (strstr (text, "Cluster"));
  }
  close_all_windows ();
}

/* F5 toggles presenter mode: full screen (through F11's action), the sidebar hidden, the plot
 * scaled, the high-contrast CSS class; again, and all is back. */
static void
test_presenter_mode_toggles (void)
{
  CsWindow   *window = new_window ();
  CsPlotView *view = cs_window_get_plot_view (window);

  g_assert_true (g_strv_contains (
      (const char *const *)gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.presenter-mode"),
      "F5"));
  cs_window_generate (window, "moons");
  wait_model (window);
  g_assert_true (cs_window_get_sidebar_visible (window));

  activate (window, "presenter-mode");
  g_assert_true (get_state (window, "presenter-mode"));
  /* Xvfb has no window manager to grant full screen: the request is what can be checked. */
  g_assert_true (get_state (window, "fullscreen"));
  g_assert_false (cs_window_get_sidebar_visible (window));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "presenter"));
  g_assert_cmpfloat (cs_plot_view_get_scale (view), ==, CS_STYLE_PRESENTER_SCALE);

  activate (window, "presenter-mode");
  g_assert_false (get_state (window, "presenter-mode"));
  g_assert_false (get_state (window, "fullscreen"));
  g_assert_true (cs_window_get_sidebar_visible (window));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "presenter"));
  g_assert_cmpfloat (cs_plot_view_get_scale (view), ==, 1.0);

  /* Full screen asked for with F11 first stays when presenter mode ends. */
  activate (window, "fullscreen");
  activate (window, "presenter-mode");
  activate (window, "presenter-mode");
  g_assert_true (get_state (window, "fullscreen"));
  activate (window, "fullscreen");
  close_all_windows ();
}

static GtkWidget *
find_labelled (GtkWidget *root, const char *name)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      char      *problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL, name);
      GtkWidget *found;

      /* Controls, not the labels beside them (whose text is their name). */
      if (problem == NULL && !GTK_IS_LABEL (c))
        return c;
      g_free (problem);
      if ((found = find_labelled (c, name)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
rows_are (gpointer data)
{
  gpointer *d = data;
  CsWindow *window = d[0];

  return !cs_window_is_busy (window) && cs_window_get_dataset (window) != NULL
         && cs_window_get_dataset (window)->n_rows == GPOINTER_TO_SIZE (d[1]);
}

/* The generator's controls regenerate the data on their own (debounced), each has a name. */
static void
test_generator_live (void)
{
  CsWindow  *window = new_window ();
  GtkWidget *dialog, *kind, *n, *sep;
  gpointer   wait[2] = { window, GSIZE_TO_POINTER (500) };
  double     r_in = 0;

  activate (window, "generate-data");
  dialog = cs_window_get_generate_window (window);
  g_assert_nonnull (dialog);
  g_assert_true (cs_test_wait_until (rows_are, wait, 20000));
  kind = find_labelled (dialog, "Kind");
  n = find_labelled (dialog, "Number of points");
  sep = find_labelled (dialog, "Separation");
  g_assert_nonnull (kind);
  g_assert_nonnull (n);
  g_assert_nonnull (sep);
  g_assert_nonnull (find_labelled (dialog, "Noise"));
  g_assert_nonnull (find_labelled (dialog, "Number of classes"));
  g_assert_nonnull (find_labelled (dialog, "Seed"));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (kind), 4); /* circles */
  gtk_range_set_value (GTK_RANGE (find_labelled (dialog, "Noise")), 0.0);
  gtk_range_set_value (GTK_RANGE (sep), 2.0);
  gtk_range_set_value (GTK_RANGE (n), 1000);
  wait[1] = GSIZE_TO_POINTER (1000);
  g_assert_true (cs_test_wait_until (rows_are, wait, 20000));
  /* Circles with separation 2: the inner one has radius 0.25. */
  for (gsize i = 0; i < 1000; i++)
    if (column (window, 2)[i] == 1)
      r_in = MAX (r_in, hypot (column (window, 0)[i], column (window, 1)[i]));
  g_assert_cmpfloat (fabs (r_in - 0.25), <, 1e-9);
  gtk_window_destroy (GTK_WINDOW (dialog));
  cs_test_spin (20);
  g_assert_null (cs_window_get_generate_window (window));
  close_all_windows ();
}

/* Clicks in Place Centres mode become k-means' first centres: the run's init lists them and
 * its k is their number. */
static void
test_placed_centres_start_kmeans (void)
{
  CsWindow   *window = new_window ();
  CsPlotView *view = cs_window_get_plot_view (window);
  const CsClustering *c;
  double      d[3][2];
  g_autofree char *init = NULL;
  g_auto (GStrv) centres = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  cs_window_generate (window, "blobs:400:3");
  wait_model (window);
  set_state (window, "place-centres", TRUE);
  g_assert_cmpint (cs_plot_view_get_tool (view), ==, CS_PLOT_TOOL_PLACE_CENTRES);
  for (int i = 0; i < 2; i++)
    {
      double wx, wy;

      frame_point (view, 0.3 + 0.4 * i, 0.4, &wx, &wy, &d[i][0], &d[i][1]);
      click (window, wx, wy, GDK_BUTTON_PRIMARY);
    }
  /* The dataset is untouched: placing centres is not drawing. */
  g_assert_cmpuint (cs_window_get_dataset (window)->n_rows, ==, 400);
  activate (window, "run");
  g_assert_true (cs_test_wait_until (has_result, window, 20000));
  g_assert_null (cs_window_get_error_text (window));
  c = cs_window_get_result (window)->clustering;
  g_assert_cmpuint (c->k, ==, 2);
  init = cs_params_to_string (c->params, "init");
  centres = g_strsplit (init, ";", -1);
  g_assert_cmpuint (g_strv_length (centres), ==, 2);
  for (int i = 0; i < 2; i++)
    {
      g_auto (GStrv) v = g_strsplit (centres[i], ",", -1);
      g_assert_cmpfloat (fabs (g_ascii_strtod (v[0], NULL) - d[i][0]), <=, 1e-9 * MAX (1.0, fabs (d[i][0])));
      g_assert_cmpfloat (fabs (g_ascii_strtod (v[1], NULL) - d[i][1]), <=, 1e-9 * MAX (1.0, fabs (d[i][1])));
    }
  close_all_windows ();
}

/* The presenter palette: every colour readable against white (4.5:1), no two alike, and the
 * scatter renderer paints with it when the model asks. */
static void
test_high_contrast_palette (void)
{
  const double white[3] = { 1, 1, 1 };
  g_autoptr (CsPlotModel) m = cs_plot_model_new ();
  const double x[] = { 0.0, 1.0 }, y[] = { 0.0, 1.0 };
  const int    labels[] = { 0, 1 };
  double       rgb[3];
  guint        found[2] = { 0, 0 };

  for (guint i = 0; i < CS_PALETTE_N_COLORS; i++)
    {
      double a[3];

      cs_palette_kind_color (CS_PALETTE_HIGH_CONTRAST, i, a);
      g_assert_cmpfloat (cs_palette_contrast (a, white), >=, 4.5);
      for (guint j = 0; j < i; j++)
        {
          double b[3];

          cs_palette_kind_color (CS_PALETTE_HIGH_CONTRAST, j, b);
          g_assert_cmpfloat (fabs (a[0] - b[0]) + fabs (a[1] - b[1]) + fabs (a[2] - b[2]), >, 0.1);
        }
    }
  /* Contrast of the extremes is what WCAG defines. */
  cs_palette_kind_color (CS_PALETTE_HIGH_CONTRAST, 6, rgb);
  g_assert_cmpfloat (fabs (cs_palette_contrast (rgb, white) - 21.0), <, 1e-9);

  cs_plot_model_set_points (m, 2, x, y, NULL);
  cs_plot_model_set_labels (m, labels, 2);
  cs_plot_model_reset_view (m);
  m->point_radius = 8;
  m->point_alpha = 1;
  m->palette = CS_PALETTE_HIGH_CONTRAST;
  {
    cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
    cairo_t         *cr = cairo_create (s);
    guint32          want[2];

    cs_render_scatter (cr, m, 400, 300);
    cairo_destroy (cr);
    cairo_surface_flush (s);
    for (int c = 0; c < 2; c++)
      {
        cs_palette_kind_color (CS_PALETTE_HIGH_CONTRAST, c, rgb);
        want[c] = 0xff000000u | (guint32)lround (rgb[0] * 255) << 16 | (guint32)lround (rgb[1] * 255) << 8
                  | (guint32)lround (rgb[2] * 255);
      }
    for (int row = 0; row < 300; row++)
      {
        const guint32 *p = (const guint32 *)(cairo_image_surface_get_data (s) + row * cairo_image_surface_get_stride (s));
        for (int col = 0; col < 400; col++)
          for (int c = 0; c < 2; c++)
            found[c] += p[col] == want[c];
      }
    cairo_surface_destroy (s);
  }
  /* Each point's disc (and its legend swatch) in its high-contrast colour. */
  g_assert_cmpuint (found[0], >, 50);
  g_assert_cmpuint (found[1], >, 50);
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
  app = cs_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/ui/teach/click-adds-point-at-data-coordinates", test_click_adds_point_at_data_coordinates);
  g_test_add_func ("/ui/teach/brush-adds-count", test_brush_adds_count);
  g_test_add_func ("/ui/teach/erase-undo-redo", test_erase_undo_redo);
  g_test_add_func ("/ui/teach/hide-reveal-and-names", test_hide_reveal_and_names);
  g_test_add_func ("/ui/teach/presenter-mode-toggles", test_presenter_mode_toggles);
  g_test_add_func ("/ui/teach/generator-live", test_generator_live);
  g_test_add_func ("/ui/teach/placed-centres-start-kmeans", test_placed_centres_start_kmeans);
  g_test_add_func ("/ui/teach/high-contrast-palette", test_high_contrast_palette);

  status = g_test_run ();
  g_object_unref (app);
  return status;
}
