/* visit.h: visits (走访) to people on the care register, by a paired member (a pending service record) or by staff */
#ifndef DOMAIN_VISIT_H
#define DOMAIN_VISIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/care.h"

/* Texts in characters; how far back a visit may be logged, in days; minutes a visit counts by default. */
enum { VISIT_TEXT_MAX = 500, VISIT_DAYS = 90, VISIT_MINUTES_DEFAULT = 30 };

extern const char *const visit_hows[]; /* "home" 上门, "phone" 电话, "video" 视频, "wechat" 微信, NULL */

struct visit_input {
	int64_t visited_at; /* 0: now */
	const char *how, *wellbeing, *done, *needs;
	int64_t minutes; /* 0: VISIT_MINUTES_DEFAULT */
	bool photo_consent; /* the person agreed to photos of this visit (visit_photo.h) */
};

struct visit {
	int64_t id, care_id, account_id, member_id, record_id;
	char by_name[TEXT_BYTES(64)];
	int64_t visited_at;
	char visited_on[11];
	char how[8];
	char wellbeing[TEXT_BYTES(VISIT_TEXT_MAX)];
	char done[TEXT_BYTES(VISIT_TEXT_MAX)];
	char needs[TEXT_BYTES(VISIT_TEXT_MAX)];
	int64_t minutes, created_at;
	bool photo_consent;
};

/*
 * Logs a visit to active entry care_id (audited visit.create). member_id: the
 * paired member who made it (0: staff), whose pending service record (source
 * visit, item G09 结对帮扶, origin the visit) is made in the same transaction;
 * *record_id is it (0 for staff). The record names neither the person nor the
 * address. CARE_RECORD when the record is refused (errs says why).
 */
int visit_add(struct db *db, const struct actor *who, int64_t care_id, int64_t member_id, const struct visit_input *in,
	      struct field_errors *errs, int64_t *id, int64_t *record_id);
int visit_get(struct db *db, int64_t id, struct visit *out);
/* The visits of an entry, newest first, at most max. *items: caller frees. */
int visit_list(struct db *db, int64_t care_id, size_t max, struct visit **items, size_t *n);

#endif
