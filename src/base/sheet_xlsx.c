/* sheet_xlsx.c: reads the first visible worksheet of an uploaded .xlsx (libzip + expat) */
#include <expat.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/buf.h"
#include "base/sheet_reader.h"
#include "base/xalloc.h"

#define NS_SEP '\x01' /* between namespace and local name; cannot occur in XML */

static const char msg_ods[] = "这是 WPS 或 LibreOffice 的 .ods 表格；请另存为 Excel（.xlsx）后再上传";

/* The parts are read through expat with namespaces, matched by local name. */

struct part {
	XML_Parser parser;
	struct reader *r;
	int rc;       /* set by a handler that stopped the parse */
	size_t depth; /* of the element open now; the root is 1 */
};

static void part_stop(struct part *pt, int rc)
{
	if (!pt->rc)
		pt->rc = rc;
	XML_StopParser(pt->parser, XML_FALSE);
}

/* Enters an element: returns its local name, or NULL once the parse is being stopped. */
static const char *part_enter(struct part *pt, const XML_Char *name)
{
	const char *sep = strrchr(name, NS_SEP);

	pt->depth++;
	if (pt->rc)
		return NULL;
	return sep ? sep + 1 : name;
}

static const char *attr_get(const XML_Char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (!strcmp(atts[i], name))
			return atts[i + 1];
	return NULL;
}

/* The r:id attribute: local name "id" in a namespace. */
static const char *attr_rel_id(const XML_Char **atts)
{
	for (size_t i = 0; atts[i]; i += 2) {
		const char *sep = strrchr(atts[i], NS_SEP);

		if (sep && !strcmp(sep + 1, "id"))
			return atts[i + 1];
	}
	return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static void XMLCALL part_end(void *ud, const XML_Char *name)
{
	struct part *pt = ud;

	(void)name;
	pt->depth--;
}

static void XMLCALL part_no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
				    const XML_Char *pubid, int has_internal)
{
	struct part *pt = ud;

	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	part_stop(pt, reader_fail(pt->r, SHEET_DAMAGED, "%s", sheet_msg_damaged));
}

/* workbook.xml: the relationship id of the first sheet not hidden (else of the first sheet). */
struct workbook {
	struct part pt;
	char *rid;
	bool visible;
};

static void XMLCALL workbook_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct workbook *wb = ud;
	const char *local = part_enter(&wb->pt, name), *rid, *state;

	if (!local || wb->pt.depth != 3 || strcmp(local, "sheet") || wb->visible)
		return;
	rid = attr_rel_id(atts);
	state = attr_get(atts, "state");
	if (!rid)
		return;
	if (!wb->rid || !state || !strcmp(state, "visible")) {
		free(wb->rid);
		wb->rid = xstrdup(rid);
		wb->visible = !state || !strcmp(state, "visible");
	}
}

/* xl/_rels/workbook.xml.rels: where that sheet and the shared strings are. */
struct rels {
	struct part pt;
	const char *rid; /* borrowed from struct workbook */
	char *sheet, *first_sheet, *strings;
};

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct rels *rl = ud;
	const char *local = part_enter(&rl->pt, name), *id, *type, *target, *mode;

	if (!local || rl->pt.depth != 2 || strcmp(local, "Relationship"))
		return;
	id = attr_get(atts, "Id");
	type = attr_get(atts, "Type");
	target = attr_get(atts, "Target");
	mode = attr_get(atts, "TargetMode");
	if (!id || !type || !target || !*target || (mode && !strcmp(mode, "External")))
		return;
	if (ends_with(type, "/worksheet")) {
		if (!rl->first_sheet)
			rl->first_sheet = xstrdup(target);
		if (rl->rid && !rl->sheet && !strcmp(id, rl->rid))
			rl->sheet = xstrdup(target);
	} else if (ends_with(type, "/sharedStrings") && !rl->strings) {
		rl->strings = xstrdup(target);
	}
}

/*
 * Strings are ST_Xstring: _xHHHH_ (hex digits in either case) stands for the UTF-16 code unit
 * HHHH, so _x005F_ is "_" and _x005F_x0041_ the literal text "_x0041_". Decodes b in place
 * (never lengthening it). Control characters decoded here, and halves of surrogate pairs (kept
 * as the bytes no UTF-8 text has), are named as faults of their cell by reader_cell_put.
 */
