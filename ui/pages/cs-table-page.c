#include "ui/pages/cs-table-page.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/data/cs-dataset-subset.h"
#include "ui/cs-plot-selection.h"
#include "ui/cs-worker.h"

/* Columns before the dataset's own: the row number and the cluster. */
#define COLUMN_ROW     (-2)
#define COLUMN_CLUSTER (-1)
/* Labels of rows the current result did not cluster (dropped by preparation). */
#define LABEL_DROPPED INT_MIN

/* A row of the table, made when GTK asks for it: a million rows never become a million
 * objects, only the few dozen on screen. */
#define CS_TYPE_TABLE_ROW (cs_table_row_get_type ())
G_DECLARE_FINAL_TYPE (CsTableRow, cs_table_row, CS, TABLE_ROW, GObject)

struct _CsTableRow
{
  GObject parent_instance;
  guint   row; /* dataset row */
};

G_DEFINE_FINAL_TYPE (CsTableRow, cs_table_row, G_TYPE_OBJECT)

static void
cs_table_row_class_init (CsTableRowClass *klass)
{
}

static void
cs_table_row_init (CsTableRow *self)
{
}

/* The rows in the order shown: a permutation (after filtering, a subset) of the dataset's rows. */
#define CS_TYPE_TABLE_MODEL (cs_table_model_get_type ())
G_DECLARE_FINAL_TYPE (CsTableModel, cs_table_model, CS, TABLE_MODEL, GObject)

struct _CsTableModel
{
  GObject parent_instance;
  guint  *order; /* Owned, n */
  guint   n;
};

static GType
model_get_item_type (GListModel *list)
{
  return CS_TYPE_TABLE_ROW;
}

static guint
model_get_n_items (GListModel *list)
{
  return CS_TABLE_MODEL (list)->n;
}

static gpointer
model_get_item (GListModel *list, guint position)
{
  CsTableModel *self = CS_TABLE_MODEL (list);
  CsTableRow   *item;

  if (position >= self->n)
    return NULL;
  item = g_object_new (CS_TYPE_TABLE_ROW, NULL);
  item->row = self->order[position];
  return item;
}

static void
cs_table_model_list_init (GListModelInterface *iface)
{
  iface->get_item_type = model_get_item_type;
  iface->get_n_items = model_get_n_items;
  iface->get_item = model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (CsTableModel, cs_table_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, cs_table_model_list_init))

static void
cs_table_model_finalize (GObject *object)
{
  g_free (CS_TABLE_MODEL (object)->order);
  G_OBJECT_CLASS (cs_table_model_parent_class)->finalize (object);
}

static void
cs_table_model_class_init (CsTableModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cs_table_model_finalize;
}

static void
cs_table_model_init (CsTableModel *self)
{
}

/* Takes `order`. */
static void
cs_table_model_set_order (CsTableModel *self, guint *order, guint n)
{
  guint old = self->n;

  g_free (self->order);
  self->order = order;
  self->n = n;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old, n);
}

/* The page ------------------------------------------------------------------------------- */

struct _CsTablePage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *filter_entry;
  GtkWidget *sort_dropdown;
  GtkWidget *descending_button;
  GtkWidget *count_label;
  GtkWidget *column_view;
  GtkWidget *selection_menu_button;

  CsDataset          *dataset;   /* Owned ref, may be NULL */
  CsPageResult       *result;    /* Owned ref, may be NULL */
  int                *labels;    /* Owned, dataset->n_rows, or NULL: cluster per dataset row */
  CsTableModel       *model;     /* Owned */
  GtkMultiSelection  *selection; /* Owned */
  gsize              *selected;  /* Owned, sorted dataset rows selected (the window's selection) */
  gsize               n_selected;
  CsWorker           *worker;    /* Owned */
  CsWorker           *copy_worker; /* Owned: prints the selected rows for the clipboard */
  gboolean            stale;
  gboolean            syncing;   /* changing the selection or drop-down from code */
  GPtrArray          *columns;   /* Owned, GtkColumnViewColumn*: column id + 2 → its column */
  CsTableRow         *probe[2];  /* Owned: two rows the headers' sorters are asked to compare */
  int                 probed;    /* the first column whose sorter was asked, or PROBE_NONE */
  gboolean            probing;
};

#define PROBE_NONE G_MININT

