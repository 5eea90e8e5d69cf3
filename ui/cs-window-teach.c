#include "ui/cs-window-private.h"

#include <math.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/data/cs-toy.h"

/* Teaching: drawing points, placing k-means' first centres by clicking, the data generator with
 * live settings, guess-then-reveal and presenter mode. The plot view reports clicks in data
 * coordinates; every edit here makes a new dataset, which the window then shows as any loaded
 * dataset. Datasets are immutable and refcounted, so the window's undo stack
 * (cs-window-undo.c), which sees every replacement of the dataset, holds references and "undo
 * restores the previous set exactly" holds by construction. */

#define GENERATE_DELAY_MS 150
#define N_DRAW_CLASSES    6
#define HIDDEN_STATUS     "Clusters hidden: how many groups do you see? Press Reveal Clusters to check"

struct _CsWindowTeach
{
  GArray    *centres; /* Owned, double pairs in the plotted columns' units */
  int        centre_columns[2];
  int        draw_class;
  gboolean   fullscreened_by_us;

  /* Borrowed widgets */
  GtkWidget *tools_row;      /* under the view bar while a tool is on */
  GtkWidget *draw_tools;
  GtkWidget *centre_tools;
  GtkWidget *centre_label;
  GtkWidget *class_dropdown;
  GtkWidget *hide_button;
  GtkWidget *sidebar;
  GtkWidget *generate_window; /* Borrowed: GTK owns toplevels; NULL once destroyed */
  GtkWidget *gen_kind, *gen_n, *gen_noise, *gen_separation, *gen_classes, *gen_seed;

  CsWorker *generate_worker; /* Owned */
  guint     generate_timeout;
  gboolean  syncing;
};

static CsPlotView *
plot_view (CsWindow *self)
{
  return cs_scatter_page_get_plot_view (self->scatter_page);
}

static void
set_action_state (CsWindow *self, const char *name, gboolean value)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (value));
}

static gboolean
get_action_state (CsWindow *self, const char *name)
{
  g_autoptr (GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self), name);

  return state != NULL && g_variant_get_boolean (state);
}

/* Showing a dataset made here ------------------------------------------------------------ */

/* An empty drawing has nothing for the preprocessing to work on; its plot is a blank frame
 * over a fixed range, built here (no rows, nothing to compute). */
static CsPlotModel *
empty_model (const CsDataset *ds, int x_column, int y_column)
{
  CsPlotModel *m = cs_plot_model_new ();

  cs_plot_model_set_points (m, 0, NULL, NULL, NULL);
  m->x_column = x_column;
  m->y_column = y_column;
  g_free (m->x_label);
  g_free (m->y_label);
  m->x_label = g_strdup (cs_dataset_column (ds, x_column)->name);
  m->y_label = g_strdup (cs_dataset_column (ds, y_column)->name);
  m->title = g_strdup (ds->name);
  m->axes_key = g_strdup_printf ("columns:%d:%d", x_column, y_column);
  m->x_min = m->y_min = -5.0;
  m->x_max = m->y_max = 5.0;
  return m;
}

/* Replaces the window's dataset by `ds` (taken), keeping the axes on the columns of the same
 * names when it has them. */
static void
show_dataset (CsWindow *self, CsDataset *ds, const char *status)
{
  g_autofree char *x_name = NULL;
  g_autofree char *y_name = NULL;
  int              x_column, y_column;

  cs_i_window_axis_selection (self, &x_column, &y_column);
  if (self->dataset != NULL && x_column >= 0 && y_column >= 0)
    {
      x_name = g_strdup (cs_dataset_column (self->dataset, x_column)->name);
      y_name = g_strdup (cs_dataset_column (self->dataset, y_column)->name);
    }
  cs_i_window_set_dataset (self, ds);
  /* A matrix describes the old rows. */
  cs_i_window_distances_clear (self);
  cs_i_window_sidebar_show_dataset (self);
  cs_i_window_hide_error (self);
  cs_i_window_teach_show_points (self, x_name, y_name);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "plot");
  cs_i_window_show_view (self, "scatter");
  if (status != NULL)
    cs_i_window_set_status (self, status);
  cs_i_window_set_progress (self, 0, "Ready");
  cs_i_window_update_actions (self);
}

