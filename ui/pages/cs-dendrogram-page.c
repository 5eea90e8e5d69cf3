#include "ui/pages/cs-dendrogram-page.h"

#include <math.h>

#include "core/base/cs-format.h"
#include "core/cluster/cs-agglomerative.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-worker.h"
#include "ui/render/cs-plot-frame.h"
#include "ui/render/cs-render-dendrogram.h"
#include "ui/widgets/cs-playback-bar.h"

/* The tree stays the result's; only the cut moves. A new cut is a new model (O(n): labels by
 * union-find over the kept merges), built here for small trees and on a worker above
 * LARGE_TREE rows so a drag never stalls the main loop. When the cut changes the number of
 * clusters the page asks the window for that k ("show-k"); the window cuts the result's tree
 * the same way on its job worker, scores it and publishes it to every view, and this page then
 * gets it through set_result.
 *
 * Playback: an agglomerative run records one trace step per merge. The result's CsPlayback
 * (cs_page_result_get_playback) is shared with the scatter page, so the tree and the points
 * step together whichever page's bar or keys move them; a step's tree is drawn by
 * cs_dendrogram_model_new_step with the colours the scatter's frame of that step has. */

#define LARGE_TREE 50000

struct _CsDendrogramPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget     *view;
  GtkWidget     *cut_label;
  GtkWidget     *cut_spin;
  GtkAdjustment *cut_adjustment;
  GtkWidget     *clusters_label;
  GtkWidget     *hint_label;
  GtkWidget     *playback_bar;

  /* Borrowed until the next set_points */
  const CsPlotModel *scatter;
  CsClustering      *result;       /* Owned ref, or NULL: a result with merges */
  gboolean           have_result;
  const int         *result_slots; /* the scatter's colour slots for the result's k, or NULL */
  guint              shown_k;      /* the k the window shows */
  double             user_height;  /* the last height asked for here, NaN: none */
  gboolean           syncing;      /* the spin button is being set from a result */
  CsWorker          *worker;       /* Owned */
  double             drag_y0;
  CsPageResult      *page_result;  /* Owned ref, or NULL: its trace and shared playback */
  double             result_height; /* the cut line of the result's own tree */
};

static void cs_dendrogram_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsDendrogramPage, cs_dendrogram_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_dendrogram_page_iface_init))

typedef struct
{
  CsClustering *result; /* Owned ref */
  gsize         n_keep;
  double        height;
  int          *slots;  /* Owned, may be NULL */
  char         *title;  /* Owned */
} CutInput;

static void
cut_input_free (gpointer data)
{
  CutInput *in = data;

  cs_clustering_unref (in->result);
  g_free (in->slots);
  g_free (in->title);
  g_free (in);
}

static gpointer
cut_compute (gpointer data, CsProgress *progress, GError **error)
{
  CutInput          *in = data;
  CsDendrogramModel *m;

  (void) progress;
  (void) error;
  m = cs_dendrogram_model_new (in->result->n, in->result->merges, in->n_keep, in->height, in->slots,
                               CS_DENDROGRAM_MAX_LEAVES);
  m->title = g_strdup (in->title);
  return m;
}

static void
show_model (CsDendrogramPage *self, CsDendrogramModel *m)
{
  g_autofree char *count = cs_format_count (m->k);
  g_autofree char *text = g_strdup_printf ("%s cluster%s", count, m->k == 1 ? "" : "s");

  gtk_label_set_text (GTK_LABEL (self->clusters_label), text);
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), cs_render_dendrogram, m,
                             (GBoxedCopyFunc) cs_dendrogram_model_ref, (GDestroyNotify) cs_dendrogram_model_unref);
}

static void
cut_done (gpointer result, const GError *error, gpointer user_data)
{
  g_autoptr (CsDendrogramModel) m = result;

  if (m != NULL)
    show_model (CS_DENDROGRAM_PAGE (user_data), m);
}

