/* case.c: a case from its report to its close: each step one conditional write, its event, its audit, one transaction */
#include "domain/case.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/case_row.h"
#include "domain/member.h"
#include "domain/record.h"

/* --- the calendar and the categories -------------------------------------------------------------------- */

int case_days_load(struct db *db, struct case_days *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT day, kind FROM case_calendar ORDER BY day");
	size_t caph = 0, capw = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	while ((rc = db_step(st)) == DB_ROW && out->nholidays + out->nworkdays < CASE_CALENDAR_MAX) {
		const bool holiday = !strcmp(db_col_text(st, 1), "holiday");
		char(**arr)[11] = holiday ? &out->holidays : &out->workdays;
		size_t *n = holiday ? &out->nholidays : &out->nworkdays, *cap = holiday ? &caph : &capw;

		if (*n == *cap)
			*arr = xrealloc(*arr, (*cap = *cap ? *cap * 2 : 32) * sizeof(**arr));
		str_copy((*arr)[(*n)++], 11, db_col_text(st, 0));
	}
	db_done(st);
	out->cal = (struct case_calendar){ (const char(*)[11])out->holidays, out->nholidays,
					   (const char(*)[11])out->workdays, out->nworkdays };
	if (rc != DB_DONE && rc != DB_ROW) {
		case_days_release(out);
		return CASE_ERROR;
	}
	return CASE_OK;
}

void case_days_release(struct case_days *d)
{
	free(d->holidays);
	free(d->workdays);
	memset(d, 0, sizeof(*d));
}

static int finish(struct db *db, int rc)
{
	if (rc != CASE_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? CASE_ERROR : CASE_OK;
}

int case_days_set(struct db *db, const struct actor *who, const char *day, const char *kind, const char *name)
{
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return CASE_ERROR;
	st = db_prepare(db, "DELETE FROM case_calendar WHERE day = ?");
	db_bind_text(st, 1, day);
	rc = db_step(st) == DB_DONE ? CASE_OK : CASE_ERROR;
	db_done(st);
	if (rc == CASE_OK && kind) {
		st = db_prepare(db, "INSERT INTO case_calendar (day, kind, name) VALUES (?, ?, ?)");
		db_bind_text(st, 1, day);
		db_bind_text(st, 2, kind);
		db_bind_text(st, 3, name ? name : "");
		rc = db_step(st) == DB_DONE ? CASE_OK : CASE_ERROR;
		db_done(st);
	}
	if (rc == CASE_OK && audit_append_detail(db, who, "case.calendar", "case_calendar", day, "/", "ok",
						 kind ? kind : "workday") < 0)
		rc = CASE_ERROR;
	return finish(db, rc);
}

int case_categories(struct db *db, struct case_category **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT code, name, sla_days, item_code FROM case_category ORDER BY sort, code");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		struct case_category *g;

		if (*n == cap)
			*items = xrealloc(*items, (cap = cap ? cap * 2 : 16) * sizeof(**items));
		g = &(*items)[(*n)++];
		str_copy(g->code, sizeof(g->code), db_col_text(st, 0));
		str_copy(g->name, sizeof(g->name), db_col_text(st, 1));
		g->sla_days = (int)db_col_int(st, 2);
		str_copy(g->item_code, sizeof(g->item_code), db_col_text(st, 3));
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return CASE_ERROR;
	}
	return CASE_OK;
}

