/* catalog.c: the service catalogue: items and their fields added, edited, retired and listed where offered; field values checked */
#include "domain/catalog.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/valid.h"

const char *const catalog_categories[] = { "welfare", "post", "activity", "affairs", NULL };

static const char *const field_types[] = { "text", "number", "date", "choice", "choices", NULL };

const char *catalog_field_type_name(enum catalog_field_type t)
{
	return t <= FIELD_CHOICES ? field_types[t] : "text";
}

int catalog_field_type_parse(const char *s, enum catalog_field_type *out)
{
	for (int i = 0; field_types[i]; i++)
		if (!strcmp(s, field_types[i])) {
			*out = (enum catalog_field_type)i;
			return 0;
		}
	return -1;
}

static enum catalog_field_type type_of(const char *s)
{
	enum catalog_field_type t = FIELD_TEXT;

	catalog_field_type_parse(s, &t);
	return t;
}

int catalog_item_get(struct db *db, int64_t id, struct catalog_item *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT i.id, i.category, i.code, i.name, i.description, "
					    "COALESCE(i.region_code, ''), COALESCE(r.path, ''), i.retired_at, "
					    "COALESCE(r.name, ''), COALESCE(r.level, ''), i.sort, i.created_at, i.updated_at, "
					    "i.specialties "
					    "FROM catalog_item i LEFT JOIN region r ON r.code = i.region_code WHERE i.id = ?");
	int rc;

	/* Not the fields array (most of the struct): only the first nfields are ever read, each written whole. */
	memset(out, 0, offsetof(struct catalog_item, fields));
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		str_copy(out->category, sizeof(out->category), db_col_text(st, 1));
		str_copy(out->code, sizeof(out->code), db_col_text(st, 2));
		str_copy(out->name, sizeof(out->name), db_col_text(st, 3));
		str_copy(out->description, sizeof(out->description), db_col_text(st, 4));
		str_copy(out->region_code, sizeof(out->region_code), db_col_text(st, 5));
		str_copy(out->region_path, sizeof(out->region_path), db_col_text(st, 6));
		out->retired_at = db_col_int(st, 7);
		str_copy(out->region_name, sizeof(out->region_name), db_col_text(st, 8));
		str_copy(out->region_level, sizeof(out->region_level), db_col_text(st, 9));
		out->sort = db_col_int(st, 10);
		out->created_at = db_col_int(st, 11);
		out->updated_at = db_col_int(st, 12);
		str_copy(out->specialties, sizeof(out->specialties), db_col_text(st, 13));
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? CATALOG_NOT_FOUND : CATALOG_ERROR;
	st = db_prepare(db, "SELECT name, type, required, choices FROM catalog_field WHERE item_id = ? ORDER BY position");
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW && out->nfields < CATALOG_FIELDS_MAX) {
		struct catalog_field *f = &out->fields[out->nfields++];

		str_copy(f->name, sizeof(f->name), db_col_text(st, 0));
		f->type = type_of(db_col_text(st, 1));
		f->required = db_col_int(st, 2) != 0;
		str_copy(f->choices, sizeof(f->choices), db_col_text(st, 3));
	}
	db_done(st);
	return rc == DB_DONE || rc == DB_ROW ? CATALOG_OK : CATALOG_ERROR;
}

bool catalog_offered(const struct catalog_item *item, const char *path)
{
	if (item->retired_at)
		return false;
	return !item->region_path[0] || (path && !strncmp(path, item->region_path, strlen(item->region_path)));
}

/* Whether line is one of the choices (one per line). */
static bool is_choice(const char *choices, const char *line, size_t len)
{
	for (const char *p = choices; *p;) {
		size_t n = strcspn(p, "\n");

		if (n == len && !strncmp(p, line, len))
			return true;
		p += n + (p[n] == '\n');
	}
	return false;
}

