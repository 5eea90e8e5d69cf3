#pragma once

#include "core/base/cs-matrix.h"

G_BEGIN_DECLS

/* Kernels on point data, for kernel k-means and the Nyström approximation. */
typedef enum
{
  CS_POINT_KERNEL_LINEAR, /* xᵀy */
  CS_POINT_KERNEL_RBF,    /* exp(−γ ‖x − y‖²) */
  CS_POINT_KERNEL_ARCCOS, /* arc-cosine kernel of degree 1 iterated `depth` times (Cho & Saul):
                             the NNGP kernel Σ⁽ᴸ⁾ of a ReLU network with c_σ = 2 */
  CS_POINT_KERNEL_NTK,    /* neural tangent kernel Θ⁽ᴸ⁾ of the same ReLU network (Jacot et al.;
                             the recursion of Arora et al.) */
} CsPointKernelKind;

typedef struct
{
  CsPointKernelKind kind;
  double            gamma; /* RBF */
  guint             depth; /* arc-cosine / NTK: hidden layers L ≥ 1 */
} CsPointKernel;

const char *cs_point_kernel_id (CsPointKernelKind kind); /* "linear", "rbf", "arccos", "ntk" */
gboolean    cs_point_kernel_from_id (const char *id, CsPointKernelKind *kind);

/* Σ⁽⁰⁾ = xᵀy; Σ⁽ʰ⁾ = (1/π) √(Σ_xx Σ_yy) (sin θ + (π − θ) cos θ) with cos θ = Σ_xy / √(Σ_xx Σ_yy),
 * Σ̇⁽ʰ⁾ = (π − θ)/π; Θ⁽⁰⁾ = Σ⁽⁰⁾, Θ⁽ʰ⁾ = Θ⁽ʰ⁻¹⁾ Σ̇⁽ʰ⁾ + Σ⁽ʰ⁾. Σ_xx stays ‖x‖² at every depth
 * (c_σ = 2), so for unit x, Θ⁽ᴸ⁾(x, x) = L + 1; for orthogonal unit vectors Σ⁽¹⁾ = Θ⁽¹⁾ = 1/π. */
void   cs_ntk_pair (const double *x, const double *y, gsize d, guint depth, double *arccos, double *ntk);

double cs_point_kernel_eval (const CsPointKernel *k, const double *x, const double *y, gsize d);
/* out (na × b->rows) = k(a row a0 + r, b row j). */
void   cs_point_kernel_block (const CsPointKernel *k,
                              const CsMatrix      *a,
                              gsize                a0,
                              gsize                na,
                              const CsMatrix      *b,
                              double              *out);

G_END_DECLS
