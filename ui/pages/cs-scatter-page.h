#pragma once

#include "ui/cs-plot-selection.h"
#include "ui/cs-plot-view.h"
#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* The scatter plot of the data or the result: the window feeds its plot view (zoom, pan,
 * hover and lasso live there), every other page follows the points it shows. */

#define CS_TYPE_SCATTER_PAGE (cs_scatter_page_get_type ())
G_DECLARE_FINAL_TYPE (CsScatterPage, cs_scatter_page, CS, SCATTER_PAGE, GtkWidget)

CsPlotView *cs_scatter_page_get_plot_view (CsScatterPage *page);
/* The page's lasso and rectangle selection (ui/cs-plot-selection.h): for tests. */
CsPlotSelection *cs_scatter_page_get_selection (CsScatterPage *page);

G_END_DECLS
