/* Chunked CSV reading over the ordinary parser. The parser works on a whole buffer and sniffs
 * the delimiter, decimal mark and header from it; a chunk after the first might sniff
 * differently, so the first chunk's sniffed reading is pinned down as explicit options (the
 * candidate that parses the first chunk to the same table) and every later chunk is parsed with
 * them, behind a copy of the header line. */
#include "core/data/cs-csv-stream.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"

struct _CsCsvStream
{
  char        *path;
  FILE        *f;
  CsCsvOptions opt;         /* the pinned options: delimiter, decimal and header explicit */
  char        *label_column; /* Owned copy behind opt.label_column */
  gsize        chunk_bytes;
  GString     *carry;       /* bytes read but not yet returned in a chunk */
  gboolean     eof;
  char        *header;      /* Owned: the header line with its newline, or NULL */
  gsize        line;        /* file line of the next chunk's first line, 1-based */
  gsize        row;         /* rows returned so far in this pass */
  gboolean     at_start;    /* the next chunk is the first of a pass */
  CsDataset   *schema;      /* Owned: the first chunk as first read */
};

static gboolean
read_more (CsCsvStream *s, gsize want, GError **error)
{
  gsize old = s->carry->len;
  gsize got;

  if (s->eof)
    return TRUE;
  g_string_set_size (s->carry, old + want);
  got = fread (s->carry->str + old, 1, want, s->f);
  g_string_set_size (s->carry, old + got);
  if (got < want)
    {
      if (ferror (s->f))
        {
          int saved = errno;
          g_set_error (error, CS_ERROR, CS_ERROR_IO, "Could not read %s: %s", s->path, g_strerror (saved));
          return FALSE;
        }
      s->eof = TRUE;
    }
  return TRUE;
}

/* Bytes of carry that make whole records: up to and including the last newline outside
 * quotes, or everything at the end of the file; 0 when more must be read first. */
static gsize
whole_records (const CsCsvStream *s)
{
  gboolean inq = FALSE;
  gsize    cut = 0;

  for (gsize i = 0; i < s->carry->len; i++)
    {
      char c = s->carry->str[i];
      if (c == '"')
        inq = !inq;
      else if (c == '\n' && !inq)
        cut = i + 1;
    }
  return s->eof ? s->carry->len : cut;
}

/* The next run of whole records (at least chunk_bytes unless the file ends), removed from carry. */
static gboolean
next_text (CsCsvStream *s, GString **out, GError **error)
{
  gsize cut;

  *out = NULL;
  for (;;)
    {
      if (s->carry->len < s->chunk_bytes && !s->eof)
        {
          if (!read_more (s, s->chunk_bytes - s->carry->len, error))
            return FALSE;
          continue;
        }
      cut = whole_records (s);
      if (cut > 0 || s->eof)
        break;
      /* One record longer than a chunk: read on. */
      if (!read_more (s, MAX (s->chunk_bytes, (gsize) 65536), error))
        return FALSE;
    }
  if (cut == 0)
    return TRUE;
  *out = g_string_new_len (s->carry->str, (gssize) cut);
  g_string_erase (s->carry, 0, (gssize) cut);
  return TRUE;
}

static gsize
count_lines (const char *p, gsize n)
{
  gsize lines = 0;

  for (gsize i = 0; i < n; i++)
    lines += p[i] == '\n';
  return lines;
}

/* "PATH:LINE:…" with LINE counted in the chunk's text, rewritten to the line in the file. */
static void
shift_line (GError *error, const char *path, gssize offset)
{
  gsize plen = strlen (path);
  char *end = NULL;
  guint64 line;

  if (error == NULL || strncmp (error->message, path, plen) != 0 || error->message[plen] != ':')
    return;
  line = g_ascii_strtoull (error->message + plen + 1, &end, 10);
  if (end == error->message + plen + 1 || *end != ':')
    return;
  {
    char *msg = g_strdup_printf ("%s:%" G_GUINT64_FORMAT "%s", path, (guint64) ((gint64) line + offset), end);
    g_free (error->message);
    error->message = msg;
  }
}

