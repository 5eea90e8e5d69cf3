#include "ui/render/cs-plot-model.h"

#include <math.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/cluster/cs-registry.h"
#include "core/metrics/cs-metrics.h"

CsPlotModel *
cs_plot_model_new (void)
{
  CsPlotModel *m = g_new0 (CsPlotModel, 1);

  m->x_label = g_strdup ("");
  m->y_label = g_strdup ("");
  m->show_centers = TRUE;
  m->show_legend = TRUE;
  m->highlight = -1;
  m->x_max = 1.0;
  m->y_max = 1.0;
  m->x_column = -1;
  m->y_column = -1;
  m->swap_leaving = -1;
  m->swap_entering = -1;
  return m;
}

void
cs_plot_model_clear_overlays (CsPlotModel *m)
{
  g_clear_pointer (&m->caption, g_free);
  g_clear_pointer (&m->trail_x, g_free);
  g_clear_pointer (&m->trail_y, g_free);
  m->n_trail = 0;
  m->swap_leaving = -1;
  m->swap_entering = -1;
  g_clear_pointer (&m->ellipse, g_free);
  g_clear_pointer (&m->point_rgb, g_free);
  g_clear_pointer (&m->shade_legend, g_free);
  g_clear_pointer (&m->noise_name, g_free);
  g_clear_pointer (&m->candidates, g_free);
  m->n_candidates = 0;
}

static void
clear_clusters (CsPlotModel *m)
{
  g_clear_pointer (&m->labels, g_free);
  g_clear_pointer (&m->cluster_sizes, g_free);
  g_clear_pointer (&m->color_slot, g_free);
  g_clear_pointer (&m->center_x, g_free);
  g_clear_pointer (&m->center_y, g_free);
  g_clear_pointer (&m->distinctive, g_free);
  g_clear_pointer (&m->distinctive_d, g_free);
  g_clear_pointer (&m->distinctive_mean, g_free);
  m->n_distinctive = 0;
  m->k = 0;
  m->centers_are_medoids = FALSE;
  /* Trails and ellipses have one entry per cluster, point colours one per point. */
  cs_plot_model_clear_overlays (m);
}

void
cs_plot_model_free (CsPlotModel *m)
{
  if (m == NULL)
    return;
  clear_clusters (m);
  cs_plot_model_clear_overlays (m);
  g_free (m->proj);
  g_free (m->x);
  g_free (m->y);
  g_free (m->rows);
  g_free (m->title);
  g_free (m->x_label);
  g_free (m->y_label);
  g_free (m->axes_key);
  g_free (m->selected);
  g_free (m);
}

CsPlotModel *
cs_plot_model_copy (const CsPlotModel *m)
{
  CsPlotModel *c;

  g_return_val_if_fail (m != NULL, NULL);

  c = g_memdup2 (m, sizeof *m);
  c->x = g_memdup2 (m->x, m->n * sizeof (double));
  c->y = g_memdup2 (m->y, m->n * sizeof (double));
  c->rows = g_memdup2 (m->rows, m->n * sizeof (gsize));
  c->labels = g_memdup2 (m->labels, m->n * sizeof (int));
  c->cluster_sizes = g_memdup2 (m->cluster_sizes, m->k * sizeof (gsize));
  c->color_slot = g_memdup2 (m->color_slot, m->k * sizeof (int));
  c->center_x = g_memdup2 (m->center_x, m->k * sizeof (double));
  c->center_y = g_memdup2 (m->center_y, m->k * sizeof (double));
  c->title = g_strdup (m->title);
  c->x_label = g_strdup (m->x_label);
  c->y_label = g_strdup (m->y_label);
  c->axes_key = g_strdup (m->axes_key);
  c->selected = g_memdup2 (m->selected, m->selected != NULL ? m->n : 0);
  c->distinctive = g_memdup2 (m->distinctive, (gsize) m->k * m->n_distinctive * sizeof (int));
  c->distinctive_d = g_memdup2 (m->distinctive_d, (gsize) m->k * m->n_distinctive * sizeof (double));
  c->distinctive_mean = g_memdup2 (m->distinctive_mean, (gsize)m->k * m->n_distinctive * 2 * sizeof (double));
  c->proj = g_memdup2 (m->proj, 2 * (m->proj_d + 1) * sizeof (double));
  c->caption = g_strdup (m->caption);
  c->trail_x = g_memdup2 (m->trail_x, (gsize) m->n_trail * m->k * sizeof (double));
  c->trail_y = g_memdup2 (m->trail_y, (gsize) m->n_trail * m->k * sizeof (double));
  c->ellipse = g_memdup2 (m->ellipse, (gsize) m->k * 5 * sizeof (double));
  c->point_rgb = g_memdup2 (m->point_rgb, m->n * sizeof (guint32));
  c->shade_legend = g_strdup (m->shade_legend);
  c->noise_name = g_strdup (m->noise_name);
  c->candidates = g_memdup2 (m->candidates, m->n_candidates * sizeof (gsize));
  return c;
}

