/* care.c: the care register of a community (its staff), pairings, offers, visits, the emergency board, and 我的结对 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/care.h"
#include "domain/care_due.h"
#include "domain/member.h"
#include "domain/pairing.h"
#include "domain/visit.h"

#define CARE_ID_MAX 1000000000000000LL
enum { VISITS_SHOWN = 100 };

static const char *const list_states[] = { "active", "closed", "all", NULL };

static void today_of(char out[11])
{
	clock_date(clock_now(), out);
}

/* Whether the caller keeps the register of the community at path (its staff; the administrator). */
static bool may_keep(struct call *c, const char *path)
{
	return authz_allows(&c->who, ACT_CARE, &(struct target){ path, 0 });
}

/* The community of path parameter 0, in the caller's reach; 404 otherwise. */
static int community_or_reply(struct call *c, struct region *r)
{
	const char *code = c->req->params[0];
	int rc = valid_digits(code, 12, 18) ? region_get(c->db, code, r) : REGION_NOT_FOUND;

	if (rc == REGION_OK && (strcmp(r->level, "community") || !may_keep(c, r->path)))
		rc = REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该社区");
	else if (rc != REGION_OK)
		reply_internal(c, "reading a community");
	return rc == REGION_OK ? 0 : -1;
}

/* The entry of path parameter 0 in the caller's reach as keeper; 404 otherwise. */
static int care_or_reply(struct call *c, struct care *e)
{
	char today[11];
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	today_of(today);
	rc = care_get(c->db, id, today, e);
	if (rc == CARE_OK && !may_keep(c, e->community_path))
		rc = CARE_NOT_FOUND;
	if (rc == CARE_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该帮扶对象");
	else if (rc != CARE_OK)
		reply_internal(c, "reading a care entry");
	return rc == CARE_OK ? 0 : -1;
}

static void reply_care_error(struct call *c, int rc, const struct field_errors *errs)
{
	if (rc == CARE_INVALID || rc == CARE_RECORD)
		reply_errors(c, 422, errs);
	else if (rc == CARE_BAD_STATE)
		reply_problem(c, 409, "bad_state", "该帮扶对象已销号，或该结对已处理");
	else if (rc == CARE_DUPLICATE)
		reply_problem(c, 409, "duplicate", "已经结对或已提出申请");
	else if (rc == CARE_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该帮扶对象");
	else
		reply_internal(c, "writing the care register");
}

static json_t *opt_id(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

/* An entry as the list shows it: the name and phone masked, the categories only counted. */
static json_t *masked_json(const struct care *e)
{
	char name[16], phone[TEXT_BYTES(CARE_PHONE_MAX)], label[32];

	care_mask_name(e->name, name, sizeof(name));
	care_mask_phone(e->phone, phone, sizeof(phone));
	snprintf(label, sizeof(label), "已登记 %lld 项", (long long)e->ncategories);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:b, s:I, s:b}", "id",
			 (json_int_t)e->id, "community_code", e->community_code, "name_masked", name, "phone_masked",
			 phone, "address", e->address, "ncategories", (json_int_t)e->ncategories, "categories_label", label,
			 "has_health_note", e->has_health, "help_what", e->help_what, "frequency", e->frequency, "state",
			 e->state, "last_visit", e->last_visit, "next_due", e->next_due, "overdue", e->overdue,
			 "pairings", (json_int_t)e->npairings, "reached_today", e->reached_today);
}

static json_t *pairing_json(const struct pairing *p)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)p->id,
			      "community_code", p->community_code, "kind", p->kind, "name", p->who_name, "state",
			      p->state, "note", p->note, "end_reason", p->end_reason, "created_at",
			      (json_int_t)p->created_at, "decided_at", (json_int_t)p->decided_at);

	if (o) {
		json_object_set_new(o, "care_id", opt_id(p->care_id));
		json_object_set_new(o, "member_id", opt_id(p->member_id));
		json_object_set_new(o, "team_id", opt_id(p->team_id));
		json_object_set_new(o, "unit_id", opt_id(p->unit_id));
	}
	return o;
}

