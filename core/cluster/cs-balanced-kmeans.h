#pragma once

#include "core/cluster/cs-registry.h"

G_BEGIN_DECLS

/* How rows are given to centres under the size constraint. */
typedef enum
{
  CS_BALANCED_ASSIGN_AUTO,   /* exact up to CS_BALANCED_EXACT_MAX_ROWS rows, greedy above */
  CS_BALANCED_ASSIGN_EXACT,  /* minimum-cost flow: the best assignment for the given centres */
  CS_BALANCED_ASSIGN_GREEDY, /* rows by regret to their nearest open centre, then pair swaps */
} CsBalancedAssign;

/* The exact assignment costs O(n² · path) per iteration: fine up to a few thousand rows. */
#define CS_BALANCED_EXACT_MAX_ROWS 4000

typedef struct
{
  guint            k;
  gsize            max_size; /* 0: sizes differ by at most one; else no cluster above this */
  guint            n_init;   /* restarts from k-means++; the lowest objective wins */
  guint            max_iter;
  guint64          seed;
  CsBalancedAssign assign;
} CsBalancedKmeansOptions;

void     cs_balanced_kmeans_options_init (CsBalancedKmeansOptions *options);

/* Labels the rows of x to the centres (k × d) under the size constraint (max_size as in the
 * options), minimising the sum of squared distances (exactly with CS_BALANCED_ASSIGN_EXACT).
 * With GREEDY, labels that hold a feasible assignment on entry (every entry in [0, k)) are
 * improved by swaps instead of being rebuilt. *cost receives the sum. */
gboolean cs_balanced_kmeans_assign (const CsMatrix  *x,
                                    const CsMatrix  *centers,
                                    gsize            max_size,
                                    CsBalancedAssign method,
                                    int             *labels,
                                    double          *cost,
                                    CsProgress      *progress,
                                    GError         **error);

gboolean cs_balanced_kmeans_run (const CsMatrix                *x,
                                 const CsBalancedKmeansOptions *options,
                                 CsProgress                    *progress,
                                 CsTrace                       *trace,
                                 CsClustering                 **out,
                                 GError                       **error);

G_END_DECLS
