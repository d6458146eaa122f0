/* activities.c: activities in the console and on the phone: the calendar, the editor, publishing, cancelling, near me */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/activity_api.h"
#include "api/handlers.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/valid.h"

/* --- The editor --------------------------------------------------------------------------------- */

struct activity_body {
	char *community_code, *organiser, *title, *description, *place, *building_code, *audience, *repeat_until;
	long long team_id, unit_id, item_id, starts_at, ends_at, signup_deadline, capacity, minutes_cap, repeat_count;
	struct str_list specialties;
	struct int_list repeat_weekdays;
	bool publish;
};

#define TIME_MAX 4102444800LL /* 2100-01-01 */
#define BODY_FIELDS                                                                                         \
	SPEC(struct activity_body, community_code, SPEC_STR, SPEC_REQUIRED, 1, 18),                         \
	SPEC_CHOICE(struct activity_body, organiser, SPEC_REQUIRED, activity_organisers),                  \
	SPEC(struct activity_body, team_id, SPEC_INT, 0, 0, INT64_MAX),                                     \
	SPEC(struct activity_body, unit_id, SPEC_INT, 0, 0, INT64_MAX),                                     \
	SPEC(struct activity_body, item_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),                         \
	SPEC(struct activity_body, title, SPEC_STR, SPEC_REQUIRED, 1, ACTIVITY_TITLE_MAX),                  \
	SPEC(struct activity_body, description, SPEC_STR, 0, 0, ACTIVITY_TEXT_MAX),                         \
	SPEC(struct activity_body, place, SPEC_STR, SPEC_REQUIRED, 1, ACTIVITY_PLACE_MAX),                  \
	SPEC(struct activity_body, building_code, SPEC_STR, 0, 0, 18),                                      \
	SPEC(struct activity_body, starts_at, SPEC_INT, SPEC_REQUIRED, 1, TIME_MAX),                        \
	SPEC(struct activity_body, ends_at, SPEC_INT, SPEC_REQUIRED, 1, TIME_MAX),                          \
	SPEC(struct activity_body, signup_deadline, SPEC_INT, 0, 0, TIME_MAX),                              \
	SPEC(struct activity_body, capacity, SPEC_INT, SPEC_REQUIRED, 1, ACTIVITY_CAPACITY_MAX),            \
	SPEC_CHOICE(struct activity_body, audience, SPEC_REQUIRED, activity_audiences),                    \
	SPEC_LIST(struct activity_body, specialties, SPEC_STRS, 0, 1, ACTIVITY_TAG_MAX, ACTIVITY_TAGS_N), \
	SPEC(struct activity_body, minutes_cap, SPEC_INT, 0, 0, ACTIVITY_HOURS_MAX * 60)

static const struct spec_field create_spec[] = {
	BODY_FIELDS,
	SPEC(struct activity_body, publish, SPEC_BOOL, 0, 0, 0),
	SPEC_LIST(struct activity_body, repeat_weekdays, SPEC_INTS, 0, 1, 7, 7),
	SPEC(struct activity_body, repeat_until, SPEC_STR, 0, 0, 10),
	SPEC(struct activity_body, repeat_count, SPEC_INT, 0, 0, ACTIVITY_SERIES_MAX),
	{ 0 },
};

static const struct spec_field update_spec[] = { BODY_FIELDS, { 0 } };

/* The body as domain input; the specialties joined by ',' into tags (a buffer the caller releases). */
static struct activity_input input_of(const struct activity_body *b, struct buf *tags, struct field_errors *errs)
{
	enum activity_organiser org = ORGANISER_COMMUNITY;

	for (size_t i = 0; i < b->specialties.n; i++) {
		if (!b->specialties.items[i]) /* refused by the spec already */
			continue;
		if (strchr(b->specialties.items[i], ','))
			field_errors_add(errs, "specialties", "format", "每项特长里不能有英文逗号");
		buf_addf(tags, "%s%s", i ? "," : "", b->specialties.items[i]);
	}
	for (int i = 0; b->organiser && activity_organisers[i]; i++)
		if (!strcmp(b->organiser, activity_organisers[i]))
			org = (enum activity_organiser)i;
	return (struct activity_input){ .community_code = b->community_code, .organiser = org, .team_id = b->team_id,
					.unit_id = b->unit_id, .item_id = b->item_id, .title = b->title,
					.description = b->description, .place = b->place,
					.building_code = b->building_code, .starts_at = b->starts_at,
					.ends_at = b->ends_at, .signup_deadline = b->signup_deadline,
					.capacity = b->capacity, .audience = b->audience,
					.specialties = buf_str(tags), .minutes_cap = b->minutes_cap };
}

