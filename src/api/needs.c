/* needs.c: residents' needs (需求清单): posted by residents or for them by staff, the queue, each step of their life */
#include "api/needs.h"

#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/list_photos.h"
#include "api/records.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/account.h"
#include "domain/post.h"
#include "domain/visit_made.h"

void need_seat_of(struct call *c, const struct need *n, struct need_seat *s)
{
	const struct target t = { n->community_path, 0 };
	const int64_t me = c->actor.account_id;
	struct post_member m;

	memset(s, 0, sizeof(*s));
	s->staff = authz_allows(&c->who, ACT_SERVE_READ, &t);
	s->manages = authz_allows(&c->who, ACT_SERVE_MANAGE, &t);
	s->requester = me && n->requester_account_id == me;
	s->holder = me && (n->assignee_account_id == me ||
			   (!n->assignee_account_id && n->assignee_unit_id &&
			    authz_allows(&c->who, ACT_ACTIVITY_UNIT, &(struct target){ NULL, n->assignee_unit_id })));
	if (me && !strcmp(n->state, "accepted") && post_acting_member(c->db, me, &m) == POST_OK)
		s->neighbour = m.approved && !strcmp(m.community_code, n->community_code);
}

bool need_seat_any(const struct need_seat *s)
{
	return s->staff || s->manages || s->requester || s->holder || s->neighbour;
}

int need_or_reply(struct call *c, struct need **out, struct need_seat *s)
{
	struct need *n = xmalloc(sizeof(*n));
	int64_t id;
	int rc;

	*out = NULL;
	if (call_id_or_reply(c, 0, &id) < 0) {
		free(n);
		return -1;
	}
	rc = need_get(c->db, id, n);
	if (rc == NEED_OK) {
		need_seat_of(c, n, s);
		if (!need_seat_any(s))
			rc = NEED_NOT_FOUND;
	}
	if (rc != NEED_OK) {
		free(n);
		if (rc == NEED_NOT_FOUND)
			reply_problem(c, 404, "not_found", "找不到该需求");
		else
			reply_internal(c, "reading a need");
		return -1;
	}
	*out = n;
	return 0;
}

static json_t *timeline_json(struct db *db, int64_t id)
{
	struct need_event *events;
	size_t n;
	json_t *arr;

	if (need_events(db, id, &events, &n) != NEED_OK)
		return NULL;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:s, s:s, s:s, s:s, s:I}", "kind", events[i].kind, "state", events[i].state,
					       "note", events[i].note, "by", events[i].by, "at", (json_int_t)events[i].at));
	free(events);
	return arr;
}

static void set_opt_int(json_t *o, const char *key, int64_t v)
{
	json_object_set_new(o, key, v ? json_integer(v) : json_null());
}

static void set_opt_str(json_t *o, const char *key, const char *v)
{
	json_object_set_new(o, key, v[0] ? json_string(v) : json_null());
}

