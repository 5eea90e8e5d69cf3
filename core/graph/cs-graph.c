#include "core/graph/cs-graph.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-rng.h"
#include "core/data/cs-input.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The edge-list reader is its own small parser rather than the dataset loader: an edge list is
 * not a table of typed columns (ids are text even when they look like numbers, a weight column
 * may be absent), and every refusal must point at the line and column of the edge. */

#define MAX_NODES G_MAXUINT32

CsGraph *
cs_graph_ref (CsGraph *g)
{
  g_atomic_ref_count_inc (&g->ref);
  return g;
}

void
cs_graph_unref (CsGraph *g)
{
  if (g == NULL || !g_atomic_ref_count_dec (&g->ref))
    return;
  g_strfreev (g->names);
  g_free (g->row_ptr);
  g_free (g->col);
  g_free (g->w);
  g_free (g->labels);
  g_strfreev (g->class_names);
  g_free (g->label_name);
  g_strfreev (g->attr_names);
  if (g->attr_values != NULL)
    for (gsize i = 0; i < g->n * g->n_attrs; i++)
      g_free (g->attr_values[i]);
  g_free (g->attr_values);
  g_free (g);
}

static CsGraph *
graph_alloc (void)
{
  CsGraph *g = g_new0 (CsGraph, 1);
  g_atomic_ref_count_init (&g->ref);
  return g;
}

typedef struct
{
  guint32 u, v; /* u < v */
  double  w;
  gsize   line; /* where it was read, 0 when built in code */
} Edge;

static int
edge_cmp (const void *a,
          const void *b)
{
  const Edge *x = a, *y = b;
  if (x->u != y->u)
    return x->u < y->u ? -1 : 1;
  if (x->v != y->v)
    return x->v < y->v ? -1 : 1;
  return x->line < y->line ? -1 : x->line > y->line;
}

/* Sorted, merged edges → symmetric CSR. When `name` is set, repeats with another weight are an
 * error naming both lines; otherwise repeats add up. */
static gboolean
build_csr (CsGraph    *g,
           Edge       *e,
           gsize       m,
           const char *name,
           GError    **error)
{
  gsize kept = 0;

  qsort (e, m, sizeof *e, edge_cmp);
  for (gsize i = 0; i < m; i++)
    {
      if (kept > 0 && e[kept - 1].u == e[i].u && e[kept - 1].v == e[i].v)
        {
          if (name == NULL)
            e[kept - 1].w += e[i].w;
          else if (e[kept - 1].w != e[i].w)
            {
              g_autofree char *shown = cs_format_excerpt (name, -1, 4096);
              g_autofree char *a = cs_format_excerpt (g->names[e[i].u], -1, 40);
              g_autofree char *b = cs_format_excerpt (g->names[e[i].v], -1, 40);
              g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                           "%s:%" G_GSIZE_FORMAT ":1: edge %s–%s again with weight %g (line %" G_GSIZE_FORMAT
                           " gave %g); list each edge once, or with the same weight",
                           shown, e[i].line, a, b, e[i].w, e[kept - 1].line, e[kept - 1].w);
              return FALSE;
            }
          else
            g->n_duplicates++;
          continue;
        }
      e[kept++] = e[i];
    }
  g->n_edges = kept;
  g->row_ptr = g_new0 (gsize, g->n + 1);
  for (gsize i = 0; i < kept; i++)
    {
      g->row_ptr[e[i].u + 1]++;
      g->row_ptr[e[i].v + 1]++;
    }
  for (gsize i = 0; i < g->n; i++)
    g->row_ptr[i + 1] += g->row_ptr[i];
  g->col = g_new (guint32, 2 * kept + 1);
  g->w = g_new (double, 2 * kept + 1);
  {
    g_autofree gsize *fill = g_memdup2 (g->row_ptr, (g->n + 1) * sizeof (gsize));
    /* With the edges sorted by (u, v), every row fills in ascending column order: a row v
     * first receives its smaller neighbours u (edges (u, v), in increasing u), then its
     * larger ones (edges (v, x), later in the order). */
    for (gsize i = 0; i < kept; i++)
      {
        g->col[fill[e[i].u]] = e[i].v;
        g->w[fill[e[i].u]++] = e[i].w;
        g->col[fill[e[i].v]] = e[i].u;
        g->w[fill[e[i].v]++] = e[i].w;
      }
  }
  return TRUE;
}

