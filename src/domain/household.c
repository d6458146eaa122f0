/* household.c: households of a community's buildings: checked, laid out in bulk, edited, removed, listed, tallied; residents attached */
#include "domain/household.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/valid.h"

const char *const household_occupancies[] = { "lived", "vacant", "unknown", NULL };

#define HOUSEHOLD_COLUMNS                                                                                            \
	"h.id, h.community_code, c.path, h.building_code, b.name, h.unit_no, h.floor, h.room, h.occupancy, h.people, " \
	"h.note, h.created_at, h.updated_at, (SELECT COUNT(*) FROM account a WHERE a.household_id = h.id) "
#define HOUSEHOLD_FROM " FROM household h JOIN region c ON c.code = h.community_code JOIN region b ON b.code = h.building_code "

static int finish(struct db *db, int rc)
{
	if (rc == HOUSEHOLD_OK && db_commit(db) < 0)
		rc = HOUSEHOLD_ERROR;
	if (rc != HOUSEHOLD_OK)
		db_rollback(db);
	return rc;
}

int household_building(struct db *db, const char *code, struct region *building, struct region *community)
{
	int rc;

	if (!code || !valid_digits(code, 12, 18))
		return HOUSEHOLD_NOT_FOUND;
	rc = region_get(db, code, building);
	if (rc == REGION_NOT_FOUND || (rc == REGION_OK && strcmp(building->level, "building")))
		return HOUSEHOLD_NOT_FOUND;
	if (rc != REGION_OK)
		return HOUSEHOLD_ERROR;
	/* The community is the node of level community on the building's path: its parent, or its grid's parent. */
	rc = region_get(db, building->parent, community);
	if (rc == REGION_OK && !strcmp(community->level, "grid"))
		rc = region_get(db, community->parent, community);
	if (rc == REGION_OK && strcmp(community->level, "community"))
		rc = REGION_NOT_FOUND;
	return rc == REGION_OK ? HOUSEHOLD_OK : HOUSEHOLD_ERROR;
}

static bool one_of(const char *s, const char *const *choices)
{
	for (size_t i = 0; s && choices[i]; i++)
		if (!strcmp(s, choices[i]))
			return true;
	return false;
}

static void check_text(const char *s, const char *field, size_t min, size_t max, struct field_errors *errs)
{
	size_t n = s ? utf8_chars(s) : 0;

	if (s && !valid_utf8_text(s, strlen(s)))
		field_errors_add(errs, field, "invalid", "含有无法识别的字符");
	else if (n < min)
		field_errors_add(errs, field, "required", "不能为空");
	else if (n > max)
		field_errors_add(errs, field, "too_long", "太长了");
}

bool household_check(const struct household_input *in, struct field_errors *errs)
{
	size_t before = errs->n;

	check_text(in->unit_no, "unit_no", 0, HOUSEHOLD_UNIT_MAX, errs);
	check_text(in->room, "room", 1, HOUSEHOLD_ROOM_MAX, errs);
	check_text(in->note, "note", 0, HOUSEHOLD_NOTE_MAX, errs);
	if (in->occupancy && !one_of(in->occupancy, household_occupancies))
		field_errors_add(errs, "occupancy", "invalid", "应为 住人、空置 或 未核实");
	if (in->has_floor && (in->floor < HOUSEHOLD_FLOOR_MIN || in->floor > HOUSEHOLD_FLOOR_MAX || in->floor == 0))
		field_errors_add(errs, "floor", "out_of_range", "楼层应在 -5 到 120 之间，且不为 0");
	if (in->people < 0 || in->people > HOUSEHOLD_PEOPLE_MAX)
		field_errors_add(errs, "people", "out_of_range", "人数应在 0 到 99 之间");
	return errs->n == before;
}

