#include "core/session/cs-session.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/cluster/cs-registry.h"
#include "core/cluster/cs-result-io.h"
#include "core/data/cs-input.h"
#include "core/metrics/cs-metrics.h"

#define FORMAT_ID "clusterscope-session"
/* JSON deeper than this is not a session; json-glib recurses per level, so a file of a million
 * '[' would otherwise exhaust the stack before any check of ours runs. */
#define MAX_DEPTH 32
/* A session holds labels for every row; a billion rows would not be opened anyway. */
#define MAX_SESSION_BYTES ((guint64) 4 << 30)
#define MAX_ROWS ((gint64) 1 << 31)
#define MAX_COLUMNS ((gint64) 1 << 20)

/* Runs ------------------------------------------------------------------------------------ */

CsSessionRun *
cs_session_run_new (const char *algorithm,
                    gsize       n,
                    guint       k,
                    const int  *labels)
{
  CsSessionRun *run = g_new0 (CsSessionRun, 1);

  run->algorithm = g_strdup (algorithm);
  run->n = n;
  run->k = k;
  run->labels = g_new (int, MAX (n, 1));
  if (labels != NULL)
    memcpy (run->labels, labels, n * sizeof (int));
  else
    memset (run->labels, 0, n * sizeof (int));
  run->objective = NAN;
  run->seconds = NAN;
  return run;
}

CsSessionRun *
cs_session_run_from_clustering (const CsClustering *c)
{
  CsSessionRun *run = cs_session_run_new (c->algorithm, c->n, c->k, c->labels);

  if (c->params != NULL)
    {
      const CsAlgorithm *algo = cs_params_get_algorithm (c->params);
      GPtrArray *v = g_ptr_array_new ();

      for (gsize i = 0; i < algo->n_params; i++)
        {
          g_autofree char *value = cs_params_to_string (c->params, algo->params[i].name);
          g_ptr_array_add (v, g_strconcat (algo->params[i].name, "=", value, NULL));
        }
      g_ptr_array_add (v, NULL);
      run->params = (char **) g_ptr_array_free (v, FALSE);
    }
  if (c->centers != NULL)
    run->centers = cs_matrix_copy (c->centers);
  if (c->medoids != NULL)
    run->medoids = g_memdup2 (c->medoids, c->k * sizeof (gsize));
  if (c->merges != NULL && c->n > 1)
    run->merges = g_memdup2 (c->merges, (c->n - 1) * 4 * sizeof (double));
  run->k_known = c->k_known;
  run->objective = c->objective;
  run->seconds = c->seconds;
  return run;
}

void
cs_session_run_free (CsSessionRun *run)
{
  if (run == NULL)
    return;
  g_free (run->title);
  g_free (run->algorithm);
  g_strfreev (run->params);
  g_free (run->labels);
  g_clear_pointer (&run->centers, cs_matrix_free);
  g_free (run->medoids);
  g_free (run->merges);
  g_free (run);
}

CsSession *
cs_session_new (void)
{
  CsSession *s = g_new0 (CsSession, 1);

  s->version = CS_SESSION_VERSION;
  s->scaling = CS_SCALE_AUTO;
  s->missing = CS_MISSING_DROP;
  s->kept = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_session_run_free);
  s->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return s;
}

void
cs_session_free (CsSession *s)
{
  if (s == NULL)
    return;
  g_free (s->data_path);
  g_free (s->data_hash);
  g_free (s->sample);
  g_clear_pointer (&s->embedded, cs_dataset_unref);
  g_free (s->distances_path);
  g_free (s->label_column);
  g_strfreev (s->columns);
  g_free (s->bad_cells);
  cs_session_run_free (s->current);
  g_ptr_array_unref (s->kept);
  g_free (s->view);
  g_hash_table_unref (s->settings);
  g_free (s->data_object);
  g_free (s->selection);
  g_free (s);
}

/* Writing --------------------------------------------------------------------------------- */

static const char *
missing_id (CsMissingPolicy missing)
{
  return missing == CS_MISSING_MEAN ? "mean" : "drop";
}

static JsonArray *
strv_to_array (char **v)
{
  JsonArray *a = json_array_new ();

  for (gsize i = 0; v != NULL && v[i] != NULL; i++)
    json_array_add_string_element (a, v[i]);
  return a;
}

static JsonArray *
doubles_to_array (const double *v,
                  gsize         n)
{
  JsonArray *a = json_array_sized_new (n);

  for (gsize i = 0; i < n; i++)
    if (isfinite (v[i]))
      json_array_add_double_element (a, v[i]);
    else
      json_array_add_null_element (a);
  return a;
}

static JsonObject *
run_to_json (const CsSessionRun *run)
{
  JsonObject *o = json_object_new ();
  JsonArray  *labels = json_array_sized_new (run->n);

  if (run->title != NULL)
    json_object_set_string_member (o, "title", run->title);
  json_object_set_string_member (o, "algorithm", run->algorithm);
  if (run->params != NULL)
    json_object_set_array_member (o, "params", strv_to_array (run->params));
  json_object_set_int_member (o, "n", (gint64) run->n);
  json_object_set_int_member (o, "k", run->k);
  for (gsize i = 0; i < run->n; i++)
    json_array_add_int_element (labels, run->labels[i]);
  json_object_set_array_member (o, "labels", labels);
  if (run->centers != NULL)
    {
      JsonArray *rows = json_array_sized_new (run->centers->rows);
      for (gsize j = 0; j < run->centers->rows; j++)
        json_array_add_array_element (rows, doubles_to_array (cs_matrix_row (run->centers, j),
                                                              run->centers->cols));
      json_object_set_array_member (o, "centers", rows);
    }
  if (run->medoids != NULL)
    {
      JsonArray *m = json_array_sized_new (run->k);
      for (guint j = 0; j < run->k; j++)
        json_array_add_int_element (m, (gint64) run->medoids[j]);
      json_object_set_array_member (o, "medoids", m);
    }
  if (run->merges != NULL && run->n > 1)
    json_object_set_array_member (o, "merges", doubles_to_array (run->merges, (run->n - 1) * 4));
  if (run->k_known > 0)
    json_object_set_int_member (o, "k_known", run->k_known);
  cs_json_set_number (o, "objective", run->objective);
  cs_json_set_number (o, "seconds", run->seconds);
  return o;
}

