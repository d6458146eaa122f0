/* bonus.c: a bonus checked against what it is for, priced by today's rule, moved through the points ledger into the standings, kept and audited in one transaction */
#include "domain/bonus.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/valid.h"
#include "domain/activity.h"
#include "domain/earning.h"
#include "domain/ledger.h"
#include "domain/member.h"
#include "domain/post.h"
#include "domain/rule.h"

const char *const bonus_kinds[] = { "wish", "post", "lead", NULL };

/* 00:00 of day YYYY-MM-DD in China, Unix time. */
static int64_t china_midnight(const char *day)
{
	struct tm tm = { 0 };
	int y, m, d;

	if (!date_split(day, &y, &m, &d))
		return 0;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	return (int64_t)timegm(&tm) - 8 * 3600;
}

/* 1 when sql bound to a, b (and c when not 0) gives a row, 0 when none, -1 on a storage error. */
static int exists(struct db *db, const char *sql, int64_t a, int64_t b, int64_t c)
{
	struct db_stmt *st = db_prepare(db, sql);
	int rc;

	db_bind_int(st, 1, a);
	db_bind_int(st, 2, b);
	if (c)
		db_bind_int(st, 3, c);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* The member organised activity ref (created it) or leads the team that did, in their community; and it is over. */
static int check_lead(struct db *db, const struct member *m, int64_t ref, int64_t now, struct field_errors *errs)
{
	struct activity a;
	int rc = activity_get(db, ref, &a), led;

	if (rc == ACTIVITY_NOT_FOUND || (rc == ACTIVITY_OK && strcmp(a.community_code, m->community_code))) {
		field_errors_add(errs, "ref", "not_found", "本社区没有该活动");
		return BONUS_INVALID;
	}
	if (rc != ACTIVITY_OK)
		return BONUS_ERROR;
	if (!strcmp(a.state, "cancelled")) {
		field_errors_add(errs, "ref", "cancelled", "该活动已取消");
		return BONUS_INVALID;
	}
	if (strcmp(a.state, "closed") && (strcmp(a.state, "published") || a.ends_at > now)) {
		field_errors_add(errs, "ref", "not_over", "活动结束后才能给牵头人加奖励分");
		return BONUS_INVALID;
	}
	led = m->account_id && a.created_by == m->account_id;
	if (!led && a.team_id &&
	    (led = exists(db, "SELECT 1 FROM team WHERE id = ? AND leader_id = ?", a.team_id, m->id, 0)) < 0)
		return BONUS_ERROR;
	if (!led) {
		field_errors_add(errs, "ref", "not_led", "该党员不是这次活动的组织者或服务队队长");
		return BONUS_INVALID;
	}
	return BONUS_OK;
}

/* The member holds post ref of their community, and has since before the half-year began. */
static int check_post(struct db *db, const struct member *m, int64_t ref, const char *half, struct field_errors *errs)
{
	char first[11], last[11];
	struct post p;
	int rc = post_get(db, ref, &p), held;

	if (rc == POST_NOT_FOUND || (rc == POST_OK && strcmp(p.community_code, m->community_code))) {
		field_errors_add(errs, "ref", "not_found", "本社区没有该岗位");
		return BONUS_INVALID;
	}
	if (rc != POST_OK)
		return BONUS_ERROR;
	period_bounds(half, first, last);
	held = exists(db, "SELECT 1 FROM post_holder WHERE post_id = ? AND member_id = ? AND state IN ('holding', "
			  "'leaving') AND decided_at <= ?",
		      ref, m->id, china_midnight(first));
	if (held < 0)
		return BONUS_ERROR;
	if (!held) {
		field_errors_add(errs, "ref", "not_held", "该党员没有在本半年度全程在岗");
		return BONUS_INVALID;
	}
	return BONUS_OK;
}

/* 1 when member_id has had the bonus of kind for ref (a post's: in half), 0 when not, -1 on a storage error. */
static int given(struct db *db, int64_t member_id, enum bonus_kind kind, int64_t ref, const char *half)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM bonus WHERE member_id = ? AND kind = ? AND ref_id = ? AND "
					    "(kind <> 'post' OR period = ?)");
	int rc;

	db_bind_int(st, 1, member_id);
	db_bind_text(st, 2, bonus_kinds[kind]);
	db_bind_int(st, 3, ref);
	db_bind_text(st, 4, half);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* Moves points from the community's issue account to the member's, naming the rule: *movement. */
