/* certificate.c: service certificates written: asked, issued with the next number and a snapshot of the service, declined, revoked */
#include "domain/certificate.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/valid.h"
#include "domain/record_row.h"
#include "domain/registration.h"

void certificate_number(const char *issuer_code, int year, int64_t seq, char *out, size_t n)
{
	snprintf(out, n, "%s-%d-%05" PRId64, issuer_code, year, seq);
}

/* 00:00 in China of day (YYYY-MM-DD, checked), as Unix seconds. */
static int64_t china_midnight(const char *day)
{
	struct tm tm = { 0 };
	int y, m, d;

	date_split(day, &y, &m, &d);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	return (int64_t)timegm(&tm) - 8 * 3600;
}

/* Ends a change's transaction: commits when rc is CERT_OK, rolls back otherwise. */
static int finish(struct db *db, int rc)
{
	if (rc != CERT_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? CERT_ERROR : CERT_OK;
}

static void bind_account(struct db_stmt *st, int idx, const struct actor *who)
{
	if (who->account_id)
		db_bind_int(st, idx, who->account_id);
	else
		db_bind_null(st, idx);
}

static int audit(struct db *db, const struct actor *who, const char *action, const char *type, int64_t id,
		 const char *path, const char *detail)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append_detail(db, who, action, type, idt, path, "ok", detail) < 0 ? CERT_ERROR : CERT_OK;
}

/* The period's faults: real dates, from before to, to not after today, at most CERT_DAYS_MAX days. */
static void check_period(const char *from_on, const char *to_on, struct field_errors *errs)
{
	char today[11];

	clock_date(clock_now(), today);
	if (!from_on || !valid_date(from_on))
		field_errors_add(errs, "from", "format", "应为 YYYY-MM-DD 格式的日期");
	if (!to_on || !valid_date(to_on))
		field_errors_add(errs, "to", "format", "应为 YYYY-MM-DD 格式的日期");
	if (errs->n)
		return;
	if (strcmp(to_on, today) > 0)
		field_errors_add(errs, "to", "too_large", "结束日期不能晚于今天");
	else if (strcmp(from_on, to_on) > 0)
		field_errors_add(errs, "from", "order", "开始日期不能晚于结束日期");
	else if ((china_midnight(to_on) - china_midnight(from_on)) / 86400 + 1 > CERT_DAYS_MAX)
		field_errors_add(errs, "from", "too_small", "一份证明最长覆盖三年");
}

int certificate_ask(struct db *db, const struct actor *who, int64_t member_id, const char *from_on, const char *to_on,
		    const char *note, struct field_errors *errs, int64_t *id)
{
	struct registration reg;
	struct db_stmt *st;
	int rc;

	check_period(from_on, to_on, errs);
	if (errs->n)
		return CERT_INVALID;
	if (db_begin(db) < 0)
		return CERT_ERROR;
	rc = registration_current(db, member_id, &reg);
	if (rc == REG_ERROR)
		return finish(db, CERT_ERROR);
	if (rc != REG_OK || strcmp(reg.state, "approved"))
		return finish(db, CERT_NOT_SERVING);
	st = db_prepare(db, "INSERT INTO certificate_request (member_id, community_code, from_on, to_on, note, state, "
			    "created_by, created_at) VALUES (?, ?, ?, ?, ?, 'asked', ?, ?) RETURNING id");
	db_bind_int(st, 1, member_id);
	db_bind_text(st, 2, reg.community_code);
	db_bind_text(st, 3, from_on);
	db_bind_text(st, 4, to_on);
	db_bind_text(st, 5, note ? note : "");
	bind_account(st, 6, who);
	db_bind_int(st, 7, clock_now());
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	rc = rc == DB_ROW ? CERT_OK : rc == DB_UNIQUE ? CERT_ASKED : CERT_ERROR;
	if (rc == CERT_OK)
		rc = audit(db, who, "certificate.ask", "certificate_request", *id, reg.community_path, "");
	return finish(db, rc);
}

/* A request still asked, that who may answer (not their own); inside the caller's transaction. */
static int open_request(struct db *db, const struct actor *who, int64_t request_id, struct cert_request *q)
{
	int rc = certificate_request_get(db, request_id, q);

	if (rc != CERT_OK)
		return rc;
	if (strcmp(q->state, "asked"))
		return CERT_BAD_STATE;
	if (who->account_id && q->member_account_id == who->account_id)
		return CERT_OWN;
	return CERT_OK;
}

