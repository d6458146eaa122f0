/* wishes.h: what wishes.c shares with list_photos.c: who may see a wish, and a wish's photos as JSON */
#ifndef API_WISHES_H
#define API_WISHES_H

#include <stdbool.h>

#include "api/call.h"
#include "domain/wish.h"

/* Staff in scope, the claimer's account, the beneficiary's account read a wish in full. */
bool wish_may_read(struct call *c, const struct wish *w);
/*
 * Wish {id} (path parameter 0), when the caller may see it (wish_may_read,
 * or, open, that it is one they may claim: published or past it, in their
 * city); 404 otherwise.
 */
int wish_or_reply(struct call *c, bool open, struct wish *w);

#endif
