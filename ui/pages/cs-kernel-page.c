#include "ui/pages/cs-kernel-page.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/graph/cs-graph-kernel.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-worker.h"
#include "ui/render/cs-render-sdp.h"

/* Rows drawn at most: above, an evenly spaced sample of the ordered rows (as the SDP page). */
#define MAX_SHOWN 300

struct _CsKernelPage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *kernel_dropdown;
  GtkWidget *alpha_spin;
  GtkWidget *view;

  CsGraph           *graph;   /* Owned ref, may be NULL */
  char              *name;    /* Owned: the dataset's name */
  CsPageResult      *result;  /* Owned ref, may be NULL */
  const CsPlotModel *scatter; /* Borrowed until the next set_points: the clusters' colours */
  gboolean           stale;
  CsWorker          *worker;  /* Owned */
};

static void cs_kernel_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsKernelPage, cs_kernel_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_kernel_page_iface_init))

typedef struct
{
  CsGraph      *graph;      /* Owned ref */
  CsGraphKernel kernel;
  double        alpha;
  int          *labels;     /* Owned, graph->n: the order (noise, −1, first) */
  guint         k;
  int          *color_slot; /* Owned, k */
  char         *title;      /* Owned */
  char         *order;      /* Owned: what the order is */
} Input;

static void
input_free (Input *in)
{
  cs_graph_unref (in->graph);
  g_free (in->labels);
  g_free (in->color_slot);
  g_free (in->title);
  g_free (in->order);
  g_free (in);
}

static int
by_label (gconstpointer a, gconstpointer b, gpointer data)
{
  const int *labels = data;
  gsize      i = *(const gsize *) a, j = *(const gsize *) b;

  if (labels[i] != labels[j])
    return labels[i] < labels[j] ? -1 : 1;
  return i < j ? -1 : i > j;
}

static gpointer
compute (gpointer    data,
         CsProgress *progress,
         GError    **error)
{
  Input *in = data;
  const CsGraph *g = in->graph;
  g_autoptr (CsGraphSpectra) spectra = NULL;
  g_autoptr (CsMatrix) K = NULL;
  g_autofree gsize *order = g_new (gsize, g->n);
  CsSdpModel *m;
  double rho = 1.0, t, lo = INFINITY, hi = -INFINITY;
  gsize shown = MIN (g->n, (gsize) MAX_SHOWN);
  g_autofree char *rows = NULL;
  g_autofree char *shown_text = NULL;

  spectra = cs_graph_spectra_new (g, error);
  if (spectra == NULL)
    return NULL;
  if (cs_graph_kernel_scale (in->kernel) == CS_GRAPH_SCALE_RHO && !cs_graph_spectra_rho (spectra, &rho, progress, error))
    return NULL;
  t = cs_graph_kernel_t_from_alpha (in->kernel, in->alpha, rho);
  if (!cs_graph_kernel_compute (spectra, in->kernel, t, &K, NULL, progress, error))
    return NULL;
  for (gsize i = 0; i < g->n; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint) g->n, sizeof (gsize), by_label, in->labels);

  m = g_new0 (CsSdpModel, 1);
  g_atomic_ref_count_init (&m->ref);
  m->m = shown;
  m->n = g->n;
  m->z = g_new (double, shown * shown);
  m->labels = g_new (int, shown);
  for (gsize a = 0; a < shown; a++)
    {
      gsize i = order[shown == g->n ? a : a * g->n / shown];
      m->labels[a] = in->labels[i];
      for (gsize b = 0; b < shown; b++)
        {
          gsize  j = order[shown == g->n ? b : b * g->n / shown];
          double v = cs_matrix_get (K, i, j);
          m->z[a * shown + b] = v;
          if (isfinite (v))
            {
              lo = MIN (lo, v);
              hi = MAX (hi, v);
            }
        }
    }
  /* Kernels live on any scale (logs are negative): shown as (K − min) / (max − min). */
  for (gsize e = 0; e < shown * shown; e++)
    m->z[e] = hi > lo && isfinite (m->z[e]) ? (m->z[e] - lo) / (hi - lo) : 0.0;
  m->k = in->k;
  m->color_slot = g_memdup2 (in->color_slot, MAX (in->k, 1) * sizeof (int));
  m->descriptive = TRUE;
  rows = cs_format_count (g->n);
  shown_text = cs_format_count (shown);
  m->title = shown == g->n ? g_strdup (in->title) : g_strdup_printf ("%s (%s of %s nodes, evenly spaced)", in->title,
                                                                     shown_text, rows);
  m->certificate = g_strdup_printf ("%s. Dark diagonal blocks: nodes the kernel finds close to each other.",
                                    in->order);
  {
    g_autofree char *lo_text = cs_render_format_number (lo);
    g_autofree char *hi_text = cs_render_format_number (hi);
    char t_text[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd (t_text, sizeof t_text, "%.4g", t);
    m->numbers = g_strdup_printf ("%s, t = %s (α = %.2f) · entries from %s to %s, shown as (K − min) / (max − min)",
                                  cs_graph_kernel_name (in->kernel), t_text, in->alpha, lo_text, hi_text);
  }
  return m;
}