json_t *need_json(struct call *c, const struct need *n, const struct need_seat *s, bool timeline)
{
	const bool held = !strcmp(n->state, "taken") || !strcmp(n->state, "in_progress") || !strcmp(n->state, "done") ||
			  !strcmp(n->state, "closed");
	const bool inside = s->staff || s->manages || s->requester || s->holder;
	int64_t due;
	const char *sla = need_sla(n, clock_now(), &due);
	json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id",
			      (json_int_t)n->id, "community_code", n->community_code, "community_name",
			      n->community_name, "item_id", (json_int_t)n->item_id, "item_name", n->item_name,
			      "description", n->description, "place", n->place, "wanted_part", n->wanted_part, "urgency",
			      n->urgency, "state", n->state, "channel", n->channel, "created_at",
			      (json_int_t)n->created_at, "expires_at", (json_int_t)n->expires_at);

	if (!o)
		return NULL;
	set_opt_str(o, "building_code", n->building_code);
	set_opt_str(o, "building_name", n->building_name);
	set_opt_str(o, "wanted_on", n->wanted_on);
	/* The need's own page: what is asked for, to whoever sees it; what was done, only inside. */
	if (timeline)
		json_object_set_new(o, "photos", list_photos_json(c->db, LIST_PHOTO_NEED, n->id, inside));
	if (!inside)
		return o; /* a neighbour browsing open needs: what and where, never who */
	/* The contact: staff, the resident, and whoever holds it once they have taken it; never before. */
	if (s->staff || s->manages || s->requester || (s->holder && held)) {
		json_object_set_new(o, "contact_name", json_string(n->contact_name));
		json_object_set_new(o, "contact_phone", json_string(n->contact_phone));
	}
	json_object_set_new(o, "state_reason", json_string(n->state_reason));
	set_opt_str(o, "assignee_kind", n->assignee_kind);
	set_opt_str(o, "assignee_name", n->assignee_name);
	if (s->staff || s->manages) {
		set_opt_int(o, "assignee_member_id", n->assignee_member_id);
		set_opt_int(o, "assignee_team_id", n->assignee_team_id);
		set_opt_int(o, "assignee_unit_id", n->assignee_unit_id);
		json_object_set_new(o, "sla", sla ? json_string(sla) : json_null());
		set_opt_int(o, "due_at", due);
		set_opt_int(o, "project_id", n->project_id);
		/* Made from a care visit (visits.c): only staff learn that, as only they see the register. */
		if (timeline) {
			int64_t visit_id = 0;

			if (visit_made_from(c->db, n->id, 0, &visit_id) == CARE_OK)
				set_opt_int(o, "visit_id", visit_id);
		}
	}
	json_object_set_new(o, "done_note", json_string(n->done_note));
	set_opt_int(o, "minutes", n->minutes);
	set_opt_int(o, "rating", n->rating);
	json_object_set_new(o, "rating_comment", json_string(n->rating_comment));
	set_opt_int(o, "record_id", n->record_id);
	set_opt_int(o, "accepted_at", n->accepted_at);
	set_opt_int(o, "dispatched_at", n->dispatched_at);
	set_opt_int(o, "taken_at", n->taken_at);
	set_opt_int(o, "done_at", n->done_at);
	set_opt_int(o, "closed_at", n->closed_at);
	json_object_set_new(o, "mine", json_pack("{s:b, s:b, s:b}", "requester", s->requester, "holder", s->holder,
						 "manages", s->manages));
	if (timeline)
		json_object_set_new(o, "timeline", timeline_json(c->db, n->id));
	return o;
}

void need_reply(struct call *c, int status, int64_t id)
{
	struct need *n = xmalloc(sizeof(*n));
	struct need_seat s;

	if (need_get(c->db, id, n) != NEED_OK)
		reply_internal(c, "reading a need");
	else {
		need_seat_of(c, n, &s);
		reply_json(c, status, need_json(c, n, &s, true));
	}
	free(n);
}

