#include "core/graph/cs-graph-algorithms.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/base/cs-matrix-private.h"
#include "core/graph/cs-graph-kernel.h"
#include "core/graph/cs-kernel-cluster.h"

#include <math.h>
#include <string.h>

/* Kernel choices in CsGraphKernel order; the test checks them against cs_graph_kernel_id(). */
static const char *const kernel_choices[] = { "pwalk", "walk",  "for",    "logfor", "comm",     "logcomm",
                                              "heat",  "logheat", "nheat", "lognheat", "ct",    "sct",
                                              "logsct", "ppr",   "logppr", "mppr",   "logmppr", NULL };
static const char *const kernel_labels[] = { "Walk, plain (Katz)",
                                             "Walk (log)",
                                             "Forest, plain (regularized Laplacian)",
                                             "Forest (log)",
                                             "Communicability, plain",
                                             "Communicability (log)",
                                             "Heat, plain",
                                             "Heat (log)",
                                             "Normalized heat, plain",
                                             "Normalized heat (log)",
                                             "Commute time (resistance)",
                                             "Sigmoid commute time, plain",
                                             "Sigmoid commute time (log)",
                                             "Personalized PageRank, plain",
                                             "Personalized PageRank (log)",
                                             "Modified PageRank, plain",
                                             "Modified PageRank (log)",
                                             NULL };

#define K_SPEC                                                                                                   \
  { .name = "k", .label = "Clusters (k)",                                                                        \
    .help = "How many groups of nodes to find; automatic takes the number of classes in the node table's "      \
            "label column (2 without one).",                                                                     \
    .type = CS_PARAM_INT, .min = 0, .max = 1000, .default_num = 0, .zero_label = "From the labels" }
#define SEED_SPEC                                                                                                \
  { .name = "seed", .label = "Random seed",                                                                      \
    .help = "The same seed gives the same clustering on any machine and any number of threads.",                 \
    .type = CS_PARAM_INT, .min = 0, .max = 2147483647.0, .default_num = 0 }
#define KERNEL_SPECS                                                                                             \
  { .name = "kernel", .label = "Graph kernel",                                                                   \
    .help = "The proximity between nodes (Ivashkin & Chebotarev): walks, forests, communicability, heat, "      \
            "commute time or PageRank, plain or logarithmic; the log forms usually separate communities "       \
            "better.",                                                                                           \
    .type = CS_PARAM_ENUM, .default_str = "logcomm", .choices = kernel_choices, .choice_labels = kernel_labels }, \
  { .name = "alpha", .label = "Kernel parameter (α)",                                                           \
    .help = "The paper's scaling of the kernel's parameter into (0, 1): t = α/ρ for walks, ½α/(1 − α) for "     \
            "forest, communicability, heat and sigmoid commute time, α for PageRank. Used unless t is set.",     \
    .type = CS_PARAM_DOUBLE, .min = 0.001, .max = 0.999, .default_num = 0.5 },                                  \
  { .name = "t", .label = "Kernel parameter (t)",                                                                \
    .help = "The kernel's own parameter (exp(tA), (I + tL)⁻¹, …); automatic derives it from α.",                \
    .type = CS_PARAM_DOUBLE, .min = 0, .max = 1e6, .default_num = 0, .log_scale = TRUE, .advanced = TRUE,       \
    .zero_label = "From α" }

guint
cs_graph_algorithm_resolve_k (const CsGraph *g,
                              gint64         k)
{
  if (k > 0)
    return (guint) k;
  return g->labels != NULL && g->n_classes >= 2 ? g->n_classes : 2;
}

static gboolean
resolve_k (const CsGraph  *g,
           const CsParams *params,
           guint          *k,
           GError        **error)
{
  *k = cs_graph_algorithm_resolve_k (g, cs_params_get_int (params, "k"));
  if (*k >= g->n)
    {
      g_autofree char *nodes = cs_format_count (g->n);
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "k = %u clusters for a graph of %s nodes; k must be smaller than the number of nodes", *k, nodes);
      return FALSE;
    }
  return TRUE;
}

