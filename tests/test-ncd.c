/* Novel class discovery, spectral variant: agreement with the k-means variant where both
 * should work, a layout only the spectral one gets right (novel classes that are rings), and
 * the cross-validated number of novel classes. */
#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-rng.h"
#include "core/cluster/cs-ncd.h"
#include "core/cluster/cs-pipeline.h"
#include "core/metrics/cs-metrics.h"

/* Blobs of the given sizes, blob c centred at sep · (c mod d on axis c mod d, …) in d
 * dimensions with unit normal noise; truth receives each row's blob. */
static CsMatrix *
blobs (const gsize *sizes, guint n_blobs, gsize d, double sep, guint64 seed, int **truth)
{
  gsize     n = 0;
  gsize     at = 0;
  CsMatrix *x;
  CsRng     rng;

  for (guint c = 0; c < n_blobs; c++)
    n += sizes[c];
  x = cs_matrix_new (n, d);
  *truth = g_new (int, n);
  cs_rng_init (&rng, seed);
  for (guint c = 0; c < n_blobs; c++)
    for (gsize s = 0; s < sizes[c]; s++, at++)
      {
        for (gsize j = 0; j < d; j++)
          x->data[at * d + j] = cs_rng_normal (&rng);
        x->data[at * d + c % d] += sep * (1 + c / d);
        x->data[at * d + (c + 1) % d] += sep * 0.5 * (c % 2);
        (*truth)[at] = (int) c;
      }
  return x;
}

/* 70 % of the rows of classes below n_known keep their class; every other row is unknown. */
static int *
hide_labels (const int *truth, gsize n, int n_known, guint64 seed)
{
  int  *known = g_new (int, n);
  CsRng rng;

  cs_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    known[i] = truth[i] < n_known && cs_rng_uniform (&rng) < 0.7 ? truth[i] : -1;
  return known;
}

/* Three known blobs above two novel concentric rings (radii 2 and 6, noise 0.15) in the plane:
 * the rings' means coincide, so centres cannot tell them apart; their points are chained
 * by neighbours. */
static CsMatrix *
blobs_and_rings (int **truth)
{
  const gsize sizes[] = { 100, 100, 100, 150, 250 };
  const double centres[3][2] = { { -12.0, 14.0 }, { 0.0, 16.0 }, { 12.0, 14.0 } };
  gsize n = 0;
  gsize at = 0;
  CsMatrix *x;
  CsRng rng;

  for (guint c = 0; c < 5; c++)
    n += sizes[c];
  x = cs_matrix_new (n, 2);
  *truth = g_new (int, n);
  cs_rng_init (&rng, 21);
  for (guint c = 0; c < 5; c++)
    for (gsize s = 0; s < sizes[c]; s++, at++)
      {
        if (c < 3)
          {
            x->data[at * 2] = centres[c][0] + cs_rng_normal (&rng);
            x->data[at * 2 + 1] = centres[c][1] + cs_rng_normal (&rng);
          }
        else
          {
            double r = (c == 3 ? 2.0 : 6.0) + 0.15 * cs_rng_normal (&rng);
            double a = 2.0 * G_PI * cs_rng_uniform (&rng);
            x->data[at * 2] = r * cos (a);
            x->data[at * 2 + 1] = r * sin (a);
          }
        (*truth)[at] = (int) c;
      }
  return x;
}

/* ARI between the truth and the labels over the rows whose truth is a novel class
 * (≥ n_known). */
static double
novel_ari (const int *truth, const int *labels, gsize n, int n_known)
{
  g_autofree int *a = g_new (int, n);
  g_autofree int *b = g_new (int, n);
  gsize m = 0;

  for (gsize i = 0; i < n; i++)
    if (truth[i] >= n_known)
      {
        a[m] = truth[i];
        b[m] = labels[i];
        m++;
      }
  return cs_metric_ari (a, b, m);
}

static void
assert_known_kept (const CsClustering *c, const int *known, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (known[i] >= 0)
      g_assert_cmpint (c->labels[i], ==, known[i]);
}

