#include "ui/render/cs-render-compare.h"

#include <math.h>

#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-style.h"
#include "ui/render/cs-render-views-private.h"
#include "ui/render/cs-render.h"

CsCompareModel *
cs_compare_model_new (CsComparison      *comparison,
                      const char        *title_a,
                      const char        *title_b,
                      const char *const *names_b)
{
  CsCompareModel *m = g_new0 (CsCompareModel, 1);

  g_atomic_ref_count_init (&m->ref);
  m->comparison = comparison;
  m->title_a = g_strdup (title_a);
  m->title_b = g_strdup (title_b);
  if (names_b != NULL)
    {
      m->names_b = g_new0 (char *, comparison->kb + 1);
      for (guint j = 0; j < comparison->kb; j++)
        m->names_b[j] = g_strdup (names_b[j]);
    }
  return m;
}

CsCompareModel *
cs_compare_model_ref (CsCompareModel *m)
{
  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_compare_model_unref (CsCompareModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  cs_comparison_free (m->comparison);
  g_free (m->title_a);
  g_free (m->title_b);
  g_strfreev (m->names_b);
  g_free (m);
}

void
cs_compare_model_b_order (const CsCompareModel *m,
                          guint                *order)
{
  const CsComparison *c = m->comparison;
  g_autofree gboolean *used = g_new0 (gboolean, MAX (c->kb, 1));
  guint n = 0;

  for (guint i = 0; i < c->ka; i++)
    if (c->match[i] >= 0 && !used[c->match[i]])
      {
        used[c->match[i]] = TRUE;
        order[n++] = (guint) c->match[i];
      }
  for (guint j = 0; j < c->kb; j++)
    if (!used[j])
      order[n++] = j;
}

/* Colour of a's cluster i; noise (i == ka) neutral. */
static void
a_rgb (cairo_t            *cr,
       const CsComparison *c,
       guint               i,
       double              rgb[3])
{
  if (i >= c->ka)
    cs_i_render_neutral (cr, rgb);
  else
    cs_i_render_color (cr, i, rgb);
}

/* b's cluster j takes the colour of the a cluster matched to it, so a pair reads as one. */
static void
b_rgb (cairo_t            *cr,
       const CsComparison *c,
       guint               j,
       double              rgb[3])
{
  if (j >= c->kb)
    {
      cs_i_render_neutral (cr, rgb);
      return;
    }
  for (guint i = 0; i < c->ka; i++)
    if (c->match[i] == (int) j)
      {
        cs_i_render_color (cr, i, rgb);
        return;
      }
  cs_i_render_color (cr, c->ka + j, rgb);
}

static char *
b_name (const CsCompareModel *m,
        guint                 j)
{
  if (j >= m->comparison->kb)
    return g_strdup ("Noise");
  if (m->names_b != NULL)
    return g_strdup (m->names_b[j]);
  return g_strdup_printf ("Cluster %u", j + 1);
}

static char *
a_name (const CsCompareModel *m,
        guint                 i)
{
  return i >= m->comparison->ka ? g_strdup ("Noise") : g_strdup_printf ("Cluster %u", i + 1);
}

/* The widest of the names `name` gives the listed clusters, at tick size. */
static double
widest_name (const CsCompareModel *m,
             char *(*name) (const CsCompareModel *m, guint i),
             const guint          *which,
             guint                 n)
{
  double widest = 0.0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = name (m, which[i]);
      double w;

      cs_i_text_extents (text, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
      widest = MAX (widest, w);
    }
  return widest;
}

static guint64
row_sum (const CsComparison *c,
         guint               i)
{
  guint64 s = 0;

  for (guint j = 0; j <= c->kb; j++)
    s += cs_comparison_count (c, i, j);
  return s;
}

static guint64
col_sum (const CsComparison *c,
         guint               j)
{
  guint64 s = 0;

  for (guint i = 0; i <= c->ka; i++)
    s += cs_comparison_count (c, i, j);
  return s;
}

/* The rows and columns drawn: clusters in order, then noise when there is any. */
static guint
drawn_rows (const CsComparison *c,
            guint              *rows)
{
  guint n = 0;

  for (guint i = 0; i < c->ka; i++)
    rows[n++] = i;
  if (row_sum (c, c->ka) > 0)
    rows[n++] = c->ka;
  return n;
}

static guint
drawn_cols (const CsCompareModel *m,
            guint                *cols)
{
  const CsComparison *c = m->comparison;
  guint n = c->kb;

  cs_compare_model_b_order (m, cols);
  if (col_sum (c, c->kb) > 0)
    cols[n++] = c->kb;
  return n;
}

static void
draw_alluvial (cairo_t              *cr,
               const CsCompareModel *m,
               const CsRect         *r,
               const guint          *rows,
               guint                 n_rows,
               const guint          *cols,
               guint                 n_cols)
{
  const CsComparison *c = m->comparison;
  double label_w;
  double bar_w = 14.0;
  double gap = 6.0;
  double total = (double) c->n;
  double scale_l;
  double scale_r;
  double xl;
  double xr;
  g_autofree double *top_l = g_new (double, n_rows);
  g_autofree double *top_r = g_new (double, n_cols);
  g_autofree double *fill_l = g_new0 (double, n_rows);
  g_autofree double *fill_r = g_new0 (double, n_cols);
  double y;

  label_w = MAX (widest_name (m, a_name, rows, n_rows), widest_name (m, b_name, cols, n_cols));
  label_w = MIN (label_w, r->width * 0.28);
  xl = r->x + label_w + CS_STYLE_TICK_GAP;
  xr = r->x + r->width - label_w - CS_STYLE_TICK_GAP - bar_w;
  if (total <= 0.0 || xr - xl < 3 * bar_w)
    return;
  scale_l = MAX (r->height - gap * (n_rows - 1), 1.0) / total;
  scale_r = MAX (r->height - gap * (n_cols - 1), 1.0) / total;

  y = r->y;
  for (guint a = 0; a < n_rows; a++)
    {
      top_l[a] = y;
      y += row_sum (c, rows[a]) * scale_l + gap;
    }
  y = r->y;
  for (guint b = 0; b < n_cols; b++)
    {
      top_r[b] = y;
      y += col_sum (c, cols[b]) * scale_r + gap;
    }

  /* Ribbons: a's bands stacked in b's order on the left, b's in a's order on the right. */
  for (guint a = 0; a < n_rows; a++)
    for (guint b = 0; b < n_cols; b++)
      {
        double count = (double) cs_comparison_count (c, rows[a], cols[b]);
        double y0l;
        double y1l;
        double y0r;
        double y1r;
        double mid = 0.5 * (xl + bar_w + xr);
        double rgb[3];

        if (count <= 0.0)
          continue;
        y0l = top_l[a] + fill_l[a];
        y1l = y0l + count * scale_l;
        fill_l[a] += count * scale_l;
        /* The right end is placed in a's order within b's bar. */
        y0r = top_r[b];
        for (guint aa = 0; aa < a; aa++)
          y0r += cs_comparison_count (c, rows[aa], cols[b]) * scale_r;
        y1r = y0r + count * scale_r;
        a_rgb (cr, c, rows[a], rgb);
        cairo_move_to (cr, xl + bar_w, y0l);
        cairo_curve_to (cr, mid, y0l, mid, y0r, xr, y0r);
        cairo_line_to (cr, xr, y1r);
        cairo_curve_to (cr, mid, y1r, mid, y1l, xl + bar_w, y1l);
        cairo_close_path (cr);
        cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], 0.42);
        cairo_fill (cr);
      }
  (void) fill_r;

  for (guint a = 0; a < n_rows; a++)
    {
      double rgb[3];
      double h = row_sum (c, rows[a]) * scale_l;
      g_autofree char *name = a_name (m, rows[a]);
      g_autofree char *fit = cs_i_text_ellipsize (name, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, label_w);

      a_rgb (cr, c, rows[a], rgb);
      cs_i_view_set_rgb (cr, rgb);
      cairo_rectangle (cr, xl, top_l[a], bar_w, MAX (h, 1.0));
      cairo_fill (cr);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      cs_i_text_draw (cr, fit, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, xl - CS_STYLE_TICK_GAP,
                      top_l[a] + 0.5 * h, 1.0, 0.5, 0.0);
    }
  for (guint b = 0; b < n_cols; b++)
    {
      double rgb[3];
      double h = col_sum (c, cols[b]) * scale_r;
      g_autofree char *name = b_name (m, cols[b]);
      g_autofree char *fit = cs_i_text_ellipsize (name, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, label_w);

      b_rgb (cr, c, cols[b], rgb);
      cs_i_view_set_rgb (cr, rgb);
      cairo_rectangle (cr, xr, top_r[b], bar_w, MAX (h, 1.0));
      cairo_fill (cr);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      cs_i_text_draw (cr, fit, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, xr + bar_w + CS_STYLE_TICK_GAP,
                      top_r[b] + 0.5 * h, 0.0, 0.5, 0.0);
    }
}