/* The last second of day YYYY-MM-DD in China, or -1 when it is not a date. */
static int64_t china_day_end(const char *date)
{
	struct tm tm = { 0 };
	int y, m, d;

	if (!date_split(date, &y, &m, &d))
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	return (int64_t)timegm(&tm) + 86400 - 8 * 3600 - 1;
}

/* The repeat of a create, if any (1): weekdays 1 (Monday) to 7, until a date or a count (or both: the earlier). */
static int repeat_of(const struct activity_body *b, struct activity_repeat *r, struct field_errors *errs)
{
	memset(r, 0, sizeof(*r));
	if (!b->repeat_weekdays.n) {
		if ((b->repeat_until && *b->repeat_until) || b->repeat_count)
			field_errors_add(errs, "repeat_weekdays", "required", "请选择每周哪几天重复");
		return 0;
	}
	for (size_t i = 0; i < b->repeat_weekdays.n; i++)
		r->weekdays |= 1u << (b->repeat_weekdays.items[i] - 1);
	r->count = b->repeat_count;
	if (b->repeat_until && *b->repeat_until && (r->until = china_day_end(b->repeat_until)) < 0) {
		field_errors_add(errs, "repeat_until", "format", "应为日期，如 2026-12-31");
		r->until = 0;
	} else if (!r->until && !r->count) {
		field_errors_add(errs, "repeat_until", "required", "请写重复到哪一天（repeat_until）或共几次（repeat_count）");
	}
	return 1;
}

/* 403 unless the caller may run what activity_check found (the place and the organiser of the new text). */
static int may_run_or_reply(struct call *c, const struct activity *found)
{
	int rc = activity_may_manage(c->db, &c->who, c->actor.account_id, found, clock_now());

	if (rc < 0) {
		reply_internal(c, "checking the organiser");
		return -1;
	}
	if (rc == 0) {
		reply_problem(c, 403, "forbidden",
			      !strcmp(found->organiser, "unit")
				      ? "单位须与该社区签有有效的共驻共建协议，才能在该社区组织活动"
				      : "没有权限在该社区组织活动");
		return -1;
	}
	return 0;
}

/* Reads and checks the body of a create or an edit, and that the caller may run what it describes. */
static int body_or_reply(struct call *c, const struct spec_field *spec, struct activity_body *b, struct buf *tags,
			 struct activity_input *in, struct activity_repeat *r, int *repeat)
{
	struct field_errors errs = { 0 };
	struct activity found;

	if (call_body_read_or_reply(c, spec, b, &errs) < 0)
		return -1;
	*in = input_of(b, tags, &errs);
	*repeat = r ? repeat_of(b, r, &errs) : 0;
	if (activity_check(c->db, in, &errs, &found) < 0) {
		reply_internal(c, "checking an activity");
		return -1;
	}
	if (errs.n) {
		reply_errors(c, 422, &errs);
		return -1;
	}
	return may_run_or_reply(c, &found);
}

static void reply_activity(struct call *c, int status, int64_t id)
{
	struct activity a;

	if (activity_get(c->db, id, &a) != ACTIVITY_OK) {
		reply_internal(c, "reading an activity");
		return;
	}
	reply_json(c, status, activity_json(&a));
}

/* POST /activities: a draft (or, with publish, a published) occurrence, or a weekly series of them. */
void activities_create(struct call *c)
{
	struct activity_body b = { 0 };
	struct field_errors errs = { 0 };
	struct activity_input in;
	struct activity_repeat r;
	struct buf tags = BUF_INIT;
	int64_t first;
	size_t n;
	int rc, repeat;

	if (body_or_reply(c, create_spec, &b, &tags, &in, &r, &repeat) < 0)
		goto out;
	rc = activity_create(c->db, &c->actor, &in, repeat ? &r : NULL, b.publish, &errs, &first, &n);
	if (rc == ACTIVITY_INVALID) {
		reply_errors(c, 422, &errs);
	} else if (rc != ACTIVITY_OK) {
		activity_reply_rc(c, rc, "create");
	} else {
		struct activity a;
		json_t *o = activity_get(c->db, first, &a) == ACTIVITY_OK ? activity_json(&a) : NULL;

		if (o && json_object_set_new(o, "occurrences", json_integer((json_int_t)n)) < 0) {
			json_decref(o);
			o = NULL;
		}
		reply_json(c, 201, o);
	}
out:
	buf_release(&tags);
	spec_release(create_spec, &b);
}