/* One entry whole for its keepers: the sealed fields stay sealed (null) until revealed. */
static void reply_care(struct call *c, int status, const struct care *e)
{
	struct pairing *ps;
	size_t n;
	json_t *o = masked_json(e), *arr;

	if (pairing_of_care(c->db, e->id, &ps, &n) != CARE_OK) {
		json_decref(o);
		reply_internal(c, "reading pairings");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, pairing_json(&ps[i]));
	free(ps);
	if (o && arr) {
		json_object_update_new(
			o, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:n, s:n, s:I, s:I, s:o}",
				     "name", e->name, "phone", e->phone, "community_name", e->community_name, "basis",
				     e->basis, "consented_on", e->consented_on, "consent_by_name", e->consent_by_name,
				     "law", e->law, "help_who", e->help_who, "help_often", e->help_often, "close_reason",
				     e->close_reason, "categories", "health_note", "created_at", (json_int_t)e->created_at,
				     "updated_at", (json_int_t)e->updated_at, "pairing_list", arr));
		json_object_set_new(o, "household_id", opt_id(e->household_id));
		json_object_set_new(o, "account_id", opt_id(e->account_id));
	} else {
		json_decref(o);
		json_decref(arr);
		o = NULL;
	}
	reply_json(c, status, o);
}

static void reply_one(struct call *c, int status, int64_t id)
{
	char today[11];
	struct care *e = xmalloc(sizeof(*e));

	today_of(today);
	if (care_get(c->db, id, today, e) != CARE_OK)
		reply_internal(c, "reading a care entry");
	else
		reply_care(c, status, e);
	free(e);
}

/* ---- categories ---- */

void care_categories_list(struct call *c)
{
	struct care_category *items;
	size_t n;
	json_t *arr;

	if (care_categories(c->db, &items, &n) != CARE_OK) {
		reply_internal(c, "listing care categories");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:s, s:s, s:b, s:s}", "code", items[i].code, "name", items[i].name,
					       "sensitive", items[i].sensitive, "frequency", items[i].frequency));
	free(items);
	reply_json(c, 200, json_pack("{s:o}", "items", arr));
}

struct category_body {
	char *code, *name, *frequency;
	bool sensitive;
};

static const struct spec_field category_spec[] = {
	SPEC(struct category_body, code, SPEC_STR, SPEC_REQUIRED, 1, CARE_CODE_MAX),
	SPEC(struct category_body, name, SPEC_STR, SPEC_REQUIRED, 1, CARE_CATEGORY_NAME_MAX),
	SPEC_CHOICE(struct category_body, frequency, SPEC_REQUIRED, care_frequencies),
	SPEC(struct category_body, sensitive, SPEC_BOOL, 0, 0, 0),
	{ 0 },
};

/* POST /care-categories: the administrator adds a category to the list everyone uses. */
void care_categories_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct category_body b = { 0 };
	struct care_category cat;
	int rc;

	if (call_body_or_reply(c, category_spec, &b) < 0)
		return;
	memset(&cat, 0, sizeof(cat));
	str_copy(cat.code, sizeof(cat.code), b.code);
	str_copy(cat.name, sizeof(cat.name), b.name);
	str_copy(cat.frequency, sizeof(cat.frequency), b.frequency);
	cat.sensitive = b.sensitive;
	rc = care_category_add(c->db, &c->actor, &cat, &errs);
	if (rc == CARE_DUPLICATE)
		reply_field(c, 409, "code", "duplicate", "已有同样代码或名称的类别");
	else if (rc != CARE_OK)
		reply_care_error(c, rc, &errs);
	else
		reply_json(c, 201, json_pack("{s:s, s:s, s:b, s:s}", "code", cat.code, "name", cat.name, "sensitive",
					     cat.sensitive, "frequency", cat.frequency));
	spec_release(category_spec, &b);
}

