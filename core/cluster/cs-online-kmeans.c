/* Online k-means: centres learnt from consecutive mini-batches, so the rows need never be held
 * together (the CLI's --stream feeds a file chunk by chunk). Two update rules:
 *
 * - TELL (Peng et al., "XAI Beyond Classification: Interpretable Neural Clustering", JMLR 2022):
 *   k-means written as a one-layer network whose weights are the centres Ω. The batch loss is
 *   L = (1/|B|) Σ_i Σ_j I_j(x_i) ‖x_i − Ω_j‖², with I the assignment (hard, or a softmax of
 *   −‖x_i − Ω_j‖² / τ); one gradient step per batch, Ω_j ← Ω_j − η ∂L/∂Ω_j
 *   = Ω_j + (2η / |B|) Σ_i I_j(x_i) (x_i − Ω_j), with I held fixed during the step.
 * - Mini-batch k-means (Sculley, "Web-scale k-means clustering", WWW 2010), as scikit-learn's
 *   MiniBatchKMeans updates: each centre moves to the running mean of every row ever assigned to
 *   it, i.e. a per-centre rate 1 / count. (scikit-learn's random reassignment of nearly empty
 *   centres is not done: it would make the result depend on more than the batches.)
 *
 * docs/algorithms.md, "Online k-means", records this reading. */
#include "core/cluster/cs-online-kmeans.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/cluster/cs-centroid-private.h"

void
cs_online_kmeans_options_init (CsOnlineKmeansOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->k = 3;
  options->method = CS_ONLINE_KMEANS_MINIBATCH;
  options->batch_size = 1024;
  options->epochs = 10;
  options->learning_rate = 0.2;
  options->temperature = 0.0;
  options->n_init = 5;
}

struct _CsOnlineKmeans
{
  CsOnlineKmeansOptions o;
  gsize                 d;
  gsize                 init_size;
  CsMatrix             *centers;  /* Owned, NULL until seeded */
  CsMatrix             *previous; /* Owned: the centres at the start of the epoch */
  double               *counts;   /* Owned, k: rows assigned so far (mini-batch) */
  double               *buf;      /* Owned: rows waiting for seeding or for their batch */
  gsize                 buf_rows;
  gsize                 buf_cap;
  guint                 epoch;
  guint                 steps;
  double                scale;    /* mean squared distance to the nearest seed, on the seeding rows */
  double                shift;    /* Σ_j ‖Ω_j − Ω_j at the start of the last epoch‖² */
  double                variance; /* mean column variance of the seeding rows */
  double               *sums;     /* Owned, k × d scratch */
  double               *weights;  /* Owned, k scratch */
  double               *resp;     /* Owned, batch_size × k scratch */
  int                  *labels;   /* Owned, batch_size scratch */
  CsProgress           *progress; /* Borrowed, may be NULL: cancels the seeding */
};

CsOnlineKmeans *
cs_online_kmeans_new (const CsOnlineKmeansOptions *o,
                      gsize                        d,
                      GError                     **error)
{
  CsOnlineKmeans *s;

  g_return_val_if_fail (o != NULL, NULL);
  if (o->k == 0 || o->batch_size == 0 || o->epochs == 0 || o->n_init == 0 || d == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameters ‘k’, ‘batch_size’, ‘epochs’ and ‘n_init’ must be at least 1");
      return NULL;
    }
  if (!(o->learning_rate > 0.0) || !(o->temperature >= 0.0))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameter ‘learning_rate’ must be above 0 and ‘temperature’ at least 0");
      return NULL;
    }
  s = g_new0 (CsOnlineKmeans, 1);
  s->o = *o;
  s->d = d;
  s->init_size = o->init_size ? o->init_size : 3 * o->batch_size;
  s->init_size = MAX (s->init_size, o->k);
  s->buf_cap = MAX (s->init_size, o->batch_size);
  s->buf = g_try_new (double, s->buf_cap * d);
  s->resp = g_try_new (double, o->batch_size * o->k);
  if (s->buf == NULL || s->resp == NULL)
    {
      g_autofree char *rows = cs_format_count (s->buf_cap);
      g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "Out of memory for a batch of %s rows: lower ‘batch_size’",
                   rows);
      cs_online_kmeans_free (s);
      return NULL;
    }
  s->counts = g_new0 (double, o->k);
  s->sums = g_new (double, (gsize) o->k * d);
  s->weights = g_new (double, o->k);
  s->labels = g_new (int, o->batch_size);
  return s;
}

