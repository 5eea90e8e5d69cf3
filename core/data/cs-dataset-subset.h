#pragma once

#include "core/data/cs-dataset.h"

G_BEGIN_DECLS

/* Subsets of a dataset's rows: the window's "Cluster Selection Only" and "Exclude Selection".
 * A subset is a new dataset (the source is left alone) with every column, its kind, level
 * names and description, the label column and the image shape; its rows keep their order. It
 * is no longer the file (path and sample_id are NULL), and it remembers where its rows came
 * from in `origin`, so a session can record "rows … of FILE" instead of the numbers. */

typedef struct _CsDatasetOrigin
{
  char  *source_name;   /* Owned: the dataset the rows were first taken from ("wine") */
  char  *source_path;   /* Owned, may be NULL: its file */
  char  *source_sample; /* Owned, may be NULL: its bundled sample id */
  gsize  source_n_rows; /* rows the source had */
  gsize *rows;          /* Owned, one per row of the subset, ascending: the source's row */
  gsize  n_rows;
} CsDatasetOrigin;

CsDatasetOrigin *cs_dataset_origin_copy (const CsDatasetOrigin *origin);
void             cs_dataset_origin_free (CsDatasetOrigin *origin);

/* The rows of `ds` listed in `rows` (any order, repeats counted once), in ds's order. Fails
 * with CS_ERROR_INVALID_ARGUMENT when none is listed or a row is out of range. The subset's
 * name says what it is: "wine · 42 of 178 rows" (counted against the first source when ds is
 * itself a subset, whose origin it composes with). */
CsDataset *cs_dataset_subset (const CsDataset *ds, const gsize *rows, gsize n, GError **error);
/* The rows of `ds` not listed in `rows`: the complement, in ds's order. Fails when that would
 * leave no row or a listed row is out of range. */
CsDataset *cs_dataset_exclude (const CsDataset *ds, const gsize *rows, gsize n, GError **error);

/* Rows of `ds` (as listed, each must be < n_rows) as CSV text: "row" (the dataset row, from
 * 0, as the labels export counts), every column (numbers in their shortest exact form,
 * categories by name, missing values empty), then, with `clusters` (one per dataset row, may
 * be NULL), a "cluster" column: the label from 0, -1 for noise, empty for a row below -1 (not
 * clustered). Text fields are quoted and guarded against spreadsheet formulas. */
char *cs_dataset_rows_to_csv (const CsDataset *ds, const gsize *rows, gsize n, const int *clusters);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsDatasetOrigin, cs_dataset_origin_free)

G_END_DECLS
