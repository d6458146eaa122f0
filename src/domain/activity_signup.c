/* activity_signup.c: sign-ups decided inside one write transaction: places, the waiting list in order, leave */
#include "domain/activity_signup.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/listing.h"
#include "domain/notify.h"

int activity_member_of(struct db *db, int64_t account_id, struct activity_member *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, name, COALESCE(community_code, ''), state = 'approved' "
					    "FROM member WHERE account_id = ?");
	int rc;

	memset(out, 0, sizeof(*out));
	db_bind_int(st, 1, account_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		str_copy(out->name, sizeof(out->name), db_col_text(st, 1));
		str_copy(out->community_code, sizeof(out->community_code), db_col_text(st, 2));
		out->approved = db_col_int(st, 3) != 0 && out->community_code[0];
	}
	db_done(st);
	return rc == DB_ROW ? ACTIVITY_OK : rc == DB_DONE ? ACTIVITY_NOT_FOUND : ACTIVITY_ERROR;
}

#define COLUMNS                                                                                                   \
	"s.id, s.activity_id, s.member_id, m.name, m.phone, COALESCE(u.name, ''), s.state, s.seq, CASE WHEN "        \
	"s.state = 'waiting' THEN (SELECT COUNT(*) FROM signup w WHERE w.activity_id = s.activity_id AND w.state = " \
	"'waiting' AND w.seq <= s.seq) ELSE 0 END, s.leave, s.leave_reason, s.leave_answer, "                        \
	"COALESCE(s.checkin_at, 0), COALESCE(s.checkout_at, 0), COALESCE(s.checkin_by, ''), "                       \
	"COALESCE(s.checkout_by, ''), s.until_end, s.created_at, s.updated_at, COALESCE(g.id, 0), "                  \
	"COALESCE(g.minutes, 0), COALESCE(g.state, '')"
#define FROM                                                                                                      \
	" FROM signup s JOIN member m ON m.id = s.member_id LEFT JOIN unit u ON u.id = m.unit_id LEFT JOIN record " \
	"g ON g.activity_id = s.activity_id AND g.member_id = s.member_id AND g.source = 'activity'"

static void read_row(struct db_stmt *st, int k, struct activity_signup *s)
{
	memset(s, 0, sizeof(*s));
	s->id = db_col_int(st, k++);
	s->activity_id = db_col_int(st, k++);
	s->member_id = db_col_int(st, k++);
	str_copy(s->member_name, sizeof(s->member_name), db_col_text(st, k++));
	str_copy(s->member_phone, sizeof(s->member_phone), db_col_text(st, k++));
	str_copy(s->unit_name, sizeof(s->unit_name), db_col_text(st, k++));
	str_copy(s->state, sizeof(s->state), db_col_text(st, k++));
	s->seq = db_col_int(st, k++);
	s->position = db_col_int(st, k++);
	str_copy(s->leave, sizeof(s->leave), db_col_text(st, k++));
	str_copy(s->leave_reason, sizeof(s->leave_reason), db_col_text(st, k++));
	str_copy(s->leave_answer, sizeof(s->leave_answer), db_col_text(st, k++));
	s->checkin_at = db_col_int(st, k++);
	s->checkout_at = db_col_int(st, k++);
	str_copy(s->checkin_by, sizeof(s->checkin_by), db_col_text(st, k++));
	str_copy(s->checkout_by, sizeof(s->checkout_by), db_col_text(st, k++));
	s->until_end = db_col_int(st, k++) != 0;
	s->created_at = db_col_int(st, k++);
	s->updated_at = db_col_int(st, k++);
	s->record_id = db_col_int(st, k++);
	s->record_minutes = db_col_int(st, k++);
	str_copy(s->record_state, sizeof(s->record_state), db_col_text(st, k));
}