void need_reply_error(struct call *c, int rc, const char *taken_by, const struct field_errors *errs)
{
	char title[160];

	if (rc == NEED_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该需求");
	else if (rc == NEED_BAD_STATE)
		reply_field(c, 409, "state", "conflict", "需求当前的状态不能这样操作，请刷新后再看");
	else if (rc == NEED_TAKEN) {
		snprintf(title, sizeof(title), "已被「%s」接单", taken_by ? taken_by : "");
		reply_field(c, 409, "state", "taken", title);
	} else if (rc == NEED_RATED)
		reply_field(c, 409, "rating", "conflict", "已经确认并评价过了");
	else if (rc == NEED_RECORD && errs)
		reply_errors(c, 409, errs);
	else if (rc == NEED_INVALID && errs)
		reply_errors(c, 422, errs);
	else
		reply_internal(c, "writing a need");
}

struct need_body {
	char *community_code, *description, *building_code, *place, *wanted_on, *wanted_part, *urgency;
	char *contact_name, *contact_phone, *channel;
	long long item_id, requester_account_id;
};

static const char *const parts[] = { "any", "morning", "afternoon", "evening", NULL };
static const char *const urgencies[] = { "normal", "urgent", NULL };
static const char *const channels[] = { "self", "phone", "visit", "grid", NULL };

static const struct spec_field need_spec[] = {
	SPEC(struct need_body, community_code, SPEC_STR, 0, 1, 18),
	SPEC(struct need_body, item_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),
	SPEC(struct need_body, description, SPEC_STR, SPEC_REQUIRED, 1, NEED_TEXT_MAX),
	SPEC(struct need_body, building_code, SPEC_STR, 0, 0, 18),
	SPEC(struct need_body, place, SPEC_STR, 0, 0, NEED_PLACE_MAX),
	SPEC(struct need_body, wanted_on, SPEC_STR, 0, 0, 10),
	SPEC_CHOICE(struct need_body, wanted_part, 0, parts),
	SPEC_CHOICE(struct need_body, urgency, 0, urgencies),
	SPEC(struct need_body, contact_name, SPEC_STR, SPEC_REQUIRED, 1, NEED_NAME_MAX),
	SPEC(struct need_body, contact_phone, SPEC_STR, SPEC_REQUIRED, 1, 20),
	SPEC_CHOICE(struct need_body, channel, 0, channels),
	SPEC(struct need_body, requester_account_id, SPEC_INT, 0, 1, INT64_MAX),
	{ 0 },
};

/* The community the caller lives in as a resident (code given: that one, if theirs; none given: their only one). */
static const struct grant *resident_grant(const struct call *c, const char *code)
{
	const struct grant *found = NULL;
	size_t n = 0;

	for (size_t i = 0; i < c->who.ngrants; i++) {
		const struct grant *g = &c->who.grants[i];

		if (g->role != ROLE_RESIDENT || g->pending)
			continue;
		if (code && !strcmp(g->region_code, code))
			return g;
		found = g;
		n++;
	}
	return !code && n == 1 ? found : NULL;
}

/* The body's faults about the community's own things: the item it offers, its building, a day not past, the phone. */
static int check_places(struct call *c, const struct need_body *b, const struct region *r, struct field_errors *errs)
{
	struct catalog_item *it = xmalloc(sizeof(*it));
	struct region bld;
	char today[11];
	int rc = catalog_item_get(c->db, b->item_id, it);

	if (rc == CATALOG_OK && (!catalog_offered(it, r->path) || strcmp(it->category, "welfare")))
		rc = CATALOG_NOT_FOUND; /* residents order from the menu: the welfare items offered there */
	free(it);
	if (rc == CATALOG_NOT_FOUND)
		field_errors_add(errs, "item_id", "not_found", "本社区没有这项服务");
	else if (rc != CATALOG_OK)
		return -1;
	if (b->building_code && b->building_code[0]) {
		rc = valid_digits(b->building_code, 12, 18) ? region_get(c->db, b->building_code, &bld) : REGION_NOT_FOUND;
		if (rc == REGION_ERROR)
			return -1;
		if (rc != REGION_OK || strcmp(bld.level, "building") || strncmp(bld.path, r->path, strlen(r->path)))
			field_errors_add(errs, "building_code", "not_found", "应为本社区的一栋楼");
	}
	clock_date(clock_now(), today);
	if (b->wanted_on && b->wanted_on[0] && (!valid_date(b->wanted_on) || strcmp(b->wanted_on, today) < 0))
		field_errors_add(errs, "wanted_on", "format", "应为今天或以后的日期，如 2026-12-05");
	if (!valid_phone(b->contact_phone))
		field_errors_add(errs, "contact_phone", "format", "应为手机号或固定电话");
	return 0;
}

/*
 * POST /needs: a resident posts their own need (channel self, in the
 * community they live in), or staff enter one for a resident (代录: channel
 * phone, visit or grid; requester_account_id: the resident's account, if they
 * have one, so they can follow and confirm it).
 */
void needs_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct need_body b = { 0 };
	const struct grant *home;
	struct need_input in;
	struct region r;
	bool staff;
	int64_t id;
	int rc;

	if (call_body_or_reply(c, need_spec, &b) < 0)
		return;
	home = resident_grant(c, b.community_code);
	if (!b.community_code && !home) {
		reply_field(c, 422, "community_code", "required", "请选择社区");
		goto out;
	}
	rc = valid_digits(b.community_code ? b.community_code : home->region_code, 12, 18)
		     ? region_get(c->db, b.community_code ? b.community_code : home->region_code, &r)
		     : REGION_NOT_FOUND;
	if (rc == REGION_ERROR) {
		reply_internal(c, "reading a community");
		goto out;
	}
	if (rc != REGION_OK || strcmp(r.level, "community")) {
		reply_field(c, 422, "community_code", "not_found", "应为一个社区");
		goto out;
	}
	staff = authz_allows(&c->who, ACT_SERVE_MANAGE, &(struct target){ r.path, 0 });
	if (!staff && !home) {
		reply_problem(c, 403, "forbidden", "只能为自己居住的社区提交需求");
		goto out;
	}
	if (check_places(c, &b, &r, &errs) < 0) {
		reply_internal(c, "checking a need");
		goto out;
	}
	if (staff && (!b.channel || !strcmp(b.channel, "self")))
		field_errors_add(&errs, "channel", "required", "代录需说明来源：电话、走访或网格员");
	if (!staff && b.channel && strcmp(b.channel, "self"))
		field_errors_add(&errs, "channel", "choice", "居民本人提交");
	if (!staff && b.requester_account_id)
		field_errors_add(&errs, "requester_account_id", "forbidden", "居民只能为自己提交");
	if (staff && b.requester_account_id && (rc = account_lives_in(c->db, b.requester_account_id, r.code)) <= 0) {
		if (rc < 0) {
			reply_internal(c, "reading a resident");
			goto out;
		}
		field_errors_add(&errs, "requester_account_id", "not_found", "应为本社区居民的账号");
	}
	if (errs.n) {
		reply_errors(c, 422, &errs);
		goto out;
	}
	in = (struct need_input){ r.code, b.item_id, b.description, b.building_code, b.place, b.wanted_on,
				  b.wanted_part, b.urgency ? b.urgency : "normal", b.contact_name, b.contact_phone,
				  staff ? b.channel : "self", staff ? b.requester_account_id : c->actor.account_id };
	rc = need_create(c->db, &c->actor, &in, &id);
	if (rc != NEED_OK)
		need_reply_error(c, rc, NULL, NULL);
	else
		need_reply(c, 201, id);
out:
	spec_release(need_spec, &b);
}