void
cs_plot_model_set_points (CsPlotModel  *m,
                          gsize         n,
                          const double *x,
                          const double *y,
                          const gsize  *rows)
{
  g_return_if_fail (m != NULL);
  g_return_if_fail (n == 0 || (x != NULL && y != NULL));

  clear_clusters (m);
  g_free (m->x);
  g_free (m->y);
  g_free (m->rows);
  m->n = n;
  m->x = g_memdup2 (x, n * sizeof (double));
  m->y = g_memdup2 (y, n * sizeof (double));
  m->rows = rows != NULL ? g_memdup2 (rows, n * sizeof (gsize)) : NULL;
  m->highlight = -1;
  g_clear_pointer (&m->selected, g_free);
  cs_plot_model_reset_view (m);
}

void
cs_plot_model_set_labels (CsPlotModel *m,
                          const int   *labels,
                          guint        k)
{
  g_return_if_fail (m != NULL);

  clear_clusters (m);
  if (labels == NULL)
    return;

  m->k = k;
  m->labels = g_memdup2 (labels, m->n * sizeof (int));
  m->cluster_sizes = g_new0 (gsize, MAX (k, 1));
  m->color_slot = g_new (int, MAX (k, 1));
  for (guint j = 0; j < k; j++)
    m->color_slot[j] = (int) j;
  for (gsize i = 0; i < m->n; i++)
    {
      /* Anything outside [0, k) is drawn as noise; keep it that way in the data too. */
      if (m->labels[i] < 0 || m->labels[i] >= (int) k)
        m->labels[i] = -1;
      else
        m->cluster_sizes[m->labels[i]]++;
    }
}

void
cs_plot_model_compute_centers (CsPlotModel *m,
                               const gsize *medoids)
{
  g_autofree gsize *count = NULL;

  g_return_if_fail (m != NULL);

  g_clear_pointer (&m->center_x, g_free);
  g_clear_pointer (&m->center_y, g_free);
  m->centers_are_medoids = FALSE;
  if (m->labels == NULL || m->k == 0)
    return;

  m->center_x = g_new (double, m->k);
  m->center_y = g_new (double, m->k);

  if (medoids != NULL)
    {
      for (guint j = 0; j < m->k; j++)
        {
          gboolean valid = medoids[j] < m->n;
          m->center_x[j] = valid ? m->x[medoids[j]] : NAN;
          m->center_y[j] = valid ? m->y[medoids[j]] : NAN;
        }
      m->centers_are_medoids = TRUE;
      return;
    }

  count = g_new0 (gsize, m->k);
  memset (m->center_x, 0, m->k * sizeof (double));
  memset (m->center_y, 0, m->k * sizeof (double));
  for (gsize i = 0; i < m->n; i++)
    {
      int l = m->labels[i];
      if (l < 0 || !isfinite (m->x[i]) || !isfinite (m->y[i]))
        continue;
      m->center_x[l] += m->x[i];
      m->center_y[l] += m->y[i];
      count[l]++;
    }
  for (guint j = 0; j < m->k; j++)
    {
      /* An empty cluster has no centre; NaN is simply not drawn. */
      m->center_x[j] = count[j] > 0 ? m->center_x[j] / count[j] : NAN;
      m->center_y[j] = count[j] > 0 ? m->center_y[j] / count[j] : NAN;
    }
}

