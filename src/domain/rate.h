/* rate.h: attempts counted in fixed windows in the database, for limits that are not about passwords */
#ifndef DOMAIN_RATE_H
#define DOMAIN_RATE_H

#include <stdint.h>

#include "db/db.h"

/*
 * Counts one attempt under key (at most 95 bytes; say what it counts: "signup-addr:…") in the
 * current window of window seconds, inside the caller's write transaction. 0 when it is within
 * limit attempts; otherwise the seconds until the window ends (the attempt is counted anyway, so
 * hammering does not help); -1 on error.
 */
int64_t rate_take(struct db *db, const char *key, int limit, int64_t window, int64_t now);

#endif