static void unescape(struct buf *b)
{
	char *s = b->data;
	size_t i = 0, o = 0;

	while (i < b->len) {
		char hex[5] = { 0 };
		unsigned long cp = 0;
		bool esc = i + 7 <= b->len && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_';

		if (esc) {
			memcpy(hex, s + i + 2, 4);
			esc = strspn(hex, "0123456789abcdefABCDEF") == 4;
			cp = strtoul(hex, NULL, 16);
		}
		if (!esc) {
			s[o++] = s[i++];
			continue;
		}
		if (cp < 0x80) {
			s[o++] = (char)cp;
		} else if (cp < 0x800) {
			s[o++] = (char)(0xc0 | cp >> 6);
			s[o++] = (char)(0x80 | (cp & 0x3f));
		} else {
			s[o++] = (char)(0xe0 | cp >> 12);
			s[o++] = (char)(0x80 | (cp >> 6 & 0x3f));
			s[o++] = (char)(0x80 | (cp & 0x3f));
		}
		i += 7;
	}
	b->len = o;
	if (s)
		s[o] = '\0';
}

/* Appends character data to b; stops the parse at the cap. */
static void part_text(struct part *pt, struct buf *b, const XML_Char *s, int len)
{
	if (buf_add(b, s, (size_t)len) < 0)
		part_stop(pt, reader_fail(pt->r, SHEET_TOO_LARGE, "%s", sheet_msg_big));
}

/* The text of an <si> or <is>: its <t> elements (rich-text runs joined), phonetic <rPh> left out. */
struct rich {
	size_t depth, t_depth, rph_depth; /* of the <si> or <is>, and of the <t> or <rPh> open in it */
	struct buf text;
};

static void rich_start(struct rich *rt, const char *local, size_t depth)
{
	if (!rt->depth || rt->t_depth || rt->rph_depth)
		return;
	if (!strcmp(local, "t"))
		rt->t_depth = depth;
	else if (!strcmp(local, "rPh"))
		rt->rph_depth = depth;
}

/* Leaves an element; true if it was the <si> or <is> itself. */
static bool rich_end(struct rich *rt, size_t depth)
{
	if (depth == rt->t_depth)
		rt->t_depth = 0;
	else if (depth == rt->rph_depth)
		rt->rph_depth = 0;
	else if (depth == rt->depth) {
		rt->depth = 0;
		return true;
	}
	return false;
}

/* xl/sharedStrings.xml: the strings cells of type "s" point to by index. */
struct strings {
	struct part pt;
	struct rich si;
	struct buf text; /* every string, each followed by a NUL */
	struct span {
		size_t off, len;
	} *spans;
	size_t n, cap;
};

static void XMLCALL strings_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct strings *ss = ud;
	const char *local = part_enter(&ss->pt, name);

	(void)atts;
	if (!local)
		return;
	if (ss->pt.depth == 2 && !strcmp(local, "si")) {
		ss->si.depth = 2;
		buf_reset(&ss->si.text);
	} else {
		rich_start(&ss->si, local, ss->pt.depth);
	}
}

static void XMLCALL strings_end(void *ud, const XML_Char *name)
{
	struct strings *ss = ud;
	size_t depth = ss->pt.depth--, off = ss->text.len;
	struct reader *r = ss->pt.r;
	int rc;

	(void)name;
	if (ss->pt.rc || !rich_end(&ss->si, depth))
		return;
	/* Every string, empty ones too, costs as a cell does: a tiny file of millions stops here. */
	if (++r->strings > r->max_rows * r->max_cols) {
		part_stop(&ss->pt, reader_fail(r, SHEET_TOO_LARGE, "%s", sheet_msg_big));
		return;
	}
	if ((rc = reader_spend(r, 1, ss->si.text.len + sizeof(*ss->spans) + 1)) < 0) {
		part_stop(&ss->pt, rc);
		return;
	}
	unescape(&ss->si.text);
	if (buf_add(&ss->text, buf_str(&ss->si.text), ss->si.text.len + 1) < 0) {
		part_stop(&ss->pt, reader_fail(r, SHEET_TOO_LARGE, "%s", sheet_msg_big));
		return;
	}
	if (ss->n == ss->cap) {
		ss->cap = ss->cap ? ss->cap * 2 : 256;
		ss->spans = xrealloc(ss->spans, ss->cap * sizeof(*ss->spans));
	}
	ss->spans[ss->n++] = (struct span){ off, ss->si.text.len };
}

