#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* The SDP relaxation's Z ordered by cluster and its certificate (SDP k-means, iLA-SDP). */

#define CS_TYPE_SDP_PAGE (cs_sdp_page_get_type ())
G_DECLARE_FINAL_TYPE (CsSdpPage, cs_sdp_page, CS, SDP_PAGE, GtkWidget)

G_END_DECLS