static char *
tree_title (const CsClustering *c)
{
  const char *id = c->params != NULL ? cs_params_get_string (c->params, "linkage") : NULL;
  g_autofree char *rows = cs_format_count (c->n);
  g_autofree char *linkage = g_strdup (id != NULL ? id : "agglomerative");

  linkage[0] = g_ascii_toupper (linkage[0]);
  return g_strdup_printf ("%s linkage · %s rows", linkage, rows);
}

/* The tree cut so that the first n_keep merges stay, the line drawn at `height`. */
static void
recut (CsDendrogramPage *self, gsize n_keep, double height)
{
  CutInput *in = g_new0 (CutInput, 1);
  guint     k = (guint) (self->result->n - n_keep);

  in->result = cs_clustering_ref (self->result);
  in->n_keep = n_keep;
  in->height = height;
  /* The scatter's colours hold for the k it shows; another k gets the palette in order until
   * the window has matched the new clusters to the old ones. */
  if (self->result_slots != NULL && k == self->shown_k)
    in->slots = g_memdup2 (self->result_slots, k * sizeof (int));
  in->title = tree_title (self->result);
  if (self->result->n <= LARGE_TREE)
    {
      g_autoptr (CsDendrogramModel) m = cut_compute (in, NULL, NULL);
      cut_input_free (in);
      show_model (self, m);
    }
  else
    cs_worker_run (self->worker, cut_compute, in, cut_input_free, (GDestroyNotify) cs_dendrogram_model_unref,
                   cut_done, self);
}

/* The scatter's colour slots for the result's clusters, or NULL (the palette in order). */
static const int *
final_slots (CsDendrogramPage *self)
{
  if (self->scatter != NULL && self->scatter->labels != NULL && self->scatter->k == self->result->k
      && self->scatter->n == self->result->n)
    return self->scatter->color_slot;
  return self->result_slots;
}

/* The playback position's tree: a step of merging, or at the end the result's cut. */
static void
show_step (CsDendrogramPage *self)
{
  CsPlaybackBar *bar = CS_PLAYBACK_BAR (self->playback_bar);
  guint n_frames = cs_playback_bar_get_n_frames (bar);
  guint pos = cs_playback_bar_get_position (bar);
  g_autoptr (CsDendrogramModel) m = NULL;

  if (self->result == NULL)
    return;
  if (n_frames > 0 && pos + 1 < n_frames)
    m = cs_dendrogram_model_new_step (self->result, self->page_result->pipeline->trace, pos, final_slots (self));
  if (m == NULL)
    {
      self->syncing = TRUE;
      gtk_adjustment_set_value (self->cut_adjustment, self->result_height);
      self->syncing = FALSE;
      recut (self, self->result->n - self->result->k, self->result_height);
      return;
    }
  m->title = tree_title (self->result);
  show_model (self, m);
  {
    g_autofree char *count = cs_format_count (m->k);
    g_autofree char *p = cs_format_count (pos + 1);
    g_autofree char *all = cs_format_count (n_frames);
    g_autofree char *text = g_strdup_printf ("%s cluster%s at step %s of %s", count, m->k == 1 ? "" : "s", p, all);

    gtk_label_set_text (GTK_LABEL (self->clusters_label), text);
  }
  /* The spin button shows the step's cut; typing a height there cuts the result anew. */
  self->syncing = TRUE;
  gtk_adjustment_set_value (self->cut_adjustment, m->cut_height);
  self->syncing = FALSE;
}

static void
position_changed (CsPlaybackBar *bar, guint position, CsDendrogramPage *self)
{
  show_step (self);
}

static void
set_points (CsPage *page, const CsPlotModel *scatter)
{
  CS_DENDROGRAM_PAGE (page)->scatter = scatter;
}

