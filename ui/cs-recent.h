#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The datasets this application loaded, kept in the desktop's recently-used list under a group of
 * their own: the file chooser adds every file it is accepted on (loaded or not) to the same list
 * under the same application name, so only the group tells a loaded file from a tried one. */

/* Records `path` as a dataset that loaded. */
void cs_recent_add_loaded (const char *path);
/* `path` failed to load: if it was recorded as loaded before, it is no longer offered. */
void cs_recent_forget (const char *path);
/* Up to `max` loaded datasets that still exist as local files, newest first (NULL-terminated). */
char **cs_recent_list (guint max);

G_END_DECLS
