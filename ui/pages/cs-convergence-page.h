#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* The objective after each iteration or swap of the run, from its trace. */

#define CS_TYPE_CONVERGENCE_PAGE (cs_convergence_page_get_type ())
G_DECLARE_FINAL_TYPE (CsConvergencePage, cs_convergence_page, CS, CONVERGENCE_PAGE, GtkWidget)

G_END_DECLS
