/* care_due.c: next visit due by frequency over the calendar (month ends clamped), and the overdue rule */
#include "domain/care_due.h"

#include <stdio.h>
#include <string.h>

#include "base/valid.h"

const char *const care_frequencies[] = { "daily_phone", "weekly", "fortnightly", "monthly", "quarterly", NULL };

int care_frequency_parse(const char *s)
{
	for (int i = 0; s && care_frequencies[i]; i++)
		if (!strcmp(s, care_frequencies[i]))
			return i;
	return -1;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms). */
static long days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

bool care_next_due(const char *from, enum care_frequency f, char out[11])
{
	static const int days[] = { [FREQ_DAILY_PHONE] = 1, [FREQ_WEEKLY] = 7, [FREQ_FORTNIGHTLY] = 14 };
	int y, m, d;

	if (!from || !date_split(from, &y, &m, &d) || (int)f < 0 || f >= FREQ_COUNT)
		return false;
	if (f == FREQ_MONTHLY || f == FREQ_QUARTERLY) {
		m += f == FREQ_MONTHLY ? 1 : 3;
		if (m > 12) {
			m -= 12;
			y++;
		}
		if (d > month_days(y, m))
			d = month_days(y, m);
	} else
		civil_from_days(days_from_civil(y, m, d) + days[f], &y, &m, &d);
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
	return true;
}

bool care_overdue(const char *due, const char *today)
{
	return strcmp(today, due) > 0;
}
