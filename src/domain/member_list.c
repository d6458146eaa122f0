/* member_list.c: lists of member files at city scale: which index drives a page, counts from the tallies */
#include "domain/member.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/listing.h"
#include "domain/member_row.h"

/*
 * A page is found as ids first, then read whole (a "deferred join": only
 * names and ids are sorted or skipped). Which index finds the ids depends on
 * how far the scope reaches:
 * - narrow (communities, streets, units: a few thousand files at most): by
 *   their community codes and units through member_community and
 *   member_unit, then sorted;
 * - wide (a district, the city, everything): in name order straight from
 *   member_name (or member_state, member_tag when filtered so), which hold
 *   the community code, so skipping to a deep page reads index entries only;
 *   the page after another starts where it ended (keyset).
 * Scope is checked on community codes: a node's 统计用区划代码 is the prefix of
 * every code under it (440111 白云区 → 440111002011 石榴桥社区), the same
 * test as the path prefix of docs/architecture.md, without a region look-up.
 * Counts of a wide scope come from member_tally when the filters allow.
 */

struct query {
	const struct scope *scope;
	const struct member_filter *f;
	bool wide;
	const char *code_col; /* where the scope is checked: m.community_code, or t.community_code by tag */
	char q_hi[TEXT_BYTES(64)]; /* a prefix search's upper bound */
	int q_kind; /* 0 none, 1 name prefix, 2 phone prefix, 3 phone's last four */
	char after_name[TEXT_BYTES(MEMBER_NAME_MAX)];
};

/* FROM and WHERE of the ids: the scope, then the filters; page: with the keyset start. */
static void where_sql(struct buf *sql, const struct query *q, bool page)
{
	const struct scope *s = q->scope;
	const struct member_filter *f = q->f;

	if (f->specialty && !(f->nstates || f->unit_id || f->has_account >= 0 || q->q_kind || s->nunits))
		buf_addstr(sql, " FROM member_tag t WHERE t.tag = ?"); /* the tag's rows say all that is asked */
	else if (f->specialty)
		buf_addstr(sql, " FROM member_tag t JOIN member m ON m.id = t.member_id WHERE t.tag = ?");
	else
		buf_addstr(sql, " FROM member m WHERE 1=1");
	listing_codes_sql(sql, s, q->code_col, "m.unit_id", q->wide);
	/* In a narrow scope only the scope's own columns choose the index: the rest are checked row by row. */
	const char *plus = q->wide ? "" : "+";

	if (f->community)
		buf_addf(sql, " AND %s = ?", q->code_col);
	if (f->unit_id)
		buf_addstr(sql, " AND m.unit_id = ?");
	/* One state may choose its index (member_state); several are checked row by row. */
	if (f->nstates == 1)
		buf_addf(sql, " AND %sm.state = ?", plus);
	for (size_t k = 0; f->nstates > 1 && k < f->nstates; k++)
		buf_addf(sql, "%s?%s", k ? ", " : " AND +m.state IN (", k + 1 == f->nstates ? ")" : "");
	/* Never the index to read by: most files have no account, and the unique index on it is no order. */
	if (f->has_account == 0)
		buf_addstr(sql, " AND +m.account_id IS NULL");
	else if (f->has_account == 1)
		buf_addstr(sql, " AND +m.account_id IS NOT NULL");
	if (q->q_kind == 1)
		buf_addf(sql, " AND %sm.name >= ? AND %sm.name < ?", plus, plus);
	else if (q->q_kind == 2)
		buf_addf(sql, " AND %sm.phone >= ? AND %sm.phone < ?", plus, plus);
	else if (q->q_kind == 3)
		buf_addf(sql, " AND %ssubstr(m.phone, 8) = ?", plus);
	if (page && f->after)
		buf_addstr(sql, f->specialty ? " AND (t.name, t.member_id) > (?, ?)" : " AND (m.name, m.id) > (?, ?)");
}

static int where_bind(struct db_stmt *st, const struct query *q, bool page)
{
	const struct scope *s = q->scope;
	const struct member_filter *f = q->f;
	int i = 1;

	if (f->specialty)
		db_bind_text(st, i++, f->specialty);
	i = listing_codes_bind(st, s, 1, i);
	if (f->community)
		db_bind_text(st, i++, f->community);
	if (f->unit_id)
		db_bind_int(st, i++, f->unit_id);
	for (size_t k = 0; k < f->nstates; k++)
		db_bind_text(st, i++, f->states[k]);
	if (q->q_kind == 1 || q->q_kind == 2) {
		db_bind_text(st, i++, f->q);
		db_bind_text(st, i++, q->q_hi);
	} else if (q->q_kind == 3) {
		db_bind_text(st, i++, f->q);
	}
	if (page && f->after) {
		db_bind_text(st, i++, q->after_name);
		db_bind_int(st, i++, f->after);
	}
	return i;
}

