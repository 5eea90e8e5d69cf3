#include "ui/cs-window-private.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "cs-resources.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-scroll-guard.h"
#include "ui/widgets/cs-column-chooser.h"
#include "ui/pages/cs-choose-k-page.h"
#include "ui/pages/cs-compare-page.h"
#include "ui/pages/cs-convergence-page.h"
#include "ui/pages/cs-density-page.h"
#include "ui/pages/cs-diagnostics-page.h"
#include "ui/pages/cs-images-page.h"
#include "ui/pages/cs-privacy-page.h"
#include "ui/pages/cs-silhouette-page.h"
#include "ui/pages/cs-dendrogram-page.h"
#include "ui/pages/cs-ppp-page.h"
#include "ui/pages/cs-sdp-page.h"
#include "ui/pages/cs-table-page.h"
#include "ui/pages/cs-graph-page.h"
#include "ui/pages/cs-kdistance-page.h"
#include "ui/pages/cs-kernel-page.h"
#include "ui/pages/cs-plain-log-page.h"
#include "ui/pages/cs-novel-page.h"
#include "ui/pages/cs-hdbscan-tree-page.h"

/* Every view, in switcher order within its group (CsPageInterface.group): adding a view is
 * one CsPage widget and one line here. The scatter page comes first: it is the view a new
 * dataset or result falls back to. */
static GType (*const page_types[]) (void) = {
  /* The groups appear in the order of their first page: Data (scatter, table, graph), Clusters
   * (each result view, then choosing k and comparing), Structure (trees, kernels, the SDP
   * certificate), Density, Explain. */
  cs_scatter_page_get_type,     cs_table_page_get_type,       cs_graph_page_get_type,
  cs_silhouette_page_get_type,  cs_convergence_page_get_type, cs_images_page_get_type,
  cs_choose_k_page_get_type,    cs_kdistance_page_get_type,   cs_dendrogram_page_get_type,  cs_ppp_page_get_type,
  cs_sdp_page_get_type,         cs_plain_log_page_get_type,   cs_kernel_page_get_type,   cs_compare_page_get_type,
  /* Density and Explain */
  cs_density_page_get_type,     cs_diagnostics_page_get_type, cs_privacy_page_get_type,
  cs_saliency_page_get_type,
  cs_novel_page_get_type,
  cs_hdbscan_tree_page_get_type,
};

G_DEFINE_FINAL_TYPE (CsWindow, cs_window, GTK_TYPE_APPLICATION_WINDOW)

/* Status, errors, busy state */

void
cs_i_window_set_status (CsWindow *self, const char *text)
{
  g_free (self->status_text);
  self->status_text = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (self->status_label), cs_i_window_teach_status (self, text));
  /* A long line of scores is cut at the window's edge: the tooltip has all of it. */
  gtk_widget_set_tooltip_text (self->status_label, text);
}

void
cs_i_window_show_error (CsWindow *self, const char *message)
{
  g_free (self->error_text);
  self->error_text = g_strdup (message);
  gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), TRUE);
}

void
cs_i_window_hide_error (CsWindow *self)
{
  g_clear_pointer (&self->error_text, g_free);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), FALSE);
}

gboolean
cs_i_window_is_loading (CsWindow *self)
{
  return cs_worker_is_busy (self->load_worker);
}

gboolean
cs_window_is_busy (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), FALSE);

  return self->job != NULL || cs_i_window_is_loading (self) || cs_worker_is_busy (self->model_worker)
         || self->n_writes > 0 || cs_i_window_distances_busy (self)
         || (self->session_worker != NULL && cs_worker_is_busy (self->session_worker))
         || cs_i_window_selection_busy (self);
}

void
cs_i_window_set_progress (CsWindow *self, double fraction, const char *text)
{
  if (fraction < 0)
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->progress_bar));
  else
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), CLAMP (fraction, 0.0, 1.0));
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), text);
}

