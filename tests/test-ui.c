/* The main window, driven through its actions as the keyboard, menus and users do.
 * Runs under Xvfb (./dev test); GSK_RENDERER=cairo and GSETTINGS_BACKEND=memory come from
 * tests/meson.build. */

#include <gtk/gtk.h>
#include "test-common.h"
#include "test-ui-common.h"
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "core/cluster/cs-registry.h"
#include "ui/cs-window.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-worker.h"
#include "core/base/cs-error.h"
#include "ui/render/cs-render-density.h"
#include "ui/render/cs-render-views.h"
#include "ui/render/cs-render-privacy.h"
#include "ui/render/cs-render-saliency.h"
#include "ui/render/cs-render-choose-k.h"
#include "core/metrics/cs-metrics.h"
#include "ui/render/cs-render-dendrogram.h"
#include "ui/pages/cs-page.h"
#include "ui/render/cs-render-graph.h"
#include "ui/render/cs-render-plain-log.h"
#include "core/cluster/cs-agglomerative.h"

static GtkApplication *app;

typedef gboolean (*Condition) (CsWindow *window);

typedef struct
{
  Condition cond;
  CsWindow *window;
} WindowCondition;

static gboolean
window_condition_holds (gpointer data)
{
  WindowCondition *c = data;

  return c->cond (c->window);
}

/* Runs the main loop until `cond (window)` holds or `timeout_ms` passes (test-common.h). */
static gboolean
wait_for (CsWindow *window, Condition cond, guint timeout_ms)
{
  WindowCondition c = { cond, window };

  return cs_test_wait_until (window_condition_holds, &c, timeout_ms);
}

static gboolean
is_idle (CsWindow *window)
{
  return !cs_window_is_busy (window);
}

static CsWindow *
window_new (void)
{
  CsWindow *window = cs_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  cs_test_spin (50);
  return window;
}

static void
window_free (CsWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (20);
}

static void
activate (CsWindow *window, const char *action, const char *string_arg)
{
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), action));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), action));
  g_action_group_activate_action (G_ACTION_GROUP (window), action,
                                  string_arg != NULL ? g_variant_new_string (string_arg) : NULL);
}

static gsize
n_points (CsWindow *window)
{
  const CsPlotModel *model = cs_plot_view_get_model (cs_window_get_plot_view (window));

  return model != NULL ? model->n : 0;
}

static void
load_sample (CsWindow *window, const char *id)
{
  activate (window, "open-sample", id);
  g_assert_true (wait_for (window, is_idle, 10000));
  g_assert_null (cs_window_get_error_text (window));
}

static void
set_param (CsWindow *window, const char *name, const char *value)
{
  CsParamsPanel *panel = cs_window_get_params_panel (window);
  g_autoptr (CsParams) params = cs_params_panel_get_params (panel);
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (params);
  cs_params_set (params, name, value, &error);
  g_assert_no_error (error);
  cs_params_panel_set_params (panel, params);
}

/* The number printed after `key` in the status line ("inertia 78.8514"), or NaN. */
static double
status_number (CsWindow *window, const char *key)
{
  const char      *status = cs_window_get_status_text (window);
  g_autofree char *pattern = g_strdup_printf ("%s (-?[0-9.]+(e[-+]?[0-9]+)?)", key);
  g_autoptr (GRegex) re = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  g_autofree char *number = NULL;

  if (status == NULL || !g_regex_match (re, status, 0, &match))
    return NAN;
  number = g_match_info_fetch (match, 1);
  return g_ascii_strtod (number, NULL);
}

static void
run_kmeans (CsWindow *window, const char *k)
{
  g_assert_true (cs_window_select_algorithm (window, "kmeans"));
  set_param (window, "k", k);
  activate (window, "run", NULL);
  g_assert_true (cs_window_is_busy (window));
  g_assert_true (wait_for (window, is_idle, 30000));
  g_assert_null (cs_window_get_error_text (window));
}

static void
test_open_sample_shows_points (void)
{
  CsWindow          *window = window_new ();
  const CsPlotModel *model;

  g_assert_cmpstr (cs_window_get_page (window), ==, "welcome");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "run"));

  load_sample (window, "iris");
  model = cs_plot_view_get_model (cs_window_get_plot_view (window));
  g_assert_nonnull (model);
  g_assert_cmpuint (model->n, ==, 150);
  /* Raw points first: nothing is clustered until Run. */
  g_assert_null (model->labels);
  g_assert_cmpstr (cs_window_get_page (window), ==, "plot");
  g_assert_cmpuint (cs_window_get_dataset (window)->n_rows, ==, 150);
  g_assert_true (strstr (gtk_window_get_title (GTK_WINDOW (window)), cs_window_get_dataset (window)->name)
                 != NULL);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "run"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "export-labels"));

  window_free (window);
}

static void
test_open_csv_shows_points (void)
{
  CsWindow *window = window_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-ui-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  GString         *csv = g_string_new ("a,b,c\n");

  g_assert_no_error (error);
  for (int i = 0; i < 40; i++)
    g_string_append_printf (csv, "%d,%d,%d\n", i, i % 7, (i * 13) % 11);
  path = g_build_filename (dir, "small.csv", NULL);
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
  g_string_free (csv, TRUE);

  activate (window, "open-file", path);
  g_assert_true (wait_for (window, is_idle, 10000));
  g_assert_null (cs_window_get_error_text (window));
  g_assert_cmpuint (n_points (window), ==, 40);
  /* The file's name is in the title, and it is remembered as a recent file. */
  g_assert_true (strstr (gtk_window_get_title (GTK_WINDOW (window)), "small.csv") != NULL);
  uri = g_filename_to_uri (path, NULL, NULL);
  g_assert_true (gtk_recent_manager_has_item (gtk_recent_manager_get_default (), uri));

  g_unlink (path);
  g_rmdir (dir);
  window_free (window);
}

/* Above 5,000 rows the silhouette is sampled and says so; the menu's Exact Silhouette
 * (win.exact-silhouette) scores every row on the next run. */
static void
test_exact_silhouette_setting (void)
{
  CsWindow *window = window_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-ui-XXXXXX", &error);
  g_autofree char *path = NULL;
  GString         *csv = g_string_new ("a,b\n");

  g_assert_no_error (error);
  for (int i = 0; i < 6000; i++)
    g_string_append_printf (csv, "%d,%d\n", (i % 2) * 50 + i % 17, (i * 7) % 23);
  path = g_build_filename (dir, "rows.csv", NULL);
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
  g_string_free (csv, TRUE);

  activate (window, "open-file", path);
  g_assert_true (wait_for (window, is_idle, 10000));
  run_kmeans (window, "2");
  g_assert_nonnull (strstr (cs_window_get_status_text (window), "(sampled)"));

  g_action_group_change_action_state (G_ACTION_GROUP (window), "exact-silhouette", g_variant_new_boolean (TRUE));
  run_kmeans (window, "2");
  g_test_message ("status: %s", cs_window_get_status_text (window));
  g_assert_nonnull (strstr (cs_window_get_status_text (window), "silhouette"));
  g_assert_null (strstr (cs_window_get_status_text (window), "(sampled)"));

  g_unlink (path);
  g_rmdir (dir);
  window_free (window);
}

static void
test_axes_show_columns (void)
{
  CsWindow          *window = window_new ();
  const CsPlotModel *model;
  const CsDataset   *ds;
  const CsColumn    *x;
  const CsColumn    *y;

  load_sample (window, "iris");
  ds = cs_window_get_dataset (window);
  g_assert_true (cs_window_set_axes (window, "petal_length", "sepal_width"));
  g_assert_true (wait_for (window, is_idle, 10000));
  g_assert_false (cs_window_set_axes (window, "petal_length", "no such column"));

  /* Two columns are plotted as they are: point i is dataset row rows[i]. */
  model = cs_plot_view_get_model (cs_window_get_plot_view (window));
  x = cs_dataset_column (ds, cs_dataset_find_column (ds, "petal_length"));
  y = cs_dataset_column (ds, cs_dataset_find_column (ds, "sepal_width"));
  g_assert_cmpuint (model->n, ==, 150);
  for (gsize i = 0; i < model->n; i++)
    {
      gsize row = model->rows != NULL ? model->rows[i] : i;

      g_assert_cmpfloat (model->x[i], ==, x->values[row]);
      g_assert_cmpfloat (model->y[i], ==, y->values[row]);
    }

  /* After a run, changing the axes keeps the clustering and its colours. */
  run_kmeans (window, "3");
  g_assert_true (cs_window_set_axes (window, NULL, NULL));
  g_assert_true (wait_for (window, is_idle, 10000));
  model = cs_plot_view_get_model (cs_window_get_plot_view (window));
  g_assert_nonnull (model->labels);
  g_assert_cmpuint (model->k, ==, 3);
  g_assert_true (strstr (model->x_label, "PC1") != NULL);

  window_free (window);
}

static void
test_generate_shows_points (void)
{
  CsWindow *window = window_new ();

  activate (window, "generate", "moons:400");
  g_assert_true (wait_for (window, is_idle, 10000));
  g_assert_null (cs_window_get_error_text (window));
  g_assert_cmpuint (n_points (window), ==, 400);
  /* Two features: drawn as they are (axis titles are the column names), not as PCA. */
  {
    const CsPlotModel *model = cs_plot_view_get_model (CS_PLOT_VIEW (cs_window_get_plot_view (window)));
    g_assert_cmpstr (model->x_label, ==, "x");
    g_assert_cmpstr (model->y_label, ==, "y");
  }

  /* An unknown kind is reported in the window, and the window stays usable. */
  activate (window, "generate", "spirals");
  g_assert_nonnull (cs_window_get_error_text (window));
  g_assert_true (strstr (cs_window_get_error_text (window), "spirals") != NULL);
  g_assert_cmpuint (n_points (window), ==, 400);

  window_free (window);
}

static void
test_run_kmeans_shows_objective (void)
{
  CsWindow          *window = window_new ();
  const CsPlotModel *model;
  double             inertia;
  double             ari;

  load_sample (window, "iris");
  run_kmeans (window, "3");

  g_test_message ("status: %s", cs_window_get_status_text (window));
  g_assert_true (strstr (cs_window_get_status_text (window), "inertia") != NULL);
  /* Unscaled iris, four measurements, k = 3: the known optimum (scikit-learn: 78.851) and
   * its agreement with the species (ARI 0.730). */
  inertia = status_number (window, "inertia");
  ari = status_number (window, "ARI");
  g_assert_cmpfloat_with_epsilon (inertia, 78.851, 0.05);
  g_assert_cmpfloat_with_epsilon (ari, 0.730, 0.005);

  model = cs_plot_view_get_model (cs_window_get_plot_view (window));
  g_assert_nonnull (model);
  g_assert_cmpuint (model->n, ==, 150);
  g_assert_nonnull (model->labels);
  g_assert_cmpuint (model->k, ==, 3);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "export-labels"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "run"));

  window_free (window);
}

