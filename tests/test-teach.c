/* Teaching, the core half: the generator's settings (shape invariants of each kind, the
 * separation knob, determinism per seed), editing a dataset (points appended with their
 * class, rows removed) and k-means started from given centres (a bad start ends in a worse
 * local optimum). */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/cluster/cs-kmeans.h"
#include "core/cluster/cs-registry.h"
#include "core/data/cs-dataset.h"
#include "core/data/cs-toy.h"

static CsDataset *
generate (CsToyKind kind, gsize n, guint k, double noise, double separation, guint64 seed)
{
  CsToyOptions o;

  cs_toy_options_init (&o);
  o.kind = kind;
  o.n = n;
  o.n_clusters = k;
  o.noise = noise;
  o.separation = separation;
  o.seed = seed;
  return cs_toy_generate_full (&o);
}

static const double *
col (const CsDataset *ds, gsize c)
{
  return cs_dataset_column (ds, c)->values;
}

static void
class_counts (const CsDataset *ds, gsize *counts, guint max)
{
  for (guint c = 0; c < max; c++)
    counts[c] = 0;
  for (gsize i = 0; i < ds->n_rows; i++)
    {
      int c = (int)col (ds, 2)[i];
      g_assert_cmpint (c, >=, 0);
      g_assert_cmpint (c, <, (int)max);
      counts[c]++;
    }
}

static void
test_every_kind_deterministic (void)
{
  for (int k = 0; k < CS_TOY_N_KINDS; k++)
    for (double sep = 0.5; sep <= 2.0; sep += 0.75)
      {
        g_autoptr (CsDataset) a = generate (k, 257, 4, 0.1, sep, 11);
        g_autoptr (CsDataset) b = generate (k, 257, 4, 0.1, sep, 11);
        g_autoptr (CsDataset) c = generate (k, 257, 4, 0.1, sep, 12);
        gboolean differs = FALSE;

        g_assert_cmpuint (a->n_rows, ==, 257);
        g_assert_cmpuint (cs_dataset_n_columns (a), ==, 3);
        g_assert_cmpint (a->label_column, ==, 2);
        for (gsize i = 0; i < a->n_rows; i++)
          {
            g_assert_true (col (a, 0)[i] == col (b, 0)[i] && col (a, 1)[i] == col (b, 1)[i]);
            g_assert_true (col (a, 2)[i] == col (b, 2)[i]);
            g_assert_true (isfinite (col (a, 0)[i]) && isfinite (col (a, 1)[i]));
            differs |= col (a, 0)[i] != col (c, 0)[i];
          }
        /* Another seed, other points (every kind is random at least in its shuffle). */
        g_assert_true (differs);
      }
}

/* Separation 1 is the historic generator: data made before the setting existed is unchanged. */
static void
test_separation_one_is_the_classic_layout (void)
{
  for (int k = 0; k < CS_TOY_N_KINDS; k++)
    {
      g_autoptr (CsDataset) a = cs_toy_generate (k, 300, 3, 0.05, 5);
      g_autoptr (CsDataset) b = generate (k, 300, 3, 0.05, 1.0, 5);

      for (gsize i = 0; i < a->n_rows; i++)
        g_assert_true (col (a, 0)[i] == col (b, 0)[i] && col (a, 1)[i] == col (b, 1)[i]);
    }
}

static void
test_circles_radii (void)
{
  for (double sep = 0.5; sep <= 3.0; sep += 0.5)
    {
      g_autoptr (CsDataset) ds = generate (CS_TOY_CIRCLES, 400, 9, 0.0, sep, 3);
      gsize counts[2];

      class_counts (ds, counts, 2);
      g_assert_cmpuint (counts[0], ==, 200);
      g_assert_cmpuint (counts[1], ==, 200);
      /* Without noise every point lies on its circle: radius 1 outside, 0.5^sep inside. */
      for (gsize i = 0; i < ds->n_rows; i++)
        {
          double r = hypot (col (ds, 0)[i], col (ds, 1)[i]);
          double want = col (ds, 2)[i] == 0 ? 1.0 : pow (0.5, sep);
          g_assert_cmpfloat_with_epsilon (r, want, 1e-12);
        }
    }
}