void
cs_plot_model_match_colors (CsPlotModel       *m,
                            const CsPlotModel *previous)
{
  g_autofree int *mapping = NULL;
  g_autofree int *prev_slot_of = NULL;
  g_autoptr (GHashTable) used = NULL;
  guint k_all;
  int next_free = 0;

  g_return_if_fail (m != NULL);

  if (previous == NULL || previous->labels == NULL || m->labels == NULL
      || previous->n != m->n || m->k == 0 || previous->k == 0)
    return;

  mapping = g_new (int, m->k);
  cs_match_labels (previous->labels, previous->k, m->labels, m->k, m->n, mapping);

  /* mapping[j] is a label of `previous` when j matched one, or a fresh number >= its k.
   * Matched clusters inherit the previous colour slot; the rest take the lowest slots
   * nobody is using, in label order, so the result is a permutation of distinct slots. */
  k_all = MAX (m->k, previous->k);
  prev_slot_of = g_new (int, k_all);
  used = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint j = 0; j < m->k; j++)
    {
      int t = mapping[j];
      prev_slot_of[j] = -1;
      if (t >= 0 && t < (int) previous->k)
        {
          prev_slot_of[j] = previous->color_slot[t];
          g_hash_table_add (used, GINT_TO_POINTER (prev_slot_of[j] + 1));
        }
    }
  for (guint j = 0; j < m->k; j++)
    {
      if (prev_slot_of[j] >= 0)
        {
          m->color_slot[j] = prev_slot_of[j];
          continue;
        }
      while (g_hash_table_contains (used, GINT_TO_POINTER (next_free + 1)))
        next_free++;
      m->color_slot[j] = next_free;
      g_hash_table_add (used, GINT_TO_POINTER (next_free + 1));
    }
}

void
cs_plot_model_reset_view (CsPlotModel *m)
{
  double x0 = INFINITY;
  double x1 = -INFINITY;
  double y0 = INFINITY;
  double y1 = -INFINITY;
  double pad;

  g_return_if_fail (m != NULL);

  for (gsize i = 0; i < m->n; i++)
    {
      /* Points with a missing coordinate are kept (point i stays clustered row i) but
       * never drawn, so they must not stretch the view either. */
      if (!isfinite (m->x[i]) || !isfinite (m->y[i]))
        continue;
      x0 = MIN (x0, m->x[i]);
      x1 = MAX (x1, m->x[i]);
      y0 = MIN (y0, m->y[i]);
      y1 = MAX (y1, m->y[i]);
    }
  if (x0 > x1)
    {
      x0 = y0 = 0.0;
      x1 = y1 = 1.0;
    }

  /* Zero spread (one point, a constant column) would make a zero-width axis: open it to
   * a unit-ish interval around the value instead. */
  if (x1 - x0 <= 1e-12 * MAX (1.0, fabs (x0)))
    {
      double h = MAX (0.5, fabs (x0) * 0.1);
      x0 -= h;
      x1 += h;
    }
  if (y1 - y0 <= 1e-12 * MAX (1.0, fabs (y0)))
    {
      double h = MAX (0.5, fabs (y0) * 0.1);
      y0 -= h;
      y1 += h;
    }

  pad = 0.05 * (x1 - x0);
  m->x_min = x0 - pad;
  m->x_max = x1 + pad;
  pad = 0.05 * (y1 - y0);
  m->y_min = y0 - pad;
  m->y_max = y1 + pad;
}

