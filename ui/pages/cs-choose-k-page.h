#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* How many clusters: the last run's algorithm at every k of a range, scored by several
 * criteria (core/cluster/cs-choose-k.h), with a thumbnail per k and the co-association
 * heatmap; a click shows that k in every view ("show-k"). */

#define CS_TYPE_CHOOSE_K_PAGE (cs_choose_k_page_get_type ())
G_DECLARE_FINAL_TYPE (CsChooseKPage, cs_choose_k_page, CS, CHOOSE_K_PAGE, GtkWidget)

G_END_DECLS
