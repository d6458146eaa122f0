/* member_import.c: rows of a members spreadsheet to checked member files, errors named by row and column */
#include "domain/member_import.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/idcard.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/member.h"

enum col { C_NAME, C_GENDER, C_PHONE, C_ID, C_UNIT, C_POSITION, C_BRANCH, C_JOINED, C_COMMUNITY, C_BUILDING,
	   C_ADDRESS, C_SPECIALTIES, C_PLAQUE, C_PLAQUE_ON, C_COUNT };

const char *const import_columns[] = { "姓名", "性别", "手机号", "身份证号", "工作单位", "职务", "所在党支部",
					"入党日期", "社区代码", "楼栋代码", "详细地址", "特长", "党员户挂牌",
					"挂牌日期", NULL };
const char *const import_example[] = { "王小明", "男", "13800138000", "440111199003071232", "白云区教育局",
				       "科员", "第一党支部", "2012-07-01", "440111002011", "", "石榴桥路 1 号 3 栋 201",
				       "医疗、摄影", "是", "2024-03-01", NULL };

/* The API field each column fills, for error messages that name both. */
static const char *const fields[C_COUNT] = { "name", "gender", "phone", "id_number", "unit", "position",
					     "party_branch", "joined_party_on", "community_code", "building_code",
					     "address", "specialties", "plaque_hung", "plaque_on" };

void import_result_release(struct import_result *r)
{
	free(r->errors);
	r->errors = NULL;
	r->nerrors = 0;
}

static void add_error(struct import_result *r, size_t row, int col, const char *code, const char *message)
{
	struct import_error *e;

	if (r->nerrors % 64 == 0)
		r->errors = xrealloc(r->errors, (r->nerrors + 64) * sizeof(*r->errors));
	e = &r->errors[r->nerrors++];
	e->row = row;
	str_copy(e->column, sizeof(e->column), col >= 0 ? import_columns[col] : "");
	str_copy(e->field, sizeof(e->field), col >= 0 ? fields[col] : "");
	e->code = code;
	str_copy(e->message, sizeof(e->message), message);
}

/* Header text → column; -1 for a column we do not know (ignored). */
static int column_of(const char *header)
{
	char h[64];
	size_t n;

	str_copy(h, sizeof(h), header);
	n = strlen(h);
	while (n && (h[n - 1] == ' ' || h[n - 1] == '*'))
		h[--n] = '\0';
	for (int i = 0; i < C_COUNT; i++)
		if (!strcmp(h, import_columns[i]))
			return i;
	if (!strcmp(h, "手机") || !strcmp(h, "联系电话"))
		return C_PHONE;
	if (!strcmp(h, "身份证") || !strcmp(h, "公民身份号码"))
		return C_ID;
	if (!strcmp(h, "单位"))
		return C_UNIT;
	return -1;
}

/* Copies cell text without surrounding spaces (Excel users leave them). */
static void cell(const struct sheet_row *r, int index, char *out, size_t n)
{
	const char *s = index >= 0 && (size_t)index < r->ncells ? r->cells[index] : "";
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(out, s, len);
	out[len] = '\0';
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

	for (size_t i = 0; i < sizeof(seps) / sizeof(seps[0]); i++)
		if (!strncmp(*p, seps[i], strlen(seps[i]))) {
			*p += strlen(seps[i]);
			return true;
		}
	return false;
}

/*
 * Dates as people and Excel write them: 2012-07-01, 2012/7/1, 2012.7.1, 2012年7月1日,
 * 20120701, or an Excel serial day number. Rewritten in place as YYYY-MM-DD when understood;
 * anything else is left as it is, for the check to name.
 */
static void normalise_date(char *s, size_t n)
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
		snprintf(s, n, "%04d-%02d-%02d", y, m, d);
}

