#include "ui/render/cs-render.h"

#include <math.h>
#include <string.h>

#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-style.h"

#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Sizes and colours are in cs-render-style.h; these are the scatter plot's own limits. */
#define MAX_LEGEND 64
#define LEGEND_TOP_ROWS 3 /* rows of a legend above the plot, at most */

/* Sub-pixel positions are quantised to 1/PHASES of a pixel per axis: fine enough that a
 * dense cloud shows no grid pattern, coarse enough that stamps stay few and small. */
#define PHASES 4

typedef enum
{
  CS_LEGEND_NONE,
  CS_LEGEND_RIGHT,
  CS_LEGEND_TOP,
} CsLegendPlace;

typedef struct
{
  CsRect   frame;
  double   xticks[CS_STYLE_MAX_TICKS];
  guint    n_xticks;
  double   xstep;
  double   yticks[CS_STYLE_MAX_TICKS];
  guint    n_yticks;
  double   ystep;
  double   tick_h;
  double   title_h;
  double   xlabel_h;
  double   ylabel_h;
  CsLegendPlace legend;
  double   legend_x;      /* left of the first column */
  double   legend_y;      /* top of the first row (CS_LEGEND_TOP) */
  double   legend_text_w;
  double   legend_w;      /* one entry: swatch, name, size */
  guint    legend_entries; /* clusters, plus one for noise */
  guint    legend_shown;  /* entries drawn, the last may be "+ N more" */
  guint    legend_rows;
  guint    legend_cols;
  gboolean legend_noise;  /* a "Noise" entry first */
  gsize    n_noise;
  double   canvas_w;
  double   canvas_h;
} Layout;

static double
auto_radius (gsize n)
{
  /* 4 units for up to ~100 points, 1 for a million: dense data needs small marks. */
  return CLAMP (5.5 - 0.75 * log10 ((double) MAX (n, 1)), 1.0, 4.0);
}

static double
auto_alpha (gsize n)
{
  return CLAMP (1.25 - 0.16 * log10 ((double) MAX (n, 1)), 0.25, 0.85);
}

/* The automatic radius also shrinks on small canvases (a 160 × 100 mm figure is about
 * 450 × 280 units), where screen-sized marks would swamp the plot. */
static double
point_radius (const CsPlotModel *m,
              const Layout      *L)
{
  double canvas = MIN (L->canvas_w, L->canvas_h);

  if (m->point_radius > 0)
    return m->point_radius;
  return auto_radius (m->n) * CLAMP (canvas / 600.0, 0.6, 1.0);
}

static double
point_alpha (const CsPlotModel *m)
{
  return m->point_alpha > 0 ? CLAMP (m->point_alpha, 0.0, 1.0) : auto_alpha (m->n);
}

static double
ticks_step (const double *ticks,
            guint         n)
{
  return n >= 2 ? ticks[1] - ticks[0] : 1.0;
}

static guint
legend_capacity (const Layout *L)
{
  double row = CS_STYLE_SMALL_SIZE * CS_STYLE_LEGEND_ROW;
  return (guint) MAX (1.0, floor (L->frame.height / row));
}

