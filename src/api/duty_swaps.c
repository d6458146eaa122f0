/* duty_swaps.c: members swapping duty places (换班): asked, accepted by the other member, approved by staff */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/duty_api.h"
#include "api/handlers.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/duty.h"

static json_t *swap_json(const struct duty_swap *w)
{
	json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:I, s:s, s:I, s:o, s:I, s:I}", "id", (json_int_t)w->id, "state",
			      w->state, "asker_id", (json_int_t)w->asker_id, "asker_name", w->asker_name, "to_member_id",
			      (json_int_t)w->to_member_id, "to_name", w->to_name, "assignment_id",
			      (json_int_t)w->assignment_id, "shift", duty_shift_json(&w->mine), "created_at",
			      (json_int_t)w->created_at, "updated_at", (json_int_t)w->updated_at);

	if (o) {
		json_object_set_new(o, "other_assignment_id",
				    w->other_assignment_id ? json_integer(w->other_assignment_id) : json_null());
		json_object_set_new(o, "other_shift", w->theirs.id ? duty_shift_json(&w->theirs) : json_null());
	}
	return o;
}

static void reply_swap_verdict(struct call *c, enum duty_swap_verdict v)
{
	static const char *const titles[] = { "", "不能与自己换班", "班次已开始或已结束，不能换班", "双方须是本社区的党员",
					      "你在对方班次的时间已有别的班次", "对方在你班次的时间已有别的班次" };

	reply_problem(c, 409, duty_swap_verdicts[v], titles[v]);
}

/* --- swaps -------------------------------------------------------------------------------------------- */

struct swap_body {
	char *to_phone;
	long long shift_id;
};

static const struct spec_field swap_spec[] = {
	SPEC(struct swap_body, to_phone, SPEC_STR, SPEC_REQUIRED, 11, 11),
	SPEC(struct swap_body, shift_id, SPEC_INT, 0, 1, INT64_MAX),
	{ 0 },
};

/* POST /duty-assignments/{id}/swaps {to_phone, shift_id?}: the member asks to swap (or give) their place */
void duty_assignments_swap(struct call *c)
{
	struct swap_body b = { 0 };
	struct duty_assignment a;
	struct duty_member m, other;
	struct duty_shift s;
	enum duty_swap_verdict v;
	bool staff;
	int64_t id;
	int rc;

	if (!(principal_roles(&c->who) & ROLE_BIT(ROLE_MEMBER))) {
		reply_problem(c, 403, "forbidden", "只有党员本人可以申请换班");
		return;
	}
	if (duty_assignment_or_reply(c, true, &a, &s, &staff, &m) < 0)
		return;
	if (m.id != a.member_id) { /* staff on someone else's place */
		reply_problem(c, 404, "not_found", "找不到该值班安排");
		return;
	}
	if (call_body_or_reply(c, swap_spec, &b) < 0)
		return;
	if (!valid_mobile(b.to_phone))
		rc = DUTY_INVALID;
	else
		rc = duty_member_by_phone(c->db, s.community_code, b.to_phone, &other);
	if (rc == DUTY_INVALID || rc == DUTY_NOT_FOUND)
		reply_field(c, 422, "to_phone", "not_found", "应为本社区已报到党员的手机号");
	else if (rc != DUTY_OK)
		reply_internal(c, "finding a member");
	else {
		rc = duty_swap_ask(c->db, &c->actor, m.id, a.id, other.id, b.shift_id, clock_now(), &v, &id);
		if (rc == DUTY_SWAP_RULE)
			reply_swap_verdict(c, v);
		else if (rc == DUTY_NOT_FOUND)
			reply_field(c, 422, "shift_id", "not_found", "对方不在这个班次上");
		else if (rc == DUTY_ALREADY)
			reply_problem(c, 409, "already", "这个班次已有一个换班申请在等待");
		else if (rc != DUTY_OK)
			duty_reply_error(c, rc, NULL, &s);
		else {
			struct duty_swap w;

			if (duty_swap_get(c->db, id, &w) != DUTY_OK)
				reply_internal(c, "reading a swap");
			else
				reply_json(c, 201, swap_json(&w));
		}
	}
	spec_release(swap_spec, &b);
}

