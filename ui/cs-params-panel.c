#include "ui/cs-params-panel.h"
#include "ui/cs-scroll-guard.h"

#include <math.h>

/* The panel keeps its own CsParams in step with the controls: every accepted edit is
 * written through cs_params_set* at once, so get_params is a copy and the registry stays
 * the only place that knows what a valid value is. Text a control cannot accept (a
 * tolerance of "1e-4x") leaves the last valid value in place and marks the entry. */

typedef struct
{
  const CsParamSpec *spec;    /* Borrowed: registry entries are static */
  GtkWidget         *label;   /* Borrowed: in the grid */
  GtkWidget         *control; /* Borrowed: in the grid */
  GtkWidget         *other;   /* Borrowed, may be NULL: a STRING-with-choices' entry for a value
                                 that is none of them, shown below its drop-down */
  CsParamsPanel     *panel;   /* Borrowed */
} Row;

struct _CsParamsPanel
{
  GtkWidget parent_instance;

  GtkWidget *box;      /* Owned child */
  GtkWidget *grid;     /* Borrowed: in box */
  GtkWidget *expander; /* Borrowed: in box */
  GtkWidget *advanced_grid;
  GtkWidget *reset_button;
  GtkWidget *empty_label;

  const CsAlgorithm *algo;     /* Borrowed, may be NULL */
  CsParams          *values;   /* Owned, NULL without an algorithm */
  GPtrArray         *rows;     /* Owned, Row* */
  gboolean           updating; /* controls are being set from values: no "changed" per control */
};

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CsParamsPanel, cs_params_panel, GTK_TYPE_WIDGET)

/* GtkAdjustment misbehaves with infinite bounds; no parameter needs more than this. */
#define SPIN_LIMIT 1e15

static void
emit_changed (CsParamsPanel *self)
{
  if (!self->updating)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
mark_invalid (GtkWidget *control, const char *message, const char *help)
{
  if (message != NULL)
    {
      gtk_widget_add_css_class (control, "error");
      gtk_widget_set_tooltip_text (control, message);
      gtk_accessible_update_state (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (control, "error");
      gtk_widget_set_tooltip_text (control, help);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
spin_value_changed_cb (GtkSpinButton *spin, Row *row)
{
  double v = gtk_spin_button_get_value (spin);

  if (row->spec->type == CS_PARAM_INT)
    cs_params_set_int (row->panel->values, row->spec->name, (gint64)llround (v));
  else
    cs_params_set_double (row->panel->values, row->spec->name, v);
  emit_changed (row->panel);
}

static void
entry_changed_cb (GtkEditable *editable, Row *row)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  if (row->panel->updating)
    return;
  if (GTK_WIDGET (editable) == row->other && *text == '\0')
    {
      mark_invalid (row->other, "List the first rows by number, such as 0, 5, 9", row->spec->help);
      return;
    }
  if (!cs_params_set (row->panel->values, row->spec->name, text, &error))
    {
      mark_invalid (GTK_WIDGET (editable), error->message, row->spec->help);
      return;
    }
  mark_invalid (GTK_WIDGET (editable), NULL, row->spec->help);
  emit_changed (row->panel);
}

static guint
n_choices (const CsParamSpec *spec)
{
  return g_strv_length ((char **)spec->choices);
}

static void
dropdown_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, Row *row)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected == GTK_INVALID_LIST_POSITION)
    return;
  if (row->other != NULL)
    gtk_widget_set_visible (row->other, selected >= n_choices (row->spec));
  if (selected >= n_choices (row->spec))
    {
      /* "Listed rows": the entry's text is the value once it is valid. */
      if (!row->panel->updating)
        {
          gtk_widget_grab_focus (row->other);
          entry_changed_cb (GTK_EDITABLE (row->other), row);
        }
      return;
    }
  if (!cs_params_set (row->panel->values, row->spec->name, row->spec->choices[selected], NULL))
    g_return_if_reached ();
  emit_changed (row->panel);
}

/* Spin buttons whose 0 means "choose for me" say so instead of showing 0. */
static gboolean
spin_output_cb (GtkSpinButton *spin, Row *row)
{
  if (gtk_spin_button_get_value (spin) != 0)
    return FALSE;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), row->spec->zero_label) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), row->spec->zero_label);
  return TRUE;
}

