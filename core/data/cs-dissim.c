#include "core/data/cs-dissim.h"
#include "core/metrics/cs-metrics-private.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/data/cs-input.h"
#include "core/metrics/cs-metrics.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static const char *const metric_ids[] = {
  [CS_METRIC_EUCLIDEAN] = "euclidean",
  [CS_METRIC_SQEUCLIDEAN] = "sqeuclidean",
  [CS_METRIC_MANHATTAN] = "manhattan",
  [CS_METRIC_COSINE] = "cosine",
  [CS_METRIC_GOWER] = "gower",
  [CS_METRIC_PRECOMPUTED] = "precomputed",
};

const char *
cs_metric_id (CsMetric metric)
{
  g_return_val_if_fail ((guint) metric < G_N_ELEMENTS (metric_ids), NULL);
  return metric_ids[metric];
}

gboolean
cs_metric_from_id (const char *id,
                   CsMetric   *metric)
{
  if (id == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (metric_ids); i++)
    if (g_ascii_strcasecmp (id, metric_ids[i]) == 0)
      {
        if (metric)
          *metric = (CsMetric) i;
        return TRUE;
      }
  return FALSE;
}

static inline gsize
n_pairs (gsize n)
{
  return n < 2 ? 0 : n * (n - 1) / 2;
}

guint64
cs_dissim_bytes (gsize    n,
                 gboolean single)
{
  return (guint64) n_pairs (n) * (single ? sizeof (float) : sizeof (double));
}

gsize
cs_dissim_max_n (gboolean single)
{
  guint64 budget = cs_memory_budget ();
  double s = single ? sizeof (float) : sizeof (double);
  /* n(n−1)/2 · s ≤ budget, solved and then corrected for rounding. */
  gsize n = (gsize) floor ((1.0 + sqrt (1.0 + 8.0 * (double) budget / s)) / 2.0);

  while (n > 1 && cs_dissim_bytes (n, single) > budget)
    n--;
  while (cs_dissim_bytes (n + 1, single) <= budget)
    n++;
  return n;
}

void
cs_dissim_free (CsDissim *D)
{
  if (D == NULL)
    return;
  g_free (D->d);
  g_free (D->f);
  g_free (D);
}

/* The guard before every n × n allocation: refuses with the way out (FastCLARA) and the
 * largest n that would fit. */
static CsDissim *
dissim_alloc (gsize     n,
              gboolean  single,
              GError  **error)
{
  g_autofree char *what = NULL;
  g_autofree char *alt = NULL;
  CsDissim *D;
  gsize pairs = n_pairs (n);

  what = g_strdup_printf ("dissimilarity matrix for %zu rows", n);
  alt = g_strdup_printf ("use FastCLARA (or CLARA), which works on samples and never builds the full matrix, "
                         "or at most %zu rows", cs_dissim_max_n (single));
  if (!cs_memory_check (cs_dissim_bytes (n, single), what, alt, error))
    return NULL;
  D = g_new0 (CsDissim, 1);
  D->n = n;
  D->single = single;
  if (single)
    D->f = g_try_new (float, MAX (pairs, 1));
  else
    D->d = g_try_new (double, MAX (pairs, 1));
  if (D->d == NULL && D->f == NULL)
    {
      g_free (D);
      g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "Out of memory allocating the %s (%.1f MiB); %s", what,
                   cs_dissim_bytes (n, single) / 1048576.0, alt);
      return NULL;
    }
  return D;
}

static inline void
dissim_set (CsDissim *D,
            gsize     i,
            gsize     j,
            double    v)
{
  gsize a = i > j ? i : j;
  gsize b = i > j ? j : i;

  if (D->single)
    D->f[a * (a - 1) / 2 + b] = (float) v;
  else
    D->d[a * (a - 1) / 2 + b] = v;
}

