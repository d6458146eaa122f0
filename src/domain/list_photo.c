/* list_photo.c: photos of needs, micro-wishes and cases, stored as record photos are (photo.c's encoder and file store) */
#include "domain/list_photo.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/region.h"

/* The owner's table of photos, its column there, its kind as the audit names it, and its state with its community's path. */
static const char *photo_table(enum list_photo_of of)
{
	return of == LIST_PHOTO_CASE ? "case_photo" : "list_photos";
}

static const char *owner_col(enum list_photo_of of)
{
	return of == LIST_PHOTO_NEED ? "need_id" : of == LIST_PHOTO_WISH ? "wish_id" : "case_id";
}

static const char *owner_kind(enum list_photo_of of)
{
	return of == LIST_PHOTO_NEED ? "need" : of == LIST_PHOTO_WISH ? "wish" : "case";
}

int list_photo_max(enum list_photo_of of, const char *stage)
{
	if (!strcmp(stage, "ask"))
		return of == LIST_PHOTO_NEED ? LIST_PHOTO_NEED_ASK : of == LIST_PHOTO_WISH ? LIST_PHOTO_WISH_ASK : LIST_PHOTO_CASE_ASK;
	if (!strcmp(stage, "done"))
		return of == LIST_PHOTO_CASE ? LIST_PHOTO_CASE_DONE : LIST_PHOTO_DONE;
	return 0;
}

static bool one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

bool list_photo_stage_open(enum list_photo_of of, const char *stage, const char *state)
{
	static const char *const need_ask[] = { "submitted", "accepted", NULL };
	static const char *const need_done[] = { "taken", "in_progress", "done", NULL };
	static const char *const wish_ask[] = { "submitted", "approved", "published", NULL };
	static const char *const wish_done[] = { "claimed", "fulfilled", NULL };
	static const char *const case_ask[] = { "reported", "accepted", NULL };
	static const char *const case_done[] = { "assigned", "in_progress", NULL };
	const bool ask = !strcmp(stage, "ask");

	if (!ask && strcmp(stage, "done"))
		return false;
	if (of == LIST_PHOTO_NEED)
		return one_of(state, ask ? need_ask : need_done);
	if (of == LIST_PHOTO_CASE)
		return one_of(state, ask ? case_ask : case_done);
	return one_of(state, ask ? wish_ask : wish_done);
}

/* The owner's state and its community's path (for the audit); PHOTO_NOT_FOUND when there is none. */
static int owner_read(struct db *db, enum list_photo_of of, int64_t id, char state[16], char path[PATH_MAX_LEN])
{
	static const char *const sql[] = {
		[LIST_PHOTO_NEED] = "SELECT o.state, c.path FROM need o JOIN region c ON c.code = o.community_code WHERE o.id = ?",
		[LIST_PHOTO_WISH] = "SELECT o.state, c.path FROM wish o JOIN region c ON c.code = o.community_code WHERE o.id = ?",
		[LIST_PHOTO_CASE] = "SELECT o.state, c.path FROM cases o JOIN region c ON c.code = o.community_code WHERE o.id = ?",
	};
	struct db_stmt *st = db_prepare(db, sql[of]);
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(state, 16, db_col_text(st, 0));
		str_copy(path, PATH_MAX_LEN, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? PHOTO_OK : rc == DB_DONE ? PHOTO_NOT_FOUND : PHOTO_ERROR;
}

static int stage_count(struct db *db, enum list_photo_of of, int64_t id, const char *stage, int64_t *count)
{
	char sql[128];
	struct db_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE %s = ? AND stage = ?", photo_table(of), owner_col(of));
	st = db_prepare(db, sql);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, stage);
	rc = db_step(st);
	*count = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW ? PHOTO_OK : PHOTO_ERROR;
}

/* Whether one more photo of stage fits now: the owner's state, then the stage's count. */
static int room_for_one(struct db *db, enum list_photo_of of, int64_t id, const char *stage, char path[PATH_MAX_LEN])
{
	char state[16];
	int64_t count;
	int rc = owner_read(db, of, id, state, path);

	if (rc != PHOTO_OK)
		return rc;
	if (!list_photo_stage_open(of, stage, state))
		return PHOTO_BAD_STATE;
	if ((rc = stage_count(db, of, id, stage, &count)) != PHOTO_OK)
		return rc;
	return count >= list_photo_max(of, stage) ? PHOTO_FULL : PHOTO_OK;
}

