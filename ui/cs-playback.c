#include "ui/cs-playback.h"

struct _CsPlayback
{
  GObject parent_instance;

  guint n_frames;
  guint position;
  guint fps;
  guint tick; /* timeout source while playing, or 0 */
};

enum
{
  PROP_0,
  PROP_POSITION,
  PROP_PLAYING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (CsPlayback, cs_playback, G_TYPE_OBJECT)

static void
stop (CsPlayback *self)
{
  guint tick = self->tick;

  if (tick == 0)
    return;
  /* Removing the source drops its reference: keep the object alive for the notification. */
  g_object_ref (self);
  self->tick = 0;
  g_source_remove (tick);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PLAYING]);
  g_object_unref (self);
}

static void
move_to (CsPlayback *self, guint position)
{
  position = self->n_frames > 0 ? MIN (position, self->n_frames - 1) : 0;
  if (position == self->position)
    return;
  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_POSITION]);
}

static gboolean
tick_cb (gpointer user_data)
{
  CsPlayback *self = user_data;

  if (self->position + 1 < self->n_frames)
    move_to (self, self->position + 1);
  if (self->position + 1 < self->n_frames)
    return G_SOURCE_CONTINUE;
  /* The source goes with this return: forget it before anyone removes it again. */
  self->tick = 0;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PLAYING]);
  return G_SOURCE_REMOVE;
}

static void
start (CsPlayback *self)
{
  /* The source holds a reference: a result dropped while it plays lives until it stops. */
  self->tick = g_timeout_add_full (G_PRIORITY_DEFAULT, 1000 / MAX (self->fps, 1), tick_cb, g_object_ref (self),
                                   g_object_unref);
}

static void
cs_playback_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CsPlayback *self = CS_PLAYBACK (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->tick != 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_playback_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CsPlayback *self = CS_PLAYBACK (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      cs_playback_set_position (self, g_value_get_uint (value));
      break;
    case PROP_PLAYING:
      cs_playback_set_playing (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_playback_class_init (CsPlaybackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cs_playback_get_property;
  object_class->set_property = cs_playback_set_property;
  props[PROP_POSITION] = g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0,
                                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
cs_playback_init (CsPlayback *self)
{
  self->fps = 2;
}

CsPlayback *
cs_playback_new (guint n_frames)
{
  CsPlayback *self = g_object_new (CS_TYPE_PLAYBACK, NULL);

  self->n_frames = n_frames;
  self->position = n_frames > 0 ? n_frames - 1 : 0;
  return self;
}

guint
cs_playback_get_n_frames (CsPlayback *playback)
{
  g_return_val_if_fail (CS_IS_PLAYBACK (playback), 0);
  return playback->n_frames;
}

guint
cs_playback_get_position (CsPlayback *playback)
{
  g_return_val_if_fail (CS_IS_PLAYBACK (playback), 0);
  return playback->position;
}

void
cs_playback_set_position (CsPlayback *playback, guint position)
{
  g_return_if_fail (CS_IS_PLAYBACK (playback));
  move_to (playback, position);
}

void
cs_playback_step (CsPlayback *playback, int delta)
{
  gint64 p;

  g_return_if_fail (CS_IS_PLAYBACK (playback));
  if (playback->n_frames < 2)
    return;
  stop (playback);
  p = CLAMP ((gint64) playback->position + delta, 0, (gint64) playback->n_frames - 1);
  move_to (playback, (guint) p);
}

void
cs_playback_set_playing (CsPlayback *playback, gboolean playing)
{
  g_return_if_fail (CS_IS_PLAYBACK (playback));
  if (!playing || playback->n_frames < 2)
    {
      stop (playback);
      return;
    }
  if (playback->tick != 0)
    return;
  /* Play from the start when at the end: what a presenter pressing Play again means. */
  if (playback->position + 1 >= playback->n_frames)
    move_to (playback, 0);
  start (playback);
  g_object_notify_by_pspec (G_OBJECT (playback), props[PROP_PLAYING]);
}

gboolean
cs_playback_get_playing (CsPlayback *playback)
{
  g_return_val_if_fail (CS_IS_PLAYBACK (playback), FALSE);
  return playback->tick != 0;
}

void
cs_playback_set_fps (CsPlayback *playback, guint fps)
{
  g_return_if_fail (CS_IS_PLAYBACK (playback));
  fps = MAX (fps, 1);
  if (fps == playback->fps)
    return;
  playback->fps = fps;
  if (playback->tick != 0)
    {
      guint tick = playback->tick;

      /* start() takes its reference before the old source drops its own. */
      start (playback);
      g_source_remove (tick);
    }
}

guint
cs_playback_get_fps (CsPlayback *playback)
{
  g_return_val_if_fail (CS_IS_PLAYBACK (playback), 1);
  return playback->fps;
}