/* ---- the register ---- */

struct care_body {
	char *community_code, *name, *phone, *address;
	long long household_id, account_id;
	struct str_list categories;
	char *basis, *consented_on, *law, *help_what, *help_who, *help_often, *frequency, *health_note;
};

#define CARE_FIELDS(categories_flags)                                                                          \
	SPEC(struct care_body, name, SPEC_STR, SPEC_REQUIRED, 1, CARE_NAME_MAX),                                 \
	SPEC(struct care_body, phone, SPEC_STR, 0, 0, CARE_PHONE_MAX),                                           \
	SPEC(struct care_body, address, SPEC_STR, 0, 0, CARE_ADDRESS_MAX),                                       \
	SPEC(struct care_body, household_id, SPEC_INT, 0, 0, CARE_ID_MAX),                                       \
	SPEC(struct care_body, account_id, SPEC_INT, 0, 0, CARE_ID_MAX),                                         \
	SPEC_LIST(struct care_body, categories, SPEC_STRS, categories_flags, 1, CARE_CODE_MAX, CARE_CATEGORIES_MAX), \
	SPEC_CHOICE(struct care_body, basis, SPEC_REQUIRED, care_bases),                                         \
	SPEC(struct care_body, consented_on, SPEC_STR, 0, 0, 10),                                                \
	SPEC(struct care_body, law, SPEC_STR, 0, 0, CARE_LAW_MAX),                                               \
	SPEC(struct care_body, help_what, SPEC_STR, SPEC_REQUIRED, 1, CARE_HELP_WHAT_MAX),                        \
	SPEC(struct care_body, help_who, SPEC_STR, 0, 0, CARE_HELP_WHO_MAX),                                     \
	SPEC(struct care_body, help_often, SPEC_STR, 0, 0, CARE_HELP_OFTEN_MAX),                                 \
	SPEC_CHOICE(struct care_body, frequency, 0, care_frequencies),                                           \
	SPEC(struct care_body, health_note, SPEC_STR, 0, 0, CARE_HEALTH_MAX)

static const struct spec_field create_spec[] = {
	SPEC(struct care_body, community_code, SPEC_STR, SPEC_REQUIRED, 12, 18),
	CARE_FIELDS(SPEC_REQUIRED),
	{ 0 },
};

/* An edit: the community stays; categories and the health note change only when sent. */
static const struct spec_field edit_spec[] = {
	CARE_FIELDS(0),
	{ 0 },
};

static struct care_input input_of(const struct care_body *b)
{
	return (struct care_input){ .community_code = b->community_code, .name = b->name, .phone = b->phone,
				    .address = b->address, .household_id = b->household_id,
				    .account_id = b->account_id,
				    .categories = (const char *const *)b->categories.items,
				    .ncategories = b->categories.n, .basis = b->basis, .consented_on = b->consented_on,
				    .law = b->law, .help_what = b->help_what, .help_who = b->help_who,
				    .help_often = b->help_often, .frequency = b->frequency, .health_note = b->health_note };
}

void care_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct care_body b = { 0 };
	struct region r;
	int64_t id;
	int rc;

	if (call_body_or_reply(c, create_spec, &b) < 0)
		return;
	rc = valid_digits(b.community_code, 12, 18) ? region_get(c->db, b.community_code, &r) : REGION_NOT_FOUND;
	if (rc == REGION_OK && (strcmp(r.level, "community") || !may_keep(c, r.path)))
		rc = REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND)
		reply_field(c, 422, "community_code", "not_found", "应为您负责的社区");
	else if (rc != REGION_OK)
		reply_internal(c, "reading a community");
	else {
		struct care_input in = input_of(&b);

		rc = care_add(c->db, &c->actor, &in, &errs, &id);
		if (rc != CARE_OK)
			reply_care_error(c, rc, &errs);
		else
			reply_one(c, 201, id);
	}
	spec_release(create_spec, &b);
}

