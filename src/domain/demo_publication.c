/* demo_publication.c: the demo's 公示: 石榴桥社区's current half-year published by its staff, with one objection waiting */
#include "domain/demo.h"

#include <stdio.h>

#include "base/clock.h"
#include "domain/account.h"
#include "domain/publication.h"

#define COMMUNITY "440111002011" /* 石榴桥社区 */

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "demo: cannot %s", what);
	return -1;
}

int demo_publication(struct db *db, char *err, size_t errlen)
{
	struct field_errors errs = { 0 };
	char today[11], half[PERIOD_LEN], year[PERIOD_LEN];
	struct account staff, member;
	struct region community;
	struct publication p;
	struct publication_row row;
	int64_t id, member_id, objection;

	clock_date(clock_now(), today);
	period_of(today, half, year);
	if (account_find(db, "staff", &staff) != ACCOUNT_OK || region_get(db, COMMUNITY, &community) != REGION_OK)
		return fail(err, errlen, "find 石榴桥社区 and its staff");
	if (publication_freeze(db, &(struct actor){ staff.id, "cli" }, &community, half, "", PUBLICATION_DAYS_DEFAULT,
			       &errs, &id) != PUB_OK ||
	    publication_get(db, id, &p) != PUB_OK)
		return fail(err, errlen, errs.n ? errs.items[0].message : "publish 石榴桥社区's half-year");
	/* 黄志强 (an account of the demo) asks whether his corrected repair counts; staff have yet to answer. */
	if (account_find(db, "13800001013", &member) != ACCOUNT_OK || member_find_by_account(db, member.id, &member_id))
		return fail(err, errlen, "find 黄志强");
	if (publication_row_of(db, &p, member_id, &row) != PUB_OK)
		return 0; /* nothing of his confirmed this half-year (a demo loaded in its first days) */
	return publication_object(db, &(struct actor){ member.id, "cli" }, id, member_id,
				  "热水器维修已更正为 2 小时，公示的积分是否已按更正后的时长计算？请核实。", &errs,
				  &objection) == PUB_OK
		       ? 0
		       : fail(err, errlen, "object to the demo's publication");
}