static int count_in(struct db *db, const char *building_code, int64_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM household WHERE building_code = ?");
	int rc;

	db_bind_text(st, 1, building_code);
	rc = db_step(st);
	*n = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW ? HOUSEHOLD_OK : HOUSEHOLD_ERROR;
}

static void bind_input(struct db_stmt *st, int i, const struct household_input *in)
{
	db_bind_text(st, i, in->unit_no ? in->unit_no : "");
	if (in->has_floor)
		db_bind_int(st, i + 1, in->floor);
	else
		db_bind_null(st, i + 1);
	db_bind_text(st, i + 2, in->room);
	db_bind_text(st, i + 3, in->occupancy ? in->occupancy : "unknown");
	db_bind_int(st, i + 4, in->people);
	db_bind_text(st, i + 5, in->note ? in->note : "");
}

/* One row, inside the caller's transaction. */
static int insert(struct db *db, const struct actor *who, const char *community_code, const char *building_code,
		  const struct household_input *in, int64_t now, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO household (community_code, building_code, unit_no, floor, room, "
					    "occupancy, people, note, created_by, created_at, updated_at) "
					    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	int rc;

	db_bind_text(st, 1, community_code);
	db_bind_text(st, 2, building_code);
	bind_input(st, 3, in);
	if (who->account_id)
		db_bind_int(st, 9, who->account_id);
	else
		db_bind_null(st, 9);
	db_bind_int(st, 10, now);
	db_bind_int(st, 11, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_UNIQUE)
		return HOUSEHOLD_DUPLICATE;
	return rc == DB_ROW ? HOUSEHOLD_OK : HOUSEHOLD_ERROR;
}

static int audit(struct db *db, const struct actor *who, const char *action, int64_t id, const char *path)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append(db, who, action, "household", idt, path, "ok") < 0 ? HOUSEHOLD_ERROR : HOUSEHOLD_OK;
}

int household_add(struct db *db, const struct actor *who, const struct household_input *in,
		  struct field_errors *errs, int64_t *id)
{
	struct region building, community;
	int64_t n = 0;
	int rc;

	if (!household_check(in, errs))
		return HOUSEHOLD_INVALID;
	if (db_begin(db) < 0)
		return HOUSEHOLD_ERROR;
	rc = household_building(db, in->building_code, &building, &community);
	if (rc == HOUSEHOLD_NOT_FOUND) {
		field_errors_add(errs, "building_code", "not_found", "应为本社区的一栋楼");
		rc = HOUSEHOLD_INVALID;
	}
	if (rc == HOUSEHOLD_OK)
		rc = count_in(db, building.code, &n);
	if (rc == HOUSEHOLD_OK && n >= HOUSEHOLD_BUILDING_MAX)
		rc = HOUSEHOLD_FULL;
	if (rc == HOUSEHOLD_OK)
		rc = insert(db, who, community.code, building.code, in, clock_now(), id);
	if (rc == HOUSEHOLD_OK)
		rc = audit(db, who, "household.create", *id, building.path);
	return finish(db, rc);
}

int household_update(struct db *db, const struct actor *who, int64_t id, const struct household_input *in,
		     struct field_errors *errs)
{
	struct household h;
	struct db_stmt *st;
	int rc;

	if (!household_check(in, errs))
		return HOUSEHOLD_INVALID;
	if (db_begin(db) < 0)
		return HOUSEHOLD_ERROR;
	rc = household_get(db, id, &h);
	if (rc == HOUSEHOLD_OK) {
		st = db_prepare(db, "UPDATE household SET unit_no = ?, floor = ?, room = ?, occupancy = ?, people = ?, "
				    "note = ?, updated_at = ? WHERE id = ?");
		bind_input(st, 1, in);
		db_bind_int(st, 7, clock_now());
		db_bind_int(st, 8, id);
		rc = db_step(st);
		db_done(st);
		rc = rc == DB_DONE ? HOUSEHOLD_OK : rc == DB_UNIQUE ? HOUSEHOLD_DUPLICATE : HOUSEHOLD_ERROR;
	}
	if (rc == HOUSEHOLD_OK)
		rc = audit(db, who, "household.update", id, h.community_path);
	return finish(db, rc);
}

