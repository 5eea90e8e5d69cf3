#include "ui/render/cs-render-choose-k.h"

#include <math.h>
#include <string.h>

#include "ui/render/cs-colormap.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-views-private.h"

/* Model ------------------------------------------------------------------------------- */

static void
build_heat (CsChooseKModel *m, guint k)
{
  g_autoptr (GError) error = NULL;
  g_autofree float *full = NULL;
  g_autofree gsize *order = NULL;
  g_autofree double *sum = NULL;
  g_autofree double *count = NULL;
  const int *labels;
  gsize      n = m->result->n;
  guint      side;
  guint      bound = 0;

  full = cs_choose_k_coassociation (m->result, k, &error);
  if (full == NULL)
    {
      m->heat_note = g_strdup (error->message);
      return;
    }
  order = cs_choose_k_order_by_cluster (m->result, k);
  labels = cs_choose_k_result_labels (m->result, k);
  side = (guint) MIN (n, CS_CHOOSE_K_HEAT_MAX);
  sum = g_new0 (double, (gsize) side * side);
  count = g_new0 (double, (gsize) side * side);
  /* Rows in cluster order, averaged into side bins (exact cells when n ≤ the maximum). */
  for (gsize a = 0; a < n; a++)
    {
      gsize ba = a * side / n;
      for (gsize b = 0; b < n; b++)
        {
          gsize bb = b * side / n;
          sum[ba * side + bb] += full[order[a] * n + order[b]];
          count[ba * side + bb] += 1.0;
        }
    }
  m->heat = g_new (float, (gsize) side * side);
  for (gsize c = 0; c < (gsize) side * side; c++)
    m->heat[c] = count[c] > 0 ? (float) (sum[c] / count[c]) : 0.0f;
  m->heat_side = side;
  m->heat_k = k;
  m->heat_bounds = g_new (double, MAX (k, 1));
  for (gsize a = 1; a < n; a++)
    if (labels[order[a]] != labels[order[a - 1]] && bound < k)
      m->heat_bounds[bound++] = (double) a / n;
  for (; bound < k; bound++)
    m->heat_bounds[bound] = NAN;
}

CsChooseKModel *
cs_choose_k_model_new (CsChooseKResult *result, const char *title, gsize n_points, const double *px,
                       const double *py, const gsize *index, guint selected_k, guint heat_k)
{
  CsChooseKModel *m = g_new0 (CsChooseKModel, 1);

  g_return_val_if_fail (result != NULL, NULL);
  g_atomic_ref_count_init (&m->ref);
  m->result = cs_choose_k_result_ref (result);
  m->title = g_strdup (title);
  m->n_points = n_points;
  m->px = g_memdup2 (px, MAX (n_points, 1) * sizeof (double));
  m->py = g_memdup2 (py, MAX (n_points, 1) * sizeof (double));
  m->index = g_memdup2 (index, MAX (n_points, 1) * sizeof (gsize));
  m->selected_k = selected_k;
  if (heat_k > 0)
    build_heat (m, heat_k);
  return m;
}

CsChooseKModel *
cs_choose_k_model_with_selected (const CsChooseKModel *src, guint selected_k)
{
  CsChooseKModel *m = g_new0 (CsChooseKModel, 1);
  guint           k = src->heat_k;

  g_atomic_ref_count_init (&m->ref);
  m->result = cs_choose_k_result_ref (src->result);
  m->title = g_strdup (src->title);
  m->n_points = src->n_points;
  m->px = g_memdup2 (src->px, MAX (m->n_points, 1) * sizeof (double));
  m->py = g_memdup2 (src->py, MAX (m->n_points, 1) * sizeof (double));
  m->index = g_memdup2 (src->index, MAX (m->n_points, 1) * sizeof (gsize));
  m->selected_k = selected_k;
  m->heat_k = k;
  m->heat_side = src->heat_side;
  if (src->heat != NULL)
    {
      m->heat = g_memdup2 (src->heat, (gsize) src->heat_side * src->heat_side * sizeof (float));
      m->heat_bounds = g_memdup2 (src->heat_bounds, MAX (k, 1) * sizeof (double));
    }
  m->heat_note = g_strdup (src->heat_note);
  return m;
}