void needs_get(struct call *c)
{
	struct need_seat s;
	struct need *n;

	if (need_or_reply(c, &n, &s) < 0)
		return;
	reply_json(c, 200, need_json(c, n, &s, s.staff || s.manages || s.requester || s.holder));
	free(n);
}

static const char *const states[] = { "submitted", "accepted", "refused", "dispatched", "taken", "in_progress",
				      "done", "closed", "expired", "withdrawn", "converted", NULL };

/* A page of needs as the caller sees them, with the counts by state when counts is given. */
static void reply_page(struct call *c, const struct need_filter *f, const struct need_filter *counts)
{
	struct need_count by[NEED_STATES];
	struct need *items;
	int64_t page, per_page, total;
	size_t n, nby = 0;
	json_t *arr, *o;

	if (call_page_or_reply(c, &page, &per_page) < 0)
		return;
	if (need_list(c->db, f, page, per_page, &items, &n, &total) != NEED_OK ||
	    (counts && need_counts(c->db, counts, by, &nby) != NEED_OK)) {
		reply_internal(c, "listing needs");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		struct need_seat s;

		need_seat_of(c, &items[i], &s);
		arr = json_push(arr, need_json(c, &items[i], &s, false));
	}
	free(items);
	o = page_json(arr, total, page, per_page);
	if (o && counts) {
		json_t *cs = json_object();

		for (size_t i = 0; i < nby; i++)
			json_object_set_new(cs, by[i].state, json_integer(by[i].count));
		json_object_set_new(o, "counts", cs);
	}
	reply_json(c, 200, o);
}

/* GET /needs: the staff's queue of the communities in scope: urgent first, then the oldest; counts by state. */
void needs_list(struct call *c)
{
	struct need_filter f = { 0 };
	struct scope scope;

	if (call_query_or_reply(c, "community", 18, &f.community) < 0 ||
	    call_choice_or_reply(c, "state", states, &f.state) < 0 ||
	    call_choice_or_reply(c, "urgency", urgencies, &f.urgency) < 0 ||
	    call_int_or_reply(c, "item_id", 1, INT64_MAX, &f.item_id) < 0)
		return;
	authz_scope(&c->who, ACT_SERVE_READ, &scope);
	if (!scope.all && !scope.npaths) {
		reply_problem(c, 403, "forbidden", "无权查看需求清单");
		return;
	}
	f.scope = &scope;
	f.open = !f.state;
	reply_page(c, &f, &f);
}

/* GET /me/needs: the needs the caller asked for (a resident's own, or entered for them), the newest first. */
void me_needs(struct call *c)
{
	struct need_filter f = { .requester_account_id = c->actor.account_id };

	if (call_choice_or_reply(c, "state", states, &f.state) < 0)
		return;
	reply_page(c, &f, NULL);
}

struct reason_body {
	char *reason;
};

static const struct spec_field reason_spec[] = {
	SPEC(struct reason_body, reason, SPEC_STR, SPEC_REQUIRED, 2, NEED_REASON_MAX),
	{ 0 },
};

