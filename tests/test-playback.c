/* Playback (issue 12) and mixture views (issue 11), without a display: every iterative
 * algorithm records a non-empty trace whose objective moves the way the algorithm promises;
 * the last frame is the result; frames are pure functions of the trace (back then forward
 * draws the same bytes); the memory bound limits or refuses with a message. */

#include <math.h>
#include <string.h>

#include "core/base/cs-format.h"
#include "core/cluster/cs-pipeline.h"
#include "core/cluster/cs-registry.h"
#include "core/cluster/cs-trace.h"
#include "core/data/cs-csv.h"
#include "ui/render/cs-plot-frame.h"
#include "ui/render/cs-render-dendrogram.h"
#include "ui/render/cs-render-views.h"

/* Three separated blobs in 2-D, as a dataset (columns x, y), n rows. */
static CsDataset *
blobs (gsize n, guint32 seed)
{
  GString *csv = g_string_new ("x,y\n");
  guint64 s = seed;
  g_autoptr (GError) error = NULL;
  CsDataset *ds;

  for (gsize i = 0; i < n; i++)
    {
      double c[3][2] = { { 0, 0 }, { 6, 1 }, { 2, 7 } };
      double u[2];
      for (int t = 0; t < 2; t++)
        {
          /* Sum of four uniforms: close enough to a normal for blobs. */
          double acc = 0;
          for (int r = 0; r < 4; r++)
            {
              s = s * 6364136223846793005ULL + 1442695040888963407ULL;
              acc += (double) (s >> 11) / 9007199254740992.0;
            }
          u[t] = (acc - 2.0) * 1.2;
        }
      g_string_append_printf (csv, "%.6f,%.6f\n", c[i % 3][0] + u[0], c[i % 3][1] + u[1]);
    }
  {
    CsCsvOptions o;
    cs_csv_options_init (&o);
    ds = cs_dataset_load_csv_data (csv->str, csv->len, "blobs", &o, NULL, &error);
  }
  g_assert_no_error (error);
  g_string_free (csv, TRUE);
  return ds;
}

typedef struct
{
  CsDataset        *ds;
  CsPipelineResult *r;
  CsPlotModel      *base;
} Run;

static void
run_clear (Run *run)
{
  cs_pipeline_result_free (run->r);
  cs_plot_model_free (run->base);
  cs_dataset_unref (run->ds);
}

static void
run_algorithm (Run *run, const char *id, gsize n, const char *const *params, guint64 trace_bytes)
{
  CsPipelineOptions o;
  g_autoptr (CsParams) p = NULL;
  g_autoptr (GError) error = NULL;

  run->ds = blobs (n, 7);
  cs_pipeline_options_init (&o);
  o.prepare.scaling = CS_SCALE_NONE;
  o.algorithm = cs_registry_lookup (id);
  g_assert_nonnull (o.algorithm);
  p = cs_params_new (o.algorithm);
  for (const char *const *kv = params; kv != NULL && *kv != NULL; kv += 2)
    {
      cs_params_set (p, kv[0], kv[1], &error);
      g_assert_no_error (error);
    }
  o.params = p;
  o.trace_steps = 10000;
  o.trace_bytes = trace_bytes;
  o.silhouette_sample = 0;
  run->r = cs_pipeline_run (run->ds, &o, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run->r->trace);
  run->base = cs_plot_model_build_scatter (run->ds, run->r->prep, run->r->clustering, 0, 1, &error);
  g_assert_no_error (error);
}

static const CsTraceStep *
step (const CsTrace *t, guint i)
{
  return g_ptr_array_index (t->steps, i);
}

static const CsFrameOptions plain = { FALSE, CS_SHADE_CLUSTERS };

/* The last frame shows exactly the result: its labels, its centres. */
static void
assert_last_frame_is_result (const Run *run, const CsFrameOptions *o)
{
  guint n = cs_playback_n_frames (run->r->trace);
  g_autoptr (CsPlotModel) last = NULL;
  const CsClustering *c = run->r->clustering;

  g_assert_cmpuint (n, >=, 2);
  last = cs_plot_frame_new (run->base, run->r->trace, c, n - 1, o);
  g_assert_cmpuint (last->k, ==, c->k);
  g_assert_cmpmem (last->labels, c->n * sizeof (int), c->labels, c->n * sizeof (int));
  if (run->base->center_x != NULL)
    {
      g_assert_cmpmem (last->center_x, c->k * sizeof (double), run->base->center_x, c->k * sizeof (double));
      g_assert_cmpmem (last->center_y, c->k * sizeof (double), run->base->center_y, c->k * sizeof (double));
    }
  /* Nothing of playback left on it: what a saved session shows again. */
  g_assert_null (last->caption);
  g_assert_cmpuint (last->n_trail, ==, 0);
}

