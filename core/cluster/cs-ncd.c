/* Novel class discovery by k-means with the known classes' centres held fixed, and the number
 * of novel classes estimated by hiding known classes and scoring how well they are found again.
 * The procedure is ours, after the idea of Troisemaine et al.; docs/algorithms.md, "Novel class
 * discovery", states it step by step. */
#include "core/cluster/cs-ncd.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-matrix-private.h"
#include "core/cluster/cs-centroid-private.h"
#include "core/graph/cs-graph.h"
#include "core/graph/cs-kernel-cluster.h"
#include "core/metrics/cs-metrics.h"

void
cs_ncd_options_init (CsNcdOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->k_novel = 0;
  options->k_novel_max = 10;
  options->n_folds = 3;
  options->n_init = 3;
  options->max_iter = 300;
}

/* One fit: the rows listed in `rows` (m of them) clustered around kf fixed centres F and q free
 * ones started by k-means++ (the fixed ones counting as chosen). labels receives m entries in
 * [0, kf + q), centers (kf + q) × d. With full_labels and trace, every iteration is recorded
 * with the rows written into full_labels. */
typedef struct
{
  const CsMatrix *x;
  const gsize    *rows;
  gsize           m;
  const double   *F;
  guint           kf;
  guint           q;
  guint           n_init;
  guint           max_iter;
  guint64         seed;
  guint64         stream;
  CsProgress     *progress;
} Fit;

static gboolean
fit_once (const Fit    *f,
          int          *labels,
          double       *centers,
          double       *inertia,
          guint        *iterations,
          gboolean     *converged,
          int          *full_labels,
          CsTrace      *trace,
          GError      **error)
{
  gsize             d = f->x->cols;
  guint             k = f->kf + f->q;
  double            best = INFINITY;
  g_autoptr (CsMatrix) sub = cs_matrix_new (f->m, d);
  g_autofree double *c = g_new (double, (gsize) k * d);
  g_autofree double *sum = g_new (double, (gsize) k * d);
  g_autofree gsize *cnt = g_new (gsize, k);
  g_autofree int *lab = g_new (int, MAX (f->m, 1));

  for (gsize i = 0; i < f->m; i++)
    memcpy (cs_matrix_row (sub, i), cs_matrix_row (f->x, f->rows[i]), d * sizeof (double));
  g_autoptr (CsTrace) best_trace = NULL;

  for (guint r = 0; r < f->n_init; r++)
    {
      CsRng    rng;
      double   total = 0.0;
      guint    it = 0;
      gboolean conv = FALSE;
      g_autoptr (CsTrace) run_trace = trace ? cs_trace_new (trace->max_steps) : NULL;

      cs_rng_init_stream (&rng, f->seed, f->stream * 1000 + r);
      if (f->kf > 0)
        memcpy (c, f->F, (gsize) f->kf * d * sizeof (double));
      if (f->q > 0)
        cs_i_plusplus (sub, f->kf, k, &rng, c);
      for (gsize i = 0; i < f->m; i++)
        lab[i] = -1;
      while (it < f->max_iter)
        {
          gsize changed = 0;

          if (!cs_progress_check (f->progress, error))
            return FALSE;
          total = 0.0;
          for (gsize i = 0; i < f->m; i++)
            {
              double dist;
              int    j = (int) cs_i_nearest_center (cs_matrix_row (sub, i), c, k, d, &dist);
              changed += j != lab[i];
              lab[i] = j;
              total += dist;
            }
          it++;
          if (changed == 0)
            {
              conv = TRUE;
              break;
            }
          /* Only the novel centres move: the known ones stay at their classes' means. */
          memset (sum, 0, (gsize) k * d * sizeof (double));
          memset (cnt, 0, k * sizeof (gsize));
          for (gsize i = 0; i < f->m; i++)
            {
              if ((guint) lab[i] < f->kf)
                continue;
              for (gsize t = 0; t < d; t++)
                sum[(gsize) lab[i] * d + t] += sub->data[i * d + t];
              cnt[lab[i]]++;
            }
          for (guint j = f->kf; j < k; j++)
            if (cnt[j] > 0)
              for (gsize t = 0; t < d; t++)
                c[(gsize) j * d + t] = sum[(gsize) j * d + t] / (double) cnt[j];
          if (run_trace != NULL)
            {
              CsMatrix view = { k, d, c };
              for (gsize i = 0; i < f->m; i++)
                full_labels[f->rows[i]] = lab[i];
              cs_trace_add (run_trace, it, full_labels, trace->n, &view, NULL, k, total, changed, NULL);
            }
        }
      if (total < best)
        {
          best = total;
          memcpy (labels, lab, f->m * sizeof (int));
          memcpy (centers, c, (gsize) k * d * sizeof (double));
          *iterations = it;
          *converged = conv;
          g_clear_pointer (&best_trace, cs_trace_free);
          best_trace = g_steal_pointer (&run_trace);
        }
    }
  /* Only the winning start's steps are kept. */
  if (trace != NULL && best_trace != NULL)
    while (best_trace->steps->len > 0)
      g_ptr_array_add (trace->steps, g_ptr_array_steal_index (best_trace->steps, 0));
  *inertia = best;
  return TRUE;
}

