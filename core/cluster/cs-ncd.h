#pragma once

#include "core/cluster/cs-registry.h"

G_BEGIN_DECLS

/* Novel class discovery (after Troisemaine et al., "A Practical Approach to Novel Class
 * Discovery in Tabular Data"): rows of known classes keep them, the other rows are clustered by
 * k-means whose known centres are fixed at the known classes' means and whose novel centres are
 * free. The number of novel classes is estimated by cross-validation over the known classes
 * (docs/algorithms.md, "Novel class discovery"). */
typedef struct
{
  guint   k_novel;     /* novel classes; 0 = estimate in 1 … k_novel_max */
  guint   k_novel_max;
  guint   n_folds;     /* folds of the known classes for the estimate (at most their number) */
  guint   n_init;      /* k-means++ starts of the novel centres; the lowest inertia wins */
  guint   max_iter;
  guint64 seed;
} CsNcdOptions;

void cs_ncd_options_init (CsNcdOptions *options);

/* known: n entries, the row's class in [0, n_classes) or -1 where unknown; NULL (or no row
 * with a class) clusters every row as novel, and then k_novel = 0 picks the k with the best
 * (sampled) silhouette. Labels: known classes first (0 … k_known − 1, in class order), novel
 * clusters after; the result's k_known says where they start, score_by_k holds the
 * cross-validation score for every total k tried. */
gboolean cs_ncd_kmeans_run (const CsMatrix     *x,
                            const int          *known,
                            const CsNcdOptions *options,
                            CsProgress         *progress,
                            CsTrace            *trace,
                            CsClustering      **out,
                            GError            **error);

G_END_DECLS
