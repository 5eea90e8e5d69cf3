#include "core/data/cs-load.h"
#include "core/graph/cs-graph-dataset.h"
#include "core/data/cs-load-private.h"
#include "core/data/cs-arff.h"
#include "core/data/cs-hdf5.h"
#include "core/data/cs-readstat.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* Files from other programs often differ only in case; the same name case-folded, for the
 * uniqueness check below. */
static guint
name_hash (gconstpointer p)
{
  g_autofree char *f = g_utf8_casefold (p, -1);
  return g_str_hash (f);
}

static gboolean
name_equal (gconstpointer a,
            gconstpointer b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);
  return strcmp (fa, fb) == 0;
}

void
cs_i_levels_init (CsLevels *l)
{
  l->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  l->levels = g_ptr_array_new_with_free_func (g_free);
}

void
cs_i_levels_clear (CsLevels *l)
{
  g_clear_pointer (&l->index, g_hash_table_unref);
  g_clear_pointer (&l->levels, g_ptr_array_unref);
}

guint
cs_i_levels_intern (CsLevels   *l,
                    const char *text)
{
  gpointer found = g_hash_table_lookup (l->index, text);
  char *copy;

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  copy = g_utf8_validate (text, -1, NULL) ? g_strdup (text) : g_utf8_make_valid (text, -1);
  g_ptr_array_add (l->levels, copy);
  g_hash_table_insert (l->index, g_strdup (text), GUINT_TO_POINTER (l->levels->len));
  return l->levels->len - 1;
}

gboolean
cs_i_dataset_finish (CsDataset  *ds,
                     const char *file,
                     const char *label_column,
                     int         fallback_label,
                     GError    **error)
{
  g_autoptr (GHashTable) taken = g_hash_table_new_full (name_hash, name_equal, g_free, NULL);
  g_autofree char *shown_file = cs_format_excerpt (file, -1, 4096);
  CsColumn *fallback = fallback_label >= 0 && (guint) fallback_label < ds->columns->len
                           ? cs_dataset_column (ds, fallback_label)
                           : NULL;
  int label_index = -1;
  gboolean any_numeric = FALSE;

  for (guint j = 0; j < ds->columns->len;)
    {
      CsColumn *col = cs_dataset_column (ds, j);

      if (col->n_missing >= ds->n_rows && ds->n_rows > 0)
        {
          g_autofree char *shown = cs_format_excerpt (col->name, -1, CS_FORMAT_EXCERPT_CHARS);
          g_ptr_array_add (ds->notices, g_strdup_printf ("Column ‘%s’ was empty and has been dropped", shown));
          if (col == fallback)
            fallback = NULL;
          g_ptr_array_remove_index (ds->columns, j);
          continue;
        }
      j++;
    }

  for (guint j = 0; j < ds->columns->len; j++)
    {
      CsColumn *col = cs_dataset_column (ds, j);

      if (col->name == NULL || col->name[0] == '\0')
        {
          g_free (col->name);
          col->name = g_strdup_printf ("column %u", j + 1);
        }
      else if (!g_utf8_validate (col->name, -1, NULL))
        {
          char *valid = g_utf8_make_valid (col->name, -1);
          g_free (col->name);
          col->name = valid;
        }
      if (g_hash_table_contains (taken, col->name))
        for (guint k = 2;; k++)
          {
            char *name = g_strdup_printf ("%s_%u", col->name, k);
            if (!g_hash_table_contains (taken, name))
              {
                g_free (col->name);
                col->name = name;
                break;
              }
            g_free (name);
          }
      g_hash_table_add (taken, g_strdup (col->name));
    }

  if (label_column == NULL)
    {
      static const char *const usual[] = { "label", "class", "species", "target" };
      for (guint i = 0; i < G_N_ELEMENTS (usual) && label_index < 0; i++)
        label_index = cs_dataset_find_column (ds, usual[i]);
      for (guint j = 0; label_index < 0 && fallback != NULL && j < ds->columns->len; j++)
        if (cs_dataset_column (ds, j) == fallback)
          label_index = (int) j;
    }
  else if (label_column[0] != '\0')
    {
      label_index = cs_dataset_find_column (ds, label_column);
      if (label_index < 0)
        {
          g_autofree char *shown = cs_format_excerpt (label_column, -1, CS_FORMAT_EXCERPT_CHARS);
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "%s has no column called ‘%s’; choose one of its columns as the label, or none", shown_file,
                       shown);
          return FALSE;
        }
    }
  ds->label_column = label_index;

  for (guint j = 0; j < ds->columns->len; j++)
    if ((int) j != label_index && cs_dataset_column (ds, j)->kind == CS_COLUMN_NUMERIC)
      any_numeric = TRUE;
  if (!any_numeric)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                   "%s: found no column of numbers besides the label; expected at least one", shown_file);
      return FALSE;
    }
  cs_dataset_guess_image_shape (ds);
  return TRUE;
}

