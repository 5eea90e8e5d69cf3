#include "core/data/cs-dataset.h"
#include "core/data/cs-dataset-subset.h"
#include "core/base/cs-error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void
column_free (gpointer data)
{
  CsColumn *col = data;

  if (col == NULL)
    return;
  g_free (col->name);
  g_free (col->description);
  g_free (col->values);
  if (col->levels)
    g_ptr_array_unref (col->levels);
  g_free (col);
}

static void
bad_cells_free (gpointer data)
{
  CsBadCells *b = data;

  g_free (b->column);
  g_free (b->excerpt);
  g_free (b);
}

CsDataset *
cs_dataset_new (const char *name,
                gsize       n_rows)
{
  CsDataset *ds = g_new0 (CsDataset, 1);

  g_atomic_ref_count_init (&ds->ref);
  ds->name = g_strdup (name ? name : "untitled");
  ds->n_rows = n_rows;
  ds->columns = g_ptr_array_new_with_free_func (column_free);
  ds->label_column = -1;
  ds->notices = g_ptr_array_new_with_free_func (g_free);
  ds->bad_cells = g_ptr_array_new_with_free_func (bad_cells_free);
  return ds;
}

CsDataset *
cs_dataset_ref (CsDataset *ds)
{
  g_return_val_if_fail (ds != NULL, NULL);
  g_atomic_ref_count_inc (&ds->ref);
  return ds;
}

void
cs_dataset_unref (CsDataset *ds)
{
  if (ds == NULL || !g_atomic_ref_count_dec (&ds->ref))
    return;
  g_free (ds->name);
  g_free (ds->path);
  g_ptr_array_unref (ds->columns);
  g_ptr_array_unref (ds->notices);
  g_ptr_array_unref (ds->bad_cells);
  g_free (ds->sample_id);
  g_clear_pointer (&ds->graph, cs_graph_unref);
  g_clear_pointer (&ds->origin, cs_dataset_origin_free);
  g_free (ds->hdf5_object);
  g_free (ds);
}

CsColumn *
cs_dataset_add_numeric (CsDataset  *ds,
                        const char *name,
                        double     *values)
{
  CsColumn *col;

  g_return_val_if_fail (ds != NULL, NULL);
  g_return_val_if_fail (values != NULL || ds->n_rows == 0, NULL);

  col = g_new0 (CsColumn, 1);
  col->name = g_strdup (name);
  col->kind = CS_COLUMN_NUMERIC;
  col->values = values ? values : g_new0 (double, 1);
  for (gsize i = 0; i < ds->n_rows; i++)
    if (isnan (values[i]))
      col->n_missing++;
  g_ptr_array_add (ds->columns, col);
  return col;
}

CsColumn *
cs_dataset_add_categorical (CsDataset         *ds,
                            const char        *name,
                            const int         *codes,
                            const char *const *level_names,
                            guint              n_levels)
{
  CsColumn *col;

  g_return_val_if_fail (ds != NULL, NULL);
  g_return_val_if_fail (codes != NULL || ds->n_rows == 0, NULL);

  col = g_new0 (CsColumn, 1);
  col->name = g_strdup (name);
  col->kind = CS_COLUMN_CATEGORICAL;
  col->values = g_new (double, MAX (ds->n_rows, 1));
  col->levels = g_ptr_array_new_full (n_levels, g_free);
  for (guint l = 0; l < n_levels; l++)
    g_ptr_array_add (col->levels, g_strdup (level_names[l]));
  for (gsize i = 0; i < ds->n_rows; i++)
    {
      if (codes[i] < 0 || (guint) codes[i] >= n_levels)
        {
          col->values[i] = NAN;
          col->n_missing++;
        }
      else
        col->values[i] = codes[i];
    }
  g_ptr_array_add (ds->columns, col);
  return col;
}

int
cs_dataset_find_column (const CsDataset *ds,
                        const char      *name)
{
  g_return_val_if_fail (ds != NULL, -1);

  if (name == NULL)
    return -1;
  for (guint i = 0; i < ds->columns->len; i++)
    if (g_ascii_strcasecmp (cs_dataset_column (ds, i)->name, name) == 0)
      return (int) i;
  return -1;
}

