#include "core/metrics/cs-compare.h"

#include "core/base/cs-error.h"
#include "core/metrics/cs-metrics.h"

CsComparison *
cs_comparison_new (const int *a,
                   guint      ka,
                   const int *b,
                   guint      kb,
                   gsize      n,
                   GError   **error)
{
  g_autoptr (CsComparison) c = g_new0 (CsComparison, 1);
  g_autofree double *cost = NULL;
  guint cols = kb + 1;

  c->n = n;
  c->ka = ka;
  c->kb = kb;
  c->table = g_new0 (guint64, (gsize) (ka + 1) * cols);
  c->match = g_new (int, MAX (ka, 1));
  for (gsize i = 0; i < n; i++)
    {
      if (a[i] < -1 || a[i] >= (int) ka || b[i] < -1 || b[i] >= (int) kb)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "Row %" G_GSIZE_FORMAT " has cluster %d and %d, outside the %u and %u clusters compared",
                       i + 1, a[i], b[i], ka, kb);
          return NULL;
        }
      c->table[(gsize) (a[i] < 0 ? ka : (guint) a[i]) * cols + (b[i] < 0 ? kb : (guint) b[i])]++;
      c->compared += a[i] >= 0 && b[i] >= 0;
    }

  /* The matching that puts the most rows on matched pairs. */
  for (guint i = 0; i < ka; i++)
    c->match[i] = -1;
  if (ka > 0 && kb > 0)
    {
      cost = g_new (double, (gsize) ka * kb);
      for (guint i = 0; i < ka; i++)
        for (guint j = 0; j < kb; j++)
          cost[(gsize) i * kb + j] = -(double) cs_comparison_count (c, i, j);
      cs_hungarian (cost, ka, kb, c->match);
      for (guint i = 0; i < ka; i++)
        if (c->match[i] >= 0)
          c->matched += cs_comparison_count (c, i, (guint) c->match[i]);
    }
  c->ari = cs_metric_ari (a, b, n);
  c->nmi = cs_metric_nmi (a, b, n);
  c->ami = cs_metric_ami (a, b, n);
  return g_steal_pointer (&c);
}

void
cs_comparison_free (CsComparison *c)
{
  if (c == NULL)
    return;
  g_free (c->table);
  g_free (c->match);
  g_free (c);
}