/* What q searches for, and the bounds of a prefix search ("王" → ["王", "王\U0010FFFF")). */
static void query_text(struct query *q)
{
	const char *s = q->f->q;
	size_t n;

	if (!s || !*s)
		return;
	n = strlen(s);
	q->q_kind = strspn(s, "0123456789") == n ? (n == 4 ? 3 : 2) : 1;
	str_copy(q->q_hi, sizeof(q->q_hi), s);
	if (strlen(q->q_hi) == n && n + 5 <= sizeof(q->q_hi))
		memcpy(q->q_hi + n, q->q_kind == 2 ? ":" : "\xf4\x8f\xbf\xbf", q->q_kind == 2 ? 2 : 5);
}

/* Whether the tallies can count the page's files: only state and account filters, and a path scope. */
static bool tally_counts(const struct query *q)
{
	const struct member_filter *f = q->f;

	return q->wide && !q->scope->nunits && !f->community && !f->unit_id && !f->specialty && !q->q_kind;
}

static int count_tallied(struct db *db, const struct query *q, int64_t *total)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	int rc, i = 1;

	/*
	 * A path's files are its own tally rows (the depth of its code's prefix); everything is the
	 * province rows and the files without a community. Scopes hold no path inside another.
	 */
	buf_addf(&sql, "SELECT COALESCE(SUM(%s), 0) FROM member_tally t WHERE ",
		 q->f->has_account == 0 ? "t.without_account"
		 : q->f->has_account == 1 ? "t.files - t.without_account" : "t.files");
	if (q->scope->all)
		buf_addstr(&sql, "(t.depth = 2 OR t.depth = 0)");
	for (size_t k = 0; !q->scope->all && k < q->scope->npaths; k++)
		buf_addf(&sql, "%s(t.depth = ? AND t.prefix = ?)", k ? " OR " : "(");
	if (!q->scope->all)
		buf_addstr(&sql, q->scope->npaths ? ")" : "1=0");
	for (size_t k = 0; k < q->f->nstates; k++)
		buf_addf(&sql, "%s?%s", k ? ", " : " AND t.state IN (", k + 1 == q->f->nstates ? ")" : "");
	st = db_prepare(db, sql.data);
	for (size_t k = 0; !q->scope->all && k < q->scope->npaths; k++) {
		char lo[24], hi[26];

		listing_code_range(q->scope->paths[k], lo, hi);
		db_bind_int(st, i++, (int64_t)strlen(lo));
		db_bind_text(st, i++, lo);
	}
	for (size_t k = 0; k < q->f->nstates; k++)
		db_bind_text(st, i++, q->f->states[k]);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	buf_release(&sql);
	return rc == DB_ROW ? 0 : -1;
}

static int count_rows(struct db *db, const struct query *q, int64_t *total)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	int rc;

	/* Counting stops past MEMBER_COUNT_MAX: a search of the city for 王 reads 2,001 entries, not 56,000. */
	buf_addstr(&sql, "SELECT COUNT(*) FROM (SELECT 1");
	where_sql(&sql, q, false);
	buf_addstr(&sql, " LIMIT ?) AS capped");
	st = db_prepare(db, sql.data);
	db_bind_int(st, where_bind(st, q, false), MEMBER_COUNT_MAX + 1);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	buf_release(&sql);
	return rc == DB_ROW ? 0 : -1;
}