void care_get_one(struct call *c)
{
	struct care *e = xmalloc(sizeof(*e));

	if (care_or_reply(c, e) == 0)
		reply_care(c, 200, e);
	free(e);
}

void care_update_one(struct call *c)
{
	struct field_errors errs = { 0 };
	struct care_body b = { 0 };
	struct care *e = xmalloc(sizeof(*e));
	int rc;

	if (care_or_reply(c, e) == 0 && call_body_or_reply(c, edit_spec, &b) == 0) {
		struct care_input in = input_of(&b);

		rc = care_update(c->db, &c->actor, e->id, &in, &errs);
		if (rc != CARE_OK)
			reply_care_error(c, rc, &errs);
		else
			reply_one(c, 200, e->id);
		spec_release(edit_spec, &b);
	}
	free(e);
}

struct reason_body {
	char *reason;
};

static const struct spec_field close_spec[] = {
	SPEC(struct reason_body, reason, SPEC_STR, SPEC_REQUIRED, CARE_REASON_MIN, CARE_CLOSE_MAX),
	{ 0 },
};

static const struct spec_field reveal_spec[] = {
	SPEC(struct reason_body, reason, SPEC_STR, SPEC_REQUIRED, CARE_REASON_MIN, CARE_REASON_MAX),
	{ 0 },
};

void care_close_one(struct call *c)
{
	struct field_errors errs = { 0 };
	struct reason_body b = { 0 };
	struct care *e = xmalloc(sizeof(*e));
	int rc;

	if (care_or_reply(c, e) == 0 && call_body_or_reply(c, close_spec, &b) == 0) {
		rc = care_close(c->db, &c->actor, e->id, b.reason, &errs);
		if (rc != CARE_OK)
			reply_care_error(c, rc, &errs);
		else
			reply_one(c, 200, e->id);
		spec_release(close_spec, &b);
	}
	free(e);
}

/* POST /care/{id}/reveal: the categories and the health note in clear, for a reason that the audit keeps. */
void care_reveal_one(struct call *c)
{
	struct reason_body b = { 0 };
	struct care *e = xmalloc(sizeof(*e));
	char *codes = NULL, *health = NULL;

	if (care_or_reply(c, e) < 0 || call_body_or_reply(c, reveal_spec, &b) < 0) {
		free(e);
		return;
	}
	if (care_reveal(c->db, &c->actor, e->id, b.reason, &codes, &health) != CARE_OK)
		reply_internal(c, "revealing a care entry");
	else {
		struct care_category *cats;
		size_t n;
		json_t *arr = json_array();

		if (care_categories(c->db, &cats, &n) != CARE_OK)
			n = 0, cats = NULL;
		/* In the order the entry holds them, with their names. */
		for (char *save = NULL, *code = strtok_r(codes, ",", &save); code; code = strtok_r(NULL, ",", &save)) {
			const char *name = code;
			bool sensitive = false;

			for (size_t i = 0; i < n; i++)
				if (!strcmp(cats[i].code, code)) {
					name = cats[i].name;
					sensitive = cats[i].sensitive;
				}
			arr = json_push(arr, json_pack("{s:s, s:s, s:b}", "code", code, "name", name, "sensitive", sensitive));
		}
		free(cats);
		reply_json(c, 200, json_pack("{s:I, s:o, s:s}", "id", (json_int_t)e->id, "categories", arr, "health_note",
					     health));
	}
	free(codes);
	free(health);
	free(e);
	spec_release(reveal_spec, &b);
}

