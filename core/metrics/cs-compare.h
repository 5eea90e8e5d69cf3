#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Two clusterings of the same rows side by side: who went where (the contingency table), which
 * cluster of one is which of the other (Hungarian matching on the overlap), and how much they
 * agree (ARI, NMI, AMI). Noise (-1) gets its own row and column in the table and is left out of
 * the scores, as in cs_metric_ari. */
typedef struct
{
  gsize   n;
  guint   ka;        /* clusters of a (table rows, noise excluded) */
  guint   kb;        /* clusters of b (table columns, noise excluded) */
  guint64 *table;    /* Owned, (ka + 1) × (kb + 1): row ka and column kb count noise */
  int     *match;    /* Owned, ka entries: the b cluster matched to each a cluster, or -1 */
  gsize    matched;  /* rows on matched pairs */
  gsize    compared; /* rows that are noise in neither */
  double   ari;
  double   nmi;
  double   ami;
} CsComparison;

/* Labels in [-1, ka) and [-1, kb); NULL (with a message) when a label is out of range. */
CsComparison *cs_comparison_new (const int *a, guint ka, const int *b, guint kb, gsize n, GError **error);
void          cs_comparison_free (CsComparison *c);

static inline guint64
cs_comparison_count (const CsComparison *c, guint i, guint j)
{
  return c->table[(gsize) i * (c->kb + 1) + j];
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsComparison, cs_comparison_free)

G_END_DECLS
