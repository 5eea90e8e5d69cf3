#include "ui/pages/cs-scatter-page.h"

#include <math.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-worker.h"
#include "ui/render/cs-export.h"
#include "ui/render/cs-export-anim.h"
#include "ui/render/cs-plot-frame.h"
#include "ui/cs-plot-selection.h"
#include "ui/render/cs-render-views.h"
#include "ui/widgets/cs-playback-bar.h"

/* The scatter plot, and under it playback of the run that made the result: every frame is
 * read from the recorded trace (cs-plot-frame.c), so stepping back costs what stepping
 * forward does and nothing is recomputed. Mixture results also get their ellipses and
 * soft-membership or uncertainty shading here, with or without playback: the uncertainty is
 * a shading of the same points rather than a page of its own, because where the uncertain
 * points sit (between which components) is what it is for. */

/* Size of each PNG of an exported playback (mm at EXPORT_DPI). */
#define EXPORT_W_MM 200.0
#define EXPORT_H_MM 125.0
#define EXPORT_DPI  144.0
/* Each frame of the animated WebP written beside the PNGs, in milliseconds. */
#define EXPORT_FRAME_MS 500

struct _CsScatterPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *plot_view;
  GtkWidget *side_panel;
  GtkWidget *objective_view;
  GtkWidget *voronoi_check;
  GtkWidget *ellipses_check;
  GtkWidget *shade_dropdown;
  GtkWidget *export_button;
  GtkWidget *export_progress;
  GtkWidget *export_cancel;
  GtkWidget *playback_bar;

  CsPageResult      *result;   /* Owned ref, may be NULL */
  const CsPlotModel *base;     /* Borrowed until the next set_points: the plot view's model */
  guint              n_frames;
  CsWorker          *export_worker;
  GtkFileChooserNative *chooser;

  /* Linked selection (issue 14) */
  GtkWidget       *overlay;          /* Template */
  GtkWidget       *lasso_button;     /* Template */
  GtkWidget       *rectangle_button; /* Template */
  GtkWidget       *clear_button;     /* Template */
  GtkWidget       *selection_label;  /* Template */
  GtkWidget       *selection_menu_button; /* Template: the window's selection actions */
  CsPlotSelection *lasso;            /* Owned */
  gsize           *selected;         /* Owned, the window's selection: ascending dataset rows */
  gsize            n_selected;
};

static void cs_scatter_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsScatterPage, cs_scatter_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_scatter_page_iface_init))

static const CsTrace *
current_trace (CsScatterPage *self)
{
  return self->result != NULL ? self->result->pipeline->trace : NULL;
}

static const CsClustering *
current_clustering (CsScatterPage *self)
{
  return self->result != NULL ? self->result->pipeline->clustering : NULL;
}

static void
frame_options (CsScatterPage *self, CsFrameOptions *o)
{
  guint shade = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->shade_dropdown));

  o->ellipses = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->ellipses_check));
  o->shade = shade == 1 ? CS_SHADE_SOFT : shade == 2 ? CS_SHADE_UNCERTAINTY : CS_SHADE_CLUSTERS;
}

static gboolean
is_mixture (CsScatterPage *self)
{
  const CsClustering *c = current_clustering (self);

  return c != NULL && c->covariances != NULL;
}

/* The result the plotted points show: the same rows, so the trace's frames fit them. */
static gboolean
result_fits (CsScatterPage *self)
{
  const CsClustering *c = current_clustering (self);

  return c != NULL && self->base != NULL && self->base->labels != NULL && c->n == self->base->n;
}

static void
update_objective_mark (CsScatterPage *self)
{
  CsChartModel *chart = (CsChartModel *) cs_figure_view_get_model (CS_FIGURE_VIEW (self->objective_view));
  guint pos = cs_playback_bar_get_position (CS_PLAYBACK_BAR (self->playback_bar));

  if (chart == NULL)
    return;
  /* The chart is the page's own (set below, never shared with an export): mark in place. */
  chart->marked = pos < chart->n ? (gssize) pos : -1;
  g_clear_pointer (&chart->mark_label, g_free);
  chart->mark_label = g_strdup_printf ("step %u", pos + 1);
  gtk_widget_queue_draw (self->objective_view);
}