void
cs_i_window_teach_show_points (CsWindow *self, const char *x_name, const char *y_name)
{
  if (self->dataset->n_rows == 0)
    {
      int xc = x_name != NULL ? cs_dataset_find_column (self->dataset, x_name) : 0;
      int yc = y_name != NULL ? cs_dataset_find_column (self->dataset, y_name) : 1;

      cs_i_window_show_model (self, empty_model (self->dataset, MAX (xc, 0), MAX (yc, 0)));
    }
  else if (x_name == NULL || !cs_window_set_axes (self, x_name, y_name))
    cs_i_window_rebuild_model (self);
}

/* An edit: `ds` (taken) is shown, one undo step named `label`. */
static void
apply_edit (CsWindow *self, CsDataset *ds, const char *label)
{
  g_autofree char *count = cs_format_count (ds->n_rows);
  g_autofree char *status = g_strdup_printf ("%s drawn points — press Run to cluster", count);

  cs_i_window_undo_name_next (self, label, NULL);
  show_dataset (self, ds, status);
}

/* Drawing -------------------------------------------------------------------------------- */

static gboolean
drawing_axes (CsWindow *self, int *x_column, int *y_column)
{
  cs_i_window_axis_selection (self, x_column, y_column);
  if (self->dataset == NULL || *x_column < 0 || *y_column < 0)
    {
      cs_i_window_show_error (self, "Drawing needs two columns on the axes: choose them under Axes in the "
                                    "sidebar, or start a New Drawing");
      return FALSE;
    }
  return TRUE;
}

static void
add_points_cb (CsPlotView *view, guint n, gpointer xp, gpointer yp, CsWindow *self)
{
  const double      *x = xp;
  const double      *y = yp;
  g_autofree int    *classes = g_new (int, MAX (n, 1));
  int                x_column, y_column;

  if (!drawing_axes (self, &x_column, &y_column))
    return;
  for (guint i = 0; i < n; i++)
    classes[i] = self->teach->draw_class;
  apply_edit (self, cs_dataset_append_points (self->dataset, x_column, y_column, n, x, y, classes),
              n == 1 ? "Add a Point" : "Add Points");
}

static void
erase_points_cb (CsPlotView *view, guint n, gpointer rows, CsWindow *self)
{
  if (self->dataset == NULL || n == 0)
    return;
  apply_edit (self, cs_dataset_remove_rows (self->dataset, rows, n), "Erase Points");
}

static void
sync_tools (CsWindow *self)
{
  CsWindowTeach *t = self->teach;
  gboolean       drawing = get_action_state (self, "draw-points");
  gboolean       placing = get_action_state (self, "place-centres");
  gboolean       erasing = get_action_state (self, "eraser");
  CsPlotTool     tool = CS_PLOT_TOOL_NONE;

  if (drawing)
    tool = erasing ? CS_PLOT_TOOL_ERASE : CS_PLOT_TOOL_DRAW;
  else if (placing)
    tool = CS_PLOT_TOOL_PLACE_CENTRES;
  cs_plot_view_set_tool (plot_view (self), tool);
  gtk_widget_set_visible (t->tools_row, drawing || placing);
  gtk_widget_set_visible (t->draw_tools, drawing);
  gtk_widget_set_visible (t->centre_tools, placing);
  /* Drawn points show their class (the label column) while drawing. */
  if (self->dataset != NULL && self->dataset->n_rows > 0)
    cs_i_window_rebuild_model (self);
}

static void
draw_points_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  CsWindow *self = user_data;

  g_simple_action_set_state (action, value);
  if (g_variant_get_boolean (value))
    {
      set_action_state (self, "place-centres", FALSE);
      if (self->dataset == NULL)
        {
          /* Drawing on nothing starts a drawing. */
          g_action_group_activate_action (G_ACTION_GROUP (self), "new-drawing", NULL);
          return;
        }
    }
  sync_tools (self);
}

static void
eraser_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  g_simple_action_set_state (action, value);
  sync_tools (user_data);
}

static void
new_drawing_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow *self = user_data;

  if (cs_i_window_is_loading (self))
    return;
  set_action_state (self, "draw-points", TRUE);
  set_action_state (self, "eraser", FALSE);
  set_action_state (self, "place-centres", FALSE);
  g_clear_pointer (&self->loading_path, g_free);
  cs_i_window_undo_name_next (self, "New Drawing", NULL);
  show_dataset (self, cs_dataset_new_drawing (), "Click to add points, drag to spray, right-click to erase");
  sync_tools (self);
}

static void
set_draw_class (CsWindow *self, int c)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "draw-class");

  self->teach->draw_class = CLAMP (c, 0, N_DRAW_CLASSES - 1);
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_int32 (self->teach->draw_class));
  cs_plot_view_set_draw_class (plot_view (self), self->teach->draw_class);
  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->teach->class_dropdown)) != (guint)self->teach->draw_class)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->teach->class_dropdown), (guint)self->teach->draw_class);
}

