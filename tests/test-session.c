/* Session files: a round trip keeps everything, a changed data file is noticed, hostile files
 * are refused with a message naming the file and the place, and the CLI command derived from a
 * session reproduces its labels. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "core/base/cs-error.h"
#include "core/cluster/cs-pipeline.h"
#include "core/cluster/cs-result-io.h"
#include "core/data/cs-load.h"
#include "core/data/cs-samples.h"
#include "core/session/cs-session.h"

static char *
temp_path (const char *name)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-session-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

/* k-means with k = 3 and a seed on wine's first five columns, standardised. */
static CsPipelineResult *
run_wine (const CsDataset *ds,
          const int       *columns,
          gsize            n_columns)
{
  const CsAlgorithm *algo = cs_registry_lookup ("kmeans");
  g_autoptr (CsParams) params = cs_params_new (algo);
  CsPipelineOptions o;
  g_autoptr (GError) error = NULL;
  CsPipelineResult *r;

  g_assert_true (cs_params_set (params, "k", "3", NULL));
  g_assert_true (cs_params_set (params, "seed", "7", NULL));
  g_assert_true (cs_params_set (params, "n_init", "2", NULL));
  cs_pipeline_options_init (&o);
  o.algorithm = algo;
  o.params = params;
  o.prepare.columns = columns;
  o.prepare.n_columns = n_columns;
  o.prepare.scaling = CS_SCALE_STANDARDIZE;
  o.silhouette_sample = 0;
  r = cs_pipeline_run (ds, &o, NULL, &error);
  g_assert_no_error (error);
  return r;
}

static void
assert_runs_equal (const CsSessionRun *a,
                   const CsSessionRun *b)
{
  g_assert_cmpstr (a->algorithm, ==, b->algorithm);
  g_assert_cmpstr (a->title, ==, b->title);
  g_assert_cmpuint (a->n, ==, b->n);
  g_assert_cmpuint (a->k, ==, b->k);
  g_assert_cmpmem (a->labels, a->n * sizeof (int), b->labels, b->n * sizeof (int));
  g_assert_true ((a->params == NULL) == (b->params == NULL));
  for (gsize i = 0; a->params != NULL && (a->params[i] != NULL || b->params[i] != NULL); i++)
    g_assert_cmpstr (a->params[i], ==, b->params[i]);
  g_assert_true ((a->centers == NULL) == (b->centers == NULL));
  if (a->centers != NULL)
    {
      g_assert_cmpuint (a->centers->rows, ==, b->centers->rows);
      g_assert_cmpuint (a->centers->cols, ==, b->centers->cols);
      /* Shortest round-trip formatting: bit-identical. */
      g_assert_cmpmem (a->centers->data, a->centers->rows * a->centers->cols * sizeof (double), b->centers->data,
                       b->centers->rows * b->centers->cols * sizeof (double));
    }
  g_assert_true ((a->medoids == NULL) == (b->medoids == NULL));
  if (a->medoids != NULL)
    g_assert_cmpmem (a->medoids, a->k * sizeof (gsize), b->medoids, b->k * sizeof (gsize));
  g_assert_true (isnan (a->objective) ? isnan (b->objective) : a->objective == b->objective);
}

