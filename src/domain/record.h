/* record.h: service records (服务记录): one per service, pending until the community confirms it (盖章) */
#ifndef DOMAIN_RECORD_H
#define DOMAIN_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/catalog.h"
#include "domain/member.h"
#include "domain/region.h"

/* The longest texts of a record, in characters; the most minutes one record may hold. */
enum { RECORD_PLACE_MAX = 100, RECORD_CONTENT_MAX = 500, RECORD_REASON_MAX = 200, RECORD_VALUE_MAX = 200,
       RECORD_MINUTES_MAX = 24 * 60, RECORD_PHOTOS_MAX = 3 };

enum record_source { SOURCE_ACTIVITY, SOURCE_POST, SOURCE_SELF, SOURCE_STAFF, SOURCE_CORRECTION };
extern const char *const record_sources[]; /* "activity", "post", "self", "staff", "correction" */

enum record_rc {
	RECORD_OK = 0,
	RECORD_ERROR = -1,
	RECORD_NOT_FOUND = -2,
	RECORD_INVALID = -3, /* faults in the caller's field_errors */
	RECORD_BAD_STATE = -4, /* not pending (confirmed records never change), or a request already answered */
	RECORD_DUPLICATE = -5, /* the attendance of that member at that activity has its record already */
	RECORD_OVERLAP = -6, /* the member has another service in that time */
};

/* What a new record says; strings borrowed. */
struct record_input {
	int64_t member_id;
	int64_t item_id;
	enum record_source source;
	int64_t activity_id, post_id, corrects_id; /* 0 when not */
	int64_t started_at;
	int64_t minutes; /* 1..RECORD_MINUTES_MAX; a correction carries a difference, which may be negative */
	const char *place;
	const char *content;
	size_t nfields; /* the item's extra fields: names[i] = values[i] */
	const char *const *field_names;
	const char *const *field_values;
};

/*
 * Adds a pending record inside the caller's transaction, checked: the member
 * has a file with an approved report-in (its community confirms the record),
 * the item is offered there and its extra fields are filled as it asks,
 * minutes are within bounds, the member has no other confirmed or pending
 * service overlapping that time (RECORD_OVERLAP), an activity's attendance
 * has one record (RECORD_DUPLICATE). Faults go to errs (RECORD_INVALID).
 * Writes the record's first event and an audit entry (record.create). *id is the new record.
 */
int record_add(struct db *db, const struct actor *who, const struct record_input *in, struct field_errors *errs,
	       int64_t *id);

struct record {
	int64_t id, member_id, item_id, activity_id, post_id, corrects_id;
	char member_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char item_name[TEXT_BYTES(CATALOG_NAME_MAX)];
	char category[12];
	char community_code[24];
	char community_path[PATH_MAX_LEN];
	char source[12];
	int64_t started_at, minutes;
	char place[TEXT_BYTES(RECORD_PLACE_MAX)];
	char content[TEXT_BYTES(RECORD_CONTENT_MAX)];
	char state[12]; /* pending, confirmed, rejected */
	char reason[TEXT_BYTES(RECORD_REASON_MAX)];
	int64_t created_at, decided_at;
	size_t nphotos;
};

int record_get(struct db *db, int64_t id, struct record *out);

#endif
