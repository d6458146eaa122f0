/* wish_import.c: rows of a wishes spreadsheet to submitted micro-wishes, faults named by row and column, all or nothing */
#include "domain/wish_import.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/catalog.h"
#include "domain/wish.h"

enum col { C_NAME, C_PHONE, C_TITLE, C_CAP, C_ITEM, C_DUE, C_NOTE, C_COUNT };

_Static_assert(C_COUNT == WISH_SHEET_COLUMNS, "the header says how many columns a row has");

/* Lengths as POST /wishes allows them (wish_spec in api/wishes.c), in characters. */
static const struct import_column cols[C_COUNT] = {
	[C_NAME] = { "受益人", "beneficiary_name", WISH_NAME_MAX, "受益人姓名|姓名" },
	[C_PHONE] = { "联系电话", "beneficiary_phone", 0, "电话|手机号|手机" },
	[C_TITLE] = { "心愿内容", "title", WISH_TITLE_MAX, "心愿|微心愿" },
	[C_CAP] = { "价值上限", "value_cap", 0, "限额|价值" },
	[C_ITEM] = { "服务类别", "item_code", 0, "服务项目|类别" },
	[C_DUE] = { "截止日期", "due_on", 0, "截止|期限" },
	[C_NOTE] = { "备注", "description", WISH_TEXT_MAX, "说明|心愿说明" },
};

const char *const wish_import_columns[] = { "受益人", "联系电话", "心愿内容", "价值上限(元)", "服务类别", "截止日期",
					    "备注", NULL };
const char *const wish_import_example[] = { "王小明", "13800138000", "一套初二数学辅导书", "80", "G09", "2030-06-30",
					    "住 3 栋，白天家中有人", NULL };

/* A checked row, kept until every row is checked (a copy of each text). */
struct plan {
	char *name, *phone, *title, *note, *item, *due;
	int64_t cap;
};

struct run {
	struct db *db;
	const char *path; /* the community's */
	struct import_result *res;
	struct import_map map;
	char today[11];
	struct plan *plans;
	size_t nplans, cap;
};

#define ERR(run, r, c, code, ...) import_row_error((run)->res, (r), cols, (c), (code), __VA_ARGS__)

static bool given(const struct import_row *r, int c)
{
	return *r->v[c] && !r->bad[c];
}

/* Drops the spaces people group phone digits with (a landline's '-' stays). */
static void normalise_phone(char *s)
{
	char *w = s;

	for (char *p = s; *p; p++)
		if (*p != ' ')
			*w++ = *p;
	*w = '\0';
}

/* 价值上限: whole yuan, as a number cell or text (80, 80.0, 80元). */
static void check_cap(struct run *run, struct import_row *r, int64_t *cap)
{
	char *s = r->v[C_CAP];
	size_t n = strspn(s, "0123456789");
	long long v;

	*cap = 0;
	if (!given(r, C_CAP))
		return;
	if (s[n] == '.' && strspn(s + n + 1, "0") == strlen(s + n + 1))
		s[n] = '\0';
	else if (!strcmp(s + n, "元"))
		s[n] = '\0';
	if (!n || s[n] || str_to_ll(s, 1, WISH_VALUE_MAX, &v) < 0) {
		ERR(run, r, C_CAP, "format", "应为 1 到 %d 之间的整数（元）；没有上限请留空", WISH_VALUE_MAX);
		return;
	}
	*cap = v;
}

