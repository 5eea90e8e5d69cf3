#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CS_ERROR (cs_error_quark ())

/* Every core failure is one of these. Messages name the file, line, column or parameter
 * and, where there is one, what would work instead. */
typedef enum
{
  CS_ERROR_PARSE,            /* malformed input file */
  CS_ERROR_INVALID_ARGUMENT, /* a parameter or input outside what the algorithm accepts */
  CS_ERROR_TOO_LARGE,        /* would not fit in the memory budget */
  CS_ERROR_NUMERIC,          /* a decomposition failed, a value became NaN, ... */
  CS_ERROR_CANCELLED,        /* the caller asked to stop */
  CS_ERROR_IO,               /* reading or writing a file */
  CS_ERROR_PARAMETER,        /* a parameter value the caller chose cannot work, whatever the data (the CLI
                                reports it as a usage error, exit status 2) */
} CsError;

GQuark cs_error_quark (void);

G_END_DECLS
