/* pairing.c: pairings made by staff or offered by members and accepted; what a paired member sees of them */
#include "domain/pairing.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/valid.h"
#include "domain/care_due.h"
#include "domain/care_row.h"
#include "domain/member.h"

static void check_text(const char *s, const char *field, size_t min, size_t max, struct field_errors *errs)
{
	size_t n = s ? utf8_chars(s) : 0;

	if (s && !valid_utf8_text(s, strlen(s)))
		field_errors_add(errs, field, "invalid", "含有无法识别的字符");
	else if (n < min)
		field_errors_add(errs, field, n ? "too_short" : "required", n ? "太短了" : "不能为空");
	else if (n > max)
		field_errors_add(errs, field, "too_long", "太长了");
}

static void bind_id_or_null(struct db_stmt *st, int i, int64_t id)
{
	if (id)
		db_bind_int(st, i, id);
	else
		db_bind_null(st, i);
}

/* A single-row probe bound to (int a, text b): CARE_OK, CARE_NOT_FOUND, CARE_ERROR. */
static int probe(struct db *db, const char *q, int64_t a, const char *b)
{
	struct db_stmt *st = db_prepare(db, q);
	int rc;

	db_bind_int(st, 1, a);
	db_bind_text(st, 2, b);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? CARE_OK : rc == DB_DONE ? CARE_NOT_FOUND : CARE_ERROR;
}

/* Whether member id is reported in (approved) at community code. */
static int member_of(struct db *db, int64_t id, const char *code)
{
	struct member *m = xmalloc(sizeof(*m));
	int rc = member_get(db, id, m);

	if (rc == MEMBER_OK)
		rc = !strcmp(m->community_code, code) && !strcmp(m->state, "approved") ? CARE_OK : CARE_NOT_FOUND;
	else
		rc = rc == MEMBER_NOT_FOUND ? CARE_NOT_FOUND : CARE_ERROR;
	free(m);
	return rc;
}

/* Checks that w names one member, team or unit that may pair in community c; faults into errs. */
static int check_who(struct db *db, const struct pairing_who *w, const struct care *c, struct field_errors *errs)
{
	int given = (w->member_id != 0) + (w->team_id != 0) + (w->unit_id != 0), rc = CARE_OK;

	if (given != 1) {
		field_errors_add(errs, "member_id", "required", "请选择一名党员、一支服务队或一个单位");
		return CARE_INVALID;
	}
	if (w->member_id) {
		rc = member_of(db, w->member_id, c->community_code);
		if (rc == CARE_NOT_FOUND)
			field_errors_add(errs, "member_id", "not_found", "应为在本社区报到的党员");
	} else if (w->team_id) {
		/* A team of the community, or of its street: its place is on the community's path. */
		rc = probe(db, "SELECT 1 FROM team t JOIN region r ON r.code = t.region_code WHERE t.id = ?1 AND "
			       "t.state = 'active' AND substr(?2, 1, length(r.path)) = r.path", w->team_id,
			   c->community_path);
		if (rc == CARE_NOT_FOUND)
			field_errors_add(errs, "team_id", "not_found", "应为本社区或本街道的服务队");
	} else {
		struct db_stmt *st = db_prepare(db, "SELECT 1 FROM unit WHERE id = ?");

		db_bind_int(st, 1, w->unit_id);
		rc = db_step(st);
		db_done(st);
		rc = rc == DB_ROW ? CARE_OK : rc == DB_DONE ? CARE_NOT_FOUND : CARE_ERROR;
		if (rc == CARE_NOT_FOUND)
			field_errors_add(errs, "unit_id", "not_found", "单位不存在");
	}
	return rc == CARE_NOT_FOUND ? CARE_INVALID : rc;
}

/* Whether the entry has an active pairing with w already. */
static int paired_already(struct db *db, int64_t care_id, const struct pairing_who *w)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM pairing WHERE care_id = ? AND state = 'active' AND "
					    "(member_id = ? OR team_id = ? OR unit_id = ?)");
	int rc;

	db_bind_int(st, 1, care_id);
	db_bind_int(st, 2, w->member_id ? w->member_id : -1);
	db_bind_int(st, 3, w->team_id ? w->team_id : -1);
	db_bind_int(st, 4, w->unit_id ? w->unit_id : -1);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? CARE_DUPLICATE : rc == DB_DONE ? CARE_OK : CARE_ERROR;
}

/* The entry care_id, active; CARE_NOT_FOUND or CARE_BAD_STATE otherwise. */
static int active_care(struct db *db, int64_t care_id, struct care *c)
{
	char today[11];
	int rc;

	clock_date(clock_now(), today);
	rc = care_get(db, care_id, today, c);
	if (rc == CARE_OK && strcmp(c->state, "active"))
		rc = CARE_BAD_STATE;
	return rc;
}

