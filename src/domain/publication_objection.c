/* publication_objection.c: objections (异议) to a publication by members listed in it, answered by their community's staff; an upheld one corrects the points */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/mask.h"
#include "base/valid.h"
#include "domain/ledger.h"
#include "domain/publication.h"

/* What a correction's ledger note says before the staff's answer. */
#define CORRECTION_NOTE "公示异议："

static int finish(struct db *db, int rc)
{
	if (rc != PUB_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? PUB_ERROR : PUB_OK;
}

static int audit(struct db *db, const struct actor *who, const char *action, int64_t id, const char *path,
		 const char *detail)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append_detail(db, who, action, "objection", idt, path, "ok", detail) < 0 ? PUB_ERROR : PUB_OK;
}

/* Whether text has from min to max characters of clean UTF-8. */
static bool text_within(const char *text, size_t min, size_t max)
{
	size_t n = utf8_chars(text);

	return valid_utf8_text(text, strlen(text)) && n >= min && n <= max;
}

int publication_object(struct db *db, const struct actor *who, int64_t id, int64_t member_id, const char *reason,
		       struct field_errors *errs, int64_t *objection_id)
{
	struct publication p;
	struct publication_row row;
	struct db_stmt *st;
	char detail[64];
	int rc;

	if (!text_within(reason, OBJECTION_REASON_MIN, OBJECTION_REASON_MAX)) {
		field_errors_add(errs, "reason", utf8_chars(reason) < OBJECTION_REASON_MIN ? "too_short" : "too_long",
				 "异议理由应为 2 到 200 个字");
		return PUB_INVALID;
	}
	if (db_begin(db) < 0)
		return PUB_ERROR;
	rc = publication_get(db, id, &p);
	if (rc == PUB_OK && !p.open)
		rc = PUB_CLOSED;
	if (rc == PUB_OK)
		rc = publication_row_of(db, &p, member_id, &row);
	if (rc != PUB_OK)
		return finish(db, rc);
	st = db_prepare(db, "INSERT INTO objection (publication_id, member_id, version, community_code, reason, state, "
			    "created_by, created_at) VALUES (?, ?, ?, ?, ?, 'asked', NULLIF(?, 0), ?) RETURNING id");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, member_id);
	db_bind_int(st, 3, p.version);
	db_bind_text(st, 4, row.community_code);
	db_bind_text(st, 5, reason);
	db_bind_int(st, 6, who->account_id);
	db_bind_int(st, 7, clock_now());
	rc = db_step(st);
	if (rc == DB_ROW)
		*objection_id = db_col_int(st, 0);
	db_done(st);
	rc = rc == DB_ROW ? PUB_OK : rc == DB_UNIQUE ? PUB_ASKED : PUB_ERROR;
	snprintf(detail, sizeof(detail), "publication %" PRId64 " version %" PRId64, id, p.version);
	if (rc == PUB_OK)
		rc = audit(db, who, "objection.create", *objection_id, row.community_path, detail);
	return finish(db, rc);
}

#define OBJECTION_COLUMNS \
	"o.id, o.publication_id, o.member_id, COALESCE(m.account_id, 0), o.version, m.name, o.community_code, " \
	"c.path, c.name, o.reason, o.state, COALESCE(o.outcome, ''), o.answer, COALESCE(o.points, 0), " \
	"COALESCE(o.movement_id, 0), o.created_at, COALESCE(o.answered_at, 0), COALESCE(a.name, ''), p.title, " \
	"p.period, p.closes_at, r.path FROM objection o JOIN member m ON m.id = o.member_id " \
	"JOIN region c ON c.code = o.community_code JOIN publication p ON p.id = o.publication_id " \
	"JOIN region r ON r.code = p.region_code LEFT JOIN account a ON a.id = o.answered_by "

