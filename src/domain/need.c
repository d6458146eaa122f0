/* need.c: a resident's need from submission to its rated close: each step one conditional write, its event, its audit */
#include "domain/need.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/need_row.h"
#include "domain/notify.h"
#include "domain/record.h"

const char *const need_steps[] = { "accept", "refuse", "dispatch", "take",  "answer",   "decline", "start",
				   "done",   "confirm", "reopen", "expire", "renew", "withdraw", "convert", NULL };

/* Each step: the states it leaves (NULL-terminated) and the state it reaches. */
static const struct {
	const char *from[6], *to;
} moves[NEED_STEP_COUNT] = {
	[NEED_ACCEPT] = { { "submitted" }, "accepted" },
	[NEED_REFUSE] = { { "submitted" }, "refused" },
	[NEED_DISPATCH] = { { "accepted", "dispatched" }, "dispatched" },
	[NEED_TAKE] = { { "accepted" }, "taken" },
	[NEED_ANSWER] = { { "dispatched" }, "taken" },
	[NEED_DECLINE] = { { "dispatched", "taken" }, "accepted" },
	[NEED_START] = { { "taken" }, "in_progress" },
	[NEED_DONE] = { { "taken", "in_progress" }, "done" },
	[NEED_CONFIRM] = { { "done" }, "closed" },
	[NEED_REOPEN] = { { "done" }, "in_progress" },
	[NEED_EXPIRE] = { { "submitted", "accepted" }, "expired" },
	[NEED_RENEW] = { { "expired" }, "accepted" },
	[NEED_WITHDRAW] = { { "submitted", "accepted", "dispatched" }, "withdrawn" },
	[NEED_CONVERT] = { { "submitted", "accepted", "dispatched", "taken", "in_progress" }, "converted" },
};

const char *need_next(const char *state, enum need_step step)
{
	if ((unsigned)step >= NEED_STEP_COUNT || !state)
		return NULL;
	for (size_t i = 0; moves[step].from[i]; i++)
		if (!strcmp(state, moves[step].from[i]))
			return moves[step].to;
	return NULL;
}

bool need_is_open(const char *state)
{
	return need_next(state, NEED_CONVERT) != NULL;
}

/* The first second of day y-m-d in China (UTC+8): days since 1970-01-01 by the civil calendar. */
static int64_t day_start(int y, int m, int d)
{
	const int64_t yy = m <= 2 ? y - 1 : y, era = yy / 400, yoe = yy - era * 400;
	const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (era * 146097 + doe - 719468) * 86400 - 8 * 3600;
}

const char *need_sla(const struct need *n, int64_t now, int64_t *due)
{
	const bool urgent = !strcmp(n->urgency, "urgent");
	const int64_t take = (int64_t)(urgent ? NEED_TAKE_HOURS_URGENT : NEED_TAKE_HOURS) * 3600;
	int64_t from = 0;
	int y, m, d;

	*due = 0;
	if (!strcmp(n->state, "submitted")) {
		from = n->created_at;
		*due = from + (int64_t)(urgent ? NEED_ACCEPT_HOURS_URGENT : NEED_ACCEPT_HOURS) * 3600;
	} else if (!strcmp(n->state, "accepted") || !strcmp(n->state, "dispatched")) {
		from = n->accepted_at ? n->accepted_at : n->created_at;
		*due = from + take;
	} else if (!strcmp(n->state, "taken") || !strcmp(n->state, "in_progress")) {
		from = n->taken_at ? n->taken_at : n->created_at;
		*due = from + take;
		if (n->wanted_on[0] && date_split(n->wanted_on, &y, &m, &d))
			*due = day_start(y, m, d) + 86400; /* the end of the day wanted */
	}
	if (!*due)
		return NULL;
	if (now >= *due)
		return "late";
	return (*due - now) * 4 < *due - from ? "soon" : "ok";
}

int need_get(struct db *db, int64_t id, struct need *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " NEED_COLUMNS NEED_FROM " WHERE n.id = ?");
	int rc;

	memset(out, 0, sizeof(*out));
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		need_read_row(st, out);
	db_done(st);
	return rc == DB_ROW ? NEED_OK : rc == DB_DONE ? NEED_NOT_FOUND : NEED_ERROR;
}

static void bind_id(struct db_stmt *st, int i, int64_t v)
{
	if (v)
		db_bind_int(st, i, v);
	else
		db_bind_null(st, i);
}