/* One sign-up by sql (a whole row, bound to a and, when not 0, b). */
static int get_one(struct db *db, const char *sql, int64_t a, int64_t b, struct activity_signup *out)
{
	struct db_stmt *st = db_prepare(db, sql);
	int rc;

	db_bind_int(st, 1, a);
	if (b)
		db_bind_int(st, 2, b);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, 0, out);
	db_done(st);
	return rc == DB_ROW ? ACTIVITY_OK : rc == DB_DONE ? ACTIVITY_NOT_FOUND : ACTIVITY_ERROR;
}

int activity_signup_get(struct db *db, int64_t id, struct activity_signup *out)
{
	return get_one(db, "SELECT " COLUMNS FROM " WHERE s.id = ?", id, 0, out);
}

int activity_signup_find(struct db *db, int64_t activity_id, int64_t member_id, struct activity_signup *out)
{
	return get_one(db, "SELECT " COLUMNS FROM " WHERE s.activity_id = ? AND s.member_id = ? AND s.state <> 'cancelled'",
		       activity_id, member_id, out);
}

int activity_signup_event(struct db *db, const struct actor *who, int64_t signup_id, int64_t member_id,
			  const char *event, const char *note, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO signup_event (signup_id, member_id, at, account_id, event, "
					    "note) VALUES (?, ?, ?, ?, ?, ?)");
	int rc;

	db_bind_int(st, 1, signup_id);
	db_bind_int(st, 2, member_id);
	db_bind_int(st, 3, now);
	if (who->account_id)
		db_bind_int(st, 4, who->account_id);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, event);
	db_bind_text(st, 6, note ? note : "");
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int activity_signup_audit(struct db *db, const struct actor *who, const char *action, int64_t signup_id,
			  const char *path, const char *detail)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, signup_id);
	return audit_append_detail(db, who, action, "activity_signup", idt, path, "ok", detail ? detail : "");
}

int activity_signup_tell_all(struct db *db, const struct actor *who, int64_t activity_id, const char *event,
			     const char *note, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO signup_event (signup_id, member_id, at, account_id, event, "
					    "note) SELECT id, member_id, ?, ?, ?, ? FROM signup WHERE activity_id = ? "
					    "AND state IN ('signed', 'waiting')");
	int rc;

	db_bind_int(st, 1, now);
	if (who->account_id)
		db_bind_int(st, 2, who->account_id);
	else
		db_bind_null(st, 2);
	db_bind_text(st, 3, event);
	db_bind_text(st, 4, note ? note : "");
	db_bind_int(st, 5, activity_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* How many of the activity's sign-ups are in state. */
static int64_t count_state(struct db *db, int64_t activity_id, const char *state)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM signup WHERE activity_id = ? AND state = ?");
	int64_t n = -1;

	db_bind_int(st, 1, activity_id);
	db_bind_text(st, 2, state);
	if (db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_done(st);
	return n;
}

/* Sets sign-up id's state (from the state it had, from), inside the caller's transaction. */
static int set_state(struct db *db, int64_t id, const char *from, const char *to, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "UPDATE signup SET state = ?, updated_at = ? WHERE id = ? AND state = ?");
	int rc;

	db_bind_text(st, 1, to);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, id);
	db_bind_text(st, 4, from);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE && db_changes(db) == 1 ? 0 : -1;
}

int activity_signup_promote(struct db *db, const struct actor *who, int64_t activity_id, int64_t now)
{
	struct activity a;
	int64_t free_places, id, member;
	struct db_stmt *st;
	int rc;

	if (activity_get(db, activity_id, &a) != ACTIVITY_OK)
		return -1;
	for (free_places = a.capacity - a.signed_count; free_places > 0; free_places--) {
		st = db_prepare(db, "SELECT id, member_id FROM signup WHERE activity_id = ? AND state = 'waiting' "
				    "ORDER BY seq LIMIT 1");
		db_bind_int(st, 1, activity_id);
		rc = db_step(st);
		id = rc == DB_ROW ? db_col_int(st, 0) : 0;
		member = rc == DB_ROW ? db_col_int(st, 1) : 0;
		db_done(st);
		if (rc == DB_DONE)
			return 0;
		if (rc != DB_ROW || set_state(db, id, "waiting", "signed", now) < 0 ||
		    activity_signup_event(db, who, id, member, "promoted", NULL, now) < 0 ||
		    activity_signup_audit(db, who, "activity.promote", id, a.community_path, NULL) < 0 ||
		    notify_signup(db, NOTIFY_SIGNUP_PROMOTED, member, activity_id, a.title, now) < 0)
			return -1;
	}
	return 0;
}

