#pragma once

#include <glib.h>

#include "core/base/cs-progress.h"

G_BEGIN_DECLS

/* Shapley values of a cooperative game over d players (features), given by its value
 * function: v(S) for the coalition S, where in_coalition[j] is 1 when feature j is in S
 * and 0 when not. Everything here is model-agnostic; what "leaving a feature out" means
 * is the value function's business (saliency.c masks features with background rows).
 *
 * The value function is called from the caller's thread only, never concurrently. */
typedef double (*CsCoalitionValue) (const guint8 *in_coalition,
                                    gpointer      user_data);

#define CS_SHAPLEY_EXACT_MAX_D 20

/* Enumerates all 2^d coalitions: φ_j = Σ_{S ∌ j} |S|! (d − |S| − 1)! / d! · (v(S ∪ {j}) − v(S)).
 * A feature the value function ignores gets exactly 0. phi has d entries.
 * Fails with CS_ERROR_INVALID_ARGUMENT when d = 0 or d > CS_SHAPLEY_EXACT_MAX_D,
 * CS_ERROR_CANCELLED when progress asks to stop. */
gboolean cs_shapley_exact (guint             d,
                           CsCoalitionValue  v,
                           gpointer          user_data,
                           CsProgress       *progress,
                           double           *phi,
                           GError          **error);

/* The combination step of cs_shapley_exact() alone, for callers that evaluate the game more
 * cleverly than one coalition at a time: values[m] = v(S) for the coalition whose bitmask is m
 * (bit j set when feature j is in S), 2^d entries; 1 <= d <= CS_SHAPLEY_EXACT_MAX_D. */
void     cs_shapley_exact_from_values (guint         d,
                                       const double *values,
                                       double       *phi);

/* KernelSHAP (Lundberg & Lee, NeurIPS 2017, Theorem 2): the weighted least-squares fit of
 * v(S) ≈ v(∅) + Σ_{j∈S} φ_j under the Shapley kernel, with Σ φ = v(all) − v(∅) held exactly.
 *
 * The coalitions (n_samples of them, besides ∅ and the full set) form a plan that depends on
 * d, n_samples and seed only:
 *  - n_samples >= 2^d − 2: every coalition with its exact kernel weight, so the answer is the
 *    exact Shapley value up to rounding;
 *  - otherwise sizes s and d − s are taken together from the outside in and enumerated
 *    completely while the budget share that the kernel gives them covers all their subsets
 *    (sizes 1 and d − 1 are cheap and carry the most weight); the rest of the budget samples
 *    a size ∝ (d − 1)/(s (d − s)) among the remaining sizes, then a uniform subset of that
 *    size, and always adds its complement too (paired sampling halves the variance of
 *    the main effects).
 * Coalitions are stored in complementary pairs: coalition 2i + 1 is the complement of 2i.
 *
 * Fails with CS_ERROR_INVALID_ARGUMENT when d = 0 or n_samples < d + 1. */
gboolean cs_kernelshap (guint             d,
                        CsCoalitionValue  v,
                        gpointer          user_data,
                        guint             n_samples,
                        guint64           seed,
                        CsProgress       *progress,
                        double           *phi,
                        GError          **error);

/* The same computation split in two, for explaining many points with one set of coalitions:
 * the plan (coalitions, weights and the factorised least-squares system) is built once and is
 * read-only afterwards, so several threads may solve with it at once. */
typedef struct _CsKernelShapPlan CsKernelShapPlan;

/* Fails as cs_kernelshap() does; progress is only checked for cancel. */
CsKernelShapPlan *cs_kernelshap_plan_new (guint        d,
                                          guint        n_samples,
                                          guint64      seed,
                                          CsProgress  *progress,
                                          GError     **error);
void              cs_kernelshap_plan_free (CsKernelShapPlan *plan);

guint             cs_kernelshap_plan_get_d (const CsKernelShapPlan *plan);
/* Coalitions other than ∅ and the full set; an even number (complementary pairs). */
gsize             cs_kernelshap_plan_n_coalitions (const CsKernelShapPlan *plan);
/* TRUE when every coalition is in the plan, so the solution is exact. */
gboolean          cs_kernelshap_plan_is_complete (const CsKernelShapPlan *plan);
/* Borrowed: d flags of coalition i, as the value function receives them. */
const guint8     *cs_kernelshap_plan_coalition (const CsKernelShapPlan *plan,
                                                gsize                   i);

/* values[i] = v(coalition i); v_empty = v(∅), v_all = v(full set). phi has d entries. */
void              cs_kernelshap_plan_solve (const CsKernelShapPlan *plan,
                                            const double           *values,
                                            double                  v_empty,
                                            double                  v_all,
                                            double                 *phi);

/* Evaluates v on the plan's coalitions and solves; checks progress for cancel every few
 * coalitions but does not report (the caller knows the larger picture). */
gboolean          cs_kernelshap_plan_explain (const CsKernelShapPlan *plan,
                                              CsCoalitionValue        v,
                                              gpointer                user_data,
                                              CsProgress             *progress,
                                              double                 *phi,
                                              GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsKernelShapPlan, cs_kernelshap_plan_free)

G_END_DECLS
