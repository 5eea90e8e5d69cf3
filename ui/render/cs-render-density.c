#include "ui/render/cs-render-density.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "ui/render/cs-palette.h"
#include "ui/render/cs-render-views-private.h"

#define MARGINAL_SIZE  44.0
#define MARGINAL_GAP   6.0
/* The overlay draws at most this many points (every k-th row beyond it): the heatmap already
 * shows where they are, the points only give texture. */
#define OVERLAY_MAX_POINTS 200000

static const double default_masses[] = { 0.5, 0.8, 0.95 };

/* Surface ----------------------------------------------------------------------------- */

static void
free_line (gpointer data)
{
  g_array_unref (data);
}

static void
contour_fill (CsDensityContour    *c,
              const CsDensityGrid *grid,
              double               mass,
              double               level)
{
  c->mass = mass;
  c->level = level;
  if (isfinite (level) && level > 0.0)
    c->lines = cs_density_contour (grid, level);
  else
    c->lines = NULL;
  if (c->lines == NULL)
    c->lines = g_ptr_array_new ();
  /* cs_density_contour's lines are GArrays we own; free them with the array. */
  g_ptr_array_set_free_func (c->lines, free_line);
}

static double
grid_step (double lo,
           double hi,
           guint  n)
{
  return n > 1 ? (hi - lo) / (double) (n - 1) : 1.0;
}

CsDensitySurface *
cs_density_surface_new (CsDensityGrid *grid,
                        const double  *masses,
                        guint          n_masses)
{
  CsDensitySurface *s;
  double levels[CS_DENSITY_MAX_LEVELS];
  double dx;
  double dy;
  gsize cells;

  g_return_val_if_fail (grid != NULL && grid->nx > 0 && grid->ny > 0, NULL);

  if (masses == NULL || n_masses == 0)
    {
      masses = default_masses;
      n_masses = G_N_ELEMENTS (default_masses);
    }
  n_masses = MIN (n_masses, CS_DENSITY_MAX_LEVELS);

  s = g_new0 (CsDensitySurface, 1);
  g_atomic_ref_count_init (&s->ref);
  s->grid = cs_density_grid_ref (grid);
  s->bandwidth_rule = grid->rule;
  s->bandwidth_factor = 1.0;
  cells = (gsize) grid->nx * grid->ny;
  for (gsize i = 0; i < cells; i++)
    if (isfinite (grid->values[i]))
      s->peak = MAX (s->peak, grid->values[i]);

  cs_density_hdr_levels (grid, masses, n_masses, levels);
  s->n_contours = n_masses;
  for (guint l = 0; l < n_masses; l++)
    contour_fill (&s->contours[l], grid, masses[l], levels[l]);

  /* Marginals by the trapezoid-free sum (node spacing × values): the grid is fine enough
   * that the difference does not show at a strip's height. */
  dx = grid_step (grid->x_min, grid->x_max, grid->nx);
  dy = grid_step (grid->y_min, grid->y_max, grid->ny);
  s->marginal_x = g_new0 (double, grid->nx);
  s->marginal_y = g_new0 (double, grid->ny);
  for (guint j = 0; j < grid->ny; j++)
    for (guint i = 0; i < grid->nx; i++)
      {
        double v = grid->values[(gsize) j * grid->nx + i];

        if (!isfinite (v))
          continue;
        s->marginal_x[i] += v * dy;
        s->marginal_y[j] += v * dx;
      }
  return s;
}

void
cs_density_surface_set_points (CsDensitySurface *s,
                               gsize             n,
                               const double     *x,
                               const double     *y,
                               const int        *labels,
                               guint             k,
                               const int        *color_slot)
{
  g_return_if_fail (s != NULL);
  g_return_if_fail (n == 0 || (x != NULL && y != NULL));

  g_clear_pointer (&s->x, g_free);
  g_clear_pointer (&s->y, g_free);
  g_clear_pointer (&s->labels, g_free);
  g_clear_pointer (&s->color_slot, g_free);
  s->n = n;
  s->x = g_memdup2 (x, n * sizeof (double));
  s->y = g_memdup2 (y, n * sizeof (double));
  s->k = labels != NULL ? k : 0;
  if (labels != NULL)
    s->labels = g_memdup2 (labels, n * sizeof (int));
  if (labels != NULL && color_slot != NULL && k > 0)
    s->color_slot = g_memdup2 (color_slot, k * sizeof (int));
}

void
cs_density_surface_set_cluster (CsDensitySurface *s,
                                guint             j,
                                CsDensityGrid    *grid)
{
  double masses[CS_DENSITY_MAX_LEVELS];
  double levels[CS_DENSITY_MAX_LEVELS];

  g_return_if_fail (s != NULL && grid != NULL);

  if (j >= s->n_clusters)
    {
      guint old = s->n_clusters;

      s->cluster_grids = g_renew (CsDensityGrid *, s->cluster_grids, j + 1);
      s->cluster_contours = g_renew (CsDensityContour, s->cluster_contours, (gsize) (j + 1) * s->n_contours);
      memset (s->cluster_grids + old, 0, (j + 1 - old) * sizeof (CsDensityGrid *));
      memset (s->cluster_contours + (gsize) old * s->n_contours, 0,
              (gsize) (j + 1 - old) * s->n_contours * sizeof (CsDensityContour));
      s->n_clusters = j + 1;
    }
  for (guint l = 0; l < s->n_contours; l++)
    {
      CsDensityContour *c = &s->cluster_contours[(gsize) j * s->n_contours + l];

      g_clear_pointer (&c->lines, g_ptr_array_unref);
      masses[l] = s->contours[l].mass;
    }
  g_clear_pointer (&s->cluster_grids[j], cs_density_grid_unref);
  s->cluster_grids[j] = cs_density_grid_ref (grid);

  cs_density_hdr_levels (grid, masses, s->n_contours, levels);
  for (guint l = 0; l < s->n_contours; l++)
    contour_fill (&s->cluster_contours[(gsize) j * s->n_contours + l], grid, masses[l], levels[l]);
}

