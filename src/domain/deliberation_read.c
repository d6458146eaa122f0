/* deliberation_read.c: a deliberation read whole, listed, tallied per building, its ballots, a household's open ones */
#include "domain/deliberation.h"

#include <stdlib.h>
#include <string.h>

int deliberation_get(struct db *db, int64_t id, struct deliberation *out)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT d.id, d.community_code, c.path, c.name, d.title, d.question, d.minutes, d.basis, "
		    "d.threshold_num, d.threshold_den, d.threshold_strict, d.of_voting, d.quorum_num, d.quorum_den, "
		    "d.deadline, d.state, COALESCE(d.outcome, ''), d.case_id, d.created_at, d.updated_at, "
		    "COALESCE(d.opened_at, 0), COALESCE(d.closed_at, 0), d.minutes_photo FROM deliberation d JOIN region c ON c.code = "
		    "d.community_code WHERE d.id = ?");
	int rc;

	memset(out, 0, sizeof(*out));
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		str_copy(out->community_code, sizeof(out->community_code), db_col_text(st, 1));
		str_copy(out->community_path, sizeof(out->community_path), db_col_text(st, 2));
		str_copy(out->community_name, sizeof(out->community_name), db_col_text(st, 3));
		str_copy(out->title, sizeof(out->title), db_col_text(st, 4));
		str_copy(out->question, sizeof(out->question), db_col_text(st, 5));
		str_copy(out->minutes, sizeof(out->minutes), db_col_text(st, 6));
		const char *basis = db_col_text(st, 7);
		for (int b = 0; b < DELIB_BASIS_COUNT; b++)
			if (!strcmp(basis, delib_bases[b]))
				out->rule.basis = (enum delib_basis)b;
		out->rule.threshold = (struct delib_fraction){ db_col_int(st, 8), db_col_int(st, 9), db_col_int(st, 10) != 0 };
		out->rule.of_voting = db_col_int(st, 11) != 0;
		out->rule.quorum = (struct delib_fraction){ db_col_int(st, 12), db_col_int(st, 13), false };
		out->deadline = db_col_int(st, 14);
		str_copy(out->state, sizeof(out->state), db_col_text(st, 15));
		str_copy(out->outcome, sizeof(out->outcome), db_col_text(st, 16));
		out->has_case = !db_col_null(st, 17);
		out->case_id = out->has_case ? db_col_int(st, 17) : 0;
		out->created_at = db_col_int(st, 18);
		out->updated_at = db_col_int(st, 19);
		out->opened_at = db_col_int(st, 20);
		out->closed_at = db_col_int(st, 21);
		out->has_photo = !db_col_null(st, 22);
	}
	db_done(st);
	if (rc == DB_DONE)
		return DELIB_NOT_FOUND;
	if (rc != DB_ROW)
		return DELIB_ERROR;
	st = db_prepare(db, "SELECT label FROM deliberation_option WHERE deliberation_id = ? ORDER BY position");
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW && out->noptions < DELIB_OPTIONS_MAX)
		str_copy(out->options[out->noptions++], sizeof(out->options[0]), db_col_text(st, 0));
	db_done(st);
	return rc == DB_DONE || rc == DB_ROW ? DELIB_OK : DELIB_ERROR;
}

int deliberation_list(struct db *db, const char *community_code, const char *state, struct deliberation_row **items,
		      size_t *n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT d.id, d.community_code, d.title, d.state, COALESCE(d.outcome, ''), d.deadline, d.created_at, "
		    "(SELECT COUNT(*) FROM deliberation_household x WHERE x.deliberation_id = d.id), "
		    "(SELECT COUNT(x.choice) FROM deliberation_household x WHERE x.deliberation_id = d.id), "
		    "(SELECT COUNT(*) FROM deliberation_household x WHERE x.deliberation_id = d.id AND x.choice = 1) "
		    "FROM deliberation d WHERE d.community_code = ? AND (? = '' OR d.state = ?) ORDER BY d.id DESC "
		    "LIMIT 500");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_text(st, 1, community_code);
	db_bind_text(st, 2, state ? state : "");
	db_bind_text(st, 3, state ? state : "");
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		struct deliberation_row *r = &(*items)[(*n)++];
		memset(r, 0, sizeof(*r));
		r->id = db_col_int(st, 0);
		str_copy(r->community_code, sizeof(r->community_code), db_col_text(st, 1));
		str_copy(r->title, sizeof(r->title), db_col_text(st, 2));
		str_copy(r->state, sizeof(r->state), db_col_text(st, 3));
		str_copy(r->outcome, sizeof(r->outcome), db_col_text(st, 4));
		r->deadline = db_col_int(st, 5);
		r->created_at = db_col_int(st, 6);
		r->households = db_col_int(st, 7);
		r->voted = db_col_int(st, 8);
		r->agree = db_col_int(st, 9);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return DELIB_ERROR;
	}
	return DELIB_OK;
}

static void count_add(struct deliberation_count *to, const struct deliberation_count *from)
{
	to->tally.households += from->tally.households;
	to->tally.area += from->tally.area;
	to->tally.area_missing += from->tally.area_missing;
	to->tally.voted += from->tally.voted;
	to->tally.voted_area += from->tally.voted_area;
	to->tally.agree += from->tally.agree;
	to->tally.agree_area += from->tally.agree_area;
	for (int k = 0; k < DELIB_OPTIONS_MAX; k++)
		to->by_option[k] += from->by_option[k];
}

