#pragma once

#include "core/base/cs-progress.h"
#include "core/data/cs-dataset.h"

G_BEGIN_DECLS

/* What a column of numbers with some cells that are not numbers becomes. */
typedef enum
{
  CS_CSV_BAD_CELLS_AUTO,    /* numbers, the others missing, when at least 95 % of its cells are
                               numbers; else text */
  CS_CSV_BAD_CELLS_MISSING, /* numbers, the others missing, when at least half are numbers */
  CS_CSV_BAD_CELLS_TEXT,    /* text as soon as one cell is not a number */
} CsCsvBadCells;

const char *cs_csv_bad_cells_id (CsCsvBadCells policy);                 /* "auto", "missing", "text" */
gboolean    cs_csv_bad_cells_from_id (const char *id, CsCsvBadCells *policy);

typedef struct
{
  char        delimiter;    /* 0: sniff among , ; tab space */
  char        decimal;      /* 0: sniff ('.' or ',' — comma only when the delimiter is ';') */
  int         header;       /* -1: detect, 0: no header row, 1: first row is a header */
  const char *label_column; /* NULL: a column called label/class/species/target if any;
                               "" for none */
  CsCsvBadCells bad_cells;  /* default AUTO; "Inf" and numbers beyond the double range are
                               never values: they count as cells that are not numbers */
} CsCsvOptions;

void cs_csv_options_init (CsCsvOptions *options);

/* Loads a CSV/TSV file. Streams large files with progress and cancellation. Errors are
 * CS_ERROR_PARSE with "FILE:LINE:COLUMN: what was found, what was expected", or CS_ERROR_IO.
 * Pipes and files such as /proc/self/status are read as streams (see cs_input_load). */
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
