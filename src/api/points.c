/* points.c: a member's points and hours (their own on the phone, a file's in the console), rankings, the ledger check */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "base/clock.h"
#include "base/valid.h"
#include "domain/earning.h"
#include "domain/member.h"
#include "domain/region.h"

/* The lines a history page gives. */
enum { HISTORY_PAGE = 30 };

/* v, or null when not has. */
static json_t *int_or_null(bool has, int64_t v)
{
	return has ? json_integer((json_int_t)v) : json_null();
}

static json_t *standing_json(const struct standing *s, bool has)
{
	if (!has)
		return json_null();
	return json_pack("{s:s, s:I, s:I, s:I, s:s, s:s, s:s}", "period", s->period, "points", (json_int_t)s->points,
			 "minutes", (json_int_t)s->minutes, "services", (json_int_t)s->services, "tier",
			 tier_names[s->tier], "tier_label", tier_labels[s->tier], "community_name", s->community_name);
}

/* "再服务 2 次、积 6 分可达优秀", or what the highest tier says. */
static void next_text(const struct earning_summary *e, char *out, size_t n)
{
	char parts[64] = "";

	if (e->next_tier == TIER_NONE) {
		snprintf(out, n, "已达先锋，继续保持");
		return;
	}
	if (e->need_services)
		snprintf(parts, sizeof(parts), "再服务 %lld 次", (long long)e->need_services);
	if (e->need_points)
		snprintf(parts + strlen(parts), sizeof(parts) - strlen(parts), "%s积 %lld 分", *parts ? "、" : "再",
			 (long long)e->need_points);
	snprintf(out, n, "%s可达%s", parts, tier_labels[e->next_tier]);
}

static json_t *summary_json(const struct member *m, const struct earning_summary *e)
{
	char next[128];

	next_text(e, next, sizeof(next));
	return json_pack("{s:I, s:s, s:I, s:I, s:o, s:o, s:{s:o, s:o, s:o, s:o, s:o, s:o}, s:{s:s, s:s, s:I, "
			 "s:I, s:s}, s:{s:o, s:o, s:i, s:I, s:b}, s:{s:I, s:s, s:s?}}",
			 "member_id", (json_int_t)m->id, "name", m->name, "points", (json_int_t)e->points_balance,
			 "minutes", (json_int_t)e->minutes_balance, "half", standing_json(&e->half, e->has_half), "year",
			 standing_json(&e->year, e->has_year), "rank", "community",
			 int_or_null(e->has_half, e->rank[0]), "community_of", int_or_null(e->has_half, e->of[0]),
			 "street", int_or_null(e->has_half, e->rank[1]), "street_of", int_or_null(e->has_half, e->of[1]),
			 "district", int_or_null(e->has_half, e->rank[2]), "district_of",
			 int_or_null(e->has_half, e->of[2]), "next", "tier",
			 tier_names[e->next_tier], "tier_label", e->next_tier ? tier_labels[e->next_tier] : "",
			 "points", (json_int_t)e->need_points, "services", (json_int_t)e->need_services, "text", next,
			 "stars", "rank", int_or_null(e->has_year, e->year_rank), "of",
			 int_or_null(e->has_year, e->year_of), "stars", e->stars, "year_min_services",
			 (json_int_t)e->year_min_services, "below_minimum",
			 !e->has_year || e->year.services < e->year_min_services, "rule", "id", (json_int_t)e->rule.id,
			 "effective_on", e->rule.effective_on, "region_name",
			 e->rule.region_code[0] ? e->rule.region_name : NULL);
}

static void reply_summary(struct call *c, const struct member *m)
{
	struct earning_summary e;

	if (earning_summary(c->db, m->id, m->community_path, &e) != EARNING_OK) {
		reply_internal(c, "reading a member's points");
		return;
	}
	reply_json(c, 200, summary_json(m, &e));
}

/* The caller's own file; 404 for an account without one. */
static int my_file_or_reply(struct call *c, struct member *m)
{
	int64_t id;
	int rc = member_find_by_account(c->db, c->actor.account_id, &id);

	if (rc == MEMBER_OK)
		rc = member_get(c->db, id, m);
	if (rc == MEMBER_NOT_FOUND)
		reply_problem(c, 404, "not_found", "还没有报到");
	else if (rc != MEMBER_OK)
		reply_internal(c, "reading my file");
	return rc == MEMBER_OK ? 0 : -1;
}

void me_points_get(struct call *c)
{
	struct member m;

	if (my_file_or_reply(c, &m) == 0)
		reply_summary(c, &m);
}

void members_points_get(struct call *c)
{
	struct member m;

	if (member_or_reply(c, ACT_MEMBER_READ, &m) == 0)
		reply_summary(c, &m);
}

static void reply_history(struct call *c, const struct member *m)
{
	const char *book;
	int64_t before = 0;
	struct ledger_line *items;
	size_t n;
	json_t *arr;

	if (call_choice_or_reply(c, "book", book_names, &book) < 0 || call_int_or_reply(c, "before", 1, INT64_MAX, &before) < 0)
		return;
	if (ledger_history(c->db, book && !strcmp(book, "hours") ? BOOK_HOURS : BOOK_POINTS, m->id, before,
			   HISTORY_PAGE + 1, &items, &n) < 0) {
		free(items);
		reply_internal(c, "reading a member's history");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n && i < HISTORY_PAGE; i++) {
		const struct ledger_line *l = &items[i];

		arr = json_push(arr, json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:I}", "id",
					       (json_int_t)l->movement_id, "amount", (json_int_t)l->amount, "source",
					       l->source, "day", l->day, "record_id", int_or_null(l->record_id, l->record_id),
					       "corrects_id", int_or_null(l->corrects_id, l->corrects_id), "rule_id",
					       int_or_null(l->rule_id, l->rule_id), "item_name", l->item_name, "note",
					       l->note, "created_at", (json_int_t)l->created_at));
	}
	reply_json(c, 200,
		   arr ? json_pack("{s:o, s:o}", "items", arr, "next_before",
				   int_or_null(n > HISTORY_PAGE, n > HISTORY_PAGE ? items[HISTORY_PAGE - 1].movement_id : 0))
		       : NULL);
	free(items);
}