/* Ends a transaction: commits when the body succeeded, rolls back otherwise. */
static int finish(struct db *db, int rc)
{
	if (rc != ACTIVITY_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? ACTIVITY_ERROR : ACTIVITY_OK;
}

/* Whether member_id may sign up for a at now: approved, in its audience. */
static int member_fits(struct db *db, const struct activity *a, int64_t member_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT COALESCE(community_code, ''), state = 'approved' FROM member "
					    "WHERE id = ?");
	char code[24] = "";
	bool approved = false;
	int rc;

	db_bind_int(st, 1, member_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(code, sizeof(code), db_col_text(st, 0));
		approved = db_col_int(st, 1) != 0;
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? ACTIVITY_NOT_APPROVED : ACTIVITY_ERROR;
	if (!approved || !code[0])
		return ACTIVITY_NOT_APPROVED;
	return activity_open_to(a, code) ? ACTIVITY_OK : ACTIVITY_NOT_OPEN;
}

static int add_in(struct db *db, const struct actor *who, int64_t activity_id, int64_t member_id, bool by_staff,
		  int64_t now, struct activity_signup *out)
{
	const char *state;
	struct activity a;
	struct db_stmt *st;
	int64_t id = 0, waiting;
	int rc = activity_get(db, activity_id, &a);

	if (rc != ACTIVITY_OK)
		return rc;
	if (strcmp(a.state, "published"))
		return ACTIVITY_BAD_STATE;
	if (now >= a.ends_at)
		return ACTIVITY_ENDED;
	if (!by_staff && now > a.signup_deadline)
		return ACTIVITY_DEADLINE;
	if ((rc = member_fits(db, &a, member_id)) != ACTIVITY_OK)
		return rc;
	rc = activity_signup_find(db, activity_id, member_id, out);
	if (rc != ACTIVITY_NOT_FOUND)
		return rc == ACTIVITY_OK ? ACTIVITY_ALREADY : rc;
	/* Decided here, inside the write transaction: a place while there is one, then the waiting list. */
	if (a.signed_count < a.capacity) {
		state = "signed";
	} else {
		waiting = count_state(db, activity_id, "waiting");
		if (waiting < 0)
			return ACTIVITY_ERROR;
		if (waiting >= ACTIVITY_WAITING_MAX)
			return ACTIVITY_FULL;
		state = "waiting";
	}
	st = db_prepare(db, "INSERT INTO signup (activity_id, member_id, state, seq, created_at, updated_at) VALUES "
			    "(?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM signup WHERE activity_id = ?), ?, ?) "
			    "RETURNING id");
	db_bind_int(st, 1, activity_id);
	db_bind_int(st, 2, member_id);
	db_bind_text(st, 3, state);
	db_bind_int(st, 4, activity_id);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_UNIQUE ? ACTIVITY_ALREADY : ACTIVITY_ERROR;
	if (activity_signup_event(db, who, id, member_id, state, by_staff ? "staff" : NULL, now) < 0 ||
	    activity_touch(db, activity_id, now) < 0 ||
	    activity_signup_audit(db, who, "activity.signup", id, a.community_path, state) < 0 ||
	    (!strcmp(state, "signed") &&
	     notify_signup(db, NOTIFY_SIGNUP_CONFIRMED, member_id, activity_id, a.title, now) < 0))
		return ACTIVITY_ERROR;
	return activity_signup_get(db, id, out);
}

int activity_signup_add(struct db *db, const struct actor *who, int64_t activity_id, int64_t member_id,
			bool by_staff, int64_t now, struct activity_signup *out)
{
	if (db_begin(db) < 0)
		return ACTIVITY_ERROR;
	return finish(db, add_in(db, who, activity_id, member_id, by_staff, now, out));
}

/* Takes sign-up s off: cancelled, told event (with note), and a freed place goes to the waiting list. */
static int take_off(struct db *db, const struct actor *who, const struct activity *a, const struct activity_signup *s,
		    const char *event, const char *note, int64_t now)
{
	if (set_state(db, s->id, s->state, "cancelled", now) < 0 ||
	    activity_signup_event(db, who, s->id, s->member_id, event, note, now) < 0 ||
	    (!strcmp(s->state, "signed") && activity_signup_promote(db, who, a->id, now) < 0) ||
	    activity_touch(db, a->id, now) < 0 ||
	    activity_signup_audit(db, who, "activity.unsign", s->id, a->community_path, note ? note : event) < 0)
		return ACTIVITY_ERROR;
	return ACTIVITY_OK;
}

/* The activity and the member's live sign-up of it, while it is published and not over: what a member changes. */
static int live_signup(struct db *db, int64_t activity_id, int64_t member_id, int64_t now, struct activity *a,
		       struct activity_signup *s)
{
	int rc = activity_get(db, activity_id, a);

	if (rc != ACTIVITY_OK)
		return rc;
	if ((rc = activity_signup_find(db, activity_id, member_id, s)) != ACTIVITY_OK)
		return rc == ACTIVITY_NOT_FOUND ? ACTIVITY_NOT_SIGNED : rc;
	if (strcmp(a->state, "published"))
		return ACTIVITY_BAD_STATE;
	return now >= a->ends_at ? ACTIVITY_ENDED : ACTIVITY_OK;
}

static int cancel_in(struct db *db, const struct actor *who, int64_t activity_id, int64_t member_id, int64_t now)
{
	struct activity_signup s;
	struct activity a;
	int rc = live_signup(db, activity_id, member_id, now, &a, &s);

	if (rc != ACTIVITY_OK)
		return rc;
	if (!strcmp(s.state, "signed") && now > a.signup_deadline)
		return ACTIVITY_DEADLINE;
	return take_off(db, who, &a, &s, "cancelled", NULL, now);
}

int activity_signup_cancel(struct db *db, const struct actor *who, int64_t activity_id, int64_t member_id,
			   int64_t now)
{
	if (db_begin(db) < 0)
		return ACTIVITY_ERROR;
	return finish(db, cancel_in(db, who, activity_id, member_id, now));
}

static int remove_in(struct db *db, const struct actor *who, int64_t id, const char *reason, int64_t now)
{
	struct activity_signup s;
	struct activity a;
	int rc = activity_signup_get(db, id, &s);

	if (rc != ACTIVITY_OK || (rc = activity_get(db, s.activity_id, &a)) != ACTIVITY_OK)
		return rc;
	if (strcmp(a.state, "published") || !strcmp(s.state, "cancelled"))
		return ACTIVITY_BAD_STATE;
	return take_off(db, who, &a, &s, "removed", reason, now);
}

int activity_signup_remove(struct db *db, const struct actor *who, int64_t id, const char *reason, int64_t now)
{
	if (db_begin(db) < 0)
		return ACTIVITY_ERROR;
	return finish(db, remove_in(db, who, id, reason, now));
}

/* Writes sign-up id's leave (from the state it had) with its reason or answer. */
static int set_leave(struct db *db, int64_t id, const char *from, const char *to, const char *column, const char *text,
		     int64_t now)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	int rc;

	buf_addf(&sql, "UPDATE signup SET leave = ?, %s = ?, updated_at = ? WHERE id = ? AND leave = ?", column);
	st = db_prepare(db, sql.data);
	db_bind_text(st, 1, to);
	db_bind_text(st, 2, text ? text : "");
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, id);
	db_bind_text(st, 5, from);
	rc = db_step(st);
	db_done(st);
	buf_release(&sql);
	return rc == DB_DONE && db_changes(db) == 1 ? 0 : -1;
}

