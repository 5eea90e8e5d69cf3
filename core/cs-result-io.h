#pragma once

#include <json-glib/json-glib.h>

#include "cs-dataset.h"
#include "cs-registry.h"

G_BEGIN_DECLS

/* Results as JSON and CSV, shared by the CLI, the window's "Export results" and session files. */

/* {"algorithm", "params": {...}, "n", "d", "k", "labels", "centers" | "medoids",
 *  "objective", "objective_name", "iterations", "converged", "seconds", "sizes"}.
 * Extra members (metrics) are added by the caller to the returned object. */
JsonObject *cs_clustering_to_json (const CsClustering *c);
JsonObject *cs_params_to_json (const CsParams *params);
/* Sets member `name` to v, or to null when v is not finite (JSON has no NaN). */
void        cs_json_set_number (JsonObject *o, const char *name, double v);

/* CSV with header "row,label" (dataset row numbers from `rows`, or 0..n-1 when NULL),
 * written atomically. */
gboolean cs_clustering_write_labels_csv (const CsClustering *c,
                                         const gsize        *rows,
                                         const char         *path,
                                         GError            **error);

/* Serialises `root` (pretty when asked) to path atomically, or to stdout when path is "-". */
gboolean cs_json_write (JsonNode *root, gboolean pretty, const char *path, GError **error);

/* The dataset as CSV (header row; categorical values by level name; missing values empty;
 * numbers in the shortest form that reads back exactly), written atomically. */
gboolean cs_dataset_write_csv (const CsDataset *ds, const char *path, GError **error);

/* Writes `contents` to `path` through a temporary file in the same folder and a rename. */
gboolean cs_write_file_atomic (const char *path, const char *contents, gsize length, GError **error);

G_END_DECLS
