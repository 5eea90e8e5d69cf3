/* clusterscope-cli as scripts use it: exit codes, messages and output files.
 *
 * The golden file tests/golden/cluster-iris-kmeans.json holds the JSON of
 *   clusterscope-cli cluster iris --algo kmeans -p k=3 -p seed=1 --standardize --json
 * To regenerate it after an intended change, run this test with CS_UPDATE_GOLDEN=1 and
 * review the diff. "seconds" is ignored; other numbers must agree to 1e-9 relative (sums may
 * differ in the last bit between BLAS kernels); labels and integers must be exact. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-cli-common.h"
#include <math.h>
#include <string.h>

#include "core/data/cs-dataset.h"
#include "core/data/cs-csv.h"
#include "core/data/cs-prepare.h"
#include "core/density/cs-dp-kernel.h"
#include "core/data/cs-samples.h"
#include "core/density/cs-kde-diagnostics.h"


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
assert_json_equal (JsonNode   *expected,
                   JsonNode   *actual,
                   const char *path)
{
  g_assert_cmpint (json_node_get_node_type (actual), ==, json_node_get_node_type (expected));
  switch (json_node_get_node_type (expected))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *e = json_node_get_object (expected);
        JsonObject *a = json_node_get_object (actual);
        g_autoptr (GList) members = json_object_get_members (e);

        g_assert_cmpuint (json_object_get_size (a), ==, json_object_get_size (e));
        for (GList *l = members; l; l = l->next)
          {
            g_autofree char *sub = g_strdup_printf ("%s.%s", path, (char *) l->data);
            if (strcmp (l->data, "seconds") == 0)
              continue;
            if (!json_object_has_member (a, l->data))
              g_error ("%s is missing", sub);
            assert_json_equal (json_object_get_member (e, l->data), json_object_get_member (a, l->data), sub);
          }
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *e = json_node_get_array (expected);
        JsonArray *a = json_node_get_array (actual);

        g_assert_cmpuint (json_array_get_length (a), ==, json_array_get_length (e));
        for (guint i = 0; i < json_array_get_length (e); i++)
          {
            g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);
            assert_json_equal (json_array_get_element (e, i), json_array_get_element (a, i), sub);
          }
      }
      break;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (expected) == G_TYPE_DOUBLE || json_node_get_value_type (actual) == G_TYPE_DOUBLE)
        {
          double e = json_node_get_double (expected);
          double a = json_node_get_double (actual);
          if (fabs (a - e) > 1e-9 * MAX (1.0, fabs (e)))
            g_error ("%s: expected %.17g, got %.17g", path, e, a);
        }
      else if (json_node_get_value_type (expected) == G_TYPE_INT64)
        {
          if (json_node_get_int (expected) != json_node_get_int (actual))
            g_error ("%s: expected %" G_GINT64_FORMAT ", got %" G_GINT64_FORMAT, path, json_node_get_int (expected),
                     json_node_get_int (actual));
        }
      else if (json_node_get_value_type (expected) == G_TYPE_STRING)
        g_assert_cmpstr (json_node_get_string (actual), ==, json_node_get_string (expected));
      else
        g_assert_true (json_node_get_boolean (actual) == json_node_get_boolean (expected));
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

static void
test_cluster_golden (void)
{
  g_auto (CliRun) r = { 0 };
  g_autofree char *golden = g_test_build_filename (G_TEST_DIST, "golden", "cluster-iris-kmeans.json", NULL);
  g_autofree char *expected_text = NULL;
  g_autoptr (JsonNode) expected = NULL;
  g_autoptr (JsonNode) actual = NULL;
  g_autoptr (GError) error = NULL;

  cli (&r, "cluster", "iris", "--algo", "kmeans", "-p", "k=3", "-p", "seed=1", "--standardize", "--json", "--pretty",
       NULL);
  g_assert_cmpint (r.status, ==, 0);
  actual = parse_json (r.out);
  if (g_getenv ("CS_UPDATE_GOLDEN"))
    {
      g_assert_true (g_file_set_contents (golden, r.out, -1, &error));
      g_test_message ("rewrote %s", golden);
    }
  g_assert_true (g_file_get_contents (golden, &expected_text, NULL, &error));
  g_assert_no_error (error);
  expected = parse_json (expected_text);
  assert_json_equal (expected, actual, "$");

  /* Known facts, independent of the golden file: standardised iris with k = 3. */
  {
    JsonObject *o = json_node_get_object (actual);
    g_assert_cmpint (json_object_get_int_member (o, "n"), ==, 150);
    g_assert_cmpint (json_object_get_int_member (o, "d"), ==, 4);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "labels")), ==, 150);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "centers")), ==, 3);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "objective"), 139.82, 0.01);
    g_assert_true (json_object_has_member (o, "ari"));
    g_assert_true (json_object_has_member (o, "nmi"));
    g_assert_cmpstr (json_object_get_string_member (o, "label_column"), ==, "species");
  }
}

/* DynMSC's JSON records the medoids behind every point of its curve: k of them, distinct,
 * in range, and at the chosen k the result's own medoids. */
