#pragma once

#include "core/cluster/cs-pipeline.h"
#include "ui/cs-job.h"
#include "ui/cs-window.h"
#include "ui/cs-worker.h"
#include "ui/pages/cs-page.h"
#include "ui/pages/cs-saliency-page.h"
#include "ui/pages/cs-scatter-page.h"
#include "ui/render/cs-render.h"

G_BEGIN_DECLS

/* The window is one object over a few files, as GNOME Text Editor splits its window:
 *
 *   cs-window.c           construction, the page list and navigation, the flow of a dataset,
 *                         a result and the plotted points to the pages, status
 *   cs-window-data.c      loading a dataset and rebuilding the plotted points, on workers
 *   cs-window-actions.c   the win.* actions (run, cancel, open labels, show-view, …)
 *   cs-window-sidebar.c   the dataset panel: columns, axes, preprocessing, algorithm
 *   cs-window-welcome.c   the welcome page, recent files, drag and drop
 *   cs-window-export.c    writing figures, labels, results and saliency tables
 *   cs-window-distances.c the precomputed distance matrix
 *
 * The views are not here: each is a CsPage widget in ui/pages/, listed once in cs-window.c.
 * The window tells pages what changed (cs_page_set_dataset/_result/_points, _shown, _cancel)
 * and never reaches into one; pages never see this header. */

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

typedef struct _CsWindowTeach CsWindowTeach;
typedef struct _CsWindowUndo  CsWindowUndo;

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
  GtkWidget *status_label;
  GtkWidget *view_bar;
  GtkWidget *group_box;   /* one toggle per group of pages */
  GtkWidget *group_stack; /* per group, a row of view toggles */
  GtkWidget *view_stack;  /* the pages */
  GtkWidget *links_button;
  GMenu     *samples_menu;
  GMenu     *toys_menu;

  /* Borrowed: children of view_stack and view_bar, in the order of page_types */
  GPtrArray     *pages;                           /* CsPage* */
  GPtrArray     *view_buttons;                    /* GtkToggleButton*, one per page */
  GtkWidget     *group_buttons[CS_PAGE_N_GROUPS]; /* NULL for a group without pages */
  CsScatterPage *scatter_page;
  CsSaliencyPage *saliency_page;
  char          *last_view[CS_PAGE_N_GROUPS]; /* Owned: the view last shown in each group */

  /* Owned */
  CsDataset    *dataset;
  GArray       *axis_columns;  /* int per axis drop-down item: dataset column, -1 = PCA */
  CsPageResult *result;
  char         *result_status; /* the status line of the result on screen, or NULL */
  CsJob        *job;
  CsJob        *result_job;    /* the finished job that made `result`: another k of its run is
                                  derived from its inputs (cs_window_show_k) */
  CsWorker     *load_worker;
  CsWorker     *model_worker;
  char         *status_text;
  char         *error_text;
  char         *loading_path; /* the file being loaded (or last loaded), NULL for other sources */

  /* The distance matrix (cs-window-distances.c) */
  CsWorker          *distances_worker; /* Owned: loads a matrix */
  CsWindowDistances *distances;             /* Owned, may be NULL: runs use it when set */

  guint    n_writes; /* exports in flight (cs-window-export.c) */
  gboolean syncing_axes;
  gboolean syncing_nav;
  gboolean disposed;

  /* Sessions (cs-window-session.c) */
  CsWorker *session_worker; /* Owned: reads or writes a session file */
  char     *session_path;   /* Owned, may be NULL: the file Save writes to */
  char     *pending_view;   /* Owned, may be NULL: the view to show when the restored result arrives */

  /* Run history (cs-window-history.c) */
  GtkWidget *history_button; /* Template */
  GtkWidget *history_list;   /* Borrowed: the popover's list */
  GPtrArray *history;        /* Owned, CsPageResult*, newest first */

  CsWindowTeach *teach; /* Owned: drawing, placed centres, generator, presenter (cs-window-teach.c) */
  /* Selected dataset rows, ascending, shared with every page (issue 14's table and lasso) */
  gsize     *selection;      /* Owned, may be NULL */
  gsize      n_selection;
  struct _CsWindowSelection *selection_state; /* Owned: what the selection becomes (cs-window-selection.c) */
  /* Undo and redo (cs-window-undo.c) */
  CsWindowUndo *undo;        /* Owned */
  GMenu        *undo_menu;   /* Template: the main menu's Undo / Redo section */
};

