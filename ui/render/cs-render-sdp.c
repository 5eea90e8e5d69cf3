#include "ui/render/cs-render-sdp.h"
#include "core/base/cs-format.h"
#include "core/cluster/cs-sdp.h"
#include "ui/render/cs-colormap.h"
#include "ui/render/cs-render-views-private.h"

#include <math.h>
#include <string.h>

#define STRIP 8.0 /* the cluster colour strips along the heatmap's edges */

CsSdpModel *
cs_sdp_model_new (const CsClustering *c,
                  const int          *color_slot)
{
  const CsSdpReport *r;
  CsSdpModel *m;
  g_autofree char *rows = NULL;
  g_autofree char *shown = NULL;
  char res[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (c != NULL, NULL);
  r = c->sdp;
  if (r == NULL || r->z_n == 0)
    return NULL;
  m = g_new0 (CsSdpModel, 1);
  g_atomic_ref_count_init (&m->ref);
  m->m = r->z_n;
  m->n = c->n;
  m->z = g_memdup2 (r->z, r->z_n * r->z_n * sizeof (double));
  m->labels = g_memdup2 (r->z_labels, r->z_n * sizeof (int));
  m->k = c->k;
  m->color_slot = g_new (int, MAX (c->k, 1));
  for (guint j = 0; j < c->k; j++)
    m->color_slot[j] = color_slot ? color_slot[j] : (int) j;
  m->tight = r->tight;
  m->lowrank = r->solver == CS_SDP_LOWRANK;
  rows = cs_format_count (c->n);
  shown = cs_format_count (r->z_n);
  if (r->z_n < c->n)
    m->title = g_strdup_printf ("%s of the relaxation, rows by cluster (%s of %s rows)",
                                m->lowrank ? "Z = U Uᵀ" : "Z", shown, rows);
  else
    m->title = g_strdup_printf ("%s of the relaxation, rows ordered by cluster", m->lowrank ? "Z = U Uᵀ" : "Z");
  m->certificate = cs_sdp_report_describe (r);
  g_ascii_formatd (res, sizeof res, "%.1e", r->primal_residual);
  if (r->solver == CS_SDP_ADMM)
    {
      char dual[G_ASCII_DTOSTR_BUF_SIZE];
      g_ascii_formatd (dual, sizeof dual, "%.1e", r->dual_residual);
      m->numbers = g_strdup_printf ("ADMM on the %s × %s matrix · %u steps · residuals %s (primal), %s (dual)", rows,
                                    rows, r->iterations, res, dual);
    }
  else
    m->numbers = g_strdup_printf ("Low-rank factor, %u block%s of rank %u · %u steps · ‖Z1 − 1‖/√n = %s",
                                  r->blocks, r->blocks == 1 ? "" : "s", r->rank, r->iterations, res);
  return m;
}

CsSdpModel *
cs_sdp_model_ref (CsSdpModel *m)
{
  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_sdp_model_unref (CsSdpModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  g_free (m->z);
  g_free (m->labels);
  g_free (m->color_slot);
  g_free (m->title);
  g_free (m->certificate);
  g_free (m->numbers);
  g_free (m);
}

typedef struct
{
  CsRect  frame;     /* the heatmap */
  CsRect  bar;       /* the colour bar */
  double  text_y;    /* top of the certificate */
  char  **lines;     /* the certificate, wrapped */
  double  line_h;
  double  zmax;
} Layout;

static void
layout (const CsSdpModel *m,
        double            width,
        double            height,
        Layout           *L)
{
  double tw;
  double th;
  double top;
  double bottom;
  double side;
  guint nl;
  double label_w;

  memset (L, 0, sizeof *L);
  cs_i_text_extents ("Ag", CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, &tw, &th);
  L->line_h = th * 1.25;
  L->lines = cs_i_text_wrap (m->certificate, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD,
                             width - 2 * CS_STYLE_PAD, width - 2 * CS_STYLE_PAD);
  nl = g_strv_length (L->lines);
  top = CS_STYLE_PAD + CS_STYLE_TITLE_SIZE * 1.6 + STRIP + 4.0;
  /* Certificate lines, then the numbers line. */
  bottom = height - CS_STYLE_PAD - (nl + 1) * L->line_h - CS_STYLE_CAPTION_GAP;
  L->text_y = bottom + CS_STYLE_CAPTION_GAP;
  cs_i_text_extents ("0.000", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &label_w, &th);
  side = MIN (bottom - top,
              width - 2 * CS_STYLE_PAD - STRIP - 4.0 - CS_STYLE_COLORBAR_GAP - CS_STYLE_COLORBAR_WIDTH - 6.0 - label_w);
  side = MAX (side, 10.0);
  L->frame.x = CS_STYLE_PAD + STRIP + 4.0;
  L->frame.y = top;
  L->frame.width = side;
  L->frame.height = side;
  L->bar.x = L->frame.x + side + CS_STYLE_COLORBAR_GAP;
  L->bar.y = top;
  L->bar.width = CS_STYLE_COLORBAR_WIDTH;
  L->bar.height = side;
  L->zmax = 0.0;
  for (gsize i = 0; i < m->m * m->m; i++)
    if (isfinite (m->z[i]))
      L->zmax = MAX (L->zmax, m->z[i]);
  if (!(L->zmax > 0.0))
    L->zmax = 1.0;
}

void
cs_render_sdp_layout (const CsSdpModel *m,
                      double            width,
                      double            height,
                      CsRect           *frame)
{
  Layout L;

  layout (m, width, height, &L);
  *frame = L.frame;
  g_strfreev (L.lines);
}

static void
draw_heatmap (cairo_t          *cr,
              const CsSdpModel *m,
              const Layout     *L)
{
  gsize n = m->m;
  g_autofree guint32 *px = g_new (guint32, n * n);
  double rgb[3];
  double cell = L->frame.width / (double) n;

  for (gsize i = 0; i < n * n; i++)
    {
      cs_colormap_rgb (CS_COLORMAP_GREY, MAX (m->z[i], 0.0) / L->zmax, rgb);
      px[i] = cs_i_view_pack_rgb (rgb);
    }
  cs_i_view_draw_pixels (cr, (guint) n, (guint) n, px, &L->frame);

  /* Cluster strips along the top and the left, and lines where a cluster ends. */
  for (gsize i = 0; i < n;)
    {
      gsize j = i;
      while (j < n && m->labels[j] == m->labels[i])
        j++;
      if (m->labels[i] >= 0 && (guint) m->labels[i] < m->k)
        cs_i_view_cluster_rgb (cr, m->color_slot, (guint) m->labels[i], rgb);
      else
        memcpy (rgb, CS_STYLE_RGB_FRAME, sizeof rgb);
      cs_i_view_set_rgb (cr, rgb);
      cairo_rectangle (cr, L->frame.x + i * cell, L->frame.y - STRIP - 2.0, (j - i) * cell, STRIP);
      cairo_rectangle (cr, L->frame.x - STRIP - 2.0, L->frame.y + i * cell, STRIP, (j - i) * cell);
      cairo_fill (cr);
      if (j < n)
        {
          double rgb_line[3] = { 0.85, 0.33, 0.31 };
          cs_i_view_set_rgb (cr, rgb_line);
          cairo_set_line_width (cr, 1.0);
          cairo_move_to (cr, L->frame.x + j * cell, L->frame.y);
          cairo_line_to (cr, L->frame.x + j * cell, L->frame.y + L->frame.height);
          cairo_move_to (cr, L->frame.x, L->frame.y + j * cell);
          cairo_line_to (cr, L->frame.x + L->frame.width, L->frame.y + j * cell);
          cairo_stroke (cr);
        }
      i = j;
    }
  cs_i_view_stroke_frame (cr, &L->frame);
}

static void
draw_colorbar (cairo_t      *cr,
               const Layout *L)
{
  guint32 px[64];
  double rgb[3];
  g_autofree char *hi = NULL;

  /* Top row is the largest value. */
  for (guint i = 0; i < G_N_ELEMENTS (px); i++)
    {
      cs_colormap_rgb (CS_COLORMAP_GREY, 1.0 - i / (double) (G_N_ELEMENTS (px) - 1), rgb);
      px[i] = cs_i_view_pack_rgb (rgb);
    }
  cs_i_view_draw_pixels (cr, G_N_ELEMENTS (px), 1, px, &L->bar);
  cs_i_view_stroke_frame (cr, &L->bar);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
  hi = cs_i_format_fixed (L->zmax, L->zmax >= 0.1 ? 2 : 3);
  cs_i_text_draw (cr, hi, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, L->bar.x + L->bar.width + 4.0, L->bar.y, 0.0,
                  0.0, 0.0);
  cs_i_text_draw (cr, "0", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, L->bar.x + L->bar.width + 4.0,
                  L->bar.y + L->bar.height, 0.0, 1.0, 0.0);
}

void
cs_render_sdp (cairo_t       *cr,
               gconstpointer  model,
               double         width,
               double         height)
{
  const CsSdpModel *m = model;
  Layout L;
  double y;
  const double tight_rgb[3] = { 0.15, 0.50, 0.25 };
  const double loose_rgb[3] = { 0.70, 0.30, 0.10 };

  g_return_if_fail (cr != NULL);
  cairo_save (cr);
  cs_i_view_clear (cr, width, height);
  if (m == NULL)
    {
      cairo_restore (cr);
      return;
    }
  layout (m, width, height, &L);
  cs_i_view_draw_title (cr, m->title, CS_STYLE_PAD, width);
  draw_heatmap (cr, m, &L);
  draw_colorbar (cr, &L);
  y = L.text_y;
  cs_i_view_set_rgb (cr, m->tight ? tight_rgb : loose_rgb);
  for (guint i = 0; L.lines[i] != NULL; i++, y += L.line_h)
    cs_i_text_draw (cr, L.lines[i], CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, CS_STYLE_PAD, y, 0.0, 0.0, 0.0);
  {
    g_autofree char *fit = cs_i_text_ellipsize (m->numbers, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL,
                                                width - 2 * CS_STYLE_PAD);
    cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
    cs_i_text_draw (cr, fit, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD, y, 0.0, 0.0, 0.0);
  }
  g_strfreev (L.lines);
  cairo_restore (cr);
}