static void
test_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("wine", &error);
  g_autoptr (CsPipelineResult) r = NULL;
  g_autoptr (CsSession) s = cs_session_new ();
  g_autoptr (CsSession) back = NULL;
  g_autoptr (CsSession) again = NULL;
  g_autofree char *path = temp_path ("a.clusterscope");
  g_autofree char *path2 = temp_path ("b.clusterscope");
  g_autofree char *bytes1 = NULL;
  g_autofree char *bytes2 = NULL;
  gsize len1 = 0;
  gsize len2 = 0;
  CsSessionRun *kept;

  g_assert_no_error (error);
  r = run_wine (ds, NULL, 0);
  s->sample = g_strdup ("wine");
  s->scaling = CS_SCALE_STANDARDIZE;
  s->missing = CS_MISSING_MEAN;
  s->label_column = g_strdup ("");
  s->columns = g_strsplit ("alcohol,malic_acid", ",", -1);
  s->bad_cells = g_strdup ("missing");
  s->current = cs_session_run_from_clustering (r->clustering);
  s->current->title = g_strdup ("k-means, k = 3");
  kept = cs_session_run_new ("labels", 4, 2, (int[]) { 0, 1, -1, 1 });
  kept->medoids = g_memdup2 ((gsize[]) { 0, 3 }, 2 * sizeof (gsize));
  g_ptr_array_add (s->kept, kept);
  s->view = g_strdup ("scatter");
  g_hash_table_insert (s->settings, g_strdup ("scatter.x"), g_strdup ("alcohol"));
  g_hash_table_insert (s->settings, g_strdup ("density.bandwidth"), g_strdup ("1.5"));

  g_assert_true (cs_session_save (s, path, &error));
  g_assert_no_error (error);
  back = cs_session_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);

  g_assert_cmpuint (back->version, ==, CS_SESSION_VERSION);
  g_assert_cmpstr (back->sample, ==, "wine");
  g_assert_null (back->data_path);
  g_assert_null (back->embedded);
  g_assert_cmpint (back->scaling, ==, CS_SCALE_STANDARDIZE);
  g_assert_cmpint (back->missing, ==, CS_MISSING_MEAN);
  g_assert_cmpstr (back->label_column, ==, "");
  g_assert_cmpstr (back->bad_cells, ==, "missing");
  g_assert_cmpuint (g_strv_length (back->columns), ==, 2);
  g_assert_cmpstr (back->columns[1], ==, "malic_acid");
  assert_runs_equal (s->current, back->current);
  g_assert_cmpuint (back->kept->len, ==, 1);
  assert_runs_equal (kept, g_ptr_array_index (back->kept, 0));
  g_assert_cmpstr (back->view, ==, "scatter");
  g_assert_cmpuint (g_hash_table_size (back->settings), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (back->settings, "density.bandwidth"), ==, "1.5");

  /* Saving what was read gives the same bytes. */
  g_assert_true (cs_session_save (back, path2, &error));
  g_assert_true (g_file_get_contents (path, &bytes1, &len1, NULL));
  g_assert_true (g_file_get_contents (path2, &bytes2, &len2, NULL));
  g_assert_cmpmem (bytes1, len1, bytes2, len2);

  again = cs_session_load_data (bytes2, len2, "b.clusterscope", &error);
  g_assert_no_error (error);
  assert_runs_equal (back->current, again->current);
}

static void
test_embedded (void)
{
  g_autoptr (CsDataset) ds = cs_dataset_new ("Drawing", 3);
  g_autoptr (CsSession) s = cs_session_new ();
  g_autoptr (CsSession) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = temp_path ("drawn.clusterscope");
  g_autofree char *why = NULL;
  double *x = g_new (double, 3);
  double *y = g_new (double, 3);
  const CsColumn *c;

  x[0] = 0.1;
  x[1] = NAN;
  x[2] = -1e300;
  y[0] = 1.0 / 3.0;
  y[1] = 2.0;
  y[2] = 5e-324;
  cs_dataset_add_numeric (ds, "x", x);
  cs_dataset_add_numeric (ds, "y", y);
  cs_dataset_add_categorical (ds, "class", (int[]) { 1, -1, 0 }, (const char *const[]) { "a", "b" }, 2);
  ds->label_column = 2;
  s->embedded = cs_dataset_ref (ds);
  s->current = cs_session_run_new ("kmeans", 2, 2, (int[]) { 0, 1 });

  g_assert_true (cs_session_save (s, path, &error));
  back = cs_session_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back->embedded);
  g_assert_cmpstr (back->embedded->name, ==, "Drawing");
  g_assert_cmpuint (back->embedded->n_rows, ==, 3);
  g_assert_cmpint (back->embedded->label_column, ==, 2);
  c = cs_dataset_column (back->embedded, 0);
  g_assert_cmpfloat (c->values[0], ==, 0.1);
  g_assert_true (isnan (c->values[1]));
  g_assert_cmpfloat (c->values[2], ==, -1e300);
  c = cs_dataset_column (back->embedded, 1);
  g_assert_cmpfloat (c->values[0], ==, 1.0 / 3.0);
  g_assert_cmpfloat (c->values[2], ==, 5e-324);
  c = cs_dataset_column (back->embedded, 2);
  g_assert_cmpint (c->kind, ==, CS_COLUMN_CATEGORICAL);
  g_assert_cmpfloat (c->values[0], ==, 1.0);
  g_assert_true (isnan (c->values[1]));
  g_assert_cmpstr (g_ptr_array_index (c->levels, 1), ==, "b");

  /* Drawn data has no file a command could read. */
  g_assert_null (cs_session_to_command (back, "clusterscope-cli", &why));
  g_assert_nonnull (strstr (why, "CSV"));
}

