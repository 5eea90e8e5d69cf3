#include "ui/cs-settings.h"

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

GSettings *
cs_settings_dup (void)
{
  static gsize      once = 0;
  static GSettings *settings = NULL;

  if (g_once_init_enter (&once))
    {
      settings = settings_new ();
      g_once_init_leave (&once, 1);
    }
  return settings != NULL ? g_object_ref (settings) : NULL;
}
