/* cases.c: cases (问题/诉求): reported by residents, members or staff; the staff's queue and each step; the public list */
#include <stdlib.h>
#include <string.h>

#include "api/cases.h"
#include "api/handlers.h"
#include "api/list_photos.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/account.h"
#include "domain/case.h"
#include "domain/member.h"
#include "domain/post.h"
#include "domain/team.h"
#include "domain/unit.h"

static void seat_of(struct call *c, const struct case_file *k, struct case_seat *s)
{
	const struct target t = { k->community_path, 0 };
	const int64_t me = c->actor.account_id;

	s->staff = authz_allows(&c->who, ACT_SERVE_READ, &t);
	s->manages = authz_allows(&c->who, ACT_SERVE_MANAGE, &t);
	s->reporter = me && k->reporter_account_id == me;
}

int case_or_reply(struct call *c, struct case_file **out, struct case_seat *s)
{
	struct case_file *k = xmalloc(sizeof(*k));
	int64_t id;
	int rc;

	*out = NULL;
	if (call_id_or_reply(c, 0, &id) < 0) {
		free(k);
		return -1;
	}
	rc = case_get(c->db, id, k);
	if (rc == CASE_OK) {
		seat_of(c, k, s);
		if (!s->staff && !s->manages && !s->reporter)
			rc = CASE_NOT_FOUND;
	}
	if (rc != CASE_OK) {
		free(k);
		if (rc == CASE_NOT_FOUND)
			reply_problem(c, 404, "not_found", "找不到该问题");
		else
			reply_internal(c, "reading a case");
		return -1;
	}
	*out = k;
	return 0;
}

static void set_opt_int(json_t *o, const char *key, int64_t v)
{
	json_object_set_new(o, key, v ? json_integer(v) : json_null());
}

static void set_opt_str(json_t *o, const char *key, const char *v)
{
	json_object_set_new(o, key, v[0] ? json_string(v) : json_null());
}

static json_t *timeline_json(struct db *db, int64_t id, bool public_only)
{
	struct case_event *events;
	size_t n;
	json_t *arr;

	if (case_events(db, id, public_only, &events, &n) != CASE_OK)
		return NULL;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:s, s:s, s:s, s:b, s:s, s:I}", "kind", events[i].kind, "state",
					       events[i].state, "note", events[i].note, "public", events[i].public, "by",
					       events[i].by, "at", (json_int_t)events[i].at));
	free(events);
	return arr;
}

static json_t *workers_json(struct db *db, int64_t id)
{
	struct case_work *w;
	size_t n;
	json_t *arr;

	if (case_workers(db, id, &w, &n) != CASE_OK)
		return NULL;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:I, s:s, s:I, s:I}", "member_id", (json_int_t)w[i].member_id, "name",
					       w[i].name, "minutes", (json_int_t)w[i].minutes, "record_id",
					       (json_int_t)w[i].record_id));
	free(w);
	return arr;
}

/* The SLA colour of k now, by the stored calendar. */
static const char *sla_of(const struct case_file *k, const struct case_days *days)
{
	return case_sla(days ? &days->cal : NULL, k->state, k->due_at, clock_now());
}

/* What everyone may see of a case: what, which building, the point, its state and dates; never who or which flat. */
static json_t *public_json(const struct case_file *k)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)k->id, "category_code",
			      k->category_code, "category_name", k->category_name, "title", k->title, "description",
			      k->description, "state", k->state, "created_at", (json_int_t)k->created_at, "updated_at",
			      (json_int_t)k->updated_at);

	if (!o)
		return NULL;
	set_opt_str(o, "building_name", k->building_name);
	json_object_set_new(o, "point", k->point_x >= 0 ? json_pack("{s:i, s:i}", "x", k->point_x, "y", k->point_y)
							 : json_null());
	set_opt_int(o, "resolved_at", k->resolved_at);
	set_opt_int(o, "closed_at", k->closed_at);
	return o;
}