static void cs_table_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsTablePage, cs_table_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_table_page_iface_init))

/* Numbers as a person wrote them ("14.23", "1065"): the shortest text that reads back as the
 * value, when it has at most SHORT_DIGITS significant digits. A computed or generated value
 * (17 digits of which the last ten are noise) shows 6 significant digits instead, and
 * *rounded says so (the cell's tooltip then has the exact value); integers stay whole. */
#define SHORT_DIGITS 9

static const char *
format_number (char *buf, gsize len, double v, gboolean *rounded)
{
  guint digits = 0;

  if (rounded != NULL)
    *rounded = FALSE;
  cs_format_double (buf, len, v);
  /* Significant digits of the mantissa: leading zeros do not count, nor does the exponent. */
  for (const char *p = buf; *p != '\0' && *p != 'e' && *p != 'E'; p++)
    if (g_ascii_isdigit (*p) && (*p != '0' || digits > 0))
      digits++;
  if (digits <= SHORT_DIGITS)
    return buf;
  if (v == floor (v) && fabs (v) < 1e15)
    g_snprintf (buf, len, "%.0f", v);
  else
    {
      g_ascii_formatd (buf, len, "%.6g", v);
      if (rounded != NULL)
        *rounded = TRUE;
    }
  return buf;
}

/* What a cell shows; the filter searches the same text. Returns `buf` or a constant. */
static const char *
format_cell (const CsDataset *ds, const int *labels, guint row, int column, char *buf, gsize len)
{
  if (column == COLUMN_ROW)
    {
      g_snprintf (buf, len, "%u", row + 1);
      return buf;
    }
  if (column == COLUMN_CLUSTER)
    {
      if (labels == NULL || labels[row] == LABEL_DROPPED)
        return "—";
      if (labels[row] < 0)
        return "Noise";
      /* Counted from 1, as the scatter plot's tooltip and legend count them. */
      g_snprintf (buf, len, "%d", labels[row] + 1);
      return buf;
    }
  {
    const CsColumn *col = cs_dataset_column (ds, (gsize) column);
    double          v = col->values[row];

    if (isnan (v))
      return "";
    if (col->kind == CS_COLUMN_CATEGORICAL)
      return (guint) v < col->levels->len ? g_ptr_array_index (col->levels, (guint) v) : "";
    return format_number (buf, len, v, NULL);
  }
}

/* Worker: filter, then sort ----------------------------------------------------------------- */

typedef struct
{
  CsDataset *dataset; /* Owned ref */
  int       *labels;  /* Owned, may be NULL */
  int        sort_column;
  gboolean   descending;
  char      *needle;  /* Owned, casefolded, NULL for no filter */
} Input;

typedef struct
{
  guint *order; /* Owned */
  guint  n;
} Output;

static void
input_free (Input *in)
{
  cs_dataset_unref (in->dataset);
  g_free (in->labels);
  g_free (in->needle);
  g_free (in);
}

static void
output_free (Output *out)
{
  g_free (out->order);
  g_free (out);
}

/* For categorical columns and the cluster the filter decides once per level, not per cell. */
static gboolean
text_matches (const char *text, const char *needle)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);

  return strstr (folded, needle) != NULL;
}

static gboolean
row_matches (const Input *in, guint row, guint8 **level_match, const char *noise_or_dropped[2], char *buf, gsize len)
{
  const char *cluster;

  g_snprintf (buf, len, "%u", row + 1);
  if (strstr (buf, in->needle) != NULL)
    return TRUE;
  cluster = format_cell (in->dataset, in->labels, row, COLUMN_CLUSTER, buf, len);
  if (cluster != buf)
    {
      if (noise_or_dropped[0] != NULL && strcmp (cluster, "Noise") == 0)
        return TRUE;
      if (noise_or_dropped[1] != NULL && strcmp (cluster, "—") == 0)
        return TRUE;
    }
  else if (strstr (buf, in->needle) != NULL)
    return TRUE;
  for (gsize c = 0; c < cs_dataset_n_columns (in->dataset); c++)
    {
      const CsColumn *col = cs_dataset_column (in->dataset, c);
      double          v = col->values[row];

      if (isnan (v))
        continue;
      if (col->kind == CS_COLUMN_CATEGORICAL)
        {
          if ((guint) v < col->levels->len && level_match[c][(guint) v])
            return TRUE;
          continue;
        }
      /* The text shown, or the exact value behind a rounded one. Numbers print in ASCII with
       * a lowercase exponent; the needle is casefolded. */
      {
        gboolean rounded = FALSE;

        format_number (buf, len, v, &rounded);
        if (strstr (buf, in->needle) != NULL)
          return TRUE;
        if (rounded && strstr (cs_format_double (buf, len, v), in->needle) != NULL)
          return TRUE;
      }
    }
  return FALSE;
}