static int
spin_input_cb (GtkSpinButton *spin, double *value, Row *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));

  if (g_ascii_strcasecmp (text, row->spec->zero_label) != 0 && g_ascii_strcasecmp (text, "auto") != 0)
    return FALSE;
  *value = 0;
  return TRUE;
}

static GtkWidget *
new_choice_dropdown (const CsParamSpec *spec)
{
  const char *const *shown = spec->choice_labels != NULL ? spec->choice_labels : spec->choices;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) strings = NULL;

  g_strv_builder_addv (builder, (const char **)shown);
  if (spec->type == CS_PARAM_STRING)
    g_strv_builder_add (builder, spec->other_label != NULL ? spec->other_label : "Other");
  strings = g_strv_builder_end (builder);
  return gtk_drop_down_new_from_strings ((const char *const *)strings);
}

static void
switch_active_cb (GtkSwitch *sw, GParamSpec *pspec, Row *row)
{
  cs_params_set (row->panel->values, row->spec->name, gtk_switch_get_active (sw) ? "true" : "false", NULL);
  emit_changed (row->panel);
}

/* Steps and digits that suit the range: a fraction in [0, 1] moves by 0.01, a bandwidth
 * in [0, 100] by 0.1 or 1. */
static void
double_spin_format (const CsParamSpec *spec, double *step, guint *digits)
{
  double span = MIN (spec->max, SPIN_LIMIT) - MAX (spec->min, -SPIN_LIMIT);
  double e;

  if (!(span > 0) || span >= 1e4)
    {
      *step = 1.0;
      *digits = 2;
      return;
    }
  e = floor (log10 (span)) - 2;
  *step = pow (10, e);
  *digits = (guint)CLAMP (-e, 1, 6);
}

