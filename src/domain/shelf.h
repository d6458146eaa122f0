/* shelf.h: a community's rewards shelf (爱心超市): items priced in points, members' redemptions handed over by staff */
#ifndef DOMAIN_SHELF_H
#define DOMAIN_SHELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/member.h"
#include "domain/region.h"

/*
 * Who sees a shelf and its redemptions in the console: those who see the
 * community's rankings (admin, the org above it, its staff). Who keeps it
 * (items, handing over, cancelling): those who confirm its service (admin, its staff).
 */
#define ACT_SHELF_READ ACT_STANDING_READ
#define ACT_SHELF_KEEP ACT_RECORD_CONFIRM

/* The longest texts in characters, the bounds of the numbers, the most items a shelf lists. */
enum { SHELF_NAME_MAX = 40, SHELF_DESC_MAX = 200, SHELF_REASON_MAX = 200, SHELF_PRICE_MAX = 100000,
       SHELF_STOCK_MAX = 100000, SHELF_LIMIT_MAX = 100, SHELF_LIST_MAX = 200 };

enum shelf_rc {
	SHELF_OK = 0,
	SHELF_ERROR = -1,
	SHELF_NOT_FOUND = -2,
	SHELF_INVALID = -3, /* faults in the caller's field_errors */
	SHELF_RETIRED = -4, /* the item is off the shelf */
	SHELF_OUT_OF_STOCK = -5,
	SHELF_LIMIT = -6, /* the member has redeemed the item monthly_limit times this month */
	SHELF_POINTS = -7, /* the member's points balance is below the price */
	SHELF_BAD_STATE = -8, /* the redemption was handed over or cancelled already */
	SHELF_NOT_MEMBER = -9, /* no approved report-in at the item's community */
	SHELF_OWN = -10, /* staff never hand over or cancel their own redemption */
};

/* What staff say of an item; strings borrowed. */
struct shelf_input {
	const char *community_code; /* read on create only */
	const char *name, *description;
	int64_t price, stock, monthly_limit; /* monthly_limit 0: no limit */
};

struct shelf_item {
	int64_t id;
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	char name[TEXT_BYTES(SHELF_NAME_MAX)];
	char description[TEXT_BYTES(SHELF_DESC_MAX)];
	int64_t price, stock, monthly_limit, retired_at, created_at, updated_at;
	int64_t awaiting; /* redemptions waiting to be handed over */
	int64_t mine; /* the member's redemptions of it this month (a member's list only) */
};

/* Adds an item to a community's shelf (a community: errs community_code otherwise). Audited. Own transaction. */
int shelf_item_create(struct db *db, const struct actor *who, const struct shelf_input *in, struct field_errors *errs,
		      int64_t *id);
/* Changes an item on the shelf (SHELF_RETIRED when off it). Audited. Own transaction. */
int shelf_item_update(struct db *db, const struct actor *who, int64_t id, const struct shelf_input *in,
		      struct field_errors *errs);
/* Takes an item off the shelf for good (SHELF_RETIRED when it is already); its awaiting redemptions stay. */
int shelf_item_retire(struct db *db, const struct actor *who, int64_t id);
int shelf_item_get(struct db *db, int64_t id, struct shelf_item *out);

struct shelf_filter {
	const char *community; /* a community's code, or NULL: every one in scope */
	bool on_shelf; /* only what is offered (a member's list) */
	int64_t member_id; /* counts mine for this member this month; 0: none */
};
/* Items in scope, on the shelf first, then by name; at most SHELF_LIST_MAX. *items: caller frees. */
int shelf_item_list(struct db *db, const struct scope *scope, const struct shelf_filter *f, struct shelf_item **items,
		    size_t *n);

extern const char *const redemption_states[]; /* "awaiting", "handed_over", "cancelled", NULL */

struct redemption {
	int64_t id, item_id, member_id, points, movement_id, cancel_movement_id;
	char item_name[TEXT_BYTES(SHELF_NAME_MAX)];
	char member_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char member_phone[TEXT_BYTES(MEMBER_PHONE_MAX)];
	int64_t member_account_id; /* 0: none */
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	char month[8]; /* YYYY-MM it counts in */
	char state[12];
	int64_t created_at, handed_over_at, cancelled_at;
	char handed_over_by[TEXT_BYTES(64)]; /* account names, "" when none */
	char cancelled_by[TEXT_BYTES(64)];
	char cancel_reason[TEXT_BYTES(SHELF_REASON_MAX)];
	bool cancelled_by_member;
};

/*
 * Member member_id redeems item_id, in one transaction: the member has an
 * approved report-in at the item's community (SHELF_NOT_MEMBER), the item is
 * on the shelf (SHELF_RETIRED) with one left (SHELF_OUT_OF_STOCK: the stock
 * is taken with the check, so the last item goes once however many ask at
 * once), the member has redeemed it fewer than its monthly limit this
 * calendar month (SHELF_LIMIT), and holds at least its price in points
 * (SHELF_POINTS). The price moves from the member's points to the
 * community's shelf account (a redemption movement: it spends points and
 * moves no standing). Audited. *id: the redemption, awaiting.
 */
int shelf_redeem(struct db *db, const struct actor *who, int64_t member_id, int64_t item_id, int64_t *id);
/* awaiting → handed_over (已领取), by staff (SHELF_OWN for their own). Audited. Own transaction. */
int redemption_hand_over(struct db *db, const struct actor *who, int64_t id);
/*
 * awaiting → cancelled, by the member (by_member) or by staff with a reason:
 * a correction movement reverses the redemption's (naming it), and the item
 * goes back into stock. Audited. Own transaction.
 */
int redemption_cancel(struct db *db, const struct actor *who, int64_t id, bool by_member, const char *reason);
int redemption_get(struct db *db, int64_t id, struct redemption *out);

struct redemption_filter {
	const char *community; /* a community's code, or NULL */
	const char *state;
	int64_t member_id; /* 0: any */
	int64_t page, per_page;
};
/* Redemptions in scope: awaiting ones oldest first (the queue), others newest first. *items: caller frees. */
int redemption_list(struct db *db, const struct scope *scope, const struct redemption_filter *f,
		    struct redemption **items, size_t *n, int64_t *total);

#endif
