/* quiet.c: who has gone quiet: each reported-in member's last service against their community's rule */
#include "domain/quiet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/notify.h"
#include "domain/rule.h"

/*
 * Every reported-in member of the community or of the unit, with the two
 * dates. "m.state || ''" keeps SQLite from walking member_state (nine in ten
 * files are approved) instead of member_community or member_unit.
 */
#define QUIET_SELECT \
	"SELECT m.id, m.name, m.phone, m.community_code, r.name, r.path, COALESCE(m.unit_id, 0), COALESCE(u.name, ''), " \
	"COALESCE((SELECT MAX(x.started_at) FROM record x WHERE x.member_id = m.id AND x.state = 'confirmed' " \
	"AND x.source <> 'correction'), 0), " \
	"COALESCE((SELECT MAX(g.decided_at) FROM registration g WHERE g.member_id = m.id AND g.state = 'approved'), " \
	"m.created_at) " \
	"FROM member m JOIN region r ON r.code = m.community_code LEFT JOIN unit u ON u.id = m.unit_id " \
	"WHERE m.state || '' = 'approved' AND "

static int by_quiet(const void *a, const void *b)
{
	const struct quiet_member *x = a, *y = b;

	if ((x->last_served == 0) != (y->last_served == 0))
		return x->last_served == 0 ? -1 : 1;
	if (x->since != y->since)
		return x->since < y->since ? -1 : 1;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->member_id > y->member_id) - (x->member_id < y->member_id);
}

/*
 * The rule's quiet days at each member's community, looked up once per region
 * that has rule versions of its own: two members whose nearest such region is
 * the same are under the same rule (rule_for), however many communities a
 * unit's members live in.
 */
struct quiet_rules {
	char (*regions)[24]; /* the regions with rule versions */
	size_t n;
	struct {
		char key[24]; /* the nearest of them on the path, "" for none */
		int64_t days;
	} *memo;
	size_t nmemo;
};

static int rules_load(struct db *db, struct quiet_rules *r)
{
	struct db_stmt *st = db_prepare(db, "SELECT DISTINCT region_code FROM rule_version WHERE region_code IS NOT NULL");
	int rc;

	while ((rc = db_step(st)) == DB_ROW) {
		r->regions = xrealloc(r->regions, (r->n + 1) * sizeof(*r->regions));
		str_copy(r->regions[r->n++], sizeof(*r->regions), db_col_text(st, 0));
	}
	db_done(st);
	r->memo = xcalloc(r->n + 1, sizeof(*r->memo));
	return rc == DB_DONE ? 0 : -1;
}

static int rules_days(struct db *db, struct quiet_rules *r, const char *path, const char *today, int64_t *days)
{
	const char *key = "", *at = NULL;
	char needle[28];
	struct rule rule;

	for (size_t i = 0; i < r->n; i++) {
		snprintf(needle, sizeof(needle), "/%s/", r->regions[i]);
		const char *hit = strstr(path, needle);

		if (hit && (!at || hit > at)) {
			at = hit;
			key = r->regions[i];
		}
	}
	for (size_t i = 0; i < r->nmemo; i++)
		if (!strcmp(r->memo[i].key, key)) {
			*days = r->memo[i].days;
			return 0;
		}
	if (rule_for(db, path, today, &rule) != RULE_OK)
		return -1;
	str_copy(r->memo[r->nmemo].key, sizeof(r->memo[r->nmemo].key), key);
	r->memo[r->nmemo++].days = *days = rule.t.quiet_days;
	return 0;
}

static int collect(struct db *db, struct db_stmt *st, int64_t now, struct quiet_member **items, size_t *n)
{
	struct quiet_rules rules = { 0 };
	size_t cap = 0;
	char today[11];
	int rc = DB_DONE;

	*items = NULL;
	*n = 0;
	clock_date(now, today);
	if (rules_load(db, &rules) < 0)
		rc = DB_ERROR;
	while (rc != DB_ERROR && (rc = db_step(st)) == DB_ROW) {
		struct quiet_member q = { .member_id = db_col_int(st, 0) };
		int64_t last = db_col_int(st, 8), approved = db_col_int(st, 9);

		if (rules_days(db, &rules, db_col_text(st, 5), today, &q.quiet_days) < 0) {
			rc = DB_ERROR;
			break;
		}
		q.last_served = last;
		q.since = last > approved ? last : approved;
		if (now - q.since < q.quiet_days * 86400)
			continue;
		str_copy(q.name, sizeof(q.name), db_col_text(st, 1));
		str_copy(q.phone, sizeof(q.phone), db_col_text(st, 2));
		str_copy(q.community_code, sizeof(q.community_code), db_col_text(st, 3));
		str_copy(q.community_name, sizeof(q.community_name), db_col_text(st, 4));
		q.unit_id = db_col_int(st, 6);
		str_copy(q.unit_name, sizeof(q.unit_name), db_col_text(st, 7));
		if (*n == cap)
			*items = xrealloc(*items, (cap = cap ? cap * 2 : 64) * sizeof(**items));
		(*items)[(*n)++] = q;
	}
	db_done(st);
	free(rules.regions);
	free(rules.memo);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return -1;
	}
	if (*n)
		qsort(*items, *n, sizeof(**items), by_quiet);
	return 0;
}