static void
class_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, CsWindow *self)
{
  set_draw_class (self, (int)gtk_drop_down_get_selected (dropdown));
}

static void
draw_class_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  set_draw_class (user_data, g_variant_get_int32 (parameter));
}

/* Placing centres ------------------------------------------------------------------------ */

static void
show_centres (CsWindow *self)
{
  CsWindowTeach     *t = self->teach;
  gsize              n = t->centres->len / 2;
  g_autofree double *x = g_new (double, MAX (n, 1));
  g_autofree double *y = g_new (double, MAX (n, 1));
  g_autofree char   *text = NULL;

  for (gsize i = 0; i < n; i++)
    {
      x[i] = g_array_index (t->centres, double, 2 * i);
      y[i] = g_array_index (t->centres, double, 2 * i + 1);
    }
  cs_plot_view_set_marks (plot_view (self), n, x, y);
  if (n == 0)
    text = g_strdup ("Click on the plot to place k-means’ first centres, then press Run");
  else
    text = g_strdup_printf ("%" G_GSIZE_FORMAT " %s placed: k-means (k = %" G_GSIZE_FORMAT
                            ") starts from %s when you press Run",
                            n, n == 1 ? "centre" : "centres", n, n == 1 ? "it" : "them");
  gtk_label_set_text (GTK_LABEL (t->centre_label), text);
}

static void
place_centre_cb (CsPlotView *view, double x, double y, CsWindow *self)
{
  CsWindowTeach *t = self->teach;

  cs_i_window_axis_selection (self, &t->centre_columns[0], &t->centre_columns[1]);
  g_array_append_val (t->centres, x);
  g_array_append_val (t->centres, y);
  show_centres (self);
}

static void
place_centres_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  CsWindow *self = user_data;

  g_simple_action_set_state (action, value);
  if (g_variant_get_boolean (value))
    {
      set_action_state (self, "draw-points", FALSE);
      g_array_set_size (self->teach->centres, 0);
      show_centres (self);
      cs_window_select_algorithm (self, "kmeans");
    }
  else
    {
      /* Runs use the centres only in this mode: leaving it forgets them. */
      g_array_set_size (self->teach->centres, 0);
      show_centres (self);
    }
  sync_tools (self);
}

static void
clear_centres_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow *self = user_data;

  g_array_set_size (self->teach->centres, 0);
  show_centres (self);
}

gboolean
cs_i_window_teach_prepare_run (CsWindow *self, CsParams *params, CsPipelineOptions *options)
{
  CsWindowTeach   *t = self->teach;
  gsize            n = t->centres->len / 2;
  g_autoptr (GString) init = NULL;
  int              x_column, y_column;
  const int       *cols = options->prepare.columns;

  if (n == 0 || !get_action_state (self, "place-centres")
      || g_strcmp0 (cs_params_get_algorithm (params)->id, "kmeans") != 0)
    return TRUE;
  cs_i_window_axis_selection (self, &x_column, &y_column);
  /* The centres are where the user clicked: they mean the same to k-means only when it
   * clusters exactly the two plotted columns, unscaled. */
  if (x_column != t->centre_columns[0] || y_column != t->centre_columns[1] || options->prepare.n_columns != 2
      || cols == NULL || !((cols[0] == x_column && cols[1] == y_column) || (cols[0] == y_column && cols[1] == x_column)))
    {
      cs_i_window_show_error (self, "Placed centres need k-means to cluster exactly the two plotted columns: "
                                    "choose only those under Columns (in the same order as the axes), or clear "
                                    "the centres");
      return FALSE;
    }
  init = g_string_new (NULL);
  for (gsize i = 0; i < n; i++)
    {
      char     a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
      /* The prepared matrix has the columns in dataset order. */
      gboolean swap = cols[0] == y_column;
      double   u = g_array_index (t->centres, double, 2 * i + (swap ? 1 : 0));
      double   v = g_array_index (t->centres, double, 2 * i + (swap ? 0 : 1));

      g_string_append_printf (init, "%s%s,%s", i > 0 ? ";" : "", g_ascii_dtostr (a, sizeof a, u),
                              g_ascii_dtostr (b, sizeof b, v));
    }
  cs_params_set_int (params, "k", (gint64)n);
  if (!cs_params_set (params, "init", init->str, NULL))
    return FALSE;
  options->prepare.scaling = CS_SCALE_NONE;
  return TRUE;
}

