/* Graph algorithms in the window (issue 13), under Xvfb: opening the karate club chooses the
 * spectral coordinates (not the degree) and a graph algorithm; the default run finds the two
 * clubs (ARI ≥ 0.75) with the labels `clusterscope-cli graph` gives for the same parameters; the
 * algorithm list has a Graph group whose entries cannot be chosen for a table of points. */

#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "test-common.h"
#include "test-ui-common.h"
#include "core/cluster/cs-registry.h"
#include "ui/cs-window.h"

static GtkApplication *app;

static gboolean
is_idle (gpointer window)
{
  return !cs_window_is_busy (window);
}

static CsWindow *
window_with_sample (const char *sample)
{
  CsWindow *window = cs_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  cs_test_spin (50);
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-sample", g_variant_new_string (sample));
  g_assert_true (cs_test_wait_until (is_idle, window, 20000));
  cs_test_spin (20);
  return window;
}

/* The labels by node id that the CLI's graph command prints for these parameters. */
static JsonObject *
cli_labels (const char *const *params)
{
  const char *cli = g_getenv ("CS_CLI");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  int status = 0;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, "graph");
  g_ptr_array_add (argv, "karate");
  g_ptr_array_add (argv, "--algo");
  g_ptr_array_add (argv, "kernel-kmeans");
  for (guint i = 0; params[i] != NULL; i++)
    {
      g_ptr_array_add (argv, "-p");
      g_ptr_array_add (argv, (gpointer) params[i]);
    }
  g_ptr_array_add (argv, "--json");
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                               &error));
  g_assert_no_error (error);
  if (status != 0)
    g_error ("CLI failed: %s", err);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  return json_object_ref (json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                                         "labels"));
}

static void
test_karate_default_run (void)
{
  CsWindow *window = window_with_sample ("karate");
  CsParamsPanel *panel = cs_window_get_params_panel (window);
  const CsAlgorithm *algo = cs_params_panel_get_algorithm (panel);
  g_autoptr (CsParams) params = cs_params_panel_get_params (panel);
  const CsPipelineResult *r;
  g_autoptr (JsonObject) cli = NULL;
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

  /* a graph algorithm is chosen for a graph */
  g_assert_nonnull (algo);
  g_assert_cmpstr (algo->id, ==, "graph-kernel-kmeans");
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (cs_test_wait_until (is_idle, window, 60000));
  g_assert_null (cs_window_get_error_text (window));
  r = cs_window_get_result (window);
  g_assert_nonnull (r);
  g_assert_cmpstr (r->clustering->algorithm, ==, "graph-kernel-kmeans");
  g_assert_cmpuint (r->clustering->n, ==, 34);
  g_assert_cmpuint (r->clustering->k, ==, 2);
  g_assert_cmpfloat (r->ari, >=, 0.75);
  g_assert_cmpfloat (r->modularity, >, 0.3);

  /* the CLI with the panel's parameters gives the same labels, node for node (karate's nodes are
   * numbered 0 … 33 in row order) */
  for (gsize i = 0; i < algo->n_params; i++)
    {
      g_autofree char *value = cs_params_to_string (params, algo->params[i].name);
      g_ptr_array_add (list, g_strdup_printf ("%s=%s", algo->params[i].name, value));
    }
  g_ptr_array_add (list, NULL);
  cli = cli_labels ((const char *const *) list->pdata);
  g_assert_cmpuint (json_object_get_size (cli), ==, 34);
  for (guint i = 0; i < 34; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i);
      g_assert_cmpint (json_object_get_int_member (cli, id), ==, r->clustering->labels[i]);
    }

  /* k-means on the default columns (the spectral coordinates) also finds the clubs */
  g_assert_true (cs_window_select_algorithm (window, "kmeans"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (cs_test_wait_until (is_idle, window, 60000));
  g_assert_null (cs_window_get_error_text (window));
  r = cs_window_get_result (window);
  g_assert_cmpstr (r->clustering->algorithm, ==, "kmeans");
  g_assert_cmpuint (r->clustering->d, ==, 2);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_graph_entries_only_for_graphs (void)
{
  CsWindow *window = window_with_sample ("iris");
  CsParamsPanel *panel = cs_window_get_params_panel (window);

  /* listed but not for a table of points */
  g_assert_false (cs_window_select_algorithm (window, "graph-kernel-kmeans"));
  g_assert_false (cs_window_select_algorithm (window, "amg-spectral"));
  g_assert_true (cs_window_select_algorithm (window, "kmeans"));
  g_assert_cmpstr (cs_params_panel_get_algorithm (panel)->id, ==, "kmeans");

  /* a graph next: a graph algorithm is chosen; back to points: a point algorithm again */
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-sample", g_variant_new_string ("karate"));
  g_assert_true (cs_test_wait_until (is_idle, window, 20000));
  g_assert_cmpstr (cs_params_panel_get_algorithm (panel)->id, ==, "graph-kernel-kmeans");
  g_assert_true (cs_window_select_algorithm (window, "amg-spectral"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-sample", g_variant_new_string ("iris"));
  g_assert_true (cs_test_wait_until (is_idle, window, 20000));
  g_assert_false (cs_algorithm_needs_graph (cs_params_panel_get_algorithm (panel)));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autofree char *data_home = NULL;
  int              status;

  if (!cs_test_ui_init (&argc, &argv, "org.clusterscope.Clusterscope.GraphTest", &app, &data_home))
    return 0;

  g_test_add_func ("/ui/graph/karate-default-run-finds-the-clubs", test_karate_default_run);
  g_test_add_func ("/ui/graph/graph-algorithms-only-for-graphs", test_graph_entries_only_for_graphs);
  status = g_test_run ();
  g_object_unref (app);
  g_rmdir (data_home);
  return status;
}
