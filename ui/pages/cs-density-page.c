#include "ui/pages/cs-density-page.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "ui/cs-plot-selection.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-worker.h"
#include "ui/render/cs-render-density.h"

/* The density page: a KDE of the plotted x and y (two columns or the PCA plane, whatever the
 * scatter shows) with HDR contours. The bandwidth controls recompute on a worker with the
 * binned method on a CsWorker in WAIT mode: at most one computation is in flight and only
 * the newest request made meanwhile runs next, so dragging the slider shows a stream of
 * surfaces and always ends on the newest one. Look-only controls (colours,
 * points, marginals) make a new model on the same surface without any computation. */

static const CsBandwidthRule density_rules[] = {
  CS_BANDWIDTH_SCOTT, CS_BANDWIDTH_SILVERMAN, CS_BANDWIDTH_LSCV, CS_BANDWIDTH_PLUGIN, CS_BANDWIDTH_MANUAL,
};
static const char *const density_rule_names[] = { "Scott", "Silverman", "LSCV", "plug-in", "manual" };
static const guint       density_grids[] = { 64, 128, 256, 512 };

struct _CsDensityPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *density_view;
  GtkWidget *density_rule_dropdown;
  GtkWidget *density_scale;
  GtkWidget *density_h_entry;
  GtkWidget *density_grid_dropdown;
  GtkWidget *density_colormap_dropdown;
  GtkWidget *density_points_toggle;
  GtkWidget *density_opacity_scale;
  GtkWidget *density_clusters_toggle;
  GtkWidget *density_marginals_toggle;
  GtkWidget *density_spinner;
  GtkWidget *density_status_label;
  GtkWidget *density_overlay;
  GtkWidget *density_selection_label;
  GtkWidget *density_selection_menu_button;
  GtkWidget *density_lasso_button;
  GtkWidget *density_rectangle_button;

  /* Linked selection (issue 14): a lasso on the heatmap selects the points under it */
  CsPlotSelection *lasso;      /* Owned */
  gsize           *selected;   /* Owned: the window's selection, ascending dataset rows */
  gsize            n_selected;

  /* Owned */
  CsWorker *worker; /* WAIT mode: a dragged slider shows a stream of surfaces, ending on the last */

  /* Borrowed until the next set_points */
  const CsPlotModel *scatter;

  gboolean        stale;     /* the points or the bandwidth changed since the page was drawn */
  guint           serial;    /* counts point changes, so a late surface for old points is dropped */
  gboolean        have_base; /* base_h is valid */
  CsBandwidthRule base_rule; /* what base_h came from (MANUAL: typed) */
  double          base_h[4]; /* H at slider × 1 */
};

static void cs_density_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsDensityPage, cs_density_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_density_page_iface_init))

typedef struct
{
  gsize           n;
  double         *x;      /* Owned, n */
  double         *y;      /* Owned, n */
  int            *labels; /* Owned, n, may be NULL */
  guint           k;
  int            *color_slot; /* Owned, k, may be NULL */
  CsBandwidthRule rule;
  CsBandwidthRule cluster_rule; /* each cluster's own H by this rule (MANUAL: the typed H) */
  gboolean        have_base;    /* base_h holds the rule's H for these points */
  double          base_h[4];
  double          scale; /* bandwidth multiplier: H = base_h · scale² */
  guint           grid;
  gboolean        per_cluster;
  guint           serial; /* self->serial when the request was made */
} DensityData;

typedef struct
{
  CsDensitySurface *surface; /* Owned */
  CsBandwidthRule   rule;
  double            base_h[4];
  double            used_h[4];
  double            scale;
  guint             grid;
  guint             serial;
  double            seconds;
} DensityOut;

static void
density_out_free (DensityOut *out)
{
  g_clear_pointer (&out->surface, cs_density_surface_unref);
  g_free (out);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DensityOut, density_out_free)

static void
density_data_free (DensityData *data)
{
  g_free (data->x);
  g_free (data->y);
  g_free (data->labels);
  g_free (data->color_slot);
  g_free (data);
}