/* Wine’s columns differ ~2,500-fold in spread (proline against nonflavanoid phenols): the default scaling
 * standardises them, says so in the status line, and k-means then finds the cultivars
 * (ARI 0.90 instead of 0.37 on raw units). Iris (spreads within 4-fold) stays raw above. */
static void
test_run_wine_standardises_automatically (void)
{
  CsWindow   *window = window_new ();
  const char *status;

  load_sample (window, "wine");
  run_kmeans (window, "3");
  status = cs_window_get_status_text (window);
  g_test_message ("status: %s", status);
  g_assert_nonnull (strstr (status, "standardised"));
  g_assert_cmpfloat (status_number (window, "ARI"), >, 0.85);

  window_free (window);
}

static void
test_open_bad_file_shows_error (void)
{
  CsWindow *window = window_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-ui-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *pattern = NULL;
  const char      *message;

  g_assert_no_error (error);
  path = g_build_filename (dir, "ragged.csv", NULL);
  g_file_set_contents (path, "a,b,c,d,e\n1,2,3,4,5\n6,7,8,9,10\n11,12,13,14\n", -1, &error);
  g_assert_no_error (error);

  activate (window, "open-file", path);
  g_assert_true (wait_for (window, is_idle, 10000));

  message = cs_window_get_error_text (window);
  g_assert_nonnull (message);
  g_test_message ("error: %s", message);
  /* FILE:LINE:COLUMN: the ragged row is the fourth line of the file. */
  g_assert_true (g_regex_match_simple ("ragged\\.csv:4:[0-9]+: ", message, 0, 0));
  g_assert_false (cs_window_has_dataset (window));
  g_assert_cmpstr (cs_window_get_page (window), ==, "welcome");

  activate (window, "dismiss-error", NULL);
  g_assert_null (cs_window_get_error_text (window));

  g_unlink (path);
  g_rmdir (dir);
  window_free (window);
}

typedef struct
{
  gint64 last;
  gint64 max_gap;
  guint  ticks;
} Ticker;

static gboolean
tick_cb (gpointer user_data)
{
  Ticker *t = user_data;
  gint64  now = g_get_monotonic_time ();

  if (t->last != 0)
    t->max_gap = MAX (t->max_gap, now - t->last);
  t->last = now;
  t->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
test_cancel_keeps_window_responsive (void)
{
  CsWindow *window = window_new ();
  Ticker    ticker = { 0 };
  guint     source;
  gint64    started;
  gint64    cancelled;
  gint64    ended;

  activate (window, "generate", "blobs:200000:8");
  g_assert_true (wait_for (window, is_idle, 30000));
  g_assert_null (cs_window_get_error_text (window));
  g_assert_cmpuint (n_points (window), ==, 200000);
  /* Let the first paint of 200,000 points pass: the ticks below measure the run. */
  cs_test_spin (300);

  g_assert_true (cs_window_select_algorithm (window, "kmeans"));
  set_param (window, "k", "200");
  set_param (window, "n_init", "20");

  source = g_timeout_add (10, tick_cb, &ticker);
  started = g_get_monotonic_time ();
  activate (window, "run", NULL);
  cs_test_spin (400);
  /* Still computing: otherwise this test would prove nothing about cancelling. */
  g_assert_true (cs_window_is_busy (window));

  cancelled = g_get_monotonic_time ();
  activate (window, "cancel", NULL);
  g_assert_true (wait_for (window, is_idle, 5000));
  ended = g_get_monotonic_time ();
  g_source_remove (source);

  g_test_message ("cancel took %.1f ms; %u ticks in %.0f ms, largest gap %.1f ms", (ended - cancelled) / 1e3,
                  ticker.ticks, (ended - started) / 1e3, ticker.max_gap / 1e3);
  g_assert_cmpint (ended - cancelled, <, 200 * 1000 * cs_test_time_scale ());
  /* The main loop kept turning: a 10 ms timer fired about as often as it should (half as
   * often, and less in proportion on a slow build or a busy machine). */
  g_assert_cmpuint (ticker.ticks, >=, (ended - started) / 1000 / 10 / 2 / cs_test_time_scale ());
  g_assert_cmpint (ticker.max_gap, <, 100 * 1000 * cs_test_time_scale ());
  g_assert_cmpstr (cs_window_get_status_text (window), ==, "Cancelled");
  g_assert_null (cs_window_get_error_text (window));
  /* Raw points are still shown, and another run can start. */
  g_assert_cmpuint (n_points (window), ==, 200000);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "run"));

  window_free (window);
}

static gboolean
is_gone (CsWindow *window)
{
  return window == NULL;
}

static void
test_close_while_running (void)
{
  CsWindow *window = window_new ();
  gpointer  weak = NULL;
  gint64    closed;

  activate (window, "generate", "blobs:200000:8");
  g_assert_true (wait_for (window, is_idle, 30000));
  g_assert_true (cs_window_select_algorithm (window, "kmeans"));
  set_param (window, "k", "200");
  set_param (window, "n_init", "20");
  activate (window, "run", NULL);
  cs_test_spin (150);
  g_assert_true (cs_window_is_busy (window));

  /* Closing cancels the run; the worker lets go of the window soon after. */
  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  closed = g_get_monotonic_time ();
  gtk_window_destroy (GTK_WINDOW (window));
  {
    gint64 end = closed + 2 * G_USEC_PER_SEC;

    while (weak != NULL && g_get_monotonic_time () < end)
      cs_test_spin (5);
  }
  g_test_message ("window finalised %.1f ms after closing", (g_get_monotonic_time () - closed) / 1e3);
  g_assert_true (is_gone (weak));
}

static char *
read_file (const char *path, gsize *length)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

static void
test_export_writes_files (void)
{
  CsWindow *window = window_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-ui-XXXXXX", &error);
  g_autofree char *png = g_build_filename (dir, "figure.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "figure.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "figure.pdf", NULL);
  g_autofree char *csv = g_build_filename (dir, "labels.csv", NULL);
  g_autofree char *json = g_build_filename (dir, "results.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *data = NULL;
  g_auto (GStrv) lines = NULL;
  JsonObject *obj;
  gsize       length = 0;

  g_assert_no_error (error);
  load_sample (window, "iris");
  run_kmeans (window, "3");

  activate (window, "export-to", png);
  activate (window, "export-to", svg);
  activate (window, "export-to", pdf);
  activate (window, "export-labels-to", csv);
  activate (window, "export-results-to", json);
  g_assert_true (wait_for (window, is_idle, 20000));
  g_assert_null (cs_window_get_error_text (window));

  data = read_file (png, &length);
  g_assert_cmpuint (length, >, 8);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  g_clear_pointer (&data, g_free);

  data = read_file (svg, &length);
  g_assert_true (g_str_has_prefix (data, "<?xml") || g_str_has_prefix (data, "<svg"));
  g_assert_true (strstr (data, "<svg") != NULL);
  g_clear_pointer (&data, g_free);

  data = read_file (pdf, &length);
  g_assert_cmpuint (length, >, 5);
  g_assert_cmpmem (data, 5, "%PDF-", 5);
  g_clear_pointer (&data, g_free);

  /* A header and one line per row. */
  data = read_file (csv, &length);
  lines = g_strsplit (g_strchomp (data), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 151);
  g_assert_true (g_str_has_prefix (lines[0], "row,label"));

  json_parser_load_from_file (parser, json, &error);
  g_assert_no_error (error);
  obj = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (obj, "k"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "labels")), ==, 150);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (obj, "ari"), 0.730, 0.005);

  /* An unknown extension is refused in the banner, and nothing is written. */
  {
    g_autofree char *bmp = g_build_filename (dir, "figure.bmp", NULL);

    activate (window, "export-to", bmp);
    g_assert_nonnull (cs_window_get_error_text (window));
    g_assert_false (g_file_test (bmp, G_FILE_TEST_EXISTS));
  }

  for (const char *const *p = (const char *const[]){ png, svg, pdf, csv, json, NULL }; *p != NULL; p++)
    g_unlink (*p);
  g_rmdir (dir);
  window_free (window);
}

/* Pixels in exactly one of the grey levels an image cell of value 4..12 (of 16) gets: the
 * medoid images are made of large blocks of them, while in the scatter plot they occur
 * only where anti-aliasing happens to land on one. */
static guint
count_digit_greys (const char *png)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  gboolean         level[256] = { FALSE };
  int              w;
  int              h;
  int              stride;
  const guint8    *data;
  guint            n = 0;

  for (int v = 4; v <= 12; v++)
    level[lround (255.0 * (1.0 - v / 16.0))] = TRUE;
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  w = cairo_image_surface_get_width (s);
  h = cairo_image_surface_get_height (s);
  stride = cairo_image_surface_get_stride (s);
  data = cairo_image_surface_get_data (s);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 p = *(const guint32 *)(data + y * stride + 4 * x);
        guint   r = (p >> 16) & 0xff;

        n += r == ((p >> 8) & 0xff) && r == (p & 0xff) && level[r];
      }
  cairo_surface_destroy (s);
  return n;
}

/* CsWorker ------------------------------------------------------------------------------ */

typedef struct
{
  gint started;   /* functions entered */
  gint saw_cancel; /* functions that returned because their request was cancelled */
  gint inputs_freed;
  gint results_freed;
  guint n_done;
  int   last_value; /* the delivered result's value, or -1 for an error */
  GError *last_error;
} WorkerLog;

typedef struct
{
  WorkerLog *log;
  int        value;
  guint      sleep_ms;     /* work time */
  gboolean   check_cancel; /* look at the cancellable while working */
} WorkerInput;

static void
worker_input_free (gpointer data)
{
  WorkerInput *in = data;

  g_atomic_int_inc (&in->log->inputs_freed);
  g_free (in);
}

static WorkerLog *result_log;

static void
worker_result_free (gpointer data)
{
  g_atomic_int_inc (&result_log->results_freed);
  g_free (data);
}

static gpointer
worker_func (gpointer input, CsProgress *progress, GError **error)
{
  WorkerInput *in = input;
  int         *out;

  g_assert_false (g_main_context_is_owner (g_main_context_default ()));
  g_atomic_int_inc (&in->log->started);
  for (guint t = 0; t < in->sleep_ms; t++)
    {
      g_usleep (1000);
      cs_progress_report (progress, (t + 1.0) / in->sleep_ms, "working");
      if (in->check_cancel && !cs_progress_check (progress, error))
        {
          g_atomic_int_inc (&in->log->saw_cancel);
          return NULL;
        }
    }
  out = g_new (int, 1);
  *out = in->value;
  return out;
}