static void
refresh_frame (CsScatterPage *self)
{
  CsPlotView *view = CS_PLOT_VIEW (self->plot_view);
  CsFrameOptions o;
  CsPlotModel *frame;
  gboolean voronoi = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->voronoi_check));

  frame_options (self, &o);
  if (self->base == NULL || !result_fits (self))
    {
      if (self->base != NULL && voronoi)
        {
          frame = cs_plot_model_copy (self->base);
          frame->show_voronoi = TRUE;
          cs_plot_view_set_frame (view, frame);
        }
      else
        cs_plot_view_set_frame (view, NULL);
      return;
    }
  if (self->n_frames > 0)
    frame = cs_plot_frame_new (self->base, current_trace (self), current_clustering (self),
                               cs_playback_bar_get_position (CS_PLAYBACK_BAR (self->playback_bar)), &o);
  else
    frame = cs_plot_frame_new_result (self->base, current_clustering (self), &o);
  frame->show_voronoi = voronoi;
  cs_plot_view_set_frame (view, frame);
  update_objective_mark (self);
}

/* Objective per playback position: a step without one (an M-step, whose likelihood the next
 * E-step measures) repeats the one before, so the line does not break at every other step. */
static CsChartModel *
objective_chart (const CsTrace *trace, const CsClustering *c, guint n_frames)
{
  g_autofree double *x = g_new (double, n_frames);
  g_autofree double *y = g_new (double, n_frames);
  double last = NAN;
  guint finite = 0;
  CsChartModel *m;

  for (guint i = 0; i < n_frames; i++)
    {
      double v = i < trace->steps->len ? ((CsTraceStep *) g_ptr_array_index (trace->steps, i))->objective
                                       : c->objective;
      if (isfinite (v))
        {
          last = v;
          finite++;
        }
      x[i] = i + 1;
      y[i] = last;
    }
  if (finite < 2)
    return NULL;
  m = cs_chart_model_new (n_frames, x, y);
  m->integer_x = TRUE;
  g_free (m->x_label);
  g_free (m->y_label);
  m->x_label = g_strdup ("Step");
  m->y_label = g_strdup (c->objective_name != NULL && c->objective_name[0] != '\0' ? c->objective_name : "objective");
  m->y_label[0] = g_ascii_toupper (m->y_label[0]);
  return m;
}

static void
rebuild (CsScatterPage *self)
{
  const CsTrace *trace = current_trace (self);
  gboolean fits = result_fits (self);
  g_autoptr (CsChartModel) chart = NULL;

  self->n_frames = fits ? cs_playback_n_frames (trace) : 0;
  /* The result's playback, shared with the other pages that play it (the dendrogram). */
  cs_playback_bar_set_playback (CS_PLAYBACK_BAR (self->playback_bar),
                                self->n_frames > 0 ? cs_page_result_get_playback (self->result) : NULL);
  cs_playback_bar_set_notice (CS_PLAYBACK_BAR (self->playback_bar),
                              fits && trace != NULL ? trace->notice : NULL);
  if (self->n_frames > 0)
    chart = objective_chart (trace, current_clustering (self), self->n_frames);
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->objective_view), cs_render_trace, chart,
                             (GBoxedCopyFunc) cs_chart_model_ref, (GDestroyNotify) cs_chart_model_unref);
  gtk_widget_set_visible (self->objective_view, chart != NULL);
  gtk_widget_set_visible (self->ellipses_check, fits && is_mixture (self));
  gtk_widget_set_visible (self->shade_dropdown, fits && is_mixture (self));
  gtk_widget_set_visible (self->export_button, self->n_frames > 0);
  gtk_widget_set_visible (self->side_panel, self->base != NULL && self->base->labels != NULL);
  refresh_frame (self);
}

static void
set_result (CsPage *page, CsPageResult *result)
{
  CsScatterPage *self = CS_SCATTER_PAGE (page);

  if (self->result != result)
    cs_playback_bar_set_playing (CS_PLAYBACK_BAR (self->playback_bar), FALSE);
  g_clear_pointer (&self->result, cs_page_result_unref);
  if (result != NULL)
    self->result = cs_page_result_ref (result);
  rebuild (self);
}

