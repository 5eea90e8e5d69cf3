#include "core/data/cs-dataset-subset.h"

#include <math.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/cluster/cs-result-io.h"

CsDatasetOrigin *
cs_dataset_origin_copy (const CsDatasetOrigin *origin)
{
  CsDatasetOrigin *copy;

  if (origin == NULL)
    return NULL;
  copy = g_new0 (CsDatasetOrigin, 1);
  copy->source_name = g_strdup (origin->source_name);
  copy->source_path = g_strdup (origin->source_path);
  copy->source_sample = g_strdup (origin->source_sample);
  copy->source_n_rows = origin->source_n_rows;
  copy->n_rows = origin->n_rows;
  copy->rows = g_memdup2 (origin->rows, MAX (origin->n_rows, 1) * sizeof (gsize));
  return copy;
}

void
cs_dataset_origin_free (CsDatasetOrigin *origin)
{
  if (origin == NULL)
    return;
  g_free (origin->source_name);
  g_free (origin->source_path);
  g_free (origin->source_sample);
  g_free (origin->rows);
  g_free (origin);
}

/* A mask over ds's rows from the caller's list; FALSE with a message naming the first row
 * out of range (counted from 1, as the table shows rows). */
static guint8 *
row_mask (const CsDataset *ds, const gsize *rows, gsize n, gsize *n_marked, GError **error)
{
  g_autofree guint8 *mask = g_new0 (guint8, MAX (ds->n_rows, 1));

  *n_marked = 0;
  for (gsize i = 0; i < n; i++)
    {
      if (rows[i] >= ds->n_rows)
        {
          g_autofree char *row = cs_format_count ((guint64)rows[i] + 1);
          g_autofree char *total = cs_format_count (ds->n_rows);

          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "Row %s is not in %s, which has %s rows; select rows again", row, ds->name, total);
          return NULL;
        }
      if (!mask[rows[i]])
        (*n_marked)++;
      mask[rows[i]] = 1;
    }
  return g_steal_pointer (&mask);
}

static CsColumn *
column_subset (const CsColumn *src, const gsize *keep, gsize n_keep)
{
  CsColumn *col = g_new0 (CsColumn, 1);

  col->name = g_strdup (src->name);
  col->kind = src->kind;
  col->description = g_strdup (src->description);
  col->values = g_new (double, MAX (n_keep, 1));
  for (gsize i = 0; i < n_keep; i++)
    {
      col->values[i] = src->values[keep[i]];
      if (isnan (col->values[i]))
        col->n_missing++;
    }
  if (src->levels != NULL)
    {
      /* Every level, even one no kept row has: the codes and the colours of classes stay the
       * ones the whole dataset gave them. */
      col->levels = g_ptr_array_new_full (src->levels->len, g_free);
      for (guint l = 0; l < src->levels->len; l++)
        g_ptr_array_add (col->levels, g_strdup (g_ptr_array_index (src->levels, l)));
    }
  return col;
}

/* The dataset of ds's rows `keep` (ascending, n_keep > 0). */
static CsDataset *
take_rows (const CsDataset *ds, const gsize *keep, gsize n_keep)
{
  const CsDatasetOrigin *parent = ds->origin;
  CsDatasetOrigin       *origin = g_new0 (CsDatasetOrigin, 1);
  g_autofree char       *count = cs_format_count (n_keep);
  g_autofree char       *total = NULL;
  g_autofree char       *name = NULL;
  CsDataset             *sub;

  /* Rows of a subset of a subset are rows of the first source: a session names one file. */
  origin->source_name = g_strdup (parent != NULL ? parent->source_name : ds->name);
  origin->source_path = g_strdup (parent != NULL ? parent->source_path : ds->path);
  origin->source_sample = g_strdup (parent != NULL ? parent->source_sample : ds->sample_id);
  origin->source_n_rows = parent != NULL ? parent->source_n_rows : ds->n_rows;
  origin->n_rows = n_keep;
  origin->rows = g_new (gsize, n_keep);
  for (gsize i = 0; i < n_keep; i++)
    origin->rows[i] = parent != NULL ? parent->rows[keep[i]] : keep[i];

  total = cs_format_count (origin->source_n_rows);
  name = g_strdup_printf ("%s · %s of %s %s", origin->source_name, count, total,
                          origin->source_n_rows == 1 ? "row" : "rows");
  sub = cs_dataset_new (name, n_keep);
  /* Not the file, nor the sample: saving or "recent" must not point there. */
  sub->path = NULL;
  sub->sample_id = NULL;
  sub->label_column = ds->label_column;
  sub->image_rows = ds->image_rows;
  sub->image_cols = ds->image_cols;
  for (gsize c = 0; c < cs_dataset_n_columns (ds); c++)
    g_ptr_array_add (sub->columns, column_subset (cs_dataset_column (ds, c), keep, n_keep));
  /* The loader's notices and bad cells count the file's rows and lines, not these; the graph
   * is over every node. None of them describe the subset. */
  sub->origin = origin;
  return sub;
}