CsChooseKModel *
cs_choose_k_model_ref (CsChooseKModel *m)
{
  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_choose_k_model_unref (CsChooseKModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  cs_choose_k_result_unref (m->result);
  g_free (m->title);
  g_free (m->px);
  g_free (m->py);
  g_free (m->index);
  g_free (m->heat);
  g_free (m->heat_bounds);
  g_free (m->heat_note);
  g_free (m);
}

/* Layout ------------------------------------------------------------------------------ */

#define CAPTION_GAP 4.0
#define CELL_GAP    10.0

typedef struct
{
  double     title_h;
  guint      n_charts;
  CsCriterion chart_crit[CS_CRITERION_N];
  CsRect     chart[CS_CRITERION_N]; /* whole cell: title on top, plot frame inside */
  CsRect     plot[CS_CRITERION_N];  /* the plot frame */
  guint      n_thumbs;
  CsRect     thumb[256];            /* square scatter per k (captions below) */
  gboolean   has_heat;
  CsRect     heat;                  /* the heatmap square */
  CsRect     heat_cell;             /* heatmap with its caption */
  CsRect     thumbs_area;
  double     key_y;                 /* the line that says what the marks mean */
} Layout;

static void
layout (const CsChooseKModel *m, double w, double h, Layout *L)
{
  const CsChooseKResult *r = m->result;
  double small_h;
  double tick_h;
  double top;
  double x0 = CS_STYLE_PAD;
  double aw = MAX (w - 2 * CS_STYLE_PAD, 10);
  double ah;
  double charts_h;
  double lower_y;
  double lower_h;
  guint  cols;
  guint  rows;

  memset (L, 0, sizeof *L);
  cs_i_text_extents ("Ag", CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &small_h);
  cs_i_text_extents ("0", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &tick_h);
  if (m->title != NULL)
    cs_i_text_extents (m->title, CS_STYLE_TITLE_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, NULL, &L->title_h);
  top = CS_STYLE_PAD + (L->title_h > 0 ? L->title_h + 4.0 : 0);
  L->key_y = top;
  top += small_h + 10.0;
  ah = MAX (h - top - CS_STYLE_PAD, 10);

  for (guint c = 0; c < CS_CRITERION_N; c++)
    if (r->computed & (1u << c))
      L->chart_crit[L->n_charts++] = (CsCriterion) c;
  L->has_heat = m->heat != NULL || m->heat_note != NULL;
  L->n_thumbs = MIN (r->n_k, G_N_ELEMENTS (L->thumb));

  charts_h = L->n_charts > 0 ? ah * (L->n_thumbs > 0 ? 0.56 : 1.0) : 0;
  lower_y = top + charts_h + (charts_h > 0 ? CELL_GAP : 0);
  lower_h = top + ah - lower_y;

  /* Charts: up to four in a row, each with its own y axis (the criteria have unrelated
   * units, and a normalised overlay hides which way each one is better). */
  if (L->n_charts > 0)
    {
      cols = L->n_charts <= 4 ? L->n_charts : (L->n_charts + 1) / 2;
      rows = (L->n_charts + cols - 1) / cols;
      for (guint i = 0; i < L->n_charts; i++)
        {
          double cw = (aw - (cols - 1) * CELL_GAP) / cols;
          double ch = (charts_h - (rows - 1) * CELL_GAP) / rows;
          CsRect *cell = &L->chart[i];
          CsRect *p = &L->plot[i];
          double  y_ticks_w;

          cs_i_text_extents ("−0.000", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &y_ticks_w, NULL);
          cell->x = x0 + (i % cols) * (cw + CELL_GAP);
          cell->y = top + (i / cols) * (ch + CELL_GAP);
          cell->width = cw;
          cell->height = ch;
          p->x = cell->x + y_ticks_w + CS_STYLE_TICK_GAP;
          p->y = cell->y + small_h + 6;
          p->width = MAX (cell->x + cw - p->x - 4, 10);
          p->height = MAX (cell->y + ch - p->y - tick_h - CS_STYLE_TICK_GAP, 10);
        }
    }

  /* Below: thumbnails, and the heatmap at the right. */
  L->thumbs_area = (CsRect) { x0, lower_y, aw, lower_h };
  if (L->has_heat)
    {
      double side = MIN (lower_h - small_h * 2 - CAPTION_GAP, aw * 0.34);

      double cap_w;
      double sub_w;
      double cell_w;

      side = MAX (side, 10);
      /* The captions may be wider than a small heatmap: the cell takes their width (up to
       * half the canvas), the heatmap sits at its right edge. */
      cs_i_text_extents ("Co-association, k = 10 (10 runs)", CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, &cap_w, NULL);
      cs_i_text_extents ("white: never together · black: always", CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, &sub_w,
                         NULL);
      cell_w = MIN (MAX (side, MAX (cap_w, sub_w)), aw * 0.5);
      L->heat_cell = (CsRect) { x0 + aw - cell_w, lower_y, cell_w, lower_h };
      L->heat = (CsRect) { x0 + aw - side, lower_y, side, side };
      L->thumbs_area.width = MAX (aw - cell_w - 2 * CELL_GAP, 10);
    }
  if (L->n_thumbs > 0)
    {
      double best = 0;
      guint  best_cols = 1;
      double cap = small_h + CAPTION_GAP;

      for (guint c = 1; c <= L->n_thumbs; c++)
        {
          guint  rr = (L->n_thumbs + c - 1) / c;
          double s = MIN ((L->thumbs_area.width - (c - 1) * 6.0) / c, (L->thumbs_area.height - rr * cap - (rr - 1) * 4.0) / rr);
          if (s > best)
            best = s, best_cols = c;
        }
      best = MAX (best, 4);
      for (guint i = 0; i < L->n_thumbs; i++)
        L->thumb[i] = (CsRect) { L->thumbs_area.x + (i % best_cols) * (best + 6.0),
                                 L->thumbs_area.y + (i / best_cols) * (best + cap + 4.0), best, best };
    }
}

/* Drawing ----------------------------------------------------------------------------- */

static const double accent[3] = { 0.85, 0.33, 0.10 };  /* a criterion's suggested k */
static const double select_rgb[3] = { 0.21, 0.52, 0.89 }; /* the k shown in every view */

static double
map_x (const CsChooseKResult *r, const CsRect *p, double k)
{
  double span = MAX (r->n_k - 1, 1);
  double inset = 8.0;

  if (r->n_k == 1)
    return p->x + p->width / 2;
  return p->x + inset + (k - r->k_min) / span * (p->width - 2 * inset);
}

static void
value_range (const CsChooseKModel *m, CsCriterion c, double *lo, double *hi)
{
  const CsChooseKResult *r = m->result;
  const double *sd = c == CS_CRITERION_GAP ? r->gap_s : c == CS_CRITERION_STABILITY ? r->stability_sd : NULL;

  *lo = INFINITY;
  *hi = -INFINITY;
  for (guint i = 0; i < r->n_k; i++)
    {
      double v = r->values[c][i];
      double e = sd != NULL && isfinite (sd[i]) ? sd[i] : 0.0;

      if (!isfinite (v))
        continue;
      *lo = MIN (*lo, v - e);
      *hi = MAX (*hi, v + e);
    }
  if (!isfinite (*lo))
    *lo = 0, *hi = 1;
  if (*hi - *lo < 1e-12 * MAX (fabs (*hi), 1.0))
    {
      double pad = MAX (fabs (*hi) * 0.05, 0.05);
      *lo -= pad;
      *hi += pad;
    }
  else
    {
      double pad = (*hi - *lo) * 0.08;
      *lo -= pad;
      *hi += pad;
    }
}

static void
draw_chart (cairo_t *cr, const CsChooseKModel *m, const Layout *L, guint i)
{
  const CsChooseKResult *r = m->result;
  CsCriterion c = L->chart_crit[i];
  const CsRect *p = &L->plot[i];
  const double *v = r->values[c];
  const double *sd = c == CS_CRITERION_GAP ? r->gap_s : c == CS_CRITERION_STABILITY ? r->stability_sd : NULL;
  double ticks[CS_STYLE_MAX_TICKS];
  guint  nt;
  double lo;
  double hi;
  guint  sug = r->suggested[c];
  g_autofree char *head = NULL;
  g_autofree char *cut = NULL;
  gboolean first = TRUE;
  guint  kstep;
  double step;
  double last_label_y = -INFINITY;
  double tick_h;

#define MAP_Y(val) (p->y + p->height - ((val) - lo) / (hi - lo) * p->height)

  value_range (m, c, &lo, &hi);
  cs_i_text_extents ("0", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &tick_h);
  if (c == CS_CRITERION_GAP)
    head = sug > 0 ? g_strdup_printf ("Gap statistic · rule: k = %u", sug) : g_strdup ("Gap statistic · rule: none");
  else
    head = sug > 0 ? g_strdup_printf ("%s %s · best k = %u", cs_criterion_name (c),
                                      cs_criterion_is_maximised (c) ? "↑" : "↓", sug)
                   : g_strdup_printf ("%s %s", cs_criterion_name (c), cs_criterion_is_maximised (c) ? "↑" : "↓");
  cut = cs_i_text_ellipsize (head, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, L->chart[i].width);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TITLE);
  cs_i_text_draw (cr, cut, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, L->chart[i].x, L->chart[i].y, 0, 0, 0);

  /* The k shown in every view: a band behind everything. */
  if (m->selected_k >= r->k_min && m->selected_k < r->k_min + r->n_k)
    {
      double x = map_x (r, p, m->selected_k);
      cairo_rectangle (cr, x - 6, p->y, 12, p->height);
      cairo_set_source_rgba (cr, select_rgb[0], select_rgb[1], select_rgb[2], 0.15);
      cairo_fill (cr);
    }

  /* y grid and ticks */
  nt = cs_nice_ticks (lo, hi, p->height > 90 ? 4 : p->height > 45 ? 3 : 2, ticks, G_N_ELEMENTS (ticks));
  /* The label precision comes from the tick step; with a single tick, from the range. */
  step = nt > 1 ? ticks[1] - ticks[0] : pow (10.0, floor (log10 (hi - lo)));
  cairo_set_line_width (cr, 1.0);
  for (guint t = 0; t < nt; t++)
    {
      double y = cs_i_view_snap_y (cr, MAP_Y (ticks[t]));
      g_autofree char *lab = cs_i_format_tick (ticks[t], step);

      if (y < p->y - 0.5 || y > p->y + p->height + 0.5)
        continue;
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_GRID);
      cairo_move_to (cr, p->x, y);
      cairo_line_to (cr, p->x + p->width, y);
      cairo_stroke (cr);
      /* On a short chart the labels would overlap: every other one then. */
      if (fabs (y - last_label_y) < tick_h + 1)
        continue;
      last_label_y = y;
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, lab, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, p->x - CS_STYLE_TICK_GAP, y, 1, 0.5, 0);
    }
  cs_i_view_stroke_frame (cr, p);

  /* x ticks: every k while they fit, else every 2nd, 5th, ... */
  {
    double tw;
    double room;

    cs_i_text_extents ("20", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &tw, NULL);
    room = r->n_k > 1 ? (p->width - 16) / (r->n_k - 1) : p->width;
    kstep = 1;
    while (kstep * room < tw + 6 && kstep < r->n_k)
      kstep = kstep == 1 ? 2 : kstep == 2 ? 5 : kstep * 2;
  }
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
  for (guint j = 0; j < r->n_k; j++)
    {
      guint k = r->k_min + j;
      g_autofree char *lab = NULL;

      if (k % kstep != 0 && !(kstep > 1 && j == 0))
        continue;
      lab = g_strdup_printf ("%u", k);
      cs_i_text_draw (cr, lab, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, map_x (r, p, k),
                      p->y + p->height + CS_STYLE_TICK_GAP * 0.5, 0.5, 0, 0);
    }

  /* Error bars: s_k of the gap, the spread of the ARIs. */
  cairo_save (cr);
  cairo_rectangle (cr, p->x, p->y, p->width, p->height);
  cairo_clip (cr);
  if (sd != NULL)
    {
      cairo_set_source_rgba (cr, 0.3, 0.32, 0.35, 0.7);
      for (guint j = 0; j < r->n_k; j++)
        if (isfinite (v[j]) && isfinite (sd[j]) && sd[j] > 0)
          {
            double x = map_x (r, p, r->k_min + j);
            cairo_move_to (cr, x, MAP_Y (v[j] - sd[j]));
            cairo_line_to (cr, x, MAP_Y (v[j] + sd[j]));
            cairo_move_to (cr, x - 3, MAP_Y (v[j] - sd[j]));
            cairo_line_to (cr, x + 3, MAP_Y (v[j] - sd[j]));
            cairo_move_to (cr, x - 3, MAP_Y (v[j] + sd[j]));
            cairo_line_to (cr, x + 3, MAP_Y (v[j] + sd[j]));
          }
      cairo_stroke (cr);
    }
  /* The curve; a gap in it where the criterion is undefined (k = 1 for the silhouette). */
  cairo_set_line_width (cr, 1.6);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  for (guint j = 0; j < r->n_k; j++)
    {
      if (!isfinite (v[j]))
        {
          first = TRUE;
          continue;
        }
      if (first)
        cairo_move_to (cr, map_x (r, p, r->k_min + j), MAP_Y (v[j]));
      else
        cairo_line_to (cr, map_x (r, p, r->k_min + j), MAP_Y (v[j]));
      first = FALSE;
    }
  cairo_stroke (cr);
  for (guint j = 0; j < r->n_k; j++)
    if (isfinite (v[j]))
      {
        cairo_arc (cr, map_x (r, p, r->k_min + j), MAP_Y (v[j]), 2.6, 0, 2 * G_PI);
        cairo_fill (cr);
      }
  cairo_restore (cr);
  if (sug > 0 && isfinite (v[sug - r->k_min]))
    {
      double x = map_x (r, p, sug);
      double y = MAP_Y (v[sug - r->k_min]);

      cairo_set_line_width (cr, 1.0);
      cs_i_view_mark_point (cr, x, y, 5.0, p->y + p->height, accent);
    }
