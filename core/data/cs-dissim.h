#pragma once

#include "core/data/cs-dataset.h"
#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"

G_BEGIN_DECLS

typedef enum
{
  CS_METRIC_EUCLIDEAN,
  CS_METRIC_SQEUCLIDEAN,
  CS_METRIC_MANHATTAN,
  CS_METRIC_COSINE,      /* 1 − cos(angle); a zero row is at distance 1 from everything */
  CS_METRIC_GOWER,       /* mixed numeric (range-scaled |a−b|) and categorical (mismatch) columns */
  CS_METRIC_PRECOMPUTED, /* read from a file */
} CsMetric;

const char *cs_metric_id (CsMetric metric);                 /* "euclidean", ... */
gboolean    cs_metric_from_id (const char *id, CsMetric *metric);

/* The distance between two rows of length d under a coordinate metric (not GOWER or
 * PRECOMPUTED). na and nb are the rows' Euclidean norms, used by COSINE only. */
double cs_metric_distance (CsMetric      metric,
                           const double *a,
                           const double *b,
                           gsize         d,
                           double        na,
                           double        nb);

/* A symmetric dissimilarity matrix with a zero diagonal, stored once as the packed strict
 * lower triangle: d(i, j) for j < i at i(i−1)/2 + j. Values in double, or float when memory
 * is tight (losses are still accumulated in double by every algorithm). Immutable once built. */
typedef struct _CsDissim
{
  gsize   n;
  gboolean single; /* TRUE: values in f, else in d */
  double *d;       /* Owned, n(n−1)/2 entries, or NULL */
  float  *f;       /* Owned, n(n−1)/2 entries, or NULL */
} CsDissim;

static inline double
cs_dissim_get (const CsDissim *D, gsize i, gsize j)
{
  gsize a, b;
  if (i == j)
    return 0.0;
  a = i > j ? i : j;
  b = i > j ? j : i;
  return D->single ? (double) D->f[a * (a - 1) / 2 + b] : D->d[a * (a - 1) / 2 + b];
}

/* out[i] = d(i, j) for all i (n entries): one column gathered into a contiguous buffer, the
 * fast way to scan all dissimilarities to one object in the packed layout. */
void cs_dissim_column (const CsDissim *D, gsize j, double *out);
/* Columns j0 .. j0 + count − 1 at once, out[c · n + i] = d(i, j0 + c): below the block each
 * row's entries are adjacent, so this reads each cache line once instead of once per column. */
void cs_dissim_columns (const CsDissim *D, gsize j0, gsize count, double *out);

/* The exact mean silhouette from the matrix itself (rows labelled -1 left out; per_point,
 * NULL or n entries, gets NaN for them). Fails with CS_ERROR_INVALID_ARGUMENT unless the
 * labelled rows fall into 2 to n − 1 clusters, CS_ERROR_CANCELLED when progress asks. */
gboolean cs_dissim_silhouette (const CsDissim *D,
                               const int      *labels,
                               guint           k,
                               double         *per_point,
                               double         *mean,
                               CsProgress     *progress,
                               GError        **error);

/* Bytes the packed matrix for n objects needs. */
guint64 cs_dissim_bytes (gsize n, gboolean single);
/* The largest n whose matrix fits the memory budget (core/cs-matrix.h). */
gsize   cs_dissim_max_n (gboolean single);

/* Before allocating, checks cs_dissim_bytes against the budget and refuses with
 * CS_ERROR_TOO_LARGE naming FastCLARA and the largest n that would fit. Parallel and
 * cancellable. metric must not be GOWER or PRECOMPUTED. */
CsDissim *cs_dissim_new_from_matrix (const CsMatrix *x,
                                     CsMetric        metric,
                                     gboolean        single,
                                     CsProgress     *progress,
                                     GError        **error);
/* Gower over the given dataset columns (numeric: |a−b| / range; categorical: 0/1 mismatch;
 * a pair missing in a column skips that column, as R's daisy does) for the given rows. */
CsDissim *cs_dissim_new_gower (const CsDataset *ds,
                               const int       *columns,
                               gsize            n_columns,
                               const gsize     *rows,
                               gsize            n_rows,
                               gboolean         single,
                               CsProgress      *progress,
                               GError         **error);
/* A square CSV (optionally with a header row / first column of names) or a long "i,j,d"
 * list (0-based; one triangle is enough). Errors name file:line:column, and an asymmetric
 * square matrix or a non-zero diagonal is refused. A file too large to hold is refused
 * before it is read (CS_ERROR_TOO_LARGE); progress (may be NULL) can cancel the parse
 * (CS_ERROR_CANCELLED). */
CsDissim *cs_dissim_load (const char *path, CsProgress *progress, GError **error);
/* The same from memory (a NUL byte ends the text); `name` stands for the file in messages. */
CsDissim *cs_dissim_load_data (const char *data, gsize length, const char *name, CsProgress *progress,
                               GError **error);
void      cs_dissim_free (CsDissim *D);

/* Loss of a medoid set: Σ_i min_m d(i, m), accumulated in double. labels may be NULL. */
double cs_dissim_assign (const CsDissim *D, const gsize *medoids, guint k, int *labels);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsDissim, cs_dissim_free)

G_END_DECLS