/* The parameters the run used, with what "automatic" stood for written in (k, t). */
static CsParams *
resolved_params (const CsParams *params,
                 guint           k,
                 double          t)
{
  CsParams *p = cs_params_copy (params);

  cs_params_set_int (p, "k", k);
  if (!isnan (t))
    cs_params_set_double (p, "t", t);
  return p;
}

static gboolean
kernel_run (const CsGraph  *g,
            const CsParams *params,
            gboolean        ward,
            CsProgress     *progress,
            CsClustering  **out,
            GError        **error)
{
  g_autoptr (CsGraphSpectra) spectra = NULL;
  g_autoptr (CsMatrix) kernel = NULL;
  CsClustering *c = NULL;
  CsGraphKernel which;
  CsProgressRange r1, r2;
  guint k;
  double t, rho = 1.0;
  gboolean ok;

  if (!resolve_k (g, params, &k, error))
    return FALSE;
  cs_graph_kernel_from_id (cs_params_get_string (params, "kernel"), &which);
  /* The operator's decomposition (n² values and as many for its vectors), the kernel and, for
   * Ward, its distance matrix: refuse before allocating rather than after. */
  if (!cs_memory_check ((guint64) g->n * g->n * sizeof (double) * (ward ? 4 : 3), "A dense graph kernel",
                        "spectral or amg-spectral clustering work on the sparse graph", error))
    return FALSE;
  spectra = cs_graph_spectra_new (g, error);
  if (spectra == NULL)
    return FALSE;
  {
    g_autoptr (CsProgress) p1 = cs_progress_stage_new (&r1, progress, 0.0, 0.6);

    if (cs_graph_kernel_scale (which) == CS_GRAPH_SCALE_RHO && !cs_graph_spectra_rho (spectra, &rho, p1, error))
      return FALSE;
    t = cs_params_get_double (params, "t");
    if (t == 0.0)
      t = cs_graph_kernel_t_from_alpha (which, cs_params_get_double (params, "alpha"), rho);
    if (!cs_graph_kernel_compute (spectra, which, t, &kernel, NULL, p1, error))
      return FALSE;
  }
  g_clear_pointer (&spectra, cs_graph_spectra_free);
  if (!cs_progress_check (progress, error))
    return FALSE;
  {
    g_autoptr (CsProgress) p2 = cs_progress_stage_new (&r2, progress, 0.6, 1.0);

    if (ward)
      ok = cs_kernel_ward_run (kernel, k, p2, &c, error);
    else
      {
        CsKernelKmeansOptions o;

        cs_kernel_kmeans_options_init (&o);
        o.k = k;
        o.n_init = (guint) cs_params_get_int (params, "n_init");
        o.seed = (guint64) cs_params_get_int (params, "seed");
        ok = cs_kernel_kmeans_run (kernel, &o, p2, &c, error);
      }
  }
  if (!ok)
    return FALSE;
  c->params = resolved_params (params, k, cs_graph_kernel_has_param (which) ? t : NAN);
  *out = c;
  return TRUE;
}

/* Dense LAPACK and BLAS calls inside: one OpenBLAS thread, so that the kernel (and with it the
 * labels) does not depend on the thread count. */
static gboolean
kernel_kmeans_run_graph (const CsGraph  *g,
                         const CsParams *params,
                         CsProgress     *progress,
                         CsTrace        *trace,
                         CsClustering  **out,
                         GError        **error)
{
  int saved = cs_i_blas_single_begin (0, TRUE);
  gboolean ok = kernel_run (g, params, FALSE, progress, out, error);

  (void) trace;
  cs_i_blas_single_end (saved);
  return ok;
}

static gboolean
kernel_ward_run_graph (const CsGraph  *g,
                       const CsParams *params,
                       CsProgress     *progress,
                       CsTrace        *trace,
                       CsClustering  **out,
                       GError        **error)
{
  int saved = cs_i_blas_single_begin (0, TRUE);
  gboolean ok = kernel_run (g, params, TRUE, progress, out, error);

  (void) trace;
  cs_i_blas_single_end (saved);
  return ok;
}