void
cs_plot_model_rank_features (CsPlotModel     *m,
                             const CsDataset *ds,
                             guint            per_cluster)
{
  guint k;
  guint groups;
  gsize n_cols;
  g_autofree double *count = NULL;
  g_autofree double *mean = NULL;
  g_autofree double *ss = NULL;

  g_return_if_fail (m != NULL);
  g_return_if_fail (ds != NULL);

  g_clear_pointer (&m->distinctive, g_free);
  g_clear_pointer (&m->distinctive_d, g_free);
  g_clear_pointer (&m->distinctive_mean, g_free);
  m->n_distinctive = 0;
  if (m->labels == NULL || m->k == 0 || per_cluster == 0)
    return;

  k = m->k;
  groups = k + 1; /* the clusters, then noise */
  n_cols = cs_dataset_n_columns (ds);
  m->n_distinctive = per_cluster;
  m->distinctive = g_new (int, (gsize) k * per_cluster);
  m->distinctive_d = g_new (double, (gsize) k * per_cluster);
  m->distinctive_mean = g_new0 (double, (gsize)k *per_cluster * 2);
  for (gsize e = 0; e < (gsize) k * per_cluster; e++)
    {
      m->distinctive[e] = -1;
      m->distinctive_d[e] = 0.0;
    }
  count = g_new (double, groups);
  mean = g_new (double, groups);
  ss = g_new (double, groups);

  for (gsize c = 0; c < n_cols; c++)
    {
      const CsColumn *col = cs_dataset_column (ds, c);

      if (col->kind != CS_COLUMN_NUMERIC || (int) c == ds->label_column)
        continue;

      /* Two passes per group (means, then squared deviations) rather than sums of
       * squares, which cancel badly for columns with a large offset. */
      memset (count, 0, groups * sizeof (double));
      memset (mean, 0, groups * sizeof (double));
      memset (ss, 0, groups * sizeof (double));
      for (gsize i = 0; i < m->n; i++)
        {
          double v = col->values[m->rows != NULL ? m->rows[i] : i];
          guint g = m->labels[i] >= 0 ? (guint) m->labels[i] : k;

          if (isnan (v))
            continue;
          count[g] += 1.0;
          mean[g] += v;
        }
      for (guint g = 0; g < groups; g++)
        mean[g] = count[g] > 0 ? mean[g] / count[g] : 0.0;
      for (gsize i = 0; i < m->n; i++)
        {
          double v = col->values[m->rows != NULL ? m->rows[i] : i];
          guint g = m->labels[i] >= 0 ? (guint) m->labels[i] : k;

          if (!isnan (v))
            ss[g] += (v - mean[g]) * (v - mean[g]);
        }

      for (guint j = 0; j < k; j++)
        {
          double n_out = 0.0;
          double mean_out = 0.0;
          double ss_out = 0.0;
          double pooled;
          double d;
          double *dj = m->distinctive_d + (gsize) j * per_cluster;
          double *mj = m->distinctive_mean + (gsize)j * per_cluster * 2;
          int *cj = m->distinctive + (gsize) j * per_cluster;
          guint at;

          if (count[j] < 1.0)
            continue;
          for (guint g = 0; g < groups; g++)
            if (g != j)
              {
                n_out += count[g];
                mean_out += count[g] * mean[g];
              }
          if (n_out < 1.0 || count[j] + n_out < 3.0)
            continue;
          mean_out /= n_out;
          /* The rest's spread from the groups': within plus between (about the rest's mean). */
          for (guint g = 0; g < groups; g++)
            if (g != j)
              ss_out += ss[g] + count[g] * (mean[g] - mean_out) * (mean[g] - mean_out);
          pooled = sqrt ((ss[j] + ss_out) / (count[j] + n_out - 2.0));
          if (!(pooled > 1e-12 * MAX (fabs (mean[j]), fabs (mean_out))) || !(pooled > 0))
            continue;
          d = (mean[j] - mean_out) / pooled;
          if (!isfinite (d) || d == 0.0)
            continue;

          /* Insertion into the cluster's short list, largest |d| first; strictly larger
           * moves ahead, so ties keep the lower column. */
          for (at = 0; at < per_cluster; at++)
            if (cj[at] < 0 || fabs (d) > fabs (dj[at]))
              break;
          if (at == per_cluster)
            continue;
          memmove (cj + at + 1, cj + at, (per_cluster - at - 1) * sizeof (int));
          memmove (dj + at + 1, dj + at, (per_cluster - at - 1) * sizeof (double));
          memmove (mj + 2 * (at + 1), mj + 2 * at, (per_cluster - at - 1) * 2 * sizeof (double));
          cj[at] = (int) c;
          dj[at] = d;
          mj[2 * at] = mean[j];
          mj[2 * at + 1] = mean_out;
        }
    }
}

