/* care_due.h: when someone on the care register is next due a visit, and whether they are overdue (pure) */
#ifndef DOMAIN_CARE_DUE_H
#define DOMAIN_CARE_DUE_H

#include <stdbool.h>

/* How often someone is visited, most often first. */
enum care_frequency { FREQ_DAILY_PHONE, FREQ_WEEKLY, FREQ_FORTNIGHTLY, FREQ_MONTHLY, FREQ_QUARTERLY, FREQ_COUNT };

/* "daily_phone", "weekly", "fortnightly", "monthly", "quarterly", NULL (in enum order). */
extern const char *const care_frequencies[];

/* The frequency named s, or -1. */
int care_frequency_parse(const char *s);

/*
 * The date (YYYY-MM-DD) a visit is next due after one on from (YYYY-MM-DD):
 * a day, 7 or 14 days later; monthly the same day of the next month,
 * quarterly of the third month on, clamped to that month's end (Jan 31 →
 * Feb 28, or 29 in a leap year). false when from is no date or f no frequency.
 */
bool care_next_due(const char *from, enum care_frequency f, char out[11]);

/* Whether a visit due on due (YYYY-MM-DD) is overdue on today: today is past it. */
bool care_overdue(const char *due, const char *today);

#endif
