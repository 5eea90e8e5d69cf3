#include "ui/cs-plot-view.h"

#include <math.h>

#include "core/base/cs-rng.h"
#include "ui/cs-worker.h"
#include "ui/render/cs-render.h"
#include "ui/render/cs-render-style.h"

/* Hover must stay fast on a million points, so picking goes through a uniform grid over
 * the points in data space, built on a worker thread whenever the model changes. Data
 * space (not canvas space) keeps the grid valid across zoom and pan: a query maps the
 * pointer's pick radius to a data rectangle and looks only at the cells it touches.
 *
 * The worker reads the model's n, x and y, which never change once the model is set; the
 * main thread changes only the view fields (range, highlight). A refcounted holder keeps
 * the model alive for a worker that outlives a set_model. The build runs on a CsWorker: a
 * new model drops the build for the old one, whose index then never arrives. */

#define ZOOM_STEP 1.25
#define TOOLTIP_MAX_COLUMNS 12

typedef struct
{
  gatomicrefcount ref;
  CsPlotModel    *model; /* Owned */
} ModelHolder;

typedef struct
{
  double   x0, y0; /* data-space corner of cell (0, 0) */
  double   cw, ch; /* cell size in data units */
  guint    gx, gy;
  guint32 *start; /* Owned, gx × gy + 1: points of cell c are idx[start[c] .. start[c + 1]) */
  guint32 *idx;   /* Owned */
} PickIndex;

typedef struct
{
  double x_min, x_max, y_min, y_max;
} Range;

/* The layout measures text and counts noise points (O(n)); a pick or a motion event
 * should not pay for that when nothing it depends on has changed. */
typedef struct
{
  gboolean           valid;
  const CsPlotModel *model;
  int                width, height;
  Range              range;
  gboolean           show_legend;
  gboolean           show_centers;
  double             scale;
  CsRect             frame;
} FrameCache;

enum
{
  SIGNAL_ADD_POINTS,
  SIGNAL_ERASE_POINTS,
  SIGNAL_PLACE_CENTRE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What "hide clusters" takes away from the model while it is drawn or laid out. */
typedef struct
{
  int     *labels;
  gboolean show_legend;
  gboolean show_centers;
  gboolean show_medoid_links;
  CsPaletteKind palette;
} Hidden;

struct _CsPlotView
{
  GtkWidget parent_instance;

  ModelHolder  *holder;            /* Owned ref, NULL for the empty plot */
  CsDataset    *dataset;           /* Owned ref, may be NULL */
  PickIndex    *index;             /* Owned, NULL until the worker has built it */
  CsWorker     *index_worker;      /* Owned: builds the index of the current model */

  gboolean has_pointer;
  double   pointer_x, pointer_y;

  Range      gesture_range; /* the range when a drag or pinch began */
  double     pinch_x, pinch_y;
  gboolean   dragging;
  gboolean   user_view; /* zoomed or panned since the last reset */
  FrameCache frame_cache;

