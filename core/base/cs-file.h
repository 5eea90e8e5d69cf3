#pragma once

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

/* Every file Clusterscope writes (figures, results, CSV) goes through one atomic writer:
 * readers see the old file or the whole new one, never half of one, and an interrupted
 * writer leaves nothing behind.
 *
 * On Linux the data goes to an unnamed file in the target's folder (O_TMPFILE), which is
 * given a name only once it is complete (linkat through /proc/self/fd, then a rename over
 * the target): a SIGKILL or a crash mid-write leaves no file at all. Where the file system
 * cannot do that, a hidden ".NAME.XXXXXX" beside the target is used and renamed; it is
 * removed on failure, and on SIGINT, SIGTERM and SIGHUP once cs_atomic_file_cleanup_on_signals()
 * has been called. */
typedef struct _CsAtomicFile CsAtomicFile;

/* Starts writing `path` (its folder must exist). */
CsAtomicFile *cs_atomic_file_new (const char *path, GError **error);
/* The stream to write to; owned by `file`, do not close it. */
FILE         *cs_atomic_file_get_stream (CsAtomicFile *file);
/* Flushes, syncs where the target already existed, and puts the file in place. Frees `file`
 * whether or not it succeeds; on failure the old file (if any) is untouched. */
gboolean      cs_atomic_file_commit (CsAtomicFile *file, GError **error);
/* Drops everything written and frees `file`; NULL is ignored. */
void          cs_atomic_file_abort (CsAtomicFile *file);
/* TRUE when the data is in an unnamed file that no kill can leave behind. */
gboolean      cs_atomic_file_is_unnamed (const CsAtomicFile *file);

/* Writes `contents` to `path` atomically, as above. */
gboolean cs_write_file_atomic (const char *path, const char *contents, gsize length, GError **error);

/* Installs handlers for SIGINT, SIGTERM and SIGHUP that remove the named temporaries still
 * being written and then let the signal take its default course (the exit status says the
 * process was killed by it). For programs without their own handlers, such as the CLI. */
void cs_atomic_file_cleanup_on_signals (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsAtomicFile, cs_atomic_file_abort)

G_END_DECLS
