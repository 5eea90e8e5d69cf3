/* O_TMPFILE and linkat flags are GNU extensions in <fcntl.h>. */
#define _GNU_SOURCE
#include "core/base/cs-file.h"
#include "core/base/cs-error.h"
#include "core/base/cs-file-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct _CsAtomicFile
{
  char *path;
  char *tmp_path; /* Owned: the named temporary, or NULL while the data is in an unnamed file */
  int   fd;
  FILE *stream;   /* Owned, over fd */
  gboolean existed;
  int   slot;     /* in `pending`, or -1 */
};

/* Named temporaries being written, for the signal handler: it may only read these slots and
 * call unlink(). A path stays registered until it is renamed or removed, and freed after. */
#define MAX_PENDING 64
static gpointer pending[MAX_PENDING];
static gboolean force_named;

void
cs_i_atomic_file_force_named (gboolean force)
{
  force_named = force;
}

static int
register_pending (char *path)
{
  for (int i = 0; i < MAX_PENDING; i++)
    if (g_atomic_pointer_compare_and_exchange (&pending[i], NULL, path))
      return i;
  return -1;
}

static void
unregister_pending (int slot)
{
  if (slot >= 0)
    g_atomic_pointer_set (&pending[slot], NULL);
}

static void
remove_pending_on_signal (int sig)
{
  int saved = errno;

  for (int i = 0; i < MAX_PENDING; i++)
    {
      const char *p = g_atomic_pointer_get (&pending[i]);
      if (p != NULL)
        unlink (p);
    }
  errno = saved;
  signal (sig, SIG_DFL);
  raise (sig);
}

void
cs_atomic_file_cleanup_on_signals (void)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
  struct sigaction sa;

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = remove_pending_on_signal;
  sigemptyset (&sa.sa_mask);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      struct sigaction old;

      /* A shell starts background jobs with SIGINT ignored: keep it so. */
      if (sigaction (signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
        continue;
      sigaction (signals[i], &sa, NULL);
    }
}

static void
set_io_error (GError    **error,
              const char *path,
              int         err)
{
  g_set_error (error, CS_ERROR, CS_ERROR_IO, "Could not write ‘%s’: %s%s", path, g_strerror (err),
               err == EACCES || err == EROFS || err == EPERM ? " (choose a folder you can write to)" : "");
}

/* ".NAME.XXXXXX" beside `path`; the X's are filled by the caller. */
static char *
temporary_template (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);

  return g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
}

static void
fill_template (char *tmpl)
{
  static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  char *x = tmpl + strlen (tmpl) - 6;

  for (int i = 0; i < 6; i++)
    x[i] = chars[g_random_int_range (0, (gint32) sizeof chars - 1)];
}

