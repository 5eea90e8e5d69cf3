/* clusterscope-cli density and kde-diagnostics: 2-D KDE on a grid (exact, binned or
 * differentially private) and the high-dimensional bandwidth diagnostics. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/base/cs-error.h"
#include "core/base/cs-format.h"
#include "core/cluster/cs-result-io.h"
#include "core/density/cs-dp-kernel.h"
#include "core/density/cs-kde-diagnostics.h"
#include "core/density/cs-kde.h"
#include "ui/render/cs-export.h"
#include "ui/render/cs-render-diagnostics.h"

#include "cli-private.h"

static const char *const bandwidth_names[] = {
  [CS_BANDWIDTH_SCOTT] = "scott",
  [CS_BANDWIDTH_SILVERMAN] = "silverman",
  [CS_BANDWIDTH_LSCV] = "lscv",
  [CS_BANDWIDTH_PLUGIN] = "plugin",
  [CS_BANDWIDTH_MANUAL] = "manual",
};

/* "scott", "silverman", "lscv", "plugin", or a bandwidth h in data units (H = h²·I). */
static gboolean
parse_bandwidth (const char   *spec,
                 CsKdeOptions *opt,
                 GError      **error)
{
  char *end = NULL;
  double h;

  for (guint r = 0; r < G_N_ELEMENTS (bandwidth_names); r++)
    if (r != CS_BANDWIDTH_MANUAL && g_ascii_strcasecmp (spec, bandwidth_names[r]) == 0)
      {
        opt->rule = (CsBandwidthRule) r;
        return TRUE;
      }
  h = g_ascii_strtod (spec, &end);
  if (end == spec || *end != '\0' || !(h > 0) || !isfinite (h))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "--bandwidth ‘%s’ is neither a rule (scott, silverman, lscv, plugin) nor a positive number", spec);
      return FALSE;
    }
  /* The kernel uses H = h²·I, its determinant h⁴ and its inverse: all must stay normal
   * numbers, else the kernel's check blames the data for a bandwidth it cannot represent. */
  if (!(h * h * h * h >= DBL_MIN && h * h * h * h <= 1.0 / DBL_MIN))
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "--bandwidth %s is too %s to compute with (h⁴ must stay within the range of numbers, so h from "
                   "about 1e-76 to 1e76); give a bandwidth in the data's units, or a rule such as scott", spec,
                   h < 1.0 ? "small" : "large");
      return FALSE;
    }
  opt->rule = CS_BANDWIDTH_MANUAL;
  opt->h[0] = opt->h[3] = h * h;
  opt->h[1] = opt->h[2] = 0.0;
  return TRUE;
}

/* The x and y values of two dataset columns, rows with a missing value left out. */
static gboolean
density_points (const CsDataset *ds,
                const char      *spec,
                CsMatrix       **out,
                char           **names,
                GError         **error)
{
  g_autoptr (GArray) cols = NULL;
  g_autoptr (CsMatrix) xy = NULL;
  const CsColumn *cx;
  const CsColumn *cy;
  gsize m = 0;

  if (!cs_i_cli_resolve_columns (ds, spec, &cols, error))
    return FALSE;
  if (cols->len != 2)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT, "--columns takes exactly two columns (x,y), not %u",
                   cols->len);
      return FALSE;
    }
  cx = cs_dataset_column (ds, g_array_index (cols, int, 0));
  cy = cs_dataset_column (ds, g_array_index (cols, int, 1));
  /* A text column stores level codes 0, 1, 2, …: a density of those would be a picture of
   * the order in which its values first appeared. */
  for (guint c = 0; c < 2; c++)
    {
      const CsColumn *col = c == 0 ? cx : cy;
      if (col->kind != CS_COLUMN_NUMERIC)
        {
          g_autofree char *name = cs_format_excerpt (col->name, -1, CS_FORMAT_EXCERPT_CHARS);
          g_autofree char *level = cs_format_excerpt (col->levels->len ? g_ptr_array_index (col->levels, 0) : "", -1,
                                                      CS_FORMAT_EXCERPT_CHARS);
          g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                       "column ‘%s’ holds text (such as ‘%s’), not numbers; a density needs two columns of numbers "
                       "(if it is numbers with a few odd cells, --bad-cells missing reads those as missing)",
                       name, level);
          return FALSE;
        }
    }
  xy = cs_matrix_try_new (MAX (ds->n_rows, 1), 2, "density points", error);
  if (xy == NULL)
    return FALSE;
  for (gsize i = 0; i < ds->n_rows; i++)
    if (isfinite (cx->values[i]) && isfinite (cy->values[i]))
      {
        xy->data[2 * m] = cx->values[i];
        xy->data[2 * m + 1] = cy->values[i];
        m++;
      }
  if (m < 2)
    {
      g_set_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT,
                   "a density needs at least two rows with both ‘%s’ and ‘%s’ present", cx->name, cy->name);
      return FALSE;
    }
  xy->rows = m;
  names[0] = g_strdup (cx->name);
  names[1] = g_strdup (cy->name);
  *out = g_steal_pointer (&xy);
  return TRUE;
}