static int move(struct db *db, const struct actor *who, struct earning_batch *b, const struct member *m,
		const struct rule *r, const char *day, int64_t points, const char *reason, int64_t *movement)
{
	struct ledger_owner member = { KIND_MEMBER, m->id, NULL }, issue = { KIND_ISSUE, 0, m->community_code };
	struct movement mv = { .book = BOOK_POINTS, .source = MOVE_BONUS, .member_id = m->id, .rule_id = r->id,
			       .note = reason, .nentries = 2 };

	str_copy(mv.day, sizeof(mv.day), day);
	if (earning_account(db, b, BOOK_POINTS, &member, &mv.entries[0].account_id) < 0 ||
	    earning_account(db, b, BOOK_POINTS, &issue, &mv.entries[1].account_id) < 0)
		return BONUS_ERROR;
	mv.entries[0].amount = points;
	mv.entries[1].amount = -points;
	return ledger_post(db, who, &mv, movement) < 0 ? BONUS_ERROR : BONUS_OK;
}

static int keep(struct db *db, const struct actor *who, const struct member *m, enum bonus_kind kind, int64_t ref,
		const char *half, int64_t points, int64_t rule_id, int64_t movement, const char *reason, int64_t *id)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO bonus (member_id, kind, ref_id, period, community_code, points, "
					    "rule_id, movement_id, reason, created_by, created_at) "
					    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	int rc;

	db_bind_int(st, 1, m->id);
	db_bind_text(st, 2, bonus_kinds[kind]);
	if (ref)
		db_bind_int(st, 3, ref);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, half);
	db_bind_text(st, 5, m->community_code);
	db_bind_int(st, 6, points);
	db_bind_int(st, 7, rule_id);
	db_bind_int(st, 8, movement);
	db_bind_text(st, 9, reason);
	if (who->account_id)
		db_bind_int(st, 10, who->account_id);
	else
		db_bind_null(st, 10);
	db_bind_int(st, 11, clock_now());
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? BONUS_OK : BONUS_ERROR;
}

/* Everything bonus_give checks and writes, inside its transaction (within b: NULL, on its own). */
static int give(struct db *db, const struct actor *who, struct earning_batch *b, int64_t member_id,
		enum bonus_kind kind, int64_t ref, const char *reason, struct field_errors *errs, int64_t *id)
{
	const int64_t now = clock_now();
	char today[11], half[PERIOD_LEN], year[PERIOD_LEN], idt[24];
	int64_t movement, points;
	struct member m;
	struct rule r;
	int rc = member_get(db, member_id, &m);

	if (rc != MEMBER_OK)
		return rc == MEMBER_NOT_FOUND ? BONUS_NOT_FOUND : BONUS_ERROR;
	if (strcmp(m.state, "approved") || !m.community_code[0])
		return BONUS_NOT_SERVING;
	if (who->account_id && who->account_id == m.account_id)
		return BONUS_OWN;
	clock_date(now, today);
	period_of(today, half, year);
	if (rule_for_cached(db, b ? &b->standing.rules : NULL, m.community_path, today, &r) != RULE_OK)
		return BONUS_ERROR;
	points = kind == BONUS_WISH ? r.t.bonus_wish : kind == BONUS_POST ? r.t.bonus_post : r.t.bonus_lead;
	if (kind == BONUS_LEAD)
		rc = check_lead(db, &m, ref, now, errs);
	else if (kind == BONUS_POST)
		rc = check_post(db, &m, ref, half, errs);
	if (rc != BONUS_OK)
		return rc;
	if (ref && (rc = given(db, m.id, kind, ref, half)) != 0)
		return rc < 0 ? BONUS_ERROR : BONUS_DUPLICATE;
	if (points <= 0)
		return BONUS_NO_POINTS;
	snprintf(idt, sizeof(idt), "%" PRId64, m.id);
	if (move(db, who, b, &m, &r, today, points, reason, &movement) != BONUS_OK ||
	    standing_add_in(db, b ? &b->standing : NULL, m.id, m.community_path, today, points, 0, 0) != STANDING_OK ||
	    keep(db, who, &m, kind, ref, half, points, r.id, movement, reason, id) != BONUS_OK ||
	    audit_append_detail(db, who, "bonus.give", "member", idt, m.community_path, "ok", reason) < 0)
		return BONUS_ERROR;
	return BONUS_OK;
}

