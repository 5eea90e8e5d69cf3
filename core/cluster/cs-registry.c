#include "core/cluster/cs-registry.h"
#include "core/base/cs-error.h"
#include "core/base/cs-format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Adding an algorithm: one file in algorithms/ that defines a `const CsAlgorithm`, plus one
 * line in each of the two lists below. */
extern const CsAlgorithm cs_algorithm_kmeans;
extern const CsAlgorithm cs_algorithm_pam;
extern const CsAlgorithm cs_algorithm_fastpam1;
extern const CsAlgorithm cs_algorithm_fasterpam;
extern const CsAlgorithm cs_algorithm_alternating;
extern const CsAlgorithm cs_algorithm_clara;
extern const CsAlgorithm cs_algorithm_fastclara;
extern const CsAlgorithm cs_algorithm_clarans;
extern const CsAlgorithm cs_algorithm_fastclarans;
extern const CsAlgorithm cs_algorithm_fastermsc;
extern const CsAlgorithm cs_algorithm_dynmsc;
extern const CsAlgorithm cs_algorithm_meanshift;
extern const CsAlgorithm cs_algorithm_gmm;
extern const CsAlgorithm cs_algorithm_dbscan;
extern const CsAlgorithm cs_algorithm_agglomerative;
extern const CsAlgorithm cs_algorithm_hdbscan;
extern const CsAlgorithm cs_algorithm_balanced_kmeans;
extern const CsAlgorithm cs_algorithm_online_kmeans;
extern const CsAlgorithm cs_algorithm_ncd_kmeans;
extern const CsAlgorithm cs_algorithm_kernel_kmeans;
extern const CsAlgorithm cs_algorithm_spectral;
extern const CsAlgorithm cs_algorithm_ppp;
extern const CsAlgorithm cs_algorithm_sdp_kmeans;
extern const CsAlgorithm cs_algorithm_ila_sdp;
extern const CsAlgorithm cs_algorithm_graph_kernel_kmeans;
extern const CsAlgorithm cs_algorithm_graph_kernel_ward;
extern const CsAlgorithm cs_algorithm_graph_spectral;
extern const CsAlgorithm cs_algorithm_amg_spectral;
extern const CsAlgorithm cs_algorithm_ncd_spectral;

static const CsAlgorithm *const registry[] = {
  &cs_algorithm_kmeans,
  &cs_algorithm_pam,
  &cs_algorithm_fastpam1,
  &cs_algorithm_fasterpam,
  &cs_algorithm_alternating,
  &cs_algorithm_clara,
  &cs_algorithm_fastclara,
  &cs_algorithm_clarans,
  &cs_algorithm_fastclarans,
  &cs_algorithm_fastermsc,
  &cs_algorithm_dynmsc,
  &cs_algorithm_meanshift,
  &cs_algorithm_gmm,
  &cs_algorithm_dbscan,
  &cs_algorithm_agglomerative,
  &cs_algorithm_hdbscan,
  &cs_algorithm_balanced_kmeans,
  &cs_algorithm_online_kmeans,
  &cs_algorithm_ncd_kmeans,
  &cs_algorithm_kernel_kmeans,
  &cs_algorithm_spectral,
  &cs_algorithm_ppp,
  &cs_algorithm_sdp_kmeans,
  &cs_algorithm_ila_sdp,
  &cs_algorithm_graph_kernel_kmeans,
  &cs_algorithm_graph_kernel_ward,
  &cs_algorithm_graph_spectral,
  &cs_algorithm_amg_spectral,
  &cs_algorithm_ncd_spectral,
};

typedef union
{
  double num;
  char  *str;
} ParamValue;

struct _CsParams
{
  const CsAlgorithm *algo;   /* Borrowed: registry entries are static */
  ParamValue        *values; /* Owned, algo->n_params entries */
};

const CsAlgorithm *const *
cs_registry_list (gsize *n_algorithms)
{
  if (n_algorithms)
    *n_algorithms = G_N_ELEMENTS (registry);
  return registry;
}

