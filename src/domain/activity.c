/* activity.c: activities: checked input, drafts and series, publishing, editing, cancelling, who runs one */
#include "domain/activity.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/activity_signup.h"
#include "domain/notify.h"

const char *const activity_organisers[] = { "community", "team", "unit", NULL };
const char *const activity_audiences[] = { "community", "street", "city", NULL };
const char *const activity_states[] = { "draft", "published", "cancelled", "closed", NULL };

#define DAY 86400
#define CHINA (8 * 3600) /* Asia/Shanghai: UTC+8 all year */

/* Days since 1970-01-01 of t's calendar day in China. */
static int64_t china_day(int64_t t)
{
	int64_t s = t + CHINA;

	return s >= 0 ? s / DAY : (s - DAY + 1) / DAY;
}

void activity_series_expand(int64_t starts_at, const struct activity_repeat *r, size_t max, int64_t *days, size_t *n)
{
	int64_t first = china_day(starts_at), last = r->until ? china_day(r->until) : INT64_MAX;

	*n = 0;
	/* Seven days more than max weeks would take: a longer look finds nothing new. */
	for (int64_t d = first; d <= last && *n < max && (!r->count || (int64_t)*n < r->count) &&
				d - first <= 7 * (int64_t)max + 7;
	     d++) {
		unsigned weekday = (unsigned)((d % 7 + 7 + 3) % 7); /* 1970-01-01 was a Thursday: Monday is 0 */

		if (r->weekdays & (1u << weekday))
			days[(*n)++] = d - first;
	}
}

#define COLUMNS                                                                                                    \
	"a.id, a.community_code, r.name, r.path, a.organiser, COALESCE(a.team_id, 0), COALESCE(t.name, ''), "        \
	"COALESCE(a.unit_id, 0), COALESCE(u.name, ''), a.item_id, i.code, i.name, i.category, a.title, "             \
	"a.description, a.place, COALESCE(a.building_code, ''), COALESCE(b.name, ''), a.starts_at, a.ends_at, "      \
	"a.signup_deadline, a.capacity, a.audience, a.specialties, a.minutes_cap, COALESCE(a.series_id, 0), "        \
	"a.state, a.cancel_reason, a.version, COALESCE(a.created_by, 0), a.created_at, a.updated_at, "               \
	"COALESCE(a.closed_at, 0), (SELECT COUNT(*) FROM signup s WHERE s.activity_id = a.id AND s.state = "          \
	"'signed'), (SELECT COUNT(*) FROM signup s WHERE s.activity_id = a.id AND s.state = 'waiting')"
#define FROM                                                                                                       \
	" FROM activity a JOIN region r ON r.code = a.community_code JOIN catalog_item i ON i.id = a.item_id "     \
	"LEFT JOIN team t ON t.id = a.team_id LEFT JOIN unit u ON u.id = a.unit_id LEFT JOIN region b ON b.code = " \
	"a.building_code"

const char *activity_columns_sql(void)
{
	return "SELECT " COLUMNS FROM;
}

