#pragma once

#include "core/cluster/cs-registry.h"

G_BEGIN_DECLS

typedef enum
{
  CS_KMEANS_INIT_PLUSPLUS, /* greedy k-means++ (2 + log k local trials, as scikit-learn) */
  CS_KMEANS_INIT_RANDOM,   /* k distinct rows chosen uniformly */
} CsKmeansInit;

typedef enum
{
  CS_KMEANS_LLOYD,
  CS_KMEANS_HAMERLY, /* exact: same iterations and result as Lloyd, fewer distance evaluations */
  CS_KMEANS_ELKAN,
} CsKmeansAlgorithm;

typedef struct
{
  guint             k;
  CsKmeansInit      init;
  const CsMatrix   *initial_centers; /* Borrowed, k × d, overrides init and n_init when set */
  guint             n_init;          /* restarts; the lowest inertia wins */
  guint             max_iter;
  double            tol;             /* relative: stop when the centre shift² sum <= tol × the mean of the column variances, as scikit-learn */
  guint64           seed;
  CsKmeansAlgorithm algorithm;
} CsKmeansOptions;

void     cs_kmeans_options_init (CsKmeansOptions *options);

gboolean cs_kmeans_run (const CsMatrix        *x,
                        const CsKmeansOptions *options,
                        CsProgress            *progress,
                        CsTrace               *trace,
                        CsClustering         **out,
                        GError               **error);

G_END_DECLS
