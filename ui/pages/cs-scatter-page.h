#pragma once

#include "ui/cs-plot-view.h"
#include "ui/pages/cs-page.h"
#include "ui/widgets/cs-playback-bar.h"

G_BEGIN_DECLS

/* The scatter plot of the data or the result: the window feeds its plot view (zoom, pan,
 * hover and lasso live there), every other page follows the points it shows. */

#define CS_TYPE_SCATTER_PAGE (cs_scatter_page_get_type ())
G_DECLARE_FINAL_TYPE (CsScatterPage, cs_scatter_page, CS, SCATTER_PAGE, GtkWidget)

CsPlotView *cs_scatter_page_get_plot_view (CsScatterPage *page);
/* The playback controls under the plot (issue 12). */
CsPlaybackBar *cs_scatter_page_get_playback_bar (CsScatterPage *page);
/* Writes every playback frame as step-NNN.png into `folder` on the page's worker (what the
 * Export Playback… button does after asking for the folder). */
void           cs_scatter_page_export_playback (CsScatterPage *page, const char *folder);

G_END_DECLS
