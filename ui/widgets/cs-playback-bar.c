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

  CsPlayback *playback; /* Owned ref, or NULL */
  gulong      position_handler;
  gulong      playing_handler;
  gboolean    syncing;  /* the controls are being set from the playback */
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
  guint n = self->playback != NULL ? cs_playback_get_n_frames (self->playback) : 0;
  guint position = self->playback != NULL ? cs_playback_get_position (self->playback) : 0;
  gboolean playing = self->playback != NULL && cs_playback_get_playing (self->playback);
  gboolean any = n > 1;
  g_autofree char *pos = cs_format_count (position + 1);
  g_autofree char *all = cs_format_count (n);
  g_autofree char *text = any ? g_strdup_printf ("%s / %s", pos, all) : g_strdup ("");

  self->syncing = TRUE;
  gtk_adjustment_set_upper (self->adjustment, any ? n - 1 : 0);
  gtk_adjustment_set_value (self->adjustment, position);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->play_button), playing);
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  if (self->playback != NULL)
    {
      guint fps = cs_playback_get_fps (self->playback);
      guint sel = 0;

      for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
        if (speeds[i] <= fps)
          sel = i;
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->speed), sel);
    }
  self->syncing = FALSE;
  gtk_label_set_text (GTK_LABEL (self->position_label), text);
  gtk_widget_set_sensitive (self->first_button, any && position > 0);
  gtk_widget_set_sensitive (self->back_button, any && position > 0);
  gtk_widget_set_sensitive (self->forward_button, any && position + 1 < n);
  gtk_widget_set_sensitive (self->last_button, any && position + 1 < n);
  gtk_widget_set_sensitive (self->play_button, any);
  gtk_widget_set_sensitive (self->timeline, any);
  gtk_widget_set_visible (self->controls, any);
}

static void
position_notify (GObject *object, GParamSpec *pspec, CsPlaybackBar *self)
{
  sync_controls (self);
  g_signal_emit (self, signals[POSITION_CHANGED], 0, cs_playback_get_position (self->playback));
}

static void
playing_notify (GObject *object, GParamSpec *pspec, CsPlaybackBar *self)
{
  sync_controls (self);
}

static void
play_toggled (GtkToggleButton *button, CsPlaybackBar *self)
{
  if (self->syncing || self->playback == NULL)
    return;
  cs_playback_set_playing (self->playback, gtk_toggle_button_get_active (button));
  sync_controls (self);
}

static void
speed_changed (GObject *object, GParamSpec *pspec, CsPlaybackBar *self)
{
  guint sel = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->speed));

  if (self->syncing || self->playback == NULL)
    return;
  cs_playback_set_fps (self->playback, speeds[MIN (sel, G_N_ELEMENTS (speeds) - 1)]);
}

static void
first_clicked (GtkButton *b, CsPlaybackBar *self)
{
  cs_playback_bar_set_playing (self, FALSE);
  cs_playback_bar_set_position (self, 0);
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
  cs_playback_bar_set_position (self, G_MAXUINT);
}

static void
timeline_changed (GtkAdjustment *adj, CsPlaybackBar *self)
{
  if (self->syncing)
    return;
  cs_playback_bar_set_position (self, (guint) MAX (0.0, gtk_adjustment_get_value (adj) + 0.5));
}

static void
drop_playback (CsPlaybackBar *self)
{
  if (self->playback == NULL)
    return;
  g_clear_signal_handler (&self->position_handler, self->playback);
  g_clear_signal_handler (&self->playing_handler, self->playback);
  g_clear_object (&self->playback);
}

