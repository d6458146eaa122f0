/* stats.c: the workbench's numbers: a region's files and queue, its children ranked, its units' report-in rates, monthly figures */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/out.h"
#include "api/xlsx.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/stats.h"
#include "domain/stats_rollup.h"

/* {"approved": n, …, "without_account", "queue", "rate_permille"} */
static json_t *files_json(const struct stats_files *f)
{
	json_t *o = json_object(), *states = json_object();
	int64_t total = 0;

	for (int i = 0; i < STATS_STATES; i++) {
		json_object_set_new(states, stats_states[i], json_integer(f->by_state[i]));
		total += f->by_state[i];
	}
	json_object_set_new(o, "by_state", states);
	json_object_set_new(o, "total", json_integer(total));
	json_object_set_new(o, "without_account", json_integer(f->without_account));
	json_object_set_new(o, "queue", json_integer(f->queue));
	json_object_set_new(o, "rate_permille", json_integer(stats_rate(f)));
	return o;
}

static json_t *unit_json_of(const struct stats_unit *u)
{
	int64_t rest = u->roster - u->reported - u->pending;

	return json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "unit_id", (json_int_t)u->unit_id, "name", u->name,
			 "roster", (json_int_t)u->roster, "reported", (json_int_t)u->reported, "pending",
			 (json_int_t)u->pending, "not_reported", (json_int_t)(rest > 0 ? rest : 0), "here",
			 (json_int_t)u->here, "rate_permille",
			 (json_int_t)(u->roster ? u->reported * 1000 / u->roster : 0));
}

/* The region {code} if the caller may read the files under it; 404 otherwise (its numbers are not told). */
static int region_or_reply(struct call *c, struct region *r)
{
	return call_region_or_reply(c, ACT_MEMBER_READ, NULL, r);
}

void stats_region_get(struct call *c)
{
	struct stats_files f;
	struct region r;

	if (region_or_reply(c, &r) < 0)
		return;
	if (stats_files(c->db, r.path, &f) < 0) {
		reply_internal(c, "counting files");
		return;
	}
	reply_json(c, 200, json_pack("{s:o, s:o}", "region", region_json(&r), "files", files_json(&f)));
}

/* The children ranked: by rate (default), by the files reported in, or by the queue; lowest first with order=asc. */
void stats_region_children(struct call *c)
{
	static const char *const sorts[] = { "rate", "approved", "queue", "code", NULL };
	struct stats_region *items;
	const char *sort, *order;
	struct region r;
	size_t n;
	json_t *arr;

	if (region_or_reply(c, &r) < 0 || call_choice_or_reply(c, "sort", sorts, &sort) < 0 ||
	    call_choice_or_reply(c, "order", (const char *const[]){ "asc", "desc", NULL }, &order) < 0)
		return;
	if (stats_children(c->db, &r, &items, &n) < 0) {
		reply_internal(c, "counting files by region");
		return;
	}
	stats_rank(items, n, sort ? sort : "rate", order && !strcmp(order, "asc"));
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:s, s:s, s:s, s:o}", "code", items[i].region.code, "name",
					       items[i].region.name, "level", items[i].region.level, "files",
					       files_json(&items[i].files)));
	free(items);
	reply_json(c, 200, json_pack("{s:o, s:o}", "region", region_json(&r), "items", arr));
}

/*
 * The units of a region with their rosters against report-ins: for a
 * community with by=living, the units whose members live there (and how many
 * reported in here); otherwise the units placed under the region, ranked by
 * rate (lowest first with order=asc), a page at a time.
 */
