#include "ui/render/cs-render-condensed-tree.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-format.h"
#include "core/cluster/cs-registry.h"
#include "ui/render/cs-render-views-private.h"

/* Model ------------------------------------------------------------------------------- */

typedef struct
{
  gsize  parent;
  double lambda;
  gsize  count;
} Event;

static int
event_cmp (gconstpointer a, gconstpointer b)
{
  const Event *ea = a, *eb = b;

  if (ea->parent != eb->parent)
    return ea->parent < eb->parent ? -1 : 1;
  return ea->lambda < eb->lambda ? -1 : ea->lambda > eb->lambda ? 1 : 0;
}

static char *
tree_title (const CsClustering *c, gsize noise)
{
  g_autofree char *k = cs_format_count (c->k);
  g_autofree char *rows = cs_format_count (noise);
  const CsAlgorithm *algo = c->params != NULL ? cs_params_get_algorithm (c->params) : NULL;

  if (algo != NULL && g_str_equal (algo->id, "hdbscan"))
    return g_strdup_printf ("HDBSCAN condensed tree · %s cluster%s, %s noise row%s · smallest cluster "
                            "%" G_GINT64_FORMAT, k, c->k == 1 ? "" : "s", rows, noise == 1 ? "" : "s",
                            cs_params_get_int (c->params, "min_cluster_size"));
  return g_strdup_printf ("HDBSCAN condensed tree · %s cluster%s, %s noise row%s", k, c->k == 1 ? "" : "s", rows,
                          noise == 1 ? "" : "s");
}

