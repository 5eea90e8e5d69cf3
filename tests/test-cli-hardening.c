/* clusterscope-cli against hostile input (issue 10: items 3, 4, 8, 9, 10, 12, 13, 14): every
 * JSON it prints is JSON, numeric columns with odd cells are reported, special files neither
 * hang nor give mmap errors, messages escape what they quote, CSV output does not run as
 * spreadsheet formulas. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-cli-common.h"


static char *
temp_file (const char *dir,
           const char *name,
           const char *contents,
           gssize      length)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  return path;
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

/* JSON as strict parsers read it: json-glib, and Python's json (with NaN, Infinity and
 * -Infinity refused) where a Python is installed. */
static JsonNode *
parse_strict (const char *text,
              const char *what)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GRegex) bad_number = g_regex_new ("[0-9][eE][-+]?[0-9]+\\.[0-9]", 0, 0, NULL);

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("%s: json-glib: %s", what, error->message);
  if (g_regex_match (bad_number, text, 0, NULL))
    g_error ("%s: a number with a fraction after its exponent", what);
  if (g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_autofree char *dir = g_dir_make_tmp ("cs-json-XXXXXX", NULL);
      g_autofree char *path = temp_file (dir, "out.json", text, -1);
      const char *argv[] = { "/usr/bin/python3", "-c",
                             "import json, sys\n"
                             "def refuse(c): raise ValueError('non-finite constant ' + c)\n"
                             "json.loads(open(sys.argv[1], encoding='utf-8', errors='strict').read(), "
                             "parse_constant=refuse)\n",
                             path, NULL };
      g_autofree char *err = NULL;
      int wait_status = 0;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                                   &wait_status, NULL));
      if (!WIFEXITED (wait_status) || WEXITSTATUS (wait_status) != 0)
        g_error ("%s: Python's json refused it: %s", what, err);
      remove_tree (dir);
    }
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_json_valid_every_command (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-hard-XXXXXX", NULL);
  g_autofree char *big = temp_file (dir, "big.csv", "x,y\n1e20,1\n1e20,2\n1e20,3\n1e20,4\n", -1);
  g_autofree char *tiny = temp_file (dir, "tiny.csv", "x,y\n1e-320,1\n-0,2\n5e-324,3\n0.1,4\n", -1);
  struct
  {
    const char *args[16];
  } runs[] = {
    { { "cluster", big, "--algo", "kmeans", "-p", "k=2", "--json" } },
    { { "cluster", tiny, "--algo", "kmeans", "-p", "k=2", "--json", "--pretty" } },
    { { "cluster", "iris", "--algo", "fasterpam", "-p", "k=3", "--json" } },
    { { "cluster", "iris", "--algo", "meanshift", "--standardize", "--json" } },
    { { "list", "--json" } },
    { { "samples", "--json" } },
    { { "density", "faithful", "--columns", "eruptions,waiting", "--grid", "16", "--json" } },
    { { "density", "faithful", "--columns", "eruptions,waiting", "--grid", "16", "--json", "--epsilon", "1", "--seed",
        "3" } },
    { { "kde-diagnostics", "wine", "--standardize", "--grid", "12", "--json" } },
    { { "saliency", "iris", "--algo", "kmeans", "-p", "k=3", "--json" } },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_auto (CliRun) r = { 0 };
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *what = g_strjoinv (" ", (char **) runs[i].args);

      cli_argv (&r, runs[i].args);
      if (r.status != 0)
        g_error ("%s: exit %d: %s", what, r.status, r.err);
      root = parse_strict (r.out, what);
      if (i == 0)
        {
          /* 1e20 is printed so that it reads back as 1e20, not as "1e+20.0". */
          JsonArray *centers = json_object_get_array_member (json_node_get_object (root), "centers");
          g_assert_cmpfloat (json_array_get_double_element (json_array_get_array_element (centers, 0), 0), ==, 1e20);
        }
    }
  remove_tree (dir);
}

/* A numeric column with one "Inf", "1e400" or "zz" deep in the file: still numeric (d = 2),
 * and stderr names the first odd cell's file:line:column and the count. */