void activity_read_row(struct db_stmt *st, struct activity *a)
{
	int k = 0;

	memset(a, 0, sizeof(*a));
	a->id = db_col_int(st, k++);
	str_copy(a->community_code, sizeof(a->community_code), db_col_text(st, k++));
	str_copy(a->community_name, sizeof(a->community_name), db_col_text(st, k++));
	str_copy(a->community_path, sizeof(a->community_path), db_col_text(st, k++));
	str_copy(a->organiser, sizeof(a->organiser), db_col_text(st, k++));
	a->team_id = db_col_int(st, k++);
	str_copy(a->team_name, sizeof(a->team_name), db_col_text(st, k++));
	a->unit_id = db_col_int(st, k++);
	str_copy(a->unit_name, sizeof(a->unit_name), db_col_text(st, k++));
	a->item_id = db_col_int(st, k++);
	str_copy(a->item_code, sizeof(a->item_code), db_col_text(st, k++));
	str_copy(a->item_name, sizeof(a->item_name), db_col_text(st, k++));
	str_copy(a->category, sizeof(a->category), db_col_text(st, k++));
	str_copy(a->title, sizeof(a->title), db_col_text(st, k++));
	str_copy(a->description, sizeof(a->description), db_col_text(st, k++));
	str_copy(a->place, sizeof(a->place), db_col_text(st, k++));
	str_copy(a->building_code, sizeof(a->building_code), db_col_text(st, k++));
	str_copy(a->building_name, sizeof(a->building_name), db_col_text(st, k++));
	a->starts_at = db_col_int(st, k++);
	a->ends_at = db_col_int(st, k++);
	a->signup_deadline = db_col_int(st, k++);
	a->capacity = db_col_int(st, k++);
	str_copy(a->audience, sizeof(a->audience), db_col_text(st, k++));
	str_copy(a->specialties, sizeof(a->specialties), db_col_text(st, k++));
	a->minutes_cap = db_col_int(st, k++);
	a->series_id = db_col_int(st, k++);
	str_copy(a->state, sizeof(a->state), db_col_text(st, k++));
	str_copy(a->cancel_reason, sizeof(a->cancel_reason), db_col_text(st, k++));
	a->version = db_col_int(st, k++);
	a->created_by = db_col_int(st, k++);
	a->created_at = db_col_int(st, k++);
	a->updated_at = db_col_int(st, k++);
	a->closed_at = db_col_int(st, k++);
	a->signed_count = db_col_int(st, k++);
	a->waiting_count = db_col_int(st, k);
}

int activity_get(struct db *db, int64_t id, struct activity *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS FROM " WHERE a.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		activity_read_row(st, out);
	db_done(st);
	return rc == DB_ROW ? ACTIVITY_OK : rc == DB_DONE ? ACTIVITY_NOT_FOUND : ACTIVITY_ERROR;
}

/* The team's place, leader's account and state; 1 when there is no such team. */
static int team_of(struct db *db, int64_t id, char path[PATH_MAX_LEN], char name[TEXT_BYTES(ACTIVITY_TEAM_NAME)],
		   int64_t *leader_account, bool *active)
{
	struct db_stmt *st = db_prepare(db, "SELECT r.path, t.name, COALESCE(m.account_id, 0), t.state = 'active' "
					    "FROM team t JOIN region r ON r.code = t.region_code LEFT JOIN member m ON "
					    "m.id = t.leader_id WHERE t.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(path, PATH_MAX_LEN, db_col_text(st, 0));
		str_copy(name, TEXT_BYTES(ACTIVITY_TEAM_NAME), db_col_text(st, 1));
		*leader_account = db_col_int(st, 2);
		*active = db_col_int(st, 3) != 0;
	}
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* Whether the unit has a signed agreement with the community in force on today (YYYY-MM-DD). */
static int agreement_in_force(struct db *db, int64_t unit_id, const char *community, const char *today)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM agreement WHERE unit_id = ? AND community_code = ? AND "
					    "status = 'signed' AND starts_on <= ? AND ends_on >= ? LIMIT 1");
	int rc;

	db_bind_int(st, 1, unit_id);
	db_bind_text(st, 2, community);
	db_bind_text(st, 3, today);
	db_bind_text(st, 4, today);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int activity_may_manage(struct db *db, const struct principal *p, int64_t account_id, const struct activity *a,
			int64_t now)
{
	struct target t = { a->community_path, 0 };
	char path[PATH_MAX_LEN], name[TEXT_BYTES(ACTIVITY_TEAM_NAME)], today[11];
	int64_t leader = 0;
	bool active = false;
	int rc;

	if (authz_allows(p, ACT_SERVE_MANAGE, &t))
		return 1;
	if (!strcmp(a->organiser, "team") && a->team_id) {
		if ((rc = team_of(db, a->team_id, path, name, &leader, &active)) != 0)
			return rc < 0 ? -1 : 0;
		t.region_path = path;
		return (active && leader && leader == account_id) || authz_allows(p, ACT_SERVE_MANAGE, &t);
	}
	if (!strcmp(a->organiser, "unit") && a->unit_id) {
		t = (struct target){ NULL, a->unit_id };
		if (!authz_allows(p, ACT_ACTIVITY_UNIT, &t))
			return 0;
		clock_date(now, today);
		return agreement_in_force(db, a->unit_id, a->community_code, today);
	}
	return 0;
}