/* When the trace was complete, its own last step already is the result. */
static void
assert_last_step_is_result (const Run *run)
{
  const CsTrace *t = run->r->trace;
  const CsTraceStep *s = step (t, t->steps->len - 1);
  const CsClustering *c = run->r->clustering;

  g_assert_false (t->truncated);
  g_assert_nonnull (s->labels);
  g_assert_cmpmem (s->labels, c->n * sizeof (int), c->labels, c->n * sizeof (int));
  if (s->centers != NULL && c->centers != NULL)
    for (gsize e = 0; e < (gsize) c->k * c->d; e++)
      g_assert_cmpfloat_with_epsilon (s->centers->data[e], c->centers->data[e], 1e-9);
  if (s->medoids != NULL && c->medoids != NULL)
    g_assert_cmpmem (s->medoids, c->k * sizeof (gsize), c->medoids, c->k * sizeof (gsize));
}

static void
test_kmeans (void)
{
  static const char *const params[] = { "k", "3", "n_init", "1", "init", "random", "seed", "3", NULL };
  Run run = { 0 };
  const CsTrace *t;
  double prev = INFINITY;

  run_algorithm (&run, "kmeans", 600, params, 0);
  t = run.r->trace;
  g_assert_cmpuint (t->steps->len, >=, 3);
  g_assert_cmpint (step (t, 0)->kind, ==, CS_TRACE_STEP_INIT);
  for (guint i = 1; i < t->steps->len; i++)
    {
      const CsTraceStep *s = step (t, i);
      g_assert_true (s->kind == CS_TRACE_STEP_ASSIGN || s->kind == CS_TRACE_STEP_UPDATE);
      /* Neither half of Lloyd's iteration raises the inertia. */
      g_assert_cmpfloat (s->objective, <=, prev * (1 + 1e-12));
      prev = s->objective;
    }
  assert_last_step_is_result (&run);
  assert_last_frame_is_result (&run, &plain);

  /* An update step's frame draws trails: where the centres were before. */
  {
    g_autoptr (CsPlotModel) f = cs_plot_frame_new (run.base, t, run.r->clustering, 2, &plain);
    g_assert_cmpint (step (t, 2)->kind, ==, CS_TRACE_STEP_UPDATE);
    g_assert_cmpuint (f->n_trail, ==, 2);
    g_assert_nonnull (strstr (f->caption, "update step"));
  }
  {
    g_autoptr (CsPlotModel) f = cs_plot_frame_new (run.base, t, run.r->clustering, 1, &plain);
    g_autofree char *want = g_strdup_printf ("assignment step: %" G_GSIZE_FORMAT " points changed", step (t, 1)->n_changed);
    g_assert_nonnull (strstr (f->caption, "Iteration 1"));
    g_assert_nonnull (strstr (f->caption, want));
  }
  /* The first frame: initial centres, no point assigned yet. */
  {
    g_autoptr (CsPlotModel) f = cs_plot_frame_new (run.base, t, run.r->clustering, 0, &plain);
    g_assert_cmpuint (f->k, ==, 3);
    for (gsize i = 0; i < f->n; i++)
      g_assert_cmpint (f->labels[i], ==, -1);
    g_assert_cmpstr (f->noise_name, ==, "Not assigned yet");
    g_assert_nonnull (f->center_x);
    g_assert_true (isfinite (f->center_x[0]));
  }
  run_clear (&run);
}