static void
test_changed_data (void)
{
  g_autofree char *data = temp_path ("points.csv");
  g_autoptr (CsSession) s = cs_session_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *same = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *gone = NULL;

  g_assert_true (g_file_set_contents (data, "x,y\n1,2\n3,4\n", -1, NULL));
  s->data_path = g_strdup (data);
  s->data_hash = cs_session_hash_file (data, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (s->data_hash, "sha256:"));
  g_assert_cmpuint (strlen (s->data_hash), ==, 7 + 64);

  same = cs_session_check_data (s);
  g_assert_null (same);

  g_assert_true (g_file_set_contents (data, "x,y\n1,2\n3,5\n", -1, NULL));
  changed = cs_session_check_data (s);
  g_assert_nonnull (changed);
  g_assert_nonnull (strstr (changed, "points.csv"));
  g_assert_nonnull (strstr (changed, "changed"));

  g_assert_cmpint (g_unlink (data), ==, 0);
  gone = cs_session_check_data (s);
  g_assert_nonnull (gone);
  g_assert_nonnull (strstr (gone, "cannot be read"));
}

#define GOOD                                                                                                   \
  "{\"format\":\"clusterscope-session\",\"version\":1,\"data\":{\"sample\":\"iris\"},"                         \
  "\"prepare\":{\"scaling\":\"auto\",\"missing\":\"drop\"},"                                                   \
  "\"current\":{\"algorithm\":\"kmeans\",\"params\":[\"k=2\"],\"n\":4,\"k\":2,\"labels\":[0,1,1,-1],"           \
  "\"centers\":[[1,2],[3,4]],\"medoids\":[0,3]},\"selection\":[0,2,5]}"

static void
expect_refused (const char *text,
                const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsSession) s = cs_session_load_data (text, strlen (text), "bad.clusterscope", &error);

  g_assert_null (s);
  g_assert_error (error, CS_ERROR, CS_ERROR_PARSE);
  if (strstr (error->message, "bad.clusterscope") == NULL || strstr (error->message, fragment) == NULL)
    g_error ("message ‘%s’ lacks the file or ‘%s’", error->message, fragment);
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto (GStrv) parts = g_strsplit (text, from, 2);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  return g_strconcat (parts[0], to, parts[1], NULL);
}

