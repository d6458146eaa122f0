/* members.c: member files and report-ins: typed in by staff or units, approved, revealed, left */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/out.h"
#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/enrol.h"
#include "domain/member.h"
#include "domain/registration.h"
#include "domain/region.h"

/* The member form, as the API takes it (the mobile form, the console form and spreadsheet rows). */
struct member_body {
	char *name, *gender, *phone, *id_number, *position, *party_branch, *joined_party_on;
	char *community_code, *building_code, *address, *specialties, *preferred_posts, *plaque_on;
	long long unit_id;
	bool plaque_hung;
};

#define F(name, type, flags, min, max) SPEC(struct member_body, name, type, flags, min, max)
static const struct spec_field member_spec[] = {
	F(name, SPEC_STR, SPEC_REQUIRED, 1, MEMBER_NAME_MAX),
	F(gender, SPEC_STR, 0, 0, 2),
	F(phone, SPEC_STR, SPEC_REQUIRED, 1, MEMBER_PHONE_MAX),
	F(id_number, SPEC_STR, SPEC_REQUIRED, 1, 18),
	F(unit_id, SPEC_INT, 0, 0, INT64_MAX),
	F(position, SPEC_STR, 0, 0, MEMBER_POSITION_MAX),
	F(party_branch, SPEC_STR, 0, 0, MEMBER_BRANCH_MAX),
	F(joined_party_on, SPEC_STR, 0, 0, 10),
	F(community_code, SPEC_STR, SPEC_REQUIRED, 1, 18),
	F(building_code, SPEC_STR, 0, 0, 18),
	F(address, SPEC_STR, 0, 0, MEMBER_ADDRESS_MAX),
	F(specialties, SPEC_STR, 0, 0, MEMBER_TAGS_MAX),
	F(preferred_posts, SPEC_STR, 0, 0, MEMBER_TAGS_MAX),
	F(plaque_hung, SPEC_BOOL, 0, 0, 0),
	F(plaque_on, SPEC_STR, 0, 0, 10),
	{ 0 },
};
#undef F

/* What staff may correct in a file: everything but who the member is and where they report in. */
struct edit_body {
	char *phone, *position, *party_branch, *joined_party_on, *building_code, *address, *specialties;
	char *preferred_posts, *plaque_on;
	long long unit_id;
	bool plaque_hung;
};

#define F(name, type, flags, min, max) SPEC(struct edit_body, name, type, flags, min, max)
static const struct spec_field edit_spec[] = {
	F(phone, SPEC_STR, SPEC_REQUIRED, 1, MEMBER_PHONE_MAX),
	F(unit_id, SPEC_INT, 0, 0, INT64_MAX),
	F(position, SPEC_STR, 0, 0, MEMBER_POSITION_MAX),
	F(party_branch, SPEC_STR, 0, 0, MEMBER_BRANCH_MAX),
	F(joined_party_on, SPEC_STR, 0, 0, 10),
	F(building_code, SPEC_STR, 0, 0, 18),
	F(address, SPEC_STR, 0, 0, MEMBER_ADDRESS_MAX),
	F(specialties, SPEC_STR, 0, 0, MEMBER_TAGS_MAX),
	F(preferred_posts, SPEC_STR, 0, 0, MEMBER_TAGS_MAX),
	F(plaque_hung, SPEC_BOOL, 0, 0, 0),
	F(plaque_on, SPEC_STR, 0, 0, 10),
	{ 0 },
};
#undef F

static struct member_input input_of(const struct member_body *b)
{
	return (struct member_input){ b->name, b->gender, b->phone, b->id_number, b->unit_id, b->position,
				      b->party_branch, b->joined_party_on, b->community_code, b->building_code,
				      b->address, b->specialties, b->preferred_posts, b->plaque_hung, b->plaque_on };
}

