/* post_claim.c: claims of posts: claimed, approved within the places, refused, left, ended; service logged by holders */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/listing.h"
#include "domain/post.h"
#include "domain/registration.h"

/* A claim's columns, read by read_claim; the four counts of service follow for a member's own lists. */
#define CLAIM_COLUMNS                                                                                       \
	"h.id, h.post_id, h.member_id, p.name, p.state, i.name, COALESCE(pl.name, ''), p.community_code, "     \
	"c.name, c.path, m.name, m.phone, h.state, h.note, h.reason, h.answer, h.applied_at, "                 \
	"COALESCE(h.decided_at, 0), COALESCE(h.leave_at, 0), COALESCE(h.left_at, 0)"
#define CLAIM_NCOLS 20
#define CLAIM_SERVICE                                                                                         \
	", (SELECT COUNT(*) FROM record g WHERE g.member_id = h.member_id AND g.post_id = h.post_id AND "        \
	"g.state = 'pending'), (SELECT COALESCE(SUM(g.minutes), 0) FROM record g WHERE g.member_id = h.member_id " \
	"AND g.post_id = h.post_id AND g.state = 'pending'), (SELECT COUNT(*) FROM record g WHERE g.member_id = " \
	"h.member_id AND g.post_id = h.post_id AND g.state = 'confirmed' AND g.source <> 'correction'), "        \
	"(SELECT COALESCE(SUM(g.minutes), 0) FROM record g WHERE g.member_id = h.member_id AND g.post_id = "    \
	"h.post_id AND g.state = 'confirmed')"
#define CLAIM_FROM                                                                                          \
	" FROM post_holder h JOIN post p ON p.id = h.post_id JOIN catalog_item i ON i.id = p.item_id "         \
	"JOIN region c ON c.code = p.community_code LEFT JOIN region pl ON pl.code = p.place_code "            \
	"JOIN member m ON m.id = h.member_id"

static void read_claim(struct db_stmt *st, void *item, const void *arg)
{
	struct post_claim *c = item;

	memset(c, 0, sizeof(*c));
	c->id = db_col_int(st, 0);
	c->post_id = db_col_int(st, 1);
	c->member_id = db_col_int(st, 2);
	str_copy(c->post_name, sizeof(c->post_name), db_col_text(st, 3));
	str_copy(c->post_state, sizeof(c->post_state), db_col_text(st, 4));
	str_copy(c->item_name, sizeof(c->item_name), db_col_text(st, 5));
	str_copy(c->place_name, sizeof(c->place_name), db_col_text(st, 6));
	str_copy(c->community_code, sizeof(c->community_code), db_col_text(st, 7));
	str_copy(c->community_name, sizeof(c->community_name), db_col_text(st, 8));
	str_copy(c->community_path, sizeof(c->community_path), db_col_text(st, 9));
	str_copy(c->member_name, sizeof(c->member_name), db_col_text(st, 10));
	str_copy(c->member_phone, sizeof(c->member_phone), db_col_text(st, 11));
	str_copy(c->state, sizeof(c->state), db_col_text(st, 12));
	str_copy(c->note, sizeof(c->note), db_col_text(st, 13));
	str_copy(c->reason, sizeof(c->reason), db_col_text(st, 14));
	str_copy(c->answer, sizeof(c->answer), db_col_text(st, 15));
	c->applied_at = db_col_int(st, 16);
	c->decided_at = db_col_int(st, 17);
	c->leave_at = db_col_int(st, 18);
	c->left_at = db_col_int(st, 19);
	if (arg) {
		c->pending = db_col_int(st, CLAIM_NCOLS);
		c->pending_minutes = db_col_int(st, CLAIM_NCOLS + 1);
		c->confirmed = db_col_int(st, CLAIM_NCOLS + 2);
		c->confirmed_minutes = db_col_int(st, CLAIM_NCOLS + 3);
	}
}

int post_claim_get(struct db *db, int64_t id, struct post_claim *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " CLAIM_COLUMNS CLAIM_FROM " WHERE h.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_claim(st, out, NULL);
	db_done(st);
	return rc == DB_ROW ? POST_OK : rc == DB_DONE ? POST_NOT_FOUND : POST_ERROR;
}

static int audit_claim(struct db *db, const struct actor *who, const char *action, int64_t id, const char *path,
		       const char *detail)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append_detail(db, who, action, "post_holder", idt, path, "ok", detail ? detail : "");
}

/* Whether the post takes claims today: open, and its term not over. */
static bool post_takes_claims(const struct post *p)
{
	char today[11];

	clock_date(clock_now(), today);
	return !strcmp(p->state, "open") && (!p->ends_on[0] || strcmp(p->ends_on, today) >= 0);
}

