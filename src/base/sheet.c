/* sheet.c: reads an uploaded .xlsx or CSV into rows of text cells: format detection, limits, errors */
#include "base/sheet.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sheet_reader.h"
#include "base/valid.h"
#include "base/xalloc.h"

#define CELL_COST 16 /* bytes counted for each cell besides its text */

const char sheet_msg_not_sheet[] =
	"文件不是 Excel（.xlsx）或 CSV 表格；旧版 .xls 请在 Excel 中另存为 .xlsx";
static const char msg_xls[] =
	"这是旧版 Excel（.xls）文件或设置了打开密码的文件；请在 Excel 中取消密码并另存为 .xlsx 后再上传";
static const char msg_utf16[] = "文件是 UTF-16 编码的文本；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx";
const char sheet_msg_empty[] = "文件是空的";
const char sheet_msg_damaged[] = "文件已损坏，无法读取；请在 Excel 中打开后重新保存再上传";
const char sheet_msg_big[] = "表格内容太多（超过 64 MB），请分成几个文件上传";

/* Magic numbers of files people upload by mistake. */
static const struct {
	const char *magic;
	size_t n;
	const char *msg;
} not_sheets[] = {
	{ "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, msg_xls },
	{ "\xff\xfe", 2, msg_utf16 },
	{ "\xfe\xff", 2, msg_utf16 },
	{ "\x89PNG", 4, sheet_msg_not_sheet },
	{ "%PDF-", 5, sheet_msg_not_sheet },
	{ "\xff\xd8\xff", 3, sheet_msg_not_sheet },
};

/* Records the first message and returns rc, so callers write `return reader_fail(...)`. */
int reader_fail(struct reader *r, int rc, const char *fmt, ...)
{
	va_list ap;

	if (r->msg[0])
		return rc;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	return rc;
}

bool sheet_has_prefix(const void *data, size_t len, const char *magic, size_t n)
{
	return len >= n && !memcmp(data, magic, n);
}

static void row_free(struct sheet_row *row)
{
	for (size_t i = 0; i < row->ncells; i++)
		free(row->cells[i]);
	free(row->cells);
	row->cells = NULL;
	row->ncells = 0;
}

int reader_spend(struct reader *r, size_t slots, size_t bytes)
{
	if (slots > SHEET_MAX_SLOTS - r->slots || bytes > SHEET_MAX_BYTES - r->bytes)
		return reader_fail(r, SHEET_TOO_LARGE, "%s", sheet_msg_big);
	r->slots += slots;
	r->bytes += bytes;
	return 0;
}

size_t sheet_utf8_next(const unsigned char *p, size_t n, unsigned *cp)
{
	unsigned c = p[0], v;
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10ffff)) || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* C0 and C1 control characters and DEL, except the tab and line breaks text may hold. */
static bool is_control(unsigned cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7f && cp <= 0x9f);
}

/* Lists cell (cur_row, col) as a fault (its first one only). */
static int fault_add(struct reader *r, size_t col, enum sheet_fault_kind kind, unsigned cp)
{
	struct sheet *s = r->out;
	int rc;

	if (s->nfaults && s->faults[s->nfaults - 1].row == r->cur_row && s->faults[s->nfaults - 1].col == col)
		return 0;
	if ((rc = reader_spend(r, 1, sizeof(*s->faults))) < 0)
		return rc;
	if (s->nfaults == r->faults_cap) {
		r->faults_cap = r->faults_cap ? r->faults_cap * 2 : 16;
		s->faults = xrealloc(s->faults, r->faults_cap * sizeof(*s->faults));
	}
	s->faults[s->nfaults++] = (struct sheet_fault){ r->cur_row, col, kind, cp };
	return 0;
}

/*
 * Text with every control character and invalid byte replaced by U+FFFD (the cell listed as a
 * fault); *text and *n are moved to r->clean when something was replaced.
 */
static int cell_clean(struct reader *r, size_t col, const char **text, size_t *n)
{
	const unsigned char *p = (const unsigned char *)*text;
	size_t i = 0, done = 0;
	int rc;

	buf_reset(&r->clean);
	while (i < *n) {
		unsigned cp = 0;
		size_t len = sheet_utf8_next(p + i, *n - i, &cp);

		if (len && !is_control(cp)) {
			i += len;
			continue;
		}
		if ((rc = fault_add(r, col, len ? SHEET_FAULT_CONTROL : SHEET_FAULT_ENCODING, len ? cp : 0)) < 0)
			return rc;
		if (buf_add(&r->clean, p + done, i - done) < 0 || buf_addstr(&r->clean, SHEET_REPLACEMENT) < 0)
			return reader_fail(r, SHEET_TOO_LARGE, "%s", sheet_msg_big);
		if (len)
			i += len;
		else /* a broken sequence is one fault: its lead byte and what continues it */
			for (i++; i < *n && (p[i] & 0xc0) == 0x80; i++)
				;
		done = i;
	}
	if (!done)
		return 0;
	if (buf_add(&r->clean, p + done, *n - done) < 0)
		return reader_fail(r, SHEET_TOO_LARGE, "%s", sheet_msg_big);
	*text = buf_str(&r->clean);
	*n = r->clean.len;
	return 0;
}

