/* libFuzzer target for the CSV loader: any bytes must give a dataset or a GError, never a
 * crash, a hang or a leak. Built with -Dfuzz=true; run with ./dev fuzz. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "core/data/cs-dataset.h"
#include "core/data/cs-csv.h"
#include "core/base/cs-error.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
load_once (const uint8_t      *data,
           size_t              size,
           const CsCsvOptions *options)
{
  GError *error = NULL;
  CsDataset *ds = cs_dataset_load_csv_data ((const char *) data, size, "fuzz.csv", options, NULL, &error);

  /* Exactly one of the two, and a parse error always says where. */
  g_assert ((ds == NULL) != (error == NULL));
  if (ds)
    {
      g_assert (ds->columns->len > 0);
      for (guint j = 0; j < ds->columns->len; j++)
        {
          CsColumn *col = g_ptr_array_index (ds->columns, j);
          g_assert (g_utf8_validate (col->name, -1, NULL) && col->name[0] != '\0');
          g_assert (col->n_missing < ds->n_rows);
          /* Inf and overflowing numbers are never values (issue 10, item 4). */
          for (gsize i = 0; col->kind == CS_COLUMN_NUMERIC && i < ds->n_rows; i++)
            g_assert (!isinf (col->values[i]));
        }
      for (guint b = 0; b < ds->bad_cells->len; b++)
        {
          const CsBadCells *bad = g_ptr_array_index (ds->bad_cells, b);
          g_assert (bad->n_bad > 0 && bad->n_bad <= bad->n_cells && bad->line >= 1 && bad->column_number >= 1);
          g_assert (g_utf8_validate (bad->excerpt, -1, NULL));
          for (const char *p = bad->excerpt; *p; p++)
            g_assert ((guint8) *p >= 0x20 && *p != 0x7f);
        }
      cs_dataset_unref (ds);
    }
  else
    {
      g_assert (error->domain == CS_ERROR);
      g_error_free (error);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  CsCsvOptions options;

  load_once (data, size, NULL);

  /* The first byte picks forced options, so the fixed-delimiter and no-header paths get
   * exercised on the rest. */
  if (size > 1)
    {
      static const char delimiters[] = { ',', ';', '\t', ' ' };
      cs_csv_options_init (&options);
      options.delimiter = delimiters[data[0] & 3];
      options.decimal = (data[0] & 4) ? ',' : '.';
      options.header = (data[0] & 8) ? 1 : 0;
      options.label_column = (data[0] & 16) ? "" : "label";
      options.bad_cells = (CsCsvBadCells) ((data[0] >> 5) % 3);
      load_once (data + 1, size - 1, &options);
    }
  return 0;
}
