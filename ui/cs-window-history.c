#include "ui/cs-window-private.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-format.h"

/* The runs on the current dataset, newest first, in a popover on the header bar: clicking one
 * shows it again (its points are rebuilt on a worker; nothing is run), and the Compare page
 * offers them as the other side of a comparison. A new dataset starts an empty history. */

#define HISTORY_MAX 30

static void
rebuild_list (CsWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->history_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->history_list), child);
  for (guint i = 0; i < self->history->len; i++)
    {
      CsPageResult *r = g_ptr_array_index (self->history, i);
      const CsClustering *c = r->pipeline->clustering;
      g_autofree char *secs = cs_i_window_format_seconds (c->seconds);
      g_autofree char *head = NULL;
      g_autoptr (GString) detail = g_string_new (NULL);
      const char *dot = r->title != NULL ? strstr (r->title, " · ") : NULL;
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *title;

      /* "k-means: 3 clusters", then the scores that tell runs apart. */
      head = dot != NULL ? g_strndup (r->title, (gsize) (dot - r->title)) : g_strdup (r->title != NULL ? r->title : c->algorithm);
      g_string_append_printf (detail, "Run %u · %s", self->history->len - i, secs);
      if (!isnan (r->pipeline->silhouette))
        g_string_append_printf (detail, " · silhouette %.3f", r->pipeline->silhouette);
      if (!isnan (r->pipeline->ari))
        g_string_append_printf (detail, " · ARI %.3f", r->pipeline->ari);
      title = gtk_label_new (head);
      GtkWidget *sub = gtk_label_new (detail->str);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (title), 0.0);
      gtk_label_set_wrap (GTK_LABEL (title), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (title), 48);
      gtk_label_set_xalign (GTK_LABEL (sub), 0.0);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_widget_add_css_class (sub, "caption");
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), sub);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_widget_set_margin_start (box, 6);
      gtk_widget_set_margin_end (box, 6);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-run");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "u", i);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      r->title != NULL ? r->title : c->algorithm, -1);
      if (r == self->result)
        gtk_widget_add_css_class (row, "current-run");
      gtk_list_box_append (GTK_LIST_BOX (self->history_list), row);
    }
  gtk_widget_set_sensitive (self->history_button, self->history->len > 0);
}

static void
history_changed (CsWindow *self)
{
  rebuild_list (self);
  for (guint i = 0; self->pages != NULL && i < self->pages->len; i++)
    cs_page_set_history (g_ptr_array_index (self->pages, i), self->history);
}

void
cs_i_window_history_add (CsWindow *self, CsPageResult *result)
{
  g_ptr_array_insert (self->history, 0, cs_page_result_ref (result));
  if (self->history->len > HISTORY_MAX)
    g_ptr_array_remove_index (self->history, self->history->len - 1);
  history_changed (self);
}

void
cs_i_window_history_clear (CsWindow *self)
{
  if (self->history == NULL || self->history->len == 0)
    return;
  g_ptr_array_set_size (self->history, 0);
  history_changed (self);
}

static void
show_run_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  CsWindow *self = user_data;
  guint i = g_variant_get_uint32 (parameter);
  CsPageResult *r;

  if (i >= self->history->len || cs_i_window_is_loading (self))
    return;
  r = g_ptr_array_index (self->history, i);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->history_button));
  if (r == self->result)
    return;
  if (self->job != NULL)
    {
      cs_job_cancel (self->job);
      g_signal_handlers_disconnect_by_data (self->job, self);
      g_clear_object (&self->job);
    }
  /* Another k of an earlier run would be derived from the newest run's inputs: not offered. */
  g_clear_object (&self->result_job);
  cs_i_window_set_result (self, cs_page_result_ref (r));
  g_free (self->result_status);
  self->result_status = g_strdup (r->title);
  cs_i_window_set_status (self, r->title);
  cs_i_window_rebuild_model (self);
  rebuild_list (self);
}

static const GActionEntry history_entries[] = {
  { "show-run", show_run_activated, "u", NULL, NULL },
};

void
cs_i_window_history_init (CsWindow *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new ("Runs on this dataset");
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->history = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_page_result_unref);
  self->history_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->history_list), GTK_SELECTION_NONE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->history_list), GTK_ACCESSIBLE_PROPERTY_LABEL, "Run History",
                                  -1);
  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0.0);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 420);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->history_list);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->history_button), popover);
  gtk_widget_set_sensitive (self->history_button, FALSE);
  g_action_map_add_action_entries (G_ACTION_MAP (self), history_entries, G_N_ELEMENTS (history_entries), self);
}

void
cs_i_window_history_finalize (CsWindow *self)
{
  g_clear_pointer (&self->history, g_ptr_array_unref);
}
