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
#include "domain/member.h"
#include "domain/region.h"

/* The longest texts of an item and its fields, in characters. */
enum { CATALOG_NAME_MAX = 40, CATALOG_CODE_MAX = 8, CATALOG_TEXT_MAX = 200, CATALOG_FIELDS_MAX = 8,
       CATALOG_CHOICES_MAX = 400, CATALOG_CHOICE_MAX = 40, CATALOG_SORT_MAX = 9999 };
/* The most items one region (or the default list) may have, retired ones included. */
enum { CATALOG_REGION_ITEMS = 100 };

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
	char specialties[TEXT_BYTES(MEMBER_TAGS_MAX)]; /* the member specialties it wants, joined by ',' (matching) */
	char region_code[24]; /* "" for the default list */
	char region_path[PATH_MAX_LEN]; /* "" for the default list */
	char region_name[REGION_TEXT]; /* "" for the default list */
	char region_level[12];
	int64_t sort;
	int64_t retired_at, created_at, updated_at;
	size_t nfields;
	struct catalog_field fields[CATALOG_FIELDS_MAX];
};

enum catalog_rc {
	CATALOG_OK = 0,
	CATALOG_ERROR = -1,
	CATALOG_NOT_FOUND = -2,
	CATALOG_DUPLICATE = -3, /* the code is taken where the item would be offered */
	CATALOG_INVALID = -4, /* faults in the caller's field_errors */
	CATALOG_IN_USE = -5, /* open posts or activities to come use it: it cannot be retired */
	CATALOG_FULL = -6, /* the region has CATALOG_REGION_ITEMS items already */
};

/* The type a field is stored as ("text", …), and back; -1 for a name that is none. */
const char *catalog_field_type_name(enum catalog_field_type t);
int catalog_field_type_parse(const char *s, enum catalog_field_type *out);

/* What a new or edited item says; strings borrowed. fields[i].choices: one per line. */
struct catalog_input {
	const char *category, *code, *name, *description;
	const char *specialties; /* tags of the specialty list joined by ','; "": none; NULL: none (an edit keeps them) */
	int64_t sort;
	size_t nfields;
	struct catalog_field fields[CATALOG_FIELDS_MAX];
};

/*
 * Checks an item's input without the database: the category, a code of
 * letters, digits and '-', the names, each field named once, a choice field
 * with 1 to 20 choices (none empty, none twice, none with ','), no choices for
 * the other types, field names on one line. Faults go to errs named as the API names them (fields[i].name).
 */
void catalog_check_input(const struct catalog_input *in, struct field_errors *errs);
/*
 * Adds an item to the list of region (NULL: the default list), checked, in
 * one transaction with its fields and an audit entry (catalog.create). The
 * code must be unused wherever the item would be offered: in the default
 * list, in the region's ancestors' and descendants' items (CATALOG_DUPLICATE).
 * region must be a city, district or street (CATALOG_INVALID otherwise).
 */
int catalog_create(struct db *db, const struct actor *who, const struct region *region,
		   const struct catalog_input *in, struct field_errors *errs, int64_t *id);
/*
 * Faults of an edit that would change what never changes: an item's category
 * and code (records, statistics and spreadsheets name it by them; retire it
 * and add another instead). in->category and in->code may be NULL (kept).
 */
void catalog_check_fixed(const struct catalog_item *old, const struct catalog_input *in, struct field_errors *errs);
/*
 * Replaces item id's name, description, sort, fields and specialties (kept when NULL; its region,
 * category and code stay: catalog_check_fixed), checked as catalog_create
 * checks; audited catalog.update. Records made before keep the values they
 * were given; the fields ask what new records must fill.
 */
int catalog_update(struct db *db, const struct actor *who, int64_t id, const struct catalog_input *in,
		   struct field_errors *errs);
/*
 * Retires item id (offered no more; records keep it) or offers it again;
 * audited catalog.retire / catalog.restore. Retiring an item that an open
 * post or an activity not yet closed uses is CATALOG_IN_USE: *users says how many.
 */
int catalog_retire(struct db *db, const struct actor *who, int64_t id, bool retire, int64_t *users);
/*
 * The ids of the items offered at the node with path (NULL: the default list
 * only): the default list and what the node's ancestors and the node itself
 * added, by category (公益 岗位 活动 事务), sort and code; of category only when
 * given; retired ones too when with_retired. *ids: caller frees.
 */
int catalog_list(struct db *db, const char *path, const char *category, bool with_retired, int64_t **ids,
		 size_t *n);

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
/* The same against any list of fields (a campaign's questions at the door). */
void catalog_check_field_values(const struct catalog_field *fields, size_t nfields, const char *const *names,
				const char *const *values, size_t n, struct field_errors *errs);
/* The fields of catalog_check_input alone: names given, on one line, each once; choices where they belong. */
void catalog_check_fields(const struct catalog_field *fields, size_t n, struct field_errors *errs);

#endif
