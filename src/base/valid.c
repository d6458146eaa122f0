/* valid.c: validators for phone numbers, UTF-8 text and digit strings */
#include "base/valid.h"

#include <string.h>

bool valid_digits(const char *s, size_t min, size_t max)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9')
			return false;
	return n >= min && n <= max;
}

bool valid_mobile(const char *s)
{
	return strlen(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && valid_digits(s, 11, 11);
}

bool valid_phone(const char *s)
{
	const char *dash;
	size_t area;

	if (valid_mobile(s))
		return true;
	if (s[0] != '0')
		return false;
	dash = strchr(s, '-');
	if (dash) {
		char head[8];

		area = (size_t)(dash - s);
		if (area < 3 || area > 4)
			return false;
		memcpy(head, s, area);
		head[area] = '\0';
		return valid_digits(head, 3, 4) && valid_digits(dash + 1, 7, 8);
	}
	/* Without a dash: 3-4 digit area code and 7-8 digit number, 10 to 12 digits. */
	return valid_digits(s, 10, 12);
}

bool valid_utf8_text(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		unsigned c = *p;
		size_t len;
		unsigned cp;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
				return false;
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return false;
		}
		if ((size_t)(end - p) < len)
			return false;
		for (size_t i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		p += len;
	}
	return true;
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

int digits_value(const char *s, size_t n)
{
	int v = 0;

	if (n == 0 || n > 9)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool valid_ymd(int y, int m, int d)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

bool date_split(const char *s, int *y, int *m, int *d)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	*y = digits_value(s, 4);
	*m = digits_value(s + 5, 2);
	*d = digits_value(s + 8, 2);
	return *y >= 0 && *m >= 0 && *d >= 0 && valid_ymd(*y, *m, *d);
}

bool valid_date(const char *s)
{
	int y, m, d;

	return date_split(s, &y, &m, &d);
}
