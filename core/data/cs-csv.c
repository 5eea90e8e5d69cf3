#include "core/data/cs-dataset.h"
#include "core/data/cs-csv.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/data/cs-input.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Limits that keep hostile input from turning into absurd allocations: a 2 GB single line
 * fails at its first MiB with the line and column, not after reading it all. */
#define MAX_FIELD_BYTES ((gsize) 1 << 20)
#define MAX_COLUMNS     100000
#define SNIFF_BYTES     (64 * 1024)
#define SNIFF_RECORDS   50
/* Records between cancellation checks and progress reports: ~1 ms of parsing; wide tables
 * check every CHECK_FIELDS fields instead. */
#define CHECK_EVERY     4096
#define CHECK_FIELDS    ((gsize) 1 << 16)
/* Parsed bytes of a mapped file after which its pages are handed back to the kernel, so the
 * resident size stays near the size of the parsed numbers rather than of the text. */
#define RELEASE_BYTES   ((gsize) 16 << 20)

typedef enum
{
  RECORD_OK,
  RECORD_END,
  RECORD_ERROR,
} RecordStatus;

typedef struct
{
  gsize   start; /* into the data, or into the scratch buffer when in_scratch */
  gsize   len;
  gsize   pos;   /* offset in the data where the field begins */
  gsize   end;   /* offset in the data just past the field */
  guint8  quoted;
  guint8  in_scratch;
} Field;

typedef struct
{
  const char *data; /* Borrowed */
  gsize       len;
  gsize       pos;
  gsize       line;       /* 1-based line number of pos */
  gsize       line_start; /* offset of the first byte of that line */
  char        delim;
  const char *name;       /* Borrowed: the file name used in messages */
  GArray     *fields;     /* Field */
  GString    *scratch;    /* unescaped quoted fields of the current record */
  gsize       rec_line;
  gsize       rec_line_start;
  gsize       n_records;
  gsize       n_blank_pending;
  gsize       n_blank_inside; /* blank lines between records, not counting trailing ones */
  guint8      stop[256];
} Reader;

static void
reader_init (Reader     *r,
             const char *data,
             gsize       len,
             gsize       start,
             char        delim,
             const char *name)
{
  memset (r, 0, sizeof *r);
  r->data = data;
  r->len = len;
  r->pos = start;
  r->line = 1;
  r->line_start = start;
  r->delim = delim;
  r->name = name;
  r->fields = g_array_new (FALSE, FALSE, sizeof (Field));
  r->scratch = g_string_new (NULL);
  r->stop[(guint8) delim] = 1;
  r->stop['\n'] = 1;
  r->stop['\r'] = 1;
  r->stop[0] = 1;
  if (delim == ' ')
    r->stop['\t'] = 1;
}

static void
reader_clear (Reader *r)
{
  g_array_unref (r->fields);
  g_string_free (r->scratch, TRUE);
}

/* Columns count characters, not bytes, so that an editor's column agrees with ours. */
static gsize
text_column (const char *data,
             gsize       line_start,
             gsize       pos)
{
  gsize col = 1;

  for (gsize i = line_start; i < pos; i++)
    if (((guint8) data[i] & 0xC0) != 0x80)
      col++;
  return col;
}

/* `line` and `line_start` may be those of an earlier point of the same record (quoted fields
 * span lines); the line and character column of `pos` are found by walking forward. */
static void
locate (const char *data,
        gsize       len,
        gsize       line,
        gsize       line_start,
        gsize       pos,
        gsize      *line_out,
        gsize      *column_out)
{
  for (gsize i = line_start; i < pos && i < len; i++)
    if (data[i] == '\n' || (data[i] == '\r' && (i + 1 >= len || data[i + 1] != '\n')))
      {
        line++;
        line_start = i + 1;
      }
  *line_out = line;
  *column_out = text_column (data, line_start, pos);
}

static void G_GNUC_PRINTF (8, 9)
set_error_at (GError    **error,
              const char *name,
              const char *data,
              gsize       len,
              gsize       line,
              gsize       line_start,
              gsize       pos,
              const char *format,
              ...)
{
  g_autofree char *what = NULL;
  g_autofree char *shown = NULL;
  va_list args;

  gsize column;

  if (error == NULL)
    return;
  locate (data, len, line, line_start, pos, &line, &column);
  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  shown = cs_format_excerpt (name, -1, 4096);
  g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT ": %s", shown, line,
               column, what);
}

static inline gboolean
is_blank (char c,
          char delim)
{
  return c == ' ' || (c == '\t' && delim != '\t');
}

static inline void
eat_newline (Reader *r,
             gsize  *p)
{
  if (r->data[*p] == '\r' && *p + 1 < r->len && r->data[*p + 1] == '\n')
    *p += 2;
  else
    *p += 1;
  r->line++;
  r->line_start = *p;
}

static gboolean
nul_error (Reader  *r,
           gsize    pos,
           GError **error)
{
  set_error_at (error, r->name, r->data, r->len, r->line, r->line_start, pos,
                "found a NUL byte (is this a binary file?); expected text");
  return FALSE;
}

/* After a closing quote, text up to the delimiter is kept as it is ("ab"c reads as abc):
 * forgiving costs nothing here and such files exist. */
static gboolean
read_after_quote (Reader  *r,
                  gsize   *p,
                  Field   *f,
                  GError **error)
{
  const char *d = r->data;
  gsize q = *p;
  gsize e;

  while (q < r->len && !r->stop[(guint8) d[q]])
    {
      q++;
      if (r->scratch->len - f->start + (q - *p) > MAX_FIELD_BYTES)
        {
          set_error_at (error, r->name, d, r->len, r->rec_line, r->rec_line_start, f->pos,
                        "found a field longer than 1 MiB; expected fields shorter than that");
          return FALSE;
        }
    }
  if (q < r->len && d[q] == '\0')
    return nul_error (r, q, error);
  e = q;
  while (e > *p && is_blank (d[e - 1], r->delim))
    e--;
  g_string_append_len (r->scratch, d + *p, e - *p);
  *p = q;
  return TRUE;
}

