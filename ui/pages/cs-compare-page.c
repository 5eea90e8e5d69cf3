#include "ui/pages/cs-compare-page.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/cs-format.h"
#include "core/metrics/cs-compare.h"
#include "ui/cs-figure-view.h"
#include "ui/cs-worker.h"
#include "ui/render/cs-render-compare.h"

struct _CsComparePage
{
  GtkWidget parent_instance;

  /* Template */
  GtkWidget *other_dropdown;
  GtkWidget *view;

  CsDataset    *dataset;  /* Owned ref, may be NULL */
  CsPageResult *result;   /* Owned ref, may be NULL */
  GPtrArray    *others;   /* Owned: CsPageResult* per drop-down item after the label column */
  gboolean      has_truth; /* item 0 is the label column */
  gboolean      stale;
  gboolean      syncing;
  CsWorker     *worker;   /* Owned */
};

static void cs_compare_page_iface_init (CsPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsComparePage, cs_compare_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (CS_TYPE_PAGE, cs_compare_page_iface_init))

/* Worker ---------------------------------------------------------------------------------- */

typedef struct
{
  CsDataset    *dataset; /* Owned ref */
  CsPageResult *a;       /* Owned ref */
  CsPageResult *b;       /* Owned ref, or NULL: the label column */
} Input;

static void
input_free (Input *in)
{
  cs_dataset_unref (in->dataset);
  cs_page_result_unref (in->a);
  g_clear_pointer (&in->b, cs_page_result_unref);
  g_free (in);
}

static char *
run_title (const CsPageResult *r)
{
  const CsClustering *c = r->pipeline->clustering;

  if (r->title != NULL)
    {
      /* The status line's first part: "k-means: 3 clusters · silhouette …" → "k-means: 3 clusters". */
      const char *dot = strstr (r->title, " · ");
      return dot != NULL ? g_strndup (r->title, (gsize) (dot - r->title)) : g_strdup (r->title);
    }
  return g_strdup_printf ("%s, k = %u", c->algorithm, c->k);
}

static int
cmp_double (const void *p, const void *q)
{
  double a = *(const double *) p;
  double b = *(const double *) q;
  return (a > b) - (a < b);
}

/* Class names of the label column: its levels, or its distinct values in ascending order (the
 * order cs_dataset_class_labels numbers them in). */
static char **
class_names (const CsDataset *ds,
             guint            n_classes)
{
  const CsColumn *col = cs_dataset_column (ds, ds->label_column);
  char **names = g_new0 (char *, n_classes + 1);
  g_autofree double *values = NULL;
  gsize n = 0;
  guint distinct = 0;

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
  qsort (values, n, sizeof (double), cmp_double);
  for (gsize i = 0; i < n && distinct < n_classes; i++)
    if (i == 0 || values[i] != values[i - 1])
      {
        char buf[40];
        names[distinct++] = g_strdup (cs_format_double (buf, sizeof buf, values[i]));
      }
  for (guint j = distinct; j < n_classes; j++)
    names[j] = g_strdup_printf ("class %u", j + 1);
  return names;
}

static gpointer
compute (gpointer data,
         CsProgress *progress,
         GError    **error)
{
  Input *in = data;
  const CsPipelineResult *ra = in->a->pipeline;
  gsize N = in->dataset->n_rows;
  g_autofree int *full_a = g_new (int, N);
  g_autofree int *full_b = g_new (int, N);
  g_autofree int *a = g_new (int, N);
  g_autofree int *b = g_new (int, N);
  g_autofree int *classes = NULL;
  g_auto (GStrv) names = NULL;
  g_autofree char *title_a = run_title (in->a);
  g_autofree char *title_b = NULL;
  CsComparison *comparison;
  guint kb;
  gsize n = 0;

  for (gsize i = 0; i < N; i++)
    full_a[i] = full_b[i] = INT_MIN;
  for (gsize i = 0; i < ra->clustering->n; i++)
    full_a[ra->prep->rows[i]] = ra->clustering->labels[i];
  if (in->b != NULL)
    {
      const CsPipelineResult *rb = in->b->pipeline;
      for (gsize i = 0; i < rb->clustering->n; i++)
        full_b[rb->prep->rows[i]] = rb->clustering->labels[i];
      kb = rb->clustering->k;
      title_b = run_title (in->b);
    }
  else
    {
      classes = cs_dataset_class_labels (in->dataset, &kb);
      /* A row without a class is left out, not counted as noise. */
      for (gsize i = 0; i < N; i++)
        full_b[i] = classes[i] >= 0 ? classes[i] : INT_MIN;
      names = class_names (in->dataset, kb);
      title_b = g_strdup_printf ("the label column ‘%s’", cs_dataset_column (in->dataset, in->dataset->label_column)->name);
    }
  for (gsize i = 0; i < N; i++)
    if (full_a[i] != INT_MIN && full_b[i] != INT_MIN)
      {
        a[n] = full_a[i];
        b[n] = full_b[i];
        n++;
      }
  if (!cs_progress_check (progress, error))
    return NULL;
  comparison = cs_comparison_new (a, ra->clustering->k, b, kb, n, error);
  if (comparison == NULL)
    return NULL;
  return cs_compare_model_new (comparison, title_a, title_b, (const char *const *) names);
}

