#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* The result on screen against the label column or an earlier run: which cluster went where
 * (alluvial), the contingency table with Hungarian-matched pairs, ARI / NMI / AMI. */

#define CS_TYPE_COMPARE_PAGE (cs_compare_page_get_type ())
G_DECLARE_FINAL_TYPE (CsComparePage, cs_compare_page, CS, COMPARE_PAGE, GtkWidget)

G_END_DECLS
