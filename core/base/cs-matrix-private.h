#pragma once

/* Inside core (and its tests) only: how parallel regions keep OpenBLAS from starting threads
 * of its own. */

#include "core/base/cs-matrix.h"

G_BEGIN_DECLS

/* OpenBLAS (pthreads build) would start its own threads inside each OpenMP thread: around a
 * parallel region whose BLAS calls are big enough for OpenBLAS to thread them (it stays
 * single-threaded below 65536 multiply-adds a call) it is pinned to one thread. With
 * `for_determinism` it is pinned whatever the sizes, for LAPACK calls whose sums would
 * otherwise split by the thread count. Switching costs about a millisecond, so small runs
 * skip it. Returns what cs_i_blas_single_end() restores. */
int  cs_i_blas_single_begin (gsize flops_per_call, gboolean for_determinism);
void cs_i_blas_single_end (int saved);

G_END_DECLS
