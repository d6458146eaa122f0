/* xalloc.h: allocation that never returns NULL (it aborts instead) */
#ifndef BASE_XALLOC_H
#define BASE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * Copies s into dst (size n, n > 0), NUL-terminated. What does not fit is
 * left out at a character boundary: a UTF-8 character is never cut. Size
 * dst for the text it holds (TEXT_BYTES); the cut is a last defence.
 */
/* Bytes that hold any text of at most chars characters: 4 bytes each in UTF-8, and the NUL. */
#define TEXT_BYTES(chars) ((chars) * 4 + 1)

void str_copy(char *dst, size_t n, const char *s);

/* Copies at most chars characters of s into dst (size n), with "…" when some were left out: for quoting what people typed. */
void str_excerpt(char *dst, size_t n, const char *s, size_t chars);

/* Parses a whole decimal integer in [min, max]; 0 on success, -1 otherwise. */
int str_to_ll(const char *s, long long min, long long max, long long *out);

#endif
