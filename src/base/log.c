/* log.c: timestamped log lines on stderr, one write per line so threads do not interleave */
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

static void vlog(const char *level, const char *fmt, va_list ap)
{
	char line[2048];
	struct timespec ts;
	struct tm tm;
	size_t n;
	int k;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
	k = snprintf(line + n, sizeof(line) - n, "%s ", level);
	n += (size_t)k;
	k = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	if (k < 0)
		k = 0;
	n += (size_t)k < sizeof(line) - n - 1 ? (size_t)k : sizeof(line) - n - 2;
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
