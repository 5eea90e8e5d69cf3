#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* The silhouette of each point of the result, grouped by cluster. */

#define CS_TYPE_SILHOUETTE_PAGE (cs_silhouette_page_get_type ())
G_DECLARE_FINAL_TYPE (CsSilhouettePage, cs_silhouette_page, CS, SILHOUETTE_PAGE, GtkWidget)

G_END_DECLS
