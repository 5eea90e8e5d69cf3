#pragma once

#include <gtk/gtk.h>

#include "ui/cs-window.h"

/* The start of every windowed test program: recent files in a throw-away folder (set before
 * anything asks GLib for it, which it remembers), GTK up, the app's style, a registered
 * application. FALSE (after printing the TAP skip line) when there is no display. *data_home
 * is the folder, for the caller to clean up. */
static inline gboolean
cs_test_ui_init (int            *argc,
                 char         ***argv,
                 const char     *app_id,
                 GtkApplication **app,
                 char          **data_home)
{
  g_autoptr (GError) error = NULL;

  *data_home = g_dir_make_tmp ("cs-test-ui-data-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", *data_home, TRUE);
  g_test_init (argc, argv, NULL);
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return FALSE;
    }
  cs_window_install_style ();
  *app = gtk_application_new (app_id, G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (*app), NULL, &error);
  g_assert_no_error (error);
  return TRUE;
}

/* For cs_test_wait_until: the window runs nothing (no load, run or page work). */
static inline gboolean
cs_test_window_idle (gpointer window)
{
  return !cs_window_is_busy (window);
}

/* The first widget of `type` at or below `root`, depth first, or NULL. */
static inline GtkWidget *
cs_test_find_type (GtkWidget *root,
                   GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cs_test_find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}
