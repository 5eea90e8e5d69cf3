#pragma once

#include <json-glib/json-glib.h>

#include "core/base/cs-file.h"
#include "core/data/cs-dataset.h"
#include "core/data/cs-labels.h"
#include "core/cluster/cs-registry.h"
#include "core/explain/cs-saliency.h"

G_BEGIN_DECLS

/* Results as JSON and CSV, shared by the CLI, the window's "Export results" and session files. */

/* {"algorithm", "params": {...}, "n", "d", "k", "labels", "centers" | "medoids",
 *  "objective", "objective_name", "iterations", "converged", "seconds", "sizes"
 *  [, "core", "border", "noise" (counts), "point_kinds": ["core" | "border" | "noise", ...]
 *   when the result tells them apart] [, "merges": [[a, b, height, size], ...] (hierarchical methods:
 *   SciPy's linkage matrix)]}.
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

/* cs_labels_load_csv (reading them back) is in core/data/cs-labels.h. */

/* Serialises `root` (pretty when asked) to path atomically, or to stdout when path is "-".
 * Valid JSON whatever the values: numbers in the shortest form that reads back exactly,
 * null for NaN and infinities, strings as valid UTF-8 with control characters escaped. */
gboolean cs_json_write (JsonNode *root, gboolean pretty, const char *path, GError **error);
/* The same text, newly allocated (length may be NULL). */
char    *cs_json_to_string (JsonNode *root, gboolean pretty, gsize *length);

/* Appends one CSV field: quoted when it holds a delimiter, quote or line break, and with a
 * leading apostrophe when a spreadsheet would run it as a formula (= + - @ tab CR first,
 * unless it is a number). Every CSV writer goes through it for text. */
void     cs_csv_append_field (GString *s, const char *text);

/* The dataset as CSV (header row; categorical values by level name; missing values empty;
 * numbers in the shortest form that reads back exactly), written atomically. */
gboolean cs_dataset_write_csv (const CsDataset *ds, const char *path, GError **error);

/* Saliency reports ------------------------------------------------------------------------- */

/* {"method", "surrogate_accuracy", ["shap_background", "shap_coalitions" for KernelSHAP,]
 *  "n", "n_labelled", "k", "d", "feature_names",
 *  "clusters": [{"cluster": 0, "name": "Cluster 1", "size", "share", "model_accuracy", "shap_rows", "summary",
 *                "features": [{"name", "rank", "effect_size", "effect_size_ci": [lo, hi], "cliff_delta",
 *                              "favourable", "unfavourable", "shap_mean_abs"}, ...]}, ...]}.
 * "cluster" is the label (from 0), "name" the one the views print (from 1); features keep the
 * data's column order and "rank" (1 = most distinctive, by |effect size|) orders them. */
JsonObject *cs_saliency_report_to_json (const CsSaliencyReport *r);
/* {"name", "levels": [...], "clusters": [{"cluster", "proportions": [...], "rest_proportions": [...],
 *  "difference_ci": [[lo, hi], ...]}, ...]}: a categorical column by its levels' shares. */
JsonObject *cs_saliency_categorical_to_json (const CsSaliencyCategorical *cat);
/* One line per cluster and feature, header
 * "cluster,feature,rank,size,effect_size,effect_lo,effect_hi,cliff_delta,favourable,unfavourable,shap_mean_abs". */
char       *cs_saliency_report_to_csv (const CsSaliencyReport *r);
/* "cluster,size,share,summary", one line per cluster. */
char       *cs_saliency_summaries_to_csv (const CsSaliencyReport *r);
/* "row,cluster,<feature names>": for every labelled row of x, the exact Shapley values of its
 * own cluster's surrogate logit (row numbers from `rows`, or 0..n-1 when NULL). */
char       *cs_saliency_attributions_to_csv (const CsSaliencyReport *r,
                                             const CsMatrix         *x,
                                             const gsize            *rows,
                                             const int              *labels);


G_END_DECLS