/* Y ticks for a frame fh tall; returns the widest tick label. */
static double
layout_yticks (const CsPlotModel *m,
               Layout            *L,
               double             fh)
{
  guint target = (guint) CLAMP (fh / 45.0, 2.0, 10.0);
  double ytick_w = 0.0;

  L->n_yticks = cs_nice_ticks (m->y_min, m->y_max, target, L->yticks, CS_STYLE_MAX_TICKS);
  L->ystep = ticks_step (L->yticks, L->n_yticks);
  for (guint i = 0; i < L->n_yticks; i++)
    {
      g_autofree char *t = cs_i_format_tick (L->yticks[i], L->ystep);
      double w;
      cs_i_text_extents (t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
      ytick_w = MAX (ytick_w, w);
    }
  return ytick_w;
}

/* Legend entry r: the noise entry comes first when there is noise. */
static void
legend_entry (const CsPlotModel *m,
              const Layout      *L,
              guint              r,
              char             **name,
              guint64           *size)
{
  if (L->legend_noise && r == 0)
    {
      *name = g_strdup (m->noise_name != NULL ? m->noise_name : "Noise");
      *size = L->n_noise;
    }
  else
    {
      guint j = r - (L->legend_noise ? 1 : 0);
      *name = g_strdup_printf ("Cluster %u", j + 1);
      *size = m->cluster_sizes[j];
    }
}

static void
compute_layout (const CsPlotModel *m,
                double             width,
                double             height,
                Layout            *L)
{
  double left;
  double right;
  double top;
  double bottom;
  double ytick_w = 0.0;
  double fh;
  double fw;
  guint target;

  memset (L, 0, sizeof *L);
  L->canvas_w = width;
  L->canvas_h = height;

  cs_i_text_extents ("0", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->tick_h);
  if (m->title != NULL && m->title[0] != '\0')
    cs_i_text_extents (m->title, CS_STYLE_TITLE_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, NULL, &L->title_h);
  if (m->x_label != NULL && m->x_label[0] != '\0')
    cs_i_text_extents (m->x_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->xlabel_h);
  if (m->y_label != NULL && m->y_label[0] != '\0')
    cs_i_text_extents (m->y_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->ylabel_h);

  /* Vertical first: the frame's height fixes how many y ticks fit, whose labels fix the
   * left margin, which fixes the frame's width and so the x ticks. */
  top = CS_STYLE_PAD + (L->title_h > 0 ? L->title_h + 10.0 : L->tick_h * 0.5);
  bottom = CS_STYLE_TICK_GAP + L->tick_h + (L->xlabel_h > 0 ? 6.0 + L->xlabel_h : 0.0) + CS_STYLE_PAD * 0.85;
  fh = MAX (1.0, floor (height - top - bottom));
  ytick_w = layout_yticks (m, L, fh);
  left = CS_STYLE_PAD + (L->ylabel_h > 0 ? L->ylabel_h + 8.0 : 0.0) + ytick_w + CS_STYLE_TICK_GAP;
  right = CS_STYLE_PAD + 6.0;

  L->frame.y = round (top);
  L->frame.height = fh;

  if (m->show_legend && m->labels != NULL && m->k > 0)
    {
      double text_w = 0.0;
      double count_w = 0.0;
      guint entries;

      for (gsize i = 0; i < m->n; i++)
        L->n_noise += m->labels[i] < 0;
      L->legend_noise = L->n_noise > 0;
      entries = m->k + (L->legend_noise ? 1 : 0);

      /* Measured over every entry that either placement could show, so the column is as
       * wide as its widest name and size wherever it goes. */
      for (guint r = 0; r < MIN (entries, MAX_LEGEND); r++)
        {
          g_autofree char *name = NULL;
          double w;
          guint64 size;

          legend_entry (m, L, r, &name, &size);
          cs_i_text_extents (name, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
          text_w = MAX (text_w, w);
          if (size > 0)
            {
              g_autofree char *count = cs_i_format_count (size);
              cs_i_text_extents (count, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
              count_w = MAX (count_w, w);
            }
        }
      if (entries > 1)
        {
          g_autofree char *more = g_strdup_printf ("+ %u more", entries);
          double w;
          cs_i_text_extents (more, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
          text_w = MAX (text_w, w);
        }
      L->legend_text_w = text_w;
      L->legend_w = CS_STYLE_LEGEND_SWATCH + text_w + (count_w > 0 ? 12.0 + count_w : 0.0);
      L->legend_entries = entries;

      /* Beside the plot when the plot keeps at least 60 % of the canvas' width; else in
       * rows above it (a 160 mm export is too narrow for a column): the key is part of
       * the figure, so an export never loses it. */
      if (width - left - (CS_STYLE_PAD + CS_STYLE_LEGEND_GAP + L->legend_w) >= 0.6 * width)
        {
          guint shown = MIN (entries, MIN (legend_capacity (L), MAX_LEGEND));

          L->legend = CS_LEGEND_RIGHT;
          L->legend_rows = shown;
          L->legend_shown = shown;
          L->legend_cols = 1;
          right = CS_STYLE_PAD + CS_STYLE_LEGEND_GAP + L->legend_w;
        }
      else
        {
          double row = CS_STYLE_SMALL_SIZE * CS_STYLE_LEGEND_ROW;
          double avail = width - 2 * CS_STYLE_PAD;
          guint  cols = (guint)MAX (
               1.0, floor ((avail + CS_STYLE_LEGEND_COL_GAP) / (L->legend_w + CS_STYLE_LEGEND_COL_GAP)));
          /* At most LEGEND_TOP_ROWS rows, and fewer on a short canvas: the plot comes first. */
          guint max_rows = (guint)CLAMP (floor (0.15 * height / row), 1.0, LEGEND_TOP_ROWS);
          guint rows = MIN ((entries + cols - 1) / cols, max_rows);

          L->legend = CS_LEGEND_TOP;
          L->legend_cols = cols;
          L->legend_rows = rows;
          L->legend_shown = MIN (entries, MIN (rows * cols, MAX_LEGEND));
          L->legend_y = top;
          top += rows * row + 6.0;
          fh = MAX (1.0, floor (height - top - bottom));
          L->frame.y = round (top);
          L->frame.height = fh;
          /* A shorter frame may take fewer y ticks, and so a narrower margin. */
          ytick_w = layout_yticks (m, L, fh);
          left = CS_STYLE_PAD + (L->ylabel_h > 0 ? L->ylabel_h + 8.0 : 0.0) + ytick_w + CS_STYLE_TICK_GAP;
        }
    }

  L->frame.x = round (left);
  fw = MAX (1.0, floor (width - L->frame.x - right));
  L->frame.width = fw;
  L->legend_x = L->legend == CS_LEGEND_TOP ? L->frame.x : L->frame.x + fw + CS_STYLE_LEGEND_GAP;
  if (L->legend == CS_LEGEND_TOP)
    {
      /* Left-aligned with the frame when the grid fits there, else with the canvas' pad. */
      double grid_w = L->legend_cols * L->legend_w + (L->legend_cols - 1) * CS_STYLE_LEGEND_COL_GAP;
      if (L->legend_x + grid_w > width - CS_STYLE_PAD)
        L->legend_x = MAX (CS_STYLE_PAD, width - CS_STYLE_PAD - grid_w);
    }

  target = (guint) CLAMP (fw / 60.0, 2.0, 10.0);
  L->n_xticks = cs_nice_ticks (m->x_min, m->x_max, target, L->xticks, CS_STYLE_MAX_TICKS);
  L->xstep = ticks_step (L->xticks, L->n_xticks);
}

void
cs_render_scatter_layout (const CsPlotModel *m,
                          double             width,
                          double             height,
                          CsRect            *frame)
{
  Layout L;

  g_return_if_fail (m != NULL);
  g_return_if_fail (frame != NULL);

  compute_layout (m, width, height, &L);
  *frame = L.frame;
}

/* Shapes are drawn with equal area (a square is not bigger than a circle), in units of
 * the point radius; `extent` bounds each shape. */
static double
marker_extent (CsMarker shape)
{
  switch (shape)
    {
    case CS_MARKER_SQUARE:
      return 0.8862;
    case CS_MARKER_TRIANGLE:
      return 1.35;
    case CS_MARKER_DIAMOND:
    case CS_MARKER_CROSS:
      return 1.25;
    case CS_MARKER_CIRCLE:
    case CS_MARKER_N_SHAPES:
    default:
      return 1.0;
    }
}

#define CROSS_ARM 0.38

static gboolean
marker_contains (CsMarker shape,
                 double   x,
                 double   y)
{
  double ax = fabs (x);
  double ay = fabs (y);

  switch (shape)
    {
    case CS_MARKER_SQUARE:
      return ax <= 0.8862 && ay <= 0.8862;
    case CS_MARKER_TRIANGLE:
      /* Pointing up (y grows downwards), centroid at the origin, circumradius 1.35. */
      return y <= 1.35 * 0.5 && 1.7320508 * ax - y <= 1.35;
    case CS_MARKER_DIAMOND:
      return ax + ay <= 1.25;
    case CS_MARKER_CROSS:
      return (ax <= CROSS_ARM && ay <= 1.25) || (ay <= CROSS_ARM && ax <= 1.25);
    case CS_MARKER_CIRCLE:
    case CS_MARKER_N_SHAPES:
    default:
      return x * x + y * y <= 1.0;
    }
}

static void
marker_path (cairo_t *cr,
             CsMarker shape,
             double   x,
             double   y,
             double   r)
{
  double e;

  switch (shape)
    {
    case CS_MARKER_SQUARE:
      e = 0.8862 * r;
      cairo_rectangle (cr, x - e, y - e, 2 * e, 2 * e);
      break;
    case CS_MARKER_TRIANGLE:
      e = 1.35 * r;
      cairo_move_to (cr, x, y - e);
      cairo_line_to (cr, x + e * 0.8660254, y + e * 0.5);
      cairo_line_to (cr, x - e * 0.8660254, y + e * 0.5);
      cairo_close_path (cr);
      break;
    case CS_MARKER_DIAMOND:
      e = 1.25 * r;
      cairo_move_to (cr, x, y - e);
      cairo_line_to (cr, x + e, y);
      cairo_line_to (cr, x, y + e);
      cairo_line_to (cr, x - e, y);
      cairo_close_path (cr);
      break;
    case CS_MARKER_CROSS:
      {
        double a = CROSS_ARM * r;
        e = 1.25 * r;
        cairo_move_to (cr, x - a, y - e);
        cairo_line_to (cr, x + a, y - e);
        cairo_line_to (cr, x + a, y - a);
        cairo_line_to (cr, x + e, y - a);
        cairo_line_to (cr, x + e, y + a);
        cairo_line_to (cr, x + a, y + a);
        cairo_line_to (cr, x + a, y + e);
        cairo_line_to (cr, x - a, y + e);
        cairo_line_to (cr, x - a, y + a);
        cairo_line_to (cr, x - e, y + a);
        cairo_line_to (cr, x - e, y - a);
        cairo_line_to (cr, x - a, y - a);
        cairo_close_path (cr);
      }
      break;
    case CS_MARKER_CIRCLE:
    case CS_MARKER_N_SHAPES:
    default:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      cairo_close_path (cr);
      break;
    }
}

/* Colour and shape of a label (-1 noise; `m->labels == NULL` means no clustering). */
static void
label_style (const CsPlotModel *m,
             int                label,
             double             rgb[3],
             CsMarker          *shape)
{
  if (m->labels == NULL)
    {
      memcpy (rgb, CS_STYLE_RGB_UNCLUSTERED, 3 * sizeof (double));
      *shape = CS_MARKER_CIRCLE;
    }
  else if (label < 0 || label >= (int) m->k)
    {
      cs_palette_kind_neutral (m->palette, rgb);
      *shape = CS_MARKER_CIRCLE;
    }
  else
    {
      guint slot = m->color_slot != NULL ? (guint) m->color_slot[label] : (guint) label;
      cs_palette_kind_color (m->palette, slot, rgb);
      *shape = cs_palette_marker (slot);
    }
}

/* A cluster's own colour even while its points are not labelled yet (playback's start). */
static void
cluster_style (const CsPlotModel *m,
               guint              j,
               double             rgb[3],
               CsMarker          *shape)
{
  guint slot = m->color_slot != NULL ? (guint) m->color_slot[j] : j;

  cs_palette_kind_color (m->palette, slot, rgb);
  *shape = cs_palette_marker (slot);
}

/* Raster point layer ------------------------------------------------------------------ */

typedef struct
{
  int     half;  /* stamp pixel 0 is `half` pixels left/up of the centre's pixel */
  int     size;  /* 2 * half + 1 */
  int     pitch; /* bytes per stamp row: 4 for stamps up to 4 wide (one SIMD row) */
  guint8 *cov;   /* PHASES × PHASES stamps of size × pitch: coverage × alpha, 0..255 */
} Stamp;

static void
stamp_build (Stamp   *s,
             CsMarker shape,
             double   r_px,
             double   alpha)
{
  double reach = marker_extent (shape) * r_px;
  int ss = r_px < 3.0 ? 8 : 4; /* supersamples per pixel and axis */

  s->half = (int) ceil (reach);
  s->size = 2 * s->half + 1;
  s->pitch = s->size <= 4 ? 4 : s->size;
  s->cov = g_new0 (guint8, (gsize) PHASES * PHASES * s->size * s->pitch);

  for (int py = 0; py < PHASES; py++)
    for (int px = 0; px < PHASES; px++)
      {
        guint8 *out = s->cov + ((gsize) py * PHASES + px) * s->size * s->pitch;
        double cx = s->half + (px + 0.5) / PHASES;
        double cy = s->half + (py + 0.5) / PHASES;

        for (int v = 0; v < s->size; v++)
          for (int u = 0; u < s->size; u++)
            {
              int hits = 0;
              for (int b = 0; b < ss; b++)
                for (int a = 0; a < ss; a++)
                  {
                    double sx = (u + (a + 0.5) / ss - cx) / r_px;
                    double sy = (v + (b + 0.5) / ss - cy) / r_px;
                    hits += marker_contains (shape, sx, sy);
                  }
              out[v * s->pitch + u] = (guint8) lround (255.0 * alpha * hits / (ss * ss));
            }
      }
}

typedef struct
{
  guint32      rb;    /* red and blue in the two 16-bit lanes */
  guint32      ag;    /* alpha (always 255) and green */
#ifdef __SSE2__
  __m128i      wide;  /* B G R 255 B G R 255 as 16-bit lanes */
#endif
  const Stamp *stamp;
} Ink;

/* "Over" with a premultiplied source whose colour is opaque and whose coverage `a`
 * carries the alpha: dst = src·a + dst·(1 − a), two channels per multiply. The /255 is
 * the exact rounding form (x + 128 + ((x + 128) >> 8)) >> 8. */
static inline void
blend (guint32 *d,
       guint32  rb,
       guint32  ag,
       guint32  a)
{
  guint32 dst = *d;
  guint32 ia = 255 - a;
  guint32 x = rb * a + (dst & 0x00ff00ff) * ia + 0x00800080;
  guint32 y = ag * a + ((dst >> 8) & 0x00ff00ff) * ia + 0x00800080;

  x = ((x + ((x >> 8) & 0x00ff00ff)) >> 8) & 0x00ff00ff;
  y = (y + ((y >> 8) & 0x00ff00ff)) & 0xff00ff00;
  *d = x | y;
}

#ifdef __SSE2__
/* The same arithmetic on four pixels at once, bit for bit: SSE2 is part of x86-64, and
 * a million 1-pixel points are three of these each instead of nine scalar blends. */
static inline void
blend4 (guint32      *d,
        __m128i       src,
        const guint8 *cov)
{
  const __m128i zero = _mm_setzero_si128 ();
  const __m128i k255 = _mm_set1_epi16 (255);
  const __m128i k128 = _mm_set1_epi16 (128);
  guint32 a4;
  __m128i dst;
  __m128i a;
  __m128i alo;
  __m128i ahi;
  __m128i lo;
  __m128i hi;

  memcpy (&a4, cov, 4);
  a = _mm_cvtsi32_si128 ((int) a4);
  a = _mm_unpacklo_epi8 (a, a);   /* a0 a0 a1 a1 a2 a2 a3 a3 */
  a = _mm_unpacklo_epi16 (a, a);  /* a0 ×4, a1 ×4, a2 ×4, a3 ×4 */
  alo = _mm_unpacklo_epi8 (a, zero);
  ahi = _mm_unpackhi_epi8 (a, zero);

  dst = _mm_loadu_si128 ((const __m128i *) d);
  lo = _mm_unpacklo_epi8 (dst, zero);
  hi = _mm_unpackhi_epi8 (dst, zero);
  /* src·a + dst·(255 − a) + 128 ≤ 65153: no 16-bit overflow. */
  lo = _mm_add_epi16 (_mm_add_epi16 (_mm_mullo_epi16 (src, alo),
                                     _mm_mullo_epi16 (lo, _mm_sub_epi16 (k255, alo))), k128);
  hi = _mm_add_epi16 (_mm_add_epi16 (_mm_mullo_epi16 (src, ahi),
                                     _mm_mullo_epi16 (hi, _mm_sub_epi16 (k255, ahi))), k128);
  lo = _mm_srli_epi16 (_mm_add_epi16 (lo, _mm_srli_epi16 (lo, 8)), 8);
  hi = _mm_srli_epi16 (_mm_add_epi16 (hi, _mm_srli_epi16 (hi, 8)), 8);
  _mm_storeu_si128 ((__m128i *) d, _mm_packus_epi16 (lo, hi));
}
#endif

typedef struct
{
  guint32 *data;
  int      stride;  /* in pixels */
  int      width;
  int      y_lo;    /* this band's rows [y_lo, y_hi): the only ones a splat may touch, */
  int      y_hi;    /* so bands can be drawn by different threads */
} Canvas;

static inline void
splat (const Canvas *c,
       const Ink    *ink,
       int           ix,
       int           iy,
       int           phase)
{
  const Stamp *s = ink->stamp;
  int ox = ix - s->half;
  int oy = iy - s->half;
  const guint8 *cov = s->cov + (gsize) phase * s->size * s->pitch;
  int v0 = MAX (0, c->y_lo - oy);
  int v1 = MIN (s->size, c->y_hi - oy);

#ifdef __SSE2__
  if (s->pitch == 4 && ox >= 0 && ox + 4 <= c->width)
    {
      for (int v = v0; v < v1; v++)
        blend4 (c->data + (gsize) (oy + v) * c->stride + ox, ink->wide, cov + v * 4);
      return;
    }
#endif
  if (ox >= 0 && ox + s->size <= c->width)
    {
      for (int v = v0; v < v1; v++)
        {
          guint32 *row = c->data + (gsize) (oy + v) * c->stride + ox;
          const guint8 *cr = cov + v * s->pitch;
          for (int u = 0; u < s->size; u++)
            if (cr[u] != 0)
              blend (row + u, ink->rb, ink->ag, cr[u]);
        }
    }
  else
    {
      int u0 = MAX (0, -ox);
      int u1 = MIN (s->size, c->width - ox);

      for (int v = v0; v < v1; v++)
        {
          guint32 *row = c->data + (gsize) (oy + v) * c->stride + ox;
          const guint8 *cr = cov + v * s->pitch;
          for (int u = u0; u < u1; u++)
            if (cr[u] != 0)
              blend (row + u, ink->rb, ink->ag, cr[u]);
        }
    }
}

/* Data to layer pixels. */
typedef struct
{
  double x0;   /* px = (x - x0) * kx */
  double kx;
  double y1;   /* py = (y1 - y) * ky */
  double ky;
  double lo;   /* points whose pixel lies outside (lo, hi_x) × (lo, hi_y) cannot */
  double hi_x; /* reach the layer */
  double hi_y;
} Transform;

/* A located point in 8 bytes: pixel + 32768 (16 bits each), sub-pixel phase (8 bits),
 * ink (24 bits: 0 noise or CS_STYLE_RGB_UNCLUSTERED, 1 + j cluster j). */
#define REC_OFFSET 32768
#define REC_NONE   G_MAXUINT64

static inline guint64
locate (const Transform *t,
        double           x,
        double           y,
        guint            ink)
{
  double px = (x - t->x0) * t->kx;
  double py = (t->y1 - y) * t->ky;
  int ix;
  int iy;
  int fx;
  int fy;

  /* Also rejects NaN: every comparison with it is false. */
  if (!(px > t->lo && px < t->hi_x && py > t->lo && py < t->hi_y))
    return REC_NONE;
  /* px, py > lo > -4096 here, so truncation after the shift is a floor. */
  ix = (int) (px + 4096.0) - 4096;
  iy = (int) (py + 4096.0) - 4096;
  fx = MIN ((int) ((px - ix) * PHASES), PHASES - 1);
  fy = MIN ((int) ((py - iy) * PHASES), PHASES - 1);
  return (guint64) (ix + REC_OFFSET) | (guint64) (iy + REC_OFFSET) << 16
         | (guint64) (fy * PHASES + fx) << 32 | (guint64) ink << 40;
}

static inline guint
rec_ink (guint64 v)
{
  return (guint) (v >> 40);
}

static inline int
rec_x (guint64 v)
{
  return (int) (v & 0xffff) - REC_OFFSET;
}

static inline int
rec_y (guint64 v)
{
  return (int) ((v >> 16) & 0xffff) - REC_OFFSET;
}

static inline int
rec_phase (guint64 v)
{
  return (int) ((v >> 32) & 0xff);
}

/* Draws the located points that touch this band's rows, noise (ink 0) first and then
 * the rest, each in index order. Every pixel lies in exactly one band and receives its
 * points in that order whatever the number of bands: the picture does not depend on
 * the thread count. */
static void
draw_band (const Canvas  *c,
           const guint64 *located,
           gsize          n,
           const Ink     *inks,
           int            max_half,
           gboolean       has_noise,
           gboolean       has_clustered)
{
  int lo = c->y_lo - max_half;
  int hi = c->y_hi + max_half;

  for (int pass = 0; pass < 2; pass++)
    {
      if ((pass == 0 && !has_noise) || (pass == 1 && !has_clustered))
        continue;
      for (gsize i = 0; i < n; i++)
        {
          guint64 v = located[i];
          int iy;

          if (v == REC_NONE || (pass == 0) != (rec_ink (v) == 0))
            continue;
          iy = rec_y (v);
          if (iy < lo || iy >= hi)
            continue;
          splat (c, &inks[rec_ink (v)], rec_x (v), iy, rec_phase (v));
        }
    }
}

static Ink
make_ink (const double rgb[3],
          const Stamp *stamp)
{
  Ink ink;
  guint32 r = (guint32) lround (rgb[0] * 255.0);
  guint32 g = (guint32) lround (rgb[1] * 255.0);
  guint32 b = (guint32) lround (rgb[2] * 255.0);

  ink.rb = (r << 16) | b;
  ink.ag = (255u << 16) | g;
#ifdef __SSE2__
  ink.wide = _mm_set_epi16 (255, (short) r, (short) g, (short) b, 255, (short) r, (short) g, (short) b);
#endif
  ink.stamp = stamp;
  return ink;
}

/* Draws every point into an image the size of the frame at (sx, sy) pixels per unit and
 * paints it into the frame. Noise (or everything, CS_STYLE_RGB_UNCLUSTERED) goes first, then the
 * clustered points by index: the picture depends on the data only. */
static void
draw_points_raster (cairo_t           *cr,
                    const CsPlotModel *m,
                    const Layout      *L,
                    double             sx,
                    double             sy)
{
  const CsRect *f = &L->frame;
  Stamp stamps[CS_MARKER_N_SHAPES];
  gboolean built[CS_MARKER_N_SHAPES] = { FALSE, };
  g_autofree Ink *inks = NULL;
  g_autofree guint64 *located = NULL;
  cairo_surface_t *layer;
  cairo_pattern_t *pattern;
  cairo_matrix_t matrix;
  Transform t;
  Canvas c;
  double r_px;
  double alpha = point_alpha (m);
  double margin;
  int max_half = 0;
  gboolean has_noise = FALSE;
  gboolean has_clustered = FALSE;
  gboolean parallel;
  gssize n = (gssize) m->n;
  int w;
  int h;

  /* Cairo image surfaces stop at 32767 pixels a side; exports never get near. */
  sx = MIN (sx, 16384.0 / MAX (f->width, 1.0));
  sy = MIN (sy, 16384.0 / MAX (f->height, 1.0));
  w = MAX (1, (int) ceil (f->width * sx - 1e-6));
  h = MAX (1, (int) ceil (f->height * sy - 1e-6));
  r_px = point_radius (m, L) * 0.5 * (sx + sy);
  /* Below a pixel, a mark would vanish rather than shrink: keep a minimal disc. */
  r_px = MAX (r_px, 0.75);

  layer = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  if (cairo_surface_status (layer) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (layer);
      return;
    }
  cairo_surface_flush (layer);
  c.data = (guint32 *) cairo_image_surface_get_data (layer);
  c.stride = cairo_image_surface_get_stride (layer) / 4;
  c.width = w;
  c.y_lo = 0;
  c.y_hi = h;

  inks = g_new (Ink, m->k + 1);
  for (guint j = 0; j <= (m->labels != NULL ? m->k : 0); j++)
    {
      double rgb[3];
      CsMarker shape;
      label_style (m, (int) j - 1, rgb, &shape);
      if (!built[shape])
        {
          stamp_build (&stamps[shape], shape, r_px, alpha);
          built[shape] = TRUE;
          max_half = MAX (max_half, stamps[shape].half);
        }
      inks[j] = make_ink (rgb, &stamps[shape]);
    }

  margin = 2.0 * r_px + 2.0;
  t.x0 = m->x_min;
  t.kx = w / (m->x_max - m->x_min);
  t.y1 = m->y_max;
  t.ky = h / (m->y_max - m->y_min);
  t.lo = -margin;
  t.hi_x = w + margin;
  t.hi_y = h + margin;

  located = g_new (guint64, MAX (n, 1));
  /* Small plots are not worth waking a team of threads for. */
  parallel = n >= 20000;

  /* Locating is per point; drawing is by bands of rows, one per thread, each walking all
   * located points and drawing those that reach its rows. */
#pragma omp parallel if (parallel)
  {
    int band = 0;
    int bands = 1;

#pragma omp for schedule(static) reduction(|:has_noise, has_clustered)
    for (gssize i = 0; i < n; i++)
      {
        int l = m->labels != NULL ? m->labels[i] : -1;
        guint ink = l < 0 ? 0 : (guint) l + 1;

        located[i] = locate (&t, m->x[i], m->y[i], ink);
        has_noise |= ink == 0;
        has_clustered |= ink != 0;
      }

#ifdef _OPENMP
    band = omp_get_thread_num ();
    bands = omp_get_num_threads ();
#endif
    {
      Canvas mine = c;
      mine.y_lo = (int) ((gint64) h * band / bands);
      mine.y_hi = (int) ((gint64) h * (band + 1) / bands);
      draw_band (&mine, located, (gsize) n, inks, max_half, has_noise, has_clustered);
    }
  }
  cairo_surface_mark_dirty (layer);

  pattern = cairo_pattern_create_for_surface (layer);
  cairo_matrix_init_scale (&matrix, w / f->width, h / f->height);
  cairo_matrix_translate (&matrix, -f->x, -f->y);
  cairo_pattern_set_matrix (pattern, &matrix);
  /* On screen and in PNGs the layer maps 1:1 onto device pixels; only vector targets,
   * whose viewers scale freely, should interpolate. */
  if (cairo_surface_get_type (cairo_get_target (cr)) == CAIRO_SURFACE_TYPE_IMAGE)
    cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_set_source (cr, pattern);
  cairo_rectangle (cr, f->x, f->y, f->width, f->height);
  cairo_fill (cr);
  cairo_pattern_destroy (pattern);
  cairo_surface_destroy (layer);

  for (int s = 0; s < CS_MARKER_N_SHAPES; s++)
    if (built[s])
      g_free (stamps[s].cov);
}

/* One path per colour, each point a real vector mark. */
static void
draw_points_vector (cairo_t           *cr,
                    const CsPlotModel *m,
                    const Layout      *L)
{
  double r = point_radius (m, L);
  double alpha = point_alpha (m);
  guint groups = m->labels != NULL ? m->k + 1 : 1;

  for (guint g = 0; g < groups; g++)
    {
      int      label = (int)g - 1; /* group 0: noise / CS_STYLE_RGB_UNCLUSTERED */
      double rgb[3];
      CsMarker shape;
      gboolean any = FALSE;

      label_style (m, label, rgb, &shape);
      cairo_new_path (cr);
      for (gsize i = 0; i < m->n; i++)
        {
          int l = m->labels != NULL ? m->labels[i] : -1;
          double cx;
          double cy;

          if ((l < 0 ? -1 : l) != label || !isfinite (m->x[i]) || !isfinite (m->y[i]))
            continue;
          cs_plot_data_to_canvas (m, &L->frame, m->x[i], m->y[i], &cx, &cy);
          if (cx < L->frame.x - 4 * r || cx > L->frame.x + L->frame.width + 4 * r
              || cy < L->frame.y - 4 * r || cy > L->frame.y + L->frame.height + 4 * r)
            continue;
          marker_path (cr, shape, cx, cy, r);
          any = TRUE;
        }
      if (any)
        {
          cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], alpha);
          cairo_fill (cr);
        }
      cairo_new_path (cr);
    }
}

/* Points with colours of their own (soft membership, uncertainty, discovery): one mark per
 * point in index order, the marker shape still by cluster. */
static void
draw_points_rgb (cairo_t           *cr,
                 const CsPlotModel *m,
                 const Layout      *L)
{
  double r = point_radius (m, L);
  double alpha = point_alpha (m);

  for (gsize i = 0; i < m->n; i++)
    {
      int l = m->labels != NULL ? m->labels[i] : -1;
      guint32 c = m->point_rgb[i];
      double rgb[3];
      CsMarker shape;
      double cx;
      double cy;

      if (!isfinite (m->x[i]) || !isfinite (m->y[i]))
        continue;
      cs_plot_data_to_canvas (m, &L->frame, m->x[i], m->y[i], &cx, &cy);
      if (cx < L->frame.x - 4 * r || cx > L->frame.x + L->frame.width + 4 * r
          || cy < L->frame.y - 4 * r || cy > L->frame.y + L->frame.height + 4 * r)
        continue;
      label_style (m, l, rgb, &shape);
      if ((c >> 24) != 0)
        {
          rgb[0] = ((c >> 16) & 0xff) / 255.0;
          rgb[1] = ((c >> 8) & 0xff) / 255.0;
          rgb[2] = (c & 0xff) / 255.0;
        }
      cairo_new_path (cr);
      marker_path (cr, shape, cx, cy, r);
      cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], MAX (alpha, 0.6));
      cairo_fill (cr);
    }
}

