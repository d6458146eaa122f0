/* wishes.c: micro-wishes (微心愿): entered and published by staff, claimed (揽梦) and fulfilled (圆梦) by members, teams, units */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/list_photos.h"
#include "api/wishes.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/account.h"
#include "domain/agreement.h"
#include "domain/post.h"
#include "domain/team.h"
#include "domain/unit.h"
#include "domain/visit_made.h"
#include "domain/wish.h"

/* The latest publish_until accepted: 2100-01-01. */
#define WISH_UNTIL_MAX 4102444800LL

static json_t *int_or_null(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

static json_t *timeline_json(struct db *db, int64_t id)
{
	struct wish_event *ev;
	size_t n;
	json_t *arr;

	if (wish_events(db, id, &ev, &n) != WISH_OK)
		return NULL;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:s, s:s, s:s, s:s, s:I}", "kind", ev[i].kind, "state", ev[i].state, "note",
					       ev[i].note, "by", ev[i].by, "at", (json_int_t)ev[i].created_at));
	free(ev);
	return arr;
}

/* A wish in full, for staff in scope, its claimer and its beneficiary. */
static json_t *wish_json(struct db *db, const struct wish *w)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)w->id,
			      "community_code", w->community_code, "community_name", w->community_name,
			      "beneficiary_name", w->beneficiary_name, "title", w->title, "description", w->description,
			      "state", w->state, "refuse_reason", w->refuse_reason, "fulfil_note", w->fulfil_note,
			      "created_at", (json_int_t)w->created_at, "updated_at", (json_int_t)w->updated_at);
	json_t *claimer = w->claimer_kind[0]
				  ? json_pack("{s:s, s:o, s:o, s:o, s:s, s:I, s:I}", "kind", w->claimer_kind, "member_id",
					      int_or_null(w->claimer_member_id), "team_id", int_or_null(w->claimer_team_id),
					      "unit_id", int_or_null(w->claimer_unit_id), "name", w->claimer_name,
					      "claimed_at", (json_int_t)w->claimed_at, "claim_until",
					      (json_int_t)w->claim_until)
				  : json_null();
	json_t *timeline = timeline_json(db, w->id);

	if (!o || !claimer || !timeline) {
		json_decref(o);
		json_decref(claimer);
		json_decref(timeline);
		return NULL;
	}
	json_object_set_new(o, "beneficiary_account_id", int_or_null(w->beneficiary_account_id));
	json_object_set_new(o, "value_cap", int_or_null(w->value_cap));
	json_object_set_new(o, "publish_until", int_or_null(w->publish_until));
	json_object_set_new(o, "beneficiary_phone", json_string(w->beneficiary_phone));
	json_object_set_new(o, "item_code", w->item_code[0] ? json_string(w->item_code) : json_null());
	json_object_set_new(o, "due_on", w->due_on[0] ? json_string(w->due_on) : json_null());
	json_object_set_new(o, "claimer", claimer);
	json_object_set_new(o, "value_spent", w->value_spent >= 0 ? json_integer(w->value_spent) : json_null());
	json_object_set_new(o, "minutes", int_or_null(w->minutes));
	json_object_set_new(o, "fulfilled_at", int_or_null(w->fulfilled_at));
	json_object_set_new(o, "confirmed_at", int_or_null(w->confirmed_at));
	json_object_set_new(o, "record_id", int_or_null(w->record_id));
	json_object_set_new(o, "bonus_id", int_or_null(w->bonus_id));
	json_object_set_new(o, "timeline", timeline);
	json_object_set_new(o, "photos", list_photos_json(db, LIST_PHOTO_WISH, w->id, true));
	return o;
}

/* The wish as wish_json says, and to its community's staff the care visit it was made from (visits.c), if any. */
static json_t *wish_seen_json(struct call *c, const struct wish *w)
{
	json_t *o = wish_json(c->db, w);
	int64_t visit_id = 0;

	if (o && authz_allows(&c->who, ACT_SERVE_MANAGE, &(struct target){ w->community_path, 0 }) &&
	    visit_made_from(c->db, 0, w->id, &visit_id) == CARE_OK)
		json_object_set_new(o, "visit_id", int_or_null(visit_id));
	return o;
}