static json_t *timeline_json(const struct reg_event *e, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "registration_id",
						     (json_int_t)e[i].registration_id, "at", (json_int_t)e[i].at,
						     "event", e[i].event, "community_code", e[i].community_code,
						     "community_name", e[i].community_name, "by", e[i].account_name,
						     "note", e[i].note));
	return arr;
}

/* The whole file: the member, the open or active report-in, the timeline. NULL on a storage error. */
static json_t *file_json(struct call *c, const struct member *m)
{
	struct registration r;
	struct reg_event *events;
	size_t n;
	json_t *o;
	int rc = registration_current(c->db, m->id, &r);

	if (rc == REG_ERROR || registration_timeline(c->db, m->id, &events, &n) != REG_OK)
		return NULL;
	/* The posts held or claimed and the teams joined (posts.c, teams.c); NULL fails the whole file. */
	o = json_pack("{s:o, s:o, s:o, s:o, s:o}", "member", member_json(m), "registration",
		      rc == REG_OK ? registration_json(&r) : json_null(), "timeline", timeline_json(events, n), "posts",
		      member_posts_json(c->db, m->id), "teams", member_teams_json(c->db, m->id));
	free(events);
	o = records_in_file(c, m, o);
	return o;
}

/*
 * Whether the caller may do a to a member placed so: reading goes by any
 * community it reported to and by its unit; acting on it (reveal, leave) only
 * by the communities of its pending or approved report-ins.
 */
static bool member_allows(struct call *c, enum action a, const struct member_place *place)
{
	bool reading = a == ACT_MEMBER_READ;
	struct target t = { NULL, reading ? place->unit_id : 0 };
	size_t n = reading ? place->npaths : place->nopen;

	if (t.unit_id && authz_allows(&c->who, a, &t))
		return true;
	t.unit_id = 0;
	for (size_t i = 0; i < n; i++) {
		t.region_path = reading ? place->paths[i] : place->open_paths[i];
		if (authz_allows(&c->who, a, &t))
			return true;
	}
	return false;
}