static gpointer
density_compute (gpointer input, CsProgress *progress, GError **error)
{
  DensityData *data = input;
  gint64       start = g_get_monotonic_time ();
  CsKdeOptions options;
  DensityOut  *out;

  if (!data->have_base)
    {
      g_autoptr (CsMatrix) xy = cs_matrix_new (MAX (data->n, 1), 2);
      gsize m = 0;

      for (gsize i = 0; i < data->n; i++)
        if (isfinite (data->x[i]) && isfinite (data->y[i]))
          {
            cs_matrix_row (xy, m)[0] = data->x[i];
            cs_matrix_row (xy, m)[1] = data->y[i];
            m++;
          }
      xy->rows = m;
      if (m < 2)
        {
          g_set_error_literal (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                               "A density needs at least two plotted points");
          return NULL;
        }
      if (!cs_kde_bandwidth (xy, data->rule, FALSE, NULL, data->base_h, progress, error))
        return NULL;
      data->have_base = TRUE;
    }

  /* The rule's H scaled, passed as a manual matrix: the slider never re-runs a selector. */
  cs_kde_options_init (&options);
  options.rule = CS_BANDWIDTH_MANUAL;
  options.method = CS_KDE_BINNED;
  options.grid = data->grid;
  for (guint i = 0; i < 4; i++)
    options.h[i] = data->base_h[i] * data->scale * data->scale;
  out = g_new0 (DensityOut, 1);
  out->surface = cs_density_surface_build (data->n, data->x, data->y, data->labels, data->k, data->color_slot,
                                           &options, data->per_cluster, data->cluster_rule, data->scale, progress,
                                           error);
  if (out->surface == NULL)
    {
      density_out_free (out);
      return NULL;
    }
  /* Still ours alone: the caption names the rule and the slider's factor, not "Manual". */
  out->surface->bandwidth_rule = data->rule;
  out->surface->bandwidth_factor = data->scale;
  out->rule = data->rule;
  memcpy (out->base_h, data->base_h, sizeof out->base_h);
  memcpy (out->used_h, options.h, sizeof out->used_h);
  out->scale = data->scale;
  out->grid = data->grid;
  out->serial = data->serial;
  out->seconds = (g_get_monotonic_time () - start) / 1e6;
  return out;
}

static double
density_scale_value (CsDensityPage *self)
{
  return exp2 (gtk_range_get_value (GTK_RANGE (self->density_scale)));
}

static void
density_format_number (GString *out, double x)
{
  double a = fabs (x);

  /* Four significant digits, in plain notation where that stays short (17640, 0.3183). */
  if (a == 0.0)
    g_string_append (out, "0");
  else if (a >= 1e-3 && a < 1e6)
    g_string_append_printf (out, "%.*f", (int)MAX (0, 3 - (int)floor (log10 (a))), x);
  else
    g_string_append_printf (out, "%.4g", x);
}

/* H as the entry reads it back: two diagonal entries when the off-diagonal is zero up to
 * rounding (a PCA plane's axes are uncorrelated, and the selectors leave -5e-13 there),
 * else the full "h11, h12; h12, h22". */
static char *
density_format_h (const double h[4])
{
  GString *s = g_string_new (NULL);
  double   off = 0.5 * (h[1] + h[2]);

  if (fabs (off) <= 1e-9 * sqrt (fabs (h[0] * h[3])))
    off = 0.0;
  density_format_number (s, h[0]);
  if (off != 0.0)
    {
      g_string_append (s, ", ");
      density_format_number (s, off);
      g_string_append (s, "; ");
      density_format_number (s, off);
    }
  g_string_append (s, ", ");
  density_format_number (s, h[3]);
  return g_string_free (s, FALSE);
}

