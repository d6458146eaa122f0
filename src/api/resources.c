/* resources.c: resources (资源清单) of a community: recorded by staff, units, teams' staff and members; read in scope */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/catalog.h"
#include "domain/post.h"
#include "domain/resource.h"

static json_t *slots_json(const struct resource *r)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < r->nslots; i++) {
		char text[RESOURCE_SLOT_TEXT];

		resource_slot_text(&r->slots[i], text);
		arr = json_push(arr, json_string(text));
	}
	return arr;
}

static json_t *resource_json(const struct resource *r)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id",
			      (json_int_t)r->id, "source", "resource", "community_code", r->community_code,
			      "community_name", r->community_name, "owner_kind", r->owner_kind, "owner_id",
			      (json_int_t)r->owner_id, "owner_name", r->owner_name, "kind", r->kind, "name", r->name,
			      "description", r->description, "state", r->state, "retire_reason", r->retire_reason,
			      "created_at", (json_int_t)r->created_at, "updated_at", (json_int_t)r->updated_at);

	if (o) {
		json_object_set_new(o, "item_id", r->item_id ? json_integer(r->item_id) : json_null());
		json_object_set_new(o, "item_name", r->item_id ? json_string(r->item_name) : json_null());
		json_object_set_new(o, "capacity", r->capacity ? json_integer(r->capacity) : json_null());
		json_object_set_new(o, "slots", slots_json(r));
	}
	return o;
}

static json_t *commitment_json(const struct resource_commitment *c)
{
	return json_pack("{s:n, s:s, s:I, s:s, s:s, s:I, s:s, s:n, s:s, s:s, s:s, s:[]}", "id", "source", "agreement",
			 "agreement_id", (json_int_t)c->agreement_id, "community_code", c->community_code, "owner_kind",
			 "unit", "owner_id", (json_int_t)c->unit_id, "owner_name", c->unit_name, "kind", "name", c->text,
			 "state", "active", "until", c->ends_on, "slots");
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

/*
 * Whether the caller may write a resource of this owner in community (path):
 * staff (ACT_SERVE_MANAGE there) for any owner; a unit's administrator for
 * their unit; a member for their own, in the community of their report-in.
 */
static bool may_write(struct call *c, const char *path, const char *code, const char *owner_kind, int64_t owner_id)
{
	struct post_member m;

	if (authz_allows(&c->who, ACT_SERVE_MANAGE, &(struct target){ path, 0 }))
		return true;
	if (!strcmp(owner_kind, "unit"))
		return authz_allows(&c->who, ACT_ACTIVITY_UNIT, &(struct target){ NULL, owner_id });
	if (!strcmp(owner_kind, "member"))
		return acting_member(c, &m) == 0 && m.member_id == owner_id && !strcmp(m.community_code, code);
	return false;
}

/* Whether the caller may read r: staff in scope, its writers, members of its community (active ones). */
static bool may_read(struct call *c, const struct resource *r)
{
	struct post_member m;

	if (authz_allows(&c->who, ACT_SERVE_READ, &(struct target){ r->community_path, 0 }) ||
	    may_write(c, r->community_path, r->community_code, r->owner_kind, r->owner_id))
		return true;
	return !strcmp(r->state, "active") && acting_member(c, &m) == 0 && m.member_id &&
	       !strcmp(m.community_code, r->community_code);
}

static int resource_or_reply(struct call *c, bool write, struct resource *r)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = resource_get(c->db, id, r);
	if (rc == RESOURCE_OK && !(write ? may_write(c, r->community_path, r->community_code, r->owner_kind, r->owner_id)
					 : may_read(c, r)))
		rc = RESOURCE_NOT_FOUND;
	if (rc == RESOURCE_NOT_FOUND) {
		reply_problem(c, 404, "not_found", "找不到该资源");
		return -1;
	}
	if (rc != RESOURCE_OK) {
		reply_internal(c, "reading a resource");
		return -1;
	}
	return 0;
}

struct resource_body {
	char *community_code, *owner_kind, *kind, *name, *description;
	long long owner_id, item_id, capacity;
	struct str_list slots;
};

