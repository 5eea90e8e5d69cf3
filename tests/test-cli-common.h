#pragma once

#include <glib.h>
#include <sys/wait.h>

/* One run of clusterscope-cli (the path in $CS_CLI, set by tests/meson.build): its exit
 * status and everything it printed. Shared by the CLI test programs. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} CliRun;

static inline void
cli_run_clear (CliRun *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliRun, cli_run_clear)

/* Runs the CLI with `args` (NULL-terminated) and waits; a crash fails the test. */
static inline void
cli_argv (CliRun      *r,
          const char **args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *cli_path = g_getenv ("CS_CLI");
  int         wait_status = 0;

  g_assert_nonnull (cli_path);
  g_ptr_array_add (argv, (char *) cli_path);
  for (const char **a = args; *a; a++)
    g_ptr_array_add (argv, (char *) *a);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r->out, &r->err,
                               &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
}

/* cli (&r, "cluster", "iris", "--json") — a trailing NULL is allowed and ends the list too. */
#define cli(r, ...) cli_argv ((r), (const char *[]) { __VA_ARGS__, NULL })