CsGraph *
cs_graph_new_from_edges (gsize          n,
                         const guint32 *u,
                         const guint32 *v,
                         const double  *w,
                         gsize          m,
                         GError       **error)
{
  g_autoptr (CsGraph) g = graph_alloc ();
  g_autofree Edge *e = NULL;
  gsize kept = 0;

  if (n == 0 || n > MAX_NODES)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "a graph needs between 1 and %u nodes", MAX_NODES);
      return NULL;
    }
  g->n = n;
  g->weighted = w != NULL;
  g->names = g_new0 (char *, n + 1);
  for (gsize i = 0; i < n; i++)
    g->names[i] = g_strdup_printf ("%" G_GSIZE_FORMAT, i);
  e = g_new (Edge, m + 1);
  for (gsize i = 0; i < m; i++)
    {
      double wi = w ? w[i] : 1.0;
      if (u[i] >= n || v[i] >= n || !(wi > 0.0) || !isfinite (wi))
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "edge %" G_GSIZE_FORMAT " (%u, %u, %g) is not between nodes 0 … %" G_GSIZE_FORMAT
                       " with a finite weight > 0", i, u[i], v[i], wi, n - 1);
          return NULL;
        }
      if (u[i] == v[i])
        {
          g->n_self_loops++;
          continue;
        }
      e[kept].u = MIN (u[i], v[i]);
      e[kept].v = MAX (u[i], v[i]);
      e[kept].w = wi;
      e[kept].line = i;
      kept++;
    }
  if (!build_csr (g, e, kept, NULL, error))
    return NULL;
  return g_steal_pointer (&g);
}

/* ---- text fields ---- */

typedef struct
{
  char *text;   /* Owned: unquoted, blanks trimmed */
  gsize column; /* 1-based, in characters */
} Field;

static void
field_clear (gpointer p)
{
  g_free (((Field *) p)->text);
}

static void G_GNUC_PRINTF (5, 6)
parse_error (GError    **error,
             const char *name,
             gsize       line,
             gsize       column,
             const char *format,
             ...)
{
  g_autofree char *what = NULL;
  g_autofree char *shown = NULL;
  va_list args;

  if (error == NULL)
    return;
  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  shown = cs_format_excerpt (name, -1, 4096);
  g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s:%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT ": %s", shown, line, column,
               what);
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* Splits one line at `delim` (' ' means runs of blanks), honouring double quotes with "" as
 * an escaped quote. */
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
      GString *s = g_string_new (NULL);

      while (p < end && is_blank (*p) && (delim == ' ' || *p != delim))
        p++;
      f.column = (gsize) g_utf8_pointer_to_offset (line, p) + 1;
      if (p < end && *p == '"')
        {
          gsize open_col = f.column;
          p++;
          for (;;)
            {
              if (p >= end)
                {
                  g_string_free (s, TRUE);
                  parse_error (error, name, line_no, open_col, "a quote opened here is not closed on this line");
                  return FALSE;
                }
              if (*p == '"')
                {
                  if (p + 1 < end && p[1] == '"')
                    {
                      g_string_append_c (s, '"');
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              g_string_append_c (s, *p++);
            }
          while (p < end && is_blank (*p) && (delim == ' ' || *p != delim))
            p++;
          if (p < end && *p != delim && !(delim == ' ' && is_blank (*p)))
            {
              g_string_free (s, TRUE);
              parse_error (error, name, line_no, (gsize) g_utf8_pointer_to_offset (line, p) + 1,
                           "text after a closing quote; expected a delimiter or the end of the line");
              return FALSE;
            }
        }
      else
        {
          const char *start = p;
          while (p < end && *p != delim && !(delim == ' ' && is_blank (*p)))
            p++;
          const char *stop = p;
          while (stop > start && is_blank (stop[-1]))
            stop--;
          g_string_append_len (s, start, stop - start);
        }
      f.text = g_string_free (s, FALSE);
      g_array_append_val (fields, f);
      if (delim == ' ')
        {
          while (p < end && is_blank (*p))
            p++;
          if (p >= end)
            return TRUE;
          continue;
        }
      if (p >= end)
        return TRUE;
      p++; /* the delimiter */
    }
}

static char
sniff_delimiter (const char *line,
                 gsize       len)
{
  gsize tabs = 0, commas = 0, semis = 0;
  gboolean quoted = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (line[i] == '"')
        quoted = !quoted;
      else if (!quoted)
        {
          tabs += line[i] == '\t';
          commas += line[i] == ',';
          semis += line[i] == ';';
        }
    }
  if (tabs > 0)
    return '\t';
  if (commas > 0)
    return ',';
  if (semis > 0)
    return ';';
  return ' ';
}

static gboolean
parse_double (const char *s,
              double     *out)
{
  char *end = NULL;

  if (*s == '\0')
    return FALSE;
  errno = 0;
  *out = g_ascii_strtod (s, &end);
  return *end == '\0' && errno != ERANGE;
}