double
cs_metric_distance (CsMetric      metric,
                    const double *a,
                    const double *b,
                    gsize         d,
                    double        na,
                    double        nb)
{
  double s = 0.0;

  switch (metric)
    {
    case CS_METRIC_EUCLIDEAN:
      return sqrt (cs_sqdist (a, b, d));
    case CS_METRIC_SQEUCLIDEAN:
      return cs_sqdist (a, b, d);
    case CS_METRIC_MANHATTAN:
      for (gsize t = 0; t < d; t++)
        s += fabs (a[t] - b[t]);
      return s;
    case CS_METRIC_COSINE:
      if (na == 0.0 || nb == 0.0)
        return 1.0;
      for (gsize t = 0; t < d; t++)
        s += a[t] * b[t];
      /* Rounding can push the cosine of parallel rows a hair past 1. */
      return MAX (0.0, 1.0 - s / (na * nb));
    case CS_METRIC_GOWER:
    case CS_METRIC_PRECOMPUTED:
    default:
      g_assert_not_reached ();
    }
}

CsDissim *
cs_dissim_new_from_matrix (const CsMatrix *x,
                           CsMetric        metric,
                           gboolean        single,
                           CsProgress     *progress,
                           GError        **error)
{
  g_autoptr (CsDissim) D = NULL;
  g_autofree double *norms = NULL;
  gsize n;
  gint stop = 0;
  gint done = 0;

  g_return_val_if_fail (x != NULL, NULL);
  if (metric == CS_METRIC_GOWER || metric == CS_METRIC_PRECOMPUTED)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "The ‘%s’ dissimilarity cannot be computed from a numeric matrix", cs_metric_id (metric));
      return NULL;
    }
  n = x->rows;
  D = dissim_alloc (n, single, error);
  if (D == NULL)
    return NULL;
  if (metric == CS_METRIC_COSINE)
    {
      norms = g_new (double, MAX (n, 1));
      cs_matrix_row_sqnorms (x, norms);
      for (gsize i = 0; i < n; i++)
        norms[i] = sqrt (norms[i]);
    }
  /* Every entry is computed on its own, so the matrix is the same on any thread count;
   * dynamic scheduling because row i holds i entries. */
#pragma omp parallel for schedule(dynamic, 16) if (n > 256)
  for (gsize i = 1; i < n; i++)
    {
      const double *xi = cs_matrix_row (x, i);
      gsize base = i * (i - 1) / 2;

      if (g_atomic_int_get (&stop))
        continue;
      if ((i & 15) == 0 && cs_progress_is_cancelled (progress))
        {
          g_atomic_int_set (&stop, 1);
          continue;
        }
      for (gsize j = 0; j < i; j++)
        {
          double v = cs_metric_distance (metric, xi, cs_matrix_row (x, j), x->cols, norms ? norms[i] : 1.0,
                                 norms ? norms[j] : 1.0);
          if (single)
            D->f[base + j] = (float) v;
          else
            D->d[base + j] = v;
        }
      {
        double k = g_atomic_int_add (&done, 1) + 1;
        /* The callback runs on one thread only; rows are handed out roughly in order and row
         * i costs i, so (rows done / n)² is the fraction of pairs done. */
#ifdef _OPENMP
        if (omp_get_thread_num () == 0)
#endif
          cs_progress_report (progress, (k * k) / ((double) n * n), "dissimilarities");
      }
    }
  if (g_atomic_int_get (&stop) || cs_progress_is_cancelled (progress))
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_CANCELLED, "Computing the dissimilarities was cancelled");
      return NULL;
    }
  return g_steal_pointer (&D);
}