static gboolean
read_quoted (Reader  *r,
             gsize   *p,
             Field   *f,
             GError **error)
{
  const char *d = r->data;
  gsize open_line = r->line;
  gsize open_line_start = r->line_start;
  gsize open_pos = *p;

  (*p)++;
  f->quoted = 1;
  f->in_scratch = 1;
  f->start = r->scratch->len;
  for (;;)
    {
      gsize q = *p;
      gsize room = MAX_FIELD_BYTES - (r->scratch->len - f->start);
      gsize lim = MIN (r->len, q + room + 1);

      while (q < lim && d[q] != '"' && d[q] != '\n' && d[q] != '\r' && d[q] != '\0')
        q++;
      if (q - *p > room)
        {
          set_error_at (error, r->name, d, r->len, open_line, open_line_start, open_pos,
                        "found a quoted field longer than 1 MiB (is a closing quote missing?); "
                        "expected fields shorter than that");
          return FALSE;
        }
      g_string_append_len (r->scratch, d + *p, q - *p);
      if (q >= r->len)
        {
          set_error_at (error, r->name, d, r->len, open_line, open_line_start, open_pos,
                        "found a quote that is never closed; expected a closing \" before the end of the file");
          return FALSE;
        }
      if (d[q] == '\0')
        return nul_error (r, q, error);
      if (d[q] == '\n' || d[q] == '\r')
        {
          g_string_append_c (r->scratch, '\n');
          eat_newline (r, &q);
          *p = q;
          continue;
        }
      if (q + 1 < r->len && d[q + 1] == '"')
        {
          g_string_append_c (r->scratch, '"');
          *p = q + 2;
          continue;
        }
      *p = q + 1;
      break;
    }
  return read_after_quote (r, p, f, error);
}

static gboolean
read_unquoted (Reader  *r,
               gsize   *p,
               Field   *f,
               GError **error)
{
  const char *d = r->data;
  gsize q = *p;
  gsize lim = MIN (r->len, *p + MAX_FIELD_BYTES + 1);
  gsize e;

  while (q < lim && !r->stop[(guint8) d[q]])
    q++;
  if (q - *p > MAX_FIELD_BYTES)
    {
      set_error_at (error, r->name, d, r->len, r->line, r->line_start, *p,
                    "found a field longer than 1 MiB; expected fields shorter than that");
      return FALSE;
    }
  if (q < r->len && d[q] == '\0')
    return nul_error (r, q, error);
  e = q;
  while (e > *p && is_blank (d[e - 1], r->delim))
    e--;
  f->start = *p;
  f->len = e - *p;
  *p = q;
  return TRUE;
}

/* One logical record (quoted fields may span lines) into r->fields. Comment lines and blank
 * lines are skipped. */
static RecordStatus
read_record (Reader  *r,
             GError **error)
{
  const char *d = r->data;
  gsize n = r->len;
  gsize p;

  g_array_set_size (r->fields, 0);
  g_string_truncate (r->scratch, 0);

  for (;;)
    {
      gsize q;

      p = r->pos;
      if (p >= n)
        return RECORD_END;
      if (d[p] == '#')
        {
          const char *nl = memchr (d + p, '\n', n - p);
          const char *cr = memchr (d + p, '\r', nl ? (gsize) (nl - (d + p)) : n - p);
          if (cr)
            nl = cr;
          if (nl == NULL)
            {
              r->pos = n;
              return RECORD_END;
            }
          q = nl - d;
          eat_newline (r, &q);
          r->pos = q;
          continue;
        }
      q = p;
      while (q < n && is_blank (d[q], r->delim))
        q++;
      if (q >= n)
        {
          r->pos = n;
          return RECORD_END;
        }
      if (d[q] == '\n' || d[q] == '\r')
        {
          eat_newline (r, &q);
          r->pos = q;
          if (r->n_records > 0)
            r->n_blank_pending++;
          continue;
        }
      break;
    }

  r->n_blank_inside += r->n_blank_pending;
  r->n_blank_pending = 0;
  r->rec_line = r->line;
  r->rec_line_start = r->line_start;

  for (;;)
    {
      Field f = { 0 };
      char c;

      if (r->fields->len >= MAX_COLUMNS)
        {
          set_error_at (error, r->name, d, r->len, r->line, r->line_start, p,
                        "found more than 100,000 fields in one row; expected at most that many columns");
          return RECORD_ERROR;
        }
      while (p < n && is_blank (d[p], r->delim))
        p++;
      f.pos = p;
      if (p < n && d[p] == '"')
        {
          if (!read_quoted (r, &p, &f, error))
            return RECORD_ERROR;
          f.len = r->scratch->len - f.start;
        }
      else if (!read_unquoted (r, &p, &f, error))
        return RECORD_ERROR;
      f.end = p;
      g_array_append_val (r->fields, f);

      if (p >= n)
        break;
      c = d[p];
      if (c == '\n' || c == '\r')
        {
          eat_newline (r, &p);
          break;
        }
      /* The stop table leaves only the delimiter here (a tab too when splitting on blanks). */
      p++;
      if (r->delim == ' ')
        {
          while (p < n && is_blank (d[p], ' '))
            p++;
          if (p >= n)
            break;
          if (d[p] == '\n' || d[p] == '\r')
            {
              eat_newline (r, &p);
              break;
            }
        }
    }
  r->pos = p;
  r->n_records++;
  return RECORD_OK;
}

static inline const char *
field_text (const Reader *r,
            const Field  *f)
{
  return f->in_scratch ? r->scratch->str + f->start : r->data + f->start;
}

