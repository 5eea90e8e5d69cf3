#pragma once

/* Helpers shared by the bench programs: a plain numeric CSV reader (no header, '.' decimals)
 * and the process's peak resident memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "core/base/cs-error.h"
#include "core/base/cs-matrix.h"

static inline CsMatrix *
read_csv (const char *path,
          GError    **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  gsize rows = 0;
  gsize cols = 0;
  GArray *values;
  char *p;
  CsMatrix *m;

  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  values = g_array_new (FALSE, FALSE, sizeof (double));
  p = text;
  while (*p)
    {
      gsize c = 0;
      while (*p && *p != '\n')
        {
          char *end;
          double v = g_ascii_strtod (p, &end);
          if (end == p)
            {
              g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s: line %" G_GSIZE_FORMAT ": not a number", path,
                           rows + 1);
              g_array_unref (values);
              return NULL;
            }
          g_array_append_val (values, v);
          c++;
          p = end;
          if (*p == ',')
            p++;
          else if (*p == '\r')
            p++;
        }
      if (*p == '\n')
        p++;
      if (c == 0)
        continue;
      if (cols == 0)
        cols = c;
      if (c != cols)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s: line %" G_GSIZE_FORMAT " has %" G_GSIZE_FORMAT
                       " values, expected %" G_GSIZE_FORMAT, path, rows + 1, c, cols);
          g_array_unref (values);
          return NULL;
        }
      rows++;
    }
  m = cs_matrix_new_from_data (rows, cols, (const double *) (void *) values->data);
  g_array_unref (values);
  return m;
}

/* VmHWM from /proc/self/status: getrusage's ru_maxrss carries the parent's peak across exec. */
static inline long
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *hwm;
  struct rusage ru;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) && (hwm = strstr (status, "VmHWM:")) != NULL)
    return strtol (hwm + 6, NULL, 10);
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