void me_points_history(struct call *c)
{
	struct member m;

	if (my_file_or_reply(c, &m) == 0)
		reply_history(c, &m);
}

void members_points_history(struct call *c)
{
	struct member m;

	if (member_or_reply(c, ACT_MEMBER_READ, &m) == 0)
		reply_history(c, &m);
}

int period_or_reply(struct call *c, char out[PERIOD_LEN])
{
	const char *p;
	char today[11], year[PERIOD_LEN];

	if (call_query_or_reply(c, "period", 8, &p) < 0)
		return -1;
	if (p && !period_valid(p)) {
		reply_query(c, "period", "format", "应为半年（如 2026H2）或年份（如 2026）");
		return -1;
	}
	clock_date(clock_now(), today);
	period_of(today, out, year);
	if (p)
		str_copy(out, PERIOD_LEN, p);
	return 0;
}

int region_query_or_reply(struct call *c, enum action a, struct region *r)
{
	const char *code;
	int rc;

	if (call_query_or_reply(c, "region", 18, &code) < 0)
		return -1;
	if (!code) {
		reply_query(c, "region", "required", "请指定区划");
		return -1;
	}
	rc = valid_digits(code, 12, 18) ? region_get(c->db, code, r) : REGION_NOT_FOUND;
	if (rc == REGION_OK && !authz_allows(&c->who, a, &(struct target){ r->path, 0 }))
		rc = REGION_NOT_FOUND; /* outside the reach is told as not there */
	if (rc == REGION_NOT_FOUND) {
		reply_query(c, "region", "not_found", "找不到该区划");
		return -1;
	}
	if (rc != REGION_OK) {
		reply_internal(c, "reading a region");
		return -1;
	}
	return 0;
}

/* The region asked for a ranking: a community, street, district or city in the caller's reach. */
static int ranked_region_or_reply(struct call *c, struct region *r, enum rank_level *level)
{
	int l;

	if (region_query_or_reply(c, ACT_STANDING_READ, r) < 0)
		return -1;
	l = rank_level_of(r->level);
	if (l < 0) {
		reply_query(c, "region", "level", "排名按社区、街道、区或市");
		return -1;
	}
	*level = (enum rank_level)l;
	return 0;
}

void standings_list(struct call *c)
{
	char period[PERIOD_LEN];
	struct region r;
	enum rank_level level;
	int64_t after_points = 0, after_member = 0, limit = 50, by_tier[4], total;
	struct standing *items = NULL;
	size_t n = 0;
	json_t *arr, *tiers;

	if (period_or_reply(c, period) < 0 || ranked_region_or_reply(c, &r, &level) < 0 ||
	    call_int_or_reply(c, "after_points", -1000000000, 1000000000, &after_points) < 0 ||
	    call_int_or_reply(c, "after_member", 1, INT64_MAX, &after_member) < 0 ||
	    call_int_or_reply(c, "limit", 1, STANDING_PAGE_MAX, &limit) < 0)
		return;
	if (standing_list(c->db, period, level, r.code, after_points, after_member, (size_t)limit, &items, &n) !=
		    STANDING_OK ||
	    standing_tiers(c->db, period, level, r.code, by_tier, &total) != STANDING_OK) {
		free(items);
		reply_internal(c, "reading a ranking");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct standing *s = &items[i];

		arr = json_push(arr, json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s}", "rank",
					       (json_int_t)s->rank, "member_id", (json_int_t)s->member_id, "name",
					       s->member_name, "unit_name", s->unit_name, "community_name",
					       s->community_name, "points", (json_int_t)s->points, "minutes",
					       (json_int_t)s->minutes, "services", (json_int_t)s->services, "tier",
					       tier_names[s->tier], "tier_label", tier_labels[s->tier]));
	}
	tiers = json_pack("{s:I, s:I, s:I, s:I}", "none", (json_int_t)by_tier[TIER_NONE], "qualified",
			  (json_int_t)by_tier[TIER_QUALIFIED], "excellent", (json_int_t)by_tier[TIER_EXCELLENT], "pioneer",
			  (json_int_t)by_tier[TIER_PIONEER]);
	reply_json(c, 200,
		   arr ? json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o?}", "period", period, "region", r.code,
				   "region_name", r.name, "level", rank_levels[level], "total", (json_int_t)total,
				   "tiers", tiers, "items", arr, "next",
				   (int64_t)n == limit ? json_pack("{s:I, s:I}", "after_points",
								   (json_int_t)items[n - 1].points, "after_member",
								   (json_int_t)items[n - 1].member_id)
						       : NULL)
		       : NULL);
	free(items);
}

void ledger_verify_get(struct call *c)
{
	struct ledger_check k;
	int rc = ledger_verify(c->db, &k);

	if (rc < 0) {
		reply_internal(c, "verifying the ledgers");
		return;
	}
	reply_json(c, 200,
		   json_pack("{s:b, s:I, s:I, s:I, s:I, s:o, s:o}", "ok", rc == 0, "movements", (json_int_t)k.movements,
			     "accounts", (json_int_t)k.accounts, "unbalanced", (json_int_t)k.unbalanced, "wrong_balances",
			     (json_int_t)k.wrong_balances, "first_movement", int_or_null(k.first_movement, k.first_movement),
			     "first_account", int_or_null(k.first_account, k.first_account)));
}
