#pragma once

#include "core/base/cs-progress.h"
#include "core/data/cs-dataset.h"
#include "core/data/cs-load.h"

G_BEGIN_DECLS

/* SPSS (.sav, .zsav, .por), Stata (.dta) and SAS (.sas7bdat, .xpt) files through ReadStat.
 * A numeric variable whose every value has a value label becomes a categorical column whose
 * levels are the labels in order of their values (a variable with labels on some values
 * only, such as 99 = "refused" on a scale, stays numeric: a notice says so); string variables
 * become categorical, the empty string missing; system-missing, Stata's tagged missing (.a …
 * .z) and SPSS user-missing values (discrete or ranges) are missing values; variable labels
 * become the columns' descriptions. label_column as CsCsvOptions.label_column. Errors name the
 * file, the byte offset where reading stopped and, when there is one, the record and
 * variable. */
CsDataset *cs_dataset_load_readstat (const char  *path,
                                     CsFileFormat format,
                                     const char  *label_column,
                                     CsProgress  *progress,
                                     GError     **error);

G_END_DECLS
