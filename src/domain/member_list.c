/* member_list.c: lists of member files at city scale: which index drives a page, counts from the tallies */
#include "domain/member.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/listing.h"
#include "domain/member_row.h"

/*
 * Two ways to read a page, chosen by how far the scope reaches:
 * - narrow (communities, streets, units: a few thousand files at most): the
 *   files are found through their communities and units, then sorted;
 * - wide (a district, the city, everything): the files are read in name
 *   order through member_name, each checked against the scope, until the
 *   page is full; a page after another starts where it ended (keyset).
 * Counts of a wide scope come from member_tally when the filters allow.
 */
static size_t path_depth(const char *path)
{
	size_t n = 0;

	for (; *path; path++)
		n += *path == '/';
	return n ? n - 1 : 0;
}

static bool scope_wide(const struct scope *s)
{
	if (s->all)
		return true;
	for (size_t i = 0; i < s->npaths; i++)
		if (path_depth(s->paths[i]) <= 2)
			return true;
	return false;
}

/* Every path under prefix lies in [prefix, hi): paths hold digits and '/', and '0' follows '/'. */
static void path_hi(const char *prefix, char hi[PATH_MAX_LEN])
{
	size_t n;

	str_copy(hi, PATH_MAX_LEN, prefix);
	n = strlen(hi);
	if (n)
		hi[n - 1] = '0';
}

struct query {
	const struct scope *scope;
	const struct member_filter *f;
	bool wide;
	char q_hi[TEXT_BYTES(64)]; /* a prefix search's upper bound */
	int q_kind; /* 0 none, 1 name prefix, 2 phone prefix, 3 phone's last four */
	char tag[TEXT_BYTES(24)];
	char after_name[TEXT_BYTES(MEMBER_NAME_MAX)];
};

static void scope_sql(struct buf *sql, const struct query *q)
{
	const struct scope *s = q->scope;

	if (s->all)
		return;
	if (q->wide) {
		buf_addstr(sql, " AND (1=0");
		for (size_t i = 0; i < s->npaths; i++)
			buf_addstr(sql, " OR (r.path >= ? AND r.path < ?)");
		for (size_t i = 0; i < s->nunits; i++)
			buf_addstr(sql, " OR m.unit_id = ?");
		buf_addch(sql, ')');
		return;
	}
	buf_addstr(sql, " AND m.id IN (SELECT 0");
	for (size_t i = 0; i < s->npaths; i++)
		buf_addstr(sql, " UNION ALL SELECT m2.id FROM region s2 CROSS JOIN member m2 WHERE s2.path >= ? AND "
				"s2.path < ? AND s2.level = 'community' AND m2.community_code = s2.code");
	for (size_t i = 0; i < s->nunits; i++)
		buf_addstr(sql, " UNION ALL SELECT id FROM member WHERE unit_id = ?");
	buf_addch(sql, ')');
}

static int scope_bind(struct db_stmt *st, const struct query *q, int i)
{
	const struct scope *s = q->scope;

	if (s->all)
		return i;
	for (size_t k = 0; k < s->npaths; k++) {
		char hi[PATH_MAX_LEN];

		path_hi(s->paths[k], hi);
		db_bind_text(st, i++, s->paths[k]);
		db_bind_text(st, i++, hi);
	}
	for (size_t k = 0; k < s->nunits; k++)
		db_bind_int(st, i++, s->units[k]);
	return i;
}

static void filter_sql(struct buf *sql, const struct query *q, bool page)
{
	const struct member_filter *f = q->f;

	if (f->community)
		buf_addstr(sql, " AND m.community_code = ?");
	if (f->unit_id)
		buf_addstr(sql, " AND m.unit_id = ?");
	if (f->state)
		buf_addstr(sql, " AND m.state = ?");
	if (f->has_account == 0)
		buf_addstr(sql, " AND m.account_id IS NULL");
	else if (f->has_account == 1)
		buf_addstr(sql, " AND m.account_id IS NOT NULL");
	if (f->specialty)
		buf_addstr(sql, " AND (',' || m.specialties || ',') LIKE ? ESCAPE '\\'");
	if (q->q_kind == 1)
		buf_addstr(sql, " AND m.name >= ? AND m.name < ?");
	else if (q->q_kind == 2)
		buf_addstr(sql, " AND m.phone >= ? AND m.phone < ?");
	else if (q->q_kind == 3)
		buf_addstr(sql, " AND substr(m.phone, 8) = ?");
	if (page && f->after)
		buf_addstr(sql, " AND (m.name, m.id) > (?, ?)");
}

static int filter_bind(struct db_stmt *st, const struct query *q, bool page, int i)
{
	const struct member_filter *f = q->f;

	if (f->community)
		db_bind_text(st, i++, f->community);
	if (f->unit_id)
		db_bind_int(st, i++, f->unit_id);
	if (f->state)
		db_bind_text(st, i++, f->state);
	if (f->specialty)
		db_bind_text(st, i++, q->tag);
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
	if (strlen(q->q_hi) == n && n + 4 < sizeof(q->q_hi))
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

	buf_addf(&sql, "SELECT COALESCE(SUM(%s), 0) FROM member_tally t",
		 q->f->has_account == 0 ? "t.without_account"
		 : q->f->has_account == 1 ? "t.files - t.without_account" : "t.files");
	if (!q->scope->all) {
		buf_addstr(&sql, " JOIN region r ON r.code = t.community_code WHERE (1=0");
		for (size_t k = 0; k < q->scope->npaths; k++)
			buf_addstr(&sql, " OR (r.path >= ? AND r.path < ?)");
		buf_addch(&sql, ')');
	} else {
		buf_addstr(&sql, " WHERE 1=1");
	}
	if (q->f->state)
		buf_addstr(&sql, " AND t.state = ?");
	st = db_prepare(db, sql.data);
	i = scope_bind(st, q, i);
	if (q->f->state)
		db_bind_text(st, i, q->f->state);
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

	buf_addstr(&sql, "SELECT COUNT(*)" MEMBER_FROM " WHERE 1=1");
	scope_sql(&sql, q);
	filter_sql(&sql, q, false);
	st = db_prepare(db, sql.data);
	filter_bind(st, q, false, scope_bind(st, q, 1));
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
		size_t *n, int64_t *total)
{
	struct query q = { .scope = scope, .f = f, .wide = scope_wide(scope) };
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	int rc, i;

	*items = NULL;
	*n = 0;
	*total = 0;
	query_text(&q);
	if (f->specialty) {
		struct buf like = BUF_INIT;

		buf_addstr(&like, "%,");
		listing_like(&like, f->specialty, 1);
		like.data[like.len - 1] = ',';
		buf_addch(&like, '%');
		str_copy(q.tag, sizeof(q.tag), buf_str(&like));
		buf_release(&like);
	}
	if (f->after && after_name(db, f->after, q.after_name, sizeof(q.after_name)) < 0)
		return MEMBER_OK; /* nothing comes after a file that is not there */
	if ((tally_counts(&q) ? count_tallied(db, &q, total) : count_rows(db, &q, total)) < 0)
		return MEMBER_ERROR;
	buf_addstr(&sql, "SELECT " MEMBER_COLUMNS MEMBER_FROM " WHERE 1=1");
	scope_sql(&sql, &q);
	filter_sql(&sql, &q, true);
	buf_addstr(&sql, " ORDER BY m.name, m.id LIMIT ?");
	if (!f->after)
		buf_addstr(&sql, " OFFSET ?");
	st = db_prepare(db, sql.data);
	i = filter_bind(st, &q, true, scope_bind(st, &q, 1));
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

