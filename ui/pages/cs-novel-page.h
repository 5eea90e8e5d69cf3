#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* Novel class discovery: the cross-validation score against the number of novel classes,
 * the count chosen, and the split into known classes and novel clusters. Applies to results
 * of ncd-kmeans and ncd-spectral only. */

#define CS_TYPE_NOVEL_PAGE (cs_novel_page_get_type ())
G_DECLARE_FINAL_TYPE (CsNovelPage, cs_novel_page, CS, NOVEL_PAGE, GtkWidget)

G_END_DECLS
