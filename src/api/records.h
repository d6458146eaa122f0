/* records.h: what records.c and photos.c share at the API edge: who may see or change a record */
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

#endif
