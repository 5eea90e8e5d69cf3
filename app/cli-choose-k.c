/* clusterscope-cli choose-k: one algorithm at every k of a range, scored by several criteria
 * side by side, with each criterion's suggested k. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/cluster/cs-choose-k.h"
#include "core/cluster/cs-result-io.h"

#include "cli-private.h"

static gboolean
parse_range (const char *text, guint *lo, guint *hi, GError **error)
{
  char   *end = NULL;
  guint64 a;
  guint64 b;

  a = g_ascii_strtoull (text, &end, 10);
  if (end == text || end[0] != '.' || end[1] != '.')
    goto bad;
  text = end + 2;
  b = g_ascii_strtoull (text, &end, 10);
  if (end == text || *end != '\0' || a < 1 || b < a || b > 100000)
    goto bad;
  *lo = (guint) a;
  *hi = (guint) b;
  return TRUE;
bad:
  g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
               "--k-range wants SMALLEST..LARGEST with 1 ≤ SMALLEST ≤ LARGEST, such as 2..20");
  return FALSE;
}

static JsonObject *
result_to_json (const CsChooseKResult *r, const CsChooseKOptions *o, const char *dataset)
{
  JsonObject *root = json_object_new ();
  JsonArray  *crit = json_array_new ();
  JsonArray  *by_k = json_array_new ();
  JsonObject *suggested = json_object_new ();

  json_object_set_string_member (root, "dataset", dataset);
  json_object_set_string_member (root, "algorithm", r->algorithm);
  json_object_set_object_member (root, "params", cs_params_to_json (r->params));
  json_object_set_int_member (root, "n", (gint64) r->n);
  json_object_set_int_member (root, "d", (gint64) r->d);
  json_object_set_int_member (root, "k_min", r->k_min);
  json_object_set_int_member (root, "k_max", r->k_min + r->n_k - 1);
  json_object_set_int_member (root, "seed", (gint64) o->seed);
  for (guint c = 0; c < CS_CRITERION_N; c++)
    if (r->criteria & (1u << c))
      json_array_add_string_element (crit, cs_criterion_id (c));
  json_object_set_array_member (root, "criteria", crit);
  if (r->log_w != NULL)
    {
      json_object_set_int_member (root, "gap_references", o->gap_references);
      json_object_set_string_member (root, "gap_reference", o->gap_reference == CS_GAP_REFERENCE_PCA ? "pca" : "box");
    }
  if (r->stability_labels != NULL)
    {
      json_object_set_int_member (root, "stability_runs", r->stability_runs);
      json_object_set_string_member (root, "stability_mode",
                                     o->stability_mode == CS_STABILITY_SEEDS ? "seeds" : "bootstrap");
    }
  for (guint i = 0; i < r->n_k; i++)
    {
      JsonObject *e = json_object_new ();

      json_object_set_int_member (e, "k", r->k_min + i);
      json_object_set_int_member (e, "clusters", r->k_found[i]);
      for (guint c = 0; c < CS_CRITERION_N; c++)
        if (r->values[c] != NULL)
          cs_json_set_number (e, cs_criterion_id (c), r->values[c][i]);
      if (r->log_w != NULL)
        {
          cs_json_set_number (e, "gap_s", r->gap_s[i]);
          cs_json_set_number (e, "log_w", r->log_w[i]);
          cs_json_set_number (e, "log_w_ref", r->log_w_ref[i]);
        }
      if (r->stability_sd != NULL)
        cs_json_set_number (e, "stability_sd", r->stability_sd[i]);
      json_array_add_object_element (by_k, e);
    }
  json_object_set_array_member (root, "by_k", by_k);
  for (guint c = 0; c < CS_CRITERION_N; c++)
    if (r->criteria & (1u << c))
      {
        if (r->suggested[c] > 0)
          json_object_set_int_member (suggested, cs_criterion_id (c), r->suggested[c]);
        else
          json_object_set_null_member (suggested, cs_criterion_id (c));
      }
  json_object_set_object_member (root, "suggested", suggested);
  cs_json_set_number (root, "seconds", r->seconds);
  return root;
}

static char *
result_to_text (const CsChooseKResult *r)
{
  GString *s = g_string_new (NULL);
  const CsAlgorithm *algo = cs_registry_lookup (r->algorithm);

  g_string_append_printf (s, "%s, k = %u to %u\n\n%4s", algo != NULL ? algo->name : r->algorithm, r->k_min,
                          r->k_min + r->n_k - 1, "k");
  for (guint c = 0; c < CS_CRITERION_N; c++)
    if (r->computed & (1u << c))
      g_string_append_printf (s, "  %18s", cs_criterion_id (c));
  g_string_append_c (s, '\n');
  for (guint i = 0; i < r->n_k; i++)
    {
      g_string_append_printf (s, "%4u", r->k_min + i);
      for (guint c = 0; c < CS_CRITERION_N; c++)
        if (r->computed & (1u << c))
          {
            double v = r->values[c][i];
            gboolean mark = r->suggested[c] == r->k_min + i;

            if (isfinite (v))
              g_string_append_printf (s, "  %17.6g%s", v, mark ? "*" : " ");
            else
              g_string_append_printf (s, "  %16s– ", "");
          }
      g_string_append_c (s, '\n');
    }
  g_string_append (s, "\nSuggested k (* above):\n");
  for (guint c = 0; c < CS_CRITERION_N; c++)
    if (r->criteria & (1u << c))
      {
        const char *name = cs_criterion_name (c);
        /* Pad by characters, not bytes: "Calinski–Harabasz" has a multi-byte dash. */
        int pad = 19 - (int) g_utf8_strlen (name, -1);

        g_string_append_printf (s, "  %s%*s", name, MAX (pad, 1), "");
        if (r->suggested[c] > 0)
          g_string_append_printf (s, "%u\n", r->suggested[c]);
        else
          g_string_append_printf (s, "none (%s)\n",
                                  r->computed & (1u << c) ? "no k meets its rule in this range"
                                                          : "not defined for this algorithm");
      }
  return g_string_free (s, FALSE);
}

