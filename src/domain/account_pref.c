/* account_pref.c: an account's large-font default, kept in account_pref, written with its audit entry */
#include "domain/account_pref.h"

#include <inttypes.h>
#include <stdio.h>

#include "base/clock.h"

int account_large_font_set(struct db *db, const struct actor *who, int64_t account_id, bool on,
			   const char *region_path)
{
	struct db_stmt *st;
	char idt[24];
	int rc;

	if (db_begin(db) < 0)
		return -1;
	st = db_prepare(db, "DELETE FROM account_pref WHERE account_id = ?");
	db_bind_int(st, 1, account_id);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE) {
		st = db_prepare(db, "INSERT INTO account_pref (account_id, large_font, updated_at) VALUES (?, ?, ?)");
		db_bind_int(st, 1, account_id);
		db_bind_int(st, 2, on ? 1 : 0);
		db_bind_int(st, 3, clock_now());
		rc = db_step(st);
		db_done(st);
	}
	snprintf(idt, sizeof(idt), "%" PRId64, account_id);
	if (rc != DB_DONE ||
	    audit_append_detail(db, who, "account.large_font", "account", idt, region_path, "ok", on ? "on" : "off") < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) < 0 ? -1 : 0;
}

bool account_large_font(struct db *db, int64_t account_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT large_font FROM account_pref WHERE account_id = ?");
	bool on = false;

	db_bind_int(st, 1, account_id);
	if (db_step(st) == DB_ROW)
		on = db_col_int(st, 0) == 1;
	db_done(st);
	return on;
}