static void
worker_done (gpointer result, const GError *error, gpointer user_data)
{
  WorkerLog *log = user_data;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  log->n_done++;
  g_clear_error (&log->last_error);
  if (result != NULL)
    {
      log->last_value = *(int *)result;
      worker_result_free (result);
    }
  else
    {
      log->last_value = -1;
      log->last_error = g_error_copy (error);
    }
}

static void
worker_submit (CsWorker *worker, WorkerLog *log, int value, guint sleep_ms, gboolean check_cancel)
{
  WorkerInput *in = g_new0 (WorkerInput, 1);

  in->log = log;
  in->value = value;
  in->sleep_ms = sleep_ms;
  in->check_cancel = check_cancel;
  cs_worker_run (worker, worker_func, in, worker_input_free, worker_result_free, worker_done, log);
}

/* Waits until the worker is idle and the threads of abandoned requests have returned too. */
static void
worker_settle (CsWorker *worker, WorkerLog *log, gint n_requests)
{
  for (guint i = 0; i < 4000 && cs_worker_is_busy (worker); i++)
    cs_test_spin (5);
  g_assert_false (cs_worker_is_busy (worker));
  for (guint i = 0; i < 4000 && g_atomic_int_get (&log->inputs_freed) < n_requests; i++)
    cs_test_spin (5);
  cs_test_spin (20);
  g_assert_cmpint (g_atomic_int_get (&log->inputs_freed), ==, n_requests);
}

/* Five requests in a row: each replaces (and cancels) the one before, only the last one's
 * result arrives, and every input is freed. */
static void
test_worker_newest_wins (void)
{
  g_autoptr (CsWorker) worker = cs_worker_new (CS_WORKER_REPLACE);
  WorkerLog log = { 0 };

  result_log = &log;
  for (int i = 1; i <= 5; i++)
    {
      worker_submit (worker, &log, i, 2000, TRUE);
      g_assert_true (cs_worker_is_busy (worker));
      cs_test_spin (10);
    }
  worker_settle (worker, &log, 5);
  g_assert_cmpuint (log.n_done, ==, 1);
  g_assert_cmpint (log.last_value, ==, 5);
  /* The replaced four stopped at their next check instead of running their two seconds. */
  g_assert_cmpint (g_atomic_int_get (&log.saw_cancel), ==, g_atomic_int_get (&log.started) - 1);
  g_assert_cmpint (g_atomic_int_get (&log.started), >=, 2);
}

/* A request that ignores its cancellable and finishes after being replaced: its result is
 * freed, never delivered. */
static void
test_worker_stale_dropped (void)
{
  g_autoptr (CsWorker) worker = cs_worker_new (CS_WORKER_REPLACE);
  WorkerLog log = { 0 };

  result_log = &log;
  worker_submit (worker, &log, 1, 50, FALSE);
  cs_test_spin (5);
  worker_submit (worker, &log, 2, 200, FALSE);
  worker_settle (worker, &log, 2);
  g_assert_cmpuint (log.n_done, ==, 1);
  g_assert_cmpint (log.last_value, ==, 2);
  /* Both results were freed: the stale one by the worker, the delivered one by worker_done. */
  g_assert_cmpint (g_atomic_int_get (&log.results_freed), ==, 2);

  /* Dropped (as on dispose): nothing is delivered at all. */
  worker_submit (worker, &log, 3, 50, FALSE);
  cs_worker_drop (worker);
  g_assert_false (cs_worker_is_busy (worker));
  worker_settle (worker, &log, 3);
  g_assert_cmpuint (log.n_done, ==, 1);
  g_assert_cmpint (g_atomic_int_get (&log.results_freed), ==, 3);
}

/* Cancel answers once, with CS_ERROR_CANCELLED, after the thread returned. */
static void
test_worker_cancel (void)
{
  g_autoptr (CsWorker) worker = cs_worker_new (CS_WORKER_REPLACE);
  WorkerLog log = { 0 };

  result_log = &log;
  worker_submit (worker, &log, 1, 5000, TRUE);
  cs_test_spin (20);
  cs_worker_cancel (worker);
  worker_settle (worker, &log, 1);
  g_assert_cmpuint (log.n_done, ==, 1);
  g_assert_cmpint (log.last_value, ==, -1);
  g_assert_error (log.last_error, CS_ERROR, CS_ERROR_CANCELLED);
  g_assert_cmpint (g_atomic_int_get (&log.saw_cancel), ==, 1);
  g_clear_error (&log.last_error);
}

/* Wait mode: the running request finishes and is delivered, the newest waiting one runs
 * next, and the ones it replaced while waiting never start. */
static void
test_worker_wait_mode (void)
{
  g_autoptr (CsWorker) worker = cs_worker_new (CS_WORKER_WAIT);
  WorkerLog log = { 0 };

  result_log = &log;
  worker_submit (worker, &log, 1, 100, TRUE);
  for (int i = 2; i <= 4; i++)
    worker_submit (worker, &log, i, 10, TRUE);
  worker_settle (worker, &log, 4);
  g_assert_cmpuint (log.n_done, ==, 2);
  g_assert_cmpint (log.last_value, ==, 4);
  g_assert_cmpint (g_atomic_int_get (&log.started), ==, 2);
  g_assert_cmpint (g_atomic_int_get (&log.saw_cancel), ==, 0);
}

static void
test_medoid_views_on_digits (void)
{
  CsWindow *window = window_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-ui-XXXXXX", &error);
  g_autofree char *scatter_png = g_build_filename (dir, "scatter.png", NULL);
  g_autofree char *medoids_png = g_build_filename (dir, "medoids.png", NULL);
  const char      *status;

  g_assert_no_error (error);
  load_sample (window, "digits");
  g_assert_true (cs_window_select_algorithm (window, "fasterpam"));
  set_param (window, "k", "10");
  activate (window, "run", NULL);
  g_assert_true (wait_for (window, is_idle, 60000));
  g_assert_null (cs_window_get_error_text (window));

  /* A medoid result reports its loss and swaps. */
  status = cs_window_get_status_text (window);
  g_assert_true (isfinite (status_number (window, "loss")));
  g_assert_nonnull (strstr (status, "swap"));
  g_assert_cmpstr (cs_window_get_view (window), ==, "scatter");
  g_assert_true (cs_plot_view_get_model (cs_window_get_plot_view (window))->centers_are_medoids);

  /* Every view this result has can be shown; choose k applies to any algorithm with a k,
   * and on 1,797 rows it waits for Compute instead of starting by itself. */
  activate (window, "show-view", "silhouette");
  g_assert_cmpstr (cs_window_get_view (window), ==, "silhouette");
  activate (window, "show-view", "medoids");
  g_assert_cmpstr (cs_window_get_view (window), ==, "medoids");
  activate (window, "show-view", "choose-k");
  g_assert_cmpstr (cs_window_get_view (window), ==, "choose-k");
  {
    GtkWidget *page = cs_window_get_view_page (window, "choose-k");
    GtkWidget *cview = GTK_WIDGET (gtk_widget_get_template_child (page, G_OBJECT_TYPE (page), "view"));
    GtkWidget *compute = GTK_WIDGET (gtk_widget_get_template_child (page, G_OBJECT_TYPE (page), "compute_button"));

    g_assert_null (cs_figure_view_get_model (CS_FIGURE_VIEW (cview)));
    g_assert_true (gtk_widget_get_sensitive (compute));
  }
  activate (window, "show-view", "convergence");
  g_assert_cmpstr (cs_window_get_view (window), ==, "convergence");

  /* Export writes the view on screen: the medoid images are blocks of the digits' greys. */
  activate (window, "show-view", "medoids");
  activate (window, "export-to", medoids_png);
  g_assert_true (wait_for (window, is_idle, 20000));
  activate (window, "show-view", "scatter");
  activate (window, "export-to", scatter_png);
  g_assert_true (wait_for (window, is_idle, 20000));
  g_assert_null (cs_window_get_error_text (window));
  g_test_message ("digit greys: medoids %u, scatter %u", count_digit_greys (medoids_png),
                  count_digit_greys (scatter_png));
  g_assert_cmpuint (count_digit_greys (medoids_png), >, 10 * count_digit_greys (scatter_png) + 1000);

  /* Links to medoids are a toggle on the scatter plot. */
  g_assert_false (cs_plot_view_get_model (cs_window_get_plot_view (window))->show_medoid_links);
  activate (window, "medoid-links", NULL);
  g_assert_true (cs_plot_view_get_model (cs_window_get_plot_view (window))->show_medoid_links);

  /* DynMSC's medoid silhouette by k gets its chart. */
  g_assert_true (cs_window_select_algorithm (window, "dynmsc"));
  set_param (window, "k_max", "6");
  activate (window, "run", NULL);
  g_assert_true (wait_for (window, is_idle, 60000));
  g_assert_null (cs_window_get_error_text (window));
  activate (window, "show-view", "choose-k");
  g_assert_cmpstr (cs_window_get_view (window), ==, "choose-k");

  /* k-means has no medoids: no links, and the image page shows means; Choose k applies to it
   * too, so the view stays. */
  run_kmeans (window, "10");
  g_assert_false (cs_plot_view_get_model (cs_window_get_plot_view (window))->centers_are_medoids);
  g_assert_cmpstr (cs_window_get_view (window), ==, "choose-k");
  activate (window, "show-view", "medoids");
  g_assert_cmpstr (cs_window_get_view (window), ==, "medoids");

  g_unlink (scatter_png);
  g_unlink (medoids_png);
  g_rmdir (dir);
  window_free (window);
}

/* Issue 9 item 13 and issue 11: Choose k computes its criteria for the last run's algorithm
 * (DynMSC's range runs as FasterMSC, its curve the medoid-silhouette chart), a k picked in the
 * "Show k" drop-down (the keyboard's way to what a click on a chart or thumbnail does) becomes
 * the result of every view — for DynMSC from the medoids it recorded, for k-means by running
 * it again at that k, which is the clustering the page scored — and the page only moves its
 * mark, without computing again. */
static GtkWidget *choose_k_view;

static gboolean
choose_k_has_model (CsWindow *window)
{
  return cs_figure_view_get_model (CS_FIGURE_VIEW (choose_k_view)) != NULL && !cs_window_is_busy (window);
}