/* How well the hidden classes were found again: for each, the cluster holding most of its rows;
 * recall = its share of the class, precision = the class's share of that cluster (over every
 * row clustered, so a hidden class merged with novel rows scores low); the mean F1. */
static double
rediscovery_score (const int *truth, const int *labels, gsize m, guint k, const guint *hidden, guint n_hidden,
                   guint n_classes)
{
  g_autofree gsize *table = g_new0 (gsize, (gsize) n_classes * k);
  g_autofree gsize *size = g_new0 (gsize, k);
  g_autofree gsize *class_size = g_new0 (gsize, n_classes);
  double            score = 0.0;

  for (gsize i = 0; i < m; i++)
    {
      size[labels[i]]++;
      if (truth[i] >= 0)
        {
          table[(gsize) truth[i] * k + labels[i]]++;
          class_size[truth[i]]++;
        }
    }
  for (guint h = 0; h < n_hidden; h++)
    {
      guint  cl = hidden[h];
      guint  b = 0;
      double p, r;

      for (guint j = 1; j < k; j++)
        if (table[(gsize) cl * k + j] > table[(gsize) cl * k + b])
          b = j;
      if (class_size[cl] == 0 || table[(gsize) cl * k + b] == 0)
        continue;
      r = (double) table[(gsize) cl * k + b] / (double) class_size[cl];
      p = (double) table[(gsize) cl * k + b] / (double) size[b];
      score += 2.0 * p * r / (p + r);
    }
  return score / n_hidden;
}

/* The space a fit with k centres in all clusters in: the data itself (NULL), or for a spectral
 * embedding (columns by descending eigenvalue) its first k columns with every row scaled to
 * unit length, as Ng, Jordan & Weiss cluster k groups in k eigenvectors. Unit rows make a
 * merge of two groups cost by their sizes alone; without them every merge of separate
 * components costs the same, and the cross-validation could not tell counts apart. */
static CsMatrix *
make_space (const CsMatrix *x,
            gboolean        nested,
            guint           k)
{
  gsize     dim = MIN ((gsize) MAX (k, 1), x->cols);
  CsMatrix *m;

  if (!nested)
    return NULL;
  m = cs_matrix_new (x->rows, dim);
  for (gsize i = 0; i < x->rows; i++)
    {
      double *r = cs_matrix_row (m, i);
      double  norm = 0.0;
      memcpy (r, cs_matrix_row (x, i), dim * sizeof (double));
      for (gsize t = 0; t < dim; t++)
        norm += r[t] * r[t];
      norm = sqrt (norm);
      if (norm > 0.0)
        for (gsize t = 0; t < dim; t++)
          r[t] /= norm;
    }
  return m;
}

/* The means of the known classes' rows (cls[i] in [0, kk)) in x: kk × x->cols. */
static double *
class_means (const CsMatrix *x,
             const int      *cls,
             guint           kk)
{
  gsize              d = x->cols;
  double            *F = g_new0 (double, MAX (kk, 1) * d);
  g_autofree gsize *size = g_new0 (gsize, MAX (kk, 1));

  for (gsize i = 0; i < x->rows; i++)
    if (cls[i] >= 0)
      {
        for (gsize t = 0; t < d; t++)
          F[(gsize) cls[i] * d + t] += x->data[i * d + t];
        size[cls[i]]++;
      }
  for (guint j = 0; j < kk; j++)
    for (gsize t = 0; t < d; t++)
      F[(gsize) j * d + t] /= (double) size[j];
  return F;
}