CsCondensedTreeModel *
cs_condensed_tree_model_new (const CsClustering *c, const int *color_slot)
{
  const CsCondensedTree *t;
  CsCondensedTreeModel  *m;
  g_autofree Event      *ev = NULL;
  g_autofree gsize      *child_start = NULL;
  g_autofree guint      *children = NULL;
  g_autofree gsize      *fill = NULL;
  gsize                  n, nc, n_ev = 0;

  g_return_val_if_fail (c != NULL, NULL);
  t = c->condensed_tree;
  if (t == NULL || t->n_clusters == 0 || t->n == 0)
    return NULL;
  n = t->n;
  nc = t->n_clusters;
  m = g_new0 (CsCondensedTreeModel, 1);
  g_atomic_ref_count_init (&m->ref);
  m->n = n;
  m->n_clusters = (guint) nc;
  m->k = c->k;
  m->parent = g_new (int, nc);
  m->birth = g_new0 (double, nc);
  m->death = g_new0 (double, nc);
  m->bottom = g_new0 (double, nc);
  m->size = g_new0 (gsize, nc);
  m->x0 = g_new0 (double, nc);
  m->label = g_memdup2 (t->label, nc * sizeof (int));
  m->owner = g_new (int, nc);
  m->ev_start = g_new0 (gsize, nc + 1);
  m->color_slot = g_new (int, MAX (c->k, 1));
  for (guint j = 0; j < c->k; j++)
    m->color_slot[j] = color_slot != NULL ? color_slot[j] : (int) j;
  for (gsize i = 0; i < c->n; i++)
    m->noise += c->labels[i] < 0;

  m->lambda_max = 0.0;
  for (gsize e = 0; e < t->n_edges; e++)
    if (isfinite (t->lambda[e]))
      m->lambda_max = MAX (m->lambda_max, t->lambda[e]);
  if (!(m->lambda_max > 0))
    m->lambda_max = 1.0;

  m->parent[0] = -1;
  m->size[0] = n;
  for (gsize e = 0; e < t->n_edges; e++)
    if (t->child[e] >= n)
      {
        gsize ci = t->child[e] - n;

        m->parent[ci] = (int) (t->parent[e] - n);
        m->birth[ci] = MIN (t->lambda[e], m->lambda_max);
        m->size[ci] = t->size[e];
      }

  /* What leaves each cluster, by λ, equal λ merged: a split's two children leave together. */
  ev = g_new (Event, MAX (t->n_edges, 1));
  for (gsize e = 0; e < t->n_edges; e++)
    ev[e] = (Event){ t->parent[e] - n, MIN (t->lambda[e], m->lambda_max), t->size[e] };
  if (t->n_edges > 0)
    qsort (ev, t->n_edges, sizeof (Event), event_cmp);
  m->ev_lambda = g_new (double, MAX (t->n_edges, 1));
  m->ev_count = g_new (gsize, MAX (t->n_edges, 1));
  for (gsize e = 0; e < t->n_edges; e++)
    {
      if (n_ev > 0 && e > 0 && ev[e].parent == ev[e - 1].parent && ev[e].lambda == m->ev_lambda[n_ev - 1])
        {
          m->ev_count[n_ev - 1] += ev[e].count;
          continue;
        }
      m->ev_lambda[n_ev] = ev[e].lambda;
      m->ev_count[n_ev] = ev[e].count;
      m->ev_start[ev[e].parent + 1] = ++n_ev;
    }
  /* Clusters that nothing leaves (none in a well-formed tree) start where the previous ends. */
  for (gsize ci = 1; ci <= nc; ci++)
    m->ev_start[ci] = MAX (m->ev_start[ci], m->ev_start[ci - 1]);
  for (gsize ci = 0; ci < nc; ci++)
    m->death[ci] = m->ev_start[ci + 1] > m->ev_start[ci] ? m->ev_lambda[m->ev_start[ci + 1] - 1] : m->birth[ci];

  /* Children are born after their parent and numbered after it: one pass down, one up. */
  for (gsize ci = 0; ci < nc; ci++)
    m->owner[ci] = m->label[ci] >= 0 ? m->label[ci] : m->parent[ci] >= 0 ? m->owner[m->parent[ci]] : -1;
  for (gsize ci = nc; ci-- > 0;)
    {
      m->bottom[ci] = MAX (m->bottom[ci], m->death[ci]);
      if (m->parent[ci] >= 0)
        m->bottom[m->parent[ci]] = MAX (m->bottom[m->parent[ci]], m->bottom[ci]);
    }

  /* Spans: the children tile the middle of their parent's span, in the tree's order, so each
   * hangs exactly under the part of the parent's bar that is left when it splits. */
  child_start = g_new0 (gsize, nc + 1);
  children = g_new (guint, MAX (nc, 1));
  fill = g_new0 (gsize, nc);
  for (gsize ci = 1; ci < nc; ci++)
    child_start[m->parent[ci] + 1]++;
  for (gsize ci = 0; ci < nc; ci++)
    child_start[ci + 1] += child_start[ci];
  for (gsize ci = 1; ci < nc; ci++)
    children[child_start[m->parent[ci]] + fill[m->parent[ci]]++] = (guint) ci;
  for (gsize ci = 0; ci < nc; ci++)
    {
      gsize  total = 0;
      double x;

      for (gsize j = child_start[ci]; j < child_start[ci + 1]; j++)
        total += m->size[children[j]];
      x = m->x0[ci] + 0.5 * ((double) m->size[ci] - (double) total);
      for (gsize j = child_start[ci]; j < child_start[ci + 1]; j++)
        {
          m->x0[children[j]] = x;
          x += (double) m->size[children[j]];
        }
    }
  m->title = tree_title (c, m->noise);
  return m;
}

