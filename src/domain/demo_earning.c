/* demo_earning.c: the demo's half-year of confirmed service, so that points, tiers and the ranking have something to show */
#include "domain/demo.h"

#include <stdio.h>

#include "base/clock.h"
#include "domain/account.h"
#include "domain/record.h"

/*
 * Services staff entered and stamped for the approved members of 石榴桥社区 (and one neighbour), on
 * earlier days than demo_records.c's: from 陈建国, 先锋, down to 何文辉, who has not served yet.
 */
static const struct {
	const char *phone, *item;
	int count, minutes;
	const char *place, *content;
} services[] = {
	{ "13800001011", "G07", 8, 120, "社区党群服务中心", "为社区老人义务理发" },
	{ "13800001012", "G09", 4, 120, "第一网格 2栋", "结对帮扶困难家庭，辅导孩子功课" },
	{ "13800001013", "P04", 2, 120, "小区南门", "南门值守，登记外来车辆" },
	{ "13800001014", "S02", 2, 60, "社区调解室", "调解邻里漏水纠纷" },
	{ "13800001015", "A01", 1, 60, "小区北门", "清理垃圾死角" },
	{ "13800001016", "G07", 3, 90, "社区党群服务中心", "为行动不便的老人上门理发" },
	{ "13800001024", "A01", 2, 90, "社区广场", "环境整治，清理小广告" },
};

static int member_by_phone(struct db *db, const char *phone, int64_t *id)
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

static int item_by_code(struct db *db, const char *code, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM catalog_item WHERE code = ? AND region_code IS NULL");
	int rc;

	db_bind_text(st, 1, code);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int demo_earning(struct db *db, char *err, size_t errlen)
{
	int64_t now = clock_now(), today = now - (now + 8 * 3600) % 86400; /* 00:00 in China */
	struct account staff;
	struct actor by;

	if (account_find(db, "staff", &staff) != ACCOUNT_OK) {
		snprintf(err, errlen, "demo: cannot find the demo's staff");
		return -1;
	}
	by = (struct actor){ staff.id, "cli" };
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		struct record_input in = { .source = SOURCE_STAFF, .minutes = services[i].minutes,
					   .place = services[i].place, .content = services[i].content };
		int64_t id;

		if (member_by_phone(db, services[i].phone, &in.member_id) < 0 ||
		    item_by_code(db, services[i].item, &in.item_id) < 0) {
			snprintf(err, errlen, "demo: cannot find a member or a catalogue item");
			return -1;
		}
		/* Every third day back from a week ago, at 09:00: the days demo_records.c leaves free. */
		for (int k = 0; k < services[i].count; k++) {
			struct field_errors errs = { 0 };

			in.started_at = today - (7 + 3 * k) * 86400 + 9 * 3600;
			if (record_create(db, &by, &in, true, &errs, &id) != RECORD_OK) {
				snprintf(err, errlen, "demo: cannot add a service: %s", errs.n ? errs.items[0].message : "");
				return -1;
			}
		}
	}
	return 0;
}
