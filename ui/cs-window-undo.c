#include "ui/cs-window-private.h"

#include <string.h>

#include "core/base/cs-format.h"
#include "core/base/cs-matrix.h"
#include "ui/cs-params-panel.h"
#include "ui/widgets/cs-column-chooser.h"

/* One undo stack for the window (win.undo, win.redo; Ctrl+Z, Ctrl+Shift+Z): data and parameter
 * changes, wherever they come from. A step is the window's state before a change: the dataset,
 * the chosen columns, the preprocessing, the algorithm and its parameters, and what was on
 * screen with them (the result, its status line, the axes, the selection), all by reference.
 * Datasets and results are immutable and refcounted, so a step costs a few pointers and undo
 * restores the very objects it left, without running anything.
 *
 * Nothing here is told what changed: the window's last committed state (`current`) is compared
 * with what the sidebar and the dataset say now, and every difference becomes a step. Changes
 * are committed when the main loop is idle (a drop-down, a column, a new dataset: one callback
 * may set many controls) or, for the parameter panel, once edits pause (a spin button held
 * down, a slider dragged, a number typed digit by digit are one step). Undo and redo commit
 * what is pending first. cs_i_window_set_dataset() calls cs_i_window_undo_dataset_replacing()
 * before it drops the old dataset, so every way of replacing the data (open, samples, the
 * generator, drawing, datasets made from a selection) is a step without knowing about this
 * file; the caller may name it first (cs_i_window_undo_name_next). */

#define UNDO_DEPTH       100
#define PARAM_COMMIT_MS  500
#define LABEL_VALUE_CHARS 24

typedef struct
{
  CsDataset         *dataset;       /* Owned ref, may be NULL */
  GArray            *columns;       /* Owned, int: the chosen dataset columns */
  CsScaling          scaling;
  CsMissingPolicy    missing;
  const CsAlgorithm *algo;          /* Borrowed: registry entries are static; may be NULL */
  CsParams          *params;        /* Owned, NULL without an algorithm */
  /* What was on screen with it: restored, never compared */
  char              *x_axis;        /* Owned, NULL (both) for the PCA axes */
  char              *y_axis;        /* Owned */
  CsPageResult      *result;        /* Owned ref, may be NULL */
  char              *result_status; /* Owned, may be NULL */
  CsJob             *result_job;    /* Owned ref, may be NULL: another k of the run derives from it */
  gsize             *selection;     /* Owned, may be NULL */
  gsize              n_selection;
} State;

typedef struct
{
  char  *label; /* Owned: what the change was, "Change k to 5" */
  State *state; /* Owned: undo: the state before it; redo: the state after it */
} Step;

struct _CsWindowUndo
{
  GPtrArray *undo;            /* Owned, Step*: the next undo last */
  GPtrArray *redo;            /* Owned, Step*: the next redo last */
  State     *current;         /* Owned, may be NULL: the state the stacks lead to */
  char      *next_label;      /* Owned, may be NULL: names the next dataset replacement */
  char      *next_group;      /* Owned, may be NULL */
  char      *pending_label;   /* Owned, may be NULL: names the replacement not yet committed */
  char      *pending_group;   /* Owned, may be NULL */
  char      *last_group;      /* Owned, may be NULL: the group of the step last committed */
  guint      idle_id;         /* a commit when the main loop is idle */
  guint      timer_id;        /* a commit once parameter edits pause */
  gboolean   dataset_pending; /* the dataset was replaced; `current` is the state it left */
  gboolean   restoring;       /* undo or redo is setting the controls: not a change */
  GMenu     *menu;            /* Borrowed: the main menu's section (template) */
  GPtrArray *buttons;         /* Borrowed GtkWidget*, with a weak pointer each: the tool bar's
                                 undo and redo buttons ("cs-redo" data says which) */
};

/* States ----------------------------------------------------------------------------------- */

