/* The Kernel view (issue 13: "the kernel matrix as a heatmap ordered by cluster"), under Xvfb:
 * on the karate club the log-communicability kernel, ordered by the club labels, is higher
 * inside the two clubs than between them; after a run the order follows the clusters; the
 * view does not apply to a table of points. */

#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "core/cluster/cs-pipeline.h"
#include "test-common.h"
#include "test-ui-common.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-window.h"
#include "ui/pages/cs-page.h"
#include "ui/render/cs-render-sdp.h"

static GtkApplication *app;


static gconstpointer last_model;

static gboolean
has_new_model (gpointer view)
{
  gconstpointer m = cs_figure_view_get_model (view);
  return m != NULL && m != last_model;
}

/* Mean normalised kernel value inside label blocks and between them. */
static void
block_means (const CsSdpModel *m, double *within, double *between)
{
  double sw = 0, sb = 0;
  gsize nw = 0, nb = 0;

  for (gsize a = 0; a < m->m; a++)
    for (gsize b = 0; b < m->m; b++)
      if (a != b)
        {
          if (m->labels[a] == m->labels[b])
            sw += m->z[a * m->m + b], nw++;
          else
            sb += m->z[a * m->m + b], nb++;
        }
  *within = sw / MAX (nw, 1);
  *between = sb / MAX (nb, 1);
}

static void
test_karate_blocks (void)
{
  CsWindow *window = cs_window_new (app);
  GtkWidget *page, *view;
  const CsSdpModel *m;
  double within, between;

  gtk_window_present (GTK_WINDOW (window));
  cs_test_spin (50);
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-sample", g_variant_new_string ("karate"));
  g_assert_true (cs_test_wait_until (cs_test_window_idle, window, 20000));
  page = cs_window_get_view_page (window, "kernel");
  g_assert_nonnull (page);
  g_assert_true (cs_page_applies (CS_PAGE (page), NULL));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-view", g_variant_new_string ("kernel"));
  g_assert_cmpstr (cs_window_get_view (window), ==, "kernel");
  view = cs_test_find_type (page, CS_TYPE_FIGURE_VIEW);
  last_model = NULL;
  g_assert_true (cs_test_wait_until (has_new_model, view, 20000));
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  g_assert_cmpuint (m->m, ==, 34);
  g_assert_true (m->descriptive);
  g_assert_nonnull (strstr (m->certificate, "node labels"));
  for (gsize a = 1; a < m->m; a++)
    g_assert_cmpint (m->labels[a - 1], <=, m->labels[a]);
  for (gsize e = 0; e < m->m * m->m; e++)
    g_assert_true (m->z[e] >= 0.0 && m->z[e] <= 1.0);
  block_means (m, &within, &between);
  g_test_message ("labels: within %.3f between %.3f", within, between);
  g_assert_cmpfloat (within, >, between + 0.05);

  /* After the default run (graph kernel k-means) the order is the clusters'. */
  last_model = m;
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (cs_test_wait_until (cs_test_window_idle, window, 30000));
  g_assert_true (cs_test_wait_until (has_new_model, view, 20000));
  m = cs_figure_view_get_model (CS_FIGURE_VIEW (view));
  g_assert_nonnull (strstr (m->certificate, "clustering"));
  g_assert_cmpuint (m->k, ==, cs_window_get_result (window)->clustering->k);
  block_means (m, &within, &between);
  g_test_message ("clusters: within %.3f between %.3f", within, between);
  g_assert_cmpfloat (within, >, between + 0.05);
  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (50);
}

static void
test_not_for_points (void)
{
  CsWindow *window = cs_window_new (app);
  g_autofree char *why = NULL;

  gtk_window_present (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-sample", g_variant_new_string ("iris"));
  g_assert_true (cs_test_wait_until (cs_test_window_idle, window, 20000));
  g_assert_false (cs_page_applies (CS_PAGE (cs_window_get_view_page (window, "kernel")), &why));
  g_assert_nonnull (strstr (why, "not a graph"));
  gtk_window_destroy (GTK_WINDOW (window));
  cs_test_spin (50);
}

int
main (int argc, char *argv[])
{
  g_autofree char *data_home = NULL;
  int              status;

  if (!cs_test_ui_init (&argc, &argv, "org.clusterscope.Clusterscope.KernelPageTest", &app, &data_home))
    return 0;
  g_test_add_func ("/ui/kernel/karate-blocks", test_karate_blocks);
  g_test_add_func ("/ui/kernel/not-for-points", test_not_for_points);
  status = g_test_run ();
  g_object_unref (app);
  g_rmdir (data_home);
  return status;
}
