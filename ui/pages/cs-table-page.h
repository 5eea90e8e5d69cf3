#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* The dataset's rows in a virtualised table: row number, cluster of the current result, every
 * column; sortable by any of them, filtered by text, and its selection shared with the other
 * views through the window (CsPage set_selection / "select-rows"). */

#define CS_TYPE_TABLE_PAGE (cs_table_page_get_type ())
G_DECLARE_FINAL_TYPE (CsTablePage, cs_table_page, CS, TABLE_PAGE, GtkWidget)

/* The rows shown, in order (dataset row indices; borrowed, `n` of them): for tests. */
const guint *cs_table_page_get_order (CsTablePage *page, guint *n);
/* TRUE while a sort or filter is computing: for tests. */
gboolean     cs_table_page_is_busy (CsTablePage *page);
/* The text a cell shows, `column` -2 for the row number, -1 for the cluster, else a dataset
 * column: for tests. */
char        *cs_table_page_cell_text (CsTablePage *page, guint row, int column);

G_END_DECLS