static int event(struct db *db, const struct actor *who, int64_t id, const char *kind, const char *state,
		 const char *note, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO need_event (need_id, kind, state, note, account_id, created_at) "
					    "VALUES (?, ?, ?, ?, ?, ?)");
	int rc;

	db_bind_int(st, 1, id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, state);
	db_bind_text(st, 4, note ? note : "");
	bind_id(st, 5, who->account_id);
	db_bind_int(st, 6, now);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int finish(struct db *db, int rc)
{
	if (rc != NEED_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? NEED_ERROR : NEED_OK;
}

/* The event (kind) and the audit entry (action) of a step, which took need id (in community path) to state. */
static int log_step(struct db *db, const struct actor *who, int64_t id, const char *kind, const char *action,
		    const char *state, const char *path, const char *note, int64_t now)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return event(db, who, id, kind, state, note, now) < 0 || audit_append(db, who, action, "need", idt, path, "ok") < 0
		       ? NEED_ERROR
		       : NEED_OK;
}

int need_insert(struct db *db, const struct actor *who, const struct need_input *in, int64_t *id)
{
	const int64_t now = clock_now();
	const bool urgent = !strcmp(in->urgency, "urgent");
	struct db_stmt *st;
	char path[PATH_MAX_LEN] = "";
	int rc;

	st = db_prepare(db, "INSERT INTO need (community_code, item_id, description, building_code, place, wanted_on, "
			    "wanted_part, urgency, contact_name, contact_phone, channel, requester_account_id, state, "
			    "expires_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			    "'submitted', ?, ?, ?, ?) RETURNING id, (SELECT path FROM region WHERE code = ?)");
	db_bind_text(st, 1, in->community_code);
	db_bind_int(st, 2, in->item_id);
	db_bind_text(st, 3, in->description);
	if (in->building_code && in->building_code[0])
		db_bind_text(st, 4, in->building_code);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, in->place ? in->place : "");
	if (in->wanted_on && in->wanted_on[0])
		db_bind_text(st, 6, in->wanted_on);
	else
		db_bind_null(st, 6);
	db_bind_text(st, 7, in->wanted_part ? in->wanted_part : "any");
	db_bind_text(st, 8, in->urgency);
	db_bind_text(st, 9, in->contact_name);
	db_bind_text(st, 10, in->contact_phone);
	db_bind_text(st, 11, in->channel);
	bind_id(st, 12, in->requester_account_id);
	db_bind_int(st, 13, now + (int64_t)(urgent ? NEED_DAYS_URGENT : NEED_DAYS) * 86400);
	bind_id(st, 14, who->account_id);
	db_bind_int(st, 15, now);
	db_bind_int(st, 16, now);
	db_bind_text(st, 17, in->community_code);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		str_copy(path, sizeof(path), db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? log_step(db, who, *id, "submit", "need.submit", "submitted", path, in->channel, now) : NEED_ERROR;
}

int need_create(struct db *db, const struct actor *who, const struct need_input *in, int64_t *id)
{
	if (db_begin(db) < 0)
		return NEED_ERROR;
	return finish(db, need_insert(db, who, in, id));
}

/* A value bound into a step's SET list: a number, a text, or NULL. */
struct val {
	enum { V_INT, V_TEXT, V_NULL } type;
	int64_t i;
	const char *s;
};
#define VI(x) ((struct val){ V_INT, (x), NULL })
#define VT(x) ((struct val){ V_TEXT, 0, (x) ? (x) : "" })
#define VN ((struct val){ V_NULL, 0, NULL })
#define VID(x) ((x) ? VI(x) : VN)

/*
 * Moves need id by step inside the caller's transaction: its state now must
 * allow step, and the UPDATE (state, updated_at, then sets with vals) holds
 * only while the state is still that one, so of two steps at the same moment
 * one wins and the other gets NEED_BAD_STATE. Logs the event (note) and audit (action).
 */
