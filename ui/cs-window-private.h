#pragma once

#include "core/cluster/cs-pipeline.h"
#include "core/density/cs-kde-diagnostics.h"
#include "core/density/cs-kde.h"
#include "ui/cs-job.h"
#include "ui/cs-window.h"
#include "ui/render/cs-render.h"
#include "ui/render/cs-render-saliency.h"

G_BEGIN_DECLS

/* The window is one object spread over several files: cs-window.c is the core
 * (construction, loading, run/cancel, view switching, axes, welcome page),
 * cs-window-export.c writes files, and each page of the view stack that computes on its own
 * has a cs-window-<page>.c. The core calls every page the same way, and only through the
 * functions below:
 *
 *   cs_i_window_<page>_setup           from cs_window_init: connect the page's controls
 *   cs_i_window_<page>_points_changed  the scatter plot shows other points (new model)
 *   cs_i_window_<page>_result_changed  a new clustering result, or none
 *   cs_i_window_<page>_view_shown      the visible view changed: compute if shown and stale
 *   cs_i_window_<page>_cancel          from cancel_all (unrealize, dispose): stop the worker
 *   cs_i_window_<page>_finalize        free what the page owns
 *
 * A page declares only the ones it needs. To add a page: put its template children and
 * state in CsWindow below, bind the children in cs_window_class_init, write
 * cs-window-<page>.c with its hooks, add the calls in the core (cs_window_init, show_model,
 * update_views, view_changed_cb, cancel_all, cs_window_finalize as needed). Export writes
 * the first CsFigureView on the visible page, wherever it sits. Page workers copy their input,
 * keep their GCancellable in the struct and drop results whose cancellable is no longer
 * the current one. */

/* A finished pipeline result shared between the window and the workers that read it (model
 * rebuilds after an axis change, exports): a new run replaces the window's reference while
 * a worker may still hold the old one. */
typedef struct
{
  CsPipelineResult *pipeline; /* Owned */
} CsWindowResult;

CsWindowResult *cs_i_window_result_new (CsPipelineResult *pipeline);
CsWindowResult *cs_i_window_result_ref (CsWindowResult *r);
void            cs_i_window_result_unref (CsWindowResult *r);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsWindowResult, cs_i_window_result_unref)

/* The saliency page's finished report with the result it describes and its drawings;
 * shared with CSV exports running on a worker. */
typedef struct
{
  gatomicrefcount        ref;
  CsSaliencyReport      *report; /* Owned */
  CsWindowResult        *result; /* Owned */
  CsSaliencyModel       *model;  /* Owned: bars and heatmap */
  CsSaliencyImagesModel *images; /* Owned, NULL unless the data are images */
  GPtrArray             *categorical; /* Owned: CsSaliencyCategorical* per categorical column */
} CsWindowSaliency;

CsWindowSaliency *cs_i_window_saliency_ref (CsWindowSaliency *s);
void              cs_i_window_saliency_unref (CsWindowSaliency *s);

/* The precomputed dissimilarity matrix in use, shared with the run jobs that read it on
 * their worker: replacing or clearing it while a run is in flight drops only the window's
 * reference. Immutable once built. */
typedef struct
{
  CsDissim *dissim; /* Owned */
  char     *path;   /* Owned */
  char     *name;   /* Owned: the file's display name */
} CsWindowDistances;

CsWindowDistances *cs_i_window_distances_ref (CsWindowDistances *d);
void               cs_i_window_distances_unref (CsWindowDistances *d);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsWindowDistances, cs_i_window_distances_unref)

struct _CsWindow
{
  GtkApplicationWindow parent_instance;