  /* Teaching tools */
  CsPlotTool tool;
  double     brush_radius; /* pixels */
  guint      per_dab;
  guint64    n_dabs;       /* seeds the next dab's pattern */
  gboolean   stroke;       /* between tool_press and tool_release */
  guint      stroke_button;
  double     last_dab_x, last_dab_y;
  GArray    *marks;        /* Owned, double pairs: placed centres in data coordinates */
  GArray    *pending_add;  /* Owned, double pairs: this stroke's points, data coordinates */
  GArray    *pending_erase; /* Owned, gsize: this stroke's erased dataset rows */
  int        draw_class;   /* palette slot of the points being drawn */
  gboolean   hide_clusters;
  double     scale;        /* presenter mode: > 1 draws text and marks larger */
  CsPaletteKind palette;   /* presenter mode: high contrast */
  /* The range of the last model on these axes, kept across a model-less moment (the window
   * clears the plot while a new dataset's points are built) while a tool is in use. */
  Range      tool_range;
  char      *tool_axes_key; /* Owned, NULL when nothing is kept */
};

G_DEFINE_FINAL_TYPE (CsPlotView, cs_plot_view, GTK_TYPE_WIDGET)

static ModelHolder *
holder_new (CsPlotModel *model)
{
  ModelHolder *h = g_new0 (ModelHolder, 1);

  g_atomic_ref_count_init (&h->ref);
  h->model = model;
  return h;
}

static ModelHolder *
holder_ref (ModelHolder *h)
{
  g_atomic_ref_count_inc (&h->ref);
  return h;
}

static void
holder_unref (gpointer data)
{
  ModelHolder *h = data;

  if (h == NULL || !g_atomic_ref_count_dec (&h->ref))
    return;
  cs_plot_model_free (h->model);
  g_free (h);
}

static void
pick_index_free (gpointer data)
{
  PickIndex *index = data;

  if (index == NULL)
    return;
  g_free (index->start);
  g_free (index->idx);
  g_free (index);
}

static CsPlotModel *
get_model (CsPlotView *self)
{
  return self->holder ? self->holder->model : NULL;
}

/* Index building (worker thread) ------------------------------------------------------- */

static inline guint
cell_of (double v, double origin, double size, guint cells)
{
  double c = floor ((v - origin) / size);

  if (c < 0)
    return 0;
  if (c >= cells)
    return cells - 1;
  return (guint)c;
}

static PickIndex *
pick_index_build (const CsPlotModel *m, CsProgress *progress)
{
  PickIndex *index = g_new0 (PickIndex, 1);
  double     xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
  gsize      n_finite = 0;
  double     wx, wy, cells;
  guint32   *fill;

  for (gsize i = 0; i < m->n; i++)
    if (isfinite (m->x[i]) && isfinite (m->y[i]))
      {
        xlo = MIN (xlo, m->x[i]);
        xhi = MAX (xhi, m->x[i]);
        ylo = MIN (ylo, m->y[i]);
        yhi = MAX (yhi, m->y[i]);
        n_finite++;
      }
  if (n_finite == 0)
    return index;

  /* About four points a cell, in cells roughly square in data units. */
  wx = xhi - xlo;
  wy = yhi - ylo;
  cells = CLAMP (n_finite / 4.0, 1.0, 4096.0 * 4096.0);
  if (wx > 0 && wy > 0)
    {
      index->gx = (guint)CLAMP (round (sqrt (cells * wx / wy)), 1, 4096);
      index->gy = (guint)CLAMP (round (cells / index->gx), 1, 4096);
    }
  else
    {
      index->gx = wx > 0 ? (guint)CLAMP (cells, 1, 4096) : 1;
      index->gy = wy > 0 ? (guint)CLAMP (cells, 1, 4096) : 1;
    }
  index->x0 = xlo;
  index->y0 = ylo;
  index->cw = wx > 0 ? wx / index->gx : 1.0;
  index->ch = wy > 0 ? wy / index->gy : 1.0;

  if (!cs_progress_check (progress, NULL))
    return index;

  /* Counting sort by cell: points of a cell sit together and in index order, which makes
   * ties between equally near points break the same way as a linear scan. */
  index->start = g_new0 (guint32, (gsize)index->gx * index->gy + 1);
  index->idx = g_new (guint32, n_finite);
  for (gsize i = 0; i < m->n; i++)
    if (isfinite (m->x[i]) && isfinite (m->y[i]))
      {
        gsize c = (gsize)cell_of (m->y[i], index->y0, index->ch, index->gy) * index->gx
                  + cell_of (m->x[i], index->x0, index->cw, index->gx);
        index->start[c + 1]++;
      }
  for (gsize c = 0; c < (gsize)index->gx * index->gy; c++)
    index->start[c + 1] += index->start[c];
  fill = g_memdup2 (index->start, ((gsize)index->gx * index->gy) * sizeof (guint32));
  for (gsize i = 0; i < m->n; i++)
    if (isfinite (m->x[i]) && isfinite (m->y[i]))
      {
        gsize c = (gsize)cell_of (m->y[i], index->y0, index->ch, index->gy) * index->gx
                  + cell_of (m->x[i], index->x0, index->cw, index->gx);
        index->idx[fill[c]++] = (guint32)i;
      }
  g_free (fill);
  return index;
}

static gpointer
index_compute (gpointer input, CsProgress *progress, GError **error)
{
  ModelHolder *holder = input;
  PickIndex   *index = pick_index_build (holder->model, progress);

  if (!cs_progress_check (progress, error))
    {
      pick_index_free (index);
      return NULL;
    }
  return index;
}

static void
index_done (gpointer result, const GError *error, gpointer user_data)
{
  CsPlotView *self = user_data;

  if (result == NULL)
    return;
  pick_index_free (self->index);
  self->index = result;
}

/* Picking (main thread) ---------------------------------------------------------------- */

/* Hiding is view state, like the zoom kept in the same model: the fields are taken away for
 * the length of one layout or draw and put back, so that revealing needs nothing rebuilt. */
static void
hide_begin (CsPlotView *self, CsPlotModel *m, Hidden *saved)
{
  saved->labels = m->labels;
  saved->show_legend = m->show_legend;
  saved->show_centers = m->show_centers;
  saved->show_medoid_links = m->show_medoid_links;
  saved->palette = m->palette;
  m->palette = self->palette;
  if (!self->hide_clusters)
    return;
  m->labels = NULL;
  m->show_legend = FALSE;
  m->show_centers = FALSE;
  m->show_medoid_links = FALSE;
}

static void
hide_end (CsPlotModel *m, const Hidden *saved)
{
  m->labels = saved->labels;
  m->show_legend = saved->show_legend;
  m->show_centers = saved->show_centers;
  m->show_medoid_links = saved->show_medoid_links;
  m->palette = saved->palette;
}

static gboolean
get_frame (CsPlotView *self, CsRect *frame)
{
  CsPlotModel *m = get_model (self);
  int          w = gtk_widget_get_width (GTK_WIDGET (self));
  int          h = gtk_widget_get_height (GTK_WIDGET (self));
  double       s = self->scale;
  gboolean     legend, centers;

  FrameCache *c = &self->frame_cache;

  if (m == NULL || w <= 0 || h <= 0)
    return FALSE;
  legend = m->show_legend && !self->hide_clusters;
  centers = m->show_centers && !self->hide_clusters;
  if (!(c->valid && c->model == m && c->width == w && c->height == h && c->range.x_min == m->x_min
        && c->range.x_max == m->x_max && c->range.y_min == m->y_min && c->range.y_max == m->y_max
        && c->show_legend == legend && c->show_centers == centers && c->scale == s))
    {
      Hidden saved;

      /* Laid out at 1 / s of the widget and drawn scaled by s: the frame in widget pixels is
       * the layout's frame times s. */
      hide_begin (self, m, &saved);
      cs_render_scatter_layout (m, w / s, h / s, &c->frame);
      hide_end (m, &saved);
      c->frame.x *= s;
      c->frame.y *= s;
      c->frame.width *= s;
      c->frame.height *= s;
      c->valid = TRUE;
      c->model = m;
      c->width = w;
      c->height = h;
      c->range = (Range){ m->x_min, m->x_max, m->y_min, m->y_max };
      c->show_legend = legend;
      c->show_centers = centers;
      c->scale = s;
    }
  *frame = c->frame;
  return frame->width > 0 && frame->height > 0;
}

static inline void
consider (
    const CsPlotModel *m, const CsRect *frame, gsize i, double x, double y, double *best_d2, gssize *best)
{
  double cx, cy, d2;

  cs_plot_data_to_canvas (m, frame, m->x[i], m->y[i], &cx, &cy);
  d2 = (cx - x) * (cx - x) + (cy - y) * (cy - y);
  if (d2 < *best_d2 || (d2 == *best_d2 && (*best < 0 || (gssize)i < *best)))
    {
      *best_d2 = d2;
      *best = (gssize)i;
    }
}

static gssize
pick_linear (const CsPlotModel *m, const CsRect *frame, double x, double y, double radius)
{
  double best_d2 = radius * radius;
  gssize best = -1;

  for (gsize i = 0; i < m->n; i++)
    if (isfinite (m->x[i]) && isfinite (m->y[i]))
      consider (m, frame, i, x, y, &best_d2, &best);
  return best;
}

static gssize
pick_indexed (
    const CsPlotModel *m, const PickIndex *index, const CsRect *frame, double x, double y, double radius)
{
  double ax, ay, bx, by;
  double dx_lo, dx_hi, dy_lo, dy_hi;
  guint  cx0, cx1, cy0, cy1;
  double best_d2 = radius * radius;
  gssize best = -1;

  if (index->gx == 0)
    return -1;
  cs_plot_canvas_to_data (m, frame, x - radius, y - radius, &ax, &ay);
  cs_plot_canvas_to_data (m, frame, x + radius, y + radius, &bx, &by);
  if (!isfinite (ax) || !isfinite (ay) || !isfinite (bx) || !isfinite (by))
    return pick_linear (m, frame, x, y, radius);
  dx_lo = MIN (ax, bx);
  dx_hi = MAX (ax, bx);
  dy_lo = MIN (ay, by);
  dy_hi = MAX (ay, by);
  cx0 = cell_of (dx_lo, index->x0, index->cw, index->gx);
  cx1 = cell_of (dx_hi, index->x0, index->cw, index->gx);
  cy0 = cell_of (dy_lo, index->y0, index->ch, index->gy);
  cy1 = cell_of (dy_hi, index->y0, index->ch, index->gy);
  for (guint cy = cy0; cy <= cy1; cy++)
    for (guint cx = cx0; cx <= cx1; cx++)
      {
        gsize c = (gsize)cy * index->gx + cx;
        for (guint32 k = index->start[c]; k < index->start[c + 1]; k++)
          consider (m, frame, index->idx[k], x, y, &best_d2, &best);
      }
  return best;
}

gssize
cs_plot_view_pick (CsPlotView *view, double x, double y, double radius)
{
  const CsPlotModel *m;
  CsRect             frame;

  g_return_val_if_fail (CS_IS_PLOT_VIEW (view), -1);

  m = get_model (view);
  if (m == NULL || m->n == 0 || !get_frame (view, &frame))
    return -1;
  /* Before the index is ready an explicit call still answers, the slow way. */
  if (view->index == NULL)
    return pick_linear (m, &frame, x, y, radius);
  return pick_indexed (m, view->index, &frame, x, y, radius);
}

gboolean
cs_plot_view_is_pick_ready (CsPlotView *view)
{
  g_return_val_if_fail (CS_IS_PLOT_VIEW (view), FALSE);

  return view->index != NULL;
}

/* Zoom and pan ------------------------------------------------------------------------- */

static void
get_range (const CsPlotModel *m, Range *r)
{
  r->x_min = m->x_min;
  r->x_max = m->x_max;
  r->y_min = m->y_min;
  r->y_max = m->y_max;
}

static void
set_range (CsPlotModel *m, const Range *r)
{
  m->x_min = r->x_min;
  m->x_max = r->x_max;
  m->y_min = r->y_min;
  m->y_max = r->y_max;
}

/* Zooms `from` by `factor` (> 1 zooms in) keeping the data point under canvas (x, y) where
 * it is. */
static void
zoom_from (CsPlotView *self, const Range *from, double x, double y, double factor)
{
  CsPlotModel *m = get_model (self);
  CsRect       frame;
  Range        to;
  double       dx, dy;

  if (m == NULL || !(factor > 0) || !isfinite (factor))
    return;
  set_range (m, from);
  if (!get_frame (self, &frame))
    return;
  cs_plot_canvas_to_data (m, &frame, x, y, &dx, &dy);
  to.x_min = dx - (dx - from->x_min) / factor;
  to.x_max = dx + (from->x_max - dx) / factor;
  to.y_min = dy - (dy - from->y_min) / factor;
  to.y_max = dy + (from->y_max - dy) / factor;
  /* Stop where doubles would no longer tell the edges apart, or overflow. */
  if (!(to.x_max - to.x_min > 1e-9 * MAX (fabs (to.x_min), fabs (to.x_max)))
      || !(to.y_max - to.y_min > 1e-9 * MAX (fabs (to.y_min), fabs (to.y_max)))
      || !isfinite (to.x_max - to.x_min) || !isfinite (to.y_max - to.y_min))
    return;
  set_range (m, &to);
  self->user_view = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cs_plot_view_zoom (CsPlotView *view, double x, double y, double factor)
{
  CsPlotModel *m;
  Range        from;

  g_return_if_fail (CS_IS_PLOT_VIEW (view));

  m = get_model (view);
  if (m == NULL)
    return;
  get_range (m, &from);
  zoom_from (view, &from, x, y, factor);
}

static void
zoom_at_center (CsPlotView *self, double factor)
{
  CsRect frame;

  if (get_frame (self, &frame))
    cs_plot_view_zoom (self, frame.x + frame.width / 2, frame.y + frame.height / 2, factor);
}

void
cs_plot_view_reset_zoom (CsPlotView *view)
{
  CsPlotModel *m;

  g_return_if_fail (CS_IS_PLOT_VIEW (view));

  m = get_model (view);
  if (m == NULL)
    return;
  cs_plot_model_reset_view (m);
  view->user_view = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

static void
set_highlight (CsPlotView *self, gssize i)
{
  CsPlotModel *m = get_model (self);

  if (m == NULL || m->highlight == i)
    return;
  m->highlight = i;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller, double dx, double dy, CsPlotView *self)
{
  CsRect frame;
  double x, y;

  if (get_model (self) == NULL || dy == 0 || !get_frame (self, &frame))
    return FALSE;
  x = self->has_pointer ? self->pointer_x : frame.x + frame.width / 2;
  y = self->has_pointer ? self->pointer_y : frame.y + frame.height / 2;
  cs_plot_view_zoom (self, x, y, pow (ZOOM_STEP, -dy));
  return TRUE;
}

static void
zoom_begin_cb (GtkGesture *gesture, GdkEventSequence *sequence, CsPlotView *self)
{
  CsPlotModel *m = get_model (self);

  if (m == NULL || !gtk_gesture_get_bounding_box_center (gesture, &self->pinch_x, &self->pinch_y))
    {
      gtk_gesture_set_state (gesture, GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  get_range (m, &self->gesture_range);
  gtk_gesture_set_state (gesture, GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture, double scale, CsPlotView *self)
{
  zoom_from (self, &self->gesture_range, self->pinch_x, self->pinch_y, scale);
}

static void
drag_begin_cb (GtkGestureDrag *gesture, double x, double y, CsPlotView *self)
{
  CsPlotModel *m = get_model (self);

  if (self->tool != CS_PLOT_TOOL_NONE)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self));
      cs_plot_view_tool_press (self, x, y, GDK_BUTTON_PRIMARY);
      return;
    }
  if (m == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  get_range (m, &self->gesture_range);
  self->dragging = TRUE;
}

static void
drag_update_cb (GtkGestureDrag *gesture, double offset_x, double offset_y, CsPlotView *self)
{
  CsPlotModel *m = get_model (self);
  CsRect       frame;
  double       ax, ay, bx, by;
  Range        to;

  if (self->stroke)
    {
      double x0, y0;

      if (gtk_gesture_drag_get_start_point (gesture, &x0, &y0))
        cs_plot_view_tool_drag (self, x0 + offset_x, y0 + offset_y);
      return;
    }
  if (m == NULL || !self->dragging)
    return;
  if (offset_x != 0 || offset_y != 0)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
  set_range (m, &self->gesture_range);
  if (!get_frame (self, &frame))
    return;
  /* Through the renderer's own mapping, so panning needs no assumption about axis
   * direction: the data point grabbed stays under the pointer. */
  cs_plot_canvas_to_data (m, &frame, 0, 0, &ax, &ay);
  cs_plot_canvas_to_data (m, &frame, offset_x, offset_y, &bx, &by);
  to.x_min = self->gesture_range.x_min + (ax - bx);
  to.x_max = self->gesture_range.x_max + (ax - bx);
  to.y_min = self->gesture_range.y_min + (ay - by);
  to.y_max = self->gesture_range.y_max + (ay - by);
  set_range (m, &to);
  self->user_view = TRUE;
  set_highlight (self, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag *gesture, double offset_x, double offset_y, CsPlotView *self)
{
  if (self->stroke)
    cs_plot_view_tool_release (self);
  self->dragging = FALSE;
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}

static void
click_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, CsPlotView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  /* Two quick clicks while drawing are two points, not a reset. */
  if (n_press == 2 && self->tool == CS_PLOT_TOOL_NONE)
    cs_plot_view_reset_zoom (self);
}

static void
secondary_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, CsPlotView *self)
{
  if (self->tool == CS_PLOT_TOOL_NONE)
    return;
  cs_plot_view_tool_press (self, x, y, GDK_BUTTON_SECONDARY);
  cs_plot_view_tool_release (self);
}

static void
motion_cb (GtkEventControllerMotion *controller, double x, double y, CsPlotView *self)
{
  self->has_pointer = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
  if (self->tool != CS_PLOT_TOOL_NONE)
    {
      /* The brush outline follows the pointer; a hover ring would only be in the way. */
      set_highlight (self, -1);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  /* Without the index a scan of every point per motion event would stall the loop. */
  if (self->index == NULL || self->dragging)
    return;
  set_highlight (self, cs_plot_view_pick (self, x, y, CS_STYLE_HOVER_RADIUS));
}

static void
leave_cb (GtkEventControllerMotion *controller, CsPlotView *self)
{
  self->has_pointer = FALSE;
  set_highlight (self, -1);
  if (self->tool != CS_PLOT_TOOL_NONE)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Tooltips ----------------------------------------------------------------------------- */

static void
append_value (GString *s, const CsColumn *col, gsize row)
{
  double v = col->values[row];

  if (isnan (v))
    g_string_append (s, "missing");
  else if (col->kind == CS_COLUMN_CATEGORICAL && col->levels != NULL && v >= 0 && v < col->levels->len)
    g_string_append (s, g_ptr_array_index (col->levels, (guint)v));
  else
    {
      g_autofree char *text = cs_render_format_number (v);
      g_string_append (s, text);
    }
}

/* One "name value" line per column, at most TOOLTIP_MAX_COLUMNS, each column once. */
typedef struct
{
  GString         *s;
  const CsDataset *ds;
  gsize            row;
  gboolean        *shown; /* per dataset column */
  guint            lines;
} Lines;

static gboolean
add_column (Lines *l, int c, const char *note)
{
  const CsColumn *col;

  if (c < 0 || (gsize)c >= cs_dataset_n_columns (l->ds) || l->shown[c] || l->lines >= TOOLTIP_MAX_COLUMNS)
    return FALSE;
  col = cs_dataset_column (l->ds, c);
  g_string_append_printf (l->s, "\n%s ", col->name);
  append_value (l->s, col, l->row);
  if (note != NULL)
    g_string_append_printf (l->s, " (%s)", note);
  l->shown[c] = TRUE;
  l->lines++;
  return TRUE;
}

/* A mean to 3 significant digits: the tooltip compares, it does not report. */
static double
round_for_people (double v)
{
  double scale;

  if (v == 0 || !isfinite (v))
    return v;
  scale = pow (10.0, 2 - floor (log10 (fabs (v))));
  return round (v * scale) / scale;
}

static void
add_axis (Lines *l, const char *label, double value)
{
  g_autofree char *text = NULL;

  if (label == NULL || *label == '\0')
    return;
  text = cs_render_format_number (value);
  g_string_append_printf (l->s, "\n%s %s", label, isnan (value) ? "missing" : text);
  l->lines++;
}

char *
cs_plot_view_describe_point (CsPlotView *view, gsize i)
{
  const CsPlotModel *m;
  GString           *s;
  gsize              row;
  g_autofree char   *row_text = NULL;

  g_return_val_if_fail (CS_IS_PLOT_VIEW (view), NULL);

  m = get_model (view);
  if (m == NULL || i >= m->n)
    return NULL;

  /* Rows and clusters count from 1, as people number table rows and legend entries. */
  row = m->rows ? m->rows[i] : i;
  row_text = cs_render_format_number ((double)row + 1);
  s = g_string_new (NULL);
  g_string_append_printf (s, "Row %s", row_text);
  if (m->labels != NULL && !view->hide_clusters)
    {
      if (m->labels[i] < 0)
        g_string_append (s, " · Noise");
      else
        g_string_append_printf (s, " · Cluster %d", m->labels[i] + 1);
    }

  if (view->dataset != NULL && row < view->dataset->n_rows)
    {
      gsize                n_cols = cs_dataset_n_columns (view->dataset);
      g_autofree gboolean *shown = g_new0 (gboolean, MAX (n_cols, 1));
      Lines                l = { s, view->dataset, row, shown, 0 };
      gsize                n_shown = 0;

      /* What matters for this point first: where it is plotted, then what sets its
       * cluster apart, then the other columns in file order. */
      if (m->x_column >= 0)
        add_column (&l, m->x_column, NULL);
      else
        add_axis (&l, m->x_label, m->x[i]);
      if (m->y_column >= 0)
        add_column (&l, m->y_column, NULL);
      else
        add_axis (&l, m->y_label, m->y[i]);
      if (m->labels != NULL && !view->hide_clusters && m->labels[i] >= 0 && m->distinctive != NULL)
        for (guint r = 0; r < m->n_distinctive; r++)
          {
            gsize            e = (gsize)m->labels[i] * m->n_distinctive + r;
            g_autofree char *in = cs_render_format_number (round_for_people (m->distinctive_mean[2 * e]));
            g_autofree char *out
                = cs_render_format_number (round_for_people (m->distinctive_mean[2 * e + 1]));
            g_autofree char *note = g_strdup_printf ("cluster mean %s, others %s", in, out);

            add_column (&l, m->distinctive[e], note);
          }
      for (gsize c = 0; c < n_cols; c++)
        add_column (&l, (int)c, NULL);
      for (gsize c = 0; c < n_cols; c++)
        n_shown += shown[c];
      if (n_shown < n_cols)
        {
          g_autofree char *more = cs_render_format_number ((double)(n_cols - n_shown));
          g_string_append_printf (s, "\n… and %s more column%s", more, n_cols - n_shown == 1 ? "" : "s");
        }
    }
  else
    {
      g_autofree char *x = cs_render_format_number (m->x[i]);
      g_autofree char *y = cs_render_format_number (m->y[i]);
      g_string_append_printf (s, "\n%s %s\n%s %s", m->x_label && *m->x_label ? m->x_label : "x", x,
                              m->y_label && *m->y_label ? m->y_label : "y", y);
    }
  return g_string_free (s, FALSE);
}

static gboolean
query_tooltip_cb (
    GtkWidget *widget, int x, int y, gboolean keyboard_mode, GtkTooltip *tooltip, CsPlotView *self)
{
  const CsPlotModel *m = get_model (self);
  g_autofree char   *text = NULL;
  CsRect             frame;
  double             cx, cy;
  gssize             i;

  /* While drawing, a tooltip would cover where the next point goes. */
  if (m == NULL || self->dragging || self->tool != CS_PLOT_TOOL_NONE || !get_frame (self, &frame))
    return FALSE;
  if (keyboard_mode)
    i = m->highlight;
  else if (self->index != NULL)
    i = cs_plot_view_pick (self, x, y, CS_STYLE_HOVER_RADIUS);
  else
    return FALSE;
  if (i < 0 || (gsize)i >= m->n)
    return FALSE;

  text = cs_plot_view_describe_point (self, i);
  gtk_tooltip_set_text (tooltip, text);
  /* Leaving the point's disc asks again, so moving to a neighbour updates the text. */
  cs_plot_data_to_canvas (m, &frame, m->x[i], m->y[i], &cx, &cy);
  gtk_tooltip_set_tip_area (tooltip,
                            &(GdkRectangle){ (int)floor (cx - CS_STYLE_HOVER_RADIUS / 2),
                                             (int)floor (cy - CS_STYLE_HOVER_RADIUS / 2),
                                             (int)CS_STYLE_HOVER_RADIUS, (int)CS_STYLE_HOVER_RADIUS });
  return TRUE;
}

/* Keyboard ----------------------------------------------------------------------------- */

static void
zoom_in_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  zoom_at_center (CS_PLOT_VIEW (widget), ZOOM_STEP);
}

static void
zoom_out_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  zoom_at_center (CS_PLOT_VIEW (widget), 1.0 / ZOOM_STEP);
}

static void
reset_zoom_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  cs_plot_view_reset_zoom (CS_PLOT_VIEW (widget));
}

/* Widget ------------------------------------------------------------------------------- */

static void
update_accessible_label (CsPlotView *self)
{
  const CsPlotModel *m = get_model (self);
  g_autofree char   *label = NULL;

  if (m == NULL)
    label = g_strdup ("Empty scatter plot");
  else if (m->title != NULL && *m->title != '\0')
    label = g_strdup_printf ("Scatter plot of %s", m->title);
  else if (self->dataset != NULL && self->dataset->name != NULL)
    label = g_strdup_printf ("Scatter plot of %s", self->dataset->name);
  else
    label = g_strdup ("Scatter plot");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static const CsPlotModel *drawn_model (CsPlotView *view, const CsPlotModel *m);
static gboolean pending_erased (CsPlotView *self, gsize row);

/* Placed centres as numbered rings, and the brush or eraser outline under the pointer. */
static void
draw_tool_overlay (CsPlotView *self, cairo_t *cr)
{
  double s = self->scale;

  for (guint i = 0; self->marks != NULL && i < self->marks->len / 2; i++)
    {
      double           x, y;
      g_autofree char *n = g_strdup_printf ("%u", i + 1);

      if (!cs_plot_view_to_widget (self, g_array_index (self->marks, double, 2 * i),
                                   g_array_index (self->marks, double, 2 * i + 1), &x, &y))
        continue;
      cairo_new_path (cr);
      cairo_arc (cr, x, y, 9.0 * s, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, CS_STYLE_RGB_INK[0], CS_STYLE_RGB_INK[1], CS_STYLE_RGB_INK[2]);
      cairo_set_line_width (cr, 2.5 * s);
      cairo_stroke (cr);
      cairo_save (cr);
      cairo_translate (cr, x, y);
      cairo_scale (cr, s, s);
      cs_i_text_draw (cr, n, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, 0, 0, 0.5, 0.5, 0.0);
      cairo_restore (cr);
    }
  if (self->stroke)
    {
      const CsPlotModel *m = get_model (self);
      double             rgb[3];
      double             r = 3.5 * s;

      /* Erased points are covered until the new dataset is shown; new ones drawn in their
       * class's colour. */
      for (gsize i = 0; m != NULL && i < m->n && self->pending_erase->len > 0; i++)
        {
          double x, y;
          gsize  row = m->rows != NULL ? m->rows[i] : i;

          if (pending_erased (self, row) && cs_plot_view_to_widget (self, m->x[i], m->y[i], &x, &y))
            {
              cairo_new_path (cr);
              cairo_arc (cr, x, y, r + 1.5, 0, 2 * G_PI);
              cairo_set_source_rgb (cr, CS_STYLE_RGB_BACKGROUND[0], CS_STYLE_RGB_BACKGROUND[1],
                                    CS_STYLE_RGB_BACKGROUND[2]);
              cairo_fill (cr);
            }
        }
      cs_palette_kind_color (self->palette, (guint)MAX (self->draw_class, 0), rgb);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      for (guint i = 0; i < self->pending_add->len / 2; i++)
        {
          double x, y;

          if (cs_plot_view_to_widget (self, g_array_index (self->pending_add, double, 2 * i),
                                      g_array_index (self->pending_add, double, 2 * i + 1), &x, &y))
            {
              cairo_new_path (cr);
              cairo_arc (cr, x, y, r, 0, 2 * G_PI);
              cairo_fill (cr);
            }
        }
    }
  if (self->has_pointer && (self->tool == CS_PLOT_TOOL_DRAW || self->tool == CS_PLOT_TOOL_ERASE))
    {
      const double *focus = CS_STYLE_RGB_FOCUS;

      cairo_new_path (cr);
      cairo_arc (cr, self->pointer_x, self->pointer_y, self->brush_radius, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, focus[0], focus[1], focus[2], 0.8);
      cairo_set_line_width (cr, 1.5);
      if (self->tool == CS_PLOT_TOOL_ERASE)
        {
          static const double dash[] = { 4.0, 3.0 };
          cairo_set_dash (cr, dash, 2, 0);
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
}

static void
cs_plot_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  CsPlotView        *self = CS_PLOT_VIEW (widget);
  const CsPlotModel *m = get_model (self);
  int                w = gtk_widget_get_width (widget);
  int                h = gtk_widget_get_height (widget);
  cairo_t           *cr;

  if (w <= 0 || h <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (m != NULL)
    {
      Hidden saved;

      /* The snapshot's recording surface cannot tell the renderer the screen's scale. */
      /* A playback frame is drawn in place of the model; hiding and the palette apply to it. */
      CsPlotModel *d = (CsPlotModel *)drawn_model (self, m);

      hide_begin (self, d, &saved);
      cairo_save (cr);
      cairo_scale (cr, self->scale, self->scale);
      /* The renderer multiplies this by the scale already in cr's matrix. */
      cs_render_set_raster_scale (cr, gtk_widget_get_scale_factor (widget));
      cs_render_scatter (cr, d, w / self->scale, h / self->scale);
      cairo_restore (cr);
      hide_end (d, &saved);
      draw_tool_overlay (self, cr);
    }
  else
    {
      cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.3);
      cairo_set_line_width (cr, 1.0);
      /* The empty plot: where the frame will be, on the canvas' pad. */
      cairo_rectangle (cr, CS_STYLE_PAD - 1.5, CS_STYLE_PAD - 1.5, MAX (w - 2 * CS_STYLE_PAD + 3, 0),
                       MAX (h - 2 * CS_STYLE_PAD + 3, 0));
      cairo_stroke (cr);
    }
  if (gtk_widget_has_visible_focus (widget))
    {
      /* The plot has no CSS node of its own to carry an outline. */
      const double *focus = CS_STYLE_RGB_FOCUS;

      cairo_set_source_rgba (cr, focus[0], focus[1], focus[2], 0.8);
      cairo_set_line_width (cr, 2.0);
      cairo_rectangle (cr, 1, 1, w - 2, h - 2);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

static void
cs_plot_view_measure (GtkWidget     *widget,
                      GtkOrientation orientation,
                      int            for_size,
                      int           *minimum,
                      int           *natural,
                      int           *minimum_baseline,
                      int           *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : 360;
}

static void
cs_plot_view_dispose (GObject *object)
{
  CsPlotView *self = CS_PLOT_VIEW (object);

  if (self->index_worker != NULL)
    cs_worker_drop (self->index_worker);
  g_clear_object (&self->index_worker);
  g_clear_pointer (&self->index, pick_index_free);
  g_clear_pointer (&self->holder, holder_unref);
  g_clear_pointer (&self->dataset, cs_dataset_unref);
  g_clear_pointer (&self->marks, g_array_unref);
  g_clear_pointer (&self->pending_add, g_array_unref);
  g_clear_pointer (&self->pending_erase, g_array_unref);
  g_clear_pointer (&self->tool_axes_key, g_free);

  G_OBJECT_CLASS (cs_plot_view_parent_class)->dispose (object);
}

static void
cs_plot_view_class_init (CsPlotViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_plot_view_dispose;
  widget_class->snapshot = cs_plot_view_snapshot;
  widget_class->measure = cs_plot_view_measure;

  gtk_widget_class_set_css_name (widget_class, "plotview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  gtk_widget_class_install_action (widget_class, "plot.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "plot.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "plot.reset-zoom", NULL, reset_zoom_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "plot.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "plot.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "plot.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "plot.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "plot.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "plot.reset-zoom", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, 0, "plot.reset-zoom", NULL);

  signals[SIGNAL_ADD_POINTS] = g_signal_new ("add-points", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                             NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_POINTER,
                                             G_TYPE_POINTER);
  signals[SIGNAL_ERASE_POINTS] = g_signal_new ("erase-points", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                               NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_POINTER);
  signals[SIGNAL_PLACE_CENTRE] = g_signal_new ("place-centre", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                               NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
}

static void
cs_plot_view_init (CsPlotView *self)
{
  GtkWidget          *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture         *gesture;

  self->index_worker = cs_worker_new (CS_WORKER_REPLACE);
  self->brush_radius = 24.0;
  self->per_dab = 6;
  self->pending_add = g_array_new (FALSE, FALSE, sizeof (double));
  self->pending_erase = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->scale = 1.0;

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_widget_set_vexpand (widget, TRUE);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (widget, controller);

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (secondary_pressed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  update_accessible_label (self);
}

GtkWidget *
cs_plot_view_new (void)
{
  return g_object_new (CS_TYPE_PLOT_VIEW, NULL);
}

/* A new model over the same dataset and the same axes (a new result, the same columns or
 * PCA basis) keeps a view the user zoomed or panned to; anything else starts from the
 * whole data. */
static gboolean
keeps_view (CsPlotView *self, const CsPlotModel *model, const CsDataset *dataset)
{
  const CsPlotModel *old = get_model (self);

  return self->user_view && old != NULL && model != NULL && dataset != NULL && dataset == self->dataset
         && old->axes_key != NULL && g_strcmp0 (old->axes_key, model->axes_key) == 0;
}

/* While a tool is in use every edit brings a new dataset; the view must not jump under the
 * pointer, so it keeps its range as long as the axes are the same columns. */
static gboolean
keeps_view_for_tool (CsPlotView *self, const CsPlotModel *model)
{
  const CsPlotModel *old = get_model (self);

  if (old != NULL && old->axes_key != NULL)
    {
      g_free (self->tool_axes_key);
      self->tool_axes_key = g_strdup (old->axes_key);
      get_range (old, &self->tool_range);
    }
  else if (old != NULL || self->tool == CS_PLOT_TOOL_NONE)
    g_clear_pointer (&self->tool_axes_key, g_free);
  return self->tool != CS_PLOT_TOOL_NONE && model != NULL && self->tool_axes_key != NULL
         && g_strcmp0 (self->tool_axes_key, model->axes_key) == 0;
}

void
cs_plot_view_set_model (CsPlotView *view, CsPlotModel *model, CsDataset *dataset)
{
  g_return_if_fail (CS_IS_PLOT_VIEW (view));

  if (keeps_view_for_tool (view, model))
    set_range (model, &view->tool_range);
  else if (keeps_view (view, model, dataset))
    {
      Range r;
      get_range (get_model (view), &r);
      set_range (model, &r);
    }
  else
    view->user_view = FALSE;

  cs_worker_drop (view->index_worker);
  g_clear_pointer (&view->index, pick_index_free);
  g_clear_pointer (&view->holder, holder_unref);
  /* A new model may reuse the old one's address. */
  view->frame_cache.valid = FALSE;
  if (dataset != NULL)
    cs_dataset_ref (dataset);
  g_clear_pointer (&view->dataset, cs_dataset_unref);
  view->dataset = dataset;

  if (model != NULL)
    {
      model->highlight = -1;
      view->holder = holder_new (model);
      cs_worker_run (view->index_worker, index_compute, holder_ref (view->holder), holder_unref, pick_index_free,
                     index_done, view);
    }

  update_accessible_label (view);
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

const CsPlotModel *
cs_plot_view_get_model (CsPlotView *view)
{
  g_return_val_if_fail (CS_IS_PLOT_VIEW (view), NULL);

  return get_model (view);
}

/* Playback (issue 12): a frame drawn in place of the model; the model keeps zoom, pan,
 * hover and tooltips, and its view state is copied onto the frame at each draw. */
#define FRAME_KEY "cs-playback-frame"

static const CsPlotModel *
drawn_model (CsPlotView *view, const CsPlotModel *m)
{
  CsPlotModel *f = g_object_get_data (G_OBJECT (view), FRAME_KEY);

  if (f == NULL || m == NULL || f->n != m->n)
    return m;
  f->x_min = m->x_min;
  f->x_max = m->x_max;
  f->y_min = m->y_min;
  f->y_max = m->y_max;
  f->highlight = m->highlight;
  f->show_legend = m->show_legend;
  f->show_centers = m->show_centers;
  f->show_medoid_links = m->show_medoid_links;
  f->point_radius = m->point_radius;
  f->point_alpha = m->point_alpha;
  return f;
}

void
cs_plot_view_set_frame (CsPlotView *view, CsPlotModel *frame)
{
  g_return_if_fail (CS_IS_PLOT_VIEW (view));

  g_object_set_data_full (G_OBJECT (view), FRAME_KEY, frame, (GDestroyNotify) cs_plot_model_free);
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

const CsPlotModel *
cs_plot_view_get_frame (CsPlotView *view)
{
  g_return_val_if_fail (CS_IS_PLOT_VIEW (view), NULL);

  return drawn_model (view, get_model (view));
}

/* Teaching tools ------------------------------------------------------------------------ */

void
cs_plot_view_set_tool (CsPlotView *view, CsPlotTool tool)
{
  g_return_if_fail (CS_IS_PLOT_VIEW (view));

  if (view->stroke)
    cs_plot_view_tool_release (view);
  view->tool = tool;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (view), tool == CS_PLOT_TOOL_NONE ? NULL : "crosshair");
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

CsPlotTool
cs_plot_view_get_tool (CsPlotView *view)
{
  g_return_val_if_fail (CS_IS_PLOT_VIEW (view), CS_PLOT_TOOL_NONE);

  return view->tool;
}

void
cs_plot_view_set_brush (CsPlotView *view, double radius, guint per_dab)
{
  g_return_if_fail (CS_IS_PLOT_VIEW (view));
  g_return_if_fail (radius > 0 && per_dab > 0);

  view->brush_radius = radius;
  view->per_dab = per_dab;
}

gboolean
cs_plot_view_to_data (CsPlotView *view, double x, double y, double *data_x, double *data_y)
{
  const CsPlotModel *m;
  CsRect             frame;

  g_return_val_if_fail (CS_IS_PLOT_VIEW (view), FALSE);

  m = get_model (view);
  if (m == NULL || !get_frame (view, &frame))
    return FALSE;
  cs_plot_canvas_to_data (m, &frame, x, y, data_x, data_y);
  return isfinite (*data_x) && isfinite (*data_y);
}

gboolean
cs_plot_view_to_widget (CsPlotView *view, double data_x, double data_y, double *x, double *y)
{
  const CsPlotModel *m;
  CsRect             frame;

  g_return_val_if_fail (CS_IS_PLOT_VIEW (view), FALSE);

  m = get_model (view);
  if (m == NULL || !get_frame (view, &frame))
    return FALSE;
  cs_plot_data_to_canvas (m, &frame, data_x, data_y, x, y);
  return isfinite (*x) && isfinite (*y);
}

static void
add_at (CsPlotView *self, const double *wx, const double *wy, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      double dx, dy;

      if (cs_plot_view_to_data (self, wx[i], wy[i], &dx, &dy))
        {
          g_array_append_val (self->pending_add, dx);
          g_array_append_val (self->pending_add, dy);
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
pending_erased (CsPlotView *self, gsize row)
{
  for (guint i = 0; i < self->pending_erase->len; i++)
    if (g_array_index (self->pending_erase, gsize, i) == row)
      return TRUE;
  return FALSE;
}

/* One dab: per_dab points uniform in the brush's disc (area-uniform radius), the pattern
 * seeded by the dab's number so that a replayed stroke sprays the same points. */
static void
spray (CsPlotView *self, double x, double y)
{
  g_autofree double *wx = g_new (double, self->per_dab);
  g_autofree double *wy = g_new (double, self->per_dab);
  CsRng              rng;

  cs_rng_init (&rng, 0x5eed0000u + self->n_dabs++);
  for (guint i = 0; i < self->per_dab; i++)
    {
      double r = self->brush_radius * sqrt (cs_rng_uniform (&rng));
      double t = 2 * G_PI * cs_rng_uniform (&rng);

      wx[i] = x + r * cos (t);
      wy[i] = y + r * sin (t);
    }
  add_at (self, wx, wy, self->per_dab);
}

static void
erase_near (CsPlotView *self, double x, double y)
{
  const CsPlotModel *m = get_model (self);
  double             r2 = self->brush_radius * self->brush_radius;
  CsRect             frame;

  if (m == NULL || !get_frame (self, &frame))
    return;
  /* A linear scan: the eraser is for the few hundred points of a lesson, and must see the
   * newest model even before its pick index is built. */
  for (gsize i = 0; i < m->n; i++)
    {
      double cx, cy;

      if (!isfinite (m->x[i]) || !isfinite (m->y[i]))
        continue;
      cs_plot_data_to_canvas (m, &frame, m->x[i], m->y[i], &cx, &cy);
      if ((cx - x) * (cx - x) + (cy - y) * (cy - y) <= r2)
        {
          gsize row = m->rows != NULL ? m->rows[i] : i;

          if (!pending_erased (self, row))
            g_array_append_val (self->pending_erase, row);
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cs_plot_view_tool_press (CsPlotView *view, double x, double y, guint button)
{
  g_return_if_fail (CS_IS_PLOT_VIEW (view));

  if (view->tool == CS_PLOT_TOOL_NONE || get_model (view) == NULL)
    return;
  if (view->stroke)
    cs_plot_view_tool_release (view);
  view->stroke = TRUE;
  view->stroke_button = button;
  view->last_dab_x = x;
  view->last_dab_y = y;
  g_array_set_size (view->pending_add, 0);
  g_array_set_size (view->pending_erase, 0);
  switch (view->tool)
    {
    case CS_PLOT_TOOL_DRAW:
      if (button == GDK_BUTTON_SECONDARY)
        erase_near (view, x, y);
      else
        add_at (view, &x, &y, 1);
      break;
    case CS_PLOT_TOOL_ERASE:
      erase_near (view, x, y);
      break;
    case CS_PLOT_TOOL_PLACE_CENTRES:
      {
        double dx, dy;

        if (button == GDK_BUTTON_PRIMARY && cs_plot_view_to_data (view, x, y, &dx, &dy))
          g_signal_emit (view, signals[SIGNAL_PLACE_CENTRE], 0, dx, dy);
      }
      break;
    case CS_PLOT_TOOL_NONE:
    default:
      break;
    }
}

void
cs_plot_view_tool_drag (CsPlotView *view, double x, double y)
{
  g_return_if_fail (CS_IS_PLOT_VIEW (view));

  view->has_pointer = TRUE;
  view->pointer_x = x;
  view->pointer_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (view));
  if (!view->stroke || hypot (x - view->last_dab_x, y - view->last_dab_y) < view->brush_radius / 2)
    return;
  view->last_dab_x = x;
  view->last_dab_y = y;
  if (view->tool == CS_PLOT_TOOL_DRAW && view->stroke_button == GDK_BUTTON_PRIMARY)
    spray (view, x, y);
  else if (view->tool == CS_PLOT_TOOL_ERASE
           || (view->tool == CS_PLOT_TOOL_DRAW && view->stroke_button == GDK_BUTTON_SECONDARY))
    erase_near (view, x, y);
}

void
cs_plot_view_tool_release (CsPlotView *view)
{
  g_return_if_fail (CS_IS_PLOT_VIEW (view));

  if (!view->stroke)
    return;
  view->stroke = FALSE;
  /* One stroke, one edit: the window makes one new dataset (one undo step), and the plot
   * is not rebuilt under the pointer at every dab. */
  if (view->pending_erase->len > 0)
    g_signal_emit (view, signals[SIGNAL_ERASE_POINTS], 0, view->pending_erase->len, view->pending_erase->data);
  if (view->pending_add->len > 0)
    {
      guint              n = view->pending_add->len / 2;
      g_autofree double *x = g_new (double, n);
      g_autofree double *y = g_new (double, n);

      for (guint i = 0; i < n; i++)
        {
          x[i] = g_array_index (view->pending_add, double, 2 * i);
          y[i] = g_array_index (view->pending_add, double, 2 * i + 1);
        }
      g_signal_emit (view, signals[SIGNAL_ADD_POINTS], 0, n, x, y);
    }
  g_array_set_size (view->pending_add, 0);
  g_array_set_size (view->pending_erase, 0);
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

void
cs_plot_view_set_draw_class (CsPlotView *view, int draw_class)
{
  g_return_if_fail (CS_IS_PLOT_VIEW (view));

  view->draw_class = draw_class;
}

void
cs_plot_view_set_marks (CsPlotView *view, gsize n, const double *x, const double *y)
{
  g_return_if_fail (CS_IS_PLOT_VIEW (view));

  g_clear_pointer (&view->marks, g_array_unref);
  if (n > 0)
    {
      view->marks = g_array_sized_new (FALSE, FALSE, sizeof (double), 2 * n);
      for (gsize i = 0; i < n; i++)
        {
          g_array_append_val (view->marks, x[i]);
          g_array_append_val (view->marks, y[i]);
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

void
cs_plot_view_set_hide_clusters (CsPlotView *view, gboolean hide)
{
  g_return_if_fail (CS_IS_PLOT_VIEW (view));

  view->hide_clusters = !!hide;
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

gboolean
cs_plot_view_get_hide_clusters (CsPlotView *view)
{
  g_return_val_if_fail (CS_IS_PLOT_VIEW (view), FALSE);

  return view->hide_clusters;
}

void
cs_plot_view_set_palette (CsPlotView *view, CsPaletteKind palette)
{
  g_return_if_fail (CS_IS_PLOT_VIEW (view));

  view->palette = palette;
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

void
cs_plot_view_set_scale (CsPlotView *view, double scale)
{
  g_return_if_fail (CS_IS_PLOT_VIEW (view));
  g_return_if_fail (scale > 0 && isfinite (scale));

  view->scale = scale;
  view->frame_cache.valid = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (view));
}

double
cs_plot_view_get_scale (CsPlotView *view)
{
  g_return_val_if_fail (CS_IS_PLOT_VIEW (view), 1.0);

  return view->scale;
}
