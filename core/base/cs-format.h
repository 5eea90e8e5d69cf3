#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The shortest locale-independent text that reads back as exactly `value`:
 * "0.1", not "0.10000000000000001". buf needs G_ASCII_DTOSTR_BUF_SIZE bytes. Returns buf. */
char *cs_format_double (char *buf, gsize len, double value);

G_END_DECLS
