/* posts.c: posts (岗位) of a community: defined by staff, claimed and left by members, the claims queue, service logged */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/records.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/post.h"
#include "domain/record.h"

static json_t *post_json(const struct post *p)
{
	bool place = p->place_code[0] != '\0';
	char today[11];
	json_t *o;

	clock_date(clock_now(), today);
	o = json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s?, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:b, s:s, "
			 "s:s?, s:s, s:s, s:I, s:I}",
			 "id", (json_int_t)p->id, "community_code", p->community_code, "community_name",
			 p->community_name, "place_code", place ? p->place_code : NULL, "place_name",
			 place ? p->place_name : NULL, "place_level", place ? p->place_level : NULL, "item_id",
			 (json_int_t)p->item_id, "item_code", p->item_code, "item_name", p->item_name, "item_category",
			 p->item_category, "name", p->name, "duties", p->duties, "places", (json_int_t)p->places,
			 "holders", (json_int_t)p->holders, "applied", (json_int_t)p->applied, "full",
			 p->holders >= p->places, "starts_on", p->starts_on, "ends_on", p->ends_on[0] ? p->ends_on : NULL,
			 "state", p->state, "close_reason", p->close_reason, "created_at", (json_int_t)p->created_at,
			 "updated_at", (json_int_t)p->updated_at);
	/* Its term is over: it takes no claim, nor service after its last day. */
	if (o)
		json_object_set_new(o, "expired", json_boolean(p->ends_on[0] && strcmp(p->ends_on, today) < 0));
	return o;
}

/* A claim; with_phone for staff; with_service for the member's own lists and file. */
static json_t *claim_json(const struct post_claim *h, bool with_phone, bool with_service)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, "
			      "s:I}",
			      "id", (json_int_t)h->id, "post_id", (json_int_t)h->post_id, "post_name", h->post_name,
			      "post_state", h->post_state, "item_name", h->item_name, "place_name", h->place_name,
			      "community_code", h->community_code, "community_name", h->community_name, "member_id",
			      (json_int_t)h->member_id, "member_name", h->member_name, "state", h->state, "note",
			      h->note, "reason", h->reason, "answer", h->answer, "applied_at", (json_int_t)h->applied_at,
			      "decided_at", (json_int_t)h->decided_at, "leave_at", (json_int_t)h->leave_at, "left_at",
			      (json_int_t)h->left_at);

	if (o && with_phone)
		json_object_set_new(o, "member_phone", json_string(h->member_phone));
	if (o && with_service)
		json_object_set_new(o, "service", json_pack("{s:I, s:I, s:I, s:I}", "pending", (json_int_t)h->pending,
							    "pending_minutes", (json_int_t)h->pending_minutes,
							    "confirmed", (json_int_t)h->confirmed, "confirmed_minutes",
							    (json_int_t)h->confirmed_minutes));
	return o;
}

static json_t *claims_json(const struct post_claim *items, size_t n, bool with_phone, bool with_service)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, claim_json(&items[i], with_phone, with_service));
	return arr;
}

json_t *member_posts_json(struct db *db, int64_t member_id)
{
	struct post_claim *items;
	size_t n;
	json_t *arr;

	if (post_claims_of(db, member_id, true, &items, &n) != POST_OK)
		return NULL;
	arr = claims_json(items, n, false, true);
	free(items);
	return arr;
}

static bool serve_reads(struct call *c, const char *path)
{
	struct target t = { path, 0 };

	return authz_allows(&c->who, ACT_SERVE_READ, &t);
}

/*
 * Post {id} for the caller: staff, org and admin with the post's community in
 * scope (and allowed a, else 403), or (reading) a member serving there (*as_member).
 * 404 otherwise.
 */
static int post_or_reply(struct call *c, enum action a, struct post *p, bool *as_member)
{
	struct post_member m;
	struct target t;
	int64_t id;
	int rc;

	*as_member = false;
	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = post_get(c->db, id, p);
	if (rc == POST_OK && !serve_reads(c, p->community_path)) {
		rc = a == ACT_SERVE_READ ? post_acting_member(c->db, c->actor.account_id, &m) : POST_NOT_FOUND;
		if (rc == POST_OK && (!m.approved || strcmp(m.community_code, p->community_code)))
			rc = POST_NOT_FOUND;
		*as_member = rc == POST_OK;
	}
	if (rc == POST_NOT_FOUND) {
		reply_problem(c, 404, "not_found", "找不到该岗位");
		return -1;
	}
	if (rc != POST_OK) {
		reply_internal(c, "reading a post");
		return -1;
	}
	t = (struct target){ p->community_path, 0 };
	return *as_member ? 0 : call_allow_or_reply(c, a, &t);
}

