#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The shortest locale-independent text that reads back as exactly `value`, in %g style:
 * "0.1", not "0.10000000000000001"; "1e+20"; "-0". Non-finite values give "inf", "-inf" and
 * "nan" (callers writing JSON or CSV decide what those become). buf needs
 * G_ASCII_DTOSTR_BUF_SIZE bytes. Returns buf. Fast (no trial printf in the usual case): every
 * CSV and JSON writer uses it. */
char *cs_format_double (char *buf, gsize len, double value);
/* The same, appended to s. */
void  cs_format_double_append (GString *s, double value);

/* A count with thousands grouped, as messages print it: "1,000,000". Newly allocated. */
char *cs_format_count (guint64 n);

/* Text from a file made safe to quote in a message: valid UTF-8, control characters
 * (C0, DEL, C1) written as \xNN so that a terminal never acts on them, and at most
 * `max_chars` characters (then "…"). len may be -1 for a NUL-terminated string.
 * Newly allocated. */
char *cs_format_excerpt (const char *text, gssize len, gsize max_chars);

/* A whole message made safe for a terminal: as cs_format_excerpt but not shortened, and
 * keeping line breaks and tabs. Newly allocated. */
char *cs_format_terminal_safe (const char *text);

/* The usual length of a quoted excerpt. */
#define CS_FORMAT_EXCERPT_CHARS 40

G_END_DECLS
