#include "cs-application.h"

#include "core/data/cs-load.h"
#include "core/data/cs-samples.h"
#include "core/data/cs-toy.h"
#include "ui/cs-settings.h"
#include "ui/cs-window.h"

struct _CsApplication
{
  GtkApplication parent_instance;

  char      *sample;   /* Owned: --sample ID, opened by the first window */
  char      *generate; /* Owned: --generate KIND */
  GSettings *settings; /* Owned, NULL when the schema is nowhere to be found */
};

G_DEFINE_FINAL_TYPE (CsApplication, cs_application, GTK_TYPE_APPLICATION)

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

/* win.fullscreen (F11). Its state is what was asked for until the window manager answers with
 * the window's real state (a refusal, or leaving full screen by other means). */
static void
fullscreen_change_state_cb (GSimpleAction *action, GVariant *value, GtkWindow *window)
{
  if (g_variant_get_boolean (value))
    gtk_window_fullscreen (window);
  else
    gtk_window_unfullscreen (window);
  g_simple_action_set_state (action, value);
}

static void
fullscreened_cb (GtkWindow *window, GParamSpec *pspec, GSimpleAction *action)
{
  g_simple_action_set_state (action, g_variant_new_boolean (gtk_window_is_fullscreen (window)));
}

static CsWindow *
new_window (CsApplication *self)
{
  CsWindow *window = cs_window_new (GTK_APPLICATION (self));
  g_autoptr (GSimpleAction) fullscreen
      = g_simple_action_new_stateful ("fullscreen", NULL, g_variant_new_boolean (FALSE));

  /* A shell action every window gets, defined here beside its accelerator. */
  g_signal_connect (fullscreen, "change-state", G_CALLBACK (fullscreen_change_state_cb), window);
  g_signal_connect_object (window, "notify::fullscreened", G_CALLBACK (fullscreened_cb), fullscreen, 0);
  g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (fullscreen));

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
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL)
    {
      GtkApplication *app = GTK_APPLICATION (self);
      GtkWindow      *parent = gtk_native_dialog_get_transient_for (dialog);
      g_autoptr (GFile) folder = g_file_get_parent (file);
      g_autofree char *folder_path = folder != NULL ? g_file_get_path (folder) : NULL;

      if (self->settings != NULL && folder_path != NULL)
        g_settings_set_string (self->settings, "last-folder", folder_path);

      /* One rule for every source of data (Open, Open Sample, Generate, Recent): it replaces the
       * data of the window it was asked from, even when that window shows data. A new window is
       * only ever an explicit action (New Window). The window may have closed meanwhile. */
      if (parent == NULL || g_list_find (gtk_application_get_windows (app), parent) == NULL)
        parent = gtk_application_get_active_window (app);
      cs_window_open_file (CS_IS_WINDOW (parent) ? CS_WINDOW (parent) : new_window (self), file);
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

/* Suffixes match in any case (DATA.SAV), which patterns do not. */
static void
add_suffix_filter (GtkFileChooser *chooser, const char *name, const char *const *suffixes)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (; *suffixes != NULL; suffixes++)
    gtk_file_filter_add_suffix (filter, *suffixes);
  gtk_file_chooser_add_filter (chooser, filter);
}

/* Every file the loaders read (cs_file_format_patterns), the first and so the default filter. */
static void
add_supported_filter (GtkFileChooser *chooser)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, "All supported data (CSV, TSV, ARFF, SPSS, Stata, SAS, HDF5)");
  for (const char *const *p = cs_file_format_patterns (); *p != NULL; p++)
    gtk_file_filter_add_suffix (filter, *p + 2);
  for (const char *const *t = cs_file_format_mime_types (); *t != NULL; t++)
    if (g_strcmp0 (*t, "text/plain") != 0)
      gtk_file_filter_add_mime_type (filter, *t);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
open_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  static const char *const arff_suffixes[] = { "arff", NULL };
  static const char *const stats_suffixes[] = { "sav", "zsav", "por", "dta", "sas7bdat", "xpt", NULL };
  static const char *const hdf5_suffixes[] = { "h5", "hdf5", "he5", "h5ad", NULL };
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
  if (self->settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (self->settings, "last-folder");

      if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_IS_DIR))
        {
          g_autoptr (GFile) folder = g_file_new_for_path (last);
          gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
        }
    }
  add_supported_filter (GTK_FILE_CHOOSER (chooser));
  add_filter (GTK_FILE_CHOOSER (chooser), "Tables (CSV, TSV)", table_patterns, table_types);
  add_filter (GTK_FILE_CHOOSER (chooser), "CSV files", csv_patterns, NULL);
  add_filter (GTK_FILE_CHOOSER (chooser), "TSV files", tsv_patterns, NULL);
  add_suffix_filter (GTK_FILE_CHOOSER (chooser), "ARFF (Weka)", arff_suffixes);
  add_suffix_filter (GTK_FILE_CHOOSER (chooser), "SPSS, Stata and SAS files", stats_suffixes);
  add_suffix_filter (GTK_FILE_CHOOSER (chooser), "HDF5 and AnnData", hdf5_suffixes);
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

/* app.help (F1): the README, whose "Using the application" section is the user's guide; the
 * installed copy, or the one in the source tree when running from the build tree. */
static char *
help_path (void)
{
  const char *const candidates[] = { CS_DOC_DIR "/README.md", CS_SOURCE_DIR "/README.md" };

  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (g_file_test (candidates[i], G_FILE_TEST_IS_REGULAR))
      return g_strdup (candidates[i]);
  return NULL;
}

static void
show_help_error (GtkWindow *parent, const char *detail)
{
  GtkWidget *dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                              GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "Could not open the help");

  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", detail);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
help_shown_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autofree char *path = user_data;
  g_autoptr (GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), res, &error))
    {
      g_autofree char *detail = g_strdup_printf ("%s. The guide is the file %s.", error->message, path);
      show_help_error (GTK_WINDOW (source), detail);
    }
}

static void
help_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkWindow       *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  g_autofree char *path = help_path ();
  g_autofree char *uri = NULL;

  if (path == NULL)
    {
      show_help_error (parent, "The guide (README.md) is not installed with this copy of Clusterscope.");
      return;
    }
  uri = g_filename_to_uri (path, NULL, NULL);
  gtk_show_uri_full (parent, uri, GDK_CURRENT_TIME, NULL, help_shown_cb, g_steal_pointer (&path));
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
  { "help", help_activated, NULL, NULL, NULL },
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
    { "app.help", { "F1", NULL } },               { "win.fullscreen", { "F11", NULL } },
    { "win.save-session", { "<Control>s", NULL } }, { "win.save-session-as", { "<Control><Shift>s", NULL } },
    { "win.presenter-mode", { "F5", NULL } },
    { "win.undo", { "<Control>z", NULL } },
    { "win.redo", { "<Control><Shift>z", NULL } },
  };

  G_APPLICATION_CLASS (cs_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries, G_N_ELEMENTS (app_entries), app);
  for (gsize i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);

  cs_window_install_style ();
  self->settings = cs_settings_dup ();
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
