#pragma once

#include <gtk/gtk.h>

#include "core/cluster/cs-registry.h"

G_BEGIN_DECLS

#define CS_TYPE_PARAMS_PANEL (cs_params_panel_get_type ())
G_DECLARE_FINAL_TYPE (CsParamsPanel, cs_params_panel, CS, PARAMS_PANEL, GtkWidget)

/* Builds one labelled control per CsParamSpec of an algorithm: spin buttons for numbers,
 * a drop-down for choices, a switch for booleans, an entry for text; the spec's help is the
 * tooltip and the label is the accessible name. Advanced parameters sit in an expander.
 * Emits "changed" whenever a value changes. */
GtkWidget *cs_params_panel_new (void);
void       cs_params_panel_set_algorithm (CsParamsPanel *panel, const CsAlgorithm *algo);
const CsAlgorithm *cs_params_panel_get_algorithm (CsParamsPanel *panel);
/* A new CsParams with the current values (never NULL once an algorithm is set). */
CsParams  *cs_params_panel_get_params (CsParamsPanel *panel);
/* Shows these values (e.g. from a session file). */
void       cs_params_panel_set_params (CsParamsPanel *panel, const CsParams *params);
void       cs_params_panel_reset (CsParamsPanel *panel);
/* The control showing parameter `name` (a GtkSpinButton, GtkEntry, GtkDropDown or
 * GtkSwitch), or NULL: for focusing a parameter named in an error, and for tests. */
GtkWidget *cs_params_panel_get_control (CsParamsPanel *panel, const char *name);

G_END_DECLS
