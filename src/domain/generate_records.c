/* generate_records.c: a city's confirmed service for benchmarks: records over the last half-year and more, stamped, with their movements and standings */
#include "domain/generate.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/record.h"
#include "domain/record_row.h"

enum { BATCH = 2000, DAYS_BACK = 175, PENDING_PER_MILLE = 10 };

struct served {
	int64_t id;
	int32_t count; /* records given so far: each lands on a day and hour of its own */
};

/* The members who may serve (an approved report-in), and the items a record needs no extra field for. */
static int load(struct db *db, struct served **members, size_t *nm, int64_t **items, size_t *ni)
{
	struct db_stmt *st = db_prepare(db, "SELECT m.id FROM member m WHERE EXISTS (SELECT 1 FROM registration r "
					    "WHERE r.member_id = m.id AND r.state = 'approved') ORDER BY m.id");
	size_t cap = 1024;
	int rc;

	*members = xcalloc(cap, sizeof(**members));
	*nm = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*nm == cap)
			*members = xrealloc(*members, (cap *= 2) * sizeof(**members));
		(*members)[(*nm)++] = (struct served){ db_col_int(st, 0), 0 };
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(db, "SELECT id FROM catalog_item i WHERE region_code IS NULL AND NOT EXISTS (SELECT 1 FROM "
			    "catalog_field f WHERE f.item_id = i.id AND f.required = 1) ORDER BY id");
	*items = xcalloc(64, sizeof(**items));
	*ni = 0;
	while ((rc = db_step(st)) == DB_ROW && *ni < 64)
		(*items)[(*ni)++] = db_col_int(st, 0);
	db_done(st);
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

/* splitmix64, as generate.c draws the city. */
static uint64_t draw(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The path of the community that confirms record id (its audit entries are seen there). */
static int community_path(struct db *db, int64_t id, char out[PATH_MAX_LEN])
{
	struct db_stmt *st = db_prepare(db, "SELECT r.path FROM record g JOIN region r ON r.code = g.community_code "
					    "WHERE g.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		str_copy(out, PATH_MAX_LEN, db_col_text(st, 0));
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/* Record k: a staff entry, confirmed (盖章) unless it is one of the few left waiting. */
static int one(struct db *db, const struct actor *cli, struct served *m, int64_t item, int64_t today, uint64_t *rng)
{
	/* The member's n-th service: a day of its own back from yesterday, a later hour once the days run out. */
	int64_t n = m->count++, day = 1 + (n * 7 + m->id % 7) % DAYS_BACK, hour = 8 + 2 * (n * 7 / DAYS_BACK);
	struct record_input in = { .member_id = m->id, .item_id = item, .source = SOURCE_STAFF,
				   .started_at = today - day * 86400 + (hour % 24) * 3600,
				   .minutes = 30 * (1 + (int64_t)(draw(rng) % 4)), .place = "社区", .content = "志愿服务" };
	struct field_errors errs = { 0 };
	char path[PATH_MAX_LEN];
	int64_t id;
	int rc = record_add(db, cli, &in, &errs, &id);

	if (rc == RECORD_OVERLAP)
		return 0; /* a member with more services than hours to give: this one is skipped */
	if (rc != RECORD_OK)
		return -1;
	if (draw(rng) % 1000 < PENDING_PER_MILLE)
		return 0;
	if (record_set_state(db, cli, id, "confirmed", NULL) != RECORD_OK || community_path(db, id, path) < 0)
		return -1;
	return record_event_add(db, cli, id, path, "confirm", NULL) < 0 ? -1 : 0;
}

int generate_records(struct db *db, const struct gen_options *o, char *err, size_t errlen)
{
	const struct actor cli = { 0, "cli" };
	int64_t now = clock_now(), today = now - (now + 8 * 3600) % 86400, *items = NULL;
	uint64_t rng = o->seed ^ 0x5eedULL;
	struct served *members = NULL;
	size_t nm = 0, ni = 0;
	int rc = 0;

	if (load(db, &members, &nm, &items, &ni) < 0 || !nm || !ni) {
		snprintf(err, errlen, "no members who may serve, or no catalogue items");
		rc = -1;
	}
	for (int64_t k = 0; rc == 0 && k < o->records; k += BATCH) {
		int64_t n = o->records - k < BATCH ? o->records - k : BATCH;

		if (db_begin(db) < 0) {
			rc = -1;
			break;
		}
		for (int64_t i = 0; i < n && rc == 0; i++) {
			/* A few serve often, most now and then: the square of a uniform draw picks the member. */
			double u = (double)(draw(&rng) >> 11) / (double)(1ULL << 53);

			rc = one(db, &cli, &members[(size_t)((double)nm * u * u)], items[draw(&rng) % ni], today, &rng);
		}
		if (rc < 0) {
			db_rollback(db);
		} else if (db_commit(db) < 0) {
			rc = -1;
		} else if (o->progress) {
			o->progress("service records", k + n, o->records);
		}
	}
	if (rc < 0 && !*err)
		snprintf(err, errlen, "cannot write the service records");
	free(members);
	free(items);
	return rc;
}