void
cs_online_kmeans_free (CsOnlineKmeans *s)
{
  if (s == NULL)
    return;
  cs_matrix_free (s->centers);
  cs_matrix_free (s->previous);
  g_free (s->counts);
  g_free (s->buf);
  g_free (s->sums);
  g_free (s->weights);
  g_free (s->resp);
  g_free (s->labels);
  g_free (s);
}

void
cs_online_kmeans_set_progress (CsOnlineKmeans *s,
                               CsProgress     *progress)
{
  s->progress = progress;
}

const CsMatrix *
cs_online_kmeans_centers (const CsOnlineKmeans *s)
{
  return s->centers;
}

guint
cs_online_kmeans_steps (const CsOnlineKmeans *s)
{
  return s->steps;
}

gboolean
cs_online_kmeans_settled (const CsOnlineKmeans *s)
{
  return s->epoch > 1 && s->shift <= 1e-4 * s->variance * (double) s->d;
}

/* Lloyd's iterations on the seeding rows from centres c (until no label changes, at most 50):
 * a seeding is judged, and learning starts, from the local optimum it leads to on those rows,
 * which keeps a lucky-looking seeding from sending the batches into a poor optimum. Returns
 * the inertia on the rows. */
static double
lloyd_on_rows (const double *rows, gsize m, gsize d, guint k, double *c, CsProgress *progress)
{
  g_autofree int *lab = g_new (int, MAX (m, 1));
  g_autofree double *sum = g_new (double, (gsize) k * d);
  g_autofree gsize *cnt = g_new (gsize, k);
  double inertia = 0.0;

  for (gsize i = 0; i < m; i++)
    lab[i] = -1;
  for (guint it = 0; it <= 50; it++)
    {
      gsize changed = 0;

      if (cs_progress_is_cancelled (progress))
        return NAN;
      inertia = 0.0;
      for (gsize i = 0; i < m; i++)
        {
          double dist;
          int    j = (int) cs_i_nearest_center (rows + i * d, c, k, d, &dist);
          changed += j != lab[i];
          lab[i] = j;
          inertia += dist;
        }
      if (changed == 0 || it == 50)
        break;
      memset (sum, 0, (gsize) k * d * sizeof (double));
      memset (cnt, 0, k * sizeof (gsize));
      for (gsize i = 0; i < m; i++)
        {
          for (gsize t = 0; t < d; t++)
            sum[(gsize) lab[i] * d + t] += rows[i * d + t];
          cnt[lab[i]]++;
        }
      for (guint j = 0; j < k; j++)
        if (cnt[j] > 0)
          for (gsize t = 0; t < d; t++)
            c[(gsize) j * d + t] = sum[(gsize) j * d + t] / (double) cnt[j];
    }
  return inertia;
}

/* k-means++ on the first rows, then Lloyd on them, n_init times; the seeding with the lowest inertia on them wins.
 * Records the scale the soft assignment's temperature is relative to. */
