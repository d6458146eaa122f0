/* roster.c: units' rosters: matching report-ins by keyed ID hash, the "not reported yet" list */
#include "domain/roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/member.h"

int roster_verify_member(struct db *db, int64_t member_id)
{
	struct db_stmt *st = db_prepare(db, "UPDATE member SET roster_verified = CASE WHEN EXISTS (SELECT 1 FROM "
					    "roster_entry e WHERE e.unit_id = member.unit_id AND e.id_number_hash = "
					    "member.id_number_hash) THEN 1 ELSE 0 END WHERE id = ?");
	int rc;

	db_bind_int(st, 1, member_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

#define LATEST_STATE MEMBER_STATE_SQL

int roster_list(struct db *db, int64_t unit_id, int not_reported, int64_t page, int64_t per_page,
		struct roster_entry **items, size_t *n, int64_t *total)
{
	const char *from = " FROM roster_entry e LEFT JOIN member m ON m.id_number_hash = e.id_number_hash "
			   "LEFT JOIN region r ON r.code = m.community_code WHERE e.unit_id = ?";
	const char *filter = not_reported ? " AND COALESCE(" LATEST_STATE ", '') <> 'approved'" : "";
	char sql[1024];
	struct db_stmt *st;
	int rc;

	*items = NULL;
	*n = 0;
	snprintf(sql, sizeof(sql), "SELECT COUNT(*)%s%s", from, filter);
	st = db_prepare(db, sql);
	db_bind_int(st, 1, unit_id);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	snprintf(sql, sizeof(sql), "SELECT e.id, e.name, e.id_number_masked, e.position, COALESCE(m.id, 0), "
				   "COALESCE(" LATEST_STATE ", ''), COALESCE(r.name, '')%s%s ORDER BY e.name, e.id "
				   "LIMIT ? OFFSET ?", from, filter);
	st = db_prepare(db, sql);
	db_bind_int(st, 1, unit_id);
	db_bind_int(st, 2, per_page);
	db_bind_int(st, 3, (page - 1) * per_page);
	*items = xcalloc((size_t)per_page, sizeof(**items));
	while ((rc = db_step(st)) == DB_ROW && *n < (size_t)per_page) {
		struct roster_entry *e = &(*items)[(*n)++];

		e->id = db_col_int(st, 0);
		str_copy(e->name, sizeof(e->name), db_col_text(st, 1));
		str_copy(e->id_masked, sizeof(e->id_masked), db_col_text(st, 2));
		str_copy(e->position, sizeof(e->position), db_col_text(st, 3));
		e->member_id = db_col_int(st, 4);
		str_copy(e->state, sizeof(e->state), db_col_text(st, 5));
		str_copy(e->community_name, sizeof(e->community_name), db_col_text(st, 6));
	}
	db_done(st);
	if (rc != DB_DONE && rc != DB_ROW) {
		free(*items);
		*items = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}