/* Both variants: x is the space clustered (the data, or the spectral embedding when nested). */
static gboolean
ncd_run (const char         *id,
         const CsMatrix     *x,
         gboolean            nested,
         const int          *known,
         const CsNcdOptions *o,
         CsProgress         *progress,
         CsTrace            *trace,
         CsClustering      **out,
         GError            **error)
{
  gsize             n = x->rows;
  gsize             d = x->cols;
  g_autofree int   *cls = g_new (int, MAX (n, 1));  /* compact known class, or -1 */
  g_autoptr (GArray) unl = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr (GHashTable) map = g_hash_table_new (NULL, NULL);
  g_autofree double *scores = NULL;
  guint             kk = 0;
  guint             q = o->k_novel;
  guint             qmax = o->k_novel_max;
  guint             n_scores = 0;
  guint             score_k_min = 0;
  CsClustering     *c;

  g_return_val_if_fail (x != NULL && o != NULL && out != NULL, FALSE);
  *out = NULL;
  if (o->n_init == 0 || o->max_iter == 0 || o->n_folds == 0 || qmax == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameters ‘k_novel_max’, ‘n_folds’, ‘n_init’ and ‘max_iter’ must be at least 1");
      return FALSE;
    }
  /* Known classes numbered in the order of their class index. */
  {
    int top = -1;
    for (gsize i = 0; known != NULL && i < n; i++)
      top = MAX (top, known[i]);
    for (int v = 0; v <= top; v++)
      for (gsize i = 0; i < n; i++)
        if (known[i] == v)
          {
            g_hash_table_insert (map, GINT_TO_POINTER (v + 1), GUINT_TO_POINTER (kk + 1));
            kk++;
            break;
          }
  }
  for (gsize i = 0; i < n; i++)
    {
      cls[i] = known != NULL && known[i] >= 0
                 ? (int) GPOINTER_TO_UINT (g_hash_table_lookup (map, GINT_TO_POINTER (known[i] + 1))) - 1
                 : -1;
      if (cls[i] < 0)
        g_array_append_val (unl, i);
    }
  if (q > 0 && q > unl->len)
    {
      g_autofree char *rows = cs_format_count (unl->len);
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameter ‘k_novel’ = %u is more than the %s rows without a known class", q, rows);
      return FALSE;
    }
  qmax = MIN (qmax, (guint) MAX (unl->len, 1));

  if (q == 0 && kk == 0)
    {
      /* Nothing to hide: the best sampled silhouette over k = 2 … k_novel_max (k = 1 when
       * that is all the range allows). */
      double best = -INFINITY;
      q = 1;
      score_k_min = 2;
      n_scores = qmax >= 2 ? qmax - 1 : 0;
      scores = g_new (double, MAX (n_scores, 1));
      for (guint t = 2; t <= qmax; t++)
        {
          g_autoptr (CsMatrix) space = make_space (x, nested, t);
          const CsMatrix *xs = space != NULL ? space : x;
          Fit f = { xs, (const gsize *) (gpointer) unl->data, unl->len, NULL, 0, t, o->n_init, o->max_iter, o->seed,
                    t, progress };
          g_autofree int *lab = g_new (int, unl->len);
          g_autofree double *cen = g_new (double, (gsize) t * xs->cols);
          double inertia, s = NAN;
          guint it;
          gboolean conv;
          g_autofree char *stage = g_strdup_printf ("estimating k: %u of %u", t, qmax);

          if (!cs_progress_report (progress, 0.9 * (t - 1) / qmax, stage))
            return cs_progress_check (progress, error);
          if (!fit_once (&f, lab, cen, &inertia, &it, &conv, NULL, NULL, error))
            return FALSE;
          /* In the space the fit saw: an embedding's later columns are not part of it. */
          if (!cs_metric_silhouette (xs, lab, t, 1000, o->seed, NULL, &s, NULL, error))
            return FALSE;
          scores[t - 2] = s;
          if (s > best + 1e-12)
            {
              best = s;
              q = t;
            }
        }
    }
  else if (q == 0)
    {
      guint             nf = MIN (o->n_folds, kk);
      g_autofree guint *perm = g_new (guint, kk);
      g_autofree guint *fold = g_new (guint, kk);
      double            best = -INFINITY;
      CsRng             rng;

      /* Classes shuffled by the seed, then dealt round-robin into folds. */
      cs_rng_init_stream (&rng, o->seed, G_GUINT64_CONSTANT (0x6e6364));
      for (guint j = 0; j < kk; j++)
        perm[j] = j;
      for (guint j = kk; j > 1; j--)
        {
          guint r = (guint) cs_rng_below (&rng, j);
          guint t = perm[j - 1];
          perm[j - 1] = perm[r];
          perm[r] = t;
        }
      for (guint j = 0; j < kk; j++)
        fold[perm[j]] = j % nf;
      score_k_min = kk + 1;
      n_scores = qmax;
      scores = g_new0 (double, qmax);
      for (guint f = 0; f < nf; f++)
        {
          g_autoptr (GArray) rows = g_array_copy (unl);
          g_autofree guint *hidden = g_new (guint, kk);
          g_autofree guint *kept = g_new (guint, kk);
          g_autofree int *truth = NULL;
          guint nh = 0, nk = 0;

          for (guint j = 0; j < kk; j++)
            if (fold[j] == f)
              hidden[nh++] = j;
            else
              kept[nk++] = j;
          for (gsize i = 0; i < n; i++)
            if (cls[i] >= 0 && fold[cls[i]] == f)
              g_array_append_val (rows, i);
          truth = g_new (int, MAX (rows->len, 1));
          for (guint i = 0; i < rows->len; i++)
            truth[i] = cls[g_array_index (rows, gsize, i)];
          for (guint t = 1; t <= qmax; t++)
            {
              guint    k = nk + nh + t;
              g_autoptr (CsMatrix) space = NULL;
              const CsMatrix *xs;
              g_autofree double *Fa = NULL;
              g_autofree double *Ff = NULL;
              g_autofree int *lab = g_new (int, MAX (rows->len, 1));
              g_autofree double *cen = NULL;
              double   inertia;
              guint    it;
              gboolean conv;
              g_autofree char *stage = g_strdup_printf ("estimating novel classes: fold %u of %u, %u novel", f + 1,
                                                        nf, t);

              if (!cs_progress_report (progress, 0.9 * (f * qmax + t - 1) / (nf * qmax), stage))
                return cs_progress_check (progress, error);
              if (nh + t > rows->len)
                {
                  scores[t - 1] += 0.0;
                  continue;
                }
              space = make_space (x, nested, k);
              xs = space != NULL ? space : x;
              Fa = class_means (xs, cls, kk);
              Ff = g_new (double, MAX (nk, 1) * xs->cols);
              for (guint j = 0; j < nk; j++)
                memcpy (Ff + (gsize) j * xs->cols, Fa + (gsize) kept[j] * xs->cols, xs->cols * sizeof (double));
              cen = g_new (double, (gsize) k * xs->cols);
              Fit fi = { xs, (const gsize *) (gpointer) rows->data, rows->len, Ff, nk, nh + t, o->n_init,
                         o->max_iter, o->seed, (guint64) (f + 1) * 10007 + t, progress };
              if (!fit_once (&fi, lab, cen, &inertia, &it, &conv, NULL, NULL, error))
                return FALSE;
              scores[t - 1] += rediscovery_score (truth, lab, rows->len, k, hidden, nh, kk) / nf;
            }
        }
      for (guint t = 1; t <= qmax; t++)
        best = MAX (best, scores[t - 1]);
      /* The smallest count within 0.02 of the best: more centres than classes leave the score
       * flat when the extra ones split novel classes, so the plateau's start is the count. */
      for (guint t = 1; t <= qmax; t++)
        if (scores[t - 1] >= best - 0.02)
          {
            q = t;
            break;
          }
    }

  {
    guint             k = kk + q;
    g_autoptr (CsMatrix) space = make_space (x, nested, k);
    const CsMatrix   *xs = space != NULL ? space : x;
    gsize             dim = xs->cols;
    g_autofree double *F = class_means (xs, cls, kk);
    Fit               f = { xs, (const gsize *) (gpointer) unl->data, unl->len, F, kk, q, o->n_init, o->max_iter,
                            o->seed, 0, progress };
    g_autofree int   *lab = g_new (int, MAX (unl->len, 1));
    g_autofree double *cen = g_new (double, (gsize) k * dim);
    double            inertia = 0.0;
    guint             it = 0;
    gboolean          conv = TRUE;

    if (!cs_progress_report (progress, 0.9, "clustering the rows without a class"))
      return cs_progress_check (progress, error);
    c = cs_clustering_new (id, n, d, k);
    for (gsize i = 0; i < n; i++)
      c->labels[i] = cls[i];
    if (trace)
      {
        trace->n = n;
        trace->k = k;
      }
    if (unl->len > 0 && !fit_once (&f, lab, cen, &inertia, &it, &conv, c->labels, trace, error))
      {
        cs_clustering_unref (c);
        return FALSE;
      }
    if (unl->len == 0)
      memcpy (cen, F, (gsize) kk * dim * sizeof (double));
    for (guint i = 0; i < unl->len; i++)
      c->labels[g_array_index (unl, gsize, i)] = lab[i];
    c->centers = cs_matrix_new_from_data (k, dim, cen);
    c->objective = cs_metric_inertia (xs, c->labels, c->centers);
    c->objective_name = "inertia";
    c->objective_kind = CS_OBJECTIVE_INERTIA;
    c->iterations = it;
    c->converged = conv;
    c->k_known = kk;
    if (scores != NULL && n_scores > 0)
      {
        c->score_by_k = g_steal_pointer (&scores);
        c->score_k_min = score_k_min;
        c->n_scores = n_scores;
      }
  }
  cs_progress_report (progress, 1.0, "done");
  *out = c;
  return TRUE;
}

