#include "ui/cs-window-private.h"

#include <math.h>
#include <string.h>

#include "core/cluster/cs-result-io.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-settings.h"
#include "ui/render/cs-export.h"

typedef enum
{
  WRITE_FIGURE,
  WRITE_LABELS,
  WRITE_RESULTS,
  WRITE_SALIENCY_TABLE,        /* the saliency page's report, a line per cluster and feature */
  WRITE_SALIENCY_SUMMARIES,    /* its one-line summaries */
  WRITE_SALIENCY_ATTRIBUTIONS, /* each row's Shapley values */
} WriteKind;

typedef struct
{
  WriteKind       kind;
  char           *path;         /* Owned */
  CsRenderFunc          func;         /* WRITE_FIGURE: the visible page's figure */
  gpointer              figure;       /* Owned: a reference or copy, dropped with figure_free */
  GDestroyNotify        figure_free;
  CsExportFormat        format;
  double                width_mm;
  double                height_mm;
  double                dpi;
  CsPageResult         *result;       /* Owned */
  CsSaliencyPageReport *saliency;     /* Owned, for the WRITE_SALIENCY_* kinds */
  char                 *dataset_name; /* Owned */
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_free (data->path);
  if (data->figure != NULL)
    data->figure_free (data->figure);
  g_clear_pointer (&data->result, cs_page_result_unref);
  g_clear_pointer (&data->saliency, cs_saliency_page_report_unref);
  g_free (data->dataset_name);
  g_free (data);
}

static void
add_metric (JsonObject *obj, const char *name, double value)
{
  /* JSON has no NaN: a metric that was not computed is left out. */
  if (isfinite (value))
    json_object_set_double_member (obj, name, value);
}

static gboolean
write_results_json (const WriteData *data, GError **error)
{
  const CsPipelineResult *r = data->result->pipeline;
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = cs_clustering_to_json (r->clustering);

  json_object_set_string_member (obj, "dataset", data->dataset_name);
  add_metric (obj, "silhouette", r->silhouette);
  if (isfinite (r->silhouette))
    json_object_set_boolean_member (obj, "silhouette_sampled", r->silhouette_sampled);
  if (r->clustering->medoids != NULL)
    add_metric (obj, "medoid_silhouette", r->medoid_silhouette);
  add_metric (obj, "davies_bouldin", r->davies_bouldin);
  add_metric (obj, "calinski_harabasz", r->calinski_harabasz);
  add_metric (obj, "ari", r->ari);
  add_metric (obj, "nmi", r->nmi);
  if (r->prep != NULL)
    {
      json_object_set_int_member (obj, "n_dropped", (gint64)r->prep->n_dropped);
      json_object_set_int_member (obj, "n_imputed", (gint64)r->prep->n_imputed);
    }
  json_node_take_object (root, obj);
  return cs_json_write (root, TRUE, data->path, error);
}

static gboolean
write_saliency_csv (const WriteData *data, GError **error)
{
  const CsSaliencyReport *r = data->saliency->report;
  const CsPipelineResult *p = data->saliency->result->pipeline;
  g_autofree char        *text = NULL;

  if (data->kind == WRITE_SALIENCY_SUMMARIES)
    text = cs_saliency_summaries_to_csv (r);
  else if (data->kind == WRITE_SALIENCY_ATTRIBUTIONS)
    text = cs_saliency_attributions_to_csv (r, p->prep->x, p->prep->rows, p->clustering->labels);
  else
    text = cs_saliency_report_to_csv (r);
  return cs_write_file_atomic (data->path, text, strlen (text), error);
}

