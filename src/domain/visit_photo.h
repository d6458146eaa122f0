/* visit_photo.h: photos of a visit (走访), taken only when the person visited agreed to them */
#ifndef DOMAIN_VISIT_PHOTO_H
#define DOMAIN_VISIT_PHOTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/audit.h"
#include "domain/photo.h"

/* The most photos a visit keeps (as a need keeps when posted). */
enum { VISIT_PHOTOS_MAX = 3 };

struct visit_photo {
	int64_t id, visit_id;
	int width, height;
	int64_t bytes, created_by, created_at;
};

/*
 * Adds an upload to visit visit_id as list_photo_add does (photo_encode: no
 * metadata kept; photo_store), then the row and the audit entry (visit.photo,
 * at the visit's community) in one transaction that checks the visit again:
 * its photo_consent (else PHOTO_BAD_STATE) and its count (VISIT_PHOTOS_MAX:
 * else PHOTO_FULL). PHOTO_NOT_FOUND: no such visit. Who may is the caller's
 * decision. The files go again when the row does not come.
 */
int visit_photo_add(struct db *db, const struct actor *who, int64_t visit_id, const void *buf, size_t len,
		    struct visit_photo *out);
/* Removes photo photo_id of visit visit_id, audited (visit.photo_remove), its files after the commit. */
int visit_photo_remove(struct db *db, const struct actor *who, int64_t visit_id, int64_t photo_id);
/* Photo photo_id of visit visit_id (PHOTO_NOT_FOUND when it has none such). */
int visit_photo_get(struct db *db, int64_t visit_id, int64_t photo_id, struct visit_photo *out);
/* The photos of visit visit_id, oldest first. *items: caller frees. */
int visit_photo_list(struct db *db, int64_t visit_id, struct visit_photo **items, size_t *n);
/* Opens photo photo_id of visit visit_id (its thumbnail, thumb) for reading: *fd (caller closes) and its size. */
int visit_photo_open(struct db *db, int64_t visit_id, int64_t photo_id, bool thumb, int *fd, uint64_t *size);

#endif
