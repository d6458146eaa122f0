/* json_write.h: JSON text written straight into a buf, item by item, or from a jansson value */
#ifndef BASE_JSON_WRITE_H
#define BASE_JSON_WRITE_H

#include <jansson.h>
#include <stdbool.h>

#include "base/buf.h"

#define JW_MAX_DEPTH 32

/*
 * A writer puts commas and colons where they belong: open a container, give
 * a key before each object member, close it. Output is compact, strings keep
 * their UTF-8 and escape only '"', '\\' and control characters: the text
 * jansson's json_dumpb(JSON_COMPACT) gives. Answers built on every request are
 * written this way; jansson's dump fills a loop-check table for every
 * container and building its values allocates for every member.
 * A misuse (nesting past JW_MAX_DEPTH, closing what is not open) or a full
 * buffer marks the writer failed; jw_finish() reports it.
 */
struct jw {
	struct buf *b;
	int depth;
	bool after_key; /* a key was written: its value follows without a comma */
	bool more[JW_MAX_DEPTH + 1]; /* the container at this depth has an item already */
	char closer[JW_MAX_DEPTH + 1]; /* '}' or ']': what ends the container at this depth */
	bool failed;
};

void jw_init(struct jw *w, struct buf *b);
void jw_object(struct jw *w);
void jw_array(struct jw *w);
void jw_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
/* A string, or null when s is NULL. */
void jw_string(struct jw *w, const char *s);
void jw_int(struct jw *w, long long v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* Any jansson value. */
void jw_value(struct jw *w, const json_t *v);
/* 0 when everything opened was closed and nothing failed, else -1. */
int jw_finish(const struct jw *w);

#endif
