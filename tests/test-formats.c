/* Data formats beyond CSV (issue 14): SPSS, Stata, SAS, ARFF, HDF5 and AnnData. The fixtures in
 * tests/fixtures/formats were written by the reference tools (R haven/foreign, Python h5py;
 * make_formats_fixtures.{R,py}) from the bundled iris CSV, so every reader must give the CSV's
 * numbers and labels. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/data/cs-arff.h"
#include "core/data/cs-dataset.h"
#include "core/data/cs-hdf5.h"
#include "core/data/cs-load.h"
#include "core/data/cs-samples.h"

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "formats", name, NULL);
}

static CsDataset *
load_fixture (const char *name,
              const char *object)
{
  g_autofree char *path = fixture (name);
  g_autoptr (GError) error = NULL;
  CsDataset *ds = cs_dataset_load_file (path, NULL, object, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ds);
  return ds;
}

/* The four measurements equal the CSV's within `rel` (0: exactly), the label is the species
 * with the same level of every row. */
static void
assert_same_as_iris (const CsDataset *ds,
                     double           rel,
                     gboolean         with_label)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) csv = cs_sample_load ("iris", &error);
  guint numeric = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_rows, ==, csv->n_rows);
  for (guint j = 0; j < ds->columns->len && numeric < 4; j++)
    {
      const CsColumn *col = cs_dataset_column (ds, j);
      const CsColumn *ref = cs_dataset_column (csv, numeric);

      if (col->kind != CS_COLUMN_NUMERIC || (int) j == ds->label_column)
        continue;
      for (gsize i = 0; i < ds->n_rows; i++)
        if (rel == 0)
          g_assert_cmpfloat (col->values[i], ==, ref->values[i]);
        else
          g_assert_cmpfloat_with_epsilon (col->values[i], ref->values[i], rel * fabs (ref->values[i]));
      numeric++;
    }
  g_assert_cmpuint (numeric, ==, 4);
  if (with_label)
    {
      const CsColumn *label;
      const CsColumn *ref = cs_dataset_column (csv, csv->label_column);

      g_assert_cmpint (ds->label_column, >=, 0);
      label = cs_dataset_column (ds, ds->label_column);
      g_assert_cmpint (label->kind, ==, CS_COLUMN_CATEGORICAL);
      g_assert_cmpuint (label->levels->len, ==, 3);
      for (gsize i = 0; i < ds->n_rows; i++)
        g_assert_cmpstr (g_ptr_array_index (label->levels, (guint) label->values[i]), ==,
                         g_ptr_array_index (ref->levels, (guint) ref->values[i]));
    }
}

static void
test_same_as_csv (gconstpointer data)
{
  const char *name = data;
  g_autoptr (CsDataset) ds = load_fixture (name, NULL);
  /* SAS transport stores IBM hexadecimal floats; AnnData's X here is float32. */
  double rel = g_str_has_suffix (name, ".xpt") ? 1e-14 : g_str_has_suffix (name, ".h5ad") ? 1e-6 : 0;

  assert_same_as_iris (ds, rel, strcmp (name, "single.h5") != 0);
  g_assert_cmpuint (ds->n_rows, ==, 150);
}

static void
test_value_labels (void)
{
  g_autoptr (CsDataset) sav = load_fixture ("iris.sav", NULL);
  g_autoptr (CsDataset) dta = load_fixture ("iris.dta", NULL);
  g_autoptr (CsDataset) por = load_fixture ("iris.por", NULL);
  CsDataset *both[] = { sav, dta, por };

  for (guint k = 0; k < G_N_ELEMENTS (both); k++)
    {
      const CsColumn *species;
      int s = cs_dataset_find_column (both[k], "species");

      g_assert_cmpint (s, >=, 0);
      g_assert_cmpint (both[k]->label_column, ==, s);
      species = cs_dataset_column (both[k], s);
      g_assert_cmpint (species->kind, ==, CS_COLUMN_CATEGORICAL);
      g_assert_cmpstr (g_ptr_array_index (species->levels, 0), ==, "setosa");
      g_assert_cmpstr (g_ptr_array_index (species->levels, 1), ==, "versicolor");
      g_assert_cmpstr (g_ptr_array_index (species->levels, 2), ==, "virginica");
      g_assert_cmpstr (species->description, ==, "Iris species");
      g_assert_cmpstr (cs_dataset_column (both[k], 0)->description, ==, "Sepal length (cm)");
      g_assert_null (cs_dataset_column (both[k], 1)->description);
    }
}