static JsonObject *
dataset_to_json (const CsDataset *ds)
{
  JsonObject *o = json_object_new ();
  JsonArray  *cols = json_array_new ();

  json_object_set_string_member (o, "name", ds->name);
  json_object_set_int_member (o, "rows", (gint64) ds->n_rows);
  if (ds->label_column >= 0)
    json_object_set_int_member (o, "label_column", ds->label_column);
  for (gsize c = 0; c < cs_dataset_n_columns (ds); c++)
    {
      const CsColumn *col = cs_dataset_column (ds, c);
      JsonObject     *co = json_object_new ();

      json_object_set_string_member (co, "name", col->name);
      if (col->kind == CS_COLUMN_CATEGORICAL)
        {
          JsonArray *codes = json_array_sized_new (ds->n_rows);
          json_object_set_string_member (co, "kind", "categorical");
          JsonArray *levels = json_array_sized_new (col->levels->len);
          for (guint l = 0; l < col->levels->len; l++)
            json_array_add_string_element (levels, g_ptr_array_index (col->levels, l));
          json_object_set_array_member (co, "levels", levels);
          for (gsize i = 0; i < ds->n_rows; i++)
            json_array_add_int_element (codes, isnan (col->values[i]) ? -1 : (gint64) col->values[i]);
          json_object_set_array_member (co, "codes", codes);
        }
      else
        {
          json_object_set_string_member (co, "kind", "numeric");
          json_object_set_array_member (co, "values", doubles_to_array (col->values, ds->n_rows));
        }
      json_array_add_object_element (cols, co);
    }
  json_object_set_array_member (o, "columns", cols);
  return o;
}

static JsonNode *
session_to_json (const CsSession *s)
{
  JsonObject *root = json_object_new ();
  JsonObject *data = json_object_new ();
  JsonObject *prep = json_object_new ();
  JsonArray  *kept = json_array_new ();
  JsonObject *settings = json_object_new ();
  JsonNode   *node = json_node_new (JSON_NODE_OBJECT);
  GHashTableIter it;
  gpointer key;
  gpointer value;
  g_autoptr (GList) keys = NULL;

  json_object_set_string_member (root, "format", FORMAT_ID);
  json_object_set_int_member (root, "version", CS_SESSION_VERSION);

  if (s->data_path != NULL)
    json_object_set_string_member (data, "path", s->data_path);
  if (s->data_hash != NULL)
    json_object_set_string_member (data, "hash", s->data_hash);
  if (s->data_object != NULL)
    json_object_set_string_member (data, "dataset", s->data_object);
  if (s->sample != NULL)
    json_object_set_string_member (data, "sample", s->sample);
  if (s->embedded != NULL)
    json_object_set_object_member (data, "embedded", dataset_to_json (s->embedded));
  if (s->distances_path != NULL)
    json_object_set_string_member (data, "distances", s->distances_path);
  json_object_set_object_member (root, "data", data);

  if (s->columns != NULL)
    json_object_set_array_member (prep, "columns", strv_to_array (s->columns));
  if (s->label_column != NULL)
    json_object_set_string_member (prep, "label_column", s->label_column);
  json_object_set_string_member (prep, "scaling", cs_scaling_id (s->scaling));
  json_object_set_string_member (prep, "missing", missing_id (s->missing));
  if (s->bad_cells != NULL)
    json_object_set_string_member (prep, "bad_cells", s->bad_cells);
  json_object_set_object_member (root, "prepare", prep);

  if (s->current != NULL)
    json_object_set_object_member (root, "current", run_to_json (s->current));
  for (guint i = 0; i < s->kept->len; i++)
    json_array_add_object_element (kept, run_to_json (g_ptr_array_index (s->kept, i)));
  json_object_set_array_member (root, "kept", kept);

  if (s->n_selection > 0)
    {
      JsonArray *sel = json_array_sized_new ((guint) s->n_selection);
      for (gsize i = 0; i < s->n_selection; i++)
        json_array_add_int_element (sel, (gint64) s->selection[i]);
      json_object_set_array_member (root, "selection", sel);
    }
  if (s->view != NULL)
    json_object_set_string_member (root, "view", s->view);
  /* Sorted keys: the same session always gives the same bytes. */
  g_hash_table_iter_init (&it, s->settings);
  while (g_hash_table_iter_next (&it, &key, &value))
    keys = g_list_prepend (keys, key);
  keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l != NULL; l = l->next)
    json_object_set_string_member (settings, l->data, g_hash_table_lookup (s->settings, l->data));
  json_object_set_object_member (root, "settings", settings);

  json_node_take_object (node, root);
  return node;
}

gboolean
cs_session_save (const CsSession *session,
                 const char      *path,
                 GError         **error)
{
  g_autoptr (JsonNode) root = session_to_json (session);

  return cs_json_write (root, TRUE, path, error);
}

/* Reading --------------------------------------------------------------------------------- */

typedef struct
{
  const char *file;  /* for messages */
  GError    **error;
  gboolean    failed;
} Reader;