static GtkWidget *
make_control (Row *row)
{
  const CsParamSpec *spec = row->spec;
  GtkWidget         *control = NULL;

  switch (spec->type)
    {
    case CS_PARAM_INT:
      {
        double lo = MAX (spec->min, -SPIN_LIMIT);
        double hi = MIN (spec->max, SPIN_LIMIT);

        control = gtk_spin_button_new_with_range (lo, hi, 1.0);
        gtk_spin_button_set_digits (GTK_SPIN_BUTTON (control), 0);
        /* Numeric-only typing would refuse the word that stands for 0. */
        gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (control), spec->zero_label == NULL);
        gtk_spin_button_set_update_policy (GTK_SPIN_BUTTON (control), GTK_UPDATE_IF_VALID);
        g_signal_connect (control, "value-changed", G_CALLBACK (spin_value_changed_cb), row);
      }
      break;

    case CS_PARAM_DOUBLE:
      if (spec->log_scale)
        {
          /* Tolerances span decades: a spin button adds fixed steps and shows fixed digits,
           * so 1e-8 would read as 0.000000. An entry takes "1e-4" or "0.0001" alike. */
          control = gtk_entry_new ();
          gtk_editable_set_width_chars (GTK_EDITABLE (control), 10);
          gtk_entry_set_input_purpose (GTK_ENTRY (control), GTK_INPUT_PURPOSE_NUMBER);
          g_signal_connect (control, "changed", G_CALLBACK (entry_changed_cb), row);
        }
      else
        {
          double step;
          guint  digits;

          double_spin_format (spec, &step, &digits);
          control = gtk_spin_button_new_with_range (MAX (spec->min, -SPIN_LIMIT), MIN (spec->max, SPIN_LIMIT),
                                                    step);
          gtk_spin_button_set_digits (GTK_SPIN_BUTTON (control), digits);
          /* new_with_range makes it numeric, which would refuse the word that stands for 0. */
          gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (control), spec->zero_label == NULL);
          gtk_spin_button_set_update_policy (GTK_SPIN_BUTTON (control), GTK_UPDATE_IF_VALID);
          g_signal_connect (control, "value-changed", G_CALLBACK (spin_value_changed_cb), row);
        }
      break;

    case CS_PARAM_ENUM:
      control = new_choice_dropdown (spec);
      g_signal_connect (control, "notify::selected", G_CALLBACK (dropdown_selected_cb), row);
      break;

    case CS_PARAM_BOOL:
      control = gtk_switch_new ();
      gtk_widget_set_halign (control, GTK_ALIGN_START);
      gtk_widget_set_valign (control, GTK_ALIGN_CENTER);
      g_signal_connect (control, "notify::active", G_CALLBACK (switch_active_cb), row);
      break;

    case CS_PARAM_STRING:
      if (spec->choices != NULL)
        {
          g_autofree char *name = g_strdup_printf ("%s: %s", spec->label,
                                                   spec->other_label != NULL ? spec->other_label : "other");

          control = new_choice_dropdown (spec);
          g_signal_connect (control, "notify::selected", G_CALLBACK (dropdown_selected_cb), row);
          row->other = gtk_entry_new ();
          gtk_editable_set_width_chars (GTK_EDITABLE (row->other), 10);
          gtk_entry_set_placeholder_text (GTK_ENTRY (row->other), "0, 5, 9");
          gtk_widget_set_tooltip_text (row->other, spec->help);
          gtk_accessible_update_property (GTK_ACCESSIBLE (row->other), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
          gtk_widget_set_visible (row->other, FALSE);
          g_signal_connect (row->other, "changed", G_CALLBACK (entry_changed_cb), row);
        }
      else
        {
          control = gtk_entry_new ();
          gtk_editable_set_width_chars (GTK_EDITABLE (control), 10);
          g_signal_connect (control, "changed", G_CALLBACK (entry_changed_cb), row);
        }
      break;

    default:
      g_assert_not_reached ();
    }
  if ((spec->type == CS_PARAM_INT || (spec->type == CS_PARAM_DOUBLE && !spec->log_scale))
      && spec->zero_label != NULL)
    {
      g_signal_connect (control, "output", G_CALLBACK (spin_output_cb), row);
      g_signal_connect (control, "input", G_CALLBACK (spin_input_cb), row);
    }

  /* The panel sits in a scrolled sidebar: the wheel scrolls it unless the control has focus. */
  if (GTK_IS_SPIN_BUTTON (control) || GTK_IS_DROP_DOWN (control))
    cs_scroll_guard_attach (control);
  gtk_widget_set_hexpand (control, TRUE);
  if (spec->type == CS_PARAM_BOOL)
    gtk_widget_set_hexpand (control, FALSE);
  gtk_widget_set_tooltip_text (control, spec->help);
  /* The name comes from the row's label (its mnemonic widget is this control, which makes
   * it the labelled-by relation): a LABEL property as well would be read twice. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  spec->help ? spec->help : "", -1);
  return control;
}

/* Shows one value in its control without reporting it back as an edit. */
static void
show_value (CsParamsPanel *self, Row *row)
{
  const CsParamSpec *spec = row->spec;

  switch (spec->type)
    {
    case CS_PARAM_INT:
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (row->control),
                                 (double)cs_params_get_int (self->values, spec->name));
      break;
    case CS_PARAM_DOUBLE:
      if (spec->log_scale)
        {
          g_autofree char *text = cs_params_to_string (self->values, spec->name);
          gtk_editable_set_text (GTK_EDITABLE (row->control), text);
          mark_invalid (row->control, NULL, spec->help);
        }
      else
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (row->control),
                                   cs_params_get_double (self->values, spec->name));
      break;
    case CS_PARAM_ENUM:
      {
        /* Selecting fires the drop-down's callback, which replaces the stored string:
         * compare against a copy, and stop at the match. */
        g_autofree char *value = g_strdup (cs_params_get_string (self->values, spec->name));
        for (guint i = 0; spec->choices[i] != NULL; i++)
          if (g_strcmp0 (spec->choices[i], value) == 0)
            {
              gtk_drop_down_set_selected (GTK_DROP_DOWN (row->control), i);
              break;
            }
      }
      break;
    case CS_PARAM_STRING:
      if (row->other != NULL)
        {
          g_autofree char *value = g_strdup (cs_params_get_string (self->values, spec->name));
          guint            selected = n_choices (spec);

          for (guint i = 0; spec->choices[i] != NULL; i++)
            if (g_ascii_strcasecmp (spec->choices[i], value) == 0)
              selected = i;
          gtk_editable_set_text (GTK_EDITABLE (row->other), selected < n_choices (spec) ? "" : value);
          mark_invalid (row->other, NULL, spec->help);
          gtk_drop_down_set_selected (GTK_DROP_DOWN (row->control), selected);
          gtk_widget_set_visible (row->other, selected >= n_choices (spec));
          break;
        }
      gtk_editable_set_text (GTK_EDITABLE (row->control), cs_params_get_string (self->values, spec->name));
      mark_invalid (row->control, NULL, spec->help);
      break;
    case CS_PARAM_BOOL:
      gtk_switch_set_active (GTK_SWITCH (row->control), cs_params_get_bool (self->values, spec->name));
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The spin buttons clamp and round what they show; read back so values == controls. */
static void
show_all (CsParamsPanel *self)
{
  g_autoptr (CsParams) wanted = cs_params_copy (self->values);

  self->updating = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row             *row = g_ptr_array_index (self->rows, i);
      g_autofree char *text = cs_params_to_string (wanted, row->spec->name);

      cs_params_set (self->values, row->spec->name, text, NULL);
      show_value (self, row);
    }
  self->updating = FALSE;
}

