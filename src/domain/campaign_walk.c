/* campaign_walk.c: a campaign on the doorstep: a stretch's doors, each household marked, the walk become a service record */
#include "domain/campaign.h"
#include "domain/campaign_row.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/record.h"

int campaign_doors(struct db *db, int64_t stretch_id, struct campaign_door **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT h.id, h.unit_no, h.room, h.floor, ch.state, ch.marks, "
					    "ch.updated_at FROM campaign_household ch JOIN household h ON h.id = "
					    "ch.household_id WHERE ch.stretch_id = ? ORDER BY h.unit_no, h.floor DESC, "
					    "h.room, h.id");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, stretch_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct campaign_door *d;

		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		d = &(*items)[(*n)++];
		memset(d, 0, sizeof(*d));
		d->household_id = db_col_int(st, 0);
		str_copy(d->unit_no, sizeof(d->unit_no), db_col_text(st, 1));
		str_copy(d->room, sizeof(d->room), db_col_text(st, 2));
		d->has_floor = !db_col_null(st, 3);
		d->floor = d->has_floor ? db_col_int(st, 3) : 0;
		str_copy(d->state, sizeof(d->state), db_col_text(st, 4));
		d->marks = db_col_int(st, 5);
		d->updated_at = db_col_int(st, 6);
	}
	db_done(st);
	if (rc == DB_DONE)
		return CAMPAIGN_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return CAMPAIGN_ERROR;
}

/* The stretch's count column of each mark, as written in SQL (todo is "todo"). */
static const char *const mark_columns[] = { "visited", "absent", "declined", "empty", NULL };

/*
 * Takes the household's row for this transaction and reads its state before
 * the mark: the UPDATE holds the row (PostgreSQL waits for another mark of
 * the same door to commit, then reads what it left), so two marks at once
 * move the counts from the state each really found.
 */
