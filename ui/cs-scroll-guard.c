#include "ui/cs-scroll-guard.h"

/* The guard is a capture-phase scroll controller on the widget: capture runs before the
 * widget's own (bubble-phase) scroll handling, so at each scroll it switches that handling on
 * or off by the current focus. Switched off, the event bubbles past the widget to the
 * GtkScrolledWindow, which scrolls as it does over any label. */

#define GUARD_KEY "cs-scroll-guard"
#define PHASE_KEY "cs-scroll-guard-phase" /* a controller's own phase + 1, while switched off */

static gboolean
has_focus_within (GtkWidget *widget)
{
  GtkRoot   *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
set_enabled (GtkWidget *widget, GtkEventController *guard, gboolean enabled)
{
  GListModel *controllers = gtk_widget_observe_controllers (widget);
  guint       n = g_list_model_get_n_items (controllers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
      gpointer saved;

      if (c == guard || !GTK_IS_EVENT_CONTROLLER_SCROLL (c))
        continue;
      saved = g_object_get_data (G_OBJECT (c), PHASE_KEY);
      if (enabled && saved != NULL)
        {
          gtk_event_controller_set_propagation_phase (c, GPOINTER_TO_INT (saved) - 1);
          g_object_set_data (G_OBJECT (c), PHASE_KEY, NULL);
        }
      else if (!enabled && saved == NULL)
        {
          g_object_set_data (G_OBJECT (c), PHASE_KEY,
                             GINT_TO_POINTER (gtk_event_controller_get_propagation_phase (c) + 1));
          gtk_event_controller_set_propagation_phase (c, GTK_PHASE_NONE);
        }
    }
  g_object_unref (controllers);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    set_enabled (child, guard, enabled);
}

static void
update (GtkEventController *guard)
{
  GtkWidget *widget = gtk_event_controller_get_widget (guard);

  set_enabled (widget, guard, has_focus_within (widget));
}

static void
scroll_begin_cb (GtkEventControllerScroll *guard, gpointer user_data)
{
  update (GTK_EVENT_CONTROLLER (guard));
}

static gboolean
scroll_cb (GtkEventControllerScroll *guard, double dx, double dy, gpointer user_data)
{
  update (GTK_EVENT_CONTROLLER (guard));
  return GDK_EVENT_PROPAGATE;
}

void
cs_scroll_guard_attach (GtkWidget *widget)
{
  GtkEventController *guard;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (g_object_get_data (G_OBJECT (widget), GUARD_KEY) != NULL)
    return;
  guard = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  gtk_event_controller_set_name (guard, GUARD_KEY);
  gtk_event_controller_set_propagation_phase (guard, GTK_PHASE_CAPTURE);
  g_signal_connect (guard, "scroll-begin", G_CALLBACK (scroll_begin_cb), NULL);
  g_signal_connect (guard, "scroll", G_CALLBACK (scroll_cb), NULL);
  gtk_widget_add_controller (widget, guard);
  g_object_set_data (G_OBJECT (widget), GUARD_KEY, guard);
  /* Off until the first scroll decides: nothing has focus yet. */
  set_enabled (widget, guard, FALSE);
}

void
cs_scroll_guard_attach_all (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_SPIN_BUTTON (root) || GTK_IS_SCALE (root) || GTK_IS_DROP_DOWN (root))
    {
      cs_scroll_guard_attach (root);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cs_scroll_guard_attach_all (child);
}