#undef MAP_Y
}

static void
draw_thumb (cairo_t *cr, const CsChooseKModel *m, const Layout *L, guint i)
{
  const CsChooseKResult *r = m->result;
  const CsRect *t = &L->thumb[i];
  guint  k = r->k_min + i;
  const int *labels = cs_choose_k_result_labels (r, k);
  double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
  double radius = t->width > 120 ? 1.8 : t->width > 60 ? 1.3 : 0.9;
  guint  votes = 0;
  g_autoptr (GString) cap = g_string_new (NULL);
  gboolean selected = k == m->selected_k;
  g_autofree char *cut = NULL;

  for (gsize p = 0; p < m->n_points; p++)
    if (isfinite (m->px[p]) && isfinite (m->py[p]))
      {
        xmin = MIN (xmin, m->px[p]);
        xmax = MAX (xmax, m->px[p]);
        ymin = MIN (ymin, m->py[p]);
        ymax = MAX (ymax, m->py[p]);
      }
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_BACKGROUND);
  cairo_rectangle (cr, t->x, t->y, t->width, t->height);
  cairo_fill (cr);
  if (isfinite (xmin))
    {
      double span = MAX (xmax - xmin, ymax - ymin);
      double inset = 3 + radius;
      double s = span > 0 ? (t->width - 2 * inset) / span : 1;
      double ox = t->x + inset + ((t->width - 2 * inset) - (xmax - xmin) * s) / 2;
      double oy = t->y + t->height - inset - ((t->height - 2 * inset) - (ymax - ymin) * s) / 2;

      cairo_save (cr);
      cairo_rectangle (cr, t->x, t->y, t->width, t->height);
      cairo_clip (cr);
      for (gsize p = 0; p < m->n_points; p++)
        {
          double rgb[3];
          int    l;

          if (!isfinite (m->px[p]) || !isfinite (m->py[p]))
            continue;
          l = m->index[p] < r->n ? labels[m->index[p]] : -1;
          if (l >= 0)
            cs_i_render_color (cr, (guint) l, rgb);
          else
            cs_i_render_neutral (cr, rgb);
          cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
          cairo_rectangle (cr, ox + (m->px[p] - xmin) * s - radius, oy - (m->py[p] - ymin) * s - radius, 2 * radius,
                           2 * radius);
          cairo_fill (cr);
        }
      cairo_restore (cr);
    }
  if (selected)
    {
      cairo_set_line_width (cr, 3.0);
      cs_i_view_set_rgb (cr, select_rgb);
      cairo_rectangle (cr, t->x - 1.5, t->y - 1.5, t->width + 3, t->height + 3);
      cairo_stroke (cr);
    }
  else
    cs_i_view_stroke_frame (cr, t);

  for (guint c = 0; c < CS_CRITERION_N; c++)
    votes += r->suggested[c] == k;
  g_string_append_printf (cap, "k = %u", k);
  if (r->k_found[i] != k)
    g_string_append_printf (cap, " (%u found)", r->k_found[i]);
  if (votes > 0)
    g_string_append_printf (cap, " · ★%u", votes);
  {
    /* Narrow thumbnails: the number and the stars before an ellipsis. */
    int    weight = votes > 0 ? CS_STYLE_WEIGHT_SEMIBOLD : CS_STYLE_WEIGHT_NORMAL;
    double cw;

    cs_i_text_extents (cap->str, CS_STYLE_SMALL_SIZE, weight, &cw, NULL);
    if (cw > t->width + 4)
      {
        g_string_printf (cap, "%u", k);
        if (votes > 0)
          g_string_append_printf (cap, " ★%u", votes);
      }
    cut = cs_i_text_ellipsize (cap->str, CS_STYLE_SMALL_SIZE, weight, t->width + 4);
  }
  cs_i_view_set_rgb (cr, votes > 0 ? accent : CS_STYLE_RGB_LABEL);
  cs_i_text_draw (cr, cut, CS_STYLE_SMALL_SIZE, votes > 0 ? CS_STYLE_WEIGHT_SEMIBOLD : CS_STYLE_WEIGHT_NORMAL, t->x,
                  t->y + t->height + CAPTION_GAP, 0, 0, 0);
}

