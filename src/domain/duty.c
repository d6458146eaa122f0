/* duty.c: duty rosters: posts, shifts by week pattern, sign-up and assignment, check-in, closing into records, units' rotas */
#include "domain/duty.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/valid.h"
#include "domain/agreement.h"
#include "domain/catalog.h"
#include "domain/record.h"

const char *const duty_post_states[] = { "open", "closed", NULL };
const char *const duty_assignment_states[] = { "signed", "assigned", "checked_in", "worked", "no_show", "cancelled", NULL };

/* A place on a shift that is taken: everything but a cancelled one. */
#define LIVE "a.state <> 'cancelled'"

static int finish(struct db *db, int rc)
{
	if (rc == DUTY_OK && db_commit(db) < 0)
		rc = DUTY_ERROR;
	if (rc != DUTY_OK)
		db_rollback(db);
	return rc;
}

static int audit(struct db *db, const struct actor *who, const char *action, const char *type, int64_t id,
		 const char *path)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append(db, who, action, type, idt, path, "ok") < 0 ? DUTY_ERROR : DUTY_OK;
}

static bool one_of(const char *s, const char *const *choices)
{
	for (size_t i = 0; s && choices[i]; i++)
		if (!strcmp(s, choices[i]))
			return true;
	return false;
}

static void check_text(const char *s, const char *field, size_t min, size_t max, struct field_errors *errs)
{
	size_t n = s ? utf8_chars(s) : 0;

	if (s && !valid_utf8_text(s, strlen(s)))
		field_errors_add(errs, field, "invalid", "含有无法识别的字符");
	else if (n < min)
		field_errors_add(errs, field, "required", "不能为空");
	else if (n > max)
		field_errors_add(errs, field, "too_long", "太长了");
}

/* --- members ------------------------------------------------------------------------------------- */

#define MEMBER_COLUMNS "id, name, COALESCE(community_code, ''), CASE WHEN state = 'approved' THEN 1 ELSE 0 END, COALESCE(unit_id, 0)"

static int member_row(struct db_stmt *st, struct duty_member *out)
{
	int rc = db_step(st);

	memset(out, 0, sizeof(*out));
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		str_copy(out->name, sizeof(out->name), db_col_text(st, 1));
		str_copy(out->community_code, sizeof(out->community_code), db_col_text(st, 2));
		out->approved = db_col_int(st, 3) != 0 && out->community_code[0];
		out->unit_id = db_col_int(st, 4);
	}
	db_done(st);
	return rc == DB_ROW ? DUTY_OK : rc == DB_DONE ? DUTY_NOT_FOUND : DUTY_ERROR;
}

int duty_member_of_account(struct db *db, int64_t account_id, struct duty_member *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " MEMBER_COLUMNS " FROM member WHERE account_id = ?");

	db_bind_int(st, 1, account_id);
	return member_row(st, out);
}

int duty_member_get(struct db *db, int64_t member_id, struct duty_member *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " MEMBER_COLUMNS " FROM member WHERE id = ?");

	db_bind_int(st, 1, member_id);
	return member_row(st, out);
}

int duty_member_by_phone(struct db *db, const char *community_code, const char *phone, struct duty_member *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " MEMBER_COLUMNS " FROM member WHERE phone = ? AND community_code = ? "
					    "AND state = 'approved' ORDER BY id LIMIT 1");

	db_bind_text(st, 1, phone);
	db_bind_text(st, 2, community_code);
	return member_row(st, out);
}

/* --- posts ----------------------------------------------------------------------------------------- */

#define POST_COLUMNS                                                                                      \
	"p.id, p.community_code, c.name, c.path, p.name, p.place, p.item_id, i.name, p.state, p.created_at, " \
	"p.updated_at"
#define POST_FROM " FROM duty_post p JOIN region c ON c.code = p.community_code JOIN catalog_item i ON i.id = p.item_id "

static void post_row(struct db_stmt *st, int k, struct duty_post *p)
{
	memset(p, 0, sizeof(*p));
	p->id = db_col_int(st, k);
	str_copy(p->community_code, sizeof(p->community_code), db_col_text(st, k + 1));
	str_copy(p->community_name, sizeof(p->community_name), db_col_text(st, k + 2));
	str_copy(p->community_path, sizeof(p->community_path), db_col_text(st, k + 3));
	str_copy(p->name, sizeof(p->name), db_col_text(st, k + 4));
	str_copy(p->place, sizeof(p->place), db_col_text(st, k + 5));
	p->item_id = db_col_int(st, k + 6);
	str_copy(p->item_name, sizeof(p->item_name), db_col_text(st, k + 7));
	str_copy(p->state, sizeof(p->state), db_col_text(st, k + 8));
	p->created_at = db_col_int(st, k + 9);
	p->updated_at = db_col_int(st, k + 10);
}