/* The SLA days and the record item's code of category code: 1 found, 0 none, -1 an error. */
static int category_read(struct db *db, const char *code, int *sla_days, char item_code[8])
{
	struct db_stmt *st = db_prepare(db, "SELECT sla_days, item_code FROM case_category WHERE code = ?");
	int rc;

	db_bind_text(st, 1, code);
	rc = db_step(st);
	if (rc == DB_ROW) {
		if (sla_days)
			*sla_days = (int)db_col_int(st, 0);
		if (item_code)
			str_copy(item_code, 8, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int case_category_exists(struct db *db, const char *code)
{
	return category_read(db, code, NULL, NULL);
}

/* --- one case ---------------------------------------------------------------------------------------------- */

int case_get(struct db *db, int64_t id, struct case_file *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " CASE_COLUMNS CASE_FROM " WHERE k.id = ?");
	int rc;

	memset(out, 0, sizeof(*out));
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		case_read_row(st, out);
	db_done(st);
	return rc == DB_ROW ? CASE_OK : rc == DB_DONE ? CASE_NOT_FOUND : CASE_ERROR;
}

static void bind_id(struct db_stmt *st, int i, int64_t v)
{
	if (v)
		db_bind_int(st, i, v);
	else
		db_bind_null(st, i);
}

static int event(struct db *db, const struct actor *who, int64_t id, const char *kind, const char *state,
		 const char *note, bool public, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO case_event (case_id, kind, state, note, public, account_id, "
					    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	int rc;

	db_bind_int(st, 1, id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, state);
	db_bind_text(st, 4, note ? note : "");
	db_bind_int(st, 5, public ? 1 : 0);
	bind_id(st, 6, who->account_id);
	db_bind_int(st, 7, now);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The event (kind) and the audit entry (action) of a step that took case id (in community path) to state. */
static int log_step(struct db *db, const struct actor *who, int64_t id, const char *kind, const char *action,
		    const char *state, const char *path, const char *note, bool public, int64_t now)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return event(db, who, id, kind, state, note, public, now) < 0 ||
			       audit_append(db, who, action, "case", idt, path, "ok") < 0
		       ? CASE_ERROR
		       : CASE_OK;
}

int case_report_in(struct db *db, const struct actor *who, const struct case_input *in, struct field_errors *errs,
		   int64_t *id)
{
	const int64_t now = clock_now();
	struct case_days days;
	struct db_stmt *st;
	char path[PATH_MAX_LEN] = "";
	int rc = CASE_OK;

	if (in->need_id) {
		/* The need must be of the same community, and become one case only. */
		st = db_prepare(db, "SELECT n.community_code, (SELECT COUNT(*) FROM cases WHERE need_id = n.id) FROM need n "
				    "WHERE n.id = ?");
		db_bind_int(st, 1, in->need_id);
		rc = db_step(st);
		if (rc == DB_ROW && (strcmp(db_col_text(st, 0), in->community_code) || db_col_int(st, 1) > 0)) {
			field_errors_add(errs, "need_id", db_col_int(st, 1) > 0 ? "conflict" : "not_found",
					 db_col_int(st, 1) > 0 ? "该需求已转为问题" : "应为本社区的需求");
			rc = CASE_INVALID;
		} else if (rc == DB_DONE) {
			field_errors_add(errs, "need_id", "not_found", "应为本社区的需求");
			rc = CASE_INVALID;
		} else
			rc = rc == DB_ROW ? CASE_OK : CASE_ERROR;
		db_done(st);
		if (rc != CASE_OK)
			return rc;
	}
	if (case_days_load(db, &days) != CASE_OK)
		return CASE_ERROR;
	st = db_prepare(db, "INSERT INTO cases (community_code, category_code, title, description, building_code, place, "
			    "point_x, point_y, priority, private, channel, reporter_account_id, contact_name, "
			    "contact_phone, need_id, state, due_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, "
			    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'reported', ?, ?, ?, ?) RETURNING id, "
			    "(SELECT path FROM region WHERE code = ?)");
	db_bind_text(st, 1, in->community_code);
	db_bind_text(st, 2, in->category_code);
	db_bind_text(st, 3, in->title);
	db_bind_text(st, 4, in->description);
	if (in->building_code && in->building_code[0])
		db_bind_text(st, 5, in->building_code);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, in->place ? in->place : "");
	if (in->point_x >= 0 && in->point_y >= 0) {
		db_bind_int(st, 7, in->point_x);
		db_bind_int(st, 8, in->point_y);
	} else {
		db_bind_null(st, 7);
		db_bind_null(st, 8);
	}
	db_bind_text(st, 9, in->priority ? in->priority : "normal");
	db_bind_int(st, 10, in->private_ ? 1 : 0);
	db_bind_text(st, 11, in->channel);
	bind_id(st, 12, in->reporter_account_id);
	db_bind_text(st, 13, in->contact_name ? in->contact_name : "");
	db_bind_text(st, 14, in->contact_phone ? in->contact_phone : "");
	bind_id(st, 15, in->need_id);
	db_bind_int(st, 16, case_due_at(&days.cal, now, CASE_TRIAGE_WORKDAYS));
	bind_id(st, 17, who->account_id);
	db_bind_int(st, 18, now);
	db_bind_int(st, 19, now);
	db_bind_text(st, 20, in->community_code);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		str_copy(path, sizeof(path), db_col_text(st, 1));
	}
	db_done(st);
	case_days_release(&days);
	return rc == DB_ROW ? log_step(db, who, *id, "report", "case.report", "reported", path, in->channel, true, now)
			    : CASE_ERROR;
}

int case_report(struct db *db, const struct actor *who, const struct case_input *in, struct field_errors *errs,
		int64_t *id)
{
	if (db_begin(db) < 0)
		return CASE_ERROR;
	return finish(db, case_report_in(db, who, in, errs, id));
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

static int verdict_rc(enum case_verdict v)
{
	return v == CASE_RULE_OK ? CASE_OK : v == CASE_RULE_WHO ? CASE_FORBIDDEN : v == CASE_RULE_REOPENS ? CASE_REOPENS
													: CASE_BAD_STATE;
}

/*
 * Moves case id by step (taken by by) inside the caller's transaction: the
 * rules must allow it from the state read, and the UPDATE (state,
 * updated_at, then sets with vals) holds only while the state is still that
 * one, so of two steps at the same moment one wins and the other gets
 * CASE_BAD_STATE. Logs the event (note, public) and the audit entry.
 */
static int move_in(struct db *db, const struct actor *who, int64_t id, enum case_step step, const char *action,
		   enum case_by by, const char *sets, const struct val *vals, size_t nvals, const char *note, bool public, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "SELECT k.state, k.reopens, r.path FROM cases k JOIN region r ON r.code = "
					    "k.community_code WHERE k.id = ?");
	char state[12] = "", path[PATH_MAX_LEN] = "", sql[768];
	const char *to = NULL;
	int rc, k = 1, reopens = 0;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(state, sizeof(state), db_col_text(st, 0));
		reopens = (int)db_col_int(st, 1);
		str_copy(path, sizeof(path), db_col_text(st, 2));
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? CASE_NOT_FOUND : CASE_ERROR;
	if ((rc = verdict_rc(case_may(state, step, by, reopens, &to))) != CASE_OK)
		return rc;
	snprintf(sql, sizeof(sql), "UPDATE cases SET state = ?, updated_at = ?%s%s WHERE id = ? AND state = ?",
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
	rc = db_step(st) == DB_DONE ? CASE_OK : CASE_ERROR;
	db_done(st);
	if (rc == CASE_OK && db_changes(db) != 1)
		rc = CASE_BAD_STATE;
	return rc == CASE_OK ? log_step(db, who, id, case_steps[step], action, to, path, note, public, now) : rc;
}

static int move(struct db *db, const struct actor *who, int64_t id, enum case_step step, const char *action,
		enum case_by by, const char *sets, const struct val *vals, size_t nvals, const char *note, bool public)
{
	if (db_begin(db) < 0)
		return CASE_ERROR;
	return finish(db, move_in(db, who, id, step, action, by, sets, vals, nvals, note, public, clock_now()));
}

/* When case id, of category (its own when NULL), is due if its clock starts now. */
static int due_from_now(struct db *db, int64_t id, const char *category, const char *priority, int64_t now,
			int64_t *due)
{
	struct case_file *k = xmalloc(sizeof(*k));
	struct case_days days;
	int sla = 0, rc = case_get(db, id, k);

	if (rc == CASE_OK && category_read(db, category ? category : k->category_code, &sla, NULL) != 1)
		rc = CASE_ERROR;
	if (rc == CASE_OK && case_days_load(db, &days) == CASE_OK) {
		*due = case_due_at(&days.cal, now, case_sla_workdays(sla, priority ? priority : k->priority));
		case_days_release(&days);
	} else if (rc == CASE_OK)
		rc = CASE_ERROR;
	free(k);
	return rc;
}

int case_accept(struct db *db, const struct actor *who, int64_t id, const char *category_code, const char *priority)
{
	const int64_t now = clock_now();
	struct case_file *k = xmalloc(sizeof(*k));
	int64_t due = 0;
	int rc;

	if (db_begin(db) < 0) {
		free(k);
		return CASE_ERROR;
	}
	rc = case_get(db, id, k);
	if (rc == CASE_OK)
		rc = verdict_rc(case_may(k->state, CASE_ACCEPT, CASE_BY_STAFF, 0, NULL));
	if (rc == CASE_OK)
		rc = due_from_now(db, id, category_code, priority, now, &due);
	if (rc == CASE_OK)
		rc = move_in(db, who, id, CASE_ACCEPT, "case.accept", CASE_BY_STAFF,
			     "category_code = ?, priority = ?, accepted_at = ?, due_at = ?",
			     (struct val[]){ VT(category_code ? category_code : k->category_code),
					     VT(priority ? priority : k->priority), VI(now), VI(due) },
			     4, "", true, now);
	free(k);
	return finish(db, rc);
}

int case_refuse(struct db *db, const struct actor *who, int64_t id, const char *reason)
{
	return move(db, who, id, CASE_REFUSE, "case.refuse", CASE_BY_STAFF,
		    "state_reason = ?, due_at = NULL, closed_at = ?",
		    (struct val[]){ VT(reason), VI(clock_now()) }, 2, reason, true);
}

int case_assign(struct db *db, const struct actor *who, int64_t id, const struct case_party *p)
{
	return move(db, who, id, CASE_ASSIGN, "case.assign", CASE_BY_STAFF,
		    "party_kind = ?, party_member_id = ?, party_team_id = ?, party_unit_id = ?, party_name = ?, "
		    "assigned_at = ?",
		    (struct val[]){ VT(p->kind), VID(p->member_id), VID(p->team_id), VID(p->unit_id), VT(p->name),
				    VI(clock_now()) },
		    6, p->name, true);
}

int case_update(struct db *db, const struct actor *who, int64_t id, const char *note, bool public)
{
	return move(db, who, id, CASE_UPDATE, "case.update", CASE_BY_STAFF, NULL, NULL, 0, note, public);
}

/* The default catalogue item of case k's category (a record's item), or 0. */
static int64_t record_item(struct db *db, const struct case_file *k)
{
	struct db_stmt *st = db_prepare(db, "SELECT i.id FROM case_category g JOIN catalog_item i ON i.code = g.item_code "
					    "AND i.region_code IS NULL WHERE g.code = ?");
	int64_t item = 0;

	db_bind_text(st, 1, k->category_code);
	if (db_step(st) == DB_ROW)
		item = db_col_int(st, 0);
	db_done(st);
	return item;
}

/* The records of the workers of case k not yet credited for it, inside the caller's transaction. */
static int credit_workers(struct db *db, const struct actor *who, const struct case_file *k, const char *note,
			  const struct case_worker *w, size_t nw, int64_t now, struct field_errors *errs)
{
	struct member *m = xmalloc(sizeof(*m));
	const int64_t item = record_item(db, k);
	int rc = item ? CASE_OK : CASE_ERROR;

	for (size_t i = 0; rc == CASE_OK && i < nw; i++) {
		struct record_input in = { 0 };
		struct db_stmt *st;
		int64_t record_id = 0, had = 0;
		int r;

		if (member_get(db, w[i].member_id, m) != MEMBER_OK || strcmp(m->state, "approved") ||
		    strcmp(m->community_code, k->community_code)) {
			field_errors_add(errs, "workers", "not_found", "应为本社区已报到的党员");
			rc = CASE_INVALID;
			break;
		}
		st = db_prepare(db, "SELECT COUNT(*) FROM case_worker WHERE case_id = ? AND member_id = ?");
		db_bind_int(st, 1, k->id);
		db_bind_int(st, 2, w[i].member_id);
		if (db_step(st) == DB_ROW)
			had = db_col_int(st, 0);
		db_done(st);
		if (had)
			continue; /* credited at an earlier resolution: one record per member and case */
		in.member_id = w[i].member_id;
		in.item_id = item;
		in.source = SOURCE_CASE;
		in.origin_id = k->id;
		in.minutes = w[i].minutes;
		in.started_at = now - w[i].minutes * 60;
		in.place = k->building_name[0] ? k->building_name : k->community_name;
		in.content = note[0] ? note : k->title;
		r = record_add(db, who, &in, errs, &record_id);
		if (r == RECORD_OK)
			r = record_confirm_in(db, who, record_id, NULL);
		if (r != RECORD_OK) {
			if (r == RECORD_ERROR) {
				rc = CASE_ERROR;
				break;
			}
			if (!errs->n)
				field_errors_add(errs, "workers", r == RECORD_OVERLAP ? "overlap" : "refused",
						 r == RECORD_OVERLAP ? "该党员同一时间已有其他服务记录" : "无法为该党员登记服务记录");
			rc = CASE_INVALID;
			break;
		}
		st = db_prepare(db, "INSERT INTO case_worker (case_id, member_id, minutes, record_id, created_at) "
				    "VALUES (?, ?, ?, ?, ?)");
		db_bind_int(st, 1, k->id);
		db_bind_int(st, 2, w[i].member_id);
		db_bind_int(st, 3, w[i].minutes);
		db_bind_int(st, 4, record_id);
		db_bind_int(st, 5, now);
		rc = db_step(st) == DB_DONE ? CASE_OK : CASE_ERROR;
		db_done(st);
	}
	free(m);
	return rc;
}

int case_resolve(struct db *db, const struct actor *who, int64_t id, const char *note,
		 const struct case_worker *workers, size_t nworkers, struct field_errors *errs)
{
	const int64_t now = clock_now();
	struct case_file *k = xmalloc(sizeof(*k));
	int rc;

	if (db_begin(db) < 0) {
		free(k);
		return CASE_ERROR;
	}
	rc = case_get(db, id, k);
	if (rc == CASE_OK)
		rc = verdict_rc(case_may(k->state, CASE_RESOLVE, CASE_BY_STAFF, 0, NULL));
	if (rc == CASE_OK)
		rc = credit_workers(db, who, k, note, workers, nworkers, now, errs);
	if (rc == CASE_OK)
		rc = move_in(db, who, id, CASE_RESOLVE, "case.resolve", CASE_BY_STAFF,
			     "resolution = ?, resolved_at = ?",
			     (struct val[]){ VT(note), VI(now) }, 2, note, true, now);
	free(k);
	return finish(db, rc);
}

int case_follow_up(struct db *db, const struct actor *who, int64_t id, const char *note)
{
	return move(db, who, id, CASE_FOLLOW_UP, "case.follow_up", CASE_BY_STAFF, "follow_up_at = ?",
		    (struct val[]){ VI(clock_now()) }, 1, note, true);
}

int case_rate(struct db *db, const struct actor *who, enum case_by by, int64_t id, int rating, const char *comment)
{
	return move(db, who, id, CASE_RATE, "case.rate", by, "rating = ?, rating_comment = ?, closed_at = ?",
		    (struct val[]){ VI(rating), VT(comment), VI(clock_now()) }, 3, comment, true);
}

int case_reopen(struct db *db, const struct actor *who, enum case_by by, int64_t id, const char *reason)
{
	const int64_t now = clock_now();
	int64_t due = 0;
	int rc;

	if (db_begin(db) < 0)
		return CASE_ERROR;
	rc = due_from_now(db, id, NULL, NULL, now, &due);
	if (rc == CASE_OK)
		rc = move_in(db, who, id, CASE_REOPEN, "case.reopen", by,
			     "state_reason = ?, reopens = reopens + ?, due_at = ?, resolved_at = NULL, "
			     "follow_up_at = NULL, closed_at = NULL, rating = NULL, rating_comment = ''",
			     (struct val[]){ VT(reason), VI(by == CASE_BY_REPORTER ? 1 : 0), VI(due) }, 3, reason, true,
			     now);
	return finish(db, rc);
}

int case_merge(struct db *db, const struct actor *who, int64_t id, int64_t survivor, struct field_errors *errs)
{
	const int64_t now = clock_now();
	struct case_file *a = xmalloc(sizeof(*a)), *b = xmalloc(sizeof(*b));
	char note[32], idt[24];
	int rc;

	if (db_begin(db) < 0) {
		free(a);
		free(b);
		return CASE_ERROR;
	}
	rc = case_get(db, id, a);
	if (rc == CASE_OK) {
		int rb = case_get(db, survivor, b);

		if (rb == CASE_ERROR)
			rc = CASE_ERROR;
		else if (rb != CASE_OK || !case_merge_ok(id, a->state, survivor, b->state,
							   !strcmp(a->community_code, b->community_code))) {
			if (rb == CASE_OK && id != survivor && !strcmp(a->community_code, b->community_code) &&
			    !case_is_open(a->state))
				rc = CASE_BAD_STATE;
			else {
				field_errors_add(errs, "into", "not_found", "应为本社区另一件尚未解决的问题");
				rc = CASE_INVALID;
			}
		}
	}
	if (rc == CASE_OK) {
		snprintf(note, sizeof(note), "#%" PRId64, survivor);
		rc = move_in(db, who, id, CASE_MERGE, "case.merge", CASE_BY_STAFF,
			     "merged_into = ?, due_at = NULL, closed_at = ?",
			     (struct val[]){ VI(survivor), VI(now) }, 2, note, true, now);
	}
	if (rc == CASE_OK) {
		snprintf(note, sizeof(note), "#%" PRId64, id);
		snprintf(idt, sizeof(idt), "%" PRId64, survivor);
		rc = event(db, who, survivor, "absorb", b->state, note, true, now) < 0 ||
				     audit_append_detail(db, who, "case.absorb", "case", idt, b->community_path, "ok", note) < 0
			     ? CASE_ERROR
			     : CASE_OK;
	}
	free(a);
	free(b);
	return finish(db, rc);
}

int case_set_private(struct db *db, const struct actor *who, int64_t id, bool private_)
{
	const int64_t now = clock_now();
	struct case_file *k = xmalloc(sizeof(*k));
	struct db_stmt *st;
	char idt[24];
	int rc;

	if (db_begin(db) < 0) {
		free(k);
		return CASE_ERROR;
	}
	rc = case_get(db, id, k);
	if (rc == CASE_OK) {
		st = db_prepare(db, "UPDATE cases SET private = ?, updated_at = ? WHERE id = ?");
		db_bind_int(st, 1, private_ ? 1 : 0);
		db_bind_int(st, 2, now);
		db_bind_int(st, 3, id);
		rc = db_step(st) == DB_DONE ? CASE_OK : CASE_ERROR;
		db_done(st);
	}
	if (rc == CASE_OK) {
		snprintf(idt, sizeof(idt), "%" PRId64, id);
		rc = event(db, who, id, "private", k->state, private_ ? "不公开" : "公开", false, now) < 0 ||
				     audit_append_detail(db, who, "case.private", "case", idt, k->community_path, "ok",
							 private_ ? "private" : "public") < 0
			     ? CASE_ERROR
			     : CASE_OK;
	}
	free(k);
	return finish(db, rc);
}

int case_expire_due(struct db *db, const struct actor *who, int64_t now, int64_t *count)
{
	struct db_stmt *st;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc = CASE_OK;

	*count = 0;
	if (db_begin(db) < 0)
		return CASE_ERROR;
	st = db_prepare(db, "SELECT id FROM cases WHERE (state = 'resolved' OR state = 'follow_up') AND "
			    "COALESCE(follow_up_at, resolved_at) <= ? ORDER BY id");
	db_bind_int(st, 1, now - (int64_t)CASE_FOLLOW_UP_DAYS * 86400);
	while (db_step(st) == DB_ROW) {
		if (n == cap)
			ids = xrealloc(ids, (cap = cap ? cap * 2 : 64) * sizeof(*ids));
		ids[n++] = db_col_int(st, 0);
	}
	db_done(st);
	for (size_t i = 0; i < n && rc == CASE_OK; i++)
		rc = move_in(db, who, ids[i], CASE_EXPIRE, "case.expire", CASE_BY_SYSTEM, "closed_at = ?",
			     (struct val[]){ VI(now) }, 1, "", true, now);
	free(ids);
	if (rc == CASE_OK)
		*count = (int64_t)n;
	return finish(db, rc);
}