static void
state_free (State *s)
{
  if (s == NULL)
    return;
  g_clear_pointer (&s->dataset, cs_dataset_unref);
  g_clear_pointer (&s->columns, g_array_unref);
  g_clear_pointer (&s->params, cs_params_free);
  g_free (s->x_axis);
  g_free (s->y_axis);
  g_clear_pointer (&s->result, cs_page_result_unref);
  g_free (s->result_status);
  g_clear_object (&s->result_job);
  g_free (s->selection);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (State, state_free)

/* What is on screen with the data, which a change of it does not alter: taken again at each
 * change so that undo comes back to the result shown when the change was made. */
static void
state_take_view (State *s, CsWindow *self)
{
  int x_column, y_column;

  g_free (s->x_axis);
  g_free (s->y_axis);
  s->x_axis = s->y_axis = NULL;
  cs_i_window_axis_selection (self, &x_column, &y_column);
  if (self->dataset != NULL && x_column >= 0 && y_column >= 0)
    {
      s->x_axis = g_strdup (cs_dataset_column (self->dataset, x_column)->name);
      s->y_axis = g_strdup (cs_dataset_column (self->dataset, y_column)->name);
    }
  g_clear_pointer (&s->result, cs_page_result_unref);
  s->result = self->result != NULL ? cs_page_result_ref (self->result) : NULL;
  g_free (s->result_status);
  s->result_status = g_strdup (self->result_status);
  g_set_object (&s->result_job, self->result_job);
  g_free (s->selection);
  s->selection = self->n_selection > 0 ? g_memdup2 (self->selection, self->n_selection * sizeof (gsize)) : NULL;
  s->n_selection = self->n_selection;
}

static State *
state_capture (CsWindow *self)
{
  State           *s = g_new0 (State, 1);
  CsParamsPanel   *panel = CS_PARAMS_PANEL (self->params_panel);
  CsPrepareOptions prepare;

  s->dataset = self->dataset != NULL ? cs_dataset_ref (self->dataset) : NULL;
  s->columns = self->dataset != NULL ? cs_i_window_chosen_columns (self) : g_array_new (FALSE, FALSE, sizeof (int));
  cs_i_window_fill_prepare_options (self, &prepare);
  s->scaling = prepare.scaling;
  s->missing = prepare.missing;
  s->algo = cs_params_panel_get_algorithm (panel);
  s->params = s->algo != NULL ? cs_params_panel_get_params (panel) : NULL;
  state_take_view (s, self);
  return s;
}

static State *
state_copy (const State *o)
{
  State *s = g_new0 (State, 1);

  s->dataset = o->dataset != NULL ? cs_dataset_ref (o->dataset) : NULL;
  s->columns = g_array_copy (o->columns);
  s->scaling = o->scaling;
  s->missing = o->missing;
  s->algo = o->algo;
  s->params = o->params != NULL ? cs_params_copy (o->params) : NULL;
  s->x_axis = g_strdup (o->x_axis);
  s->y_axis = g_strdup (o->y_axis);
  s->result = o->result != NULL ? cs_page_result_ref (o->result) : NULL;
  s->result_status = g_strdup (o->result_status);
  s->result_job = o->result_job != NULL ? g_object_ref (o->result_job) : NULL;
  s->selection = o->n_selection > 0 ? g_memdup2 (o->selection, o->n_selection * sizeof (gsize)) : NULL;
  s->n_selection = o->n_selection;
  return s;
}

static gboolean
columns_equal (const GArray *a, const GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (int)) == 0;
}

/* The first parameter whose value differs, or -1; the number that differ in *n_changed. */
static gssize
changed_param (const State *a, const State *b, guint *n_changed)
{
  gssize first = -1;

  *n_changed = 0;
  if (a->algo == NULL || a->params == NULL || b->params == NULL)
    return -1;
  for (gsize i = 0; i < a->algo->n_params; i++)
    {
      g_autofree char *x = cs_params_to_string (a->params, a->algo->params[i].name);
      g_autofree char *y = cs_params_to_string (b->params, a->algo->params[i].name);

      if (g_strcmp0 (x, y) != 0)
        {
          if (first < 0)
            first = (gssize)i;
          (*n_changed)++;
        }
    }
  return first;
}