static gboolean
seed_centers (CsOnlineKmeans *s, const double *rows, gsize m, GError **error)
{
  CsMatrix  view = { m, s->d, (double *) rows };
  guint     k = s->o.k;
  gsize     d = s->d;
  double    best = INFINITY;
  g_autofree double *c = g_new (double, (gsize) k * d);
  g_autofree double *mean = g_new0 (double, d);

  s->centers = cs_matrix_new (k, d);
  for (guint r = 0; r < s->o.n_init; r++)
    {
      CsRng  rng;
      double inertia = 0.0;

      cs_rng_init_stream (&rng, s->o.seed, r);
      cs_i_plusplus (&view, 0, k, &rng, c);
      inertia = lloyd_on_rows (rows, m, d, k, c, s->progress);
      if (!cs_progress_check (s->progress, error))
        {
          g_clear_pointer (&s->centers, cs_matrix_free);
          return FALSE;
        }
      if (inertia < best)
        {
          best = inertia;
          memcpy (s->centers->data, c, (gsize) k * d * sizeof (double));
        }
    }
  s->scale = best / (double) m;
  if (!(s->scale > 0.0))
    s->scale = 1.0;
  for (gsize i = 0; i < m; i++)
    for (gsize t = 0; t < d; t++)
      mean[t] += rows[i * d + t];
  s->variance = 0.0;
  for (gsize t = 0; t < d; t++)
    mean[t] /= (double) m;
  for (gsize i = 0; i < m; i++)
    for (gsize t = 0; t < d; t++)
      s->variance += (rows[i * d + t] - mean[t]) * (rows[i * d + t] - mean[t]);
  s->variance /= (double) m * (double) d;
  s->previous = cs_matrix_copy (s->centers);
  return TRUE;
}

static void
step_minibatch (CsOnlineKmeans *s, const double *rows, gsize m)
{
  guint   k = s->o.k;
  gsize   d = s->d;
  double *c = s->centers->data;

  memset (s->sums, 0, (gsize) k * d * sizeof (double));
  memset (s->weights, 0, k * sizeof (double));
  for (gsize i = 0; i < m; i++)
    {
      guint j = cs_i_nearest_center (rows + i * d, c, k, d, NULL);
      for (gsize t = 0; t < d; t++)
        s->sums[(gsize) j * d + t] += rows[i * d + t];
      s->weights[j] += 1.0;
    }
  for (guint j = 0; j < k; j++)
    if (s->weights[j] > 0)
      {
        double total = s->counts[j] + s->weights[j];
        for (gsize t = 0; t < d; t++)
          c[(gsize) j * d + t] = (c[(gsize) j * d + t] * s->counts[j] + s->sums[(gsize) j * d + t]) / total;
        s->counts[j] = total;
      }
}

static void
step_tell (CsOnlineKmeans *s, const double *rows, gsize m)
{
  guint   k = s->o.k;
  gsize   d = s->d;
  double *c = s->centers->data;
  double  eta = s->o.learning_rate / (1.0 + (double) s->epoch);
  double  tau = s->o.temperature * s->scale;

  memset (s->sums, 0, (gsize) k * d * sizeof (double));
  memset (s->weights, 0, k * sizeof (double));
  for (gsize i = 0; i < m; i++)
    {
      const double *xi = rows + i * d;
      double       *r = s->resp + i * k;

      if (tau > 0.0)
        {
          double lo = INFINITY, z = 0.0;
          for (guint j = 0; j < k; j++)
            {
              r[j] = cs_sqdist (xi, c + (gsize) j * d, d);
              lo = MIN (lo, r[j]);
            }
          /* Softmax of −dist / τ, shifted by the smallest distance so exp never overflows. */
          for (guint j = 0; j < k; j++)
            z += r[j] = exp (-(r[j] - lo) / tau);
          for (guint j = 0; j < k; j++)
            r[j] /= z;
        }
      else
        {
          guint b = cs_i_nearest_center (xi, c, k, d, NULL);
          memset (r, 0, k * sizeof (double));
          r[b] = 1.0;
        }
      for (guint j = 0; j < k; j++)
        if (r[j] != 0.0)
          {
            for (gsize t = 0; t < d; t++)
              s->sums[(gsize) j * d + t] += r[j] * xi[t];
            s->weights[j] += r[j];
          }
    }
  /* ∂L/∂Ω_j = (2/|B|) (W_j Ω_j − S_j), W_j = Σ_i I_ij, S_j = Σ_i I_ij x_i. The step factor is
   * clipped at 1, where Ω_j lands on the batch mean of its rows: a larger step would overshoot
   * it, which no gradient step of a convex quadratic should. */
  for (guint j = 0; j < k; j++)
    if (s->weights[j] > 0)
      {
        double a = MIN (2.0 * eta * s->weights[j] / (double) m, 1.0);
        for (gsize t = 0; t < d; t++)
          {
            double mean = s->sums[(gsize) j * d + t] / s->weights[j];
            c[(gsize) j * d + t] += a * (mean - c[(gsize) j * d + t]);
          }
      }
}

