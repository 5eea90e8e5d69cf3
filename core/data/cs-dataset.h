#pragma once

#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"
#include "core/graph/cs-graph.h"

G_BEGIN_DECLS

typedef enum
{
  CS_COLUMN_NUMERIC,
  CS_COLUMN_CATEGORICAL,
} CsColumnKind;

typedef struct
{
  char         *name;      /* Owned; never empty ("column 3" when the file had none) */
  CsColumnKind  kind;
  double       *values;    /* Owned, n_rows entries. NaN marks a missing value. Categorical
                              columns store the level index (0, 1, ...) as a double. */
  GPtrArray    *levels;    /* Owned, char*: categorical level names in order of first
                              appearance; NULL for numeric columns */
  gsize         n_missing;
  char         *description; /* Owned, may be NULL: what the file says the column is (an SPSS,
                                Stata or SAS variable label); added for issue 14's formats */
} CsColumn;

/* A column that holds numbers except for some cells that are not finite numbers ("zz",
 * "Inf", "1e400"): where the first one is, how many there are, and how they were read.
 * The loader's choice follows CsCsvOptions.bad_cells; a front end shows `notice`-like text
 * built from these fields and may offer the other reading (reload with bad_cells set). */
typedef struct
{
  char     *column;   /* Owned: the column's name in the dataset */
  gsize     n_bad;    /* cells that are not finite numbers (and not a missing-value token) */
  gsize     n_cells;  /* non-missing cells in the column */
  gsize     line;     /* the first such cell, 1-based line and character column in the file */
  gsize     column_number;
  char     *excerpt;  /* Owned: that cell's text, escaped and shortened for messages */
  gboolean  as_text;  /* TRUE: the column was read as text; FALSE: these cells are missing values */
} CsBadCells;

/* A table of columns, immutable once loaded and refcounted: a worker thread and the window
 * can hold it at the same time. */
typedef struct
{
  gatomicrefcount ref;
  char      *name;          /* Owned: shown in the window title, "iris.csv" */
  char      *path;          /* Owned, NULL for bundled or generated data */
  gsize      n_rows;
  GPtrArray *columns;       /* Owned, CsColumn* */
  int        label_column;  /* index into columns, or -1 */
  guint      image_rows;    /* > 0 when each row is an image (digits: 8 × 8), else 0 */
  guint      image_cols;
  GPtrArray *notices;       /* Owned, char*: forgiven problems, e.g. "Column ‘x’ was empty
                               and has been dropped"; shown to the user */
  GPtrArray *bad_cells;     /* Owned, CsBadCells*: columns of numbers with cells that are
                               not (each also has a line in notices) */
  char      *sample_id;     /* Owned: the bundled dataset's id ("wine"), NULL for other data */
  CsGraph   *graph;         /* Owned ref, may be NULL: the graph whose nodes the rows are (an
                               edge list opened as data; added for issue 13's graph views) */
  struct _CsDatasetOrigin *origin; /* Owned, may be NULL: a subset's provenance, the source it
                                      was cut from and which of its rows (cs-dataset-subset.h;
                                      added for issue 14's selection actions, for sessions) */
  char      *hdf5_object;   /* Owned, may be NULL: the matrix read from the HDF5 file at `path`
                               ("/X", "/measurements/petals"), so that a session reopens the same
                               one; added for issue 14's sessions */
} CsDataset;

CsDataset *cs_dataset_ref (CsDataset *ds);
void       cs_dataset_unref (CsDataset *ds);

/* An empty dataset with n_rows rows to which columns are added; for generators and tests. */
CsDataset *cs_dataset_new (const char *name, gsize n_rows);
/* Takes ownership of `values` (n_rows doubles). Returns the new column. */
CsColumn  *cs_dataset_add_numeric (CsDataset *ds, const char *name, double *values);
/* codes[i] in [0, n_levels) or -1 for missing; level names are copied. */
CsColumn  *cs_dataset_add_categorical (CsDataset         *ds,
                                       const char        *name,
                                       const int         *codes,
                                       const char *const *level_names,
                                       guint              n_levels);

static inline gsize
cs_dataset_n_columns (const CsDataset *ds)
{
  return ds->columns->len;
}

static inline CsColumn *
cs_dataset_column (const CsDataset *ds, gsize i)
{
  return g_ptr_array_index (ds->columns, i);
}

/* Index of the column called `name` (case-insensitive), or -1. */
int cs_dataset_find_column (const CsDataset *ds, const char *name);

/* Declares an image shape (image_rows × image_cols) when the dataset's numeric non-label
 * columns begin with pixel columns named by their row and column in row-major order ("r0c0",
 * "r0c1", …; also "pixel_0_0", "px0_0", "row0col0", …) or numbered pixels whose count is a
 * square of side >= 2 ("pixel0" … "pixel783" is 28 × 28, counted from 0 or from 1; the prefix
 * must be pixel, pix or px). Leaves the shape
 * alone when no such pattern fits, or when one is already set. Returns whether a shape is set. */
gboolean cs_dataset_guess_image_shape (CsDataset *ds);

/* The columns holding an image row's pixels, in pixel order: the first image_rows × image_cols
 * numeric non-label columns, written to cols (that many entries). FALSE when the dataset has
 * no image shape or too few such columns. */
gboolean cs_dataset_image_columns (const CsDataset *ds, int *cols);

/* The label column as class indices in [0, n_classes), -1 where missing. Numeric label
 * columns are mapped by distinct value in ascending order. Returns NULL when there is no
 * label column. */
int *cs_dataset_class_labels (const CsDataset *ds, guint *n_classes);

/* The axes a scatter of these columns (NULL: every numeric column but the label) shows by
 * default: the two columns themselves when exactly two numeric ones are chosen, else -1 and
 * -1 for the first two principal components. */
void cs_dataset_default_axes (const CsDataset *ds,
                              const int       *columns,
                              gsize            n_columns,
                              int             *x_column,
                              int             *y_column);

/* Editing (drawing points on the scatter plot). Each returns a new dataset (columns, roles
 * and level names copied; path NULL, since it no longer is the file) and leaves `ds` alone. */

/* An empty 2-D dataset: numeric x, y and a categorical label column (no levels yet). */
CsDataset *cs_dataset_new_drawing (void);
/* ds with n rows appended: x[i], y[i] in the numeric columns x_column and y_column, the
 * others missing. With `classes` (may be NULL) row i gets class classes[i] (a level index;
 * missing when < 0) in the label column, which is added when ds has none; missing levels are
 * named by their number ("0", "1", …). */
CsDataset *cs_dataset_append_points (const CsDataset *ds,
                                     int              x_column,
                                     int              y_column,
                                     gsize            n,
                                     const double    *x,
                                     const double    *y,
                                     const int       *classes);
/* ds without the listed rows (out-of-range and repeated entries are ignored), the others
 * in their order. */
CsDataset *cs_dataset_remove_rows (const CsDataset *ds, const gsize *rows, gsize n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsDataset, cs_dataset_unref)

G_END_DECLS