int bonus_give_in(struct db *db, const struct actor *who, struct earning_batch *b, int64_t member_id,
		  enum bonus_kind kind, int64_t ref_id, const char *reason, struct field_errors *errs, int64_t *id)
{
	return give(db, who, b, member_id, kind, ref_id, reason, errs, id);
}

int bonus_give(struct db *db, const struct actor *who, int64_t member_id, enum bonus_kind kind, int64_t ref_id,
	       const char *reason, struct field_errors *errs, int64_t *id)
{
	int rc;

	if (db_begin(db) < 0)
		return BONUS_ERROR;
	rc = bonus_give_in(db, who, NULL, member_id, kind, ref_id, reason, errs, id);
	if (rc != BONUS_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? BONUS_ERROR : BONUS_OK;
}

#define BONUS_SQL                                                                                                 \
	"SELECT b.id, b.member_id, b.kind, COALESCE(b.ref_id, 0), COALESCE(CASE b.kind "                            \
	"WHEN 'lead' THEN (SELECT title FROM activity WHERE id = b.ref_id) "                                         \
	"WHEN 'post' THEN (SELECT name FROM post WHERE id = b.ref_id) END, ''), b.period, b.community_code, "        \
	"COALESCE(c.name, ''), b.points, b.rule_id, b.movement_id, v.effective_on, b.reason, "                     \
	"COALESCE(b.created_by, 0), COALESCE(a.name, ''), b.created_at FROM bonus b "                              \
	"LEFT JOIN region c ON c.code = b.community_code JOIN rule_version v ON v.id = b.rule_id "                  \
	"LEFT JOIN account a ON a.id = b.created_by "

static void read_bonus(struct db_stmt *st, void *item)
{
	struct bonus *b = item;

	memset(b, 0, sizeof(*b));
	b->id = db_col_int(st, 0);
	b->member_id = db_col_int(st, 1);
	str_copy(b->kind, sizeof(b->kind), db_col_text(st, 2));
	b->ref_id = db_col_int(st, 3);
	str_copy(b->ref_name, sizeof(b->ref_name), db_col_text(st, 4));
	str_copy(b->period, sizeof(b->period), db_col_text(st, 5));
	str_copy(b->community_code, sizeof(b->community_code), db_col_text(st, 6));
	str_copy(b->community_name, sizeof(b->community_name), db_col_text(st, 7));
	b->points = db_col_int(st, 8);
	b->rule_id = db_col_int(st, 9);
	b->movement_id = db_col_int(st, 10);
	str_copy(b->rule_effective_on, sizeof(b->rule_effective_on), db_col_text(st, 11));
	str_copy(b->reason, sizeof(b->reason), db_col_text(st, 12));
	b->created_by = db_col_int(st, 13);
	str_copy(b->created_by_name, sizeof(b->created_by_name), db_col_text(st, 14));
	b->created_at = db_col_int(st, 15);
}

int bonus_get(struct db *db, int64_t id, struct bonus *out)
{
	struct db_stmt *st = db_prepare(db, BONUS_SQL "WHERE b.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_bonus(st, out);
	db_done(st);
	return rc == DB_ROW ? BONUS_OK : rc == DB_DONE ? BONUS_NOT_FOUND : BONUS_ERROR;
}

int bonus_list(struct db *db, int64_t member_id, struct bonus **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, BONUS_SQL "WHERE b.member_id = ? ORDER BY b.id DESC LIMIT ?");
	int rc;

	*items = xcalloc(BONUS_LIST_MAX, sizeof(**items));
	*n = 0;
	db_bind_int(st, 1, member_id);
	db_bind_int(st, 2, BONUS_LIST_MAX);
	while ((rc = db_step(st)) == DB_ROW)
		read_bonus(st, &(*items)[(*n)++]);
	db_done(st);
	return rc == DB_DONE ? BONUS_OK : BONUS_ERROR;
}
