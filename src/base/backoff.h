/* backoff.h: when to try again after failures: 0.25 s after the first, doubling up to 5 s */
#ifndef BASE_BACKOFF_H
#define BASE_BACKOFF_H

#include <stdbool.h>
#include <stdint.h>

#define BACKOFF_FIRST_US 250000
#define BACKOFF_MAX_US 5000000

/* Zeroed: nothing failed yet, the first try may go at once. */
struct backoff {
	unsigned fails; /* failures in a row */
	int64_t next_us; /* no try before this (clock_mono_us) */
};

/* Whether a try may go now (always after a success or before any failure). */
bool backoff_ready(const struct backoff *b, int64_t now_us);
/* A try failed at now_us: the next waits 0.25 s, 0.5 s, 1 s, … 5 s after it. */
void backoff_failed(struct backoff *b, int64_t now_us);
/* A try succeeded: the next failure starts again from 0.25 s. */
void backoff_succeeded(struct backoff *b);
/* Whole seconds until the next try may go (at least 1), for a Retry-After header. */
int backoff_retry_after(const struct backoff *b, int64_t now_us);

#endif