/* Guess, then reveal --------------------------------------------------------------------- */

static void
hide_clusters_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  CsWindow      *self = user_data;
  CsWindowTeach *t = self->teach;
  gboolean       hide = g_variant_get_boolean (value);
  const char    *name = hide ? "Reveal Clusters" : "Hide Clusters";

  g_simple_action_set_state (action, value);
  cs_plot_view_set_hide_clusters (plot_view (self), hide);
  gtk_widget_set_tooltip_text (t->hide_button, hide ? "Show the clusters’ colours, k and the scores again"
                                                    : "Grey out the clusters, k and the scores: let the room guess first");
  gtk_accessible_update_property (GTK_ACCESSIBLE (t->hide_button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_button_set_icon_name (GTK_BUTTON (t->hide_button), hide ? "view-reveal-symbolic" : "view-conceal-symbolic");
  gtk_label_set_text (GTK_LABEL (self->status_label), hide ? HIDDEN_STATUS : self->status_text);
}

const char *
cs_i_window_teach_status (CsWindow *self, const char *text)
{
  return self->teach != NULL && get_action_state (self, "hide-clusters") ? HIDDEN_STATUS : text;
}

/* Presenter mode ------------------------------------------------------------------------- */

static void
presenter_mode_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  CsWindow      *self = user_data;
  CsWindowTeach *t = self->teach;
  gboolean       on = g_variant_get_boolean (value);
  GAction       *fullscreen = g_action_map_lookup_action (G_ACTION_MAP (self), "fullscreen");

  g_simple_action_set_state (action, value);
  if (on)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presenter");
      t->fullscreened_by_us = !gtk_window_is_fullscreen (GTK_WINDOW (self)) && !get_action_state (self, "fullscreen");
      if (t->fullscreened_by_us)
        {
          /* Through F11's action when the application gave the window one, so both agree. */
          if (fullscreen != NULL)
            g_action_change_state (fullscreen, g_variant_new_boolean (TRUE));
          else
            gtk_window_fullscreen (GTK_WINDOW (self));
        }
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presenter");
      if (t->fullscreened_by_us)
        {
          if (fullscreen != NULL)
            g_action_change_state (fullscreen, g_variant_new_boolean (FALSE));
          else
            gtk_window_unfullscreen (GTK_WINDOW (self));
        }
      t->fullscreened_by_us = FALSE;
    }
  if (t->sidebar != NULL)
    gtk_widget_set_visible (t->sidebar, !on);
  /* Every view, the scatter plot's included: its figures draw larger, in high contrast. */
  for (guint i = 0; i < self->pages->len; i++)
    cs_page_set_presenter (g_ptr_array_index (self->pages, i), on);
}

gboolean
cs_window_get_sidebar_visible (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), FALSE);

  return self->teach->sidebar != NULL && gtk_widget_get_visible (self->teach->sidebar);
}

/* The generator ------------------------------------------------------------------------- */

static gpointer
generate_compute (gpointer input, CsProgress *progress, GError **error)
{
  CsDataset *ds = cs_toy_generate_full (input);

  if (ds == NULL)
    g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "Could not generate the data");
  return ds;
}

static void
generate_done (gpointer result, const GError *error, gpointer user_data)
{
  CsWindow        *self = user_data;
  CsDataset       *ds = result;
  g_autofree char *count = NULL;
  g_autofree char *status = NULL;

  if (ds == NULL)
    {
      cs_i_window_show_error (self, error->message);
      return;
    }
  count = cs_format_count (ds->n_rows);
  status = g_strdup_printf ("%s points — press Run to cluster", count);
  g_clear_pointer (&self->loading_path, g_free);
  /* The generator follows its settings live: one step for the whole visit. */
  cs_i_window_undo_name_next (self, "Generate Data", "generate");
  show_dataset (self, ds, status);
}

static void
generator_options (CsWindowTeach *t, CsToyOptions *o)
{
  cs_toy_options_init (o);
  o->kind = (CsToyKind)gtk_drop_down_get_selected (GTK_DROP_DOWN (t->gen_kind));
  o->n = (gsize)llround (gtk_range_get_value (GTK_RANGE (t->gen_n)));
  o->noise = gtk_range_get_value (GTK_RANGE (t->gen_noise));
  o->separation = gtk_range_get_value (GTK_RANGE (t->gen_separation));
  o->n_clusters = (guint)gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (t->gen_classes));
  o->seed = (guint64)gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (t->gen_seed));
}