static void
test_hostile (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsSession) ok = cs_session_load_data (GOOD, strlen (GOOD), "good.clusterscope", &error);
  g_autoptr (GString) deep = g_string_new ("{\"format\":");
  struct
  {
    const char *from;
    const char *to;
    const char *fragment;
  } edits[] = {
    { "\"labels\":[0,1,1,-1]", "\"labels\":[0,1,2,-1]", "current.labels[2]" },
    { "\"labels\":[0,1,1,-1]", "\"labels\":[0,1,1]", "3 entries for n = 4" },
    { "\"labels\":[0,1,1,-1]", "\"labels\":[0,1,1.5,-1]", "current.labels[2]" },
    { "\"medoids\":[0,3]", "\"medoids\":[0,4]", "current.medoids[1]" },
    { "\"centers\":[[1,2],[3,4]]", "\"centers\":[[1,2],[3]]", "current.centers[1]" },
    { "\"centers\":[[1,2],[3,4]]", "\"centers\":[[1,2]]", "1 rows for k = 2" },
    { "\"n\":4", "\"n\":-4", "current.n" },
    { "\"k\":2", "\"k\":9", "current.k" },
    { "\"version\":1", "\"version\":99", "newer Clusterscope" },
    { "\"version\":1", "\"version\":\"1\"", "‘version’ should be a whole number" },
    { "clusterscope-session", "something-else", "not a Clusterscope session" },
    { "{\"sample\":\"iris\"}", "{\"sample\":\"iris\",\"path\":\"/x.csv\"}", "exactly one" },
    { "{\"sample\":\"iris\"}", "{\"path\":\"x.csv\"}", "absolute path" },
    { "\"scaling\":\"auto\"", "\"scaling\":\"loud\"", "prepare.scaling" },
    { "\"missing\":\"drop\"", "\"missing\":7", "prepare.missing" },
    { "\"params\":[\"k=2\"]", "\"params\":[\"k\"]", "name=value" },
    { "\"algorithm\":\"kmeans\"", "\"algorithm\":\"\"", "current.algorithm" },
    { "\"selection\":[0,2,5]", "\"selection\":[0,5,2]", "‘selection[2]’ should be greater" },
    { "\"selection\":[0,2,5]", "\"selection\":[0,2,2]", "selection[2]" },
    { "\"selection\":[0,2,5]", "\"selection\":[0,-2]", "‘selection[1]’ should be a row number" },
    { "\"selection\":[0,2,5]", "\"selection\":[0,\"2\"]", "selection[1]" },
    { "\"selection\":[0,2,5]", "\"selection\":[0,2.5]", "selection[1]" },
    { "\"selection\":[0,2,5]", "\"selection\":{\"0\":1}", "‘selection’ should be a list" },
    { "\"selection\":[0,2,5]", "\"selection\":[0,99999999999]", "selection[1]" },
    { "{\"sample\":\"iris\"}", "{\"sample\":\"iris\",\"dataset\":\"/X\"}", "data.dataset" },
    { "{\"sample\":\"iris\"}", "{\"path\":\"/x.h5\",\"dataset\":\"X\"}", "data.dataset" },
    { "{\"sample\":\"iris\"}", "{\"path\":\"/x.h5\",\"dataset\":7}", "‘data.dataset’ should be text" },
  };

  g_assert_no_error (error);
  g_assert_nonnull (ok);
  g_assert_cmpint (ok->current->labels[3], ==, -1);
  g_assert_cmpuint (ok->n_selection, ==, 3);
  g_assert_cmpuint (ok->selection[2], ==, 5);

  for (gsize i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autofree char *text = replace (GOOD, edits[i].from, edits[i].to);
      expect_refused (text, edits[i].fragment);
    }

  expect_refused ("{\"format\": \"clusterscope-session\",\n  \"version\": 1,,}", "line 2, column 15: unexpected character");
  expect_refused ("[1,2,3]", "expected a JSON object");
  expect_refused ("", "not a Clusterscope session");
  expect_refused ("{\"format\":\"clusterscope-session\",\"version\":1,\"data\":{\"sample\":\"\xff\"}}", "not UTF-8");

  /* Nesting deep enough to exhaust a recursive parser's stack is refused before parsing. */
  for (int i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  expect_refused (deep->str, "nested more than");

  /* Every prefix of a valid file is refused or read, never a crash. */
  for (gsize len = 0; len < strlen (GOOD); len++)
    {
      g_autoptr (GError) e = NULL;
      g_autoptr (CsSession) s = cs_session_load_data (GOOD, len, "cut.clusterscope", &e);
      g_assert_null (s);
      g_assert_nonnull (e);
    }
}