CsDensitySurface *
cs_density_surface_build (gsize           n,
                          const double   *x,
                          const double   *y,
                          const int      *labels,
                          guint           k,
                          const int      *color_slot,
                          CsKdeOptions   *options,
                          gboolean        per_cluster,
                          CsBandwidthRule cluster_rule,
                          double          cluster_scale,
                          CsProgress     *progress,
                          GError        **error)
{
  g_autoptr (CsMatrix) xy = NULL;
  g_autoptr (CsDensityGrid) grid = NULL;
  g_autoptr (CsDensitySurface) s = NULL;
  g_autofree int *kept_labels = NULL;
  gsize m = 0;

  g_return_val_if_fail (n == 0 || (x != NULL && y != NULL), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  xy = cs_matrix_try_new (MAX (n, 1), 2, "density points", error);
  if (xy == NULL)
    return NULL;
  if (labels != NULL)
    kept_labels = g_new (int, MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (x[i]) || !isfinite (y[i]))
        continue;
      xy->data[2 * m] = x[i];
      xy->data[2 * m + 1] = y[i];
      if (kept_labels != NULL)
        kept_labels[m] = labels[i];
      m++;
    }
  if (m < 2)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "A density needs at least two points with finite x and y; %" G_GSIZE_FORMAT " have them",
                   m);
      return NULL;
    }
  xy->rows = m;

  grid = cs_kde_grid (xy, options, progress, error);
  if (grid == NULL)
    return NULL;
  s = cs_density_surface_new (grid, NULL, 0);
  cs_density_surface_set_points (s, n, x, y, labels, k, color_slot);

  if (per_cluster && kept_labels != NULL && k > 0)
    {
      CsKdeOptions copt = *options;

      /* Every cluster on the main grid's extent, so the contours share one frame. */
      copt.extent[0] = grid->x_min;
      copt.extent[1] = grid->x_max;
      copt.extent[2] = grid->y_min;
      copt.extent[3] = grid->y_max;
      copt.weights = NULL;
      for (guint j = 0; j < k; j++)
        {
          g_autoptr (CsMatrix) part = NULL;
          g_autoptr (CsDensityGrid) cg = NULL;
          gsize r = 0;

          for (gsize i = 0; i < m; i++)
            r += kept_labels[i] == (int) j;
          /* A rule-based bandwidth needs a spread; two points are the least that has one. */
          if (r < 3)
            continue;
          part = cs_matrix_try_new (r, 2, "cluster points", error);
          if (part == NULL)
            return NULL;
          r = 0;
          for (gsize i = 0; i < m; i++)
            if (kept_labels[i] == (int) j)
              {
                part->data[2 * r] = xy->data[2 * i];
                part->data[2 * r + 1] = xy->data[2 * i + 1];
                r++;
              }
          if (cluster_rule == CS_BANDWIDTH_MANUAL)
            memcpy (copt.h, options->h, sizeof copt.h);
          else
            {
              if (!cs_kde_bandwidth (part, cluster_rule, options->diagonal, NULL, copt.h, progress, error))
                return NULL;
              for (guint q = 0; q < 4; q++)
                copt.h[q] *= cluster_scale * cluster_scale;
            }
          copt.rule = CS_BANDWIDTH_MANUAL;
          cg = cs_kde_grid (part, &copt, NULL, error);
          if (cg == NULL)
            return NULL;
          cs_density_surface_set_cluster (s, j, cg);
          if (!cs_progress_check (progress, error))
            return NULL;
        }
    }
  return g_steal_pointer (&s);
}

CsDensitySurface *
cs_density_surface_ref (CsDensitySurface *s)
{
  g_return_val_if_fail (s != NULL, NULL);

  g_atomic_ref_count_inc (&s->ref);
  return s;
}

void
cs_density_surface_unref (CsDensitySurface *s)
{
  if (s == NULL || !g_atomic_ref_count_dec (&s->ref))
    return;
  for (guint l = 0; l < s->n_contours; l++)
    g_clear_pointer (&s->contours[l].lines, g_ptr_array_unref);
  for (guint j = 0; j < s->n_clusters; j++)
    {
      for (guint l = 0; l < s->n_contours; l++)
        g_clear_pointer (&s->cluster_contours[(gsize) j * s->n_contours + l].lines, g_ptr_array_unref);
      g_clear_pointer (&s->cluster_grids[j], cs_density_grid_unref);
    }
  g_free (s->cluster_grids);
  g_free (s->cluster_contours);
  cs_density_grid_unref (s->grid);
  g_free (s->marginal_x);
  g_free (s->marginal_y);
  g_free (s->x);
  g_free (s->y);
  g_free (s->labels);
  g_free (s->color_slot);
  g_free (s);
}

/* Model ------------------------------------------------------------------------------- */

CsDensityModel *
cs_density_model_new (CsDensitySurface *surface)
{
  CsDensityModel *m;

  g_return_val_if_fail (surface != NULL, NULL);

  m = g_new0 (CsDensityModel, 1);
  g_atomic_ref_count_init (&m->ref);
  m->surface = cs_density_surface_ref (surface);
  m->colormap = CS_COLORMAP_VIRIDIS;
  m->smooth = TRUE;
  m->show_contours = TRUE;
  m->point_alpha = 0.5;
  return m;
}