typedef struct
{
  const double *keys;
  gboolean      descending;
} SortData;

/* Missing keys (NaN) go last in either direction; equal keys keep row order. */
static int
compare_rows (gconstpointer pa, gconstpointer pb, gpointer data)
{
  const SortData *s = data;
  guint           a = *(const guint *) pa;
  guint           b = *(const guint *) pb;
  double          ka = s->keys[a];
  double          kb = s->keys[b];
  gboolean        na = isnan (ka);
  gboolean        nb = isnan (kb);

  if (na != nb)
    return na ? 1 : -1;
  if (!na && ka != kb)
    return ((ka < kb) ? -1 : 1) * (s->descending ? -1 : 1);
  return (a > b) - (a < b);
}

typedef struct
{
  const char *name;
  guint       index;
} Level;

static int
compare_levels (gconstpointer pa, gconstpointer pb)
{
  const Level *a = pa;
  const Level *b = pb;
  int          c = g_utf8_collate (a->name, b->name);

  return c != 0 ? c : (a->index > b->index) - (a->index < b->index);
}

static gpointer
compute (gpointer data, CsProgress *progress, GError **error)
{
  Input            *in = data;
  const CsDataset  *ds = in->dataset;
  guint             N = (guint) ds->n_rows;
  g_autofree guint *order = g_new (guint, MAX (N, 1));
  guint             n = 0;
  Output           *out;

  if (in->needle != NULL)
    {
      gsize        n_cols = cs_dataset_n_columns (ds);
      guint8     **level_match = g_new0 (guint8 *, MAX (n_cols, 1));
      const char  *noise_or_dropped[2] = { NULL, NULL };
      char         buf[64];
      gboolean     ok = TRUE;

      for (gsize c = 0; c < n_cols; c++)
        {
          const CsColumn *col = cs_dataset_column (ds, c);
          if (col->kind != CS_COLUMN_CATEGORICAL)
            continue;
          level_match[c] = g_new0 (guint8, MAX (col->levels->len, 1));
          for (guint l = 0; l < col->levels->len; l++)
            level_match[c][l] = text_matches (g_ptr_array_index (col->levels, l), in->needle);
        }
      if (text_matches ("Noise", in->needle))
        noise_or_dropped[0] = "Noise";
      if (text_matches ("—", in->needle))
        noise_or_dropped[1] = "—";
      for (guint i = 0; i < N && ok; i++)
        {
          if ((i & 0xffff) == 0 && !cs_progress_check (progress, error))
            ok = FALSE;
          else if (row_matches (in, i, level_match, noise_or_dropped, buf, sizeof buf))
            order[n++] = i;
        }
      for (gsize c = 0; c < n_cols; c++)
        g_free (level_match[c]);
      g_free (level_match);
      if (!ok)
        return NULL;
    }
  else
    for (guint i = 0; i < N; i++)
      order[n++] = i;

  if (in->sort_column != COLUMN_ROW || in->descending)
    {
      g_autofree double *keys = g_new (double, MAX (N, 1));
      SortData           s = { keys, in->descending };

      if (in->sort_column == COLUMN_ROW)
        for (guint i = 0; i < N; i++)
          keys[i] = i;
      else if (in->sort_column == COLUMN_CLUSTER)
        for (guint i = 0; i < N; i++)
          keys[i] = in->labels == NULL || in->labels[i] == LABEL_DROPPED ? NAN : in->labels[i];
      else
        {
          const CsColumn *col = cs_dataset_column (ds, (gsize) in->sort_column);

          if (col->kind == CS_COLUMN_CATEGORICAL)
            {
              /* By level name, not by the order levels first appeared in. */
              guint              L = col->levels->len;
              g_autofree Level  *levels = g_new (Level, MAX (L, 1));
              g_autofree double *rank = g_new (double, MAX (L, 1));

              for (guint l = 0; l < L; l++)
                levels[l] = (Level) { g_ptr_array_index (col->levels, l), l };
              qsort (levels, L, sizeof (Level), compare_levels);
              for (guint l = 0; l < L; l++)
                rank[levels[l].index] = l;
              for (guint i = 0; i < N; i++)
                keys[i] = isnan (col->values[i]) || (guint) col->values[i] >= L ? NAN : rank[(guint) col->values[i]];
            }
          else
            memcpy (keys, col->values, N * sizeof (double));
        }
      if (!cs_progress_check (progress, error))
        return NULL;
      g_qsort_with_data (order, (gint) n, sizeof (guint), compare_rows, &s);
      if (!cs_progress_check (progress, error))
        return NULL;
    }
  out = g_new (Output, 1);
  out->order = g_steal_pointer (&order);
  out->n = n;
  return out;
}