/* k as seat s sees it; with its timeline (the reporter: the public entries), workers and photos when full. */
static json_t *case_json(struct call *c, const struct case_file *k, const struct case_seat *s,
			 const struct case_days *days, bool full)
{
	const bool staff = s->staff || s->manages;
	const char *sla = sla_of(k, days);
	json_t *o = public_json(k);

	if (!o)
		return NULL;
	json_object_set_new(o, "community_code", json_string(k->community_code));
	json_object_set_new(o, "community_name", json_string(k->community_name));
	set_opt_str(o, "building_code", k->building_code);
	json_object_set_new(o, "place", json_string(k->place));
	json_object_set_new(o, "priority", json_string(k->priority));
	json_object_set_new(o, "private", json_boolean(k->private_));
	json_object_set_new(o, "channel", json_string(k->channel));
	json_object_set_new(o, "contact_name", json_string(k->contact_name));
	json_object_set_new(o, "contact_phone", json_string(k->contact_phone));
	json_object_set_new(o, "state_reason", json_string(k->state_reason));
	set_opt_str(o, "party_kind", k->party_kind);
	set_opt_str(o, "party_name", k->party_name);
	set_opt_int(o, "due_at", k->due_at);
	json_object_set_new(o, "sla", sla ? json_string(sla) : json_null());
	set_opt_int(o, "accepted_at", k->accepted_at);
	set_opt_int(o, "assigned_at", k->assigned_at);
	set_opt_int(o, "follow_up_at", k->follow_up_at);
	json_object_set_new(o, "resolution", json_string(k->resolution));
	set_opt_int(o, "rating", k->rating);
	json_object_set_new(o, "rating_comment", json_string(k->rating_comment));
	json_object_set_new(o, "reopens", json_integer(k->reopens));
	json_object_set_new(o, "reopens_left", json_integer(k->reopens < CASE_REOPENS_BY_REPORTER
									? CASE_REOPENS_BY_REPORTER - k->reopens
									: 0));
	set_opt_int(o, "merged_into", k->merged_into);
	if (staff) {
		set_opt_int(o, "party_member_id", k->party_member_id);
		set_opt_int(o, "party_team_id", k->party_team_id);
		set_opt_int(o, "party_unit_id", k->party_unit_id);
		set_opt_int(o, "need_id", k->need_id);
		set_opt_int(o, "reporter_account_id", k->reporter_account_id);
	}
	json_object_set_new(o, "mine", json_pack("{s:b, s:b}", "reporter", s->reporter, "manages", s->manages));
	if (full) {
		json_object_set_new(o, "timeline", timeline_json(c->db, k->id, !staff));
		json_object_set_new(o, "photos", list_photos_json(c->db, LIST_PHOTO_CASE, k->id, true));
		if (staff)
			json_object_set_new(o, "workers", workers_json(c->db, k->id));
	}
	return o;
}

static void case_reply(struct call *c, int status, int64_t id)
{
	struct case_file *k = xmalloc(sizeof(*k));
	struct case_days days;
	struct case_seat s;

	if (case_get(c->db, id, k) != CASE_OK || case_days_load(c->db, &days) != CASE_OK)
		reply_internal(c, "reading a case");
	else {
		seat_of(c, k, &s);
		reply_json(c, status, case_json(c, k, &s, &days, true));
		case_days_release(&days);
	}
	free(k);
}