gboolean
cs_ncd_kmeans_run (const CsMatrix     *x,
                   const int          *known,
                   const CsNcdOptions *o,
                   CsProgress         *progress,
                   CsTrace            *trace,
                   CsClustering      **out,
                   GError            **error)
{
  return ncd_run ("ncd-kmeans", x, FALSE, known, o, progress, trace, out, error);
}

static void
options_from_params (const CsParams *params, CsNcdOptions *o)
{
  cs_ncd_options_init (o);
  o->k_novel = (guint) cs_params_get_int (params, "k_novel");
  o->k_novel_max = (guint) cs_params_get_int (params, "k_novel_max");
  o->n_folds = (guint) cs_params_get_int (params, "n_folds");
  o->n_init = (guint) cs_params_get_int (params, "n_init");
  o->max_iter = (guint) cs_params_get_int (params, "max_iter");
  o->seed = (guint64) cs_params_get_int (params, "seed");
}

static gboolean
ncd_run_params (const CsMatrix *x,
                const CsParams *params,
                CsProgress     *progress,
                CsTrace        *trace,
                CsClustering  **out,
                GError        **error)
{
  CsNcdOptions o;

  options_from_params (params, &o);
  return cs_ncd_kmeans_run (x, NULL, &o, progress, trace, out, error);
}