CsDensityModel *
cs_density_model_copy (const CsDensityModel *m)
{
  CsDensityModel *c;

  g_return_val_if_fail (m != NULL, NULL);

  c = g_memdup2 (m, sizeof *m);
  g_atomic_ref_count_init (&c->ref);
  cs_density_surface_ref (c->surface);
  c->title = g_strdup (m->title);
  c->x_label = g_strdup (m->x_label);
  c->y_label = g_strdup (m->y_label);
  return c;
}

CsDensityModel *
cs_density_model_ref (CsDensityModel *m)
{
  g_return_val_if_fail (m != NULL, NULL);

  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_density_model_unref (CsDensityModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  cs_density_surface_unref (m->surface);
  g_free (m->title);
  g_free (m->x_label);
  g_free (m->y_label);
  g_free (m);
}

/* Layout ------------------------------------------------------------------------------ */

typedef struct
{
  CsDensityLayout pub;
  double          xticks[CS_STYLE_MAX_TICKS];
  double          yticks[CS_STYLE_MAX_TICKS];
  double          bticks[CS_STYLE_MAX_TICKS];
  guint  n_xticks;
  guint  n_yticks;
  guint  n_bticks;
  double xstep;
  double ystep;
  double bstep;
  double tick_h;
  double title_h;
  double xlabel_h;
  double ylabel_h;
  double bar_label_h;
  double bar_tick_w;
  double canvas_w;
  char  *note;    /* Owned: the bandwidth the surface was computed with */
  double note_h;
} Layout;

static char *
short_number (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.3g", v);
  /* Through the grouping formatter: "1,234" is grouped, minus is U+2212. */
  return cs_render_format_number (g_ascii_strtod (buf, NULL));
}

/* "Scott bandwidth: h = 132.8 (x), 13.4 (y)": what the window's bandwidth controls say,
 * for an export, which has none. h is the square root of H's diagonal (the kernel's
 * standard deviation along each axis); a correlated H adds its correlation. */
char *
cs_density_surface_bandwidth_note (const CsDensitySurface *s)
{
  static const char *const rules[] = { "Scott", "Silverman", "LSCV", "Plug-in (Sheather–Jones)", "Manual" };
  const CsDensityGrid *g = s->grid;
  const char *name = (guint) s->bandwidth_rule < G_N_ELEMENTS (rules) ? rules[s->bandwidth_rule] : "Manual";
  g_autofree char *rule = NULL;
  double hx = sqrt (MAX (g->h[0], 0.0));
  double hy = sqrt (MAX (g->h[3], 0.0));
  g_autofree char *tx = NULL;
  g_autofree char *ty = NULL;
  double r;

  if (!isfinite (hx) || !isfinite (hy) || hx <= 0 || hy <= 0)
    return NULL;
  if (s->bandwidth_rule != CS_BANDWIDTH_MANUAL && fabs (s->bandwidth_factor - 1.0) > 1e-9)
    {
      g_autofree char *f = cs_i_format_fixed (s->bandwidth_factor, 2);
      rule = g_strdup_printf ("%s × %s", name, f);
    }
  else
    rule = g_strdup (name);
  tx = short_number (hx);
  ty = short_number (hy);
  r = g->h[1] / (hx * hy);
  if (fabs (r) >= 0.005)
    {
      g_autofree char *tr = cs_i_format_fixed (r, 2);
      return g_strdup_printf ("%s bandwidth: h = %s (x), %s (y), correlation %s", rule, tx, ty, tr);
    }
  return g_strdup_printf ("%s bandwidth: h = %s (x), %s (y)", rule, tx, ty);
}

static double
ticks_step (const double *t,
            guint         n,
            double        fallback)
{
  return n >= 2 ? t[1] - t[0] : fallback;
}

static gboolean
has_text (const char *s)
{
  return s != NULL && s[0] != '\0';
}

static void
compute_layout (const CsDensityModel *m,
                double                width,
                double                height,
                Layout               *L)
{
  const CsDensityGrid *g = m->surface->grid;
  double top;
  double bottom;
  double left;
  double right;
  double ytick_w = 0.0;
  double fh;
  double fw;
  double marg = m->show_marginals ? MARGINAL_SIZE : 0.0;
  guint target;

  memset (L, 0, sizeof *L);
  L->canvas_w = width;
  cs_i_text_extents ("0", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->tick_h);
  if (has_text (m->title))
    cs_i_text_extents (m->title, CS_STYLE_TITLE_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, NULL, &L->title_h);
  if (has_text (m->x_label))
    cs_i_text_extents (m->x_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->xlabel_h);
  if (has_text (m->y_label))
    cs_i_text_extents (m->y_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->ylabel_h);
  cs_i_text_extents ("Density", CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &L->bar_label_h);

  L->note = cs_density_surface_bandwidth_note (m->surface);
  if (L->note != NULL)
    cs_i_text_extents (L->note, CS_STYLE_SMALL_SIZE - 1.0, CS_STYLE_WEIGHT_NORMAL, NULL, &L->note_h);
  top = CS_STYLE_PAD + (L->title_h > 0 ? L->title_h + 10.0 : L->tick_h * 0.5);
  if (L->note != NULL)
    top += L->note_h + (L->title_h > 0 ? 2.0 : 6.0);
  if (marg > 0)
    top += marg + MARGINAL_GAP;
  bottom = CS_STYLE_TICK_GAP + L->tick_h + (L->xlabel_h > 0 ? 6.0 + L->xlabel_h : 0.0) + CS_STYLE_PAD * 0.85;
  fh = MAX (1.0, floor (height - top - bottom));
  target = (guint) CLAMP (fh / 45.0, 2.0, 10.0);
  L->n_yticks = cs_nice_ticks (g->y_min, g->y_max, target, L->yticks, CS_STYLE_MAX_TICKS);
  L->ystep = ticks_step (L->yticks, L->n_yticks, 1.0);
  for (guint i = 0; i < L->n_yticks; i++)
    {
      g_autofree char *t = cs_i_format_tick (L->yticks[i], L->ystep);
      double w;

      cs_i_text_extents (t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
      ytick_w = MAX (ytick_w, w);
    }

  target = (guint) CLAMP (fh / 50.0, 2.0, 8.0);
  L->n_bticks = cs_nice_ticks (0.0, m->surface->peak > 0 ? m->surface->peak : 1.0, target, L->bticks,
                               CS_STYLE_MAX_TICKS);
  L->bstep = ticks_step (L->bticks, L->n_bticks, 1.0);
  for (guint i = 0; i < L->n_bticks; i++)
    {
      g_autofree char *t = cs_i_format_tick (L->bticks[i], L->bstep);
      double w;

      cs_i_text_extents (t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
      L->bar_tick_w = MAX (L->bar_tick_w, w);
    }

  left = CS_STYLE_PAD + (L->ylabel_h > 0 ? L->ylabel_h + 8.0 : 0.0) + ytick_w + CS_STYLE_TICK_GAP;
  right = CS_STYLE_PAD + (marg > 0 ? marg + MARGINAL_GAP : 0.0) + CS_STYLE_COLORBAR_GAP
          + CS_STYLE_COLORBAR_WIDTH + CS_STYLE_TICK_GAP + L->bar_tick_w + 8.0 + L->bar_label_h;

  fw = MAX (1.0, floor (width - round (left) - right));
  L->pub.frame.x = round (left);
  L->pub.frame.y = round (top);
  L->pub.frame.width = fw;
  L->pub.frame.height = fh;

  if (marg > 0)
    {
      L->pub.marginal_x = (CsRect) { L->pub.frame.x, L->pub.frame.y - MARGINAL_GAP - marg, fw, marg };
      L->pub.marginal_y = (CsRect) { L->pub.frame.x + fw + MARGINAL_GAP, L->pub.frame.y, marg, fh };
    }
  else
    {
      L->pub.marginal_x = (CsRect) { L->pub.frame.x, L->pub.frame.y, fw, 0.0 };
      L->pub.marginal_y = (CsRect) { L->pub.frame.x + fw, L->pub.frame.y, 0.0, fh };
    }
  L->pub.colorbar
      = (CsRect){ L->pub.frame.x + fw + (marg > 0 ? marg + MARGINAL_GAP : 0.0) + CS_STYLE_COLORBAR_GAP,
                  L->pub.frame.y, CS_STYLE_COLORBAR_WIDTH, fh };

  target = (guint) CLAMP (fw / 60.0, 2.0, 10.0);
  L->n_xticks = cs_nice_ticks (g->x_min, g->x_max, target, L->xticks, CS_STYLE_MAX_TICKS);
  L->xstep = ticks_step (L->xticks, L->n_xticks, 1.0);
}

void
cs_render_density_layout (const CsDensityModel *m,
                          double                width,
                          double                height,
                          CsDensityLayout      *layout)
{
  Layout L;

  g_return_if_fail (m != NULL && layout != NULL);

  compute_layout (m, width, height, &L);
  *layout = L.pub;
  g_free (L.note);
}

void
cs_render_density_point (const CsDensityModel  *m,
                         const CsDensityLayout *layout,
                         double                 x,
                         double                 y,
                         double                *cx,
                         double                *cy)
{
  const CsDensityGrid *g = m->surface->grid;
  const CsRect *f = &layout->frame;
  double xr = g->x_max > g->x_min ? g->x_max - g->x_min : 1.0;
  double yr = g->y_max > g->y_min ? g->y_max - g->y_min : 1.0;

  *cx = f->x + (x - g->x_min) / xr * f->width;
  *cy = f->y + f->height - (y - g->y_min) / yr * f->height;
}

/* Drawing ----------------------------------------------------------------------------- */

static guint32
pixel (CsColormap map,
       double     t,
       double     wash)
{
  double rgb[3];

  cs_colormap_rgb (map, t, rgb);
  for (guint c = 0; c < 3; c++)
    rgb[c] += (1.0 - rgb[c]) * wash;
  return cs_i_view_pack_rgb (rgb);
}

/* One image pixel per grid node, top row = highest y. */
static cairo_surface_t *
heatmap_image (const CsDensityModel *m,
               double                wash)
{
  const CsDensityGrid *g = m->surface->grid;
  double peak = m->surface->peak > 0 ? m->surface->peak : 1.0;
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) g->nx, (int) g->ny);
  unsigned char *data = cairo_image_surface_get_data (img);
  int stride = cairo_image_surface_get_stride (img);

  cairo_surface_flush (img);
  for (guint r = 0; r < g->ny; r++)
    {
      guint32 *row = (guint32 *) (data + (gsize) r * stride);
      const double *v = g->values + (gsize) (g->ny - 1 - r) * g->nx;

      for (guint i = 0; i < g->nx; i++)
        row[i] = pixel (m->colormap, isfinite (v[i]) ? v[i] / peak : 0.0, wash);
    }
  cairo_surface_mark_dirty (img);
  return img;
}

/* Under per-cluster contours the shared surface steps back, so the cluster colours lead. */
static double
heatmap_wash (const CsDensityModel *m)
{
  return m->show_clusters && m->surface->n_clusters > 0 ? 0.62 : 0.0;
}

static void
draw_heatmap (cairo_t              *cr,
              const CsDensityModel *m,
              const Layout         *L)
{
  const CsDensityGrid *g = m->surface->grid;
  const CsRect *f = &L->pub.frame;
  cairo_surface_t *img;
  cairo_pattern_t *pat;
  double cw = f->width / MAX (1.0, (double) g->nx - 1.0);
  double ch = f->height / MAX (1.0, (double) g->ny - 1.0);

  img = heatmap_image (m, heatmap_wash (m));
  cairo_save (cr);
  cairo_rectangle (cr, f->x, f->y, f->width, f->height);
  cairo_clip (cr);
  /* Node i's cell is centred on it, so the image reaches half a cell past the frame on every
   * side and the clip trims it. */
  cairo_translate (cr, f->x - cw / 2.0, f->y - ch / 2.0);
  cairo_scale (cr, cw, ch);
  cairo_set_source_surface (cr, img, 0, 0);
  pat = cairo_get_source (cr);
  cairo_pattern_set_filter (pat, m->smooth ? CAIRO_FILTER_BILINEAR : CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend (pat, CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (img);
}

static void
point_rgb (cairo_t              *cr,
           const CsDensityModel *m,
           gsize                 i,
           double                rgb[3])
{
  const CsDensitySurface *s = m->surface;

  if (s->labels != NULL && s->labels[i] >= 0 && (guint) s->labels[i] < s->k)
    cs_i_view_cluster_rgb (cr, s->color_slot, (guint) s->labels[i], rgb);
  else if (m->colormap == CS_COLORMAP_GREY)
    memcpy (rgb, CS_STYLE_RGB_INK, sizeof (double) * 3);
  else
    rgb[0] = rgb[1] = rgb[2] = 1.0;
}

/* Points go through an image layer the frame's size, like the scatter's, so a million rows
 * stay one image in vector output. */
static void
draw_points (cairo_t              *cr,
             const CsDensityModel *m,
             const Layout         *L)
{
  const CsDensitySurface *s = m->surface;
  const CsRect *f = &L->pub.frame;
  cairo_surface_t *layer;
  cairo_t *lc;
  double sx;
  double sy;
  double r;
  gsize stride = s->n > OVERLAY_MAX_POINTS ? (s->n + OVERLAY_MAX_POINTS - 1) / OVERLAY_MAX_POINTS : 1;
  int pw;
  int ph;

  if (s->n == 0 || m->point_alpha <= 0.0)
    return;
  cs_i_render_pixel_scale (cr, &sx, &sy);
  pw = (int) ceil (f->width * sx);
  ph = (int) ceil (f->height * sy);
  if (pw <= 0 || ph <= 0)
    return;
  layer = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pw, ph);
  lc = cairo_create (layer);
  cairo_scale (lc, sx, sy);
  cairo_translate (lc, -f->x, -f->y);
  r = s->n < 1000 ? 2.4 : s->n < 20000 ? 1.6 : 0.9;

  for (gsize i = 0; i < s->n; i += stride)
    {
      double rgb[3];
      double cx;
      double cy;

      if (!isfinite (s->x[i]) || !isfinite (s->y[i]))
        continue;
      cs_render_density_point (m, &L->pub, s->x[i], s->y[i], &cx, &cy);
      if (cx < f->x - r || cx > f->x + f->width + r || cy < f->y - r || cy > f->y + f->height + r)
        continue;
      point_rgb (cr, m, i, rgb);
      cairo_set_source_rgb (lc, rgb[0], rgb[1], rgb[2]);
      if (s->n < 20000)
        {
          cairo_new_sub_path (lc);
          cairo_arc (lc, cx, cy, r, 0, 2 * G_PI);
          cairo_fill_preserve (lc);
          /* A dark rim keeps white points readable over the map's bright end. */
          cairo_set_source_rgba (lc, 0, 0, 0, 0.45);
          cairo_set_line_width (lc, 0.6);
          cairo_stroke (lc);
        }
      else
        {
          cairo_rectangle (lc, cx - r, cy - r, 2 * r, 2 * r);
          cairo_fill (lc);
        }
    }
  cairo_destroy (lc);

  cairo_save (cr);
  cairo_rectangle (cr, f->x, f->y, f->width, f->height);
  cairo_clip (cr);
  cairo_translate (cr, f->x, f->y);
  cairo_scale (cr, 1.0 / sx, 1.0 / sy);
  cairo_set_source_surface (cr, layer, 0, 0);
  cairo_paint_with_alpha (cr, CLAMP (m->point_alpha, 0.0, 1.0));
  cairo_restore (cr);
  cairo_surface_destroy (layer);
}

static void
contour_path (cairo_t              *cr,
              const CsDensityModel *m,
              const Layout         *L,
              const GPtrArray      *lines)
{
  for (guint li = 0; li < lines->len; li++)
    {
      GArray *line = g_ptr_array_index (lines, li);
      const double *p = (const double *) line->data;
      guint np = line->len / 2;
      double cx;
      double cy;

      if (np < 2)
        continue;
      cs_render_density_point (m, &L->pub, p[0], p[1], &cx, &cy);
      cairo_move_to (cr, cx, cy);
      for (guint q = 1; q < np; q++)
        {
          cs_render_density_point (m, &L->pub, p[2 * q], p[2 * q + 1], &cx, &cy);
          cairo_line_to (cr, cx, cy);
        }
      if (np > 2 && p[0] == p[2 * (np - 1)] && p[1] == p[2 * (np - 1) + 1])
        cairo_close_path (cr);
    }
}

static int
compare_x_descending (gconstpointer a,
                      gconstpointer b,
                      gpointer      data)
{
  const double *p = data;
  double xa = p[2 * *(const guint *) a];
  double xb = p[2 * *(const guint *) b];

  return (xa < xb) - (xa > xb);
}

/* Labels already placed, so the next one finds a free spot. */
typedef struct
{
  CsRect boxes[CS_DENSITY_MAX_LEVELS * 16];
  guint  n;
} Placed;

static gboolean
box_free (const Placed *placed,
          const CsRect *b)
{
  for (guint i = 0; i < placed->n; i++)
    {
      const CsRect *o = &placed->boxes[i];

      if (b->x < o->x + o->width + 4 && o->x < b->x + b->width + 4 && b->y < o->y + o->height + 2
          && o->y < b->y + b->height + 2)
        return FALSE;
    }
  return TRUE;
}

/* A label goes on the level's longest line, as far right as it can without touching another
 * label or leaving the frame: the eye finds every label on the same side, and nested levels,
 * whose rightmost points crowd together on an elongated density, step along their lines. */
static gboolean
label_anchor (const CsDensityModel *m,
              const Layout         *L,
              const GPtrArray      *lines,
              const char           *text,
              Placed               *placed,
              double               *cx,
              double               *cy)
{
  const CsRect *f = &L->pub.frame;
  GArray *best = NULL;
  const double *p;
  guint np;
  g_autofree guint *order = NULL;
  double w;
  double h;

  for (guint li = 0; li < lines->len; li++)
    {
      GArray *line = g_ptr_array_index (lines, li);

      if (best == NULL || line->len > best->len)
        best = line;
    }
  if (best == NULL || best->len < 4)
    return FALSE;
  p = (const double *) best->data;
  np = best->len / 2;
  cs_i_text_extents (text, CS_STYLE_NOTE_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, &w, &h);
  w += 5.0;
  h += 1.0;

  /* Candidates from right to left (a simple selection of the rightmost remaining point would
   * be quadratic; lines have at most a few thousand points, so sort once). */
  order = g_new (guint, np);
  for (guint q = 0; q < np; q++)
    order[q] = q;
  g_qsort_with_data (order, np, sizeof (guint), compare_x_descending, (gpointer) p);
  for (guint k = 0; k < np; k++)
    {
      CsRect b;
      double x;
      double y;

      cs_render_density_point (m, &L->pub, p[2 * order[k]], p[2 * order[k] + 1], &x, &y);
      b = (CsRect) { x - w / 2, y - h / 2, w, h };
      if (b.x < f->x + 2 || b.x + b.width > f->x + f->width - 2 || b.y < f->y + 2
          || b.y + b.height > f->y + f->height - 2)
        continue;
      if (!box_free (placed, &b))
        continue;
      if (placed->n < G_N_ELEMENTS (placed->boxes))
        placed->boxes[placed->n++] = b;
      *cx = x;
      *cy = y;
      return TRUE;
    }
  return FALSE;
}

static void
draw_label (cairo_t     *cr,
            const char  *text,
            double       cx,
            double       cy,
            const double fg[3],
            const double bg[3])
{
  double w;
  double h;
  double pad = 2.5;
  double x0;
  double y0;

  cs_i_text_extents (text, CS_STYLE_NOTE_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, &w, &h);
  x0 = cx - w / 2.0 - pad;
  y0 = cy - h / 2.0 - 0.5;
  cairo_new_sub_path (cr);
  cairo_arc (cr, x0 + 3, y0 + 3, 3, G_PI, 1.5 * G_PI);
  cairo_arc (cr, x0 + w + 2 * pad - 3, y0 + 3, 3, 1.5 * G_PI, 2 * G_PI);
  cairo_arc (cr, x0 + w + 2 * pad - 3, y0 + h + 1 - 3, 3, 0, 0.5 * G_PI);
  cairo_arc (cr, x0 + 3, y0 + h + 1 - 3, 3, 0.5 * G_PI, G_PI);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, bg[0], bg[1], bg[2], 0.88);
  cairo_fill (cr);
  cs_i_view_set_rgb (cr, fg);
  cs_i_text_draw (cr, text, CS_STYLE_NOTE_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, cx, cy, 0.5, 0.5, 0.0);
}

static char *
mass_text (double mass)
{
  return g_strdup_printf ("%.0f %%", mass * 100.0);
}

static void
draw_contours (cairo_t              *cr,
               const CsDensityModel *m,
               const Layout         *L)
{
  const CsDensitySurface *s = m->surface;
  const CsRect *f = &L->pub.frame;
  static const double white[3] = { 1.0, 1.0, 1.0 };
  gboolean grey = m->colormap == CS_COLORMAP_GREY;
  const double           *line_rgb = grey ? CS_STYLE_RGB_INK : white;
  Placed placed = { .n = 0 };

  cairo_save (cr);
  cairo_rectangle (cr, f->x, f->y, f->width, f->height);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  if (m->show_clusters && s->n_clusters > 0)
    {
      for (guint j = 0; j < s->n_clusters; j++)
        for (guint l = 0; l < s->n_contours; l++)
          {
            const CsDensityContour *c = &s->cluster_contours[(gsize) j * s->n_contours + l];
            double rgb[3];

            if (s->cluster_grids[j] == NULL || c->lines == NULL)
              continue;
            cs_i_view_cluster_rgb (cr, s->color_slot, j, rgb);
            cairo_new_path (cr);
            contour_path (cr, m, L, c->lines);
            cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
            cairo_set_line_width (cr, 3.8);
            cairo_stroke_preserve (cr);
            cs_i_view_set_rgb (cr, rgb);
            /* Inner (smaller-mass) regions draw heavier, as a topographic map's index lines. */
            cairo_set_line_width (cr, 1.6 + 0.8 * (double) (s->n_contours - 1 - l) / MAX (1, s->n_contours - 1));
            cairo_stroke (cr);
          }
      for (guint j = 0; j < s->n_clusters; j++)
        {
          const CsDensityContour *c = &s->cluster_contours[(gsize) j * s->n_contours];
          g_autofree char *text = NULL;
          double rgb[3];
          double cx;
          double cy;

          if (s->cluster_grids[j] == NULL || c->lines == NULL)
            continue;
          text = mass_text (c->mass);
          if (!label_anchor (m, L, c->lines, text, &placed, &cx, &cy))
            continue;
          cs_i_view_cluster_rgb (cr, s->color_slot, j, rgb);
          draw_label (cr, text, cx, cy, rgb, white);
        }
    }
  else if (m->show_contours)
    {
      for (guint l = 0; l < s->n_contours; l++)
        {
          if (s->contours[l].lines == NULL)
            continue;
          cairo_new_path (cr);
          contour_path (cr, m, L, s->contours[l].lines);
          cairo_set_source_rgba (cr, line_rgb[0], line_rgb[1], line_rgb[2], 0.95);
          cairo_set_line_width (cr, 1.0 + 0.6 * (double) (s->n_contours - 1 - l) / MAX (1, s->n_contours - 1));
          cairo_stroke (cr);
        }
      for (guint l = 0; l < s->n_contours; l++)
        {
          g_autofree char *text = NULL;
          double cx;
          double cy;

          if (s->contours[l].lines == NULL)
            continue;
          text = mass_text (s->contours[l].mass);
          if (!label_anchor (m, L, s->contours[l].lines, text, &placed, &cx, &cy))
            continue;
          draw_label (cr, text, cx, cy, grey ? white : CS_STYLE_RGB_INK, grey ? CS_STYLE_RGB_INK : white);
        }
    }
  cairo_restore (cr);
}

/* The marginal's curve as a path: along the frame's edge, heights scaled to 92 % of the strip. */
static void
marginal_curve (cairo_t      *cr,
                const CsRect *r,
                const double *v,
                guint         n,
                gboolean      vertical,
                double        peak)
{
  for (guint i = 0; i < n; i++)
    {
      double t = (double) i / (double) (n - 1);
      double a = (isfinite (v[i]) ? v[i] : 0.0) / peak * 0.92;
      double cx = vertical ? r->x + a * r->width : r->x + t * r->width;
      double cy = vertical ? r->y + r->height - t * r->height : r->y + r->height - a * r->height;

      if (i == 0)
        cairo_move_to (cr, cx, cy);
      else
        cairo_line_to (cr, cx, cy);
    }
}

static void
draw_marginal (cairo_t      *cr,
               const CsRect *r,
               const double *v,
               guint         n,
               gboolean      vertical)
{
  double peak = 0.0;

  for (guint i = 0; i < n; i++)
    if (isfinite (v[i]))
      peak = MAX (peak, v[i]);
  if (peak <= 0.0 || n < 2)
    return;

  cairo_new_path (cr);
  marginal_curve (cr, r, v, n, vertical, peak);
  cairo_save (cr);
  if (vertical)
    {
      cairo_line_to (cr, r->x, r->y);
      cairo_line_to (cr, r->x, r->y + r->height);
    }
  else
    {
      cairo_line_to (cr, r->x + r->width, r->y + r->height);
      cairo_line_to (cr, r->x, r->y + r->height);
    }
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, CS_STYLE_RGB_INK[0], CS_STYLE_RGB_INK[1], CS_STYLE_RGB_INK[2], 0.12);
  cairo_fill (cr);
  cairo_restore (cr);

  marginal_curve (cr, r, v, n, vertical, peak);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  cairo_set_line_width (cr, 1.2);
  cairo_stroke (cr);

  /* The baseline against the frame. */
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_FRAME);
  cairo_set_line_width (cr, 1.0);
  if (vertical)
    {
      double x = cs_i_view_snap_x (cr, r->x);
      cairo_move_to (cr, x, r->y);
      cairo_line_to (cr, x, r->y + r->height);
    }
  else
    {
      double y = cs_i_view_snap_y (cr, r->y + r->height);
      cairo_move_to (cr, r->x, y);
      cairo_line_to (cr, r->x + r->width, y);
    }
  cairo_stroke (cr);
}