static void
test_numbers_with_odd_cells (void)
{
  const char *odd[] = { "Inf", "1e400", "zz" };
  g_autofree char *dir = g_dir_make_tmp ("cs-hard-XXXXXX", NULL);

  for (gsize c = 0; c < G_N_ELEMENTS (odd); c++)
    {
      g_autoptr (GString) text = g_string_new ("a,b\n");
      g_autofree char *path = NULL;
      g_autofree char *where = NULL;
      g_auto (CliRun) r = { 0 };
      g_auto (CliRun) t = { 0 };
      g_auto (CliRun) d = { 0 };
      g_autoptr (JsonNode) root = NULL;
      g_autoptr (JsonNode) text_root = NULL;

      for (int i = 0; i < 3000; i++)
        g_string_append_printf (text, "%s,%d.25\n", i == 2800 ? odd[c] : "1.5", i % 17);
      path = temp_file (dir, "deep.csv", text->str, text->len);
      cli (&r, "cluster", path, "--algo", "kmeans", "-p", "k=2", "--json", "--no-metrics");
      g_assert_cmpint (r.status, ==, 0);
      root = parse_strict (r.out, "cluster");
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "d"), ==, 2);
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "dropped"), ==, 1);
      where = g_strdup_printf ("‘%s’ at %s:2802:1", odd[c], path);
      if (strstr (r.err, where) == NULL || strstr (r.err, "1 of its 3,000 cells") == NULL)
        g_error ("stderr lacks ‘%s’ or the count: %s", where, r.err);

      /* The other reading: the column is text, and by default left out (d = 1). */
      cli (&t, "cluster", path, "--algo", "kmeans", "-p", "k=2", "--json", "--no-metrics", "--bad-cells", "text");
      g_assert_cmpint (t.status, ==, 0);
      text_root = parse_strict (t.out, "cluster --bad-cells text");
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (text_root), "d"), ==, 1);

      /* density never plots a text column's level codes as numbers. */
      cli (&d, "density", path, "--columns", "a,b", "--bad-cells", "text", "--grid", "8");
      g_assert_cmpint (d.status, ==, 2);
      g_assert_nonnull (strstr (d.err, "holds text"));
      g_assert_cmpstr (d.out, ==, "");
    }
  {
    g_auto (CliRun) u = { 0 };
    cli (&u, "cluster", "iris", "--algo", "kmeans", "--bad-cells", "sometimes");
    g_assert_cmpint (u.status, ==, 2);
    g_assert_nonnull (strstr (u.err, "sometimes"));
  }
  remove_tree (dir);
}

typedef struct
{
  char       *path;
  const char *text;
} Writer;

static gpointer
write_fifo (gpointer data)
{
  Writer *w = data;
  int fd;

  /* Blocks until the CLI opens the pipe for reading. */
  fd = open (w->path, O_WRONLY);
  if (fd >= 0)
    {
      gssize n = write (fd, w->text, strlen (w->text));
      (void) n;
      close (fd);
    }
  return NULL;
}

/* A named pipe with no writer fails in about 2 s instead of blocking; one with a writer is
 * read; devices are refused by kind; /proc files are read, not called empty. */
static void
test_special_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-hard-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "pipe", NULL);
  g_autofree char *rows = temp_file (dir, "rows.csv", "id\n1\n2\n3\n", -1);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  {
    g_auto (CliRun) r = { 0 };
    g_auto (CliRun) d = { 0 };

    cli (&r, "cluster", fifo, "--algo", "kmeans");
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "no program opened for writing"));
    cli (&d, "cluster", rows, "--algo", "pam", "-p", "k=2", "--distances", fifo);
    g_assert_cmpint (d.status, ==, 1);
    g_assert_nonnull (strstr (d.err, "no program opened for writing"));
  }
  {
    g_auto (CliRun) r = { 0 };
    Writer w = { fifo, "x,y\n1,2\n3,4\n5,7\n8,8\n" };
    GThread *thread = g_thread_new ("writer", write_fifo, &w);
    g_autoptr (JsonNode) root = NULL;

    cli (&r, "cluster", fifo, "--algo", "kmeans", "-p", "k=2", "--json", "--no-metrics");
    g_thread_join (thread);
    g_assert_cmpint (r.status, ==, 0);
    root = parse_strict (r.out, "cluster FIFO");
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "n"), ==, 4);
  }
  {
    g_auto (CliRun) z = { 0 };
    g_auto (CliRun) p = { 0 };
    g_auto (CliRun) f = { 0 };

    cli (&z, "cluster", "/dev/zero", "--algo", "kmeans");
    g_assert_cmpint (z.status, ==, 1);
    g_assert_nonnull (strstr (z.err, "character device"));
    g_assert_null (strstr (z.err, "mmap"));
    cli (&p, "cluster", "/proc/self/status", "--algo", "kmeans");
    g_assert_cmpint (p.status, ==, 1);
    g_assert_null (strstr (p.err, "empty"));
    g_assert_nonnull (strstr (p.err, "/proc/self/status:"));
    cli (&f, "cluster", dir, "--algo", "kmeans");
    g_assert_cmpint (f.status, ==, 1);
    g_assert_nonnull (strstr (f.err, "is a folder"));
  }
  remove_tree (dir);
}