int duty_post_get(struct db *db, int64_t id, struct duty_post *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " POST_COLUMNS POST_FROM "WHERE p.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		post_row(st, 0, out);
	db_done(st);
	return rc == DB_ROW ? DUTY_OK : rc == DB_DONE ? DUTY_NOT_FOUND : DUTY_ERROR;
}

/* Checks the input; the item must be offered in the community and ask no extra field a shift cannot fill. */
static int post_check(struct db *db, const char *community_path, const struct duty_post_input *in,
		      struct field_errors *errs)
{
	struct catalog_item item;
	size_t before = errs->n;
	int rc;

	check_text(in->name, "name", 1, DUTY_NAME_MAX, errs);
	check_text(in->place, "place", 0, DUTY_PLACE_MAX, errs);
	if (in->state && !one_of(in->state, duty_post_states))
		field_errors_add(errs, "state", "invalid", "应为 open 或 closed");
	rc = in->item_id > 0 ? catalog_item_get(db, in->item_id, &item) : CATALOG_NOT_FOUND;
	if (rc == CATALOG_OK && !catalog_offered(&item, community_path))
		rc = CATALOG_NOT_FOUND;
	if (rc == CATALOG_OK)
		for (size_t i = 0; i < item.nfields; i++)
			if (item.fields[i].required) {
				field_errors_add(errs, "item_id", "has_fields", "该服务项目要求填写附加信息，不能用于值守");
				break;
			}
	if (rc == CATALOG_NOT_FOUND)
		field_errors_add(errs, "item_id", "not_found", "应为本社区可用的服务项目");
	else if (rc != CATALOG_OK)
		return DUTY_ERROR;
	return errs->n == before ? DUTY_OK : DUTY_INVALID;
}

int duty_post_add(struct db *db, const struct actor *who, const char *community_code, const struct duty_post_input *in,
		  struct field_errors *errs, int64_t *id)
{
	struct region c;
	struct db_stmt *st;
	int64_t now = clock_now();
	int rc;

	if (db_begin(db) < 0)
		return DUTY_ERROR;
	rc = region_get(db, community_code, &c);
	rc = rc == REGION_OK ? (strcmp(c.level, "community") ? DUTY_NOT_FOUND : DUTY_OK)
			     : rc == REGION_NOT_FOUND ? DUTY_NOT_FOUND : DUTY_ERROR;
	if (rc == DUTY_OK)
		rc = post_check(db, c.path, in, errs);
	if (rc == DUTY_OK) {
		st = db_prepare(db, "INSERT INTO duty_post (community_code, name, place, item_id, state, created_at, "
				    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
		db_bind_text(st, 1, c.code);
		db_bind_text(st, 2, in->name);
		db_bind_text(st, 3, in->place ? in->place : "");
		db_bind_int(st, 4, in->item_id);
		db_bind_text(st, 5, in->state ? in->state : "open");
		db_bind_int(st, 6, now);
		db_bind_int(st, 7, now);
		rc = db_step(st) == DB_ROW ? DUTY_OK : DUTY_ERROR;
		if (rc == DUTY_OK)
			*id = db_col_int(st, 0);
		db_done(st);
	}
	if (rc == DUTY_OK)
		rc = audit(db, who, "duty.post_create", "duty_post", *id, c.path);
	return finish(db, rc);
}

int duty_post_update(struct db *db, const struct actor *who, int64_t id, const struct duty_post_input *in,
		     struct field_errors *errs)
{
	struct duty_post p;
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return DUTY_ERROR;
	rc = duty_post_get(db, id, &p);
	if (rc == DUTY_OK)
		rc = post_check(db, p.community_path, in, errs);
	if (rc == DUTY_OK) {
		st = db_prepare(db, "UPDATE duty_post SET name = ?, place = ?, item_id = ?, state = ?, updated_at = ? "
				    "WHERE id = ?");
		db_bind_text(st, 1, in->name);
		db_bind_text(st, 2, in->place ? in->place : "");
		db_bind_int(st, 3, in->item_id);
		db_bind_text(st, 4, in->state ? in->state : p.state);
		db_bind_int(st, 5, clock_now());
		db_bind_int(st, 6, id);
		rc = db_step(st) == DB_DONE ? DUTY_OK : DUTY_ERROR;
		db_done(st);
	}
	if (rc == DUTY_OK)
		rc = audit(db, who, "duty.post_update", "duty_post", id, p.community_path);
	return finish(db, rc);
}

/* --- shifts ------------------------------------------------------------------------------------------ */

static bool pattern_check(const struct duty_pattern *p, struct field_errors *errs)
{
	int64_t from, to;
	size_t before = errs->n;

	if (!duty_day_start(p->from, &from))
		field_errors_add(errs, "from", "invalid", "应为日期 YYYY-MM-DD");
	if (!duty_day_start(p->to, &to))
		field_errors_add(errs, "to", "invalid", "应为日期 YYYY-MM-DD");
	else if (errs->n == before && to < from)
		field_errors_add(errs, "to", "before_from", "结束日期不能早于开始日期");
	else if (errs->n == before && (to - from) / 86400 >= DUTY_PATTERN_DAYS)
		field_errors_add(errs, "to", "too_long", "一次最多排 62 天");
	if (!p->weekdays)
		field_errors_add(errs, "weekdays", "required", "至少选一天");
	if (p->start < 0 || p->start >= DUTY_DAY_MIN)
		field_errors_add(errs, "start", "out_of_range", "开始时间应在 0 到 1439 分钟之间");
	else if (p->end <= p->start || p->end > p->start + DUTY_DAY_MIN)
		field_errors_add(errs, "end", "out_of_range", "结束应晚于开始，且一班不超过 24 小时");
	if (p->places < 1 || p->places > DUTY_PLACES_MAX)
		field_errors_add(errs, "places", "out_of_range", "人数应在 1 到 50 之间");
	return errs->n == before;
}

int duty_shifts_create(struct db *db, const struct actor *who, int64_t post_id, const struct duty_pattern *p,
		       struct field_errors *errs, size_t *added, size_t *kept)
{
	struct duty_post post;
	int64_t now = clock_now();
	char day[11];
	int rc;

