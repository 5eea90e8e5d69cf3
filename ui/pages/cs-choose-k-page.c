#include "ui/pages/cs-choose-k-page.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/cluster/cs-choose-k.h"
#include "core/data/cs-dataset.h"
#include "core/graph/cs-graph.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-worker.h"
#include "ui/render/cs-render-choose-k.h"

/* How many clusters? The algorithm of the last run, on the rows it clustered, at every k of
 * a range, scored by every criterion (cs_choose_k_run on the page's worker), with a
 * thumbnail of the plotted points per k and the co-association heatmap at the k on screen.
 * A click on a chart or thumbnail (or the "Show k" drop-down, the keyboard's way) asks the
 * window, through "show-k", for that clustering in every view; the window runs it (or, for
 * DynMSC, derives it from the medoids it recorded) and the new result comes back here, where
 * it only moves the mark: the criteria are computed again only when the data, the algorithm
 * or a parameter other than k changed. DynMSC's own curve is the medoid-silhouette chart.
 *
 * Small data (AUTO_MAX_ROWS) is computed as soon as the page is shown; larger data waits for
 * Compute, since every criterion reruns the algorithm (the gap and stability many times). */

#define AUTO_MAX_ROWS 1000

struct _CsChooseKPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget     *view;
  GtkWidget     *k_min_spin;
  GtkWidget     *k_max_spin;
  GtkWidget     *runs_spin;
  GtkWidget     *criteria_button;
  GtkWidget     *criteria_box;
  GtkWidget     *compute_button;
  GtkWidget     *cancel_button;
  GtkWidget     *show_k_label;
  GtkWidget     *show_k_dropdown;
  GtkStringList *show_k_items;
  GtkWidget     *progress_bar;
  GtkWidget     *status_label;

  GtkWidget *criteria_checks[CS_CRITERION_N];
  CsWorker  *worker;             /* Owned */
  CsPageResult *result;          /* Owned ref: the window's current result */
  CsPageResult *computed_from;   /* Owned ref: the result the figure's criteria were computed on */
  char         *computed_key;    /* Owned: algorithm and parameters but k of computed_from */
  const CsPlotModel *scatter;    /* Borrowed until the next set_points */
  guint          k_min;          /* the drop-down's item i is k = k_min + i */
  guint          n_items;
  guint          shown_k;        /* the result's k */
  gboolean       stale;
  gboolean       busy;
  gboolean       syncing;
  CsGraph       *graph;          /* Owned ref, may be NULL: the dataset's graph, for graph algorithms */
};

static void cs_choose_k_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsChooseKPage, cs_choose_k_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_choose_k_page_iface_init))

/* The inputs of a run that decide its criteria, except k (and the data, compared apart). */
static char *
inputs_key (const CsClustering *c)
{
  const CsAlgorithm *algo = cs_registry_lookup (c->algorithm);
  GString           *s = g_string_new (c->algorithm);

  if (algo != NULL && c->params != NULL)
    for (gsize i = 0; i < algo->n_params; i++)
      {
        g_autofree char *v = NULL;

        if (strcmp (algo->params[i].name, "k") == 0)
          continue;
        v = cs_params_to_string (c->params, algo->params[i].name);
        g_string_append_printf (s, "|%s=%s", algo->params[i].name, v);
      }
  return g_string_free (s, FALSE);
}

static gboolean
same_data (const CsPageResult *a, const CsPageResult *b)
{
  const CsMatrix *x = a->pipeline->prep->x;
  const CsMatrix *y = b->pipeline->prep->x;

  return x == y
         || (x->rows == y->rows && x->cols == y->cols && memcmp (x->data, y->data, x->rows * x->cols * sizeof (double)) == 0);
}

static gboolean
algorithm_has_k (const CsClustering *c)
{
  const CsAlgorithm *algo = cs_registry_lookup (c->algorithm);

  return algo != NULL && c->params != NULL
         && (cs_algorithm_find_param (algo, "k") != NULL || cs_algorithm_find_param (algo, "k_max") != NULL);
}

/* Worker ------------------------------------------------------------------------------- */

typedef struct
{
  CsPageResult    *result;   /* Owned ref */
  CsParams        *params;   /* Owned */
  CsChooseKOptions options;
  CsChooseKResult *reuse;    /* Owned ref, may be NULL: only rebuild the figure (the heatmap) */
  CsGraph         *graph;    /* Owned ref, may be NULL: options.graph */
  char            *title;
  gsize            n_points;
  double          *px;
  double          *py;
  gsize           *index;
  guint            selected_k;
} Input;