static void
test_moons_balance_and_gap (void)
{
  for (double sep = 1.0; sep <= 3.0; sep += 1.0)
    {
      g_autoptr (CsDataset) ds = generate (CS_TOY_MOONS, 501, 5, 0.0, sep, 9);
      gsize  counts[2];
      double upper_min = INFINITY, lower_max = -INFINITY;

      class_counts (ds, counts, 2);
      /* n / 2 in the upper moon, the rest in the lower one, as make_moons. */
      g_assert_cmpuint (counts[0], ==, 250);
      g_assert_cmpuint (counts[1], ==, 251);
      for (gsize i = 0; i < ds->n_rows; i++)
        {
          double x = col (ds, 0)[i], y = col (ds, 1)[i];

          if (col (ds, 2)[i] == 0)
            {
              /* The upper moon: the unit half circle. */
              g_assert_cmpfloat_with_epsilon (hypot (x, y), 1.0, 1e-12);
              g_assert_cmpfloat (y, >=, -1e-12);
              upper_min = MIN (upper_min, y);
            }
          else
            {
              double cy = 0.5 - 0.5 * (sep - 1.0);
              g_assert_cmpfloat_with_epsilon (hypot (x - 1.0, y - cy), 1.0, 1e-12);
              lower_max = MAX (lower_max, y);
            }
        }
      /* The lower moon's top moves down by (sep - 1) / 2 from the classic 0.5. */
      g_assert_cmpfloat_with_epsilon (lower_max, 0.5 - 0.5 * (sep - 1.0), 1e-9);
      g_assert_cmpfloat_with_epsilon (upper_min, 0.0, 1e-9);
    }
}

static double
mean_centre_distance (const CsDataset *ds, guint k)
{
  g_autofree double *cx = g_new0 (double, k);
  g_autofree double *cy = g_new0 (double, k);
  g_autofree gsize  *n = g_new0 (gsize, k);
  double             sum = 0;
  guint              pairs = 0;

  for (gsize i = 0; i < ds->n_rows; i++)
    {
      int c = (int)col (ds, 2)[i];
      cx[c] += col (ds, 0)[i];
      cy[c] += col (ds, 1)[i];
      n[c]++;
    }
  for (guint c = 0; c < k; c++)
    {
      g_assert_cmpuint (n[c], >, 0);
      cx[c] /= n[c];
      cy[c] /= n[c];
    }
  for (guint a = 0; a < k; a++)
    for (guint b = a + 1; b < k; b++, pairs++)
      sum += hypot (cx[a] - cx[b], cy[a] - cy[b]);
  return sum / pairs;
}

static void
test_blobs_classes_and_separation (void)
{
  for (guint k = 1; k <= 7; k += 3)
    {
      g_autoptr (CsDataset) ds = generate (CS_TOY_BLOBS, 700, k, 0.0, 1.0, 4);
      gsize counts[7];

      class_counts (ds, counts, k);
      for (guint c = 0; c < k; c++)
        g_assert_cmpuint (counts[c], ==, 700 / k + (c < 700 % k));
      g_assert_cmpuint (cs_dataset_column (ds, 2)->levels->len, ==, k);
    }
  /* The same centres spread twice as far: class means twice as far apart (up to the blobs'
   * own sampling noise, which does not scale). */
  for (int kind = CS_TOY_BLOBS; kind <= CS_TOY_VARIED; kind++)
    {
      g_autoptr (CsDataset) near = generate (kind, 3000, 4, 0.0, 1.0, 8);
      g_autoptr (CsDataset) far = generate (kind, 3000, 4, 0.0, 2.0, 8);
      double d1 = mean_centre_distance (near, 4);
      double d2 = mean_centre_distance (far, 4);

      g_assert_cmpfloat (fabs (d2 / d1 - 2.0), <, 0.1);
    }
}

