/* feedback.c: feedback to units (在职党员回社区表现反馈表): a unit's members in a period as JSON and .xlsx, the community's comments, a region's units ranked */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/xlsx.h"
#include "base/clock.h"
#include "domain/feedback.h"
#include "domain/member_import.h"

/* Unit {id} in the caller's reach; 404 otherwise. */
static int unit_or_reply(struct call *c, struct unit *u)
{
	return call_unit_or_reply(c, ACT_UNIT_READ, u);
}

static json_t *comment_json(const struct feedback_row *r)
{
	if (!r->comment[0])
		return json_null();
	return json_pack("{s:s, s:s, s:s, s:I}", "text", r->comment, "by", r->comment_by, "community_name",
			 r->comment_community, "at", (json_int_t)r->comment_at);
}

static json_t *row_json(const struct feedback_row *r)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:I, s:b, s:o}", "member_id",
			 (json_int_t)r->member_id, "name", r->name, "state", r->state, "state_label",
			 member_state_label(r->state), "community_code", r->community_code, "community_name",
			 r->community_name, "services", (json_int_t)r->services, "minutes", (json_int_t)r->minutes,
			 "points", (json_int_t)r->points, "tier", tier_names[r->tier], "tier_label", tier_labels[r->tier],
			 "min_services", (json_int_t)r->min_services, "below_minimum", r->below, "comment",
			 comment_json(r));
}

/* What the JSON table gathers in its one pass: the counts of every row, the rows of the page asked. */
struct table {
	bool only_below;
	int64_t from, to; /* the page: rows [from, to) of those listed */
	int64_t listed, members, served, below, commented;
	json_t *items;
};

static int add_row(const struct feedback_row *r, void *arg)
{
	struct table *t = arg;

	t->members++;
	t->served += r->services > 0;
	t->below += r->below;
	t->commented += r->comment[0] != '\0';
	if (t->only_below && !r->below)
		return 0;
	if (t->listed >= t->from && t->listed < t->to && !(t->items = json_push(t->items, row_json(r))))
		return -1;
	t->listed++;
	return 0;
}

/* The unit, the period (default: this half-year) and, for the table, its query; -1 answered. */
static int feedback_args_or_reply(struct call *c, struct unit *u, char period[PERIOD_LEN])
{
	return unit_or_reply(c, u) < 0 || period_or_reply(c, period) < 0 ? -1 : 0;
}

void units_feedback_get(struct call *c)
{
	struct table t = { 0 };
	char period[PERIOD_LEN], first[11], last[11];
	const char *below;
	struct scope scope;
	int64_t page, per_page;
	struct unit u;
	int rc;

	if (feedback_args_or_reply(c, &u, period) < 0 || call_page_or_reply(c, &page, &per_page) < 0 ||
	    call_choice_or_reply(c, "below", (const char *const[]){ "true", "false", NULL }, &below) < 0)
		return;
	t.only_below = below && !strcmp(below, "true");
	t.from = (page - 1) * per_page;
	t.to = t.from + per_page;
	t.items = json_array();
	authz_scope(&c->who, ACT_MEMBER_READ, &scope);
	rc = feedback_unit(c->db, u.id, period, &scope, add_row, &t);
	if (rc != FEEDBACK_OK && t.items) {
		json_decref(t.items);
		reply_internal(c, "reading a unit's feedback");
		return;
	}
	period_bounds(period, first, last);
	reply_json(c, 200,
		   t.items ? json_pack("{s:{s:I, s:s, s:s}, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:I}", "unit",
				       "id", (json_int_t)u.id, "name", u.name, "party_org_name", u.party_org_name,
				       "period", period, "first_day", first, "last_day", last, "members",
				       (json_int_t)t.members, "served", (json_int_t)t.served, "below",
				       (json_int_t)t.below, "commented", (json_int_t)t.commented, "items", t.items,
				       "total", (json_int_t)t.listed, "page", (json_int_t)page, "per_page",
				       (json_int_t)per_page)
			   : NULL);
}

/* The sheet's columns: what the unit reads, as the paper 反馈表 has them. */
static const char *const sheet_columns[] = { "姓名", "报到状态", "报到社区", "服务次数", "服务时长（小时）", "积分",
					     "等级", "最低服务次数", "低于最低要求", "社区评语", "评语社区", NULL };

static int sheet_row(const struct feedback_row *r, void *arg)
{
	char services[24], hours[32], points[24], min[24];
	const char *cells[sizeof(sheet_columns) / sizeof(sheet_columns[0])] = {
		r->name, member_state_label(r->state), r->community_name, services, hours, points,
		tier_labels[r->tier], min, r->below ? "是" : "否", r->comment, r->comment_community,
	};

	snprintf(services, sizeof(services), "%" PRId64, r->services);
	/* Hours with one decimal, to the nearest tenth as the pages say them (shared/earning.js): 45 minutes are 0.8. */
	snprintf(hours, sizeof(hours), "%" PRId64 ".%" PRId64, (r->minutes + 3) / 6 / 10, (r->minutes + 3) / 6 % 10);
	snprintf(points, sizeof(points), "%" PRId64, r->points);
	snprintf(min, sizeof(min), "%" PRId64, r->min_services);
	xlsx_row(arg, cells);
	return 0;
}