/* Reopening gives the saved result and the same scores, without running the algorithm. */
static void
test_restore (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("iris", &error);
  g_autoptr (CsDataset) fewer = NULL;
  const CsAlgorithm *algo = cs_registry_lookup ("fasterpam");
  g_autoptr (CsParams) params = cs_params_new (algo);
  g_autoptr (CsPipelineResult) r = NULL;
  g_autoptr (CsPipelineResult) back = NULL;
  g_autoptr (CsPipelineResult) none = NULL;
  g_autoptr (CsSession) s = cs_session_new ();
  g_autoptr (CsSession) loaded = NULL;
  g_autofree char *path = temp_path ("iris.clusterscope");
  CsPipelineOptions o;
  const CsClustering *a;
  const CsClustering *b;

  g_assert_no_error (error);
  g_assert_true (cs_params_set (params, "k", "3", NULL));
  cs_pipeline_options_init (&o);
  o.algorithm = algo;
  o.params = params;
  o.silhouette_sample = 1000;
  o.internal_metrics = TRUE;
  r = cs_pipeline_run (ds, &o, NULL, &error);
  g_assert_no_error (error);
  s->sample = g_strdup ("iris");
  s->current = cs_session_run_from_clustering (r->clustering);
  g_assert_true (cs_session_save (s, path, &error));
  loaded = cs_session_load (path, &error);
  g_assert_no_error (error);

  o.params = NULL;
  back = cs_session_restore (loaded->current, ds, &o, NULL, &error);
  g_assert_no_error (error);
  a = r->clustering;
  b = back->clustering;
  g_assert_cmpstr (b->algorithm, ==, "fasterpam");
  g_assert_cmpint (cs_params_get_int (b->params, "k"), ==, 3);
  g_assert_cmpuint (b->k, ==, a->k);
  g_assert_cmpmem (b->labels, b->n * sizeof (int), a->labels, a->n * sizeof (int));
  g_assert_cmpmem (b->medoids, b->k * sizeof (gsize), a->medoids, a->k * sizeof (gsize));
  g_assert_cmpfloat (b->objective, ==, a->objective);
  g_assert_cmpint (b->objective_kind, ==, CS_OBJECTIVE_LOSS);
  g_assert_cmpfloat (back->silhouette, ==, r->silhouette);
  g_assert_cmpfloat (back->medoid_silhouette, ==, r->medoid_silhouette);
  g_assert_cmpfloat (back->ari, ==, r->ari);
  g_assert_cmpfloat (back->calinski_harabasz, ==, r->calinski_harabasz);

  /* Data with other rows: refused, saying why. */
  fewer = cs_dataset_new ("fewer", 10);
  for (gsize c = 0; c < 4; c++)
    cs_dataset_add_numeric (fewer, cs_dataset_column (ds, c)->name, g_memdup2 (cs_dataset_column (ds, c)->values, 10 * sizeof (double)));
  none = cs_session_restore (loaded->current, fewer, &o, NULL, &error);
  g_assert_null (none);
  g_assert_nonnull (strstr (error->message, "150 rows"));
}

