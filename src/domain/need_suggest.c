/* need_suggest.c: who could take a need (点单): the community's members and its and its street's teams, scored */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/need.h"
#include "domain/resource.h"

/* Minutes after midnight a part of the day stands for, to test against weekly times. */
static int part_minute(const char *part)
{
	return !strcmp(part, "morning") ? 9 * 60 : !strcmp(part, "afternoon") ? 15 * 60 : !strcmp(part, "evening") ? 19 * 60 : 10 * 60;
}

struct slots {
	size_t n, cap;
	struct { int64_t member_id, team_id; struct match_slot s; } *items;
};

/* The weekly times the members and teams of the community offer as active resources. */
static int read_slots(struct db *db, const char *community, struct slots *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT COALESCE(r.member_id, 0), COALESCE(r.team_id, 0), s.weekday, s.from_min, "
					    "s.to_min FROM resource r JOIN resource_slot s ON s.resource_id = r.id WHERE "
					    "r.community_code = ? AND r.state = 'active' AND s.weekday > 0 AND "
					    "(r.member_id IS NOT NULL OR r.team_id IS NOT NULL)");
	int rc;

	db_bind_text(st, 1, community);
	while ((rc = db_step(st)) == DB_ROW) {
		if (out->n == out->cap)
			out->items = xrealloc(out->items, (out->cap = out->cap ? out->cap * 2 : 16) * sizeof(*out->items));
		out->items[out->n].member_id = db_col_int(st, 0);
		out->items[out->n].team_id = db_col_int(st, 1);
		out->items[out->n].s = (struct match_slot){ (int)db_col_int(st, 2), (int)db_col_int(st, 3),
							    (int)db_col_int(st, 4) };
		out->n++;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/*
 * Members: an approved report-in at the community and an account (so the
 * task reaches their phone), not the resident who asked, not one who
 * declined this need. Teams: active ones of the community or its street
 * with a leader who has an account and did not decline it. Each with its
 * open tasks: needs dispatched or taken and not done, wishes claimed.
 */
#define CANDIDATES_SQL                                                                                                \
	"SELECT 'member', m.id, 0, m.name, m.account_id, COALESCE(b.path, c.path), m.specialties, "                   \
	"(SELECT COUNT(*) FROM need x WHERE x.assignee_member_id = m.id AND x.state IN ('dispatched', 'taken', "      \
	"'in_progress')) + (SELECT COUNT(*) FROM wish w WHERE w.claimer_member_id = m.id AND w.state = 'claimed') "  \
	"FROM registration g JOIN member m ON m.id = g.member_id JOIN region c ON c.code = g.community_code "          \
	"LEFT JOIN region b ON b.code = m.building_code WHERE g.community_code = ? AND g.state = 'approved' AND "     \
	"m.account_id IS NOT NULL AND m.account_id <> ? AND NOT EXISTS (SELECT 1 FROM need_event e WHERE "            \
	"e.need_id = ? AND e.kind = 'decline' AND e.account_id = m.account_id) "                                     \
	"UNION ALL SELECT 'team', l.id, t.id, t.name, l.account_id, r.path, t.specialty, "                            \
	"(SELECT COUNT(*) FROM need x WHERE x.assignee_team_id = t.id AND x.state IN ('dispatched', 'taken', "        \
	"'in_progress')) + (SELECT COUNT(*) FROM wish w WHERE w.claimer_team_id = t.id AND w.state = 'claimed') "    \
	"FROM team t JOIN member l ON l.id = t.leader_id JOIN region r ON r.code = t.region_code WHERE "              \
	"t.state = 'active' AND l.account_id IS NOT NULL AND (t.region_code = ? OR t.region_code = "                  \
	"(SELECT parent FROM region WHERE code = ?)) AND NOT EXISTS (SELECT 1 FROM need_event e WHERE "               \
	"e.need_id = ? AND e.kind = 'decline' AND e.account_id = l.account_id)"

static int better(const void *a, const void *b)
{
	const struct need_suggestion *x = a, *y = b;

	if (x->score.score != y->score.score)
		return x->score.score > y->score.score ? -1 : 1;
	if (x->open_tasks != y->open_tasks)
		return x->open_tasks < y->open_tasks ? -1 : 1;
	if (!x->team_id != !y->team_id)
		return x->team_id ? 1 : -1; /* members before teams */
	return x->member_id < y->member_id ? -1 : x->member_id > y->member_id;
}

int need_suggest(struct db *db, const struct need *n, struct need_suggestion **out, size_t *count)
{
	struct slots sl = { 0 };
	struct match_need want = { n->place_path, n->specialties, 0, part_minute(n->wanted_part) };
	struct need_suggestion *items = NULL;
	struct db_stmt *st;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*count = 0;
	if (n->wanted_on[0])
		want.weekday = resource_weekday_of(n->wanted_on);
	if (read_slots(db, n->community_code, &sl) < 0) {
		free(sl.items);
		return NEED_ERROR;
	}
	st = db_prepare(db, CANDIDATES_SQL);
	db_bind_text(st, 1, n->community_code);
	db_bind_int(st, 2, n->requester_account_id ? n->requester_account_id : -1);
	db_bind_int(st, 3, n->id);
	db_bind_text(st, 4, n->community_code);
	db_bind_text(st, 5, n->community_code);
	db_bind_int(st, 6, n->id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct match_slot mine[16];
		struct match_candidate cand = { 0 };
		struct need_suggestion *s;

		if (len == cap)
			items = xrealloc(items, (cap = cap ? cap * 2 : 64) * sizeof(*items));
		s = &items[len];
		memset(s, 0, sizeof(*s));
		s->member_id = db_col_int(st, 1);
		s->team_id = db_col_int(st, 2);
		str_copy(s->name, sizeof(s->name), db_col_text(st, 3));
		s->account_id = db_col_int(st, 4);
		str_copy(s->home_path, sizeof(s->home_path), db_col_text(st, 5));
		str_copy(s->specialties, sizeof(s->specialties), db_col_text(st, 6));
		s->open_tasks = (int)db_col_int(st, 7);
		for (size_t i = 0; i < sl.n && cand.nslots < sizeof(mine) / sizeof(mine[0]); i++)
			if (s->team_id ? sl.items[i].team_id == s->team_id
				       : sl.items[i].member_id == s->member_id && !sl.items[i].team_id)
				mine[cand.nslots++] = sl.items[i].s;
		cand.home_path = s->home_path;
		cand.specialties = s->specialties;
		cand.open_tasks = s->open_tasks;
		cand.slots = mine;
		match_score(&want, &cand, &s->score);
		if (!s->score.excluded)
			len++;
	}
	db_done(st);
	free(sl.items);
	if (rc != DB_DONE) {
		free(items);
		return NEED_ERROR;
	}
	qsort(items, len, sizeof(*items), better);
	*out = items;
	*count = len < NEED_SUGGESTIONS ? len : NEED_SUGGESTIONS;
	return NEED_OK;
}