/* Labels ------------------------------------------------------------------------------------ */

/* "Clusters (k)" → "k": the short name the label ends with, else the label. */
static char *
param_name (const CsParamSpec *spec)
{
  const char *open = strrchr (spec->label, '(');
  gsize       len = strlen (spec->label);

  if (open != NULL && len > 0 && spec->label[len - 1] == ')' && open[1] != ')')
    return g_strndup (open + 1, (gsize)(spec->label + len - 1 - (open + 1)));
  return g_strdup (spec->label);
}

static char *
param_value_text (const CsParamSpec *spec, const CsParams *params)
{
  g_autofree char *value = cs_params_to_string (params, spec->name);

  if (spec->choices != NULL && spec->choice_labels != NULL)
    for (guint i = 0; spec->choices[i] != NULL; i++)
      if (g_ascii_strcasecmp (spec->choices[i], value) == 0)
        return g_strdup (spec->choice_labels[i]);
  if (spec->type == CS_PARAM_BOOL)
    return g_strdup (g_str_equal (value, "true") ? "On" : "Off");
  if (spec->zero_label != NULL && (spec->type == CS_PARAM_INT || spec->type == CS_PARAM_DOUBLE)
      && cs_params_get_double (params, spec->name) == 0)
    return g_strdup (spec->zero_label);
  return cs_format_excerpt (value, -1, LABEL_VALUE_CHARS);
}

static const char *
scaling_title (CsScaling scaling)
{
  switch (scaling)
    {
    case CS_SCALE_NONE:
      return "None";
    case CS_SCALE_STANDARDIZE:
      return "Standardise";
    case CS_SCALE_MINMAX:
      return "Min–Max";
    case CS_SCALE_AUTO:
    default:
      return "Automatic";
    }
}

static char *
columns_label (const State *a, const State *b)
{
  const GArray *more = a->columns->len > b->columns->len ? a->columns : b->columns;
  const GArray *fewer = more == a->columns ? b->columns : a->columns;
  int           odd = -1;

  /* One column ticked or unticked: name it. */
  if (more->len == fewer->len + 1 && b->dataset != NULL)
    {
      for (guint i = 0, j = 0; i < more->len; i++)
        if (j < fewer->len && g_array_index (fewer, int, j) == g_array_index (more, int, i))
          j++;
        else if (odd < 0)
          odd = g_array_index (more, int, i);
        else
          odd = -2;
    }
  if (odd >= 0 && (gsize)odd < cs_dataset_n_columns (b->dataset))
    {
      g_autofree char *name = cs_format_excerpt (cs_dataset_column (b->dataset, odd)->name, -1, LABEL_VALUE_CHARS);
      return g_strdup_printf (more == b->columns ? "Include %s" : "Leave Out %s", name);
    }
  return g_strdup ("Change Columns");
}

static char *
dataset_label (const CsDataset *ds)
{
  g_autofree char *name = cs_format_excerpt (ds->name != NULL ? ds->name : "data", -1, 40);

  return ds->path != NULL || ds->sample_id != NULL ? g_strdup_printf ("Open %s", name)
                                                    : g_strdup_printf ("Change Data to %s", name);
}

/* A menu item's text: the label's underscores are not mnemonics. */
static char *
menu_label (const char *verb, const char *label)
{
  g_autofree char *escaped = NULL;
  g_auto (GStrv) parts = NULL;

  if (label == NULL)
    return g_strdup (verb);
  parts = g_strsplit (label, "_", -1);
  escaped = g_strjoinv ("__", parts);
  return g_strdup_printf ("%s %s", verb, escaped);
}