int
cs_i_cli_cmd_choose_k (int argc, char **argv)
{
  RunOptions o = { 0 };
  char      *range = NULL;
  char      *criteria = NULL;
  char      *gap_ref = NULL;
  char      *stability_mode = NULL;
  int        stability = 10;
  int        gap_b = 10;
  gint64     seed = 0;
  gboolean   json = FALSE;
  gboolean   pretty = FALSE;
  const GOptionEntry entries[] = {
    { "k-range", 'k', 0, G_OPTION_ARG_STRING, &range, "The numbers of clusters to try (default 2..10)",
      "MIN..MAX" },
    { "criteria", 'c', 0, G_OPTION_ARG_STRING, &criteria,
      "Comma-separated: silhouette, medoid-silhouette, ch, db, bic, icl, gap, stability, or all (default all)",
      "LIST" },
    { "stability", 0, 0, G_OPTION_ARG_INT, &stability, "Runs per k for the stability criterion (default 10)", "N" },
    { "stability-mode", 0, 0, G_OPTION_ARG_STRING, &stability_mode,
      "Runs on bootstrap samples (default) or on all rows with different seeds", "bootstrap|seeds" },
    { "gap-references", 0, 0, G_OPTION_ARG_INT, &gap_b, "Reference sets for the gap statistic (default 10)", "B" },
    { "gap-reference", 0, 0, G_OPTION_ARG_STRING, &gap_ref,
      "Reference sets uniform over the columns' box (default) or over the principal axes' box", "box|pca" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the reference sets and bootstrap samples (default 0)",
      "S" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print every criterion at every k and the suggested k as JSON",
      NULL },
    { "pretty", 0, 0, G_OPTION_ARG_NONE, &pretty, "Indent the JSON", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = cs_i_cli_command_context ("FILE",
      "How many clusters? Run one algorithm at every k of a range and score each clustering by the silhouette, "
      "the medoid silhouette (medoid algorithms), Calinski–Harabasz, Davies–Bouldin, BIC and ICL (mixtures), the "
      "gap statistic and stability (ARI between runs); print each criterion's suggested k.\n\n"
      "Examples:\n"
      "  clusterscope-cli choose-k wine --algo kmeans --k-range 2..10 --json\n"
      "  clusterscope-cli choose-k iris --algo gmm --k-range 1..8 --criteria bic,icl\n"
      "  clusterscope-cli choose-k blobs.csv --algo fasterpam --criteria silhouette,medoid-silhouette,stability "
      "--stability 20");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsParams) params = NULL;
  g_autoptr (CsChooseKResult) result = NULL;
  g_autofree char *text = NULL;
  const CsAlgorithm *algo;
  CsChooseKOptions copt;
  char **assignments;
  char  *algo_name;
  Run    r = { 0 };
  int    status = EXIT_OK;

  cs_i_cli_add_run_entries (ctx, &o, TRUE);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cs_i_cli_parse (ctx, &argc, &argv, &status))
    goto out;
  if (argc != 2)
    {
      status = cs_i_cli_fail (EXIT_USAGE, argc < 2 ? "choose-k needs a FILE" : "choose-k takes one FILE");
      goto out;
    }
  if (o.algo == NULL)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "choose-k needs --algo NAME (see ‘%s list’)", cs_i_cli_prog);
      goto out;
    }
  if (o.distances != NULL)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "choose-k works on the data's coordinates: --distances is not supported");
      goto out;
    }
  cs_choose_k_options_init (&copt);
  copt.seed = (guint64) seed;
  if ((range != NULL && !parse_range (range, &copt.k_min, &copt.k_max, &error))
      || (criteria != NULL && !cs_criteria_parse (criteria, &copt.criteria, &error)))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "%s", error->message);
      goto out;
    }
  if (stability < 2 || stability > 1000 || gap_b < 1 || gap_b > 1000)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--stability must be 2 to 1,000 and --gap-references 1 to 1,000");
      goto out;
    }
  copt.stability_runs = (guint) stability;
  copt.gap_references = (guint) gap_b;
  if (gap_ref != NULL && strcmp (gap_ref, "box") != 0 && strcmp (gap_ref, "pca") != 0)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "unknown --gap-reference ‘%s’ (known: box, pca)", gap_ref);
      goto out;
    }
  copt.gap_reference = gap_ref != NULL && strcmp (gap_ref, "pca") == 0 ? CS_GAP_REFERENCE_PCA : CS_GAP_REFERENCE_BOX;
  if (stability_mode != NULL && strcmp (stability_mode, "bootstrap") != 0 && strcmp (stability_mode, "seeds") != 0)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "unknown --stability-mode ‘%s’ (known: bootstrap, seeds)", stability_mode);
      goto out;
    }
  copt.stability_mode = stability_mode != NULL && strcmp (stability_mode, "seeds") == 0 ? CS_STABILITY_SEEDS
                                                                                        : CS_STABILITY_BOOTSTRAP;
  algo = cs_registry_lookup (o.algo);
  if (algo == NULL)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "unknown algorithm ‘%s’ (see ‘%s list’)", o.algo, cs_i_cli_prog);
      goto out;
    }
  params = cs_params_new (algo);
  for (guint i = 0; o.params != NULL && o.params[i] != NULL; i++)
    if (!cs_params_set_assignment (params, o.params[i], &error))
      {
        status = cs_i_cli_fail (EXIT_USAGE, "%s", error->message);
        goto out;
      }

  /* Load and prepare only: the runs are choose-k's own. */
  algo_name = o.algo;
  assignments = o.params;
  o.algo = NULL;
  o.params = NULL;
  status = cs_i_cli_do_run (argv[1], &o, FALSE, &r);
  o.algo = algo_name;
  o.params = assignments;
  if (status != EXIT_OK)
    goto out;
  /* An edge list's nodes: graph algorithms run on its graph. */
  copt.graph = r.ds->graph;
  if (cs_algorithm_needs_graph (cs_params_get_algorithm (params)))
    copt.stability_mode = CS_STABILITY_SEEDS; /* what the runs do: a graph has no bootstrap samples */
  if (!cs_choose_k_run (r.prep->x, params, &copt, NULL, &result, &error))
    {
      status = cs_i_cli_fail (cs_i_cli_status_for (error), "%s", error->message);
      goto out;
    }
  if (json)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (node, result_to_json (result, &copt, r.ds->name));
      if (!cs_json_write (node, pretty, "-", &error))
        {
          status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
          goto out;
        }
    }
  else
    {
      text = result_to_text (result);
      if (!cs_i_cli_write_stdout (text, strlen (text), &error))
        {
          status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
          goto out;
        }
    }
out:
  cs_i_cli_run_clear (&r);
  cs_i_cli_run_options_clear (&o);
  g_free (range);
  g_free (criteria);
  g_free (gap_ref);
  g_free (stability_mode);
  return status;
}
