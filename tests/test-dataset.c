/* Dataset loading (CSV corpus under tests/data/csv), preprocessing, PCA, toy data and the
 * bundled samples. */
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "core/data/cs-dataset.h"
#include "core/data/cs-csv.h"
#include "core/data/cs-prepare.h"
#include "core/cluster/cs-pipeline.h"
#include "core/metrics/cs-metrics.h"
#include "core/base/cs-error.h"
#include "core/data/cs-samples.h"
#include "core/data/cs-toy.h"
#include "core/base/cs-format.h"
#include "core/cluster/cs-result-io.h"
#include "core/data/cs-dissim.h"

#include "test-common.h"

static CsDataset *
load_corpus (const char *kind,
             const char *file,
             GError    **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "csv", kind, file, NULL);

  return cs_dataset_load_csv (path, NULL, NULL, error);
}

static CsDataset *
load_good (const char *file)
{
  g_autoptr (GError) error = NULL;
  CsDataset *ds = load_corpus ("good", file, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ds);
  return ds;
}

static void
assert_column (const CsDataset *ds,
               gsize            index,
               const char      *name,
               CsColumnKind     kind,
               gsize            n_missing)
{
  const CsColumn *col;

  g_assert_cmpuint (index, <, cs_dataset_n_columns (ds));
  col = cs_dataset_column (ds, index);
  g_assert_cmpstr (col->name, ==, name);
  g_assert_cmpint (col->kind, ==, kind);
  g_assert_cmpuint (col->n_missing, ==, n_missing);
  g_assert_true ((col->levels != NULL) == (kind == CS_COLUMN_CATEGORICAL));
}

static void
assert_values (const CsDataset *ds,
               gsize            index,
               const double    *expected)
{
  const CsColumn *col = cs_dataset_column (ds, index);

  for (gsize i = 0; i < ds->n_rows; i++)
    {
      if (isnan (expected[i]))
        g_assert_true (isnan (col->values[i]));
      else
        g_assert_cmpfloat (col->values[i], ==, expected[i]);
    }
}

static void
assert_levels (const CsDataset *ds,
               gsize            index,
               const char      *const *levels)
{
  const CsColumn *col = cs_dataset_column (ds, index);
  guint n = g_strv_length ((char **) levels);

  g_assert_cmpuint (col->levels->len, ==, n);
  for (guint l = 0; l < n; l++)
    g_assert_cmpstr (g_ptr_array_index (col->levels, l), ==, levels[l]);
}

static gboolean
has_notice (const CsDataset *ds,
            const char      *fragment)
{
  for (guint i = 0; i < ds->notices->len; i++)
    if (strstr (g_ptr_array_index (ds->notices, i), fragment))
      return TRUE;
  return FALSE;
}

static void
test_good_basic (void)
{
  g_autoptr (CsDataset) ds = load_good ("basic.csv");
  const char *levels[] = { "a", "b", NULL };
  const double x[] = { 1, 3, -0.5 };
  const double y[] = { 2, 4.5, 6 };
  const double label[] = { 0, 1, 0 };

  g_assert_cmpstr (ds->name, ==, "basic.csv");
  g_assert_nonnull (ds->path);
  g_assert_cmpuint (ds->n_rows, ==, 3);
  g_assert_cmpuint (cs_dataset_n_columns (ds), ==, 3);
  assert_column (ds, 0, "x", CS_COLUMN_NUMERIC, 0);
  assert_column (ds, 1, "y", CS_COLUMN_NUMERIC, 0);
  assert_column (ds, 2, "label", CS_COLUMN_CATEGORICAL, 0);
  assert_values (ds, 0, x);
  assert_values (ds, 1, y);
  assert_values (ds, 2, label);
  assert_levels (ds, 2, levels);
  g_assert_cmpint (ds->label_column, ==, 2);
  g_assert_cmpuint (ds->notices->len, ==, 0);
  g_assert_cmpint (cs_dataset_find_column (ds, "Y"), ==, 1);
  g_assert_cmpint (cs_dataset_find_column (ds, "z"), ==, -1);
}

static void
test_good_decimal_comma (void)
{
  g_autoptr (CsDataset) ds = load_good ("semicolon-decimal-comma.csv");
  const double h[] = { 1.5, -3.25, 10 };
  const double w[] = { 2, 4.0, 1000 };

  g_assert_cmpuint (ds->n_rows, ==, 3);
  assert_column (ds, 0, "hauteur", CS_COLUMN_NUMERIC, 0);
  assert_column (ds, 1, "largeur", CS_COLUMN_NUMERIC, 0);
  assert_column (ds, 2, "nom", CS_COLUMN_CATEGORICAL, 0);
  assert_values (ds, 0, h);
  assert_values (ds, 1, w);
  g_assert_cmpint (ds->label_column, ==, -1);
}

static void
test_good_tabs (void)
{
  g_autoptr (CsDataset) ds = load_good ("tabs.tsv");
  const double c[] = { 3, 6, 9, 12 };

  g_assert_cmpuint (ds->n_rows, ==, 4);
  g_assert_cmpuint (cs_dataset_n_columns (ds), ==, 3);
  assert_column (ds, 2, "c", CS_COLUMN_NUMERIC, 0);
  assert_values (ds, 2, c);
}

static void
test_good_quoted (void)
{
  g_autoptr (CsDataset) ds = load_good ("quoted.csv");
  const char *levels[] = { "plain", "with, comma", "two\nlines", "say \"hi\"", NULL };
  const double value[] = { 2.5, 3.5, 4.5, 5.5 };

  g_assert_cmpuint (ds->n_rows, ==, 4);
  assert_column (ds, 1, "value", CS_COLUMN_NUMERIC, 0);
  assert_values (ds, 1, value);
  assert_column (ds, 2, "note", CS_COLUMN_CATEGORICAL, 0);
  assert_levels (ds, 2, levels);
}

static void
test_good_bom_crlf (void)
{
  g_autoptr (CsDataset) ds = load_good ("bom-crlf.csv");
  const double beta[] = { 2, 4 };

  g_assert_cmpuint (ds->n_rows, ==, 2);
  /* The BOM must not leak into the first name. */
  assert_column (ds, 0, "alpha", CS_COLUMN_NUMERIC, 0);
  assert_column (ds, 1, "beta", CS_COLUMN_NUMERIC, 0);
  assert_values (ds, 1, beta);
}

static void
test_good_comments (void)
{
  g_autoptr (CsDataset) ds = load_good ("comments.csv");
  const double y[] = { 2, 4 };

  g_assert_cmpuint (ds->n_rows, ==, 2);
  assert_column (ds, 0, "x", CS_COLUMN_NUMERIC, 0);
  assert_values (ds, 1, y);
}

static void
test_good_missing (void)
{
  g_autoptr (CsDataset) ds = load_good ("missing.csv");
  const double a[] = { 1, NAN, NAN, NAN, 5 };
  const double b[] = { NAN, 2, NAN, NAN, 6 };
  const double c[] = { 0, 1, NAN, 2, NAN };
  const char *levels[] = { "x", "y", "z", NULL };

  g_assert_cmpuint (ds->n_rows, ==, 5);
  assert_column (ds, 0, "a", CS_COLUMN_NUMERIC, 3);
  assert_column (ds, 1, "b", CS_COLUMN_NUMERIC, 3);
  assert_column (ds, 2, "c", CS_COLUMN_CATEGORICAL, 2);
  assert_values (ds, 0, a);
  assert_values (ds, 1, b);
  assert_values (ds, 2, c);
  assert_levels (ds, 2, levels);
}

static void
test_good_cp1252 (void)
{
  g_autoptr (CsDataset) ds = load_good ("cp1252.csv");
  const char *levels[] = { "thé", "“résumé”", NULL };

  assert_column (ds, 0, "café", CS_COLUMN_CATEGORICAL, 0);
  assert_column (ds, 1, "prix", CS_COLUMN_NUMERIC, 0);
  assert_levels (ds, 0, levels);
  g_assert_true (has_notice (ds, "Windows-1252"));
}

static void
test_good_trailing_delimiter (void)
{
  g_autoptr (CsDataset) ds = load_good ("trailing-delimiter.csv");
  const double b[] = { 2, 4 };

  g_assert_cmpuint (cs_dataset_n_columns (ds), ==, 2);
  assert_column (ds, 1, "b", CS_COLUMN_NUMERIC, 0);
  assert_values (ds, 1, b);
  g_assert_cmpuint (ds->notices->len, ==, 1);
  g_assert_true (has_notice (ds, "ended with a delimiter"));
}

static void
test_good_extra_delimiter_in_rows (void)
{
  const char text[] = "a,b\n1,2,\n3,4\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_dataset_load_csv_data (text, strlen (text), "extra.csv", NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (cs_dataset_n_columns (ds), ==, 2);
  g_assert_cmpuint (ds->n_rows, ==, 2);
  g_assert_true (has_notice (ds, "1 row ended with an extra delimiter"));
}