static const char *const owner_kinds[] = { "community", "unit", "team", "member", NULL };
static const char *const kinds[] = { "skill", "venue", "goods", "funds", "vehicle", NULL };

/* A new resource names its community and owner first; an edit reads the spec from its fourth entry. */
static const struct spec_field resource_spec[] = {
	SPEC(struct resource_body, community_code, SPEC_STR, SPEC_REQUIRED, 1, 18),
	SPEC_CHOICE(struct resource_body, owner_kind, SPEC_REQUIRED, owner_kinds),
	SPEC(struct resource_body, owner_id, SPEC_INT, 0, 0, INT64_MAX),
	SPEC_CHOICE(struct resource_body, kind, SPEC_REQUIRED, kinds),
	SPEC(struct resource_body, name, SPEC_STR, SPEC_REQUIRED, 1, RESOURCE_NAME_MAX),
	SPEC(struct resource_body, description, SPEC_STR, 0, 0, RESOURCE_DESC_MAX),
	SPEC(struct resource_body, item_id, SPEC_INT, 0, 0, INT64_MAX),
	SPEC(struct resource_body, capacity, SPEC_INT, 0, 0, RESOURCE_CAPACITY_MAX),
	SPEC_LIST(struct resource_body, slots, SPEC_STRS, 0, 1, RESOURCE_SLOT_TEXT, RESOURCE_SLOTS_MAX),
	{ 0 },
};

static struct resource_input input_of(const struct resource_body *b)
{
	return (struct resource_input){ b->community_code, b->owner_kind, b->owner_id, b->kind, b->name,
					b->description, b->item_id, b->capacity,
					(const char *const *)b->slots.items, b->slots.n };
}

static void reply_resource_error(struct call *c, int rc, const struct field_errors *errs)
{
	if (rc == RESOURCE_INVALID)
		reply_errors(c, 422, errs);
	else if (rc == RESOURCE_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该资源");
	else if (rc == RESOURCE_BAD_STATE)
		reply_problem(c, 409, "conflict", "该资源已停用");
	else
		reply_internal(c, "writing a resource");
}

static void reply_one(struct call *c, int status, int64_t id)
{
	struct resource *r = xmalloc(sizeof(*r));

	if (resource_get(c->db, id, r) != RESOURCE_OK)
		reply_internal(c, "reading a resource");
	else
		reply_json(c, status, resource_json(r));
	free(r);
}

void resources_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct resource_body b = { 0 };
	struct resource_input in;
	struct region r;
	int64_t id;
	int rc;

	if (call_body_or_reply(c, resource_spec, &b) < 0)
		return;
	in = input_of(&b);
	rc = valid_digits(in.community_code, 12, 18) ? region_get(c->db, in.community_code, &r) : REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND || (rc == REGION_OK && strcmp(r.level, "community")))
		reply_field(c, 422, "community_code", "not_found", "应为一个社区");
	else if (rc != REGION_OK)
		reply_internal(c, "reading a community");
	else if (!may_write(c, r.path, r.code, in.owner_kind, in.owner_id))
		reply_problem(c, 403, "forbidden", "无权为该所属登记资源");
	else {
		rc = resource_create(c->db, &c->actor, &in, &errs, &id);
		if (rc != RESOURCE_OK)
			reply_resource_error(c, rc, &errs);
		else
			reply_one(c, 201, id);
	}
	spec_release(resource_spec, &b);
}

void resources_get(struct call *c)
{
	struct resource *r = xmalloc(sizeof(*r));

	if (resource_or_reply(c, false, r) == 0)
		reply_json(c, 200, resource_json(r));
	free(r);
}

void resources_update(struct call *c)
{
	struct field_errors errs = { 0 };
	struct resource_body b = { 0 };
	struct resource *r = xmalloc(sizeof(*r));
	struct resource_input in;
	int rc;

	if (resource_or_reply(c, true, r) == 0 && call_body_or_reply(c, resource_spec + 3, &b) == 0) {
		in = input_of(&b);
		rc = resource_update(c->db, &c->actor, r->id, &in, &errs);
		if (rc != RESOURCE_OK)
			reply_resource_error(c, rc, &errs);
		else
			reply_one(c, 200, r->id);
		spec_release(resource_spec + 3, &b);
	}
	free(r);
}