int activity_team_led(struct db *db, int64_t team_id, int64_t account_id)
{
	char path[PATH_MAX_LEN], name[TEXT_BYTES(ACTIVITY_TEAM_NAME)];
	int64_t leader = 0;
	bool active = false;
	int rc = team_of(db, team_id, path, name, &leader, &active);

	return rc < 0 ? -1 : rc == 0 && active && leader && leader == account_id;
}

bool activity_open_to(const struct activity *a, const char *member_code)
{
	/* A code's first 9 digits name its street, the first 4 its city. */
	size_t n = !strcmp(a->audience, "community") ? 12 : !strcmp(a->audience, "street") ? 9 : 4;

	return member_code && strlen(member_code) == 12 && !strncmp(a->community_code, member_code, n);
}

/* Checks the specialties wanted: at most ACTIVITY_TAGS_N tags of 1..ACTIVITY_TAG_MAX characters, no empty ones. */
static void check_tags(const char *tags, struct field_errors *errs)
{
	size_t n = 0;

	for (const char *p = tags; p && *p;) {
		size_t len = strcspn(p, ",");
		char tag[TEXT_BYTES(ACTIVITY_TAG_MAX) + 1];

		if (len == 0 || len >= sizeof(tag) || ++n > ACTIVITY_TAGS_N) {
			field_errors_add(errs, "specialties", "too_long", "最多 5 项特长，每项 1 到 20 个字");
			return;
		}
		memcpy(tag, p, len);
		tag[len] = '\0';
		if (utf8_chars(tag) > ACTIVITY_TAG_MAX) {
			field_errors_add(errs, "specialties", "too_long", "最多 5 项特长，每项 1 到 20 个字");
			return;
		}
		p += len + (p[len] == ',');
	}
}

static void check_times(const struct activity_input *in, struct field_errors *errs)
{
	int64_t deadline = in->signup_deadline ? in->signup_deadline : in->starts_at;

	if (in->starts_at <= 0)
		field_errors_add(errs, "starts_at", "required", "请填写开始时间");
	else if (in->ends_at <= in->starts_at)
		field_errors_add(errs, "ends_at", "too_small", "结束时间应晚于开始时间");
	else if (in->ends_at - in->starts_at > ACTIVITY_HOURS_MAX * 3600)
		field_errors_add(errs, "ends_at", "too_large", "一次活动最长 24 小时；连续多天的活动请分次发布");
	else if (deadline > in->ends_at || deadline <= 0)
		field_errors_add(errs, "signup_deadline", "too_large", "报名截止时间不能晚于活动结束");
	else if (in->minutes_cap < 0 || in->minutes_cap > (in->ends_at - in->starts_at) / 60)
		field_errors_add(errs, "minutes_cap", "too_large", "每人计入时长的上限不能超过活动时长");
	if (in->capacity < 1 || in->capacity > ACTIVITY_CAPACITY_MAX)
		field_errors_add(errs, "capacity", "too_large", "名额应为 1 到 2000");
}