static void
test_choose_k_shows_clustering (void)
{
  CsWindow   *window = window_new ();
  GtkWidget  *page;
  GtkWidget  *dropdown;
  const CsPipelineResult *r;
  const CsPlotModel      *points;
  const CsChooseKModel   *m;
  const CsChooseKResult  *computed;
  guint       best_k;
  guint       other_k;
  g_autofree gsize *sizes = NULL;
  g_autofree gsize *recorded = NULL;

  load_sample (window, "iris");
  g_assert_true (cs_window_select_algorithm (window, "dynmsc"));
  set_param (window, "k_max", "6");
  activate (window, "run", NULL);
  g_assert_true (wait_for (window, is_idle, 60000));
  g_assert_null (cs_window_get_error_text (window));
  r = cs_window_get_result (window);
  g_assert_nonnull (r);
  g_assert_cmpuint (r->clustering->score_k_min, ==, 2);
  g_assert_cmpuint (r->clustering->n_scores, ==, 5);
  best_k = r->clustering->k;
  other_k = best_k == 5 ? 4 : 5;
  recorded = g_memdup2 (cs_clustering_medoids_at_k (r->clustering, other_k), other_k * sizeof (gsize));

  activate (window, "show-view", "choose-k");
  g_assert_cmpstr (cs_window_get_view (window), ==, "choose-k");
  page = cs_window_get_view_page (window, "choose-k");
  dropdown = GTK_WIDGET (gtk_widget_get_template_child (page, G_OBJECT_TYPE (page), "show_k_dropdown"));
  choose_k_view = GTK_WIDGET (gtk_widget_get_template_child (page, G_OBJECT_TYPE (page), "view"));
  /* 150 rows: computed as soon as the page is shown, over DynMSC's own range. */
  g_assert_true (wait_for (window, choose_k_has_model, 120000));
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (choose_k_view));
  computed = m->result;
  g_assert_cmpstr (computed->algorithm, ==, "fastermsc");
  g_assert_cmpuint (computed->k_min, ==, 2);
  g_assert_cmpuint (computed->n_k, ==, 5);
  g_assert_true (computed->computed & (1u << CS_CRITERION_MEDOID_SILHOUETTE));
  g_assert_cmpuint (m->selected_k, ==, best_k);
  g_assert_true (gtk_widget_get_visible (dropdown));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown)), ==, best_k - 2);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown))), ==, 5);

  /* The user picks another k in the drop-down. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), other_k - 2);
  g_assert_true (cs_window_is_busy (window) || cs_window_get_result (window)->clustering->k == other_k);
  g_assert_true (wait_for (window, is_idle, 30000));
  g_assert_null (cs_window_get_error_text (window));
  r = cs_window_get_result (window);
  g_assert_cmpuint (r->clustering->k, ==, other_k);
  g_assert_cmpstr (r->clustering->algorithm, ==, "dynmsc");
  for (guint j = 0; j < other_k; j++)
    g_assert_cmpuint (r->clustering->medoids[j], ==, recorded[j]);
  g_assert_cmpfloat (fabs (r->medoid_silhouette - r->clustering->score_by_k[other_k - 2]), <, 1e-12);
  g_assert_true (isfinite (r->silhouette));
  {
    g_autofree char *says = g_strdup_printf ("DynMSC: %u clusters of k = 2–6", other_k);

    g_assert_true (g_str_has_prefix (cs_window_get_status_text (window), says));
  }

  /* Every view follows: the scatter plot shows other_k clusters, none of them empty. */
  points = cs_plot_view_get_model (cs_window_get_plot_view (window));
  g_assert_nonnull (points);
  g_assert_cmpuint (points->n, ==, 150);
  g_assert_cmpuint (points->k, ==, other_k);
  sizes = g_new0 (gsize, other_k);
  for (gsize i = 0; i < points->n; i++)
    {
      g_assert_cmpint (points->labels[i], >=, 0);
      g_assert_cmpint (points->labels[i], <, (int) other_k);
      sizes[points->labels[i]]++;
    }
  for (guint j = 0; j < other_k; j++)
    g_assert_cmpuint (sizes[j], >, 0);
  /* The page marks the shown k on the same criteria: nothing was computed again. */
  g_assert_true (wait_for (window, choose_k_has_model, 30000));
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (choose_k_view));
  g_assert_true (m->result == computed);
  g_assert_cmpuint (m->selected_k, ==, other_k);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown)), ==, other_k - 2);

  /* And back to the best k: the run's own clustering. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), best_k - 2);
  g_assert_true (wait_for (window, is_idle, 30000));
  g_assert_cmpuint (cs_window_get_result (window)->clustering->k, ==, best_k);
  g_assert_cmpuint (cs_plot_view_get_model (cs_window_get_plot_view (window))->k, ==, best_k);

  /* k-means: the criteria are computed again (another algorithm), and k = 5 is run again. */
  run_kmeans (window, "3");
  activate (window, "show-view", "choose-k");
  g_assert_true (wait_for (window, choose_k_has_model, 120000));
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (choose_k_view));
  g_assert_cmpstr (m->result->algorithm, ==, "kmeans");
  g_assert_cmpuint (m->result->k_min, ==, 2);
  g_assert_cmpuint (m->result->n_k, ==, 5);
  g_assert_cmpuint (m->selected_k, ==, 3);
  for (guint c = 0; c < CS_CRITERION_N; c++)
    if (c != CS_CRITERION_MEDOID_SILHOUETTE && c != CS_CRITERION_BIC && c != CS_CRITERION_ICL)
      g_assert_true (m->result->computed & (1u << c));
  computed = m->result;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 5 - 2);
  g_assert_true (wait_for (window, is_idle, 30000));
  g_assert_null (cs_window_get_error_text (window));
  r = cs_window_get_result (window);
  g_assert_cmpstr (r->clustering->algorithm, ==, "kmeans");
  g_assert_cmpuint (r->clustering->k, ==, 5);
  g_assert_cmpfloat (cs_metric_ari (r->clustering->labels, cs_choose_k_result_labels (computed, 5), 150), ==, 1.0);
  {
    /* The panel's k follows, so Run gives what is shown. */
    g_autoptr (CsParams) p = cs_params_panel_get_params (cs_window_get_params_panel (window));
    g_assert_cmpint (cs_params_get_int (p, "k"), ==, 5);
  }
  g_assert_true (wait_for (window, choose_k_has_model, 30000));
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (choose_k_view));
  g_assert_true (m->result == computed);
  g_assert_cmpuint (m->selected_k, ==, 5);

  /* Export writes the page's figure: charts, thumbnails and heatmap. */
  {
    g_autofree char *dir = g_dir_make_tmp ("cs-test-choose-k-XXXXXX", NULL);
    g_autofree char *png = g_build_filename (dir, "choose-k.png", NULL);
    cairo_surface_t *s;

    activate (window, "export-to", png);
    g_assert_true (wait_for (window, is_idle, 20000));
    g_assert_null (cs_window_get_error_text (window));
    s = cairo_image_surface_create_from_png (png);
    g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (cairo_image_surface_get_width (s), >, 300);
    cairo_surface_destroy (s);
    g_unlink (png);
    g_rmdir (dir);
  }

  window_free (window);
}

/* A named control of the window's template, or of one of its pages' templates (each page is
 * its own widget with its own template). */
static GtkWidget *
density_child (CsWindow *window, const char *name)
{
  static const char *const pages[] = { "scatter", "density", "diagnostics", "privacy", "saliency", NULL };
  GObject *found = gtk_widget_get_template_child (GTK_WIDGET (window), CS_TYPE_WINDOW, name);

  for (guint i = 0; found == NULL && pages[i] != NULL; i++)
    {
      GtkWidget *page = cs_window_get_view_page (window, pages[i]);

      g_assert_nonnull (page);
      found = gtk_widget_get_template_child (page, G_OBJECT_TYPE (page), name);
    }
  g_assert_nonnull (found);
  return GTK_WIDGET (found);
}

static gboolean
density_shown (CsWindow *window)
{
  return cs_figure_view_get_model (CS_FIGURE_VIEW (density_child (window, "density_view"))) != NULL;
}

static const CsDensityModel *
density_model (CsWindow *window)
{
  return cs_figure_view_get_model (CS_FIGURE_VIEW (density_child (window, "density_view")));
}

static gboolean
density_idle (CsWindow *window)
{
  return density_shown (window) && !gtk_spinner_get_spinning (GTK_SPINNER (density_child (window, "density_spinner")));
}

/* The density page follows the scatter's points, recomputes on the bandwidth slider (a burst
 * of moves ends on the last one's H) and exports itself when shown. */
static void
test_density_view (void)
{
  CsWindow *window = window_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-ui-XXXXXX", &error);
  g_autofree char *svg = g_build_filename (dir, "density.svg", NULL);
  g_autofree char *data = NULL;
  GtkRange *scale;
  double    base[4];

  g_assert_no_error (error);
  load_sample (window, "faithful");
  activate (window, "show-view", "density");
  g_assert_cmpstr (cs_window_get_view (window), ==, "density");
  g_assert_true (wait_for (window, density_idle, 20000));
  g_assert_cmpuint (density_model (window)->surface->grid->nx, ==, 256);
  g_assert_cmpuint (density_model (window)->surface->n, ==, 272);
  memcpy (base, density_model (window)->surface->grid->h, sizeof base);
  g_assert_cmpfloat (base[0], >, 0.0);

  /* Five moves in a row without waiting: the UI never blocks, and the last one wins. */
  scale = GTK_RANGE (density_child (window, "density_scale"));
  for (guint i = 1; i <= 5; i++)
    gtk_range_set_value (scale, -0.2 * i);
  g_assert_true (wait_for (window, density_idle, 20000));
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (density_model (window)->surface->grid->h[i], base[i] * 0.25,
                                    1e-9 * fabs (base[i]) + 1e-15);

  /* A typed bandwidth is used as it is: h = 0.3 is H = 0.09·I, and the rule becomes Manual. */
  gtk_editable_set_text (GTK_EDITABLE (density_child (window, "density_h_entry")), "0.3");
  g_signal_emit_by_name (density_child (window, "density_h_entry"), "activate");
  g_assert_true (wait_for (window, density_idle, 20000));
  g_assert_cmpfloat_with_epsilon (density_model (window)->surface->grid->h[0], 0.09, 1e-12);
  g_assert_cmpfloat_with_epsilon (density_model (window)->surface->grid->h[1], 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (density_model (window)->surface->grid->h[3], 0.09, 1e-12);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (density_child (window, "density_rule_dropdown"))), ==,
                    4);

  /* Look-only toggles share the surface. */
  {
    const CsDensitySurface *before = density_model (window)->surface;
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (density_child (window, "density_marginals_toggle")), TRUE);
    g_assert_true (density_model (window)->show_marginals);
    g_assert_true (density_model (window)->surface == before);
  }

  activate (window, "export-to", svg);
  g_assert_true (wait_for (window, is_idle, 20000));
  g_assert_null (cs_window_get_error_text (window));
  g_assert_true (g_file_get_contents (svg, &data, NULL, NULL));
  /* The density view, not the scatter: an embedded heatmap image. */
  g_assert_nonnull (strstr (data, "<image"));

  g_unlink (svg);
  g_rmdir (dir);
  window_free (window);
}

/* The widget under `root` whose accessible name is `label`, as a screen reader finds it. */
static GtkWidget *
find_by_accessible_label (GtkWidget *root, const char *label)
{
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      g_autofree char *mismatch
          = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL, label);

      if (mismatch == NULL)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_accessible_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const CsPrivacyModel *
