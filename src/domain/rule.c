/* rule.c: point rules: what a service earns, the caps, tiers and stars; versions stored by region and date */
#include "domain/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/valid.h"
#include "domain/catalog.h"

const char *const tier_names[] = { "", "qualified", "excellent", "pioneer", NULL };
const char *const tier_labels[] = { "未达标", "合格", "优秀", "先锋" };

int rule_category(const char *category)
{
	for (int i = 0; catalog_categories[i]; i++)
		if (!strcmp(category, catalog_categories[i]))
			return i < RULE_CATEGORIES ? i : -1;
	return -1;
}

int64_t rule_price(const struct rule_terms *t, int category, int64_t minutes)
{
	if (minutes <= 0 || category < 0 || category >= RULE_CATEGORIES)
		return 0;
	return t->per_service[category] + minutes * t->per_hour[category] / 60;
}

int64_t rule_capped(const struct rule_terms *t, int64_t points, int64_t day_so_far)
{
	if (t->cap_record && points > t->cap_record)
		points = t->cap_record;
	if (t->cap_day) {
		int64_t room = t->cap_day - day_so_far;

		if (points > room)
			points = room > 0 ? room : 0;
	}
	return points > 0 ? points : 0;
}

enum tier rule_tier(const struct rule_terms *t, int64_t points, int64_t services)
{
	for (int i = 2; i >= 0; i--)
		if (points >= t->tier_points[i] && services >= t->tier_services[i])
			return (enum tier)(i + 1);
	return TIER_NONE;
}

enum tier rule_next_tier(const struct rule_terms *t, int64_t points, int64_t services, int64_t *need_points,
			 int64_t *need_services)
{
	enum tier held = rule_tier(t, points, services);

	*need_points = *need_services = 0;
	if (held == TIER_PIONEER)
		return TIER_NONE;
	*need_points = t->tier_points[held] > points ? t->tier_points[held] - points : 0;
	*need_services = t->tier_services[held] > services ? t->tier_services[held] - services : 0;
	return (enum tier)(held + 1);
}

int rule_stars(const struct rule_terms *t, int64_t points, int64_t rank, int64_t n)
{
	if (t->star_mode == STARS_THRESHOLDS) {
		for (int k = 5; k >= 1; k--)
			if (points >= t->stars[k - 1])
				return k;
		return 0;
	}
	if (rank < 1 || n < 1 || points <= 0)
		return 0;
	/* Those above the member, as a share of all: within the first stars[4] percent, 5 stars, and so on down. */
	int64_t above = rank - 1, share = 0;

	for (int k = 5; k >= 1; k--) {
		share += t->stars[k - 1];
		if (above * 100 < share * n)
			return k;
	}
	return 0;
}

static void check_value(struct field_errors *errs, const char *field, int64_t v)
{
	if (v < 0 || v > RULE_VALUE_MAX)
		field_errors_add(errs, field, "out_of_range", "应为 0 到 10000 之间的整数");
}

int rule_check(const struct rule_terms *t, struct field_errors *errs)
{
	static const char *const tiers[] = { "qualified", "excellent", "pioneer" };
	char field[64];
	size_t before = errs->n;
	int64_t sum = 0;

	for (int i = 0; i < RULE_CATEGORIES; i++) {
		snprintf(field, sizeof(field), "%s_per_service", catalog_categories[i]);
		check_value(errs, field, t->per_service[i]);
		snprintf(field, sizeof(field), "%s_per_hour", catalog_categories[i]);
		check_value(errs, field, t->per_hour[i]);
	}
	check_value(errs, "cap_record", t->cap_record);
	check_value(errs, "cap_day", t->cap_day);
	check_value(errs, "bonus_wish", t->bonus_wish);
	check_value(errs, "bonus_post", t->bonus_post);
	check_value(errs, "bonus_lead", t->bonus_lead);
	check_value(errs, "year_min_services", t->year_min_services);
	if (t->quiet_days < RULE_QUIET_MIN || t->quiet_days > RULE_QUIET_MAX)
		field_errors_add(errs, "quiet_days", t->quiet_days < RULE_QUIET_MIN ? "too_small" : "too_large",
				 "沉寂天数应在 14 到 730 天之间");
	for (int i = 0; i < 3; i++) {
		snprintf(field, sizeof(field), "%s_points", tiers[i]);
		check_value(errs, field, t->tier_points[i]);
		if (i && t->tier_points[i] < t->tier_points[i - 1])
			field_errors_add(errs, field, "order", "高一档的分数不能低于低一档");
		snprintf(field, sizeof(field), "%s_services", tiers[i]);
		check_value(errs, field, t->tier_services[i]);
		if (i && t->tier_services[i] < t->tier_services[i - 1])
			field_errors_add(errs, field, "order", "高一档的服务次数不能少于低一档");
	}
	if (t->tier_points[0] == 0 && t->tier_services[0] == 0)
		field_errors_add(errs, "qualified_points", "too_small", "合格至少要求 1 分或 1 次服务");
	for (int k = 1; k <= 5; k++) {
		snprintf(field, sizeof(field), "star%d", k);
		check_value(errs, field, t->stars[k - 1]);
		if (t->star_mode == STARS_THRESHOLDS && k > 1 && t->stars[k - 1] <= t->stars[k - 2])
			field_errors_add(errs, field, "order", "星级越高，所需积分应越多");
		if (t->star_mode == STARS_SHARES && t->stars[k - 1] > 100)
			field_errors_add(errs, field, "out_of_range", "比例应为 0 到 100");
		sum += t->stars[k - 1];
	}
	if (t->star_mode == STARS_THRESHOLDS && t->stars[0] == 0)
		field_errors_add(errs, "star1", "too_small", "一星至少要求 1 分");
	if (t->star_mode == STARS_SHARES && sum != 100)
		field_errors_add(errs, "star5", "sum", "五档比例之和应为 100%");
	return errs->n == before ? RULE_OK : RULE_INVALID;
}

