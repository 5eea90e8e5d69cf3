#include "ui/render/cs-plot-frame.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-format.h"
#include "core/cluster/cs-agglomerative.h"
#include "core/cluster/cs-trace.h"
#include "ui/render/cs-colormap.h"
#include "ui/render/cs-palette.h"

/* Trails longer than this show the last ones: the path's end is what the eye follows. */
#define MAX_TRAIL 200

guint
cs_playback_n_frames (const CsTrace *trace)
{
  int last;

  if (trace == NULL || trace->refused || trace->steps == NULL || trace->steps->len < 2)
    return 0;
  last = ((const CsTraceStep *) g_ptr_array_index (trace->steps, trace->steps->len - 1))->kind;
  /* A swap, a merge or a BUILD step is shown with what it changed, the result at the end
   * without: when the trace ends on one, the result is one more frame, so that the last swap
   * or merge is seen too. */
  return trace->steps->len
         + (trace->truncated || last == CS_TRACE_STEP_SWAP || last == CS_TRACE_STEP_MERGE
                    || last == CS_TRACE_STEP_BUILD
                ? 1
                : 0);
}

gboolean
cs_plot_model_project (const CsPlotModel *m, const double *f, double *x, double *y)
{
  gsize d = m->proj_d;

  if (m->proj == NULL)
    return FALSE;
  *x = m->proj[d];
  *y = m->proj[2 * d + 1];
  for (gsize t = 0; t < d; t++)
    {
      *x += m->proj[t] * f[t];
      *y += m->proj[d + 1 + t] * f[t];
    }
  return TRUE;
}

gboolean
cs_plot_model_project_cov (const CsPlotModel *m, const double *s, double out[3])
{
  gsize d = m->proj_d;
  const double *p0;
  const double *p1;

  if (m->proj == NULL)
    return FALSE;
  p0 = m->proj;
  p1 = m->proj + d + 1;
  out[0] = out[1] = out[2] = 0.0;
  for (gsize a = 0; a < d; a++)
    for (gsize b = 0; b < d; b++)
      {
        double v = s[a * d + b];
        out[0] += p0[a] * v * p0[b];
        out[1] += p0[a] * v * p1[b];
        out[2] += p1[a] * v * p1[b];
      }
  return TRUE;
}

static guint32
pack_rgb (const double rgb[3])
{
  return 0xff000000u | ((guint32) lround (CLAMP (rgb[0], 0, 1) * 255) << 16)
         | ((guint32) lround (CLAMP (rgb[1], 0, 1) * 255) << 8) | (guint32) lround (CLAMP (rgb[2], 0, 1) * 255);
}

static void
slot_rgb (const CsPlotModel *m, guint j, double rgb[3])
{
  cs_palette_color (m->color_slot != NULL && j < m->k ? (guint) m->color_slot[j] : j, rgb);
}

/* Responsibilities in float (trace) or double (result), n × k. */
static void
shade (CsPlotModel *m, const float *rf, const double *rd, guint k, CsShadeMode mode)
{
  double top = k > 1 ? 1.0 - 1.0 / k : 1.0;

  if (mode == CS_SHADE_CLUSTERS || (rf == NULL && rd == NULL) || m->labels == NULL)
    return;
  g_free (m->point_rgb);
  m->point_rgb = g_new (guint32, m->n);
  for (gsize i = 0; i < m->n; i++)
    {
      double rgb[3] = { 0, 0, 0 };
      double best = 0.0;

      for (guint j = 0; j < k; j++)
        {
          double r = rf != NULL ? rf[i * k + j] : rd[i * k + j];
          double c[3];

          best = MAX (best, r);
          if (mode != CS_SHADE_SOFT)
            continue;
          slot_rgb (m, j, c);
          for (int e = 0; e < 3; e++)
            rgb[e] += r * c[e];
        }
      if (mode == CS_SHADE_UNCERTAINTY)
        cs_colormap_rgb (CS_COLORMAP_GREY, 0.15 + 0.85 * CLAMP ((1.0 - best) / top, 0.0, 1.0), rgb);
      m->point_rgb[i] = pack_rgb (rgb);
    }
  g_free (m->shade_legend);
  m->shade_legend = g_strdup (mode == CS_SHADE_SOFT
                                  ? "Colours blended by each point's membership probabilities"
                                  : "Darker points are less certain (1 − the largest membership probability)");
}

