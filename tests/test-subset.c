/* Subsets of a dataset's rows (the window's "Cluster Selection Only" and "Exclude
 * Selection"): every column, role, level and description carried over, row order kept, the
 * provenance composed through subsets of subsets, and refusals with a message. */
#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/data/cs-dataset-subset.h"
#include "core/data/cs-samples.h"

#include "test-common.h"

/* Ten rows: a numeric column with two missing cells, a categorical one whose last level only
 * row 9 has (and row 4 missing), described columns, the categorical column as labels. */
static CsDataset *
toy (void)
{
  CsDataset        *ds = cs_dataset_new ("toy", 10);
  double           *x = g_new (double, 10);
  double           *y = g_new (double, 10);
  int               codes[10] = { 0, 1, 0, 1, -1, 0, 1, 0, 1, 2 };
  const char *const levels[] = { "a", "b", "rare" };

  for (int i = 0; i < 10; i++)
    {
      x[i] = i == 3 || i == 6 ? NAN : 10.0 * i + 0.5;
      y[i] = -i;
    }
  cs_dataset_add_numeric (ds, "x", x)->description = g_strdup ("Length (cm)");
  cs_dataset_add_numeric (ds, "y", y);
  cs_dataset_add_categorical (ds, "class", codes, levels, 3)->description = g_strdup ("Species");
  ds->label_column = 2;
  ds->path = g_strdup ("/data/toy.csv");
  g_ptr_array_add (ds->notices, g_strdup ("Column ‘z’ was empty and has been dropped"));
  return ds;
}

static void
test_subset_keeps_columns_roles_and_order (void)
{
  g_autoptr (CsDataset) ds = toy ();
  g_autoptr (GError) error = NULL;
  /* Unordered, with a repeat: the subset is rows 2, 3, 6, 9 in the dataset's order. */
  const gsize rows[] = { 9, 3, 2, 6, 3 };
  const gsize expect[] = { 2, 3, 6, 9 };
  g_autoptr (CsDataset) sub = cs_dataset_subset (ds, rows, G_N_ELEMENTS (rows), &error);

  g_assert_no_error (error);
  g_assert_nonnull (sub);
  g_assert_cmpuint (sub->n_rows, ==, 4);
  g_assert_cmpstr (sub->name, ==, "toy · 4 of 10 rows");
  g_assert_null (sub->path);
  g_assert_null (sub->sample_id);
  g_assert_cmpint (sub->label_column, ==, 2);
  g_assert_cmpuint (cs_dataset_n_columns (sub), ==, 3);
  for (gsize c = 0; c < 3; c++)
    {
      const CsColumn *a = cs_dataset_column (ds, c);
      const CsColumn *b = cs_dataset_column (sub, c);
      gsize           missing = 0;

      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_cmpint (a->kind, ==, b->kind);
      g_assert_cmpstr (a->description, ==, b->description);
      for (gsize i = 0; i < 4; i++)
        {
          double va = a->values[expect[i]];
          double vb = b->values[i];

          if (isnan (va))
            {
              g_assert_true (isnan (vb));
              missing++;
            }
          else
            g_assert_cmpfloat (va, ==, vb);
        }
      g_assert_cmpuint (b->n_missing, ==, missing);
    }
  /* x is missing in rows 3 and 6. */
  g_assert_cmpuint (cs_dataset_column (sub, 0)->n_missing, ==, 2);
  /* Every level stays, in its order, even one only a kept row has or none has. */
  {
    const CsColumn *cls = cs_dataset_column (sub, 2);
    g_assert_cmpuint (cls->levels->len, ==, 3);
    g_assert_cmpstr (g_ptr_array_index (cls->levels, 2), ==, "rare");
    g_assert_cmpfloat (cls->values[3], ==, 2.0);
  }
  /* The source's notices count the file, not these rows. */
  g_assert_cmpuint (sub->notices->len, ==, 0);
  /* Provenance: the file and the rows. */
  g_assert_nonnull (sub->origin);
  g_assert_cmpstr (sub->origin->source_path, ==, "/data/toy.csv");
  g_assert_cmpstr (sub->origin->source_name, ==, "toy");
  g_assert_cmpuint (sub->origin->source_n_rows, ==, 10);
  g_assert_cmpuint (sub->origin->n_rows, ==, 4);
  for (gsize i = 0; i < 4; i++)
    g_assert_cmpuint (sub->origin->rows[i], ==, expect[i]);
  /* The source is untouched. */
  g_assert_cmpuint (ds->n_rows, ==, 10);
  g_assert_null (ds->origin);
}

