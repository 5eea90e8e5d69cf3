#pragma once

#include <glib.h>

#include "cs-dataset.h"
#include "cs-matrix.h"
#include "cs-progress.h"

G_BEGIN_DECLS

/* What makes each cluster what it is: effect sizes (cluster vs rest), a one-vs-rest logistic
 * surrogate on standardised features, and the exact Shapley values of its logits.
 *
 * Rows labelled -1 (noise) take no part: "rest" means the other labelled rows, and the
 * standardisation and the expectations E[x_j] are over the labelled rows.
 * Categorical columns are described by proportions with cs_saliency_categorical(). */

typedef struct
{
  double c;          /* inverse regularisation, as scikit-learn's C: ½‖w‖² + C Σ logloss */
  guint  max_iter;   /* Newton (IRLS) iterations per model */
  double tol;        /* stop when the Newton step's largest entry is below this */
  guint  n_summary;  /* features named in each text summary */
} CsSaliencyOptions;

void cs_saliency_options_init (CsSaliencyOptions *opt);

typedef struct
{
  gsize   n_rows;        /* all rows, noise included */
  gsize   n_labelled;
  guint   k;
  guint   d;
  char  **feature_names; /* Owned, d entries + NULL */
  gsize  *sizes;         /* Owned, k */

  /* Per cluster × feature, row-major k × d. */
  double *hedges_g;      /* Owned: standardised mean difference, cluster vs rest */
  double *hedges_g_lo;   /* Owned: 95 % confidence interval */
  double *hedges_g_hi;   /* Owned */
  double *cliff_delta;   /* Owned: P(X > Y) − P(X < Y), X in the cluster, Y in the rest */
  double *favourable;    /* Owned: mean over the cluster's rows of max(φ_j, 0) */
  double *unfavourable;  /* Owned: mean of min(φ_j, 0) */
  double *shap_mean_abs; /* Owned: mean of |φ_j| */

  /* Surrogate. */
  double *center;        /* Owned, d: means of the labelled rows */
  double *scale;         /* Owned, d: population SDs (1 where a feature is constant) */
  double *coef;          /* Owned, k × (d + 1): weights on standardised features, then intercept */
  double *model_accuracy; /* Owned, k: training accuracy of each one-vs-rest model */
  double  surrogate_accuracy; /* argmax of the k logits vs the labels */

  char  **summaries;     /* Owned, k entries + NULL */
} CsSaliencyReport;

void cs_saliency_report_free (CsSaliencyReport *report);

/* labels has x->rows entries in [0, k) or -1. feature_names may be NULL ("feature 1", ...).
 * Fails with CS_ERROR_INVALID_ARGUMENT when k < 2, d = 0, a label is out of range or a
 * cluster has no rows; CS_ERROR_CANCELLED when progress asks to stop. */
gboolean cs_saliency_run (const CsMatrix          *x,
                          const char * const      *feature_names,
                          const int               *labels,
                          guint                    k,
                          const CsSaliencyOptions *opt,
                          CsProgress              *progress,
                          CsSaliencyReport       **out,
                          GError                 **error);

/* The surrogate's logit for `cluster` at a row in original feature units. */
double cs_saliency_report_logit (const CsSaliencyReport *report,
                                 guint                   cluster,
                                 const double           *row);

/* Exact Shapley values of that logit under feature independence, phi has d entries:
 * φ_j = w_j (z_j − E[z_j]) with z the standardised row (E[z] = 0 over the labelled rows). */
void cs_saliency_report_shapley (const CsSaliencyReport *report,
                                 guint                   cluster,
                                 const double           *row,
                                 double                 *phi);

/* Feature indices for `cluster` by decreasing |Hedges' g| (ties: lower index first); order has d entries. */
void cs_saliency_report_rank (const CsSaliencyReport *report,
                              guint                   cluster,
                              guint                  *order);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsSaliencyReport, cs_saliency_report_free)

/* A categorical column by proportions: for each cluster and level, the share of the cluster's
 * rows at that level against the share of the other labelled rows, with a 95 % interval for
 * the difference. Rows with the value missing are left out of both shares. */
typedef struct
{
  char   *name;            /* Owned */
  guint   k;
  guint   n_levels;
  char  **levels;          /* Owned, n_levels entries + NULL */
  double *proportion;      /* Owned, k × n_levels */
  double *rest_proportion; /* Owned, k × n_levels */
  double *diff_lo;         /* Owned, k × n_levels: CI of proportion − rest_proportion */
  double *diff_hi;         /* Owned */
} CsSaliencyCategorical;

void cs_saliency_categorical_free (CsSaliencyCategorical *cat);

/* rows[i] is the dataset row of labelled item i (CsPrepared.rows), labels[i] its cluster or -1.
 * Fails with CS_ERROR_INVALID_ARGUMENT when the column is not categorical or a cluster has no
 * row with a value in it. */
gboolean cs_saliency_categorical (const CsDataset         *ds,
                                  guint                    column,
                                  const gsize             *rows,
                                  const int               *labels,
                                  gsize                    n,
                                  guint                    k,
                                  CsSaliencyCategorical  **out,
                                  GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsSaliencyCategorical, cs_saliency_categorical_free)

G_END_DECLS
