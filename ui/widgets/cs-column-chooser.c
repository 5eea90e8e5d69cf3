#include "ui/widgets/cs-column-chooser.h"

#include "cs-resources.h"
#include "core/base/cs-format.h"

/* Lists this long start collapsed: the summary line is all the sidebar needs to show. */
#define EXPAND_UP_TO 12

/* One column: a row of the list. */

#define CS_TYPE_COLUMN_ITEM (cs_column_item_get_type ())
G_DECLARE_FINAL_TYPE (CsColumnItem, cs_column_item, CS, COLUMN_ITEM, GObject)

struct _CsColumnItem
{
  GObject parent_instance;

  guint    index;   /* in the dataset */
  char    *name;    /* Owned */
  char    *kind;    /* Owned: "numeric", "categorical · 3 missing", "label" */
  char    *tooltip; /* Owned: why it can or cannot be chosen */
  gboolean numeric;
  gboolean usable;
  gboolean chosen;
  char    *description; /* Owned, may be NULL: the file's variable label (SPSS, Stata, SAS) */
};

enum
{
  ITEM_PROP_0,
  ITEM_PROP_NAME,
  ITEM_PROP_CHOSEN,
  ITEM_N_PROPS
};

static GParamSpec *item_props[ITEM_N_PROPS];

G_DEFINE_FINAL_TYPE (CsColumnItem, cs_column_item, G_TYPE_OBJECT)

static void
cs_column_item_set_chosen (CsColumnItem *item, gboolean chosen)
{
  chosen = chosen && item->usable;
  if (item->chosen == chosen)
    return;
  item->chosen = chosen;
  g_object_notify_by_pspec (G_OBJECT (item), item_props[ITEM_PROP_CHOSEN]);
}

static void
cs_column_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CsColumnItem *item = CS_COLUMN_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_NAME:
      g_value_set_string (value, item->name);
      break;
    case ITEM_PROP_CHOSEN:
      g_value_set_boolean (value, item->chosen);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_column_item_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CsColumnItem *item = CS_COLUMN_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_CHOSEN:
      cs_column_item_set_chosen (item, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_column_item_finalize (GObject *object)
{
  CsColumnItem *item = CS_COLUMN_ITEM (object);

  g_free (item->name);
  g_free (item->description);
  g_free (item->kind);
  g_free (item->tooltip);
  G_OBJECT_CLASS (cs_column_item_parent_class)->finalize (object);
}

static void
cs_column_item_class_init (CsColumnItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cs_column_item_get_property;
  object_class->set_property = cs_column_item_set_property;
  object_class->finalize = cs_column_item_finalize;
  /* "name" is what the search filters on. */
  item_props[ITEM_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_props[ITEM_PROP_CHOSEN] = g_param_spec_boolean ("chosen", NULL, NULL, FALSE,
                                                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                           | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_props);
}

static void
cs_column_item_init (CsColumnItem *item)
{
}

static CsColumnItem *
column_item_new (const CsDataset *ds, guint i)
{
  const CsColumn *col = cs_dataset_column (ds, i);
  CsColumnItem   *item = g_object_new (CS_TYPE_COLUMN_ITEM, NULL);
  const char     *kind;

  item->index = i;
  item->name = g_strdup (col->name);
  item->description = g_strdup (col->description);
  item->numeric = col->kind == CS_COLUMN_NUMERIC;
  item->usable = (int)i != ds->label_column;
  item->chosen = item->usable && item->numeric;
  if (!item->usable)
    {
      kind = "label";
      item->tooltip = g_strdup ("The label column is kept out and used to score the result (ARI, NMI)");
    }
  else if (item->numeric)
    {
      kind = "numeric";
      item->tooltip = g_strdup ("Include this column in the analysis");
    }
  else
    {
      kind = "categorical";
      item->tooltip = g_strdup ("Include this column in the analysis, one indicator per category");
    }
  if (col->n_missing > 0)
    {
      g_autofree char *count = cs_format_count (col->n_missing);

      item->kind = g_strdup_printf ("%s · %s missing", kind, count);
    }
  else
    item->kind = g_strdup (kind);
  return item;
}

/* The chooser */

struct _CsColumnChooser
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *expander;
  GtkWidget *summary_label;
  GtkWidget *search_entry;
  GtkWidget *all_button;
  GtkWidget *none_button;
  GtkWidget *numeric_button;
  GtkWidget *scroller;
  GtkWidget *list_view;
  GtkWidget *empty_label;

  GListStore        *store;    /* Owned: CsColumnItem, one per dataset column */
  GtkStringFilter   *filter;   /* Owned */
  GtkFilterListModel *filtered; /* Owned */
  char              *summary;  /* Owned */
  char              *label_name; /* Owned: the label column's name, or NULL */
  guint              batch;    /* > 0 while All/None/Numeric change many items */
  gboolean           batch_changed;
};

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CsColumnChooser, cs_column_chooser, GTK_TYPE_WIDGET)

