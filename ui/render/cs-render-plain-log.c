#include "ui/render/cs-render-plain-log.h"

#include <math.h>

#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-style.h"
#include "ui/render/cs-render-views-private.h"
#include "ui/render/cs-render.h"

CsPlainLogModel *
cs_plain_log_model_new (CsPlainLogCurve *curve,
                        const char      *title)
{
  CsPlainLogModel *m = g_new0 (CsPlainLogModel, 1);

  g_atomic_ref_count_init (&m->ref);
  m->curve = curve;
  m->title = g_strdup (title);
  return m;
}

CsPlainLogModel *
cs_plain_log_model_ref (CsPlainLogModel *m)
{
  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_plain_log_model_unref (CsPlainLogModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  cs_plain_log_curve_free (m->curve);
  g_free (m->title);
  g_free (m);
}

static void
draw_curve (cairo_t      *cr,
            const double *alpha,
            const double *ari,
            guint         n,
            const CsRect *f,
            double        lo,
            double        hi,
            const double  rgb[3],
            gboolean      dashed)
{
  gboolean open = FALSE;

  cs_i_view_set_rgb (cr, rgb);
  cairo_set_line_width (cr, 2.0);
  if (dashed)
    cairo_set_dash (cr, (const double[]){ 6.0, 4.0 }, 2, 0);
  for (guint i = 0; i < n; i++)
    {
      double x = f->x + alpha[i] * f->width;
      double y = f->y + f->height * (hi - ari[i]) / (hi - lo);
      if (isnan (ari[i]))
        {
          open = FALSE;
          continue;
        }
      if (open)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      open = TRUE;
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  for (guint i = 0; i < n; i++)
    if (!isnan (ari[i]))
      {
        cairo_arc (cr, f->x + alpha[i] * f->width, f->y + f->height * (hi - ari[i]) / (hi - lo), 3.0, 0, 2 * G_PI);
        cairo_fill (cr);
      }
}

void
cs_render_plain_log (cairo_t               *cr,
                     const CsPlainLogModel *m,
                     double                 width,
                     double                 height)
{
  const CsPlainLogCurve *c;
  double lo = 0.0, hi = 1.0, top, tick_w, legend_h;
  double plain_rgb[3], log_rgb[3];
  CsRect f;

  cs_i_view_clear (cr, width, height);
  if (m == NULL)
    return;
  c = m->curve;
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  cs_i_view_draw_title (cr, m->title, CS_STYLE_PAD, width);
  /* ARI can fall below 0 (worse than chance); the axis then goes down to show it. */
  for (guint i = 0; i < c->n; i++)
    {
      if (!isnan (c->ari_plain[i]))
        lo = MIN (lo, floor (c->ari_plain[i] * 10.0) / 10.0);
      if (!isnan (c->ari_log[i]))
        lo = MIN (lo, floor (c->ari_log[i] * 10.0) / 10.0);
    }
  top = CS_STYLE_PAD + (m->title ? CS_STYLE_TITLE_SIZE * 1.5 + 4.0 : 0.0);
  legend_h = CS_STYLE_SMALL_SIZE * CS_STYLE_LEGEND_ROW;
  cs_i_text_extents ("−0.0", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &tick_w, NULL);
  f.x = CS_STYLE_PAD + CS_STYLE_LABEL_SIZE * 1.5 + tick_w + CS_STYLE_TICK_GAP;
  f.y = top + legend_h + 6.0;
  f.width = MAX (width - CS_STYLE_PAD - f.x, 10.0);
  f.height = MAX (height - f.y - CS_STYLE_PAD - CS_STYLE_LABEL_SIZE * 1.5 - CS_STYLE_TICK_SIZE * 1.4
                      - CS_STYLE_TICK_GAP,
                  10.0);

  /* Grid and ticks: ARI every 0.2 (0.1 steps would crowd a small chart), α every 0.1. */
  cairo_set_line_width (cr, 1.0);
  for (int i = (int) floor (lo * 5.0); i <= 5; i++)
    {
      double v = i / 5.0;
      double y = f.y + f.height * (hi - v) / (hi - lo);
      g_autofree char *text = cs_i_format_tick (v, 0.2);
      if (v < lo - 1e-9)
        continue;
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_GRID);
      cairo_move_to (cr, f.x, cs_i_view_snap_y (cr, y));
      cairo_line_to (cr, f.x + f.width, cs_i_view_snap_y (cr, y));
      cairo_stroke (cr);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, text, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, f.x - CS_STYLE_TICK_GAP, y, 1.0, 0.5, 0.0);
    }
  for (int i = 0; i <= 10; i += 2)
    {
      double x = f.x + f.width * i / 10.0;
      g_autofree char *text = cs_i_format_tick (i / 10.0, 0.1);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, text, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, x, f.y + f.height + CS_STYLE_TICK_GAP,
                      0.5, 0.0, 0.0);
    }
  cs_i_view_stroke_frame (cr, &f);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  cs_i_text_draw (cr, "α (the kernel parameter, scaled into (0, 1))", CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL,
                  f.x + 0.5 * f.width, height - CS_STYLE_PAD, 0.5, 1.0, 0.0);
  cs_i_text_draw (cr, "ARI against the node labels", CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD,
                  f.y + 0.5 * f.height, 0.5, 0.0, -G_PI / 2);

  cs_i_render_color (cr, 0, plain_rgb);
  cs_i_render_color (cr, 1, log_rgb);
  draw_curve (cr, c->alpha, c->ari_plain, c->n, &f, lo, hi, plain_rgb, TRUE);
  draw_curve (cr, c->alpha, c->ari_log, c->n, &f, lo, hi, log_rgb, FALSE);

  /* Legend above the chart: the dashed plain curve, the solid log one. */
  {
    double x = f.x, y = top + 0.5 * legend_h;
    for (guint which = 0; which < 2; which++)
      {
        const char *name = cs_graph_kernel_name (which == 0 ? c->plain : c->log);
        double tw;
        cs_i_view_set_rgb (cr, which == 0 ? plain_rgb : log_rgb);
        cairo_set_line_width (cr, 2.0);
        if (which == 0)
          cairo_set_dash (cr, (const double[]){ 6.0, 4.0 }, 2, 0);
        cairo_move_to (cr, x, y);
        cairo_line_to (cr, x + 22.0, y);
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0);
        cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
        cs_i_text_draw (cr, name, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, x + 28.0, y, 0.0, 0.5, 0.0);
        cs_i_text_extents (name, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, &tw, NULL);
        x += 28.0 + tw + CS_STYLE_LEGEND_COL_GAP;
      }
  }
  cairo_restore (cr);
}