/* A short digest that tells one PCA basis from another: two results on the same prepared
 * data have bit-identical components (the PCA is deterministic), a change of columns or
 * scaling changes them. */
static char *
pca_axes_key (const CsPrepared *prep,
              const CsMatrix   *components)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (char **name = prep->names; name != NULL && *name != NULL; name++)
    g_checksum_update (sum, (const guchar *) *name, strlen (*name) + 1);
  for (gsize r = 0; r < components->rows; r++)
    for (gsize c = 0; c < components->cols; c++)
      {
        double v = cs_matrix_get (components, r, c);
        g_checksum_update (sum, (const guchar *) &v, sizeof v);
      }
  return g_strdup_printf ("pca:%s", g_checksum_get_string (sum));
}

/* Scores are (f − mean)·c per component: affine in the features. */
static void
pca_projection (CsPlotModel    *m,
                const CsMatrix *x,
                const CsMatrix *components)
{
  gsize d = x->cols;
  g_autofree double *mean = g_new0 (double, d);

  for (gsize i = 0; i < x->rows; i++)
    for (gsize t = 0; t < d; t++)
      mean[t] += cs_matrix_get (x, i, t);
  for (gsize t = 0; t < d; t++)
    mean[t] /= MAX (x->rows, 1);
  m->proj_d = d;
  m->proj = g_new0 (double, 2 * (d + 1));
  for (gsize r = 0; r < MIN (components->rows, 2); r++)
    {
      double *row = m->proj + r * (d + 1);
      for (gsize t = 0; t < d; t++)
        {
          row[t] = cs_matrix_get (components, r, t);
          row[d] -= mean[t] * row[t];
        }
    }
}

/* A plotted column that was clustered is f_t · scale_t + shift_t; one that was not makes
 * the axes no function of the features: no projection. */
static void
column_projection (CsPlotModel      *m,
                   const CsPrepared *prep,
                   const char       *x_name,
                   const char       *y_name)
{
  gsize d = prep->x->cols;
  const char *names[2] = { x_name, y_name };
  g_autofree double *proj = g_new0 (double, 2 * (d + 1));

  for (int r = 0; r < 2; r++)
    {
      gssize found = -1;

      for (gsize t = 0; t < d && prep->names != NULL && prep->names[t] != NULL; t++)
        if (g_strcmp0 (prep->names[t], names[r]) == 0)
          found = (gssize) t;
      if (found < 0)
        return;
      proj[r * (d + 1) + found] = prep->scale != NULL ? prep->scale[found] : 1.0;
      proj[r * (d + 1) + d] = prep->shift != NULL ? prep->shift[found] : 0.0;
    }
  m->proj_d = d;
  m->proj = g_steal_pointer (&proj);
}

/* Whether the clusters' centres are part of what the algorithm found: medoids, centroids,
 * mixture means, mean-shift modes. A density-based or hierarchical cluster (a moon, a
 * chain) has a mean too, but it can lie outside the cluster and mark nothing the method
 * knows about, so no centre is drawn for those, nor for labels read from a file. */
static gboolean
has_centres (const CsClustering *c)
{
  const CsAlgorithm *algo;

  if (c->medoids != NULL)
    return TRUE;
  algo = cs_registry_lookup (c->algorithm);
  if (algo == NULL || algo->category == NULL)
    return FALSE;
  return strcmp (algo->category, "Centroid") == 0 || strcmp (algo->category, "Model") == 0
         || strcmp (algo->id, "meanshift") == 0;
}

