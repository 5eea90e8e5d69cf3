#include "core/data/cs-toy.h"
#include "core/base/cs-rng.h"

#include <math.h>

/* What `noise` means: the standard deviation of extra isotropic Gaussian jitter added to every
 * point. The blob kinds already have their own cluster spread (sd 1, or 1 / 2.5 / 0.5 for
 * "varied", as in scikit-learn's gallery), so for them 0 is a sensible value; the gallery uses
 * 0.05 for moons and circles. Uniform noise ignores it. */

typedef struct
{
  const char *id;
  const char *title;
} KindInfo;

static const KindInfo kinds[CS_TOY_N_KINDS] = {
  [CS_TOY_BLOBS] = { "blobs", "Gaussian blobs" },
  [CS_TOY_ANISO] = { "aniso", "Anisotropic blobs" },
  [CS_TOY_VARIED] = { "varied", "Blobs of unequal variance" },
  [CS_TOY_MOONS] = { "moons", "Two moons" },
  [CS_TOY_CIRCLES] = { "circles", "Concentric circles" },
  [CS_TOY_UNIFORM] = { "uniform", "Uniform noise" },
};

const char *
cs_toy_kind_id (CsToyKind kind)
{
  g_return_val_if_fail (kind < CS_TOY_N_KINDS, NULL);
  return kinds[kind].id;
}

const char *
cs_toy_kind_title (CsToyKind kind)
{
  g_return_val_if_fail (kind < CS_TOY_N_KINDS, NULL);
  return kinds[kind].title;
}

gboolean
cs_toy_kind_from_id (const char *id,
                     CsToyKind  *kind)
{
  g_return_val_if_fail (id != NULL, FALSE);

  for (int k = 0; k < CS_TOY_N_KINDS; k++)
    if (g_ascii_strcasecmp (id, kinds[k].id) == 0)
      {
        if (kind)
          *kind = (CsToyKind) k;
        return TRUE;
      }
  return FALSE;
}

/* Class c gets n / k points, the first n % k classes one more (as make_blobs does). */
static guint
class_of (gsize i,
          gsize n,
          guint k)
{
  gsize base = n / k;
  gsize extra = n % k;
  gsize big = extra * (base + 1);

  if (i < big)
    return (guint) (i / (base + 1));
  return (guint) (extra + (i - big) / base);
}

static void
make_blobs (CsRng        *rng,
            gsize         n,
            guint         k,
            double        spread,
            const double *sds,
            guint         n_sds,
            double       *x,
            double       *y,
            int          *label)
{
  g_autofree double *centers = g_new (double, 2 * k);

  /* Centres uniform in the box (-10, 10)², make_blobs' default. */
  for (guint c = 0; c < 2 * k; c++)
    centers[c] = spread * (-10.0 + 20.0 * cs_rng_uniform (rng));
  for (gsize i = 0; i < n; i++)
    {
      guint c = class_of (i, n, k);
      double sd = sds[c % n_sds];
      x[i] = centers[2 * c] + sd * cs_rng_normal (rng);
      y[i] = centers[2 * c + 1] + sd * cs_rng_normal (rng);
      label[i] = (int) c;
    }
}

void
cs_toy_options_init (CsToyOptions *options)
{
  options->kind = CS_TOY_BLOBS;
  options->n = 1500;
  options->n_clusters = 3;
  options->noise = 0.0;
  options->separation = 1.0;
  options->seed = 42;
}

CsDataset *
cs_toy_generate (CsToyKind kind,
                 gsize     n,
                 guint     n_clusters,
                 double    noise,
                 guint64   seed)
{
  CsToyOptions o;

  cs_toy_options_init (&o);
  o.kind = kind;
  o.n = n;
  o.n_clusters = n_clusters;
  o.noise = noise;
  o.seed = seed;
  return cs_toy_generate_full (&o);
}

