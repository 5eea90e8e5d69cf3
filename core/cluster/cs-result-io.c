#include "core/cluster/cs-result-io.h"
#include "core/cluster/cs-ppp.h"
#include "core/cluster/cs-sdp.h"
#include "core/cluster/cs-hdbscan.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/data/cs-csv.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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
  if (c->objective_kind == CS_OBJECTIVE_LOSS)
    cs_json_set_number (o, "loss", c->objective);
  if (c->medoids)
    json_object_set_int_member (o, "swaps", c->swaps);
  if (c->score_by_k)
    {
      JsonArray *curve = json_array_sized_new (c->n_scores);
      for (guint i = 0; i < c->n_scores; i++)
        {
          JsonObject  *pt = json_object_new ();
          const gsize *medoids = cs_clustering_medoids_at_k (c, c->score_k_min + i);

          json_object_set_int_member (pt, "k", c->score_k_min + i);
          cs_json_set_number (pt, "score", c->score_by_k[i]);
          if (medoids != NULL)
            {
              JsonArray *m = json_array_sized_new (c->score_k_min + i);

              for (guint j = 0; j < c->score_k_min + i; j++)
                json_array_add_int_element (m, (gint64) medoids[j]);
              json_object_set_array_member (pt, "medoids", m);
            }
          json_array_add_object_element (curve, pt);
        }
      json_object_set_array_member (o, "score_by_k", curve);
    }
  if (isfinite (c->loglik))
    {
      cs_json_set_number (o, "loglik", c->loglik);
      cs_json_set_number (o, "bic", c->bic);
      cs_json_set_number (o, "icl", c->icl);
    }
  if (c->weights)
    {
      JsonArray *weights = json_array_sized_new (c->k);
      for (guint j = 0; j < c->k; j++)
        json_array_add_double_element (weights, c->weights[j]);
      json_object_set_array_member (o, "weights", weights);
    }
  if (c->covariances)
    {
      /* One d × d matrix per cluster. */
      gsize d = c->covariances->cols;
      JsonArray *all = json_array_sized_new (c->k);
      for (guint j = 0; j < c->k; j++)
        {
          JsonArray *m = json_array_sized_new (d);
          for (gsize s = 0; s < d; s++)
            {
              JsonArray *row = json_array_sized_new (d);
              for (gsize t = 0; t < d; t++)
                json_array_add_double_element (row, cs_matrix_get (c->covariances, (gsize) j * d + s, t));
              json_array_add_array_element (m, row);
            }
          json_array_add_array_element (all, m);
        }
      json_object_set_array_member (o, "covariances", all);
    }
  if (c->uncertainty)
    {
      JsonArray *u = json_array_sized_new (c->n);
      for (gsize i = 0; i < c->n; i++)
        json_array_add_double_element (u, c->uncertainty[i]);
      json_object_set_array_member (o, "uncertainty", u);
    }
  json_object_set_string_member (o, "objective_name", c->objective_name);
  json_object_set_int_member (o, "iterations", c->iterations);
  json_object_set_boolean_member (o, "converged", c->converged);
  json_object_set_double_member (o, "seconds", c->seconds);
  cs_clustering_sizes (c, sizes);
  for (guint j = 0; j < c->k; j++)
    json_array_add_int_element (size_array, (gint64) sizes[j]);
  json_object_set_array_member (o, "sizes", size_array);
  if (c->point_kinds)
    {
      JsonArray *kinds = json_array_sized_new (c->n);
      gsize counts[3] = { 0, 0, 0 };
      for (gsize i = 0; i < c->n; i++)
        {
          CsPointKind kind = c->point_kinds[i] <= CS_POINT_BORDER ? c->point_kinds[i] : CS_POINT_NOISE;
          counts[kind]++;
          json_array_add_string_element (kinds, cs_point_kind_name (kind));
        }
      json_object_set_int_member (o, "core", (gint64) counts[CS_POINT_CORE]);
      json_object_set_int_member (o, "border", (gint64) counts[CS_POINT_BORDER]);
      json_object_set_int_member (o, "noise", (gint64) counts[CS_POINT_NOISE]);
      json_object_set_array_member (o, "point_kinds", kinds);
    }
  if (c->merges && c->n > 1)
    {
      /* SciPy's linkage matrix, one [a, b, height, size] per merge (a, b, size as integers). */
      JsonArray *merges = json_array_sized_new (c->n - 1);
      for (gsize r = 0; r + 1 < c->n; r++)
        {
          const double *z = c->merges + r * 4;
          JsonArray    *row = json_array_sized_new (4);
          json_array_add_int_element (row, (gint64) z[0]);
          json_array_add_int_element (row, (gint64) z[1]);
          if (isfinite (z[2]))
            json_array_add_double_element (row, z[2]);
          else
            json_array_add_null_element (row);
          json_array_add_int_element (row, (gint64) z[3]);
          json_array_add_array_element (merges, row);
        }
      json_object_set_array_member (o, "merges", merges);
    }
  /* Novel class discovery: how many of the k clusters are the known classes, how many it found. */
  if (c->k_known > 0)
    {
      json_object_set_int_member (o, "k_known", c->k_known);
      json_object_set_int_member (o, "k_novel", (gint64) c->k - c->k_known);
    }
  if (c->tight >= 0)
    json_object_set_boolean_member (o, "tight", c->tight == 1);
  if (c->sdp)
    json_object_set_object_member (o, "sdp", cs_sdp_report_to_json (c->sdp));
  if (c->ppp)
    json_object_set_object_member (o, "ppp", cs_ppp_tree_to_json (c->ppp));
  if (c->condensed_tree)
    json_object_set_object_member (o, "condensed_tree", cs_condensed_tree_to_json (c->condensed_tree));
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

