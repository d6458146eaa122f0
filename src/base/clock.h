/* clock.h: wall-clock seconds (fakeable for tests) and a monotonic microsecond clock */
#ifndef BASE_CLOCK_H
#define BASE_CLOCK_H

#include <stdint.h>

/*
 * Unix seconds UTC. When the environment variable BAODAO_CLOCK_FILE names a
 * file, the time is the integer in that file: tests move time forward by
 * writing it instead of sleeping. Never set it in production.
 */
int64_t clock_now(void);
/*
 * Pins clock_now to t on this thread until clock_unpin: one domain call that
 * writes many rows (a bulk confirmation, an activity's closing) stamps them all
 * with the one instant it began at, and reads the clock once.
 */
void clock_pin(int64_t t);
void clock_unpin(void);
int64_t clock_mono_us(void);
/* The calendar date of t in China (UTC+8) as YYYY-MM-DD. */
void clock_date(int64_t t, char out[11]);

#endif
