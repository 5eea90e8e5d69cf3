#include "ui/render/cs-render-views.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ui/render/cs-render-views-private.h"

/* Model ------------------------------------------------------------------------------- */

static int
compare_descending (const void *a,
                    const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x < y) - (x > y);
}

CsSilhouetteModel *
cs_silhouette_model_new (gsize         n,
                         const double *values,
                         const int    *labels,
                         guint         k,
                         const int    *color_slot)
{
  CsSilhouetteModel *m = g_new0 (CsSilhouetteModel, 1);
  g_autofree gsize *fill = NULL;
  double sum = 0.0;

  g_return_val_if_fail (n == 0 || (values != NULL && labels != NULL), NULL);

  g_atomic_ref_count_init (&m->ref);
  m->k = k;
  m->offsets = g_new0 (gsize, k + 1);
  m->color_slot = g_new (int, MAX (k, 1));
  for (guint j = 0; j < k; j++)
    m->color_slot[j] = color_slot != NULL ? color_slot[j] : (int) j;

  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]) && labels[i] >= 0 && labels[i] < (int) k)
      m->offsets[labels[i] + 1]++;
  for (guint j = 0; j < k; j++)
    m->offsets[j + 1] += m->offsets[j];
  m->n = m->offsets[k];
  m->values = g_new (double, MAX (m->n, 1));

  fill = g_memdup2 (m->offsets, (k + 1) * sizeof (gsize));
  for (gsize i = 0; i < n; i++)
    if (isfinite (values[i]) && labels[i] >= 0 && labels[i] < (int) k)
      m->values[fill[labels[i]]++] = values[i];
  for (guint j = 0; j < k; j++)
    qsort (m->values + m->offsets[j], m->offsets[j + 1] - m->offsets[j], sizeof (double), compare_descending);

  m->min = m->n > 0 ? INFINITY : NAN;
  for (gsize i = 0; i < m->n; i++)
    {
      sum += m->values[i];
      m->min = MIN (m->min, m->values[i]);
    }
  m->average = m->n > 0 ? sum / (double) m->n : NAN;
  m->x_label = g_strdup ("Silhouette coefficient");
  return m;
}

