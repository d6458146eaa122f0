/* duty.c: duty rosters (值守/值班): posts and shifts kept by a community's staff, members signing up, closing into records, units' rotas */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/duty_api.h"
#include "api/handlers.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/duty.h"
#include "domain/unit.h"

/* Whether the caller runs the rosters of the community at path (its staff; the administrator). */
bool duty_may_run(struct call *c, const char *path)
{
	return authz_allows(&c->who, ACT_DUTY, &(struct target){ path, 0 });
}

/* The caller's member file when they are an approved member of community code (a member account). */
static bool member_here(struct call *c, const char *code, struct duty_member *m)
{
	if (!(principal_roles(&c->who) & ROLE_BIT(ROLE_MEMBER)))
		return false;
	if (duty_member_of_account(c->db, c->actor.account_id, m) != DUTY_OK)
		return false;
	return m->approved && !strcmp(m->community_code, code);
}

/* "08:00", or "次日06:00" past midnight. */
static void hhmm(int64_t min, char out[24])
{
	snprintf(out, 24, "%s%02d:%02d", min >= DUTY_DAY_MIN ? "次日" : "", (int)(min % DUTY_DAY_MIN / 60),
		 (int)(min % 60));
}

/* What a full shift answers, naming it: "「门岗 2026-12-08 08:00–12:00」已满员" (sized for the longest name). */
static void full_title(const struct duty_shift *s, char out[TEXT_BYTES(DUTY_NAME_MAX) + 100])
{
	char a[24], b[24];

	hhmm(s->start_min, a);
	hhmm(s->end_min, b);
	snprintf(out, TEXT_BYTES(DUTY_NAME_MAX) + 100, "「%s %s %s–%s」已满员", s->post_name, s->day, a, b);
}

static json_t *post_json(const struct duty_post *p)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:I}", "id", (json_int_t)p->id,
			 "community_code", p->community_code, "community_name", p->community_name, "name", p->name,
			 "place", p->place, "item_id", (json_int_t)p->item_id, "item_name", p->item_name, "state",
			 p->state, "created_at", (json_int_t)p->created_at, "updated_at", (json_int_t)p->updated_at);
}

json_t *duty_shift_json(const struct duty_shift *s)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:b}", "id", (json_int_t)s->id,
			 "post_id", (json_int_t)s->post_id, "post_name", s->post_name, "place", s->place,
			 "community_code", s->community_code, "day", s->day, "start", (json_int_t)s->start_min, "end",
			 (json_int_t)s->end_min, "places", (json_int_t)s->places, "filled", (json_int_t)s->filled,
			 "starts_at", (json_int_t)s->starts_at, "ends_at", (json_int_t)s->ends_at, "closed",
			 s->closed_at != 0);
}

static json_t *assignment_json(const struct duty_assignment *a)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:s, s:I}", "id", (json_int_t)a->id, "shift_id",
			      (json_int_t)a->shift_id, "member_id", (json_int_t)a->member_id, "member_name",
			      a->member_name, "state", a->state, "checked_in_at", (json_int_t)a->checked_in_at);

	if (o)
		json_object_set_new(o, "record", a->record_id ? json_pack("{s:I, s:s}", "id", (json_int_t)a->record_id,
									  "state", a->record_state)
							      : json_null());
	return o;
}

/* Without the names: what a member sees of other people's places. */
static json_t *mine_json(const struct duty_assignment *a)
{
	json_t *o = json_pack("{s:I, s:s, s:I}", "id", (json_int_t)a->id, "state", a->state, "checked_in_at",
			      (json_int_t)a->checked_in_at);

	if (o)
		json_object_set_new(o, "record", a->record_id ? json_pack("{s:I, s:s}", "id", (json_int_t)a->record_id,
									  "state", a->record_state)
							      : json_null());
	return o;
}

