/* record_fix.c: corrections of confirmed records, and members' requests for them (《志愿服务记录与证明出具办法》) */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/listing.h"
#include "domain/record.h"
#include "domain/record_row.h"

/*
 * Inside the caller's transaction: a correction record that makes confirmed
 * record r count new_total minutes, confirmed at once (staff make it), and the
 * event corrected on r. A longer service must not overlap another.
 */
static int correct_in(struct db *db, const struct actor *who, const struct record *r, int64_t new_total,
		      const char *reason, struct field_errors *errs, int64_t *correction_id)
{
	struct record_input in = { .member_id = r->member_id, .item_id = r->item_id, .source = SOURCE_CORRECTION,
				   .activity_id = r->activity_id, .post_id = r->post_id, .corrects_id = r->id,
				   .started_at = r->started_at, .place = r->place, .reason = reason };
	char note[TEXT_BYTES(RECORD_REASON_MAX) + 64];
	int rc;

	if (!record_may(r->state, r->source, CHANGE_CORRECT))
		return RECORD_BAD_STATE;
	if (who->account_id && r->member_account_id == who->account_id)
		return RECORD_OWN;
	if (record_correction_diff(r->total_minutes, new_total, &in.minutes) != RECORD_OK) {
		snprintf(note, sizeof(note), "应为 0 到 1440 分钟，且与现在的 %" PRId64 " 分钟不同", r->total_minutes);
		field_errors_add(errs, "minutes", new_total == r->total_minutes ? "same" : "too_large", note);
		return RECORD_INVALID;
	}
	if (in.minutes > 0) {
		rc = record_overlaps(db, r->member_id, r->started_at + r->total_minutes * 60,
				     r->started_at + new_total * 60, r->id);
		if (rc)
			return rc < 0 ? RECORD_ERROR : RECORD_OVERLAP;
	}
	rc = record_add(db, who, &in, errs, correction_id);
	if (rc == RECORD_OK)
		rc = record_set_state(db, who, *correction_id, "confirmed", NULL);
	if (rc == RECORD_OK && record_event_add(db, who, *correction_id, r->community_path, "confirm", NULL) < 0)
		rc = RECORD_ERROR;
	snprintf(note, sizeof(note), "%" PRId64 " → %" PRId64 " 分钟：%s", r->total_minutes, new_total, reason);
	if (rc == RECORD_OK && record_event_add(db, who, r->id, r->community_path, "corrected", note) < 0)
		rc = RECORD_ERROR;
	return rc;
}

int record_correct(struct db *db, const struct actor *who, int64_t id, int64_t new_total, const char *reason,
		   struct field_errors *errs, int64_t *correction_id)
{
	struct record r;
	int rc;

	if (db_begin(db) < 0)
		return RECORD_ERROR;
	rc = record_get(db, id, &r);
	if (rc == RECORD_OK)
		rc = correct_in(db, who, &r, new_total, reason, errs, correction_id);
	return record_finish(db, rc);
}

int record_ask(struct db *db, const struct actor *who, int64_t record_id, const char *reason, int64_t minutes,
	       struct field_errors *errs, int64_t *request_id)
{
	struct db_stmt *st;
	struct record r;
	char note[TEXT_BYTES(RECORD_REASON_MAX) + 64];
	int64_t diff;
	int rc;

