/* feedback.c: a unit's members in a period read along the unit index with their standings and comments; comments written; units ranked from their tallies */
#include "domain/feedback.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/listing.h"

/* The least number of services the rule in force where a member reports in asks for a period, by community. */
struct minimums {
	struct {
		char path[PATH_MAX_LEN];
		int64_t min;
	} *items;
	size_t n, cap;
	bool year;
	char last[11]; /* the period's last day: the rule in force then (as the tiers are set) */
};

static int minimum_at(struct db *db, struct minimums *mins, const char *path, int64_t *out)
{
	struct rule r;

	for (size_t i = 0; i < mins->n; i++)
		if (!strcmp(mins->items[i].path, path)) {
			*out = mins->items[i].min;
			return 0;
		}
	/* A file with no community is held to the default rule. */
	if (rule_for(db, *path ? path : "/", mins->last, &r) != RULE_OK)
		return -1;
	*out = mins->year ? r.t.year_min_services : r.t.tier_services[0];
	if (mins->n == mins->cap) {
		mins->cap = mins->cap ? mins->cap * 2 : 16;
		mins->items = xrealloc(mins->items, mins->cap * sizeof(*mins->items));
	}
	str_copy(mins->items[mins->n].path, sizeof(mins->items[mins->n].path), path);
	mins->items[mins->n++].min = *out;
	return 0;
}

static enum tier tier_of(const char *s)
{
	for (int i = 1; tier_names[i]; i++)
		if (!strcmp(s, tier_names[i]))
			return (enum tier)i;
	return TIER_NONE;
}

/* A file, its community, its standing of the period and the comment on it: each found by its key. */
#define ROW_SQL                                                                                                   \
	"SELECT m.id, m.name, m.state, COALESCE(m.community_code, ''), COALESCE(c.name, ''), COALESCE(c.path, ''), " \
	"COALESCE(s.services, 0), COALESCE(s.minutes, 0), COALESCE(s.points, 0), COALESCE(s.tier, ''), "            \
	"COALESCE(f.comment, ''), COALESCE(a.name, ''), COALESCE(fr.name, ''), COALESCE(f.updated_at, 0) "          \
	"FROM member m LEFT JOIN region c ON c.code = m.community_code "                                            \
	"LEFT JOIN standing s ON s.period = ? AND s.member_id = m.id "                                              \
	"LEFT JOIN feedback_comment f ON f.member_id = m.id AND f.period = ? "                                      \
	"LEFT JOIN account a ON a.id = f.updated_by LEFT JOIN region fr ON fr.code = f.community_code "             \
	"WHERE m.unit_id = ?"

static void read_row(struct db_stmt *st, struct feedback_row *r)
{
	memset(r, 0, sizeof(*r));
	r->member_id = db_col_int(st, 0);
	str_copy(r->name, sizeof(r->name), db_col_text(st, 1));
	str_copy(r->state, sizeof(r->state), db_col_text(st, 2));
	str_copy(r->community_code, sizeof(r->community_code), db_col_text(st, 3));
	str_copy(r->community_name, sizeof(r->community_name), db_col_text(st, 4));
	r->services = db_col_int(st, 6);
	r->minutes = db_col_int(st, 7);
	r->points = db_col_int(st, 8);
	r->tier = tier_of(db_col_text(st, 9));
	str_copy(r->comment, sizeof(r->comment), db_col_text(st, 10));
	str_copy(r->comment_by, sizeof(r->comment_by), db_col_text(st, 11));
	str_copy(r->comment_community, sizeof(r->comment_community), db_col_text(st, 12));
	r->comment_at = db_col_int(st, 13);
}

static bool holds_unit(const struct scope *scope, int64_t unit_id)
{
	for (size_t i = 0; i < scope->nunits; i++)
		if (scope->units[i] == unit_id)
			return true;
	return scope->all;
}