/* One value of a field: a number, a date, one choice, or choices joined by ',' each one of the field's. */
static const char *value_fault(const struct catalog_field *f, const char *v)
{
	long long n;

	switch (f->type) {
	case FIELD_NUMBER:
		return str_to_ll(v, 0, 1000000, &n) < 0 ? "应为 0 到 1000000 的整数" : NULL;
	case FIELD_DATE:
		return valid_date(v) ? NULL : "应为日期，如 2026-12-01";
	case FIELD_CHOICE:
		return is_choice(f->choices, v, strlen(v)) ? NULL : "不是可选的一项";
	case FIELD_CHOICES:
		for (const char *p = v; *p;) {
			size_t len = strcspn(p, ",");

			if (!is_choice(f->choices, p, len))
				return "有一项不是可选的";
			p += len + (p[len] == ',');
		}
		return NULL;
	default:
		return utf8_chars(v) > 200 ? "最多 200 个字" : NULL;
	}
}

void catalog_check_values(const struct catalog_item *item, const char *const *names, const char *const *values,
			  size_t n, struct field_errors *errs)
{
	catalog_check_field_values(item->fields, item->nfields, names, values, n, errs);
}

void catalog_check_field_values(const struct catalog_field *fields, size_t nfields, const char *const *names,
				const char *const *values, size_t n, struct field_errors *errs)
{
	char key[sizeof(errs->items[0].field)];

	for (size_t k = 0; k < n; k++) {
		size_t i;

		for (i = 0; i < nfields && strcmp(fields[i].name, names[k]); i++)
			;
		if (i < nfields)
			continue;
		/* A name no item has may be of any length: named whole, or the error is on "fields". */
		if (strlen(names[k]) + sizeof("fields.") <= sizeof(key))
			snprintf(key, sizeof(key), "fields.%s", names[k]);
		else
			snprintf(key, sizeof(key), "fields");
		field_errors_add(errs, key, "unknown", "没有这一项");
	}
	for (size_t i = 0; i < nfields; i++) {
		const struct catalog_field *f = &fields[i];
		const char *v = NULL, *fault;

		for (size_t k = 0; k < n && !v; k++)
			if (!strcmp(names[k], f->name))
				v = values[k];
		snprintf(key, sizeof(key), "fields.%s", f->name);
		if (!v || !*v) {
			if (f->required)
				field_errors_add(errs, key, "required", "必须填写");
		} else if ((fault = value_fault(f, v))) {
			field_errors_add(errs, key, "format", fault);
		}
	}
}

