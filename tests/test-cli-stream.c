/* The CLI's k-means variants: balanced-kmeans, ncd-kmeans (k found in the JSON) and
 * online-kmeans with --stream (same centres as in memory, bounded memory, line numbers of the
 * whole file in messages). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "test-cli-common.h"

#include "core/base/cs-rng.h"

static char *tmp_dir;

static JsonObject *
parse_object (const char *text, JsonParser **keep)
{
  g_autoptr (GError) error = NULL;

  *keep = json_parser_new ();
  g_assert_true (json_parser_load_from_data (*keep, text, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (*keep));
}

/* n rows of d columns around 4 centres, the rows in random order; "%.6f" text. Returns the
 * file's size. */
static gsize
write_blobs (const char *path, gsize n, gsize d, guint64 seed)
{
  FILE *f = fopen (path, "w");
  CsRng rng;
  long  size;

  g_assert_nonnull (f);
  cs_rng_init (&rng, seed);
  for (gsize j = 0; j < d; j++)
    fprintf (f, "%sx%" G_GSIZE_FORMAT, j ? "," : "", j);
  fputc ('\n', f);
  for (gsize i = 0; i < n; i++)
    {
      guint c = (guint) cs_rng_below (&rng, 4);
      for (gsize j = 0; j < d; j++)
        fprintf (f, "%s%.6f", j ? "," : "", 6.0 * ((c + j) % 4 == 0) + 3.0 * (c == j % 3) + cs_rng_normal (&rng));
      fputc ('\n', f);
    }
  size = ftell (f);
  fclose (f);
  return (gsize) size;
}

static void
assert_same_centers (JsonObject *a, JsonObject *b)
{
  JsonArray *ca = json_object_get_array_member (a, "centers");
  JsonArray *cb = json_object_get_array_member (b, "centers");

  g_assert_cmpuint (json_array_get_length (ca), ==, json_array_get_length (cb));
  for (guint j = 0; j < json_array_get_length (ca); j++)
    {
      JsonArray *ra = json_array_get_array_element (ca, j);
      JsonArray *rb = json_array_get_array_element (cb, j);
      g_assert_cmpuint (json_array_get_length (ra), ==, json_array_get_length (rb));
      for (guint t = 0; t < json_array_get_length (ra); t++)
        g_assert_cmpfloat (json_array_get_double_element (ra, t), ==, json_array_get_double_element (rb, t));
    }
}

/* The streamed run and the in-memory one see the same batches: the same centres, bit for bit
 * (numbers are written in their shortest exact form), the same sizes and inertia. */
static void
test_stream_equals_memory (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "equal.csv", NULL);
  const char *methods[] = { "method=minibatch", "method=tell" };

  write_blobs (path, 30000, 4, 1);
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_auto (CliRun) mem = { 0 };
      g_auto (CliRun) str = { 0 };
      g_autoptr (JsonParser) pm = NULL;
      g_autoptr (JsonParser) ps = NULL;
      JsonObject *a, *b;

      cli (&mem, "cluster", path, "--algo", "online-kmeans", "-p", "k=4", "-p", "batch_size=333", "-p", "epochs=3",
           "-p", methods[m], "--scaling", "none", "--no-metrics", "--json");
      g_assert_cmpint (mem.status, ==, 0);
      cli (&str, "cluster", path, "--algo", "online-kmeans", "-p", "k=4", "-p", "batch_size=333", "-p", "epochs=3",
           "-p", methods[m], "--scaling", "none", "--stream", "--memory-budget", "64K", "--json");
      g_assert_cmpint (str.status, ==, 0);
      a = parse_object (mem.out, &pm);
      b = parse_object (str.out, &ps);
      g_assert_true (json_object_get_boolean_member (b, "streamed"));
      g_assert_cmpint (json_object_get_int_member (b, "chunks"), >, 5);
      g_assert_cmpint (json_object_get_int_member (b, "n"), ==, 30000);
      assert_same_centers (a, b);
      g_assert_cmpfloat (json_object_get_double_member (a, "objective"), ==,
                         json_object_get_double_member (b, "objective"));
      g_assert_cmpint (json_object_get_int_member (a, "iterations"), ==, json_object_get_int_member (b, "iterations"));
    }
}

