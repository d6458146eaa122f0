/* demo_activities.c: the demo's a week of activities in 石榴桥社区 with sign-ups, leaves, a waiting list and attendance */
#include "domain/demo.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/qrtoken.h"
#include "domain/account.h"
#include "domain/activity.h"
#include "domain/activity_signup.h"
#include "domain/attendance.h"

#define COMMUNITY "440111002011" /* 石榴桥社区 */
#define NEIGHBOUR "440111002001" /* 飞鹅新村社区, the same street */
#define HOUR 3600
#define MIN 60

/* The demo's members by the order of demo_community's people: 陈建国 … 何文辉 of 石榴桥, 韩振兴 of 飞鹅新村. */
enum { CHEN, LIN, HUANG, ZHOU, WU, ZHENG, HE, HAN, PEOPLE };
static const char *const phones[PEOPLE] = { "13800001011", "13800001012", "13800001013", "13800001014",
					    "13800001015", "13800001016", "13800001017", "13800001024" };

struct demo_ctx {
	struct db *db;
	struct actor staff, unit, member; /* member: members sign up on their own phones */
	int64_t member_ids[PEOPLE];
	int64_t today; /* 00:00 of today in China, Unix time */
	char *err;
	size_t errlen;
};

static int fail(struct demo_ctx *d, const char *what)
{
	snprintf(d->err, d->errlen, "demo: cannot %s", what);
	return -1;
}

/* day days from today at hh:mm, China time. */
static int64_t at(const struct demo_ctx *d, int day, int hh, int mm)
{
	return d->today + (int64_t)day * 86400 + hh * HOUR + mm * MIN;
}

