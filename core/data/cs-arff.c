#include "core/data/cs-arff.h"
#include "core/data/cs-input.h"
#include "core/data/cs-load-private.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-matrix.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

/* Reads ARFF as Weka writes it (weka.core.converters.ArffLoader is the reference for what is
 * accepted): one header line per declaration, values separated by commas, quoted with ' or "
 * and backslash escapes, % comments, sparse rows in braces. */

typedef enum
{
  ATT_NUMERIC,
  ATT_NOMINAL,
  ATT_STRING,
  ATT_DATE,
} AttKind;

typedef struct
{
  char    *name;
  AttKind  kind;
  CsLevels levels;      /* nominal: the declared values; string: in order of first appearance */
  char    *date_format; /* Java SimpleDateFormat pattern */
  GArray  *values;      /* double: the number, the level index, or NaN */
} Attribute;

typedef struct
{
  const char *data;
  gsize       len;
  const char *name;
  CsProgress *progress;
  gsize       next;       /* start of the next line */
  gsize       line;       /* current line, 1-based */
  gsize       line_start; /* and where it starts */
  gsize       line_end;   /* its end, before \r\n */
  GPtrArray  *atts;       /* Attribute* */
  gsize       n_rows;
} Parser;

static void
attribute_free (gpointer p)
{
  Attribute *a = p;

  g_free (a->name);
  cs_i_levels_clear (&a->levels);
  g_free (a->date_format);
  if (a->values)
    g_array_unref (a->values);
  g_free (a);
}

static void G_GNUC_PRINTF (4, 5)
error_at (GError    **error,
          Parser     *p,
          gsize       pos,
          const char *format,
          ...)
{
  g_autofree char *what = NULL;
  g_autofree char *file = NULL;
  gsize column = 1;
  va_list args;

  if (error == NULL)
    return;
  for (gsize i = p->line_start; i < pos && i < p->len; i++)
    if (((guint8) p->data[i] & 0xC0) != 0x80)
      column++;
  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  file = cs_format_excerpt (p->name, -1, 4096);
  g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT ": %s", file, p->line,
               column, what);
}

/* The next line that is not blank and not a comment; FALSE at the end of the data. */
static gboolean
next_line (Parser *p)
{
  while (p->next < p->len)
    {
      gsize s = p->next;
      gsize e = s;
      gsize first;

      while (e < p->len && p->data[e] != '\n' && p->data[e] != '\r')
        e++;
      p->next = e;
      if (p->next < p->len && p->data[p->next] == '\r')
        p->next++;
      if (p->next < p->len && p->data[p->next] == '\n')
        p->next++;
      p->line++;
      p->line_start = s;
      p->line_end = e;
      first = s;
      while (first < e && g_ascii_isspace (p->data[first]))
        first++;
      if (first < e && p->data[first] != '%')
        return TRUE;
    }
  return FALSE;
}

static void
skip_space (Parser *p,
            gsize  *i)
{
  while (*i < p->line_end && (p->data[*i] == ' ' || p->data[*i] == '\t'))
    (*i)++;
}

/* A quoted or bare token at *i; a bare one ends at a space or one of `stops`. The text is
 * unescaped; `quoted` says whether it was in quotes (a quoted ? is text, not missing). */
static gboolean
read_token (Parser      *p,
            gsize       *i,
            const char  *stops,
            char       **out,
            gboolean    *quoted,
            GError     **error)
{
  gsize start = *i;
  char q = *i < p->line_end ? p->data[*i] : '\0';

  if (quoted)
    *quoted = FALSE;
  if (*i < p->line_end && (q == '\'' || q == '"'))
    {
      g_autoptr (GString) s = g_string_new (NULL);

      for ((*i)++; *i < p->line_end; (*i)++)
        {
          char c = p->data[*i];
          if (c == q)
            {
              (*i)++;
              *out = g_string_free (g_steal_pointer (&s), FALSE);
              if (quoted)
                *quoted = TRUE;
              return TRUE;
            }
          if (c == '\\' && *i + 1 < p->line_end)
            {
              char e = p->data[++(*i)];
              c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
            }
          if (c == '\0')
            {
              error_at (error, p, *i, "found a NUL byte in quoted text; expected text");
              return FALSE;
            }
          g_string_append_c (s, c);
        }
      error_at (error, p, start, "found a quote that is not closed on its line; expected a closing %c", q);
      return FALSE;
    }
  for (; *i < p->line_end; (*i)++)
    {
      char c = p->data[*i];

      if (c == '\0')
        {
          error_at (error, p, *i, "found a NUL byte (is this a binary file?); expected text");
          return FALSE;
        }
      if (c == ' ' || c == '\t' || strchr (stops, c) != NULL)
        break;
    }
  *out = g_strndup (p->data + start, *i - start);
  return TRUE;
}

