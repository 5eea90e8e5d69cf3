#pragma once

#include <glib.h>

/* Latency bounds in tests hold for a normal build; sanitizer builds run several times
 * slower and say so through CS_TEST_TIME_SCALE (./dev asan sets it). */
static inline double
cs_test_time_scale (void)
{
  const char *s = g_getenv ("CS_TEST_TIME_SCALE");
  double v = s ? g_ascii_strtod (s, NULL) : 1.0;
  return v >= 1.0 ? v : 1.0;
}