static void
test_dynmsc_json_medoids_by_k (void)
{
  g_auto (CliRun) r = { 0 };
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o;
  JsonArray  *curve;
  gboolean    saw_chosen = FALSE;

  cli (&r, "cluster", "iris", "-a", "dynmsc", "-p", "k_max=5", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_json (r.out);
  o = json_node_get_object (root);
  curve = json_object_get_array_member (o, "score_by_k");
  g_assert_cmpuint (json_array_get_length (curve), ==, 4);
  for (guint i = 0; i < json_array_get_length (curve); i++)
    {
      JsonObject *pt = json_array_get_object_element (curve, i);
      gint64      k = json_object_get_int_member (pt, "k");
      JsonArray  *m = json_object_get_array_member (pt, "medoids");

      g_assert_cmpint (k, ==, 2 + i);
      g_assert_cmpuint (json_array_get_length (m), ==, (guint) k);
      for (guint a = 0; a < k; a++)
        {
          g_assert_cmpint (json_array_get_int_element (m, a), >=, 0);
          g_assert_cmpint (json_array_get_int_element (m, a), <, 150);
          for (guint b = 0; b < a; b++)
            g_assert_cmpint (json_array_get_int_element (m, a), !=, json_array_get_int_element (m, b));
        }
      if (k == json_object_get_int_member (o, "k"))
        {
          JsonArray *chosen = json_object_get_array_member (o, "medoids");

          for (guint a = 0; a < k; a++)
            g_assert_cmpint (json_array_get_int_element (m, a), ==, json_array_get_int_element (chosen, a));
          saw_chosen = TRUE;
        }
    }
  g_assert_true (saw_chosen);
}

static void
test_list_json (void)
{
  g_auto (CliRun) r = { 0 };
  g_autoptr (JsonNode) root = NULL;
  JsonArray *algos;
  gboolean found = FALSE;

  cli (&r, "list", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_json (r.out);
  algos = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (algos); i++)
    {
      JsonObject *a = json_array_get_object_element (algos, i);
      if (strcmp (json_object_get_string_member (a, "id"), "kmeans") == 0)
        {
          JsonArray *params = json_object_get_array_member (a, "params");
          g_autoptr (GString) names = g_string_new (NULL);
          for (guint j = 0; j < json_array_get_length (params); j++)
            g_string_append_printf (names, "%s ",
                                    json_object_get_string_member (json_array_get_object_element (params, j), "name"));
          g_assert_cmpstr (names->str, ==, "k init n_init max_iter tol seed algorithm ");
          found = TRUE;
        }
    }
  g_assert_true (found);
}

static void
test_usage_errors_exit_2 (void)
{
  struct
  {
    const char *args[6];
    const char *message;
  } cases[] = {
    { { "cluster", "iris", "--algo", "nope", NULL }, "unknown algorithm ‘nope’" },
    { { "cluster", "iris", "--algo", "kmeans", "-p", "k=zero" }, "‘k’" },
    { { "cluster", "--algo", "kmeans", NULL }, "needs a FILE" },
    { { "cluster", "iris", "--bogus", NULL }, "bogus" },
    { { "frobnicate", NULL }, "unknown command" },
    { { "render", "iris", "--out", "x.gif", NULL }, ".png" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (CliRun) r = { 0 };
      const char *const *a = cases[i].args;
      cli (&r, a[0], a[1], a[2], a[3], a[4], a[5], NULL);
      g_assert_cmpint (r.status, ==, 2);
      if (strstr (r.err, cases[i].message) == NULL)
        g_error ("case %" G_GSIZE_FORMAT ": stderr lacks ‘%s’: %s", i, cases[i].message, r.err);
    }
}

static void
test_bad_csv_exit_1_names_position (void)
{
  g_auto (CliRun) r = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("cs-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "ragged.csv", NULL);
  g_autofree char *where = NULL;

  g_assert_true (g_file_set_contents (path, "a,b,c\n1,2,3\n4,5,6\n7,8\n", -1, NULL));
  cli (&r, "cluster", path, "--algo", "kmeans", NULL);
  g_assert_cmpint (r.status, ==, 1);
  where = g_strdup_printf ("%s:4:", path);
  g_assert_nonnull (strstr (r.err, where));
  g_assert_true (g_str_has_prefix (r.err, "clusterscope-cli: "));
  g_assert_cmpstr (r.out, ==, "");
  g_remove (path);
  g_rmdir (dir);
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
test_render_writes_figures (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-cli-XXXXXX", NULL);
  const char *names[] = { "fig.png", "fig.svg", "fig.pdf" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_auto (CliRun) r = { 0 };
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *data = NULL;
      gsize len = 0;

      cli (&r, "render", "iris", "--algo", "kmeans", "-p", "k=3", "--out", path, "--width-mm", "101.6",
           "--height-mm", "50.8", "--dpi", "100", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      if (i == 0)
        {
          /* 4 in × 2 in at 100 dpi: the IHDR chunk says 400 × 200. */
          g_assert_cmpuint (len, >, 24);
          g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
          g_assert_cmpuint (be32 ((const guint8 *) data + 16), ==, 400);
          g_assert_cmpuint (be32 ((const guint8 *) data + 20), ==, 200);
        }
      else if (i == 1)
        g_assert_nonnull (strstr (data, "<svg"));
      else
        {
          g_assert_true (g_str_has_prefix (data, "%PDF-"));
          /* The trailer sits in the last bytes; the body may hold NULs, so no string search. */
          g_assert_cmpuint (len, >, 16);
          g_assert_nonnull (g_strstr_len (data + len - 16, 16, "%%EOF"));
        }
      g_remove (path);
    }
  g_rmdir (dir);
}

static void
test_labels_out_and_generate_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-cli-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (dir, "moons.csv", NULL);
  g_autofree char *labels = g_build_filename (dir, "labels.csv", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (CsDataset) ds = NULL;
  g_autoptr (GError) error = NULL;

  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "generate", "moons", "--n", "250", "--seed", "4", "--out", data, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  ds = cs_dataset_load_csv (data, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_rows, ==, 250);
  g_assert_cmpint (ds->label_column, >=, 0);
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "cluster", data, "--algo", "kmeans", "-p", "k=2", "--labels-out", labels, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "ARI"));
  }
  g_assert_true (g_file_get_contents (labels, &text, NULL, NULL));
  lines = g_strsplit (g_strchomp (text), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 251);
  g_assert_cmpstr (lines[0], ==, "row,label");
  g_assert_true (g_str_has_prefix (lines[1], "0,"));
  g_remove (labels);
  g_remove (data);
  g_rmdir (dir);
}

/* The 5-object example of the k-medoids papers' reference implementations: from medoids
 * {0, 1}, FasterPAM reaches loss 4 with medoids {0, 3}. */
static void
test_cluster_precomputed_distances (void)
{
  g_auto (CliRun) r = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("cs-cli-XXXXXX", NULL);
  g_autofree char *dist = g_build_filename (dir, "d.csv", NULL);
  g_autofree char *data = g_build_filename (dir, "rows.csv", NULL);
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o;
  JsonArray *medoids;

  g_assert_true (g_file_set_contents (dist, "0,1,2,4,7\n1,0,3,5,8\n2,3,0,6,9\n4,5,6,0,1\n7,8,9,1,0\n", -1, NULL));
  g_assert_true (g_file_set_contents (data, "id\n1\n2\n3\n4\n5\n", -1, NULL));
  cli (&r, "cluster", data, "--algo", "fasterpam", "-p", "k=2", "-p", "init=0,1", "--distances", dist, "--json",
       "--no-metrics", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_json (r.out);
  o = json_node_get_object (root);
  g_assert_cmpfloat (json_object_get_double_member (o, "loss"), ==, 4.0);
  medoids = json_object_get_array_member (o, "medoids");
  g_assert_cmpint (json_array_get_int_element (medoids, 0), ==, 0);
  g_assert_cmpint (json_array_get_int_element (medoids, 1), ==, 3);
  g_assert_true (json_object_has_member (o, "swaps"));
  g_remove (dist);
  g_remove (data);
  g_rmdir (dir);
}

static double
max_abs_difference (JsonArray *a,
                    JsonArray *b,
                    double    *peak)
{
  double worst = 0.0;

  g_assert_cmpuint (json_array_get_length (a), ==, json_array_get_length (b));
  *peak = 0.0;
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      double x = json_array_get_double_element (a, i);
      worst = MAX (worst, fabs (x - json_array_get_double_element (b, i)));
      *peak = MAX (*peak, x);
    }
  return worst;
}

/* --epsilon replaces the KDE's values on the same grid with a private estimate: the noise
 * scale is the analytic Gaussian mechanism's, a large ε comes close to the exact surface, a
 * small one does not, and a fixed seed reproduces the release. */
static void
test_density_private (void)
{
  g_auto (CliRun) exact = { 0 };
  g_auto (CliRun) loose = { 0 };
  g_auto (CliRun) again = { 0 };
  g_auto (CliRun) tight = { 0 };
  g_auto (CliRun) bad = { 0 };
  g_autoptr (JsonNode) e = NULL;
  g_autoptr (JsonNode) l = NULL;
  g_autoptr (JsonNode) t = NULL;
  JsonObject *privacy;
  double      peak;

  cli (&exact, "density", "faithful", "--columns", "eruptions,waiting", "--grid", "24", "--method", "exact", "--json",
       NULL);
  cli (&loose, "density", "faithful", "--columns", "eruptions,waiting", "--grid", "24", "--json", "--epsilon", "1000",
       "--delta", "1e-6", "--features", "16384", "--seed", "5", NULL);
  cli (&again, "density", "faithful", "--columns", "eruptions,waiting", "--grid", "24", "--json", "--epsilon", "1000",
       "--delta", "1e-6", "--features", "16384", "--seed", "5", NULL);
  cli (&tight, "density", "faithful", "--columns", "eruptions,waiting", "--grid", "24", "--json", "--epsilon", "0.1",
       "--seed", "5", NULL);
  g_assert_cmpint (exact.status, ==, 0);
  g_assert_cmpint (loose.status, ==, 0);
  g_assert_cmpint (tight.status, ==, 0);
  g_assert_cmpstr (loose.out, ==, again.out);

  e = parse_json (exact.out);
  l = parse_json (loose.out);
  t = parse_json (tight.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (l), "method"), ==, "private");
  privacy = json_object_get_object_member (json_node_get_object (l), "privacy");
  g_assert_nonnull (privacy);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (privacy, "sigma"),
                                  cs_dp_gaussian_sigma_analytic (2.0, 1000.0, 1e-6), 1e-12);
  privacy = json_object_get_object_member (json_node_get_object (t), "privacy");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (privacy, "delta"), 1e-5, 1e-20);

  /* Same grid nodes as the exact surface. */
  g_assert_cmpfloat (max_abs_difference (json_object_get_array_member (json_node_get_object (e), "x"),
                                         json_object_get_array_member (json_node_get_object (l), "x"), &peak), ==, 0.0);
  /* ε = 1000: only the random-feature error remains, about 6 % of the peak at D = 16384 (12 % at 4096). */
  g_assert_cmpfloat (max_abs_difference (json_object_get_array_member (json_node_get_object (e), "density"),
                                         json_object_get_array_member (json_node_get_object (l), "density"), &peak)
                         / peak, <, 0.1);
  /* ε = 0.1 on 272 rows: the noise swamps the surface. */
  g_assert_cmpfloat (max_abs_difference (json_object_get_array_member (json_node_get_object (e), "density"),
                                         json_object_get_array_member (json_node_get_object (t), "density"), &peak)
                         / peak, >, 0.3);

  cli (&bad, "density", "faithful", "--columns", "eruptions,waiting", "--delta", "1e-5", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "--epsilon"));
}