struct retire_body {
	char *reason;
};

static const struct spec_field retire_spec[] = {
	SPEC(struct retire_body, reason, SPEC_STR, SPEC_REQUIRED, 2, RESOURCE_REASON_MAX),
	{ 0 },
};

void resources_retire(struct call *c)
{
	struct retire_body b = { 0 };
	struct resource *r = xmalloc(sizeof(*r));
	int rc;

	if (resource_or_reply(c, true, r) == 0 && call_body_or_reply(c, retire_spec, &b) == 0) {
		rc = resource_retire(c->db, &c->actor, r->id, b.reason);
		if (rc != RESOURCE_OK)
			reply_resource_error(c, rc, NULL);
		else
			reply_one(c, 200, r->id);
		spec_release(retire_spec, &b);
	}
	free(r);
}

/*
 * GET /resources: staff and org see the resources of communities in scope; a
 * unit's administrator their unit's; a member the active ones of their
 * community (and their own). Filters community, kind, owner_kind, item_id,
 * available_on (a date) or weekday. The signed agreements' commitments of the
 * community (or the unit) follow as read-only items (source "agreement").
 */
void resources_list(struct call *c)
{
	static const char *const states[] = { "active", "retired", NULL };
	struct resource_filter f = { 0 };
	struct resource_commitment *cs = NULL;
	struct post_member m;
	struct scope scope;
	struct resource *items;
	size_t n, nc = 0;
	int64_t weekday = 0;
	json_t *arr;

	if (call_query_or_reply(c, "community", 18, &f.community) < 0 ||
	    call_choice_or_reply(c, "kind", kinds, &f.kind) < 0 ||
	    call_choice_or_reply(c, "owner_kind", owner_kinds, &f.owner_kind) < 0 ||
	    call_choice_or_reply(c, "state", states, &f.state) < 0 ||
	    call_int_or_reply(c, "item_id", 1, INT64_MAX, &f.item_id) < 0 ||
	    call_int_or_reply(c, "weekday", 1, 7, &weekday) < 0 ||
	    call_query_or_reply(c, "available_on", 10, &f.available_on) < 0)
		return;
	if (f.available_on && !valid_date(f.available_on)) {
		reply_query(c, "available_on", "format", "应为日期，如 2026-12-05");
		return;
	}
	f.weekday = (int)weekday;
	authz_scope(&c->who, ACT_SERVE_READ, &scope);
	if (scope.all || scope.npaths)
		f.scope = &scope;
	else if (scope.nunits)
		f.unit_id = scope.units[0];
	else {
		if (acting_member(c, &m) < 0) {
			reply_internal(c, "reading the caller's file");
			return;
		}
		if (!m.member_id || (f.community && strcmp(f.community, m.community_code))) {
			reply_json(c, 200, json_pack("{s:[], s:I}", "items", "total", (json_int_t)0));
			return;
		}
		f.community = m.community_code;
		f.state = "active";
	}
	if (resource_list(c->db, &f, &items, &n) != RESOURCE_OK) {
		reply_internal(c, "listing resources");
		return;
	}
	if ((!f.owner_kind || !strcmp(f.owner_kind, "unit")) && !f.kind && !f.item_id && !f.available_on && !f.weekday &&
	    (f.community || f.unit_id) && (!f.state || !strcmp(f.state, "active")) &&
	    resource_commitments(c->db, f.community, f.unit_id, &cs, &nc) != RESOURCE_OK) {
		free(items);
		reply_internal(c, "listing agreements' commitments");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, resource_json(&items[i]));
	for (size_t i = 0; i < nc; i++)
		arr = json_push(arr, commitment_json(&cs[i]));
	free(items);
	free(cs);
	reply_json(c, 200, json_pack("{s:o, s:I}", "items", arr, "total", (json_int_t)(n + nc)));
}