G_GNUC_PRINTF (3, 4) static void
fail (Reader     *r,
      const char *member,
      const char *format,
      ...)
{
  va_list ap;
  g_autofree char *what = NULL;

  if (r->failed)
    return;
  r->failed = TRUE;
  va_start (ap, format);
  what = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (r->error, CS_ERROR, CS_ERROR_PARSE, "%s: ‘%s’ %s", r->file, member, what);
}

static JsonNode *
member (Reader     *r,
        JsonObject *o,
        const char *name,
        const char *path,
        gboolean    required)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;

  if (n == NULL && required)
    fail (r, path, "is missing");
  return n;
}

static const char *
get_string (Reader     *r,
            JsonObject *o,
            const char *name,
            const char *path,
            gboolean    required)
{
  JsonNode *n = member (r, o, name, path, required);

  if (n == NULL || r->failed)
    return NULL;
  if (JSON_NODE_HOLDS_NULL (n) && !required)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    {
      fail (r, path, "should be text");
      return NULL;
    }
  return json_node_get_string (n);
}

static gboolean
node_int (JsonNode *n,
          gint64   *v)
{
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *v = json_node_get_int (n);
  return TRUE;
}

static gint64
get_int (Reader     *r,
         JsonObject *o,
         const char *name,
         const char *path,
         gint64      min,
         gint64      max)
{
  JsonNode *n = member (r, o, name, path, TRUE);
  gint64 v = 0;

  if (r->failed)
    return 0;
  if (!node_int (n, &v))
    fail (r, path, "should be a whole number");
  else if (v < min || v > max)
    fail (r, path, "is %" G_GINT64_FORMAT ", outside %" G_GINT64_FORMAT " … %" G_GINT64_FORMAT, v, min, max);
  return v;
}

/* A number or null (NaN); FALSE for anything else. */
static gboolean
node_double (JsonNode *n,
             double   *v)
{
  if (n == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (n))
    {
      *v = NAN;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  if (json_node_get_value_type (n) == G_TYPE_INT64)
    *v = (double) json_node_get_int (n);
  else if (json_node_get_value_type (n) == G_TYPE_DOUBLE)
    *v = json_node_get_double (n);
  else
    return FALSE;
  return TRUE;
}

static double
get_double (Reader     *r,
            JsonObject *o,
            const char *name,
            const char *path)
{
  JsonNode *n = member (r, o, name, path, FALSE);
  double v = NAN;

  if (n != NULL && !r->failed && !node_double (n, &v))
    fail (r, path, "should be a number");
  return v;
}

static JsonArray *
get_array (Reader     *r,
           JsonObject *o,
           const char *name,
           const char *path,
           gboolean    required)
{
  JsonNode *n = member (r, o, name, path, required);

  if (n == NULL || r->failed || (JSON_NODE_HOLDS_NULL (n) && !required))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (n))
    {
      fail (r, path, "should be a list");
      return NULL;
    }
  return json_node_get_array (n);
}

static JsonObject *
get_object (Reader     *r,
            JsonObject *o,
            const char *name,
            const char *path,
            gboolean    required)
{
  JsonNode *n = member (r, o, name, path, required);

  if (n == NULL || r->failed)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (n))
    {
      fail (r, path, "should be an object");
      return NULL;
    }
  return json_node_get_object (n);
}

static char **
get_strv (Reader     *r,
          JsonObject *o,
          const char *name,
          const char *path)
{
  JsonArray *a = get_array (r, o, name, path, FALSE);
  GPtrArray *v;

  if (a == NULL)
    return NULL;
  v = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *n = json_array_get_element (a, i);
      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
        {
          g_autofree char *at = g_strdup_printf ("%s[%u]", path, i);
          fail (r, at, "should be text");
          break;
        }
      g_ptr_array_add (v, g_strdup (json_node_get_string (n)));
    }
  g_ptr_array_add (v, NULL);
  if (r->failed)
    {
      g_strfreev ((char **) g_ptr_array_free (v, FALSE));
      return NULL;
    }
  return (char **) g_ptr_array_free (v, FALSE);
}