/* Loads member {id} if the caller may do a to it; 404 when it may not even see it, 403 when only a is refused. */
int member_or_reply(struct call *c, enum action a, struct member *m)
{
	struct member_place place;
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = member_place(c->db, id, &place);
	if (rc == MEMBER_OK && !member_allows(c, ACT_MEMBER_READ, &place))
		rc = MEMBER_NOT_FOUND;
	if (rc == MEMBER_OK && !member_allows(c, a, &place)) {
		reply_problem(c, 403, "forbidden", "没有权限进行此操作");
		return -1;
	}
	if (rc == MEMBER_OK)
		rc = member_get(c->db, id, m);
	if (rc == MEMBER_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该党员档案");
	else if (rc != MEMBER_OK)
		reply_internal(c, "reading a member");
	return rc == MEMBER_OK ? 0 : -1;
}

int members_filter_or_reply(struct call *c, struct member_filter *f)
{
	static const char *const states[] = { "pending", "approved", "rejected", "withdrawn", "left", "transferred", NULL };
	const char *account, *state;

	memset(f, 0, sizeof(*f));
	f->has_account = -1;
	if (call_query_or_reply(c, "community", 18, &f->community) < 0 ||
	    call_int_or_reply(c, "unit_id", 1, INT64_MAX, &f->unit_id) < 0 ||
	    call_query_or_reply(c, "state", 80, &state) < 0 ||
	    call_query_or_reply(c, "specialty", 20, &f->specialty) < 0 || call_query_or_reply(c, "q", 50, &f->q) < 0 ||
	    call_choice_or_reply(c, "has_account", (const char *const[]){ "true", "false", NULL }, &account) < 0)
		return -1;
	if (account)
		f->has_account = !strcmp(account, "true");
	/* One state, or several joined by commas (approved,pending: those reported in or waiting). */
	for (const char *p = state; p;) {
		size_t len = strcspn(p, ","), k;

		for (k = 0; states[k] && (strlen(states[k]) != len || strncmp(states[k], p, len)); k++)
			;
		if (!states[k] || f->nstates == sizeof(f->states) / sizeof(f->states[0])) {
			reply_problem(c, 400, "bad_query", "state 应为 pending、approved、rejected、withdrawn、left、transferred，可用逗号连接几个");
			return -1;
		}
		f->states[f->nstates++] = states[k];
		p = p[len] == ',' ? p + len + 1 : NULL;
	}
	return 0;
}

void members_list(struct call *c)
{
	struct member_filter f;
	struct scope scope;
	struct member *items;
	size_t n;
	int64_t total;
	json_t *arr, *page;
	bool capped;
	int rc;

	if (members_filter_or_reply(c, &f) < 0 || call_page_or_reply(c, &f.page, &f.per_page) < 0 ||
	    call_int_or_reply(c, "after", 1, INT64_MAX, &f.after) < 0)
		return;
	authz_scope(&c->who, ACT_MEMBER_READ, &scope);
	rc = member_list(c->db, &scope, &f, &items, &n, &total, &capped);
	if (rc == MEMBER_INVALID) {
		reply_problem(c, 400, "bad_query", "页码太靠后：请用筛选条件缩小范围，或用“下一页”（after）继续翻页");
		return;
	}
	if (rc != MEMBER_OK) {
		reply_internal(c, "listing members");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, member_json(&items[i]));
	page = page_json(arr, total, f.page, f.per_page);
	/* More files than were counted: the total is a lower bound. */
	if (page && capped)
		json_object_set_new(page, "total_capped", json_true());
	/* The next page starts after the last file of this one: cheap however deep it goes. */
	if (page && n == (size_t)f.per_page)
		json_object_set_new(page, "next_after", json_integer(items[n - 1].id));
	free(items);
	reply_json(c, 200, page);
}

void members_get(struct call *c)
{
	struct member m;
	json_t *o;

	if (member_or_reply(c, ACT_MEMBER_READ, &m) < 0)
		return;
	if (!(o = file_json(c, &m)))
		reply_internal(c, "reading a member file");
	else
		reply_json(c, 200, o);
}

/* Reply with the member's file after a change. */
static void reply_file(struct call *c, int status, int64_t member_id)
{
	struct member m;
	json_t *o;

	if (member_get(c->db, member_id, &m) != MEMBER_OK || !(o = file_json(c, &m)))
		reply_internal(c, "reading a member file");
	else
		reply_json(c, status, o);
}

/*
 * 409 for an ID number that has a file already. The file is named only to a
 * caller who may see it; anyone else learns that it exists and what to do.
 */
static void reply_duplicate(struct call *c, int64_t existing)
{
	struct field_errors errs = { 0 };
	struct member_place place;
	char msg[192];
	int rc = member_place(c->db, existing, &place);

	if (rc == MEMBER_ERROR) {
		reply_internal(c, "placing a duplicate");
		return;
	}
	if (rc == MEMBER_OK && member_allows(c, ACT_MEMBER_READ, &place)) {
		snprintf(msg, sizeof(msg), "此身份证号已有档案（档案编号 %" PRId64 "），请在该档案上办理", existing);
		field_errors_add(&errs, "id_number", "duplicate", msg);
		resp_problem_extra(c->resp, 409, "conflict", "此人已有档案", &errs,
				   json_pack("{s:I}", "existing_member_id", (json_int_t)existing));
		return;
	}
	field_errors_add(&errs, "id_number", "duplicate", "此人已在其他社区或单位建档，请让本人在手机上报到（或办理转社区）");
	reply_errors(c, 409, &errs);
}

/* Answers a refused or failed write of a report-in; errs holds the form's faults for REG_INVALID. */
static void reply_reg_error(struct call *c, int rc, const struct field_errors *errs);

/* Reads and checks the member form: every field error in one answer. */
static int member_body_or_reply(struct call *c, struct member_body *b)
{
	struct field_errors errs = { 0 };
	struct member_input in;

	memset(b, 0, sizeof(*b));
	if (call_body_read_or_reply(c, member_spec, b, &errs) < 0)
		return -1;
	in = input_of(b);
	if (member_check(c->db, &in, clock_now(), &errs) < 0) {
		reply_internal(c, "checking a member");
		return -1;
	}
	if (errs.n) {
		reply_errors(c, 422, &errs);
		return -1;
	}
	return 0;
}

/* Staff type a paper form in (代录, approved at once); a unit registers one of its members (整建制报到). */
void members_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct member_body b;
	struct member_input in;
	struct region community;
	struct target t;
	enum reg_channel channel = CHANNEL_STAFF;
	int64_t id;
	int rc;

	if (member_body_or_reply(c, &b) < 0)
		goto out;
	in = input_of(&b);
	if (region_get(c->db, in.community_code, &community) != REGION_OK) {
		reply_internal(c, "reading a community");
		goto out;
	}
	t = (struct target){ community.path, 0 };
	if (!authz_allows(&c->who, ACT_MEMBER_ENTER, &t)) {
		/* A unit enters its own members, for any community; its own unit unless the form names one. */
		for (size_t i = 0; !in.unit_id && i < c->who.ngrants; i++)
			if (c->who.grants[i].role == ROLE_UNIT)
				in.unit_id = c->who.grants[i].unit_id;
		t = (struct target){ NULL, in.unit_id };
		channel = CHANNEL_UNIT;
		if (call_allow_or_reply(c, ACT_MEMBER_ENTER, &t) < 0)
			goto out;
	}
	rc = member_enrol(c->db, &c->actor, &in, channel, &errs, &id);
	if (rc == REG_DUPLICATE)
		reply_duplicate(c, id);
	else if (rc != REG_OK)
		reply_reg_error(c, rc, &errs);
	else
		reply_file(c, 201, id);
out:
	spec_release(member_spec, &b);
}

