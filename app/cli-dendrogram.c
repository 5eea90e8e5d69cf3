/* `clusterscope-cli render --view dendrogram`: the tree of a hierarchical clustering. */
#include "core/cluster/cs-registry.h"
#include "ui/render/cs-render-dendrogram.h"

#include "cli-private.h"

int
cs_i_cli_render_dendrogram (const Run      *r,
                            const char     *out,
                            CsExportFormat  format,
                            double          width_mm,
                            double          height_mm,
                            double          dpi)
{
  const CsClustering *c = r->result->clustering;
  g_autoptr (GError) error = NULL;
  /* NULL: palette slot j for cluster j, as `render --view scatter` colours a fresh run. */
  g_autoptr (CsDendrogramModel) m = cs_dendrogram_model_new_from_result (c, NULL);

  if (m == NULL)
    return cs_i_cli_fail (EXIT_USAGE, "--view dendrogram needs a hierarchical clustering: --algo agglomerative");
  m->title = g_strdup_printf ("%s · %s linkage", r->ds->name,
                              c->params ? cs_params_get_string (c->params, "linkage") : "ward");
  if (!cs_render_export (cs_render_dendrogram, m, out, format, width_mm, height_mm, dpi, &error))
    return cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
  return EXIT_OK;
}