/* PUT /activities/{id}: the whole occurrence again (a draft's, or a published one's but its place and organiser). */
void activities_update(struct call *c)
{
	struct activity_body b = { 0 };
	struct field_errors errs = { 0 };
	struct activity_view v;
	struct activity_input in;
	struct buf tags = BUF_INIT;
	int rc, repeat;

	if (activity_manage_or_reply(c, &v) < 0 || body_or_reply(c, update_spec, &b, &tags, &in, NULL, &repeat) < 0)
		goto out;
	rc = activity_update(c->db, &c->actor, v.a.id, &in, clock_now(), &errs);
	if (rc == ACTIVITY_INVALID) {
		reply_errors(c, 422, &errs);
	} else if (rc == ACTIVITY_CAPACITY) {
		char msg[96];

		snprintf(msg, sizeof(msg), "已有 %lld 人报名，名额不能少于这个数", (long long)v.a.signed_count);
		reply_field(c, 422, "capacity", "too_small", msg);
	} else if (rc != ACTIVITY_OK) {
		activity_reply_rc(c, rc, "update");
	} else {
		reply_activity(c, 200, v.a.id);
	}
out:
	buf_release(&tags);
	spec_release(update_spec, &b);
}

struct series_body {
	bool series;
	char *reason;
};

static const struct spec_field publish_spec[] = {
	SPEC(struct series_body, series, SPEC_BOOL, 0, 0, 0),
	{ 0 },
};

static const struct spec_field cancel_spec[] = {
	SPEC(struct series_body, series, SPEC_BOOL, 0, 0, 0),
	SPEC(struct series_body, reason, SPEC_STR, SPEC_REQUIRED, 1, ACTIVITY_REASON_MAX),
	{ 0 },
};

/* {"<count_name>": n, "activity": …} after a change of state of one occurrence or its series. */
static void reply_changed(struct call *c, const char *count_name, size_t n, int64_t id)
{
	struct activity a;
	json_t *o = activity_get(c->db, id, &a) == ACTIVITY_OK ? activity_json(&a) : NULL;

	reply_json(c, 200, o ? json_pack("{s:I, s:o}", count_name, (json_int_t)n, "activity", o) : NULL);
}

/* POST /activities/{id}/publish [{"series": true}]: a draft, and with series its series' later drafts. */
void activities_publish(struct call *c)
{
	struct series_body b = { 0 };
	struct activity_view v;
	size_t n;
	int rc;

	if (activity_manage_or_reply(c, &v) < 0 || (c->req->body.len && call_body_or_reply(c, publish_spec, &b) < 0))
		return;
	rc = activity_publish(c->db, &c->actor, v.a.id, b.series, clock_now(), &n);
	if (rc != ACTIVITY_OK)
		activity_reply_rc(c, rc, "publish");
	else
		reply_changed(c, "published", n, v.a.id);
}

/* POST /activities/{id}/cancel {"reason", "series"}: those signed up and waiting are told, with the reason. */
void activities_cancel(struct call *c)
{
	struct series_body b = { 0 };
	struct activity_view v;
	size_t n;
	int rc;

	if (activity_manage_or_reply(c, &v) < 0 || call_body_or_reply(c, cancel_spec, &b) < 0)
		return;
	rc = activity_cancel(c->db, &c->actor, v.a.id, b.reason, b.series, clock_now(), &n);
	if (rc != ACTIVITY_OK)
		activity_reply_rc(c, rc, "cancel");
	else
		reply_changed(c, "cancelled", n, v.a.id);
	spec_release(cancel_spec, &b);
}

/* --- Reading ------------------------------------------------------------------------------------ */

static json_t *page_of(const struct activity *items, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, activity_json(&items[i]));
	return arr;
}