static int move_in(struct db *db, const struct actor *who, int64_t id, enum need_step step, const char *action,
		   const char *sets, const struct val *vals, size_t nvals, const char *note, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "SELECT n.state, r.path FROM need n JOIN region r ON r.code = n.community_code "
					    "WHERE n.id = ?");
	char state[12] = "", path[PATH_MAX_LEN] = "", sql[640];
	const char *to = NULL;
	int rc, k = 1;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(state, sizeof(state), db_col_text(st, 0));
		str_copy(path, sizeof(path), db_col_text(st, 1));
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? NEED_NOT_FOUND : NEED_ERROR;
	if (!(to = need_next(state, step)))
		return NEED_BAD_STATE;
	snprintf(sql, sizeof(sql), "UPDATE need SET state = ?, updated_at = ?%s%s WHERE id = ? AND state = ?",
		 sets ? ", " : "", sets ? sets : "");
	st = db_prepare(db, sql);
	db_bind_text(st, k++, to);
	db_bind_int(st, k++, now);
	for (size_t i = 0; i < nvals; i++, k++) {
		if (vals[i].type == V_INT)
			db_bind_int(st, k, vals[i].i);
		else if (vals[i].type == V_TEXT)
			db_bind_text(st, k, vals[i].s);
		else
			db_bind_null(st, k);
	}
	db_bind_int(st, k++, id);
	db_bind_text(st, k, state);
	rc = db_step(st) == DB_DONE ? NEED_OK : NEED_ERROR;
	db_done(st);
	if (rc == NEED_OK && db_changes(db) != 1)
		rc = NEED_BAD_STATE;
	return rc == NEED_OK ? log_step(db, who, id, need_steps[step], action, to, path, note, now) : rc;
}

static int move(struct db *db, const struct actor *who, int64_t id, enum need_step step, const char *action,
		const char *sets, const struct val *vals, size_t nvals, const char *note)
{
	if (db_begin(db) < 0)
		return NEED_ERROR;
	return finish(db, move_in(db, who, id, step, action, sets, vals, nvals, note, clock_now()));
}

int need_step(struct db *db, const struct actor *who, int64_t id, enum need_step step, const char *note)
{
	const int64_t now = clock_now();

	switch (step) {
	case NEED_ACCEPT:
		return move(db, who, id, step, "need.accept", "accepted_at = ?", (struct val[]){ VI(now) }, 1, "");
	case NEED_REFUSE:
		return move(db, who, id, step, "need.refuse", "state_reason = ?", (struct val[]){ VT(note) }, 1, note);
	case NEED_WITHDRAW:
		return move(db, who, id, step, "need.withdraw", "state_reason = ?", (struct val[]){ VT(note) }, 1, note);
	case NEED_START:
		return move(db, who, id, step, "need.start", NULL, NULL, 0, "");
	case NEED_RENEW:
		return move(db, who, id, step, "need.renew", "expires_at = ?, state_reason = ''",
			    (struct val[]){ VI(now + (int64_t)NEED_DAYS * 86400) }, 1, "");
	default:
		return NEED_ERROR; /* the others have functions of their own */
	}
}

#define HOLDER_SETS                                                                                          \
	"assignee_kind = ?, assignee_member_id = ?, assignee_team_id = ?, assignee_unit_id = ?, "          \
	"assignee_account_id = ?, assignee_name = ?"
#define HOLDER_VALS(h) VT((h)->kind), VID((h)->member_id), VID((h)->team_id), VID((h)->unit_id), VID((h)->account_id), \
		       VT((h)->name)

int need_dispatch(struct db *db, const struct actor *who, int64_t id, const struct need_holder *h)
{
	const int64_t now = clock_now();
	int rc;

	if (db_begin(db) < 0)
		return NEED_ERROR;
	rc = move_in(db, who, id, NEED_DISPATCH, "need.dispatch", HOLDER_SETS ", dispatched_at = ?, taken_at = NULL",
		     (struct val[]){ HOLDER_VALS(h), VI(now) }, 7, h->name, now);
	if (rc == NEED_OK && notify_task_dispatched(db, id, h->account_id, now) < 0)
		rc = NEED_ERROR;
	return finish(db, rc);
}

int need_take(struct db *db, const struct actor *who, int64_t id, const struct need_holder *h, char *taken_by,
	      size_t size)
{
	struct need *n;
	int rc = move(db, who, id, NEED_TAKE, "need.take", HOLDER_SETS ", dispatched_at = NULL, taken_at = ?",
		      (struct val[]){ HOLDER_VALS(h), VI(clock_now()) }, 7, h->name);

	taken_by[0] = '\0';
	if (rc != NEED_BAD_STATE)
		return rc;
	/* Someone moved it first: the loser learns who holds it, if anyone does. */
	n = xmalloc(sizeof(*n));
	if (need_get(db, id, n) == NEED_OK && n->assignee_name[0]) {
		str_copy(taken_by, size, n->assignee_name);
		rc = NEED_TAKEN;
	}
	free(n);
	return rc;
}

