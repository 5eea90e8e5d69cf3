#pragma once

#include "core/base/cs-progress.h"
#include "core/data/cs-dataset.h"

G_BEGIN_DECLS

/* One matrix an HDF5 file holds: a 2-D dataset of numbers, or a sparse matrix group as AnnData
 * writes it (data, indices, indptr; encoding-type csr_matrix). */
typedef struct
{
  char    *path;   /* Owned: "/X", "/group/data" */
  guint64  rows;
  guint64  cols;
  gboolean sparse; /* a CSR group */
  char    *type;   /* Owned: "float64", "int32", … */
} CsHdf5Entry;

void cs_hdf5_entry_free (CsHdf5Entry *entry);

/* The matrices in the file, in the order of its tree (depth first, names sorted). Returns a
 * new array of CsHdf5Entry*, maybe empty, or NULL and an error when the file is not HDF5. */
GPtrArray *cs_hdf5_list (const char *path,
                         GError    **error);

/* Reads one matrix into numeric columns (AnnData: named by var's index; else "column 1",
 * …), by blocks of rows with progress. When the matrix is bigger than max_bytes (0: half the
 * memory budget), evenly spaced rows are kept and a notice says how many. For an AnnData file
 * (X and obs at the root), obs's categorical and text columns become categorical columns and
 * the label is one named as single-cell tools name annotations (cell_type, leiden, louvain,
 * cluster…), else the first, unless a usual label name (or label_column) says otherwise.
 * `object` NULL: /X, or the only matrix in the file. Errors name the file and the object. */
CsDataset *cs_dataset_load_hdf5 (const char *path,
                                 const char *object,
                                 const char *label_column,
                                 guint64     max_bytes,
                                 CsProgress *progress,
                                 GError    **error);

G_END_DECLS
