#pragma once

#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* Timing in tests. A bound on wall time fails whenever other processes take the cores, which
 * says nothing about the code; so:
 *   - bounds on computation (a cancel honoured within 100 ms of work, 1,000 picks) are taken
 *     in CPU time of the thread doing the work (cs_test_cpu_clock / cs_test_cpu_us), which
 *     other processes do not stretch;
 *   - bounds that must be wall time (a main loop's gaps, a job delivered through it) are
 *     multiplied by cs_test_time_scale (), which grows with the machine's load.
 * Both grow with CS_TEST_TIME_SCALE: sanitizer builds run several times slower and say so
 * (./dev asan sets it). */

/* The 1-minute load average per online core, at least 1. */
static inline double
cs_test_load_factor (void)
{
  FILE *f = fopen ("/proc/loadavg", "r");
  double load = 0.0;
  long cores = sysconf (_SC_NPROCESSORS_ONLN);

  if (f != NULL)
    {
      if (fscanf (f, "%lf", &load) != 1)
        load = 0.0;
      fclose (f);
    }
  return cores > 0 && load / cores > 1.0 ? load / cores : 1.0;
}

/* CS_TEST_TIME_SCALE alone: for bounds in CPU time. */
static inline double
cs_test_cpu_scale (void)
{
  const char *s = g_getenv ("CS_TEST_TIME_SCALE");
  double v = s ? g_ascii_strtod (s, NULL) : 1.0;
  return v >= 1.0 ? v : 1.0;
}

/* CS_TEST_TIME_SCALE times the load factor: for bounds that have to be wall time. */
static inline double
cs_test_time_scale (void)
{
  return cs_test_cpu_scale () * cs_test_load_factor ();
}

/* The calling thread's CPU clock, readable from any thread (a canceller reads the worker's). */
static inline clockid_t
cs_test_cpu_clock (void)
{
  clockid_t clock = CLOCK_THREAD_CPUTIME_ID;

  if (pthread_getcpuclockid (pthread_self (), &clock) != 0)
    clock = CLOCK_THREAD_CPUTIME_ID;
  return clock;
}

/* Microseconds on `clock`. */
static inline gint64
cs_test_cpu_us (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Main-loop helpers for the tests that drive GTK (no GTK needed here: GLib's default context). */
static inline gboolean
cs_test_set_flag_cb (gpointer flag)
{
  *(gboolean *) flag = TRUE;
  return G_SOURCE_REMOVE;
}

static inline gboolean
cs_test_wake_cb (gpointer unused)
{
  (void) unused;
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop (blocking, as the application does) until `cond (data)` holds or
 * `timeout_ms` passes; a 5 ms wake-up re-checks the condition. The timeout is an upper bound
 * on waiting, not a claim about speed: it stretches with cs_test_time_scale (). */
static inline gboolean
cs_test_wait_until (gboolean (*cond) (gpointer data),
                    gpointer data,
                    guint    timeout_ms)
{
  gboolean timed_out = FALSE;
  guint    timeout = g_timeout_add ((guint) (timeout_ms * cs_test_time_scale ()), cs_test_set_flag_cb, &timed_out);
  guint    wake = g_timeout_add (5, cs_test_wake_cb, NULL);
  gboolean ok;

  while (!(ok = cond (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  g_source_remove (wake);
  return ok;
}

/* Runs the main loop for `ms` milliseconds (lets queued work and redraws happen). */
static inline void
cs_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, cs_test_set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}