/* i,j,d lists with indices that are not row numbers are named as such (not read as a square
 * matrix blamed at 1:1), and a NUL byte is found where it is. */
static void
test_distance_file_messages (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-hard-XXXXXX", NULL);
  g_autofree char *rows = temp_file (dir, "rows.csv", "id\n1\n2\n3\n4\n", -1);
  struct
  {
    const char *text;
    gssize      length;
    const char *expected;
  } cases[] = {
    { "0,1,1\n0,2,2\n1,2,3\n0,3,4\n1,3,5\n2,-3,1\n", -1, "d.csv:6:3: ‘-3’ is a negative row index" },
    { "0,1,1\n0,2,2\n1,2,3\n0,3,4\n1,3,5\n2,3.5,1\n", -1, "d.csv:6:3: ‘3.5’ is not a whole number" },
    { "0,1,1\n0,2,2\n1,2,3\n0,3,4\n1,3,5\n2,99999999999,1\n", -1, "‘99999999999’ is too large a row index" },
    { "0,1,1\n0,2,2\n1,2,3\n0,3,4\n1,3,5\n2,3000000,1\n", -1,
      "index 3,000,000 means 3,000,001 objects and 4,500,001,500,000 pairs, but the file lists 6" },
    { "0,1\0,2\n1,0,3\n", 14, "d.csv:1:4: found a NUL byte" },
    { "\0", 1, "d.csv:1:1: found a NUL byte" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = temp_file (dir, "d.csv", cases[i].text, cases[i].length);
      g_auto (CliRun) r = { 0 };

      cli (&r, "cluster", rows, "--algo", "fasterpam", "-p", "k=2", "--distances", path, "--no-metrics");
      g_assert_cmpint (r.status, ==, 1);
      if (strstr (r.err, cases[i].expected) == NULL)
        g_error ("case %" G_GSIZE_FORMAT ": stderr lacks ‘%s’: %s", i, cases[i].expected, r.err);
      g_assert_null (strstr (r.err, "holds no dissimilarities"));
    }
  remove_tree (dir);
}

static gboolean
has_control_bytes (const char *s)
{
  for (; *s; s++)
    if (((guint8) *s < 0x20 && *s != '\n' && *s != '\t') || (guint8) *s == 0x7f)
      return TRUE;
  return FALSE;
}

/* Escape sequences from a file never reach the terminal, quotes are short, and parameter
 * messages say what is wrong. */
static void
test_messages (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-hard-XXXXXX", NULL);
  g_autofree char *esc = temp_file (dir, "esc.csv",
                                    "a\x1b]0;pwned\x07" "b,c\nfoo\x1b[31m,bar\nbaz,qux\nquux,corge\ngrault,garply\n"
                                    "waldo,fred\nplugh,xyzzy\n", -1);
  g_autoptr (GString) long_cell = g_string_new ("x,y\n");
  g_autofree char *long_path = NULL;

  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "cluster", esc, "--algo", "kmeans");
    g_assert_cmpint (r.status, ==, 1);
    g_assert_false (has_control_bytes (r.err));
    g_assert_nonnull (strstr (r.err, "\\x1B]0;pwned\\x07"));
  }
  /* Escaped in notices too, and in the column list of an unknown column. */
  {
    g_autofree char *notes = temp_file (dir, "notes.csv", "v\x1b[2J,w\n1,2\n,3\n4,5\n", -1);
    g_auto (CliRun) r = { 0 };
    cli (&r, "cluster", notes, "--algo", "kmeans", "-p", "k=2", "--columns", "nope");
    g_assert_cmpint (r.status, ==, 2);
    g_assert_false (has_control_bytes (r.err));
    g_assert_nonnull (strstr (r.err, "v\\x1B[2J"));
  }
  g_string_append (long_cell, "1,2\n\x1b[2J");
  for (int i = 0; i < 5000; i++)
    g_string_append (long_cell, "z");
  g_string_append (long_cell, ",3\n");
  long_path = temp_file (dir, "long.csv", long_cell->str, long_cell->len);
  {
    g_auto (CliRun) r = { 0 };
    cli (&r, "density", long_path, "--columns", "x,y", "--bad-cells", "text");
    g_assert_cmpint (r.status, ==, 2);
    g_assert_false (has_control_bytes (r.err));
    /* A short excerpt, not the 5,000-character cell. */
    g_assert_cmpuint (strlen (r.err), <, 2000);
  }
  {
    g_auto (CliRun) b = { 0 };
    g_auto (CliRun) w = { 0 };
    g_auto (CliRun) big = { 0 };

    cli (&b, "density", "faithful", "--columns", "eruptions,waiting", "--bandwidth", "1e-300");
    g_assert_cmpint (b.status, ==, 2);
    g_assert_null (strstr (b.err, "constant"));
    g_assert_nonnull (strstr (b.err, "too small"));
    cli (&big, "density", "faithful", "--columns", "eruptions,waiting", "--bandwidth", "1e100");
    g_assert_cmpint (big.status, ==, 2);
    g_assert_nonnull (strstr (big.err, "too large"));
    cli (&w, "render", "iris", "--out", "x.png", "--width-mm", "0");
    g_assert_cmpint (w.status, ==, 2);
    g_assert_null (strstr (w.err, "0–2000"));
    g_assert_nonnull (strstr (w.err, "more than 0"));
  }
  remove_tree (dir);
}

