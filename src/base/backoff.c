/* backoff.c: when to try again after failures: 0.25 s after the first, doubling up to 5 s */
#include "base/backoff.h"

bool backoff_ready(const struct backoff *b, int64_t now_us)
{
	return b->fails == 0 || now_us >= b->next_us;
}

void backoff_failed(struct backoff *b, int64_t now_us)
{
	int64_t wait = BACKOFF_FIRST_US;

	for (unsigned i = 0; i < b->fails && wait < BACKOFF_MAX_US; i++)
		wait *= 2;
	if (wait > BACKOFF_MAX_US)
		wait = BACKOFF_MAX_US;
	if (b->fails < 1000)
		b->fails++;
	b->next_us = now_us + wait;
}

void backoff_succeeded(struct backoff *b)
{
	b->fails = 0;
	b->next_us = 0;
}

int backoff_retry_after(const struct backoff *b, int64_t now_us)
{
	int64_t left = b->fails ? b->next_us - now_us : 0;

	return left <= 1000000 ? 1 : (int)((left + 999999) / 1000000);
}
