/* photo.c: photos of service records: recognised by their bytes, re-encoded by libvips with no metadata, stored as files in the photo folder */
#include "domain/photo.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <vips/vips.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "domain/record.h"
#include "domain/record_row.h"

/* photos/ab/0123…ef.jpg: two hex digits of folder, 32 of name, "-t" for the thumbnail. */
#define NAME_LEN PHOTO_NAME_LEN
#define DIR_LEN 1024

/* photo_set_dir's folder ("": the default). Written before threads start, only read after. */
static char given_dir[DIR_LEN];
static pthread_once_t started = PTHREAD_ONCE_INIT;
static int start_failed;
/* One upload is decoded at a time: its memory is bounded, and the other worker threads keep serving. */
static pthread_mutex_t slot = PTHREAD_MUTEX_INITIALIZER;

static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	/* libvips' warnings name tiles and markers of uploads that failed: the answer says what went wrong. */
	(void)domain, (void)level, (void)message, (void)data;
}

/*
 * libvips for a server, once per process: no operation cache (every upload is
 * new; a cache would only hold memory and open files), one worker thread per
 * pipeline, no untrusted loaders, its warnings silenced.
 */
static void start(void)
{
	if (VIPS_INIT("baodao")) {
		start_failed = 1;
		return;
	}
	vips_cache_set_max(0);
	vips_cache_set_max_mem(0);
	vips_cache_set_max_files(0);
	vips_concurrency_set(1);
	vips_block_untrusted_set(TRUE);
	g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO, quiet, NULL);
}

enum photo_kind photo_sniff(const void *buf, size_t len)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	const unsigned char *p = buf;

	if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return PHOTO_JPEG;
	if (len >= sizeof(png) && !memcmp(p, png, sizeof(png)))
		return PHOTO_PNG;
	return PHOTO_NONE;
}

/* The loader of the kind the bytes say (never libvips' own guess), decoding lazily, failing on any error. */
static int load(const void *buf, size_t len, enum photo_kind kind, int shrink, VipsImage **out)
{
	if (kind == PHOTO_PNG)
		return vips_pngload_buffer((void *)buf, len, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
					   VIPS_FAIL_ON_ERROR, NULL);
	return vips_jpegload_buffer((void *)buf, len, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
				    VIPS_FAIL_ON_ERROR, "shrink", shrink, NULL);
}

/* The header only: a decompression bomb is refused by its dimensions before a pixel is decoded. */
static int header_check(const void *buf, size_t len, enum photo_kind kind, int *shrink)
{
	VipsImage *in = NULL;
	int w, h, longer;

	if (load(buf, len, kind, 1, &in))
		return PHOTO_BROKEN;
	w = vips_image_get_width(in);
	h = vips_image_get_height(in);
	g_object_unref(in);
	if (w < 1 || h < 1 || w > PHOTO_SIDE_MAX || h > PHOTO_SIDE_MAX || (int64_t)w * h > PHOTO_PIXELS_MAX)
		return PHOTO_TOO_MANY_PIXELS;
	/* A JPEG decodes at 1/2, 1/4 or 1/8 scale as cheaply as it reads: as small as still covers the stored size. */
	longer = w > h ? w : h;
	for (*shrink = 1; kind == PHOTO_JPEG && *shrink < 8 && longer / (*shrink * 2) >= PHOTO_STORED_SIDE;)
		*shrink *= 2;
	return PHOTO_OK;
}

/* sRGB (or grey), 8 bits, no alpha: what a JPEG holds, the colours kept by the embedded profile when it has one. */
static int to_srgb(VipsImage *in, VipsImage **t, VipsImage **out)
{
	VipsInterpretation want;

	if (vips_image_get_typeof(in, VIPS_META_ICC_NAME) &&
	    !vips_icc_transform(in, &t[0], "srgb", "embedded", TRUE, "intent", VIPS_INTENT_PERCEPTUAL, NULL))
		in = t[0];
	vips_error_clear();
	want = vips_image_get_bands(in) - vips_image_hasalpha(in) < 3 ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB;
	if (vips_colourspace(in, &t[1], want, NULL))
		return -1;
	in = t[1];
	if (vips_image_hasalpha(in)) {
		double white[] = { 255, 255, 255 };

		if (vips_flatten(in, &t[2], "background", vips_array_double_new(white, want == VIPS_INTERPRETATION_sRGB ? 3 : 1),
				 NULL))
			return -1;
		in = t[2];
	}
	return vips_cast_uchar(in, out, NULL);
}

