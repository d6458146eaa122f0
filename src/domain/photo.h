/* photo.h: photos of service records: checked from their bytes, re-encoded by libvips without metadata, stored in the photo folder */
#ifndef DOMAIN_PHOTO_H
#define DOMAIN_PHOTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/audit.h"

/*
 * An upload: at most PHOTO_BYTES_MAX bytes, PHOTO_PIXELS_MAX pixels and
 * PHOTO_SIDE_MAX on either side (read from the header, before decoding).
 * What is kept: a JPEG at most PHOTO_STORED_SIDE on its longer side and a
 * thumbnail at most PHOTO_THUMB_SIDE.
 */
#define PHOTO_BYTES_MAX ((size_t)5 << 20)
enum { PHOTO_PIXELS_MAX = 40000000, PHOTO_SIDE_MAX = 16384, PHOTO_STORED_SIDE = 2048, PHOTO_THUMB_SIDE = 320,
       PHOTO_QUALITY = 85 };

/* A stored file's name, relative to the photo folder: "ab/" 32 hex ".jpg" (or "-t.jpg" for its thumbnail). */
enum { PHOTO_NAME_LEN = 48 };

enum photo_kind { PHOTO_NONE, PHOTO_JPEG, PHOTO_PNG };

enum photo_rc {
	PHOTO_OK = 0,
	PHOTO_ERROR = -1,
	PHOTO_NOT_FOUND = -2,
	PHOTO_EMPTY = -3,
	PHOTO_TOO_LARGE = -4, /* over PHOTO_BYTES_MAX */
	PHOTO_NOT_IMAGE = -5, /* neither JPEG nor PNG by its first bytes */
	PHOTO_TOO_MANY_PIXELS = -6, /* the header says too many pixels or an absurd side */
	PHOTO_BROKEN = -7, /* the decoder failed: truncated or damaged */
	PHOTO_FULL = -8, /* the record has RECORD_PHOTOS_MAX photos already */
	PHOTO_BAD_STATE = -9, /* the record is no longer pending */
	PHOTO_BUSY = -10, /* another photo is being decoded: try again in a moment */
};

/* What the first bytes say: JPEG (FF D8 FF), PNG (its 8-byte signature), or neither. */
enum photo_kind photo_sniff(const void *buf, size_t len);

/* A re-encoded upload: JPEG bytes of the photo and its thumbnail. */
struct photo_image {
	void *data, *thumb;
	size_t len, thumb_len;
	int width, height;
};

/*
 * Checks buf as photo_add does (size, kind, header) and re-encodes it:
 * decoded with libvips' fail-on-error loader of the kind the bytes say,
 * turned upright by its orientation tag, alpha flattened on white, converted
 * to sRGB, 8 bits, scaled down to PHOTO_STORED_SIDE, written as JPEG with no
 * metadata at all (no EXIF, GPS, XMP, IPTC, ICC profile or comment); the
 * thumbnail likewise. One upload is decoded at a time (PHOTO_BUSY after a
 * wait). Release out with photo_image_release.
 */
int photo_encode(const void *buf, size_t len, struct photo_image *out);
void photo_image_release(struct photo_image *img);

struct photo {
	int64_t id, record_id;
	int width, height;
	int64_t bytes, created_at;
};

/*
 * The folder of every later photo_add, photo_open and photo_unlink: dir, or
 * with NULL the default, photos/ beside a SQLite database file (a PostgreSQL
 * database has no default here: the caller names one). Every app server of
 * one database must name the same folder (a shared mount: docs/postgres.md).
 * Copied, trailing slashes dropped. Call before threads start. Returns -1
 * (nothing changed) when dir is empty or too long.
 */
int photo_set_dir(const char *dir);

/*
 * Adds an upload to pending record record_id: encoded (photo_encode), both
 * files written under the photo folder (photo_set_dir: XX/RANDOM.jpg, mode
 * 0600), then the row, an event (photo) and an audit entry in one
 * transaction that checks the record again (pending, fewer than
 * RECORD_PHOTOS_MAX photos). The files go again if the row does not come.
 */
int photo_add(struct db *db, const struct actor *who, int64_t record_id, const void *buf, size_t len,
	      struct photo *out);
/* Removes a photo of a pending record (event photo_remove, audited), its files after the commit. */
int photo_remove(struct db *db, const struct actor *who, int64_t record_id, int64_t photo_id);
/* The record's photos, oldest first. *items: caller frees. */
int photo_list(struct db *db, int64_t record_id, struct photo **items, size_t *n);
/* Opens the stored photo (or its thumbnail) of the record for reading: *fd (caller closes) and its size. */
int photo_open(struct db *db, int64_t record_id, int64_t photo_id, bool thumb, int *fd, uint64_t *size);

/*
 * Inside the caller's transaction: deletes the record's photo rows, and
 * gives the names of their files (*files: caller frees each and the array),
 * for photo_unlink once the transaction has committed.
 */
int photo_rows_delete(struct db *db, int64_t record_id, char ***files, size_t *n);
void photo_unlink(struct db *db, char **files, size_t n);

/*
 * The file store, for other owners of photos (list_photo.c): writes img and
 * its thumbnail under new random names in the photo folder (name, thumb:
 * relative to it), before the row that points at them is written; opens a
 * stored file (or thumbnail) by its name for reading (*fd: caller closes).
 * Undo a store, or remove the files of deleted rows, with photo_unlink.
 */
int photo_store(struct db *db, const struct photo_image *img, char name[PHOTO_NAME_LEN], char thumb[PHOTO_NAME_LEN]);
int photo_open_file(struct db *db, const char *name, int *fd, uint64_t *size);

/* A small JPEG drawn in memory (the demo's photo). *buf: caller frees with free. */
int photo_sample(void **buf, size_t *len);

#endif
