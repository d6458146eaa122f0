/* rosters.c: a unit's roster: uploaded from a spreadsheet, and who on it has not reported in yet */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "base/clock.h"
#include "base/idcard.h"
#include "base/sheet.h"
#include "base/xalloc.h"
#include "domain/roster.h"
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

/* Columns of a roster sheet: 姓名, 身份证号, 职务 (found by their header in row 1). */
static int find_column(const struct sheet_row *header, const char *name)
{
	for (size_t i = 0; i < header->ncells; i++)
		if (!strcmp(header->cells[i], name))
			return (int)i;
	return -1;
}

static const char *cell_at(const struct sheet_row *r, int col)
{
	return col >= 0 && (size_t)col < r->ncells ? r->cells[col] : "";
}

/* POST the roster spreadsheet as the body; ?commit=true stores the valid rows, otherwise only checks. */
void roster_upload(struct call *c)
{
	struct sheet sh = SHEET_INIT;
	struct roster_row *rows = NULL;
	struct unit u;
	const char *commit = req_query(c->req, "commit");
	json_t *errors = json_array();
	int64_t added = 0, updated = 0, now = clock_now();
	int name_col, id_col, pos_col;
	size_t nrows = 0, data = 0;
	char err[256];
	int rc;

	if (unit_or_reply(c, &u) < 0)
		goto out;
	rc = sheet_read(c->req->body.data ? c->req->body.data : "", c->req->body.len, 20001, 40, &sh, err, sizeof(err));
	if (rc != SHEET_OK) {
		reply_field(c, rc == SHEET_TOO_LARGE ? 413 : 422, "file", rc == SHEET_TOO_LARGE ? "too_large" : "format",
			    c->req->body.len ? err : "请选择要上传的名册文件");
		goto out;
	}
	name_col = sh.nrows ? find_column(&sh.rows[0], "姓名") : -1;
	id_col = sh.nrows ? find_column(&sh.rows[0], "身份证号") : -1;
	pos_col = sh.nrows ? find_column(&sh.rows[0], "职务") : -1;
	if (name_col < 0 || id_col < 0) {
		reply_field(c, 422, "file", "missing_column", "名册第一行应有“姓名”和“身份证号”两列");
		goto out;
	}
	rows = xcalloc(sh.nrows, sizeof(*rows));
	for (size_t i = 1; i < sh.nrows; i++) {
		const char *name = cell_at(&sh.rows[i], name_col), *id = cell_at(&sh.rows[i], id_col);
		struct idcard card;
		int ok = idcard_parse(id, now, &card);

		if (!*name && !*id)
			continue;
		data++;
		if (!*name || ok != IDCARD_OK)
			json_array_append_new(errors, json_pack("{s:I, s:s, s:s}", "row", (json_int_t)(i + 1), "column",
								!*name ? "姓名" : "身份证号", "message",
								!*name ? "必须填写" : idcard_message(ok)));
		else
			rows[nrows++] = (struct roster_row){ name, id, cell_at(&sh.rows[i], pos_col) };
	}
	if (commit && !strcmp(commit, "true") &&
	    roster_add(c->db, &c->actor, u.id, rows, nrows, &added, &updated) < 0) {
		reply_internal(c, "storing a roster");
		goto out;
	}
	reply_json(c, 200, json_pack("{s:I, s:I, s:I, s:I, s:O}", "rows", (json_int_t)data, "valid", (json_int_t)nrows,
				     "added", (json_int_t)added, "updated", (json_int_t)updated, "errors", errors));
out:
	json_decref(errors);
	free(rows);
	sheet_release(&sh);
}