static gboolean
spectral_options (const CsGraph     *g,
                  const CsParams    *params,
                  CsSpectralOptions *o,
                  GError           **error)
{
  cs_spectral_options_init (o);
  if (!resolve_k (g, params, &o->k, error))
    return FALSE;
  o->dim = (guint) cs_params_get_int (params, "dim");
  o->n_init = (guint) cs_params_get_int (params, "n_init");
  o->seed = (guint64) cs_params_get_int (params, "seed");
  if (o->dim >= g->n)
    {
      g_autofree char *nodes = cs_format_count (g->n);
      g_set_error (error, CS_ERROR, CS_ERROR_PARAMETER,
                   "dim = %u embedding vectors for a graph of %s nodes; dim must be smaller than the number of nodes",
                   o->dim, nodes);
      return FALSE;
    }
  return TRUE;
}

static gboolean
spectral_run_graph (const CsGraph  *g,
                    const CsParams *params,
                    CsProgress     *progress,
                    CsTrace        *trace,
                    CsClustering  **out,
                    GError        **error)
{
  CsSpectralOptions o;

  (void) trace;
  if (!spectral_options (g, params, &o, error) || !cs_spectral_cluster (g, &o, progress, out, error))
    return FALSE;
  (*out)->params = resolved_params (params, o.k, NAN);
  return TRUE;
}

static gboolean
amg_run_graph (const CsGraph  *g,
               const CsParams *params,
               CsProgress     *progress,
               CsTrace        *trace,
               CsClustering  **out,
               GError        **error)
{
  CsSpectralOptions o;

  (void) trace;
  if (!spectral_options (g, params, &o, error))
    return FALSE;
  o.sweeps = (guint) cs_params_get_int (params, "sweeps");
  o.omega = cs_params_get_double (params, "omega");
  o.attr_weight = cs_params_get_double (params, "attr_weight");
  o.block_distance = g_strcmp0 (cs_params_get_string (params, "distance"), "block") == 0;
  if (!cs_amg_spectral_cluster (g, &o, progress, out, error))
    return FALSE;
  (*out)->params = resolved_params (params, o.k, NAN);
  return TRUE;
}

