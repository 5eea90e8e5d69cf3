/* libFuzzer target for the label-file reader (row,label CSV or one label per line, with or
 * without a header): any bytes, against a dataset of any size, must give labels in [-1, k)
 * with k level names, or a GError, never a crash, a hang or a leak. Built with -Dfuzz=true;
 * run with ./dev fuzz SECONDS labels. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/data/cs-labels.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check (const uint8_t *data,
       size_t         size,
       gsize          n_rows)
{
  GError *error = NULL;
  int *labels = NULL;
  char **names = NULL;
  guint k = 0;

  if (cs_labels_load_csv_data ((const char *) data, size, "fuzz.csv", n_rows, &labels, &k, &names, &error))
    {
      g_assert (error == NULL && k >= 1 && g_strv_length (names) == k);
      for (gsize i = 0; i < n_rows; i++)
        g_assert (labels[i] >= -1 && labels[i] < (int) k);
      for (guint c = 0; c < k; c++)
        g_assert (g_utf8_validate (names[c], -1, NULL));
      g_free (labels);
      g_strfreev (names);
    }
  else
    {
      g_assert (labels == NULL && names == NULL && error != NULL && error->domain == CS_ERROR);
      g_error_free (error);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  gsize lines = 0;

  for (size_t i = 0; i < size; i++)
    lines += data[i] == '\n';
  /* The line count with and without a header line, and a size unrelated to the file. */
  check (data, size, lines);
  check (data, size, lines + 1);
  if (lines > 0)
    check (data, size, lines - 1);
  check (data, size, 7);
  return 0;
}
