#include "ui/cs-window-private.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "ui/cs-figure-view.h"
#include "ui/render/cs-render-density.h"

/* The density page: a KDE of the plotted x and y (two columns or the PCA plane, whatever the
 * scatter shows) with HDR contours. The bandwidth controls recompute on a worker with the
 * binned method; at most one computation is in flight and a request made meanwhile waits
 * for it and then runs with the controls as they are by then, so dragging the slider shows
 * a stream of surfaces and always ends on the newest one. Look-only controls (colours,
 * points, marginals) make a new model on the same surface without any computation. */

static const CsBandwidthRule density_rules[] = {
  CS_BANDWIDTH_SCOTT, CS_BANDWIDTH_SILVERMAN, CS_BANDWIDTH_LSCV, CS_BANDWIDTH_PLUGIN, CS_BANDWIDTH_MANUAL,
};
static const char *const density_rule_names[] = { "Scott", "Silverman", "LSCV", "plug-in", "manual" };
static const guint       density_grids[] = { 64, 128, 256, 512 };

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
  guint           serial; /* self->density_serial when the request was made */
  /* Out */
  CsDensitySurface *surface;
  double            used_h[4];
  double            seconds;
} DensityData;

static void
density_data_free (DensityData *data)
{
  g_free (data->x);
  g_free (data->y);
  g_free (data->labels);
  g_free (data->color_slot);
  g_clear_pointer (&data->surface, cs_density_surface_unref);
  g_free (data);
}

static void
density_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  DensityData *data = task_data;
  g_autoptr (CsProgress) progress = cs_progress_new (NULL, NULL, cancellable);
  gint64       start = g_get_monotonic_time ();
  GError      *error = NULL;
  CsKdeOptions options;

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
          g_task_return_new_error (task, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                                   "A density needs at least two plotted points");
          return;
        }
      if (!cs_kde_bandwidth (xy, data->rule, FALSE, NULL, data->base_h, progress, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      data->have_base = TRUE;
    }

  /* The rule's H scaled, passed as a manual matrix: the slider never re-runs a selector. */
  cs_kde_options_init (&options);
  options.rule = CS_BANDWIDTH_MANUAL;
  options.method = CS_KDE_BINNED;
  options.grid = data->grid;
  for (guint i = 0; i < 4; i++)
    options.h[i] = data->base_h[i] * data->scale * data->scale;
  data->surface = cs_density_surface_build (data->n, data->x, data->y, data->labels, data->k,
                                            data->color_slot, &options, data->per_cluster, data->cluster_rule,
                                            data->scale, progress, &error);
  if (data->surface == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  memcpy (data->used_h, options.h, sizeof data->used_h);
  data->seconds = (g_get_monotonic_time () - start) / 1e6;
  g_task_return_boolean (task, TRUE);
}

static double
density_scale_value (CsWindow *self)
{
  return exp2 (gtk_range_get_value (GTK_RANGE (self->density_scale)));
}

static char *
density_format_h (const double h[4])
{
  return g_strdup_printf ("%.4g, %.4g; %.4g, %.4g", h[0], h[1], h[2], h[3]);
}

/* A new model on `surface` with the page's look-only settings. */
static void
density_show (CsWindow *self, CsDensitySurface *surface)
{
  const CsPlotModel *scatter = cs_plot_view_get_model (CS_PLOT_VIEW (self->plot_view));
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
}

static void density_request (CsWindow *self);

static void
density_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  CsWindow     *self = CS_WINDOW (source);
  DensityData  *data = g_task_get_task_data (G_TASK (res));
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (res));
  g_autoptr (GError) error = NULL;

  if (self->disposed || cancellable != self->density_cancellable)
    return;
  g_clear_object (&self->density_cancellable);
  gtk_spinner_set_spinning (GTK_SPINNER (self->density_spinner), FALSE);

  /* Results for other points (the axes changed meanwhile) are dropped; the pending request
   * below computes the right ones. */
  if (data->serial == self->density_serial)
    {
      if (!g_task_propagate_boolean (G_TASK (res), &error))
        gtk_label_set_text (GTK_LABEL (self->density_status_label), error->message);
      else
        {
          g_autofree char *h = density_format_h (data->used_h);
          g_autofree char *text = NULL;
          guint            ri = MIN ((guint)data->rule, G_N_ELEMENTS (density_rule_names) - 1);

          /* Kept for the slider, unless the user has since typed an H or picked another rule. */
          if (data->rule != CS_BANDWIDTH_MANUAL && data->rule == self->density_base_rule)
            {
              memcpy (self->density_base_h, data->base_h, sizeof self->density_base_h);
              self->density_base_rule = data->rule;
              self->density_have_base = TRUE;
            }
          if (!gtk_widget_has_focus (self->density_h_entry))
            gtk_editable_set_text (GTK_EDITABLE (self->density_h_entry), h);
          text = g_strdup_printf ("%s × %.2f · %u² binned in %.0f ms", density_rule_names[ri], data->scale,
                                  data->grid, data->seconds * 1e3);
          gtk_label_set_text (GTK_LABEL (self->density_status_label), text);
          density_show (self, data->surface);
        }
    }
  if (self->density_pending)
    {
      self->density_pending = FALSE;
      density_request (self);
    }
}