static gboolean
ncd_run_labelled (const CsMatrix *x,
                  const int      *known,
                  const CsParams *params,
                  CsProgress     *progress,
                  CsTrace        *trace,
                  CsClustering  **out,
                  GError        **error)
{
  CsNcdOptions o;

  options_from_params (params, &o);
  return cs_ncd_kmeans_run (x, known, &o, progress, trace, out, error);
}

static const CsParamSpec ncd_params[] = {
  { .name = "k_novel", .label = "Novel classes",
    .help = "How many classes beyond the known ones (the label column; rows without a label are the ones "
            "clustered); Estimate hides known classes in turn and picks the count that finds them again best.",
    .type = CS_PARAM_INT, .min = 0, .max = 1000, .default_num = 0, .zero_label = "Estimate" },
  { .name = "k_novel_max", .label = "Most novel classes",
    .help = "The estimate tries 1 up to this many novel classes.", .type = CS_PARAM_INT, .min = 1, .max = 1000,
    .default_num = 8 },
  { .name = "n_folds", .label = "Folds of known classes",
    .help = "The known classes are split into this many folds; each fold is hidden once and scored on how well "
            "its classes are found again.",
    .type = CS_PARAM_INT, .min = 1, .max = 100, .default_num = 3, .advanced = TRUE },
  { .name = "n_init", .label = "Restarts",
    .help = "k-means++ starts of the novel centres per fit; the one with the lowest inertia is kept.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000, .default_num = 3, .advanced = TRUE },
  { .name = "max_iter", .label = "Maximum iterations", .help = "Each fit stops after this many iterations at the latest.",
    .type = CS_PARAM_INT, .min = 1, .max = 100000, .default_num = 300, .advanced = TRUE },
  { .name = "seed", .label = "Random seed",
    .help = "The same seed gives the same clustering on any machine and any number of threads.",
    .type = CS_PARAM_INT, .min = 0, .max = 2147483647.0, .default_num = 0 },
};

const CsAlgorithm cs_algorithm_ncd_kmeans = {
  .id = "ncd-kmeans",
  .name = "Novel class discovery",
  .description = "Rows of known classes (the label column) keep them; the rows without a label are clustered by "
                 "k-means around the known classes' fixed centres plus free ones for novel classes, whose number "
                 "can be estimated.",
  .category = "Centroid",
  .objective = CS_OBJECTIVE_INERTIA,
  .params = ncd_params,
  .n_params = G_N_ELEMENTS (ncd_params),
  .run = ncd_run_params,
  .run_labelled = ncd_run_labelled,
};

/* ---- the spectral variant ---- */

void
cs_ncd_spectral_options_init (CsNcdSpectralOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->affinity = CS_NCD_AFFINITY_KNN;
  options->n_neighbors = 10;
  options->gamma = 0.0;
  options->landmarks = 500;
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;
  return (x > y) - (x < y);
}

/* The k-NN graph's edges reweighted by the Gaussian of their length: a sparse RBF affinity
 * (the dense one would hold n² weights). *gamma 0 becomes 1 / the median squared edge length. */
static CsGraph *
rbf_graph (const CsMatrix *x,
           const CsGraph  *knn,
           double         *gamma,
           GError        **error)
{
  gsize              n = knn->n;
  gsize              m = knn->n_edges;
  g_autofree guint32 *u = g_new (guint32, MAX (m, 1));
  g_autofree guint32 *v = g_new (guint32, MAX (m, 1));
  g_autofree double *w = g_new (double, MAX (m, 1));
  gsize              e = 0;

  for (gsize i = 0; i < n; i++)
    for (gsize t = knn->row_ptr[i]; t < knn->row_ptr[i + 1]; t++)
      if (knn->col[t] > i)
        {
          const double *a = cs_matrix_row (x, i);
          const double *b = cs_matrix_row (x, knn->col[t]);
          double        s = 0.0;
          for (gsize j = 0; j < x->cols; j++)
            s += (a[j] - b[j]) * (a[j] - b[j]);
          u[e] = (guint32) i;
          v[e] = knn->col[t];
          w[e] = s;
          e++;
        }
  if (*gamma == 0.0)
    {
      g_autofree double *sorted = g_memdup2 (w, MAX (e, 1) * sizeof (double));
      double             med;
      qsort (sorted, e, sizeof (double), cmp_double);
      med = e > 0 ? sorted[e / 2] : 0.0;
      *gamma = med > 0.0 ? 1.0 / med : 1.0;
    }
  /* A weight that underflows keeps its edge at the smallest normal weight: the graph's
   * connectivity stays the k-NN graph's. */
  for (gsize t = 0; t < e; t++)
    w[t] = MAX (exp (-*gamma * w[t]), G_MINDOUBLE);
  return cs_graph_new_from_edges (n, u, v, w, e, error);
}

/* Rows not among the landmarks: the mean of the embeddings of their n_neighbors nearest
 * landmarks (Gaussian-weighted for the RBF affinity) — one step of the random walk on which
 * the eigenvectors are (nearly) invariant, the Nyström extension with λ ≈ 1. */
static gboolean
extend_embedding (const CsMatrix *x,
                  const gsize    *land,
                  const CsMatrix *xl,
                  const CsMatrix *el,
                  guint           nn,
                  gboolean        rbf,
                  double          gamma,
                  CsProgress     *progress,
                  CsMatrix       *e,
                  GError        **error)
{
  gsize              n = x->rows;
  gsize              m = xl->rows;
  gsize              dim = el->cols;
  const gsize        block = 256;
  g_autofree double *sqx = g_new (double, n);
  g_autofree double *sql = g_new (double, m);
  g_autofree guint8 *is_land = g_new0 (guint8, n);

  cs_matrix_row_sqnorms (x, sqx);
  cs_matrix_row_sqnorms (xl, sql);
  for (gsize j = 0; j < m; j++)
    {
      is_land[land[j]] = 1;
      memcpy (cs_matrix_row (e, land[j]), cs_matrix_row (el, j), dim * sizeof (double));
    }
  for (gsize i0 = 0; i0 < n; i0 += block)
    {
      gsize              nb = MIN (block, n - i0);
      g_autofree double *dist = g_new (double, nb * m);

      if (!cs_progress_check (progress, error))
        return FALSE;
      cs_matrix_sqdist_block (x, sqx, i0, nb, xl, sql, dist);
#pragma omp parallel for schedule(static)
      for (gsize r = 0; r < nb; r++)
        {
          gsize             i = i0 + r;
          g_autofree double *bd = NULL;
          g_autofree gsize *bj = NULL;
          guint             have = 0;
          double           *ei = cs_matrix_row (e, i);
          double            wsum = 0.0;

          if (is_land[i])
            continue;
          bd = g_new (double, nn);
          bj = g_new (gsize, nn);
          /* The nn smallest distances by insertion, ties to the lower landmark. */
          for (gsize j = 0; j < m; j++)
            {
              double dj = dist[r * m + j];
              guint  p;
              if (have == nn && dj >= bd[nn - 1])
                continue;
              p = have < nn ? have++ : nn - 1;
              while (p > 0 && bd[p - 1] > dj)
                {
                  bd[p] = bd[p - 1];
                  bj[p] = bj[p - 1];
                  p--;
                }
              bd[p] = dj;
              bj[p] = j;
            }
          memset (ei, 0, dim * sizeof (double));
          for (guint t = 0; t < have; t++)
            {
              /* Relative to the nearest, so a far row's weights do not all underflow. */
              double w = rbf ? exp (-gamma * (bd[t] - bd[0])) : 1.0;
              const double *ej = cs_matrix_row (el, bj[t]);
              for (gsize c = 0; c < dim; c++)
                ei[c] += w * ej[c];
              wsum += w;
            }
          for (gsize c = 0; c < dim; c++)
            ei[c] /= wsum;
        }
      cs_progress_report (progress, (double) (i0 + nb) / (double) n, "placing the other rows");
    }
  return TRUE;
}

gboolean
cs_ncd_spectral_embed (const CsMatrix             *x,
                       const CsNcdSpectralOptions *so,
                       guint                       dim,
                       guint64                     seed,
                       CsProgress                 *progress,
                       CsMatrix                  **out,
                       GError                    **error)
{
  gsize                n = x->rows;
  gsize                m = MIN (n, (gsize) so->landmarks);
  g_autofree gsize    *land = NULL;
  g_autoptr (CsMatrix) xl = NULL;
  g_autoptr (CsMatrix) el = NULL;
  g_autoptr (CsMatrix) e = NULL;
  g_autoptr (CsGraph)  knn = NULL;
  g_autoptr (CsGraph)  g = NULL;
  double               gamma = so->gamma;
  CsProgressRange      r1, r2, r3;
  g_autoptr (CsProgress) p1 = cs_progress_stage_new (&r1, progress, 0.0, 0.2);
  g_autoptr (CsProgress) p2 = cs_progress_stage_new (&r2, progress, 0.2, 0.7);
  g_autoptr (CsProgress) p3 = cs_progress_stage_new (&r3, progress, 0.7, 1.0);
  int                  saved;
  gboolean             ok;

  g_return_val_if_fail (x != NULL && so != NULL && out != NULL, FALSE);
  *out = NULL;
  if (so->landmarks < 2 || so->landmarks > CS_NCD_MAX_LANDMARKS)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "Parameter ‘landmarks’ = %u must be between 2 and %s",
                   so->landmarks, "1,000");
      return FALSE;
    }
  if (so->n_neighbors < 1 || so->n_neighbors >= m)
    {
      g_autofree char *rows = cs_format_count (m);
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameter ‘n_neighbors’ = %u is too many for the %s rows the graph is built on; choose "
                   "n_neighbors below that", so->n_neighbors, rows);
      return FALSE;
    }
  if (!(so->gamma >= 0.0) || !isfinite (so->gamma))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameter ‘gamma’ must be a finite number ≥ 0 (0: automatic)");
      return FALSE;
    }
  if (dim < 1 || dim >= m)
    {
      g_autofree char *rows = cs_format_count (m);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "a spectral embedding of %u dimensions needs more rows in its graph than that (there are %s)", dim,
                   rows);
      return FALSE;
    }
  /* The landmarks: every row, or a uniform sample (by the seed) in row order. */
  land = g_new (gsize, n);
  for (gsize i = 0; i < n; i++)
    land[i] = i;
  if (m < n)
    {
      CsRng rng;
      cs_rng_init_stream (&rng, seed, G_GUINT64_CONSTANT (0x6c616e64));
      cs_rng_sample_front (&rng, land, n, m);
      qsort (land, m, sizeof (gsize), cs_compare_gsize);
      xl = cs_matrix_new (m, x->cols);
      for (gsize j = 0; j < m; j++)
        memcpy (cs_matrix_row (xl, j), cs_matrix_row (x, land[j]), x->cols * sizeof (double));
    }
  /* One OpenBLAS thread throughout: the distances and the eigenvectors must not depend on the
   * thread count. */
  saved = cs_i_blas_single_begin (0, TRUE);
  knn = cs_graph_new_knn (xl != NULL ? xl : x, so->n_neighbors, p1, error);
  ok = knn != NULL;
  if (ok && so->affinity == CS_NCD_AFFINITY_RBF)
    {
      g = rbf_graph (xl != NULL ? xl : x, knn, &gamma, error);
      ok = g != NULL;
    }
  ok = ok && cs_progress_check (progress, error)
       && cs_spectral_embedding (g != NULL ? g : knn, dim, seed, p2, &el, error);
  if (ok && xl != NULL)
    {
      e = cs_matrix_try_new (n, dim, "spectral embedding", error);
      ok = e != NULL
           && extend_embedding (x, land, xl, el, so->n_neighbors, so->affinity == CS_NCD_AFFINITY_RBF, gamma, p3, e,
                                error);
    }
  cs_i_blas_single_end (saved);
  if (!ok)
    return FALSE;
  *out = xl != NULL ? g_steal_pointer (&e) : g_steal_pointer (&el);
  return TRUE;
}