static void
update_count (CsTablePage *self)
{
  g_autofree char *shown = cs_format_count (self->model->n);
  g_autofree char *total = cs_format_count (self->dataset != NULL ? self->dataset->n_rows : 0);
  g_autofree char *selected = cs_format_count (self->n_selected);
  g_autofree char *text = NULL;

  if (self->dataset == NULL)
    text = g_strdup ("");
  else if (self->n_selected > 0)
    text = g_strdup_printf ("%s of %s rows · %s selected", shown, total, selected);
  else
    text = g_strdup_printf ("%s of %s rows", shown, total);
  gtk_label_set_text (GTK_LABEL (self->count_label), text);
}

/* Shows the window's selection among the rows on screen. */
static void
apply_selection (CsTablePage *self)
{
  g_autoptr (GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr (GtkBitset) mask = gtk_bitset_new_range (0, self->model->n);

  if (self->n_selected > 0 && self->dataset != NULL)
    {
      /* Position of each dataset row on screen, or G_MAXUINT when filtered out. */
      g_autofree guint *position = g_new (guint, MAX (self->dataset->n_rows, 1));

      memset (position, 0xff, self->dataset->n_rows * sizeof (guint));
      for (guint p = 0; p < self->model->n; p++)
        position[self->model->order[p]] = p;
      for (gsize i = 0; i < self->n_selected; i++)
        if (self->selected[i] < self->dataset->n_rows && position[self->selected[i]] != G_MAXUINT)
          gtk_bitset_add (selected, position[self->selected[i]]);
    }
  self->syncing = TRUE;
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), selected, mask);
  self->syncing = FALSE;
  update_count (self);
}

static void
done (gpointer result, const GError *error, gpointer user_data)
{
  CsTablePage *self = user_data;
  Output      *out = result;

  if (out == NULL)
    return;
  self->syncing = TRUE;
  cs_table_model_set_order (self->model, g_steal_pointer (&out->order), out->n);
  self->syncing = FALSE;
  output_free (out);
  apply_selection (self);
  /* A new order or filter starts at its first row (GTK 4.8's column view cannot scroll to
   * an item; its scrolled window can). */
  {
    GtkWidget *scroller = gtk_widget_get_ancestor (self->column_view, GTK_TYPE_SCROLLED_WINDOW);
    if (scroller != NULL)
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), 0);
  }
}

static int
sort_column (CsTablePage *self)
{
  guint item = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->sort_dropdown));

  if (item == GTK_INVALID_LIST_POSITION || self->dataset == NULL
      || item >= cs_dataset_n_columns (self->dataset) + 2)
    return COLUMN_ROW;
  return (int) item - 2;
}

static void
refresh (CsTablePage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  Input      *in;

  self->stale = FALSE;
  if (self->dataset == NULL)
    {
      cs_worker_drop (self->worker);
      cs_table_model_set_order (self->model, NULL, 0);
      update_count (self);
      return;
    }
  in = g_new0 (Input, 1);
  in->dataset = cs_dataset_ref (self->dataset);
  in->labels = self->labels != NULL ? g_memdup2 (self->labels, self->dataset->n_rows * sizeof (int)) : NULL;
  in->sort_column = sort_column (self);
  in->descending = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->descending_button));
  in->needle = text != NULL && text[0] != '\0' ? g_utf8_casefold (text, -1) : NULL;
  cs_worker_run (self->worker, compute, in, (GDestroyNotify) input_free, (GDestroyNotify) output_free, done, self);
}

