/* out.h: JSON views of domain objects, as the API shows them */
#ifndef API_OUT_H
#define API_OUT_H

#include <jansson.h>

#include "base/json_write.h"
#include "db/db.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/member.h"
#include "domain/registration.h"
#include "domain/region.h"
#include "domain/unit.h"

json_t *region_json(const struct region *r);
/* " › "-joined names of r's ancestors ("广州市 › 白云区 › 三元里街道"), for search results; NULL on a storage error. */
json_t *region_path_names(struct db *db, const struct region *r);
/* {code, name, level} or null */
json_t *region_brief_json(const struct region *r);
json_t *unit_json(const struct unit *u);
json_t *audit_row_json(const struct audit_row *r);
/* A member with the ID number masked: the clear number only ever leaves through the reveal route. */
json_t *member_json(const struct member *m);
json_t *registration_json(const struct registration *r);
/*
 * The account with its roles, each with its region path or unit; -1 on a storage error.
 * Written straight into the answer: every page load asks for it.
 */
int me_write(struct jw *w, struct db *db, const struct account *a, const struct principal *p);

#endif