void posts_list(struct call *c)
{
	static const char *const states[] = { "open", "closed", NULL };
	struct post_filter f = { 0 };
	struct scope scope;
	struct post *items;
	size_t n;
	int64_t total;
	json_t *arr;

	if (call_query_or_reply(c, "community", 18, &f.community) < 0 ||
	    call_choice_or_reply(c, "state", states, &f.state) < 0 ||
	    call_int_or_reply(c, "item_id", 1, INT64_MAX, &f.item_id) < 0 || call_page_or_reply(c, &f.page, &f.per_page) < 0)
		return;
	authz_scope(&c->who, ACT_SERVE_READ, &scope);
	if (post_list(c->db, &scope, &f, &items, &n, &total) != POST_OK) {
		reply_internal(c, "listing posts");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, post_json(&items[i]));
	free(items);
	reply_json(c, 200, page_json(arr, total, f.page, f.per_page));
}

struct post_body {
	char *community_code, *place_code, *name, *duties, *starts_on, *ends_on;
	long long item_id, places;
};

/* A new post names its community first; an edit reads the spec from its second entry. */
static const struct spec_field post_spec[] = {
	SPEC(struct post_body, community_code, SPEC_STR, SPEC_REQUIRED, 1, 18),
	SPEC(struct post_body, place_code, SPEC_STR, 0, 0, 18),
	SPEC(struct post_body, item_id, SPEC_INT, SPEC_REQUIRED, 1, INT64_MAX),
	SPEC(struct post_body, name, SPEC_STR, SPEC_REQUIRED, 1, POST_NAME_MAX),
	SPEC(struct post_body, duties, SPEC_STR, 0, 0, POST_DUTIES_MAX),
	SPEC(struct post_body, places, SPEC_INT, SPEC_REQUIRED, 1, POST_PLACES_MAX),
	SPEC(struct post_body, starts_on, SPEC_STR, SPEC_REQUIRED, 1, 10),
	SPEC(struct post_body, ends_on, SPEC_STR, 0, 0, 10),
	{ 0 },
};

static struct post_input post_input_of(const struct post_body *b)
{
	return (struct post_input){ b->community_code, b->place_code, b->item_id, b->name, b->duties, b->places,
				    b->starts_on, b->ends_on };
}

static void reply_post_error(struct call *c, int rc, const struct field_errors *errs)
{
	switch (rc) {
	case POST_INVALID:
		reply_errors(c, 422, errs);
		break;
	case POST_NOT_FOUND:
		reply_problem(c, 404, "not_found", "找不到该岗位或申请");
		break;
	case POST_BAD_STATE:
		reply_problem(c, 409, "conflict", "该申请或岗位已处理过，请刷新后再看");
		break;
	case POST_FULL:
		reply_problem(c, 409, "full", "该岗位名额已满，请先让在岗的人离岗或增加名额");
		break;
	case POST_CLAIMED:
		reply_problem(c, 409, "conflict", "已经申请过或正在担任该岗位");
		break;
	case POST_CLOSED:
		reply_problem(c, 409, "closed", "该岗位已关闭或已过期");
		break;
	case POST_TOO_FEW:
		reply_field(c, 409, "places", "too_small", "名额不能少于在岗人数");
		break;
	case POST_NOT_MEMBER:
		reply_problem(c, 404, "not_found", "找不到该岗位");
		break;
	case POST_OVERLAP:
		reply_field(c, 409, "started_at", "overlap", "这段时间已有另一条服务记录");
		break;
	default:
		reply_internal(c, "writing a post");
	}
}

