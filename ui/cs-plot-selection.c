#include "ui/cs-plot-selection.h"

#include <math.h>
#include <stdlib.h>

#include "ui/render/cs-render.h"

struct _CsPlotSelection
{
  GObject parent_instance;

  GtkWidget             *widget;  /* Borrowed: the view the gesture is on */
  CsPlotView            *view;    /* Borrowed, NULL for cs_plot_selection_new_for_widget */
  CsPlotSelectionMapFunc to_data; /* with owner: for any other widget */
  CsPlotSelectionMapFunc to_widget;
  gpointer               owner;   /* Borrowed */
  const CsPlotModel     *points;  /* Borrowed: the points of a widget that is not a plot view */
  gsize                 *marked;  /* Owned, ascending dataset rows ringed on the overlay */
  gsize                  n_marked;
  GtkWidget             *overlay; /* Owned ref */
  CsPlotSelectionMode    mode;
  GArray                *path;    /* Owned, double pairs: the outline in widget coordinates */
  gboolean               active;
  GtkWidget             *lasso_button;     /* Borrowed, may be NULL: cs_plot_selection_bind_toggles */
  GtkWidget             *rectangle_button; /* Borrowed, may be NULL */
};

enum
{
  SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CsPlotSelection, cs_plot_selection, G_TYPE_OBJECT)

static int
compare_gsize (const void *a, const void *b)
{
  gsize x = *(const gsize *) a;
  gsize y = *(const gsize *) b;

  return (x > y) - (x < y);
}

gsize *
cs_plot_selection_rows_in_polygon (const CsPlotModel *m,
                                   const double      *vx,
                                   const double      *vy,
                                   gsize              n_vertices,
                                   gsize             *n)
{
  gsize *rows;
  gsize  count = 0;
  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;

  g_return_val_if_fail (m != NULL && n != NULL, NULL);

  rows = g_new (gsize, MAX (m->n, 1));
  if (n_vertices < 3)
    {
      *n = 0;
      return rows;
    }
  for (gsize v = 0; v < n_vertices; v++)
    {
      x_lo = MIN (x_lo, vx[v]);
      x_hi = MAX (x_hi, vx[v]);
      y_lo = MIN (y_lo, vy[v]);
      y_hi = MAX (y_hi, vy[v]);
    }
  for (gsize i = 0; i < m->n; i++)
    {
      double   px = m->x[i];
      double   py = m->y[i];
      gboolean inside = FALSE;

      if (!(px >= x_lo && px <= x_hi && py >= y_lo && py <= y_hi))
        continue;
      /* Even-odd rule: count edges crossed by a ray to +x; an edge owns its lower end only,
       * so a ray through a vertex counts once. */
      for (gsize a = 0, b = n_vertices - 1; a < n_vertices; b = a++)
        if ((vy[a] > py) != (vy[b] > py)
            && px < vx[b] + (py - vy[b]) * (vx[a] - vx[b]) / (vy[a] - vy[b]))
          inside = !inside;
      if (inside)
        rows[count++] = m->rows != NULL ? m->rows[i] : i;
    }
  qsort (rows, count, sizeof (gsize), compare_gsize);
  *n = count;
  return rows;
}

static void
rectangle_corners (CsPlotSelection *self, double *xs, double *ys)
{
  const double *p = (const double *) self->path->data;
  double        x0 = p[0], y0 = p[1];
  double        x1 = p[2 * (self->path->len / 2 - 1)], y1 = p[2 * (self->path->len / 2 - 1) + 1];

  xs[0] = x0; ys[0] = y0;
  xs[1] = x1; ys[1] = y0;
  xs[2] = x1; ys[2] = y1;
  xs[3] = x0; ys[3] = y1;
}

static const CsPlotModel *
current_points (CsPlotSelection *self)
{
  return self->view != NULL ? cs_plot_view_get_model (self->view) : self->points;
}

static gboolean
to_data (CsPlotSelection *self, double x, double y, double *dx, double *dy)
{
  if (self->view != NULL)
    return cs_plot_view_to_data (self->view, x, y, dx, dy);
  return self->to_data != NULL && self->to_data (self->owner, x, y, dx, dy);
}

/* Rings on the marked rows' points. Past MARKS_MAX of them every k-th is drawn: the overlay is
 * redrawn on every pointer move and the marks only have to show where the selection lies. */
#define MARKS_MAX 20000