static void
set_result (CsPage *page, CsPageResult *result)
{
  CsDendrogramPage       *self = CS_DENDROGRAM_PAGE (page);
  const CsPipelineResult *r = result != NULL ? result->pipeline : NULL;
  const CsClustering     *c = r != NULL ? r->clustering : NULL;
  double                  top, height;
  gsize                   n_keep;
  int                     digits;

  cs_worker_drop (self->worker);
  if (self->page_result != result)
    cs_playback_bar_set_playing (CS_PLAYBACK_BAR (self->playback_bar), FALSE);
  cs_playback_bar_set_playback (CS_PLAYBACK_BAR (self->playback_bar), NULL);
  g_clear_pointer (&self->page_result, cs_page_result_unref);
  g_clear_pointer (&self->result, cs_clustering_unref);
  self->have_result = c != NULL;
  self->result_slots = NULL;
  if (c == NULL || c->merges == NULL || c->n < 2 || c->k < 1 || c->k > c->n)
    {
      cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), cs_render_dendrogram, NULL,
                                 (GBoxedCopyFunc) cs_dendrogram_model_ref,
                                 (GDestroyNotify) cs_dendrogram_model_unref);
      gtk_label_set_text (GTK_LABEL (self->clusters_label), "");
      gtk_widget_set_sensitive (self->cut_spin, FALSE);
      self->user_height = NAN;
      return;
    }
  self->result = cs_clustering_ref ((CsClustering *) c);
  self->shown_k = c->k;
  if (self->scatter != NULL && self->scatter->labels != NULL && self->scatter->k == c->k)
    self->result_slots = self->scatter->color_slot;

  n_keep = c->n - c->k;
  /* Keep the height the user dragged to when it makes this cut; else the middle of the gap. */
  height = cs_dendrogram_cut_height_for (c->merges, c->n, n_keep);
  if (isfinite (self->user_height) && cs_agglomerative_merges_below (c->merges, c->n, self->user_height) == n_keep)
    height = self->user_height;
  top = c->merges[(c->n - 2) * 4 + 2];
  if (!(top > 0) || !isfinite (top))
    top = 1.0;
  digits = (int) CLAMP (3 - floor (log10 (top)), 0, 6);

  self->syncing = TRUE;
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (self->cut_spin), (guint) digits);
  gtk_adjustment_configure (self->cut_adjustment, height, 0.0, top * 1.05, top / 200, top / 20, 0.0);
  self->syncing = FALSE;
  gtk_widget_set_sensitive (self->cut_spin, TRUE);
  self->result_height = height;
  self->page_result = cs_page_result_ref (result);
  {
    gsize done;

    /* Only a trace of this tree's merges plays here (frame 0 tells). */
    if (cs_playback_merges_done (r->trace, c, 0, &done))
      cs_playback_bar_set_playback (CS_PLAYBACK_BAR (self->playback_bar), cs_page_result_get_playback (result));
  }
  show_step (self);
}

static void
cut_changed_cb (GtkAdjustment *adjustment, CsDendrogramPage *self)
{
  double h = gtk_adjustment_get_value (adjustment);
  gsize  n_keep;
  guint  k;

  if (self->syncing || self->result == NULL)
    return;
  if (cs_playback_bar_get_position (CS_PLAYBACK_BAR (self->playback_bar)) + 1
      < cs_playback_bar_get_n_frames (CS_PLAYBACK_BAR (self->playback_bar)))
    {
      /* A cut made during playback cuts the result: both views go to its end first. */
      cs_playback_bar_set_position (CS_PLAYBACK_BAR (self->playback_bar), G_MAXUINT);
      self->syncing = TRUE;
      gtk_adjustment_set_value (adjustment, h);
      self->syncing = FALSE;
    }
  self->user_height = h;
  n_keep = cs_agglomerative_merges_below (self->result->merges, self->result->n, h);
  k = (guint) (self->result->n - n_keep);
  recut (self, n_keep, h);
  if (k != self->shown_k)
    cs_page_request_k (CS_PAGE (self), k);
}