int deliberation_tally(struct db *db, int64_t id, struct deliberation_count *all, struct deliberation_count **items,
		       size_t *n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT b.code, b.name, COUNT(*), COALESCE(SUM(x.area), 0), COUNT(*) - COUNT(x.area), COUNT(x.choice), "
		    "COALESCE(SUM(CASE WHEN x.choice IS NOT NULL THEN x.area ELSE 0 END), 0), "
		    "COALESCE(SUM(CASE WHEN x.choice = 1 THEN 1 ELSE 0 END), 0), "
		    "COALESCE(SUM(CASE WHEN x.choice = 1 THEN x.area ELSE 0 END), 0), "
		    "COALESCE(SUM(CASE WHEN x.choice = 2 THEN 1 ELSE 0 END), 0), "
		    "COALESCE(SUM(CASE WHEN x.choice = 3 THEN 1 ELSE 0 END), 0), "
		    "COALESCE(SUM(CASE WHEN x.choice = 4 THEN 1 ELSE 0 END), 0), "
		    "COALESCE(SUM(CASE WHEN x.choice = 5 THEN 1 ELSE 0 END), 0), "
		    "COALESCE(SUM(CASE WHEN x.choice = 6 THEN 1 ELSE 0 END), 0) "
		    "FROM deliberation_household x JOIN region b ON b.code = x.building_code WHERE x.deliberation_id = ? "
		    "GROUP BY b.code, b.name, b.path ORDER BY b.path");
	size_t cap = 0;
	int rc;

	memset(all, 0, sizeof(*all));
	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		struct deliberation_count *c = &(*items)[(*n)++];
		memset(c, 0, sizeof(*c));
		str_copy(c->building_code, sizeof(c->building_code), db_col_text(st, 0));
		str_copy(c->building_name, sizeof(c->building_name), db_col_text(st, 1));
		c->tally = (struct delib_tally){ db_col_int(st, 2), db_col_int(st, 3), db_col_int(st, 4),
						 db_col_int(st, 5), db_col_int(st, 6), db_col_int(st, 7),
						 db_col_int(st, 8) };
		c->by_option[0] = c->tally.agree;
		for (int k = 1; k < DELIB_OPTIONS_MAX; k++)
			c->by_option[k] = db_col_int(st, 8 + k);
		count_add(all, c);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return DELIB_ERROR;
	}
	return DELIB_OK;
}

int deliberation_ballots(struct db *db, int64_t id, struct deliberation_ballot **items, size_t *n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT x.household_id, b.code, b.name, h.unit_no, h.room, x.area, COALESCE(x.choice, 0), "
		    "COALESCE(v.channel, ''), COALESCE(a.name, ''), COALESCE(v.note, ''), COALESCE(x.voted_at, 0), "
		    "(SELECT COUNT(*) FROM deliberation_vote y WHERE y.deliberation_id = x.deliberation_id AND "
		    "y.household_id = x.household_id) FROM deliberation_household x JOIN household h ON h.id = "
		    "x.household_id JOIN region b ON b.code = x.building_code LEFT JOIN deliberation_vote v ON v.id = "
		    "x.vote_id LEFT JOIN account a ON a.id = v.account_id WHERE x.deliberation_id = ? ORDER BY b.path, "
		    "h.unit_no, h.floor DESC, h.room, h.id");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		struct deliberation_ballot *b = &(*items)[(*n)++];
		memset(b, 0, sizeof(*b));
		b->household_id = db_col_int(st, 0);
		str_copy(b->building_code, sizeof(b->building_code), db_col_text(st, 1));
		str_copy(b->building_name, sizeof(b->building_name), db_col_text(st, 2));
		str_copy(b->unit_no, sizeof(b->unit_no), db_col_text(st, 3));
		str_copy(b->room, sizeof(b->room), db_col_text(st, 4));
		b->has_area = !db_col_null(st, 5);
		b->area = b->has_area ? db_col_int(st, 5) : 0;
		b->choice = db_col_int(st, 6);
		str_copy(b->channel, sizeof(b->channel), db_col_text(st, 7));
		str_copy(b->recorded_by, sizeof(b->recorded_by), db_col_text(st, 8));
		str_copy(b->note, sizeof(b->note), db_col_text(st, 9));
		b->voted_at = db_col_int(st, 10);
		b->votes = db_col_int(st, 11);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return DELIB_ERROR;
	}
	return DELIB_OK;
}

int deliberation_of_household(struct db *db, int64_t household_id, struct deliberation_mine **items, size_t *n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT d.id, COALESCE(x.choice, 0), COALESCE(x.voted_at, 0) FROM deliberation_household x JOIN "
		    "deliberation d ON d.id = x.deliberation_id WHERE x.household_id = ? AND d.state = 'open' ORDER BY "
		    "d.id DESC LIMIT 50");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, household_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		(*items)[(*n)++] = (struct deliberation_mine){ db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2) };
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return DELIB_ERROR;
	}
	return DELIB_OK;
}