static void
add_ellipses (CsPlotModel *m, const CsMatrix *centers, const CsMatrix *cov, guint k)
{
  gsize d;

  if (centers == NULL || cov == NULL || m->proj == NULL || centers->cols != m->proj_d || k != m->k)
    return;
  d = centers->cols;
  g_free (m->ellipse);
  m->ellipse = g_new (double, (gsize) k * 5);
  for (guint j = 0; j < k; j++)
    {
      double *e = m->ellipse + (gsize) j * 5;
      cs_plot_model_project (m, cs_matrix_row (centers, j), &e[0], &e[1]);
      cs_plot_model_project_cov (m, cov->data + (gsize) j * d * d, e + 2);
    }
}

static CsPlotModel *
copy_base (const CsPlotModel *base)
{
  CsPlotModel *f = cs_plot_model_copy (base);

  cs_plot_model_clear_overlays (f);
  return f;
}

CsPlotModel *
cs_plot_frame_new_result (const CsPlotModel    *base,
                          const CsClustering   *result,
                          const CsFrameOptions *options)
{
  CsPlotModel *f = copy_base (base);

  if (result == NULL)
    return f;
  if (options->ellipses)
    add_ellipses (f, result->centers, result->covariances, result->k);
  if (result->responsibilities != NULL && result->responsibilities->rows == f->n)
    shade (f, NULL, result->responsibilities->data, result->k, options->shade);
  return f;
}

static const CsTraceStep *
step_at (const CsTrace *trace, guint s)
{
  return g_ptr_array_index (trace->steps, s);
}

gboolean
cs_playback_merges_done (const CsTrace      *trace,
                         const CsClustering *result,
                         guint               frame,
                         gsize              *n_done)
{
  guint n_frames = cs_playback_n_frames (trace);
  const CsTraceStep *st;
  int top = -1;

  if (result == NULL || result->merges == NULL || result->n < 2 || n_frames == 0 || frame >= n_frames
      || trace->n != result->n)
    return FALSE;
  if (frame == n_frames - 1)
    {
      *n_done = result->n - result->k;
      return TRUE;
    }
  st = step_at (trace, frame);
  /* Agglomerative numbers its steps by the merges done; the labels must agree with that. */
  if (st->labels == NULL || st->iteration == 0 || st->iteration >= result->n)
    return FALSE;
  for (gsize i = 0; i < result->n; i++)
    top = MAX (top, st->labels[i]);
  if ((gsize) top + 1 != result->n - st->iteration)
    return FALSE;
  *n_done = st->iteration;
  return TRUE;
}

int *
cs_merge_color_slots (const double *merges,
                      gsize         n,
                      gsize         n_done,
                      gsize         n_final,
                      const int    *final_slots)
{
  gsize nodes = 2 * n - 1;
  g_autofree int *slot = g_new (int, nodes);
  g_autofree gsize *rep = g_new (gsize, nodes);
  g_autofree gsize *parent = g_new (gsize, nodes);
  g_autofree int *labels = g_new (int, n);
  g_autofree guint8 *used = NULL;
  gsize n_used;
  gsize next = 0;
  guint kf;
  int *out;

  g_return_val_if_fail (n >= 1 && n_done < n && n_final < n, NULL);

  for (gsize v = 0; v < nodes; v++)
    {
      slot[v] = -1;
      parent[v] = G_MAXSIZE;
      rep[v] = v;
    }
  for (gsize r = 0; r + 1 < n; r++)
    {
      gsize a = (gsize) merges[r * 4], b = (gsize) merges[r * 4 + 1];
      parent[a] = parent[b] = n + r;
      rep[n + r] = rep[a];
    }
  kf = cs_agglomerative_cut (merges, n, n_final, labels);
  n_used = kf + n + 1;
  for (guint j = 0; final_slots != NULL && j < kf; j++)
    n_used = MAX (n_used, (gsize) final_slots[j] + n + 1);
  used = g_new0 (guint8, n_used);
  /* The clusters of the final cut: the nodes made by then that nothing made by then contains. */
  for (gsize v = 0; v < n + n_final; v++)
    if (parent[v] == G_MAXSIZE || parent[v] - n >= n_final)
      {
        int l = labels[rep[v]];
        slot[v] = final_slots != NULL ? final_slots[l] : l;
        if (slot[v] >= 0 && (gsize) slot[v] < n_used)
          used[slot[v]] = 1;
      }
  /* Back from the final cut: each merge undone hands its colour to the larger half. */
  for (gsize r = n_final; r-- > n_done;)
    {
      gsize a = (gsize) merges[r * 4], b = (gsize) merges[r * 4 + 1];
      double sa = a < n ? 1.0 : merges[(a - n) * 4 + 3];
      double sb = b < n ? 1.0 : merges[(b - n) * 4 + 3];
      gsize keep = sa >= sb ? a : b;
      gsize other = keep == a ? b : a;

      slot[keep] = slot[n + r];
      while (next + 1 < n_used && used[next])
        next++;
      slot[other] = (int) next;
      used[next] = 1;
    }
  /* Forward past the final cut (a step after the result's): the larger half's colour. */
  for (gsize r = n_final; r < n_done; r++)
    {
      gsize a = (gsize) merges[r * 4], b = (gsize) merges[r * 4 + 1];
      double sa = a < n ? 1.0 : merges[(a - n) * 4 + 3];
      double sb = b < n ? 1.0 : merges[(b - n) * 4 + 3];

      slot[n + r] = slot[sa >= sb ? a : b];
    }
  /* Down to the rows: everything inside a cluster of this cut has its colour. */
  for (gsize r = n_done; r-- > 0;)
    slot[(gsize) merges[r * 4]] = slot[(gsize) merges[r * 4 + 1]] = slot[n + r];
  out = g_new (int, MAX (n - n_done, 1));
  cs_agglomerative_cut (merges, n, n_done, labels);
  for (gsize i = 0; i < n; i++)
    out[labels[i]] = slot[i];
  return out;
}