static CsSessionRun *
read_run (Reader     *r,
          JsonObject *o,
          const char *path)
{
  g_autoptr (CsSessionRun) run = g_new0 (CsSessionRun, 1);
  g_autofree char *p_alg = g_strconcat (path, ".algorithm", NULL);
  g_autofree char *p_n = g_strconcat (path, ".n", NULL);
  g_autofree char *p_k = g_strconcat (path, ".k", NULL);
  g_autofree char *p_labels = g_strconcat (path, ".labels", NULL);
  g_autofree char *p_centers = g_strconcat (path, ".centers", NULL);
  g_autofree char *p_medoids = g_strconcat (path, ".medoids", NULL);
  g_autofree char *p_params = g_strconcat (path, ".params", NULL);
  g_autofree char *p_title = g_strconcat (path, ".title", NULL);
  JsonArray *labels;
  JsonArray *centers;
  JsonArray *medoids;
  const char *alg;
  gint64 n;
  gint64 k;

  run->objective = NAN;
  run->seconds = NAN;
  run->title = g_strdup (get_string (r, o, "title", p_title, FALSE));
  alg = get_string (r, o, "algorithm", p_alg, TRUE);
  if (r->failed)
    return NULL;
  if (*alg == '\0' || strlen (alg) > 64)
    {
      fail (r, p_alg, "is not an algorithm id");
      return NULL;
    }
  run->algorithm = g_strdup (alg);
  run->params = get_strv (r, o, "params", p_params);
  for (gsize i = 0; run->params != NULL && run->params[i] != NULL; i++)
    if (strchr (run->params[i], '=') == NULL)
      {
        g_autofree char *at = g_strdup_printf ("%s[%zu]", p_params, i);
        fail (r, at, "should read name=value");
      }
  n = get_int (r, o, "n", p_n, 1, MAX_ROWS);
  k = get_int (r, o, "k", p_k, 0, MIN (n, (gint64) G_MAXINT));
  labels = get_array (r, o, "labels", p_labels, TRUE);
  if (r->failed)
    return NULL;
  if ((gint64) json_array_get_length (labels) != n)
    {
      fail (r, p_labels, "has %u entries for n = %" G_GINT64_FORMAT, json_array_get_length (labels), n);
      return NULL;
    }
  run->n = (gsize) n;
  run->k = (guint) k;
  run->labels = g_new (int, n);
  for (gint64 i = 0; i < n; i++)
    {
      gint64 v = 0;
      if (!node_int (json_array_get_element (labels, (guint) i), &v) || v < -1 || v >= k)
        {
          g_autofree char *at = g_strdup_printf ("%s[%" G_GINT64_FORMAT "]", p_labels, i);
          fail (r, at, "should be a cluster number from −1 (noise) to %" G_GINT64_FORMAT, k - 1);
          return NULL;
        }
      run->labels[i] = (int) v;
    }

  centers = get_array (r, o, "centers", p_centers, FALSE);
  if (centers != NULL)
    {
      guint rows = json_array_get_length (centers);
      guint d = 0;

      if (rows != k)
        {
          fail (r, p_centers, "has %u rows for k = %" G_GINT64_FORMAT, rows, k);
          return NULL;
        }
      for (guint j = 0; j < rows && !r->failed; j++)
        {
          JsonNode *row = json_array_get_element (centers, j);
          g_autofree char *at = g_strdup_printf ("%s[%u]", p_centers, j);
          JsonArray *ra;

          if (!JSON_NODE_HOLDS_ARRAY (row))
            {
              fail (r, at, "should be a list of numbers");
              break;
            }
          ra = json_node_get_array (row);
          if (j == 0)
            {
              d = json_array_get_length (ra);
              if (d == 0 || d > MAX_COLUMNS)
                {
                  fail (r, at, "has %u numbers", d);
                  break;
                }
              run->centers = cs_matrix_new (rows, d);
            }
          if (json_array_get_length (ra) != d)
            {
              fail (r, at, "has %u numbers where the first row has %u", json_array_get_length (ra), d);
              break;
            }
          for (guint f = 0; f < d; f++)
            if (!node_double (json_array_get_element (ra, f), &cs_matrix_row (run->centers, j)[f]))
              {
                fail (r, at, "should hold numbers only");
                break;
              }
        }
      if (r->failed)
        return NULL;
    }

  medoids = get_array (r, o, "medoids", p_medoids, FALSE);
  if (medoids != NULL)
    {
      if (json_array_get_length (medoids) != k)
        {
          fail (r, p_medoids, "has %u entries for k = %" G_GINT64_FORMAT, json_array_get_length (medoids), k);
          return NULL;
        }
      run->medoids = g_new (gsize, MAX (k, 1));
      for (guint j = 0; j < k; j++)
        {
          gint64 v = 0;
          if (!node_int (json_array_get_element (medoids, j), &v) || v < 0 || v >= n)
            {
              g_autofree char *at = g_strdup_printf ("%s[%u]", p_medoids, j);
              fail (r, at, "should be a row number from 0 to %" G_GINT64_FORMAT, n - 1);
              return NULL;
            }
          run->medoids[j] = (gsize) v;
        }
    }
  if (member (r, o, "k_known", path, FALSE) != NULL)
    {
      g_autofree char *p_known = g_strconcat (path, ".k_known", NULL);
      run->k_known = (guint) get_int (r, o, "k_known", p_known, 0, k);
      if (r->failed)
        return NULL;
    }
  {
    g_autofree char *p_merges = g_strconcat (path, ".merges", NULL);
    JsonArray *merges = get_array (r, o, "merges", p_merges, FALSE);

    if (merges != NULL)
      {
        /* SciPy's linkage matrix: cluster ids below 2n − 1, heights ≥ 0 and sizes up to n. */
        gsize len = (gsize) (n - 1) * 4;
        if (n < 2 || json_array_get_length (merges) != len)
          {
            fail (r, p_merges, "should hold 4 numbers per merge, %" G_GSIZE_FORMAT " in all", len);
            return NULL;
          }
        run->merges = g_new (double, len);
        for (gsize i = 0; i < len; i++)
          {
            double v = NAN;
            double limit = i % 4 == 3 ? (double) n : i % 4 == 2 ? INFINITY : (double) (2 * n - 2);
            if (!node_double (json_array_get_element (merges, (guint) i), &v) || !(v >= 0.0 && v <= limit)
                || (i % 4 != 2 && v != floor (v)))
              {
                g_autofree char *at = g_strdup_printf ("%s[%" G_GSIZE_FORMAT "]", p_merges, i);
                fail (r, at, "is not a valid linkage entry");
                return NULL;
              }
            run->merges[i] = v;
          }
      }
  }
  {
    g_autofree char *p_obj = g_strconcat (path, ".objective", NULL);
    g_autofree char *p_sec = g_strconcat (path, ".seconds", NULL);
    run->objective = get_double (r, o, "objective", p_obj);
    run->seconds = get_double (r, o, "seconds", p_sec);
  }
  if (r->failed)
    return NULL;
  return g_steal_pointer (&run);
}

