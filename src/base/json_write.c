/* json_write.c: JSON text written straight into a buf */
#include "base/json_write.h"

#include <stdio.h>
#include <string.h>

void jw_init(struct jw *w, struct buf *b)
{
	w->b = b;
	w->depth = 0;
	w->after_key = false;
	w->more[0] = false;
	w->failed = false;
}

static void put(struct jw *w, const char *s, size_t n)
{
	if (!w->failed && buf_add(w->b, s, n) < 0)
		w->failed = true;
}

/* Before any item: whether a comma must separate it from the one before. */
static bool item(struct jw *w)
{
	bool comma = !w->after_key && w->more[w->depth];

	w->after_key = false;
	w->more[w->depth] = true;
	return comma;
}

/* text, after a comma when one is due: most items are one append. */
static void put_item(struct jw *w, const char *text, size_t n)
{
	char small[32];

	if (!item(w)) {
		put(w, text, n);
	} else if (n < sizeof(small)) {
		small[0] = ',';
		memcpy(small + 1, text, n);
		put(w, small, n + 1);
	} else {
		put(w, ",", 1);
		put(w, text, n);
	}
}

static void begin(struct jw *w, const char *brackets)
{
	if (w->depth == JW_MAX_DEPTH) {
		w->failed = true;
		return;
	}
	put_item(w, brackets, 1);
	w->depth++;
	w->more[w->depth] = false;
	w->closer[w->depth] = brackets[1];
}

void jw_object(struct jw *w)
{
	begin(w, "{}");
}

void jw_array(struct jw *w)
{
	begin(w, "[]");
}

void jw_end(struct jw *w)
{
	if (w->depth == 0 || w->after_key) {
		w->failed = true;
		return;
	}
	put(w, &w->closer[w->depth], 1);
	w->depth--;
}

/* Bytes JSON lets stand for themselves inside a string: all but controls, '"' and '\\'. */
static bool plain(unsigned char c)
{
	return c >= 0x20 && c != '"' && c != '\\';
}

static void put_escape(struct jw *w, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

	switch (c) {
	case '"':
	case '\\':
		esc[1] = (char)c;
		put(w, esc, 2);
		return;
	case '\b':
		put(w, "\\b", 2);
		return;
	case '\f':
		put(w, "\\f", 2);
		return;
	case '\n':
		put(w, "\\n", 2);
		return;
	case '\r':
		put(w, "\\r", 2);
		return;
	case '\t':
		put(w, "\\t", 2);
		return;
	default:
		put(w, esc, 6);
	}
}

/* The quoted text of s (then ':' for a key), after a comma when one is due. */
static void put_quoted(struct jw *w, bool comma, const char *s, size_t n, bool colon)
{
	char small[128];
	size_t k = 0, run = 0;

	while (run < n && plain((unsigned char)s[run]))
		run++;
	/* Plain and short, as keys and most values are: one append. */
	if (run == n && n + 4 <= sizeof(small)) {
		if (comma)
			small[k++] = ',';
		small[k++] = '"';
		memcpy(small + k, s, n);
		k += n;
		small[k++] = '"';
		if (colon)
			small[k++] = ':';
		put(w, small, k);
		return;
	}
	put(w, comma ? ",\"" : "\"", comma ? 2 : 1);
	for (size_t i = 0; i < n;) {
		run = i;
		while (run < n && plain((unsigned char)s[run]))
			run++;
		put(w, s + i, run - i);
		if (run < n)
			put_escape(w, (unsigned char)s[run]);
		i = run + 1;
	}
	put(w, colon ? "\":" : "\"", colon ? 2 : 1);
}

void jw_key(struct jw *w, const char *key)
{
	put_quoted(w, item(w), key, strlen(key), true);
	w->after_key = true;
}

void jw_string(struct jw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	put_quoted(w, item(w), s, strlen(s), false);
}

void jw_int(struct jw *w, long long v)
{
	char digits[24], *p = digits + sizeof(digits);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	put_item(w, p, (size_t)(digits + sizeof(digits) - p));
}

void jw_bool(struct jw *w, bool v)
{
	put_item(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(struct jw *w)
{
	put_item(w, "null", 4);
}

/* As jansson writes reals (which it keeps finite): "%.17g", the exponent without '+' or leading zeros, 1 as 1.0. */
static void jw_real(struct jw *w, double d)
{
	char text[40], *e;

	snprintf(text, sizeof(text), "%.17g", d);
	e = strchr(text, 'e');
	if (e) {
		char *to = e[1] == '-' ? e + 2 : e + 1, *from = to + (*to == '+');

		while (*from == '0' && from[1])
			from++;
		memmove(to, from, strlen(from) + 1);
	}
	put_item(w, text, strlen(text));
	if (!e && !strchr(text, '.'))
		put(w, ".0", 2);
}

void jw_value(struct jw *w, const json_t *v)
{
	const char *key;
	json_t *member;
	size_t n;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		jw_object(w);
		json_object_keylen_foreach((json_t *)v, key, n, member) {
			put_quoted(w, item(w), key, n, true);
			w->after_key = true;
			jw_value(w, member);
		}
		jw_end(w);
		return;
	case JSON_ARRAY:
		jw_array(w);
		n = json_array_size(v);
		for (size_t i = 0; i < n && !w->failed; i++)
			jw_value(w, json_array_get(v, i));
		jw_end(w);
		return;
	case JSON_STRING:
		put_quoted(w, item(w), json_string_value(v), json_string_length(v), false);
		return;
	case JSON_INTEGER:
		jw_int(w, json_integer_value(v));
		return;
	case JSON_REAL:
		jw_real(w, json_real_value(v));
		return;
	case JSON_TRUE:
	case JSON_FALSE:
		jw_bool(w, json_is_true(v));
		return;
	case JSON_NULL:
		jw_null(w);
		return;
	}
}

int jw_finish(const struct jw *w)
{
	return w->failed || w->depth || w->after_key ? -1 : 0;
}