static void
draw_marks (CsPlotSelection *self, cairo_t *cr)
{
  const CsPlotModel *m = current_points (self);
  gsize              stride;
  gsize              seen = 0;

  if (m == NULL || self->n_marked == 0 || self->to_widget == NULL)
    return;
  stride = self->n_marked > MARKS_MAX ? (self->n_marked + MARKS_MAX - 1) / MARKS_MAX : 1;
  cairo_set_line_width (cr, 1.5);
  for (gsize i = 0; i < m->n; i++)
    {
      gsize  row = m->rows != NULL ? m->rows[i] : i;
      gsize  lo = 0;
      gsize  hi = self->n_marked;
      double cx, cy;

      /* Binary search in the ascending rows: no mask to rebuild when the points change. */
      while (lo < hi)
        {
          gsize mid = lo + (hi - lo) / 2;
          if (self->marked[mid] < row)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (lo == self->n_marked || self->marked[lo] != row || seen++ % stride != 0)
        continue;
      if (!isfinite (m->x[i]) || !isfinite (m->y[i]) || !self->to_widget (self->owner, m->x[i], m->y[i], &cx, &cy))
        continue;
      cairo_new_sub_path (cr);
      cairo_arc (cr, cx, cy, 4.0, 0, 2 * G_PI);
    }
  /* White under black: visible on the colour map's dark and bright ends alike. */
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_set_line_width (cr, 3.0);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.9);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
}

static void
draw_overlay (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  CsPlotSelection *self = data;
  const double    *p;
  guint            n;

  draw_marks (self, cr);
  if (!self->active || self->path->len < 4)
    return;
  p = (const double *) self->path->data;
  n = self->path->len / 2;
  if (self->mode == CS_PLOT_SELECTION_RECTANGLE)
    {
      double xs[4], ys[4];
      rectangle_corners (self, xs, ys);
      cairo_rectangle (cr, MIN (xs[0], xs[2]), MIN (ys[0], ys[2]), fabs (xs[2] - xs[0]), fabs (ys[2] - ys[0]));
    }
  else
    {
      cairo_move_to (cr, p[0], p[1]);
      for (guint i = 1; i < n; i++)
        cairo_line_to (cr, p[2 * i], p[2 * i + 1]);
      cairo_close_path (cr);
    }
  cairo_set_source_rgba (cr, 0.2, 0.4, 0.8, 0.12);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0.1, 0.2, 0.5, 0.9);
  cairo_set_line_width (cr, 1.5);
  {
    static const double dash[] = { 4.0, 3.0 };
    cairo_set_dash (cr, dash, 2, 0);
  }
  cairo_stroke (cr);
}

void
cs_plot_selection_begin (CsPlotSelection *self, double x, double y)
{
  g_return_if_fail (CS_IS_PLOT_SELECTION (self));

  g_array_set_size (self->path, 0);
  g_array_append_val (self->path, x);
  g_array_append_val (self->path, y);
  self->active = TRUE;
  gtk_widget_queue_draw (self->overlay);
}

void
cs_plot_selection_update (CsPlotSelection *self, double x, double y)
{
  g_return_if_fail (CS_IS_PLOT_SELECTION (self));

  if (!self->active)
    return;
  if (self->mode == CS_PLOT_SELECTION_RECTANGLE && self->path->len >= 4)
    g_array_set_size (self->path, 2);
  g_array_append_val (self->path, x);
  g_array_append_val (self->path, y);
  gtk_widget_queue_draw (self->overlay);
}

void
cs_plot_selection_end (CsPlotSelection *self)
{
  const CsPlotModel *m;
  g_autofree double *vx = NULL;
  g_autofree double *vy = NULL;
  g_autofree gsize  *rows = NULL;
  gsize              n_vertices;
  gsize              n = 0;

  g_return_if_fail (CS_IS_PLOT_SELECTION (self));

  if (!self->active)
    return;
  self->active = FALSE;
  gtk_widget_queue_draw (self->overlay);
  m = current_points (self);
  if (m == NULL || self->path->len < 4)
    return;
  n_vertices = self->mode == CS_PLOT_SELECTION_RECTANGLE ? 4 : self->path->len / 2;
  vx = g_new (double, n_vertices);
  vy = g_new (double, n_vertices);
  if (self->mode == CS_PLOT_SELECTION_RECTANGLE)
    rectangle_corners (self, vx, vy);
  else
    for (gsize v = 0; v < n_vertices; v++)
      {
        vx[v] = g_array_index (self->path, double, 2 * v);
        vy[v] = g_array_index (self->path, double, 2 * v + 1);
      }
  /* The polygon goes to data coordinates, where the points are: exact at any zoom. */
  for (gsize v = 0; v < n_vertices; v++)
    if (!to_data (self, vx[v], vy[v], &vx[v], &vy[v]))
      return;
  rows = cs_plot_selection_rows_in_polygon (m, vx, vy, n_vertices, &n);
  g_signal_emit (self, signals[SELECTED], 0, rows, (guint64) n);
}

