#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* DBSCAN's k-distance plot: each row's distance to its k-th nearest row, sorted, with the
 * knee and the run's radius marked; a click on the chart runs DBSCAN again with the radius
 * under the pointer. */

#define CS_TYPE_KDISTANCE_PAGE (cs_kdistance_page_get_type ())
G_DECLARE_FINAL_TYPE (CsKDistancePage, cs_kdistance_page, CS, KDISTANCE_PAGE, GtkWidget)

G_END_DECLS