static void reply_error(struct call *c, int rc, const struct field_errors *errs)
{
	if (rc == CASE_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该问题");
	else if (rc == CASE_BAD_STATE)
		reply_field(c, 409, "state", "conflict", "问题当前的状态不能这样操作，请刷新后再看");
	else if (rc == CASE_FORBIDDEN)
		reply_problem(c, 403, "forbidden", "无权这样处理该问题");
	else if (rc == CASE_REOPENS)
		reply_field(c, 409, "reason", "reopens", "已重新提出两次，请联系社区，由社区决定是否再次处理");
	else if (rc == CASE_INVALID && errs && errs->n)
		reply_errors(c, 422, errs);
	else
		reply_internal(c, "writing a case");
}

/* --- report ----------------------------------------------------------------------------------------------- */

struct report_body {
	char *community_code, *category_code, *title, *description, *building_code, *place, *priority, *channel;
	char *contact_name, *contact_phone;
	long long point_x, point_y, need_id, reporter_account_id;
	bool private_;
};

static const char *const priorities[] = { "normal", "urgent", NULL };
static const char *const channels[] = { "self", "walk", "visit", "phone", "need", NULL };

static const struct spec_field report_spec[] = {
	SPEC(struct report_body, community_code, SPEC_STR, 0, 1, 18),
	SPEC(struct report_body, category_code, SPEC_STR, SPEC_REQUIRED, 1, 15),
	SPEC(struct report_body, title, SPEC_STR, SPEC_REQUIRED, 2, CASE_TITLE_MAX),
	SPEC(struct report_body, description, SPEC_STR, SPEC_REQUIRED, 2, CASE_TEXT_MAX),
	SPEC(struct report_body, building_code, SPEC_STR, 0, 0, 18),
	SPEC(struct report_body, place, SPEC_STR, 0, 0, CASE_PLACE_MAX),
	SPEC(struct report_body, point_x, SPEC_INT, 0, 0, 1000),
	SPEC(struct report_body, point_y, SPEC_INT, 0, 0, 1000),
	SPEC_CHOICE(struct report_body, priority, 0, priorities),
	SPEC_CHOICE(struct report_body, channel, 0, channels),
	SPEC(struct report_body, contact_name, SPEC_STR, 0, 0, CASE_NAME_MAX),
	SPEC(struct report_body, contact_phone, SPEC_STR, 0, 0, 20),
	SPEC(struct report_body, need_id, SPEC_INT, 0, 1, INT64_MAX),
	SPEC(struct report_body, reporter_account_id, SPEC_INT, 0, 1, INT64_MAX),
	{ .name = "private", .type = SPEC_BOOL, .offset = offsetof(struct report_body, private_) },
	{ 0 },
};

/* The community the caller lives in as a resident: code given, that one if theirs; none given, their only one. */
static const char *resident_home(const struct call *c, const char *code)
{
	const char *found = NULL;
	size_t n = 0;

	for (size_t i = 0; i < c->who.ngrants; i++) {
		const struct grant *g = &c->who.grants[i];

		if (g->role != ROLE_RESIDENT || g->pending)
			continue;
		if (code && !strcmp(g->region_code, code))
			return g->region_code;
		found = g->region_code;
		n++;
	}
	return !code && n == 1 ? found : NULL;
}

/* How the caller reports in community r: 's' staff, 'r' a resident of it, 'm' an approved member of it, 0 none. */
static int reporter_kind(struct call *c, const struct region *r)
{
	struct post_member m;

	if (authz_allows(&c->who, ACT_SERVE_MANAGE, &(struct target){ r->path, 0 }))
		return 's';
	if (resident_home(c, r->code))
		return 'r';
	if (c->actor.account_id && post_acting_member(c->db, c->actor.account_id, &m) == POST_OK && m.approved &&
	    !strcmp(m.community_code, r->code))
		return 'm';
	return 0;
}

/* The body's faults about the community's own things and about what this kind of reporter may say. */
static int check_report(struct call *c, const struct report_body *b, const struct region *r, int kind,
			struct field_errors *errs)
{
	struct region bld;
	int rc = case_category_exists(c->db, b->category_code);

	if (rc < 0)
		return -1;
	if (!rc)
		field_errors_add(errs, "category_code", "not_found", "没有这个问题类别");
	if (b->building_code && b->building_code[0]) {
		rc = valid_digits(b->building_code, 12, 18) ? region_get(c->db, b->building_code, &bld) : REGION_NOT_FOUND;
		if (rc == REGION_ERROR)
			return -1;
		if (rc != REGION_OK || strcmp(bld.level, "building") || strncmp(bld.path, r->path, strlen(r->path)))
			field_errors_add(errs, "building_code", "not_found", "应为本社区的一栋楼");
	}
	if ((b->point_x >= 0) != (b->point_y >= 0))
		field_errors_add(errs, b->point_x >= 0 ? "point_y" : "point_x", "required", "地图上的位置需同时给出横纵坐标");
	if (b->contact_phone && b->contact_phone[0] && !valid_phone(b->contact_phone))
		field_errors_add(errs, "contact_phone", "format", "应为手机号或固定电话");
	if (kind == 's') {
		if (!b->channel || !strcmp(b->channel, "self"))
			field_errors_add(errs, "channel", "required", "代录需说明来源：电话、走访、巡查或需求转来");
		else if (!strcmp(b->channel, "need") != (b->need_id != 0))
			field_errors_add(errs, b->need_id ? "channel" : "need_id", "required", "由需求转来时需注明需求");
		if (b->reporter_account_id && (rc = account_lives_in(c->db, b->reporter_account_id, r->code)) <= 0) {
			if (rc < 0)
				return -1;
			field_errors_add(errs, "reporter_account_id", "not_found", "应为本社区居民的账号");
		}
		return 0;
	}
	if (b->need_id)
		field_errors_add(errs, "need_id", "forbidden", "由社区工作人员转为问题");
	if (b->reporter_account_id)
		field_errors_add(errs, "reporter_account_id", "forbidden", "只能为自己反映");
	if (b->priority && strcmp(b->priority, "normal"))
		field_errors_add(errs, "priority", "forbidden", "紧急程度由社区判断");
	if (kind == 'r' && b->channel && strcmp(b->channel, "self"))
		field_errors_add(errs, "channel", "choice", "居民本人反映");
	if (kind == 'm' && b->channel && strcmp(b->channel, "walk") && strcmp(b->channel, "visit"))
		field_errors_add(errs, "channel", "choice", "党员反映：巡查（walk）或走访（visit）时发现");
	return 0;
}

/* POST /cases: a resident reports a problem of their community, a member one found on a walk, staff enter one. */
void cases_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct report_body b = { .point_x = -1, .point_y = -1 };
	const char *code;
	struct case_input in;
	struct region r;
	int64_t id;
	int rc, kind;

	if (call_body_or_reply(c, report_spec, &b) < 0)
		return;
	code = b.community_code ? b.community_code : resident_home(c, NULL);
	if (!code) {
		reply_field(c, 422, "community_code", "required", "请选择社区");
		goto out;
	}
	rc = valid_digits(code, 12, 18) ? region_get(c->db, code, &r) : REGION_NOT_FOUND;
	if (rc == REGION_ERROR) {
		reply_internal(c, "reading a community");
		goto out;
	}
	if (rc != REGION_OK || strcmp(r.level, "community")) {
		reply_field(c, 422, "community_code", "not_found", "应为一个社区");
		goto out;
	}
	if (!(kind = reporter_kind(c, &r))) {
		reply_problem(c, 403, "forbidden", "只能反映自己居住或报到的社区的问题");
		goto out;
	}
	if (check_report(c, &b, &r, kind, &errs) < 0) {
		reply_internal(c, "checking a case");
		goto out;
	}
	if (errs.n) {
		reply_errors(c, 422, &errs);
		goto out;
	}
	in = (struct case_input){ r.code,
				  b.category_code,
				  b.title,
				  b.description,
				  b.building_code,
				  b.place,
				  (int)b.point_x,
				  (int)b.point_y,
				  b.priority ? b.priority : "normal",
				  b.private_,
				  kind == 's' ? b.channel : kind == 'r' ? "self" : b.channel ? b.channel : "walk",
				  kind == 's' ? b.reporter_account_id : c->actor.account_id,
				  b.contact_name,
				  b.contact_phone,
				  kind == 's' ? b.need_id : 0 };
	rc = case_report(c->db, &c->actor, &in, &errs, &id);
	if (rc != CASE_OK)
		reply_error(c, rc, &errs);
	else
		case_reply(c, 201, id);
out:
	spec_release(report_spec, &b);
}