static void
test_medoids (void)
{
  static const char *const methods[] = { "pam", "fastpam1", "fasterpam", "alternating" };

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      static const char *const params[] = { "k", "3", "init", "random", "seed", "5", NULL };
      Run run = { 0 };
      const CsTrace *t;
      double prev = INFINITY;
      gboolean any_swap = FALSE;

      if (cs_registry_lookup (methods[m]) == NULL)
        continue;
      run_algorithm (&run, methods[m], 300, params, 0);
      t = run.r->trace;
      g_test_message ("%s: %u steps", methods[m], t->steps->len);
      g_assert_cmpuint (t->steps->len, >=, 2);
      for (guint i = 0; i < t->steps->len; i++)
        {
          const CsTraceStep *s = step (t, i);
          g_assert_nonnull (s->medoids);
          /* Every swap lowers the loss (by its delta). */
          g_assert_cmpfloat (s->objective, <=, prev + 1e-9 * fabs (prev));
          if (s->kind == CS_TRACE_STEP_SWAP)
            {
              any_swap = TRUE;
              g_assert_cmpint (s->leaving, >=, 0);
              g_assert_cmpint (s->entering, >=, 0);
              g_assert_cmpfloat (s->delta, <, 0.0);
              g_assert_cmpfloat_with_epsilon (s->objective - prev, s->delta, 1e-6 * fabs (prev));
              /* FasterPAM says which rows it tried: a bounded list ending with the one taken. */
              if (g_str_equal (methods[m], "fasterpam"))
                {
                  g_assert_cmpuint (s->n_candidates, >=, 1);
                  g_assert_cmpuint (s->n_candidates, <=, CS_TRACE_MAX_CANDIDATES);
                  g_assert_cmpuint (s->candidates[s->n_candidates - 1], ==, (gsize) s->entering);
                }
            }
          prev = s->objective;
        }
      if (m < 3)
        g_assert_true (any_swap);
      {
        /* A swap's frame rings the medoid that left and the row that came in. */
        g_autoptr (CsPlotModel) f = cs_plot_frame_new (run.base, t, run.r->clustering, 1, &plain);
        g_assert_cmpint (f->swap_entering, >=, 0);
        g_assert_true (f->centers_are_medoids);
      }
      assert_last_step_is_result (&run);
      assert_last_frame_is_result (&run, &plain);
      run_clear (&run);
    }
}

static void
test_gmm (void)
{
  static const char *const params[] = { "k", "3", "seed", "1", NULL };
  CsFrameOptions soft = { TRUE, CS_SHADE_SOFT };
  Run run = { 0 };
  const CsTrace *t;
  double prev = -INFINITY;
  guint e_steps = 0;

  run_algorithm (&run, "gmm", 450, params, 0);
  t = run.r->trace;
  for (guint i = 0; i < t->steps->len; i++)
    {
      const CsTraceStep *s = step (t, i);
      g_assert_nonnull (s->covariances);
      if (s->kind != CS_TRACE_STEP_E)
        continue;
      e_steps++;
      g_assert_nonnull (s->responsibilities);
      /* EM never lowers the log-likelihood. */
      g_assert_cmpfloat (s->objective, >=, prev - 1e-9 * fabs (prev));
      prev = s->objective;
    }
  g_assert_cmpuint (e_steps, >=, 2);
  assert_last_step_is_result (&run);
  assert_last_frame_is_result (&run, &soft);

  /* Ellipses on plotted columns that are the clustered ones, unscaled: the 2 × 2 covariance
   * itself. Soft shading gives every point a colour of its own. */
  {
    g_autoptr (CsPlotModel) f = cs_plot_frame_new_result (run.base, run.r->clustering, &soft);
    const CsMatrix *cov = run.r->clustering->covariances;

    g_assert_nonnull (f->ellipse);
    g_assert_nonnull (f->point_rgb);
    for (guint j = 0; j < 3; j++)
      {
        g_assert_cmpfloat_with_epsilon (f->ellipse[j * 5 + 0], run.r->clustering->centers->data[j * 2], 1e-9);
        g_assert_cmpfloat_with_epsilon (f->ellipse[j * 5 + 2], cov->data[(j * 2) * 2 + 0], 1e-9);
        g_assert_cmpfloat_with_epsilon (f->ellipse[j * 5 + 3], cov->data[(j * 2) * 2 + 1], 1e-9);
        g_assert_cmpfloat_with_epsilon (f->ellipse[j * 5 + 4], cov->data[(j * 2 + 1) * 2 + 1], 1e-9);
      }
  }
  /* Uncertainty: a point the model is sure of is lighter than one it is not (rows 0 and 1
   * given those memberships by hand: the blobs are too far apart to have doubtful points). */
  {
    CsFrameOptions unc = { FALSE, CS_SHADE_UNCERTAINTY };
    double *r = run.r->clustering->responsibilities->data;
    g_autoptr (CsPlotModel) f = NULL;

    r[0] = 1.0, r[1] = 0.0, r[2] = 0.0;
    r[3] = 0.4, r[4] = 0.3, r[5] = 0.3;
    f = cs_plot_frame_new_result (run.base, run.r->clustering, &unc);
    g_assert_cmpuint (f->point_rgb[0] & 0xff, >, (f->point_rgb[1] & 0xff) + 100);
  }
  run_clear (&run);
}

