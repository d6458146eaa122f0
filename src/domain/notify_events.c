/* notify_events.c: what each event tells whom: sign-ups, cancelled activities, report-ins, claimed wishes */
#include "domain/notify.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int notify_signup(struct db *db, enum notify_kind kind, int64_t member_id, int64_t activity_id, const char *title,
		  int64_t now)
{
	char head[TEXT_BYTES(NOTIFY_TITLE_MAX) + 32], link[64];
	bool promoted = kind == NOTIFY_SIGNUP_PROMOTED;

	snprintf(head, sizeof(head), "%s%s", promoted ? "候补转正：" : "报名成功：", title);
	snprintf(link, sizeof(link), "/m/activities/%" PRId64, activity_id);
	return notify_post_member(db, member_id,
				  &(struct notify_msg){ kind, head,
							promoted ? "有人退出，您已从候补转为正式报名，请准时参加。"
								 : "您已报名成功，请准时参加。",
							link, promoted ? "您报名的活动已从候补转为正式报名"
								       : "您报名的活动已报名成功" },
				  now);
}

int notify_activity_cancelled(struct db *db, int64_t activity_id, const char *title, const char *community_code,
			      bool group, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "SELECT member_id FROM signup WHERE activity_id = ? AND state IN "
					    "('signed', 'waiting') ORDER BY id");
	char head[TEXT_BYTES(NOTIFY_TITLE_MAX) + 32], link[64], outside[TEXT_BYTES(NOTIFY_TITLE_MAX) + 32];
	int64_t *members;
	size_t n;
	int rc = 0;

	db_bind_int(st, 1, activity_id);
	if (notify_ids(st, &members, &n) < 0)
		return -1;
	snprintf(head, sizeof(head), "活动取消：%s", title);
	/* A published activity's title is public (it is on the activity wall): the group may read it. */
	snprintf(outside, sizeof(outside), "【活动取消】%s", title);
	snprintf(link, sizeof(link), "/m/activities/%" PRId64, activity_id);
	struct notify_msg m = { NOTIFY_ACTIVITY_CANCELLED, head, "您报名的活动已取消。", link, outside };

	for (size_t i = 0; i < n && rc == 0; i++)
		rc = notify_post_member(db, members[i], &m, now);
	free(members);
	if (rc < 0)
		return -1;
	return group ? notify_post_group(db, community_code, &m, now) : 0;
}

int notify_registration(struct db *db, int64_t member_id, bool approved, const char *community_name,
			const char *reason, int64_t now)
{
	char head[TEXT_BYTES(NOTIFY_TITLE_MAX) + 32], body[TEXT_BYTES(NOTIFY_BODY_MAX) + 32];

	snprintf(head, sizeof(head), "%s%s", approved ? "报到已通过：" : "报到未通过：", community_name);
	if (approved)
		snprintf(body, sizeof(body), "欢迎回社区报到，可以认领岗位、报名活动了。");
	else
		snprintf(body, sizeof(body), "原因：%s", reason && reason[0] ? reason : "未说明");
	return notify_post_member(db, member_id,
				  &(struct notify_msg){ approved ? NOTIFY_REGISTRATION_APPROVED
								 : NOTIFY_REGISTRATION_REJECTED,
							head, body, "/m/report",
							approved ? "您的报到申请已通过" : "您的报到申请未通过" },
				  now);
}

int notify_wish_claimed(struct db *db, int64_t wish_id, int64_t claimer, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "SELECT community_code, title, COALESCE(beneficiary_account_id, 0) FROM "
					    "wish WHERE id = ?");
	char code[24] = "", title[TEXT_BYTES(NOTIFY_TITLE_MAX)] = "", head[TEXT_BYTES(NOTIFY_TITLE_MAX) + 32];
	char mine[64], staff[64];
	int64_t owner = 0;
	int rc;

	db_bind_int(st, 1, wish_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(code, sizeof(code), db_col_text(st, 0));
		str_excerpt(title, sizeof(title), db_col_text(st, 1), NOTIFY_TITLE_MAX);
		owner = db_col_int(st, 2);
	}
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	snprintf(head, sizeof(head), "微心愿已被认领：%s", title);
	snprintf(mine, sizeof(mine), "/m/mine/wishes");
	/* The console's list of claimed wishes, where this one now is. */
	snprintf(staff, sizeof(staff), "/admin/wishes?state=claimed");
	/* A wish names its beneficiary's need: outside, only that one was claimed. */
	struct notify_msg m = { NOTIFY_WISH_CLAIMED, head, "有党员认领了这个微心愿。", mine, "一个微心愿已被认领" };

	if (owner && owner != claimer && notify_post(db, owner, &m, now) < 0)
		return -1;
	m.link = staff;
	if (notify_post_staff(db, code, claimer, &m, now) < 0)
		return -1;
	m.link = "/m/wishes";
	return notify_post_group(db, code, &m, now);
}

int notify_task_dispatched(struct db *db, int64_t need_id, int64_t account_id, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "SELECT c.name FROM need n JOIN catalog_item c ON c.id = n.item_id "
					    "WHERE n.id = ?");
	char head[TEXT_BYTES(NOTIFY_TITLE_MAX) + 32] = "";
	int rc;

	if (!account_id)
		return 0;
	db_bind_int(st, 1, need_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(head, sizeof(head), "新任务：%s", db_col_text(st, 0));
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	/* Who asked and where stay in the app: outside, only that there is a task. */
	return notify_post(db, account_id,
			   &(struct notify_msg){ NOTIFY_TASK_DISPATCHED, head, "社区给您派了一项居民需求，请尽快回复是否承接。",
						 "/m/tasks", "社区给您派了一项服务任务" },
			   now);
}
