/* sheet_csv.c: reads a CSV upload (UTF-8 with or without BOM, or GBK) into the sheet reader */
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/sheet_reader.h"
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

/*
 * RFC 4180 over UTF-8 text (faulty bytes are left to the cell reader): quoted fields with ""
 * escapes and line breaks; CRLF, LF or CR.
 */
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
 * GBK (read as GB18030, its superset) to UTF-8 in *out (caller frees). A byte that starts no
 * GB18030 character becomes 0xFF, which is no UTF-8, for the cell reader to name; *bad counts
 * them. A GB18030 character never takes more bytes in UTF-8 than twice its own.
 */
static int gbk_to_utf8(const char *p, size_t n, char **out, size_t *outlen, size_t *bad)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	char *in = (char *)p, *dst, *o;
	size_t inleft = n, oleft = 2 * n + 16;

	*bad = 0;
	if (cd == (iconv_t)-1)
		return -1;
	o = dst = xmalloc(oleft + 1);
	while (inleft && iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1) {
		if (errno != EILSEQ && errno != EINVAL)
			break;
		*o++ = '\xff';
		oleft--;
		in++;
		inleft--;
		(*bad)++;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv_close(cd);
	if (inleft) {
		free(dst);
		return -1;
	}
	*o = '\0';
	*out = dst;
	*outlen = (size_t)(o - dst);
	return 0;
}

/* Counts the well-formed characters of more than one byte and the bytes that start none. */
static void utf8_census(const char *p, size_t n, size_t *wide, size_t *bad, size_t *nul)
{
	const unsigned char *u = (const unsigned char *)p;

	*wide = *bad = *nul = 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t len = sheet_utf8_next(u + i, n - i, &cp);

		if (!len) {
			(*bad)++;
			i++;
			continue;
		}
		*wide += len > 1;
		*nul += cp == 0;
		i += len;
	}
}

/* A few faulty bytes are a typing or saving accident in a text file; more mean it is no text. */
static bool few(size_t faults, size_t n)
{
	return faults <= 1 + n / 100;
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
	size_t conv_len, wide, bad, nul, gbk_bad = 0;
	int rc;

	/* Bytes that are no character become per-cell faults in reader_cell_put. */
	if (sheet_has_prefix(p, n, "\xef\xbb\xbf", 3)) {
		p += 3;
		n -= 3;
		utf8_census(p, n, &wide, &bad, &nul);
		if (!few(bad, n)) {
			rc = reader_fail(r, SHEET_DAMAGED, "文件标明是 UTF-8 编码，却含有许多无效的字符；"
					 "请在 Excel 中重新另存为“CSV UTF-8（逗号分隔）”");
			goto out;
		}
		r->out->format = SHEET_CSV_UTF8;
	} else {
		utf8_census(p, n, &wide, &bad, &nul);
		if (!bad || (wide >= 8 * bad && few(bad, n))) {
			r->out->format = SHEET_CSV_UTF8;
		} else if (gbk_to_utf8(p, n, &conv, &conv_len, &gbk_bad) == 0 && few(gbk_bad, n)) {
			p = conv;
			n = conv_len;
			r->out->format = SHEET_CSV_GBK;
		} else if (few(bad, n)) {
			r->out->format = SHEET_CSV_UTF8;
		} else {
			rc = reader_fail(r, SHEET_NOT_SPREADSHEET, "%s", sheet_msg_not_sheet);
			goto out;
		}
	}
	if (!few(nul, n)) {
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