privacy_model (CsWindow *window)
{
  return cs_figure_view_get_model (CS_FIGURE_VIEW (density_child (window, "privacy_view")));
}

static gboolean
privacy_idle (CsWindow *window)
{
  return privacy_model (window) != NULL
         && !gtk_spinner_get_spinning (GTK_SPINNER (density_child (window, "privacy_spinner")));
}

/* Pixels of a PNG within 12 of viridis' top colour: the peaks of the heat maps. */
static guint
count_viridis_top (const char *png)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  const guint8    *data;
  int              stride;
  guint            n = 0;

  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  data = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  for (int y = 0; y < cairo_image_surface_get_height (s); y++)
    for (int x = 0; x < cairo_image_surface_get_width (s); x++)
      {
        guint32 p = *(const guint32 *)(data + y * stride + 4 * x);

        n += abs ((int)((p >> 16) & 0xff) - 253) <= 12 && abs ((int)((p >> 8) & 0xff) - 231) <= 12
             && abs ((int)(p & 0xff) - 37) <= 12;
      }
  cairo_surface_destroy (s);
  return n;
}

/* The privacy page computes on a worker when shown, follows the ε control (found by its
 * accessible name) with a new private surface over the same exact one, and is what
 * win.export-to writes while it is on screen. */
static void
test_privacy_view (void)
{
  CsWindow *window = window_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-ui-XXXXXX", &error);
  g_autofree char *png = g_build_filename (dir, "privacy.png", NULL);
  g_autofree char *scatter_png = g_build_filename (dir, "scatter.png", NULL);
  g_autoptr (CsPrivacyModel) before = NULL;
  const CsPrivacyModel *after;
  GtkWidget            *spin;
  gsize                 cells;
  guint                 changed = 0;
  gsize                 n_bytes = 0;
  g_autofree char      *data = NULL;

  g_assert_no_error (error);
  load_sample (window, "iris");
  activate (window, "show-view", "privacy");
  g_assert_cmpstr (cs_window_get_view (window), ==, "privacy");
  g_assert_true (wait_for (window, privacy_idle, 60000));
  before = cs_privacy_model_ref ((CsPrivacyModel *)privacy_model (window));
  g_assert_cmpuint (before->n, ==, 150);
  g_assert_cmpfloat (before->epsilon, ==, 1.0);
  g_assert_cmpfloat (before->delta, ==, 1e-5);
  /* Sensitivity 2 (two unit-norm feature vectors) through the analytic Gaussian mechanism. */
  g_assert_cmpfloat_with_epsilon (before->sigma, cs_dp_gaussian_sigma_analytic (2.0, 1.0, 1e-5),
                                  1e-9 * before->sigma);
  /* Iris has species labels: three classes, and the accuracy-against-ε curve. */
  g_assert_cmpuint (before->n_classes, ==, 3);
  g_assert_cmpuint (before->n_curve, >=, 3);
  g_assert_cmpfloat (before->nonprivate_accuracy, >, 0.8);

  spin = find_by_accessible_label (GTK_WIDGET (window), "Privacy epsilon");
  g_assert_nonnull (spin);
  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 0.2);
  g_assert_true (wait_for (window, privacy_idle, 60000));
  after = privacy_model (window);
  g_assert_true (after != before);
  g_assert_cmpfloat_with_epsilon (after->epsilon, 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (after->sigma, cs_dp_gaussian_sigma_analytic (2.0, 0.2, 1e-5),
                                  1e-9 * after->sigma);
  g_assert_cmpfloat (after->sigma, >, 4.0 * before->sigma);
  /* The exact surface is the data's, whatever ε; the private one is a new draw. */
  g_assert_cmpuint (after->nx, ==, before->nx);
  g_assert_cmpuint (after->ny, ==, before->ny);
  cells = (gsize)after->nx * after->ny;
  g_assert_cmpmem (after->exact, cells * sizeof (double), before->exact, cells * sizeof (double));
  for (gsize k = 0; k < cells; k++)
    changed += after->priv[k] != before->priv[k];
  g_assert_cmpuint (changed, >, cells / 2);
  /* Five times the noise: a larger error against the same exact peak. */
  g_assert_cmpfloat (after->mean_error, >, before->mean_error);

  activate (window, "export-to", png);
  g_assert_true (wait_for (window, is_idle, 20000));
  g_assert_null (cs_window_get_error_text (window));
  g_assert_true (g_file_get_contents (png, &data, &n_bytes, NULL));
  g_assert_cmpuint (n_bytes, >, 8);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  /* The privacy view, not the scatter behind it: the heat maps' yellow peaks. */
  activate (window, "show-view", "scatter");
  activate (window, "export-to", scatter_png);
  g_assert_true (wait_for (window, is_idle, 20000));
  g_test_message ("viridis-top pixels: privacy %u, scatter %u", count_viridis_top (png),
                  count_viridis_top (scatter_png));
  g_assert_cmpuint (count_viridis_top (png), >, 100 + 10 * count_viridis_top (scatter_png));

  g_unlink (png);
  g_unlink (scatter_png);
  g_rmdir (dir);
  window_free (window);
}

static gboolean
saliency_idle (CsWindow *window)
{
  return cs_figure_view_get_model (CS_FIGURE_VIEW (density_child (window, "saliency_view"))) != NULL
         && !gtk_spinner_get_spinning (GTK_SPINNER (density_child (window, "saliency_spinner")));
}

static GtkGesture *
click_gesture (GtkWidget *widget)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (c))
        return GTK_GESTURE (c);
    }
  return NULL;
}

static char *
selected_axis (CsWindow *window, const char *dropdown)
{
  GtkDropDown *d = GTK_DROP_DOWN (density_child (window, dropdown));
  GObject     *item = gtk_drop_down_get_selected_item (d);

  return g_strdup (item != NULL && GTK_IS_STRING_OBJECT (item) ? gtk_string_object_get_string (GTK_STRING_OBJECT (item))
                                                               : "");
}

/* The saliency page describes the result on a worker when shown: summaries for every
 * cluster, the heatmap puts a clicked feature on the scatter's x axis, KernelSHAP is a
 * drop-down away, and the table exports as CSV (found through accessible names). */
