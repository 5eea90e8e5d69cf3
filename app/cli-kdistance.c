/* `clusterscope-cli render --view k-distance`: DBSCAN's k-distance plot, the curve its
 * automatic radius comes from, with the run's radius marked. */
#include "core/cluster/cs-dbscan.h"
#include "core/cluster/cs-registry.h"
#include "ui/render/cs-render-kdistance.h"

#include "cli-private.h"

int
cs_i_cli_render_kdistance (const Run      *r,
                           const char     *out,
                           CsExportFormat  format,
                           double          width_mm,
                           double          height_mm,
                           double          dpi)
{
  const CsClustering *c = r->result->clustering;
  const CsAlgorithm  *algo = cs_registry_lookup (c->algorithm);
  g_autoptr (GError) error = NULL;
  g_autoptr (CsKDistanceModel) m = NULL;
  g_autofree char *title = NULL;
  double *dist = NULL;
  guint k;

  if (algo == NULL || cs_algorithm_find_param (algo, "eps") == NULL
      || cs_algorithm_find_param (algo, "min_samples") == NULL || c->params == NULL)
    return cs_i_cli_fail (EXIT_USAGE, "--view k-distance needs --algo dbscan: it draws the curve DBSCAN's radius "
                          "is chosen on");
  k = (guint) cs_params_get_int (c->params, "min_samples");
  if (!cs_dbscan_k_distance (r->prep->x, k,
                             g_strcmp0 (cs_params_get_string (c->params, "metric"), "manhattan") == 0
                                 ? CS_DBSCAN_MANHATTAN
                                 : CS_DBSCAN_EUCLIDEAN,
                             NULL, &dist, &error))
    return cs_i_cli_fail (cs_i_cli_status_for (error), "%s", error->message);
  title = g_strdup_printf ("%s — distance to the k-th nearest row, k = %u", r->ds->name, k);
  m = cs_kdistance_model_new (dist, r->prep->x->rows, k, cs_params_get_double (c->params, "eps"), title);
  if (!cs_render_export ((CsRenderFunc) cs_render_kdistance, m, out, format, width_mm, height_mm, dpi, &error))
    return cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
  return EXIT_OK;
}