void posts_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct post_body b = { 0 };
	struct post_input in;
	struct region r;
	struct post p;
	int64_t id;
	int rc;

	if (call_body_or_reply(c, post_spec, &b) < 0)
		return;
	in = post_input_of(&b);
	rc = valid_digits(in.community_code, 12, 18) ? region_get(c->db, in.community_code, &r) : REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND || (rc == REGION_OK && strcmp(r.level, "community")))
		reply_field(c, 422, "community_code", "not_found", "应为一个社区");
	else if (rc != REGION_OK)
		reply_internal(c, "reading a community");
	else if (call_allow_or_reply(c, ACT_SERVE_MANAGE, &(struct target){ r.path, 0 }) == 0) {
		rc = post_create(c->db, &c->actor, &in, &errs, &id);
		if (rc != POST_OK)
			reply_post_error(c, rc, &errs);
		else if (post_get(c->db, id, &p) != POST_OK)
			reply_internal(c, "reading a post");
		else
			reply_json(c, 201, post_json(&p));
	}
	spec_release(post_spec, &b);
}

/* The post with the people on it: staff see every open claim with phones; a member sees the holders and their own claim. */
static void reply_post(struct call *c, int status, const struct post *p, bool as_member)
{
	struct post_claim *people;
	struct post_member m;
	json_t *o, *arr;
	size_t n;

	if (post_people(c->db, p->id, &people, &n) != POST_OK ||
	    (as_member && post_acting_member(c->db, c->actor.account_id, &m) != POST_OK)) {
		reply_internal(c, "reading a post's people");
		return;
	}
	o = post_json(p);
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		bool holds = strcmp(people[i].state, "applied") != 0;

		if (!as_member)
			arr = json_push(arr, claim_json(&people[i], true, false));
		else if (people[i].member_id == m.member_id && o)
			json_object_set_new(o, "my_claim", claim_json(&people[i], false, false));
		if (as_member && holds)
			arr = json_push(arr, json_pack("{s:s, s:s, s:I}", "member_name", people[i].member_name, "state",
						       people[i].state, "since", (json_int_t)people[i].decided_at));
	}
	free(people);
	if (o && as_member && !json_object_get(o, "my_claim"))
		json_object_set_new(o, "my_claim", json_null());
	if (o && arr)
		json_object_set_new(o, "people", arr);
	else {
		json_decref(o);
		json_decref(arr);
		o = NULL;
	}
	reply_json(c, status, o);
}

void posts_get(struct call *c)
{
	struct post p;
	bool as_member;

	if (post_or_reply(c, ACT_SERVE_READ, &p, &as_member) == 0)
		reply_post(c, 200, &p, as_member);
}

void posts_update(struct call *c)
{
	struct field_errors errs = { 0 };
	struct post_body b = { 0 };
	struct post_input in;
	struct post p;
	bool as_member;
	int rc;

	if (post_or_reply(c, ACT_SERVE_MANAGE, &p, &as_member) < 0 || call_body_or_reply(c, post_spec + 1, &b) < 0)
		return;
	in = post_input_of(&b);
	rc = post_update(c->db, &c->actor, p.id, &in, &errs);
	if (rc != POST_OK)
		reply_post_error(c, rc, &errs);
	else if (post_get(c->db, p.id, &p) != POST_OK)
		reply_internal(c, "reading a post");
	else
		reply_post(c, 200, &p, false);
	spec_release(post_spec + 1, &b);
}

struct reason_body {
	char *reason;
};

/* A reason from staff: why a claim is refused, a holding ended, a post closed. */
static const struct spec_field reason_spec[] = {
	SPEC(struct reason_body, reason, SPEC_STR, SPEC_REQUIRED, 2, POST_REASON_MAX),
	{ 0 },
};

void posts_close(struct call *c)
{
	struct reason_body b = { 0 };
	struct post p;
	bool as_member;
	int rc;

	if (post_or_reply(c, ACT_SERVE_MANAGE, &p, &as_member) < 0 || serve_optional_body_or_reply(c, reason_spec, &b) < 0)
		return;
	rc = post_close(c->db, &c->actor, p.id, b.reason);
	if (rc != POST_OK)
		reply_post_error(c, rc, NULL);
	else if (post_get(c->db, p.id, &p) != POST_OK)
		reply_internal(c, "reading a post");
	else
		reply_post(c, 200, &p, false);
	spec_release(reason_spec, &b);
}

struct note_body {
	char *note;
};

static const struct spec_field note_spec[] = {
	SPEC(struct note_body, note, SPEC_STR, 0, 0, POST_NOTE_MAX),
	{ 0 },
};