int feedback_unit(struct db *db, int64_t unit_id, const char *period, const struct scope *scope,
		  int (*each)(const struct feedback_row *row, void *arg), void *arg)
{
	struct minimums mins = { .year = strlen(period) == 4 };
	struct buf sql = BUF_INIT;
	struct feedback_row row;
	struct db_stmt *st;
	char first[11];
	int rc, out = FEEDBACK_OK;

	period_bounds(period, first, mins.last);
	buf_addstr(&sql, ROW_SQL);
	/* Read along member_unit: the community ranges only filter what it gives ("+"). */
	if (!holds_unit(scope, unit_id))
		listing_codes_sql(&sql, scope, "m.community_code", NULL, true);
	buf_addstr(&sql, " ORDER BY m.name, m.id");
	st = db_prepare(db, buf_str(&sql));
	db_bind_text(st, 1, period);
	db_bind_text(st, 2, period);
	db_bind_int(st, 3, unit_id);
	if (!holds_unit(scope, unit_id))
		listing_codes_bind(st, scope, 0, 4);
	while ((rc = db_step(st)) == DB_ROW) {
		read_row(st, &row);
		if (minimum_at(db, &mins, db_col_text(st, 5), &row.min_services) < 0) {
			out = FEEDBACK_ERROR;
			break;
		}
		row.below = row.services < row.min_services;
		if (each(&row, arg) < 0) {
			out = -1;
			break;
		}
	}
	db_done(st);
	buf_release(&sql);
	free(mins.items);
	if (out == FEEDBACK_OK && rc != DB_DONE)
		out = FEEDBACK_ERROR;
	return out;
}

