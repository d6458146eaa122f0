/* visit.c: visits logged, checked, made into pending service records for members; listed */
#include "domain/visit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/valid.h"
#include "domain/care_row.h"
#include "domain/record.h"

const char *const visit_hows[] = { "home", "phone", "video", "wechat", NULL };
static const char *const how_words[] = { "上门", "电话", "视频", "微信" };

static int how_index(const char *s)
{
	for (int i = 0; s && visit_hows[i]; i++)
		if (!strcmp(s, visit_hows[i]))
			return i;
	return -1;
}

static void check_text(const char *s, const char *field, size_t max, struct field_errors *errs)
{
	if (s && !valid_utf8_text(s, strlen(s)))
		field_errors_add(errs, field, "invalid", "含有无法识别的字符");
	else if (s && utf8_chars(s) > max)
		field_errors_add(errs, field, "too_long", "太长了");
}

static bool check(const struct visit_input *in, int64_t now, struct field_errors *errs)
{
	check_text(in->wellbeing, "wellbeing", VISIT_TEXT_MAX, errs);
	check_text(in->done, "done", VISIT_TEXT_MAX, errs);
	check_text(in->needs, "needs", VISIT_TEXT_MAX, errs);
	if (how_index(in->how) < 0)
		field_errors_add(errs, "how", in->how ? "enum" : "required", "应为 上门、电话、视频 或 微信");
	if (in->visited_at && (in->visited_at > now || in->visited_at < now - (int64_t)VISIT_DAYS * 86400))
		field_errors_add(errs, "visited_at", "out_of_range", "走访时间应在最近 90 天内，且不晚于现在");
	if (in->minutes < 0 || in->minutes > RECORD_MINUTES_MAX)
		field_errors_add(errs, "minutes", "out_of_range", "时长应为 1 到 1440 分钟");
	return errs->n == 0;
}

/* The default item 结对帮扶 (G09): what a visit counts as. */
static int visit_item(struct db *db, int64_t *item_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM catalog_item WHERE code = 'G09' AND region_code IS NULL");
	int rc = db_step(st);

	*item_id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW ? CARE_OK : rc == DB_DONE ? CARE_NOT_FOUND : CARE_ERROR;
}

/* The member's pending record of visit id, inside the caller's transaction. */
static int make_record(struct db *db, const struct actor *who, const struct care *c, int64_t member_id, int64_t id,
		       const struct visit_input *in, int64_t at, struct field_errors *errs, int64_t *record_id)
{
	char content[64];
	struct record_input r = { 0 };
	int rc = visit_item(db, &r.item_id);

	if (rc == CARE_NOT_FOUND) {
		field_errors_add(errs, "record", "refused", "服务项目“结对帮扶”已不提供，无法登记服务记录");
		return CARE_RECORD;
	}
	if (rc != CARE_OK)
		return rc;
	/* Neither the person nor the address: the member's unit sees the record. */
	snprintf(content, sizeof(content), "结对帮扶走访（%s）", how_words[how_index(in->how)]);
	r.member_id = member_id;
	r.source = SOURCE_VISIT;
	r.origin_id = id;
	r.started_at = at;
	r.minutes = in->minutes;
	r.place = c->community_name;
	r.content = content;
	rc = record_add(db, who, &r, errs, record_id);
	if (rc == RECORD_OK)
		return CARE_OK;
	if (rc == RECORD_ERROR)
		return CARE_ERROR;
	if (!errs->n || rc == RECORD_OVERLAP)
		field_errors_add(errs, rc == RECORD_OVERLAP ? "visited_at" : "record", rc == RECORD_OVERLAP ? "overlap" : "refused",
				 rc == RECORD_OVERLAP ? "这段时间您已有其他服务记录" : "无法为您登记服务记录");
	return CARE_RECORD;
}

int visit_add(struct db *db, const struct actor *who, int64_t care_id, int64_t member_id, const struct visit_input *in,
	      struct field_errors *errs, int64_t *id, int64_t *record_id)
{
	const int64_t now = clock_now();
	struct visit_input v = *in;
	struct care *c;
	struct db_stmt *st;
	char today[11], on[11];
	int rc;