void cases_get(struct call *c)
{
	struct case_file *k;
	struct case_seat s;
	struct case_days days;

	if (case_or_reply(c, &k, &s) < 0)
		return;
	if (case_days_load(c->db, &days) != CASE_OK)
		reply_internal(c, "reading the calendar");
	else {
		reply_json(c, 200, case_json(c, k, &s, &days, true));
		case_days_release(&days);
	}
	free(k);
}

/* --- lists ------------------------------------------------------------------------------------------------ */

/* A keyset page: ?before= (the last id of the previous page), ?per_page= (1..100, 20). */
static int keyset_or_reply(struct call *c, int64_t *before, int64_t *per_page)
{
	*before = 0;
	*per_page = 20;
	if (call_int_or_reply(c, "before", 1, INT64_MAX, before) < 0 ||
	    call_int_or_reply(c, "per_page", 1, 100, per_page) < 0)
		return -1;
	return 0;
}

/* Answers one page of f: items (each by its seat, or public), next_before, and the counts by state when asked. */
static void reply_list(struct call *c, const struct case_filter *f, bool public, bool counts, const char *community_name)
{
	struct case_count by[CASE_STATES];
	struct case_file *items;
	struct case_days days;
	int64_t before, per_page;
	size_t n, nby = 0;
	bool more;
	json_t *arr, *o;

	if (keyset_or_reply(c, &before, &per_page) < 0)
		return;
	if (case_days_load(c->db, &days) != CASE_OK)
		return reply_internal(c, "reading the calendar");
	if (case_list(c->db, f, before, per_page, &items, &n, &more) != CASE_OK ||
	    (counts && case_counts(c->db, f, by, &nby) != CASE_OK)) {
		case_days_release(&days);
		return reply_internal(c, "listing cases");
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		struct case_seat s;

		seat_of(c, &items[i], &s);
		arr = json_push(arr, public ? public_json(&items[i]) : case_json(c, &items[i], &s, &days, false));
	}
	o = json_pack("{s:o, s:o}", "items", arr, "next_before",
		      more && n ? json_integer(items[n - 1].id) : json_null());
	if (o && community_name)
		json_object_set_new(o, "community_name", json_string(community_name));
	if (o && counts) {
		json_t *cs = json_object();

		for (size_t i = 0; i < nby; i++)
			json_object_set_new(cs, by[i].state, json_integer(by[i].count));
		json_object_set_new(o, "counts", cs);
	}
	free(items);
	case_days_release(&days);
	reply_json(c, 200, o);
}