/* A new model on `surface` with the page's look-only settings. */
static void
density_show (CsDensityPage *self, CsDensitySurface *surface)
{
  const CsPlotModel *scatter = self->scatter;
  g_autoptr (CsDensityModel) model = NULL;
  guint map = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->density_colormap_dropdown));

  if (surface == NULL)
    {
      const CsDensityModel *current = cs_figure_view_get_model (CS_FIGURE_VIEW (self->density_view));
      if (current == NULL)
        return;
      surface = current->surface;
    }
  model = cs_density_model_new (surface);
  model->colormap = map < CS_COLORMAP_N ? (CsColormap)map : CS_COLORMAP_VIRIDIS;
  model->show_points = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->density_points_toggle));
  model->point_alpha = gtk_range_get_value (GTK_RANGE (self->density_opacity_scale));
  model->show_marginals = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->density_marginals_toggle));
  model->show_clusters = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->density_clusters_toggle))
                         && surface->n_clusters > 0;
  if (scatter != NULL)
    {
      model->title = g_strdup (scatter->title);
      model->x_label = g_strdup (scatter->x_label);
      model->y_label = g_strdup (scatter->y_label);
    }
  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->density_view), cs_render_density, model,
                             (GBoxedCopyFunc)cs_density_model_ref, (GDestroyNotify)cs_density_model_unref);
  /* The selection's rings follow the new frame. */
  gtk_widget_queue_draw (cs_plot_selection_get_overlay (self->lasso));
}

static void
density_done (gpointer result, const GError *error, gpointer user_data)
{
  CsDensityPage *self = user_data;
  g_autoptr (DensityOut) out = result;

  gtk_spinner_set_spinning (GTK_SPINNER (self->density_spinner), cs_worker_is_busy (self->worker));
  /* Results for other points (the axes changed meanwhile) are dropped; the waiting request
   * computes the right ones. */
  if (out != NULL && out->serial != self->serial)
    return;
  if (out == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->density_status_label), error->message);
      return;
    }
  {
    g_autofree char *h = density_format_h (out->used_h);
    g_autofree char *text = NULL;
    guint            ri = MIN ((guint)out->rule, G_N_ELEMENTS (density_rule_names) - 1);

    /* Kept for the slider, unless the user has since typed an H or picked another rule. */
    if (out->rule != CS_BANDWIDTH_MANUAL && out->rule == self->base_rule)
      {
        memcpy (self->base_h, out->base_h, sizeof self->base_h);
        self->have_base = TRUE;
      }
    if (!gtk_widget_has_focus (self->density_h_entry))
      gtk_editable_set_text (GTK_EDITABLE (self->density_h_entry), h);
    text = g_strdup_printf ("%s × %.2f · %u² binned in %.0f ms", density_rule_names[ri], out->scale, out->grid,
                            out->seconds * 1e3);
    gtk_label_set_text (GTK_LABEL (self->density_status_label), text);
    density_show (self, out->surface);
  }
}

static void
density_request (CsDensityPage *self)
{
  const CsPlotModel *m = self->scatter;
  guint              ri = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->density_rule_dropdown));
  guint              gi = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->density_grid_dropdown));
  DensityData       *data;

  if (m == NULL)
    return;

  self->stale = FALSE;
  data = g_new0 (DensityData, 1);
  data->n = m->n;
  data->x = g_memdup2 (m->x, m->n * sizeof (double));
  data->y = g_memdup2 (m->y, m->n * sizeof (double));
  if (m->labels != NULL && m->k > 0)
    {
      data->labels = g_memdup2 (m->labels, m->n * sizeof (int));
      data->k = m->k;
      data->color_slot = g_memdup2 (m->color_slot, m->k * sizeof (int));
    }
  data->rule = density_rules[MIN (ri, G_N_ELEMENTS (density_rules) - 1)];
  data->cluster_rule = data->rule;
  data->scale = density_scale_value (self);
  data->grid = density_grids[MIN (gi, G_N_ELEMENTS (density_grids) - 1)];
  data->per_cluster = data->labels != NULL
                      && gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->density_clusters_toggle));
  data->serial = self->serial;
  /* Manual H is whatever was last typed (or the last rule's H); a rule's H is reused while the
   * points and the rule stay the same. */
  if (self->have_base && (data->rule == CS_BANDWIDTH_MANUAL || data->rule == self->base_rule))
    {
      data->have_base = TRUE;
      memcpy (data->base_h, self->base_h, sizeof data->base_h);
    }
  else if (data->rule == CS_BANDWIDTH_MANUAL)
    data->rule = CS_BANDWIDTH_SCOTT;

  gtk_spinner_set_spinning (GTK_SPINNER (self->density_spinner), TRUE);
  cs_worker_run (self->worker, density_compute, data, (GDestroyNotify)density_data_free,
                 (GDestroyNotify)density_out_free, density_done, self);
}

