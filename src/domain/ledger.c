/* ledger.c: accounts made on first use, balanced movements appended with their balances, the ledgers verified */
#include "domain/ledger.h"

#include <string.h>

#include "base/clock.h"

const char *const book_names[] = { "points", "hours", NULL };
const char *const ledger_sources[] = { "record", "bonus", "redemption", "gift", "correction", NULL };
static const char *const kinds[] = { "member", "person", "issue", "shelf" };

static void bind_owner(struct db_stmt *st, enum book book, const struct ledger_owner *o)
{
	db_bind_text(st, 1, book_names[book]);
	db_bind_text(st, 2, kinds[o->kind]);
	db_bind_int(st, 3, o->kind == KIND_MEMBER ? o->id : 0);
	db_bind_int(st, 4, o->kind == KIND_PERSON ? o->id : 0);
	db_bind_text(st, 5, o->kind == KIND_ISSUE || o->kind == KIND_SHELF ? o->region_code : "");
}

#define OWNER_MATCH \
	"book = ?1 AND kind = ?2 AND COALESCE(member_id, 0) = ?3 AND COALESCE(account_id, 0) = ?4 AND " \
	"COALESCE(region_code, '') = ?5"

/* The account's id and balance: DB_ROW, DB_DONE when there is none, or an error. */
static int find(struct db *db, enum book book, const struct ledger_owner *o, int64_t *id, int64_t *balance)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, balance FROM ledger_account WHERE " OWNER_MATCH);
	int rc;

	bind_owner(st, book, o);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		*balance = db_col_int(st, 1);
	}
	db_done(st);
	return rc;
}

