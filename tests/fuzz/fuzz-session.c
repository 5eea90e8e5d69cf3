/* libFuzzer target for the session reader: any bytes must give a session whose counts agree
 * with what it holds (labels in range, medoids below n, centres k rows, the selection ascending
 * and inside embedded data), or a GError, never a crash, a hang or a leak. Built with
 * -Dfuzz=true; run with ./dev fuzz SECONDS session. */
#include <stddef.h>
#include <stdint.h>

#include "core/base/cs-error.h"
#include "core/session/cs-session.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_run (const CsSessionRun *run)
{
  g_assert (run->n >= 1 && run->k <= run->n);
  for (gsize i = 0; i < run->n; i++)
    g_assert (run->labels[i] >= -1 && run->labels[i] < (int) run->k);
  if (run->medoids != NULL)
    for (guint j = 0; j < run->k; j++)
      g_assert (run->medoids[j] < run->n);
  if (run->centers != NULL)
    g_assert (run->centers->rows == run->k && run->centers->cols >= 1);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GError *error = NULL;
  CsSession *s = cs_session_load_data ((const char *) data, size, "fuzz.clusterscope", &error);

  if (s != NULL)
    {
      g_assert (error == NULL);
      g_assert ((s->data_path != NULL) + (s->sample != NULL) + (s->embedded != NULL) == 1);
      if (s->current != NULL)
        check_run (s->current);
      for (guint i = 0; i < s->kept->len; i++)
        check_run (g_ptr_array_index (s->kept, i));
      /* The selection is ascending without repeats, inside embedded data. */
      g_assert ((s->selection == NULL) == (s->n_selection == 0));
      for (gsize i = 1; i < s->n_selection; i++)
        g_assert (s->selection[i] > s->selection[i - 1]);
      if (s->embedded != NULL && s->n_selection > 0)
        g_assert (s->selection[s->n_selection - 1] < s->embedded->n_rows);
      g_assert (s->data_object == NULL || (s->data_path != NULL && s->data_object[0] == '/'));
      cs_session_free (s);
    }
  else
    {
      g_assert (error != NULL && error->domain == CS_ERROR);
      g_error_free (error);
    }
  return 0;
}
