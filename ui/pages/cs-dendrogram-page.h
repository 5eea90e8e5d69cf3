#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* The merge tree of a hierarchical clustering, with a cut line to drag (or a height to type):
 * a new cut re-colours the tree at once and asks the window, through "show-k", to show the
 * clustering with that many clusters in every view. */

#define CS_TYPE_DENDROGRAM_PAGE (cs_dendrogram_page_get_type ())
G_DECLARE_FINAL_TYPE (CsDendrogramPage, cs_dendrogram_page, CS, DENDROGRAM_PAGE, GtkWidget)

G_END_DECLS