int reader_cell_put(struct reader *r, size_t col, const char *text, size_t n)
{
	struct sheet_row *row = &r->cur;
	int rc;

	if (col >= r->max_cols)
		return reader_fail(r, SHEET_TOO_LARGE, "第 %zu 行超过 %zu 列；请删去多余的列后再上传",
				   r->cur_row + 1, r->max_cols);
	if ((rc = cell_clean(r, col, &text, &n)) < 0)
		return rc;
	if (col < row->ncells) {
		if ((rc = reader_spend(r, 0, n + CELL_COST)) < 0)
			return rc;
		free(row->cells[col]);
		row->cells[col] = xstrndup(text, n);
		return 0;
	}
	if ((rc = reader_spend(r, col + 1 - row->ncells, (col + 1 - row->ncells) * CELL_COST + n)) < 0)
		return rc;
	if (col >= r->cur_cap) {
		size_t cap = r->cur_cap ? r->cur_cap * 2 : 8;

		while (cap <= col)
			cap *= 2;
		row->cells = xrealloc(row->cells, cap * sizeof(*row->cells));
		r->cur_cap = cap;
	}
	while (row->ncells < col)
		row->cells[row->ncells++] = xstrdup("");
	row->cells[row->ncells++] = xstrndup(text, n);
	return 0;
}

/* Ends the row being filled as row index (0-based), keeping the empty rows before it. */
int reader_row_commit(struct reader *r, size_t index)
{
	struct sheet *s = r->out;
	int rc;

	if (index < s->nrows)
		return reader_fail(r, SHEET_DAMAGED, "%s", sheet_msg_damaged);
	if (index >= r->max_rows)
		return reader_fail(r, SHEET_TOO_LARGE, "表格超过 %zu 行；请分成几个文件上传", r->max_rows);
	if ((rc = reader_spend(r, index + 1 - s->nrows, 0)) < 0)
		return rc;
	if (index >= r->rows_cap) {
		size_t cap = r->rows_cap ? r->rows_cap * 2 : 64;

		while (cap <= index)
			cap *= 2;
		s->rows = xrealloc(s->rows, cap * sizeof(*s->rows));
		r->rows_cap = cap;
	}
	while (s->nrows < index)
		s->rows[s->nrows++] = (struct sheet_row){ 0, NULL };
	s->rows[s->nrows++] = r->cur;
	r->cur = (struct sheet_row){ 0, NULL };
	r->cur_cap = 0;
	return 0;
}

/* Copies msg into err, cut at a character boundary so err stays valid UTF-8. */
static void msg_copy(char *err, size_t errlen, const char *msg)
{
	size_t n;

	if (!err || !errlen)
		return;
	str_copy(err, errlen, msg);
	n = strlen(err);
	while (n && !valid_utf8_text(err, n))
		n--;
	err[n] = '\0';
}

/* Tells the format from the first bytes and reads it. */
static int read_any(struct reader *r, const void *data, size_t len)
{
	if (len == 0)
		return reader_fail(r, SHEET_NOT_SPREADSHEET, "%s", sheet_msg_empty);
	if (len > SHEET_MAX_BYTES)
		return reader_fail(r, SHEET_TOO_LARGE, "文件太大（超过 64 MB），请分成几个文件上传");
	if (sheet_has_prefix(data, len, "PK\3\4", 4) || sheet_has_prefix(data, len, "PK\5\6", 4))
		return sheet_xlsx_read(r, data, len);
	for (size_t i = 0; i < sizeof(not_sheets) / sizeof(not_sheets[0]); i++)
		if (sheet_has_prefix(data, len, not_sheets[i].magic, not_sheets[i].n))
			return reader_fail(r, SHEET_NOT_SPREADSHEET, "%s", not_sheets[i].msg);
	return sheet_csv_read(r, data, len);
}

static int fault_cmp(const void *a, const void *b)
{
	const struct sheet_fault *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

int sheet_read(const void *data, size_t len, size_t max_rows, size_t max_cols, struct sheet *out,
	       char *err, size_t errlen)
{
	struct reader r = { 0 };
	int rc;

	*out = (struct sheet)SHEET_INIT;
	r.out = out;
	r.max_rows = max_rows && max_rows < EXCEL_ROWS ? max_rows : EXCEL_ROWS;
	r.max_cols = max_cols && max_cols < EXCEL_COLS ? max_cols : EXCEL_COLS;
	buf_init(&r.clean, SHEET_MAX_BYTES);
	rc = read_any(&r, data, len);
	row_free(&r.cur);
	buf_release(&r.clean);
	if (rc < 0)
		sheet_release(out);
	else if (out->nfaults > 1)
		qsort(out->faults, out->nfaults, sizeof(*out->faults), fault_cmp);
	msg_copy(err, errlen, rc < 0 ? r.msg : "");
	return rc;
}

const struct sheet_fault *sheet_fault_at(const struct sheet *s, size_t row, size_t col)
{
	size_t lo = 0, hi = s->nfaults;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct sheet_fault *f = &s->faults[mid];

		if (f->row == row && f->col == col)
			return f;
		if (f->row < row || (f->row == row && f->col < col))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void sheet_release(struct sheet *s)
{
	for (size_t i = 0; i < s->nrows; i++)
		row_free(&s->rows[i]);
	free(s->rows);
	free(s->faults);
	*s = (struct sheet)SHEET_INIT;
}