/* Specialties separated by 、，,；; or spaces become one ','-joined list. */
static void normalise_tags(char *s)
{
	static const char *const seps[] = { "、", "，", "；", ";", " ", "　" };
	char *w = s;

	for (char *p = s; *p;) {
		size_t k, len = 0;

		for (k = 0; k < sizeof(seps) / sizeof(seps[0]); k++)
			if (!strncmp(p, seps[k], (len = strlen(seps[k]))))
				break;
		if (k < sizeof(seps) / sizeof(seps[0])) {
			*w++ = ',';
			p += len;
		} else {
			*w++ = *p++;
		}
	}
	*w = '\0';
	/* Collapse repeated and edge commas. */
	w = s;
	for (char *p = s; *p; p++)
		if (*p != ',' || (w > s && w[-1] != ','))
			*w++ = *p;
	if (w > s && w[-1] == ',')
		w--;
	*w = '\0';
}

struct row_text {
	char v[C_COUNT][256];
};

static int unit_by_name(struct db *db, const char *name, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM unit WHERE name = ?");
	int rc;

	db_bind_text(st, 1, name);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* The same lengths the API's member form allows, in characters. */
static const struct {
	int col;
	size_t max;
} limits[] = { { C_NAME, 50 }, { C_POSITION, 50 }, { C_BRANCH, 100 }, { C_ADDRESS, 100 } };

/* Checks one row; adds its errors; fills in. Returns 1 when valid, 0 when not, -1 on a storage error. */
static int check_row(struct db *db, const struct import_defaults *d, size_t rowno, struct row_text *t,
		     struct member_input *in, struct import_result *res, const char **seen, size_t nseen)
{
	struct field_errors errs = { 0 };
	size_t before = res->nerrors;
	int rc;

	memset(in, 0, sizeof(*in));
	for (int c = 0; c < C_COUNT; c++) {
		size_t len = strlen(t->v[c]);

		/* A cell that filled its buffer was longer than any field allows (and may be cut mid-character). */
		if (len >= sizeof(t->v[c]) - 1)
			add_error(res, rowno, c, "too_long", "内容太长");
		else if (!valid_utf8_text(t->v[c], len))
			add_error(res, rowno, c, "utf8", "含有无法识别的字符");
	}
	normalise_date(t->v[C_JOINED], sizeof(t->v[C_JOINED]));
	normalise_date(t->v[C_PLAQUE_ON], sizeof(t->v[C_PLAQUE_ON]));
	normalise_tags(t->v[C_SPECIALTIES]);
	for (int c = 0; c < C_COUNT; c++)
		if (!strcmp(t->v[c], "") && (c == C_NAME || c == C_PHONE || c == C_ID))
			add_error(res, rowno, c, "required", "必须填写");
	in->name = t->v[C_NAME];
	in->gender = t->v[C_GENDER];
	in->phone = t->v[C_PHONE];
	in->id_number = t->v[C_ID];
	in->position = t->v[C_POSITION];
	in->party_branch = t->v[C_BRANCH];
	in->joined_party_on = t->v[C_JOINED];
	in->community_code = *t->v[C_COMMUNITY] ? t->v[C_COMMUNITY] : d->community_code;
	in->building_code = t->v[C_BUILDING];
	in->address = t->v[C_ADDRESS];
	in->specialties = t->v[C_SPECIALTIES];
	in->plaque_hung = !strcmp(t->v[C_PLAQUE], "是") || !strcmp(t->v[C_PLAQUE], "已挂");
	in->plaque_on = t->v[C_PLAQUE_ON];
	if (*t->v[C_PLAQUE] && !in->plaque_hung && strcmp(t->v[C_PLAQUE], "否") && strcmp(t->v[C_PLAQUE], "未挂"))
		add_error(res, rowno, C_PLAQUE, "enum", "应为“是”或“否”");
	if (d->community_code && strcmp(in->community_code, d->community_code))
		add_error(res, rowno, C_COMMUNITY, "forbidden", "只能导入本社区的党员");
	else if (!in->community_code || !*in->community_code)
		add_error(res, rowno, C_COMMUNITY, "required", "必须填写报到社区的代码");
	if (d->unit_id) {
		in->unit_id = d->unit_id;
	} else if (*t->v[C_UNIT]) {
		rc = unit_by_name(db, t->v[C_UNIT], &in->unit_id);
		if (rc < 0)
			return -1;
		if (rc > 0)
			add_error(res, rowno, C_UNIT, "not_found", "系统中没有这个单位，请先在“单位管理”中添加");
	}
	for (size_t k = 0; k < sizeof(limits) / sizeof(limits[0]); k++)
		if (utf8_chars(t->v[limits[k].col]) > limits[k].max)
			add_error(res, rowno, limits[k].col, "too_long", "内容太长");
	if (member_check(db, in, clock_now(), &errs) < 0)
		return -1;
	for (size_t i = 0; i < errs.n; i++)
		for (int c = 0; c < C_COUNT; c++)
			if (!strcmp(errs.items[i].field, fields[c]))
				add_error(res, rowno, c, errs.items[i].code, errs.items[i].message);
	if (res->nerrors == before && *in->id_number) {
		struct idcard card;
		int64_t existing;
		char msg[160];

		idcard_parse(in->id_number, clock_now(), &card);
		for (size_t i = 0; i < nseen; i++)
			if (seen[i] && !strcmp(seen[i], card.number))
				add_error(res, rowno, C_ID, "duplicate", "与表中前面的一行重复");
		rc = member_find_by_id_number(db, card.number, &existing);
		if (rc == MEMBER_ERROR)
			return -1;
		if (rc == MEMBER_OK) {
			snprintf(msg, sizeof(msg), "此人已有档案（编号 %lld）", (long long)existing);
			add_error(res, rowno, C_ID, "duplicate", msg);
		}
	}
	return res->nerrors == before;
}

int member_import(struct db *db, const struct actor *who, const struct sheet *sh, const struct import_defaults *d,
		  bool commit, struct import_result *out)
{
	int map[64], have[C_COUNT] = { 0 };
	const char **seen = NULL;
	struct row_text *t = xmalloc(sizeof(*t));
	size_t ncols = 0, nseen = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (sh->nrows)
		ncols = sh->rows[0].ncells < 64 ? sh->rows[0].ncells : 64;
	for (size_t c = 0; c < ncols; c++)
		if ((map[c] = column_of(sh->rows[0].cells[c])) >= 0)
			have[map[c]] = 1;
	for (int c = C_NAME; c <= C_ID; c++)
		if (c != C_GENDER && !have[c]) {
			char msg[160];

			snprintf(msg, sizeof(msg), "第一行缺少“%s”列，请使用导入模板", import_columns[c]);
			add_error(out, 1, -1, "missing_column", msg);
		}
	if (out->nerrors)
		goto done;
	if (commit && db_begin(db) < 0) {
		rc = -1;
		goto done;
	}
	seen = xcalloc(sh->nrows ? sh->nrows : 1, sizeof(*seen));
	for (size_t i = 1; i < sh->nrows && rc >= 0; i++) {
		const struct sheet_row *row = &sh->rows[i];
		struct member_input in;
		size_t filled = 0;

		memset(t, 0, sizeof(*t));
		for (size_t c = 0; c < ncols; c++)
			if (map[c] >= 0) {
				cell(row, (int)c, t->v[map[c]], sizeof(t->v[0]));
				filled += *t->v[map[c]] != '\0';
			}
		if (!filled)
			continue;
		out->rows++;
		rc = check_row(db, d, i + 1, t, &in, out, seen, nseen);
		if (rc <= 0)
			continue;
		seen[nseen++] = xstrdup(in.id_number);
		for (char *p = (char *)seen[nseen - 1]; *p; p++)
			if (*p == 'x')
				*p = 'X';
		out->valid++;
		if (commit) {
			int64_t id, reg;

			if (member_insert(db, who, &in, 0, &id) != MEMBER_OK ||
			    registration_submit(db, who, id, in.community_code, d->channel, &reg) != REG_OK)
				rc = -1;
			else
				out->written++;
		}
	}
	if (commit && (rc < 0 || db_commit(db) < 0)) {
		db_rollback(db);
		out->written = 0;
		rc = -1;
	}
done:
	for (size_t i = 0; i < nseen; i++)
		free((void *)seen[i]);
	free(seen);
	free(t);
	return rc < 0 ? -1 : 0;
}