int ledger_account(struct db *db, enum book book, const struct ledger_owner *owner, int64_t *account_id)
{
	struct db_stmt *st;
	int64_t balance;
	int rc = find(db, book, owner, account_id, &balance);

	if (rc != DB_DONE)
		return rc == DB_ROW ? 0 : -1;
	st = db_prepare(db, "INSERT INTO ledger_account (book, kind, member_id, account_id, region_code) "
			    "VALUES (?1, ?2, NULLIF(?3, 0), NULLIF(?4, 0), NULLIF(?5, '')) RETURNING id");
	bind_owner(st, book, owner);
	rc = db_step(st);
	if (rc == DB_ROW)
		*account_id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int ledger_balance(struct db *db, enum book book, const struct ledger_owner *owner, int64_t *balance)
{
	int64_t id;
	int rc = find(db, book, owner, &id, balance);

	if (rc == DB_DONE)
		*balance = 0;
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

static void bind_or_null(struct db_stmt *st, int idx, int64_t v)
{
	if (v)
		db_bind_int(st, idx, v);
	else
		db_bind_null(st, idx);
}

int ledger_post(struct db *db, const struct actor *who, const struct movement *m, int64_t *id)
{
	struct db_stmt *st;
	int64_t sum = 0;
	int rc;

	for (size_t i = 0; i < m->nentries; i++)
		sum += m->entries[i].amount;
	if (sum != 0 || m->nentries < 2 || m->nentries > LEDGER_ENTRIES_MAX)
		return -1;
	st = db_prepare(db, "INSERT INTO ledger_movement (book, source, member_id, record_id, rule_id, corrects_id, day, "
			    "note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	db_bind_text(st, 1, book_names[m->book]);
	db_bind_text(st, 2, ledger_sources[m->source]);
	bind_or_null(st, 3, m->member_id);
	bind_or_null(st, 4, m->record_id);
	bind_or_null(st, 5, m->rule_id);
	bind_or_null(st, 6, m->corrects_id);
	db_bind_text(st, 7, m->day);
	db_bind_text(st, 8, m->note ? m->note : "");
	bind_or_null(st, 9, who->account_id);
	db_bind_int(st, 10, clock_now());
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	for (size_t i = 0; i < m->nentries; i++) {
		st = db_prepare(db, "INSERT INTO ledger_entry (movement_id, account_id, amount) VALUES (?, ?, ?)");
		db_bind_int(st, 1, *id);
		db_bind_int(st, 2, m->entries[i].account_id);
		db_bind_int(st, 3, m->entries[i].amount);
		rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return -1;
		st = db_prepare(db, "UPDATE ledger_account SET balance = balance + ? WHERE id = ?");
		db_bind_int(st, 1, m->entries[i].amount);
		db_bind_int(st, 2, m->entries[i].account_id);
		rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE || db_changes(db) != 1)
			return -1;
	}
	return 0;
}

/* Counts the rows of sql and notes the first (the query gives ids, ascending). */
static int faults(struct db *db, const char *sql, int64_t *count, int64_t *first)
{
	struct db_stmt *st = db_prepare(db, sql);
	int rc;

	*count = *first = 0;
	while ((rc = db_step(st)) == DB_ROW)
		if ((*count)++ == 0)
			*first = db_col_int(st, 0);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int count(struct db *db, const char *sql, int64_t *out)
{
	struct db_stmt *st = db_prepare(db, sql);
	int rc = db_step(st);

	if (rc == DB_ROW)
		*out = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int ledger_verify(struct db *db, struct ledger_check *out)
{
	memset(out, 0, sizeof(*out));
	if (count(db, "SELECT count(*) FROM ledger_movement", &out->movements) < 0 ||
	    count(db, "SELECT count(*) FROM ledger_account", &out->accounts) < 0)
		return -1;
	/* A movement with fewer than two entries is unbalanced too: it moved nothing or from nowhere. */
	if (faults(db,
		   "SELECT m.id FROM ledger_movement m LEFT JOIN ledger_entry e ON e.movement_id = m.id "
		   "GROUP BY m.id HAVING COALESCE(SUM(e.amount), 1) <> 0 OR count(e.account_id) < 2 ORDER BY m.id",
		   &out->unbalanced, &out->first_movement) < 0 ||
	    faults(db,
		   "SELECT a.id FROM ledger_account a LEFT JOIN (SELECT account_id, SUM(amount) AS s FROM ledger_entry "
		   "GROUP BY account_id) e ON e.account_id = a.id WHERE a.balance <> COALESCE(e.s, 0) ORDER BY a.id",
		   &out->wrong_balances, &out->first_account) < 0)
		return -1;
	return out->unbalanced || out->wrong_balances ? 1 : 0;
}

int ledger_history(struct db *db, enum book book, int64_t member_id, int64_t before, size_t max,
		   struct ledger_line **items, size_t *n)
{
	struct ledger_owner me = { KIND_MEMBER, member_id, NULL };
	struct db_stmt *st;
	int64_t account = 0, balance;
	int rc;

	*items = xcalloc(max ? max : 1, sizeof(**items));
	*n = 0;
	rc = find(db, book, &me, &account, &balance);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 0 : -1;
	/* The account's entries, newest first, walk its index. */
	st = db_prepare(db, "SELECT m.id, e.amount, COALESCE(m.record_id, 0), COALESCE(m.corrects_id, 0), "
			    "COALESCE(m.rule_id, 0), m.created_at, m.source, m.day, m.note, COALESCE(i.name, '') "
			    "FROM ledger_entry e JOIN ledger_movement m ON m.id = e.movement_id "
			    "LEFT JOIN record g ON g.id = m.record_id LEFT JOIN catalog_item i ON i.id = g.item_id "
			    "WHERE e.account_id = ?1 AND (?2 = 0 OR e.movement_id < ?2) "
			    "ORDER BY e.movement_id DESC LIMIT ?3");
	db_bind_int(st, 1, account);
	db_bind_int(st, 2, before);
	db_bind_int(st, 3, (int64_t)max);
	while ((rc = db_step(st)) == DB_ROW && *n < max) {
		struct ledger_line *l = &(*items)[(*n)++];

		l->movement_id = db_col_int(st, 0);
		l->amount = db_col_int(st, 1);
		l->record_id = db_col_int(st, 2);
		l->corrects_id = db_col_int(st, 3);
		l->rule_id = db_col_int(st, 4);
		l->created_at = db_col_int(st, 5);
		str_copy(l->source, sizeof(l->source), db_col_text(st, 6));
		str_copy(l->day, sizeof(l->day), db_col_text(st, 7));
		str_copy(l->note, sizeof(l->note), db_col_text(st, 8));
		str_copy(l->item_name, sizeof(l->item_name), db_col_text(st, 9));
	}
	db_done(st);
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}
