/* Infrastructure every algorithm leans on: progress and cancellation, the parameter
 * registry, the pairwise-distance kernel, the memory guard and the seeded generator. */
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/base/cs-error.h"
#include "core/base/cs-file.h"
#include "core/base/cs-file-private.h"
#include "core/base/cs-matrix.h"
#include "core/base/cs-progress.h"
#include "core/cluster/cs-registry.h"
#include "core/base/cs-rng.h"

typedef struct
{
  guint  calls;
  double last;
  guint  stop_after;
} Counter;

static gboolean
count_cb (double      fraction,
          const char *stage,
          gpointer    user_data)
{
  Counter *c = user_data;

  c->calls++;
  g_assert_cmpfloat (fraction, >=, c->last);
  c->last = fraction;
  return c->stop_after == 0 || c->calls < c->stop_after;
}

static void
test_progress_rate_limited (void)
{
  Counter c = { 0, 0.0, 0 };
  g_autoptr (CsProgress) p = cs_progress_new (count_cb, &c, NULL);
  gint64 t0 = g_get_monotonic_time ();

  for (int i = 0; i <= 100000; i++)
    g_assert_true (cs_progress_report (p, i / 100000.0, "loop"));
  /* A report per 1 % step at most, plus the final one, plus the 50 ms heartbeat when the
   * loop is slow (a sanitizer build, a busy machine). */
  g_assert_cmpuint (c.calls, <=, 102 + (g_get_monotonic_time () - t0) / 50000);
  g_assert_cmpuint (c.calls, >=, 2);
  g_assert_cmpfloat (c.last, ==, 1.0);
}

