#include "ui/render/cs-render-dendrogram.h"

#include <math.h>
#include <string.h>

#include "core/cluster/cs-agglomerative.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-views-private.h"

/* Model ------------------------------------------------------------------------------- */

double
cs_dendrogram_cut_height_for (const double *merges,
                              gsize         n,
                              gsize         n_keep)
{
  double lo, hi;

  if (n < 2 || n_keep == 0)
    return n >= 2 ? merges[2] / 2 : 0.0;
  lo = merges[(n_keep - 1) * 4 + 2];
  if (n_keep >= n - 1)
    return lo * 1.02 + (lo == 0 ? 1.0 : 0.0);
  hi = merges[n_keep * 4 + 2];
  return (lo + hi) / 2;
}

CsDendrogramModel *
cs_dendrogram_model_new (gsize         n,
                         const double *merges,
                         gsize         n_keep,
                         double        cut_height,
                         const int    *color_slot,
                         guint         max_leaves)
{
  CsDendrogramModel *m = g_new0 (CsDendrogramModel, 1);
  gsize              nodes = n > 0 ? 2 * n - 1 : 1;
  g_autofree gsize  *rep = g_new (gsize, nodes);
  g_autofree gsize  *stack = NULL;
  gsize              len = 0, j = 0;

  g_return_val_if_fail (n >= 1 && (n == 1 || merges != NULL) && n_keep < n, NULL);

  g_atomic_ref_count_init (&m->ref);
  m->n = n;
  m->merges = g_memdup2 (merges, MAX (n - 1, 1) * 4 * sizeof (double));
  m->n_keep = n_keep;
  m->labels = g_new (int, n);
  m->k = cs_agglomerative_cut (m->merges, n, n_keep, m->labels);
  m->color_slot = g_new (int, MAX (m->k, 1));
  for (guint c = 0; c < m->k; c++)
    m->color_slot[c] = color_slot != NULL ? color_slot[c] : (int) c;
  m->cut_height = isnan (cut_height) ? cs_dendrogram_cut_height_for (merges, n, n_keep) : cut_height;
  m->top = n > 1 ? merges[(n - 2) * 4 + 2] : 0.0;
  if (!isfinite (m->top))
    m->top = 0.0;
  m->y_label = g_strdup ("Merge height");

  /* Sizes, a row under every node and the cluster of nodes below the cut. */
  m->node_size = g_new (gsize, nodes);
  m->node_label = g_new (int, nodes);
  for (gsize i = 0; i < n; i++)
    {
      rep[i] = i;
      m->node_size[i] = 1;
      m->node_label[i] = m->labels[i];
    }
  for (gsize r = 0; r + 1 < n; r++)
    {
      gsize a = (gsize) merges[r * 4], b = (gsize) merges[r * 4 + 1];
      rep[n + r] = rep[a];
      m->node_size[n + r] = m->node_size[a] + m->node_size[b];
      m->node_label[n + r] = r < n_keep ? m->labels[rep[a]] : -1;
    }

  /* lastp truncation: p leaves, at least the clusters of the cut. */
  m->p = MIN (n, MAX ((gsize) MAX (max_leaves, 2), (gsize) m->k));
  m->first = n - m->p;
  m->leaf_node = g_new (gsize, m->p);
  m->node_x = g_new (double, MAX (n - 1 - m->first, 1));
  {
    g_autofree double *x = g_new (double, nodes);

    stack = g_new (gsize, 2 * n);
    stack[len++] = nodes - 1;
    while (len > 0)
      {
        gsize v = stack[--len];
        if (v < n + m->first)
          {
            x[v] = j + 0.5;
            m->leaf_node[j++] = v;
          }
        else
          {
            stack[len++] = (gsize) merges[(v - n) * 4 + 1];
            stack[len++] = (gsize) merges[(v - n) * 4 + 0];
          }
      }
    g_assert (j == m->p);
    /* Children come before their parent in the sorted matrix. */
    for (gsize r = m->first; r + 1 < n; r++)
      {
        x[n + r] = (x[(gsize) merges[r * 4]] + x[(gsize) merges[r * 4 + 1]]) / 2;
        m->node_x[r - m->first] = x[n + r];
      }
  }
  return m;
}

