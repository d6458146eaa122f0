/* roster.c: units' rosters: storing entries, matching report-ins by keyed ID hash, the "not reported yet" list */
#include "domain/roster.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
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

int roster_put(struct db *db, int64_t unit_id, const struct roster_row *r, int64_t *added, int64_t *updated)
{
	struct idcard card;
	char hash[CRYPTO_HEX_HASH], masked[IDCARD_LEN + 1];
	struct db_stmt *st;
	int64_t now = clock_now();
	int rc, exists;

	if (idcard_parse(r->id_number, now, &card) != IDCARD_OK)
		return -1;
	crypto_mac_hex(KEY_LOOKUP, card.number, strlen(card.number), hash);
	idcard_mask(card.number, masked);
	st = db_prepare(db, "SELECT 1 FROM roster_entry WHERE unit_id = ? AND id_number_hash = ?");
	db_bind_int(st, 1, unit_id);
	db_bind_text(st, 2, hash);
	exists = db_step(st);
	db_done(st);
	if (exists == DB_ERROR)
		return -1;
	if (exists == DB_ROW) {
		st = db_prepare(db, "UPDATE roster_entry SET name = ?, position = ? WHERE unit_id = ? AND id_number_hash = ?");
		db_bind_text(st, 1, r->name);
		db_bind_text(st, 2, r->position ? r->position : "");
		db_bind_int(st, 3, unit_id);
		db_bind_text(st, 4, hash);
		(*updated)++;
	} else {
		st = db_prepare(db, "INSERT INTO roster_entry (unit_id, name, id_number_hash, id_number_masked, position, "
				    "created_at) VALUES (?, ?, ?, ?, ?, ?)");
		db_bind_int(st, 1, unit_id);
		db_bind_text(st, 2, r->name);
		db_bind_text(st, 3, hash);
		db_bind_text(st, 4, masked);
		db_bind_text(st, 5, r->position ? r->position : "");
		db_bind_int(st, 6, now);
		(*added)++;
	}
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int roster_close(struct db *db, const struct actor *who, int64_t unit_id, int64_t added, int64_t updated)
{
	struct db_stmt *st;
	char idt[24], detail[64];
	int rc;

	st = db_prepare(db, "UPDATE member SET roster_verified = 1 WHERE unit_id = ? AND roster_verified = 0 AND "
			    "id_number_hash IN (SELECT id_number_hash FROM roster_entry WHERE unit_id = ?)");
	db_bind_int(st, 1, unit_id);
	db_bind_int(st, 2, unit_id);
	rc = db_step(st);
	db_done(st);
	snprintf(idt, sizeof(idt), "%" PRId64, unit_id);
	snprintf(detail, sizeof(detail), "added %" PRId64 ", updated %" PRId64, added, updated);
	if (rc != DB_DONE || audit_append_detail(db, who, "roster.upload", "unit", idt, "", "ok", detail) < 0)
		return -1;
	return 0;
}

int roster_add(struct db *db, const struct actor *who, int64_t unit_id, const struct roster_row *rows, size_t n,
	       int64_t *added, int64_t *updated)
{
	*added = *updated = 0;
	if (db_begin(db) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (roster_put(db, unit_id, &rows[i], added, updated) < 0)
			goto fail;
	if (roster_close(db, who, unit_id, *added, *updated) < 0 || db_commit(db) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

int roster_list(struct db *db, int64_t unit_id, enum roster_status status, int64_t page, int64_t per_page,
		struct roster_entry **items, size_t *n, int64_t *total)
{
	/* e.state is the state of the file with the entry's ID number, kept by triggers: one index range. */
	static const char *const filters[] = {
		[ROSTER_ALL] = "", [ROSTER_NOT_REPORTED] = " AND e.state NOT IN ('approved', 'pending')",
		[ROSTER_PENDING] = " AND e.state = 'pending'", [ROSTER_REPORTED] = " AND e.state = 'approved'",
	};
	const char *filter = filters[status];
	char sql[1024];
	struct db_stmt *st;
	int rc;

	*items = NULL;
	*n = 0;
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM roster_entry e WHERE e.unit_id = ?%s", filter);
	st = db_prepare(db, sql);
	db_bind_int(st, 1, unit_id);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	snprintf(sql, sizeof(sql), "SELECT e.id, e.name, e.id_number_masked, e.position, COALESCE(m.id, 0), e.state, "
				   "COALESCE(r.name, '') FROM (SELECT e.id FROM roster_entry e WHERE e.unit_id = ?%s "
				   "ORDER BY e.name, e.id LIMIT ? OFFSET ?) p JOIN roster_entry e ON e.id = p.id LEFT JOIN "
				   "member m ON m.id_number_hash = e.id_number_hash LEFT JOIN region r ON r.code = "
				   "m.community_code ORDER BY e.name, e.id", filter);
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
