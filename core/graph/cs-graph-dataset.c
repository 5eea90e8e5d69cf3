#include "core/graph/cs-graph-dataset.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/graph/cs-kernel-cluster.h"

CsDataset *
cs_graph_dataset_new (CsGraph    *g,
                      const char *name,
                      CsProgress *progress,
                      GError    **error)
{
  g_autoptr (CsDataset) ds = NULL;
  g_autoptr (CsMatrix) e = NULL;
  double *x = NULL, *y = NULL, *degree;
  gsize n;

  g_return_val_if_fail (g != NULL, NULL);
  n = g->n;
  ds = cs_dataset_new (name, n);
  x = g_new0 (double, MAX (n, 1));
  y = g_new0 (double, MAX (n, 1));
  /* The first eigenvector is constant on a connected graph (it says nothing), so three are
   * asked for and the two after it kept. */
  if (n > 3)
    {
      if (!cs_spectral_embedding (g, 3, 1, progress, &e, error))
        {
          g_free (x);
          g_free (y);
          return NULL;
        }
      /* Rows scaled to unit length (Ng, Jordan & Weiss): nodes of one community then share a
       * direction, so k-means on these two columns is spectral clustering (karate's clubs: ARI
       * 0.88; unscaled, k-means splits the five nodes farthest out from the rest, ARI 0.07). */
      for (gsize i = 0; i < n; i++)
        {
          double a = e->data[i * 3 + 1], b = e->data[i * 3 + 2], norm = hypot (a, b);
          x[i] = norm > 0.0 ? a / norm : 0.0;
          y[i] = norm > 0.0 ? b / norm : 0.0;
        }
    }
  cs_dataset_add_numeric (ds, "spectral 1", x);
  cs_dataset_add_numeric (ds, "spectral 2", y);
  degree = g_new (double, MAX (n, 1));
  cs_graph_degrees (g, degree);
  cs_dataset_add_numeric (ds, "degree", degree);
  for (gsize a = 0; a < g->n_attrs; a++)
    {
      g_autoptr (GPtrArray) levels = g_ptr_array_new ();
      g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
      g_autofree int *codes = g_new (int, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        {
          const char *v = g->attr_values[i * g->n_attrs + a];
          gpointer found;
          if (v == NULL)
            {
              codes[i] = -1;
              continue;
            }
          if (!g_hash_table_lookup_extended (index, v, NULL, &found))
            {
              found = GUINT_TO_POINTER (levels->len);
              g_hash_table_insert (index, (gpointer) v, found);
              g_ptr_array_add (levels, (gpointer) v);
            }
          codes[i] = (int) GPOINTER_TO_UINT (found);
        }
      cs_dataset_add_categorical (ds, g->attr_names[a], codes, (const char *const *) levels->pdata, levels->len);
    }
  if (g->labels != NULL && g->n_classes > 0)
    {
      cs_dataset_add_categorical (ds, g->label_name ? g->label_name : "label", g->labels,
                                  (const char *const *) g->class_names, g->n_classes);
      ds->label_column = (int) cs_dataset_n_columns (ds) - 1;
    }
  ds->graph = cs_graph_ref (g);
  return g_steal_pointer (&ds);
}

gsize
cs_graph_dataset_default_columns (const CsDataset *ds,
                                  int             *columns)
{
  static const char *const names[] = { "spectral 1", "spectral 2" };
  gsize n = 0;

  if (ds == NULL || ds->graph == NULL)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      int c = cs_dataset_find_column (ds, names[i]);
      if (c >= 0 && cs_dataset_column (ds, c)->kind == CS_COLUMN_NUMERIC)
        columns[n++] = c;
    }
  return n;
}

static const char *const edge_suffixes[] = { ".edges", ".edgelist", ".el", ".edges.csv", ".edges.tsv", ".edges.txt",
                                             NULL };

gboolean
cs_graph_dataset_is_edge_list_name (const char *path)
{
  g_autofree char *lower = NULL;

  if (path == NULL)
    return FALSE;
  lower = g_ascii_strdown (path, -1);
  for (guint i = 0; edge_suffixes[i] != NULL; i++)
    if (g_str_has_suffix (lower, edge_suffixes[i]))
      return TRUE;
  return FALSE;
}

/* stem.edges[.csv] → stem.nodes.csv or stem.nodes.tsv when one exists. */
static char *
sibling_node_table (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  const char *dot = strstr (lower, ".edges");
  g_autofree char *stem = NULL;

  if (dot == NULL)
    return NULL;
  stem = g_strndup (path, (gsize) (dot - lower));
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *candidate = g_strconcat (stem, i == 0 ? ".nodes.csv" : ".nodes.tsv", NULL);
      if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&candidate);
    }
  return NULL;
}

CsDataset *
cs_graph_dataset_load (const char *path,
                       CsProgress *progress,
                       GError    **error)
{
  g_autoptr (CsGraph) g = cs_graph_load_edges (path, progress, error);
  g_autofree char *nodes = NULL;
  g_autofree char *base = NULL;
  CsDataset *ds;

  if (g == NULL)
    return NULL;
  nodes = sibling_node_table (path);
  if (nodes != NULL)
    {
      CsGraph *with = cs_graph_with_nodes (g, nodes, error);
      if (with == NULL)
        return NULL;
      cs_graph_unref (g);
      g = with;
    }
  base = g_path_get_basename (path);
  ds = cs_graph_dataset_new (g, base, progress, error);
  if (ds != NULL)
    ds->path = g_strdup (path);
  return ds;
}

CsDataset *
cs_graph_dataset_load_sample (const char *id,
                              GError    **error)
{
  g_autoptr (CsGraph) g = cs_graph_load_sample (id, error);
  CsDataset *ds;

  if (g == NULL)
    return NULL;
  ds = cs_graph_dataset_new (g, id, NULL, error);
  if (ds != NULL)
    ds->sample_id = g_strdup (id);
  return ds;
}