static const guint8 sas7bdat_magic[32] = {
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc2, 0xea, 0x81, 0x60,
  0xb3, 0x14, 0x11, 0xcf, 0xbd, 0x92, 0x08, 0x00, 0x09, 0xc7, 0x31, 0x8c, 0x18, 0x1f, 0x10, 0x11,
};

static gboolean
has_extension (const char *name,
               const char *ext)
{
  gsize n = name ? strlen (name) : 0;
  gsize e = strlen (ext);

  return n > e && g_ascii_strcasecmp (name + n - e, ext) == 0;
}

/* ARFF: comments (%) and blank lines, then @relation. */
static gboolean
looks_like_arff (const char *head,
                 gsize       length)
{
  gsize p = 0;

  if (length >= 3 && memcmp (head, "\xEF\xBB\xBF", 3) == 0)
    p = 3;
  while (p < length)
    {
      while (p < length && g_ascii_isspace (head[p]))
        p++;
      if (p < length && head[p] == '%')
        {
          while (p < length && head[p] != '\n')
            p++;
          continue;
        }
      return length - p >= 9 && g_ascii_strncasecmp (head + p, "@relation", 9) == 0;
    }
  return FALSE;
}

CsFileFormat
cs_file_format_detect_data (const char *head,
                            gsize       length,
                            const char *name)
{
  static const char hdf5_magic[8] = { '\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n' };
  const guint8 *u = (const guint8 *) head;
  gboolean h5 = FALSE;

  /* HDF5 may sit after a user block of 512, 1024, 2048… bytes; the first is enough here. */
  if (length >= 8 && memcmp (head, hdf5_magic, 8) == 0)
    h5 = TRUE;
  if (length >= 520 && memcmp (head + 512, hdf5_magic, 8) == 0)
    h5 = TRUE;
  if (h5)
    return has_extension (name, ".h5ad") ? CS_FILE_FORMAT_H5AD : CS_FILE_FORMAT_HDF5;
  if (length >= 4 && (memcmp (head, "$FL2", 4) == 0 || memcmp (head, "$FL3", 4) == 0))
    return CS_FILE_FORMAT_SAV;
  if (length >= 32 && memcmp (head, sas7bdat_magic, 32) == 0)
    return CS_FILE_FORMAT_SAS7BDAT;
  if (length >= 11 && memcmp (head, "<stata_dta>", 11) == 0)
    return CS_FILE_FORMAT_DTA;
  /* Stata 104-115: the release byte, then byte order 1 (big) or 2 (little), then 1. */
  if (length >= 4 && u[0] >= 104 && u[0] <= 115 && (u[1] == 1 || u[1] == 2) && u[2] == 1 && u[3] == 0)
    return CS_FILE_FORMAT_DTA;
  if (length >= 48
      && (memcmp (head, "HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!", 48) == 0
          || memcmp (head, "HEADER RECORD*******LIBV8   HEADER RECORD!!!!!!!", 48) == 0))
    return CS_FILE_FORMAT_XPT;
  /* SPSS portable: 200 bytes of vanity header, a 256-byte character table, then the
   * signature (lines of 80 characters may add line ends in between). */
  for (gsize i = 400; i + 8 <= MIN (length, 600); i++)
    if (memcmp (head + i, "SPSSPORT", 8) == 0)
      return CS_FILE_FORMAT_POR;
  if (looks_like_arff (head, length))
    return CS_FILE_FORMAT_ARFF;

  if (has_extension (name, ".sav") || has_extension (name, ".zsav"))
    return CS_FILE_FORMAT_SAV;
  if (has_extension (name, ".por"))
    return CS_FILE_FORMAT_POR;
  if (has_extension (name, ".dta"))
    return CS_FILE_FORMAT_DTA;
  if (has_extension (name, ".sas7bdat"))
    return CS_FILE_FORMAT_SAS7BDAT;
  if (has_extension (name, ".xpt"))
    return CS_FILE_FORMAT_XPT;
  if (has_extension (name, ".h5ad"))
    return CS_FILE_FORMAT_H5AD;
  if (has_extension (name, ".h5") || has_extension (name, ".hdf5") || has_extension (name, ".he5"))
    return CS_FILE_FORMAT_HDF5;
  if (has_extension (name, ".arff"))
    return CS_FILE_FORMAT_ARFF;
  return CS_FILE_FORMAT_CSV;
}