	*added = *kept = 0;
	if (!pattern_check(p, errs))
		return DUTY_INVALID;
	if (db_begin(db) < 0)
		return DUTY_ERROR;
	rc = duty_post_get(db, post_id, &post);
	if (rc == DUTY_OK && strcmp(post.state, "open"))
		rc = DUTY_STATE;
	str_copy(day, sizeof(day), p->from);
	for (int i = 0; rc == DUTY_OK && i < DUTY_PATTERN_DAYS && strcmp(day, p->to) <= 0; i++) {
		int64_t start;

		if ((p->weekdays >> duty_weekday(day)) & 1u && duty_day_start(day, &start)) {
			struct db_stmt *st = db_prepare(db, "INSERT INTO duty_shift (post_id, day, start_min, end_min, "
							    "places, starts_at, ends_at, created_at) VALUES (?, ?, ?, ?, "
							    "?, ?, ?, ?) ON CONFLICT DO NOTHING");

			db_bind_int(st, 1, post_id);
			db_bind_text(st, 2, day);
			db_bind_int(st, 3, p->start);
			db_bind_int(st, 4, p->end);
			db_bind_int(st, 5, p->places);
			db_bind_int(st, 6, start + p->start * 60);
			db_bind_int(st, 7, start + p->end * 60);
			db_bind_int(st, 8, now);
			rc = db_step(st) == DB_DONE ? DUTY_OK : DUTY_ERROR;
			db_done(st);
			if (rc == DUTY_OK && db_changes(db) > 0)
				(*added)++;
			else if (rc == DUTY_OK)
				(*kept)++;
		}
		char next[11];
		duty_day_add(day, 1, next);
		memcpy(day, next, sizeof(day));
	}
	if (rc == DUTY_OK)
		rc = audit(db, who, "duty.shifts_create", "duty_post", post_id, post.community_path);
	return finish(db, rc);
}

#define SHIFT_COLUMNS                                                                                          \
	"s.id, s.post_id, p.name, p.place, p.community_code, c.path, s.day, s.start_min, s.end_min, s.places, "     \
	"(SELECT COUNT(*) FROM duty_assignment a WHERE a.shift_id = s.id AND " LIVE "), s.starts_at, s.ends_at, " \
	"s.closed_at, p.item_id, p.state"
#define SHIFT_FROM " FROM duty_shift s JOIN duty_post p ON p.id = s.post_id JOIN region c ON c.code = p.community_code "
enum { SHIFT_NCOLS = 16 };

static void shift_row(struct db_stmt *st, int k, struct duty_shift *s)
{
	memset(s, 0, sizeof(*s));
	s->id = db_col_int(st, k);
	s->post_id = db_col_int(st, k + 1);
	str_copy(s->post_name, sizeof(s->post_name), db_col_text(st, k + 2));
	str_copy(s->place, sizeof(s->place), db_col_text(st, k + 3));
	str_copy(s->community_code, sizeof(s->community_code), db_col_text(st, k + 4));
	str_copy(s->community_path, sizeof(s->community_path), db_col_text(st, k + 5));
	str_copy(s->day, sizeof(s->day), db_col_text(st, k + 6));
	s->start_min = db_col_int(st, k + 7);
	s->end_min = db_col_int(st, k + 8);
	s->places = db_col_int(st, k + 9);
	s->filled = db_col_int(st, k + 10);
	s->starts_at = db_col_int(st, k + 11);
	s->ends_at = db_col_int(st, k + 12);
	s->closed_at = db_col_int(st, k + 13);
	s->item_id = db_col_int(st, k + 14);
	str_copy(s->post_state, sizeof(s->post_state), db_col_text(st, k + 15));
}

int duty_shift_get(struct db *db, int64_t id, struct duty_shift *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " SHIFT_COLUMNS SHIFT_FROM "WHERE s.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		shift_row(st, 0, out);
	db_done(st);
	return rc == DB_ROW ? DUTY_OK : rc == DB_DONE ? DUTY_NOT_FOUND : DUTY_ERROR;
}

#define ASSIGNMENT_COLUMNS                                                                                     \
	"a.id, a.shift_id, a.member_id, m.name, COALESCE(m.unit_id, 0), a.state, a.checked_in_at, "                \
	"COALESCE(a.record_id, 0), COALESCE(r.state, ''), a.created_at, a.updated_at"
#define ASSIGNMENT_FROM                                                                                        \
	" FROM duty_assignment a JOIN member m ON m.id = a.member_id LEFT JOIN record r ON r.id = a.record_id "
enum { ASSIGNMENT_NCOLS = 11 };

static void assignment_row(struct db_stmt *st, int k, struct duty_assignment *a)
{
	memset(a, 0, sizeof(*a));
	a->id = db_col_int(st, k);
	a->shift_id = db_col_int(st, k + 1);
	a->member_id = db_col_int(st, k + 2);
	str_copy(a->member_name, sizeof(a->member_name), db_col_text(st, k + 3));
	a->unit_id = db_col_int(st, k + 4);
	str_copy(a->state, sizeof(a->state), db_col_text(st, k + 5));
	a->checked_in_at = db_col_int(st, k + 6);
	a->record_id = db_col_int(st, k + 7);
	str_copy(a->record_state, sizeof(a->record_state), db_col_text(st, k + 8));
	a->created_at = db_col_int(st, k + 9);
	a->updated_at = db_col_int(st, k + 10);
}

int duty_assignment_get(struct db *db, int64_t id, struct duty_assignment *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ASSIGNMENT_COLUMNS ASSIGNMENT_FROM "WHERE a.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		assignment_row(st, 0, out);
	db_done(st);
	return rc == DB_ROW ? DUTY_OK : rc == DB_DONE ? DUTY_NOT_FOUND : DUTY_ERROR;
}

int duty_shift_people(struct db *db, int64_t shift_id, bool all, struct duty_assignment **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, all ? "SELECT " ASSIGNMENT_COLUMNS ASSIGNMENT_FROM
						 "WHERE a.shift_id = ? ORDER BY a.id"
					       : "SELECT " ASSIGNMENT_COLUMNS ASSIGNMENT_FROM
						 "WHERE a.shift_id = ? AND " LIVE " ORDER BY a.id");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, shift_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		assignment_row(st, 0, &(*items)[(*n)++]);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return DUTY_ERROR;
	}
	return DUTY_OK;
}