static CsDataset *
read_embedded (Reader     *r,
               JsonObject *o)
{
  const char *name = get_string (r, o, "name", "data.embedded.name", TRUE);
  gint64 rows = get_int (r, o, "rows", "data.embedded.rows", 1, MAX_ROWS);
  JsonArray *cols = get_array (r, o, "columns", "data.embedded.columns", TRUE);
  g_autoptr (CsDataset) ds = NULL;
  gint64 label = -1;

  if (r->failed)
    return NULL;
  if (json_array_get_length (cols) == 0 || json_array_get_length (cols) > MAX_COLUMNS)
    {
      fail (r, "data.embedded.columns", "has %u columns", json_array_get_length (cols));
      return NULL;
    }
  ds = cs_dataset_new (name, (gsize) rows);
  for (guint c = 0; c < json_array_get_length (cols) && !r->failed; c++)
    {
      JsonNode *cn = json_array_get_element (cols, c);
      g_autofree char *at = g_strdup_printf ("data.embedded.columns[%u]", c);
      JsonObject *co;
      const char *cname;
      const char *kind;

      if (!JSON_NODE_HOLDS_OBJECT (cn))
        {
          fail (r, at, "should be an object");
          break;
        }
      co = json_node_get_object (cn);
      cname = get_string (r, co, "name", at, TRUE);
      kind = get_string (r, co, "kind", at, TRUE);
      if (r->failed)
        break;
      if (*cname == '\0' || cs_dataset_find_column (ds, cname) >= 0)
        {
          fail (r, at, "has an empty or repeated name");
          break;
        }
      if (g_str_equal (kind, "numeric"))
        {
          JsonArray *v = get_array (r, co, "values", at, TRUE);
          double *values;
          if (r->failed)
            break;
          if ((gint64) json_array_get_length (v) != rows)
            {
              fail (r, at, "has %u values for %" G_GINT64_FORMAT " rows", json_array_get_length (v), rows);
              break;
            }
          values = g_new (double, rows);
          for (gint64 i = 0; i < rows; i++)
            if (!node_double (json_array_get_element (v, (guint) i), &values[i]) || isinf (values[i]))
              {
                fail (r, at, "should hold finite numbers or null (value %" G_GINT64_FORMAT ")", i);
                break;
              }
          if (r->failed)
            {
              g_free (values);
              break;
            }
          cs_dataset_add_numeric (ds, cname, values);
        }
      else if (g_str_equal (kind, "categorical"))
        {
          g_auto (GStrv) levels = get_strv (r, co, "levels", at);
          JsonArray *codes_a = get_array (r, co, "codes", at, TRUE);
          g_autofree int *codes = NULL;
          guint n_levels;

          if (r->failed)
            break;
          n_levels = levels != NULL ? g_strv_length (levels) : 0;
          if (n_levels == 0 || (gint64) json_array_get_length (codes_a) != rows)
            {
              fail (r, at, "needs levels and one code per row");
              break;
            }
          codes = g_new (int, rows);
          for (gint64 i = 0; i < rows; i++)
            {
              gint64 v = 0;
              if (!node_int (json_array_get_element (codes_a, (guint) i), &v) || v < -1 || v >= n_levels)
                {
                  fail (r, at, "has a code outside −1 … %u (row %" G_GINT64_FORMAT ")", n_levels - 1, i);
                  break;
                }
              codes[i] = (int) v;
            }
          if (r->failed)
            break;
          cs_dataset_add_categorical (ds, cname, codes, (const char *const *) levels, n_levels);
        }
      else
        fail (r, at, "has an unknown kind ‘%s’", kind);
    }
  if (!r->failed && member (r, o, "label_column", "data.embedded.label_column", FALSE) != NULL)
    label = get_int (r, o, "label_column", "data.embedded.label_column", 0,
                     (gint64) cs_dataset_n_columns (ds) - 1);
  if (r->failed)
    return NULL;
  ds->label_column = (int) label;
  return g_steal_pointer (&ds);
}

/* The line and column (1-based) of byte `at`. */
static void
position (const char *data,
          gsize       at,
          gsize      *line,
          gsize      *column)
{
  *line = 1;
  *column = 1;
  for (gsize i = 0; i < at; i++)
    if (data[i] == '\n')
      {
        (*line)++;
        *column = 1;
      }
    else if (((guchar) data[i] & 0xC0) != 0x80)
      (*column)++;
}

/* Refuses nesting deeper than MAX_DEPTH before the recursive parser sees it. */
static gboolean
check_depth (const char *data,
             gsize       length,
             const char *file,
             GError    **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_DEPTH)
            {
              gsize line, column;
              position (data, i, &line, &column);
              g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                           "%s: line %zu, column %zu: lists or objects nested more than %d deep; "
                           "not a Clusterscope session", file, line, column, MAX_DEPTH);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

/* The selection: row numbers, ascending without repeats (what the window keeps), below the
 * embedded data's row count when the data is in the file; a file's rows are checked against
 * the data once it is loaded (cs_session_check_selection). */
static gboolean
read_selection (Reader     *r,
                JsonObject *o,
                CsSession  *s)
{
  JsonArray *a = get_array (r, o, "selection", "selection", FALSE);
  gint64     limit = s->embedded != NULL ? (gint64) s->embedded->n_rows : MAX_ROWS;
  guint      n;

  if (r->failed)
    return FALSE;
  if (a == NULL)
    return TRUE;
  n = json_array_get_length (a);
  if ((gint64) n > limit)
    {
      g_autofree char *count = cs_format_count (n);
      g_autofree char *rows = cs_format_count ((gsize) limit);
      fail (r, "selection", "has %s rows where the data has %s", count, rows);
      return FALSE;
    }
  s->selection = g_new (gsize, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      gint64 v = 0;
      g_autofree char *at = g_strdup_printf ("selection[%u]", i);

      if (!node_int (json_array_get_element (a, i), &v) || v < 0 || v >= limit)
        {
          g_autofree char *last = cs_format_count ((gsize) (limit - 1));
          fail (r, at, "should be a row number from 0 to %s", last);
          return FALSE;
        }
      if (i > 0 && (gsize) v <= s->selection[i - 1])
        {
          fail (r, at, "should be greater than the row before it (rows ascending, each once)");
          return FALSE;
        }
      s->selection[i] = (gsize) v;
    }
  s->n_selection = n;
  if (n == 0)
    g_clear_pointer (&s->selection, g_free);
  return TRUE;
}