void
cs_i_window_update_actions (CsWindow *self)
{
  gboolean           running = self->job != NULL;
  gboolean           busy = running || cs_i_window_is_loading (self) || cs_i_window_distances_busy (self);
  const CsPlotModel *model = cs_plot_view_get_model (cs_scatter_page_get_plot_view (self->scatter_page));
  gboolean           have_saliency = cs_saliency_page_get_report (self->saliency_page) != NULL;
  gboolean           have_result = self->result != NULL;
  gboolean           distances_fit;
  GAction           *action;

  if (self->disposed)
    return;
  distances_fit = cs_i_window_distances_sync (self);

#define ENABLE(name, cond)                                                                                   \
  action = g_action_map_lookup_action (G_ACTION_MAP (self), name);                                           \
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), (cond));

  ENABLE ("run", self->dataset != NULL && !busy && distances_fit
                     && cs_params_panel_get_algorithm (CS_PARAMS_PANEL (self->params_panel)) != NULL);
  ENABLE ("cancel", busy);
  ENABLE ("open-distances", self->dataset != NULL && !cs_i_window_is_loading (self));
  ENABLE ("open-distances-path", self->dataset != NULL && !cs_i_window_is_loading (self));
  ENABLE ("open-labels", self->dataset != NULL && !cs_i_window_is_loading (self));
  ENABLE ("open-labels-path", self->dataset != NULL && !cs_i_window_is_loading (self));
  ENABLE ("clear-distances", self->distances != NULL);
  ENABLE ("export", model != NULL);
  ENABLE ("export-to", model != NULL);
  ENABLE ("export-labels", have_result);
  ENABLE ("export-labels-to", have_result);
  ENABLE ("export-results", have_result);
  ENABLE ("export-results-to", have_result);
  ENABLE ("export-saliency", have_saliency);
  ENABLE ("export-saliency-to", have_saliency);
  ENABLE ("reset-zoom", model != NULL);
  ENABLE ("save-session", self->dataset != NULL && !cs_i_window_is_loading (self));
  ENABLE ("save-session-as", self->dataset != NULL && !cs_i_window_is_loading (self));
  ENABLE ("save-session-to", self->dataset != NULL && !cs_i_window_is_loading (self));
  ENABLE ("copy-command", have_result);
#undef ENABLE

  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_set_visible (self->run_button, !running);
  gtk_widget_set_sensitive (self->x_dropdown, self->dataset != NULL);
  gtk_widget_set_sensitive (self->y_dropdown, self->dataset != NULL);
  cs_i_window_selection_update_actions (self);
}

char *
cs_i_window_format_seconds (double s)
{
  if (s < 0.01)
    return g_strdup_printf ("%.1f ms", s * 1000);
  if (s < 1.0)
    return g_strdup_printf ("%.0f ms", s * 1000);
  if (s < 60.0)
    return g_strdup_printf ("%.2f s", s);
  return g_strdup_printf ("%.0f min %.0f s", floor (s / 60), fmod (s, 60));
}

/* Pages and navigation */

CsPage *
cs_i_window_find_page (CsWindow *self, const char *name)
{
  for (guint i = 0; i < self->pages->len; i++)
    if (g_strcmp0 (cs_page_get_name (g_ptr_array_index (self->pages, i)), name) == 0)
      return g_ptr_array_index (self->pages, i);
  return NULL;
}

CsPage *
cs_i_window_visible_page (CsWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (GTK_STACK (self->view_stack));

  return child != NULL ? CS_PAGE (child) : NULL;
}

static gboolean
result_has_medoids (CsWindow *self)
{
  return self->result != NULL && self->result->pipeline->clustering->medoids != NULL;
}

/* The switcher follows the stack: the visible page's group and button are the active ones,
 * every button says whether its page applies (and why not, in its tooltip). Buttons never
 * move: a page that does not apply stays in its place, insensitive. */
static void
sync_navigation (CsWindow *self)
{
  CsPage  *visible = cs_i_window_visible_page (self);
  gboolean group_applies[CS_PAGE_N_GROUPS] = { FALSE };
  char    *group_reason[CS_PAGE_N_GROUPS] = { NULL };

  if (self->disposed)
    return;
  self->syncing_nav = TRUE;
  for (guint i = 0; i < self->pages->len; i++)
    {
      CsPage          *page = g_ptr_array_index (self->pages, i);
      GtkWidget       *button = g_ptr_array_index (self->view_buttons, i);
      CsPageGroup      group = cs_page_get_group (page);
      g_autofree char *why_not = NULL;
      gboolean         applies = cs_page_applies (page, &why_not);

      gtk_button_set_label (GTK_BUTTON (button), cs_page_get_title (page));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      cs_page_get_title (page), -1);
      gtk_widget_set_sensitive (button, applies);
      gtk_widget_set_tooltip_text (button, applies ? NULL : why_not);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), page == visible);
      group_applies[group] |= applies;
      if (!applies && group_reason[group] == NULL)
        group_reason[group] = g_steal_pointer (&why_not);
    }
  for (guint g = 0; g < CS_PAGE_N_GROUPS; g++)
    {
      GtkWidget *button = self->group_buttons[g];

      if (button != NULL)
        {
          gtk_widget_set_sensitive (button, group_applies[g]);
          gtk_widget_set_tooltip_text (button, group_applies[g] ? NULL : group_reason[g]);
          gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button),
                                        visible != NULL && cs_page_get_group (visible) == g);
        }
      g_free (group_reason[g]);
    }
  if (visible != NULL)
    gtk_stack_set_visible_child_name (GTK_STACK (self->group_stack),
                                      cs_page_group_title (cs_page_get_group (visible)));
  self->syncing_nav = FALSE;

  gtk_widget_set_visible (self->view_bar, self->dataset != NULL);
  gtk_widget_set_visible (self->links_button,
                          result_has_medoids (self) && visible == CS_PAGE (self->scatter_page));
}

