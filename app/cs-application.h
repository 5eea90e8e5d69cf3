#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The GtkApplication: app-wide actions (open, new-window, help, about, quit), the shell's window
 * actions (fullscreen), their accelerators, the style sheet, and one window per file given on the
 * command line. Open replaces the data of the window it was asked from. */

#define CS_TYPE_APPLICATION (cs_application_get_type ())
G_DECLARE_FINAL_TYPE (CsApplication, cs_application, CS, APPLICATION, GtkApplication)

CsApplication *cs_application_new (void);

G_END_DECLS
