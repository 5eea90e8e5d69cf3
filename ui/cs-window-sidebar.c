#include "ui/cs-window-private.h"

#include "core/base/cs-format.h"
#include "core/cluster/cs-registry.h"
#include "ui/widgets/cs-column-chooser.h"

/* The sidebar's dataset panel: the dataset's name and size, its columns (the chosen ones are
 * clustered), the axes of the scatter plot, preprocessing and the algorithm with its
 * parameters. A change of axes rebuilds the plotted points; a change of columns or
 * preprocessing does too while no result is shown (a result stays until the next run). */

GArray *
cs_i_window_chosen_columns (CsWindow *self)
{
  return cs_column_chooser_get_chosen (CS_COLUMN_CHOOSER (self->columns_list));
}

void
cs_i_window_axis_selection (CsWindow *self, int *x_column, int *y_column)
{
  guint xi = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->x_dropdown));
  guint yi = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->y_dropdown));

  *x_column = -1;
  *y_column = -1;
  if (self->axis_columns == NULL || xi >= self->axis_columns->len || yi >= self->axis_columns->len)
    return;
  *x_column = g_array_index (self->axis_columns, int, xi);
  *y_column = g_array_index (self->axis_columns, int, yi);
  /* The model builder projects both axes or neither. */
  if (*x_column < 0 || *y_column < 0)
    *x_column = *y_column = -1;
}

/* The scaling drop-down's items, in order (cs-window.ui). */
static const CsScaling scaling_items[] = { CS_SCALE_AUTO, CS_SCALE_NONE, CS_SCALE_STANDARDIZE, CS_SCALE_MINMAX };

static CsScaling
scaling_for_item (guint item)
{
  return item < G_N_ELEMENTS (scaling_items) ? scaling_items[item] : CS_SCALE_AUTO;
}

static guint
item_for_scaling (CsScaling scaling)
{
  for (guint i = 0; i < G_N_ELEMENTS (scaling_items); i++)
    if (scaling_items[i] == scaling)
      return i;
  return 0;
}

void
cs_i_window_fill_prepare_options (CsWindow *self, CsPrepareOptions *prepare)
{
  cs_prepare_options_init (prepare);
  prepare->scaling = scaling_for_item (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->scaling_dropdown)));
  prepare->missing = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->missing_dropdown)) == 1
                         ? CS_MISSING_MEAN
                         : CS_MISSING_DROP;
}

void
cs_i_window_fill_prepare (CsWindow *self, CsPrepareOptions *prepare, GArray *columns)
{
  g_autoptr (GArray) chosen = cs_i_window_chosen_columns (self);

  g_array_set_size (columns, 0);
  g_array_append_vals (columns, chosen->data, chosen->len);
  cs_i_window_fill_prepare_options (self, prepare);
  prepare->columns = (const int *)(gpointer)columns->data;
  prepare->n_columns = columns->len;
}

static void
axis_changed_cb (GtkDropDown *dropdown, GParamSpec *pspec, CsWindow *self)
{
  GtkDropDown *other;
  guint        mine;
  guint        theirs;
  int          mine_col;
  int          their_col;

  if (self->syncing_axes || self->axis_columns == NULL || self->axis_columns->len == 0)
    return;

  other = GTK_DROP_DOWN (dropdown == GTK_DROP_DOWN (self->x_dropdown) ? self->y_dropdown : self->x_dropdown);
  mine = gtk_drop_down_get_selected (dropdown);
  theirs = gtk_drop_down_get_selected (other);
  if (mine >= self->axis_columns->len || theirs >= self->axis_columns->len)
    return;
  mine_col = g_array_index (self->axis_columns, int, mine);
  their_col = g_array_index (self->axis_columns, int, theirs);

  /* PCA gives both coordinates at once, so the two drop-downs move together between
   * "PCA" and "two columns". */
  self->syncing_axes = TRUE;
  if (mine_col < 0 && their_col >= 0)
    gtk_drop_down_set_selected (other, 0);
  else if (mine_col >= 0 && their_col < 0)
    {
      for (guint i = 1; i < self->axis_columns->len; i++)
        if (i != mine)
          {
            gtk_drop_down_set_selected (other, i);
            break;
          }
    }
  self->syncing_axes = FALSE;

  cs_i_window_rebuild_model (self);
}

static void
columns_changed_cb (CsColumnChooser *chooser, CsWindow *self)
{
  /* A shown result stays until the next run; only the raw preview follows the columns. */
  if (self->result == NULL)
    cs_i_window_rebuild_model (self);
}

static void
preprocessing_changed_cb (GtkDropDown *dropdown, GParamSpec *pspec, CsWindow *self)
{
  if (self->result == NULL)
    cs_i_window_rebuild_model (self);
}