/* asked → issued or declined, once. */
static int close_request(struct db *db, const struct actor *who, int64_t id, const char *state, const char *answer)
{
	struct db_stmt *st = db_prepare(db, "UPDATE certificate_request SET state = ?, answer = ?, decided_by = ?, "
					    "decided_at = ? WHERE id = ? AND state = 'asked'");
	int rc;

	db_bind_text(st, 1, state);
	db_bind_text(st, 2, answer ? answer : "");
	bind_account(st, 3, who);
	db_bind_int(st, 4, clock_now());
	db_bind_int(st, 5, id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return CERT_ERROR;
	return db_changes(db) == 1 ? CERT_OK : CERT_BAD_STATE;
}

/*
 * The services to list: the member's confirmed records of the period that the
 * issuer confirmed, each with its corrections, those that count no minutes
 * left out, oldest first. *items: caller frees (also on failure).
 */
static int snapshot(struct db *db, const struct cert_request *q, struct cert_line **items, size_t *n, int64_t *total)
{
	struct db_stmt *st = db_prepare(db, "SELECT g.id, g.started_at, i.name, g.content, " RECORD_TOTAL_SQL
					    " FROM record g JOIN catalog_item i ON i.id = g.item_id WHERE g.member_id = ? "
					    "AND g.started_at >= ? AND g.started_at < ? AND g.community_code = ? AND "
					    "g.state = 'confirmed' AND g.source <> 'correction' ORDER BY g.started_at, g.id");
	size_t cap = 16;
	int rc;

	*items = xcalloc(cap, sizeof(**items));
	*n = 0;
	*total = 0;
	db_bind_int(st, 1, q->member_id);
	db_bind_int(st, 2, china_midnight(q->from_on));
	db_bind_int(st, 3, china_midnight(q->to_on) + 86400);
	db_bind_text(st, 4, q->community_code);
	while ((rc = db_step(st)) == DB_ROW) {
		struct cert_line *l;
		int64_t minutes = db_col_int(st, 4);

		if (minutes <= 0)
			continue;
		if (*n == CERT_LINES_MAX) {
			rc = DB_DONE;
			*n = CERT_LINES_MAX + 1;
			break;
		}
		if (*n == cap)
			*items = xrealloc(*items, (cap *= 2) * sizeof(**items));
		l = &(*items)[(*n)++];
		memset(l, 0, sizeof(*l));
		l->record_id = db_col_int(st, 0);
		clock_date(db_col_int(st, 1), l->served_on);
		str_copy(l->item_name, sizeof(l->item_name), db_col_text(st, 2));
		str_copy(l->content, sizeof(l->content), db_col_text(st, 3));
		l->minutes = minutes;
		*total += minutes;
	}
	db_done(st);
	if (rc != DB_DONE)
		return CERT_ERROR;
	return *n > CERT_LINES_MAX ? CERT_TOO_MANY : *n ? CERT_OK : CERT_EMPTY;
}

/* The issuer's next number in year: its counter moves up inside the caller's transaction. */
static int next_seq(struct db *db, const char *issuer_code, int year, int64_t *seq)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO certificate_counter (issuer_code, year, last) VALUES (?, ?, 1) "
					    "ON CONFLICT (issuer_code, year) DO UPDATE SET last = certificate_counter.last + 1 "
					    "RETURNING last");
	int rc;

	db_bind_text(st, 1, issuer_code);
	db_bind_int(st, 2, year);
	rc = db_step(st);
	if (rc == DB_ROW)
		*seq = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? CERT_OK : CERT_ERROR;
}

static int insert_certificate(struct db *db, const struct actor *who, const struct certificate *c, int64_t *id)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO certificate (number, issuer_code, year, seq, request_id, member_id, name, id_type, "
		    "id_number_masked, from_on, to_on, total_minutes, services, issuer_name, person_in_charge, handler, "
		    "contact, issued_by, issued_at, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		    "RETURNING id");
	int rc;

	db_bind_text(st, 1, c->number);
	db_bind_text(st, 2, c->issuer_code);
	db_bind_int(st, 3, c->year);
	db_bind_int(st, 4, c->seq);
	db_bind_int(st, 5, c->request_id);
	db_bind_int(st, 6, c->member_id);
	db_bind_text(st, 7, c->name);
	db_bind_text(st, 8, c->id_type);
	db_bind_text(st, 9, c->id_number_masked);
	db_bind_text(st, 10, c->from_on);
	db_bind_text(st, 11, c->to_on);
	db_bind_int(st, 12, c->total_minutes);
	db_bind_int(st, 13, c->services);
	db_bind_text(st, 14, c->issuer_name);
	db_bind_text(st, 15, c->person_in_charge);
	db_bind_text(st, 16, c->handler);
	db_bind_text(st, 17, c->contact);
	bind_account(st, 18, who);
	db_bind_int(st, 19, c->issued_at);
	db_bind_text(st, 20, c->code);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? CERT_OK : CERT_ERROR;
}

static int insert_lines(struct db *db, int64_t id, const struct cert_line *lines, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct db_stmt *st = db_prepare(db, "INSERT INTO certificate_line (certificate_id, position, record_id, "
						    "served_on, item_name, content, minutes) VALUES (?, ?, ?, ?, ?, ?, ?)");
		int rc;

		db_bind_int(st, 1, id);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_int(st, 3, lines[i].record_id);
		db_bind_text(st, 4, lines[i].served_on);
		db_bind_text(st, 5, lines[i].item_name);
		db_bind_text(st, 6, lines[i].content);
		db_bind_int(st, 7, lines[i].minutes);
		rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return CERT_ERROR;
	}
	return CERT_OK;
}