static int64_t item(struct demo_ctx *d, const char *code)
{
	struct db_stmt *st = db_prepare(d->db, "SELECT id FROM catalog_item WHERE code = ? AND region_code IS NULL");
	int64_t id = 0;

	db_bind_text(st, 1, code);
	if (db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	return id;
}

static int find_people(struct demo_ctx *d)
{
	for (int i = 0; i < PEOPLE; i++) {
		struct db_stmt *st = db_prepare(d->db, "SELECT id FROM member WHERE phone = ?");

		db_bind_text(st, 1, phones[i]);
		d->member_ids[i] = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
		db_done(st);
		if (!d->member_ids[i])
			return fail(d, "find the demo's members");
	}
	return 0;
}

/* What one activity of the week is. */
struct plan {
	const char *item, *title, *description, *place, *community, *audience, *specialties;
	int day, hh, mm, minutes, capacity;
	enum activity_organiser organiser;
};

static int create(struct demo_ctx *d, const struct plan *p, int64_t starts_at, bool publish,
		  const struct activity_repeat *repeat, int64_t *id)
{
	struct field_errors errs = { 0 };
	struct db_stmt *st;
	struct activity_input in = { .community_code = p->community ? p->community : COMMUNITY,
				     .organiser = p->organiser, .item_id = item(d, p->item), .title = p->title,
				     .description = p->description, .place = p->place, .starts_at = starts_at,
				     .ends_at = starts_at + p->minutes * MIN, .capacity = p->capacity,
				     .audience = p->audience ? p->audience : "community", .specialties = p->specialties };
	size_t n;

	if (p->organiser == ORGANISER_UNIT) {
		st = db_prepare(d->db, "SELECT unit_id FROM agreement WHERE community_code = ? AND status = 'signed' "
				       "ORDER BY id LIMIT 1");
		db_bind_text(st, 1, COMMUNITY);
		in.unit_id = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
		db_done(st);
	}
	/* The unit's own staff organise its activity; the next community's is its own (no demo account there). */
	if (activity_create(d->db, p->organiser == ORGANISER_UNIT ? &d->unit : p->community ? &d->member : &d->staff, &in,
			    repeat, publish, &errs, id, &n) != ACTIVITY_OK) {
		snprintf(d->err, d->errlen, "demo: cannot create the activity %s (%s)", p->title,
			 errs.n ? errs.items[0].field : "storage");
		return -1;
	}
	return 0;
}

/* Member who signs up for activity id at now; *signup is the sign-up. */
static int sign(struct demo_ctx *d, int64_t id, int who, int64_t now, int64_t *signup)
{
	struct activity_signup s;

	if (activity_signup_add(d->db, &d->member, id, d->member_ids[who], false, now, &s) != ACTIVITY_OK)
		return fail(d, "sign a member up");
	if (signup)
		*signup = s.id;
	return 0;
}

/* Member who scans the screen's code of activity id at time t, to check in or out. */
static int scan(struct demo_ctx *d, int64_t id, int who, int64_t t, bool checkout)
{
	struct qrtoken code = { id, QRTOKEN_SCREEN, qrtoken_slot(t), QRTOKEN_ACTIVITY };
	char text[QRTOKEN_MAX];
	struct activity_signup s;
	enum qrtoken_verdict v;
	bool already;

	qrtoken_make(&code, text);
	if (attendance_scan(d->db, &d->member, id, d->member_ids[who], text, checkout, t, &v, &already, &s) != ACTIVITY_OK)
		return fail(d, "check a member in");
	return 0;
}

static int close_at(struct demo_ctx *d, int64_t id, int64_t now)
{
	struct attendance_closing c;
	int rc = attendance_close(d->db, &d->staff, id, now, &c);

	attendance_closing_release(&c);
	return rc == ACTIVITY_OK ? 0 : fail(d, "close an activity");
}

/* Four days ago: the stairwells cleaned; present, late, left early, ticked by staff, on leave, absent; closed. */
static int stairwells(struct demo_ctx *d)
{
	static const struct plan p = { "A01", "石榴桥社区楼道清理", "清理楼道堆放杂物和卫生死角，社区提供手套和垃圾袋。",
				       "石榴桥社区党群服务中心门前集合", NULL, NULL, "水电维修", -4, 9, 0, 120, 8,
				       ORGANISER_COMMUNITY };
	int64_t id, s0 = at(d, p.day, p.hh, p.mm), leave;
	struct activity_signup s;

	if (create(d, &p, s0, true, NULL, &id) < 0)
		return -1;
	for (int who = CHEN; who <= ZHENG; who++)
		if (sign(d, id, who, s0 - 3 * 86400 + who * 600, who == ZHENG ? &leave : NULL) < 0)
			return -1;
	if (activity_signup_leave(d->db, &d->member, id, d->member_ids[ZHENG], "医院夜班，无法参加", s0 - 86400) ||
	    activity_signup_decide(d->db, &d->staff, leave, true, "已批准，下次再来", s0 - 80000) ||
	    scan(d, id, CHEN, s0 - 10 * MIN, false) < 0 || scan(d, id, CHEN, s0 + 122 * MIN, true) < 0 ||
	    scan(d, id, LIN, s0 + 20 * MIN, false) < 0 || scan(d, id, LIN, s0 + 120 * MIN, true) < 0 ||
	    scan(d, id, HUANG, s0 - 5 * MIN, false) < 0 || scan(d, id, HUANG, s0 + 75 * MIN, true) < 0)
		return fail(d, "take the stairwells' attendance");
	/* 周晓燕 has no smartphone: staff tick her in, and confirm she stayed to the end. */
	if (activity_signup_find(d->db, id, d->member_ids[ZHOU], &s) != ACTIVITY_OK ||
	    attendance_tick(d->db, &d->staff, s.id, TICK_CHECKIN, s0, s0 + 5 * MIN, &s) != ACTIVITY_OK ||
	    attendance_tick(d->db, &d->staff, s.id, TICK_UNTIL_END, 0, s0 + 125 * MIN, &s) != ACTIVITY_OK)
		return fail(d, "tick a member on the sheet");
	return close_at(d, id, s0 + 3 * HOUR);
}

/* Two days ago: the health centre's talk with the community (共驻共建); a leave refused; closed. */
static int health_talk(struct demo_ctx *d)
{
	static const struct plan p = { "A02", "健康讲座：老年人慢病防治", "三元里街社区卫生服务中心医生讲解高血压、糖尿病的日常管理，现场答疑。",
				       "石榴桥社区长者饭堂二楼", NULL, "street", "医疗", -2, 14, 30, 120, 30,
				       ORGANISER_UNIT };
	int64_t id, s0 = at(d, p.day, p.hh, p.mm), leave;

	if (create(d, &p, s0, true, NULL, &id) < 0 || sign(d, id, CHEN, s0 - 2 * 86400, NULL) < 0 ||
	    sign(d, id, LIN, s0 - 2 * 86400 + 900, NULL) < 0 || sign(d, id, HAN, s0 - 86400, NULL) < 0 ||
	    sign(d, id, HE, s0 - 86400 + 300, &leave) < 0)
		return -1;
	if (activity_signup_leave(d->db, &d->member, id, d->member_ids[HE], "单位临时开会", s0 - 5 * HOUR) ||
	    activity_signup_decide(d->db, &d->staff, leave, false, "讲座需要财会志愿者帮忙登记，请尽量参加", s0 - 4 * HOUR) ||
	    scan(d, id, CHEN, s0 - 15 * MIN, false) < 0 || scan(d, id, CHEN, s0 + 121 * MIN, true) < 0 ||
	    scan(d, id, LIN, s0 - 2 * MIN, false) < 0 || scan(d, id, LIN, s0 + 119 * MIN, true) < 0 ||
	    scan(d, id, HAN, s0 + 5 * MIN, false) < 0 || scan(d, id, HAN, s0 + 118 * MIN, true) < 0)
		return fail(d, "take the talk's attendance");
	return close_at(d, id, s0 + 150 * MIN);
}

/* Yesterday evening's flood patrol: cancelled for the rainstorm warning; those signed up were told why. */
static int patrol(struct demo_ctx *d)
{
	static const struct plan p = { "P05", "汛期夜间巡查", "巡查小区低洼处、地下车库出入口和排水口。", "石榴桥社区警务室门口",
				       NULL, NULL, "驾驶", -1, 19, 0, 120, 6, ORGANISER_COMMUNITY };
	int64_t id, s0 = at(d, p.day, p.hh, p.mm);
	size_t n;

	if (create(d, &p, s0, true, NULL, &id) < 0 || sign(d, id, HUANG, s0 - 2 * 86400, NULL) < 0 ||
	    sign(d, id, WU, s0 - 86400, NULL) < 0)
		return -1;
	return activity_cancel(d->db, &d->staff, id, "暴雨红色预警，为安全起见取消，改期另行通知", false, s0 - 3 * HOUR, &n)
		       ? fail(d, "cancel an activity")
		       : 0;
}

/* Now: door-to-door sorting advice, under way: three in by the screen's code, one on leave waiting for an answer. */
static int under_way(struct demo_ctx *d, int64_t now)
{
	static const struct plan p = { "A02", "垃圾分类入户宣传", "两人一组入户宣传垃圾分类，发放分类指引。", "石榴桥社区1栋至6栋",
				       NULL, NULL, "", 0, 0, 0, 150, 6, ORGANISER_COMMUNITY };
	int64_t s0 = now - now % (30 * MIN) - HOUR, id;

	if (create(d, &p, s0, true, NULL, &id) < 0)
		return -1;
	for (int who = CHEN; who <= ZHENG; who++)
		if (who != LIN && who != ZHOU && sign(d, id, who, s0 - 86400 + who * 60, NULL) < 0)
			return -1;
	if (activity_signup_leave(d->db, &d->member, id, d->member_ids[WU], "孩子发烧，需要陪护", s0 - 2 * HOUR) ||
	    scan(d, id, CHEN, s0 - 12 * MIN, false) < 0 || scan(d, id, HUANG, s0 + 3 * MIN, false) < 0 ||
	    scan(d, id, ZHENG, s0 + 18 * MIN, false) < 0)
		return fail(d, "check members in");
	return 0;
}

/* Tomorrow's 党员义务奉献日: full, with two on the waiting list (one of them from the next community). */
static int full_day(struct demo_ctx *d)
{
	static const struct plan p = { "A05", "党员义务奉献日：石榴桥公园环境整治", "清理公园绿地和健身器材，集中开展志愿服务。",
				       "石榴桥公园南门", NULL, "street", "", 1, 9, 0, 120, 5, ORGANISER_COMMUNITY };
	int64_t id, s0 = at(d, p.day, p.hh, p.mm), now = clock_now();
	static const int order[] = { CHEN, LIN, HUANG, ZHOU, WU, ZHENG, HAN };

	if (create(d, &p, s0, true, NULL, &id) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (sign(d, id, order[i], now - 86400 + (int64_t)i * 900, NULL) < 0)
			return -1;
	return 0;
}

/* Still to come: every Saturday's cleaning (a series), a draft, and the next community's haircuts open to the street. */
static int to_come(struct demo_ctx *d)
{
	static const struct plan saturdays = { "A01", "周六清洁家园", "每周六上午清洁小区公共区域。", "石榴桥社区广场", NULL,
					       NULL, "", 0, 8, 30, 120, 20, ORGANISER_COMMUNITY };
	static const struct plan draft = { "A04", "长者智能手机课堂", "教长者用手机挂号、视频通话、防范诈骗。", "石榴桥社区党群服务中心",
					   NULL, NULL, "电脑网络", 2, 15, 0, 90, 15, ORGANISER_COMMUNITY };
	static const struct plan haircuts = { "G07", "义务理发进社区", "为长者、残疾人免费理发。", "飞鹅新村社区居委会门前",
					      NEIGHBOUR, "street", "理发", 3, 9, 30, 150, 10, ORGANISER_COMMUNITY };
	struct activity_repeat weekly = { 1u << 5, 0, 4 };
	int64_t id, days = 0, now = clock_now();

	/* The next Saturday (China's weekdays, Monday 0): 1970-01-01 was a Thursday. */
	while ((((d->today + 8 * HOUR) / 86400 + days) % 7 + 3) % 7 != 5 || days == 0)
		days++;
	if (create(d, &saturdays, at(d, (int)days, 8, 30), true, &weekly, &id) < 0 || sign(d, id, HUANG, now - HOUR, NULL) < 0 ||
	    sign(d, id, HE, now - 30 * MIN, NULL) < 0 ||
	    create(d, &draft, at(d, draft.day, draft.hh, draft.mm), false, NULL, &id) < 0 ||
	    create(d, &haircuts, at(d, haircuts.day, haircuts.hh, haircuts.mm), true, NULL, &id) < 0)
		return -1;
	return 0;
}

int demo_activities(struct db *db, char *err, size_t errlen)
{
	struct demo_ctx d = { .db = db, .err = err, .errlen = errlen };
	struct account staff, unit;
	int64_t now = clock_now();

	if (account_find(db, "staff", &staff) != ACCOUNT_OK || account_find(db, "unit", &unit) != ACCOUNT_OK)
		return fail(&d, "find the demo accounts");
	d.staff = (struct actor){ staff.id, "demo" };
	d.unit = (struct actor){ unit.id, "demo" };
	d.member = (struct actor){ 0, "demo" };
	d.today = (now + 8 * HOUR) / 86400 * 86400 - 8 * HOUR;
	if (find_people(&d) < 0)
		return -1;
	return stairwells(&d) < 0 || health_talk(&d) < 0 || patrol(&d) < 0 || under_way(&d, now) < 0 ||
			       full_day(&d) < 0 || to_come(&d) < 0
		       ? -1
		       : 0;
}