CsAtomicFile *
cs_atomic_file_new (const char *path,
                    GError    **error)
{
  g_autoptr (CsAtomicFile) f = NULL;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  f = g_new0 (CsAtomicFile, 1);
  f->path = g_strdup (path);
  f->fd = -1;
  f->slot = -1;
  f->existed = g_stat (path, &st) == 0;

#if defined(O_TMPFILE) && defined(__linux__)
  /* The unnamed file is linked into place through /proc/self/fd; without /proc it could not be. */
  if (!force_named && g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    {
      g_autofree char *dir = g_path_get_dirname (path);
      f->fd = open (dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    }
#endif
  if (f->fd < 0)
    {
      /* No O_TMPFILE (an older kernel, some network or FUSE file systems): a named temporary. */
      f->tmp_path = temporary_template (path);
      f->fd = g_mkstemp_full (f->tmp_path, O_WRONLY | O_CLOEXEC, 0666);
      if (f->fd < 0)
        {
          set_io_error (error, path, errno);
          g_clear_pointer (&f->tmp_path, g_free);
          return NULL;
        }
      f->slot = register_pending (f->tmp_path);
    }
  f->stream = fdopen (f->fd, "wb");
  if (f->stream == NULL)
    {
      set_io_error (error, path, errno);
      return NULL;
    }
  return g_steal_pointer (&f);
}

FILE *
cs_atomic_file_get_stream (CsAtomicFile *file)
{
  g_return_val_if_fail (file != NULL, NULL);
  return file->stream;
}

gboolean
cs_atomic_file_is_unnamed (const CsAtomicFile *file)
{
  g_return_val_if_fail (file != NULL, FALSE);
  return file->tmp_path == NULL;
}

void
cs_atomic_file_abort (CsAtomicFile *file)
{
  if (file == NULL)
    return;
  if (file->stream != NULL)
    fclose (file->stream);
  else if (file->fd >= 0)
    close (file->fd);
  if (file->tmp_path != NULL)
    g_unlink (file->tmp_path);
  unregister_pending (file->slot);
  g_free (file->tmp_path);
  g_free (file->path);
  g_free (file);
}

/* Gives the unnamed file a hidden name beside the target, so it can be renamed over it
 * (linkat cannot replace an existing file). */
static gboolean
link_unnamed (CsAtomicFile *f,
              GError      **error)
{
  char proc[64];

  g_snprintf (proc, sizeof proc, "/proc/self/fd/%d", f->fd);
  f->tmp_path = temporary_template (f->path);
  f->slot = register_pending (f->tmp_path);
  for (int attempt = 0; attempt < 100; attempt++)
    {
      fill_template (f->tmp_path);
      if (linkat (AT_FDCWD, proc, AT_FDCWD, f->tmp_path, AT_SYMLINK_FOLLOW) == 0)
        return TRUE;
      if (errno != EEXIST)
        break;
    }
  set_io_error (error, f->path, errno);
  /* Nothing was created under that name: abort must not remove someone else's file. */
  unregister_pending (f->slot);
  f->slot = -1;
  g_clear_pointer (&f->tmp_path, g_free);
  return FALSE;
}

gboolean
cs_atomic_file_commit (CsAtomicFile *file,
                       GError      **error)
{
  g_autoptr (CsAtomicFile) f = file;
  int err = 0;

  g_return_val_if_fail (file != NULL, FALSE);

  errno = 0;
  if (fflush (f->stream) != 0 || ferror (f->stream))
    err = errno != 0 ? errno : EIO;
  /* As g_file_set_contents: replacing an existing file needs the data on disk before the
   * rename, or a crash could leave an empty file where the old one was. */
  if (err == 0 && f->existed && fsync (f->fd) != 0 && errno != EINVAL && errno != EROFS)
    err = errno;
  if (err == 0 && f->tmp_path == NULL && !link_unnamed (f, error))
    return FALSE;
  if (err != 0)
    {
      set_io_error (error, f->path, err);
      return FALSE;
    }
  /* Close before the rename: network file systems report write errors at close. */
  err = fclose (f->stream) != 0 ? errno : 0;
  f->stream = NULL;
  f->fd = -1;
  if (err == 0 && g_rename (f->tmp_path, f->path) != 0)
    err = errno;
  if (err != 0)
    {
      set_io_error (error, f->path, err);
      return FALSE;
    }
  /* In place: nothing left to remove. */
  unregister_pending (f->slot);
  f->slot = -1;
  g_clear_pointer (&f->tmp_path, g_free);
  return TRUE;
}

gboolean
cs_write_file_atomic (const char *path,
                      const char *contents,
                      gsize       length,
                      GError    **error)
{
  g_autoptr (CsAtomicFile) f = cs_atomic_file_new (path, error);

  if (f == NULL)
    return FALSE;
  if (length > 0 && fwrite (contents, 1, length, cs_atomic_file_get_stream (f)) != length)
    {
      set_io_error (error, path, errno != 0 ? errno : EIO);
      return FALSE;
    }
  return cs_atomic_file_commit (g_steal_pointer (&f), error);
}