const CsAlgorithm *
cs_registry_lookup (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (registry); i++)
    if (g_ascii_strcasecmp (registry[i]->id, id) == 0)
      return registry[i];
  return NULL;
}

/* Runs through whichever entry point applies, then stamps the result with what made it. */
static gboolean
run_common (const CsAlgorithm *algo,
            const CsMatrix    *x,
            const CsDissim    *dissim,
            const int         *known,
            const CsParams    *params,
            CsProgress        *progress,
            CsTrace           *trace,
            CsClustering     **out,
            GError           **error)
{
  g_autoptr (CsParams) defaults = NULL;
  gint64 t0;
  CsClustering *c = NULL;
  gboolean ok;

  g_return_val_if_fail (algo != NULL && out != NULL, FALSE);
  if (params == NULL)
    params = defaults = cs_params_new (algo);
  g_return_val_if_fail (cs_params_get_algorithm (params) == algo, FALSE);

  t0 = g_get_monotonic_time ();
  ok = dissim  ? algo->run_dissim (dissim, params, progress, trace, &c, error)
       : known ? algo->run_labelled (x, known, params, progress, trace, &c, error)
               : algo->run (x, params, progress, trace, &c, error);
  if (!ok)
    return FALSE;
  c->seconds = (g_get_monotonic_time () - t0) / 1e6;
  if (c->algorithm == NULL || strcmp (c->algorithm, algo->id) != 0)
    {
      g_free (c->algorithm);
      c->algorithm = g_strdup (algo->id);
    }
  if (c->params == NULL)
    c->params = cs_params_copy (params);
  c->objective_kind = algo->objective;
  *out = c;
  return TRUE;
}

gboolean
cs_algorithm_run (const CsAlgorithm *algo,
                  const CsMatrix    *x,
                  const CsParams    *params,
                  CsProgress        *progress,
                  CsTrace           *trace,
                  CsClustering     **out,
                  GError           **error)
{
  g_return_val_if_fail (algo != NULL && x != NULL, FALSE);
  if (algo->run == NULL)
    return cs_algorithm_run_graph (algo, NULL, params, progress, trace, out, error);
  if (x->rows == 0 || x->cols == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "%s needs at least one row and one column of data",
                   algo->name);
      return FALSE;
    }
  return run_common (algo, x, NULL, NULL, params, progress, trace, out, error);
}

gboolean
cs_algorithm_run_dissim (const CsAlgorithm *algo,
                         const CsDissim    *dissim,
                         const CsParams    *params,
                         CsProgress        *progress,
                         CsTrace           *trace,
                         CsClustering     **out,
                         GError           **error)
{
  g_return_val_if_fail (algo != NULL && dissim != NULL, FALSE);
  if (algo->run_dissim == NULL)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "%s works on the data’s coordinates, not on a dissimilarity matrix; pick a k-medoids method",
                   algo->name);
      return FALSE;
    }
  return run_common (algo, NULL, dissim, NULL, params, progress, trace, out, error);
}

/* A range bound as messages print numbers: whole ones grouped ("1,000,000", not %g's "1e+06"). */
static char *
format_bound (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (v == floor (v) && fabs (v) < 1e15)
    {
      g_autofree char *digits = cs_format_count ((guint64) fabs (v));
      return g_strconcat (v < 0 ? "-" : "", digits, NULL);
    }
  return g_strdup (cs_format_double (buf, sizeof buf, v));
}

static gssize
param_index (const CsAlgorithm *algo,
             const char        *name)
{
  for (gsize i = 0; i < algo->n_params; i++)
    if (strcmp (algo->params[i].name, name) == 0)
      return (gssize) i;
  return -1;
}

gboolean
cs_algorithm_run_labelled (const CsAlgorithm *algo,
                           const CsMatrix    *x,
                           const int         *known,
                           const CsParams    *params,
                           CsProgress        *progress,
                           CsTrace           *trace,
                           CsClustering     **out,
                           GError           **error)
{
  g_return_val_if_fail (algo != NULL && x != NULL, FALSE);
  if (known == NULL || algo->run_labelled == NULL)
    return cs_algorithm_run (algo, x, params, progress, trace, out, error);
  if (x->rows == 0 || x->cols == 0)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "%s needs at least one row and one column of data",
                   algo->name);
      return FALSE;
    }
  return run_common (algo, x, NULL, known, params, progress, trace, out, error);
}