gboolean
cs_ncd_spectral_run (const CsMatrix             *x,
                     const int                  *known,
                     const CsNcdOptions         *o,
                     const CsNcdSpectralOptions *so,
                     CsProgress                 *progress,
                     CsClustering              **out,
                     GError                    **error)
{
  gsize                n = x->rows;
  guint                kk = 0;
  guint                dim;
  g_autoptr (CsMatrix) emb = NULL;
  CsProgressRange      r1, r2;
  g_autoptr (CsProgress) p1 = cs_progress_stage_new (&r1, progress, 0.0, 0.35);
  g_autoptr (CsProgress) p2 = cs_progress_stage_new (&r2, progress, 0.35, 1.0);
  CsClustering        *c = NULL;

  g_return_val_if_fail (x != NULL && o != NULL && so != NULL && out != NULL, FALSE);
  *out = NULL;
  if (o->n_init == 0 || o->max_iter == 0 || o->n_folds == 0 || o->k_novel_max == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "Parameters ‘k_novel_max’, ‘n_folds’, ‘n_init’ and ‘max_iter’ must be at least 1");
      return FALSE;
    }
  if (n < 3)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "spectral novel class discovery needs at least 3 rows");
      return FALSE;
    }
  /* The embedding needs as many eigenvectors as the largest number of centres any fit uses. */
  if (known != NULL)
    {
      g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
      for (gsize i = 0; i < n; i++)
        if (known[i] >= 0)
          g_hash_table_add (seen, GINT_TO_POINTER (known[i] + 1));
      kk = g_hash_table_size (seen);
    }
  dim = (guint) MIN ((gsize) kk + (o->k_novel > 0 ? o->k_novel : o->k_novel_max),
                     MIN (n, (gsize) MAX (so->landmarks, 2)) - 1);
  dim = MAX (dim, 1);
  if (!cs_ncd_spectral_embed (x, so, dim, o->seed, p1, &emb, error) || !cs_progress_check (progress, error))
    return FALSE;
  if (!ncd_run ("ncd-spectral", emb, TRUE, known, o, p2, NULL, &c, error))
    return FALSE;
  /* The centres and the inertia are the embedding's; the rows are the data's. */
  g_clear_pointer (&c->centers, cs_matrix_free);
  c->d = x->cols;
  c->objective_name = "inertia in the embedding";
  cs_progress_report (progress, 1.0, "done");
  *out = c;
  return TRUE;
}