static double
node (double lo,
      double hi,
      guint  n,
      guint  i)
{
  return n > 1 ? lo + (hi - lo) * (double) i / (double) (n - 1) : lo;
}

static char *
density_csv (const CsDensityGrid *g)
{
  GString *s = g_string_sized_new ((gsize) g->nx * g->ny * 48 + 16);
  g_autoptr (GPtrArray) xs = g_ptr_array_new_full (g->nx, g_free);
  char y[G_ASCII_DTOSTR_BUF_SIZE];

  /* Each node coordinate is printed once, not once per row it appears on. */
  for (guint i = 0; i < g->nx; i++)
    {
      char x[G_ASCII_DTOSTR_BUF_SIZE];
      g_ptr_array_add (xs, g_strdup (cs_format_double (x, sizeof x, node (g->x_min, g->x_max, g->nx, i))));
    }
  g_string_append (s, "x,y,density\n");
  for (guint j = 0; j < g->ny; j++)
    {
      gsize ylen;

      cs_format_double (y, sizeof y, node (g->y_min, g->y_max, g->ny, j));
      ylen = strlen (y);
      for (guint i = 0; i < g->nx; i++)
        {
          double v = g->values[(gsize) j * g->nx + i];

          g_string_append (s, g_ptr_array_index (xs, i));
          g_string_append_c (s, ',');
          g_string_append_len (s, y, ylen);
          g_string_append_c (s, ',');
          /* An empty field is the CSV's missing value; a grid value is never NaN, but no
           * "nan" text would be read back by anything. */
          if (isfinite (v))
            cs_format_double_append (s, v);
          g_string_append_c (s, '\n');
        }
    }
  return g_string_free (s, FALSE);
}

static JsonNode *
density_json (const CsDensityGrid *g,
              char *const         *names,
              gsize                n)
{
  JsonObject *o = json_object_new ();
  JsonObject *bw = json_object_new ();
  JsonArray *H = json_array_new ();
  JsonArray *extent = json_array_new ();
  JsonArray *cols = json_array_new ();
  JsonArray *xs = json_array_new ();
  JsonArray *ys = json_array_new ();
  JsonArray *dens = json_array_new ();
  JsonNode *root = json_node_alloc ();

  for (guint r = 0; r < 2; r++)
    {
      JsonArray *row = json_array_new ();
      json_array_add_double_element (row, g->h[2 * r]);
      json_array_add_double_element (row, g->h[2 * r + 1]);
      json_array_add_array_element (H, row);
    }
  json_object_set_string_member (bw, "selector", bandwidth_names[g->rule]);
  json_object_set_array_member (bw, "matrix", H);
  json_object_set_string_member (o, "method", g->method == CS_KDE_EXACT ? "exact" : "binned");
  json_array_add_string_element (cols, names[0]);
  json_array_add_string_element (cols, names[1]);
  json_object_set_array_member (o, "columns", cols);
  json_object_set_int_member (o, "n", (gint64) n);
  json_object_set_object_member (o, "bandwidth", bw);
  json_array_add_double_element (extent, g->x_min);
  json_array_add_double_element (extent, g->x_max);
  json_array_add_double_element (extent, g->y_min);
  json_array_add_double_element (extent, g->y_max);
  json_object_set_array_member (o, "extent", extent);
  json_object_set_int_member (o, "nx", g->nx);
  json_object_set_int_member (o, "ny", g->ny);
  /* The CSV's rows as three columns: node j·nx + i is (x[i], y[j]), x varying fastest. */
  for (guint i = 0; i < g->nx; i++)
    json_array_add_double_element (xs, node (g->x_min, g->x_max, g->nx, i));
  for (guint j = 0; j < g->ny; j++)
    json_array_add_double_element (ys, node (g->y_min, g->y_max, g->ny, j));
  for (gsize q = 0; q < (gsize) g->nx * g->ny; q++)
    json_array_add_double_element (dens, g->values[q]);
  json_object_set_array_member (o, "x", xs);
  json_object_set_array_member (o, "y", ys);
  json_object_set_array_member (o, "density", dens);
  json_node_init_object (root, o);
  json_object_unref (o);
  return root;
}

