/* today.c: a community's work of today (今日待办) and its monthly report form (城市党建日), docs/stats.md */
#include <stdio.h>
#include <stdlib.h>

#include "api/handlers.h"
#include "api/out.h"
#include "api/xlsx.h"
#include "base/clock.h"
#include "domain/stats_rollup.h"
#include "domain/today.h"

static json_t *activities_json(const struct community_today *t)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < t->nshort; i++) {
		const struct today_activity *a = &t->short_activities[i];

		arr = json_push(arr, json_pack("{s:I, s:s, s:I, s:I, s:I}", "id", (json_int_t)a->id, "title", a->title,
					       "starts_at", (json_int_t)a->starts_at, "signed", (json_int_t)a->signed_up,
					       "capacity", (json_int_t)a->capacity));
	}
	return arr;
}

static json_t *shifts_json(const struct community_today *t)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < t->nshifts; i++) {
		const struct today_shift *s = &t->open_shifts[i];

		arr = json_push(arr, json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:I, s:I}", "id", (json_int_t)s->id, "post_id",
					       (json_int_t)s->post_id, "post_name", s->post_name, "day", s->day,
					       "start_min", (json_int_t)s->start_min, "end_min", (json_int_t)s->end_min,
					       "places", (json_int_t)s->places, "filled", (json_int_t)s->filled));
	}
	return arr;
}

void community_today_get(struct call *c)
{
	struct community_today t;
	struct region r;
	json_t *o;

	if (call_region_or_reply(c, ACT_MEMBER_READ, "community", &r) < 0)
		return;
	if (community_today(c->db, &r, clock_now(), &t) < 0) {
		reply_internal(c, "counting today's work");
		return;
	}
	o = json_pack("{s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "region", region_json(&r),
		      "registrations_pending", (json_int_t)t.registrations_pending, "records_pending",
		      (json_int_t)t.records_pending, "requests_asked", (json_int_t)t.requests_asked, "care_overdue",
		      (json_int_t)t.care_overdue, "needs_new", (json_int_t)t.needs_new, "needs_to_dispatch",
		      (json_int_t)t.needs_to_dispatch, "wishes_to_approve", (json_int_t)t.wishes_to_approve, "quiet",
		      (json_int_t)t.quiet);
	/* Where each figure is acted on: the console's page (under /admin), the list it counts. */
	json_object_set_new(o, "links",
			    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "registrations_pending", "/approvals",
				      "records_pending", "/records", "requests_asked", "/records/requests", "care_overdue",
				      "/care?tab=overdue", "needs_new", "/needs?state=submitted", "needs_to_dispatch",
				      "/needs?state=accepted", "wishes_to_approve", "/wishes?state=submitted", "quiet", "/quiet",
				      "activities_short", "/activities", "shifts_open", "/duty"));
	json_object_set_new(o, "activities_short", activities_json(&t));
	json_object_set_new(o, "shifts_open", shifts_json(&t));
	community_today_free(&t);
	reply_json(c, 200, o);
}

/* The community of {code} and ?month= (default this one), counted; -1 answered. */
static int report_or_reply(struct call *c, struct region *r, char month[STATS_MONTH_BYTES], struct monthly_report *m)
{
	const char *q;

	if (call_region_or_reply(c, ACT_MEMBER_READ, "community", r) < 0 || call_query_or_reply(c, "month", 7, &q) < 0)
		return -1;
	if (q && !stats_month_valid(q)) {
		reply_query(c, "month", "format", "月份格式应为 YYYY-MM");
		return -1;
	}
	if (q)
		str_copy(month, STATS_MONTH_BYTES, q);
	else
		stats_month_of(clock_now(), month);
	if (community_monthly_report(c->db, r, month, m) < 0) {
		reply_internal(c, "counting the monthly report");
		return -1;
	}
	return 0;
}