static void
test_user_missing (void)
{
  g_autoptr (CsDataset) sav = load_fixture ("missing.sav", NULL);
  g_autoptr (CsDataset) dta = load_fixture ("missing.dta", NULL);
  const double want[] = { 1.5, NAN, 2.5, NAN, NAN, 3.5 };
  CsDataset *both[] = { sav, dta };
  const CsColumn *group;

  for (guint k = 0; k < G_N_ELEMENTS (both); k++)
    {
      const CsColumn *x = cs_dataset_column (both[k], cs_dataset_find_column (both[k], "x"));

      g_assert_cmpuint (both[k]->n_rows, ==, 6);
      g_assert_cmpint (x->kind, ==, CS_COLUMN_NUMERIC);
      /* 99 (discrete), 950 (in the range 900-999), system-missing; Stata's .a, .b and . */
      g_assert_cmpuint (x->n_missing, ==, 3);
      for (guint i = 0; i < 6; i++)
        if (isnan (want[i]))
          g_assert_true (isnan (x->values[i]));
        else
          g_assert_cmpfloat (x->values[i], ==, want[i]);
    }
  g_assert_cmpstr (cs_dataset_column (sav, 1)->description, ==, "A score");
  /* "refused" (9) is user-missing: a missing value, not a category of its own. */
  group = cs_dataset_column (sav, cs_dataset_find_column (sav, "group"));
  g_assert_cmpint (group->kind, ==, CS_COLUMN_CATEGORICAL);
  g_assert_cmpuint (group->n_missing, ==, 1);
  g_assert_true (isnan (group->values[4]));
  g_assert_cmpstr (g_ptr_array_index (group->levels, (guint) group->values[1]), ==, "high");
}

static void
assert_datasets_equal (const CsDataset *a,
                       const CsDataset *b)
{
  g_assert_cmpuint (a->n_rows, ==, b->n_rows);
  g_assert_cmpuint (a->columns->len, ==, b->columns->len);
  g_assert_cmpint (a->label_column, ==, b->label_column);
  for (guint j = 0; j < a->columns->len; j++)
    {
      const CsColumn *ca = cs_dataset_column (a, j);
      const CsColumn *cb = cs_dataset_column (b, j);

      g_assert_cmpstr (ca->name, ==, cb->name);
      g_assert_cmpint (ca->kind, ==, cb->kind);
      g_assert_cmpmem (ca->values, a->n_rows * sizeof (double), cb->values, b->n_rows * sizeof (double));
      if (ca->levels)
        for (guint l = 0; l < ca->levels->len; l++)
          g_assert_cmpstr (g_ptr_array_index (ca->levels, l), ==, g_ptr_array_index (cb->levels, l));
    }
}

static void
test_arff_sparse_equals_dense (void)
{
  g_autoptr (CsDataset) dense = load_fixture ("iris.arff", NULL);
  g_autoptr (CsDataset) sparse = load_fixture ("iris-sparse.arff", NULL);

  assert_datasets_equal (dense, sparse);
}

static CsDataset *
arff (const char *text,
      GError    **error)
{
  return cs_dataset_load_arff_data (text, strlen (text), "t.arff", NULL, NULL, error);
}