CsSession *
cs_session_load_data (const char *data,
                      gsize       length,
                      const char *display_name,
                      GError    **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (CsSession) s = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *file = g_strdup (display_name != NULL ? display_name : "session");
  Reader r = { file, error, FALSE };
  const char *invalid = NULL;
  JsonNode *root;
  JsonObject *o;
  JsonObject *data_o;
  JsonObject *prep;
  JsonObject *cur;
  JsonArray *kept;
  JsonObject *settings;
  const char *fmt;
  const char *s_val;
  gint64 version;

  if (!g_utf8_validate_len (data, length, &invalid))
    {
      gsize line, column;
      position (data, (gsize) (invalid - data), &line, &column);
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                   "%s: line %zu, column %zu: not UTF-8 text; not a Clusterscope session", file, line, column);
      return NULL;
    }
  if (!check_depth (data, length, file, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local))
    {
      /* json-glib says "<data>:LINE:COL: Parse error: …" */
      const char *msg = local->message;
      guint line = 0;
      guint column = 0;
      int used = 0;

      if (g_str_has_prefix (msg, "<data>:"))
        msg += strlen ("<data>:");
      if (sscanf (msg, "%u:%u: %n", &line, &column, &used) == 2 && used > 0)
        {
          msg += used;
          if (g_str_has_prefix (msg, "Parse error: "))
            msg += strlen ("Parse error: ");
          g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s: line %u, column %u: %s; not a Clusterscope session",
                       file, line, column, msg);
        }
      else
        g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s: not a Clusterscope session (%s)", file, msg);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s: not a Clusterscope session (expected a JSON object)", file);
      return NULL;
    }
  o = json_node_get_object (root);
  fmt = get_string (&r, o, "format", "format", TRUE);
  if (r.failed)
    return NULL;
  if (!g_str_equal (fmt, FORMAT_ID))
    {
      fail (&r, "format", "is not ‘%s’: not a Clusterscope session", FORMAT_ID);
      return NULL;
    }
  version = get_int (&r, o, "version", "version", 1, G_MAXINT);
  if (r.failed)
    return NULL;
  if (version > CS_SESSION_VERSION)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                   "%s: written by a newer Clusterscope (session version %" G_GINT64_FORMAT ", this one reads up to %d); "
                   "update Clusterscope to open it", file, version, CS_SESSION_VERSION);
      return NULL;
    }

  s = cs_session_new ();
  s->version = (guint) version;

  data_o = get_object (&r, o, "data", "data", TRUE);
  if (r.failed)
    return NULL;
  s->data_path = g_strdup (get_string (&r, data_o, "path", "data.path", FALSE));
  s->data_hash = g_strdup (get_string (&r, data_o, "hash", "data.hash", FALSE));
  s->sample = g_strdup (get_string (&r, data_o, "sample", "data.sample", FALSE));
  s->distances_path = g_strdup (get_string (&r, data_o, "distances", "data.distances", FALSE));
  s->data_object = g_strdup (get_string (&r, data_o, "dataset", "data.dataset", FALSE));
  if (!r.failed && member (&r, data_o, "embedded", "data.embedded", FALSE) != NULL)
    {
      JsonObject *e = get_object (&r, data_o, "embedded", "data.embedded", TRUE);
      if (!r.failed)
        s->embedded = read_embedded (&r, e);
    }
  if (r.failed)
    return NULL;
  if ((s->data_path != NULL) + (s->sample != NULL) + (s->embedded != NULL) != 1)
    {
      fail (&r, "data", "should name exactly one of a file (path), a bundled sample or embedded data");
      return NULL;
    }
  if (s->data_path != NULL && !g_path_is_absolute (s->data_path))
    {
      fail (&r, "data.path", "should be an absolute path");
      return NULL;
    }
  if (s->data_object != NULL && (s->data_path == NULL || s->data_object[0] != '/'))
    {
      fail (&r, "data.dataset", s->data_path == NULL ? "needs a data file (path) to be inside"
                                                     : "should be a path inside the HDF5 file, such as /data");
      return NULL;
    }

  prep = get_object (&r, o, "prepare", "prepare", TRUE);
  if (r.failed)
    return NULL;
  s->columns = get_strv (&r, prep, "columns", "prepare.columns");
  s->label_column = g_strdup (get_string (&r, prep, "label_column", "prepare.label_column", FALSE));
  s_val = get_string (&r, prep, "scaling", "prepare.scaling", TRUE);
  if (!r.failed && !cs_scaling_from_id (s_val, &s->scaling))
    fail (&r, "prepare.scaling", "is ‘%s’, not auto, none, standardize or minmax", s_val);
  s_val = get_string (&r, prep, "missing", "prepare.missing", TRUE);
  if (!r.failed)
    {
      if (g_str_equal (s_val, "drop"))
        s->missing = CS_MISSING_DROP;
      else if (g_str_equal (s_val, "mean"))
        s->missing = CS_MISSING_MEAN;
      else
        fail (&r, "prepare.missing", "is ‘%s’, not drop or mean", s_val);
    }
  s_val = get_string (&r, prep, "bad_cells", "prepare.bad_cells", FALSE);
  if (!r.failed && s_val != NULL)
    {
      if (!g_str_equal (s_val, "auto") && !g_str_equal (s_val, "missing") && !g_str_equal (s_val, "text"))
        fail (&r, "prepare.bad_cells", "is ‘%s’, not auto, missing or text", s_val);
      else
        s->bad_cells = g_strdup (s_val);
    }
  if (r.failed)
    return NULL;

  if (member (&r, o, "current", "current", FALSE) != NULL)
    {
      cur = get_object (&r, o, "current", "current", TRUE);
      if (r.failed || (s->current = read_run (&r, cur, "current")) == NULL)
        return NULL;
    }
  kept = get_array (&r, o, "kept", "kept", FALSE);
  for (guint i = 0; kept != NULL && i < json_array_get_length (kept); i++)
    {
      JsonNode *kn = json_array_get_element (kept, i);
      g_autofree char *at = g_strdup_printf ("kept[%u]", i);
      CsSessionRun *run;

      if (!JSON_NODE_HOLDS_OBJECT (kn))
        {
          fail (&r, at, "should be an object");
          return NULL;
        }
      if ((run = read_run (&r, json_node_get_object (kn), at)) == NULL)
        return NULL;
      g_ptr_array_add (s->kept, run);
    }
  if (r.failed)
    return NULL;

  if (!read_selection (&r, o, s))
    return NULL;
  s->view = g_strdup (get_string (&r, o, "view", "view", FALSE));
  if (member (&r, o, "settings", "settings", FALSE) != NULL)
    {
      JsonObjectIter it;
      const char *key;
      JsonNode *value;

      settings = get_object (&r, o, "settings", "settings", TRUE);
      if (r.failed)
        return NULL;
      json_object_iter_init (&it, settings);
      while (json_object_iter_next (&it, &key, &value))
        {
          g_autofree char *at = g_strdup_printf ("settings.%s", key);
          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            {
              fail (&r, at, "should be text");
              return NULL;
            }
          g_hash_table_insert (s->settings, g_strdup (key), g_strdup (json_node_get_string (value)));
        }
    }
  if (r.failed)
    return NULL;
  return g_steal_pointer (&s);
}

