/* libFuzzer target for the edge-list reader and the node table: any bytes must give a graph
 * whose compressed rows are consistent (symmetric, sorted, no self-loops, weights > 0), or a
 * GError, never a crash, a hang or a leak. The input is read as an edge list, and its second
 * half (after the first NUL byte, when there is one) as a node table for that graph. Built with
 * -Dfuzz=true; run with ./dev fuzz SECONDS graph. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/graph/cs-graph.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_graph (const CsGraph *g)
{
  g_assert (g->n >= 2 && g->n_edges >= 1 && g->row_ptr[g->n] == 2 * g->n_edges);
  for (gsize i = 0; i < g->n; i++)
    {
      g_assert (g_utf8_validate (g->names[i], -1, NULL));
      for (gsize e = g->row_ptr[i]; e < g->row_ptr[i + 1]; e++)
        {
          guint32 j = g->col[e];
          g_assert (j < g->n && j != i && g->w[e] > 0.0 && isfinite (g->w[e]));
          g_assert (e == g->row_ptr[i] || g->col[e - 1] < j);
          /* the reverse entry exists with the same weight */
          gboolean found = FALSE;
          for (gsize f = g->row_ptr[j]; f < g->row_ptr[j + 1]; f++)
            if (g->col[f] == i)
              found = g->w[f] == g->w[e];
          g_assert (found);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *nul = memchr (data, '\0', size);
  size_t edges_len = nul ? (size_t) (nul - data) : size;
  GError *error = NULL;
  CsGraph *g = cs_graph_load_edges_data ((const char *) data, edges_len, "fuzz.csv", NULL, &error);

  if (g == NULL)
    {
      g_assert (error != NULL && error->domain == CS_ERROR);
      g_error_free (error);
      return 0;
    }
  check_graph (g);
  if (nul != NULL)
    {
      CsGraph *gn = cs_graph_with_nodes_data (g, (const char *) nul + 1, size - edges_len - 1, "nodes.csv", &error);
      if (gn != NULL)
        {
          check_graph (gn);
          g_assert (gn->n == g->n);
          for (gsize i = 0; i < gn->n; i++)
            g_assert (gn->labels[i] >= -1 && gn->labels[i] < (int) gn->n_classes);
          cs_graph_unref (gn);
        }
      else
        {
          g_assert (error != NULL && error->domain == CS_ERROR);
          g_error_free (error);
        }
    }
  cs_graph_unref (g);
  return 0;
}
