/* duty_swap.c: duty swaps and gifts between members: asked, accepted by the other, approved by staff, then carried out at once */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/duty.h"

/* The live shifts of member_id other than except, as slots. *out: caller frees. */
static int busy_slots(struct db *db, int64_t member_id, int64_t except, struct duty_slot **out, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT s.starts_at, s.ends_at FROM duty_assignment a JOIN duty_shift s ON "
					    "s.id = a.shift_id WHERE a.member_id = ? AND a.state <> 'cancelled' AND "
					    "a.state <> 'no_show' AND s.id <> ? ORDER BY s.starts_at LIMIT 1000");
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	db_bind_int(st, 1, member_id);
	db_bind_int(st, 2, except);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		(*out)[*n].starts_at = db_col_int(st, 0);
		(*out)[*n].ends_at = db_col_int(st, 1);
		(*n)++;
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*out);
		*out = NULL;
		return DUTY_ERROR;
	}
	return DUTY_OK;
}

static bool live_before_start(const struct duty_assignment *a)
{
	return !strcmp(a->state, "signed") || !strcmp(a->state, "assigned");
}

/*
 * The verdict of the rules on the asker (holding mine on ms) giving it to other, taking theirs on ts (NULL: a
 * gift), as things are now.
 */
static int judge(struct db *db, int64_t asker_id, int64_t other_id, const struct duty_shift *ms,
		 const struct duty_shift *ts, int64_t now, enum duty_swap_verdict *verdict)
{
	struct duty_member asker, other;
	struct duty_swap_case c = { 0 };
	struct duty_slot *ab = NULL, *ob = NULL;
	int rc;

	rc = duty_member_get(db, asker_id, &asker);
	if (rc == DUTY_OK)
		rc = duty_member_get(db, other_id, &other);
	if (rc == DUTY_OK)
		rc = busy_slots(db, asker_id, ms->id, &ab, &c.n_asker_busy);
	if (rc == DUTY_OK)
		rc = busy_slots(db, other_id, ts ? ts->id : 0, &ob, &c.n_other_busy);
	if (rc == DUTY_OK) {
		c.asker_id = asker_id;
		c.other_id = other_id;
		c.asker_in_community = asker.approved && !strcmp(asker.community_code, ms->community_code);
		c.other_in_community = other.approved && !strcmp(other.community_code, ms->community_code);
		c.give = ts == NULL;
		c.mine = (struct duty_slot){ ms->starts_at, ms->ends_at };
		if (ts)
			c.theirs = (struct duty_slot){ ts->starts_at, ts->ends_at };
		c.same_community = !ts || !strcmp(ts->community_code, ms->community_code);
		c.asker_busy = ab;
		c.other_busy = ob;
		*verdict = duty_swap_check(&c, now);
	}
	free(ab);
	free(ob);
	return rc == DUTY_NOT_FOUND ? DUTY_ERROR : rc;
}

static int audit(struct db *db, const struct actor *who, const char *action, int64_t id, const char *path)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append(db, who, action, "duty_swap", idt, path, "ok") < 0 ? DUTY_ERROR : DUTY_OK;
}

static int finish(struct db *db, int rc)
{
	if (rc == DUTY_OK && db_commit(db) < 0)
		rc = DUTY_ERROR;
	if (rc != DUTY_OK)
		db_rollback(db);
	return rc;
}

