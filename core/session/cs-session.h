#pragma once

#include "core/base/cs-matrix.h"
#include "core/cluster/cs-pipeline.h"
#include "core/cluster/cs-result.h"
#include "core/data/cs-dataset.h"
#include "core/data/cs-prepare.h"

G_BEGIN_DECLS

/* A saved piece of work (`.clusterscope`, JSON): where the data came from, how it was prepared,
 * which algorithm ran with which parameters, and its result (labels, centres, medoids), so that
 * reopening shows the same thing without running anything again. The window fills one from
 * its state and restores its state from one; the CLI command that reproduces the current run
 * is derived from one too. Reading is as hostile-input-safe as the CSV loader. */

#define CS_SESSION_VERSION 1
#define CS_SESSION_MEDIA_TYPE "application/x-clusterscope-session"

/* One clustering: the current one, or one kept for comparison. */
typedef struct
{
  char      *title;     /* Owned, may be NULL: what the history list shows ("k-means, k = 3") */
  char      *algorithm; /* Owned: a registry id, or "labels" for labels read from a file */
  char     **params;    /* Owned, NULL-terminated "name=value" in canonical form (as -p takes) */
  gsize      n;         /* rows the labels cover: the prepared rows, in their order */
  guint      k;
  int       *labels;    /* Owned, n entries in [-1, k) */
  CsMatrix  *centers;   /* Owned, k × d, or NULL */
  gsize     *medoids;   /* Owned, k row indices below n, or NULL */
  double    *merges;    /* Owned, (n − 1) × 4 linkage matrix of hierarchical runs, or NULL */
  guint      k_known;   /* novel class discovery: clusters 0 … k_known − 1 are known classes */
  double     objective; /* NaN when unknown */
  double     seconds;   /* run time, NaN when unknown */
} CsSessionRun;

typedef struct
{
  guint      version;        /* CS_SESSION_VERSION when written by this build */
  /* The data: exactly one of path, sample and embedded is set. */
  char      *data_path;      /* Owned: absolute path of the data file */
  char      *data_hash;      /* Owned: "sha256:…" of the file's bytes when saved, or NULL */
  char      *sample;         /* Owned: a bundled dataset's id ("wine") */
  CsDataset *embedded;       /* Owned: data that has no file (drawn or generated), stored inline */
  char      *distances_path; /* Owned, may be NULL: precomputed dissimilarities */
  /* Preparation */
  char      *label_column;   /* Owned, NULL: the default choice; "": none */
  char     **columns;        /* Owned, NULL-terminated, or NULL for the default columns */
  CsScaling  scaling;
  CsMissingPolicy missing;
  char      *bad_cells;      /* Owned, may be NULL: "auto", "missing" or "text" */
  /* Results */
  CsSessionRun *current;     /* Owned, may be NULL: what is shown */
  GPtrArray    *kept;        /* Owned, CsSessionRun*: kept for comparison (may be empty) */
  /* The view */
  char       *view;          /* Owned, may be NULL: the visible page's name ("scatter") */
  GHashTable *settings;      /* Owned, string → string: per-view settings ("scatter.x" → "alcohol") */
  /* Added after the first release of version 1 (readers of version 1 ignore them) */
  char       *data_object;   /* Owned, may be NULL: the matrix inside the HDF5 file at data_path
                                ("/measurements/petals"), opened without asking again */
  gsize      *selection;     /* Owned, may be NULL: the selected rows of the data (0-based, ascending,
                                no repeats), as the table and the lasso left them */
  gsize       n_selection;
} CsSession;

CsSessionRun *cs_session_run_new (const char *algorithm, gsize n, guint k, const int *labels);
void          cs_session_run_free (CsSessionRun *run);
/* A copy of a clustering's labels, centres, medoids and (canonical) parameter values. */
CsSessionRun *cs_session_run_from_clustering (const CsClustering *c);

CsSession *cs_session_new (void);
void       cs_session_free (CsSession *session);

/* Writes the session atomically; a data file is referred to by path and hash, never copied. */
gboolean   cs_session_save (const CsSession *session, const char *path, GError **error);
/* Reads and validates a session file: errors name the file and, for syntax, line and column;
 * for content, the member ("current.labels[12]"). Never trusts a count from the file. */
CsSession *cs_session_load (const char *path, GError **error);
/* The same on bytes in memory; `display_name` is used in messages. */
CsSession *cs_session_load_data (const char *data, gsize length, const char *display_name, GError **error);

/* The run's result on `ds` prepared with options->prepare, scored like a fresh run but not
 * computed again: the saved labels, centres (the clusters' means when none were saved),
 * medoids, parameters and objective. Fails with a sentence when the data no longer has the
 * rows the run covered. */
CsPipelineResult *cs_session_restore (const CsSessionRun      *run,
                                      const CsDataset         *ds,
                                      const CsPipelineOptions *options,
                                      CsProgress              *progress,
                                      GError                 **error);

/* Sets the selection (copied; `rows` ascending without repeats, else FALSE and nothing set). */
gboolean   cs_session_set_selection (CsSession *session, const gsize *rows, gsize n);
/* TRUE when every selected row exists in data of `n_rows` rows; else FALSE with a sentence
 * naming the first row that does not (the data changed since the session was saved). */
gboolean   cs_session_check_selection (const CsSession *session, gsize n_rows, GError **error);

/* "sha256:<hex>" of a file's bytes. */
char      *cs_session_hash_file (const char *path, GError **error);
/* NULL when the session's data file is there and unchanged, else a sentence for the user
 * ("‘wine.csv’ changed since the session was saved: …"). Reopening still goes on. */
char      *cs_session_check_data (const CsSession *session);

/* The clusterscope-cli command line (shell-quoted, starting with `cli`, e.g.
 * "clusterscope-cli") that reproduces the current run's labels, or NULL with *why_not set
 * when no command can (embedded data, labels read from a file, a column name with a comma). */
char      *cs_session_to_command (const CsSession *session, const char *cli, char **why_not);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsSessionRun, cs_session_run_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsSession, cs_session_free)

G_END_DECLS