/* Worker thread: the written file's path, or NULL and `error`. */
static gpointer
write_compute (gpointer input, CsProgress *progress, GError **error)
{
  WriteData *data = input;
  gboolean   ok = FALSE;

  switch (data->kind)
    {
    case WRITE_FIGURE:
      ok = cs_render_export (data->func, data->figure, data->path, data->format, data->width_mm, data->height_mm,
                             data->dpi, error);
      break;
    case WRITE_LABELS:
      ok = cs_clustering_write_labels_csv (
          data->result->pipeline->clustering,
          data->result->pipeline->prep != NULL ? data->result->pipeline->prep->rows : NULL, data->path,
          error);
      break;
    case WRITE_RESULTS:
      ok = write_results_json (data, error);
      break;
    case WRITE_SALIENCY_TABLE:
    case WRITE_SALIENCY_SUMMARIES:
    case WRITE_SALIENCY_ATTRIBUTIONS:
      ok = write_saliency_csv (data, error);
      break;
    default:
      g_assert_not_reached ();
    }
  return ok ? g_strdup (data->path) : NULL;
}

/* Each write has a worker of its own: writes run side by side and none replaces another;
 * the window stays alive until every one has answered. */
typedef struct
{
  CsWindow *window; /* Owned */
  CsWorker *worker; /* Owned */
} Writer;

static void
write_done (gpointer result, const GError *error, gpointer user_data)
{
  Writer          *writer = user_data;
  CsWindow        *self = writer->window;
  g_autofree char *path = result;

  self->n_writes--;
  if (!self->disposed && path == NULL)
    cs_i_window_show_error (self, error->message);
  else if (!self->disposed)
    {
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *text = g_strdup_printf ("Saved %s", base);
      cs_i_window_set_progress (self, 1.0, text);
    }
  g_object_unref (writer->worker);
  g_object_unref (writer->window);
  g_free (writer);
}

static void
start_write (CsWindow *self, WriteData *data)
{
  Writer *writer;

  data->dataset_name = g_strdup (self->dataset != NULL ? self->dataset->name : "");
  /* Export writes the view on screen, whichever page it is: the page hands over its figure. */
  if (data->kind == WRITE_FIGURE)
    {
      CsPage *page = cs_i_window_visible_page (self);

      if (page == NULL || !cs_page_get_figure (page, &data->func, &data->figure, &data->figure_free))
        {
          write_data_free (data);
          return;
        }
    }
  else if (data->kind >= WRITE_SALIENCY_TABLE)
    {
      CsSaliencyPageReport *report = cs_saliency_page_get_report (self->saliency_page);

      if (report == NULL)
        {
          write_data_free (data);
          return;
        }
      data->saliency = cs_saliency_page_report_ref (report);
    }
  else
    {
      if (self->result == NULL)
        {
          write_data_free (data);
          return;
        }
      data->result = cs_page_result_ref (self->result);
    }
  self->n_writes++;
  writer = g_new0 (Writer, 1);
  writer->window = g_object_ref (self);
  writer->worker = cs_worker_new (CS_WORKER_REPLACE);
  cs_worker_run (writer->worker, write_compute, data, (GDestroyNotify)write_data_free, g_free, write_done, writer);
}

static void
start_figure_write (
    CsWindow *self, const char *path, CsExportFormat format, double width_mm, double height_mm, double dpi)
{
  WriteData *data = g_new0 (WriteData, 1);

  data->kind = WRITE_FIGURE;
  data->path = g_strdup (path);
  data->format = format;
  data->width_mm = width_mm;
  data->height_mm = height_mm;
  data->dpi = dpi;
  start_write (self, data);
}

void
cs_i_window_export_to_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow      *self = user_data;
  const char    *path = g_variant_get_string (parameter, NULL);
  CsExportFormat format;

  if (!cs_export_format_from_path (path, &format))
    {
      g_autofree char *msg
          = g_strdup_printf ("%s: unknown figure format; use a name ending in .png, .svg or .pdf", path);
      cs_i_window_show_error (self, msg);
      return;
    }
  start_figure_write (self, path, format, 160, 100, 150);
}