static void reply_wish(struct call *c, int status, int64_t id)
{
	struct wish *w = xmalloc(sizeof(*w));

	if (wish_get(c->db, id, w) != WISH_OK)
		reply_internal(c, "reading a wish");
	else
		reply_json(c, status, wish_seen_json(c, w));
	free(w);
}

/* The caller's approved member file, or member_id 0. */
static int acting_member(struct call *c, struct post_member *m)
{
	int rc = post_acting_member(c->db, c->actor.account_id, m);

	if (rc == POST_NOT_FOUND || (rc == POST_OK && !m->approved)) {
		memset(m, 0, sizeof(*m));
		return 0;
	}
	return rc == POST_OK ? 0 : -1;
}

static bool staff_may(struct call *c, enum action a, const struct wish *w)
{
	return authz_allows(&c->who, a, &(struct target){ w->community_path, 0 });
}

bool wish_may_read(struct call *c, const struct wish *w)
{
	const int64_t me = c->actor.account_id;

	return staff_may(c, ACT_SERVE_READ, w) || (me && (w->claimer_account_id == me || w->beneficiary_account_id == me));
}

/* Whether the caller administers unit_id (any unit: 0). */
static bool unit_admin(const struct call *c, int64_t unit_id)
{
	for (size_t i = 0; i < c->who.ngrants; i++)
		if (c->who.grants[i].role == ROLE_UNIT && !c->who.grants[i].pending &&
		    (!unit_id || c->who.grants[i].unit_id == unit_id))
			return true;
	return false;
}

/* Whether the caller administers a unit partner of community code today (any of theirs: unit_id 0): 1, 0, -1 on error. */
static int unit_partner(const struct call *c, int64_t unit_id, const char *code)
{
	char today[11];
	int rc = 0;

	clock_date(clock_now(), today);
	for (size_t i = 0; i < c->who.ngrants && rc == 0; i++)
		if (c->who.grants[i].role == ROLE_UNIT && !c->who.grants[i].pending &&
		    (!unit_id || c->who.grants[i].unit_id == unit_id))
			rc = agreement_partner(c->db, c->who.grants[i].unit_id, code, today);
	return rc;
}

/* Whether the caller holds the member role. */
static bool is_member(const struct call *c)
{
	for (size_t i = 0; i < c->who.ngrants; i++)
		if (c->who.grants[i].role == ROLE_MEMBER && !c->who.grants[i].pending)
			return true;
	return false;
}

/* The first unit the caller administers, or 0. */
static int64_t first_unit(const struct call *c)
{
	for (size_t i = 0; i < c->who.ngrants; i++)
		if (c->who.grants[i].role == ROLE_UNIT && !c->who.grants[i].pending)
			return c->who.grants[i].unit_id;
	return 0;
}

/* Whether paths a and b are in one city (their first node). */
static bool same_city(const char *a, const char *b)
{
	const char *end = strchr(a + (a[0] == '/'), '/');
	size_t n = end ? (size_t)(end - a) : strlen(a);

	return n > 1 && !strncmp(a, b, n) && b[n] == '/';
}

int wish_or_reply(struct call *c, bool open, struct wish *w)
{
	struct post_member m;
	int64_t id;
	bool ok;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = wish_get(c->db, id, w);
	if (rc == WISH_OK) {
		ok = wish_may_read(c, w);
		if (!ok && open && strcmp(w->state, "submitted") && strcmp(w->state, "approved") &&
		    strcmp(w->state, "refused") && strcmp(w->state, "expired")) {
			if (acting_member(c, &m) < 0) {
				reply_internal(c, "reading the caller's file");
				return -1;
			}
			ok = m.member_id && same_city(m.community_path, w->community_path);
			/* A unit's administrators reach the open wishes of its partner communities. */
			if (!ok && (rc = unit_partner(c, 0, w->community_code)) < 0) {
				reply_internal(c, "reading agreements");
				return -1;
			}
			ok = ok || rc == 1;
			rc = WISH_OK;
		}
		if (!ok)
			rc = WISH_NOT_FOUND;
	}
	if (rc == WISH_NOT_FOUND) {
		reply_problem(c, 404, "not_found", "找不到该心愿");
		return -1;
	}
	if (rc != WISH_OK) {
		reply_internal(c, "reading a wish");
		return -1;
	}
	return 0;
}