static void
test_exclude_is_the_complement (void)
{
  g_autoptr (CsDataset) ds = toy ();
  g_autoptr (GError) error = NULL;
  const gsize rows[] = { 0, 4, 5, 9 };
  g_autoptr (CsDataset) kept = cs_dataset_subset (ds, rows, 4, &error);
  g_autoptr (CsDataset) rest = cs_dataset_exclude (ds, rows, 4, &error);
  g_autofree guint8 *seen = g_new0 (guint8, 10);

  g_assert_no_error (error);
  g_assert_cmpuint (kept->n_rows + rest->n_rows, ==, ds->n_rows);
  g_assert_cmpstr (rest->name, ==, "toy · 6 of 10 rows");
  /* Together they are every row once, each side ascending. */
  for (gsize i = 0; i < kept->n_rows; i++)
    seen[kept->origin->rows[i]]++;
  for (gsize i = 0; i < rest->n_rows; i++)
    {
      seen[rest->origin->rows[i]]++;
      if (i > 0)
        g_assert_cmpuint (rest->origin->rows[i - 1], <, rest->origin->rows[i]);
      g_assert_cmpfloat (cs_dataset_column (rest, 1)->values[i], ==, -(double)rest->origin->rows[i]);
    }
  for (gsize i = 0; i < 10; i++)
    g_assert_cmpuint (seen[i], ==, 1);
}

static void
test_subset_of_subset_names_the_first_source (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) wine = cs_sample_load ("wine", &error);
  g_autofree gsize *rows = g_new (gsize, 89);
  g_autoptr (CsDataset) first = NULL;
  g_autoptr (CsDataset) second = NULL;
  const gsize pick[] = { 1, 50, 88 };

  g_assert_no_error (error);
  for (gsize i = 0; i < 89; i++)
    rows[i] = 2 * i + 1;
  first = cs_dataset_subset (wine, rows, 89, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first->origin->source_sample, ==, "wine");
  second = cs_dataset_subset (first, pick, 3, &error);
  g_assert_no_error (error);
  /* Counted against wine's 178 rows, and the rows are wine's. */
  g_assert_cmpstr (second->name, ==, "Wine · 3 of 178 rows");
  g_assert_cmpstr (second->origin->source_sample, ==, "wine");
  g_assert_cmpuint (second->origin->rows[0], ==, 3);
  g_assert_cmpuint (second->origin->rows[1], ==, 101);
  g_assert_cmpuint (second->origin->rows[2], ==, 177);
  for (gsize c = 0; c < cs_dataset_n_columns (wine); c++)
    for (gsize i = 0; i < 3; i++)
      g_assert_cmpfloat (cs_dataset_column (second, c)->values[i], ==,
                         cs_dataset_column (wine, c)->values[second->origin->rows[i]]);
  {
    g_autoptr (CsDatasetOrigin) copy = cs_dataset_origin_copy (second->origin);
    g_assert_cmpuint (copy->rows[2], ==, 177);
    g_assert_cmpstr (copy->source_name, ==, "Wine");
  }
}

static void
test_refusals (void)
{
  g_autoptr (CsDataset) ds = toy ();
  g_autoptr (GError) error = NULL;
  const gsize all[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  const gsize bad[] = { 2, 10 };
  CsDataset  *out;

  out = cs_dataset_subset (ds, NULL, 0, &error);
  g_assert_null (out);
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "No rows are selected"));
  g_clear_error (&error);

  out = cs_dataset_exclude (ds, NULL, 0, &error);
  g_assert_null (out);
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  out = cs_dataset_exclude (ds, all, 10, &error);
  g_assert_null (out);
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "no data"));
  g_clear_error (&error);

  /* Counted from 1, as the table numbers rows. */
  out = cs_dataset_subset (ds, bad, 2, &error);
  g_assert_null (out);
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "Row 11 is not in toy, which has 10 rows"));
}

static void
test_rows_to_csv (void)
{
  g_autoptr (CsDataset) ds = toy ();
  int              clusters[10];
  const gsize      rows[] = { 9, 2, 4 };
  g_autofree char *text = NULL;
  g_autofree char *plain = NULL;

  for (int i = 0; i < 10; i++)
    clusters[i] = i % 2;
  clusters[2] = -1;
  clusters[4] = G_MININT;
  /* As listed; categories by name; a missing category and an unclustered row empty. */
  text = cs_dataset_rows_to_csv (ds, rows, 3, clusters);
  g_assert_cmpstr (text, ==, "row,x,y,class,cluster\n9,90.5,-9,rare,1\n2,20.5,-2,a,-1\n4,40.5,-4,,\n");
  plain = cs_dataset_rows_to_csv (ds, rows, 1, NULL);
  g_assert_cmpstr (plain, ==, "row,x,y,class\n9,90.5,-9,rare\n");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/subset/keeps-columns-roles-and-order", test_subset_keeps_columns_roles_and_order);
  g_test_add_func ("/core/subset/exclude-is-the-complement", test_exclude_is_the_complement);
  g_test_add_func ("/core/subset/subset-of-subset-names-the-first-source",
                   test_subset_of_subset_names_the_first_source);
  g_test_add_func ("/core/subset/refusals", test_refusals);
  g_test_add_func ("/core/subset/rows-to-csv", test_rows_to_csv);
  return g_test_run ();
}
