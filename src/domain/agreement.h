/* agreement.h: co-building agreements (共驻共建协议) between a unit and a community */
#ifndef DOMAIN_AGREEMENT_H
#define DOMAIN_AGREEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/region.h"
#include "domain/unit.h"

/* The longest texts an agreement holds, in characters. */
enum { AGREEMENT_DOC_MAX = 100, AGREEMENT_COMMITMENT_MAX = 200, AGREEMENT_COMMITMENTS_N = 30 };

struct agreement {
	int64_t id;
	int64_t unit_id;
	char unit_name[TEXT_BYTES(UNIT_NAME_MAX)];
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	char starts_on[11], ends_on[11];
	char *commitments; /* one per line; owned: agreement_release */
	char status[12]; /* draft, signed, or expired (signed and past ends_on) */
	char signed_doc[TEXT_BYTES(AGREEMENT_DOC_MAX)];
	int64_t created_at, updated_at;
};

void agreement_release(struct agreement *a);

/* Creates (a->id == 0) or replaces agreement a->id; audited. */
int agreement_save(struct db *db, const struct actor *who, struct agreement *a);
/* today: YYYY-MM-DD, for the derived status. Returns 0, 1 when not found, -1 on error. */
int agreement_get(struct db *db, int64_t id, const char *today, struct agreement *out);
/* Agreements whose community lies in scope or whose unit is in scope; caller releases each and frees. */
int agreement_list(struct db *db, const struct scope *scope, const char *community, int64_t unit_id,
		   const char *today, int64_t page, int64_t per_page, struct agreement **items, size_t *n,
		   int64_t *total);

/*
 * The communities a unit is partner of (共建社区): a signed agreement running
 * today. A filter fragment over column col, binding the unit's id, then
 * today twice (YYYY-MM-DD).
 */
#define AGREEMENT_PARTNER_SQL(col)                                                                              \
	" AND " col " IN (SELECT ag.community_code FROM agreement ag WHERE ag.unit_id = ? AND ag.status = 'signed'" \
	" AND ag.starts_on <= ? AND ag.ends_on >= ?)"
/* Whether unit_id is partner of community code today: 1, 0, or -1 on error. */
int agreement_partner(struct db *db, int64_t unit_id, const char *code, const char *today);

#endif
