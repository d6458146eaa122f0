/* ics.h: writing iCalendar (RFC 5545) lines: TEXT values escaped, long lines folded between characters, times in UTC */
#ifndef BASE_ICS_H
#define BASE_ICS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"

#define IC_TIME 17 /* "20260307T010000Z" and its NUL */

/* t as an iCalendar UTC date-time (form 2: "YYYYMMDDTHHMMSSZ"). */
void ics_time(int64_t t, char out[IC_TIME]);
/*
 * Appends "NAME:VALUE\r\n" to out: with text, the value escaped as a TEXT
 * (backslash, semicolon, comma; a line break as \n); folded so that no line
 * is longer than 75 octets, never inside a UTF-8 character (RFC 5545 3.1).
 */
void ics_line(struct buf *out, const char *name, const char *value, bool text);

#endif