int duty_week_read(struct db *db, const char *community_code, const char *monday, struct duty_week *out)
{
	struct db_stmt *st;
	char sunday[11];
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	duty_day_add(monday, 6, sunday);
	st = db_prepare(db, "SELECT " POST_COLUMNS POST_FROM "WHERE p.community_code = ? ORDER BY p.state DESC, p.id");
	db_bind_text(st, 1, community_code);
	while ((rc = db_step(st)) == DB_ROW) {
		if (out->nposts == cap) {
			cap = cap ? cap * 2 : 8;
			out->posts = xrealloc(out->posts, cap * sizeof(*out->posts));
		}
		post_row(st, 0, &out->posts[out->nposts++]);
	}
	db_done(st);
	if (rc != DB_DONE) {
		duty_week_release(out);
		return DUTY_ERROR;
	}
	cap = 0;
	st = db_prepare(db, "SELECT " SHIFT_COLUMNS SHIFT_FROM "WHERE p.community_code = ? AND s.day >= ? AND s.day <= ? "
			    "ORDER BY s.post_id, s.day, s.start_min");
	db_bind_text(st, 1, community_code);
	db_bind_text(st, 2, monday);
	db_bind_text(st, 3, sunday);
	while ((rc = db_step(st)) == DB_ROW) {
		if (out->nshifts == cap) {
			cap = cap ? cap * 2 : 16;
			out->shifts = xrealloc(out->shifts, cap * sizeof(*out->shifts));
		}
		shift_row(st, 0, &out->shifts[out->nshifts++]);
	}
	db_done(st);
	if (rc != DB_DONE) {
		duty_week_release(out);
		return DUTY_ERROR;
	}
	return DUTY_OK;
}

void duty_week_release(struct duty_week *w)
{
	free(w->posts);
	free(w->shifts);
	memset(w, 0, sizeof(*w));
}

/* --- sign-up and assignment ---------------------------------------------------------------------------- */