static gboolean
parse_integer (const char *s,
               gint64     *out)
{
  char *end = NULL;

  if (*s == '\0' || strlen (s) > 18)
    return FALSE;
  for (const char *p = (*s == '-' ? s + 1 : s); *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  *out = g_ascii_strtoll (s, &end, 10);
  return *end == '\0';
}

static gboolean
is_one_of (const char        *s,
           const char *const *names)
{
  for (gsize i = 0; names[i]; i++)
    if (g_ascii_strcasecmp (s, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static const char *const source_names[] = { "source", "from", "src", "node1", "u", NULL };
static const char *const target_names[] = { "target", "to", "dst", "node2", "v", NULL };

/* Walks lines: calls back with each non-blank, non-comment line (no terminator). */
typedef struct
{
  const char *data;
  gsize       len;
  gsize       pos;
  gsize       line_no;
} Lines;

static gboolean
next_line (Lines       *l,
           const char **line,
           gsize       *len)
{
  while (l->pos < l->len)
    {
      const char *start = l->data + l->pos;
      const char *nl = memchr (start, '\n', l->len - l->pos);
      gsize n = nl ? (gsize) (nl - start) : l->len - l->pos;
      l->pos += n + (nl != NULL);
      l->line_no++;
      if (n > 0 && start[n - 1] == '\r')
        n--;
      gsize i = 0;
      while (i < n && is_blank (start[i]))
        i++;
      if (i == n || start[i] == '#' || start[i] == '%')
        continue;
      *line = start;
      *len = n;
      return TRUE;
    }
  return FALSE;
}

static gboolean
check_text (const char *data,
            gsize       len,
            const char *name,
            GError    **error)
{
  const char *bad = NULL;
  const char *nul = memchr (data, '\0', len);

  if (nul != NULL || !g_utf8_validate_len (data, len, &bad))
    {
      const char *at = nul != NULL && (bad == NULL || nul < bad) ? nul : bad;
      gsize line = 1;
      const char *ls = data;
      for (const char *p = data; p < at; p++)
        if (*p == '\n')
          {
            line++;
            ls = p + 1;
          }
      gsize column = 1;
      for (const char *p = ls; p < at; p = g_utf8_next_char (p))
        column++;
      parse_error (error, name, line, column,
                   nul != NULL && at == nul ? "a NUL byte: this is not a text file; expected an edge list "
                                              "(source,target[,weight] per line)"
                                            : "bytes that are not UTF-8; save the file as UTF-8");
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GHashTable *index; /* name (owned by names) → index + 1 */
  GPtrArray  *names;
} Names;

static guint32
intern (Names      *nm,
        const char *text)
{
  gpointer v = g_hash_table_lookup (nm->index, text);
  if (v != NULL)
    return (guint32) (GPOINTER_TO_SIZE (v) - 1);
  char *copy = g_strdup (text);
  g_ptr_array_add (nm->names, copy);
  g_hash_table_insert (nm->index, copy, GSIZE_TO_POINTER (nm->names->len));
  return nm->names->len - 1;
}

typedef struct
{
  gint64  value;
  guint32 index;
} NumId;

static int
numid_cmp (const void *a,
           const void *b)
{
  const NumId *x = a, *y = b;
  return x->value < y->value ? -1 : x->value > y->value;
}

CsGraph *
cs_graph_load_edges_data (const char *data,
                          gsize       length,
                          const char *name,
                          CsProgress *progress,
                          GError    **error)
{
  g_autoptr (CsGraph) g = graph_alloc ();
  g_autoptr (GArray) fields = g_array_new (FALSE, FALSE, sizeof (Field));
  g_autoptr (GArray) edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  Names nm = { g_hash_table_new (g_str_hash, g_str_equal), g_ptr_array_new () };
  Lines l = { data, length, 0, 0 };
  const char *line;
  gsize len;
  char delim = 0;
  gsize n_fields = 0;
  gboolean ok = FALSE;
  guint64 count = 0;

  g_array_set_clear_func (fields, field_clear);
  if (!check_text (data, length, name, error))
    goto out;
  while (next_line (&l, &line, &len))
    {
      if ((++count & 0xffff) == 0)
        {
          cs_progress_report (progress, (double) l.pos / (double) length, "reading edges");
          if (!cs_progress_check (progress, error))
            goto out;
        }
      if (delim == 0)
        delim = sniff_delimiter (line, len);
      if (!split_line (name, l.line_no, line, len, delim, fields, error))
        goto out;
      Field *f = (Field *) fields->data;
      if (fields->len < 2 || fields->len > 3)
        {
          gsize col = fields->len > 3 ? f[3].column : len + 1;
          parse_error (error, name, l.line_no, fields->len > 3 ? col : (gsize) g_utf8_strlen (line, len) + 1,
                       "%u field%s; expected source%ctarget or source%ctarget%cweight", fields->len,
                       fields->len == 1 ? "" : "s", delim == '\t' ? ' ' : delim, delim == '\t' ? ' ' : delim,
                       delim == '\t' ? ' ' : delim);
          goto out;
        }
      if (n_fields == 0)
        {
          double wv;
          n_fields = fields->len;
          g->weighted = n_fields == 3;
          /* A weight column settles it; without one, only the usual names do. */
          if (n_fields == 3 ? !parse_double (f[2].text, &wv)
                            : is_one_of (f[0].text, source_names) && is_one_of (f[1].text, target_names))
            continue; /* header */
        }
      else if (fields->len != n_fields)
        {
          parse_error (error, name, l.line_no, fields->len > n_fields ? f[n_fields].column : len + 1,
                       "%u fields where the first line had %" G_GSIZE_FORMAT "; give every edge a weight or none",
                       fields->len, n_fields);
          goto out;
        }
      for (guint j = 0; j < 2; j++)
        if (f[j].text[0] == '\0')
          {
            parse_error (error, name, l.line_no, f[j].column, "empty node id; expected the %s node's id",
                         j == 0 ? "source" : "target");
            goto out;
          }
      Edge e = { 0, 0, 1.0, l.line_no };
      if (n_fields == 3)
        {
          g_autofree char *shown = cs_format_excerpt (f[2].text, -1, 40);
          if (!parse_double (f[2].text, &e.w) || !isfinite (e.w))
            {
              parse_error (error, name, l.line_no, f[2].column, "weight ‘%s’ is not a finite number", shown);
              goto out;
            }
          if (e.w <= 0.0)
            {
              parse_error (error, name, l.line_no, f[2].column,
                           "weight %s; weights must be > 0 (leave out an edge of weight 0)", shown);
              goto out;
            }
        }
      if (nm.names->len >= MAX_NODES - 2)
        {
          parse_error (error, name, l.line_no, 1, "more than %u nodes", MAX_NODES - 2);
          goto out;
        }
      guint32 a = intern (&nm, f[0].text);
      guint32 b = intern (&nm, f[1].text);
      if (a == b)
        {
          g->n_self_loops++;
          continue;
        }
      e.u = MIN (a, b);
      e.v = MAX (a, b);
      g_array_append_val (edges, e);
    }
  if (edges->len == 0)
    {
      g_autofree char *shown = cs_format_excerpt (name, -1, 4096);
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE,
                   "%s: no edges (only a header, comments or self-loops); expected source,target[,weight] lines",
                   shown);
      goto out;
    }

  /* All ids integers: order the nodes by value, so "0 … 33" read back as nodes 0 … 33. */
  g->n = nm.names->len;
  {
    g_autofree NumId *num = g_new (NumId, g->n);
    gboolean all_int = TRUE;
    for (gsize i = 0; i < g->n && all_int; i++)
      {
        all_int = parse_integer (nm.names->pdata[i], &num[i].value);
        num[i].index = (guint32) i;
      }
    g->names = g_new0 (char *, g->n + 1);
    if (all_int)
      {
        g_autofree guint32 *perm = g_new (guint32, g->n);
        qsort (num, g->n, sizeof *num, numid_cmp);
        for (gsize i = 0; i < g->n; i++)
          {
            perm[num[i].index] = (guint32) i;
            g->names[i] = nm.names->pdata[num[i].index];
          }
        for (gsize i = 0; i < edges->len; i++)
          {
            Edge *e = &g_array_index (edges, Edge, i);
            guint32 a = perm[e->u], b = perm[e->v];
            e->u = MIN (a, b);
            e->v = MAX (a, b);
          }
      }
    else
      for (gsize i = 0; i < g->n; i++)
        g->names[i] = nm.names->pdata[i];
    g_ptr_array_set_size (nm.names, 0); /* names now owned by g */
  }
  ok = build_csr (g, (Edge *) edges->data, edges->len, name, error);
  cs_progress_report (progress, 1.0, "reading edges");
out:
  g_hash_table_destroy (nm.index);
  g_ptr_array_set_free_func (nm.names, g_free);
  g_ptr_array_free (nm.names, TRUE);
  return ok ? g_steal_pointer (&g) : NULL;
}

CsGraph *
cs_graph_load_edges (const char *path,
                     CsProgress *progress,
                     GError    **error)
{
  g_autoptr (CsInput) in = cs_input_load (path, "expected an edge list (source,target[,weight] per line)",
                                          G_GUINT64_CONSTANT (1) << 32, progress, error);
  if (in == NULL)
    return NULL;
  return cs_graph_load_edges_data (in->data, in->length, path, progress, error);
}

/* ---- node table ---- */

static const char *const label_names[] = { "label", "class", "club", "community", "block", "group", "value", NULL };

CsGraph *
cs_graph_with_nodes_data (const CsGraph *g,
                          const char    *data,
                          gsize          length,
                          const char    *name,
                          GError       **error)
{
  g_autoptr (CsGraph) out = graph_alloc ();
  g_autoptr (GArray) fields = g_array_new (FALSE, FALSE, sizeof (Field));
  g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) class_list = g_ptr_array_new ();
  g_autofree gsize *seen_line = g_new0 (gsize, g->n);
  Lines l = { data, length, 0, 0 };
  const char *line;
  gsize len;
  char delim = 0;
  gsize width = 0;
  gsize label_col = 1;
  gsize rows = 0;

  g_array_set_clear_func (fields, field_clear);
  if (!check_text (data, length, name, error))
    return NULL;
  for (gsize i = 0; i < g->n; i++)
    g_hash_table_insert (index, g->names[i], GSIZE_TO_POINTER (i + 1));

  out->n = g->n;
  out->n_edges = g->n_edges;
  out->weighted = g->weighted;
  out->n_self_loops = g->n_self_loops;
  out->n_duplicates = g->n_duplicates;
  out->names = g_strdupv (g->names);
  out->row_ptr = g_memdup2 (g->row_ptr, (g->n + 1) * sizeof (gsize));
  out->col = g_memdup2 (g->col, (2 * g->n_edges + 1) * sizeof (guint32));
  out->w = g_memdup2 (g->w, (2 * g->n_edges + 1) * sizeof (double));
  out->labels = g_new (int, g->n);
  for (gsize i = 0; i < g->n; i++)
    out->labels[i] = -1;

  while (next_line (&l, &line, &len))
    {
      if (delim == 0)
        delim = sniff_delimiter (line, len);
      if (!split_line (name, l.line_no, line, len, delim, fields, error))
        return NULL;
      Field *f = (Field *) fields->data;
      if (width == 0)
        {
          width = fields->len;
          if (width < 2)
            {
              parse_error (error, name, l.line_no, 1, "a header with %u column; expected id,label[,attribute…]",
                           fields->len);
              return NULL;
            }
          for (gsize j = 1; j < width; j++)
            if (is_one_of (f[j].text, label_names))
              {
                label_col = j;
                break;
              }
          out->label_name = g_strdup (f[label_col].text);
          out->n_attrs = width - 2;
          out->attr_names = g_new0 (char *, out->n_attrs + 1);
          for (gsize j = 1, a = 0; j < width; j++)
            if (j != label_col)
              out->attr_names[a++] = g_strdup (f[j].text);
          out->attr_values = g_new0 (char *, g->n * out->n_attrs + 1);
          continue;
        }
      if (fields->len != width)
        {
          parse_error (error, name, l.line_no, fields->len > width ? f[width].column : len + 1,
                       "%u fields where the header has %" G_GSIZE_FORMAT, fields->len, width);
          return NULL;
        }
      gpointer hit = g_hash_table_lookup (index, f[0].text);
      if (hit == NULL)
        {
          g_autofree char *shown = cs_format_excerpt (f[0].text, -1, 40);
          parse_error (error, name, l.line_no, f[0].column,
                       "node ‘%s’ is not in the edge list; the node table describes the edge list's nodes", shown);
          return NULL;
        }
      gsize i = GPOINTER_TO_SIZE (hit) - 1;
      if (seen_line[i] != 0)
        {
          g_autofree char *shown = cs_format_excerpt (f[0].text, -1, 40);
          parse_error (error, name, l.line_no, f[0].column, "node ‘%s’ again (first on line %" G_GSIZE_FORMAT ")",
                       shown, seen_line[i]);
          return NULL;
        }
      seen_line[i] = l.line_no;
      rows++;
      if (f[label_col].text[0] != '\0')
        {
          gpointer c = g_hash_table_lookup (classes, f[label_col].text);
          if (c == NULL)
            {
              char *copy = g_strdup (f[label_col].text);
              g_ptr_array_add (class_list, copy);
              g_hash_table_insert (classes, copy, GSIZE_TO_POINTER (class_list->len));
              c = GSIZE_TO_POINTER (class_list->len);
            }
          out->labels[i] = (int) GPOINTER_TO_SIZE (c) - 1;
        }
      for (gsize j = 1, a = 0; j < width; j++)
        if (j != label_col)
          {
            if (f[j].text[0] != '\0')
              out->attr_values[i * out->n_attrs + a] = g_strdup (f[j].text);
            a++;
          }
    }
  if (rows == 0)
    {
      g_autofree char *shown = cs_format_excerpt (name, -1, 4096);
      g_set_error (error, CS_ERROR, CS_ERROR_PARSE, "%s: no node rows; expected a header id,label[,attribute…] and "
                   "one row per node", shown);
      return NULL;
    }
  out->n_classes = class_list->len;
  out->class_names = g_new0 (char *, class_list->len + 1);
  for (guint c = 0; c < class_list->len; c++)
    out->class_names[c] = g_strdup (class_list->pdata[c]);
  return g_steal_pointer (&out);
}

CsGraph *
cs_graph_with_nodes (const CsGraph *g,
                     const char    *path,
                     GError       **error)
{
  g_autoptr (CsInput) in = cs_input_load (path, "expected a node table (id,label[,attribute…])",
                                          G_GUINT64_CONSTANT (1) << 32, NULL, error);
  if (in == NULL)
    return NULL;
  return cs_graph_with_nodes_data (g, in->data, in->length, path, error);
}

/* ---- generators ---- */

/* Skips to the next success of independent Bernoulli(p) trials: the gap is geometric. */
static guint64
geometric_skip (CsRng *rng,
                double log1mp)
{
  double u = 1.0 - cs_rng_uniform (rng); /* (0, 1] */
  double s = floor (log (u) / log1mp);
  return s >= 1.8e19 ? G_MAXUINT64 : (guint64) s;
}

CsGraph *
cs_graph_new_sbm (const gsize *sizes,
                  guint        n_blocks,
                  double       p_in,
                  double       p_out,
                  guint64      seed,
                  GError     **error)
{
  g_autoptr (GArray) us = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr (GArray) vs = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree gsize *start = g_new0 (gsize, n_blocks + 1);
  CsRng rng;
  CsGraph *g;

  if (n_blocks == 0 || !(p_in >= 0.0 && p_in <= 1.0) || !(p_out >= 0.0 && p_out <= 1.0))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "a block model needs at least one block and probabilities p_in, p_out in [0, 1]");
      return NULL;
    }
  for (guint b = 0; b < n_blocks; b++)
    {
      if (sizes[b] == 0)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "block %u has no nodes; every block needs one", b + 1);
          return NULL;
        }
      start[b + 1] = start[b] + sizes[b];
    }
  if (start[n_blocks] > 50000000)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "a block model of more than 50,000,000 nodes");
      return NULL;
    }
  cs_rng_init (&rng, seed);
  for (guint a = 0; a < n_blocks; a++)
    for (guint b = a; b < n_blocks; b++)
      {
        double p = a == b ? p_in : p_out;
        guint64 na = sizes[a], nb = sizes[b];
        /* Pairs of the block pair in a fixed order: (i, j) with i < j inside a block, every
         * (i, j) between blocks. */
        guint64 total = a == b ? na * (na - 1) / 2 : na * nb;
        if (p <= 0.0 || total == 0)
          continue;
        double log1mp = p >= 1.0 ? -INFINITY : log1p (-p);
        guint64 pos = 0;
        for (;;)
          {
            guint64 skip = p >= 1.0 ? 0 : geometric_skip (&rng, log1mp);
            if (skip >= total - pos)
              break;
            pos += skip;
            guint32 i, j;
            if (a == b)
              {
                /* pos → (row r, column c > r) of the upper triangle, rows of length na−1, na−2, … */
                guint64 r = (guint64) floor ((2.0 * na - 1.0 - sqrt ((2.0 * na - 1.0) * (2.0 * na - 1.0)
                                                                        - 8.0 * (double) pos)) / 2.0);
                while (r > 0 && r * (2 * na - r - 1) / 2 > pos)
                  r--;
                while ((r + 1) * (2 * na - r - 2) / 2 <= pos)
                  r++;
                guint64 c = pos - r * (2 * na - r - 1) / 2 + r + 1;
                i = (guint32) (start[a] + r);
                j = (guint32) (start[a] + c);
              }
            else
              {
                i = (guint32) (start[a] + pos / nb);
                j = (guint32) (start[b] + pos % nb);
              }
            g_array_append_val (us, i);
            g_array_append_val (vs, j);
            pos++;
            if (pos >= total)
              break;
          }
      }
  g = cs_graph_new_from_edges (start[n_blocks], (guint32 *) us->data, (guint32 *) vs->data, NULL, us->len, error);
  if (g == NULL)
    return NULL;
  g->weighted = FALSE;
  g->labels = g_new (int, g->n);
  for (guint b = 0; b < n_blocks; b++)
    for (gsize i = start[b]; i < start[b + 1]; i++)
      g->labels[i] = (int) b;
  g->n_classes = n_blocks;
  g->class_names = g_new0 (char *, n_blocks + 1);
  for (guint b = 0; b < n_blocks; b++)
    g->class_names[b] = g_strdup_printf ("block %u", b + 1);
  g->label_name = g_strdup ("block");
  return g;
}

