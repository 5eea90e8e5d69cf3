#pragma once

#include <gtk/gtk.h>

#include "core/cluster/cs-pipeline.h"
#include "core/data/cs-dataset.h"
#include "ui/render/cs-plot-model.h"
#include "ui/render/cs-render.h"

G_BEGIN_DECLS

/* One view of the window's data: a widget the window shows in its view stack and talks to
 * only through this interface. The window tells every page what changed (dataset, result,
 * plotted points) and which page is on screen; a page computes what it shows (on a CsWorker
 * when it takes time), says whether it applies to the data and why not, and hands Export
 * its figure. A page asks the window for something only through the signals below; it never
 * sees the window.
 *
 * To add a page: write ui/pages/cs-<name>-page.{c,h,ui} implementing this interface, list
 * its type in the window's page list (cs-window.c, `page_types`) and its files in
 * ui/meson.build and the resource bundle. */

/* A finished pipeline result shared between the window, the pages and the workers that read
 * it: a new run replaces the window's reference while a worker may still hold the old one. */
typedef struct
{
  CsPipelineResult *pipeline; /* Owned */
  char             *title;    /* Owned, may be NULL: how the run history names it ("k-means, k = 3 …") */
} CsPageResult;

CsPageResult *cs_page_result_new (CsPipelineResult *pipeline);
CsPageResult *cs_page_result_ref (CsPageResult *r);
void          cs_page_result_unref (CsPageResult *r);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsPageResult, cs_page_result_unref)

typedef enum
{
  CS_PAGE_GROUP_CLUSTERS,
  CS_PAGE_GROUP_DENSITY,
  CS_PAGE_GROUP_EXPLAIN,
  CS_PAGE_GROUP_DATA,      /* the data itself: points, rows, the graph */
  CS_PAGE_GROUP_STRUCTURE, /* what a model found beyond labels: trees, kernels, certificates */
  CS_PAGE_N_GROUPS,
} CsPageGroup;

const char *cs_page_group_title (CsPageGroup group);

#define CS_TYPE_PAGE (cs_page_get_type ())
G_DECLARE_INTERFACE (CsPage, cs_page, CS, PAGE, GtkWidget)

struct _CsPageInterface
{
  GTypeInterface parent_iface;

  /* Set in the implementation's interface init */
  const char *name;  /* the view's id for win.show-view ("silhouette") */
  const char *title; /* the switcher's label ("Silhouette") */
  CsPageGroup group;

  /* All optional. Pointers are borrowed for the call unless said otherwise. */
  void (*set_dataset) (CsPage *page, CsDataset *dataset);
  /* `result` may be NULL; take a reference to keep it. */
  void (*set_result) (CsPage *page, CsPageResult *result);
  /* The scatter plot's model, or NULL. Borrowed until the next call (the plot view owns it). */
  void (*set_points) (CsPage *page, const CsPlotModel *scatter);
  /* The page came on screen: compute what is stale. */
  void (*shown) (CsPage *page);
  /* Stop every worker and drop their results. */
  void (*cancel) (CsPage *page);
  /* FALSE with a reason for the switcher's tooltip when the page has nothing to show for
   * the data; default TRUE. */
  gboolean (*applies) (CsPage *page, char **why_not);
  /* The switcher's label when it depends on the data (default: title). */
  const char *(*get_title) (CsPage *page);
  /* What Export writes while the page is on screen: a new reference to the model, freed with
   * `*unref`, safe to use on a worker thread. Default: the first CsFigureView in the page. */
  gboolean (*get_figure) (CsPage *page, CsRenderFunc *func, gpointer *model, GDestroyNotify *unref);
  /* The window's earlier runs on this dataset, newest first (CsPageResult*, borrowed: take a
   * reference to keep one). */
  void (*set_history) (CsPage *page, GPtrArray *history);
  /* The window's selection: `n` dataset rows in ascending order (borrowed; copy to keep).
   * A page that lets the user select emits "select-rows" (cs_page_request_selection); the
   * window then sets the selection on every page, the one that asked included. */
  void (*set_selection) (CsPage *page, const gsize *rows, gsize n);
  /* Presenter mode on or off (issue 12). Default: every CsFigureView and CsPlotView in the
   * page draws `scale` times larger in the high-contrast palette (cs-render-style.h). */
  void (*set_presenter) (CsPage *page, gboolean on);
};

const char *cs_page_get_name (CsPage *page);
const char *cs_page_get_title (CsPage *page);
CsPageGroup cs_page_get_group (CsPage *page);
void        cs_page_set_dataset (CsPage *page, CsDataset *dataset);
void        cs_page_set_result (CsPage *page, CsPageResult *result);
void        cs_page_set_points (CsPage *page, const CsPlotModel *scatter);
void        cs_page_shown (CsPage *page);
void        cs_page_set_history (CsPage *page, GPtrArray *history);
void        cs_page_set_selection (CsPage *page, const gsize *rows, gsize n);
void        cs_page_cancel (CsPage *page);
gboolean    cs_page_applies (CsPage *page, char **why_not);
gboolean    cs_page_get_figure (CsPage *page, CsRenderFunc *func, gpointer *model, GDestroyNotify *unref);
void        cs_page_set_presenter (CsPage *page, gboolean on);

/* For implementations: TRUE while `page` is the visible child of its stack. */
gboolean cs_page_is_visible (CsPage *page);
/* Asks the window to plot two dataset columns (the "set-axes" signal); FALSE when it could not. */
gboolean cs_page_request_axes (CsPage *page, const char *x_column, const char *y_column);
/* Asks the window to show the clustering the current result recorded for k (the "show-k"
 * signal); FALSE when it could not. */
gboolean cs_page_request_k (CsPage *page, guint k);
/* Tells the window that what the page offers (its applicability, title or exports) changed
 * outside the set_* calls (the "changed" signal). */
void     cs_page_changed (CsPage *page);
/* Asks the window to make these dataset rows (ascending, borrowed) the selection shown in
 * every view (the "select-rows" signal). */
void     cs_page_request_selection (CsPage *page, const gsize *rows, gsize n);
/* Asks the window to run the current result's algorithm again with parameter `name` set to
 * `value` and show that everywhere (the "rerun-with" signal); TRUE when the run started. */
gboolean cs_page_request_rerun (CsPage *page, const char *name, const char *value);

G_END_DECLS