/* Pointer: a press or a drag anywhere over the tree moves the cut to the pointer's height. */
static void
move_cut_to (CsDendrogramPage *self, double y)
{
  const CsDendrogramModel *m = cs_figure_view_get_model (CS_FIGURE_VIEW (self->view));
  CsRect                   frame;
  double                   w, h, x;

  if (m == NULL || self->result == NULL)
    return;
  cs_figure_view_get_canvas (CS_FIGURE_VIEW (self->view), &w, &h);
  cs_figure_view_to_canvas (CS_FIGURE_VIEW (self->view), 0.0, y, &x, &y);
  cs_render_dendrogram_layout (m, w, h, &frame);
  y = CLAMP (y, frame.y, frame.y + frame.height);
  gtk_adjustment_set_value (self->cut_adjustment, cs_render_dendrogram_height_at (m, &frame, y));
}

static void
drag_begin_cb (GtkGestureDrag *gesture, double x, double y, CsDendrogramPage *self)
{
  (void) gesture;
  (void) x;
  self->drag_y0 = y;
  move_cut_to (self, y);
}

static void
drag_update_cb (GtkGestureDrag *gesture, double dx, double dy, CsDendrogramPage *self)
{
  (void) gesture;
  (void) dx;
  move_cut_to (self, self->drag_y0 + dy);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  CsDendrogramPage *self = CS_DENDROGRAM_PAGE (page);

  if (self->result != NULL)
    return TRUE;
  *why_not = g_strdup (self->have_result ? "Only hierarchical clustering builds a tree: run Agglomerative"
                                         : "Run Agglomerative (hierarchical) clustering to see its dendrogram");
  return FALSE;
}

static void
cancel (CsPage *page)
{
  cs_worker_drop (CS_DENDROGRAM_PAGE (page)->worker);
  cs_playback_bar_set_playing (CS_PLAYBACK_BAR (CS_DENDROGRAM_PAGE (page)->playback_bar), FALSE);
}

static void
cs_dendrogram_page_iface_init (CsPageInterface *iface)
{
  iface->name = "dendrogram";
  iface->title = "Dendrogram";
  iface->group = CS_PAGE_GROUP_STRUCTURE;
  iface->set_points = set_points;
  iface->set_result = set_result;
  iface->applies = applies;
  iface->cancel = cancel;
}

static void
cs_dendrogram_page_dispose (GObject *object)
{
  CsDendrogramPage *self = CS_DENDROGRAM_PAGE (object);

  if (self->worker != NULL)
    cs_worker_drop (self->worker);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->result, cs_clustering_unref);
  g_clear_pointer (&self->page_result, cs_page_result_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_DENDROGRAM_PAGE);
  /* The template's root box is not a bound child: dispose_template leaves it. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (cs_dendrogram_page_parent_class)->dispose (object);
}

static void
cs_dendrogram_page_class_init (CsDendrogramPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_dendrogram_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  g_type_ensure (CS_TYPE_PLAYBACK_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-dendrogram-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsDendrogramPage, view);
  gtk_widget_class_bind_template_child (widget_class, CsDendrogramPage, cut_label);
  gtk_widget_class_bind_template_child (widget_class, CsDendrogramPage, cut_spin);
  gtk_widget_class_bind_template_child (widget_class, CsDendrogramPage, cut_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CsDendrogramPage, clusters_label);
  gtk_widget_class_bind_template_child (widget_class, CsDendrogramPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, CsDendrogramPage, playback_bar);

  cs_playback_bar_install_keys (widget_class);
}

static void
cs_dendrogram_page_init (CsDendrogramPage *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->worker = cs_worker_new (CS_WORKER_WAIT);
  self->user_height = NAN;
  gtk_widget_set_sensitive (self->cut_spin, FALSE);
  g_signal_connect (self->cut_adjustment, "value-changed", G_CALLBACK (cut_changed_cb), self);
  g_signal_connect (self->playback_bar, "position-changed", G_CALLBACK (position_changed), self);
  gtk_widget_set_cursor_from_name (self->view, "row-resize");
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (self->view, GTK_EVENT_CONTROLLER (drag));
}