static guint
n_items (CsColumnChooser *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->store));
}

static CsColumnItem *
item_at (CsColumnChooser *self, guint i)
{
  CsColumnItem *item = g_list_model_get_item (G_LIST_MODEL (self->store), i);

  /* The store keeps it alive. */
  g_object_unref (item);
  return item;
}

static void
update_summary (CsColumnChooser *self)
{
  guint            usable = 0;
  guint            chosen = 0;
  g_autofree char *n_chosen = NULL;
  g_autofree char *n_usable = NULL;
  g_autofree char *accessible = NULL;

  for (guint i = 0; i < n_items (self); i++)
    {
      CsColumnItem *item = item_at (self, i);

      usable += item->usable;
      chosen += item->chosen;
    }
  n_chosen = cs_format_count (chosen);
  n_usable = cs_format_count (usable);
  g_free (self->summary);
  if (n_items (self) == 0)
    self->summary = g_strdup ("No columns");
  else
    self->summary = g_strdup_printf ("%s of %s %s%s%s%s", n_chosen, n_usable, usable == 1 ? "column" : "columns",
                                     self->label_name != NULL ? " · label ‘" : "",
                                     self->label_name != NULL ? self->label_name : "",
                                     self->label_name != NULL ? "’" : "");
  gtk_label_set_text (GTK_LABEL (self->summary_label), self->summary);
  accessible = g_strdup_printf ("Columns: %s", self->summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->expander), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
item_chosen_cb (CsColumnItem *item, GParamSpec *pspec, CsColumnChooser *self)
{
  if (self->batch > 0)
    {
      self->batch_changed = TRUE;
      return;
    }
  update_summary (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* A row's height, fixed by style.css (.column-chooser-list > row); without that style sheet rows
 * are a little shorter and the open list a little taller than it needs to be. */
#define ROW_HEIGHT 26

/* A scrolled window in a scrolled sidebar gets its minimum height, not its natural one: ask for
 * the rows shown, up to MAX_ROWS_SHOWN, so the open list is as tall as it needs to be. */
#define MAX_ROWS_SHOWN 10

static void
update_list (CsColumnChooser *self)
{
  guint    shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  gboolean none = n_items (self) > 0 && shown == 0;

  gtk_widget_set_visible (self->empty_label, none);
  gtk_widget_set_visible (self->scroller, !none);
  /* The minimum first: GTK refuses a maximum below the current minimum. */
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (self->scroller), -1);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (self->scroller),
                                              MAX_ROWS_SHOWN * ROW_HEIGHT);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (self->scroller),
                                              MIN (MAX (shown, 1u), MAX_ROWS_SHOWN) * ROW_HEIGHT);
}

static void
search_changed_cb (GtkSearchEntry *entry, CsColumnChooser *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  gtk_string_filter_set_search (self->filter, text[0] != '\0' ? text : NULL);
  update_list (self);
}

void
cs_column_chooser_choose (CsColumnChooser *self, CsColumnChoice choice)
{
  g_return_if_fail (CS_IS_COLUMN_CHOOSER (self));

  /* The columns the search shows (all of them without one): search "r3", then None. */
  self->batch++;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->filtered)); i++)
    {
      g_autoptr (CsColumnItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      cs_column_item_set_chosen (item, choice == CS_COLUMN_CHOOSE_ALL
                                           || (choice == CS_COLUMN_CHOOSE_NUMERIC && item->numeric));
    }
  self->batch--;
  if (self->batch == 0 && self->batch_changed)
    {
      self->batch_changed = FALSE;
      update_summary (self);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
    }
}

static void
all_clicked_cb (GtkButton *button, CsColumnChooser *self)
{
  cs_column_chooser_choose (self, CS_COLUMN_CHOOSE_ALL);
}

static void
none_clicked_cb (GtkButton *button, CsColumnChooser *self)
{
  cs_column_chooser_choose (self, CS_COLUMN_CHOOSE_NONE);
}

