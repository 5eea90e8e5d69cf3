#include "ui/widgets/cs-playback-bar.h"

#include "core/base/cs-format.h"

/* Playing advances one frame per tick; the speeds of the drop-down, in frames per second. */
static const guint speeds[] = { 1, 2, 4, 8, 16 };

struct _CsPlaybackBar
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget     *controls;
  GtkWidget     *first_button;
  GtkWidget     *back_button;
  GtkWidget     *play_button;
  GtkWidget     *forward_button;
  GtkWidget     *last_button;
  GtkWidget     *timeline;
  GtkAdjustment *adjustment;
  GtkWidget     *position_label;
  GtkWidget     *speed;
  GtkWidget     *notice_label;

  guint n_frames;
  guint position;
  guint tick;      /* timeout source while playing, or 0 */
  gboolean syncing; /* the adjustment is being set from code */
};

enum
{
  POSITION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CsPlaybackBar, cs_playback_bar, GTK_TYPE_WIDGET)

static void
sync_controls (CsPlaybackBar *self)
{
  gboolean any = self->n_frames > 1;
  g_autofree char *pos = cs_format_count (self->position + 1);
  g_autofree char *all = cs_format_count (self->n_frames);
  g_autofree char *text = any ? g_strdup_printf ("%s / %s", pos, all) : g_strdup ("");

  self->syncing = TRUE;
  gtk_adjustment_set_upper (self->adjustment, any ? self->n_frames - 1 : 0);
  gtk_adjustment_set_value (self->adjustment, self->position);
  self->syncing = FALSE;
  gtk_label_set_text (GTK_LABEL (self->position_label), text);
  gtk_widget_set_sensitive (self->first_button, any && self->position > 0);
  gtk_widget_set_sensitive (self->back_button, any && self->position > 0);
  gtk_widget_set_sensitive (self->forward_button, any && self->position + 1 < self->n_frames);
  gtk_widget_set_sensitive (self->last_button, any && self->position + 1 < self->n_frames);
  gtk_widget_set_sensitive (self->play_button, any);
  gtk_widget_set_sensitive (self->timeline, any);
  gtk_widget_set_visible (self->controls, any);
}

static void
move_to (CsPlaybackBar *self, guint position)
{
  position = self->n_frames > 0 ? MIN (position, self->n_frames - 1) : 0;
  if (position == self->position)
    {
      sync_controls (self);
      return;
    }
  self->position = position;
  sync_controls (self);
  g_signal_emit (self, signals[POSITION_CHANGED], 0, position);
}

