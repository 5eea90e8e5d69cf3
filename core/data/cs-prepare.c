#include "core/data/cs-dataset.h"
#include "core/data/cs-prepare.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

/* Rows per block when streaming a tall matrix through BLAS: small enough that the centred copy
 * stays in cache-sized scratch instead of duplicating the whole matrix. */
#define PCA_BLOCK_ROWS 4096

void
cs_prepare_options_init (CsPrepareOptions *options)
{
  g_return_if_fail (options != NULL);

  options->columns = NULL;
  options->n_columns = 0;
  options->scaling = CS_SCALE_AUTO;
  options->missing = CS_MISSING_DROP;
}

static const char *const scaling_ids[] = {
  [CS_SCALE_NONE] = "none",
  [CS_SCALE_STANDARDIZE] = "standardize",
  [CS_SCALE_MINMAX] = "minmax",
  [CS_SCALE_AUTO] = "auto",
};

const char *
cs_scaling_id (CsScaling scaling)
{
  g_return_val_if_fail ((guint) scaling < G_N_ELEMENTS (scaling_ids), NULL);
  return scaling_ids[scaling];
}

gboolean
cs_scaling_from_id (const char *id,
                    CsScaling  *scaling)
{
  if (id == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (scaling_ids); i++)
    if (g_ascii_strcasecmp (id, scaling_ids[i]) == 0)
      {
        if (scaling)
          *scaling = (CsScaling) i;
        return TRUE;
      }
  /* British spelling and the z-score name, as the window says it. */
  if (g_ascii_strcasecmp (id, "standardise") == 0 || g_ascii_strcasecmp (id, "zscore") == 0)
    {
      if (scaling)
        *scaling = CS_SCALE_STANDARDIZE;
      return TRUE;
    }
  return FALSE;
}

/* Population standard deviation of column f of x, summed in row order on x / max|x| so that
 * values near 1e308 do not overflow (the result is at most max|x|). */
static double
column_sd (const CsMatrix *x,
           gsize           f)
{
  gsize n = x->rows;
  gsize d = x->cols;
  double m = 0.0;
  double mean = 0.0;
  double ss = 0.0;

  for (gsize i = 0; i < n; i++)
    m = MAX (m, fabs (x->data[i * d + f]));
  if (!(m > 0.0) || !isfinite (m))
    return 0.0;
  for (gsize i = 0; i < n; i++)
    mean += x->data[i * d + f] / m;
  mean /= n;
  for (gsize i = 0; i < n; i++)
    {
      double t = x->data[i * d + f] / m - mean;
      ss += t * t;
    }
  return sqrt (ss / n) * m;
}

/* CS_SCALE_AUTO: standardise when the widest and the narrowest varying column differ by more
 * than CS_SCALE_AUTO_RATIO in standard deviation; *notice says so, naming both columns. */
static CsScaling
choose_scaling (const CsMatrix *x,
                char *const    *names,
                char          **notice)
{
  gssize wide = -1;
  gssize narrow = -1;
  double sd_wide = 0.0;
  double sd_narrow = INFINITY;
  double ratio;
  g_autofree char *fold = NULL;

  for (gsize f = 0; f < x->cols; f++)
    {
      double sd = column_sd (x, f);

      if (!(sd > 0.0) || !isfinite (sd))
        continue;
      if (sd > sd_wide)
        {
          sd_wide = sd;
          wide = (gssize) f;
        }
      if (sd < sd_narrow)
        {
          sd_narrow = sd;
          narrow = (gssize) f;
        }
    }
  if (wide < 0 || wide == narrow)
    return CS_SCALE_NONE;
  ratio = sd_wide / sd_narrow;
  if (!(ratio > CS_SCALE_AUTO_RATIO))
    return CS_SCALE_NONE;
  fold = ratio < 1e15 ? cs_format_count ((guint64) llround (ratio)) : g_strdup ("more than a million billion");
  *notice = g_strdup_printf ("Columns’ spreads differ %s-fold (‘%s’ against ‘%s’), so each column was standardised "
                             "(z-score); choose Scaling ‘None’ to keep the raw units.",
                             fold, names[wide], names[narrow]);
  return CS_SCALE_STANDARDIZE;
}

void
cs_prepared_free (CsPrepared *prep)
{
  if (prep == NULL)
    return;
  cs_matrix_free (prep->x);
  g_free (prep->rows);
  g_strfreev (prep->names);
  g_free (prep->shift);
  g_free (prep->scale);
  g_free (prep->notice);
  g_free (prep);
}

typedef struct
{
  const CsColumn *column; /* Borrowed */
  guint           level;  /* for one-hot features */
  gboolean        one_hot;
} Feature;