static void read_objection(struct db_stmt *st, struct objection *out)
{
	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, 0);
	out->publication_id = db_col_int(st, 1);
	out->member_id = db_col_int(st, 2);
	out->member_account_id = db_col_int(st, 3);
	out->version = db_col_int(st, 4);
	str_copy(out->member_name, sizeof(out->member_name), db_col_text(st, 5));
	mask_name(out->member_name, out->masked_name, sizeof(out->masked_name));
	str_copy(out->community_code, sizeof(out->community_code), db_col_text(st, 6));
	str_copy(out->community_path, sizeof(out->community_path), db_col_text(st, 7));
	str_copy(out->community_name, sizeof(out->community_name), db_col_text(st, 8));
	str_copy(out->reason, sizeof(out->reason), db_col_text(st, 9));
	str_copy(out->state, sizeof(out->state), db_col_text(st, 10));
	str_copy(out->outcome, sizeof(out->outcome), db_col_text(st, 11));
	str_copy(out->answer, sizeof(out->answer), db_col_text(st, 12));
	out->points = db_col_int(st, 13);
	out->movement_id = db_col_int(st, 14);
	out->created_at = db_col_int(st, 15);
	out->answered_at = db_col_int(st, 16);
	str_copy(out->answered_by, sizeof(out->answered_by), db_col_text(st, 17));
	str_copy(out->title, sizeof(out->title), db_col_text(st, 18));
	str_copy(out->period, sizeof(out->period), db_col_text(st, 19));
	out->closes_at = db_col_int(st, 20);
	str_copy(out->region_path, sizeof(out->region_path), db_col_text(st, 21));
}

int objection_get(struct db *db, int64_t id, struct objection *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " OBJECTION_COLUMNS "WHERE o.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_objection(st, out);
	db_done(st);
	return rc == DB_ROW ? PUB_OK : rc == DB_DONE ? PUB_NOT_FOUND : PUB_ERROR;
}

int objection_list(struct db *db, int64_t publication_id, int64_t member_id, struct objection **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " OBJECTION_COLUMNS "WHERE (?1 = 0 OR o.publication_id = ?1) AND "
					    "(?2 = 0 OR o.member_id = ?2) ORDER BY o.id DESC LIMIT ?3");
	size_t cap = 8;
	int rc;

	*items = xcalloc(cap, sizeof(**items));
	*n = 0;
	db_bind_int(st, 1, publication_id);
	db_bind_int(st, 2, member_id);
	db_bind_int(st, 3, OBJECTION_LIST_MAX);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap *= 2;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		read_objection(st, &(*items)[(*n)++]);
	}
	db_done(st);
	return rc == DB_DONE ? PUB_OK : PUB_ERROR;
}

/* Checks an answer; faults in errs. */
static int answer_check(bool uphold, const char *answer, int64_t points, struct field_errors *errs)
{
	size_t before = errs->n;

	if (!*answer)
		field_errors_add(errs, "answer", "required", uphold ? "请说明更正的理由" : "不予更正时请说明理由");
	else if (!text_within(answer, 1, OBJECTION_ANSWER_MAX))
		field_errors_add(errs, "answer", "too_long", "答复最多 190 个字");
	if (uphold && (points == 0 || points < -OBJECTION_POINTS_MAX || points > OBJECTION_POINTS_MAX))
		field_errors_add(errs, "points", points ? "out_of_range" : "required",
				 "更正的积分应为 -1000 到 1000 之间的非零整数");
	return errs->n > before ? PUB_INVALID : PUB_OK;
}

/*
 * The correction of an upheld objection, inside the caller's transaction: points from the issue account
 * of the objection's community to the member's, counted on a day of the half-year (today, or its last day
 * when it is over), and the member's standings moved with it where they stand now.
 */
