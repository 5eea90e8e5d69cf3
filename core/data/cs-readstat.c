#include "core/data/cs-readstat.h"
#include "core/data/cs-load-private.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-matrix.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <readstat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct
{
  char    *name;
  char    *label;      /* the variable label, or NULL */
  char    *label_set;  /* name of its value labels, or NULL */
  gboolean is_string;
  GArray  *values;     /* double: the number, the string's level, or NaN */
  CsLevels strings;
} Variable;

typedef struct
{
  double value;
  char  *label;
} ValueLabel;

typedef struct
{
  /* I/O, so that errors can say where in the file reading stopped */
  int         fd;
  gint64      offset;
  gint64      size;
  CsProgress *progress;
  gboolean    cancelled;
  gboolean    too_large;
  char       *message;    /* ReadStat's own words, if it gave any */
  GPtrArray  *vars;       /* Variable*, by index */
  GHashTable *label_sets; /* name → GArray of ValueLabel */
  gsize       n_rows;
  gint64      last_row;   /* the record and variable being read, -1 before the data */
  int         last_var;
  guint64     budget;
} Reader;

static void
variable_free (gpointer p)
{
  Variable *v = p;

  g_free (v->name);
  g_free (v->label);
  g_free (v->label_set);
  if (v->values)
    g_array_unref (v->values);
  cs_i_levels_clear (&v->strings);
  g_free (v);
}

static void
label_array_free (gpointer p)
{
  GArray *a = p;

  for (guint i = 0; i < a->len; i++)
    g_free (g_array_index (a, ValueLabel, i).label);
  g_array_unref (a);
}

static int
io_open (const char *path,
         void       *ctx)
{
  Reader *r = ctx;
  struct stat st;

  r->fd = open (path, O_RDONLY | O_CLOEXEC);
  if (r->fd >= 0 && fstat (r->fd, &st) == 0)
    r->size = st.st_size;
  r->offset = 0;
  return r->fd;
}

static int
io_close (void *ctx)
{
  Reader *r = ctx;
  int rc = r->fd >= 0 ? close (r->fd) : 0;

  r->fd = -1;
  return rc;
}

static readstat_off_t
io_seek (readstat_off_t      offset,
         readstat_io_flags_t whence,
         void               *ctx)
{
  Reader *r = ctx;
  int w = whence == READSTAT_SEEK_SET ? SEEK_SET : whence == READSTAT_SEEK_CUR ? SEEK_CUR : SEEK_END;
  off_t at = lseek (r->fd, offset, w);

  if (at >= 0)
    r->offset = at;
  return at;
}

static ssize_t
io_read (void  *buf,
         size_t nbyte,
         void  *ctx)
{
  Reader *r = ctx;
  ssize_t n;

  do
    n = read (r->fd, buf, nbyte);
  while (n < 0 && errno == EINTR);
  if (n > 0)
    r->offset += n;
  return n;
}

static readstat_error_t
io_update (long                      file_size,
           readstat_progress_handler progress_handler,
           void                     *user_ctx,
           void                     *ctx)
{
  Reader *r = ctx;

  if (file_size > 0 && !cs_progress_report (r->progress, 0.95 * (double) r->offset / (double) file_size,
                                            "Reading data"))
    {
      r->cancelled = TRUE;
      return READSTAT_ERROR_USER_ABORT;
    }
  return READSTAT_OK;
}

static void
on_error (const char *message,
          void       *ctx)
{
  Reader *r = ctx;

  if (r->message == NULL && message != NULL)
    r->message = g_strstrip (g_utf8_make_valid (message, -1));
}

static int
on_variable (int                  index,
             readstat_variable_t *variable,
             const char          *val_labels,
             void                *ctx)
{
  Reader *r = ctx;
  Variable *v;
  const char *label = readstat_variable_get_label (variable);
  const char *name = readstat_variable_get_name (variable);

  if (index < 0 || (guint) index != r->vars->len)
    return READSTAT_HANDLER_ABORT;
  v = g_new0 (Variable, 1);

  v->name = g_strdup (name && name[0] ? name : NULL);
  v->label = label && label[0] ? g_strdup (label) : NULL;
  v->label_set = val_labels && val_labels[0] ? g_strdup (val_labels) : NULL;
  v->is_string = readstat_variable_get_type_class (variable) == READSTAT_TYPE_CLASS_STRING;
  v->values = g_array_new (FALSE, FALSE, sizeof (double));
  cs_i_levels_init (&v->strings);
  g_ptr_array_add (r->vars, v);
  return READSTAT_HANDLER_OK;
}

