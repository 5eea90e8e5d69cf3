#include "core/base/cs-format.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shortest round-trip digits.
 *
 * A double has between 15 and 17 significant decimal digits, and the correctly rounded
 * 15-digit decimal of v is its shortest form whenever any form of at most 15 digits reads
 * back as v (15-digit decimals are at least 4.5 ulps apart, so at most one lies in v's
 * rounding interval, and it is the nearest). So the answer is the first of the correctly
 * rounded 15-, 16- and 17-digit decimals that reads back as v; 17 digits always do.
 *
 * Instead of printing and re-reading each of them, v · 10^k is computed once in 64-bit
 * extended precision as a 19-digit integer N with a known error bound (|N − v·10^k| ≤ ERR),
 * and both questions — which way does rounding to p digits go, and does the candidate lie
 * within half a gap of v — are answered on N with that bound. When N is too close to a
 * decision boundary to tell (about 1 % of values), or the platform has no 64-bit long double,
 * the slow path prints with g_ascii_formatd and checks with g_ascii_strtod. */

#define POW10_MIN (-300)
#define POW10_MAX 350
/* v·10^k has two roundings of 2^-64 relative each (the table entry and the product) and is
 * below 10^19, so it is off by at most 1.1 units, plus 0.5 for rounding N to an integer. */
#define ERR 2.0L

static long double pow10_table[POW10_MAX - POW10_MIN + 1];

static const guint64 pow10_u64[] = {
  G_GUINT64_CONSTANT (1),
  G_GUINT64_CONSTANT (10),
  G_GUINT64_CONSTANT (100),
  G_GUINT64_CONSTANT (1000),
  G_GUINT64_CONSTANT (10000),
  G_GUINT64_CONSTANT (100000),
};

static gboolean
fast_path_available (void)
{
  static gsize ready = 0;

  if (LDBL_MANT_DIG < 64)
    return FALSE;
  if (g_once_init_enter (&ready))
    {
      for (int k = POW10_MIN; k <= POW10_MAX; k++)
        {
          char text[16];
          /* strtold is correctly rounded; no decimal point, so the locale does not matter. */
          g_snprintf (text, sizeof text, "1e%d", k);
          pow10_table[k - POW10_MIN] = strtold (text, NULL);
        }
      g_once_init_leave (&ready, 1);
    }
  return TRUE;
}

/* Digits (no trailing zeros) and the decimal exponent of the first digit of a > 0, or FALSE
 * when the bound cannot decide. */
static gboolean
fast_digits (double   a,
             guint64 *digits,
             int     *exponent)
{
  int x;
  long double scale = 0.0L;
  long double prod = 0.0L;
  long double below;
  long double above;
  guint64 n;

  if (!(a >= DBL_MIN && a <= 1e307) || !fast_path_available ())
    return FALSE;
  {
    int e2;
    frexp (a, &e2);
    /* log10(2) ≈ 0.30103: off by at most one, which the loop below corrects. */
    x = (int) floor ((e2 - 1) * 0.30102999566398120);
  }
  for (int attempt = 0; attempt < 3; attempt++)
    {
      int k = 18 - x;

      if (k < POW10_MIN || k > POW10_MAX)
        return FALSE;
      scale = pow10_table[k - POW10_MIN];
      prod = (long double) a * scale;
      if (prod < 1e18L)
        x--;
      else if (prod >= 1e19L)
        x++;
      else
        break;
    }
  if (!(prod >= 1e18L + ERR && prod < 1e19L - ERR))
    return FALSE;
  n = (guint64) rintl (prod);
  /* Half the distance to the neighbouring doubles, in units of N. */
  below = (long double) (a - nextafter (a, 0.0)) * 0.5L * scale;
  above = (long double) (nextafter (a, INFINITY) - a) * 0.5L * scale;

  for (int p = 15; p <= 17; p++)
    {
      guint64 q = pow10_u64[19 - p];
      guint64 r = n % q;
      long double half = (long double) q / 2.0L;
      guint64 c;

      if ((long double) r + ERR < half)
        c = n - r;
      else if ((long double) r > half + ERR)
        c = n - r + q;
      else
        return FALSE;
      if (p < 17)
        {
          long double dist = c <= n ? (long double) (n - c) : (long double) (c - n);
          long double gap = c <= n ? below : above;

          if (dist + ERR + 1.0L < gap)
            ; /* certainly reads back as a */
          else if (dist - ERR - 1.0L > gap)
            continue;
          else
            return FALSE;
        }
      /* 17 correctly rounded digits always read back. */
      if (c >= G_GUINT64_CONSTANT (10000000000000000000))
        {
          *digits = 1;
          *exponent = x + 1;
          return TRUE;
        }
      c /= q;
      while (c % 10 == 0)
        c /= 10;
      *digits = c;
      *exponent = x;
      return TRUE;
    }
  g_assert_not_reached ();
}