int
cs_i_cli_cmd_density (int    argc,
             char **argv)
{
  char *columns = NULL, *bandwidth = NULL, *method = NULL, *out = NULL;
  int grid = 256;
  char *epsilon_text = NULL, *delta_text = NULL;
  double epsilon = 0.0, delta = 1e-5, dp_sigma = 0.0;
  int features = 1024;
  gint64 seed = -1;
  gboolean json = FALSE, pretty = FALSE;
  const GOptionEntry entries[] = {
    { "columns", 'c', 0, G_OPTION_ARG_STRING, &columns, "The two columns on x and y", "X,Y" },
    { "bandwidth", 'b', 0, G_OPTION_ARG_STRING, &bandwidth,
      "scott (default), silverman, lscv, plugin, or a bandwidth h in data units (H = h²·I)", "RULE|VALUE" },
    { "grid", 'g', 0, G_OPTION_ARG_INT, &grid, "Nodes per axis (default 256)", "N" },
    { "method", 'm', 0, G_OPTION_ARG_STRING, &method,
      "binned (default: linear binning + FFT) or exact (direct sum)", "exact|binned" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write the grid as x,y,density CSV to FILE (default: stdout)",
      "FILE" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json,
      "Print the grid as JSON, with the bandwidth matrix, the selector and the extent", NULL },
    { "pretty", 0, 0, G_OPTION_ARG_NONE, &pretty, "Indent the JSON", NULL },
    { "epsilon", 0, 0, G_OPTION_ARG_STRING, &epsilon_text,
      "Release an (ε, δ)-differentially private density instead (Gaussian kernel, random Fourier features; "
      "the bandwidth and extent are not privatised: give --bandwidth VALUE for a data-independent one)", "E" },
    { "delta", 0, 0, G_OPTION_ARG_STRING, &delta_text, "δ for --epsilon (default 1e-5; keep it well below 1/n)", "D" },
    { "features", 0, 0, G_OPTION_ARG_INT, &features, "Random features for --epsilon (default 1,024)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      "Seed for --epsilon's features and noise (default: fresh randomness; a known seed voids the privacy, "
      "use it only to reproduce a run)", "S" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = cs_i_cli_command_context ("FILE",
      "Estimate the 2-D kernel density of two columns of FILE on a grid.\n\n"
      "The CSV has the header x,y,density and one row per grid node, x varying fastest.\n\n"
      "Example: clusterscope-cli density faithful --columns eruptions,waiting --bandwidth plugin --out grid.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDataset) ds = NULL;
  g_autoptr (CsMatrix) xy = NULL;
  g_autoptr (CsDensityGrid) g = NULL;
  char *names[2] = { NULL, NULL };
  CsKdeOptions opt;
  int status = EXIT_OK;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cs_i_cli_parse (ctx, &argc, &argv, &status))
    goto out;
  if (argc != 2)
    {
      status = cs_i_cli_fail (EXIT_USAGE, argc < 2 ? "density needs a FILE" : "density takes one FILE");
      goto out;
    }
  if (columns == NULL)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "density needs --columns X,Y");
      goto out;
    }
  if (json && out != NULL)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--out and --json are alternatives");
      goto out;
    }
  cs_kde_options_init (&opt);
  if (grid < 4 || grid > 8192)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--grid must be 4–8,192, not %d", grid);
      goto out;
    }
  opt.grid = (guint) grid;
  if (method != NULL && strcmp (method, "exact") == 0)
    opt.method = CS_KDE_EXACT;
  else if (method != NULL && strcmp (method, "binned") == 0)
    opt.method = CS_KDE_BINNED;
  else if (method != NULL)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--method must be exact or binned, not ‘%s’", method);
      goto out;
    }
  if (bandwidth != NULL && !parse_bandwidth (bandwidth, &opt, &error))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "%s", error->message);
      goto out;
    }
  if (delta_text != NULL && epsilon_text == NULL)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--delta needs --epsilon");
      goto out;
    }
  /* A privacy budget that is not a finite positive number would release the exact surface
   * (NaN, ∞: no noise) while the output claims a private one. */
  if ((epsilon_text != NULL && !cs_i_cli_parse_number ("epsilon", epsilon_text, FALSE, &epsilon, &error))
      || (delta_text != NULL && !cs_i_cli_parse_number ("delta", delta_text, FALSE, &delta, &error)))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "%s", error->message);
      goto out;
    }
  if (epsilon_text != NULL && !(delta < 1.0))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--delta must be below 1 (well below 1/n, e.g. 1e-5), not ‘%s’",
                              delta_text);
      goto out;
    }
  if (epsilon_text != NULL && (features < 2 || features > 65536 || features % 2 != 0))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--features must be an even number from 2 to 65,536, not %d", features);
      goto out;
    }

  ds = cs_i_cli_load_dataset (argv[1], NULL, &error);
  if (ds == NULL)
    {
      status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
      goto out;
    }
  if (!density_points (ds, columns, &xy, names, &error))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "%s", error->message);
      goto out;
    }
  if (epsilon_text != NULL)
    {
      /* The private surface replaces the KDE's values on the KDE's grid (its H and extent),
       * so the cheap binned pass is enough, and only the Gaussian kernel has the features. */
      opt.method = CS_KDE_BINNED;
      opt.kernel = CS_KERNEL_GAUSSIAN;
    }
  g = cs_kde_grid (xy, &opt, NULL, &error);
  if (g == NULL)
    {
      status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
      goto out;
    }
  if (g->approximate)
    fprintf (stderr, "%s: note: the bandwidth is narrow for this grid, so the binned values may be off; "
             "--method exact sums the kernels at every node\n", cs_i_cli_prog);
  if (epsilon_text != NULL)
    {
      CsDpKernelOptions dp;
      double extent[4] = { g->x_min, g->x_max, g->y_min, g->y_max };

      cs_dp_kernel_options_init (&dp);
      dp.epsilon = epsilon;
      dp.delta = delta;
      dp.n_features = (guint) features;
      if (seed >= 0)
        {
          dp.seed = (guint64) seed;
          dp.noise_seed = (guint64) seed + 1;
        }
      else
        {
          dp.seed = ((guint64) g_random_int () << 32) | g_random_int ();
          dp.noise_seed = ((guint64) g_random_int () << 32) | g_random_int ();
        }
      if (!cs_dp_kde_grid_values (xy, g->h, &dp, g->nx, g->ny, extent, g->values, &dp_sigma, NULL, &error))
        {
          status = cs_i_cli_fail (cs_i_cli_status_for (error), "%s", error->message);
          goto out;
        }
    }

  if (json)
    {
      g_autoptr (JsonNode) root = density_json (g, names, xy->rows);
      if (epsilon_text != NULL)
        {
          JsonObject *p = json_object_new ();
          json_object_set_double_member (p, "epsilon", epsilon);
          json_object_set_double_member (p, "delta", delta);
          json_object_set_double_member (p, "sigma", dp_sigma);
          json_object_set_double_member (p, "sensitivity", 2.0);
          json_object_set_int_member (p, "features", features);
          json_object_set_string_member (p, "mechanism", "analytic Gaussian");
          json_object_set_string_member (json_node_get_object (root), "method", "private");
          json_object_set_object_member (json_node_get_object (root), "privacy", p);
        }
      if (!cs_json_write (root, pretty, "-", &error))
        status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
    }
  else
    {
      g_autofree char *csv = density_csv (g);

      if (out == NULL || strcmp (out, "-") == 0)
        {
          if (!cs_i_cli_write_stdout (csv, strlen (csv), &error))
            status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
        }
      else if (!cs_write_file_atomic (out, csv, strlen (csv), &error))
        status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
    }

