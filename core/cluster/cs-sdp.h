#pragma once

#include "core/cluster/cs-registry.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The k-means SDP of Peng & Wei (2007), "Approximating K-means-type clustering via
 * semidefinite programming":
 *
 *   maximise ⟨X Xᵀ, Z⟩  subject to  Z ⪰ 0,  Z ≥ 0 (entrywise),  tr Z = k,  Z 1 = 1
 *
 * on the column-centred rows X (n × d). A partition G_1 … G_k gives the feasible
 * Z_G = Σ_j 1_{G_j} 1_{G_j}ᵀ / |G_j|, and ⟨X Xᵀ, Z_G⟩ = Σ‖x_i‖² − inertia(G), so the SDP's
 * maximum bounds every k-means objective.
 *
 * Two solvers (docs/algorithms.md has the details):
 *   admm     on the n × n matrix (the reference): Z is projected onto {Z ⪰ 0, Z 1 = 1,
 *            tr Z = k} by one eigendecomposition (LAPACKE dsyevr, positive part only) and W onto
 *            Z ≥ 0; primal ‖Z − W‖_F and dual ρ ‖W − W_prev‖_F residuals are reported. Needs
 *            about 6 n² doubles: refused past the memory budget, naming low-rank.
 *   lowrank  Z = U Uᵀ with U ≥ 0 (n × r) and ‖U‖_F² = k, an augmented Lagrangian on
 *            U Uᵀ 1 = 1 minimised by projected gradient with Barzilai–Borwein steps and
 *            backtracking (the non-negative low-rank idea of Zhuang, Chen & Yang); Z is never
 *            formed, every product is U's n × r with the data's n × d (BLAS).
 *   auto     admm up to CS_SDP_AUTO_ADMM_MAX rows, lowrank above.
 *
 * Rounding: the top-k eigenvectors of Z (low rank: U's left singular vectors, from the r × r
 * Gram matrix) and k-means on their rows.
 *
 * Tightness: with P the block matrix Z_G of the rounded partition, the run is called tight
 * when the solver converged (residuals within tol) and ‖Z − P‖_F ≤ tight_tol · ‖P‖_F. For ADMM
 * this certifies (up to the solver's tolerance) that the partition is a global optimum of
 * k-means: P is feasible and Z, which it equals, is optimal for a relaxation of k-means. The
 * low-rank solver is a local method on a non-convex problem: there "tight" says it reached a
 * partition matrix, which is the SDP optimum under the separation conditions of the paper
 * but is not verified by a dual certificate. */

#define CS_SDP_AUTO_ADMM_MAX 200

typedef enum
{
  CS_SDP_AUTO,
  CS_SDP_ADMM,
  CS_SDP_LOWRANK,
} CsSdpSolver;

typedef struct
{
  guint       k;
  CsSdpSolver solver;
  guint       rank;      /* low-rank r; 0 = 2k, at most k + 10 */
  guint       max_iter;  /* ADMM steps, or low-rank gradient steps in all */
  double      tol;       /* relative residuals (ADMM) / ‖U Uᵀ1 − 1‖ / √n (low rank) */
  double      tight_tol; /* ‖Z − P‖_F / ‖P‖_F that still counts as tight */
  guint64     seed;      /* low-rank start and the rounding's k-means */
} CsSdpOptions;

/* What a relaxation run reports (also iLA-SDP's). Owned by the result. */
typedef struct _CsSdpReport
{
  CsSdpSolver solver;            /* ADMM or LOWRANK: the one that ran */
  guint       rank;              /* low rank r per block (0 for ADMM) */
  guint       blocks;            /* 1 for Peng–Wei, k for iLA-SDP */
  guint       iterations;
  gboolean    converged;
  double      primal_residual;   /* ADMM: ‖Z − W‖_F / max (1, ‖W‖_F); low rank: ‖Z1 − 1‖ / √n */
  double      dual_residual;     /* ADMM: ρ ‖W − W_prev‖_F / max (1, ‖ρ U‖_F); low rank: NaN */
  double      relaxed_objective; /* Peng–Wei: ⟨X Xᵀ, Z⟩; iLA-SDP: Σ_k ⟨B_k, Z_k⟩ */
  double      rounded_objective; /* the same at the rounded partition's P */
  double      tight_gap;         /* ‖Z − P‖_F / ‖P‖_F */
  double      tight_tol;
  gboolean    tight;
  /* A picture of Z: z_n rows (all rows up to 300, else an evenly spaced sample in cluster
   * order), sorted by cluster, and Z restricted to them. */
  gsize       z_n;
  gsize      *z_rows;            /* Owned, z_n row indices */
  int        *z_labels;          /* Owned, z_n labels of those rows */
  double     *z;                 /* Owned, z_n × z_n */
} CsSdpReport;

void     cs_sdp_report_free (CsSdpReport *report);
/* "admm", "lowrank" */
const char *cs_sdp_solver_id (CsSdpSolver solver);
/* One sentence saying what the report certifies, for views and the CLI. */
char    *cs_sdp_report_describe (const CsSdpReport *report);

/* {"solver", "rank", "blocks", "iterations", "converged", "primal_residual", "dual_residual",
 * "relaxed_objective", "rounded_objective", "tight_gap", "tight_tol", "tight", "certificate"} */
JsonObject *cs_sdp_report_to_json (const CsSdpReport *report);

void     cs_sdp_options_init (CsSdpOptions *options);

/* The result carries labels, centers (cluster means), objective = inertia of the partition,
 * tight, and sdp (the report). */
gboolean cs_sdp_kmeans_run (const CsMatrix     *x,
                            const CsSdpOptions *options,
                            CsProgress         *progress,
                            CsClustering      **out,
                            GError            **error);

G_END_DECLS
