/* rosters.c: a unit's roster: uploaded from a spreadsheet, and who on it has not reported in yet */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/sheet_reply.h"
#include "base/sheet.h"
#include "domain/roster.h"
#include "domain/roster_import.h"
#include "domain/unit.h"

/* The unit {id} if the caller may work on its roster; 404 otherwise. */
static int unit_or_reply(struct call *c, struct unit *u)
{
	struct target t;
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = unit_get(c->db, id, u);
	if (rc == UNIT_OK) {
		t = (struct target){ u->region_path, u->id };
		if (authz_allows(&c->who, ACT_ROSTER, &t))
			return 0;
		rc = UNIT_NOT_FOUND;
	}
	if (rc == UNIT_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该单位");
	else
		reply_internal(c, "reading a unit");
	return -1;
}

void roster_get(struct call *c)
{
	struct roster_entry *items;
	struct unit u;
	const char *filter;
	int64_t page, per_page, total;
	size_t n;
	json_t *arr;

	if (unit_or_reply(c, &u) < 0 || call_query_or_reply(c, "status", 16, &filter) < 0 ||
	    call_page_or_reply(c, &page, &per_page) < 0)
		return;
	if (roster_list(c->db, u.id, filter && !strcmp(filter, "not_reported"), page, per_page, &items, &n, &total) < 0) {
		reply_internal(c, "listing a roster");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)items[i].id,
						     "name", items[i].name, "id_number_masked", items[i].id_masked,
						     "position", items[i].position, "member_id",
						     (json_int_t)items[i].member_id, "state", items[i].state,
						     "community_name", items[i].community_name));
	free(items);
	reply_json(c, 200, page_json(arr, total, page, per_page));
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