int duty_swap_ask(struct db *db, const struct actor *who, int64_t asker_id, int64_t assignment_id, int64_t to_member_id,
		  int64_t other_shift_id, int64_t now, enum duty_swap_verdict *verdict, int64_t *id)
{
	struct duty_assignment mine;
	struct duty_shift ms, ts;
	struct db_stmt *st;
	int64_t other_assignment = 0;
	int rc;

	*verdict = SWAP_OK;
	if (db_begin(db) < 0)
		return DUTY_ERROR;
	rc = duty_assignment_get(db, assignment_id, &mine);
	if (rc == DUTY_OK && mine.member_id != asker_id)
		rc = DUTY_NOT_FOUND;
	if (rc == DUTY_OK && !live_before_start(&mine))
		rc = DUTY_STATE;
	if (rc == DUTY_OK)
		rc = duty_shift_get(db, mine.shift_id, &ms);
	if (rc == DUTY_OK && other_shift_id == mine.shift_id)
		rc = DUTY_NOT_FOUND; /* a place on one's own shift is no exchange */
	if (rc == DUTY_OK && other_shift_id) {
		rc = duty_shift_get(db, other_shift_id, &ts);
		if (rc == DUTY_OK) {
			st = db_prepare(db, "SELECT id FROM duty_assignment WHERE shift_id = ? AND member_id = ? AND (state "
					    "= 'signed' OR state = 'assigned')");
			db_bind_int(st, 1, other_shift_id);
			db_bind_int(st, 2, to_member_id);
			rc = db_step(st);
			if (rc == DB_ROW)
				other_assignment = db_col_int(st, 0);
			db_done(st);
			rc = rc == DB_ROW ? DUTY_OK : rc == DB_DONE ? DUTY_NOT_FOUND : DUTY_ERROR;
		}
	}
	if (rc == DUTY_OK) {
		st = db_prepare(db, "SELECT COUNT(*) FROM duty_swap WHERE assignment_id = ? AND (state = 'asked' OR "
				    "state = 'accepted')");
		db_bind_int(st, 1, assignment_id);
		rc = db_step(st) == DB_ROW ? (db_col_int(st, 0) ? DUTY_ALREADY : DUTY_OK) : DUTY_ERROR;
		db_done(st);
	}
	if (rc == DUTY_OK)
		rc = judge(db, asker_id, to_member_id, &ms, other_shift_id ? &ts : NULL, now, verdict);
	if (rc == DUTY_OK && *verdict != SWAP_OK)
		rc = DUTY_SWAP_RULE;
	if (rc == DUTY_OK) {
		st = db_prepare(db, "INSERT INTO duty_swap (assignment_id, to_member_id, other_assignment_id, state, "
				    "created_at, updated_at) VALUES (?, ?, ?, 'asked', ?, ?) RETURNING id");
		db_bind_int(st, 1, assignment_id);
		db_bind_int(st, 2, to_member_id);
		if (other_assignment)
			db_bind_int(st, 3, other_assignment);
		else
			db_bind_null(st, 3);
		db_bind_int(st, 4, now);
		db_bind_int(st, 5, now);
		rc = db_step(st) == DB_ROW ? DUTY_OK : DUTY_ERROR;
		if (rc == DUTY_OK)
			*id = db_col_int(st, 0);
		db_done(st);
	}
	if (rc == DUTY_OK)
		rc = audit(db, who, "duty.swap_ask", *id, ms.community_path);
	return finish(db, rc);
}

#define SWAP_COLUMNS                                                                                            \
	"w.id, w.assignment_id, w.to_member_id, COALESCE(w.other_assignment_id, 0), w.state, a.member_id, ma.name, " \
	"mt.name, a.shift_id, COALESCE(o.shift_id, 0), w.created_at, w.updated_at"
#define SWAP_FROM                                                                                              \
	" FROM duty_swap w JOIN duty_assignment a ON a.id = w.assignment_id JOIN member ma ON ma.id = a.member_id " \
	"JOIN member mt ON mt.id = w.to_member_id LEFT JOIN duty_assignment o ON o.id = w.other_assignment_id "

static int swap_row(struct db *db, struct db_stmt *st, struct duty_swap *w)
{
	int64_t mine_shift, their_shift;
	int rc = DUTY_OK;

	memset(w, 0, sizeof(*w));
	w->id = db_col_int(st, 0);
	w->assignment_id = db_col_int(st, 1);
	w->to_member_id = db_col_int(st, 2);
	w->other_assignment_id = db_col_int(st, 3);
	str_copy(w->state, sizeof(w->state), db_col_text(st, 4));
	w->asker_id = db_col_int(st, 5);
	str_copy(w->asker_name, sizeof(w->asker_name), db_col_text(st, 6));
	str_copy(w->to_name, sizeof(w->to_name), db_col_text(st, 7));
	mine_shift = db_col_int(st, 8);
	their_shift = db_col_int(st, 9);
	w->created_at = db_col_int(st, 10);
	w->updated_at = db_col_int(st, 11);
	(void)db;
	w->mine.id = mine_shift;
	w->theirs.id = their_shift;
	return rc;
}

/* Reads the rows of st into *items, then each one's shifts. */
static int swap_rows(struct db *db, struct db_stmt *st, struct duty_swap **items, size_t *n)
{
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		swap_row(db, st, &(*items)[(*n)++]);
	}
	db_done(st);
	rc = rc == DB_DONE ? DUTY_OK : DUTY_ERROR;
	for (size_t i = 0; rc == DUTY_OK && i < *n; i++) {
		struct duty_swap *w = &(*items)[i];

		rc = duty_shift_get(db, w->mine.id, &w->mine);
		if (rc == DUTY_OK && w->theirs.id)
			rc = duty_shift_get(db, w->theirs.id, &w->theirs);
	}
	if (rc != DUTY_OK) {
		free(*items);
		*items = NULL;
		*n = 0;
		return DUTY_ERROR;
	}
	return DUTY_OK;
}

int duty_swap_get(struct db *db, int64_t id, struct duty_swap *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " SWAP_COLUMNS SWAP_FROM "WHERE w.id = ?");
	struct duty_swap *items;
	size_t n;

	db_bind_int(st, 1, id);
	if (swap_rows(db, st, &items, &n) != DUTY_OK)
		return DUTY_ERROR;
	if (n)
		*out = items[0];
	free(items);
	return n ? DUTY_OK : DUTY_NOT_FOUND;
}