static void
numeric_clicked_cb (GtkButton *button, CsColumnChooser *self)
{
  cs_column_chooser_choose (self, CS_COLUMN_CHOOSE_NUMERIC);
}

/* Rows */

static GtkWidget *
row_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *kind = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "column-row");
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (kind, "dim-label");
  gtk_widget_add_css_class (kind, "caption");
  gtk_widget_add_css_class (kind, "column-role");
  gtk_box_append (GTK_BOX (box), check);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), kind);
  return box;
}

static void
setup_row_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GtkWidget *box = row_new ();

  /* The check box is what takes focus and clicks; the row itself is not a second target. */
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_selectable (list_item, FALSE);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  CsColumnItem    *item = gtk_list_item_get_item (list_item);
  GtkWidget       *box = gtk_list_item_get_child (list_item);
  GtkWidget       *check = gtk_widget_get_first_child (box);
  GtkWidget       *name = gtk_widget_get_next_sibling (check);
  GtkWidget       *kind = gtk_widget_get_next_sibling (name);
  g_autofree char *check_name = g_strdup_printf ("Use column %s", item->name);
  GBinding        *binding;

  gtk_label_set_text (GTK_LABEL (name), item->name);
  if (item->description != NULL)
    {
      g_autofree char *tip = g_strdup_printf ("%s — %s", item->name, item->description);
      gtk_widget_set_tooltip_text (name, tip);
    }
  else
    gtk_widget_set_tooltip_text (name, item->name);
  gtk_label_set_text (GTK_LABEL (kind), item->kind);
  gtk_widget_set_sensitive (check, item->usable);
  gtk_widget_set_tooltip_text (check, item->tooltip);
  /* The tooltip is the check box's accessible description; the file's variable label leads it. */
  if (item->description != NULL)
    {
      g_autofree char *described = g_strdup_printf ("%s — %s", item->description, item->tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, described, -1);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, check_name, -1);
  binding = g_object_bind_property (item, "chosen", check, "active", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_set_data (G_OBJECT (list_item), "cs-binding", binding);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GBinding *binding = g_object_steal_data (G_OBJECT (list_item), "cs-binding");

  if (binding != NULL)
    g_binding_unbind (binding);
}

/* Public */

GtkWidget *
cs_column_chooser_new (void)
{
  return g_object_new (CS_TYPE_COLUMN_CHOOSER, NULL);
}

void
cs_column_chooser_set_dataset (CsColumnChooser *self, const CsDataset *ds)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (CS_IS_COLUMN_CHOOSER (self));

  for (guint i = 0; i < n_items (self); i++)
    g_signal_handlers_disconnect_by_func (item_at (self, i), item_chosen_cb, self);
  g_clear_pointer (&self->label_name, g_free);
  if (ds != NULL)
    {
      for (guint i = 0; i < cs_dataset_n_columns (ds); i++)
        {
          CsColumnItem *item = column_item_new (ds, i);

          g_signal_connect (item, "notify::chosen", G_CALLBACK (item_chosen_cb), self);
          g_ptr_array_add (items, item);
        }
      if (ds->label_column >= 0)
        self->label_name = g_strdup (cs_dataset_column (ds, ds->label_column)->name);
    }
  /* One splice: the list view rebuilds once, however many columns. */
  g_list_store_splice (self->store, 0, n_items (self), items->pdata, items->len);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_string_filter_set_search (self->filter, NULL);
  gtk_expander_set_expanded (GTK_EXPANDER (self->expander), items->len > 0 && items->len <= EXPAND_UP_TO);
  update_summary (self);
  update_list (self);
}

GArray *
cs_column_chooser_get_chosen (CsColumnChooser *self)
{
  GArray *chosen = g_array_new (FALSE, FALSE, sizeof (int));

  g_return_val_if_fail (CS_IS_COLUMN_CHOOSER (self), chosen);

  for (guint i = 0; i < n_items (self); i++)
    {
      CsColumnItem *item = item_at (self, i);
      int           c = (int)item->index;

      if (item->chosen)
        g_array_append_val (chosen, c);
    }
  return chosen;
}

guint
cs_column_chooser_get_n_chosen (CsColumnChooser *self)
{
  guint n = 0;

  g_return_val_if_fail (CS_IS_COLUMN_CHOOSER (self), 0);

  for (guint i = 0; i < n_items (self); i++)
    n += item_at (self, i)->chosen;
  return n;
}

guint
cs_column_chooser_get_n_columns (CsColumnChooser *self)
{
  g_return_val_if_fail (CS_IS_COLUMN_CHOOSER (self), 0);

  return n_items (self);
}