/* Whether member_id has a place on another shift (not except) overlapping [from, to): 1, 0, or -1. */
static int busy_then(struct db *db, int64_t member_id, int64_t from, int64_t to, int64_t except)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM duty_assignment a JOIN duty_shift s ON s.id = "
					    "a.shift_id WHERE a.member_id = ? AND " LIVE " AND a.state <> 'no_show' "
					    "AND s.id <> ? AND s.starts_at < ? AND s.ends_at > ?");
	int rc;
	int64_t n = 0;

	db_bind_int(st, 1, member_id);
	db_bind_int(st, 2, except);
	db_bind_int(st, 3, to);
	db_bind_int(st, 4, from);
	rc = db_step(st);
	if (rc == DB_ROW)
		n = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? n > 0 : -1;
}

int duty_assign(struct db *db, const struct actor *who, int64_t shift_id, int64_t member_id, bool by_staff, int64_t now,
		int64_t *id)
{
	struct duty_shift s;
	struct duty_member m;
	struct db_stmt *st;
	int rc, busy;

	if (db_begin(db) < 0)
		return DUTY_ERROR;
	rc = duty_shift_get(db, shift_id, &s);
	if (rc == DUTY_OK && (strcmp(s.post_state, "open") || s.closed_at))
		rc = DUTY_STATE;
	if (rc == DUTY_OK && s.starts_at <= now)
		rc = DUTY_STARTED;
	if (rc == DUTY_OK) {
		rc = duty_member_get(db, member_id, &m);
		if (rc == DUTY_NOT_FOUND || (rc == DUTY_OK && (!m.approved || strcmp(m.community_code, s.community_code))))
			rc = DUTY_NOT_MEMBER;
	}
	if (rc == DUTY_OK) {
		st = db_prepare(db, "SELECT COUNT(*) FROM duty_assignment a WHERE a.shift_id = ? AND a.member_id = ? AND " LIVE);
		db_bind_int(st, 1, shift_id);
		db_bind_int(st, 2, member_id);
		rc = db_step(st) == DB_ROW ? (db_col_int(st, 0) ? DUTY_ALREADY : DUTY_OK) : DUTY_ERROR;
		db_done(st);
	}
	if (rc == DUTY_OK) {
		busy = busy_then(db, member_id, s.starts_at, s.ends_at, shift_id);
		rc = busy < 0 ? DUTY_ERROR : busy ? DUTY_CLASH : DUTY_OK;
	}
	/* The count read inside the write transaction: writers take turns, so the last place goes once. */
	if (rc == DUTY_OK && s.filled >= s.places)
		rc = DUTY_FULL;
	if (rc == DUTY_OK) {
		st = db_prepare(db, "INSERT INTO duty_assignment (shift_id, member_id, state, created_at, updated_at) "
				    "VALUES (?, ?, ?, ?, ?) RETURNING id");
		db_bind_int(st, 1, shift_id);
		db_bind_int(st, 2, member_id);
		db_bind_text(st, 3, by_staff ? "assigned" : "signed");
		db_bind_int(st, 4, now);
		db_bind_int(st, 5, now);
		rc = db_step(st);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
		rc = rc == DB_ROW ? DUTY_OK : rc == DB_UNIQUE ? DUTY_ALREADY : DUTY_ERROR;
	}
	if (rc == DUTY_OK)
		rc = audit(db, who, by_staff ? "duty.assign" : "duty.signup", "duty_assignment", *id, s.community_path);
	return finish(db, rc);
}

/* Ends the open swaps that involve assignment id (it changed hands or went), inside the caller's transaction. */
static int end_swaps_of(struct db *db, int64_t id, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "UPDATE duty_swap SET state = 'withdrawn', updated_at = ? WHERE (state = "
					    "'asked' OR state = 'accepted') AND (assignment_id = ? OR "
					    "other_assignment_id = ?)");
	int rc;

	db_bind_int(st, 1, now);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, id);
	rc = db_step(st) == DB_DONE ? DUTY_OK : DUTY_ERROR;
	db_done(st);
	return rc;
}

static int set_state(struct db *db, int64_t id, const char *state, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "UPDATE duty_assignment SET state = ?, updated_at = ? WHERE id = ?");
	int rc;

	db_bind_text(st, 1, state);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, id);
	rc = db_step(st) == DB_DONE ? DUTY_OK : DUTY_ERROR;
	db_done(st);
	return rc;
}

int duty_cancel(struct db *db, const struct actor *who, int64_t assignment_id, int64_t now)
{
	struct duty_assignment a;
	struct duty_shift s;
	int rc;

	if (db_begin(db) < 0)
		return DUTY_ERROR;
	rc = duty_assignment_get(db, assignment_id, &a);
	if (rc == DUTY_OK)
		rc = duty_shift_get(db, a.shift_id, &s);
	if (rc == DUTY_OK && strcmp(a.state, "signed") && strcmp(a.state, "assigned"))
		rc = DUTY_STATE;
	if (rc == DUTY_OK && s.starts_at <= now)
		rc = DUTY_STARTED;
	if (rc == DUTY_OK)
		rc = set_state(db, assignment_id, "cancelled", now);
	if (rc == DUTY_OK)
		rc = end_swaps_of(db, assignment_id, now);
	if (rc == DUTY_OK)
		rc = audit(db, who, "duty.cancel", "duty_assignment", assignment_id, s.community_path);
	return finish(db, rc);
}