/* Separated blobs, 3 known and 2 novel: both variants estimate 2 novel classes and agree. */
static void
test_blobs_agree (void)
{
  const gsize sizes[] = { 120, 100, 80, 90, 110 };
  g_autofree int *truth = NULL;
  g_autoptr (CsMatrix) x = blobs (sizes, 5, 3, 9.0, 44, &truth);
  g_autofree int *known = hide_labels (truth, x->rows, 3, 9);
  CsNcdOptions o;
  CsNcdSpectralOptions so;
  g_autoptr (GError) error = NULL;

  cs_ncd_options_init (&o);
  cs_ncd_spectral_options_init (&so);
  for (guint64 seed = 0; seed < 3; seed++)
    {
      g_autoptr (CsClustering) km = NULL;
      g_autoptr (CsClustering) sp = NULL;

      o.seed = seed;
      g_assert_true (cs_ncd_kmeans_run (x, known, &o, NULL, NULL, &km, &error));
      g_assert_no_error (error);
      g_assert_true (cs_ncd_spectral_run (x, known, &o, &so, NULL, &sp, &error));
      g_assert_no_error (error);
      for (guint t = 0; t < sp->n_scores; t++)
        g_test_message ("seed %u, %u novel: k-means %.4f, spectral %.4f", (guint) seed, t + 1, km->score_by_k[t],
                        sp->score_by_k[t]);
      g_assert_cmpstr (sp->algorithm, ==, "ncd-spectral");
      g_assert_cmpuint (sp->k_known, ==, 3);
      g_assert_cmpuint (sp->k, ==, 5);
      g_assert_cmpuint (km->k, ==, 5);
      /* The curve covers 1 … k_novel_max novel classes, as total k from k_known + 1. */
      g_assert_nonnull (sp->score_by_k);
      g_assert_cmpuint (sp->score_k_min, ==, 4);
      g_assert_cmpuint (sp->n_scores, ==, o.k_novel_max);
      g_assert_null (sp->centers);
      g_assert_cmpuint (sp->d, ==, 3);
      assert_known_kept (sp, known, x->rows);
      g_assert_cmpfloat (cs_metric_ari (truth, sp->labels, x->rows), >, 0.98);
      g_assert_cmpfloat (cs_metric_ari (km->labels, sp->labels, x->rows), >, 0.98);
    }
}

/* The novel classes are two concentric rings: only the spectral embedding separates them. */
static void
test_rings_spectral_wins (void)
{
  g_autofree int *truth = NULL;
  g_autoptr (CsMatrix) x = blobs_and_rings (&truth);
  g_autofree int *known = hide_labels (truth, x->rows, 3, 5);
  CsNcdOptions o;
  CsNcdSpectralOptions so;
  g_autoptr (GError) error = NULL;
  const CsNcdAffinity affinities[] = { CS_NCD_AFFINITY_KNN, CS_NCD_AFFINITY_RBF };

  cs_ncd_options_init (&o);
  cs_ncd_spectral_options_init (&so);
  o.k_novel = 2;
  for (guint a = 0; a < G_N_ELEMENTS (affinities); a++)
    {
      g_autoptr (CsClustering) km = NULL;
      g_autoptr (CsClustering) sp = NULL;
      double ari_km, ari_sp;

      so.affinity = affinities[a];
      g_assert_true (cs_ncd_kmeans_run (x, known, &o, NULL, NULL, &km, &error));
      g_assert_no_error (error);
      g_assert_true (cs_ncd_spectral_run (x, known, &o, &so, NULL, &sp, &error));
      g_assert_no_error (error);
      ari_km = novel_ari (truth, km->labels, x->rows, 3);
      ari_sp = novel_ari (truth, sp->labels, x->rows, 3);
      g_test_message ("affinity %u: ARI on the ring rows, k-means %.3f, spectral %.3f", a, ari_km, ari_sp);
      assert_known_kept (sp, known, x->rows);
      g_assert_cmpfloat (ari_sp, >=, 0.9);
      g_assert_cmpfloat (ari_km, <, 0.5);
      /* The blobs' unlabelled rows join their classes. */
      for (gsize i = 0; i < x->rows; i++)
        if (truth[i] < 3)
          g_assert_cmpint (sp->labels[i], ==, truth[i]);
    }
}

/* The estimate: 3 known blobs and 2 novel rings give 2, as 3 known and 2 novel blobs do. */
static void
test_rings_estimate (void)
{
  g_autofree int *truth = NULL;
  g_autoptr (CsMatrix) x = blobs_and_rings (&truth);
  g_autofree int *known = hide_labels (truth, x->rows, 3, 5);
  CsNcdOptions o;
  CsNcdSpectralOptions so;
  g_autoptr (GError) error = NULL;

  cs_ncd_options_init (&o);
  cs_ncd_spectral_options_init (&so);
  for (guint64 seed = 0; seed < 3; seed++)
    {
      g_autoptr (CsClustering) sp = NULL;

      o.seed = seed;
      g_assert_true (cs_ncd_spectral_run (x, known, &o, &so, NULL, &sp, &error));
      g_assert_no_error (error);
      for (guint t = 0; t < sp->n_scores; t++)
        g_test_message ("seed %u, %u novel: %.4f", (guint) seed, t + 1, sp->score_by_k[t]);
      g_assert_cmpuint (sp->k - sp->k_known, ==, 2);
      g_assert_cmpfloat (novel_ari (truth, sp->labels, x->rows, 3), >=, 0.9);
    }
}

/* Without known classes every row is novel and k is the best silhouette in the embedding:
 * the two rings and three blobs are five. */