static void
test_uniform_in_unit_square (void)
{
  g_autoptr (CsDataset) ds = generate (CS_TOY_UNIFORM, 2000, 3, 0.7, 3.0, 1);
  double sx = 0;

  for (gsize i = 0; i < ds->n_rows; i++)
    {
      g_assert_cmpfloat (col (ds, 0)[i], >=, 0.0);
      g_assert_cmpfloat (col (ds, 0)[i], <, 1.0);
      g_assert_cmpfloat (col (ds, 1)[i], >=, 0.0);
      g_assert_cmpfloat (col (ds, 1)[i], <, 1.0);
      g_assert_cmpfloat (col (ds, 2)[i], ==, 0.0);
      sx += col (ds, 0)[i];
    }
  g_assert_cmpfloat (fabs (sx / ds->n_rows - 0.5), <, 0.03);
}

static void
test_noise_spreads_points (void)
{
  g_autoptr (CsDataset) ds = generate (CS_TOY_CIRCLES, 4000, 2, 0.1, 1.0, 2);
  double s2 = 0;

  /* Radial residuals of the outer circle have the noise's standard deviation (to first order). */
  for (gsize i = 0; i < ds->n_rows; i++)
    if (col (ds, 2)[i] == 0)
      {
        double r = hypot (col (ds, 0)[i], col (ds, 1)[i]) - 1.0;
        s2 += r * r;
      }
  g_assert_cmpfloat (fabs (sqrt (s2 / 2000) - 0.1), <, 0.01);
}

/* Dataset edits ------------------------------------------------------------------------- */

static void
test_drawing_append_and_remove (void)
{
  g_autoptr (CsDataset) empty = cs_dataset_new_drawing ();
  const double x[] = { 1.5, -2.25, 0.125 };
  const double y[] = { 0.5, 4.0, -1.0 };
  const int    cls[] = { 0, 2, 1 };
  g_autoptr (CsDataset) three = cs_dataset_append_points (empty, 0, 1, 3, x, y, cls);
  const gsize  drop[] = { 1, 1, 99 };
  g_autoptr (CsDataset) two = cs_dataset_remove_rows (three, drop, 3);
  g_autofree int *labels = NULL;
  guint        k = 0;

  g_assert_cmpuint (empty->n_rows, ==, 0);
  g_assert_cmpuint (three->n_rows, ==, 3);
  g_assert_cmpint (three->label_column, ==, 2);
  for (gsize i = 0; i < 3; i++)
    {
      g_assert_true (col (three, 0)[i] == x[i]);
      g_assert_true (col (three, 1)[i] == y[i]);
    }
  labels = cs_dataset_class_labels (three, &k);
  g_assert_cmpuint (k, ==, 3);
  g_assert_cmpint (labels[0], ==, 0);
  g_assert_cmpint (labels[1], ==, 2);
  g_assert_cmpint (labels[2], ==, 1);
  g_assert_cmpuint (cs_dataset_column (three, 0)->n_missing, ==, 0);
  g_assert_cmpuint (cs_dataset_column (three, 2)->n_missing, ==, 0);
  /* The source is untouched. */
  g_assert_cmpuint (empty->n_rows, ==, 0);

  g_assert_cmpuint (two->n_rows, ==, 2);
  g_assert_true (col (two, 0)[0] == 1.5 && col (two, 0)[1] == 0.125);
  g_assert_true (col (two, 2)[0] == 0 && col (two, 2)[1] == 1);
  g_assert_cmpuint (three->n_rows, ==, 3);
}