/* Wish {id} for a staff step a: 404 out of sight, 403 seen but not allowed. */
static int staff_wish_or_reply(struct call *c, enum action a, struct wish *w)
{
	if (wish_or_reply(c, false, w) < 0)
		return -1;
	return call_allow_or_reply(c, a, &(struct target){ w->community_path, 0 });
}

static void reply_wish_error(struct call *c, int rc, const struct field_errors *errs)
{
	if (rc == WISH_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该心愿");
	else if (rc == WISH_BAD_STATE)
		reply_field(c, 409, "state", "conflict", "心愿当前状态不能这样变更");
	else if (rc == WISH_OVER_CAP)
		reply_field(c, 422, "value_spent", "too_large", "花费超过了心愿的价值上限");
	else if (rc == WISH_INVALID)
		reply_errors(c, 422, errs);
	else if (rc == WISH_OWN)
		reply_problem(c, 403, "forbidden", "不能确认自己完成的心愿");
	else
		reply_internal(c, "writing a wish");
}

static int until_or_reply(struct call *c, int64_t until)
{
	if (until && until <= clock_now()) {
		reply_field(c, 422, "publish_until", "too_small", "展示截止时间应晚于现在");
		return -1;
	}
	return 0;
}

struct wish_body {
	char *community_code, *beneficiary_name, *title, *description;
	long long value_cap, publish_until, beneficiary_account_id;
	bool consent, publish;
};

static const struct spec_field wish_spec[] = {
	SPEC(struct wish_body, community_code, SPEC_STR, SPEC_REQUIRED, 1, 18),
	SPEC(struct wish_body, beneficiary_name, SPEC_STR, SPEC_REQUIRED, 1, WISH_NAME_MAX),
	SPEC(struct wish_body, title, SPEC_STR, SPEC_REQUIRED, 1, WISH_TITLE_MAX),
	SPEC(struct wish_body, description, SPEC_STR, 0, 0, WISH_TEXT_MAX),
	SPEC(struct wish_body, value_cap, SPEC_INT, 0, 1, WISH_VALUE_MAX),
	SPEC(struct wish_body, consent, SPEC_BOOL, SPEC_REQUIRED, 0, 0),
	SPEC(struct wish_body, publish, SPEC_BOOL, 0, 0, 0),
	SPEC(struct wish_body, publish_until, SPEC_INT, 0, 1, WISH_UNTIL_MAX),
	SPEC(struct wish_body, beneficiary_account_id, SPEC_INT, 0, 1, INT64_MAX),
	{ 0 },
};

void wishes_create(struct call *c)
{
	struct wish_body b = { 0 };
	struct region r;
	int64_t id;
	int rc;

	if (call_body_or_reply(c, wish_spec, &b) < 0)
		return;
	rc = valid_digits(b.community_code, 12, 18) ? region_get(c->db, b.community_code, &r) : REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND || (rc == REGION_OK && strcmp(r.level, "community")))
		reply_field(c, 422, "community_code", "not_found", "应为一个社区");
	else if (rc != REGION_OK)
		reply_internal(c, "reading a community");
	else if (call_allow_or_reply(c, ACT_SERVE_MANAGE, &(struct target){ r.path, 0 }) == 0) {
		struct wish_input in = { r.code, r.path, b.beneficiary_name, b.title, b.description, b.value_cap,
					 b.publish ? "published" : "submitted", b.publish_until,
					 b.beneficiary_account_id };

		if (!b.consent)
			reply_field(c, 422, "consent", "required", "须经本人同意才能登记和公开心愿");
		else if (b.publish_until && !b.publish)
			reply_field(c, 422, "publish_until", "unexpected", "发布时才设展示截止时间");
		else if (until_or_reply(c, b.publish_until) < 0)
			;
		else if (b.beneficiary_account_id &&
			 (rc = account_lives_in(c->db, b.beneficiary_account_id, r.code)) != 1) {
			if (rc < 0)
				reply_internal(c, "reading a resident");
			else
				reply_field(c, 422, "beneficiary_account_id", "not_found", "应为本社区居民的账号");
		} else if ((rc = wish_create(c->db, &c->actor, &in, &id)) != WISH_OK)
			reply_wish_error(c, rc, NULL);
		else
			reply_wish(c, 201, id);
	}
	spec_release(wish_spec, &b);
}

