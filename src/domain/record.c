/* record.c: service records: checked and added with their fields, read back; every change has an event and an audit entry */
#include "domain/record.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/registration.h"

const char *const record_sources[] = { "activity", "post", "self", "staff", "correction", NULL };

/* An event of record id's timeline and the audit entry that goes with it, inside the caller's transaction. */
static int record_event_add(struct db *db, const struct actor *who, int64_t id, const char *path, const char *event,
		     const char *note)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO record_event (record_id, at, account_id, event, note) "
					    "VALUES (?, ?, ?, ?, ?)");
	char action[48], idt[24];
	int rc;

	db_bind_int(st, 1, id);
	db_bind_int(st, 2, clock_now());
	if (who->account_id)
		db_bind_int(st, 3, who->account_id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, event);
	db_bind_text(st, 5, note ? note : "");
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	snprintf(action, sizeof(action), "record.%s", event);
	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append_detail(db, who, action, "record", idt, path, "ok", note ? note : "");
}

/* The community whose staff confirm the record: the activity's or the post's, else where the member reported in. */
static int confirming_community(struct db *db, const struct record_input *in, struct region *out)
{
	struct db_stmt *st;
	struct registration reg;
	char code[24] = "";
	int rc;

	if (in->activity_id || in->post_id) {
		st = db_prepare(db, in->activity_id ? "SELECT community_code FROM activity WHERE id = ?"
						    : "SELECT community_code FROM post WHERE id = ?");
		db_bind_int(st, 1, in->activity_id ? in->activity_id : in->post_id);
		rc = db_step(st);
		if (rc == DB_ROW)
			str_copy(code, sizeof(code), db_col_text(st, 0));
		db_done(st);
		if (rc != DB_ROW)
			return rc == DB_DONE ? RECORD_NOT_FOUND : RECORD_ERROR;
	} else {
		rc = registration_current(db, in->member_id, &reg);
		if (rc == REG_ERROR)
			return RECORD_ERROR;
		if (rc != REG_OK || strcmp(reg.state, "approved"))
			return RECORD_NOT_FOUND;
		str_copy(code, sizeof(code), reg.community_code);
	}
	rc = region_get(db, code, out);
	return rc == REGION_OK ? RECORD_OK : rc == REGION_NOT_FOUND ? RECORD_NOT_FOUND : RECORD_ERROR;
}

/* Whether the member has another pending or confirmed service in [from, to). */
static int overlaps(struct db *db, int64_t member_id, int64_t from, int64_t to)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM record WHERE member_id = ? AND state <> 'rejected' AND "
					    "source <> 'correction' AND started_at < ? AND started_at + minutes * 60 > ? "
					    "AND started_at > ? LIMIT 1");
	int rc;

	db_bind_int(st, 1, member_id);
	db_bind_int(st, 2, to);
	db_bind_int(st, 3, from);
	db_bind_int(st, 4, from - RECORD_MINUTES_MAX * 60); /* the index's range: none starts earlier and reaches in */
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int check(struct db *db, const struct record_input *in, struct region *community, struct catalog_item *item,
		 struct field_errors *errs)
{
	int rc = confirming_community(db, in, community);

	if (rc == RECORD_NOT_FOUND)
		field_errors_add(errs, in->activity_id ? "activity_id" : in->post_id ? "post_id" : "member_id",
				 "not_found", in->activity_id || in->post_id ? "活动或岗位不存在" : "该党员还没有报到成功的社区");
	else if (rc != RECORD_OK)
		return RECORD_ERROR;
	rc = catalog_item_get(db, in->item_id, item);
	if (rc == CATALOG_ERROR)
		return RECORD_ERROR;
	if (rc != CATALOG_OK || (community->code[0] && !catalog_offered(item, community->path)))
		field_errors_add(errs, "item_id", "not_found", "应为本社区提供的服务项目");
	else
		catalog_check_values(item, in->field_names, in->field_values, in->nfields, errs);
	if (in->source == SOURCE_CORRECTION ? in->minutes == 0 || in->minutes < -RECORD_MINUTES_MAX ||
						      in->minutes > RECORD_MINUTES_MAX
					    : in->minutes < 1 || in->minutes > RECORD_MINUTES_MAX)
		field_errors_add(errs, "minutes", "too_large", "服务时长应为 1 到 1440 分钟");
	if (in->started_at <= 0 || in->started_at > clock_now())
		field_errors_add(errs, "started_at", "format", "服务时间应不晚于现在");
	if (!errs->n && in->source != SOURCE_CORRECTION) {
		rc = overlaps(db, in->member_id, in->started_at, in->started_at + in->minutes * 60);
		if (rc < 0)
			return RECORD_ERROR;
		if (rc)
			return RECORD_OVERLAP;
	}
	return errs->n ? RECORD_INVALID : RECORD_OK;
}