/* Runs step on need {id} for a caller whose seat allows it (who: a mask of seats), with a reason when asked. */
enum { BY_MANAGER = 1, BY_REQUESTER = 2, BY_HOLDER = 4 };
static void step(struct call *c, enum need_step st, unsigned who, bool reason)
{
	struct reason_body b = { 0 };
	struct need_seat s;
	struct need *n;
	int rc;

	if (need_or_reply(c, &n, &s) < 0)
		return;
	if (!(((who & BY_MANAGER) && s.manages) || ((who & BY_REQUESTER) && s.requester) ||
	      ((who & BY_HOLDER) && s.holder))) {
		reply_problem(c, 403, "forbidden", "无权这样处理该需求");
		free(n);
		return;
	}
	if (reason && call_body_or_reply(c, reason_spec, &b) < 0) {
		free(n);
		return;
	}
	switch (st) {
	case NEED_DECLINE:
		rc = need_decline(c->db, &c->actor, n->id, b.reason);
		break;
	case NEED_REOPEN:
		rc = need_reopen(c->db, &c->actor, n->id, b.reason);
		break;
	case NEED_ANSWER:
		rc = need_answer(c->db, &c->actor, n->id, c->actor.account_id);
		break;
	default:
		rc = need_step(c->db, &c->actor, n->id, st, b.reason);
	}
	if (rc != NEED_OK)
		need_reply_error(c, rc, NULL, NULL);
	else
		need_reply(c, 200, n->id);
	if (reason)
		spec_release(reason_spec, &b);
	free(n);
}

void needs_accept(struct call *c)
{
	step(c, NEED_ACCEPT, BY_MANAGER, false);
}

void needs_refuse(struct call *c)
{
	step(c, NEED_REFUSE, BY_MANAGER, true);
}

void needs_renew(struct call *c)
{
	step(c, NEED_RENEW, BY_MANAGER, false);
}

void needs_withdraw(struct call *c)
{
	step(c, NEED_WITHDRAW, BY_MANAGER | BY_REQUESTER, true);
}

void needs_answer(struct call *c)
{
	step(c, NEED_ANSWER, BY_HOLDER, false);
}

void needs_decline(struct call *c)
{
	step(c, NEED_DECLINE, BY_HOLDER, true);
}

void needs_start(struct call *c)
{
	step(c, NEED_START, BY_HOLDER, false);
}

void needs_reopen(struct call *c)
{
	step(c, NEED_REOPEN, BY_MANAGER | BY_REQUESTER, true);
}

struct done_body {
	char *note;
	long long minutes;
};

static const struct spec_field done_spec[] = {
	SPEC(struct done_body, note, SPEC_STR, SPEC_REQUIRED, 2, NEED_TEXT_MAX),
	SPEC(struct done_body, minutes, SPEC_INT, SPEC_REQUIRED, 1, NEED_MINUTES_MAX),
	{ 0 },
};

/* POST /needs/{id}/done: its holder has done it: what was done, how long it took, the item's extra fields. */
void needs_done(struct call *c)
{
	struct field_errors errs = { 0 };
	struct record_fields f = { 0 };
	struct done_body b = { 0 };
	struct need_seat s;
	struct need *n;
	int rc;

	if (need_or_reply(c, &n, &s) < 0)
		return;
	if (!s.holder)
		reply_problem(c, 403, "forbidden", "只有接单人可以标记完成");
	else if (call_body_read_or_reply(c, done_spec, &b, &errs) == 0) {
		record_fields_read(c, &errs, &f);
		rc = errs.n ? NEED_INVALID
			    : need_done(c->db, &c->actor, n->id, b.note, b.minutes, (const char *const *)f.names,
					(const char *const *)f.values, f.n, &errs);
		if (rc != NEED_OK)
			need_reply_error(c, rc, NULL, &errs);
		else
			need_reply(c, 200, n->id);
	}
	record_fields_release(&f);
	spec_release(done_spec, &b);
	free(n);
}

struct confirm_body {
	long long rating;
	char *comment;
};

static const struct spec_field confirm_spec[] = {
	SPEC(struct confirm_body, rating, SPEC_INT, SPEC_REQUIRED, 1, 5),
	SPEC(struct confirm_body, comment, SPEC_STR, 0, 0, NEED_COMMENT_MAX),
	{ 0 },
};

/* POST /needs/{id}/confirm: the resident (or staff for them) confirms it done and rates it: the member's record. */
void needs_confirm(struct call *c)
{
	struct field_errors errs = { 0 };
	struct confirm_body b = { 0 };
	struct need_seat s;
	struct need *n;
	int rc;

	if (need_or_reply(c, &n, &s) < 0)
		return;
	if (!s.requester && !s.manages)
		reply_problem(c, 403, "forbidden", "只有提出需求的居民或社区可以确认");
	else if (call_body_or_reply(c, confirm_spec, &b) == 0) {
		rc = need_confirm(c->db, &c->actor, n->id, (int)b.rating, b.comment, &errs);
		if (rc != NEED_OK)
			need_reply_error(c, rc, NULL, &errs);
		else
			need_reply(c, 200, n->id);
		spec_release(confirm_spec, &b);
	}
	free(n);
}
