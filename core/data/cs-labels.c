#include "core/data/cs-labels.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-matrix.h"
#include "core/data/cs-input.h"

#include <math.h>
#include <string.h>

/* The label reader is its own small parser, not the dataset loader: a label file may hold
 * only text (one class name per line), which is not a dataset, and its header is decided by
 * what the caller knows (the number of rows), not by sniffing types. */

typedef struct
{
  char *text;   /* Owned: unquoted, surrounding blanks trimmed */
  guint column; /* 1-based character column where the field starts */
} Field;

static void
field_clear (gpointer p)
{
  g_free (((Field *) p)->text);
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* Splits one line (no terminator) at `delim` (0: a single field), honouring double quotes. */
static gboolean
split_line (const char *name,
            gsize       line_no,
            const char *line,
            gsize       len,
            char        delim,
            GArray     *fields,
            GError    **error)
{
  const char *end = line + len;
  const char *p = line;

  g_array_set_size (fields, 0);
  for (;;)
    {
      Field f = { NULL, 0 };
      g_autoptr (GString) s = g_string_new (NULL);

      while (p < end && is_blank (*p) && *p != delim)
        p++;
      f.column = (guint) g_utf8_pointer_to_offset (line, p) + 1;
      if (p < end && *p == '"')
        {
          p++;
          for (;;)
            {
              if (p >= end)
                {
                  g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                               "%s:%" G_GSIZE_FORMAT ":%u: a quoted field is not closed on its line", name, line_no,
                               f.column);
                  return FALSE;
                }
              if (*p == '"' && p + 1 < end && p[1] == '"')
                {
                  g_string_append_c (s, '"');
                  p += 2;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (s, *p++);
            }
          while (p < end && is_blank (*p) && *p != delim)
            p++;
          if (p < end && *p != delim)
            {
              g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                           "%s:%" G_GSIZE_FORMAT ":%u: text after a closing quote; expected a separator or the end "
                           "of the line", name, line_no, (guint) g_utf8_pointer_to_offset (line, p) + 1);
              return FALSE;
            }
        }
      else
        {
          const char *start = p;
          const char *stop;

          while (p < end && (delim == 0 || *p != delim))
            p++;
          stop = p;
          while (stop > start && is_blank (stop[-1]))
            stop--;
          g_string_append_len (s, start, stop - start);
        }
      f.text = g_string_free (g_steal_pointer (&s), FALSE);
      g_array_append_val (fields, f);
      if (p >= end)
        return TRUE;
      p++; /* the delimiter */
    }
}

/* A finite number and nothing else ("nan" and "inf" are names here). */
static gboolean
parse_number (const char *text,
              double     *value)
{
  char *end = NULL;
  double v;

  if (*text == '\0')
    return FALSE;
  v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (v))
    return FALSE;
  *value = v;
  return TRUE;
}

static char
sniff_delimiter (const char *line,
                 gsize       len)
{
  static const char candidates[] = { ',', ';', '\t' };
  gsize best_count = 0;
  char best = 0;

  for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      gsize count = 0;
      for (gsize i = 0; i < len; i++)
        count += line[i] == candidates[c];
      if (count > best_count)
        {
          best_count = count;
          best = candidates[c];
        }
    }
  return best;
}