/* Replies with claim id as it is now; staff see the member's phone. */
static void reply_claim(struct call *c, int status, int64_t id, bool staff)
{
	struct post_claim h;

	if (post_claim_get(c->db, id, &h) != POST_OK)
		reply_internal(c, "reading a claim");
	else
		reply_json(c, status, claim_json(&h, staff, false));
}

void posts_claim(struct call *c)
{
	struct note_body b = { 0 };
	struct post_member m;
	struct post p;
	int64_t id, claim;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0 || serve_member_or_reply(c, &m) < 0)
		return;
	rc = post_get(c->db, id, &p);
	if (rc == POST_OK && strcmp(p.community_code, m.community_code))
		rc = POST_NOT_FOUND;
	if (rc != POST_OK) {
		reply_post_error(c, rc, NULL);
		return;
	}
	if (serve_optional_body_or_reply(c, note_spec, &b) < 0)
		return;
	rc = post_claim(c->db, &c->actor, p.id, m.member_id, b.note, &claim);
	if (rc == POST_OK)
		reply_claim(c, 201, claim, false);
	else
		reply_post_error(c, rc, NULL);
	spec_release(note_spec, &b);
}

void post_claims_list(struct call *c)
{
	static const char *const states[] = { "applied", "holding", "leaving", "refused", "withdrawn", "left", NULL };
	struct post_claim_filter f = { 0 };
	struct post_claim *items;
	struct scope scope;
	const char *state;
	size_t n;
	int64_t total;

	if (call_query_or_reply(c, "community", 18, &f.community) < 0 ||
	    call_int_or_reply(c, "post_id", 1, INT64_MAX, &f.post_id) < 0 || call_query_or_reply(c, "state", 80, &state) < 0 ||
	    call_page_or_reply(c, &f.page, &f.per_page) < 0)
		return;
	/* One state, or several joined by commas; none: the queue (applied,leaving). */
	for (const char *p = state; p;) {
		size_t len = strcspn(p, ","), k;

		for (k = 0; states[k] && (strlen(states[k]) != len || strncmp(states[k], p, len)); k++)
			;
		if (!states[k] || f.nstates == sizeof(f.states) / sizeof(f.states[0])) {
			reply_query(c, "state", "enum", "应为 applied、holding、leaving、refused、withdrawn、left，可用逗号连接几个");
			return;
		}
		f.states[f.nstates++] = states[k];
		p = p[len] == ',' ? p + len + 1 : NULL;
	}
	authz_scope(&c->who, ACT_SERVE_READ, &scope);
	if (post_claim_list(c->db, &scope, &f, &items, &n, &total) != POST_OK) {
		reply_internal(c, "listing claims");
		return;
	}
	reply_json(c, 200, page_json(claims_json(items, n, true, false), total, f.page, f.per_page));
	free(items);
}

/* Staff decide on claim {id}: 404 outside their read scope, 403 when they may read but not manage. */
static void decide(struct call *c, enum post_decision d)
{
	struct reason_body b = { 0 };
	struct post_claim h;
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return;
	rc = post_claim_get(c->db, id, &h);
	if (rc == POST_OK && !serve_reads(c, h.community_path))
		rc = POST_NOT_FOUND;
	if (rc != POST_OK) {
		reply_post_error(c, rc, NULL);
		return;
	}
	if (call_allow_or_reply(c, ACT_SERVE_MANAGE, &(struct target){ h.community_path, 0 }) < 0 ||
	    (d != POST_APPROVE && serve_optional_body_or_reply(c, reason_spec, &b) < 0))
		return;
	rc = post_decide(c->db, &c->actor, id, d, b.reason);
	if (rc == POST_OK)
		reply_claim(c, 200, id, true);
	else if (rc == POST_NOT_MEMBER)
		reply_problem(c, 409, "moved", "该党员已不在本社区报到，不能上岗；请拒绝该申请并说明原因");
	else
		reply_post_error(c, rc, NULL);
	spec_release(reason_spec, &b);
}

void post_claims_approve(struct call *c)
{
	decide(c, POST_APPROVE);
}

void post_claims_refuse(struct call *c)
{
	decide(c, POST_REFUSE);
}