CsSilhouetteModel *
cs_silhouette_model_ref (CsSilhouetteModel *m)
{
  g_return_val_if_fail (m != NULL, NULL);

  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_silhouette_model_unref (CsSilhouetteModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  g_free (m->values);
  g_free (m->offsets);
  g_free (m->color_slot);
  g_free (m->title);
  g_free (m->x_label);
  g_free (m);
}

/* Layout ------------------------------------------------------------------------------ */

typedef struct
{
  CsRect frame;
  double x_lo;     /* axis from x_lo to 1 */
  double gap;      /* between clusters */
  double bar_h;
  double xticks[CS_STYLE_MAX_TICKS];
  guint  n_xticks;
  double xstep;
  double tick_h;
  double small_h;
  double title_h;
  double xlabel_h;
  double label_w;  /* cluster captions on the left */
} SilLayout;

static guint
n_groups (const CsSilhouetteModel *m)
{
  guint g = 0;

  for (guint j = 0; j < m->k; j++)
    g += m->offsets[j + 1] > m->offsets[j];
  return g;
}

static double
axis_lo (const CsSilhouetteModel *m)
{
  /* Whole tenths below −0.1 keep the ticks on round values. */
  if (!(m->min < -0.1))
    return -0.1;
  return MAX (-1.0, floor (m->min * 10.0 + 1e-9) / 10.0);
}

static void
sil_layout (const CsSilhouetteModel *m,
            double                   width,
            double                   height,
            SilLayout               *L)
{
  double top;
  double bottom;
  double left;
  double right;
  guint groups = n_groups (m);
  guint target;

  memset (L, 0, sizeof *L);
  L->x_lo = axis_lo (m);

  cs_i_text_extents ("0", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->tick_h);
  cs_i_text_extents ("0", CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->small_h);
  if (m->title != NULL && m->title[0] != '\0')
    cs_i_text_extents (m->title, CS_STYLE_TITLE_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, NULL, &L->title_h);
  if (m->x_label != NULL && m->x_label[0] != '\0')
    cs_i_text_extents (m->x_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->xlabel_h);
  for (guint j = 0; j < m->k; j++)
    {
      g_autofree char *name = g_strdup_printf ("Cluster %u", j + 1);
      double w;

      if (m->offsets[j + 1] == m->offsets[j])
        continue;
      cs_i_text_extents (name, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, &w, NULL);
      L->label_w = MAX (L->label_w, w);
    }

  /* The average's caption sits in a row of its own above the bars. */
  top = CS_STYLE_PAD + (L->title_h > 0 ? L->title_h + 8.0 : 0.0) + L->small_h + 6.0;
  bottom = CS_STYLE_TICK_GAP + L->tick_h + (L->xlabel_h > 0 ? 6.0 + L->xlabel_h : 0.0) + CS_STYLE_PAD * 0.85;
  left = CS_STYLE_PAD + L->label_w + 10.0;
  right = CS_STYLE_PAD + 10.0;

  L->frame.x = round (left);
  L->frame.y = round (top);
  L->frame.width = MAX (1.0, floor (width - L->frame.x - right));
  L->frame.height = MAX (1.0, floor (height - top - bottom));

  L->gap = groups > 1 ? MIN (10.0, 0.25 * L->frame.height / groups) : 0.0;
  L->bar_h = m->n > 0 ? (L->frame.height - L->gap * (groups > 0 ? groups - 1 : 0)) / (double) m->n : 0.0;

  target = (guint) CLAMP (L->frame.width / 60.0, 2.0, 12.0);
  L->n_xticks = cs_nice_ticks (L->x_lo, 1.0, target, L->xticks, CS_STYLE_MAX_TICKS);
  L->xstep = L->n_xticks >= 2 ? L->xticks[1] - L->xticks[0] : 0.1;
}

static double
value_x (const SilLayout *L,
         double           v)
{
  return L->frame.x + (v - L->x_lo) / (1.0 - L->x_lo) * L->frame.width;
}

/* Top of cluster j's first bar. */
static double
group_top (const CsSilhouetteModel *m,
           const SilLayout         *L,
           guint                    j)
{
  guint before = 0;

  for (guint i = 0; i < j; i++)
    before += m->offsets[i + 1] > m->offsets[i];
  return L->frame.y + before * L->gap + (double) m->offsets[j] * L->bar_h;
}

void
cs_render_silhouette_layout (const CsSilhouetteModel *m,
                             double                   width,
                             double                   height,
                             CsRect                  *frame)
{
  SilLayout L;

  g_return_if_fail (m != NULL && frame != NULL);

  sil_layout (m, width, height, &L);
  *frame = L.frame;
}

double
cs_render_silhouette_x (const CsSilhouetteModel *m,
                        const CsRect            *frame,
                        double                   value)
{
  SilLayout L;

  g_return_val_if_fail (m != NULL && frame != NULL, 0.0);

  memset (&L, 0, sizeof L);
  L.frame = *frame;
  L.x_lo = axis_lo (m);
  return value_x (&L, value);
}

void
cs_render_silhouette_bar_y (const CsSilhouetteModel *m,
                            const CsRect            *frame,
                            gsize                    i,
                            double                  *y0,
                            double                  *y1)
{
  guint groups;
  double gap;
  double bar_h;
  guint before = 0;

  g_return_if_fail (m != NULL && frame != NULL && i < m->n);

  /* The same arithmetic as sil_layout, from the frame alone. */
  groups = n_groups (m);
  gap = groups > 1 ? MIN (10.0, 0.25 * frame->height / groups) : 0.0;
  bar_h = (frame->height - gap * (groups > 0 ? groups - 1 : 0)) / (double) m->n;
  for (guint j = 0; j < m->k && m->offsets[j + 1] <= i; j++)
    before += m->offsets[j + 1] > m->offsets[j];
  *y0 = frame->y + before * gap + (double) i * bar_h;
  *y1 = *y0 + bar_h;
}

/* Drawing ----------------------------------------------------------------------------- */

static void
draw_bars (cairo_t                 *cr,
           const CsSilhouetteModel *m,
           const SilLayout         *L)
{
  double x0 = value_x (L, 0.0);
  /* Separate bars while each is tall enough to see as one; below that (or for many
   * points) a cluster is a single outline, which is fast and leaves no hairline seams
   * between neighbouring anti-aliased bars. */
  gboolean separate = L->bar_h >= 3.0 && m->n <= CS_RENDER_SILHOUETTE_MAX_BARS;
  double inset = separate ? MIN (0.15 * L->bar_h, 1.5) : 0.0;

  cairo_save (cr);
  for (guint j = 0; j < m->k; j++)
    {
      gsize a = m->offsets[j];
      gsize b = m->offsets[j + 1];
      double y = group_top (m, L, j);
      double rgb[3];

      if (a == b)
        continue;
      if (separate)
        for (gsize i = a; i < b; i++, y += L->bar_h)
          {
            double x1 = value_x (L, m->values[i]);
            cairo_rectangle (cr, MIN (x0, x1), y + inset / 2, fabs (x1 - x0), L->bar_h - inset);
          }
      else
        {
          cairo_move_to (cr, x0, y);
          for (gsize i = a; i < b; i++, y += L->bar_h)
            {
              double x1 = value_x (L, m->values[i]);
              cairo_line_to (cr, x1, y);
              cairo_line_to (cr, x1, y + L->bar_h);
            }
          cairo_line_to (cr, x0, y);
          cairo_close_path (cr);
        }
      cs_i_view_cluster_rgb (cr, m->color_slot, j, rgb);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

static void
draw_grid_and_axis (cairo_t                 *cr,
                    const CsSilhouetteModel *m,
                    const SilLayout         *L,
                    double                   width)
{
  const CsRect *f = &L->frame;

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_GRID);
  for (guint i = 0; i < L->n_xticks; i++)
    {
      double cx = cs_i_view_snap_x (cr, value_x (L, L->xticks[i]));
      cairo_move_to (cr, cx, f->y);
      cairo_line_to (cr, cx, f->y + f->height);
    }
  cairo_stroke (cr);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_FRAME);
  cairo_move_to (cr, f->x, cs_i_view_snap_y (cr, f->y + f->height));
  cairo_line_to (cr, f->x + f->width, cs_i_view_snap_y (cr, f->y + f->height));
  cairo_stroke (cr);
  cairo_restore (cr);

  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
  for (guint i = 0; i < L->n_xticks; i++)
    {
      g_autofree char *t = cs_i_format_tick (L->xticks[i], L->xstep);
      double tw;
      double cx = value_x (L, L->xticks[i]);

      cs_i_text_extents (t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &tw, NULL);
      cx = CLAMP (cx, tw / 2 + 2.0, width - tw / 2 - 2.0);
      cs_i_text_draw (cr, t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, cx,
                      f->y + f->height + CS_STYLE_TICK_GAP, 0.5, 0.0, 0.0);
    }
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  if (L->xlabel_h > 0)
    cs_i_text_draw (cr, m->x_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x + f->width / 2,
                    f->y + f->height + CS_STYLE_TICK_GAP + L->tick_h + 6.0, 0.5, 0.0, 0.0);
  if (L->title_h > 0)
    cs_i_view_draw_title (cr, m->title, f->x, width);
}

static void
draw_cluster_captions (cairo_t                 *cr,
                       const CsSilhouetteModel *m,
                       const SilLayout         *L)
{
  for (guint j = 0; j < m->k; j++)
    {
      gsize size = m->offsets[j + 1] - m->offsets[j];
      double h = (double) size * L->bar_h;
      double mid = group_top (m, L, j) + h / 2;
      double x = L->frame.x - 8.0;
      g_autofree char *name = NULL;
      g_autofree char *count = NULL;
      double rgb[3];

      if (size == 0 || h < L->small_h * 0.9)
        continue;
      name = g_strdup_printf ("Cluster %u", j + 1);
      count = cs_i_format_count (size);
      cs_i_view_cluster_rgb (cr, m->color_slot, j, rgb);
      if (h >= 2.1 * L->small_h)
        {
          cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
          cs_i_text_draw (cr, name, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, x, mid, 1.0, 1.0, 0.0);
          cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
          cs_i_text_draw (cr, count, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, x, mid, 1.0, 0.0, 0.0);
        }
      else
        {
          cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
          cs_i_text_draw (cr, name, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, x, mid, 1.0, 0.5, 0.0);
        }
      /* A short stripe in the cluster colour ties the caption to its bars. */
      cairo_rectangle (cr, L->frame.x - 4.0, group_top (m, L, j), 2.5, h);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_fill (cr);
    }
}

static void
draw_reference_lines (cairo_t                 *cr,
                      const CsSilhouetteModel *m,
                      const SilLayout         *L,
                      double                   width)
{
  const CsRect *f = &L->frame;
  double zx = cs_i_view_snap_x (cr, value_x (L, 0.0));
  double ax;
  g_autofree char *avg = NULL;
  g_autofree char *text = NULL;
  double tw;

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
  cairo_move_to (cr, zx, f->y);
  cairo_line_to (cr, zx, f->y + f->height);
  cairo_stroke (cr);

  if (isfinite (m->average))
    {
      ax = value_x (L, m->average);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, (double[]) { 5.0, 3.0 }, 2, 0.0);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_INK);
      cairo_move_to (cr, ax, f->y - 3.0);
      cairo_line_to (cr, ax, f->y + f->height);
      cairo_stroke (cr);

      avg = cs_i_format_tick (m->average, 0.001);
      text = g_strdup_printf ("average %s", avg);
      cs_i_text_extents (text, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, &tw, NULL);
      cs_i_text_draw (cr, text, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL,
                      CLAMP (ax, tw / 2 + 2.0, width - tw / 2 - 2.0), f->y - 4.0, 0.5, 1.0, 0.0);
    }
  cairo_restore (cr);
}

void
cs_render_silhouette (cairo_t       *cr,
                      gconstpointer  model,
                      double         width,
                      double         height)
{
  const CsSilhouetteModel *m = model;
  SilLayout L;

  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  cs_i_view_clear (cr, width, height);
  if (m != NULL && m->n == 0)
    {
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, "No silhouette: it needs at least two clusters and more rows than clusters",
                      CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, width / 2, height / 2, 0.5, 0.5, 0.0);
    }
  else if (m != NULL)
    {
      sil_layout (m, width, height, &L);
      draw_grid_and_axis (cr, m, &L, width);
      draw_bars (cr, m, &L);
      draw_cluster_captions (cr, m, &L);
      draw_reference_lines (cr, m, &L, width);
    }
  cairo_restore (cr);
}
