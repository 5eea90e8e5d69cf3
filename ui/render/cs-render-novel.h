#pragma once

#include "core/cluster/cs-pipeline.h"
#include "ui/render/cs-render-views.h"

G_BEGIN_DECLS

/* Novel class discovery (ncd-kmeans, ncd-spectral): the cross-validation score against the
 * number of novel classes with the chosen number marked (or, without known classes, the
 * silhouette by number of clusters), beside the split: every known class with its labelled
 * rows and its cluster's size, then every novel cluster found, in the scatter plot's colours.
 * Built once from a finished result, then only read (the screen and an export share it). */

typedef struct
{
  gatomicrefcount ref;
  char         *title;      /* Owned */
  CsChartModel *curve;      /* Owned, may be NULL */
  char         *note;       /* Owned, may be NULL: why there is no curve, or how to read it */
  guint         k;
  guint         k_known;
  char        **names;      /* Owned, k: the known classes' names, then "Novel 1" … */
  gsize        *labelled;   /* Owned, k: rows that carried the class (0 for novel clusters) */
  gsize        *sizes;      /* Owned, k: rows in each cluster */
  int          *color_slot; /* Owned, k */
  gsize         n;          /* rows clustered */
  gsize         n_labelled; /* of them, rows with a known class */
} CsNovelModel;

/* TRUE for a result of novel class discovery. */
gboolean cs_novel_result_applies (const CsClustering *c);

/* known_names (c->k_known entries, NULL-terminated or NULL for "Class 1" …) and labelled
 * (c->k_known entries, may be NULL) describe the known classes; color_slot (c->k) may be NULL.
 * NULL when c is not from novel class discovery. */
CsNovelModel *cs_novel_model_new (const CsClustering *c,
                                  const char *const  *known_names,
                                  const gsize        *labelled,
                                  const int          *color_slot);
/* The same from a pipeline result on its dataset: the known classes' names from the label
 * column, and their labelled rows counted over the rows clustered (as the pipeline hands
 * them to the algorithm). */
CsNovelModel *cs_novel_model_new_for_result (const CsDataset        *ds,
                                             const CsPipelineResult *r,
                                             const int              *color_slot);
CsNovelModel *cs_novel_model_ref (CsNovelModel *m);
void          cs_novel_model_unref (CsNovelModel *m);

void cs_render_novel (cairo_t *cr, gconstpointer model, double width, double height);

/* Where the chart and the split table go on a canvas of this size (side by side when it is
 * wide enough, else the table below). */
void cs_render_novel_layout (const CsNovelModel *m, double width, double height, CsRect *chart, CsRect *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsNovelModel, cs_novel_model_unref)

G_END_DECLS
