#pragma once

#include <gtk/gtk.h>

#include "core/cluster/cs-pipeline.h"
#include "core/data/cs-dataset.h"
#include "ui/cs-params-panel.h"
#include "ui/cs-plot-view.h"

G_BEGIN_DECLS

/* The main window: a dataset and algorithm sidebar, a welcome page or the plot, and the
 * header bar. Everything it does is a "win." action (open-file, open-sample, generate, run,
 * cancel, export, export-to, ...), so the keyboard, menus and tests share one path. */

#define CS_TYPE_WINDOW (cs_window_get_type ())
G_DECLARE_FINAL_TYPE (CsWindow, cs_window, CS, WINDOW, GtkApplicationWindow)

CsWindow *cs_window_new (GtkApplication *app);

/* Loads a file, a bundled sample or a generated set on a worker; returns at once. */
void cs_window_open_file (CsWindow *self, GFile *file);
void cs_window_open_sample (CsWindow *self, const char *sample_id);
/* `spec` is a toy kind id, optionally with a size and a cluster count: "moons",
 * "blobs:200000:8". */
void cs_window_generate (CsWindow *self, const char *spec);

/* TRUE while the window has a dataset (loaded or loading). */
gboolean   cs_window_has_dataset (CsWindow *self);
CsDataset *cs_window_get_dataset (CsWindow *self);

/* For tests and scripting: what a user would read on screen. */
gboolean    cs_window_is_busy (CsWindow *self);
const char *cs_window_get_status_text (CsWindow *self);
/* The error banner's message, or NULL when the banner is hidden. */
const char    *cs_window_get_error_text (CsWindow *self);
CsPlotView    *cs_window_get_plot_view (CsWindow *self);
CsParamsPanel *cs_window_get_params_panel (CsWindow *self);
/* Selects a registry algorithm by id in the sidebar; FALSE when there is none. */
gboolean cs_window_select_algorithm (CsWindow *self, const char *algorithm_id);
/* Plots two dataset columns (by name), or the first two principal components when either
 * is NULL; FALSE when a name is not a numeric column. */
gboolean cs_window_set_axes (CsWindow *self, const char *x_column, const char *y_column);
/* Shows the clustering the result on screen recorded for `k` (a point of DynMSC's curve):
 * derived and scored on a worker, then published as the current result. FALSE when the
 * result has no clustering for k. */
gboolean cs_window_show_k (CsWindow *self, guint k);
/* Runs the shown result's algorithm again on its inputs with parameter `name` set to `value`
 * (text, as cs_params_set reads it) and shows that; the panel follows when it shows that
 * algorithm. FALSE (with the reason on the error bar) when there is nothing to rerun or the
 * value is refused. */
gboolean cs_window_rerun_with (CsWindow *self, const char *name, const char *value);
/* The result on screen, or NULL (borrowed until the next result). */
const CsPipelineResult *cs_window_get_result (CsWindow *self);
/* The name of the visible main page: "welcome", "loading" or "plot". */
const char *cs_window_get_page (CsWindow *self);
/* The view on the plot page: "scatter", "silhouette", "convergence", "medoids", "choose-k",
 * "density", "diagnostics", "privacy" or "saliency" (switch with the win.show-view action). */
const char *cs_window_get_view (CsWindow *self);
/* The page widget (a CsPage) of view `name`, or NULL: for tests, which find a page's
 * controls in it. */
GtkWidget  *cs_window_get_view_page (CsWindow *self, const char *name);

/* The rows selected in the views (dataset rows, ascending, borrowed until the selection
 * changes); setting it shows it on every page. */
void         cs_window_set_selection (CsWindow *self, const gsize *rows, gsize n);
const gsize *cs_window_get_selection (CsWindow *self, gsize *n);

/* Installs the application's style sheet on the default display (once): the application
 * calls it at startup, and UI tests do too so they measure what users see. */
void cs_window_install_style (void);

/* Teaching (cs-window-teach.c), for tests: whether the sidebar is shown (presenter mode hides
 * it), and the Generate Data window while it is open (else NULL). */
gboolean   cs_window_get_sidebar_visible (CsWindow *self);
GtkWidget *cs_window_get_generate_window (CsWindow *self);

/* Undo (cs-window-undo.c): what win.undo (redo: win.redo) would take back, "Change k to 5", in
 * *label (borrowed until the next change); FALSE, and NULL, when there is nothing. */
gboolean   cs_window_get_undo_label (CsWindow *self, gboolean redo, const char **label);

G_END_DECLS