static int save(VipsImage *in, void **data, size_t *len)
{
	return vips_jpegsave_buffer(in, data, len, "Q", PHOTO_QUALITY, "strip", TRUE, "optimize_coding", TRUE, NULL);
}

/* Decodes, turns upright, converts and re-encodes an upload that passed header_check. */
static int reencode(const void *buf, size_t len, enum photo_kind kind, int shrink, struct photo_image *out)
{
	VipsImage *base = vips_image_new(), **t = (VipsImage **)vips_object_local_array(VIPS_OBJECT(base), 9);
	int rc = PHOTO_ERROR;

	if (load(buf, len, kind, shrink, &t[0]) ||
	    vips_thumbnail_image(t[0], &t[1], PHOTO_STORED_SIDE, "height", PHOTO_STORED_SIDE, "size", VIPS_SIZE_DOWN,
				 "no_rotate", TRUE, NULL) ||
	    to_srgb(t[1], t + 2, &t[5]))
		goto out;
	/* Every pixel is decoded here: a truncated or damaged file fails now. */
	t[6] = vips_image_copy_memory(t[5]);
	if (!t[6]) {
		rc = PHOTO_BROKEN;
		goto out;
	}
	if (vips_autorot(t[6], &t[7], NULL) || save(t[7], &out->data, &out->len) ||
	    vips_thumbnail_image(t[7], &t[8], PHOTO_THUMB_SIDE, "height", PHOTO_THUMB_SIDE, "size", VIPS_SIZE_DOWN,
				 "no_rotate", TRUE, NULL) ||
	    save(t[8], &out->thumb, &out->thumb_len))
		goto out;
	out->width = vips_image_get_width(t[7]);
	out->height = vips_image_get_height(t[7]);
	rc = PHOTO_OK;
out:
	vips_error_clear();
	g_object_unref(base);
	return rc;
}

int photo_encode(const void *buf, size_t len, struct photo_image *out)
{
	enum photo_kind kind = photo_sniff(buf, len);
	struct timespec until;
	int shrink = 1, rc;

	memset(out, 0, sizeof(*out));
	if (!len)
		return PHOTO_EMPTY;
	if (len > PHOTO_BYTES_MAX)
		return PHOTO_TOO_LARGE;
	if (kind == PHOTO_NONE)
		return PHOTO_NOT_IMAGE;
	pthread_once(&started, start);
	if (start_failed)
		return PHOTO_ERROR;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 3;
	if (pthread_mutex_timedlock(&slot, &until))
		return PHOTO_BUSY;
	rc = header_check(buf, len, kind, &shrink);
	if (rc == PHOTO_OK)
		rc = reencode(buf, len, kind, shrink, out);
	vips_error_clear();
	pthread_mutex_unlock(&slot);
	if (rc != PHOTO_OK)
		photo_image_release(out);
	return rc;
}

void photo_image_release(struct photo_image *img)
{
	g_free(img->data);
	g_free(img->thumb);
	memset(img, 0, sizeof(*img));
}

int photo_set_dir(const char *dir)
{
	size_t n;

	if (!dir) {
		given_dir[0] = '\0';
		return 0;
	}
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	/* Room for "/ab/" and a name after it, as photo_dir leaves for a folder beside a database. */
	if (!n || n + sizeof("/ab/") + NAME_LEN >= DIR_LEN)
		return -1;
	memcpy(given_dir, dir, n);
	given_dir[n] = '\0';
	return 0;
}