static void
json_append_string (GString    *s,
                    const char *text)
{
  g_autofree char *valid = g_utf8_validate (text, -1, NULL) ? NULL : g_utf8_make_valid (text, -1);

  g_string_append_c (s, '"');
  for (const char *p = valid ? valid : text; *p; p++)
    {
      guint8 c = (guint8) *p;

      switch (c)
        {
        case '"': g_string_append (s, "\\\""); break;
        case '\\': g_string_append (s, "\\\\"); break;
        case '\n': g_string_append (s, "\\n"); break;
        case '\r': g_string_append (s, "\\r"); break;
        case '\t': g_string_append (s, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (s, "\\u%04x", c);
          else
            g_string_append_c (s, (char) c);
        }
    }
  g_string_append_c (s, '"');
}

static void
json_newline (GString *s,
              gboolean pretty,
              guint    depth)
{
  if (!pretty)
    return;
  g_string_append_c (s, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (s, "  ");
}

/* json-glib's generator prints doubles with %.17g and a ".0" appended when there is no
 * point, which makes "1e+20.0" and "inf.0", neither of them JSON. This writer prints the
 * shortest form that reads back exactly, keeps ".0" on whole numbers only where that is
 * still a number, and writes null for every value that is not finite. */
static void
json_append_node (GString  *s,
                  JsonNode *node,
                  gboolean  pretty,
                  guint     depth)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *o = json_node_get_object (node);
        g_autoptr (GList) members = json_object_get_members (o);

        g_string_append_c (s, '{');
        for (GList *l = members; l; l = l->next)
          {
            json_newline (s, pretty, depth + 1);
            json_append_string (s, l->data);
            g_string_append (s, pretty ? " : " : ":");
            json_append_node (s, json_object_get_member (o, l->data), pretty, depth + 1);
            if (l->next)
              g_string_append_c (s, ',');
          }
        if (members)
          json_newline (s, pretty, depth);
        g_string_append_c (s, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *a = json_node_get_array (node);
        guint n = json_array_get_length (a);

        g_string_append_c (s, '[');
        for (guint i = 0; i < n; i++)
          {
            json_newline (s, pretty, depth + 1);
            json_append_node (s, json_array_get_element (a, i), pretty, depth + 1);
            if (i + 1 < n)
              g_string_append_c (s, ',');
          }
        if (n > 0)
          json_newline (s, pretty, depth);
        g_string_append_c (s, ']');
      }
      break;
    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_INT64)
          g_string_append_printf (s, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE)
          {
            double v = json_node_get_double (node);
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            if (!isfinite (v))
              g_string_append (s, "null");
            else
              {
                g_string_append (s, cs_format_double (buf, sizeof buf, v));
                if (strpbrk (buf, ".e") == NULL)
                  g_string_append (s, ".0");
              }
          }
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (s, json_node_get_boolean (node) ? "true" : "false");
        else if (type == G_TYPE_STRING)
          json_append_string (s, json_node_get_string (node));
        else
          g_string_append (s, "null");
      }
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (s, "null");
      break;
    }
}

char *
cs_json_to_string (JsonNode *root,
                   gboolean  pretty,
                   gsize    *length)
{
  GString *s = g_string_sized_new (4096);

  json_append_node (s, root, pretty, 0);
  if (length)
    *length = s->len;
  return g_string_free (s, FALSE);
}

