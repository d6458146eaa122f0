/* records.h: what records.c, photos.c and posts.c share at the API edge: who may see a record, its answer, its extra fields */
#ifndef API_RECORDS_H
#define API_RECORDS_H

#include <stdbool.h>

#include "api/call.h"
#include "domain/record.h"

/* Whether the record is the caller's own service (their member file is linked to their account). */
bool record_is_mine(const struct call *c, const struct record *r);
/* Whether the caller may act for the community on it: confirm, correct (staff over it, admin). */
bool record_is_staffs(const struct call *c, const struct record *r);
/*
 * Loads record {id} (path parameter 0) if the caller may see it: their own,
 * or read over its community (ACT_SERVE_READ) or its member's unit; 404 otherwise.
 */
int record_or_reply(struct call *c, struct record *r);
/* Answers status with record id as GET /records/{id} shows it to the caller (a logged 500 if it cannot be read). */
void record_reply(struct call *c, int status, int64_t id);

/* The item's extra fields as sent: {"送餐份数": 3, "咨询类别": ["婚姻家庭", "其他"], …}; names and values owned. */
struct record_fields {
	size_t n;
	char *names[CATALOG_FIELDS_MAX];
	char *values[CATALOG_FIELDS_MAX];
};
/*
 * Reads "fields" of the body, which the spec reader cannot (an object whose
 * names are the item's): its "unknown" error is dropped from errs, faults of
 * its own added (fields.NAME). For the member's reports, staff entries and
 * posts' service. Release out with record_fields_release either way.
 */
void record_fields_read(struct call *c, struct field_errors *errs, struct record_fields *out);
void record_fields_release(struct record_fields *f);

#endif