void duty_reply_error(struct call *c, int rc, const struct field_errors *errs, const struct duty_shift *s)
{
	char title[TEXT_BYTES(DUTY_NAME_MAX) + 100];

	switch (rc) {
	case DUTY_INVALID:
		reply_errors(c, 422, errs);
		break;
	case DUTY_NOT_FOUND:
		reply_problem(c, 404, "not_found", "找不到该值班");
		break;
	case DUTY_FULL:
		if (s)
			full_title(s, title);
		else
			snprintf(title, sizeof(title), "该班次已满员");
		reply_problem(c, 409, "full", title);
		break;
	case DUTY_ALREADY:
		reply_problem(c, 409, "already", "已在该班次上");
		break;
	case DUTY_STARTED:
		reply_problem(c, 409, "started", "该班次已开始或已结束");
		break;
	case DUTY_CLASH:
		reply_problem(c, 409, "clash", "同一时间已有别的班次");
		break;
	case DUTY_STATE:
		reply_problem(c, 409, "state", "当前状态不允许此操作");
		break;
	case DUTY_NOT_ENDED:
		reply_problem(c, 409, "not_ended", "班次结束后才能收班");
		break;
	case DUTY_WINDOW:
		reply_problem(c, 409, "window", "只能在班次开始前 1 小时到结束之间签到");
		break;
	case DUTY_NOT_MEMBER:
		reply_field(c, 422, "member_id", "not_found", "应为本社区已报到的党员");
		break;
	case DUTY_NO_AGREEMENT:
		reply_problem(c, 409, "no_agreement", "与该社区没有生效的共建协议");
		break;
	default:
		reply_internal(c, "writing a duty roster");
	}
}

