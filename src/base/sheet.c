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

static int spend(struct reader *r, size_t slots, size_t bytes)
{
	if (slots > SHEET_MAX_SLOTS - r->slots || bytes > SHEET_MAX_BYTES - r->bytes)
		return reader_fail(r, SHEET_TOO_LARGE, "%s", sheet_msg_big);
	r->slots += slots;
	r->bytes += bytes;
	return 0;
}

/* Puts text (n bytes, no NUL) in column col of the row being filled; skipped columns get "". */
int reader_cell_put(struct reader *r, size_t col, const char *text, size_t n)
{
	struct sheet_row *row = &r->cur;
	int rc;

	if (col >= r->max_cols)
		return reader_fail(r, SHEET_TOO_LARGE, "第 %zu 行超过 %zu 列；请删去多余的列后再上传",
				   r->cur_row + 1, r->max_cols);
	if (col < row->ncells) {
		if ((rc = spend(r, 0, n + CELL_COST)) < 0)
			return rc;
		free(row->cells[col]);
		row->cells[col] = xstrndup(text, n);
		return 0;
	}
	if ((rc = spend(r, col + 1 - row->ncells, (col + 1 - row->ncells) * CELL_COST + n)) < 0)
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
	if ((rc = spend(r, index + 1 - s->nrows, 0)) < 0)
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

int sheet_read(const void *data, size_t len, size_t max_rows, size_t max_cols, struct sheet *out,
	       char *err, size_t errlen)
{
	struct reader r = { 0 };
	int rc;

	*out = (struct sheet)SHEET_INIT;
	r.out = out;
	r.max_rows = max_rows && max_rows < EXCEL_ROWS ? max_rows : EXCEL_ROWS;
	r.max_cols = max_cols && max_cols < EXCEL_COLS ? max_cols : EXCEL_COLS;
	rc = read_any(&r, data, len);
	row_free(&r.cur);
	if (rc < 0)
		sheet_release(out);
	msg_copy(err, errlen, rc < 0 ? r.msg : "");
	return rc;
}

void sheet_release(struct sheet *s)
{
	for (size_t i = 0; i < s->nrows; i++)
		row_free(&s->rows[i]);
	free(s->rows);
	s->rows = NULL;
	s->nrows = 0;
}
