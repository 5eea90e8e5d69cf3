#include "ui/render/cs-render-novel.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-format.h"
#include "ui/render/cs-render-views-private.h"

gboolean
cs_novel_result_applies (const CsClustering *c)
{
  return c != NULL && c->algorithm != NULL
         && (strcmp (c->algorithm, "ncd-kmeans") == 0 || strcmp (c->algorithm, "ncd-spectral") == 0);
}

/* Whether the run was told how many novel classes to find (then it drew no curve). */
static gboolean
count_was_given (const CsClustering *c,
                 guint              *given)
{
  *given = 0;
  if (c->params == NULL || cs_algorithm_find_param (cs_params_get_algorithm (c->params), "k_novel") == NULL)
    return FALSE;
  *given = (guint) cs_params_get_int (c->params, "k_novel");
  return *given > 0;
}

CsNovelModel *
cs_novel_model_new (const CsClustering *c,
                    const char *const  *known_names,
                    const gsize        *labelled,
                    const int          *color_slot)
{
  CsNovelModel *m;
  guint         q;
  guint         given;
  gboolean      spectral;

  g_return_val_if_fail (c != NULL, NULL);
  if (!cs_novel_result_applies (c) || c->k_known > c->k)
    return NULL;
  spectral = strcmp (c->algorithm, "ncd-spectral") == 0;
  q = c->k - c->k_known;
  m = g_new0 (CsNovelModel, 1);
  g_atomic_ref_count_init (&m->ref);
  m->k = c->k;
  m->k_known = c->k_known;
  m->n = c->n;
  m->names = g_new0 (char *, c->k + 1);
  m->labelled = g_new0 (gsize, MAX (c->k, 1));
  m->sizes = g_new0 (gsize, MAX (c->k, 1));
  m->color_slot = g_new (int, MAX (c->k, 1));
  for (guint j = 0; j < c->k; j++)
    {
      gboolean has_name = j < c->k_known && known_names != NULL && known_names[j] != NULL;
      m->color_slot[j] = color_slot != NULL ? color_slot[j] : (int) j;
      if (j < c->k_known)
        m->names[j] = has_name ? g_strdup (known_names[j]) : g_strdup_printf ("Class %u", j + 1);
      else
        m->names[j] = g_strdup_printf ("Novel %u", j - c->k_known + 1);
      if (j < c->k_known && labelled != NULL)
        {
          m->labelled[j] = labelled[j];
          m->n_labelled += labelled[j];
        }
    }
  for (gsize i = 0; i < c->n; i++)
    if (c->labels[i] >= 0 && (guint) c->labels[i] < c->k)
      m->sizes[c->labels[i]]++;

  if (c->score_by_k != NULL && c->n_scores > 0 && c->score_k_min >= c->k_known)
    {
      g_autofree double *x = g_new (double, c->n_scores);
      gboolean           cv = c->k_known > 0;

      for (guint i = 0; i < c->n_scores; i++)
        x[i] = (double) (c->score_k_min + i - c->k_known);
      m->curve = cs_chart_model_new (c->n_scores, x, c->score_by_k);
      m->curve->integer_x = TRUE;
      g_free (m->curve->x_label);
      g_free (m->curve->y_label);
      if (cv)
        {
          m->curve->title = g_strdup ("Cross-validation score");
          m->curve->x_label = g_strdup ("Novel classes tried");
          m->curve->y_label = g_strdup ("Hidden classes found (F1)");
          m->note = g_strdup ("Each fold hides some known classes and clusters them with the unlabelled rows; "
                              "the score says how well they were found again. The count marked is the smallest "
                              "within 0.02 of the best.");
        }
      else
        {
          m->curve->title = g_strdup ("Silhouette by number of clusters");
          m->curve->x_label = g_strdup ("Clusters");
          m->curve->y_label = g_strdup (spectral ? "Silhouette (embedding)" : "Silhouette");
          m->note = g_strdup ("No row has a known class, so nothing can be hidden: every row is clustered as "
                              "novel and the count is the best silhouette (sampled).");
        }
      if (q >= c->score_k_min - c->k_known && q - (c->score_k_min - c->k_known) < c->n_scores)
        {
          m->curve->marked = (gssize) (q - (c->score_k_min - c->k_known));
          m->curve->mark_label = g_strdup_printf (cv ? "%u novel" : "k = %u", q);
        }
    }
  else if (count_was_given (c, &given))
    m->note = g_strdup_printf ("The number of novel classes was given (%u), not estimated: set Novel classes to "
                               "Estimate to see the cross-validation curve.", given);
  else
    m->note = g_strdup ("This result carries no cross-validation curve (results read back from a session do "
                        "not keep it): run again to see it.");

  m->title = g_strdup_printf ("%s: %u known class%s, %u novel%s",
                              spectral ? "Novel classes (spectral)" : "Novel classes", c->k_known,
                              c->k_known == 1 ? "" : "es", q, m->curve != NULL ? " (estimated)" : "");
  return m;
}