static int insert_row(struct db *db, const struct actor *who, enum list_photo_of of, int64_t id, const char *stage,
		      const struct photo_image *img, const char *name, const char *thumb, const char *path,
		      struct list_photo *out)
{
	char sql[256], idt[24], detail[48];
	struct db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	str_copy(out->stage, sizeof(out->stage), stage);
	out->width = img->width;
	out->height = img->height;
	out->bytes = (int64_t)img->len;
	out->created_by = who->account_id;
	out->created_at = clock_now();
	snprintf(sql, sizeof(sql),
		 "INSERT INTO %s (%s, stage, file, thumb, width, height, bytes, created_by, created_at) "
		 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		 photo_table(of), owner_col(of));
	st = db_prepare(db, sql);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, stage);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, thumb);
	db_bind_int(st, 5, out->width);
	db_bind_int(st, 6, out->height);
	db_bind_int(st, 7, out->bytes);
	if (who->account_id)
		db_bind_int(st, 8, who->account_id);
	else
		db_bind_null(st, 8);
	db_bind_int(st, 9, out->created_at);
	rc = db_step(st);
	if (rc == DB_ROW)
		out->id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return PHOTO_ERROR;
	snprintf(idt, sizeof(idt), "%" PRId64, id);
	snprintf(detail, sizeof(detail), "%s %" PRId64 " %d×%d", stage, out->id, out->width, out->height);
	snprintf(sql, sizeof(sql), "%s.photo", owner_kind(of));
	return audit_append_detail(db, who, sql, owner_kind(of), idt, path, "ok", detail) < 0 ? PHOTO_ERROR : PHOTO_OK;
}

int list_photo_add(struct db *db, const struct actor *who, enum list_photo_of of, int64_t id, const char *stage,
		   const void *buf, size_t len, struct list_photo *out)
{
	struct photo_image img;
	char path[PATH_MAX_LEN], name[PHOTO_NAME_LEN], thumb[PHOTO_NAME_LEN];
	int rc;

	if (!list_photo_max(of, stage))
		return PHOTO_BAD_STATE;
	/* Refused before the work of decoding when it can be; checked again below, in the transaction. */
	if ((rc = room_for_one(db, of, id, stage, path)) != PHOTO_OK)
		return rc;
	if ((rc = photo_encode(buf, len, &img)) != PHOTO_OK)
		return rc;
	if (photo_store(db, &img, name, thumb) != PHOTO_OK) {
		photo_image_release(&img);
		return PHOTO_ERROR;
	}
	if (db_begin(db) < 0) {
		rc = PHOTO_ERROR;
	} else {
		rc = room_for_one(db, of, id, stage, path);
		if (rc == PHOTO_OK)
			rc = insert_row(db, who, of, id, stage, &img, name, thumb, path, out);
		if (rc == PHOTO_OK && db_commit(db) < 0)
			rc = PHOTO_ERROR;
		else if (rc != PHOTO_OK)
			db_rollback(db);
	}
	photo_image_release(&img);
	if (rc != PHOTO_OK)
		photo_unlink(db, (char *[]){ name, thumb }, 2);
	return rc;
}

static void read_row(struct db_stmt *st, struct list_photo *p)
{
	p->id = db_col_int(st, 0);
	str_copy(p->stage, sizeof(p->stage), db_col_text(st, 1));
	p->width = (int)db_col_int(st, 2);
	p->height = (int)db_col_int(st, 3);
	p->bytes = db_col_int(st, 4);
	p->created_by = db_col_int(st, 5);
	p->created_at = db_col_int(st, 6);
}

#define ROW_COLUMNS "id, stage, width, height, bytes, COALESCE(created_by, 0), created_at"