/* Peak resident memory of one CLI run, from the kernel's accounting of the child. */
static gsize
peak_rss (const char **args)
{
  const char   *cli_path = g_getenv ("CS_CLI");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  struct rusage ru;
  int           status = 0;
  pid_t         pid;

  g_ptr_array_add (argv, (char *) cli_path);
  for (const char **a = args; *a; a++)
    g_ptr_array_add (argv, (char *) *a);
  g_ptr_array_add (argv, NULL);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int null = open ("/dev/null", O_WRONLY);
      dup2 (null, 1);
      execv (cli_path, (char **) argv->pdata);
      _exit (127);
    }
  g_assert_cmpint (wait4 (pid, &status, 0, &ru), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  return (gsize) ru.ru_maxrss * 1024;
}

/* A file eight times the budget: the streamed run's memory above the CLI's own (measured on a
 * small file) stays within a few budgets, while the in-memory run's grows past the file. */
static void
test_stream_memory_bounded (void)
{
#if defined(__SANITIZE_ADDRESS__)
  g_test_skip ("AddressSanitizer's quarantine keeps freed chunks resident");
#else
  g_autofree char *big = g_build_filename (tmp_dir, "big.csv", NULL);
  g_autofree char *small = g_build_filename (tmp_dir, "small.csv", NULL);
  gsize budget = 2 * 1024 * 1024;
  gsize size = write_blobs (big, 330000, 6, 2);
  gsize base, streamed, whole;

  write_blobs (small, 2000, 6, 3);
  g_assert_cmpuint (size, >, 8 * budget);
  base = peak_rss ((const char *[]) { "cluster", small, "--algo", "online-kmeans", "-p", "k=4", "-p", "epochs=1",
                                      "--stream", "--memory-budget", "2M", "--json", NULL });
  streamed = peak_rss ((const char *[]) { "cluster", big, "--algo", "online-kmeans", "-p", "k=4", "-p", "epochs=1",
                                          "--stream", "--memory-budget", "2M", "--json", NULL });
  whole = peak_rss ((const char *[]) { "cluster", big, "--algo", "online-kmeans", "-p", "k=4", "-p", "epochs=1",
                                       "--no-metrics", "--json", NULL });
  g_test_message ("file %" G_GSIZE_FORMAT " B; peak RSS: CLI on a small file %" G_GSIZE_FORMAT
                  " B, streamed %" G_GSIZE_FORMAT " B, in memory %" G_GSIZE_FORMAT " B",
                  size, base, streamed, whole);
  g_assert_cmpuint (streamed, <=, base + 4 * budget);
  g_assert_cmpuint (whole, >=, base + size);
#endif
}

/* A bad cell deep in the file is reported at its line in the whole file, not in its chunk. */
static void
test_stream_error_line (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "bad.csv", NULL);
  g_autoptr (GString) s = g_string_new ("a,b\n");
  g_auto (CliRun) r = { 0 };

  for (int i = 0; i < 20000; i++)
    if (i == 15000)
      g_string_append (s, "1,2,3\n"); /* line 15,002: a field too many */
    else
      g_string_append_printf (s, "%d.5,%d\n", i % 7, i % 5);
  g_assert_true (g_file_set_contents (path, s->str, (gssize) s->len, NULL));
  cli (&r, "cluster", path, "--algo", "online-kmeans", "--stream", "--memory-budget", "80K");
  g_assert_cmpint (r.status, ==, 1);
  g_test_message ("%s", r.err);
  g_assert_nonnull (strstr (r.err, "bad.csv:15002:"));
}

static void
test_stream_usage (void)
{
  g_auto (CliRun) a = { 0 };
  g_auto (CliRun) b = { 0 };
  g_auto (CliRun) c = { 0 };

  cli (&a, "cluster", "iris", "--algo", "kmeans", "--stream");
  g_assert_cmpint (a.status, ==, 2);
  g_assert_nonnull (strstr (a.err, "online-kmeans"));
  cli (&b, "cluster", "iris", "--algo", "online-kmeans", "--memory-budget", "1M");
  g_assert_cmpint (b.status, ==, 2);
  cli (&c, "cluster", "iris", "--algo", "online-kmeans", "--stream", "--memory-budget", "lots");
  g_assert_cmpint (c.status, ==, 2);
  g_assert_nonnull (strstr (c.err, "lots"));
}