gboolean
cs_json_write (JsonNode   *root,
               gboolean    pretty,
               const char *path,
               GError    **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;

  text = cs_json_to_string (root, pretty, &length);
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

/* A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before
 * one) as a formula: such text gets a leading apostrophe, the usual CSV-injection guard, so
 * that a column named "=HYPERLINK(…)" is shown, not run. Numbers ("-1.5") stay numbers. */
static gboolean
needs_formula_guard (const char *text)
{
  char *end = NULL;
  double v;

  if (strchr ("=+-@\t\r", text[0]) == NULL || text[0] == '\0')
    return FALSE;
  v = g_ascii_strtod (text, &end);
  return !(end != text && *end == '\0' && isfinite (v));
}

void
cs_csv_append_field (GString    *s,
                     const char *text)
{
  gboolean guard = needs_formula_guard (text);

  if (!guard && strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (s, text);
      return;
    }
  g_string_append_c (s, '"');
  if (guard)
    g_string_append_c (s, '\'');
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
      cs_csv_append_field (s, cs_dataset_column (ds, j)->name);
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
            cs_csv_append_field (s, g_ptr_array_index (col->levels, (guint) v));
          else
            g_string_append (s, cs_format_double (buf, sizeof buf, v));
        }
      g_string_append_c (s, '\n');
    }
  return cs_write_file_atomic (path, s->str, s->len, error);
}

static void
append_csv_number (GString *s,
                   double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (s, ',');
  if (isfinite (v))
    g_string_append (s, cs_format_double (buf, sizeof buf, v));
}

/* ranks[c * d + j] = 1 + position of feature j in cluster c's order. */
static guint *
saliency_ranks (const CsSaliencyReport *r)
{
  guint *ranks = g_new (guint, (gsize) r->k * r->d);
  g_autofree guint *order = g_new (guint, r->d);

  for (guint c = 0; c < r->k; c++)
    {
      cs_saliency_report_rank (r, c, order);
      for (guint t = 0; t < r->d; t++)
        ranks[(gsize) c * r->d + order[t]] = t + 1;
    }
  return ranks;
}

JsonObject *
cs_saliency_report_to_json (const CsSaliencyReport *r)
{
  JsonObject *o = json_object_new ();
  JsonArray *clusters = json_array_new ();
  JsonArray *names = json_array_new ();
  g_autofree guint *ranks = saliency_ranks (r);

  json_object_set_string_member (o, "method", r->method != NULL ? r->method : "linear");
  cs_json_set_number (o, "surrogate_accuracy", r->surrogate_accuracy);
  if (g_strcmp0 (r->method, "kernelshap") == 0)
    {
      json_object_set_int_member (o, "shap_background", r->shap_background);
      json_object_set_int_member (o, "shap_coalitions", (gint64) r->shap_coalitions);
    }
  json_object_set_int_member (o, "n", (gint64) r->n_rows);
  json_object_set_int_member (o, "n_labelled", (gint64) r->n_labelled);
  json_object_set_int_member (o, "k", r->k);
  json_object_set_int_member (o, "d", r->d);
  for (guint j = 0; j < r->d; j++)
    json_array_add_string_element (names, r->feature_names[j]);
  json_object_set_array_member (o, "feature_names", names);
  for (guint c = 0; c < r->k; c++)
    {
      JsonObject *co = json_object_new ();
      JsonArray *features = json_array_new ();
      g_autofree char *name = g_strdup_printf ("Cluster %u", c + 1);

      json_object_set_int_member (co, "cluster", c);
      json_object_set_string_member (co, "name", name);
      json_object_set_int_member (co, "size", (gint64) r->sizes[c]);
      cs_json_set_number (co, "share", (double) r->sizes[c] / (double) r->n_rows);
      cs_json_set_number (co, "model_accuracy", r->model_accuracy[c]);
      if (r->shap_rows != NULL)
        json_object_set_int_member (co, "shap_rows", (gint64) r->shap_rows[c]);
      json_object_set_string_member (co, "summary", r->summaries[c]);
      for (guint j = 0; j < r->d; j++)
        {
          gsize at = (gsize) c * r->d + j;
          JsonObject *fo = json_object_new ();
          JsonArray *ci = json_array_new ();

          json_object_set_string_member (fo, "name", r->feature_names[j]);
          json_object_set_int_member (fo, "rank", ranks[at]);
          cs_json_set_number (fo, "effect_size", r->hedges_g[at]);
          if (isfinite (r->hedges_g_lo[at]) && isfinite (r->hedges_g_hi[at]))
            {
              json_array_add_double_element (ci, r->hedges_g_lo[at]);
              json_array_add_double_element (ci, r->hedges_g_hi[at]);
            }
          json_object_set_array_member (fo, "effect_size_ci", ci);
          cs_json_set_number (fo, "cliff_delta", r->cliff_delta[at]);
          cs_json_set_number (fo, "favourable", r->favourable[at]);
          cs_json_set_number (fo, "unfavourable", r->unfavourable[at]);
          cs_json_set_number (fo, "shap_mean_abs", r->shap_mean_abs[at]);
          json_array_add_object_element (features, fo);
        }
      json_object_set_array_member (co, "features", features);
      json_array_add_object_element (clusters, co);
    }
  json_object_set_array_member (o, "clusters", clusters);
  return o;
}