static void
test_arff_types (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = arff ("% a comment\n"
                                   "@RELATION 'a relation'\n\n"
                                   "@attribute 'x y' REAL\n"
                                   "@attribute n integer\n"
                                   "@attribute s string\n"
                                   "@attribute when date 'yyyy-MM-dd HH:mm'\n"
                                   "@attribute iso date\n"
                                   "@attribute class {'a b',c}\n"
                                   "@data\n"
                                   "1.5, 2, 'it\\'s', '2020-01-02 03:04', 2000-01-01T00:00:00, 'a b'\n"
                                   "?, -1, \"q\\\"t\", ?, ?, c % trailing comment\n"
                                   "{0 7, 5 c}\n",
                                   &error);
  const CsColumn *s;

  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_rows, ==, 3);
  g_assert_cmpuint (ds->columns->len, ==, 6);
  g_assert_cmpstr (cs_dataset_column (ds, 0)->name, ==, "x y");
  g_assert_cmpfloat (cs_dataset_column (ds, 0)->values[0], ==, 1.5);
  g_assert_true (isnan (cs_dataset_column (ds, 0)->values[1]));
  g_assert_cmpfloat (cs_dataset_column (ds, 0)->values[2], ==, 7);
  g_assert_cmpfloat (cs_dataset_column (ds, 1)->values[1], ==, -1);
  g_assert_cmpfloat (cs_dataset_column (ds, 1)->values[2], ==, 0);
  s = cs_dataset_column (ds, 2);
  g_assert_cmpint (s->kind, ==, CS_COLUMN_CATEGORICAL);
  g_assert_cmpstr (g_ptr_array_index (s->levels, (guint) s->values[0]), ==, "it's");
  g_assert_cmpstr (g_ptr_array_index (s->levels, (guint) s->values[1]), ==, "q\"t");
  g_assert_cmpfloat (cs_dataset_column (ds, 3)->values[0], ==, 1577934240.0); /* 2020-01-02T03:04Z */
  g_assert_cmpfloat (cs_dataset_column (ds, 4)->values[0], ==, 946684800.0);
  g_assert_cmpint (ds->label_column, ==, 5); /* the last nominal attribute, as in Weka */
  g_assert_cmpfloat (cs_dataset_column (ds, 5)->values[0], ==, 0);
  g_assert_cmpfloat (cs_dataset_column (ds, 5)->values[2], ==, 1);
}

typedef struct
{
  const char *text;
  const char *where; /* "t.arff:LINE:COLUMN:" */
  const char *what;
} Bad;