/* cs-window.c: services for the other window files */
void     cs_i_window_set_status (CsWindow *self, const char *text);
void     cs_i_window_set_progress (CsWindow *self, double fraction, const char *text);
void     cs_i_window_show_error (CsWindow *self, const char *message);
void     cs_i_window_hide_error (CsWindow *self);
void     cs_i_window_update_actions (CsWindow *self);
gboolean cs_i_window_is_loading (CsWindow *self);
/* Shows `model` (taken) on the scatter page, its colours matched to the previous points. */
void     cs_i_window_show_model (CsWindow *self, CsPlotModel *model);
/* Replaces the result on screen (taken; NULL for none) and tells every page. */
void     cs_i_window_set_result (CsWindow *self, CsPageResult *result);
/* A new dataset (taken) for the window and every page; no result, no points yet. */
void     cs_i_window_set_dataset (CsWindow *self, CsDataset *dataset);
/* The page called `name`, or NULL. */
CsPage  *cs_i_window_find_page (CsWindow *self, const char *name);
/* Shows page `name` if it applies; FALSE otherwise. */
gboolean cs_i_window_show_view (CsWindow *self, const char *name);
CsPage  *cs_i_window_visible_page (CsWindow *self);
/* Stops every worker and forgets it: their late results are dropped. */
void     cs_i_window_cancel_all (CsWindow *self);
char    *cs_i_window_format_seconds (double s);

/* cs-window-data.c */
void cs_i_window_data_init (CsWindow *self);
/* Rebuilds the scatter model on a worker (axes or columns changed). */
void cs_i_window_rebuild_model (CsWindow *self);
/* cs-window-actions.c */
void cs_i_window_actions_init (CsWindow *self);

/* cs-window-sidebar.c */
void cs_i_window_sidebar_init (CsWindow *self);
/* Fills the dataset panel, the column list and the axis drop-downs for self->dataset. */
void cs_i_window_sidebar_show_dataset (CsWindow *self);
/* The dataset columns the user has ticked, in dataset order. */
GArray *cs_i_window_chosen_columns (CsWindow *self);
/* The sidebar's scaling and missing-value choices (columns left unset). */
void cs_i_window_fill_prepare_options (CsWindow *self, CsPrepareOptions *prepare);
/* The preprocessing the sidebar asks for: `columns` (an int GArray, emptied first) gets the
 * ticked columns and prepare->columns points into it, so keep it unchanged while in use. */
void cs_i_window_fill_prepare (CsWindow *self, CsPrepareOptions *prepare, GArray *columns);
/* The axis drop-downs' columns (-1 and -1 for PCA). */
void cs_i_window_axis_selection (CsWindow *self, int *x_column, int *y_column);
/* The axis drop-downs' item for dataset column `name` (never 0, the PCA item); FALSE when it
 * is not offered as an axis. */
gboolean cs_i_window_axis_index (CsWindow *self, const char *name, guint *index);
/* The missing-values line under the preprocessing choices, for the result on screen. */
void cs_i_window_sidebar_show_prepared (CsWindow *self, const CsPrepared *prep);

/* cs-window-actions.c: a job of the window's own (cs-window-session.c) */
/* The current job cancelled, the chosen columns and the sidebar's preprocessing in `options`;
 * FALSE with a message when no column is chosen. */
gboolean cs_i_window_begin_job (CsWindow *self, GArray **columns, CsPipelineOptions *options);
/* Runs `job` (taken) as the window's job: progress, status, and its result shown when done. */
void     cs_i_window_start_job (CsWindow *self, CsJob *job, const char *status);

/* cs-window-session.c: win.save-session, win.save-session-as, win.save-session-to ("s"),
 * win.open-session, win.open-session-path ("s"), win.copy-command */
void     cs_i_window_session_init (CsWindow *self);
void     cs_i_window_session_finalize (CsWindow *self);
/* Opens a session file (cs_window_open_file sends .clusterscope files here). */
void     cs_i_window_open_session (CsWindow *self, const char *path);
/* The sidebar's scaling and missing-value drop-downs set to these. */
void     cs_i_window_sidebar_set_prepare (CsWindow *self, CsScaling scaling, CsMissingPolicy missing);
/* A loaded dataset (taken) shown as load_done shows one: sidebar, points, status. */
void     cs_i_window_take_dataset (CsWindow *self, CsDataset *dataset);

