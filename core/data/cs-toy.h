#pragma once

#include "core/data/cs-dataset.h"

G_BEGIN_DECLS

/* The classic 2-D sets people compare clustering algorithms on (as in scikit-learn's
 * "comparing clustering algorithms" gallery). Every set has columns x, y and a categorical
 * "label" column with the generating class. Seeded: same arguments, same data. */
typedef enum
{
  CS_TOY_BLOBS,      /* isotropic Gaussian blobs */
  CS_TOY_ANISO,      /* blobs sheared by a linear map */
  CS_TOY_VARIED,     /* blobs with unequal variances */
  CS_TOY_MOONS,      /* two interleaving half circles */
  CS_TOY_CIRCLES,    /* a circle inside a circle */
  CS_TOY_UNIFORM,    /* uniform noise: no structure at all */
  CS_TOY_N_KINDS
} CsToyKind;

const char *cs_toy_kind_id (CsToyKind kind);    /* "blobs", "moons", ... */
const char *cs_toy_kind_title (CsToyKind kind); /* "Gaussian blobs", ... */
gboolean    cs_toy_kind_from_id (const char *id, CsToyKind *kind);

/* n_clusters is used by the blob kinds (ignored by moons and circles, which have 2). */
CsDataset *cs_toy_generate (CsToyKind kind, gsize n, guint n_clusters, double noise, guint64 seed);

/* The generator's settings (the window's Generate Data dialog). cs_toy_generate is this with
 * separation 1. */
typedef struct
{
  CsToyKind kind;
  gsize     n;
  guint     n_clusters; /* blob kinds; 0 means 3. Moons and circles always have 2 */
  double    noise;      /* sd of extra Gaussian jitter, see cs-toy.c */
  double    separation; /* > 0, 1 = the gallery's layout; larger pulls the groups apart: blob
                           centres spread by this factor, the lower moon moves down by
                           (separation − 1) / 2, the inner circle's radius is 0.5^separation */
  guint64   seed;
} CsToyOptions;

void       cs_toy_options_init (CsToyOptions *options);
CsDataset *cs_toy_generate_full (const CsToyOptions *options);

G_END_DECLS
