/* households.c: the dwellings of a community's buildings, kept by its staff: laid out, edited, tallied; residents attached */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "base/valid.h"
#include "domain/household.h"

static json_t *household_json(const struct household *h)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:I, s:I}", "id", (json_int_t)h->id,
			      "community_code", h->community_code, "building_code", h->building_code, "building_name",
			      h->building_name, "unit_no", h->unit_no, "room", h->room, "occupancy", h->occupancy,
			      "people", (json_int_t)h->people, "residents", (json_int_t)h->residents, "note", h->note,
			      "created_at", (json_int_t)h->created_at, "updated_at", (json_int_t)h->updated_at);

	if (o)
		json_object_set_new(o, "floor", h->has_floor ? json_integer(h->floor) : json_null());
	return o;
}

/* Whether the caller keeps the households of the community at path (its staff; the administrator). */
static bool may_keep(struct call *c, const char *path)
{
	return authz_allows(&c->who, ACT_HOUSEHOLD, &(struct target){ path, 0 });
}

/* The building of path parameter 0 and its community, in the caller's reach; 404 otherwise. */
static int building_or_reply(struct call *c, struct region *building, struct region *community)
{
	int rc = household_building(c->db, c->req->params[0], building, community);

	if (rc == HOUSEHOLD_OK && !may_keep(c, community->path))
		rc = HOUSEHOLD_NOT_FOUND;
	if (rc == HOUSEHOLD_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该楼栋");
	else if (rc != HOUSEHOLD_OK)
		reply_internal(c, "reading a building");
	return rc == HOUSEHOLD_OK ? 0 : -1;
}

/* The household of path parameter 0 in the caller's reach; 404 otherwise. */
static int household_or_reply(struct call *c, struct household *h)
{
	int64_t id;
	int rc;

	if (call_id_or_reply(c, 0, &id) < 0)
		return -1;
	rc = household_get(c->db, id, h);
	if (rc == HOUSEHOLD_OK && !may_keep(c, h->community_path))
		rc = HOUSEHOLD_NOT_FOUND;
	if (rc == HOUSEHOLD_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该户");
	else if (rc != HOUSEHOLD_OK)
		reply_internal(c, "reading a household");
	return rc == HOUSEHOLD_OK ? 0 : -1;
}

static void reply_household_error(struct call *c, int rc, const struct field_errors *errs)
{
	if (rc == HOUSEHOLD_INVALID)
		reply_errors(c, 422, errs);
	else if (rc == HOUSEHOLD_DUPLICATE)
		reply_field(c, 409, "room", "duplicate", "该楼栋的这个单元已有此房号");
	else if (rc == HOUSEHOLD_FULL)
		reply_problem(c, 409, "full", "一栋楼最多登记 2000 户");
	else if (rc == HOUSEHOLD_IN_USE)
		reply_problem(c, 409, "in_use", "该户还有居民账号，请先为他们改换住户");
	else if (rc == HOUSEHOLD_DELIBERATED)
		reply_problem(c, 409, "deliberated", "该户参加了居民议事，表决记录要保留，不能删除");
	else if (rc == HOUSEHOLD_NOT_FOUND)
		reply_problem(c, 404, "not_found", "找不到该户");
	else
		reply_internal(c, "writing a household");
}

/* One household whole: with the residents living there (names only: their accounts are the accounts page's). */
static void reply_household(struct call *c, int status, const struct household *h)
{
	struct household_resident *rs;
	size_t n;
	json_t *o, *arr;

	if (household_residents(c->db, h->id, &rs, &n) != HOUSEHOLD_OK) {
		reply_internal(c, "reading a household's residents");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:I, s:s}", "account_id", (json_int_t)rs[i].account_id, "name",
					       rs[i].name));
	free(rs);
	o = household_json(h);
	if (o && arr)
		json_object_set_new(o, "resident_accounts", arr);
	else {
		json_decref(o);
		json_decref(arr);
		o = NULL;
	}
	reply_json(c, status, o);
}