static const char *const yes[] = { "1", "true", NULL };

/* GET /cases: the staff's queue of the communities in scope, newest first; filters; counts by state. */
void cases_list(struct call *c)
{
	struct case_filter f = { 0 };
	struct case_days days;
	const char *overdue = NULL, *soon = NULL, *open = NULL;
	struct scope scope;

	if (call_query_or_reply(c, "community", 18, &f.community) < 0 ||
	    call_choice_or_reply(c, "state", case_states, &f.state) < 0 ||
	    call_query_or_reply(c, "category", 15, &f.category) < 0 ||
	    call_query_or_reply(c, "building", 18, &f.building) < 0 ||
	    call_choice_or_reply(c, "priority", priorities, &f.priority) < 0 ||
	    call_choice_or_reply(c, "overdue", yes, &overdue) < 0 || call_choice_or_reply(c, "due_soon", yes, &soon) < 0 ||
	    call_choice_or_reply(c, "open", yes, &open) < 0)
		return;
	authz_scope(&c->who, ACT_SERVE_READ, &scope);
	if (!scope.all && !scope.npaths) {
		reply_problem(c, 403, "forbidden", "无权查看问题清单");
		return;
	}
	f.scope = &scope;
	f.open = open != NULL;
	f.overdue = overdue != NULL;
	f.due_soon = soon != NULL && !f.overdue;
	f.now = clock_now();
	if (f.due_soon) {
		if (case_days_load(c->db, &days) != CASE_OK)
			return reply_internal(c, "reading the calendar");
		f.soon_before = case_due_at(&days.cal, f.now, 1); /* the end of the next working day */
		case_days_release(&days);
	}
	reply_list(c, &f, false, true, NULL);
}

/* GET /me/cases: the cases the caller reported (or that were entered for them), newest first. */
void me_cases(struct call *c)
{
	struct case_filter f = { .reporter_account_id = c->actor.account_id };

	if (call_choice_or_reply(c, "state", case_states, &f.state) < 0)
		return;
	reply_list(c, &f, false, false, NULL);
}

/* GET /public/communities/{code}/cases: what anyone may see of a community's cases (no names, no flat, no private ones). */
void public_community_cases(struct call *c)
{
	struct case_filter f = { .public_only = true };
	const char *code = c->req->nparams ? c->req->params[0] : NULL;
	struct region r;
	int rc;

	rc = code && valid_digits(code, 12, 12) ? region_get(c->db, code, &r) : REGION_NOT_FOUND;
	if (rc == REGION_ERROR)
		return reply_internal(c, "reading a community");
	if (rc != REGION_OK || strcmp(r.level, "community"))
		return reply_problem(c, 404, "not_found", "找不到该社区");
	f.community = r.code;
	if (call_choice_or_reply(c, "state", case_states, &f.state) < 0 ||
	    call_query_or_reply(c, "category", 15, &f.category) < 0)
		return;
	reply_list(c, &f, true, false, r.name);
}

/* GET /case-categories: the categories and their SLA in working days. */
void case_categories_list(struct call *c)
{
	struct case_category *g;
	size_t n;
	json_t *arr;

	if (case_categories(c->db, &g, &n) != CASE_OK)
		return reply_internal(c, "reading the categories");
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:s, s:s, s:i}", "code", g[i].code, "name", g[i].name, "sla_days",
					       g[i].sla_days));
	free(g);
	reply_json(c, 200, json_pack("{s:o}", "items", arr));
}

/* --- steps ------------------------------------------------------------------------------------------------ */

/* Loads the case for a caller who manages it (staff in scope), else 403 when they see it, 404 when not. */
static int managed_or_reply(struct call *c, struct case_file **k)
{
	struct case_seat s;

	if (case_or_reply(c, k, &s) < 0)
		return -1;
	if (!s.manages) {
		reply_problem(c, 403, "forbidden", "无权这样处理该问题");
		free(*k);
		*k = NULL;
		return -1;
	}
	return 0;
}

/* Answers a step's outcome: the case as it is now, or the refusal. */
static void answer(struct call *c, int rc, int64_t id, const struct field_errors *errs)
{
	if (rc != CASE_OK)
		reply_error(c, rc, errs);
	else
		case_reply(c, 200, id);
}

struct accept_body {
	char *category_code, *priority;
};

