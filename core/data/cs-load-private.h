#pragma once

#include "core/data/cs-dataset.h"

G_BEGIN_DECLS

/* What every reader does after its columns are built, the same as the CSV loader: drops
 * columns with no value (a notice says so), makes names unique, chooses the label column
 * (label_column NULL: label/class/species/target, then `fallback_label` if >= 0; "" none;
 * else that name or an error), requires one column of numbers besides the label, and guesses
 * an image shape. `file` names the file in messages. */
gboolean cs_i_dataset_finish (CsDataset  *ds,
                              const char *file,
                              const char *label_column,
                              int         fallback_label,
                              GError    **error);

/* A column under construction whose text values become levels in order of first appearance
 * (CSV text columns, ARFF strings, SPSS/Stata strings). */
typedef struct
{
  GHashTable *index;  /* Owned: level text → index + 1 */
  GPtrArray  *levels; /* Owned, char* */
} CsLevels;

void  cs_i_levels_init (CsLevels *l);
void  cs_i_levels_clear (CsLevels *l);
/* The level's index, adding it when new. */
guint cs_i_levels_intern (CsLevels *l, const char *text);

G_END_DECLS