/* The name of file id, where a keyset page starts; -1 when there is no such file. */
static int after_name(struct db *db, int64_t id, char *out, size_t n)
{
	struct db_stmt *st = db_prepare(db, "SELECT name FROM member WHERE id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		str_copy(out, n, db_col_text(st, 0));
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int member_list(struct db *db, const struct scope *scope, const struct member_filter *f, struct member **items,
		size_t *n, int64_t *total, bool *capped)
{
	struct query q = { .scope = scope, .f = f, .wide = listing_scope_wide(scope) };
	const char *id = f->specialty ? "t.member_id" : "m.id", *name = f->specialty ? "t.name" : "m.name";
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	int rc, i;

	*items = NULL;
	*n = 0;
	*total = 0;
	*capped = false;
	q.code_col = f->specialty ? "t.community_code" : "m.community_code";
	query_text(&q);
	if (f->after && after_name(db, f->after, q.after_name, sizeof(q.after_name)) < 0)
		return MEMBER_OK; /* nothing comes after a file that is not there */
	if (q.wide && !f->after && (f->page - 1) * f->per_page > MEMBER_OFFSET_MAX)
		return MEMBER_INVALID; /* skipping that far reads what it skips: deep pages go by after */
	if (!f->no_total && tally_counts(&q) && count_tallied(db, &q, total) < 0)
		return MEMBER_ERROR;
	if (!f->no_total && !tally_counts(&q)) {
		if (count_rows(db, &q, total) < 0)
			return MEMBER_ERROR;
		*capped = *total > MEMBER_COUNT_MAX;
	}
	buf_addf(&sql, "SELECT " MEMBER_COLUMNS " FROM (SELECT %s AS id, %s AS name", id, name);
	where_sql(&sql, &q, true);
	/* A narrow scope sorts what its communities hold (+: the name index must not drive it). */
	buf_addf(&sql, " ORDER BY %s%s, %s LIMIT ?%s) p JOIN member m ON m.id = p.id", q.wide ? "" : "+", name, id,
		 f->after ? "" : " OFFSET ?");
	buf_addstr(&sql, " LEFT JOIN unit u ON u.id = m.unit_id LEFT JOIN region r ON r.code = m.community_code "
			 "LEFT JOIN region b ON b.code = m.building_code ORDER BY p.name, p.id");
	st = db_prepare(db, sql.data);
	i = where_bind(st, &q, true);
	db_bind_int(st, i++, f->per_page);
	if (!f->after)
		db_bind_int(st, i, (f->page - 1) * f->per_page);
	*items = xcalloc((size_t)f->per_page, sizeof(**items));
	while ((rc = db_step(st)) == DB_ROW && *n < (size_t)f->per_page)
		member_read_row(st, &(*items)[(*n)++]);
	db_done(st);
	buf_release(&sql);
	if (rc != DB_DONE && rc != DB_ROW) {
		free(*items);
		*items = NULL;
		*n = 0;
		return MEMBER_ERROR;
	}
	return MEMBER_OK;
}

void member_read_row(struct db_stmt *st, struct member *m)
{
	m->id = db_col_int(st, 0);
	str_copy(m->name, sizeof(m->name), db_col_text(st, 1));
	m->gender = db_col_text(st, 2)[0];
	str_copy(m->birth_date, sizeof(m->birth_date), db_col_text(st, 3));
	str_copy(m->phone, sizeof(m->phone), db_col_text(st, 4));
	str_copy(m->id_masked, sizeof(m->id_masked), db_col_text(st, 5));
	m->unit_id = db_col_int(st, 6);
	str_copy(m->unit_name, sizeof(m->unit_name), db_col_text(st, 7));
	str_copy(m->position, sizeof(m->position), db_col_text(st, 8));
	str_copy(m->party_branch, sizeof(m->party_branch), db_col_text(st, 9));
	str_copy(m->joined_party_on, sizeof(m->joined_party_on), db_col_text(st, 10));
	str_copy(m->community_code, sizeof(m->community_code), db_col_text(st, 11));
	str_copy(m->community_name, sizeof(m->community_name), db_col_text(st, 12));
	str_copy(m->community_path, sizeof(m->community_path), db_col_text(st, 13));
	str_copy(m->building_code, sizeof(m->building_code), db_col_text(st, 14));
	str_copy(m->address, sizeof(m->address), db_col_text(st, 15));
	str_copy(m->specialties, sizeof(m->specialties), db_col_text(st, 16));
	str_copy(m->preferred_posts, sizeof(m->preferred_posts), db_col_text(st, 17));
	m->plaque_hung = db_col_int(st, 18) != 0;
	str_copy(m->plaque_on, sizeof(m->plaque_on), db_col_text(st, 19));
	m->roster_verified = db_col_int(st, 20) != 0;
	m->account_id = db_col_int(st, 21);
	str_copy(m->state, sizeof(m->state), db_col_text(st, 22));
	m->created_at = db_col_int(st, 23);
	m->updated_at = db_col_int(st, 24);
	str_copy(m->building_name, sizeof(m->building_name), db_col_text(st, 25));
}

