#include "ui/render/cs-render-ppp.h"
#include "core/base/cs-format.h"
#include "ui/render/cs-render-views-private.h"

#include <math.h>
#include <string.h>

CsPppModel *
cs_ppp_model_new (const CsClustering *c,
                  const int          *color_slot,
                  const CsPlotModel  *scatter)
{
  CsPppModel *m;
  guint accepted = 0;

  g_return_val_if_fail (c != NULL, NULL);
  if (c->ppp == NULL || c->ppp->n_nodes == 0)
    return NULL;
  m = g_new0 (CsPppModel, 1);
  g_atomic_ref_count_init (&m->ref);
  m->tree = *c->ppp;
  m->tree.nodes = g_memdup2 (c->ppp->nodes, c->ppp->n_nodes * sizeof (CsPppNode));
  m->k = c->k;
  m->color_slot = g_new (int, MAX (c->k, 1));
  for (guint j = 0; j < c->k; j++)
    m->color_slot[j] = color_slot ? color_slot[j] : (int) j;
  if (scatter != NULL && scatter->labels != NULL && scatter->n == c->n)
    {
      m->scatter = cs_plot_model_copy (scatter);
      m->scatter->show_legend = FALSE;
      g_clear_pointer (&m->scatter->title, g_free);
    }
  for (guint i = 0; i < c->ppp->n_nodes; i++)
    accepted += c->ppp->nodes[i].verdict == CS_PPP_ACCEPTED;
  m->title = g_strdup_printf ("PPP found k = %u: %u split%s accepted", c->k, accepted, accepted == 1 ? "" : "s");
  return m;
}

CsPppModel *
cs_ppp_model_ref (CsPppModel *m)
{
  g_atomic_ref_count_inc (&m->ref);
  return m;
}

void
cs_ppp_model_unref (CsPppModel *m)
{
  if (m == NULL || !g_atomic_ref_count_dec (&m->ref))
    return;
  g_free (m->tree.nodes);
  g_free (m->color_slot);
  g_clear_pointer (&m->scatter, cs_plot_model_free);
  g_free (m->title);
  g_free (m);
}

typedef struct
{
  CsRect  tree;    /* where the tree goes */
  CsRect  plot;    /* where the scatter goes (width 0 without one) */
  guint   depth;   /* levels */
  guint   leaves;
  double *cx;      /* per node: box centre x */
  guint  *level;
  double  box_w;
  double  box_h;
  double  level_h;
} Layout;

static void
place (const CsPppModel *m,
       int               id,
       double           *next_leaf,
       Layout           *L)
{
  const CsPppNode *nd = &m->tree.nodes[id];
  double slot = L->tree.width / MAX (L->leaves, 1);

  if (nd->left < 0)
    {
      L->cx[id] = L->tree.x + (*next_leaf + 0.5) * slot;
      *next_leaf += 1.0;
      return;
    }
  place (m, nd->left, next_leaf, L);
  place (m, nd->right, next_leaf, L);
  L->cx[id] = 0.5 * (L->cx[nd->left] + L->cx[nd->right]);
}

static double
line_height (void)
{
  double w;
  double h;

  cs_i_text_extents ("Ag", CS_STYLE_TICK_SIZE, CS_STYLE_WEIGHT_NORMAL, &w, &h);
  return h * 1.15;
}

static void
layout (const CsPppModel *m,
        double            width,
        double            height,
        Layout           *L)
{
  double top = CS_STYLE_PAD + CS_STYLE_TITLE_SIZE * 1.8;
  double usable = width - 2 * CS_STYLE_PAD;
  double next = 0.0;

  memset (L, 0, sizeof *L);
  for (guint i = 0; i < m->tree.n_nodes; i++)
    {
      L->depth = MAX (L->depth, m->tree.nodes[i].depth + 1);
      L->leaves += m->tree.nodes[i].left < 0;
    }
  L->tree.x = CS_STYLE_PAD;
  L->tree.y = top;
  L->tree.height = height - top - CS_STYLE_PAD;
  if (m->scatter != NULL && usable > 500)
    {
      /* As wide as the leaves need, leaving the clusters at least 40 %. */
      L->tree.width = CLAMP (L->leaves * 175.0, usable * 0.35, usable * 0.6);
      L->plot.x = L->tree.x + L->tree.width + CS_STYLE_LEGEND_GAP;
      L->plot.y = top - CS_STYLE_PAD;
      L->plot.width = width - L->plot.x;
      L->plot.height = height - L->plot.y;
    }
  else
    L->tree.width = usable;
  L->cx = g_new (double, m->tree.n_nodes);
  place (m, 0, &next, L);
  L->box_w = MIN (L->tree.width / MAX (L->leaves, 1) - 6.0, 190.0);
  L->box_h = 4 * line_height () + 8.0;
  L->level_h = L->depth > 1 ? MIN ((L->tree.height - L->box_h) / (L->depth - 1), L->box_h * 2.2) : 0.0;
}

