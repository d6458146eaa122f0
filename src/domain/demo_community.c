/* demo_community.c: a living 石榴桥社区 for the demo: grids and buildings, files in every state, a roster, a sign-up to confirm */
#include "domain/demo.h"

#include <stdio.h>
#include <string.h>

#include "base/valid.h"
#include "domain/account.h"
#include "domain/account_admin.h"
#include "domain/agreement.h"
#include "domain/enrol.h"
#include "domain/member.h"
#include "domain/region.h"
#include "domain/registration.h"
#include "domain/roster.h"
#include "domain/signup.h"

#define COMMUNITY "440111002011" /* 石榴桥社区 */
#define NEIGHBOUR "440111002001" /* 飞鹅新村社区, the same street */

enum fate { APPROVED, PENDING, REJECTED, LEFT, MOVING_IN };

static const struct {
	const char *name, *phone, *id, *community, *grid, *building, *specialties, *position;
	int unit; /* index into the demo's units + 1; 0: none */
	enum fate fate;
	int account; /* 1: the member has an account (password DEMO_PASSWORD) */
} people[] = {
	{ "陈建国", "13800001011", "440111197503120126", COMMUNITY, "第一网格", "1栋", "医疗,心理咨询", "主任医师", 2, APPROVED, 1 },
	{ "林秀英", "13800001012", "440111198206070112", COMMUNITY, "第一网格", "2栋", "教育,书法", "教师", 1, APPROVED, 0 },
	{ "黄志强", "13800001013", "440111198809150226", COMMUNITY, "第一网格", "3栋", "水电维修", "工程师", 3, APPROVED, 1 },
	{ "周晓燕", "13800001014", "440111197901020315", COMMUNITY, "第二网格", "5栋", "法律", "律师", 4, APPROVED, 0 },
	{ "吴海峰", "13800001015", "440111198511200323", COMMUNITY, "第二网格", "6栋", "电脑网络,摄影", "技术员", 4, APPROVED, 0 },
	{ "郑丽娟", "13800001016", "440111199004280415", COMMUNITY, "第二网格", "5栋", "养老护理", "护士", 2, APPROVED, 0 },
	{ "何文辉", "13800001017", "440111197212080523", COMMUNITY, "", "", "财会", "会计", 3, APPROVED, 0 },
	{ "罗佳慧", "13800001018", "44011119930316051X", COMMUNITY, "", "", "文艺", "护士", 2, PENDING, 0 },
	{ "梁俊杰", "13800001019", "440111198607300628", COMMUNITY, "", "", "驾驶", "医生", 2, PENDING, 0 },
	{ "谢雪琳", "13800001020", "44011119770521071X", COMMUNITY, "", "", "", "药剂师", 2, PENDING, 0 },
	{ "宋宇浩", "13800001021", "440111199102030823", COMMUNITY, "", "", "", "科员", 2, REJECTED, 0 },
	{ "唐德荣", "13800001022", "440111198308140812", COMMUNITY, "第一网格", "1栋", "理发", "职员", 3, LEFT, 0 },
	{ "许春梅", "13800001023", "440111198009090923", NEIGHBOUR, "", "", "外语", "翻译", 4, MOVING_IN, 0 },
	{ "韩振兴", "13800001024", "440111198701011013", NEIGHBOUR, "", "", "体育健身", "教练", 1, APPROVED, 0 },
	{ "冯淑珍", "13800001025", "440111199406221020", NEIGHBOUR, "", "", "", "职员", 2, PENDING, 0 },
};

/* On unit 2's roster but never reported in: what its 未报到 list shows. */
static const struct {
	const char *name, *id;
} unreported[] = {
	{ "邓立新", "440111197604181112" },
	{ "曹颖", "440111198903031223" },
	{ "彭宏亮", "440111198107251217" },
	{ "曾晨光", "44011119920111132X" },
};

struct demo_ctx {
	struct db *db;
	const int64_t *unit_ids;
	struct actor staff, neighbour, unit, cli;
	struct region grids[2], buildings[5];
	char *err;
	size_t errlen;
};

static int fail(struct demo_ctx *d, const char *what)
{
	snprintf(d->err, d->errlen, "demo: cannot %s", what);
	return -1;
}

static int place_tree(struct demo_ctx *d)
{
	static const char *const grids[] = { "第一网格", "第二网格" };
	static const char *const buildings[][3] = { { "1栋", "2栋", "3栋" }, { "5栋", "6栋", NULL } };
	struct region community;
	size_t nb = 0;

	if (region_get(d->db, COMMUNITY, &community) != REGION_OK)
		return fail(d, "find 石榴桥社区");
	for (size_t g = 0; g < 2; g++) {
		if (region_create_child(d->db, &d->staff, &community, grids[g], &d->grids[g]) != REGION_OK)
			return fail(d, "create a grid");
		for (size_t b = 0; b < 3 && buildings[g][b]; b++)
			if (region_create_child(d->db, &d->staff, &d->grids[g], buildings[g][b], &d->buildings[nb++]) != REGION_OK)
				return fail(d, "create a building");
	}
	return 0;
}

static const char *building_code(const struct demo_ctx *d, const char *name)
{
	for (size_t i = 0; i < sizeof(d->buildings) / sizeof(d->buildings[0]); i++)
		if (*name && !strcmp(d->buildings[i].name, name))
			return d->buildings[i].code;
	return NULL;
}