/* Letters, digits and '-': a code people read out and type into spreadsheets. */
static bool valid_code(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CATALOG_CODE_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

/* The choices of field i: 1 to 20, none empty, none twice, none with ',' (values of several are joined by it). */
static void check_choices(const struct catalog_field *f, size_t i, struct field_errors *errs)
{
	char key[48];
	size_t count = 0;

	snprintf(key, sizeof(key), "fields[%zu].choices", i);
	if (f->type != FIELD_CHOICE && f->type != FIELD_CHOICES) {
		if (f->choices[0])
			field_errors_add(errs, key, "unknown", "只有单选、多选才有选项");
		return;
	}
	if (f->choices[0] && f->choices[strlen(f->choices) - 1] == '\n') {
		field_errors_add(errs, key, "format", "选项不能为空");
		return;
	}
	for (const char *p = f->choices; *p || !count;) {
		size_t len = strcspn(p, "\n");

		if (len == 0 || memchr(p, ',', len)) {
			field_errors_add(errs, key, "format", len ? "选项中不能有英文逗号" : "选项不能为空");
			return;
		}
		if (is_choice(p + len + (p[len] == '\n'), p, len)) {
			field_errors_add(errs, key, "duplicate", "选项重复");
			return;
		}
		count++;
		p += len + (p[len] == '\n');
	}
	if (count > 20)
		field_errors_add(errs, key, "too_long", "最多 20 个选项");
}

void catalog_check_input(const struct catalog_input *in, struct field_errors *errs)
{
	size_t k;

	for (k = 0; catalog_categories[k] && (!in->category || strcmp(catalog_categories[k], in->category)); k++)
		;
	if (!catalog_categories[k])
		field_errors_add(errs, "category", "enum", "应为 welfare（公益类）、post（岗位类）、activity（活动类）或 affairs（事务类）");
	if (!in->code || !valid_code(in->code))
		field_errors_add(errs, "code", "format", "编号应为 1 到 8 个字母、数字或“-”");
	if (!in->name || !*in->name)
		field_errors_add(errs, "name", "required", NULL);
	if (in->sort < 0 || in->sort > CATALOG_SORT_MAX)
		field_errors_add(errs, "sort", "too_large", "排序应为 0 到 9999");
	catalog_check_fields(in->fields, in->nfields, errs);
}

void catalog_check_fields(const struct catalog_field *fields, size_t n, struct field_errors *errs)
{
	if (n > CATALOG_FIELDS_MAX)
		field_errors_add(errs, "fields", "too_long", "最多 8 个附加项");
	for (size_t i = 0; i < n && i < CATALOG_FIELDS_MAX; i++) {
		const struct catalog_field *f = &fields[i];
		char key[48];

		snprintf(key, sizeof(key), "fields[%zu].name", i);
		if (!f->name[0])
			field_errors_add(errs, key, "required", NULL);
		else if (strpbrk(f->name, "\r\n"))
			field_errors_add(errs, key, "format", "附加项名称不能换行");
		for (size_t j = 0; j < i; j++)
			if (!strcmp(fields[j].name, f->name)) {
				field_errors_add(errs, key, "duplicate", "附加项名称重复");
				break;
			}
		check_choices(f, i, errs);
	}
}

/* Whether code is used where an item of the region at path (NULL: the default list) would be offered. */
static int code_taken(struct db *db, const char *code, const char *path)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM catalog_item i LEFT JOIN region r ON r.code = i.region_code "
					    "WHERE i.code = ? AND (i.region_code IS NULL OR ? = '' OR "
					    "substr(?, 1, length(r.path)) = r.path OR substr(r.path, 1, length(?)) = ?) LIMIT 1");
	int rc;

	db_bind_text(st, 1, code);
	for (int i = 2; i <= 5; i++)
		db_bind_text(st, i, path ? path : "");
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int count_items(struct db *db, const char *region_code, int64_t *n)
{
	struct db_stmt *st = db_prepare(db, region_code ? "SELECT COUNT(*) FROM catalog_item WHERE region_code = ?"
						       : "SELECT COUNT(*) FROM catalog_item WHERE region_code IS NULL");
	int rc;

	if (region_code)
		db_bind_text(st, 1, region_code);
	rc = db_step(st);
	*n = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

static int write_fields(struct db *db, int64_t id, const struct catalog_input *in)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM catalog_field WHERE item_id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	db_done(st);
	for (size_t i = 0; rc == DB_DONE && i < in->nfields; i++) {
		const struct catalog_field *f = &in->fields[i];

		st = db_prepare(db, "INSERT INTO catalog_field (item_id, position, name, type, required, choices) "
				    "VALUES (?, ?, ?, ?, ?, ?)");
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_text(st, 3, f->name);
		db_bind_text(st, 4, catalog_field_type_name(f->type));
		db_bind_int(st, 5, f->required);
		db_bind_text(st, 6, f->type == FIELD_CHOICE || f->type == FIELD_CHOICES ? f->choices : "");
		rc = db_step(st);
		db_done(st);
	}
	return rc == DB_DONE ? 0 : -1;
}

static int audit_item(struct db *db, const struct actor *who, const char *action, int64_t id, const char *path,
		      const char *detail)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append_detail(db, who, action, "catalog_item", idt, path, "ok", detail);
}

