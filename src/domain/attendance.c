/* attendance.c: check-in and check-out, staff's ticks, the live sheet, and closing an activity into pending records */
#include "domain/attendance.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"

const char *const attendance_ticks[] = { "checkin", "checkout", "clear", "clear_checkout", "until_end",
					 "not_until_end", NULL };

/* Ends a transaction: commits when the body succeeded, rolls back otherwise. */
static int finish(struct db *db, int rc)
{
	if (rc != ACTIVITY_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? ACTIVITY_ERROR : ACTIVITY_OK;
}

/* Writes a check-in or check-out of sign-up id: at and how (qr, poster, staff; NULL clears it). */
static int set_time(struct db *db, int64_t id, bool checkout, int64_t at, const char *by, int64_t now)
{
	struct db_stmt *st = db_prepare(db, checkout ? "UPDATE signup SET checkout_at = ?, checkout_by = ?, "
						       "updated_at = ? WHERE id = ?"
						     : "UPDATE signup SET checkin_at = ?, checkin_by = ?, updated_at = ? "
						       "WHERE id = ?");
	int rc;

	if (by)
		db_bind_int(st, 1, at);
	else
		db_bind_null(st, 1);
	db_bind_text(st, 2, by);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int set_until_end(struct db *db, int64_t id, bool on, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "UPDATE signup SET until_end = ?, updated_at = ? WHERE id = ?");
	int rc;

	db_bind_int(st, 1, on);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The event, the sheet's version and the audit entry of a change of attendance of sign-up s. */
static int note(struct db *db, const struct actor *who, const struct activity *a, const struct activity_signup *s,
		const char *event, const char *detail, int64_t now)
{
	if (activity_signup_event(db, who, s->id, s->member_id, event, detail, now) < 0 ||
	    activity_touch(db, a->id, now) < 0 ||
	    activity_signup_audit(db, who, "activity.attendance", s->id, a->community_path, event) < 0)
		return ACTIVITY_ERROR;
	return ACTIVITY_OK;
}

static int scan_in(struct db *db, const struct actor *who, int64_t activity_id, int64_t member_id, const char *token,
		   bool checkout, int64_t now, enum qrtoken_verdict *verdict, bool *already,
		   struct activity_signup *out)
{
	struct qrtoken t;
	struct activity a;
	int rc = activity_get(db, activity_id, &a);

	if (rc != ACTIVITY_OK)
		return rc;
	*verdict = qrtoken_check(token, a.id, a.starts_at, a.ends_at, checkout, now, &t);
	if (*verdict != QRTOKEN_ACCEPTED)
		return ACTIVITY_TOKEN;
	if (strcmp(a.state, "published"))
		return ACTIVITY_BAD_STATE;
	rc = activity_signup_find(db, activity_id, member_id, out);
	if (rc != ACTIVITY_OK || strcmp(out->state, "signed"))
		return rc == ACTIVITY_NOT_FOUND || rc == ACTIVITY_OK ? ACTIVITY_NOT_SIGNED : rc;
	if (checkout && !out->checkin_at)
		return ACTIVITY_NOT_IN;
	if (checkout ? out->checkout_at != 0 : out->checkin_at != 0) {
		*already = true;
		return ACTIVITY_OK;
	}
	/* Leaving needs a code shown after the one that let them in: one look at the screen is not both. */
	if (checkout && t.kind == QRTOKEN_SCREEN && !strcmp(out->checkin_by, "qr") &&
	    t.slot <= qrtoken_slot(out->checkin_at)) {
		*verdict = QRTOKEN_REPLAYED;
		return ACTIVITY_TOKEN;
	}
	if (set_time(db, out->id, checkout, now, t.kind == QRTOKEN_POSTER ? "poster" : "qr", now) < 0 ||
	    note(db, who, &a, out, checkout ? "checked_out" : "checked_in", t.kind == QRTOKEN_POSTER ? "poster" : "qr",
		 now) != ACTIVITY_OK)
		return ACTIVITY_ERROR;
	return activity_signup_get(db, out->id, out);
}

int attendance_scan(struct db *db, const struct actor *who, int64_t activity_id, int64_t member_id,
		    const char *token, bool checkout, int64_t now, enum qrtoken_verdict *verdict, bool *already,
		    struct activity_signup *out)
{
	*verdict = QRTOKEN_ACCEPTED;
	*already = false;
	if (db_begin(db) < 0)
		return ACTIVITY_ERROR;
	return finish(db, scan_in(db, who, activity_id, member_id, token, checkout, now, verdict, already, out));
}

/* Whether a staff tick at time at fits the activity and now. */
static bool tick_time_fits(const struct activity *a, int64_t at, int64_t now)
{
	return at <= now && at >= a->starts_at - QRTOKEN_EARLY && at <= a->ends_at + QRTOKEN_CHECKOUT_LATE;
}

static int tick_in(struct db *db, const struct actor *who, int64_t id, enum attendance_tick what, int64_t at,
		   int64_t now, struct activity_signup *out)
{
	struct activity a;
	int rc = activity_signup_get(db, id, out);

	if (rc != ACTIVITY_OK || (rc = activity_get(db, out->activity_id, &a)) != ACTIVITY_OK)
		return rc;
	if (strcmp(a.state, "published"))
		return ACTIVITY_BAD_STATE;
	if (strcmp(out->state, "signed"))
		return ACTIVITY_NOT_SIGNED;
	switch (what) {
	case TICK_CHECKIN:
		if (!tick_time_fits(&a, at, now) || (out->checkout_at && at > out->checkout_at))
			return ACTIVITY_WINDOW;
		rc = set_time(db, id, false, at, "staff", now);
		break;
	case TICK_CHECKOUT:
		if (!out->checkin_at)
			return ACTIVITY_NOT_IN;
		if (!tick_time_fits(&a, at, now) || at < out->checkin_at)
			return ACTIVITY_WINDOW;
		rc = set_time(db, id, true, at, "staff", now);
		break;
	case TICK_CLEAR:
		rc = set_time(db, id, true, 0, NULL, now) < 0 || set_time(db, id, false, 0, NULL, now) < 0 ||
				     set_until_end(db, id, false, now) < 0
			     ? -1
			     : 0;
		break;
	case TICK_CLEAR_CHECKOUT:
		rc = set_time(db, id, true, 0, NULL, now);
		break;
	case TICK_UNTIL_END:
	case TICK_NOT_UNTIL_END:
		if (!out->checkin_at)
			return ACTIVITY_NOT_IN;
		rc = set_until_end(db, id, what == TICK_UNTIL_END, now);
		break;
	}
	if (rc < 0 || note(db, who, &a, out, attendance_ticks[what], "staff", now) != ACTIVITY_OK)
		return ACTIVITY_ERROR;
	return activity_signup_get(db, id, out);
}

int attendance_tick(struct db *db, const struct actor *who, int64_t id, enum attendance_tick what, int64_t at,
		    int64_t now, struct activity_signup *out)
{
	if (db_begin(db) < 0)
		return ACTIVITY_ERROR;
	return finish(db, tick_in(db, who, id, what, at, now, out));
}

void attendance_input(const struct activity *a, const struct activity_signup *s, struct minutes_input *in)
{
	*in = (struct minutes_input){ .starts_at = a->starts_at, .ends_at = a->ends_at, .checkin_at = s->checkin_at,
				      .checkout_at = s->checkout_at, .until_end = s->until_end,
				      .on_leave = !strcmp(s->leave, "approved"), .cap = a->minutes_cap };
}

static void count_row(struct attendance_counts *c, const struct attendance_row *r)
{
	c->signed_up++;
	c->leave_asked += !strcmp(r->signup.leave, "asked");
	if (!r->arrived) {
		c->absent += r->result.status == ATT_ABSENT;
		c->on_leave += r->result.status == ATT_ON_LEAVE;
		return;
	}
	c->arrived++;
	c->present += r->result.status == ATT_PRESENT;
	c->late += r->result.status == ATT_LATE;
	c->left_early += r->result.status == ATT_LEFT_EARLY;
	c->checked_out += r->signup.checkout_at != 0;
	c->unconfirmed += r->result.unconfirmed;
}

int attendance_sheet_read(struct db *db, int64_t activity_id, struct attendance_sheet *out)
{
	struct activity_signup *items;
	struct minutes_input in;
	int64_t total;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = activity_get(db, activity_id, &out->activity)) != ACTIVITY_OK)
		return rc;
	if (activity_signup_list(db, activity_id, "signed", 1, 0, &items, &n, &total) != ACTIVITY_OK)
		return ACTIVITY_ERROR;
	out->rows = xcalloc(n ? n : 1, sizeof(*out->rows));
	for (size_t i = 0; i < n; i++) {
		struct attendance_row *r = &out->rows[out->nrows++];

		r->signup = items[i];
		r->arrived = items[i].checkin_at != 0;
		attendance_input(&out->activity, &items[i], &in);
		minutes_credit(&in, &r->result);
		count_row(&out->counts, r);
	}
	out->counts.waiting = out->activity.waiting_count;
	free(items);
	return ACTIVITY_OK;
}

