#pragma once

#include "core/base/cs-progress.h"
#include "core/data/cs-csv.h"
#include "core/data/cs-dataset.h"

G_BEGIN_DECLS

/* Every kind of file a dataset can be read from. */
typedef enum
{
  CS_FILE_FORMAT_CSV,      /* also TSV and any other delimited text */
  CS_FILE_FORMAT_ARFF,     /* Weka */
  CS_FILE_FORMAT_SAV,      /* SPSS .sav and compressed .zsav */
  CS_FILE_FORMAT_POR,      /* SPSS portable */
  CS_FILE_FORMAT_DTA,      /* Stata */
  CS_FILE_FORMAT_SAS7BDAT, /* SAS data set */
  CS_FILE_FORMAT_XPT,      /* SAS transport (XPORT) */
  CS_FILE_FORMAT_HDF5,
  CS_FILE_FORMAT_H5AD,     /* AnnData, an HDF5 file with X, obs and var */
} CsFileFormat;

/* What a file is, by its first bytes (the signatures of SPSS, Stata, SAS, HDF5, ARFF's
 * @relation), then by its extension; anything else is read as delimited text. A file that
 * cannot be opened is CSV here (the reader then says why it cannot be read). */
CsFileFormat cs_file_format_detect (const char *path);
/* The same from the first bytes only (up to 1 KiB is enough) and a name for its extension. */
CsFileFormat cs_file_format_detect_data (const char *head,
                                         gsize       length,
                                         const char *name);
/* "SPSS", "Stata", "HDF5", … for messages. */
const char  *cs_file_format_name (CsFileFormat format);

/* Every file name pattern ("*.csv", "*.sav", …) and MIME type the loaders read, NULL-terminated,
 * for open dialogs and drag and drop. */
const char *const *cs_file_format_patterns (void);
const char *const *cs_file_format_mime_types (void);

/* Reads any supported file into a dataset that goes through the same column roles, missing
 * values and preprocessing as a CSV: options->label_column chooses the label the same way for
 * every format (the CSV-only fields are ignored for the others). `hdf5_dataset` names the
 * dataset inside an HDF5 file (NULL: the only 2-D numeric one, or X of an .h5ad). Errors name
 * the file and a position in it: line and column for text, else byte offset, record or
 * variable. */
CsDataset *cs_dataset_load_file (const char         *path,
                                 const CsCsvOptions *options,
                                 const char         *hdf5_dataset,
                                 CsProgress         *progress,
                                 GError            **error);

G_END_DECLS
