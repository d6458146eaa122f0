/* idcard.c: GB 11643 check digit, province prefix, birth date and gender of resident ID numbers */
#include "base/idcard.h"

#include <string.h>
#include <time.h>

/* Province-level codes in use (GB/T 2260), and 71/81/82 for Taiwan, Hong Kong and Macao residents. */
static const int provinces[] = { 11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
				 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82 };

static int known_province(int code)
{
	for (size_t i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++)
		if (provinces[i] == code)
			return 1;
	return 0;
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static char check_char(const char *s)
{
	static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char map[] = "10X98765432";
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (s[i] - '0') * weights[i];
	return map[sum % 11];
}

int idcard_parse(const char *s, int64_t today, struct idcard *out)
{
	time_t t = (time_t)today;
	struct tm now;

	if (strlen(s) != IDCARD_LEN || strspn(s, "0123456789") < 17 ||
	    !(s[17] == 'X' || s[17] == 'x' || (s[17] >= '0' && s[17] <= '9')))
		return IDCARD_LENGTH;
	memcpy(out->number, s, IDCARD_LEN + 1);
	if (out->number[17] == 'x')
		out->number[17] = 'X';
	if (!known_province(digits(s, 2)))
		return IDCARD_REGION;
	out->year = digits(s + 6, 4);
	out->month = digits(s + 10, 2);
	out->day = digits(s + 12, 2);
	/* Shanghai time: a baby born today in China is not born "tomorrow" in UTC. */
	t += 8 * 3600;
	gmtime_r(&t, &now);
	if (out->year < 1900 || out->month < 1 || out->month > 12 || out->day < 1 ||
	    out->day > days_in_month(out->year, out->month))
		return IDCARD_DATE;
	if (out->year * 10000 + out->month * 100 + out->day >
	    (now.tm_year + 1900) * 10000 + (now.tm_mon + 1) * 100 + now.tm_mday)
		return IDCARD_DATE;
	if (check_char(s) != out->number[17])
		return IDCARD_CHECK;
	out->gender = (s[16] - '0') % 2 ? 'M' : 'F';
	return IDCARD_OK;
}

const char *idcard_message(int rc)
{
	switch (rc) {
	case IDCARD_OK:
		return "正确";
	case IDCARD_LENGTH:
		return "身份证号应为 18 位（前 17 位数字，最后一位数字或 X）";
	case IDCARD_REGION:
		return "身份证号前两位不是有效的省级代码";
	case IDCARD_DATE:
		return "身份证号中的出生日期不存在";
	default:
		return "身份证号校验位错误";
	}
}

void idcard_mask(const char *number, char out[IDCARD_LEN + 1])
{
	size_t n = strlen(number);

	if (n != IDCARD_LEN) {
		memset(out, '*', IDCARD_LEN);
		out[IDCARD_LEN] = '\0';
		return;
	}
	memcpy(out, number, 4);
	memset(out + 4, '*', 10);
	memcpy(out + 14, number + 14, 4);
	out[IDCARD_LEN] = '\0';
}
