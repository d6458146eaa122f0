/* clock.c: the wall clock (optionally read from a test file) and the monotonic clock */
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static _Thread_local int64_t pinned;

void clock_pin(int64_t t)
{
	pinned = t;
}

void clock_unpin(void)
{
	pinned = 0;
}

int64_t clock_now(void)
{
	if (pinned)
		return pinned;
	const char *file = getenv("BAODAO_CLOCK_FILE");

	if (file && *file) {
		FILE *f = fopen(file, "r");
		long long t;
		int ok = f && fscanf(f, "%lld", &t) == 1;

		if (f)
			fclose(f);
		if (ok)
			return t;
	}
	return (int64_t)time(NULL);
}

int64_t clock_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void clock_date(int64_t t, char out[11])
{
	time_t shanghai = (time_t)(t + 8 * 3600);
	struct tm tm;

	gmtime_r(&shanghai, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}