CsFileFormat
cs_file_format_detect (const char *path)
{
  char head[1024];
  gssize n = 0;
  int fd;

  g_return_val_if_fail (path != NULL, CS_FILE_FORMAT_CSV);

  /* Only regular files are sniffed: reading a pipe here would eat what the CSV reader needs. */
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
      if (fd >= 0)
        {
          n = read (fd, head, sizeof head);
          close (fd);
        }
    }
  return cs_file_format_detect_data (head, n > 0 ? (gsize) n : 0, path);
}

const char *
cs_file_format_name (CsFileFormat format)
{
  switch (format)
    {
    case CS_FILE_FORMAT_CSV:
      return "CSV";
    case CS_FILE_FORMAT_ARFF:
      return "ARFF";
    case CS_FILE_FORMAT_SAV:
      return "SPSS";
    case CS_FILE_FORMAT_POR:
      return "SPSS portable";
    case CS_FILE_FORMAT_DTA:
      return "Stata";
    case CS_FILE_FORMAT_SAS7BDAT:
      return "SAS";
    case CS_FILE_FORMAT_XPT:
      return "SAS transport";
    case CS_FILE_FORMAT_HDF5:
      return "HDF5";
    case CS_FILE_FORMAT_H5AD:
      return "AnnData";
    default:
      return "data";
    }
}

const char *const *
cs_file_format_patterns (void)
{
  static const char *const patterns[] = {
    "*.csv", "*.tsv", "*.txt", "*.dat", "*.arff", "*.sav", "*.zsav", "*.por", "*.dta", "*.sas7bdat", "*.xpt",
    "*.h5", "*.hdf5", "*.he5", "*.h5ad", NULL,
  };
  return patterns;
}

const char *const *
cs_file_format_mime_types (void)
{
  static const char *const types[] = {
    "text/csv", "text/tab-separated-values", "text/plain", "text/x-arff", "application/x-spss-sav",
    "application/x-spss-por", "application/x-stata-dta", "application/x-sas-data", "application/x-sas-xport",
    "application/x-hdf5", "application/x-hdf", "application/x-spss-zsav", "application/x-anndata", NULL,
  };
  return types;
}

CsDataset *
cs_dataset_load_file (const char         *path,
                      const CsCsvOptions *options,
                      const char         *hdf5_dataset,
                      CsProgress         *progress,
                      GError            **error)
{
  const char *label = options ? options->label_column : NULL;
  CsFileFormat format;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (cs_graph_dataset_is_edge_list_name (path))
    return cs_graph_dataset_load (path, progress, error);
  format = cs_file_format_detect (path);
  switch (format)
    {
    case CS_FILE_FORMAT_ARFF:
      return cs_dataset_load_arff (path, label, progress, error);
    case CS_FILE_FORMAT_SAV:
    case CS_FILE_FORMAT_POR:
    case CS_FILE_FORMAT_DTA:
    case CS_FILE_FORMAT_SAS7BDAT:
    case CS_FILE_FORMAT_XPT:
      return cs_dataset_load_readstat (path, format, label, progress, error);
    case CS_FILE_FORMAT_HDF5:
    case CS_FILE_FORMAT_H5AD:
      return cs_dataset_load_hdf5 (path, hdf5_dataset, label, 0, progress, error);
    case CS_FILE_FORMAT_CSV:
    default:
      return cs_dataset_load_csv (path, options, progress, error);
    }
}