static gboolean
keyword_is (Parser     *p,
            gsize       i,
            const char *word)
{
  gsize n = strlen (word);

  return p->line_end - i >= n && g_ascii_strncasecmp (p->data + i, word, n) == 0
         && (i + n == p->line_end || g_ascii_isspace (p->data[i + n]) || p->data[i + n] == '{');
}

/* Date patterns: the SimpleDateFormat letters Weka's files use. */
static gboolean
check_date_format (Parser     *p,
                   gsize       pos,
                   const char *format,
                   GError    **error)
{
  for (const char *f = format; *f; f++)
    {
      if (*f == '\'')
        {
          const char *close = strchr (f + 1, '\'');
          if (close == NULL)
            {
              error_at (error, p, pos, "found a date format with an unclosed quote; expected ‘…’ around literal text");
              return FALSE;
            }
          f = close;
          continue;
        }
      if (g_ascii_isalpha (*f) && strchr ("yMdHmsS", *f) == NULL)
        {
          g_autofree char *shown = cs_format_excerpt (format, -1, CS_FORMAT_EXCERPT_CHARS);
          error_at (error, p, pos,
                    "found the date format ‘%s’ with the field letter ‘%c’; expected only y, M, d, H, m, s and S",
                    shown, *f);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_date (const char *format,
            const char *text,
            double     *out)
{
  int field[7] = { 1970, 1, 1, 0, 0, 0, 0 }; /* y M d H m s S */
  static const char letters[] = "yMdHmsS";
  const char *t = text;
  g_autoptr (GDateTime) dt = NULL;

  for (const char *f = format; *f;)
    {
      if (*f == '\'')
        {
          const char *close = strchr (f + 1, '\'');
          gsize n = close ? (gsize) (close - f - 1) : 0;
          if (close == NULL)
            return FALSE;
          if (n == 0) /* '' is a quote */
            {
              if (*t++ != '\'')
                return FALSE;
            }
          else if (strncmp (t, f + 1, n) != 0)
            return FALSE;
          else
            t += n;
          f = close + 1;
          continue;
        }
      if (g_ascii_isalpha (*f))
        {
          const char *which = strchr (letters, *f);
          int run = 0;
          int max;
          int digits = 0;
          int v = 0;

          while (f[run] == *f)
            run++;
          max = *f == 'y' ? MAX (run, 4) : *f == 'S' ? 3 : MAX (run, 2);
          while (digits < max && g_ascii_isdigit (t[digits]))
            v = v * 10 + (t[digits++] - '0');
          if (digits == 0 || which == NULL)
            return FALSE;
          field[which - letters] = v;
          t += digits;
          f += run;
          continue;
        }
      if (*t++ != *f++)
        return FALSE;
    }
  if (*t != '\0' || field[1] < 1 || field[1] > 12 || field[2] < 1 || field[2] > 31 || field[3] > 23 || field[4] > 59
      || field[5] > 60 || field[0] < 1 || field[0] > 9999)
    return FALSE;
  dt = g_date_time_new_utc (field[0], field[1], field[2], field[3], field[4], MIN (field[5], 59));
  if (dt == NULL)
    return FALSE;
  *out = (double) g_date_time_to_unix (dt) + field[6] / 1000.0;
  return TRUE;
}

static gboolean
parse_attribute (Parser  *p,
                 gsize    i,
                 GError **error)
{
  Attribute *a = g_new0 (Attribute, 1);
  g_autofree char *type = NULL;
  gsize type_pos;

  cs_i_levels_init (&a->levels);
  a->values = g_array_new (FALSE, FALSE, sizeof (double));
  g_ptr_array_add (p->atts, a);

  skip_space (p, &i);
  if (i >= p->line_end)
    {
      error_at (error, p, i, "found the end of the line; expected an attribute name");
      return FALSE;
    }
  if (!read_token (p, &i, "{", &a->name, NULL, error))
    return FALSE;
  skip_space (p, &i);
  type_pos = i;
  if (i < p->line_end && p->data[i] == '{')
    {
      a->kind = ATT_NOMINAL;
      for (i++;;)
        {
          g_autofree char *value = NULL;

          skip_space (p, &i);
          if (i < p->line_end && p->data[i] == '}' && a->levels.levels->len == 0)
            break;
          if (!read_token (p, &i, ",}", &value, NULL, error))
            return FALSE;
          if (value[0] == '\0')
            {
              error_at (error, p, i, "found an empty nominal value; expected a value or a quoted ''");
              return FALSE;
            }
          if (g_hash_table_contains (a->levels.index, value))
            {
              g_autofree char *shown = cs_format_excerpt (value, -1, CS_FORMAT_EXCERPT_CHARS);
              error_at (error, p, i, "found the nominal value ‘%s’ twice; expected each value once", shown);
              return FALSE;
            }
          cs_i_levels_intern (&a->levels, value);
          skip_space (p, &i);
          if (i < p->line_end && p->data[i] == ',')
            {
              i++;
              continue;
            }
          if (i < p->line_end && p->data[i] == '}')
            break;
          error_at (error, p, i, "found %s; expected , or } in the list of nominal values",
                    i < p->line_end ? "another character" : "the end of the line");
          return FALSE;
        }
      if (a->levels.levels->len == 0)
        {
          error_at (error, p, type_pos, "found an empty list of nominal values; expected at least one value");
          return FALSE;
        }
      return TRUE;
    }
  if (!read_token (p, &i, "", &type, NULL, error))
    return FALSE;
  if (g_ascii_strcasecmp (type, "numeric") == 0 || g_ascii_strcasecmp (type, "real") == 0
      || g_ascii_strcasecmp (type, "integer") == 0)
    a->kind = ATT_NUMERIC;
  else if (g_ascii_strcasecmp (type, "string") == 0)
    a->kind = ATT_STRING;
  else if (g_ascii_strcasecmp (type, "date") == 0)
    {
      a->kind = ATT_DATE;
      skip_space (p, &i);
      if (i < p->line_end)
        {
          gsize at = i;
          if (!read_token (p, &i, "", &a->date_format, NULL, error))
            return FALSE;
          if (!check_date_format (p, at, a->date_format, error))
            return FALSE;
        }
      else
        a->date_format = g_strdup ("yyyy-MM-dd'T'HH:mm:ss");
    }
  else if (g_ascii_strcasecmp (type, "relational") == 0)
    {
      error_at (error, p, type_pos, "found a relational attribute, which Clusterscope does not read; expected "
                                    "numeric, integer, real, string, date or {…} (flatten the relation in Weka first)");
      return FALSE;
    }
  else
    {
      g_autofree char *shown = cs_format_excerpt (type, -1, CS_FORMAT_EXCERPT_CHARS);
      error_at (error, p, type_pos, "found the type ‘%s’; expected numeric, integer, real, string, date or {…}",
                shown[0] ? shown : "");
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_header (Parser  *p,
              GError **error)
{
  gboolean relation = FALSE;

  while (next_line (p))
    {
      gsize i = p->line_start;

      skip_space (p, &i);
      if (keyword_is (p, i, "@relation") && !relation)
        {
          relation = TRUE;
          continue;
        }
      if (!relation)
        {
          error_at (error, p, i, "found something other than @relation; expected an ARFF file to begin with "
                                 "@relation");
          return FALSE;
        }
      if (keyword_is (p, i, "@attribute"))
        {
          if (!parse_attribute (p, i + strlen ("@attribute"), error))
            return FALSE;
          continue;
        }
      if (keyword_is (p, i, "@data"))
        {
          if (p->atts->len == 0)
            {
              error_at (error, p, i, "found @data before any @attribute; expected at least one attribute");
              return FALSE;
            }
          return TRUE;
        }
      error_at (error, p, i, "found %s; expected @attribute or @data",
                p->data[i] == '@' ? "an unknown declaration" : "a line that is not a declaration");
      return FALSE;
    }
  {
    g_autofree char *file = cs_format_excerpt (p->name, -1, 4096);
    if (!relation)
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s:%" G_GSIZE_FORMAT ":1: found the end of the file; expected "
                   "@relation", file, MAX (p->line, 1));
    else
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s:%" G_GSIZE_FORMAT ":1: found the end of the file; expected "
                   "@data and the rows", file, p->line + 1);
  }
  return FALSE;
}

static gboolean
store_value (Parser     *p,
             Attribute  *a,
             gsize       row,
             const char *text,
             gboolean    quoted,
             gsize       pos,
             GError    **error)
{
  double v = NAN;

  if (!(text[0] == '?' && text[1] == '\0' && !quoted))
    switch (a->kind)
      {
      case ATT_NUMERIC:
        {
          char *end = NULL;
          v = g_ascii_strtod (text, &end);
          if (text[0] == '\0' || *end != '\0' || !isfinite (v))
            {
              g_autofree char *shown = cs_format_excerpt (text, -1, CS_FORMAT_EXCERPT_CHARS);
              g_autofree char *att = cs_format_excerpt (a->name, -1, CS_FORMAT_EXCERPT_CHARS);
              error_at (error, p, pos, "found ‘%s’ for the numeric attribute ‘%s’; expected a finite number or ?",
                        shown, att);
              return FALSE;
            }
        }
        break;
      case ATT_NOMINAL:
        {
          gpointer found = g_hash_table_lookup (a->levels.index, text);
          if (found == NULL)
            {
              g_autofree char *shown = cs_format_excerpt (text, -1, CS_FORMAT_EXCERPT_CHARS);
              g_autofree char *att = cs_format_excerpt (a->name, -1, CS_FORMAT_EXCERPT_CHARS);
              g_autoptr (GString) allowed = g_string_new (NULL);
              for (guint l = 0; l < MIN (a->levels.levels->len, 6); l++)
                {
                  g_autofree char *lv = cs_format_excerpt (g_ptr_array_index (a->levels.levels, l), -1, 20);
                  g_string_append_printf (allowed, "%s%s", l ? ", " : "", lv);
                }
              if (a->levels.levels->len > 6)
                g_string_append (allowed, ", …");
              error_at (error, p, pos, "found ‘%s’ for the nominal attribute ‘%s’; expected one of {%s} or ?", shown,
                        att, allowed->str);
              return FALSE;
            }
          v = GPOINTER_TO_UINT (found) - 1;
        }
        break;
      case ATT_STRING:
        v = cs_i_levels_intern (&a->levels, text);
        break;
      case ATT_DATE:
        if (!parse_date (a->date_format, text, &v))
          {
            g_autofree char *shown = cs_format_excerpt (text, -1, CS_FORMAT_EXCERPT_CHARS);
            g_autofree char *fmt = cs_format_excerpt (a->date_format, -1, CS_FORMAT_EXCERPT_CHARS);
            error_at (error, p, pos, "found ‘%s’; expected a date written as %s, or ?", shown, fmt);
            return FALSE;
          }
        break;
      default:
        g_assert_not_reached ();
      }
  g_array_index (a->values, double, row) = v;
  return TRUE;
}

/* The value an omitted entry of a sparse row has: 0, which for a nominal attribute is its
 * first value and for a string the text "0"… Weka stores index 0 of the string table; an
 * empty text is the closest that does not invent data. */
static gboolean
fill_sparse_defaults (Parser  *p,
                      gsize    row,
                      GError **error)
{
  for (guint j = 0; j < p->atts->len; j++)
    {
      Attribute *a = g_ptr_array_index (p->atts, j);
      double v = 0;

      if (a->kind == ATT_STRING)
        v = cs_i_levels_intern (&a->levels, "");
      g_array_index (a->values, double, row) = v;
    }
  return TRUE;
}

static gboolean
parse_row (Parser  *p,
           GError **error)
{
  gsize row = p->n_rows;
  gsize i = p->line_start;
  guint n_atts = p->atts->len;

  for (guint j = 0; j < n_atts; j++)
    g_array_set_size (((Attribute *) g_ptr_array_index (p->atts, j))->values, row + 1);
  skip_space (p, &i);
  if (p->data[i] == '{')
    {
      fill_sparse_defaults (p, row, error);
      for (i++;;)
        {
          g_autofree char *index_text = NULL;
          g_autofree char *value = NULL;
          gboolean quoted = FALSE;
          gsize at;
          guint64 index = 0;
          char *end = NULL;

          skip_space (p, &i);
          if (i < p->line_end && p->data[i] == '}')
            break;
          at = i;
          if (!read_token (p, &i, ",}", &index_text, NULL, error))
            return FALSE;
          if (index_text[0] != '\0')
            index = g_ascii_strtoull (index_text, &end, 10);
          if (index_text[0] == '\0' || *end != '\0' || !g_ascii_isdigit (index_text[0]) || index >= n_atts)
            {
              g_autofree char *shown = cs_format_excerpt (index_text, -1, CS_FORMAT_EXCERPT_CHARS);
              g_autofree char *n = cs_format_count (n_atts - 1);
              error_at (error, p, at, "found ‘%s’; expected an attribute index from 0 to %s", shown, n);
              return FALSE;
            }
          skip_space (p, &i);
          at = i;
          if (i >= p->line_end || p->data[i] == ',' || p->data[i] == '}')
            {
              error_at (error, p, at, "found no value after the index; expected ‘index value’");
              return FALSE;
            }
          if (!read_token (p, &i, ",}", &value, &quoted, error))
            return FALSE;
          if (!store_value (p, g_ptr_array_index (p->atts, index), row, value, quoted, at, error))
            return FALSE;
          skip_space (p, &i);
          if (i < p->line_end && p->data[i] == ',')
            {
              i++;
              continue;
            }
          if (i < p->line_end && p->data[i] == '}')
            break;
          error_at (error, p, i, "found %s; expected , or } in a sparse row",
                    i < p->line_end ? "another character" : "the end of the line");
          return FALSE;
        }
      i++;
    }
  else
    for (guint j = 0; j < n_atts; j++)
      {
        g_autofree char *value = NULL;
        gboolean quoted = FALSE;
        gsize at;

        skip_space (p, &i);
        at = i;
        if (!read_token (p, &i, ",{", &value, &quoted, error))
          return FALSE;
        if (!store_value (p, g_ptr_array_index (p->atts, j), row, value, quoted, at, error))
          return FALSE;
        skip_space (p, &i);
        if (j + 1 < n_atts)
          {
            if (i >= p->line_end || p->data[i] != ',')
              {
                g_autofree char *found = cs_format_count (j + 1);
                g_autofree char *want = cs_format_count (n_atts);
                error_at (error, p, i, "found %s value%s; expected %s (one per attribute)", found, j ? "s" : "",
                          want);
                return FALSE;
              }
            i++;
          }
      }
  /* A row may end with its weight, {w}. */
  skip_space (p, &i);
  if (i < p->line_end && p->data[i] == ',')
    i++, skip_space (p, &i);
  if (i < p->line_end && p->data[i] == '{')
    {
      while (i < p->line_end && p->data[i] != '}')
        i++;
      if (i < p->line_end)
        i++;
      skip_space (p, &i);
    }
  if (i < p->line_end && p->data[i] != '%')
    {
      g_autofree char *want = cs_format_count (n_atts);
      error_at (error, p, i, "found more values than attributes; expected %s per row", want);
      return FALSE;
    }
  p->n_rows++;
  return TRUE;
}

static CsDataset *
build (Parser     *p,
       const char *label_column,
       GError    **error)
{
  g_autoptr (CsDataset) ds = cs_dataset_new (p->name, p->n_rows);
  int fallback = -1;

  for (guint j = 0; j < p->atts->len; j++)
    {
      Attribute *a = g_ptr_array_index (p->atts, j);
      double *values = (double *) (gpointer) g_array_free (g_steal_pointer (&a->values), FALSE);

      if (a->kind == ATT_NUMERIC || a->kind == ATT_DATE)
        cs_dataset_add_numeric (ds, a->name, values);
      else
        {
          g_autofree int *codes = g_new (int, MAX (p->n_rows, 1));
          for (gsize i = 0; i < p->n_rows; i++)
            codes[i] = isnan (values[i]) ? -1 : (int) values[i];
          cs_dataset_add_categorical (ds, a->name, codes, (const char *const *) a->levels.levels->pdata,
                                      a->levels.levels->len);
          g_free (values);
          if (a->kind == ATT_NOMINAL && j + 1 == p->atts->len)
            fallback = (int) j;
        }
    }
  if (p->n_rows == 0)
    {
      g_autofree char *file = cs_format_excerpt (p->name, -1, 4096);
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s:%" G_GSIZE_FORMAT ":1: found no rows after @data; expected "
                   "at least one", file, p->line + 1);
      return NULL;
    }
  if (!cs_i_dataset_finish (ds, p->name, label_column, fallback, error))
    return NULL;
  return g_steal_pointer (&ds);
}

static CsDataset *
load (const char *data,
      gsize       length,
      const char *name,
      const char *path,
      const char *label_column,
      CsProgress *progress,
      GError    **error)
{
  Parser p = { 0 };
  CsDataset *ds = NULL;
  guint64 budget = cs_memory_budget ();

  p.data = data ? data : "";
  p.len = data ? length : 0;
  p.name = name;
  p.progress = progress;
  p.atts = g_ptr_array_new_with_free_func (attribute_free);
  if (p.len >= 3 && memcmp (p.data, "\xEF\xBB\xBF", 3) == 0)
    p.next = 3;

  if (!parse_header (&p, error))
    goto out;
  while (next_line (&p))
    {
      /* Sparse rows are short on disk and wide in memory. */
      if ((guint64) (p.n_rows + 1) * p.atts->len * sizeof (double) * 2 > budget)
        {
          g_autofree char *rows = cs_format_count (p.n_rows);
          g_autofree char *cols = cs_format_count (p.atts->len);
          g_autofree char *file = cs_format_excerpt (name, -1, 4096);
          g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "%s:%" G_GSIZE_FORMAT ": %s rows of %s attributes fill "
                       "the memory budget; expected a smaller file (or set CLUSTERSCOPE_MEMORY_LIMIT)",
                       file, p.line, rows, cols);
          goto out;
        }
      if (!parse_row (&p, error))
        goto out;
      if ((p.n_rows & 4095) == 0 && !cs_progress_report (progress, 0.95 * p.next / MAX (p.len, 1), "Reading data"))
        {
          g_set_error_literal (error, CS_ERROR, CS_ERROR_CANCELLED, "Cancelled");
          goto out;
        }
    }
  ds = build (&p, label_column, error);
  if (ds)
    {
      g_free (ds->path);
      ds->path = g_strdup (path);
      cs_progress_report (progress, 1.0, "Reading data");
    }
out:
  g_ptr_array_unref (p.atts);
  return ds;
}

CsDataset *
cs_dataset_load_arff_data (const char *data,
                           gsize       length,
                           const char *name,
                           const char *label_column,
                           CsProgress *progress,
                           GError    **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load (data, length, name ? name : "data", NULL, label_column, progress, error);
}

CsDataset *
cs_dataset_load_arff (const char *path,
                      const char *label_column,
                      CsProgress *progress,
                      GError    **error)
{
  g_autoptr (CsInput) file = NULL;
  CsDataset *ds;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = cs_input_load (path, "expected an ARFF file", cs_memory_budget () / 2, progress, error);
  if (file == NULL)
    return NULL;
  ds = load (file->data, file->length, path, path, label_column, progress, error);
  if (ds)
    {
      g_free (ds->name);
      ds->name = g_path_get_basename (path);
    }
  return ds;
}