static void
schedule (CsTablePage *self)
{
  self->stale = TRUE;
  if (cs_page_is_visible (CS_PAGE (self)))
    refresh (self);
}

/* Columns ---------------------------------------------------------------------------------- */

static void
setup_cell_cb (GtkSignalListItemFactory *factory, GtkListItem *item, CsTablePage *self)
{
  GtkWidget *label = gtk_label_new (NULL);
  int        column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "cs-column"));
  gboolean   numeric = column == COLUMN_ROW
                     || (column >= 0 && cs_dataset_column (self->dataset, (gsize) column)->kind != CS_COLUMN_CATEGORICAL);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0f : 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), column == COLUMN_ROW ? 7 : 8);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory, GtkListItem *item, CsTablePage *self)
{
  CsTableRow *row = gtk_list_item_get_item (item);
  int         column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "cs-column"));
  char        buf[64];

  GtkWidget  *label = gtk_list_item_get_child (item);
  gboolean    rounded = FALSE;

  if (self->dataset == NULL || row == NULL || row->row >= self->dataset->n_rows)
    return;
  if (column >= 0 && cs_dataset_column (self->dataset, (gsize) column)->kind == CS_COLUMN_NUMERIC
      && !isnan (cs_dataset_column (self->dataset, (gsize) column)->values[row->row]))
    {
      double v = cs_dataset_column (self->dataset, (gsize) column)->values[row->row];

      gtk_label_set_text (GTK_LABEL (label), format_number (buf, sizeof buf, v, &rounded));
      /* The exact value behind a rounded one. */
      gtk_widget_set_tooltip_text (label, rounded ? cs_format_double (buf, sizeof buf, v) : NULL);
      return;
    }
  gtk_label_set_text (GTK_LABEL (label), format_cell (self->dataset, self->labels, row->row, column, buf, sizeof buf));
  gtk_widget_set_tooltip_text (label, NULL);
}

/* Sorting by a click on a header ------------------------------------------------------------ */

/* GTK 4.8 does not say which header was clicked (GtkColumnViewSorter's primary column is 4.10):
 * the view's sorter is asked to compare two probe rows, and it asks the primary column's sorter
 * first. Every column's sorter answers "smaller", so the first one asked is the primary column
 * and the sign of the answer its direction. The rows are sorted on the worker, never by these. */
static int
probe_compare (gconstpointer a, gconstpointer b, gpointer user_data)
{
  GtkColumnViewColumn *col = (GtkColumnViewColumn *) user_data;
  CsTablePage         *self = g_object_get_data (G_OBJECT (col), "cs-page");

  if (self != NULL && self->probing && self->probed == PROBE_NONE)
    self->probed = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (col), "cs-column"));
  return -1;
}

/* The column the headers sort by (COLUMN_ROW when none) and whether it is descending. */
static int
header_sort (CsTablePage *self, gboolean *descending)
{
  GtkSorter  *sorter = gtk_column_view_get_sorter (GTK_COLUMN_VIEW (self->column_view));
  GtkOrdering order;

  self->probing = TRUE;
  self->probed = PROBE_NONE;
  order = gtk_sorter_compare (sorter, self->probe[0], self->probe[1]);
  self->probing = FALSE;
  *descending = order == GTK_ORDERING_LARGER;
  return self->probed == PROBE_NONE ? COLUMN_ROW : self->probed;
}

static void sync_headers (CsTablePage *self);
static void schedule (CsTablePage *self);

/* A click on a header: the drop-down and the toggle follow, then the rows. */
static void
header_sorter_changed_cb (GtkSorter *sorter, GtkSorterChange change, CsTablePage *self)
{
  gboolean descending = FALSE;
  int      column;

  if (self->syncing || self->dataset == NULL)
    return;
  column = header_sort (self, &descending);
  self->syncing = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->sort_dropdown), (guint) (column + 2));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->descending_button), descending);
  self->syncing = FALSE;
  schedule (self);
}

