#include "cs-application.h"

#include "core/data/cs-samples.h"
#include "core/data/cs-toy.h"
#include "ui/cs-window.h"

struct _CsApplication
{
  GtkApplication parent_instance;

  char      *sample;   /* Owned: --sample ID, opened by the first window */
  char      *generate; /* Owned: --generate KIND */
  GSettings *settings; /* Owned, NULL when the schema is nowhere to be found */
};

G_DEFINE_FINAL_TYPE (CsApplication, cs_application, GTK_TYPE_APPLICATION)

/* The installed schema, or the one compiled in the build tree when running from there; NULL
 * (and no remembered settings, rather than an abort in g_settings_new) when neither exists. */
static GSettings *
settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchemaSource) build_source = NULL;
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, CS_APP_ID, TRUE);
  if (schema == NULL && g_file_test (CS_SCHEMA_BUILD_DIR "/gschemas.compiled", G_FILE_TEST_EXISTS))
    {
      build_source = g_settings_schema_source_new_from_directory (CS_SCHEMA_BUILD_DIR, source, FALSE, NULL);
      if (build_source != NULL)
        schema = g_settings_schema_source_lookup (build_source, CS_APP_ID, FALSE);
    }
  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

/* The size a window had when it closed is the size the next one opens at. */
static gboolean
window_close_request_cb (GtkWindow *window, CsApplication *self)
{
  int width = 0;
  int height = 0;

  if (self->settings == NULL)
    return FALSE;
  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);
  return FALSE;
}

static CsWindow *
new_window (CsApplication *self)
{
  CsWindow *window = cs_window_new (GTK_APPLICATION (self));

  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (window));
    }
  g_signal_connect (window, "close-request", G_CALLBACK (window_close_request_cb), self);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
cs_application_activate (GApplication *app)
{
  CsApplication *self = CS_APPLICATION (app);
  CsWindow      *window = new_window (self);

  if (self->sample != NULL)
    cs_window_open_sample (window, self->sample);
  else if (self->generate != NULL)
    cs_window_generate (window, self->generate);
  g_clear_pointer (&self->sample, g_free);
  g_clear_pointer (&self->generate, g_free);
}

static void
cs_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  for (int i = 0; i < n_files; i++)
    cs_window_open_file (new_window (CS_APPLICATION (app)), files[i]);
}

static int
cs_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  CsApplication *self = CS_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("clusterscope %s\n", CS_VERSION);
      return 0;
    }
  g_variant_dict_lookup (options, "sample", "s", &self->sample);
  g_variant_dict_lookup (options, "generate", "s", &self->generate);
  if (self->sample != NULL)
    {
      gsize               n = 0;
      const CsSampleInfo *samples = cs_samples_list (&n);
      gboolean            found = FALSE;

      for (gsize i = 0; i < n && !found; i++)
        found = g_strcmp0 (samples[i].id, self->sample) == 0;
      if (!found)
        {
          g_printerr ("clusterscope: there is no bundled dataset called ‘%s’; try one of:", self->sample);
          for (gsize i = 0; i < n; i++)
            g_printerr (" %s", samples[i].id);
          g_printerr ("\n");
          return 2;
        }
    }
  return -1;
}

/* app.open */