static int leave_in(struct db *db, const struct actor *who, int64_t activity_id, int64_t member_id,
		    const char *reason, int64_t now)
{
	struct activity_signup s;
	struct activity a;
	int rc = live_signup(db, activity_id, member_id, now, &a, &s);

	if (rc != ACTIVITY_OK)
		return rc;
	if (strcmp(s.state, "signed"))
		return ACTIVITY_NOT_SIGNED;
	if (!strcmp(s.leave, "asked") || !strcmp(s.leave, "approved"))
		return ACTIVITY_LEAVE_STATE;
	if (set_leave(db, s.id, s.leave, "asked", "leave_reason", reason, now) < 0 ||
	    activity_signup_event(db, who, s.id, member_id, "leave_asked", reason, now) < 0 ||
	    activity_touch(db, activity_id, now) < 0 ||
	    activity_signup_audit(db, who, "activity.leave", s.id, a.community_path, reason) < 0)
		return ACTIVITY_ERROR;
	return ACTIVITY_OK;
}

int activity_signup_leave(struct db *db, const struct actor *who, int64_t activity_id, int64_t member_id,
			  const char *reason, int64_t now)
{
	if (db_begin(db) < 0)
		return ACTIVITY_ERROR;
	return finish(db, leave_in(db, who, activity_id, member_id, reason, now));
}