void attendance_sheet_release(struct attendance_sheet *s)
{
	free(s->rows);
	s->rows = NULL;
	s->nrows = 0;
}

void attendance_closing_release(struct attendance_closing *c)
{
	free(c->skipped);
	c->skipped = NULL;
	c->nskipped = 0;
}

/* Notes that row r made no record, and why; tells the member. */
static int skip(struct db *db, const struct actor *who, const struct attendance_row *r, const char *why,
		const char *message, int64_t now, struct attendance_closing *out)
{
	struct attendance_skip *k = &out->skipped[out->nskipped++];

	k->signup_id = r->signup.id;
	k->member_id = r->signup.member_id;
	str_copy(k->member_name, sizeof(k->member_name), r->signup.member_name);
	str_copy(k->why, sizeof(k->why), why);
	str_copy(k->message, sizeof(k->message), message);
	return activity_signup_event(db, who, r->signup.id, r->signup.member_id, "not_recorded", why, now);
}

/* The record of row r's credited minutes, or the reason there is none. */
static int record_row(struct db *db, const struct actor *who, const struct activity *a, const struct attendance_row *r,
		      int64_t now, struct attendance_closing *out)
{
	const struct activity_signup *s = &r->signup;
	int64_t from = s->checkin_at > a->starts_at ? s->checkin_at : a->starts_at, id;
	struct record_input in = { .member_id = s->member_id, .item_id = a->item_id, .source = SOURCE_ACTIVITY,
				   .activity_id = a->id, .started_at = from, .minutes = r->result.minutes,
				   .place = a->place, .content = a->title };
	struct field_errors errs; /* not zeroed whole: a row of the day's sheet, and only the first n are read */
	char note[24];
	int rc;

	errs.n = 0;
	if (!r->arrived) {
		out->absent += r->result.status == ATT_ABSENT;
		out->on_leave += r->result.status == ATT_ON_LEAVE;
		return 0;
	}
	if (r->result.unconfirmed)
		return skip(db, who, r, "unconfirmed", "已签到但未签退，工作人员也未确认其坚持到结束", now, out);
	if (r->result.minutes < 1)
		return skip(db, who, r, "no_minutes", "计入时长不足 1 分钟", now, out);
	rc = record_add(db, who, &in, &errs, &id);
	if (rc == RECORD_OVERLAP)
		return skip(db, who, r, "overlap", "同一时间已有其他服务记录", now, out);
	if (rc == RECORD_INVALID || rc == RECORD_NOT_FOUND)
		return skip(db, who, r, "refused", errs.n ? errs.items[0].message : "无法生成服务记录", now, out);
	if (rc == RECORD_DUPLICATE)
		return 0;
	if (rc != RECORD_OK)
		return -1;
	out->records++;
	snprintf(note, sizeof(note), "%" PRId64, r->result.minutes);
	return activity_signup_event(db, who, s->id, s->member_id, "recorded", note, now);
}