gboolean
cs_i_window_show_view (CsWindow *self, const char *name)
{
  CsPage *page = cs_i_window_find_page (self, name);

  if (page == NULL || !cs_page_applies (page, NULL))
    {
      sync_navigation (self);
      return FALSE;
    }
  gtk_stack_set_visible_child (GTK_STACK (self->view_stack), GTK_WIDGET (page));
  return TRUE;
}

/* After the data changed: a visible page that no longer applies gives way to the scatter
 * plot, and the switcher shows what applies now. */
static void
pages_changed (CsWindow *self)
{
  CsPage *visible = cs_i_window_visible_page (self);

  if (visible == NULL || !cs_page_applies (visible, NULL))
    gtk_stack_set_visible_child (GTK_STACK (self->view_stack), GTK_WIDGET (self->scatter_page));
  sync_navigation (self);
  cs_i_window_update_actions (self);
}

static void
view_changed_cb (GtkStack *stack, GParamSpec *pspec, CsWindow *self)
{
  CsPage *visible = cs_i_window_visible_page (self);

  if (self->disposed || visible == NULL)
    return;
  g_free (self->last_view[cs_page_get_group (visible)]);
  self->last_view[cs_page_get_group (visible)] = g_strdup (cs_page_get_name (visible));
  sync_navigation (self);
  cs_page_shown (visible);
}

static void
view_button_toggled_cb (GtkToggleButton *button, CsWindow *self)
{
  if (self->syncing_nav || !gtk_toggle_button_get_active (button))
    return;
  cs_i_window_show_view (self, g_object_get_data (G_OBJECT (button), "cs-page"));
}

/* A group shows the view last shown in it, else its first one that applies. */
static void
group_button_toggled_cb (GtkToggleButton *button, CsWindow *self)
{
  CsPageGroup group = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "cs-group"));

  if (self->syncing_nav || !gtk_toggle_button_get_active (button))
    return;
  if (self->last_view[group] != NULL && cs_i_window_show_view (self, self->last_view[group]))
    return;
  for (guint i = 0; i < self->pages->len; i++)
    {
      CsPage *page = g_ptr_array_index (self->pages, i);

      if (cs_page_get_group (page) == group && cs_i_window_show_view (self, cs_page_get_name (page)))
        return;
    }
  sync_navigation (self);
}

static gboolean
page_set_axes_cb (CsPage *page, const char *x_column, const char *y_column, CsWindow *self)
{
  return cs_window_set_axes (self, x_column, y_column);
}

static gboolean
page_show_k_cb (CsPage *page, guint k, CsWindow *self)
{
  return cs_window_show_k (self, k);
}

static gboolean
page_rerun_with_cb (CsPage *page, const char *name, const char *value, CsWindow *self)
{
  return cs_window_rerun_with (self, name, value);
}

static void
page_select_rows_cb (CsPage *page, gpointer rows, guint64 n, CsWindow *self)
{
  cs_window_set_selection (self, rows, (gsize) n);
}

static void
page_changed_cb (CsPage *page, CsWindow *self)
{
  if (!self->disposed)
    {
      sync_navigation (self);
      cs_i_window_update_actions (self);
    }
}

/* Creates the pages and their switcher: a linked row of group buttons, and for the shown
 * group a linked row of its views. */