int *
cs_dataset_class_labels (const CsDataset *ds,
                         guint           *n_classes)
{
  const CsColumn *col;
  int *labels;

  g_return_val_if_fail (ds != NULL, NULL);

  if (n_classes)
    *n_classes = 0;
  if (ds->label_column < 0 || (guint) ds->label_column >= ds->columns->len)
    return NULL;
  col = cs_dataset_column (ds, ds->label_column);
  labels = g_new (int, MAX (ds->n_rows, 1));

  if (col->kind == CS_COLUMN_CATEGORICAL)
    {
      for (gsize i = 0; i < ds->n_rows; i++)
        labels[i] = isnan (col->values[i]) ? -1 : (int) col->values[i];
      if (n_classes)
        *n_classes = col->levels->len;
    }
  else
    {
      g_autofree double *distinct = g_new (double, MAX (ds->n_rows, 1));
      gsize n_distinct = 0;
      gsize m = 0;

      for (gsize i = 0; i < ds->n_rows; i++)
        if (!isnan (col->values[i]))
          distinct[m++] = col->values[i];
      qsort (distinct, m, sizeof (double), cs_compare_doubles);
      for (gsize i = 0; i < m; i++)
        if (n_distinct == 0 || distinct[i] != distinct[n_distinct - 1])
          distinct[n_distinct++] = distinct[i];

      for (gsize i = 0; i < ds->n_rows; i++)
        {
          double v = col->values[i];
          gsize lo = 0;
          gsize hi = n_distinct;

          if (isnan (v))
            {
              labels[i] = -1;
              continue;
            }
          while (lo < hi)
            {
              gsize mid = lo + (hi - lo) / 2;
              if (distinct[mid] < v)
                lo = mid + 1;
              else
                hi = mid;
            }
          labels[i] = (int) lo;
        }
      if (n_classes)
        *n_classes = (guint) n_distinct;
    }
  return labels;
}

void
cs_dataset_default_axes (const CsDataset *ds,
                         const int       *columns,
                         gsize            n_columns,
                         int             *x_column,
                         int             *y_column)
{
  int found[2];
  guint n_found = 0;
  gsize n = columns ? n_columns : cs_dataset_n_columns (ds);

  *x_column = *y_column = -1;
  for (gsize i = 0; i < n; i++)
    {
      int c = columns ? columns[i] : (int) i;
      if (c == ds->label_column || cs_dataset_column (ds, c)->kind != CS_COLUMN_NUMERIC)
        {
          if (columns)
            return; /* a categorical column is one-hot encoded: more than two features */
          continue;
        }
      if (n_found == 2)
        return;
      found[n_found++] = c;
    }
  if (n_found == 2)
    {
      *x_column = found[0];
      *y_column = found[1];
    }
}

/* "r3c5" → (3, 5): a letter prefix, a number, a separator or letters, a number. */
static gboolean
parse_pixel_rc (const char *name,
                guint64    *r,
                guint64    *c)
{
  const char *p = name;
  char *end = NULL;

  while (*p != '\0' && !g_ascii_isdigit (*p))
    {
      if (!g_ascii_isalpha (*p) && *p != '_')
        return FALSE;
      p++;
    }
  if (!g_ascii_isdigit (*p))
    return FALSE;
  *r = g_ascii_strtoull (p, &end, 10);
  p = end;
  if (*p == '\0')
    return FALSE;
  while (*p != '\0' && !g_ascii_isdigit (*p))
    {
      if (!g_ascii_isalpha (*p) && *p != '_' && *p != '-' && *p != ',')
        return FALSE;
      p++;
    }
  if (!g_ascii_isdigit (*p))
    return FALSE;
  *c = g_ascii_strtoull (p, &end, 10);
  return *end == '\0';
}

/* "pixel12" → 12. Only "pixel", "pix" and "px" (any case, "_" allowed) count: "x1" … "x4"
 * are features, not a 2 × 2 image. */
static gboolean
parse_pixel_index (const char *name,
                   guint64    *i)
{
  static const char *const prefixes[] = { "pixel", "pix", "px" };
  const char *p = NULL;
  char *end = NULL;

  for (guint k = 0; k < G_N_ELEMENTS (prefixes) && p == NULL; k++)
    if (g_ascii_strncasecmp (name, prefixes[k], strlen (prefixes[k])) == 0)
      p = name + strlen (prefixes[k]);
  if (p == NULL)
    return FALSE;
  if (*p == '_')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  *i = g_ascii_strtoull (p, &end, 10);
  return *end == '\0';
}