gboolean
cs_column_chooser_set_column_chosen (CsColumnChooser *self, guint column, gboolean chosen)
{
  CsColumnItem *item;

  g_return_val_if_fail (CS_IS_COLUMN_CHOOSER (self), FALSE);

  if (column >= n_items (self))
    return FALSE;
  item = item_at (self, column);
  if (!item->usable)
    return !chosen;
  cs_column_item_set_chosen (item, chosen);
  return TRUE;
}

void
cs_column_chooser_set_search (CsColumnChooser *self, const char *text)
{
  g_return_if_fail (CS_IS_COLUMN_CHOOSER (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* At once, not after the entry's typing delay. */
  search_changed_cb (GTK_SEARCH_ENTRY (self->search_entry), self);
}

guint
cs_column_chooser_get_n_shown (CsColumnChooser *self)
{
  g_return_val_if_fail (CS_IS_COLUMN_CHOOSER (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

const char *
cs_column_chooser_get_summary (CsColumnChooser *self)
{
  g_return_val_if_fail (CS_IS_COLUMN_CHOOSER (self), NULL);

  return self->summary;
}

void
cs_column_chooser_set_expanded (CsColumnChooser *self, gboolean expanded)
{
  g_return_if_fail (CS_IS_COLUMN_CHOOSER (self));

  gtk_expander_set_expanded (GTK_EXPANDER (self->expander), expanded);
}

gboolean
cs_column_chooser_get_expanded (CsColumnChooser *self)
{
  g_return_val_if_fail (CS_IS_COLUMN_CHOOSER (self), FALSE);

  return gtk_expander_get_expanded (GTK_EXPANDER (self->expander));
}

/* GObject */

static void
cs_column_chooser_dispose (GObject *object)
{
  CsColumnChooser *self = CS_COLUMN_CHOOSER (object);

  if (self->store != NULL)
    for (guint i = 0; i < n_items (self); i++)
      g_signal_handlers_disconnect_by_func (item_at (self, i), item_chosen_cb, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CS_TYPE_COLUMN_CHOOSER);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (cs_column_chooser_parent_class)->dispose (object);
}

static void
cs_column_chooser_finalize (GObject *object)
{
  CsColumnChooser *self = CS_COLUMN_CHOOSER (object);

  g_free (self->summary);
  g_free (self->label_name);
  G_OBJECT_CLASS (cs_column_chooser_parent_class)->finalize (object);
}

static void
cs_column_chooser_class_init (CsColumnChooserClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_column_chooser_dispose;
  object_class->finalize = cs_column_chooser_finalize;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                          NULL, NULL, G_TYPE_NONE, 0);

  /* Keeps the resource bundle (and its registering constructor) in the link of a program that
   * uses this widget alone. */
  (void)cs_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/widgets/cs-column-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, CsColumnChooser, expander);
  gtk_widget_class_bind_template_child (widget_class, CsColumnChooser, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CsColumnChooser, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CsColumnChooser, all_button);
  gtk_widget_class_bind_template_child (widget_class, CsColumnChooser, none_button);
  gtk_widget_class_bind_template_child (widget_class, CsColumnChooser, numeric_button);
  gtk_widget_class_bind_template_child (widget_class, CsColumnChooser, scroller);
  gtk_widget_class_bind_template_child (widget_class, CsColumnChooser, list_view);
  gtk_widget_class_bind_template_child (widget_class, CsColumnChooser, empty_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cs_column_chooser_init (CsColumnChooser *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkNoSelection     *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->store = g_list_store_new (CS_TYPE_COLUMN_ITEM);
  self->filter = gtk_string_filter_new (gtk_property_expression_new (CS_TYPE_COLUMN_ITEM, NULL, "name"));
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->filter, TRUE);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_list_view_set_factory (GTK_LIST_VIEW (self->list_view), factory);
  gtk_list_view_set_model (GTK_LIST_VIEW (self->list_view), GTK_SELECTION_MODEL (selection));
  g_object_unref (factory);
  g_object_unref (selection);

  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect (self->all_button, "clicked", G_CALLBACK (all_clicked_cb), self);
  g_signal_connect (self->none_button, "clicked", G_CALLBACK (none_clicked_cb), self);
  g_signal_connect (self->numeric_button, "clicked", G_CALLBACK (numeric_clicked_cb), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, "Columns", -1);
  update_summary (self);
  update_list (self);
}