struct reason_body {
	char *reason;
};

static const struct spec_field reason_spec[] = {
	SPEC(struct reason_body, reason, SPEC_STR, SPEC_REQUIRED, 2, REG_REASON_MAX),
	{ 0 },
};

void members_reveal(struct call *c)
{
	struct reason_body b = { 0 };
	struct member m;
	char *number;

	if (member_or_reply(c, ACT_MEMBER_REVEAL, &m) < 0 || call_body_or_reply(c, reason_spec, &b) < 0)
		return;
	if (member_reveal(c->db, &c->actor, m.id, b.reason, &number) != MEMBER_OK) {
		reply_internal(c, "revealing an ID number");
	} else {
		resp_header(c->resp, "Cache-Control", "no-store");
		reply_json(c, 200, json_pack("{s:I, s:s}", "member_id", (json_int_t)m.id, "id_number", number));
		free(number);
	}
	spec_release(reason_spec, &b);
}

static void reply_reg_error(struct call *c, int rc, const struct field_errors *errs)
{
	switch (rc) {
	case REG_INVALID:
		reply_errors(c, 422, errs);
		break;
	case REG_TAKEN:
		reply_field(c, 409, "id_number", "taken",
			    "此身份证号已有档案，但与您填写的姓名不符或已绑定其他账号，请联系所在社区核实");
		break;
	case REG_MISMATCH:
		reply_field(c, 422, "id_number", "mismatch", "姓名或身份证号与您的档案不符");
		break;
	case REG_NOT_FOUND:
		reply_problem(c, 404, "not_found", "找不到该报到记录");
		break;
	case REG_PENDING_EXISTS:
		reply_problem(c, 409, "conflict", "已有一条待审核的报到，请等待社区审核或先撤回");
		break;
	case REG_ALREADY_HERE:
		reply_problem(c, 409, "conflict", "已经在该社区报到");
		break;
	case REG_BAD_STATE:
		reply_problem(c, 409, "conflict", "该报到已处理过，不能再改");
		break;
	case REG_NOT_ACTIVE:
		reply_problem(c, 409, "conflict", "没有已报到的社区，无需退出");
		break;
	default:
		reply_internal(c, "changing a report-in");
	}
}