/* The labels a step shows: k may grow past the result's (agglomerative, before merges). */
static void
set_step_labels (CsPlotModel *f, const CsPlotModel *base, const CsTraceStep *s, gsize n, const int *merge_slots)
{
  guint k = base->k;
  g_autofree int *slots = base->color_slot != NULL ? g_memdup2 (base->color_slot, base->k * sizeof (int)) : NULL;

  if (s->labels == NULL)
    {
      /* Nothing assigned yet: every point unlabelled, but the legend keeps its place (the
       * plot does not jump between the first step and the second). */
      g_autofree int *none = g_new (int, n);

      for (gsize i = 0; i < n; i++)
        none[i] = -1;
      cs_plot_model_set_labels (f, none, k);
      if (slots != NULL)
        memcpy (f->color_slot, slots, k * sizeof (int));
      f->noise_name = g_strdup ("Not assigned yet");
      return;
    }
  for (gsize i = 0; i < n; i++)
    if (s->labels[i] >= (int) k)
      k = (guint) s->labels[i] + 1;
  cs_plot_model_set_labels (f, s->labels, k);
  if (merge_slots != NULL)
    memcpy (f->color_slot, merge_slots, k * sizeof (int));
  else if (slots != NULL)
    for (guint j = 0; j < MIN (k, base->k); j++)
      f->color_slot[j] = slots[j];
}

static void
set_centers (CsPlotModel *f, const CsMatrix *c)
{
  g_clear_pointer (&f->center_x, g_free);
  g_clear_pointer (&f->center_y, g_free);
  f->center_x = g_new (double, f->k);
  f->center_y = g_new (double, f->k);
  f->centers_are_medoids = FALSE;
  for (guint j = 0; j < f->k; j++)
    if (j >= c->rows || !cs_plot_model_project (f, cs_matrix_row (c, j), &f->center_x[j], &f->center_y[j]))
      f->center_x[j] = f->center_y[j] = NAN;
}

/* Where each centre has been: the projected centres of every earlier step that moved them. */
static void
add_trails (CsPlotModel *f, const CsTrace *trace, guint upto)
{
  g_autoptr (GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) ys = g_array_new (FALSE, FALSE, sizeof (double));
  guint k = f->k;
  guint n = 0;
  guint first;

  if (f->proj == NULL || k == 0)
    return;
  for (guint s = 0; s <= upto; s++)
    {
      const CsTraceStep *st = step_at (trace, s);
      gboolean moved = n == 0;

      if (st->centers == NULL || st->centers->rows != k || st->centers->cols != f->proj_d)
        continue;
      for (guint j = 0; j < k; j++)
        {
          double x;
          double y;
          cs_plot_model_project (f, cs_matrix_row (st->centers, j), &x, &y);
          if (n > 0 && (x != g_array_index (xs, double, (n - 1) * k + j)
                        || y != g_array_index (ys, double, (n - 1) * k + j)))
            moved = TRUE;
          g_array_append_val (xs, x);
          g_array_append_val (ys, y);
        }
      if (moved)
        n++;
      else
        {
          g_array_set_size (xs, (gsize) n * k);
          g_array_set_size (ys, (gsize) n * k);
        }
    }
  if (n < 2)
    return;
  first = n > MAX_TRAIL ? n - MAX_TRAIL : 0;
  f->n_trail = n - first;
  f->trail_x = g_memdup2 (&g_array_index (xs, double, (gsize) first * k), (gsize) f->n_trail * k * sizeof (double));
  f->trail_y = g_memdup2 (&g_array_index (ys, double, (gsize) first * k), (gsize) f->n_trail * k * sizeof (double));
}

