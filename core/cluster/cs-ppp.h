#pragma once

#include "core/cluster/cs-registry.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* PPP, "Probabilistic Partitive Partitioning": k-means partitions validated by a Gaussian
 * mixture, with no k to set. Only the paper's abstract is public; this is our reading
 * (docs/algorithms.md):
 *
 * Divisive, from one node holding every row. A node is split by 2-means (Lloyd) started from
 * the means of the two sides of its first principal component (the sign of each row's
 * projection; the component's sign fixed so its largest entry is positive): no randomness,
 * so the answer does not depend on a seed or on the order of the rows. A two-component full
 * Gaussian mixture is fitted by EM from that split, and the split is accepted only when
 *   - both halves have at least `min_size` rows,
 *   - the mixture's and 2-means' labels agree on at least `min_agreement` of the rows,
 *   - at least `min_confident` of the rows have a posterior of at least `posterior`,
 *   - the mixture's BIC is below that of one Gaussian on the node;
 * then both halves are split in turn (breadth first, at most `max_k` leaves). The leaves are
 * the clusters, numbered in the tree's depth-first order (lower side of the component first). */

typedef struct
{
  double min_agreement; /* 0.95 */
  double min_confident; /* 0.95 */
  double posterior;     /* 0.9 */
  gsize  min_size;      /* 10 */
  guint  max_k;         /* 64 */
  double reg_covar;     /* the mixtures' covariance floor, 1e-6 */
} CsPppOptions;

typedef enum
{
  CS_PPP_ACCEPTED,
  CS_PPP_TOO_SMALL,   /* fewer than 2 × min_size rows: not tried */
  CS_PPP_DEGENERATE,  /* no spread to split along (every row projects to one side) */
  CS_PPP_MIN_SIZE,    /* a half of the 2-means split is below min_size */
  CS_PPP_AGREEMENT,   /* mixture and 2-means disagree on too many rows */
  CS_PPP_POSTERIOR,   /* too few rows are confidently assigned */
  CS_PPP_BIC,         /* one Gaussian explains the node at least as well */
  CS_PPP_MAX_K,       /* the leaf budget max_k was reached */
} CsPppVerdict;

typedef struct
{
  gsize        size;
  int          parent;     /* node index, −1 for the root */
  int          left;       /* children (accepted splits only), else −1 */
  int          right;
  guint        depth;
  CsPppVerdict verdict;
  int          cluster;    /* the label of a leaf, −1 for an inner node */
  /* The tests' numbers, NaN where the test was not reached. */
  gsize        size_a;     /* the halves of the 2-means split */
  gsize        size_b;
  double       agreement;  /* fraction of rows where mixture and 2-means agree */
  double       confident;  /* fraction of rows with posterior ≥ options.posterior */
  double       bic_one;    /* BIC of one Gaussian */
  double       bic_two;    /* BIC of the two-component mixture */
} CsPppNode;

typedef struct _CsPppTree
{
  CsPppOptions options;
  guint        n_nodes;
  CsPppNode   *nodes;      /* Owned; node 0 is the root, children after their parent */
} CsPppTree;

void        cs_ppp_options_init (CsPppOptions *options);
void        cs_ppp_tree_free (CsPppTree *tree);
/* "accepted", "too small", "no spread", "a half too small", "mixture disagrees",
 * "not confident", "BIC prefers one", "max k reached" */
const char *cs_ppp_verdict_describe (CsPppVerdict verdict);
/* "accepted", "too_small", "degenerate", "min_size", "agreement", "posterior", "bic", "max_k" */
const char *cs_ppp_verdict_id (CsPppVerdict verdict);

/* {"min_size", …thresholds, "nodes": [{"size", "parent", "depth", "verdict", "cluster",
 * "size_a", "size_b", "agreement", "confident", "bic_one", "bic_two"}, …]} */
JsonObject *cs_ppp_tree_to_json (const CsPppTree *tree);

/* The result carries labels, k = the leaves found, centers (the leaves' means),
 * objective = inertia, and ppp (the tree). */
gboolean cs_ppp_run (const CsMatrix     *x,
                     const CsPppOptions *options,
                     CsProgress         *progress,
                     CsClustering      **out,
                     GError            **error);

G_END_DECLS