/* The rows of st (ASSIGNMENT_COLUMNS, then SHIFT_COLUMNS), bound already, read whole; st done. */
static int read_places(struct db_stmt *st, struct duty_place **items, size_t *n)
{
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		assignment_row(st, 0, &(*items)[*n].a);
		shift_row(st, ASSIGNMENT_NCOLS, &(*items)[*n].s);
		(*n)++;
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return DUTY_ERROR;
	}
	return DUTY_OK;
}

int duty_mine(struct db *db, int64_t member_id, int64_t now, size_t max, struct duty_place **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ASSIGNMENT_COLUMNS ", " SHIFT_COLUMNS ASSIGNMENT_FROM
					    "JOIN duty_shift s ON s.id = a.shift_id JOIN duty_post p ON p.id = s.post_id "
					    "JOIN region c ON c.code = p.community_code WHERE a.member_id = ? AND " LIVE
					    " ORDER BY CASE WHEN s.ends_at > ? THEN 0 ELSE 1 END, CASE WHEN s.ends_at > ? "
					    "THEN s.starts_at ELSE -s.starts_at END, a.id LIMIT ?");

	db_bind_int(st, 1, member_id);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, (int64_t)max);
	return read_places(st, items, n);
}

/* --- check-in, closing --------------------------------------------------------------------------------- */

/*
 * Checks in a (of shift s) inside the caller's transaction: a live place on a
 * shift not closed; checked in already: *already, nothing written. Audited
 * action (duty.checkin by staff, duty.checkin_qr by the member's scan).
 */
static int check_in(struct db *db, const struct actor *who, const struct duty_assignment *a,
		    const struct duty_shift *s, const char *action, int64_t now, bool *already)
{
	struct db_stmt *st;
	int rc;

	if (!strcmp(a->state, "checked_in")) {
		*already = true;
		return DUTY_OK;
	}
	if ((strcmp(a->state, "signed") && strcmp(a->state, "assigned")) || s->closed_at)
		return DUTY_STATE;
	st = db_prepare(db, "UPDATE duty_assignment SET state = 'checked_in', checked_in_at = ?, updated_at = ? "
			    "WHERE id = ?");
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, a->id);
	rc = db_step(st) == DB_DONE ? DUTY_OK : DUTY_ERROR;
	db_done(st);
	if (rc == DUTY_OK)
		rc = end_swaps_of(db, a->id, now);
	if (rc == DUTY_OK)
		rc = audit(db, who, action, "duty_assignment", a->id, s->community_path);
	return rc;
}

int duty_checkin(struct db *db, const struct actor *who, int64_t assignment_id, int64_t now, bool *already)
{
	struct duty_assignment a;
	struct duty_shift s;
	int rc;

	*already = false;
	if (db_begin(db) < 0)
		return DUTY_ERROR;
	rc = duty_assignment_get(db, assignment_id, &a);
	if (rc == DUTY_OK)
		rc = duty_shift_get(db, a.shift_id, &s);
	if (rc == DUTY_OK && strcmp(a.state, "checked_in") && (now < s.starts_at - 3600 || now > s.ends_at) &&
	    (!strcmp(a.state, "signed") || !strcmp(a.state, "assigned")) && !s.closed_at)
		rc = DUTY_WINDOW;
	if (rc == DUTY_OK)
		rc = check_in(db, who, &a, &s, "duty.checkin", now, already);
	if (*already) {
		db_rollback(db);
		return rc;
	}
	return finish(db, rc);
}

/* The live place of member_id on shift_id: DUTY_NOT_FOUND when they hold none. */
static int place_of(struct db *db, int64_t shift_id, int64_t member_id, struct duty_assignment *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ASSIGNMENT_COLUMNS ASSIGNMENT_FROM
					    "WHERE a.shift_id = ? AND a.member_id = ? AND " LIVE " ORDER BY a.id LIMIT 1");
	int rc;

	db_bind_int(st, 1, shift_id);
	db_bind_int(st, 2, member_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		assignment_row(st, 0, out);
	db_done(st);
	return rc == DB_ROW ? DUTY_OK : rc == DB_DONE ? DUTY_NOT_FOUND : DUTY_ERROR;
}

static int scan_in(struct db *db, const struct actor *who, int64_t member_id, const char *token, int64_t now,
		   enum qrtoken_verdict *verdict, bool *already, struct duty_place *out)
{
	struct qrtoken t;
	int rc;