/* The grid CSV: header x,y,density, one row per node with x varying fastest; --json adds the
 * bandwidth matrix, the selector and the extent, and agrees with the CSV. */
static void
test_density_csv_and_json (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "grid.csv", NULL);
  g_auto (CliRun) csv = { 0 };
  g_auto (CliRun) json = { 0 };
  g_auto (CliRun) fixed = { 0 };
  g_auto (CliRun) bad = { 0 };
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonNode) fixed_root = NULL;
  g_autofree char *data = NULL;
  g_auto (GStrv) lines = NULL;
  g_auto (GStrv) row1 = NULL;
  g_auto (GStrv) row2 = NULL;
  JsonObject *o;
  JsonObject *bw;
  JsonArray  *H;
  JsonArray  *extent;
  JsonArray  *density;
  double      sum = 0.0;

  cli (&csv, "density", "faithful", "--columns", "eruptions,waiting", "--grid", "32", "--bandwidth", "silverman",
       "--out", path, NULL);
  g_assert_cmpint (csv.status, ==, 0);
  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  lines = g_strsplit (data, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "x,y,density");
  /* 32 × 32 rows and the final newline's empty string. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 32 * 32 + 1);
  g_assert_cmpstr (lines[1 + 32 * 32], ==, "");
  /* x varies fastest: the first two rows share y and step in x. */
  row1 = g_strsplit (lines[1], ",", -1);
  row2 = g_strsplit (lines[2], ",", -1);
  g_assert_cmpuint (g_strv_length (row1), ==, 3);
  g_assert_cmpfloat (g_ascii_strtod (row2[0], NULL), >, g_ascii_strtod (row1[0], NULL));
  g_assert_cmpfloat (g_ascii_strtod (row2[1], NULL), ==, g_ascii_strtod (row1[1], NULL));

  cli (&json, "density", "faithful", "--columns", "eruptions,waiting", "--grid", "32", "--bandwidth", "silverman",
       "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = parse_json (json.out);
  o = json_node_get_object (root);
  bw = json_object_get_object_member (o, "bandwidth");
  g_assert_nonnull (bw);
  g_assert_cmpstr (json_object_get_string_member (bw, "selector"), ==, "silverman");
  H = json_object_get_array_member (bw, "matrix");
  g_assert_cmpuint (json_array_get_length (H), ==, 2);
  /* H is a covariance: positive diagonal, symmetric. */
  g_assert_cmpfloat (json_array_get_double_element (json_array_get_array_element (H, 0), 0), >, 0.0);
  g_assert_cmpfloat (json_array_get_double_element (json_array_get_array_element (H, 0), 1), ==,
                     json_array_get_double_element (json_array_get_array_element (H, 1), 0));
  extent = json_object_get_array_member (o, "extent");
  g_assert_cmpuint (json_array_get_length (extent), ==, 4);
  g_assert_cmpfloat (json_array_get_double_element (extent, 0), <, 1.6);  /* shortest eruption 1.6 min */
  g_assert_cmpfloat (json_array_get_double_element (extent, 1), >, 5.1);  /* longest 5.1 min */
  density = json_object_get_array_member (o, "density");
  g_assert_cmpuint (json_array_get_length (density), ==, 32 * 32);
  g_assert_cmpfloat (json_array_get_double_element (density, 0), ==, g_ascii_strtod (row1[2], NULL));
  /* A density: its Riemann sum over the padded grid is 1. */
  for (guint i = 0; i < 32 * 32; i++)
    sum += json_array_get_double_element (density, i);
  sum *= (json_array_get_double_element (extent, 1) - json_array_get_double_element (extent, 0)) / 31.0
         * (json_array_get_double_element (extent, 3) - json_array_get_double_element (extent, 2)) / 31.0;
  g_assert_cmpfloat_with_epsilon (sum, 1.0, 0.03);

  /* A number is a bandwidth h: H = h²·I, reported as the manual selector. */
  cli (&fixed, "density", "faithful", "--columns", "eruptions,waiting", "--grid", "16", "--bandwidth", "0.5",
       "--json", NULL);
  g_assert_cmpint (fixed.status, ==, 0);
  fixed_root = parse_json (fixed.out);
  bw = json_object_get_object_member (json_node_get_object (fixed_root), "bandwidth");
  g_assert_cmpstr (json_object_get_string_member (bw, "selector"), ==, "manual");
  H = json_object_get_array_member (bw, "matrix");
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (json_array_get_array_element (H, 1), 1), 0.25, 1e-12);

  cli (&bad, "density", "faithful", "--columns", "eruptions", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "two columns"));

  g_remove (path);
  g_rmdir (dir);
}