static const char *const affinity_choices[] = { "knn", "rbf", NULL };
static const char *const affinity_labels[] = { "Nearest neighbours", "Gaussian on nearest neighbours", NULL };

static gboolean
spectral_options_from_params (const CsParams       *params,
                              CsNcdOptions         *o,
                              CsNcdSpectralOptions *so)
{
  options_from_params (params, o);
  cs_ncd_spectral_options_init (so);
  so->affinity = g_strcmp0 (cs_params_get_string (params, "affinity"), "rbf") == 0 ? CS_NCD_AFFINITY_RBF
                                                                                   : CS_NCD_AFFINITY_KNN;
  so->n_neighbors = (guint) cs_params_get_int (params, "n_neighbors");
  so->gamma = cs_params_get_double (params, "gamma");
  so->landmarks = (guint) cs_params_get_int (params, "landmarks");
  return TRUE;
}

static gboolean
ncd_spectral_run_params (const CsMatrix *x,
                         const CsParams *params,
                         CsProgress     *progress,
                         CsTrace        *trace,
                         CsClustering  **out,
                         GError        **error)
{
  CsNcdOptions         o;
  CsNcdSpectralOptions so;

  (void) trace;
  spectral_options_from_params (params, &o, &so);
  return cs_ncd_spectral_run (x, NULL, &o, &so, progress, out, error);
}