static gsize
count_visible (const CsPlotModel *m,
               gsize              limit)
{
  gsize count = 0;

  for (gsize i = 0; i < m->n && count <= limit; i++)
    count += m->x[i] >= m->x_min && m->x[i] <= m->x_max
             && m->y[i] >= m->y_min && m->y[i] <= m->y_max;
  return count;
}

static void
draw_points (cairo_t           *cr,
             const CsPlotModel *m,
             const Layout      *L)
{
  cairo_surface_type_t type = cairo_surface_get_type (cairo_get_target (cr));
  gboolean vector_target = type == CAIRO_SURFACE_TYPE_PDF || type == CAIRO_SURFACE_TYPE_SVG
                           || type == CAIRO_SURFACE_TYPE_PS;
  double sx;
  double sy;

  if (m->n == 0 || !(m->x_max > m->x_min) || !(m->y_max > m->y_min))
    return;

  cairo_save (cr);
  cairo_rectangle (cr, L->frame.x, L->frame.y, L->frame.width, L->frame.height);
  cairo_clip (cr);
  if (m->point_rgb != NULL)
    draw_points_rgb (cr, m, L);
  else if (vector_target && count_visible (m, CS_RENDER_VECTOR_MAX_POINTS) <= CS_RENDER_VECTOR_MAX_POINTS)
    draw_points_vector (cr, m, L);
  else
    {
      cs_i_render_pixel_scale (cr, &sx, &sy);
      draw_points_raster (cr, m, L, sx, sy);
    }
  cairo_restore (cr);
}