#define RULE_COLUMNS \
	"v.id, COALESCE(v.region_code, ''), COALESCE(r.name, ''), v.effective_on, v.welfare_per_service, " \
	"v.welfare_per_hour, v.post_per_service, v.post_per_hour, v.activity_per_service, v.activity_per_hour, " \
	"v.affairs_per_service, v.affairs_per_hour, v.cap_record, v.cap_day, v.bonus_wish, v.bonus_post, " \
	"v.bonus_lead, v.qualified_points, v.qualified_services, v.excellent_points, v.excellent_services, " \
	"v.pioneer_points, v.pioneer_services, v.year_min_services, v.star_mode, v.star1, v.star2, v.star3, " \
	"v.star4, v.star5, v.quiet_days, v.note, COALESCE(v.created_by, 0), v.created_at " \
	"FROM rule_version v LEFT JOIN region r ON r.code = v.region_code "

static void read_rule(struct db_stmt *st, struct rule *out)
{
	int c = 4;

	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, 0);
	str_copy(out->region_code, sizeof(out->region_code), db_col_text(st, 1));
	str_copy(out->region_name, sizeof(out->region_name), db_col_text(st, 2));
	str_copy(out->effective_on, sizeof(out->effective_on), db_col_text(st, 3));
	for (int i = 0; i < RULE_CATEGORIES; i++) {
		out->t.per_service[i] = db_col_int(st, c++);
		out->t.per_hour[i] = db_col_int(st, c++);
	}
	out->t.cap_record = db_col_int(st, c++);
	out->t.cap_day = db_col_int(st, c++);
	out->t.bonus_wish = db_col_int(st, c++);
	out->t.bonus_post = db_col_int(st, c++);
	out->t.bonus_lead = db_col_int(st, c++);
	for (int i = 0; i < 3; i++) {
		out->t.tier_points[i] = db_col_int(st, c++);
		out->t.tier_services[i] = db_col_int(st, c++);
	}
	out->t.year_min_services = db_col_int(st, c++);
	out->t.star_mode = strcmp(db_col_text(st, c++), "thresholds") ? STARS_SHARES : STARS_THRESHOLDS;
	for (int k = 0; k < 5; k++)
		out->t.stars[k] = db_col_int(st, c++);
	out->t.quiet_days = db_col_int(st, c++);
	str_copy(out->note, sizeof(out->note), db_col_text(st, c++));
	out->created_by = db_col_int(st, c++);
	out->created_at = db_col_int(st, c);
}

static int one_rule(struct db_stmt *st, struct rule *out)
{
	int rc = db_step(st);

	if (rc == DB_ROW)
		read_rule(st, out);
	db_done(st);
	return rc == DB_ROW ? RULE_OK : rc == DB_DONE ? RULE_NOT_FOUND : RULE_ERROR;
}

int rule_get(struct db *db, int64_t id, struct rule *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " RULE_COLUMNS "WHERE v.id = ?");

	db_bind_int(st, 1, id);
	return one_rule(st, out);
}

int rule_for(struct db *db, const char *path, const char *day, struct rule *out)
{
	/* The regions on the path, deepest first; the default (depth 0) last. */
	struct db_stmt *st = db_prepare(db, "SELECT " RULE_COLUMNS "WHERE v.effective_on <= ?1 AND (v.region_code IS NULL "
					    "OR (r.path IS NOT NULL AND substr(?2, 1, length(r.path)) = r.path)) "
					    "ORDER BY COALESCE(length(r.path), 0) DESC, v.effective_on DESC, v.id DESC "
					    "LIMIT 1");

	db_bind_text(st, 1, day);
	db_bind_text(st, 2, path);
	return one_rule(st, out);
}