static void
test_meanshift_and_dbscan (void)
{
  {
    static const char *const params[] = { "bandwidth", "1.5", NULL };
    Run run = { 0 };
    const CsTrace *t;

    run_algorithm (&run, "meanshift", 240, params, 0);
    t = run.r->trace;
    g_assert_cmpuint (t->steps->len, >=, 3);
    g_assert_nonnull (step (t, 1)->positions);
    {
      /* A shift frame moves the points, not just their colours. */
      g_autoptr (CsPlotModel) f = cs_plot_frame_new (run.base, t, run.r->clustering, 2, &plain);
      gsize moved = 0;
      for (gsize i = 0; i < f->n; i++)
        moved += fabs (f->x[i] - run.base->x[i]) > 1e-6;
      g_assert_cmpuint (moved, >, f->n / 2);
    }
    assert_last_frame_is_result (&run, &plain);
    run_clear (&run);
  }
  {
    static const char *const params[] = { "eps", "1.0", "min_samples", "5", NULL };
    Run run = { 0 };
    const CsTrace *t;
    gsize unvisited = 0;

    run_algorithm (&run, "dbscan", 300, params, 0);
    t = run.r->trace;
    /* Nothing, then each cluster, then the noise. */
    g_assert_cmpuint (t->steps->len, ==, run.r->clustering->k + 2);
    for (gsize i = 0; i < t->n; i++)
      unvisited += step (t, 1)->point_kinds[i] == CS_TRACE_UNVISITED;
    g_assert_cmpuint (unvisited, >, 0);
    assert_last_step_is_result (&run);
    assert_last_frame_is_result (&run, &plain);
    run_clear (&run);
  }
}

/* A trace of labels only (agglomerative records one step per merge so) plays too. */
static void
test_labels_only_trace (void)
{
  static const char *const params[] = { "k", "3", "n_init", "1", NULL };
  Run run = { 0 };
  g_autoptr (CsTrace) t = cs_trace_new (0);
  g_autofree int *labels = g_new (int, 600);

  run_algorithm (&run, "kmeans", 600, params, 0);
  for (guint m = 0; m < 5; m++)
    {
      /* Five clusters merging down to the result's three. */
      for (gsize i = 0; i < 600; i++)
        labels[i] = m < 2 ? (int) (i % (5 - m)) : run.r->clustering->labels[i];
      cs_trace_push (t, CS_TRACE_STEP_MERGE, m, labels, 600, 3, NAN, 0, "merged two clusters");
    }
  /* Ending on a merge, the result is one more frame: the last merge is seen with its marks. */
  g_assert_cmpuint (cs_playback_n_frames (t), ==, 6);
  {
    g_autoptr (CsPlotModel) f = cs_plot_frame_new (run.base, t, run.r->clustering, 0, &plain);
    g_assert_cmpuint (f->k, ==, 5);
    g_assert_nonnull (strstr (f->caption, "Merge 0"));
  }
  run_clear (&run);
}

static guchar *
render_frame (const Run *run, guint frame, gsize *size)
{
  g_autoptr (CsPlotModel) f = cs_plot_frame_new (run->base, run->r->trace, run->r->clustering, frame, &plain);
  cairo_surface_t *s;
  cairo_t *cr;
  guchar *bytes;

  f->show_voronoi = TRUE;
  s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 640, 420);
  cr = cairo_create (s);
  cs_render_scatter (cr, f, 640, 420);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  *size = (gsize) cairo_image_surface_get_stride (s) * 420;
  bytes = g_memdup2 (cairo_image_surface_get_data (s), *size);
  cairo_surface_destroy (s);
  return bytes;
}

/* Frames are read from the trace, never recomputed: stepping back then forward draws the
 * same bytes, and neighbouring frames differ. */
static void
test_back_then_forward_identical (void)
{
  static const char *const params[] = { "k", "3", "n_init", "1", "init", "random", "seed", "3", NULL };
  Run run = { 0 };
  gsize a_size;
  gsize b_size;
  gsize c_size;
  g_autofree guchar *a = NULL;
  g_autofree guchar *b = NULL;
  g_autofree guchar *c = NULL;

  run_algorithm (&run, "kmeans", 600, params, 0);
  a = render_frame (&run, 3, &a_size);
  b = render_frame (&run, 2, &b_size);
  c = render_frame (&run, 3, &c_size);
  g_assert_cmpmem (a, a_size, c, c_size);
  g_assert_true (a_size != b_size || memcmp (a, b, a_size) != 0);
  run_clear (&run);
}

/* The bound: a trace that would not fit keeps fewer steps (and says so), or none (and says
 * why); 500 steps of a 5,000-point k-means fit in the default comfortably. */