static void
input_free (Input *in)
{
  g_clear_pointer (&in->result, cs_page_result_unref);
  g_clear_pointer (&in->params, cs_params_free);
  g_clear_pointer (&in->reuse, cs_choose_k_result_unref);
  g_clear_pointer (&in->graph, cs_graph_unref);
  g_free (in->title);
  g_free (in->px);
  g_free (in->py);
  g_free (in->index);
  g_free (in);
}

static gpointer
compute (gpointer data, CsProgress *progress, GError **error)
{
  Input *in = data;
  g_autoptr (CsChooseKResult) r = in->reuse != NULL ? cs_choose_k_result_ref (in->reuse) : NULL;
  guint heat_k;

  if (r == NULL && !cs_choose_k_run (in->result->pipeline->prep->x, in->params, &in->options, progress, &r, error))
    return NULL;
  if (!cs_progress_check (progress, error))
    return NULL;
  cs_progress_report (progress, 1.0, "Co-association");
  /* The heatmap at the k every view shows; else at the k stability suggests. */
  heat_k = cs_choose_k_result_labels (r, in->selected_k) != NULL ? in->selected_k
                                                                   : r->suggested[CS_CRITERION_STABILITY];
  if (r->stability_labels == NULL)
    heat_k = 0;
  return cs_choose_k_model_new (r, in->title, in->n_points, in->px, in->py, in->index, in->selected_k, heat_k);
}

/* Main thread -------------------------------------------------------------------------- */

static void
set_busy (CsChooseKPage *self, gboolean busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (self->cancel_button, busy);
  gtk_widget_set_sensitive (self->compute_button, !busy && self->result != NULL);
  gtk_widget_set_visible (self->progress_bar, busy);
  if (busy)
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0.0);
}

static void
fill_show_k (CsChooseKPage *self, const CsChooseKModel *m)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  const CsChooseKResult *r = m != NULL ? m->result : NULL;

  self->k_min = r != NULL ? r->k_min : 0;
  self->n_items = r != NULL ? r->n_k : 0;
  for (guint i = 0; i < self->n_items; i++)
    {
      GString *s = g_string_new (NULL);
      guint    votes = 0;

      /* Short, so the drop-down stays narrow: the chart says which criteria. */
      for (guint c = 0; c < CS_CRITERION_N; c++)
        votes += r->suggested[c] == r->k_min + i;
      g_string_append_printf (s, "k = %u", r->k_min + i);
      if (votes > 0)
        g_string_append_printf (s, "  ★%u", votes);
      g_ptr_array_add (items, g_string_free (s, FALSE));
    }
  g_ptr_array_add (items, NULL);
  self->syncing = TRUE;
  gtk_string_list_splice (self->show_k_items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->show_k_items)),
                          (const char *const *)items->pdata);
  if (self->shown_k >= self->k_min && self->shown_k < self->k_min + self->n_items)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->show_k_dropdown), self->shown_k - self->k_min);
  else
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->show_k_dropdown), GTK_INVALID_LIST_POSITION);
  self->syncing = FALSE;
  gtk_widget_set_visible (self->show_k_label, self->n_items > 0);
  gtk_widget_set_visible (self->show_k_dropdown, self->n_items > 0);
}

static void
set_model (CsChooseKPage *self, CsChooseKModel *m)
{
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), cs_render_choose_k, m, (GBoxedCopyFunc)cs_choose_k_model_ref,
                             (GDestroyNotify)cs_choose_k_model_unref);
}

static void
summarise (CsChooseKPage *self, const CsChooseKResult *r)
{
  const CsAlgorithm *algo = cs_registry_lookup (r->algorithm);
  GString           *s = g_string_new ("Suggested k — ");
  g_autofree char   *rows = cs_format_count (r->n);
  gboolean           any = FALSE;

  for (guint c = 0; c < CS_CRITERION_N; c++)
    if (r->criteria & (1u << c))
      {
        if (r->suggested[c] > 0)
          g_string_append_printf (s, "%s%s %u", any ? " · " : "", cs_criterion_name (c), r->suggested[c]);
        else if (r->computed & (1u << c))
          g_string_append_printf (s, "%s%s none", any ? " · " : "", cs_criterion_name (c));
        else
          continue;
        any = TRUE;
      }
  g_string_append_printf (s, " (%s on %s rows, %.1f s)", algo != NULL ? algo->name : r->algorithm, rows, r->seconds);
  gtk_label_set_text (GTK_LABEL (self->status_label), s->str);
  g_string_free (s, TRUE);
}