void wishes_get(struct call *c)
{
	struct wish *w = xmalloc(sizeof(*w));

	if (wish_or_reply(c, false, w) == 0)
		reply_json(c, 200, wish_seen_json(c, w));
	free(w);
}

void wishes_approve(struct call *c)
{
	struct wish *w = xmalloc(sizeof(*w));
	int rc;

	if (staff_wish_or_reply(c, ACT_SERVE_MANAGE, w) == 0) {
		if ((rc = wish_approve(c->db, &c->actor, w->id)) != WISH_OK)
			reply_wish_error(c, rc, NULL);
		else
			reply_wish(c, 200, w->id);
	}
	free(w);
}

struct refuse_body {
	char *reason;
};

static const struct spec_field refuse_spec[] = {
	SPEC(struct refuse_body, reason, SPEC_STR, SPEC_REQUIRED, 1, WISH_REASON_MAX),
	{ 0 },
};

void wishes_refuse(struct call *c)
{
	struct refuse_body b = { 0 };
	struct wish *w = xmalloc(sizeof(*w));
	int rc;

	if (staff_wish_or_reply(c, ACT_SERVE_MANAGE, w) == 0 && call_body_or_reply(c, refuse_spec, &b) == 0) {
		if ((rc = wish_refuse(c->db, &c->actor, w->id, b.reason)) != WISH_OK)
			reply_wish_error(c, rc, NULL);
		else
			reply_wish(c, 200, w->id);
		spec_release(refuse_spec, &b);
	}
	free(w);
}

struct publish_body {
	long long publish_until;
};

static const struct spec_field publish_spec[] = {
	SPEC(struct publish_body, publish_until, SPEC_INT, 0, 1, WISH_UNTIL_MAX),
	{ 0 },
};

void wishes_publish(struct call *c)
{
	struct publish_body b = { 0 };
	struct wish *w = xmalloc(sizeof(*w));
	int rc;

	if (staff_wish_or_reply(c, ACT_SERVE_MANAGE, w) == 0 && call_body_or_reply(c, publish_spec, &b) == 0 &&
	    until_or_reply(c, b.publish_until) == 0) {
		if ((rc = wish_publish(c->db, &c->actor, w->id, b.publish_until)) != WISH_OK)
			reply_wish_error(c, rc, NULL);
		else
			reply_wish(c, 200, w->id);
	}
	free(w);
}

struct claim_body {
	char *as;
	long long team_id, unit_id;
};

static const char *const claim_kinds[] = { "member", "team", "unit", NULL };
static const struct spec_field claim_spec[] = {
	SPEC_CHOICE(struct claim_body, as, SPEC_REQUIRED, claim_kinds),
	SPEC(struct claim_body, team_id, SPEC_INT, 0, 1, INT64_MAX),
	SPEC(struct claim_body, unit_id, SPEC_INT, 0, 1, INT64_MAX),
	{ 0 },
};