static void XMLCALL strings_text(void *ud, const XML_Char *s, int len)
{
	struct strings *ss = ud;

	if (!ss->pt.rc && ss->si.t_depth && ss->si.t_depth == ss->pt.depth)
		part_text(&ss->pt, &ss->si.text, s, len);
}

/* The worksheet: <sheetData><row r="3"><c r="B3" t="s"><v>…</v></c> or <is><t>…</t></is>. */
struct cells {
	struct part pt;
	const struct strings *sst;
	size_t data_depth, row_depth, c_depth, v_depth;
	size_t row, next_row, col, next_col; /* 0-based */
	char type[16];
	struct buf v;
	struct rich is;
	bool has_v, has_is;
};

/* "B3" to column 1; 0, or -1 if the reference is not letters A..XFD then digits. */
static int col_parse(const char *ref, size_t *col)
{
	size_t c = 0, i = 0;

	for (; ref[i] >= 'A' && ref[i] <= 'Z'; i++) {
		if (i == 3)
			return -1;
		c = c * 26 + (size_t)(ref[i] - 'A' + 1);
	}
	if (i == 0 || c > EXCEL_COLS || strspn(ref + i, "0123456789") != strlen(ref + i))
		return -1;
	*col = c - 1;
	return 0;
}

static void cells_row_start(struct cells *cs, const XML_Char **atts)
{
	const char *ref = attr_get(atts, "r");
	long long n = (long long)cs->next_row + 1;

	if (ref && str_to_ll(ref, 1, (long long)EXCEL_ROWS, &n) < 0) {
		part_stop(&cs->pt, reader_fail(cs->pt.r, SHEET_DAMAGED, "%s", sheet_msg_damaged));
		return;
	}
	cs->row = (size_t)n - 1;
	cs->next_row = cs->row + 1;
	cs->next_col = 0;
	cs->row_depth = cs->pt.depth;
	cs->pt.r->cur_row = cs->row;
}

static void cells_cell_start(struct cells *cs, const XML_Char **atts)
{
	const char *ref = attr_get(atts, "r"), *type = attr_get(atts, "t");

	cs->col = cs->next_col;
	if (ref && col_parse(ref, &cs->col) < 0) {
		part_stop(&cs->pt, reader_fail(cs->pt.r, SHEET_DAMAGED, "%s", sheet_msg_damaged));
		return;
	}
	cs->next_col = cs->col + 1;
	str_copy(cs->type, sizeof(cs->type), type ? type : "n");
	buf_reset(&cs->v);
	buf_reset(&cs->is.text);
	cs->has_v = cs->has_is = false;
	cs->c_depth = cs->pt.depth;
}

static void XMLCALL cells_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct cells *cs = ud;
	const char *local = part_enter(&cs->pt, name);
	size_t depth = cs->pt.depth;
	bool in_cell = cs->c_depth && depth == cs->c_depth + 1;

	if (!local)
		return;
	if (depth == 2 && !strcmp(local, "sheetData")) {
		cs->data_depth = depth;
	} else if (cs->data_depth && depth == cs->data_depth + 1 && !strcmp(local, "row")) {
		cells_row_start(cs, atts);
	} else if (cs->row_depth && depth == cs->row_depth + 1 && !strcmp(local, "c")) {
		cells_cell_start(cs, atts);
	} else if (in_cell && !strcmp(local, "v")) {
		cs->v_depth = depth;
		cs->has_v = true;
	} else if (in_cell && !strcmp(local, "is")) {
		cs->is.depth = depth;
		cs->has_is = true;
	} else {
		rich_start(&cs->is, local, depth);
	}
}