static void
step (CsOnlineKmeans *s, const double *rows, gsize m)
{
  if (s->o.method == CS_ONLINE_KMEANS_TELL)
    step_tell (s, rows, m);
  else
    step_minibatch (s, rows, m);
  s->steps++;
}

/* Before seeding the buffer collects init_size rows; after, batch_size. */
static gsize
want_rows (const CsOnlineKmeans *s)
{
  return s->centers == NULL ? s->init_size : s->o.batch_size;
}

/* Seeds from the buffered rows, then learns from them batch by batch; leaves the remainder
 * (less than a batch) at the front of the buffer. */
static gboolean
drain (CsOnlineKmeans *s, gboolean all, GError **error)
{
  gsize done = 0;
  gsize b = s->o.batch_size;

  if (s->centers == NULL && !seed_centers (s, s->buf, s->buf_rows, error))
    return FALSE;
  while (s->buf_rows - done >= b || (all && done < s->buf_rows))
    {
      gsize m = MIN (b, s->buf_rows - done);
      step (s, s->buf + done * s->d, m);
      done += m;
    }
  memmove (s->buf, s->buf + done * s->d, (s->buf_rows - done) * s->d * sizeof (double));
  s->buf_rows -= done;
  return TRUE;
}

gboolean
cs_online_kmeans_feed (CsOnlineKmeans *s,
                       const double   *rows,
                       gsize           n_rows,
                       GError        **error)
{
  gsize d = s->d;
  gsize at = 0;

  while (at < n_rows)
    {
      gsize want = want_rows (s);

      /* Whole batches straight from the caller's rows, without a copy. */
      if (s->centers != NULL && s->buf_rows == 0)
        {
          while (n_rows - at >= want)
            {
              step (s, rows + at * d, want);
              at += want;
            }
          if (at == n_rows)
            break;
        }
      {
        gsize take = MIN (want - s->buf_rows, n_rows - at);
        memcpy (s->buf + s->buf_rows * d, rows + at * d, take * d * sizeof (double));
        s->buf_rows += take;
        at += take;
        if (s->buf_rows == want && !drain (s, FALSE, error))
          return FALSE;
      }
    }
  return TRUE;
}

gboolean
cs_online_kmeans_end_epoch (CsOnlineKmeans *s,
                            GError        **error)
{
  if (s->centers == NULL && s->buf_rows < s->o.k)
    {
      g_autofree char *rows = cs_format_count (s->buf_rows);
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameter ‘k’ = %u must be between 1 and the number of rows (%s)", s->o.k, rows);
      return FALSE;
    }
  if ((s->buf_rows > 0 || s->centers == NULL) && !drain (s, TRUE, error))
    return FALSE;
  s->shift = 0.0;
  for (gsize e = 0; e < s->centers->rows * s->d; e++)
    {
      double t = s->centers->data[e] - s->previous->data[e];
      s->shift += t * t;
    }
  memcpy (s->previous->data, s->centers->data, s->centers->rows * s->d * sizeof (double));
  s->epoch++;
  return TRUE;
}