/* Squared distances, sums of squares and covariances of the prepared rows must stay finite:
 * n · Σ_f max|x_f|² (with a margin of 64 for the sums every algorithm forms) below DBL_MAX.
 * Past it k-means reports an infinite inertia with every row in one cluster, and the
 * silhouette blames the clusters; say what is wrong instead. */
static gboolean
check_magnitude (const CsPrepared *prep,
                 const CsDataset  *ds,
                 GError          **error)
{
  const CsMatrix *x = prep->x;
  gsize worst_f = 0;
  gsize worst_i = 0;
  double top = 0.0;
  double s = 0.0;

  for (gsize f = 0; f < x->cols; f++)
    for (gsize i = 0; i < x->rows; i++)
      if (fabs (x->data[i * x->cols + f]) > top)
        {
          top = fabs (x->data[i * x->cols + f]);
          worst_f = f;
          worst_i = i;
        }
  if (top == 0.0)
    return TRUE;
  for (gsize f = 0; f < x->cols; f++)
    {
      double a = 0.0;
      for (gsize i = 0; i < x->rows; i++)
        a = MAX (a, fabs (x->data[i * x->cols + f]));
      s += (a / top) * (a / top);
    }
  /* top² · s · n · 64 < DBL_MAX, in logarithms so that the test itself cannot overflow. */
  if (2.0 * log (top) + log (s) + log ((double) x->rows) + log (64.0) < log (G_MAXDOUBLE))
    return TRUE;
  g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
               "‘%s’ has values as large as %.3g (row %" G_GSIZE_FORMAT " of %s): squared distances and sums of "
               "squares over these rows would overflow double precision (past %.3g). Rescale the data: "
               "standardize the columns, or divide this one by a power of ten",
               prep->names[worst_f], x->data[worst_i * x->cols + worst_f], prep->rows[worst_i] + 1, ds->name,
               G_MAXDOUBLE);
  return FALSE;
}