static const double exact_powers[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* Decimal numbers only ([+-]digits[.digits][e[+-]digits]); no hex, inf or nan, which strtod
 * would take. Clinger's fast path when the mantissa and the power of ten are both exact
 * doubles, so one correctly rounded operation gives the correctly rounded result;
 * g_ascii_strtod (correctly rounded) for everything else. */
static gboolean
parse_number (const char *s,
              gsize       len,
              char        decimal,
              double     *out)
{
  const char *p = s;
  const char *e = s + len;
  gboolean negative = FALSE;
  gboolean any_digit = FALSE;
  gboolean exact = TRUE;
  guint64 mantissa = 0;
  int n_sig = 0;
  long exp10 = 0;
  double v;

  if (p < e && (*p == '+' || *p == '-'))
    negative = *p++ == '-';
  for (; p < e && g_ascii_isdigit (*p); p++)
    {
      int digit = *p - '0';
      any_digit = TRUE;
      if (n_sig < 19)
        {
          mantissa = mantissa * 10 + digit;
          if (mantissa > 0)
            n_sig++;
        }
      else
        {
          exp10++;
          exact &= digit == 0;
        }
    }
  if (p < e && *p == decimal)
    {
      for (p++; p < e && g_ascii_isdigit (*p); p++)
        {
          int digit = *p - '0';
          any_digit = TRUE;
          if (n_sig < 19)
            {
              mantissa = mantissa * 10 + digit;
              if (mantissa > 0)
                n_sig++;
              exp10--;
            }
          else
            exact &= digit == 0;
        }
    }
  if (!any_digit)
    return FALSE;
  if (p < e && (*p == 'e' || *p == 'E'))
    {
      gboolean exp_negative = FALSE;
      long x = 0;

      p++;
      if (p < e && (*p == '+' || *p == '-'))
        exp_negative = *p++ == '-';
      if (p >= e || !g_ascii_isdigit (*p))
        return FALSE;
      for (; p < e && g_ascii_isdigit (*p); p++)
        if (x < 100000)
          x = x * 10 + (*p - '0');
      exp10 += exp_negative ? -x : x;
    }
  if (p != e)
    return FALSE;

  if (mantissa == 0)
    v = 0.0;
  else if (exact && mantissa <= (G_GUINT64_CONSTANT (1) << 53) && exp10 >= -22 && exp10 <= 22)
    v = exp10 >= 0 ? (double) mantissa * exact_powers[exp10] : (double) mantissa / exact_powers[-exp10];
  else
    {
      char buf[128];
      char *copy = len < sizeof buf ? buf : g_malloc (len + 1);

      memcpy (copy, s, len);
      copy[len] = '\0';
      if (decimal != '.')
        {
          char *dp = memchr (copy, decimal, len);
          if (dp)
            *dp = '.';
        }
      v = g_ascii_strtod (copy, NULL);
      if (copy != buf)
        g_free (copy);
      if (!isfinite (v))
        return FALSE;
      *out = v;
      return TRUE;
    }
  *out = negative ? -v : v;
  return TRUE;
}

static gboolean
is_missing (const char *s,
            gsize       len)
{
  static const char *const tokens[] = { "na", "nan", "n/a", "null", "?" };

  if (len == 0)
    return TRUE;
  if (len > 4)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    if (strlen (tokens[i]) == len && g_ascii_strncasecmp (s, tokens[i], len) == 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  double     *values;     /* n_rows of the loader's capacity */
  gboolean    categorical;
  gsize       switch_row; /* rows before this one still hold numbers until the re-scan */
  GHashTable *index;      /* level text -> level + 1 */
  GPtrArray  *levels;     /* char*, borrowed from index's keys */
  gsize       n_missing;
  gsize       n_values;
  gsize       n_numbers;  /* cells that read as finite numbers, in either mode */
  gsize       n_bad;      /* non-missing cells that do not */
  gboolean    revert;     /* read as text so far, but numbers after all: re-read as numbers */
  gsize       text_line;  /* where the first non-number was seen, for messages */
  gsize       text_line_start;
  gsize       text_pos;
  char       *text_example;
  char       *name;
} Builder;

static void
builder_clear (Builder *b)
{
  g_free (b->values);
  if (b->levels)
    g_ptr_array_unref (b->levels);
  if (b->index)
    g_hash_table_unref (b->index);
  g_free (b->text_example);
  g_free (b->name);
}

/* Whether a column with these counts is one of numbers, its other cells missing values. */
static gboolean
keep_numeric (const Builder *b,
              CsCsvBadCells  policy)
{
  gsize total = b->n_numbers + b->n_bad;

  if (b->n_bad == 0)
    return TRUE;
  switch (policy)
    {
    case CS_CSV_BAD_CELLS_MISSING:
      return b->n_bad * 2 <= total;
    case CS_CSV_BAD_CELLS_TEXT:
      return FALSE;
    case CS_CSV_BAD_CELLS_AUTO:
    default:
      return b->n_bad * 20 <= total;
    }
}

static double
builder_level (Builder    *b,
               GString    *key,
               const char *s,
               gsize       len)
{
  gpointer found;

  g_string_truncate (key, 0);
  g_string_append_len (key, s, len);
  found = g_hash_table_lookup (b->index, key->str);
  if (found == NULL)
    {
      char *copy = g_strndup (s, len);
      g_ptr_array_add (b->levels, copy);
      found = GUINT_TO_POINTER (b->levels->len);
      g_hash_table_insert (b->index, copy, found);
    }
  return GPOINTER_TO_UINT (found) - 1;
}

typedef struct
{
  const char         *data;
  gsize               len;
  gsize               start;     /* past the BOM */
  const char         *name;
  const char         *path;
  const CsCsvOptions *options;
  CsProgress         *progress;
  gboolean            mapped;    /* data is a private file mapping whose pages may be dropped */
  char                delim;
  char                decimal;
  gboolean            header;
  Builder            *builders;
  guint               n_cols;
  gsize               n_rows;
  gsize               capacity;
  gsize               n_extra_delim;
  gsize               n_blank;
  gsize               header_line;
  GString            *key;
} Loader;

static void
loader_clear (Loader *l)
{
  for (guint j = 0; j < l->n_cols; j++)
    builder_clear (&l->builders[j]);
  g_free (l->builders);
  if (l->key)
    g_string_free (l->key, TRUE);
}

static char
sniff_delimiter (const Loader *l)
{
  static const char candidates[] = { '\t', ',', ';', ' ' };
  gsize window = MIN (l->len, l->start + SNIFF_BYTES);
  char best = ',';
  double best_score = -1.0;

  for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      Reader r;
      guint counts[SNIFF_RECORDS];
      guint n = 0;
      guint mode = 0;
      guint mode_hits = 0;

      reader_init (&r, l->data, window, l->start, candidates[c], l->name);
      while (n < SNIFF_RECORDS && read_record (&r, NULL) == RECORD_OK)
        counts[n++] = r.fields->len;
      /* The window may cut the last record short. */
      if (window < l->len && n > 1 && r.pos >= window)
        n--;
      reader_clear (&r);

      for (guint i = 0; i < n; i++)
        {
          guint hits = 0;
          for (guint k = 0; k < n; k++)
            hits += counts[k] == counts[i];
          if (hits > mode_hits || (hits == mode_hits && counts[i] > mode))
            {
              mode = counts[i];
              mode_hits = hits;
            }
        }
      if (n == 0 || mode < 2)
        continue;
      if ((double) mode_hits / n > best_score)
        {
          best_score = (double) mode_hits / n;
          best = candidates[c];
        }
    }
  return best;
}

static gboolean
looks_like_decimal_comma (const char *s,
                          gsize       len)
{
  double v;
  return memchr (s, ',', len) != NULL && parse_number (s, len, ',', &v);
}

/* Header detection: the first row is a header when it holds no number at all, or when one of
 * its fields is text above a column that is otherwise all numbers. */
static void
sniff_header_and_decimal (Loader *l)
{
  gsize window = MIN (l->len, l->start + SNIFF_BYTES);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  gboolean want_decimal = l->decimal == 0;
  gboolean comma = FALSE;
  Reader r;

  reader_init (&r, l->data, window, l->start, l->delim, l->name);
  while (rows->len < SNIFF_RECORDS && read_record (&r, NULL) == RECORD_OK)
    {
      /* Each row as a NULL-terminated vector of field copies. */
      char **row = g_new0 (char *, r.fields->len + 1);
      for (guint j = 0; j < r.fields->len; j++)
        {
          const Field *f = &g_array_index (r.fields, Field, j);
          row[j] = g_strndup (field_text (&r, f), f->len);
          if (want_decimal && l->delim == ';' && !f->quoted && looks_like_decimal_comma (row[j], f->len))
            comma = TRUE;
        }
      g_ptr_array_add (rows, row);
    }
  reader_clear (&r);

  if (want_decimal)
    l->decimal = comma ? ',' : '.';

  if (l->options->header >= 0)
    {
      l->header = l->options->header > 0;
      return;
    }
  l->header = FALSE;
  if (rows->len == 0)
    return;
  {
    char **first = g_ptr_array_index (rows, 0);
    gboolean any_number = FALSE;
    double v;

    for (guint j = 0; first[j]; j++)
      any_number |= parse_number (first[j], strlen (first[j]), l->decimal, &v);
    if (!any_number)
      {
        l->header = TRUE;
        return;
      }
    g_autofree guint *widths = g_new (guint, rows->len);

    /* Row widths once: measuring them for every column made a wide header quadratic. */
    for (guint i = 0; i < rows->len; i++)
      widths[i] = g_strv_length (g_ptr_array_index (rows, i));
    for (guint j = 0; first[j]; j++)
      {
        gboolean numbers_below = FALSE;
        gboolean text_below = FALSE;

        if (is_missing (first[j], strlen (first[j])) || parse_number (first[j], strlen (first[j]), l->decimal, &v))
          continue;
        for (guint i = 1; i < rows->len; i++)
          {
            char **row = g_ptr_array_index (rows, i);
            if (j >= widths[i] || is_missing (row[j], strlen (row[j])))
              continue;
            if (parse_number (row[j], strlen (row[j]), l->decimal, &v))
              numbers_below = TRUE;
            else
              text_below = TRUE;
          }
        if (numbers_below && !text_below)
          {
            l->header = TRUE;
            return;
          }
      }
  }
}

static gboolean
grow (Loader  *l,
      GError **error)
{
  gsize capacity = l->capacity + l->capacity / 2 + 64;

  if (!cs_memory_check ((guint64) capacity * l->n_cols * sizeof (double), "table being loaded",
                        "load fewer rows or columns", error))
    return FALSE;
  for (guint j = 0; j < l->n_cols; j++)
    {
      double *values = g_try_realloc_n (l->builders[j].values, capacity, sizeof (double));
      if (values == NULL)
        {
          g_autofree char *rows = cs_format_count (l->n_rows);
          g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "Out of memory while loading %s (%s rows so far)",
                       l->name, rows);
          return FALSE;
        }
      l->builders[j].values = values;
    }
  l->capacity = capacity;
  return TRUE;
}