void
cs_i_window_sidebar_show_dataset (CsWindow *self)
{
  CsDataset *ds = self->dataset;
  g_autoptr (GtkStringList) axes = gtk_string_list_new (NULL);
  g_autofree char *size = NULL;
  g_autofree char *title = NULL;
  g_autofree char *rows = cs_format_count (ds->n_rows);
  g_autofree char *n_columns = cs_format_count (cs_dataset_n_columns (ds));
  int              pca = -1;

  gtk_label_set_text (GTK_LABEL (self->dataset_name_label), ds->name);
  gtk_widget_set_tooltip_text (self->dataset_name_label, ds->name);
  size = g_strdup_printf ("%s %s × %s %s", rows, ds->n_rows == 1 ? "row" : "rows", n_columns,
                          cs_dataset_n_columns (ds) == 1 ? "column" : "columns");
  gtk_label_set_text (GTK_LABEL (self->dataset_size_label), size);

  title = g_strdup_printf ("%s — Clusterscope", ds->name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (GTK_LABEL (self->title_label), ds->name);
  gtk_label_set_text (GTK_LABEL (self->subtitle_label), ds->path != NULL ? ds->path : "Clusterscope");
  gtk_widget_set_visible (self->subtitle_label, TRUE);

  cs_column_chooser_set_dataset (CS_COLUMN_CHOOSER (self->columns_list), ds);
  gtk_widget_set_visible (self->columns_list, cs_dataset_n_columns (ds) > 0);

  if (ds->notices != NULL && ds->notices->len > 0)
    {
      GString *text = g_string_new (NULL);

      for (guint i = 0; i < ds->notices->len; i++)
        g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "",
                                (const char *)g_ptr_array_index (ds->notices, i));
      gtk_label_set_text (GTK_LABEL (self->notices_label), text->str);
      g_string_free (text, TRUE);
    }
  gtk_widget_set_visible (self->notices_label, ds->notices != NULL && ds->notices->len > 0);

  g_array_set_size (self->axis_columns, 0);
  gtk_string_list_append (axes, "PCA (automatic)");
  g_array_append_val (self->axis_columns, pca);
  for (gsize i = 0; i < cs_dataset_n_columns (ds); i++)
    if (cs_dataset_column (ds, i)->kind == CS_COLUMN_NUMERIC)
      {
        int c = (int)i;

        gtk_string_list_append (axes, cs_dataset_column (ds, i)->name);
        g_array_append_val (self->axis_columns, c);
      }
  /* Two numeric features besides the label: show them as they are, not rotated by PCA. */
  {
    guint x_item = 0, y_item = 0;
    int x_col, y_col;

    cs_dataset_default_axes (ds, NULL, 0, &x_col, &y_col);
    for (guint i = 1; i < self->axis_columns->len; i++)
      {
        if (g_array_index (self->axis_columns, int, i) == x_col)
          x_item = i;
        if (g_array_index (self->axis_columns, int, i) == y_col)
          y_item = i;
      }
    self->syncing_axes = TRUE;
    gtk_drop_down_set_model (GTK_DROP_DOWN (self->x_dropdown), G_LIST_MODEL (axes));
    gtk_drop_down_set_model (GTK_DROP_DOWN (self->y_dropdown), G_LIST_MODEL (axes));
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->x_dropdown), x_item);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->y_dropdown), y_item);
    self->syncing_axes = FALSE;
  }

  gtk_widget_set_visible (self->missing_info_label, FALSE);
}

static void
algorithm_changed_cb (GtkDropDown *dropdown, GParamSpec *pspec, CsWindow *self)
{
  gsize                     n = 0;
  const CsAlgorithm *const *algos = cs_registry_list (&n);
  guint                     i = gtk_drop_down_get_selected (dropdown);

  if (i >= n)
    return;
  cs_params_panel_set_algorithm (CS_PARAMS_PANEL (self->params_panel), algos[i]);
  gtk_label_set_text (GTK_LABEL (self->algorithm_description_label), algos[i]->description);
  gtk_widget_set_visible (self->algorithm_description_label,
                          algos[i]->description != NULL && algos[i]->description[0] != '\0');
  cs_i_window_distances_algorithm_changed (self);
  if (!self->disposed)
    cs_i_window_update_actions (self);
}

gboolean
cs_window_select_algorithm (CsWindow *self, const char *algorithm_id)
{
  gsize                     n = 0;
  const CsAlgorithm *const *algos = cs_registry_list (&n);

  g_return_val_if_fail (CS_IS_WINDOW (self), FALSE);

  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (algos[i]->id, algorithm_id) == 0)
      {
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->algorithm_dropdown), i);
        algorithm_changed_cb (GTK_DROP_DOWN (self->algorithm_dropdown), NULL, self);
        return TRUE;
      }
  return FALSE;
}

