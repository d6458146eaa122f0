/* signups.c: signing up for activities (报名): a member's own, the waiting list, cancelling, leave (请假), staff's lists and decisions */
#include <stdlib.h>
#include <string.h>

#include "api/activity_api.h"
#include "api/handlers.h"
#include "base/clock.h"
#include "domain/member.h"

/* {"signup": <sign-up>, "activity": <activity>} as they are now. */
static void reply_signup(struct call *c, int status, int64_t signup_id, bool contact)
{
	struct activity_signup s;
	struct activity a;

	if (activity_signup_get(c->db, signup_id, &s) != ACTIVITY_OK || activity_get(c->db, s.activity_id, &a) != ACTIVITY_OK) {
		reply_internal(c, "reading a sign-up");
		return;
	}
	reply_json(c, status, json_pack("{s:o, s:o}", "signup", activity_signup_json(&s, contact), "activity",
					activity_json(&a)));
}

/* The caller's approved member file and activity {id} as they see it: 403 not approved, 404 not seen. */
static int member_view_or_reply(struct call *c, struct activity_member *m, struct activity_view *v)
{
	return activity_member_or_reply(c, m) < 0 || activity_view_or_reply(c, v) < 0 ? -1 : 0;
}

/* POST /activities/{id}/signup: the member signs up: a place while there is one, else the waiting list. */
void signups_join(struct call *c)
{
	struct activity_signup s;
	struct activity_member m;
	struct activity_view v;
	int rc;

	if (member_view_or_reply(c, &m, &v) < 0)
		return;
	rc = activity_signup_add(c->db, &c->actor, v.a.id, m.id, false, clock_now(), &s);
	if (rc != ACTIVITY_OK)
		activity_reply_rc(c, rc, "signup");
	else
		reply_signup(c, 201, s.id, true);
}

/* DELETE /activities/{id}/signup: the member cancels: a place until the deadline, a waiting one until the end. */
void signups_withdraw(struct call *c)
{
	struct activity_member m;
	struct activity_view v;
	struct activity a;
	int rc;

	if (member_view_or_reply(c, &m, &v) < 0)
		return;
	rc = activity_signup_cancel(c->db, &c->actor, v.a.id, m.id, clock_now());
	if (rc != ACTIVITY_OK)
		activity_reply_rc(c, rc, "cancel");
	else if (activity_get(c->db, v.a.id, &a) != ACTIVITY_OK)
		reply_internal(c, "reading an activity");
	else
		reply_json(c, 200, json_pack("{s:o, s:o}", "signup", json_null(), "activity", activity_json(&a)));
}

struct reason_body {
	char *reason, *answer, *decision;
	long long member_id;
};

static const struct spec_field leave_spec[] = {
	SPEC(struct reason_body, reason, SPEC_STR, SPEC_REQUIRED, 1, ACTIVITY_REASON_MAX),
	{ 0 },
};

/* POST /activities/{id}/leave {"reason"}: the member asks for leave (请假); the place is kept, staff decide. */
void signups_ask_leave(struct call *c)
{
	struct reason_body b = { 0 };
	struct activity_signup s;
	struct activity_member m;
	struct activity_view v;
	int rc;

	if (member_view_or_reply(c, &m, &v) < 0 || call_body_or_reply(c, leave_spec, &b) < 0)
		return;
	rc = activity_signup_leave(c->db, &c->actor, v.a.id, m.id, b.reason, clock_now());
	if (rc != ACTIVITY_OK)
		activity_reply_rc(c, rc, "leave");
	else if (activity_signup_find(c->db, v.a.id, m.id, &s) != ACTIVITY_OK)
		reply_internal(c, "reading a sign-up");
	else
		reply_signup(c, 200, s.id, true);
	spec_release(leave_spec, &b);
}

/* GET /activities/{id}/signups?state=&page=: those who run or read the activity; phones for those who run it. */
void signups_list(struct call *c)
{
	static const char *const states[] = { "signed", "waiting", "cancelled", NULL };
	struct activity_signup *items;
	struct activity_view v;
	const char *state;
	int64_t page, per_page, total;
	size_t n;
	json_t *arr;

	if (call_choice_or_reply(c, "state", states, &state) < 0 || call_page_or_reply(c, &page, &per_page) < 0 ||
	    activity_reader_or_reply(c, &v) < 0)
		return;
	if (activity_signup_list(c->db, v.a.id, state, page, per_page, &items, &n, &total) != ACTIVITY_OK) {
		reply_internal(c, "listing sign-ups");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, activity_signup_json(&items[i], v.manage));
	free(items);
	reply_json(c, 200, page_json(arr, total, page, per_page));
}

/* Whether the caller reads member_id's file where the member reports in now, or as its unit: 1, 0, or -1. */
static int member_in_reach(struct call *c, int64_t member_id)
{
	struct member_place p;
	struct target t = { NULL, 0 };
	int rc = member_place(c->db, member_id, &p);

	if (rc != MEMBER_OK)
		return rc == MEMBER_NOT_FOUND ? 0 : -1;
	t.unit_id = p.unit_id;
	if (p.unit_id && authz_allows(&c->who, ACT_MEMBER_READ, &t))
		return 1;
	t.unit_id = 0;
	for (size_t i = 0; i < p.nopen; i++) {
		t.region_path = p.open_paths[i];
		if (authz_allows(&c->who, ACT_MEMBER_READ, &t))
			return 1;
	}
	return 0;
}