static void
test_arff_errors (void)
{
  static const Bad bad[] = {
    { "", "t.arff:1:1:", "expected @relation" },
    { "@attribute a numeric\n", "t.arff:1:1:", "begin with @relation" },
    { "@relation r\n@attribute a numeric\n", "t.arff:3:1:", "expected @data" },
    { "@relation r\n@attribute a numeric\n@data\n", "t.arff:4:1:", "no rows" },
    { "@relation r\n@data\n1\n", "t.arff:2:1:", "before any @attribute" },
    { "@relation r\n@attribute a nummeric\n@data\n1\n", "t.arff:2:14:", "found the type ‘nummeric’" },
    { "@relation r\n@attribute a relational\n@data\n", "t.arff:2:14:", "relational" },
    { "@relation r\n@attribute a {x,y\n@data\n", "t.arff:2:18:", "expected , or }" },
    { "@relation r\n@attribute a {x,x}\n@data\n", "t.arff:2:", "twice" },
    { "@relation r\n@attribute a numeric\n@data\n1\nzz\n", "t.arff:5:1:", "expected a finite number" },
    { "@relation r\n@attribute a numeric\n@data\n1e400\n", "t.arff:4:1:", "finite number" },
    { "@relation r\n@attribute a numeric\n@attribute b {x,y}\n@data\n1,z\n", "t.arff:5:3:", "one of {x, y}" },
    { "@relation r\n@attribute a numeric\n@attribute b numeric\n@data\n1\n", "t.arff:5:2:", "found 1 value" },
    { "@relation r\n@attribute a numeric\n@data\n1,2\n", "t.arff:4:3:", "more values than attributes" },
    { "@relation r\n@attribute a string\n@data\n'open\n", "t.arff:4:1:", "not closed" },
    { "@relation r\n@attribute a numeric\n@data\n{1 2}\n", "t.arff:4:2:", "index from 0 to 0" },
    { "@relation r\n@attribute a numeric\n@data\n{0}\n", "t.arff:4:3:", "no value after the index" },
    { "@relation r\n@attribute a numeric\n@attribute d date\n@data\n1,2020-13-01T00:00:00\n", "t.arff:5:3:",
      "expected a date" },
    { "@relation r\n@attribute d date 'EEE yyyy'\n@data\n", "t.arff:2:19:", "field letter ‘E’" },
    { "@relation r\n@attribute a numeric\n@data\n1\x00\n", "t.arff:4:", "NUL" },
    { "@relation r\n@attribute s string\n@data\n'only text'\n", "t.arff", "no column of numbers" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_autoptr (GError) error = NULL;
      gsize len = strlen (bad[k].text);
      g_autoptr (CsDataset) ds = NULL;

      /* One case holds a NUL: its length is the literal's. */
      if (strstr (bad[k].what, "NUL") != NULL)
        len = strlen (bad[k].text) + 2;
      ds = cs_dataset_load_arff_data (bad[k].text, len, "t.arff", NULL, NULL, &error);
      g_assert_null (ds);
      g_assert_nonnull (error);
      if (!g_str_has_prefix (error->message, bad[k].where) || strstr (error->message, bad[k].what) == NULL)
        g_error ("case %u: ‘%s’ does not start with ‘%s’ and hold ‘%s’", k, error->message, bad[k].where,
                 bad[k].what);
    }
}

static void
test_hdf5_list_and_choose (void)
{
  g_autofree char *path = fixture ("iris.h5");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = cs_hdf5_list (path, &error);
  g_autoptr (CsDataset) none = NULL;
  g_autoptr (CsDataset) chosen = NULL;
  const CsHdf5Entry *e;

  g_assert_no_error (error);
  /* The 1-D datasets and the strings are not matrices. */
  g_assert_cmpuint (entries->len, ==, 2);
  e = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (e->path, ==, "/measurements/iris");
  g_assert_cmpuint (e->rows, ==, 150);
  g_assert_cmpuint (e->cols, ==, 4);
  g_assert_cmpstr (e->type, ==, "float64");
  e = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (e->path, ==, "/measurements/petals_int");
  g_assert_cmpuint (e->cols, ==, 2);
  g_assert_cmpstr (e->type, ==, "int32");

  none = cs_dataset_load_file (path, NULL, NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "/measurements/iris (150 × 4)"));
  g_clear_error (&error);

  chosen = load_fixture ("iris.h5", "/measurements/iris");
  assert_same_as_iris (chosen, 0, FALSE);

  g_clear_pointer (&chosen, cs_dataset_unref);
  chosen = cs_dataset_load_file (path, NULL, "/nowhere", NULL, &error);
  g_assert_null (chosen);
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "‘/nowhere’"));
}

static void
test_hdf5_sampling (void)
{
  g_autofree char *path = fixture ("single.h5");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) csv = cs_sample_load ("iris", &error);
  /* Room for 30 rows of 4 doubles: every fifth row. */
  g_autoptr (CsDataset) ds = cs_dataset_load_hdf5 (path, NULL, NULL, 30 * 4 * sizeof (double), NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_rows, ==, 30);
  for (guint j = 0; j < 4; j++)
    for (gsize i = 0; i < 30; i++)
      g_assert_cmpfloat (cs_dataset_column (ds, j)->values[i], ==, cs_dataset_column (csv, j)->values[i * 5]);
  g_assert_cmpuint (ds->notices->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (ds->notices, 0), "30 of its 150 rows"));
}

