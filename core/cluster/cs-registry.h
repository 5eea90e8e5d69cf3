#pragma once

#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"
#include "core/cluster/cs-result.h"
#include "core/data/cs-dissim.h"
#include "core/graph/cs-graph.h"

G_BEGIN_DECLS

/* One description of each algorithm, read by the parameter panel, the CLI's -p name=value,
 * session files and the tests. */

typedef enum
{
  CS_PARAM_INT,
  CS_PARAM_DOUBLE,
  CS_PARAM_ENUM,   /* one of `choices` */
  CS_PARAM_BOOL,
  CS_PARAM_STRING, /* free text, e.g. explicit initial medoids "0,5,9"; with `choices`, those are
                      the usual values and anything else is checked when the algorithm runs */
} CsParamType;

typedef struct
{
  const char        *name;        /* CLI key: "k", "n_init" */
  const char        *label;       /* UI label: "Clusters (k)" */
  const char        *help;        /* one sentence for tooltips and --help */
  CsParamType        type;
  double             min;         /* INT / DOUBLE: inclusive range */
  double             max;
  double             default_num; /* INT / DOUBLE / BOOL default */
  const char        *default_str; /* ENUM / STRING default */
  const char *const *choices;     /* ENUM (and STRING, see above): NULL-terminated ids, what the
                                     CLI and files take */
  gboolean           log_scale;   /* DOUBLE: a slider should move in log steps (tolerances) */
  gboolean           advanced;    /* hidden behind "More options" in the UI */
  const char *const *choice_labels; /* what the UI shows for each choice, same order and length
                                       as `choices` ("Hamerly (bounds)" for "hamerly") */
  const char        *other_label;   /* STRING with choices: the UI's name for a value that is
                                       none of them ("Listed rows") */
  const char        *zero_label;  /* INT / DOUBLE: what 0 means when it stands for "choose for me"
                                     ("Automatic"); the UI shows this instead of 0 */
} CsParamSpec;

typedef struct _CsAlgorithm CsAlgorithm;

typedef gboolean (*CsAlgorithmRunFunc) (const CsMatrix *x,
                                        const CsParams *params,
                                        CsProgress     *progress,
                                        CsTrace        *trace,
                                        CsClustering  **out,
                                        GError        **error);

/* For algorithms that work on dissimilarities: runs on a given matrix (precomputed from a
 * file, or Gower over mixed columns) instead of computing one from x. */
typedef gboolean (*CsAlgorithmDissimRunFunc) (const CsDissim *dissim,
                                              const CsParams *params,
                                              CsProgress     *progress,
                                              CsTrace        *trace,
                                              CsClustering  **out,
                                              GError        **error);

/* For algorithms that learn from the classes some rows already have: known holds x->rows
 * entries, the row's class in [0, n_classes) or -1 where it has none. */
typedef gboolean (*CsAlgorithmLabelledRunFunc) (const CsMatrix *x,
                                                const int      *known,
                                                const CsParams *params,
                                                CsProgress     *progress,
                                                CsTrace        *trace,
                                                CsClustering  **out,
                                                GError        **error);

/* For algorithms that cluster the nodes of a graph (issue 13): labels for all g->n nodes. */
typedef gboolean (*CsAlgorithmGraphRunFunc) (const CsGraph  *g,
                                             const CsParams *params,
                                             CsProgress     *progress,
                                             CsTrace        *trace,
                                             CsClustering  **out,
                                             GError        **error);

struct _CsAlgorithm
{
  const char         *id;          /* "kmeans" */
  const char         *name;        /* "k-means" */
  const char         *description; /* a sentence or two for the UI and `list` */
  const char         *category;    /* "Centroid", "Medoid", "Density", ... */
  const CsParamSpec  *params;
  gsize               n_params;
  CsAlgorithmRunFunc  run;
  CsAlgorithmDissimRunFunc run_dissim; /* may be NULL */
  /* The ENUM parameter whose choices are cs_metric_id()s ("euclidean", "gower", "precomputed"),
   * or NULL when the algorithm works on coordinates only. Read it through
   * cs_params_get_dissim() / cs_params_set_dissim(), never by its name. */
  const char         *dissim_param;
  CsObjectiveKind     objective;   /* copied into every result's objective_kind */
  gboolean            marks_noise; /* labels may be -1 (noise); FALSE: every row gets a cluster */
  /* May be NULL: runs with the dataset's known classes (the label column); the pipeline uses it
   * instead of run when the dataset has one. run alone treats every row as unlabelled. */
  CsAlgorithmLabelledRunFunc run_labelled;
  /* Issue 13, added at the end. May be NULL: clusters the nodes of a graph. The pipeline uses
   * it whenever the dataset is a graph (CsDataset.graph); an entry with run_graph and no run
   * needs one (cs_algorithm_needs_graph) and is refused on tables of points. */
  CsAlgorithmGraphRunFunc run_graph;
};

