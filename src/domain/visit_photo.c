/* visit_photo.c: photos of visits with consent, stored as list photos are (photo.c's encoder and file store) */
#include "domain/visit_photo.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/region.h"

/* The visit's consent and its community's path (for the audit); PHOTO_NOT_FOUND when there is no such visit. */
static int visit_read(struct db *db, int64_t visit_id, bool *consent, char path[PATH_MAX_LEN])
{
	struct db_stmt *st = db_prepare(db, "SELECT v.photo_consent, r.path FROM visit v JOIN care c ON c.id = v.care_id "
					    "JOIN region r ON r.code = c.community_code WHERE v.id = ?");
	int rc;

	db_bind_int(st, 1, visit_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*consent = db_col_int(st, 0) != 0;
		str_copy(path, PATH_MAX_LEN, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? PHOTO_OK : rc == DB_DONE ? PHOTO_NOT_FOUND : PHOTO_ERROR;
}

/* Whether one more photo fits now: the visit's consent, then its count. */
static int room_for_one(struct db *db, int64_t visit_id, char path[PATH_MAX_LEN])
{
	struct db_stmt *st;
	bool consent = false;
	int64_t count = 0;
	int rc = visit_read(db, visit_id, &consent, path);

	if (rc != PHOTO_OK)
		return rc;
	if (!consent)
		return PHOTO_BAD_STATE;
	st = db_prepare(db, "SELECT COUNT(*) FROM visit_photos WHERE visit_id = ?");
	db_bind_int(st, 1, visit_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		count = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return PHOTO_ERROR;
	return count >= VISIT_PHOTOS_MAX ? PHOTO_FULL : PHOTO_OK;
}

static void audit_id(char idt[24], int64_t visit_id)
{
	snprintf(idt, 24, "%" PRId64, visit_id);
}

static int insert_row(struct db *db, const struct actor *who, int64_t visit_id, const struct photo_image *img,
		      const char *name, const char *thumb, const char *path, struct visit_photo *out)
{
	char idt[24], detail[48];
	struct db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	out->visit_id = visit_id;
	out->width = img->width;
	out->height = img->height;
	out->bytes = (int64_t)img->len;
	out->created_by = who->account_id;
	out->created_at = clock_now();
	st = db_prepare(db, "INSERT INTO visit_photos (visit_id, file, thumb, width, height, bytes, created_by, created_at) "
			    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	db_bind_int(st, 1, visit_id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, thumb);
	db_bind_int(st, 4, out->width);
	db_bind_int(st, 5, out->height);
	db_bind_int(st, 6, out->bytes);
	if (who->account_id)
		db_bind_int(st, 7, who->account_id);
	else
		db_bind_null(st, 7);
	db_bind_int(st, 8, out->created_at);
	rc = db_step(st);
	if (rc == DB_ROW)
		out->id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return PHOTO_ERROR;
	audit_id(idt, visit_id);
	snprintf(detail, sizeof(detail), "%" PRId64 " %d×%d", out->id, out->width, out->height);
	return audit_append_detail(db, who, "visit.photo", "visit", idt, path, "ok", detail) < 0 ? PHOTO_ERROR : PHOTO_OK;
}

int visit_photo_add(struct db *db, const struct actor *who, int64_t visit_id, const void *buf, size_t len,
		    struct visit_photo *out)
{
	struct photo_image img;
	char path[PATH_MAX_LEN], name[PHOTO_NAME_LEN], thumb[PHOTO_NAME_LEN];
	int rc;

	/* Refused before the work of decoding when it can be; checked again below, in the transaction. */
	if ((rc = room_for_one(db, visit_id, path)) != PHOTO_OK)
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
		rc = room_for_one(db, visit_id, path);
		if (rc == PHOTO_OK)
			rc = insert_row(db, who, visit_id, &img, name, thumb, path, out);
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

#define ROW_COLUMNS "id, visit_id, width, height, bytes, COALESCE(created_by, 0), created_at"

static void read_row(struct db_stmt *st, struct visit_photo *p)
{
	p->id = db_col_int(st, 0);
	p->visit_id = db_col_int(st, 1);
	p->width = (int)db_col_int(st, 2);
	p->height = (int)db_col_int(st, 3);
	p->bytes = db_col_int(st, 4);
	p->created_by = db_col_int(st, 5);
	p->created_at = db_col_int(st, 6);
}

int visit_photo_get(struct db *db, int64_t visit_id, int64_t photo_id, struct visit_photo *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ROW_COLUMNS " FROM visit_photos WHERE id = ? AND visit_id = ?");
	int rc;

	db_bind_int(st, 1, photo_id);
	db_bind_int(st, 2, visit_id);
	rc = db_step(st);
	memset(out, 0, sizeof(*out));
	if (rc == DB_ROW)
		read_row(st, out);
	db_done(st);
	return rc == DB_ROW ? PHOTO_OK : rc == DB_DONE ? PHOTO_NOT_FOUND : PHOTO_ERROR;
}

int visit_photo_remove(struct db *db, const struct actor *who, int64_t visit_id, int64_t photo_id)
{
	char idt[24], detail[32], path[PATH_MAX_LEN];
	char name[PHOTO_NAME_LEN] = "", thumb[PHOTO_NAME_LEN] = "";
	struct db_stmt *st;
	bool consent;
	int rc;

	if (db_begin(db) < 0)
		return PHOTO_ERROR;
	rc = visit_read(db, visit_id, &consent, path);
	if (rc == PHOTO_OK) {
		st = db_prepare(db, "DELETE FROM visit_photos WHERE id = ? AND visit_id = ? RETURNING file, thumb");
		db_bind_int(st, 1, photo_id);
		db_bind_int(st, 2, visit_id);
		rc = db_step(st);
		if (rc == DB_ROW) {
			str_copy(name, sizeof(name), db_col_text(st, 0));
			str_copy(thumb, sizeof(thumb), db_col_text(st, 1));
		}
		db_done(st);
		rc = rc == DB_ROW ? PHOTO_OK : rc == DB_DONE ? PHOTO_NOT_FOUND : PHOTO_ERROR;
	}
	if (rc == PHOTO_OK) {
		audit_id(idt, visit_id);
		snprintf(detail, sizeof(detail), "%" PRId64, photo_id);
		if (audit_append_detail(db, who, "visit.photo_remove", "visit", idt, path, "ok", detail) < 0)
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

int visit_photo_list(struct db *db, int64_t visit_id, struct visit_photo **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ROW_COLUMNS " FROM visit_photos WHERE visit_id = ? ORDER BY id");
	size_t cap = VISIT_PHOTOS_MAX;
	int rc;

	*items = xcalloc(cap, sizeof(**items));
	*n = 0;
	db_bind_int(st, 1, visit_id);
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

int visit_photo_open(struct db *db, int64_t visit_id, int64_t photo_id, bool thumb, int *fd, uint64_t *size)
{
	struct db_stmt *st = db_prepare(db, "SELECT file, thumb FROM visit_photos WHERE id = ? AND visit_id = ?");
	char name[PHOTO_NAME_LEN] = "";
	int rc;

	db_bind_int(st, 1, photo_id);
	db_bind_int(st, 2, visit_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		str_copy(name, sizeof(name), db_col_text(st, thumb ? 1 : 0));
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? PHOTO_NOT_FOUND : PHOTO_ERROR;
	return photo_open_file(db, name, fd, size);
}