static void
draw_heat (cairo_t *cr, const CsChooseKModel *m, const Layout *L)
{
  const CsRect *hr = &L->heat;
  g_autofree char *cap = NULL;
  g_autofree char *cut = NULL;
  double small_h;

  cs_i_text_extents ("Ag", CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &small_h);
  if (m->heat == NULL)
    {
      g_autofree char *note = cs_i_text_ellipsize (m->heat_note, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL,
                                                   hr->width);
      cs_i_view_stroke_frame (cr, hr);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, "No co-association heatmap", CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD,
                      hr->x + hr->width / 2, hr->y + hr->height / 2 - small_h, 0.5, 0.5, 0);
      cs_i_text_draw (cr, note, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, hr->x + hr->width / 2,
                      hr->y + hr->height / 2 + small_h * 0.2, 0.5, 0.5, 0);
      return;
    }
  {
    guint side = m->heat_side;
    g_autofree guint32 *px = g_new (guint32, (gsize) side * side);

    /* 1 (always together) dark, 0 (never) white: blocks on the diagonal are stable clusters. */
    for (gsize c = 0; c < (gsize) side * side; c++)
      px[c] = cs_colormap_entry (CS_COLORMAP_GREY, (guint) lround (CLAMP (m->heat[c], 0.0f, 1.0f) * (CS_COLORMAP_SIZE - 1)))
              | 0xff000000u;
    cs_i_view_draw_pixels (cr, side, side, px, hr);
  }
  cairo_set_line_width (cr, 1.0);
  cairo_set_source_rgba (cr, select_rgb[0], select_rgb[1], select_rgb[2], 0.9);
  for (guint b = 0; b + 1 < m->heat_k; b++)
    if (isfinite (m->heat_bounds[b]))
      {
        double f = m->heat_bounds[b];
        cairo_move_to (cr, hr->x + f * hr->width, hr->y);
        cairo_line_to (cr, hr->x + f * hr->width, hr->y + hr->height);
        cairo_move_to (cr, hr->x, hr->y + f * hr->height);
        cairo_line_to (cr, hr->x + hr->width, hr->y + f * hr->height);
      }
  cairo_stroke (cr);
  cs_i_view_stroke_frame (cr, hr);
  cap = g_strdup_printf ("Co-association, k = %u (%u runs)", m->heat_k, m->result->stability_runs);
  cut = cs_i_text_ellipsize (cap, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, L->heat_cell.width);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  /* Right-aligned with the heatmap: the canvas edge is there. */
  cs_i_text_draw (cr, cut, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, hr->x + hr->width,
                  hr->y + hr->height + CAPTION_GAP, 1, 0, 0);
  {
    g_autofree char *sub = cs_i_text_ellipsize ("white: never together · black: always", CS_STYLE_SMALL_SIZE,
                                                CS_STYLE_WEIGHT_NORMAL, L->heat_cell.width);
    cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
    cs_i_text_draw (cr, sub, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, hr->x + hr->width,
                    hr->y + hr->height + CAPTION_GAP + small_h, 1, 0, 0);
  }
}

