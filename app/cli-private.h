#pragma once

/* What the CLI's command files share: exit codes, error printing, the options and steps
 * of "load a dataset, choose columns, prepare, run an algorithm". One file per group of
 * commands (cli.c: cluster, render, list, samples, generate; cli-density.c: density and
 * kde-diagnostics; cli-saliency.c: saliency), each command a cs_i_cli_cmd_* entry. */

#include <glib.h>
#include <stdio.h>

#include "core/data/cs-dissim.h"
#include "core/cluster/cs-pipeline.h"
#include "ui/render/cs-export.h"

G_BEGIN_DECLS

enum
{
  EXIT_OK = 0,
  EXIT_RUNTIME = 1,
  EXIT_USAGE = 2,
};

extern const char *cs_i_cli_prog;

/* Prints "clusterscope-cli: message" on stderr (and a --help hint for usage errors); returns status. */
int cs_i_cli_fail (int status, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* The exit status for a core error: EXIT_USAGE for a parameter the user chose (CS_ERROR_PARAMETER),
 * EXIT_RUNTIME for everything else (the data, the files, the machine). */
int cs_i_cli_status_for (const GError *error);
/* Writes and flushes `text` to stdout; a short write (full disk, closed pipe) is an error. */
gboolean cs_i_cli_write_stdout (const char *text, gsize length, GError **error);

/* A number option taken as text, so that "not given" (NULL) is its own state and never a NaN
 * sentinel: `text` must be a finite number > 0 (or >= 0 with allow_zero). */
gboolean cs_i_cli_parse_number (const char *option,
                                const char *text,
                                gboolean    allow_zero,
                                double     *out,
                                GError    **error);

/* Options shared by the commands that load a dataset and run an algorithm. */
typedef struct
{
  char    *algo;
  char   **params;
  char    *columns;
  char    *label_column;
  gboolean standardize;
  gboolean minmax;
  char    *scaling;  /* --scaling auto|none|standardize|minmax; NULL: auto unless a flag above */
  gboolean impute_mean;
  char    *distances;
  gboolean exact_silhouette; /* `cluster --silhouette exact` */
} RunOptions;

void cs_i_cli_run_options_clear (RunOptions *o);
void cs_i_cli_add_run_entries (GOptionContext *ctx, RunOptions *o, gboolean algo_required);

/* Everything `cluster` and `render` share: load, choose columns, prepare and run. */
typedef struct
{
  CsDataset        *ds;
  GArray           *columns; /* dataset column indices, or NULL for the default */
  CsPipelineResult *result;  /* NULL when no algorithm was asked for */
  CsPrepared       *prep;    /* Borrowed from result, or Owned when there is no result */
  CsDissim         *dissim;  /* Owned, may be NULL */
} Run;

void cs_i_cli_run_clear (Run *r);
/* Loads `file`, prepares it and runs o->algo when given; prints the error and returns the exit status. */
int  cs_i_cli_do_run (const char *file, const RunOptions *o, gboolean metrics, Run *r);

/* A path, or a bundled dataset by id ("iris" or "sample:iris") when no such file exists. */
CsDataset *cs_i_cli_load_dataset (const char *what, const char *label_column, GError **error);
char      *cs_i_cli_list_column_names (const CsDataset *ds);
/* Column names → indices; `out` receives a new array. */
gboolean   cs_i_cli_resolve_columns (const CsDataset *ds, const char *spec, GArray **out, GError **error);

GOptionContext *cs_i_cli_command_context (const char *parameter, const char *summary);
gboolean        cs_i_cli_parse (GOptionContext *ctx, int *argc, char ***argv, int *status);

int cs_i_cli_cmd_density (int argc, char **argv);
int cs_i_cli_cmd_kde_diagnostics (int argc, char **argv);
int cs_i_cli_cmd_saliency (int argc, char **argv);
int cs_i_cli_cmd_choose_k (int argc, char **argv); /* cli-choose-k.c */
int cs_i_cli_cmd_graph (int argc, char **argv);
/* `render --view saliency`: chart is "bars", "heatmap", "images" or NULL for the default. */
int cs_i_cli_render_saliency (const Run *r, const char *chart, const char *out, CsExportFormat format,
                              double width_mm, double height_mm, double dpi);
/* `render --view dendrogram` (cli-dendrogram.c): the result's tree with its cut. */
int cs_i_cli_render_dendrogram (const Run *r, const char *out, CsExportFormat format, double width_mm,
                                double height_mm, double dpi);
/* render --view k-distance (cli-kdistance.c) */
int cs_i_cli_render_kdistance (const Run *r, const char *out, CsExportFormat format, double width_mm,
                               double height_mm, double dpi);
/* `cluster --stream` (cli-stream.c): online k-means over FILE read in chunks within a memory
 * budget ("64M"; NULL: 256 MiB). */
int cs_i_cli_cluster_stream (const char *file, const RunOptions *o, gboolean json, gboolean pretty,
                             const char *labels_out, const char *budget_text);

G_END_DECLS