CsDissim *
cs_dissim_new_gower (const CsDataset *ds,
                     const int       *columns,
                     gsize            n_columns,
                     const gsize     *rows,
                     gsize            n_rows,
                     gboolean         single,
                     CsProgress      *progress,
                     GError         **error)
{
  g_autoptr (CsDissim) D = NULL;
  g_autofree double *range = NULL;
  g_autofree const CsColumn **cols = NULL;
  gint stop = 0;
  gint bad = 0;
  gsize bad_i = 0;
  gsize bad_j = 0;

  g_return_val_if_fail (ds != NULL, NULL);
  if (n_columns == 0)
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "Gower dissimilarity needs at least one column");
      return NULL;
    }
  for (gsize r = 0; rows && r < n_rows; r++)
    if (rows[r] >= ds->n_rows)
      {
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "Row %zu does not exist (the dataset has %zu rows)",
                     rows[r], ds->n_rows);
        return NULL;
      }
  if (rows == NULL)
    n_rows = ds->n_rows;
  cols = g_new (const CsColumn *, n_columns);
  range = g_new (double, n_columns);
  for (gsize c = 0; c < n_columns; c++)
    {
      double lo = INFINITY;
      double hi = -INFINITY;

      if (columns[c] < 0 || (gsize) columns[c] >= cs_dataset_n_columns (ds))
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "Column %d does not exist (the dataset has %u columns)", columns[c],
                       (guint) cs_dataset_n_columns (ds));
          return NULL;
        }
      cols[c] = cs_dataset_column (ds, columns[c]);
      /* The range over the rows being compared, as daisy() scales by the data it is given. */
      for (gsize r = 0; r < n_rows; r++)
        {
          double v = cols[c]->values[rows ? rows[r] : r];
          if (!isnan (v))
            {
              lo = MIN (lo, v);
              hi = MAX (hi, v);
            }
        }
      range[c] = hi > lo ? hi - lo : 0.0;
    }
  D = dissim_alloc (n_rows, single, error);
  if (D == NULL)
    return NULL;
#pragma omp parallel for schedule(dynamic, 16) if (n_rows > 256)
  for (gsize i = 1; i < n_rows; i++)
    {
      gsize ri = rows ? rows[i] : i;

      if (g_atomic_int_get (&stop))
        continue;
      if ((i & 15) == 0 && cs_progress_is_cancelled (progress))
        {
          g_atomic_int_set (&stop, 1);
          continue;
        }
      for (gsize j = 0; j < i; j++)
        {
          gsize rj = rows ? rows[j] : j;
          double sum = 0.0;
          double weight = 0.0;

          for (gsize c = 0; c < n_columns; c++)
            {
              double a = cols[c]->values[ri];
              double b = cols[c]->values[rj];

              if (isnan (a) || isnan (b))
                continue;
              weight += 1.0;
              if (cols[c]->kind == CS_COLUMN_CATEGORICAL)
                sum += a != b ? 1.0 : 0.0;
              else if (range[c] > 0.0)
                sum += fabs (a - b) / range[c];
            }
          if (weight == 0.0)
            {
#pragma omp critical(gower_bad)
              if (!bad)
                {
                  bad = 1;
                  bad_i = ri;
                  bad_j = rj;
                }
              g_atomic_int_set (&stop, 1);
              break;
            }
          dissim_set (D, i, j, sum / weight);
        }
    }
  if (bad)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "Rows %zu and %zu have no column where both are present, so their Gower dissimilarity is "
                   "undefined; drop or impute rows with many missing values",
                   bad_j, bad_i);
      return NULL;
    }
  if (g_atomic_int_get (&stop) || cs_progress_is_cancelled (progress))
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_CANCELLED, "Computing the dissimilarities was cancelled");
      return NULL;
    }
  return g_steal_pointer (&D);
}

void
cs_dissim_column (const CsDissim *D,
                  gsize           j,
                  double         *out)
{
  gsize base = j > 0 ? j * (j - 1) / 2 : 0; /* row j: d(j, i) for i < j */
  gsize idx;

  /* Row j holds i < j contiguously; below it, d(i, j) sits at i(i−1)/2 + j, one row further
   * each step. */
  if (D->single)
    {
      for (gsize i = 0; i < j; i++)
        out[i] = D->f[base + i];
      out[j] = 0.0;
      idx = j * (j + 1) / 2 + j;
      for (gsize i = j + 1; i < D->n; i++)
        {
          out[i] = D->f[idx];
          idx += i;
        }
    }
  else
    {
      for (gsize i = 0; i < j; i++)
        out[i] = D->d[base + i];
      out[j] = 0.0;
      idx = j * (j + 1) / 2 + j;
      for (gsize i = j + 1; i < D->n; i++)
        {
          out[i] = D->d[idx];
          idx += i;
        }
    }
}