CsPrepared *
cs_dataset_prepare (const CsDataset        *ds,
                    const CsPrepareOptions *options,
                    GError                **error)
{
  CsPrepareOptions defaults;
  g_autoptr (GArray) chosen = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) features = g_array_new (FALSE, FALSE, sizeof (Feature));
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (CsPrepared) prep = NULL;
  g_autofree gboolean *keep = NULL;
  g_autofree double *means = NULL;
  gsize n_kept = 0;
  gsize d;

  g_return_val_if_fail (ds != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      cs_prepare_options_init (&defaults);
      options = &defaults;
    }

  if (options->columns != NULL)
    {
      for (gsize i = 0; i < options->n_columns; i++)
        {
          int c = options->columns[i];
          if (c < 0 || (gsize) c >= cs_dataset_n_columns (ds))
            {
              g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "Column %d does not exist; %s has columns 0 to %u", c, ds->name,
                           (guint) cs_dataset_n_columns (ds) - 1);
              return NULL;
            }
          g_array_append_val (chosen, c);
        }
    }
  else
    {
      for (gsize j = 0; j < cs_dataset_n_columns (ds); j++)
        if ((int) j != ds->label_column && cs_dataset_column (ds, j)->kind == CS_COLUMN_NUMERIC)
          {
            int c = (int) j;
            g_array_append_val (chosen, c);
          }
    }

  for (guint i = 0; i < chosen->len; i++)
    {
      const CsColumn *col = cs_dataset_column (ds, g_array_index (chosen, int, i));

      if (col->kind == CS_COLUMN_NUMERIC)
        {
          Feature f = { col, 0, FALSE };
          g_array_append_val (features, f);
          g_ptr_array_add (names, g_strdup (col->name));
        }
      else
        for (guint l = 0; l < col->levels->len; l++)
          {
            Feature f = { col, l, TRUE };
            g_array_append_val (features, f);
            g_ptr_array_add (names, g_strdup_printf ("%s=%s", col->name, (char *) g_ptr_array_index (col->levels, l)));
          }
    }
  d = features->len;
  if (d == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "No columns to work with in %s; choose at least one numeric or categorical column", ds->name);
      return NULL;
    }

  keep = g_new (gboolean, MAX (ds->n_rows, 1));
  for (gsize i = 0; i < ds->n_rows; i++)
    {
      keep[i] = TRUE;
      if (options->missing == CS_MISSING_DROP)
        for (guint c = 0; c < chosen->len && keep[i]; c++)
          keep[i] = !isnan (cs_dataset_column (ds, g_array_index (chosen, int, c))->values[i]);
      n_kept += keep[i];
    }
  if (n_kept == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "Every row of %s has a missing value in the chosen columns; choose fewer columns or "
                   "fill missing values with the column mean", ds->name);
      return NULL;
    }

  /* Feature means over the rows that have a value: the imputation value, and for one-hot
   * features the level frequency, so an imputed categorical row sits at the mean too. */
  means = g_new0 (double, d);
  for (gsize f = 0; f < d; f++)
    {
      const Feature *ft = &g_array_index (features, Feature, f);
      double sum = 0.0;
      gsize count = 0;

      for (gsize i = 0; i < ds->n_rows; i++)
        {
          double v = ft->column->values[i];
          if (!keep[i] || isnan (v))
            continue;
          sum += ft->one_hot ? (v == ft->level) : v;
          count++;
        }
      if (count == 0)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "Column ‘%s’ of %s has no values; leave it out", ft->column->name, ds->name);
          return NULL;
        }
      means[f] = sum / count;
    }

  prep = g_new0 (CsPrepared, 1);
  prep->x = cs_matrix_try_new (n_kept, d, "prepared data matrix", error);
  if (prep->x == NULL)
    return NULL;
  prep->rows = g_new (gsize, n_kept);
  prep->shift = g_new0 (double, d);
  prep->scale = g_new (double, d);

  {
    gsize r = 0;
    for (gsize i = 0; i < ds->n_rows; i++)
      {
        double *row;

        if (!keep[i])
          continue;
        row = cs_matrix_row (prep->x, r);
        prep->rows[r] = i;
        for (gsize f = 0; f < d; f++)
          {
            const Feature *ft = &g_array_index (features, Feature, f);
            double v = ft->column->values[i];
            if (isnan (v))
              row[f] = means[f];
            else
              row[f] = ft->one_hot ? (double) (v == ft->level) : v;
          }
        r++;
      }
    /* Imputation counts dataset cells, not one-hot features. */
    for (guint c = 0; c < chosen->len; c++)
      {
        const CsColumn *col = cs_dataset_column (ds, g_array_index (chosen, int, c));
        for (gsize i = 0; i < ds->n_rows; i++)
          if (keep[i] && isnan (col->values[i]))
            prep->n_imputed++;
      }
  }
  prep->n_dropped = ds->n_rows - n_kept;

  prep->scaling = options->scaling;
  /* Pixels share one unit and their spread is the signal: standardising would blow the
   * near-constant border pixels up to the weight of the strokes. */
  if (prep->scaling == CS_SCALE_AUTO && ds->image_rows > 0)
    prep->scaling = CS_SCALE_NONE;
  else if (prep->scaling == CS_SCALE_AUTO)
    prep->scaling = choose_scaling (prep->x, (char *const *) names->pdata, &prep->notice);

  for (gsize f = 0; f < d; f++)
    {
      double shift = 0.0;
      double scale = 1.0;
      double m = 0.0; /* the column's largest |value|: the sums below run on x / m so that
                         values near 1e308 neither overflow (sums, squares, hi − lo) nor
                         leave a column falsely "constant" */

      for (gsize i = 0; i < n_kept; i++)
        m = MAX (m, fabs (prep->x->data[i * d + f]));
      if (prep->scaling == CS_SCALE_STANDARDIZE && m > 0.0)
        {
          double mean = 0.0;
          double ss = 0.0;
          for (gsize i = 0; i < n_kept; i++)
            mean += prep->x->data[i * d + f] / m;
          mean /= n_kept;
          for (gsize i = 0; i < n_kept; i++)
            {
              double t = prep->x->data[i * d + f] / m - mean;
              ss += t * t;
            }
          /* Both at most m: |mean| ≤ m and sd² ≤ mean of squares ≤ m². */
          shift = mean * m;
          scale = sqrt (ss / n_kept) * m;
          if (scale > 0.0)
            for (gsize i = 0; i < n_kept; i++)
              prep->x->data[i * d + f] = (prep->x->data[i * d + f] / m - mean) / (scale / m);
        }
      else if (prep->scaling == CS_SCALE_MINMAX && m > 0.0)
        {
          double lo = INFINITY;
          double hi = -INFINITY;
          for (gsize i = 0; i < n_kept; i++)
            {
              double v = prep->x->data[i * d + f] / m;
              lo = MIN (lo, v);
              hi = MAX (hi, v);
            }
          shift = lo * m;
          /* hi − lo can reach 2: the range itself may not be representable, its parts are. */
          scale = (hi - lo) * m;
          if (hi > lo)
            for (gsize i = 0; i < n_kept; i++)
              prep->x->data[i * d + f] = (prep->x->data[i * d + f] / m - lo) / (hi - lo);
          else
            scale = 0.0;
        }
      /* A constant column would divide by zero; left unscaled it is all zeros after the shift. */
      if (!(scale > 0.0))
        {
          if (shift != 0.0)
            for (gsize i = 0; i < n_kept; i++)
              prep->x->data[i * d + f] -= shift;
          scale = 1.0;
        }
      /* A range past DBL_MAX (values of both signs near 1e308) was scaled above all the same;
       * only its record saturates. */
      prep->shift[f] = shift;
      prep->scale[f] = MIN (scale, G_MAXDOUBLE);
    }

  g_ptr_array_add (names, NULL);
  prep->names = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  if (!check_magnitude (prep, ds, error))
    return NULL;
  return g_steal_pointer (&prep);
}