/* Who claims as b says, when the caller may act for it: 0, or -1 answered. name (size bytes): the claimer's name. */
static int claimer_or_reply(struct call *c, const struct claim_body *b, const struct wish *w, struct wish_claimer *cl,
			    char *name, size_t size)
{
	struct post_member m;
	struct member *file;
	int rc;

	memset(cl, 0, sizeof(*cl));
	cl->kind = b->as;
	cl->name = name;
	if (!strcmp(b->as, "unit")) {
		struct unit u;

		if (b->team_id || !b->unit_id) {
			reply_field(c, 422, b->team_id ? "team_id" : "unit_id", b->team_id ? "unexpected" : "required",
				    "以单位认领时须写单位，不写服务队");
			return -1;
		}
		if (!unit_admin(c, b->unit_id)) {
			reply_problem(c, 403, "forbidden", "只有该单位的管理员能以单位认领");
			return -1;
		}
		if ((rc = unit_get(c->db, b->unit_id, &u)) != UNIT_OK) {
			if (rc == UNIT_NOT_FOUND)
				reply_field(c, 422, "unit_id", "not_found", "找不到该单位");
			else
				reply_internal(c, "reading a unit");
			return -1;
		}
		if ((rc = unit_partner(c, u.id, w->community_code)) != 1) {
			if (rc < 0)
				reply_internal(c, "reading agreements");
			else
				reply_problem(c, 403, "forbidden", "单位只能认领共建社区的心愿");
			return -1;
		}
		cl->unit_id = u.id;
		str_copy(name, size, u.name);
		return 0;
	}
	if (b->unit_id) {
		reply_field(c, 422, "unit_id", "unexpected", "以个人或服务队认领时不写单位");
		return -1;
	}
	if (acting_member(c, &m) < 0) {
		reply_internal(c, "reading the caller's file");
		return -1;
	}
	if (!m.member_id || !same_city(m.community_path, w->community_path)) {
		reply_problem(c, 403, "forbidden", "报到成功的本市党员才能认领心愿");
		return -1;
	}
	cl->member_id = m.member_id;
	if (!strcmp(b->as, "team")) {
		struct team *t = xmalloc(sizeof(*t));

		if (!b->team_id) {
			free(t);
			reply_field(c, 422, "team_id", "required", "以服务队认领时须写服务队");
			return -1;
		}
		rc = team_led_by(c->db, b->team_id, c->actor.account_id);
		if (rc == 1)
			rc = team_may_organise(c->db, b->team_id, w->community_path, t);
		if (rc == 1) {
			cl->team_id = t->id;
			str_copy(name, size, t->name);
		}
		free(t);
		if (rc < 0)
			reply_internal(c, "reading a team");
		else if (rc == 0)
			reply_field(c, 422, "team_id", "not_found", "应为你担任队长的、本社区或本街道的服务队");
		return rc == 1 ? 0 : -1;
	}
	if (b->team_id) {
		reply_field(c, 422, "team_id", "unexpected", "以个人认领时不写服务队");
		return -1;
	}
	file = xmalloc(sizeof(*file));
	rc = member_get(c->db, m.member_id, file);
	if (rc == MEMBER_OK)
		str_copy(name, size, file->name);
	free(file);
	if (rc != MEMBER_OK) {
		reply_internal(c, "reading the caller's file");
		return -1;
	}
	return 0;
}

void wishes_claim(struct call *c)
{
	struct claim_body b = { 0 };
	struct wish *w = xmalloc(sizeof(*w));
	struct wish_claimer cl;
	char name[TEXT_BYTES(100)], taken[TEXT_BYTES(100)], detail[TEXT_BYTES(100) + 32];
	int rc;

	if (wish_or_reply(c, true, w) == 0 && call_body_or_reply(c, claim_spec, &b) == 0) {
		if (claimer_or_reply(c, &b, w, &cl, name, sizeof(name)) == 0) {
			rc = wish_claim(c->db, &c->actor, w->id, &cl, taken, sizeof(taken));
			if (rc == WISH_TAKEN) {
				snprintf(detail, sizeof(detail), "已被%s认领", taken);
				resp_problem_extra(c->resp, 409, "taken", "该心愿已被认领", NULL,
						   json_pack("{s:s, s:s}", "detail", detail, "taken_by", taken));
			} else if (rc != WISH_OK)
				reply_wish_error(c, rc, NULL);
			else
				reply_wish(c, 200, w->id);
		}
		spec_release(claim_spec, &b);
	}
	free(w);
}

