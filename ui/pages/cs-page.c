#include "ui/pages/cs-page.h"

#include "ui/cs-figure-view.h"
#include "ui/cs-plot-view.h"
#include "ui/render/cs-render-style.h"

CsPageResult *
cs_page_result_new (CsPipelineResult *pipeline)
{
  CsPageResult *r = g_rc_box_new0 (CsPageResult);

  r->pipeline = pipeline;
  return r;
}

static void
result_clear (gpointer data)
{
  CsPageResult *r = data;

  g_clear_pointer (&r->pipeline, cs_pipeline_result_free);
  g_clear_pointer (&r->title, g_free);
}

CsPageResult *
cs_page_result_ref (CsPageResult *r)
{
  return g_rc_box_acquire (r);
}

void
cs_page_result_unref (CsPageResult *r)
{
  g_rc_box_release_full (r, result_clear);
}

const char *
cs_page_group_title (CsPageGroup group)
{
  static const char *const titles[] = { "Clusters", "Density", "Explain", "Data", "Structure" };

  g_return_val_if_fail (group < CS_PAGE_N_GROUPS, NULL);
  return titles[group];
}

enum
{
  SET_AXES,
  SHOW_K,
  CHANGED,
  SELECT_ROWS,
  RERUN_WITH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_INTERFACE (CsPage, cs_page, GTK_TYPE_WIDGET)

/* The first CsFigureView at or below `widget`, depth first, or NULL. */
static GtkWidget *
find_figure_view (GtkWidget *widget)
{
  if (CS_IS_FIGURE_VIEW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_figure_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
default_get_figure (CsPage *page, CsRenderFunc *func, gpointer *model, GDestroyNotify *unref)
{
  GtkWidget *view = find_figure_view (GTK_WIDGET (page));

  if (view == NULL || cs_figure_view_get_model (CS_FIGURE_VIEW (view)) == NULL)
    return FALSE;
  *func = cs_figure_view_get_func (CS_FIGURE_VIEW (view));
  *model = cs_figure_view_dup_model (CS_FIGURE_VIEW (view), unref);
  return *model != NULL;
}

/* Every figure at or below `widget`, the scatter plot's widget included. */
static void
present_figures (GtkWidget *widget, gboolean on)
{
  double        scale = on ? CS_STYLE_PRESENTER_SCALE : 1.0;
  CsPaletteKind palette = on ? CS_STYLE_PRESENTER_PALETTE : CS_PALETTE_DEFAULT;

  if (CS_IS_FIGURE_VIEW (widget))
    {
      cs_figure_view_set_scale (CS_FIGURE_VIEW (widget), scale);
      cs_figure_view_set_palette (CS_FIGURE_VIEW (widget), palette);
    }
  else if (CS_IS_PLOT_VIEW (widget))
    {
      cs_plot_view_set_scale (CS_PLOT_VIEW (widget), scale);
      cs_plot_view_set_palette (CS_PLOT_VIEW (widget), palette);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    present_figures (child, on);
}

static void
default_set_presenter (CsPage *page, gboolean on)
{
  present_figures (GTK_WIDGET (page), on);
}

static void
cs_page_default_init (CsPageInterface *iface)
{
  iface->get_figure = default_get_figure;
  iface->set_presenter = default_set_presenter;

  /**
   * CsPage::set-axes:
   * @x_column: a dataset column's name
   * @y_column: a dataset column's name
   *
   * The page asks for the scatter plot to show these two columns; the handler returns TRUE
   * when it did.
   */
  signals[SET_AXES] = g_signal_new ("set-axes", CS_TYPE_PAGE, G_SIGNAL_RUN_LAST, 0, g_signal_accumulator_first_wins,
                                    NULL, NULL, G_TYPE_BOOLEAN, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * CsPage::show-k:
   * @k: a number of clusters
   *
   * The page asks for the clustering the current result recorded for @k (a point of a
   * model-selection curve) to become the current result; the handler returns TRUE when it
   * started that (or @k is already shown).
   */
  signals[SHOW_K] = g_signal_new ("show-k", CS_TYPE_PAGE, G_SIGNAL_RUN_LAST, 0, g_signal_accumulator_first_wins,
                                  NULL, NULL, G_TYPE_BOOLEAN, 1, G_TYPE_UINT);
  /**
   * CsPage::changed:
   *
   * What the page offers changed on its own (applies, title, exports): the window refreshes
   * its navigation and actions.
   */
  signals[CHANGED]
      = g_signal_new ("changed", CS_TYPE_PAGE, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * CsPage::select-rows:
   * @rows: (array length=n): dataset rows, ascending, borrowed for the emission
   * @n: how many
   *
   * The user selected these rows on the page; the window shares them with every page.
   */
  signals[SELECT_ROWS] = g_signal_new ("select-rows", CS_TYPE_PAGE, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT64);
  /**
   * CsPage::rerun-with:
   * @name: a parameter of the current result's algorithm ("eps")
   * @value: its new value as text, as cs_params_set() reads it
   *
   * The page asks for the current result's run again with one parameter changed (a radius
   * picked on the k-distance plot), shown everywhere; the handler returns TRUE when it started
   * that run.
   */
  signals[RERUN_WITH] = g_signal_new ("rerun-with", CS_TYPE_PAGE, G_SIGNAL_RUN_LAST, 0, g_signal_accumulator_first_wins,
                                      NULL, NULL, G_TYPE_BOOLEAN, 2, G_TYPE_STRING, G_TYPE_STRING);
}

const char *
cs_page_get_name (CsPage *page)
{
  g_return_val_if_fail (CS_IS_PAGE (page), NULL);

  return CS_PAGE_GET_IFACE (page)->name;
}

const char *
cs_page_get_title (CsPage *page)
{
  CsPageInterface *iface;

  g_return_val_if_fail (CS_IS_PAGE (page), NULL);

  iface = CS_PAGE_GET_IFACE (page);
  return iface->get_title != NULL ? iface->get_title (page) : iface->title;
}

CsPageGroup
cs_page_get_group (CsPage *page)
{
  g_return_val_if_fail (CS_IS_PAGE (page), CS_PAGE_GROUP_CLUSTERS);

  return CS_PAGE_GET_IFACE (page)->group;
}

void
cs_page_set_dataset (CsPage *page, CsDataset *dataset)
{
  CsPageInterface *iface;

  g_return_if_fail (CS_IS_PAGE (page));

  iface = CS_PAGE_GET_IFACE (page);
  if (iface->set_dataset != NULL)
    iface->set_dataset (page, dataset);
}

void
cs_page_set_result (CsPage *page, CsPageResult *result)
{
  CsPageInterface *iface;

  g_return_if_fail (CS_IS_PAGE (page));

  iface = CS_PAGE_GET_IFACE (page);
  if (iface->set_result != NULL)
    iface->set_result (page, result);
}

void
cs_page_set_points (CsPage *page, const CsPlotModel *scatter)
{
  CsPageInterface *iface;

  g_return_if_fail (CS_IS_PAGE (page));

  iface = CS_PAGE_GET_IFACE (page);
  if (iface->set_points != NULL)
    iface->set_points (page, scatter);
}

void
cs_page_set_history (CsPage *page, GPtrArray *history)
{
  CsPageInterface *iface;

  g_return_if_fail (CS_IS_PAGE (page));

  iface = CS_PAGE_GET_IFACE (page);
  if (iface->set_history != NULL)
    iface->set_history (page, history);
}

void
cs_page_set_selection (CsPage *page, const gsize *rows, gsize n)
{
  CsPageInterface *iface;

  g_return_if_fail (CS_IS_PAGE (page));

  iface = CS_PAGE_GET_IFACE (page);
  if (iface->set_selection != NULL)
    iface->set_selection (page, rows, n);
}

void
cs_page_shown (CsPage *page)
{
  CsPageInterface *iface;

  g_return_if_fail (CS_IS_PAGE (page));

  iface = CS_PAGE_GET_IFACE (page);
  if (iface->shown != NULL)
    iface->shown (page);
}

void
cs_page_cancel (CsPage *page)
{
  CsPageInterface *iface;

  g_return_if_fail (CS_IS_PAGE (page));

  iface = CS_PAGE_GET_IFACE (page);
  if (iface->cancel != NULL)
    iface->cancel (page);
}

gboolean
cs_page_applies (CsPage *page, char **why_not)
{
  CsPageInterface *iface;
  g_autofree char *reason = NULL;
  gboolean         applies;

  g_return_val_if_fail (CS_IS_PAGE (page), FALSE);

  /* Implementations always get somewhere to write their reason. */
  iface = CS_PAGE_GET_IFACE (page);
  applies = iface->applies == NULL || iface->applies (page, &reason);
  if (why_not != NULL)
    *why_not = applies ? NULL : g_steal_pointer (&reason);
  return applies;
}

gboolean
cs_page_get_figure (CsPage *page, CsRenderFunc *func, gpointer *model, GDestroyNotify *unref)
{
  CsPageInterface *iface;

  g_return_val_if_fail (CS_IS_PAGE (page), FALSE);
  g_return_val_if_fail (func != NULL && model != NULL && unref != NULL, FALSE);

  *func = NULL;
  *model = NULL;
  *unref = NULL;
  iface = CS_PAGE_GET_IFACE (page);
  return iface->get_figure != NULL && iface->get_figure (page, func, model, unref);
}

void
cs_page_set_presenter (CsPage *page, gboolean on)
{
  CsPageInterface *iface;

  g_return_if_fail (CS_IS_PAGE (page));

  iface = CS_PAGE_GET_IFACE (page);
  if (iface->set_presenter != NULL)
    iface->set_presenter (page, on);
}

gboolean
cs_page_is_visible (CsPage *page)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (page));

  return GTK_IS_STACK (parent) && gtk_stack_get_visible_child (GTK_STACK (parent)) == GTK_WIDGET (page);
}

gboolean
cs_page_request_axes (CsPage *page, const char *x_column, const char *y_column)
{
  gboolean done = FALSE;

  g_return_val_if_fail (CS_IS_PAGE (page), FALSE);

  g_signal_emit (page, signals[SET_AXES], 0, x_column, y_column, &done);
  return done;
}

gboolean
cs_page_request_k (CsPage *page, guint k)
{
  gboolean done = FALSE;

  g_return_val_if_fail (CS_IS_PAGE (page), FALSE);

  g_signal_emit (page, signals[SHOW_K], 0, k, &done);
  return done;
}

void
cs_page_changed (CsPage *page)
{
  g_return_if_fail (CS_IS_PAGE (page));

  g_signal_emit (page, signals[CHANGED], 0);
}

void
cs_page_request_selection (CsPage *page, const gsize *rows, gsize n)
{
  g_return_if_fail (CS_IS_PAGE (page));

  g_signal_emit (page, signals[SELECT_ROWS], 0, rows, (guint64) n);
}

gboolean
cs_page_request_rerun (CsPage *page, const char *name, const char *value)
{
  gboolean done = FALSE;

  g_return_val_if_fail (CS_IS_PAGE (page), FALSE);
  g_return_val_if_fail (name != NULL && value != NULL, FALSE);

  g_signal_emit (page, signals[RERUN_WITH], 0, name, value, &done);
  return done;
}