/* The entries of a community by filter, a page of them, masked. */
static void list(struct call *c, bool overdue_only)
{
	struct care_filter f = { 0 };
	struct care *items;
	struct region r;
	char today[11];
	int64_t page, per_page, overdue = 0;
	size_t n;
	json_t *arr;

	if (community_or_reply(c, &r) < 0 || call_choice_or_reply(c, "state", list_states, &f.state) < 0 ||
	    call_choice_or_reply(c, "frequency", care_frequencies, &f.frequency) < 0 ||
	    call_int_or_reply(c, "overdue", 0, 1, &overdue) < 0 || call_page_or_reply(c, &page, &per_page) < 0)
		return;
	f.overdue_only = overdue_only || overdue;
	today_of(today);
	if (care_list(c->db, r.code, &f, today, &items, &n) != CARE_OK) {
		reply_internal(c, "listing the care register");
		return;
	}
	arr = json_array();
	for (size_t i = (size_t)((page - 1) * per_page); i < n && i < (size_t)(page * per_page); i++)
		arr = json_push(arr, masked_json(&items[i]));
	free(items);
	reply_json(c, 200, page_json(arr, (int64_t)n, page, per_page));
}

void community_care(struct call *c)
{
	list(c, false);
}

void community_care_overdue(struct call *c)
{
	list(c, true);
}

/* ---- pairings ---- */

void care_pairings_list(struct call *c)
{
	struct care *e = xmalloc(sizeof(*e));
	struct pairing *ps;
	size_t n;
	json_t *arr;

	if (care_or_reply(c, e) < 0) {
		free(e);
		return;
	}
	if (pairing_of_care(c->db, e->id, &ps, &n) != CARE_OK)
		reply_internal(c, "reading pairings");
	else {
		arr = json_array();
		for (size_t i = 0; i < n; i++)
			arr = json_push(arr, pairing_json(&ps[i]));
		free(ps);
		reply_json(c, 200, json_pack("{s:o}", "items", arr));
	}
	free(e);
}

struct pair_body {
	long long member_id, team_id, unit_id;
};

static const struct spec_field pair_spec[] = {
	SPEC(struct pair_body, member_id, SPEC_INT, 0, 1, CARE_ID_MAX),
	SPEC(struct pair_body, team_id, SPEC_INT, 0, 1, CARE_ID_MAX),
	SPEC(struct pair_body, unit_id, SPEC_INT, 0, 1, CARE_ID_MAX),
	{ 0 },
};

static void reply_pairing(struct call *c, int status, int64_t id)
{
	struct pairing p;

	if (pairing_get(c->db, id, &p) != CARE_OK)
		reply_internal(c, "reading a pairing");
	else
		reply_json(c, status, pairing_json(&p));
}

void care_pairings_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct pair_body b = { 0 };
	struct care *e = xmalloc(sizeof(*e));
	int64_t id;
	int rc;

	if (care_or_reply(c, e) == 0 && call_body_or_reply(c, pair_spec, &b) == 0) {
		struct pairing_who w = { b.member_id, b.team_id, b.unit_id };

		rc = pairing_add(c->db, &c->actor, e->id, &w, &errs, &id);
		if (rc != CARE_OK)
			reply_care_error(c, rc, &errs);
		else
			reply_pairing(c, 201, id);
	}
	free(e);
}

/* The pairing or offer of path parameter 0 in the caller's reach as keeper; its state is the domain's to check. */
static int pairing_or_reply(struct call *c, struct pairing *p, bool offer)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = pairing_get(c->db, id, p);
	if (rc == CARE_OK && (!may_keep(c, p->community_path) || (offer && !p->member_id)))
		rc = CARE_NOT_FOUND;
	if (rc == CARE_NOT_FOUND)
		reply_problem(c, 404, "not_found", offer ? "找不到该结对申请" : "找不到该结对");
	else if (rc != CARE_OK)
		reply_internal(c, "reading a pairing");
	return rc == CARE_OK ? 0 : -1;
}

void pairings_end(struct call *c)
{
	struct field_errors errs = { 0 };
	struct reason_body b = { 0 };
	struct pairing p;
	int rc;

	if (pairing_or_reply(c, &p, false) < 0 || call_body_or_reply(c, close_spec, &b) < 0)
		return;
	rc = pairing_end(c->db, &c->actor, p.id, b.reason, &errs);
	if (rc != CARE_OK)
		reply_care_error(c, rc, &errs);
	else
		reply_pairing(c, 200, p.id);
	spec_release(close_spec, &b);
}