CsCondensedTreeModel *
cs_condensed_tree_model_ref (CsCondensedTreeModel *m)
{
  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_condensed_tree_model_unref (CsCondensedTreeModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  g_free (m->parent);
  g_free (m->birth);
  g_free (m->death);
  g_free (m->bottom);
  g_free (m->size);
  g_free (m->x0);
  g_free (m->label);
  g_free (m->owner);
  g_free (m->ev_start);
  g_free (m->ev_lambda);
  g_free (m->ev_count);
  g_free (m->color_slot);
  g_free (m->title);
  g_free (m);
}

/* Layout ------------------------------------------------------------------------------ */

#define RING_PAD 5.0 /* a ring's distance above and below its cluster's bars */
#define BAR_GAP  8.0 /* between the bars of siblings */

typedef struct
{
  CsRect frame;
  double ymax;
  double ticks[CS_STYLE_MAX_TICKS];
  guint  n_ticks;
  double step;
  double title_h;
  double ylabel_h;
  double note_h;
  double line_h;
  char **caption; /* Owned */
} TLayout;

static const char *const y_label = "λ = 1 / distance";

static char *
caption_text (const CsCondensedTreeModel *m)
{
  if (m->n_clusters <= 1)
    return g_strdup ("No split leaves two parts of the smallest cluster size: every row is noise");
  return g_strdup ("Bar width: rows still in the cluster · ringed: the clusters HDBSCAN selected, in the scatter "
                   "plot’s colours (lighter: their subclusters) · grey: rows that leave there are noise");
}

static void
t_layout (const CsCondensedTreeModel *m, double width, double height, TLayout *L)
{
  g_autofree char *caption = caption_text (m);
  double           left, top, bottom, right, max_tick_w = 0.0;
  guint            target, lines = 0;

  memset (L, 0, sizeof *L);
  if (m->title != NULL && m->title[0] != '\0')
    cs_i_text_extents (m->title, CS_STYLE_TITLE_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, NULL, &L->title_h);
  cs_i_text_extents (y_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->ylabel_h);
  cs_i_text_extents ("0", CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, NULL, &L->note_h);
  cs_i_text_extents ("Ag", CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->line_h);
  L->caption = cs_i_text_wrap (caption, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, width - 2 * CS_STYLE_PAD,
                               width - 2 * CS_STYLE_PAD);
  lines = g_strv_length (L->caption);
  L->ymax = m->lambda_max * 1.04;

  /* A row for the selected clusters' numbers above the frame. */
  top = CS_STYLE_PAD + (L->title_h > 0 ? L->title_h + 8.0 : 0.0) + L->note_h + RING_PAD + 4.0;
  right = CS_STYLE_PAD + RING_PAD + 2.0;
  bottom = CS_STYLE_PAD + RING_PAD + 6.0 + lines * L->line_h;
  target = (guint) CLAMP ((height - top - bottom) / 50.0, 2.0, 10.0);
  L->n_ticks = cs_nice_ticks (0.0, L->ymax, target, L->ticks, CS_STYLE_MAX_TICKS);
  L->step = L->n_ticks >= 2 ? L->ticks[1] - L->ticks[0] : L->ymax;
  for (guint t = 0; t < L->n_ticks; t++)
    {
      g_autofree char *s = cs_i_format_tick (L->ticks[t], L->step);
      double           w;

      cs_i_text_extents (s, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
      max_tick_w = MAX (max_tick_w, w);
    }
  left = CS_STYLE_PAD + L->ylabel_h + 8.0 + max_tick_w + CS_STYLE_TICK_GAP + RING_PAD;
  L->frame.x = round (left);
  L->frame.y = round (top);
  L->frame.width = MAX (1.0, floor (width - left - right));
  L->frame.height = MAX (1.0, floor (height - top - bottom));
}

void
cs_render_condensed_tree_layout (const CsCondensedTreeModel *m, double width, double height, CsRect *frame)
{
  TLayout L;

  g_return_if_fail (m != NULL && frame != NULL);
  t_layout (m, width, height, &L);
  *frame = L.frame;
  g_strfreev (L.caption);
}

double
cs_render_condensed_tree_y (const CsCondensedTreeModel *m, const CsRect *frame, double lambda)
{
  return frame->y + frame->height * CLAMP (lambda, 0.0, m->lambda_max) / (m->lambda_max * 1.04);
}

static double
row_x (const CsCondensedTreeModel *m, const CsRect *frame, double rows)
{
  return frame->x + frame->width * rows / (double) m->n;
}

double
cs_render_condensed_tree_x (const CsCondensedTreeModel *m, const CsRect *frame, guint i)
{
  g_return_val_if_fail (i < m->n_clusters, frame->x);
  return row_x (m, frame, m->x0[i] + 0.5 * (double) m->size[i]);
}

/* Drawing ----------------------------------------------------------------------------- */

static void
cluster_rgb (cairo_t *cr, const CsCondensedTreeModel *m, guint i, double rgb[3])
{
  int owner = m->owner[i];

  if (owner < 0 || (guint) owner >= m->k)
    {
      cs_i_render_neutral (cr, rgb);
      return;
    }
  cs_i_view_cluster_rgb (cr, m->color_slot, (guint) owner, rgb);
  if (m->label[i] < 0)
    for (int e = 0; e < 3; e++)
      rgb[e] = 0.55 * rgb[e] + 0.45;
}

/* A bar's half width in canvas units for `rows` rows: BAR_GAP less than its span, so siblings
 * stand apart, but at least half a unit while any rows are left, so a small cluster of a large
 * tree stays visible. */
static double
half_width (const CsCondensedTreeModel *m, const CsRect *f, gsize rows)
{
  return rows == 0 ? 0.0 : 0.5 * MAX (f->width * (double) rows / (double) m->n - BAR_GAP, 1.0);
}

/* One bar: its outline narrows at each λ where rows leave; steps closer than half a unit are
 * merged, so a bar has at most one step per device row however many rows leave it. */
static void
draw_bar (cairo_t *cr, const CsCondensedTreeModel *m, const TLayout *L, guint i)
{
  const CsRect      *f = &L->frame;
  double             cx = cs_render_condensed_tree_x (m, f, i);
  double             y0 = cs_render_condensed_tree_y (m, f, m->birth[i]);
  gsize              first = m->ev_start[i], last = m->ev_start[i + 1];
  g_autofree double *sy = g_new (double, last - first + 1);
  g_autofree double *sw = g_new (double, last - first + 1); /* half widths after each step */
  gsize              n_steps = 0, left = m->size[i];
  double             rgb[3];

  for (gsize e = first; e < last; e++)
    {
      double y = cs_render_condensed_tree_y (m, f, m->ev_lambda[e]);

      left = left > m->ev_count[e] ? left - m->ev_count[e] : 0;
      if (n_steps > 0 && y - sy[n_steps - 1] < 0.5 && e + 1 < last)
        {
          sw[n_steps - 1] = half_width (m, f, left);
          continue;
        }
      sy[n_steps] = y;
      sw[n_steps] = half_width (m, f, left);
      n_steps++;
    }
  cairo_new_path (cr);
  cairo_move_to (cr, cx - half_width (m, f, m->size[i]), y0);
  for (gsize s = 0; s < n_steps; s++)
    {
      cairo_line_to (cr, cx - (s > 0 ? sw[s - 1] : half_width (m, f, m->size[i])), sy[s]);
      cairo_line_to (cr, cx - sw[s], sy[s]);
    }
  for (gsize s = n_steps; s-- > 0;)
    {
      cairo_line_to (cr, cx + sw[s], sy[s]);
      cairo_line_to (cr, cx + (s > 0 ? sw[s - 1] : half_width (m, f, m->size[i])), sy[s]);
    }
  cairo_line_to (cr, cx + half_width (m, f, m->size[i]), y0);
  cairo_close_path (cr);
  cluster_rgb (cr, m, i, rgb);
  cs_i_view_set_rgb (cr, rgb);
  cairo_fill (cr);
}

/* Where each cluster splits: a line over its children's tops. */
static void
draw_splits (cairo_t *cr, const CsCondensedTreeModel *m, const TLayout *L)
{
  const CsRect      *f = &L->frame;
  g_autofree double *lo = g_new (double, m->n_clusters);
  g_autofree double *hi = g_new (double, m->n_clusters);
  g_autofree double *y = g_new (double, m->n_clusters);

  for (guint i = 0; i < m->n_clusters; i++)
    {
      lo[i] = INFINITY;
      hi[i] = -INFINITY;
    }
  for (guint c = 1; c < m->n_clusters; c++)
    {
      int p = m->parent[c];

      lo[p] = MIN (lo[p], row_x (m, f, m->x0[c]));
      hi[p] = MAX (hi[p], row_x (m, f, m->x0[c] + (double) m->size[c]));
      y[p] = cs_render_condensed_tree_y (m, f, m->birth[c]);
    }
  cairo_save (cr);
  cairo_set_line_width (cr, 1.25);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  for (guint i = 0; i < m->n_clusters; i++)
    if (isfinite (lo[i]))
      {
        double sy = cs_i_view_snap_y (cr, y[i]);

        cairo_move_to (cr, lo[i], sy);
        cairo_line_to (cr, hi[i], sy);
      }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_rings (cairo_t *cr, const CsCondensedTreeModel *m, const TLayout *L)
{
  const CsRect *f = &L->frame;
  double        label_end = -INFINITY;
  g_autofree guint *order = g_new (guint, MAX (m->n_clusters, 1));
  guint         n_sel = 0;

  /* Selected clusters never nest, so left to right is by their spans' starts. */
  for (guint i = 0; i < m->n_clusters; i++)
    if (m->label[i] >= 0 && (guint) m->label[i] < m->k)
      {
        guint j = n_sel++;

        while (j > 0 && m->x0[order[j - 1]] > m->x0[i])
          {
            order[j] = order[j - 1];
            j--;
          }
        order[j] = i;
      }
  cairo_save (cr);
  cairo_set_line_width (cr, 2.0);
  for (guint s = 0; s < n_sel; s++)
    {
      guint            i = order[s];
      /* Around the span, inside the gap to a sibling's bar, so neighbouring rings stay apart. */
      double           hw = half_width (m, f, m->size[i]) + 2.0;
      double           cx = cs_render_condensed_tree_x (m, f, i);
      double           y0 = cs_render_condensed_tree_y (m, f, m->birth[i]) - RING_PAD;
      double           y1 = cs_render_condensed_tree_y (m, f, m->bottom[i]) + RING_PAD;
      double           r = MIN (8.0, MIN (hw, 0.5 * (y1 - y0)));
      g_autofree char *name = g_strdup_printf ("%d", m->label[i] + 1);
      double           rgb[3], tw;

      cs_i_view_cluster_rgb (cr, m->color_slot, (guint) m->label[i], rgb);
      cs_i_view_set_rgb (cr, rgb);
      cairo_new_sub_path (cr);
      cairo_arc (cr, cx + hw - r, y0 + r, r, -G_PI / 2, 0);
      cairo_arc (cr, cx + hw - r, y1 - r, r, 0, G_PI / 2);
      cairo_arc (cr, cx - hw + r, y1 - r, r, G_PI / 2, G_PI);
      cairo_arc (cr, cx - hw + r, y0 + r, r, G_PI, 3 * G_PI / 2);
      cairo_close_path (cr);
      cairo_stroke (cr);
      /* The cluster's number (the scatter legend's "Cluster j"), where it does not run into
       * the previous one. */
      cs_i_text_extents (name, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, &tw, NULL);
      if (cx - tw / 2 > label_end + 4.0)
        {
          cs_i_text_draw (cr, name, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, cx, y0 - 2.0, 0.5, 1.0, 0.0);
          label_end = cx + tw / 2;
        }
    }
  cairo_restore (cr);
}

static void
draw_axis (cairo_t *cr, const CsCondensedTreeModel *m, const TLayout *L, double width)
{
  const CsRect *f = &L->frame;

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  for (guint t = 0; t < L->n_ticks; t++)
    {
      double           y = cs_i_view_snap_y (cr, cs_render_condensed_tree_y (m, f, L->ticks[t]));
      g_autofree char *s = cs_i_format_tick (L->ticks[t], L->step);

      if (L->ticks[t] > m->lambda_max * 1.04 + 1e-12)
        continue;
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_GRID);
      cairo_move_to (cr, f->x, y);
      cairo_line_to (cr, f->x + f->width, y);
      cairo_stroke (cr);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, s, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x - CS_STYLE_TICK_GAP - RING_PAD, y,
                      1.0, 0.5, 0.0);
    }
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  cs_i_text_draw (cr, y_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD, f->y + f->height / 2, 0.5,
                  0.0, -G_PI / 2);
  if (L->title_h > 0)
    cs_i_view_draw_title (cr, m->title, CS_STYLE_PAD, width);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
  for (guint i = 0; L->caption[i] != NULL; i++)
    cs_i_text_draw (cr, L->caption[i], CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD,
                    f->y + f->height + RING_PAD + 6.0 + i * L->line_h, 0.0, 0.0, 0.0);
  cairo_restore (cr);
}

void
cs_render_condensed_tree (cairo_t *cr, gconstpointer model, double width, double height)
{
  const CsCondensedTreeModel *m = model;
  TLayout                     L;

  g_return_if_fail (cr != NULL);
  cairo_save (cr);
  cs_i_view_clear (cr, width, height);
  if (m != NULL)
    {
      t_layout (m, width, height, &L);
      draw_axis (cr, m, &L, width);
      for (guint i = 0; i < m->n_clusters; i++)
        draw_bar (cr, m, &L, i);
      draw_splits (cr, m, &L);
      draw_rings (cr, m, &L);
      g_strfreev (L.caption);
    }
  cairo_restore (cr);
}
