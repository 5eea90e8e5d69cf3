#pragma once

#include <cairo.h>

#include "core/metrics/cs-compare.h"

G_BEGIN_DECLS

/* Two clusterings of the same rows: an alluvial view (which cluster went where) beside the
 * contingency table with matched pairs on its diagonal, under the agreement scores. Immutable
 * once made and refcounted, so a worker can render an export while the page shows it. */
typedef struct
{
  gatomicrefcount ref;
  CsComparison   *comparison; /* Owned */
  char           *title_a;    /* Owned: what the rows are ("k-means, k = 3") */
  char           *title_b;    /* Owned: what the columns are ("Label column ‘species’") */
  char          **names_b;    /* Owned, may be NULL: kb names for b's clusters (class names) */
} CsCompareModel;

/* Takes `comparison`; names_b (kb entries) is copied when given. */
CsCompareModel *cs_compare_model_new (CsComparison *comparison, const char *title_a, const char *title_b,
                                      const char *const *names_b);
CsCompareModel *cs_compare_model_ref (CsCompareModel *m);
void            cs_compare_model_unref (CsCompareModel *m);

/* The order b's clusters are drawn in: the match of each a cluster in turn, then the unmatched
 * ones. order[] gets kb entries. */
void cs_compare_model_b_order (const CsCompareModel *m, guint *order);

void cs_render_compare (cairo_t *cr, const CsCompareModel *m, double width, double height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsCompareModel, cs_compare_model_unref)

G_END_DECLS
