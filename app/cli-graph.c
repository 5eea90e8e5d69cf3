/* clusterscope-cli graph: cluster the nodes of a graph (an edge list, a bundled graph or a
 * generated block model) with kernel k-means, kernel Ward, spectral or AMG-style clustering. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/cluster/cs-result-io.h"
#include "core/graph/cs-graph-algorithms.h"
#include "core/graph/cs-graph-kernel.h"
#include "core/graph/cs-graph-layout.h"
#include "core/graph/cs-graph.h"
#include "core/graph/cs-kernel-cluster.h"
#include "core/metrics/cs-metrics.h"

#include "cli-private.h"

/* The grid's kernel k-means reads its kernel, k, restarts and seed from the registry entry's
 * parameters, so -p means the same with and without --grid. */
static gboolean
run_grid_point (const CsGraph   *g,
                const CsParams  *p,
                CsGraphKernel    kernel,
                CsGraphSpectra  *s,
                double           t,
                CsClustering   **out,
                GError         **error)
{
  g_autoptr (CsMatrix) k = NULL;
  CsKernelKmeansOptions o;

  if (!cs_graph_kernel_compute (s, kernel, t, &k, NULL, NULL, error))
    return FALSE;
  cs_kernel_kmeans_options_init (&o);
  o.k = cs_graph_algorithm_resolve_k (g, cs_params_get_int (p, "k"));
  o.n_init = (guint) cs_params_get_int (p, "n_init");
  o.seed = (guint64) cs_params_get_int (p, "seed");
  return cs_kernel_kmeans_run (k, &o, NULL, out, error);
}

/* "sbm:SIZES:P_IN:P_OUT[:SEED]", sizes separated by commas. */
static CsGraph *
generate_sbm (const char *spec,
              GError    **error)
{
  g_auto (GStrv) parts = g_strsplit (spec + 4, ":", -1);
  guint np = g_strv_length (parts);
  g_autoptr (GArray) sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
  double p_in, p_out;
  guint64 seed = 0;

  if (np < 3 || np > 4)
    goto bad;
  {
    g_auto (GStrv) s = g_strsplit (parts[0], ",", -1);
    for (guint i = 0; s[i]; i++)
      {
        guint64 v;
        if (!g_ascii_string_to_unsigned (s[i], 10, 1, 50000000, &v, NULL))
          goto bad;
        gsize size = (gsize) v;
        g_array_append_val (sizes, size);
      }
  }
  if (sizes->len == 0)
    goto bad;
  {
    char *end;
    p_in = g_ascii_strtod (parts[1], &end);
    if (*end)
      goto bad;
    p_out = g_ascii_strtod (parts[2], &end);
    if (*end)
      goto bad;
  }
  if (np == 4 && !g_ascii_string_to_unsigned (parts[3], 10, 0, G_MAXUINT64, &seed, NULL))
    goto bad;
  return cs_graph_new_sbm ((gsize *) sizes->data, sizes->len, p_in, p_out, seed, error);
bad:
  g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
               "‘%s’: a block model is sbm:SIZES:P_IN:P_OUT[:SEED], e.g. sbm:100,100,100:0.1:0.01:1", spec);
  return NULL;
}

static CsGraph *
load_graph (const char *what,
            const char *nodes,
            GError    **error)
{
  g_autoptr (CsGraph) g = NULL;

  if (g_str_has_prefix (what, "sbm:"))
    g = generate_sbm (what, error);
  else if (!g_file_test (what, G_FILE_TEST_EXISTS) && g_strv_contains (cs_graph_sample_ids (), what))
    g = cs_graph_load_sample (what, error);
  else
    g = cs_graph_load_edges (what, NULL, error);
  if (g == NULL)
    return NULL;
  if (nodes != NULL)
    return cs_graph_with_nodes (g, nodes, error);
  return g_steal_pointer (&g);
}

static gboolean
write_layout (const CsGraph      *g,
              const CsClustering *c,
              const char         *path,
              guint64             seed,
              GError            **error)
{
  CsLayoutOptions o;
  g_autofree double *xy = NULL;
  GString *s;
  gboolean ok;

  cs_layout_options_init (&o);
  o.seed = seed;
  if (!cs_graph_layout (g, &o, NULL, &xy, error))
    return FALSE;
  s = g_string_new (c ? "id,x,y,cluster\n" : "id,x,y\n");
  for (gsize i = 0; i < g->n; i++)
    {
      cs_csv_append_field (s, g->names[i]);
      g_string_append_c (s, ',');
      cs_format_double_append (s, xy[2 * i]);
      g_string_append_c (s, ',');
      cs_format_double_append (s, xy[2 * i + 1]);
      if (c)
        g_string_append_printf (s, ",%d", c->labels[i]);
      g_string_append_c (s, '\n');
    }
  ok = cs_write_file_atomic (path, s->str, s->len, error);
  g_string_free (s, TRUE);
  return ok;
}

