/* sheet_csv.c: reads a CSV upload (UTF-8 with or without BOM, or GBK) into the sheet reader */
#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/sheet_reader.h"
#include "base/valid.h"
#include "base/xalloc.h"

static const char msg_markup[] = "文件是网页或 XML 格式，不是真正的表格；请在 Excel 中打开后另存为 .xlsx";

static size_t skip_newline(const char *p, size_t n, size_t i)
{
	if (i < n && p[i] == '\r') {
		i++;
		if (i < n && p[i] == '\n')
			i++;
	} else if (i < n && p[i] == '\n') {
		i++;
	}
	return i;
}

/* RFC 4180 over valid UTF-8 text: quoted fields with "" escapes and line breaks; CRLF, LF or CR. */
static int csv_parse(struct reader *r, const char *p, size_t n)
{
	struct buf field = BUF_INIT;
	size_t i = 0;
	int rc = 0;

	while (i < n) {
		size_t col = 0;

		r->cur_row = r->out->nrows;
		if (p[i] == '\r' || p[i] == '\n') { /* an empty line is an empty row */
			i = skip_newline(p, n, i);
			if ((rc = reader_row_commit(r, r->cur_row)) < 0)
				goto out;
			continue;
		}
		for (;;) {
			size_t start;

			buf_reset(&field);
			if (i < n && p[i] == '"') {
				for (i++;;) {
					const char *q = memchr(p + i, '"', n - i);

					if (!q) {
						rc = reader_fail(r, SHEET_DAMAGED,
								 "第 %zu 行的引号没有配对，文件可能不完整；请在 Excel 中打开后重新保存",
								 r->cur_row + 1);
						goto out;
					}
					buf_add(&field, p + i, (size_t)(q - (p + i)));
					i = (size_t)(q - p) + 1;
					if (i < n && p[i] == '"') {
						buf_addch(&field, '"');
						i++;
						continue;
					}
					break;
				}
			}
			/* An unquoted field, or text after a closing quote: kept, as Excel does. */
			start = i;
			while (i < n && p[i] != ',' && p[i] != '\r' && p[i] != '\n')
				i++;
			buf_add(&field, p + start, i - start);
			if ((rc = reader_cell_put(r, col++, buf_str(&field), field.len)) < 0)
				goto out;
			if (i < n && p[i] == ',') {
				i++;
				continue;
			}
			break;
		}
		i = skip_newline(p, n, i);
		if ((rc = reader_row_commit(r, r->cur_row)) < 0)
			goto out;
	}
out:
	buf_release(&field);
	return rc;
}

/*
 * GBK (read as GB18030, its superset) to UTF-8 in *out (caller frees); -1 if it is not GB18030.
 * A GB18030 character never takes more bytes in UTF-8 than twice its own.
 */
static int gbk_to_utf8(const char *p, size_t n, char **out, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	char *in = (char *)p, *dst, *o;
	size_t inleft = n, oleft = 2 * n + 16;
	size_t rc;

	if (cd == (iconv_t)-1)
		return -1;
	o = dst = xmalloc(oleft + 1);
	rc = iconv(cd, &in, &inleft, &o, &oleft);
	iconv_close(cd);
	if (rc == (size_t)-1 || inleft) {
		free(dst);
		return -1;
	}
	*o = '\0';
	*out = dst;
	*outlen = (size_t)(o - dst);
	return 0;
}

/* A web page or XML saved with a spreadsheet's name, as some systems export ".xls" files. */
static bool looks_like_markup(const char *p, size_t n)
{
	static const char *const starts[] = { "<?xml", "<html", "<!doctype", "<table", "<head", "<meta" };
	size_t i = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	for (size_t k = 0; k < sizeof(starts) / sizeof(starts[0]); k++) {
		size_t m = strlen(starts[k]);

		if (n - i >= m && !strncasecmp(p + i, starts[k], m))
			return true;
	}
	return false;
}

int sheet_csv_read(struct reader *r, const char *p, size_t n)
{
	char *conv = NULL;
	size_t conv_len;
	int rc;

	if (sheet_has_prefix(p, n, "\xef\xbb\xbf", 3)) {
		p += 3;
		n -= 3;
		if (!valid_utf8_text(p, n)) {
			rc = reader_fail(r, SHEET_DAMAGED, "文件标明是 UTF-8 编码，却含有无效的字符；"
					 "请在 Excel 中重新另存为“CSV UTF-8（逗号分隔）”");
			goto out;
		}
		r->out->format = SHEET_CSV_UTF8;
	} else if (valid_utf8_text(p, n)) {
		r->out->format = SHEET_CSV_UTF8;
	} else if (gbk_to_utf8(p, n, &conv, &conv_len) == 0 && valid_utf8_text(conv, conv_len)) {
		p = conv;
		n = conv_len;
		r->out->format = SHEET_CSV_GBK;
	} else {
		rc = reader_fail(r, SHEET_NOT_SPREADSHEET, "%s", sheet_msg_not_sheet);
		goto out;
	}
	if (n == 0) {
		rc = reader_fail(r, SHEET_NOT_SPREADSHEET, "%s", sheet_msg_empty);
		goto out;
	}
	if (looks_like_markup(p, n)) {
		rc = reader_fail(r, SHEET_NOT_SPREADSHEET, "%s", msg_markup);
		goto out;
	}
	rc = csv_parse(r, p, n);
out:
	free(conv);
	return rc;
}
