#pragma once

#include "ui/pages/cs-page.h"
#include "ui/render/cs-render-saliency.h"

G_BEGIN_DECLS

/* What makes each cluster what it is: effect sizes, surrogate or KernelSHAP attributions and
 * one-line summaries; a clicked feature goes to the scatter plot (CsPage::set-axes). */

#define CS_TYPE_SALIENCY_PAGE (cs_saliency_page_get_type ())
G_DECLARE_FINAL_TYPE (CsSaliencyPage, cs_saliency_page, CS, SALIENCY_PAGE, GtkWidget)

/* The page's finished report with the result it describes and its drawings; immutable,
 * shared with CSV exports running on a worker. */
typedef struct
{
  gatomicrefcount        ref;
  CsSaliencyReport      *report;      /* Owned */
  CsPageResult          *result;      /* Owned */
  CsSaliencyModel       *model;       /* Owned: bars and heatmap */
  CsSaliencyImagesModel *images;      /* Owned, NULL unless the data are images */
  GPtrArray             *categorical; /* Owned: CsSaliencyCategorical* per categorical column */
} CsSaliencyPageReport;

CsSaliencyPageReport *cs_saliency_page_report_ref (CsSaliencyPageReport *s);
void                  cs_saliency_page_report_unref (CsSaliencyPageReport *s);

/* What the page shows, or NULL (not computed yet, or no result); borrowed. */
CsSaliencyPageReport *cs_saliency_page_get_report (CsSaliencyPage *page);

G_END_DECLS
