#pragma once

#include <glib.h>

#include "core/data/cs-dataset.h"
#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"

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

  /* Where favourable / unfavourable / shap_mean_abs come from. */
  const char *method;    /* static string: "linear" (the surrogate's exact linear Shapley values, in
                            logits) or "kernelshap" (the clustering's own assignment, in shares of
                            hybrid points kept in the cluster; see cs_saliency_report_apply_kernelshap()) */
  gsize  *shap_rows;     /* Owned, k: rows of each cluster that the maps average over */
  guint   shap_background; /* kernelshap: background rows; 0 for linear */
  gsize   shap_coalitions; /* kernelshap: coalitions evaluated per explained row; 0 for linear */
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

/* Model-agnostic maps: Shapley values of the clustering's own assignment function rather
 * than of the surrogate. */
#define CS_KERNELSHAP_EXACT_MAX_D 10

typedef struct
{
  guint    n_samples;            /* KernelSHAP coalitions per explained row (>= d + 1); from 2^d − 2 on,
                                    every coalition is used and the values are exact */
  guint    n_background;         /* background rows masking the features left out */
  guint    max_rows_per_cluster; /* explain a seeded sample of this many rows per cluster; 0 = all */
  guint64  seed;
  gboolean exact;                /* enumerate all 2^d coalitions when d <= CS_KERNELSHAP_EXACT_MAX_D */
} CsKernelShapOptions;

/* n_samples 2048, n_background 50, max_rows_per_cluster 200, seed 0, exact TRUE. */
void cs_kernelshap_options_init (CsKernelShapOptions *opt);

/* The centres whose nearest one is a clustering's assignment, for
 * cs_saliency_report_apply_kernelshap(): a copy of `centers` when given, else the medoid rows
 * of x (medoids: k row indices), else each cluster's mean row (labels -1 left out). k × x->cols. */
CsMatrix *cs_saliency_assignment_centers (const CsMatrix *x,
                                          const int      *labels,
                                          guint           k,
                                          const CsMatrix *centers,
                                          const gsize    *medoids);

/* Replaces report's favourable / unfavourable / shap_mean_abs maps by aggregates of the
 * Shapley values of the assignment "nearest centre" (squared Euclidean; centers is k × d,
 * row c the centre of cluster c). Medoid-based clusterings pass their medoid rows copied
 * into centers: the nearest medoid in Euclidean distance is the nearest in squared distance.
 *
 * For a row x of cluster c the game is interventional, with features independent:
 *   v(S) = mean over b in B of [assign(x_S, b_S̄) = c],
 * the share of hybrid points (x's values in S, a background row's elsewhere) still assigned
 * to c; so Σ_j φ_j = [assign(x) = c] − mean_b [assign(b) = c]. B is a seeded uniform sample
 * (without replacement) of n_background labelled rows, all of them when there are fewer.
 * Each cluster's maps are means over a seeded sample of max_rows_per_cluster of its rows of
 * max(φ_j, 0), min(φ_j, 0) and |φ_j|; shap_rows records how many.
 *
 * With opt->exact and d <= CS_KERNELSHAP_EXACT_MAX_D all 2^d coalitions are enumerated
 * (cs_shapley_exact_from_values()); otherwise every explained row uses the coalitions of
 * cs_kernelshap_plan_new (d, n_samples, seed), so the least-squares system is set up once.
 * Rows are explained in parallel (OpenMP); the result does not depend on the thread count.
 *
 * x and labels are what cs_saliency_run() was given. Fails with CS_ERROR_INVALID_ARGUMENT
 * when the shapes disagree or an option is out of range, CS_ERROR_CANCELLED when progress
 * asks to stop (the report is then unchanged). */
gboolean cs_saliency_report_apply_kernelshap (CsSaliencyReport          *report,
                                              const CsMatrix            *x,
                                              const int                 *labels,
                                              const CsMatrix            *centers,
                                              const CsKernelShapOptions *opt,
                                              CsProgress                *progress,
                                              GError                   **error);

/* Descriptive clustering (ViDi): clusters that are homogeneous in why a model assigns their
 * class. The surrogate is fitted to the class labels (cs_saliency_run() with k = n_classes),
 * every row with a class gets the exact linear Shapley vector of its own class's logit, and
 * within each class k-means (k-means++, 4 restarts, seed + class) groups those vectors into
 * min(k_per_class, class size) clusters. Clusters are numbered class-major; a k-means cluster
 * left empty (identical attribution vectors) is dropped, so *out_k may be smaller than
 * n_classes × k_per_class.
 *
 * class_labels has x->rows entries in [0, n_classes) or -1 (no class: that row gets label -1).
 * Out: labels (x->rows entries), out_k, and cluster_class (out_k entries, the class of each
 * cluster). Fails with CS_ERROR_INVALID_ARGUMENT when n_classes < 2, k_per_class = 0, a class
 * label is out of range or a class has no rows; CS_ERROR_CANCELLED when progress asks to stop. */
gboolean cs_saliency_descriptive (const CsMatrix          *x,
                                  const char * const      *feature_names,
                                  const int               *class_labels,
                                  guint                    n_classes,
                                  guint                    k_per_class,
                                  guint64                  seed,
                                  const CsSaliencyOptions *opt,
                                  CsProgress              *progress,
                                  int                    **out_labels,
                                  guint                   *out_k,
                                  int                    **out_cluster_class,
                                  GError                 **error);

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

/* cs_saliency_categorical() for every categorical column of ds (the label column too: a
 * cluster's class make-up), leaving out a column some cluster has no value in. A new array
 * of CsSaliencyCategorical*, which frees them. */
GPtrArray *cs_saliency_categorical_all (const CsDataset *ds,
                                        const gsize     *rows,
                                        const int       *labels,
                                        gsize            n,
                                        guint            k);

/* The level most over-represented in `cluster` (largest proportion − rest_proportion; ties
 * to the lower index). */
guint cs_saliency_categorical_top_level (const CsSaliencyCategorical *cat,
                                         guint                        cluster);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsSaliencyCategorical, cs_saliency_categorical_free)

G_END_DECLS