/* A file: typed in by its community's staff (approved at once) or entered by its unit (waiting). */
static int person(struct demo_ctx *d, size_t i, int64_t *id)
{
	const bool here = !strcmp(people[i].community, COMMUNITY);
	const bool by_unit = people[i].fate == PENDING || people[i].fate == REJECTED;
	struct member_input in = {
		.name = people[i].name, .phone = people[i].phone, .id_number = people[i].id,
		.unit_id = people[i].unit ? d->unit_ids[people[i].unit - 1] : 0, .position = people[i].position,
		.party_branch = "第一党支部", .community_code = people[i].community,
		.building_code = building_code(d, people[i].building), .address = "石榴桥路 18 号",
		.specialties = people[i].specialties, .plaque_hung = people[i].fate == APPROVED && here,
		.plaque_on = people[i].fate == APPROVED && here ? "2025-07-01" : "",
	};
	struct field_errors errs = { 0 };
	char joined[11];

	/* Joined at 22. */
	snprintf(joined, sizeof(joined), "%04u-07-01", (unsigned)(digits_value(people[i].id + 6, 4) + 22) % 10000u);
	in.joined_party_on = joined;
	if (member_enrol(d->db, by_unit ? &d->unit : here ? &d->staff : &d->neighbour, &in,
			 by_unit ? CHANNEL_UNIT : CHANNEL_STAFF, &errs, id) != REG_OK)
		return fail(d, errs.n ? errs.items[0].message : "enter a member file");
	return 0;
}

static int fate(struct demo_ctx *d, size_t i, int64_t id)
{
	struct registration r;
	int64_t reg, account;

	switch (people[i].fate) {
	case REJECTED:
		if (registration_current(d->db, id, &r) != REG_OK ||
		    registration_decide(d->db, &d->staff, r.id, false, "经核实不在本社区居住，请到居住地社区报到") != REG_OK)
			return fail(d, "reject a report-in");
		break;
	case LEFT:
		if (registration_leave(d->db, &d->staff, id, "已搬离本社区") != REG_OK)
			return fail(d, "record a leave");
		break;
	case MOVING_IN:
		/* Reported in at 飞鹅, now asking to move to 石榴桥: a transfer in the queue. */
		if (db_begin(d->db) < 0 || registration_submit(d->db, &d->unit, id, COMMUNITY, CHANNEL_UNIT, &reg) != REG_OK ||
		    db_commit(d->db) < 0) {
			db_rollback(d->db);
			return fail(d, "file a transfer");
		}
		break;
	default:
		break;
	}
	if (people[i].account) {
		char code[ACCOUNT_CODE_BUF];

		if (account_open_for_member(d->db, &d->staff, id, code, &account) != ADMIN_OK ||
		    account_set_password(d->db, &d->cli, account, DEMO_PASSWORD, NULL) != ACCOUNT_OK)
			return fail(d, "open a member's account");
	}
	return 0;
}

static int roster(struct demo_ctx *d)
{
	struct roster_row rows[sizeof(people) / sizeof(people[0]) + sizeof(unreported) / sizeof(unreported[0])];
	size_t n = 0;
	int64_t added, updated;

	for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++)
		if (people[i].unit == 2)
			rows[n++] = (struct roster_row){ people[i].name, people[i].id, people[i].position };
	for (size_t i = 0; i < sizeof(unreported) / sizeof(unreported[0]); i++)
		rows[n++] = (struct roster_row){ unreported[i].name, unreported[i].id, "职员" };
	return roster_add(d->db, &d->unit, d->unit_ids[1], rows, n, &added, &updated) < 0 ? fail(d, "load a roster") : 0;
}

/* A resident who signed up and waits for 石榴桥's staff, a poster's code, and a co-building agreement. */
static int extras(struct demo_ctx *d)
{
	struct signup_input in = { true, "13800001031", "陈阿婆", DEMO_PASSWORD, COMMUNITY, "demo" };
	struct agreement a = { .unit_id = d->unit_ids[1], .community_code = COMMUNITY, .starts_on = "2026-01-01",
			       .ends_on = "2027-12-31", .status = "signed", .signed_doc = "石共建〔2026〕1 号" };
	char commitments[] = "每月第一个周六上门义诊\n每季度一次健康讲座进社区\n为独居老人建立健康档案";
	struct signup_place p;
	struct region r;
	int64_t wait;

	a.commitments = commitments;
	if (signup_submit(d->db, &d->cli, &in, &wait) != SIGNUP_OK || signup_code_for(d->db, &d->staff, COMMUNITY, 0, &p))
		return fail(d, "sign a resident up");
	if (region_get(d->db, COMMUNITY, &r) != REGION_OK)
		return fail(d, "find 石榴桥社区");
	str_copy(a.community_path, sizeof(a.community_path), r.path);
	return agreement_save(d->db, &d->staff, &a) != 0 ? fail(d, "save an agreement") : 0;
}

int demo_community(struct db *db, const int64_t *unit_ids, char *err, size_t errlen)
{
	struct demo_ctx d = { .db = db, .unit_ids = unit_ids, .cli = { 0, "cli" }, .err = err, .errlen = errlen };
	struct account staff, unit;

	/* The demo's own people act: the timeline names 李社工 and the unit's 党务专干, not the command line. */
	if (account_find(db, "staff", &staff) != ACCOUNT_OK || account_find(db, "unit", &unit) != ACCOUNT_OK)
		return fail(&d, "find the demo accounts");
	d.staff = (struct actor){ staff.id, "demo" };
	d.neighbour = d.cli;
	d.unit = (struct actor){ unit.id, "demo" };
	if (place_tree(&d) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
		int64_t id;

		if (person(&d, i, &id) < 0 || fate(&d, i, id) < 0)
			return -1;
	}
	return roster(&d) < 0 || extras(&d) < 0 ? -1 : 0;
}
