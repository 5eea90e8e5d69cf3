#pragma once

#include "core/base/cs-matrix.h"

G_BEGIN_DECLS

typedef struct _CsParams CsParams;

/* What a result's `objective` measures, so front ends can say "higher is better" or pick the
 * silhouette to show without comparing objective names. */
typedef enum
{
  CS_OBJECTIVE_NONE,               /* a count or a by-product, not optimised (mean shift's modes) */
  CS_OBJECTIVE_INERTIA,            /* within-cluster sum of squares, minimised */
  CS_OBJECTIVE_LOSS,               /* total dissimilarity to the medoids, minimised */
  CS_OBJECTIVE_MEDOID_SILHOUETTE,  /* mean of 1 − a/b over rows, maximised */
  CS_OBJECTIVE_LOG_LIKELIHOOD,     /* Σ ln p(x_i) of a fitted density model (mixtures), maximised */
} CsObjectiveKind;

/* TRUE when a larger objective of this kind is better. */
gboolean cs_objective_is_maximised (CsObjectiveKind kind);

/* What a row is to a density-based method (DBSCAN): a core point (enough neighbours within
 * the radius), a border point (a core point's neighbour without enough of its own) or noise. */
typedef enum
{
  CS_POINT_NOISE,
  CS_POINT_CORE,
  CS_POINT_BORDER,
} CsPointKind;

/* "noise", "core", "border": the names the JSON uses. */
const char *cs_point_kind_name (CsPointKind kind);

/* The outcome of one clustering run. Immutable once returned by an algorithm; refcounted so
 * the window, an export and a comparison can share it. */
typedef struct
{
  gatomicrefcount ref;
  char      *algorithm;      /* Owned: registry id, e.g. "kmeans" */
  CsParams  *params;         /* Owned, may be NULL: the values the run used */
  gsize      n;              /* rows clustered */
  gsize      d;              /* features used */
  guint      k;              /* clusters */
  int       *labels;         /* Owned, n entries in [0, k); -1 marks noise */
  CsMatrix  *centers;        /* Owned, k × d in the clustered feature space, or NULL */
  gsize     *medoids;        /* Owned, k row indices (0-based, into the clustered rows), or NULL */
  double     objective;      /* what the algorithm minimises */
  const char *objective_name; /* static string for display: "inertia", "loss", ... */
  CsObjectiveKind objective_kind; /* what it measures: stamped from the registry entry */
  guint      iterations;
  gboolean   converged;
  double     seconds;        /* wall time of the run */
  guint      swaps;          /* medoid swaps taken (k-medoids family), else 0 */
  double    *score_by_k;     /* Owned, may be NULL: a model-selection curve (DynMSC: medoid
                                silhouette for k = score_k_min, score_k_min + 1, ...) */
  guint      score_k_min;
  guint      n_scores;
  gsize     *medoids_by_k;   /* Owned, may be NULL: with score_by_k, the k medoids (row indices)
                                that scored score_by_k for each k, packed by increasing k; read
                                them with cs_clustering_medoids_at_k() */
  /* Soft clusterings and likelihood models (Gaussian mixtures); NULL or NaN otherwise. */
  double    *weights;          /* Owned, k mixing weights summing to 1 */
  CsMatrix  *covariances;      /* Owned, (k·d) × d: cluster j's covariance is rows j·d … j·d + d − 1 */
  CsMatrix  *responsibilities; /* Owned, n × k: probability of each row belonging to each cluster */
  double    *uncertainty;      /* Owned, n entries: 1 − the largest responsibility of the row */
  double     loglik;           /* log-likelihood of the rows under the model */
  double     bic;              /* Bayesian information criterion, smaller is better */
  double     icl;              /* integrated completed likelihood (BIC-like sign), smaller is better */
  guint8    *point_kinds;    /* Owned, may be NULL: n CsPointKind values, from methods that tell
                                core, border and noise rows apart */
  double    *merges;         /* Owned, may be NULL: hierarchical methods' (n − 1) × 4 linkage matrix,
                                row-major, exactly as SciPy's linkage (a, b, height, size; leaves
                                0 … n − 1, row i makes cluster n + i) */
  guint      k_known;        /* novel class discovery: labels 0 … k_known − 1 are the known classes,
                                the rest novel; 0 otherwise */
  /* Issue 11, added at the end: the convex relaxations (SDP k-means, iLA-SDP) and PPP. */
  int        tight;          /* 1: the relaxation was tight, a certificate that the partition is
                                optimal (cs-sdp.h says within what); 0: not tight; −1: no relaxation */
  struct _CsSdpReport *sdp;  /* Owned, may be NULL: solver, residuals, tightness, a sample of Z */
  struct _CsPppTree   *ppp;  /* Owned, may be NULL: PPP's split tree, every node's tests */
  /* Issue 12, added at the end: HDBSCAN's condensed tree (cs-hdbscan.h), which its view draws. */
  struct _CsCondensedTree *condensed_tree; /* Owned, may be NULL */
} CsClustering;

