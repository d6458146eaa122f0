/* needs.h: what needs.c and need_tasks.c share at the API edge: who the caller is to a need, its answer */
#ifndef API_NEEDS_H
#define API_NEEDS_H

#include <stdbool.h>

#include "api/call.h"
#include "domain/need.h"

/* What the caller is to a need: what they may see and do. */
struct need_seat {
	bool staff; /* reads its community (ACT_SERVE_READ) */
	bool manages; /* runs it (ACT_SERVE_MANAGE) */
	bool requester; /* the resident who asked */
	bool holder; /* holds it: the account it went to, or an administrator of the unit it went to */
	bool neighbour; /* an approved member of its community, and it waits to be taken */
};
void need_seat_of(struct call *c, const struct need *n, struct need_seat *s);
/* Whether the caller sees it at all. */
bool need_seat_any(const struct need_seat *s);

/* Loads need {id} (path parameter 0) with the caller's seat; 404 when they have none. Caller frees *out. */
int need_or_reply(struct call *c, struct need **out, struct need_seat *s);
/* n as s may see it: the contact only for staff, the resident and whoever holds it (once taken). */
json_t *need_json(struct call *c, const struct need *n, const struct need_seat *s, bool timeline);
/* Answers status with need id as the caller sees it now. */
void need_reply(struct call *c, int status, int64_t id);
/* Answers a refused step (rc from the domain). */
void need_reply_error(struct call *c, int rc, const char *taken_by, const struct field_errors *errs);

#endif