int pairing_add(struct db *db, const struct actor *who, int64_t care_id, const struct pairing_who *w,
		struct field_errors *errs, int64_t *id)
{
	struct care *c = xmalloc(sizeof(*c));
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0) {
		free(c);
		return CARE_ERROR;
	}
	rc = active_care(db, care_id, c);
	if (rc == CARE_OK)
		rc = check_who(db, w, c, errs);
	if (rc == CARE_OK)
		rc = paired_already(db, care_id, w);
	if (rc == CARE_OK) {
		const int64_t now = clock_now();

		st = db_prepare(db, "INSERT INTO pairing (community_code, care_id, member_id, team_id, unit_id, state, "
				    "created_by, created_at, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?) "
				    "RETURNING id");
		db_bind_text(st, 1, c->community_code);
		db_bind_int(st, 2, care_id);
		bind_id_or_null(st, 3, w->member_id);
		bind_id_or_null(st, 4, w->team_id);
		bind_id_or_null(st, 5, w->unit_id);
		bind_id_or_null(st, 6, who->account_id);
		db_bind_int(st, 7, now);
		bind_id_or_null(st, 8, who->account_id);
		db_bind_int(st, 9, now);
		rc = db_step(st);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
		rc = rc == DB_ROW ? CARE_OK : CARE_ERROR;
	}
	if (rc == CARE_OK)
		rc = care_audit(db, who, "pairing.create", "pairing", *id, c->community_path, "");
	free(c);
	return care_finish(db, rc);
}

int pairing_offer(struct db *db, const struct actor *who, int64_t member_id, const char *community_code,
		  const char *note, struct field_errors *errs, int64_t *id)
{
	struct region r;
	struct db_stmt *st;
	int rc;

	check_text(note, "note", 0, PAIRING_NOTE_MAX, errs);
	if (errs->n)
		return CARE_INVALID;
	if (db_begin(db) < 0)
		return CARE_ERROR;
	rc = community_code && valid_digits(community_code, 12, 18) ? region_get(db, community_code, &r) : REGION_NOT_FOUND;
	rc = rc == REGION_OK ? (strcmp(r.level, "community") ? CARE_NOT_FOUND : CARE_OK)
			     : rc == REGION_NOT_FOUND ? CARE_NOT_FOUND : CARE_ERROR;
	if (rc == CARE_OK)
		rc = member_of(db, member_id, r.code);
	if (rc == CARE_NOT_FOUND) {
		field_errors_add(errs, "community_code", "not_found", "应为您报到的社区");
		rc = CARE_INVALID;
	}
	if (rc == CARE_OK) {
		rc = probe(db, "SELECT 1 FROM pairing WHERE member_id = ?1 AND community_code = ?2 AND state = 'offered'",
			   member_id, r.code);
		rc = rc == CARE_OK ? CARE_DUPLICATE : rc == CARE_NOT_FOUND ? CARE_OK : rc;
	}
	if (rc == CARE_OK) {
		st = db_prepare(db, "INSERT INTO pairing (community_code, member_id, state, note, created_by, created_at) "
				    "VALUES (?, ?, 'offered', ?, ?, ?) RETURNING id");
		db_bind_text(st, 1, r.code);
		db_bind_int(st, 2, member_id);
		db_bind_text(st, 3, note ? note : "");
		bind_id_or_null(st, 4, who->account_id);
		db_bind_int(st, 5, clock_now());
		rc = db_step(st);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
		rc = rc == DB_ROW ? CARE_OK : CARE_ERROR;
	}
	if (rc == CARE_OK)
		rc = care_audit(db, who, "pairing.offer", "pairing", *id, r.path, "");
	return care_finish(db, rc);
}

/* Moves pairing id from state from to state to (with care_id when it names one, reason when ending). */
static int move(struct db *db, const struct actor *who, int64_t id, const char *from, const char *to, int64_t care_id,
		const char *reason, const char *action)
{
	struct pairing p;
	struct db_stmt *st;
	int rc = pairing_get(db, id, &p);

	if (rc == CARE_OK && strcmp(p.state, from))
		rc = CARE_BAD_STATE;
	if (rc == CARE_OK) {
		st = db_prepare(db, "UPDATE pairing SET state = ?, care_id = COALESCE(?, care_id), end_reason = ?, "
				    "decided_by = ?, decided_at = ? WHERE id = ? AND state = ?");
		db_bind_text(st, 1, to);
		bind_id_or_null(st, 2, care_id);
		db_bind_text(st, 3, reason ? reason : "");
		bind_id_or_null(st, 4, who->account_id);
		db_bind_int(st, 5, clock_now());
		db_bind_int(st, 6, id);
		db_bind_text(st, 7, from);
		rc = db_step(st) == DB_DONE ? CARE_OK : CARE_ERROR;
		db_done(st);
		if (rc == CARE_OK && db_changes(db) != 1)
			rc = CARE_BAD_STATE;
	}
	if (rc == CARE_OK)
		rc = care_audit(db, who, action, "pairing", id, p.community_path, reason ? reason : "");
	return rc;
}

