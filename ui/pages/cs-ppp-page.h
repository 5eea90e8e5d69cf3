#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* PPP's split tree (which splits were accepted and why) beside the clusters. */

#define CS_TYPE_PPP_PAGE (cs_ppp_page_get_type ())
G_DECLARE_FINAL_TYPE (CsPppPage, cs_ppp_page, CS, PPP_PAGE, GtkWidget)

G_END_DECLS