out:
  g_free (epsilon_text);
  g_free (delta_text);
  g_free (names[0]);
  g_free (names[1]);
  g_free (columns);
  g_free (bandwidth);
  g_free (method);
  g_free (out);
  return status;
}

static JsonObject *
kde_diagnostics_to_json (const CsKdeDiagnostics *d,
                         const char             *dataset,
                         double                  bandwidth,
                         guint64                 seed)
{
  JsonObject *o = json_object_new ();
  JsonArray *curve = json_array_new ();

  json_object_set_string_member (o, "dataset", dataset);
  json_object_set_int_member (o, "n", (gint64) d->n);
  json_object_set_int_member (o, "d", (gint64) d->d);
  json_object_set_double_member (o, "alpha", d->alpha);
  json_object_set_int_member (o, "queries", (gint64) d->n_queries);
  json_object_set_boolean_member (o, "sampled", d->sampled);
  json_object_set_int_member (o, "seed", (gint64) seed);
  json_object_set_string_member (o, "thresholds_assume",
                                 "Gaussian data with the sample covariance, this n and d (Biroli & Mézard)");
  cs_json_set_number (o, "h_g", d->h_g);
  cs_json_set_number (o, "h_clt", d->h_clt);
  cs_json_set_number (o, "h_g_empirical", d->h_g_emp);
  cs_json_set_number (o, "h_clt_empirical", d->h_clt_emp);
  cs_json_set_number (o, "h_opt", d->h_opt);
  cs_json_set_number (o, "loo_log_likelihood_opt", d->loo_ll_opt);
  json_object_set_string_member (o, "regime_opt", cs_kde_regime_name (cs_kde_diagnostics_regime (d, d->h_opt)));
  if (bandwidth > 0)
    {
      json_object_set_double_member (o, "bandwidth", bandwidth);
      json_object_set_string_member (o, "regime", cs_kde_regime_name (cs_kde_diagnostics_regime (d, bandwidth)));
    }
  for (guint k = 0; k < d->n_h; k++)
    {
      JsonObject *p = json_object_new ();
      json_object_set_double_member (p, "h", d->h[k]);
      cs_json_set_number (p, "loo_log_likelihood", d->loo_ll[k]);
      cs_json_set_number (p, "n_eff", d->n_eff[k]);
      json_array_add_object_element (curve, p);
    }
  json_object_set_array_member (o, "curve", curve);
  return o;
}