static void
draw_table (cairo_t              *cr,
            const CsCompareModel *m,
            const CsRect         *r,
            const guint          *rows,
            guint                 n_rows,
            const guint          *cols,
            guint                 n_cols)
{
  const CsComparison *c = m->comparison;
  double row_label_w;
  double head_h;
  double cell_w;
  double cell_h;
  double x0;
  double y0;

  row_label_w = widest_name (m, a_name, rows, n_rows);
  row_label_w = MIN (row_label_w, r->width * 0.3);
  cs_i_text_extents ("Xg", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &head_h);
  head_h += CS_STYLE_TICK_GAP;
  x0 = r->x + row_label_w + CS_STYLE_TICK_GAP;
  y0 = r->y + head_h;
  cell_w = (r->x + r->width - x0) / MAX (n_cols, 1);
  cell_h = MIN ((r->y + r->height - y0) / MAX (n_rows, 1), cell_w);
  if (cell_w < 4.0 || cell_h < 4.0)
    return;

  for (guint b = 0; b < n_cols; b++)
    {
      g_autofree char *name = b_name (m, cols[b]);
      g_autofree char *fit = cs_i_text_ellipsize (name, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, cell_w - 2.0);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      cs_i_text_draw (cr, fit, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, x0 + (b + 0.5) * cell_w,
                      y0 - CS_STYLE_TICK_GAP, 0.5, 1.0, 0.0);
    }
  for (guint a = 0; a < n_rows; a++)
    {
      guint64 sum = row_sum (c, rows[a]);
      g_autofree char *name = a_name (m, rows[a]);
      g_autofree char *fit = cs_i_text_ellipsize (name, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, row_label_w);

      cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      cs_i_text_draw (cr, fit, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, x0 - CS_STYLE_TICK_GAP,
                      y0 + (a + 0.5) * cell_h, 1.0, 0.5, 0.0);
      for (guint b = 0; b < n_cols; b++)
        {
          guint64 count = cs_comparison_count (c, rows[a], cols[b]);
          double share = sum > 0 ? (double) count / (double) sum : 0.0;
          double x = x0 + b * cell_w;
          double y = y0 + a * cell_h;
          gboolean matched = rows[a] < c->ka && c->match[rows[a]] == (int) cols[b];

          /* White to a deep blue by the share of the row. */
          cairo_set_source_rgb (cr, 1.0 - 0.82 * share, 1.0 - 0.62 * share, 1.0 - 0.25 * share);
          cairo_rectangle (cr, x + 0.5, y + 0.5, cell_w - 1.0, cell_h - 1.0);
          cairo_fill (cr);
          if (matched)
            {
              cs_i_view_set_rgb (cr, CS_STYLE_RGB_INK);
              cairo_set_line_width (cr, 2.0);
              cairo_rectangle (cr, x + 1.5, y + 1.5, cell_w - 3.0, cell_h - 3.0);
              cairo_stroke (cr);
            }
          if (count > 0 && cell_h >= CS_STYLE_NOTE_SIZE * 1.6)
            {
              g_autofree char *text = cs_i_format_count (count);
              double tw;
              cs_i_text_extents (text, CS_STYLE_NOTE_SIZE, CS_STYLE_WEIGHT_NORMAL, &tw, NULL);
              if (tw < cell_w - 4.0)
                {
                  if (share > 0.55)
                    cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
                  else
                    cs_i_view_set_rgb (cr, CS_STYLE_RGB_INK);
                  cs_i_text_draw (cr, text, CS_STYLE_NOTE_SIZE, CS_STYLE_WEIGHT_NORMAL, x + 0.5 * cell_w,
                                  y + 0.5 * cell_h, 0.5, 0.5, 0.0);
                }
            }
        }
    }
}

