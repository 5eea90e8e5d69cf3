#pragma once

#include <glib.h>
#include <math.h>

G_BEGIN_DECLS

/* xoshiro256** (Blackman & Vigna), seeded through splitmix64. Small, fast, and the same
 * sequence on every platform, so "same seed, same result" holds across machines.
 * Parallel code derives one stream per fixed block with cs_rng_init_stream(), never per thread. */
typedef struct
{
  guint64 s[4];
} CsRng;

/* One step of splitmix64 (Steele, Lea & Flood): turns a counter into well-mixed bits; also
 * what seeds the generator. */
static inline guint64
cs_rng_splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static inline void
cs_rng_init_stream (CsRng *rng, guint64 seed, guint64 stream)
{
  guint64 x = seed ^ (stream * G_GUINT64_CONSTANT (0xD1B54A32D192ED03));
  for (int i = 0; i < 4; i++)
    rng->s[i] = cs_rng_splitmix64 (&x);
}

static inline void
cs_rng_init (CsRng *rng, guint64 seed)
{
  cs_rng_init_stream (rng, seed, 0);
}

static inline guint64
cs_rng_rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
cs_rng_next (CsRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = cs_rng_rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = cs_rng_rotl (s[3], 45);
  return result;
}

/* Uniform in [0, 1) with 53 random bits. */
static inline double
cs_rng_uniform (CsRng *rng)
{
  return (double) (cs_rng_next (rng) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n > 0, without modulo bias (Lemire's method). */
static inline guint64
cs_rng_below (CsRng *rng, guint64 n)
{
  guint64 threshold = -n % n;
  for (;;)
    {
      guint64 r = cs_rng_next (rng);
      if (r >= threshold)
        return r % n;
    }
}

/* Moves a uniform sample of min(m, n) of idx[0 … n) to its front, by a partial Fisher–Yates
 * shuffle (one cs_rng_below per entry drawn). */
static inline void
cs_rng_sample_front (CsRng *rng, gsize *idx, gsize n, gsize m)
{
  for (gsize t = 0; t < m && t < n; t++)
    {
      gsize r = t + (gsize) cs_rng_below (rng, n - t);
      gsize tmp = idx[t];
      idx[t] = idx[r];
      idx[r] = tmp;
    }
}

/* Standard normal by the polar Box–Muller method. */
static inline double
cs_rng_normal (CsRng *rng)
{
  double u, v, s;
  do
    {
      u = 2.0 * cs_rng_uniform (rng) - 1.0;
      v = 2.0 * cs_rng_uniform (rng) - 1.0;
      s = u * u + v * v;
    }
  while (s >= 1.0 || s == 0.0);
  return u * sqrt (-2.0 * log (s) / s);
}

G_END_DECLS