static void
release_pages (Loader *l,
               gsize  *released,
               gsize   pos)
{
  long page = sysconf (_SC_PAGESIZE);
  gsize upto;

  if (!l->mapped || page <= 0 || pos < *released + RELEASE_BYTES)
    return;
  /* Keep the last MiB: a record in progress may still point into it. */
  upto = (pos - ((gsize) 1 << 20)) / page * page;
  if (upto > *released)
    {
      madvise ((char *) l->data + *released, upto - *released, MADV_DONTNEED);
      *released = upto;
    }
}

static void
switch_to_text (Builder *b,
                gsize    row)
{
  b->categorical = TRUE;
  b->switch_row = row;
  b->index = g_hash_table_new (g_str_hash, g_str_equal);
  b->levels = g_ptr_array_new_with_free_func (g_free);
}

/* A cell that is not a number (nor missing) leaves a column of numbers as it is, the cell
 * missing, until the column has too many of them for the policy (and more than a few, so
 * one odd cell early on does not decide); then the column becomes text, and the rows before
 * get their text in a second pass. A text column still counts its numbers, so that one whose
 * first cells were odd can turn back into numbers at the end. */
static void
store_value (Loader       *l,
             Builder      *b,
             const Reader *r,
             const Field  *f)
{
  const char *s = field_text (r, f);
  double *slot = &b->values[l->n_rows];
  double v;

  if (is_missing (s, f->len))
    {
      *slot = NAN;
      b->n_missing++;
      return;
    }
  if (parse_number (s, f->len, l->decimal, b->categorical ? &v : slot))
    {
      b->n_numbers++;
      if (!b->categorical)
        {
          b->n_values++;
          return;
        }
    }
  else
    {
      if (b->n_bad++ == 0)
        {
          b->text_line = r->rec_line;
          b->text_line_start = r->rec_line_start;
          b->text_pos = f->pos;
          b->text_example = g_strndup (s, MIN (f->len, 160));
        }
      if (!b->categorical)
        {
          if (l->options->bad_cells == CS_CSV_BAD_CELLS_TEXT
              || (b->n_bad > 16 && !keep_numeric (b, l->options->bad_cells)))
            switch_to_text (b, l->n_rows);
          else
            {
              *slot = NAN;
              return;
            }
        }
    }
  *slot = builder_level (b, l->key, s, f->len);
  b->n_values++;
}

/* Checks the field count of a data record; an extra empty field after the last column is a
 * trailing delimiter and is forgiven. */