static void
test_append_to_dataset_without_labels (void)
{
  g_autoptr (CsDataset) ds = cs_dataset_new ("plain", 2);
  double *a = g_new (double, 2);
  double *b = g_new (double, 2);
  double *c = g_new (double, 2);
  const double x[] = { 7 }, y[] = { 8 };
  const int    cls[] = { 1 };
  g_autoptr (CsDataset) more = NULL;

  a[0] = 1, a[1] = 2, b[0] = 3, b[1] = 4, c[0] = 5, c[1] = 6;
  cs_dataset_add_numeric (ds, "a", a);
  cs_dataset_add_numeric (ds, "b", b);
  cs_dataset_add_numeric (ds, "c", c);
  more = cs_dataset_append_points (ds, 2, 0, 1, x, y, cls);
  g_assert_cmpuint (more->n_rows, ==, 3);
  g_assert_cmpuint (cs_dataset_n_columns (more), ==, 4);
  /* x went to column 2 ("c"), y to column 0 ("a"); "b" is missing in the new row. */
  g_assert_true (col (more, 2)[2] == 7 && col (more, 0)[2] == 8);
  g_assert_true (isnan (col (more, 1)[2]));
  g_assert_cmpuint (cs_dataset_column (more, 1)->n_missing, ==, 1);
  g_assert_cmpint (more->label_column, ==, 3);
  g_assert_true (isnan (col (more, 3)[0]) && col (more, 3)[2] == 1);
  g_assert_cmpuint (cs_dataset_column (more, 3)->n_missing, ==, 2);
}

/* k-means from given centres --------------------------------------------------------------- */

static CsMatrix *
matrix_of (const CsDataset *ds)
{
  CsMatrix *x = cs_matrix_new (ds->n_rows, 2);

  for (gsize i = 0; i < ds->n_rows; i++)
    {
      x->data[2 * i] = col (ds, 0)[i];
      x->data[2 * i + 1] = col (ds, 1)[i];
    }
  return x;
}

static void
test_kmeans_from_placed_centres (void)
{
  const CsAlgorithm *algo = cs_registry_lookup ("kmeans");
  g_autoptr (CsDataset) ds = generate (CS_TOY_BLOBS, 600, 3, 0.0, 1.0, 21);
  g_autoptr (CsMatrix) x = matrix_of (ds);
  g_autoptr (CsParams) good = cs_params_new (algo);
  g_autoptr (CsParams) bad = cs_params_new (algo);
  g_autoptr (GError) error = NULL;
  CsClustering *c_good = NULL, *c_bad = NULL;
  double        cx[3] = { 0 }, cy[3] = { 0 };
  gsize         n[3] = { 0 };
  g_autofree char *bad_init = NULL;
  g_autofree char *good_init = NULL;

  for (gsize i = 0; i < ds->n_rows; i++)
    {
      int c = (int)col (ds, 2)[i];
      cx[c] += col (ds, 0)[i], cy[c] += col (ds, 1)[i], n[c]++;
    }
  for (int c = 0; c < 3; c++)
    cx[c] /= n[c], cy[c] /= n[c];
  /* Good: one centre in each blob. Bad: two in blob 0 (either side of its mean), one
   * between blobs 1 and 2, which k-means then cannot pull apart. */
  good_init = g_strdup_printf ("%.17g,%.17g;%.17g,%.17g;%.17g,%.17g", cx[0], cy[0], cx[1], cy[1], cx[2], cy[2]);
  bad_init = g_strdup_printf ("%.17g,%.17g;%.17g,%.17g;%.17g,%.17g", cx[0] - 0.5, cy[0], cx[0] + 0.5, cy[0],
                              (cx[1] + cx[2]) / 2, (cy[1] + cy[2]) / 2);
  g_assert_true (cs_params_set (good, "init", good_init, &error));
  g_assert_true (cs_params_set (bad, "init", bad_init, &error));
  g_assert_true (cs_algorithm_run (algo, x, good, NULL, NULL, &c_good, &error));
  g_assert_no_error (error);
  g_assert_true (cs_algorithm_run (algo, x, bad, NULL, NULL, &c_bad, &error));
  g_assert_no_error (error);
  /* The blobs of seed 21 lie far apart: the good start finds them, the bad one splits blob 0
   * and merges the other two, a local optimum with several times the inertia. */
  g_assert_cmpfloat (c_bad->objective, >, 2.0 * c_good->objective);
  for (gsize i = 1; i < ds->n_rows; i++)
    g_assert_cmpint (c_good->labels[i] == c_good->labels[0], ==, col (ds, 2)[i] == col (ds, 2)[0]);
  cs_clustering_unref (c_good);
  cs_clustering_unref (c_bad);
}