static int add_fields(struct db *db, int64_t id, const struct record_input *in)
{
	for (size_t k = 0; k < in->nfields; k++) {
		struct db_stmt *st;
		int rc;

		if (!in->field_values[k] || !*in->field_values[k])
			continue;
		st = db_prepare(db, "INSERT INTO record_field (record_id, name, value) VALUES (?, ?, ?)");
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, in->field_names[k]);
		db_bind_text(st, 3, in->field_values[k]);
		rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

int record_add(struct db *db, const struct actor *who, const struct record_input *in, struct field_errors *errs,
	       int64_t *id)
{
	struct region community = { 0 };
	struct catalog_item item;
	struct db_stmt *st;
	int rc = check(db, in, &community, &item, errs);

	if (rc != RECORD_OK)
		return rc;
	st = db_prepare(db, "INSERT INTO record (member_id, community_code, item_id, source, activity_id, post_id, "
			    "corrects_id, started_at, minutes, place, content, state, created_by, created_at) VALUES "
			    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING id");
	db_bind_int(st, 1, in->member_id);
	db_bind_text(st, 2, community.code);
	db_bind_int(st, 3, in->item_id);
	db_bind_text(st, 4, record_sources[in->source]);
	if (in->activity_id)
		db_bind_int(st, 5, in->activity_id);
	else
		db_bind_null(st, 5);
	if (in->post_id)
		db_bind_int(st, 6, in->post_id);
	else
		db_bind_null(st, 6);
	if (in->corrects_id)
		db_bind_int(st, 7, in->corrects_id);
	else
		db_bind_null(st, 7);
	db_bind_int(st, 8, in->started_at);
	db_bind_int(st, 9, in->minutes);
	db_bind_text(st, 10, in->place ? in->place : "");
	db_bind_text(st, 11, in->content ? in->content : "");
	if (who->account_id)
		db_bind_int(st, 12, who->account_id);
	else
		db_bind_null(st, 12);
	db_bind_int(st, 13, clock_now());
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_UNIQUE)
		return RECORD_DUPLICATE;
	if (rc != DB_ROW || add_fields(db, *id, in) < 0)
		return RECORD_ERROR;
	return record_event_add(db, who, *id, community.path, "create", record_sources[in->source]) < 0 ? RECORD_ERROR
												    : RECORD_OK;
}

int record_get(struct db *db, int64_t id, struct record *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT g.id, g.member_id, g.item_id, COALESCE(g.activity_id, 0), "
					    "COALESCE(g.post_id, 0), COALESCE(g.corrects_id, 0), m.name, i.name, "
					    "i.category, g.community_code, r.path, g.source, g.started_at, g.minutes, "
					    "g.place, g.content, g.state, g.reason, g.created_at, COALESCE(g.decided_at, 0), "
					    "(SELECT COUNT(*) FROM record_photo p WHERE p.record_id = g.id) FROM record g "
					    "JOIN member m ON m.id = g.member_id JOIN catalog_item i ON i.id = g.item_id "
					    "JOIN region r ON r.code = g.community_code WHERE g.id = ?");
	int rc;

	memset(out, 0, sizeof(*out));
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		out->member_id = db_col_int(st, 1);
		out->item_id = db_col_int(st, 2);
		out->activity_id = db_col_int(st, 3);
		out->post_id = db_col_int(st, 4);
		out->corrects_id = db_col_int(st, 5);
		str_copy(out->member_name, sizeof(out->member_name), db_col_text(st, 6));
		str_copy(out->item_name, sizeof(out->item_name), db_col_text(st, 7));
		str_copy(out->category, sizeof(out->category), db_col_text(st, 8));
		str_copy(out->community_code, sizeof(out->community_code), db_col_text(st, 9));
		str_copy(out->community_path, sizeof(out->community_path), db_col_text(st, 10));
		str_copy(out->source, sizeof(out->source), db_col_text(st, 11));
		out->started_at = db_col_int(st, 12);
		out->minutes = db_col_int(st, 13);
		str_copy(out->place, sizeof(out->place), db_col_text(st, 14));
		str_copy(out->content, sizeof(out->content), db_col_text(st, 15));
		str_copy(out->state, sizeof(out->state), db_col_text(st, 16));
		str_copy(out->reason, sizeof(out->reason), db_col_text(st, 17));
		out->created_at = db_col_int(st, 18);
		out->decided_at = db_col_int(st, 19);
		out->nphotos = (size_t)db_col_int(st, 20);
	}
	db_done(st);
	return rc == DB_ROW ? RECORD_OK : rc == DB_DONE ? RECORD_NOT_FOUND : RECORD_ERROR;
}