int need_answer(struct db *db, const struct actor *who, int64_t id, int64_t account_id)
{
	return move(db, who, id, NEED_ANSWER, "need.answer", "assignee_account_id = ?, taken_at = ?",
		    (struct val[]){ VI(account_id), VI(clock_now()) }, 2, "");
}

int need_decline(struct db *db, const struct actor *who, int64_t id, const char *reason)
{
	return move(db, who, id, NEED_DECLINE, "need.decline",
		    "assignee_kind = NULL, assignee_member_id = NULL, assignee_team_id = NULL, assignee_unit_id = NULL, "
		    "assignee_account_id = NULL, assignee_name = '', dispatched_at = NULL, taken_at = NULL, "
		    "state_reason = ?",
		    (struct val[]){ VT(reason) }, 1, reason);
}

int need_done(struct db *db, const struct actor *who, int64_t id, const char *note, int64_t minutes,
	      const char *const *names, const char *const *values, size_t n, struct field_errors *errs)
{
	struct catalog_item *it = xmalloc(sizeof(*it));
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0) {
		free(it);
		return NEED_ERROR;
	}
	st = db_prepare(db, "SELECT item_id FROM need WHERE id = ?");
	db_bind_int(st, 1, id);
	rc = db_step(st);
	rc = rc == DB_ROW ? (catalog_item_get(db, db_col_int(st, 0), it) == CATALOG_OK ? NEED_OK : NEED_ERROR)
			  : rc == DB_DONE ? NEED_NOT_FOUND : NEED_ERROR;
	db_done(st);
	if (rc == NEED_OK) {
		catalog_check_values(it, names, values, n, errs);
		if (errs->n)
			rc = NEED_INVALID;
	}
	free(it);
	if (rc == NEED_OK)
		rc = move_in(db, who, id, NEED_DONE, "need.done", "done_note = ?, minutes = ?, done_at = ?",
			     (struct val[]){ VT(note), VI(minutes), VI(clock_now()) }, 3, "", clock_now());
	if (rc == NEED_OK) {
		st = db_prepare(db, "DELETE FROM need_value WHERE need_id = ?");
		db_bind_int(st, 1, id);
		rc = db_step(st) == DB_DONE ? NEED_OK : NEED_ERROR;
		db_done(st);
	}
	for (size_t i = 0; rc == NEED_OK && i < n; i++) {
		st = db_prepare(db, "INSERT INTO need_value (need_id, name, value) VALUES (?, ?, ?)");
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, names[i]);
		db_bind_text(st, 3, values[i]);
		rc = db_step(st) == DB_DONE ? NEED_OK : NEED_ERROR;
		db_done(st);
	}
	return finish(db, rc);
}

int need_reopen(struct db *db, const struct actor *who, int64_t id, const char *reason)
{
	return move(db, who, id, NEED_REOPEN, "need.reopen", "state_reason = ?, done_at = NULL",
		    (struct val[]){ VT(reason) }, 1, reason);
}

