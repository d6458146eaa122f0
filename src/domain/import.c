/* import.c: the spreadsheet imports' shared parts: per-cell errors, header matching, whole cells, duplicates */
#include "domain/import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/valid.h"
#include "base/xalloc.h"

#define MESSAGE_MAX 4096 /* bytes; a message names at most a few names of ours */

void import_result_release(struct import_result *r)
{
	for (size_t i = 0; i < r->nerrors; i++)
		free(r->errors[i].message);
	free(r->errors);
	free(r->changes);
	free(r->same_rows);
	memset(r, 0, sizeof(*r));
}

static void error_vadd(struct import_result *r, size_t row, const struct import_column *col, const char *code,
		       const char *fmt, va_list ap)
{
	struct import_error *e;
	struct buf msg;

	buf_init(&msg, MESSAGE_MAX);
	if (buf_vaddf(&msg, fmt, ap) < 0)
		buf_addstr(&msg, "内容有误");
	if (r->nerrors % 64 == 0)
		r->errors = xrealloc(r->errors, (r->nerrors + 64) * sizeof(*r->errors));
	e = &r->errors[r->nerrors++];
	e->row = row;
	str_copy(e->column, sizeof(e->column), col ? col->header : "");
	str_copy(e->field, sizeof(e->field), col ? col->field : "");
	e->code = code;
	e->message = buf_detach(&msg, NULL);
}

void import_error_add(struct import_result *r, size_t row, const struct import_column *col, const char *code,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vadd(r, row, col, code, fmt, ap);
	va_end(ap);
}

void import_row_error(struct import_result *res, struct import_row *r, const struct import_column *cols, int c,
		      const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vadd(res, r->row, &cols[c], code, fmt, ap);
	va_end(ap);
	r->bad[c] = true;
	r->any_error = true;
}

void import_note_change(struct import_result *r, size_t row, int64_t id, const char *fields)
{
	if (!*fields) {
		if (r->nsame % 64 == 0)
			r->same_rows = xrealloc(r->same_rows, (r->nsame + 64) * sizeof(*r->same_rows));
		r->same_rows[r->nsame++] = row;
		r->unchanged++;
		return;
	}
	if (r->nchanges % 64 == 0)
		r->changes = xrealloc(r->changes, (r->nchanges + 64) * sizeof(*r->changes));
	r->changes[r->nchanges] = (struct import_change){ row, id, "" };
	str_copy(r->changes[r->nchanges].fields, sizeof(r->changes[0].fields), fields);
	r->nchanges++;
	r->update++;
}

size_t import_prefix(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(list[i]);

		if (!strncmp(s, list[i], len))
			return len;
	}
	return 0;
}

/* Spaces people leave around text: ASCII ones, the no-break space and the ideographic space. */
static size_t space_at(const char *s)
{
	static const char *const spaces[] = { " ", "\t", "\r", "\n", "\xc2\xa0", "\xe3\x80\x80" };

	return import_prefix(s, spaces, sizeof(spaces) / sizeof(spaces[0]));
}

/* s without the spaces around it: *len bytes from the returned pointer. */
static const char *trimmed(const char *s, size_t *len)
{
	size_t n, k;

	while ((k = space_at(s)))
		s += k;
	n = strlen(s);
	for (;;) {
		if (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
			n--;
		else if (n >= 2 && !strncmp(s + n - 2, "\xc2\xa0", 2))
			n -= 2;
		else if (n >= 3 && !strncmp(s + n - 3, "\xe3\x80\x80", 3))
			n -= 3;
		else
			break;
	}
	*len = n;
	return s;
}

/* A header as people write it: "身份证号 *", "手机号（必填）" and "身份证号(已脱敏)" are 身份证号 and 手机号. */
static void header_clean(const char *header, char *out, size_t outlen)
{
	size_t n;
	const char *s = trimmed(header, &n);
	const char *open;

	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	if ((open = strstr(out, "（")) || (open = strchr(out, '(')))
		out[open - out] = '\0';
	n = strlen(out);
	for (;;) {
		if (n && (out[n - 1] == '*' || out[n - 1] == ' '))
			n--;
		else if (n >= 3 && !strcmp(out + n - 3, "＊"))
			n -= 3;
		else
			break;
		out[n] = '\0';
	}
}

/* Whether h is one of the '|'-separated names in list. */
static bool listed(const char *list, const char *h)
{
	size_t n = strlen(h);

	for (const char *p = list; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);

		if (len == n && !strncmp(p, h, n))
			return true;
		p = bar ? bar + 1 : NULL;
	}
	return false;
}

void import_map_header(struct import_map *m, const struct import_column *cols, size_t ncols,
		       const struct sheet_row *header)
{
	memset(m, 0, sizeof(*m));
	m->n = header->ncells < IMPORT_COLS_MAX ? header->ncells : IMPORT_COLS_MAX;
	for (size_t i = 0; i < m->n; i++) {
		char h[256];

		header_clean(header->cells[i], h, sizeof(h));
		m->map[i] = -1;
		for (size_t c = 0; c < ncols && m->map[i] < 0; c++)
			if (!m->have[c] && (!strcmp(h, cols[c].header) || listed(cols[c].aliases, h))) {
				m->map[i] = (int)c;
				m->have[c] = true;
			}
	}
}

