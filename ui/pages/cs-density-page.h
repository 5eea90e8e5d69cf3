#pragma once

#include "ui/cs-plot-selection.h"
#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* A 2-D kernel density of the plotted points with HDR contours; bandwidth, grid and look
 * controls; lasso and rectangle selection of the points under the surface, shared with the
 * other views. */

#define CS_TYPE_DENSITY_PAGE (cs_density_page_get_type ())
G_DECLARE_FINAL_TYPE (CsDensityPage, cs_density_page, CS, DENSITY_PAGE, GtkWidget)

/* The page's lasso: for tests, which draw with it. */
CsPlotSelection *cs_density_page_get_selection (CsDensityPage *page);

G_END_DECLS