/* The label column's class names: its levels, or its distinct values in ascending order (the
 * order cs_dataset_class_labels numbers them in). */
static char **
class_names (const CsDataset *ds,
             guint            n_classes)
{
  const CsColumn    *col = cs_dataset_column (ds, ds->label_column);
  char             **names = g_new0 (char *, n_classes + 1);
  g_autofree double *values = NULL;
  gsize              n = 0;
  guint              distinct = 0;

  if (col->kind == CS_COLUMN_CATEGORICAL && col->levels->len == n_classes)
    {
      for (guint j = 0; j < n_classes; j++)
        names[j] = g_strdup (g_ptr_array_index (col->levels, j));
      return names;
    }
  values = g_new (double, MAX (ds->n_rows, 1));
  for (gsize i = 0; i < ds->n_rows; i++)
    if (!isnan (col->values[i]))
      values[n++] = col->values[i];
  qsort (values, n, sizeof (double), cs_compare_doubles);
  for (gsize i = 0; i < n && distinct < n_classes; i++)
    if (i == 0 || values[i] != values[i - 1])
      {
        char buf[40];
        names[distinct++] = g_strdup (cs_format_double (buf, sizeof buf, values[i]));
      }
  for (guint j = distinct; j < n_classes; j++)
    names[j] = g_strdup_printf ("Class %u", j + 1);
  return names;
}

CsNovelModel *
cs_novel_model_new_for_result (const CsDataset        *ds,
                               const CsPipelineResult *r,
                               const int              *color_slot)
{
  const CsClustering *c;
  guint               n_classes = 0;
  g_autofree int     *classes = NULL;
  g_autofree gsize   *count = NULL;
  g_auto (GStrv)      all = NULL;
  g_autofree char   **names = NULL;
  g_autofree gsize   *labelled = NULL;
  guint               kk = 0;

  g_return_val_if_fail (r != NULL, NULL);
  c = r->clustering;
  if (!cs_novel_result_applies (c))
    return NULL;
  if (ds != NULL && r->prep != NULL && c->k_known > 0)
    classes = cs_dataset_class_labels (ds, &n_classes);
  if (classes != NULL && n_classes > 0)
    {
      /* The algorithm numbered the classes present among the rows clustered, in class order. */
      count = g_new0 (gsize, n_classes);
      for (gsize i = 0; i < c->n && i < r->prep->x->rows; i++)
        {
          int v = classes[r->prep->rows[i]];
          if (v >= 0 && (guint) v < n_classes)
            count[v]++;
        }
      all = class_names (ds, n_classes);
      names = g_new0 (char *, c->k_known + 1);
      labelled = g_new0 (gsize, MAX (c->k_known, 1));
      for (guint v = 0; v < n_classes && kk < c->k_known; v++)
        if (count[v] > 0)
          {
            names[kk] = all[v];
            labelled[kk] = count[v];
            kk++;
          }
    }
  return cs_novel_model_new (c, kk == c->k_known ? (const char *const *) names : NULL,
                             kk == c->k_known ? labelled : NULL, color_slot);
}