/* --labels-out while streaming: one line a row, the sizes of the JSON. */
static void
test_stream_labels_out (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "labels.csv", NULL);
  g_autofree char *out = g_build_filename (tmp_dir, "labels-out.csv", NULL);
  g_autofree char *text = NULL;
  g_auto (CliRun) r = { 0 };
  g_autoptr (JsonParser) p = NULL;
  g_auto (GStrv) lines = NULL;
  gint64 count[4] = { 0 };
  JsonArray *sizes;

  write_blobs (path, 5000, 3, 4);
  cli (&r, "cluster", path, "--algo", "online-kmeans", "-p", "k=4", "--stream", "--memory-budget", "40K", "--json",
       "--labels-out", out);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "row,label");
  g_assert_cmpuint (g_strv_length (lines), ==, 5002);
  for (guint i = 1; i <= 5000; i++)
    {
      int row = -1, label = -1;
      g_assert_cmpint (sscanf (lines[i], "%d,%d", &row, &label), ==, 2);
      g_assert_cmpint (row, ==, (int) i - 1);
      g_assert_true (label >= 0 && label < 4);
      count[label]++;
    }
  sizes = json_object_get_array_member (parse_object (r.out, &p), "sizes");
  for (guint j = 0; j < 4; j++)
    g_assert_cmpint (json_array_get_int_element (sizes, j), ==, count[j]);
}

static void
test_balanced_cli (void)
{
  g_auto (CliRun) r = { 0 };
  g_autoptr (JsonParser) p = NULL;
  JsonArray *sizes;

  cli (&r, "cluster", "iris", "--algo", "balanced-kmeans", "-p", "k=4", "--json");
  g_assert_cmpint (r.status, ==, 0);
  sizes = json_object_get_array_member (parse_object (r.out, &p), "sizes");
  g_assert_cmpuint (json_array_get_length (sizes), ==, 4);
  for (guint j = 0; j < 4; j++)
    {
      gint64 s = json_array_get_int_element (sizes, j);
      g_assert_true (s == 37 || s == 38);
    }
}

/* A label column with missing cells: the JSON says how many classes were known and how many
 * novel ones were found. */
static void
test_ncd_cli (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "ncd.csv", NULL);
  g_autoptr (GString) s = g_string_new ("x,y,class\n");
  g_auto (CliRun) r = { 0 };
  g_autoptr (JsonParser) p = NULL;
  JsonObject *o;
  CsRng rng;

  cs_rng_init (&rng, 5);
  for (int i = 0; i < 500; i++)
    {
      int c = i % 5;
      double x = 10.0 * (c % 3) + cs_rng_normal (&rng);
      double y = 10.0 * (c / 3) + 4.0 * (c == 4) + cs_rng_normal (&rng);
      gboolean labelled = c < 3 && cs_rng_uniform (&rng) < 0.7;
      g_string_append_printf (s, "%.4f,%.4f,%s\n", x, y, labelled ? (c == 0 ? "a" : c == 1 ? "b" : "c") : "");
    }
  g_assert_true (g_file_set_contents (path, s->str, (gssize) s->len, NULL));
  cli (&r, "cluster", path, "--algo", "ncd-kmeans", "--json");
  g_assert_cmpint (r.status, ==, 0);
  o = parse_object (r.out, &p);
  g_assert_cmpint (json_object_get_int_member (o, "k_known"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "k_novel"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "k"), ==, 5);
  g_assert_true (json_object_has_member (o, "score_by_k"));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("cs-cli-stream-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_test_add_func ("/cli/stream/equals-in-memory", test_stream_equals_memory);
  g_test_add_func ("/cli/stream/memory-bounded", test_stream_memory_bounded);
  g_test_add_func ("/cli/stream/error-names-file-line", test_stream_error_line);
  g_test_add_func ("/cli/stream/usage-errors", test_stream_usage);
  g_test_add_func ("/cli/stream/labels-out", test_stream_labels_out);
  g_test_add_func ("/cli/balanced-kmeans/equal-sizes", test_balanced_cli);
  g_test_add_func ("/cli/ncd-kmeans/json-k-found", test_ncd_cli);
  status = g_test_run ();
  {
    g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;
    while (dir && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmp_dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (tmp_dir);
  }
  return status;
}