CsSession *
cs_session_load (const char *path,
                 GError    **error)
{
  g_autoptr (CsInput) in = cs_input_load (path, "expected a Clusterscope session (.clusterscope)",
                                          MAX_SESSION_BYTES, NULL, error);
  g_autofree char *name = NULL;

  if (in == NULL)
    return NULL;
  name = g_filename_display_basename (path);
  return cs_session_load_data (in->data, in->length, name, error);
}

/* Restoring ------------------------------------------------------------------------------- */

static const char *
objective_name (CsObjectiveKind kind)
{
  switch (kind)
    {
    case CS_OBJECTIVE_INERTIA:
      return "inertia";
    case CS_OBJECTIVE_LOSS:
      return "loss";
    case CS_OBJECTIVE_MEDOID_SILHOUETTE:
      return "medoid silhouette";
    case CS_OBJECTIVE_LOG_LIKELIHOOD:
      return "log-likelihood";
    case CS_OBJECTIVE_NONE:
    default:
      return "objective";
    }
}

CsPipelineResult *
cs_session_restore (const CsSessionRun      *run,
                    const CsDataset         *ds,
                    const CsPipelineOptions *options,
                    CsProgress              *progress,
                    GError                 **error)
{
  const CsAlgorithm *algo = cs_registry_lookup (run->algorithm);
  g_autoptr (CsPrepared) prep = NULL;
  g_autoptr (CsClustering) c = NULL;
  gsize d;

  cs_progress_report (progress, 0.0, "Preparing data");
  prep = cs_dataset_prepare (ds, &options->prepare, error);
  if (prep == NULL || !cs_progress_check (progress, error))
    return NULL;
  if (prep->x->rows != run->n)
    {
      g_autofree char *now = cs_format_count (prep->x->rows);
      g_autofree char *then = cs_format_count (run->n);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "The saved result covers %s rows but the data now gives %s: the data changed since the "
                   "session was saved; run the algorithm again", then, now);
      return NULL;
    }
  if (algo == NULL && !g_str_equal (run->algorithm, "labels"))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "The saved result comes from ‘%s’, an algorithm this version of Clusterscope does not have",
                   run->algorithm);
      return NULL;
    }
  d = prep->x->cols;
  c = cs_clustering_new (run->algorithm, run->n, d, MAX (run->k, 1));
  c->k = run->k;
  memcpy (c->labels, run->labels, run->n * sizeof (int));
  if (algo != NULL)
    {
      c->params = cs_params_new (algo);
      for (gsize i = 0; run->params != NULL && run->params[i] != NULL; i++)
        if (!cs_params_set_assignment (c->params, run->params[i], error))
          {
            g_prefix_error (error, "In the saved result: ");
            return NULL;
          }
      c->objective_kind = algo->objective;
    }
  else
    c->objective_kind = CS_OBJECTIVE_INERTIA;
  c->objective_name = objective_name (c->objective_kind);

  if (run->centers != NULL && run->centers->cols == d && run->centers->rows == run->k)
    c->centers = cs_matrix_copy (run->centers);
  else if (run->k > 0)
    {
      g_autofree gsize *count = g_new0 (gsize, run->k);
      c->centers = cs_matrix_new (run->k, d);
      cs_metric_cluster_means (prep->x, c->labels, run->k, c->centers->data, count);
      for (guint j = 0; j < run->k; j++)
        if (count[j] == 0)
          for (gsize f = 0; f < d; f++)
            cs_matrix_row (c->centers, j)[f] = NAN;
    }
  if (run->medoids != NULL)
    c->medoids = g_memdup2 (run->medoids, run->k * sizeof (gsize));
  if (run->merges != NULL && run->n > 1)
    c->merges = g_memdup2 (run->merges, (run->n - 1) * 4 * sizeof (double));
  c->k_known = run->k_known;
  c->objective = run->objective;
  if (isnan (c->objective) && c->centers != NULL && c->objective_kind == CS_OBJECTIVE_INERTIA)
    c->objective = cs_metric_inertia (prep->x, c->labels, c->centers);
  c->seconds = run->seconds;
  c->converged = TRUE;
  return cs_pipeline_score (ds, options, g_steal_pointer (&prep), g_steal_pointer (&c), progress, error);
}