void community_pairing_offers(struct call *c)
{
	struct pairing *ps;
	struct region r;
	size_t n;
	json_t *arr;

	if (community_or_reply(c, &r) < 0)
		return;
	if (pairing_offers(c->db, r.code, &ps, &n) != CARE_OK) {
		reply_internal(c, "listing pairing offers");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, pairing_json(&ps[i]));
	free(ps);
	reply_json(c, 200, json_pack("{s:o}", "items", arr));
}

struct accept_body {
	long long care_id;
};

static const struct spec_field accept_spec[] = {
	SPEC(struct accept_body, care_id, SPEC_INT, SPEC_REQUIRED, 1, CARE_ID_MAX),
	{ 0 },
};

void pairing_offers_accept(struct call *c)
{
	struct field_errors errs = { 0 };
	struct accept_body b = { 0 };
	struct pairing p;
	int rc;

	if (pairing_or_reply(c, &p, true) < 0 || call_body_or_reply(c, accept_spec, &b) < 0)
		return;
	rc = pairing_accept(c->db, &c->actor, p.id, b.care_id, &errs);
	if (rc != CARE_OK)
		reply_care_error(c, rc, &errs);
	else
		reply_pairing(c, 200, p.id);
}

void pairing_offers_decline(struct call *c)
{
	struct field_errors errs = { 0 };
	struct reason_body b = { 0 };
	struct pairing p;
	int rc;

	if (pairing_or_reply(c, &p, true) < 0 || call_body_or_reply(c, close_spec, &b) < 0)
		return;
	rc = pairing_decline(c->db, &c->actor, p.id, b.reason, &errs);
	if (rc != CARE_OK)
		reply_care_error(c, rc, &errs);
	else
		reply_pairing(c, 200, p.id);
	spec_release(close_spec, &b);
}

/* ---- visits ---- */

static json_t *visit_json(const struct visit *v)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)v->id,
			      "care_id", (json_int_t)v->care_id, "by", v->by_name, "visited_at",
			      (json_int_t)v->visited_at, "visited_on", v->visited_on, "how", v->how, "wellbeing",
			      v->wellbeing, "done", v->done, "needs", v->needs, "minutes", (json_int_t)v->minutes,
			      "created_at", (json_int_t)v->created_at);

	if (o) {
		json_object_set_new(o, "member_id", opt_id(v->member_id));
		json_object_set_new(o, "record_id", opt_id(v->record_id));
		json_object_set_new(o, "photo_consent", json_boolean(v->photo_consent));
	}
	return o;
}

void care_visits_list(struct call *c)
{
	struct care *e = xmalloc(sizeof(*e));
	struct visit *vs;
	size_t n;
	json_t *arr;

	if (care_or_reply(c, e) < 0) {
		free(e);
		return;
	}
	if (visit_list(c->db, e->id, VISITS_SHOWN, &vs, &n) != CARE_OK)
		reply_internal(c, "listing visits");
	else {
		arr = json_array();
		for (size_t i = 0; i < n; i++)
			arr = json_push(arr, visit_json(&vs[i]));
		free(vs);
		reply_json(c, 200, json_pack("{s:o}", "items", arr));
	}
	free(e);
}

struct visit_body {
	long long visited_at, minutes;
	char *how, *wellbeing, *done, *needs;
	bool photo_consent;
};

static const struct spec_field visit_spec[] = {
	SPEC(struct visit_body, visited_at, SPEC_INT, 0, 1, 4102444800LL),
	SPEC_CHOICE(struct visit_body, how, SPEC_REQUIRED, visit_hows),
	SPEC(struct visit_body, wellbeing, SPEC_STR, 0, 0, VISIT_TEXT_MAX),
	SPEC(struct visit_body, done, SPEC_STR, 0, 0, VISIT_TEXT_MAX),
	SPEC(struct visit_body, needs, SPEC_STR, 0, 0, VISIT_TEXT_MAX),
	SPEC(struct visit_body, minutes, SPEC_INT, 0, 1, 1440),
	SPEC(struct visit_body, photo_consent, SPEC_BOOL, 0, 0, 0),
	{ 0 },
};

