#pragma once

#include "core/base/cs-progress.h"
#include "core/data/cs-dataset.h"

G_BEGIN_DECLS

/* Weka's ARFF: numeric (real, integer), nominal ({a, b}), string and date attributes, dense
 * and sparse ({index value, …}) rows, ? for missing. Nominal attributes become categorical
 * columns with the declared levels in order, strings categorical with levels in order of first
 * appearance, dates numbers of seconds since 1970-01-01 UTC. Relational attributes are
 * refused. label_column as CsCsvOptions.label_column; without one and without a usual label
 * name, the last nominal attribute is the label when it is the last attribute (Weka's class
 * by convention). Errors are CS_ERROR_PARSE "FILE:LINE:COLUMN: what was found, what was
 * expected". */
CsDataset *cs_dataset_load_arff (const char *path,
                                 const char *label_column,
                                 CsProgress *progress,
                                 GError    **error);

/* The same from memory; `name` stands in for the file name in messages. */
CsDataset *cs_dataset_load_arff_data (const char *data,
                                      gsize       length,
                                      const char *name,
                                      const char *label_column,
                                      CsProgress *progress,
                                      GError    **error);

G_END_DECLS
