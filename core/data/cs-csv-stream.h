#pragma once

#include "core/data/cs-csv.h"

G_BEGIN_DECLS

/* A CSV file read a chunk at a time, so a file larger than memory can be passed over (several
 * times: cs_csv_stream_rewind). Each chunk is a run of whole records (never cut inside a quoted
 * field) parsed by the ordinary reader (cs_dataset_load_csv_data) with the delimiter, decimal
 * mark and header that the first chunk settled; messages name the file and the line in the
 * whole file. Every chunk has the first chunk's columns, in the same order and of the same
 * kind, or reading it fails. */
typedef struct _CsCsvStream CsCsvStream;

/* chunk_bytes: about how much text each chunk holds (a record longer than that makes a longer
 * chunk). */
CsCsvStream *cs_csv_stream_open (const char         *path,
                                 const CsCsvOptions *options,
                                 gsize               chunk_bytes,
                                 GError            **error);
void         cs_csv_stream_free (CsCsvStream *s);

/* The next chunk as a dataset, or NULL at the end of the file (error unset) or on an error.
 * *first_row (may be NULL) receives the index in the file of the chunk's first row. */
CsDataset   *cs_csv_stream_next (CsCsvStream *s,
                                 gsize       *first_row,
                                 GError     **error);
/* Back to the first chunk. */
gboolean     cs_csv_stream_rewind (CsCsvStream *s,
                                   GError     **error);
/* The first chunk's dataset (columns, label column, notices): valid for the stream's life. */
const CsDataset *cs_csv_stream_schema (const CsCsvStream *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsCsvStream, cs_csv_stream_free)

G_END_DECLS