static void
test_good_empty_column (void)
{
  g_autoptr (CsDataset) ds = load_good ("empty-column.csv");
  const double b[] = { 2, 4, 6 };

  g_assert_cmpuint (cs_dataset_n_columns (ds), ==, 2);
  assert_column (ds, 0, "a", CS_COLUMN_NUMERIC, 0);
  assert_column (ds, 1, "b", CS_COLUMN_NUMERIC, 0);
  assert_values (ds, 1, b);
  g_assert_true (has_notice (ds, "Column ‘gone’ was empty and has been dropped"));
}

static void
test_good_header_names (void)
{
  g_autoptr (CsDataset) ds = load_good ("header-names.csv");

  g_assert_cmpuint (cs_dataset_n_columns (ds), ==, 5);
  assert_column (ds, 0, "x", CS_COLUMN_NUMERIC, 0);
  assert_column (ds, 1, "x_2", CS_COLUMN_NUMERIC, 0);
  assert_column (ds, 2, "column 3", CS_COLUMN_NUMERIC, 0);
  assert_column (ds, 3, "y", CS_COLUMN_NUMERIC, 0);
  /* Names are compared without case, as cs_dataset_find_column does. */
  assert_column (ds, 4, "X_3", CS_COLUMN_NUMERIC, 0);
}

static void
test_good_no_header (void)
{
  g_autoptr (CsDataset) ds = load_good ("no-header.csv");
  const double first[] = { 1.5, 4, 7 };

  g_assert_cmpuint (ds->n_rows, ==, 3);
  assert_column (ds, 0, "column 1", CS_COLUMN_NUMERIC, 0);
  assert_column (ds, 2, "column 3", CS_COLUMN_NUMERIC, 0);
  assert_values (ds, 0, first);
}

static void
test_good_spaces (void)
{
  g_autoptr (CsDataset) ds = load_good ("spaces.txt");
  const double y[] = { 2, 4, 20 };

  g_assert_cmpuint (ds->n_rows, ==, 3);
  g_assert_cmpuint (cs_dataset_n_columns (ds), ==, 3);
  assert_column (ds, 0, "x", CS_COLUMN_NUMERIC, 0);
  assert_column (ds, 2, "kind", CS_COLUMN_CATEGORICAL, 0);
  assert_values (ds, 1, y);
}

static void
test_good_numeric_label (void)
{
  g_autoptr (CsDataset) ds = load_good ("numeric-label.csv");
  g_autofree int *labels = NULL;
  guint n_classes = 0;
  const int expected[] = { 2, 0, 1, 0 };

  g_assert_cmpint (ds->label_column, ==, 2);
  assert_column (ds, 2, "class", CS_COLUMN_NUMERIC, 0);
  labels = cs_dataset_class_labels (ds, &n_classes);
  g_assert_cmpuint (n_classes, ==, 3);
  for (int i = 0; i < 4; i++)
    g_assert_cmpint (labels[i], ==, expected[i]);
}

static void
test_good_late_text (void)
{
  g_autoptr (CsDataset) ds = load_good ("late-text.csv");
  const char *levels[] = { "1", "2", "3", "three", NULL };
  const double v[] = { 0, 1, 2, 3, 1 };

  assert_column (ds, 0, "v", CS_COLUMN_CATEGORICAL, 0);
  assert_levels (ds, 0, levels);
  assert_values (ds, 0, v);
  assert_column (ds, 1, "w", CS_COLUMN_NUMERIC, 0);
}

static void
test_good_blank_lines (void)
{
  g_autoptr (CsDataset) ds = load_good ("blank-lines.csv");
  const double x[] = { 1, 3, 5 };

  g_assert_cmpuint (ds->n_rows, ==, 3);
  assert_values (ds, 0, x);
  /* Two blank lines between rows; the trailing ones are not worth a notice. */
  g_assert_true (has_notice (ds, "2 blank lines"));
  g_assert_cmpuint (ds->notices->len, ==, 1);
}

static void
test_good_lone_cr (void)
{
  g_autoptr (CsDataset) ds = load_good ("lone-cr.csv");
  const double y[] = { 2, 4 };

  g_assert_cmpuint (ds->n_rows, ==, 2);
  assert_values (ds, 1, y);
}

static void
test_options (void)
{
  const char text[] = "a,b,species\n1,2,3\n4,5,6\n";
  CsCsvOptions options;
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) auto_label = NULL;
  g_autoptr (CsDataset) chosen = NULL;
  g_autoptr (CsDataset) none = NULL;
  g_autoptr (CsDataset) no_header = NULL;
  CsDataset *missing;

  cs_csv_options_init (&options);
  auto_label = cs_dataset_load_csv_data (text, strlen (text), "t.csv", &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (auto_label->label_column, ==, 2);

  options.label_column = "A";
  chosen = cs_dataset_load_csv_data (text, strlen (text), "t.csv", &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (chosen->label_column, ==, 0);

  options.label_column = "";
  none = cs_dataset_load_csv_data (text, strlen (text), "t.csv", &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (none->label_column, ==, -1);

  options.label_column = "nope";
  missing = cs_dataset_load_csv_data (text, strlen (text), "t.csv", &options, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "nope"));
  g_clear_error (&error);

  /* Forcing "no header" makes the names a row of text: the columns become categorical. */
  options.label_column = "";
  options.header = 0;
  options.delimiter = ',';
  no_header = cs_dataset_load_csv_data ("1,x\n2,y\n", 8, "t.csv", &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (no_header->n_rows, ==, 2);
  assert_column (no_header, 0, "column 1", CS_COLUMN_NUMERIC, 0);
}

typedef struct
{
  const char *file;
  int         code;
  const char *where; /* "LINE:COLUMN" */
  const char *says;  /* a fragment of the message */
} BadCase;

static const BadCase bad_cases[] = {
  { "ragged-more.csv", CS_ERROR_PARSE, "4:7", "found 4 fields; expected 3" },
  { "ragged-fewer.csv", CS_ERROR_PARSE, "3:4", "found 2 fields; expected 3" },
  { "quoted-ragged.csv", CS_ERROR_PARSE, "4:5", "found 3 fields; expected 2" },
  { "binary.dat", CS_ERROR_PARSE, "3:2", "NUL byte" },
  { "controls.dat", CS_ERROR_PARSE, "1:1", "binary data" },
  { "unterminated-quote.csv", CS_ERROR_PARSE, "3:3", "never closed" },
  { "empty.csv", CS_ERROR_PARSE, "1:1", "empty file" },
  { "comments-only.csv", CS_ERROR_PARSE, "4:1", "empty file" },
  { "header-only.csv", CS_ERROR_PARSE, "2:1", "only a header row" },
  { "no-numeric.csv", CS_ERROR_PARSE, "2:1", "found only text columns (‘name’: “ann”, ‘colour’: “red”)" },
};

static void
test_bad_file (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = load_corpus ("bad", c->file, &error);
  g_autofree char *where = g_strdup_printf ("%s:%s: ", c->file, c->where);

  g_assert_null (ds);
  g_assert_error (error, CS_ERROR, c->code);
  if (strstr (error->message, where) == NULL || strstr (error->message, c->says) == NULL)
    g_error ("message “%s” lacks “%s” or “%s”", error->message, where, c->says);
}

static void
test_bad_missing_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_dataset_load_csv ("/nonexistent/clusterscope.csv", NULL, NULL, &error);

  g_assert_null (ds);
  g_assert_error (error, CS_ERROR, CS_ERROR_IO);
}

/* The field cap is 1 MiB (MAX_FIELD_BYTES in core/cs-csv.c): a 64 MiB line stands in for a
 * 2 GB one; the loader must fail at the start of the line, fast, without allocating the line. */
static void
test_bad_huge_line (void)
{
  const gsize size = (gsize) 64 << 20;
  g_autofree char *line = g_malloc (size);
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = NULL;
  gint64 start;
  int fd;

  memset (line, 'a', size);
  memcpy (line, "x,y\n1,", 6);
  fd = g_file_open_tmp ("cs-huge-line-XXXXXX.csv", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, line, size, &error));
  g_assert_no_error (error);

  start = cs_test_cpu_us (cs_test_cpu_clock ());
  ds = cs_dataset_load_csv (path, NULL, NULL, &error);
  g_assert_null (ds);
  g_assert_error (error, CS_ERROR, CS_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, ":2:3: found a field longer than 1 MiB"));
  g_assert_cmpint (cs_test_cpu_us (cs_test_cpu_clock ()) - start, <, 2 * G_USEC_PER_SEC * cs_test_cpu_scale ());
  g_clear_error (&error);

  /* An unterminated quote swallowing the rest names where it opened. */
  line[6] = '"';
  ds = cs_dataset_load_csv_data (line, size, "quote.csv", NULL, NULL, &error);
  g_assert_null (ds);
  g_assert_error (error, CS_ERROR, CS_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "quote.csv:2:3: found a quoted field longer than 1 MiB"));
  g_clear_error (&error);

  /* One line of millions of empty fields: capped by the column limit. */
  memset (line, ',', size);
  ds = cs_dataset_load_csv_data (line, size, "commas.csv", NULL, NULL, &error);
  g_assert_null (ds);
  g_assert_error (error, CS_ERROR, CS_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "commas.csv:1:100001: found more than 100,000 fields"));
  g_clear_error (&error);

  g_unlink (path);
}

