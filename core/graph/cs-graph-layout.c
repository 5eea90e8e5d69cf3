#include "core/graph/cs-graph-layout.h"
#include "core/base/cs-error.h"
#include "core/base/cs-rng.h"

#include <math.h>
#include <string.h>

void
cs_layout_options_init (CsLayoutOptions *o)
{
  memset (o, 0, sizeof *o);
  o->iterations = 300;
}

/* Every pair pushes as k²/d. Pairs in index order, each added to both ends: O(n²). */
static void
repel_exact (const double *xy,
             gsize         n,
             double        k,
             double       *disp)
{
  for (gsize i = 0; i < n; i++)
    for (gsize j = i + 1; j < n; j++)
      {
        double dx = xy[2 * i] - xy[2 * j], dy = xy[2 * i + 1] - xy[2 * j + 1];
        double d2 = dx * dx + dy * dy;
        if (d2 < 1e-18)
          {
            /* Coincident nodes: a fixed nudge by index keeps the result deterministic. */
            dx = 1e-9 * (double) ((i + j) % 7 + 1);
            dy = 1e-9;
            d2 = dx * dx + dy * dy;
          }
        double f = k * k / d2; /* (k²/d) along the unit vector (dx, dy)/d */
        disp[2 * i] += dx * f;
        disp[2 * i + 1] += dy * f;
        disp[2 * j] -= dx * f;
        disp[2 * j + 1] -= dy * f;
      }
}

/* The same k²/d from every other node, but each node sums its own row in index order, so the
 * rows can be split among threads without changing a bit (the pairwise loop above adds each
 * force to both ends and cannot be split that way). Twice the arithmetic, run on every core. */
static void
repel_rows (const double *xy,
            gsize         n,
            double        k,
            double       *disp)
{
#pragma omp parallel for schedule(dynamic, 64)
  for (gsize i = 0; i < n; i++)
    {
      double fx = 0.0, fy = 0.0;
      for (gsize j = 0; j < n; j++)
        {
          if (j == i)
            continue;
          double dx = xy[2 * i] - xy[2 * j], dy = xy[2 * i + 1] - xy[2 * j + 1];
          double d2 = dx * dx + dy * dy;
          if (d2 < 1e-18)
            {
              /* the exact sum's nudge, signed so that the pair parts */
              double sgn = i < j ? 1.0 : -1.0;
              dx = sgn * 1e-9 * (double) ((i + j) % 7 + 1);
              dy = sgn * 1e-9;
              d2 = dx * dx + dy * dy;
            }
          double f = k * k / d2;
          fx += dx * f;
          fy += dy * f;
        }
      disp[2 * i] = fx;
      disp[2 * i + 1] = fy;
    }
}

void
cs_graph_layout_normalize (double *xy,
                           gsize   n)
{
  double lo[2] = { INFINITY, INFINITY }, hi[2] = { -INFINITY, -INFINITY };
  for (gsize i = 0; i < n; i++)
    for (int a = 0; a < 2; a++)
      {
        lo[a] = MIN (lo[a], xy[2 * i + a]);
        hi[a] = MAX (hi[a], xy[2 * i + a]);
      }
  double span = MAX (hi[0] - lo[0], hi[1] - lo[1]);
  for (gsize i = 0; i < n; i++)
    for (int a = 0; a < 2; a++)
      xy[2 * i + a] = span > 0.0 ? 2.0 * (xy[2 * i + a] - 0.5 * (lo[a] + hi[a])) / span : 0.0;
}

gboolean
cs_graph_layout (const CsGraph         *g,
                 const CsLayoutOptions *o,
                 CsProgress            *progress,
                 double               **out,
                 GError               **error)
{
  gsize n = g->n;
  g_autofree double *xy = NULL;
  g_autofree double *disp = NULL;
  double mean_w = 0.0;
  CsRng rng;

  if (o->iterations < 1 || n > 200000)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "a layout needs at least one iteration and at most 200,000 nodes");
      return FALSE;
    }
  xy = g_new (double, 2 * n);
  disp = g_new (double, 2 * n);
  cs_rng_init (&rng, o->seed);
  for (gsize i = 0; i < 2 * n; i++)
    xy[i] = cs_rng_uniform (&rng);
  for (gsize e = 0; e < g->row_ptr[n]; e++)
    mean_w += g->w[e];
  mean_w = g->row_ptr[n] > 0 ? mean_w / (double) g->row_ptr[n] : 1.0;

  /* k: the ideal edge length for n nodes in the unit square. */
  double k = sqrt (1.0 / (double) MAX (n, 1));
  double temperature = 0.1;
  for (guint it = 0; it < o->iterations; it++)
    {
      if ((it & 7) == 0)
        {
          cs_progress_report (progress, (double) it / o->iterations, "force layout");
          if (!cs_progress_check (progress, error))
            return FALSE;
        }
      memset (disp, 0, 2 * n * sizeof (double));
      if (n <= CS_LAYOUT_EXACT_MAX)
        repel_exact (xy, n, k, disp);
      else
        repel_rows (xy, n, k, disp);
      for (gsize i = 0; i < n; i++)
        for (gsize e = g->row_ptr[i]; e < g->row_ptr[i + 1]; e++)
          {
            gsize j = g->col[e];
            if (j <= i)
              continue;
            double dx = xy[2 * i] - xy[2 * j], dy = xy[2 * i + 1] - xy[2 * j + 1];
            double d = sqrt (dx * dx + dy * dy);
            double f = (g->w[e] / mean_w) * d / k; /* (d²/k) along the unit vector */
            disp[2 * i] -= dx * f;
            disp[2 * i + 1] -= dy * f;
            disp[2 * j] += dx * f;
            disp[2 * j + 1] += dy * f;
          }
      for (gsize i = 0; i < n; i++)
        {
          double dl = sqrt (disp[2 * i] * disp[2 * i] + disp[2 * i + 1] * disp[2 * i + 1]);
          if (dl > 0.0)
            {
              double step = MIN (dl, temperature) / dl;
              xy[2 * i] += disp[2 * i] * step;
              xy[2 * i + 1] += disp[2 * i + 1] * step;
            }
        }
      temperature = 0.1 * (1.0 - (double) (it + 1) / o->iterations) + 1e-4;
      if (o->snapshot != NULL && o->snapshot_every > 0 && (it + 1) % o->snapshot_every == 0)
        o->snapshot (xy, n, it + 1, o->snapshot_data);
    }
  /* Into [−1, 1]², one scale for both axes so that distances keep their meaning. */
  cs_graph_layout_normalize (xy, n);
  cs_progress_report (progress, 1.0, "force layout");
  *out = g_steal_pointer (&xy);
  return TRUE;
}
