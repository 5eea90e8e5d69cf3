#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* A 2-D kernel density of the plotted points with HDR contours; bandwidth, grid and look
 * controls. */

#define CS_TYPE_DENSITY_PAGE (cs_density_page_get_type ())
G_DECLARE_FINAL_TYPE (CsDensityPage, cs_density_page, CS, DENSITY_PAGE, GtkWidget)

G_END_DECLS