static int take_door(struct db *db, const struct campaign_mark_input *in, int64_t now, int64_t *stretch_id,
		     char *state, size_t size)
{
	struct db_stmt *st = db_prepare(db, "UPDATE campaign_household SET marks = marks + 1, updated_at = ? WHERE "
					    "campaign_id = ? AND household_id = ? RETURNING stretch_id, state");
	int rc;

	db_bind_int(st, 1, now);
	db_bind_int(st, 2, in->campaign_id);
	db_bind_int(st, 3, in->household_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*stretch_id = db_col_int(st, 0);
		str_copy(state, size, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? CAMPAIGN_OK : rc == DB_DONE ? CAMPAIGN_NOT_FOUND : CAMPAIGN_ERROR;
}

/* Whether member_id walks stretch_id: CAMPAIGN_OK or CAMPAIGN_NOT_YOURS. */
static int walker(struct db *db, int64_t stretch_id, int64_t member_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM campaign_stretch WHERE id = ? AND member_id = ?");
	int rc;

	db_bind_int(st, 1, stretch_id);
	db_bind_int(st, 2, member_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? CAMPAIGN_OK : rc == DB_DONE ? CAMPAIGN_NOT_YOURS : CAMPAIGN_ERROR;
}

/* Moves one household of the stretch from state from to state to in its counts. */
static int recount(struct db *db, int64_t stretch_id, const char *from, const char *to, int64_t now)
{
	char sql[200];
	struct db_stmt *st;
	int rc;
	size_t i, j;

	/* Both names come from fixed lists (todo or mark_columns), never from a caller. */
	for (i = 0; mark_columns[i] && strcmp(mark_columns[i], from); i++)
		;
	for (j = 0; mark_columns[j] && strcmp(mark_columns[j], to); j++)
		;
	if (!mark_columns[j] || (!mark_columns[i] && strcmp(from, "todo")))
		return CAMPAIGN_ERROR;
	if (!strcmp(from, to))
		return CAMPAIGN_OK;
	snprintf(sql, sizeof(sql), "UPDATE campaign_stretch SET %s = %s - 1, %s = %s + 1, updated_at = ? WHERE id = ?",
		 mark_columns[i] ? mark_columns[i] : "todo", mark_columns[i] ? mark_columns[i] : "todo", mark_columns[j],
		 mark_columns[j]);
	st = db_prepare(db, sql);
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, stretch_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? CAMPAIGN_OK : CAMPAIGN_ERROR;
}

static int write_answers(struct db *db, int64_t mark_id, const struct campaign *c, const struct campaign_mark_input *in)
{
	int rc = DB_DONE;

	for (size_t i = 0; rc == DB_DONE && i < c->nfields; i++)
		for (size_t k = 0; k < in->nanswers; k++) {
			struct db_stmt *st;

			if (strcmp(in->names[k], c->fields[i].name) || !in->values[k][0])
				continue;
			st = db_prepare(db, "INSERT INTO campaign_answer (mark_id, position, value) VALUES (?, ?, ?)");
			db_bind_int(st, 1, mark_id);
			db_bind_int(st, 2, (int64_t)i + 1);
			db_bind_text(st, 3, in->values[k]);
			rc = db_step(st);
			db_done(st);
			break;
		}
	return rc == DB_DONE ? CAMPAIGN_OK : CAMPAIGN_ERROR;
}

static void bind_id_or_null(struct db_stmt *st, int i, int64_t id)
{
	if (id)
		db_bind_int(st, i, id);
	else
		db_bind_null(st, i);
}

static int insert_mark(struct db *db, const struct actor *who, const struct campaign_mark_input *in, int64_t now,
		       int64_t *mark_id)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO campaign_mark (campaign_id, household_id, account_id, "
					    "member_id, mark, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
	int rc;

	db_bind_int(st, 1, in->campaign_id);
	db_bind_int(st, 2, in->household_id);
	bind_id_or_null(st, 3, who->account_id);
	bind_id_or_null(st, 4, in->member_id);
	db_bind_text(st, 5, campaign_marks[in->kind]);
	db_bind_text(st, 6, in->note ? in->note : "");
	db_bind_int(st, 7, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		*mark_id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? CAMPAIGN_OK : CAMPAIGN_ERROR;
}

static int set_state(struct db *db, const struct campaign_mark_input *in)
{
	struct db_stmt *st = db_prepare(db, "UPDATE campaign_household SET state = ? WHERE campaign_id = ? AND "
					    "household_id = ?");
	int rc;

	db_bind_text(st, 1, campaign_marks[in->kind]);
	db_bind_int(st, 2, in->campaign_id);
	db_bind_int(st, 3, in->household_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? CAMPAIGN_OK : CAMPAIGN_ERROR;
}

int campaign_mark(struct db *db, const struct actor *who, const struct campaign_mark_input *in,
		  struct field_errors *errs, int64_t *mark_id)
{
	const int64_t now = clock_now();
	struct campaign *c;
	char state[12] = "";
	int64_t stretch_id = 0;
	int rc;

	campaign_check_text(in->note, "note", 0, CAMPAIGN_NOTE_MAX, errs);
	if (in->kind < 0 || in->kind >= MARK_COUNT)
		field_errors_add(errs, "mark", "enum", "应为 已走访、无人在家、拒绝 或 空置");
	if (errs->n)
		return CAMPAIGN_INVALID;
	if (db_begin(db) < 0)
		return CAMPAIGN_ERROR;
	c = xmalloc(sizeof(*c));
	rc = campaign_head(db, in->campaign_id, c);
	if (rc == CAMPAIGN_OK && strcmp(c->state, "active"))
		rc = CAMPAIGN_BAD_STATE;
	if (rc == CAMPAIGN_OK) {
		if (in->kind == MARK_VISITED)
			catalog_check_field_values(c->fields, c->nfields, in->names, in->values, in->nanswers, errs);
		else if (in->nanswers)
			field_errors_add(errs, "fields", "unknown", "只有已走访才填写登记项");
		if (errs->n)
			rc = CAMPAIGN_INVALID;
	}
	if (rc == CAMPAIGN_OK)
		rc = take_door(db, in, now, &stretch_id, state, sizeof(state));
	if (rc == CAMPAIGN_OK && in->member_id)
		rc = walker(db, stretch_id, in->member_id);
	if (rc == CAMPAIGN_OK)
		rc = insert_mark(db, who, in, now, mark_id);
	if (rc == CAMPAIGN_OK && in->kind == MARK_VISITED)
		rc = write_answers(db, *mark_id, c, in);
	/* The latest mark is the household's state: two members at one door leave two marks and one state. */
	if (rc == CAMPAIGN_OK)
		rc = set_state(db, in);
	if (rc == CAMPAIGN_OK)
		rc = recount(db, stretch_id, state, campaign_marks[in->kind], now);
	if (rc == CAMPAIGN_OK)
		rc = campaign_audit(db, who, "campaign.mark", in->campaign_id, c->region_path);
	free(c);
	return campaign_finish(db, rc);
}

/* The walk's record: the campaign's item, in the building's community, ending now. */
static int walk_record(struct db *db, const struct actor *who, const struct campaign *c,
		       const struct campaign_stretch *s, const struct campaign_walk *w, struct field_errors *errs,
		       int64_t *record_id)
{
	char content[TEXT_BYTES(RECORD_CONTENT_MAX)];
	int64_t done = s->tally.households - s->tally.todo;
	struct record_input in = { 0 };
	int rc;

	snprintf(content, sizeof(content), "「%s」入户%s%s%s：走访 %lld 户", c->title, s->building_name,
		 s->unit_no[0] ? " " : "", s->unit_no, (long long)done);
	in.member_id = s->member_id;
	in.item_id = c->item_id;
	in.source = SOURCE_CAMPAIGN;
	in.origin_id = s->id;
	in.started_at = clock_now() - w->minutes * 60;
	in.minutes = w->minutes;
	in.place = s->building_name;
	in.content = content;
	in.nfields = w->nfields;
	in.field_names = w->names;
	in.field_values = w->values;
	rc = record_add(db, who, &in, errs, record_id);
	return rc == RECORD_OK ? CAMPAIGN_OK : rc == RECORD_INVALID ? CAMPAIGN_INVALID : rc == RECORD_OVERLAP ? CAMPAIGN_OVERLAP
		: rc == RECORD_DUPLICATE ? CAMPAIGN_DUPLICATE : CAMPAIGN_ERROR;
}

int campaign_walk_done(struct db *db, const struct actor *who, const struct campaign_walk *w,
		       struct field_errors *errs, int64_t *record_id)
{
	const int64_t stretch_id = w->stretch_id, minutes = w->minutes;
	struct campaign_stretch s;
	struct campaign *c;
	struct db_stmt *st;
	int rc;

	if (minutes < 1 || minutes > RECORD_MINUTES_MAX) {
		field_errors_add(errs, "minutes", minutes < 1 ? "too_small" : "too_large", "用时应为 1 到 1440 分钟");
		return CAMPAIGN_INVALID;
	}
	if (db_begin(db) < 0)
		return CAMPAIGN_ERROR;
	c = xmalloc(sizeof(*c));
	rc = campaign_stretch_get(db, stretch_id, &s);
	if (rc == CAMPAIGN_OK && s.member_id != w->member_id)
		rc = CAMPAIGN_NOT_YOURS;
	if (rc == CAMPAIGN_OK)
		rc = campaign_head(db, s.campaign_id, c);
	if (rc == CAMPAIGN_OK && (!strcmp(c->state, "draft") || s.tally.todo > 0))
		rc = CAMPAIGN_BAD_STATE;
	if (rc == CAMPAIGN_OK && s.record_id)
		rc = CAMPAIGN_DUPLICATE;
	if (rc == CAMPAIGN_OK)
		rc = walk_record(db, who, c, &s, w, errs, record_id);
	if (rc == CAMPAIGN_OK) {
		st = db_prepare(db, "UPDATE campaign_stretch SET record_id = ? WHERE id = ? AND record_id IS NULL");
		db_bind_int(st, 1, *record_id);
		db_bind_int(st, 2, stretch_id);
		rc = db_step(st) == DB_DONE && db_changes(db) == 1 ? CAMPAIGN_OK : CAMPAIGN_DUPLICATE;
		db_done(st);
	}
	if (rc == CAMPAIGN_OK)
		rc = campaign_audit(db, who, "campaign.walk", s.campaign_id, c->region_path);
	free(c);
	return campaign_finish(db, rc);
}