static gboolean
check_width (Loader  *l,
             Reader  *r,
             GError **error)
{
  guint nf = r->fields->len;
  const Field *last;

  if (nf == l->n_cols)
    return TRUE;
  last = &g_array_index (r->fields, Field, nf - 1);
  if (nf == l->n_cols + 1 && last->len == 0 && !last->quoted)
    {
      l->n_extra_delim++;
      g_array_set_size (r->fields, l->n_cols);
      return TRUE;
    }
  {
    g_autofree char *found = cs_format_count (nf);
    g_autofree char *expected = cs_format_count (l->n_cols);
    g_autofree char *line = cs_format_count (l->header_line);

    if (nf > l->n_cols)
      {
        const Field *extra = &g_array_index (r->fields, Field, l->n_cols);
        set_error_at (error, l->name, l->data, l->len, r->rec_line, r->rec_line_start, extra->pos,
                      "found %s fields; expected %s as in %s (line %s)", found, expected,
                      l->header ? "the header" : "the first row", line);
      }
    else
      set_error_at (error, l->name, l->data, l->len, r->rec_line, r->rec_line_start, last->end,
                    "found %s field%s; expected %s as in %s (line %s)", found, nf == 1 ? "" : "s", expected,
                    l->header ? "the header" : "the first row", line);
  }
  return FALSE;
}

/* A column that turned from numbers to text at switch_row gets the text of its earlier rows
 * from a second pass over the data, so levels keep their order of first appearance. */
static gboolean
rescan_switched (Loader  *l,
                 GError **error)
{
  gsize upto = 0;
  Reader r;
  gsize row = 0;
  gboolean ok = TRUE;
  g_autofree GHashTable **index = NULL;
  g_autofree GPtrArray **levels = NULL;

  for (guint j = 0; j < l->n_cols; j++)
    if (l->builders[j].categorical && !l->builders[j].revert)
      upto = MAX (upto, l->builders[j].switch_row);
  if (upto == 0)
    return TRUE;

  index = g_new0 (GHashTable *, l->n_cols);
  levels = g_new0 (GPtrArray *, l->n_cols);
  for (guint j = 0; j < l->n_cols; j++)
    if (l->builders[j].categorical && !l->builders[j].revert && l->builders[j].switch_row > 0)
      {
        index[j] = g_hash_table_new (g_str_hash, g_str_equal);
        levels[j] = g_ptr_array_new_with_free_func (g_free);
      }

  reader_init (&r, l->data, l->len, l->start, l->delim, l->name);
  if (l->header && read_record (&r, error) != RECORD_OK)
    ok = FALSE;
  while (ok && row < upto)
    {
      if (read_record (&r, error) != RECORD_OK)
        {
          ok = FALSE;
          break;
        }
      if (r.fields->len > l->n_cols)
        g_array_set_size (r.fields, l->n_cols);
      for (guint j = 0; j < l->n_cols; j++)
        {
          Builder *b = &l->builders[j];
          const Field *f;
          Builder tmp;

          if (index[j] == NULL || row >= b->switch_row)
            continue;
          f = &g_array_index (r.fields, Field, j);
          if (is_missing (field_text (&r, f), f->len))
            continue;
          tmp = (Builder) { .index = index[j], .levels = levels[j] };
          b->values[row] = builder_level (&tmp, l->key, field_text (&r, f), f->len);
        }
      row++;
      if (row % CHECK_EVERY == 0 && !cs_progress_check (l->progress, error))
        ok = FALSE;
    }
  reader_clear (&r);

  for (guint j = 0; j < l->n_cols; j++)
    {
      Builder *b = &l->builders[j];
      g_autofree guint *remap = NULL;

      if (index[j] == NULL)
        continue;
      if (ok)
        {
          Builder tmp = { .index = index[j], .levels = levels[j] };
          remap = g_new (guint, MAX (b->levels->len, 1));
          for (guint k = 0; k < b->levels->len; k++)
            {
              const char *text = g_ptr_array_index (b->levels, k);
              remap[k] = (guint) builder_level (&tmp, l->key, text, strlen (text));
            }
          for (gsize i = b->switch_row; i < l->n_rows; i++)
            if (!isnan (b->values[i]))
              b->values[i] = remap[(guint) b->values[i]];
          g_hash_table_unref (b->index);
          g_ptr_array_unref (b->levels);
          b->index = index[j];
          b->levels = levels[j];
        }
      else
        {
          g_hash_table_unref (index[j]);
          g_ptr_array_unref (levels[j]);
        }
    }
  if (!ok && error && *error == NULL)
    g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s: the file changed while it was read", l->name);
  return ok;
}

/* The final reading of each column, once all its cells have been counted. */
static void
settle_columns (Loader *l)
{
  for (guint j = 0; j < l->n_cols; j++)
    {
      Builder *b = &l->builders[j];
      gboolean numeric = keep_numeric (b, l->options->bad_cells);

      if (!numeric && !b->categorical)
        switch_to_text (b, l->n_rows);
      else if (numeric && b->categorical)
        b->revert = TRUE;
    }
}

/* Columns read as text that turned out to be numbers after all are read again as numbers,
 * their other cells missing. */
static gboolean
reread_numbers (Loader  *l,
                GError **error)
{
  gboolean any = FALSE;
  gboolean ok = TRUE;
  gsize row = 0;
  Reader r;

  for (guint j = 0; j < l->n_cols; j++)
    any |= l->builders[j].revert;
  if (!any)
    return TRUE;
  reader_init (&r, l->data, l->len, l->start, l->delim, l->name);
  if (l->header && read_record (&r, error) != RECORD_OK)
    ok = FALSE;
  while (ok && row < l->n_rows)
    {
      if (read_record (&r, error) != RECORD_OK)
        {
          ok = FALSE;
          break;
        }
      if (r.fields->len > l->n_cols)
        g_array_set_size (r.fields, l->n_cols);
      for (guint j = 0; j < l->n_cols && j < r.fields->len; j++)
        {
          Builder *b = &l->builders[j];
          const Field *f = &g_array_index (r.fields, Field, j);

          if (!b->revert)
            continue;
          if (!parse_number (field_text (&r, f), f->len, l->decimal, &b->values[row]))
            b->values[row] = NAN;
        }
      row++;
      if (row % CHECK_EVERY == 0 && !cs_progress_check (l->progress, error))
        ok = FALSE;
    }
  reader_clear (&r);
  for (guint j = 0; j < l->n_cols; j++)
    {
      Builder *b = &l->builders[j];

      if (!b->revert)
        continue;
      b->categorical = FALSE;
      b->revert = FALSE;
      g_clear_pointer (&b->index, g_hash_table_unref);
      g_clear_pointer (&b->levels, g_ptr_array_unref);
    }
  if (!ok && error && *error == NULL)
    g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s: the file changed while it was read", l->name);
  return ok;
}