/* A hierarchical run keeps its tree, so the dendrogram and other cuts work after reopening. */
static void
test_merges (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("iris", &error);
  const CsAlgorithm *algo = cs_registry_lookup ("agglomerative");
  g_autoptr (CsParams) params = cs_params_new (algo);
  g_autoptr (CsPipelineResult) r = NULL;
  g_autoptr (CsPipelineResult) back = NULL;
  g_autoptr (CsSession) s = cs_session_new ();
  g_autoptr (CsSession) loaded = NULL;
  g_autofree char *path = temp_path ("ward.clusterscope");
  g_autofree char *text = NULL;
  g_autofree char *bad = NULL;
  CsPipelineOptions o;

  g_assert_no_error (error);
  g_assert_true (cs_params_set (params, "k", "3", NULL));
  cs_pipeline_options_init (&o);
  o.algorithm = algo;
  o.params = params;
  o.silhouette_sample = 0;
  r = cs_pipeline_run (ds, &o, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r->clustering->merges);
  s->sample = g_strdup ("iris");
  s->current = cs_session_run_from_clustering (r->clustering);
  g_assert_true (cs_session_save (s, path, &error));
  loaded = cs_session_load (path, &error);
  g_assert_no_error (error);
  back = cs_session_restore (loaded->current, ds, &o, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (back->clustering->merges, (r->clustering->n - 1) * 4 * sizeof (double), r->clustering->merges,
                   (r->clustering->n - 1) * 4 * sizeof (double));

  /* A linkage entry naming a cluster that cannot exist is refused. */
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  bad = replace (text, "\"merges\" : [\n", "\"merges\" : [\n      999,\n");
  {
    g_autoptr (GError) e = NULL;
    g_autoptr (CsSession) none = cs_session_load_data (bad, strlen (bad), "bad.clusterscope", &e);
    g_assert_null (none);
    g_assert_nonnull (e);
  }
}

/* The command copied from a session gives the session's labels when run. */
static void
test_command (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("wine", &error);
  const int columns[] = { 0, 1, 2, 3, 4 };
  g_autoptr (CsPipelineResult) r = NULL;
  g_autoptr (CsSession) s = cs_session_new ();
  g_autofree char *cmd = NULL;
  g_autofree char *why = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GString) names = g_string_new (NULL);
  JsonArray *labels;
  int status = 0;

  g_assert_no_error (error);
  r = run_wine (ds, columns, G_N_ELEMENTS (columns));
  s->sample = g_strdup ("wine");
  s->scaling = CS_SCALE_STANDARDIZE;
  s->columns = g_new0 (char *, G_N_ELEMENTS (columns) + 1);
  for (gsize i = 0; i < G_N_ELEMENTS (columns); i++)
    s->columns[i] = g_strdup (cs_dataset_column (ds, columns[i])->name);
  s->current = cs_session_run_from_clustering (r->clustering);

  cmd = cs_session_to_command (s, g_getenv ("CS_CLI"), &why);
  g_assert_nonnull (cmd);
  g_assert_null (why);
  g_assert_nonnull (strstr (cmd, " -p seed=7"));
  g_assert_nonnull (strstr (cmd, "--scaling standardize"));
  g_assert_true (g_spawn_sync (NULL, (char *[]) { "/bin/sh", "-c", cmd, NULL }, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("‘%s’ failed: %s", cmd, err);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  labels = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "labels");
  g_assert_cmpuint (json_array_get_length (labels), ==, r->clustering->n);
  for (gsize i = 0; i < r->clustering->n; i++)
    g_assert_cmpint (json_array_get_int_element (labels, (guint) i), ==, r->clustering->labels[i]);

  /* Names that need quoting are quoted; a comma cannot go through --columns. */
  g_free (s->label_column);
  s->label_column = g_strdup ("it's");
  g_free (cmd);
  cmd = cs_session_to_command (s, "cli", &why);
  g_assert_nonnull (strstr (cmd, "--label-column 'it'\\''s'"));
  g_free (s->columns[0]);
  s->columns[0] = g_strdup ("a,b");
  g_assert_null (cs_session_to_command (s, "cli", &why));
  g_assert_nonnull (strstr (why, "a,b"));
}

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "formats", name, NULL);
}

/* An HDF5 file with two matrices: the session names the one that was opened, reading it back
 * gives the same, and the copied command opens the same matrix (--dataset) and reproduces the
 * labels. The selection goes along, checked against the data's rows. */