static gboolean
generate_now (gpointer user_data)
{
  CsWindow      *self = user_data;
  CsWindowTeach *t = self->teach;
  CsToyOptions  *o = g_new (CsToyOptions, 1);

  t->generate_timeout = 0;
  generator_options (t, o);
  /* Sliders: let a running generation finish rather than restart on every step. */
  cs_worker_run (t->generate_worker, generate_compute, o, g_free, (GDestroyNotify)cs_dataset_unref, generate_done,
                 self);
  return G_SOURCE_REMOVE;
}

static void
generator_changed_cb (GtkWidget *widget, CsWindow *self)
{
  CsWindowTeach *t = self->teach;

  if (t->syncing)
    return;
  if (t->generate_timeout != 0)
    g_source_remove (t->generate_timeout);
  t->generate_timeout = g_timeout_add (GENERATE_DELAY_MS, generate_now, self);
}

static void
generator_kind_cb (GtkDropDown *dropdown, GParamSpec *pspec, CsWindow *self)
{
  CsWindowTeach *t = self->teach;
  CsToyKind      kind = (CsToyKind)gtk_drop_down_get_selected (dropdown);

  /* Each kind's usual noise (the units differ: see cs-toy.c). */
  t->syncing = TRUE;
  gtk_range_set_value (GTK_RANGE (t->gen_noise), kind == CS_TOY_MOONS || kind == CS_TOY_CIRCLES ? 0.06 : 0.0);
  gtk_widget_set_sensitive (t->gen_classes, kind == CS_TOY_BLOBS || kind == CS_TOY_ANISO || kind == CS_TOY_VARIED);
  t->syncing = FALSE;
  generator_changed_cb (GTK_WIDGET (dropdown), self);
}

static GtkWidget *
labelled (GtkWidget *grid, int row, const char *text, GtkWidget *control, const char *accessible, const char *tip)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
  gtk_widget_set_hexpand (control, TRUE);
  gtk_grid_attach (GTK_GRID (grid), control, 1, row, 1, 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  gtk_widget_set_tooltip_text (control, tip);
  return control;
}

static GtkWidget *
slider (double min, double max, double step, double value, int digits)
{
  GtkWidget *s = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, min, max, step);

  gtk_range_set_value (GTK_RANGE (s), value);
  gtk_scale_set_digits (GTK_SCALE (s), digits);
  gtk_scale_set_draw_value (GTK_SCALE (s), TRUE);
  gtk_scale_set_value_pos (GTK_SCALE (s), GTK_POS_RIGHT);
  gtk_widget_set_size_request (s, 220, -1);
  return s;
}

static void
generate_window_destroyed_cb (GtkWidget *window, CsWindow *self)
{
  if (self->teach != NULL)
    {
      self->teach->generate_window = NULL;
      if (self->teach->generate_timeout != 0)
        g_source_remove (self->teach->generate_timeout);
      self->teach->generate_timeout = 0;
    }
}