void
cs_render_ppp_node_box (const CsPppModel *m,
                        double            width,
                        double            height,
                        guint             i,
                        CsRect           *box)
{
  Layout L;

  g_return_if_fail (i < m->tree.n_nodes);
  layout (m, width, height, &L);
  box->x = L.cx[i] - L.box_w / 2;
  box->y = L.tree.y + m->tree.nodes[i].depth * L.level_h;
  box->width = L.box_w;
  box->height = L.box_h;
  g_free (L.cx);
}

/* "96.3 %", or "100 %" when it rounds to a whole number: boxes are narrow. */
static char *
percent (double v)
{
  double p = 100.0 * v;
  g_autofree char *s = cs_i_format_fixed (p, fabs (p - round (p)) < 0.05 ? 0 : 1);
  return g_strdup_printf ("%s %%", s);
}

/* Up to four lines for node i, the first always its size. */
static void
node_lines (const CsPppModel *m,
            guint             i,
            char            **lines)
{
  const CsPppNode *nd = &m->tree.nodes[i];
  const CsPppOptions *o = &m->tree.options;
  g_autofree char *rows = cs_format_count (nd->size);
  g_autofree char *agree = isfinite (nd->agreement) ? percent (nd->agreement) : NULL;
  g_autofree char *sure = isfinite (nd->confident) ? percent (nd->confident) : NULL;
  g_autofree char *need_agree = percent (o->min_agreement);
  g_autofree char *need_sure = percent (o->min_confident);
  g_autofree char *dbic = isfinite (nd->bic_two) ? cs_i_format_fixed (nd->bic_two - nd->bic_one, 1) : NULL;

  lines[0] = nd->cluster >= 0 ? g_strdup_printf ("Cluster %d · %s rows", nd->cluster + 1, rows)
                              : g_strdup_printf ("%s rows", rows);
  lines[1] = lines[2] = lines[3] = NULL;
  switch (nd->verdict)
    {
    case CS_PPP_ACCEPTED:
      lines[1] = g_strdup ("split accepted");
      lines[2] = g_strdup_printf ("agree %s · sure %s", agree, sure);
      lines[3] = g_strdup_printf ("ΔBIC %s", dbic);
      break;
    case CS_PPP_AGREEMENT:
      lines[1] = g_strdup ("stop: mixture disagrees");
      lines[2] = g_strdup_printf ("agree %s < %s", agree, need_agree);
      break;
    case CS_PPP_POSTERIOR:
      lines[1] = g_strdup ("stop: not confident");
      lines[2] = g_strdup_printf ("sure %s < %s", sure, need_sure);
      break;
    case CS_PPP_BIC:
      lines[1] = g_strdup ("stop: BIC prefers one");
      lines[2] = g_strdup_printf ("ΔBIC %s ≥ 0", dbic);
      break;
    case CS_PPP_MIN_SIZE:
      {
        g_autofree char *a = cs_format_count (nd->size_a);
        g_autofree char *b = cs_format_count (nd->size_b);
        g_autofree char *min = cs_format_count (o->min_size);
        lines[1] = g_strdup ("stop: a half too small");
        lines[2] = g_strdup_printf ("%s | %s < %s", a, b, min);
      }
      break;
    default:
      lines[1] = g_strdup_printf ("stop: %s", cs_ppp_verdict_describe (nd->verdict));
      break;
    }
  if (nd->verdict != CS_PPP_ACCEPTED && agree != NULL && lines[3] == NULL && nd->verdict != CS_PPP_MIN_SIZE)
    lines[3] = nd->verdict == CS_PPP_AGREEMENT ? g_strdup_printf ("sure %s", sure)
                                               : g_strdup_printf ("agree %s", agree);
}