struct rule_cached {
	char path[PATH_MAX_LEN], day[11];
	struct rule r;
};

int rule_for_cached(struct db *db, struct rule_cache *c, const char *path, const char *day, struct rule *out)
{
	int rc;

	if (!c)
		return rule_for(db, path, day, out);
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->items[i].day, day) && !strcmp(c->items[i].path, path)) {
			*out = c->items[i].r;
			return RULE_OK;
		}
	rc = rule_for(db, path, day, out);
	/* A path too long to keep, or a full cache: asked each time, as without one. */
	if (rc != RULE_OK || c->n == RULE_CACHE_MAX || strlen(path) >= PATH_MAX_LEN || strlen(day) >= 11)
		return rc;
	/* Grown as needed: a call that prices one record or two keeps one or two. */
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 2;
		c->items = xrealloc(c->items, c->cap * sizeof(*c->items));
	}
	str_copy(c->items[c->n].path, sizeof(c->items[c->n].path), path);
	str_copy(c->items[c->n].day, sizeof(c->items[c->n].day), day);
	c->items[c->n++].r = *out;
	return RULE_OK;
}

void rule_cache_release(struct rule_cache *c)
{
	free(c->items);
	c->items = NULL;
	c->n = c->cap = 0;
}

int rule_list(struct db *db, const char *region_code, struct rule **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " RULE_COLUMNS "WHERE COALESCE(v.region_code, '') = ? "
					    "ORDER BY v.effective_on DESC, v.id DESC LIMIT ?");
	int rc;

	*items = xcalloc(RULE_LIST_MAX, sizeof(**items));
	*n = 0;
	db_bind_text(st, 1, region_code);
	db_bind_int(st, 2, RULE_LIST_MAX);
	while ((rc = db_step(st)) == DB_ROW)
		read_rule(st, &(*items)[(*n)++]);
	db_done(st);
	return rc == DB_DONE ? RULE_OK : RULE_ERROR;
}

int rule_insert(struct db *db, const struct actor *who, const char *region_code, const char *region_path,
		const char *effective_on, const struct rule_terms *t, const char *note, struct field_errors *errs,
		int64_t *id)
{
	char today[11], idt[24];
	struct db_stmt *st;
	int rc, c = 3;

	clock_date(clock_now(), today);
	if (!valid_date(effective_on))
		field_errors_add(errs, "effective_on", "format", "日期格式应为 YYYY-MM-DD");
	else if (strcmp(effective_on, today) <= 0)
		field_errors_add(errs, "effective_on", "too_small", "新规则最早从明天起生效：已有的服务不重新计分");
	if (rule_check(t, errs) != RULE_OK || errs->n)
		return RULE_INVALID;
	st = db_prepare(db, "INSERT INTO rule_version (region_code, effective_on, welfare_per_service, welfare_per_hour, "
			    "post_per_service, post_per_hour, activity_per_service, activity_per_hour, "
			    "affairs_per_service, affairs_per_hour, cap_record, cap_day, bonus_wish, bonus_post, "
			    "bonus_lead, qualified_points, qualified_services, excellent_points, excellent_services, "
			    "pioneer_points, pioneer_services, year_min_services, star_mode, star1, star2, star3, star4, "
			    "star5, quiet_days, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	db_bind_text(st, 1, region_code);
	db_bind_text(st, 2, effective_on);
	for (int i = 0; i < RULE_CATEGORIES; i++) {
		db_bind_int(st, c++, t->per_service[i]);
		db_bind_int(st, c++, t->per_hour[i]);
	}
	db_bind_int(st, c++, t->cap_record);
	db_bind_int(st, c++, t->cap_day);
	db_bind_int(st, c++, t->bonus_wish);
	db_bind_int(st, c++, t->bonus_post);
	db_bind_int(st, c++, t->bonus_lead);
	for (int i = 0; i < 3; i++) {
		db_bind_int(st, c++, t->tier_points[i]);
		db_bind_int(st, c++, t->tier_services[i]);
	}
	db_bind_int(st, c++, t->year_min_services);
	db_bind_text(st, c++, t->star_mode == STARS_THRESHOLDS ? "thresholds" : "shares");
	for (int k = 0; k < 5; k++)
		db_bind_int(st, c++, t->stars[k]);
	db_bind_int(st, c++, t->quiet_days);
	db_bind_text(st, c++, note ? note : "");
	if (who->account_id)
		db_bind_int(st, c++, who->account_id);
	else
		db_bind_null(st, c++);
	db_bind_int(st, c, clock_now());
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return RULE_ERROR;
	snprintf(idt, sizeof(idt), "%lld", (long long)*id);
	return audit_append_detail(db, who, "rule.create", "rule", idt, region_path ? region_path : "", "ok",
				   effective_on) < 0
		       ? RULE_ERROR
		       : RULE_OK;
}
