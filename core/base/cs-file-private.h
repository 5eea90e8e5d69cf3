#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Tests only: TRUE makes cs_atomic_file_new use the named-temporary fallback even where the
 * file system could give an unnamed file, so both paths can be checked on one machine. */
void cs_i_atomic_file_force_named (gboolean force);

G_END_DECLS