gboolean
cs_pca (const CsMatrix *x,
        gsize           n_components,
        CsMatrix      **scores,
        CsMatrix      **components,
        double         *explained_ratio,
        GError        **error)
{
  gsize n;
  gsize d;
  g_autofree double *mean = NULL;
  g_autofree double *cov = NULL;
  g_autofree double *block = NULL;
  g_autofree double *w = NULL;
  g_autofree double *z = NULL;
  g_autofree lapack_int *support = NULL;
  g_autoptr (CsMatrix) comp = NULL;
  double total = 0.0;
  lapack_int found = 0;
  lapack_int info;

  g_return_val_if_fail (x != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n = x->rows;
  d = x->cols;
  if (scores)
    *scores = NULL;
  if (components)
    *components = NULL;
  if (n < 2 || d == 0)
    {
      g_autofree char *rows = cs_format_count (n);
      g_autofree char *cols = cs_format_count (d);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "PCA needs at least 2 rows and 1 column; the data has %s × %s", rows, cols);
      return FALSE;
    }
  if (n_components == 0 || n_components > d)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "PCA components must be between 1 and %" G_GSIZE_FORMAT " (the number of columns), not %"
                   G_GSIZE_FORMAT, d, n_components);
      return FALSE;
    }

  mean = g_new0 (double, d);
  cs_matrix_column_means (x, mean);

  /* Covariance by blocks of centred rows through dsyrk: for n >> d this is a d × d problem,
   * far cheaper than an SVD of the n × d matrix, and needs no centred copy of x. */
  cov = g_new0 (double, d * d);
  block = g_new (double, PCA_BLOCK_ROWS * d);
  for (gsize i0 = 0; i0 < n; i0 += PCA_BLOCK_ROWS)
    {
      gsize m = MIN ((gsize) PCA_BLOCK_ROWS, n - i0);
      for (gsize i = 0; i < m; i++)
        for (gsize j = 0; j < d; j++)
          block[i * d + j] = x->data[(i0 + i) * d + j] - mean[j];
      cblas_dsyrk (CblasRowMajor, CblasUpper, CblasTrans, (int) d, (int) m, 1.0, block, (int) d, 1.0, cov, (int) d);
    }
  for (gsize j = 0; j < d * d; j++)
    cov[j] /= (double) (n - 1);

  w = g_new0 (double, d);
  z = g_new0 (double, d * d);
  support = g_new0 (lapack_int, 2 * d);
  info = LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'A', 'U', (lapack_int) d, cov, (lapack_int) d, 0.0, 0.0, 0, 0,
                         0.0, &found, w, z, (lapack_int) d, support);
  if (info != 0 || (gsize) found != d)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
                   "PCA: the eigendecomposition of the covariance matrix failed (LAPACK dsyevr info %d); "
                   "check the data for infinite values", (int) info);
      return FALSE;
    }

  for (gsize j = 0; j < d; j++)
    total += MAX (w[j], 0.0);

  /* dsyevr sorts ascending; component k is eigenvector d-1-k (column of z). */
  comp = cs_matrix_new (n_components, d);
  for (gsize k = 0; k < n_components; k++)
    {
      gsize e = d - 1 - k;
      gsize argmax = 0;
      double sign;

      for (gsize j = 0; j < d; j++)
        {
          comp->data[k * d + j] = z[j * d + e];
          if (fabs (comp->data[k * d + j]) > fabs (comp->data[k * d + argmax]))
            argmax = j;
        }
      sign = comp->data[k * d + argmax] < 0 ? -1.0 : 1.0;
      for (gsize j = 0; j < d; j++)
        comp->data[k * d + j] *= sign;
      if (explained_ratio)
        explained_ratio[k] = total > 0.0 ? MAX (w[e], 0.0) / total : 0.0;
    }

  if (scores)
    {
      CsMatrix *s = cs_matrix_try_new (n, n_components, "PCA scores", error);
      if (s == NULL)
        return FALSE;
      for (gsize i0 = 0; i0 < n; i0 += PCA_BLOCK_ROWS)
        {
          gsize m = MIN ((gsize) PCA_BLOCK_ROWS, n - i0);
          for (gsize i = 0; i < m; i++)
            for (gsize j = 0; j < d; j++)
              block[i * d + j] = x->data[(i0 + i) * d + j] - mean[j];
          cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, (int) m, (int) n_components, (int) d, 1.0, block,
                       (int) d, comp->data, (int) d, 0.0, s->data + i0 * n_components, (int) n_components);
        }
      *scores = s;
    }
  if (components)
    *components = g_steal_pointer (&comp);
  return TRUE;
}