static void
test_no_known_classes (void)
{
  g_autofree int *truth = NULL;
  g_autoptr (CsMatrix) x = blobs_and_rings (&truth);
  CsNcdOptions o;
  CsNcdSpectralOptions so;
  g_autoptr (GError) error = NULL;
  g_autoptr (CsClustering) sp = NULL;

  cs_ncd_options_init (&o);
  cs_ncd_spectral_options_init (&so);
  g_assert_true (cs_ncd_spectral_run (x, NULL, &o, &so, NULL, &sp, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sp->k_known, ==, 0);
  g_assert_cmpuint (sp->score_k_min, ==, 2);
  g_assert_cmpuint (sp->k, ==, 5);
  g_assert_cmpfloat (cs_metric_ari (truth, sp->labels, x->rows), >=, 0.9);
}

/* More rows than the landmarks: the eigenvectors of a sample's graph, the other rows placed
 * by their nearest landmarks, still find the rings. */
static void
test_rings_large (void)
{
  g_autofree int *truth = NULL;
  g_autoptr (CsMatrix) small = blobs_and_rings (&truth);
  g_autoptr (CsMatrix) x = cs_matrix_new (small->rows * 3, 2);
  g_autofree int *truth3 = g_new (int, small->rows * 3);
  g_autofree int *known = NULL;
  CsNcdOptions o;
  CsNcdSpectralOptions so;
  g_autoptr (GError) error = NULL;
  g_autoptr (CsClustering) sp = NULL;
  CsRng rng;

  /* Three jittered copies of the layout, rows interleaved. */
  cs_rng_init (&rng, 3);
  for (gsize i = 0; i < x->rows; i++)
    {
      gsize s = i / 3;
      x->data[i * 2] = small->data[s * 2] + 0.05 * cs_rng_normal (&rng);
      x->data[i * 2 + 1] = small->data[s * 2 + 1] + 0.05 * cs_rng_normal (&rng);
      truth3[i] = truth[s];
    }
  known = hide_labels (truth3, x->rows, 3, 6);
  cs_ncd_options_init (&o);
  cs_ncd_spectral_options_init (&so);
  o.k_novel = 2;
  g_assert_true (cs_ncd_spectral_run (x, known, &o, &so, NULL, &sp, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (novel_ari (truth3, sp->labels, x->rows, 3), >=, 0.9);
}

static void
test_bad_values (void)
{
  const gsize sizes[] = { 10, 10 };
  g_autofree int *truth = NULL;
  g_autoptr (CsMatrix) x = blobs (sizes, 2, 2, 9.0, 1, &truth);
  CsNcdOptions o;
  CsNcdSpectralOptions so;
  g_autoptr (GError) error = NULL;
  CsClustering *c = NULL;

  cs_ncd_options_init (&o);
  cs_ncd_spectral_options_init (&so);
  so.n_neighbors = 20;
  g_assert_false (cs_ncd_spectral_run (x, truth, &o, &so, NULL, &c, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
  g_assert_nonnull (strstr (error->message, "n_neighbors"));
  g_assert_null (c);
  g_clear_error (&error);

  so.n_neighbors = 5;
  o.k_novel = 30;
  g_assert_false (cs_ncd_spectral_run (x, NULL, &o, &so, NULL, &c, &error));
  g_assert_nonnull (error);
  g_assert_null (c);
}

/* Through the pipeline, with the label column's empty cells as the unknown rows. */
static void
test_pipeline (void)
{
  g_autofree int *truth = NULL;
  g_autoptr (CsMatrix) x = blobs_and_rings (&truth);
  g_autofree int *known = hide_labels (truth, x->rows, 3, 5);
  g_autoptr (CsDataset) ds = cs_dataset_new ("rings", x->rows);
  g_autoptr (CsPipelineResult) r = NULL;
  g_autoptr (GError) error = NULL;
  const CsAlgorithm *algo = cs_registry_lookup ("ncd-spectral");
  g_autoptr (CsParams) p = cs_params_new (algo);
  CsPipelineOptions po;
  double *lab;

  for (gsize j = 0; j < 2; j++)
    {
      double *col = g_new (double, x->rows);
      for (gsize i = 0; i < x->rows; i++)
        col[i] = x->data[i * 2 + j];
      cs_dataset_add_numeric (ds, j == 0 ? "x" : "y", col);
    }
  lab = g_new (double, x->rows);
  for (gsize i = 0; i < x->rows; i++)
    lab[i] = known[i] >= 0 ? 10.0 + known[i] : NAN;
  cs_dataset_add_numeric (ds, "class", lab);
  ds->label_column = 2;
  cs_pipeline_options_init (&po);
  po.algorithm = algo;
  po.params = p;
  po.prepare.scaling = CS_SCALE_NONE;
  r = cs_pipeline_run (ds, &po, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->clustering->k_known, ==, 3);
  g_assert_cmpuint (r->clustering->k, ==, 5);
  assert_known_kept (r->clustering, known, x->rows);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/ncd-spectral/blobs-agree-with-kmeans", test_blobs_agree);
  g_test_add_func ("/core/ncd-spectral/rings-found-where-kmeans-fails", test_rings_spectral_wins);
  g_test_add_func ("/core/ncd-spectral/rings-estimate-two", test_rings_estimate);
  g_test_add_func ("/core/ncd-spectral/no-known-classes-silhouette", test_no_known_classes);
  g_test_add_func ("/core/ncd-spectral/rings-through-landmarks", test_rings_large);
  g_test_add_func ("/core/ncd-spectral/bad-values-refused", test_bad_values);
  g_test_add_func ("/core/ncd-spectral/pipeline-reads-label-column", test_pipeline);
  return g_test_run ();
}