const CsParamSpec *
cs_algorithm_find_param (const CsAlgorithm *algo,
                         const char        *name)
{
  gssize i = param_index (algo, name);
  return i < 0 ? NULL : &algo->params[i];
}

gboolean
cs_algorithm_accepts_precomputed (const CsAlgorithm *algo)
{
  const CsParamSpec *spec;

  g_return_val_if_fail (algo != NULL, FALSE);
  if (algo->run_dissim == NULL || algo->dissim_param == NULL)
    return FALSE;
  spec = cs_algorithm_find_param (algo, algo->dissim_param);
  return spec != NULL && cs_param_spec_choice_label (spec, cs_metric_id (CS_METRIC_PRECOMPUTED)) != NULL;
}

const char *
cs_param_spec_choice_label (const CsParamSpec *spec,
                            const char        *choice)
{
  g_return_val_if_fail (spec != NULL, NULL);
  if (spec->choices == NULL || choice == NULL)
    return NULL;
  for (guint i = 0; spec->choices[i] != NULL; i++)
    if (g_ascii_strcasecmp (spec->choices[i], choice) == 0)
      return spec->choice_labels != NULL ? spec->choice_labels[i] : spec->choices[i];
  return NULL;
}

gboolean
cs_objective_is_maximised (CsObjectiveKind kind)
{
  return kind == CS_OBJECTIVE_MEDOID_SILHOUETTE || kind == CS_OBJECTIVE_LOG_LIKELIHOOD;
}

CsParams *
cs_params_new (const CsAlgorithm *algo)
{
  CsParams *p = g_new0 (CsParams, 1);

  p->algo = algo;
  p->values = g_new0 (ParamValue, MAX (algo->n_params, 1));
  for (gsize i = 0; i < algo->n_params; i++)
    {
      const CsParamSpec *s = &algo->params[i];
      if (s->type == CS_PARAM_ENUM || s->type == CS_PARAM_STRING)
        p->values[i].str = g_strdup (s->default_str ? s->default_str : "");
      else
        p->values[i].num = s->default_num;
    }
  return p;
}

CsParams *
cs_params_copy (const CsParams *params)
{
  CsParams *p = g_new0 (CsParams, 1);

  p->algo = params->algo;
  p->values = g_new0 (ParamValue, MAX (p->algo->n_params, 1));
  for (gsize i = 0; i < p->algo->n_params; i++)
    {
      CsParamType t = p->algo->params[i].type;
      if (t == CS_PARAM_ENUM || t == CS_PARAM_STRING)
        p->values[i].str = g_strdup (params->values[i].str);
      else
        p->values[i].num = params->values[i].num;
    }
  return p;
}

void
cs_params_free (CsParams *params)
{
  if (params == NULL)
    return;
  for (gsize i = 0; i < params->algo->n_params; i++)
    {
      CsParamType t = params->algo->params[i].type;
      if (t == CS_PARAM_ENUM || t == CS_PARAM_STRING)
        g_free (params->values[i].str);
    }
  g_free (params->values);
  g_free (params);
}

const CsAlgorithm *
cs_params_get_algorithm (const CsParams *params)
{
  return params->algo;
}

static char *
describe_choices (const CsParamSpec *s)
{
  g_autofree char *joined = g_strjoinv ("’, ‘", (char **) s->choices);
  return g_strdup_printf ("‘%s’", joined);
}