static void
test_render_density (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-cli-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "density.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "density.svg", NULL);
  g_auto (CliRun) r = { 0 };
  g_auto (CliRun) s = { 0 };
  g_autofree char *data = NULL;
  gsize len = 0;

  cli (&r, "render", "faithful", "--view", "density", "--out", png, "--width-mm", "101.6", "--height-mm", "76.2",
       "--dpi", "100", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (png, &data, &len, NULL));
  g_assert_cmpuint (len, >, 24);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpuint (be32 ((const guint8 *) data + 16), ==, 400);
  g_assert_cmpuint (be32 ((const guint8 *) data + 20), ==, 300);
  g_clear_pointer (&data, g_free);

  /* Clustered: per-cluster contours; the heatmap is still one embedded image. */
  cli (&s, "render", "faithful", "--view", "density", "--algo", "kmeans", "-p", "k=2", "--standardize", "--out", svg,
       NULL);
  g_assert_cmpint (s.status, ==, 0);
  g_assert_true (g_file_get_contents (svg, &data, &len, NULL));
  g_assert_nonnull (strstr (data, "<image"));
  g_assert_nonnull (strstr (data, "<path"));

  g_remove (png);
  g_remove (svg);
  g_rmdir (dir);
}

/* The CLI runs the same core as the window: its numbers must be the library's, exactly. */
static void
test_kde_diagnostics_json (void)
{
  g_auto (CliRun) r = { 0 };
  g_auto (CliRun) u = { 0 };
  g_auto (CliRun) c = { 0 };
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (CsDataset) ds = NULL;
  g_autoptr (CsPrepared) prep = NULL;
  g_autoptr (CsKdeDiagnostics) diag = NULL;
  g_autoptr (GError) error = NULL;
  CsPrepareOptions popt;
  JsonObject *o;
  JsonArray *curve;

  cli (&r, "kde-diagnostics", "wine", "--standardize", "--bandwidth", "1.5", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_json (r.out);
  o = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (o, "n"), ==, 178);
  g_assert_cmpint (json_object_get_int_member (o, "d"), ==, 13);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "alpha"), log (178.0) / 13.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "h_clt") / json_object_get_double_member (o, "h_g"),
                                  G_SQRT2, 1e-12);
  curve = json_object_get_array_member (o, "curve");
  g_assert_cmpuint (json_array_get_length (curve), ==, 60);
  g_assert_cmpstr (json_object_get_string_member (o, "regime"), ==,
                   1.5 >= json_object_get_double_member (o, "h_clt") ? "CLT" : "heavy-tailed");

  ds = cs_sample_load ("wine", &error);
  g_assert_no_error (error);
  cs_prepare_options_init (&popt);
  popt.scaling = CS_SCALE_STANDARDIZE;
  prep = cs_dataset_prepare (ds, &popt, &error);
  g_assert_no_error (error);
  diag = cs_kde_diagnostics_run (prep->x, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "h_g"), diag->h_g, 1e-12 * diag->h_g);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "h_opt"), diag->h_opt, 1e-9 * diag->h_opt);
  for (guint k = 0; k < diag->n_h; k += 7)
    {
      JsonObject *p = json_array_get_object_element (curve, k);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (p, "n_eff"), diag->n_eff[k],
                                      1e-9 * diag->n_eff[k]);
    }

  cli (&u, "kde-diagnostics", "wine", "--grid", "2", NULL);
  g_assert_cmpint (u.status, ==, 2);
  cli (&c, "kde-diagnostics", "wine", "--columns", "alcohol,nope", NULL);
  g_assert_cmpint (c.status, ==, 2);
  g_assert_nonnull (strstr (c.err, "nope"));
}

/* The JSON shape the issue fixes, on iris k-means, and its invariants: sizes add up to the
 * rows, favourable >= 0 >= unfavourable, shap_mean_abs >= both, ranks are a permutation. */
static void
test_saliency_json_shape (void)
{
  g_auto (CliRun) r = { 0 };
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o;
  JsonArray *clusters;
  gint64 total = 0;

  cli (&r, "saliency", "iris", "--algo", "kmeans", "-p", "k=3", "-p", "seed=1", "--standardize", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_json (r.out);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "method"), ==, "linear");
  g_assert_cmpfloat (json_object_get_double_member (o, "surrogate_accuracy"), >=, 0.95);
  g_assert_cmpfloat (json_object_get_double_member (o, "surrogate_accuracy"), <=, 1.0);
  clusters = json_object_get_array_member (o, "clusters");
  g_assert_cmpuint (json_array_get_length (clusters), ==, 3);
  for (guint c = 0; c < 3; c++)
    {
      JsonObject *co = json_array_get_object_element (clusters, c);
      JsonArray *features = json_object_get_array_member (co, "features");
      guint seen_rank = 0;

      g_assert_cmpint (json_object_get_int_member (co, "cluster"), ==, c);
      g_assert_true (g_str_has_prefix (json_object_get_string_member (co, "summary"), "Cluster "));
      total += json_object_get_int_member (co, "size");
      g_assert_cmpuint (json_array_get_length (features), ==, 4);
      for (guint j = 0; j < 4; j++)
        {
          JsonObject *f = json_array_get_object_element (features, j);
          double fav = json_object_get_double_member (f, "favourable");
          double unf = json_object_get_double_member (f, "unfavourable");
          double mabs = json_object_get_double_member (f, "shap_mean_abs");

          g_assert_nonnull (json_object_get_string_member (f, "name"));
          g_assert_true (isfinite (json_object_get_double_member (f, "effect_size")));
          g_assert_cmpfloat (fav, >=, 0.0);
          g_assert_cmpfloat (unf, <=, 0.0);
          g_assert_cmpfloat (fabs (mabs - (fav - unf)), <, 1e-12);
          seen_rank |= 1u << (json_object_get_int_member (f, "rank") - 1);
        }
      g_assert_cmpuint (seen_rank, ==, 0xf);
    }
  g_assert_cmpint (total, ==, 150);

  /* The species by cluster: one cluster is all setosa, and shares add up to 1. */
  {
    JsonArray *cats = json_object_get_array_member (o, "categorical");
    JsonObject *species = json_array_get_object_element (cats, 0);
    JsonArray *by_cluster = json_object_get_array_member (species, "clusters");
    gboolean pure_setosa = FALSE;

    g_assert_cmpuint (json_array_get_length (cats), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (species, "name"), ==, "species");
    g_assert_true (json_object_get_boolean_member (species, "label"));
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (species, "levels"), 0), ==,
                     "setosa");
    for (guint c = 0; c < 3; c++)
      {
        JsonArray *p = json_object_get_array_member (json_array_get_object_element (by_cluster, c), "proportions");
        double sum = 0.0;

        for (guint l = 0; l < 3; l++)
          sum += json_array_get_double_element (p, l);
        g_assert_cmpfloat (fabs (sum - 1.0), <, 1e-12);
        pure_setosa |= json_array_get_double_element (p, 0) == 1.0;
      }
    g_assert_true (pure_setosa);
  }
}

/* Labels written by `cluster --labels-out` and read back by `saliency --labels` describe the
 * same clusters as `saliency --algo`, number for number; --csv has k × d lines. */