static void
add_pages (CsWindow *self)
{
  GtkWidget *rows[CS_PAGE_N_GROUPS] = { NULL };
  GtkWidget *first_group = NULL;
  GtkWidget *first_view = NULL;

  self->pages = g_ptr_array_new ();
  self->view_buttons = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (page_types); i++)
    {
      CsPage     *page = g_object_new (page_types[i] (), NULL);
      CsPageGroup group = cs_page_get_group (page);
      GtkWidget  *button = gtk_toggle_button_new_with_label (cs_page_get_title (page));

      gtk_stack_add_named (GTK_STACK (self->view_stack), GTK_WIDGET (page), cs_page_get_name (page));
      g_ptr_array_add (self->pages, page);
      g_signal_connect (page, "set-axes", G_CALLBACK (page_set_axes_cb), self);
      g_signal_connect (page, "show-k", G_CALLBACK (page_show_k_cb), self);
      g_signal_connect (page, "changed", G_CALLBACK (page_changed_cb), self);
      g_signal_connect (page, "select-rows", G_CALLBACK (page_select_rows_cb), self);
      g_signal_connect (page, "rerun-with", G_CALLBACK (page_rerun_with_cb), self);

      if (rows[group] == NULL)
        {
          GtkWidget *group_button = gtk_toggle_button_new_with_label (cs_page_group_title (group));

          rows[group] = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
          gtk_widget_add_css_class (rows[group], "linked");
          gtk_stack_add_named (GTK_STACK (self->group_stack), rows[group], cs_page_group_title (group));
          gtk_accessible_update_property (GTK_ACCESSIBLE (rows[group]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          cs_page_group_title (group), -1);
          g_object_set_data (G_OBJECT (group_button), "cs-group", GUINT_TO_POINTER (group));
          g_signal_connect (group_button, "toggled", G_CALLBACK (group_button_toggled_cb), self);
          gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (group_button),
                                       first_group != NULL ? GTK_TOGGLE_BUTTON (first_group) : NULL);
          gtk_box_append (GTK_BOX (self->group_box), group_button);
          self->group_buttons[group] = group_button;
          if (first_group == NULL)
            first_group = group_button;
        }
      g_object_set_data (G_OBJECT (button), "cs-page", (gpointer)cs_page_get_name (page));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      cs_page_get_title (page), -1);
      g_signal_connect (button, "toggled", G_CALLBACK (view_button_toggled_cb), self);
      gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button),
                                   first_view != NULL ? GTK_TOGGLE_BUTTON (first_view) : NULL);
      if (first_view == NULL)
        first_view = button;
      gtk_box_append (GTK_BOX (rows[group]), button);
      g_ptr_array_add (self->view_buttons, button);

      if (CS_IS_SCATTER_PAGE (page))
        self->scatter_page = CS_SCATTER_PAGE (page);
      if (CS_IS_SALIENCY_PAGE (page))
        self->saliency_page = CS_SALIENCY_PAGE (page);
    }
  g_assert (self->scatter_page != NULL && self->saliency_page != NULL);
  gtk_stack_set_visible_child (GTK_STACK (self->view_stack), GTK_WIDGET (self->scatter_page));
  g_signal_connect (self->view_stack, "notify::visible-child", G_CALLBACK (view_changed_cb), self);
}

/* The data the pages see */

static gboolean
same_points (const CsPlotModel *a, const CsPlotModel *b)
{
  if (a == NULL || b == NULL || a->n != b->n)
    return FALSE;
  if (a->rows != NULL && b->rows != NULL)
    return memcmp (a->rows, b->rows, a->n * sizeof (gsize)) == 0;
  return a->rows == NULL && b->rows == NULL;
}

static gboolean
links_enabled (CsWindow *self)
{
  g_autoptr (GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (self), "medoid-links");

  return state != NULL && g_variant_get_boolean (state);
}

static void
set_points (CsWindow *self, CsPlotModel *model)
{
  CsPlotView        *view = cs_scatter_page_get_plot_view (self->scatter_page);
  const CsPlotModel *shown;

  cs_plot_view_set_model (view, model, model != NULL ? self->dataset : NULL);
  shown = cs_plot_view_get_model (view);
  for (guint i = 0; i < self->pages->len; i++)
    cs_page_set_points (g_ptr_array_index (self->pages, i), shown);
  pages_changed (self);
}