void
cs_dissim_columns (const CsDissim *D,
                   gsize           j0,
                   gsize           count,
                   double         *out)
{
  gsize n = D->n;

  for (gsize c = 0; c < count; c++)
    {
      gsize j = j0 + c;
      gsize base = j > 0 ? j * (j - 1) / 2 : 0;
      double *o = out + c * n;

      if (D->single)
        for (gsize i = 0; i < j; i++)
          o[i] = D->f[base + i];
      else
        for (gsize i = 0; i < j; i++)
          o[i] = D->d[base + i];
      o[j] = 0.0;
    }
  for (gsize i = j0 + 1; i < n; i++)
    {
      gsize base = i * (i - 1) / 2 + j0;
      gsize m = MIN (count, i - j0);

      if (D->single)
        for (gsize c = 0; c < m; c++)
          out[c * n + i] = D->f[base + c];
      else
        for (gsize c = 0; c < m; c++)
          out[c * n + i] = D->d[base + c];
    }
}

double
cs_dissim_assign (const CsDissim *D,
                  const gsize    *medoids,
                  guint           k,
                  int            *labels)
{
  double total = 0.0;

  for (gsize i = 0; i < D->n; i++)
    {
      double best = INFINITY;
      int arg = -1;
      for (guint m = 0; m < k; m++)
        {
          double v = cs_dissim_get (D, i, medoids[m]);
          if (v < best)
            {
              best = v;
              arg = (int) m;
            }
        }
      if (labels)
        labels[i] = arg;
      total += best;
    }
  return total;
}

/* ---- loading ---- */

typedef struct
{
  char  *text;   /* Borrowed: points into the file's buffer */
  gsize  column; /* 1-based character column, for messages */
} Field;

typedef struct
{
  GArray *fields; /* Field */
  gsize   line;   /* 1-based */
} Line;

static char
sniff_delimiter (const char *line)
{
  if (strchr (line, ','))
    return ',';
  if (strchr (line, '\t'))
    return '\t';
  if (strchr (line, ';'))
    return ';';
  return ' ';
}

/* Splits the buffer in place into lines of fields; blank lines and lines starting with '#'
 * are skipped. */
static void
line_free (gpointer p)
{
  Line *l = p;
  g_array_unref (l->fields);
  g_free (l);
}

/* NULL when progress asks to stop. */
static GPtrArray *
split_lines (char       *buf,
             CsProgress *progress)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (line_free);
  char delim = 0;
  gsize lineno = 0;
  char *p = buf;

  while (*p)
    {
      char *end = strchr (p, '\n');
      char *s;
      char *start;
      Line *l;

      lineno++;
      if ((lineno & 4095) == 0 && cs_progress_is_cancelled (progress))
        {
          g_ptr_array_unref (lines);
          return NULL;
        }
      if (end)
        *end = '\0';
      if (end > p && end[-1] == '\r')
        end[-1] = '\0';
      s = p;
      start = p;
      p = end ? end + 1 : p + strlen (p);
      while (*s == ' ' || *s == '\t')
        s++;
      if (*s == '\0' || *s == '#')
        continue;
      if (delim == 0)
        delim = sniff_delimiter (s);
      l = g_new0 (Line, 1);
      l->line = lineno;
      l->fields = g_array_new (FALSE, FALSE, sizeof (Field));
      for (char *f = s;;)
        {
          char *next;
          Field fld;

          if (delim == ' ')
            while (*f == ' ' || *f == '\t')
              f++;
          if (delim == ' ' && *f == '\0')
            break;
          next = delim == ' ' ? strpbrk (f, " \t") : strchr (f, delim);
          if (next)
            *next = '\0';
          fld.column = (gsize) (f - start) + 1;
          fld.text = g_strstrip (f);
          if (fld.text[0] == '"' && strlen (fld.text) >= 2 && fld.text[strlen (fld.text) - 1] == '"')
            {
              fld.text[strlen (fld.text) - 1] = '\0';
              fld.text++;
            }
          g_array_append_val (l->fields, fld);
          if (next == NULL)
            break;
          f = next + 1;
        }
      g_ptr_array_add (lines, l);
    }
  return lines;
}

static gboolean
parse_number (const char *s,
              double     *out)
{
  char *end = NULL;

  if (*s == '\0')
    return FALSE;
  errno = 0;
  *out = g_ascii_strtod (s, &end);
  return end != s && *end == '\0' && errno == 0;
}

