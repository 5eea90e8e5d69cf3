#include "ui/pages/cs-scatter-page.h"

#include <string.h>

#include "core/base/cs-format.h"
#include "ui/cs-plot-selection.h"
#include "ui/render/cs-render-views.h"

struct _CsScatterPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *plot_view;
  GtkWidget *overlay;
  GtkWidget *lasso_button;
  GtkWidget *rectangle_button;
  GtkWidget *clear_button;
  GtkWidget *selection_label;

  CsPlotSelection *lasso;     /* Owned */
  gsize           *selected;  /* Owned, the window's selection: ascending dataset rows */
  gsize            n_selected;
};

static void cs_scatter_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsScatterPage, cs_scatter_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_scatter_page_iface_init))

static gboolean
applies (CsPage *page, char **why_not)
{
  if (cs_plot_view_get_model (CS_PLOT_VIEW (CS_SCATTER_PAGE (page)->plot_view)) != NULL)
    return TRUE;
  *why_not = g_strdup ("Open a dataset to plot its points");
  return FALSE;
}

/* A copy, not a reference: the view keeps zooming its own model meanwhile. */
static gboolean
get_figure (CsPage *page, CsRenderFunc *func, gpointer *model, GDestroyNotify *unref)
{
  const CsPlotModel *m = cs_plot_view_get_model (CS_PLOT_VIEW (CS_SCATTER_PAGE (page)->plot_view));

  if (m == NULL)
    return FALSE;
  *func = (CsRenderFunc)cs_render_scatter;
  *model = cs_plot_model_copy (m);
  *unref = (GDestroyNotify)cs_plot_model_free;
  return TRUE;
}

/* Marks the selected rows' points in the plot's model. The mask is a view field, like the
 * hover highlight, which the main thread may change on the view's model. */
static void
apply_selection (CsScatterPage *self)
{
  CsPlotModel     *m = (CsPlotModel *) cs_plot_view_get_model (CS_PLOT_VIEW (self->plot_view));
  g_autofree char *count = cs_format_count (self->n_selected);
  g_autofree char *text = g_strdup_printf ("%s selected", count);

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
  gtk_widget_queue_draw (self->plot_view);
}

static void
set_points (CsPage *page, const CsPlotModel *scatter)
{
  apply_selection (CS_SCATTER_PAGE (page));
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
cs_scatter_page_iface_init (CsPageInterface *iface)
{
  iface->name = "scatter";
  iface->title = "Scatter";
  iface->group = CS_PAGE_GROUP_CLUSTERS;
  iface->applies = applies;
  iface->get_figure = get_figure;
  iface->set_points = set_points;
  iface->set_selection = set_selection;
}

static void
cs_scatter_page_dispose (GObject *object)
{
  CsScatterPage *self = CS_SCATTER_PAGE (object);
  GtkWidget     *child;

  g_clear_object (&self->lasso);
  g_clear_pointer (&self->selected, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_SCATTER_PAGE);
  /* The template's root box is not a bound child, so dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (cs_scatter_page_parent_class)->dispose (object);
}

static void
cs_scatter_page_class_init (CsScatterPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_scatter_page_dispose;
  g_type_ensure (CS_TYPE_PLOT_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-scatter-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, plot_view);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, overlay);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, lasso_button);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, rectangle_button);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, clear_button);
  gtk_widget_class_bind_template_child (widget_class, CsScatterPage, selection_label);
}

static void
cs_scatter_page_init (CsScatterPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->lasso = cs_plot_selection_new (CS_PLOT_VIEW (self->plot_view));
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), cs_plot_selection_get_overlay (self->lasso));
  /* At most one mode, or none (a toggle group could not be all off). */
  g_signal_connect (self->lasso_button, "toggled", G_CALLBACK (mode_toggled_cb), self);
  g_signal_connect (self->rectangle_button, "toggled", G_CALLBACK (mode_toggled_cb), self);
  g_signal_connect (self->clear_button, "clicked", G_CALLBACK (clear_clicked_cb), self);
  g_signal_connect (self->lasso, "selected", G_CALLBACK (lasso_selected_cb), self);
}

/* The lasso of the page: for tests, which draw with it. */
CsPlotSelection *
cs_scatter_page_get_selection (CsScatterPage *page)
{
  g_return_val_if_fail (CS_IS_SCATTER_PAGE (page), NULL);

  return page->lasso;
}

CsPlotView *
cs_scatter_page_get_plot_view (CsScatterPage *page)
{
  g_return_val_if_fail (CS_IS_SCATTER_PAGE (page), NULL);

  return CS_PLOT_VIEW (page->plot_view);
}
