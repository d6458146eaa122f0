/* member_sheets.c: members in and out of Excel: the import template, two-step import, export of any list */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/sheet_reply.h"
#include "api/xlsx.h"
#include "base/sheet.h"
#include "base/xalloc.h"
#include "domain/member.h"
#include "domain/member_import.h"
#include "domain/unit.h"

void members_template(struct call *c)
{
	struct xlsx *x = xlsx_start(c, "党员名单", import_columns);

	if (!x)
		return;
	xlsx_row(x, import_example);
	xlsx_send(x, "member-import-template.xlsx");
}

/* The city part of a region path: "/440100000000/…" → "/440100000000/". */
static void city_of(const char *path, char *out, size_t n)
{
	const char *end = path[0] == '/' ? strchr(path + 1, '/') : NULL;

	str_copy(out, n, path);
	if (end && (size_t)(end - path) + 1 < n)
		out[end - path + 1] = '\0';
}

/*
 * Who imports decides the defaults: staff into their community (approved at once), a unit its
 * members (communities found by name in its city), admin anywhere. places is the caller's.
 */
static int defaults_or_reply(struct call *c, struct import_defaults *d, char places[PATH_MAX_LEN])
{
	const struct grant *g = NULL;
	struct unit u;

	memset(d, 0, sizeof(*d));
	places[0] = '\0';
	for (size_t i = 0; !g && i < c->who.ngrants; i++)
		if (c->who.grants[i].role == ROLE_ADMIN || c->who.grants[i].role == ROLE_STAFF ||
		    c->who.grants[i].role == ROLE_UNIT)
			g = &c->who.grants[i];
	if (!g) {
		reply_problem(c, 403, "forbidden", "没有权限导入党员");
		return -1;
	}
	d->channel = g->role == ROLE_UNIT ? CHANNEL_UNIT : CHANNEL_STAFF;
	if (g->role == ROLE_STAFF) {
		d->community_code = g->region_code;
		str_copy(places, PATH_MAX_LEN, g->region_path);
	} else if (g->role == ROLE_UNIT) {
		d->unit_id = g->unit_id;
		if (unit_get(c->db, g->unit_id, &u) != UNIT_OK) {
			reply_internal(c, "reading the importing unit");
			return -1;
		}
		city_of(u.region_path, places, PATH_MAX_LEN);
	}
	d->places = places;
	authz_scope(&c->who, ACT_MEMBER_READ, &d->read);
	authz_scope(&c->who, ACT_REG_DECIDE, &d->edit);
	authz_scope(&c->who, ACT_UNIT_READ, &d->units);
	return 0;
}

/*
 * POST the file itself as the body. Without ?commit=true nothing is written and every row's
 * errors come back with what would be created and updated; with it, the valid rows are written
 * in one transaction (the same file again: the client keeps it between the steps).
 */
void members_import(struct call *c)
{
	struct sheet sh;
	struct import_defaults d;
	struct import_result res;
	const char *commit = req_query(c->req, "commit");
	bool write = commit && !strcmp(commit, "true");
	char places[PATH_MAX_LEN];

	if (defaults_or_reply(c, &d, places) < 0 || sheet_body_or_reply(c, &sh, "请选择要导入的表格文件") < 0)
		return;
	if (member_import(c->db, &c->actor, &sh, &d, write, &res) < 0)
		reply_internal(c, "importing members");
	else
		reply_json(c, 200, import_result_json(&res, write));
	import_result_release(&res);
	sheet_release(&sh);
}

/* The filtered list in the template's columns, so that a corrected export imports again. */
void members_export(struct call *c)
{
	struct member_filter f;
	struct member_export *rows;
	struct scope scope;
	struct member *items;
	struct xlsx *x;
	size_t n;
	int64_t total;
	bool capped;

	if (members_filter_or_reply(c, &f) < 0)
		return;
	authz_scope(&c->who, ACT_MEMBER_READ, &scope);
	if (!(x = xlsx_start(c, "党员名单", import_columns)))
		return;
	rows = member_export_new(c->db);
	/* A page after another, each starting where the last ended: the whole city costs what its rows cost. */
	f.per_page = 500;
	f.page = 1;
	f.no_total = true;
	for (;;) {
		if (member_list(c->db, &scope, &f, &items, &n, &total, &capped) != MEMBER_OK)
			goto fail;
		for (size_t i = 0; i < n; i++) {
			const char *cells[MEMBER_SHEET_COLUMNS];

			if (member_export_row(rows, &items[i], cells) < 0) {
				free(items);
				goto fail;
			}
			xlsx_row(x, cells);
		}
		if (n)
			f.after = items[n - 1].id;
		free(items);
		if (n < (size_t)f.per_page)
			break;
	}
	member_export_free(rows);
	xlsx_send(x, "members.xlsx");
	return;
fail:
	member_export_free(rows);
	xlsx_abandon(x);
	reply_internal(c, "exporting members");
}
