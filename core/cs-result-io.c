#include "cs-result-io.h"
#include "cs-error.h"
#include "cs-format.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

gboolean
cs_write_file_atomic (const char *path,
                      const char *contents,
                      gsize       length,
                      GError    **error)
{
  g_autoptr (GError) local = NULL;

  /* g_file_set_contents writes a temporary file beside `path`, fsyncs it where that matters,
   * and renames it into place: readers see the old file or the new one, never half of one. */
  if (g_file_set_contents (path, contents, (gssize) length, &local))
    return TRUE;
  g_set_error (error, CS_ERROR, CS_ERROR_IO, "Could not write ‘%s’: %s", path, local->message);
  return FALSE;
}

JsonObject *
cs_params_to_json (const CsParams *params)
{
  const CsAlgorithm *algo = cs_params_get_algorithm (params);
  JsonObject *o = json_object_new ();

  for (gsize i = 0; i < algo->n_params; i++)
    {
      const CsParamSpec *s = &algo->params[i];
      switch (s->type)
        {
        case CS_PARAM_INT:
          json_object_set_int_member (o, s->name, cs_params_get_int (params, s->name));
          break;
        case CS_PARAM_DOUBLE:
          json_object_set_double_member (o, s->name, cs_params_get_double (params, s->name));
          break;
        case CS_PARAM_BOOL:
          json_object_set_boolean_member (o, s->name, cs_params_get_bool (params, s->name));
          break;
        case CS_PARAM_ENUM:
        case CS_PARAM_STRING:
        default:
          json_object_set_string_member (o, s->name, cs_params_get_string (params, s->name));
          break;
        }
    }
  return o;
}

void
cs_json_set_number (JsonObject *o,
                    const char *name,
                    double      v)
{
  if (isfinite (v))
    json_object_set_double_member (o, name, v);
  else
    json_object_set_null_member (o, name);
}

JsonObject *
cs_clustering_to_json (const CsClustering *c)
{
  JsonObject *o = json_object_new ();
  JsonArray *labels = json_array_sized_new (c->n);
  g_autofree gsize *sizes = g_new0 (gsize, MAX (c->k, 1));
  JsonArray *size_array = json_array_sized_new (c->k);

  json_object_set_string_member (o, "algorithm", c->algorithm);
  if (c->params)
    json_object_set_object_member (o, "params", cs_params_to_json (c->params));
  json_object_set_int_member (o, "n", (gint64) c->n);
  json_object_set_int_member (o, "d", (gint64) c->d);
  json_object_set_int_member (o, "k", c->k);
  for (gsize i = 0; i < c->n; i++)
    json_array_add_int_element (labels, c->labels[i]);
  json_object_set_array_member (o, "labels", labels);
  if (c->centers)
    {
      JsonArray *centers = json_array_sized_new (c->centers->rows);
      for (gsize j = 0; j < c->centers->rows; j++)
        {
          JsonArray *row = json_array_sized_new (c->centers->cols);
          for (gsize f = 0; f < c->centers->cols; f++)
            json_array_add_double_element (row, cs_matrix_get (c->centers, j, f));
          json_array_add_array_element (centers, row);
        }
      json_object_set_array_member (o, "centers", centers);
    }
  if (c->medoids)
    {
      JsonArray *medoids = json_array_sized_new (c->k);
      for (guint j = 0; j < c->k; j++)
        json_array_add_int_element (medoids, (gint64) c->medoids[j]);
      json_object_set_array_member (o, "medoids", medoids);
    }
  cs_json_set_number (o, "objective", c->objective);
  if (g_strcmp0 (c->objective_name, "loss") == 0)
    cs_json_set_number (o, "loss", c->objective);
  if (c->medoids)
    json_object_set_int_member (o, "swaps", c->swaps);
  if (c->score_by_k)
    {
      JsonArray *curve = json_array_sized_new (c->n_scores);
      for (guint i = 0; i < c->n_scores; i++)
        {
          JsonObject *pt = json_object_new ();
          json_object_set_int_member (pt, "k", c->score_k_min + i);
          cs_json_set_number (pt, "score", c->score_by_k[i]);
          json_array_add_object_element (curve, pt);
        }
      json_object_set_array_member (o, "score_by_k", curve);
    }
  json_object_set_string_member (o, "objective_name", c->objective_name);
  json_object_set_int_member (o, "iterations", c->iterations);
  json_object_set_boolean_member (o, "converged", c->converged);
  json_object_set_double_member (o, "seconds", c->seconds);
  cs_clustering_sizes (c, sizes);
  for (guint j = 0; j < c->k; j++)
    json_array_add_int_element (size_array, (gint64) sizes[j]);
  json_object_set_array_member (o, "sizes", size_array);
  return o;
}

gboolean
cs_clustering_write_labels_csv (const CsClustering *c,
                                const gsize        *rows,
                                const char         *path,
                                GError            **error)
{
  g_autoptr (GString) s = g_string_sized_new (16 + c->n * 12);

  g_string_append (s, "row,label\n");
  for (gsize i = 0; i < c->n; i++)
    g_string_append_printf (s, "%" G_GSIZE_FORMAT ",%d\n", rows ? rows[i] : i, c->labels[i]);
  return cs_write_file_atomic (path, s->str, s->len, error);
}

gboolean
cs_json_write (JsonNode   *root,
               gboolean    pretty,
               const char *path,
               GError    **error)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length = 0;

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, pretty);
  text = json_generator_to_data (gen, &length);
  if (g_strcmp0 (path, "-") == 0)
    {
      if (fwrite (text, 1, length, stdout) != length || fputc ('\n', stdout) == EOF || fflush (stdout) != 0)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_IO, "Could not write to standard output: %s", g_strerror (errno));
          return FALSE;
        }
      return TRUE;
    }
  return cs_write_file_atomic (path, text, length, error);
}

static void
append_csv_field (GString    *s,
                  const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (s, text);
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

gboolean
cs_dataset_write_csv (const CsDataset *ds,
                      const char      *path,
                      GError         **error)
{
  gsize n_cols = cs_dataset_n_columns (ds);
  g_autoptr (GString) s = g_string_sized_new (64 + ds->n_rows * n_cols * 12);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (gsize j = 0; j < n_cols; j++)
    {
      if (j > 0)
        g_string_append_c (s, ',');
      append_csv_field (s, cs_dataset_column (ds, j)->name);
    }
  g_string_append_c (s, '\n');
  for (gsize i = 0; i < ds->n_rows; i++)
    {
      for (gsize j = 0; j < n_cols; j++)
        {
          const CsColumn *col = cs_dataset_column (ds, j);
          double v = col->values[i];

          if (j > 0)
            g_string_append_c (s, ',');
          if (isnan (v))
            continue;
          if (col->kind == CS_COLUMN_CATEGORICAL)
            append_csv_field (s, g_ptr_array_index (col->levels, (guint) v));
          else
            g_string_append (s, cs_format_double (buf, sizeof buf, v));
        }
      g_string_append_c (s, '\n');
    }
  return cs_write_file_atomic (path, s->str, s->len, error);
}
