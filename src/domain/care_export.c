/* care_export.c: the care register as a spreadsheet reads it, audited before anything is read; sealed fields only when asked for */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/care.h"
#include "domain/care_row.h"

/* The names of codes ("a,b") in the list's words, joined by "、"; a code no longer listed stays as it is. */
static char *names_of(const char *codes, const struct care_category *cats, size_t ncats)
{
	struct buf b = BUF_INIT;
	char *copy = xstrdup(codes), *save = NULL;

	for (char *code = strtok_r(copy, ",", &save); code; code = strtok_r(NULL, ",", &save)) {
		const char *name = code;

		for (size_t i = 0; i < ncats; i++)
			if (!strcmp(cats[i].code, code))
				name = cats[i].name;
		if (b.len)
			buf_addstr(&b, "、");
		buf_addstr(&b, name);
	}
	free(copy);
	copy = xstrdup(buf_str(&b));
	buf_release(&b);
	return copy;
}

int care_export(struct db *db, const struct actor *who, const struct region *community, bool sensitive,
		const char *reason, const char *today, struct care_export_row **rows, size_t *n)
{
	struct care_filter f = { 0 };
	struct care_category *cats = NULL;
	struct care *items = NULL;
	size_t count = 0, ncats = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if (db_begin(db) < 0)
		return CARE_ERROR;
	rc = audit_append_detail(db, who, "care.export", "region", community->code, community->path, "ok",
				 sensitive ? reason : "") < 0
		     ? CARE_ERROR
		     : CARE_OK;
	if ((rc = care_finish(db, rc)) != CARE_OK)
		return rc;
	if (care_list(db, community->code, &f, today, &items, &count) != CARE_OK)
		return CARE_ERROR;
	if (sensitive && care_categories(db, &cats, &ncats) != CARE_OK) {
		free(items);
		return CARE_ERROR;
	}
	*rows = xcalloc(count ? count : 1, sizeof(**rows));
	for (size_t i = 0; i < count && rc == CARE_OK; i++) {
		struct care_export_row *r = &(*rows)[i];
		char path[PATH_MAX_LEN], *codes = NULL;

		r->c = items[i];
		*n = i + 1;
		if (!sensitive)
			continue;
		rc = care_unseal(db, items[i].id, &codes, &r->health, path);
		if (rc == CARE_OK)
			r->categories = names_of(codes, cats, ncats);
		free(codes);
	}
	free(items);
	free(cats);
	if (rc != CARE_OK) {
		care_export_free(*rows, *n);
		*rows = NULL;
		*n = 0;
	}
	return rc;
}

void care_export_free(struct care_export_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].categories);
		free(rows[i].health);
	}
	free(rows);
}
