/* libFuzzer target for the dissimilarity-file parser (square CSV or i,j,d lists): any bytes
 * must give a valid matrix or a GError, never a crash, a hang or a leak. Built with
 * -Dfuzz=true; run with ./dev fuzz SECONDS dissim. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "core/data/cs-dissim.h"
#include "core/base/cs-error.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GError *error = NULL;
  CsDissim *D = cs_dissim_load_data ((const char *) data, size, "fuzz.csv", NULL, &error);

  g_assert ((D == NULL) != (error == NULL));
  if (D != NULL)
    {
      /* What the algorithms rely on: finite, non-negative, symmetric by construction. */
      g_assert (D->n >= 1);
      for (gsize i = 0; i < D->n; i++)
        for (gsize j = 0; j < i; j++)
          {
            double v = cs_dissim_get (D, i, j);
            g_assert (isfinite (v) && v >= 0.0);
          }
      cs_dissim_free (D);
    }
  else
    {
      g_assert (error->domain == CS_ERROR);
      g_error_free (error);
    }
  return 0;
}
