/* demo_deliberations.c: the demo's open deliberation: 加装电梯 at 石榴桥社区's 3栋, as 前进四路80号 did, some paper votes in */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/account.h"
#include "domain/deliberation.h"
#include "domain/demo.h"
#include "domain/household.h"

#define SHILIUQIAO "440111002011"

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "demo: cannot %s", what);
	return -1;
}

int demo_deliberations(struct db *db, char *err, size_t errlen)
{
	struct deliberation_input in = { 0 };
	struct field_errors errs = { 0 };
	struct household *items = NULL;
	struct account staff;
	char code[24] = "";
	size_t n = 0;
	int64_t id, vote_id;
	int rc = 0;

	if (account_find(db, "staff", &staff) != ACCOUNT_OK)
		return fail(err, errlen, "find the demo staff");
	const struct actor who = { staff.id, "cli" };
	struct db_stmt *st = db_prepare(db, "SELECT b.code FROM region b JOIN region g ON g.code = b.parent WHERE "
					    "g.parent = '" SHILIUQIAO "' AND b.level = 'building' AND b.name = '3栋'");
	if (db_step(st) == DB_ROW)
		snprintf(code, sizeof(code), "%s", db_col_text(st, 0));
	db_done(st);
	if (!code[0])
		return fail(err, errlen, "find 3栋");
	const char *codes[] = { code };
	in.community_code = SHILIUQIAO;
	in.building_codes = codes;
	in.nbuildings = 1;
	in.title = "3栋加装电梯";
	in.question = "3栋共 6 层、多数住户年过六十，拟加装电梯一部，费用按楼层分摊（一楼不出资），政府补贴后每户约 1.2 万至 2.8 "
		      "万元。是否同意加装并按此分摊？";
	in.minutes = "12月1日晚在社区党群服务中心召开居民议事会，网格员逐户上门征求意见，到会 15 户。会上说明了设计方案、"
		     "分摊办法和施工期间的出行安排，低层住户提出采光和噪音的顾虑，约定施工单位现场答疑。";
	in.rule = (struct delib_rule){ .basis = DELIB_HOUSEHOLDS, .threshold = { 2, 3, false }, .quorum = { 0, 1, false } };
	in.deadline = clock_now() + 14 * 86400;
	if (deliberation_create(db, &who, &in, &errs, &id) != DELIB_OK || deliberation_open(db, &who, id) != DELIB_OK)
		return fail(err, errlen, "open 3栋加装电梯");
	if (household_list(db, code, &items, &n) != HOUSEHOLD_OK)
		return fail(err, errlen, "list 3栋's households");
	/* Paper forms handed in so far: 12 agree, 2 disagree (low floors), 1 abstains; 张阿姨 has not voted yet. */
	for (size_t i = 0, cast = 0; i < n && cast < 15 && !rc; i++) {
		if (items[i].residents)
			continue;
		const int64_t choice = cast < 12 ? 1 : cast < 14 ? 2 : 3;
		struct deliberation_vote_input v = { id, items[i].id, choice, "paper", NULL };

		rc = deliberation_vote(db, &who, &v, &errs, &vote_id) != DELIB_OK;
		cast++;
	}
	free(items);
	return rc ? fail(err, errlen, "record 3栋's paper votes") : 0;
}