static gboolean
tick_cb (gpointer user_data)
{
  CsPlaybackBar *self = user_data;

  if (self->position + 1 >= self->n_frames)
    {
      self->tick = 0;
      cs_playback_bar_set_playing (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  move_to (self, self->position + 1);
  if (self->position + 1 >= self->n_frames)
    {
      self->tick = 0;
      cs_playback_bar_set_playing (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
restart_tick (CsPlaybackBar *self)
{
  guint sel = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->speed));
  guint fps = speeds[MIN (sel, G_N_ELEMENTS (speeds) - 1)];

  g_clear_handle_id (&self->tick, g_source_remove);
  self->tick = g_timeout_add (1000 / fps, tick_cb, self);
}

static void
play_toggled (GtkToggleButton *button, CsPlaybackBar *self)
{
  gboolean on = gtk_toggle_button_get_active (button);

  gtk_button_set_icon_name (GTK_BUTTON (button), on ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  if (!on)
    {
      g_clear_handle_id (&self->tick, g_source_remove);
      return;
    }
  /* Play from the start when at the end: what a presenter pressing Play again means. */
  if (self->position + 1 >= self->n_frames)
    move_to (self, 0);
  restart_tick (self);
}

static void
speed_changed (GObject *object, GParamSpec *pspec, CsPlaybackBar *self)
{
  if (self->tick != 0)
    restart_tick (self);
}

static void
first_clicked (GtkButton *b, CsPlaybackBar *self)
{
  cs_playback_bar_set_playing (self, FALSE);
  move_to (self, 0);
}

static void
back_clicked (GtkButton *b, CsPlaybackBar *self)
{
  cs_playback_bar_step (self, -1);
}

static void
forward_clicked (GtkButton *b, CsPlaybackBar *self)
{
  cs_playback_bar_step (self, 1);
}

static void
last_clicked (GtkButton *b, CsPlaybackBar *self)
{
  cs_playback_bar_set_playing (self, FALSE);
  move_to (self, self->n_frames > 0 ? self->n_frames - 1 : 0);
}

static void
timeline_changed (GtkAdjustment *adj, CsPlaybackBar *self)
{
  if (self->syncing)
    return;
  move_to (self, (guint) MAX (0.0, gtk_adjustment_get_value (adj) + 0.5));
}

static void
cs_playback_bar_dispose (GObject *object)
{
  CsPlaybackBar *self = CS_PLAYBACK_BAR (object);

  g_clear_handle_id (&self->tick, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_PLAYBACK_BAR);
  G_OBJECT_CLASS (cs_playback_bar_parent_class)->dispose (object);
}

static void
cs_playback_bar_class_init (CsPlaybackBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_playback_bar_dispose;
  /* The position is emitted as a guint: the page renders that frame. */
  signals[POSITION_CHANGED] = g_signal_new ("position-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/widgets/cs-playback-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, CsPlaybackBar, controls);
  gtk_widget_class_bind_template_child (widget_class, CsPlaybackBar, first_button);
  gtk_widget_class_bind_template_child (widget_class, CsPlaybackBar, back_button);
  gtk_widget_class_bind_template_child (widget_class, CsPlaybackBar, play_button);
  gtk_widget_class_bind_template_child (widget_class, CsPlaybackBar, forward_button);
  gtk_widget_class_bind_template_child (widget_class, CsPlaybackBar, last_button);
  gtk_widget_class_bind_template_child (widget_class, CsPlaybackBar, timeline);
  gtk_widget_class_bind_template_child (widget_class, CsPlaybackBar, adjustment);
  gtk_widget_class_bind_template_child (widget_class, CsPlaybackBar, position_label);
  gtk_widget_class_bind_template_child (widget_class, CsPlaybackBar, speed);
  gtk_widget_class_bind_template_child (widget_class, CsPlaybackBar, notice_label);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TOOLBAR);
}

static void
cs_playback_bar_init (CsPlaybackBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->first_button, "clicked", G_CALLBACK (first_clicked), self);
  g_signal_connect (self->back_button, "clicked", G_CALLBACK (back_clicked), self);
  g_signal_connect (self->forward_button, "clicked", G_CALLBACK (forward_clicked), self);
  g_signal_connect (self->last_button, "clicked", G_CALLBACK (last_clicked), self);
  g_signal_connect (self->play_button, "toggled", G_CALLBACK (play_toggled), self);
  g_signal_connect (self->speed, "notify::selected", G_CALLBACK (speed_changed), self);
  g_signal_connect (self->adjustment, "value-changed", G_CALLBACK (timeline_changed), self);
  sync_controls (self);
}

GtkWidget *
cs_playback_bar_new (void)
{
  return g_object_new (CS_TYPE_PLAYBACK_BAR, NULL);
}

void
cs_playback_bar_set_n_frames (CsPlaybackBar *bar, guint n_frames)
{
  g_return_if_fail (CS_IS_PLAYBACK_BAR (bar));

  cs_playback_bar_set_playing (bar, FALSE);
  bar->n_frames = n_frames;
  bar->position = n_frames > 0 ? n_frames - 1 : 0;
  sync_controls (bar);
}

guint
cs_playback_bar_get_n_frames (CsPlaybackBar *bar)
{
  g_return_val_if_fail (CS_IS_PLAYBACK_BAR (bar), 0);
  return bar->n_frames;
}

void
cs_playback_bar_set_position (CsPlaybackBar *bar, guint position)
{
  g_return_if_fail (CS_IS_PLAYBACK_BAR (bar));
  move_to (bar, position);
}

guint
cs_playback_bar_get_position (CsPlaybackBar *bar)
{
  g_return_val_if_fail (CS_IS_PLAYBACK_BAR (bar), 0);
  return bar->position;
}

void
cs_playback_bar_step (CsPlaybackBar *bar, int delta)
{
  gint64 p;

  g_return_if_fail (CS_IS_PLAYBACK_BAR (bar));
  if (bar->n_frames < 2)
    return;
  cs_playback_bar_set_playing (bar, FALSE);
  p = CLAMP ((gint64) bar->position + delta, 0, (gint64) bar->n_frames - 1);
  move_to (bar, (guint) p);
}

void
cs_playback_bar_set_playing (CsPlaybackBar *bar, gboolean playing)
{
  g_return_if_fail (CS_IS_PLAYBACK_BAR (bar));
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (bar->play_button)) != playing)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (bar->play_button), playing && bar->n_frames > 1);
}

gboolean
cs_playback_bar_get_playing (CsPlaybackBar *bar)
{
  g_return_val_if_fail (CS_IS_PLAYBACK_BAR (bar), FALSE);
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (bar->play_button));
}

void
cs_playback_bar_set_notice (CsPlaybackBar *bar, const char *notice)
{
  g_return_if_fail (CS_IS_PLAYBACK_BAR (bar));
  gtk_label_set_text (GTK_LABEL (bar->notice_label), notice != NULL ? notice : "");
  gtk_widget_set_visible (bar->notice_label, notice != NULL && notice[0] != '\0');
}