/* The confirmed record of the member who served n (none for a unit: *record_id 0), inside the caller's transaction. */
static int serve_record(struct db *db, const struct actor *who, const struct need *n, struct field_errors *errs,
			int64_t *record_id)
{
	struct record_input in = { 0 };
	struct db_stmt *st;
	char **names = NULL, **values = NULL;
	size_t nv = 0;
	int rc;

	*record_id = 0;
	if (!n->assignee_member_id)
		return NEED_OK;
	st = db_prepare(db, "SELECT name, value FROM need_value WHERE need_id = ? ORDER BY id");
	db_bind_int(st, 1, n->id);
	while (db_step(st) == DB_ROW && nv < CATALOG_FIELDS_MAX) {
		names = xrealloc(names, (nv + 1) * sizeof(*names));
		values = xrealloc(values, (nv + 1) * sizeof(*values));
		names[nv] = xstrdup(db_col_text(st, 0));
		values[nv++] = xstrdup(db_col_text(st, 1));
	}
	db_done(st);
	in.nfields = nv;
	in.field_names = (const char *const *)names;
	in.field_values = (const char *const *)values;
	in.member_id = n->assignee_member_id;
	in.item_id = n->item_id;
	in.source = SOURCE_NEED;
	in.origin_id = n->id;
	in.minutes = n->minutes;
	in.started_at = n->done_at - n->minutes * 60;
	in.place = n->place[0] ? n->place : n->building_name[0] ? n->building_name : n->community_name;
	in.content = n->done_note[0] ? n->done_note : n->description;
	rc = record_add(db, who, &in, errs, record_id);
	if (rc == RECORD_OK)
		rc = record_confirm_in(db, who, *record_id, NULL);
	for (size_t i = 0; i < nv; i++) {
		free(names[i]);
		free(values[i]);
	}
	free(names);
	free(values);
	if (rc == RECORD_OK)
		return NEED_OK;
	if (rc == RECORD_ERROR)
		return NEED_ERROR;
	if (!errs->n)
		field_errors_add(errs, "record", rc == RECORD_OVERLAP ? "overlap" : "refused",
				 rc == RECORD_OVERLAP ? "该党员同一时间已有其他服务记录，请社区核实后确认"
						      : "无法为该党员登记服务记录，请社区核实后确认");
	return NEED_RECORD;
}

int need_confirm(struct db *db, const struct actor *who, int64_t id, int rating, const char *comment,
		 struct field_errors *errs)
{
	const int64_t now = clock_now();
	struct need *n = xmalloc(sizeof(*n));
	int64_t record_id = 0;
	int rc;

	if (db_begin(db) < 0) {
		free(n);
		return NEED_ERROR;
	}
	rc = need_get(db, id, n);
	if (rc == NEED_OK && n->rating)
		rc = NEED_RATED;
	else if (rc == NEED_OK && !need_next(n->state, NEED_CONFIRM))
		rc = NEED_BAD_STATE;
	if (rc == NEED_OK)
		rc = serve_record(db, who, n, errs, &record_id);
	if (rc == NEED_OK)
		rc = move_in(db, who, id, NEED_CONFIRM, "need.confirm",
			     "rating = ?, rating_comment = ?, closed_at = ?, record_id = ?",
			     (struct val[]){ VI(rating), VT(comment), VI(now), VID(record_id) }, 4, "", now);
	free(n);
	return finish(db, rc);
}

int need_convert(struct db *db, const struct actor *who, int64_t id, int64_t project_id)
{
	const int64_t now = clock_now();
	struct db_stmt *st;
	char note[24];
	int rc;

	if (db_begin(db) < 0)
		return NEED_ERROR;
	snprintf(note, sizeof(note), "%" PRId64, project_id);
	rc = move_in(db, who, id, NEED_CONVERT, "need.convert", "project_id = ?", (struct val[]){ VI(project_id) }, 1,
		     note, now);
	if (rc == NEED_OK) {
		st = db_prepare(db, "INSERT INTO project_link (project_id, kind, ref_id, created_at) VALUES (?, 'need', ?, ?)");
		db_bind_int(st, 1, project_id);
		db_bind_int(st, 2, id);
		db_bind_int(st, 3, now);
		rc = db_step(st) == DB_DONE ? NEED_OK : NEED_ERROR;
		db_done(st);
	}
	return finish(db, rc);
}

int need_expire_due(struct db *db, const struct actor *who, int64_t now, int64_t *count)
{
	struct db_stmt *st;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc = NEED_OK;

	*count = 0;
	if (db_begin(db) < 0)
		return NEED_ERROR;
	st = db_prepare(db, "SELECT id FROM need WHERE (state = 'submitted' OR state = 'accepted') AND expires_at <= ? "
			    "ORDER BY id");
	db_bind_int(st, 1, now);
	while (db_step(st) == DB_ROW) {
		if (n == cap)
			ids = xrealloc(ids, (cap = cap ? cap * 2 : 64) * sizeof(*ids));
		ids[n++] = db_col_int(st, 0);
	}
	db_done(st);
	for (size_t i = 0; i < n && rc == NEED_OK; i++)
		rc = move_in(db, who, ids[i], NEED_EXPIRE, "need.expire", NULL, NULL, 0, "", now);
	free(ids);
	if (rc == NEED_OK)
		*count = (int64_t)n;
	return finish(db, rc);
}