	if (!qrtoken_read(token, &t)) {
		*verdict = QRTOKEN_FORGED;
		return DUTY_TOKEN;
	}
	if (t.subject != QRTOKEN_SHIFT) {
		*verdict = QRTOKEN_OTHER_SUBJECT;
		return DUTY_TOKEN;
	}
	/* A genuine code of a shift no longer there (its post's community deleted, say): as if forged. */
	rc = duty_shift_get(db, t.id, &out->s);
	if (rc == DUTY_NOT_FOUND) {
		*verdict = QRTOKEN_FORGED;
		return DUTY_TOKEN;
	}
	if (rc != DUTY_OK)
		return rc;
	*verdict = qrtoken_check_shift(token, out->s.id, out->s.starts_at, out->s.ends_at, now, NULL);
	if (*verdict != QRTOKEN_ACCEPTED)
		return DUTY_TOKEN;
	rc = place_of(db, out->s.id, member_id, &out->a);
	if (rc == DUTY_NOT_FOUND)
		return DUTY_NOT_ON_SHIFT;
	if (rc == DUTY_OK)
		rc = check_in(db, who, &out->a, &out->s, "duty.checkin_qr", now, already);
	if (rc == DUTY_OK && !*already)
		rc = duty_assignment_get(db, out->a.id, &out->a);
	return rc;
}

int duty_scan(struct db *db, const struct actor *who, int64_t member_id, const char *token, int64_t now,
	      enum qrtoken_verdict *verdict, bool *already, struct duty_place *out)
{
	int rc;

	*verdict = QRTOKEN_ACCEPTED;
	*already = false;
	memset(out, 0, sizeof(*out));
	if (db_begin(db) < 0)
		return DUTY_ERROR;
	rc = scan_in(db, who, member_id, token, now, verdict, already, out);
	if (*already) {
		db_rollback(db);
		return rc;
	}
	return finish(db, rc);
}

/* The checked-in member of a gets a pending record of the shift; false in *made when record_add refused it. */
static int make_record(struct db *db, const struct actor *who, const struct duty_shift *s,
		       const struct duty_assignment *a, bool *made)
{
	struct field_errors errs = { 0 };
	struct record_input in = { 0 };
	struct db_stmt *st;
	int64_t id;
	int rc;

	in.member_id = a->member_id;
	in.item_id = s->item_id;
	in.source = SOURCE_DUTY;
	in.origin_id = a->id;
	in.started_at = s->starts_at;
	in.minutes = (s->ends_at - s->starts_at) / 60;
	in.place = s->place;
	in.content = s->post_name;
	*made = false;
	rc = record_add(db, who, &in, &errs, &id);
	if (rc == RECORD_INVALID || rc == RECORD_OVERLAP || rc == RECORD_DUPLICATE)
		return DUTY_OK;
	if (rc != RECORD_OK)
		return DUTY_ERROR;
	st = db_prepare(db, "UPDATE duty_assignment SET record_id = ? WHERE id = ?");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, a->id);
	rc = db_step(st) == DB_DONE ? DUTY_OK : DUTY_ERROR;
	db_done(st);
	*made = rc == DUTY_OK;
	return rc;
}

int duty_close(struct db *db, const struct actor *who, int64_t shift_id, int64_t now, struct duty_closing *out)
{
	struct duty_assignment *people = NULL;
	struct duty_shift s;
	struct db_stmt *st;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (db_begin(db) < 0)
		return DUTY_ERROR;
	rc = duty_shift_get(db, shift_id, &s);
	if (rc == DUTY_OK && s.closed_at)
		rc = DUTY_STATE;
	if (rc == DUTY_OK && now < s.ends_at)
		rc = DUTY_NOT_ENDED;
	if (rc == DUTY_OK)
		rc = duty_shift_people(db, shift_id, false, &people, &n);
	for (size_t i = 0; rc == DUTY_OK && i < n; i++) {
		bool worked = !strcmp(people[i].state, "checked_in"), made = false;

		rc = set_state(db, people[i].id, worked ? "worked" : "no_show", now);
		if (rc == DUTY_OK)
			rc = end_swaps_of(db, people[i].id, now);
		if (rc == DUTY_OK && worked)
			rc = make_record(db, who, &s, &people[i], &made);
		if (worked) {
			out->worked++;
			out->records += made;
			out->skipped += !made;
		} else
			out->no_show++;
	}
	free(people);
	if (rc == DUTY_OK) {
		st = db_prepare(db, "UPDATE duty_shift SET closed_at = ? WHERE id = ?");
		db_bind_int(st, 1, now);
		db_bind_int(st, 2, shift_id);
		rc = db_step(st) == DB_DONE ? DUTY_OK : DUTY_ERROR;
		db_done(st);
	}
	if (rc == DUTY_OK)
		rc = audit(db, who, "duty.close", "duty_shift", shift_id, s.community_path);
	return finish(db, rc);
}

