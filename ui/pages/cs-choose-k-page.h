#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* The score by number of clusters of an algorithm that tries several k (DynMSC). */

#define CS_TYPE_CHOOSE_K_PAGE (cs_choose_k_page_get_type ())
G_DECLARE_FINAL_TYPE (CsChooseKPage, cs_choose_k_page, CS, CHOOSE_K_PAGE, GtkWidget)

G_END_DECLS