static const struct spec_field accept_spec[] = {
	SPEC(struct accept_body, category_code, SPEC_STR, 0, 1, 15),
	SPEC_CHOICE(struct accept_body, priority, 0, priorities),
	{ 0 },
};

/* POST /cases/{id}/accept: triage: its category and priority (or as reported); the expected date from the SLA. */
void cases_accept(struct call *c)
{
	struct accept_body b = { 0 };
	struct case_file *k;
	int rc;

	if (managed_or_reply(c, &k) < 0)
		return;
	if (serve_optional_body_or_reply(c, accept_spec, &b) == 0) {
		rc = b.category_code ? case_category_exists(c->db, b.category_code) : 1;
		if (rc < 0)
			reply_internal(c, "reading a category");
		else if (!rc)
			reply_field(c, 422, "category_code", "not_found", "没有这个问题类别");
		else
			answer(c, case_accept(c->db, &c->actor, k->id, b.category_code, b.priority), k->id, NULL);
		spec_release(accept_spec, &b);
	}
	free(k);
}

struct reason_body {
	char *reason;
};

static const struct spec_field reason_spec[] = {
	SPEC(struct reason_body, reason, SPEC_STR, SPEC_REQUIRED, 2, CASE_REASON_MAX),
	{ 0 },
};

void cases_refuse(struct call *c)
{
	struct reason_body b = { 0 };
	struct case_file *k;

	if (managed_or_reply(c, &k) < 0)
		return;
	if (call_body_or_reply(c, reason_spec, &b) == 0) {
		answer(c, case_refuse(c->db, &c->actor, k->id, b.reason), k->id, NULL);
		spec_release(reason_spec, &b);
	}
	free(k);
}

struct assign_body {
	char *kind, *name;
	long long id;
};

static const char *const party_kinds[] = { "member", "team", "unit", "property", "department", NULL };

static const struct spec_field assign_spec[] = {
	SPEC_CHOICE(struct assign_body, kind, SPEC_REQUIRED, party_kinds),
	SPEC(struct assign_body, id, SPEC_INT, 0, 1, INT64_MAX),
	SPEC(struct assign_body, name, SPEC_STR, 0, 2, CASE_PARTY_MAX),
	{ 0 },
};

/*
 * Who a case of k's community goes to: an approved member of the community;
 * an active team of the community or above it; a unit; a property company or
 * a department by its name. 422 naming the field otherwise.
 */
static int party_or_reply(struct call *c, const struct case_file *k, const struct assign_body *b, struct case_party *p,
			  char *name, size_t size)
{
	const bool by_name = !strcmp(b->kind, "property") || !strcmp(b->kind, "department");
	bool ok = false;

	memset(p, 0, sizeof(*p));
	p->kind = b->kind;
	p->name = name;
	if (by_name) {
		if (!b->name) {
			reply_field(c, 422, "name", "required", "请填写物业公司或部门的名称");
			return -1;
		}
		str_copy(name, size, b->name);
		return 0;
	}
	if (!b->id) {
		reply_field(c, 422, "id", "required", "请选择负责的党员、服务队或单位");
		return -1;
	}
	if (!strcmp(b->kind, "member")) {
		struct member *m = xmalloc(sizeof(*m));

		ok = member_get(c->db, b->id, m) == MEMBER_OK && !strcmp(m->state, "approved") &&
		     !strcmp(m->community_code, k->community_code);
		if (ok) {
			p->member_id = m->id;
			str_copy(name, size, m->name);
		}
		free(m);
	} else if (!strcmp(b->kind, "team")) {
		struct team *t = xmalloc(sizeof(*t));

		ok = team_get(c->db, b->id, t) == TEAM_OK && !strcmp(t->state, "active") &&
		     !strncmp(k->community_path, t->region_path, strlen(t->region_path));
		if (ok) {
			p->team_id = t->id;
			p->member_id = t->leader_id;
			str_copy(name, size, t->name);
		}
		free(t);
	} else {
		struct unit *u = xmalloc(sizeof(*u));

		ok = unit_get(c->db, b->id, u) == UNIT_OK;
		if (ok) {
			p->unit_id = u->id;
			str_copy(name, size, u->name);
		}
		free(u);
	}
	if (!ok)
		reply_field(c, 422, "id", "not_found", "应为本社区已报到的党员、本社区或街道的服务队、或一个单位");
	return ok ? 0 : -1;
}

