#pragma once

#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"
#include "core/cluster/cs-registry.h"

G_BEGIN_DECLS

/* How many clusters? Runs one registry algorithm at every k of a range and scores each
 * clustering by several criteria side by side, so the answer is visible rather than one
 * number. Every criterion has its own rule for the k it suggests. */

typedef enum
{
  CS_CRITERION_SILHOUETTE,        /* mean silhouette (exact), maximised */
  CS_CRITERION_MEDOID_SILHOUETTE, /* mean medoid silhouette, results with medoids, maximised */
  CS_CRITERION_CH,                /* Calinski–Harabasz, maximised */
  CS_CRITERION_DB,                /* Davies–Bouldin, minimised */
  CS_CRITERION_BIC,               /* results with a likelihood (mixtures), minimised */
  CS_CRITERION_ICL,               /* likewise */
  CS_CRITERION_GAP,               /* gap statistic, Tibshirani's one-standard-error rule */
  CS_CRITERION_STABILITY,         /* mean ARI between bootstrap (or seeded) runs, maximised */
  CS_CRITERION_N,
} CsCriterion;

#define CS_CRITERIA_ALL ((1u << CS_CRITERION_N) - 1)

const char *cs_criterion_id (CsCriterion c);   /* "silhouette", "medoid-silhouette", "ch", "db", "bic", "icl", "gap", "stability" */
const char *cs_criterion_name (CsCriterion c); /* "Silhouette", "Calinski–Harabasz", ... */
gboolean    cs_criterion_from_id (const char *id, CsCriterion *c);
/* FALSE for the criteria whose smaller values are better (DB, BIC, ICL). The gap's value is
 * Gap(k), larger is better, but its rule is not the maximum. */
gboolean    cs_criterion_is_maximised (CsCriterion c);
/* "silhouette,ch,db" → a mask of 1 << CsCriterion; errors name the unknown id and list the ids. */
gboolean    cs_criteria_parse (const char *list, guint *mask, GError **error);

typedef enum
{
  CS_GAP_REFERENCE_BOX, /* uniform over the columns' ranges */
  CS_GAP_REFERENCE_PCA, /* uniform over the box of the principal axes (Tibshirani et al., 3b) */
} CsGapReference;

typedef enum
{
  CS_STABILITY_BOOTSTRAP, /* runs on bootstrap samples, every row then given its nearest cluster mean */
  CS_STABILITY_SEEDS,     /* runs on all rows with seeds seed + 1, seed + 2, … */
} CsStabilityMode;

typedef struct
{
  guint           k_min;          /* ≥ 1; k = 1 is scored by the gap, BIC/ICL and stability only */
  guint           k_max;          /* ≥ k_min, < n */
  guint           criteria;       /* mask of 1 << CsCriterion */
  guint           gap_references; /* B reference sets (≥ 1) */
  CsGapReference  gap_reference;
  guint           stability_runs; /* runs per k (≥ 2) */
  CsStabilityMode stability_mode;
  guint64         seed;           /* of the reference sets and the bootstrap samples */
  const CsGraph  *graph;          /* Borrowed, may be NULL: the graph whose nodes x's rows are, for
                                     algorithms that cluster a graph (cs_algorithm_needs_graph);
                                     their gap statistic is skipped (its reference sets are point
                                     clouds, not graphs) and stability compares seeded runs */
} CsChooseKOptions;

void cs_choose_k_options_init (CsChooseKOptions *o);

/* Largest n for the co-association matrix (n × n floats). */
#define CS_CHOOSE_K_COASSOC_MAX_N 8000

typedef struct
{
  gatomicrefcount ref;
  char     *algorithm;   /* Owned: the registry id that ran (DynMSC's range runs as FasterMSC) */
  CsParams *params;      /* Owned: its parameters, k as given */
  gsize     n;
  gsize     d;
  guint     k_min;
  guint     n_k;         /* k = k_min … k_min + n_k − 1 */
  guint     criteria;    /* asked for */
  guint     computed;    /* those with at least one value (BIC needs a likelihood, …) */
  double   *values[CS_CRITERION_N];  /* Owned, n_k each (NaN where undefined), or NULL */
  guint     suggested[CS_CRITERION_N]; /* the criterion's k, 0 when it suggests none */
  double   *log_w;       /* Owned with the gap: log W_k of the data */
  double   *log_w_ref;   /* Owned with the gap: mean over references of log W*_k */
  double   *gap_s;       /* Owned with the gap: s_k = sd_k √(1 + 1/B) */
  double   *stability_sd; /* Owned with stability: spread of the pairwise ARIs */
  guint     stability_runs;
  int      *stability_labels; /* Owned with stability: n_k × runs × n labels of every row */
  int      *labels;      /* Owned: n_k × n, the clustering at each k */
  guint    *k_found;     /* Owned: n_k, clusters in that clustering (an algorithm may find fewer) */
  double    seconds;
} CsChooseKResult;

CsChooseKResult *cs_choose_k_result_ref (CsChooseKResult *r);
void             cs_choose_k_result_unref (CsChooseKResult *r);
/* The labels at k (n entries, borrowed), NULL outside the range. */
const int       *cs_choose_k_result_labels (const CsChooseKResult *r, guint k);

/* Runs the algorithm of `params` at every k from o->k_min to o->k_max on the rows of x.
 * Algorithms that work on dissimilarities share one matrix, also used for every silhouette;
 * each run is parallel inside and the runs follow one another, so the result is the same on
 * any thread count. An algorithm without a k (DBSCAN, mean shift) is refused, except DynMSC,
 * whose range is FasterMSC at each k. Cancel returns CS_ERROR_CANCELLED. */
gboolean cs_choose_k_run (const CsMatrix          *x,
                          const CsParams          *params,
                          const CsChooseKOptions  *o,
                          CsProgress              *progress,
                          CsChooseKResult        **out,
                          GError                 **error);

/* The fraction of stability runs at k in which rows i and j share a cluster, n × n floats
 * (row-major, newly allocated), rows in their own order. Refused with CS_ERROR_TOO_LARGE
 * above CS_CHOOSE_K_COASSOC_MAX_N rows, and when stability was not computed. */
float *cs_choose_k_coassociation (const CsChooseKResult *r, guint k, GError **error);

/* Rows ordered by their label at k, ties by their labels at k + 1, k + 2, … of the range, then
 * by row: the order of a co-association heatmap (clusters as blocks, their parts as sub-blocks). */
gsize *cs_choose_k_order_by_cluster (const CsChooseKResult *r, guint k);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsChooseKResult, cs_choose_k_result_unref)

G_END_DECLS