static void
clear_rows (CsParamsPanel *self)
{
  GtkWidget *child;

  /* The rows' signal handlers point at Row structs: disconnect before freeing them. */
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);
      g_signal_handlers_disconnect_by_data (row->control, row);
      if (row->other != NULL)
        g_signal_handlers_disconnect_by_data (row->other, row);
    }
  while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->grid), child);
  while ((child = gtk_widget_get_first_child (self->advanced_grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->advanced_grid), child);
  g_ptr_array_set_size (self->rows, 0);
}

static void
reset_clicked_cb (GtkButton *button, CsParamsPanel *self)
{
  cs_params_panel_reset (self);
}

static void
cs_params_panel_dispose (GObject *object)
{
  CsParamsPanel *self = CS_PARAMS_PANEL (object);

  if (self->box != NULL)
    clear_rows (self);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (cs_params_panel_parent_class)->dispose (object);
}

static void
cs_params_panel_finalize (GObject *object)
{
  CsParamsPanel *self = CS_PARAMS_PANEL (object);

  g_clear_pointer (&self->values, cs_params_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cs_params_panel_parent_class)->finalize (object);
}

static void
cs_params_panel_class_init (CsParamsPanelClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cs_params_panel_dispose;
  object_class->finalize = cs_params_panel_finalize;

  /**
   * CsParamsPanel::changed:
   *
   * A value changed: an edit, a reset or set_params. Invalid text does not count.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                   NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "paramspanel");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
new_grid (void)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  return grid;
}

static void
cs_params_panel_init (CsParamsPanel *self)
{
  self->rows = g_ptr_array_new_with_free_func (g_free);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->empty_label = gtk_label_new ("Choose an algorithm to see its parameters.");
  gtk_label_set_wrap (GTK_LABEL (self->empty_label), TRUE);
  gtk_widget_add_css_class (self->empty_label, "dim-label");
  gtk_box_append (GTK_BOX (self->box), self->empty_label);

  self->grid = new_grid ();
  gtk_box_append (GTK_BOX (self->box), self->grid);

  self->advanced_grid = new_grid ();
  gtk_widget_set_margin_top (self->advanced_grid, 6);
  self->expander = gtk_expander_new ("More options");
  gtk_expander_set_child (GTK_EXPANDER (self->expander), self->advanced_grid);
  gtk_box_append (GTK_BOX (self->box), self->expander);

  self->reset_button = gtk_button_new_with_mnemonic ("_Reset to defaults");
  gtk_widget_set_halign (self->reset_button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (self->reset_button, "Set every parameter back to its default value");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reset_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Reset parameters", -1);
  g_signal_connect (self->reset_button, "clicked", G_CALLBACK (reset_clicked_cb), self);
  gtk_box_append (GTK_BOX (self->box), self->reset_button);

  gtk_widget_set_visible (self->grid, FALSE);
  gtk_widget_set_visible (self->expander, FALSE);
  gtk_widget_set_sensitive (self->reset_button, FALSE);
}

GtkWidget *
cs_params_panel_new (void)
{
  return g_object_new (CS_TYPE_PARAMS_PANEL, NULL);
}

void
cs_params_panel_set_algorithm (CsParamsPanel *panel, const CsAlgorithm *algo)
{
  int rows[2] = { 0, 0 };

  g_return_if_fail (CS_IS_PARAMS_PANEL (panel));

  if (algo == panel->algo)
    return;
  clear_rows (panel);
  g_clear_pointer (&panel->values, cs_params_free);
  panel->algo = algo;

  if (algo != NULL)
    {
      panel->values = cs_params_new (algo);
      for (gsize i = 0; i < algo->n_params; i++)
        {
          const CsParamSpec *spec = &algo->params[i];
          GtkWidget         *grid = spec->advanced ? panel->advanced_grid : panel->grid;
          int               *r = &rows[spec->advanced ? 1 : 0];
          Row               *row = g_new0 (Row, 1);

          row->spec = spec;
          row->panel = panel;
          row->control = make_control (row);
          row->label = gtk_label_new (spec->label);
          gtk_label_set_xalign (GTK_LABEL (row->label), 0.0);
          gtk_widget_set_tooltip_text (row->label, spec->help);
          /* Also makes the label the control's labelled-by relation. */
          gtk_label_set_mnemonic_widget (GTK_LABEL (row->label), row->control);
          gtk_grid_attach (GTK_GRID (grid), row->label, 0, *r, 1, 1);
          gtk_grid_attach (GTK_GRID (grid), row->control, 1, *r, 1, 1);
          (*r)++;
          if (row->other != NULL)
            gtk_grid_attach (GTK_GRID (grid), row->other, 1, (*r)++, 1, 1);
          g_ptr_array_add (panel->rows, row);
        }
      show_all (panel);
    }

  gtk_widget_set_visible (panel->empty_label, algo == NULL);
  gtk_widget_set_visible (panel->grid, rows[0] > 0);
  gtk_widget_set_visible (panel->expander, rows[1] > 0);
  gtk_widget_set_sensitive (panel->reset_button, algo != NULL && algo->n_params > 0);
  if (algo != NULL && algo->n_params == 0)
    {
      gtk_label_set_text (GTK_LABEL (panel->empty_label), "This algorithm has no parameters.");
      gtk_widget_set_visible (panel->empty_label, TRUE);
    }
  else
    gtk_label_set_text (GTK_LABEL (panel->empty_label), "Choose an algorithm to see its parameters.");
}