static void
test_saliency_view (void)
{
  CsWindow *window = window_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-ui-XXXXXX", &error);
  g_autofree char *csv = g_build_filename (dir, "table.csv", NULL);
  g_autofree char *png = g_build_filename (dir, "saliency.png", NULL);
  g_autofree char *text = NULL;
  g_autofree char *x_axis = NULL;
  g_auto (GStrv) lines = NULL;
  GtkWidget *view;
  GtkWidget *chart;
  GtkWidget *method;
  GtkWidget *summaries;
  const CsSaliencyModel *model;
  GtkGesture *click;
  CsRect cell;
  guint petal_length = G_MAXUINT;

  g_assert_no_error (error);
  load_sample (window, "iris");
  run_kmeans (window, "3");
  activate (window, "show-view", "saliency");
  g_assert_cmpstr (cs_window_get_view (window), ==, "saliency");
  g_assert_true (wait_for (window, saliency_idle, 30000));

  view = find_by_accessible_label (GTK_WIDGET (window), "Saliency summary chart");
  /* A label's accessible name is its text: found by template name. */
  summaries = density_child (window, "saliency_summary_label");
  chart = find_by_accessible_label (GTK_WIDGET (window), "Saliency chart");
  method = find_by_accessible_label (GTK_WIDGET (window), "Attribution method");
  g_assert_nonnull (view);
  g_assert_nonnull (summaries);
  g_assert_nonnull (chart);
  g_assert_nonnull (method);
  text = g_strdup (gtk_label_get_text (GTK_LABEL (summaries)));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Cluster 1 ("));
  g_assert_nonnull (strstr (text, "Cluster 3 ("));
  g_assert_nonnull (strstr (text, "petal_length"));
  /* The species make-up: k-means puts every setosa, and only them, in one cluster. */
  g_assert_nonnull (strstr (text, "; species setosa 100 %"));
  g_assert_true (cs_figure_view_get_func (CS_FIGURE_VIEW (view)) == cs_render_saliency_bars);

  /* Iris is not image data: bars and heatmap only. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (chart))), ==, 2);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (chart), 1);
  g_assert_true (cs_figure_view_get_func (CS_FIGURE_VIEW (view)) == cs_render_saliency_heatmap);
  model = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  for (guint j = 0; j < model->d; j++)
    if (strcmp (model->feature_names[j], "petal_length") == 0)
      petal_length = j;
  g_assert_cmpuint (petal_length, <, model->d);
  g_assert_true (cs_render_saliency_heatmap_cell (model, gtk_widget_get_width (view), gtk_widget_get_height (view), 0,
                                                  petal_length, &cell));
  click = click_gesture (view);
  g_assert_nonnull (click);
  g_signal_emit_by_name (click, "pressed", 1, cell.x + cell.width / 2, cell.y + cell.height / 2);
  g_assert_true (wait_for (window, is_idle, 10000));
  x_axis = selected_axis (window, "x_dropdown");
  g_assert_cmpstr (x_axis, ==, "petal_length");
  g_assert_cmpstr (cs_plot_view_get_model (cs_window_get_plot_view (window))->x_label, ==, "petal_length");
  model = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  g_assert_cmpint (model->highlight, ==, (gint)petal_length);

  /* The figure export writes the page on screen; the table has a line per cluster and feature. */
  activate (window, "export-to", png);
  g_action_group_activate_action (G_ACTION_GROUP (window), "export-saliency-to",
                                  g_variant_new ("(ss)", "table", csv));
  g_assert_true (wait_for (window, is_idle, 20000));
  g_assert_null (cs_window_get_error_text (window));
  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (g_strchomp (text), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3 * 4);
  g_assert_true (g_str_has_prefix (lines[0], "cluster,feature,rank,"));

  /* Another method recomputes on the worker. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (method), 1);
  g_assert_true (wait_for (window, saliency_idle, 30000));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (density_child (window, "saliency_status_label"))),
                            "KernelSHAP"));

  g_unlink (csv);
  g_unlink (png);
  g_rmdir (dir);
  window_free (window);
}

/* Views and navigation ------------------------------------------------------------------ */

static CsWindow *
window_new_sized (int width, int height)
{
  CsWindow *window = cs_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  cs_test_spin (50);
  return window;
}

static gboolean
is_insensitive_with_reason (GtkWidget *button, const char *word)
{
  const char *tip = gtk_widget_get_tooltip_text (button);

  return !gtk_widget_get_sensitive (button) && tip != NULL && strstr (tip, word) != NULL;
}

/* A click as the button sees it ("clicked" toggles a toggle button). */
static void
press (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Every view has a switcher button found by its accessible name; one that does not apply is
 * insensitive with the reason in its tooltip and keeps its place; a group button shows the
 * view last shown in that group. */
static void
test_navigation_groups (void)
{
  /* The shown group's views and every group button */
  static const char *const clusters[] = { "Scatter", "Table", "Graph", "Data", "Clusters", "Structure", "Density", "Explain" };
  CsWindow *window = window_new_sized (1024, 700);
  double    x_before[G_N_ELEMENTS (clusters)];
  GtkWidget *density;
  GtkWidget *explain;
  GtkWidget *clusters_group;

  load_sample (window, "iris");
  cs_test_spin (50);
  for (guint i = 0; i < G_N_ELEMENTS (clusters); i++)
    {
      GtkWidget      *button = find_by_accessible_label (GTK_WIDGET (window), clusters[i]);
      graphene_point_t p;

      g_assert_nonnull (button);
      g_assert_true (GTK_IS_TOGGLE_BUTTON (button));
      g_assert_true (gtk_widget_compute_point (button, GTK_WIDGET (window), &GRAPHENE_POINT_INIT (0, 0), &p));
      x_before[i] = p.x;
    }
  /* No result yet: only the scatter plot applies among the cluster views. */
  g_assert_true (gtk_widget_get_sensitive (find_by_accessible_label (GTK_WIDGET (window), "Scatter")));
  g_assert_true (is_insensitive_with_reason (find_by_accessible_label (GTK_WIDGET (window), "Silhouette"), "Run"));
  explain = find_by_accessible_label (GTK_WIDGET (window), "Explain");
  g_assert_true (is_insensitive_with_reason (explain, "Run"));
  activate (window, "show-view", "saliency");
  g_assert_cmpstr (cs_window_get_view (window), ==, "scatter");

  run_kmeans (window, "3");
  cs_test_spin (50);
  /* The same buttons in the same places, now with what this result can show. */
  for (guint i = 0; i < G_N_ELEMENTS (clusters); i++)
    {
      GtkWidget      *button = find_by_accessible_label (GTK_WIDGET (window), clusters[i]);
      graphene_point_t p;

      g_assert_true (gtk_widget_compute_point (button, GTK_WIDGET (window), &GRAPHENE_POINT_INIT (0, 0), &p));
      g_assert_cmpfloat (p.x, ==, x_before[i]);
    }
  g_assert_true (gtk_widget_get_sensitive (find_by_accessible_label (GTK_WIDGET (window), "Silhouette")));
  /* Iris is not image data; k-means has a k, so Choose k applies. */
  g_assert_true (is_insensitive_with_reason (find_by_accessible_label (GTK_WIDGET (window), "Means"), "image"));
  g_assert_true (gtk_widget_get_sensitive (find_by_accessible_label (GTK_WIDGET (window), "Choose k")));

  /* Clicking a view button shows it; a group shows its first view, later its last one. */
  press (find_by_accessible_label (GTK_WIDGET (window), "Silhouette"));
  g_assert_cmpstr (cs_window_get_view (window), ==, "silhouette");
  density = find_by_accessible_label (GTK_WIDGET (window), "Density");
  clusters_group = find_by_accessible_label (GTK_WIDGET (window), "Clusters");
  press (density);
  g_assert_cmpstr (cs_window_get_view (window), ==, "density");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (density)));
  press (find_by_accessible_label (GTK_WIDGET (window), "Privacy"));
  g_assert_cmpstr (cs_window_get_view (window), ==, "privacy");
  press (explain);
  g_assert_cmpstr (cs_window_get_view (window), ==, "saliency");
  press (clusters_group);
  g_assert_cmpstr (cs_window_get_view (window), ==, "silhouette");
  press (density);
  g_assert_cmpstr (cs_window_get_view (window), ==, "privacy");
  g_assert_true (wait_for (window, is_idle, 30000));
  window_free (window);
}

/* After Cancel the plot still shows the last result, and the status line keeps its scores. */
static void
test_cancel_keeps_result_status (void)
{
  CsWindow        *window = window_new ();
  g_autofree char *shown = NULL;
  const char      *status;

  /* Small enough for a quick first run under the sanitizers, large enough that the second
   * (200 centres, 20 starts) is still running when Cancel comes. */
  activate (window, "generate", "blobs:50000:4");
  g_assert_true (wait_for (window, is_idle, 30000));
  run_kmeans (window, "4");
  shown = g_strdup (cs_window_get_status_text (window));
  g_assert_true (isfinite (status_number (window, "inertia")));

  set_param (window, "k", "200");
  set_param (window, "n_init", "20");
  activate (window, "run", NULL);
  cs_test_spin (200);
  g_assert_true (cs_window_is_busy (window));
  activate (window, "cancel", NULL);
  g_assert_true (wait_for (window, is_idle, 5000));
  status = cs_window_get_status_text (window);
  g_test_message ("status: %s", status);
  g_assert_true (g_str_has_prefix (status, "Cancelled"));
  g_assert_true (g_str_has_suffix (status, shown));
  g_assert_cmpuint (cs_plot_view_get_model (cs_window_get_plot_view (window))->k, ==, 4);
  window_free (window);
}

/* At 1024 × 700 the page texts are whole: the saliency status with its click hint is not
 * ellipsized, the cluster summaries get the height they need, and the density page's H
 * has no rounding noise (wine's PCA plane: uncorrelated axes, so two diagonal entries). */
static void
test_page_texts_fit_small_window (void)
{
  CsWindow   *window = window_new_sized (1024, 700);
  GtkWidget  *status;
  GtkWidget  *summary;
  GtkWidget  *entry;
  const char *h;
  int         needed = 0;

  load_sample (window, "wine");
  run_kmeans (window, "3");
  activate (window, "show-view", "saliency");
  g_assert_true (wait_for (window, saliency_idle, 30000));
  cs_test_spin (100);
  status = density_child (window, "saliency_status_label");
  g_test_message ("saliency status: %s", gtk_label_get_text (GTK_LABEL (status)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (status)), "click a feature"));
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (status))));
  summary = density_child (window, "saliency_summary_label");
  /* A new minimum height takes a layout pass or two to reach the screen. */
  for (guint i = 0; i < 100; i++)
    {
      gtk_widget_measure (summary, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (summary), NULL, &needed, NULL,
                          NULL);
      if (gtk_widget_get_height (gtk_widget_get_parent (gtk_widget_get_parent (summary))) >= needed)
        break;
      cs_test_spin (20);
    }
  g_test_message ("summaries: %d px needed, %d px shown", needed,
                  gtk_widget_get_height (gtk_widget_get_parent (gtk_widget_get_parent (summary))));
  g_assert_cmpint (gtk_widget_get_height (gtk_widget_get_parent (gtk_widget_get_parent (summary))), >=, needed);

  activate (window, "show-view", "density");
  g_assert_true (wait_for (window, density_idle, 20000));
  cs_test_spin (50);
  entry = density_child (window, "density_h_entry");
  h = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_test_message ("H: %s", h);
  g_assert_null (strstr (h, "e-"));
  g_assert_null (strchr (h, ';'));
  {
    g_auto (GStrv) parts = g_strsplit (h, ",", -1);
    const double *H = density_model (window)->surface->grid->h;

    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    g_assert_cmpfloat_with_epsilon (g_ascii_strtod (parts[0], NULL), H[0], 1e-3 * H[0]);
    g_assert_cmpfloat_with_epsilon (g_ascii_strtod (parts[1], NULL), H[3], 1e-3 * H[3]);
  }
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (density_child (window, "density_status_label")))));
  window_free (window);
}

/* Labels exported from a run and opened again are the same clustering: the same inertia,
 * ARI and silhouette page; a labels file that names a row the dataset lacks says which line. */
static void
test_open_labels (void)
{
  CsWindow *window = window_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-ui-XXXXXX", &error);
  g_autofree char *labels = g_build_filename (dir, "labels.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.csv", NULL);
  double inertia;
  double ari;

  g_assert_no_error (error);
  load_sample (window, "iris");
  run_kmeans (window, "3");
  inertia = status_number (window, "inertia");
  ari = status_number (window, "ARI");
  g_assert_true (isfinite (inertia));
  activate (window, "export-labels-to", labels);
  g_assert_true (wait_for (window, is_idle, 20000));

  /* A different clustering in between, so the reopened labels must replace it. */
  run_kmeans (window, "5");
  activate (window, "open-labels-path", labels);
  g_assert_true (wait_for (window, is_idle, 20000));
  g_assert_null (cs_window_get_error_text (window));
  g_test_message ("status: %s", cs_window_get_status_text (window));
  g_assert_true (g_str_has_prefix (cs_window_get_status_text (window), "Labels from a file: 3 clusters"));
  g_assert_cmpfloat (fabs (status_number (window, "inertia") - inertia), <, 1e-3 * inertia);
  g_assert_cmpfloat (fabs (status_number (window, "ARI") - ari), <, 1e-3);
  activate (window, "show-view", "silhouette");
  g_assert_cmpstr (cs_window_get_view (window), ==, "silhouette");

  g_assert_true (g_file_set_contents (bad, "row,label\n0,1\n1,2\n150,1\n", -1, NULL));
  activate (window, "open-labels-path", bad);
  g_assert_true (wait_for (window, is_idle, 20000));
  g_assert_nonnull (cs_window_get_error_text (window));
  g_assert_nonnull (strstr (cs_window_get_error_text (window), "bad.csv:4"));

  g_unlink (labels);
  g_unlink (bad);
  g_rmdir (dir);
  window_free (window);
}

/* With every view of a result on offer (digits: 64 dimensions, images), the window must
 * still fit a 1280-pixel-wide screen. */
static void
test_window_fits_small_screen (void)
{
  CsWindow *window = window_new ();
  int minimum = 0;

  load_sample (window, "digits");
  run_kmeans (window, "3");
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("minimum width %d", minimum);
  /* 1024 px wide is the smallest screen the layout is made for (every page's controls). */
  g_assert_cmpint (minimum, <=, 1024);
  window_free (window);
}

/* The 5-object example of /cli/cluster/precomputed-distances: from medoids {0, 1} PAM
 * reaches loss 4 with medoids {0, 3}. On the coordinates below (points at 0, 1, 2, 10, 11
 * on a line) the same start ends at loss 3 instead, so a run shows which one it used. */
#define DISTANCES_5 "0,1,2,4,7\n1,0,3,5,8\n2,3,0,6,9\n4,5,6,0,1\n7,8,9,1,0\n"
#define ROWS_5 "x,y\n0,0\n1,0\n2,0\n10,0\n11,0\n"

static char *
write_temp (const char *dir, const char *name, const char *contents)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static GtkWidget *
window_child (CsWindow *window, const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), CS_TYPE_WINDOW, name));
}