static gboolean
same_table (const CsDataset *a, const CsDataset *b)
{
  if (a->n_rows != b->n_rows || a->columns->len != b->columns->len || a->label_column != b->label_column)
    return FALSE;
  for (guint j = 0; j < a->columns->len; j++)
    {
      const CsColumn *ca = cs_dataset_column (a, j);
      const CsColumn *cb = cs_dataset_column (b, j);
      if (strcmp (ca->name, cb->name) != 0 || ca->kind != cb->kind
          || memcmp (ca->values, cb->values, a->n_rows * sizeof (double)) != 0)
        return FALSE;
    }
  return TRUE;
}

/* The explicit delimiter, decimal mark and header under which the first chunk reads as the
 * sniffing reader read it. */
static gboolean
pin_options (CsCsvStream *s, const GString *text, GError **error)
{
  const char delims[] = { ',', ';', '\t', ' ', '|' };
  const char decimals[] = { '.', ',' };
  const int  headers[] = { 1, 0 };
  g_autoptr (CsDataset) sniffed = NULL;
  gsize      len = text->len;

  /* Up to 20 candidates are tried: on the first 64 KiB of whole records, not the whole chunk. */
  if (len > 65536)
    {
      gboolean inq = FALSE;
      gsize    cut = 0;
      for (gsize i = 0; i < 65536; i++)
        if (text->str[i] == '"')
          inq = !inq;
        else if (text->str[i] == '\n' && !inq)
          cut = i + 1;
      if (cut > 0)
        len = cut;
    }
  sniffed = len == text->len ? cs_dataset_ref (s->schema)
                             : cs_dataset_load_csv_data (text->str, len, s->path, &s->opt, NULL, NULL);

  for (guint a = 0; a < G_N_ELEMENTS (delims); a++)
    for (guint b = 0; b < G_N_ELEMENTS (decimals); b++)
      for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
        {
          CsCsvOptions o = s->opt;
          g_autoptr (CsDataset) ds = NULL;

          if ((s->opt.delimiter && s->opt.delimiter != delims[a]) || (s->opt.decimal && s->opt.decimal != decimals[b])
              || (s->opt.header >= 0 && s->opt.header != headers[c]))
            continue;
          o.delimiter = delims[a];
          o.decimal = decimals[b];
          o.header = headers[c];
          ds = cs_dataset_load_csv_data (text->str, len, s->path, &o, NULL, NULL);
          if (ds != NULL && sniffed != NULL && same_table (ds, sniffed))
            {
              s->opt = o;
              return TRUE;
            }
        }
  g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
               "%s: the delimiter, decimal mark and header of its first part could not be settled for reading it "
               "in parts; load it whole instead", s->path);
  return FALSE;
}

CsCsvStream *
cs_csv_stream_open (const char         *path,
                    const CsCsvOptions *options,
                    gsize               chunk_bytes,
                    GError            **error)
{
  g_autoptr (CsCsvStream) s = g_new0 (CsCsvStream, 1);
  g_autoptr (GString) text = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  s->path = g_strdup (path);
  s->chunk_bytes = MAX (chunk_bytes, (gsize) 4096);
  s->carry = g_string_new (NULL);
  if (options)
    s->opt = *options;
  else
    cs_csv_options_init (&s->opt);
  s->label_column = g_strdup (s->opt.label_column);
  s->opt.label_column = s->label_column;
  s->f = fopen (path, "rb");
  if (s->f == NULL)
    {
      int saved = errno;
      g_set_error (error, CS_ERROR, CS_ERROR_IO, "Could not open %s: %s", path, g_strerror (saved));
      return NULL;
    }
  if (!next_text (s, &text, error))
    return NULL;
  if (text == NULL)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s is empty", path);
      return NULL;
    }
  s->schema = cs_dataset_load_csv_data (text->str, text->len, path, &s->opt, NULL, error);
  if (s->schema == NULL)
    return NULL;
  if (!pin_options (s, text, error))
    return NULL;
  if (s->opt.header == 1)
    {
      const char *nl = memchr (text->str, '\n', text->len);
      gsize       len = nl ? (gsize) (nl - text->str) + 1 : text->len;
      s->header = g_strndup (text->str, len);
      if (nl == NULL)
        {
          char *with = g_strconcat (s->header, "\n", NULL);
          g_free (s->header);
          s->header = with;
        }
    }
  if (!cs_csv_stream_rewind (s, error))
    return NULL;
  return g_steal_pointer (&s);
}