static void
build_generate_window (CsWindow *self)
{
  CsWindowTeach      *t = self->teach;
  GtkWidget          *grid = gtk_grid_new ();
  g_autoptr (GtkStringList) kinds = gtk_string_list_new (NULL);
  GtkWidget          *close = gtk_button_new_with_label ("Close");
  GtkWidget          *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget          *hint = gtk_label_new ("The plot follows the settings as you change them.");

  for (int k = 0; k < CS_TOY_N_KINDS; k++)
    gtk_string_list_append (kinds, cs_toy_kind_title (k));
  /* GTK owns a toplevel until it is destroyed; "destroy" clears this borrowed pointer. */
  t->generate_window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (t->generate_window), "Generate Data");
  gtk_window_set_transient_for (GTK_WINDOW (t->generate_window), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (t->generate_window), TRUE);
  gtk_window_set_resizable (GTK_WINDOW (t->generate_window), FALSE);
  gtk_widget_add_css_class (box, "dialog-content");
  gtk_grid_set_row_spacing (GTK_GRID (grid), 10);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);

  t->gen_kind = labelled (grid, 0, "Kind", gtk_drop_down_new (G_LIST_MODEL (g_object_ref (kinds)), NULL), "Kind",
                          "The shape of the data");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (t->gen_kind), CS_TOY_MOONS);
  t->gen_n = labelled (grid, 1, "Points", slider (20, 20000, 10, 500, 0), "Number of points",
                       "How many points to generate");
  t->gen_noise = labelled (grid, 2, "Noise", slider (0, 2, 0.01, 0.06, 2), "Noise",
                           "Standard deviation of the jitter added to every point");
  t->gen_separation = labelled (grid, 3, "Separation", slider (0.2, 3, 0.05, 1, 2), "Separation",
                                "How far apart the groups are; 1 is the classic layout");
  t->gen_classes = labelled (grid, 4, "Classes", gtk_spin_button_new_with_range (1, 12, 1), "Number of classes",
                             "How many blobs (moons and circles always have two)");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (t->gen_classes), 3);
  gtk_widget_set_sensitive (t->gen_classes, FALSE);
  t->gen_seed = labelled (grid, 5, "Seed", gtk_spin_button_new_with_range (0, 999999, 1), "Seed",
                          "The same seed gives the same points");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (t->gen_seed), 42);

  g_signal_connect (t->gen_kind, "notify::selected", G_CALLBACK (generator_kind_cb), self);
  g_signal_connect (t->gen_n, "value-changed", G_CALLBACK (generator_changed_cb), self);
  g_signal_connect (t->gen_noise, "value-changed", G_CALLBACK (generator_changed_cb), self);
  g_signal_connect (t->gen_separation, "value-changed", G_CALLBACK (generator_changed_cb), self);
  g_signal_connect (t->gen_classes, "value-changed", G_CALLBACK (generator_changed_cb), self);
  g_signal_connect (t->gen_seed, "value-changed", G_CALLBACK (generator_changed_cb), self);

  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL, "Close Generate Data",
                                  -1);
  gtk_widget_set_tooltip_text (close, "Keep these points and close (Escape)");
  {
    GtkEventController *keys = gtk_shortcut_controller_new ();

    gtk_shortcut_controller_add_shortcut (
        GTK_SHORTCUT_CONTROLLER (keys),
        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0), gtk_named_action_new ("window.close")));
    gtk_widget_add_controller (t->generate_window, keys);
  }
  gtk_widget_set_halign (close, GTK_ALIGN_END);
  g_signal_connect_swapped (close, "clicked", G_CALLBACK (gtk_window_destroy), t->generate_window);
  gtk_box_append (GTK_BOX (box), grid);
  gtk_box_append (GTK_BOX (box), hint);
  gtk_box_append (GTK_BOX (box), close);
  gtk_window_set_child (GTK_WINDOW (t->generate_window), box);
  g_signal_connect_object (t->generate_window, "destroy", G_CALLBACK (generate_window_destroyed_cb), self, 0);
}

static void
generate_data_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow *self = user_data;

  if (self->teach->generate_window == NULL)
    {
      build_generate_window (self);
      /* Opening it shows what it describes. */
      generate_now (self);
    }
  gtk_window_present (GTK_WINDOW (self->teach->generate_window));
}

GtkWidget *
cs_window_get_generate_window (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return self->teach->generate_window;
}

/* The shown model ------------------------------------------------------------------------ */

void
cs_i_window_teach_model_shown (CsWindow *self)
{
  const CsPlotModel *m = cs_plot_view_get_model (plot_view (self));
  g_autofree int    *classes = NULL;
  g_autofree int    *labels = NULL;
  guint              k = 0;

  if (self->teach == NULL || m == NULL || m->labels != NULL || self->result != NULL || self->dataset == NULL
      || !get_action_state (self, "draw-points"))
    return;
  /* While drawing, the points show the class they were drawn with. */
  classes = cs_dataset_class_labels (self->dataset, &k);
  if (classes == NULL || k == 0)
    return;
  labels = g_new (int, MAX (m->n, 1));
  for (gsize i = 0; i < m->n; i++)
    {
      gsize row = m->rows != NULL ? m->rows[i] : i;
      labels[i] = row < self->dataset->n_rows ? classes[row] : -1;
    }
  /* View state of the model the view owns, as the zoom is. */
  cs_plot_model_set_labels ((CsPlotModel *)m, labels, k);
  /* No legend: its counts change width with every stroke and would move the frame under the
   * pointer; the class chooser says which colour is which. */
  ((CsPlotModel *)m)->show_legend = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (plot_view (self)));
}

/* Construction ----------------------------------------------------------------------------- */