void post_claims_end(struct call *c)
{
	decide(c, POST_END);
}

void me_posts_get(struct call *c)
{
	struct post_claim *items = NULL;
	struct post_member m;
	size_t n = 0;
	int rc = post_acting_member(c->db, c->actor.account_id, &m);

	if (rc == POST_OK)
		rc = post_claims_of(c->db, m.member_id, false, &items, &n);
	if (rc != POST_OK && rc != POST_NOT_FOUND) {
		reply_internal(c, "listing my posts");
		return;
	}
	reply_json(c, 200, json_pack("{s:o}", "items", claims_json(items, n, false, true)));
	free(items);
}

void me_posts_open(struct call *c)
{
	struct post_offer *items;
	struct post_member m;
	size_t n;
	json_t *arr;

	if (serve_member_or_reply(c, &m) < 0)
		return;
	if (post_offers(c->db, m.community_code, m.member_id, m.preferred_posts, &items, &n) != POST_OK) {
		reply_internal(c, "listing open posts");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = post_json(&items[i].post);

		if (o) {
			json_object_set_new(o, "preferred", json_boolean(items[i].preferred));
			json_object_set_new(o, "my_claim", items[i].claim_id ? json_pack("{s:I, s:s}", "id",
											  (json_int_t)items[i].claim_id,
											  "state", items[i].claim_state)
									     : json_null());
		}
		arr = json_push(arr, o);
	}
	free(items);
	reply_json(c, 200, json_pack("{s:o}", "items", arr));
}

static const struct spec_field leave_spec[] = {
	SPEC(struct reason_body, reason, SPEC_STR, 0, 0, POST_REASON_MAX),
	{ 0 },
};

void me_posts_leave(struct call *c)
{
	struct field_errors errs = { 0 };
	struct reason_body b = { 0 };
	struct post_member m;
	int64_t id, claim;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0 || serve_optional_body_or_reply(c, leave_spec, &b) < 0)
		return;
	rc = post_acting_member(c->db, c->actor.account_id, &m);
	if (rc == POST_OK)
		rc = post_leave(c->db, &c->actor, id, m.member_id, b.reason, &errs, &claim);
	if (rc == POST_NOT_FOUND)
		reply_problem(c, 404, "not_found", "没有该岗位的申请或在岗记录");
	else if (rc != POST_OK)
		reply_post_error(c, rc, &errs);
	else
		reply_claim(c, 200, claim, false);
	spec_release(leave_spec, &b);
}

struct service_body {
	long long started_at, minutes;
	char *place, *content;
};

static const struct spec_field service_spec[] = {
	SPEC(struct service_body, started_at, SPEC_INT, SPEC_REQUIRED, 1, 4102444800LL),
	SPEC(struct service_body, minutes, SPEC_INT, SPEC_REQUIRED, 1, RECORD_MINUTES_MAX),
	SPEC(struct service_body, place, SPEC_STR, 0, 0, RECORD_PLACE_MAX),
	SPEC(struct service_body, content, SPEC_STR, 0, 0, RECORD_CONTENT_MAX),
	{ 0 },
};

void posts_service(struct call *c)
{
	struct field_errors errs = { 0 };
	struct service_body b = { 0 };
	struct record_fields f = { 0 };
	struct record_input in;
	struct post_member m;
	int64_t id, record_id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0 || serve_member_or_reply(c, &m) < 0 ||
	    call_body_read_or_reply(c, service_spec, &b, &errs) < 0)
		goto out;
	record_fields_read(c, &errs, &f);
	if (errs.n) {
		reply_errors(c, 422, &errs);
		goto out;
	}
	in = (struct record_input){ .started_at = b.started_at, .minutes = b.minutes, .place = b.place,
				    .content = b.content, .nfields = f.n, .field_names = (const char *const *)f.names,
				    .field_values = (const char *const *)f.values };
	rc = post_log_service(c->db, &c->actor, id, m.member_id, &in, &errs, &record_id);
	if (rc == POST_NOT_FOUND)
		reply_problem(c, 404, "not_found", "您没有担任该岗位");
	else if (rc != POST_OK)
		reply_post_error(c, rc, &errs);
	else
		record_reply(c, 201, record_id);
out:
	record_fields_release(&f);
	spec_release(service_spec, &b);
}