void
cs_i_window_export_labels_to_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow  *self = user_data;
  WriteData *data = g_new0 (WriteData, 1);

  data->kind = WRITE_LABELS;
  data->path = g_variant_dup_string (parameter, NULL);
  start_write (self, data);
}

void
cs_i_window_export_results_to_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow  *self = user_data;
  WriteData *data = g_new0 (WriteData, 1);

  data->kind = WRITE_RESULTS;
  data->path = g_variant_dup_string (parameter, NULL);
  start_write (self, data);
}

static char *
suggested_name (CsWindow *self, const char *suffix)
{
  const char      *name = self->dataset != NULL ? self->dataset->name : "clusterscope";
  const char      *dot = strrchr (name, '.');
  g_autofree char *stem = dot != NULL && dot != name ? g_strndup (name, dot - name) : g_strdup (name);

  return g_strconcat (stem, suffix, NULL);
}

static const char *const format_ids[] = { "png", "svg", "pdf" };

/* The settings, when they have the key (an older installed schema may not: reading a missing key
 * aborts). */
static GSettings *
export_settings (void)
{
  g_autoptr (GSettings) settings = cs_settings_dup ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return NULL;
  g_object_get (settings, "settings-schema", &schema, NULL);
  return g_settings_schema_has_key (schema, "export-format") ? g_steal_pointer (&settings) : NULL;
}

/* The figure format last written, remembered across dialogs and sessions. */
static CsExportFormat
remembered_format (void)
{
  g_autoptr (GSettings) settings = export_settings ();
  g_autofree char *id = settings != NULL ? g_settings_get_string (settings, "export-format") : NULL;

  for (guint f = 0; f < G_N_ELEMENTS (format_ids); f++)
    if (g_strcmp0 (id, format_ids[f]) == 0)
      return (CsExportFormat)f;
  return CS_EXPORT_PNG;
}

static void
remember_format (CsExportFormat format)
{
  g_autoptr (GSettings) settings = export_settings ();

  if (settings != NULL)
    g_settings_set_string (settings, "export-format", format_ids[format]);
}

typedef struct
{
  CsWindow      *window; /* Borrowed: the chooser is modal to it */
  WriteKind      kind;
  CsExportFormat format;
  double         width_mm;
  double         height_mm;
  double         dpi;
} SaveRequest;

static void
save_response_cb (GtkNativeDialog *dialog, int response, SaveRequest *req)
{
  CsWindow *self = req->window;

  if (response == GTK_RESPONSE_ACCEPT && !self->disposed)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path == NULL)
        cs_i_window_show_error (self, "Choose a folder on this computer to save to");
      else if (req->kind == WRITE_FIGURE)
        {
          CsExportFormat format = req->format;

          /* A typed extension wins over the format menu: "x.svg" is an SVG drawing whatever was
           * chosen; a name without one gets the chosen format. */
          cs_export_format_from_path (path, &format);
          remember_format (format);
          start_figure_write (self, path, format, req->width_mm, req->height_mm, req->dpi);
        }
      else
        {
          WriteData *data = g_new0 (WriteData, 1);

          data->kind = req->kind;
          data->path = g_steal_pointer (&path);
          start_write (self, data);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
  g_free (req);
}

static void
choose_save_file (CsWindow    *self,
                  SaveRequest *req,
                  const char  *title,
                  const char  *suffix,
                  const char  *filter_name,
                  const char  *pattern)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = suggested_name (self, suffix);

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE, "_Save",
                                         "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  req->window = g_object_ref (self);
  /* The chooser is kept alive by this reference until "response". */
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), req);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
cs_i_window_export_labels_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SaveRequest *req = g_new0 (SaveRequest, 1);

  req->kind = WRITE_LABELS;
  choose_save_file (user_data, req, "Export Labels", "-labels.csv", "CSV files", "*.csv");
}

void
cs_i_window_export_results_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SaveRequest *req = g_new0 (SaveRequest, 1);

  req->kind = WRITE_RESULTS;
  choose_save_file (user_data, req, "Export Results", "-results.json", "JSON files", "*.json");
}