void
cs_render_choose_k (cairo_t *cr, gconstpointer model, double width, double height)
{
  const CsChooseKModel *m = model;
  Layout L;

  cs_i_view_clear (cr, width, height);
  if (m == NULL)
    return;
  layout (m, width, height, &L);
  if (m->title != NULL)
    {
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TITLE);
      cs_i_view_draw_title (cr, m->title, CS_STYLE_PAD, width);
    }
  {
    g_autofree char *key = cs_i_text_ellipsize (
        "Orange: each criterion's suggested k (★ counts them) · blue: the k every view shows · click a chart or a "
        "thumbnail to show another k",
        CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, width - 2 * CS_STYLE_PAD);
    cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
    cs_i_text_draw (cr, key, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD, L.key_y, 0, 0, 0);
  }
  for (guint i = 0; i < L.n_charts; i++)
    draw_chart (cr, m, &L, i);
  for (guint i = 0; i < L.n_thumbs; i++)
    draw_thumb (cr, m, &L, i);
  if (L.has_heat)
    draw_heat (cr, m, &L);
}

guint
cs_render_choose_k_hit (const CsChooseKModel *m, double width, double height, double x, double y)
{
  const CsChooseKResult *r;
  Layout L;

  if (m == NULL)
    return 0;
  r = m->result;
  layout (m, width, height, &L);
  for (guint i = 0; i < L.n_thumbs; i++)
    {
      const CsRect *t = &L.thumb[i];
      if (x >= t->x && x <= t->x + t->width && y >= t->y && y <= t->y + t->height + 16)
        return r->k_min + i;
    }
  for (guint i = 0; i < L.n_charts; i++)
    {
      const CsRect *p = &L.plot[i];
      double best = INFINITY;
      guint  hit = 0;

      if (x < p->x - 8 || x > p->x + p->width + 8 || y < p->y - 8 || y > p->y + p->height + 20)
        continue;
      for (guint j = 0; j < r->n_k; j++)
        if (fabs (map_x (r, p, r->k_min + j) - x) < best)
          best = fabs (map_x (r, p, r->k_min + j) - x), hit = r->k_min + j;
      return hit;
    }
  return 0;
}