static int decide_in(struct db *db, const struct actor *who, int64_t id, bool approve, const char *answer,
		     int64_t now)
{
	const char *to = approve ? "approved" : "refused";
	struct activity_signup s;
	struct activity a;
	char event[24];
	int rc = activity_signup_get(db, id, &s);

	if (rc != ACTIVITY_OK || (rc = activity_get(db, s.activity_id, &a)) != ACTIVITY_OK)
		return rc;
	if (strcmp(a.state, "published"))
		return ACTIVITY_BAD_STATE;
	if (strcmp(s.leave, "asked") || strcmp(s.state, "signed"))
		return ACTIVITY_LEAVE_STATE;
	snprintf(event, sizeof(event), "leave_%s", to);
	if (set_leave(db, id, "asked", to, "leave_answer", answer, now) < 0 ||
	    activity_signup_event(db, who, id, s.member_id, event, answer, now) < 0 ||
	    activity_touch(db, a.id, now) < 0)
		return ACTIVITY_ERROR;
	/* One literal action per call: the console's vocabulary check reads them off the source. */
	rc = approve ? activity_signup_audit(db, who, "activity.leave_approve", id, a.community_path, answer)
		     : activity_signup_audit(db, who, "activity.leave_refuse", id, a.community_path, answer);
	return rc < 0 ? ACTIVITY_ERROR : ACTIVITY_OK;
}

int activity_signup_decide(struct db *db, const struct actor *who, int64_t id, bool approve, const char *answer,
			   int64_t now)
{
	if (db_begin(db) < 0)
		return ACTIVITY_ERROR;
	return finish(db, decide_in(db, who, id, approve, answer, now));
}