static const char *fault_message(const struct sheet_fault *f, char *buf, size_t n)
{
	if (f->kind == SHEET_FAULT_CONTROL)
		snprintf(buf, n, "含有看不见的控制字符（U+%04X），请删去这一格的内容后重新输入", f->codepoint);
	else
		snprintf(buf, n, "含有无法识别的字符（显示为 \xef\xbf\xbd），可能是文件的编码有误；请重新输入这一格");
	return buf;
}

void import_row_read(struct import_result *res, const struct import_column *cols, size_t ncols,
		     const struct import_map *m, const struct sheet *sh, size_t index, struct import_row *out)
{
	const struct sheet_row *row = &sh->rows[index];

	memset(out, 0, sizeof(*out));
	out->row = index + 1;
	for (size_t i = 0; i < m->n; i++) {
		int c = m->map[i];
		const char *s;
		size_t len;

		if (c < 0)
			continue;
		s = trimmed(i < row->ncells ? row->cells[i] : "", &len);
		free(out->v[c]);
		out->v[c] = xmalloc(len + 17);
		memcpy(out->v[c], s, len);
		out->v[c][len] = '\0';
		out->filled += len > 0;
	}
	for (size_t c = 0; c < ncols; c++)
		if (!out->v[c])
			out->v[c] = xcalloc(1, 17);
	if (!out->filled)
		return;
	for (size_t i = 0; i < m->n; i++) {
		const struct sheet_fault *f = m->map[i] >= 0 ? sheet_fault_at(sh, index, i) : NULL;
		char msg[256];

		if (f)
			import_row_error(res, out, cols, m->map[i], f->kind == SHEET_FAULT_CONTROL ? "control" : "utf8", "%s",
					 fault_message(f, msg, sizeof(msg)));
	}
	for (size_t c = 0; c < ncols; c++) {
		size_t chars;

		if (out->bad[c] || !cols[c].max || (chars = utf8_chars(out->v[c])) <= cols[c].max)
			continue;
		import_row_error(res, out, cols, (int)c, "too_long", "最多 %zu 个字，这一格有 %zu 个字", cols[c].max, chars);
	}
}

void import_row_release(struct import_row *r, size_t ncols)
{
	for (size_t c = 0; c < ncols; c++) {
		free(r->v[c]);
		r->v[c] = NULL;
	}
}

/* FNV-1a: spreads ID numbers and ids well enough for a table of one upload's rows. */
static size_t hash(const char *s)
{
	size_t h = 14695981039346656037u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void seen_grow(struct import_seen *s)
{
	struct seen_slot *old = s->slots;
	size_t cap = s->cap;

	s->cap = cap ? cap * 2 : 256;
	s->slots = xcalloc(s->cap, sizeof(*s->slots));
	for (size_t i = 0; i < cap; i++)
		if (old[i].key) {
			size_t k = hash(old[i].key) & (s->cap - 1);

			while (s->slots[k].key)
				k = (k + 1) & (s->cap - 1);
			s->slots[k] = old[i];
		}
	free(old);
}

size_t import_seen_put(struct import_seen *s, const char *key, size_t row)
{
	size_t k;

	if (2 * (s->n + 1) > s->cap)
		seen_grow(s);
	for (k = hash(key) & (s->cap - 1); s->slots[k].key; k = (k + 1) & (s->cap - 1))
		if (!strcmp(s->slots[k].key, key))
			return s->slots[k].row;
	s->slots[k] = (struct seen_slot){ xstrdup(key), row };
	s->n++;
	return 0;
}

void import_seen_release(struct import_seen *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slots[i].key);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

/* Reads a run of 1..max digits at *p, moving past it; -1 if there is none or it is longer. */
static int digit_run(const char **p, size_t max)
{
	size_t n = strspn(*p, "0123456789");
	int v = n <= max ? digits_value(*p, n) : -1;

	*p += n;
	return v;
}

/* Moves past one date separator at *p (- / . 年 月); false if there is none. */
static bool date_sep(const char **p)
{
	static const char *const seps[] = { "-", "/", ".", "年", "月" };
	size_t n = import_prefix(*p, seps, sizeof(seps) / sizeof(seps[0]));

	*p += n;
	return n > 0;
}

/*
 * Dates as people and Excel write them: 2012-07-01, 2012/7/1, 2012.7.1, 2012年7月1日,
 * 20120701, or an Excel serial day number. Rewritten in place (s has room for 11 bytes) as
 * YYYY-MM-DD when understood; anything else is left as it is, for the check to name.
 */
void import_normalise_date(char *s)
{
	const char *p = s;
	size_t len = strlen(s);
	int y, m, d;

	if (!len)
		return;
	if (strspn(s, "0123456789") == len && len <= 5) {
		/* Excel's day 1 is 1900-01-01, and it counts a 29 February 1900 that never was. */
		int64_t serial = digits_value(s, len), t = (serial - 25569) * 86400;

		if (serial > 60)
			clock_date(t - 8 * 3600, s);
		return;
	}
	if (len == 8 && strspn(s, "0123456789") == 8) {
		y = digits_value(s, 4);
		m = digits_value(s + 4, 2);
		d = digits_value(s + 6, 2);
	} else {
		y = digit_run(&p, 4);
		m = date_sep(&p) ? digit_run(&p, 2) : -1;
		d = date_sep(&p) ? digit_run(&p, 2) : -1;
		if (!strcmp(p, "日"))
			p += strlen("日");
		if (*p)
			return;
	}
	if (valid_ymd(y, m, d))
		snprintf(s, 11, "%04d-%02d-%02d", y, m, d);
}
