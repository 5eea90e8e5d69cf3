#pragma once

/* Small helpers shared by the k-means variants (balanced, online, novel-class discovery):
 * D² seeding and nearest-centre search on a few rows at a time. Header only, like cs-rng.h. */

#include <math.h>
#include <string.h>

#include "core/base/cs-matrix.h"
#include "core/base/cs-rng.h"

G_BEGIN_DECLS

/* Index of the centre nearest to row xi among centres c (k × d), the first on ties;
 * *dist receives the squared distance when not NULL. */
static inline guint
cs_i_nearest_center (const double *xi,
                     const double *c,
                     guint         k,
                     gsize         d,
                     double       *dist)
{
  guint  best = 0;
  double bd = INFINITY;

  for (guint j = 0; j < k; j++)
    {
      double s = cs_sqdist (xi, c + (gsize) j * d, d);
      if (s < bd)
        {
          bd = s;
          best = j;
        }
    }
  if (dist)
    *dist = bd;
  return best;
}

/* Greedy k-means++ (Arthur & Vassilvitskii 2007; the greedy variant scikit-learn uses, with
 * 2 + ⌊ln k⌋ candidates a step): centres first_fixed … k − 1 of `centers` are drawn from the
 * rows of x with probability ∝ D², the squared distance to the nearest centre chosen so far
 * (centres 0 … first_fixed − 1 are given and count as chosen), and of each step's candidates
 * the one that lowers Σ D² most is kept. With first_fixed = 0 the first centre is a uniform
 * row. When every row already sits on a centre the candidates are uniform rows. */
static inline void
cs_i_plusplus (const CsMatrix *x,
               guint           first_fixed,
               guint           k,
               CsRng          *rng,
               double         *centers)
{
  gsize   n = x->rows;
  gsize   d = x->cols;
  double *dist = g_new (double, n);
  double *cand_dist = g_new (double, n);
  double *best_dist = g_new (double, n);
  guint   start = first_fixed;
  guint   trials = 2 + (guint) floor (log ((double) MAX (k, 1)));
  double  total = 0.0;

  if (start == 0)
    {
      gsize r = (gsize) cs_rng_below (rng, n);
      memcpy (centers, cs_matrix_row (x, r), d * sizeof (double));
      start = 1;
    }
  for (gsize i = 0; i < n; i++)
    {
      cs_i_nearest_center (cs_matrix_row (x, i), centers, start, d, &dist[i]);
      total += dist[i];
    }
  for (guint j = start; j < k; j++)
    {
      double best_total = INFINITY;
      gsize  best_pick = 0;

      for (guint t = 0; t < trials; t++)
        {
          gsize  pick = n - 1;
          double sum = 0.0;

          if (!(total > 0.0))
            pick = (gsize) cs_rng_below (rng, n);
          else
            {
              double u = cs_rng_uniform (rng) * total;
              double acc = 0.0;
              for (gsize i = 0; i < n; i++)
                {
                  acc += dist[i];
                  if (u < acc)
                    {
                      pick = i;
                      break;
                    }
                }
            }
          for (gsize i = 0; i < n; i++)
            {
              double s = cs_sqdist (cs_matrix_row (x, i), cs_matrix_row (x, pick), d);
              cand_dist[i] = s < dist[i] ? s : dist[i];
              sum += cand_dist[i];
            }
          if (sum < best_total)
            {
              double *swap = best_dist;
              best_total = sum;
              best_pick = pick;
              best_dist = cand_dist;
              cand_dist = swap;
            }
        }
      memcpy (centers + (gsize) j * d, cs_matrix_row (x, best_pick), d * sizeof (double));
      memcpy (dist, best_dist, n * sizeof (double));
      total = best_total;
    }
  g_free (dist);
  g_free (cand_dist);
  g_free (best_dist);
}

G_END_DECLS