gboolean
cs_dataset_guess_image_shape (CsDataset *ds)
{
  g_autofree int *cols = NULL;
  gsize n = 0;
  guint64 r = 0;
  guint64 c = 0;
  guint64 width = 0;
  guint64 base = 0;
  gsize run = 0;

  g_return_val_if_fail (ds != NULL, FALSE);

  if (ds->image_rows > 0 && ds->image_cols > 0)
    return TRUE;
  cols = g_new (int, ds->columns->len);
  for (guint j = 0; j < ds->columns->len; j++)
    if ((int) j != ds->label_column && cs_dataset_column (ds, j)->kind == CS_COLUMN_NUMERIC)
      cols[n++] = (int) j;
  if (n < 4)
    return FALSE;

  /* Row and column in the name: (0, 0), (0, 1), … row-major (or from (1, 1)), every row as
   * wide as the first. */
  for (run = 0; run < n && parse_pixel_rc (cs_dataset_column (ds, cols[run])->name, &r, &c); run++)
    {
      if (run == 0)
        base = r == 1 && c == 1 ? 1 : 0;
      if (r < base || c < base)
        break;
      r -= base;
      c -= base;
      if (width == 0 && r == 1 && c == 0)
        width = run;
      if (width == 0 ? (r != 0 || c != run) : (r != run / width || c != run % width))
        break;
    }
  if (width >= 2 && run >= 2 * width && run % width == 0 && run / width <= G_MAXUINT)
    {
      ds->image_rows = (guint) (run / width);
      ds->image_cols = (guint) width;
      return TRUE;
    }

  /* Numbered pixels, counting from 0 or from 1, a square number of them. */
  {
    guint64 first = 0;
    guint64 side;

    for (run = 0; run < n && parse_pixel_index (cs_dataset_column (ds, cols[run])->name, &r); run++)
      {
        if (run == 0)
          first = r;
        if (first > 1 || r != first + run)
          break;
      }
    side = (guint64) llround (sqrt ((double) run));
    if (run >= 4 && side >= 2 && side * side == run)
      {
        ds->image_rows = ds->image_cols = (guint) side;
        return TRUE;
      }
  }
  return FALSE;
}

gboolean
cs_dataset_image_columns (const CsDataset *ds,
                          int             *cols)
{
  gsize npix;
  gsize found = 0;

  g_return_val_if_fail (ds != NULL && cols != NULL, FALSE);

  if (ds->image_rows == 0 || ds->image_cols == 0)
    return FALSE;
  npix = (gsize) ds->image_rows * ds->image_cols;
  for (guint j = 0; j < ds->columns->len && found < npix; j++)
    if (cs_dataset_column (ds, j)->kind == CS_COLUMN_NUMERIC && (int) j != ds->label_column)
      cols[found++] = (int) j;
  return found == npix;
}

/* Editing: every edit returns a new dataset, so a worker reading the old one is never
 * disturbed and an undo stack is a list of references. */

static CsColumn *
column_copy_rows (const CsColumn *src, const gsize *keep, gsize n_keep, gsize n_extra)
{
  CsColumn *col = g_new0 (CsColumn, 1);

  col->name = g_strdup (src->name);
  col->kind = src->kind;
  col->values = g_new (double, MAX (n_keep + n_extra, 1));
  for (gsize i = 0; i < n_keep; i++)
    {
      col->values[i] = src->values[keep != NULL ? keep[i] : i];
      if (isnan (col->values[i]))
        col->n_missing++;
    }
  for (gsize i = 0; i < n_extra; i++)
    col->values[n_keep + i] = NAN;
  if (src->levels != NULL)
    {
      col->levels = g_ptr_array_new_full (src->levels->len, g_free);
      for (guint l = 0; l < src->levels->len; l++)
        g_ptr_array_add (col->levels, g_strdup (g_ptr_array_index (src->levels, l)));
    }
  return col;
}

static CsDataset *
dataset_copy_rows (const CsDataset *ds, const gsize *keep, gsize n_keep, gsize n_extra)
{
  CsDataset *copy = cs_dataset_new (ds->name, n_keep + n_extra);

  /* An edited dataset is no longer the file: saving or "recent" must not point there. */
  copy->path = NULL;
  copy->label_column = ds->label_column;
  copy->image_rows = ds->image_rows;
  copy->image_cols = ds->image_cols;
  for (gsize c = 0; c < cs_dataset_n_columns (ds); c++)
    g_ptr_array_add (copy->columns, column_copy_rows (cs_dataset_column (ds, c), keep, n_keep, n_extra));
  return copy;
}