void members_update(struct call *c)
{
	struct field_errors errs = { 0 };
	struct edit_body b = { 0 };
	struct member_input in;
	struct member m;
	int rc;

	if (member_or_reply(c, ACT_REG_DECIDE, &m) < 0 || call_body_read_or_reply(c, edit_spec, &b, &errs) < 0)
		goto out;
	in = (struct member_input){ .phone = b.phone, .unit_id = b.unit_id, .position = b.position,
				    .party_branch = b.party_branch, .joined_party_on = b.joined_party_on,
				    .building_code = b.building_code, .address = b.address, .specialties = b.specialties,
				    .preferred_posts = b.preferred_posts, .plaque_hung = b.plaque_hung, .plaque_on = b.plaque_on };
	rc = member_correct(c->db, &c->actor, m.id, &in, &errs);
	if (rc == MEMBER_INVALID)
		reply_errors(c, 422, &errs);
	else if (rc != MEMBER_OK)
		reply_internal(c, "updating a member");
	else
		reply_file(c, 200, m.id);
out:
	spec_release(edit_spec, &b);
}

void members_leave(struct call *c)
{
	struct reason_body b = { 0 };
	struct member m;
	int rc;

	if (member_or_reply(c, ACT_REG_DECIDE, &m) < 0 || call_body_or_reply(c, reason_spec, &b) < 0)
		return;
	rc = registration_leave(c->db, &c->actor, m.id, b.reason);
	if (rc == REG_OK)
		reply_file(c, 200, m.id);
	else
		reply_reg_error(c, rc, NULL);
	spec_release(reason_spec, &b);
}

/* The report-in {id} if the caller may decide on it (its community in scope); 404 otherwise. */
static int registration_or_reply(struct call *c, struct registration *r)
{
	struct target t;
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = registration_get(c->db, id, r);
	if (rc == REG_OK) {
		t = (struct target){ r->community_path, 0 };
		if (!authz_allows(&c->who, ACT_REG_DECIDE, &t))
			rc = REG_NOT_FOUND;
	}
	if (rc != REG_OK)
		reply_reg_error(c, rc, NULL);
	return rc == REG_OK ? 0 : -1;
}

void registrations_list(struct call *c)
{
	struct reg_filter f = { 0 };
	struct scope scope;
	struct registration *items;
	size_t n;
	int64_t total;
	json_t *arr;

	if (call_query_or_reply(c, "state", 16, &f.state) < 0 || call_query_or_reply(c, "community", 18, &f.community) < 0 ||
	    call_page_or_reply(c, &f.page, &f.per_page) < 0)
		return;
	authz_scope(&c->who, ACT_MEMBER_READ, &scope);
	if (registration_list(c->db, &scope, &f, &items, &n, &total) != REG_OK) {
		reply_internal(c, "listing report-ins");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, registration_json(&items[i]));
	free(items);
	reply_json(c, 200, page_json(arr, total, f.page, f.per_page));
}

void registrations_approve(struct call *c)
{
	struct registration r;
	int rc;

	if (registration_or_reply(c, &r) < 0)
		return;
	rc = registration_decide(c->db, &c->actor, r.id, true, NULL);
	if (rc == REG_OK)
		reply_file(c, 200, r.member_id);
	else
		reply_reg_error(c, rc, NULL);
}

void registrations_reject(struct call *c)
{
	struct reason_body b = { 0 };
	struct registration r;
	int rc;

	if (registration_or_reply(c, &r) < 0 || call_body_or_reply(c, reason_spec, &b) < 0)
		return;
	rc = registration_decide(c->db, &c->actor, r.id, false, b.reason);
	if (rc == REG_OK)
		reply_file(c, 200, r.member_id);
	else
		reply_reg_error(c, rc, NULL);
	spec_release(reason_spec, &b);
}

struct ids_body {
	struct int_list ids;
};