static void
done (gpointer      result,
      const GError *error,
      gpointer      user_data)
{
  CsKernelPage *self = user_data;

  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), cs_render_sdp, result, (GBoxedCopyFunc) cs_sdp_model_ref,
                             (GDestroyNotify) cs_sdp_model_unref);
  if (result != NULL)
    cs_sdp_model_unref (result);
  cs_page_changed (CS_PAGE (self));
}

static void
refresh (CsKernelPage *self)
{
  guint item = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->kernel_dropdown));
  const CsClustering *c = self->result != NULL ? self->result->pipeline->clustering : NULL;
  Input *in;

  self->stale = FALSE;
  if (self->graph == NULL || item >= CS_GRAPH_KERNEL_COUNT)
    {
      cs_worker_drop (self->worker);
      cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), cs_render_sdp, NULL, NULL, NULL);
      return;
    }
  in = g_new0 (Input, 1);
  in->graph = cs_graph_ref (self->graph);
  in->kernel = (CsGraphKernel) item;
  in->alpha = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->alpha_spin));
  in->labels = g_new (int, self->graph->n);
  /* The order: the current clustering when it labels every node, else the node table's classes. */
  if (c != NULL && c->n == self->graph->n && self->result->pipeline->prep->x->rows == self->graph->n)
    {
      const CsPlotModel *s = self->scatter != NULL && self->scatter->labels != NULL && self->scatter->k == c->k
                                 ? self->scatter
                                 : NULL;
      memcpy (in->labels, c->labels, c->n * sizeof (int));
      in->k = c->k;
      in->color_slot = g_new (int, MAX (c->k, 1));
      for (guint j = 0; j < c->k; j++)
        in->color_slot[j] = s != NULL ? s->color_slot[j] : (int) j;
      in->order = g_strdup ("Rows and columns ordered by the current clustering");
    }
  else
    {
      in->k = self->graph->labels != NULL ? self->graph->n_classes : 0;
      in->color_slot = g_new (int, MAX (in->k, 1));
      for (guint j = 0; j < in->k; j++)
        in->color_slot[j] = (int) j;
      for (gsize i = 0; i < self->graph->n; i++)
        in->labels[i] = self->graph->labels != NULL ? self->graph->labels[i] : 0;
      in->order = g_strdup (self->graph->labels != NULL ? "Rows and columns ordered by the node labels (run a clustering "
                                                          "to order them by its clusters)"
                                                        : "Rows and columns in node order (run a clustering to order "
                                                          "them by its clusters)");
      if (self->graph->labels == NULL)
        in->k = 1;
    }
  in->title = g_strdup_printf ("%s — %s kernel", self->name, cs_graph_kernel_name (in->kernel));
  cs_worker_run (self->worker, compute, in, (GDestroyNotify) input_free, (GDestroyNotify) cs_sdp_model_unref, done,
                 self);
}

static void
schedule (CsKernelPage *self)
{
  self->stale = TRUE;
  if (cs_page_is_visible (CS_PAGE (self)))
    refresh (self);
  else
    cs_page_changed (CS_PAGE (self));
}