int quiet_in_community(struct db *db, const struct region *community, int64_t now, struct quiet_member **items,
		       size_t *n)
{
	struct db_stmt *st = db_prepare(db, QUIET_SELECT "m.community_code = ?");

	db_bind_text(st, 1, community->code);
	return collect(db, st, now, items, n);
}

int quiet_in_unit(struct db *db, int64_t unit_id, int64_t now, struct quiet_member **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, QUIET_SELECT "m.unit_id = ?");

	db_bind_int(st, 1, unit_id);
	return collect(db, st, now, items, n);
}

/* "社区正在招募：A、B、C 等 5 个活动，点此报名。", or an invitation when nothing is open now. */
static int open_near(struct db *db, const char *community, int64_t now, char *out, size_t n)
{
	struct db_stmt *st = db_prepare(db, "SELECT title, COUNT(*) OVER () FROM activity WHERE community_code = ? AND "
					    "state = 'published' AND signup_deadline > ? ORDER BY starts_at, id LIMIT 3");
	char titles[3 * 3 * 40 + 16] = "";
	int64_t total = 0;
	int rc, k = 0;

	db_bind_text(st, 1, community);
	db_bind_int(st, 2, now);
	while ((rc = db_step(st)) == DB_ROW) {
		char one[TEXT_BYTES(20)];

		str_excerpt(one, sizeof(one), db_col_text(st, 0), 12);
		snprintf(titles + strlen(titles), sizeof(titles) - strlen(titles), "%s「%s」", k++ ? "、" : "", one);
		total = db_col_int(st, 1);
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	if (total)
		snprintf(out, n, "社区正在招募：%s%s，点此报名。", titles, total > 3 ? "等活动" : "");
	else
		snprintf(out, n, "社区的活动、岗位和居民需求都在“服务”里，挑一件力所能及的事吧。");
	return 0;
}

static int remind_one(struct db *db, const struct quiet_member *q, const char *body, int64_t now, bool *sent)
{
	struct db_stmt *st = db_prepare(db, "SELECT COALESCE(m.account_id, 0), (SELECT COUNT(*) FROM notification n "
					    "WHERE n.account_id = m.account_id AND n.kind = 'quiet_reminder' AND "
					    "n.created_at > ?) FROM member m WHERE m.id = ?");
	char title[TEXT_BYTES(40)];
	int64_t account = 0, recent = 0;
	int rc;

	*sent = false;
	db_bind_int(st, 1, now - QUIET_REMIND_DAYS * 86400LL);
	db_bind_int(st, 2, q->member_id);
	if ((rc = db_step(st)) == DB_ROW) {
		account = db_col_int(st, 0);
		recent = db_col_int(st, 1);
	}
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	if (!account || recent)
		return 0;
	if (q->last_served)
		snprintf(title, sizeof(title), "您已经 %lld 天没有参加服务了", (long long)((now - q->since) / 86400));
	else
		snprintf(title, sizeof(title), "报到后您还没有参加过服务");
	*sent = true;
	return notify_post(db, account,
			   &(struct notify_msg){ NOTIFY_QUIET_REMINDER, title, body, "/m/activities", "社区邀请您参加服务" },
			   now);
}

int quiet_remind(struct db *db, int64_t now, int64_t *sent)
{
	struct db_stmt *st = db_prepare(db, "SELECT code, name, path FROM region WHERE level = 'community' AND code IN "
					    "(SELECT community_code FROM member WHERE state = 'approved' AND account_id IS "
					    "NOT NULL) ORDER BY code");
	struct region *list = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*sent = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap)
			list = xrealloc(list, (cap = cap ? cap * 2 : 64) * sizeof(*list));
		memset(&list[n], 0, sizeof(list[n]));
		str_copy(list[n].code, sizeof(list[n].code), db_col_text(st, 0));
		str_copy(list[n].name, sizeof(list[n].name), db_col_text(st, 1));
		str_copy(list[n].path, sizeof(list[n].path), db_col_text(st, 2));
		n++;
	}
	db_done(st);
	for (size_t i = 0; rc == DB_DONE && i < n; i++) {
		struct quiet_member *items;
		size_t k;
		char body[TEXT_BYTES(NOTIFY_BODY_MAX)];

		/* Most communities have no one to remind today: only those that do take the write lock. */
		if (quiet_in_community(db, &list[i], now, &items, &k) < 0) {
			rc = DB_ERROR;
			break;
		}
		if (!k) {
			free(items);
			continue;
		}
		if (db_begin(db) < 0 || open_near(db, list[i].code, now, body, sizeof(body)) < 0) {
			if (db_in_write(db))
				db_rollback(db);
			free(items);
			rc = DB_ERROR;
			break;
		}
		for (size_t j = 0; rc == DB_DONE && j < k; j++) {
			bool one;

			if (remind_one(db, &items[j], body, now, &one) < 0)
				rc = DB_ERROR;
			*sent += one;
		}
		free(items);
		if (rc != DB_DONE)
			db_rollback(db);
		else if (db_commit(db) < 0)
			rc = DB_ERROR;
	}
	free(list);
	return rc == DB_DONE ? 0 : -1;
}