/* The stacks --------------------------------------------------------------------------------- */

static void
step_free (Step *step)
{
  g_free (step->label);
  state_free (step->state);
  g_free (step);
}

static Step *
step_new (const char *label, State *state)
{
  Step *step = g_new0 (Step, 1);

  step->label = g_strdup (label);
  step->state = state;
  return step;
}

static guint64
dataset_bytes (const CsDataset *ds)
{
  return (guint64)ds->n_rows * MAX (cs_dataset_n_columns (ds), 1) * sizeof (double);
}

static guint64
result_bytes (const CsPageResult *r)
{
  const CsPipelineResult *p = r->pipeline;
  guint64                 bytes = (guint64)p->clustering->n * (sizeof (int) + 2 * sizeof (double));

  if (p->prep != NULL && p->prep->x != NULL)
    bytes += (guint64)p->prep->x->rows * p->prep->x->cols * sizeof (double);
  if (p->trace != NULL)
    bytes += p->trace->bytes;
  return bytes;
}

/* What the steps keep alive beyond what is on screen: each dataset and result counted once. */
static guint64
held_bytes (CsWindow *self)
{
  CsWindowUndo *u = self->undo;
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  guint64                bytes = 0;
  GPtrArray             *stacks[2] = { u->undo, u->redo };

  g_hash_table_add (seen, self->dataset);
  g_hash_table_add (seen, self->result);
  for (guint s = 0; s < 2; s++)
    for (guint i = 0; i < stacks[s]->len; i++)
      {
        State *state = ((Step *)g_ptr_array_index (stacks[s], i))->state;

        if (state->dataset != NULL && g_hash_table_add (seen, state->dataset))
          bytes += dataset_bytes (state->dataset);
        if (state->result != NULL && g_hash_table_add (seen, state->result))
          bytes += result_bytes (state->result);
      }
  return bytes;
}

/* The oldest steps go first: past UNDO_DEPTH, or while the data and results only the steps
 * hold would take more than a quarter of the memory budget. */
static void
trim (CsWindow *self)
{
  CsWindowUndo *u = self->undo;
  guint64       limit = cs_memory_budget () / 4;

  while (u->undo->len > UNDO_DEPTH)
    g_ptr_array_remove_index (u->undo, 0);
  while (u->undo->len > 0 && held_bytes (self) > limit)
    g_ptr_array_remove_index (u->undo, 0);
}

static void
sync_controls (CsWindow *self)
{
  CsWindowUndo    *u = self->undo;
  gboolean         pending = u->idle_id != 0 || u->timer_id != 0;
  const char      *undo_label = u->undo->len > 0 ? ((Step *)g_ptr_array_index (u->undo, u->undo->len - 1))->label
                                                 : NULL;
  const char      *redo_label = u->redo->len > 0 ? ((Step *)g_ptr_array_index (u->redo, u->redo->len - 1))->label
                                                 : NULL;
  g_autofree char *undo_item = menu_label ("_Undo", undo_label);
  g_autofree char *redo_item = menu_label ("_Redo", redo_label);
  GAction         *action;

  if (self->disposed)
    return;
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "undo");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), u->undo->len > 0 || pending);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "redo");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), u->redo->len > 0 && !pending);

  if (u->menu != NULL)
    {
      g_menu_remove_all (u->menu);
      g_menu_append (u->menu, undo_item, "win.undo");
      g_menu_append (u->menu, redo_item, "win.redo");
    }
  for (guint i = 0; i < u->buttons->len; i++)
    {
      GtkWidget       *button = g_ptr_array_index (u->buttons, i);
      gboolean         redo = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "cs-redo"));
      const char      *label = redo ? redo_label : undo_label;
      const char      *verb = redo ? "Redo" : "Undo";
      g_autofree char *name = label != NULL ? g_strdup_printf ("%s %s", verb, label) : g_strdup (verb);
      g_autofree char *tip = g_strdup_printf ("%s (%s)", name, redo ? "Ctrl+Shift+Z" : "Ctrl+Z");

      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_widget_set_tooltip_text (button, tip);
    }
}