CsDendrogramModel *
cs_dendrogram_model_new_from_result (const CsClustering *c,
                                     const int          *color_slot)
{
  g_return_val_if_fail (c != NULL, NULL);
  if (c->merges == NULL || c->n < 1 || c->k < 1 || c->k > c->n)
    return NULL;
  return cs_dendrogram_model_new (c->n, c->merges, c->n - c->k, NAN, color_slot, CS_DENDROGRAM_MAX_LEAVES);
}

CsDendrogramModel *
cs_dendrogram_model_ref (CsDendrogramModel *m)
{
  g_return_val_if_fail (m != NULL, NULL);
  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_dendrogram_model_unref (CsDendrogramModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  g_free (m->merges);
  g_free (m->labels);
  g_free (m->color_slot);
  g_free (m->leaf_node);
  g_free (m->node_x);
  g_free (m->node_size);
  g_free (m->node_label);
  g_free (m->title);
  g_free (m->y_label);
  g_free (m);
}

/* Layout ------------------------------------------------------------------------------ */

#define STRIP_H 8.0

typedef struct
{
  CsRect frame;
  double ymax;
  double ticks[CS_STYLE_MAX_TICKS];
  guint  n_ticks;
  double step;
  double tick_h;
  double title_h;
  double ylabel_h;
  double leaf_label_w; /* the longest leaf caption, drawn rotated */
  gboolean leaf_labels;
} DLayout;

static char *
leaf_caption (const CsDendrogramModel *m, gsize v)
{
  g_autofree char *count = NULL;

  if (v < m->n)
    return g_strdup_printf ("%" G_GSIZE_FORMAT, v);
  count = cs_i_format_count (m->node_size[v]);
  return g_strdup_printf ("(%s)", count);
}

static void
d_layout (const CsDendrogramModel *m, double width, double height, DLayout *L)
{
  double left, top, bottom, right;
  double max_tick_w = 0;
  guint  target;

  memset (L, 0, sizeof *L);
  cs_i_text_extents ("0", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->tick_h);
  if (m->title != NULL && m->title[0] != '\0')
    cs_i_text_extents (m->title, CS_STYLE_TITLE_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, NULL, &L->title_h);
  if (m->y_label != NULL && m->y_label[0] != '\0')
    cs_i_text_extents (m->y_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->ylabel_h);

  L->ymax = MAX (m->top, m->cut_height) * 1.05;
  if (!(L->ymax > 0))
    L->ymax = 1.0;

  top = CS_STYLE_PAD + (L->title_h > 0 ? L->title_h + 8.0 : 0.0) + 4.0;
  right = CS_STYLE_PAD + 8.0;
  /* Leaf captions, rotated, when each leaf has room for a line of text. */
  for (gsize j = 0; j < m->p; j++)
    {
      g_autofree char *t = leaf_caption (m, m->leaf_node[j]);
      double           w;
      cs_i_text_extents (t, CS_STYLE_NOTE_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
      L->leaf_label_w = MAX (L->leaf_label_w, w);
    }
  target = (guint) CLAMP ((height - top - 60.0) / 50.0, 2.0, 10.0);
  L->n_ticks = cs_nice_ticks (0.0, L->ymax, target, L->ticks, CS_STYLE_MAX_TICKS);
  L->step = L->n_ticks >= 2 ? L->ticks[1] - L->ticks[0] : L->ymax;
  for (guint t = 0; t < L->n_ticks; t++)
    {
      g_autofree char *s = cs_i_format_tick (L->ticks[t], L->step);
      double           w;
      cs_i_text_extents (s, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
      max_tick_w = MAX (max_tick_w, w);
    }
  left = CS_STYLE_PAD + (L->ylabel_h > 0 ? L->ylabel_h + 8.0 : 0.0) + max_tick_w + CS_STYLE_TICK_GAP;
  {
    double fw = MAX (1.0, floor (width - left - right));
    double tick_h;
    cs_i_text_extents ("0", CS_STYLE_NOTE_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &tick_h);
    L->leaf_labels = m->p > 0 && fw / m->p >= tick_h * 1.1;
  }
  bottom = CS_STYLE_PAD + 4.0 + STRIP_H + (L->leaf_labels ? L->leaf_label_w + 4.0 : 0.0);
  L->frame.x = round (left);
  L->frame.y = round (top);
  L->frame.width = MAX (1.0, floor (width - left - right));
  L->frame.height = MAX (1.0, floor (height - top - bottom));
}

void
cs_render_dendrogram_layout (const CsDendrogramModel *m,
                             double                   width,
                             double                   height,
                             CsRect                  *frame)
{
  DLayout L;

  g_return_if_fail (m != NULL && frame != NULL);
  d_layout (m, width, height, &L);
  *frame = L.frame;
}

static double
axis_top (const CsDendrogramModel *m)
{
  double ymax = MAX (m->top, m->cut_height) * 1.05;
  return ymax > 0 ? ymax : 1.0;
}

double
cs_render_dendrogram_y (const CsDendrogramModel *m,
                        const CsRect            *frame,
                        double                   h)
{
  return frame->y + frame->height * (1.0 - h / axis_top (m));
}

double
cs_render_dendrogram_height_at (const CsDendrogramModel *m,
                                const CsRect            *frame,
                                double                   y)
{
  return (1.0 - (y - frame->y) / frame->height) * axis_top (m);
}

/* Drawing ----------------------------------------------------------------------------- */

static double
node_x (const CsDendrogramModel *m, const DLayout *L, const double *leaf_x, gsize v)
{
  double u = v < m->n + m->first ? leaf_x[v] : m->node_x[v - m->n - m->first];
  return L->frame.x + u / (double) m->p * L->frame.width;
}

static double
node_h (const CsDendrogramModel *m, gsize v)
{
  return v < m->n + m->first ? 0.0 : m->merges[(v - m->n) * 4 + 2];
}

static void
set_node_colour (cairo_t *cr, const CsDendrogramModel *m, int label)
{
  double rgb[3];

  if (label >= 0 && (guint) label < m->k)
    cs_i_view_cluster_rgb (cr, m->color_slot, (guint) label, rgb);
  else
    memcpy (rgb, CS_STYLE_RGB_TICK, sizeof rgb);
  cs_i_view_set_rgb (cr, rgb);
}

static void
draw_axis (cairo_t *cr, const CsDendrogramModel *m, const DLayout *L, double width)
{
  const CsRect *f = &L->frame;

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  for (guint t = 0; t < L->n_ticks; t++)
    {
      double           y = cs_i_view_snap_y (cr, cs_render_dendrogram_y (m, f, L->ticks[t]));
      g_autofree char *s = cs_i_format_tick (L->ticks[t], L->step);

      cs_i_view_set_rgb (cr, CS_STYLE_RGB_GRID);
      cairo_move_to (cr, f->x, y);
      cairo_line_to (cr, f->x + f->width, y);
      cairo_stroke (cr);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, s, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x - CS_STYLE_TICK_GAP, y, 1.0, 0.5, 0.0);
    }
  if (L->ylabel_h > 0)
    {
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      cs_i_text_draw (cr, m->y_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD,
                      f->y + f->height / 2, 0.5, 0.0, -G_PI / 2);
    }
  if (L->title_h > 0)
    cs_i_view_draw_title (cr, m->title, f->x, width);
  cairo_restore (cr);
}

static void
draw_tree (cairo_t *cr, const CsDendrogramModel *m, const DLayout *L)
{
  g_autofree double *leaf_x = g_new (double, m->n + m->first);
  /* Thinner links when leaves are packed, so neighbours stay apart. */
  double lw = CLAMP (L->frame.width / (double) m->p / 3.0, 0.75, 1.75);
  int    current = G_MININT;

  for (gsize j = 0; j < m->p; j++)
    leaf_x[m->leaf_node[j]] = j + 0.5;
  cairo_save (cr);
  cairo_set_line_width (cr, lw);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
  /* Merges grouped into one path per colour run: 20,000 rows still make at most p − 1 ∏s. */
  for (gsize r = m->first; r + 1 < m->n; r++)
    {
      gsize  a = (gsize) m->merges[r * 4], b = (gsize) m->merges[r * 4 + 1];
      double xa = node_x (m, L, leaf_x, a), xb = node_x (m, L, leaf_x, b);
      double ya = cs_render_dendrogram_y (m, &L->frame, node_h (m, a));
      double yb = cs_render_dendrogram_y (m, &L->frame, node_h (m, b));
      double y = cs_render_dendrogram_y (m, &L->frame, m->merges[r * 4 + 2]);
      int    label = m->node_label[m->n + r];

      if (!isfinite (y))
        continue;
      if (label != current)
        {
          cairo_stroke (cr);
          set_node_colour (cr, m, label);
          current = label;
        }
      cairo_move_to (cr, xa, ya);
      cairo_line_to (cr, xa, y);
      cairo_line_to (cr, xb, y);
      cairo_line_to (cr, xb, yb);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_leaves (cairo_t *cr, const CsDendrogramModel *m, const DLayout *L)
{
  const CsRect *f = &L->frame;
  double        w = f->width / (double) m->p;
  double        y0 = f->y + f->height + 4.0;

  cairo_save (cr);
  for (gsize j = 0; j < m->p; j++)
    {
      gsize v = m->leaf_node[j];
      /* Whole device pixels, so a packed strip has no seams. */
      double x0 = floor (f->x + j * w), x1 = floor (f->x + (j + 1) * w);

      set_node_colour (cr, m, m->node_label[v]);
      cairo_rectangle (cr, x0, y0, MAX (x1 - x0, 1.0), STRIP_H);
      cairo_fill (cr);
      if (L->leaf_labels)
        {
          g_autofree char *t = leaf_caption (m, v);
          cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
          cs_i_text_draw (cr, t, CS_STYLE_NOTE_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x + (j + 0.5) * w,
                          y0 + STRIP_H + 3.0, 1.0, 0.5, -G_PI / 2);
        }
    }
  cairo_restore (cr);
}

static void
draw_cut (cairo_t *cr, const CsDendrogramModel *m, const DLayout *L)
{
  const CsRect    *f = &L->frame;
  double           y = cs_render_dendrogram_y (m, f, MIN (m->cut_height, L->ymax));
  g_autofree char *count = cs_i_format_count (m->k);
  g_autofree char *h = cs_render_format_number (m->cut_height);
  g_autofree char *text = g_strdup_printf ("cut at %s · %s cluster%s", h, count, m->k == 1 ? "" : "s");

  cairo_save (cr);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, (double[]) { 6.0, 4.0 }, 2, 0.0);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_INK);
  cairo_move_to (cr, f->x, y);
  cairo_line_to (cr, f->x + f->width, y);
  cairo_stroke (cr);
  cs_i_text_draw (cr, text, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, f->x + f->width - 2.0, y - 3.0, 1.0, 1.0,
                  0.0);
  cairo_restore (cr);
}

void
cs_render_dendrogram (cairo_t       *cr,
                      gconstpointer  model,
                      double         width,
                      double         height)
{
  const CsDendrogramModel *m = model;
  DLayout                  L;

  g_return_if_fail (cr != NULL);
  cairo_save (cr);
  cs_i_view_clear (cr, width, height);
  if (m != NULL && m->n < 2)
    {
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, "No dendrogram: one row has nothing to merge", CS_STYLE_LABEL_SIZE,
                      CS_STYLE_WEIGHT_NORMAL, width / 2, height / 2, 0.5, 0.5, 0.0);
    }
  else if (m != NULL)
    {
      d_layout (m, width, height, &L);
      draw_axis (cr, m, &L, width);
      draw_tree (cr, m, &L);
      draw_leaves (cr, m, &L);
      draw_cut (cr, m, &L);
    }
  cairo_restore (cr);
}