const CsAlgorithm *const *cs_registry_list (gsize *n_algorithms);
const CsAlgorithm        *cs_registry_lookup (const char *id);

/* Runs `algo` on x, fills in the result's algorithm id, params and seconds. */
gboolean cs_algorithm_run (const CsAlgorithm *algo,
                           const CsMatrix    *x,
                           const CsParams    *params,
                           CsProgress        *progress,
                           CsTrace           *trace,
                           CsClustering     **out,
                           GError           **error);

/* The same on a ready dissimilarity matrix; fails with CS_ERROR_INVALID_ARGUMENT when the
 * algorithm has no run_dissim. */
gboolean cs_algorithm_run_dissim (const CsAlgorithm *algo,
                                  const CsDissim    *dissim,
                                  const CsParams    *params,
                                  CsProgress        *progress,
                                  CsTrace           *trace,
                                  CsClustering     **out,
                                  GError           **error);

/* The same with known classes (see CsAlgorithm.run_labelled); falls back to run when the
 * algorithm has no run_labelled or known is NULL. */
gboolean cs_algorithm_run_labelled (const CsAlgorithm *algo,
                                    const CsMatrix    *x,
                                    const int         *known,
                                    const CsParams    *params,
                                    CsProgress        *progress,
                                    CsTrace           *trace,
                                    CsClustering     **out,
                                    GError           **error);

const CsParamSpec *cs_algorithm_find_param (const CsAlgorithm *algo, const char *name);

/* TRUE when the algorithm runs on a ready dissimilarity matrix (run_dissim) and its
 * dissimilarity parameter offers "precomputed". */
gboolean cs_algorithm_accepts_precomputed (const CsAlgorithm *algo);

/* The label the UI shows for `choice` of a spec with choices (the id itself when the spec has
 * no labels), or NULL when `choice` is not one of its choices. */
const char *cs_param_spec_choice_label (const CsParamSpec *spec, const char *choice);

/* Parameter values for one algorithm, starting at the defaults. */
CsParams          *cs_params_new (const CsAlgorithm *algo);
CsParams          *cs_params_copy (const CsParams *params);
void               cs_params_free (CsParams *params);
const CsAlgorithm *cs_params_get_algorithm (const CsParams *params);

/* Parses and validates `value` for parameter `name` ("k", "7"). Errors name the parameter,
 * the value and the accepted range or choices. */
gboolean cs_params_set (CsParams *params, const char *name, const char *value, GError **error);
/* "name=value" as given to the CLI's -p. */
gboolean cs_params_set_assignment (CsParams *params, const char *assignment, GError **error);
void     cs_params_set_int (CsParams *params, const char *name, gint64 value);
void     cs_params_set_double (CsParams *params, const char *name, double value);

/* The dissimilarity the params ask for (see CsAlgorithm.dissim_param). FALSE when the algorithm
 * has none. */
gboolean    cs_params_get_dissim (const CsParams *params, CsMetric *metric);
/* Sets it; FALSE (nothing changed) when the algorithm has no dissimilarity parameter or does
 * not offer that one. */
gboolean    cs_params_set_dissim (CsParams *params, CsMetric metric);

gint64      cs_params_get_int (const CsParams *params, const char *name);
double      cs_params_get_double (const CsParams *params, const char *name);
gboolean    cs_params_get_bool (const CsParams *params, const char *name);
const char *cs_params_get_string (const CsParams *params, const char *name); /* ENUM and STRING */
/* The canonical text of a value ("10", "1e-04", "k-means++"): the inverse of cs_params_set. */
char       *cs_params_to_string (const CsParams *params, const char *name);

/* Issue 13: graph algorithms. TRUE when the algorithm clusters graph nodes only (run_graph, no
 * run): front ends offer it only for graph data. */
gboolean cs_algorithm_needs_graph (const CsAlgorithm *algo);
/* Runs run_graph on g (labels for every node) and stamps the result as cs_algorithm_run does;
 * CS_ERROR_INVALID_ARGUMENT when the algorithm has none. */
gboolean cs_algorithm_run_graph (const CsAlgorithm *algo,
                                 const CsGraph     *g,
                                 const CsParams    *params,
                                 CsProgress        *progress,
                                 CsTrace           *trace,
                                 CsClustering     **out,
                                 GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsParams, cs_params_free)

G_END_DECLS