static void
test_saliency_labels_file_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-cli-XXXXXX", NULL);
  g_autofree char *labels = g_build_filename (dir, "labels.csv", NULL);
  g_autofree char *summaries = g_build_filename (dir, "summaries.csv", NULL);
  g_autofree char *attributions = g_build_filename (dir, "phi.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr (JsonNode) a = NULL;
  g_autoptr (JsonNode) b = NULL;
  g_auto (GStrv) lines = NULL;

  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "cluster", "wine", "--algo", "fasterpam", "-p", "k=3", "--standardize", "--labels-out", labels, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "saliency", "wine", "--algo", "fasterpam", "-p", "k=3", "--standardize", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    a = parse_json (r.out);
    json_object_remove_member (json_node_get_object (a), "algorithm");
  }
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "saliency", "wine", "--labels", labels, "--standardize", "--json", "--summaries-out", summaries,
         "--attributions-out", attributions, NULL);
    g_assert_cmpint (r.status, ==, 0);
    b = parse_json (r.out);
  }
  assert_json_equal (a, b, "$");

  g_assert_true (g_file_get_contents (summaries, &text, NULL, NULL));
  lines = g_strsplit (g_strchomp (text), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[0], ==, "cluster,size,share,summary");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&lines, g_strfreev);

  g_assert_true (g_file_get_contents (attributions, &text, NULL, NULL));
  lines = g_strsplit (g_strchomp (text), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 179);
  g_assert_true (g_str_has_prefix (lines[0], "row,cluster,"));
  g_clear_pointer (&lines, g_strfreev);

  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "saliency", "wine", "--labels", labels, "--standardize", "--csv", NULL);
    g_assert_cmpint (r.status, ==, 0);
    lines = g_strsplit (g_strchomp (r.out), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3 * 13);
    g_assert_true (g_str_has_prefix (lines[0], "cluster,feature,rank,size,effect_size,"));
  }
  g_remove (labels);
  g_remove (summaries);
  g_remove (attributions);
  g_rmdir (dir);
}

/* A labels file that names a row outside the dataset is refused with its file and line. */
static void
test_saliency_bad_labels (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-cli-XXXXXX", NULL);
  g_autofree char *labels = g_build_filename (dir, "labels.csv", NULL);
  g_auto (CliRun) r = { 0 };
  g_auto (CliRun) u = { 0 };
  g_auto (CliRun) v = { 0 };

  g_assert_true (g_file_set_contents (labels, "row,label\n0,1\n1,2\n150,1\n", -1, NULL));
  cli (&r, "saliency", "iris", "--labels", labels, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "labels.csv:4"));
  g_assert_nonnull (strstr (r.err, "150"));

  cli (&u, "saliency", "iris", "--labels", labels, "--algo", "kmeans", NULL);
  g_assert_cmpint (u.status, ==, 2);
  cli (&v, "saliency", "iris", "--algo", "kmeans", "--method", "magic", NULL);
  g_assert_cmpint (v.status, ==, 2);
  g_assert_nonnull (strstr (v.err, "magic"));
  g_remove (labels);
  g_rmdir (dir);
}

/* KernelSHAP maps of the clustering's own assignment, and descriptive clusters of the
 * label column: each descriptive cluster belongs to one class, k per class. */
static void
test_saliency_kernelshap_and_descriptive (void)
{
  g_autoptr (JsonNode) root = NULL;
  JsonArray *clusters;

  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "saliency", "iris", "--algo", "kmeans", "-p", "k=3", "--standardize", "--method", "kernelshap",
         "--samples", "64", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    root = parse_json (r.out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "method"), ==, "kernelshap");
    g_clear_pointer (&root, json_node_unref);
  }
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "saliency", "iris", "--descriptive", "2", "--standardize", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    root = parse_json (r.out);
    clusters = json_object_get_array_member (json_node_get_object (root), "clusters");
    g_assert_cmpuint (json_array_get_length (clusters), ==, 6);
    for (guint c = 0; c < 6; c++)
      {
        JsonObject *co = json_array_get_object_element (clusters, c);
        g_assert_cmpint (json_object_get_int_member (co, "class"), ==, c / 2);
        g_assert_nonnull (json_object_get_string_member (co, "class_name"));
      }
  }
}

/* The CLI with argv after `first`, its stdout sent to `target` by a shell ("/dev/full"). */
static void
cli_to (CliRun     *r,
        const char *target,
        const char *first,
        ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *script = g_strdup_printf ("exec \"$0\" \"$@\" > '%s'", target);
  va_list args;
  int wait_status = 0;

  g_ptr_array_add (argv, (char *) "/bin/sh");
  g_ptr_array_add (argv, (char *) "-c");
  g_ptr_array_add (argv, script);
  g_ptr_array_add (argv, (char *) g_getenv ("CS_CLI"));
  va_start (args, first);
  for (const char *a = first; a; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r->out, &r->err,
                               &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
}

/* A privacy budget that is not a finite positive number is refused before anything is
 * computed: NaN used to mean "not given" and released the exact surface, ∞ gave σ = 0. */
static void
test_density_privacy_not_finite_refused (void)
{
  const char *bad[] = { "nan", "NaN", "inf", "-inf", "-1", "0", "", "1e400", "abc" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto (CliRun) e = { 0 };
      g_auto (CliRun) d = { 0 };

      cli (&e, "density", "faithful", "--columns", "eruptions,waiting", "--grid", "8", "--json", "--epsilon", bad[i],
           NULL);
      g_assert_cmpint (e.status, ==, 2);
      g_assert_nonnull (strstr (e.err, "--epsilon must be a finite number > 0"));
      g_assert_cmpstr (e.out, ==, "");
      cli (&d, "density", "faithful", "--columns", "eruptions,waiting", "--grid", "8", "--json", "--epsilon", "1",
           "--delta", bad[i], NULL);
      g_assert_cmpint (d.status, ==, 2);
      g_assert_cmpstr (d.out, ==, "");
    }
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "density", "faithful", "--columns", "eruptions,waiting", "--delta", "1e-6", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--delta needs --epsilon"));
  }
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "generate", "blobs", "--noise", "nan", "--out", "/nonexistent/x.csv", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--noise"));
  }
}

/* A private density is a density: no negative cells, and the JSON says it is private. */
static void
test_density_private_not_negative (void)
{
  g_auto (CliRun) r = { 0 };
  g_autoptr (JsonNode) root = NULL;
  JsonArray *dens;

  cli (&r, "density", "faithful", "--columns", "eruptions,waiting", "--grid", "32", "--json", "--epsilon", "0.5",
       "--seed", "3", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_json (r.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "method"), ==, "private");
  dens = json_object_get_array_member (json_node_get_object (root), "density");
  for (guint i = 0; i < json_array_get_length (dens); i++)
    g_assert_cmpfloat (json_array_get_double_element (dens, i), >=, 0.0);
}

/* Output that cannot be written (a full disk, here /dev/full) is an error for every command
 * that prints, not a silent exit 0 with a cut file. */
static void
test_stdout_write_errors_exit_1 (void)
{
  const char *cases[][8] = {
    { "density", "faithful", "--columns", "eruptions,waiting", "--grid", "64", NULL },
    { "density", "faithful", "--columns", "eruptions,waiting", "--grid", "8", "--json", NULL },
    { "cluster", "iris", "--algo", "kmeans", "-p", "k=3", NULL },
    { "cluster", "iris", "--algo", "kmeans", "-p", "k=3", "--json", NULL },
    { "saliency", "iris", "--algo", "kmeans", "-p", "k=3", "--csv", NULL },
    { "saliency", "iris", "--algo", "kmeans", "-p", "k=3", NULL },
    { "kde-diagnostics", "iris", "--grid", "5", "--max-queries", "50", NULL },
    { "list", NULL },
    { "list", "--json", NULL },
    { "samples", NULL },
    { "--help", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (CliRun) r = { 0 };
      const char *const *a = cases[i];

      cli_to (&r, "/dev/full", a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], NULL);
      if (r.status != 1 || strstr (r.err, "standard output") == NULL)
        g_error ("%s %s: exit %d, stderr ‘%s’", a[0], a[1] ? a[1] : "", r.status, r.err);
    }
}

