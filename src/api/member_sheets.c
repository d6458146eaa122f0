/* member_sheets.c: members in and out of Excel: the import template, two-step import, export of any list */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/xlsx.h"
#include "base/sheet.h"
#include "domain/member.h"
#include "domain/member_import.h"
#include "domain/region.h"

#define IMPORT_ROWS_MAX 20000
#define IMPORT_COLS_MAX 40

void members_template(struct call *c)
{
	struct xlsx *x = xlsx_start(c, "党员名单", import_columns);

	if (!x)
		return;
	xlsx_row(x, import_example);
	xlsx_send(x, "member-import-template.xlsx");
}

/* Who imports decides the defaults: staff into their community (approved at once), a unit its members. */
static int defaults_or_reply(struct call *c, struct import_defaults *d)
{
	memset(d, 0, sizeof(*d));
	for (size_t i = 0; i < c->who.ngrants; i++) {
		const struct grant *g = &c->who.grants[i];

		if (g->role == ROLE_ADMIN) {
			d->channel = CHANNEL_STAFF;
			return 0;
		}
		if (g->role == ROLE_STAFF) {
			d->community_code = g->region_code;
			d->channel = CHANNEL_STAFF;
			return 0;
		}
		if (g->role == ROLE_UNIT) {
			d->unit_id = g->unit_id;
			d->channel = CHANNEL_UNIT;
			return 0;
		}
	}
	reply_problem(c, 403, "forbidden", "没有权限导入党员");
	return -1;
}

static json_t *result_json(const struct import_result *r, bool committed)
{
	json_t *errors = json_array();

	for (size_t i = 0; i < r->nerrors; i++) {
		const struct import_error *e = &r->errors[i];

		json_array_append_new(errors, json_pack("{s:I, s:s, s:s, s:s, s:s}", "row", (json_int_t)e->row, "column",
							e->column, "field", e->field, "code", e->code, "message",
							e->message));
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:b, s:o}", "rows", (json_int_t)r->rows, "valid", (json_int_t)r->valid,
			 "invalid", (json_int_t)(r->rows - r->valid), "written", (json_int_t)r->written,
			 "committed", committed, "errors", errors);
}

/*
 * POST the file itself as the body. Without ?commit=true nothing is written
 * and every row's errors come back; with it, the valid rows are written in
 * one transaction (the same file again: the client keeps it between the steps).
 */
void members_import(struct call *c)
{
	struct sheet sh = SHEET_INIT;
	struct import_defaults d;
	struct import_result res;
	const char *commit = req_query(c->req, "commit");
	bool write = commit && !strcmp(commit, "true");
	char err[256];
	int rc;

	if (defaults_or_reply(c, &d) < 0)
		return;
	if (!c->req->body.len) {
		reply_field(c, 422, "file", "required", "请选择要导入的表格文件");
		return;
	}
	rc = sheet_read(c->req->body.data, c->req->body.len, IMPORT_ROWS_MAX + 1, IMPORT_COLS_MAX, &sh, err,
			sizeof(err));
	if (rc != SHEET_OK) {
		reply_field(c, rc == SHEET_TOO_LARGE ? 413 : 422, "file", rc == SHEET_TOO_LARGE ? "too_large" : "format",
			    err);
		return;
	}
	if (member_import(c->db, &c->actor, &sh, &d, write, &res) < 0)
		reply_internal(c, "importing members");
	else
		reply_json(c, 200, result_json(&res, write));
	import_result_release(&res);
	sheet_release(&sh);
}

void members_export(struct call *c)
{
	static const char *const header[] = { "姓名", "性别", "出生日期", "手机号", "身份证号（已脱敏）", "工作单位",
					      "职务", "所在党支部", "入党日期", "报到社区", "详细地址", "特长",
					      "党员户挂牌", "报到状态", NULL };
	struct member_filter f = { 0 };
	struct scope scope;
	struct member *items;
	struct xlsx *x;
	size_t n;
	int64_t total;

	if (call_query_or_reply(c, "community", 18, &f.community) < 0 ||
	    call_int_or_reply(c, "unit_id", 1, INT64_MAX, &f.unit_id) < 0 ||
	    call_query_or_reply(c, "state", 16, &f.state) < 0 || call_query_or_reply(c, "specialty", 20, &f.specialty) < 0 ||
	    call_query_or_reply(c, "q", 50, &f.q) < 0)
		return;
	authz_scope(&c->who, ACT_MEMBER_READ, &scope);
	if (!(x = xlsx_start(c, "党员名单", header)))
		return;
	/* Page by page, so a district's whole list never sits in memory at once. */
	f.per_page = 500;
	for (f.page = 1;; f.page++) {
		if (member_list(c->db, &scope, &f, &items, &n, &total) != MEMBER_OK) {
			xlsx_abandon(x);
			reply_internal(c, "listing members");
			return;
		}
		for (size_t i = 0; i < n; i++) {
			const struct member *m = &items[i];
			const char *row[] = { m->name, m->gender == 'M' ? "男" : "女", m->birth_date, m->phone,
					      m->id_masked, m->unit_name, m->position, m->party_branch,
					      m->joined_party_on, m->community_name, m->address, m->specialties,
					      m->plaque_hung ? "是" : "否", m->state };

			xlsx_row(x, row);
		}
		free(items);
		if (n < (size_t)f.per_page)
			break;
	}
	xlsx_send(x, "members.xlsx");
}