/* Selection ------------------------------------------------------------------------------- */

gboolean
cs_session_set_selection (CsSession   *s,
                          const gsize *rows,
                          gsize        n)
{
  g_return_val_if_fail (s != NULL, FALSE);
  g_return_val_if_fail (rows != NULL || n == 0, FALSE);

  for (gsize i = 1; i < n; i++)
    if (rows[i] <= rows[i - 1])
      return FALSE;
  g_clear_pointer (&s->selection, g_free);
  s->selection = n > 0 ? g_memdup2 (rows, n * sizeof (gsize)) : NULL;
  s->n_selection = n;
  return TRUE;
}

gboolean
cs_session_check_selection (const CsSession *s,
                            gsize            n_rows,
                            GError         **error)
{
  g_return_val_if_fail (s != NULL, FALSE);

  /* Ascending: the last row is the largest. */
  if (s->n_selection > 0 && s->selection[s->n_selection - 1] >= n_rows)
    {
      g_autofree char *row = cs_format_count (s->selection[s->n_selection - 1] + 1);
      g_autofree char *rows = cs_format_count (n_rows);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "The saved selection includes row %s but the data now has %s %s: the data changed since "
                   "the session was saved, so nothing is selected", row, rows, n_rows == 1 ? "row" : "rows");
      return FALSE;
    }
  return TRUE;
}

/* Data check ------------------------------------------------------------------------------ */

char *
cs_session_hash_file (const char *path,
                      GError    **error)
{
  g_autoptr (CsInput) in = cs_input_load (path, "expected a data file", MAX_SESSION_BYTES, NULL, error);
  g_autoptr (GChecksum) sum = NULL;

  if (in == NULL)
    return NULL;
  sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, (const guchar *) in->data, (gssize) in->length);
  return g_strconcat ("sha256:", g_checksum_get_string (sum), NULL);
}

char *
cs_session_check_data (const CsSession *s)
{
  g_autofree char *name = NULL;
  g_autofree char *now = NULL;
  g_autoptr (GError) error = NULL;

  if (s->data_path == NULL)
    return NULL;
  name = g_filename_display_basename (s->data_path);
  now = cs_session_hash_file (s->data_path, &error);
  if (now == NULL)
    return g_strdup_printf ("The session’s data file ‘%s’ cannot be read: %s", name, error->message);
  if (s->data_hash != NULL && !g_str_equal (now, s->data_hash))
    return g_strdup_printf ("‘%s’ changed since the session was saved: the result shown is the saved one; "
                            "run again to cluster the file as it is now.", name);
  return NULL;
}

/* Command --------------------------------------------------------------------------------- */

/* Quoted for a POSIX shell only when it must be, so the command stays readable. */
static void
append_arg (GString    *s,
            const char *arg)
{
  gboolean plain = *arg != '\0';

  for (const char *p = arg; *p != '\0' && plain; p++)
    plain = g_ascii_isalnum (*p) || strchr ("_-./=,:+@%", *p) != NULL;
  g_string_append_c (s, ' ');
  if (plain)
    g_string_append (s, arg);
  else
    {
      g_autofree char *q = g_shell_quote (arg);
      g_string_append (s, q);
    }
}

char *
cs_session_to_command (const CsSession *s,
                       const char      *cli,
                       char           **why_not)
{
  g_autoptr (GString) cmd = NULL;
  const CsSessionRun *run = s->current;

  if (run == NULL)
    {
      *why_not = g_strdup ("There is no result to reproduce yet.");
      return NULL;
    }
  if (s->embedded != NULL)
    {
      *why_not = g_strdup ("The data has no file (it was drawn or generated); export it as CSV first.");
      return NULL;
    }
  if (g_str_equal (run->algorithm, "labels"))
    {
      *why_not = g_strdup ("The clustering was read from a label file, not computed.");
      return NULL;
    }
  for (gsize i = 0; s->columns != NULL && s->columns[i] != NULL; i++)
    if (strchr (s->columns[i], ',') != NULL)
      {
        *why_not = g_strdup_printf ("The column ‘%s’ has a comma in its name, which --columns cannot express.",
                                    s->columns[i]);
        return NULL;
      }

  cmd = g_string_new (cli);
  append_arg (cmd, "cluster");
  append_arg (cmd, s->data_path != NULL ? s->data_path : s->sample);
  if (s->data_path != NULL && s->data_object != NULL)
    {
      append_arg (cmd, "--dataset");
      append_arg (cmd, s->data_object);
    }
  append_arg (cmd, "--algo");
  append_arg (cmd, run->algorithm);
  for (gsize i = 0; run->params != NULL && run->params[i] != NULL; i++)
    {
      append_arg (cmd, "-p");
      append_arg (cmd, run->params[i]);
    }
  if (s->columns != NULL)
    {
      g_autofree char *joined = g_strjoinv (",", s->columns);
      append_arg (cmd, "--columns");
      append_arg (cmd, joined);
    }
  if (s->label_column != NULL)
    {
      append_arg (cmd, "--label-column");
      append_arg (cmd, s->label_column);
    }
  append_arg (cmd, "--scaling");
  append_arg (cmd, cs_scaling_id (s->scaling));
  if (s->missing == CS_MISSING_MEAN)
    append_arg (cmd, "--impute-mean");
  if (s->bad_cells != NULL)
    {
      append_arg (cmd, "--bad-cells");
      append_arg (cmd, s->bad_cells);
    }
  if (s->distances_path != NULL)
    {
      append_arg (cmd, "--distances");
      append_arg (cmd, s->distances_path);
    }
  append_arg (cmd, "--json");
  return g_string_free (g_steal_pointer (&cmd), FALSE);
}