static void
done (gpointer result, const GError *error, gpointer user_data)
{
  CsChooseKPage *self = user_data;
  g_autoptr (CsChooseKModel) m = result;

  set_busy (self, FALSE);
  if (m == NULL)
    {
      if (g_error_matches (error, CS_ERROR, CS_ERROR_CANCELLED))
        gtk_label_set_text (GTK_LABEL (self->status_label), "Cancelled");
      else
        gtk_label_set_text (GTK_LABEL (self->status_label), error->message);
      cs_page_changed (CS_PAGE (self));
      return;
    }
  set_model (self, m);
  fill_show_k (self, m);
  summarise (self, m->result);
  cs_page_changed (CS_PAGE (self));
}

static void
progress_cb (CsWorker *worker, double fraction, const char *stage, CsChooseKPage *self)
{
  g_autofree char *text = g_strdup_printf ("%s — %.0f %%", stage != NULL ? stage : "Computing",
                                           100 * CLAMP (fraction, 0.0, 1.0));

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), CLAMP (fraction, 0.0, 1.0));
  gtk_label_set_text (GTK_LABEL (self->status_label), text);
}

/* The plotted points and, for each, the clustered row behind it. */
static void
copy_points (CsChooseKPage *self, Input *in)
{
  const CsPlotModel *s = self->scatter;
  const CsPrepared  *prep = self->result->pipeline->prep;
  gsize              n = prep->x->rows;
  g_autofree gsize  *by_row = NULL;
  gsize              max_row = 0;

  if (s == NULL || s->n == 0)
    return;
  for (gsize i = 0; i < n; i++)
    max_row = MAX (max_row, prep->rows != NULL ? prep->rows[i] : i);
  by_row = g_new (gsize, max_row + 1);
  for (gsize r = 0; r <= max_row; r++)
    by_row[r] = G_MAXSIZE;
  for (gsize i = 0; i < n; i++)
    by_row[prep->rows != NULL ? prep->rows[i] : i] = i;
  in->n_points = s->n;
  in->px = g_memdup2 (s->x, s->n * sizeof (double));
  in->py = g_memdup2 (s->y, s->n * sizeof (double));
  in->index = g_new (gsize, s->n);
  for (gsize p = 0; p < s->n; p++)
    {
      gsize row = s->rows != NULL ? s->rows[p] : p;
      in->index[p] = row <= max_row ? by_row[row] : G_MAXSIZE;
    }
}

static void
start (CsChooseKPage *self, CsChooseKResult *reuse)
{
  const CsClustering *c;
  const CsAlgorithm  *algo;
  Input              *in;
  g_autofree char    *rows = NULL;

  if (self->result == NULL || !algorithm_has_k (self->result->pipeline->clustering))
    return;
  c = self->result->pipeline->clustering;
  algo = cs_registry_lookup (c->algorithm);
  in = g_new0 (Input, 1);
  in->result = cs_page_result_ref (self->result);
  in->params = cs_params_copy (c->params);
  cs_choose_k_options_init (&in->options);
  in->options.k_min = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->k_min_spin));
  in->options.k_max = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->k_max_spin));
  in->options.stability_runs = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->runs_spin));
  in->options.gap_references = in->options.stability_runs;
  in->options.criteria = 0;
  for (guint k = 0; k < CS_CRITERION_N; k++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->criteria_checks[k])))
      in->options.criteria |= 1u << k;
  if (in->options.criteria == 0)
    {
      input_free (in);
      gtk_label_set_text (GTK_LABEL (self->status_label), "Choose at least one criterion under Criteria");
      return;
    }
  in->reuse = reuse != NULL ? cs_choose_k_result_ref (reuse) : NULL;
  if (self->graph != NULL)
    {
      in->graph = cs_graph_ref (self->graph);
      in->options.graph = in->graph;
    }
  rows = cs_format_count (c->n);
  in->title = g_strdup_printf ("How many clusters? %s on %s rows", algo->name, rows);
  in->selected_k = c->k;
  copy_points (self, in);
  if (reuse == NULL)
    {
      g_clear_pointer (&self->computed_from, cs_page_result_unref);
      g_free (self->computed_key);
      self->computed_from = cs_page_result_ref (self->result);
      self->computed_key = inputs_key (c);
      self->stale = FALSE;
      set_busy (self, TRUE);
      gtk_label_set_text (GTK_LABEL (self->status_label), "Starting");
    }
  cs_worker_run (self->worker, compute, in, (GDestroyNotify)input_free, (GDestroyNotify)cs_choose_k_model_unref, done,
                 self);
}