static gboolean
is_index (const char *s,
          gsize      *out)
{
  char *end = NULL;
  guint64 v;

  if (!g_ascii_isdigit (*s))
    return FALSE;
  v = g_ascii_strtoull (s, &end, 10);
  /* No matrix has 2^31 objects; a larger "index" (or one strtoull saturated) would wrap n. */
  if (*end != '\0' || v > G_MAXINT32)
    return FALSE;
  *out = (gsize) v;
  return TRUE;
}

static inline Field *
field_at (const Line *l,
          gsize       i)
{
  return &g_array_index (l->fields, Field, i);
}

static gboolean
value_error (const char *path,
             const Line *l,
             gsize       f,
             const char *what,
             GError    **error)
{
  g_autofree char *shown = cs_format_excerpt (field_at (l, f)->text, -1, CS_FORMAT_EXCERPT_CHARS);

  g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s:%zu:%zu: ‘%s’ %s", path, l->line, field_at (l, f)->column,
               shown, what);
  return FALSE;
}

/* An index field of a long list: a whole number from 0, with a message naming what is wrong
 * otherwise (a long list read as a square matrix would blame line 1 for the wrong thing). */
static gboolean
check_index (const char *path,
             const Line *l,
             gsize       f,
             gsize      *out,
             GError    **error)
{
  const char *text = field_at (l, f)->text;
  double v = NAN;

  if (is_index (text, out))
    return TRUE;
  if (!parse_number (text, &v))
    return value_error (path, l, f, "is not a row index; expected a whole number from 0 (i,j,d lines)", error);
  if (v < 0)
    return value_error (path, l, f, "is a negative row index; indices count rows from 0", error);
  if (v != floor (v))
    return value_error (path, l, f, "is not a whole number; row indices count rows from 0", error);
  return value_error (path, l, f, "is too large a row index (at most 2,147,483,647)", error);
}