static void
density_request (CsWindow *self)
{
  const CsPlotModel *m = cs_plot_view_get_model (CS_PLOT_VIEW (self->plot_view));
  guint              ri = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->density_rule_dropdown));
  guint              gi = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->density_grid_dropdown));
  DensityData       *data;
  g_autoptr (GTask) task = NULL;

  if (m == NULL || self->disposed)
    return;
  if (self->density_cancellable != NULL)
    {
      self->density_pending = TRUE;
      return;
    }

  self->density_stale = FALSE;
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
  data->serial = self->density_serial;
  /* Manual H is whatever was last typed (or the last rule's H); a rule's H is reused while the
   * points and the rule stay the same. */
  if (self->density_have_base && (data->rule == CS_BANDWIDTH_MANUAL || data->rule == self->density_base_rule))
    {
      data->have_base = TRUE;
      memcpy (data->base_h, self->density_base_h, sizeof data->base_h);
    }
  else if (data->rule == CS_BANDWIDTH_MANUAL)
    data->rule = CS_BANDWIDTH_SCOTT;

  self->density_cancellable = g_cancellable_new ();
  gtk_spinner_set_spinning (GTK_SPINNER (self->density_spinner), TRUE);
  task = g_task_new (self, self->density_cancellable, density_done, NULL);
  g_task_set_source_tag (task, density_request);
  g_task_set_task_data (task, data, (GDestroyNotify)density_data_free);
  g_task_run_in_thread (task, density_thread);
}

void
cs_i_window_density_cancel (CsWindow *self)
{
  if (self->density_cancellable != NULL)
    g_cancellable_cancel (self->density_cancellable);
  g_clear_object (&self->density_cancellable);
  self->density_pending = FALSE;
}

static gboolean
density_page_visible (CsWindow *self)
{
  return gtk_stack_get_visible_child (GTK_STACK (self->view_stack))
         == gtk_widget_get_parent (self->density_view);
}

void
cs_i_window_density_view_shown (CsWindow *self)
{
  if (density_page_visible (self) && self->density_stale)
    density_request (self);
}

void
cs_i_window_density_points_changed (CsWindow *self)
{
  const CsPlotModel *m = cs_plot_view_get_model (CS_PLOT_VIEW (self->plot_view));
  GtkStack          *stack = GTK_STACK (self->view_stack);

  gtk_stack_page_set_visible (gtk_stack_get_page (stack, gtk_widget_get_parent (self->density_view)),
                              m != NULL);
  gtk_widget_set_sensitive (self->density_clusters_toggle, m != NULL && m->labels != NULL && m->k > 0);
  if (m != NULL)
    gtk_widget_set_visible (self->view_bar, TRUE);
  self->density_serial++;
  /* A manual H survives new points (the user typed it); a rule's H is for the old points. */
  if (self->density_base_rule != CS_BANDWIDTH_MANUAL)
    self->density_have_base = FALSE;
  self->density_stale = TRUE;
  cs_i_window_density_view_shown (self);
}

/* A control that changes the surface: recompute now when the page shows, else when it next
 * does. */
static void
density_changed (CsWindow *self)
{
  self->density_stale = TRUE;
  cs_i_window_density_view_shown (self);
}

static void
density_rule_changed_cb (GtkDropDown *dropdown, GParamSpec *pspec, CsWindow *self)
{
  guint ri = gtk_drop_down_get_selected (dropdown);

  CsBandwidthRule rule = density_rules[MIN (ri, G_N_ELEMENTS (density_rules) - 1)];

  /* Choosing Manual keeps the last H as the starting point; a rule starts afresh at × 1. */
  if (rule == CS_BANDWIDTH_MANUAL)
    self->density_base_rule = CS_BANDWIDTH_MANUAL;
  else if (rule != self->density_base_rule)
    {
      self->density_base_rule = rule;
      self->density_have_base = FALSE;
      g_signal_handlers_block_by_func (self->density_scale, density_changed, self);
      gtk_range_set_value (GTK_RANGE (self->density_scale), 0.0);
      g_signal_handlers_unblock_by_func (self->density_scale, density_changed, self);
    }
  density_changed (self);
}

static void
density_h_activate_cb (GtkEntry *entry, CsWindow *self)
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
  memcpy (self->density_base_h, h, sizeof h);
  self->density_base_rule = CS_BANDWIDTH_MANUAL;
  self->density_have_base = TRUE;
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
density_look_changed (CsWindow *self)
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

void
cs_i_window_density_setup (CsWindow *self)
{
  self->density_base_rule = CS_BANDWIDTH_SCOTT;
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
}