typedef struct
{
  double  d;
  guint32 j;
} Neighbour;

CsGraph *
cs_graph_new_knn (const CsMatrix *x,
                  guint           k,
                  CsProgress     *progress,
                  GError        **error)
{
  gsize n = x->rows;
  g_autofree guint32 *us = NULL;
  g_autofree guint32 *vs = NULL;
  g_autofree double *sq = NULL;
  const gsize block = 256;
  CsGraph *g;

  if (n < 2 || k == 0 || k >= n || n > MAX_NODES)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "a k-nearest-neighbour graph needs 1 ≤ k < n (k = %u, n = %"
                   G_GSIZE_FORMAT ")", k, n);
      return NULL;
    }
  us = g_new (guint32, n * k);
  vs = g_new (guint32, n * k);
  sq = g_new (double, n);
  cs_matrix_row_sqnorms (x, sq);
  for (gsize i0 = 0; i0 < n; i0 += block)
    {
      gsize nb = MIN (block, n - i0);
      g_autofree double *dist = g_new (double, nb * n);
      cs_matrix_sqdist_block (x, sq, i0, nb, x, sq, dist);
      for (gsize r = 0; r < nb; r++)
        {
          /* A bounded max-heap would be faster; a partial insertion sort of k is enough here. */
          g_autofree Neighbour *best = g_new (Neighbour, k + 1);
          guint have = 0;
          for (gsize j = 0; j < n; j++)
            {
              if (j == i0 + r)
                continue;
              double d = dist[r * n + j];
              if (have == k && d >= best[k - 1].d)
                continue;
              guint p = have < k ? have++ : k - 1;
              while (p > 0 && best[p - 1].d > d)
                {
                  best[p] = best[p - 1];
                  p--;
                }
              best[p].d = d;
              best[p].j = (guint32) j;
            }
          for (guint t = 0; t < k; t++)
            {
              us[(i0 + r) * k + t] = (guint32) (i0 + r);
              vs[(i0 + r) * k + t] = best[t].j;
            }
        }
      cs_progress_report (progress, (double) (i0 + nb) / (double) n, "nearest neighbours");
      if (!cs_progress_check (progress, error))
        return NULL;
    }
  g = cs_graph_new_from_edges (n, us, vs, NULL, n * k, error);
  if (g == NULL)
    return NULL;
  /* Merged repeats add up; a neighbour graph is unweighted, mutual neighbours included. */
  for (gsize e = 0; e < 2 * g->n_edges; e++)
    g->w[e] = 1.0;
  g->weighted = FALSE;
  return g;
}