/* Above this many points the links are drawn for an evenly spaced subset: past a few
 * thousand lines per cluster they merge into a fan whose shape a subset shows as well, at
 * a bounded cost per frame. */
#define MAX_MEDOID_LINKS 20000

/* Thin translucent lines from each point to its medoid, under the points. */
static void
draw_medoid_links (cairo_t           *cr,
                   const CsPlotModel *m,
                   const Layout      *L)
{
  gsize stride;
  double alpha;

  if (!m->show_medoid_links || !m->centers_are_medoids || m->labels == NULL || m->center_x == NULL
      || m->center_y == NULL || m->n == 0 || !(m->x_max > m->x_min) || !(m->y_max > m->y_min))
    return;

  stride = (m->n + MAX_MEDOID_LINKS - 1) / MAX_MEDOID_LINKS;
  alpha = CLAMP (0.55 - 0.08 * log10 ((double) m->n / stride), 0.15, 0.5);

  cairo_save (cr);
  cairo_rectangle (cr, L->frame.x, L->frame.y, L->frame.width, L->frame.height);
  cairo_clip (cr);
  cairo_set_line_width (cr, 0.8);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  for (guint j = 0; j < m->k; j++)
    {
      double rgb[3];
      CsMarker shape;
      double mx;
      double my;
      gboolean any = FALSE;

      if (!isfinite (m->center_x[j]) || !isfinite (m->center_y[j]))
        continue;
      cs_plot_data_to_canvas (m, &L->frame, m->center_x[j], m->center_y[j], &mx, &my);
      for (gsize i = 0; i < m->n; i += stride)
        {
          double cx;
          double cy;

          if (m->labels[i] != (int) j || !isfinite (m->x[i]) || !isfinite (m->y[i]))
            continue;
          cs_plot_data_to_canvas (m, &L->frame, m->x[i], m->y[i], &cx, &cy);
          cairo_move_to (cr, mx, my);
          cairo_line_to (cr, cx, cy);
          any = TRUE;
        }
      if (!any)
        continue;
      label_style (m, (int) j, rgb, &shape);
      cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], alpha);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