/* Three numbers on every line: the shape of an i,j,d list, whatever the indices hold. */
static gboolean
looks_like_triples (GPtrArray *lines,
                    gsize      first)
{
  if (lines->len <= first)
    return FALSE;
  for (gsize r = first; r < lines->len; r++)
    {
      const Line *l = lines->pdata[r];
      double v;
      if (l->fields->len != 3 || !parse_number (field_at (l, 0)->text, &v) || !parse_number (field_at (l, 1)->text, &v)
          || !parse_number (field_at (l, 2)->text, &v))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_value (const char *path,
             const Line *l,
             gsize       f,
             double     *v,
             GError    **error)
{
  if (!parse_number (field_at (l, f)->text, v))
    return value_error (path, l, f, "is not a number; expected a dissimilarity", error);
  if (!isfinite (*v) || *v < 0.0)
    return value_error (path, l, f, "is not a dissimilarity; expected a finite number of at least 0", error);
  return TRUE;
}

/* A long list has three fields per line, the first two of them row indices. */
static gboolean
looks_long (GPtrArray *lines,
            gsize      first)
{
  if (lines->len <= first)
    return FALSE;
  for (gsize r = first; r < lines->len; r++)
    {
      const Line *l = lines->pdata[r];
      gsize a = 0;
      double v;
      if (l->fields->len != 3 || !is_index (field_at (l, 0)->text, &a) || !is_index (field_at (l, 1)->text, &a)
          || !parse_number (field_at (l, 2)->text, &v))
        return FALSE;
    }
  return TRUE;
}

static CsDissim *
load_long (const char *path,
           GPtrArray  *lines,
           gsize       first,
           CsProgress *progress,
           GError    **error)
{
  gsize n = 0;
  g_autoptr (CsDissim) D = NULL;
  g_autofree guint8 *seen = NULL;
  gsize pairs;
  const Line *widest = NULL;

  for (gsize r = first; r < lines->len; r++)
    {
      const Line *l = lines->pdata[r];
      gsize a = 0;
      gsize b = 0;
      if (!check_index (path, l, 0, &a, error) || !check_index (path, l, 1, &b, error))
        return NULL;
      if (MAX (a, b) + 1 > n)
        {
          n = MAX (a, b) + 1;
          widest = l;
        }
    }
  /* Every pair must be listed once, so a short file cannot ask for a huge matrix: refuse
   * before allocating n(n − 1)/2 entries for an index that may be a typo or hostile. A few
   * missing pairs are left to the check below, which names the first of them. */
  if (widest != NULL && n_pairs (n) > lines->len - first + 1000000)
    {
      g_autofree char *index = cs_format_count (n - 1);
      g_autofree char *objects = cs_format_count (n);
      g_autofree char *pairs_needed = cs_format_count (n_pairs (n));
      g_autofree char *listed = cs_format_count (lines->len - first);
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                   "%s:%zu:1: index %s means %s objects and %s pairs, but the file lists %s",
                   path, widest->line, index, objects, pairs_needed, listed);
      return NULL;
    }
  D = dissim_alloc (n, FALSE, error);
  if (D == NULL)
    return NULL;
  pairs = n_pairs (n);
  seen = g_new0 (guint8, MAX (pairs, 1));
  for (gsize r = first; r < lines->len; r++)
    {
      const Line *l = lines->pdata[r];
      gsize a = 0;
      gsize b = 0;
      gsize idx;
      double v;

      if ((r & 4095) == 0 && !cs_progress_check (progress, error))
        return NULL;

      is_index (field_at (l, 0)->text, &a);
      is_index (field_at (l, 1)->text, &b);
      if (!check_value (path, l, 2, &v, error))
        return NULL;
      if (a == b)
        {
          if (v != 0.0)
            {
              value_error (path, l, 2, "is on the diagonal; a dissimilarity of a row to itself must be 0", error);
              return NULL;
            }
          continue;
        }
      idx = MAX (a, b) * (MAX (a, b) - 1) / 2 + MIN (a, b);
      if (seen[idx] && D->d[idx] != v)
        {
          g_autofree char *shown = cs_format_excerpt (field_at (l, 2)->text, -1, CS_FORMAT_EXCERPT_CHARS);
          g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                       "%s:%zu:%zu: d(%zu, %zu) = %s, but the file gave %g for the same pair before; the matrix "
                       "must be symmetric",
                       path, l->line, field_at (l, 2)->column, a, b, shown, D->d[idx]);
          return NULL;
        }
      seen[idx] = 1;
      D->d[idx] = v;
    }
  for (gsize a = 1; a < n; a++)
    for (gsize b = 0; b < a; b++)
      if (!seen[a * (a - 1) / 2 + b])
        {
          g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                       "%s: no dissimilarity for the pair %zu, %zu; a long list needs every pair i,j (0-based, "
                       "one triangle is enough)",
                       path, b, a);
          return NULL;
        }
  return g_steal_pointer (&D);
}