static void reply_one(struct call *c, int status, int64_t id)
{
	struct household h;

	if (household_get(c->db, id, &h) != HOUSEHOLD_OK)
		reply_internal(c, "reading a household");
	else
		reply_household(c, status, &h);
}

struct household_body {
	char *building_code, *unit_no, *room, *occupancy, *note;
	long long floor, people;
};

/* A new household names its building first; an edit reads the spec from its second entry. */
static const struct spec_field household_spec[] = {
	SPEC(struct household_body, building_code, SPEC_STR, SPEC_REQUIRED, 12, 18),
	SPEC(struct household_body, unit_no, SPEC_STR, 0, 0, HOUSEHOLD_UNIT_MAX),
	SPEC(struct household_body, room, SPEC_STR, SPEC_REQUIRED, 1, HOUSEHOLD_ROOM_MAX),
	SPEC(struct household_body, floor, SPEC_INT, 0, HOUSEHOLD_FLOOR_MIN, HOUSEHOLD_FLOOR_MAX),
	SPEC_CHOICE(struct household_body, occupancy, 0, household_occupancies),
	SPEC(struct household_body, people, SPEC_INT, 0, 0, HOUSEHOLD_PEOPLE_MAX),
	SPEC(struct household_body, note, SPEC_STR, 0, 0, HOUSEHOLD_NOTE_MAX),
	{ 0 },
};

/* Floor 0 is no floor: it says the floor is not known. */
static struct household_input input_of(const struct household_body *b)
{
	return (struct household_input){ b->building_code, b->unit_no, b->room, b->occupancy, b->note,
					 b->floor != 0, b->floor, b->people };
}

void households_create(struct call *c)
{
	struct field_errors errs = { 0 };
	struct household_body b = { 0 };
	struct region building, community;
	int64_t id;
	int rc;

	if (call_body_or_reply(c, household_spec, &b) < 0)
		return;
	rc = household_building(c->db, b.building_code, &building, &community);
	if (rc == HOUSEHOLD_OK && !may_keep(c, community.path))
		rc = HOUSEHOLD_NOT_FOUND;
	if (rc == HOUSEHOLD_NOT_FOUND)
		reply_field(c, 422, "building_code", "not_found", "应为本社区的一栋楼");
	else if (rc != HOUSEHOLD_OK)
		reply_internal(c, "reading a building");
	else {
		struct household_input in = input_of(&b);

		rc = household_add(c->db, &c->actor, &in, &errs, &id);
		if (rc != HOUSEHOLD_OK)
			reply_household_error(c, rc, &errs);
		else
			reply_one(c, 201, id);
	}
	spec_release(household_spec, &b);
}

void households_get(struct call *c)
{
	struct household h;

	if (household_or_reply(c, &h) == 0)
		reply_household(c, 200, &h);
}

void households_update(struct call *c)
{
	struct field_errors errs = { 0 };
	struct household_body b = { 0 };
	struct household h;
	int rc;

	if (household_or_reply(c, &h) < 0 || call_body_or_reply(c, household_spec + 1, &b) < 0)
		return;
	struct household_input in = input_of(&b);

	rc = household_update(c->db, &c->actor, h.id, &in, &errs);
	if (rc != HOUSEHOLD_OK)
		reply_household_error(c, rc, &errs);
	else
		reply_one(c, 200, h.id);
	spec_release(household_spec + 1, &b);
}

void households_remove(struct call *c)
{
	struct household h;
	int rc;

	if (household_or_reply(c, &h) < 0)
		return;
	rc = household_remove(c->db, &c->actor, h.id);
	if (rc != HOUSEHOLD_OK)
		reply_household_error(c, rc, NULL);
	else
		reply_json(c, 204, NULL);
}

/* GET /buildings/{code}/households: every dwelling of the building, by unit, floor from the top, room. */
void building_households(struct call *c)
{
	struct region building, community;
	struct household *items;
	size_t n;
	json_t *arr;

	if (building_or_reply(c, &building, &community) < 0)
		return;
	if (household_list(c->db, building.code, &items, &n) != HOUSEHOLD_OK) {
		reply_internal(c, "listing households");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, household_json(&items[i]));
	free(items);
	reply_json(c, 200, json_pack("{s:s, s:s, s:s, s:o}", "building_code", building.code, "building_name",
				     building.name, "community_code", community.code, "items", arr));
}