/* The same on a real full file system: a 1 MiB tmpfs in a private mount namespace (needs
 * root or user namespaces; skipped where neither is allowed). */
static void
test_stdout_full_tmpfs_exit_1 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-cli-XXXXXX", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *script = "mount -t tmpfs -o size=1m cs-test \"$0\" 2>/dev/null || exit 77; "
                       "\"$@\" > \"$0/grid.csv\"; s=$?; wc -c < \"$0/grid.csv\" >&2; exit $s";
  const char *argv[] = { "unshare", "-m", "--propagation", "private", "sh", "-c", script, dir,
                         g_getenv ("CS_CLI"), "density", "faithful", "--columns", "eruptions,waiting", "--grid",
                         "512", NULL };
  int wait_status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &wait_status, NULL)
      || !WIFEXITED (wait_status) || WEXITSTATUS (wait_status) == 77 || strstr (err, "unshare:") != NULL)
    {
      g_rmdir (dir);
      g_test_skip ("cannot mount a small tmpfs here (needs root or user namespaces)");
      return;
    }
  g_rmdir (dir);
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 1);
  g_assert_nonnull (strstr (err, "No space left on device"));
}

/* 2 for every usage or parameter error, also those only the algorithm can check (PAM's
 * init rows, the precomputed metric without a matrix, k above n); 1 for data errors. */
static void
test_parameter_errors_exit_2 (void)
{
  const char *cases[][8] = {
    { "cluster", "iris", "--algo", "pam", "-p", "init=foo", NULL },
    { "cluster", "iris", "--algo", "pam", "-p", "init=1,2", NULL },
    { "cluster", "iris", "--algo", "pam", "-p", "init=0,1,999", NULL },
    { "cluster", "iris", "--algo", "fasterpam", "-p", "metric=precomputed", NULL },
    { "cluster", "iris", "--algo", "kmeans", "-p", "k=500", NULL },
    { "cluster", "iris", "--algo", "clara", "-p", "k=500", NULL },
    { "cluster", "iris", "--algo", "kmeans", "--silhouette", "approximate", NULL },
    { "kde-diagnostics", "iris", "--bandwidth", "0", NULL },
    { "kde-diagnostics", "iris", "--bandwidth", "nan", NULL },
  };
  g_auto (CliRun) help = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (CliRun) r = { 0 };
      const char *const *a = cases[i];

      cli (&r, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], NULL);
      if (r.status != 2)
        g_error ("%s %s %s: exit %d, stderr ‘%s’", a[3], a[4], a[5], r.status, r.err);
    }
  cli (&help, "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "Exit status:"));
  g_assert_nonnull (strstr (help.out, "2  usage"));
}

/* The documented one-label-per-line form: 150 lines for 150 rows (no header) give the same
 * report as row,label; class names are labels too, with or without a header. */
static void
test_saliency_one_label_per_line (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-cli-XXXXXX", NULL);
  g_autofree char *pairs = g_build_filename (dir, "pairs.csv", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.txt", NULL);
  g_autofree char *names = g_build_filename (dir, "names.txt", NULL);
  g_autoptr (GString) p = g_string_new (NULL);
  g_autoptr (GString) t = g_string_new ("species\n");
  g_autoptr (JsonNode) a = NULL;
  g_autoptr (JsonNode) b = NULL;
  g_autoptr (JsonNode) c = NULL;
  static const char *const species[] = { "setosa", "versicolor", "virginica" };

  for (int i = 0; i < 150; i++)
    {
      g_string_append_printf (p, "%d\n", (i * 7) % 3);
      g_string_append_printf (t, "%s\n", species[i / 50]);
    }
  g_assert_true (g_file_set_contents (plain, p->str, -1, NULL));
  g_assert_true (g_file_set_contents (names, t->str, -1, NULL));
  g_string_assign (p, "row,label\n");
  for (int i = 0; i < 150; i++)
    g_string_append_printf (p, "%d,%d\n", i, (i * 7) % 3);
  g_assert_true (g_file_set_contents (pairs, p->str, -1, NULL));
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "saliency", "iris", "--labels", pairs, "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    a = parse_json (r.out);
  }
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "saliency", "iris", "--labels", plain, "--json", NULL);
    if (r.status != 0)
      g_error ("one label per line refused: %s", r.err);
    b = parse_json (r.out);
  }
  assert_json_equal (a, b, "$");
  {
    g_auto (CliRun) r = { 0 };
    JsonArray *clusters;

    cli (&r, "saliency", "iris", "--labels", names, "--json", NULL);
    if (r.status != 0)
      g_error ("class names refused: %s", r.err);
    c = parse_json (r.out);
    clusters = json_object_get_array_member (json_node_get_object (c), "clusters");
    g_assert_cmpuint (json_array_get_length (clusters), ==, 3);
    for (guint j = 0; j < 3; j++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (clusters, j), "size"), ==, 50);
  }
  g_remove (pairs);
  g_remove (plain);
  g_remove (names);
  g_rmdir (dir);
}

/* --silhouette exact scores every row even above the 5,000-row sample; the sampled value is
 * close to it. */
static void
test_cluster_silhouette_exact (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-cli-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (dir, "blobs.csv", NULL);
  g_autoptr (JsonNode) s = NULL;
  g_autoptr (JsonNode) e = NULL;
  JsonObject *so;
  JsonObject *eo;

  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "generate", "blobs", "-n", "6000", "--seed", "2", "--out", data, NULL);
    g_assert_cmpint (r.status, ==, 0);
  }
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "cluster", data, "--algo", "kmeans", "-p", "k=3", "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    s = parse_json (r.out);
  }
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "cluster", data, "--algo", "kmeans", "-p", "k=3", "--json", "--silhouette", "exact", NULL);
    g_assert_cmpint (r.status, ==, 0);
    e = parse_json (r.out);
  }
  so = json_node_get_object (s);
  eo = json_node_get_object (e);
  g_assert_true (json_object_get_boolean_member (so, "silhouette_sampled"));
  g_assert_false (json_object_get_boolean_member (eo, "silhouette_sampled"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (so, "silhouette"),
                                  json_object_get_double_member (eo, "silhouette"), 0.02);
  g_remove (data);
  g_rmdir (dir);
}

/* Issue 9 item 4: the CLI scales as the window does (standardise when the spreads differ more
 * than tenfold), records the scaling used, and --scaling none turns it off. */