/* Marks the selected rows' points in the plot's model. The mask is a view field, like the
 * hover highlight, which the main thread may change on the view's model. */
static void
apply_selection (CsScatterPage *self)
{
  CsPlotModel     *m = (CsPlotModel *) cs_plot_view_get_model (CS_PLOT_VIEW (self->plot_view));
  g_autofree char *count = cs_format_count (self->n_selected);
  g_autofree char *text = g_strdup_printf ("%s selected", count);
  CsPlotModel     *shown = (CsPlotModel *) cs_plot_view_get_frame (CS_PLOT_VIEW (self->plot_view));

  gtk_label_set_text (GTK_LABEL (self->selection_label), self->n_selected > 0 ? text : "");
  gtk_widget_set_sensitive (self->clear_button, self->n_selected > 0);
  if (m == NULL)
    return;
  g_clear_pointer (&m->selected, g_free);
  if (self->n_selected > 0)
    {
      gsize             last = self->selected[self->n_selected - 1];
      g_autofree guint8 *in = g_new0 (guint8, last + 1);

      for (gsize i = 0; i < self->n_selected; i++)
        in[self->selected[i]] = 1;
      m->selected = g_new0 (guint8, MAX (m->n, 1));
      for (gsize i = 0; i < m->n; i++)
        {
          gsize row = m->rows != NULL ? m->rows[i] : i;
          m->selected[i] = row <= last && in[row];
        }
    }
  /* A playback frame is a copy of the model made before this selection: it gets the mask too. */
  if (shown != NULL && shown != m && shown->n == m->n)
    {
      g_free (shown->selected);
      shown->selected = m->selected != NULL ? g_memdup2 (m->selected, m->n) : NULL;
    }
  gtk_widget_queue_draw (self->plot_view);
}

static void
set_selection (CsPage *page, const gsize *rows, gsize n)
{
  CsScatterPage *self = CS_SCATTER_PAGE (page);

  g_free (self->selected);
  self->selected = n > 0 ? g_memdup2 (rows, n * sizeof (gsize)) : NULL;
  self->n_selected = n;
  apply_selection (self);
}

static void
lasso_selected_cb (CsPlotSelection *lasso, gpointer rows, guint64 n, CsScatterPage *self)
{
  cs_page_request_selection (CS_PAGE (self), rows, (gsize) n);
}

static void
clear_clicked_cb (GtkButton *button, CsScatterPage *self)
{
  cs_page_request_selection (CS_PAGE (self), NULL, 0);
}

static void
mode_toggled_cb (GtkToggleButton *button, CsScatterPage *self)
{
  gboolean lasso;
  gboolean rectangle;

  if (gtk_toggle_button_get_active (button))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (GTK_WIDGET (button) == self->lasso_button ? self->rectangle_button
                                                                                                : self->lasso_button),
                                  FALSE);
  lasso = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->lasso_button));
  rectangle = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->rectangle_button));

  cs_plot_selection_set_mode (self->lasso, lasso       ? CS_PLOT_SELECTION_LASSO
                                           : rectangle ? CS_PLOT_SELECTION_RECTANGLE
                                                       : CS_PLOT_SELECTION_OFF);
}

static void
set_points (CsPage *page, const CsPlotModel *scatter)
{
  CsScatterPage *self = CS_SCATTER_PAGE (page);

  self->base = scatter;
  rebuild (self);
  apply_selection (self);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  if (cs_plot_view_get_model (CS_PLOT_VIEW (CS_SCATTER_PAGE (page)->plot_view)) != NULL)
    return TRUE;
  *why_not = g_strdup ("Open a dataset to plot its points");
  return FALSE;
}

/* A copy, not a reference: the view keeps zooming its own model meanwhile. The frame on
 * screen (a playback step, or the result with its overlays) is what Export writes. */
