/* demo_timebank.c: the demo's time bank: 石榴桥社区's rewards shelf (爱心超市), a redemption waiting and one handed over, hours given to 张阿姨 */
#include "domain/demo.h"

#include <stdio.h>

#include "domain/account.h"
#include "domain/member.h"
#include "domain/shelf.h"
#include "domain/timebank.h"

#define COMMUNITY "440111002011" /* 石榴桥社区 */

/* Priced for the few points the demo's confirmed records earn. */
static const struct {
	const char *name, *description;
	int price, stock, monthly_limit;
} items[] = {
	{ "大米 5kg", "东北珍珠米，一袋 5 公斤", 4, 10, 1 },
	{ "食用油 1.8L", "花生油一桶", 3, 8, 1 },
	{ "洗衣液 2kg", "一瓶", 2, 12, 2 },
	{ "抽纸 10 包", "一提", 1, 20, 2 },
	{ "理发券", "社区便民理发点使用，一次", 1, 0, 0 },
};

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "demo: cannot %s", what);
	return -1;
}

/* The actor and member file of the account with that phone. */
static int member_of(struct db *db, const char *phone, struct actor *who, int64_t *member_id)
{
	struct account a;

	if (account_find(db, phone, &a) != ACCOUNT_OK || member_find_by_account(db, a.id, member_id) != MEMBER_OK)
		return -1;
	*who = (struct actor){ a.id, "cli" };
	return 0;
}

int demo_timebank(struct db *db, char *err, size_t errlen)
{
	struct actor staff, chen, huang;
	struct account a;
	struct gift_input gift = { "13800000006", "张阿姨", 30, "谢谢张阿姨平时照看楼道" };
	struct field_errors errs = { 0 };
	int64_t ids[sizeof(items) / sizeof(items[0])], chen_id, huang_id, id;

	if (account_find(db, "staff", &a) != ACCOUNT_OK)
		return fail(err, errlen, "find the demo's staff");
	staff = (struct actor){ a.id, "cli" };
	/* 陈建国 and 黄志强, the demo's members with accounts (demo_community.c), with points from demo_records.c. */
	if (member_of(db, "13800001011", &chen, &chen_id) < 0 || member_of(db, "13800001013", &huang, &huang_id) < 0)
		return fail(err, errlen, "find the demo's members");
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		struct shelf_input in = { COMMUNITY, items[i].name, items[i].description, items[i].price, items[i].stock,
					  items[i].monthly_limit };

		if (shelf_item_create(db, &staff, &in, &errs, &ids[i]) != SHELF_OK)
			return fail(err, errlen, errs.n ? errs.items[0].message : "add a shelf item");
	}
	if (shelf_redeem(db, &chen, chen_id, ids[2], &id) != SHELF_OK)
		return fail(err, errlen, "redeem a shelf item");
	if (shelf_redeem(db, &huang, huang_id, ids[3], &id) != SHELF_OK || redemption_hand_over(db, &staff, id) != SHELF_OK)
		return fail(err, errlen, "hand over a redemption");
	if (timebank_give(db, &chen, chen_id, &gift, &errs, &id) != TIMEBANK_OK)
		return fail(err, errlen, errs.n ? errs.items[0].message : "give hours");
	return 0;
}