/* Column names that a spreadsheet would run keep an apostrophe in every CSV the CLI writes;
 * negative numbers stay numbers. */
static void
test_csv_formula_guard (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-hard-XXXXXX", NULL);
  g_autoptr (GString) text = g_string_new ("=cmd|' /C calc'!A0,+b,-c,@d\n");
  g_autofree char *path = NULL;
  g_autofree char *attributions = g_build_filename (dir, "phi.csv", NULL);
  g_autofree char *phi = NULL;
  g_auto (CliRun) r = { 0 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);

  for (int i = 0; i < 60; i++)
    g_string_append_printf (text, "%g,%g,%g,%g\n", (i % 2) * 5 + g_rand_double (rand), -g_rand_double (rand),
                            g_rand_double (rand), (i % 2) * -3 - g_rand_double (rand));
  path = temp_file (dir, "formula.csv", text->str, text->len);
  cli (&r, "saliency", path, "--algo", "kmeans", "-p", "k=2", "-p", "seed=1", "--csv", "--attributions-out",
       attributions);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\n0,\"'=cmd|' /C calc'!A0\","));
  g_assert_nonnull (strstr (r.out, "\n0,\"'+b\","));
  g_assert_nonnull (strstr (r.out, "\n0,\"'-c\","));
  g_assert_nonnull (strstr (r.out, "\n0,\"'@d\","));
  g_assert_true (g_file_get_contents (attributions, &phi, NULL, NULL));
  g_assert_true (g_str_has_prefix (phi, "row,cluster,\"'=cmd|' /C calc'!A0\",\"'+b\",\"'-c\",\"'@d\"\n"));
  /* Negative values are written as numbers, not guarded text. */
  g_assert_nonnull (strstr (r.out, ",-"));
  g_assert_null (strstr (r.out, ",\"'-0"));
  g_assert_null (strstr (r.out, ",\"'-1"));
  remove_tree (dir);
}

/* The CSV grid and the JSON grid print each value the same shortest way, and both read back
 * as the same doubles. */
static void
test_density_csv_matches_json (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cs-hard-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "grid.csv", NULL);
  g_auto (CliRun) c = { 0 };
  g_auto (CliRun) j = { 0 };
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *csv = NULL;
  g_auto (GStrv) lines = NULL;
  JsonArray *density;

  cli (&c, "density", "faithful", "--columns", "eruptions,waiting", "--grid", "64", "--out", path);
  cli (&j, "density", "faithful", "--columns", "eruptions,waiting", "--grid", "64", "--json");
  g_assert_cmpint (c.status, ==, 0);
  g_assert_cmpint (j.status, ==, 0);
  root = parse_strict (j.out, "density --json");
  density = json_object_get_array_member (json_node_get_object (root), "density");
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 64 * 64 + 2);
  for (guint q = 0; q < 64 * 64; q++)
    {
      const char *v = strrchr (lines[q + 1], ',') + 1;
      g_assert_cmpfloat (g_ascii_strtod (v, NULL), ==, json_array_get_double_element (density, q));
      /* Shortest: at most 17 significant digits, and "0.1" rather than "0.10000000000000001". */
      g_assert_cmpuint (strlen (v), <=, 24);
    }
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/hardening/json-valid-every-command", test_json_valid_every_command);
  g_test_add_func ("/cli/hardening/numbers-with-odd-cells", test_numbers_with_odd_cells);
  g_test_add_func ("/cli/hardening/special-files", test_special_files);
  g_test_add_func ("/cli/hardening/distance-file-messages", test_distance_file_messages);
  g_test_add_func ("/cli/hardening/messages-escaped-and-clear", test_messages);
  g_test_add_func ("/cli/hardening/csv-formula-guard", test_csv_formula_guard);
  g_test_add_func ("/cli/hardening/density-csv-matches-json", test_density_csv_matches_json);
  return g_test_run ();
}
