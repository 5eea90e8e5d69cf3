/* Comparing two clusterings: AMI, NMI and ARI equal scikit-learn's (values from
 * sklearn.metrics 1.2 on the same label formulas), the contingency table counts every row once,
 * noise has its own row and column, and the Hungarian matching finds the relabelling. */
#include <math.h>

#include "core/base/cs-error.h"
#include "core/metrics/cs-compare.h"
#include "core/metrics/cs-metrics.h"

static void
check_case (gsize n, int (*fa) (gsize), int (*fb) (gsize), double ami, double nmi, double ari)
{
  g_autofree int *a = g_new (int, n);
  g_autofree int *b = g_new (int, n);

  for (gsize i = 0; i < n; i++)
    {
      a[i] = fa (i);
      b[i] = fb (i);
    }
  g_assert_cmpfloat_with_epsilon (cs_metric_ami (a, b, n), ami, 1e-10);
  g_assert_cmpfloat_with_epsilon (cs_metric_nmi (a, b, n), nmi, 1e-10);
  g_assert_cmpfloat_with_epsilon (cs_metric_ari (a, b, n), ari, 1e-10);
}

static int a1 (gsize i) { return (int) (i % 3); }
static int b1 (gsize i) { return (int) ((i * 7) % 4); }
static int a2 (gsize i) { return (int) ((i * i) % 5); }
static int b2 (gsize i) { return (int) (i / 40); }
static int a3 (gsize i) { return (int) (i % 4); }
static int b3 (gsize i) { return (int) (i % 10 ? i % 4 : (i + 1) % 4); }

static void
test_scores_match_sklearn (void)
{
  check_case (30, a1, b1, -0.0884804938217844, 0.014429263745956171, -0.07450430602843981);
  check_case (200, a2, b2, -0.015617301434279354, 0.0, -0.012524461839530333);
  check_case (1000, a3, b3, 0.8102590365107225, 0.8108821848648996, 0.7624633431085044);
}

static void
test_table_and_matching (void)
{
  /* b is a relabelled (0→2, 1→0, 2→1) with two rows moved and one row noise in each. */
  const int a[] = { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, -1 };
  const int b[] = { 2, 2, 2, 0, 0, 0, 0, 1, 1, 1, -1, 1 };
  g_autoptr (GError) error = NULL;
  g_autoptr (CsComparison) c = cs_comparison_new (a, 3, b, 3, G_N_ELEMENTS (a), &error);
  guint64 total = 0;

  g_assert_no_error (error);
  for (guint i = 0; i <= c->ka; i++)
    for (guint j = 0; j <= c->kb; j++)
      total += cs_comparison_count (c, i, j);
  g_assert_cmpuint (total, ==, G_N_ELEMENTS (a));
  g_assert_cmpint (c->match[0], ==, 2);
  g_assert_cmpint (c->match[1], ==, 0);
  g_assert_cmpint (c->match[2], ==, 1);
  g_assert_cmpuint (c->matched, ==, 3 + 3 + 2);
  g_assert_cmpuint (c->compared, ==, 10);
  g_assert_cmpuint (cs_comparison_count (c, 3, 1), ==, 1); /* a's noise row went to b's 1 */
  g_assert_cmpuint (cs_comparison_count (c, 2, 3), ==, 1); /* b's noise came from a's 2 */
  g_assert_cmpfloat (c->ami, <, 1.0);
  g_assert_cmpfloat (c->ami, >, 0.3);

  /* Identical partitions under another naming: everything matched, every score 1. */
  {
    const int x[] = { 0, 0, 1, 1, 2, 2 };
    const int y[] = { 1, 1, 2, 2, 0, 0 };
    g_autoptr (CsComparison) same = cs_comparison_new (x, 3, y, 3, 6, &error);
    g_assert_cmpuint (same->matched, ==, 6);
    g_assert_cmpfloat_with_epsilon (same->ami, 1.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (same->nmi, 1.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (same->ari, 1.0, 1e-12);
  }

  /* A label outside its range is refused. */
  {
    const int bad[] = { 0, 5 };
    g_autoptr (GError) e = NULL;
    g_assert_null (cs_comparison_new (bad, 2, bad, 2, 2, &e));
    g_assert_error (e, CS_ERROR, CS_ERROR_INVALID_ARGUMENT);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compare/scores-match-sklearn", test_scores_match_sklearn);
  g_test_add_func ("/compare/table-and-matching", test_table_and_matching);
  return g_test_run ();
}
