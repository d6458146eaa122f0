/* deliberation_photo.c: the photo of a deliberation's signed minutes (会议纪要), stored as records' photos are */
#include "domain/deliberation.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/photo.h"

/* The stored names of its photo ("" when none), in the caller's transaction or not. */
static int names_of(struct db *db, int64_t id, char *state, char name[PHOTO_NAME_LEN], char thumb[PHOTO_NAME_LEN],
		    char path[PATH_MAX_LEN])
{
	struct db_stmt *st = db_prepare(db, "SELECT d.state, COALESCE(d.minutes_photo, ''), COALESCE(d.minutes_thumb, "
					    "''), c.path FROM deliberation d JOIN region c ON c.code = d.community_code "
					    "WHERE d.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(state, 12, db_col_text(st, 0));
		str_copy(name, PHOTO_NAME_LEN, db_col_text(st, 1));
		str_copy(thumb, PHOTO_NAME_LEN, db_col_text(st, 2));
		str_copy(path, PATH_MAX_LEN, db_col_text(st, 3));
	}
	db_done(st);
	return rc == DB_ROW ? DELIB_OK : rc == DB_DONE ? DELIB_NOT_FOUND : DELIB_ERROR;
}

int deliberation_minutes_photo(struct db *db, const struct actor *who, int64_t id, const void *buf, size_t len,
			       int *photo_rc)
{
	char state[12], old[PHOTO_NAME_LEN], old_thumb[PHOTO_NAME_LEN], name[PHOTO_NAME_LEN], thumb[PHOTO_NAME_LEN];
	char path[PATH_MAX_LEN], idt[24];
	struct photo_image img;
	int rc;

	*photo_rc = PHOTO_OK;
	if ((*photo_rc = photo_encode(buf, len, &img)) != PHOTO_OK)
		return *photo_rc == PHOTO_ERROR ? DELIB_ERROR : DELIB_INVALID;
	if (photo_store(db, &img, name, thumb) != PHOTO_OK) {
		photo_image_release(&img);
		return DELIB_ERROR;
	}
	photo_image_release(&img);
	if (db_begin(db) < 0)
		rc = DELIB_ERROR;
	else {
		rc = names_of(db, id, state, old, old_thumb, path);
		if (rc == DELIB_OK && !strcmp(state, "cancelled"))
			rc = DELIB_BAD_STATE;
		if (rc == DELIB_OK) {
			struct db_stmt *st = db_prepare(db, "UPDATE deliberation SET minutes_photo = ?, minutes_thumb = ?, "
							    "updated_at = ? WHERE id = ?");
			db_bind_text(st, 1, name);
			db_bind_text(st, 2, thumb);
			db_bind_int(st, 3, clock_now());
			db_bind_int(st, 4, id);
			rc = db_step(st) == DB_DONE ? DELIB_OK : DELIB_ERROR;
			db_done(st);
		}
		snprintf(idt, sizeof(idt), "%" PRId64, id);
		if (rc == DELIB_OK &&
		    audit_append(db, who, "deliberation.minutes_photo", "deliberation", idt, path, "ok") < 0)
			rc = DELIB_ERROR;
		if (rc == DELIB_OK && db_commit(db) < 0)
			rc = DELIB_ERROR;
		if (rc != DELIB_OK)
			db_rollback(db);
	}
	if (rc != DELIB_OK) {
		photo_unlink(db, (char *[]){ name, thumb }, 2);
		return rc;
	}
	/* The photo it replaced goes once the new one is committed. */
	if (old[0])
		photo_unlink(db, (char *[]){ old, old_thumb }, 2);
	return DELIB_OK;
}

int deliberation_minutes_photo_open(struct db *db, int64_t id, bool thumb, int *fd, uint64_t *size)
{
	char state[12], name[PHOTO_NAME_LEN], small[PHOTO_NAME_LEN], path[PATH_MAX_LEN];
	int rc = names_of(db, id, state, name, small, path);

	if (rc != DELIB_OK)
		return rc;
	if (!name[0])
		return DELIB_NOT_FOUND;
	return photo_open_file(db, thumb ? small : name, fd, size) == PHOTO_OK ? DELIB_OK : DELIB_ERROR;
}
