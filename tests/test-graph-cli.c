/* clusterscope-cli graph: JSON with labels by node id and the ARI, the generator, the grid,
 * usage errors (exit 2) and bad files named by position (exit 1). */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "test-cli-common.h"

static JsonObject *
parse_object (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_karate_json (void)
{
  g_auto (CliRun) r = { 0 };
  cli (&r, "graph", "karate", "--algo", "kernel-kmeans", "-p", "kernel=logcomm", "-p", "t=0.5", "--json");
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonObject) o = parse_object (r.out);
  JsonObject *graph = json_object_get_object_member (o, "graph");
  g_assert_cmpint (json_object_get_int_member (graph, "nodes"), ==, 34);
  g_assert_cmpint (json_object_get_int_member (graph, "edges"), ==, 78);
  g_assert_cmpstr (json_object_get_string_member (graph, "label_column"), ==, "club");
  g_assert_cmpint (json_object_get_int_member (o, "k"), ==, 2);
  JsonObject *labels = json_object_get_object_member (o, "labels");
  g_assert_cmpuint (json_object_get_size (labels), ==, 34);
  /* the two leaders end up apart: Mr. Hi is node 0, the Officer node 33 */
  g_assert_cmpint (json_object_get_int_member (labels, "0"), !=, json_object_get_int_member (labels, "33"));
  double ari = json_object_get_double_member (o, "ari");
  g_assert_cmpfloat (ari, >, 0.75);
  g_assert_cmpfloat (json_object_get_double_member (o, "modularity"), >, 0.3);
  JsonObject *params = json_object_get_object_member (o, "params");
  g_assert_cmpstr (json_object_get_string_member (params, "kernel"), ==, "logcomm");
  g_assert_cmpfloat (json_object_get_double_member (params, "t"), ==, 0.5);
}

static void
test_edge_file_and_nodes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-graph-cli-XXXXXX", NULL);
  g_autofree char *edges = g_build_filename (dir, "e.csv", NULL);
  g_autofree char *nodes = g_build_filename (dir, "n.csv", NULL);
  g_autofree char *out = g_build_filename (dir, "labels.csv", NULL);
  g_auto (CliRun) w = { 0 };
  /* the generator writes a block model with its labels; reading it back recovers them */
  cli (&w, "graph", "sbm:40,40,40:0.4:0.01:3", "--write-edges", edges, "--write-nodes", nodes);
  g_assert_cmpint (w.status, ==, 0);
  g_auto (CliRun) r = { 0 };
  cli (&r, "graph", edges, "--nodes", nodes, "--algo", "spectral", "--json", "--out", out);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonObject) o = parse_object (r.out);
  g_assert_cmpint (json_object_get_int_member (o, "k"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (o, "ari"), ==, 1.0);
  g_autofree char *csv = NULL;
  g_assert_true (g_file_get_contents (out, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "id,cluster\n0,"));

  g_auto (CliRun) a = { 0 };
  cli (&a, "graph", edges, "--nodes", nodes, "--algo", "amg-spectral", "-p", "seed=2", "--json");
  g_assert_cmpint (a.status, ==, 0);
  g_autoptr (JsonObject) oa = parse_object (a.out);
  g_assert_cmpfloat (json_object_get_double_member (oa, "ari"), ==, 1.0);

  g_auto (CliRun) k = { 0 };
  cli (&k, "graph", edges, "--nodes", nodes, "--algo", "kernel-ward", "-p", "kernel=logfor", "-p", "alpha=0.5");
  g_assert_cmpint (k.status, ==, 0);
  g_assert_nonnull (strstr (k.out, "ARI 1.0000 against ‘block’"));

  /* a bad weight is named by file, line and column, exit 1 */
  g_autofree char *bad = g_build_filename (dir, "bad.csv", NULL);
  g_assert_true (g_file_set_contents (bad, "a,b,1\nb,c,-1\n", -1, NULL));
  g_auto (CliRun) b = { 0 };
  cli (&b, "graph", bad, "--algo", "spectral");
  g_assert_cmpint (b.status, ==, 1);
  g_assert_nonnull (strstr (b.err, "bad.csv:2:5:"));

  /* a layout beside the clustering: one row per node, coordinates in [−1, 1] */
  g_autofree char *lay = g_build_filename (dir, "layout.csv", NULL);
  g_auto (CliRun) l = { 0 };
  cli (&l, "graph", "karate", "--algo", "spectral", "--layout", lay);
  g_assert_cmpint (l.status, ==, 0);
  g_autofree char *lay_text = NULL;
  g_assert_true (g_file_get_contents (lay, &lay_text, NULL, NULL));
  g_auto (GStrv) rows = g_strsplit (lay_text, "\n", -1);
  g_assert_cmpstr (rows[0], ==, "id,x,y,cluster");
  g_assert_cmpuint (g_strv_length (rows), ==, 1 + 34 + 1);
  for (guint i = 1; i <= 34; i++)
    {
      g_auto (GStrv) f = g_strsplit (rows[i], ",", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 4);
      g_assert_cmpfloat (fabs (g_ascii_strtod (f[1], NULL)), <=, 1.0);
      g_assert_cmpfloat (fabs (g_ascii_strtod (f[2], NULL)), <=, 1.0);
    }
  g_remove (lay);

  g_remove (edges);
  g_remove (nodes);
  g_remove (out);
  g_remove (bad);
  g_rmdir (dir);
}

