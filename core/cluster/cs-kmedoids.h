#pragma once

#include "core/data/cs-dissim.h"
#include "core/cluster/cs-registry.h"

G_BEGIN_DECLS

/* The k-medoids family from "Fast and Eager k-Medoids Clustering: O(k) Runtime Improvement
 * of the PAM, CLARA, and CLARANS Algorithms" (Schubert & Rousseeuw) and "Clustering by
 * direct optimization of the medoid silhouette" (Lenssen & Schubert): the options and the exact
 * swap methods here; CLARA and CLARANS in cs-kmedoids-sampling.h, the medoid silhouette,
 * FasterMSC and DynMSC in cs-medoid-silhouette.h.
 *
 * Results: CsClustering with medoids (row indices), labels, objective = total deviation
 * (objective_name "loss"; for the silhouette methods "medoid silhouette", to be maximised),
 * iterations and swaps (DynMSC also fills score_by_k). With a CsTrace, every accepted swap
 * is a step: medoids after the swap, loss, note "medoid M left, row R came in (Δ = …)". */

typedef enum
{
  CS_KMEDOIDS_INIT_BUILD,    /* PAM's greedy BUILD */
  CS_KMEDOIDS_INIT_LAB,      /* linear approximative BUILD on subsamples */
  CS_KMEDOIDS_INIT_RANDOM,   /* k distinct rows */
  CS_KMEDOIDS_INIT_KMEANSPP, /* D²-weighted seeding on the dissimilarities */
  CS_KMEDOIDS_INIT_EXPLICIT, /* options->initial_medoids */
} CsKmedoidsInit;

typedef struct
{
  guint          k;
  CsKmedoidsInit init;
  const gsize   *initial_medoids; /* Borrowed, k rows, for CS_KMEDOIDS_INIT_EXPLICIT */
  guint          max_iter;        /* SWAP passes (PAM, FastPAM1: swaps; FasterPAM: full passes) */
  guint64        seed;
  double         tol;             /* relative: a swap is taken only if Δ < −tol × |loss| (ties never swap) */
  /* CLARA / FastCLARA */
  guint          samples;         /* default 5 */
  guint          sample_size;     /* 0: 40 + 2k (CLARA) resp. 80 + 4k (FastCLARA) */
  /* CLARANS / FastCLARANS */
  guint          num_local;       /* restarts, default 2 */
  double         max_neighbor;    /* fraction of k(n−k) neighbours tried, default 0.0125 (>= 250 tries) */
  /* DynMSC */
  guint          k_min;
  guint          k_max;
} CsKmedoidsOptions;

void cs_kmedoids_options_init (CsKmedoidsOptions *options);

/* Initialisation alone: writes k medoid rows. */
gboolean cs_kmedoids_init (const CsDissim *D, const CsKmedoidsOptions *options, gsize *medoids, GError **error);

/* Exact swap-based methods on a dissimilarity matrix. */
gboolean cs_pam_run (const CsDissim *D, const CsKmedoidsOptions *o, CsProgress *progress, CsTrace *trace,
                     CsClustering **out, GError **error);
gboolean cs_fastpam1_run (const CsDissim *D, const CsKmedoidsOptions *o, CsProgress *progress, CsTrace *trace,
                          CsClustering **out, GError **error);
gboolean cs_fasterpam_run (const CsDissim *D, const CsKmedoidsOptions *o, CsProgress *progress, CsTrace *trace,
                           CsClustering **out, GError **error);
gboolean cs_alternating_run (const CsDissim *D, const CsKmedoidsOptions *o, CsProgress *progress, CsTrace *trace,
                             CsClustering **out, GError **error);

G_END_DECLS
