/* campaign_sheets.c: a campaign's results as an .xlsx workbook: every household, how it was found, the form's answers */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/activity_api.h"
#include "api/handlers.h"
#include "api/xlsx.h"
#include "base/clock.h"
#include "domain/campaign.h"

/* The console's words for a household's state (web/src/locales/zh-CN/admin.js, campaigns.states). */
static const char *state_words(const char *state)
{
	static const char *const from[] = { "todo", "visited", "absent", "declined", "empty" };
	static const char *const words[] = { "未走访", "已走访", "无人在家", "拒绝", "空置" };

	for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++)
		if (!strcmp(from[i], state))
			return words[i];
	return state;
}

struct sheet_run {
	struct xlsx *x;
	size_t nfields;
};

static int row(const struct campaign_export_row *r, void *arg)
{
	struct sheet_run *run = arg;
	char floor[24] = "", day[11], hm[6], at[20] = "";
	const char *cells[8 + CATALOG_FIELDS_MAX + 1];
	size_t k = 0;

	if (r->has_floor)
		snprintf(floor, sizeof(floor), "%lld", (long long)r->floor);
	if (r->marks) {
		clock_date(r->updated_at, day);
		activity_clock(r->updated_at, hm);
		snprintf(at, sizeof(at), "%s %s", day, hm);
	}
	cells[k++] = r->grid_name;
	cells[k++] = r->building_name;
	cells[k++] = r->unit_no;
	cells[k++] = floor;
	cells[k++] = r->room;
	cells[k++] = state_words(r->state);
	cells[k++] = r->member_name;
	cells[k++] = at;
	for (size_t i = 0; i < run->nfields; i++)
		cells[k++] = r->answers[i];
	xlsx_row(run->x, cells);
	return 0;
}

/* GET /campaigns/{id}/export.xlsx: for staff who follow it, one row a household in building order. */
void campaigns_export(struct call *c)
{
	struct campaign *cp = xmalloc(sizeof(*cp));
	const char *header[8 + CATALOG_FIELDS_MAX + 1] = { "网格", "楼栋", "单元", "楼层", "房号", "状态", "走访党员",
							    "最后标记时间" };
	struct sheet_run run = { NULL, 0 };
	char name[64];
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		goto out;
	rc = campaign_head(c->db, id, cp);
	if (rc == CAMPAIGN_OK && !authz_allows(&c->who, ACT_SERVE_READ, &(struct target){ cp->region_path, 0 }))
		rc = CAMPAIGN_NOT_FOUND;
	if (rc != CAMPAIGN_OK) {
		if (rc == CAMPAIGN_NOT_FOUND)
			reply_problem(c, 404, "not_found", "找不到该行动");
		else
			reply_internal(c, "reading a campaign");
		goto out;
	}
	run.nfields = cp->nfields;
	for (size_t i = 0; i < cp->nfields; i++)
		header[8 + i] = cp->fields[i].name;
	if (!(run.x = xlsx_start(c, "走访结果", header)))
		goto out;
	if (campaign_export(c->db, cp->id, row, &run) != CAMPAIGN_OK) {
		xlsx_abandon(run.x);
		reply_internal(c, "exporting a campaign");
		goto out;
	}
	snprintf(name, sizeof(name), "campaign-%lld.xlsx", (long long)cp->id);
	xlsx_send(run.x, name);
out:
	free(cp);
}