static const GActionEntry teach_entries[] = {
  { "draw-points", NULL, NULL, "false", draw_points_changed },
  { "eraser", NULL, NULL, "false", eraser_changed },
  { "draw-class", draw_class_activated, "i", "0", NULL },
  { "new-drawing", new_drawing_activated, NULL, NULL, NULL },
  { "place-centres", NULL, NULL, "false", place_centres_changed },
  { "clear-centres", clear_centres_activated, NULL, NULL, NULL },
  { "hide-clusters", NULL, NULL, "false", hide_clusters_changed },
  { "presenter-mode", NULL, NULL, "false", presenter_mode_changed },
  { "generate-data", generate_data_activated, NULL, NULL, NULL },
};

static GtkWidget *
tool_button (gboolean toggle, const char *icon, const char *label, const char *action, const char *accessible,
             const char *tip)
{
  GtkWidget *b = toggle ? gtk_toggle_button_new () : gtk_button_new ();

  if (label != NULL)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

      if (icon != NULL)
        gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon));
      gtk_box_append (GTK_BOX (box), gtk_label_new (label));
      gtk_button_set_child (GTK_BUTTON (b), box);
    }
  else
    gtk_button_set_icon_name (GTK_BUTTON (b), icon);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (b), action);
  gtk_widget_set_tooltip_text (b, tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return b;
}

static GtkWidget *
find_sidebar (GtkWidget *w)
{
  for (; w != NULL; w = gtk_widget_get_parent (w))
    if (gtk_widget_has_css_class (w, "sidebar"))
      return w;
  return NULL;
}

static GtkWidget *
welcome_action_row (const char *title, const char *subtitle, const char *action)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *t = gtk_label_new (title);
  GtkWidget *s = gtk_label_new (subtitle);

  gtk_label_set_xalign (GTK_LABEL (t), 0);
  gtk_widget_add_css_class (t, "row-title");
  gtk_label_set_xalign (GTK_LABEL (s), 0);
  gtk_widget_add_css_class (s, "dim-label");
  gtk_widget_add_css_class (s, "caption");
  gtk_box_append (GTK_BOX (box), t);
  gtk_box_append (GTK_BOX (box), s);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), action);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
  return row;
}