static void
cs_playback_bar_dispose (GObject *object)
{
  CsPlaybackBar *self = CS_PLAYBACK_BAR (object);

  drop_playback (self);
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
cs_playback_bar_set_playback (CsPlaybackBar *bar, CsPlayback *playback)
{
  g_return_if_fail (CS_IS_PLAYBACK_BAR (bar));
  g_return_if_fail (playback == NULL || CS_IS_PLAYBACK (playback));

  if (playback == bar->playback)
    return;
  drop_playback (bar);
  if (playback != NULL)
    {
      bar->playback = g_object_ref (playback);
      bar->position_handler = g_signal_connect (playback, "notify::position", G_CALLBACK (position_notify), bar);
      bar->playing_handler = g_signal_connect (playback, "notify::playing", G_CALLBACK (playing_notify), bar);
    }
  sync_controls (bar);
}

CsPlayback *
cs_playback_bar_get_playback (CsPlaybackBar *bar)
{
  g_return_val_if_fail (CS_IS_PLAYBACK_BAR (bar), NULL);
  return bar->playback;
}

guint
cs_playback_bar_get_n_frames (CsPlaybackBar *bar)
{
  g_return_val_if_fail (CS_IS_PLAYBACK_BAR (bar), 0);
  return bar->playback != NULL ? cs_playback_get_n_frames (bar->playback) : 0;
}

void
cs_playback_bar_set_position (CsPlaybackBar *bar, guint position)
{
  g_return_if_fail (CS_IS_PLAYBACK_BAR (bar));
  if (bar->playback != NULL)
    cs_playback_set_position (bar->playback, position);
  sync_controls (bar);
}

guint
cs_playback_bar_get_position (CsPlaybackBar *bar)
{
  g_return_val_if_fail (CS_IS_PLAYBACK_BAR (bar), 0);
  return bar->playback != NULL ? cs_playback_get_position (bar->playback) : 0;
}

void
cs_playback_bar_step (CsPlaybackBar *bar, int delta)
{
  g_return_if_fail (CS_IS_PLAYBACK_BAR (bar));
  if (bar->playback != NULL)
    cs_playback_step (bar->playback, delta);
}

void
cs_playback_bar_set_playing (CsPlaybackBar *bar, gboolean playing)
{
  g_return_if_fail (CS_IS_PLAYBACK_BAR (bar));
  if (bar->playback != NULL)
    cs_playback_set_playing (bar->playback, playing);
  sync_controls (bar);
}

gboolean
cs_playback_bar_get_playing (CsPlaybackBar *bar)
{
  g_return_val_if_fail (CS_IS_PLAYBACK_BAR (bar), FALSE);
  return bar->playback != NULL && cs_playback_get_playing (bar->playback);
}

void
cs_playback_bar_set_notice (CsPlaybackBar *bar, const char *notice)
{
  g_return_if_fail (CS_IS_PLAYBACK_BAR (bar));
  gtk_label_set_text (GTK_LABEL (bar->notice_label), notice != NULL ? notice : "");
  gtk_widget_set_visible (bar->notice_label, notice != NULL && notice[0] != '\0');
}

/* The first playback bar at or below `widget`, depth first. */
static CsPlaybackBar *
find_bar (GtkWidget *widget)
{
  if (CS_IS_PLAYBACK_BAR (widget))
    return CS_PLAYBACK_BAR (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      CsPlaybackBar *bar = find_bar (child);
      if (bar != NULL)
        return bar;
    }
  return NULL;
}

static void
key_step_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CsPlaybackBar *bar = find_bar (widget);
  int            delta = g_variant_get_int32 (parameter);

  if (bar == NULL)
    return;
  if (delta == G_MININT32)
    cs_playback_bar_set_position (bar, 0);
  else if (delta == G_MAXINT32)
    cs_playback_bar_set_position (bar, G_MAXUINT);
  else
    cs_playback_bar_step (bar, delta);
}

static void
key_toggle_activated (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  CsPlaybackBar *bar = find_bar (widget);

  if (bar != NULL)
    cs_playback_bar_set_playing (bar, !cs_playback_bar_get_playing (bar));
}

void
cs_playback_bar_install_keys (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "playback.step", "i", key_step_activated);
  gtk_widget_class_install_action (widget_class, "playback.toggle", NULL, key_toggle_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "playback.step", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "playback.step", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "playback.step", "i", G_MININT32);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "playback.step", "i", G_MAXINT32);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "playback.toggle", NULL);
}