static void
add_column (CsTablePage *self, const char *title, int column)
{
  GtkListItemFactory   *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn  *col;
  GtkSorter            *sorter;

  g_object_set_data (G_OBJECT (factory), "cs-column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), self);
  col = gtk_column_view_column_new (title, factory);
  g_object_set_data (G_OBJECT (col), "cs-column", GINT_TO_POINTER (column));
  g_object_set_data (G_OBJECT (col), "cs-page", self);
  /* The column (not the page) is the sorter's data: it outlives neither. */
  sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare, col, NULL));
  gtk_column_view_column_set_sorter (col, sorter);
  g_object_unref (sorter);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_append_column (GTK_COLUMN_VIEW (self->column_view), col);
  g_ptr_array_add (self->columns, col);
}

/* The headers show the drop-down's column and direction. */
static void
sync_headers (CsTablePage *self)
{
  guint item = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->sort_dropdown));
  gboolean descending = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->descending_button));

  if (item >= self->columns->len)
    return;
  self->syncing = TRUE;
  gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (self->column_view), g_ptr_array_index (self->columns, item),
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
  self->syncing = FALSE;
}

static void
rebuild_columns (CsTablePage *self)
{
  GListModel                *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (self->column_view));
  g_autoptr (GtkStringList)  sort_items = gtk_string_list_new (NULL);

  self->syncing = TRUE;
  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr (GtkColumnViewColumn) col = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (GTK_COLUMN_VIEW (self->column_view), col);
    }
  self->syncing = FALSE;
  g_ptr_array_set_size (self->columns, 0);
  gtk_string_list_append (sort_items, "Row");
  gtk_string_list_append (sort_items, "Cluster");
  if (self->dataset != NULL)
    {
      add_column (self, "Row", COLUMN_ROW);
      add_column (self, "Cluster", COLUMN_CLUSTER);
      for (gsize c = 0; c < cs_dataset_n_columns (self->dataset); c++)
        {
          const char *name = cs_dataset_column (self->dataset, c)->name;
          add_column (self, name, (int) c);
          gtk_string_list_append (sort_items, name);
        }
    }
  self->syncing = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->sort_dropdown), G_LIST_MODEL (sort_items));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->sort_dropdown), 0);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->descending_button), FALSE);
  self->syncing = FALSE;
  sync_headers (self);
}

/* Controls ---------------------------------------------------------------------------------- */

static void
sort_changed_cb (GObject *object, GParamSpec *pspec, CsTablePage *self)
{
  if (self->syncing)
    return;
  sync_headers (self);
  schedule (self);
}

static void
descending_toggled_cb (GtkToggleButton *button, CsTablePage *self)
{
  if (self->syncing)
    return;
  sync_headers (self);
  schedule (self);
}

static void
filter_changed_cb (GtkSearchEntry *entry, CsTablePage *self)
{
  schedule (self);
}

static int
compare_gsize (gconstpointer a, gconstpointer b)
{
  gsize x = *(const gsize *) a;
  gsize y = *(const gsize *) b;

  return (x > y) - (x < y);
}

/* The user selected rows: they become the window's selection. Rows filtered out of view
 * leave the selection, as they would in any list. */
static void
selection_changed_cb (GtkSelectionModel *model, guint position, guint n_items, CsTablePage *self)
{
  g_autoptr (GtkBitset) bits = NULL;
  GtkBitsetIter         iter;
  guint                 p;
  gsize                 n = 0;
  gsize                *rows;

  if (self->syncing)
    return;
  bits = gtk_selection_model_get_selection (model);
  rows = g_new (gsize, MAX (gtk_bitset_get_size (bits), 1));
  if (gtk_bitset_iter_init_first (&iter, bits, &p))
    do
      if (p < self->model->n)
        rows[n++] = self->model->order[p];
    while (gtk_bitset_iter_next (&iter, &p));
  qsort (rows, n, sizeof (gsize), compare_gsize);
  g_free (self->selected);
  self->selected = rows;
  self->n_selected = n;
  update_count (self);
  cs_page_request_selection (CS_PAGE (self), rows, n);
}

/* Copy: the selected rows as CSV, with the exact values behind rounded cells --------------- */

typedef struct
{
  CsDataset *dataset; /* Owned ref */
  gsize     *rows;    /* Owned */
  gsize      n;
  int       *labels;  /* Owned, may be NULL */
} CopyInput;

static void
copy_input_free (CopyInput *in)
{
  cs_dataset_unref (in->dataset);
  g_free (in->rows);
  g_free (in->labels);
  g_free (in);
}

