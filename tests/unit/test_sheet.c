/* test_sheet.c: the spreadsheet reader on real CSV and .xlsx files, bad uploads and size limits */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/buf.h"
#include "base/sheet.h"
#include "base/valid.h"
#include "base/xalloc.h"

#define FIXTURES "tests/fixtures/sheets/"
#define MAXC 10

/* Expected rows: each ends at the first NULL; a row of only NULL is an empty row. */
typedef const char *const expect_row[MAXC];

/* members.csv as every format must read it: row 3 has an empty cell, row 4 is empty. */
static expect_row members[] = {
	{ "序号", "姓名", "身份证号", "手机号", "工作单位", "报到社区" },
	{ "1", "张三", "110105199001011234", "13800138000", "北京市朝阳区人民政府", "朝阳门社区" },
	{ "2", "李四", "11010519850315002X", "13900139000", "", "和平里社区" },
	{ NULL },
	{ "4", "王五, 小名\"五哥\"", "440111199001010019", "13700137000", "国网北京\n电力公司", "安贞社区" },
	{ "5", "阿依古丽·买买提", "650102199203040021", "13600136000", "乌鲁木齐市财政局", "和平里社区" },
};

static char *load(const char *name, size_t *len)
{
	char path[256];
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run the tests from the repository root)", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(buf_add(&b, chunk, n), 0);
	fclose(f);
	return buf_detach(&b, len);
}

static void assert_sheet(const struct sheet *s, expect_row *want, size_t nwant)
{
	assert_int_equal(s->nrows, nwant);
	for (size_t r = 0; r < nwant; r++) {
		size_t n = 0;

		while (n < MAXC && want[r][n])
			n++;
		if (s->rows[r].ncells != n)
			fail_msg("row %zu: %zu cells, want %zu", r + 1, s->rows[r].ncells, n);
		for (size_t c = 0; c < n; c++) {
			const char *got = s->rows[r].cells[c];

			assert_non_null(got);
			if (strcmp(got, want[r][c]))
				fail_msg("row %zu col %zu: got \"%s\", want \"%s\"", r + 1, c + 1, got, want[r][c]);
			assert_true(valid_utf8_text(got, strlen(got)));
		}
	}
}

/* Reads data; checks that a failure leaves the sheet empty with a message and a success none. */
static int read_mem(const void *data, size_t len, size_t max_rows, size_t max_cols, struct sheet *s,
		    char *err, size_t errlen)
{
	int rc = sheet_read(data, len, max_rows, max_cols, s, err, errlen);

	assert_true(valid_utf8_text(err, strlen(err)));
	if (rc == SHEET_OK) {
		assert_string_equal(err, "");
	} else {
		assert_int_equal(s->nrows, 0);
		assert_null(s->rows);
		assert_true(strlen(err) > 0);
	}
	return rc;
}

static int read_fixture(const char *name, size_t max_rows, size_t max_cols, struct sheet *s, char *err,
			size_t errlen)
{
	size_t len;
	char *data = load(name, &len);
	int rc = read_mem(data, len, max_rows, max_cols, s, err, errlen);

	free(data);
	return rc;
}

static void reads_fixture_as_members(const char *name, enum sheet_format format)
{
	struct sheet s;
	char err[256];

	assert_int_equal(read_fixture(name, 100, 20, &s, err, sizeof(err)), SHEET_OK);
	assert_int_equal(s.format, format);
	assert_sheet(&s, members, sizeof(members) / sizeof(members[0]));
	sheet_release(&s);
	assert_int_equal(s.nrows, 0);
	assert_null(s.rows);
}

static void csv_utf8_reads_exact_cells(void **state)
{
	(void)state;
	reads_fixture_as_members("members.csv", SHEET_CSV_UTF8);
}

static void csv_bom_is_stripped(void **state)
{
	(void)state;
	reads_fixture_as_members("members-bom.csv", SHEET_CSV_UTF8);
}

static void csv_gbk_is_converted(void **state)
{
	size_t len;
	char *raw = load("members-gbk.csv", &len);

	(void)state;
	assert_false(valid_utf8_text(raw, len)); /* the fixture really is GBK */
	free(raw);
	reads_fixture_as_members("members-gbk.csv", SHEET_CSV_GBK);
}

