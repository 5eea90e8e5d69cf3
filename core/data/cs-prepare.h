#pragma once

#include "core/base/cs-matrix.h"
#include "core/data/cs-dataset.h"

G_BEGIN_DECLS

/* Preprocessing: from a dataset to the matrix an algorithm sees. */
typedef enum
{
  CS_SCALE_NONE,
  CS_SCALE_STANDARDIZE, /* z-score: mean 0, standard deviation 1 (population sd, like scikit-learn) */
  CS_SCALE_MINMAX,      /* each column to [0, 1] */
  CS_SCALE_AUTO,        /* STANDARDIZE when the columns' standard deviations differ by more than
                           CS_SCALE_AUTO_RATIO, else NONE: one wide column (wine's proline, sd 315
                           against hue's 0.23) would otherwise decide every distance alone */
} CsScaling;

#define CS_SCALE_AUTO_RATIO 10.0

/* "none", "standardize", "minmax", "auto": what the CLI takes and the result JSON records. */
const char *cs_scaling_id (CsScaling scaling);
gboolean    cs_scaling_from_id (const char *id, CsScaling *scaling);

typedef enum
{
  CS_MISSING_DROP, /* rows with any missing value among the chosen columns are left out */
  CS_MISSING_MEAN, /* missing values replaced by the column mean */
} CsMissingPolicy;

typedef struct
{
  const int      *columns;   /* column indices to use; NULL: every numeric column except the label */
  gsize           n_columns;
  CsScaling       scaling;
  CsMissingPolicy missing;
} CsPrepareOptions;

typedef struct
{
  CsMatrix *x;          /* Owned: rows × chosen features */
  gsize    *rows;       /* Owned: x row i came from dataset row rows[i] */
  char    **names;      /* Owned, NULL-terminated: feature names of x's columns (a categorical
                           column becomes one-hot columns "name=level") */
  gsize     n_dropped;  /* rows left out for missing values */
  gsize     n_imputed;  /* values filled in with the mean */
  double   *shift;      /* Owned, x->cols: x = (raw - shift) / scale */
  double   *scale;      /* Owned, x->cols */
  CsScaling scaling;    /* what was applied: never CS_SCALE_AUTO */
  char     *notice;     /* Owned, may be NULL: a sentence for the user when CS_SCALE_AUTO chose to
                           standardise ("Columns’ spreads differ 1,369-fold (…): standardised…"),
                           for a status line or the CLI's report */
} CsPrepared;

/* Every numeric column but the label, CS_SCALE_AUTO, rows with missing values dropped. */
void        cs_prepare_options_init (CsPrepareOptions *options);
CsPrepared *cs_dataset_prepare (const CsDataset *ds, const CsPrepareOptions *options, GError **error);
void        cs_prepared_free (CsPrepared *prep);

/* Principal components of x (centred inside): scores (rows × n_components), the components
 * (n_components × cols, unit rows, sign fixed so the largest |loading| is positive) and the
 * explained variance ratio of each. Any output may be NULL. */
gboolean cs_pca (const CsMatrix *x,
                 gsize           n_components,
                 CsMatrix      **scores,
                 CsMatrix      **components,
                 double         *explained_ratio,
                 GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsPrepared, cs_prepared_free)

G_END_DECLS