const CsAlgorithm *
cs_params_panel_get_algorithm (CsParamsPanel *panel)
{
  g_return_val_if_fail (CS_IS_PARAMS_PANEL (panel), NULL);

  return panel->algo;
}

CsParams *
cs_params_panel_get_params (CsParamsPanel *panel)
{
  g_return_val_if_fail (CS_IS_PARAMS_PANEL (panel), NULL);

  if (panel->values == NULL)
    return NULL;
  /* A number typed but not yet confirmed (no Enter, focus still there) counts. */
  for (guint i = 0; i < panel->rows->len; i++)
    {
      Row *row = g_ptr_array_index (panel->rows, i);
      if (GTK_IS_SPIN_BUTTON (row->control))
        gtk_spin_button_update (GTK_SPIN_BUTTON (row->control));
    }
  return cs_params_copy (panel->values);
}

void
cs_params_panel_set_params (CsParamsPanel *panel, const CsParams *params)
{
  g_return_if_fail (CS_IS_PARAMS_PANEL (panel));
  g_return_if_fail (params != NULL);

  cs_params_panel_set_algorithm (panel, cs_params_get_algorithm (params));
  g_clear_pointer (&panel->values, cs_params_free);
  panel->values = cs_params_copy (params);
  show_all (panel);
  emit_changed (panel);
}

void
cs_params_panel_reset (CsParamsPanel *panel)
{
  g_autoptr (CsParams) defaults = NULL;

  g_return_if_fail (CS_IS_PARAMS_PANEL (panel));

  if (panel->algo == NULL)
    return;
  defaults = cs_params_new (panel->algo);
  cs_params_panel_set_params (panel, defaults);
}

GtkWidget *
cs_params_panel_get_control (CsParamsPanel *panel, const char *name)
{
  g_return_val_if_fail (CS_IS_PARAMS_PANEL (panel), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < panel->rows->len; i++)
    {
      Row *row = g_ptr_array_index (panel->rows, i);
      if (g_strcmp0 (row->spec->name, name) == 0)
        return row->control;
    }
  return NULL;
}