int
cs_i_cli_cmd_graph (int    argc,
                    char **argv)
{
  char *algo = NULL, *nodes = NULL, *out = NULL, *write_edges = NULL, *write_nodes = NULL, *layout = NULL;
  char **params = NULL;
  gboolean json = FALSE, pretty = FALSE;
  int grid = 0;
  const GOptionEntry entries[] = {
    { "nodes", 'n', 0, G_OPTION_ARG_FILENAME, &nodes,
      "Node table: a header id,label[,attribute…] and one row per node (labels give the ARI; attributes feed "
      "amg-spectral's augmented graph)", "NODES" },
    { "algo", 'a', 0, G_OPTION_ARG_STRING, &algo,
      "kernel-kmeans, kernel-ward, spectral or amg-spectral (the registry's graph-kernel-kmeans, "
      "graph-kernel-ward, graph-spectral, amg-spectral: `clusterscope-cli list` has their parameters)", "NAME" },
    { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &params,
      "A parameter of the algorithm: kernel=ID (pwalk walk for logfor comm logcomm heat logheat nheat lognheat ct "
      "sct logsct ppr logppr mppr logmppr; default logfor), alpha=A in (0, 1) (the paper's scaling, default 0.5) "
      "or t=T (the kernel's own), k=K (default: the number of label classes, else 2), n_init, seed; dim; "
      "amg-spectral: sweeps, omega, attr_weight, distance=block|nodes",
      "NAME=VALUE" },
    { "grid", 'g', 0, G_OPTION_ARG_INT, &grid,
      "Instead of one run: kernel k-means at N values of alpha across (0, 1) for the kernel and its plain/log "
      "counterpart, on one eigendecomposition; prints alpha, t, ARI and modularity", "N" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print the result as JSON (labels by node id)", NULL },
    { "pretty", 0, 0, G_OPTION_ARG_NONE, &pretty, "Indent the JSON", NULL },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write id,cluster CSV to FILE", "FILE" },
    { "write-edges", 0, 0, G_OPTION_ARG_FILENAME, &write_edges, "Write the graph's edge list to FILE", "FILE" },
    { "write-nodes", 0, 0, G_OPTION_ARG_FILENAME, &write_nodes, "Write its node table (with labels) to FILE", "FILE" },
    { "layout", 0, 0, G_OPTION_ARG_FILENAME, &layout,
      "Write a force-directed layout as id,x,y[,cluster] CSV to FILE (coordinates in [−1, 1], seeded by -p seed)",
      "FILE" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("EDGES");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsGraph) g = NULL;
  g_autoptr (CsClustering) c = NULL;
  g_autoptr (CsParams) p = NULL;
  const CsAlgorithm *entry = NULL;
  int status = EXIT_OK;
  guint64 seed = 0;

  g_option_context_set_summary (ctx,
      "Cluster the nodes of a graph. EDGES is an edge list (CSV/TSV source,target[,weight]), a bundled graph "
      "(karate, sbm-1000: with their node tables) or a block model sbm:SIZES:P_IN:P_OUT[:SEED].\n\n"
      "Example: clusterscope-cli graph karate --algo kernel-kmeans -p kernel=logcomm -p alpha=0.5 --json");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cs_i_cli_parse (ctx, &argc, &argv, &status))
    goto out;
  if (argc != 2)
    {
      status = cs_i_cli_fail (EXIT_USAGE, argc < 2 ? "graph needs EDGES" : "graph takes one EDGES file");
      goto out;
    }
  if (algo == NULL && grid == 0 && write_edges == NULL && write_nodes == NULL && layout == NULL)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "graph needs --algo NAME (kernel-kmeans, kernel-ward, spectral or "
                                          "amg-spectral), --grid N or --write-edges");
      goto out;
    }
  if (algo != NULL && (entry = cs_graph_algorithm_lookup (algo)) == NULL)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "unknown graph algorithm ‘%s’ (known: kernel-kmeans, kernel-ward, "
                                          "spectral, amg-spectral)", algo);
      goto out;
    }
  if (grid < 0 || grid > 1000)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--grid must be 1–1,000, not %d", grid);
      goto out;
    }
  if (grid > 0 && entry != NULL && entry != &cs_algorithm_graph_kernel_kmeans)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--grid runs kernel-kmeans; leave out --algo %s", algo);
      goto out;
    }
  /* One parser for every front end: the registry entry's. Without --algo (--grid, a layout) the
   * kernel k-means entry's parameters (kernel, k, seed…) apply. */
  p = cs_params_new (entry != NULL ? entry : &cs_algorithm_graph_kernel_kmeans);
  for (guint i = 0; params && params[i]; i++)
    if (!cs_params_set_assignment (p, params[i], &error))
      {
        status = cs_i_cli_fail (EXIT_USAGE, "%s", error->message);
        goto out;
      }
  if (cs_algorithm_find_param (cs_params_get_algorithm (p), "seed") != NULL)
    seed = (guint64) cs_params_get_int (p, "seed");

  g = load_graph (argv[1], nodes, &error);
  if (g == NULL)
    {
      status = cs_i_cli_fail (cs_i_cli_status_for (error), "%s", error->message);
      goto out;
    }
  if (write_edges)
    {
      g_autofree char *text = cs_graph_edges_to_csv (g);
      if (!cs_write_file_atomic (write_edges, text, strlen (text), &error))
        {
          status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
          goto out;
        }
    }
  if (write_nodes)
    {
      g_autofree char *text = cs_graph_nodes_to_csv (g);
      if (!cs_write_file_atomic (write_nodes, text, strlen (text), &error))
        {
          status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
          goto out;
        }
    }
  if (entry == NULL && grid == 0)
    {
      if (layout != NULL && !write_layout (g, NULL, layout, seed, &error))
        status = cs_i_cli_fail (cs_i_cli_status_for (error), "%s", error->message);
      goto out;
    }

  if (grid > 0)
    {
      g_autoptr (CsGraphSpectra) spectra = NULL;
      CsGraphKernel kernel;
      double rho = 1.0;
      guint k = cs_graph_algorithm_resolve_k (g, cs_params_get_int (p, "k"));

      if (k >= g->n)
        {
          status = cs_i_cli_fail (EXIT_USAGE, "k = %u for a graph of %" G_GSIZE_FORMAT " nodes; k must be smaller", k,
                                  g->n);
          goto out;
        }
      cs_graph_kernel_from_id (cs_params_get_string (p, "kernel"), &kernel);
      spectra = cs_graph_spectra_new (g, &error);
      if (spectra == NULL || !cs_graph_spectra_rho (spectra, &rho, NULL, &error))
        {
          status = cs_i_cli_fail (cs_i_cli_status_for (error), "%s", error->message);
          goto out;
        }
      /* The kernel and its plain/log twin (the paper's comparison), on shared decompositions. */
      CsGraphKernel pair[2] = { kernel, kernel };
      const char *id = cs_graph_kernel_id (kernel);
      g_autofree char *twin = g_str_has_prefix (id, "log") ? g_strdup (id + 3) : g_strconcat ("log", id, NULL);
      if (kernel == CS_GRAPH_KERNEL_WALK || kernel == CS_GRAPH_KERNEL_PWALK)
        pair[1] = kernel == CS_GRAPH_KERNEL_WALK ? CS_GRAPH_KERNEL_PWALK : CS_GRAPH_KERNEL_WALK;
      else if (!cs_graph_kernel_from_id (twin, &pair[1]))
        pair[1] = kernel;
      GString *s = g_string_new ("kernel,alpha,t,ari,modularity\n");
      for (int which = 0; which < (pair[1] != pair[0] ? 2 : 1); which++)
        for (int gi = 1; gi <= grid; gi++)
          {
            double alpha = (double) gi / (grid + 1);
            double tt = cs_graph_kernel_t_from_alpha (pair[which], alpha, rho);
            const char *kid = cs_graph_kernel_id (pair[which]);
            g_autoptr (CsClustering) cg = NULL;
            g_autoptr (GError) e2 = NULL;
            char a[40], b[40], r[40], m[40];
            if (!run_grid_point (g, p, pair[which], spectra, tt, &cg, &e2))
              {
                g_string_append_printf (s, "%s,%s,%s,,\n", kid, cs_format_double (a, sizeof a, alpha),
                                        cs_format_double (b, sizeof b, tt));
                continue;
              }
            g_string_append_printf (s, "%s,%s,%s,%s,%s\n", kid, cs_format_double (a, sizeof a, alpha),
                                    cs_format_double (b, sizeof b, tt),
                                    g->labels ? cs_format_double (r, sizeof r,
                                                                  cs_metric_ari (cg->labels, g->labels, g->n))
                                              : "",
                                    cs_format_double (m, sizeof m, cs_graph_modularity (g, cg->labels, cg->k)));
          }
      if (!cs_i_cli_write_stdout (s->str, s->len, &error))
        status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
      g_string_free (s, TRUE);
      goto out;
    }

  if (!cs_algorithm_run_graph (entry, g, p, NULL, NULL, &c, &error))
    {
      status = cs_i_cli_fail (cs_i_cli_status_for (error), "%s", error->message);
      goto out;
    }

  {
    double q = cs_graph_modularity (g, c->labels, c->k);
    double ari = g->labels ? cs_metric_ari (c->labels, g->labels, g->n) : NAN;
    gsize n_comp = cs_graph_components (g, NULL);
    const CsParams *used = c->params != NULL ? c->params : p;

    if (out)
      {
        GString *s = g_string_new ("id,cluster\n");
        for (gsize i = 0; i < g->n; i++)
          {
            cs_csv_append_field (s, g->names[i]);
            g_string_append_printf (s, ",%d\n", c->labels[i]);
          }
        if (!cs_write_file_atomic (out, s->str, s->len, &error))
          status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
        g_string_free (s, TRUE);
        if (status != EXIT_OK)
          goto out;
      }
    if (layout != NULL && !write_layout (g, c, layout, seed, &error))
      {
        status = cs_i_cli_fail (cs_i_cli_status_for (error), "%s", error->message);
        goto out;
      }
    if (json)
      {
        JsonObject *root = json_object_new ();
        JsonObject *graph = json_object_new ();
        JsonObject *par = json_object_new ();
        JsonObject *labels = json_object_new ();
        JsonArray *sizes = json_array_new ();
        g_autofree gsize *count = g_new0 (gsize, c->k);
        json_object_set_int_member (graph, "nodes", (gint64) g->n);
        json_object_set_int_member (graph, "edges", (gint64) g->n_edges);
        json_object_set_int_member (graph, "components", (gint64) n_comp);
        json_object_set_int_member (graph, "self_loops_dropped", (gint64) g->n_self_loops);
        json_object_set_int_member (graph, "duplicates_merged", (gint64) g->n_duplicates);
        json_object_set_boolean_member (graph, "weighted", g->weighted);
        if (g->label_name)
          json_object_set_string_member (graph, "label_column", g->label_name);
        json_object_set_int_member (graph, "attributes", (gint64) g->n_attrs);
        json_object_set_object_member (root, "graph", graph);
        json_object_set_string_member (root, "algorithm", entry->id);
        /* Every parameter of the entry as the run used it (k and t resolved). */
        for (gsize i = 0; i < entry->n_params; i++)
          {
            const CsParamSpec *spec = &entry->params[i];
            if (spec->type == CS_PARAM_INT)
              json_object_set_int_member (par, spec->name, cs_params_get_int (used, spec->name));
            else if (spec->type == CS_PARAM_DOUBLE)
              cs_json_set_number (par, spec->name, cs_params_get_double (used, spec->name));
            else if (spec->type == CS_PARAM_BOOL)
              json_object_set_boolean_member (par, spec->name, cs_params_get_bool (used, spec->name));
            else
              json_object_set_string_member (par, spec->name, cs_params_get_string (used, spec->name));
          }
        json_object_set_object_member (root, "params", par);
        json_object_set_int_member (root, "k", c->k);
        for (gsize i = 0; i < g->n; i++)
          {
            count[c->labels[i]]++;
            json_object_set_int_member (labels, g->names[i], c->labels[i]);
          }
        for (guint cl = 0; cl < c->k; cl++)
          json_array_add_int_element (sizes, (gint64) count[cl]);
        json_object_set_array_member (root, "sizes", sizes);
        json_object_set_object_member (root, "labels", labels);
        cs_json_set_number (root, "objective", c->objective);
        json_object_set_string_member (root, "objective_name", c->objective_name);
        cs_json_set_number (root, "modularity", q);
        if (g->labels)
          cs_json_set_number (root, "ari", ari);
        cs_json_set_number (root, "seconds", c->seconds);
        g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
        json_node_take_object (node, root);
        if (!cs_json_write (node, pretty, "-", &error))
          status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
      }
    else
      {
        g_autofree char *nn = cs_format_count (g->n);
        g_autofree char *ne = cs_format_count (g->n_edges);
        printf ("%s: %s nodes, %s edges", argv[1], nn, ne);
        if (n_comp > 1)
          printf (", %" G_GSIZE_FORMAT " components", n_comp);
        printf ("\n%s", algo);
        if (cs_algorithm_find_param (entry, "kernel") != NULL)
          printf (" (%s, t = %g)", cs_params_get_string (used, "kernel"), cs_params_get_double (used, "t"));
        printf (": k = %u, modularity %.4f", c->k, q);
        if (g->labels)
          printf (", ARI %.4f against ‘%s’", ari, g->label_name ? g->label_name : "labels");
        printf (", %.2f s\n", c->seconds);
        fflush (stdout);
      }
  }
out:
  g_free (algo);
  g_free (nodes);
  g_free (out);
  g_free (write_edges);
  g_free (write_nodes);
  g_free (layout);
  g_strfreev (params);
  return status;
}
