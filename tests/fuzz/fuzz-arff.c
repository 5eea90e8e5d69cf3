/* libFuzzer target for the ARFF reader: any bytes must give a dataset or a GError, never a
 * crash, a hang or a leak. Built with -Dfuzz=true; run with ./dev fuzz SECONDS arff. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/data/cs-arff.h"
#include "core/base/cs-error.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GError *error = NULL;
  CsDataset *ds = cs_dataset_load_arff_data ((const char *) data, size, "fuzz.arff", NULL, NULL, &error);

  g_assert ((ds == NULL) != (error == NULL));
  if (ds)
    {
      g_assert (ds->columns->len > 0 && ds->n_rows > 0);
      g_assert (ds->label_column < (int) ds->columns->len);
      for (guint j = 0; j < ds->columns->len; j++)
        {
          CsColumn *col = g_ptr_array_index (ds->columns, j);
          g_assert (g_utf8_validate (col->name, -1, NULL) && col->name[0] != '\0');
          g_assert (col->n_missing < ds->n_rows);
          for (gsize i = 0; i < ds->n_rows; i++)
            {
              double v = col->values[i];
              g_assert (!isinf (v));
              if (col->kind == CS_COLUMN_CATEGORICAL && !isnan (v))
                g_assert (v >= 0 && v < col->levels->len && v == floor (v));
            }
          for (guint l = 0; col->levels && l < col->levels->len; l++)
            g_assert (g_utf8_validate (g_ptr_array_index (col->levels, l), -1, NULL));
        }
      cs_dataset_unref (ds);
    }
  else
    {
      g_assert (error->domain == CS_ERROR);
      /* Parse errors say where: the name, then a line and column. */
      if (error->code == CS_ERROR_PARSE)
        g_assert (g_str_has_prefix (error->message, "fuzz.arff:"));
      g_error_free (error);
    }
  return 0;
}
