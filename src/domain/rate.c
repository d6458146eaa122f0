/* rate.c: fixed-window attempt counts, one row per key, rewritten when its window has passed */
#include "domain/rate.h"

int64_t rate_take(struct db *db, const char *key, int limit, int64_t window, int64_t now)
{
	int64_t start = now - now % window, attempts = 0;
	struct db_stmt *st = db_prepare(db, "INSERT INTO rate_limit (key, window_start, attempts) VALUES (?, ?, 1) "
					    "ON CONFLICT (key) DO UPDATE SET attempts = CASE WHEN rate_limit.window_start "
					    "= excluded.window_start THEN rate_limit.attempts + 1 ELSE 1 END, window_start = "
					    "excluded.window_start RETURNING attempts");
	int rc;

	db_bind_text(st, 1, key);
	db_bind_int(st, 2, start);
	rc = db_step(st);
	if (rc == DB_ROW)
		attempts = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	return attempts > limit ? start + window - now : 0;
}
