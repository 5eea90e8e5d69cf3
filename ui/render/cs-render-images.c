#include "ui/render/cs-render-views.h"

#include <math.h>
#include <string.h>

#include "ui/render/cs-render-views-private.h"

#define FRAME_W    3.0   /* cluster-colour frame around an image */
#define CELL_GAP   14.0
#define ROW_GAP    12.0
#define MAX_SIDE   220.0 /* a lone medoid is not blown up to fill a screen */

/* Model ------------------------------------------------------------------------------- */

/* The result's own centres as images, back in the pixels' units: an online k-means centre is
 * what the algorithm learnt, not the mean of the rows it labels at the end. Only when every
 * pixel is one of the clustered features (no projection), found by name. */
static gboolean
center_images (const CsDataset    *ds,
               const CsPrepared   *prep,
               const CsClustering *c,
               const int          *pixel_cols,
               gsize               npix,
               double             *out)
{
  g_autofree gssize *feature = NULL;

  if (c->centers == NULL || prep == NULL || prep->names == NULL || c->centers->rows != c->k
      || c->centers->cols != prep->x->cols)
    return FALSE;
  feature = g_new (gssize, npix);
  for (gsize p = 0; p < npix; p++)
    {
      const char *name = cs_dataset_column (ds, pixel_cols[p])->name;

      feature[p] = -1;
      for (gsize f = 0; f < prep->x->cols && prep->names[f] != NULL; f++)
        if (strcmp (prep->names[f], name) == 0)
          {
            feature[p] = (gssize) f;
            break;
          }
      if (feature[p] < 0)
        return FALSE;
    }
  for (guint j = 0; j < c->k; j++)
    for (gsize p = 0; p < npix; p++)
      {
        gsize f = (gsize) feature[p];
        double v = cs_matrix_get (c->centers, j, f);
        out[j * npix + p] = prep->scale != NULL ? v * prep->scale[f] + (prep->shift ? prep->shift[f] : 0.0) : v;
      }
  return TRUE;
}

CsImagesModel *
cs_images_model_build (const CsDataset    *ds,
                       const CsPrepared   *prep,
                       const CsClustering *c,
                       const int          *color_slot)
{
  g_autofree int *pixel_cols = NULL;
  CsImagesModel *m;
  gsize npix;
  gboolean any = FALSE;

  g_return_val_if_fail (ds != NULL && c != NULL, NULL);

  if (ds->image_rows == 0 || ds->image_cols == 0 || c->k == 0 || c->labels == NULL)
    return NULL;
  npix = (gsize) ds->image_rows * ds->image_cols;
  pixel_cols = g_new (int, npix);
  if (!cs_dataset_image_columns (ds, pixel_cols))
    return NULL;

  m = g_new0 (CsImagesModel, 1);
  g_atomic_ref_count_init (&m->ref);
  m->k = c->k;
  m->rows = ds->image_rows;
  m->cols = ds->image_cols;
  m->pixels = g_new0 (double, c->k * npix);
  m->exemplar = g_new (gssize, c->k);
  m->sizes = g_new0 (gsize, c->k);
  m->color_slot = g_new (int, c->k);
  for (guint j = 0; j < c->k; j++)
    m->color_slot[j] = color_slot != NULL ? color_slot[j] : (int) j;
  cs_clustering_sizes (c, m->sizes);

  if (c->medoids != NULL)
    {
      for (guint j = 0; j < c->k; j++)
        {
          gsize row = prep != NULL ? prep->rows[c->medoids[j]] : c->medoids[j];

          m->exemplar[j] = (gssize) row;
          for (gsize p = 0; p < npix; p++)
            m->pixels[j * npix + p] = cs_dataset_column (ds, pixel_cols[p])->values[row];
        }
      m->title = g_strdup ("Medoids: one real row per cluster");
    }
  else if (center_images (ds, prep, c, pixel_cols, npix, m->pixels))
    {
      for (guint j = 0; j < c->k; j++)
        m->exemplar[j] = -1;
      m->centers = TRUE;
      m->title = g_strdup ("Cluster centres: the prototypes the algorithm learnt");
    }
  else
    {
      cs_i_view_cluster_mean_images (ds, prep, c, pixel_cols, npix, m->pixels);
      for (guint j = 0; j < c->k; j++)
        m->exemplar[j] = -1;
      m->title = g_strdup ("Cluster means");
    }

  m->vmin = 0.0;
  m->vmax = -INFINITY;
  for (gsize q = 0; q < c->k * npix; q++)
    if (isfinite (m->pixels[q]))
      {
        m->vmin = MIN (m->vmin, m->pixels[q]);
        m->vmax = MAX (m->vmax, m->pixels[q]);
        any = TRUE;
      }
  if (!any || m->vmax <= m->vmin)
    m->vmax = m->vmin + 1.0;
  return m;
}

