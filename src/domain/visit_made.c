/* visit_made.c: needs and wishes made from a visit, each in one transaction with its link and its audit entry */
#include "domain/visit_made.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/care.h"
#include "domain/care_row.h"

/* The community (code and path) of visit visit_id's care entry, inside the caller's transaction. */
static int visit_community(struct db *db, int64_t visit_id, char code[24], char path[PATH_MAX_LEN])
{
	struct db_stmt *st = db_prepare(db, "SELECT c.community_code, r.path FROM visit v JOIN care c ON c.id = v.care_id "
					    "JOIN region r ON r.code = c.community_code WHERE v.id = ?");
	int rc;

	db_bind_int(st, 1, visit_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(code, 24, db_col_text(st, 0));
		str_copy(path, PATH_MAX_LEN, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? CARE_OK : rc == DB_DONE ? CARE_NOT_FOUND : CARE_ERROR;
}

/* The link of visit_id to need_id or wish_id and its audit entry (action), inside the caller's transaction. */
static int link(struct db *db, const struct actor *who, int64_t visit_id, int64_t need_id, int64_t wish_id,
		const char *action, const char *path)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO visit_lists (visit_id, need_id, wish_id, created_by, created_at) "
					    "VALUES (?, ?, ?, ?, ?)");
	char detail[32];
	int rc;

	db_bind_int(st, 1, visit_id);
	if (need_id)
		db_bind_int(st, 2, need_id);
	else
		db_bind_null(st, 2);
	if (wish_id)
		db_bind_int(st, 3, wish_id);
	else
		db_bind_null(st, 3);
	if (who->account_id)
		db_bind_int(st, 4, who->account_id);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, clock_now());
	rc = db_step(st) == DB_DONE ? CARE_OK : CARE_ERROR;
	db_done(st);
	snprintf(detail, sizeof(detail), "%s %" PRId64, need_id ? "need" : "wish", need_id ? need_id : wish_id);
	return rc == CARE_OK ? care_audit(db, who, action, "visit", visit_id, path, detail) : rc;
}

int visit_made_need(struct db *db, const struct actor *who, int64_t visit_id, struct need_input *in, int64_t *need_id)
{
	char code[24], path[PATH_MAX_LEN];
	int rc;

	*need_id = 0;
	if (db_begin(db) < 0)
		return CARE_ERROR;
	rc = visit_community(db, visit_id, code, path);
	if (rc == CARE_OK) {
		in->community_code = code;
		in->channel = "visit";
		rc = need_insert(db, who, in, need_id) == NEED_OK ? CARE_OK : CARE_ERROR;
	}
	if (rc == CARE_OK)
		rc = link(db, who, visit_id, *need_id, 0, "visit.need", path);
	if ((rc = care_finish(db, rc)) != CARE_OK)
		*need_id = 0;
	return rc;
}

int visit_made_wish(struct db *db, const struct actor *who, int64_t visit_id, struct wish_input *in, int64_t *wish_id)
{
	char code[24], path[PATH_MAX_LEN];
	int rc;

	*wish_id = 0;
	if (db_begin(db) < 0)
		return CARE_ERROR;
	rc = visit_community(db, visit_id, code, path);
	if (rc == CARE_OK) {
		in->community_code = code;
		in->community_path = path;
		in->state = "submitted";
		in->publish_until = 0;
		rc = wish_insert(db, who, in, wish_id) == WISH_OK ? CARE_OK : CARE_ERROR;
	}
	if (rc == CARE_OK)
		rc = link(db, who, visit_id, 0, *wish_id, "visit.wish", path);
	if ((rc = care_finish(db, rc)) != CARE_OK)
		*wish_id = 0;
	return rc;
}

int visit_made_list(struct db *db, int64_t visit_id, struct visit_made **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT l.visit_id, COALESCE(l.need_id, 0), COALESCE(l.wish_id, 0), "
					    "COALESCE(n.state, w.state, ''), COALESCE(n.description, w.title, ''), "
					    "l.created_at FROM visit_lists l LEFT JOIN need n ON n.id = l.need_id "
					    "LEFT JOIN wish w ON w.id = l.wish_id WHERE l.visit_id = ? ORDER BY l.id");
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, visit_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct visit_made *m;

		*items = xrealloc(*items, (*n + 1) * sizeof(**items));
		m = &(*items)[(*n)++];
		memset(m, 0, sizeof(*m));
		m->visit_id = db_col_int(st, 0);
		m->need_id = db_col_int(st, 1);
		m->wish_id = db_col_int(st, 2);
		str_copy(m->state, sizeof(m->state), db_col_text(st, 3));
		str_copy(m->title, sizeof(m->title), db_col_text(st, 4));
		m->created_at = db_col_int(st, 5);
	}
	db_done(st);
	if (rc == DB_DONE)
		return CARE_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return CARE_ERROR;
}

int visit_made_from(struct db *db, int64_t need_id, int64_t wish_id, int64_t *visit_id)
{
	struct db_stmt *st = db_prepare(db, need_id ? "SELECT visit_id FROM visit_lists WHERE need_id = ?"
						    : "SELECT visit_id FROM visit_lists WHERE wish_id = ?");
	int rc;

	db_bind_int(st, 1, need_id ? need_id : wish_id);
	rc = db_step(st);
	*visit_id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? CARE_OK : CARE_ERROR;
}