/* Swap id of path parameter 0, and who the caller is to it; 404 unless staff of it or one of its two members. */
static int swap_or_reply(struct call *c, struct duty_swap *w, bool *staff, int64_t *member_id)
{
	struct duty_member m;
	int64_t id;
	int rc;

	*staff = false;
	*member_id = 0;
	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = duty_swap_get(c->db, id, w);
	if (rc == DUTY_OK) {
		*staff = duty_may_run(c, w->mine.community_path);
		if ((principal_roles(&c->who) & ROLE_BIT(ROLE_MEMBER)) &&
		    duty_member_of_account(c->db, c->actor.account_id, &m) == DUTY_OK &&
		    (m.id == w->asker_id || m.id == w->to_member_id))
			*member_id = m.id;
		if (!*staff && !*member_id)
			rc = DUTY_NOT_FOUND;
	}
	if (rc == DUTY_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该换班申请");
	else if (rc != DUTY_OK)
		reply_internal(c, "reading a swap");
	return rc == DUTY_OK ? 0 : -1;
}

static void swap_step(struct call *c, enum duty_swap_step step)
{
	struct duty_swap w;
	enum duty_swap_verdict v;
	bool staff, allowed;
	int64_t member;
	int rc;

	if (swap_or_reply(c, &w, &staff, &member) < 0)
		return;
	if (step == SWAP_ACCEPT || step == SWAP_DECLINE)
		allowed = member && member == w.to_member_id;
	else if (step == SWAP_WITHDRAW)
		allowed = member && member == w.asker_id;
	else
		allowed = staff;
	if (!allowed) {
		reply_problem(c, 403, "forbidden", "没有权限进行此操作");
		return;
	}
	rc = duty_swap_step(c->db, &c->actor, w.id, step, clock_now(), &v);
	if (rc == DUTY_SWAP_RULE)
		reply_swap_verdict(c, v);
	else if (rc == DUTY_ALREADY)
		reply_problem(c, 409, "already", "对方已在该班次上");
	else if (rc != DUTY_OK)
		duty_reply_error(c, rc, NULL, NULL);
	else if (duty_swap_get(c->db, w.id, &w) != DUTY_OK)
		reply_internal(c, "reading a swap");
	else
		reply_json(c, 200, swap_json(&w));
}

void duty_swaps_accept(struct call *c)
{
	swap_step(c, SWAP_ACCEPT);
}

void duty_swaps_decline(struct call *c)
{
	swap_step(c, SWAP_DECLINE);
}

void duty_swaps_withdraw(struct call *c)
{
	swap_step(c, SWAP_WITHDRAW);
}

void duty_swaps_approve(struct call *c)
{
	swap_step(c, SWAP_APPROVE);
}

void duty_swaps_refuse(struct call *c)
{
	swap_step(c, SWAP_REFUSE);
}

static const char *const swap_states[] = { "asked", "accepted", "approved", "refused", "declined", "withdrawn", NULL };

static void reply_swaps(struct call *c, struct duty_swap *items, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, swap_json(&items[i]));
	free(items);
	reply_json(c, 200, json_pack("{s:o}", "items", arr));
}

/* GET /communities/{code}/duty-swaps?state=: open ones (asked, accepted) by default */
void community_duty_swaps(struct call *c)
{
	struct duty_member m;
	struct duty_swap *items;
	struct region r;
	const char *state = NULL;
	bool staff;
	size_t n;

	if (duty_community_or_reply(c, false, &r, &staff, &m) < 0 || call_choice_or_reply(c, "state", swap_states, &state) < 0)
		return;
	if (duty_swap_list(c->db, r.code, state, &items, &n) != DUTY_OK)
		reply_internal(c, "listing swaps");
	else
		reply_swaps(c, items, n);
}

/* GET /me/duty-swaps: the swaps the caller asked or was asked */
void me_duty_swaps(struct call *c)
{
	struct duty_member m;
	struct duty_swap *items;
	size_t n;
	int rc = duty_member_of_account(c->db, c->actor.account_id, &m);

	if (rc == DUTY_NOT_FOUND)
		reply_json(c, 200, json_pack("{s:[]}", "items"));
	else if (rc != DUTY_OK || duty_swap_mine(c->db, m.id, &items, &n) != DUTY_OK)
		reply_internal(c, "listing my swaps");
	else
		reply_swaps(c, items, n);
}
