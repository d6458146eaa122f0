/* roster_import.c: rows of a roster sheet to a unit's roster entries, faults named by row and column as for members */
#include "domain/roster_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/idcard.h"
#include "domain/roster.h"

enum col { C_NAME, C_ID, C_POSITION, C_COUNT };

static const struct import_column cols[C_COUNT] = {
	[C_NAME] = { "姓名", "name", ROSTER_TEXT_MAX, NULL },
	[C_ID] = { "身份证号", "id_number", 0, "身份证|身份证号码|公民身份号码" },
	[C_POSITION] = { "职务", "position", ROSTER_TEXT_MAX, NULL },
};

/* What a checked row does to the roster. */
struct entry {
	struct idcard card;
	char hash[CRYPTO_HEX_HASH];
	int64_t id; /* the entry with that ID number, 0 if none */
	char changed[64];
};

/* The entry of unit_id with the row's ID number, and what the row would change in it. -1 on a storage error. */
static int entry_find(struct db *db, int64_t unit_id, const struct import_row *r, struct entry *e)
{
	struct db_stmt *st;
	int rc;

	crypto_mac_hex(KEY_LOOKUP, e->card.number, strlen(e->card.number), e->hash);
	st = db_prepare(db, "SELECT id, name, position FROM roster_entry WHERE unit_id = ? AND id_number_hash = ?");
	db_bind_int(st, 1, unit_id);
	db_bind_text(st, 2, e->hash);
	rc = db_step(st);
	e->id = 0;
	e->changed[0] = '\0';
	if (rc == DB_ROW) {
		bool name = strcmp(db_col_text(st, 1), r->v[C_NAME]), position = strcmp(db_col_text(st, 2), r->v[C_POSITION]);

		e->id = db_col_int(st, 0);
		snprintf(e->changed, sizeof(e->changed), "%s%s%s", name ? "name" : "", name && position ? "," : "",
			 position ? "position" : "");
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* Checks one row into e. Returns 1 when it is valid, 0 when not. */
static int check_row(struct import_result *res, struct import_row *r, struct import_seen *seen, int64_t now,
		     struct entry *e)
{
	int rc;
	size_t earlier;

	for (char *p = r->v[C_ID]; *p; p++)
		if (*p == 'x')
			*p = 'X';
	if (!*r->v[C_NAME] && !r->bad[C_NAME])
		import_row_error(res, r, cols, C_NAME, "required", "必须填写");
	if (r->bad[C_ID])
		return 0;
	if (!*r->v[C_ID]) {
		import_row_error(res, r, cols, C_ID, "required", "必须填写");
	} else if (strchr(r->v[C_ID], 'E') && strchr(r->v[C_ID], '+')) {
		import_row_error(res, r, cols, C_ID, "format", "身份证号被 Excel 当成了数字（%s），后几位已经丢失；"
				 "请把这一列设为“文本”后重新输入号码", r->v[C_ID]);
	} else if ((rc = idcard_parse(r->v[C_ID], now, &e->card)) != IDCARD_OK) {
		import_row_error(res, r, cols, C_ID, rc == IDCARD_CHECK ? "check_digit" : "format", "%s", idcard_message(rc));
	} else if ((earlier = import_seen_put(seen, e->card.number, r->row))) {
		import_row_error(res, r, cols, C_ID, "duplicate", "与第 %zu 行重复：同一个人只能有一行", earlier);
	}
	return !r->any_error;
}

static int import_rows(struct db *db, int64_t unit_id, const struct sheet *sh, const struct import_map *map,
		       bool commit, struct import_result *res, int64_t *added, int64_t *updated)
{
	struct import_seen seen = { 0 };
	int64_t now = clock_now();
	int rc = 0;

	for (size_t i = 1; i < sh->nrows && rc >= 0; i++) {
		struct import_row r;
		struct entry e;

		import_row_read(res, cols, C_COUNT, map, sh, i, &r);
		if (r.filled) {
			res->rows++;
			if (check_row(res, &r, &seen, now, &e) && (rc = entry_find(db, unit_id, &r, &e)) == 0) {
				res->valid++;
				if (e.id)
					import_note_change(res, r.row, e.id, e.changed);
				else
					res->create++;
				if (commit && (!e.id || e.changed[0])) {
					struct roster_row row = { r.v[C_NAME], e.card.number, r.v[C_POSITION] };

					if ((rc = roster_put(db, unit_id, &row, added, updated)) == 0)
						res->written++;
				}
			}
		}
		import_row_release(&r, C_COUNT);
	}
	import_seen_release(&seen);
	return rc;
}

int roster_import(struct db *db, const struct actor *who, int64_t unit_id, const struct sheet *sh, bool commit,
		  struct import_result *out)
{
	struct import_map map;
	int64_t added = 0, updated = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (sh->nrows)
		import_map_header(&map, cols, C_COUNT, &sh->rows[0]);
	if (!sh->nrows || !map.have[C_NAME] || !map.have[C_ID]) {
		import_error_add(out, 1, NULL, "missing_column", "名册第一行应有“姓名”和“身份证号”两列（“职务”可选）");
		return 0;
	}
	if (commit && db_begin(db) < 0)
		return -1;
	rc = import_rows(db, unit_id, sh, &map, commit, out, &added, &updated);
	if (commit && (rc < 0 || roster_close(db, who, unit_id, added, updated) < 0 || db_commit(db) < 0)) {
		db_rollback(db);
		out->written = 0;
		return -1;
	}
	return rc;
}