static void
draw_colorbar (cairo_t              *cr,
               const CsDensityModel *m,
               const Layout         *L)
{
  const CsRect *b = &L->pub.colorbar;
  double peak = m->surface->peak > 0 ? m->surface->peak : 1.0;
  guint32 ramp[CS_COLORMAP_SIZE];
  double label_x;

  for (guint r = 0; r < CS_COLORMAP_SIZE; r++)
    ramp[r] = pixel (m->colormap, (CS_COLORMAP_SIZE - 1 - r + 0.5) / CS_COLORMAP_SIZE, heatmap_wash (m));
  cs_i_view_draw_pixels (cr, CS_COLORMAP_SIZE, 1, ramp, b);

  cs_i_view_set_rgb (cr, CS_STYLE_RGB_FRAME);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, cs_i_view_snap_x (cr, b->x), cs_i_view_snap_y (cr, b->y), round (b->width), round (b->height));
  cairo_stroke (cr);

  for (guint i = 0; i < L->n_bticks; i++)
    {
      g_autofree char *t = cs_i_format_tick (L->bticks[i], L->bstep);
      double cy = b->y + b->height - L->bticks[i] / peak * b->height;

      if (cy < b->y - 0.5)
        continue;
      cy = cs_i_view_snap_y (cr, cy);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cairo_move_to (cr, b->x + b->width, cy);
      cairo_line_to (cr, b->x + b->width + 4.0, cy);
      cairo_stroke (cr);
      cs_i_text_draw (cr, t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, b->x + b->width + CS_STYLE_TICK_GAP,
                      cy, 0.0, 0.5, 0.0);
    }
  label_x = b->x + b->width + CS_STYLE_TICK_GAP + L->bar_tick_w + 8.0;
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  cs_i_text_draw (cr, "Density", CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, label_x, b->y + b->height / 2.0,
                  0.5, 0.0, -G_PI / 2.0);
}