CsDataset *
cs_dataset_new_drawing (void)
{
  CsDataset *ds = cs_dataset_new ("Drawing", 0);
  int        none = 0;

  cs_dataset_add_numeric (ds, "x", NULL);
  cs_dataset_add_numeric (ds, "y", NULL);
  cs_dataset_add_categorical (ds, "label", &none, NULL, 0);
  ds->label_column = 2;
  return ds;
}

CsDataset *
cs_dataset_append_points (const CsDataset *ds,
                          int              x_column,
                          int              y_column,
                          gsize            n,
                          const double    *x,
                          const double    *y,
                          const int       *classes)
{
  CsDataset *copy;
  CsColumn  *label = NULL;

  g_return_val_if_fail (ds != NULL, NULL);
  g_return_val_if_fail (x_column >= 0 && (gsize) x_column < cs_dataset_n_columns (ds), NULL);
  g_return_val_if_fail (y_column >= 0 && (gsize) y_column < cs_dataset_n_columns (ds), NULL);
  g_return_val_if_fail (cs_dataset_column (ds, x_column)->kind == CS_COLUMN_NUMERIC, NULL);
  g_return_val_if_fail (cs_dataset_column (ds, y_column)->kind == CS_COLUMN_NUMERIC, NULL);
  g_return_val_if_fail (n == 0 || (x != NULL && y != NULL), NULL);

  copy = dataset_copy_rows (ds, NULL, ds->n_rows, n);
  if (classes != NULL && copy->label_column < 0)
    {
      /* Drawn points carry their class: a dataset without one gets a label column, its old
       * rows missing. */
      CsColumn *col = g_new0 (CsColumn, 1);

      col->name = g_strdup (cs_dataset_find_column (ds, "label") < 0 ? "label" : "drawn class");
      col->kind = CS_COLUMN_CATEGORICAL;
      col->values = g_new (double, MAX (copy->n_rows, 1));
      for (gsize i = 0; i < copy->n_rows; i++)
        col->values[i] = NAN;
      col->n_missing = ds->n_rows;
      col->levels = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (copy->columns, col);
      copy->label_column = (int) cs_dataset_n_columns (copy) - 1;
    }
  if (classes != NULL)
    label = cs_dataset_column (copy, copy->label_column);
  for (gsize c = 0; c < cs_dataset_n_columns (copy); c++)
    cs_dataset_column (copy, c)->n_missing += n;
  for (gsize i = 0; i < n; i++)
    {
      gsize row = ds->n_rows + i;

      cs_dataset_column (copy, x_column)->values[row] = x[i];
      cs_dataset_column (copy, y_column)->values[row] = y[i];
      cs_dataset_column (copy, x_column)->n_missing -= !isnan (x[i]);
      cs_dataset_column (copy, y_column)->n_missing -= !isnan (y[i]);
      if (label != NULL && classes[i] >= 0)
        {
          if (label->levels != NULL)
            while (label->levels->len <= (guint) classes[i])
              g_ptr_array_add (label->levels, g_strdup_printf ("%u", label->levels->len));
          label->values[row] = classes[i];
          label->n_missing--;
        }
    }
  return copy;
}

CsDataset *
cs_dataset_remove_rows (const CsDataset *ds,
                        const gsize     *rows,
                        gsize            n)
{
  g_autofree gboolean *drop = NULL;
  g_autofree gsize    *keep = NULL;
  gsize                n_keep = 0;

  g_return_val_if_fail (ds != NULL, NULL);
  g_return_val_if_fail (n == 0 || rows != NULL, NULL);

  drop = g_new0 (gboolean, MAX (ds->n_rows, 1));
  for (gsize i = 0; i < n; i++)
    if (rows[i] < ds->n_rows)
      drop[rows[i]] = TRUE;
  keep = g_new (gsize, MAX (ds->n_rows, 1));
  for (gsize i = 0; i < ds->n_rows; i++)
    if (!drop[i])
      keep[n_keep++] = i;
  return dataset_copy_rows (ds, keep, n_keep, 0);
}
