/* deliberation.c: deliberations created over buildings, edited as drafts, opened, closed with their outcome, cancelled; votes cast */
#include "domain/deliberation.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/valid.h"
#include "domain/household.h"

const char *const deliberation_states[] = { "draft", "open", "closed", "cancelled", NULL };
const char *const deliberation_channels[] = { "phone", "paper", NULL };
static const char *const default_options[] = { "同意", "不同意", "弃权" };

static int finish(struct db *db, int rc)
{
	if (rc == DELIB_OK && db_commit(db) < 0)
		rc = DELIB_ERROR;
	if (rc != DELIB_OK)
		db_rollback(db);
	return rc;
}

static void check_text(const char *s, const char *field, size_t min, size_t max, struct field_errors *errs)
{
	size_t n = s ? utf8_chars(s) : 0;

	if (s && !valid_utf8_text(s, strlen(s)))
		field_errors_add(errs, field, "invalid", "含有无法识别的字符");
	else if (n < min)
		field_errors_add(errs, field, "required", "不能为空");
	else if (n > max)
		field_errors_add(errs, field, "too_long", "太长了");
}

bool deliberation_check(const struct deliberation_input *in, int64_t now, struct field_errors *errs)
{
	size_t before = errs->n;

	check_text(in->title, "title", 1, DELIB_TITLE_MAX, errs);
	check_text(in->question, "question", 0, DELIB_QUESTION_MAX, errs);
	check_text(in->minutes, "minutes", 0, DELIB_MINUTES_MAX, errs);
	if (in->options && (in->noptions < DELIB_OPTIONS_MIN || in->noptions > DELIB_OPTIONS_MAX))
		field_errors_add(errs, "options", "count", "选项应为 2 到 6 个");
	for (size_t i = 0; in->options && i < in->noptions && i < DELIB_OPTIONS_MAX; i++) {
		check_text(in->options[i], "options", 1, DELIB_OPTION_MAX, errs);
		for (size_t j = 0; j < i; j++)
			if (in->options[i] && in->options[j] && !strcmp(in->options[i], in->options[j]))
				field_errors_add(errs, "options", "duplicate", "选项不能重复");
	}
	if ((unsigned)in->rule.basis >= DELIB_BASIS_COUNT)
		field_errors_add(errs, "basis", "enum", "应为 households、area 或 both");
	if (!delib_fraction_valid(&in->rule.threshold, false))
		field_errors_add(errs, "threshold", "invalid", "通过比例应为 0 到 1 之间的分数，分母不超过 100");
	if (!delib_fraction_valid(&in->rule.quorum, true))
		field_errors_add(errs, "quorum", "invalid", "参与比例应为 0 到 1 之间的分数，分母不超过 100");
	if (in->deadline <= now)
		field_errors_add(errs, "deadline", "too_small", "截止时间应在现在之后");
	else if (in->deadline > now + 366 * 86400LL)
		field_errors_add(errs, "deadline", "too_large", "截止时间最多在一年以内");
	return errs->n == before;
}

static int audit(struct db *db, const struct actor *who, const char *action, int64_t id, const char *path)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append(db, who, action, "deliberation", idt, path, "ok") < 0 ? DELIB_ERROR : DELIB_OK;
}

static int step_done(struct db_stmt *st)
{
	int rc = db_step(st) == DB_DONE ? DELIB_OK : DELIB_ERROR;

	db_done(st);
	return rc;
}

