/* rosters.c: a unit's roster: uploaded from a spreadsheet, and who on it has not reported in yet */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/sheet_reply.h"
#include "api/xlsx.h"
#include "domain/member_import.h"
#include "base/sheet.h"
#include "domain/roster.h"
#include "domain/roster_import.h"
#include "domain/unit.h"

/* Unit {id} in the caller's reach; 404 otherwise. */
static int unit_or_reply(struct call *c, struct unit *u)
{
	return call_unit_or_reply(c, ACT_ROSTER, u);
}

static const char *const statuses[] = { "not_reported", "pending", "reported", NULL };

static enum roster_status status_of(const char *s)
{
	return !s ? ROSTER_ALL : !strcmp(s, "not_reported") ? ROSTER_NOT_REPORTED
				: !strcmp(s, "pending")	     ? ROSTER_PENDING
							     : ROSTER_REPORTED;
}

void roster_get(struct call *c)
{
	struct roster_entry *items;
	struct unit u;
	const char *filter;
	int64_t page, per_page, total;
	size_t n;
	json_t *arr;

	if (unit_or_reply(c, &u) < 0 || call_choice_or_reply(c, "status", statuses, &filter) < 0 ||
	    call_page_or_reply(c, &page, &per_page) < 0)
		return;
	if (roster_list(c->db, u.id, status_of(filter), page, per_page, &items, &n, &total) < 0) {
		reply_internal(c, "listing a roster");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)items[i].id,
						     "name", items[i].name, "id_number_masked", items[i].id_masked,
						     "position", items[i].position, "member_id",
						     (json_int_t)items[i].member_id, "state", items[i].state,
						     "community_name", items[i].community_name));
	free(items);
	reply_json(c, 200, page_json(arr, total, page, per_page));
}

/* The roster (or part of it, by status: not_reported, pending, reported) as .xlsx, for chasing people up. */
void roster_export(struct call *c)
{
	static const char *const header[] = { "姓名", "身份证号（已脱敏）", "职务", "报到状态", "报到社区", NULL };
	struct roster_entry *items;
	struct unit u;
	const char *filter;
	struct xlsx *x;
	int64_t total;
	size_t n;

	if (unit_or_reply(c, &u) < 0 || call_choice_or_reply(c, "status", statuses, &filter) < 0 ||
	    !(x = xlsx_start(c, filter && !strcmp(filter, "not_reported") ? "未报到名单" : "名册", header)))
		return;
	for (int64_t page = 1;; page++) {
		if (roster_list(c->db, u.id, status_of(filter), page, 500, &items, &n, &total) < 0) {
			xlsx_abandon(x);
			reply_internal(c, "exporting a roster");
			return;
		}
		for (size_t i = 0; i < n; i++) {
			const char *cells[] = { items[i].name, items[i].id_masked, items[i].position,
						*items[i].state ? member_state_label(items[i].state) : "未报到",
						items[i].community_name };

			xlsx_row(x, cells);
		}
		free(items);
		if (n < 500)
			break;
	}
	xlsx_send(x, filter && !strcmp(filter, "not_reported") ? "roster-not-reported.xlsx" : "roster.xlsx");
}

/* POST the roster spreadsheet as the body; ?commit=true stores the valid rows, otherwise only checks. */
void roster_upload(struct call *c)
{
	struct sheet sh;
	struct import_result res;
	struct unit u;
	const char *commit = req_query(c->req, "commit");
	bool write = commit && !strcmp(commit, "true");

	if (unit_or_reply(c, &u) < 0 || sheet_body_or_reply(c, &sh, "请选择要上传的名册文件") < 0)
		return;
	if (roster_import(c->db, &c->actor, u.id, &sh, write, &res) < 0)
		reply_internal(c, "storing a roster");
	else
		reply_json(c, 200, import_result_json(&res, write));
	import_result_release(&res);
	sheet_release(&sh);
}