int duty_swap_list(struct db *db, const char *community_code, const char *state, struct duty_swap **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, state ? "SELECT " SWAP_COLUMNS SWAP_FROM
						   "JOIN duty_shift s ON s.id = a.shift_id JOIN duty_post p ON p.id = "
						   "s.post_id WHERE p.community_code = ? AND w.state = ? ORDER BY w.id LIMIT 500"
						 : "SELECT " SWAP_COLUMNS SWAP_FROM
						   "JOIN duty_shift s ON s.id = a.shift_id JOIN duty_post p ON p.id = "
						   "s.post_id WHERE p.community_code = ? AND (w.state = 'asked' OR w.state = "
						   "'accepted') ORDER BY w.id LIMIT 500");

	db_bind_text(st, 1, community_code);
	if (state)
		db_bind_text(st, 2, state);
	return swap_rows(db, st, items, n);
}

int duty_swap_mine(struct db *db, int64_t member_id, struct duty_swap **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " SWAP_COLUMNS SWAP_FROM
					    "WHERE a.member_id = ? OR w.to_member_id = ? ORDER BY w.id DESC LIMIT 50");

	db_bind_int(st, 1, member_id);
	db_bind_int(st, 2, member_id);
	return swap_rows(db, st, items, n);
}

/* Moves assignment id to member_id (state kept), inside the caller's transaction. */
static int hand_over(struct db *db, int64_t id, int64_t member_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "UPDATE duty_assignment SET member_id = ?, updated_at = ? WHERE id = ?");
	int rc;

	db_bind_int(st, 1, member_id);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? DUTY_OK : rc == DB_UNIQUE ? DUTY_ALREADY : DUTY_ERROR;
}

int duty_swap_step(struct db *db, const struct actor *who, int64_t id, enum duty_swap_step step, int64_t now,
		   enum duty_swap_verdict *verdict)
{
	static const char *const from[] = { "asked", "asked", NULL, "accepted", "accepted" };
	static const char *const to[] = { "accepted", "declined", "withdrawn", "approved", "refused" };
	static const char *const actions[] = { "duty.swap_accept", "duty.swap_decline", "duty.swap_withdraw",
					       "duty.swap_approve", "duty.swap_refuse" };
	struct duty_swap w;
	struct duty_assignment mine, theirs;
	struct db_stmt *st;
	int rc;

	*verdict = SWAP_OK;
	if (db_begin(db) < 0)
		return DUTY_ERROR;
	rc = duty_swap_get(db, id, &w);
	if (rc == DUTY_OK && from[step] && strcmp(w.state, from[step]))
		rc = DUTY_STATE;
	if (rc == DUTY_OK && !from[step] && strcmp(w.state, "asked") && strcmp(w.state, "accepted"))
		rc = DUTY_STATE;
	if (rc == DUTY_OK && (step == SWAP_ACCEPT || step == SWAP_APPROVE)) {
		rc = duty_assignment_get(db, w.assignment_id, &mine);
		if (rc == DUTY_OK && w.other_assignment_id)
			rc = duty_assignment_get(db, w.other_assignment_id, &theirs);
		if (rc == DUTY_OK && (!live_before_start(&mine) || mine.member_id != w.asker_id ||
				      (w.other_assignment_id &&
				       (!live_before_start(&theirs) || theirs.member_id != w.to_member_id))))
			rc = DUTY_STATE;
		if (rc == DUTY_OK)
			rc = judge(db, w.asker_id, w.to_member_id, &w.mine, w.other_assignment_id ? &w.theirs : NULL, now,
				   verdict);
		if (rc == DUTY_OK && *verdict != SWAP_OK)
			rc = DUTY_SWAP_RULE;
	}
	if (rc == DUTY_OK && step == SWAP_APPROVE) {
		rc = hand_over(db, w.assignment_id, w.to_member_id, now);
		if (rc == DUTY_OK && w.other_assignment_id)
			rc = hand_over(db, w.other_assignment_id, w.asker_id, now);
		if (rc == DUTY_OK) {
			/* Other open swaps of either assignment no longer hold. */
			st = db_prepare(db, "UPDATE duty_swap SET state = 'withdrawn', updated_at = ? WHERE id <> ? AND "
					    "(state = 'asked' OR state = 'accepted') AND (assignment_id IN (?, ?) OR "
					    "other_assignment_id IN (?, ?))");
			db_bind_int(st, 1, now);
			db_bind_int(st, 2, id);
			db_bind_int(st, 3, w.assignment_id);
			db_bind_int(st, 4, w.other_assignment_id);
			db_bind_int(st, 5, w.assignment_id);
			db_bind_int(st, 6, w.other_assignment_id);
			rc = db_step(st) == DB_DONE ? DUTY_OK : DUTY_ERROR;
			db_done(st);
		}
	}
	if (rc == DUTY_OK) {
		st = db_prepare(db, "UPDATE duty_swap SET state = ?, updated_at = ? WHERE id = ?");
		db_bind_text(st, 1, to[step]);
		db_bind_int(st, 2, now);
		db_bind_int(st, 3, id);
		rc = db_step(st) == DB_DONE ? DUTY_OK : DUTY_ERROR;
		db_done(st);
	}
	if (rc == DUTY_OK)
		rc = audit(db, who, actions[step], id, w.mine.community_path);
	return finish(db, rc);
}
