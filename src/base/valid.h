/* valid.h: validators for what people type: phone numbers, UTF-8, names */
#ifndef BASE_VALID_H
#define BASE_VALID_H

#include <stdbool.h>
#include <stddef.h>

/* Mainland mobile number: 1[3-9] and 9 more digits. */
bool valid_mobile(const char *s);
/* Mobile, or landline 0 + 2-3 digit area code, optional '-', 7-8 digits. */
bool valid_phone(const char *s);
/* Well-formed UTF-8 with no control characters below 0x20 (tab excepted) and no NUL. */
bool valid_utf8_text(const char *s, size_t n);
/* Number of UTF-8 code points in a valid UTF-8 string. */
size_t utf8_chars(const char *s);
/* Only ASCII digits, length within [min, max]. */
bool valid_digits(const char *s, size_t min, size_t max);

/* The value of exactly n ASCII digits (1 to 9 of them); -1 if any is not a digit. */
int digits_value(const char *s, size_t n);
/* Whether year, month and day name a real calendar day (years 1900-2999). */
bool valid_ymd(int y, int m, int d);
/* A real calendar date written YYYY-MM-DD (years 1900-2999). */
bool valid_date(const char *s);
/* The same, with its year, month and day. */
bool date_split(const char *s, int *y, int *m, int *d);

#endif