/* Each row to its nearest centre; returns the inertia. */
static double
label_rows (const CsMatrix *x, const CsMatrix *centers, int *labels)
{
  double inertia = 0.0;

  for (gsize i = 0; i < x->rows; i++)
    {
      double dist;
      labels[i] = (int) cs_i_nearest_center (cs_matrix_row (x, i), centers->data, (guint) centers->rows, x->cols,
                                             &dist);
      inertia += dist;
    }
  return inertia;
}

gboolean
cs_online_kmeans_run (const CsMatrix              *x,
                      const CsOnlineKmeansOptions *o,
                      CsProgress                  *progress,
                      CsTrace                     *trace,
                      CsClustering               **out,
                      GError                     **error)
{
  g_autoptr (CsOnlineKmeans) s = NULL;
  gsize         n = x->rows;
  gsize         d = x->cols;
  /* Slices of the rows between cancel checks: a few batches, whatever their size. */
  gsize         slice = MAX (o->batch_size * 8, (gsize) 4096);
  CsClustering *c;

  g_return_val_if_fail (x != NULL && o != NULL && out != NULL, FALSE);
  *out = NULL;
  if (o->k == 0 || o->k > n)
    {
      g_autofree char *rows = cs_format_count (n);
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameter ‘k’ = %u must be between 1 and the number of rows (%s)", o->k, rows);
      return FALSE;
    }
  s = cs_online_kmeans_new (o, d, error);
  if (s == NULL)
    return FALSE;
  cs_online_kmeans_set_progress (s, progress);
  c = cs_clustering_new ("online-kmeans", n, d, o->k);
  for (guint e = 0; e < o->epochs; e++)
    {
      for (gsize at = 0; at < n; at += slice)
        {
          g_autofree char *stage = g_strdup_printf ("epoch %u of %u", e + 1, o->epochs);
          if (!cs_progress_report (progress, ((double) e + (double) at / n) / o->epochs, stage)
              || cs_progress_is_cancelled (progress))
            {
              cs_clustering_unref (c);
              return cs_progress_check (progress, error);
            }
          if (!cs_online_kmeans_feed (s, cs_matrix_row (x, at), MIN (slice, n - at), error))
            {
              cs_clustering_unref (c);
              return FALSE;
            }
        }
      if (!cs_online_kmeans_end_epoch (s, error))
        {
          cs_clustering_unref (c);
          return FALSE;
        }
      if (trace)
        {
          double inertia = label_rows (x, s->centers, c->labels);
          g_autofree char *note = g_strdup_printf ("epoch %u: %u batches so far", e + 1, s->steps);
          cs_trace_add (trace, e + 1, c->labels, n, s->centers, NULL, o->k, inertia, 0, note);
        }
    }
  if (trace)
    {
      trace->n = n;
      trace->k = o->k;
    }
  c->objective = label_rows (x, s->centers, c->labels);
  c->centers = cs_matrix_copy (s->centers);
  c->objective_name = "inertia";
  c->objective_kind = CS_OBJECTIVE_INERTIA;
  c->iterations = s->steps;
  c->converged = cs_online_kmeans_settled (s);
  cs_progress_report (progress, 1.0, "done");
  *out = c;
  return TRUE;
}

static const char *const method_choices[] = { "minibatch", "tell", NULL };
static const char *const method_labels[] = { "Mini-batch (running means)", "TELL (gradient step)", NULL };