/* Decorations ------------------------------------------------------------------------- */

static void
set_rgb (cairo_t      *cr,
         const double  rgb[3])
{
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
}

/* Moves a coordinate of a 1-unit line to the middle of a device pixel so it stays one
 * crisp pixel wide on screen; harmless (sub-pixel) on other targets. */
static double
snap_x (cairo_t *cr,
        double   x)
{
  double y = 0.0;

  cairo_user_to_device (cr, &x, &y);
  x = floor (x) + 0.5;
  cairo_device_to_user (cr, &x, &y);
  return x;
}

static double
snap_y (cairo_t *cr,
        double   y)
{
  double x = 0.0;

  cairo_user_to_device (cr, &x, &y);
  y = floor (y) + 0.5;
  cairo_device_to_user (cr, &x, &y);
  return y;
}

static void
draw_grid (cairo_t           *cr,
           const CsPlotModel *m,
           const Layout      *L)
{
  const CsRect *f = &L->frame;

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  set_rgb (cr, CS_STYLE_RGB_GRID);
  for (guint i = 0; i < L->n_xticks; i++)
    {
      double cx;
      double cy;
      cs_plot_data_to_canvas (m, f, L->xticks[i], m->y_min, &cx, &cy);
      cx = snap_x (cr, cx);
      cairo_move_to (cr, cx, f->y);
      cairo_line_to (cr, cx, f->y + f->height);
    }
  for (guint i = 0; i < L->n_yticks; i++)
    {
      double cx;
      double cy;
      cs_plot_data_to_canvas (m, f, m->x_min, L->yticks[i], &cx, &cy);
      cy = snap_y (cr, cy);
      cairo_move_to (cr, f->x, cy);
      cairo_line_to (cr, f->x + f->width, cy);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_frame (cairo_t      *cr,
            const Layout *L)
{
  const CsRect *f = &L->frame;
  double x0 = snap_x (cr, f->x);
  double y0 = snap_y (cr, f->y);
  double x1 = snap_x (cr, f->x + f->width);
  double y1 = snap_y (cr, f->y + f->height);

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  set_rgb (cr, CS_STYLE_RGB_FRAME);
  cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_axes_text (cairo_t           *cr,
                const CsPlotModel *m,
                const Layout      *L,
                double             width)
{
  const CsRect *f = &L->frame;

  set_rgb (cr, CS_STYLE_RGB_TICK);
  for (guint i = 0; i < L->n_xticks; i++)
    {
      g_autofree char *t = cs_i_format_tick (L->xticks[i], L->xstep);
      double cx;
      double cy;
      double tw;

      cs_plot_data_to_canvas (m, f, L->xticks[i], m->y_min, &cx, &cy);
      /* Keep the outermost labels on the canvas. */
      cs_i_text_extents (t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &tw, NULL);
      cx = CLAMP (cx, tw / 2 + 2.0, width - tw / 2 - 2.0);
      cs_i_text_draw (cr, t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, cx,
                      f->y + f->height + CS_STYLE_TICK_GAP, 0.5, 0.0, 0.0);
    }
  for (guint i = 0; i < L->n_yticks; i++)
    {
      g_autofree char *t = cs_i_format_tick (L->yticks[i], L->ystep);
      double cx;
      double cy;

      cs_plot_data_to_canvas (m, f, m->x_min, L->yticks[i], &cx, &cy);
      cs_i_text_draw (cr, t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x - CS_STYLE_TICK_GAP, cy, 1.0,
                      0.5, 0.0);
    }

  set_rgb (cr, CS_STYLE_RGB_LABEL);
  if (L->xlabel_h > 0)
    cs_i_text_draw (cr, m->x_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x + f->width / 2,
                    f->y + f->height + CS_STYLE_TICK_GAP + L->tick_h + 6.0, 0.5, 0.0, 0.0);
  if (L->ylabel_h > 0)
    cs_i_text_draw (cr, m->y_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD,
                    f->y + f->height / 2, 0.5, 0.0, -G_PI / 2);

  if (L->title_h > 0)
    cs_i_draw_title (cr, m->title, f->x, width);
}

static void
draw_swatch (cairo_t      *cr,
             const double  rgb[3],
             CsMarker      shape,
             double        x,
             double        y,
             double        r)
{
  marker_path (cr, shape, x, y, r);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_fill (cr);
}

static void
draw_legend (cairo_t           *cr,
             const CsPlotModel *m,
             const Layout      *L)
{
  double row = CS_STYLE_SMALL_SIZE * CS_STYLE_LEGEND_ROW;

  for (guint r = 0; r < L->legend_shown; r++)
    {
      g_autofree char *name = NULL;
      g_autofree char *count = NULL;
      guint64 size;
      double rgb[3];
      CsMarker shape;
      double x;
      double y;

      /* Down the column beside the plot; across the rows above it. */
      if (L->legend == CS_LEGEND_RIGHT)
        {
          x = L->legend_x;
          y = L->frame.y + row / 2 + r * row;
        }
      else
        {
          x = L->legend_x + (r % L->legend_cols) * (L->legend_w + CS_STYLE_LEGEND_COL_GAP);
          y = L->legend_y + row / 2 + (r / L->legend_cols) * row;
        }

      if (r + 1 == L->legend_shown && L->legend_shown < L->legend_entries)
        {
          name = g_strdup_printf ("+ %u more", L->legend_entries - L->legend_shown + 1);
          set_rgb (cr, CS_STYLE_RGB_TICK);
          cs_i_text_draw (cr, name, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, x + CS_STYLE_LEGEND_SWATCH,
                          y, 0.0, 0.5, 0.0);
          break;
        }
      legend_entry (m, L, r, &name, &size);
      label_style (m, L->legend_noise ? (int) r - 1 : (int) r, rgb, &shape);
      draw_swatch (cr, rgb, shape, x + 5.0, y, CS_STYLE_SWATCH_RADIUS);
      count = cs_i_format_count (size);
      set_rgb (cr, CS_STYLE_RGB_LABEL);
      cs_i_text_draw (cr, name, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, x + CS_STYLE_LEGEND_SWATCH, y,
                      0.0, 0.5, 0.0);
      set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, count, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, x + L->legend_w, y, 1.0, 0.5,
                      0.0);
    }
}

static gboolean
in_frame (const Layout *L,
          double        cx,
          double        cy)
{
  return cx >= L->frame.x && cx <= L->frame.x + L->frame.width
         && cy >= L->frame.y && cy <= L->frame.y + L->frame.height;
}

static void
draw_centers (cairo_t           *cr,
              const CsPlotModel *m,
              const Layout      *L)
{
  if (!m->show_centers || m->center_x == NULL || m->center_y == NULL || m->k == 0)
    return;

  cairo_save (cr);
  cairo_rectangle (cr, L->frame.x, L->frame.y, L->frame.width, L->frame.height);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint j = 0; j < m->k; j++)
    {
      double rgb[3];
      CsMarker shape;
      double cx;
      double cy;

      if (!isfinite (m->center_x[j]) || !isfinite (m->center_y[j]))
        continue;
      cs_plot_data_to_canvas (m, &L->frame, m->center_x[j], m->center_y[j], &cx, &cy);
      if (!in_frame (L, cx, cy))
        continue;
      cluster_style (m, j, rgb, &shape);

      if (m->centers_are_medoids)
        {
          /* A medoid is a data point: a ringed diamond, filled with the cluster colour. */
          marker_path (cr, CS_MARKER_DIAMOND, cx, cy, CS_STYLE_MEDOID_RADIUS);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_set_line_width (cr, 5.0);
          cairo_stroke_preserve (cr);
          set_rgb (cr, CS_STYLE_RGB_INK);
          cairo_set_line_width (cr, 2.2);
          cairo_stroke_preserve (cr);
          cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
          cairo_fill (cr);
        }
      else
        {
          /* A mean is not a data point: a bold plus in a white halo reads as "a place". */
          double a = CS_STYLE_CENTER_ARM;
          double widths[3] = { 7.0, 4.4, 2.2 };

          for (int layer = 0; layer < 3; layer++)
            {
              cairo_move_to (cr, cx - a, cy);
              cairo_line_to (cr, cx + a, cy);
              cairo_move_to (cr, cx, cy - a);
              cairo_line_to (cr, cx, cy + a);
              if (layer == 0)
                cairo_set_source_rgb (cr, 1, 1, 1);
              else if (layer == 1)
                set_rgb (cr, CS_STYLE_RGB_INK);
              else
                cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
              cairo_set_line_width (cr, widths[layer]);
              cairo_stroke (cr);
            }
        }
    }
  cairo_restore (cr);
}

/* Selected points get a ring in ink over a white halo, so they stand out on any cluster colour;
 * one path and two strokes however many there are. */
static void
draw_selection (cairo_t           *cr,
                const CsPlotModel *m,
                const Layout      *L)
{
  double r;

  if (m->selected == NULL)
    return;
  r = MAX (point_radius (m, L) + 2.0, 3.0);
  cairo_save (cr);
  cairo_new_path (cr);
  for (gsize i = 0; i < m->n; i++)
    {
      double cx;
      double cy;

      if (!m->selected[i] || !isfinite (m->x[i]) || !isfinite (m->y[i]))
        continue;
      cs_plot_data_to_canvas (m, &L->frame, m->x[i], m->y[i], &cx, &cy);
      if (!in_frame (L, cx, cy))
        continue;
      cairo_new_sub_path (cr);
      cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
    }
  cairo_set_source_rgba (cr, 1, 1, 1, 0.8);
  cairo_set_line_width (cr, 2.5);
  cairo_stroke_preserve (cr);
  set_rgb (cr, CS_STYLE_RGB_INK);
  cairo_set_line_width (cr, 1.2);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_highlight (cairo_t           *cr,
                const CsPlotModel *m,
                const Layout      *L)
{
  gssize i = m->highlight;
  double rgb[3];
  CsMarker shape;
  double cx;
  double cy;
  double r;

  if (i < 0 || (gsize) i >= m->n || !isfinite (m->x[i]) || !isfinite (m->y[i]))
    return;
  cs_plot_data_to_canvas (m, &L->frame, m->x[i], m->y[i], &cx, &cy);
  if (!in_frame (L, cx, cy))
    return;

  label_style (m, m->labels != NULL ? m->labels[i] : -1, rgb, &shape);
  r = MAX (point_radius (m, L) * 1.4, 4.0);

  cairo_save (cr);
  marker_path (cr, shape, cx, cy, r);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);

  cairo_new_sub_path (cr);
  cairo_arc (cr, cx, cy, r * marker_extent (shape) + 4.0, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_set_line_width (cr, 4.0);
  cairo_stroke_preserve (cr);
  set_rgb (cr, CS_STYLE_RGB_INK);
  cairo_set_line_width (cr, 2.0);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Playback and mixture overlays ------------------------------------------------------- */

/* Cells of the Voronoi shading, in device pixels: coarse enough to be cheap on every
 * frame, fine enough that the boundaries read as lines. */
#define VORONOI_CELL 2.0

static void
draw_voronoi (cairo_t           *cr,
              const CsPlotModel *m,
              const Layout      *L)
{
  const CsRect *f = &L->frame;
  g_autofree double *rgb = NULL;
  cairo_surface_t *img;
  cairo_pattern_t *pattern;
  cairo_matrix_t matrix;
  guint32 *data;
  double sx;
  double sy;
  int w;
  int h;
  int stride;
  gboolean any = FALSE;

  if (!m->show_voronoi || m->center_x == NULL || m->center_y == NULL || m->k == 0
      || !(m->x_max > m->x_min) || !(m->y_max > m->y_min))
    return;
  for (guint j = 0; j < m->k; j++)
    any |= isfinite (m->center_x[j]) && isfinite (m->center_y[j]);
  if (!any)
    return;

  cs_i_render_pixel_scale (cr, &sx, &sy);
  w = MAX (1, (int) ceil (f->width * sx / VORONOI_CELL));
  h = MAX (1, (int) ceil (f->height * sy / VORONOI_CELL));
  img = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  if (cairo_surface_status (img) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (img);
      return;
    }
  cairo_surface_flush (img);
  data = (guint32 *) cairo_image_surface_get_data (img);
  stride = cairo_image_surface_get_stride (img) / 4;
  rgb = g_new (double, 3 * m->k);
  for (guint j = 0; j < m->k; j++)
    {
      CsMarker shape;
      cluster_style (m, j, rgb + 3 * j, &shape);
    }
  /* Nearest centre in the plotted plane, in the axes' own units (what k-means measures when
   * the axes are the clustered columns, and the projected distance for principal components). */
  for (int v = 0; v < h; v++)
    for (int u = 0; u < w; u++)
      {
        double px = m->x_min + (m->x_max - m->x_min) * (u + 0.5) / w;
        double py = m->y_max - (m->y_max - m->y_min) * (v + 0.5) / h;
        double best = INFINITY;
        int arg = -1;
        const double a = 0.16; /* premultiplied: light enough for the points to stay on top */

        for (guint j = 0; j < m->k; j++)
          {
            double dx = m->center_x[j] - px;
            double dy = m->center_y[j] - py;
            double dd = dx * dx + dy * dy;
            if (dd < best)
              {
                best = dd;
                arg = (int) j;
              }
          }
        data[v * stride + u]
            = arg < 0 ? 0
                      : ((guint32) lround (a * 255) << 24) | ((guint32) lround (a * rgb[3 * arg] * 255) << 16)
                            | ((guint32) lround (a * rgb[3 * arg + 1] * 255) << 8)
                            | (guint32) lround (a * rgb[3 * arg + 2] * 255);
      }
  cairo_surface_mark_dirty (img);
  cairo_save (cr);
  pattern = cairo_pattern_create_for_surface (img);
  cairo_matrix_init_scale (&matrix, w / f->width, h / f->height);
  cairo_matrix_translate (&matrix, -f->x, -f->y);
  cairo_pattern_set_matrix (pattern, &matrix);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_set_source (cr, pattern);
  cairo_rectangle (cr, f->x, f->y, f->width, f->height);
  cairo_fill (cr);
  cairo_pattern_destroy (pattern);
  cairo_surface_destroy (img);
  cairo_restore (cr);
}

static void
draw_trails (cairo_t           *cr,
             const CsPlotModel *m,
             const Layout      *L)
{
  if (m->n_trail < 2 || m->trail_x == NULL || m->k == 0)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, L->frame.x, L->frame.y, L->frame.width, L->frame.height);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint j = 0; j < m->k; j++)
    {
      double rgb[3];
      CsMarker shape;
      gboolean started = FALSE;

      cluster_style (m, j, rgb, &shape);
      cairo_new_path (cr);
      for (guint t = 0; t < m->n_trail; t++)
        {
          double x = m->trail_x[(gsize) t * m->k + j];
          double y = m->trail_y[(gsize) t * m->k + j];
          double cx;
          double cy;

          if (!isfinite (x) || !isfinite (y))
            continue;
          cs_plot_data_to_canvas (m, &L->frame, x, y, &cx, &cy);
          if (started)
            cairo_line_to (cr, cx, cy);
          else
            cairo_move_to (cr, cx, cy);
          started = TRUE;
        }
      cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      cairo_set_line_width (cr, 4.0);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_set_line_width (cr, 2.0);
      cairo_stroke (cr);
      /* A dot where the centre was at each earlier step. */
      for (guint t = 0; t + 1 < m->n_trail; t++)
        {
          double x = m->trail_x[(gsize) t * m->k + j];
          double y = m->trail_y[(gsize) t * m->k + j];
          double cx;
          double cy;

          if (!isfinite (x) || !isfinite (y))
            continue;
          cs_plot_data_to_canvas (m, &L->frame, x, y, &cx, &cy);
          cairo_new_sub_path (cr);
          cairo_arc (cr, cx, cy, 2.6, 0, 2 * G_PI);
        }
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_set_line_width (cr, 1.4);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

/* Σ = [a b; b c] at `sigmas` standard deviations: the axes are the eigenvectors, their
 * half-lengths sigmas·√eigenvalue. */
static void
ellipse_path (cairo_t           *cr,
              const CsPlotModel *m,
              const Layout      *L,
              const double      *e,
              double             sigmas)
{
  double a = e[2];
  double b = e[3];
  double c = e[4];
  double tr = 0.5 * (a + c);
  double disc = sqrt (MAX (0.0, 0.25 * (a - c) * (a - c) + b * b));
  double l1 = MAX (tr + disc, 0.0);
  double l2 = MAX (tr - disc, 0.0);
  double theta = 0.5 * atan2 (2.0 * b, a - c);

  for (int s = 0; s <= 96; s++)
    {
      double t = 2 * G_PI * s / 96;
      double u = sigmas * sqrt (l1) * cos (t);
      double v = sigmas * sqrt (l2) * sin (t);
      double x = e[0] + u * cos (theta) - v * sin (theta);
      double y = e[1] + u * sin (theta) + v * cos (theta);
      double cx;
      double cy;

      cs_plot_data_to_canvas (m, &L->frame, x, y, &cx, &cy);
      if (s == 0)
        cairo_move_to (cr, cx, cy);
      else
        cairo_line_to (cr, cx, cy);
    }
  cairo_close_path (cr);
}

static void
draw_ellipses (cairo_t           *cr,
               const CsPlotModel *m,
               const Layout      *L)
{
  static const double dash[] = { 6.0, 4.0 };

  if (m->ellipse == NULL || m->k == 0)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, L->frame.x, L->frame.y, L->frame.width, L->frame.height);
  cairo_clip (cr);
  for (guint j = 0; j < m->k; j++)
    {
      const double *e = m->ellipse + (gsize) j * 5;
      double rgb[3];
      CsMarker shape;

      if (!isfinite (e[0]) || !isfinite (e[1]) || !isfinite (e[2]) || !isfinite (e[3]) || !isfinite (e[4]))
        continue;
      cluster_style (m, j, rgb, &shape);
      for (int sig = 1; sig <= 2; sig++)
        {
          cairo_new_path (cr);
          ellipse_path (cr, m, L, e, sig);
          cairo_set_dash (cr, dash, sig == 2 ? 2 : 0, 0);
          cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
          cairo_set_line_width (cr, 4.0);
          cairo_stroke_preserve (cr);
          cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
          cairo_set_line_width (cr, sig == 1 ? 2.2 : 1.5);
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}

static void
ring (cairo_t *cr, double cx, double cy, double r, gboolean dashed)
{
  static const double dash[] = { 3.0, 3.0 };

  cairo_new_path (cr);
  cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
  cairo_set_dash (cr, dash, 0, 0);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_set_line_width (cr, 5.0);
  cairo_stroke_preserve (cr);
  cairo_set_dash (cr, dash, dashed ? 2 : 0, 0);
  cairo_set_source_rgb (cr, dashed ? 0.80 : 0.11, dashed ? 0.15 : 0.11, dashed ? 0.15 : 0.12);
  cairo_set_line_width (cr, 2.2);
  cairo_stroke (cr);
}

/* The medoid that left (a dashed red ring) and the row that came in (a solid ring), with an
 * arrow between them. */
static void
draw_swap (cairo_t           *cr,
           const CsPlotModel *m,
           const Layout      *L)
{
  gssize a = m->swap_leaving;
  gssize b = m->swap_entering;
  double ax = NAN;
  double ay = NAN;
  double bx = NAN;
  double by = NAN;
  double r = CS_STYLE_MEDOID_RADIUS + 7.0;

  if (b < 0 || (gsize) b >= m->n)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, L->frame.x, L->frame.y, L->frame.width, L->frame.height);
  cairo_clip (cr);
  /* The rows the search tried before this swap: thin rings. */
  cairo_new_path (cr);
  for (guint c = 0; c < m->n_candidates; c++)
    {
      gsize i = m->candidates[c];
      double cx;
      double cy;

      if (i >= m->n || !isfinite (m->x[i]) || !isfinite (m->y[i]))
        continue;
      cs_plot_data_to_canvas (m, &L->frame, m->x[i], m->y[i], &cx, &cy);
      cairo_new_sub_path (cr);
      cairo_arc (cr, cx, cy, point_radius (m, L) + 3.0, 0, 2 * G_PI);
    }
  set_rgb (cr, CS_STYLE_RGB_INK);
  cairo_set_line_width (cr, 0.9);
  cairo_stroke (cr);
  if (a >= 0 && (gsize) a < m->n && isfinite (m->x[a]) && isfinite (m->y[a]))
    cs_plot_data_to_canvas (m, &L->frame, m->x[a], m->y[a], &ax, &ay);
  if (isfinite (m->x[b]) && isfinite (m->y[b]))
    cs_plot_data_to_canvas (m, &L->frame, m->x[b], m->y[b], &bx, &by);
  if (isfinite (ax) && isfinite (bx))
    {
      double dx = bx - ax;
      double dy = by - ay;
      double len = sqrt (dx * dx + dy * dy);

      if (len > 2 * r)
        {
          double ux = dx / len;
          double uy = dy / len;
          double tx = bx - ux * r;
          double ty = by - uy * r;

          cairo_new_path (cr);
          cairo_move_to (cr, ax + ux * r, ay + uy * r);
          cairo_line_to (cr, tx, ty);
          cairo_move_to (cr, tx - 8 * ux + 4 * uy, ty - 8 * uy - 4 * ux);
          cairo_line_to (cr, tx, ty);
          cairo_line_to (cr, tx - 8 * ux - 4 * uy, ty - 8 * uy + 4 * ux);
          set_rgb (cr, CS_STYLE_RGB_INK);
          cairo_set_line_width (cr, 1.6);
          cairo_stroke (cr);
        }
    }
  if (isfinite (ax))
    ring (cr, ax, ay, r, TRUE);
  if (isfinite (bx))
    ring (cr, bx, by, r, FALSE);
  cairo_restore (cr);
}

/* A line of text on a translucent white box inside the frame, at its top (caption) or
 * bottom (what the point colours mean). */
static void
draw_note_line (cairo_t      *cr,
                const Layout *L,
                const char   *text,
                double        y)
{
  g_autofree char *fit = cs_i_text_ellipsize (text, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, L->frame.width - 16.0);
  double tw;
  double th;
  double x = L->frame.x + 4.0;

  if (fit[0] == '\0')
    return;
  cs_i_text_extents (fit, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, &tw, &th);
  cairo_rectangle (cr, x, y, MIN (tw + 8.0, L->frame.width - 8.0), th + 4.0);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
  cairo_fill (cr);
  set_rgb (cr, CS_STYLE_RGB_INK);
  cs_i_text_draw (cr, fit, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, x + 4.0, y + 2.0, 0.0, 0.0, 0.0);
}

/* A caption on translucent white boxes inside the frame, at its top (what the step did) or
 * bottom (what the point colours mean); a caption that does not fit on a line breaks after
 * its first " — " or ": " onto a second line. */
static void
draw_frame_note (cairo_t      *cr,
                 const Layout *L,
                 const char   *text,
                 gboolean      top)
{
  g_autofree char *first = NULL;
  const char *second = NULL;
  double tw;
  double th;
  double y;
  int lines = 1;

  if (text == NULL || text[0] == '\0')
    return;
  cs_i_text_extents (text, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, &tw, &th);
  if (top && tw > L->frame.width - 16.0)
    {
      const char *cut = strstr (text, " — ");
      gsize skip = strlen (" — ");

      if (cut == NULL)
        {
          cut = strstr (text, ": ");
          skip = 2;
        }
      if (cut != NULL)
        {
          first = g_strndup (text, cut - text);
          second = cut + skip;
          lines = 2;
        }
    }
  y = top ? L->frame.y + 4.0 : L->frame.y + L->frame.height - lines * (th + 4.0) - 4.0;
  if (y < L->frame.y || lines * (th + 4.0) > L->frame.height * 0.5)
    return;
  cairo_save (cr);
  draw_note_line (cr, L, first != NULL ? first : text, y);
  if (second != NULL)
    draw_note_line (cr, L, second, y + th + 4.0);
  cairo_restore (cr);
}

void
cs_render_scatter (cairo_t           *cr,
                   const CsPlotModel *m,
                   double             width,
                   double             height)
{
  Layout      L;
  CsPlotModel presented;

  g_return_if_fail (cr != NULL);

  /* A figure presenting the plot (presenter mode, or one embedding it) sets the palette on cr;
   * the struct copy shares every array and only its palette differs. */
  if (m != NULL && m->palette == CS_PALETTE_DEFAULT && cs_render_get_palette (cr) != CS_PALETTE_DEFAULT)
    {
      presented = *m;
      presented.palette = cs_render_get_palette (cr);
      m = &presented;
    }
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  set_rgb (cr, CS_STYLE_RGB_BACKGROUND);
  cairo_fill (cr);

  if (m != NULL)
    {
      compute_layout (m, width, height, &L);
      draw_grid (cr, m, &L);
      draw_voronoi (cr, m, &L);
      draw_medoid_links (cr, m, &L);
      draw_points (cr, m, &L);
      draw_frame (cr, &L);
      draw_ellipses (cr, m, &L);
      draw_trails (cr, m, &L);
      draw_swap (cr, m, &L);
      draw_centers (cr, m, &L);
      draw_selection (cr, m, &L);
      draw_highlight (cr, m, &L);
      draw_frame_note (cr, &L, m->caption, TRUE);
      draw_frame_note (cr, &L, m->shade_legend, FALSE);
      draw_axes_text (cr, m, &L, width);
      if (L.legend != CS_LEGEND_NONE)
        draw_legend (cr, m, &L);
    }
  cairo_restore (cr);
}