static void
done (gpointer result,
      const GError *error,
      gpointer user_data)
{
  CsComparePage *self = user_data;

  cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), (CsRenderFunc) cs_render_compare, result,
                             (GBoxedCopyFunc) cs_compare_model_ref, (GDestroyNotify) cs_compare_model_unref);
  if (result != NULL)
    cs_compare_model_unref (result);
  cs_page_changed (CS_PAGE (self));
}

static void
refresh (CsComparePage *self)
{
  guint item = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->other_dropdown));
  Input *in;

  self->stale = FALSE;
  if (self->result == NULL || self->dataset == NULL || item == GTK_INVALID_LIST_POSITION
      || (!self->has_truth && self->others->len == 0))
    {
      cs_worker_drop (self->worker);
      cs_figure_view_set_figure (CS_FIGURE_VIEW (self->view), (CsRenderFunc) cs_render_compare, NULL, NULL, NULL);
      return;
    }
  in = g_new0 (Input, 1);
  in->dataset = cs_dataset_ref (self->dataset);
  in->a = cs_page_result_ref (self->result);
  if (!(self->has_truth && item == 0))
    {
      guint k = item - (self->has_truth ? 1 : 0);
      if (k >= self->others->len)
        {
          input_free (in);
          return;
        }
      in->b = cs_page_result_ref (g_ptr_array_index (self->others, k));
    }
  cs_worker_run (self->worker, compute, in, (GDestroyNotify) input_free, (GDestroyNotify) cs_compare_model_unref,
                 done, self);
}

static void
schedule (CsComparePage *self)
{
  self->stale = TRUE;
  if (cs_page_is_visible (CS_PAGE (self)))
    refresh (self);
  else
    cs_page_changed (CS_PAGE (self));
}

/* The drop-down: the label column first when there is one, then the earlier runs. */
static void
rebuild_choices (CsComparePage *self,
                 GPtrArray     *history)
{
  g_autoptr (GtkStringList) items = gtk_string_list_new (NULL);
  CsPageResult *previous = NULL;
  guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->other_dropdown));
  guint keep = 0;

  if (selected != GTK_INVALID_LIST_POSITION && selected >= (self->has_truth ? 1u : 0u))
    {
      guint k = selected - (self->has_truth ? 1 : 0);
      if (k < self->others->len)
        previous = g_ptr_array_index (self->others, k);
    }
  if (previous != NULL)
    cs_page_result_ref (previous);

  self->has_truth = self->dataset != NULL && self->dataset->label_column >= 0;
  if (self->has_truth)
    {
      g_autofree char *text = g_strdup_printf ("Label column ‘%s’",
                                               cs_dataset_column (self->dataset, self->dataset->label_column)->name);
      gtk_string_list_append (items, text);
    }
  if (history != NULL)
    {
      g_ptr_array_set_size (self->others, 0);
      for (guint i = 0; i < history->len; i++)
        {
          CsPageResult *r = g_ptr_array_index (history, i);
          if (r != self->result)
            g_ptr_array_add (self->others, cs_page_result_ref (r));
        }
    }
  for (guint i = 0; i < self->others->len; i++)
    {
      CsPageResult *r = g_ptr_array_index (self->others, i);
      g_autofree char *title = run_title (r);
      g_autofree char *text = g_strdup_printf ("Run %u: %s", self->others->len - i, title);
      gtk_string_list_append (items, text);
      if (r == previous)
        keep = i + (self->has_truth ? 1 : 0);
    }
  if (previous != NULL)
    cs_page_result_unref (previous);
  self->syncing = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->other_dropdown), G_LIST_MODEL (items));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->other_dropdown),
                              g_list_model_get_n_items (G_LIST_MODEL (items)) > 0 ? keep : GTK_INVALID_LIST_POSITION);
  self->syncing = FALSE;
  gtk_widget_set_sensitive (self->other_dropdown, g_list_model_get_n_items (G_LIST_MODEL (items)) > 1);
}