static gboolean
get_figure (CsPage *page, CsRenderFunc *func, gpointer *model, GDestroyNotify *unref)
{
  const CsPlotModel *m = cs_plot_view_get_frame (CS_PLOT_VIEW (CS_SCATTER_PAGE (page)->plot_view));

  if (m == NULL)
    return FALSE;
  *func = (CsRenderFunc)cs_render_scatter;
  *model = cs_plot_model_copy (m);
  *unref = (GDestroyNotify)cs_plot_model_free;
  return TRUE;
}

static void
cancel (CsPage *page)
{
  CsScatterPage *self = CS_SCATTER_PAGE (page);

  cs_playback_bar_set_playing (CS_PLAYBACK_BAR (self->playback_bar), FALSE);
}

static void
cs_scatter_page_iface_init (CsPageInterface *iface)
{
  iface->name = "scatter";
  iface->title = "Scatter";
  iface->group = CS_PAGE_GROUP_DATA;
  iface->applies = applies;
  iface->get_figure = get_figure;
  iface->set_result = set_result;
  iface->set_points = set_points;
  iface->cancel = cancel;
  iface->set_selection = set_selection;
}

/* Export of the whole playback ---------------------------------------------------------- */

typedef struct
{
  CsPlotModel   *base;   /* Owned copy, with the view's range */
  CsPageResult  *result; /* Owned ref: the trace and clustering, immutable */
  CsFrameOptions options;
  gboolean       voronoi;
  char          *folder; /* Owned */
} ExportInput;

static void
export_input_free (gpointer data)
{
  ExportInput *in = data;

  cs_plot_model_free (in->base);
  cs_page_result_unref (in->result);
  g_free (in->folder);
  g_free (in);
}

static gpointer
export_run (gpointer input, CsProgress *progress, GError **error)
{
  ExportInput *in = input;
  const CsTrace *trace = in->result->pipeline->trace;
  guint n = cs_playback_n_frames (trace);
  guint digits = 1;
  g_autoptr (CsAnim) anim = NULL;

  if (cs_anim_available ())
    {
      anim = cs_anim_new ((int) lround (EXPORT_W_MM / 25.4 * EXPORT_DPI), (int) lround (EXPORT_H_MM / 25.4 * EXPORT_DPI),
                          EXPORT_FRAME_MS, error);
      if (anim == NULL)
        return NULL;
    }

  for (guint v = n; v >= 10; v /= 10)
    digits++;
  digits = MAX (digits, 3);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CsPlotModel) frame = NULL;
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;
      g_autofree char *stage = NULL;

      if (!cs_progress_check (progress, error))
        return NULL;
      frame = cs_plot_frame_new (in->base, trace, in->result->pipeline->clustering, i, &in->options);
      frame->show_voronoi = in->voronoi;
      if (frame->caption == NULL)
        frame->caption = g_strdup_printf ("Step %u of %u · Final result", i + 1, n);
      name = g_strdup_printf ("step-%0*u.png", (int) digits, i + 1);
      path = g_build_filename (in->folder, name, NULL);
      if (!cs_render_export ((CsRenderFunc) cs_render_scatter, frame, path, CS_EXPORT_PNG, EXPORT_W_MM, EXPORT_H_MM,
                             EXPORT_DPI, error))
        return NULL;
      if (anim != NULL && !cs_anim_add (anim, (CsRenderFunc) cs_render_scatter, frame, EXPORT_DPI, error))
        return NULL;
      stage = g_strdup_printf ("%u of %u", i + 1, n);
      cs_progress_report (progress, 0.95 * (i + 1) / n, stage);
    }
  if (anim != NULL)
    {
      g_autofree char *path = g_build_filename (in->folder, "playback.webp", NULL);

      cs_progress_report (progress, 0.95, "animated WebP");
      if (!cs_anim_write (anim, path, error))
        return NULL;
    }
  return GUINT_TO_POINTER (n);
}

static void
export_finished (CsScatterPage *self, const char *message)
{
  gtk_widget_set_visible (self->export_progress, FALSE);
  gtk_widget_set_visible (self->export_cancel, FALSE);
  gtk_widget_set_sensitive (self->export_button, TRUE);
  gtk_widget_set_tooltip_text (self->export_button, message);
  cs_playback_bar_set_notice (CS_PLAYBACK_BAR (self->playback_bar), message);
}

