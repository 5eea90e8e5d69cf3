/* clusterscope-cli choose-k: the JSON's shape and suggestions on generated blobs, usage
 * errors (exit 2), a write error (exit 1). */
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "test-cli-common.h"

static JsonNode *
parse_json (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_json_on_blobs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-choose-k-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (dir, "blobs.csv", NULL);
  g_auto (CliRun) gen = { 0 };
  g_auto (CliRun) r = { 0 };
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o;
  JsonArray  *by_k;
  JsonObject *suggested;
  static const char *const names[] = { "silhouette", "ch", "db", "gap", "stability" };

  cli (&gen, "generate", "blobs", "--n", "300", "--clusters", "3", "--seed", "3", "--out", data);
  g_assert_cmpint (gen.status, ==, 0);
  cli (&r, "choose-k", data, "--algo", "kmeans", "--k-range", "1..6", "--criteria", "silhouette,ch,db,gap,stability",
       "--stability", "4", "--gap-references", "5", "-p", "n_init=3", "--json");
  g_assert_cmpint (r.status, ==, 0);
  root = parse_json (r.out);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "algorithm"), ==, "kmeans");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "params"), "n_init"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "k_min"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "k_max"), ==, 6);
  by_k = json_object_get_array_member (o, "by_k");
  g_assert_cmpuint (json_array_get_length (by_k), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      JsonObject *e = json_array_get_object_element (by_k, i);

      g_assert_cmpint (json_object_get_int_member (e, "k"), ==, 1 + i);
      for (guint c = 0; c < G_N_ELEMENTS (names); c++)
        g_assert_true (json_object_has_member (e, names[c]));
      g_assert_true (json_object_has_member (e, "gap_s"));
      g_assert_true (json_object_has_member (e, "stability_sd"));
      /* k = 1 has no silhouette: null, never NaN in the text. */
      if (i == 0)
        g_assert_true (json_object_get_null_member (e, "silhouette"));
      else
        g_assert_cmpfloat (json_object_get_double_member (e, "silhouette"), >, 0.0);
    }
  g_assert_null (strstr (r.out, "nan"));
  suggested = json_object_get_object_member (o, "suggested");
  /* Stability is left out: two of these three blobs are close, and merging them is as stable
   * as keeping them apart (the core tests check stability on a layout without that bias). */
  for (guint c = 0; c < G_N_ELEMENTS (names) - 1; c++)
    g_assert_cmpint (json_object_get_int_member (suggested, names[c]), ==, 3);
  g_assert_cmpint (json_object_get_int_member (suggested, "stability"), >=, 2);
  g_assert_cmpint (json_object_get_int_member (o, "d"), ==, 2);
  g_assert_false (json_object_has_member (suggested, "bic"));

  g_remove (data);
  g_rmdir (dir);
}

static void
test_text_and_errors (void)
{
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "choose-k", "iris", "--algo", "gmm", "--k-range", "1..4", "--criteria", "bic,icl");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Suggested k"));
    g_assert_nonnull (strstr (r.out, "BIC"));
  }
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "choose-k", "iris", "--algo", "dbscan");
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "no k to vary"));
  }
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "choose-k", "iris", "--algo", "kmeans", "--k-range", "5..2");
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--k-range"));
  }
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "choose-k", "iris", "--algo", "kmeans", "--criteria", "elbow");
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "elbow"));
  }
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "choose-k", "iris", "--algo", "kmeans", "--k-range", "2..150");
    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "choose-k", "iris");
    g_assert_cmpint (r.status, ==, 2);
  }
}

static void
test_full_stdout_exit_1 (void)
{
  const char *cli_path = g_getenv ("CS_CLI");
  g_autofree char *cmd = NULL;
  g_autofree char *err = NULL;
  int wait_status = 0;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  cmd = g_strdup_printf ("sh -c '\"%s\" choose-k iris --algo kmeans --k-range 2..3 --criteria ch --json >/dev/full'",
                         cli_path);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, &err, &wait_status, NULL));
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 1);
  g_assert_nonnull (strstr (err, "standard output"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/choose-k/json-on-blobs", test_json_on_blobs);
  g_test_add_func ("/cli/choose-k/text-and-usage-errors", test_text_and_errors);
  g_test_add_func ("/cli/choose-k/full-stdout-exit-1", test_full_stdout_exit_1);
  return g_test_run ();
}