static int write_options(struct db *db, int64_t id, const struct deliberation_input *in)
{
	const char *const *opts = in->options ? in->options : default_options;
	const size_t n = in->options ? in->noptions : 3;
	struct db_stmt *st = db_prepare(db, "DELETE FROM deliberation_option WHERE deliberation_id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = step_done(st);
	for (size_t i = 0; rc == DELIB_OK && i < n; i++) {
		st = db_prepare(db, "INSERT INTO deliberation_option (deliberation_id, position, label) VALUES (?, ?, ?)");
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_text(st, 3, opts[i]);
		rc = step_done(st);
	}
	return rc;
}

/* Each building must be a building of the community, named once; its households are covered. */
static int add_buildings(struct db *db, int64_t id, const struct deliberation_input *in, struct field_errors *errs,
			 int64_t *covered)
{
	struct region b, c;
	int rc = DELIB_OK;

	if (in->nbuildings == 0 || in->nbuildings > DELIB_BUILDINGS_MAX) {
		field_errors_add(errs, "building_codes", "count", "应选 1 到 50 栋楼");
		return DELIB_INVALID;
	}
	for (size_t i = 0; rc == DELIB_OK && i < in->nbuildings; i++) {
		int got = household_building(db, in->building_codes[i], &b, &c);

		if (got == HOUSEHOLD_ERROR)
			return DELIB_ERROR;
		if (got != HOUSEHOLD_OK || strcmp(c.code, in->community_code)) {
			field_errors_add(errs, "building_codes", "not_found", "应为本社区的楼栋");
			return DELIB_INVALID;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(in->building_codes[i], in->building_codes[j])) {
				field_errors_add(errs, "building_codes", "duplicate", "楼栋不能重复");
				return DELIB_INVALID;
			}
		struct db_stmt *st = db_prepare(
			db, "INSERT INTO deliberation_building (deliberation_id, building_code) VALUES (?, ?)");
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, b.code);
		rc = step_done(st);
		if (rc != DELIB_OK)
			break;
		st = db_prepare(db, "INSERT INTO deliberation_household (deliberation_id, household_id, building_code) "
				    "SELECT ?, id, building_code FROM household WHERE building_code = ?");
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, b.code);
		rc = step_done(st);
		*covered += db_changes(db);
	}
	if (rc == DELIB_OK && *covered == 0) {
		field_errors_add(errs, "building_codes", "empty", "这些楼栋还没有登记住户");
		rc = DELIB_INVALID;
	}
	return rc;
}

static void bind_rule(struct db_stmt *st, int at, const struct deliberation_input *in)
{
	db_bind_text(st, at, delib_bases[in->rule.basis]);
	db_bind_int(st, at + 1, in->rule.threshold.num);
	db_bind_int(st, at + 2, in->rule.threshold.den);
	db_bind_int(st, at + 3, in->rule.threshold.strict);
	db_bind_int(st, at + 4, in->rule.of_voting);
	db_bind_int(st, at + 5, in->rule.quorum.num);
	db_bind_int(st, at + 6, in->rule.quorum.num ? in->rule.quorum.den : 1);
}

int deliberation_create(struct db *db, const struct actor *who, const struct deliberation_input *in,
			struct field_errors *errs, int64_t *id)
{
	const int64_t now = clock_now();
	struct region c;
	int64_t covered = 0;
	int rc;

	if (!deliberation_check(in, now, errs))
		return DELIB_INVALID;
	if (db_begin(db) < 0)
		return DELIB_ERROR;
	rc = in->community_code && valid_digits(in->community_code, 12, 18) ? region_get(db, in->community_code, &c)
									  : REGION_NOT_FOUND;
	if (rc == REGION_OK && strcmp(c.level, "community"))
		rc = REGION_NOT_FOUND;
	rc = rc == REGION_OK ? DELIB_OK : rc == REGION_NOT_FOUND ? DELIB_NOT_FOUND : DELIB_ERROR;
	if (rc == DELIB_OK) {
		struct db_stmt *st = db_prepare(
			db, "INSERT INTO deliberation (community_code, title, question, basis, threshold_num, threshold_den, "
			    "threshold_strict, of_voting, quorum_num, quorum_den, deadline, state, minutes, created_by, "
			    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?) "
			    "RETURNING id");
		db_bind_text(st, 1, c.code);
		db_bind_text(st, 2, in->title);
		db_bind_text(st, 3, in->question ? in->question : "");
		bind_rule(st, 4, in);
		db_bind_int(st, 11, in->deadline);
		db_bind_text(st, 12, in->minutes ? in->minutes : "");
		if (who->account_id)
			db_bind_int(st, 13, who->account_id);
		else
			db_bind_null(st, 13);
		db_bind_int(st, 14, now);
		db_bind_int(st, 15, now);
		rc = db_step(st) == DB_ROW ? DELIB_OK : DELIB_ERROR;
		if (rc == DELIB_OK)
			*id = db_col_int(st, 0);
		db_done(st);
	}
	if (rc == DELIB_OK)
		rc = write_options(db, *id, in);
	if (rc == DELIB_OK)
		rc = add_buildings(db, *id, in, errs, &covered);
	if (rc == DELIB_OK)
		rc = audit(db, who, "deliberation.create", *id, c.path);
	return finish(db, rc);
}

