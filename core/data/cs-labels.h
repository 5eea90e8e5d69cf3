#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reads cluster labels for a dataset of n_rows rows back from a file, in either of two forms:
 *
 *   - "row,label" with a header, as cs_clustering_write_labels_csv writes it (rows not listed
 *     get -1); the label column is "label", "cluster", or the only column besides "row";
 *   - one label per line, one line per dataset row, with or without a header line. A first
 *     line is a header when it says "label", "cluster" or "row", when the file has exactly
 *     n_rows + 1 lines, or when it is text above numbers.
 *
 * Fields are separated by commas, semicolons or tabs (sniffed from the first line) and may be
 * quoted ("a ""b"""). Labels are numbers or names: when every label is a number the distinct
 * whole numbers become 0..k-1 in ascending order, otherwise the distinct names do in sorted
 * order. An empty field or a negative number marks noise (-1). Blank lines at the end are
 * ignored. Errors (CS_ERROR_PARSE, or CS_ERROR_IO) name the file, line and column: a row
 * number outside the dataset or listed twice, a fractional label, a line with too many or too
 * few fields, a count of lines that does not match, no label at all.
 *
 * labels receives n_rows entries (g_free), k the number of clusters and, when names is not
 * NULL, a NULL-terminated array of the k label texts (g_strfreev). */
gboolean cs_labels_load_csv (const char *path,
                             gsize       n_rows,
                             int       **labels,
                             guint      *k,
                             char     ***names,
                             GError    **error);

/* The same from memory; `name` stands in for the file name in messages. */
gboolean cs_labels_load_csv_data (const char *data,
                                  gsize       length,
                                  const char *name,
                                  gsize       n_rows,
                                  int       **labels,
                                  guint      *k,
                                  char     ***names,
                                  GError    **error);

G_END_DECLS