/* The place: community, building of it, and the item offered there without fields of its own to fill. */
static int check_place(struct db *db, const struct activity_input *in, struct field_errors *errs, struct activity *out)
{
	struct catalog_item item;
	struct region r, b;
	int rc = region_get(db, in->community_code ? in->community_code : "", &r);

	if (rc == REGION_ERROR)
		return -1;
	if (rc != REGION_OK || strcmp(r.level, "community")) {
		field_errors_add(errs, "community_code", "not_found", "应为存在的社区");
		return 0;
	}
	str_copy(out->community_code, sizeof(out->community_code), r.code);
	str_copy(out->community_name, sizeof(out->community_name), r.name);
	str_copy(out->community_path, sizeof(out->community_path), r.path);
	if (in->building_code && *in->building_code) {
		rc = region_get(db, in->building_code, &b);
		if (rc == REGION_ERROR)
			return -1;
		if (rc != REGION_OK || strcmp(b.level, "building") || strncmp(b.path, r.path, strlen(r.path)))
			field_errors_add(errs, "building_code", "not_found", "应为本社区的楼栋");
	}
	rc = catalog_item_get(db, in->item_id, &item);
	if (rc == CATALOG_ERROR)
		return -1;
	if (rc != CATALOG_OK || !catalog_offered(&item, r.path)) {
		field_errors_add(errs, "item_id", "not_found", "应为本社区提供的服务项目");
		return 0;
	}
	for (size_t i = 0; i < item.nfields; i++)
		if (item.fields[i].required) {
			field_errors_add(errs, "item_id", "wrong", "该服务项目的记录要逐条填写附加信息，不能用于活动");
			return 0;
		}
	out->item_id = item.id;
	str_copy(out->item_name, sizeof(out->item_name), item.name);
	return 0;
}

/* Who organises it: the community itself, one of its (or its street's) teams, or a unit. */
static int check_organiser(struct db *db, const struct activity_input *in, struct field_errors *errs,
			   struct activity *out)
{
	char path[PATH_MAX_LEN];
	int64_t leader;
	bool active;
	struct unit u;
	int rc;

	str_copy(out->organiser, sizeof(out->organiser), activity_organisers[in->organiser]);
	if (in->organiser == ORGANISER_TEAM) {
		rc = in->team_id ? team_of(db, in->team_id, path, out->team_name, &leader, &active) : 1;
		if (rc < 0)
			return -1;
		if (rc || !active)
			field_errors_add(errs, "team_id", "not_found", "应为存在的服务队");
		else if (out->community_path[0] && strncmp(out->community_path, path, strlen(path)))
			field_errors_add(errs, "team_id", "wrong", "服务队只在本社区或本街道开展活动");
		out->team_id = in->team_id;
	} else if (in->team_id) {
		field_errors_add(errs, "team_id", "unknown", "只有服务队的活动才写服务队");
	}
	if (in->organiser == ORGANISER_UNIT) {
		rc = in->unit_id ? unit_get(db, in->unit_id, &u) : UNIT_NOT_FOUND;
		if (rc == UNIT_ERROR)
			return -1;
		if (rc != UNIT_OK)
			field_errors_add(errs, "unit_id", "not_found", "单位不存在");
		else
			str_copy(out->unit_name, sizeof(out->unit_name), u.name);
		out->unit_id = in->unit_id;
	} else if (in->unit_id) {
		field_errors_add(errs, "unit_id", "unknown", "只有单位的活动才写单位");
	}
	return 0;
}

int activity_check(struct db *db, const struct activity_input *in, struct field_errors *errs, struct activity *out)
{
	bool audience = false;

	memset(out, 0, sizeof(*out));
	if (!in->title || !*in->title)
		field_errors_add(errs, "title", "required", "请填写活动名称");
	if (!in->place || !*in->place)
		field_errors_add(errs, "place", "required", "请填写活动地点");
	for (size_t i = 0; in->audience && activity_audiences[i]; i++)
		audience = audience || !strcmp(in->audience, activity_audiences[i]);
	if (!audience)
		field_errors_add(errs, "audience", "enum", "应为 community、street 或 city");
	check_times(in, errs);
	check_tags(in->specialties, errs);
	if (check_place(db, in, errs, out) < 0 || check_organiser(db, in, errs, out) < 0)
		return -1;
	return 0;
}

/* The audit entry of a change of activity a, inside the caller's transaction. */
static int audit(struct db *db, const struct actor *who, const char *action, int64_t id, const char *path,
		 const char *detail)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append_detail(db, who, action, "activity", idt, path, "ok", detail ? detail : "");
}

