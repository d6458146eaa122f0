/* log.c: timestamped log lines on stderr, one write per line, control characters and bad UTF-8 escaped */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int access_on = 1;

void log_set_access(int on)
{
	access_on = on;
}

int log_access_enabled(void)
{
	return access_on;
}

/* The length of the well-formed UTF-8 character at p (at most n bytes), or 0 if there is none. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;

	if (p[0] >= 0xf8 || !len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* No overlong forms, no surrogates, nothing past U+10FFFF. */
	if ((len == 3 && p[0] == 0xe0 && p[1] < 0xa0) || (len == 3 && p[0] == 0xed && p[1] >= 0xa0) ||
	    (len == 4 && p[0] == 0xf0 && p[1] < 0x90) || (len == 4 && p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return len;
}

/*
 * Copies text into out (cap bytes, not terminated) so that nothing in it can
 * start a new line or fake one: control characters, backslashes and bytes
 * that are not UTF-8 become \xNN. Stops before a character that does not
 * fit. Returns the bytes written.
 */
static size_t escape(const char *text, size_t n, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)text;
	size_t w = 0;

	for (size_t i = 0; i < n;) {
		size_t len = p[i] >= 0x80 ? utf8_len(p + i, n - i) : 1;

		if (len && p[i] >= 0x20 && p[i] != 0x7f && p[i] != '\\') {
			if (w + len > cap)
				break;
			memcpy(out + w, p + i, len);
			w += len;
			i += len;
			continue;
		}
		if (w + 4 > cap)
			break;
		out[w++] = '\\';
		out[w++] = 'x';
		out[w++] = hex[p[i] >> 4];
		out[w++] = hex[p[i] & 15];
		i++;
	}
	return w;
}

static void vlog(const char *level, const char *fmt, va_list ap)
{
	char text[2048], line[4096];
	struct timespec ts;
	struct tm tm;
	size_t n;
	int k;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
	k = snprintf(line + n, sizeof(line) - n, "%s ", level);
	n += (size_t)k;
	k = vsnprintf(text, sizeof(text), fmt, ap);
	if (k < 0)
		k = 0;
	n += escape(text, (size_t)k < sizeof(text) ? (size_t)k : sizeof(text) - 1, line + n, sizeof(line) - n - 1);
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0)
		return;
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("INFO", fmt, ap);
	va_end(ap);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("ERROR", fmt, ap);
	va_end(ap);
}
