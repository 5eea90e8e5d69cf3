#include "ui/cs-window-private.h"

#include "core/data/cs-samples.h"
#include "core/data/cs-toy.h"
#include "ui/cs-recent.h"

/* The welcome page (recent files, bundled and generated datasets, also offered in the main
 * menu) and dropping files on the window. */

#define N_RECENT 5

static void
remove_all_rows (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

static GtkWidget *
welcome_row (const char *title, const char *subtitle, const char *action, const char *target)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *t = gtk_label_new (title);
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  gtk_label_set_xalign (GTK_LABEL (t), 0);
  gtk_label_set_ellipsize (GTK_LABEL (t), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (t, "row-title");
  gtk_box_append (GTK_BOX (text), t);
  if (subtitle != NULL && subtitle[0] != '\0')
    {
      GtkWidget *s = gtk_label_new (subtitle);

      gtk_label_set_xalign (GTK_LABEL (s), 0);
      gtk_label_set_ellipsize (GTK_LABEL (s), PANGO_ELLIPSIZE_MIDDLE);
      gtk_widget_add_css_class (s, "dim-label");
      gtk_widget_add_css_class (s, "caption");
      gtk_box_append (GTK_BOX (text), s);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                      -1);
    }
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_add_css_class (arrow, "dim-label");
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), arrow);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_string (target));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return row;
}

static void
fill_recent (CsWindow *self)
{
  g_auto (GStrv) paths = cs_recent_list (N_RECENT);

  remove_all_rows (self->recent_list);
  for (char **p = paths; *p != NULL; p++)
    {
      g_autofree char *base = g_path_get_basename (*p);
      g_autofree char *dir = g_path_get_dirname (*p);

      gtk_list_box_append (GTK_LIST_BOX (self->recent_list), welcome_row (base, dir, "win.open-file", *p));
    }
  gtk_widget_set_visible (self->recent_list, paths[0] != NULL);
  gtk_widget_set_visible (self->recent_heading, paths[0] != NULL);
}

static void
recent_changed_cb (GtkRecentManager *manager, CsWindow *self)
{
  if (!self->disposed)
    fill_recent (self);
}

static void
fill_welcome (CsWindow *self)
{
  gsize               n_samples = 0;
  const CsSampleInfo *samples = cs_samples_list (&n_samples);

  for (gsize i = 0; i < n_samples; i++)
    {
      g_autofree char *action = NULL;
      g_autoptr (GMenuItem) item = NULL;

      gtk_list_box_append (
          GTK_LIST_BOX (self->samples_list),
          welcome_row (samples[i].title, samples[i].description, "win.open-sample", samples[i].id));
      item = g_menu_item_new (samples[i].title, NULL);
      g_menu_item_set_action_and_target_value (item, "win.open-sample", g_variant_new_string (samples[i].id));
      g_menu_append_item (self->samples_menu, item);
    }
  for (int k = 0; k < CS_TOY_N_KINDS; k++)
    {
      const char *id = cs_toy_kind_id (k);
      g_autoptr (GMenuItem) item = g_menu_item_new (cs_toy_kind_title (k), NULL);
      g_autofree char *subtitle = NULL;

      if (k == CS_TOY_MOONS || k == CS_TOY_CIRCLES)
        subtitle = g_strdup ("1,500 points in 2 groups");
      else if (k == CS_TOY_UNIFORM)
        subtitle = g_strdup ("1,500 points with no structure at all");
      else
        subtitle = g_strdup ("1,500 points in 3 groups");
      gtk_list_box_append (GTK_LIST_BOX (self->toys_list),
                           welcome_row (cs_toy_kind_title (k), subtitle, "win.generate", id));
      g_menu_item_set_action_and_target_value (item, "win.generate", g_variant_new_string (id));
      g_menu_append_item (self->toys_menu, item);
    }
  fill_recent (self);
}

static gboolean
drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, CsWindow *self)
{
  GdkFileList  *list;
  GSList       *files;
  GApplication *app;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  list = g_value_get_boxed (value);
  files = gdk_file_list_get_files (list);
  if (files == NULL)
    return FALSE;

  cs_window_open_file (self, files->data);
  /* More than one file: the others each get their own window, as on the command line. */
  app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  if (files->next != NULL && app != NULL)
    {
      guint              n = g_slist_length (files->next);
      g_autofree GFile **rest = g_new (GFile *, n);
      guint              i = 0;

      for (GSList *l = files->next; l != NULL; l = l->next)
        rest[i++] = l->data;
      g_application_open (app, rest, n, "");
    }
  g_slist_free (files);
  return TRUE;
}

void
cs_i_window_welcome_init (CsWindow *self)
{
  GtkDropTarget *drop;

  fill_welcome (self);
  g_signal_connect_object (gtk_recent_manager_get_default (), "changed", G_CALLBACK (recent_changed_cb), self,
                           0);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
