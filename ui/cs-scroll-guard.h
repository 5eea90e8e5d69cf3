#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Scrolling a panel must scroll the panel: a spin button, scale or drop-down that passes under
 * the pointer would otherwise take the wheel and change its value. After this, `widget` reacts
 * to the wheel only while it (or a part of it) has the keyboard focus; otherwise the scroll goes
 * on to the scrolled window around it. Safe to call twice. */
void cs_scroll_guard_attach (GtkWidget *widget);

/* Attaches the guard to every spin button, scale and drop-down inside `root` (root included),
 * e.g. a sidebar once it is built. */
void cs_scroll_guard_attach_all (GtkWidget *root);

G_END_DECLS
