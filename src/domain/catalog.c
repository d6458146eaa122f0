/* catalog.c: the service catalogue: reading items and their fields, where an item is offered, checking field values */
#include "domain/catalog.h"

#include <stdio.h>
#include <string.h>

#include "base/valid.h"

const char *const catalog_categories[] = { "welfare", "post", "activity", "affairs", NULL };

static const char *const field_types[] = { "text", "number", "date", "choice", "choices", NULL };

static enum catalog_field_type type_of(const char *s)
{
	for (int i = 0; field_types[i]; i++)
		if (!strcmp(s, field_types[i]))
			return (enum catalog_field_type)i;
	return FIELD_TEXT;
}

int catalog_item_get(struct db *db, int64_t id, struct catalog_item *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT i.id, i.category, i.code, i.name, i.description, "
					    "COALESCE(i.region_code, ''), COALESCE(r.path, ''), i.retired_at FROM "
					    "catalog_item i LEFT JOIN region r ON r.code = i.region_code WHERE i.id = ?");
	int rc;

	memset(out, 0, sizeof(*out));
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
	char key[TEXT_BYTES(CATALOG_NAME_MAX) + 8]; /* "fields." and a whole name */

	for (size_t k = 0; k < n; k++) {
		size_t i;

		for (i = 0; i < item->nfields && strcmp(item->fields[i].name, names[k]); i++)
			;
		snprintf(key, sizeof(key), "fields.%s", names[k]);
		if (i == item->nfields)
			field_errors_add(errs, key, "unknown", "该服务项目没有这一项");
	}
	for (size_t i = 0; i < item->nfields; i++) {
		const struct catalog_field *f = &item->fields[i];
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