/* cs-window-history.c: the runs kept for this dataset (win.show-run "u": show one again) */
void cs_i_window_history_init (CsWindow *self);
void cs_i_window_history_finalize (CsWindow *self);
/* A finished run (a new reference is taken), newest first. */
void cs_i_window_history_add (CsWindow *self, CsPageResult *result);
/* A new dataset: the runs were on other rows. */
void cs_i_window_history_clear (CsWindow *self);

/* cs-window-welcome.c */
void cs_i_window_welcome_init (CsWindow *self);

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
void     cs_i_window_distances_init (CsWindow *self);
void     cs_i_window_distances_cancel (CsWindow *self);
/* TRUE while a matrix is being loaded. */
gboolean cs_i_window_distances_busy (CsWindow *self);
void     cs_i_window_distances_finalize (CsWindow *self);

/* Export: the activate functions of the win.export* actions */
void cs_i_window_export_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void cs_i_window_export_to_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void cs_i_window_export_labels_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void cs_i_window_export_labels_to_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void cs_i_window_export_results_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void cs_i_window_export_results_to_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
/* The saliency page's report as CSV: "table", "summaries" or "attributions" ("(ss)": and a path). */
void cs_i_window_export_saliency_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void cs_i_window_export_saliency_to_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);

/* cs-window-teach.c: teaching (win.draw-points, eraser, undo, redo, new-drawing, place-centres,
 * clear-centres, hide-clusters, presenter-mode, generate-data) */
void        cs_i_window_teach_init (CsWindow *self);
void        cs_i_window_teach_cancel (CsWindow *self);
void        cs_i_window_teach_finalize (CsWindow *self);
/* After a model is shown on the scatter page (drawn points get their class's colour). */
void        cs_i_window_teach_model_shown (CsWindow *self);
/* Before a run: placed centres become k-means' "init" (and k); FALSE when they cannot be used
 * (the error is shown). */
gboolean    cs_i_window_teach_prepare_run (CsWindow *self, CsParams *params, CsPipelineOptions *options);
/* What the status line shows for `text` (a fixed question while clusters are hidden). */
const char *cs_i_window_teach_status (CsWindow *self, const char *text);
/* The points of self->dataset on columns x_name and y_name (NULL: the sidebar's axes), or the
 * blank frame of an empty drawing. */
void        cs_i_window_teach_show_points (CsWindow *self, const char *x_name, const char *y_name);

/* cs-window-undo.c: one undo stack (win.undo, win.redo) over data and parameter changes: the
 * dataset, chosen columns, preprocessing, algorithm and parameters; a step restores the result
 * that was on screen with them, without running anything. Changes are found by comparing the
 * window with its last committed state, so the sidebar and the panel need no calls. */
void cs_i_window_undo_init (CsWindow *self);
void cs_i_window_undo_finalize (CsWindow *self);
/* cs_i_window_set_dataset calls it before the old dataset goes: every replacement of the data
 * (open, sample, generate, drawing, a dataset made from a selection) is one undo step. */
void cs_i_window_undo_dataset_replacing (CsWindow *self);
/* Names the next replacement of the dataset in the Undo item ("Draw Points", "Keep Selected
 * Rows"; the default says "Open wine.csv"); consecutive replacements of the same non-NULL
 * `group` are one step (the live generator). Call it just before replacing the dataset. */
void cs_i_window_undo_name_next (CsWindow *self, const char *label, const char *group);
/* A button that shows what undo (or redo) does: its tooltip and accessible name follow. */
void cs_i_window_undo_track_button (CsWindow *self, GtkWidget *button, gboolean redo);

/* cs-window-selection.c: the selection's actions (win.export-selection, export-selection-to
 * ("s"), cluster-selection, exclude-selection, label-selection, clear-selection) */
typedef struct _CsWindowSelection CsWindowSelection;
void     cs_i_window_selection_init (CsWindow *self);
void     cs_i_window_selection_finalize (CsWindow *self);
void     cs_i_window_selection_cancel (CsWindow *self);
/* As cs_i_window_show_model, but with the model's colour slots as the caller set them. */
void     cs_i_window_show_model_as_is (CsWindow *self, CsPlotModel *model);
/* TRUE while a relabelled result is being scored. */
gboolean cs_i_window_selection_busy (CsWindow *self);
/* The actions on only while something is selected (labelling also needs a result). */
void     cs_i_window_selection_update_actions (CsWindow *self);

G_END_DECLS
