#pragma once

#include "core/base/cs-progress.h"
#include "core/graph/cs-graph.h"

G_BEGIN_DECLS

/* Called every few iterations with the current positions (n × 2, borrowed), so that a view can
 * show the layout as it settles. */
typedef void (*CsLayoutSnapshotFunc) (const double *xy, gsize n, guint iteration, gpointer user_data);

typedef struct
{
  guint                iterations;      /* default 300 */
  guint64              seed;            /* the random start */
  guint                snapshot_every;  /* 0: no snapshots */
  CsLayoutSnapshotFunc snapshot;
  gpointer             snapshot_data;
} CsLayoutOptions;

void cs_layout_options_init (CsLayoutOptions *o);

/* Up to this many nodes the pairwise repulsion runs on one thread (the results of earlier
 * releases); beyond, every node sums its own row, split among threads. Both are exact O(n²)
 * a step: 20,000 nodes take minutes, shown as they settle. */
#define CS_LAYOUT_EXACT_MAX 3000

/* Force-directed layout (Fruchterman & Reingold 1991): edges pull as d²/k (times the weight),
 * every pair pushes as k²/d (see CS_LAYOUT_EXACT_MAX), the step is capped by a temperature that cools
 * linearly. Positions start uniform in the unit square from the seed; out receives n × 2
 * coordinates scaled into [−1, 1]² (cs_graph_layout_normalize). Snapshots get the raw
 * positions of that iteration; they do not change the result. Same seed, same layout, on any
 * thread count. */
gboolean cs_graph_layout (const CsGraph         *g,
                          const CsLayoutOptions *o,
                          CsProgress            *progress,
                          double               **out,
                          GError               **error);

/* Centres xy (n × 2) and scales it into [−1, 1]², one scale for both axes. */
void cs_graph_layout_normalize (double *xy, gsize n);

G_END_DECLS