/* Selection ------------------------------------------------------------------------------ */

/* The heatmap's frame on the view as drawn now, or FALSE before a surface is shown. */
static gboolean
heatmap_frame (CsDensityPage *self, const CsDensityModel **model, CsDensityLayout *layout)
{
  *model = cs_figure_view_get_model (CS_FIGURE_VIEW (self->density_view));
  if (*model == NULL || (*model)->surface == NULL || (*model)->surface->grid == NULL)
    return FALSE;
  cs_render_density_layout (*model, gtk_widget_get_width (self->density_view),
                            gtk_widget_get_height (self->density_view), layout);
  return layout->frame.width > 0 && layout->frame.height > 0;
}

/* The inverse of cs_render_density_point: the grid's extent fills the frame. */
static gboolean
view_to_data (gpointer owner, double x, double y, double *dx, double *dy)
{
  CsDensityPage        *self = owner;
  const CsDensityModel *m;
  CsDensityLayout       layout;
  const CsDensityGrid  *g;
  const CsRect         *f = &layout.frame;

  if (!heatmap_frame (self, &m, &layout))
    return FALSE;
  g = m->surface->grid;
  *dx = g->x_min + (x - f->x) / f->width * (g->x_max > g->x_min ? g->x_max - g->x_min : 1.0);
  *dy = g->y_min + (f->y + f->height - y) / f->height * (g->y_max > g->y_min ? g->y_max - g->y_min : 1.0);
  return isfinite (*dx) && isfinite (*dy);
}

static gboolean
data_to_view (gpointer owner, double x, double y, double *vx, double *vy)
{
  CsDensityPage        *self = owner;
  const CsDensityModel *m;
  CsDensityLayout       layout;

  if (!heatmap_frame (self, &m, &layout))
    return FALSE;
  cs_render_density_point (m, &layout, x, y, vx, vy);
  /* Points outside the surface's extent are not drawn: neither are their rings. */
  return *vx >= layout.frame.x && *vx <= layout.frame.x + layout.frame.width && *vy >= layout.frame.y
         && *vy <= layout.frame.y + layout.frame.height;
}

static void
show_selection (CsDensityPage *self)
{
  g_autofree char *count = cs_format_count (self->n_selected);
  g_autofree char *text = g_strdup_printf ("%s selected", count);

  gtk_label_set_text (GTK_LABEL (self->density_selection_label), self->n_selected > 0 ? text : "");
  cs_plot_selection_set_marked (self->lasso, self->selected, self->n_selected);
}

static void
set_selection (CsPage *page, const gsize *rows, gsize n)
{
  CsDensityPage *self = CS_DENSITY_PAGE (page);

  g_free (self->selected);
  self->selected = n > 0 ? g_memdup2 (rows, n * sizeof (gsize)) : NULL;
  self->n_selected = n;
  show_selection (self);
}

static void
lasso_selected_cb (CsPlotSelection *lasso, gpointer rows, guint64 n, CsDensityPage *self)
{
  cs_page_request_selection (CS_PAGE (self), rows, (gsize) n);
}

static void
cancel (CsPage *page)
{
  CsDensityPage *self = CS_DENSITY_PAGE (page);

  cs_worker_drop (self->worker);
  gtk_spinner_set_spinning (GTK_SPINNER (self->density_spinner), FALSE);
}

static void
shown (CsPage *page)
{
  CsDensityPage *self = CS_DENSITY_PAGE (page);

  if (cs_page_is_visible (page) && self->stale)
    density_request (self);
}