static void
push_undo (CsWindow *self, const char *label, State *before)
{
  CsWindowUndo *u = self->undo;

  g_ptr_array_add (u->undo, step_new (label, before));
  /* A new change: the undone ones no longer follow from here. */
  g_ptr_array_set_size (u->redo, 0);
}

/* Committing changes ------------------------------------------------------------------------ */

static void
clear_pending (CsWindowUndo *u)
{
  if (u->idle_id != 0)
    g_source_remove (u->idle_id);
  if (u->timer_id != 0)
    g_source_remove (u->timer_id);
  u->idle_id = u->timer_id = 0;
}

/* Every difference between the last committed state and the window's becomes a step, one per
 * kind of change (the algorithm and its parameters, the columns, the scaling, the missing
 * values), so that each undo takes back one thing. */
static void
commit (CsWindow *self)
{
  CsWindowUndo    *u = self->undo;
  g_autoptr (State) now = NULL;
  State           *was;
  g_autofree char *label = NULL;
  g_autofree char *group = NULL;
  guint            n_changed;
  gssize           p;
  gboolean         pushed = FALSE;

  clear_pending (u);
  if (u->restoring || self->disposed)
    return;
  now = state_capture (self);
  label = g_steal_pointer (&u->pending_label);
  group = g_steal_pointer (&u->pending_group);
  was = u->current;

  /* Nothing before the first dataset to go back to. */
  if (was == NULL || was->dataset == NULL || now->dataset == NULL)
    {
      g_free (u->last_group);
      u->last_group = now->dataset != NULL && was != NULL && was->dataset != now->dataset ? g_steal_pointer (&group)
                                                                                          : NULL;
      goto done;
    }
  if (now->dataset != was->dataset)
    {
      /* The live generator replaces the data as its settings move: one step for all of it. */
      gboolean merge = group != NULL && g_strcmp0 (group, u->last_group) == 0 && u->undo->len > 0
                       && u->redo->len == 0;

      if (!merge)
        {
          g_autofree char *derived = label == NULL ? dataset_label (now->dataset) : NULL;

          push_undo (self, label != NULL ? label : derived, state_copy (was));
          pushed = TRUE;
        }
      g_free (u->last_group);
      u->last_group = g_steal_pointer (&group);
      goto done;
    }

  /* The same data: `was` walks towards `now`, one kind of change at a time. */
  if (was->algo != now->algo)
    {
      g_autofree char *text = g_strdup_printf ("Change Algorithm to %s", now->algo != NULL ? now->algo->name : "None");

      push_undo (self, text, state_copy (was));
      pushed = TRUE;
      was->algo = now->algo;
      g_clear_pointer (&was->params, cs_params_free);
      was->params = now->params != NULL ? cs_params_copy (now->params) : NULL;
    }
  else if ((p = changed_param (was, now, &n_changed)) >= 0)
    {
      const CsParamSpec *spec = &now->algo->params[p];
      g_autofree char   *name = param_name (spec);
      g_autofree char   *value = param_value_text (spec, now->params);
      g_autofree char   *text = n_changed == 1 ? g_strdup_printf ("Change %s to %s", name, value)
                                               : g_strdup_printf ("Change %s Parameters", now->algo->name);

      push_undo (self, text, state_copy (was));
      pushed = TRUE;
      g_clear_pointer (&was->params, cs_params_free);
      was->params = cs_params_copy (now->params);
    }
  if (!columns_equal (was->columns, now->columns))
    {
      g_autofree char *text = columns_label (was, now);

      push_undo (self, text, state_copy (was));
      pushed = TRUE;
      g_array_unref (was->columns);
      was->columns = g_array_copy (now->columns);
    }
  if (was->scaling != now->scaling)
    {
      g_autofree char *text = g_strdup_printf ("Change Scaling to %s", scaling_title (now->scaling));

      push_undo (self, text, state_copy (was));
      pushed = TRUE;
      was->scaling = now->scaling;
    }
  if (was->missing != now->missing)
    {
      push_undo (self,
                 now->missing == CS_MISSING_MEAN ? "Fill Missing Values with Means" : "Drop Rows with Missing Values",
                 state_copy (was));
      pushed = TRUE;
    }
  if (pushed)
    g_clear_pointer (&u->last_group, g_free);

done:
  state_free (u->current);
  u->current = g_steal_pointer (&now);
  u->dataset_pending = FALSE;
  if (pushed)
    trim (self);
  sync_controls (self);
}

