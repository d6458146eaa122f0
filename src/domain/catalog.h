/* catalog.h: the service catalogue (服务项目目录): items of four categories, their extra fields, where each is offered */
#ifndef DOMAIN_CATALOG_H
#define DOMAIN_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"

/* The longest texts of an item and its fields, in characters. */
enum { CATALOG_NAME_MAX = 40, CATALOG_CODE_MAX = 8, CATALOG_TEXT_MAX = 200, CATALOG_FIELDS_MAX = 8,
       CATALOG_CHOICES_MAX = 400 };

/* The four categories, as stored: 公益类 岗位类 活动类 事务类. NULL-terminated. */
extern const char *const catalog_categories[];

enum catalog_field_type { FIELD_TEXT, FIELD_NUMBER, FIELD_DATE, FIELD_CHOICE, FIELD_CHOICES };

struct catalog_field {
	char name[TEXT_BYTES(CATALOG_NAME_MAX)];
	enum catalog_field_type type;
	bool required;
	char choices[TEXT_BYTES(CATALOG_CHOICES_MAX)]; /* one per line, for choice and choices */
};

struct catalog_item {
	int64_t id;
	char category[12];
	char code[TEXT_BYTES(CATALOG_CODE_MAX)];
	char name[TEXT_BYTES(CATALOG_NAME_MAX)];
	char description[TEXT_BYTES(CATALOG_TEXT_MAX)];
	char region_code[24]; /* "" for the default list */
	char region_path[PATH_MAX_LEN]; /* "" for the default list */
	int64_t retired_at;
	size_t nfields;
	struct catalog_field fields[CATALOG_FIELDS_MAX];
};

enum catalog_rc { CATALOG_OK = 0, CATALOG_ERROR = -1, CATALOG_NOT_FOUND = -2, CATALOG_DUPLICATE = -3 };

/* The item with its fields. */
int catalog_item_get(struct db *db, int64_t id, struct catalog_item *out);
/*
 * Whether the item is offered at the node with path (a community, say): the
 * default list everywhere, an added item under the district or street that
 * added it; a retired one nowhere (for new services; old records keep it).
 */
bool catalog_offered(const struct catalog_item *item, const char *path);

/*
 * Checks the values of a service's extra fields against the item's (value i
 * for field i; names, types, required, choices), adding errors to errs under
 * "fields.NAME". n is how many values were given.
 */
void catalog_check_values(const struct catalog_item *item, const char *const *names, const char *const *values,
			  size_t n, struct field_errors *errs);

#endif