static gboolean
ncd_spectral_run_labelled (const CsMatrix *x,
                           const int      *known,
                           const CsParams *params,
                           CsProgress     *progress,
                           CsTrace        *trace,
                           CsClustering  **out,
                           GError        **error)
{
  CsNcdOptions         o;
  CsNcdSpectralOptions so;

  (void) trace;
  spectral_options_from_params (params, &o, &so);
  return cs_ncd_spectral_run (x, known, &o, &so, progress, out, error);
}

static const CsParamSpec ncd_spectral_params[] = {
  { .name = "k_novel", .label = "Novel classes",
    .help = "How many classes beyond the known ones (the label column; rows without a label are the ones "
            "clustered); Estimate hides known classes in turn and picks the count that finds them again best.",
    .type = CS_PARAM_INT, .min = 0, .max = 1000, .default_num = 0, .zero_label = "Estimate" },
  { .name = "k_novel_max", .label = "Most novel classes",
    .help = "The estimate tries 1 up to this many novel classes.", .type = CS_PARAM_INT, .min = 1, .max = 1000,
    .default_num = 8 },
  { .name = "affinity", .label = "Affinity",
    .help = "The graph the rows are embedded from: each row linked to its nearest neighbours, with equal weights "
            "or with Gaussian weights exp(−γ‖x − y‖²) that fall with distance.",
    .type = CS_PARAM_ENUM, .default_str = "knn", .choices = affinity_choices, .choice_labels = affinity_labels },
  { .name = "n_neighbors", .label = "Neighbours",
    .help = "Each row is linked to this many nearest rows (and to every row that counts it among its own): fewer "
            "follow thin shapes such as rings, more join groups that are close.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000, .default_num = 10 },
  { .name = "gamma", .label = "Gaussian width (γ)",
    .help = "For the Gaussian affinity: exp(−γ‖x − y‖²); Automatic is 1 / the median squared length of the "
            "neighbour links.",
    .type = CS_PARAM_DOUBLE, .min = 0, .max = 1e6, .default_num = 0, .log_scale = TRUE, .zero_label = "Automatic",
    .advanced = TRUE },
  { .name = "landmarks", .label = "Landmarks",
    .help = "The eigenvectors are computed on the graph of this many rows (all rows when there are fewer, else a "
            "sample by the seed); every other row is placed at the mean of its nearest landmarks. More follow "
            "finer shapes; the time grows with the cube.",
    .type = CS_PARAM_INT, .min = 2, .max = CS_NCD_MAX_LANDMARKS, .default_num = 500, .advanced = TRUE },
  { .name = "n_folds", .label = "Folds of known classes",
    .help = "The known classes are split into this many folds; each fold is hidden once and scored on how well "
            "its classes are found again.",
    .type = CS_PARAM_INT, .min = 1, .max = 100, .default_num = 3, .advanced = TRUE },
  { .name = "n_init", .label = "Restarts",
    .help = "k-means++ starts of the novel centres in the embedding per fit; the one with the lowest inertia is "
            "kept.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000, .default_num = 3, .advanced = TRUE },
  { .name = "max_iter", .label = "Maximum iterations", .help = "Each fit stops after this many iterations at the latest.",
    .type = CS_PARAM_INT, .min = 1, .max = 100000, .default_num = 300, .advanced = TRUE },
  { .name = "seed", .label = "Random seed",
    .help = "The same seed gives the same clustering on any machine and any number of threads.",
    .type = CS_PARAM_INT, .min = 0, .max = 2147483647.0, .default_num = 0 },
};

const CsAlgorithm cs_algorithm_ncd_spectral = {
  .id = "ncd-spectral",
  .name = "Novel class discovery (spectral)",
  .description = "Rows of known classes (the label column) keep them; every row is embedded by the leading "
                 "eigenvectors of a nearest-neighbour graph, and the rows without a label are clustered there "
                 "around the known classes' fixed centres plus free ones for novel classes: finds novel classes "
                 "of any shape (rings, moons), whose number can be estimated.",
  .category = "Graph",
  .objective = CS_OBJECTIVE_INERTIA,
  .params = ncd_spectral_params,
  .n_params = G_N_ELEMENTS (ncd_spectral_params),
  .run = ncd_spectral_run_params,
  .run_labelled = ncd_spectral_run_labelled,
};