int pairing_accept(struct db *db, const struct actor *who, int64_t id, int64_t care_id, struct field_errors *errs)
{
	struct care *c = xmalloc(sizeof(*c));
	struct pairing p;
	int rc;

	if (db_begin(db) < 0) {
		free(c);
		return CARE_ERROR;
	}
	rc = pairing_get(db, id, &p);
	if (rc == CARE_OK && strcmp(p.state, "offered"))
		rc = CARE_BAD_STATE;
	if (rc == CARE_OK) {
		rc = care_id ? active_care(db, care_id, c) : CARE_NOT_FOUND;
		if (rc == CARE_OK && strcmp(c->community_code, p.community_code))
			rc = CARE_NOT_FOUND;
		if (rc == CARE_NOT_FOUND || rc == CARE_BAD_STATE) {
			field_errors_add(errs, "care_id", "not_found", "应为本社区在册的帮扶对象");
			rc = CARE_INVALID;
		}
	}
	if (rc == CARE_OK) {
		struct pairing_who w = { p.member_id, 0, 0 };

		rc = check_who(db, &w, c, errs);
		if (rc == CARE_OK)
			rc = paired_already(db, care_id, &w);
	}
	if (rc == CARE_OK)
		rc = move(db, who, id, "offered", "active", care_id, NULL, "pairing.accept");
	free(c);
	return care_finish(db, rc);
}

static int end_with_reason(struct db *db, const struct actor *who, int64_t id, const char *from, const char *reason,
			   const char *action, struct field_errors *errs)
{
	check_text(reason, "reason", CARE_REASON_MIN, PAIRING_REASON_MAX, errs);
	if (errs->n)
		return CARE_INVALID;
	if (db_begin(db) < 0)
		return CARE_ERROR;
	return care_finish(db, move(db, who, id, from, "ended", 0, reason, action));
}

int pairing_decline(struct db *db, const struct actor *who, int64_t id, const char *reason, struct field_errors *errs)
{
	return end_with_reason(db, who, id, "offered", reason, "pairing.decline", errs);
}

int pairing_end(struct db *db, const struct actor *who, int64_t id, const char *reason, struct field_errors *errs)
{
	return end_with_reason(db, who, id, "active", reason, "pairing.end", errs);
}

#define PAIRING_COLUMNS                                                                                           \
	"p.id, p.community_code, r.path, COALESCE(p.care_id, 0), COALESCE(p.member_id, 0), COALESCE(p.team_id, 0), " \
	"COALESCE(p.unit_id, 0), COALESCE(m.name, t.name, u.name, ''), p.state, p.note, p.end_reason, p.created_at, " \
	"COALESCE(p.decided_at, 0) "
#define PAIRING_FROM                                                                                            \
	" FROM pairing p JOIN region r ON r.code = p.community_code LEFT JOIN member m ON m.id = p.member_id "   \
	"LEFT JOIN team t ON t.id = p.team_id LEFT JOIN unit u ON u.id = p.unit_id "

static void row(struct db_stmt *st, struct pairing *p)
{
	memset(p, 0, sizeof(*p));
	p->id = db_col_int(st, 0);
	str_copy(p->community_code, sizeof(p->community_code), db_col_text(st, 1));
	str_copy(p->community_path, sizeof(p->community_path), db_col_text(st, 2));
	p->care_id = db_col_int(st, 3);
	p->member_id = db_col_int(st, 4);
	p->team_id = db_col_int(st, 5);
	p->unit_id = db_col_int(st, 6);
	str_copy(p->kind, sizeof(p->kind), p->member_id ? "member" : p->team_id ? "team" : "unit");
	str_copy(p->who_name, sizeof(p->who_name), db_col_text(st, 7));
	str_copy(p->state, sizeof(p->state), db_col_text(st, 8));
	str_copy(p->note, sizeof(p->note), db_col_text(st, 9));
	str_copy(p->end_reason, sizeof(p->end_reason), db_col_text(st, 10));
	p->created_at = db_col_int(st, 11);
	p->decided_at = db_col_int(st, 12);
}

int pairing_get(struct db *db, int64_t id, struct pairing *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " PAIRING_COLUMNS PAIRING_FROM "WHERE p.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		row(st, out);
	db_done(st);
	return rc == DB_ROW ? CARE_OK : rc == DB_DONE ? CARE_NOT_FOUND : CARE_ERROR;
}

