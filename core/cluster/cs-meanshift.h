#pragma once

#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"
#include "core/cluster/cs-result.h"

G_BEGIN_DECLS

/* Mean shift with a Gaussian kernel of scalar bandwidth h (see cs-meanshift.c for the method).
 * The result's centres are the modes; every row gets the mode it climbs to (no noise). */

typedef enum
{
  CS_MEANSHIFT_SEEDS_AUTO, /* every row up to 2,000 rows, grid cells above */
  CS_MEANSHIFT_SEEDS_ALL,  /* a climb from every row */
  CS_MEANSHIFT_SEEDS_BINS, /* one climb per occupied grid cell of step h */
} CsMeanshiftSeeding;

typedef struct
{
  double             bandwidth;    /* 0: Scott's rule */
  guint              max_iter;     /* steps per climb at most */
  double             tol;          /* a climb stops when its step is below tol × h */
  CsMeanshiftSeeding seeding;
  guint              min_bin_freq; /* with grid seeds, cells with fewer rows start no climb */
} CsMeanshiftOptions;

void     cs_meanshift_options_init (CsMeanshiftOptions *options);
/* bandwidth_used (may be NULL) receives h, the rule's when options->bandwidth is 0. */
gboolean cs_meanshift_run (const CsMatrix           *x,
                           const CsMeanshiftOptions *options,
                           CsProgress               *progress,
                           CsTrace                  *trace,
                           CsClustering            **out,
                           double                   *bandwidth_used,
                           GError                  **error);

G_END_DECLS