static void
test_grid (void)
{
  g_auto (CliRun) r = { 0 };
  cli (&r, "graph", "karate", "--grid", "4", "-p", "kernel=walk");
  g_assert_cmpint (r.status, ==, 0);
  g_auto (GStrv) lines = g_strsplit (r.out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "kernel,alpha,t,ari,modularity");
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 8 + 1); /* walk and pwalk, 4 each, final newline */
  g_assert_true (g_str_has_prefix (lines[1], "walk,0.2,"));
  g_assert_true (g_str_has_prefix (lines[5], "pwalk,0.2,"));
}

static void
test_usage_errors (void)
{
  static const char *const cases[][6] = {
    { "graph", "karate", NULL },
    { "graph", "karate", "--algo", "louvain", NULL },
    { "graph", "karate", "--algo", "spectral", "-p", "k=99" },
    { "graph", "karate", "--algo", "kernel-kmeans", "-p", "kernel=nope" },
    { "graph", "karate", "--algo", "kernel-kmeans", "-p", "alpha=1.5" },
    { "graph", "karate", "--algo", "kernel-kmeans", "-p", "t=-1" },
    { "graph", "sbm:10,x:0.1:0.1", "--algo", "spectral", NULL },
    { "graph", "karate", "--algo", "kernel-kmeans", "-p", "kernel=walk" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (CliRun) r = { 0 };
      const char *args[8] = { 0 };
      for (gsize j = 0; j < 6 && cases[i][j]; j++)
        args[j] = cases[i][j];
      /* walk with the default alpha 0.5 is fine; with t = 1 it is past 1/ρ */
      if (i == 7)
        {
          args[6] = "-p";
          args[7] = NULL;
          g_auto (CliRun) ok = { 0 };
          cli_argv (&ok, (const char *[]) { "graph", "karate", "--algo", "kernel-kmeans", "-p", "kernel=walk", "-p",
                                            "t=1", NULL });
          g_assert_cmpint (ok.status, ==, 2);
          g_assert_nonnull (strstr (ok.err, "0 < t <"));
          continue;
        }
      cli_argv (&r, args);
      if (r.status != 2)
        g_error ("case %" G_GSIZE_FORMAT ": status %d, stderr %s", i, r.status, r.err);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/graph/karate-json-labels-by-node-id", test_karate_json);
  g_test_add_func ("/cli/graph/edge-file-nodes-generator-and-bad-file", test_edge_file_and_nodes);
  g_test_add_func ("/cli/graph/grid-plain-and-log", test_grid);
  g_test_add_func ("/cli/graph/usage-errors-exit-2", test_usage_errors);
  return g_test_run ();
}