static gboolean
parse_rows (Loader  *l,
            GError **error)
{
  Reader r;
  RecordStatus status;
  gsize released = 0;
  gsize since_check = 0;
  gboolean ok = FALSE;

  reader_init (&r, l->data, l->len, l->start, l->delim, l->name);

  status = read_record (&r, error);
  if (status == RECORD_ERROR)
    goto out;
  if (status == RECORD_END)
    {
      set_error_at (error, l->name, l->data, l->len, r.line, r.line_start, r.pos,
                    "found an empty file; expected a header row and rows of numbers");
      goto out;
    }
  l->header_line = r.rec_line;
  l->n_cols = r.fields->len;
  l->builders = g_new0 (Builder, l->n_cols);
  for (guint j = 0; j < l->n_cols; j++)
    {
      const Field *f = &g_array_index (r.fields, Field, j);
      if (l->header)
        l->builders[j].name = g_strstrip (g_strndup (field_text (&r, f), f->len));
      else
        l->builders[j].name = g_strdup ("");
    }

  /* Start with a capacity from the size of the first record, to rarely have to grow. */
  {
    gsize record_bytes = MAX (r.pos - l->start, (gsize) 2 * l->n_cols);
    guint64 guess = (l->len - l->start) / record_bytes + 16;
    /* No fixed floor: 1,024 rows of 100,000 columns would be 800 MB for a file of three lines. */
    guint64 cap = guess + guess / 8;
    if ((guint64) cap * l->n_cols * sizeof (double) > cs_memory_budget () / 2)
      cap = 64;
    l->capacity = cap;
    for (guint j = 0; j < l->n_cols; j++)
      {
        l->builders[j].values = g_try_new (double, l->capacity);
        if (l->builders[j].values == NULL)
          {
            g_set_error (error, CS_ERROR, CS_ERROR_TOO_LARGE, "Out of memory while loading %s", l->name);
            goto out;
          }
      }
  }

  if (!l->header)
    goto have_record;
  for (;;)
    {
      status = read_record (&r, error);
      if (status == RECORD_ERROR)
        goto out;
      if (status == RECORD_END)
        break;
    have_record:
      if (!check_width (l, &r, error))
        goto out;
      if (l->n_rows == l->capacity && !grow (l, error))
        goto out;
      for (guint j = 0; j < l->n_cols; j++)
        store_value (l, &l->builders[j], &r, &g_array_index (r.fields, Field, j));
      l->n_rows++;
      since_check += l->n_cols;
      if (l->n_rows % CHECK_EVERY == 0 || since_check >= CHECK_FIELDS)
        {
          since_check = 0;
          if (!cs_progress_check (l->progress, error))
            goto out;
          cs_progress_report (l->progress, (double) r.pos / l->len, "Reading data");
          release_pages (l, &released, r.pos);
        }
    }

  if (l->n_rows == 0)
    {
      set_error_at (error, l->name, l->data, l->len, r.line, r.line_start, r.pos,
                    "found only a header row; expected rows of data below it");
      goto out;
    }
  l->n_blank = r.n_blank_inside;
  settle_columns (l);
  ok = TRUE;

out:
  reader_clear (&r);
  return ok;
}

