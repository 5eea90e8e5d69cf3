#include "core/base/cs-format.h"

char *
cs_format_double (char  *buf,
                  gsize  len,
                  double value)
{
  for (int prec = 6; prec <= 17; prec++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", prec);
      g_ascii_formatd (buf, len, fmt, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return buf;
}