static void
open_response_cb (GtkNativeDialog *dialog, int response, CsApplication *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

      if (self->settings != NULL && g_list_model_get_n_items (files) > 0)
        {
          g_autoptr (GFile) first = g_list_model_get_item (files, 0);
          g_autoptr (GFile) folder = g_file_get_parent (first);
          g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

          if (path != NULL)
            g_settings_set_string (self->settings, "last-folder", path);
        }

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr (GFile) file = g_list_model_get_item (files, i);
          CsWindow *target;

          /* An empty window takes the first file; anything else gets a window of its own. */
          if (i == 0 && CS_IS_WINDOW (active) && !cs_window_has_dataset (CS_WINDOW (active)))
            target = CS_WINDOW (active);
          else
            target = new_window (self);
          cs_window_open_file (target, file);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
add_filter (GtkFileChooser    *chooser,
            const char        *name,
            const char *const *patterns,
            const char *const *mime_types)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (; patterns != NULL && *patterns != NULL; patterns++)
    gtk_file_filter_add_pattern (filter, *patterns);
  for (; mime_types != NULL && *mime_types != NULL; mime_types++)
    gtk_file_filter_add_mime_type (filter, *mime_types);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
open_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsApplication           *self = user_data;
  GtkFileChooserNative    *chooser;
  static const char *const table_patterns[] = { "*.csv", "*.CSV", "*.tsv", "*.TSV", "*.txt", NULL };
  static const char *const table_types[] = { "text/csv", "text/tab-separated-values", NULL };
  static const char *const csv_patterns[] = { "*.csv", "*.CSV", NULL };
  static const char *const tsv_patterns[] = { "*.tsv", "*.TSV", NULL };
  static const char *const all_patterns[] = { "*", NULL };

  chooser = gtk_file_chooser_native_new ("Open Dataset",
                                         gtk_application_get_active_window (GTK_APPLICATION (self)),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  if (self->settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (self->settings, "last-folder");

      if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_IS_DIR))
        {
          g_autoptr (GFile) folder = g_file_new_for_path (last);
          gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
        }
    }
  add_filter (GTK_FILE_CHOOSER (chooser), "Tables (CSV, TSV)", table_patterns, table_types);
  add_filter (GTK_FILE_CHOOSER (chooser), "CSV files", csv_patterns, NULL);
  add_filter (GTK_FILE_CHOOSER (chooser), "TSV files", tsv_patterns, NULL);
  add_filter (GTK_FILE_CHOOSER (chooser), "All files", all_patterns, NULL);
  /* Our reference keeps the chooser alive until "response". */
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
new_window_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  new_window (user_data);
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsApplication           *self = user_data;
  static const char *const authors[] = { "The Clusterscope developers", NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (GTK_APPLICATION (self)), "program-name",
                         "Clusterscope", "logo-icon-name", CS_APP_ID, "version", CS_VERSION, "comments",
                         "Explore datasets by clustering and density estimation", "license-type",
                         GTK_LICENSE_GPL_3_0, "authors", authors, NULL);
}

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* Closing each window cancels its work; the application ends with the last one. */
  while (windows != NULL)
    {
      GtkWindow *window = windows->data;

      windows = windows->next;
      gtk_window_destroy (window);
    }
}

static const GActionEntry app_entries[] = {
  { "open", open_activated, NULL, NULL, NULL },
  { "new-window", new_window_activated, NULL, NULL, NULL },
  { "about", about_activated, NULL, NULL, NULL },
  { "quit", quit_activated, NULL, NULL, NULL },
};

static void
cs_application_startup (GApplication *app)
{
  CsApplication *self = CS_APPLICATION (app);
  static const struct
  {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.open", { "<Control>o", NULL } },       { "app.new-window", { "<Control>n", NULL } },
    { "app.quit", { "<Control>q", NULL } },       { "win.run", { "<Control>r", "<Control>Return", NULL } },
    { "win.cancel", { "Escape", NULL } },         { "win.export", { "<Control>e", NULL } },
    { "win.reset-zoom", { "<Control>0", NULL } }, { "win.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (cs_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries, G_N_ELEMENTS (app_entries), app);
  for (gsize i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);

  cs_window_install_style ();
  self->settings = settings_new ();
}

static void
cs_application_finalize (GObject *object)
{
  CsApplication *self = CS_APPLICATION (object);

  g_free (self->sample);
  g_free (self->generate);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cs_application_parent_class)->finalize (object);
}

static void
cs_application_class_init (CsApplicationClass *klass)
{
  GObjectClass      *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = cs_application_finalize;
  app_class->startup = cs_application_startup;
  app_class->activate = cs_application_activate;
  app_class->open = cs_application_open;
  app_class->handle_local_options = cs_application_handle_local_options;
}

static void
cs_application_init (CsApplication *self)
{
  static const GOptionEntry entries[] = {
    { "sample", 's', 0, G_OPTION_ARG_STRING, NULL, "Open a bundled dataset (iris, wine, faithful, …)", "ID" },
    { "generate", 'g', 0, G_OPTION_ARG_STRING, NULL, "Open a generated dataset (blobs, moons, circles, …)",
      "KIND" },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, "Print the version and exit", NULL },
    { NULL },
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), "[FILE…]");
}

CsApplication *
cs_application_new (void)
{
  return g_object_new (CS_TYPE_APPLICATION, "application-id", CS_APP_ID, "flags",
                       G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE, "resource-base-path",
                       "/org/clusterscope/Clusterscope", NULL);
}