  /* Template */
  GtkWidget *title_label;
  GtkWidget *subtitle_label;
  GtkWidget *run_button;
  GtkWidget *cancel_button;
  GtkWidget *sidebar_run_button;
  GtkWidget *sidebar_cancel_button;
  GtkWidget *error_revealer;
  GtkWidget *error_label;
  GtkWidget *dataset_name_label;
  GtkWidget *dataset_size_label;
  GtkWidget *columns_list;
  GtkWidget *notices_label;
  GtkWidget *x_dropdown;
  GtkWidget *y_dropdown;
  GtkWidget *scaling_dropdown;
  GtkWidget *missing_dropdown;
  GtkWidget *missing_info_label;
  GtkWidget *algorithm_dropdown;
  GtkWidget *algorithm_description_label;
  GtkWidget *distances_box;
  GtkWidget *distances_label;
  GtkWidget *distances_hint_label;
  GtkWidget *params_panel;
  GtkWidget *progress_bar;
  GtkWidget *stack;
  GtkWidget *recent_heading;
  GtkWidget *recent_list;
  GtkWidget *samples_list;
  GtkWidget *toys_list;
  GtkWidget *loading_label;
  GtkWidget *loading_spinner;
  GtkWidget *plot_view;
  GtkWidget *status_label;
  GtkWidget *view_bar;
  GtkWidget *view_stack;
  GtkWidget *links_button;
  GtkWidget *silhouette_view;
  GtkWidget *convergence_view;
  GtkWidget *images_view;
  GtkWidget *choose_k_view;
  GtkWidget *privacy_view;
  GtkWidget *privacy_epsilon_spin;
  GtkWidget *privacy_delta_dropdown;
  GtkWidget *privacy_spinner;
  GtkWidget *privacy_status_label;
  GtkWidget *saliency_view;
  GtkWidget *saliency_chart_dropdown;
  GtkWidget *saliency_quantity_dropdown;
  GtkWidget *saliency_method_dropdown;
  GtkWidget *saliency_spinner;
  GtkWidget *saliency_status_label;
  GtkWidget *saliency_summary_label;
  GtkWidget *diag_view;
  GtkWidget *diag_h_scale;
  GtkWidget *diag_spinner;
  GtkWidget *diag_status_label;
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
  GMenu     *samples_menu;
  GMenu     *toys_menu;

  /* Owned */
  CsDataset      *dataset;
  GArray         *axis_columns;  /* int per axis drop-down item: dataset column, -1 = PCA */
  CsWindowResult *result;
  CsJob          *job;
  GCancellable   *load_cancellable;
  GCancellable   *model_cancellable;
  char           *status_text;
  char           *error_text;

  /* The distance matrix (cs-window-distances.c) */
  GCancellable      *distances_cancellable; /* the loading worker, NULL when idle */
  CsWindowDistances *distances;             /* Owned, may be NULL: runs use it when set */

  /* The privacy page (cs-window-privacy.c) */
  GCancellable *privacy_cancellable; /* the page's worker, NULL when idle */
  gboolean      privacy_stale;       /* the points changed since the page was drawn */

  /* The saliency page (cs-window-saliency.c) */
  GCancellable     *saliency_cancellable; /* the page's worker, NULL when idle */
  gboolean          saliency_stale;       /* the result changed since the page was computed */
  CsWindowSaliency *saliency;             /* Owned, may be NULL: what the page shows */
  gint              saliency_highlight;   /* feature outlined in the heatmap, -1 none */

  /* The diagnostics page (cs-window-diagnostics.c) */
  GCancellable     *diag_cancellable; /* the page's worker, NULL when idle */
  gboolean          diag_stale;       /* diag_source changed since the page was computed */
  CsMatrix         *diag_source;      /* Owned, may be NULL: the clustered matrix, when d > 2 */
  CsKdeDiagnostics *diag;             /* Owned, may be NULL: what the page shows */

  /* The density page (cs-window-density.c) */
  GCancellable   *density_cancellable; /* the page's worker, NULL when idle */
  gboolean        density_pending;     /* a request waits for that worker to finish */
  gboolean        density_stale;       /* the points or the bandwidth changed since the page was drawn */
  guint           density_serial;      /* counts point changes, so a late surface for old points is dropped */
  gboolean        density_have_base;   /* density_base_h is valid */
  CsBandwidthRule density_base_rule;   /* what density_base_h came from (MANUAL: typed) */
  double          density_base_h[4];   /* H at slider × 1 */

