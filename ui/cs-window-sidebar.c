#include "ui/cs-window-private.h"

#include "core/base/cs-format.h"
#include "core/cluster/cs-registry.h"
#include "core/graph/cs-graph-dataset.h"
#include "core/graph/cs-graph-algorithms.h"
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

static void fill_algorithms (CsWindow *self, const char *fallback);

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
  int              graph_columns[2];
  gsize            n_graph_columns = cs_graph_dataset_default_columns (ds, graph_columns);

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

    cs_dataset_default_axes (ds, n_graph_columns > 0 ? graph_columns : NULL, n_graph_columns, &x_col, &y_col);
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

  /* A graph: its nodes' spectral coordinates are clustered by default, and the first run is a
   * graph algorithm (which reads k from the node labels' classes). */
  if (n_graph_columns > 0)
    {
      CsColumnChooser *chooser = CS_COLUMN_CHOOSER (self->columns_list);

      for (gsize c = 0; c < cs_dataset_n_columns (ds); c++)
        {
          gboolean keep = FALSE;
          for (gsize j = 0; j < n_graph_columns; j++)
            keep |= graph_columns[j] == (int) c;
          cs_column_chooser_set_column_chosen (chooser, (guint) c, keep);
        }
    }
  fill_algorithms (self, ds->graph != NULL ? cs_algorithm_graph_kernel_kmeans.id : NULL);
}

/* The algorithm drop-down lists the registry by category, a header row above each group (the
 * Graph group first on graph data, last otherwise). Its items are GtkStringObjects holding an
 * algorithm id, or HEADER_PREFIX and a category. An algorithm that cannot run on the data (a
 * graph algorithm on a table) stays in its place, greyed, with the reason as its tooltip, and
 * cannot be chosen. */
#define HEADER_PREFIX "\x1f"

/* NULL when algo can run on ds (which may be NULL), else why not. */
static const char *
algorithm_unavailable (const CsAlgorithm *algo, const CsDataset *ds)
{
  if (cs_algorithm_needs_graph (algo) && (ds == NULL || ds->graph == NULL))
    return "Clusters the nodes of a graph: open an edge list (.edges) or the Karate club sample";
  return NULL;
}

static const CsAlgorithm *
item_algorithm (gpointer item)
{
  const char *id = item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;

  if (id == NULL || g_str_has_prefix (id, HEADER_PREFIX))
    return NULL;
  return cs_registry_lookup (id);
}

static void
algorithm_item_setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
algorithm_item_bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, CsWindow *self)
{
  GtkWidget         *label = gtk_list_item_get_child (item);
  const char        *id = gtk_string_object_get_string (GTK_STRING_OBJECT (gtk_list_item_get_item (item)));
  const CsAlgorithm *algo = item_algorithm (gtk_list_item_get_item (item));
  const char        *why = algo != NULL ? algorithm_unavailable (algo, self->dataset) : NULL;
  gboolean           in_list = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "in-list"));

  gtk_widget_remove_css_class (label, "heading");
  gtk_widget_remove_css_class (label, "dim-label");
  gtk_widget_set_margin_start (label, 0);
  if (algo == NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s algorithms", id + strlen (HEADER_PREFIX));

      gtk_label_set_text (GTK_LABEL (label), id + strlen (HEADER_PREFIX));
      /* Said as a group, and not confused with the view of the same name ("Graph"). */
      gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_widget_add_css_class (label, "heading");
      gtk_widget_set_tooltip_text (label, NULL);
      gtk_list_item_set_selectable (item, FALSE);
      gtk_list_item_set_activatable (item, FALSE);
      return;
    }
  gtk_label_set_text (GTK_LABEL (label), algo->name);
  if (in_list)
    gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_tooltip_text (label, why != NULL ? why : algo->description);
  if (why != NULL)
    gtk_widget_add_css_class (label, "dim-label");
  gtk_list_item_set_selectable (item, why == NULL);
  gtk_list_item_set_activatable (item, why == NULL);
}

static GtkListItemFactory *
algorithm_factory (CsWindow *self, gboolean in_list)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "in-list", GINT_TO_POINTER (in_list));
  g_signal_connect (factory, "setup", G_CALLBACK (algorithm_item_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (algorithm_item_bind_cb), self);
  return factory;
}

