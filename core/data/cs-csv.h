#pragma once

#include "core/base/cs-progress.h"
#include "core/data/cs-dataset.h"

G_BEGIN_DECLS

typedef struct
{
  char        delimiter;    /* 0: sniff among , ; tab space */
  char        decimal;      /* 0: sniff ('.' or ',' — comma only when the delimiter is ';') */
  int         header;       /* -1: detect, 0: no header row, 1: first row is a header */
  const char *label_column; /* NULL: a column called label/class/species/target if any;
                               "" for none */
} CsCsvOptions;

void cs_csv_options_init (CsCsvOptions *options);

/* Loads a CSV/TSV file. Streams large files with progress and cancellation. Errors are
 * CS_ERROR_PARSE with "FILE:LINE:COLUMN: what was found, what was expected", or CS_ERROR_IO. */
CsDataset *cs_dataset_load_csv (const char         *path,
                                const CsCsvOptions *options,
                                CsProgress         *progress,
                                GError            **error);

/* The same from memory; `name` stands in for the file name in messages. */
CsDataset *cs_dataset_load_csv_data (const char         *data,
                                     gsize               length,
                                     const char         *name,
                                     const CsCsvOptions *options,
                                     CsProgress         *progress,
                                     GError            **error);

G_END_DECLS