static void
test_memory_bound (void)
{
  static const char *const params[] = { "k", "3", "n_init", "1", "init", "random", "seed", "3", NULL };
  guint64 per_step = cs_trace_step_bytes (5000, 10, 2, CS_TRACE_RECORDS_LABELS | CS_TRACE_RECORDS_CENTERS);

  g_assert_cmpuint (500 * per_step, <, CS_TRACE_DEFAULT_BYTES / 8);
  {
    Run run = { 0 };
    run_algorithm (&run, "kmeans", 600, params, 1000);
    g_assert_true (run.r->trace->refused);
    g_assert_cmpuint (run.r->trace->steps->len, ==, 0);
    g_assert_cmpuint (cs_playback_n_frames (run.r->trace), ==, 0);
    g_assert_nonnull (strstr (run.r->trace->notice, "No playback"));
    g_assert_nonnull (strstr (run.r->trace->notice, "600 rows"));
    run_clear (&run);
  }
  {
    Run run = { 0 };
    guint64 one = cs_trace_step_bytes (600, 3, 2, CS_TRACE_RECORDS_LABELS | CS_TRACE_RECORDS_CENTERS);
    run_algorithm (&run, "kmeans", 600, params, 3 * one);
    g_assert_true (run.r->trace->truncated);
    g_assert_cmpuint (run.r->trace->steps->len, ==, 3);
    g_assert_cmpuint (run.r->trace->bytes, <=, 3 * one);
    g_assert_nonnull (strstr (run.r->trace->notice, "keeps the first 3 steps"));
    /* The result is one more frame after the steps kept. */
    g_assert_cmpuint (cs_playback_n_frames (run.r->trace), ==, 4);
    assert_last_frame_is_result (&run, &plain);
    run_clear (&run);
  }
}

/* The slot of the medoid that `leaving` was in the step before. */
static guint
slot_of (const CsTraceStep *prev, guint k, gssize leaving)
{
  for (guint m = 0; m < k; m++)
    if (prev->medoids[m] == (gsize) leaving)
      return m;
  g_assert_not_reached ();
  return 0;
}

/* PAM and FastPAM1 keep the best candidates of every swap (the best few per medoid): the first
 * is the swap made, with its Δ exactly; the Δ is the loss change between frames; the kept
 * lists are sorted and bounded; the caption says which they are. Both methods keep the same
 * candidates (they take the same swaps by the same tie rule). BUILD records its greedy steps
 * with their best rows the same way. */