static CsDissim *
load_square (const char *path,
             GPtrArray  *lines,
             gsize       first,
             CsProgress *progress,
             GError    **error)
{
  gsize n = lines->len - first;
  gsize skip = 0; /* a first column of row names */
  g_autoptr (CsDissim) D = NULL;
  g_autofree double *upper = NULL;

  if (n == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s: no rows of dissimilarities below the header", path);
      return NULL;
    }
  {
    const Line *l = lines->pdata[first];
    double v;
    if (l->fields->len == n + 1 || (l->fields->len > 0 && !parse_number (field_at (l, 0)->text, &v)))
      skip = 1;
  }
  D = dissim_alloc (n, FALSE, error);
  if (D == NULL)
    return NULL;
  /* The upper triangle is kept to compare with the lower one. */
  upper = g_new (double, MAX (n_pairs (n), 1));
  for (gsize i = 0; i < n; i++)
    {
      const Line *l = lines->pdata[first + i];

      if ((i & 63) == 0)
        {
          if (!cs_progress_check (progress, error))
            return NULL;
          cs_progress_report (progress, 0.5 + 0.5 * i / n, "reading distances");
        }
      if (l->fields->len != n + skip)
        {
          g_autofree char *found = cs_format_count (l->fields->len - MIN (skip, l->fields->len));
          g_autofree char *expected = cs_format_count (n);
          g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                       "%s:%zu:1: %s values on this line, expected %s (a square matrix with one row per line%s)",
                       path, l->line, found, expected, skip ? " after the row name" : "");
          return NULL;
        }
      for (gsize j = 0; j < n; j++)
        {
          double v;
          if (!check_value (path, l, j + skip, &v, error))
            return NULL;
          if (i == j && v != 0.0)
            {
              value_error (path, l, j + skip, "is on the diagonal; a dissimilarity of a row to itself must be 0",
                           error);
              return NULL;
            }
          if (j < i)
            D->d[i * (i - 1) / 2 + j] = v;
          else if (j > i)
            upper[j * (j - 1) / 2 + i] = v;
        }
    }
  for (gsize i = 1; i < n; i++)
    for (gsize j = 0; j < i; j++)
      {
        double a = D->d[i * (i - 1) / 2 + j];
        double b = upper[i * (i - 1) / 2 + j];
        /* Allow the rounding of a matrix written with limited digits. */
        if (fabs (a - b) > 1e-9 * MAX (fabs (a), fabs (b)) + 1e-12)
          {
            const Line *l = lines->pdata[first + i];
            g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                         "%s:%zu:%zu: d(%zu, %zu) = %g but d(%zu, %zu) = %g; the matrix must be symmetric", path,
                         l->line, field_at (l, j + skip)->column, i, j, a, j, i, b);
            return NULL;
          }
      }
  return g_steal_pointer (&D);
}

/* The text and one Field per number (a number and its delimiter take at least 2 bytes) are
 * held at once. */
static gboolean
text_fits (guint64     bytes,
           const char *name,
           GError    **error)
{
  g_autofree char *what = g_strdup_printf ("Reading %s", name);

  return cs_memory_check (bytes + bytes / 2 * sizeof (Field), what,
                          "cluster the coordinates instead (FastCLARA never builds an n × n matrix)", error);
}

/* Parses a NUL-terminated buffer it may modify (fields are cut in place); `name` stands for
 * the file in messages. */
static CsDissim *
parse_dissim (char       *buf,
              const char *path,
              CsProgress *progress,
              GError    **error)
{
  g_autoptr (GPtrArray) lines = NULL;
  gsize first = 0;

  cs_progress_report (progress, 0.1, "reading distances");
  lines = split_lines (buf, progress);
  if (lines == NULL || !cs_progress_check (progress, error))
    {
      if (lines == NULL)
        g_set_error_literal (error, CS_ERROR, CS_ERROR_CANCELLED, "Reading the distances was cancelled");
      return NULL;
    }
  if (lines->len == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s: the file holds no dissimilarities", path);
      return NULL;
    }
  /* A header row: its last field is not a number ("i,j,d", or the column names). */
  {
    const Line *l = lines->pdata[0];
    double v;
    if (!parse_number (field_at (l, l->fields->len - 1)->text, &v))
      first = 1;
  }
  if (looks_like_triples (lines, first) && !looks_long (lines, first) && lines->len - first != 3)
    /* Three numbers a line but some index is not one (negative, fractional, huge): the
     * long list's own checks name the field. */
    return load_long (path, lines, first, progress, error);
  if (looks_long (lines, first))
    {
      /* Three index-like columns could also be a 3 × 3 square matrix; it is one only when
       * its diagonal is zero. */
      gboolean square = lines->len - first == 3;
      for (gsize i = 0; square && i < 3; i++)
        {
          double v = NAN;
          square = parse_number (field_at (lines->pdata[first + i], i)->text, &v) && v == 0.0;
        }
      if (!square)
        {
          /* Neither reading is clean: prefer a valid long list, else the square matrix's
           * complaint about its diagonal. */
          CsDissim *D = lines->len - first == 3 ? load_long (path, lines, first, progress, NULL)
                                                : load_long (path, lines, first, progress, error);
          if (D != NULL || lines->len - first != 3)
            return D;
        }
    }
  return load_square (path, lines, first, progress, error);
}

/* A NUL byte would end the text early (and an empty result read as "holds no
 * dissimilarities"): refused where it is. */
