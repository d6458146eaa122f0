/* unit.h: employer units and their party organisations */
#ifndef DOMAIN_UNIT_H
#define DOMAIN_UNIT_H

#include <stddef.h>
#include <stdint.h>

#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"

/* The unit types, as stored; the Chinese names are the UI's. NULL-terminated. */
extern const char *const unit_types[];

/* The longest texts a unit holds, in characters. */
enum { UNIT_NAME_MAX = 100, UNIT_CONTACT_MAX = 50, UNIT_PHONE_MAX = 20 };

struct unit {
	int64_t id;
	char name[TEXT_BYTES(UNIT_NAME_MAX)];
	char party_org_name[TEXT_BYTES(UNIT_NAME_MAX)];
	char type[16];
	char region_code[24];
	char region_name[TEXT_BYTES(64)];
	char region_path[PATH_MAX_LEN];
	char contact_name[TEXT_BYTES(UNIT_CONTACT_MAX)];
	char contact_phone[TEXT_BYTES(UNIT_PHONE_MAX)];
	int64_t created_at, updated_at;
};

struct unit_filter {
	const char *q; /* part of the name or party organisation name */
	const char *type;
	const char *region; /* units registered at or under this region code */
	int64_t page, per_page;
};

enum unit_rc { UNIT_OK = 0, UNIT_ERROR = -1, UNIT_NOT_FOUND = -2, UNIT_DUPLICATE = -3 };

int unit_get(struct db *db, int64_t id, struct unit *out);
/* One page within scope, ordered by name; *items: caller frees. */
int unit_list(struct db *db, const struct scope *scope, const struct unit_filter *f, struct unit **items,
	      size_t *n, int64_t *total);
/* Creates u (region_path must be the path of u->region_code); sets id and times; audited. */
int unit_create(struct db *db, const struct actor *who, struct unit *u);
/* Replaces the fields of unit u->id; audited. */
int unit_update(struct db *db, const struct actor *who, struct unit *u);

#endif