/* The photo folder: photo_set_dir's, else photos/ beside the database file (its folder, as SQLite names it). */
static int photo_dir(struct db *db, char out[DIR_LEN])
{
	struct db_stmt *st;
	const char *slash;
	int rc;

	out[0] = '\0';
	if (given_dir[0]) {
		str_copy(out, DIR_LEN, given_dir);
		return 0;
	}
	if (db_engine(db) != DB_SQLITE) {
		log_error("photos: no photo folder for a PostgreSQL database (serve --photos DIR)");
		return -1;
	}
	st = db_prepare(db, "PRAGMA database_list");
	while ((rc = db_step(st)) == DB_ROW)
		if (!strcmp(db_col_text(st, 1), "main")) {
			str_copy(out, DIR_LEN, db_col_text(st, 2));
			break;
		}
	db_done(st);
	slash = strrchr(out, '/');
	if (!out[0] || !slash || (size_t)(slash - out) + sizeof("/photos/ab/") + NAME_LEN >= DIR_LEN) {
		log_error("photos: no folder for a database without a file");
		return -1;
	}
	str_copy((char *)slash + 1, DIR_LEN - (size_t)(slash + 1 - out), "photos");
	return 0;
}

/* Whether name is one this module made: "ab/" and hex, ".jpg" or "-t.jpg". */
static bool our_name(const char *name)
{
	size_t n = strspn(name, "0123456789abcdef");

	if (n != 2 || name[2] != '/')
		return false;
	n = strspn(name + 3, "0123456789abcdef");
	return n == 32 && (!strcmp(name + 35, ".jpg") || !strcmp(name + 35, "-t.jpg"));
}

static int write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	const char *p = data;

	if (fd < 0)
		return -1;
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			unlink(path);
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) < 0) {
		close(fd);
		unlink(path);
		return -1;
	}
	return close(fd);
}