void
cs_i_window_show_model (CsWindow *self, CsPlotModel *model)
{
  const CsPlotModel *previous = cs_plot_view_get_model (cs_scatter_page_get_plot_view (self->scatter_page));

  model->show_medoid_links = links_enabled (self);
  if (model->labels != NULL && previous != NULL && previous->labels != NULL && same_points (model, previous))
    cs_plot_model_match_colors (model, previous);
  set_points (self, model);
  cs_i_window_teach_model_shown (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "plot");
}

void
cs_i_window_show_model_as_is (CsWindow *self, CsPlotModel *model)
{
  model->show_medoid_links = links_enabled (self);
  set_points (self, model);
  cs_i_window_teach_model_shown (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "plot");
}

void
cs_i_window_set_result (CsWindow *self, CsPageResult *result)
{
  g_clear_pointer (&self->result, cs_page_result_unref);
  g_clear_object (&self->result_job);
  self->result = result;
  if (result == NULL)
    {
      g_clear_pointer (&self->result_status, g_free);
      g_clear_object (&self->result_job);
    }
  for (guint i = 0; i < self->pages->len; i++)
    cs_page_set_result (g_ptr_array_index (self->pages, i), result);
  pages_changed (self);
}

void
cs_i_window_set_dataset (CsWindow *self, CsDataset *dataset)
{
  cs_i_window_undo_dataset_replacing (self);
  g_clear_pointer (&self->dataset, cs_dataset_unref);
  self->dataset = dataset;
  cs_i_window_history_clear (self);
  for (guint i = 0; i < self->pages->len; i++)
    cs_page_set_dataset (g_ptr_array_index (self->pages, i), dataset);
  cs_i_window_set_result (self, NULL);
  cs_window_set_selection (self, NULL, 0);
  /* A new dataset: nothing to match colours with. */
  set_points (self, NULL);
}

void
cs_window_set_selection (CsWindow *self, const gsize *rows, gsize n)
{
  gsize *copy;

  g_return_if_fail (CS_IS_WINDOW (self));

  /* Copied first: `rows` may be a page's own array, which set_selection replaces. */
  copy = n > 0 ? g_memdup2 (rows, n * sizeof (gsize)) : NULL;
  g_free (self->selection);
  self->selection = copy;
  self->n_selection = n;
  for (guint i = 0; i < self->pages->len; i++)
    cs_page_set_selection (g_ptr_array_index (self->pages, i), self->selection, self->n_selection);
  cs_i_window_selection_update_actions (self);
}

const gsize *
cs_window_get_selection (CsWindow *self, gsize *n)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  *n = self->n_selection;
  return self->selection;
}

const CsPipelineResult *
cs_window_get_result (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return self->result != NULL ? self->result->pipeline : NULL;
}

const char *
cs_window_get_view (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (GTK_STACK (self->view_stack));
}

GtkWidget *
cs_window_get_view_page (CsWindow *self, const char *name)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return GTK_WIDGET (cs_i_window_find_page (self, name));
}

/* Object */

void
cs_i_window_cancel_all (CsWindow *self)
{
  if (self->job != NULL)
    {
      cs_job_cancel (self->job);
      g_signal_handlers_disconnect_by_data (self->job, self);
      g_clear_object (&self->job);
    }
  if (self->load_worker != NULL)
    cs_worker_drop (self->load_worker);
  if (self->model_worker != NULL)
    cs_worker_drop (self->model_worker);
  for (guint i = 0; self->pages != NULL && i < self->pages->len; i++)
    cs_page_cancel (g_ptr_array_index (self->pages, i));
  cs_i_window_distances_cancel (self);
  if (self->session_worker != NULL)
    cs_worker_drop (self->session_worker);
  cs_i_window_teach_cancel (self);
  cs_i_window_selection_cancel (self);
}

/* gtk_window_destroy() unrealizes the window before dropping its reference: stop every
 * worker here, so that closing a window stops its computation at once. */
static void
cs_window_unrealize (GtkWidget *widget)
{
  cs_i_window_cancel_all (CS_WINDOW (widget));

  GTK_WIDGET_CLASS (cs_window_parent_class)->unrealize (widget);
}

static void
cs_window_dispose (GObject *object)
{
  CsWindow *self = CS_WINDOW (object);

  self->disposed = TRUE;
  cs_i_window_cancel_all (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), CS_TYPE_WINDOW);

  G_OBJECT_CLASS (cs_window_parent_class)->dispose (object);
}