CsImagesModel *
cs_images_model_ref (CsImagesModel *m)
{
  g_return_val_if_fail (m != NULL, NULL);

  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_images_model_unref (CsImagesModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  g_free (m->pixels);
  g_free (m->exemplar);
  g_free (m->sizes);
  g_free (m->color_slot);
  g_free (m->title);
  g_free (m);
}

/* Layout ------------------------------------------------------------------------------ */

typedef struct
{
  guint  ncols;
  double img_w;     /* image, inside its frame */
  double img_h;
  double cell_w;
  double cell_h;    /* frame + caption */
  double x0;        /* first cell's left edge */
  double y0;
  double font;      /* caption size: shrinks so a caption fits its cell */
  double line_h;    /* caption line height at that size */
  double title_h;
} GridLayout;

static char *
caption_line (const CsImagesModel *m,
              guint                j)
{
  g_autofree char *size = cs_i_format_count (m->sizes[j]);
  const char *unit = m->sizes[j] == 1 ? "row" : "rows";

  /* Rows are counted from one, as in the scatter plot's tooltips. */
  if (m->exemplar[j] >= 0)
    {
      g_autofree char *row = cs_i_format_count ((guint64)m->exemplar[j] + 1);
      return g_strdup_printf ("row %s · %s %s", row, size, unit);
    }
  return g_strdup_printf ("%s · %s %s", m->centers ? "centre" : "mean", size, unit);
}

static void
grid_layout (const CsImagesModel *m,
             double               width,
             double               height,
             GridLayout          *G)
{
  double aspect = (double) m->rows / (double) m->cols;
  double caption_w = 0.0;
  double small_h;
  double top;
  double avail_w;
  double avail_h;
  double best = -1.0;

  memset (G, 0, sizeof *G);
  cs_i_text_extents ("0", CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &small_h);
  if (m->title != NULL && m->title[0] != '\0')
    cs_i_text_extents (m->title, CS_STYLE_TITLE_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, NULL, &G->title_h);
  for (guint j = 0; j < m->k; j++)
    {
      g_autofree char *name = g_strdup_printf ("Cluster %u", j + 1);
      g_autofree char *line = caption_line (m, j);
      double w;

      cs_i_text_extents (name, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, &w, NULL);
      caption_w = MAX (caption_w, w);
      cs_i_text_extents (line, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, NULL);
      caption_w = MAX (caption_w, w);
    }

  top = CS_STYLE_PAD + (G->title_h > 0 ? G->title_h + 14.0 : 0.0);
  avail_w = width - 2.0 * CS_STYLE_PAD;
  avail_h = height - top - CS_STYLE_PAD;

  /* The column count that gives the largest images. Captions shrink to fit their cell,
   * down to a size that is still legible on paper; the images matter more than the text. */
  for (guint ncols = 1; ncols <= m->k; ncols++)
    {
      guint nrows = (m->k + ncols - 1) / ncols;
      double cell_w = (avail_w - (ncols - 1) * CELL_GAP) / ncols;
      double font = caption_w > 0 ? MIN (CS_STYLE_SMALL_SIZE, CS_STYLE_SMALL_SIZE * cell_w / caption_w)
                                  : CS_STYLE_SMALL_SIZE;
      double caption_h = CS_STYLE_CAPTION_GAP + 2.0 * small_h * font / CS_STYLE_SMALL_SIZE;
      double side_w = cell_w - 2.0 * FRAME_W;
      double side_h = ((avail_h - (nrows - 1) * ROW_GAP) / nrows - caption_h - 2.0 * FRAME_W) / aspect;
      double side = MIN (MIN (side_w, side_h), MAX_SIDE);

      if (font < CS_STYLE_MIN_TEXT_SIZE && ncols > 1)
        break;
      if (side > best)
        {
          best = side;
          G->ncols = ncols;
          G->font = font;
          G->line_h = small_h * font / CS_STYLE_SMALL_SIZE;
        }
    }

  G->img_w = MAX (1.0, floor (best));
  G->img_h = MAX (1.0, floor (best * aspect));
  G->cell_w = MAX (G->img_w + 2.0 * FRAME_W, caption_w * G->font / CS_STYLE_SMALL_SIZE);
  G->cell_h = G->img_h + 2.0 * FRAME_W + CS_STYLE_CAPTION_GAP + 2.0 * G->line_h;
  {
    guint nrows = (m->k + G->ncols - 1) / G->ncols;
    double grid_w = G->ncols * G->cell_w + (G->ncols - 1) * CELL_GAP;
    double grid_h = nrows * G->cell_h + (nrows - 1) * ROW_GAP;

    G->x0 = round (MAX (CS_STYLE_PAD, (width - grid_w) / 2));
    G->y0 = round (top + MAX (0.0, (avail_h - grid_h) / 2));
  }
}

static void
cell_image_rect (const GridLayout *G,
                 guint             j,
                 CsRect           *r)
{
  guint col = j % G->ncols;
  guint row = j / G->ncols;
  double cx = G->x0 + col * (G->cell_w + CELL_GAP);

  r->x = round (cx + (G->cell_w - G->img_w) / 2);
  r->y = round (G->y0 + row * (G->cell_h + ROW_GAP) + FRAME_W);
  r->width = G->img_w;
  r->height = G->img_h;
}

gboolean
cs_render_images_cell (const CsImagesModel *m,
                       double               width,
                       double               height,
                       guint                j,
                       CsRect              *image)
{
  GridLayout G;

  g_return_val_if_fail (m != NULL && image != NULL, FALSE);

  if (j >= m->k)
    return FALSE;
  grid_layout (m, width, height, &G);
  cell_image_rect (&G, j, image);
  return TRUE;
}

/* Drawing ----------------------------------------------------------------------------- */

void
cs_i_view_cluster_mean_images (const CsDataset    *ds,
                               const CsPrepared   *prep,
                               const CsClustering *c,
                               const int          *pixel_cols,
                               gsize               npix,
                               double             *out)
{
  g_autofree double *count = g_new0 (double, c->k * npix);

  memset (out, 0, c->k * npix * sizeof (double));
  for (gsize i = 0; i < c->n; i++)
    {
      int j = c->labels[i];
      gsize row = prep != NULL ? prep->rows[i] : i;

      if (j < 0 || j >= (int) c->k)
        continue;
      for (gsize p = 0; p < npix; p++)
        {
          double v = cs_dataset_column (ds, pixel_cols[p])->values[row];

          if (isnan (v))
            continue;
          out[j * npix + p] += v;
          count[j * npix + p] += 1.0;
        }
    }
  for (gsize q = 0; q < c->k * npix; q++)
    out[q] = count[q] > 0 ? out[q] / count[q] : NAN;
}

static void
draw_image (cairo_t             *cr,
            const CsImagesModel *m,
            guint                j,
            const CsRect        *r)
{
  gsize npix = (gsize) m->rows * m->cols;
  const double *px = m->pixels + (gsize) j * npix;
  g_autofree guint32 *argb = g_new (guint32, npix);

  for (gsize q = 0; q < npix; q++)
    argb[q] = cs_i_view_grey_pixel (px[q], m->vmin, m->vmax);
  cs_i_view_draw_pixels (cr, m->rows, m->cols, argb, r);
}

guint32
cs_i_view_grey_pixel (double v,
                      double vmin,
                      double vmax)
{
  double t;
  guint g;

  if (!isfinite (v))
    return 0xffd8dee6u;
  t = vmax > vmin ? CLAMP ((v - vmin) / (vmax - vmin), 0.0, 1.0) : 0.0;
  g = (guint) lround (255.0 * (1.0 - t));
  return 0xff000000u | (g << 16) | (g << 8) | g;
}

void
cs_i_view_draw_pixels (cairo_t       *cr,
                       guint          rows,
                       guint          cols,
                       const guint32 *argb,
                       const CsRect  *r)
{
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) cols, (int) rows);
  guint8 *data;
  int stride;
  cairo_pattern_t *pattern;
  cairo_matrix_t matrix;

  cairo_surface_flush (img);
  data = cairo_image_surface_get_data (img);
  stride = cairo_image_surface_get_stride (img);
  for (guint y = 0; y < rows; y++)
    memcpy (data + (gsize) y * stride, argb + (gsize) y * cols, cols * sizeof (guint32));
  cairo_surface_mark_dirty (img);

  pattern = cairo_pattern_create_for_surface (img);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_matrix_init_scale (&matrix, cols / r->width, rows / r->height);
  cairo_matrix_translate (&matrix, -r->x, -r->y);
  cairo_pattern_set_matrix (pattern, &matrix);

  cairo_save (cr);
  cairo_rectangle (cr, r->x, r->y, r->width, r->height);
  cairo_set_source (cr, pattern);
  cairo_fill (cr);
  cairo_restore (cr);

  cairo_pattern_destroy (pattern);
  cairo_surface_destroy (img);
}