gboolean
cs_params_set (CsParams   *params,
               const char *name,
               const char *value,
               GError    **error)
{
  gssize i = param_index (params->algo, name);
  const CsParamSpec *s;
  char *end = NULL;
  double v;

  if (i < 0)
    {
      g_autoptr (GString) names = g_string_new (NULL);
      for (gsize j = 0; j < params->algo->n_params; j++)
        g_string_append_printf (names, "%s%s", j ? ", " : "", params->algo->params[j].name);
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "%s has no parameter ‘%s’ (it takes: %s)",
                   params->algo->name, name, names->str);
      return FALSE;
    }
  s = &params->algo->params[i];
  value = value ? value : "";
  switch (s->type)
    {
    case CS_PARAM_INT:
    case CS_PARAM_DOUBLE:
      v = g_ascii_strtod (value, &end);
      if (end == value || *end != '\0' || !isfinite (v))
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "Parameter ‘%s’: ‘%s’ is not a number", name,
                       value);
          return FALSE;
        }
      if (s->type == CS_PARAM_INT && v != floor (v))
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "Parameter ‘%s’: ‘%s’ is not a whole number",
                       name, value);
          return FALSE;
        }
      if (v < s->min || v > s->max)
        {
          g_autofree char *lo = format_bound (s->min);
          g_autofree char *hi = format_bound (s->max);
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "Parameter ‘%s’: %s is outside the accepted range %s to %s", name, value, lo, hi);
          return FALSE;
        }
      params->values[i].num = v;
      return TRUE;
    case CS_PARAM_BOOL:
      if (g_ascii_strcasecmp (value, "true") == 0 || g_strcmp0 (value, "1") == 0
          || g_ascii_strcasecmp (value, "yes") == 0)
        params->values[i].num = 1;
      else if (g_ascii_strcasecmp (value, "false") == 0 || g_strcmp0 (value, "0") == 0
               || g_ascii_strcasecmp (value, "no") == 0)
        params->values[i].num = 0;
      else
        {
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "Parameter ‘%s’: ‘%s’ is not true or false", name, value);
          return FALSE;
        }
      return TRUE;
    case CS_PARAM_ENUM:
      for (const char *const *c = s->choices; *c; c++)
        if (g_ascii_strcasecmp (*c, value) == 0)
          {
            g_free (params->values[i].str);
            params->values[i].str = g_strdup (*c);
            return TRUE;
          }
      {
        g_autofree char *choices = describe_choices (s);
        g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "Parameter ‘%s’: ‘%s’ is not one of %s", name,
                     value, choices);
      }
      return FALSE;
    case CS_PARAM_STRING:
      g_free (params->values[i].str);
      params->values[i].str = g_strdup (value);
      /* A named choice reads as an ENUM does: "RANDOM" is "random". */
      for (const char *const *c = s->choices; c != NULL && *c; c++)
        if (g_ascii_strcasecmp (*c, value) == 0)
          {
            g_free (params->values[i].str);
            params->values[i].str = g_strdup (*c);
          }
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

gboolean
cs_params_set_assignment (CsParams   *params,
                          const char *assignment,
                          GError    **error)
{
  const char *eq = strchr (assignment, '=');
  g_autofree char *name = NULL;

  if (eq == NULL || eq == assignment)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "‘%s’ is not of the form name=value", assignment);
      return FALSE;
    }
  name = g_strndup (assignment, eq - assignment);
  return cs_params_set (params, g_strstrip (name), eq + 1, error);
}

static ParamValue *
lookup_value (const CsParams *params,
              const char     *name,
              CsParamType     t1,
              CsParamType     t2)
{
  gssize i = param_index (params->algo, name);

  /* Asking for a parameter the spec does not declare is a programming error. */
  g_assert (i >= 0);
  g_assert (params->algo->params[i].type == t1 || params->algo->params[i].type == t2);
  return &params->values[i];
}

void
cs_params_set_int (CsParams   *params,
                   const char *name,
                   gint64      value)
{
  lookup_value (params, name, CS_PARAM_INT, CS_PARAM_INT)->num = (double) value;
}

void
cs_params_set_double (CsParams   *params,
                      const char *name,
                      double      value)
{
  lookup_value (params, name, CS_PARAM_DOUBLE, CS_PARAM_INT)->num = value;
}

gboolean
cs_params_get_dissim (const CsParams *params,
                      CsMetric       *metric)
{
  const CsAlgorithm *algo = params->algo;

  if (algo->dissim_param == NULL)
    return FALSE;
  return cs_metric_from_id (cs_params_get_string (params, algo->dissim_param), metric);
}