void community_monthly_report_get(struct call *c)
{
	char month[STATS_MONTH_BYTES];
	struct monthly_report m;
	struct region r;
	json_t *o;

	if (report_or_reply(c, &r, month, &m) < 0)
		return;
	o = json_pack("{s:o, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "region", region_json(&r),
		      "month", month, "activities", (json_int_t)m.activities, "signups", (json_int_t)m.signups,
		      "attended", (json_int_t)m.attended, "unit_members_serving", (json_int_t)m.unit_members_serving,
		      "members_living", (json_int_t)m.members_living, "needs_taken", (json_int_t)m.needs_taken,
		      "needs_done", (json_int_t)m.needs_done, "wishes_done", (json_int_t)m.wishes_done, "services",
		      (json_int_t)m.services, "minutes", (json_int_t)m.minutes, "active_members",
		      (json_int_t)m.active_members);
	/* checked in %: attended of those signed up, per mille; null when no one signed up */
	json_object_set_new(o, "checkin_permille", m.signups ? json_integer(m.attended * 1000 / m.signups) : json_null());
	/* 楼栋长 / owners' committee: baodao keeps no such post or tag yet (docs/stats.md) */
	json_object_set_new(o, "building_heads", json_null());
	{
		int64_t ran_at;

		json_object_set_new(o, "as_of", stats_last_run(c->db, &ran_at) == 0 && ran_at ? json_integer(ran_at)
										      : json_null());
	}
	reply_json(c, 200, o);
}

/* The form as one sheet: 项目, 数量 (the page's lines), to hand in. */
void community_monthly_report_xlsx(struct call *c)
{
	static const char *const header[] = { "项目", "数量", NULL };
	static const char *const labels[] = { "开展活动（场）", "单位党员到社区服务（人）", "居住地报到党员（人）",
					      "承接群众问题（件）", "解决群众问题（件）", "党员签到率",
					      "党员担任楼栋长、业委会成员（人）", "点亮微心愿（个）", "志愿服务（人次）",
					      "服务时长（小时）", "参与服务党员（人）" };
	char month[STATS_MONTH_BYTES], v[11][32], name[64];
	struct monthly_report m;
	struct region r;
	struct xlsx *x;

	if (report_or_reply(c, &r, month, &m) < 0)
		return;
	snprintf(v[0], sizeof(v[0]), "%lld", (long long)m.activities);
	snprintf(v[1], sizeof(v[1]), "%lld", (long long)m.unit_members_serving);
	snprintf(v[2], sizeof(v[2]), "%lld", (long long)m.members_living);
	snprintf(v[3], sizeof(v[3]), "%lld", (long long)m.needs_taken);
	snprintf(v[4], sizeof(v[4]), "%lld", (long long)m.needs_done);
	if (m.signups)
		snprintf(v[5], sizeof(v[5]), "%lld.%lld%%", (long long)(m.attended * 1000 / m.signups / 10),
			 (long long)(m.attended * 1000 / m.signups % 10));
	else
		snprintf(v[5], sizeof(v[5]), "—");
	snprintf(v[6], sizeof(v[6]), "—");
	snprintf(v[7], sizeof(v[7]), "%lld", (long long)m.wishes_done);
	snprintf(v[8], sizeof(v[8]), "%lld", (long long)m.services);
	snprintf(v[9], sizeof(v[9]), "%lld.%lld", (long long)((m.minutes * 10 + 30) / 60 / 10),
		 (long long)((m.minutes * 10 + 30) / 60 % 10));
	snprintf(v[10], sizeof(v[10]), "%lld", (long long)m.active_members);
	if (!(x = xlsx_start(c, "社区月报表", header)))
		return;
	xlsx_row(x, (const char *const[]){ "社区", r.name });
	xlsx_row(x, (const char *const[]){ "月份", month });
	for (int i = 0; i < 11; i++)
		xlsx_row(x, (const char *const[]){ labels[i], v[i] });
	snprintf(name, sizeof(name), "monthly-report-%s-%s.xlsx", r.code, month);
	xlsx_send(x, name);
}