static gboolean
commit_cb (gpointer data)
{
  CsWindow *self = data;

  self->undo->idle_id = 0;
  self->undo->timer_id = 0;
  commit (self);
  return G_SOURCE_REMOVE;
}

/* A change is about to happen, or just happened, to the sidebar: the view the state before it
 * had (the result, the selection) is the one on screen now. */
static void
note_change (CsWindow *self, gboolean coalesce)
{
  CsWindowUndo *u = self->undo;

  if (u->restoring || self->disposed)
    return;
  if (u->current != NULL && !u->dataset_pending && u->idle_id == 0 && u->timer_id == 0)
    state_take_view (u->current, self);
  if (coalesce && u->idle_id == 0)
    {
      if (u->timer_id != 0)
        g_source_remove (u->timer_id);
      u->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, PARAM_COMMIT_MS, commit_cb, g_object_ref (self),
                                        g_object_unref);
    }
  else if (u->idle_id == 0)
    {
      /* The whole change first (a new dataset sets the columns and the axes after it). */
      if (u->timer_id != 0)
        g_source_remove (u->timer_id);
      u->timer_id = 0;
      u->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, commit_cb, g_object_ref (self), g_object_unref);
    }
  sync_controls (self);
}

static void
params_changed_cb (CsParamsPanel *panel, CsWindow *self)
{
  note_change (self, TRUE);
}

static void
sidebar_changed_cb (GObject *object, GParamSpec *pspec, CsWindow *self)
{
  note_change (self, FALSE);
}

static void
columns_changed_cb (CsColumnChooser *chooser, CsWindow *self)
{
  note_change (self, FALSE);
}

void
cs_i_window_undo_dataset_replacing (CsWindow *self)
{
  CsWindowUndo *u = self->undo;

  if (u == NULL || u->restoring || self->disposed)
    return;
  /* Edits still pending, and a replacement not yet committed (two in one callback), belong to
   * the data being left: they are steps of their own. */
  commit (self);
  if (u->current != NULL)
    state_take_view (u->current, self);
  g_free (u->pending_label);
  g_free (u->pending_group);
  u->pending_label = g_steal_pointer (&u->next_label);
  u->pending_group = g_steal_pointer (&u->next_group);
  u->dataset_pending = TRUE;
  note_change (self, FALSE);
}

void
cs_i_window_undo_name_next (CsWindow *self, const char *label, const char *group)
{
  CsWindowUndo *u = self->undo;

  g_free (u->next_label);
  g_free (u->next_group);
  u->next_label = g_strdup (label);
  u->next_group = g_strdup (group);
}

/* Undo and redo ---------------------------------------------------------------------------- */

static gboolean
has_column (const GArray *columns, int c)
{
  for (guint i = 0; i < columns->len; i++)
    if (g_array_index (columns, int, i) == c)
      return TRUE;
  return FALSE;
}

/* Puts `s` on screen: its dataset, controls and result, without running or loading anything.
 * Work in flight belongs to the state being left and is stopped. */
