/* duty_api.h: what duty.c and duty_swaps.c share at the API edge: who runs a roster, the objects in reach, the errors */
#ifndef API_DUTY_API_H
#define API_DUTY_API_H

#include <jansson.h>
#include <stdbool.h>

#include "api/call.h"
#include "domain/duty.h"
#include "domain/region.h"

/* Whether the caller runs the rosters of the community at path (its staff; the administrator). */
bool duty_may_run(struct call *c, const char *path);
/* The community of path parameter 0, a community the caller may see (staff, or with members_too: a member there). */
int duty_community_or_reply(struct call *c, bool members_too, struct region *r, bool *staff, struct duty_member *m);
/* The shift of path parameter 0: run by the caller (*staff), or with members_too, of the caller's community; 404 otherwise. */
int duty_shift_or_reply(struct call *c, bool members_too, struct duty_shift *s, bool *staff, struct duty_member *m);
/* The assignment of path parameter 0 with its shift: run by the caller (*staff), or with own, the caller's own. */
int duty_assignment_or_reply(struct call *c, bool own, struct duty_assignment *a, struct duty_shift *s, bool *staff,
			     struct duty_member *m);
/* A shift as JSON: its post, day, times, places needed and taken. */
json_t *duty_shift_json(const struct duty_shift *s);
/* Answers a duty write that did not succeed (s: the shift it was about, named when it is full; may be NULL). */
void duty_reply_error(struct call *c, int rc, const struct field_errors *errs, const struct duty_shift *s);

#endif