/* The cell's text as stored; *text is borrowed from cs, the shared strings or a literal. */
static int cells_value(struct cells *cs, const char **text, size_t *n)
{
	const char *v = buf_str(&cs->v);

	*text = v;
	*n = cs->v.len;
	if (!cs->has_v && !cs->has_is) { /* a cell with only a style, whatever its type */
		*n = 0;
	} else if (!strcmp(cs->type, "s")) {
		long long idx;

		if (str_to_ll(v, 0, LLONG_MAX, &idx) < 0 || (size_t)idx >= cs->sst->n)
			return reader_fail(cs->pt.r, SHEET_DAMAGED, "%s", sheet_msg_damaged);
		*text = cs->sst->text.data + cs->sst->spans[idx].off;
		*n = cs->sst->spans[idx].len;
	} else if (!strcmp(cs->type, "b") && (!strcmp(v, "1") || !strcmp(v, "0"))) {
		*text = v[0] == '1' ? "TRUE" : "FALSE";
		*n = strlen(*text);
	} else if (!strcmp(cs->type, "inlineStr") || !strcmp(cs->type, "str")) {
		struct buf *b = cs->has_is ? &cs->is.text : &cs->v;

		unescape(b);
		*text = buf_str(b);
		*n = b->len;
	}
	return 0;
}

static void cells_cell_end(struct cells *cs)
{
	const char *text;
	size_t n;
	int rc;

	cs->c_depth = 0;
	if ((rc = cells_value(cs, &text, &n)) < 0) {
		part_stop(&cs->pt, rc);
		return;
	}
	if (n == 0) /* an empty string is the same as no cell */
		return;
	if ((rc = reader_cell_put(cs->pt.r, cs->col, text, n)) < 0)
		part_stop(&cs->pt, rc);
}

static void XMLCALL cells_end(void *ud, const XML_Char *name)
{
	struct cells *cs = ud;
	size_t depth = cs->pt.depth--;
	int rc;

	(void)name;
	if (cs->pt.rc)
		return;
	if (depth == cs->v_depth) {
		cs->v_depth = 0;
	} else if (depth == cs->c_depth) {
		cells_cell_end(cs);
	} else if (depth == cs->row_depth) {
		cs->row_depth = 0;
		/* A row with no text is left out; it stays an empty row if a later row has text. */
		if (cs->pt.r->cur.ncells && (rc = reader_row_commit(cs->pt.r, cs->row)) < 0)
			part_stop(&cs->pt, rc);
	} else if (depth == cs->data_depth) {
		cs->data_depth = 0;
	} else {
		rich_end(&cs->is, depth);
	}
}

static void XMLCALL cells_text(void *ud, const XML_Char *s, int len)
{
	struct cells *cs = ud;

	if (cs->pt.rc)
		return;
	if (cs->v_depth && cs->pt.depth == cs->v_depth)
		part_text(&cs->pt, &cs->v, s, len);
	else if (cs->is.t_depth && cs->pt.depth == cs->is.t_depth)
		part_text(&cs->pt, &cs->is.text, s, len);
}

/*
 * Streams one part of the zip through expat into pt's handlers. Returns 0, 1 if the part is
 * not in the file, or an enum sheet_rc.
 */
static int part_parse(struct reader *r, zip_t *z, const char *name, struct part *pt,
		      XML_StartElementHandler start, XML_EndElementHandler end,
		      XML_CharacterDataHandler text)
{
	zip_int64_t idx = zip_name_locate(z, name, ZIP_FL_NOCASE);
	zip_file_t *f = NULL;
	XML_Parser p;
	char chunk[16384];
	int rc = 0;

	if (idx < 0)
		return 1;
	p = XML_ParserCreateNS(NULL, NS_SEP);
	if (!p) {
		fputs("baodao: out of memory (expat)\n", stderr);
		abort();
	}
	pt->parser = p;
	pt->r = r;
	pt->rc = 0;
	pt->depth = 0;
	XML_SetUserData(p, pt);
	XML_SetElementHandler(p, start, end);
	XML_SetCharacterDataHandler(p, text);
	XML_SetStartDoctypeDeclHandler(p, part_no_doctype);
	if (!(f = zip_fopen_index(z, (zip_uint64_t)idx, 0))) {
		rc = reader_fail(r, SHEET_DAMAGED, "%s", sheet_msg_damaged);
		goto out;
	}
	for (;;) {
		zip_int64_t got = zip_fread(f, chunk, sizeof(chunk));

		if (got < 0) {
			rc = reader_fail(r, SHEET_DAMAGED, "%s", sheet_msg_damaged);
			goto out;
		}
		if ((size_t)got > SHEET_MAX_BYTES - r->unpacked) {
			rc = reader_fail(r, SHEET_TOO_LARGE, "%s", sheet_msg_big);
			goto out;
		}
		r->unpacked += (size_t)got;
		if (XML_Parse(p, chunk, (int)got, got == 0) != XML_STATUS_OK) {
			rc = pt->rc ? pt->rc : reader_fail(r, SHEET_DAMAGED, "%s", sheet_msg_damaged);
			goto out;
		}
		if (got == 0)
			break;
	}
	rc = pt->rc;
out:
	if (f)
		zip_fclose(f);
	XML_ParserFree(p);
	return rc;
}