static char *
panel_metric (CsWindow *window)
{
  g_autoptr (CsParams) params = cs_params_panel_get_params (cs_window_get_params_panel (window));

  return g_strdup (cs_params_get_string (params, "metric"));
}

static void
run_pam_from_0_1 (CsWindow *window)
{
  g_assert_true (cs_window_select_algorithm (window, "pam"));
  set_param (window, "k", "2");
  set_param (window, "init", "0,1");
  activate (window, "run", NULL);
  g_assert_true (wait_for (window, is_idle, 10000));
  g_assert_null (cs_window_get_error_text (window));
}

static void
open_distances (CsWindow *window, const char *path)
{
  activate (window, "open-distances-path", path);
  g_assert_true (wait_for (window, is_idle, 10000));
}

static void
test_distances_matrix (void)
{
  CsWindow *window = window_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-ui-XXXXXX", &error);
  g_autofree char *rows = write_temp (dir, "rows.csv", ROWS_5);
  g_autofree char *dist = write_temp (dir, "d.csv", DISTANCES_5);
  g_autofree char *small = write_temp (dir, "small.csv", "0,1,2,4\n1,0,3,5\n2,3,0,6\n4,5,6,0\n");
  g_autofree char *bad
      = write_temp (dir, "bad.csv", "0,1,2,4,7\n1,0,3,5,8\n2,3,0,oops,9\n4,5,6,0,1\n7,8,9,1,0\n");
  g_autofree char *json = g_build_filename (dir, "results.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  GtkWidget         *box;
  GtkWidget         *label;
  GtkWidget         *hint;
  const char        *message;
  JsonObject        *obj;
  JsonArray         *medoids;
  const CsPlotModel *model;

  g_assert_no_error (error);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "open-distances-path"));
  activate (window, "open-file", rows);
  g_assert_true (wait_for (window, is_idle, 10000));
  g_assert_null (cs_window_get_error_text (window));
  box = window_child (window, "distances_box");
  label = window_child (window, "distances_label");
  hint = window_child (window, "distances_hint_label");
  g_assert_false (gtk_widget_get_visible (box));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "clear-distances"));

  g_assert_true (cs_window_select_algorithm (window, "pam"));
  open_distances (window, dist);
  g_assert_null (cs_window_get_error_text (window));
  g_assert_true (gtk_widget_get_visible (box));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Distances: d.csv (5\u00a0×\u00a05)");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "clear-distances"));
  {
    g_autofree char *metric = panel_metric (window);
    g_assert_cmpstr (metric, ==, "precomputed");
  }

  run_pam_from_0_1 (window);
  g_test_message ("status: %s", cs_window_get_status_text (window));
  g_assert_cmpfloat (status_number (window, "loss"), ==, 4.0);
  /* Scored on the matrix: clusters {0, 1, 2} and {3, 4}; row 0's mean distance to its own
   * cluster is (1 + 2)/2 and to the other (4 + 7)/2, and so on, so the silhouette is the mean
   * of 1 − 1.5/5.5, 1 − 2/6.5, 1 − 2.5/7.5, 1 − 1/5 and 1 − 1/8. */
  g_assert_cmpfloat_with_epsilon (status_number (window, "silhouette"),
                                  ((1 - 1.5 / 5.5) + (1 - 2 / 6.5) + (1 - 2.5 / 7.5) + (1 - 1.0 / 5) + (1 - 1.0 / 8)) / 5,
                                  0.0005);
  model = cs_plot_view_get_model (cs_window_get_plot_view (window));
  g_assert_true (model->centers_are_medoids);
  g_assert_cmpuint (model->k, ==, 2);
  g_assert_cmpint (model->labels[0], ==, model->labels[2]);
  g_assert_cmpint (model->labels[3], ==, model->labels[4]);
  g_assert_cmpint (model->labels[0], !=, model->labels[3]);
  activate (window, "export-results-to", json);
  g_assert_true (wait_for (window, is_idle, 10000));
  json_parser_load_from_file (parser, json, &error);
  g_assert_no_error (error);
  obj = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat (json_object_get_double_member (obj, "loss"), ==, 4.0);
  medoids = json_object_get_array_member (obj, "medoids");
  g_assert_cmpuint (json_array_get_length (medoids), ==, 2);
  g_assert_cmpint (json_array_get_int_element (medoids, 0), ==, 0);
  g_assert_cmpint (json_array_get_int_element (medoids, 1), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj, "params"), "metric"),
                   ==, "precomputed");
  /* The medoid silhouette on the matrix: rows 1 and 2 are 1 and 2 from their medoid and 5
   * and 6 from the other, row 4 is 1 and 7, a medoid counts 1. No centroid-based scores. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (obj, "medoid_silhouette"),
                                  (1 + (1 - 1.0 / 5) + (1 - 2.0 / 6) + 1 + (1 - 1.0 / 7)) / 5, 1e-12);
  g_assert_false (json_object_has_member (obj, "davies_bouldin"));
  /* Scored on the matrix only: the silhouette view shows the medoid silhouette. */
  activate (window, "show-view", "silhouette");
  g_assert_cmpstr (cs_window_get_view (window), ==, "silhouette");
  activate (window, "show-view", "scatter");

  /* k-means needs coordinates: Run is off, and the sidebar and the button say why. */
  g_assert_true (cs_window_select_algorithm (window, "kmeans"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "run"));
  g_assert_true (gtk_widget_get_visible (hint));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (hint)), "k-means"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (window_child (window, "run_button")), ==,
                   gtk_label_get_text (GTK_LABEL (hint)));
  g_assert_true (cs_window_select_algorithm (window, "fasterpam"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "run"));
  g_assert_false (gtk_widget_get_visible (hint));
  {
    g_autofree char *metric = panel_metric (window);
    g_assert_cmpstr (metric, ==, "precomputed");
  }

  /* A matrix of another size is refused, naming both sizes; the one in use stays. */
  open_distances (window, small);
  message = cs_window_get_error_text (window);
  g_assert_nonnull (message);
  g_test_message ("error: %s", message);
  g_assert_nonnull (strstr (message, "4 × 4"));
  g_assert_nonnull (strstr (message, "5 rows"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Distances: d.csv (5\u00a0×\u00a05)");
  activate (window, "dismiss-error", NULL);

  /* A malformed file: FILE:LINE:COLUMN, the non-number is on line 3. */
  open_distances (window, bad);
  message = cs_window_get_error_text (window);
  g_assert_nonnull (message);
  g_test_message ("error: %s", message);
  g_assert_true (g_regex_match_simple ("bad\\.csv:3:[0-9]+: ", message, 0, 0));
  activate (window, "dismiss-error", NULL);

  /* Back to coordinates: the same start now ends at loss 3. */
  activate (window, "clear-distances", NULL);
  g_assert_false (gtk_widget_get_visible (box));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "clear-distances"));
  {
    g_autofree char *metric = panel_metric (window);
    g_assert_cmpstr (metric, ==, "euclidean");
  }
  run_pam_from_0_1 (window);
  g_assert_cmpfloat (status_number (window, "loss"), ==, 3.0);

  /* A new dataset has other rows: the matrix goes. */
  open_distances (window, dist);
  g_assert_true (gtk_widget_get_visible (box));
  activate (window, "open-file", rows);
  g_assert_true (wait_for (window, is_idle, 10000));
  g_assert_false (gtk_widget_get_visible (box));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "clear-distances"));
  g_assert_true (cs_window_select_algorithm (window, "kmeans"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "run"));

  for (const char *const *p = (const char *const[]){ rows, dist, small, bad, json, NULL }; *p != NULL; p++)
    g_unlink (*p);
  g_rmdir (dir);
  window_free (window);
}

/* Rows with missing values are dropped before clustering, so the matrix must match the
 * rows that remain, as cs_pipeline_run and the CLI require. */
static void
test_distances_match_prepared_rows (void)
{
  CsWindow *window = window_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cs-test-ui-XXXXXX", &error);
  g_autofree char *rows = write_temp (dir, "gappy.csv", "x,y\n0,0\n1,0\n,0\n2,0\n10,0\n11,0\n");
  g_autofree char *dist = write_temp (dir, "d.csv", DISTANCES_5);
  g_autofree char *six = write_temp (
      dir, "six.csv", "0,1,1,2,4,7\n1,0,1,3,5,8\n1,1,0,3,5,8\n2,3,3,0,6,9\n4,5,5,6,0,1\n7,8,8,9,1,0\n");
  const char *message;
  gpointer    weak;

  g_assert_no_error (error);
  activate (window, "open-file", rows);
  g_assert_true (wait_for (window, is_idle, 10000));
  g_assert_cmpuint (cs_window_get_dataset (window)->n_rows, ==, 6);

  open_distances (window, six);
  message = cs_window_get_error_text (window);
  g_assert_nonnull (message);
  g_test_message ("error: %s", message);
  g_assert_nonnull (strstr (message, "6 × 6"));
  g_assert_nonnull (strstr (message, "5 of the dataset’s 6 rows"));
  activate (window, "dismiss-error", NULL);

  open_distances (window, dist);
  g_assert_null (cs_window_get_error_text (window));
  run_pam_from_0_1 (window);
  g_assert_cmpfloat (status_number (window, "loss"), ==, 4.0);

  /* Closing the window while a matrix loads is safe: the late result is dropped. */
  activate (window, "open-distances-path", dist);
  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  {
    gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

    while (weak != NULL && g_get_monotonic_time () < end)
      cs_test_spin (5);
  }
  g_assert_null (weak);

  for (const char *const *p = (const char *const[]){ rows, dist, six, NULL }; *p != NULL; p++)
    g_unlink (*p);
  g_rmdir (dir);
}

/* Issue 12: Ward on iris, then the dendrogram page. Its cut control is found by its accessible
 * name; a height typed there (the keyboard's way, as the drag sets it) re-cuts the tree, and
 * every view shows that many clusters: the window's result has the labels cut from the same
 * merges, the scatter plot colours them. The page applies only to hierarchical results and
 * exports its figure. */