/* The figure dialog: format, size and resolution, then the file chooser. */

typedef struct
{
  CsWindow  *window; /* Borrowed: the dialog is destroyed with it */
  GtkWidget *dialog;
  GtkWidget *format;
  GtkWidget *width;
  GtkWidget *height;
  GtkWidget *dpi;
} ExportDialog;

static const char *const format_suffixes[] = { ".png", ".svg", ".pdf" };
static const char *const format_patterns[] = { "*.png", "*.svg", "*.pdf" };
static const char *const format_names[] = { "PNG images", "SVG drawings", "PDF documents" };

static void
export_format_changed_cb (GtkDropDown *format, GParamSpec *pspec, ExportDialog *ed)
{
  gtk_widget_set_sensitive (ed->dpi, gtk_drop_down_get_selected (format) == CS_EXPORT_PNG);
}

static void
export_dialog_accept_cb (GtkButton *button, ExportDialog *ed)
{
  SaveRequest *req = g_new0 (SaveRequest, 1);
  guint        f = gtk_drop_down_get_selected (GTK_DROP_DOWN (ed->format));
  CsWindow    *window = ed->window;

  req->kind = WRITE_FIGURE;
  req->format = (CsExportFormat)MIN (f, 2u);
  req->width_mm = gtk_spin_button_get_value (GTK_SPIN_BUTTON (ed->width));
  req->height_mm = gtk_spin_button_get_value (GTK_SPIN_BUTTON (ed->height));
  req->dpi = gtk_spin_button_get_value (GTK_SPIN_BUTTON (ed->dpi));
  /* This frees `ed`. */
  gtk_window_destroy (GTK_WINDOW (ed->dialog));
  {
    const char      *view = cs_window_get_view (window);
    /* "digits-silhouette.pdf": the name says which view the file holds. */
    g_autofree char *suffix = g_strcmp0 (view, "scatter") == 0 || view == NULL
                                  ? g_strdup (format_suffixes[req->format])
                                  : g_strconcat ("-", view, format_suffixes[req->format], NULL);

    choose_save_file (window, req, "Export Figure", suffix, format_names[req->format],
                      format_patterns[req->format]);
  }
}

static GtkWidget *
labelled_spin (GtkGrid *grid, int row, const char *label, double min, double max, double value, double step)
{
  GtkWidget       *l = gtk_label_new_with_mnemonic (label);
  GtkWidget       *spin = gtk_spin_button_new_with_range (min, max, step);
  g_autofree char *plain = g_strdup (label);

  /* The accessible name is the label without its mnemonic underscore. */
  for (char *p = plain, *q = plain;; p++)
    {
      if (*p != '_')
        *q++ = *p;
      if (*p == '\0')
        break;
    }
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_label_set_mnemonic_widget (GTK_LABEL (l), spin);
  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_widget_set_hexpand (spin, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, plain, -1);
  gtk_grid_attach (grid, l, 0, row, 1, 1);
  gtk_grid_attach (grid, spin, 1, row, 1, 1);
  return spin;
}