/* ---- queries ---- */

void
cs_graph_degrees (const CsGraph *g,
                  double        *out)
{
  for (gsize i = 0; i < g->n; i++)
    {
      double s = 0.0;
      for (gsize e = g->row_ptr[i]; e < g->row_ptr[i + 1]; e++)
        s += g->w[e];
      out[i] = s;
    }
}

CsMatrix *
cs_graph_adjacency (const CsGraph *g,
                    GError       **error)
{
  CsMatrix *a = cs_matrix_try_new (g->n, g->n, "adjacency matrix", error);
  if (a == NULL)
    return NULL;
  for (gsize i = 0; i < g->n; i++)
    for (gsize e = g->row_ptr[i]; e < g->row_ptr[i + 1]; e++)
      a->data[i * g->n + g->col[e]] = g->w[e];
  return a;
}

gsize
cs_graph_components (const CsGraph *g,
                     gsize         *comp)
{
  g_autofree gsize *c = g_new (gsize, g->n);
  g_autofree guint32 *stack = g_new (guint32, g->n);
  gsize nc = 0;

  for (gsize i = 0; i < g->n; i++)
    c[i] = G_MAXSIZE;
  for (gsize s = 0; s < g->n; s++)
    {
      if (c[s] != G_MAXSIZE)
        continue;
      gsize top = 0;
      stack[top++] = (guint32) s;
      c[s] = nc;
      while (top > 0)
        {
          guint32 i = stack[--top];
          for (gsize e = g->row_ptr[i]; e < g->row_ptr[i + 1]; e++)
            if (c[g->col[e]] == G_MAXSIZE)
              {
                c[g->col[e]] = nc;
                stack[top++] = g->col[e];
              }
        }
      nc++;
    }
  if (comp != NULL)
    memcpy (comp, c, g->n * sizeof (gsize));
  return nc;
}