static void
test_h5ad (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) csv = cs_sample_load ("iris", &error);
  g_autoptr (CsDataset) dense = load_fixture ("iris.h5ad", NULL);
  g_autoptr (CsDataset) sparse = load_fixture ("iris-sparse.h5ad", NULL);
  const CsColumn *label;

  /* var's index names the columns; obs's cell_type is the label (a name single-cell tools give
   * annotations, though batch comes first), the text column is a category too, the numeric one
   * is not read. */
  g_assert_cmpstr (cs_dataset_column (dense, 0)->name, ==, "sepal_length");
  g_assert_cmpuint (dense->columns->len, ==, 6);
  label = cs_dataset_column (dense, dense->label_column);
  g_assert_cmpstr (label->name, ==, "cell_type");
  g_assert_cmpint (cs_dataset_find_column (dense, "batch"), ==, 4);
  g_assert_cmpint (cs_dataset_column (dense, 4)->kind, ==, CS_COLUMN_CATEGORICAL);
  g_assert_cmpint (cs_dataset_find_column (dense, "n_counts"), ==, -1);

  /* The CSR matrix is X with setosa's petal columns zeroed. */
  g_assert_cmpuint (sparse->n_rows, ==, 150);
  for (guint j = 0; j < 4; j++)
    for (gsize i = 0; i < 150; i++)
      {
        double want = cs_dataset_column (csv, j)->values[i];
        if (j >= 2 && i < 50)
          want = 0;
        g_assert_cmpfloat_with_epsilon (cs_dataset_column (sparse, j)->values[i], want, 1e-6 * fabs (want) + 1e-300);
      }
  label = cs_dataset_column (sparse, sparse->label_column);
  g_assert_cmpstr (label->name, ==, "cell_type");
  g_assert_cmpstr (g_ptr_array_index (label->levels, (guint) label->values[149]), ==, "virginica");
}

static void
test_detect_by_signature (void)
{
  static const char *const names[] = { "iris.sav", "iris.dta", "iris.xpt", "iris.sas7bdat", "iris.arff", "single.h5",
                                       "iris.por" };
  static const CsFileFormat formats[] = { CS_FILE_FORMAT_SAV,      CS_FILE_FORMAT_DTA,  CS_FILE_FORMAT_XPT,
                                          CS_FILE_FORMAT_SAS7BDAT, CS_FILE_FORMAT_ARFF, CS_FILE_FORMAT_HDF5,
                                          CS_FILE_FORMAT_POR };
  g_autofree char *dir = g_dir_make_tmp ("cs-formats-XXXXXX", NULL);

  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autofree char *src = fixture (names[k]);
      g_autofree char *copy = g_build_filename (dir, "renamed.data", NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;
      g_autoptr (GError) error = NULL;
      g_autoptr (CsDataset) ds = NULL;

      g_assert_true (g_file_get_contents (src, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (copy, contents, len, NULL));
      g_assert_cmpint (cs_file_format_detect (copy), ==, formats[k]);
      ds = cs_dataset_load_file (copy, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      assert_same_as_iris (ds, formats[k] == CS_FILE_FORMAT_XPT ? 1e-14 : 0, FALSE);
      g_unlink (copy);
    }
  /* Extensions decide only without a signature. */
  g_assert_cmpint (cs_file_format_detect_data ("a,b\n1,2\n", 8, "x.sav"), ==, CS_FILE_FORMAT_SAV);
  g_assert_cmpint (cs_file_format_detect_data ("a,b\n1,2\n", 8, "x.txt"), ==, CS_FILE_FORMAT_CSV);
  g_assert_cmpint (cs_file_format_detect_data ("% c\n\n@RELATION x\n", 17, "x.txt"), ==, CS_FILE_FORMAT_ARFF);
  g_assert_cmpint (cs_file_format_detect_data ("$FL2xxxx", 8, "x.csv"), ==, CS_FILE_FORMAT_SAV);
  g_rmdir (dir);
}

/* Every fixture cut short at several points is refused with a message naming the file. Two
 * formats cannot tell: ARFF cut at a line end is a shorter valid file, and SAS transport has no
 * row count (rows fill 80-byte records up to the end of the file); then fewer rows are read. */
static void
test_truncated (void)
{
  static const char *const names[] = { "iris.sav", "iris.zsav", "iris.por", "iris.dta", "iris.xpt", "iris.sas7bdat",
                                       "iris.arff", "iris-sparse.arff", "iris.h5", "single.h5", "iris.h5ad",
                                       "iris-sparse.h5ad", "missing.sav", "missing.dta" };
  g_autofree char *dir = g_dir_make_tmp ("cs-formats-XXXXXX", NULL);

  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autofree char *src = fixture (names[k]);
      g_autofree char *contents = NULL;
      gsize len = 0;
      const double cuts[] = { 0, 0.02, 0.1, 0.33, 0.5, 0.77, 0.9 };

      g_assert_true (g_file_get_contents (src, &contents, &len, NULL));
      for (guint c = 0; c < G_N_ELEMENTS (cuts) + 1; c++)
        {
          gsize keep = c < G_N_ELEMENTS (cuts) ? (gsize) (cuts[c] * len) : len - 1;
          g_autofree char *copy = g_build_filename (dir, names[k], NULL);
          g_autoptr (GError) error = NULL;
          g_autoptr (CsDataset) ds = NULL;

          g_assert_true (g_file_set_contents (copy, contents, keep, NULL));
          ds = cs_dataset_load_file (copy, NULL, g_str_has_prefix (names[k], "iris.h5") && !strstr (names[k], "h5ad")
                                                      ? "/measurements/iris" : NULL, NULL, &error);
          if (ds != NULL)
            {
              g_test_message ("%s cut to %zu of %zu bytes reads as %zu rows", names[k], keep, len, ds->n_rows);
              g_assert_true (g_str_has_suffix (names[k], ".arff") || g_str_has_suffix (names[k], ".xpt")
                             || keep == len - 1);
              g_assert_cmpuint (ds->n_rows, <=, 150);
            }
          else
            {
              g_assert_nonnull (error);
              g_assert_true (error->domain == CS_ERROR);
              if (strstr (error->message, names[k]) == NULL)
                g_error ("%s cut to %zu bytes: the message ‘%s’ does not name the file", names[k], keep,
                         error->message);
            }
          g_unlink (copy);
        }
    }
  g_rmdir (dir);
}

/* Copies of the .h5ad fixtures with a few bytes changed at random that crashed or hung
 * libhdf5 1.10 before the reader checked the global heap (vlen_heap_ok) and stopped reading
 * string attributes: each must now load or be refused, naming the file. */
static void
test_hdf5_damaged (void)
{
  static const char *const names[] = { "heap-string.h5ad", "heap-attribute.h5ad", "heap-scalar-attribute.h5ad",
                                       "huge-categories.h5ad", "hang.h5ad" };

  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "formats", "damaged", names[k], NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (CsDataset) ds = cs_dataset_load_file (path, NULL, NULL, NULL, &error);

      if (ds != NULL)
        g_assert_cmpuint (ds->n_rows, <=, 150);
      else
        {
          g_assert_nonnull (error);
          g_assert_nonnull (strstr (error->message, names[k]));
        }
    }
}