static void
test_cluster_auto_scaling (void)
{
  g_auto (CliRun) a = { 0 };
  g_auto (CliRun) n = { 0 };
  g_auto (CliRun) bad = { 0 };
  g_auto (CliRun) img = { 0 };
  g_autoptr (JsonNode) ja = NULL;
  g_autoptr (JsonNode) jn = NULL;
  g_autoptr (JsonNode) ji = NULL;
  JsonObject *oa;
  JsonObject *on;

  cli (&a, "cluster", "wine", "--algo", "kmeans", "-p", "k=3", "--json", NULL);
  g_assert_cmpint (a.status, ==, 0);
  ja = parse_json (a.out);
  oa = json_node_get_object (ja);
  g_assert_cmpstr (json_object_get_string_member (oa, "scaling"), ==, "standardize");
  g_assert_nonnull (strstr (json_object_get_string_member (oa, "scaling_notice"), "proline"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (oa, "ari"), 0.897, 0.01);

  cli (&n, "cluster", "wine", "--algo", "kmeans", "-p", "k=3", "--scaling", "none", "--json", NULL);
  g_assert_cmpint (n.status, ==, 0);
  jn = parse_json (n.out);
  on = json_node_get_object (jn);
  g_assert_cmpstr (json_object_get_string_member (on, "scaling"), ==, "none");
  g_assert_false (json_object_has_member (on, "scaling_notice"));
  g_assert_cmpfloat (json_object_get_double_member (on, "ari"), <, 0.5);

  /* Pixels keep their common unit under automatic scaling. */
  cli (&img, "cluster", "digits", "--algo", "kmeans", "-p", "k=10", "--json", NULL);
  g_assert_cmpint (img.status, ==, 0);
  ji = parse_json (img.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ji), "scaling"), ==, "none");
  g_assert_false (json_object_has_member (json_node_get_object (ji), "scaling_notice"));

  cli (&bad, "cluster", "wine", "--algo", "kmeans", "--scaling", "sideways", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "sideways"));
}

/* Values near 1e308: refused with the real cause (not "sizes 6 0 0" with exit 0, nor "the
 * columns are constant"); standardized, the same data cluster normally. */
static void
test_overflow_refused_or_rescaled (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-cli-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (dir, "big.csv", NULL);
  g_auto (CliRun) raw = { 0 };
  g_auto (CliRun) density = { 0 };
  g_auto (CliRun) scaled = { 0 };
  g_autoptr (JsonNode) root = NULL;
  JsonArray *sizes;

  g_assert_true (g_file_set_contents (data, "x,y\n1e308,1\n-1e308,2\n1e308,3\n-1e308,4\n1.5e308,5\n-1.7e308,6\n",
                                      -1, NULL));
  /* Raw units asked for: automatic scaling would standardise these columns. */
  cli (&raw, "cluster", data, "--algo", "kmeans", "-p", "k=3", "--scaling", "none", "--no-metrics", NULL);
  g_assert_cmpint (raw.status, ==, 1);
  g_assert_nonnull (strstr (raw.err, "‘x’ has values as large as -1.7e+308 (row 6"));
  g_assert_nonnull (strstr (raw.err, "overflow"));
  cli (&density, "density", data, "--columns", "x,y", NULL);
  g_assert_cmpint (density.status, ==, 1);
  g_assert_nonnull (strstr (density.err, "too large for a density"));
  cli (&scaled, "cluster", data, "--algo", "kmeans", "-p", "k=3", "--standardize", "--json", NULL);
  g_assert_cmpint (scaled.status, ==, 0);
  root = parse_json (scaled.out);
  g_assert_true (isfinite (json_object_get_double_member (json_node_get_object (root), "objective")));
  sizes = json_object_get_array_member (json_node_get_object (root), "sizes");
  for (guint j = 0; j < 3; j++)
    g_assert_cmpint (json_array_get_int_element (sizes, j), ==, 2);
  g_remove (data);
  g_rmdir (dir);
}

/* Identical rows: density (by a rule), mean shift and the diagnostics refuse them alike,
 * with exit 1 and the cause; a given bandwidth still draws the density. */
static void
test_identical_rows_refused_alike (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-cli-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (dir, "same.csv", NULL);
  g_autoptr (GString) text = g_string_new ("x,y\n");
  g_auto (CliRun) d = { 0 };
  g_auto (CliRun) m = { 0 };
  g_auto (CliRun) k = { 0 };
  g_auto (CliRun) given = { 0 };

  for (int i = 0; i < 20; i++)
    g_string_append (text, "0.1,0.3\n");
  g_assert_true (g_file_set_contents (data, text->str, -1, NULL));
  cli (&d, "density", data, "--columns", "x,y", "--json", NULL);
  cli (&m, "cluster", data, "--algo", "meanshift", NULL);
  cli (&k, "kde-diagnostics", data, NULL);
  cli (&given, "density", data, "--columns", "x,y", "--bandwidth", "0.5", "--grid", "16", NULL);
  g_assert_cmpint (d.status, ==, 1);
  g_assert_nonnull (strstr (d.err, "does not vary"));
  g_assert_cmpint (m.status, ==, 1);
  g_assert_nonnull (strstr (m.err, "same point"));
  g_assert_cmpint (k.status, ==, 1);
  g_assert_nonnull (strstr (k.err, "same point"));
  g_assert_cmpint (given.status, ==, 0);
  g_remove (data);
  g_rmdir (dir);
}

/* Mean shift with bandwidth=0 reports the bandwidth Scott's rule chose, not 0. */
static void
test_meanshift_json_bandwidth (void)
{
  g_auto (CliRun) r = { 0 };
  g_autoptr (JsonNode) root = NULL;
  JsonObject *params;

  cli (&r, "cluster", "iris", "--algo", "meanshift", "--standardize", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_json (r.out);
  params = json_object_get_object_member (json_node_get_object (root), "params");
  g_assert_cmpfloat (json_object_get_double_member (params, "bandwidth"), >, 0.1);
}

/* DBSCAN from the command line: -p eps= and min_samples= reach the algorithm; the JSON has noise
 * as -1, the core / border / noise counts and every row's kind. Row 0 is within eps of both
 * clusters' cores and joins the first (whose core, row 1, comes first), as scikit-learn's does. */
static void
test_dbscan_json (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-cli-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (dir, "cross.csv", NULL);
  static const int want[] = { 0, 0, 0, 0, 0, 1, 1, 1, 1, -1 };
  static const char *const kinds[] = { "border", "core", "border", "border", "border",
                                       "core", "border", "border", "border", "noise" };
  g_auto (CliRun) r = { 0 };
  g_auto (CliRun) bad = { 0 };
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o;
  JsonArray  *labels;
  JsonArray  *point_kinds;

  g_assert_true (g_file_set_contents (data, "x,y\n1,0\n2,0\n2,1\n2,-1\n3,0\n0,0\n0,1\n0,-1\n-1,0\n10,10\n",
                                      -1, NULL));
  cli (&r, "cluster", data, "--algo", "dbscan", "-p", "eps=1", "-p", "min_samples=4", "--scaling", "none", "--json",
       NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_json (r.out);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "algorithm"), ==, "dbscan");
  g_assert_cmpint (json_object_get_int_member (o, "k"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (o, "params"), "eps"), ==, 1.0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "params"), "min_samples"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (o, "core"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "border"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (o, "noise"), ==, 1);
  labels = json_object_get_array_member (o, "labels");
  point_kinds = json_object_get_array_member (o, "point_kinds");
  g_assert_cmpuint (json_array_get_length (labels), ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      g_assert_cmpint (json_array_get_int_element (labels, i), ==, want[i]);
      g_assert_cmpstr (json_array_get_string_element (point_kinds, i), ==, kinds[i]);
    }
  cli (&bad, "cluster", data, "--algo", "dbscan", "-p", "eps=-1", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "eps"));
  g_remove (data);
  g_rmdir (dir);
}