static void
set_points (CsPage *page, const CsPlotModel *m)
{
  CsDensityPage *self = CS_DENSITY_PAGE (page);

  self->scatter = m;
  /* The surface is of these points, in their coordinates: the lasso selects among them. */
  cs_plot_selection_set_points (self->lasso, m);
  gtk_widget_set_sensitive (self->density_clusters_toggle, m != NULL && m->labels != NULL && m->k > 0);
  self->serial++;
  /* A manual H survives new points (the user typed it); a rule's H is for the old points. */
  if (self->base_rule != CS_BANDWIDTH_MANUAL)
    self->have_base = FALSE;
  self->stale = TRUE;
  if (m == NULL)
    {
      cancel (page);
      cs_figure_view_set_figure (CS_FIGURE_VIEW (self->density_view), NULL, NULL, NULL, NULL);
      return;
    }
  shown (page);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  if (CS_DENSITY_PAGE (page)->scatter != NULL)
    return TRUE;
  *why_not = g_strdup ("Open a dataset to estimate the density of its plotted points");
  return FALSE;
}

/* A control that changes the surface: recompute now when the page shows, else when it next
 * does. */
static void
density_changed (CsDensityPage *self)
{
  self->stale = TRUE;
  shown (CS_PAGE (self));
}

static void
density_rule_changed_cb (GtkDropDown *dropdown, GParamSpec *pspec, CsDensityPage *self)
{
  guint ri = gtk_drop_down_get_selected (dropdown);

  CsBandwidthRule rule = density_rules[MIN (ri, G_N_ELEMENTS (density_rules) - 1)];

  /* Choosing Manual keeps the last H as the starting point; a rule starts afresh at × 1. */
  if (rule == CS_BANDWIDTH_MANUAL)
    self->base_rule = CS_BANDWIDTH_MANUAL;
  else if (rule != self->base_rule)
    {
      self->base_rule = rule;
      self->have_base = FALSE;
      g_signal_handlers_block_by_func (self->density_scale, density_changed, self);
      gtk_range_set_value (GTK_RANGE (self->density_scale), 0.0);
      g_signal_handlers_unblock_by_func (self->density_scale, density_changed, self);
    }
  density_changed (self);
}

static void
density_h_activate_cb (GtkEntry *entry, CsDensityPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_auto (GStrv) parts = g_strsplit_set (text, ",; \t", -1);
  double v[4];
  guint  n = 0;
  double h[4];

  for (char **p = parts; *p != NULL; p++)
    {
      char  *end = NULL;
      double x;

      if (**p == '\0')
        continue;
      x = g_ascii_strtod (*p, &end);
      if (end == *p || *end != '\0' || !isfinite (x) || n == 4)
        {
          n = 0;
          break;
        }
      v[n++] = x;
    }
  if (n == 1 && v[0] > 0)
    {
      h[0] = h[3] = v[0] * v[0];
      h[1] = h[2] = 0.0;
    }
  else if (n == 2 && v[0] > 0 && v[1] > 0)
    {
      h[0] = v[0];
      h[3] = v[1];
      h[1] = h[2] = 0.0;
    }
  else if (n == 4 && v[0] > 0 && v[3] > 0 && v[0] * v[3] - v[1] * v[2] > 0 && v[1] == v[2])
    memcpy (h, v, sizeof h);
  else
    {
      gtk_label_set_text (GTK_LABEL (self->density_status_label),
                          "H must be symmetric and positive definite: “h11, h12; h12, h22”, two diagonal "
                          "entries, or one bandwidth");
      gtk_widget_error_bell (GTK_WIDGET (entry));
      return;
    }
  memcpy (self->base_h, h, sizeof h);
  self->base_rule = CS_BANDWIDTH_MANUAL;
  self->have_base = TRUE;
  /* The typed matrix is what gets used: the multiplier starts again from 1. */
  g_signal_handlers_block_by_func (self->density_rule_dropdown, density_rule_changed_cb, self);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->density_rule_dropdown), G_N_ELEMENTS (density_rules) - 1);
  g_signal_handlers_unblock_by_func (self->density_rule_dropdown, density_rule_changed_cb, self);
  g_signal_handlers_block_by_func (self->density_scale, density_changed, self);
  gtk_range_set_value (GTK_RANGE (self->density_scale), 0.0);
  g_signal_handlers_unblock_by_func (self->density_scale, density_changed, self);
  density_changed (self);
}

static void
density_look_changed (CsDensityPage *self)
{
  gtk_widget_set_sensitive (self->density_opacity_scale,
                            gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->density_points_toggle)));
  density_show (self, NULL);
}

