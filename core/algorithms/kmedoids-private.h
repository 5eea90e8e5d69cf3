#pragma once

#include "kmedoids.h"

G_BEGIN_DECLS

/* Shared by the k-medoids family's registry entries (kmedoids.c, kmedoids-sampling.c,
 * medoid-silhouette.c). */

/* The parameters every member has, in this order, as CsParamSpec initialisers:
 * k, init (build | lab | random | k-means++ | "I1,I2,..." explicit rows — a STRING param,
 * validated when run), metric (euclidean | sqeuclidean | manhattan | cosine | gower |
 * precomputed), seed, max_iter. Entries append their own after these. */
extern const CsParamSpec cs_i_kmedoids_common_params[5];
#define CS_I_KMEDOIDS_N_COMMON 5

/* Fills options from params (common ones, plus samples / sample_size / num_local /
 * max_neighbor / k_min / k_max when the entry declares them). An explicit init list is
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

G_END_DECLS
