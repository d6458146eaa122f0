/* ics.c: iCalendar lines for the .ics of an activity */
#include "base/ics.h"

#include <string.h>
#include <time.h>

#define LINE_OCTETS 75

void ics_time(int64_t t, char out[IC_TIME])
{
	time_t s = (time_t)t;
	struct tm tm;

	gmtime_r(&s, &tm);
	strftime(out, IC_TIME, "%Y%m%dT%H%M%SZ", &tm);
}

/* Appends the n bytes at p, folding ("\r\n ") before a line would pass LINE_OCTETS; *col counts the line's octets. */
static void add_folded(struct buf *out, const char *p, size_t n, size_t *col)
{
	if (*col + n > LINE_OCTETS) {
		buf_addstr(out, "\r\n ");
		*col = 1;
	}
	buf_add(out, p, n);
	*col += n;
}

void ics_line(struct buf *out, const char *name, const char *value, bool text)
{
	size_t col = 0;

	add_folded(out, name, strlen(name), &col);
	add_folded(out, ":", 1, &col);
	for (const unsigned char *p = (const unsigned char *)value; *p;) {
		size_t n = 1;

		if (text && (*p == '\\' || *p == ';' || *p == ',')) {
			char esc[2] = { '\\', (char)*p };

			add_folded(out, esc, 2, &col);
		} else if (text && (*p == '\n' || *p == '\r')) {
			add_folded(out, "\\n", 2, &col);
			if (p[0] == '\r' && p[1] == '\n')
				n = 2;
		} else {
			/* A whole UTF-8 character at a time: its lead byte says how long it is. */
			n = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
			if (strnlen((const char *)p, n) < n)
				n = strnlen((const char *)p, n);
			add_folded(out, (const char *)p, n, &col);
		}
		p += n;
	}
	buf_addstr(out, "\r\n");
}
