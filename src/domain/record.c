/* record.c: service records: added, checked, confirmed (盖章) or rejected, withdrawn; every change has an event and an audit entry */
#include "domain/record.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/earning.h"
#include "domain/photo.h"
#include "domain/record_row.h"
#include "domain/registration.h"

const char *const record_sources[] = { "activity", "post",     "self",  "staff", "correction", "need",
					"wish",	    "campaign", "visit", "duty",  "case", NULL };
const char *const record_states[] = { "pending", "confirmed", "rejected", "withdrawn", NULL };
const char *const record_outcomes[] = { "confirmed", "not_found", "already_decided", "own_record" };

bool record_may(const char *state, const char *source, enum record_change change)
{
	bool correction = !strcmp(source, "correction");

	if (!strcmp(state, "pending")) {
		switch (change) {
		case CHANGE_MINUTES:
		case CHANGE_CONFIRM:
		case CHANGE_REJECT:
			return true;
		case CHANGE_WITHDRAW:
			return !strcmp(source, "self");
		case CHANGE_PHOTO:
			return !correction;
		default:
			return false;
		}
	}
	if (!strcmp(state, "confirmed"))
		return !correction && (change == CHANGE_CORRECT || change == CHANGE_REQUEST);
	return false;
}

int record_correction_diff(int64_t total, int64_t new_total, int64_t *diff)
{
	if (new_total < 0 || new_total > RECORD_MINUTES_MAX || new_total == total)
		return RECORD_INVALID;
	*diff = new_total - total;
	return RECORD_OK;
}