int activity_touch(struct db *db, int64_t id, int64_t now)
{
	struct db_stmt *st = db_prepare(db, "UPDATE activity SET version = version + 1, updated_at = ? WHERE id = ?");
	int rc;

	db_bind_int(st, 1, now);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Binds id at i, or NULL for 0. */
static void bind_id(struct db_stmt *st, int i, int64_t id)
{
	if (id)
		db_bind_int(st, i, id);
	else
		db_bind_null(st, i);
}

/*
 * Binds the columns an input sets, from index 1, in the order insert's and update_in's statements name them
 * (item_id … minutes_cap, community_code, organiser, team_id, unit_id); returns the next index.
 */
static int bind_input(struct db_stmt *st, const struct activity_input *in, int64_t shift)
{
	int i = 1;

	db_bind_int(st, i++, in->item_id);
	db_bind_text(st, i++, in->title);
	db_bind_text(st, i++, in->description ? in->description : "");
	db_bind_text(st, i++, in->place);
	if (in->building_code && *in->building_code)
		db_bind_text(st, i++, in->building_code);
	else
		db_bind_null(st, i++);
	db_bind_int(st, i++, in->starts_at + shift);
	db_bind_int(st, i++, in->ends_at + shift);
	db_bind_int(st, i++, (in->signup_deadline ? in->signup_deadline : in->starts_at) + shift);
	db_bind_int(st, i++, in->capacity);
	db_bind_text(st, i++, in->audience);
	db_bind_text(st, i++, in->specialties ? in->specialties : "");
	db_bind_int(st, i++, in->minutes_cap ? in->minutes_cap : (in->ends_at - in->starts_at) / 60);
	db_bind_text(st, i++, in->community_code);
	db_bind_text(st, i++, activity_organisers[in->organiser]);
	bind_id(st, i++, in->team_id);
	bind_id(st, i++, in->unit_id);
	return i;
}

/* Inserts one occurrence, day_shift days after in's own times. */
static int insert(struct db *db, const struct actor *who, const struct activity_input *in, int64_t day_shift,
		  int64_t series_id, bool publish, int64_t now, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO activity (item_id, title, description, place, building_code, "
					    "starts_at, ends_at, signup_deadline, capacity, audience, specialties, "
					    "minutes_cap, community_code, organiser, team_id, unit_id, series_id, state, "
					    "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
					    "?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	int i = bind_input(st, in, day_shift * DAY), rc;

	bind_id(st, i++, series_id);
	db_bind_text(st, i++, publish ? "published" : "draft");
	bind_id(st, i++, who->account_id);
	db_bind_int(st, i++, now);
	db_bind_int(st, i, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/* Ends a transaction: commits when the body succeeded, rolls back otherwise. */
static int finish(struct db *db, int rc)
{
	if (rc != ACTIVITY_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? ACTIVITY_ERROR : ACTIVITY_OK;
}

/* The first occurrence of a series names the series. */
static int set_series(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "UPDATE activity SET series_id = id WHERE id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int create_in(struct db *db, const struct actor *who, const struct activity_input *in,
		     const struct activity_repeat *repeat, bool publish, int64_t now, struct field_errors *errs,
		     int64_t *first, size_t *n)
{
	int64_t days[ACTIVITY_SERIES_MAX + 1] = { 0 }, id = 0;
	struct activity place;
	size_t count = 1;
	char detail[64];

	if (activity_check(db, in, errs, &place) < 0)
		return ACTIVITY_ERROR;
	if (repeat) {
		activity_series_expand(in->starts_at, repeat, ACTIVITY_SERIES_MAX + 1, days, &count);
		if (count == 0)
			field_errors_add(errs, "repeat", "too_small", "到截止日期为止没有符合所选星期的日子");
		else if (count > ACTIVITY_SERIES_MAX)
			field_errors_add(errs, "repeat", "too_large", "一个系列最多 52 次");
	}
	if (errs->n)
		return ACTIVITY_INVALID;
	for (size_t k = 0; k < count; k++) {
		if (insert(db, who, in, days[k], repeat ? *first : 0, publish, now, &id) < 0)
			return ACTIVITY_ERROR;
		if (k == 0) {
			*first = id;
			if (repeat && set_series(db, id) < 0)
				return ACTIVITY_ERROR;
		}
		snprintf(detail, sizeof(detail), "%s%s", publish ? "published" : "draft", repeat ? " series" : "");
		if (audit(db, who, "activity.create", id, place.community_path, detail) < 0)
			return ACTIVITY_ERROR;
	}
	*n = count;
	return ACTIVITY_OK;
}

int activity_create(struct db *db, const struct actor *who, const struct activity_input *in,
		    const struct activity_repeat *repeat, bool publish, struct field_errors *errs, int64_t *first,
		    size_t *n)
{
	*first = 0;
	*n = 0;
	if (db_begin(db) < 0)
		return ACTIVITY_ERROR;
	return finish(db, create_in(db, who, in, repeat, publish, clock_now(), errs, first, n));
}

static int update_in(struct db *db, const struct actor *who, int64_t id, const struct activity_input *in,
		     int64_t now, struct field_errors *errs)
{
	struct activity old, place;
	struct db_stmt *st;
	bool moved;
	int rc = activity_get(db, id, &old);

	if (rc != ACTIVITY_OK)
		return rc;
	if (strcmp(old.state, "draft") && strcmp(old.state, "published"))
		return ACTIVITY_BAD_STATE;
	if (activity_check(db, in, errs, &place) < 0)
		return ACTIVITY_ERROR;
	if (!strcmp(old.state, "published") &&
	    (strcmp(place.community_code, old.community_code) || strcmp(place.organiser, old.organiser) ||
	     place.team_id != old.team_id || place.unit_id != old.unit_id))
		field_errors_add(errs, "community_code", "wrong", "已发布的活动不能更换社区或主办方");
	if (errs->n)
		return ACTIVITY_INVALID;
	if (in->capacity < old.signed_count)
		return ACTIVITY_CAPACITY;
	st = db_prepare(db, "UPDATE activity SET item_id = ?, title = ?, description = ?, place = ?, building_code = ?, "
			    "starts_at = ?, ends_at = ?, signup_deadline = ?, capacity = ?, audience = ?, specialties = ?, "
			    "minutes_cap = ?, community_code = ?, organiser = ?, team_id = ?, unit_id = ?, "
			    "version = version + 1, updated_at = ? WHERE id = ?");
	int i = bind_input(st, in, 0);

	db_bind_int(st, i++, now);
	db_bind_int(st, i, id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return ACTIVITY_ERROR;
	moved = old.starts_at != in->starts_at || old.ends_at != in->ends_at || strcmp(old.place, in->place);
	if (moved && activity_signup_tell_all(db, who, id, "activity_changed", in->place, now) < 0)
		return ACTIVITY_ERROR;
	if (in->capacity > old.capacity && activity_signup_promote(db, who, id, now) < 0)
		return ACTIVITY_ERROR;
	return audit(db, who, "activity.update", id, place.community_path, moved ? "moved" : "") < 0 ? ACTIVITY_ERROR
												     : ACTIVITY_OK;
}

int activity_update(struct db *db, const struct actor *who, int64_t id, const struct activity_input *in, int64_t now,
		    struct field_errors *errs)
{
	if (db_begin(db) < 0)
		return ACTIVITY_ERROR;
	return finish(db, update_in(db, who, id, in, now, errs));
}

/* The ids of a's series from a on (a itself first) whose state is one of states; at most ACTIVITY_SERIES_MAX. */
static int series_from(struct db *db, const struct activity *a, bool series, const char *states, int64_t now,
		       int64_t *ids, size_t *n)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	int rc;

	*n = 0;
	ids[(*n)++] = a->id;
	if (!series || !a->series_id)
		return 0;
	buf_addf(&sql, "SELECT id FROM activity WHERE series_id = ? AND id <> ? AND starts_at >= ? AND ends_at > ? AND "
		       "state IN (%s) ORDER BY starts_at LIMIT %d", states, ACTIVITY_SERIES_MAX - 1);
	st = db_prepare(db, sql.data);
	db_bind_int(st, 1, a->series_id);
	db_bind_int(st, 2, a->id);
	db_bind_int(st, 3, a->starts_at);
	db_bind_int(st, 4, now);
	while ((rc = db_step(st)) == DB_ROW)
		ids[(*n)++] = db_col_int(st, 0);
	db_done(st);
	buf_release(&sql);
	return rc == DB_DONE ? 0 : -1;
}

/* Moves activity id from one of the states in from ("'draft'") to state, with reason for a cancellation. */
static int set_state(struct db *db, int64_t id, const char *from, const char *state, const char *reason, int64_t now)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	int rc;

	buf_addf(&sql, "UPDATE activity SET state = ?, cancel_reason = ?, version = version + 1, updated_at = ? "
		       "WHERE id = ? AND state IN (%s)", from);
	st = db_prepare(db, sql.data);
	db_bind_text(st, 1, state);
	db_bind_text(st, 2, reason ? reason : "");
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, id);
	rc = db_step(st);
	db_done(st);
	buf_release(&sql);
	if (rc != DB_DONE)
		return ACTIVITY_ERROR;
	return db_changes(db) == 1 ? ACTIVITY_OK : ACTIVITY_BAD_STATE;
}

static int publish_in(struct db *db, const struct actor *who, int64_t id, bool series, int64_t now, size_t *n)
{
	int64_t ids[ACTIVITY_SERIES_MAX];
	struct activity a;
	int rc = activity_get(db, id, &a);

	if (rc != ACTIVITY_OK)
		return rc;
	if (strcmp(a.state, "draft"))
		return ACTIVITY_BAD_STATE;
	if (series_from(db, &a, series, "'draft'", now, ids, n) < 0)
		return ACTIVITY_ERROR;
	for (size_t k = 0; k < *n; k++)
		if ((rc = set_state(db, ids[k], "'draft'", "published", NULL, now)) != ACTIVITY_OK ||
		    (rc = audit(db, who, "activity.publish", ids[k], a.community_path, NULL)) < 0)
			return rc < 0 ? ACTIVITY_ERROR : rc;
	return ACTIVITY_OK;
}

int activity_publish(struct db *db, const struct actor *who, int64_t id, bool series, int64_t now, size_t *n)
{
	*n = 0;
	if (db_begin(db) < 0)
		return ACTIVITY_ERROR;
	return finish(db, publish_in(db, who, id, series, now, n));
}

static int cancel_in(struct db *db, const struct actor *who, int64_t id, const char *reason, bool series,
		     int64_t now, size_t *n)
{
	int64_t ids[ACTIVITY_SERIES_MAX];
	struct activity a;
	int rc = activity_get(db, id, &a);

	if (rc != ACTIVITY_OK)
		return rc;
	if (strcmp(a.state, "draft") && strcmp(a.state, "published"))
		return ACTIVITY_BAD_STATE;
	if (series_from(db, &a, series, "'draft', 'published'", now, ids, n) < 0)
		return ACTIVITY_ERROR;
	for (size_t k = 0; k < *n; k++) {
		if ((rc = set_state(db, ids[k], "'draft', 'published'", "cancelled", reason, now)) != ACTIVITY_OK)
			return rc;
		if (notify_activity_cancelled(db, ids[k], a.title, a.community_code, k == 0, now) < 0 ||
		    activity_signup_tell_all(db, who, ids[k], "activity_cancelled", reason, now) < 0 ||
		    audit(db, who, "activity.cancel", ids[k], a.community_path, reason) < 0)
			return ACTIVITY_ERROR;
	}
	return ACTIVITY_OK;
}

int activity_cancel(struct db *db, const struct actor *who, int64_t id, const char *reason, bool series,
		    int64_t now, size_t *n)
{
	*n = 0;
	if (db_begin(db) < 0)
		return ACTIVITY_ERROR;
	return finish(db, cancel_in(db, who, id, reason, series, now, n));
}