void
cs_render_images (cairo_t       *cr,
                  gconstpointer  model,
                  double         width,
                  double         height)
{
  const CsImagesModel *m = model;
  GridLayout G;

  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  cs_i_view_clear (cr, width, height);
  if (m == NULL || m->k == 0)
    {
      cairo_restore (cr);
      return;
    }

  grid_layout (m, width, height, &G);
  if (G.title_h > 0)
    cs_i_view_draw_title (cr, m->title, CS_STYLE_PAD, width);

  for (guint j = 0; j < m->k; j++)
    {
      g_autofree char *name = g_strdup_printf ("Cluster %u", j + 1);
      g_autofree char *line = caption_line (m, j);
      double rgb[3];
      CsRect r;
      double cx;
      double ty;

      cell_image_rect (&G, j, &r);
      cs_i_view_cluster_rgb (cr, m->color_slot, j, rgb);
      cairo_rectangle (cr, r.x - FRAME_W, r.y - FRAME_W, r.width + 2 * FRAME_W, r.height + 2 * FRAME_W);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_fill (cr);
      draw_image (cr, m, j, &r);

      cx = r.x + r.width / 2;
      ty = r.y + r.height + FRAME_W + CS_STYLE_CAPTION_GAP;
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      cs_i_text_draw (cr, name, G.font, CS_STYLE_WEIGHT_SEMIBOLD, cx, ty, 0.5, 0.0, 0.0);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, line, G.font, CS_STYLE_WEIGHT_NORMAL, cx, ty + G.line_h, 0.5, 0.0, 0.0);
    }
  cairo_restore (cr);
}