static gboolean
cancel_cb (double      fraction,
           const char *stage,
           gpointer    user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last);
  *last = fraction;
  return fraction < 0.5;
}

static gboolean
watch_cb (double      fraction,
          const char *stage,
          gpointer    user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last);
  *last = fraction;
  return TRUE;
}

static GString *
numbers_csv (gsize rows)
{
  GString *s = g_string_new ("a,b,c\n");

  for (gsize i = 0; i < rows; i++)
    g_string_append_printf (s, "%" G_GSIZE_FORMAT ",%.3f,%g\n", i, i * 0.5, i * 1e-3);
  return s;
}

static void
test_progress_and_cancel (void)
{
  g_autoptr (GString) text = numbers_csv (200000);
  double last = 0.0;
  g_autoptr (CsProgress) progress = cs_progress_new (cancel_cb, &last, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = NULL;

  ds = cs_dataset_load_csv_data (text->str, text->len, "big.csv", NULL, progress, &error);
  g_assert_null (ds);
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  g_assert_cmpfloat (last, >=, 0.5);
  g_assert_cmpfloat (last, <, 1.0);
  g_clear_error (&error);

  /* Without cancelling, the whole file arrives with the last report at 1. */
  last = 0.0;
  {
    g_autoptr (CsProgress) watch = cs_progress_new (watch_cb, &last, NULL);
    ds = cs_dataset_load_csv_data (text->str, text->len, "big.csv", NULL, watch, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpfloat (last, ==, 1.0);
  g_assert_cmpuint (ds->n_rows, ==, 200000);
  g_assert_cmpfloat (cs_dataset_column (ds, 0)->values[199999], ==, 199999.0);
  g_assert_cmpfloat (cs_dataset_column (ds, 1)->values[3], ==, 1.5);
}

/* The fast number parser must agree bit for bit with strtod (correctly rounded). */
static void
test_numbers_match_strtod (void)
{
  g_autoptr (GString) text = g_string_new ("v\n");
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = NULL;
  GRand *rand = g_rand_new_with_seed (42);
  const char *fixed[] = { "0", "-0", "1e22", "1e23", "9007199254740993", "0.1", "2.2250738585072014e-308",
                          "4.9e-324", "1.7976931348623157e308", "123456789012345678901234567890",
                          "0.000000000000000000000000001", "+5.", ".25", "-1E-5", NULL };

  for (guint i = 0; fixed[i]; i++)
    g_ptr_array_add (strings, g_strdup (fixed[i]));
  for (guint i = 0; i < 20000; i++)
    {
      GString *s = g_string_new (g_rand_boolean (rand) ? "-" : "");
      int int_digits = g_rand_int_range (rand, 0, 12);
      int frac_digits = g_rand_int_range (rand, int_digits == 0 ? 1 : 0, 22);

      for (int k = 0; k < int_digits; k++)
        g_string_append_c (s, '0' + g_rand_int_range (rand, k == 0 ? 1 : 0, 10));
      if (frac_digits > 0)
        g_string_append_c (s, '.');
      for (int k = 0; k < frac_digits; k++)
        g_string_append_c (s, '0' + g_rand_int_range (rand, 0, 10));
      if (int_digits == 0 && frac_digits == 0)
        g_string_append_c (s, '7');
      if (g_rand_int_range (rand, 0, 3) == 0)
        g_string_append_printf (s, "e%d", g_rand_int_range (rand, -40, 40));
      g_ptr_array_add (strings, g_string_free (s, FALSE));
    }
  g_rand_free (rand);
  for (guint i = 0; i < strings->len; i++)
    g_string_append_printf (text, "%s\n", (char *) g_ptr_array_index (strings, i));

  ds = cs_dataset_load_csv_data (text->str, text->len, "numbers.csv", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_rows, ==, strings->len);
  g_assert_cmpint (cs_dataset_column (ds, 0)->kind, ==, CS_COLUMN_NUMERIC);
  for (guint i = 0; i < strings->len; i++)
    {
      double expected = g_ascii_strtod (g_ptr_array_index (strings, i), NULL);
      double got = cs_dataset_column (ds, 0)->values[i];
      if (memcmp (&expected, &got, sizeof (double)) != 0)
        g_error ("“%s” read as %.17g, strtod gives %.17g", (char *) g_ptr_array_index (strings, i), got, expected);
    }
}

static void
test_not_numbers (void)
{
  /* Hex, infinities and stray text make a column categorical rather than numeric. */
  const char *cases[] = { "0x10", "inf", "1e", "1.2.3", "--1", "1e999", "1 2", NULL };

  for (guint i = 0; cases[i]; i++)
    {
      g_autofree char *text = g_strdup_printf ("v,w\n1,1\n%s,2\n", cases[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (CsDataset) ds = cs_dataset_load_csv_data (text, strlen (text), "t.csv", NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (cs_dataset_column (ds, 0)->kind, ==, CS_COLUMN_CATEGORICAL);
      g_assert_cmpstr (g_ptr_array_index (cs_dataset_column (ds, 0)->levels, 1), ==, cases[i]);
    }
}

static void
test_class_labels_categorical (void)
{
  g_autoptr (CsDataset) ds = cs_dataset_new ("t", 4);
  const int codes[] = { 1, -1, 0, 1 };
  const char *levels[] = { "a", "b" };
  g_autofree int *labels = NULL;
  guint n_classes = 0;

  cs_dataset_add_numeric (ds, "v", g_new0 (double, 4));
  cs_dataset_add_categorical (ds, "k", codes, levels, 2);
  g_assert_null (cs_dataset_class_labels (ds, &n_classes));
  ds->label_column = 1;
  labels = cs_dataset_class_labels (ds, &n_classes);
  g_assert_cmpuint (n_classes, ==, 2);
  for (int i = 0; i < 4; i++)
    g_assert_cmpint (labels[i], ==, codes[i]);
  g_assert_cmpuint (cs_dataset_column (ds, 1)->n_missing, ==, 1);
}

static void
test_prepare_standardize (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("iris", &error);
  g_autoptr (CsPrepared) prep = NULL;
  CsPrepareOptions options;

  g_assert_no_error (error);
  cs_prepare_options_init (&options);
  options.scaling = CS_SCALE_STANDARDIZE;
  prep = cs_dataset_prepare (ds, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prep->x->rows, ==, 150);
  g_assert_cmpuint (prep->x->cols, ==, 4);
  g_assert_cmpstr (prep->names[0], ==, "sepal_length");
  g_assert_null (prep->names[4]);
  for (gsize j = 0; j < 4; j++)
    {
      double mean = 0.0;
      double ss = 0.0;
      for (gsize i = 0; i < 150; i++)
        mean += cs_matrix_get (prep->x, i, j);
      mean /= 150;
      for (gsize i = 0; i < 150; i++)
        ss += (cs_matrix_get (prep->x, i, j) - mean) * (cs_matrix_get (prep->x, i, j) - mean);
      g_assert_cmpfloat_with_epsilon (mean, 0.0, 1e-12);
      g_assert_cmpfloat_with_epsilon (sqrt (ss / 150), 1.0, 1e-12);
      /* x = (raw - shift) / scale */
      g_assert_cmpfloat_with_epsilon (cs_matrix_get (prep->x, 7, j) * prep->scale[j] + prep->shift[j],
                                      cs_dataset_column (ds, j)->values[7], 1e-12);
    }
  /* The population sd of sepal length, from numpy: iris.data[:, 0].std() */
  g_assert_cmpfloat_with_epsilon (prep->scale[0], 0.8253012917851409, 1e-12);
  g_assert_cmpfloat_with_epsilon (prep->shift[0], 5.843333333333334, 1e-12);
}

static void
test_prepare_minmax_and_constant (void)
{
  g_autoptr (CsDataset) ds = cs_dataset_new ("t", 3);
  g_autoptr (GError) error = NULL;
  g_autoptr (CsPrepared) prep = NULL;
  g_autoptr (CsPrepared) zscored = NULL;
  CsPrepareOptions options;
  double *a = g_new (double, 3);
  double *b = g_new (double, 3);

  a[0] = 2; a[1] = 4; a[2] = 3;
  b[0] = 7; b[1] = 7; b[2] = 7;
  cs_dataset_add_numeric (ds, "a", a);
  cs_dataset_add_numeric (ds, "b", b);
  cs_prepare_options_init (&options);
  options.scaling = CS_SCALE_MINMAX;
  prep = cs_dataset_prepare (ds, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (cs_matrix_get (prep->x, 0, 0), ==, 0.0);
  g_assert_cmpfloat (cs_matrix_get (prep->x, 1, 0), ==, 1.0);
  g_assert_cmpfloat (cs_matrix_get (prep->x, 2, 0), ==, 0.5);
  g_assert_cmpfloat (prep->scale[1], ==, 1.0);
  g_assert_cmpfloat (cs_matrix_get (prep->x, 2, 1), ==, 0.0);

  options.scaling = CS_SCALE_STANDARDIZE;
  zscored = cs_dataset_prepare (ds, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (zscored->scale[1], ==, 1.0);
  g_assert_cmpfloat (zscored->shift[1], ==, 7.0);
  g_assert_true (isfinite (cs_matrix_get (zscored->x, 0, 1)));
}

static void
test_prepare_missing (void)
{
  g_autoptr (CsDataset) ds = load_good ("missing.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsPrepared) dropped = NULL;
  g_autoptr (CsPrepared) imputed = NULL;
  CsPrepareOptions options;

  cs_prepare_options_init (&options);
  dropped = cs_dataset_prepare (ds, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dropped->x->rows, ==, 1);
  g_assert_cmpuint (dropped->x->cols, ==, 2);
  g_assert_cmpuint (dropped->n_dropped, ==, 4);
  g_assert_cmpuint (dropped->n_imputed, ==, 0);
  g_assert_cmpuint (dropped->rows[0], ==, 4);
  g_assert_cmpfloat (cs_matrix_get (dropped->x, 0, 1), ==, 6.0);

  options.missing = CS_MISSING_MEAN;
  imputed = cs_dataset_prepare (ds, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imputed->x->rows, ==, 5);
  g_assert_cmpuint (imputed->n_dropped, ==, 0);
  g_assert_cmpuint (imputed->n_imputed, ==, 6);
  g_assert_cmpfloat (cs_matrix_get (imputed->x, 1, 0), ==, 3.0); /* mean of 1 and 5 */
  g_assert_cmpfloat (cs_matrix_get (imputed->x, 0, 1), ==, 4.0); /* mean of 2 and 6 */
  g_assert_cmpfloat (cs_matrix_get (imputed->x, 4, 0), ==, 5.0);
}

static void
test_prepare_one_hot (void)
{
  g_autoptr (CsDataset) ds = load_good ("basic.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsPrepared) prep = NULL;
  CsPrepareOptions options;
  const int columns[] = { 2, 0 };
  const double expected[] = { 1, 0, 1, 0, 1, 3, 1, 0, -0.5 };

  cs_prepare_options_init (&options);
  options.columns = columns;
  options.n_columns = 2;
  prep = cs_dataset_prepare (ds, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prep->x->cols, ==, 3);
  g_assert_cmpstr (prep->names[0], ==, "label=a");
  g_assert_cmpstr (prep->names[1], ==, "label=b");
  g_assert_cmpstr (prep->names[2], ==, "x");
  for (gsize i = 0; i < 9; i++)
    g_assert_cmpfloat (prep->x->data[i], ==, expected[i]);
}

static void
test_prepare_nothing_left (void)
{
  g_autoptr (CsDataset) ds = cs_dataset_new ("holes", 2);
  g_autoptr (GError) error = NULL;
  CsPrepared *prep;
  CsPrepareOptions options;
  double *a = g_new (double, 2);
  double *b = g_new (double, 2);
  const int bad_column[] = { 5 };

  a[0] = NAN; a[1] = 1;
  b[0] = 2; b[1] = NAN;
  cs_dataset_add_numeric (ds, "a", a);
  cs_dataset_add_numeric (ds, "b", b);
  cs_prepare_options_init (&options);
  prep = cs_dataset_prepare (ds, &options, &error);
  g_assert_null (prep);
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "column mean"));
  g_clear_error (&error);

  options.columns = bad_column;
  options.n_columns = 1;
  prep = cs_dataset_prepare (ds, &options, &error);
  g_assert_null (prep);
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
}

/* Reference values from scikit-learn 1.2 on Debian 12:
 *   X = load_iris().data; p = PCA(n_components=2).fit(X); S = p.transform(X)
 * with each component's sign flipped so that its largest |loading| is positive (our
 * convention), printed with 17 significant digits. */
static void
test_pca_iris (void)
{
  static const double ratio_ref[] = { 0.9246187232017271, 0.05306648311706783 };
  static const double comp_ref[2][4] = {
    { 0.3613865917853687, -0.08452251406456868, 0.8566706059498351, 0.3582891971515508 },
    { 0.6565887712868422, 0.7301614347850266, -0.17337266279585684, -0.0754810199174632 },
  };
  static const gsize rows_ref[] = { 0, 1, 50, 149 };
  static const double scores_ref[4][2] = {
    { -2.6841256259695374, 0.3193972465850999 },
    { -2.7141416872943265, -0.1770012250647814 },
    { 1.284825688858351, 0.685160470467309 },
    { 1.3901888619479135, -0.2826609379905505 },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("iris", &error);
  g_autoptr (CsPrepared) prep = NULL;
  g_autoptr (CsMatrix) scores = NULL;
  g_autoptr (CsMatrix) components = NULL;
  double ratio[2];

  g_assert_no_error (error);
  prep = cs_dataset_prepare (ds, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cs_pca (prep->x, 2, &scores, &components, ratio, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (scores->rows, ==, 150);
  g_assert_cmpuint (scores->cols, ==, 2);
  for (int k = 0; k < 2; k++)
    {
      g_assert_cmpfloat_with_epsilon (ratio[k], ratio_ref[k], 1e-12);
      for (int j = 0; j < 4; j++)
        g_assert_cmpfloat_with_epsilon (cs_matrix_get (components, k, j), comp_ref[k][j], 1e-10);
    }
  for (int r = 0; r < 4; r++)
    for (int k = 0; k < 2; k++)
      g_assert_cmpfloat_with_epsilon (cs_matrix_get (scores, rows_ref[r], k), scores_ref[r][k], 1e-10);
}

static void
test_pca_invariants (void)
{
  /* Points on a line y = -2x: one component carries all the variance; its largest loading
   * (|-2| / sqrt 5 on y) is made positive. */
  double data[] = { 0, 0, 1, -2, 2, -4, 3, -6 };
  g_autoptr (CsMatrix) x = cs_matrix_new_from_data (4, 2, data);
  g_autoptr (CsMatrix) components = NULL;
  g_autoptr (GError) error = NULL;
  double ratio[2];

  g_assert_true (cs_pca (x, 2, NULL, &components, ratio, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (ratio[0], 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (ratio[1], 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (cs_matrix_get (components, 0, 0), -1 / sqrt (5), 1e-12);
  g_assert_cmpfloat_with_epsilon (cs_matrix_get (components, 0, 1), 2 / sqrt (5), 1e-12);

  g_assert_false (cs_pca (x, 3, NULL, NULL, NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
}

static void
test_toy_deterministic (void)
{
  for (int k = 0; k < CS_TOY_N_KINDS; k++)
    {
      g_autoptr (CsDataset) a = cs_toy_generate (k, 301, 3, 0.05, 7);
      g_autoptr (CsDataset) b = cs_toy_generate (k, 301, 3, 0.05, 7);
      g_autoptr (CsDataset) c = cs_toy_generate (k, 301, 3, 0.05, 8);
      CsToyKind back;

      g_assert_cmpuint (a->n_rows, ==, 301);
      g_assert_cmpuint (cs_dataset_n_columns (a), ==, 3);
      g_assert_cmpstr (cs_dataset_column (a, 0)->name, ==, "x");
      g_assert_cmpstr (cs_dataset_column (a, 1)->name, ==, "y");
      assert_column (a, 2, "label", CS_COLUMN_CATEGORICAL, 0);
      g_assert_cmpint (a->label_column, ==, 2);
      for (int j = 0; j < 3; j++)
        g_assert_cmpmem (cs_dataset_column (a, j)->values, 301 * sizeof (double), cs_dataset_column (b, j)->values,
                         301 * sizeof (double));
      g_assert_true (memcmp (cs_dataset_column (a, 0)->values, cs_dataset_column (c, 0)->values,
                             301 * sizeof (double)) != 0);
      g_assert_true (cs_toy_kind_from_id (cs_toy_kind_id (k), &back));
      g_assert_cmpint (back, ==, k);
      g_assert_nonnull (cs_toy_kind_title (k));
    }
  g_assert_false (cs_toy_kind_from_id ("spirals", NULL));
}

static void
test_toy_shapes (void)
{
  g_autoptr (CsDataset) blobs = cs_toy_generate (CS_TOY_BLOBS, 300, 4, 0.0, 1);
  g_autoptr (CsDataset) moons = cs_toy_generate (CS_TOY_MOONS, 200, 3, 0.0, 1);
  g_autoptr (CsDataset) circles = cs_toy_generate (CS_TOY_CIRCLES, 200, 3, 0.0, 1);
  g_autoptr (CsDataset) uniform = cs_toy_generate (CS_TOY_UNIFORM, 100, 3, 0.5, 1);
  g_autofree int *labels = NULL;
  guint n_classes = 0;
  guint counts[4] = { 0 };

  labels = cs_dataset_class_labels (blobs, &n_classes);
  g_assert_cmpuint (n_classes, ==, 4);
  for (gsize i = 0; i < 300; i++)
    counts[labels[i]]++;
  for (int c = 0; c < 4; c++)
    g_assert_cmpuint (counts[c], ==, 75);

  /* Without noise, moons lie on their two unit half circles and circles on radii 1 and 0.5. */
  for (gsize i = 0; i < 200; i++)
    {
      double x = cs_dataset_column (moons, 0)->values[i];
      double y = cs_dataset_column (moons, 1)->values[i];
      int l = (int) cs_dataset_column (moons, 2)->values[i];
      double r = l == 0 ? hypot (x, y) : hypot (x - 1.0, y - 0.5);
      g_assert_cmpfloat_with_epsilon (r, 1.0, 1e-12);
      g_assert_true (l == 0 ? y >= -1e-12 : y <= 0.5 + 1e-12);

      x = cs_dataset_column (circles, 0)->values[i];
      y = cs_dataset_column (circles, 1)->values[i];
      l = (int) cs_dataset_column (circles, 2)->values[i];
      g_assert_cmpfloat_with_epsilon (hypot (x, y), l == 0 ? 1.0 : 0.5, 1e-12);
    }
  g_assert_cmpuint (cs_dataset_column (moons, 2)->levels->len, ==, 2);

  g_assert_cmpuint (cs_dataset_column (uniform, 2)->levels->len, ==, 1);
  for (gsize i = 0; i < 100; i++)
    {
      double x = cs_dataset_column (uniform, 0)->values[i];
      g_assert_cmpfloat (x, >=, 0.0);
      g_assert_cmpfloat (x, <, 1.0);
    }
}

typedef struct
{
  const char *id;
  gsize       rows;
  gsize       features;
  const char *label; /* NULL: none */
  guint       classes;
  guint       image;
} SampleCase;

static const SampleCase sample_cases[] = {
  { "iris", 150, 4, "species", 3, 0 },
  { "wine", 178, 13, "cultivar", 3, 0 },
  { "breast_cancer", 569, 30, "diagnosis", 2, 0 },
  { "digits", 1797, 64, "digit", 10, 8 },
  { "faithful", 272, 2, NULL, 0, 0 },
  { "karate", 34, 3, "club", 2, 0 },
};

static void
test_sample (gconstpointer data)
{
  const SampleCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load (c->id, &error);
  g_autoptr (CsPrepared) prep = NULL;
  g_autofree int *labels = NULL;
  guint n_classes = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_rows, ==, c->rows);
  g_assert_cmpuint (cs_dataset_n_columns (ds), ==, c->features + (c->label != NULL));
  g_assert_cmpuint (ds->notices->len, ==, 0);
  g_assert_cmpuint (ds->image_rows, ==, c->image);
  g_assert_cmpuint (ds->image_cols, ==, c->image);
  if (c->label)
    {
      g_assert_cmpint (ds->label_column, ==, (int) c->features);
      g_assert_cmpstr (cs_dataset_column (ds, ds->label_column)->name, ==, c->label);
      labels = cs_dataset_class_labels (ds, &n_classes);
      g_assert_cmpuint (n_classes, ==, c->classes);
    }
  else
    g_assert_cmpint (ds->label_column, ==, -1);

  prep = cs_dataset_prepare (ds, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prep->x->rows, ==, c->rows);
  g_assert_cmpuint (prep->x->cols, ==, c->features);
}

static void
test_samples_list (void)
{
  gsize n = 0;
  const CsSampleInfo *list = cs_samples_list (&n);
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) iris = NULL;
  CsDataset *none;
  const char *species[] = { "setosa", "versicolor", "virginica", NULL };

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (sample_cases));
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpstr (list[i].id, ==, sample_cases[i].id);
      g_assert_true (list[i].title && list[i].title[0]);
      g_assert_true (list[i].description && list[i].description[0]);
    }

  iris = cs_sample_load ("iris", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (cs_dataset_column (iris, 0)->values[0], ==, 5.1);
  g_assert_cmpfloat (cs_dataset_column (iris, 3)->values[149], ==, 1.8);
  assert_levels (iris, 4, species);

  none = cs_sample_load ("titanic", &error);
  g_assert_null (none);
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
}

static void
test_default_axes (void)
{
  g_autoptr (CsDataset) two = cs_toy_generate (CS_TOY_MOONS, 50, 2, 0.0, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) iris = cs_sample_load ("iris", &error);
  const int pick[] = { 2, 3 };
  const int with_label[] = { 0, 4 };
  int x, y;

  g_assert_no_error (error);
  /* x, y and a label column: the two features as they are. */
  cs_dataset_default_axes (two, NULL, 0, &x, &y);
  g_assert_cmpint (x, ==, 0);
  g_assert_cmpint (y, ==, 1);
  /* Four features: PCA. */
  cs_dataset_default_axes (iris, NULL, 0, &x, &y);
  g_assert_cmpint (x, ==, -1);
  g_assert_cmpint (y, ==, -1);
  /* Two chosen features of four: those. */
  cs_dataset_default_axes (iris, pick, 2, &x, &y);
  g_assert_cmpint (x, ==, 2);
  g_assert_cmpint (y, ==, 3);
  /* One feature and the label: not two features. */
  cs_dataset_default_axes (iris, with_label, 2, &x, &y);
  g_assert_cmpint (x, ==, -1);
}

/* A CSV whose header names pixels declares an image shape; ordinary feature names do not. */
static CsDataset *
load_header_only (const char *header, guint n_cols)
{
  g_autoptr (GString) text = g_string_new (header);
  g_autoptr (GError) error = NULL;
  CsDataset *ds;

  g_string_append_c (text, '\n');
  for (guint row = 0; row < 3; row++)
    {
      for (guint j = 0; j < n_cols; j++)
        g_string_append_printf (text, "%s%u", j ? "," : "", (row * 7 + j) % 17);
      g_string_append_c (text, '\n');
    }
  ds = cs_dataset_load_csv_data (text->str, text->len, "pixels.csv", NULL, NULL, &error);
  g_assert_no_error (error);
  return ds;
}

static void
test_image_shape_from_names (void)
{
  struct
  {
    const char *header;
    guint       n_cols;
    guint       rows;
    guint       cols;
  } cases[] = {
    { "r0c0,r0c1,r0c2,r1c0,r1c1,r1c2", 6, 2, 3 },
    { "pixel_1_1,pixel_1_2,pixel_2_1,pixel_2_2,pixel_3_1,pixel_3_2", 6, 3, 2 },
    { "px0,px1,px2,px3,px4,px5,px6,px7,px8", 9, 3, 3 },
    { "pixel1,pixel2,pixel3,pixel4", 4, 2, 2 },
    /* Features, not images. */
    { "x1,x2,x3,x4", 4, 0, 0 },
    { "r0c0,r0c1,r1c1,r1c0", 4, 0, 0 },            /* not row-major */
    { "r0c0,r0c1,r0c2,r1c0,r1c1", 5, 0, 0 },       /* ragged */
    { "pixel0,pixel1,pixel2,pixel3,pixel4", 5, 0, 0 }, /* not a square */
    { "a,b,c,d", 4, 0, 0 },
  };

  for (guint t = 0; t < G_N_ELEMENTS (cases); t++)
    {
      g_autoptr (CsDataset) ds = load_header_only (cases[t].header, cases[t].n_cols);

      g_test_message ("%s", cases[t].header);
      g_assert_cmpuint (ds->image_rows, ==, cases[t].rows);
      g_assert_cmpuint (ds->image_cols, ==, cases[t].cols);
    }
}

/* A clustering given as labels is scored like a run: iris's own species agree with
 * themselves (ARI = NMI = 1), the objective is the inertia about the species' means, and a
 * label left out (-1) stays out. */
static void
test_pipeline_from_labels (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("iris", &error);
  g_autofree int *species = NULL;
  guint k = 0;
  CsPipelineOptions options;
  CsPipelineResult *r;

  g_assert_no_error (error);
  species = cs_dataset_class_labels (ds, &k);
  g_assert_cmpuint (k, ==, 3);
  cs_pipeline_options_init (&options);
  r = cs_pipeline_run_labels (ds, &options, species, k, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->clustering->algorithm, ==, "labels");
  g_assert_cmpuint (r->clustering->n, ==, 150);
  g_assert_cmpfloat (fabs (r->ari - 1.0), <, 1e-12);
  g_assert_cmpfloat (fabs (r->nmi - 1.0), <, 1e-12);
  g_assert_cmpfloat (fabs (r->clustering->objective
                           - cs_metric_inertia (r->prep->x, r->clustering->labels, r->clustering->centers)),
                     <, 1e-9);
  /* Setosa's mean petal length is 1.462 (Fisher's data). */
  g_assert_cmpfloat (fabs (cs_matrix_get (r->clustering->centers, 0, 2) - 1.462), <, 1e-9);
  g_assert_true (isfinite (r->silhouette));
  cs_pipeline_result_free (r);

  species[0] = -1;
  r = cs_pipeline_run_labels (ds, &options, species, k, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->clustering->labels[0], ==, -1);
  cs_pipeline_result_free (r);

  for (gsize i = 0; i < ds->n_rows; i++)
    species[i] = -1;
  g_assert_null (cs_pipeline_run_labels (ds, &options, species, k, NULL, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
}


/* Issue 9 item 13: a point of DynMSC's curve, shown. For every k of the curve the derived
 * result has the medoids DynMSC recorded, their medoid silhouette is the curve's score, the
 * curve is kept, and at the chosen k it is the run itself (labels and scores). On
 * coordinates (Manhattan) and on a matrix given as a precomputed dissimilarity alike. */
static void
test_pipeline_at_k (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("iris", &error);

  g_assert_no_error (error);
  for (int with_matrix = 0; with_matrix <= 1; with_matrix++)
    {
      g_autoptr (CsParams) params = cs_params_new (cs_registry_lookup ("dynmsc"));
      g_autoptr (CsPipelineResult) run = NULL;
      g_autoptr (CsDissim) D = NULL;
      CsPipelineOptions options;
      const CsClustering *c;

      cs_pipeline_options_init (&options);
      options.algorithm = cs_registry_lookup ("dynmsc");
      g_assert_true (cs_params_set (params, "k_max", "6", NULL));
      g_assert_true (cs_params_set (params, "metric", "manhattan", NULL));
      if (with_matrix)
        {
          CsPrepared *prep = cs_dataset_prepare (ds, &options.prepare, &error);

          g_assert_no_error (error);
          D = cs_dissim_new_from_matrix (prep->x, CS_METRIC_MANHATTAN, FALSE, NULL, &error);
          cs_prepared_free (prep);
          g_assert_no_error (error);
          options.dissim = D;
          g_assert_true (cs_params_set (params, "metric", "precomputed", NULL));
        }
      options.params = params;
      run = cs_pipeline_run (ds, &options, NULL, &error);
      g_assert_no_error (error);
      c = run->clustering;
      g_assert_cmpuint (c->score_k_min, ==, 2);
      g_assert_cmpuint (c->n_scores, ==, 5);
      for (guint k = 2; k <= 6; k++)
        {
          g_autoptr (CsPipelineResult) at = cs_pipeline_run_at_k (ds, &options, c, k, NULL, &error);
          const CsClustering *a;
          g_autofree gsize *sizes = g_new0 (gsize, k);

          g_assert_no_error (error);
          a = at->clustering;
          g_assert_cmpuint (a->k, ==, k);
          g_assert_cmpstr (a->algorithm, ==, "dynmsc");
          for (guint j = 0; j < k; j++)
            {
              g_assert_cmpuint (a->medoids[j], ==, cs_clustering_medoids_at_k (c, k)[j]);
              /* a medoid is in its own cluster */
              g_assert_cmpint (a->labels[a->medoids[j]], ==, (int) j);
            }
          cs_clustering_sizes (a, sizes);
          for (guint j = 0; j < k; j++)
            g_assert_cmpuint (sizes[j], >, 0);
          g_assert_cmpfloat (fabs (at->medoid_silhouette - c->score_by_k[k - 2]), <, 1e-12);
          g_assert_cmpfloat (fabs (a->objective - c->score_by_k[k - 2]), <, 1e-12);
          g_assert_true (isfinite (at->silhouette));
          g_assert_true (isfinite (at->ari));
          g_assert_cmpuint (a->n_scores, ==, c->n_scores);
          g_assert_cmpfloat (a->score_by_k[k - 2], ==, c->score_by_k[k - 2]);
          g_assert_cmpuint (cs_clustering_medoids_at_k (a, 6)[5], ==, cs_clustering_medoids_at_k (c, 6)[5]);
          if (k == c->k)
            {
              for (gsize i = 0; i < c->n; i++)
                g_assert_cmpint (a->labels[i], ==, c->labels[i]);
              g_assert_cmpfloat (fabs (at->silhouette - run->silhouette), <, 1e-12);
              g_assert_cmpfloat (fabs (at->ari - run->ari), <, 1e-12);
            }
        }
      g_assert_null (cs_pipeline_run_at_k (ds, &options, c, 7, NULL, &error));
      g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
}


/* ---- issue 10: hardening ---- */

/* The formatter it replaced: %.6g to %.17g until one reads back. Slow, but the reference. */
static char *
reference_format (char  *buf,
                  gsize  len,
                  double value)
{
  for (int prec = 1; prec <= 17; prec++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", prec);
      g_ascii_formatd (buf, len, fmt, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return buf;
}

/* Significant digits of a %g string: no sign, point, exponent, leading or trailing zeros. */
static guint
significant_digits (const char *s)
{
  guint n = 0;
  guint zeros = 0;
  gboolean leading = TRUE;

  for (; *s && *s != 'e'; s++)
    if (g_ascii_isdigit (*s))
      {
        if (leading && *s == '0')
          continue;
        leading = FALSE;
        if (*s == '0')
          zeros++;
        else
          {
            n += zeros + 1;
            zeros = 0;
          }
      }
  return n;
}

static void
check_format (double v)
{
  char got[G_ASCII_DTOSTR_BUF_SIZE];
  char ref[G_ASCII_DTOSTR_BUF_SIZE];
  double back;

  cs_format_double (got, sizeof got, v);
  back = g_ascii_strtod (got, NULL);
  if (back != v || signbit (back) != signbit (v))
    g_error ("%.17g printed as %s, which reads back as %.17g", v, got, back);
  reference_format (ref, sizeof ref, v);
  /* As short as the shortest that reads back (the reference tries every length). */
  if (significant_digits (got) > MAX (significant_digits (ref), 1u))
    g_error ("%.17g printed as %s, longer than %s", v, got, ref);
}

static void
test_format_shortest_round_trip (void)
{
  static const double special[] = {
    0.0, -0.0, 0.1, 0.3, 1.0 / 3.0, 1e20, 1e21, 1e22, 1e23, 9007199254740992.0, 9007199254740993.0,
    123456789012345678.0, 4.9406564584124654e-324, 2.2250738585072009e-308, 2.2250738585072014e-308,
    1.7976931348623157e308, -1.7976931348623157e308, 5e-324, 1e-310, 2.5e-310, 0.5, 1e-5, 1e-4, 123456.0, 1e15,
    1e16, 1e17, 100000.0, 1000000.0, 8.41e21, 5.0e-7, 2.0 / 3.0, 1e-300, 1e300,
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261203);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (gsize i = 0; i < G_N_ELEMENTS (special); i++)
    check_format (special[i]);
  /* Whole numbers below 2^53 print as integers; large ones keep every digit needed. */
  g_assert_cmpstr (cs_format_double (buf, sizeof buf, 1e20), ==, "1e+20");
  g_assert_cmpstr (cs_format_double (buf, sizeof buf, -0.0), ==, "-0");
  g_assert_cmpstr (cs_format_double (buf, sizeof buf, 0.1), ==, "0.1");
  g_assert_cmpstr (cs_format_double (buf, sizeof buf, 123456789.0), ==, "123456789");
  g_assert_cmpstr (cs_format_double (buf, sizeof buf, 9007199254740993.0), ==, "9007199254740992");
  g_assert_cmpstr (cs_format_double (buf, sizeof buf, 4.9406564584124654e-324), ==, "5e-324");
  g_assert_cmpstr (cs_format_double (buf, sizeof buf, INFINITY), ==, "inf");
  g_assert_cmpstr (cs_format_double (buf, sizeof buf, NAN), ==, "nan");
  for (int i = 0; i < 60000; i++)
    {
      double v;
      guint64 bits;

      switch (i % 5)
        {
        case 0: /* any finite double, subnormals included */
          bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
          memcpy (&v, &bits, sizeof v);
          break;
        case 1:
          v = g_rand_double (rand) * 1e-3;
          break;
        case 2:
          v = g_rand_double_range (rand, -1e3, 1e3);
          break;
        case 3: /* large whole numbers */
          v = floor (g_rand_double_range (rand, -1e19, 1e19));
          break;
        default: /* subnormals */
          bits = (((guint64) g_rand_int (rand) << 32) | g_rand_int (rand)) & G_GUINT64_CONSTANT (0x800FFFFFFFFFFFFF);
          memcpy (&v, &bits, sizeof v);
          break;
        }
      if (isfinite (v))
        check_format (v);
    }
  /* Decimal inputs with few digits come back as written. */
  for (int i = 0; i < 10000; i++)
    {
      char text[32];
      g_snprintf (text, sizeof text, "%d.%de%d", g_rand_int_range (rand, 1, 10), g_rand_int_range (rand, 0, 99999),
                  g_rand_int_range (rand, -300, 300));
      check_format (g_ascii_strtod (text, NULL));
    }
}

static void
test_format_count_and_excerpt (void)
{
  struct
  {
    guint64     n;
    const char *text;
  } counts[] = { { 0, "0" }, { 999, "999" }, { 1000, "1,000" }, { 1000000, "1,000,000" },
                 { 18446744073709551615u, "18,446,744,073,709,551,615" } };
  g_autofree char *escaped = cs_format_excerpt ("a\x1b]0;title\x07z\xc2\x9b", -1, 40);
  g_autofree char *cut = cs_format_excerpt ("0123456789abcdef", -1, 10);
  g_autofree char *whole = cs_format_excerpt ("0123456789", -1, 10);
  g_autofree char *invalid = cs_format_excerpt ("a\xff" "b", -1, 10);
  g_autofree char *safe = cs_format_terminal_safe ("line 1\nline\x1b[2J 2\t!");

  for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autofree char *text = cs_format_count (counts[i].n);
      g_assert_cmpstr (text, ==, counts[i].text);
    }
  g_assert_cmpstr (escaped, ==, "a\\x1B]0;title\\x07z\\x9B");
  g_assert_cmpstr (cut, ==, "0123456789…");
  g_assert_cmpstr (whole, ==, "0123456789");
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_cmpstr (safe, ==, "line 1\nline\\x1B[2J 2\t!");
}

/* JSON as cs_json_write writes it: numbers that read back exactly and are JSON numbers
 * ("1e+20", never "1e+20.0"), null for non-finite values, escaped strings. */
static void
test_json_numbers_valid (void)
{
  g_autoptr (JsonObject) o = json_object_new ();
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonArray *a = json_array_new ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  JsonArray *back;
  const double values[] = { 1e20, 1.0, 0.1, -0.0, 1e-320, 1.7976931348623157e308, 3.0, -2.5e-7 };

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    json_array_add_double_element (a, values[i]);
  json_array_add_double_element (a, NAN);
  json_array_add_double_element (a, INFINITY);
  json_array_add_double_element (a, -INFINITY);
  json_object_set_array_member (o, "v", a);
  json_object_set_string_member (o, "s", "quote \" backslash \\ escape \x1b tab \t");
  json_object_set_int_member (o, "i", -42);
  json_node_set_object (root, o);
  text = cs_json_to_string (root, FALSE, NULL);

  g_assert_null (strstr (text, "inf"));
  g_assert_null (strstr (text, "nan"));
  g_assert_null (strstr (text, "e+20.0"));
  g_assert_nonnull (strstr (text, "[1e+20,1.0,0.1,-0.0,"));
  g_assert_nonnull (strstr (text, "null,null,null]"));
  g_assert_nonnull (strstr (text, "\\u001b"));
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  back = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "v");
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpfloat (json_array_get_double_element (back, i), ==, values[i]);
  g_assert_cmpint (json_node_get_node_type (json_array_get_element (back, G_N_ELEMENTS (values))), ==, JSON_NODE_NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "s"), ==,
                   "quote \" backslash \\ escape \x1b tab \t");
}

/* Text a spreadsheet would run as a formula gets an apostrophe; negative numbers do not. */
static void
test_csv_formula_guard (void)
{
  g_autoptr (CsDataset) ds = cs_dataset_new ("t", 2);
  const int codes[] = { 0, 1 };
  const char *levels[] = { "=1+1", "-3" };
  double *v = g_new (double, 2);
  g_autofree char *dir = g_dir_make_tmp ("cs-format-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) s = g_string_new (NULL);

  v[0] = -1.5;
  v[1] = 2.0;
  cs_dataset_add_numeric (ds, "@sum", v);
  cs_dataset_add_categorical (ds, "+plus", codes, levels, 2);
  g_assert_true (cs_dataset_write_csv (ds, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "\"'@sum\",\"'+plus\"\n-1.5,\"'=1+1\"\n2,-3\n");
  for (const char *t = "=\t-\r+@"; *t; t++)
    {
      char field[3] = { *t, 'x', '\0' };
      g_string_truncate (s, 0);
      cs_csv_append_field (s, field);
      g_assert_true (g_str_has_prefix (s->str, "\"'"));
    }
  g_string_truncate (s, 0);
  cs_csv_append_field (s, "-1e-5");
  g_assert_cmpstr (s->str, ==, "-1e-5");
  g_remove (path);
  g_rmdir (dir);
}

static const CsBadCells *
bad_cells_of (const CsDataset *ds,
              const char      *column)
{
  for (guint i = 0; i < ds->bad_cells->len; i++)
    {
      const CsBadCells *b = g_ptr_array_index (ds->bad_cells, i);
      if (strcmp (b->column, column) == 0)
        return b;
    }
  return NULL;
}

/* A column of numbers with a few cells that are not (one deep in the file): still numbers,
 * those cells missing, and a notice naming the first cell and the count; the other readings
 * on request. Inf and overflowing numbers are such cells, never values. */
static void
test_bad_cells (void)
{
  const char *odd[] = { "Inf", "1e400", "zz", "-inf", NULL };

  for (guint c = 0; odd[c]; c++)
    {
      g_autoptr (GString) text = g_string_new ("a,b\n");
      g_autoptr (GError) error = NULL;
      g_autoptr (CsDataset) ds = NULL;
      g_autoptr (CsDataset) as_text = NULL;
      CsCsvOptions opt;
      const CsBadCells *b;
      g_autofree char *where = NULL;

      for (int i = 0; i < 3000; i++)
        {
          if (i == 2500 || i == 2700)
            g_string_append_printf (text, "%d,%s\n", i, odd[c]);
          else
            g_string_append_printf (text, "%d,%d\n", i, i % 7);
        }
      ds = cs_dataset_load_csv_data (text->str, text->len, "deep.csv", NULL, NULL, &error);
      g_assert_no_error (error);
      assert_column (ds, 1, "b", CS_COLUMN_NUMERIC, 2);
      g_assert_true (isnan (cs_dataset_column (ds, 1)->values[2500]));
      g_assert_cmpfloat (cs_dataset_column (ds, 1)->values[2501], ==, 2501 % 7);
      b = bad_cells_of (ds, "b");
      g_assert_nonnull (b);
      g_assert_cmpuint (b->n_bad, ==, 2);
      g_assert_cmpuint (b->n_cells, ==, 3000);
      g_assert_cmpuint (b->line, ==, 2502);
      g_assert_cmpuint (b->column_number, ==, 6);
      g_assert_cmpstr (b->excerpt, ==, odd[c]);
      g_assert_false (b->as_text);
      where = g_strdup_printf ("‘%s’ at deep.csv:2502:6", odd[c]);
      g_assert_true (has_notice (ds, where));
      g_assert_true (has_notice (ds, "2 of its 3,000 cells"));

      cs_csv_options_init (&opt);
      opt.bad_cells = CS_CSV_BAD_CELLS_TEXT;
      as_text = cs_dataset_load_csv_data (text->str, text->len, "deep.csv", &opt, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (cs_dataset_column (as_text, 1)->kind, ==, CS_COLUMN_CATEGORICAL);
      g_assert_true (bad_cells_of (as_text, "b")->as_text);
    }

  /* The first cells odd, then numbers: numbers after all (a second pass re-reads them). */
  {
    g_autoptr (GString) text = g_string_new ("x,y\nn/a-ish,1\nzz,2\n");
    g_autoptr (GError) error = NULL;
    g_autoptr (CsDataset) ds = NULL;

    for (int i = 0; i < 100; i++)
      g_string_append_printf (text, "%d.5,%d\n", i, i);
    ds = cs_dataset_load_csv_data (text->str, text->len, "early.csv", NULL, NULL, &error);
    g_assert_no_error (error);
    assert_column (ds, 0, "x", CS_COLUMN_NUMERIC, 2);
    g_assert_cmpfloat (cs_dataset_column (ds, 0)->values[2], ==, 0.5);
    g_assert_cmpfloat (cs_dataset_column (ds, 0)->values[101], ==, 99.5);
    g_assert_cmpuint (bad_cells_of (ds, "x")->line, ==, 2);
  }

  /* A text column stays text and is not reported; one with 10 % odd cells is text by default
   * and numbers with MISSING. */
  {
    g_autoptr (GString) text = g_string_new ("kind,v,w\n");
    g_autoptr (GError) error = NULL;
    g_autoptr (CsDataset) ds = NULL;
    g_autoptr (CsDataset) missing = NULL;
    CsCsvOptions opt;

    for (int i = 0; i < 200; i++)
      g_string_append_printf (text, "k%d,%s,%d\n", i % 3, i % 10 == 0 ? "bad" : "1.25", i);
    ds = cs_dataset_load_csv_data (text->str, text->len, "mixed.csv", NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (cs_dataset_column (ds, 0)->kind, ==, CS_COLUMN_CATEGORICAL);
    g_assert_null (bad_cells_of (ds, "kind"));
    g_assert_cmpint (cs_dataset_column (ds, 1)->kind, ==, CS_COLUMN_CATEGORICAL);
    g_assert_true (bad_cells_of (ds, "v")->as_text);
    cs_csv_options_init (&opt);
    opt.bad_cells = CS_CSV_BAD_CELLS_MISSING;
    missing = cs_dataset_load_csv_data (text->str, text->len, "mixed.csv", &opt, NULL, &error);
    g_assert_no_error (error);
    assert_column (missing, 1, "v", CS_COLUMN_NUMERIC, 20);
  }
  {
    CsCsvBadCells policy;
    g_assert_true (cs_csv_bad_cells_from_id ("Text", &policy));
    g_assert_cmpint (policy, ==, CS_CSV_BAD_CELLS_TEXT);
    g_assert_cmpstr (cs_csv_bad_cells_id (CS_CSV_BAD_CELLS_MISSING), ==, "missing");
    g_assert_false (cs_csv_bad_cells_from_id ("sometimes", NULL));
  }
}

static gboolean
cancel_on_report (double      fraction,
                  const char *stage,
                  gpointer    user_data)
{
  (void) fraction;
  (void) stage;
  cs_progress_cancel (*(CsProgress **) user_data);
  return TRUE;
}

/* 100,000 columns all called "a" (the cubic uniqueness check took minutes): unique names in
 * order, and a wide load can be cancelled between rows. */
static void
test_wide_duplicate_names (void)
{
  const guint n = 100000;
  g_autoptr (GString) text = g_string_sized_new (n * 8);
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  CsProgress *holder[1];
  CsProgress *progress;

  for (guint j = 0; j < n; j++)
    g_string_append (text, j == 0 ? "a" : j == 1 ? ",A" : j == 2 ? ",a_3" : ",a");
  g_string_append_c (text, '\n');
  for (guint r = 0; r < 3; r++)
    {
      for (guint j = 0; j < n; j++)
        g_string_append_printf (text, "%s%u", j ? "," : "", (j + r) % 10);
      g_string_append_c (text, '\n');
    }
  ds = cs_dataset_load_csv_data (text->str, text->len, "wide.csv", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cs_dataset_n_columns (ds), ==, n);
  g_assert_cmpstr (cs_dataset_column (ds, 0)->name, ==, "a");
  /* Names differ ignoring case, as cs_dataset_find_column compares them. */
  g_assert_cmpstr (cs_dataset_column (ds, 1)->name, ==, "A_2");
  g_assert_cmpstr (cs_dataset_column (ds, 2)->name, ==, "a_3");
  /* a_2 is taken by A_2 ignoring case, a_3 by the file's own column. */
  g_assert_cmpstr (cs_dataset_column (ds, 3)->name, ==, "a_4");
  g_assert_cmpstr (cs_dataset_column (ds, 4)->name, ==, "a_5");
  g_assert_cmpstr (cs_dataset_column (ds, n - 1)->name, ==, "a_100000");
  for (guint j = 0; j < n; j++)
    {
      g_autofree char *folded = g_ascii_strdown (cs_dataset_column (ds, j)->name, -1);
      g_assert_false (g_hash_table_contains (seen, folded));
      g_hash_table_add (seen, g_steal_pointer (&folded));
    }
  g_assert_cmpfloat (cs_dataset_column (ds, n - 1)->values[2], ==, (n - 1 + 2) % 10);

  /* The first progress report (after the first wide row) asks to stop; the next check stops. */
  holder[0] = progress = cs_progress_new (cancel_on_report, holder, NULL);
  g_assert_null (cs_dataset_load_csv_data (text->str, text->len, "wide.csv", NULL, progress, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  cs_progress_free (progress);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/dataset/csv/good/basic", test_good_basic);
  g_test_add_func ("/core/dataset/csv/good/semicolon-decimal-comma", test_good_decimal_comma);
  g_test_add_func ("/core/dataset/csv/good/tabs", test_good_tabs);
  g_test_add_func ("/core/dataset/csv/good/quoted-fields", test_good_quoted);
  g_test_add_func ("/core/dataset/csv/good/bom-and-crlf", test_good_bom_crlf);
  g_test_add_func ("/core/dataset/csv/good/comment-lines", test_good_comments);
  g_test_add_func ("/core/dataset/csv/good/missing-values", test_good_missing);
  g_test_add_func ("/core/dataset/csv/good/windows-1252", test_good_cp1252);
  g_test_add_func ("/core/dataset/csv/good/trailing-delimiter-dropped", test_good_trailing_delimiter);
  g_test_add_func ("/core/dataset/csv/good/extra-delimiter-in-rows", test_good_extra_delimiter_in_rows);
  g_test_add_func ("/core/dataset/csv/good/empty-column-dropped", test_good_empty_column);
  g_test_add_func ("/core/dataset/csv/good/header-names-disambiguated", test_good_header_names);
  g_test_add_func ("/core/dataset/csv/good/no-header-detected", test_good_no_header);
  g_test_add_func ("/core/dataset/csv/good/space-separated", test_good_spaces);
  g_test_add_func ("/core/dataset/csv/good/numeric-label", test_good_numeric_label);
  g_test_add_func ("/core/dataset/csv/good/text-after-numbers", test_good_late_text);
  g_test_add_func ("/core/dataset/csv/good/blank-lines", test_good_blank_lines);
  g_test_add_func ("/core/dataset/csv/good/lone-cr", test_good_lone_cr);
  g_test_add_func ("/core/dataset/csv/options", test_options);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/dataset/csv/bad/%s", bad_cases[i].file);
      g_test_add_data_func (path, &bad_cases[i], test_bad_file);
    }
  g_test_add_func ("/core/dataset/csv/bad/missing-file", test_bad_missing_file);
  g_test_add_func ("/core/dataset/csv/bad/huge-line-capped", test_bad_huge_line);
  g_test_add_func ("/core/dataset/csv/progress-and-cancel", test_progress_and_cancel);
  g_test_add_func ("/core/dataset/csv/numbers-match-strtod", test_numbers_match_strtod);
  g_test_add_func ("/core/dataset/csv/not-numbers", test_not_numbers);
  g_test_add_func ("/core/dataset/class-labels/categorical", test_class_labels_categorical);
  g_test_add_func ("/core/dataset/prepare/standardize", test_prepare_standardize);
  g_test_add_func ("/core/dataset/prepare/minmax-and-constant", test_prepare_minmax_and_constant);
  g_test_add_func ("/core/dataset/prepare/missing-drop-vs-mean", test_prepare_missing);
  g_test_add_func ("/core/dataset/prepare/one-hot", test_prepare_one_hot);
  g_test_add_func ("/core/dataset/prepare/nothing-left", test_prepare_nothing_left);
  g_test_add_func ("/core/dataset/pca/iris-matches-sklearn", test_pca_iris);
  g_test_add_func ("/core/dataset/pca/sign-and-ratio", test_pca_invariants);
  g_test_add_func ("/core/dataset/toy/deterministic", test_toy_deterministic);
  g_test_add_func ("/core/dataset/toy/shapes", test_toy_shapes);
  for (guint i = 0; i < G_N_ELEMENTS (sample_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/dataset/samples/%s", sample_cases[i].id);
      g_test_add_data_func (path, &sample_cases[i], test_sample);
    }
  g_test_add_func ("/core/dataset/samples/list", test_samples_list);

  g_test_add_func ("/core/dataset/default-axes", test_default_axes);
  g_test_add_func ("/core/dataset/image-shape-from-column-names", test_image_shape_from_names);
  g_test_add_func ("/core/pipeline/labels-scored-like-a-run", test_pipeline_from_labels);
  g_test_add_func ("/core/pipeline/at-k-is-the-recorded-clustering", test_pipeline_at_k);
  g_test_add_func ("/core/format/shortest-round-trip", test_format_shortest_round_trip);
  g_test_add_func ("/core/format/count-and-excerpt", test_format_count_and_excerpt);
  g_test_add_func ("/core/format/json-numbers-valid", test_json_numbers_valid);
  g_test_add_func ("/core/format/csv-formula-guard", test_csv_formula_guard);
  g_test_add_func ("/core/dataset/csv/numbers-with-odd-cells", test_bad_cells);
  g_test_add_func ("/core/dataset/csv/wide-duplicate-names", test_wide_duplicate_names);
  return g_test_run ();
}