static int close_in(struct db *db, const struct actor *who, int64_t activity_id, int64_t now,
		    struct attendance_closing *out)
{
	struct attendance_sheet sheet;
	struct db_stmt *st;
	char detail[64];
	int rc = attendance_sheet_read(db, activity_id, &sheet);

	if (rc != ACTIVITY_OK)
		return rc;
	if (strcmp(sheet.activity.state, "published"))
		rc = ACTIVITY_BAD_STATE;
	else if (now < sheet.activity.ends_at)
		rc = ACTIVITY_NOT_ENDED;
	out->skipped = xcalloc(sheet.nrows ? sheet.nrows : 1, sizeof(*out->skipped));
	for (size_t i = 0; rc == ACTIVITY_OK && i < sheet.nrows; i++)
		if (record_row(db, who, &sheet.activity, &sheet.rows[i], now, out) < 0)
			rc = ACTIVITY_ERROR;
	if (rc == ACTIVITY_OK) {
		st = db_prepare(db, "UPDATE activity SET state = 'closed', closed_at = ?, version = version + 1, "
				    "updated_at = ? WHERE id = ? AND state = 'published'");
		db_bind_int(st, 1, now);
		db_bind_int(st, 2, now);
		db_bind_int(st, 3, activity_id);
		rc = db_step(st) == DB_DONE && db_changes(db) == 1 ? ACTIVITY_OK : ACTIVITY_ERROR;
		db_done(st);
	}
	snprintf(detail, sizeof(detail), "records %" PRId64 ", skipped %zu", out->records, out->nskipped);
	if (rc == ACTIVITY_OK) {
		char idt[24];

		snprintf(idt, sizeof(idt), "%" PRId64, activity_id);
		if (audit_append_detail(db, who, "activity.close", "activity", idt, sheet.activity.community_path, "ok",
					detail) < 0)
			rc = ACTIVITY_ERROR;
	}
	attendance_sheet_release(&sheet);
	return rc;
}

int attendance_close(struct db *db, const struct actor *who, int64_t activity_id, int64_t now,
		     struct attendance_closing *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (db_begin(db) < 0)
		return ACTIVITY_ERROR;
	clock_pin(now); /* every row the closing writes is stamped now, the clock read once */
	rc = finish(db, close_in(db, who, activity_id, now, out));
	clock_unpin();
	return rc;
}