/* The deliberation in a write transaction, in one of the states allowed (NULL: any). */
static int head(struct db *db, int64_t id, struct deliberation *d, const char *s1, const char *s2)
{
	int rc = deliberation_get(db, id, d);

	if (rc == DELIB_OK && s1 && strcmp(d->state, s1) && (!s2 || strcmp(d->state, s2)))
		rc = DELIB_BAD_STATE;
	return rc;
}

int deliberation_update(struct db *db, const struct actor *who, int64_t id, const struct deliberation_input *in,
			struct field_errors *errs)
{
	struct deliberation *d;
	int rc;

	if (!deliberation_check(in, clock_now(), errs))
		return DELIB_INVALID;
	if (db_begin(db) < 0)
		return DELIB_ERROR;
	d = xmalloc(sizeof(*d));
	rc = head(db, id, d, "draft", NULL);
	if (rc == DELIB_OK) {
		struct db_stmt *st = db_prepare(
			db, "UPDATE deliberation SET title = ?, question = ?, basis = ?, threshold_num = ?, threshold_den = "
			    "?, threshold_strict = ?, of_voting = ?, quorum_num = ?, quorum_den = ?, deadline = ?, minutes = "
			    "?, updated_at = ? WHERE id = ?");
		db_bind_text(st, 1, in->title);
		db_bind_text(st, 2, in->question ? in->question : "");
		bind_rule(st, 3, in);
		db_bind_int(st, 10, in->deadline);
		db_bind_text(st, 11, in->minutes ? in->minutes : d->minutes);
		db_bind_int(st, 12, clock_now());
		db_bind_int(st, 13, id);
		rc = step_done(st);
	}
	if (rc == DELIB_OK)
		rc = write_options(db, id, in);
	if (rc == DELIB_OK)
		rc = audit(db, who, "deliberation.update", id, d->community_path);
	free(d);
	return finish(db, rc);
}

int deliberation_remove(struct db *db, const struct actor *who, int64_t id)
{
	static const char *const tables[] = { "deliberation_vote", "deliberation_household", "deliberation_option",
					      "deliberation_building" };
	struct deliberation *d = xmalloc(sizeof(*d));
	char sql[96];
	int rc;

	if (db_begin(db) < 0) {
		free(d);
		return DELIB_ERROR;
	}
	rc = head(db, id, d, "draft", NULL);
	for (size_t i = 0; rc == DELIB_OK && i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE deliberation_id = ?", tables[i]);
		struct db_stmt *st = db_prepare(db, sql);
		db_bind_int(st, 1, id);
		rc = step_done(st);
	}
	if (rc == DELIB_OK) {
		struct db_stmt *st = db_prepare(db, "DELETE FROM deliberation WHERE id = ?");
		db_bind_int(st, 1, id);
		rc = step_done(st);
	}
	if (rc == DELIB_OK)
		rc = audit(db, who, "deliberation.remove", id, d->community_path);
	free(d);
	return finish(db, rc);
}

int deliberation_set_minutes(struct db *db, const struct actor *who, int64_t id, const char *minutes,
			     struct field_errors *errs)
{
	struct deliberation *d;
	size_t before = errs->n;
	int rc;

	check_text(minutes ? minutes : "", "minutes", 0, DELIB_MINUTES_MAX, errs);
	if (errs->n != before)
		return DELIB_INVALID;
	if (db_begin(db) < 0)
		return DELIB_ERROR;
	d = xmalloc(sizeof(*d));
	rc = head(db, id, d, NULL, NULL);
	if (rc == DELIB_OK && !strcmp(d->state, "cancelled"))
		rc = DELIB_BAD_STATE;
	if (rc == DELIB_OK) {
		struct db_stmt *st = db_prepare(db, "UPDATE deliberation SET minutes = ?, updated_at = ? WHERE id = ?");
		db_bind_text(st, 1, minutes ? minutes : "");
		db_bind_int(st, 2, clock_now());
		db_bind_int(st, 3, id);
		rc = step_done(st);
	}
	if (rc == DELIB_OK)
		rc = audit(db, who, "deliberation.minutes", id, d->community_path);
	free(d);
	return finish(db, rc);
}

