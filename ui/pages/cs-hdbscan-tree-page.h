#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* HDBSCAN's condensed tree (cs-render-condensed-tree.h): which clusters it could have kept and
 * which it selected, in the scatter plot's colours. */

#define CS_TYPE_HDBSCAN_TREE_PAGE (cs_hdbscan_tree_page_get_type ())
G_DECLARE_FINAL_TYPE (CsHdbscanTreePage, cs_hdbscan_tree_page, CS, HDBSCAN_TREE_PAGE, GtkWidget)

G_END_DECLS