/* Writes the photo and its thumbnail under random names (never the upload's); name and thumb relative to the folder. */
static int store(const char *dir, const struct photo_image *img, char name[NAME_LEN], char thumb[NAME_LEN])
{
	char token[CRYPTO_TOKEN_HEX], path[DIR_LEN + NAME_LEN], sub[DIR_LEN + 4];
	int fd;

	crypto_token(token);
	snprintf(name, NAME_LEN, "%.2s/%.32s.jpg", token, token + 2);
	snprintf(thumb, NAME_LEN, "%.2s/%.32s-t.jpg", token, token + 2);
	snprintf(sub, sizeof(sub), "%s/%.2s", dir, token);
	if ((mkdir(dir, 0700) < 0 && errno != EEXIST) || (mkdir(sub, 0700) < 0 && errno != EEXIST)) {
		log_error("photos: cannot make the folder %s: %s", sub, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (write_file(path, img->data, img->len) < 0) {
		log_error("photos: cannot write a photo in %s: %s", sub, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, thumb);
	if (write_file(path, img->thumb, img->thumb_len) < 0) {
		log_error("photos: cannot write a thumbnail in %s: %s", sub, strerror(errno));
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		unlink(path);
		return -1;
	}
	/* The new names survive a power cut with the row that points at them. */
	fd = open(sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

static void unlink_names(const char *dir, char *const *names, size_t n)
{
	char path[DIR_LEN + NAME_LEN];

	for (size_t i = 0; i < n; i++) {
		if (!our_name(names[i]))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (unlink(path) < 0 && errno != ENOENT)
			log_error("photos: cannot remove a file: %s", strerror(errno));
	}
}

void photo_unlink(struct db *db, char **files, size_t n)
{
	char dir[DIR_LEN];

	if (n && photo_dir(db, dir) == 0)
		unlink_names(dir, files, n);
}

int photo_store(struct db *db, const struct photo_image *img, char name[PHOTO_NAME_LEN], char thumb[PHOTO_NAME_LEN])
{
	char dir[DIR_LEN];

	return photo_dir(db, dir) < 0 || store(dir, img, name, thumb) < 0 ? PHOTO_ERROR : PHOTO_OK;
}

/* Whether record id may take another photo now: pending, of a source that has photos, fewer than the most. */
static int room_for_one(struct db *db, int64_t id, struct record *r)
{
	int rc = record_get(db, id, r);

	if (rc != RECORD_OK)
		return rc == RECORD_NOT_FOUND ? PHOTO_NOT_FOUND : PHOTO_ERROR;
	if (!record_may(r->state, r->source, CHANGE_PHOTO))
		return PHOTO_BAD_STATE;
	return r->nphotos >= RECORD_PHOTOS_MAX ? PHOTO_FULL : PHOTO_OK;
}

static int insert_row(struct db *db, const struct actor *who, const struct record *r, const struct photo_image *img,
		      const char *name, const char *thumb, struct photo *out)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO record_photo (record_id, file, thumb, width, height, bytes, "
					    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
	char note[48];
	int rc;

	memset(out, 0, sizeof(*out));
	out->record_id = r->id;
	out->width = img->width;
	out->height = img->height;
	out->bytes = (int64_t)img->len;
	out->created_at = clock_now();
	db_bind_int(st, 1, r->id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, thumb);
	db_bind_int(st, 4, out->width);
	db_bind_int(st, 5, out->height);
	db_bind_int(st, 6, out->bytes);
	db_bind_int(st, 7, out->created_at);
	rc = db_step(st);
	if (rc == DB_ROW)
		out->id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return PHOTO_ERROR;
	snprintf(note, sizeof(note), "%d×%d", out->width, out->height);
	return record_event_add(db, who, r->id, r->community_path, "photo", note) < 0 ? PHOTO_ERROR : PHOTO_OK;
}

int photo_add(struct db *db, const struct actor *who, int64_t record_id, const void *buf, size_t len,
	      struct photo *out)
{
	struct photo_image img;
	struct record r;
	char dir[DIR_LEN], name[NAME_LEN], thumb[NAME_LEN];
	int rc = room_for_one(db, record_id, &r);

	/* Refused before the work of decoding when it can be; checked again below, in the transaction. */
	if (rc != PHOTO_OK)
		return rc;
	if ((rc = photo_encode(buf, len, &img)) != PHOTO_OK)
		return rc;
	if (photo_dir(db, dir) < 0 || store(dir, &img, name, thumb) < 0) {
		photo_image_release(&img);
		return PHOTO_ERROR;
	}
	if (db_begin(db) < 0) {
		rc = PHOTO_ERROR;
	} else {
		rc = room_for_one(db, record_id, &r);
		if (rc == PHOTO_OK)
			rc = insert_row(db, who, &r, &img, name, thumb, out);
		if (rc == PHOTO_OK && db_commit(db) < 0)
			rc = PHOTO_ERROR;
		else if (rc != PHOTO_OK)
			db_rollback(db);
	}
	photo_image_release(&img);
	if (rc != PHOTO_OK)
		unlink_names(dir, (char *const[]){ name, thumb }, 2);
	return rc;
}

int photo_remove(struct db *db, const struct actor *who, int64_t record_id, int64_t photo_id)
{
	struct db_stmt *st;
	struct record r;
	char name[NAME_LEN] = "", thumb[NAME_LEN] = "", note[24];
	int rc;

	if (db_begin(db) < 0)
		return PHOTO_ERROR;
	rc = room_for_one(db, record_id, &r);
	if (rc == PHOTO_FULL)
		rc = PHOTO_OK;
	if (rc == PHOTO_OK) {
		st = db_prepare(db, "DELETE FROM record_photo WHERE id = ? AND record_id = ? RETURNING file, thumb");
		db_bind_int(st, 1, photo_id);
		db_bind_int(st, 2, record_id);
		rc = db_step(st);
		if (rc == DB_ROW) {
			str_copy(name, sizeof(name), db_col_text(st, 0));
			str_copy(thumb, sizeof(thumb), db_col_text(st, 1));
		}
		db_done(st);
		rc = rc == DB_ROW ? PHOTO_OK : rc == DB_DONE ? PHOTO_NOT_FOUND : PHOTO_ERROR;
	}
	snprintf(note, sizeof(note), "%" PRId64, photo_id);
	if (rc == PHOTO_OK && record_event_add(db, who, record_id, r.community_path, "photo_remove", note) < 0)
		rc = PHOTO_ERROR;
	if (rc != PHOTO_OK) {
		db_rollback(db);
		return rc;
	}
	if (db_commit(db) < 0)
		return PHOTO_ERROR;
	photo_unlink(db, (char *[]){ name, thumb }, 2);
	return PHOTO_OK;
}

int photo_list(struct db *db, int64_t record_id, struct photo **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, width, height, bytes, created_at FROM record_photo "
					    "WHERE record_id = ? ORDER BY id");
	size_t cap = RECORD_PHOTOS_MAX;
	int rc;

	*items = xcalloc(cap, sizeof(**items));
	*n = 0;
	db_bind_int(st, 1, record_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct photo *p;

		if (*n == cap)
			*items = xrealloc(*items, (cap *= 2) * sizeof(**items));
		p = &(*items)[(*n)++];
		p->id = db_col_int(st, 0);
		p->record_id = record_id;
		p->width = (int)db_col_int(st, 1);
		p->height = (int)db_col_int(st, 2);
		p->bytes = db_col_int(st, 3);
		p->created_at = db_col_int(st, 4);
	}
	db_done(st);
	return rc == DB_DONE ? PHOTO_OK : PHOTO_ERROR;
}

int photo_open(struct db *db, int64_t record_id, int64_t photo_id, bool thumb, int *fd, uint64_t *size)
{
	struct db_stmt *st = db_prepare(db, "SELECT file, thumb FROM record_photo WHERE id = ? AND record_id = ?");
	char name[NAME_LEN] = "";
	int rc;

	db_bind_int(st, 1, photo_id);
	db_bind_int(st, 2, record_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		str_copy(name, sizeof(name), db_col_text(st, thumb ? 1 : 0));
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? PHOTO_NOT_FOUND : PHOTO_ERROR;
	return photo_open_file(db, name, fd, size);
}

int photo_open_file(struct db *db, const char *name, int *fd, uint64_t *size)
{
	char dir[DIR_LEN], path[DIR_LEN + NAME_LEN];
	struct stat sb;

	if (!our_name(name) || photo_dir(db, dir) < 0)
		return PHOTO_ERROR;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	*fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0) {
		log_error("photos: %s has no file: %s", name, strerror(errno));
		return PHOTO_ERROR;
	}
	if (fstat(*fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(*fd);
		return PHOTO_ERROR;
	}
	*size = (uint64_t)sb.st_size;
	return PHOTO_OK;
}

int photo_rows_delete(struct db *db, int64_t record_id, char ***files, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM record_photo WHERE record_id = ? RETURNING file, thumb");
	size_t cap = 2 * RECORD_PHOTOS_MAX;
	int rc;

	*files = xcalloc(cap, sizeof(**files));
	*n = 0;
	db_bind_int(st, 1, record_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n + 2 > cap)
			*files = xrealloc(*files, (cap *= 2) * sizeof(**files));
		(*files)[(*n)++] = xstrdup(db_col_text(st, 0));
		(*files)[(*n)++] = xstrdup(db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int photo_sample(void **buf, size_t *len)
{
	VipsImage *base, **t;
	void *data = NULL;
	int rc = -1;

	pthread_once(&started, start);
	if (start_failed)
		return -1;
	base = vips_image_new();
	t = (VipsImage **)vips_object_local_array(VIPS_OBJECT(base), 7);
	/* A warm gradient, 480 × 360: red across, green down, blue steady. */
	if (!vips_xyz(&t[0], 480, 360, NULL) && !vips_extract_band(t[0], &t[1], 0, NULL) &&
	    !vips_extract_band(t[0], &t[2], 1, NULL) && !vips_linear1(t[1], &t[3], 255.0 / 480, 0.0, NULL) &&
	    !vips_linear1(t[2], &t[4], 200.0 / 360, 40.0, NULL) && !vips_linear1(t[1], &t[5], 0.0, 96.0, NULL) &&
	    !vips_bandjoin(t + 3, &t[6], 3, NULL)) {
		VipsImage *u;

		if (!vips_cast_uchar(t[6], &u, NULL)) {
			if (!save(u, &data, len)) {
				*buf = xmalloc(*len);
				memcpy(*buf, data, *len);
				g_free(data);
				rc = 0;
			}
			g_object_unref(u);
		}
	}
	vips_error_clear();
	g_object_unref(base);
	return rc;
}