static void
changed_cb (GObject      *object,
            GParamSpec   *pspec,
            CsKernelPage *self)
{
  schedule (self);
}

static void
alpha_cb (GtkSpinButton *spin,
          CsKernelPage  *self)
{
  schedule (self);
}

static void
set_dataset (CsPage    *page,
             CsDataset *dataset)
{
  CsKernelPage *self = CS_KERNEL_PAGE (page);
  CsGraph      *g = dataset != NULL ? dataset->graph : NULL;

  g_free (self->name);
  self->name = g_strdup (dataset != NULL ? dataset->name : "");
  if (g == self->graph)
    return;
  g_clear_pointer (&self->graph, cs_graph_unref);
  self->graph = g != NULL ? cs_graph_ref (g) : NULL;
  schedule (self);
}

static void
set_result (CsPage       *page,
            CsPageResult *result)
{
  CsKernelPage *self = CS_KERNEL_PAGE (page);

  if (result == self->result)
    return;
  g_clear_pointer (&self->result, cs_page_result_unref);
  self->result = result != NULL ? cs_page_result_ref (result) : NULL;
  if (self->graph != NULL)
    schedule (self);
}

static void
set_points (CsPage            *page,
            const CsPlotModel *scatter)
{
  CS_KERNEL_PAGE (page)->scatter = scatter;
}

static void
shown (CsPage *page)
{
  CsKernelPage *self = CS_KERNEL_PAGE (page);

  if (self->stale)
    refresh (self);
}

static void
cancel (CsPage *page)
{
  CsKernelPage *self = CS_KERNEL_PAGE (page);

  cs_worker_drop (self->worker);
  self->stale = TRUE;
}

static gboolean
applies (CsPage *page,
         char  **why_not)
{
  if (CS_KERNEL_PAGE (page)->graph != NULL)
    return TRUE;
  *why_not = g_strdup ("The data is not a graph: open an edge list (.edges, .edges.csv) or the Karate club sample");
  return FALSE;
}

static void
cs_kernel_page_iface_init (CsPageInterface *iface)
{
  iface->name = "kernel";
  iface->title = "Kernel";
  iface->group = CS_PAGE_GROUP_DATA;
  iface->set_dataset = set_dataset;
  iface->set_result = set_result;
  iface->set_points = set_points;
  iface->shown = shown;
  iface->cancel = cancel;
  iface->applies = applies;
}

static void
cs_kernel_page_dispose (GObject *object)
{
  CsKernelPage *self = CS_KERNEL_PAGE (object);
  GtkWidget    *child;

  if (self->worker != NULL)
    cs_worker_drop (self->worker);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->graph, cs_graph_unref);
  g_clear_pointer (&self->result, cs_page_result_unref);
  g_clear_pointer (&self->name, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_KERNEL_PAGE);
  /* The template's root box is not a bound child, so dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (cs_kernel_page_parent_class)->dispose (object);
}

static void
cs_kernel_page_class_init (CsKernelPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_kernel_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/clusterscope/Clusterscope/ui/pages/cs-kernel-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsKernelPage, kernel_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CsKernelPage, alpha_spin);
  gtk_widget_class_bind_template_child (widget_class, CsKernelPage, view);
}

static void
cs_kernel_page_init (CsKernelPage *self)
{
  g_autoptr (GtkStringList) items = gtk_string_list_new (NULL);
  CsGraphKernel logcomm = CS_GRAPH_KERNEL_LOG_COMM;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->worker = cs_worker_new (CS_WORKER_REPLACE);
  self->name = g_strdup ("");
  for (guint i = 0; i < CS_GRAPH_KERNEL_COUNT; i++)
    gtk_string_list_append (items, cs_graph_kernel_name ((CsGraphKernel) i));
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->kernel_dropdown), G_LIST_MODEL (items));
  /* The graph algorithms' default kernel */
  cs_graph_kernel_from_id ("logcomm", &logcomm);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->kernel_dropdown), (guint) logcomm);
  g_signal_connect (self->kernel_dropdown, "notify::selected", G_CALLBACK (changed_cb), self);
  g_signal_connect (self->alpha_spin, "value-changed", G_CALLBACK (alpha_cb), self);
}