static gpointer
copy_compute (gpointer data, CsProgress *progress, GError **error)
{
  CopyInput *in = data;

  /* LABEL_DROPPED is below -1: a row the result did not cluster gets an empty cell. */
  return cs_dataset_rows_to_csv (in->dataset, in->rows, in->n, in->labels);
}

static void
copy_done (gpointer result, const GError *error, gpointer user_data)
{
  CsTablePage *self = user_data;

  if (result != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), result);
  g_free (result);
}

static void
copy_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CsTablePage *self = CS_TABLE_PAGE (widget);
  CopyInput   *in;

  if (self->dataset == NULL || self->n_selected == 0)
    return;
  in = g_new0 (CopyInput, 1);
  in->dataset = cs_dataset_ref (self->dataset);
  in->rows = g_memdup2 (self->selected, self->n_selected * sizeof (gsize));
  in->n = self->n_selected;
  in->labels = self->labels != NULL ? g_memdup2 (self->labels, self->dataset->n_rows * sizeof (int)) : NULL;
  cs_worker_run (self->copy_worker, copy_compute, in, (GDestroyNotify) copy_input_free, g_free, copy_done, self);
}

/* CsPage ---------------------------------------------------------------------------------- */

static void
update_labels (CsTablePage *self)
{
  g_clear_pointer (&self->labels, g_free);
  if (self->dataset == NULL || self->result == NULL)
    return;
  {
    const CsPipelineResult *r = self->result->pipeline;
    gsize                   N = self->dataset->n_rows;

    self->labels = g_new (int, MAX (N, 1));
    for (gsize i = 0; i < N; i++)
      self->labels[i] = LABEL_DROPPED;
    for (gsize i = 0; i < r->clustering->n; i++)
      if (r->prep->rows[i] < N)
        self->labels[r->prep->rows[i]] = r->clustering->labels[i];
  }
}

static void
set_dataset (CsPage *page, CsDataset *dataset)
{
  CsTablePage *self = CS_TABLE_PAGE (page);

  cs_worker_drop (self->worker);
  g_clear_pointer (&self->dataset, cs_dataset_unref);
  g_clear_pointer (&self->result, cs_page_result_unref);
  self->dataset = dataset != NULL ? cs_dataset_ref (dataset) : NULL;
  update_labels (self);
  g_clear_pointer (&self->selected, g_free);
  self->n_selected = 0;
  self->syncing = TRUE;
  cs_table_model_set_order (self->model, NULL, 0);
  self->syncing = FALSE;
  rebuild_columns (self);
  update_count (self);
  schedule (self);
}

static void
set_result (CsPage *page, CsPageResult *result)
{
  CsTablePage *self = CS_TABLE_PAGE (page);

  g_clear_pointer (&self->result, cs_page_result_unref);
  self->result = result != NULL ? cs_page_result_ref (result) : NULL;
  update_labels (self);
  /* Sorted or filtered by cluster: the order changes; otherwise only the cells do. */
  if (sort_column (self) == COLUMN_CLUSTER || gtk_editable_get_text (GTK_EDITABLE (self->filter_entry))[0] != '\0')
    schedule (self);
  if (self->model->n > 0)
    {
      self->syncing = TRUE;
      g_list_model_items_changed (G_LIST_MODEL (self->model), 0, self->model->n, self->model->n);
      self->syncing = FALSE;
      apply_selection (self);
    }
}

static void
set_selection (CsPage *page, const gsize *rows, gsize n)
{
  CsTablePage *self = CS_TABLE_PAGE (page);

  g_free (self->selected);
  self->selected = n > 0 ? g_memdup2 (rows, n * sizeof (gsize)) : NULL;
  self->n_selected = n;
  apply_selection (self);
}

static void
shown (CsPage *page)
{
  CsTablePage *self = CS_TABLE_PAGE (page);

  if (self->stale)
    refresh (self);
}

static void
cancel (CsPage *page)
{
  cs_worker_drop (CS_TABLE_PAGE (page)->worker);
  cs_worker_drop (CS_TABLE_PAGE (page)->copy_worker);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  if (CS_TABLE_PAGE (page)->dataset != NULL)
    return TRUE;
  *why_not = g_strdup ("Open a dataset to see its rows");
  return FALSE;
}

static gboolean
get_figure (CsPage *page, CsRenderFunc *func, gpointer *model, GDestroyNotify *unref)
{
  return FALSE;
}