static void
test_hdf5_and_selection (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *h5 = fixture ("iris.h5");
  g_autofree char *abs = g_canonicalize_filename (h5, NULL);
  g_autoptr (CsDataset) ds = cs_dataset_load_file (abs, NULL, "/measurements/petals_int", NULL, &error);
  g_autoptr (CsDataset) again = NULL;
  g_autoptr (CsSession) s = cs_session_new ();
  g_autoptr (CsSession) back = NULL;
  g_autoptr (CsPipelineResult) r = NULL;
  g_autofree char *path = temp_path ("h5.clusterscope");
  g_autofree char *cmd = NULL;
  g_autofree char *why = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  const CsAlgorithm *algo = cs_registry_lookup ("kmeans");
  g_autoptr (CsParams) params = cs_params_new (algo);
  const gsize rows[] = { 0, 7, 49, 149 };
  const gsize unsorted[] = { 3, 1 };
  CsPipelineOptions o;
  JsonArray *labels;
  int status = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (ds->hdf5_object, ==, "/measurements/petals_int");
  g_assert_cmpuint (cs_dataset_n_columns (ds), ==, 2);
  g_assert_true (cs_params_set (params, "k", "3", NULL));
  g_assert_true (cs_params_set (params, "seed", "11", NULL));
  cs_pipeline_options_init (&o);
  o.algorithm = algo;
  o.params = params;
  o.prepare.scaling = CS_SCALE_NONE;
  o.silhouette_sample = 0;
  r = cs_pipeline_run (ds, &o, NULL, &error);
  g_assert_no_error (error);

  s->data_path = g_strdup (ds->path);
  s->data_object = g_strdup (ds->hdf5_object);
  s->scaling = CS_SCALE_NONE;
  s->current = cs_session_run_from_clustering (r->clustering);
  g_assert_false (cs_session_set_selection (s, unsorted, G_N_ELEMENTS (unsorted)));
  g_assert_null (s->selection);
  g_assert_true (cs_session_set_selection (s, rows, G_N_ELEMENTS (rows)));
  g_assert_true (cs_session_save (s, path, &error));
  g_assert_no_error (error);
  back = cs_session_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->data_path, ==, abs);
  g_assert_cmpstr (back->data_object, ==, "/measurements/petals_int");
  g_assert_cmpuint (back->n_selection, ==, G_N_ELEMENTS (rows));
  g_assert_cmpmem (back->selection, back->n_selection * sizeof (gsize), rows, sizeof rows);
  assert_runs_equal (s->current, back->current);

  /* The rows are checked against the data: 150 hold row 149, 149 do not. */
  g_assert_true (cs_session_check_selection (back, ds->n_rows, &error));
  g_assert_no_error (error);
  g_assert_false (cs_session_check_selection (back, 149, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "row 150"));
  g_assert_nonnull (strstr (error->message, "149 rows"));
  g_clear_error (&error);

  /* Reopening reads the same matrix, not the first one in the file. */
  again = cs_dataset_load_file (back->data_path, NULL, back->data_object, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cs_dataset_n_columns (again), ==, 2);
  g_assert_cmpfloat (cs_dataset_column (again, 0)->values[0], ==, 14);

  cmd = cs_session_to_command (back, g_getenv ("CS_CLI"), &why);
  g_assert_nonnull (cmd);
  g_test_message ("%s", cmd);
  g_assert_nonnull (strstr (cmd, " --dataset /measurements/petals_int"));
  g_assert_true (g_spawn_sync (NULL, (char *[]) { "/bin/sh", "-c", cmd, NULL }, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("‘%s’ failed: %s", cmd, err);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  labels = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "labels");
  g_assert_cmpuint (json_array_get_length (labels), ==, r->clustering->n);
  for (gsize i = 0; i < r->clustering->n; i++)
    g_assert_cmpint (json_array_get_int_element (labels, (guint) i), ==, r->clustering->labels[i]);

  /* Embedded data bounds the selection when the file is read. */
  {
    g_autoptr (CsDataset) tiny = cs_dataset_new ("tiny", 2);
    g_autoptr (CsSession) e = cs_session_new ();
    g_autoptr (CsSession) none = NULL;
    g_autofree char *epath = temp_path ("tiny.clusterscope");
    g_autofree char *text = NULL;
    g_autofree char *bad = NULL;

    cs_dataset_add_numeric (tiny, "x", g_memdup2 ((double[]) { 1, 2 }, 2 * sizeof (double)));
    e->embedded = cs_dataset_ref (tiny);
    g_assert_true (cs_session_set_selection (e, (gsize[]) { 1 }, 1));
    g_assert_true (cs_session_save (e, epath, &error));
    g_assert_true (g_file_get_contents (epath, &text, NULL, NULL));
    bad = replace (text, "\"selection\" : [\n    1\n  ]", "\"selection\" : [\n    2\n  ]");
    none = cs_session_load_data (bad, strlen (bad), "tiny.clusterscope", &error);
    g_assert_null (none);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "‘selection[0]’ should be a row number from 0 to 1"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/session/round-trip", test_round_trip);
  g_test_add_func ("/session/embedded", test_embedded);
  g_test_add_func ("/session/changed-data", test_changed_data);
  g_test_add_func ("/session/hostile", test_hostile);
  g_test_add_func ("/session/restore", test_restore);
  g_test_add_func ("/session/merges", test_merges);
  g_test_add_func ("/session/command", test_command);
  g_test_add_func ("/session/hdf5-dataset-and-selection", test_hdf5_and_selection);
  return g_test_run ();
}