static void
drag_begin_cb (GtkGestureDrag *gesture, double x, double y, CsPlotSelection *self)
{
  if (self->mode == CS_PLOT_SELECTION_OFF || current_points (self) == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  /* Claimed in the capture phase: the plot's own drag (pan) never starts. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  cs_plot_selection_begin (self, x, y);
}

static void
drag_update_cb (GtkGestureDrag *gesture, double dx, double dy, CsPlotSelection *self)
{
  double x0, y0;

  if (!self->active || !gtk_gesture_drag_get_start_point (gesture, &x0, &y0))
    return;
  cs_plot_selection_update (self, x0 + dx, y0 + dy);
}

static void
drag_end_cb (GtkGestureDrag *gesture, double dx, double dy, CsPlotSelection *self)
{
  cs_plot_selection_end (self);
}

void
cs_plot_selection_set_mode (CsPlotSelection *self, CsPlotSelectionMode mode)
{
  g_return_if_fail (CS_IS_PLOT_SELECTION (self));

  self->mode = mode;
  self->active = FALSE;
  gtk_widget_set_cursor_from_name (self->widget, mode == CS_PLOT_SELECTION_OFF ? NULL : "crosshair");
  gtk_widget_queue_draw (self->overlay);
}

void
cs_plot_selection_set_points (CsPlotSelection *self, const CsPlotModel *points)
{
  g_return_if_fail (CS_IS_PLOT_SELECTION (self));
  g_return_if_fail (self->view == NULL);

  self->points = points;
  self->active = FALSE;
  gtk_widget_queue_draw (self->overlay);
}

void
cs_plot_selection_set_marked (CsPlotSelection *self, const gsize *rows, gsize n)
{
  g_return_if_fail (CS_IS_PLOT_SELECTION (self));

  g_free (self->marked);
  self->marked = n > 0 ? g_memdup2 (rows, n * sizeof (gsize)) : NULL;
  self->n_marked = n;
  gtk_widget_queue_draw (self->overlay);
}

static void
toggle_cb (GtkToggleButton *button, CsPlotSelection *self)
{
  gboolean lasso;
  gboolean rectangle;

  if (gtk_toggle_button_get_active (button))
    gtk_toggle_button_set_active (
        GTK_TOGGLE_BUTTON (GTK_WIDGET (button) == self->lasso_button ? self->rectangle_button : self->lasso_button),
        FALSE);
  lasso = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->lasso_button));
  rectangle = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->rectangle_button));
  cs_plot_selection_set_mode (self, lasso       ? CS_PLOT_SELECTION_LASSO
                                    : rectangle ? CS_PLOT_SELECTION_RECTANGLE
                                                : CS_PLOT_SELECTION_OFF);
}

void
cs_plot_selection_bind_toggles (CsPlotSelection *self, GtkWidget *lasso, GtkWidget *rectangle)
{
  g_return_if_fail (CS_IS_PLOT_SELECTION (self));
  g_return_if_fail (GTK_IS_TOGGLE_BUTTON (lasso) && GTK_IS_TOGGLE_BUTTON (rectangle));

  self->lasso_button = lasso;
  self->rectangle_button = rectangle;
  g_signal_connect_object (lasso, "toggled", G_CALLBACK (toggle_cb), self, 0);
  g_signal_connect_object (rectangle, "toggled", G_CALLBACK (toggle_cb), self, 0);
}

CsPlotSelectionMode
cs_plot_selection_get_mode (CsPlotSelection *self)
{
  g_return_val_if_fail (CS_IS_PLOT_SELECTION (self), CS_PLOT_SELECTION_OFF);

  return self->mode;
}

GtkWidget *
cs_plot_selection_get_overlay (CsPlotSelection *self)
{
  g_return_val_if_fail (CS_IS_PLOT_SELECTION (self), NULL);

  return self->overlay;
}

static void
cs_plot_selection_dispose (GObject *object)
{
  CsPlotSelection *self = CS_PLOT_SELECTION (object);

  g_clear_object (&self->overlay);
  G_OBJECT_CLASS (cs_plot_selection_parent_class)->dispose (object);
}

static void
cs_plot_selection_finalize (GObject *object)
{
  g_array_unref (CS_PLOT_SELECTION (object)->path);
  g_free (CS_PLOT_SELECTION (object)->marked);
  G_OBJECT_CLASS (cs_plot_selection_parent_class)->finalize (object);
}

static void
cs_plot_selection_class_init (CsPlotSelectionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cs_plot_selection_dispose;
  G_OBJECT_CLASS (klass)->finalize = cs_plot_selection_finalize;
  /**
   * CsPlotSelection::selected:
   * @rows: (array length=n): dataset rows inside the outline, ascending; borrowed
   * @n: how many
   */
  signals[SELECTED] = g_signal_new ("selected", CS_TYPE_PLOT_SELECTION, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT64);
}

static void
cs_plot_selection_init (CsPlotSelection *self)
{
  self->path = g_array_new (FALSE, FALSE, sizeof (double));
}

static gboolean
plot_view_to_widget (gpointer owner, double x, double y, double *wx, double *wy)
{
  return cs_plot_view_to_widget (owner, x, y, wx, wy);
}

static CsPlotSelection *
selection_new (GtkWidget *widget)
{
  CsPlotSelection *self;
  GtkGesture      *gesture;

  self = g_object_new (CS_TYPE_PLOT_SELECTION, NULL);
  self->widget = widget;
  self->overlay = g_object_ref_sink (gtk_drawing_area_new ());
  gtk_widget_set_can_target (self->overlay, FALSE);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->overlay), draw_overlay, self, NULL);

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));
  return self;
}