/*
 * POST /care/{id}/visits: the community's staff, or a member paired with the
 * entry (in person or through a team), whose visit becomes a pending service
 * record. Anyone else: 404.
 */
void care_visits_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct visit_body b = { 0 };
	struct care *e = xmalloc(sizeof(*e));
	struct visit v;
	char today[11];
	int64_t id, member_id = 0, record_id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0) {
		free(e);
		return;
	}
	today_of(today);
	rc = care_get(c->db, id, today, e);
	if (rc == CARE_OK && !may_keep(c, e->community_path)) {
		/* Not its keeper: a paired member, or nobody. */
		rc = member_find_by_account(c->db, c->who.account_id, &member_id) == MEMBER_OK &&
				     (principal_roles(&c->who) & ROLE_BIT(ROLE_MEMBER))
			     ? pairing_member_has(c->db, member_id, id)
			     : CARE_NOT_FOUND;
		if (rc == CARE_OK && strcmp(e->state, "active"))
			rc = CARE_NOT_FOUND;
	}
	if (rc != CARE_OK) {
		reply_care_error(c, rc, NULL);
		free(e);
		return;
	}
	if (call_body_or_reply(c, visit_spec, &b) == 0) {
		struct visit_input in = { b.visited_at, b.how, b.wellbeing, b.done, b.needs, b.minutes,
					       b.photo_consent };

		rc = visit_add(c->db, &c->actor, id, member_id, &in, &errs, &id, &record_id);
		if (rc != CARE_OK)
			reply_care_error(c, rc, &errs);
		else if (visit_get(c->db, id, &v) != CARE_OK)
			reply_internal(c, "reading a visit");
		else
			reply_json(c, 201, visit_json(&v));
		spec_release(visit_spec, &b);
	}
	free(e);
}

/* ---- the member's side ---- */

struct offer_body {
	char *community_code, *note;
};

static const struct spec_field offer_spec[] = {
	SPEC(struct offer_body, community_code, SPEC_STR, SPEC_REQUIRED, 12, 18),
	SPEC(struct offer_body, note, SPEC_STR, 0, 0, PAIRING_NOTE_MAX),
	{ 0 },
};

/* POST /me/pairing-offers: a member offers to pair with someone in need where they reported in. */
void me_pairing_offers_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct offer_body b = { 0 };
	int64_t member_id, id;
	int rc;

	if (call_body_or_reply(c, offer_spec, &b) < 0)
		return;
	rc = member_find_by_account(c->db, c->who.account_id, &member_id);
	if (rc == MEMBER_NOT_FOUND)
		reply_field(c, 422, "community_code", "not_found", "请先在社区报到");
	else if (rc != MEMBER_OK)
		reply_internal(c, "reading a member");
	else {
		rc = pairing_offer(c->db, &c->actor, member_id, b.community_code, b.note, &errs, &id);
		if (rc == CARE_DUPLICATE)
			reply_problem(c, 409, "duplicate", "您已提出结对申请，请等待社区安排");
		else if (rc != CARE_OK)
			reply_care_error(c, rc, &errs);
		else
			reply_pairing(c, 201, id);
	}
	spec_release(offer_spec, &b);
}