CsClustering *cs_clustering_new (const char *algorithm, gsize n, gsize d, guint k);
CsClustering *cs_clustering_ref (CsClustering *c);
void          cs_clustering_unref (CsClustering *c);
/* The medoids recorded for k (k entries, borrowed), or NULL when the result has no
 * medoids_by_k or k is outside score_k_min .. score_k_min + n_scores - 1. */
const gsize  *cs_clustering_medoids_at_k (const CsClustering *c, guint k);
/* Entries of a medoids_by_k for n_scores curve points from k_min: their k summed. */
gsize         cs_clustering_medoids_by_k_size (guint k_min, guint n_scores);
/* sizes[k] = number of rows labelled k */
void          cs_clustering_sizes (const CsClustering *c, gsize *sizes);

/* One snapshot per iteration, filled by an algorithm when the caller passes a CsTrace.
 * Teaching mode steps through these; it never re-runs an algorithm itself. */
typedef struct
{
  guint     iteration;
  int      *labels;    /* Owned, n entries */
  CsMatrix *centers;   /* Owned, or NULL */
  gsize    *medoids;   /* Owned, k entries, or NULL */
  double    objective;
  gsize     n_changed; /* labels that changed since the previous step */
  char     *note;      /* Owned, may be NULL: "swap medoid 3 for row 117" */
  /* Playback (issue 12): what kind of step this is and what only that kind records; read and
   * written through core/cluster/cs-trace.h. Every pointer may be NULL. */
  int       kind;             /* CsTraceStepKind */
  gssize    leaving;          /* swap: the row whose medoid role ends, or -1 */
  gssize    entering;         /* swap: the row that becomes a medoid, or -1 */
  double    delta;            /* swap: the change of the loss it brought (negative is better) */
  gsize    *candidates;       /* Owned: swap: rows evaluated before this swap, a bounded sample */
  guint     n_candidates;
  float    *responsibilities; /* Owned, n × k: a mixture's E-step, float to halve the cost */
  CsMatrix *covariances;      /* Owned, (k·d) × d: a mixture's covariances, in the data's units */
  double   *weights;          /* Owned, k: a mixture's weights */
  float    *positions;        /* Owned, n × d: mean shift's points as they climb */
  gsize     d;                /* columns of positions / centres / covariances */
  guint8   *point_kinds;      /* Owned, n: CsPointKind, or CS_TRACE_UNVISITED (DBSCAN's discovery) */
} CsTraceStep;

typedef struct
{
  gsize      n;
  guint      k;
  guint      max_steps; /* steps beyond this are not recorded (0 = no limit) */
  GPtrArray *steps;     /* CsTraceStep* */
  /* Playback's memory bound (issue 12, core/cluster/cs-trace.h): 0 = no bound. */
  guint64    byte_limit;
  guint64    bytes;     /* what the recorded steps take, by the same estimate */
  gboolean   refused;   /* nothing recorded: one step would not fit */
  gboolean   truncated; /* later steps were not recorded */
  char      *notice;    /* Owned, may be NULL: says which of the two and why, for the UI */
  guint64    step_bytes; /* the estimate per step, from cs_trace_plan (0: labels only) */
} CsTrace;

CsTrace *cs_trace_new (guint max_steps);
void     cs_trace_free (CsTrace *trace);
/* Copies everything it is given. centers / medoids may be NULL. */
void     cs_trace_add (CsTrace        *trace,
                       guint           iteration,
                       const int      *labels,
                       gsize           n,
                       const CsMatrix *centers,
                       const gsize    *medoids,
                       guint           k,
                       double          objective,
                       gsize           n_changed,
                       const char     *note);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsClustering, cs_clustering_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsTrace, cs_trace_free)

G_END_DECLS