CsDataset *
cs_toy_generate_full (const CsToyOptions *options)
{
  CsToyKind kind = options->kind;
  gsize     n = options->n;
  guint     n_clusters = options->n_clusters;
  double    noise = options->noise;
  guint64   seed = options->seed;
  double    sep = isfinite (options->separation) && options->separation > 0 ? options->separation : 1.0;
  static const double unit_sd[] = { 1.0 };
  static const double varied_sd[] = { 1.0, 2.5, 0.5 };
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  g_autofree int *label = NULL;
  g_autoptr (GPtrArray) level_names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  CsDataset *ds;
  CsRng rng;
  guint k = 1;

  g_return_val_if_fail (kind < CS_TOY_N_KINDS, NULL);

  if (n_clusters == 0)
    n_clusters = 3;
  noise = isfinite (noise) && noise > 0.0 ? noise : 0.0;
  cs_rng_init (&rng, seed);
  x = g_new0 (double, MAX (n, 1));
  y = g_new0 (double, MAX (n, 1));
  label = g_new0 (int, MAX (n, 1));

  switch (kind)
    {
    case CS_TOY_BLOBS:
    case CS_TOY_ANISO:
      k = (guint) MIN ((gsize) n_clusters, MAX (n, 1));
      make_blobs (&rng, n, k, sep, unit_sd, 1, x, y, label);
      if (kind == CS_TOY_ANISO)
        for (gsize i = 0; i < n; i++)
          {
            /* The gallery's shear, [[0.6, -0.6], [-0.4, 0.8]], applied to row vectors. */
            double u = x[i] * 0.6 + y[i] * -0.4;
            double v = x[i] * -0.6 + y[i] * 0.8;
            x[i] = u;
            y[i] = v;
          }
      break;
    case CS_TOY_VARIED:
      k = (guint) MIN ((gsize) n_clusters, MAX (n, 1));
      make_blobs (&rng, n, k, sep, varied_sd, G_N_ELEMENTS (varied_sd), x, y, label);
      break;
    case CS_TOY_MOONS:
      {
        gsize n_out = n / 2;
        gsize n_in = n - n_out;
        k = 2;
        for (gsize i = 0; i < n_out; i++)
          {
            double t = n_out > 1 ? G_PI * i / (n_out - 1) : 0.0;
            x[i] = cos (t);
            y[i] = sin (t);
            label[i] = 0;
          }
        for (gsize i = 0; i < n_in; i++)
          {
            double t = n_in > 1 ? G_PI * i / (n_in - 1) : 0.0;
            x[n_out + i] = 1.0 - cos (t);
            y[n_out + i] = 0.5 - sin (t) - 0.5 * (sep - 1.0);
            label[n_out + i] = 1;
          }
      }
      break;
    case CS_TOY_CIRCLES:
      {
        gsize n_out = n / 2;
        gsize n_in = n - n_out;
        const double factor = pow (0.5, sep);
        k = 2;
        for (gsize i = 0; i < n_out; i++)
          {
            double t = 2.0 * G_PI * i / n_out;
            x[i] = cos (t);
            y[i] = sin (t);
            label[i] = 0;
          }
        for (gsize i = 0; i < n_in; i++)
          {
            double t = 2.0 * G_PI * i / n_in;
            x[n_out + i] = factor * cos (t);
            y[n_out + i] = factor * sin (t);
            label[n_out + i] = 1;
          }
      }
      break;
    case CS_TOY_UNIFORM:
      k = 1;
      noise = 0.0;
      for (gsize i = 0; i < n; i++)
        {
          x[i] = cs_rng_uniform (&rng);
          y[i] = cs_rng_uniform (&rng);
        }
      break;
    case CS_TOY_N_KINDS:
    default:
      g_assert_not_reached ();
    }

  if (noise > 0.0)
    for (gsize i = 0; i < n; i++)
      {
        x[i] += noise * cs_rng_normal (&rng);
        y[i] += noise * cs_rng_normal (&rng);
      }

  /* Shuffle (Fisher–Yates) so that classes interleave, as the gallery's generators do. */
  for (gsize i = n; i > 1; i--)
    {
      gsize j = (gsize) cs_rng_below (&rng, i);
      double tx = x[i - 1];
      double ty = y[i - 1];
      int tl = label[i - 1];
      x[i - 1] = x[j];
      y[i - 1] = y[j];
      label[i - 1] = label[j];
      x[j] = tx;
      y[j] = ty;
      label[j] = tl;
    }

  for (guint c = 0; c < k; c++)
    g_ptr_array_add (level_names, g_strdup_printf ("%u", c));
  name = g_strdup_printf ("%s (%" G_GSIZE_FORMAT " points, seed %" G_GUINT64_FORMAT ")", kinds[kind].title, n, seed);
  ds = cs_dataset_new (name, n);
  cs_dataset_add_numeric (ds, "x", g_steal_pointer (&x));
  cs_dataset_add_numeric (ds, "y", g_steal_pointer (&y));
  cs_dataset_add_categorical (ds, "label", label, (const char *const *) level_names->pdata, k);
  ds->label_column = 2;
  return ds;
}