/* Who the certificate is for and who issues it, from the request, the member's file and the community. */
static int fill(struct db *db, const struct cert_request *q, const struct cert_signers *s, struct certificate *c)
{
	struct member m;
	struct region issuer;
	char token[CRYPTO_TOKEN_HEX], today[11];
	int rc;

	memset(c, 0, sizeof(*c));
	rc = member_get(db, q->member_id, &m);
	if (rc != MEMBER_OK)
		return rc == MEMBER_NOT_FOUND ? CERT_NOT_FOUND : CERT_ERROR;
	rc = region_get(db, q->community_code, &issuer);
	if (rc != REGION_OK)
		return rc == REGION_NOT_FOUND ? CERT_NOT_FOUND : CERT_ERROR;
	c->issued_at = clock_now();
	clock_date(c->issued_at, today);
	c->year = digits_value(today, 4);
	if (next_seq(db, issuer.code, c->year, &c->seq) != CERT_OK)
		return CERT_ERROR;
	certificate_number(issuer.code, c->year, c->seq, c->number, sizeof(c->number));
	str_copy(c->issuer_code, sizeof(c->issuer_code), issuer.code);
	str_copy(c->issuer_path, sizeof(c->issuer_path), issuer.path);
	str_copy(c->issuer_name, sizeof(c->issuer_name), issuer.name);
	c->request_id = q->id;
	c->member_id = q->member_id;
	str_copy(c->name, sizeof(c->name), m.name);
	str_copy(c->id_type, sizeof(c->id_type), CERT_ID_TYPE);
	str_copy(c->id_number_masked, sizeof(c->id_number_masked), m.id_masked);
	str_copy(c->from_on, sizeof(c->from_on), q->from_on);
	str_copy(c->to_on, sizeof(c->to_on), q->to_on);
	str_copy(c->person_in_charge, sizeof(c->person_in_charge), s->person_in_charge);
	str_copy(c->handler, sizeof(c->handler), s->handler);
	str_copy(c->contact, sizeof(c->contact), s->contact);
	/* 128 random bits are enough for an address nobody can guess. */
	crypto_token(token);
	str_copy(c->code, sizeof(c->code), token);
	return CERT_OK;
}

int certificate_issue(struct db *db, const struct actor *who, int64_t request_id, const struct cert_signers *s,
		      int64_t *id)
{
	struct cert_request q;
	struct certificate c;
	struct cert_line *lines = NULL;
	size_t n = 0;
	int64_t total = 0;
	int rc;

	if (db_begin(db) < 0)
		return CERT_ERROR;
	rc = open_request(db, who, request_id, &q);
	if (rc == CERT_OK)
		rc = snapshot(db, &q, &lines, &n, &total);
	if (rc == CERT_OK)
		rc = fill(db, &q, s, &c);
	if (rc == CERT_OK) {
		c.total_minutes = total;
		c.services = (int64_t)n;
		rc = insert_certificate(db, who, &c, id);
	}
	if (rc == CERT_OK)
		rc = insert_lines(db, *id, lines, n);
	if (rc == CERT_OK)
		rc = close_request(db, who, request_id, "issued", NULL);
	if (rc == CERT_OK)
		rc = audit(db, who, "certificate.issue", "certificate", *id, c.issuer_path, c.number);
	free(lines);
	return finish(db, rc);
}

int certificate_decline(struct db *db, const struct actor *who, int64_t request_id, const char *answer)
{
	struct cert_request q;
	int rc;

	if (db_begin(db) < 0)
		return CERT_ERROR;
	rc = open_request(db, who, request_id, &q);
	if (rc == CERT_OK)
		rc = close_request(db, who, request_id, "declined", answer);
	if (rc == CERT_OK)
		rc = audit(db, who, "certificate.decline", "certificate_request", request_id, q.community_path, answer);
	return finish(db, rc);
}

int certificate_revoke(struct db *db, const struct actor *who, int64_t id, const char *reason)
{
	struct certificate c;
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return CERT_ERROR;
	rc = certificate_get(db, id, &c);
	if (rc == CERT_OK && c.revoked_at)
		rc = CERT_BAD_STATE;
	if (rc != CERT_OK)
		return finish(db, rc);
	st = db_prepare(db, "UPDATE certificate SET revoked_at = ?, revoke_reason = ?, revoked_by = ? "
			    "WHERE id = ? AND revoked_at IS NULL");
	db_bind_int(st, 1, clock_now());
	db_bind_text(st, 2, reason);
	bind_account(st, 3, who);
	db_bind_int(st, 4, id);
	rc = db_step(st) == DB_DONE ? CERT_OK : CERT_ERROR;
	db_done(st);
	if (rc == CERT_OK && db_changes(db) != 1)
		rc = CERT_BAD_STATE;
	if (rc == CERT_OK)
		rc = audit(db, who, "certificate.revoke", "certificate", id, c.issuer_path, reason);
	return finish(db, rc);
}