int household_remove(struct db *db, const struct actor *who, int64_t id)
{
	struct household h;
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return HOUSEHOLD_ERROR;
	rc = household_get(db, id, &h);
	if (rc == HOUSEHOLD_OK && h.residents)
		rc = HOUSEHOLD_IN_USE;
	if (rc == HOUSEHOLD_OK) {
		st = db_prepare(db, "SELECT 1 FROM deliberation_household WHERE household_id = ? LIMIT 1");
		db_bind_int(st, 1, id);
		int got = db_step(st);
		rc = got == DB_ROW ? HOUSEHOLD_DELIBERATED : got == DB_DONE ? HOUSEHOLD_OK : HOUSEHOLD_ERROR;
		db_done(st);
	}
	if (rc == HOUSEHOLD_OK) {
		st = db_prepare(db, "DELETE FROM household WHERE id = ?");
		db_bind_int(st, 1, id);
		rc = db_step(st) == DB_DONE ? HOUSEHOLD_OK : HOUSEHOLD_ERROR;
		db_done(st);
	}
	if (rc == HOUSEHOLD_OK)
		rc = audit(db, who, "household.remove", id, h.community_path);
	return finish(db, rc);
}

static void row(struct db_stmt *st, struct household *h)
{
	memset(h, 0, sizeof(*h));
	h->id = db_col_int(st, 0);
	str_copy(h->community_code, sizeof(h->community_code), db_col_text(st, 1));
	str_copy(h->community_path, sizeof(h->community_path), db_col_text(st, 2));
	str_copy(h->building_code, sizeof(h->building_code), db_col_text(st, 3));
	str_copy(h->building_name, sizeof(h->building_name), db_col_text(st, 4));
	str_copy(h->unit_no, sizeof(h->unit_no), db_col_text(st, 5));
	h->has_floor = !db_col_null(st, 6);
	h->floor = h->has_floor ? db_col_int(st, 6) : 0;
	str_copy(h->room, sizeof(h->room), db_col_text(st, 7));
	str_copy(h->occupancy, sizeof(h->occupancy), db_col_text(st, 8));
	h->people = db_col_int(st, 9);
	str_copy(h->note, sizeof(h->note), db_col_text(st, 10));
	h->created_at = db_col_int(st, 11);
	h->updated_at = db_col_int(st, 12);
	h->residents = db_col_int(st, 13);
}

int household_get(struct db *db, int64_t id, struct household *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " HOUSEHOLD_COLUMNS HOUSEHOLD_FROM "WHERE h.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		row(st, out);
	db_done(st);
	return rc == DB_ROW ? HOUSEHOLD_OK : rc == DB_DONE ? HOUSEHOLD_NOT_FOUND : HOUSEHOLD_ERROR;
}

static bool layout_check(const struct household_layout *l, struct field_errors *errs)
{
	size_t before = errs->n;

	if (l->units < 0 || l->units > HOUSEHOLD_UNITS_MAX)
		field_errors_add(errs, "units", "out_of_range", "单元数应在 0 到 20 之间");
	if (l->floor_from < HOUSEHOLD_FLOOR_MIN || l->floor_from > HOUSEHOLD_FLOOR_MAX)
		field_errors_add(errs, "floor_from", "out_of_range", "楼层应在 -5 到 120 之间");
	if (l->floor_to < HOUSEHOLD_FLOOR_MIN || l->floor_to > HOUSEHOLD_FLOOR_MAX || l->floor_to < l->floor_from)
		field_errors_add(errs, "floor_to", "out_of_range", "最高层应不低于最低层，且不超过 120");
	if (l->per_floor < 1 || l->per_floor > HOUSEHOLD_PER_FLOOR_MAX)
		field_errors_add(errs, "per_floor", "out_of_range", "每层户数应在 1 到 30 之间");
	return errs->n == before;
}