void
cs_csv_stream_free (CsCsvStream *s)
{
  if (s == NULL)
    return;
  if (s->f)
    fclose (s->f);
  if (s->carry)
    g_string_free (s->carry, TRUE);
  if (s->schema)
    cs_dataset_unref (s->schema);
  g_free (s->header);
  g_free (s->label_column);
  g_free (s->path);
  g_free (s);
}

gboolean
cs_csv_stream_rewind (CsCsvStream *s,
                      GError     **error)
{
  if (fseek (s->f, 0, SEEK_SET) != 0)
    {
      int saved = errno;
      g_set_error (error, CS_ERROR, CS_ERROR_IO, "Could not read %s again from its start: %s", s->path,
                   g_strerror (saved));
      return FALSE;
    }
  clearerr (s->f);
  g_string_truncate (s->carry, 0);
  s->eof = FALSE;
  s->line = 1;
  s->row = 0;
  s->at_start = TRUE;
  return TRUE;
}

const CsDataset *
cs_csv_stream_schema (const CsCsvStream *s)
{
  return s->schema;
}

/* Same columns as the first chunk, in the same order and of the same kind. */
static gboolean
check_columns (const CsCsvStream *s, const CsDataset *ds, gsize line, GError **error)
{
  gboolean ok = ds->columns->len == s->schema->columns->len;

  for (guint j = 0; ok && j < ds->columns->len; j++)
    {
      const CsColumn *a = cs_dataset_column (ds, j);
      const CsColumn *b = cs_dataset_column (s->schema, j);
      if (strcmp (a->name, b->name) != 0)
        ok = FALSE;
      else if (a->kind != b->kind)
        {
          g_autofree char *name = cs_format_excerpt (a->name, -1, CS_FORMAT_EXCERPT_CHARS);
          g_autofree char *from = cs_format_count (line);
          g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                       "%s: column ‘%s’ holds numbers in the file’s first part but text from line %s on; a file "
                       "read in parts must keep each column’s kind (--bad-cells missing reads such cells as "
                       "missing values)", s->path, name, from);
          return FALSE;
        }
    }
  if (!ok)
    {
      g_autofree char *from = cs_format_count (line);
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                   "%s: the part from line %s on has other columns than the first part (an empty column is "
                   "dropped when read alone); load the file whole instead", s->path, from);
    }
  return ok;
}

CsDataset *
cs_csv_stream_next (CsCsvStream *s,
                    gsize       *first_row,
                    GError     **error)
{
  g_autoptr (GString) text = NULL;
  g_autoptr (CsDataset) ds = NULL;
  GError *local = NULL;
  gboolean first = s->at_start;
  gssize   offset;
  gsize    lines;
  gsize    start_line = s->line;

  if (!next_text (s, &text, error))
    return NULL;
  if (text == NULL)
    return NULL;
  lines = count_lines (text->str, text->len);
  s->at_start = FALSE;
  /* Later chunks are parsed behind the header line, so their line 2 is the chunk's first. */
  if (!first && s->header != NULL)
    {
      g_string_prepend (text, s->header);
      offset = (gssize) s->line - 2;
    }
  else
    offset = (gssize) s->line - 1;
  s->line += lines;
  if (first && s->header != NULL && lines <= 1)
    return NULL; /* a header alone */
  ds = cs_dataset_load_csv_data (text->str, text->len, s->path, &s->opt, NULL, &local);
  if (ds == NULL)
    {
      shift_line (local, s->path, offset);
      g_propagate_error (error, local);
      return NULL;
    }
  if (!check_columns (s, ds, start_line, error))
    return NULL;
  if (first_row)
    *first_row = s->row;
  s->row += ds->n_rows;
  return g_steal_pointer (&ds);
}
