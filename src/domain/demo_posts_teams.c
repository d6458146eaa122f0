/* demo_posts_teams.c: the demo's posts and teams of 石榴桥社区: 楼栋长 and other posts with holders and claims, two teams */
#include "domain/demo.h"

#include <stdio.h>
#include <string.h>

#include "domain/account.h"
#include "domain/catalog.h"
#include "domain/post.h"
#include "domain/region.h"
#include "domain/team.h"

#define STREET "440111002000" /* 三元里街道 */
#define COMMUNITY "440111002011" /* 石榴桥社区 */

struct demo {
	struct db *db;
	struct actor staff, org;
	char *err;
	size_t errlen;
};

static int fail(struct demo *d, const char *what)
{
	snprintf(d->err, d->errlen, "demo: cannot %s", what);
	return -1;
}

/* One id from a query with one text parameter; 0 when there is no row. */
static int64_t id_of(struct demo *d, const char *sql, const char *arg)
{
	struct db_stmt *st = db_prepare(d->db, sql);
	int64_t id = 0;

	db_bind_text(st, 1, arg);
	if (db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	return id;
}

static int64_t member(struct demo *d, const char *phone)
{
	return id_of(d, "SELECT id FROM member WHERE phone = ?", phone);
}

static int64_t item(struct demo *d, const char *code)
{
	return id_of(d, "SELECT id FROM catalog_item WHERE region_code IS NULL AND code = ?", code);
}

/* The member acts on their own behalf when they have an account; staff enter it for them otherwise (代录). */
static struct actor member_actor(struct demo *d, int64_t member_id)
{
	struct db_stmt *st = db_prepare(d->db, "SELECT COALESCE(account_id, 0) FROM member WHERE id = ?");
	struct actor a = d->staff;

	db_bind_int(st, 1, member_id);
	if (db_step(st) == DB_ROW && db_col_int(st, 0))
		a = (struct actor){ db_col_int(st, 0), "demo" };
	db_done(st);
	return a;
}

/* 三元里街道 adds an item of its own: the memorial of the 1841 resistance is in its streets. */
static int street_item(struct demo *d)
{
	struct catalog_input in = { .category = "activity", .code = "SY01", .name = "红色故事宣讲",
				    .description = "在三元里人民抗英斗争纪念馆为居民、学生讲解红色历史", .sort = 7,
				    .nfields = 1 };
	struct field_errors errs = { 0 };
	struct region street;
	int64_t id;

	str_copy(in.fields[0].name, sizeof(in.fields[0].name), "听众人数");
	in.fields[0].type = FIELD_NUMBER;
	in.fields[0].required = true;
	if (region_get(d->db, STREET, &street) != REGION_OK ||
	    catalog_create(d->db, &d->org, &street, &in, &errs, &id) != CATALOG_OK)
		return fail(d, "add the street's catalogue item");
	return 0;
}

static const struct {
	const char *item, *name, *building, *duties;
	int places;
	const char *holders[2], *waiting; /* phones */
	const char *closed; /* why it was closed, or NULL */
} posts[] = {
	{ "P01", "1栋楼栋长", "1栋", "每月走访本栋住户，传达社区通知，收集居民诉求", 1, { "13800001011" }, NULL, NULL },
	{ "P01", "2栋楼栋长", "2栋", "每月走访本栋住户，传达社区通知，收集居民诉求", 1, { "13800001012" }, NULL, NULL },
	{ "P02", "垃圾分类督导员", NULL, "早晚投放时段在垃圾投放点督导分类，每周至少两次", 3, { "13800001013" },
	  "13800001014", NULL },
	{ "P03", "文明劝导员", NULL, "劝导乱停车、高空抛物等不文明行为", 2, { NULL }, NULL, NULL },
	{ "P04", "小区门岗值守", NULL, "在小区出入口协助登记来访人员", 2, { "13800001017" }, NULL,
	  "门岗已由物业安排专人值守，岗位撤销" },
};

static int post(struct demo *d, size_t i)
{
	struct field_errors errs = { 0 };
	char building[24] = "";
	struct post_input in = { COMMUNITY, NULL, item(d, posts[i].item), posts[i].name, posts[i].duties,
				 posts[i].places, "2026-01-01", "" };
	int64_t id, claim, m;

	if (posts[i].building) {
		struct db_stmt *st = db_prepare(d->db, "SELECT code FROM region WHERE level = 'building' AND path LIKE "
						       "'%/" COMMUNITY "/%' AND name = ?");

		db_bind_text(st, 1, posts[i].building);
		if (db_step(st) == DB_ROW)
			str_copy(building, sizeof(building), db_col_text(st, 0));
		db_done(st);
		in.place_code = building;
	}
	if (post_create(d->db, &d->staff, &in, &errs, &id) != POST_OK)
		return fail(d, errs.n ? errs.items[0].message : "create a post");
	for (size_t k = 0; k < 2 && posts[i].holders[k]; k++) {
		struct actor a = member_actor(d, m = member(d, posts[i].holders[k]));

		if (post_claim(d->db, &a, id, m, "我住在这里，时间比较充裕", &claim) != POST_OK ||
		    post_decide(d->db, &d->staff, claim, POST_APPROVE, NULL) != POST_OK)
			return fail(d, "fill a post");
	}
	if (posts[i].waiting) {
		struct actor a = member_actor(d, m = member(d, posts[i].waiting));

		if (post_claim(d->db, &a, id, m, "下班后和周末都可以参加", &claim) != POST_OK)
			return fail(d, "claim a post");
	}
	if (posts[i].closed && post_close(d->db, &d->staff, id, posts[i].closed) != POST_OK)
		return fail(d, "close a post");
	return 0;
}

static const struct {
	const char *region, *name, *specialty, *description, *leader;
	const char *members[2], *waiting; /* phones */
} teams[] = {
	{ COMMUNITY, "石榴桥社区党员医疗服务队", "医疗", "每月第一个周六在社区党群服务中心义诊，为独居老人上门量血压",
	  "13800001011", { "13800001016" }, "13800001012" },
	{ STREET, "三元里街党员水电维修突击队", "水电维修", "为困难家庭和独居老人免费维修水电，台风暴雨后排查隐患",
	  "13800001013", { "13800001015", "13800001024" }, NULL },
};

static int team(struct demo *d, size_t i)
{
	struct field_errors errs = { 0 };
	struct team_input in = { teams[i].region, teams[i].name, teams[i].specialty, teams[i].description,
				 member(d, teams[i].leader) };
	const struct actor *creator = strcmp(teams[i].region, STREET) ? &d->staff : &d->org;
	int64_t id, tm, m;

	if (team_create(d->db, creator, &in, &errs, &id) != TEAM_OK)
		return fail(d, errs.n ? errs.items[0].message : "create a team");
	for (size_t k = 0; k < 2 && teams[i].members[k]; k++) {
		struct actor a = member_actor(d, m = member(d, teams[i].members[k]));

		if (team_join(d->db, &a, id, m, "愿意发挥专业特长", &tm) != TEAM_OK ||
		    team_decide(d->db, creator, tm, true, NULL) != TEAM_OK)
			return fail(d, "fill a team");
	}
	if (teams[i].waiting) {
		struct actor a = member_actor(d, m = member(d, teams[i].waiting));

		if (team_join(d->db, &a, id, m, "可以协助做健康宣教", &tm) != TEAM_OK)
			return fail(d, "apply to a team");
	}
	return 0;
}

int demo_posts_teams(struct db *db, char *err, size_t errlen)
{
	struct demo d = { .db = db, .err = err, .errlen = errlen };
	struct account staff, org;

	if (account_find(db, "staff", &staff) != ACCOUNT_OK || account_find(db, "org", &org) != ACCOUNT_OK)
		return fail(&d, "find the demo accounts");
	d.staff = (struct actor){ staff.id, "demo" };
	d.org = (struct actor){ org.id, "demo" };
	if (street_item(&d) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(posts) / sizeof(posts[0]); i++)
		if (post(&d, i) < 0)
			return -1;
	for (size_t i = 0; i < sizeof(teams) / sizeof(teams[0]); i++)
		if (team(&d, i) < 0)
			return -1;
	return 0;
}
