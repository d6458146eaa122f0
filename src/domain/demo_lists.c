/* demo_lists.c: the demo's resources (资源清单) in 石榴桥社区: the community's room, a unit's doctors, a team's carts, a member's haircuts */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/account.h"
#include "domain/demo.h"
#include "domain/project.h"
#include "domain/resource.h"

#define SHILIUQIAO "440111002011"

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "demo: cannot %s", what);
	return -1;
}

/* The first id sql finds (binding the community's code when it asks), 0 when none. */
static int64_t first_id(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	int64_t id = 0;

	if (strchr(sql, '?'))
		db_bind_text(st, 1, SHILIUQIAO);
	if (db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	return id;
}

static int64_t item(struct db *db, const char *code)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM catalog_item WHERE code = ? AND region_code IS NULL");
	int64_t id = 0;

	db_bind_text(st, 1, code);
	if (db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	return id;
}

/* Two projects: 长者送餐 running, with the carts, the first post and activity of the community; "430" 课后托管 planned. */
static int demo_projects(struct db *db, const struct actor *who, int64_t cart, char *err, size_t errlen)
{
	struct project_input meals = { SHILIUQIAO, "长者送餐", "给辖内 30 位独居、高龄长者每天中午送一顿热饭，顺带看看身体和家里的情况",
				       "2026-01-05", "2026-12-31" };
	struct project_input after_school = { SHILIUQIAO, "\"430\" 课后托管",
					      "放学后到家长下班前，在党群服务中心给双职工家庭的小学生辅导作业、看护安全",
					      "2026-03-02", "2026-07-10" };
	struct field_errors errs = { 0 };
	int64_t post = first_id(db, "SELECT id FROM post WHERE community_code = ? ORDER BY id"),
		activity = first_id(db, "SELECT id FROM activity WHERE community_code = ? ORDER BY id"), id, link;

	char today[11];

	clock_date(clock_now(), today);
	if (project_create(db, who, &meals, &errs, &id) != PROJECT_OK ||
	    project_set_state(db, who, id, "running", NULL, &errs) != PROJECT_OK ||
	    (cart && project_link(db, who, id, "resource", cart, &errs, &link) != PROJECT_OK) ||
	    (post && project_link(db, who, id, "post", post, &errs, &link) != PROJECT_OK) ||
	    (activity && project_link(db, who, id, "activity", activity, &errs, &link) != PROJECT_OK) ||
	    project_note(db, who, id, today, "本周送餐 150 份，新增 2 位长者，3栋陈伯血压偏高已告知家属", &errs) != PROJECT_OK ||
	    project_create(db, who, &after_school, &errs, &id) != PROJECT_OK)
		return fail(err, errlen, "record a project");
	return 0;
}

int demo_lists(struct db *db, char *err, size_t errlen)
{
	int64_t cart = 0;
	static const char *const room[] = { "2 19:00-21:00", "6 09:00-17:00" };
	static const char *const doctors[] = { "6 09:00-11:30" };
	static const char *const carts[] = { "1 10:30-12:30", "3 10:30-12:30", "5 10:30-12:30" };
	static const char *const haircut[] = { "4 15:00-17:00" };
	struct field_errors errs = { 0 };
	struct account staff;
	struct actor who;
	int64_t unit = first_id(db, "SELECT unit_id FROM agreement WHERE community_code = ? ORDER BY id"),
		team = first_id(db, "SELECT id FROM team WHERE region_code = ? AND state = 'active' ORDER BY id"),
		member = first_id(db, "SELECT member_id FROM registration WHERE community_code = ? AND state = 'approved' "
				      "ORDER BY member_id"),
		id;

	if (account_find(db, "staff", &staff) != ACCOUNT_OK)
		return fail(err, errlen, "find the demo's staff");
	who = (struct actor){ staff.id, "cli" };
	if (!unit)
		unit = first_id(db, "SELECT id FROM unit ORDER BY id");
	struct resource_input in[] = {
		{ SHILIUQIAO, "community", 0, "venue", "党群服务中心二楼活动室", "可坐 40 人，有投影和音响，借用请提前一天找社区登记", 0, 40,
		  room, 2 },
		{ SHILIUQIAO, "unit", unit, "skill", "社区义诊医生", "每周六上午两名全科医生到党群服务中心量血压、测血糖", item(db, "G04"),
		  60, doctors, 1 },
		{ SHILIUQIAO, "team", team, "vehicle", "长者送餐电动车", "两辆带保温箱的电动车，给行动不便的长者送午餐", 0, 2, carts,
		  3 },
		{ SHILIUQIAO, "member", member, "skill", "义务理发", "退休理发师，周四下午在活动室给长者理发", item(db, "G07"), 8,
		  haircut, 1 },
	};
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		if (in[i].owner_id == 0 && strcmp(in[i].owner_kind, "community"))
			continue;
		errs.n = 0;
		if (resource_create(db, &who, &in[i], &errs, &id) != RESOURCE_OK)
			return fail(err, errlen, "record a resource");
		if (!strcmp(in[i].kind, "vehicle"))
			cart = id;
	}
	return demo_projects(db, &who, cart, err, errlen);
}
