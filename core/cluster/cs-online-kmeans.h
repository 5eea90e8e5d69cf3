#pragma once

#include "core/cluster/cs-registry.h"

G_BEGIN_DECLS

typedef enum
{
  CS_ONLINE_KMEANS_TELL,      /* TELL's gradient step on the differentiable k-means loss */
  CS_ONLINE_KMEANS_MINIBATCH, /* Sculley's mini-batch k-means, per-centre rates 1 / count */
} CsOnlineKmeansMethod;

typedef struct
{
  guint                k;
  CsOnlineKmeansMethod method;
  gsize                batch_size;
  guint                epochs;        /* passes over the rows */
  double               learning_rate; /* TELL: step size of the first epoch, divided by 1 + epoch after */
  double               temperature;   /* TELL: softmax temperature of the assignment, relative to the
                                         mean squared distance of the seeding rows; 0 = hard */
  guint                n_init;        /* k-means++ seedings tried on the first rows; lowest inertia wins */
  gsize                init_size;     /* rows the seeding looks at; 0 = 3 × batch_size */
  guint64              seed;
} CsOnlineKmeansOptions;

void cs_online_kmeans_options_init (CsOnlineKmeansOptions *options);

/* The learner, fed rows in file order: batches are consecutive rows (batch_size of them, the
 * last of an epoch may be shorter), so feeding a file chunk by chunk gives exactly the centres
 * that feeding it whole gives. It holds at most max(init_size, batch_size) rows. */
typedef struct _CsOnlineKmeans CsOnlineKmeans;

CsOnlineKmeans *cs_online_kmeans_new (const CsOnlineKmeansOptions *options,
                                      gsize                        d,
                                      GError                     **error);
void            cs_online_kmeans_free (CsOnlineKmeans *s);
/* Cancels the seeding (k-means on the first rows) when progress is cancelled: feed and
 * end_epoch then fail with CS_ERROR_CANCELLED. */
void            cs_online_kmeans_set_progress (CsOnlineKmeans *s,
                                               CsProgress     *progress);
/* n_rows rows of d values, row-major; fails only when cancelled. */
gboolean        cs_online_kmeans_feed (CsOnlineKmeans *s,
                                       const double   *rows,
                                       gsize           n_rows,
                                       GError        **error);
/* Ends a pass: the rows still buffered make one last (shorter) batch. Fails when the first
 * pass had fewer than k rows. */
gboolean        cs_online_kmeans_end_epoch (CsOnlineKmeans *s,
                                            GError        **error);
/* k × d, NULL until seeded. */
const CsMatrix *cs_online_kmeans_centers (const CsOnlineKmeans *s);
guint           cs_online_kmeans_steps (const CsOnlineKmeans *s);
/* Whether the centres moved less than 1e-4 of the seeding rows' mean variance (summed over
 * centres) in the last epoch. */
gboolean        cs_online_kmeans_settled (const CsOnlineKmeans *s);

/* Every epoch over x in row order, then each row labelled by its nearest centre. */
gboolean cs_online_kmeans_run (const CsMatrix              *x,
                               const CsOnlineKmeansOptions *options,
                               CsProgress                  *progress,
                               CsTrace                     *trace,
                               CsClustering               **out,
                               GError                     **error);

/* The options a registry parameter set asks for (the CLI's --stream reads the same ones). */
void cs_i_online_kmeans_options_from_params (const CsParams *params, CsOnlineKmeansOptions *o);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsOnlineKmeans, cs_online_kmeans_free)

G_END_DECLS