static void
restore (CsWindow *self, const State *s)
{
  CsWindowUndo  *u = self->undo;
  CsParamsPanel *panel = CS_PARAMS_PANEL (self->params_panel);
  gboolean       new_data = s->dataset != self->dataset;
  gboolean       rebuild = new_data;

  u->restoring = TRUE;
  if (self->job != NULL)
    {
      cs_job_cancel (self->job);
      g_signal_handlers_disconnect_by_data (self->job, self);
      g_clear_object (&self->job);
    }
  cs_worker_drop (self->load_worker);
  gtk_spinner_stop (GTK_SPINNER (self->loading_spinner));
  g_clear_pointer (&self->pending_view, g_free);

  if (new_data)
    {
      cs_i_window_set_dataset (self, cs_dataset_ref (s->dataset));
      cs_i_window_distances_clear (self);
      cs_i_window_sidebar_show_dataset (self);
      g_free (self->loading_path);
      self->loading_path = g_strdup (s->dataset->path);
    }
  {
    g_autoptr (GArray) chosen = cs_i_window_chosen_columns (self);

    if (!columns_equal (chosen, s->columns))
      {
        for (gsize c = 0; c < cs_dataset_n_columns (self->dataset); c++)
          if (has_column (chosen, (int)c) != has_column (s->columns, (int)c))
            cs_column_chooser_set_column_chosen (CS_COLUMN_CHOOSER (self->columns_list), (guint)c,
                                                 has_column (s->columns, (int)c));
        rebuild = TRUE;
      }
  }
  {
    CsPrepareOptions prepare;

    cs_i_window_fill_prepare_options (self, &prepare);
    if (prepare.scaling != s->scaling || prepare.missing != s->missing)
      {
        cs_i_window_sidebar_set_prepare (self, s->scaling, s->missing);
        rebuild = TRUE;
      }
  }
  if (s->algo != NULL)
    {
      if (cs_params_panel_get_algorithm (panel) != s->algo)
        cs_window_select_algorithm (self, s->algo->id);
      cs_params_panel_set_params (panel, s->params);
    }

  if (s->result != self->result)
    {
      cs_i_window_set_result (self, s->result != NULL ? cs_page_result_ref (s->result) : NULL);
      rebuild = TRUE;
    }
  g_set_object (&self->result_job, s->result_job);
  g_free (self->result_status);
  self->result_status = g_strdup (s->result_status);
  if (s->result != NULL)
    cs_i_window_sidebar_show_prepared (self, s->result->pipeline->prep);
  else
    gtk_widget_set_visible (self->missing_info_label, FALSE);

  cs_i_window_hide_error (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "plot");
  /* The points: on the data's own axes when the data changed, else as they are. */
  if (new_data && (s->dataset->n_rows == 0 || s->x_axis != NULL))
    cs_i_window_teach_show_points (self, s->x_axis, s->y_axis);
  else if (new_data)
    {
      if (!cs_window_set_axes (self, NULL, NULL))
        cs_i_window_rebuild_model (self);
    }
  else if (rebuild)
    cs_i_window_rebuild_model (self);
  cs_window_set_selection (self, s->selection, s->n_selection);
  cs_i_window_set_progress (self, 0, "Ready");
  u->restoring = FALSE;
}

static void
move (CsWindow *self, gboolean redo)
{
  CsWindowUndo    *u = self->undo;
  GPtrArray       *from = redo ? u->redo : u->undo;
  GPtrArray       *to = redo ? u->undo : u->redo;
  Step            *step;
  State           *target;
  g_autofree char *status = NULL;

  if (u->idle_id != 0 || u->timer_id != 0 || u->dataset_pending)
    commit (self);
  if (from->len == 0)
    {
      sync_controls (self);
      return;
    }
  step = g_ptr_array_steal_index (from, from->len - 1);
  target = g_steal_pointer (&step->state);
  /* The other stack gets the state being left, as it is now. */
  g_ptr_array_add (to, step_new (step->label, state_capture (self)));
  restore (self, target);
  state_free (u->current);
  u->current = target;
  g_clear_pointer (&u->last_group, g_free);
  status = target->result_status != NULL
               ? g_strdup_printf ("%s %s · %s", redo ? "Redone:" : "Undone:", step->label, target->result_status)
               : g_strdup_printf ("%s %s", redo ? "Redone:" : "Undone:", step->label);
  cs_i_window_set_status (self, status);
  step_free (step);
  trim (self);
  sync_controls (self);
  cs_i_window_update_actions (self);
}