static gboolean
check_no_nul (const char *data,
              gsize       length,
              const char *name,
              GError    **error)
{
  const char *nul = memchr (data, '\0', length);
  gsize line = 1;
  gsize column = 1;

  if (nul == NULL)
    return TRUE;
  for (const char *p = data; p < nul; p++)
    {
      if (*p == '\n')
        {
          line++;
          column = 1;
        }
      else if (((guint8) *p & 0xC0) != 0x80)
        column++;
    }
  g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
               "%s:%zu:%zu: found a NUL byte (is this a binary file?); expected text", name, line, column);
  return FALSE;
}

CsDissim *
cs_dissim_load_data (const char *data,
                     gsize       length,
                     const char *name,
                     CsProgress *progress,
                     GError    **error)
{
  g_autofree char *buf = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  shown = cs_format_excerpt (name, -1, 4096);
  if (!text_fits (length, shown, error) || !check_no_nul (data, length, shown, error))
    return NULL;
  buf = g_malloc (length + 1);
  if (length > 0)
    memcpy (buf, data, length);
  buf[length] = '\0';
  return parse_dissim (buf, shown, progress, error);
}

CsDissim *
cs_dissim_load (const char *path,
                CsProgress *progress,
                GError    **error)
{
  g_autoptr (CsInput) input = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  shown = cs_format_excerpt (path, -1, 4096);
  {
    GStatBuf st;

    /* Refused before it is read, not halfway through. */
    if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && !text_fits ((guint64) st.st_size, shown, error))
      return NULL;
  }
  /* The text is copied once more to be cut into fields, so a stream gets a third. */
  input = cs_input_load (path, "expected a dissimilarity file (a square CSV, or i,j,d lines)",
                         cs_memory_budget () / 3, progress, error);
  if (input == NULL)
    return NULL;
  return cs_dissim_load_data (input->data, input->length, path, progress, error);
}

gboolean
cs_dissim_silhouette (const CsDissim *D,
                      const int      *labels,
                      guint           k,
                      double         *per_point,
                      double         *mean,
                      CsProgress     *progress,
                      GError        **error)
{
  g_autofree gsize *sizes = g_new0 (gsize, MAX (k, 1));
  g_autofree double *s = g_new (double, MAX (D->n, 1));
  gsize m = 0;
  guint used = 0;
  gint stop = 0;
  double total = 0.0;

  *mean = NAN;
  for (gsize i = 0; i < D->n; i++)
    if (labels[i] >= 0 && labels[i] < (int) k)
      {
        if (sizes[labels[i]]++ == 0)
          used++;
        m++;
      }
  if (used < 2 || used > m - 1)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "The silhouette needs between 2 and n − 1 clusters, but the %" G_GSIZE_FORMAT
                   " labelled rows fall into %u", m, used);
      return FALSE;
    }

  /* One gathered column per row: O(n) per row, O(n²) in all, as the matrix itself. */
#pragma omp parallel if (D->n > 2000)
  {
    g_autofree double *col = g_new (double, D->n);
    g_autofree double *sum = g_new (double, MAX (k, 1));

#pragma omp for schedule(dynamic, 64)
    for (gsize i = 0; i < D->n; i++)
      {
        if (labels[i] < 0 || labels[i] >= (int) k || g_atomic_int_get (&stop))
          continue;
        if ((i & 63) == 0 && cs_progress_is_cancelled (progress))
          {
            g_atomic_int_set (&stop, 1);
            continue;
          }
        cs_dissim_column (D, i, col);
        memset (sum, 0, k * sizeof (double));
        for (gsize j = 0; j < D->n; j++)
          if (labels[j] >= 0 && labels[j] < (int) k)
            sum[labels[j]] += col[j];
        s[i] = cs_i_silhouette_of (sum, sizes, k, labels[i]);
      }
  }
  if (!cs_progress_check (progress, error))
    return FALSE;

  for (gsize i = 0; i < D->n; i++)
    {
      gboolean labelled = labels[i] >= 0 && labels[i] < (int) k;

      if (labelled)
        total += s[i];
      if (per_point != NULL)
        per_point[i] = labelled ? s[i] : NAN;
    }
  *mean = total / (double) m;
  return TRUE;
}
