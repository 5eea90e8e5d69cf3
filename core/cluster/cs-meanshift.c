#include "core/cluster/cs-meanshift.h"
#include "core/cluster/cs-trace.h"
#include "core/cluster/cs-registry.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* Mean shift with a Gaussian kernel of scalar bandwidth h: each seed climbs the kernel
 * density estimate by x ← Σ K(x − x_i) x_i / Σ K(x − x_i) until it moves less than tol × h.
 * The automatic h is the one the 2-D density uses: Scott's H = n^(−2/(d+4)) Σ, reduced to a
 * scalar as h = sqrt (mean of H's diagonal).
 *
 * Seeds: every point ("all"), or the centres of occupied cells of a grid with step h
 * ("bins", with at least min_bin_freq points each, as scikit-learn's bin seeding); "auto"
 * takes all points up to 2000 rows and bins above. Modes closer than h/2 are merged, the
 * denser one kept. With all points as seeds each point is labelled by the mode its own
 * climb ended nearest to; with bin seeds each point takes the nearest mode.
 *
 * The result's centres are the modes; objective_name is "modes" and the objective is the
 * number of modes found. Points farther than 5 h contribute under exp(−12.5) of the peak
 * weight and are skipped. Each seed climbs independently, so the result does not depend on
 * the thread count. */

#define CUTOFF2 25.0

static const char *const seeding_choices[] = { "auto", "all", "bins", NULL };
static const char *const seeding_labels[] = { "Automatic", "Every point", "One per grid cell", NULL };

static const CsParamSpec meanshift_params[] = {
  { .name = "bandwidth", .label = "Bandwidth",
    .help = "Kernel width in the units of the prepared data; 0 chooses it by Scott’s rule.",
    .type = CS_PARAM_DOUBLE, .min = 0, .max = 1e12, .default_num = 0, .zero_label = "Automatic" },
  { .name = "max_iter", .label = "Maximum iterations", .help = "Each seed stops climbing after this many steps at the latest.",
    .type = CS_PARAM_INT, .min = 1, .max = 100000, .default_num = 300, .advanced = TRUE },
  { .name = "tol", .label = "Tolerance",
    .help = "A seed stops when its step is shorter than this fraction of the bandwidth.",
    .type = CS_PARAM_DOUBLE, .min = 0, .max = 1, .default_num = 1e-3, .log_scale = TRUE, .advanced = TRUE },
  { .name = "seeding", .label = "Seeds",
    .help = "Start a climb from every point, or from one point per occupied bandwidth-sized cell (faster on large data).",
    .type = CS_PARAM_ENUM, .default_str = "auto", .choices = seeding_choices,
    .choice_labels = seeding_labels, .advanced = TRUE },
  { .name = "min_bin_freq", .label = "Minimum points per seed cell",
    .help = "With cell seeding, cells holding fewer points start no climb.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000000, .default_num = 1, .advanced = TRUE },
};

static double
auto_bandwidth (const CsMatrix *x)
{
  gsize n = x->rows;
  gsize d = x->cols;
  double mean_var = 0.0;

  for (gsize j = 0; j < d; j++)
    {
      double m = 0.0;
      double v = 0.0;
      for (gsize i = 0; i < n; i++)
        m += cs_matrix_get (x, i, j);
      m /= n;
      for (gsize i = 0; i < n; i++)
        v += (cs_matrix_get (x, i, j) - m) * (cs_matrix_get (x, i, j) - m);
      mean_var += v / (n > 1 ? n - 1 : 1);
    }
  mean_var /= d;
  return sqrt (pow ((double) n, -2.0 / (d + 4.0)) * mean_var);
}

/* Seeds from the occupied cells of a grid with step h: the mean of each cell's points. */
static CsMatrix *
bin_seeds (const CsMatrix *x,
           double          h,
           guint           min_freq)
{
  gsize n = x->rows;
  gsize d = x->cols;
  g_autoptr (GHashTable) cells = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref,
                                                        NULL);
  g_autoptr (GArray) sums = g_array_new (FALSE, TRUE, sizeof (double));
  g_autoptr (GArray) counts = g_array_new (FALSE, TRUE, sizeof (guint));
  g_autofree gint64 *key = g_new (gint64, d);
  CsMatrix *seeds;
  gsize m = 0;
  gsize kept = 0;

  for (gsize i = 0; i < n; i++)
    {
      const double *r = cs_matrix_row (x, i);
      GBytes *b;
      gpointer slot;
      gsize s;
      for (gsize j = 0; j < d; j++)
        key[j] = (gint64) floor (r[j] / h);
      b = g_bytes_new (key, d * sizeof (gint64));
      if (g_hash_table_lookup_extended (cells, b, NULL, &slot))
        {
          s = GPOINTER_TO_SIZE (slot);
          g_bytes_unref (b);
        }
      else
        {
          s = m++;
          g_hash_table_insert (cells, b, GSIZE_TO_POINTER (s));
          g_array_set_size (sums, m * d);
          g_array_set_size (counts, m);
        }
      for (gsize j = 0; j < d; j++)
        g_array_index (sums, double, s * d + j) += r[j];
      g_array_index (counts, guint, s)++;
    }
  for (gsize s = 0; s < m; s++)
    if (g_array_index (counts, guint, s) >= min_freq)
      kept++;
  if (kept == 0)
    return NULL;
  seeds = cs_matrix_new (kept, d);
  kept = 0;
  /* Cells are numbered in order of first appearance in the data, so the seed order (and
   * the merge order) is deterministic. */
  for (gsize s = 0; s < m; s++)
    {
      guint c = g_array_index (counts, guint, s);
      if (c < min_freq)
        continue;
      for (gsize j = 0; j < d; j++)
        seeds->data[kept * d + j] = g_array_index (sums, double, s * d + j) / c;
      kept++;
    }
  return seeds;
}

typedef struct
{
  gsize  index;
  double density;
} ModeOrder;

static int
cmp_mode (const void *a,
          const void *b)
{
  const ModeOrder *x = a;
  const ModeOrder *y = b;
  if (x->density != y->density)
    return x->density > y->density ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

void
cs_meanshift_options_init (CsMeanshiftOptions *options)
{
  g_return_if_fail (options != NULL);
  options->bandwidth = 0.0;
  options->max_iter = 300;
  options->tol = 1e-3;
  options->seeding = CS_MEANSHIFT_SEEDS_AUTO;
  options->min_bin_freq = 1;
}

gboolean
cs_meanshift_run (const CsMatrix           *x,
                  const CsMeanshiftOptions *options,
                  CsProgress               *progress,
                  CsTrace                  *trace,
                  CsClustering            **out,
                  double                   *bandwidth_used,
                  GError                  **error)
{
  gsize n = x->rows;
  gsize d = x->cols;
  double h = options->bandwidth;
  guint max_iter = options->max_iter;
  double tol = options->tol;
  CsMeanshiftSeeding seeding = options->seeding;
  guint min_freq = MAX (options->min_bin_freq, 1);
  gboolean all_seeds;
  g_autoptr (CsMatrix) seeds = NULL;
  g_autofree double *density = NULL;
  g_autofree guint8 *done = NULL;
  g_autofree ModeOrder *order = NULL;
  g_autoptr (GArray) modes = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autofree gsize *seed_mode = NULL;
  CsClustering *c;
  double inv2h2;
  gsize ns;
  guint iter;
  gsize active;

  for (gsize i = 0; i < n * d; i++)
    if (!isfinite (x->data[i]))
      {
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                     "Row %" G_GSIZE_FORMAT " has a missing or infinite value; drop or impute it first", i / d + 1);
        return FALSE;
      }
  if (h == 0.0)
    {
      gboolean varies = FALSE;

      /* As the density's rules: identical rows have a variance of rounding size, not 0, and
       * would give a bandwidth of 1e-17; refuse them the same way. */
      for (gsize j = 0; j < d && !varies; j++)
        varies = !cs_matrix_column_constant (x, j);
      if (!varies)
        {
          g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                               "Every row is the same point, so no bandwidth can be estimated from the data; give "
                               "one (-p bandwidth=VALUE)");
          return FALSE;
        }
      h = auto_bandwidth (x);
    }
  if (!(h > 0.0) || !isfinite (h))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_NUMERIC,
                   "Mean shift needs a positive, finite bandwidth (it came out as %g); rescale the data or give one "
                   "(-p bandwidth=VALUE)", h);
      return FALSE;
    }
  inv2h2 = 1.0 / (2.0 * h * h);
  if (h < 0.0 || max_iter < 1 || !(tol >= 0.0))
    {
      g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                           "Mean shift needs a bandwidth of 0 (automatic) or more, max_iter of at least 1 and a "
                           "tolerance of 0 or more");
      return FALSE;
    }
  all_seeds = seeding == CS_MEANSHIFT_SEEDS_ALL || (seeding == CS_MEANSHIFT_SEEDS_AUTO && n <= 2000);
  if (!all_seeds)
    seeds = bin_seeds (x, h, min_freq);
  if (seeds == NULL)
    {
      all_seeds = TRUE;
      seeds = cs_matrix_copy (x);
    }
  ns = seeds->rows;
  density = g_new0 (double, ns);
  done = g_new0 (guint8, ns);

  /* Playback shows points climbing only when every point is its own seed. */
  if (trace != NULL && all_seeds
      && cs_trace_plan (trace, n, 0, d, CS_TRACE_RECORDS_POSITIONS | CS_TRACE_RECORDS_LABELS | CS_TRACE_RECORDS_CENTERS))
    cs_trace_step_set_positions (cs_trace_push (trace, CS_TRACE_STEP_INIT, 0, NULL, n, 0, (double) ns, ns,
                                                "every point starts where it is"),
                                 seeds->data, n, d, NULL);
  active = ns;
  for (iter = 0; iter < max_iter && active > 0; iter++)
    {
      gsize moving = 0;
      int stop = 0;
      if (!cs_progress_check (progress, error))
        return FALSE;
#pragma omp parallel for schedule(dynamic, 8) reduction(+ : moving)
      for (gsize s = 0; s < ns; s++)
        {
          double *p = cs_matrix_row (seeds, s);
          double acc[64];
          double *num = d <= 64 ? acc : g_new (double, d);
          double den = 0.0;
          double shift2 = 0.0;
          if (done[s] || g_atomic_int_get (&stop))
            {
              if (num != acc)
                g_free (num);
              continue;
            }
          memset (num, 0, d * sizeof (double));
          for (gsize i = 0; i < n; i++)
            {
              const double *r = cs_matrix_row (x, i);
              double q = cs_sqdist (p, r, d) * inv2h2;
              double k;
              if (q >= CUTOFF2 / 2.0)
                continue;
              k = exp (-q);
              den += k;
              for (gsize j = 0; j < d; j++)
                num[j] += k * r[j];
            }
          if (den > 0.0)
            for (gsize j = 0; j < d; j++)
              {
                double v = num[j] / den;
                shift2 += (v - p[j]) * (v - p[j]);
                p[j] = v;
              }
          density[s] = den;
          if (sqrt (shift2) <= tol * h || den == 0.0)
            done[s] = 1;
          else
            moving++;
          if ((s & 63) == 0 && cs_progress_is_cancelled (progress))
            g_atomic_int_set (&stop, 1);
          if (num != acc)
            g_free (num);
        }
      active = moving;
      if (trace != NULL && all_seeds && !g_atomic_int_get (&stop))
        {
          g_autofree char *count = cs_format_count (moving);
          g_autofree char *note = g_strdup_printf ("every point moved to the weighted mean around it; %s still moving",
                                                   count);
          cs_trace_step_set_positions (cs_trace_push (trace, CS_TRACE_STEP_SHIFT, iter + 1, NULL, n, 0,
                                                      (double) moving, moving, note),
                                       seeds->data, n, d, NULL);
        }
      cs_progress_report (progress, 0.9 * (1.0 - (double) active / ns), "mean shift");
    }
  if (!cs_progress_check (progress, error))
    return FALSE;

  /* Merge: densest converged seeds first; a seed within h/2 of a kept mode joins it. */
  order = g_new (ModeOrder, ns);
  for (gsize s = 0; s < ns; s++)
    {
      order[s].index = s;
      order[s].density = density[s];
    }
  qsort (order, ns, sizeof (ModeOrder), cmp_mode);
  seed_mode = g_new (gsize, ns);
  for (gsize o = 0; o < ns; o++)
    {
      gsize s = order[o].index;
      const double *p = cs_matrix_row (seeds, s);
      gsize best = G_MAXSIZE;
      double best_d = 0.25 * h * h;
      for (guint m = 0; m < modes->len; m++)
        {
          double dd = cs_sqdist (p, cs_matrix_row (seeds, g_array_index (modes, gsize, m)), d);
          if (dd <= best_d)
            {
              best_d = dd;
              best = m;
            }
        }
      if (best == G_MAXSIZE)
        {
          best = modes->len;
          g_array_append_val (modes, s);
        }
      seed_mode[s] = best;
    }

  c = cs_clustering_new ("meanshift", n, d, modes->len);
  if (bandwidth_used != NULL)
    *bandwidth_used = h;
  c->centers = cs_matrix_new (modes->len, d);
  for (guint m = 0; m < modes->len; m++)
    memcpy (cs_matrix_row (c->centers, m), cs_matrix_row (seeds, g_array_index (modes, gsize, m)),
            d * sizeof (double));
  for (gsize i = 0; i < n; i++)
    {
      const double *p = all_seeds ? cs_matrix_row (seeds, i) : cs_matrix_row (x, i);
      guint best = 0;
      double best_d = INFINITY;
      if (all_seeds)
        {
          /* The mode its own climb merged into. */
          c->labels[i] = (int) seed_mode[i];
          continue;
        }
      for (guint m = 0; m < modes->len; m++)
        {
          double dd = cs_sqdist (p, cs_matrix_row (c->centers, m), d);
          if (dd < best_d)
            {
              best_d = dd;
              best = m;
            }
        }
      c->labels[i] = (int) best;
    }
  c->objective = modes->len;
  c->objective_name = "modes";
  c->iterations = iter;
  c->converged = active == 0;
  if (trace)
    {
      CsTraceStep *step = cs_trace_push (trace, CS_TRACE_STEP_FINAL, iter, c->labels, n, c->k, 0.0, n,
                                         "nearby ends merged into modes: the clusters");
      cs_trace_step_set_centers (step, c->centers);
      if (all_seeds)
        cs_trace_step_set_positions (step, seeds->data, n, d, NULL);
    }
  cs_progress_report (progress, 1.0, "mean shift");
  *out = c;
  return TRUE;
}