  guint    n_writes; /* exports in flight (cs-window-export.c) */
  gboolean syncing_axes;
  gboolean disposed;
};

/* Window services, in cs-window.c */
void cs_i_window_set_status (CsWindow *self, const char *text);
void cs_i_window_set_progress (CsWindow *self, double fraction, const char *text);
void cs_i_window_show_error (CsWindow *self, const char *message);
void cs_i_window_update_actions (CsWindow *self);
/* The axis drop-downs' item for dataset column `name` (never 0, the PCA item); FALSE when it
 * is not offered as an axis. */
gboolean cs_i_window_axis_index (CsWindow *self, const char *name, guint *index);
/* The preprocessing the sidebar asks for: `columns` (an int GArray, emptied first) gets the
 * ticked columns and prepare->columns points into it, so keep it unchanged while in use. */
void cs_i_window_fill_prepare (CsWindow *self, CsPrepareOptions *prepare, GArray *columns);
/* Shows `model` in `view`, a figure view that is itself a page of the view stack, and hides
 * that page while `model` is NULL. */
void cs_i_window_set_figure (
    GtkWidget *view, CsRenderFunc func, gpointer model, GBoxedCopyFunc ref, GDestroyNotify unref);

/* The distance matrix: win.open-distances (a file chooser), win.open-distances-path ("s")
 * and win.clear-distances */
void cs_i_window_open_distances_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void
cs_i_window_open_distances_path_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void cs_i_window_clear_distances_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
/* Drops the matrix (a new dataset has other rows); stops a load in flight. */
void cs_i_window_distances_clear (CsWindow *self);
/* The selected algorithm's parameters now say "precomputed" if it has a dissimilarity
 * choice and a matrix is in use. */
void cs_i_window_distances_algorithm_changed (CsWindow *self);
/* Shows the matrix row and, when the selected algorithm cannot use the matrix, why Run is
 * off (hint and tooltips); FALSE then. */
gboolean cs_i_window_distances_sync (CsWindow *self);
void     cs_i_window_distances_cancel (CsWindow *self);
void     cs_i_window_distances_finalize (CsWindow *self);

/* The density page */
void cs_i_window_density_setup (CsWindow *self);
void cs_i_window_density_points_changed (CsWindow *self);
void cs_i_window_density_view_shown (CsWindow *self);
void cs_i_window_density_cancel (CsWindow *self);

/* The diagnostics page */
void cs_i_window_diagnostics_setup (CsWindow *self);
void cs_i_window_diagnostics_result_changed (CsWindow *self);
void cs_i_window_diagnostics_view_shown (CsWindow *self);
void cs_i_window_diagnostics_cancel (CsWindow *self);
void cs_i_window_diagnostics_finalize (CsWindow *self);

/* The privacy page */
void cs_i_window_privacy_setup (CsWindow *self);
void cs_i_window_privacy_points_changed (CsWindow *self);
void cs_i_window_privacy_view_shown (CsWindow *self);
void cs_i_window_privacy_cancel (CsWindow *self);

/* The saliency page */
void cs_i_window_saliency_setup (CsWindow *self);
void cs_i_window_saliency_result_changed (CsWindow *self);
void cs_i_window_saliency_view_shown (CsWindow *self);
void cs_i_window_saliency_cancel (CsWindow *self);
void cs_i_window_saliency_finalize (CsWindow *self);

/* Export: the activate functions of the win.export* actions (GActionEntry in cs-window.c) */
void cs_i_window_export_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void cs_i_window_export_to_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void cs_i_window_export_labels_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void cs_i_window_export_labels_to_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void cs_i_window_export_results_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void cs_i_window_export_results_to_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
/* The saliency page's report as CSV: "table", "summaries" or "attributions" ("(ss)": and a path). */
void cs_i_window_export_saliency_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void cs_i_window_export_saliency_to_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);

G_END_DECLS