void wishes_release(struct call *c)
{
	struct wish *w = xmalloc(sizeof(*w));
	bool by_staff;
	int rc;

	if (wish_or_reply(c, false, w) == 0) {
		by_staff = staff_may(c, ACT_SERVE_MANAGE, w);
		if (!by_staff && w->claimer_account_id != c->actor.account_id)
			reply_problem(c, 403, "forbidden", "只有认领人或社区工作人员能释放认领");
		else if ((rc = wish_release(c->db, &c->actor, w->id, by_staff && w->claimer_account_id != c->actor.account_id)) !=
			 WISH_OK)
			reply_wish_error(c, rc, NULL);
		else
			reply_wish(c, 200, w->id);
	}
	free(w);
}

struct fulfil_body {
	char *note;
	long long value_spent, minutes;
};

static const struct spec_field fulfil_spec[] = {
	SPEC(struct fulfil_body, note, SPEC_STR, 0, 0, WISH_TEXT_MAX),
	SPEC(struct fulfil_body, value_spent, SPEC_INT, SPEC_REQUIRED, 0, WISH_VALUE_MAX),
	SPEC(struct fulfil_body, minutes, SPEC_INT, SPEC_REQUIRED, 1, WISH_MINUTES_MAX),
	{ 0 },
};

void wishes_fulfil(struct call *c)
{
	struct fulfil_body b = { 0 };
	struct wish *w = xmalloc(sizeof(*w));
	int rc;

	if (wish_or_reply(c, false, w) == 0 && call_body_or_reply(c, fulfil_spec, &b) == 0) {
		if (w->claimer_account_id != c->actor.account_id)
			reply_problem(c, 403, "forbidden", "只有认领人能报告圆梦");
		else if ((rc = wish_fulfil(c->db, &c->actor, w->id, b.note, b.value_spent, b.minutes)) != WISH_OK)
			reply_wish_error(c, rc, NULL);
		else
			reply_wish(c, 200, w->id);
		spec_release(fulfil_spec, &b);
	}
	free(w);
}

struct confirm_body {
	char *item_code;
};

static const struct spec_field confirm_spec[] = {
	SPEC(struct confirm_body, item_code, SPEC_STR, 0, 1, CATALOG_CODE_MAX),
	{ 0 },
};

void wishes_confirm(struct call *c)
{
	struct field_errors errs = { 0 };
	struct confirm_body b = { 0 };
	struct wish *w = xmalloc(sizeof(*w));
	int rc;

	if (wish_or_reply(c, false, w) == 0 && call_body_or_reply(c, confirm_spec, &b) == 0) {
		if (!staff_may(c, ACT_RECORD_CONFIRM, w) &&
		    !(w->beneficiary_account_id && w->beneficiary_account_id == c->actor.account_id))
			reply_problem(c, 403, "forbidden", "只有受助人或社区工作人员能确认圆梦");
		else if ((rc = wish_confirm(c->db, &c->actor, w->id, b.item_code, &errs)) != WISH_OK)
			reply_wish_error(c, rc, &errs);
		else
			reply_wish(c, 200, w->id);
		spec_release(confirm_spec, &b);
	}
	free(w);
}

struct bulk_body {
	struct int_list ids;
	long long publish_until;
};

static const struct spec_field bulk_spec[] = {
	SPEC_LIST(struct bulk_body, ids, SPEC_INTS, SPEC_REQUIRED, 1, INT64_MAX, WISH_BULK_MAX),
	SPEC(struct bulk_body, publish_until, SPEC_INT, 0, 1, WISH_UNTIL_MAX),
	{ 0 },
};