/* Issue 12: agglomerative clustering's JSON carries the linkage matrix as SciPy writes it
 * (here single linkage on five points of a line, checked against scipy.cluster.hierarchy.linkage),
 * `render --view dendrogram` draws it, and the view refuses other algorithms as a usage error. */
static void
test_agglomerative_json_and_dendrogram (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-cli-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (dir, "line.csv", NULL);
  g_autofree char *png = g_build_filename (dir, "tree.png", NULL);
  static const double want[4][4] = { { 0, 1, 1, 2 }, { 2, 5, 2, 3 }, { 3, 6, 4, 4 }, { 4, 7, 8, 5 } };
  static const int    labels_want[] = { 0, 0, 0, 0, 1 };
  g_auto (CliRun) r = { 0 };
  g_auto (CliRun) fig = { 0 };
  g_auto (CliRun) bad = { 0 };
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *head = NULL;
  gsize            len = 0;
  JsonObject *o;
  JsonArray  *merges;
  JsonArray  *labels;

  g_assert_true (g_file_set_contents (data, "x\n0\n1\n3\n7\n15\n", -1, NULL));
  cli (&r, "cluster", data, "--algo", "agglomerative", "-p", "linkage=single", "-p", "k=2", "--scaling", "none",
       "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = parse_json (r.out);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "algorithm"), ==, "agglomerative");
  g_assert_cmpint (json_object_get_int_member (o, "k"), ==, 2);
  merges = json_object_get_array_member (o, "merges");
  g_assert_cmpuint (json_array_get_length (merges), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      JsonArray *row = json_array_get_array_element (merges, i);
      g_assert_cmpuint (json_array_get_length (row), ==, 4);
      for (guint j = 0; j < 4; j++)
        g_assert_cmpfloat (json_node_get_double (json_array_get_element (row, j)), ==, want[i][j]);
    }
  labels = json_object_get_array_member (o, "labels");
  for (guint i = 0; i < G_N_ELEMENTS (labels_want); i++)
    g_assert_cmpint (json_array_get_int_element (labels, i), ==, labels_want[i]);

  cli (&fig, "render", data, "--algo", "agglomerative", "-p", "linkage=single", "-p", "height=3", "--view",
       "dendrogram", "--out", png, NULL);
  g_assert_cmpint (fig.status, ==, 0);
  g_assert_true (g_file_get_contents (png, &head, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  g_assert_cmpmem (head, 8, "\x89PNG\r\n\x1a\n", 8);

  cli (&bad, "render", data, "--algo", "kmeans", "--view", "dendrogram", "--out", png, NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "agglomerative"));
  g_remove (png);
  g_remove (data);
  g_rmdir (dir);
}

/* A reader that goes away early (`| head`) is an output error too: exit 1 and a message,
 * not a silent success and not death by SIGPIPE. */
static void
test_stdout_closed_pipe_exit_1 (void)
{
  const char *argv[] = { g_getenv ("CS_CLI"), "density", "faithful", "--columns", "eruptions,waiting", "--grid",
                         "256", NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  GPid pid;
  int out_fd = -1;
  int err_fd = -1;
  int status = 0;
  char buf[4096];
  gssize got;
  g_autoptr (GString) text = g_string_new (NULL);

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                           NULL, &out_fd, &err_fd, &error));
  g_assert_no_error (error);
  close (out_fd);
  while ((got = read (err_fd, buf, sizeof buf)) > 0)
    g_string_append_len (text, buf, got);
  close (err_fd);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (text->str, "Broken pipe"));
}

/* Effect sizes that round to zero print as +0.000, never "-0.000" beside real signs. */
static void
test_saliency_text_no_minus_zero (void)
{
  g_auto (CliRun) r = { 0 };

  cli (&r, "saliency", "wine", "--algo", "kmeans", "-p", "k=4", "--scaling", "none", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "effect"));
  g_assert_false (g_regex_match_simple ("-0\\.000(?![0-9])", r.out, 0, 0));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/cluster/golden-iris-kmeans", test_cluster_golden);
  g_test_add_func ("/cli/list/json-has-kmeans-params", test_list_json);
  g_test_add_func ("/cli/cluster/dynmsc-json-medoids-by-k", test_dynmsc_json_medoids_by_k);
  g_test_add_func ("/cli/usage-errors-exit-2", test_usage_errors_exit_2);
  g_test_add_func ("/cli/bad-csv-exit-1-names-position", test_bad_csv_exit_1_names_position);
  g_test_add_func ("/cli/render/writes-png-svg-pdf", test_render_writes_figures);
  g_test_add_func ("/cli/labels-out-and-generate-round-trip", test_labels_out_and_generate_round_trip);
  g_test_add_func ("/cli/cluster/precomputed-distances", test_cluster_precomputed_distances);
  g_test_add_func ("/cli/density/private-epsilon-delta", test_density_private);
  g_test_add_func ("/cli/density/csv-header-rows-and-json", test_density_csv_and_json);
  g_test_add_func ("/cli/render/density-png-svg", test_render_density);
  g_test_add_func ("/cli/kde-diagnostics/json-matches-core", test_kde_diagnostics_json);
  g_test_add_func ("/cli/saliency/json-shape", test_saliency_json_shape);
  g_test_add_func ("/cli/saliency/labels-file-round-trip", test_saliency_labels_file_round_trip);
  g_test_add_func ("/cli/saliency/bad-labels-file-line", test_saliency_bad_labels);
  g_test_add_func ("/cli/saliency/kernelshap-and-descriptive", test_saliency_kernelshap_and_descriptive);
  g_test_add_func ("/cli/density/privacy-not-finite-refused", test_density_privacy_not_finite_refused);
  g_test_add_func ("/cli/density/private-not-negative", test_density_private_not_negative);
  g_test_add_func ("/cli/stdout-write-errors-exit-1", test_stdout_write_errors_exit_1);
  g_test_add_func ("/cli/stdout-full-tmpfs-exit-1", test_stdout_full_tmpfs_exit_1);
  g_test_add_func ("/cli/stdout-closed-pipe-exit-1", test_stdout_closed_pipe_exit_1);
  g_test_add_func ("/cli/parameter-errors-exit-2", test_parameter_errors_exit_2);
  g_test_add_func ("/cli/saliency/one-label-per-line", test_saliency_one_label_per_line);
  g_test_add_func ("/cli/cluster/silhouette-exact", test_cluster_silhouette_exact);
  g_test_add_func ("/cli/cluster/auto-scaling", test_cluster_auto_scaling);
  g_test_add_func ("/cli/cluster/overflow-refused-or-rescaled", test_overflow_refused_or_rescaled);
  g_test_add_func ("/cli/identical-rows-refused-alike", test_identical_rows_refused_alike);
  g_test_add_func ("/cli/cluster/meanshift-json-bandwidth", test_meanshift_json_bandwidth);
  g_test_add_func ("/cli/cluster/dbscan-json", test_dbscan_json);
  g_test_add_func ("/cli/saliency/text-no-minus-zero", test_saliency_text_no_minus_zero);
  g_test_add_func ("/cli/cluster/agglomerative-merges-and-dendrogram", test_agglomerative_json_and_dendrogram);
  return g_test_run ();
}