int
main (int    argc,
      char **argv)
{
  static const char *const same[] = { "iris.sav", "iris.zsav", "iris.por", "iris.dta", "iris.xpt", "iris.sas7bdat",
                                      "iris.arff", "iris-sparse.arff", "single.h5", "iris.h5ad" };

  g_test_init (&argc, &argv, NULL);
  for (guint k = 0; k < G_N_ELEMENTS (same); k++)
    {
      g_autofree char *name = g_strdup_printf ("/core/formats/same-as-csv/%s", same[k]);
      g_test_add_data_func (name, same[k], test_same_as_csv);
    }
  g_test_add_func ("/core/formats/readstat/value-labels-are-categories", test_value_labels);
  g_test_add_func ("/core/formats/readstat/user-missing-is-missing", test_user_missing);
  g_test_add_func ("/core/formats/arff/sparse-equals-dense", test_arff_sparse_equals_dense);
  g_test_add_func ("/core/formats/arff/types", test_arff_types);
  g_test_add_func ("/core/formats/arff/errors-name-line-and-column", test_arff_errors);
  g_test_add_func ("/core/formats/hdf5/list-and-choose", test_hdf5_list_and_choose);
  g_test_add_func ("/core/formats/hdf5/sampling-beyond-budget", test_hdf5_sampling);
  g_test_add_func ("/core/formats/hdf5/h5ad-dense-and-csr", test_h5ad);
  g_test_add_func ("/core/formats/hdf5/damaged-files-no-crash", test_hdf5_damaged);
  g_test_add_func ("/core/formats/detect-by-signature", test_detect_by_signature);
  g_test_add_func ("/core/formats/truncated-files-refused", test_truncated);
  return g_test_run ();
}