static gboolean
names_a_column (const char *text)
{
  return g_ascii_strcasecmp (text, "row") == 0 || g_ascii_strcasecmp (text, "label") == 0
         || g_ascii_strcasecmp (text, "cluster") == 0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static int
compare_collated (gconstpointer a,
                  gconstpointer b)
{
  int c = g_utf8_collate (*(char *const *) a, *(char *const *) b);

  /* Distinct texts that collate alike still need a fixed order. */
  return c != 0 ? c : strcmp (*(char *const *) a, *(char *const *) b);
}

typedef struct
{
  const char *start;
  gsize       len;
} LineSpan;

gboolean
cs_labels_load_csv_data (const char *data,
                         gsize       length,
                         const char *name,
                         gsize       n_rows,
                         int       **labels,
                         guint      *k,
                         char     ***names,
                         GError    **error)
{
  g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (LineSpan));
  g_autoptr (GArray) fields = g_array_new (FALSE, FALSE, sizeof (Field));
  g_autoptr (GPtrArray) label_text = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) label_column = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr (GPtrArray) level_names = g_ptr_array_new_with_free_func (g_free);
  g_autofree int *out = NULL;
  g_autofree int *cluster_of = NULL;
  g_autofree gsize *seen = NULL;
  const char *p = data;
  const char *end = data + length;
  gboolean header = FALSE;
  gboolean text_mode = FALSE;
  int row_col = -1;
  int lab_col = -1;
  guint n_cols;
  char delim;
  gsize first_data;
  gsize n_data;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (name != NULL && labels != NULL && k != NULL, FALSE);

  g_array_set_clear_func (fields, field_clear);
  if (length >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      LineSpan s = { p, (nl ? nl : end) - p };
      const char *bad = NULL;

      if (s.len > 0 && s.start[s.len - 1] == '\r')
        s.len--;
      if (!g_utf8_validate_len (s.start, s.len, &bad))
        {
          g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s:%u:%ld: not UTF-8 text (a label file is text, one label "
                       "per line)", name, spans->len + 1, g_utf8_pointer_to_offset (s.start, bad) + 1);
          return FALSE;
        }
      g_array_append_val (spans, s);
      p = nl ? nl + 1 : end;
    }
  while (spans->len > 0 && g_array_index (spans, LineSpan, spans->len - 1).len == 0)
    g_array_set_size (spans, spans->len - 1);
  if (spans->len == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s: an empty file; expected one label per row", name);
      return FALSE;
    }

  /* The first line decides the separator and, with what the caller knows, the header. */
  {
    const LineSpan *l0 = &g_array_index (spans, LineSpan, 0);
    gboolean named = FALSE;
    gboolean all_text = TRUE;
    double v;

    delim = sniff_delimiter (l0->start, l0->len);
    if (!split_line (name, 1, l0->start, l0->len, delim, fields, error))
      return FALSE;
    n_cols = fields->len;
    for (guint c = 0; c < n_cols; c++)
      {
        const char *t = g_array_index (fields, Field, c).text;
        named |= names_a_column (t);
        all_text &= *t != '\0' && !parse_number (t, &v);
      }
    if (named)
      header = TRUE;
    else if (n_cols == 1)
      {
        if (spans->len == n_rows + 1)
          header = TRUE;
        else if (spans->len != n_rows && all_text && spans->len > 1)
          {
            /* Text above a number: a header over numeric labels. */
            const LineSpan *l1 = &g_array_index (spans, LineSpan, 1);
            g_autoptr (GArray) second = g_array_new (FALSE, FALSE, sizeof (Field));

            g_array_set_clear_func (second, field_clear);
            if (split_line (name, 2, l1->start, l1->len, delim, second, NULL) && second->len == 1)
              header = parse_number (g_array_index (second, Field, 0).text, &v);
          }
      }
    else
      header = TRUE;

    if (header)
      for (guint c = 0; c < n_cols; c++)
        {
          const char *t = g_array_index (fields, Field, c).text;
          if (row_col < 0 && g_ascii_strcasecmp (t, "row") == 0)
            row_col = (int) c;
          else if (lab_col < 0 && (g_ascii_strcasecmp (t, "label") == 0 || g_ascii_strcasecmp (t, "cluster") == 0))
            lab_col = (int) c;
        }
    if (lab_col < 0 && n_cols == (row_col >= 0 ? 2u : 1u))
      lab_col = row_col == 0 ? 1 : 0;
    if (lab_col < 0)
      {
        g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                     "%s:1: no label column: expected a header naming ‘label’ (or ‘cluster’) and optionally ‘row’, "
                     "or a single column with one label per row", name);
        return FALSE;
      }
  }

  first_data = header ? 1 : 0;
  n_data = spans->len - first_data;
  if (row_col < 0 && n_data != n_rows)
    {
      g_autofree char *a = cs_format_count (n_data);
      g_autofree char *b = cs_format_count (n_rows);

      g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                   "%s: %s labels for a dataset of %s rows%s (add a ‘row’ column to label some rows only)", name, a,
                   b, header ? " below the header line" : "");
      return FALSE;
    }

  for (gsize i = first_data; i < spans->len; i++)
    {
      const LineSpan *l = &g_array_index (spans, LineSpan, i);
      const Field *lf;
      double v;

      if (!split_line (name, i + 1, l->start, l->len, delim, fields, error))
        return FALSE;
      if (fields->len != n_cols)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                       "%s:%" G_GSIZE_FORMAT ":1: %u fields where the first line has %u", name, i + 1, fields->len,
                       n_cols);
          return FALSE;
        }
      if (row_col >= 0)
        {
          const Field *rf = &g_array_index (fields, Field, row_col);
          gsize r;

          if (!parse_number (rf->text, &v) || !(v >= 0 && v < (double) n_rows && v == floor (v)))
            {
              g_autofree char *shown = cs_format_excerpt (rf->text, -1, CS_FORMAT_EXCERPT_CHARS);
              g_autofree char *last = n_rows > 0 ? cs_format_count (n_rows - 1) : g_strdup ("none");

              g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                           "%s:%" G_GSIZE_FORMAT ":%u: row ‘%s’ is not a row of the dataset (0 to %s)", name, i + 1,
                           rf->column, shown, last);
              return FALSE;
            }
          r = (gsize) v;
          if (seen == NULL)
            seen = g_new0 (gsize, MAX (n_rows, 1));
          if (seen[r] != 0)
            {
              g_autofree char *a = cs_format_count (r);

              g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                           "%s:%" G_GSIZE_FORMAT ":%u: row %s is labelled twice (first on line %" G_GSIZE_FORMAT ")",
                           name, i + 1, rf->column, a, seen[r]);
              return FALSE;
            }
          seen[r] = i + 1;
          g_array_append_val (rows, r);
        }
      lf = &g_array_index (fields, Field, lab_col);
      if (*lf->text != '\0' && !parse_number (lf->text, &v))
        text_mode = TRUE;
      g_ptr_array_add (label_text, g_strdup (lf->text));
      g_array_append_val (label_column, lf->column);
    }

  /* Each data line's cluster: -1 for noise, else the index of its level. */
  cluster_of = g_new (int, MAX (n_data, 1));
  if (!text_mode)
    {
      g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree double *value_of = g_new (double, MAX (n_data, 1));
      guint n_levels = 0;

      for (gsize i = 0; i < n_data; i++)
        {
          const char *t = g_ptr_array_index (label_text, i);
          double v = -1;

          if (*t != '\0')
            parse_number (t, &v);
          value_of[i] = v;
          if (v < 0)
            continue;
          if (v != floor (v) || v > G_MAXINT)
            {
              g_autofree char *shown = cs_format_excerpt (t, -1, CS_FORMAT_EXCERPT_CHARS);
              g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s:%" G_GSIZE_FORMAT ":%u: label %s is not a whole "
                           "number (labels are whole numbers or names)", name, first_data + i + 1,
                           g_array_index (label_column, guint, i), shown);
              return FALSE;
            }
          g_array_append_val (values, v);
        }
      g_array_sort (values, compare_doubles);
      for (guint i = 0; i < values->len; i++)
        if (i == 0 || g_array_index (values, double, i) != g_array_index (values, double, i - 1))
          {
            g_array_index (values, double, n_levels++) = g_array_index (values, double, i);
            g_ptr_array_add (level_names, g_strdup_printf ("%.0f", g_array_index (values, double, i)));
          }
      for (gsize i = 0; i < n_data; i++)
        {
          guint lo = 0;
          guint hi = n_levels;

          if (value_of[i] < 0)
            {
              cluster_of[i] = -1;
              continue;
            }
          while (hi - lo > 1)
            {
              guint mid = (lo + hi) / 2;
              if (g_array_index (values, double, mid) <= value_of[i])
                lo = mid;
              else
                hi = mid;
            }
          cluster_of[i] = (int) lo;
        }
    }
  else
    {
      g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr (GPtrArray) sorted = g_ptr_array_new ();

      for (gsize i = 0; i < n_data; i++)
        {
          const char *t = g_ptr_array_index (label_text, i);
          double v;

          if (*t == '\0' || (parse_number (t, &v) && v < 0))
            continue;
          if (!g_hash_table_contains (index, t))
            {
              g_hash_table_insert (index, (gpointer) t, NULL);
              g_ptr_array_add (sorted, (gpointer) t);
            }
        }
      g_ptr_array_sort (sorted, compare_collated);
      for (guint l = 0; l < sorted->len; l++)
        {
          g_hash_table_insert (index, g_ptr_array_index (sorted, l), GUINT_TO_POINTER (l));
          g_ptr_array_add (level_names, g_strdup (g_ptr_array_index (sorted, l)));
        }
      for (gsize i = 0; i < n_data; i++)
        {
          const char *t = g_ptr_array_index (label_text, i);
          gpointer l;

          cluster_of[i] = g_hash_table_lookup_extended (index, t, NULL, &l) ? (int) GPOINTER_TO_UINT (l) : -1;
        }
    }
  if (level_names->len == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s: no labels (every row is empty or noise)", name);
      return FALSE;
    }

  out = g_new (int, MAX (n_rows, 1));
  for (gsize i = 0; i < n_rows; i++)
    out[i] = -1;
  for (gsize i = 0; i < n_data; i++)
    out[row_col >= 0 ? g_array_index (rows, gsize, i) : i] = cluster_of[i];

  *labels = g_steal_pointer (&out);
  *k = level_names->len;
  if (names != NULL)
    {
      g_ptr_array_add (level_names, NULL);
      *names = (char **) g_ptr_array_free (g_steal_pointer (&level_names), FALSE);
    }
  return TRUE;
}

gboolean
cs_labels_load_csv (const char *path,
                    gsize       n_rows,
                    int       **labels,
                    guint      *k,
                    char     ***names,
                    GError    **error)
{
  g_autoptr (CsInput) input = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  /* The shared input reader: pipes as streams, a FIFO without a writer or a device refused. */
  input = cs_input_load (path, "expected a label file (row,label, or one label per line)", cs_memory_budget () / 4,
                         NULL, error);
  if (input == NULL)
    return FALSE;
  return cs_labels_load_csv_data (input->data, input->length, path, n_rows, labels, k, names, error);
}