static void
selected_cb (GtkDropDown   *dropdown,
             GParamSpec    *pspec,
             CsComparePage *self)
{
  if (!self->syncing)
    schedule (self);
}

/* CsPage ---------------------------------------------------------------------------------- */

static void
set_dataset (CsPage *page, CsDataset *dataset)
{
  CsComparePage *self = CS_COMPARE_PAGE (page);

  g_clear_pointer (&self->dataset, cs_dataset_unref);
  self->dataset = dataset != NULL ? cs_dataset_ref (dataset) : NULL;
  g_ptr_array_set_size (self->others, 0);
  rebuild_choices (self, NULL);
  schedule (self);
}

static void
set_result (CsPage *page, CsPageResult *result)
{
  CsComparePage *self = CS_COMPARE_PAGE (page);

  g_clear_pointer (&self->result, cs_page_result_unref);
  self->result = result != NULL ? cs_page_result_ref (result) : NULL;
  schedule (self);
}

static void
set_history (CsPage *page, GPtrArray *history)
{
  CsComparePage *self = CS_COMPARE_PAGE (page);

  rebuild_choices (self, history);
  schedule (self);
}

static void
shown (CsPage *page)
{
  CsComparePage *self = CS_COMPARE_PAGE (page);

  if (self->stale)
    refresh (self);
}

static void
cancel (CsPage *page)
{
  cs_worker_drop (CS_COMPARE_PAGE (page)->worker);
}

static gboolean
applies (CsPage *page, char **why_not)
{
  CsComparePage *self = CS_COMPARE_PAGE (page);

  if (self->result == NULL)
    *why_not = g_strdup ("Run a clustering to compare it with the label column or an earlier run");
  else if (!self->has_truth && self->others->len == 0)
    *why_not = g_strdup ("Nothing to compare with: the data has no label column and this is the first run");
  else
    return TRUE;
  return FALSE;
}

static void
cs_compare_page_iface_init (CsPageInterface *iface)
{
  iface->name = "compare";
  iface->title = "Compare";
  iface->group = CS_PAGE_GROUP_CLUSTERS;
  iface->set_dataset = set_dataset;
  iface->set_result = set_result;
  iface->set_history = set_history;
  iface->shown = shown;
  iface->cancel = cancel;
  iface->applies = applies;
}

static void
cs_compare_page_dispose (GObject *object)
{
  CsComparePage *self = CS_COMPARE_PAGE (object);

  if (self->worker != NULL)
    cs_worker_drop (self->worker);
  g_clear_object (&self->worker);
  g_clear_pointer (&self->dataset, cs_dataset_unref);
  g_clear_pointer (&self->result, cs_page_result_unref);
  g_clear_pointer (&self->others, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), CS_TYPE_COMPARE_PAGE);
  {
    GtkWidget *child;
    /* The template's root box is not a bound child, so dispose_template leaves it. */
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
      gtk_widget_unparent (child);
  }
  G_OBJECT_CLASS (cs_compare_page_parent_class)->dispose (object);
}

static void
cs_compare_page_class_init (CsComparePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cs_compare_page_dispose;
  g_type_ensure (CS_TYPE_FIGURE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/clusterscope/Clusterscope/ui/pages/cs-compare-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CsComparePage, other_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CsComparePage, view);
}

static void
cs_compare_page_init (CsComparePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->others = g_ptr_array_new_with_free_func ((GDestroyNotify) cs_page_result_unref);
  self->worker = cs_worker_new (CS_WORKER_REPLACE);
  g_signal_connect (self->other_dropdown, "notify::selected", G_CALLBACK (selected_cb), self);
}