static const CsParamSpec online_params[] = {
  { .name = "k", .label = "Clusters (k)", .help = "How many clusters to find.", .type = CS_PARAM_INT, .min = 1,
    .max = 1000, .default_num = 3 },
  { .name = "method", .label = "Update rule",
    .help = "Mini-batch moves each centre to the running mean of its rows; TELL takes one gradient step of the "
            "k-means loss per batch.",
    .type = CS_PARAM_ENUM, .default_str = "minibatch", .choices = method_choices, .choice_labels = method_labels },
  { .name = "batch_size", .label = "Batch size", .help = "Rows per update: consecutive rows, in file order.",
    .type = CS_PARAM_INT, .min = 1, .max = 10000000, .default_num = 1024 },
  { .name = "epochs", .label = "Passes over the data", .help = "How many times every row is seen.",
    .type = CS_PARAM_INT, .min = 1, .max = 10000, .default_num = 10 },
  { .name = "learning_rate", .label = "Learning rate (TELL)",
    .help = "TELL's step size in the first pass, divided by 1 + the pass number after; unused by mini-batch.",
    .type = CS_PARAM_DOUBLE, .min = 1e-6, .max = 10, .default_num = 0.2, .log_scale = TRUE, .advanced = TRUE },
  { .name = "temperature", .label = "Softness (TELL)",
    .help = "TELL's assignment as a softmax of distances at this temperature (relative to the typical distance); "
            "Hard gives each row to its nearest centre only.",
    .type = CS_PARAM_DOUBLE, .min = 0, .max = 100, .default_num = 0, .zero_label = "Hard", .advanced = TRUE },
  { .name = "n_init", .label = "Seedings",
    .help = "k-means++ seedings, each refined by k-means on the first rows; the one with the lowest inertia on "
            "them starts.",
    .type = CS_PARAM_INT, .min = 1, .max = 100, .default_num = 5, .advanced = TRUE },
  { .name = "init_size", .label = "Seeding rows",
    .help = "How many of the first rows the seeding looks at; Automatic is three batches.",
    .type = CS_PARAM_INT, .min = 0, .max = 10000000, .default_num = 0, .zero_label = "Automatic", .advanced = TRUE },
  { .name = "seed", .label = "Random seed",
    .help = "The same seed gives the same clustering on any machine and any number of threads.",
    .type = CS_PARAM_INT, .min = 0, .max = 2147483647.0, .default_num = 0 },
};

void
cs_i_online_kmeans_options_from_params (const CsParams        *params,
                                        CsOnlineKmeansOptions *o)
{
  cs_online_kmeans_options_init (o);
  o->k = (guint) cs_params_get_int (params, "k");
  o->method = g_strcmp0 (cs_params_get_string (params, "method"), "tell") == 0 ? CS_ONLINE_KMEANS_TELL
                                                                               : CS_ONLINE_KMEANS_MINIBATCH;
  o->batch_size = (gsize) cs_params_get_int (params, "batch_size");
  o->epochs = (guint) cs_params_get_int (params, "epochs");
  o->learning_rate = cs_params_get_double (params, "learning_rate");
  o->temperature = cs_params_get_double (params, "temperature");
  o->n_init = (guint) cs_params_get_int (params, "n_init");
  o->init_size = (gsize) cs_params_get_int (params, "init_size");
  o->seed = (guint64) cs_params_get_int (params, "seed");
}

static gboolean
online_run_params (const CsMatrix *x,
                   const CsParams *params,
                   CsProgress     *progress,
                   CsTrace        *trace,
                   CsClustering  **out,
                   GError        **error)
{
  CsOnlineKmeansOptions o;

  cs_i_online_kmeans_options_from_params (params, &o);
  return cs_online_kmeans_run (x, &o, progress, trace, out, error);
}

const CsAlgorithm cs_algorithm_online_kmeans = {
  .id = "online-kmeans",
  .name = "Online k-means",
  .description = "k-means learnt from mini-batches of consecutive rows (mini-batch k-means, or TELL's gradient "
                 "step), for data larger than memory: the CLI's --stream reads the file in chunks. Its centres "
                 "are its explanation.",
  .category = "Centroid",
  .objective = CS_OBJECTIVE_INERTIA,
  .params = online_params,
  .n_params = G_N_ELEMENTS (online_params),
  .run = online_run_params,
};