/* The next time slot s is open from today on (within a week for a weekly one), as "YYYY-MM-DD HH:MM-HH:MM"; "" never. */
static void next_open(const struct resource_slot *s, const char *today, int64_t now, char out[RESOURCE_SLOT_TEXT])
{
	struct resource_slot at = *s;
	int wd = resource_weekday_of(today);

	out[0] = '\0';
	if (!s->weekday && strcmp(s->date, today) < 0)
		return;
	if (s->weekday) {
		at.weekday = 0;
		clock_date(now + (int64_t)((s->weekday - wd + 7) % 7) * 86400, at.date);
	}
	resource_slot_text(&at, out);
}

/*
 * GET /communities/{code}/menu: what residents can order there: the
 * catalogue items of category welfare offered at the community, each with
 * the active resources serving it and the earliest time each is open next.
 * Staff and org in scope, members and residents of the community.
 */
void communities_menu(struct call *c)
{
	const char *code = c->req->params[0];
	struct resource_filter f = { 0 };
	struct post_member m;
	struct resource *items;
	struct region r;
	int64_t *ids, now = clock_now();
	size_t n, nids;
	char today[11];
	bool reads = false;
	json_t *arr;
	int rc;

	rc = valid_digits(code, 12, 18) ? region_get(c->db, code, &r) : REGION_NOT_FOUND;
	if (rc == REGION_OK && !strcmp(r.level, "community")) {
		reads = authz_allows(&c->who, ACT_SERVE_READ, &(struct target){ r.path, 0 });
		for (size_t i = 0; !reads && i < c->who.ngrants; i++)
			reads = c->who.grants[i].role == ROLE_RESIDENT && !c->who.grants[i].pending &&
				!strcmp(c->who.grants[i].region_code, r.code);
		if (!reads && acting_member(c, &m) == 0)
			reads = m.member_id && !strcmp(m.community_code, r.code);
	} else if (rc != REGION_ERROR)
		rc = REGION_NOT_FOUND;
	if (rc == REGION_ERROR) {
		reply_internal(c, "reading a community");
		return;
	}
	if (!reads) {
		reply_problem(c, 404, "not_found", "找不到该社区");
		return;
	}
	f.community = r.code;
	f.state = "active";
	if (catalog_list(c->db, r.path, "welfare", false, &ids, &nids) != CATALOG_OK) {
		reply_internal(c, "listing the catalogue");
		return;
	}
	if (resource_list(c->db, &f, &items, &n) != RESOURCE_OK) {
		free(ids);
		reply_internal(c, "listing resources");
		return;
	}
	clock_date(now, today);
	arr = json_array();
	for (size_t i = 0; i < nids; i++) {
		struct catalog_item *it = xmalloc(sizeof(*it));
		json_t *serving = json_array(), *o;

		if (catalog_item_get(c->db, ids[i], it) != CATALOG_OK) {
			free(it);
			json_decref(serving);
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			char best[RESOURCE_SLOT_TEXT] = "", next[RESOURCE_SLOT_TEXT];

			if (items[k].item_id != it->id)
				continue;
			for (size_t s = 0; s < items[k].nslots; s++) {
				next_open(&items[k].slots[s], today, now, next);
				if (next[0] && (!best[0] || strcmp(next, best) < 0))
					str_copy(best, sizeof(best), next);
			}
			serving = json_push(serving, json_pack("{s:I, s:s, s:s, s:s, s:s?}", "id", (json_int_t)items[k].id,
							       "name", items[k].name, "owner_kind", items[k].owner_kind,
							       "owner_name", items[k].owner_name, "next_open",
							       best[0] ? best : NULL));
		}
		o = json_pack("{s:I, s:s, s:s, s:s}", "item_id", (json_int_t)it->id, "code", it->code, "name", it->name,
			      "description", it->description);
		if (o && serving)
			json_object_set_new(o, "resources", serving);
		else {
			json_decref(serving);
			json_decref(o);
			o = NULL;
		}
		arr = json_push(arr, o);
		free(it);
	}
	free(ids);
	free(items);
	reply_json(c, 200, json_pack("{s:s, s:s, s:o}", "community_code", r.code, "community_name", r.name, "items", arr));
}
