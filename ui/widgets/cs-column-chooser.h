#pragma once

#include <gtk/gtk.h>

#include "core/data/cs-dataset.h"

G_BEGIN_DECLS

/* Which columns of a dataset go into the analysis, in little room: a one-line summary ("63 of 65
 * columns") that expands into a searchable list (a GtkListView: thousands of columns cost only
 * the rows on screen) with All / None / Numeric, each column's kind beside its name.
 *
 * Numeric columns other than the label start chosen; categorical ones can be chosen (they are
 * one-hot encoded); the label column is shown but not offered, as it scores the result. With a
 * search, All / None / Numeric apply to the columns it shows.
 * Emits "changed" once per user action (a click, All, None, Numeric), not once per column. */

#define CS_TYPE_COLUMN_CHOOSER (cs_column_chooser_get_type ())
G_DECLARE_FINAL_TYPE (CsColumnChooser, cs_column_chooser, CS, COLUMN_CHOOSER, GtkWidget)

typedef enum
{
  CS_COLUMN_CHOOSE_ALL,     /* every column that can be chosen */
  CS_COLUMN_CHOOSE_NONE,
  CS_COLUMN_CHOOSE_NUMERIC, /* the numeric ones only (the default) */
} CsColumnChoice;

GtkWidget *cs_column_chooser_new (void);

/* Shows `ds`'s columns with the default choice (NULL empties it). The dataset is not kept. */
void cs_column_chooser_set_dataset (CsColumnChooser *self, const CsDataset *ds);

/* The chosen dataset column indices, in dataset order (a new array of int). */
GArray *cs_column_chooser_get_chosen (CsColumnChooser *self);
guint   cs_column_chooser_get_n_chosen (CsColumnChooser *self);
/* Columns shown (all of them, the label column included). */
guint   cs_column_chooser_get_n_columns (CsColumnChooser *self);
/* Chooses or drops dataset column `column`; FALSE when it cannot be chosen. Emits "changed"
 * when the choice changes. */
gboolean cs_column_chooser_set_column_chosen (CsColumnChooser *self, guint column, gboolean chosen);
/* What the All / None / Numeric buttons do: to the columns the search shows (every column when
 * there is no search); the others keep their choice. */
void cs_column_chooser_choose (CsColumnChooser *self, CsColumnChoice choice);

/* The search text: rows whose name contains it (ignoring case) stay in the list. */
void        cs_column_chooser_set_search (CsColumnChooser *self, const char *text);
/* Rows the list shows after the search. */
guint       cs_column_chooser_get_n_shown (CsColumnChooser *self);
/* "63 of 65 columns", the collapsed line. */
const char *cs_column_chooser_get_summary (CsColumnChooser *self);
void        cs_column_chooser_set_expanded (CsColumnChooser *self, gboolean expanded);
gboolean    cs_column_chooser_get_expanded (CsColumnChooser *self);

G_END_DECLS