static int finish(struct db *db, int rc)
{
	if (rc != FEEDBACK_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? FEEDBACK_ERROR : FEEDBACK_OK;
}

/* The community the file reports in to, and its path; FEEDBACK_NOT_HERE when none. */
static int community_of(struct db *db, int64_t member_id, char code[24], char path[PATH_MAX_LEN])
{
	struct db_stmt *st = db_prepare(db, "SELECT COALESCE(m.community_code, ''), COALESCE(c.path, '') FROM member m "
					    "LEFT JOIN region c ON c.code = m.community_code WHERE m.id = ?");
	int rc;

	db_bind_int(st, 1, member_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(code, 24, db_col_text(st, 0));
		str_copy(path, PATH_MAX_LEN, db_col_text(st, 1));
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? FEEDBACK_NOT_FOUND : FEEDBACK_ERROR;
	return *code ? FEEDBACK_OK : FEEDBACK_NOT_HERE;
}

static void bind_account(struct db_stmt *st, int i, const struct actor *who)
{
	if (who->account_id)
		db_bind_int(st, i, who->account_id);
	else
		db_bind_null(st, i);
}

static int write_comment(struct db *db, const struct actor *who, int64_t member_id, const char *period,
			 const char *community, const char *comment)
{
	struct db_stmt *st;
	int rc;

	if (!*comment) {
		st = db_prepare(db, "DELETE FROM feedback_comment WHERE member_id = ? AND period = ?");
		db_bind_int(st, 1, member_id);
		db_bind_text(st, 2, period);
	} else {
		st = db_prepare(db, "INSERT INTO feedback_comment (member_id, period, community_code, comment, created_by, "
				    "created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
				    "ON CONFLICT (member_id, period) DO UPDATE SET community_code = excluded.community_code, "
				    "comment = excluded.comment, updated_by = excluded.updated_by, "
				    "updated_at = excluded.updated_at");
		db_bind_int(st, 1, member_id);
		db_bind_text(st, 2, period);
		db_bind_text(st, 3, community);
		db_bind_text(st, 4, comment);
		bind_account(st, 5, who);
		db_bind_int(st, 6, clock_now());
		bind_account(st, 7, who);
		db_bind_int(st, 8, clock_now());
	}
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? FEEDBACK_OK : FEEDBACK_ERROR;
}

int feedback_comment_set(struct db *db, const struct actor *who, int64_t member_id, const char *period,
			 const char *comment)
{
	char code[24], path[PATH_MAX_LEN], idt[24];
	struct buf detail = BUF_INIT;
	int rc;

	if (db_begin(db) < 0)
		return FEEDBACK_ERROR;
	rc = community_of(db, member_id, code, path);
	if (rc == FEEDBACK_OK)
		rc = write_comment(db, who, member_id, period, code, comment);
	if (rc == FEEDBACK_OK) {
		/* The audit keeps every version: the period and the text as it was set ("" when removed). */
		snprintf(idt, sizeof(idt), "%" PRId64, member_id);
		buf_addf(&detail, "%s：%s", period, comment);
		if (audit_append_detail(db, who, "feedback.comment", "member", idt, path, "ok", buf_str(&detail)) < 0)
			rc = FEEDBACK_ERROR;
	}
	buf_release(&detail);
	return finish(db, rc);
}

/* The units under a place with their tallies, the share served and points per file, ranked with ties kept together. */
#define UNITS_SQL                                                                                                  \
	"WITH u AS (SELECT u.id, u.name, u.type, COALESCE(r.name, '') AS region_name, COALESCE(f.files, 0) AS files, " \
	"COALESCE(p.served, 0) AS served, COALESCE(p.points, 0) AS points FROM unit u "                             \
	"LEFT JOIN region r ON r.code = u.region_code LEFT JOIN unit_files f ON f.unit_id = u.id "                   \
	"LEFT JOIN unit_participation p ON p.period = ? AND p.unit_id = u.id "                                       \
	"WHERE u.region_code >= ? AND u.region_code < ?), "                                                          \
	"k AS (SELECT u.*, CASE WHEN files > 0 THEN served * 1.0 / files ELSE -1 END AS share, "                     \
	"CASE WHEN files > 0 THEN points * 1.0 / files ELSE 0 END AS average FROM u) "                              \
	"SELECT id, name, type, region_name, files, served, points, "                                               \
	"RANK() OVER (ORDER BY share DESC, average DESC) AS pos FROM k ORDER BY pos, name, id LIMIT ? OFFSET ?"

int feedback_units(struct db *db, const char *path, const char *period, int64_t offset, int64_t limit,
		   struct feedback_unit_rank **items, size_t *n, int64_t *total)
{
	char lo[24], hi[26];
	struct db_stmt *st;
	int rc;

	*items = xcalloc(limit > 0 ? (size_t)limit : 1, sizeof(**items));
	*n = 0;
	listing_code_range(path, lo, hi);
	st = db_prepare(db, "SELECT COUNT(*) FROM unit WHERE region_code >= ? AND region_code < ?");
	db_bind_text(st, 1, lo);
	db_bind_text(st, 2, hi);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return FEEDBACK_ERROR;
	st = db_prepare(db, UNITS_SQL);
	db_bind_text(st, 1, period);
	db_bind_text(st, 2, lo);
	db_bind_text(st, 3, hi);
	db_bind_int(st, 4, limit);
	db_bind_int(st, 5, offset);
	while ((rc = db_step(st)) == DB_ROW && *n < (size_t)limit) {
		struct feedback_unit_rank *u = &(*items)[(*n)++];

		u->unit_id = db_col_int(st, 0);
		str_copy(u->name, sizeof(u->name), db_col_text(st, 1));
		str_copy(u->type, sizeof(u->type), db_col_text(st, 2));
		str_copy(u->region_name, sizeof(u->region_name), db_col_text(st, 3));
		u->files = db_col_int(st, 4);
		u->served = db_col_int(st, 5);
		u->points = db_col_int(st, 6);
		u->rank = db_col_int(st, 7);
	}
	db_done(st);
	return rc == DB_DONE || rc == DB_ROW ? FEEDBACK_OK : FEEDBACK_ERROR;
}
