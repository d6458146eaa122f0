/* demo_feedback.c: what the demo unit reads back: the community's comments on two of its members, and a bonus for a micro-wish */
#include "domain/demo.h"

#include <stdio.h>

#include "base/clock.h"
#include "domain/account.h"
#include "domain/bonus.h"
#include "domain/feedback.h"
#include "domain/member.h"

/* Members of unit 2 (三元里街社区卫生服务中心) in 石榴桥社区, by phone, and what their community says of them. */
static const struct {
	const char *phone, *comment;
} comments[] = {
	{ "13800001011", "每月参加社区义诊，主动上门为独居老人量血压，居民评价很好" },
	{ "13800001016", "按时参加医疗服务队活动，本半年度服务次数偏少，希望多参与" },
};

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "demo: cannot %s", what);
	return -1;
}

static int member_of(struct db *db, const char *phone, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM member WHERE phone = ?");
	int rc;

	db_bind_text(st, 1, phone);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int demo_feedback(struct db *db, char *err, size_t errlen)
{
	struct field_errors errs = { 0 };
	char today[11], half[PERIOD_LEN], year[PERIOD_LEN];
	struct account staff;
	struct actor who;
	int64_t id, bonus;

	if (account_find(db, "staff", &staff) != ACCOUNT_OK)
		return fail(err, errlen, "find the demo's staff");
	who = (struct actor){ staff.id, "cli" };
	clock_date(clock_now(), today);
	period_of(today, half, year);
	for (size_t i = 0; i < sizeof(comments) / sizeof(comments[0]); i++)
		if (member_of(db, comments[i].phone, &id) < 0 ||
		    feedback_comment_set(db, &who, id, half, comments[i].comment) != FEEDBACK_OK)
			return fail(err, errlen, "comment on a member");
	if (member_of(db, comments[0].phone, &id) < 0 ||
	    bonus_give(db, &who, id, BONUS_WISH, 0, "帮 2 栋刘婆婆圆了微心愿：配好老花镜", &errs, &bonus) != BONUS_OK)
		return fail(err, errlen, "give a bonus");
	return 0;
}