void stats_region_units(struct call *c)
{
	struct stats_unit *items;
	const char *by, *order;
	struct region r;
	int64_t page, per_page, total;
	size_t n;
	json_t *arr;
	int rc;

	if (region_or_reply(c, &r) < 0 || call_choice_or_reply(c, "by", (const char *const[]){ "living", "placed", NULL }, &by) < 0 ||
	    call_choice_or_reply(c, "order", (const char *const[]){ "asc", "desc", NULL }, &order) < 0 ||
	    call_page_or_reply(c, &page, &per_page) < 0)
		return;
	if (by && !strcmp(by, "living") && strcmp(r.level, "community")) {
		reply_problem(c, 400, "bad_query", "by=living 只用于社区");
		return;
	}
	if (by && !strcmp(by, "living")) {
		rc = stats_units_living(c->db, r.code, &items, &n);
		total = (int64_t)n;
		page = 1;
		per_page = (int64_t)n;
	} else {
		rc = stats_units_under(c->db, r.path, order && !strcmp(order, "asc"), (page - 1) * per_page, per_page,
				       &items, &n, &total);
	}
	if (rc < 0) {
		reply_internal(c, "counting units");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, unit_json_of(&items[i]));
	free(items);
	reply_json(c, 200, page_json(arr, total, page, per_page));
}

void stats_unit_get(struct call *c)
{
	struct stats_unit s;
	struct unit u;
	int rc;

	if (call_unit_or_reply(c, ACT_ROSTER, &u) < 0)
		return;
	if ((rc = stats_unit(c->db, u.id, &s)) != 0)
		rc = rc > 0 ? UNIT_NOT_FOUND : UNIT_ERROR;
	if (rc == UNIT_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该单位");
	else if (rc != UNIT_OK)
		reply_internal(c, "counting a unit");
	else
		reply_json(c, 200, unit_json_of(&s));
}

/*
 * ?from=YYYY-MM&to=YYYY-MM: to defaults to this month, from to eleven months
 * before to; at most STATS_MONTHS_MAX months. 400 naming the argument.
 */
static int months_or_reply(struct call *c, char from[STATS_MONTH_BYTES], char to[STATS_MONTH_BYTES])
{
	const char *f = NULL, *t = NULL;

	if (call_query_or_reply(c, "from", 7, &f) < 0 || call_query_or_reply(c, "to", 7, &t) < 0)
		return -1;
	if (f && !stats_month_valid(f)) {
		reply_query(c, "from", "format", "月份格式应为 YYYY-MM");
		return -1;
	}
	if (t && !stats_month_valid(t)) {
		reply_query(c, "to", "format", "月份格式应为 YYYY-MM");
		return -1;
	}
	if (t)
		str_copy(to, STATS_MONTH_BYTES, t);
	else
		stats_month_of(clock_now(), to);
	if (f)
		str_copy(from, STATS_MONTH_BYTES, f);
	else
		stats_month_add(to, -11, from);
	if (!stats_month_span(from, to)) {
		reply_query(c, "from", "range", "起始月份不能晚于结束月份");
		return -1;
	}
	if (stats_month_span(from, to) > STATS_MONTHS_MAX) {
		reply_query(c, "from", "range", "一次最多查询 120 个月");
		return -1;
	}
	return 0;
}

static json_t *metrics_json(const int64_t *v, int n)
{
	json_t *o = json_object();

	for (int m = 0; m < n; m++)
		json_object_set_new(o, stats_metrics[m], json_integer(v[m]));
	return o;
}

static json_t *months_json(const struct stats_month_row *rows, size_t n, int nmetrics)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = metrics_json(rows[i].v, nmetrics);

		json_object_set_new(o, "month", json_string(rows[i].month));
		arr = json_push(arr, o);
	}
	return arr;
}

static json_t *as_of_json(struct call *c)
{
	int64_t ran_at;

	return stats_last_run(c->db, &ran_at) == 0 && ran_at ? json_integer(ran_at) : json_null();
}

/* A region's figures month by month, and each child's over the whole span (docs/stats.md). */
void stats_region_months_get(struct call *c)
{
	char from[STATS_MONTH_BYTES], to[STATS_MONTH_BYTES];
	struct stats_month_row *rows;
	struct stats_child_row *kids;
	size_t n, nkids;
	struct region r;
	json_t *arr;

	if (region_or_reply(c, &r) < 0 || months_or_reply(c, from, to) < 0)
		return;
	if (stats_region_months(c->db, r.code, from, to, &rows, &n) < 0) {
		reply_internal(c, "reading monthly figures");
		return;
	}
	if (stats_children_months(c->db, r.code, from, to, &kids, &nkids) < 0) {
		free(rows);
		reply_internal(c, "reading the children's monthly figures");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < nkids; i++) {
		json_t *o = metrics_json(kids[i].v, STATS_METRICS);

		json_object_set_new(o, "code", json_string(kids[i].region.code));
		json_object_set_new(o, "name", json_string(kids[i].region.name));
		json_object_set_new(o, "level", json_string(kids[i].region.level));
		arr = json_push(arr, o);
	}
	reply_json(c, 200, json_pack("{s:o, s:s, s:s, s:o, s:o, s:o}", "region", region_json(&r), "from", from, "to", to,
				     "as_of", as_of_json(c), "months", months_json(rows, n, STATS_METRICS), "children",
				     arr));
	free(rows);
	free(kids);
}