static void
swap_highlight (CsPlotModel *f, const CsTrace *trace, guint s)
{
  const CsTraceStep *st = step_at (trace, s);
  const CsTraceStep *prev = s > 0 ? step_at (trace, s - 1) : NULL;

  f->swap_leaving = st->leaving;
  f->swap_entering = st->entering;
  if (st->candidates != NULL && st->n_candidates > 0)
    {
      g_free (f->candidates);
      f->candidates = g_memdup2 (st->candidates, st->n_candidates * sizeof (gsize));
      f->n_candidates = st->n_candidates;
    }
  if (f->swap_entering >= 0 || prev == NULL || st->medoids == NULL || prev->medoids == NULL)
    return;
  /* Methods that do not say (alternating): the first medoid that changed. */
  for (guint j = 0; j < trace->k; j++)
    if (st->medoids[j] != prev->medoids[j])
      {
        f->swap_leaving = (gssize) prev->medoids[j];
        f->swap_entering = (gssize) st->medoids[j];
        break;
      }
}

static void
discovery (CsPlotModel *f, const guint8 *kinds)
{
  g_free (f->point_rgb);
  f->point_rgb = g_new0 (guint32, f->n);
  for (gsize i = 0; i < f->n; i++)
    {
      double rgb[3];

      if (kinds[i] == CS_TRACE_UNVISITED)
        f->point_rgb[i] = 0xffd4d7dcu;
      else if (kinds[i] == CS_POINT_BORDER && f->labels != NULL && f->labels[i] >= 0)
        {
          /* Border points are lighter: members that cannot extend the cluster. */
          slot_rgb (f, (guint) f->labels[i], rgb);
          for (int e = 0; e < 3; e++)
            rgb[e] = 0.45 * rgb[e] + 0.55;
          f->point_rgb[i] = pack_rgb (rgb);
        }
    }
  g_free (f->shade_legend);
  f->shade_legend = g_strdup ("Grey: not reached yet · light: border points · full colour: core points");
}

/* What the thin rings of a swap or BUILD frame are (all the candidates, or which of them), for
 * the note under the plot: the caption above it is full with what the step did. */
static char *
candidates_note (const CsTraceStep *st)
{
  g_autofree char *all = NULL;

  if (st->n_candidates == 0 || st->n_evaluated == 0)
    return NULL;
  all = cs_format_count (st->n_evaluated);
  if (st->candidate_slots == NULL)
    return st->n_evaluated > st->n_candidates
               ? g_strdup_printf ("Thin rings: the last %u of %s rows tried", st->n_candidates, all)
               : g_strdup_printf ("Thin rings: the %s row%s tried", all,
                                  st->n_evaluated == 1 ? "" : "s");
  if (st->n_evaluated <= st->n_candidates)
    return g_strdup_printf ("Thin rings: all %s candidates evaluated", all);
  if (st->kind == CS_TRACE_STEP_BUILD)
    return g_strdup_printf ("Thin rings: best %u of %s rows evaluated", st->n_candidates, all);
  {
    /* Kept per slot: the most any slot has. */
    g_autofree guint *per = g_new0 (guint, st->n_candidates);
    guint most = 0;

    for (guint c = 0; c < st->n_candidates; c++)
      if (st->candidate_slots[c] < st->n_candidates)
        {
          guint here = ++per[st->candidate_slots[c]];
          most = MAX (most, here);
        }
    return g_strdup_printf ("Thin rings: best %u swap%s per medoid, of %s evaluated", most,
                            most == 1 ? "" : "s", all);
  }
}

