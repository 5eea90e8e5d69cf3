/* The k-distance page (issue 12: "the k-distance plot that helps choose eps"), under Xvfb:
 * after a DBSCAN run its curve is the sorted distances to each row's min_samples-th nearest
 * row, the run's automatic radius is the curve's knee, and a click on the chart runs DBSCAN
 * again with the radius under the pointer: exactly the rows at or below that height become
 * core rows. */

#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "core/cluster/cs-dbscan.h"
#include "core/cluster/cs-registry.h"
#include "test-common.h"
#include "test-ui-common.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-window.h"
#include "ui/pages/cs-page.h"
#include "ui/render/cs-render-kdistance.h"

static GtkApplication *app;


static gboolean
has_model (gpointer view)
{
  return cs_figure_view_get_model (view) != NULL;
}

static gsize
count_core (const CsClustering *c)
{
  gsize n = 0;

  g_assert_nonnull (c->point_kinds);
  for (gsize i = 0; i < c->n; i++)
    n += c->point_kinds[i] == CS_POINT_CORE;
  return n;
}

static void
test_curve_knee_and_click (void)
{
  CsWindow *window = cs_window_new (app);
  const CsPipelineResult *r;
  const CsKDistanceModel *m;
  GtkWidget *page, *view;
  GtkGesture *click = NULL;
  double eps_run, target, best_y = -1, best = INFINITY;
  int w, h;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  cs_test_spin (50);
  g_action_group_activate_action (G_ACTION_GROUP (window), "generate", g_variant_new_string ("moons:400"));
  g_assert_true (cs_test_wait_until (cs_test_window_idle, window, 20000));

  /* Before a DBSCAN result the page says what it is for. */
  page = cs_window_get_view_page (window, "k-distance");
  g_assert_nonnull (page);
  {
    g_autofree char *why = NULL;
    g_assert_false (cs_page_applies (CS_PAGE (page), &why));
    g_assert_nonnull (strstr (why, "DBSCAN"));
  }

  g_assert_true (cs_window_select_algorithm (window, "dbscan"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (cs_test_wait_until (cs_test_window_idle, window, 30000));
  g_assert_null (cs_window_get_error_text (window));
  r = cs_window_get_result (window);
  g_assert_cmpstr (r->clustering->algorithm, ==, "dbscan");
  eps_run = cs_params_get_double (r->clustering->params, "eps");

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-view", g_variant_new_string ("k-distance"));
  g_assert_cmpstr (cs_window_get_view (window), ==, "k-distance");
  view = cs_test_find_type (page, CS_TYPE_FIGURE_VIEW);
  g_assert_nonnull (view);
  g_assert_true (cs_test_wait_until (has_model, view, 20000));
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));

  /* The curve: one value per prepared row, ascending, for the run's min_samples. */
  g_assert_cmpuint (m->n, ==, r->prep->x->rows);
  g_assert_cmpuint (m->k, ==, (guint) cs_params_get_int (r->clustering->params, "min_samples"));
  for (gsize i = 1; i < m->n; i++)
    g_assert_cmpfloat (m->dist[i - 1], <=, m->dist[i]);
  /* The run's radius was automatic: the knee of this very curve. */
  g_assert_cmpfloat_with_epsilon (m->knee, eps_run, 1e-9 * eps_run);
  g_assert_cmpfloat (m->eps, ==, eps_run);
  /* Core rows are exactly those at or below the radius. */
  g_assert_cmpuint (count_core (r->clustering), ==, m->n - cs_kdistance_model_count_above (m, eps_run));

  /* Click where the chart reads 1.5 × the knee: found by scanning the frame's middle column. */
  cs_test_spin (50);
  w = gtk_widget_get_width (view);
  h = gtk_widget_get_height (view);
  g_assert_cmpint (w, >, 100);
  target = 1.5 * m->knee;
  for (int y = 0; y < h; y++)
    {
      double e;
      if (cs_kdistance_model_eps_at (m, w, h, w / 2.0, y + 0.5, &e) && fabs (e - target) < best)
        {
          best = fabs (e - target);
          best_y = y + 0.5;
        }
    }
  g_assert_cmpfloat (best_y, >=, 0);
  {
    GListModel *controllers = gtk_widget_observe_controllers (view);
    for (guint i = 0; i < g_list_model_get_n_items (controllers) && click == NULL; i++)
      {
        g_autoptr (GObject) c = g_list_model_get_item (controllers, i);
        if (GTK_IS_GESTURE_CLICK (c))
          click = GTK_GESTURE (c);
      }
    g_object_unref (controllers);
  }
  g_assert_nonnull (click);
  {
    double picked;
    g_assert_true (cs_kdistance_model_eps_at (m, w, h, w / 2.0, best_y, &picked));
    g_signal_emit_by_name (click, "pressed", 1, w / 2.0, best_y);
    g_assert_true (cs_test_wait_until (cs_test_window_idle, window, 30000));
    g_assert_null (cs_window_get_error_text (window));
    r = cs_window_get_result (window);
    g_assert_cmpstr (r->clustering->algorithm, ==, "dbscan");
    /* The radius under the pointer, to the four digits the page passes on. */
    g_assert_cmpfloat_with_epsilon (cs_params_get_double (r->clustering->params, "eps"), picked, 1e-3 * picked);
    g_assert_cmpfloat (cs_params_get_double (r->clustering->params, "eps"), >, eps_run);
  }
  /* The new run is shown on the page and the core rows follow the new radius. */
  g_assert_true (cs_test_wait_until (has_model, view, 20000));
  {
    double eps_new = cs_params_get_double (r->clustering->params, "eps");
    cs_test_spin (100);
    m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
    g_assert_nonnull (m);
    g_assert_cmpuint (count_core (r->clustering), ==, m->n - cs_kdistance_model_count_above (m, eps_new));
  }
  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (50);
}

/* A k-means result has no radius: the page does not apply and says why. */
static void
test_not_for_kmeans (void)
{
  CsWindow *window = cs_window_new (app);
  GtkWidget *page;

  gtk_window_present (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "generate", g_variant_new_string ("blobs:300:3"));
  g_assert_true (cs_test_wait_until (cs_test_window_idle, window, 20000));
  g_assert_true (cs_window_select_algorithm (window, "kmeans"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (cs_test_wait_until (cs_test_window_idle, window, 30000));
  page = cs_window_get_view_page (window, "k-distance");
  g_assert_nonnull (page);
  {
    g_autofree char *why = NULL;
    g_assert_false (cs_page_applies (CS_PAGE (page), &why));
    g_assert_nonnull (strstr (why, "DBSCAN"));
  }
  /* Asking to rerun with a parameter k-means lacks is refused with the reason shown. */
  g_assert_false (cs_window_rerun_with (window, "eps", "0.5"));
  g_assert_nonnull (cs_window_get_error_text (window));
  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (50);
}

int
main (int argc, char *argv[])
{
  g_autofree char *data_home = NULL;
  int              status;

  if (!cs_test_ui_init (&argc, &argv, "org.clusterscope.Clusterscope.KDistanceTest", &app, &data_home))
    return 0;
  g_test_add_func ("/ui/k-distance/curve-knee-and-click", test_curve_knee_and_click);
  g_test_add_func ("/ui/k-distance/not-for-kmeans", test_not_for_kmeans);
  status = g_test_run ();
  g_object_unref (app);
  g_rmdir (data_home);
  return status;
}
