#pragma once

#include "ui/pages/cs-page.h"

G_BEGIN_DECLS

/* A graph kernel's matrix as a heatmap, its rows and columns ordered by the current clustering
 * (else by the node labels): communities show as dark (high) diagonal blocks, and a kernel that
 * separates them better shows sharper blocks. */

#define CS_TYPE_KERNEL_PAGE (cs_kernel_page_get_type ())
G_DECLARE_FINAL_TYPE (CsKernelPage, cs_kernel_page, CS, KERNEL_PAGE, GtkWidget)

G_END_DECLS
