/* xalloc.h: allocation that never returns NULL (it aborts instead) */
#ifndef BASE_XALLOC_H
#define BASE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Copies s into dst (size n, n > 0), truncating; always NUL-terminates. */
void str_copy(char *dst, size_t n, const char *s);

/* Parses a whole decimal integer in [min, max]; 0 on success, -1 otherwise. */
int str_to_ll(const char *s, long long min, long long max, long long *out);

#endif