/* The drop-down's position of algorithm id, or GTK_INVALID_LIST_POSITION. */
static guint
algorithm_position (CsWindow *self, const char *id)
{
  GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (self->algorithm_dropdown));
  guint       n = model != NULL ? g_list_model_get_n_items (model) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (model, i);
      if (g_strcmp0 (gtk_string_object_get_string (GTK_STRING_OBJECT (item)), id) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static void
algorithm_changed_cb (GtkDropDown *dropdown, GParamSpec *pspec, CsWindow *self)
{
  const CsAlgorithm *algo = item_algorithm (gtk_drop_down_get_selected_item (dropdown));

  /* A header, or the list being rebuilt: the panel keeps what it has. */
  if (algo == NULL)
    return;
  cs_params_panel_set_algorithm (CS_PARAMS_PANEL (self->params_panel), algo);
  gtk_label_set_text (GTK_LABEL (self->algorithm_description_label), algo->description);
  gtk_widget_set_visible (self->algorithm_description_label,
                          algo->description != NULL && algo->description[0] != '\0');
  cs_i_window_distances_algorithm_changed (self);
  if (!self->disposed)
    cs_i_window_update_actions (self);
}

/* The list for the current dataset; the panel's algorithm stays selected when it can run on
 * the data, else `fallback` is. */
static void
fill_algorithms (CsWindow *self, const char *fallback)
{
  gsize                     n = 0;
  const CsAlgorithm *const *algos = cs_registry_list (&n);
  g_autoptr (GtkStringList) items = gtk_string_list_new (NULL);
  g_autoptr (GPtrArray) categories = g_ptr_array_new ();
  gboolean graph_first = self->dataset != NULL && self->dataset->graph != NULL;
  const CsAlgorithm *current = cs_params_panel_get_algorithm (CS_PARAMS_PANEL (self->params_panel));
  const char        *want;
  guint              pos;

  for (gsize i = 0; i < n; i++)
    if (!g_ptr_array_find_with_equal_func (categories, algos[i]->category, g_str_equal, NULL))
      g_ptr_array_add (categories, (gpointer) algos[i]->category);
  for (guint pass = 0; pass < 2; pass++)
    for (guint c = 0; c < categories->len; c++)
      {
        const char *category = g_ptr_array_index (categories, c);
        gboolean    is_graph = g_strcmp0 (category, "Graph") == 0;
        g_autofree char *header = g_strconcat (HEADER_PREFIX, category, NULL);

        if ((pass == 0) != (is_graph == graph_first))
          continue;
        gtk_string_list_append (items, header);
        for (gsize i = 0; i < n; i++)
          if (g_strcmp0 (algos[i]->category, category) == 0)
            gtk_string_list_append (items, algos[i]->id);
      }
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->algorithm_dropdown), G_LIST_MODEL (items));
  want = fallback;
  if (want == NULL && current != NULL && algorithm_unavailable (current, self->dataset) == NULL)
    want = current->id;
  if (want == NULL)
    want = algos[0]->id;
  pos = algorithm_position (self, want);
  if (pos != GTK_INVALID_LIST_POSITION)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->algorithm_dropdown), pos);
}

gboolean
cs_window_select_algorithm (CsWindow *self, const char *algorithm_id)
{
  const CsAlgorithm *algo;
  guint              pos;

  g_return_val_if_fail (CS_IS_WINDOW (self), FALSE);

  algo = cs_registry_lookup (algorithm_id);
  pos = algorithm_position (self, algorithm_id);
  if (algo == NULL || pos == GTK_INVALID_LIST_POSITION || algorithm_unavailable (algo, self->dataset) != NULL)
    return FALSE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->algorithm_dropdown), pos);
  algorithm_changed_cb (GTK_DROP_DOWN (self->algorithm_dropdown), NULL, self);
  return TRUE;
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
  CsPrepareOptions prepare;

  self->axis_columns = g_array_new (FALSE, FALSE, sizeof (int));
  g_signal_connect (self->columns_list, "changed", G_CALLBACK (columns_changed_cb), self);

  cs_prepare_options_init (&prepare);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->scaling_dropdown), item_for_scaling (prepare.scaling));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->missing_dropdown),
                              prepare.missing == CS_MISSING_MEAN ? 1 : 0);

  {
    g_autoptr (GtkListItemFactory) button = algorithm_factory (self, FALSE);
    g_autoptr (GtkListItemFactory) list = algorithm_factory (self, TRUE);

    gtk_drop_down_set_factory (GTK_DROP_DOWN (self->algorithm_dropdown), button);
    gtk_drop_down_set_list_factory (GTK_DROP_DOWN (self->algorithm_dropdown), list);
  }
  g_signal_connect (self->algorithm_dropdown, "notify::selected", G_CALLBACK (algorithm_changed_cb), self);
  if (n_algos > 0)
    {
      fill_algorithms (self, algos[0]->id);
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
