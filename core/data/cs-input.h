#pragma once

#include "core/base/cs-progress.h"

G_BEGIN_DECLS

/* The bytes of an input file, for every reader (CSV, distances, labels). A regular file is
 * mapped; a pipe (named or not) and a regular file that reports size 0 but has content
 * (/proc) are read as a stream up to a cap; a named pipe with nothing writing to it gives
 * a clear error at once instead of blocking; devices and sockets are refused. */
typedef struct
{
  const char  *data;   /* Borrowed from the mapping or `owned`; length bytes, not NUL-terminated */
  gsize        length;
  gboolean     mapped; /* data is a private file mapping (pages may be dropped with madvise) */
  GMappedFile *map;    /* Owned, or NULL */
  char        *owned;  /* Owned, or NULL */
} CsInput;

/* `expected` ends messages ("expected a CSV or TSV file"); a stream longer than
 * max_stream_bytes is refused (CS_ERROR_TOO_LARGE). Errors are CS_ERROR_IO, or
 * CS_ERROR_CANCELLED when progress asks while waiting on a pipe. */
CsInput *cs_input_load (const char *path,
                               const char *expected,
                               guint64     max_stream_bytes,
                               CsProgress *progress,
                               GError    **error);
void        cs_input_free (CsInput *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsInput, cs_input_free)

G_END_DECLS
