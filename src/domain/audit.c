/* audit.c: appending to and verifying the keyed hash chain of the audit log */
#include "domain/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/xalloc.h"
#include "domain/authz.h"
#include "domain/listing.h"

static const char genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

struct entry {
	int64_t id, at, account_id;
	const char *action, *target_type, *target_id, *region_path, *outcome, *client, *prev, *detail;
};

static void entry_hash(const struct entry *e, char out[CRYPTO_HEX_HASH])
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "%" PRId64 "\x1f%" PRId64 "\x1f%" PRId64 "\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", e->id,
		 e->at, e->account_id, e->action, e->target_type, e->target_id, e->region_path, e->outcome,
		 e->client, e->prev);
	/* Entries without a detail hash as they did before the column existed. */
	if (e->detail && *e->detail)
		buf_addf(&b, "\x1f%s", e->detail);
	crypto_mac_hex(KEY_AUDIT, b.data, b.len, out);
	buf_release(&b);
}

/* The head names the last entry and is itself keyed, so cutting the tail off shows. */
static void head_value(int64_t id, const char *hash, char *out, size_t n)
{
	char text[128], mac[CRYPTO_HEX_HASH];

	snprintf(text, sizeof(text), "head\x1f%" PRId64 "\x1f%s", id, hash);
	crypto_mac_hex(KEY_AUDIT, text, strlen(text), mac);
	snprintf(out, n, "%" PRId64 ":%s:%s", id, hash, mac);
}

int audit_append(struct db *db, const struct actor *who, const char *action, const char *target_type,
		 const char *target_id, const char *region_path, const char *outcome)
{
	return audit_append_detail(db, who, action, target_type, target_id, region_path, outcome, "");
}