static char *
to_utf8 (const char *text)
{
  char *converted = g_convert (text, -1, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);

  if (converted == NULL)
    converted = g_convert (text, -1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
  if (converted == NULL)
    converted = g_utf8_make_valid (text, -1);
  return converted;
}

/* One decision per file: if any name or level is not UTF-8, the whole file is read as
 * Windows-1252 (what spreadsheets on Windows write). */
static void
fix_encoding (Loader    *l,
              CsDataset *ds)
{
  gboolean valid = TRUE;

  for (guint j = 0; j < l->n_cols && valid; j++)
    {
      Builder *b = &l->builders[j];
      valid &= g_utf8_validate (b->name, -1, NULL);
      for (guint k = 0; b->levels && k < b->levels->len && valid; k++)
        valid &= g_utf8_validate (g_ptr_array_index (b->levels, k), -1, NULL);
    }
  if (valid)
    return;
  for (guint j = 0; j < l->n_cols; j++)
    {
      Builder *b = &l->builders[j];
      char *name = to_utf8 (b->name);
      g_free (b->name);
      b->name = name;
      for (guint k = 0; b->levels && k < b->levels->len; k++)
        {
          char *level = to_utf8 (g_ptr_array_index (b->levels, k));
          g_free (b->levels->pdata[k]);
          b->levels->pdata[k] = level;
        }
    }
  g_ptr_array_add (ds->notices, g_strdup ("The file is not valid UTF-8; it was read as Windows-1252"));
}

/* Column names are compared as cs_dataset_find_column does, ignoring ASCII case. */
static guint
name_hash (gconstpointer key)
{
  guint h = 5381;

  for (const char *p = key; *p; p++)
    h = h * 33 + (guint) g_ascii_tolower (*p);
  return h;
}

static gboolean
name_equal (gconstpointer a,
            gconstpointer b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

/* Unique names in O(columns): a set of the names taken and, per name that repeats, the next
 * suffix to try, so 100,000 columns all called "a" become a, a_2, …, a_100000 without
 * trying each suffix from 2 again. */
static gboolean
unique_names (Loader  *l,
              char   **names,
              GError **error)
{
  g_autoptr (GHashTable) taken = g_hash_table_new (name_hash, name_equal);
  g_autoptr (GHashTable) next_suffix = g_hash_table_new_full (name_hash, name_equal, g_free, NULL);

  for (guint j = 0; j < l->n_cols; j++)
    {
      Builder *b = &l->builders[j];
      g_autofree char *base = b->name[0] ? g_strdup (b->name) : g_strdup_printf ("column %u", j + 1);
      char *name;

      if ((j & 4095) == 4095 && !cs_progress_check (l->progress, error))
        return FALSE;
      if (!g_hash_table_contains (taken, base))
        name = g_steal_pointer (&base);
      else
        {
          guint k = GPOINTER_TO_UINT (g_hash_table_lookup (next_suffix, base));

          for (k = MAX (k, 2);; k++)
            {
              name = g_strdup_printf ("%s_%u", base, k);
              if (!g_hash_table_contains (taken, name))
                break;
              g_free (name);
            }
          g_hash_table_replace (next_suffix, g_strdup (base), GUINT_TO_POINTER (k + 1));
        }
      names[j] = name;
      g_hash_table_add (taken, name);
    }
  return TRUE;
}

/* The notice and the structured record of a column of numbers with other cells. */
static void
report_bad_cells (Loader     *l,
                  CsDataset  *ds,
                  Builder    *b,
                  const char *name)
{
  CsBadCells *bad;
  g_autofree char *count = NULL;
  g_autofree char *cells = NULL;
  g_autofree char *where = NULL;
  g_autofree char *file = NULL;
  double v;
  char *end = NULL;
  const char *why = "is not a number";

  if (b->n_bad == 0 || b->n_numbers < b->n_bad)
    return;
  bad = g_new0 (CsBadCells, 1);
  bad->column = cs_format_excerpt (name, -1, CS_FORMAT_EXCERPT_CHARS);
  bad->n_bad = b->n_bad;
  bad->n_cells = b->n_numbers + b->n_bad;
  locate (l->data, l->len, b->text_line, b->text_line_start, b->text_pos, &bad->line, &bad->column_number);
  bad->excerpt = cs_format_excerpt (b->text_example, -1, CS_FORMAT_EXCERPT_CHARS);
  bad->as_text = b->categorical;
  g_ptr_array_add (ds->bad_cells, bad);

  /* Say why a cell that looks like a number is not one. */
  v = g_ascii_strtod (b->text_example, &end);
  if (end != b->text_example && *end == '\0' && isinf (v))
    why = g_ascii_isalpha (b->text_example[b->text_example[0] == '-' || b->text_example[0] == '+'])
              ? "is an infinity, not a value"
              : "is beyond the range of numbers (about ±1.8e308)";
  count = cs_format_count (bad->n_bad);
  cells = cs_format_count (bad->n_cells);
  file = cs_format_excerpt (l->name, -1, 4096);
  where = g_strdup_printf ("%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT, file, bad->line, bad->column_number);
  g_ptr_array_add (ds->notices,
                   g_strdup_printf ("Column ‘%s’ holds numbers, but %s of its %s cells %s not (the first, ‘%s’ at "
                                    "%s, %s); %s", bad->column, count, cells, bad->n_bad == 1 ? "is" : "are",
                                    bad->excerpt, where, why,
                                    bad->as_text ? "the column was read as text (reading those cells as missing "
                                                   "values is the other choice)"
                                                 : (bad->n_bad == 1 ? "it was read as a missing value (reading the "
                                                                      "column as text is the other choice)"
                                                                    : "they were read as missing values (reading "
                                                                      "the column as text is the other choice)")));
}

static CsDataset *
build_dataset (Loader  *l,
               GError **error)
{
  g_autoptr (CsDataset) ds = cs_dataset_new (l->name, l->n_rows);
  g_autofree char **names = g_new0 (char *, l->n_cols + 1);
  g_autofree gboolean *keep = g_new0 (gboolean, l->n_cols);
  gsize n_blank = l->n_blank;
  g_autofree int *from_builder = g_new0 (int, l->n_cols + 1);
  const char *label = l->options->label_column;
  int label_index = -1;

  ds->path = g_strdup (l->path);
  fix_encoding (l, ds);
  if (!unique_names (l, names, error))
    {
      for (guint j = 0; j < l->n_cols; j++)
        g_free (names[j]);
      return NULL;
    }

  for (guint j = 0; j < l->n_cols; j++)
    {
      Builder *b = &l->builders[j];

      keep[j] = b->n_missing < l->n_rows;
      if (keep[j])
        continue;
      if (j == l->n_cols - 1 && b->name[0] == '\0' && l->n_cols > 1)
        g_ptr_array_add (ds->notices,
                         g_strdup ("Every row ended with a delimiter; the empty last column has been dropped"));
      else
        {
          g_autofree char *shown = cs_format_excerpt (names[j], -1, CS_FORMAT_EXCERPT_CHARS);
          g_ptr_array_add (ds->notices, g_strdup_printf ("Column ‘%s’ was empty and has been dropped", shown));
        }
    }
  for (guint j = 0; j < l->n_cols; j++)
    if (keep[j])
      report_bad_cells (l, ds, &l->builders[j], names[j]);
  if (l->n_extra_delim > 0)
    {
      g_autofree char *count = cs_format_count (l->n_extra_delim);
      g_ptr_array_add (ds->notices, g_strdup_printf ("%s row%s ended with an extra delimiter; the empty field was "
                                                     "ignored", count, l->n_extra_delim == 1 ? "" : "s"));
    }
  if (n_blank > 0)
    {
      g_autofree char *count = cs_format_count (n_blank);
      g_ptr_array_add (ds->notices, g_strdup_printf ("%s blank line%s between rows %s skipped", count,
                                                     n_blank == 1 ? "" : "s", n_blank == 1 ? "was" : "were"));
    }

  for (guint j = 0; j < l->n_cols; j++)
    {
      Builder *b = &l->builders[j];
      CsColumn *col;

      if (!keep[j])
        continue;
      col = g_new0 (CsColumn, 1);
      col->name = g_steal_pointer (&names[j]);
      col->kind = b->categorical ? CS_COLUMN_CATEGORICAL : CS_COLUMN_NUMERIC;
      col->values = g_realloc_n (g_steal_pointer (&b->values), MAX (l->n_rows, 1), sizeof (double));
      /* Cells that are not numbers in a column of numbers are missing values. */
      col->n_missing = b->n_missing + (b->categorical ? 0 : b->n_bad);
      if (b->categorical)
        {
          col->levels = g_steal_pointer (&b->levels);
          g_clear_pointer (&b->index, g_hash_table_unref);
        }
      from_builder[ds->columns->len] = j;
      g_ptr_array_add (ds->columns, col);
    }
  for (guint j = 0; j < l->n_cols; j++)
    g_free (names[j]);

  if (label == NULL)
    {
      static const char *const usual[] = { "label", "class", "species", "target" };
      for (guint i = 0; i < G_N_ELEMENTS (usual) && label_index < 0; i++)
        label_index = cs_dataset_find_column (ds, usual[i]);
    }
  else if (label[0] != '\0')
    {
      label_index = cs_dataset_find_column (ds, label);
      if (label_index < 0)
        {
          g_autofree char *file = cs_format_excerpt (l->name, -1, 4096);
          g_autofree char *shown = cs_format_excerpt (label, -1, CS_FORMAT_EXCERPT_CHARS);
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "%s has no column called ‘%s’; choose one of its columns as the label, or none", file, shown);
          return NULL;
        }
    }
  ds->label_column = label_index;

  {
    gboolean any_numeric = FALSE;
    for (guint j = 0; j < ds->columns->len; j++)
      if ((int) j != label_index && cs_dataset_column (ds, j)->kind == CS_COLUMN_NUMERIC)
        any_numeric = TRUE;
    if (!any_numeric)
      {
        g_autoptr (GString) found = g_string_new (NULL);
        const Builder *first = NULL;
        guint shown = 0;

        for (guint c = 0; c < ds->columns->len; c++)
          {
            const Builder *b = &l->builders[from_builder[c]];
            if ((int) c == label_index || !b->categorical || b->text_example == NULL)
              continue;
            if (first == NULL)
              first = b;
            if (shown++ < 3)
              {
                g_autofree char *example = cs_format_excerpt (b->text_example, -1, CS_FORMAT_EXCERPT_CHARS);
                g_autofree char *column = cs_format_excerpt (cs_dataset_column (ds, c)->name, -1,
                                                             CS_FORMAT_EXCERPT_CHARS);
                g_string_append_printf (found, "%s‘%s’: “%s”", found->len ? ", " : "", column, example);
              }
          }
        if (first)
          set_error_at (error, l->name, l->data, l->len, first->text_line, first->text_line_start, first->text_pos,
                        "found only text columns (%s); expected at least one column of numbers besides "
                        "the label", found->str);
        else
          g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                       "%s:1:1: found no column of numbers besides the label; expected at least one", l->name);
        return NULL;
      }
  }
  cs_dataset_guess_image_shape (ds);
  return g_steal_pointer (&ds);
}

/* Binary data: a NUL byte near the start, or mostly control characters. */
static gboolean
check_text (const Loader *l,
            GError      **error)
{
  gsize window = MIN (l->len, l->start + SNIFF_BYTES);
  gsize control = 0;
  const char *nul = memchr (l->data + l->start, '\0', window - l->start);

  if (nul)
    {
      gsize pos = nul - l->data;
      gsize line = 1;
      gsize line_start = l->start;

      for (gsize i = l->start; i < pos; i++)
        if (l->data[i] == '\n')
          {
            line++;
            line_start = i + 1;
          }
      set_error_at (error, l->name, l->data, l->len, line, line_start, pos,
                    "found a NUL byte (is this a binary file?); expected text");
      return FALSE;
    }
  for (gsize i = l->start; i < window; i++)
    {
      guint8 c = l->data[i];
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v')
        control++;
    }
  if (window > l->start && control * 10 > window - l->start)
    {
      g_autofree char *n_control = cs_format_count (control);
      g_autofree char *n_bytes = cs_format_count (window - l->start);
      set_error_at (error, l->name, l->data, l->len, 1, l->start, l->start,
                    "found binary data (%s control bytes in the first %s); expected text", n_control, n_bytes);
      return FALSE;
    }
  return TRUE;
}

static CsDataset *
load (const char         *data,
      gsize               length,
      const char         *name,
      const char         *path,
      gboolean            mapped,
      const CsCsvOptions *options,
      CsProgress         *progress,
      GError            **error)
{
  CsCsvOptions defaults;
  Loader l = { 0 };
  CsDataset *ds = NULL;

  if (options == NULL)
    {
      cs_csv_options_init (&defaults);
      options = &defaults;
    }
  if (data == NULL)
    length = 0;
  l.data = data ? data : "";
  l.len = length;
  l.name = name;
  l.path = path;
  l.options = options;
  l.progress = progress;
  l.mapped = mapped;
  l.key = g_string_new (NULL);
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    l.start = 3;

  if (!cs_progress_check (progress, error))
    goto out;
  if (!check_text (&l, error))
    goto out;
  l.delim = options->delimiter ? options->delimiter : sniff_delimiter (&l);
  l.decimal = options->decimal;
  sniff_header_and_decimal (&l);
  if (!parse_rows (&l, error))
    goto out;
  if (!rescan_switched (&l, error))
    goto out;
  if (!reread_numbers (&l, error))
    goto out;
  ds = build_dataset (&l, error);
  if (ds)
    cs_progress_report (progress, 1.0, "Reading data");

out:
  loader_clear (&l);
  return ds;
}

void
cs_csv_options_init (CsCsvOptions *options)
{
  g_return_if_fail (options != NULL);

  options->delimiter = 0;
  options->decimal = 0;
  options->header = -1;
  options->label_column = NULL;
  options->bad_cells = CS_CSV_BAD_CELLS_AUTO;
}

static const char *const bad_cells_ids[] = {
  [CS_CSV_BAD_CELLS_AUTO] = "auto",
  [CS_CSV_BAD_CELLS_MISSING] = "missing",
  [CS_CSV_BAD_CELLS_TEXT] = "text",
};

const char *
cs_csv_bad_cells_id (CsCsvBadCells policy)
{
  g_return_val_if_fail ((guint) policy < G_N_ELEMENTS (bad_cells_ids), NULL);
  return bad_cells_ids[policy];
}

gboolean
cs_csv_bad_cells_from_id (const char    *id,
                          CsCsvBadCells *policy)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (bad_cells_ids); i++)
    if (g_ascii_strcasecmp (id, bad_cells_ids[i]) == 0)
      {
        if (policy)
          *policy = (CsCsvBadCells) i;
        return TRUE;
      }
  return FALSE;
}

CsDataset *
cs_dataset_load_csv_data (const char         *data,
                          gsize               length,
                          const char         *name,
                          const CsCsvOptions *options,
                          CsProgress         *progress,
                          GError            **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load (data, length, name ? name : "data", NULL, FALSE, options, progress, error);
}

CsDataset *
cs_dataset_load_csv (const char         *path,
                     const CsCsvOptions *options,
                     CsProgress         *progress,
                     GError            **error)
{
  g_autoptr (CsInput) file = NULL;
  g_autofree char *base = NULL;
  CsDataset *ds;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A stream is held whole while it is parsed, so it gets half the budget. */
  file = cs_input_load (path, "expected a CSV or TSV file", cs_memory_budget () / 2, progress, error);
  if (file == NULL)
    return NULL;
  ds = load (file->data, file->length, path, path, file->mapped, options, progress, error);
  if (ds)
    {
      base = g_path_get_basename (path);
      g_free (ds->name);
      ds->name = g_steal_pointer (&base);
    }
  return ds;
}