/* A relationship target is relative to xl/, or absolute from the package root. */
static char *part_path(const char *target, const char *fallback)
{
	struct buf b = BUF_INIT;

	if (!target)
		return xstrdup(fallback);
	if (target[0] == '/')
		return xstrdup(target + 1);
	buf_addf(&b, "xl/%s", target);
	return buf_detach(&b, NULL);
}

int sheet_xlsx_read(struct reader *r, const void *data, size_t len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z = NULL;
	struct workbook wb = { 0 };
	struct rels rl = { 0 };
	struct strings ss = { 0 };
	struct cells cs = { 0 };
	char *sheet_name = NULL, *strings_name = NULL;
	int rc;

	r->out->format = SHEET_XLSX;
	buf_init(&ss.text, SHEET_MAX_BYTES);
	buf_init(&ss.si.text, SHEET_MAX_BYTES);
	buf_init(&cs.v, SHEET_MAX_BYTES);
	buf_init(&cs.is.text, SHEET_MAX_BYTES);
	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(data, len, 0, &ze))) {
		rc = reader_fail(r, SHEET_DAMAGED, "%s", sheet_msg_damaged);
		goto out;
	}
	if (!(z = zip_open_from_source(src, ZIP_RDONLY, &ze))) {
		zip_source_free(src);
		rc = reader_fail(r, SHEET_DAMAGED, "%s", sheet_msg_damaged);
		goto out;
	}
	if (zip_name_locate(z, "xl/workbook.xml", ZIP_FL_NOCASE) < 0 &&
	    zip_name_locate(z, "xl/worksheets/sheet1.xml", ZIP_FL_NOCASE) < 0) {
		bool ods = zip_name_locate(z, "mimetype", 0) >= 0 && zip_name_locate(z, "content.xml", 0) >= 0;

		rc = reader_fail(r, SHEET_NOT_SPREADSHEET, "%s", ods ? msg_ods : sheet_msg_not_sheet);
		goto out;
	}
	if ((rc = part_parse(r, z, "xl/workbook.xml", &wb.pt, workbook_start, part_end, NULL)) < 0)
		goto out;
	rl.rid = wb.rid;
	if ((rc = part_parse(r, z, "xl/_rels/workbook.xml.rels", &rl.pt, rels_start, part_end, NULL)) < 0)
		goto out;
	sheet_name = part_path(rl.sheet ? rl.sheet : rl.first_sheet, "xl/worksheets/sheet1.xml");
	strings_name = part_path(rl.strings, "xl/sharedStrings.xml");
	if ((rc = part_parse(r, z, strings_name, &ss.pt, strings_start, strings_end, strings_text)) < 0)
		goto out;
	cs.sst = &ss;
	rc = part_parse(r, z, sheet_name, &cs.pt, cells_start, cells_end, cells_text);
	if (rc == 1 && strcmp(sheet_name, "xl/worksheets/sheet1.xml"))
		rc = part_parse(r, z, "xl/worksheets/sheet1.xml", &cs.pt, cells_start, cells_end, cells_text);
	if (rc == 1)
		rc = reader_fail(r, SHEET_DAMAGED, "%s", sheet_msg_damaged);
out:
	free(wb.rid);
	free(rl.sheet);
	free(rl.first_sheet);
	free(rl.strings);
	buf_release(&ss.text);
	buf_release(&ss.si.text);
	free(ss.spans);
	buf_release(&cs.v);
	buf_release(&cs.is.text);
	free(sheet_name);
	free(strings_name);
	if (z)
		zip_discard(z);
	return rc;
}