int deliberation_set_area(struct db *db, const struct actor *who, int64_t id, int64_t household_id, int64_t area)
{
	struct deliberation *d;
	int rc;

	if (area < 0 || area > DELIB_AREA_MAX)
		return DELIB_INVALID;
	if (db_begin(db) < 0)
		return DELIB_ERROR;
	d = xmalloc(sizeof(*d));
	rc = head(db, id, d, "draft", NULL);
	if (rc == DELIB_OK) {
		struct db_stmt *st = db_prepare(
			db, "UPDATE deliberation_household SET area = ? WHERE deliberation_id = ? AND household_id = ?");
		if (area)
			db_bind_int(st, 1, area);
		else
			db_bind_null(st, 1);
		db_bind_int(st, 2, id);
		db_bind_int(st, 3, household_id);
		rc = step_done(st);
		if (rc == DELIB_OK && db_changes(db) == 0)
			rc = DELIB_NOT_COVERED;
	}
	if (rc == DELIB_OK)
		rc = audit(db, who, "deliberation.area", id, d->community_path);
	free(d);
	return finish(db, rc);
}

static int set_state(struct db *db, int64_t id, const char *state, const char *outcome, const char *stamp)
{
	char sql[160];
	struct db_stmt *st;

	snprintf(sql, sizeof(sql), "UPDATE deliberation SET state = ?, outcome = ?, updated_at = ?%s%s WHERE id = ?",
		 stamp ? ", " : "", stamp ? stamp : "");
	st = db_prepare(db, sql);
	db_bind_text(st, 1, state);
	if (outcome)
		db_bind_text(st, 2, outcome);
	else
		db_bind_null(st, 2);
	db_bind_int(st, 3, clock_now());
	if (stamp)
		db_bind_int(st, 4, clock_now());
	db_bind_int(st, stamp ? 5 : 4, id);
	return step_done(st);
}

/* Stamp columns: fixed text, never client input. */
static const char opened_stamp[] = "opened_at = ?", closed_stamp[] = "closed_at = ?";

int deliberation_open(struct db *db, const struct actor *who, int64_t id)
{
	struct deliberation *d;
	struct deliberation_count all, *items = NULL;
	size_t n = 0;
	int rc;

	if (db_begin(db) < 0)
		return DELIB_ERROR;
	d = xmalloc(sizeof(*d));
	rc = head(db, id, d, "draft", NULL);
	if (rc == DELIB_OK && d->deadline <= clock_now())
		rc = DELIB_TOO_LATE;
	if (rc == DELIB_OK)
		rc = deliberation_tally(db, id, &all, &items, &n);
	free(items);
	if (rc == DELIB_OK && d->rule.basis != DELIB_HOUSEHOLDS && all.tally.area_missing > 0)
		rc = DELIB_AREA_MISSING;
	if (rc == DELIB_OK)
		rc = set_state(db, id, "open", NULL, opened_stamp);
	if (rc == DELIB_OK)
		rc = audit(db, who, "deliberation.open", id, d->community_path);
	free(d);
	return finish(db, rc);
}

int deliberation_close(struct db *db, const struct actor *who, int64_t id)
{
	struct deliberation *d;
	struct deliberation_count all, *items = NULL;
	size_t n = 0;
	int rc;

	if (db_begin(db) < 0)
		return DELIB_ERROR;
	d = xmalloc(sizeof(*d));
	rc = head(db, id, d, "open", NULL);
	if (rc == DELIB_OK && clock_now() < d->deadline)
		rc = DELIB_TOO_EARLY;
	if (rc == DELIB_OK)
		rc = deliberation_tally(db, id, &all, &items, &n);
	free(items);
	if (rc == DELIB_OK) {
		enum delib_outcome o = delib_outcome_of(&d->rule, &all.tally, true);
		rc = set_state(db, id, "closed", delib_outcomes[o], closed_stamp);
	}
	if (rc == DELIB_OK)
		rc = audit(db, who, "deliberation.close", id, d->community_path);
	free(d);
	return finish(db, rc);
}