CsPlotModel *
cs_plot_model_build_scatter (const CsDataset    *ds,
                             const CsPrepared   *prep,
                             const CsClustering *clustering,
                             int                 x_column,
                             int                 y_column,
                             GError            **error)
{
  g_autoptr (CsPlotModel) m = NULL;
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  g_autofree gsize *rows = NULL;
  gsize n;

  g_return_val_if_fail (ds != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = prep != NULL ? prep->x->rows : ds->n_rows;
  rows = g_new (gsize, n);
  for (gsize i = 0; i < n; i++)
    rows[i] = prep != NULL ? prep->rows[i] : i;

  if (clustering != NULL && clustering->n != n)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "The clustering has %" G_GSIZE_FORMAT " rows but the prepared data has %"
                   G_GSIZE_FORMAT "; run the algorithm again on the current data",
                   clustering->n, n);
      return NULL;
    }

  m = cs_plot_model_new ();
  x = g_new (double, n);
  y = g_new (double, n);

  if (x_column < 0 && y_column < 0)
    {
      g_autoptr (CsMatrix) scores = NULL;
      g_autoptr (CsMatrix) components = NULL;
      double ratio[2] = { 0.0, 0.0 };
      gsize nc;

      if (prep == NULL || prep->x->cols == 0 || n == 0)
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "A principal-component view needs prepared data with at least one "
                       "row and one feature; choose two columns instead");
          return NULL;
        }
      nc = MIN (prep->x->cols, 2);
      if (!cs_pca (prep->x, nc, &scores, &components, ratio, error))
        return NULL;
      m->axes_key = pca_axes_key (prep, components);
      pca_projection (m, prep->x, components);
      for (gsize i = 0; i < n; i++)
        {
          x[i] = cs_matrix_get (scores, i, 0);
          /* One feature has one component: lay the points out on a line. */
          y[i] = nc > 1 ? cs_matrix_get (scores, i, 1) : 0.0;
        }
      g_free (m->x_label);
      g_free (m->y_label);
      /* Rounding can leave a vanishing component's share at -1e-17: no "-0.0 %". */
      m->x_label = g_strdup_printf ("PC1 (%.1f %%)", 100.0 * MAX (ratio[0], 0.0));
      m->y_label = nc > 1 ? g_strdup_printf ("PC2 (%.1f %%)", 100.0 * MAX (ratio[1], 0.0))
                          : g_strdup ("");
    }
  else
    {
      const CsColumn *cx;
      const CsColumn *cy;

      if (x_column < 0 || y_column < 0 || (gsize) x_column >= cs_dataset_n_columns (ds)
          || (gsize) y_column >= cs_dataset_n_columns (ds))
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "Column %d or %d is not in ‘%s’, which has %" G_GSIZE_FORMAT
                       " columns; use -1 for both to plot principal components",
                       x_column, y_column, ds->name, cs_dataset_n_columns (ds));
          return NULL;
        }
      cx = cs_dataset_column (ds, x_column);
      cy = cs_dataset_column (ds, y_column);
      for (gsize i = 0; i < n; i++)
        {
          /* Missing values stay NaN: the point keeps its index (and its label) but is
           * neither drawn nor counted in the view range or the centres. */
          x[i] = cx->values[rows[i]];
          y[i] = cy->values[rows[i]];
        }
      g_free (m->x_label);
      g_free (m->y_label);
      m->x_label = g_strdup (cx->name);
      m->y_label = g_strdup (cy->name);
      m->x_column = x_column;
      m->y_column = y_column;
      m->axes_key = g_strdup_printf ("columns:%d:%d", x_column, y_column);
      if (prep != NULL)
        column_projection (m, prep, cx->name, cy->name);
    }

  cs_plot_model_set_points (m, n, x, y, rows);

  if (clustering != NULL && clustering->labels != NULL)
    {
      cs_plot_model_set_labels (m, clustering->labels, clustering->k);
      cs_plot_model_compute_centers (m, clustering->medoids);
      m->show_centers = has_centres (clustering);
      cs_plot_model_rank_features (m, ds, CS_PLOT_MODEL_DISTINCTIVE);
    }

  g_free (m->title);
  m->title = g_strdup (ds->name);
  return g_steal_pointer (&m);
}