/* POST_OK when member_id's report-in is approved in community_code, else POST_NOT_MEMBER (or POST_ERROR). */
static int serves_in(struct db *db, int64_t member_id, const char *community_code)
{
	struct registration r;
	int rc = registration_current(db, member_id, &r);

	if (rc == REG_ERROR)
		return POST_ERROR;
	return rc == REG_OK && !strcmp(r.state, "approved") && !strcmp(r.community_code, community_code)
		       ? POST_OK
		       : POST_NOT_MEMBER;
}

int post_claim(struct db *db, const struct actor *who, int64_t post_id, int64_t member_id, const char *note,
	       int64_t *claim_id)
{
	struct db_stmt *st;
	struct post p;
	int rc;

	if (db_begin(db) < 0)
		return POST_ERROR;
	rc = post_get(db, post_id, &p);
	if (rc == POST_OK && !post_takes_claims(&p))
		rc = POST_CLOSED;
	if (rc == POST_OK && p.holders >= p.places)
		rc = POST_FULL;
	if (rc == POST_OK)
		rc = serves_in(db, member_id, p.community_code);
	if (rc != POST_OK)
		return post_finish(db, rc);
	st = db_prepare(db, "INSERT INTO post_holder (post_id, community_code, member_id, state, note, applied_at) "
			    "VALUES (?, ?, ?, 'applied', ?, ?) RETURNING id");
	db_bind_int(st, 1, post_id);
	db_bind_text(st, 2, p.community_code);
	db_bind_int(st, 3, member_id);
	db_bind_text(st, 4, note ? note : "");
	db_bind_int(st, 5, clock_now());
	rc = db_step(st);
	if (rc == DB_ROW)
		*claim_id = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_UNIQUE)
		return post_finish(db, POST_CLAIMED);
	rc = rc == DB_ROW && audit_claim(db, who, "post.claim", *claim_id, p.community_path, p.name) == 0 ? POST_OK
												      : POST_ERROR;
	return post_finish(db, rc);
}

/* Moves claim id from one state to another, stamping when (a time column, or NULL) and who decided. */
static int move(struct db *db, const struct actor *who, int64_t id, const char *from, const char *to,
		const char *when, const char *answer)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	int rc, i = 1;

	buf_addstr(&sql, "UPDATE post_holder SET state = ?, decided_by = ?");
	if (when)
		buf_addf(&sql, ", %s = ?", when);
	if (answer)
		buf_addstr(&sql, ", answer = ?");
	buf_addstr(&sql, " WHERE id = ? AND state = ?");
	st = db_prepare(db, sql.data);
	db_bind_text(st, i++, to);
	post_bind_account(st, i++, who);
	if (when)
		db_bind_int(st, i++, clock_now());
	if (answer)
		db_bind_text(st, i++, answer);
	db_bind_int(st, i++, id);
	db_bind_text(st, i, from);
	rc = db_step(st);
	db_done(st);
	buf_release(&sql);
	if (rc != DB_DONE)
		return POST_ERROR;
	return db_changes(db) == 1 ? POST_OK : POST_BAD_STATE;
}

/* What a decision does to a claim in its state: the new state, the time column, the audit action. */
struct step {
	const char *to, *when, *action;
	bool answer;
};

static const struct step *step_of(enum post_decision d, const char *state)
{
	static const struct step approve = { "holding", "decided_at", "post.approve", false },
				 refuse = { "refused", "decided_at", "post.refuse", true },
				 let_go = { "left", "left_at", "post.approve", false },
				 keep = { "holding", NULL, "post.refuse", true },
				 end = { "left", "left_at", "post.end", true };
	bool applied = !strcmp(state, "applied"), leaving = !strcmp(state, "leaving");

	switch (d) {
	case POST_APPROVE:
		return applied ? &approve : leaving ? &let_go : NULL;
	case POST_REFUSE:
		return applied ? &refuse : leaving ? &keep : NULL;
	case POST_END:
		return leaving || !strcmp(state, "holding") ? &end : NULL;
	}
	return NULL;
}