static const CsParamSpec kernel_kmeans_params[] = {
  K_SPEC,
  KERNEL_SPECS,
  { .name = "n_init", .label = "Restarts",
    .help = "How many k-means runs from k-means++ starts in the kernel's feature space; the lowest inertia is kept.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000, .default_num = 10, .advanced = TRUE },
  SEED_SPEC,
};

const CsAlgorithm cs_algorithm_graph_kernel_kmeans = {
  .id = "graph-kernel-kmeans",
  .name = "Kernel k-means (graph)",
  .description = "k-means in the feature space of a proximity kernel on the graph (walks, forests, "
                 "communicability, heat, commute time, PageRank; plain or logarithmic): groups nodes that many "
                 "short paths join. Dense: a few thousand nodes.",
  .category = "Graph",
  .objective = CS_OBJECTIVE_INERTIA,
  .params = kernel_kmeans_params,
  .n_params = G_N_ELEMENTS (kernel_kmeans_params),
  .run_graph = kernel_kmeans_run_graph,
};

static const CsParamSpec kernel_ward_params[] = {
  K_SPEC,
  KERNEL_SPECS,
};

const CsAlgorithm cs_algorithm_graph_kernel_ward = {
  .id = "graph-kernel-ward",
  .name = "Kernel Ward (graph)",
  .description = "Ward's agglomerative clustering in the feature space of a proximity kernel on the graph, cut "
                 "at k groups: no random start, the same answer every time.",
  .category = "Graph",
  .objective = CS_OBJECTIVE_INERTIA,
  .params = kernel_ward_params,
  .n_params = G_N_ELEMENTS (kernel_ward_params),
  .run_graph = kernel_ward_run_graph,
};

#define DIM_SPEC                                                                                                 \
  { .name = "dim", .label = "Embedding vectors",                                                                 \
    .help = "How many vectors embed the nodes before k-means; automatic uses k.", .type = CS_PARAM_INT,         \
    .min = 0, .max = 1000, .default_num = 0, .advanced = TRUE, .zero_label = "Same as k" }

static const CsParamSpec spectral_params[] = {
  K_SPEC,
  DIM_SPEC,
  { .name = "n_init", .label = "Restarts",
    .help = "How many k-means runs on the spectral embedding; the lowest inertia is kept.", .type = CS_PARAM_INT,
    .min = 1, .max = 1000, .default_num = 10, .advanced = TRUE },
  SEED_SPEC,
};

const CsAlgorithm cs_algorithm_graph_spectral = {
  .id = "graph-spectral",
  .name = "Spectral clustering (graph)",
  .description = "The leading eigenvectors of the graph's normalized adjacency embed the nodes; k-means groups "
                 "them. Sparse: works on large graphs.",
  .category = "Graph",
  .objective = CS_OBJECTIVE_INERTIA,
  .params = spectral_params,
  .n_params = G_N_ELEMENTS (spectral_params),
  .run_graph = spectral_run_graph,
};

static const char *const distance_choices[] = { "block", "nodes", NULL };
static const char *const distance_labels[] = { "Node and its attribute vertices (block)", "Node only", NULL };

static const CsParamSpec amg_params[] = {
  K_SPEC,
  DIM_SPEC,
  { .name = "n_init", .label = "Restarts",
    .help = "How many times new random vectors are smoothed and grouped; the partition of highest modularity is "
            "kept.",
    .type = CS_PARAM_INT, .min = 1, .max = 1000, .default_num = 10, .advanced = TRUE },
  SEED_SPEC,
  { .name = "distance", .label = "Distance",
    .help = "For graphs with node attributes: compare a node together with the vertices of its attribute values "
            "(the paper's block distance), or by its own coordinates only.",
    .type = CS_PARAM_ENUM, .default_str = "block", .choices = distance_choices, .choice_labels = distance_labels },
  { .name = "attr_weight", .label = "Attribute edge weight",
    .help = "Weight of the edges that link a node to the vertex of each of its attribute values.",
    .type = CS_PARAM_DOUBLE, .min = 0.001, .max = 1000, .default_num = 1, .log_scale = TRUE },
  { .name = "sweeps", .label = "Smoothing sweeps",
    .help = "Damped-Jacobi sweeps on L x = 0 per vector: more leave smoother, more alike vectors.",
    .type = CS_PARAM_INT, .min = 1, .max = 10000, .default_num = 50, .advanced = TRUE },
  { .name = "omega", .label = "Damping (ω)", .help = "The Jacobi damping factor: x ← x − ω D⁻¹ L x.",
    .type = CS_PARAM_DOUBLE, .min = 0.01, .max = 1, .default_num = 0.5, .advanced = TRUE },
};

const CsAlgorithm cs_algorithm_amg_spectral = {
  .id = "amg-spectral",
  .name = "AMG smooth vectors (graph)",
  .description = "Random vectors smoothed by damped Jacobi stand in for eigenvectors (D'Ambra, Vassilevski & "
                 "Cutillo); node attributes join as extra vertices, and nodes are compared with their attribute "
                 "vertices. The run of highest modularity is kept.",
  .category = "Graph",
  .objective = CS_OBJECTIVE_NONE,
  .params = amg_params,
  .n_params = G_N_ELEMENTS (amg_params),
  .run_graph = amg_run_graph,
};

const CsAlgorithm *
cs_graph_algorithm_lookup (const char *name)
{
  static const CsAlgorithm *const entries[] = { &cs_algorithm_graph_kernel_kmeans, &cs_algorithm_graph_kernel_ward,
                                                &cs_algorithm_graph_spectral, &cs_algorithm_amg_spectral };

  g_return_val_if_fail (name != NULL, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (entries); i++)
    if (g_ascii_strcasecmp (entries[i]->id, name) == 0
        || (g_str_has_prefix (entries[i]->id, "graph-")
            && g_ascii_strcasecmp (entries[i]->id + strlen ("graph-"), name) == 0))
      return entries[i];
  return NULL;
}
