/* xalloc.c: allocation that aborts on failure, and small string helpers */
#include "base/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die_oom(size_t n)
{
	fprintf(stderr, "baodao: out of memory (%zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_oom(n);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		die_oom(count * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die_oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void str_copy(char *dst, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (len >= n) {
		len = n - 1;
		/* Never end inside a UTF-8 character: back up to the start of the one that does not fit. */
		while (len && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(dst, s, len);
	dst[len] = '\0';
}

void str_excerpt(char *dst, size_t n, const char *s, size_t chars)
{
	size_t len = 0;

	for (size_t seen = 0; s[len] && seen <= chars; len++)
		if (((unsigned char)s[len] & 0xc0) != 0x80 && ++seen > chars)
			break;
	if (!s[len]) {
		str_copy(dst, n, s);
		return;
	}
	/* len is where character chars + 1 starts: keep what comes before it, and say that more followed. */
	if (len + sizeof("…") > n)
		len = n - sizeof("…");
	str_copy(dst, len + 1, s);
	str_copy(dst + strlen(dst), n - strlen(dst), "…");
}

int str_to_ll(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
