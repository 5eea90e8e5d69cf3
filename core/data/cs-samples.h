#pragma once

#include "core/data/cs-dataset.h"

G_BEGIN_DECLS

/* Datasets bundled with the program (compiled into it as a GResource), so it works with no
 * file at all. Origins and licences: resources/data/SOURCES.md. */
typedef struct
{
  const char *id;          /* "iris" */
  const char *title;       /* "Iris flowers" */
  const char *description; /* one line: "150 flowers, 4 measurements, 3 species" */
} CsSampleInfo;

const CsSampleInfo *cs_samples_list (gsize *n_samples);
/* Loads a bundled dataset by id; sets image_rows/cols for digits. */
CsDataset          *cs_sample_load (const char *id, GError **error);

G_END_DECLS