static void
cs_table_page_iface_init (CsPageInterface *iface)
{
  iface->name = "table";
  iface->title = "Table";
  iface->group = CS_PAGE_GROUP_DATA;
  iface->set_dataset = set_dataset;
  iface->set_result = set_result;
  iface->set_selection = set_selection;
  iface->shown = shown;
  iface->cancel = cancel;
  iface->applies = applies;
  iface->get_figure = get_figure;
}

static void
cs_table_page_dispose (GObject *object)
{
  CsTablePage *self = CS_TABLE_PAGE (object);
  GtkWidget   *child;

  if (self->worker != NULL)
    cs_worker_drop (self->worker);
  g_clear_object (&self->worker);
  if (self->copy_worker != NULL)
    cs_worker_drop (self->copy_worker);
  g_clear_object (&self->copy_worker);
  /* The columns leave the view's sorter as it goes: that is no click on a header. */
  self->syncing = TRUE;
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (GTK_COLUMN_VIEW (self->column_view)), self);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_TABLE_PAGE);
  /* The template's root box is not a bound child, so dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_object (&self->probe[0]);
  g_clear_object (&self->probe[1]);
  g_clear_pointer (&self->dataset, cs_dataset_unref);
  g_clear_pointer (&self->result, cs_page_result_unref);
  g_clear_pointer (&self->labels, g_free);
  g_clear_pointer (&self->selected, g_free);
  G_OBJECT_CLASS (cs_table_page_parent_class)->dispose (object);
}

static void
cs_table_page_class_init (CsTablePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_table_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-table-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsTablePage, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, CsTablePage, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CsTablePage, descending_button);
  gtk_widget_class_bind_template_child (widget_class, CsTablePage, count_label);
  gtk_widget_class_bind_template_child (widget_class, CsTablePage, column_view);
  gtk_widget_class_bind_template_child (widget_class, CsTablePage, selection_menu_button);
  /* Ctrl+C while the focus is in the table: the selected rows, exact values, as CSV. */
  gtk_widget_class_install_action (widget_class, "table.copy", NULL, copy_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "table.copy", NULL);
}

static void
cs_table_page_init (CsTablePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->worker = cs_worker_new (CS_WORKER_REPLACE);
  self->copy_worker = cs_worker_new (CS_WORKER_REPLACE);
  self->model = g_object_new (CS_TYPE_TABLE_MODEL, NULL);
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->column_view), GTK_SELECTION_MODEL (self->selection));
  g_signal_connect (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect (self->sort_dropdown, "notify::selected", G_CALLBACK (sort_changed_cb), self);
  g_signal_connect (self->descending_button, "toggled", G_CALLBACK (descending_toggled_cb), self);
  g_signal_connect (self->filter_entry, "search-changed", G_CALLBACK (filter_changed_cb), self);
  self->columns = g_ptr_array_new_with_free_func (g_object_unref);
  self->probe[0] = g_object_new (CS_TYPE_TABLE_ROW, NULL);
  self->probe[1] = g_object_new (CS_TYPE_TABLE_ROW, NULL);
  g_signal_connect (gtk_column_view_get_sorter (GTK_COLUMN_VIEW (self->column_view)), "changed",
                    G_CALLBACK (header_sorter_changed_cb), self);
  {
    g_autoptr (GMenuModel) menu = cs_plot_selection_menu_new ();

    gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->selection_menu_button), menu);
    cs_plot_selection_attach_context_menu (self->column_view, GTK_WIDGET (self));
  }
  update_count (self);
}

const guint *
cs_table_page_get_order (CsTablePage *page, guint *n)
{
  g_return_val_if_fail (CS_IS_TABLE_PAGE (page), NULL);

  *n = page->model->n;
  return page->model->order;
}

gboolean
cs_table_page_is_busy (CsTablePage *page)
{
  g_return_val_if_fail (CS_IS_TABLE_PAGE (page), FALSE);

  return cs_worker_is_busy (page->worker) || page->stale;
}

char *
cs_table_page_cell_text (CsTablePage *page, guint row, int column)
{
  char buf[64];

  g_return_val_if_fail (CS_IS_TABLE_PAGE (page), NULL);
  g_return_val_if_fail (page->dataset != NULL && row < page->dataset->n_rows, NULL);

  return g_strdup (format_cell (page->dataset, page->labels, row, column, buf, sizeof buf));
}
