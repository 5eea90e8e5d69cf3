#pragma once

#include "core/cluster/cs-kmedoids.h"

G_BEGIN_DECLS

/* Shared by the k-medoids family's registry entries (kmedoids.c, kmedoids-sampling.c,
 * medoid-silhouette.c). */

/* The parameters of the family, in this order: k, init (build | lab | random | k-means++ |
 * "I1,I2,..." explicit rows — a STRING with those choices, validated when run), metric, seed,
 * max_iter. Most entries' tables start with CS_I_KMEDOIDS_COMMON_PARAMS (...) and append their
 * own; an entry that does not use one of them (DynMSC chooses k itself and cannot start from
 * listed rows, CLARANS has no iteration bound) lists the single ones it uses instead, so the
 * panel and the CLI never offer a parameter that does nothing. */
extern const char *const cs_i_metric_choices[];
extern const char *const cs_i_metric_labels[];
/* The first four of those: what can be computed from the rows themselves (CLARA). */
extern const char *const cs_i_coord_metric_choices[];
extern const char *const cs_i_coord_metric_labels[];
extern const char *const cs_i_kmedoids_init_choices[];
extern const char *const cs_i_kmedoids_init_labels[];

#define CS_I_KMEDOIDS_INIT_HELP(default_note)                                                                      \
  "How the first medoids are chosen: build (PAM's greedy BUILD, O(kn²)), lab (its fast sampled "                  \
  "approximation), random, k-means++, or explicit 0-based rows such as 0,5,9. " default_note

#define CS_I_KMEDOIDS_PARAM_K(k_help)                                                                              \
  { .name = "k", .label = "Clusters (k)", .help = k_help, .type = CS_PARAM_INT, .min = 1, .max = 10000,           \
    .default_num = 3 }

#define CS_I_KMEDOIDS_PARAM_INIT(init_default, init_help)                                                          \
  { .name = "init", .label = "Initialisation", .help = init_help, .type = CS_PARAM_STRING,                         \
    .default_str = init_default, .choices = cs_i_kmedoids_init_choices,                                            \
    .choice_labels = cs_i_kmedoids_init_labels, .other_label = "Listed rows" }

/* Only the named methods, no listed rows. */
#define CS_I_KMEDOIDS_PARAM_INIT_CHOICE(init_default, init_help)                                                   \
  { .name = "init", .label = "Initialisation", .help = init_help, .type = CS_PARAM_ENUM,                           \
    .default_str = init_default, .choices = cs_i_kmedoids_init_choices,                                            \
    .choice_labels = cs_i_kmedoids_init_labels }

#define CS_I_KMEDOIDS_PARAM_METRIC                                                                                 \
  { .name = "metric", .label = "Dissimilarity",                                                                   \
    .help = "How unlike two rows are: Euclidean, squared Euclidean, Manhattan, cosine, Gower for mixed columns, "  \
            "or a precomputed matrix from a file.",                                                                \
    .type = CS_PARAM_ENUM, .default_str = "euclidean", .choices = cs_i_metric_choices,                            \
    .choice_labels = cs_i_metric_labels }

/* For methods that compute distances from the rows on demand and take no matrix. */
#define CS_I_KMEDOIDS_PARAM_COORD_METRIC                                                                           \
  { .name = "metric", .label = "Dissimilarity",                                                                   \
    .help = "How unlike two rows are: Euclidean, squared Euclidean, Manhattan or cosine (computed from the rows "   \
            "as needed, so no matrix and no Gower).",                                                             \
    .type = CS_PARAM_ENUM, .default_str = "euclidean", .choices = cs_i_coord_metric_choices,                      \
    .choice_labels = cs_i_coord_metric_labels }

#define CS_I_KMEDOIDS_PARAM_SEED                                                                                   \
  { .name = "seed", .label = "Random seed",                                                                        \
    .help = "The same seed gives the same medoids on any machine and any number of threads.",                      \
    .type = CS_PARAM_INT, .min = 0, .max = 2147483647.0, .default_num = 0 }