int audit_append_detail(struct db *db, const struct actor *who, const char *action, const char *target_type,
			const char *target_id, const char *region_path, const char *outcome, const char *detail)
{
	struct db_stmt *st;
	char prev[CRYPTO_HEX_HASH], hash[CRYPTO_HEX_HASH], head[256];
	struct entry e = { 0 };
	int rc;

	str_copy(prev, sizeof(prev), genesis);
	st = db_prepare(db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
	rc = db_step(st);
	if (rc == DB_ROW) {
		e.id = db_col_int(st, 0) + 1;
		str_copy(prev, sizeof(prev), db_col_text(st, 1));
	} else {
		e.id = 1;
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return -1;
	e.at = clock_now();
	e.account_id = who->account_id;
	e.action = action;
	e.target_type = target_type;
	e.target_id = target_id;
	e.region_path = region_path ? region_path : "";
	e.outcome = outcome;
	e.client = who->client;
	e.prev = prev;
	e.detail = detail;
	entry_hash(&e, hash);

	st = db_prepare(db, "INSERT INTO audit_log (id, at, account_id, action, target_type, target_id, "
			    "region_path, outcome, client_addr, prev_hash, hash, detail) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
	db_bind_int(st, 1, e.id);
	db_bind_int(st, 2, e.at);
	if (e.account_id)
		db_bind_int(st, 3, e.account_id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, e.action);
	db_bind_text(st, 5, e.target_type);
	db_bind_text(st, 6, e.target_id);
	db_bind_text(st, 7, e.region_path);
	db_bind_text(st, 8, e.outcome);
	db_bind_text(st, 9, e.client);
	db_bind_text(st, 10, prev);
	db_bind_text(st, 11, hash);
	db_bind_text(st, 12, detail);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return -1;

	head_value(e.id, hash, head, sizeof(head));
	st = db_prepare(db, "INSERT INTO meta (key, value) VALUES ('audit_head', ?) "
			    "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
	db_bind_text(st, 1, head);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int audit_record(struct db *db, const struct actor *who, const char *action, const char *target_type,
		 const char *target_id, const char *region_path, const char *outcome)
{
	if (db_begin(db) < 0)
		return -1;
	if (audit_append(db, who, action, target_type, target_id, region_path, outcome) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

struct audit_query {
	const struct scope *scope;
	const struct audit_filter *f;
};

static void filters_sql(struct buf *sql, const void *arg)
{
	const struct audit_query *q = arg;

	buf_addstr(sql, " FROM audit_log a LEFT JOIN account ac ON ac.id = a.account_id WHERE 1=1");
	listing_scope_sql(sql, q->scope, "a.region_path", NULL);
	if (q->f->action)
		buf_addstr(sql, " AND a.action = ?");
	if (q->f->account)
		buf_addstr(sql, " AND ac.login = ?");
	if (q->f->account_id)
		buf_addstr(sql, " AND a.account_id = ?");
	if (q->f->target_type)
		buf_addstr(sql, " AND a.target_type = ?");
	if (q->f->target_id)
		buf_addstr(sql, " AND a.target_id = ?");
	if (q->f->from)
		buf_addstr(sql, " AND a.at >= ?");
	if (q->f->to)
		buf_addstr(sql, " AND a.at < ?");
}

static int filters_bind(struct db_stmt *st, const void *arg)
{
	const struct audit_query *q = arg;
	int i = listing_scope_bind(st, q->scope, 0, 1);

	if (q->f->action)
		db_bind_text(st, i++, q->f->action);
	if (q->f->account)
		db_bind_text(st, i++, q->f->account);
	if (q->f->account_id)
		db_bind_int(st, i++, q->f->account_id);
	if (q->f->target_type)
		db_bind_text(st, i++, q->f->target_type);
	if (q->f->target_id)
		db_bind_text(st, i++, q->f->target_id);
	if (q->f->from)
		db_bind_int(st, i++, q->f->from);
	if (q->f->to)
		db_bind_int(st, i++, q->f->to);
	return i;
}

static void read_item(struct db_stmt *st, void *item, const void *arg)
{
	struct audit_row *r = item;

	(void)arg;
	r->id = db_col_int(st, 0);
	r->at = db_col_int(st, 1);
	r->account_id = db_col_int(st, 2);
	str_copy(r->account_login, sizeof(r->account_login), db_col_text(st, 3));
	str_copy(r->action, sizeof(r->action), db_col_text(st, 4));
	str_copy(r->target_type, sizeof(r->target_type), db_col_text(st, 5));
	str_copy(r->target_id, sizeof(r->target_id), db_col_text(st, 6));
	str_copy(r->outcome, sizeof(r->outcome), db_col_text(st, 7));
	str_copy(r->client, sizeof(r->client), db_col_text(st, 8));
	str_copy(r->detail, sizeof(r->detail), db_col_text(st, 9));
	str_copy(r->account_name, sizeof(r->account_name), db_col_text(st, 10));
	str_copy(r->target_name, sizeof(r->target_name), db_col_text(st, 11));
}

/*
 * What an entry touched, by name, looked up by its type (the entry keeps only the id). A failed login under
 * an unknown name has no target: '' is NULL here (PostgreSQL refuses to cast '' to a number; SQLite made 0).
 */
#define TARGET_ID "CAST(NULLIF(a.target_id, '') AS INTEGER)"
#define TARGET_NAME_SQL                                                                                     \
	"COALESCE(CASE a.target_type "                                                                      \
	"WHEN 'member' THEN (SELECT name FROM member WHERE id = " TARGET_ID ") "                            \
	"WHEN 'registration' THEN (SELECT m.name FROM registration g JOIN member m ON m.id = g.member_id "  \
	"WHERE g.id = " TARGET_ID ") "                                                                      \
	"WHEN 'account' THEN (SELECT name FROM account WHERE id = " TARGET_ID ") "                          \
	"WHEN 'unit' THEN (SELECT name FROM unit WHERE id = " TARGET_ID ") "                                \
	"WHEN 'region' THEN (SELECT name FROM region WHERE code = a.target_id) "                            \
	"WHEN 'agreement' THEN (SELECT u.name FROM agreement g JOIN unit u ON u.id = g.unit_id "            \
	"WHERE g.id = " TARGET_ID ") END, '')"

int audit_list(struct db *db, const struct scope *scope, const struct audit_filter *f, struct audit_row **rows,
	       size_t *n, int64_t *total)
{
	static const struct listing l = {
		"a.id, a.at, COALESCE(a.account_id, 0), COALESCE(ac.login, ''), a.action, a.target_type, "
		"a.target_id, a.outcome, a.client_addr, a.detail, COALESCE(ac.name, ''), " TARGET_NAME_SQL,
		filters_sql, filters_bind, " ORDER BY a.id DESC", sizeof(struct audit_row), read_item,
	};
	struct audit_query q = { scope, f };

	return listing_page(db, &l, &q, f->page, f->per_page, (void **)rows, n, total);
}

int audit_verify(struct db *db, int64_t *entries, char *err, size_t errlen)
{
	char prev[CRYPTO_HEX_HASH], hash[CRYPTO_HEX_HASH], head[256];
	struct db_stmt *st;
	int64_t last = 0, count = 0;
	int rc, ok = 1;

	str_copy(prev, sizeof(prev), genesis);
	st = db_prepare(db, "SELECT id, at, COALESCE(account_id, 0), action, target_type, target_id, region_path, "
			    "outcome, client_addr, prev_hash, hash, detail FROM audit_log ORDER BY id");
	while (ok && (rc = db_step(st)) == DB_ROW) {
		struct entry e = {
			db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_text(st, 3),
			db_col_text(st, 4), db_col_text(st, 5), db_col_text(st, 6), db_col_text(st, 7),
			db_col_text(st, 8), prev, db_col_text(st, 11),
		};

		if (strcmp(db_col_text(st, 9), prev)) {
			snprintf(err, errlen, "entry %" PRId64 ": does not follow entry %" PRId64
					      " (an entry was removed or changed)", e.id, last);
			ok = 0;
			break;
		}
		entry_hash(&e, hash);
		if (!crypto_equal_hex(hash, db_col_text(st, 10))) {
			snprintf(err, errlen, "entry %" PRId64 ": content does not match its hash (edited)", e.id);
			ok = 0;
			break;
		}
		str_copy(prev, sizeof(prev), hash);
		last = e.id;
		count++;
	}
	db_done(st);
	if (!ok)
		return -1;
	if (rc != DB_DONE) {
		snprintf(err, errlen, "cannot read the audit log");
		return -1;
	}
	st = db_prepare(db, "SELECT value FROM meta WHERE key = 'audit_head'");
	rc = db_step(st);
	if (count) {
		head_value(last, prev, head, sizeof(head));
		if (rc != DB_ROW || strcmp(db_col_text(st, 0), head)) {
			snprintf(err, errlen, "the log ends at entry %" PRId64 " but its head says otherwise "
					      "(entries were cut off the end)", last);
			ok = 0;
		}
	} else if (rc == DB_ROW) {
		snprintf(err, errlen, "the log is empty but its head names entries (entries were removed)");
		ok = 0;
	}
	db_done(st);
	*entries = count;
	return ok ? 0 : -1;
}