int list_photo_get(struct db *db, enum list_photo_of of, int64_t id, int64_t photo_id, struct list_photo *out)
{
	char sql[160];
	struct db_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT " ROW_COLUMNS " FROM %s WHERE id = ? AND %s = ?", photo_table(of), owner_col(of));
	st = db_prepare(db, sql);
	db_bind_int(st, 1, photo_id);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	memset(out, 0, sizeof(*out));
	if (rc == DB_ROW)
		read_row(st, out);
	db_done(st);
	return rc == DB_ROW ? PHOTO_OK : rc == DB_DONE ? PHOTO_NOT_FOUND : PHOTO_ERROR;
}

int list_photo_remove(struct db *db, const struct actor *who, enum list_photo_of of, int64_t id, int64_t photo_id)
{
	char sql[160], idt[24], detail[32], path[PATH_MAX_LEN], state[16], stage[8] = "";
	char name[PHOTO_NAME_LEN] = "", thumb[PHOTO_NAME_LEN] = "";
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return PHOTO_ERROR;
	rc = owner_read(db, of, id, state, path);
	if (rc == PHOTO_OK) {
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id = ? AND %s = ? RETURNING stage, file, thumb",
			 photo_table(of), owner_col(of));
		st = db_prepare(db, sql);
		db_bind_int(st, 1, photo_id);
		db_bind_int(st, 2, id);
		rc = db_step(st);
		if (rc == DB_ROW) {
			str_copy(stage, sizeof(stage), db_col_text(st, 0));
			str_copy(name, sizeof(name), db_col_text(st, 1));
			str_copy(thumb, sizeof(thumb), db_col_text(st, 2));
		}
		db_done(st);
		rc = rc == DB_ROW ? PHOTO_OK : rc == DB_DONE ? PHOTO_NOT_FOUND : PHOTO_ERROR;
	}
	if (rc == PHOTO_OK && !list_photo_stage_open(of, stage, state))
		rc = PHOTO_BAD_STATE;
	if (rc == PHOTO_OK) {
		snprintf(idt, sizeof(idt), "%" PRId64, id);
		snprintf(detail, sizeof(detail), "%s %" PRId64, stage, photo_id);
		snprintf(sql, sizeof(sql), "%s.photo_remove", owner_kind(of));
		if (audit_append_detail(db, who, sql, owner_kind(of), idt, path, "ok", detail) < 0)
			rc = PHOTO_ERROR;
	}
	if (rc != PHOTO_OK) {
		db_rollback(db);
		return rc;
	}
	if (db_commit(db) < 0)
		return PHOTO_ERROR;
	photo_unlink(db, (char *[]){ name, thumb }, 2);
	return PHOTO_OK;
}

int list_photo_list(struct db *db, enum list_photo_of of, int64_t id, struct list_photo **items, size_t *n)
{
	char sql[192];
	struct db_stmt *st;
	size_t cap = LIST_PHOTO_NEED_ASK + LIST_PHOTO_DONE;
	int rc;

	/* 'ask' sorts before 'done'. */
	snprintf(sql, sizeof(sql), "SELECT " ROW_COLUMNS " FROM %s WHERE %s = ? ORDER BY stage, id",
		 photo_table(of), owner_col(of));
	*items = xcalloc(cap, sizeof(**items));
	*n = 0;
	st = db_prepare(db, sql);
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap)
			*items = xrealloc(*items, (cap *= 2) * sizeof(**items));
		read_row(st, &(*items)[(*n)++]);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return PHOTO_ERROR;
	}
	return PHOTO_OK;
}

int list_photo_open(struct db *db, enum list_photo_of of, int64_t id, int64_t photo_id, bool thumb, int *fd,
		    uint64_t *size)
{
	char sql[128], name[PHOTO_NAME_LEN] = "";
	struct db_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT file, thumb FROM %s WHERE id = ? AND %s = ?", photo_table(of), owner_col(of));
	st = db_prepare(db, sql);
	db_bind_int(st, 1, photo_id);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		str_copy(name, sizeof(name), db_col_text(st, thumb ? 1 : 0));
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? PHOTO_NOT_FOUND : PHOTO_ERROR;
	return photo_open_file(db, name, fd, size);
}
