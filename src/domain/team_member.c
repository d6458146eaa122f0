/* team_member.c: who is in a team: applications, approvals, leaving and removal; members with their service */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/post.h"
#include "domain/registration.h"
#include "domain/team.h"

#define MEMBER_COLUMNS                                                                                      \
	"tm.id, tm.team_id, tm.member_id, t.name, t.state, t.specialty, r.name, r.path, m.name, m.phone, "    \
	"tm.state, tm.note, tm.reason, COALESCE(t.leader_id, 0) = tm.member_id, tm.applied_at, "              \
	"COALESCE(tm.decided_at, 0), COALESCE(tm.left_at, 0)"
#define MEMBER_NCOLS 17
/*
 * Confirmed service of the member, from one pass over their records by the
 * record_member index (joined as g, with o the record a correction corrects
 * and a the activity of either): in the team's activities, and everywhere.
 * Records count without corrections; minutes with them.
 */
#define MEMBER_SERVICE                                                                                      \
	", COUNT(CASE WHEN g.source = 'activity' AND a.team_id = tm.team_id THEN 1 END), "                    \
	"COALESCE(SUM(CASE WHEN a.team_id = tm.team_id THEN g.minutes END), 0), "                            \
	"COUNT(CASE WHEN g.source <> 'correction' THEN 1 END), COALESCE(SUM(g.minutes), 0)"
#define MEMBER_RECORDS                                                                                      \
	" LEFT JOIN record g ON g.member_id = tm.member_id AND g.state = 'confirmed' LEFT JOIN record o ON "  \
	"o.id = g.corrects_id LEFT JOIN activity a ON a.id = COALESCE(g.activity_id, o.activity_id)"
#define MEMBER_FROM                                                                                     \
	" FROM team_member tm JOIN team t ON t.id = tm.team_id JOIN region r ON r.code = t.region_code " \
	"JOIN member m ON m.id = tm.member_id"

static void read_member(struct db_stmt *st, void *item, const void *arg)
{
	struct team_member *m = item;

	memset(m, 0, sizeof(*m));
	m->id = db_col_int(st, 0);
	m->team_id = db_col_int(st, 1);
	m->member_id = db_col_int(st, 2);
	str_copy(m->team_name, sizeof(m->team_name), db_col_text(st, 3));
	str_copy(m->team_state, sizeof(m->team_state), db_col_text(st, 4));
	str_copy(m->specialty, sizeof(m->specialty), db_col_text(st, 5));
	str_copy(m->region_name, sizeof(m->region_name), db_col_text(st, 6));
	str_copy(m->region_path, sizeof(m->region_path), db_col_text(st, 7));
	str_copy(m->member_name, sizeof(m->member_name), db_col_text(st, 8));
	str_copy(m->member_phone, sizeof(m->member_phone), db_col_text(st, 9));
	str_copy(m->state, sizeof(m->state), db_col_text(st, 10));
	str_copy(m->note, sizeof(m->note), db_col_text(st, 11));
	str_copy(m->reason, sizeof(m->reason), db_col_text(st, 12));
	m->leader = db_col_int(st, 13) != 0;
	m->applied_at = db_col_int(st, 14);
	m->decided_at = db_col_int(st, 15);
	m->left_at = db_col_int(st, 16);
	if (arg) {
		m->team_records = db_col_int(st, MEMBER_NCOLS);
		m->team_minutes = db_col_int(st, MEMBER_NCOLS + 1);
		m->records = db_col_int(st, MEMBER_NCOLS + 2);
		m->minutes = db_col_int(st, MEMBER_NCOLS + 3);
	}
}

int team_member_get(struct db *db, int64_t id, struct team_member *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " MEMBER_COLUMNS MEMBER_FROM " WHERE tm.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_member(st, out, NULL);
	db_done(st);
	return rc == DB_ROW ? TEAM_OK : rc == DB_DONE ? TEAM_NOT_FOUND : TEAM_ERROR;
}