static void
compute_clicked_cb (CsChooseKPage *self)
{
  start (self, NULL);
}

static void
cancel_clicked_cb (CsChooseKPage *self)
{
  cs_worker_cancel (self->worker);
}

static gboolean
auto_eligible (CsChooseKPage *self)
{
  return self->result != NULL && self->result->pipeline->clustering->n <= AUTO_MAX_ROWS
         && algorithm_has_k (self->result->pipeline->clustering);
}

static void
shown (CsPage *page)
{
  CsChooseKPage *self = CS_CHOOSE_K_PAGE (page);

  if (cs_page_is_visible (page) && self->stale && !self->busy && auto_eligible (self))
    start (self, NULL);
}

static void
set_points (CsPage *page, const CsPlotModel *scatter)
{
  CS_CHOOSE_K_PAGE (page)->scatter = scatter;
}

static void
cancel (CsPage *page)
{
  CsChooseKPage *self = CS_CHOOSE_K_PAGE (page);

  cs_worker_drop (self->worker);
  set_busy (self, FALSE);
}

static void
set_result (CsPage *page, CsPageResult *result)
{
  CsChooseKPage        *self = CS_CHOOSE_K_PAGE (page);
  const CsChooseKModel *m = cs_figure_view_get_model (CS_FIGURE_VIEW (self->view));
  const CsClustering   *c;

  g_clear_pointer (&self->result, cs_page_result_unref);
  if (result == NULL)
    {
      cancel (page);
      self->stale = TRUE;
      set_model (self, NULL);
      fill_show_k (self, NULL);
      gtk_label_set_text (GTK_LABEL (self->status_label), "");
      gtk_widget_set_sensitive (self->compute_button, FALSE);
      return;
    }
  self->result = cs_page_result_ref (result);
  c = result->pipeline->clustering;
  self->shown_k = c->k;
  if (m != NULL && !self->busy && self->computed_from != NULL && same_data (self->computed_from, result))
    {
      g_autofree char *key = inputs_key (c);

      if (g_strcmp0 (key, self->computed_key) == 0)
        {
          /* Another k of the same run: move the mark, and the heatmap to that k. */
          g_autoptr (CsChooseKModel) moved = cs_choose_k_model_with_selected (m, c->k);
          g_autoptr (CsChooseKResult) r = cs_choose_k_result_ref (m->result);

          set_model (self, moved);
          fill_show_k (self, moved);
          if (r->stability_labels != NULL && moved->heat_k != c->k && cs_choose_k_result_labels (r, c->k) != NULL
              && r->n <= CS_CHOOSE_K_COASSOC_MAX_N)
            start (self, r);
          return;
        }
    }
  cs_worker_drop (self->worker);
  set_busy (self, FALSE);
  self->stale = TRUE;
  set_model (self, NULL);
  fill_show_k (self, NULL);
  if (!algorithm_has_k (c))
    {
      gtk_widget_set_sensitive (self->compute_button, FALSE);
      gtk_label_set_text (GTK_LABEL (self->status_label), "");
      return;
    }
  /* DynMSC's own range is where to look. */
  {
    const CsAlgorithm *algo = cs_registry_lookup (c->algorithm);
    guint              hi = (guint) MIN (c->n > 1 ? c->n - 1 : 1, 200);

    if (cs_algorithm_find_param (algo, "k") == NULL && c->score_by_k != NULL && c->n_scores > 0)
      {
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->k_min_spin), c->score_k_min);
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->k_max_spin), c->score_k_min + c->n_scores - 1);
      }
    gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->k_min_spin), 1, hi);
    gtk_spin_button_set_range (GTK_SPIN_BUTTON (self->k_max_spin), 1, hi);
    {
      g_autofree char *text = g_strdup_printf (
          "Compute runs %s at every k of the range and scores each clustering by the chosen criteria", algo->name);
      gtk_label_set_text (GTK_LABEL (self->status_label), text);
    }
  }
  gtk_widget_set_sensitive (self->compute_button, TRUE);
  shown (page);
}