static const struct spec_field ids_spec[] = {
	SPEC_LIST(struct ids_body, ids, SPEC_INTS, SPEC_REQUIRED, 1, INT64_MAX, 200),
	{ 0 },
};

/* Bulk approval from the queue: each report-in on its own, the answer says how each went. */
void registrations_approve_many(struct call *c)
{
	struct ids_body b = { 0 };
	json_t *results;

	if (call_body_or_reply(c, ids_spec, &b) < 0)
		return;
	results = json_array();
	for (size_t i = 0; i < b.ids.n; i++) {
		struct registration r;
		struct target t;
		const char *outcome = "not_found";
		int rc = registration_get(c->db, b.ids.items[i], &r);

		if (rc == REG_OK) {
			t = (struct target){ r.community_path, 0 };
			if (authz_allows(&c->who, ACT_REG_DECIDE, &t)) {
				rc = registration_decide(c->db, &c->actor, r.id, true, NULL);
				outcome = rc == REG_OK ? "approved" : rc == REG_BAD_STATE ? "already_decided" : "failed";
			}
		}
		results = json_push(results, json_pack("{s:I, s:s}", "id", (json_int_t)b.ids.items[i], "outcome", outcome));
	}
	spec_release(ids_spec, &b);
	reply_json(c, 200, json_pack("{s:o}", "results", results));
}

/* The member's own file (一人一档), for the mobile pages. */
void me_member_get(struct call *c)
{
	struct member m;
	int64_t id;
	int rc = member_find_by_account(c->db, c->actor.account_id, &id);
	json_t *o;

	if (rc == MEMBER_OK)
		rc = member_get(c->db, id, &m);
	if (rc == MEMBER_NOT_FOUND) {
		reply_problem(c, 404, "not_found", "还没有报到");
		return;
	}
	if (rc != MEMBER_OK || !(o = file_json(c, &m))) {
		reply_internal(c, "reading my file");
		return;
	}
	reply_json(c, 200, o);
}

/*
 * The member reports in on the phone: a first report-in creates the file or
 * links one the unit or the community typed in; a report-in to another
 * community is a transfer; the form brings the file up to date (see
 * member_report_in). 201 when a report-in was filed, 200 when the file was
 * only linked or brought up to date.
 */
void me_registration_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct member_body b;
	struct member_input in;
	bool filed;
	int64_t id;
	int rc;

	if (member_body_or_reply(c, &b) < 0)
		goto out;
	in = input_of(&b);
	rc = member_report_in(c->db, &c->actor, &in, &errs, &id, &filed);
	if (rc == REG_OK)
		reply_file(c, filed ? 201 : 200, id);
	else
		reply_reg_error(c, rc == REG_DUPLICATE ? REG_TAKEN : rc, &errs);
out:
	spec_release(member_spec, &b);
}

void me_registration_withdraw(struct call *c)
{
	struct registration r;
	int64_t id;
	int rc = member_find_by_account(c->db, c->actor.account_id, &id);

	if (rc == MEMBER_OK)
		rc = registration_current(c->db, id, &r) == REG_OK && !strcmp(r.state, "pending") ? MEMBER_OK
													: MEMBER_NOT_FOUND;
	if (rc != MEMBER_OK) {
		reply_problem(c, 404, "not_found", "没有待审核的报到");
		return;
	}
	rc = registration_withdraw(c->db, &c->actor, r.id);
	if (rc == REG_OK)
		reply_file(c, 200, id);
	else
		reply_reg_error(c, rc, NULL);
}

void specialties_list(struct call *c)
{
	char **tags;
	size_t n;
	json_t *arr;

	if (member_specialties(c->db, &tags, &n) != MEMBER_OK) {
		reply_internal(c, "listing specialties");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		arr = json_push(arr, json_string(tags[i]));
		free(tags[i]);
	}
	free(tags);
	reply_json(c, 200, json_pack("{s:o}", "items", arr));
}
