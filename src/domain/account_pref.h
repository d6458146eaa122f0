/* account_pref.h: an account's defaults set by staff: large font (大字模式) for an elderly resident */
#ifndef DOMAIN_ACCOUNT_PREF_H
#define DOMAIN_ACCOUNT_PREF_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/audit.h"

/* Sets account_id's large-font default; audited account.large_font with region_path. 0 or -1. */
int account_large_font_set(struct db *db, const struct actor *who, int64_t account_id, bool on,
			   const char *region_path);
/* Whether account_id starts in large font; false when never set or on error. */
bool account_large_font(struct db *db, int64_t account_id);

#endif