static void
test_kmeans_placed_centres_refused (void)
{
  const CsAlgorithm *algo = cs_registry_lookup ("kmeans");
  g_autoptr (CsDataset) ds = generate (CS_TOY_BLOBS, 60, 3, 0.0, 1.0, 2);
  g_autoptr (CsMatrix) x = matrix_of (ds);
  const char *bad[] = { "1,2;3,4", "1,2;3,4;5", "1,2;3,x;5,6", "1,2;3,nan;5,6" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (CsParams) p = cs_params_new (algo);
      g_autoptr (GError) error = NULL;
      CsClustering *c = NULL;

      g_assert_true (cs_params_set (p, "init", bad[i], NULL));
      g_assert_false (cs_algorithm_run (algo, x, p, NULL, NULL, &c, &error));
      g_assert_error (error, CS_ERROR, CS_ERROR_PARAMETER);
      g_assert_nonnull (strstr (error->message, "init"));
      g_assert_null (c);
    }
}

/* The CLI's generate takes the separation: circles at --separation 2 have an inner radius of
 * 0.25; a separation of 0 is refused. */
static void
test_cli_generate_separation (void)
{
  const char      *cli = g_getenv ("CS_CLI");
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-teach-XXXXXX", &error);
  g_autofree char *out = g_build_filename (dir, "c.csv", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  double           r_in = 0;
  int              status = 0;
  gsize            n = 0;

  if (cli == NULL)
    {
      g_test_skip ("CS_CLI is not set (run through meson test)");
      return;
    }
  {
    const char *argv[] = { cli, "generate", "circles", "-n", "200", "--separation", "2", "-o", out, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, 0, NULL, NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_cmpint (status, ==, 0);
  }
  g_assert_true (g_file_get_contents (out, &text, NULL, &error));
  lines = g_strsplit (text, "\n", -1);
  for (char **l = lines + 1; *l != NULL && **l != '\0'; l++, n++)
    {
      g_auto (GStrv) f = g_strsplit (*l, ",", -1);
      double x = g_ascii_strtod (f[0], NULL), y = g_ascii_strtod (f[1], NULL);

      if (g_strcmp0 (f[2], "1") == 0)
        r_in = MAX (r_in, hypot (x, y));
    }
  g_assert_cmpuint (n, ==, 200);
  g_assert_cmpfloat (fabs (r_in - 0.25), <, 1e-9);
  {
    const char *argv[] = { cli, "generate", "circles", "--separation", "0", "-o", out, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, 0, NULL, NULL, NULL, NULL, &status, &error));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
  }
  g_remove (out);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/teach/toy/every-kind-deterministic-per-seed", test_every_kind_deterministic);
  g_test_add_func ("/core/teach/toy/separation-one-is-the-classic-layout", test_separation_one_is_the_classic_layout);
  g_test_add_func ("/core/teach/toy/circles-radii", test_circles_radii);
  g_test_add_func ("/core/teach/toy/moons-balance-and-gap", test_moons_balance_and_gap);
  g_test_add_func ("/core/teach/toy/blobs-classes-and-separation", test_blobs_classes_and_separation);
  g_test_add_func ("/core/teach/toy/uniform-in-unit-square", test_uniform_in_unit_square);
  g_test_add_func ("/core/teach/toy/noise-spreads-points", test_noise_spreads_points);
  g_test_add_func ("/core/teach/dataset/append-and-remove", test_drawing_append_and_remove);
  g_test_add_func ("/core/teach/dataset/append-adds-label-column", test_append_to_dataset_without_labels);
  g_test_add_func ("/core/teach/kmeans/bad-start-worse-optimum", test_kmeans_from_placed_centres);
  g_test_add_func ("/core/teach/kmeans/placed-centres-refused", test_kmeans_placed_centres_refused);
  g_test_add_func ("/core/teach/cli/generate-separation", test_cli_generate_separation);
  return g_test_run ();
}