int
cs_i_cli_cmd_kde_diagnostics (int    argc,
                     char **argv)
{
  RunOptions o = { 0 };
  gboolean json = FALSE, pretty = FALSE;
  char *bandwidth_text = NULL;
  double bandwidth = 0.0; /* > 0 only when given */
  int grid = 60, max_queries = 2000;
  gint64 seed = 1;
  char *out = NULL;
  const GOptionEntry entries[] = {
    { "columns", 'c', 0, G_OPTION_ARG_STRING, &o.columns,
      "Comma-separated columns to use (default: every numeric column but the label)", "A,B,..." },
    { "standardize", 's', 0, G_OPTION_ARG_NONE, &o.standardize, "Scale each column to mean 0, sd 1 (z-score)", NULL },
    { "impute-mean", 0, 0, G_OPTION_ARG_NONE, &o.impute_mean,
      "Fill missing values with the column mean (default: drop those rows)", NULL },
    { "bandwidth", 'b', 0, G_OPTION_ARG_STRING, &bandwidth_text, "A bandwidth h to place among the regimes", "H" },
    { "grid", 0, 0, G_OPTION_ARG_INT, &grid, "Bandwidths on the log grid (default 60)", "N" },
    { "max-queries", 0, 0, G_OPTION_ARG_INT, &max_queries,
      "Query points for the leave-one-out means; larger data is sampled (default 2,000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed for that sample (default 1)", "S" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print the curves and thresholds as JSON", NULL },
    { "pretty", 0, 0, G_OPTION_ARG_NONE, &pretty, "Indent the JSON", NULL },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Also draw the diagnostics view to a figure", "FIG.png|svg|pdf" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = cs_i_cli_command_context ("FILE",
      "High-dimensional KDE diagnostics (Biroli & Mézard): the leave-one-out log-likelihood and the effective "
      "number of points n_eff of an isotropic Gaussian KDE as functions of the bandwidth h, the extreme-value, "
      "heavy-tailed and CLT regimes, and where the likelihood-optimal h falls.\n\n"
      "Example: clusterscope-cli kde-diagnostics wine --standardize --bandwidth 1.5");
  g_autoptr (GError) error = NULL;
  g_autoptr (CsKdeDiagnostics) diag = NULL;
  CsKdeDiagOptions dopt;
  CsExportFormat format = CS_EXPORT_PNG;
  Run r = { 0 };
  int status = EXIT_OK;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cs_i_cli_parse (ctx, &argc, &argv, &status))
    goto out;
  if (argc != 2)
    {
      status = cs_i_cli_fail (EXIT_USAGE, argc < 2 ? "kde-diagnostics needs a FILE" : "kde-diagnostics takes one FILE");
      goto out;
    }
  if (grid < 3 || grid > 1000 || max_queries < 1 || seed < 0)
    {
      status = cs_i_cli_fail (EXIT_USAGE, "kde-diagnostics needs 3 ≤ grid ≤ 1,000, max-queries ≥ 1, seed ≥ 0");
      goto out;
    }
  if (bandwidth_text != NULL && !cs_i_cli_parse_number ("bandwidth", bandwidth_text, FALSE, &bandwidth, &error))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "%s", error->message);
      goto out;
    }
  if (out != NULL && !cs_export_format_from_path (out, &format))
    {
      status = cs_i_cli_fail (EXIT_USAGE, "--out FILE must end in .png, .svg or .pdf");
      goto out;
    }
  status = cs_i_cli_do_run (argv[1], &o, FALSE, &r);
  if (status != EXIT_OK)
    goto out;

  cs_kde_diag_options_init (&dopt);
  dopt.n_h = (guint) grid;
  dopt.max_queries = (guint) max_queries;
  dopt.seed = (guint64) seed;
  diag = cs_kde_diagnostics_run (r.prep->x, &dopt, NULL, &error);
  if (diag == NULL)
    {
      status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
      goto out;
    }
  if (diag->d <= 2)
    fprintf (stderr, "%s: note: with d = %" G_GSIZE_FORMAT " the large-dimension regimes are only indicative; "
             "the ‘density’ command draws low-dimensional densities\n", cs_i_cli_prog, diag->d);

  if (out != NULL)
    {
      g_autoptr (CsDiagnosticsModel) model = cs_diagnostics_model_new (diag, bandwidth > 0 ? bandwidth : NAN);
      if (!cs_render_export (cs_render_diagnostics, model, out, format, 180, 130, 150, &error))
        {
          status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
          goto out;
        }
    }
  if (json)
    {
      g_autoptr (JsonNode) root = json_node_init_object (json_node_alloc (),
                                                         kde_diagnostics_to_json (diag, r.ds->name, bandwidth,
                                                                                  (guint64) seed));
      json_object_unref (json_node_get_object (root));
      if (!cs_json_write (root, pretty, "-", &error))
        status = cs_i_cli_fail (EXIT_RUNTIME, "%s", error->message);
    }
  else
    {
      g_autofree char *n = cs_format_count (diag->n);
      g_autofree char *d = cs_format_count (diag->d);
      g_autofree char *queries = cs_format_count (diag->n_queries);

      printf ("KDE diagnostics for %s: n = %s, d = %s, α = log n / d = %.4g\n", r.ds->name, n, d, diag->alpha);
      /* The seed is an identifier to type back, not a quantity: not grouped. */
      if (diag->sampled)
        printf ("  leave-one-out means over %s sampled points (seed %" G_GINT64_FORMAT ")\n", queries, seed);
      printf ("  h_G           %.4g   extreme-value regime below (theory: Gaussian data with this covariance)\n",
              diag->h_g);
      printf ("  h_CLT         %.4g   CLT regime above; heavy-tailed in between\n", diag->h_clt);
      if (isfinite (diag->h_g_emp))
        printf ("  n_eff = 2     %.4g   (measured: a couple of points carry the estimate below)\n", diag->h_g_emp);
      if (isfinite (diag->h_clt_emp))
        printf ("  n_eff = √n    %.4g   (measured: many points contribute above)\n", diag->h_clt_emp);
      printf ("  best h (LOO)  %.4g   %s; mean LOO log-likelihood %.6g\n", diag->h_opt,
              cs_kde_regime_name (cs_kde_diagnostics_regime (diag, diag->h_opt)), diag->loo_ll_opt);
      if (bandwidth > 0)
        printf ("  h = %.4g     %s; n_eff ≈ %.4g\n", bandwidth,
                cs_kde_regime_name (cs_kde_diagnostics_regime (diag, bandwidth)),
                cs_kde_diagnostics_n_eff_at (diag, bandwidth));
    }

out:
  cs_i_cli_run_clear (&r);
  cs_i_cli_run_options_clear (&o);
  g_free (out);
  g_free (bandwidth_text);
  return status;
}