static void xlsx_from_libreoffice_reads_exact_cells(void **state)
{
	(void)state;
	reads_fixture_as_members("members.xlsx", SHEET_XLSX);
}

/* An 18-digit ID typed into a Standard column is a number Excel rounded: returned as stored. */
static void xlsx_id_typed_as_number_comes_as_stored(void **state)
{
	struct sheet s;
	char err[256];

	(void)state;
	assert_int_equal(read_fixture("members-idnum.xlsx", 100, 20, &s, err, sizeof(err)), SHEET_OK);
	assert_int_equal(s.nrows, 6);
	assert_string_equal(s.rows[1].cells[2], "1.10105199001011E+017");
	assert_string_equal(s.rows[2].cells[2], "11010519850315002X"); /* the X kept it text */
	assert_string_equal(s.rows[1].cells[1], "张三");
	sheet_release(&s);
}

/* Inline and rich strings, escapes, types, a hidden first tab, prefixed names, rows without r=. */
static void xlsx_handmade_reads_every_cell_kind(void **state)
{
	static expect_row want[] = {
		{ "姓名", "身份证号", "备注" },
		{ "赵六", "110105199001011234", "第一 段", "3.5" },
		{ NULL },
		{ NULL },
		{ "TRUE", "FALSE", "合计", "#N/A", "45292", "甲\r\n乙 _x0031_", "保留\xef\xbf\xbd" },
		{ "1", "-2.5E-3" },
	};
	struct sheet s;
	char err[256];

	(void)state;
	assert_int_equal(read_fixture("handmade.xlsx", 100, 20, &s, err, sizeof(err)), SHEET_OK);
	assert_int_equal(s.format, SHEET_XLSX);
	assert_sheet(&s, want, sizeof(want) / sizeof(want[0]));
	/* _x0001_ is a control character: replaced, and its cell named. */
	assert_int_equal(s.nfaults, 1);
	assert_int_equal(s.faults[0].row, 4);
	assert_int_equal(s.faults[0].col, 6);
	assert_int_equal(s.faults[0].kind, SHEET_FAULT_CONTROL);
	assert_int_equal(s.faults[0].codepoint, 1);
	assert_non_null(sheet_fault_at(&s, 4, 6));
	assert_null(sheet_fault_at(&s, 4, 5));
	sheet_release(&s);
}

static void csv_quoting_follows_rfc4180(void **state)
{
	static const char data[] = "a,\"b,c\",\"d\"\"e\",\"f\r\ng\"\r\n"
				   ",,\r\n"
				   "\"\"\r"
				   "x\"y,\"q\"tail,\"\"\"\"\n"
				   "\n"
				   "last,";
	static expect_row want[] = {
		{ "a", "b,c", "d\"e", "f\r\ng" },
		{ "", "", "" },
		{ "" },
		{ "x\"y", "qtail", "\"" },
		{ NULL },
		{ "last", "" },
	};
	struct sheet s;
	char err[256];

	(void)state;
	assert_int_equal(read_mem(data, sizeof(data) - 1, 100, 20, &s, err, sizeof(err)), SHEET_OK);
	assert_sheet(&s, want, sizeof(want) / sizeof(want[0]));
	sheet_release(&s);
}

static void csv_trailing_newline_makes_no_row(void **state)
{
	struct sheet s;
	char err[256];

	(void)state;
	assert_int_equal(read_mem("a,b\r\n", 5, 10, 10, &s, err, sizeof(err)), SHEET_OK);
	assert_int_equal(s.nrows, 1);
	assert_int_equal(s.rows[0].ncells, 2);
	sheet_release(&s);
	assert_int_equal(read_mem("a,b\n", 4, 10, 10, &s, err, sizeof(err)), SHEET_OK);
	assert_int_equal(s.nrows, 1);
	sheet_release(&s);
	assert_int_equal(read_mem("a,b\n\n", 5, 10, 10, &s, err, sizeof(err)), SHEET_OK);
	assert_int_equal(s.nrows, 2); /* the blank line is a row, the last newline is not */
	assert_int_equal(s.rows[1].ncells, 0);
	sheet_release(&s);
}