int post_decide(struct db *db, const struct actor *who, int64_t claim_id, enum post_decision d, const char *answer)
{
	const struct step *s;
	struct post_claim c;
	struct post p;
	int rc;

	if (db_begin(db) < 0)
		return POST_ERROR;
	rc = post_claim_get(db, claim_id, &c);
	if (rc == POST_OK)
		rc = post_get(db, c.post_id, &p);
	if (rc != POST_OK)
		return post_finish(db, rc);
	if (!(s = step_of(d, c.state)))
		return post_finish(db, POST_BAD_STATE);
	/* The places are counted here, inside the write transaction: concurrent approvals take turns. */
	if (!strcmp(s->to, "holding") && !strcmp(c.state, "applied")) {
		if (strcmp(p.state, "open"))
			return post_finish(db, POST_CLOSED);
		if (p.holders >= p.places)
			return post_finish(db, POST_FULL);
		if ((rc = serves_in(db, c.member_id, p.community_code)) != POST_OK)
			return post_finish(db, rc);
	}
	rc = move(db, who, claim_id, c.state, s->to, s->when, s->answer ? answer : NULL);
	if (rc == POST_OK && audit_claim(db, who, s->action, claim_id, p.community_path, s->answer ? answer : "") < 0)
		rc = POST_ERROR;
	return post_finish(db, rc);
}

