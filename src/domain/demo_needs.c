/* demo_needs.c: the demo's needs (需求清单) and micro-wishes (微心愿) in 石榴桥社区, one in each stage the pages show */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/account.h"
#include "domain/demo.h"
#include "domain/need.h"
#include "domain/wish.h"

#define SHILIUQIAO "440111002011"
#define SHILIUQIAO_PATH "/440100000000/440111000000/440111002000/440111002011/"
#define MEMBER "13800001011" /* 陈建国, the demo's member with an approved report-in */

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "demo: cannot %s", what);
	return -1;
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

/* The demo member who serves: their file, account and name; -1 when the demo has none. */
static int serving_member(struct db *db, struct need_holder *h, char *name, size_t size)
{
	struct db_stmt *st = db_prepare(db, "SELECT m.id, m.account_id, m.name FROM member m JOIN account a ON "
					    "a.id = m.account_id WHERE a.login = ?");
	int rc;

	db_bind_text(st, 1, MEMBER);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*h = (struct need_holder){ "member", db_col_int(st, 0), 0, 0, db_col_int(st, 1), name };
		str_copy(name, size, db_col_text(st, 2));
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/*
 * Four needs: 张阿姨's urgent one waiting to be accepted; 李伯's (by phone, no
 * account) accepted and waiting for someone; one dispatched to the member,
 * waiting for their answer; one the member served, 张阿姨 confirmed with five
 * stars: a confirmed record of source need.
 */
static int demo_need_list(struct db *db, const struct actor *staff, const struct account *resident, char *err,
			  size_t errlen)
{
	struct need_input waiting = { SHILIUQIAO, item(db, "G02"), "老伴住院了，下周二想请人陪我去医院复诊，我腿脚不好", NULL,
				      "3栋201", NULL, "morning", "urgent", "张阿姨", "13800000006", "self", resident->id };
	struct need_input open = { SHILIUQIAO, item(db, "G08"), "厨房水龙头一直滴水，关不紧，家里没人会修", NULL, "5栋102", NULL,
				   "afternoon", "normal", "李伯", "020-81234567", "phone", 0 };
	struct need_input sent = { SHILIUQIAO, item(db, "G05"), "想咨询一下老房子过户给子女要办哪些手续", NULL, "", NULL, "any",
				   "normal", "张阿姨", "13800000006", "self", resident->id };
	struct need_input served = { SHILIUQIAO, item(db, "G04"), "老伴血压忽高忽低，想请医生上门量一量", NULL, "3栋201", NULL,
				     "morning", "normal", "张阿姨", "13800000006", "self", resident->id };
	const struct actor grandma = { resident->id, "cli" };
	static const char *const names[] = { "服务人数" }, *const values[] = { "2" };
	struct field_errors errs = { 0 };
	char name[TEXT_BYTES(NEED_HOLDER_MAX)];
	struct need_holder h;
	struct db_stmt *st;
	struct actor member;
	int64_t id;
	int rc;

	if (serving_member(db, &h, name, sizeof(name)) < 0)
		return 0; /* the base demo has no member: no needs either */
	member = (struct actor){ h.account_id, "cli" };
	if (need_create(db, &grandma, &waiting, &id) != NEED_OK ||
	    need_create(db, staff, &open, &id) != NEED_OK || need_step(db, staff, id, NEED_ACCEPT, "") != NEED_OK ||
	    need_create(db, &grandma, &sent, &id) != NEED_OK || need_step(db, staff, id, NEED_ACCEPT, "") != NEED_OK ||
	    need_dispatch(db, staff, id, &h) != NEED_OK)
		return fail(err, errlen, "post a need");
	if (need_create(db, &grandma, &served, &id) != NEED_OK || need_step(db, staff, id, NEED_ACCEPT, "") != NEED_OK ||
	    need_dispatch(db, staff, id, &h) != NEED_OK || need_answer(db, &member, id, h.account_id) != NEED_OK ||
	    need_done(db, &member, id, "量了血压 150/95，建议按时服药、少盐，下周再来复查", 40, names, values, 1, &errs) != NEED_OK)
		return fail(err, errlen, "serve a need");
	/*
	 * He went yesterday, 18:00 to 18:40 Beijing time: an hour none of the demo's other services of his takes
	 * (they start at 07:00, 09:00 and 14:30), whatever the time the demo is loaded at.
	 */
	st = db_prepare(db, "UPDATE need SET done_at = ? WHERE id = ?");
	db_bind_int(st, 1, clock_now() / 86400 * 86400 - 86400 + 10 * 3600 + 40 * 60);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE || need_confirm(db, &grandma, id, 5, "陈书记很耐心，讲得很清楚", &errs) != NEED_OK)
		return fail(err, errlen, "confirm a need");
	return 0;
}

/* Micro-wishes on the wall: three published (one claimed by the member), one waiting for approval. */
static int demo_wish_list(struct db *db, const struct actor *staff, char *err, size_t errlen)
{
	const int64_t until = clock_now() + 30 * 86400;
	struct wish_input wishes[] = {
		{ SHILIUQIAO, SHILIUQIAO_PATH, "王秀英", "一台收音机", "独居多年，想听听粤剧", 150, "published", until, 0 },
		{ SHILIUQIAO, SHILIUQIAO_PATH, "刘志明", "孙子的一套课外书", "孙子上三年级，家里没有课外书", 200, "published", until,
		  0 },
		{ SHILIUQIAO, SHILIUQIAO_PATH, "陈桂芳", "一床厚棉被", "老房子冬天冷，想要一床厚一点的棉被", 300, "published", until,
		  0 },
		{ SHILIUQIAO, SHILIUQIAO_PATH, "黄伯", "陪我去一次白云山", "退休老党员，腿脚不便，想再上一次白云山", 0, "submitted", 0,
		  0 },
	};
	char name[TEXT_BYTES(NEED_HOLDER_MAX)], taken[TEXT_BYTES(NEED_HOLDER_MAX)];
	struct need_holder h;
	int64_t id, first = 0;

	for (size_t i = 0; i < sizeof(wishes) / sizeof(wishes[0]); i++) {
		if (wish_create(db, staff, &wishes[i], &id) != WISH_OK)
			return fail(err, errlen, "enter a micro-wish");
		if (!first)
			first = id;
	}
	if (serving_member(db, &h, name, sizeof(name)) == 0 &&
	    wish_claim(db, &(struct actor){ h.account_id, "cli" }, first,
		       &(struct wish_claimer){ "member", h.member_id, 0, 0, name }, taken, sizeof(taken)) != WISH_OK)
		return fail(err, errlen, "claim a micro-wish");
	return 0;
}

int demo_needs(struct db *db, char *err, size_t errlen)
{
	struct account staff, resident;
	struct actor who;

	if (account_find(db, "staff", &staff) != ACCOUNT_OK || account_find(db, "resident", &resident) != ACCOUNT_OK)
		return fail(err, errlen, "find the demo's staff and resident");
	who = (struct actor){ staff.id, "cli" };
	if (demo_need_list(db, &who, &resident, err, errlen) < 0)
		return -1;
	return demo_wish_list(db, &who, err, errlen);
}