static int correct(struct db *db, const struct actor *who, const struct objection *o, const char *answer,
		   int64_t points, struct field_errors *errs, int64_t *movement_id)
{
	struct ledger_owner member = { KIND_MEMBER, o->member_id, NULL }, issue = { KIND_ISSUE, 0, o->community_code };
	struct movement m = { .book = BOOK_POINTS, .source = MOVE_CORRECTION, .member_id = o->member_id, .nentries = 2 };
	char note[TEXT_BYTES(LEDGER_NOTE_MAX)], first[11], last[11], today[11];
	struct standing s;
	struct region at;
	int rc = standing_get(db, o->member_id, o->period, &s);

	if (rc != STANDING_OK)
		return rc == STANDING_NOT_FOUND ? PUB_NOT_FOUND : PUB_ERROR;
	if (s.points + points < 0) {
		field_errors_add(errs, "points", "too_small", "更正后本半年积分不能为负");
		return PUB_INVALID;
	}
	if (region_get(db, s.community_code, &at) != REGION_OK)
		return PUB_ERROR;
	period_bounds(o->period, first, last);
	clock_date(clock_now(), today);
	str_copy(m.day, sizeof(m.day), strcmp(today, last) > 0 ? last : strcmp(today, first) < 0 ? first : today);
	snprintf(note, sizeof(note), CORRECTION_NOTE "%s", answer);
	m.note = note;
	if (ledger_account(db, BOOK_POINTS, &member, &m.entries[0].account_id) < 0 ||
	    ledger_account(db, BOOK_POINTS, &issue, &m.entries[1].account_id) < 0)
		return PUB_ERROR;
	m.entries[0].amount = points;
	m.entries[1].amount = -points;
	if (ledger_post(db, who, &m, movement_id) < 0)
		return PUB_ERROR;
	return standing_add(db, o->member_id, at.path, m.day, points, 0, 0) == STANDING_OK ? PUB_OK : PUB_ERROR;
}

int publication_answer(struct db *db, const struct actor *who, int64_t objection_id, bool uphold, const char *answer,
		       int64_t points, struct field_errors *errs, int64_t *movement_id)
{
	struct objection o;
	struct db_stmt *st;
	char detail[80];
	int rc;

	*movement_id = 0;
	if (db_begin(db) < 0)
		return PUB_ERROR;
	rc = objection_get(db, objection_id, &o);
	if (rc == PUB_OK && strcmp(o.state, "asked"))
		rc = PUB_ANSWERED;
	if (rc == PUB_OK && who->account_id && o.member_account_id == who->account_id)
		rc = PUB_OWN;
	if (rc == PUB_OK)
		rc = answer_check(uphold, answer, points, errs);
	if (rc == PUB_OK && uphold)
		rc = correct(db, who, &o, answer, points, errs, movement_id);
	if (rc != PUB_OK)
		return finish(db, rc);
	st = db_prepare(db, "UPDATE objection SET state = 'answered', outcome = ?, answer = ?, points = ?, "
			    "movement_id = NULLIF(?, 0), answered_by = NULLIF(?, 0), answered_at = ? "
			    "WHERE id = ? AND state = 'asked'");
	db_bind_text(st, 1, uphold ? "upheld" : "dismissed");
	db_bind_text(st, 2, answer);
	if (uphold)
		db_bind_int(st, 3, points);
	else
		db_bind_null(st, 3);
	db_bind_int(st, 4, *movement_id);
	db_bind_int(st, 5, who->account_id);
	db_bind_int(st, 6, clock_now());
	db_bind_int(st, 7, objection_id);
	rc = db_step(st);
	db_done(st);
	rc = rc != DB_DONE ? PUB_ERROR : db_changes(db) == 1 ? PUB_OK : PUB_ANSWERED;
	if (uphold)
		snprintf(detail, sizeof(detail), "upheld %+" PRId64 " points, movement %" PRId64, points, *movement_id);
	else
		snprintf(detail, sizeof(detail), "dismissed");
	if (rc == PUB_OK)
		rc = audit(db, who, "objection.answer", objection_id, o.community_path, detail);
	return finish(db, rc);
}