static void
test_dendrogram_cut (void)
{
  CsWindow               *window = window_new ();
  GtkWidget              *page;
  GtkWidget              *spin;
  GtkWidget              *view;
  const CsPipelineResult *r;
  const CsDendrogramModel *m;
  g_autofree int         *expected = g_new (int, 150);
  g_autofree double      *merges = NULL;
  g_autofree char        *why = NULL;
  CsRenderFunc            func = NULL;
  gpointer                model = NULL;
  GDestroyNotify          unref = NULL;

  load_sample (window, "iris");
  run_kmeans (window, "3");
  page = cs_window_get_view_page (window, "dendrogram");
  g_assert_false (cs_page_applies (CS_PAGE (page), &why));
  g_assert_nonnull (strstr (why, "Agglomerative"));

  g_assert_true (cs_window_select_algorithm (window, "agglomerative"));
  set_param (window, "k", "3");
  activate (window, "run", NULL);
  g_assert_true (wait_for (window, is_idle, 30000));
  g_assert_null (cs_window_get_error_text (window));
  r = cs_window_get_result (window);
  g_assert_nonnull (r->clustering->merges);
  merges = g_memdup2 (r->clustering->merges, 149 * 4 * sizeof (double));
  g_assert_true (cs_page_applies (CS_PAGE (page), NULL));
  activate (window, "show-view", "dendrogram");
  g_assert_cmpstr (cs_window_get_view (window), ==, "dendrogram");

  spin = find_by_accessible_label (page, "Dendrogram Cut Height");
  g_assert_nonnull (spin);
  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  g_assert_true (gtk_widget_get_sensitive (spin));
  view = GTK_WIDGET (gtk_widget_get_template_child (page, G_OBJECT_TYPE (page), "view"));
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  g_assert_nonnull (m);
  g_assert_cmpuint (m->k, ==, 3);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, m->cut_height);

  /* A height between the merges that leave 6 clusters: the page re-cuts at once, the window
   * follows. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), cs_dendrogram_cut_height_for (merges, 150, 150 - 6));
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  g_assert_cmpuint (m->k, ==, 6);
  g_assert_true (wait_for (window, is_idle, 30000));
  g_assert_null (cs_window_get_error_text (window));
  r = cs_window_get_result (window);
  g_assert_cmpstr (r->clustering->algorithm, ==, "agglomerative");
  g_assert_cmpuint (r->clustering->k, ==, 6);
  g_assert_cmpuint (cs_agglomerative_cut (merges, 150, 150 - 6, expected), ==, 6);
  g_assert_cmpmem (r->clustering->labels, 150 * sizeof (int), expected, 150 * sizeof (int));
  g_assert_cmpmem (r->clustering->merges, 149 * 4 * sizeof (double), merges, 149 * 4 * sizeof (double));
  g_assert_cmpuint (cs_plot_view_get_model (cs_window_get_plot_view (window))->k, ==, 6);
  /* the page kept the height it was given and still shows 6 */
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  g_assert_cmpuint (m->k, ==, 6);

  /* Keyboard: Page Up raises the cut; never more clusters than before. */
  gtk_widget_grab_focus (spin);
  gtk_spin_button_spin (GTK_SPIN_BUTTON (spin), GTK_SPIN_PAGE_FORWARD, 0);
  g_assert_true (wait_for (window, is_idle, 30000));
  g_assert_cmpuint (cs_window_get_result (window)->clustering->k, <=, 6);
  g_assert_cmpuint (cs_window_get_result (window)->clustering->k, ==,
                    ((const CsDendrogramModel *) cs_figure_view_get_model (CS_FIGURE_VIEW (view)))->k);

  /* Export draws the dendrogram. */
  g_assert_true (cs_page_get_figure (CS_PAGE (page), &func, &model, &unref));
  g_assert_true (func == cs_render_dendrogram);
  unref (model);
  window_free (window);
}

/* Issue 13: a graph as the window's data. An edge list (with its node table beside it) opened
 * by file, then the bundled karate club: the Graph page lays it out on a worker and colours the
 * nodes by the node labels, then by a run; Plain vs log draws both curves; neither page applies
 * to a table that is not a graph. */
static gboolean
figure_ready (gpointer data)
{
  return cs_figure_view_get_model (CS_FIGURE_VIEW (data)) != NULL;
}

static void
test_graph_views (void)
{
  CsWindow              *window = window_new ();
  g_autoptr (GError)     error = NULL;
  g_autofree char       *dir = g_dir_make_tmp ("cs-test-ui-XXXXXX", &error);
  g_autofree char       *edges = NULL;
  g_autofree char       *nodes = NULL;
  g_autofree char       *why = NULL;
  GtkWidget             *page;
  GtkWidget             *plain_log;
  GtkWidget             *view;
  const CsGraphModel    *m;
  const CsPlainLogModel *pl;
  const CsPipelineResult *r;

  g_assert_no_error (error);
  load_sample (window, "iris");
  page = cs_window_get_view_page (window, "graph");
  plain_log = cs_window_get_view_page (window, "plain-log");
  g_assert_false (cs_page_applies (CS_PAGE (page), &why));
  g_assert_nonnull (strstr (why, "not a graph"));
  g_clear_pointer (&why, g_free);
  g_assert_false (cs_page_applies (CS_PAGE (plain_log), &why));

  /* Two triangles joined by an edge, named by letters, with a node table. */
  edges = g_build_filename (dir, "two.edges.csv", NULL);
  nodes = g_build_filename (dir, "two.nodes.csv", NULL);
  g_file_set_contents (edges, "source,target\na,b\nb,c\na,c\nc,d\nd,e\ne,f\nd,f\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (nodes, "id,group\na,L\nb,L\nc,L\nd,R\ne,R\nf,R\n", -1, &error);
  g_assert_no_error (error);
  activate (window, "open-file", edges);
  g_assert_true (wait_for (window, is_idle, 10000));
  g_assert_null (cs_window_get_error_text (window));
  g_assert_cmpuint (cs_window_get_dataset (window)->n_rows, ==, 6);
  g_assert_nonnull (cs_window_get_dataset (window)->graph);
  g_assert_cmpint (cs_window_get_dataset (window)->label_column, >=, 0);
  g_assert_true (cs_page_applies (CS_PAGE (page), NULL));
  activate (window, "show-view", "graph");
  g_assert_cmpstr (cs_window_get_view (window), ==, "graph");
  view = GTK_WIDGET (gtk_widget_get_template_child (page, G_OBJECT_TYPE (page), "view"));
  g_assert_true (cs_test_wait_until (figure_ready, view, 20000));
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  g_assert_cmpuint (m->graph->n, ==, 6);
  g_assert_cmpuint (m->k, ==, 2);
  g_assert_cmpint (m->labels[0], ==, m->labels[2]);
  g_assert_cmpint (m->labels[0], !=, m->labels[5]);

  load_sample (window, "karate");
  g_assert_cmpuint (cs_window_get_dataset (window)->n_rows, ==, 34);
  activate (window, "show-view", "graph");
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  /* A new graph: the old layout is gone, the new one comes from the worker. */
  g_assert_true (m == NULL || m->graph->n == 34);
  g_assert_true (cs_test_wait_until (figure_ready, view, 20000));
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  g_assert_cmpuint (m->graph->n, ==, 34);
  g_assert_cmpuint (m->k, ==, 2);

  run_kmeans (window, "3");
  r = cs_window_get_result (window);
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  g_assert_cmpuint (m->k, ==, 3);
  for (gsize i = 0; i < r->clustering->n; i++)
    g_assert_cmpint (m->labels[r->prep->rows[i]], ==, r->clustering->labels[i]);

  g_assert_true (cs_page_applies (CS_PAGE (plain_log), NULL));
  activate (window, "show-view", "plain-log");
  view = GTK_WIDGET (gtk_widget_get_template_child (plain_log, G_OBJECT_TYPE (plain_log), "view"));
  g_assert_true (cs_test_wait_until (figure_ready, view, 60000));
  pl = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  g_assert_cmpint (pl->curve->plain, ==, CS_GRAPH_KERNEL_FOREST);
  g_assert_cmpint (pl->curve->log, ==, CS_GRAPH_KERNEL_LOG_FOREST);
  g_assert_cmpuint (pl->curve->n, >, 5);

  g_unlink (edges);
  g_unlink (nodes);
  g_rmdir (dir);
  window_free (window);
}

int
main (int argc, char *argv[])
{
  g_autofree char *data_home = NULL;
  int              status;

  if (!cs_test_ui_init (&argc, &argv, "org.clusterscope.Clusterscope.Test", &app, &data_home))
    return 0;

  g_test_add_func ("/ui/worker/newest-wins", test_worker_newest_wins);
  g_test_add_func ("/ui/worker/stale-dropped", test_worker_stale_dropped);
  g_test_add_func ("/ui/worker/cancel-answers-cancelled", test_worker_cancel);
  g_test_add_func ("/ui/worker/wait-mode-runs-newest-next", test_worker_wait_mode);
  g_test_add_func ("/ui/window/open-sample-shows-points", test_open_sample_shows_points);
  g_test_add_func ("/ui/window/open-csv-shows-points", test_open_csv_shows_points);
  g_test_add_func ("/ui/window/axes-show-columns", test_axes_show_columns);
  g_test_add_func ("/ui/window/generate-shows-points", test_generate_shows_points);
  g_test_add_func ("/ui/window/run-kmeans-shows-objective", test_run_kmeans_shows_objective);
  g_test_add_func ("/ui/window/run-wine-standardises-automatically", test_run_wine_standardises_automatically);
  g_test_add_func ("/ui/window/exact-silhouette-setting", test_exact_silhouette_setting);
  g_test_add_func ("/ui/window/open-bad-file-shows-error", test_open_bad_file_shows_error);
  g_test_add_func ("/ui/window/cancel-keeps-window-responsive", test_cancel_keeps_window_responsive);
  g_test_add_func ("/ui/window/close-while-running", test_close_while_running);
  g_test_add_func ("/ui/window/export-writes-files", test_export_writes_files);
  g_test_add_func ("/ui/window/fits-small-screen", test_window_fits_small_screen);
  g_test_add_func ("/ui/window/medoid-views-on-digits", test_medoid_views_on_digits);
  g_test_add_func ("/ui/window/choose-k-shows-clustering", test_choose_k_shows_clustering);
  g_test_add_func ("/ui/window/density-view-slider-and-export", test_density_view);
  g_test_add_func ("/ui/window/privacy-view-epsilon-and-export", test_privacy_view);
  g_test_add_func ("/ui/window/saliency-view-click-feature-and-export", test_saliency_view);
  g_test_add_func ("/ui/window/open-labels-round-trip", test_open_labels);
  g_test_add_func ("/ui/window/navigation/groups-and-reasons", test_navigation_groups);
  g_test_add_func ("/ui/window/cancel-keeps-result-status", test_cancel_keeps_result_status);
  g_test_add_func ("/ui/window/page-texts-fit-1024x700", test_page_texts_fit_small_window);
  g_test_add_func ("/ui/window/distances/pam-on-matrix-then-coordinates", test_distances_matrix);
  g_test_add_func ("/ui/window/distances/match-prepared-rows", test_distances_match_prepared_rows);
  g_test_add_func ("/ui/window/dendrogram/cut-shows-clustering", test_dendrogram_cut);
  g_test_add_func ("/ui/window/graph/open-edge-list-and-karate", test_graph_views);

  status = g_test_run ();
  g_object_unref (app);
  {
    g_autofree char *xbel = g_build_filename (data_home, "recently-used.xbel", NULL);

    g_unlink (xbel);
    g_rmdir (data_home);
  }
  return status;
}