/* Whether the building has a dwelling at unit_no and room: 1, 0, or -1 on a storage error. */
static int exists(struct db *db, const char *building_code, const char *unit_no, const char *room)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM household WHERE building_code = ? AND unit_no = ? AND room = ?");
	int rc;

	db_bind_text(st, 1, building_code);
	db_bind_text(st, 2, unit_no);
	db_bind_text(st, 3, room);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int household_generate(struct db *db, const struct actor *who, const char *building_code,
		       const struct household_layout *l, struct field_errors *errs, size_t *added, size_t *kept)
{
	const int64_t now = clock_now();
	struct region building, community;
	int64_t have = 0, floors, id;
	int rc;

	*added = *kept = 0;
	if (!layout_check(l, errs))
		return HOUSEHOLD_INVALID;
	floors = l->floor_to - l->floor_from + 1 - (l->floor_from <= 0 && l->floor_to >= 0);
	if (db_begin(db) < 0)
		return HOUSEHOLD_ERROR;
	rc = household_building(db, building_code, &building, &community);
	if (rc == HOUSEHOLD_OK)
		rc = count_in(db, building.code, &have);
	/* An upper bound: rooms kept as they are do not count twice. */
	if (rc == HOUSEHOLD_OK && (l->units ? l->units : 1) * floors * l->per_floor > HOUSEHOLD_BUILDING_MAX)
		rc = HOUSEHOLD_FULL;
	for (int64_t u = l->units ? 1 : 0; rc == HOUSEHOLD_OK && u <= l->units; u++)
		for (int64_t f = l->floor_from; rc == HOUSEHOLD_OK && f <= l->floor_to; f++)
			for (int64_t k = 1; f && rc == HOUSEHOLD_OK && k <= l->per_floor; k++) {
				char unit_no[24], room[48];
				struct household_input in = { .unit_no = unit_no, .room = room, .has_floor = true,
							      .floor = f };
				int e;

				unit_no[0] = '\0';
				if (u)
					snprintf(unit_no, sizeof(unit_no), "%" PRId64, u);
				snprintf(room, sizeof(room), "%s%" PRId64, f < 0 ? "-" : "", (f < 0 ? -f : f) * 100 + k);
				e = exists(db, building.code, unit_no, room);
				if (e < 0)
					rc = HOUSEHOLD_ERROR;
				else if (e)
					++*kept;
				else if (have + (int64_t)*added >= HOUSEHOLD_BUILDING_MAX)
					rc = HOUSEHOLD_FULL;
				else if ((rc = insert(db, who, community.code, building.code, &in, now, &id)) == HOUSEHOLD_OK)
					++*added;
			}
	if (rc == HOUSEHOLD_OK &&
	    audit_append(db, who, "household.generate", "region", building.code, building.path, "ok") < 0)
		rc = HOUSEHOLD_ERROR;
	return finish(db, rc);
}

/* Rows of a query on HOUSEHOLD_COLUMNS bound by the caller. */
static int collect(struct db_stmt *st, struct household **items, size_t *n)
{
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		row(st, &(*items)[(*n)++]);
	}
	db_done(st);
	if (rc == DB_DONE)
		return HOUSEHOLD_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return HOUSEHOLD_ERROR;
}

int household_list(struct db *db, const char *building_code, struct household **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " HOUSEHOLD_COLUMNS HOUSEHOLD_FROM "WHERE h.building_code = ? "
					    "ORDER BY h.unit_no, h.floor DESC, h.room, h.id");

	db_bind_text(st, 1, building_code);
	return collect(st, items, n);
}