static int collect(struct db_stmt *st, struct pairing **items, size_t *n)
{
	int rc;

	*items = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		*items = xrealloc(*items, (*n + 1) * sizeof(**items));
		row(st, &(*items)[(*n)++]);
	}
	db_done(st);
	if (rc == DB_DONE)
		return CARE_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return CARE_ERROR;
}

int pairing_of_care(struct db *db, int64_t care_id, struct pairing **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " PAIRING_COLUMNS PAIRING_FROM "WHERE p.care_id = ? ORDER BY "
					    "CASE p.state WHEN 'active' THEN 0 ELSE 1 END, p.id");

	db_bind_int(st, 1, care_id);
	return collect(st, items, n);
}

int pairing_offers(struct db *db, const char *community_code, struct pairing **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " PAIRING_COLUMNS PAIRING_FROM "WHERE p.community_code = ? AND "
					    "p.state = 'offered' ORDER BY p.id");

	db_bind_text(st, 1, community_code);
	return collect(st, items, n);
}

int pairing_my_offers(struct db *db, int64_t member_id, struct pairing **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " PAIRING_COLUMNS PAIRING_FROM "WHERE p.member_id = ? AND "
					    "p.care_id IS NULL ORDER BY p.id DESC");

	db_bind_int(st, 1, member_id);
	return collect(st, items, n);
}

/* Pairings that reach member ?1: its own, and its teams'. */
#define MINE "p.state = 'active' AND (p.member_id = ?1 OR p.team_id IN (SELECT tm.team_id FROM team_member tm " \
	     "WHERE tm.member_id = ?1 AND tm.state = 'member'))"

int pairing_member_has(struct db *db, int64_t member_id, int64_t care_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM pairing p WHERE " MINE " AND p.care_id = ?2");
	int rc;

	db_bind_int(st, 1, member_id);
	db_bind_int(st, 2, care_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? CARE_OK : rc == DB_DONE ? CARE_NOT_FOUND : CARE_ERROR;
}

int pairing_mine(struct db *db, int64_t member_id, const char *today, struct my_pairing **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT p.id, p.care_id, COALESCE(t.name, '') FROM pairing p JOIN care c ON "
					    "c.id = p.care_id LEFT JOIN team t ON t.id = p.team_id WHERE " MINE
					    " AND c.state = 'active' ORDER BY p.id");
	int64_t *pids = NULL, *cids = NULL;
	char (*teams)[TEXT_BYTES(100)] = NULL;
	size_t k = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, member_id);
	while ((rc = db_step(st)) == DB_ROW) {
		bool seen = false;

		/* Paired both in person and through a team: listed once. */
		for (size_t i = 0; i < k; i++)
			seen = seen || cids[i] == db_col_int(st, 1);
		if (seen)
			continue;
		pids = xrealloc(pids, (k + 1) * sizeof(*pids));
		cids = xrealloc(cids, (k + 1) * sizeof(*cids));
		teams = xrealloc(teams, (k + 1) * sizeof(*teams));
		pids[k] = db_col_int(st, 0);
		cids[k] = db_col_int(st, 1);
		str_copy(teams[k], sizeof(teams[k]), db_col_text(st, 2));
		k++;
	}
	db_done(st);
	rc = rc == DB_DONE ? CARE_OK : CARE_ERROR;
	if (rc == CARE_OK && k) {
		struct care *c = xmalloc(sizeof(*c));

		*items = xmalloc(k * sizeof(**items));
		for (size_t i = 0; i < k && rc == CARE_OK; i++) {
			struct my_pairing *m = &(*items)[i];

			rc = care_get(db, cids[i], today, c);
			if (rc != CARE_OK)
				break;
			memset(m, 0, sizeof(*m));
			m->pairing_id = pids[i];
			m->care_id = cids[i];
			str_copy(m->via_team, sizeof(m->via_team), teams[i]);
			str_copy(m->name, sizeof(m->name), c->name);
			str_copy(m->address, sizeof(m->address), c->address);
			str_copy(m->help_what, sizeof(m->help_what), c->help_what);
			str_copy(m->help_often, sizeof(m->help_often), c->help_often);
			str_copy(m->frequency, sizeof(m->frequency), c->frequency);
			str_copy(m->last_visit, sizeof(m->last_visit), c->last_visit);
			str_copy(m->next_due, sizeof(m->next_due), c->next_due);
			m->overdue = c->overdue;
			++*n;
		}
		free(c);
	}
	free(pids);
	free(cids);
	free(teams);
	if (rc == CARE_OK)
		return CARE_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return CARE_ERROR;
}