gssize
cs_graph_find (const CsGraph *g,
               const char    *name)
{
  for (gsize i = 0; i < g->n; i++)
    if (strcmp (g->names[i], name) == 0)
      return (gssize) i;
  return -1;
}

double
cs_graph_modularity (const CsGraph *g,
                     const int     *labels,
                     guint          k)
{
  g_autofree double *inside = g_new0 (double, k);
  g_autofree double *tot = g_new0 (double, k);
  double m2 = 0.0;
  double q = 0.0;

  for (gsize i = 0; i < g->n; i++)
    {
      if (labels[i] < 0)
        continue;
      for (gsize e = g->row_ptr[i]; e < g->row_ptr[i + 1]; e++)
        {
          int lj = labels[g->col[e]];
          if (lj < 0)
            continue;
          m2 += g->w[e];
          tot[labels[i]] += g->w[e];
          if (lj == labels[i])
            inside[labels[i]] += g->w[e];
        }
    }
  if (m2 <= 0.0)
    return 0.0;
  for (guint c = 0; c < k; c++)
    q += inside[c] / m2 - (tot[c] / m2) * (tot[c] / m2);
  return q;
}

CsGraph *
cs_graph_augment (const CsGraph *g,
                  double         attr_weight,
                  gsize         *n_extra,
                  GError       **error)
{
  g_autoptr (GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GArray) us = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr (GArray) vs = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr (GArray) ws = g_array_new (FALSE, FALSE, sizeof (double));
  gsize extra = 0;
  CsGraph *out;

  if (!(attr_weight > 0.0) || !isfinite (attr_weight))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER, "attribute weight must be a finite number > 0");
      return NULL;
    }
  for (gsize i = 0; i < g->n; i++)
    for (gsize e = g->row_ptr[i]; e < g->row_ptr[i + 1]; e++)
      if (g->col[e] > i)
        {
          guint32 a = (guint32) i, b = g->col[e];
          g_array_append_val (us, a);
          g_array_append_val (vs, b);
          g_array_append_val (ws, g->w[e]);
        }
  for (gsize j = 0; j < g->n_attrs; j++)
    for (gsize i = 0; i < g->n; i++)
      {
        const char *v = g->attr_values[i * g->n_attrs + j];
        if (v == NULL)
          continue;
        char *key = g_strdup_printf ("%" G_GSIZE_FORMAT "\x1f%s", j, v);
        gpointer hit = g_hash_table_lookup (values, key);
        if (hit == NULL)
          {
            hit = GSIZE_TO_POINTER (++extra);
            g_hash_table_insert (values, key, hit);
          }
        else
          g_free (key);
        guint32 a = (guint32) i, b = (guint32) (g->n + GPOINTER_TO_SIZE (hit) - 1);
        g_array_append_val (us, a);
        g_array_append_val (vs, b);
        g_array_append_val (ws, attr_weight);
      }
  out = cs_graph_new_from_edges (g->n + extra, (guint32 *) us->data, (guint32 *) vs->data, (double *) ws->data,
                                 us->len, error);
  if (out == NULL)
    return NULL;
  for (gsize i = 0; i < g->n; i++)
    {
      g_free (out->names[i]);
      out->names[i] = g_strdup (g->names[i]);
    }
  if (n_extra)
    *n_extra = extra;
  return out;
}

