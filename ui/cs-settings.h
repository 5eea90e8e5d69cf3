#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The application's settings (org.clusterscope.Clusterscope): the installed schema, or the one
 * compiled in the build tree when running from there. NULL, and nothing remembered, when
 * neither exists (g_settings_new would abort). One instance per process; the caller gets a new
 * reference. */
GSettings *cs_settings_dup (void);

G_END_DECLS