void
cs_i_window_teach_init (CsWindow *self)
{
  CsWindowTeach *t = g_new0 (CsWindowTeach, 1);
  GtkWidget     *header = gtk_window_get_titlebar (GTK_WINDOW (self));
  GtkWidget     *teach_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget     *undo_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget     *class_label = gtk_label_new ("Class");
  GtkWidget     *hint = gtk_label_new ("Click to add · drag to spray · right-click to erase");
  g_autoptr (GtkStringList) classes = gtk_string_list_new (NULL);
  CsPlotView    *view = plot_view (self);

  self->teach = t;
  t->centres = g_array_new (FALSE, FALSE, sizeof (double));
  t->generate_worker = cs_worker_new (CS_WORKER_WAIT);
  g_action_map_add_action_entries (G_ACTION_MAP (self), teach_entries, G_N_ELEMENTS (teach_entries), self);

  /* Header bar: the teaching switches, beside Open. */
  gtk_box_append (GTK_BOX (teach_box), tool_button (TRUE, "document-edit-symbolic", NULL, "win.draw-points",
                                                    "Draw Points", "Draw points on the plot, class by class"));
  gtk_box_append (GTK_BOX (teach_box),
                  tool_button (TRUE, "find-location-symbolic", NULL, "win.place-centres", "Place Centres",
                               "Click to place k-means’ first centres: see where a bad start ends"));
  t->hide_button = tool_button (TRUE, "view-conceal-symbolic", NULL, "win.hide-clusters", "Hide Clusters",
                                "Grey out the clusters, k and the scores: let the room guess first");
  gtk_box_append (GTK_BOX (teach_box), t->hide_button);
  gtk_box_append (GTK_BOX (teach_box), tool_button (FALSE, "applications-science-symbolic", NULL,
                                                    "win.generate-data", "Generate Data",
                                                    "Generate toy data: moons, circles, blobs… with live settings"));
  gtk_box_append (GTK_BOX (teach_box), tool_button (TRUE, "x-office-presentation-symbolic", NULL,
                                                    "win.presenter-mode", "Presenter Mode",
                                                    "Full screen, large text and marks, high contrast (F5)"));
  if (GTK_IS_HEADER_BAR (header))
    gtk_header_bar_pack_start (GTK_HEADER_BAR (header), teach_box);

  /* The tools row under the view switcher while drawing or placing centres. */
  t->tools_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (t->tools_row, "teach-tools");
  gtk_accessible_update_property (GTK_ACCESSIBLE (t->tools_row), GTK_ACCESSIBLE_PROPERTY_LABEL, "Drawing tools",
                                  -1);
  t->draw_tools = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  for (int c = 0; c < N_DRAW_CLASSES; c++)
    {
      /* The palette's first colours, in order (ui/render/cs-palette.c). */
      static const char *const colours[N_DRAW_CLASSES] = { "blue", "orange", "green", "red", "purple", "sky blue" };
      g_autofree char *name = g_strdup_printf ("Class %d (%s)", c + 1, colours[c]);
      gtk_string_list_append (classes, name);
    }
  t->class_dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (classes)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (t->class_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Class to draw", -1);
  gtk_widget_set_tooltip_text (t->class_dropdown, "The class new points get (stored in the label column)");
  g_signal_connect (t->class_dropdown, "notify::selected", G_CALLBACK (class_selected_cb), self);
  gtk_box_append (GTK_BOX (t->draw_tools), class_label);
  gtk_box_append (GTK_BOX (t->draw_tools), t->class_dropdown);
  gtk_box_append (GTK_BOX (t->draw_tools), tool_button (TRUE, "edit-clear-symbolic", "Eraser", "win.eraser",
                                                        "Eraser", "Erase the points under the pointer"));
  gtk_widget_add_css_class (undo_box, "linked");
  {
    GtkWidget *undo = tool_button (FALSE, "edit-undo-symbolic", NULL, "win.undo", "Undo", "Undo (Ctrl+Z)");
    GtkWidget *redo = tool_button (FALSE, "edit-redo-symbolic", NULL, "win.redo", "Redo", "Redo (Ctrl+Shift+Z)");

    gtk_box_append (GTK_BOX (undo_box), undo);
    gtk_box_append (GTK_BOX (undo_box), redo);
    cs_i_window_undo_track_button (self, undo, FALSE);
    cs_i_window_undo_track_button (self, redo, TRUE);
  }
  gtk_box_append (GTK_BOX (t->draw_tools), undo_box);
  gtk_box_append (GTK_BOX (t->draw_tools), tool_button (FALSE, "document-new-symbolic", "New Drawing",
                                                        "win.new-drawing", "New Drawing",
                                                        "Start again on an empty canvas"));
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_label_set_ellipsize (GTK_LABEL (hint), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (t->draw_tools), hint);
  t->centre_tools = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  t->centre_label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (t->centre_label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (t->centre_tools), t->centre_label);
  gtk_box_append (GTK_BOX (t->centre_tools), tool_button (FALSE, "edit-clear-all-symbolic", "Clear Centres",
                                                          "win.clear-centres", "Clear Centres",
                                                          "Remove the placed centres"));
  gtk_box_append (GTK_BOX (t->tools_row), t->draw_tools);
  gtk_box_append (GTK_BOX (t->tools_row), t->centre_tools);
  gtk_widget_set_visible (t->tools_row, FALSE);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->view_bar)), t->tools_row, self->view_bar);

  t->sidebar = find_sidebar (self->params_panel);

  /* The welcome page and the main menu's Generate submenu. */
  gtk_list_box_append (GTK_LIST_BOX (self->toys_list),
                       welcome_action_row ("New Drawing", "Draw your own points, class by class", "win.new-drawing"));
  gtk_list_box_append (GTK_LIST_BOX (self->toys_list),
                       welcome_action_row ("Generate Data…", "Any of the above with your settings, live",
                                           "win.generate-data"));
  g_menu_append (self->toys_menu, "New Drawing", "win.new-drawing");
  g_menu_append (self->toys_menu, "Generate Data…", "win.generate-data");

  g_signal_connect (view, "add-points", G_CALLBACK (add_points_cb), self);
  g_signal_connect (view, "erase-points", G_CALLBACK (erase_points_cb), self);
  g_signal_connect (view, "place-centre", G_CALLBACK (place_centre_cb), self);
}

void
cs_i_window_teach_cancel (CsWindow *self)
{
  CsWindowTeach *t = self->teach;

  if (t == NULL)
    return;
  if (t->generate_timeout != 0)
    g_source_remove (t->generate_timeout);
  t->generate_timeout = 0;
  if (t->generate_worker != NULL)
    cs_worker_drop (t->generate_worker);
  if (t->generate_window != NULL)
    gtk_window_destroy (GTK_WINDOW (t->generate_window));
}

void
cs_i_window_teach_finalize (CsWindow *self)
{
  CsWindowTeach *t = self->teach;

  if (t == NULL)
    return;
  g_clear_object (&t->generate_worker);
  g_array_unref (t->centres);
  g_free (t);
  self->teach = NULL;
}
