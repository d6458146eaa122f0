/* visit_made.h: what a visit found, made a need (需求清单) or a micro-wish (微心愿) in one tap, and the link both ways */
#ifndef DOMAIN_VISIT_MADE_H
#define DOMAIN_VISIT_MADE_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/audit.h"
#include "domain/care.h"
#include "domain/need.h"
#include "domain/wish.h"

/* One thing a visit produced: a need or a wish. */
struct visit_made {
	int64_t visit_id, need_id, wish_id; /* one of need_id, wish_id is 0 */
	char state[12]; /* the need's or the wish's state now */
	char title[TEXT_BYTES(NEED_TEXT_MAX)]; /* a need's description, a wish's title */
	int64_t created_at;
};

/*
 * Makes a need of what visit visit_id found, in the community of its care
 * entry (in->community_code is set from it; channel "visit"), and links it
 * to the visit: the need, its submit event, the link and the audit entry
 * visit.need (on the visit, detail: the need's id) in one transaction.
 * CARE_NOT_FOUND: no such visit.
 */
int visit_made_need(struct db *db, const struct actor *who, int64_t visit_id, struct need_input *in, int64_t *need_id);
/* The same for a micro-wish (state "submitted", for staff to approve): audited visit.wish. */
int visit_made_wish(struct db *db, const struct actor *who, int64_t visit_id, struct wish_input *in, int64_t *wish_id);
/* What visit visit_id produced, oldest first. *items: caller frees. */
int visit_made_list(struct db *db, int64_t visit_id, struct visit_made **items, size_t *n);
/* The visit that need_id (or, with need_id 0, wish_id) came from: *visit_id, 0 when none. */
int visit_made_from(struct db *db, int64_t need_id, int64_t wish_id, int64_t *visit_id);

#endif