/* The same rows as a workbook, written as they are read (constant memory), for the unit to keep. */
void units_feedback_xlsx(struct call *c)
{
	char period[PERIOD_LEN], name[64];
	struct scope scope;
	struct xlsx *x;
	struct unit u;

	if (feedback_args_or_reply(c, &u, period) < 0 || !(x = xlsx_start(c, "反馈表", sheet_columns)))
		return;
	authz_scope(&c->who, ACT_MEMBER_READ, &scope);
	if (feedback_unit(c->db, u.id, period, &scope, sheet_row, x) != FEEDBACK_OK) {
		xlsx_abandon(x);
		reply_internal(c, "exporting a unit's feedback");
		return;
	}
	snprintf(name, sizeof(name), "feedback-%" PRId64 "-%s.xlsx", u.id, period);
	xlsx_send(x, name);
}

void feedback_units_get(struct call *c)
{
	char period[PERIOD_LEN];
	struct feedback_unit_rank *items = NULL;
	int64_t page, per_page, total;
	struct region r;
	size_t n = 0;
	json_t *arr, *o;

	if (region_query_or_reply(c, ACT_UNIT_READ, &r) < 0 || period_or_reply(c, period) < 0 ||
	    call_page_or_reply(c, &page, &per_page) < 0)
		return;
	if (feedback_units(c->db, r.path, period, (page - 1) * per_page, per_page, &items, &n, &total) != FEEDBACK_OK) {
		free(items);
		reply_internal(c, "ranking units");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct feedback_unit_rank *u = &items[i];

		arr = json_push(arr, json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:I, s:I}", "rank", (json_int_t)u->rank,
					       "unit_id", (json_int_t)u->unit_id, "name", u->name, "type", u->type,
					       "region_name", u->region_name, "files", (json_int_t)u->files, "served",
					       (json_int_t)u->served, "points", (json_int_t)u->points));
	}
	free(items);
	o = arr ? page_json(arr, total, page, per_page) : NULL;
	if (o && json_object_update_new(o, json_pack("{s:s, s:s, s:s}", "period", period, "region", r.code, "region_name",
						     r.name)) < 0) {
		json_decref(o);
		o = NULL;
	}
	reply_json(c, 200, o);
}

struct comment_body {
	char *comment;
};

static const struct spec_field comment_spec[] = {
	SPEC(struct comment_body, comment, SPEC_STR, SPEC_REQUIRED, 0, FEEDBACK_COMMENT_MAX),
	{ 0 },
};

/* Path parameter 1: a half-year or a year that has begun; 422 naming period otherwise. */
static int comment_period_or_reply(struct call *c, char out[PERIOD_LEN])
{
	const char *p = c->req->nparams > 1 ? c->req->params[1] : "";
	char today[11], first[11], last[11];

	if (!period_valid(p)) {
		reply_field(c, 422, "period", "format", "应为半年（如 2026H2）或年份（如 2026）");
		return -1;
	}
	clock_date(clock_now(), today);
	period_bounds(p, first, last);
	if (strcmp(first, today) > 0) {
		reply_field(c, 422, "period", "too_late", "该时段还没有开始");
		return -1;
	}
	str_copy(out, PERIOD_LEN, p);
	return 0;
}

void members_feedback_comment(struct call *c)
{
	struct comment_body b = { 0 };
	char period[PERIOD_LEN];
	struct member m;
	int rc;

	if (member_or_reply(c, ACT_RECORD_CONFIRM, &m) < 0 ||
	    call_allow_or_reply(c, ACT_RECORD_CONFIRM, &(struct target){ m.community_path, 0 }) < 0 ||
	    comment_period_or_reply(c, period) < 0 || call_body_or_reply(c, comment_spec, &b) < 0)
		return;
	rc = feedback_comment_set(c->db, &c->actor, m.id, period, b.comment);
	if (rc == FEEDBACK_OK)
		reply_json(c, 200, json_pack("{s:I, s:s, s:s, s:s}", "member_id", (json_int_t)m.id, "period", period,
					     "comment", b.comment, "community_name", m.community_name));
	else if (rc == FEEDBACK_NOT_HERE)
		reply_problem(c, 409, "conflict", "该党员尚未报到到社区，不能填写评语");
	else if (rc == FEEDBACK_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该党员档案");
	else
		reply_internal(c, "writing a feedback comment");
	spec_release(comment_spec, &b);
}
