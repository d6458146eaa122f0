/* buf.h: the one growable byte buffer, with a hard cap for anything built from client input */
#ifndef BASE_BUF_H
#define BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Invariants: len < cap whenever data != NULL, and data[len] == '\0', so
 * data is always a C string (binary content may hold NULs before len).
 * A buffer never grows past max bytes of content (max == 0: no cap);
 * an append that would pass it fails with -1 and leaves the buffer as it was.
 * BUF_INIT is a valid empty buffer with no cap; buf.data may be NULL then,
 * so read it through buf_str().
 */
struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

#define BUF_INIT { NULL, 0, 0, 0 }

void buf_init(struct buf *b, size_t max);
/* Frees the memory; the buffer is empty and usable again. */
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
/* Makes room for n more bytes at once (a hint: spares the doublings of a known size). */
int buf_reserve(struct buf *b, size_t n);
int buf_add(struct buf *b, const void *p, size_t n);
int buf_addstr(struct buf *b, const char *s);
int buf_addch(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* The content as a C string, "" for an empty buffer; borrowed until the next change. */
const char *buf_str(const struct buf *b);
/* Hands the content to the caller (who frees it); the buffer is left empty. */
char *buf_detach(struct buf *b, size_t *len);

#endif