void
cs_i_window_export_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow     *self = user_data;
  ExportDialog *ed = g_new0 (ExportDialog, 1);
  GtkWidget    *header = gtk_header_bar_new ();
  GtkWidget    *cancel = gtk_button_new_with_mnemonic ("_Cancel");
  GtkWidget    *accept = gtk_button_new_with_mnemonic ("_Export…");
  GtkWidget    *grid = gtk_grid_new ();
  GtkWidget    *format_label = gtk_label_new_with_mnemonic ("_Format");
  const char   *formats[] = { "PNG image", "SVG drawing", "PDF document", NULL };

  ed->window = self;
  ed->dialog = gtk_window_new ();
  g_object_set_data_full (G_OBJECT (ed->dialog), "cs-export-dialog", ed, g_free);
  gtk_window_set_title (GTK_WINDOW (ed->dialog), "Export Figure");
  gtk_window_set_modal (GTK_WINDOW (ed->dialog), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (ed->dialog), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (ed->dialog), TRUE);
  gtk_window_set_resizable (GTK_WINDOW (ed->dialog), FALSE);
  gtk_window_set_default_widget (GTK_WINDOW (ed->dialog), accept);
  {
    GtkEventController *keys = gtk_shortcut_controller_new ();

    gtk_shortcut_controller_add_shortcut (
        GTK_SHORTCUT_CONTROLLER (keys),
        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0), gtk_named_action_new ("window.close")));
    gtk_widget_add_controller (ed->dialog, keys);
  }

  gtk_header_bar_set_show_title_buttons (GTK_HEADER_BAR (header), FALSE);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), cancel);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), accept);
  gtk_widget_add_css_class (accept, "suggested-action");
  gtk_window_set_titlebar (GTK_WINDOW (ed->dialog), header);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), ed->dialog);
  g_signal_connect (accept, "clicked", G_CALLBACK (export_dialog_accept_cb), ed);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 16);
  gtk_widget_add_css_class (grid, "dialog-content");
  ed->format = gtk_drop_down_new_from_strings (formats);
  gtk_label_set_mnemonic_widget (GTK_LABEL (format_label), ed->format);
  gtk_label_set_xalign (GTK_LABEL (format_label), 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (ed->format), GTK_ACCESSIBLE_PROPERTY_LABEL, "Format", -1);
  gtk_grid_attach (GTK_GRID (grid), format_label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), ed->format, 1, 0, 1, 1);
  ed->width = labelled_spin (GTK_GRID (grid), 1, "_Width (mm)", 20, 2000, 160, 5);
  ed->height = labelled_spin (GTK_GRID (grid), 2, "_Height (mm)", 20, 2000, 100, 5);
  ed->dpi = labelled_spin (GTK_GRID (grid), 3, "_Resolution (dpi)", 36, 2400, 150, 25);
  g_signal_connect (ed->format, "notify::selected", G_CALLBACK (export_format_changed_cb), ed);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ed->format), remembered_format ());
  gtk_window_set_child (GTK_WINDOW (ed->dialog), grid);

  gtk_window_present (GTK_WINDOW (ed->dialog));
}

/* "table", "summaries" or "attributions", as the export menu's targets name them. */
static gboolean
saliency_kind (const char *name, WriteKind *kind)
{
  if (g_strcmp0 (name, "table") == 0)
    *kind = WRITE_SALIENCY_TABLE;
  else if (g_strcmp0 (name, "summaries") == 0)
    *kind = WRITE_SALIENCY_SUMMARIES;
  else if (g_strcmp0 (name, "attributions") == 0)
    *kind = WRITE_SALIENCY_ATTRIBUTIONS;
  else
    return FALSE;
  return TRUE;
}

void
cs_i_window_export_saliency_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  const char      *name = g_variant_get_string (parameter, NULL);
  g_autofree char *suffix = g_strdup_printf ("-saliency-%s.csv", name);
  SaveRequest     *req = g_new0 (SaveRequest, 1);

  if (!saliency_kind (name, &req->kind))
    {
      g_free (req);
      return;
    }
  choose_save_file (user_data, req, "Export Saliency", suffix, "CSV files", "*.csv");
}

/* "(ss)": what to write and where, without a dialog (scripts and tests). */
void
cs_i_window_export_saliency_to_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  const char *name = NULL;
  const char *path = NULL;
  WriteData  *data = g_new0 (WriteData, 1);

  g_variant_get (parameter, "(&s&s)", &name, &path);
  if (!saliency_kind (name, &data->kind))
    {
      g_free (data);
      return;
    }
  data->path = g_strdup (path);
  start_write (user_data, data);
}