JsonObject *
cs_saliency_categorical_to_json (const CsSaliencyCategorical *cat)
{
  JsonObject *o = json_object_new ();
  JsonArray *levels = json_array_new ();
  JsonArray *clusters = json_array_new ();

  json_object_set_string_member (o, "name", cat->name);
  for (guint l = 0; l < cat->n_levels; l++)
    json_array_add_string_element (levels, cat->levels[l]);
  json_object_set_array_member (o, "levels", levels);
  for (guint c = 0; c < cat->k; c++)
    {
      JsonObject *co = json_object_new ();
      JsonArray *p = json_array_new ();
      JsonArray *rest = json_array_new ();
      JsonArray *ci = json_array_new ();

      json_object_set_int_member (co, "cluster", c);
      for (guint l = 0; l < cat->n_levels; l++)
        {
          gsize at = (gsize) c * cat->n_levels + l;
          JsonArray *pair = json_array_new ();

          json_array_add_double_element (p, cat->proportion[at]);
          json_array_add_double_element (rest, cat->rest_proportion[at]);
          json_array_add_double_element (pair, cat->diff_lo[at]);
          json_array_add_double_element (pair, cat->diff_hi[at]);
          json_array_add_array_element (ci, pair);
        }
      json_object_set_array_member (co, "proportions", p);
      json_object_set_array_member (co, "rest_proportions", rest);
      json_object_set_array_member (co, "difference_ci", ci);
      json_array_add_object_element (clusters, co);
    }
  json_object_set_array_member (o, "clusters", clusters);
  return o;
}

char *
cs_saliency_report_to_csv (const CsSaliencyReport *r)
{
  GString *s = g_string_new ("cluster,feature,rank,size,effect_size,effect_lo,effect_hi,cliff_delta,"
                             "favourable,unfavourable,shap_mean_abs\n");
  g_autofree guint *ranks = saliency_ranks (r);

  for (guint c = 0; c < r->k; c++)
    for (guint j = 0; j < r->d; j++)
      {
        gsize at = (gsize) c * r->d + j;

        g_string_append_printf (s, "%u,", c);
        cs_csv_append_field (s, r->feature_names[j]);
        g_string_append_printf (s, ",%u,%" G_GSIZE_FORMAT, ranks[at], r->sizes[c]);
        append_csv_number (s, r->hedges_g[at]);
        append_csv_number (s, r->hedges_g_lo[at]);
        append_csv_number (s, r->hedges_g_hi[at]);
        append_csv_number (s, r->cliff_delta[at]);
        append_csv_number (s, r->favourable[at]);
        append_csv_number (s, r->unfavourable[at]);
        append_csv_number (s, r->shap_mean_abs[at]);
        g_string_append_c (s, '\n');
      }
  return g_string_free (s, FALSE);
}

char *
cs_saliency_summaries_to_csv (const CsSaliencyReport *r)
{
  GString *s = g_string_new ("cluster,size,share,summary\n");

  for (guint c = 0; c < r->k; c++)
    {
      g_string_append_printf (s, "%u,%" G_GSIZE_FORMAT, c, r->sizes[c]);
      append_csv_number (s, (double) r->sizes[c] / (double) r->n_rows);
      g_string_append_c (s, ',');
      cs_csv_append_field (s, r->summaries[c]);
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

char *
cs_saliency_attributions_to_csv (const CsSaliencyReport *r,
                                 const CsMatrix         *x,
                                 const gsize            *rows,
                                 const int              *labels)
{
  GString *s = g_string_new ("row,cluster");
  g_autofree double *phi = g_new (double, r->d);

  for (guint j = 0; j < r->d; j++)
    {
      g_string_append_c (s, ',');
      cs_csv_append_field (s, r->feature_names[j]);
    }
  g_string_append_c (s, '\n');
  for (gsize i = 0; i < x->rows; i++)
    {
      if (labels[i] < 0 || labels[i] >= (int) r->k)
        continue;
      cs_saliency_report_shapley (r, (guint) labels[i], cs_matrix_row (x, i), phi);
      g_string_append_printf (s, "%" G_GSIZE_FORMAT ",%d", rows ? rows[i] : i, labels[i]);
      for (guint j = 0; j < r->d; j++)
        append_csv_number (s, phi[j]);
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}