gboolean
cs_params_set_dissim (CsParams *params,
                      CsMetric  metric)
{
  const CsAlgorithm *algo = params->algo;
  const CsParamSpec *spec;

  if (algo->dissim_param == NULL)
    return FALSE;
  spec = cs_algorithm_find_param (algo, algo->dissim_param);
  if (spec == NULL || cs_param_spec_choice_label (spec, cs_metric_id (metric)) == NULL)
    return FALSE;
  return cs_params_set (params, algo->dissim_param, cs_metric_id (metric), NULL);
}

gint64
cs_params_get_int (const CsParams *params,
                   const char     *name)
{
  return (gint64) lookup_value (params, name, CS_PARAM_INT, CS_PARAM_INT)->num;
}

double
cs_params_get_double (const CsParams *params,
                      const char     *name)
{
  return lookup_value (params, name, CS_PARAM_DOUBLE, CS_PARAM_INT)->num;
}

gboolean
cs_params_get_bool (const CsParams *params,
                    const char     *name)
{
  return lookup_value (params, name, CS_PARAM_BOOL, CS_PARAM_BOOL)->num != 0;
}

const char *
cs_params_get_string (const CsParams *params,
                      const char     *name)
{
  return lookup_value (params, name, CS_PARAM_ENUM, CS_PARAM_STRING)->str;
}

char *
cs_params_to_string (const CsParams *params,
                     const char     *name)
{
  gssize i = param_index (params->algo, name);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (i >= 0, NULL);
  switch (params->algo->params[i].type)
    {
    case CS_PARAM_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) params->values[i].num);
    case CS_PARAM_DOUBLE:
      cs_format_double (buf, sizeof buf, params->values[i].num);
      return g_strdup (buf);
    case CS_PARAM_BOOL:
      return g_strdup (params->values[i].num != 0 ? "true" : "false");
    case CS_PARAM_ENUM:
    case CS_PARAM_STRING:
    default:
      return g_strdup (params->values[i].str);
    }
}

gboolean
cs_algorithm_needs_graph (const CsAlgorithm *algo)
{
  g_return_val_if_fail (algo != NULL, FALSE);
  return algo->run_graph != NULL && algo->run == NULL;
}

gboolean
cs_algorithm_run_graph (const CsAlgorithm *algo,
                        const CsGraph     *g,
                        const CsParams    *params,
                        CsProgress        *progress,
                        CsTrace           *trace,
                        CsClustering     **out,
                        GError           **error)
{
  g_autoptr (CsParams) defaults = NULL;
  CsClustering *c = NULL;
  gint64 t0;

  g_return_val_if_fail (algo != NULL && out != NULL, FALSE);
  if (algo->run_graph == NULL || g == NULL)
    {
      /* The one message for every front end that reaches a graph algorithm with a table. */
      g_set_error (error, CS_ERROR, algo->run_graph == NULL ? CS_ERROR_INVALID_ARGUMENT : CS_ERROR_PARAMETER,
                   algo->run_graph == NULL ? "%s clusters rows of a table, not the nodes of a graph"
                                           : "%s clusters the nodes of a graph, and this data is a table of "
                                             "points: open an edge list (in the command line: clusterscope-cli "
                                             "graph EDGES --algo ...)",
                   algo->name);
      return FALSE;
    }
  if (g->n < 2)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "%s needs a graph of at least two nodes", algo->name);
      return FALSE;
    }
  if (params == NULL)
    params = defaults = cs_params_new (algo);
  g_return_val_if_fail (cs_params_get_algorithm (params) == algo, FALSE);
  t0 = g_get_monotonic_time ();
  if (!algo->run_graph (g, params, progress, trace, &c, error))
    return FALSE;
  c->seconds = (g_get_monotonic_time () - t0) / 1e6;
  if (c->algorithm == NULL || strcmp (c->algorithm, algo->id) != 0)
    {
      g_free (c->algorithm);
      c->algorithm = g_strdup (algo->id);
    }
  if (c->params == NULL)
    c->params = cs_params_copy (params);
  c->objective_kind = algo->objective;
  *out = c;
  return TRUE;
}
