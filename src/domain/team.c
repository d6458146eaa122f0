/* team.c: teams of a community or a street: created, edited, disbanded; members apply, are approved, leave, are removed */
#include "domain/team.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/listing.h"
#include "domain/post.h"
#include "domain/registration.h"

#define TEAM_COLUMNS                                                                                        \
	"t.id, t.region_code, r.name, r.level, r.path, t.name, t.specialty, t.description, "                  \
	"COALESCE(t.leader_id, 0), COALESCE(l.name, ''), t.state, t.reason, (SELECT COUNT(*) FROM team_member " \
	"x WHERE x.team_id = t.id AND x.state = 'member'), (SELECT COUNT(*) FROM team_member x WHERE "         \
	"x.team_id = t.id AND x.state = 'applied'), t.created_at, t.updated_at"
#define TEAM_NCOLS 16
#define TEAM_FROM " FROM team t JOIN region r ON r.code = t.region_code LEFT JOIN member l ON l.id = t.leader_id"

static void read_team(struct db_stmt *st, void *item, const void *arg)
{
	struct team *t = item;

	(void)arg;
	t->id = db_col_int(st, 0);
	str_copy(t->region_code, sizeof(t->region_code), db_col_text(st, 1));
	str_copy(t->region_name, sizeof(t->region_name), db_col_text(st, 2));
	str_copy(t->region_level, sizeof(t->region_level), db_col_text(st, 3));
	str_copy(t->region_path, sizeof(t->region_path), db_col_text(st, 4));
	str_copy(t->name, sizeof(t->name), db_col_text(st, 5));
	str_copy(t->specialty, sizeof(t->specialty), db_col_text(st, 6));
	str_copy(t->description, sizeof(t->description), db_col_text(st, 7));
	t->leader_id = db_col_int(st, 8);
	str_copy(t->leader_name, sizeof(t->leader_name), db_col_text(st, 9));
	str_copy(t->state, sizeof(t->state), db_col_text(st, 10));
	str_copy(t->reason, sizeof(t->reason), db_col_text(st, 11));
	t->members = db_col_int(st, 12);
	t->applied = db_col_int(st, 13);
	t->created_at = db_col_int(st, 14);
	t->updated_at = db_col_int(st, 15);
}

int team_get(struct db *db, int64_t id, struct team *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " TEAM_COLUMNS TEAM_FROM " WHERE t.id = ?");
	int rc;

	memset(out, 0, sizeof(*out));
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_team(st, out, NULL);
	db_done(st);
	return rc == DB_ROW ? TEAM_OK : rc == DB_DONE ? TEAM_NOT_FOUND : TEAM_ERROR;
}

/* Whether member_id has an approved report-in in a community under path: 1, 0, or -1 on a storage error. */
static int serves_under(struct db *db, int64_t member_id, const char *path)
{
	struct registration r;
	int rc = registration_current(db, member_id, &r);

	if (rc == REG_ERROR)
		return -1;
	return rc == REG_OK && !strcmp(r.state, "approved") && !strncmp(r.community_path, path, strlen(path));
}

static int check_in(struct db *db, const struct team_input *in, const char *path, struct field_errors *errs)
{
	struct db_stmt *st;
	int rc;

	if (!in->name || !*in->name)
		field_errors_add(errs, "name", "required", NULL);
	if (in->specialty && *in->specialty) {
		st = db_prepare(db, "SELECT 1 FROM specialty WHERE name = ?");
		db_bind_text(st, 1, in->specialty);
		rc = db_step(st);
		db_done(st);
		if (rc == DB_ERROR)
			return -1;
		if (rc != DB_ROW)
			field_errors_add(errs, "specialty", "enum", "应为特长列表中的一项");
	}
	if (in->leader_id) {
		rc = serves_under(db, in->leader_id, path);
		if (rc < 0)
			return -1;
		if (!rc)
			field_errors_add(errs, "leader_id", "not_found", "队长应为在本辖区报到的党员");
	}
	return 0;
}

int team_check(struct db *db, const struct team_input *in, struct field_errors *errs)
{
	struct region r;
	int rc = in->region_code && *in->region_code ? region_get(db, in->region_code, &r) : REGION_NOT_FOUND;

	if (rc == REGION_ERROR)
		return -1;
	if (rc != REGION_OK || (strcmp(r.level, "community") && strcmp(r.level, "street"))) {
		field_errors_add(errs, "region_code", "not_found", "应为一个社区或街道");
		return 0;
	}
	return check_in(db, in, r.path, errs);
}

static int audit_of(struct db *db, const struct actor *who, const char *action, const char *type, int64_t id,
		    const char *path, const char *detail)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append_detail(db, who, action, type, idt, path, "ok", detail ? detail : "");
}