static double
numeric_value (readstat_value_t value)
{
  switch (readstat_value_type (value))
    {
    case READSTAT_TYPE_INT8:
    case READSTAT_TYPE_INT16:
    case READSTAT_TYPE_INT32:
      return readstat_int32_value (value);
    case READSTAT_TYPE_FLOAT:
    case READSTAT_TYPE_DOUBLE:
      return readstat_double_value (value);
    default:
      return NAN;
    }
}

static int
on_value (int                  obs_index,
          readstat_variable_t *variable,
          readstat_value_t     value,
          void                *ctx)
{
  Reader *r = ctx;
  int index = readstat_variable_get_index (variable);
  Variable *v;
  double x = NAN;

  if (index < 0 || (guint) index >= r->vars->len || obs_index < 0)
    return READSTAT_HANDLER_ABORT;
  r->last_row = obs_index;
  r->last_var = index;
  v = g_ptr_array_index (r->vars, index);
  if ((gsize) obs_index >= r->n_rows)
    {
      if ((guint64) (obs_index + 1) * r->vars->len * sizeof (double) * 2 > r->budget)
        {
          r->too_large = TRUE;
          return READSTAT_HANDLER_ABORT;
        }
      r->n_rows = obs_index + 1;
    }
  if (v->values->len < (guint) obs_index + 1)
    {
      guint old = v->values->len;
      g_array_set_size (v->values, obs_index + 1);
      for (guint i = old; i < v->values->len; i++)
        g_array_index (v->values, double, i) = NAN;
    }
  if (!readstat_value_is_missing (value, variable))
    {
      if (v->is_string)
        {
          const char *s = readstat_string_value (value);
          if (s != NULL && s[0] != '\0')
            x = cs_i_levels_intern (&v->strings, s);
        }
      else
        {
          x = numeric_value (value);
          if (!isfinite (x))
            x = NAN;
        }
    }
  g_array_index (v->values, double, obs_index) = x;
  return READSTAT_HANDLER_OK;
}

static int
on_value_label (const char      *val_labels,
                readstat_value_t value,
                const char      *label,
                void            *ctx)
{
  Reader *r = ctx;
  GArray *set;
  ValueLabel vl;

  /* Labels on string values and on tagged missing values do not make categories here. */
  if (val_labels == NULL || label == NULL || readstat_value_type (value) == READSTAT_TYPE_STRING
      || readstat_value_is_tagged_missing (value) || readstat_value_is_system_missing (value))
    return READSTAT_HANDLER_OK;
  set = g_hash_table_lookup (r->label_sets, val_labels);
  if (set == NULL)
    {
      set = g_array_new (FALSE, FALSE, sizeof (ValueLabel));
      g_hash_table_insert (r->label_sets, g_strdup (val_labels), set);
    }
  vl.value = numeric_value (value);
  vl.label = g_utf8_make_valid (label, -1);
  g_array_append_val (set, vl);
  return READSTAT_HANDLER_OK;
}

static int
compare_value_labels (gconstpointer a,
                      gconstpointer b)
{
  return cs_compare_doubles (&((const ValueLabel *) a)->value, &((const ValueLabel *) b)->value);
}

/* A numeric column with a label on every value it holds: the labels as levels, in the
 * order of their values. */