static void
append_field (GString    *s,
              const char *text)
{
  if (strpbrk (text, ",\"\n\r\t") == NULL && text[0] != ' ')
    {
      g_string_append (s, text);
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

char *
cs_graph_edges_to_csv (const CsGraph *g)
{
  GString *s = g_string_new (g->weighted ? "source,target,weight\n" : "source,target\n");
  for (gsize i = 0; i < g->n; i++)
    for (gsize e = g->row_ptr[i]; e < g->row_ptr[i + 1]; e++)
      if (g->col[e] > i)
        {
          append_field (s, g->names[i]);
          g_string_append_c (s, ',');
          append_field (s, g->names[g->col[e]]);
          if (g->weighted)
            {
              char buf[G_ASCII_DTOSTR_BUF_SIZE];
              g_string_append_c (s, ',');
              g_string_append (s, g_ascii_dtostr (buf, sizeof buf, g->w[e]));
            }
          g_string_append_c (s, '\n');
        }
  return g_string_free (s, FALSE);
}

char *
cs_graph_nodes_to_csv (const CsGraph *g)
{
  GString *s = g_string_new ("id,");
  append_field (s, g->label_name ? g->label_name : "label");
  for (gsize j = 0; j < g->n_attrs; j++)
    {
      g_string_append_c (s, ',');
      append_field (s, g->attr_names[j]);
    }
  g_string_append_c (s, '\n');
  for (gsize i = 0; i < g->n; i++)
    {
      append_field (s, g->names[i]);
      g_string_append_c (s, ',');
      if (g->labels != NULL && g->labels[i] >= 0)
        append_field (s, g->class_names[g->labels[i]]);
      for (gsize j = 0; j < g->n_attrs; j++)
        {
          const char *v = g->attr_values ? g->attr_values[i * g->n_attrs + j] : NULL;
          g_string_append_c (s, ',');
          if (v)
            append_field (s, v);
        }
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

/* Generated by glib-compile-resources from resources/data.gresource.xml. */
GResource *cs_data_get_resource (void);

static const char *const sample_ids[] = { "karate", "sbm-1000", NULL };

const char *const *
cs_graph_sample_ids (void)
{
  return sample_ids;
}

CsGraph *
cs_graph_load_sample (const char *id,
                      GError    **error)
{
  g_autofree char *edges_path = NULL;
  g_autofree char *nodes_path = NULL;
  g_autoptr (GBytes) edges = NULL;
  g_autoptr (GBytes) nodes = NULL;
  g_autoptr (CsGraph) g = NULL;
  gsize size;
  const char *data;

  if (id == NULL || !g_strv_contains (sample_ids, id))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "no bundled graph called ‘%s’; try karate or sbm-1000",
                   id ? id : "");
      return NULL;
    }
  /* Referencing the getter keeps the resource's object file in a static link. */
  if (cs_data_get_resource () == NULL)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_IO, "the bundled graphs are missing from this build");
      return NULL;
    }
  edges_path = g_strdup_printf ("/org/clusterscope/Clusterscope/data/graphs/%s.edges.csv", id);
  nodes_path = g_strdup_printf ("/org/clusterscope/Clusterscope/data/graphs/%s.nodes.csv", id);
  edges = g_resources_lookup_data (edges_path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  nodes = g_resources_lookup_data (nodes_path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (edges == NULL || nodes == NULL)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_IO, "the bundled graph ‘%s’ is missing from this build", id);
      return NULL;
    }
  data = g_bytes_get_data (edges, &size);
  g = cs_graph_load_edges_data (data, size, edges_path + strlen ("/org/clusterscope/Clusterscope/data/"), NULL, error);
  if (g == NULL)
    return NULL;
  data = g_bytes_get_data (nodes, &size);
  return cs_graph_with_nodes_data (g, data, size, nodes_path + strlen ("/org/clusterscope/Clusterscope/data/"), error);
}