/* 服务类别: an item offered at the community, by code or by name; kept as its code. -1 on a storage error. */
static int check_item(struct run *run, struct import_row *r)
{
	struct db_stmt *st;
	struct catalog_item *item;
	int64_t ids[4];
	size_t n = 0;
	bool found = false;
	int rc;

	if (!given(r, C_ITEM))
		return 0;
	st = db_prepare(run->db, "SELECT id FROM catalog_item WHERE (code = ? OR name = ?) AND retired_at = 0 "
				 "ORDER BY id LIMIT 4");
	db_bind_text(st, 1, r->v[C_ITEM]);
	db_bind_text(st, 2, r->v[C_ITEM]);
	while ((rc = db_step(st)) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	item = xmalloc(sizeof(*item));
	for (size_t i = 0; i < n && !found; i++) {
		if (catalog_item_get(run->db, ids[i], item) != CATALOG_OK) {
			free(item);
			return -1;
		}
		if (catalog_offered(item, run->path)) {
			found = true;
			free(r->v[C_ITEM]);
			r->v[C_ITEM] = xstrdup(item->code);
		}
	}
	free(item);
	if (!found)
		ERR(run, r, C_ITEM, "not_found", "本社区没有这个服务项目；请填服务项目目录里的编号（如 G09）或名称，或留空");
	return 0;
}

static void check_cells(struct run *run, struct import_row *r)
{
	if (!*r->v[C_NAME] && !r->bad[C_NAME])
		ERR(run, r, C_NAME, "required", "必须填写受益人姓名");
	if (!*r->v[C_TITLE] && !r->bad[C_TITLE])
		ERR(run, r, C_TITLE, "required", "必须填写心愿内容");
	if (given(r, C_PHONE)) {
		normalise_phone(r->v[C_PHONE]);
		if (!valid_phone(r->v[C_PHONE]))
			ERR(run, r, C_PHONE, "format", "应为 11 位手机号（如 13800138000）或带区号的固定电话（如 020-83123456）");
	}
	if (given(r, C_DUE)) {
		import_normalise_date(r->v[C_DUE]);
		if (!valid_date(r->v[C_DUE]))
			ERR(run, r, C_DUE, "format", "不是日期；请写成 2030-06-30（也可写 2030/6/30 或 2030年6月30日）");
		else if (strcmp(r->v[C_DUE], run->today) < 0)
			ERR(run, r, C_DUE, "too_small", "不能早于今天（%s）", run->today);
	}
}

static void plan_add(struct run *run, const struct import_row *r, int64_t cap)
{
	struct plan *p;

	if (run->nplans == run->cap) {
		run->cap = run->cap ? run->cap * 2 : 64;
		run->plans = xrealloc(run->plans, run->cap * sizeof(*run->plans));
	}
	p = &run->plans[run->nplans++];
	p->name = xstrdup(r->v[C_NAME]);
	p->phone = xstrdup(r->v[C_PHONE]);
	p->title = xstrdup(r->v[C_TITLE]);
	p->note = xstrdup(r->v[C_NOTE]);
	p->item = xstrdup(r->v[C_ITEM]);
	p->due = xstrdup(r->v[C_DUE]);
	p->cap = cap;
}

static void plans_free(struct run *run)
{
	for (size_t i = 0; i < run->nplans; i++) {
		struct plan *p = &run->plans[i];

		free(p->name);
		free(p->phone);
		free(p->title);
		free(p->note);
		free(p->item);
		free(p->due);
	}
	free(run->plans);
}

/* Every data row checked; the valid ones planned. -1 on a storage error. */
static int check_rows(struct run *run, const struct sheet *sh)
{
	struct import_result *res = run->res;
	int rc = 0;

	for (size_t i = 1; i < sh->nrows && rc >= 0; i++) {
		struct import_row r;
		int64_t cap;

		import_row_read(res, cols, C_COUNT, &run->map, sh, i, &r);
		if (r.filled) {
			res->rows++;
			if (res->rows > WISH_IMPORT_MAX) {
				import_row_release(&r, C_COUNT);
				break;
			}
			check_cells(run, &r);
			check_cap(run, &r, &cap);
			rc = check_item(run, &r);
			if (rc >= 0 && !r.any_error) {
				res->valid++;
				res->create++;
				plan_add(run, &r, cap);
			}
		}
		import_row_release(&r, C_COUNT);
	}
	return rc;
}

static void bind_text_or_null(struct db_stmt *st, int i, const char *s)
{
	if (*s)
		db_bind_text(st, i, s);
	else
		db_bind_null(st, i);
}

/* Writes one planned row with its submit event. -1 on a storage error. */
static int write_plan(struct db *db, const struct actor *who, const char *community, const struct plan *p,
		      int64_t now)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO wish (community_code, beneficiary_name, consent, title, "
					    "description, value_cap, state, created_by, created_at, updated_at, "
					    "beneficiary_phone, item_code, due_on) "
					    "VALUES (?, ?, 1, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?) RETURNING id");
	int64_t id = 0;
	int rc;

	db_bind_text(st, 1, community);
	db_bind_text(st, 2, p->name);
	db_bind_text(st, 3, p->title);
	db_bind_text(st, 4, p->note);
	if (p->cap)
		db_bind_int(st, 5, p->cap);
	else
		db_bind_null(st, 5);
	if (who->account_id)
		db_bind_int(st, 6, who->account_id);
	else
		db_bind_null(st, 6);
	db_bind_int(st, 7, now);
	db_bind_int(st, 8, now);
	db_bind_text(st, 9, p->phone);
	bind_text_or_null(st, 10, p->item);
	bind_text_or_null(st, 11, p->due);
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	st = db_prepare(db, "INSERT INTO wish_event (wish_id, kind, state, note, account_id, created_at) "
			    "VALUES (?, 'submit', 'submitted', '', ?, ?)");
	db_bind_int(st, 1, id);
	if (who->account_id)
		db_bind_int(st, 2, who->account_id);
	else
		db_bind_null(st, 2);
	db_bind_int(st, 3, now);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int wish_import(struct db *db, const struct actor *who, const struct sheet *sh, const char *community_code,
		const char *community_path, bool commit, struct import_result *out)
{
	struct run run = { db, community_path, out, { 0 }, "", NULL, 0, 0 };
	const int64_t now = clock_now();
	char detail[32];
	int rc = 0;

	memset(out, 0, sizeof(*out));
	clock_date(now, run.today);
	if (sh->nrows)
		import_map_header(&run.map, cols, C_COUNT, &sh->rows[0]);
	if (!run.map.have[C_NAME] || !run.map.have[C_TITLE]) {
		import_error_add(out, 1, NULL, "missing_column", "第一行缺少“%s”列，请使用导入模板",
				 run.map.have[C_NAME] ? cols[C_TITLE].header : cols[C_NAME].header);
		return 0;
	}
	/* Checked and written in one transaction: what the check saw is what is written. */
	if (commit && db_begin(db) < 0)
		return -1;
	rc = check_rows(&run, sh);
	if (rc >= 0 && out->rows > WISH_IMPORT_MAX)
		import_error_add(out, 1, NULL, "too_many", "一次最多导入 %d 行心愿，这个表格超过了；请分成几个表格导入",
				 WISH_IMPORT_MAX);
	if (rc >= 0 && !out->rows)
		import_error_add(out, 2, NULL, "required", "表格里没有心愿：第一行是列名，从第二行起每行一个心愿");
	if (commit) {
		if (rc >= 0 && !out->nerrors) {
			for (size_t i = 0; i < run.nplans && rc >= 0; i++)
				rc = write_plan(db, who, community_code, &run.plans[i], now);
			snprintf(detail, sizeof(detail), "count %zu", run.nplans);
			if (rc >= 0 && audit_append_detail(db, who, "wish.import", "region", community_code, community_path,
							   "ok", detail) < 0)
				rc = -1;
			if (rc >= 0 && db_commit(db) < 0)
				rc = -1;
			else if (rc >= 0)
				out->written = run.nplans;
			if (rc < 0)
				db_rollback(db);
		} else {
			db_rollback(db);
		}
	}
	plans_free(&run);
	return rc < 0 ? -1 : 0;
}