/* One spreadsheet row: the first column, then the figures (minutes as hours with one decimal). */
static void figures_row(struct xlsx *x, const char *first, const int64_t *v)
{
	char cells[STATS_METRICS][24];
	const char *row[STATS_METRICS + 1] = { first };

	for (int m = 0; m < STATS_METRICS; m++) {
		if (m == STATS_MINUTES)
			snprintf(cells[m], sizeof(cells[m]), "%lld.%lld", (long long)(v[m] / 60),
				 (long long)((v[m] % 60 + 60) % 60 * 10 / 60));
		else
			snprintf(cells[m], sizeof(cells[m]), "%lld", (long long)v[m]);
		row[m + 1] = cells[m];
	}
	xlsx_row(x, row);
}

/* The same figures as a spreadsheet: the region's months (default), or with rows=children its children's. */
void stats_region_months_xlsx(struct call *c)
{
	static const char *const figures[] = { "服务人次", "服务时长（小时）", "参与服务党员", "获得积分", "举办活动",
					       "报名人次", "签到人次", "办结需求", "圆梦心愿" };
	char from[STATS_MONTH_BYTES], to[STATS_MONTH_BYTES];
	const char *header[STATS_METRICS + 2], *rows_of;
	struct region r;
	struct xlsx *x;
	bool children;
	size_t n;

	if (region_or_reply(c, &r) < 0 || months_or_reply(c, from, to) < 0 ||
	    call_choice_or_reply(c, "rows", (const char *const[]){ "months", "children", NULL }, &rows_of) < 0)
		return;
	children = rows_of && !strcmp(rows_of, "children");
	header[0] = children ? "区划" : "月份";
	for (int m = 0; m < STATS_METRICS; m++)
		header[m + 1] = figures[m];
	header[STATS_METRICS + 1] = NULL;
	if (children) {
		struct stats_child_row *kids;

		if (stats_children_months(c->db, r.code, from, to, &kids, &n) < 0) {
			reply_internal(c, "reading the children's monthly figures");
			return;
		}
		if ((x = xlsx_start(c, "下级区划", header))) {
			for (size_t i = 0; i < n; i++)
				figures_row(x, kids[i].region.name, kids[i].v);
			xlsx_send(x, "stats-children.xlsx");
		}
		free(kids);
		return;
	}
	struct stats_month_row *months;

	if (stats_region_months(c->db, r.code, from, to, &months, &n) < 0) {
		reply_internal(c, "reading monthly figures");
		return;
	}
	if ((x = xlsx_start(c, "逐月", header))) {
		for (size_t i = 0; i < n; i++)
			figures_row(x, months[i].month, months[i].v);
		xlsx_send(x, "stats-months.xlsx");
	}
	free(months);
}

/* A unit's members' figures month by month, wherever they serve. */
void stats_unit_months_get(struct call *c)
{
	char from[STATS_MONTH_BYTES], to[STATS_MONTH_BYTES];
	struct stats_month_row *rows;
	struct unit u;
	size_t n;

	if (call_unit_or_reply(c, ACT_ROSTER, &u) < 0 || months_or_reply(c, from, to) < 0)
		return;
	if (stats_unit_months(c->db, u.id, from, to, &rows, &n) < 0) {
		reply_internal(c, "reading a unit's monthly figures");
		return;
	}
	reply_json(c, 200, json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "unit_id", (json_int_t)u.id, "name", u.name, "from",
				     from, "to", to, "as_of", as_of_json(c), "months",
				     months_json(rows, n, STATS_UNIT_METRICS)));
	free(rows);
}