int record_event_add(struct db *db, const struct actor *who, int64_t id, const char *path, const char *event,
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

int record_finish(struct db *db, int rc)
{
	if (rc != RECORD_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? RECORD_ERROR : RECORD_OK;
}

/*
 * The community whose staff confirm the record: a correction's is the record's
 * it corrects; then the activity's or the post's; else where the member reported in.
 */
static int confirming_community(struct db *db, const struct record_input *in, struct region *out)
{
	struct db_stmt *st;
	char code[24] = "", state[16] = "";
	int rc;

	if (in->corrects_id || in->activity_id || in->post_id) {
		st = db_prepare(db, in->corrects_id	 ? "SELECT community_code FROM record WHERE id = ?"
				    : in->activity_id ? "SELECT community_code FROM activity WHERE id = ?"
						      : "SELECT community_code FROM post WHERE id = ?");
		db_bind_int(st, 1, in->corrects_id ? in->corrects_id : in->activity_id ? in->activity_id : in->post_id);
		rc = db_step(st);
		if (rc == DB_ROW)
			str_copy(code, sizeof(code), db_col_text(st, 0));
		db_done(st);
		if (rc != DB_ROW)
			return rc == DB_DONE ? RECORD_NOT_FOUND : RECORD_ERROR;
	} else {
		rc = registration_current_community(db, in->member_id, state, code);
		if (rc == REG_ERROR)
			return RECORD_ERROR;
		if (rc != REG_OK || strcmp(state, "approved"))
			return RECORD_NOT_FOUND;
	}
	rc = region_get(db, code, out);
	return rc == REGION_OK ? RECORD_OK : rc == REGION_NOT_FOUND ? RECORD_NOT_FOUND : RECORD_ERROR;
}

int record_overlaps(struct db *db, int64_t member_id, int64_t from, int64_t to, int64_t except_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM record g WHERE g.member_id = ? AND g.started_at < ? AND "
					    "g.started_at > ? AND g.state IN ('pending', 'confirmed') AND "
					    "g.source <> 'correction' AND g.id <> ? AND "
					    "g.started_at + " RECORD_TOTAL_SQL " * 60 > ? LIMIT 1");
	int rc;

	db_bind_int(st, 1, member_id);
	db_bind_int(st, 2, to);
	/* The index's range: no service is longer than a day, so none starting earlier reaches in. */
	db_bind_int(st, 3, from - RECORD_MINUTES_MAX * 60);
	db_bind_int(st, 4, except_id);
	db_bind_int(st, 5, from);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static void minutes_error(struct field_errors *errs, int64_t minutes, bool correction)
{
	if (correction)
		field_errors_add(errs, "minutes", minutes ? "too_large" : "too_small", "更正的时长差应在 ±1440 分钟以内且不为 0");
	else
		field_errors_add(errs, "minutes", minutes < 1 ? "too_small" : "too_large", "服务时长应为 1 到 1440 分钟");
}

static int check(struct db *db, const struct record_input *in, struct region *community, struct catalog_item *item,
		 struct field_errors *errs)
{
	bool correction = in->source == SOURCE_CORRECTION;
	int rc = confirming_community(db, in, community);

	if (rc == RECORD_NOT_FOUND)
		field_errors_add(errs, correction ? "corrects_id" : in->activity_id ? "activity_id" : in->post_id ? "post_id" : "member_id",
				 "not_found", correction || in->activity_id || in->post_id ? "所指的记录、活动或岗位不存在"
											  : "该党员还没有报到成功的社区");
	else if (rc != RECORD_OK)
		return RECORD_ERROR;
	rc = catalog_item_get(db, in->item_id, item);
	if (rc == CATALOG_ERROR)
		return RECORD_ERROR;
	/* A correction carries the item of the record it corrects, retired since or not, and no fields. */
	if (rc != CATALOG_OK || (!correction && community->code[0] && !catalog_offered(item, community->path)))
		field_errors_add(errs, "item_id", "not_found", "应为本社区提供的服务项目");
	else if (!correction && community->code[0])
		catalog_check_values(item, in->field_names, in->field_values, in->nfields, errs);
	if (correction ? in->minutes == 0 || in->minutes < -RECORD_MINUTES_MAX || in->minutes > RECORD_MINUTES_MAX
		       : in->minutes < 1 || in->minutes > RECORD_MINUTES_MAX)
		minutes_error(errs, in->minutes, correction);
	if (in->started_at <= 0 || in->started_at > clock_now())
		field_errors_add(errs, "started_at", "format", "服务时间应不晚于现在");
	if (!errs->n && !correction) {
		rc = record_overlaps(db, in->member_id, in->started_at, in->started_at + in->minutes * 60, 0);
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

static void bind_id_or_null(struct db_stmt *st, int idx, int64_t id)
{
	if (id)
		db_bind_int(st, idx, id);
	else
		db_bind_null(st, idx);
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
			    "corrects_id, origin_id, started_at, minutes, place, content, state, reason, created_by, created_at) "
			    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING id");
	db_bind_int(st, 1, in->member_id);
	db_bind_text(st, 2, community.code);
	db_bind_int(st, 3, in->item_id);
	db_bind_text(st, 4, record_sources[in->source]);
	bind_id_or_null(st, 5, in->activity_id);
	bind_id_or_null(st, 6, in->post_id);
	bind_id_or_null(st, 7, in->corrects_id);
	bind_id_or_null(st, 8, in->origin_id);
	db_bind_int(st, 9, in->started_at);
	db_bind_int(st, 10, in->minutes);
	db_bind_text(st, 11, in->place ? in->place : "");
	db_bind_text(st, 12, in->content ? in->content : "");
	db_bind_text(st, 13, in->reason ? in->reason : "");
	bind_id_or_null(st, 14, who->account_id);
	db_bind_int(st, 15, clock_now());
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

/* record_set_state, the credit within b (NULL: on its own). */
static int set_state(struct db *db, const struct actor *who, int64_t id, const char *to, const char *reason,
		     struct earning_batch *b)
{
	struct db_stmt *st = db_prepare(db, "UPDATE record SET state = ?, reason = COALESCE(?, reason), "
					    "decided_by = ?, decided_at = ? WHERE id = ? AND state = 'pending'");
	int rc;

	db_bind_text(st, 1, to);
	db_bind_text(st, 2, reason);
	bind_id_or_null(st, 3, who->account_id);
	db_bind_int(st, 4, clock_now());
	db_bind_int(st, 5, id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return RECORD_ERROR;
	if (db_changes(db) != 1)
		return RECORD_BAD_STATE;
	/* What the service earns lands with its confirmation. */
	return strcmp(to, "confirmed") || earning_credit_in(db, who, id, b) == EARNING_OK ? RECORD_OK : RECORD_ERROR;
}

int record_set_state(struct db *db, const struct actor *who, int64_t id, const char *to, const char *reason)
{
	return set_state(db, who, id, to, reason, NULL);
}

/* Whether who is the member the record is about: staff never stamp their own service. */
static bool own(const struct actor *who, int64_t member_account_id)
{
	return who->account_id && member_account_id == who->account_id;
}

/* The few columns a decision needs of a record (record_get reads many more). */
struct brief {
	char state[12], source[12];
	char path[PATH_MAX_LEN];
	int64_t account_id;
};

static int brief_get(struct db *db, int64_t id, struct brief *b)
{
	struct db_stmt *st = db_prepare(db, "SELECT g.state, g.source, r.path, COALESCE(m.account_id, 0) FROM record g "
					    "JOIN region r ON r.code = g.community_code JOIN member m ON m.id = g.member_id "
					    "WHERE g.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(b->state, sizeof(b->state), db_col_text(st, 0));
		str_copy(b->source, sizeof(b->source), db_col_text(st, 1));
		str_copy(b->path, sizeof(b->path), db_col_text(st, 2));
		b->account_id = db_col_int(st, 3);
	}
	db_done(st);
	return rc == DB_ROW ? RECORD_OK : rc == DB_DONE ? RECORD_NOT_FOUND : RECORD_ERROR;
}

/* pending → confirmed or rejected inside the caller's transaction; a confirmation's credit within b (NULL: none). */
static int decide_in(struct db *db, const struct actor *who, int64_t id, bool confirm, const char *reason,
		     struct earning_batch *b)
{
	struct brief r;
	int rc = brief_get(db, id, &r);

	if (rc != RECORD_OK)
		return rc;
	if (!record_may(r.state, r.source, confirm ? CHANGE_CONFIRM : CHANGE_REJECT))
		return RECORD_BAD_STATE;
	if (own(who, r.account_id))
		return RECORD_OWN;
	rc = set_state(db, who, id, confirm ? "confirmed" : "rejected", confirm ? NULL : reason, b);
	if (rc == RECORD_OK &&
	    record_event_add(db, who, id, r.path, confirm ? "confirm" : "reject", confirm ? NULL : reason) < 0)
		rc = RECORD_ERROR;
	return rc;
}

int record_create(struct db *db, const struct actor *who, const struct record_input *in, bool confirm,
		  struct field_errors *errs, int64_t *id)
{
	int64_t now = clock_now();
	int rc;

	if (in->started_at > 0 && in->minutes > 0 && in->minutes <= RECORD_MINUTES_MAX &&
	    in->started_at <= now && in->started_at + in->minutes * 60 > now)
		field_errors_add(errs, "minutes", "too_large", "服务结束时间应不晚于现在");
	if (in->source == SOURCE_SELF && in->started_at > 0 && in->started_at < now - RECORD_SELF_DAYS * 86400)
		field_errors_add(errs, "started_at", "too_small", "只能记录 90 天以内的服务，更早的请联系社区补录");
	if (db_begin(db) < 0)
		return RECORD_ERROR;
	rc = record_add(db, who, in, errs, id);
	if (rc == RECORD_OK && confirm)
		rc = decide_in(db, who, *id, true, NULL, NULL);
	return record_finish(db, rc);
}

int record_confirm_in(struct db *db, const struct actor *who, int64_t id, struct earning_batch *b)
{
	return decide_in(db, who, id, true, NULL, b);
}

int record_decide(struct db *db, const struct actor *who, int64_t id, bool confirm, const char *reason)
{
	if (db_begin(db) < 0)
		return RECORD_ERROR;
	return record_finish(db, decide_in(db, who, id, confirm, reason, NULL));
}

int record_set_minutes(struct db *db, const struct actor *who, int64_t id, int64_t minutes, const char *reason,
		       struct field_errors *errs)
{
	struct db_stmt *st;
	struct record r;
	char note[TEXT_BYTES(RECORD_REASON_MAX) + 64];
	int rc;

	if (db_begin(db) < 0)
		return RECORD_ERROR;
	rc = record_get(db, id, &r);
	if (rc == RECORD_OK && !record_may(r.state, r.source, CHANGE_MINUTES))
		rc = RECORD_BAD_STATE;
	if (rc == RECORD_OK && own(who, r.member_account_id))
		rc = RECORD_OWN;
	if (rc == RECORD_OK && (minutes < 1 || minutes > RECORD_MINUTES_MAX || minutes == r.minutes)) {
		field_errors_add(errs, "minutes", minutes == r.minutes ? "same" : minutes < 1 ? "too_small" : "too_large",
				 minutes == r.minutes ? "与原时长相同" : "服务时长应为 1 到 1440 分钟");
		rc = RECORD_INVALID;
	}
	if (rc == RECORD_OK && minutes > r.minutes) {
		int o = record_overlaps(db, r.member_id, r.started_at, r.started_at + minutes * 60, r.id);

		rc = o < 0 ? RECORD_ERROR : o ? RECORD_OVERLAP : RECORD_OK;
	}
	if (rc != RECORD_OK)
		return record_finish(db, rc);
	st = db_prepare(db, "UPDATE record SET minutes = ?, reason = ? WHERE id = ? AND state = 'pending'");
	db_bind_int(st, 1, minutes);
	db_bind_text(st, 2, reason);
	db_bind_int(st, 3, id);
	rc = db_step(st) == DB_DONE ? RECORD_OK : RECORD_ERROR;
	db_done(st);
	snprintf(note, sizeof(note), "%" PRId64 " → %" PRId64 " 分钟：%s", r.minutes, minutes, reason);
	if (rc == RECORD_OK && record_event_add(db, who, id, r.community_path, "minutes", note) < 0)
		rc = RECORD_ERROR;
	return record_finish(db, rc);
}

int record_confirm_many(struct db *db, const struct actor *who, const struct principal *p, const int64_t *ids,
			size_t n, enum record_outcome *outcomes)
{
	/* Priced together: rules and issue accounts looked up once, the tiers' counts written once. */
	struct earning_batch batch = { 0 };
	int rc = RECORD_OK;

	if (db_begin(db) < 0)
		return RECORD_ERROR;
	clock_pin(clock_now()); /* one instant for the call: every row stamped alike, the clock read once */
	for (size_t i = 0; i < n && rc == RECORD_OK; i++) {
		struct brief b;
		struct target t;

		outcomes[i] = OUTCOME_NOT_FOUND;
		rc = brief_get(db, ids[i], &b);
		if (rc == RECORD_NOT_FOUND) {
			rc = RECORD_OK;
			continue;
		}
		t = (struct target){ b.path, 0 };
		if (rc != RECORD_OK || !authz_allows(p, ACT_RECORD_CONFIRM, &t))
			continue;
		if (!record_may(b.state, b.source, CHANGE_CONFIRM)) {
			outcomes[i] = OUTCOME_DECIDED;
			continue;
		}
		if (own(who, b.account_id)) {
			outcomes[i] = OUTCOME_OWN;
			continue;
		}
		rc = set_state(db, who, ids[i], "confirmed", NULL, &batch);
		/* The same id twice in one call: the second finds it confirmed. */
		if (rc == RECORD_BAD_STATE) {
			outcomes[i] = OUTCOME_DECIDED;
			rc = RECORD_OK;
			continue;
		}
		if (rc == RECORD_OK && record_event_add(db, who, ids[i], b.path, "confirm", NULL) < 0)
			rc = RECORD_ERROR;
		if (rc == RECORD_OK)
			outcomes[i] = OUTCOME_CONFIRMED;
	}
	if (rc == RECORD_OK && earning_batch_flush(db, &batch) != EARNING_OK)
		rc = RECORD_ERROR;
	earning_batch_release(&batch);
	rc = record_finish(db, rc);
	clock_unpin();
	return rc;
}

int record_pending_of_activity(struct db *db, int64_t activity_id, size_t max, int64_t **ids, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM record WHERE activity_id = ? AND state = 'pending' "
					    "ORDER BY id LIMIT ?");
	int rc;

	*ids = xcalloc(max ? max : 1, sizeof(**ids));
	*n = 0;
	db_bind_int(st, 1, activity_id);
	db_bind_int(st, 2, (int64_t)max);
	while ((rc = db_step(st)) == DB_ROW && *n < max)
		(*ids)[(*n)++] = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_DONE || rc == DB_ROW)
		return RECORD_OK;
	free(*ids);
	*ids = NULL;
	*n = 0;
	return RECORD_ERROR;
}

int record_withdraw(struct db *db, const struct actor *who, int64_t id)
{
	struct db_stmt *st;
	struct record r;
	char **files = NULL;
	size_t nfiles = 0;
	int rc;

	if (db_begin(db) < 0)
		return RECORD_ERROR;
	rc = record_get(db, id, &r);
	if (rc == RECORD_OK && !record_may(r.state, r.source, CHANGE_WITHDRAW))
		rc = RECORD_BAD_STATE;
	if (rc == RECORD_OK && photo_rows_delete(db, id, &files, &nfiles) < 0)
		rc = RECORD_ERROR;
	if (rc == RECORD_OK) {
		st = db_prepare(db, "UPDATE record SET state = 'withdrawn', decided_at = ? WHERE id = ? AND state = 'pending'");
		db_bind_int(st, 1, clock_now());
		db_bind_int(st, 2, id);
		rc = db_step(st) == DB_DONE && db_changes(db) == 1 ? RECORD_OK : RECORD_ERROR;
		db_done(st);
	}
	if (rc == RECORD_OK && record_event_add(db, who, id, r.community_path, "withdraw", NULL) < 0)
		rc = RECORD_ERROR;
	rc = record_finish(db, rc);
	/* The files go once the rows are gone for good; a failure before leaves both. */
	if (rc == RECORD_OK)
		photo_unlink(db, files, nfiles);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	return rc;
}

void record_read_row(struct db_stmt *st, struct record *out)
{
	memset(out, 0, sizeof(*out));
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
	out->member_account_id = db_col_int(st, 21);
	out->member_unit_id = db_col_int(st, 22);
	str_copy(out->item_code, sizeof(out->item_code), db_col_text(st, 23));
	str_copy(out->community_name, sizeof(out->community_name), db_col_text(st, 24));
	str_copy(out->activity_title, sizeof(out->activity_title), db_col_text(st, 25));
	str_copy(out->post_name, sizeof(out->post_name), db_col_text(st, 26));
	out->total_minutes = db_col_int(st, 27);
	out->ncorrections = db_col_int(st, 28);
	out->open_request_id = db_col_int(st, 29);
	out->origin_id = db_col_int(st, 30);
}

int record_get(struct db *db, int64_t id, struct record *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " RECORD_COLUMNS RECORD_FROM " WHERE g.id = ?");
	int rc;

	memset(out, 0, sizeof(*out));
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		record_read_row(st, out);
	db_done(st);
	return rc == DB_ROW ? RECORD_OK : rc == DB_DONE ? RECORD_NOT_FOUND : RECORD_ERROR;
}