/* The leader belongs to the team: an application of theirs is approved, or they join at once. */
static int seat_leader(struct db *db, const struct actor *who, int64_t team_id, int64_t member_id)
{
	struct db_stmt *st = db_prepare(db, "UPDATE team_member SET state = 'member', decided_at = ?, decided_by = ? "
					    "WHERE team_id = ? AND member_id = ? AND state = 'applied'");
	int64_t now = clock_now();
	int rc;

	db_bind_int(st, 1, now);
	post_bind_account(st, 2, who);
	db_bind_int(st, 3, team_id);
	db_bind_int(st, 4, member_id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(db, "INSERT INTO team_member (team_id, member_id, state, applied_at, decided_at, decided_by) "
			    "SELECT ?, ?, 'member', ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM team_member WHERE team_id = ? "
			    "AND member_id = ? AND state = 'member')");
	db_bind_int(st, 1, team_id);
	db_bind_int(st, 2, member_id);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, now);
	post_bind_account(st, 5, who);
	db_bind_int(st, 6, team_id);
	db_bind_int(st, 7, member_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static void bind_leader(struct db_stmt *st, int i, int64_t leader_id)
{
	if (leader_id)
		db_bind_int(st, i, leader_id);
	else
		db_bind_null(st, i);
}

int team_create(struct db *db, const struct actor *who, const struct team_input *in, struct field_errors *errs,
		int64_t *id)
{
	struct region r;
	struct db_stmt *st;
	int64_t now = clock_now();
	int rc;

	if (db_begin(db) < 0)
		return TEAM_ERROR;
	if (team_check(db, in, errs) < 0 || (!errs->n && region_get(db, in->region_code, &r) != REGION_OK))
		return post_finish(db, TEAM_ERROR);
	if (errs->n)
		return post_finish(db, TEAM_INVALID);
	st = db_prepare(db, "INSERT INTO team (region_code, name, specialty, description, leader_id, state, "
			    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'active', ?, ?) RETURNING id");
	db_bind_text(st, 1, in->region_code);
	db_bind_text(st, 2, in->name);
	db_bind_text(st, 3, in->specialty ? in->specialty : "");
	db_bind_text(st, 4, in->description ? in->description : "");
	bind_leader(st, 5, in->leader_id);
	db_bind_int(st, 6, now);
	db_bind_int(st, 7, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_UNIQUE)
		return post_finish(db, TEAM_DUPLICATE);
	if (rc != DB_ROW || (in->leader_id && seat_leader(db, who, *id, in->leader_id) < 0) ||
	    audit_of(db, who, "team.create", "team", *id, r.path, in->name) < 0)
		return post_finish(db, TEAM_ERROR);
	return post_finish(db, TEAM_OK);
}

/* Begins a write transaction on team id, active, read into t; otherwise ends it again and says why (TEAM_BAD_STATE). */
static int begin_on_active(struct db *db, int64_t id, struct team *t)
{
	int rc;

	if (db_begin(db) < 0)
		return TEAM_ERROR;
	rc = team_get(db, id, t);
	if (rc == TEAM_OK && strcmp(t->state, "active"))
		rc = TEAM_BAD_STATE;
	return rc == TEAM_OK ? TEAM_OK : post_finish(db, rc);
}

int team_update(struct db *db, const struct actor *who, int64_t id, const struct team_input *in,
		struct field_errors *errs)
{
	struct db_stmt *st;
	struct team t;
	int rc = begin_on_active(db, id, &t);

	if (rc != TEAM_OK)
		return rc;
	if (check_in(db, in, t.region_path, errs) < 0)
		return post_finish(db, TEAM_ERROR);
	if (errs->n)
		return post_finish(db, TEAM_INVALID);
	st = db_prepare(db, "UPDATE team SET name = ?, specialty = ?, description = ?, leader_id = ?, updated_at = ? "
			    "WHERE id = ?");
	db_bind_text(st, 1, in->name);
	db_bind_text(st, 2, in->specialty ? in->specialty : "");
	db_bind_text(st, 3, in->description ? in->description : "");
	bind_leader(st, 4, in->leader_id);
	db_bind_int(st, 5, clock_now());
	db_bind_int(st, 6, id);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_UNIQUE)
		return post_finish(db, TEAM_DUPLICATE);
	if (rc != DB_DONE || (in->leader_id && seat_leader(db, who, id, in->leader_id) < 0) ||
	    audit_of(db, who, "team.update", "team", id, t.region_path, in->name) < 0)
		return post_finish(db, TEAM_ERROR);
	return post_finish(db, TEAM_OK);
}

int team_disband(struct db *db, const struct actor *who, int64_t id, const char *reason)
{
	struct db_stmt *st;
	struct team t;
	int64_t now = clock_now();
	int rc = begin_on_active(db, id, &t);

	if (rc != TEAM_OK)
		return rc;
	st = db_prepare(db, "UPDATE team SET state = 'disbanded', reason = ?, updated_at = ? WHERE id = ?");
	db_bind_text(st, 1, reason);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return post_finish(db, TEAM_ERROR);
	st = db_prepare(db, "UPDATE team_member SET state = 'refused', reason = ?, decided_at = ?, decided_by = ? "
			    "WHERE team_id = ? AND state = 'applied'");
	db_bind_text(st, 1, reason);
	db_bind_int(st, 2, now);
	post_bind_account(st, 3, who);
	db_bind_int(st, 4, id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE || audit_of(db, who, "team.disband", "team", id, t.region_path, reason) < 0)
		return post_finish(db, TEAM_ERROR);
	return post_finish(db, TEAM_OK);
}

struct team_query {
	const struct scope *scope;
	const struct team_filter *f;
};

static void team_filters(struct buf *sql, const void *arg)
{
	const struct team_query *q = arg;

	buf_addstr(sql, TEAM_FROM " WHERE 1=1");
	listing_codes_sql(sql, q->scope, "t.region_code", NULL, false);
	if (q->f->region)
		buf_addstr(sql, " AND t.region_code >= ? AND t.region_code < ?");
	if (q->f->state)
		buf_addstr(sql, " AND t.state = ?");
}

static int team_bind(struct db_stmt *st, const void *arg)
{
	const struct team_query *q = arg;
	int i = listing_codes_bind(st, q->scope, 0, 1);

	if (q->f->region) {
		char lo[24], hi[26];

		listing_code_range(q->f->region, lo, hi);
		db_bind_text(st, i++, lo);
		db_bind_text(st, i++, hi);
	}
	if (q->f->state)
		db_bind_text(st, i++, q->f->state);
	return i;
}

int team_list(struct db *db, const struct scope *scope, const struct team_filter *f, struct team **items, size_t *n,
	      int64_t *total)
{
	static const struct listing l = { TEAM_COLUMNS, team_filters, team_bind,
					  " ORDER BY t.region_code, t.state, t.name, t.id", sizeof(struct team),
					  read_team };
	struct team_query q = { scope, f };

	return listing_page(db, &l, &q, f->page, f->per_page, (void **)items, n, total) < 0 ? TEAM_ERROR : TEAM_OK;
}

static void read_offer(struct db_stmt *st, void *item, const void *arg)
{
	struct team_offer *o = item;

	(void)arg;
	read_team(st, &o->team, NULL);
	o->my_id = db_col_int(st, TEAM_NCOLS);
	str_copy(o->my_state, sizeof(o->my_state), db_col_text(st, TEAM_NCOLS + 1));
}

int team_offers(struct db *db, const char *community_code, int64_t member_id, struct team_offer **items, size_t *n)
{
	struct db_stmt *st;
	struct region r;
	int rc = region_get(db, community_code, &r);

	*items = NULL;
	*n = 0;
	if (rc != REGION_OK)
		return rc == REGION_NOT_FOUND ? TEAM_OK : TEAM_ERROR;
	st = db_prepare(db, "SELECT " TEAM_COLUMNS ", COALESCE(tm.id, 0), COALESCE(tm.state, '')" TEAM_FROM
			    " LEFT JOIN team_member tm ON tm.team_id = t.id AND tm.member_id = ? AND tm.state IN "
			    "('applied', 'member') WHERE t.state = 'active' AND t.region_code IN (?, ?) "
			    "ORDER BY r.level = 'street', t.name, t.id LIMIT ?");
	db_bind_int(st, 1, member_id);
	db_bind_text(st, 2, r.code);
	db_bind_text(st, 3, r.parent);
	db_bind_int(st, 4, TEAM_LIST_MAX);
	return post_rows(st, sizeof(**items), TEAM_LIST_MAX, read_offer, NULL, (void **)items, n);
}

int team_may_organise(struct db *db, int64_t team_id, const char *community_path, struct team *out)
{
	struct team t;
	int rc = team_get(db, team_id, out ? out : &t);
	const struct team *got = out ? out : &t;

	if (rc != TEAM_OK)
		return rc == TEAM_NOT_FOUND ? 0 : -1;
	return !strcmp(got->state, "active") && community_path &&
	       !strncmp(community_path, got->region_path, strlen(got->region_path));
}

int team_led_by(struct db *db, int64_t team_id, int64_t account_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM team t JOIN member m ON m.id = t.leader_id WHERE t.id = ? AND "
					    "t.state = 'active' AND m.account_id = ?");
	int rc;

	db_bind_int(st, 1, team_id);
	db_bind_int(st, 2, account_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}