/* GET /activities: a calendar's page (by start), within the caller's reach; a team's leader asks for their team's. */
void activities_list(struct call *c)
{
	struct activity_filter f = { 0 };
	struct activity *items;
	struct scope scope;
	int64_t total;
	size_t n;
	int rc;

	if (call_query_or_reply(c, "community", 18, &f.community) < 0 ||
	    call_choice_or_reply(c, "state", activity_states, &f.state) < 0 ||
	    call_int_or_reply(c, "team_id", 1, INT64_MAX, &f.team_id) < 0 ||
	    call_int_or_reply(c, "unit_id", 1, INT64_MAX, &f.unit_id) < 0 ||
	    call_int_or_reply(c, "from", 0, TIME_MAX, &f.from) < 0 || call_int_or_reply(c, "to", 0, TIME_MAX, &f.to) < 0 ||
	    call_page_or_reply(c, &f.page, &f.per_page) < 0)
		return;
	authz_scope(&c->who, ACT_SERVE_READ, &scope);
	if (scope.all || scope.npaths || scope.nunits) {
		rc = activity_list(c->db, &scope, &f, &items, &n, &total);
	} else {
		/* Without a place to read: only a team's leader, for the team. */
		rc = f.team_id ? activity_team_led(c->db, f.team_id, c->actor.account_id) : 0;
		if (rc < 0) {
			reply_internal(c, "reading a team");
			return;
		}
		if (!rc) {
			reply_problem(c, 403, "forbidden", "没有权限查看活动列表");
			return;
		}
		rc = activity_list_team(c->db, f.team_id, &f, &items, &n, &total);
	}
	if (rc != ACTIVITY_OK) {
		reply_internal(c, "listing activities");
		return;
	}
	reply_json(c, 200, page_json(page_of(items, n), total, f.page, f.per_page));
	free(items);
}

/* The member's own sign-up with its timeline (what they were told), or null. */
static json_t *my_signup_json(struct call *c, const struct activity_view *v)
{
	struct activity_signup_event *events;
	struct activity_signup s;
	size_t n;
	json_t *o, *arr;
	int rc = activity_signup_find(c->db, v->a.id, v->me.id, &s);

	if (rc == ACTIVITY_NOT_FOUND)
		return json_null();
	if (rc != ACTIVITY_OK || activity_signup_events(c->db, s.id, &events, &n) != ACTIVITY_OK)
		return NULL;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:I, s:s, s:s}", "at", (json_int_t)events[i].at, "event",
					       events[i].event, "note", events[i].note));
	free(events);
	o = activity_signup_json(&s, true);
	if (o && arr && json_object_set_new(o, "events", arr) == 0)
		return o;
	json_decref(o);
	return NULL;
}

/* GET /activities/{id}: the activity, whether the caller runs it, and a member's own sign-up. */
void activities_get(struct call *c)
{
	struct activity_view v;
	json_t *o;

	if (activity_view_or_reply(c, &v) < 0)
		return;
	o = activity_json(&v.a);
	if (o && (json_object_set_new(o, "may_manage", json_boolean(v.manage)) < 0 ||
		  json_object_set_new(o, "open_to_me", json_boolean(v.member && v.me.approved &&
								     activity_open_to(&v.a, v.me.community_code))) < 0 ||
		  json_object_set_new(o, "my_signup", v.member ? my_signup_json(c, &v) : json_null()) < 0)) {
		json_decref(o);
		o = NULL;
	}
	reply_json(c, 200, o);
}

/* How near an activity is to a member living in community code: "community", "street" or "city". */
static const char *nearness(const struct activity *a, const char *code)
{
	return !strcmp(a->community_code, code) ? "community" : !strncmp(a->community_code, code, 9) ? "street" : "city";
}

/* GET /me/activities: what the member may sign up for near home, their community's first, then the street's, then the city's. */
void me_activities(struct call *c)
{
	struct activity_member m;
	struct activity *items;
	int64_t page, per_page, total;
	size_t n;
	json_t *arr;

	if (call_page_or_reply(c, &page, &per_page) < 0 || activity_member_or_reply(c, &m) < 0)
		return;
	if (activity_near(c->db, m.community_code, clock_now(), page, per_page, &items, &n, &total) != ACTIVITY_OK) {
		reply_internal(c, "listing activities near a member");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n && arr; i++) {
		struct activity_signup s;
		int rc = activity_signup_find(c->db, items[i].id, m.id, &s);
		json_t *o = rc == ACTIVITY_ERROR ? NULL : activity_json(&items[i]);

		if (o && (json_object_set_new(o, "my_signup",
					      rc == ACTIVITY_OK ? activity_signup_json(&s, false) : json_null()) < 0 ||
			  json_object_set_new(o, "near", json_string(nearness(&items[i], m.community_code))) < 0)) {
			json_decref(o);
			o = NULL;
		}
		arr = json_push(arr, o);
	}
	free(items);
	reply_json(c, 200, arr ? page_json(arr, total, page, per_page) : NULL);
}