static void
show_k_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, CsChooseKPage *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (self->syncing || i == GTK_INVALID_LIST_POSITION || i >= self->n_items)
    return;
  if (self->k_min + i == self->shown_k)
    return;
  if (!cs_page_request_k (CS_PAGE (self), self->k_min + i))
    {
      /* Refused (data loading, no result): show what is on screen again. */
      self->syncing = TRUE;
      gtk_drop_down_set_selected (dropdown, self->shown_k >= self->k_min && self->shown_k < self->k_min + self->n_items
                                                ? self->shown_k - self->k_min
                                                : GTK_INVALID_LIST_POSITION);
      self->syncing = FALSE;
      gtk_label_set_text (GTK_LABEL (self->status_label), "That clustering cannot be shown now");
    }
}

static void
view_pressed_cb (GtkGestureClick *gesture, int n_press, double px, double py, CsChooseKPage *self)
{
  const CsChooseKModel *m = cs_figure_view_get_model (CS_FIGURE_VIEW (self->view));
  guint                 k;
  double                w, h;

  if (m == NULL)
    return;
  cs_figure_view_get_canvas (CS_FIGURE_VIEW (self->view), &w, &h);
  cs_figure_view_to_canvas (CS_FIGURE_VIEW (self->view), px, py, &px, &py);
  k = cs_render_choose_k_hit (m, w, h, px, py);
  if (k >= self->k_min && k < self->k_min + self->n_items)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->show_k_dropdown), k - self->k_min);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  CsChooseKPage *self = CS_CHOOSE_K_PAGE (page);

  if (self->result != NULL && algorithm_has_k (self->result->pipeline->clustering))
    return TRUE;
  *why_not = g_strdup (self->result == NULL
                           ? "Run an algorithm with a number of clusters first, such as k-means"
                           : "Only for algorithms with a number of clusters k (not DBSCAN, mean shift or labels "
                             "from a file)");
  return FALSE;
}

static void
set_dataset (CsPage *page, CsDataset *dataset)
{
  CsChooseKPage *self = CS_CHOOSE_K_PAGE (page);

  g_clear_pointer (&self->graph, cs_graph_unref);
  if (dataset != NULL && dataset->graph != NULL)
    self->graph = cs_graph_ref (dataset->graph);
}

static void
cs_choose_k_page_iface_init (CsPageInterface *iface)
{
  iface->name = "choose-k";
  iface->title = "Choose k";
  iface->group = CS_PAGE_GROUP_CLUSTERS;
  iface->set_dataset = set_dataset;
  iface->set_points = set_points;
  iface->set_result = set_result;
  iface->shown = shown;
  iface->cancel = cancel;
  iface->applies = applies;
}

static void
cs_choose_k_page_dispose (GObject *object)
{
  CsChooseKPage *self = CS_CHOOSE_K_PAGE (object);

  if (self->worker != NULL)
    cs_worker_drop (self->worker);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->result, cs_page_result_unref);
  g_clear_pointer (&self->computed_from, cs_page_result_unref);
  g_clear_pointer (&self->computed_key, g_free);
  g_clear_pointer (&self->graph, cs_graph_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_CHOOSE_K_PAGE);
  /* The template's root box is not a bound child: dispose_template leaves it. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (cs_choose_k_page_parent_class)->dispose (object);
}

static void
cs_choose_k_page_class_init (CsChooseKPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_choose_k_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-choose-k-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, view);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, k_min_spin);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, k_max_spin);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, runs_spin);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, criteria_button);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, criteria_box);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, compute_button);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, show_k_label);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, show_k_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, show_k_items);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CsChooseKPage, status_label);
}

static void
cs_choose_k_page_init (CsChooseKPage *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->worker = cs_worker_new (CS_WORKER_REPLACE);
  self->stale = TRUE;
  g_signal_connect (self->worker, "progress", G_CALLBACK (progress_cb), self);

  for (guint c = 0; c < CS_CRITERION_N; c++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (cs_criterion_name (c));
      g_autofree char *name = g_strdup_printf ("Compute %s", cs_criterion_name (c));

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_box_append (GTK_BOX (self->criteria_box), check);
      self->criteria_checks[c] = check;
    }

  g_signal_connect_swapped (self->compute_button, "clicked", G_CALLBACK (compute_clicked_cb), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  g_signal_connect (self->show_k_dropdown, "notify::selected", G_CALLBACK (show_k_selected_cb), self);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (view_pressed_cb), self);
  gtk_widget_add_controller (self->view, GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_visible (self->show_k_label, FALSE);
  gtk_widget_set_visible (self->show_k_dropdown, FALSE);
  gtk_widget_set_sensitive (self->compute_button, FALSE);
}
