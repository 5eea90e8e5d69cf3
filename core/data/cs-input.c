#include "core/data/cs-input.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
cs_input_free (CsInput *file)
{
  if (file == NULL)
    return;
  if (file->map)
    g_mapped_file_unref (file->map);
  g_free (file->owned);
  g_free (file);
}

static const char *
kind_of (mode_t mode)
{
  if (S_ISCHR (mode))
    return "a character device";
  if (S_ISBLK (mode))
    return "a block device";
  if (S_ISSOCK (mode))
    return "a socket";
  return "a special file";
}

/* How long a named pipe may go without any program opening it for writing. */
#define WRITER_WAIT_US (2 * G_USEC_PER_SEC)

/* Reads to the end. The descriptor is non-blocking, so a pipe whose writer is slow is waited
 * for in short polls that leave room to cancel. A named pipe nobody has opened for writing
 * reads as end of file at once; it is given WRITER_WAIT_US for a writer to come ("cat data >
 * fifo &" started just before), then refused instead of waited on forever. */
static gboolean
read_stream (int          fd,
             gboolean     fifo,
             const char  *path,
             const char  *expected,
             guint64      max_bytes,
             CsProgress  *progress,
             GString     *out,
             GError     **error)
{
  char buf[65536];
  gint64 deadline = g_get_monotonic_time () + WRITER_WAIT_US;

  for (;;)
    {
      gssize n = read (fd, buf, sizeof buf);
      struct pollfd p = { .fd = fd, .events = POLLIN };

      if (n > 0)
        {
          if ((guint64) out->len + (guint64) n > max_bytes)
            {
              g_autofree char *limit = cs_format_count (max_bytes);
              g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE,
                           "%s: stopped reading after %s bytes, the most read from a pipe or special file; "
                           "save the data to a regular file first", path, limit);
              return FALSE;
            }
          g_string_append_len (out, buf, n);
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_IO, "%s: could not be read: %s", path, g_strerror (errno));
          return FALSE;
        }
      if (n == 0 && (!fifo || out->len > 0))
        return TRUE;
      if (!cs_progress_check (progress, error))
        return FALSE;
      poll (&p, 1, 100);
      if (n == 0)
        {
          /* No writer now: one came and went (POLLHUP, and nothing more to read), or none has
           * come yet. */
          if ((p.revents & POLLHUP) && !(p.revents & POLLIN))
            {
              g_set_error (error, CS_ERROR, CS_ERROR_IO, "%s: is a pipe that gave no data; %s", path, expected);
              return FALSE;
            }
          if (!(p.revents & POLLIN) && g_get_monotonic_time () > deadline)
            {
              g_set_error (error, CS_ERROR, CS_ERROR_IO,
                           "%s: is a named pipe that no program opened for writing within 2 s; %s (start the "
                           "program that writes to it first, or save the data to a file)", path, expected);
              return FALSE;
            }
        }
    }
}

CsInput *
cs_input_load (const char *path,
                   const char *expected,
                   guint64     max_stream_bytes,
                   CsProgress *progress,
                   GError    **error)
{
  g_autoptr (CsInput) file = g_new0 (CsInput, 1);
  g_autofree char *shown = NULL;
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  shown = cs_format_excerpt (path, -1, 4096);
  /* O_NONBLOCK: opening a named pipe for reading blocks until some process opens it for
   * writing, possibly forever; without the flag "cluster FIFO" hangs. */
  fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      int saved = errno;
      if (saved == EISDIR)
        g_set_error (error, CS_ERROR, CS_ERROR_IO, "%s: is a folder; %s", shown, expected);
      else
        g_set_error (error, CS_ERROR, CS_ERROR_IO, "%s: could not be read: %s", shown, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_IO, "%s: could not be read: %s", shown, g_strerror (errno));
      close (fd);
      return NULL;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_IO, "%s: is a folder; %s", shown, expected);
      close (fd);
      return NULL;
    }
  if (S_ISREG (st.st_mode) && st.st_size > 0)
    {
      g_autoptr (GError) local = NULL;

      file->map = g_mapped_file_new_from_fd (fd, FALSE, &local);
      close (fd);
      if (file->map == NULL)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_IO, "%s: could not be read: %s", shown, local->message);
          return NULL;
        }
      file->data = g_mapped_file_get_contents (file->map);
      file->length = g_mapped_file_get_length (file->map);
      file->mapped = TRUE;
      return g_steal_pointer (&file);
    }
  if (S_ISREG (st.st_mode) || S_ISFIFO (st.st_mode))
    {
      /* A FIFO with no writer reads as end of file at once; a size-0 regular file may still
       * have content (/proc/self/status). */
      g_autoptr (GString) text = g_string_new (NULL);
      gboolean ok = read_stream (fd, S_ISFIFO (st.st_mode), shown, expected, max_stream_bytes, progress, text, error);

      close (fd);
      if (!ok)
        return NULL;
      file->length = text->len;
      file->owned = g_string_free (g_steal_pointer (&text), FALSE);
      file->data = file->owned;
      return g_steal_pointer (&file);
    }
  close (fd);
  g_set_error (error, CS_ERROR, CS_ERROR_IO, "%s: is %s, not a file; %s", shown, kind_of (st.st_mode), expected);
  return NULL;
}