static void
test_progress_callback_cancels (void)
{
  Counter c = { 0, 0.0, 3 };
  g_autoptr (CsProgress) p = cs_progress_new (count_cb, &c, NULL);
  g_autoptr (GError) error = NULL;
  gboolean went_on = TRUE;

  for (int i = 0; i <= 100 && went_on; i++)
    went_on = cs_progress_report (p, i / 100.0, "loop");
  g_assert_false (went_on);
  g_assert_cmpuint (c.calls, ==, 3);
  g_assert_false (cs_progress_check (p, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
}

static void
test_progress_cancellable (void)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (CsProgress) p = cs_progress_new (NULL, NULL, cancellable);
  g_autoptr (GError) error = NULL;

  g_assert_true (cs_progress_check (p, NULL));
  g_cancellable_cancel (cancellable);
  g_assert_true (cs_progress_is_cancelled (p));
  g_assert_false (cs_progress_check (p, &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_CANCELLED);
  /* NULL progress never cancels. */
  g_assert_true (cs_progress_check (NULL, NULL));
  g_assert_true (cs_progress_report (NULL, 0.5, "x"));
}

static void
test_registry_lists_kmeans (void)
{
  gsize n = 0;
  const CsAlgorithm *const *all = cs_registry_list (&n);
  const CsAlgorithm *km = cs_registry_lookup ("kmeans");

  g_assert_cmpuint (n, >=, 1);
  g_assert_nonnull (km);
  g_assert_true (cs_registry_lookup ("KMeans") == km);
  g_assert_null (cs_registry_lookup ("no-such-algorithm"));
  for (gsize i = 0; i < n; i++)
    {
      g_assert_true (all[i]->run != NULL || all[i]->run_graph != NULL); /* graph entries: run_graph only */
      g_assert_cmpuint (all[i]->n_params, >, 0);
      for (gsize j = 0; j < all[i]->n_params; j++)
        {
          const CsParamSpec *s = &all[i]->params[j];
          g_assert_nonnull (s->label);
          g_assert_nonnull (s->help);
          if (s->type == CS_PARAM_INT || s->type == CS_PARAM_DOUBLE)
            {
              g_assert_cmpfloat (s->min, <=, s->default_num);
              g_assert_cmpfloat (s->default_num, <=, s->max);
            }
        }
    }
}

static void
test_params_parse_and_validate (void)
{
  const CsAlgorithm *km = cs_registry_lookup ("kmeans");
  g_autoptr (CsParams) p = cs_params_new (km);
  g_autoptr (CsParams) q = NULL;
  g_autofree char *tol = NULL;
  GError *error = NULL;

  g_assert_true (cs_params_set_assignment (p, "k=7", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cs_params_get_int (p, "k"), ==, 7);

  g_assert_false (cs_params_set (p, "k", "2.5", &error));
  g_assert_error (error, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "whole number"));
  g_clear_error (&error);

  g_assert_false (cs_params_set (p, "k", "0", &error));
  g_assert_nonnull (strstr (error->message, "range"));
  g_clear_error (&error);

  /* k-means' init also takes centres as text, checked when the run starts (tests/test-teach.c):
   * the set-time refusal of a wrong choice is the method's. */
  g_assert_false (cs_params_set (p, "algorithm", "sideways", &error));
  g_assert_nonnull (strstr (error->message, "hamerly"));
  g_clear_error (&error);

  g_assert_false (cs_params_set (p, "kk", "3", &error));
  g_assert_nonnull (strstr (error->message, "‘kk’"));
  g_clear_error (&error);

  g_assert_false (cs_params_set_assignment (p, "=3", &error));
  g_clear_error (&error);

  g_assert_true (cs_params_set (p, "init", "RANDOM", NULL));
  g_assert_cmpstr (cs_params_get_string (p, "init"), ==, "random");

  g_assert_true (cs_params_set (p, "tol", "1e-4", NULL));
  tol = cs_params_to_string (p, "tol");
  g_assert_cmpstr (tol, ==, "0.0001");

  /* A copy is independent, and the value still reads back the same. */
  q = cs_params_copy (p);
  g_assert_true (cs_params_set (p, "k", "9", NULL));
  g_assert_cmpint (cs_params_get_int (q, "k"), ==, 7);
  g_assert_cmpstr (cs_params_get_string (q, "init"), ==, "random");
}

static void
test_sqdist_block_matches_direct (void)
{
  CsRng rng;
  g_autoptr (CsMatrix) a = cs_matrix_new (37, 5);
  g_autoptr (CsMatrix) b = cs_matrix_new (11, 5);
  g_autofree double *na = g_new (double, 37);
  g_autofree double *nb = g_new (double, 11);
  g_autofree double *out = g_new (double, 10 * 11);

  cs_rng_init (&rng, 42);
  for (gsize i = 0; i < 37 * 5; i++)
    a->data[i] = cs_rng_normal (&rng) * 10;
  for (gsize i = 0; i < 11 * 5; i++)
    b->data[i] = cs_rng_normal (&rng) * 10;
  memcpy (cs_matrix_row (b, 3), cs_matrix_row (a, 20), 5 * sizeof (double));
  cs_matrix_row_sqnorms (a, na);
  cs_matrix_row_sqnorms (b, nb);
  cs_matrix_sqdist_block (a, na, 15, 10, b, nb, out);
  for (gsize i = 0; i < 10; i++)
    for (gsize j = 0; j < 11; j++)
      {
        double direct = cs_sqdist (cs_matrix_row (a, 15 + i), cs_matrix_row (b, j), 5);
        g_assert_cmpfloat_with_epsilon (out[i * 11 + j], direct, 1e-9 * MAX (direct, 1.0));
        g_assert_cmpfloat (out[i * 11 + j], >=, 0.0);
      }
  /* Row 20 of a equals row 3 of b: cancellation must not go negative. */
  g_assert_cmpfloat (out[5 * 11 + 3], <, 1e-9);
}

static void
test_memory_guard (void)
{
  GError *error = NULL;
  CsMatrix *m;

  g_setenv ("CLUSTERSCOPE_MEMORY_LIMIT", "1M", TRUE);
  g_assert_cmpuint (cs_memory_budget (), ==, 1048576);
  m = cs_matrix_try_new (1000, 1000, "distance matrix", &error);
  g_assert_null (m);
  g_assert_error (error, CS_ERROR, CS_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "distance matrix"));
  g_clear_error (&error);
  g_assert_false (cs_memory_check (2 << 20, "dissimilarity matrix", "use FastCLARA", &error));
  g_assert_nonnull (strstr (error->message, "FastCLARA"));
  g_clear_error (&error);
  m = cs_matrix_try_new (100, 100, "data", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (m->data[100 * 100 - 1], ==, 0.0);
  cs_matrix_free (m);
  g_unsetenv ("CLUSTERSCOPE_MEMORY_LIMIT");
}

static void
test_rng_deterministic_and_uniform (void)
{
  CsRng a, b, c;
  double sum = 0, sumsq = 0;
  guint counts[10] = { 0 };
  const int n = 200000;

  cs_rng_init (&a, 7);
  cs_rng_init (&b, 7);
  cs_rng_init_stream (&c, 7, 1);
  for (int i = 0; i < 100; i++)
    {
      guint64 x = cs_rng_next (&a);
      g_assert_cmpuint (x, ==, cs_rng_next (&b));
      g_assert_cmpuint (x, !=, cs_rng_next (&c));
    }
  for (int i = 0; i < n; i++)
    {
      double z = cs_rng_normal (&a);
      sum += z;
      sumsq += z * z;
      counts[cs_rng_below (&a, 10)]++;
    }
  /* Mean 0 and variance 1 within ~5 standard errors. */
  g_assert_cmpfloat (fabs (sum / n), <, 5.0 / sqrt (n));
  g_assert_cmpfloat (fabs (sumsq / n - 1.0), <, 5.0 * sqrt (2.0 / n));
  for (int i = 0; i < 10; i++)
    g_assert_cmpfloat (fabs (counts[i] - n / 10.0), <, 5.0 * sqrt (n * 0.09));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The folder's entries, sorted and joined by spaces. */
static char *
list_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, (char *) name);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* In a fresh folder holding fig.pdf = "old": a child starts replacing it, writes a megabyte and
 * is killed by `sig` before committing. Returns the folder; the child's wait status in *status. */
static char *
kill_mid_write (int      sig,
                gboolean named,
                int     *status)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("cs-atomic-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "fig.pdf", NULL);
  pid_t pid;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autofree char *block = g_malloc0 (1 << 20);
      CsAtomicFile *f;

      cs_i_atomic_file_force_named (named);
      cs_atomic_file_cleanup_on_signals ();
      f = cs_atomic_file_new (path, NULL);
      if (f == NULL || fwrite (block, 1, 1 << 20, cs_atomic_file_get_stream (f)) != 1 << 20
          || fflush (cs_atomic_file_get_stream (f)) != 0)
        _exit (3);
      raise (sig);
      _exit (4);
    }
  g_assert_cmpint (waitpid (pid, status, 0), ==, pid);
  return dir;
}

static void
assert_only_old_file (const char *dir)
{
  g_autofree char *listing = list_dir (dir);
  g_autofree char *path = g_build_filename (dir, "fig.pdf", NULL);
  g_autofree char *contents = NULL;

  g_assert_cmpstr (listing, ==, "fig.pdf");
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
}

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

/* SIGINT and SIGTERM during a write through the named fallback remove its temporary, and the
 * signal still ends the process; the old file stays. */
static void
test_atomic_file_signal_removes_temporary (void)
{
  const int sigs[] = { SIGINT, SIGTERM };

  for (guint i = 0; i < G_N_ELEMENTS (sigs); i++)
    {
      int status = 0;
      g_autofree char *dir = kill_mid_write (sigs[i], TRUE, &status);

      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, sigs[i]);
      assert_only_old_file (dir);
      remove_dir (dir);
    }
}

