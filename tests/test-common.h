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