static char *
density_format_scale_cb (GtkScale *scale, double value, gpointer user_data)
{
  return g_strdup_printf ("× %.2f", exp2 (value));
}

static void
cs_density_page_iface_init (CsPageInterface *iface)
{
  iface->name = "density";
  iface->title = "Surface";
  iface->group = CS_PAGE_GROUP_DENSITY;
  iface->set_points = set_points;
  iface->set_selection = set_selection;
  iface->shown = shown;
  iface->cancel = cancel;
  iface->applies = applies;
}

static void
cs_density_page_dispose (GObject *object)
{
  CsDensityPage *self = CS_DENSITY_PAGE (object);

  if (self->worker != NULL)
    cs_worker_drop (self->worker);
  g_clear_object (&self->worker);
  g_clear_object (&self->lasso);
  g_clear_pointer (&self->selected, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_DENSITY_PAGE);
  /* The template's root box is not a bound child: dispose_template leaves it. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (cs_density_page_parent_class)->dispose (object);
}

static void
cs_density_page_class_init (CsDensityPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_density_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-density-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CsDensityPage, name)
  BIND (density_view);
  BIND (density_rule_dropdown);
  BIND (density_scale);
  BIND (density_h_entry);
  BIND (density_grid_dropdown);
  BIND (density_colormap_dropdown);
  BIND (density_points_toggle);
  BIND (density_opacity_scale);
  BIND (density_clusters_toggle);
  BIND (density_marginals_toggle);
  BIND (density_spinner);
  BIND (density_status_label);
  BIND (density_overlay);
  BIND (density_selection_label);
  BIND (density_selection_menu_button);
  BIND (density_lasso_button);
  BIND (density_rectangle_button);
#undef BIND
}

static void
cs_density_page_init (CsDensityPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->worker = cs_worker_new (CS_WORKER_WAIT);
  self->base_rule = CS_BANDWIDTH_SCOTT;
  gtk_widget_set_sensitive (self->density_clusters_toggle, FALSE);
  gtk_scale_add_mark (GTK_SCALE (self->density_scale), 0.0, GTK_POS_BOTTOM, NULL);
  gtk_scale_set_format_value_func (GTK_SCALE (self->density_scale), density_format_scale_cb, NULL, NULL);
  g_signal_connect (self->density_rule_dropdown, "notify::selected", G_CALLBACK (density_rule_changed_cb),
                    self);
  g_signal_connect_swapped (self->density_scale, "value-changed", G_CALLBACK (density_changed), self);
  g_signal_connect (self->density_h_entry, "activate", G_CALLBACK (density_h_activate_cb), self);
  g_signal_connect_swapped (self->density_grid_dropdown, "notify::selected", G_CALLBACK (density_changed),
                            self);
  g_signal_connect_swapped (self->density_clusters_toggle, "toggled", G_CALLBACK (density_changed), self);
  g_signal_connect_swapped (self->density_colormap_dropdown, "notify::selected",
                            G_CALLBACK (density_look_changed), self);
  g_signal_connect_swapped (self->density_points_toggle, "toggled", G_CALLBACK (density_look_changed), self);
  g_signal_connect_swapped (self->density_opacity_scale, "value-changed", G_CALLBACK (density_look_changed),
                            self);
  g_signal_connect_swapped (self->density_marginals_toggle, "toggled", G_CALLBACK (density_look_changed),
                            self);

  self->lasso = cs_plot_selection_new_for_widget (self->density_view, view_to_data, data_to_view, self);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->density_overlay), cs_plot_selection_get_overlay (self->lasso));
  cs_plot_selection_bind_toggles (self->lasso, self->density_lasso_button, self->density_rectangle_button);
  g_signal_connect (self->lasso, "selected", G_CALLBACK (lasso_selected_cb), self);
  {
    g_autoptr (GMenuModel) menu = cs_plot_selection_menu_new ();

    gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->density_selection_menu_button), menu);
    cs_plot_selection_attach_context_menu (self->density_view, self->density_overlay);
  }
}

CsPlotSelection *
cs_density_page_get_selection (CsDensityPage *page)
{
  g_return_val_if_fail (CS_IS_DENSITY_PAGE (page), NULL);

  return page->lasso;
}
