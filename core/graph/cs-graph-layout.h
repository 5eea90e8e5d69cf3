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

/* Force-directed layout (Fruchterman & Reingold 1991): edges pull as d²/k (times the weight),
 * every pair pushes as k²/d, the step is capped by a temperature that cools linearly; exact
 * O(n²) repulsion a step, so meant for graphs of up to a few thousand nodes. Positions start
 * uniform in the unit square from the seed; out receives n × 2 coordinates scaled into
 * [−1, 1]². Same seed, same layout. */
gboolean cs_graph_layout (const CsGraph         *g,
                          const CsLayoutOptions *o,
                          CsProgress            *progress,
                          double               **out,
                          GError               **error);

G_END_DECLS