static void
export_done (gpointer result, const GError *error, gpointer user_data)
{
  CsScatterPage *self = user_data;
  g_autofree char *message = NULL;

  if (error != NULL)
    message = g_error_matches (error, CS_ERROR, CS_ERROR_CANCELLED)
                  ? g_strdup ("Playback export cancelled; the frames written so far are complete files")
                  : g_strdup_printf ("Playback export failed: %s", error->message);
  else
    {
      g_autofree char *count = cs_format_count (GPOINTER_TO_UINT (result));
      message = g_strdup_printf ("Playback exported: %s numbered PNG frames%s", count,
                                 cs_anim_available () ? " and playback.webp, an animation of them" : "");
    }
  export_finished (self, message);
}

static void
export_progress_cb (CsWorker *worker, double fraction, const char *stage, CsScatterPage *self)
{
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->export_progress), fraction);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->export_progress), stage);
}

/* Starts writing every frame into `folder` on the page's export worker. */
static void
export_to_folder (CsScatterPage *self, const char *folder)
{
  const CsPlotModel *shown = cs_plot_view_get_frame (CS_PLOT_VIEW (self->plot_view));
  ExportInput *in;

  if (self->base == NULL || self->result == NULL || self->n_frames == 0 || shown == NULL)
    return;
  in = g_new0 (ExportInput, 1);
  in->base = cs_plot_model_copy (self->base);
  in->base->x_min = shown->x_min;
  in->base->x_max = shown->x_max;
  in->base->y_min = shown->y_min;
  in->base->y_max = shown->y_max;
  in->result = cs_page_result_ref (self->result);
  frame_options (self, &in->options);
  in->voronoi = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->voronoi_check));
  in->folder = g_strdup (folder);
  gtk_widget_set_sensitive (self->export_button, FALSE);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->export_progress), 0.0);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->export_progress), "Starting");
  gtk_widget_set_visible (self->export_progress, TRUE);
  gtk_widget_set_visible (self->export_cancel, TRUE);
  cs_worker_run (self->export_worker, export_run, in, export_input_free, NULL, export_done, self);
}

