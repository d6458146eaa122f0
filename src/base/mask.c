/* mask.c: a name with its middle hidden, counted in characters (张*元) */
#include "base/mask.h"

#include <string.h>

/* The length in bytes of the UTF-8 character that starts with byte c. */
static size_t char_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

static void put(char *out, size_t n, size_t *at, const char *p, size_t len)
{
	if (*at + len < n) {
		memcpy(out + *at, p, len);
		*at += len;
	}
}

void mask_name(const char *name, char *out, size_t n)
{
	size_t len = strlen(name), chars = 0, first, at = 0, last = 0;

	if (!n)
		return;
	for (size_t i = 0; i < len; i += char_len((unsigned char)name[i])) {
		last = i;
		chars++;
	}
	first = chars ? char_len((unsigned char)name[0]) : 0;
	if (first > len)
		first = len;
	if (chars >= 2)
		put(out, n, &at, name, first);
	/* One '*' however many lie between: the mask tells nothing of the name's length. */
	put(out, n, &at, "*", chars ? 1 : 0);
	if (chars >= 3)
		put(out, n, &at, name + last, len - last);
	out[at] = '\0';
}