struct layout_body {
	long long units, floor_from, floor_to, per_floor;
};

static const struct spec_field layout_spec[] = {
	SPEC(struct layout_body, units, SPEC_INT, 0, 0, HOUSEHOLD_UNITS_MAX),
	SPEC(struct layout_body, floor_from, SPEC_INT, SPEC_REQUIRED, HOUSEHOLD_FLOOR_MIN, HOUSEHOLD_FLOOR_MAX),
	SPEC(struct layout_body, floor_to, SPEC_INT, SPEC_REQUIRED, HOUSEHOLD_FLOOR_MIN, HOUSEHOLD_FLOOR_MAX),
	SPEC(struct layout_body, per_floor, SPEC_INT, SPEC_REQUIRED, 1, HOUSEHOLD_PER_FLOOR_MAX),
	{ 0 },
};

/* POST /buildings/{code}/households/generate: units × floors × rooms a floor at once (rooms there already kept). */
void building_households_generate(struct call *c)
{
	struct field_errors errs = { 0 };
	struct layout_body b = { 0 };
	struct region building, community;
	struct household_layout l;
	size_t added, kept;
	int rc;

	if (building_or_reply(c, &building, &community) < 0 || call_body_or_reply(c, layout_spec, &b) < 0)
		return;
	l = (struct household_layout){ b.units, b.floor_from, b.floor_to, b.per_floor };
	rc = household_generate(c->db, &c->actor, building.code, &l, &errs, &added, &kept);
	if (rc != HOUSEHOLD_OK)
		reply_household_error(c, rc, &errs);
	else
		reply_json(c, 200, json_pack("{s:I, s:I}", "added", (json_int_t)added, "kept", (json_int_t)kept));
}

/* GET /communities/{code}/households: per building of the community, its dwellings and how they are lived in. */
void community_households(struct call *c)
{
	const char *code = c->req->params[0];
	struct household_tally *items;
	struct region r;
	size_t n;
	json_t *arr;
	int rc = valid_digits(code, 12, 18) ? region_get(c->db, code, &r) : REGION_NOT_FOUND;

	if (rc == REGION_OK && (strcmp(r.level, "community") || !may_keep(c, r.path)))
		rc = REGION_NOT_FOUND;
	if (rc == REGION_NOT_FOUND) {
		reply_problem(c, 404, "not_found", "找不到该社区");
		return;
	}
	if (rc != REGION_OK || household_tallies(c->db, r.code, &items, &n) != HOUSEHOLD_OK) {
		reply_internal(c, "tallying households");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		arr = json_push(arr, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "building_code",
					       items[i].building_code, "building_name", items[i].building_name,
					       "grid_name", items[i].grid_name, "households",
					       (json_int_t)items[i].households, "lived", (json_int_t)items[i].lived,
					       "vacant", (json_int_t)items[i].vacant, "people",
					       (json_int_t)items[i].people));
	free(items);
	reply_json(c, 200, json_pack("{s:s, s:s, s:o}", "community_code", r.code, "community_name", r.name, "items", arr));
}

/* PUT and DELETE /households/{id}/residents/{account}: a resident of the community comes to live there, or leaves. */
static void resident(struct call *c, bool attach)
{
	struct household h;
	int64_t account;
	int rc;

	if (household_or_reply(c, &h) < 0 || call_id_or_reply(c, 1, &account) < 0)
		return;
	rc = household_attach(c->db, &c->actor, account, h.id, attach);
	if (rc == HOUSEHOLD_NOT_FOUND)
		reply_problem(c, 404, "not_found", attach ? "找不到本社区的该居民" : "该居民不住在这一户");
	else if (rc != HOUSEHOLD_OK)
		reply_internal(c, "attaching a resident");
	else
		reply_one(c, 200, h.id);
}

void households_resident_put(struct call *c)
{
	resident(c, true);
}

void households_resident_delete(struct call *c)
{
	resident(c, false);
}