CsPlotSelection *
cs_plot_selection_new (CsPlotView *view)
{
  CsPlotSelection *self;

  g_return_val_if_fail (CS_IS_PLOT_VIEW (view), NULL);

  self = selection_new (GTK_WIDGET (view));
  self->view = view;
  self->to_widget = plot_view_to_widget;
  self->owner = view;
  return self;
}

CsPlotSelection *
cs_plot_selection_new_for_widget (GtkWidget             *widget,
                                  CsPlotSelectionMapFunc to_data,
                                  CsPlotSelectionMapFunc to_widget,
                                  gpointer               owner)
{
  CsPlotSelection *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (to_data != NULL && to_widget != NULL, NULL);

  self = selection_new (widget);
  self->to_data = to_data;
  self->to_widget = to_widget;
  self->owner = owner;
  return self;
}

/* The selection menu and its context menu ---------------------------------------------- */

GMenuModel *
cs_plot_selection_menu_new (void)
{
  GMenu *menu = g_menu_new ();
  GMenu *data = g_menu_new ();
  GMenu *result = g_menu_new ();
  GMenu *clear = g_menu_new ();

  /* The labels are the accessible names. */
  g_menu_append (data, "Export Selection", "win.export-selection");
  g_menu_append (data, "Cluster Selection Only", "win.cluster-selection");
  g_menu_append (data, "Exclude Selection", "win.exclude-selection");
  g_menu_append (result, "Label Selection as New Cluster", "win.label-selection");
  g_menu_append (clear, "Clear Selection", "win.clear-selection");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (data));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (result));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (clear));
  g_object_unref (data);
  g_object_unref (result);
  g_object_unref (clear);
  return G_MENU_MODEL (menu);
}

static void
popover_free (gpointer popover)
{
  gtk_widget_unparent (popover);
  g_object_unref (popover);
}

static void
context_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, GtkWidget *parent)
{
  GtkWidget   *target = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget   *popover = g_object_get_data (G_OBJECT (parent), "cs-selection-popover");
  GdkRectangle at;
  double       px, py;

  if (CS_IS_PLOT_VIEW (target) && cs_plot_view_get_tool (CS_PLOT_VIEW (target)) != CS_PLOT_TOOL_NONE)
    return;
  if (!gtk_widget_translate_coordinates (target, parent, x, y, &px, &py))
    return;
  if (popover == NULL)
    {
      g_autoptr (GMenuModel) menu = cs_plot_selection_menu_new ();

      popover = g_object_ref_sink (gtk_popover_menu_new_from_model (menu));
      gtk_widget_set_parent (popover, parent);
      gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
      gtk_widget_set_halign (popover, GTK_ALIGN_START);
      gtk_accessible_update_property (GTK_ACCESSIBLE (popover), GTK_ACCESSIBLE_PROPERTY_LABEL, "Selection Actions", -1);
      /* Kept with the parent, unparented (if its dispose has not done so) and dropped with it. */
      g_object_set_data_full (G_OBJECT (parent), "cs-selection-popover", popover, popover_free);
    }
  at = (GdkRectangle) { (int) px, (int) py, 1, 1 };
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &at);
  gtk_popover_popup (GTK_POPOVER (popover));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

void
cs_plot_selection_attach_context_menu (GtkWidget *target, GtkWidget *parent)
{
  GtkGesture *click;

  g_return_if_fail (GTK_IS_WIDGET (target) && GTK_IS_WIDGET (parent));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (context_pressed_cb), parent);
  gtk_widget_add_controller (target, GTK_EVENT_CONTROLLER (click));
}
