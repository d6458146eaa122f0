/* demo_records.c: the demo's service records in every state: pending, confirmed, rejected, corrected, a request waiting */
#include "domain/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/account.h"
#include "domain/photo.h"
#include "domain/record.h"

enum fate { WAITS, CONFIRMED, REJECTED, CORRECTED, ASKED };

/* 陈建国 and 黄志强 have accounts: their phones show these. Days ago, at 07:00 China time and later. */
static const struct {
	const char *phone, *item;
	enum record_source source;
	int days_ago, hour, minutes;
	const char *place, *content, *field, *value;
	enum fate fate;
	const char *note; /* why rejected, corrected, asked */
	int photo;
} records[] = {
	{ "13800001011", "G01", SOURCE_SELF, 1, 7, 90, "第一网格 2栋", "给 2 栋独居的刘婆婆和李伯送午餐", "送餐份数", "6",
	  WAITS, NULL, 1 },
	{ "13800001011", "G04", SOURCE_STAFF, 3, 8, 120, "社区党群服务中心", "量血压、测血糖，解答用药问题", "服务人数",
	  "25", CONFIRMED, NULL, 0 },
	{ "13800001011", "G02", SOURCE_SELF, 5, 7, 60, "第一网格 1栋", "陪独居老人聊天，帮忙收拾房间", "服务对象",
	  "1栋 李伯", ASKED, "实际陪伴了一个半小时，当时填少了", 0 },
	{ "13800001013", "G08", SOURCE_SELF, 2, 7, 90, "第一网格 3栋", "为 3 栋困难户修理热水器和电路", NULL, NULL,
	  CORRECTED, "核对维修工单后补记：实际用时 2 小时", 0 },
	{ "13800001013", "A01", SOURCE_SELF, 4, 7, 60, "小区北门", "清理北门垃圾死角", NULL, NULL, REJECTED,
	  "当天北门清理由物业完成，未安排党员服务，请核实后重新填报", 0 },
	{ "13800001013", "P04", SOURCE_STAFF, 1, 8, 120, "小区南门", "南门值守，登记外来车辆", NULL, NULL, WAITS,
	  NULL, 0 },
};

struct demo_ctx {
	struct db *db;
	struct actor staff;
	char *err;
	size_t errlen;
};

static int fail(struct demo_ctx *d, const char *what)
{
	snprintf(d->err, d->errlen, "demo: cannot %s", what);
	return -1;
}

static int item_id(struct db *db, const char *code, int64_t *id)
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

static int photo(struct demo_ctx *d, const struct actor *member, int64_t id)
{
	struct photo p;
	void *buf;
	size_t len;
	int rc;

	if (photo_sample(&buf, &len) < 0)
		return fail(d, "draw a photo");
	rc = photo_add(d->db, member, id, buf, len, &p);
	free(buf);
	return rc == PHOTO_OK ? 0 : fail(d, "store a photo");
}

/* What became of record id: confirmed, rejected, corrected, asked about; or it waits. */
static int fate(struct demo_ctx *d, size_t i, const struct actor *member, int64_t id)
{
	struct field_errors errs = { 0 };
	int64_t other;

	if (records[i].fate != WAITS && records[i].fate != REJECTED &&
	    record_decide(d->db, &d->staff, id, true, NULL) != RECORD_OK)
		return fail(d, "confirm a record");
	switch (records[i].fate) {
	case REJECTED:
		return record_decide(d->db, &d->staff, id, false, records[i].note) == RECORD_OK ? 0 : fail(d, "reject a record");
	case CORRECTED:
		return record_correct(d->db, &d->staff, id, 120, records[i].note, &errs, &other) == RECORD_OK
			       ? 0
			       : fail(d, "correct a record");
	case ASKED:
		return record_ask(d->db, member, id, records[i].note, 90, &errs, &other) == RECORD_OK ? 0
												  : fail(d, "ask for a correction");
	default:
		return 0;
	}
}

int demo_records(struct db *db, char *err, size_t errlen)
{
	struct demo_ctx d = { .db = db, .err = err, .errlen = errlen };
	int64_t now = clock_now(), today = now - (now + 8 * 3600) % 86400; /* 00:00 in China */
	struct account staff;

	if (account_find(db, "staff", &staff) != ACCOUNT_OK)
		return fail(&d, "find the demo's staff");
	d.staff = (struct actor){ staff.id, "cli" };
	for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		struct field_errors errs = { 0 };
		const char *names[] = { records[i].field }, *values[] = { records[i].value };
		struct record_input in = { .source = records[i].source, .minutes = records[i].minutes,
					   .place = records[i].place, .content = records[i].content,
					   .nfields = records[i].field ? 1 : 0, .field_names = names, .field_values = values };
		struct account a;
		struct actor member;
		int64_t id;

		in.started_at = today - records[i].days_ago * 86400 + records[i].hour * 3600;
		if (account_find(db, records[i].phone, &a) != ACCOUNT_OK || member_find_by_account(db, a.id, &in.member_id) ||
		    item_id(db, records[i].item, &in.item_id) < 0)
			return fail(&d, "find a member or a catalogue item");
		member = (struct actor){ a.id, "cli" };
		if (record_create(db, records[i].source == SOURCE_SELF ? &member : &d.staff, &in, false, &errs, &id) !=
		    RECORD_OK)
			return fail(&d, errs.n ? errs.items[0].message : "add a record");
		if ((records[i].photo && photo(&d, &member, id) < 0) || fate(&d, i, &member, id) < 0)
			return -1;
	}
	return 0;
}