gboolean
cs_i_window_axis_index (CsWindow *self, const char *name, guint *index)
{
  int c;

  if (self->dataset == NULL)
    return FALSE;
  c = cs_dataset_find_column (self->dataset, name);
  for (guint i = 1; c >= 0 && i < self->axis_columns->len; i++)
    if (g_array_index (self->axis_columns, int, i) == c)
      {
        *index = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
cs_window_set_axes (CsWindow *self, const char *x_column, const char *y_column)
{
  guint xi = 0;
  guint yi = 0;

  g_return_val_if_fail (CS_IS_WINDOW (self), FALSE);

  if (self->dataset == NULL)
    return FALSE;
  if (x_column != NULL && y_column != NULL
      && (!cs_i_window_axis_index (self, x_column, &xi) || !cs_i_window_axis_index (self, y_column, &yi)))
    return FALSE;
  self->syncing_axes = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->x_dropdown), xi);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->y_dropdown), yi);
  self->syncing_axes = FALSE;
  cs_i_window_rebuild_model (self);
  return TRUE;
}

void
cs_i_window_sidebar_show_prepared (CsWindow *self, const CsPrepared *prep)
{
  g_autofree char *info = NULL;
  g_autofree char *dropped = cs_format_count (prep->n_dropped);
  g_autofree char *imputed = cs_format_count (prep->n_imputed);

  if (prep->n_dropped > 0)
    info = g_strdup_printf ("Dropped %s %s with missing values", dropped, prep->n_dropped == 1 ? "row" : "rows");
  else if (prep->n_imputed > 0)
    info = g_strdup_printf ("Filled %s missing %s with column means", imputed,
                            prep->n_imputed == 1 ? "value" : "values");
  else
    info = g_strdup ("No missing values");
  gtk_label_set_text (GTK_LABEL (self->missing_info_label), info);
  gtk_widget_set_visible (self->missing_info_label, TRUE);
}

void
cs_i_window_sidebar_init (CsWindow *self)
{
  gsize                     n_algos = 0;
  const CsAlgorithm *const *algos = cs_registry_list (&n_algos);
  g_autoptr (GtkStringList) algo_names = gtk_string_list_new (NULL);
  CsPrepareOptions prepare;

  self->axis_columns = g_array_new (FALSE, FALSE, sizeof (int));
  g_signal_connect (self->columns_list, "changed", G_CALLBACK (columns_changed_cb), self);

  cs_prepare_options_init (&prepare);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->scaling_dropdown), item_for_scaling (prepare.scaling));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->missing_dropdown),
                              prepare.missing == CS_MISSING_MEAN ? 1 : 0);

  for (gsize i = 0; i < n_algos; i++)
    gtk_string_list_append (algo_names, algos[i]->name);
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->algorithm_dropdown), G_LIST_MODEL (algo_names));
  g_signal_connect (self->algorithm_dropdown, "notify::selected", G_CALLBACK (algorithm_changed_cb), self);
  if (n_algos > 0)
    {
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->algorithm_dropdown), 0);
      algorithm_changed_cb (GTK_DROP_DOWN (self->algorithm_dropdown), NULL, self);
    }

  g_signal_connect (self->x_dropdown, "notify::selected", G_CALLBACK (axis_changed_cb), self);
  g_signal_connect (self->y_dropdown, "notify::selected", G_CALLBACK (axis_changed_cb), self);
  g_signal_connect (self->scaling_dropdown, "notify::selected", G_CALLBACK (preprocessing_changed_cb), self);
  g_signal_connect (self->missing_dropdown, "notify::selected", G_CALLBACK (preprocessing_changed_cb), self);

  {
    /* Until a dataset arrives the axis drop-downs show what they will default to. */
    static const char *const pca_only[] = { "PCA (automatic)", NULL };
    g_autoptr (GtkStringList) axes = gtk_string_list_new (pca_only);

    gtk_drop_down_set_model (GTK_DROP_DOWN (self->x_dropdown), G_LIST_MODEL (axes));
    gtk_drop_down_set_model (GTK_DROP_DOWN (self->y_dropdown), G_LIST_MODEL (axes));
  }
}

void
cs_i_window_sidebar_set_prepare (CsWindow *self, CsScaling scaling, CsMissingPolicy missing)
{
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->scaling_dropdown), item_for_scaling (scaling));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->missing_dropdown), missing == CS_MISSING_MEAN ? 1 : 0);
}
