/* Centroid results shown as images: online k-means' centres are its explanation, so the images
 * view draws the centres it learnt (in pixel units), not the means of the rows it labels. */
#include <math.h>
#include <string.h>

#include "core/cluster/cs-pipeline.h"
#include "core/data/cs-samples.h"
#include "ui/render/cs-render-views.h"

static void
test_online_centres_as_images (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = cs_sample_load ("digits", &error);
  const CsAlgorithm *algo = cs_registry_lookup ("online-kmeans");
  g_autoptr (CsParams) p = cs_params_new (algo);
  g_autoptr (CsPipelineResult) r = NULL;
  g_autoptr (CsImagesModel) m = NULL;
  const CsPrepared *prep;
  const CsClustering *c;
  gsize npix;
  double differs = 0.0;

  g_assert_no_error (error);
  cs_params_set_int (p, "k", 10);
  cs_params_set_int (p, "batch_size", 100);
  cs_params_set_int (p, "epochs", 2);
  {
    CsPipelineOptions o;
    cs_pipeline_options_init (&o);
    o.algorithm = algo;
    o.params = p;
    o.prepare.scaling = CS_SCALE_STANDARDIZE;
    r = cs_pipeline_run (ds, &o, NULL, &error);
  }
  g_assert_no_error (error);
  prep = r->prep;
  c = r->clustering;
  m = cs_images_model_build (ds, prep, c, NULL);
  g_assert_nonnull (m);
  g_assert_true (m->centers);
  g_assert_nonnull (strstr (m->title, "centres"));
  npix = (gsize) m->rows * m->cols;
  g_assert_cmpuint (npix, ==, 64);
  /* Pixel p is feature p here (digits' columns are its pixels): centre × scale + shift. */
  for (guint j = 0; j < c->k; j++)
    for (gsize q = 0; q < npix; q++)
      {
        double want = cs_matrix_get (c->centers, j, q) * prep->scale[q] + prep->shift[q];
        g_assert_cmpfloat_with_epsilon (m->pixels[j * npix + q], want, 1e-9 * (1 + fabs (want)));
      }
  /* The learnt centres are not the members' means (which the view would show otherwise). */
  {
    g_autofree double *means = g_new0 (double, c->k * npix);
    g_autofree gsize *n = g_new0 (gsize, c->k);
    for (gsize i = 0; i < c->n; i++)
      {
        n[c->labels[i]]++;
        for (gsize q = 0; q < npix; q++)
          means[c->labels[i] * npix + q] += cs_dataset_column (ds, q)->values[prep->rows[i]];
      }
    for (guint j = 0; j < c->k; j++)
      for (gsize q = 0; q < npix; q++)
        if (n[j] > 0)
          differs = MAX (differs, fabs (means[j * npix + q] / n[j] - m->pixels[j * npix + q]));
  }
  g_assert_cmpfloat (differs, >, 1e-6);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/images/online-kmeans-shows-centres", test_online_centres_as_images);
  return g_test_run ();
}