/* With an unnamed temporary even SIGKILL, which no handler sees, leaves nothing behind. */
static void
test_atomic_file_sigkill_leaves_nothing (void)
{
  g_autofree char *probe_dir = g_dir_make_tmp ("cs-atomic-XXXXXX", NULL);
  g_autofree char *probe = g_build_filename (probe_dir, "probe", NULL);
  CsAtomicFile *f = cs_atomic_file_new (probe, NULL);
  gboolean unnamed;
  int status = 0;
  g_autofree char *dir = NULL;

  g_assert_nonnull (f);
  unnamed = cs_atomic_file_is_unnamed (f);
  cs_atomic_file_abort (f);
  remove_dir (probe_dir);
  if (!unnamed)
    {
      g_test_skip ("this file system has no O_TMPFILE: SIGKILL can leave the named temporary");
      return;
    }
  dir = kill_mid_write (SIGKILL, FALSE, &status);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  assert_only_old_file (dir);
  remove_dir (dir);
}

/* Commit replaces the file whole, abort keeps the old one, a missing folder is an IO error
 * naming the path; both ways of writing leave no other entries. */
static void
test_atomic_file_commit_and_abort (void)
{
  for (int named = 0; named <= 1; named++)
    {
      g_autofree char *dir = g_dir_make_tmp ("cs-atomic-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
      g_autofree char *missing = g_build_filename (dir, "no", "such", "out.csv", NULL);
      g_autofree char *contents = NULL;
      g_autofree char *listing = NULL;
      g_autoptr (GError) error = NULL;
      CsAtomicFile *f;

      cs_i_atomic_file_force_named (named);
      g_assert_true (cs_write_file_atomic (path, "a,b\n", 4, &error));
      g_assert_no_error (error);
      g_assert_true (cs_write_file_atomic (path, "c,d\n1,2\n", 8, &error));
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "c,d\n1,2\n");
      f = cs_atomic_file_new (path, &error);
      g_assert_nonnull (f);
      g_assert_cmpint (cs_atomic_file_is_unnamed (f), ==, !named && cs_atomic_file_is_unnamed (f));
      fputs ("half", cs_atomic_file_get_stream (f));
      cs_atomic_file_abort (f);
      g_clear_pointer (&contents, g_free);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "c,d\n1,2\n");
      listing = list_dir (dir);
      g_assert_cmpstr (listing, ==, "out.csv");
      g_assert_false (cs_write_file_atomic (missing, "x", 1, &error));
      g_assert_error (error, CS_ERROR, CS_ERROR_IO);
      g_assert_nonnull (strstr (error->message, "out.csv"));
      remove_dir (dir);
    }
  cs_i_atomic_file_force_named (FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/progress/rate-limited", test_progress_rate_limited);
  g_test_add_func ("/core/progress/callback-cancels", test_progress_callback_cancels);
  g_test_add_func ("/core/progress/cancellable", test_progress_cancellable);
  g_test_add_func ("/core/registry/lists-kmeans", test_registry_lists_kmeans);
  g_test_add_func ("/core/registry/params-parse-and-validate", test_params_parse_and_validate);
  g_test_add_func ("/core/matrix/sqdist-block-matches-direct", test_sqdist_block_matches_direct);
  g_test_add_func ("/core/matrix/memory-guard", test_memory_guard);
  g_test_add_func ("/core/rng/deterministic-and-uniform", test_rng_deterministic_and_uniform);
  g_test_add_func ("/core/file/atomic-commit-and-abort", test_atomic_file_commit_and_abort);
  g_test_add_func ("/core/file/signal-removes-temporary", test_atomic_file_signal_removes_temporary);
  g_test_add_func ("/core/file/sigkill-leaves-nothing", test_atomic_file_sigkill_leaves_nothing);
  return g_test_run ();
}
