#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Dense row-major matrix of doubles. Owns its data. Element (i, j) is data[i * cols + j]. */
typedef struct
{
  gsize   rows;
  gsize   cols;
  double *data; /* Owned */
} CsMatrix;

/* Zero-filled. Returns NULL with CS_ERROR_TOO_LARGE when the allocation would exceed the
 * memory budget or fails; `what` names the object in the message ("data matrix"). */
CsMatrix *cs_matrix_try_new (gsize rows, gsize cols, const char *what, GError **error);
/* Zero-filled; aborts on allocation failure like g_malloc. For small, bounded sizes. */
CsMatrix *cs_matrix_new (gsize rows, gsize cols);
CsMatrix *cs_matrix_new_from_data (gsize rows, gsize cols, const double *data);
CsMatrix *cs_matrix_copy (const CsMatrix *m);
void      cs_matrix_free (CsMatrix *m);

static inline double *
cs_matrix_row (const CsMatrix *m, gsize i)
{
  return m->data + i * m->cols;
}

static inline double
cs_matrix_get (const CsMatrix *m, gsize i, gsize j)
{
  return m->data[i * m->cols + j];
}

/* out[j] = mean of column j (out has cols entries), summed in row order. */
void cs_matrix_column_means (const CsMatrix *m, double *out);

/* TRUE when every value of column j lies within 1e-12 of the column's magnitude of the first:
 * no spread that a bandwidth or a scale could be estimated from. (A variance is not the test:
 * the mean of equal values differs from them by rounding, so their variance is ~1e-33, not 0.) */
gboolean cs_matrix_column_constant (const CsMatrix *m, gsize j);

/* Ascending order of two doubles (NaN-free), for qsort() and g_array_sort(). */
int cs_compare_doubles (gconstpointer a, gconstpointer b);
/* Ascending order of two gsize (row indices), likewise. */
int cs_compare_gsize (gconstpointer a, gconstpointer b);

/* out[i] = ||row i||^2 */
void cs_matrix_row_sqnorms (const CsMatrix *m, double *out);

/* Squared Euclidean distances between rows a[a0 .. a0+na) and all rows of b, written to
 * out (na × b->rows, row-major), through one dgemm: ||a||^2 - 2 a·b + ||b||^2, clamped at 0.
 * a_sqnorms / b_sqnorms are the precomputed row norms of all of a / b. */
void cs_matrix_sqdist_block (const CsMatrix *a,
                             const double   *a_sqnorms,
                             gsize           a0,
                             gsize           na,
                             const CsMatrix *b,
                             const double   *b_sqnorms,
                             double         *out);

static inline double
cs_sqdist (const double *a, const double *b, gsize d)
{
  double s = 0.0;
  for (gsize j = 0; j < d; j++)
    {
      double t = a[j] - b[j];
      s += t * t;
    }
  return s;
}

/* Memory budget for one allocation in bytes: CLUSTERSCOPE_MEMORY_LIMIT (bytes, or with a
 * K/M/G suffix) when set, else 60 % of physical memory. */
guint64 cs_memory_budget (void);

/* TRUE when `bytes` fits the budget; otherwise FALSE with CS_ERROR_TOO_LARGE and a message
 * "<what> would need X GiB, more than the Y GiB budget; <alternative>". */
gboolean cs_memory_check (guint64 bytes, const char *what, const char *alternative, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsMatrix, cs_matrix_free)

G_END_DECLS
