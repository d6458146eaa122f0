/* demo_care.c: the demo's care register in 石榴桥社区: 张阿姨 in 3栋 201 paired with 陈建国 and visited, 刘伯 phoned daily, 小明 */
#include "domain/demo_care.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/account.h"
#include "domain/care.h"
#include "domain/member.h"
#include "domain/pairing.h"
#include "domain/visit.h"

#define SHILIUQIAO "440111002011"

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "demo: cannot %s", what);
	return -1;
}

/* The member file of the account with that login, 0 when none. */
static int64_t member_of(struct db *db, const char *login)
{
	struct account a;
	int64_t id = 0;

	if (account_find(db, login, &a) != ACCOUNT_OK || member_find_by_account(db, a.id, &id) != MEMBER_OK)
		return 0;
	return id;
}

int demo_care(struct db *db, char *err, size_t errlen)
{
	static const char *const alone[] = { "empty_nest", "poor_member" };
	static const char *const mental[] = { "mental_illness" };
	static const char *const child[] = { "left_behind_child" };
	struct account staff, resident;
	struct field_errors errs = { 0 };
	struct db_stmt *st;
	char consented[11];
	int64_t household = 0, zhang, liu, ming, pid, vid, rid;

	if (account_find(db, "staff", &staff) != ACCOUNT_OK || account_find(db, "resident", &resident) != ACCOUNT_OK)
		return fail(err, errlen, "find the demo accounts");
	const struct actor who = { staff.id, "cli" };
	st = db_prepare(db, "SELECT COALESCE(household_id, 0) FROM account WHERE id = ?");
	db_bind_int(st, 1, resident.id);
	if (db_step(st) == DB_ROW)
		household = db_col_int(st, 0);
	db_done(st);
	clock_date(clock_now() - 20 * 86400, consented);
	const struct care_input a = { .community_code = SHILIUQIAO, .name = "张阿姨", .phone = "13800000006",
				      .address = "第二网格 3栋 1单元 201", .household_id = household, .account_id = resident.id,
				      .categories = alone, .ncategories = 2, .basis = "consent", .consented_on = consented,
				      .help_what = "每周上门看望，代买米面油，陪同到社区卫生站复诊", .help_who = "结对党员 陈建国",
				      .help_often = "每周一次", .health_note = "高血压，行动不便" };
	const struct care_input b = { .community_code = SHILIUQIAO, .name = "刘伯", .address = "第一网格 1栋 2单元 502",
				      .categories = mental, .ncategories = 1, .basis = "statutory",
				      .law = "《中华人民共和国精神卫生法》第五十五条", .help_what = "每晚电话提醒按时服药，每月陪同复诊",
				      .help_who = "社区网格员", .help_often = "每天一次", .health_note = "需长期服药，情绪稳定" };
	const struct care_input c = { .community_code = SHILIUQIAO, .name = "李小明", .address = "第一网格 2栋 1单元 301",
				      .categories = child, .ncategories = 1, .basis = "consent", .consented_on = consented,
				      .help_what = "周末辅导功课，节假日陪伴", .help_who = "结对党员 林秀英", .help_often = "每两周一次" };

	if (care_add(db, &who, &a, &errs, &zhang) != CARE_OK || care_add(db, &who, &b, &errs, &liu) != CARE_OK ||
	    care_add(db, &who, &c, &errs, &ming) != CARE_OK)
		return fail(err, errlen, "register the demo's care entries");
	const struct pairing_who chen = { member_of(db, "13800001011"), 0, 0 }, lin = { member_of(db, "13800001012"), 0, 0 };
	if ((chen.member_id && pairing_add(db, &who, zhang, &chen, &errs, &pid) != CARE_OK) ||
	    (lin.member_id && pairing_add(db, &who, ming, &lin, &errs, &pid) != CARE_OK))
		return fail(err, errlen, "pair the demo's care entries");
	const struct visit_input v = { clock_now() - 2 * 86400, "home", "精神不错，血压平稳", "代买米面油，量血压", "", 40, false };
	if (visit_add(db, &who, zhang, 0, &v, &errs, &vid, &rid) != CARE_OK)
		return fail(err, errlen, "log the demo's visit");
	return 0;
}