	*record_id = 0;
	if (!v.minutes)
		v.minutes = VISIT_MINUTES_DEFAULT;
	if (!check(&v, now, errs))
		return CARE_INVALID;
	/* A visit is logged as it ends: it began minutes before. */
	if (!v.visited_at)
		v.visited_at = now - v.minutes * 60;
	clock_date(now, today);
	clock_date(v.visited_at, on);
	c = xmalloc(sizeof(*c));
	if (db_begin(db) < 0) {
		free(c);
		return CARE_ERROR;
	}
	rc = care_get(db, care_id, today, c);
	if (rc == CARE_OK && strcmp(c->state, "active"))
		rc = CARE_BAD_STATE;
	if (rc == CARE_OK) {
		st = db_prepare(db, "INSERT INTO visit (care_id, account_id, member_id, visited_at, visited_on, how, "
				    "wellbeing, done, needs, minutes, created_at, photo_consent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
				    "RETURNING id");
		db_bind_int(st, 1, care_id);
		if (who->account_id)
			db_bind_int(st, 2, who->account_id);
		else
			db_bind_null(st, 2);
		if (member_id)
			db_bind_int(st, 3, member_id);
		else
			db_bind_null(st, 3);
		db_bind_int(st, 4, v.visited_at);
		db_bind_text(st, 5, on);
		db_bind_text(st, 6, v.how);
		db_bind_text(st, 7, v.wellbeing ? v.wellbeing : "");
		db_bind_text(st, 8, v.done ? v.done : "");
		db_bind_text(st, 9, v.needs ? v.needs : "");
		db_bind_int(st, 10, v.minutes);
		db_bind_int(st, 11, now);
		db_bind_int(st, 12, v.photo_consent ? 1 : 0);
		rc = db_step(st);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
		rc = rc == DB_ROW ? CARE_OK : CARE_ERROR;
	}
	if (rc == CARE_OK && member_id)
		rc = make_record(db, who, c, member_id, *id, &v, v.visited_at, errs, record_id);
	if (rc == CARE_OK && *record_id) {
		st = db_prepare(db, "UPDATE visit SET record_id = ? WHERE id = ?");
		db_bind_int(st, 1, *record_id);
		db_bind_int(st, 2, *id);
		rc = db_step(st) == DB_DONE ? CARE_OK : CARE_ERROR;
		db_done(st);
	}
	if (rc == CARE_OK)
		rc = care_audit(db, who, "visit.create", "visit", *id, c->community_path, "");
	free(c);
	if ((rc = care_finish(db, rc)) != CARE_OK)
		*record_id = 0;
	return rc;
}

#define VISIT_COLUMNS                                                                                          \
	"v.id, v.care_id, COALESCE(v.account_id, 0), COALESCE(v.member_id, 0), COALESCE(v.record_id, 0), "       \
	"COALESCE(m.name, a.name, ''), v.visited_at, v.visited_on, v.how, v.wellbeing, v.done, v.needs, v.minutes, " \
	"v.created_at, v.photo_consent FROM visit v LEFT JOIN member m ON m.id = v.member_id LEFT JOIN account a ON a.id = v.account_id "

static void row(struct db_stmt *st, struct visit *v)
{
	memset(v, 0, sizeof(*v));
	v->id = db_col_int(st, 0);
	v->care_id = db_col_int(st, 1);
	v->account_id = db_col_int(st, 2);
	v->member_id = db_col_int(st, 3);
	v->record_id = db_col_int(st, 4);
	str_copy(v->by_name, sizeof(v->by_name), db_col_text(st, 5));
	v->visited_at = db_col_int(st, 6);
	str_copy(v->visited_on, sizeof(v->visited_on), db_col_text(st, 7));
	str_copy(v->how, sizeof(v->how), db_col_text(st, 8));
	str_copy(v->wellbeing, sizeof(v->wellbeing), db_col_text(st, 9));
	str_copy(v->done, sizeof(v->done), db_col_text(st, 10));
	str_copy(v->needs, sizeof(v->needs), db_col_text(st, 11));
	v->minutes = db_col_int(st, 12);
	v->created_at = db_col_int(st, 13);
	v->photo_consent = db_col_int(st, 14) != 0;
}

int visit_get(struct db *db, int64_t id, struct visit *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " VISIT_COLUMNS "WHERE v.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		row(st, out);
	db_done(st);
	return rc == DB_ROW ? CARE_OK : rc == DB_DONE ? CARE_NOT_FOUND : CARE_ERROR;
}

int visit_list(struct db *db, int64_t care_id, size_t max, struct visit **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " VISIT_COLUMNS "WHERE v.care_id = ? ORDER BY v.visited_at DESC, "
					    "v.id DESC LIMIT ?");
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, care_id);
	db_bind_int(st, 2, (int64_t)max);
	while ((rc = db_step(st)) == DB_ROW) {
		*items = xrealloc(*items, (*n + 1) * sizeof(**items));
		row(st, &(*items)[(*n)++]);
	}
	db_done(st);
	if (rc == DB_DONE)
		return CARE_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return CARE_ERROR;
}
