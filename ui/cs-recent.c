#include "ui/cs-recent.h"

#include <gtk/gtk.h>

#define LOADED_GROUP "clusterscope-loaded"

void
cs_recent_add_loaded (const char *path)
{
  g_autoptr (GFile) file = NULL;
  g_autofree char *uri = NULL;
  const char      *groups[] = { LOADED_GROUP, NULL };
  GtkRecentData    recent = { 0 };

  g_return_if_fail (path != NULL);

  file = g_file_new_for_path (path);
  uri = g_file_get_uri (file);
  recent.mime_type = (char *)(g_str_has_suffix (path, ".tsv") || g_str_has_suffix (path, ".TSV")
                                  ? "text/tab-separated-values"
                                  : "text/csv");
  recent.app_name = (char *)g_get_application_name ();
  recent.app_exec = (char *)"clusterscope %f";
  recent.groups = (char **)groups;
  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &recent);
}

void
cs_recent_forget (const char *path)
{
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  g_autoptr (GFile) file = NULL;
  g_autofree char *uri = NULL;
  GtkRecentInfo   *info;

  g_return_if_fail (path != NULL);

  file = g_file_new_for_path (path);
  uri = g_file_get_uri (file);
  info = gtk_recent_manager_lookup_item (manager, uri, NULL);
  if (info == NULL)
    return;
  /* Only our own record goes: an entry the file chooser or another program made says nothing
   * about whether the file loads here, and the list has no way to drop just one group. */
  if (gtk_recent_info_has_group (info, LOADED_GROUP))
    gtk_recent_manager_remove_item (manager, uri, NULL);
  gtk_recent_info_unref (info);
}

static int
newest_first (gconstpointer a, gconstpointer b)
{
  GDateTime *ma = gtk_recent_info_get_modified ((GtkRecentInfo *)a);
  GDateTime *mb = gtk_recent_info_get_modified ((GtkRecentInfo *)b);

  return g_date_time_compare (mb, ma);
}

char **
cs_recent_list (guint max)
{
  GList     *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  GPtrArray *paths = g_ptr_array_new ();

  items = g_list_sort (items, newest_first);
  for (GList *l = items; l != NULL && paths->len < max; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      g_autoptr (GFile) file = NULL;
      char *path;

      if (!gtk_recent_info_has_group (info, LOADED_GROUP))
        continue;
      file = g_file_new_for_uri (gtk_recent_info_get_uri (info));
      path = g_file_get_path (file);
      if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_free (path);
          continue;
        }
      g_ptr_array_add (paths, path);
    }
  g_list_free_full (items, (GDestroyNotify)gtk_recent_info_unref);
  g_ptr_array_add (paths, NULL);
  return (char **)g_ptr_array_free (paths, FALSE);
}