/* Ends a transaction: commits when body succeeded, rolls back otherwise. */
static int finish(struct db *db, int rc)
{
	if (rc != CATALOG_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? CATALOG_ERROR : CATALOG_OK;
}

void catalog_check_fixed(const struct catalog_item *old, const struct catalog_input *in, struct field_errors *errs)
{
	if (in->category && strcmp(in->category, old->category))
		field_errors_add(errs, "category", "fixed", "类别创建后不能修改；如需更改，请停用该项目后另建");
	if (in->code && strcmp(in->code, old->code))
		field_errors_add(errs, "code", "fixed", "编号创建后不能修改；如需更改，请停用该项目后另建");
}

/* The checks of a new item that need the database, inside its transaction. */
static int check_new(struct db *db, const struct catalog_input *in, const char *path, struct field_errors *errs)
{
	int rc;

	catalog_check_input(in, errs);
	if (in->specialties && member_check_specialties(db, in->specialties, errs) < 0)
		return CATALOG_ERROR;
	if (errs->n)
		return CATALOG_INVALID;
	rc = code_taken(db, in->code, path);
	if (rc < 0)
		return CATALOG_ERROR;
	if (rc) {
		field_errors_add(errs, "code", "duplicate", "该编号已被使用（默认目录、上级或下级辖区的项目中）");
		return CATALOG_DUPLICATE;
	}
	return CATALOG_OK;
}

int catalog_create(struct db *db, const struct actor *who, const struct region *region,
		   const struct catalog_input *in, struct field_errors *errs, int64_t *id)
{
	struct db_stmt *st;
	int64_t n, now = clock_now();
	int rc;

	if (region && strcmp(region->level, "city") && strcmp(region->level, "district") &&
	    strcmp(region->level, "street")) {
		field_errors_add(errs, "region_code", "format", "服务项目只能由市、区或街道添加");
		return CATALOG_INVALID;
	}
	if (db_begin(db) < 0)
		return CATALOG_ERROR;
	rc = check_new(db, in, region ? region->path : NULL, errs);
	if (rc == CATALOG_OK && count_items(db, region ? region->code : NULL, &n) < 0)
		rc = CATALOG_ERROR;
	if (rc == CATALOG_OK && n >= CATALOG_REGION_ITEMS)
		rc = CATALOG_FULL;
	if (rc != CATALOG_OK)
		return finish(db, rc);
	st = db_prepare(db, "INSERT INTO catalog_item (category, code, name, description, region_code, sort, "
			    "created_at, updated_at, specialties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	db_bind_text(st, 1, in->category);
	db_bind_text(st, 2, in->code);
	db_bind_text(st, 3, in->name);
	db_bind_text(st, 4, in->description ? in->description : "");
	db_bind_text(st, 5, region ? region->code : NULL);
	db_bind_int(st, 6, in->sort);
	db_bind_int(st, 7, now);
	db_bind_int(st, 8, now);
	db_bind_text(st, 9, in->specialties ? in->specialties : "");
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_UNIQUE) {
		field_errors_add(errs, "code", "duplicate", "该编号已被使用");
		return finish(db, CATALOG_DUPLICATE);
	}
	rc = rc == DB_ROW && write_fields(db, *id, in) == 0 &&
			     audit_item(db, who, "catalog.create", *id, region ? region->path : "", in->code) == 0
		     ? CATALOG_OK
		     : CATALOG_ERROR;
	return finish(db, rc);
}

int catalog_update(struct db *db, const struct actor *who, int64_t id, const struct catalog_input *in,
		   struct field_errors *errs)
{
	struct catalog_item old;
	struct catalog_input full;
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return CATALOG_ERROR;
	rc = catalog_item_get(db, id, &old);
	if (rc == CATALOG_OK) {
		catalog_check_fixed(&old, in, errs);
		full = *in;
		full.category = old.category;
		full.code = old.code;
		catalog_check_input(&full, errs);
		rc = in->specialties && member_check_specialties(db, in->specialties, errs) < 0 ? CATALOG_ERROR
			: errs->n									 ? CATALOG_INVALID
												 : CATALOG_OK;
	}
	if (rc != CATALOG_OK)
		return finish(db, rc);
	st = db_prepare(db, "UPDATE catalog_item SET name = ?, description = ?, sort = ?, updated_at = ?, "
			    "specialties = COALESCE(?, specialties) WHERE id = ?");
	db_bind_text(st, 1, in->name);
	db_bind_text(st, 2, in->description ? in->description : "");
	db_bind_int(st, 3, in->sort);
	db_bind_int(st, 4, clock_now());
	db_bind_text(st, 5, in->specialties); /* NULL: kept */
	db_bind_int(st, 6, id);
	rc = db_step(st);
	db_done(st);
	rc = rc == DB_DONE && write_fields(db, id, in) == 0 &&
			     audit_item(db, who, "catalog.update", id, old.region_path, old.code) == 0
		     ? CATALOG_OK
		     : CATALOG_ERROR;
	return finish(db, rc);
}

/* How many open posts and activities not yet closed (nor cancelled) use item id. */
static int users_of(struct db *db, int64_t id, int64_t *n)
{
	/* By index: post (item_id, state); activity (state, starts_at), where few are not yet closed. */
	struct db_stmt *st = db_prepare(db, "SELECT (SELECT COUNT(*) FROM post WHERE item_id = ? AND state = 'open') + "
					    "(SELECT COUNT(*) FROM activity WHERE state IN ('draft', 'published') AND "
					    "item_id = ?)");
	int rc;

	db_bind_int(st, 1, id);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	*n = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int catalog_retire(struct db *db, const struct actor *who, int64_t id, bool retire, int64_t *users)
{
	struct catalog_item item;
	struct db_stmt *st;
	int64_t now = clock_now();
	int rc;

	*users = 0;
	if (db_begin(db) < 0)
		return CATALOG_ERROR;
	rc = catalog_item_get(db, id, &item);
	if (rc == CATALOG_OK && retire && users_of(db, id, users) < 0)
		rc = CATALOG_ERROR;
	if (rc == CATALOG_OK && *users)
		rc = CATALOG_IN_USE;
	if (rc != CATALOG_OK)
		return finish(db, rc);
	st = db_prepare(db, "UPDATE catalog_item SET retired_at = ?, updated_at = ? WHERE id = ?");
	db_bind_int(st, 1, retire ? now : 0);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, id);
	rc = db_step(st);
	db_done(st);
	rc = rc == DB_DONE && audit_item(db, who, retire ? "catalog.retire" : "catalog.restore", id, item.region_path,
					 item.code) == 0
		     ? CATALOG_OK
		     : CATALOG_ERROR;
	return finish(db, rc);
}

int catalog_list(struct db *db, const char *path, const char *category, bool with_retired, int64_t **ids,
		 size_t *n)
{
	struct buf sql = BUF_INIT;
	char codes[LINEAGE_MAX][24];
	size_t ncodes = 0, cap = 32;
	struct db_stmt *st;
	int rc, i = 1;

	/* "/440100000000/440111000000/…/" → its nodes' codes, the city first. */
	for (const char *p = path ? path : ""; *p && ncodes < LINEAGE_MAX;) {
		size_t len = strcspn(++p, "/");

		if (len && len < sizeof(codes[0])) {
			memcpy(codes[ncodes], p, len);
			codes[ncodes++][len] = '\0';
		}
		p += len;
		if (!p[0] || !p[1])
			break;
	}
	buf_addstr(&sql, "SELECT id FROM catalog_item WHERE (region_code IS NULL");
	if (ncodes) {
		buf_addstr(&sql, " OR region_code IN (?");
		for (size_t k = 1; k < ncodes; k++)
			buf_addstr(&sql, ", ?");
		buf_addch(&sql, ')');
	}
	buf_addch(&sql, ')');
	if (category)
		buf_addstr(&sql, " AND category = ?");
	if (!with_retired)
		buf_addstr(&sql, " AND retired_at = 0");
	buf_addstr(&sql, " ORDER BY CASE category WHEN 'welfare' THEN 0 WHEN 'post' THEN 1 WHEN 'activity' THEN 2 "
			 "ELSE 3 END, sort, region_code IS NOT NULL, code, id");
	st = db_prepare(db, sql.data);
	for (size_t k = 0; k < ncodes; k++)
		db_bind_text(st, i++, codes[k]);
	if (category)
		db_bind_text(st, i++, category);
	*n = 0;
	*ids = xmalloc(cap * sizeof(**ids));
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap)
			*ids = xrealloc(*ids, (cap *= 2) * sizeof(**ids));
		(*ids)[(*n)++] = db_col_int(st, 0);
	}
	db_done(st);
	buf_release(&sql);
	if (rc != DB_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return CATALOG_ERROR;
	}
	return CATALOG_OK;
}
