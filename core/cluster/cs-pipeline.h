#pragma once

#include "core/data/cs-dataset.h"
#include "core/data/cs-prepare.h"
#include "core/cluster/cs-registry.h"

G_BEGIN_DECLS

/* The path every front end walks — prepare the dataset, run one algorithm, score the
 * result — so the window's worker thread, the CLI and the tests do it the same way. */
/* Graph data (CsDataset.graph) runs an algorithm's run_graph on the graph (labels for every
 * node; the prepared rows keep theirs) when it has one, else its run on the prepared node rows;
 * an algorithm that needs a graph is refused on other data (CS_ERROR_PARAMETER). */
typedef struct
{
  CsPrepareOptions   prepare;
  const CsAlgorithm *algorithm;          /* Borrowed */
  const CsParams    *params;             /* Borrowed, NULL for the defaults */
  guint              trace_steps;        /* > 0: record up to this many iterations */
  gsize              silhouette_sample;  /* exact silhouette up to this many rows, a seeded
                                            sample of this size above; 0 = skip silhouette */
  gboolean           silhouette_exact;   /* with silhouette_sample > 0: every row at any size
                                            (O(n²) time, O(n) memory), never a sample */
  gboolean           internal_metrics;   /* Davies–Bouldin and Calinski–Harabasz */
  const CsDissim    *dissim;             /* Borrowed, may be NULL: a precomputed dissimilarity
                                            matrix over the prepared rows (after rows with missing
                                            values are dropped), for algorithms with run_dissim;
                                            the silhouette is then computed on it (exactly) and
                                            Davies–Bouldin / Calinski–Harabasz are skipped */
  guint64            trace_bytes;        /* playback's memory bound for the trace (issue 12);
                                            0 = CS_TRACE_DEFAULT_BYTES */
} CsPipelineOptions;

typedef struct
{
  CsPrepared   *prep;        /* Owned */
  CsClustering *clustering;  /* Owned */
  CsTrace      *trace;       /* Owned, NULL unless asked for */
  double        silhouette;  /* NaN when not computed */
  double       *silhouette_values; /* Owned, clustering->n entries or NULL: per row; NaN for
                                      rows outside the sample */
  gboolean      silhouette_sampled;
  double        medoid_silhouette; /* results with medoids: mean over rows of 1 − a/b (distances
                                      to the nearest and second-nearest medoid); else NaN */
  double       *medoid_silhouette_values; /* Owned, clustering->n entries, or NULL */
  double        davies_bouldin;     /* NaN when not computed */
  double        calinski_harabasz;  /* NaN when not computed */
  double        ari;         /* against the dataset's label column; NaN when there is none */
  double        nmi;
  /* Issue 13, added at the end: Newman's modularity of the clustering on the dataset's graph
   * (CsDataset.graph), whichever algorithm made it; NaN for other data. */
  double        modularity;
} CsPipelineResult;

void              cs_pipeline_options_init (CsPipelineOptions *options);
CsPipelineResult *cs_pipeline_run (const CsDataset         *ds,
                                   const CsPipelineOptions *options,
                                   CsProgress              *progress,
                                   GError                 **error);
/* The same preparation and scores for a clustering that already exists: labels (one per
 * dataset row, in [0, k) or -1) as cs_labels_load_csv() reads them from a file. The result's
 * algorithm is "labels", its centres the clusters' means and its objective their inertia.
 * options->algorithm and params are not used. */
CsPipelineResult *cs_pipeline_run_labels (const CsDataset         *ds,
                                          const CsPipelineOptions *options,
                                          const int               *labels,
                                          guint                    k,
                                          CsProgress              *progress,
                                          GError                 **error);
/* The clustering a result recorded for another k (source->medoids_by_k, e.g. a point of
 * DynMSC's curve): every row labelled by its nearest of those medoids, on the dissimilarity
 * the run used, then scored as cs_pipeline_run scores. `options` must be the ones of the run
 * that made `source` (same rows, same dissimilarity). The result keeps source's algorithm,
 * parameters, curve, recorded medoids and the run's iteration and swap counts and time, so it can be shown again at any other k; it has
 * no trace. Fails when source recorded nothing for k. */
CsPipelineResult *cs_pipeline_run_at_k (const CsDataset         *ds,
                                        const CsPipelineOptions *options,
                                        const CsClustering      *source,
                                        guint                    k,
                                        CsProgress              *progress,
                                        GError                 **error);
/* Scores a clustering that exists already (restored from a session) as cs_pipeline_run scores
 * its own: `prep` and `clustering` (both taken) must describe the same rows. The medoid
 * silhouette is taken on the dissimilarity options->params (else clustering->params) name. */
CsPipelineResult *cs_pipeline_score (const CsDataset         *ds,
                                     const CsPipelineOptions *options,
                                     CsPrepared              *prep,
                                     CsClustering            *clustering,
                                     CsProgress              *progress,
                                     GError                 **error);
void              cs_pipeline_result_free (CsPipelineResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsPipelineResult, cs_pipeline_result_free)

G_END_DECLS