	if (db_begin(db) < 0)
		return RECORD_ERROR;
	rc = record_get(db, record_id, &r);
	if (rc == RECORD_OK && !record_may(r.state, r.source, CHANGE_REQUEST))
		rc = RECORD_BAD_STATE;
	if (rc == RECORD_OK && minutes >= 0 && record_correction_diff(r.total_minutes, minutes, &diff) != RECORD_OK) {
		snprintf(note, sizeof(note), "应为 0 到 1440 分钟，且与现在的 %" PRId64 " 分钟不同", r.total_minutes);
		field_errors_add(errs, "minutes", minutes == r.total_minutes ? "same" : "too_large", note);
		rc = RECORD_INVALID;
	}
	if (rc != RECORD_OK)
		return record_finish(db, rc);
	st = db_prepare(db, "INSERT INTO record_request (record_id, member_id, reason, minutes, state, created_at) "
			    "VALUES (?, ?, ?, ?, 'asked', ?) RETURNING id");
	db_bind_int(st, 1, record_id);
	db_bind_int(st, 2, r.member_id);
	db_bind_text(st, 3, reason);
	if (minutes >= 0)
		db_bind_int(st, 4, minutes);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, clock_now());
	rc = db_step(st);
	if (rc == DB_ROW)
		*request_id = db_col_int(st, 0);
	db_done(st);
	rc = rc == DB_ROW ? RECORD_OK : rc == DB_UNIQUE ? RECORD_ASKED : RECORD_ERROR;
	if (minutes >= 0)
		snprintf(note, sizeof(note), "应为 %" PRId64 " 分钟：%s", minutes, reason);
	else
		str_copy(note, sizeof(note), reason);
	if (rc == RECORD_OK && record_event_add(db, who, record_id, r.community_path, "ask", note) < 0)
		rc = RECORD_ERROR;
	return record_finish(db, rc);
}

static int request_close(struct db *db, const struct actor *who, int64_t id, const char *state, const char *answer,
			 int64_t correction_id)
{
	struct db_stmt *st = db_prepare(db, "UPDATE record_request SET state = ?, answer = ?, correction_id = ?, "
					    "decided_by = ?, decided_at = ? WHERE id = ? AND state = 'asked'");
	int rc;

	db_bind_text(st, 1, state);
	db_bind_text(st, 2, answer ? answer : "");
	if (correction_id)
		db_bind_int(st, 3, correction_id);
	else
		db_bind_null(st, 3);
	if (who->account_id)
		db_bind_int(st, 4, who->account_id);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, clock_now());
	db_bind_int(st, 6, id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return RECORD_ERROR;
	return db_changes(db) == 1 ? RECORD_OK : RECORD_BAD_STATE;
}

int record_answer(struct db *db, const struct actor *who, int64_t request_id, bool accept, int64_t new_total,
		  const char *answer, struct field_errors *errs, int64_t *correction_id)
{
	struct record_request q;
	struct record r;
	char reason[TEXT_BYTES(RECORD_REASON_MAX) + 64];
	int rc;

	*correction_id = 0;
	if (db_begin(db) < 0)
		return RECORD_ERROR;
	rc = record_request_get(db, request_id, &q);
	if (rc == RECORD_OK && strcmp(q.state, "asked"))
		rc = RECORD_BAD_STATE;
	if (rc == RECORD_OK)
		rc = record_get(db, q.record_id, &r);
	if (rc == RECORD_OK && who->account_id && r.member_account_id == who->account_id)
		rc = RECORD_OWN;
	if (rc == RECORD_OK && !accept && (!answer || !*answer)) {
		field_errors_add(errs, "answer", "required", "不予更正时请说明理由");
		rc = RECORD_INVALID;
	}
	if (rc == RECORD_OK && accept) {
		if (new_total < 0)
			new_total = q.minutes;
		if (new_total < 0) {
			field_errors_add(errs, "minutes", "required", "请填写更正后的时长");
			rc = RECORD_INVALID;
		}
		/* The correction says why: the staff's answer, or the member's request it grants. */
		if (answer && *answer)
			str_copy(reason, sizeof(reason), answer);
		else
			snprintf(reason, sizeof(reason), RECORD_GRANTED "%s", q.reason);
		if (rc == RECORD_OK)
			rc = correct_in(db, who, &r, new_total, reason, errs, correction_id);
	}
	if (rc == RECORD_OK)
		rc = request_close(db, who, request_id, accept ? "accepted" : "declined", answer, *correction_id);
	if (rc == RECORD_OK && record_event_add(db, who, r.id, r.community_path, accept ? "accept" : "decline", answer) < 0)
		rc = RECORD_ERROR;
	return record_finish(db, rc);
}

#define REQUEST_COLUMNS                                                                                          \
	"q.id, q.record_id, q.member_id, m.name, q.reason, COALESCE(q.minutes, -1), q.state, q.answer, "     \
	"COALESCE(q.correction_id, 0), q.created_at, COALESCE(q.decided_at, 0), g.community_code, r.path, " \
	"i.name, g.started_at, " RECORD_TOTAL_SQL