static void
draw_axes (cairo_t              *cr,
           const CsDensityModel *m,
           const Layout         *L)
{
  const CsRect *f = &L->pub.frame;
  double fx0 = cs_i_view_snap_x (cr, f->x);
  double fy1 = cs_i_view_snap_y (cr, f->y + f->height);

  cs_i_view_set_rgb (cr, CS_STYLE_RGB_FRAME);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, fx0, cs_i_view_snap_y (cr, f->y), round (f->width), round (f->height));
  cairo_stroke (cr);

  for (guint i = 0; i < L->n_xticks; i++)
    {
      g_autofree char *t = cs_i_format_tick (L->xticks[i], L->xstep);
      double cx;
      double cy;

      cs_render_density_point (m, &L->pub, L->xticks[i], 0.0, &cx, &cy);
      if (cx < f->x - 0.5 || cx > f->x + f->width + 0.5)
        continue;
      cx = cs_i_view_snap_x (cr, cx);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cairo_move_to (cr, cx, fy1);
      cairo_line_to (cr, cx, fy1 + 4.0);
      cairo_stroke (cr);
      cs_i_text_draw (cr, t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, cx,
                      f->y + f->height + CS_STYLE_TICK_GAP, 0.5, 0.0, 0.0);
    }
  for (guint i = 0; i < L->n_yticks; i++)
    {
      g_autofree char *t = cs_i_format_tick (L->yticks[i], L->ystep);
      double cx;
      double cy;

      cs_render_density_point (m, &L->pub, m->surface->grid->x_min, L->yticks[i], &cx, &cy);
      if (cy < f->y - 0.5 || cy > f->y + f->height + 0.5)
        continue;
      cy = cs_i_view_snap_y (cr, cy);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cairo_move_to (cr, fx0, cy);
      cairo_line_to (cr, fx0 - 4.0, cy);
      cairo_stroke (cr);
      cs_i_text_draw (cr, t, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x - CS_STYLE_TICK_GAP, cy, 1.0,
                      0.5, 0.0);
    }

  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  if (L->xlabel_h > 0)
    cs_i_text_draw (cr, m->x_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, f->x + f->width / 2.0,
                    f->y + f->height + CS_STYLE_TICK_GAP + L->tick_h + 6.0, 0.5, 0.0, 0.0);
  if (L->ylabel_h > 0)
    cs_i_text_draw (cr, m->y_label, CS_STYLE_LABEL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD,
                    f->y + f->height / 2.0, 0.5, 0.0, -G_PI / 2.0);
  if (L->title_h > 0)
    cs_i_view_draw_title (cr, m->title, f->x, L->canvas_w);
  if (L->note != NULL)
    {
      double           y = CS_STYLE_PAD + (L->title_h > 0 ? L->title_h + 4.0 : 0.0);
      g_autofree char *fit = cs_i_text_ellipsize (L->note, CS_STYLE_SMALL_SIZE - 1.0, CS_STYLE_WEIGHT_NORMAL,
                                                  L->canvas_w - CS_STYLE_PAD - f->x);

      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, fit, CS_STYLE_SMALL_SIZE - 1.0, CS_STYLE_WEIGHT_NORMAL, f->x, y, 0.0, 0.0, 0.0);
    }
}

void
cs_render_density (cairo_t      *cr,
                   gconstpointer model,
                   double        width,
                   double        height)
{
  const CsDensityModel *m = model;
  Layout L;

  cs_i_view_clear (cr, width, height);
  if (m == NULL || m->surface == NULL)
    return;
  compute_layout (m, width, height, &L);

  cairo_save (cr);
  draw_heatmap (cr, m, &L);
  if (m->show_points)
    draw_points (cr, m, &L);
  draw_contours (cr, m, &L);
  if (m->show_marginals)
    {
      const CsDensityGrid *g = m->surface->grid;

      draw_marginal (cr, &L.pub.marginal_x, m->surface->marginal_x, g->nx, FALSE);
      draw_marginal (cr, &L.pub.marginal_y, m->surface->marginal_y, g->ny, TRUE);
    }
  draw_colorbar (cr, m, &L);
  draw_axes (cr, m, &L);
  cairo_restore (cr);
  g_free (L.note);
}