static gboolean
add_labelled (CsDataset *ds,
              Variable  *v,
              GArray    *set,
              gsize      n_rows)
{
  g_autofree int *codes = g_new (int, MAX (n_rows, 1));
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autoptr (GArray) sorted = g_array_copy (set);
  guint n_levels = 0;
  CsColumn *col;

  g_array_sort (sorted, compare_value_labels);
  for (gsize i = 0; i < n_rows; i++)
    {
      double x = g_array_index (v->values, double, i);
      guint lo = 0;
      guint hi = sorted->len;

      codes[i] = -1;
      if (isnan (x))
        continue;
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          if (g_array_index (sorted, ValueLabel, mid).value < x)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (lo >= sorted->len || g_array_index (sorted, ValueLabel, lo).value != x)
        return FALSE;
      codes[i] = (int) lo;
    }
  /* Two values with one label (1 = "yes", 2 = "yes") would be two levels with one name;
   * cs_dataset_add_categorical takes names as given, which is what the file says. */
  for (guint l = 0; l < sorted->len; l++)
    g_ptr_array_add (names, g_array_index (sorted, ValueLabel, l).label);
  n_levels = sorted->len;
  col = cs_dataset_add_categorical (ds, v->name, codes, (const char *const *) names->pdata, n_levels);
  col->description = g_strdup (v->label);
  return TRUE;
}

static CsDataset *
build (Reader     *r,
       const char *path,
       const char *label_column,
       GError    **error)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr (CsDataset) ds = cs_dataset_new (base, r->n_rows);
  g_autoptr (GString) partly = g_string_new (NULL);
  guint n_partly = 0;

  ds->path = g_strdup (path);
  for (guint j = 0; j < r->vars->len; j++)
    {
      Variable *v = g_ptr_array_index (r->vars, j);
      GArray *set = v->label_set ? g_hash_table_lookup (r->label_sets, v->label_set) : NULL;
      CsColumn *col;
      guint old = v->values->len;

      g_array_set_size (v->values, r->n_rows);
      for (guint i = old; i < r->n_rows; i++)
        g_array_index (v->values, double, i) = NAN;

      if (v->is_string)
        {
          g_autofree int *codes = g_new (int, MAX (r->n_rows, 1));
          for (gsize i = 0; i < r->n_rows; i++)
            {
              double x = g_array_index (v->values, double, i);
              codes[i] = isnan (x) ? -1 : (int) x;
            }
          col = cs_dataset_add_categorical (ds, v->name, codes, (const char *const *) v->strings.levels->pdata,
                                            v->strings.levels->len);
          col->description = g_strdup (v->label);
          continue;
        }
      if (set != NULL && set->len > 0 && add_labelled (ds, v, set, r->n_rows))
        continue;
      if (set != NULL && set->len > 0)
        {
          g_autofree char *shown = cs_format_excerpt (v->name ? v->name : "", -1, CS_FORMAT_EXCERPT_CHARS);
          if (n_partly++ < 3)
            g_string_append_printf (partly, "%s‘%s’", partly->len ? ", " : "", shown);
        }
      col = cs_dataset_add_numeric (ds, v->name, (double *) (gpointer) g_array_free (g_steal_pointer (&v->values),
                                                                                       FALSE));
      col->description = g_strdup (v->label);
    }
  if (n_partly > 0)
    g_ptr_array_add (ds->notices,
                     g_strdup_printf ("%s column%s (%s%s) %s value labels on some values only; %s read as numbers",
                                      n_partly == 1 ? "One" : "Some", n_partly == 1 ? "" : "s", partly->str,
                                      n_partly > 3 ? ", …" : "", n_partly == 1 ? "has" : "have",
                                      n_partly == 1 ? "it was" : "they were"));
  if (r->n_rows == 0)
    {
      g_autofree char *file = cs_format_excerpt (path, -1, 4096);
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s: found no records; expected at least one", file);
      return NULL;
    }
  if (!cs_i_dataset_finish (ds, path, label_column, -1, error))
    return NULL;
  return g_steal_pointer (&ds);
}