static void
draw_tree (cairo_t          *cr,
           const CsPppModel *m,
           const Layout     *L)
{
  double lh = line_height ();
  const double accepted_rgb[3] = { 0.15, 0.50, 0.25 };

  /* Edges first, under the boxes. */
  cs_i_view_set_rgb (cr, CS_STYLE_RGB_FRAME);
  cairo_set_line_width (cr, 1.5);
  for (guint i = 0; i < m->tree.n_nodes; i++)
    {
      const CsPppNode *nd = &m->tree.nodes[i];
      double y = L->tree.y + nd->depth * L->level_h;
      if (nd->left < 0)
        continue;
      for (int c = 0; c < 2; c++)
        {
          int child = c ? nd->right : nd->left;
          double cy = L->tree.y + m->tree.nodes[child].depth * L->level_h;
          cairo_move_to (cr, L->cx[i], y + L->box_h);
          cairo_line_to (cr, L->cx[child], cy);
        }
      cairo_stroke (cr);
    }
  for (guint i = 0; i < m->tree.n_nodes; i++)
    {
      const CsPppNode *nd = &m->tree.nodes[i];
      double x = L->cx[i] - L->box_w / 2;
      double y = L->tree.y + nd->depth * L->level_h;
      char *lines[4];
      double rgb[3];

      cairo_rectangle (cr, x, y, L->box_w, L->box_h);
      if (nd->cluster >= 0 && (guint) nd->cluster < m->k)
        {
          cs_i_view_cluster_rgb (cr, m->color_slot, (guint) nd->cluster, rgb);
          cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], 0.22);
          cairo_fill_preserve (cr);
          cs_i_view_set_rgb (cr, rgb);
          cairo_set_line_width (cr, 2.0);
        }
      else
        {
          cs_i_view_set_rgb (cr, CS_STYLE_RGB_BACKGROUND);
          cairo_fill_preserve (cr);
          cs_i_view_set_rgb (cr, accepted_rgb);
          cairo_set_line_width (cr, 1.5);
        }
      cairo_stroke (cr);
      node_lines (m, i, lines);
      for (guint l = 0; l < 4; l++)
        {
          if (lines[l] != NULL && L->box_w > 20)
            {
              g_autofree char *fit = cs_i_text_ellipsize (lines[l], CS_STYLE_TICK_SIZE,
                                                          l == 0 ? CS_STYLE_WEIGHT_SEMIBOLD : CS_STYLE_WEIGHT_NORMAL,
                                                          L->box_w - 8.0);
              cs_i_view_set_rgb (cr, l == 1 && nd->verdict == CS_PPP_ACCEPTED ? accepted_rgb : CS_STYLE_RGB_INK);
              cs_i_text_draw (cr, fit, CS_STYLE_TICK_SIZE,
                              l == 0 ? CS_STYLE_WEIGHT_SEMIBOLD : CS_STYLE_WEIGHT_NORMAL, L->cx[i], y + 4.0 + l * lh,
                              0.5, 0.0, 0.0);
            }
          g_free (lines[l]);
        }
    }
}

void
cs_render_ppp (cairo_t       *cr,
               gconstpointer  model,
               double         width,
               double         height)
{
  const CsPppModel *m = model;
  Layout L;

  g_return_if_fail (cr != NULL);
  cairo_save (cr);
  cs_i_view_clear (cr, width, height);
  if (m == NULL)
    {
      cairo_restore (cr);
      return;
    }
  layout (m, width, height, &L);
  cs_i_view_draw_title (cr, m->title, CS_STYLE_PAD, width);
  draw_tree (cr, m, &L);
  if (L.plot.width > 0)
    {
      cairo_save (cr);
      cairo_rectangle (cr, L.plot.x, L.plot.y, L.plot.width, L.plot.height);
      cairo_clip (cr);
      cairo_translate (cr, L.plot.x, L.plot.y);
      cs_render_scatter (cr, m->scatter, L.plot.width, L.plot.height);
      cairo_restore (cr);
    }
  g_free (L.cx);
  cairo_restore (cr);
}