static gboolean
meanshift_run_params (const CsMatrix *x,
                      const CsParams *params,
                      CsProgress     *progress,
                      CsTrace        *trace,
                      CsClustering  **out,
                      GError        **error)
{
  const char        *seeding = cs_params_get_string (params, "seeding");
  CsMeanshiftOptions o;
  char               buf[G_ASCII_DTOSTR_BUF_SIZE];
  double             h = 0.0;

  cs_meanshift_options_init (&o);
  o.bandwidth = cs_params_get_double (params, "bandwidth");
  o.max_iter = (guint) cs_params_get_int (params, "max_iter");
  o.tol = cs_params_get_double (params, "tol");
  o.seeding = g_str_equal (seeding, "all")    ? CS_MEANSHIFT_SEEDS_ALL
              : g_str_equal (seeding, "bins") ? CS_MEANSHIFT_SEEDS_BINS
                                              : CS_MEANSHIFT_SEEDS_AUTO;
  o.min_bin_freq = (guint) cs_params_get_int (params, "min_bin_freq");
  if (!cs_meanshift_run (x, &o, progress, trace, out, &h, error))
    return FALSE;
  /* The result records the bandwidth it used, also when it was chosen by the rule (0), so
   * its JSON and a command copied from it say which it was. */
  (*out)->params = cs_params_copy (params);
  /* Past the parameter's range (data in units of 1e12) the request (0) stays recorded. */
  cs_params_set ((*out)->params, "bandwidth", cs_format_double (buf, sizeof buf, h), NULL);
  return TRUE;
}

const CsAlgorithm cs_algorithm_meanshift = {
  .id = "meanshift",
  .name = "Mean shift",
  .description = "Finds the modes of a Gaussian kernel density estimate by hill climbing; each mode becomes a "
                 "cluster centre and each point joins the mode it climbs to. The number of clusters follows from "
                 "the bandwidth.",
  .category = "Density",
  .objective = CS_OBJECTIVE_NONE,
  .params = meanshift_params,
  .n_params = G_N_ELEMENTS (meanshift_params),
  .run = meanshift_run_params,
};