static const struct spec_field add_spec[] = {
	SPEC(struct reason_body, member_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),
	{ 0 },
};

/* POST /activities/{id}/signups {"member_id"}: staff sign a member up (代报名), until the end, deadline or not. */
void signups_add(struct call *c)
{
	struct reason_body b = { 0 };
	struct activity_signup s;
	struct activity_view v;
	int rc;

	if (activity_manage_or_reply(c, &v) < 0 || call_body_or_reply(c, add_spec, &b) < 0)
		return;
	rc = member_in_reach(c, b.member_id);
	if (rc < 0) {
		reply_internal(c, "reading a member");
		return;
	}
	if (rc == 0) {
		reply_field(c, 422, "member_id", "not_found", "找不到该党员档案");
		return;
	}
	rc = activity_signup_add(c->db, &c->actor, v.a.id, b.member_id, true, clock_now(), &s);
	if (rc == ACTIVITY_NOT_OPEN)
		reply_field(c, 422, "member_id", "wrong", "该党员不在活动的报名范围（社区、街道或全市）内");
	else if (rc == ACTIVITY_NOT_APPROVED)
		reply_field(c, 422, "member_id", "wrong", "该党员的报到还没有审核通过，不能报名");
	else if (rc != ACTIVITY_OK)
		activity_reply_rc(c, rc, "signup");
	else
		reply_signup(c, 201, s.id, true);
}

/* Sign-up {id} and its activity if the caller runs it: 404 when they do not see the activity, 403 when they only read it. */
static int managed_signup_or_reply(struct call *c, struct activity_signup *s, struct activity_view *v)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = activity_signup_get(c->db, id, s);
	if (rc == ACTIVITY_NOT_FOUND) {
		reply_problem(c, 404, "not_found", "找不到该报名");
		return -1;
	}
	if (rc != ACTIVITY_OK) {
		reply_internal(c, "reading a sign-up");
		return -1;
	}
	if (activity_view_id_or_reply(c, s->activity_id, v) < 0)
		return -1;
	if (!v->manage) {
		reply_problem(c, 403, "forbidden", "只有活动的组织者可以进行此操作");
		return -1;
	}
	return 0;
}

static const struct spec_field remove_spec[] = {
	SPEC(struct reason_body, reason, SPEC_STR, SPEC_REQUIRED, 1, ACTIVITY_REASON_MAX),
	{ 0 },
};

/* POST /signups/{id}/remove {"reason"}: staff take a sign-up off the list; the first waiting moves up. */
void signups_remove(struct call *c)
{
	struct reason_body b = { 0 };
	struct activity_signup s;
	struct activity_view v;
	int rc;

	if (managed_signup_or_reply(c, &s, &v) < 0 || call_body_or_reply(c, remove_spec, &b) < 0)
		return;
	rc = activity_signup_remove(c->db, &c->actor, s.id, b.reason, clock_now());
	if (rc != ACTIVITY_OK)
		activity_reply_rc(c, rc, "remove");
	else
		reply_signup(c, 200, s.id, true);
	spec_release(remove_spec, &b);
}

static const char *const decisions[] = { "approve", "refuse", NULL };

static const struct spec_field decide_spec[] = {
	SPEC_CHOICE(struct reason_body, decision, SPEC_REQUIRED, decisions),
	SPEC(struct reason_body, answer, SPEC_STR, 0, 0, ACTIVITY_REASON_MAX),
	{ 0 },
};

/* POST /signups/{id}/leave {"decision": approve|refuse, "answer"}: staff answer a leave; a refusal says why. */
void signups_decide_leave(struct call *c)
{
	struct reason_body b = { 0 };
	struct activity_signup s;
	struct activity_view v;
	bool approve;
	int rc;

	if (managed_signup_or_reply(c, &s, &v) < 0 || call_body_or_reply(c, decide_spec, &b) < 0)
		return;
	approve = !strcmp(b.decision, "approve");
	if (!approve && (!b.answer || !*b.answer)) {
		reply_field(c, 422, "answer", "required", "不批准请假时请写明理由");
		goto out;
	}
	rc = activity_signup_decide(c->db, &c->actor, s.id, approve, b.answer, clock_now());
	if (rc != ACTIVITY_OK)
		activity_reply_rc(c, rc, "decide");
	else
		reply_signup(c, 200, s.id, true);
out:
	spec_release(decide_spec, &b);
}

/* GET /me/signups: the member's sign-ups, the newest first, each with its activity and the latest thing they were told. */
void me_signups(struct call *c)
{
	struct activity_signup_mine *items;
	struct activity_member m;
	int64_t page, per_page, total;
	size_t n;
	json_t *arr;

	if (call_page_or_reply(c, &page, &per_page) < 0 || activity_member_or_reply(c, &m) < 0)
		return;
	if (activity_signup_mine(c->db, m.id, page, per_page, &items, &n, &total) != ACTIVITY_OK) {
		reply_internal(c, "listing a member's sign-ups");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct activity_signup_event *e = &items[i].latest;

		arr = json_push(arr, json_pack("{s:o, s:o, s:o}", "activity", activity_json(&items[i].activity), "signup",
					       activity_signup_json(&items[i].signup, true), "latest",
					       e->id ? json_pack("{s:I, s:s, s:s}", "at", (json_int_t)e->at, "event",
								 e->event, "note", e->note)
						     : json_null()));
	}
	free(items);
	reply_json(c, 200, page_json(arr, total, page, per_page));
}