CsDataset *
cs_dataset_load_readstat (const char  *path,
                          CsFileFormat format,
                          const char  *label_column,
                          CsProgress  *progress,
                          GError     **error)
{
  readstat_parser_t *parser;
  readstat_error_t rc;
  Reader r = { 0 };
  CsDataset *ds = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *file = cs_format_excerpt (path, -1, 4096);
      g_set_error (error, CS_ERROR, CS_ERROR_IO, "%s: %s; expected a %s file", file,
                   g_file_test (path, G_FILE_TEST_EXISTS) ? "is not a regular file" : "no such file",
                   cs_file_format_name (format));
      return NULL;
    }
  r.fd = -1;
  r.progress = progress;
  r.vars = g_ptr_array_new_with_free_func (variable_free);
  r.label_sets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, label_array_free);
  r.last_row = -1;
  r.last_var = -1;
  r.budget = cs_memory_budget ();

  parser = readstat_parser_init ();
  readstat_set_open_handler (parser, io_open);
  readstat_set_close_handler (parser, io_close);
  readstat_set_seek_handler (parser, io_seek);
  readstat_set_read_handler (parser, io_read);
  readstat_set_update_handler (parser, io_update);
  readstat_set_io_ctx (parser, &r);
  readstat_set_error_handler (parser, on_error);
  readstat_set_variable_handler (parser, on_variable);
  readstat_set_value_handler (parser, on_value);
  readstat_set_value_label_handler (parser, on_value_label);

  switch (format)
    {
    case CS_FILE_FORMAT_SAV:
      rc = readstat_parse_sav (parser, path, &r);
      break;
    case CS_FILE_FORMAT_POR:
      rc = readstat_parse_por (parser, path, &r);
      break;
    case CS_FILE_FORMAT_DTA:
      rc = readstat_parse_dta (parser, path, &r);
      break;
    case CS_FILE_FORMAT_SAS7BDAT:
      rc = readstat_parse_sas7bdat (parser, path, &r);
      break;
    case CS_FILE_FORMAT_XPT:
      rc = readstat_parse_xport (parser, path, &r);
      break;
    default:
      g_assert_not_reached ();
    }
  readstat_parser_free (parser);
  if (r.fd >= 0)
    io_close (&r);

  if (r.cancelled)
    g_set_error_literal (error, CS_ERROR, CS_ERROR_CANCELLED, "Cancelled");
  else if (r.too_large)
    {
      g_autofree char *file = cs_format_excerpt (path, -1, 4096);
      g_autofree char *rows = cs_format_count (r.n_rows);
      g_autofree char *cols = cs_format_count (r.vars->len);
      g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "%s: %s records of %s variables fill the memory budget; "
                   "expected a smaller file (or set CLUSTERSCOPE_MEMORY_LIMIT)", file, rows, cols);
    }
  else if (rc != READSTAT_OK)
    {
      g_autofree char *file = cs_format_excerpt (path, -1, 4096);
      g_autofree char *offset = cs_format_count ((guint64) MAX (r.offset, 0));
      g_autoptr (GString) where = g_string_new (NULL);
      const char *what = readstat_error_message (rc);

      /* ReadStat's own message often repeats the code's text with errno noise after it. */
      if (r.message != NULL && what != NULL && strstr (r.message, what) != NULL)
        g_clear_pointer (&r.message, g_free);

      g_string_append_printf (where, "byte %s", offset);
      if (r.last_row >= 0 && r.last_var >= 0 && (guint) r.last_var < r.vars->len)
        {
          g_autofree char *record = cs_format_count ((guint64) r.last_row + 1);
          const Variable *v = g_ptr_array_index (r.vars, r.last_var);
          g_autofree char *var = cs_format_excerpt (v->name ? v->name : "", -1, CS_FORMAT_EXCERPT_CHARS);
          g_string_append_printf (where, ", after record %s, variable ‘%s’", record, var);
        }
      g_set_error (error, CS_ERROR, rc == READSTAT_ERROR_OPEN ? CS_ERROR_IO : CS_ERROR_PARSE,
                   "%s: %s: %s%s%s%s; expected a whole %s file", file, where->str, what ? what : "cannot be read",
                   r.message ? " (" : "", r.message ? r.message : "", r.message ? ")" : "",
                   cs_file_format_name (format));
    }
  else
    {
      ds = build (&r, path, label_column, error);
      if (ds)
        cs_progress_report (progress, 1.0, "Reading data");
    }
  g_free (r.message);
  g_ptr_array_unref (r.vars);
  g_hash_table_unref (r.label_sets);
  return ds;
}