static void
chooser_response (GtkNativeDialog *dialog, int response, CsScatterPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        export_to_folder (self, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

static void
export_clicked (GtkButton *button, CsScatterPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new ("Export Playback to a Folder", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, "_Export", "_Cancel");
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
export_cancel_clicked (GtkButton *button, CsScatterPage *self)
{
  cs_worker_cancel (self->export_worker);
}

/* Controls ------------------------------------------------------------------------------ */

static void
position_changed (CsPlaybackBar *bar, guint position, CsScatterPage *self)
{
  refresh_frame (self);
}

static void
option_changed (GObject *object, GParamSpec *pspec, CsScatterPage *self)
{
  refresh_frame (self);
}

static void
objective_pressed (GtkGestureClick *gesture, int n_press, double x, double y, CsScatterPage *self)
{
  const CsChartModel *chart = cs_figure_view_get_model (CS_FIGURE_VIEW (self->objective_view));
  CsRect frame;
  double best = INFINITY;
  gssize arg = -1;

  if (chart == NULL)
    return;
  double w, h;

  cs_figure_view_get_canvas (CS_FIGURE_VIEW (self->objective_view), &w, &h);
  cs_figure_view_to_canvas (CS_FIGURE_VIEW (self->objective_view), x, y, &x, &y);
  cs_render_trace_layout (chart, w, h, &frame);
  for (gsize i = 0; i < chart->n; i++)
    {
      double cx;
      double cy;

      cs_render_trace_point (chart, &frame, chart->x[i], isfinite (chart->y[i]) ? chart->y[i] : 0.0, &cx, &cy);
      if (fabs (cx - x) < best)
        {
          best = fabs (cx - x);
          arg = (gssize) i;
        }
    }
  if (arg >= 0)
    {
      cs_playback_bar_set_playing (CS_PLAYBACK_BAR (self->playback_bar), FALSE);
      cs_playback_bar_set_position (CS_PLAYBACK_BAR (self->playback_bar), (guint) arg);
    }
}

static void
cs_scatter_page_dispose (GObject *object)
{
  CsScatterPage *self = CS_SCATTER_PAGE (object);

  if (self->export_worker != NULL)
    cs_worker_drop (self->export_worker);
  g_clear_object (&self->export_worker);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->result, cs_page_result_unref);
  g_clear_object (&self->lasso);
  g_clear_pointer (&self->selected, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_SCATTER_PAGE);
  /* The box around the plot and the panel is no template child of its own. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (cs_scatter_page_parent_class)->dispose (object);
}

static void
cs_scatter_page_class_init (CsScatterPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_scatter_page_dispose;
  g_type_ensure (CS_TYPE_PLOT_VIEW);
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  g_type_ensure (CS_TYPE_PLAYBACK_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-scatter-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, plot_view);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, side_panel);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, objective_view);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, voronoi_check);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, ellipses_check);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, shade_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, export_progress);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, export_cancel);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, playback_bar);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, overlay);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, lasso_button);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, rectangle_button);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, clear_button);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, selection_menu_button);

  cs_playback_bar_install_keys (widget_class);
}

static void
cs_scatter_page_init (CsScatterPage *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->export_worker = cs_worker_new (CS_WORKER_REPLACE);
  g_signal_connect (self->export_worker, "progress", G_CALLBACK (export_progress_cb), self);
  g_signal_connect (self->playback_bar, "position-changed", G_CALLBACK (position_changed), self);
  g_signal_connect (self->voronoi_check, "notify::active", G_CALLBACK (option_changed), self);
  g_signal_connect (self->ellipses_check, "notify::active", G_CALLBACK (option_changed), self);
  g_signal_connect (self->shade_dropdown, "notify::selected", G_CALLBACK (option_changed), self);
  g_signal_connect (self->export_button, "clicked", G_CALLBACK (export_clicked), self);
  g_signal_connect (self->export_cancel, "clicked", G_CALLBACK (export_cancel_clicked), self);
  g_signal_connect (click, "pressed", G_CALLBACK (objective_pressed), self);
  gtk_widget_add_controller (self->objective_view, GTK_EVENT_CONTROLLER (click));
  self->lasso = cs_plot_selection_new (CS_PLOT_VIEW (self->plot_view));
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), cs_plot_selection_get_overlay (self->lasso));
  /* At most one mode, or none (a toggle group could not be all off). */
  g_signal_connect (self->lasso_button, "toggled", G_CALLBACK (mode_toggled_cb), self);
  g_signal_connect (self->rectangle_button, "toggled", G_CALLBACK (mode_toggled_cb), self);
  g_signal_connect (self->clear_button, "clicked", G_CALLBACK (clear_clicked_cb), self);
  g_signal_connect (self->lasso, "selected", G_CALLBACK (lasso_selected_cb), self);
  {
    g_autoptr (GMenuModel) menu = cs_plot_selection_menu_new ();

    gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->selection_menu_button), menu);
    cs_plot_selection_attach_context_menu (self->plot_view, self->overlay);
  }
}

CsPlotView *
cs_scatter_page_get_plot_view (CsScatterPage *page)
{
  g_return_val_if_fail (CS_IS_SCATTER_PAGE (page), NULL);

  return CS_PLOT_VIEW (page->plot_view);
}

CsPlaybackBar *
cs_scatter_page_get_playback_bar (CsScatterPage *page)
{
  g_return_val_if_fail (CS_IS_SCATTER_PAGE (page), NULL);

  return CS_PLAYBACK_BAR (page->playback_bar);
}

void
cs_scatter_page_export_playback (CsScatterPage *page, const char *folder)
{
  g_return_if_fail (CS_IS_SCATTER_PAGE (page));

  export_to_folder (page, folder);
}

/* The lasso of the page: for tests, which draw with it. */
CsPlotSelection *
cs_scatter_page_get_selection (CsScatterPage *page)
{
  g_return_val_if_fail (CS_IS_SCATTER_PAGE (page), NULL);

  return page->lasso;
}