#define CS_I_KMEDOIDS_PARAM_MAX_ITER(max_iter_help)                                                                \
  { .name = "max_iter", .label = "Maximum iterations", .help = max_iter_help, .type = CS_PARAM_INT, .min = 1,      \
    .max = 1000000, .default_num = 100, .advanced = TRUE }

#define CS_I_KMEDOIDS_COMMON_PARAMS(k_help, init_default, init_help, max_iter_help)                              \
  CS_I_KMEDOIDS_PARAM_K (k_help), CS_I_KMEDOIDS_PARAM_INIT (init_default, init_help), CS_I_KMEDOIDS_PARAM_METRIC, \
      CS_I_KMEDOIDS_PARAM_SEED, CS_I_KMEDOIDS_PARAM_MAX_ITER (max_iter_help)

#define CS_I_KMEDOIDS_K_HELP "How many medoids, i.e. clusters, to find."

extern const CsParamSpec cs_i_kmedoids_common_params[5];
#define CS_I_KMEDOIDS_N_COMMON 5

/* Fills options from params (those the entry declares among k, init, seed, max_iter, samples,
 * sample_size, num_local, max_neighbor, k_min, k_max; the others keep their defaults). A k_max
 * of 0 is resolved against n by cs_i_dynmsc_auto_k_max(). An explicit init list is
 * parsed into *explicit_medoids (Owned by the caller, g_free) and checked against n. */
gboolean cs_i_kmedoids_options_from_params (const CsParams    *params,
                                            gsize              n,
                                            CsKmedoidsOptions *options,
                                            gsize            **explicit_medoids,
                                            GError           **error);

/* The dissimilarity matrix for x under the params' metric (refuses gower and precomputed
 * here: those come through run_dissim with a matrix the pipeline built). */
CsDissim *cs_i_kmedoids_dissim_from_params (const CsMatrix *x,
                                            const CsParams *params,
                                            CsProgress     *progress,
                                            GError        **error);

/* DynMSC's largest k when k_max is 0 (automatic): n / 10, at most 20 and at least k_min. */
guint cs_i_dynmsc_auto_k_max (gsize n, guint k_min);

typedef gboolean (*CsKmedoidsRunFunc) (const CsDissim *, const CsKmedoidsOptions *, CsProgress *, CsTrace *,
                                       CsClustering **, GError **);

/* A registry entry's two entry points around one run function: options from the params,
 * then the given matrix, or one built from x by the params' metric (after the options, so a
 * bad k never costs an n × n matrix). */
gboolean cs_i_kmedoids_run_on_dissim (CsKmedoidsRunFunc fn, const CsDissim *D, const CsParams *params,
                                      CsProgress *progress, CsTrace *trace, CsClustering **out, GError **error);
gboolean cs_i_kmedoids_run_on_matrix (CsKmedoidsRunFunc fn, const CsMatrix *x, const CsParams *params,
                                      CsProgress *progress, CsTrace *trace, CsClustering **out, GError **error);

#define CS_I_KMEDOIDS_DEFINE_ENTRY_RUNS(stem, fn)                                                      \
  static gboolean stem##_run_params (const CsMatrix *x, const CsParams *p, CsProgress *pr, CsTrace *t, \
                                     CsClustering **out, GError **e)                                   \
  {                                                                                                    \
    return cs_i_kmedoids_run_on_matrix (fn, x, p, pr, t, out, e);                                      \
  }                                                                                                    \
  static gboolean stem##_run_dissim (const CsDissim *D, const CsParams *p, CsProgress *pr, CsTrace *t, \
                                     CsClustering **out, GError **e)                                   \
  {                                                                                                    \
    return cs_i_kmedoids_run_on_dissim (fn, D, p, pr, t, out, e);                                      \
  }

G_END_DECLS