/* POST /cases/{id}/assign: to the responsible party (适配方案). */
void cases_assign(struct call *c)
{
	struct assign_body b = { 0 };
	struct case_party p;
	struct case_file *k;
	char name[TEXT_BYTES(CASE_PARTY_MAX)];

	if (managed_or_reply(c, &k) < 0)
		return;
	if (call_body_or_reply(c, assign_spec, &b) == 0) {
		if (party_or_reply(c, k, &b, &p, name, sizeof(name)) == 0)
			answer(c, case_assign(c->db, &c->actor, k->id, &p), k->id, NULL);
		spec_release(assign_spec, &b);
	}
	free(k);
}

struct note_body {
	char *note;
	bool internal;
};

static const struct spec_field update_spec[] = {
	SPEC(struct note_body, note, SPEC_STR, SPEC_REQUIRED, 2, CASE_TEXT_MAX),
	{ .name = "internal", .type = SPEC_BOOL, .offset = offsetof(struct note_body, internal) },
	{ 0 },
};

/* POST /cases/{id}/updates: progress (服务排解): a note the reporter sees, or an internal one. */
void cases_update(struct call *c)
{
	struct note_body b = { 0 };
	struct case_file *k;

	if (managed_or_reply(c, &k) < 0)
		return;
	if (call_body_or_reply(c, update_spec, &b) == 0) {
		answer(c, case_update(c->db, &c->actor, k->id, b.note, !b.internal), k->id, NULL);
		spec_release(update_spec, &b);
	}
	free(k);
}

struct resolve_body {
	char *note;
	struct int_list workers;
	long long minutes;
};

static const struct spec_field resolve_spec[] = {
	SPEC(struct resolve_body, note, SPEC_STR, SPEC_REQUIRED, 2, CASE_TEXT_MAX),
	SPEC_LIST(struct resolve_body, workers, SPEC_INTS, 0, 1, INT64_MAX, CASE_WORKERS_MAX),
	SPEC(struct resolve_body, minutes, SPEC_INT, 0, 1, CASE_MINUTES_MAX),
	{ 0 },
};

/* POST /cases/{id}/resolve: what was done; the members who did it (workers, minutes each) get a confirmed record. */
void cases_resolve(struct call *c)
{
	struct field_errors errs = { 0 };
	struct resolve_body b = { 0 };
	struct case_worker *w = NULL;
	struct case_file *k;

	if (managed_or_reply(c, &k) < 0)
		return;
	if (call_body_or_reply(c, resolve_spec, &b) == 0) {
		if (b.workers.n && !b.minutes)
			reply_field(c, 422, "minutes", "required", "请填写党员服务的时长（分钟）");
		else {
			w = xmalloc((b.workers.n + 1) * sizeof(*w));
			for (size_t i = 0; i < b.workers.n; i++)
				w[i] = (struct case_worker){ b.workers.items[i], b.minutes };
			answer(c, case_resolve(c->db, &c->actor, k->id, b.note, w, b.workers.n, &errs), k->id, &errs);
			free(w);
		}
		spec_release(resolve_spec, &b);
	}
	free(k);
}

static const struct spec_field note_spec[] = {
	SPEC(struct note_body, note, SPEC_STR, 0, 0, CASE_TEXT_MAX),
	{ 0 },
};

/* POST /cases/{id}/follow-up: 回访 begun (a call, a visit): the reporter has CASE_FOLLOW_UP_DAYS days to answer. */
void cases_follow_up(struct call *c)
{
	struct note_body b = { 0 };
	struct case_file *k;

	if (managed_or_reply(c, &k) < 0)
		return;
	if (serve_optional_body_or_reply(c, note_spec, &b) == 0) {
		answer(c, case_follow_up(c->db, &c->actor, k->id, b.note), k->id, NULL);
		spec_release(note_spec, &b);
	}
	free(k);
}

/* Loads the case for its reporter or staff who manage it; *by says which (the reporter first). */
static int reporter_or_staff_or_reply(struct call *c, struct case_file **k, enum case_by *by)
{
	struct case_seat s;

	if (case_or_reply(c, k, &s) < 0)
		return -1;
	if (!s.reporter && !s.manages) {
		reply_problem(c, 403, "forbidden", "只有反映人或社区可以这样做");
		free(*k);
		*k = NULL;
		return -1;
	}
	*by = s.reporter ? CASE_BY_REPORTER : CASE_BY_STAFF;
	return 0;
}

struct rate_body {
	long long rating;
	char *comment;
};

static const struct spec_field rate_spec[] = {
	SPEC(struct rate_body, rating, SPEC_INT, SPEC_REQUIRED, 1, 5),
	SPEC(struct rate_body, comment, SPEC_STR, 0, 0, CASE_COMMENT_MAX),
	{ 0 },
};

