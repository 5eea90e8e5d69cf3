#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* How an isotropic Gaussian KDE of the clustered columns behaves as the bandwidth shrinks:
 * leave-one-out likelihood, effective points and the regime at a chosen h. */

#define CS_TYPE_DIAGNOSTICS_PAGE (cs_diagnostics_page_get_type ())
G_DECLARE_FINAL_TYPE (CsDiagnosticsPage, cs_diagnostics_page, CS, DIAGNOSTICS_PAGE, GtkWidget)

G_END_DECLS
