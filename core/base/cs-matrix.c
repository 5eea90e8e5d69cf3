#include "core/base/cs-matrix-private.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"

#include <cblas.h>
#include <math.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <string.h>
#include <unistd.h>

CsMatrix *
cs_matrix_new (gsize rows,
               gsize cols)
{
  CsMatrix *m = g_new0 (CsMatrix, 1);

  m->rows = rows;
  m->cols = cols;
  m->data = g_new0 (double, MAX (rows * cols, 1));
  return m;
}

CsMatrix *
cs_matrix_try_new (gsize       rows,
                   gsize       cols,
                   const char *what,
                   GError    **error)
{
  CsMatrix *m;
  guint64 bytes;

  if (cols != 0 && rows > G_MAXSIZE / sizeof (double) / cols)
    {
      g_autofree char *r = cs_format_count (rows);
      g_autofree char *c = cs_format_count (cols);
      g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "%s of %s × %s values is too large to address", what, r, c);
      return NULL;
    }
  bytes = (guint64) rows * cols * sizeof (double);
  if (!cs_memory_check (bytes, what, NULL, error))
    return NULL;
  m = g_new0 (CsMatrix, 1);
  m->rows = rows;
  m->cols = cols;
  m->data = g_try_malloc0 (MAX (bytes, sizeof (double)));
  if (m->data == NULL)
    {
      g_free (m);
      g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "Out of memory allocating the %s (%.1f MiB)", what,
                   bytes / 1048576.0);
      return NULL;
    }
  return m;
}

CsMatrix *
cs_matrix_new_from_data (gsize         rows,
                         gsize         cols,
                         const double *data)
{
  CsMatrix *m = cs_matrix_new (rows, cols);

  if (rows * cols > 0)
    memcpy (m->data, data, rows * cols * sizeof (double));
  return m;
}

CsMatrix *
cs_matrix_copy (const CsMatrix *m)
{
  return cs_matrix_new_from_data (m->rows, m->cols, m->data);
}

void
cs_matrix_free (CsMatrix *m)
{
  if (m == NULL)
    return;
  g_free (m->data);
  g_free (m);
}

void
cs_matrix_column_means (const CsMatrix *m,
                        double         *out)
{
  for (gsize j = 0; j < m->cols; j++)
    out[j] = 0.0;
  for (gsize i = 0; i < m->rows; i++)
    {
      const double *r = cs_matrix_row (m, i);
      for (gsize j = 0; j < m->cols; j++)
        out[j] += r[j];
    }
  for (gsize j = 0; j < m->cols; j++)
    out[j] /= (double) MAX (m->rows, 1);
}

gboolean
cs_matrix_column_constant (const CsMatrix *m,
                           gsize           j)
{
  double lo = INFINITY;
  double hi = -INFINITY;

  g_return_val_if_fail (j < m->cols, TRUE);
  for (gsize i = 0; i < m->rows; i++)
    {
      double v = m->data[i * m->cols + j];
      lo = MIN (lo, v);
      hi = MAX (hi, v);
    }
  if (m->rows == 0 || !(hi > lo))
    return TRUE;
  /* hi/2 − lo/2 cannot overflow where hi − lo could. */
  return hi / 2 - lo / 2 <= 0.5e-12 * MAX (fabs (lo), fabs (hi));
}

void
cs_matrix_row_sqnorms (const CsMatrix *m,
                       double         *out)
{
  for (gsize i = 0; i < m->rows; i++)
    {
      const double *r = cs_matrix_row (m, i);
      double s = 0.0;
      for (gsize j = 0; j < m->cols; j++)
        s += r[j] * r[j];
      out[i] = s;
    }
}

void
cs_matrix_sqdist_block (const CsMatrix *a,
                        const double   *a_sqnorms,
                        gsize           a0,
                        gsize           na,
                        const CsMatrix *b,
                        const double   *b_sqnorms,
                        double         *out)
{
  gsize nb = b->rows;
  gsize d = a->cols;

  g_return_if_fail (a->cols == b->cols);
  if (na == 0 || nb == 0)
    return;
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) na, (int) nb, (int) d, -2.0,
               cs_matrix_row (a, a0), (int) d, b->data, (int) d, 0.0, out, (int) nb);
  for (gsize i = 0; i < na; i++)
    {
      double ai = a_sqnorms[a0 + i];
      double *row = out + i * nb;
      for (gsize j = 0; j < nb; j++)
        {
          double v = row[j] + ai + b_sqnorms[j];
          row[j] = v > 0.0 ? v : 0.0;
        }
    }
}

static guint64
parse_size (const char *text)
{
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);

  if (end == text || v <= 0)
    return 0;
  switch (g_ascii_toupper (*end))
    {
    case 'K': v *= 1024.0; break;
    case 'M': v *= 1048576.0; break;
    case 'G': v *= 1073741824.0; break;
    default: break;
    }
  return (guint64) v;
}

guint64
cs_memory_budget (void)
{
  const char *env = g_getenv ("CLUSTERSCOPE_MEMORY_LIMIT");
  long pages, page_size;

  if (env != NULL)
    {
      guint64 v = parse_size (env);
      if (v > 0)
        return v;
    }
  pages = sysconf (_SC_PHYS_PAGES);
  page_size = sysconf (_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0)
    return G_GUINT64_CONSTANT (4) << 30;
  return (guint64) ((double) pages * (double) page_size * 0.6);
}

gboolean
cs_memory_check (guint64     bytes,
                 const char *what,
                 const char *alternative,
                 GError    **error)
{
  guint64 budget = cs_memory_budget ();

  if (bytes <= budget)
    return TRUE;
  g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "The %s would need %.2f GiB, more than the %.2f GiB budget%s%s",
               what, bytes / 1073741824.0, budget / 1073741824.0, alternative ? "; " : "",
               alternative ? alternative : "");
  return FALSE;
}

int
cs_compare_doubles (gconstpointer a,
                    gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

int
cs_i_blas_single_begin (gsize    flops_per_call,
                        gboolean for_determinism)
{
  gboolean threaded = FALSE;
  int saved;

#ifdef _OPENMP
  threaded = flops_per_call >= 65536 && omp_get_max_threads () > 1;
#else
  (void) flops_per_call;
#endif
  if (!threaded && !for_determinism)
    return 0;
  saved = openblas_get_num_threads ();
  if (saved <= 1)
    return 0;
  openblas_set_num_threads (1);
  return saved;
}

void
cs_i_blas_single_end (int saved)
{
  if (saved > 0)
    openblas_set_num_threads (saved);
}

int
cs_compare_gsize (gconstpointer a,
                  gconstpointer b)
{
  gsize x = *(const gsize *) a;
  gsize y = *(const gsize *) b;

  return (x > y) - (x < y);
}