CsNovelModel *
cs_novel_model_ref (CsNovelModel *m)
{
  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_novel_model_unref (CsNovelModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  g_free (m->title);
  g_clear_pointer (&m->curve, cs_chart_model_unref);
  g_free (m->note);
  g_strfreev (m->names);
  g_free (m->labelled);
  g_free (m->sizes);
  g_free (m->color_slot);
  g_free (m);
}

typedef struct
{
  double title_h;
  CsRect chart;
  CsRect table;
} Layout;

static void
layout (const CsNovelModel *m,
        double              width,
        double              height,
        Layout             *L)
{
  double top;

  memset (L, 0, sizeof *L);
  cs_i_text_extents ("Ag", CS_STYLE_TITLE_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, NULL, &L->title_h);
  top = CS_STYLE_PAD + L->title_h + 8.0;
  /* Side by side down to the CLI's default export (453 units wide): stacked, a short canvas
   * would leave the table room for its headings only. */
  if (width >= 440.0)
    {
      double tw = CLAMP (width * 0.36, 200.0, 380.0);
      L->chart = (CsRect){ 0.0, top, width - tw, MAX (height - top, 1.0) };
      L->table = (CsRect){ width - tw, top, tw - CS_STYLE_PAD, MAX (height - top - CS_STYLE_PAD, 1.0) };
    }
  else
    {
      double ch = MAX (floor ((height - top) * 0.55), 1.0);
      L->chart = (CsRect){ 0.0, top, width, ch };
      L->table = (CsRect){ CS_STYLE_PAD, top + ch + 4.0, MAX (width - 2 * CS_STYLE_PAD, 1.0),
                           MAX (height - top - ch - 4.0 - CS_STYLE_PAD, 1.0) };
    }
}

void
cs_render_novel_layout (const CsNovelModel *m,
                        double              width,
                        double              height,
                        CsRect             *chart,
                        CsRect             *table)
{
  Layout L;

  g_return_if_fail (m != NULL);
  layout (m, width, height, &L);
  if (chart != NULL)
    *chart = L.chart;
  if (table != NULL)
    *table = L.table;
}

/* Wrapped text from (x, y) in a column max_w wide, stopping above y_max; returns the y below. */
static double
draw_wrapped (cairo_t    *cr,
              const char *text,
              double      size,
              int         weight,
              double      x,
              double      y,
              double      max_w,
              double      y_max)
{
  g_auto (GStrv) lines = cs_i_text_wrap (text, size, weight, max_w, max_w);
  double         h;

  cs_i_text_extents ("Ag", size, weight, NULL, &h);
  for (guint i = 0; lines[i] != NULL && y + h <= y_max; i++, y += h * 1.2)
    cs_i_text_draw (cr, lines[i], size, weight, x, y, 0.0, 0.0, 0.0);
  return y;
}

/* One entry of the split: a swatch, the name, and the counts right-aligned. */
static void
draw_entry (cairo_t            *cr,
            const CsNovelModel *m,
            guint               j,
            const CsRect       *t,
            double              y,
            double              row_h)
{
  double           rgb[3];
  g_autofree char *size = cs_i_format_count (m->sizes[j]);
  g_autofree char *counts = NULL;
  g_autofree char *name = NULL;
  double           cw;
  double           cy = y + row_h / 2;

  if (j < m->k_known && m->labelled[j] > 0)
    {
      g_autofree char *lab = cs_i_format_count (m->labelled[j]);
      counts = g_strdup_printf ("%s rows · %s known", size, lab);
    }
  else
    counts = g_strdup_printf ("%s rows", size);
  cs_i_view_cluster_rgb (cr, m->color_slot, j, rgb);
  cs_i_view_set_rgb (cr, rgb);
  cairo_new_sub_path (cr);
  cairo_arc (cr, t->x + CS_STYLE_SWATCH_RADIUS + 1.0, cy, CS_STYLE_SWATCH_RADIUS, 0, 2 * G_PI);
  cairo_fill (cr);
  cs_i_text_extents (counts, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &cw, NULL);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
  cs_i_text_draw (cr, counts, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, t->x + t->width, cy, 1.0, 0.5, 0.0);
  name = cs_i_text_ellipsize (m->names[j], CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL,
                              MAX (t->width - CS_STYLE_LEGEND_SWATCH - cw - 10.0, 0.0));
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  cs_i_text_draw (cr, name, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, t->x + CS_STYLE_LEGEND_SWATCH, cy, 0.0, 0.5,
                  0.0);
}

/* A group of entries (known classes or novel clusters) under its heading; as many as fit in
 * `rows` lines, the rest counted on the last. Returns the y below. */
static double
draw_group (cairo_t            *cr,
            const CsNovelModel *m,
            const char         *heading,
            guint               first,
            guint               count,
            guint               rows,
            const CsRect       *t,
            double              y,
            double              row_h)
{
  guint shown = count <= rows ? count : (rows > 0 ? rows - 1 : 0);

  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TITLE);
  cs_i_text_draw (cr, heading, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_SEMIBOLD, t->x, y + row_h / 2, 0.0, 0.5, 0.0);
  y += row_h;
  for (guint i = 0; i < shown; i++, y += row_h)
    draw_entry (cr, m, first + i, t, y, row_h);
  if (shown < count && rows > 0)
    {
      g_autofree char *more = g_strdup_printf ("… and %u more", count - shown);
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      cs_i_text_draw (cr, more, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, t->x + CS_STYLE_LEGEND_SWATCH,
                      y + row_h / 2, 0.0, 0.5, 0.0);
      y += row_h;
    }
  return y;
}