#define REQUEST_FROM                                                                                          \
	" FROM record_request q JOIN record g ON g.id = q.record_id JOIN member m ON m.id = q.member_id " \
	"JOIN catalog_item i ON i.id = g.item_id JOIN region r ON r.code = g.community_code"

static void request_read(struct db_stmt *st, struct record_request *out)
{
	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, 0);
	out->record_id = db_col_int(st, 1);
	out->member_id = db_col_int(st, 2);
	str_copy(out->member_name, sizeof(out->member_name), db_col_text(st, 3));
	str_copy(out->reason, sizeof(out->reason), db_col_text(st, 4));
	out->minutes = db_col_int(st, 5);
	str_copy(out->state, sizeof(out->state), db_col_text(st, 6));
	str_copy(out->answer, sizeof(out->answer), db_col_text(st, 7));
	out->correction_id = db_col_int(st, 8);
	out->created_at = db_col_int(st, 9);
	out->decided_at = db_col_int(st, 10);
	str_copy(out->community_code, sizeof(out->community_code), db_col_text(st, 11));
	str_copy(out->community_path, sizeof(out->community_path), db_col_text(st, 12));
	str_copy(out->item_name, sizeof(out->item_name), db_col_text(st, 13));
	out->record_started_at = db_col_int(st, 14);
	out->record_total = db_col_int(st, 15);
}

int record_request_get(struct db *db, int64_t id, struct record_request *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " REQUEST_COLUMNS REQUEST_FROM " WHERE q.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		request_read(st, out);
	db_done(st);
	return rc == DB_ROW ? RECORD_OK : rc == DB_DONE ? RECORD_NOT_FOUND : RECORD_ERROR;
}

struct request_query {
	const struct scope *scope;
	const struct request_filter *f;
	char lo[24], hi[26]; /* the community filter's code range */
};

static void request_filters(struct buf *sql, const void *arg)
{
	const struct request_query *q = arg;

	buf_addstr(sql, REQUEST_FROM " WHERE 1=1");
	listing_codes_sql(sql, q->scope, "g.community_code", "m.unit_id", false);
	if (q->f->state)
		buf_addstr(sql, " AND q.state = ?");
	if (q->f->community)
		buf_addstr(sql, " AND g.community_code >= ? AND g.community_code < ?");
	if (q->f->record_id)
		buf_addstr(sql, " AND q.record_id = ?");
	if (q->f->member_id)
		buf_addstr(sql, " AND q.member_id = ?");
}

static int request_bind(struct db_stmt *st, const void *arg)
{
	const struct request_query *q = arg;
	int i = listing_codes_bind(st, q->scope, 1, 1);

	if (q->f->state)
		db_bind_text(st, i++, q->f->state);
	if (q->f->community) {
		db_bind_text(st, i++, q->lo);
		db_bind_text(st, i++, q->hi);
	}
	if (q->f->record_id)
		db_bind_int(st, i++, q->f->record_id);
	if (q->f->member_id)
		db_bind_int(st, i++, q->f->member_id);
	return i;
}

static void request_row(struct db_stmt *st, void *item, const void *arg)
{
	(void)arg;
	request_read(st, item);
}

int record_request_list(struct db *db, const struct scope *scope, const struct request_filter *f,
			struct record_request **items, size_t *n, int64_t *total)
{
	static const struct listing l = { REQUEST_COLUMNS, request_filters, request_bind, " ORDER BY q.id",
					  sizeof(struct record_request), request_row };
	struct request_query q = { .scope = scope, .f = f };
	char path[32];
	void *out;
	int rc;

	if (f->community) {
		snprintf(path, sizeof(path), "/%s/", f->community);
		listing_code_range(path, q.lo, q.hi);
	}
	rc = listing_page(db, &l, &q, f->page, f->per_page, &out, n, total);
	*items = out;
	return rc < 0 ? RECORD_ERROR : RECORD_OK;
}