int household_tallies(struct db *db, const char *community_code, struct household_tally **items, size_t *n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT b.code, b.name, CASE WHEN g.level = 'grid' THEN g.name ELSE '' END, COUNT(h.id), "
		    "COALESCE(SUM(CASE WHEN h.occupancy = 'lived' THEN 1 ELSE 0 END), 0), "
		    "COALESCE(SUM(CASE WHEN h.occupancy = 'vacant' THEN 1 ELSE 0 END), 0), COALESCE(SUM(h.people), 0) "
		    "FROM region b JOIN region g ON g.code = b.parent LEFT JOIN household h ON h.building_code = b.code "
		    "WHERE b.level = 'building' AND (b.parent = ?1 OR b.parent IN (SELECT code FROM region WHERE "
		    "parent = ?1 AND level = 'grid')) GROUP BY b.code, b.name, b.path, g.level, g.name ORDER BY b.path");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_text(st, 1, community_code);
	while ((rc = db_step(st)) == DB_ROW) {
		struct household_tally *t;

		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		t = &(*items)[(*n)++];
		str_copy(t->building_code, sizeof(t->building_code), db_col_text(st, 0));
		str_copy(t->building_name, sizeof(t->building_name), db_col_text(st, 1));
		str_copy(t->grid_name, sizeof(t->grid_name), db_col_text(st, 2));
		t->households = db_col_int(st, 3);
		t->lived = db_col_int(st, 4);
		t->vacant = db_col_int(st, 5);
		t->people = db_col_int(st, 6);
	}
	db_done(st);
	if (rc == DB_DONE)
		return HOUSEHOLD_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return HOUSEHOLD_ERROR;
}

int household_residents(struct db *db, int64_t id, struct household_resident **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, name FROM account WHERE household_id = ? ORDER BY name, id");
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		*items = xrealloc(*items, (*n + 1) * sizeof(**items));
		(*items)[*n].account_id = db_col_int(st, 0);
		str_copy((*items)[*n].name, sizeof((*items)[*n].name), db_col_text(st, 1));
		++*n;
	}
	db_done(st);
	if (rc == DB_DONE)
		return HOUSEHOLD_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return HOUSEHOLD_ERROR;
}

/* Whether account_id holds a resident grant at community_code. */
static int resident_of(struct db *db, int64_t account_id, const char *community_code)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM role_grant WHERE account_id = ? AND role = 'resident' AND "
					    "region_code = ?");
	int rc;

	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, community_code);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? HOUSEHOLD_OK : rc == DB_DONE ? HOUSEHOLD_NOT_FOUND : HOUSEHOLD_ERROR;
}

int household_attach(struct db *db, const struct actor *who, int64_t account_id, int64_t household_id, bool attach)
{
	struct household h;
	struct db_stmt *st;
	char idt[24];
	int rc;

	if (db_begin(db) < 0)
		return HOUSEHOLD_ERROR;
	rc = household_get(db, household_id, &h);
	if (rc == HOUSEHOLD_OK)
		rc = resident_of(db, account_id, h.community_code);
	if (rc == HOUSEHOLD_OK) {
		/* Detaching touches the account only if it lives there. */
		st = db_prepare(db, attach ? "UPDATE account SET household_id = ?1 WHERE id = ?2"
					   : "UPDATE account SET household_id = NULL WHERE id = ?2 AND household_id = ?1");
		db_bind_int(st, 1, household_id);
		db_bind_int(st, 2, account_id);
		rc = db_step(st) == DB_DONE ? HOUSEHOLD_OK : HOUSEHOLD_ERROR;
		db_done(st);
		if (rc == HOUSEHOLD_OK && db_changes(db) != 1)
			rc = HOUSEHOLD_NOT_FOUND;
	}
	snprintf(idt, sizeof(idt), "%" PRId64, account_id);
	if (rc == HOUSEHOLD_OK &&
	    audit_append(db, who, attach ? "account.household" : "account.household_leave", "account", idt, h.community_path, "ok") < 0)
		rc = HOUSEHOLD_ERROR;
	return finish(db, rc);
}