static void
check_candidates (const Run *run, const char *method, gboolean build)
{
  const CsTrace *t = run->r->trace;
  guint k = run->r->clustering->k;
  gsize n = run->r->clustering->n;
  guint per = cs_trace_candidates_per_medoid (n, k);
  guint swaps = 0;
  guint builds = 0;

  for (guint i = 0; i < t->steps->len; i++)
    {
      const CsTraceStep *s = step (t, i);
      const CsTraceStep *prev = i > 0 ? step (t, i - 1) : NULL;

      if (s->kind == CS_TRACE_STEP_BUILD)
        {
          g_assert_true (build);
          g_assert_cmpuint (s->iteration, ==, ++builds);
          g_assert_cmpint (s->entering, ==, (gssize) s->medoids[builds - 1]);
          for (guint m = builds; m < k; m++)
            g_assert_cmpuint (s->medoids[m], ==, G_MAXSIZE);
          if (builds == 1)
            continue;
          g_assert_cmpuint (s->n_candidates, >=, 1);
          g_assert_cmpuint (s->candidates[0], ==, (gsize) s->entering);
          g_assert_cmpfloat (s->candidate_deltas[0], ==, s->delta);
          g_assert_cmpfloat_with_epsilon (s->objective - prev->objective, s->delta, 1e-9 * prev->objective);
          g_assert_cmpuint (s->n_evaluated, ==, n - (builds - 1));
          {
            g_autoptr (CsPlotModel) f = cs_plot_frame_new (run->base, t, run->r->clustering, i, &plain);
            g_autofree char *want = g_strdup_printf ("BUILD %u of %u", builds, k);

            g_assert_nonnull (strstr (f->caption, want));
            g_assert_nonnull (strstr (f->shade_legend, "rows evaluated"));
            g_assert_cmpint (f->swap_entering, ==, s->entering);
          }
          continue;
        }
      if (s->kind != CS_TRACE_STEP_SWAP)
        continue;
      swaps++;
      g_assert_nonnull (s->candidate_slots);
      g_assert_nonnull (s->candidate_deltas);
      g_assert_cmpuint (s->n_candidates, >=, 1);
      g_assert_cmpuint (s->n_candidates, <=, per * k);
      /* The best recorded is the swap made: its row, the slot that left, its Δ. */
      g_assert_cmpuint (s->candidates[0], ==, (gsize) s->entering);
      g_assert_cmpuint (s->candidate_slots[0], ==, slot_of (prev, k, s->leaving));
      g_assert_cmpfloat (s->candidate_deltas[0], ==, s->delta);
      g_assert_cmpfloat_with_epsilon (s->objective - prev->objective, s->delta, 1e-9 * prev->objective);
      /* Every non-medoid row against every medoid (blobs have no duplicate rows). */
      g_assert_cmpuint (s->n_evaluated, ==, (guint64) k * (n - k));
      for (guint c = 1; c < s->n_candidates; c++)
        g_assert_cmpfloat (s->candidate_deltas[c - 1], <=, s->candidate_deltas[c]);
      {
        g_autofree guint *count = g_new0 (guint, k);
        for (guint c = 0; c < s->n_candidates; c++)
          {
            g_assert_cmpuint (s->candidate_slots[c], <, k);
            g_assert_cmpuint (++count[s->candidate_slots[c]], <=, per);
            g_assert_false (s->candidates[c] == prev->medoids[s->candidate_slots[c]]);
          }
      }
      /* The result is one more frame after the last swap: every swap is seen with its marks. */
      g_assert_cmpuint (i + 1, <, cs_playback_n_frames (t));
      {
        g_autoptr (CsPlotModel) f = cs_plot_frame_new (run->base, t, run->r->clustering, i, &plain);
        g_autofree char *all = cs_format_count ((guint64) k * (n - k));
        g_autofree char *want = per * k >= s->n_evaluated
                                    ? g_strdup_printf ("all %s candidates evaluated", all)
                                    : g_strdup_printf ("best %u swaps per medoid, of %s evaluated", per, all);
        g_test_message ("%s: %s / %s", method, f->caption, f->shade_legend);
        g_assert_nonnull (strstr (f->shade_legend, want));
        g_assert_cmpuint (f->n_candidates, ==, s->n_candidates);
        g_assert_cmpint (f->swap_entering, ==, s->entering);
      }
    }
  g_assert_cmpuint (swaps, >=, 1);
  g_assert_cmpuint (builds, ==, build ? k : 0);
  assert_last_step_is_result (run);
  assert_last_frame_is_result (run, &plain);
}

static void
test_pam_candidates (void)
{
  static const char *const methods[] = { "pam", "fastpam1" };
  static const char *const inits[] = { "random", "build" };
  CsTrace *kept[2] = { NULL, NULL };
  Run runs[2][2] = { { { 0 } } };

  for (guint i = 0; i < 2; i++)
    for (guint m = 0; m < 2; m++)
      {
        const char *const params[] = { "k", "3", "init", inits[i], "seed", "5", NULL };

        run_algorithm (&runs[i][m], methods[m], 300, params, 0);
        check_candidates (&runs[i][m], methods[m], i == 1);
        kept[m] = runs[i][m].r->trace;
      }
  /* PAM and FastPAM1 from the same start: the same steps, the same candidates kept. */
  g_assert_cmpuint (kept[0]->steps->len, ==, kept[1]->steps->len);
  for (guint i = 0; i < kept[0]->steps->len; i++)
    {
      const CsTraceStep *a = step (kept[0], i);
      const CsTraceStep *b = step (kept[1], i);

      g_assert_cmpuint (a->n_candidates, ==, b->n_candidates);
      for (guint c = 0; c < a->n_candidates; c++)
        {
          g_assert_cmpuint (a->candidates[c], ==, b->candidates[c]);
          if (a->candidate_slots != NULL)
            g_assert_cmpuint (a->candidate_slots[c], ==, b->candidate_slots[c]);
          if (a->candidate_deltas != NULL)
            g_assert_cmpfloat_with_epsilon (a->candidate_deltas[c], b->candidate_deltas[c],
                                            1e-9 * fabs (a->objective));
        }
    }
  for (guint i = 0; i < 2; i++)
    for (guint m = 0; m < 2; m++)
      run_clear (&runs[i][m]);

  /* Small enough to keep every candidate: 2 × 10 swaps, all ringed. */
  {
    static const char *const params[] = { "k", "2", "init", "random", "seed", "2", NULL };
    Run run = { 0 };

    run_algorithm (&run, "pam", 12, params, 0);
    g_assert_cmpuint (cs_trace_candidates_per_medoid (12, 2), ==, 12);
    for (guint i = 0; i < run.r->trace->steps->len; i++)
      if (step (run.r->trace, i)->kind == CS_TRACE_STEP_SWAP)
        g_assert_cmpuint (step (run.r->trace, i)->n_candidates, ==, 20);
    check_candidates (&run, "pam", FALSE);
    run_clear (&run);
  }
}