/* The same by printing and reading back: correct for every finite a > 0. */
static void
slow_digits (double   a,
             guint64 *digits,
             int     *exponent)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* Subnormals have fewer digits of precision, so their shortest form can be shorter than
   * the 15-digit nearest: try every length. */
  for (int p = a < DBL_MIN ? 1 : 15; p <= 17; p++)
    {
      char fmt[8];
      guint64 d = 0;
      const char *s;
      char *end = NULL;

      g_snprintf (fmt, sizeof fmt, "%%.%de", p - 1);
      g_ascii_formatd (buf, sizeof buf, fmt, a);
      if (p < 17 && g_ascii_strtod (buf, NULL) != a)
        continue;
      for (s = buf; *s && *s != 'e'; s++)
        if (g_ascii_isdigit (*s))
          d = d * 10 + (guint64) (*s - '0');
      while (d % 10 == 0 && d > 0)
        d /= 10;
      *digits = d;
      *exponent = *s == 'e' ? (int) g_ascii_strtoll (s + 1, &end, 10) : 0;
      return;
    }
}

static char *
write_exponent (char *p,
                int   e)
{
  *p++ = 'e';
  *p++ = e < 0 ? '-' : '+';
  e = ABS (e);
  if (e >= 100)
    *p++ = (char) ('0' + e / 100);
  *p++ = (char) ('0' + e / 10 % 10);
  *p++ = (char) ('0' + e % 10);
  return p;
}

char *
cs_format_double (char  *buf,
                  gsize  len,
                  double value)
{
  char tmp[G_ASCII_DTOSTR_BUF_SIZE];
  char digits[24] = { 0 };
  char *p = tmp;
  guint64 d = 0;
  int x = 0;
  int nd = 0;
  int precision;

  g_return_val_if_fail (buf != NULL && len > 0, buf);

  if (isnan (value))
    {
      g_strlcpy (buf, "nan", len);
      return buf;
    }
  if (signbit (value))
    *p++ = '-';
  if (isinf (value))
    {
      g_strlcpy (p, "inf", sizeof tmp - 1);
      g_strlcpy (buf, tmp, len);
      return buf;
    }
  if (value == 0.0)
    {
      *p++ = '0';
      *p = '\0';
      g_strlcpy (buf, tmp, len);
      return buf;
    }
  if (!fast_digits (fabs (value), &d, &x))
    slow_digits (fabs (value), &d, &x);
  {
    char rev[24];
    int n = 0;
    for (; d > 0; d /= 10)
      rev[n++] = (char) ('0' + d % 10);
    for (int i = 0; i < n; i++)
      digits[i] = rev[n - 1 - i];
    nd = n;
  }

  /* As %.Pg prints it, P being the digits needed but at least 6 (what printf's %g uses). */
  precision = MAX (6, nd);
  if (x < -4 || x >= precision)
    {
      *p++ = digits[0];
      if (nd > 1)
        {
          *p++ = '.';
          memcpy (p, digits + 1, nd - 1);
          p += nd - 1;
        }
      p = write_exponent (p, x);
    }
  else if (x >= 0)
    {
      for (int i = 0; i <= x; i++)
        *p++ = i < nd ? digits[i] : '0';
      if (nd > x + 1)
        {
          *p++ = '.';
          memcpy (p, digits + x + 1, nd - x - 1);
          p += nd - x - 1;
        }
    }
  else
    {
      *p++ = '0';
      *p++ = '.';
      for (int i = 0; i < -x - 1; i++)
        *p++ = '0';
      memcpy (p, digits, nd);
      p += nd;
    }
  *p = '\0';
  g_strlcpy (buf, tmp, len);
  return buf;
}

void
cs_format_double_append (GString *s,
                         double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (s, cs_format_double (buf, sizeof buf, value));
}

char *
cs_format_count (guint64 n)
{
  char digits[24] = { 0 };
  char out[32];
  int nd = g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, n);
  int o = 0;

  for (int i = 0; i < nd; i++)
    {
      if (i > 0 && (nd - i) % 3 == 0)
        out[o++] = ',';
      out[o++] = digits[i];
    }
  out[o] = '\0';
  return g_strdup (out);
}

static inline gboolean
is_control (gunichar c)
{
  return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
}

char *
cs_format_terminal_safe (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  GString *s = g_string_sized_new (strlen (valid) + 8);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_control (c) && c != '\n' && c != '\t')
        g_string_append_printf (s, "\\x%02X", c);
      else
        g_string_append_len (s, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (s, FALSE);
}

char *
cs_format_excerpt (const char *text,
                   gssize      len,
                   gsize       max_chars)
{
  g_autofree char *valid = NULL;
  GString *s;
  gsize shown = 0;
  const char *p;

  if (text == NULL)
    return g_strdup ("");
  if (len < 0)
    len = (gssize) strlen (text);
  /* Only what can be shown is validated (max_chars + 1 characters fit in that many bytes, so
   * the cut is never shown): an excerpt of a 1 MiB field costs its excerpt. */
  valid = g_utf8_make_valid (text, MIN ((gsize) len, max_chars * 4 + 4));
  s = g_string_sized_new (MIN ((gsize) len, max_chars) + 8);
  for (p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (shown == max_chars)
        {
          g_string_append (s, "…");
          break;
        }
      if (is_control (c))
        g_string_append_printf (s, "\\x%02X", c);
      else
        g_string_append_len (s, p, g_utf8_next_char (p) - p);
      shown++;
    }
  return g_string_free (s, FALSE);
}