int activity_signup_list(struct db *db, int64_t activity_id, const char *state, int64_t page, int64_t per_page,
			 struct activity_signup **items, size_t *n, int64_t *total)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	size_t cap;
	int rc;

	*items = NULL;
	*n = 0;
	*total = 0;
	buf_addstr(&sql, "SELECT COUNT(*) FROM signup s WHERE s.activity_id = ?");
	if (state)
		buf_addstr(&sql, " AND s.state = ?");
	st = db_prepare(db, sql.data);
	db_bind_int(st, 1, activity_id);
	if (state)
		db_bind_text(st, 2, state);
	rc = db_step(st);
	if (rc == DB_ROW)
		*total = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		goto out;
	buf_reset(&sql);
	buf_addstr(&sql, "SELECT " COLUMNS FROM " WHERE s.activity_id = ?");
	buf_addstr(&sql, state ? " AND s.state = ?" : " AND ? IS NULL");
	buf_addstr(&sql, " ORDER BY CASE s.state WHEN 'signed' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END, s.seq "
			 "LIMIT ? OFFSET ?");
	cap = per_page ? (size_t)per_page : (size_t)*total;
	st = db_prepare(db, sql.data);
	db_bind_int(st, 1, activity_id);
	db_bind_text(st, 2, state);
	db_bind_int(st, 3, (int64_t)cap);
	db_bind_int(st, 4, per_page ? (page - 1) * per_page : 0);
	*items = xcalloc(cap ? cap : 1, sizeof(**items));
	while ((rc = db_step(st)) == DB_ROW && *n < cap)
		read_row(st, 0, &(*items)[(*n)++]);
	db_done(st);
out:
	buf_release(&sql);
	if (rc != DB_DONE && rc != DB_ROW) {
		free(*items);
		*items = NULL;
		*n = 0;
		return ACTIVITY_ERROR;
	}
	return ACTIVITY_OK;
}

int activity_signup_events(struct db *db, int64_t signup_id, struct activity_signup_event **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, signup_id, at, event, note FROM signup_event WHERE signup_id = ? "
					    "ORDER BY id LIMIT 100");
	int rc;

	*items = xcalloc(100, sizeof(**items));
	*n = 0;
	db_bind_int(st, 1, signup_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct activity_signup_event *e = &(*items)[(*n)++];

		e->id = db_col_int(st, 0);
		e->signup_id = db_col_int(st, 1);
		e->at = db_col_int(st, 2);
		str_copy(e->event, sizeof(e->event), db_col_text(st, 3));
		str_copy(e->note, sizeof(e->note), db_col_text(st, 4));
	}
	db_done(st);
	return rc == DB_DONE ? ACTIVITY_OK : ACTIVITY_ERROR;
}

/* The latest event of sign-up id into e (left empty when there is none). */
static int latest_event(struct db *db, int64_t id, struct activity_signup_event *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, at, event, note FROM signup_event WHERE signup_id = ? "
					    "ORDER BY id DESC LIMIT 1");
	int rc;

	memset(e, 0, sizeof(*e));
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		e->id = db_col_int(st, 0);
		e->signup_id = id;
		e->at = db_col_int(st, 1);
		str_copy(e->event, sizeof(e->event), db_col_text(st, 2));
		str_copy(e->note, sizeof(e->note), db_col_text(st, 3));
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

int activity_signup_mine(struct db *db, int64_t member_id, int64_t page, int64_t per_page,
			 struct activity_signup_mine **items, size_t *n, int64_t *total)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM signup WHERE member_id = ?");
	int64_t ids[PAGE_SIZE_MAX];
	size_t k = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, member_id);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return ACTIVITY_ERROR;
	st = db_prepare(db, "SELECT id FROM signup WHERE member_id = ? ORDER BY id DESC LIMIT ? OFFSET ?");
	db_bind_int(st, 1, member_id);
	db_bind_int(st, 2, per_page < PAGE_SIZE_MAX ? per_page : PAGE_SIZE_MAX);
	db_bind_int(st, 3, (page - 1) * per_page);
	while ((rc = db_step(st)) == DB_ROW)
		ids[k++] = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_DONE)
		return ACTIVITY_ERROR;
	*items = xcalloc(k ? k : 1, sizeof(**items));
	for (size_t i = 0; i < k; i++) {
		struct activity_signup_mine *m = &(*items)[i];

		if (activity_signup_get(db, ids[i], &m->signup) != ACTIVITY_OK ||
		    activity_get(db, m->signup.activity_id, &m->activity) != ACTIVITY_OK ||
		    latest_event(db, ids[i], &m->latest) < 0) {
			free(*items);
			*items = NULL;
			return ACTIVITY_ERROR;
		}
		(*n)++;
	}
	return ACTIVITY_OK;
}
