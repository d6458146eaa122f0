/* quiet.c: the members who have gone quiet (沉寂), for their community and their unit, as a page or a spreadsheet */
#include <stdio.h>
#include <stdlib.h>

#include "api/handlers.h"
#include "api/xlsx.h"
#include "base/clock.h"
#include "domain/quiet.h"

/* The community's staff see the phone, to call; a unit sees where its member lives. */
static json_t *quiet_json(const struct quiet_member *q, int64_t now, bool phone)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I}", "member_id", (json_int_t)q->member_id, "name", q->name,
			      "community_code", q->community_code, "community_name", q->community_name, "since",
			      (json_int_t)q->since, "quiet_days", (json_int_t)q->quiet_days, "days_quiet",
			      (json_int_t)((now - q->since) / 86400));

	json_object_set_new(o, "last_served", q->last_served ? json_integer(q->last_served) : json_null());
	json_object_set_new(o, "unit", q->unit_id ? json_pack("{s:I, s:s}", "id", (json_int_t)q->unit_id, "name", q->unit_name)
						 : json_null());
	if (phone)
		json_object_set_new(o, "phone", json_string(q->phone));
	return o;
}

static void reply_page(struct call *c, struct quiet_member *items, size_t n, int64_t now, bool phone)
{
	int64_t page, per_page;
	json_t *arr = json_array();

	if (call_page_or_reply(c, &page, &per_page) < 0) {
		json_decref(arr);
		return;
	}
	for (int64_t i = (page - 1) * per_page; i < (int64_t)n && i < page * per_page; i++)
		arr = json_push(arr, quiet_json(&items[i], now, phone));
	reply_json(c, 200, page_json(arr, (int64_t)n, page, per_page));
}

static void send_sheet(struct call *c, struct quiet_member *items, size_t n, int64_t now, bool phone,
		       const char *filename)
{
	static const char *const community_header[] = { "姓名", "手机号", "所在单位", "最近一次服务", "沉寂天数", NULL };
	static const char *const unit_header[] = { "姓名", "居住社区", "最近一次服务", "沉寂天数", NULL };
	struct xlsx *x = xlsx_start(c, "沉寂党员", phone ? community_header : unit_header);

	if (!x)
		return;
	for (size_t i = 0; i < n; i++) {
		char day[11], days[24];
		const char *last = "从未服务";

		if (items[i].last_served) {
			clock_date(items[i].last_served, day);
			last = day;
		}
		snprintf(days, sizeof(days), "%lld", (long long)((now - items[i].since) / 86400));
		const char *row_c[] = { items[i].name, items[i].phone, items[i].unit_name, last, days };
		const char *row_u[] = { items[i].name, items[i].community_name, last, days };

		xlsx_row(x, phone ? row_c : row_u);
	}
	xlsx_send(x, filename);
}

static void community_quiet(struct call *c, bool sheet)
{
	struct quiet_member *items;
	struct region r;
	int64_t now = clock_now();
	size_t n;

	if (call_region_or_reply(c, ACT_MEMBER_READ, "community", &r) < 0)
		return;
	if (quiet_in_community(c->db, &r, now, &items, &n) < 0) {
		reply_internal(c, "listing quiet members");
		return;
	}
	if (sheet)
		send_sheet(c, items, n, now, true, "quiet-members.xlsx");
	else
		reply_page(c, items, n, now, true);
	free(items);
}

static void unit_quiet(struct call *c, bool sheet)
{
	struct quiet_member *items;
	struct unit u;
	int64_t now = clock_now();
	size_t n;

	if (call_unit_or_reply(c, ACT_ROSTER, &u) < 0)
		return;
	if (quiet_in_unit(c->db, u.id, now, &items, &n) < 0) {
		reply_internal(c, "listing a unit's quiet members");
		return;
	}
	if (sheet)
		send_sheet(c, items, n, now, false, "unit-quiet-members.xlsx");
	else
		reply_page(c, items, n, now, false);
	free(items);
}

void community_quiet_list(struct call *c) { community_quiet(c, false); }
void community_quiet_xlsx(struct call *c) { community_quiet(c, true); }
void unit_quiet_list(struct call *c) { unit_quiet(c, false); }
void unit_quiet_xlsx(struct call *c) { unit_quiet(c, true); }