static void
draw_table (cairo_t            *cr,
            const CsNovelModel *m,
            const CsRect       *t)
{
  double           row_h = CS_STYLE_SMALL_SIZE * CS_STYLE_LEGEND_ROW;
  guint            q = m->k - m->k_known;
  g_autofree char *known_head = g_strdup_printf ("Known classes · %u", m->k_known);
  g_autofree char *novel_head = g_strdup_printf ("Novel clusters found · %u", q);
  g_autofree char *rows = cs_i_format_count (m->n);
  g_autofree char *lab = cs_i_format_count (m->n_labelled);
  g_autofree char *summary = g_strdup_printf ("%s rows clustered · %s with a known class", rows, lab);
  double           note_h = 0.0;
  double           summary_h;
  double           y = t->y;
  guint            lines;
  guint            known_rows;
  guint            novel_rows;

  /* The summary keeps its lines, the groups share the rest, and the note (how to read the
   * curve) comes below them only when all of it fits. */
  {
    g_auto (GStrv) wrapped = cs_i_text_wrap (summary, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, t->width, t->width);
    double h;
    cs_i_text_extents ("Ag", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, NULL, &h);
    summary_h = g_strv_length (wrapped) * h * 1.2 + 0.6 * row_h;
    if (m->note != NULL && m->curve != NULL)
      {
        g_auto (GStrv) note = cs_i_text_wrap (m->note, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, t->width, t->width);
        note_h = g_strv_length (note) * h * 1.2 + 4.0;
      }
  }
  lines = (guint) MAX (floor ((t->height - summary_h) / row_h - (m->k_known > 0 ? 0.8 : 0.4)), 0.0);
  lines = lines > 2 ? lines - 2 : 0; /* the two headings */
  known_rows = m->k_known <= lines / 2 || q <= lines / 2 ? MIN (m->k_known, lines - MIN (q, lines / 2))
                                                         : lines / 2;
  novel_rows = MIN (q, lines - known_rows);

  cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
  y = draw_wrapped (cr, summary, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, t->x, y, t->width, t->y + t->height);
  y += 0.6 * row_h;
  if (m->k_known > 0)
    y = draw_group (cr, m, known_head, 0, m->k_known, known_rows, t, y, row_h) + row_h * 0.4;
  y = draw_group (cr, m, novel_head, m->k_known, q, novel_rows, t, y, row_h) + row_h * 0.4;
  if (m->note != NULL && m->curve != NULL && y + note_h <= t->y + t->height)
    {
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_TICK);
      draw_wrapped (cr, m->note, CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, t->x, y + 4.0, t->width,
                    t->y + t->height);
    }
}

void
cs_render_novel (cairo_t       *cr,
                 gconstpointer  model,
                 double         width,
                 double         height)
{
  const CsNovelModel *m = model;
  Layout              L;

  g_return_if_fail (cr != NULL);
  cairo_save (cr);
  cs_i_view_clear (cr, width, height);
  if (m == NULL)
    {
      cairo_restore (cr);
      return;
    }
  layout (m, width, height, &L);
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_TITLE);
  cs_i_view_draw_title (cr, m->title, CS_STYLE_PAD, width);

  cairo_save (cr);
  cairo_rectangle (cr, L.chart.x, L.chart.y, L.chart.width, L.chart.height);
  cairo_clip (cr);
  cairo_translate (cr, L.chart.x, L.chart.y);
  if (m->curve != NULL)
    cs_render_trace (cr, m->curve, L.chart.width, L.chart.height);
  else if (m->note != NULL)
    {
      /* No curve: the reason, where the curve would be. */
      cs_i_view_set_rgb (cr, CS_STYLE_RGB_LABEL);
      draw_wrapped (cr, m->note, CS_STYLE_SMALL_SIZE, CS_STYLE_WEIGHT_NORMAL, CS_STYLE_PAD, CS_STYLE_PAD,
                    MAX (L.chart.width - 2 * CS_STYLE_PAD, 10.0), L.chart.height);
    }
  cairo_restore (cr);

  draw_table (cr, m, &L.table);
  cairo_restore (cr);
}
