/* demo_cases.c: the demo's cases (问题/诉求) in 石榴桥社区, one in each stage the pages show: 3栋's blocked drain first */
#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "domain/case.h"
#include "domain/demo.h"

#define SHILIUQIAO "440111002011"
#define SHILIUQIAO_PATH "/440100000000/440111000000/440111002000/440111002011/"

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "demo: cannot %s", what);
	return -1;
}

/* The code of 石榴桥社区's building named name into code ("" when there is none). */
static void building(struct db *db, const char *name, char code[24])
{
	struct db_stmt *st = db_prepare(db, "SELECT code FROM region WHERE level = 'building' AND name = ? AND "
					    "path LIKE '" SHILIUQIAO_PATH "%' ORDER BY code");

	code[0] = '\0';
	db_bind_text(st, 1, name);
	if (db_step(st) == DB_ROW)
		str_copy(code, 24, db_col_text(st, 0));
	db_done(st);
}

/*
 * Six cases: 张阿姨's blocked drain at 3栋 (as at 甘南路 881 in seed 002),
 * being worked on by the property company, and 李伯's phone call about the
 * same drain merged into it; 5栋's water pressure waiting for triage; a
 * blocked fire lane found by a member on a walk, resolved and waiting for
 * the reporter's answer; 1栋's stair light, closed with five stars; a
 * neighbours' quarrel kept private.
 */
int demo_cases(struct db *db, char *err, size_t errlen)
{
	struct account staff, resident;
	struct field_errors errs = { 0 };
	char b1[24], b2[24], b3[24], b5[24];
	struct actor who, grandma;
	int64_t drain, dup, id;

	if (account_find(db, "staff", &staff) != ACCOUNT_OK || account_find(db, "resident", &resident) != ACCOUNT_OK)
		return fail(err, errlen, "find the demo's staff and resident");
	building(db, "1栋", b1);
	building(db, "2栋", b2);
	building(db, "3栋", b3);
	building(db, "5栋", b5);
	if (!b3[0])
		return 0; /* the base demo has no buildings: no cases either */
	who = (struct actor){ staff.id, "cli" };
	grandma = (struct actor){ resident.id, "cli" };
	const struct case_input drain_in = { SHILIUQIAO, "drain", "3栋楼下下水道堵塞",
					     "3栋门口的下水道堵了好几天，一下雨污水就漫到路上，老人出门要绕着走", b3,
					     "3栋1单元门口", 430, 620, "normal", false, "self", resident.id, "张阿姨",
					     "13800000006", 0 };
	const struct case_input dup_in = { SHILIUQIAO, "drain", "3栋门口污水外溢", "李伯来电：3栋门口下水道冒水，味道很大", b3,
					   "", -1, -1, "normal", false, "phone", 0, "李伯", "020-81234567", 0 };
	const struct case_input water_in = { SHILIUQIAO, "water", "5栋楼上水压低",
					     "5栋五楼以上这一周早晚用水高峰时水很小，热水器打不着火", b5, "5栋6楼", 700, 300,
					     "normal", false, "self", resident.id, "张阿姨", "13800000006", 0 };
	const struct case_input lane_in = { SHILIUQIAO, "safety", "2栋消防通道被电动车占用",
					    "巡查发现2栋东侧消防通道停了四辆电动车，还有人在楼道里充电", b2, "2栋东侧", 250, 480,
					    "normal", false, "walk", resident.id, "", "", 0 };
	const struct case_input light_in = { SHILIUQIAO, "facility", "1栋楼道灯不亮", "1栋2单元三楼到五楼的楼道灯坏了，晚上很黑",
					     b1[0] ? b1 : b3, "2单元", -1, -1, "normal", false, "self", resident.id, "张阿姨",
					     "13800000006", 0 };
	const struct case_input quarrel_in = { SHILIUQIAO, "neighbour", "楼上装修噪音", "楼上邻居晚上十点后还在装修，说了几次没用",
					       b3, "3栋201", -1, -1, "normal", true, "self", resident.id, "张阿姨",
					       "13800000006", 0 };
	const struct case_party company = { "property", 0, 0, 0, "石榴桥物业服务中心" };
	const struct case_party grid = { "department", 0, 0, 0, "三元里街道综合执法队" };

	if (case_report(db, &grandma, &drain_in, &errs, &drain) != CASE_OK ||
	    case_accept(db, &who, drain, NULL, "urgent") != CASE_OK || case_assign(db, &who, drain, &company) != CASE_OK ||
	    case_update(db, &who, drain, "物业已到现场查看，主管道被油污和杂物堵住，约好明天上午用疏通车", true) != CASE_OK ||
	    case_report(db, &who, &dup_in, &errs, &dup) != CASE_OK || case_merge(db, &who, dup, drain, &errs) != CASE_OK)
		return fail(err, errlen, "enter the blocked drain");
	if (case_report(db, &grandma, &water_in, &errs, &id) != CASE_OK)
		return fail(err, errlen, "report the water pressure");
	if (case_report(db, &who, &lane_in, &errs, &id) != CASE_OK || case_accept(db, &who, id, NULL, NULL) != CASE_OK ||
	    case_assign(db, &who, id, &grid) != CASE_OK ||
	    case_resolve(db, &who, id, "执法队劝离了电动车，贴了禁止停放的告示，楼道充电的插座已拆除", NULL, 0, &errs) != CASE_OK)
		return fail(err, errlen, "resolve the fire lane");
	if (case_report(db, &grandma, &light_in, &errs, &id) != CASE_OK || case_accept(db, &who, id, NULL, NULL) != CASE_OK ||
	    case_assign(db, &who, id, &company) != CASE_OK ||
	    case_resolve(db, &who, id, "换了三盏声控灯", NULL, 0, &errs) != CASE_OK ||
	    case_follow_up(db, &who, id, "电话回访") != CASE_OK ||
	    case_rate(db, &grandma, CASE_BY_REPORTER, id, 5, "当天就修好了，谢谢") != CASE_OK)
		return fail(err, errlen, "close the stair light");
	if (case_report(db, &grandma, &quarrel_in, &errs, &id) != CASE_OK || case_accept(db, &who, id, NULL, NULL) != CASE_OK)
		return fail(err, errlen, "report the quarrel");
	return 0;
}
