/* demo.h: demo data so a new user can log in as every role */
#ifndef DOMAIN_DEMO_H
#define DOMAIN_DEMO_H

#include <stddef.h>

#include "db/db.h"

#define DEMO_PASSWORD "Demo-baodao-2026"

/*
 * Loads the Guangzhou tree from regions_dir, a few units in 白云区, and one
 * account per role scoped to 三元里街道 (password DEMO_PASSWORD). Returns 0,
 * 1 when demo data was already loaded (nothing changed), -1 with err.
 */
int demo_load(struct db *db, const char *regions_dir, char *err, size_t errlen);

#endif
