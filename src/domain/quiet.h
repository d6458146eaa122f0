/* quiet.h: members who have gone quiet (沉寂): reported in, and no confirmed service for the rule's days */
#ifndef DOMAIN_QUIET_H
#define DOMAIN_QUIET_H

#include <stddef.h>
#include <stdint.h>

#include "base/xalloc.h"
#include "db/db.h"
#include "domain/member.h"
#include "domain/region.h"
#include "domain/unit.h"

/*
 * A member has gone quiet when their file is reported in (approved) and the
 * latest of their last confirmed service (its start, corrections aside) and
 * their report-in's approval lies quiet_days or more before now: a member
 * who reported in last week is not quiet yet. quiet_days is the rule's in
 * force today at the member's community (rule.h, RULE_QUIET_DEFAULT unless
 * a region changed it). docs/stats.md, Going quiet.
 */
struct quiet_member {
	int64_t member_id;
	char name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char phone[TEXT_BYTES(MEMBER_PHONE_MAX)];
	char community_code[24];
	char community_name[REGION_TEXT];
	int64_t unit_id; /* 0: none */
	char unit_name[TEXT_BYTES(UNIT_NAME_MAX)];
	int64_t last_served; /* 0: never */
	int64_t since; /* the later of last_served and the approval: quiet from since + quiet_days */
	int64_t quiet_days;
};

/* The quiet members living in the community, longest quiet first (never served first), then by name. *items: caller frees. */
int quiet_in_community(struct db *db, const struct region *community, int64_t now, struct quiet_member **items,
		       size_t *n);
/* The quiet members of the unit, wherever they live, in the same order. */
int quiet_in_unit(struct db *db, int64_t unit_id, int64_t now, struct quiet_member **items, size_t *n);

/*
 * Reminds every quiet member who has an account and was not reminded in the
 * last QUIET_REMIND_DAYS days: an inbox message (notify.h, kind
 * quiet_reminder, which the member may turn off) saying how long it has
 * been and what their community has open to sign up for now. One write
 * transaction per community. *sent: how many were reminded. 0, or -1.
 */
enum { QUIET_REMIND_DAYS = 30 };
int quiet_remind(struct db *db, int64_t now, int64_t *sent);

#endif