/* POST /wishes/bulk-approve: approves and publishes every wish of ids, all or nothing; each must be in the caller's reach. */
void wishes_bulk_approve(struct call *c)
{
	struct bulk_body b = { 0 };
	struct wish *w = xmalloc(sizeof(*w));
	int64_t *ids = NULL, failed = 0;
	int rc = WISH_OK;

	if (call_body_or_reply(c, bulk_spec, &b) < 0) {
		free(w);
		return;
	}
	if (!b.ids.n)
		reply_field(c, 422, "ids", "required", "至少选一个心愿");
	else if (until_or_reply(c, b.publish_until) == 0) {
		ids = xmalloc(b.ids.n * sizeof(*ids));
		for (size_t i = 0; rc == WISH_OK && i < b.ids.n; i++) {
			ids[i] = b.ids.items[i];
			rc = wish_get(c->db, ids[i], w);
			if (rc == WISH_OK && !staff_may(c, ACT_SERVE_MANAGE, w))
				rc = WISH_NOT_FOUND;
			if (rc != WISH_OK)
				failed = ids[i];
		}
		if (rc == WISH_OK)
			rc = wish_approve_many(c->db, &c->actor, ids, b.ids.n, b.publish_until, &failed);
		if (rc == WISH_OK)
			reply_json(c, 200, json_pack("{s:I}", "approved", (json_int_t)b.ids.n));
		else if (rc == WISH_NOT_FOUND || rc == WISH_BAD_STATE) {
			struct field_errors errs = { 0 };
			char msg[96];

			snprintf(msg, sizeof(msg), "心愿 %lld %s，一个也没有批准", (long long)failed,
				 rc == WISH_NOT_FOUND ? "不存在" : "不是待审核状态");
			field_errors_add(&errs, "ids", rc == WISH_NOT_FOUND ? "not_found" : "conflict", msg);
			reply_errors(c, rc == WISH_NOT_FOUND ? 422 : 409, &errs);
		} else
			reply_internal(c, "approving wishes");
	}
	free(ids);
	free(w);
	spec_release(bulk_spec, &b);
}

/* One row of a list: what staff, the claimer and the beneficiary see at a glance (masked: the wall's). */
static json_t *row_json(const struct wish *w, bool masked)
{
	char name[TEXT_BYTES(WISH_NAME_MAX)];
	json_t *o;

	if (masked)
		wish_mask_name(w->beneficiary_name, name, sizeof(name));
	else
		str_copy(name, sizeof(name), w->beneficiary_name);
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)w->id, "community_code",
		      w->community_code, "community_name", w->community_name, "beneficiary_name", name, "title", w->title,
		      "state", w->state, "description", w->description, "created_at", (json_int_t)w->created_at);
	if (o) {
		json_object_set_new(o, "value_cap", int_or_null(w->value_cap));
		json_object_set_new(o, "publish_until", int_or_null(w->publish_until));
		if (!masked) {
			json_object_set_new(o, "claimer_kind", w->claimer_kind[0] ? json_string(w->claimer_kind) : json_null());
			json_object_set_new(o, "claimer_name", json_string(w->claimer_name));
			json_object_set_new(o, "claim_until", int_or_null(w->claim_until));
		}
		/* The wall shows what is wanted: the ask photo's thumbnail, never a photo of the fulfilment. */
		json_object_set_new(o, "photo_id", int_or_null(w->ask_photo_id));
	}
	return o;
}

/* The rows f selects (a page of them), or NULL (answered) on a storage error; *total counts them all. */
static json_t *rows_or_reply(struct call *c, const struct wish_filter *f, int64_t page, int64_t per_page, bool masked,
			     int64_t *total)
{
	struct wish *items;
	size_t n;
	json_t *arr;

	if (wish_list(c->db, f, page, per_page, &items, &n, total) != WISH_OK) {
		reply_internal(c, "listing wishes");
		return NULL;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, row_json(&items[i], masked));
	free(items);
	return arr;
}

static const char *const all_states[] = { "submitted", "approved", "refused", "published", "expired",
					  "claimed",   "fulfilled", "closed",  NULL };

/* GET /wishes?community_code=&state=&page=&per_page=: the wishes of communities in scope, newest first. */
void wishes_list(struct call *c)
{
	struct wish_filter f = { 0 };
	int64_t page, per_page, total;
	struct scope scope;
	json_t *arr;

	if (call_query_or_reply(c, "community_code", 18, &f.community) < 0 ||
	    call_choice_or_reply(c, "state", all_states, &f.state) < 0 || call_page_or_reply(c, &page, &per_page) < 0)
		return;
	authz_scope(&c->who, ACT_SERVE_READ, &scope);
	f.scope = &scope;
	if ((arr = rows_or_reply(c, &f, page, per_page, false, &total)))
		reply_json(c, 200, page_json(arr, total, page, per_page));
}

