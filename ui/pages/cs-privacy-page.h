#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* Differentially private similarity sums of the plotted points beside the exact ones, and
 * classification accuracy against ε when the data have classes. */

#define CS_TYPE_PRIVACY_PAGE (cs_privacy_page_get_type ())
G_DECLARE_FINAL_TYPE (CsPrivacyPage, cs_privacy_page, CS, PRIVACY_PAGE, GtkWidget)

G_END_DECLS

