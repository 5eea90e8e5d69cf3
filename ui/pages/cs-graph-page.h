#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* The graph whose nodes are the dataset's rows (an edge list opened as data): a
 * force-directed layout computed on a worker (seeded, so the same graph is drawn the same
 * way), nodes coloured by the current clustering or, before a run, by the node table's
 * labels; hover names a node with its label and attributes. */

#define CS_TYPE_GRAPH_PAGE (cs_graph_page_get_type ())
G_DECLARE_FINAL_TYPE (CsGraphPage, cs_graph_page, CS, GRAPH_PAGE, GtkWidget)

G_END_DECLS