static void
undo_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  move (user_data, FALSE);
}

static void
redo_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  move (user_data, TRUE);
}

static const GActionEntry undo_entries[] = {
  { "undo", undo_activated, NULL, NULL, NULL },
  { "redo", redo_activated, NULL, NULL, NULL },
};

/* Construction ------------------------------------------------------------------------------ */

static void
button_gone (gpointer data, GObject *where_the_object_was)
{
  g_ptr_array_remove (data, where_the_object_was);
}

void
cs_i_window_undo_track_button (CsWindow *self, GtkWidget *button, gboolean redo)
{
  CsWindowUndo *u = self->undo;

  g_object_set_data (G_OBJECT (button), "cs-redo", GINT_TO_POINTER (redo));
  g_ptr_array_add (u->buttons, button);
  g_object_weak_ref (G_OBJECT (button), button_gone, u->buttons);
  sync_controls (self);
}

void
cs_i_window_undo_init (CsWindow *self)
{
  CsWindowUndo *u = g_new0 (CsWindowUndo, 1);

  self->undo = u;
  u->undo = g_ptr_array_new_with_free_func ((GDestroyNotify)step_free);
  u->redo = g_ptr_array_new_with_free_func ((GDestroyNotify)step_free);
  u->buttons = g_ptr_array_new ();
  u->menu = self->undo_menu;
  g_action_map_add_action_entries (G_ACTION_MAP (self), undo_entries, G_N_ELEMENTS (undo_entries), self);

  g_signal_connect (self->params_panel, "changed", G_CALLBACK (params_changed_cb), self);
  g_signal_connect (self->columns_list, "changed", G_CALLBACK (columns_changed_cb), self);
  g_signal_connect (self->algorithm_dropdown, "notify::selected", G_CALLBACK (sidebar_changed_cb), self);
  g_signal_connect (self->scaling_dropdown, "notify::selected", G_CALLBACK (sidebar_changed_cb), self);
  g_signal_connect (self->missing_dropdown, "notify::selected", G_CALLBACK (sidebar_changed_cb), self);
  sync_controls (self);
}

void
cs_i_window_undo_finalize (CsWindow *self)
{
  CsWindowUndo *u = self->undo;

  if (u == NULL)
    return;
  clear_pending (u);
  for (guint i = 0; i < u->buttons->len; i++)
    g_object_weak_unref (g_ptr_array_index (u->buttons, i), button_gone, u->buttons);
  g_ptr_array_unref (u->buttons);
  g_ptr_array_unref (u->undo);
  g_ptr_array_unref (u->redo);
  state_free (u->current);
  g_free (u->next_label);
  g_free (u->next_group);
  g_free (u->pending_label);
  g_free (u->pending_group);
  g_free (u->last_group);
  g_free (u);
  self->undo = NULL;
}

gboolean
cs_window_get_undo_label (CsWindow *self, gboolean redo, const char **label)
{
  CsWindowUndo *u;
  GPtrArray    *stack;

  g_return_val_if_fail (CS_IS_WINDOW (self), FALSE);

  u = self->undo;
  stack = redo ? u->redo : u->undo;
  *label = stack->len > 0 ? ((Step *)g_ptr_array_index (stack, stack->len - 1))->label : NULL;
  return stack->len > 0;
}