/* The community of path parameter 0, a community the caller may see (staff, or with members: a member there). */
int duty_community_or_reply(struct call *c, bool members_too, struct region *r, bool *staff, struct duty_member *m)
{
	const char *code = c->req->params[0];
	int rc = valid_digits(code, 12, 18) ? region_get(c->db, code, r) : REGION_NOT_FOUND;

	*staff = false;
	if (rc == REGION_OK && strcmp(r->level, "community"))
		rc = REGION_NOT_FOUND;
	if (rc == REGION_OK) {
		*staff = duty_may_run(c, r->path);
		if (!*staff && !(members_too && member_here(c, r->code, m)))
			rc = REGION_NOT_FOUND;
	}
	if (rc == REGION_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该社区");
	else if (rc != REGION_OK)
		reply_internal(c, "reading a community");
	return rc == REGION_OK ? 0 : -1;
}

/* The post of path parameter 0, run by the caller; 404 otherwise. */
static int post_or_reply(struct call *c, struct duty_post *p)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = duty_post_get(c->db, id, p);
	if (rc == DUTY_OK && !duty_may_run(c, p->community_path))
		rc = DUTY_NOT_FOUND;
	if (rc == DUTY_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该值守岗位");
	else if (rc != DUTY_OK)
		reply_internal(c, "reading a duty post");
	return rc == DUTY_OK ? 0 : -1;
}

/*
 * The shift of path parameter 0: run by the caller (*staff), or, with
 * members, of the caller's own community (m the caller's file); 404 otherwise.
 */
int duty_shift_or_reply(struct call *c, bool members_too, struct duty_shift *s, bool *staff, struct duty_member *m)
{
	int64_t id;
	int rc;

	*staff = false;
	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = duty_shift_get(c->db, id, s);
	if (rc == DUTY_OK) {
		*staff = duty_may_run(c, s->community_path);
		if (!*staff && !(members_too && member_here(c, s->community_code, m)))
			rc = DUTY_NOT_FOUND;
	}
	if (rc == DUTY_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该班次");
	else if (rc != DUTY_OK)
		reply_internal(c, "reading a shift");
	return rc == DUTY_OK ? 0 : -1;
}

/* The assignment of path parameter 0 with its shift: run by the caller (*staff), or with own, the caller's own. */
int duty_assignment_or_reply(struct call *c, bool own, struct duty_assignment *a, struct duty_shift *s, bool *staff,
			       struct duty_member *m)
{
	int64_t id;
	int rc;

	*staff = false;
	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = duty_assignment_get(c->db, id, a);
	if (rc == DUTY_OK)
		rc = duty_shift_get(c->db, a->shift_id, s);
	if (rc == DUTY_OK) {
		*staff = duty_may_run(c, s->community_path);
		if (!*staff && !(own && (principal_roles(&c->who) & ROLE_BIT(ROLE_MEMBER)) &&
				 duty_member_of_account(c->db, c->actor.account_id, m) == DUTY_OK &&
				 m->id == a->member_id))
			rc = DUTY_NOT_FOUND;
	}
	if (rc == DUTY_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该值班安排");
	else if (rc != DUTY_OK)
		reply_internal(c, "reading a duty assignment");
	return rc == DUTY_OK ? 0 : -1;
}

/* --- posts and shifts ------------------------------------------------------------------------------------ */

struct post_body {
	char *name, *place, *state;
	long long item_id;
};

static const struct spec_field post_spec[] = {
	SPEC(struct post_body, name, SPEC_STR, SPEC_REQUIRED, 1, DUTY_NAME_MAX),
	SPEC(struct post_body, place, SPEC_STR, 0, 0, DUTY_PLACE_MAX),
	SPEC(struct post_body, item_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),
	SPEC_CHOICE(struct post_body, state, 0, duty_post_states),
	{ 0 },
};

static void reply_post(struct call *c, int status, int64_t id)
{
	struct duty_post p;

	if (duty_post_get(c->db, id, &p) != DUTY_OK)
		reply_internal(c, "reading a duty post");
	else
		reply_json(c, status, post_json(&p));
}

/* POST /communities/{code}/duty-posts */
void duty_posts_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct post_body b = { 0 };
	struct duty_member m;
	struct region r;
	bool staff;
	int64_t id;
	int rc;

	if (duty_community_or_reply(c, false, &r, &staff, &m) < 0 || call_body_or_reply(c, post_spec, &b) < 0)
		return;
	struct duty_post_input in = { b.name, b.place, b.state, b.item_id };

	rc = duty_post_add(c->db, &c->actor, r.code, &in, &errs, &id);
	if (rc != DUTY_OK)
		duty_reply_error(c, rc, &errs, NULL);
	else
		reply_post(c, 201, id);
	spec_release(post_spec, &b);
}

/* PATCH /duty-posts/{id}: name, place, item and state (all given again) */
void duty_posts_update(struct call *c)
{
	struct field_errors errs = { 0 };
	struct post_body b = { 0 };
	struct duty_post p;
	int rc;

	if (post_or_reply(c, &p) < 0 || call_body_or_reply(c, post_spec, &b) < 0)
		return;
	struct duty_post_input in = { b.name, b.place, b.state, b.item_id };

	rc = duty_post_update(c->db, &c->actor, p.id, &in, &errs);
	if (rc != DUTY_OK)
		duty_reply_error(c, rc, &errs, NULL);
	else
		reply_post(c, 200, p.id);
	spec_release(post_spec, &b);
}

struct pattern_body {
	char *from, *to;
	struct int_list weekdays;
	long long start, end, places;
};

static const struct spec_field pattern_spec[] = {
	SPEC(struct pattern_body, from, SPEC_STR, SPEC_REQUIRED, 10, 10),
	SPEC(struct pattern_body, to, SPEC_STR, SPEC_REQUIRED, 10, 10),
	SPEC_LIST(struct pattern_body, weekdays, SPEC_INTS, SPEC_REQUIRED, 1, 7, 7),
	SPEC(struct pattern_body, start, SPEC_INT, SPEC_REQUIRED, 0, DUTY_DAY_MIN - 1),
	SPEC(struct pattern_body, end, SPEC_INT, SPEC_REQUIRED, 1, 2 * DUTY_DAY_MIN),
	SPEC(struct pattern_body, places, SPEC_INT, SPEC_REQUIRED, 1, DUTY_PLACES_MAX),
	{ 0 },
};

/* POST /duty-posts/{id}/shifts: a shift on each chosen weekday from..to */
void duty_posts_shifts(struct call *c)
{
	struct field_errors errs = { 0 };
	struct pattern_body b = { 0 };
	struct duty_pattern p = { 0 };
	struct duty_post post;
	size_t added, kept;
	int rc;

	if (post_or_reply(c, &post) < 0 || call_body_or_reply(c, pattern_spec, &b) < 0)
		return;
	p.from = b.from;
	p.to = b.to;
	for (size_t i = 0; i < b.weekdays.n; i++)
		p.weekdays |= 1u << b.weekdays.items[i];
	p.start = b.start;
	p.end = b.end;
	p.places = b.places;
	rc = duty_shifts_create(c->db, &c->actor, post.id, &p, &errs, &added, &kept);
	if (rc != DUTY_OK)
		duty_reply_error(c, rc, &errs, NULL);
	else
		reply_json(c, 200, json_pack("{s:I, s:I}", "added", (json_int_t)added, "kept", (json_int_t)kept));
	spec_release(pattern_spec, &b);
}

/* The Monday of the week of ?week= (any day of it), this week's when absent; 400 when not a date. */
static int week_or_reply(struct call *c, char monday[11])
{
	const char *week = NULL;
	char today[11];
	int wd;

	if (call_query_or_reply(c, "week", 10, &week) < 0)
		return -1;
	if (!week) {
		clock_date(clock_now(), today);
		week = today;
	}
	wd = duty_weekday(week);
	if (!wd) {
		reply_query(c, "week", "format", "应为日期 YYYY-MM-DD");
		return -1;
	}
	duty_day_add(week, 1 - wd, monday);
	return 0;
}

/*
 * The member's own place on shift id, into *a: whether they have one (the
 * member view marks it; they see no one else's).
 */
static bool my_place(struct call *c, int64_t shift_id, const struct duty_member *m, struct duty_assignment *a)
{
	struct duty_assignment *people;
	size_t n;
	bool found = false;

	if (duty_shift_people(c->db, shift_id, false, &people, &n) != DUTY_OK)
		return false;
	for (size_t i = 0; i < n && !found; i++)
		if (people[i].member_id == m->id) {
			*a = people[i];
			found = true;
		}
	free(people);
	return found;
}

/* A shift as the caller may see it: staff with everyone on it, a member with their own place only. */
static json_t *shift_view(struct call *c, const struct duty_shift *s, bool staff, const struct duty_member *m)
{
	json_t *o = duty_shift_json(s), *arr;

	if (!o)
		return NULL;
	if (staff) {
		struct duty_assignment *people;
		size_t n;

		if (duty_shift_people(c->db, s->id, true, &people, &n) != DUTY_OK) {
			json_decref(o);
			return NULL;
		}
		arr = json_array();
		for (size_t i = 0; i < n; i++)
			arr = json_push(arr, assignment_json(&people[i]));
		free(people);
		if (!arr) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, "people", arr);
	} else {
		struct duty_assignment a;

		json_object_set_new(o, "mine", my_place(c, s->id, m, &a) ? mine_json(&a) : json_null());
	}
	return o;
}

/* GET /communities/{code}/duty?week=: the week view, posts × 7 days (names for staff only) */
void community_duty_week(struct call *c)
{
	struct duty_member m;
	struct duty_week w;
	struct region r;
	char monday[11], day[11];
	json_t *posts, *days;
	bool staff;

	if (duty_community_or_reply(c, true, &r, &staff, &m) < 0 || week_or_reply(c, monday) < 0)
		return;
	if (duty_week_read(c->db, r.code, monday, &w) != DUTY_OK) {
		reply_internal(c, "reading a duty week");
		return;
	}
	days = json_array();
	for (int d = 0; d < 7; d++) {
		duty_day_add(monday, d, day);
		days = json_push(days, json_string(day));
	}
	posts = json_array();
	for (size_t i = 0; i < w.nposts; i++) {
		json_t *p, *shifts;

		if (!staff && strcmp(w.posts[i].state, "open"))
			continue;
		p = post_json(&w.posts[i]);
		shifts = json_array();
		for (size_t k = 0; k < w.nshifts; k++)
			if (w.shifts[k].post_id == w.posts[i].id)
				shifts = json_push(shifts, shift_view(c, &w.shifts[k], staff, &m));
		if (p && shifts)
			json_object_set_new(p, "shifts", shifts);
		else {
			json_decref(p);
			json_decref(shifts);
			p = NULL;
		}
		posts = json_push(posts, p);
	}
	duty_week_release(&w);
	reply_json(c, 200, json_pack("{s:s, s:s, s:s, s:o, s:o}", "community_code", r.code, "community_name", r.name,
				     "week", monday, "days", days, "posts", posts));
}

/* GET /duty-shifts/{id} */
void duty_shifts_get(struct call *c)
{
	struct duty_member m;
	struct duty_shift s;
	bool staff;

	if (duty_shift_or_reply(c, true, &s, &staff, &m) == 0)
		reply_json(c, 200, shift_view(c, &s, staff, &m));
}

/* --- sign-up and assignment ------------------------------------------------------------------------------- */

static void reply_assignment(struct call *c, int status, int64_t id)
{
	struct duty_assignment a;

	if (duty_assignment_get(c->db, id, &a) != DUTY_OK)
		reply_internal(c, "reading a duty assignment");
	else
		reply_json(c, status, assignment_json(&a));
}

/* POST /duty-shifts/{id}/signup: a member of the community takes a place */
void duty_shifts_signup(struct call *c)
{
	struct duty_member m;
	struct duty_shift s;
	bool staff;
	int64_t id;
	int rc;

	/* Only a member of the shift's community signs up; staff assign (a staff account holds no place). */
	if (!(principal_roles(&c->who) & ROLE_BIT(ROLE_MEMBER))) {
		reply_problem(c, 403, "forbidden", "只有党员可以报名值班");
		return;
	}
	if (duty_member_of_account(c->db, c->actor.account_id, &m) != DUTY_OK || !m.approved) {
		reply_problem(c, 404, "not_found", "找不到该班次");
		return;
	}
	if (duty_shift_or_reply(c, true, &s, &staff, &m) < 0)
		return;
	if (!member_here(c, s.community_code, &m)) {
		reply_problem(c, 404, "not_found", "找不到该班次");
		return;
	}
	rc = duty_assign(c->db, &c->actor, s.id, m.id, false, clock_now(), &id);
	if (rc == DUTY_NOT_MEMBER)
		reply_problem(c, 404, "not_found", "找不到该班次");
	else if (rc != DUTY_OK)
		duty_reply_error(c, rc, NULL, &s);
	else
		reply_assignment(c, 201, id);
}

struct assign_body {
	long long member_id;
};

static const struct spec_field assign_spec[] = {
	SPEC(struct assign_body, member_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),
	{ 0 },
};

/* POST /duty-shifts/{id}/assign {member_id}: staff put a member of the community on it */
void duty_shifts_assign(struct call *c)
{
	struct assign_body b = { 0 };
	struct duty_member m;
	struct duty_shift s;
	bool staff;
	int64_t id;
	int rc;

	if (duty_shift_or_reply(c, false, &s, &staff, &m) < 0 || call_body_or_reply(c, assign_spec, &b) < 0)
		return;
	rc = duty_assign(c->db, &c->actor, s.id, b.member_id, true, clock_now(), &id);
	if (rc != DUTY_OK)
		duty_reply_error(c, rc, NULL, &s);
	else
		reply_assignment(c, 201, id);
}

/* POST /duty-assignments/{id}/cancel: the member their own, or staff, before the start */
void duty_assignments_cancel(struct call *c)
{
	struct duty_assignment a;
	struct duty_member m;
	struct duty_shift s;
	bool staff;
	int rc;

	if (duty_assignment_or_reply(c, true, &a, &s, &staff, &m) < 0)
		return;
	rc = duty_cancel(c->db, &c->actor, a.id, clock_now());
	if (rc != DUTY_OK)
		duty_reply_error(c, rc, NULL, &s);
	else
		reply_assignment(c, 200, a.id);
}

/* GET /me/shifts: the caller's shifts, upcoming first */
void me_shifts(struct call *c)
{
	struct duty_member m;
	struct duty_place *items;
	size_t n;
	json_t *arr;
	int rc = duty_member_of_account(c->db, c->actor.account_id, &m);

	if (rc == DUTY_NOT_FOUND) {
		reply_json(c, 200, json_pack("{s:[]}", "items"));
		return;
	}
	if (rc != DUTY_OK || duty_mine(c->db, m.id, clock_now(), 200, &items, &n) != DUTY_OK) {
		reply_internal(c, "listing my shifts");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = mine_json(&items[i].a);

		if (o)
			json_object_set_new(o, "shift", duty_shift_json(&items[i].s));
		arr = json_push(arr, o);
	}
	free(items);
	reply_json(c, 200, json_pack("{s:o}", "items", arr));
}

/* --- check-in and closing ------------------------------------------------------------------------------- */

/* POST /duty-assignments/{id}/checkin: staff check a member in */
void duty_assignments_checkin(struct call *c)
{
	struct duty_assignment a;
	struct duty_member m;
	struct duty_shift s;
	bool staff, already;
	int rc;

	if (duty_assignment_or_reply(c, false, &a, &s, &staff, &m) < 0)
		return;
	rc = duty_checkin(c->db, &c->actor, a.id, clock_now(), &already);
	if (rc != DUTY_OK)
		duty_reply_error(c, rc, NULL, &s);
	else
		reply_assignment(c, 200, a.id);
}

/* POST /duty-shifts/{id}/close: after the end, checked-in → worked with a record; the others → no_show */
void duty_shifts_close(struct call *c)
{
	struct duty_closing out;
	struct duty_member m;
	struct duty_shift s;
	bool staff;
	int rc;

	if (duty_shift_or_reply(c, false, &s, &staff, &m) < 0)
		return;
	rc = duty_close(c->db, &c->actor, s.id, clock_now(), &out);
	if (rc != DUTY_OK)
		duty_reply_error(c, rc, NULL, &s);
	else
		reply_json(c, 200, json_pack("{s:I, s:I, s:I, s:I}", "worked", (json_int_t)out.worked, "no_show",
					     (json_int_t)out.no_show, "records", (json_int_t)out.records, "skipped",
					     (json_int_t)out.skipped));
}

/* GET /communities/{code}/duty-no-shows?from=&to= (days; the last 30 days by default) */
void community_duty_no_shows(struct call *c)
{
	struct duty_member m;
	struct duty_place *items;
	struct region r;
	const char *from = NULL, *to = NULL;
	char today[11], month_ago[11];
	bool staff;
	size_t n;
	json_t *arr;

	if (duty_community_or_reply(c, false, &r, &staff, &m) < 0 || call_query_or_reply(c, "from", 10, &from) < 0 ||
	    call_query_or_reply(c, "to", 10, &to) < 0)
		return;
	if (from && !duty_weekday(from)) {
		reply_query(c, "from", "format", "应为日期 YYYY-MM-DD");
		return;
	}
	if (to && !duty_weekday(to)) {
		reply_query(c, "to", "format", "应为日期 YYYY-MM-DD");
		return;
	}
	clock_date(clock_now(), today);
	duty_day_add(today, -30, month_ago);
	if (duty_no_shows(c->db, r.code, from ? from : month_ago, to ? to : today, &items, &n) != DUTY_OK) {
		reply_internal(c, "listing no-shows");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = assignment_json(&items[i].a);

		if (o)
			json_object_set_new(o, "shift", duty_shift_json(&items[i].s));
		arr = json_push(arr, o);
	}
	free(items);
	reply_json(c, 200, json_pack("{s:o}", "items", arr));
}

/* --- units ---------------------------------------------------------------------------------------------- */

/* The unit of path parameter 0 when the caller acts for it (its administrator; the platform's); 404 otherwise. */
static int unit_or_reply(struct call *c, int64_t *unit_id)
{
	struct unit u;
	int rc;

	if (call_id_or_reply(c, 0, unit_id) < 0)
		return -1;
	if (!authz_allows(&c->who, ACT_ACTIVITY_UNIT, &(struct target){ NULL, *unit_id })) {
		reply_problem(c, 404, "not_found", "找不到该单位");
		return -1;
	}
	rc = unit_get(c->db, *unit_id, &u);
	if (rc == UNIT_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该单位");
	else if (rc != UNIT_OK)
		reply_internal(c, "reading a unit");
	return rc == UNIT_OK ? 0 : -1;
}

struct commit_body {
	long long post_id, per_day;
};

static const struct spec_field commit_spec[] = {
	SPEC(struct commit_body, post_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),
	SPEC(struct commit_body, per_day, SPEC_INT, SPEC_REQUIRED, 1, DUTY_PER_DAY_MAX),
	{ 0 },
};

/* POST /units/{id}/duty-commitments {post_id, per_day}: 每天一名党员 at a partner community's post */
void unit_duty_commit(struct call *c)
{
	struct commit_body b = { 0 };
	int64_t unit_id, id;
	char today[11];
	int rc;

	if (unit_or_reply(c, &unit_id) < 0 || call_body_or_reply(c, commit_spec, &b) < 0)
		return;
	clock_date(clock_now(), today);
	rc = duty_commit(c->db, &c->actor, unit_id, b.post_id, b.per_day, today, &id);
	if (rc == DUTY_NOT_FOUND || rc == DUTY_NO_AGREEMENT)
		reply_field(c, 422, "post_id", "not_found", "应为本单位共建社区的值守岗位");
	else if (rc != DUTY_OK)
		duty_reply_error(c, rc, NULL, NULL);
	else
		reply_json(c, 201, json_pack("{s:I, s:I, s:I, s:I}", "id", (json_int_t)id, "unit_id", (json_int_t)unit_id,
					     "post_id", (json_int_t)b.post_id, "per_day", (json_int_t)b.per_day));
}

/* GET /units/{id}/duty?week=: the unit's rota, each committed post and day filled or empty by its own members */
void unit_duty_rota(struct call *c)
{
	struct duty_rota_day *items;
	int64_t unit_id;
	char monday[11];
	size_t n;
	json_t *arr;

	if (unit_or_reply(c, &unit_id) < 0 || week_or_reply(c, monday) < 0)
		return;
	if (duty_rota(c->db, unit_id, monday, &items, &n) != DUTY_OK) {
		reply_internal(c, "reading a unit's rota");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:I, s:b, s:s}", "commitment_id",
					       (json_int_t)items[i].commitment_id, "post_id", (json_int_t)items[i].post_id,
					       "post_name", items[i].post_name, "community_name", items[i].community_name,
					       "day", items[i].day, "per_day", (json_int_t)items[i].per_day, "filled",
					       (json_int_t)items[i].filled, "covered", items[i].filled >= items[i].per_day,
					       "names", items[i].names));
	duty_rota_release(items, n);
	reply_json(c, 200, json_pack("{s:I, s:s, s:o}", "unit_id", (json_int_t)unit_id, "week", monday, "items", arr));
}