/* POST /cases/{id}/rate: 解决了 — the reporter (or staff taking their answer) rates it 1–5: closed. */
void cases_rate(struct call *c)
{
	struct rate_body b = { 0 };
	struct case_file *k;
	enum case_by by;

	if (reporter_or_staff_or_reply(c, &k, &by) < 0)
		return;
	if (call_body_or_reply(c, rate_spec, &b) == 0) {
		answer(c, case_rate(c->db, &c->actor, by, k->id, (int)b.rating, b.comment), k->id, NULL);
		spec_release(rate_spec, &b);
	}
	free(k);
}

/* POST /cases/{id}/reopen: 没解决 — assigned again with a reason (the reporter at most twice; then staff decide). */
void cases_reopen(struct call *c)
{
	struct reason_body b = { 0 };
	struct case_file *k;
	enum case_by by;

	if (reporter_or_staff_or_reply(c, &k, &by) < 0)
		return;
	if (call_body_or_reply(c, reason_spec, &b) == 0) {
		answer(c, case_reopen(c->db, &c->actor, by, k->id, b.reason), k->id, NULL);
		spec_release(reason_spec, &b);
	}
	free(k);
}

struct merge_body {
	long long into;
};

static const struct spec_field merge_spec[] = {
	SPEC(struct merge_body, into, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),
	{ 0 },
};

/* POST /cases/{id}/merge: a duplicate, merged into another open case of the community (it points to the survivor). */
void cases_merge(struct call *c)
{
	struct field_errors errs = { 0 };
	struct merge_body b = { 0 };
	struct case_file *k;

	if (managed_or_reply(c, &k) < 0)
		return;
	if (call_body_or_reply(c, merge_spec, &b) == 0)
		answer(c, case_merge(c->db, &c->actor, k->id, b.into, &errs), k->id, &errs);
	free(k);
}

struct private_body {
	bool private_;
};

static const struct spec_field private_spec[] = {
	{ .name = "private", .type = SPEC_BOOL, .flags = SPEC_REQUIRED, .offset = offsetof(struct private_body, private_) },
	{ 0 },
};

/* PUT /cases/{id}/private: kept off the public list, or back on it (the reporter or staff). */
void cases_private(struct call *c)
{
	struct private_body b = { 0 };
	struct case_file *k;
	enum case_by by;

	if (reporter_or_staff_or_reply(c, &k, &by) < 0)
		return;
	if (call_body_or_reply(c, private_spec, &b) == 0)
		answer(c, case_set_private(c->db, &c->actor, k->id, b.private_), k->id, NULL);
	free(k);
}

/* --- the working calendar ------------------------------------------------------------------------------- */

/* GET /case-calendar: the listed holidays and make-up workdays the SLA counts by. */
void case_calendar_list(struct call *c)
{
	struct case_days d;
	json_t *h, *w;

	if (case_days_load(c->db, &d) != CASE_OK)
		return reply_internal(c, "reading the calendar");
	h = json_array();
	w = json_array();
	for (size_t i = 0; i < d.nholidays; i++)
		h = json_push(h, json_string(d.holidays[i]));
	for (size_t i = 0; i < d.nworkdays; i++)
		w = json_push(w, json_string(d.workdays[i]));
	case_days_release(&d);
	reply_json(c, 200, json_pack("{s:o, s:o}", "holidays", h, "workdays", w));
}

struct day_body {
	char *kind, *name;
};

static const char *const day_kinds[] = { "holiday", "workday", "ordinary", NULL };

static const struct spec_field day_spec[] = {
	SPEC_CHOICE(struct day_body, kind, SPEC_REQUIRED, day_kinds),
	SPEC(struct day_body, name, SPEC_STR, 0, 0, 20),
	{ 0 },
};

/* PUT /case-calendar/{day}: a legal holiday, a make-up workday, or an ordinary day again (admin: the national calendar). */
void case_calendar_set(struct call *c)
{
	struct day_body b = { 0 };
	const char *day = c->req->nparams ? c->req->params[0] : "";

	if (!valid_date(day)) {
		reply_problem(c, 404, "not_found", "应为日期，如 2026-10-01");
		return;
	}
	if (call_body_or_reply(c, day_spec, &b) < 0)
		return;
	if (case_days_set(c->db, &c->actor, day, strcmp(b.kind, "ordinary") ? b.kind : NULL, b.name) != CASE_OK)
		reply_internal(c, "writing the calendar");
	else
		case_calendar_list(c);
	spec_release(day_spec, &b);
}