static char *
caption (const CsTrace *trace, guint frame, guint n_frames, const CsTraceStep *st, guint k)
{
  GString *s = g_string_new (NULL);
  g_autofree char *pos = cs_format_count (frame + 1);
  g_autofree char *all = cs_format_count (n_frames);
  CsTraceStepKind kind = st != NULL ? (CsTraceStepKind) st->kind : CS_TRACE_STEP_FINAL;

  g_string_append_printf (s, "Step %s of %s · ", pos, all);
  if (st == NULL)
    {
      g_string_append (s, "Final result");
      return g_string_free (s, FALSE);
    }
  if (kind == CS_TRACE_STEP_INIT)
    g_string_append (s, "Start");
  else if (kind == CS_TRACE_STEP_FINAL)
    g_string_append (s, "Final result");
  else if (kind == CS_TRACE_STEP_SWAP)
    g_string_append_printf (s, "Swap %u", st->iteration);
  else if (kind == CS_TRACE_STEP_BUILD)
    g_string_append_printf (s, "BUILD %u of %u", st->iteration, trace->k);
  else if (kind == CS_TRACE_STEP_MERGE)
    g_string_append_printf (s, "Merge %u", st->iteration);
  else if (kind == CS_TRACE_STEP_DISCOVER)
    g_string_append (s, "Discovery");
  else if (kind == CS_TRACE_STEP_GENERIC)
    g_string_append_printf (s, "Step %u", st->iteration);
  else
    g_string_append_printf (s, "Iteration %u — %s", st->iteration, cs_trace_step_kind_name (kind));
  if (st->note != NULL && st->note[0] != '\0')
    g_string_append_printf (s, "%s%s", kind == CS_TRACE_STEP_ASSIGN || kind == CS_TRACE_STEP_UPDATE
                                               || kind == CS_TRACE_STEP_E || kind == CS_TRACE_STEP_M
                                               || kind == CS_TRACE_STEP_SHIFT
                                           ? ": "
                                           : " — ",
                            st->note);
  if (kind == CS_TRACE_STEP_MERGE && st->labels != NULL)
    {
      g_autofree char *count = cs_format_count (k);
      g_string_append_printf (s, " · %s cluster%s", count, k == 1 ? "" : "s");
    }
  return g_string_free (s, FALSE);
}

CsPlotModel *
cs_plot_frame_new (const CsPlotModel    *base,
                   const CsTrace        *trace,
                   const CsClustering   *result,
                   guint                 frame,
                   const CsFrameOptions *options)
{
  guint n_frames = cs_playback_n_frames (trace);
  const CsTraceStep *st;
  const float *resp = NULL;
  CsPlotModel *f;
  gsize n_done = 0;
  g_autofree int *merge_slots = NULL;

  g_return_val_if_fail (base != NULL, NULL);

  if (n_frames == 0 || frame >= n_frames || trace->n != base->n)
    return cs_plot_frame_new_result (base, result, options);
  /* The end of playback is the result exactly as every other view (and a saved session)
   * shows it: no caption, no trails. */
  if (frame == n_frames - 1)
    return cs_plot_frame_new_result (base, result, options);

  st = step_at (trace, frame);
  f = copy_base (base);
  if (cs_playback_merges_done (trace, result, frame, &n_done) && base->k == result->k)
    merge_slots = cs_merge_color_slots (result->merges, result->n, n_done, result->n - result->k, base->color_slot);
  set_step_labels (f, base, st, base->n, merge_slots);

  if (st->positions != NULL && f->proj != NULL && st->d == f->proj_d)
    {
      g_autofree double *p = g_new (double, st->d);
      for (gsize i = 0; i < f->n; i++)
        {
          for (gsize t = 0; t < st->d; t++)
            p[t] = st->positions[i * st->d + t];
          cs_plot_model_project (f, p, &f->x[i], &f->y[i]);
        }
    }

  if (f->labels != NULL || st->centers != NULL)
    {
      if (st->centers != NULL && f->proj != NULL && st->centers->cols == f->proj_d)
        {
          if (f->labels == NULL)
            f->k = MIN (trace->k, st->centers->rows);
          set_centers (f, st->centers);
          add_trails (f, trace, frame);
        }
      else if (st->medoids != NULL)
        cs_plot_model_compute_centers (f, st->medoids);
      else if (base->center_x != NULL && f->labels != NULL)
        cs_plot_model_compute_centers (f, NULL);
    }
  swap_highlight (f, trace, frame);

  if (options->ellipses && st->covariances != NULL)
    add_ellipses (f, st->centers, st->covariances, f->k);
  /* An M-step keeps the colours of the E-step before it. */
  for (guint s = frame + 1; s-- > 0 && resp == NULL;)
    resp = step_at (trace, s)->responsibilities;
  if (resp != NULL && f->labels != NULL)
    shade (f, resp, NULL, f->k, options->shade);
  if (st->point_kinds != NULL)
    {
      discovery (f, st->point_kinds);
      /* Before the last step every row without a cluster is one the scan has not reached. */
      f->noise_name = g_strdup ("Not reached yet");
    }
  f->caption = caption (trace, frame, n_frames, st, f->k);
  if (f->shade_legend == NULL)
    f->shade_legend = candidates_note (st);
  return f;
}