/* The published wishes of community r, newest first, the first WALL_MAX (the wall and a member's list), names masked. */
enum { WALL_MAX = 200 };
static void reply_wall(struct call *c, const struct region *r)
{
	const struct wish_filter f = { .community = r->code, .state = "published" };
	int64_t total;
	json_t *arr = rows_or_reply(c, &f, 1, WALL_MAX, true, &total);

	if (arr)
		reply_json(c, 200, json_pack("{s:s, s:s, s:o}", "community_code", r->code, "community_name", r->name,
					     "items", arr));
}

/* GET /public/communities/{code}/wishes: the wish wall, no login. */
void public_community_wishes(struct call *c)
{
	const char *code = c->req->params[0];
	struct region r;
	int rc = valid_digits(code, 12, 18) ? region_get(c->db, code, &r) : REGION_NOT_FOUND;

	if (rc == REGION_OK && strcmp(r.level, "community"))
		rc = REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该社区");
	else if (rc != REGION_OK)
		reply_internal(c, "reading a community");
	else
		reply_wall(c, &r);
}

static const char *const open_as[] = { "member", "unit", NULL };

/*
 * GET /me/open-wishes?as=unit: the published wishes of the partner
 * communities of the unit the caller administers, with the unit.
 */
static void reply_unit_wall(struct call *c, int64_t unit_id)
{
	char today[11];
	struct wish_filter f = { .state = "published", .partner_unit_id = unit_id };
	struct unit u;
	int64_t total;
	json_t *arr;

	clock_date(clock_now(), today);
	f.partner_today = today;
	if (unit_get(c->db, unit_id, &u) != UNIT_OK)
		reply_internal(c, "reading a unit");
	else if ((arr = rows_or_reply(c, &f, 1, WALL_MAX, true, &total)))
		reply_json(c, 200, json_pack("{s:n, s:n, s:I, s:s, s:o}", "community_code", "community_name", "unit_id",
					     (json_int_t)u.id, "unit_name", u.name, "items", arr));
}

/*
 * GET /me/open-wishes?as=member|unit: the published wishes of the member's
 * community; for a unit's administrator (as=unit, or not a member), those of
 * the unit's partner communities (共建社区).
 */
void me_open_wishes(struct call *c)
{
	struct post_member m;
	struct region r;
	const char *as = NULL;

	if (call_choice_or_reply(c, "as", open_as, &as) < 0)
		return;
	if (as && !strcmp(as, "unit") && !first_unit(c)) {
		reply_field(c, 422, "as", "forbidden", "你不是单位管理员");
		return;
	}
	if ((!as || !strcmp(as, "unit")) && first_unit(c) && (as || !is_member(c))) {
		reply_unit_wall(c, first_unit(c));
		return;
	}
	if (acting_member(c, &m) < 0)
		reply_internal(c, "reading the caller's file");
	else if (!m.member_id)
		reply_json(c, 200, json_pack("{s:n, s:n, s:[]}", "community_code", "community_name", "items"));
	else if (region_get(c->db, m.community_code, &r) != REGION_OK)
		reply_internal(c, "reading a community");
	else
		reply_wall(c, &r);
}

/* GET /me/wishes: the wishes the caller's account claimed, and those it is the beneficiary of (the newest WALL_MAX each). */
void me_wishes(struct call *c)
{
	const struct wish_filter claimed = { .claimer_account_id = c->actor.account_id, .claimer_unit_id = first_unit(c) },
				 mine = { .beneficiary_account_id = c->actor.account_id };
	json_t *lists[2] = { NULL, NULL };
	int64_t total;

	if (!(lists[0] = rows_or_reply(c, &claimed, 1, WALL_MAX, false, &total)))
		return;
	if (!(lists[1] = rows_or_reply(c, &mine, 1, WALL_MAX, false, &total))) {
		json_decref(lists[0]);
		return;
	}
	reply_json(c, 200, json_pack("{s:o, s:o}", "claimed", lists[0], "beneficiary", lists[1]));
}