/* The labels' colours of a frame, per row. */
static int
row_slot (const int *labels, const int *slots, gsize i)
{
  return labels[i] >= 0 ? slots[labels[i]] : -1;
}

static guchar *
render_dendrogram (CsDendrogramModel *m, int w, int h, gsize *size, int *stride)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (s);
  guchar *bytes;

  cs_render_dendrogram (cr, m, w, h);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  *stride = cairo_image_surface_get_stride (s);
  *size = (gsize) *stride * h;
  bytes = g_memdup2 (cairo_image_surface_get_data (s), *size);
  cairo_surface_destroy (s);
  return bytes;
}

/* Ward merge by merge on the dendrogram: the tree at step s has the first s merges drawn
 * opaque (in their clusters' colours, the last one highlighted) and the rest faded; its colours
 * are the scatter frame's of that step, and a merge recolours only the smaller of the two
 * clusters; stepping back then forward draws the same bytes; the last frame is the result's
 * tree. */
static void
test_dendrogram_steps (void)
{
  static const char *const params[] = { "linkage", "ward", "k", "3", NULL };
  Run run = { 0 };
  const CsTrace *t;
  const CsClustering *c;
  guint n_frames;
  gsize n;

  run_algorithm (&run, "agglomerative", 60, params, 0);
  t = run.r->trace;
  c = run.r->clustering;
  n = c->n;
  n_frames = cs_playback_n_frames (t);
  /* One frame per merge down to the cut (merges 1 … n − k), then the result. */
  g_assert_cmpuint (n_frames, ==, n - c->k + 1);
  for (guint s = 0; s + 1 < n_frames; s++)
    {
      g_autoptr (CsDendrogramModel) m = cs_dendrogram_model_new_step (c, t, s, run.base->color_slot);
      g_autoptr (CsPlotModel) f = cs_plot_frame_new (run.base, t, c, s, &plain);
      gsize done = 0;
      gsize current = 0;
      gsize to_come = 0;

      g_assert_nonnull (m);
      g_assert_true (m->step);
      g_assert_cmpint (step (t, s)->kind, ==, CS_TRACE_STEP_MERGE);
      for (gsize r = 0; r + 1 < n; r++)
        switch (cs_dendrogram_model_merge_state (m, r))
          {
          case CS_DENDROGRAM_MERGE_IN_CLUSTER: done++; g_assert_cmpuint (r, <, s); break;
          case CS_DENDROGRAM_MERGE_CURRENT: current++; g_assert_cmpuint (r, ==, s); break;
          case CS_DENDROGRAM_MERGE_TO_COME: to_come++; g_assert_cmpuint (r, >, s); break;
          default: g_assert_not_reached ();
          }
      /* Step s (from 0) has made s + 1 merges. */
      g_assert_cmpuint (done + current, ==, s + 1);
      g_assert_cmpuint (current, ==, 1);
      g_assert_cmpuint (to_come, ==, n - 2 - s);
      /* The k at this step, the labels and the colours of the scatter's frame. */
      g_assert_cmpuint (m->k, ==, n - (s + 1));
      g_assert_cmpuint (f->k, ==, m->k);
      g_assert_cmpmem (m->labels, n * sizeof (int), f->labels, n * sizeof (int));
      g_assert_cmpmem (m->color_slot, m->k * sizeof (int), f->color_slot, f->k * sizeof (int));
      g_assert_nonnull (strstr (f->caption, "Merge"));
      g_assert_cmpfloat (m->cut_height, >=, c->merges[s * 4 + 2]);
      /* Between this step and the next, only the rows of the smaller cluster merged change colour. */
      if (s + 2 < n_frames)
        {
          g_autoptr (CsDendrogramModel) next = cs_dendrogram_model_new_step (c, t, s + 1, run.base->color_slot);
          gsize a = (gsize) c->merges[(s + 1) * 4], b = (gsize) c->merges[(s + 1) * 4 + 1];
          gsize sa = a < n ? 1 : (gsize) c->merges[(a - n) * 4 + 3];
          gsize sb = b < n ? 1 : (gsize) c->merges[(b - n) * 4 + 3];
          gsize smaller = sa >= sb ? b : a;
          gsize changed = 0;

          for (gsize i = 0; i < n; i++)
            if (row_slot (m->labels, m->color_slot, i) != row_slot (next->labels, next->color_slot, i))
              changed++;
          g_assert_cmpuint (changed, <=, MIN (sa, sb));
          g_assert_cmpuint (changed, ==, smaller < n ? 1 : (gsize) c->merges[(smaller - n) * 4 + 3]);
        }
    }
  /* The end of playback is the result's own tree. */
  {
    g_autoptr (CsDendrogramModel) last = cs_dendrogram_model_new_step (c, t, n_frames - 1, run.base->color_slot);
    g_assert_nonnull (last);
    g_assert_false (last->step);
    g_assert_cmpuint (last->k, ==, c->k);
    g_assert_cmpmem (last->labels, n * sizeof (int), c->labels, n * sizeof (int));
    g_assert_cmpmem (last->color_slot, c->k * sizeof (int), run.base->color_slot, c->k * sizeof (int));
  }
  /* Pixels: back then forward gives the same bytes, neighbours differ; the root's bar (still to
   * come) is faded, while the last merge made is drawn opaque in its cluster's colour. */
  {
    g_autoptr (CsDendrogramModel) a = cs_dendrogram_model_new_step (c, t, 20, run.base->color_slot);
    g_autoptr (CsDendrogramModel) b = cs_dendrogram_model_new_step (c, t, 19, run.base->color_slot);
    g_autoptr (CsDendrogramModel) a2 = cs_dendrogram_model_new_step (c, t, 20, run.base->color_slot);
    g_autoptr (CsDendrogramModel) last = cs_dendrogram_model_new_step (c, t, n_frames - 1, run.base->color_slot);
    gsize sa, sb, sa2, sl;
    int stride;
    g_autofree guchar *pa = render_dendrogram (a, 900, 560, &sa, &stride);
    g_autofree guchar *pb = render_dendrogram (b, 900, 560, &sb, &stride);
    g_autofree guchar *pa2 = render_dendrogram (a2, 900, 560, &sa2, &stride);
    g_autofree guchar *pl = render_dendrogram (last, 900, 560, &sl, &stride);
    CsRect frame;
    double x_root;
    double y_root;
    const guchar *px;
    const guchar *pxl;

    g_assert_cmpmem (pa, sa, pa2, sa2);
    g_assert_true (sa != sb || memcmp (pa, pb, sa) != 0);
    cs_render_dendrogram_layout (a, 900, 560, &frame);
    x_root = frame.x + a->node_x[n - 2 - a->first] / (double) a->p * frame.width;
    y_root = cs_render_dendrogram_y (a, &frame, c->merges[(n - 2) * 4 + 2]);
    /* Faded grey over white: light. At the end the same bar is the opaque grey of links above the cut. */
    px = pa + (gsize) floor (y_root) * stride + (gsize) floor (x_root) * 4;
    g_assert_cmpuint (px[0], >, 200);
    g_assert_cmpuint (px[1], >, 200);
    g_assert_cmpuint (px[2], >, 200);
    g_assert_cmpuint (px[0], <, 250);
    cs_render_dendrogram_layout (last, 900, 560, &frame);
    x_root = frame.x + last->node_x[n - 2 - last->first] / (double) last->p * frame.width;
    y_root = cs_render_dendrogram_y (last, &frame, c->merges[(n - 2) * 4 + 2]);
    pxl = pl + (gsize) floor (y_root) * stride + (gsize) floor (x_root) * 4;
    g_assert_cmpuint (pxl[0], <, 160);
  }
  run_clear (&run);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/playback/kmeans/assign-update-trails-last-is-result", test_kmeans);
  g_test_add_func ("/playback/kmedoids/swaps-lower-loss-last-is-result", test_medoids);
  g_test_add_func ("/playback/gmm/em-loglik-ellipses-shading", test_gmm);
  g_test_add_func ("/playback/meanshift-dbscan/positions-and-discovery", test_meanshift_and_dbscan);
  g_test_add_func ("/playback/labels-only-trace-plays", test_labels_only_trace);
  g_test_add_func ("/playback/back-then-forward-identical-frames", test_back_then_forward_identical);
  g_test_add_func ("/playback/memory-bound-limits-or-refuses", test_memory_bound);
  g_test_add_func ("/playback/kmedoids/pam-fastpam1-build-record-best-candidates", test_pam_candidates);
  g_test_add_func ("/playback/agglomerative/dendrogram-steps-merge-by-merge", test_dendrogram_steps);
  return g_test_run ();
}