/* The member's open claim of post_id: its id and state; POST_NOT_FOUND when there is none. */
static int open_claim(struct db *db, int64_t post_id, int64_t member_id, int64_t *id, char state[12])
{
	struct db_stmt *st = db_prepare(db, "SELECT id, state FROM post_holder WHERE post_id = ? AND member_id = ? AND "
					    "state IN ('applied', 'holding', 'leaving')");
	int rc;

	db_bind_int(st, 1, post_id);
	db_bind_int(st, 2, member_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		str_copy(state, 12, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? POST_OK : rc == DB_DONE ? POST_NOT_FOUND : POST_ERROR;
}

int post_leave(struct db *db, const struct actor *who, int64_t post_id, int64_t member_id, const char *reason,
	       struct field_errors *errs, int64_t *claim_id)
{
	struct db_stmt *st;
	struct post p;
	char state[12];
	int64_t id = 0;
	bool withdraw;
	int rc;

	if (db_begin(db) < 0)
		return POST_ERROR;
	rc = open_claim(db, post_id, member_id, &id, state);
	*claim_id = id;
	if (rc == POST_OK)
		rc = post_get(db, post_id, &p);
	if (rc == POST_OK && !strcmp(state, "leaving"))
		rc = POST_BAD_STATE;
	withdraw = rc == POST_OK && !strcmp(state, "applied");
	if (rc == POST_OK && !withdraw && !(reason && *reason)) {
		field_errors_add(errs, "reason", "required", "请说明离岗原因");
		rc = POST_INVALID;
	}
	if (rc != POST_OK)
		return post_finish(db, rc);
	st = db_prepare(db, withdraw ? "UPDATE post_holder SET state = 'withdrawn', left_at = ? WHERE id = ?"
				     : "UPDATE post_holder SET state = 'leaving', leave_at = ?, reason = ? WHERE id = ?");
	db_bind_int(st, 1, clock_now());
	if (!withdraw)
		db_bind_text(st, 2, reason);
	db_bind_int(st, withdraw ? 2 : 3, id);
	rc = db_step(st) == DB_DONE ? POST_OK : POST_ERROR;
	db_done(st);
	if (rc == POST_OK &&
	    audit_claim(db, who, withdraw ? "post.withdraw" : "post.leave", id, p.community_path, withdraw ? "" : reason) < 0)
		rc = POST_ERROR;
	return post_finish(db, rc);
}

void post_check_service_time(const struct post *p, int64_t holding_since, int64_t started_at, int64_t minutes,
			     int64_t now, struct field_errors *errs)
{
	char day[11], since[11], msg[96];

	clock_date(started_at, day);
	clock_date(holding_since, since);
	if (started_at + minutes * 60 > now)
		field_errors_add(errs, "started_at", "too_large", "只能登记已经结束的服务");
	else if (started_at < now - POST_LOG_DAYS * 86400) {
		snprintf(msg, sizeof(msg), "只能登记 %d 天以内的服务", POST_LOG_DAYS);
		field_errors_add(errs, "started_at", "too_small", msg);
	} else if (strcmp(day, since) < 0 || strcmp(day, p->starts_on) < 0) {
		snprintf(msg, sizeof(msg), "应为上岗（%s）以后的时间", strcmp(since, p->starts_on) > 0 ? since : p->starts_on);
		field_errors_add(errs, "started_at", "too_small", msg);
	} else if (p->ends_on[0] && strcmp(day, p->ends_on) > 0) {
		snprintf(msg, sizeof(msg), "应为岗位任期（到 %s）以内的时间", p->ends_on);
		field_errors_add(errs, "started_at", "too_large", msg);
	}
}

int post_log_service(struct db *db, const struct actor *who, int64_t post_id, int64_t member_id,
		     struct record_input *in, struct field_errors *errs, int64_t *record_id)
{
	struct post_claim c;
	struct post p;
	char state[12];
	int64_t id;
	int rc;

	if (db_begin(db) < 0)
		return POST_ERROR;
	rc = open_claim(db, post_id, member_id, &id, state);
	if (rc == POST_OK && !strcmp(state, "applied"))
		rc = POST_NOT_FOUND;
	if (rc == POST_OK)
		rc = post_claim_get(db, id, &c);
	if (rc == POST_OK)
		rc = post_get(db, post_id, &p);
	/* One who moved to another community serves there now: the post's staff confirm no more of theirs. */
	if (rc == POST_OK && serves_in(db, member_id, p.community_code) != POST_OK)
		rc = POST_NOT_FOUND;
	if (rc != POST_OK)
		return post_finish(db, rc);
	post_check_service_time(&p, c.decided_at, in->started_at, in->minutes, clock_now(), errs);
	if (errs->n)
		return post_finish(db, POST_INVALID);
	in->member_id = member_id;
	in->item_id = p.item_id;
	in->source = SOURCE_POST;
	in->post_id = post_id;
	in->activity_id = in->corrects_id = 0;
	rc = record_add(db, who, in, errs, record_id);
	return post_finish(db, rc == RECORD_OK ? POST_OK : rc == RECORD_INVALID ? POST_INVALID
						 : rc == RECORD_OVERLAP ? POST_OVERLAP : POST_ERROR);
}

struct claim_query {
	const struct scope *scope;
	const struct post_claim_filter *f;
};

static void claim_filters(struct buf *sql, const void *arg)
{
	const struct claim_query *q = arg;

	buf_addstr(sql, CLAIM_FROM " WHERE h.state IN (");
	for (size_t i = 0; i < (q->f->nstates ? q->f->nstates : 2); i++)
		buf_addstr(sql, i ? ", ?" : "?");
	buf_addch(sql, ')');
	listing_codes_sql(sql, q->scope, "h.community_code", NULL, false);
	if (q->f->community)
		buf_addstr(sql, " AND h.community_code = ?");
	if (q->f->post_id)
		buf_addstr(sql, " AND h.post_id = ?");
}

static int claim_bind(struct db_stmt *st, const void *arg)
{
	static const char *const queue[] = { "applied", "leaving" };
	const struct claim_query *q = arg;
	int i = 1;

	for (size_t k = 0; k < (q->f->nstates ? q->f->nstates : 2); k++)
		db_bind_text(st, i++, q->f->nstates ? q->f->states[k] : queue[k]);
	i = listing_codes_bind(st, q->scope, 0, i);
	if (q->f->community)
		db_bind_text(st, i++, q->f->community);
	if (q->f->post_id)
		db_bind_int(st, i++, q->f->post_id);
	return i;
}

int post_claim_list(struct db *db, const struct scope *scope, const struct post_claim_filter *f,
		    struct post_claim **items, size_t *n, int64_t *total)
{
	static const struct listing l = { CLAIM_COLUMNS, claim_filters, claim_bind, " ORDER BY h.id",
					  sizeof(struct post_claim), read_claim };
	struct claim_query q = { scope, f };

	return listing_page(db, &l, &q, f->page, f->per_page, (void **)items, n, total) < 0 ? POST_ERROR : POST_OK;
}

int post_people(struct db *db, int64_t post_id, struct post_claim **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " CLAIM_COLUMNS CLAIM_FROM " WHERE h.post_id = ? AND h.state IN "
					    "('applied', 'holding', 'leaving') ORDER BY CASE h.state WHEN 'holding' THEN "
					    "0 WHEN 'leaving' THEN 1 ELSE 2 END, h.id");

	db_bind_int(st, 1, post_id);
	return post_rows(st, sizeof(**items), POST_PLACES_MAX * 2, read_claim, NULL, (void **)items, n);
}

int post_claims_of(struct db *db, int64_t member_id, bool open_only, struct post_claim **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " CLAIM_COLUMNS CLAIM_SERVICE CLAIM_FROM " WHERE h.member_id = ? AND "
					    "(? = 0 OR h.state IN ('applied', 'holding', 'leaving')) ORDER BY h.state IN "
					    "('applied', 'holding', 'leaving') DESC, h.id DESC LIMIT ?");

	db_bind_int(st, 1, member_id);
	db_bind_int(st, 2, open_only);
	db_bind_int(st, 3, POST_LIST_MAX);
	return post_rows(st, sizeof(**items), POST_LIST_MAX, read_claim, "service", (void **)items, n);
}
