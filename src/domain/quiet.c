/* quiet.c: who has gone quiet: each reported-in member's last service against their community's rule */
#include "domain/quiet.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/rule.h"

/* Every reported-in member of the community (?1 community code) or of the unit (?2 unit id), with the two dates. */
#define QUIET_SELECT \
	"SELECT m.id, m.name, m.phone, m.community_code, r.name, r.path, COALESCE(m.unit_id, 0), COALESCE(u.name, ''), " \
	"COALESCE((SELECT MAX(x.started_at) FROM record x WHERE x.member_id = m.id AND x.state = 'confirmed' " \
	"AND x.source <> 'correction'), 0), " \
	"COALESCE((SELECT MAX(g.decided_at) FROM registration g WHERE g.member_id = m.id AND g.state = 'approved'), " \
	"m.created_at) " \
	"FROM member m JOIN region r ON r.code = m.community_code LEFT JOIN unit u ON u.id = m.unit_id " \
	"WHERE m.state = 'approved' AND "

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

static int collect(struct db *db, struct db_stmt *st, int64_t now, struct quiet_member **items, size_t *n)
{
	struct rule_cache cache = { 0 };
	size_t cap = 0;
	char today[11];
	int rc;

	*items = NULL;
	*n = 0;
	clock_date(now, today);
	while ((rc = db_step(st)) == DB_ROW) {
		struct quiet_member q = { .member_id = db_col_int(st, 0) };
		struct rule rule;
		int64_t last = db_col_int(st, 8), approved = db_col_int(st, 9);

		if (rule_for_cached(db, &cache, db_col_text(st, 5), today, &rule) != RULE_OK) {
			rc = DB_ERROR;
			break;
		}
		q.last_served = last;
		q.since = last > approved ? last : approved;
		q.quiet_days = rule.t.quiet_days;
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
	rule_cache_release(&cache);
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