int duty_no_shows(struct db *db, const char *community_code, const char *from, const char *to,
		  struct duty_place **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ASSIGNMENT_COLUMNS ", " SHIFT_COLUMNS ASSIGNMENT_FROM
					    "JOIN duty_shift s ON s.id = a.shift_id JOIN duty_post p ON p.id = s.post_id "
					    "JOIN region c ON c.code = p.community_code WHERE p.community_code = ? AND "
					    "a.state = 'no_show' AND s.day >= ? AND s.day <= ? ORDER BY s.starts_at DESC, "
					    "a.id LIMIT 500");

	db_bind_text(st, 1, community_code);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	return read_places(st, items, n);
}

/* --- units ---------------------------------------------------------------------------------------------- */

int duty_commit(struct db *db, const struct actor *who, int64_t unit_id, int64_t post_id, int64_t per_day,
		const char *today, int64_t *id)
{
	struct duty_post p;
	struct db_stmt *st;
	int rc, partner;

	if (db_begin(db) < 0)
		return DUTY_ERROR;
	rc = duty_post_get(db, post_id, &p);
	if (rc == DUTY_OK) {
		partner = agreement_partner(db, unit_id, p.community_code, today);
		rc = partner < 0 ? DUTY_ERROR : partner ? DUTY_OK : DUTY_NO_AGREEMENT;
	}
	if (rc == DUTY_OK) {
		st = db_prepare(db, "INSERT INTO duty_commitment (unit_id, post_id, per_day, created_at) VALUES (?, ?, ?, ?) "
				    "ON CONFLICT (unit_id, post_id) DO UPDATE SET per_day = excluded.per_day RETURNING id");
		db_bind_int(st, 1, unit_id);
		db_bind_int(st, 2, post_id);
		db_bind_int(st, 3, per_day);
		db_bind_int(st, 4, clock_now());
		rc = db_step(st) == DB_ROW ? DUTY_OK : DUTY_ERROR;
		if (rc == DUTY_OK)
			*id = db_col_int(st, 0);
		db_done(st);
	}
	if (rc == DUTY_OK)
		rc = audit(db, who, "duty.commit", "duty_commitment", *id, p.community_path);
	return finish(db, rc);
}

int duty_rota(struct db *db, int64_t unit_id, const char *monday, struct duty_rota_day **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT k.id, k.post_id, p.name, c.name, k.per_day FROM duty_commitment k "
					    "JOIN duty_post p ON p.id = k.post_id JOIN region c ON c.code = "
					    "p.community_code WHERE k.unit_id = ? ORDER BY k.id");
	struct duty_rota_day *rows = NULL;
	size_t nrows = 0, cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, unit_id);
	while ((rc = db_step(st)) == DB_ROW) {
		for (int d = 0; d < 7; d++) {
			struct duty_rota_day *r;

			if (nrows == cap) {
				cap = cap ? cap * 2 : 14;
				rows = xrealloc(rows, cap * sizeof(*rows));
			}
			r = &rows[nrows++];
			memset(r, 0, sizeof(*r));
			r->commitment_id = db_col_int(st, 0);
			r->post_id = db_col_int(st, 1);
			str_copy(r->post_name, sizeof(r->post_name), db_col_text(st, 2));
			str_copy(r->community_name, sizeof(r->community_name), db_col_text(st, 3));
			r->per_day = db_col_int(st, 4);
			duty_day_add(monday, d, r->day);
		}
	}
	db_done(st);
	for (size_t i = 0; rc == DB_DONE && i < nrows; i++) {
		struct duty_rota_day *r = &rows[i];
		size_t len = 0;

		r->names = xstrdup("");
		st = db_prepare(db, "SELECT m.name FROM duty_assignment a JOIN duty_shift s ON s.id = a.shift_id JOIN "
				    "member m ON m.id = a.member_id WHERE s.post_id = ? AND s.day = ? AND m.unit_id = ? AND "
				    LIVE " AND a.state <> 'no_show' ORDER BY s.start_min, a.id");
		db_bind_int(st, 1, r->post_id);
		db_bind_text(st, 2, r->day);
		db_bind_int(st, 3, unit_id);
		while ((rc = db_step(st)) == DB_ROW) {
			const char *name = db_col_text(st, 0);
			size_t add = strlen(name) + (len ? strlen("、") : 0);

			r->names = xrealloc(r->names, len + add + 1);
			snprintf(r->names + len, add + 1, "%s%s", len ? "、" : "", name);
			len += add;
			r->filled++;
		}
		db_done(st);
	}
	if (rc != DB_DONE) {
		duty_rota_release(rows, nrows);
		return DUTY_ERROR;
	}
	*items = rows;
	*n = nrows;
	return DUTY_OK;
}

void duty_rota_release(struct duty_rota_day *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i].names);
	free(items);
}