CsDataset *
cs_dataset_subset (const CsDataset *ds, const gsize *rows, gsize n, GError **error)
{
  g_autofree guint8 *mask = NULL;
  g_autofree gsize  *keep = NULL;
  gsize              n_marked = 0;
  gsize              k = 0;

  g_return_val_if_fail (ds != NULL, NULL);
  g_return_val_if_fail (n == 0 || rows != NULL, NULL);

  if (n == 0)
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "No rows are selected; select points with the lasso or rows in the table first");
      return NULL;
    }
  mask = row_mask (ds, rows, n, &n_marked, error);
  if (mask == NULL)
    return NULL;
  keep = g_new (gsize, n_marked);
  for (gsize i = 0; i < ds->n_rows; i++)
    if (mask[i])
      keep[k++] = i;
  return take_rows (ds, keep, k);
}

CsDataset *
cs_dataset_exclude (const CsDataset *ds, const gsize *rows, gsize n, GError **error)
{
  g_autofree guint8 *mask = NULL;
  g_autofree gsize  *keep = NULL;
  gsize              n_marked = 0;
  gsize              k = 0;

  g_return_val_if_fail (ds != NULL, NULL);
  g_return_val_if_fail (n == 0 || rows != NULL, NULL);

  if (n == 0)
    {
      g_set_error_literal (
          error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
          "No rows are selected; select the points to leave out with the lasso or in the table first");
      return NULL;
    }
  mask = row_mask (ds, rows, n, &n_marked, error);
  if (mask == NULL)
    return NULL;
  if (n_marked == ds->n_rows)
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "Every row is selected, so excluding them would leave no data; select fewer rows");
      return NULL;
    }
  keep = g_new (gsize, ds->n_rows - n_marked);
  for (gsize i = 0; i < ds->n_rows; i++)
    if (!mask[i])
      keep[k++] = i;
  return take_rows (ds, keep, k);
}

char *
cs_dataset_rows_to_csv (const CsDataset *ds, const gsize *rows, gsize n, const int *clusters)
{
  GString *s;
  gsize    n_cols;

  g_return_val_if_fail (ds != NULL, NULL);
  g_return_val_if_fail (n == 0 || rows != NULL, NULL);

  n_cols = cs_dataset_n_columns (ds);
  s = g_string_sized_new (64 + n * (n_cols + 2) * 10);
  g_string_append (s, "row");
  for (gsize c = 0; c < n_cols; c++)
    {
      g_string_append_c (s, ',');
      cs_csv_append_field (s, cs_dataset_column (ds, c)->name);
    }
  if (clusters != NULL)
    /* A column of the data may be called "cluster" already: the run's is then told apart. */
    g_string_append (s, cs_dataset_find_column (ds, "cluster") < 0 ? ",cluster" : ",cluster (run)");
  g_string_append_c (s, '\n');
  for (gsize i = 0; i < n; i++)
    {
      gsize r = rows[i];

      g_return_val_if_fail (r < ds->n_rows, g_string_free (s, TRUE));
      g_string_append_printf (s, "%" G_GSIZE_FORMAT, r);
      for (gsize c = 0; c < n_cols; c++)
        {
          const CsColumn *col = cs_dataset_column (ds, c);
          double          v = col->values[r];

          g_string_append_c (s, ',');
          if (isnan (v))
            continue;
          if (col->kind == CS_COLUMN_CATEGORICAL)
            {
              if ((guint)v < col->levels->len)
                cs_csv_append_field (s, g_ptr_array_index (col->levels, (guint)v));
            }
          else
            cs_format_double_append (s, v);
        }
      if (clusters != NULL)
        {
          g_string_append_c (s, ',');
          if (clusters[r] >= -1)
            g_string_append_printf (s, "%d", clusters[r]);
        }
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}
