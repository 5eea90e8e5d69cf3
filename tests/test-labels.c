/* The label-file reader: both documented forms, header or not, numbers or names, and the
 * errors that name file, line and column. */
#include <string.h>

#include "core/base/cs-error.h"
#include "core/data/cs-labels.h"

static int *
load_ok (const char *text,
         gsize       n_rows,
         guint      *k,
         char     ***names)
{
  g_autoptr (GError) error = NULL;
  int *labels = NULL;

  if (!cs_labels_load_csv_data (text, strlen (text), "l.csv", n_rows, &labels, k, names, &error))
    g_error ("refused: %s", error->message);
  return labels;
}

static void
assert_labels (const int *labels,
               const int *expected,
               gsize      n)
{
  for (gsize i = 0; i < n; i++)
    g_assert_cmpint (labels[i], ==, expected[i]);
}

/* One label per line, as documented: every line is a row, so none is lost to a header that
 * is not there; a header line is recognised by name or by the count of lines. */
static void
test_one_per_line_with_and_without_header (void)
{
  static const int expected[] = { 0, 1, 1, -1, 2 };
  const char *texts[] = { "3\n5\n5\n-1\n7\n", "label\n3\n5\n5\n-1\n7\n", "klasse\n3\n5\n5\n-1\n7\n",
                          "3\r\n5\r\n5\r\n-1\r\n7\r\n\r\n\n", "\xEF\xBB\xBF" "cluster\n3\n5\n5\n\n7\n" };

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      g_auto (GStrv) names = NULL;
      guint k = 0;
      g_autofree int *labels = load_ok (texts[t], 5, &k, &names);

      g_assert_cmpuint (k, ==, 3);
      assert_labels (labels, expected, 5);
      g_assert_cmpstr (names[0], ==, "3");
      g_assert_cmpstr (names[2], ==, "7");
    }
}

/* Class names, one per line, with or without a header: sorted names become 0..k-1; quoted
 * names keep their commas and quotes. */
static void
test_text_labels (void)
{
  static const int expected[] = { 2, 1, 0, 1, -1 };
  const char *texts[] = { "virginica\nsetosa\n\"a, \"\"b\"\"\"\nsetosa\n-1\n",
                          "species\nvirginica\nsetosa\n\"a, \"\"b\"\"\"\nsetosa\n-1\n" };

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      g_auto (GStrv) names = NULL;
      guint k = 0;
      g_autofree int *labels = load_ok (texts[t], 5, &k, &names);

      g_assert_cmpuint (k, ==, 3);
      assert_labels (labels, expected, 5);
      g_assert_cmpstr (names[0], ==, "a, \"b\"");
      g_assert_cmpstr (names[1], ==, "setosa");
    }
}

/* row,label as `cluster --labels-out` writes it: rows not listed are noise. */
static void
test_row_label (void)
{
  static const int expected[] = { -1, 1, 0, -1 };
  guint k = 0;
  g_autofree int *labels = load_ok ("row;cluster\n2;b\n1;c\n", 4, &k, NULL);

  g_assert_cmpuint (k, ==, 2);
  assert_labels (labels, expected, 4);
}

static void
assert_refused (const char *text,
                gsize       n_rows,
                const char *fragment)
{
  g_autoptr (GError) error = NULL;
  int *labels = NULL;
  guint k = 0;

  g_assert_false (cs_labels_load_csv_data (text, strlen (text), "l.csv", n_rows, &labels, &k, NULL, &error));
  g_assert_null (labels);
  g_assert_error (error, CS_ERROR, CS_ERROR_PARSE);
  if (strstr (error->message, fragment) == NULL)
    g_error ("‘%s’ lacks ‘%s’", error->message, fragment);
}

static void
test_errors_name_line_and_column (void)
{
  assert_refused ("1\n2\n", 3, "2 labels for a dataset of 3 rows");
  assert_refused ("1\n2\n", 1500000, "1,500,000 rows");
  assert_refused ("row,label\n0,1\n9,2\n", 4, "l.csv:3:1: row ‘9’ is not a row");
  assert_refused ("row,label\n0,1\n0,2\n", 4, "l.csv:3:1: row 0 is labelled twice (first on line 2)");
  assert_refused ("row,label\n0,1.5\n", 4, "l.csv:2:3: label 1.5 is not a whole number");
  assert_refused ("row,label\n0,1,2\n", 4, "l.csv:2:1: 3 fields where the first line has 2");
  assert_refused ("a,b\n0,1\n", 1, "l.csv:1: no label column");
  assert_refused ("row,label\n\"0,1\n", 1, "l.csv:2:1: a quoted field is not closed");
  assert_refused ("x\n\xff\n", 2, "l.csv:2:1: not UTF-8");
  assert_refused ("\n\n", 2, "empty file");
  assert_refused ("-1\n\n-3\n", 3, "no labels");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/labels/one-per-line-header-or-not", test_one_per_line_with_and_without_header);
  g_test_add_func ("/core/labels/text-labels", test_text_labels);
  g_test_add_func ("/core/labels/row-label", test_row_label);
  g_test_add_func ("/core/labels/errors-name-line-and-column", test_errors_name_line_and_column);
  return g_test_run ();
}