int deliberation_cancel(struct db *db, const struct actor *who, int64_t id)
{
	struct deliberation *d;
	int rc;

	if (db_begin(db) < 0)
		return DELIB_ERROR;
	d = xmalloc(sizeof(*d));
	rc = head(db, id, d, "draft", "open");
	if (rc == DELIB_OK)
		rc = set_state(db, id, "cancelled", NULL, closed_stamp);
	if (rc == DELIB_OK)
		rc = audit(db, who, "deliberation.cancel", id, d->community_path);
	free(d);
	return finish(db, rc);
}

int deliberation_resident_household(struct db *db, int64_t account_id, int64_t *household_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT household_id FROM account WHERE id = ?");
	int rc;

	*household_id = 0;
	db_bind_int(st, 1, account_id);
	rc = db_step(st);
	if (rc == DB_ROW && !db_col_null(st, 0))
		*household_id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? DELIB_OK : DELIB_ERROR;
}

int deliberation_vote(struct db *db, const struct actor *who, const struct deliberation_vote_input *in,
		      struct field_errors *errs, int64_t *vote_id)
{
	const bool paper = in->channel && !strcmp(in->channel, "paper");
	const char *note = in->note && *in->note ? in->note : paper ? "纸质表决票" : "";
	const int64_t now = clock_now();
	struct deliberation *d;
	int64_t household_id = in->household_id;
	size_t before = errs->n;
	struct db_stmt *st;
	int rc;

	check_text(note, "note", 0, DELIB_NOTE_MAX, errs);
	if (errs->n != before)
		return DELIB_INVALID;
	if (db_begin(db) < 0)
		return DELIB_ERROR;
	d = xmalloc(sizeof(*d));
	rc = head(db, in->deliberation_id, d, "open", NULL);
	if (rc == DELIB_OK && now >= d->deadline)
		rc = DELIB_TOO_LATE;
	if (rc == DELIB_OK && (in->choice < 1 || (size_t)in->choice > d->noptions)) {
		field_errors_add(errs, "choice", "enum", "应为议题的一个选项");
		rc = DELIB_INVALID;
	}
	if (rc == DELIB_OK && !paper)
		rc = deliberation_resident_household(db, who->account_id, &household_id);
	if (rc == DELIB_OK && household_id <= 0)
		rc = DELIB_NOT_COVERED;
	if (rc == DELIB_OK) {
		st = db_prepare(db, "INSERT INTO deliberation_vote (deliberation_id, household_id, choice, channel, "
				    "account_id, note, created_at) SELECT deliberation_id, household_id, ?, ?, ?, ?, ? FROM "
				    "deliberation_household WHERE deliberation_id = ? AND household_id = ? RETURNING id");
		db_bind_int(st, 1, in->choice);
		db_bind_text(st, 2, paper ? "paper" : "phone");
		if (who->account_id)
			db_bind_int(st, 3, who->account_id);
		else
			db_bind_null(st, 3);
		db_bind_text(st, 4, note);
		db_bind_int(st, 5, now);
		db_bind_int(st, 6, in->deliberation_id);
		db_bind_int(st, 7, household_id);
		int got = db_step(st);
		rc = got == DB_ROW ? DELIB_OK : got == DB_DONE ? DELIB_NOT_COVERED : DELIB_ERROR;
		if (rc == DELIB_OK)
			*vote_id = db_col_int(st, 0);
		db_done(st);
	}
	if (rc == DELIB_OK) {
		/* The household's one row takes the latest vote: two at once serialize on it, the later counts. */
		st = db_prepare(db, "UPDATE deliberation_household SET choice = ?, vote_id = ?, voted_at = ? WHERE "
				    "deliberation_id = ? AND household_id = ?");
		db_bind_int(st, 1, in->choice);
		db_bind_int(st, 2, *vote_id);
		db_bind_int(st, 3, now);
		db_bind_int(st, 4, in->deliberation_id);
		db_bind_int(st, 5, household_id);
		rc = step_done(st);
	}
	if (rc == DELIB_OK)
		rc = audit(db, who, "deliberation.vote", in->deliberation_id, d->community_path);
	free(d);
	return finish(db, rc);
}
