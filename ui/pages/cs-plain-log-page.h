#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* "Plain vs log" (Ivashkin & Chebotarev's central figure, on the user's graph): for a chosen
 * kernel family, kernel k-means at each point of the parameter grid with the plain kernel and
 * with its logarithm, ARI against the node labels, both curves on one chart. */

#define CS_TYPE_PLAIN_LOG_PAGE (cs_plain_log_page_get_type ())
G_DECLARE_FINAL_TYPE (CsPlainLogPage, cs_plain_log_page, CS, PLAIN_LOG_PAGE, GtkWidget)

G_END_DECLS