static int audit_member(struct db *db, const struct actor *who, const char *action, int64_t id, const char *path,
			const char *detail)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append_detail(db, who, action, "team_member", idt, path, "ok", detail ? detail : "");
}

int team_join(struct db *db, const struct actor *who, int64_t team_id, int64_t member_id, const char *note,
	      int64_t *id)
{
	struct registration r;
	struct db_stmt *st;
	struct team t;
	int rc;

	if (db_begin(db) < 0)
		return TEAM_ERROR;
	rc = team_get(db, team_id, &t);
	if (rc == TEAM_OK && strcmp(t.state, "active"))
		rc = TEAM_BAD_STATE;
	if (rc == TEAM_OK) {
		int reg = registration_current(db, member_id, &r);

		if (reg == REG_ERROR)
			rc = TEAM_ERROR;
		else if (reg != REG_OK || strcmp(r.state, "approved") ||
			 strncmp(r.community_path, t.region_path, strlen(t.region_path)))
			rc = TEAM_NOT_MEMBER;
	}
	if (rc != TEAM_OK)
		return post_finish(db, rc);
	st = db_prepare(db, "INSERT INTO team_member (team_id, member_id, state, note, applied_at) VALUES "
			    "(?, ?, 'applied', ?, ?) RETURNING id");
	db_bind_int(st, 1, team_id);
	db_bind_int(st, 2, member_id);
	db_bind_text(st, 3, note ? note : "");
	db_bind_int(st, 4, clock_now());
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_UNIQUE)
		return post_finish(db, TEAM_JOINED);
	rc = rc == DB_ROW && audit_member(db, who, "team.join", *id, t.region_path, t.name) == 0 ? TEAM_OK : TEAM_ERROR;
	return post_finish(db, rc);
}