static void csv_unclosed_quote_is_damaged(void **state)
{
	static const char data[] = "姓名,单位\n张三,\"国网\n北京,x\n";
	struct sheet s;
	char err[256];

	(void)state;
	assert_int_equal(read_mem(data, sizeof(data) - 1, 100, 20, &s, err, sizeof(err)), SHEET_DAMAGED);
	assert_non_null(strstr(err, "第 2 行"));
}

static void not_spreadsheet(const void *data, size_t len, const char *hint)
{
	struct sheet s;
	char err[256];

	assert_int_equal(read_mem(data, len, 100, 20, &s, err, sizeof(err)), SHEET_NOT_SPREADSHEET);
	if (hint && !strstr(err, hint))
		fail_msg("message \"%s\" does not mention \"%s\"", err, hint);
}

static void refuses_what_is_not_a_spreadsheet(void **state)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
					     'I', 'H', 'D', 'R', 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0 };
	static const char pdf[] = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
	static const unsigned char xls[] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0,
					     0, 0, 0, 0, 0x3e, 0, 3, 0, 0xfe, 0xff, 9, 0 };
	static const char html[] = "<html><head><meta charset=\"utf-8\"></head><body><table><tr><td>张三</td>"
				   "</tr></table></body></html>";
	static const char utf16[] = "\xff\xfe\x53\x59\x0d\x54";
	unsigned char noise[4096];
	uint32_t x = 2463534242u;
	size_t len;
	char *zip;

	(void)state;
	not_spreadsheet(png, sizeof(png), "Excel");
	not_spreadsheet(pdf, sizeof(pdf) - 1, "Excel");
	not_spreadsheet("", 0, "空");
	not_spreadsheet("\xef\xbb\xbf", 3, "空");
	not_spreadsheet(xls, sizeof(xls), ".xls");
	not_spreadsheet(html, sizeof(html) - 1, "网页");
	not_spreadsheet(utf16, sizeof(utf16) - 1, "CSV UTF-8");
	for (size_t i = 0; i < sizeof(noise); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		noise[i] = (unsigned char)x;
	}
	noise[0] = 'a'; /* no magic number to go by */
	not_spreadsheet(noise, sizeof(noise), "Excel");
	zip = load("not-xlsx.zip", &len);
	not_spreadsheet(zip, len, "Excel");
	free(zip);
}

static void refuses_past_max_rows_and_cols(void **state)
{
	struct sheet s;
	char err[256];

	(void)state;
	assert_int_equal(read_fixture("members.csv", 5, 20, &s, err, sizeof(err)), SHEET_TOO_LARGE);
	assert_non_null(strstr(err, "5 行"));
	assert_int_equal(read_fixture("members.csv", 6, 20, &s, err, sizeof(err)), SHEET_OK);
	sheet_release(&s);
	assert_int_equal(read_fixture("members.csv", 6, 5, &s, err, sizeof(err)), SHEET_TOO_LARGE);
	assert_non_null(strstr(err, "5 列"));
	assert_int_equal(read_fixture("members.xlsx", 5, 20, &s, err, sizeof(err)), SHEET_TOO_LARGE);
	assert_int_equal(read_fixture("members.xlsx", 6, 6, &s, err, sizeof(err)), SHEET_OK);
	sheet_release(&s);
	assert_int_equal(read_fixture("members.xlsx", 6, 5, &s, err, sizeof(err)), SHEET_TOO_LARGE);
}

static void zip_bomb_stops_at_the_cap(void **state)
{
	struct sheet s;
	char err[256];

	(void)state;
	assert_int_equal(read_fixture("bomb.xlsx", 0, 0, &s, err, sizeof(err)), SHEET_TOO_LARGE);
}