static void
cs_window_finalize (GObject *object)
{
  CsWindow *self = CS_WINDOW (object);

  g_clear_pointer (&self->dataset, cs_dataset_unref);
  g_clear_pointer (&self->result, cs_page_result_unref);
  cs_i_window_distances_finalize (self);
  cs_i_window_session_finalize (self);
  cs_i_window_history_finalize (self);
  cs_i_window_teach_finalize (self);
  cs_i_window_selection_finalize (self);
  g_clear_pointer (&self->selection, g_free);
  cs_i_window_undo_finalize (self);
  g_clear_object (&self->load_worker);
  g_clear_object (&self->model_worker);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->view_buttons, g_ptr_array_unref);
  for (guint g = 0; g < CS_PAGE_N_GROUPS; g++)
    g_free (self->last_view[g]);
  g_clear_pointer (&self->axis_columns, g_array_unref);
  g_free (self->result_status);
  g_free (self->status_text);
  g_free (self->error_text);
  g_free (self->loading_path);

  G_OBJECT_CLASS (cs_window_parent_class)->finalize (object);
}

static void
cs_window_class_init (CsWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_window_dispose;
  object_class->finalize = cs_window_finalize;
  widget_class->unrealize = cs_window_unrealize;

  /* Referencing the bundle keeps its object (and the constructor that registers it) in the
   * link: nothing else names it, and a static library drops unreferenced objects. */
  (void)cs_get_resource ();
  g_type_ensure (CS_TYPE_PARAMS_PANEL);
  g_type_ensure (CS_TYPE_COLUMN_CHOOSER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/cs-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CsWindow, name)
  BIND (title_label);
  BIND (subtitle_label);
  BIND (run_button);
  BIND (cancel_button);
  BIND (sidebar_run_button);
  BIND (sidebar_cancel_button);
  BIND (error_revealer);
  BIND (error_label);
  BIND (dataset_name_label);
  BIND (dataset_size_label);
  BIND (columns_list);
  BIND (notices_label);
  BIND (x_dropdown);
  BIND (y_dropdown);
  BIND (scaling_dropdown);
  BIND (missing_dropdown);
  BIND (missing_info_label);
  BIND (algorithm_dropdown);
  BIND (algorithm_description_label);
  BIND (distances_box);
  BIND (distances_label);
  BIND (distances_hint_label);
  BIND (params_panel);
  BIND (progress_bar);
  BIND (stack);
  BIND (recent_heading);
  BIND (recent_list);
  BIND (samples_list);
  BIND (toys_list);
  BIND (loading_label);
  BIND (loading_spinner);
  BIND (status_label);
  BIND (view_bar);
  BIND (group_box);
  BIND (group_stack);
  BIND (view_stack);
  BIND (links_button);
  BIND (samples_menu);
  BIND (toys_menu);
  BIND (history_button);
  BIND (undo_menu);
#undef BIND
}

static void
cs_window_init (CsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  cs_i_window_data_init (self);
  cs_i_window_session_init (self);
  cs_i_window_history_init (self);
  cs_i_window_distances_init (self);
  add_pages (self);
  cs_i_window_actions_init (self);
  cs_i_window_sidebar_init (self);
  cs_i_window_welcome_init (self);
  cs_i_window_undo_init (self);
  cs_i_window_teach_init (self);
  cs_i_window_selection_init (self);

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "welcome");
  cs_i_window_set_status (self, "No dataset");
  pages_changed (self);
  /* The sidebar and the pages' option panels scroll: the wheel is theirs unless a spin button,
   * scale or drop-down has the focus. */
  cs_scroll_guard_attach_all (GTK_WIDGET (self));
}

CsWindow *
cs_window_new (GtkApplication *app)
{
  return g_object_new (CS_TYPE_WINDOW, "application", app, NULL);
}

gboolean
cs_window_has_dataset (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), FALSE);

  return self->dataset != NULL || cs_i_window_is_loading (self);
}

CsDataset *
cs_window_get_dataset (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return self->dataset;
}

const char *
cs_window_get_status_text (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return self->status_text;
}

const char *
cs_window_get_error_text (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return self->error_text;
}

CsPlotView *
cs_window_get_plot_view (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return cs_scatter_page_get_plot_view (self->scatter_page);
}

CsParamsPanel *
cs_window_get_params_panel (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return CS_PARAMS_PANEL (self->params_panel);
}

const char *
cs_window_get_page (CsWindow *self)
{
  g_return_val_if_fail (CS_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

void
cs_window_install_style (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (css, "/org/clusterscope/Clusterscope/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&installed, 1);
    }
}