int team_room(struct db *db, int64_t team_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM team_member WHERE team_id = ? AND state = 'member'");
	int64_t n = 0;
	int rc;

	db_bind_int(st, 1, team_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		n = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return TEAM_ERROR;
	return n < TEAM_MEMBERS_MAX ? TEAM_OK : TEAM_FULL;
}

/* Moves membership id from one state to another with who and when; a leader who goes leaves the team without one. */
static int move(struct db *db, const struct actor *who, const struct team_member *m, const char *to,
		const char *reason, const char *note)
{
	bool ends = !strcmp(to, "left") || !strcmp(to, "removed") || !strcmp(to, "withdrawn");
	struct db_stmt *st = db_prepare(db, ends ? "UPDATE team_member SET state = ?, left_at = ?, decided_by = ?, "
						   "reason = COALESCE(?, reason), note = COALESCE(?, note) WHERE id = ? "
						   "AND state = ?"
						 : "UPDATE team_member SET state = ?, decided_at = ?, decided_by = ?, "
						   "reason = COALESCE(?, reason), note = COALESCE(?, note) WHERE id = ? "
						   "AND state = ?");
	int rc;

	db_bind_text(st, 1, to);
	db_bind_int(st, 2, clock_now());
	post_bind_account(st, 3, who);
	db_bind_text(st, 4, reason);
	db_bind_text(st, 5, note);
	db_bind_int(st, 6, m->id);
	db_bind_text(st, 7, m->state);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return TEAM_ERROR;
	if (db_changes(db) != 1)
		return TEAM_BAD_STATE;
	if (!ends || !m->leader)
		return TEAM_OK;
	st = db_prepare(db, "UPDATE team SET leader_id = NULL, updated_at = ? WHERE id = ? AND leader_id = ?");
	db_bind_int(st, 1, clock_now());
	db_bind_int(st, 2, m->team_id);
	db_bind_int(st, 3, m->member_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? TEAM_OK : TEAM_ERROR;
}

/* Reads membership id, checks it is in state from, moves it to to and audits action: one transaction. */
static int change(struct db *db, const struct actor *who, int64_t id, const char *from, const char *to,
		  const char *action, const char *reason)
{
	struct team_member m;
	int rc;

	if (db_begin(db) < 0)
		return TEAM_ERROR;
	rc = team_member_get(db, id, &m);
	if (rc == TEAM_OK && (strcmp(m.state, from) || (!strcmp(to, "member") && strcmp(m.team_state, "active"))))
		rc = TEAM_BAD_STATE;
	if (rc == TEAM_OK && !strcmp(to, "member"))
		rc = team_room(db, m.team_id);
	if (rc == TEAM_OK)
		rc = move(db, who, &m, to, reason, NULL);
	if (rc == TEAM_OK && audit_member(db, who, action, id, m.region_path, reason) < 0)
		rc = TEAM_ERROR;
	return post_finish(db, rc);
}

int team_decide(struct db *db, const struct actor *who, int64_t id, bool approve, const char *reason)
{
	return approve ? change(db, who, id, "applied", "member", "team.approve", NULL)
		       : change(db, who, id, "applied", "refused", "team.refuse", reason);
}

int team_remove(struct db *db, const struct actor *who, int64_t id, const char *reason)
{
	return change(db, who, id, "member", "removed", "team.remove", reason);
}

int team_leave(struct db *db, const struct actor *who, int64_t team_id, int64_t member_id, const char *note)
{
	struct db_stmt *st;
	struct team_member m;
	int64_t id = 0;
	const char *to;
	int rc;

	if (db_begin(db) < 0)
		return TEAM_ERROR;
	st = db_prepare(db, "SELECT id FROM team_member WHERE team_id = ? AND member_id = ? AND state IN "
			    "('applied', 'member')");
	db_bind_int(st, 1, team_id);
	db_bind_int(st, 2, member_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	rc = rc == DB_ROW ? team_member_get(db, id, &m) : rc == DB_DONE ? TEAM_NOT_FOUND : TEAM_ERROR;
	if (rc != TEAM_OK)
		return post_finish(db, rc);
	to = !strcmp(m.state, "applied") ? "withdrawn" : "left";
	rc = move(db, who, &m, to, NULL, note && *note ? note : NULL);
	if (rc == TEAM_OK && (!strcmp(to, "left") ? audit_member(db, who, "team.leave", id, m.region_path, note)
						  : audit_member(db, who, "team.withdraw", id, m.region_path, note)) < 0)
		rc = TEAM_ERROR;
	return post_finish(db, rc);
}

int team_members(struct db *db, int64_t team_id, struct team_member **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " MEMBER_COLUMNS MEMBER_SERVICE MEMBER_FROM MEMBER_RECORDS
					    " WHERE tm.team_id = ? AND tm.state IN ('member', 'applied') GROUP BY tm.id, t.id, r.code, m.id "
					    "ORDER BY tm.state <> 'member', COALESCE(t.leader_id, 0) <> tm.member_id, "
					    "CASE WHEN tm.state = 'member' THEN m.name ELSE '' END, tm.id");

	db_bind_int(st, 1, team_id);
	return post_rows(st, sizeof(**items), TEAM_MEMBERS_MAX, read_member, "service", (void **)items, n);
}

int team_memberships(struct db *db, int64_t member_id, bool open_only, struct team_member **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " MEMBER_COLUMNS MEMBER_FROM " WHERE tm.member_id = ? AND (? = 0 OR "
					    "(tm.state IN ('applied', 'member') AND t.state = 'active')) ORDER BY "
					    "tm.state IN ('applied', 'member') AND t.state = 'active' DESC, tm.id DESC LIMIT ?");

	db_bind_int(st, 1, member_id);
	db_bind_int(st, 2, open_only);
	db_bind_int(st, 3, TEAM_LIST_MAX);
	return post_rows(st, sizeof(**items), TEAM_LIST_MAX, read_member, NULL, (void **)items, n);
}