/* GET /me/pairings: whom the member is paired with, only what a visit needs; and the member's offers. */
void me_pairings(struct call *c)
{
	struct my_pairing *items = NULL;
	struct pairing *offers = NULL;
	size_t n = 0, no = 0;
	char today[11];
	int64_t member_id;
	json_t *arr, *oarr;
	int rc = member_find_by_account(c->db, c->who.account_id, &member_id);

	today_of(today);
	if (rc == MEMBER_OK)
		rc = pairing_mine(c->db, member_id, today, &items, &n) == CARE_OK &&
				     pairing_my_offers(c->db, member_id, &offers, &no) == CARE_OK
			     ? MEMBER_OK
			     : MEMBER_ERROR;
	else if (rc == MEMBER_NOT_FOUND)
		rc = MEMBER_OK;
	if (rc != MEMBER_OK) {
		free(items);
		free(offers);
		reply_internal(c, "reading my pairings");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "pairing_id",
					       (json_int_t)items[i].pairing_id, "care_id", (json_int_t)items[i].care_id,
					       "name", items[i].name, "address", items[i].address, "help_what",
					       items[i].help_what, "help_often", items[i].help_often, "frequency",
					       items[i].frequency, "via_team", items[i].via_team, "last_visit",
					       items[i].last_visit, "next_due", items[i].next_due, "overdue",
					       items[i].overdue));
	oarr = json_array();
	for (size_t i = 0; i < no; i++)
		oarr = json_push(oarr, json_pack("{s:I, s:s, s:s, s:s, s:I}", "id", (json_int_t)offers[i].id,
						 "community_code", offers[i].community_code, "state", offers[i].state,
						 "note", offers[i].note, "created_at", (json_int_t)offers[i].created_at));
	free(items);
	free(offers);
	reply_json(c, 200, json_pack("{s:o, s:o}", "items", arr, "offers", oarr));
}

/* ---- emergency mode ---- */

struct emergency_body {
	struct str_list categories;
	bool on;
};

static const struct spec_field emergency_spec[] = {
	SPEC_LIST(struct emergency_body, categories, SPEC_STRS, 0, 1, CARE_CODE_MAX, CARE_CATEGORIES_MAX),
	SPEC(struct emergency_body, on, SPEC_BOOL, SPEC_REQUIRED, 0, 0),
	{ 0 },
};

static void reply_board(struct call *c, const struct region *r, int status)
{
	char cats[TEXT_BYTES(CARE_CATEGORIES_MAX * (CARE_CODE_MAX + 1))], today[11];
	struct care_filter f = { 0 };
	struct care *items = NULL;
	size_t n = 0, reached = 0;
	int64_t since;
	json_t *arr, *codes;

	today_of(today);
	if (care_emergency_get(c->db, r->code, cats, sizeof(cats), &since) != CARE_OK) {
		reply_internal(c, "reading emergency mode");
		return;
	}
	f.in_categories = cats;
	if (cats[0] && care_list(c->db, r->code, &f, today, &items, &n) != CARE_OK) {
		reply_internal(c, "reading the emergency board");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		reached += items[i].reached_today;
		arr = json_push(arr, masked_json(&items[i]));
	}
	free(items);
	codes = json_array();
	for (char *save = NULL, *code = strtok_r(cats, ",", &save); code; code = strtok_r(NULL, ",", &save))
		codes = json_push(codes, json_string(code));
	reply_json(c, status, json_pack("{s:s, s:b, s:o, s:I, s:s, s:I, s:I, s:o}", "community_code", r->code, "on",
					since != 0, "categories", codes, "since", (json_int_t)since, "date", today,
					"total", (json_int_t)n, "reached", (json_int_t)reached, "items", arr));
}

void community_emergency_set(struct call *c)
{
	struct field_errors errs = { 0 };
	struct emergency_body b = { 0 };
	struct region r;
	int rc;

	if (community_or_reply(c, &r) < 0 || call_body_or_reply(c, emergency_spec, &b) < 0)
		return;
	rc = care_emergency_set(c->db, &c->actor, &r, (const char *const *)b.categories.items, b.categories.n, b.on,
				&errs);
	if (rc != CARE_OK)
		reply_care_error(c, rc, &errs);
	else
		reply_board(c, &r, 200);
	spec_release(emergency_spec, &b);
}

void community_emergency_board(struct call *c)
{
	struct region r;

	if (community_or_reply(c, &r) == 0)
		reply_board(c, &r, 200);
}