static void damaged_xlsx_is_reported(void **state)
{
	struct sheet s;
	char err[256];
	size_t len;
	char *data = load("members.xlsx", &len);
	const char *name = memmem(data, len, "xl/worksheets/sheet1.xml", 24);

	(void)state;
	assert_int_equal(read_mem(data, len / 2, 100, 20, &s, err, sizeof(err)), SHEET_DAMAGED);
	assert_non_null(strstr(err, "损坏"));
	/* Garble the compressed worksheet just after its local header: inflate or the CRC fails. */
	assert_non_null(name);
	for (size_t i = 40; i < 60; i++)
		data[name - data + 24 + i] ^= 0x5a;
	assert_int_equal(read_mem(data, len, 100, 20, &s, err, sizeof(err)), SHEET_DAMAGED);
	free(data);
}

/* Builds an .xlsx in memory from a worksheet and shared strings (NULL: none); caller frees. */
static char *make_xlsx(const char *sheet_xml, const char *sst_xml, size_t *len)
{
	zip_error_t ze;
	zip_source_t *out, *part;
	zip_stat_t st;
	zip_t *z;
	char *data;

	zip_error_init(&ze);
	out = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(out);
	zip_source_keep(out);
	z = zip_open_from_source(out, ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	part = zip_source_buffer(z, sheet_xml, strlen(sheet_xml), 0);
	assert_true(zip_file_add(z, "xl/worksheets/sheet1.xml", part, 0) >= 0);
	if (sst_xml) {
		part = zip_source_buffer(z, sst_xml, strlen(sst_xml), 0);
		assert_true(zip_file_add(z, "xl/sharedStrings.xml", part, 0) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	assert_int_equal(zip_source_stat(out, &st), 0);
	assert_int_equal(zip_source_open(out), 0);
	data = xmalloc(st.size);
	assert_int_equal(zip_source_read(out, data, st.size), (zip_int64_t)st.size);
	zip_source_close(out);
	zip_source_free(out);
	*len = st.size;
	return data;
}

#define WS_OPEN "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define WS_CLOSE "</sheetData></worksheet>"

static int read_made(const char *sheet_xml, const char *sst_xml, size_t max_rows, size_t max_cols,
		     struct sheet *s, char *err, size_t errlen)
{
	size_t len;
	char *data = make_xlsx(sheet_xml, sst_xml, &len);
	int rc = read_mem(data, len, max_rows, max_cols, s, err, errlen);

	free(data);
	return rc;
}

static void xlsx_without_workbook_falls_back_to_sheet1(void **state)
{
	static expect_row want[] = { { NULL }, { "", "", "x" } };
	struct sheet s;
	char err[256];

	(void)state;
	assert_int_equal(read_made(WS_OPEN "<row r=\"2\"><c r=\"C2\" t=\"inlineStr\"><is><t>x</t></is></c></row>" WS_CLOSE,
				   NULL, 10, 10, &s, err, sizeof(err)),
			 SHEET_OK);
	assert_sheet(&s, want, 2);
	sheet_release(&s);
	/* An empty sheet is a spreadsheet with no rows. */
	assert_int_equal(read_made(WS_OPEN WS_CLOSE, NULL, 10, 10, &s, err, sizeof(err)), SHEET_OK);
	assert_int_equal(s.nrows, 0);
	sheet_release(&s);
}

static void xlsx_bad_content_is_damaged(void **state)
{
	static const char *const sheets[] = {
		/* a shared string that is not there */
		WS_OPEN "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c></row>" WS_CLOSE,
		WS_OPEN "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>-1</v></c></row>" WS_CLOSE,
		/* rows out of order */
		WS_OPEN "<row r=\"3\"><c r=\"A3\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>1</v></c></row>" WS_CLOSE,
		/* bad references */
		WS_OPEN "<row r=\"0\"><c r=\"A1\"><v>1</v></c></row>" WS_CLOSE,
		WS_OPEN "<row r=\"1048577\"><c><v>1</v></c></row>" WS_CLOSE,
		WS_OPEN "<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>" WS_CLOSE,
		WS_OPEN "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>" WS_CLOSE,
		/* not well-formed, or not UTF-8 */
		WS_OPEN "<row r=\"1\"><c r=\"A1\"><v>1</c></row>" WS_CLOSE,
		WS_OPEN "<row r=\"1\"><c r=\"A1\"><v>\xff</v></c></row>" WS_CLOSE,
		/* a DTD, as in the billion laughs */
		"<?xml version=\"1.0\"?><!DOCTYPE lol [<!ENTITY lol \"lol\"><!ENTITY l2 \"&lol;&lol;\">]>"
		WS_OPEN "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&l2;</t></is></c></row>" WS_CLOSE,
	};
	static const char sst[] = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
				  "<si><t>only</t></si></sst>";
	struct sheet s;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(sheets) / sizeof(sheets[0]); i++) {
		int rc = read_made(sheets[i], sst, 100, 100, &s, err, sizeof(err));

		if (rc != SHEET_DAMAGED)
			fail_msg("sheet %zu: rc %d, want SHEET_DAMAGED", i, rc);
	}
}

static void xlsx_far_cells_are_refused_before_allocating(void **state)
{
	struct sheet s;
	char err[256];

	(void)state;
	assert_int_equal(read_made(WS_OPEN "<row r=\"1\"><c r=\"XFD1\"><v>1</v></c></row>" WS_CLOSE, NULL, 100, 50,
				   &s, err, sizeof(err)),
			 SHEET_TOO_LARGE);
	assert_int_equal(read_made(WS_OPEN "<row r=\"1048576\"><c r=\"A1048576\"><v>1</v></c></row>" WS_CLOSE, NULL,
				   10000, 50, &s, err, sizeof(err)),
			 SHEET_TOO_LARGE);
	/* Styled empty cells far away cost nothing and make no row. */
	assert_int_equal(read_made(WS_OPEN "<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"XFD1\" s=\"1\"/></row>"
					   "<row r=\"1048576\"><c r=\"A1048576\" s=\"1\"/></row>" WS_CLOSE,
				   NULL, 10, 10, &s, err, sizeof(err)),
			 SHEET_OK);
	assert_int_equal(s.nrows, 1);
	assert_int_equal(s.rows[0].ncells, 1);
	sheet_release(&s);
}

static void error_message_is_cut_at_a_character(void **state)
{
	struct sheet s;
	char err[8]; /* "文件是空的": two whole characters fit, the third would be cut */

	(void)state;
	assert_int_equal(sheet_read("", 0, 10, 10, &s, err, sizeof(err)), SHEET_NOT_SPREADSHEET);
	assert_string_equal(err, "文件");
	assert_int_equal(sheet_read("", 0, 10, 10, &s, NULL, 0), SHEET_NOT_SPREADSHEET);
}

static void csv_of_10000_rows_reads_every_row(void **state)
{
	struct buf b = BUF_INIT;
	struct sheet s;
	char err[256];

	(void)state;
	buf_addstr(&b, "序号,姓名,身份证号,手机号,工作单位,报到社区,党组织,备注\r\n");
	for (int i = 1; i < 10000; i++)
		buf_addf(&b, "%d,党员%d,1101051990%08d,138%08d,\"单位%d, 第%d处\",社区%d,党支部%d,\r\n", i, i, i, i,
			 i % 97, i % 7, i % 13, i % 31);
	assert_int_equal(read_mem(b.data, b.len, 10000, 8, &s, err, sizeof(err)), SHEET_OK);
	assert_int_equal(s.nrows, 10000);
	assert_int_equal(s.rows[9999].ncells, 8);
	assert_string_equal(s.rows[9999].cells[1], "党员9999");
	assert_string_equal(s.rows[9999].cells[2], "110105199000009999");
	assert_string_equal(s.rows[9999].cells[4], "单位8, 第3处");
	assert_string_equal(s.rows[9999].cells[7], "");
	sheet_release(&s);
	/* One more row is one too many. */
	buf_addstr(&b, "10000,x\r\n");
	assert_int_equal(read_mem(b.data, b.len, 10000, 8, &s, err, sizeof(err)), SHEET_TOO_LARGE);
	buf_release(&b);
}

static void xlsx_of_10000_rows_reads_every_row(void **state)
{
	struct buf xml = BUF_INIT, sst = BUF_INIT;
	struct sheet s;
	char err[256];
	size_t len;
	char *data;

	(void)state;
	buf_addstr(&sst, "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
	for (int i = 0; i < 31; i++)
		buf_addf(&sst, "<si><t>和平里社区第%d网格</t></si>", i);
	buf_addstr(&sst, "</sst>");
	buf_addstr(&xml, WS_OPEN);
	for (int i = 1; i <= 10000; i++)
		buf_addf(&xml,
			 "<row r=\"%d\"><c r=\"A%d\"><v>%d</v></c><c r=\"B%d\" t=\"inlineStr\"><is><t>党员%d</t></is></c>"
			 "<c r=\"C%d\" t=\"inlineStr\"><is><t>1101051990%08d</t></is></c><c r=\"D%d\"><v>138%08d</v></c>"
			 "<c r=\"E%d\" t=\"s\"><v>%d</v></c><c r=\"F%d\" t=\"s\"><v>%d</v></c>"
			 "<c r=\"G%d\" t=\"inlineStr\"><is><t>第%d党支部</t></is></c><c r=\"H%d\"><v>%d.5</v></c></row>",
			 i, i, i, i, i, i, i, i, i, i, i % 31, i, (i + 1) % 31, i, i % 13, i, i);
	buf_addstr(&xml, WS_CLOSE);
	data = make_xlsx(buf_str(&xml), buf_str(&sst), &len);
	assert_int_equal(read_mem(data, len, 10000, 8, &s, err, sizeof(err)), SHEET_OK);
	assert_int_equal(s.nrows, 10000);
	assert_int_equal(s.rows[9999].ncells, 8);
	assert_string_equal(s.rows[9999].cells[2], "110105199000010000");
	assert_string_equal(s.rows[9999].cells[4], "和平里社区第18网格");
	assert_string_equal(s.rows[9999].cells[7], "10000.5");
	sheet_release(&s);
	free(data);
	buf_release(&xml);
	buf_release(&sst);
}

/* Asserts that cell (row, col) (0-based) has a fault of kind (and code point cp for a control character). */
static void assert_fault(const struct sheet *s, size_t row, size_t col, enum sheet_fault_kind kind, unsigned cp)
{
	const struct sheet_fault *f = sheet_fault_at(s, row, col);

	if (!f)
		fail_msg("no fault at row %zu col %zu", row, col);
	assert_int_equal(f->kind, kind);
	if (kind == SHEET_FAULT_CONTROL)
		assert_int_equal(f->codepoint, cp);
}

#define SST_OPEN "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"

/* _xHHHH_ in shared and inline strings: hex in either case, _x005F_ for "_", control characters refused per cell. */
static void xlsx_escapes_are_decoded_and_controls_named(void **state)
{
	static const char sst[] = SST_OPEN "<si><t>A_x4e2d_B_x4E2D_</t></si>"  /* 0: 中, either case */
				  "<si><t>_x005F_x0041_</t></si>"                 /* 1: the literal text _x0041_ */
				  "<si><t>王_x0001_明</t></si>"                   /* 2: a control character */
				  "<si><t>甲_x000D__x000A_乙_x0009_</t></si>"     /* 3: line breaks and tab stay */
				  "<si><t>_X0041_ _xZZ41_ _x41_</t></si>"         /* 4: no escapes: kept as typed */
				  "<si><t>半_xD83D_</t></si>"                     /* 5: half a surrogate pair */
				  "<si><t>_x007F_</t></si>"                       /* 6: DEL */
				  "</sst>";
	static const char ws[] = WS_OPEN "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
				 "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c></row>"
				 "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>4</v></c><c r=\"B2\" t=\"s\"><v>5</v></c>"
				 "<c r=\"C2\" t=\"inlineStr\"><is><t>李_x001f_四</t></is></c>"
				 "<c r=\"D2\" t=\"str\"><v>x_x0085_</v></c><c r=\"E2\" t=\"s\"><v>6</v></c>"
				 "<c r=\"F2\" t=\"s\"><v>2</v></c></row>" WS_CLOSE;
	static expect_row want[] = {
		{ "A中B中", "_x0041_", "王\xef\xbf\xbd明", "甲\r\n乙\t" },
		{ "_X0041_ _xZZ41_ _x41_", "半\xef\xbf\xbd", "李\xef\xbf\xbd四", "x\xef\xbf\xbd", "\xef\xbf\xbd",
		  "王\xef\xbf\xbd明" },
	};
	struct sheet s;
	char err[256];

	(void)state;
	assert_int_equal(read_made(ws, sst, 10, 10, &s, err, sizeof(err)), SHEET_OK);
	assert_sheet(&s, want, 2);
	assert_int_equal(s.nfaults, 6);
	assert_fault(&s, 0, 2, SHEET_FAULT_CONTROL, 0x01);
	assert_fault(&s, 1, 1, SHEET_FAULT_ENCODING, 0);
	assert_fault(&s, 1, 2, SHEET_FAULT_CONTROL, 0x1f);
	assert_fault(&s, 1, 3, SHEET_FAULT_CONTROL, 0x85);
	assert_fault(&s, 1, 4, SHEET_FAULT_CONTROL, 0x7f);
	assert_fault(&s, 1, 5, SHEET_FAULT_CONTROL, 0x01); /* the same string again is the same fault */
	assert_null(sheet_fault_at(&s, 0, 0));
	assert_null(sheet_fault_at(&s, 0, 3));
	sheet_release(&s);
	assert_int_equal(s.nfaults, 0);
	assert_null(s.faults);
}

/* A CSV with a control character or one bad byte is read; only those cells are named. */
static void csv_faults_are_per_cell(void **state)
{
	static const char controls[] = "姓名,手机号,身份证号\r\n张\x01三,13800138000,110105199001011234\r\n"
				       "李四,138\x7f" "00138000,\"x\xc2\x85y\"\r\n王五,13900139000,\"a\tb\nc\"\r\n";
	static const char bad_utf8[] = "姓名,手机号,身份证号,工作单位,详细地址\n张三,13800138000,110105199001011234,"
				       "白云区教育局,石榴桥路\xe9 1 号\n";
	struct buf gbk = BUF_INIT;
	struct sheet s;
	char err[256];

	(void)state;
	assert_int_equal(read_mem(controls, sizeof(controls) - 1, 10, 10, &s, err, sizeof(err)), SHEET_OK);
	assert_int_equal(s.format, SHEET_CSV_UTF8);
	assert_int_equal(s.nrows, 4);
	assert_string_equal(s.rows[1].cells[0], "张\xef\xbf\xbd三");
	assert_string_equal(s.rows[1].cells[1], "13800138000");
	assert_string_equal(s.rows[3].cells[2], "a\tb\nc"); /* tab and line break are text */
	assert_int_equal(s.nfaults, 3);
	assert_fault(&s, 1, 0, SHEET_FAULT_CONTROL, 0x01);
	assert_fault(&s, 2, 1, SHEET_FAULT_CONTROL, 0x7f);
	assert_fault(&s, 2, 2, SHEET_FAULT_CONTROL, 0x85);
	sheet_release(&s);

	/* UTF-8 with one byte of Latin-1 in it: not "no spreadsheet", one faulty cell. */
	assert_int_equal(read_mem(bad_utf8, sizeof(bad_utf8) - 1, 10, 10, &s, err, sizeof(err)), SHEET_OK);
	assert_int_equal(s.format, SHEET_CSV_UTF8);
	assert_int_equal(s.nfaults, 1);
	assert_fault(&s, 1, 4, SHEET_FAULT_ENCODING, 0);
	assert_string_equal(s.rows[1].cells[4], "石榴桥路\xef\xbf\xbd 1 号");
	assert_string_equal(s.rows[1].cells[3], "白云区教育局");
	sheet_release(&s);

	/* GBK (姓名,单位 / 张三,白云) with a byte that starts no GB18030 character in the last cell. */
	buf_addstr(&gbk, "\xd0\xd5\xc3\xfb,\xb5\xa5\xce\xbb\r\n\xd5\xc5\xc8\xfd,\xb0\xd7\xd4\xc6\xff\r\n");
	assert_int_equal(read_mem(gbk.data, gbk.len, 10, 10, &s, err, sizeof(err)), SHEET_OK);
	assert_int_equal(s.format, SHEET_CSV_GBK);
	assert_string_equal(s.rows[0].cells[0], "姓名");
	assert_string_equal(s.rows[1].cells[0], "张三");
	assert_string_equal(s.rows[1].cells[1], "白云\xef\xbf\xbd");
	assert_int_equal(s.nfaults, 1);
	assert_fault(&s, 1, 1, SHEET_FAULT_ENCODING, 0);
	sheet_release(&s);
	buf_release(&gbk);
}

/* Shared strings count as cells: a small file of millions of empty ones is refused, quickly. */
static void xlsx_shared_strings_count_against_the_limits(void **state)
{
	static const char ws[] = WS_OPEN "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>" WS_CLOSE;
	const size_t many = 12000000;
	struct buf sst = BUF_INIT;
	struct sheet s;
	char err[256];
	size_t len;
	char *data;

	(void)state;
	/* Within max_rows * max_cols (10 * 10): read. */
	buf_addstr(&sst, SST_OPEN);
	for (int i = 0; i < 100; i++)
		buf_addstr(&sst, "<si/>");
	buf_addstr(&sst, "</sst>");
	assert_int_equal(read_made(ws, buf_str(&sst), 10, 10, &s, err, sizeof(err)), SHEET_OK);
	sheet_release(&s);
	/* One more than the sheet could hold cells. */
	sst.len -= strlen("</sst>");
	buf_addstr(&sst, "<si/></sst>");
	assert_int_equal(read_made(ws, buf_str(&sst), 10, 10, &s, err, sizeof(err)), SHEET_TOO_LARGE);
	assert_non_null(strstr(err, "太多"));
	/* 12 million empty strings zip to well under 1 MB; the import's limits refuse them. */
	buf_reset(&sst);
	buf_addstr(&sst, SST_OPEN);
	assert_int_equal(buf_reserve(&sst, many * 5 + 16), 0);
	for (size_t i = 0; i < many; i++)
		buf_add(&sst, "<si/>", 5);
	buf_addstr(&sst, "</sst>");
	data = make_xlsx(ws, buf_str(&sst), &len);
	buf_release(&sst);
	assert_true(len < 1000000);
	assert_int_equal(read_mem(data, len, 20001, 40, &s, err, sizeof(err)), SHEET_TOO_LARGE);
	/* And with no limits of the caller's, the reader's own budget of slots stops them. */
	assert_int_equal(read_mem(data, len, 0, 0, &s, err, sizeof(err)), SHEET_TOO_LARGE);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_utf8_reads_exact_cells),
		cmocka_unit_test(csv_bom_is_stripped),
		cmocka_unit_test(csv_gbk_is_converted),
		cmocka_unit_test(xlsx_from_libreoffice_reads_exact_cells),
		cmocka_unit_test(xlsx_id_typed_as_number_comes_as_stored),
		cmocka_unit_test(xlsx_handmade_reads_every_cell_kind),
		cmocka_unit_test(csv_quoting_follows_rfc4180),
		cmocka_unit_test(csv_trailing_newline_makes_no_row),
		cmocka_unit_test(csv_unclosed_quote_is_damaged),
		cmocka_unit_test(refuses_what_is_not_a_spreadsheet),
		cmocka_unit_test(refuses_past_max_rows_and_cols),
		cmocka_unit_test(zip_bomb_stops_at_the_cap),
		cmocka_unit_test(damaged_xlsx_is_reported),
		cmocka_unit_test(xlsx_without_workbook_falls_back_to_sheet1),
		cmocka_unit_test(xlsx_bad_content_is_damaged),
		cmocka_unit_test(xlsx_far_cells_are_refused_before_allocating),
		cmocka_unit_test(error_message_is_cut_at_a_character),
		cmocka_unit_test(csv_of_10000_rows_reads_every_row),
		cmocka_unit_test(xlsx_of_10000_rows_reads_every_row),
		cmocka_unit_test(xlsx_escapes_are_decoded_and_controls_named),
		cmocka_unit_test(csv_faults_are_per_cell),
		cmocka_unit_test(xlsx_shared_strings_count_against_the_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