void
cs_render_compare (cairo_t              *cr,
                   const CsCompareModel *m,
                   double                width,
                   double                height)
{
  const CsComparison *c = m->comparison;
  g_autofree guint *rows = g_new (guint, c->ka + 1);
  g_autofree guint *cols = g_new (guint, c->kb + 1);
  g_autofree char *title = g_strdup_printf ("%s against %s", m->title_a, m->title_b);
  g_autofree char *ari = cs_render_format_number (c->ari);
  g_autofree char *nmi = cs_render_format_number (c->nmi);
  g_autofree char *ami = cs_render_format_number (c->ami);
  g_autofree char *matched = cs_i_format_count (c->matched);
  g_autofree char *compared = cs_i_format_count (c->compared);
  g_autofree char *line = NULL;
  g_auto (GStrv) lines = NULL;
  guint n_rows;
  guint n_cols;
  double title_h;
  double line_h;
  double top;
  CsRect left;
  CsRect right;

  cs_i_view_clear (cr, width, height);
  n_rows = drawn_rows (c, rows);
  n_cols = drawn_cols (m, cols);
  cs_i_view_draw_title (cr, title, CS_STYLE_PAD, width - 2 * CS_STYLE_PAD);
  cs_i_text_extents ("Xg", CS_STYLE_TITLE_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, NULL, &title_h);
  line = g_strdup_printf ("ARI %s · NMI %s · AMI %s · %s of %s rows (%.1f %%) on matched clusters", ari, nmi, ami,
                          matched, compared, c->compared > 0 ? 100.0 * c->matched / c->compared : 0.0);
  cs_i_text_extents (line, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &line_h);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  /* On a narrow canvas (presenter mode) the scores wrap between their parts. */
  lines = cs_i_text_wrap (line, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, width - 2 * CS_STYLE_PAD,
                          width - 2 * CS_STYLE_PAD);
  for (guint i = 0; lines[i] != NULL; i++)
    cs_i_text_draw (cr, lines[i], CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD,
                    CS_STYLE_PAD + title_h + CS_STYLE_CAPTION_GAP + i * line_h, 0.0, 0.0, 0.0);
  top = CS_STYLE_PAD + title_h + CS_STYLE_CAPTION_GAP + MAX (g_strv_length (lines), 1) * line_h + 2 * CS_STYLE_PAD;
  if (height - top - CS_STYLE_PAD < 40.0 || width < 200.0)
    return;

  left = (CsRect) { CS_STYLE_PAD, top, 0.45 * (width - 3 * CS_STYLE_PAD), height - top - CS_STYLE_PAD };
  right = (CsRect) { left.x + left.width + 2 * CS_STYLE_PAD, top, width - left.width - 4 * CS_STYLE_PAD,
                     height - top - CS_STYLE_PAD };
  draw_alluvial (cr, m, &left, rows, n_rows, cols, n_cols);
  draw_table (cr, m, &right, rows, n_rows, cols, n_cols);
}
